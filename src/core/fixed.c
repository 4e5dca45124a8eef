#include "kpidesk/fixed.h"

#include <stdio.h>
#include <string.h>

#define FIXED_LIMIT 1000000000000000LL /* 10^15 */

static const char *skip_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

bool fixed_parse(const char *text, int scale_digits, int64_t *out)
{
	if (!text || scale_digits < 0 || scale_digits > 9)
		return false;
	const char *p = skip_spaces(text);
	bool negative = false;
	if (*p == '+' || *p == '-') {
		negative = *p == '-';
		p++;
	}
	int64_t value = 0;
	int int_digits = 0;
	while (*p >= '0' && *p <= '9') {
		if (value > FIXED_LIMIT)
			return false;
		value = value * 10 + (*p - '0');
		int_digits++;
		p++;
	}
	int frac_digits = 0;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			if (frac_digits >= scale_digits)
				return false;
			value = value * 10 + (*p - '0');
			frac_digits++;
			p++;
		}
		if (frac_digits == 0)
			return false; /* "1." */
	}
	if (int_digits == 0 && frac_digits == 0)
		return false;
	p = skip_spaces(p);
	if (*p != '\0')
		return false;
	for (int i = frac_digits; i < scale_digits; i++) {
		if (value > FIXED_LIMIT)
			return false;
		value *= 10;
	}
	if (value > FIXED_LIMIT)
		return false;
	*out = negative ? -value : value;
	return true;
}

bool fixed_parse_int(const char *text, int64_t min, int64_t max, int64_t *out)
{
	if (!text)
		return false;
	const char *p = skip_spaces(text);
	bool negative = false;
	if (*p == '+' || *p == '-') {
		negative = *p == '-';
		p++;
	}
	if (*p < '0' || *p > '9')
		return false;
	int64_t value = 0;
	while (*p >= '0' && *p <= '9') {
		if (value > FIXED_LIMIT)
			return false;
		value = value * 10 + (*p - '0');
		p++;
	}
	p = skip_spaces(p);
	if (*p != '\0')
		return false;
	if (negative)
		value = -value;
	if (value < min || value > max)
		return false;
	*out = value;
	return true;
}

int64_t fixed_div_round(int64_t num, int64_t den)
{
	if (den < 0) {
		num = -num;
		den = -den;
	}
	int64_t q = num / den;
	int64_t r = num % den;
	/* |r| * 2 >= den rounds away from zero; r carries num's sign. */
	if (r < 0) {
		if (-r >= den - (-r))
			q--;
	} else if (r > 0) {
		if (r >= den - r)
			q++;
	}
	return q;
}

/* Unsigned 128-bit arithmetic from two 64-bit halves, so a*b/den never
 * overflows and stays ISO C (no __int128). */
struct u128 {
	uint64_t hi;
	uint64_t lo;
};

static struct u128 mul_u64(uint64_t a, uint64_t b)
{
	uint64_t a_lo = a & 0xffffffffu, a_hi = a >> 32;
	uint64_t b_lo = b & 0xffffffffu, b_hi = b >> 32;
	uint64_t p0 = a_lo * b_lo;
	uint64_t p1 = a_lo * b_hi;
	uint64_t p2 = a_hi * b_lo;
	uint64_t p3 = a_hi * b_hi;
	uint64_t mid = (p0 >> 32) + (p1 & 0xffffffffu) + (p2 & 0xffffffffu);
	struct u128 r;
	r.lo = (p0 & 0xffffffffu) | (mid << 32);
	r.hi = p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
	return r;
}

/* Divides a 128-bit value by d (> 0): quotient (saturated to 64 bits) and
 * remainder, by shift-and-subtract. */
static uint64_t div_u128(struct u128 n, uint64_t d, uint64_t *rem,
                         bool *overflow)
{
	uint64_t q = 0;
	uint64_t r = 0;
	*overflow = false;
	for (int i = 127; i >= 0; i--) {
		uint64_t bit =
		    i >= 64 ? (n.hi >> (i - 64)) & 1 : (n.lo >> i) & 1;
		bool carry = (r >> 63) != 0;
		r = (r << 1) | bit;
		if (carry || r >= d) {
			r -= d;
			if (i >= 64)
				*overflow = true;
			else
				q |= (uint64_t)1 << i;
		}
	}
	*rem = r;
	return q;
}

int64_t fixed_muldiv_round(int64_t a, int64_t b, int64_t den)
{
	if (den <= 0)
		return 0;
	bool negative = (a < 0) != (b < 0);
	uint64_t ua = a < 0 ? (uint64_t)0 - (uint64_t)a : (uint64_t)a;
	uint64_t ub = b < 0 ? (uint64_t)0 - (uint64_t)b : (uint64_t)b;
	struct u128 prod = mul_u64(ua, ub);
	uint64_t rem;
	bool overflow;
	uint64_t q = div_u128(prod, (uint64_t)den, &rem, &overflow);
	if (rem >= (uint64_t)den - rem)
		q++;
	if (overflow || q > (uint64_t)INT64_MAX)
		return negative ? -INT64_MAX : INT64_MAX;
	return negative ? -(int64_t)q : (int64_t)q;
}

int fixed_ratio_cmp(int64_t a_num, int64_t a_den, int64_t b_num, int64_t b_den)
{
	/* Compare a_num * b_den with b_num * a_den in 128 bits. */
	bool a_neg = a_num < 0, b_neg = b_num < 0;
	if (a_neg != b_neg)
		return a_neg ? -1 : 1;
	uint64_t ua = a_neg ? (uint64_t)0 - (uint64_t)a_num : (uint64_t)a_num;
	uint64_t ub = b_neg ? (uint64_t)0 - (uint64_t)b_num : (uint64_t)b_num;
	struct u128 left = mul_u64(ua, (uint64_t)b_den);
	struct u128 right = mul_u64(ub, (uint64_t)a_den);
	int cmp;
	if (left.hi != right.hi)
		cmp = left.hi < right.hi ? -1 : 1;
	else if (left.lo != right.lo)
		cmp = left.lo < right.lo ? -1 : 1;
	else
		cmp = 0;
	return a_neg ? -cmp : cmp;
}

static int64_t pow10_i64(int n)
{
	int64_t p = 1;
	while (n-- > 0)
		p *= 10;
	return p;
}

char *fixed_format(char *buf, size_t size, int64_t value, int scale_digits,
                   int decimals)
{
	if (decimals > scale_digits)
		decimals = scale_digits;
	if (decimals < scale_digits)
		value =
		    fixed_div_round(value, pow10_i64(scale_digits - decimals));
	bool negative = value < 0;
	uint64_t mag =
	    negative ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
	uint64_t unit = (uint64_t)pow10_i64(decimals);
	uint64_t whole = mag / unit;
	uint64_t frac = mag % unit;
	int n;
	if (decimals > 0)
		n = snprintf(buf, size, "%s%llu.%0*llu", negative ? "-" : "",
		             (unsigned long long)whole, decimals,
		             (unsigned long long)frac);
	else
		n = snprintf(buf, size, "%s%llu", negative ? "-" : "",
		             (unsigned long long)whole);
	if (n < 0 && size > 0)
		buf[0] = '\0';
	return buf;
}

char *fixed_format_trim(char *buf, size_t size, int64_t value, int scale_digits,
                        int max_decimals)
{
	fixed_format(buf, size, value, scale_digits, max_decimals);
	char *dot = strchr(buf, '.');
	if (dot) {
		char *end = buf + strlen(buf);
		while (end > dot + 1 && end[-1] == '0')
			*--end = '\0';
		if (end == dot + 1)
			*dot = '\0';
	}
	if (strcmp(buf, "-0") == 0)
		strcpy(buf, "0");
	return buf;
}

int64_t fixed_clamp(int64_t v, int64_t lo, int64_t hi)
{
	if (v < lo)
		return lo;
	if (v > hi)
		return hi;
	return v;
}
