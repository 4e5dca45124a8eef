/* JSON out: the one writer behind every JSON kpidesk writes (score, events
 * and agent list in JSON, the closed month's snapshot).
 *
 * Strings are escaped per RFC 8259: '"' and '\' with a backslash, the
 * control characters U+0000..U+001F as \b \f \n \r \t or \u00xx; every
 * other character, Chinese included, is written as its UTF-8 bytes. A NULL
 * string is JSON null. Numbers come from fixed-point integers (points in
 * centi-points, money in fen), never through floating point, so 1500.00
 * is written as exactly that.
 *
 * The writers return false when writing to `out` fails (ferror tells).
 * Reading JSON is jansson's (src/report/snapshot.c).
 */
#ifndef KPIDESK_JSON_H
#define KPIDESK_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* A string literal, quotes included; "null" for NULL. */
bool json_write_string(FILE *out, const char *s);

/* An integer. */
bool json_write_int(FILE *out, int64_t value);

/* value / 10^scale_digits with exactly `decimals` decimals: (150000, 2, 2)
 * is 1500.00, (-50, 2, 2) is -0.50. */
bool json_write_fixed(FILE *out, int64_t value, int scale_digits, int decimals);

/* The same with trailing zeros dropped: (9650, 2, 2) is 96.5, (8000, 2, 2)
 * is 80. */
bool json_write_fixed_trim(FILE *out, int64_t value, int scale_digits,
                           int max_decimals);

/* true or false. */
bool json_write_bool(FILE *out, bool value);

#endif
