/* Cells as numbers: amounts, counts, percentages and seconds (see
 * kpidesk/import.h, kpi_value_parse). */
#include <string.h>

#include "import_internal.h"

static bool starts_with(const char *s, const char *end, const char *prefix)
{
	size_t n = strlen(prefix);

	return (size_t)(end - s) >= n && memcmp(s, prefix, n) == 0;
}

static const char *skip_spaces(const char *s, const char *end)
{
	size_t n;

	while (s < end && (n = import_space_at(s)) > 0)
		s += n;
	return s;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* "H:MM:SS", "MM:SS" or "M:SS", with decimals of a second: a duration as a
 * clock shows it, in 1/10000 s. KPI_VALUE_NOT_NUMBER when it is not one. */
static enum kpi_value_status clock_seconds(const char *s, const char *end,
                                           int64_t *value)
{
	int64_t parts[3] = {0, 0, 0}, frac = 0;
	int count = 0, frac_len = 0;

	while (count < 3) {
		int digits = 0;

		while (s < end && is_digit(*s) && digits < 7) {
			parts[count] = parts[count] * 10 + (*s++ - '0');
			digits++;
		}
		if (digits == 0 || (count > 0 && digits != 2))
			return KPI_VALUE_NOT_NUMBER;
		count++;
		if (s < end && *s == ':')
			s++;
		else
			break;
	}
	if (count < 2 || (s < end && *s == ':'))
		return KPI_VALUE_NOT_NUMBER;
	if (s < end && *s == '.') {
		for (s++; s < end && is_digit(*s); s++) {
			if (frac_len < 4) {
				frac = frac * 10 + (*s - '0');
				frac_len++;
			} else if (*s != '0') {
				return KPI_VALUE_PRECISION;
			}
		}
	}
	if (s != end || parts[count - 1] >= 60 ||
	    (count == 3 && parts[1] >= 60))
		return KPI_VALUE_NOT_NUMBER;
	for (; frac_len < 4; frac_len++)
		frac *= 10;
	*value = (count == 3 ? parts[0] * 3600 + parts[1] * 60 + parts[2]
	                     : parts[0] * 60 + parts[1]) *
	             10000 +
	         frac;
	return KPI_VALUE_OK;
}

enum kpi_value_status kpi_value_parse(const char *cell,
                                      enum kpi_value_kind kind, int64_t *value,
                                      bool *percent_sign)
{
	static const char *const empties[] = {"-", "--", "—", "——"};
	const char *s;
	const char *end;
	size_t trimmed;
	char int_digits[32];
	char frac_digits[32];
	size_t int_len = 0;
	size_t frac_len = 0;
	bool negative = false;
	bool signed_ = false;
	bool currency = false;
	bool percent = false;
	int scale;
	int64_t v = 0;

	if (percent_sign != NULL)
		*percent_sign = false;
	trimmed = import_trim_span(cell, &s);
	end = s + trimmed;
	if (s == end)
		return KPI_VALUE_EMPTY;
	for (size_t i = 0; i < COUNT_OF(empties); i++)
		if ((size_t)(end - s) == strlen(empties[i]) &&
		    starts_with(s, end, empties[i]))
			return KPI_VALUE_EMPTY;

	if (kind == KPI_VALUE_SECONDS) {
		enum kpi_value_status clock = clock_seconds(s, end, value);

		if (clock != KPI_VALUE_NOT_NUMBER ||
		    memchr(s, ':', (size_t)(end - s)))
			return clock;
	}

	/* A sign and (for money) a currency sign, in either order. */
	for (;;) {
		s = skip_spaces(s, end);
		if (!signed_ && s < end && (*s == '-' || *s == '+')) {
			negative = *s == '-';
			signed_ = true;
			s++;
		} else if (!currency && kind == KPI_VALUE_MONEY &&
		           starts_with(s, end, "¥")) {
			currency = true;
			s += strlen("¥");
		} else if (!currency && kind == KPI_VALUE_MONEY &&
		           starts_with(s, end, "￥")) {
			currency = true;
			s += strlen("￥");
		} else {
			break;
		}
	}

	/* Digits, with commas between groups of three, and decimals. */
	{
		size_t group = 0;  /* digits in the current group */
		size_t commas = 0; /* groups closed by a comma */
		bool any_int = false;
		bool any_frac = false;

		while (s < end && (is_digit(*s) || *s == ',')) {
			if (*s == ',') {
				if (group == 0 || (commas > 0 && group != 3) ||
				    (commas == 0 && group > 3))
					return KPI_VALUE_BAD_GROUPS;
				commas++;
				group = 0;
				s++;
				continue;
			}
			any_int = true;
			if (int_len > 0 || *s != '0') {
				if (int_len >= 13)
					return KPI_VALUE_TOO_LARGE;
				int_digits[int_len++] = *s;
			}
			group++;
			s++;
		}
		if (commas > 0 && group != 3)
			return KPI_VALUE_BAD_GROUPS;
		if (s < end && *s == '.') {
			s++;
			while (s < end && is_digit(*s)) {
				any_frac = true;
				if (frac_len < sizeof(frac_digits))
					frac_digits[frac_len++] = *s;
				else if (*s != '0')
					return kind == KPI_VALUE_COUNT
					           ? KPI_VALUE_NOT_WHOLE
					           : KPI_VALUE_PRECISION;
				s++;
			}
		}
		if (!any_int && !any_frac)
			return KPI_VALUE_NOT_NUMBER;
	}

	/* A unit after the number. */
	s = skip_spaces(s, end);
	if (kind == KPI_VALUE_PERCENT &&
	    (starts_with(s, end, "%") || starts_with(s, end, "％"))) {
		percent = true;
		s += *s == '%' ? 1 : strlen("％");
	} else if (kind == KPI_VALUE_MONEY && starts_with(s, end, "元")) {
		s += strlen("元");
	} else if (kind == KPI_VALUE_SECONDS && starts_with(s, end, "秒")) {
		s += strlen("秒");
	} else if (kind == KPI_VALUE_SECONDS && s < end && *s == 's') {
		s++;
	}
	s = skip_spaces(s, end);
	if (s != end)
		return KPI_VALUE_NOT_NUMBER;

	scale = kind == KPI_VALUE_MONEY ? 2 : kind == KPI_VALUE_COUNT ? 0 : 4;
	while (frac_len > (size_t)scale && frac_digits[frac_len - 1] == '0')
		frac_len--;
	if (frac_len > (size_t)scale)
		return kind == KPI_VALUE_COUNT ? KPI_VALUE_NOT_WHOLE
		                               : KPI_VALUE_PRECISION;
	if (int_len > 12)
		return KPI_VALUE_TOO_LARGE;
	for (size_t i = 0; i < int_len; i++)
		v = v * 10 + (int_digits[i] - '0');
	for (int i = 0; i < scale; i++)
		v = v * 10 + ((size_t)i < frac_len ? frac_digits[i] - '0' : 0);
	if (negative && v != 0)
		return KPI_VALUE_NEGATIVE;
	*value = v;
	if (percent_sign != NULL)
		*percent_sign = percent;
	return KPI_VALUE_OK;
}
