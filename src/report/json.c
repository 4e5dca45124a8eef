/* JSON out (kpidesk/json.h). */
#include "kpidesk/json.h"

#include <inttypes.h>

#include "kpidesk/fixed.h"

bool json_write_string(FILE *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	if (!s)
		return fputs("null", out) >= 0;
	if (putc('"', out) == EOF)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		const char *esc = NULL;
		char u[7];

		switch (*p) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\b':
			esc = "\\b";
			break;
		case '\f':
			esc = "\\f";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
		default:
			if (*p < 0x20) {
				u[0] = '\\';
				u[1] = 'u';
				u[2] = '0';
				u[3] = '0';
				u[4] = hex[*p >> 4];
				u[5] = hex[*p & 0xf];
				u[6] = '\0';
				esc = u;
			}
		}
		if (esc ? fputs(esc, out) < 0 : putc(*p, out) == EOF)
			return false;
	}
	return putc('"', out) != EOF;
}

bool json_write_int(FILE *out, int64_t value)
{
	return fprintf(out, "%" PRId64, value) >= 0;
}

bool json_write_fixed(FILE *out, int64_t value, int scale_digits, int decimals)
{
	char buf[48];

	return fputs(fixed_format(buf, sizeof(buf), value, scale_digits,
	                          decimals),
	             out) >= 0;
}

bool json_write_fixed_trim(FILE *out, int64_t value, int scale_digits,
                           int max_decimals)
{
	char buf[48];

	return fputs(fixed_format_trim(buf, sizeof(buf), value, scale_digits,
	                               max_decimals),
	             out) >= 0;
}

bool json_write_bool(FILE *out, bool value)
{
	return fputs(value ? "true" : "false", out) >= 0;
}
