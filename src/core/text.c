#include "kpidesk/text.h"

#include <string.h>
#include <wchar.h>

size_t text_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (len == 0) {
		*cp = 0xFFFD;
		return 0;
	}
	unsigned char c = u[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t need;
	uint32_t value, min;
	if (c >= 0xC2 && c <= 0xDF) {
		need = 2;
		value = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 3;
		value = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4;
		value = c & 0x07;
		min = 0x10000;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	if (len < need) {
		*cp = 0xFFFD;
		return 1;
	}
	for (size_t i = 1; i < need; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		value = (value << 6) | (u[i] & 0x3F);
	}
	if (value < min || value > 0x10FFFF ||
	    (value >= 0xD800 && value <= 0xDFFF)) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = value;
	return need;
}

bool text_is_utf8(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = text_decode(s + i, len - i, &cp);
		if (cp == 0xFFFD) {
			/* A real U+FFFD is three bytes EF BF BD. */
			if (n != 3)
				return false;
		}
		i += n;
	}
	return true;
}

/* East Asian Wide and Fullwidth ranges, used when the C library's wcwidth()
 * does not know the character (a non-UTF-8 LC_CTYPE). */
static bool is_wide_fallback(uint32_t cp)
{
	static const uint32_t ranges[][2] = {
	    {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},
	    {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
	    {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE30, 0xFE4F},
	    {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
	    {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD},
	};
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (cp >= ranges[i][0] && cp <= ranges[i][1])
			return true;
	return false;
}

int text_char_width(uint32_t cp)
{
	if (cp >= 0x20 && cp < 0x7F)
		return 1; /* printable ASCII, without a wcwidth() call */
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return 0;
	int w = wcwidth((wchar_t)cp);
	if (w >= 0)
		return w;
	return is_wide_fallback(cp) ? 2 : 1;
}

size_t text_width(const char *s)
{
	size_t cells = 0;
	size_t len = strlen(s);
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		i += text_decode(s + i, len - i, &cp);
		cells += (size_t)text_char_width(cp);
	}
	return cells;
}

size_t text_fit(const char *s, size_t cells, size_t *used_cells)
{
	size_t len = strlen(s);
	size_t i = 0, used = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = text_decode(s + i, len - i, &cp);
		size_t w = (size_t)text_char_width(cp);
		if (used + w > cells)
			break;
		used += w;
		i += n;
	}
	if (used_cells)
		*used_cells = used;
	return i;
}

size_t text_pad(char *buf, size_t size, const char *s, size_t cells, bool right)
{
	size_t start = strlen(buf);
	if (start >= size)
		return 0;
	size_t used;
	size_t bytes = text_fit(s, cells, &used);
	size_t pad = cells - used;
	size_t room = size - start - 1;
	size_t need = bytes + pad;
	if (need > room)
		return 0;
	char *p = buf + start;
	if (right) {
		memset(p, ' ', pad);
		memcpy(p + pad, s, bytes);
	} else {
		memcpy(p, s, bytes);
		memset(p + bytes, ' ', pad);
	}
	p[need] = '\0';
	return need;
}

bool text_is_blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}
