/* Layout math, text fields and rows (layout.h). */
#include "layout.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kpidesk/text.h"

static struct tui_rect rect(int y, int x, int h, int w)
{
	return (struct tui_rect){.y = y, .x = x, .h = h, .w = w};
}

void tui_layout_compute(int rows, int cols, struct tui_layout *out)
{
	memset(out, 0, sizeof(*out));
	out->rows = rows;
	out->cols = cols;
	if (rows < TUI_MIN_ROWS || cols < TUI_MIN_COLS) {
		out->mode = TUI_LAYOUT_TOO_SMALL;
		return;
	}
	out->title = rect(0, 0, 1, cols);
	out->status = rect(rows - 2, 0, 1, cols);
	out->keybar = rect(rows - 1, 0, 1, cols);
	int top = 1, height = rows - 3;
	if (cols >= TUI_WIDE_COLS) {
		out->mode = TUI_LAYOUT_COLUMNS;
		int roster = cols * 27 / 100;
		int log = cols * 41 / 100;
		int board = cols - roster - log;
		out->panes[TUI_PANE_ROSTER] = rect(top, 0, height, roster);
		out->panes[TUI_PANE_LOG] = rect(top, roster, height, log);
		out->panes[TUI_PANE_BOARD] =
		    rect(top, roster + log, height, board);
		return;
	}
	/* Narrow: the log keeps the full width (its rows are the longest),
	 * the roster and the board share the row under it. */
	out->mode = TUI_LAYOUT_STACKED;
	int log_h = height / 2;
	int rest = height - log_h;
	int roster_w = cols / 2;
	out->panes[TUI_PANE_LOG] = rect(top, 0, log_h, cols);
	out->panes[TUI_PANE_ROSTER] = rect(top + log_h, 0, rest, roster_w);
	out->panes[TUI_PANE_BOARD] =
	    rect(top + log_h, roster_w, rest, cols - roster_w);
}

size_t tui_scroll_top(size_t top, size_t selected, size_t count, size_t height)
{
	if (height == 0 || count == 0)
		return 0;
	if (selected >= count)
		selected = count - 1;
	if (selected < top)
		top = selected;
	if (selected >= top + height)
		top = selected - height + 1;
	if (count > height && top > count - height)
		top = count - height;
	if (count <= height)
		top = 0;
	return top;
}

void tui_field_init(struct tui_field *f, size_t max_bytes, const char *text)
{
	if (max_bytes >= TUI_FIELD_SIZE)
		max_bytes = TUI_FIELD_SIZE - 1;
	f->max_bytes = max_bytes;
	f->len = 0;
	f->text[0] = '\0';
	if (text) {
		size_t n = strlen(text);
		if (n > max_bytes)
			n = max_bytes;
		/* Never keep half a character. */
		while (n > 0 && n < strlen(text) &&
		       ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
		memcpy(f->text, text, n);
		f->text[n] = '\0';
		f->len = n;
	}
}

bool tui_field_insert(struct tui_field *f, wint_t ch)
{
	uint32_t cp = (uint32_t)ch;
	char enc[4];
	size_t n;
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xA0) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return false;
	if (cp < 0x80) {
		enc[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		enc[0] = (char)(0xC0 | (cp >> 6));
		enc[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		enc[0] = (char)(0xE0 | (cp >> 12));
		enc[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		enc[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		enc[0] = (char)(0xF0 | (cp >> 18));
		enc[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		enc[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		enc[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	if (f->len + n > f->max_bytes)
		return false;
	memcpy(f->text + f->len, enc, n);
	f->len += n;
	f->text[f->len] = '\0';
	return true;
}

bool tui_field_backspace(struct tui_field *f)
{
	if (f->len == 0)
		return false;
	size_t n = f->len - 1;
	while (n > 0 && ((unsigned char)f->text[n] & 0xC0) == 0x80)
		n--;
	f->len = n;
	f->text[n] = '\0';
	return true;
}

const char *tui_field_visible(const struct tui_field *f, size_t cells)
{
	const char *p = f->text;
	while (*p && text_width(p) > cells) {
		uint32_t cp;
		p += text_decode(p, strlen(p), &cp);
	}
	return p;
}

char *tui_format_row(char *buf, size_t size, size_t columns,
                     const char *const *texts, const size_t *widths,
                     const bool *right)
{
	if (size == 0)
		return buf;
	size_t used = strlen(buf);
	bool first = true;
	for (size_t i = 0; i < columns; i++) {
		if (widths[i] == 0)
			continue;
		if (!first && used + 1 < size) {
			buf[used++] = ' ';
			buf[used] = '\0';
		}
		first = false;
		used +=
		    text_pad(buf + used, size - used, texts[i] ? texts[i] : "",
		             widths[i], right && right[i]);
	}
	return buf;
}

size_t tui_flex_width(size_t total, size_t fixed, size_t min, size_t max)
{
	size_t w = total > fixed ? total - fixed : 0;
	if (w < min)
		w = min;
	if (w > max)
		w = max;
	return w;
}

int tui_bar_eighths(int64_t value, int64_t max, int height)
{
	if (height <= 0 || max <= 0 || value <= 0)
		return 0;
	if (value >= max)
		return height * 8;
	int64_t total = (int64_t)height * 8;
	return (int)((value * total + max / 2) / max);
}

char *tui_cut(char *buf, size_t size, const char *s, size_t cells)
{
	size_t used = strlen(buf);
	if (!s)
		s = "";
	if (used >= size)
		return buf;
	if (text_width(s) <= cells || cells == 0) {
		size_t n = text_fit(s, cells, NULL);
		snprintf(buf + used, size - used, "%.*s", (int)n, s);
		return buf;
	}
	size_t n = text_fit(s, cells - 1, NULL);
	snprintf(buf + used, size - used, "%.*s\xe2\x80\xa6", (int)n, s);
	return buf;
}
