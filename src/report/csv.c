/* CSV cells (kpidesk/csv.h): the one writer behind every CSV kpidesk
 * writes (score, events, agent list, the review for payroll). */
#include "kpidesk/csv.h"

#include <string.h>

bool csv_write_bom(FILE *out)
{
	return fputs("\xEF\xBB\xBF", out) >= 0;
}

bool csv_text_is_formula_like(const char *s)
{
	return s && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

bool csv_is_number(const char *s)
{
	size_t digits = 0;

	if (!s)
		return false;
	if (*s == '-')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits++;
	if (digits == 0)
		return false;
	if (*s == '.') {
		digits = 0;
		for (s++; *s >= '0' && *s <= '9'; s++)
			digits++;
		if (digits == 0)
			return false;
	}
	return *s == '\0';
}

bool csv_write_cell(FILE *out, const char *s, enum csv_cell kind)
{
	bool guard;

	if (!s)
		s = "";
	if (kind == CSV_NUMBER && csv_is_number(s))
		return fputs(s, out) >= 0;
	guard = csv_text_is_formula_like(s);
	if (!strpbrk(s, ",\"\r\n"))
		return (!guard || fputc('\'', out) != EOF) &&
		       fputs(s, out) >= 0;
	if (fputc('"', out) == EOF || (guard && fputc('\'', out) == EOF))
		return false;
	for (; *s; s++) {
		if (*s == '"' && fputc('"', out) == EOF)
			return false;
		if (fputc(*s, out) == EOF)
			return false;
	}
	return fputc('"', out) != EOF;
}

bool csv_write_row(FILE *out, const char *const *cells,
                   const enum csv_cell *kinds, size_t n)
{
	for (size_t c = 0; c < n; c++) {
		if (c > 0 && fputc(',', out) == EOF)
			return false;
		if (!csv_write_cell(out, cells[c], kinds ? kinds[c] : CSV_TEXT))
			return false;
	}
	return fputs("\r\n", out) >= 0;
}
