/* Layout math and text fields of the shift desk: pure, no curses calls, so
 * they are unit-tested (tests/check-tui.c). Only the screen manager calls
 * tui_layout_compute (STYLE.md practice 2). */
#ifndef KPIDESK_TUI_LAYOUT_H
#define KPIDESK_TUI_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

/* Below this the panes give way to a "terminal too small" notice. */
#define TUI_MIN_COLS 60
#define TUI_MIN_ROWS 16
/* From this size on the three panes stand side by side. */
#define TUI_WIDE_COLS 80
#define TUI_WIDE_ROWS 24

struct tui_rect {
	int y, x, h, w;
};

enum tui_layout_mode {
	TUI_LAYOUT_TOO_SMALL, /* only the notice */
	TUI_LAYOUT_STACKED,   /* panes one above the other */
	TUI_LAYOUT_COLUMNS,   /* panes side by side */
};

enum tui_pane { TUI_PANE_ROSTER, TUI_PANE_LOG, TUI_PANE_BOARD, TUI_PANES };

struct tui_layout {
	enum tui_layout_mode mode;
	int rows, cols;
	struct tui_rect title;            /* the first line */
	struct tui_rect panes[TUI_PANES]; /* each with its border */
	struct tui_rect status; /* what was saved, or what went wrong */
	struct tui_rect keybar; /* the last line */
};

/* Splits a rows x cols terminal: a title line, the panes, a status line
 * and the key bar. Columns from TUI_WIDE_COLS on (roster 27 %, log 41 %,
 * board the rest), stacked between the minimum and that, too small below
 * TUI_MIN_COLS x TUI_MIN_ROWS. */
void tui_layout_compute(int rows, int cols, struct tui_layout *out);

/* The first visible row of a list of `count` rows in `height` rows that
 * keeps `selected` visible, starting from the previous `top`. */
size_t tui_scroll_top(size_t top, size_t selected, size_t count, size_t height);

/* Appends s to buf cut to `cells` cells, ending in "…" when it had to be
 * cut (a name in a narrow column); not padded. Returns buf. */
char *tui_cut(char *buf, size_t size, const char *s, size_t cells);

/* A bar chart's bar for `value` on a scale from 0 to `max`, `height` rows
 * high, in eighths of a row (block characters draw eighths): rounded to
 * the nearest eighth, 0 for a value at or below 0, height * 8 at or above
 * max. */
int tui_bar_eighths(int64_t value, int64_t max, int height);

/* ---- a one-line text field ---- */

#define TUI_FIELD_SIZE 512

struct tui_field {
	char text[TUI_FIELD_SIZE]; /* UTF-8, NUL-terminated */
	size_t len;                /* bytes */
	size_t max_bytes;          /* < TUI_FIELD_SIZE */
};

void tui_field_init(struct tui_field *f, size_t max_bytes, const char *text);
/* Appends one character (UTF-8 encoded). False for control characters,
 * invalid code points or when it would exceed max_bytes. */
bool tui_field_insert(struct tui_field *f, wint_t ch);
/* Deletes the last whole character (all its bytes); false when empty. */
bool tui_field_backspace(struct tui_field *f);
/* The tail of the text that fits in `cells` cells (the start of the
 * visible part, on a character boundary). */
const char *tui_field_visible(const struct tui_field *f, size_t cells);

/* ---- rows ---- */

/* Appends `columns` cells to buf: each text cut to its width on a
 * character boundary and padded, separated by one space. widths[i] == 0
 * skips the column; right[i] right-aligns it. Returns buf. */
char *tui_format_row(char *buf, size_t size, size_t columns,
                     const char *const *texts, const size_t *widths,
                     const bool *right);

/* The name column's width for a row of `total` cells whose other columns
 * take `fixed` cells (separators included): the rest, between min and
 * max. */
size_t tui_flex_width(size_t total, size_t fixed, size_t min, size_t max);

#endif
