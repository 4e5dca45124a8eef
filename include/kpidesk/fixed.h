/* Fixed-point numbers: points in centi-points (_cp), money in fen (_fen).
 *
 * RULEBOOK.md section 1: no double anywhere in the scoring path. Every value
 * is an int64_t scaled by a power of ten; rounding is half away from zero.
 */
#ifndef KPIDESK_FIXED_H
#define KPIDESK_FIXED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parses a decimal number ("-0.5", "10", "+2", "1.25", "0.006") into an
 * integer scaled by 10^scale_digits: fixed_parse("0.5", 2, &v) gives 50.
 * Leading and trailing ASCII spaces are allowed; nothing else is. Refused
 * (returns false, *out untouched): empty text, a lone sign, more decimals
 * than scale_digits, exponents, and values whose magnitude exceeds 10^15
 * after scaling. */
bool fixed_parse(const char *text, int scale_digits, int64_t *out);

/* Parses a whole number in base 10 ("010" is ten, never octal), with an
 * optional sign and surrounding spaces, within [min, max]. */
bool fixed_parse_int(const char *text, int64_t min, int64_t max, int64_t *out);

/* num / den rounded half away from zero. den must not be 0. */
int64_t fixed_div_round(int64_t num, int64_t den);

/* a * b / den rounded half away from zero, exact for |a*b| < 2^62 and, beyond
 * that, computed without overflow by long division. den must be > 0. */
int64_t fixed_muldiv_round(int64_t a, int64_t b, int64_t den);

/* Compares the fractions a_num/a_den and b_num/b_den exactly (dens > 0,
 * numerators of any sign): <0, 0, >0 like strcmp. Never overflows. */
int fixed_ratio_cmp(int64_t a_num, int64_t a_den, int64_t b_num, int64_t b_den);

/* Formats value/10^scale_digits with exactly `decimals` decimals (rounding
 * half away from zero if decimals < scale_digits) into buf.
 * fixed_format(buf, n, -50, 2, 2) gives "-0.50". Returns buf. */
char *fixed_format(char *buf, size_t size, int64_t value, int scale_digits,
                   int decimals);

/* Formats with at most `max_decimals` decimals, trailing zeros removed:
 * 9650 (cp) gives "96.5", 8000 gives "80", -100 gives "-1". Returns buf. */
char *fixed_format_trim(char *buf, size_t size, int64_t value, int scale_digits,
                        int max_decimals);

/* Clamps v into [lo, hi]. */
int64_t fixed_clamp(int64_t v, int64_t lo, int64_t hi);

#endif
