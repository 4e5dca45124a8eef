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
	/* Shown as U+FFFD (text_pad, text_sanitize): one cell. */
	if (text_char_is_hidden(cp))
		return 1;
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

/* The bytes of one character as it may be shown: itself, or U+FFFD for a
 * hidden character or an invalid byte. */
static const char replacement[] = "\xEF\xBF\xBD";

static size_t shown_char(const char *s, size_t len, const char **out,
                         size_t *out_len, uint32_t *shown_cp)
{
	uint32_t cp;
	size_t n = text_decode(s, len, &cp);
	bool bad = (cp == 0xFFFD && n != 3) || text_char_is_hidden(cp);
	*out = bad ? replacement : s;
	*out_len = bad ? 3 : n;
	*shown_cp = bad ? 0xFFFD : cp;
	return n;
}

size_t text_pad(char *buf, size_t size, const char *s, size_t cells, bool right)
{
	size_t start = strlen(buf);
	if (start >= size)
		return 0;
	size_t room = size - start - 1;
	size_t len = strlen(s);
	/* First pass: how many bytes and cells of s are shown. */
	size_t i = 0, used = 0, bytes = 0, src_end = 0;
	while (i < len) {
		const char *piece;
		size_t piece_len;
		uint32_t cp;
		size_t n = shown_char(s + i, len - i, &piece, &piece_len, &cp);
		size_t w = (size_t)text_char_width(cp);
		if (used + w > cells)
			break;
		used += w;
		bytes += piece_len;
		i += n;
		src_end = i;
	}
	size_t pad = cells - used;
	size_t need = bytes + pad;
	if (need > room)
		return 0;
	char *p = buf + start;
	if (right) {
		memset(p, ' ', pad);
		p += pad;
	}
	for (i = 0; i < src_end;) {
		const char *piece;
		size_t piece_len;
		uint32_t cp;
		i += shown_char(s + i, src_end - i, &piece, &piece_len, &cp);
		memcpy(p, piece, piece_len);
		p += piece_len;
	}
	if (!right) {
		memset(p, ' ', pad);
		p += pad;
	}
	*p = '\0';
	return need;
}

char *text_sanitize(char *buf, size_t size, const char *s)
{
	size_t len = strlen(s), i = 0, out = 0;
	if (size == 0)
		return buf;
	while (i < len) {
		const char *piece;
		size_t piece_len;
		uint32_t cp;
		size_t n = shown_char(s + i, len - i, &piece, &piece_len, &cp);
		if (out + piece_len >= size)
			break;
		memcpy(buf + out, piece, piece_len);
		out += piece_len;
		i += n;
	}
	buf[out] = '\0';
	return buf;
}

/* Unicode names (control aliases for C0 and C1) of the hidden characters. */
static const char *const c0_names[32] = {
    "NULL",
    "START OF HEADING",
    "START OF TEXT",
    "END OF TEXT",
    "END OF TRANSMISSION",
    "ENQUIRY",
    "ACKNOWLEDGE",
    "ALERT",
    "BACKSPACE",
    "CHARACTER TABULATION",
    "LINE FEED",
    "LINE TABULATION",
    "FORM FEED",
    "CARRIAGE RETURN",
    "SHIFT OUT",
    "SHIFT IN",
    "DATA LINK ESCAPE",
    "DEVICE CONTROL ONE",
    "DEVICE CONTROL TWO",
    "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR",
    "NEGATIVE ACKNOWLEDGE",
    "SYNCHRONOUS IDLE",
    "END OF TRANSMISSION BLOCK",
    "CANCEL",
    "END OF MEDIUM",
    "SUBSTITUTE",
    "ESCAPE",
    "INFORMATION SEPARATOR FOUR",
    "INFORMATION SEPARATOR THREE",
    "INFORMATION SEPARATOR TWO",
    "INFORMATION SEPARATOR ONE",
};

static const char *const c1_names[32] = {
    "PADDING CHARACTER",
    "HIGH OCTET PRESET",
    "BREAK PERMITTED HERE",
    "NO BREAK HERE",
    "INDEX",
    "NEXT LINE",
    "START OF SELECTED AREA",
    "END OF SELECTED AREA",
    "CHARACTER TABULATION SET",
    "CHARACTER TABULATION WITH JUSTIFICATION",
    "LINE TABULATION SET",
    "PARTIAL LINE FORWARD",
    "PARTIAL LINE BACKWARD",
    "REVERSE LINE FEED",
    "SINGLE SHIFT TWO",
    "SINGLE SHIFT THREE",
    "DEVICE CONTROL STRING",
    "PRIVATE USE ONE",
    "PRIVATE USE TWO",
    "SET TRANSMIT STATE",
    "CANCEL CHARACTER",
    "MESSAGE WAITING",
    "START OF GUARDED AREA",
    "END OF GUARDED AREA",
    "START OF STRING",
    "SINGLE GRAPHIC CHARACTER INTRODUCER",
    "SINGLE CHARACTER INTRODUCER",
    "CONTROL SEQUENCE INTRODUCER",
    "STRING TERMINATOR",
    "OPERATING SYSTEM COMMAND",
    "PRIVACY MESSAGE",
    "APPLICATION PROGRAM COMMAND",
};

static const struct {
	uint32_t cp;
	const char *name;
} format_names[] = {
    {0x200B, "ZERO WIDTH SPACE"},
    {0x200C, "ZERO WIDTH NON-JOINER"},
    {0x200D, "ZERO WIDTH JOINER"},
    {0x200E, "LEFT-TO-RIGHT MARK"},
    {0x200F, "RIGHT-TO-LEFT MARK"},
    {0x2028, "LINE SEPARATOR"},
    {0x2029, "PARAGRAPH SEPARATOR"},
    {0x202A, "LEFT-TO-RIGHT EMBEDDING"},
    {0x202B, "RIGHT-TO-LEFT EMBEDDING"},
    {0x202C, "POP DIRECTIONAL FORMATTING"},
    {0x202D, "LEFT-TO-RIGHT OVERRIDE"},
    {0x202E, "RIGHT-TO-LEFT OVERRIDE"},
    {0x2060, "WORD JOINER"},
    {0x2066, "LEFT-TO-RIGHT ISOLATE"},
    {0x2067, "RIGHT-TO-LEFT ISOLATE"},
    {0x2068, "FIRST STRONG ISOLATE"},
    {0x2069, "POP DIRECTIONAL ISOLATE"},
    {0xFEFF, "ZERO WIDTH NO-BREAK SPACE"},
};

const char *text_char_name(uint32_t cp)
{
	if (cp < 0x20)
		return c0_names[cp];
	if (cp == 0x7F)
		return "DELETE";
	if (cp >= 0x80 && cp < 0xA0)
		return c1_names[cp - 0x80];
	for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]);
	     i++)
		if (format_names[i].cp == cp)
			return format_names[i].name;
	return NULL;
}

bool text_char_is_hidden(uint32_t cp)
{
	return text_char_name(cp) != NULL;
}

bool text_find_hidden(const char *s, uint32_t *cp, size_t *position)
{
	size_t len = strlen(s), i = 0, chars = 0;
	while (i < len) {
		uint32_t c;
		i += text_decode(s + i, len - i, &c);
		chars++;
		if (text_char_is_hidden(c)) {
			*cp = c;
			*position = chars;
			return true;
		}
	}
	return false;
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
