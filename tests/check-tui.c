/* The shift desk's pure parts: the key table (dispatch, key bar, help),
 * layout math, the text field and row formatting with CJK and emoji at
 * fixed widths; and the desk's tick (midnight, another desk's commit). */
#include <check.h>
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keys.h"
#include "kpidesk/config.h"
#include "kpidesk/store.h"
#include "kpidesk/text.h"
#include "layout.h"
#include "tui_internal.h"

static struct rulebook *builtin(void)
{
	struct rulebook *rb = NULL;
	struct config_errors errors = {0};
	size_t len;
	const char *text = config_builtin_text(&len);
	ck_assert_int_eq(
	    config_load_text("(built-in)", text, len, &rb, &errors), KD_OK);
	config_errors_finish(&errors);
	return rb;
}

START_TEST(keymap_dispatch)
{
	struct rulebook *rb = builtin();
	struct tui_keymap map;
	ck_assert(tui_keymap_build(&map, rb));
	const struct tui_key *k =
	    tui_keymap_find(&map, TUI_SCOPE_DESK, 'r', false);
	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(k->action, TUI_ACT_LOG);
	ck_assert_str_eq(rb->categories[k->category].key, "unreplied");
	ck_assert_str_eq(
	    tui_keymap_find(&map, TUI_SCOPE_DESK, 'l', false)->name, "late");
	ck_assert_int_eq(
	    tui_keymap_find(&map, TUI_SCOPE_DESK, 'q', false)->action,
	    TUI_ACT_QUIT);
	/* q means "back" on a full screen, not "quit". */
	ck_assert_int_eq(
	    tui_keymap_find(&map, TUI_SCOPE_VIEW, 'q', false)->action,
	    TUI_ACT_BACK);
	ck_assert_int_eq(
	    tui_keymap_find(&map, TUI_SCOPE_DESK, KEY_UP, true)->action,
	    TUI_ACT_UP);
	ck_assert_int_eq(
	    tui_keymap_find(&map, TUI_SCOPE_DESK, 'k', false)->action,
	    TUI_ACT_UP);
	ck_assert_int_eq(
	    tui_keymap_find(&map, TUI_SCOPE_DESK, KEY_F(5), true)->action,
	    TUI_ACT_RELOAD);
	ck_assert_int_eq(
	    tui_keymap_find(&map, TUI_SCOPE_DESK, 0x12, false)->action,
	    TUI_ACT_RELOAD);
	/* A key code is not the character with the same number. */
	ck_assert_ptr_null(tui_keymap_find(&map, TUI_SCOPE_DESK, 'r', true));
	ck_assert_ptr_null(tui_keymap_find(&map, TUI_SCOPE_DESK, 'z', false));
	/* Every key PRODUCT.md reserves is bound on the desk. */
	for (const char *p = RB_RESERVED_HOTKEYS; *p; p++)
		ck_assert_msg(
		    tui_keymap_find(&map, TUI_SCOPE_DESK, (wint_t)*p, false),
		    "reserved key %c unbound", *p);
	/* No two desk keys share a binding. */
	for (size_t i = 0; i < map.count; i++)
		for (size_t j = i + 1; j < map.count; j++)
			ck_assert_msg(!((map.keys[i].scopes &
			                 map.keys[j].scopes & TUI_SCOPE_DESK) &&
			                map.keys[i].key == map.keys[j].key &&
			                map.keys[i].code == map.keys[j].code),
			              "%s and %s share a key", map.keys[i].name,
			              map.keys[j].name);
	tui_keymap_finish(&map);
	ck_assert(tui_keymap_build(&map, NULL));
	ck_assert_ptr_null(tui_keymap_find(&map, TUI_SCOPE_DESK, 'r', false));
	tui_keymap_finish(&map);
	rulebook_destroy(rb);
}
END_TEST

START_TEST(key_normalise_and_names)
{
	wint_t key = '\r';
	bool code = false;
	tui_key_normalise(&key, &code);
	ck_assert_uint_eq(key, '\n');
	key = KEY_ENTER;
	code = true;
	tui_key_normalise(&key, &code);
	ck_assert(!code);
	ck_assert_uint_eq(key, '\n');
	key = KEY_BACKSPACE;
	code = true;
	tui_key_normalise(&key, &code);
	ck_assert(!code);
	ck_assert_uint_eq(key, 0x7f);
	key = 0x08;
	code = false;
	tui_key_normalise(&key, &code);
	ck_assert_uint_eq(key, 0x7f);

	char buf[32];
	tui_key_name('q', false, buf, sizeof(buf));
	ck_assert_str_eq(buf, "q");
	tui_key_name('\t', false, buf, sizeof(buf));
	ck_assert_str_eq(buf, "Tab");
	tui_key_name(27, false, buf, sizeof(buf));
	ck_assert_str_eq(buf, "Esc");
	tui_key_name(KEY_F(5), true, buf, sizeof(buf));
	ck_assert_str_eq(buf, "F5");
	tui_key_name(0x12, false, buf, sizeof(buf));
	ck_assert_str_eq(buf, "^R");
	tui_key_name(KEY_UP, true, buf, sizeof(buf));
	ck_assert_str_eq(buf, "Up");
}
END_TEST

START_TEST(short_labels)
{
	char buf[64];
	tui_short_label("迟到/早退", 8, buf, sizeof(buf));
	ck_assert_str_eq(buf, "迟到");
	tui_short_label("未及时回复(30秒)", 8, buf, sizeof(buf));
	ck_assert_str_eq(buf, "未及时回");
	tui_short_label("未及时回复(30秒)", 10, buf, sizeof(buf));
	ck_assert_str_eq(buf, "未及时回复");
	tui_short_label("服务态度投诉（已核实）", 12, buf, sizeof(buf));
	ck_assert_str_eq(buf, "服务态度投诉");
	/* Cut on a character boundary: 5 cells hold two characters. */
	tui_short_label("点名表扬", 5, buf, sizeof(buf));
	ck_assert_str_eq(buf, "点名");
	tui_short_label("😀乐乐", 3, buf, sizeof(buf));
	ck_assert_str_eq(buf, "😀");
	tui_short_label("/x", 8, buf, sizeof(buf));
	ck_assert_str_eq(buf, "/x");
}
END_TEST

START_TEST(distinct_labels)
{
	char buf[64];
	const char *cats[] = {"主动加班",   "主动顶班",  "未及时回复(30秒)",
	                      "未及时催付", "迟到/早退", "点名表扬"};
	const char *shorts[] = {NULL, NULL, NULL, NULL, NULL, "表扬"};
	/* Whole when they fit. */
	ck_assert_str_eq(tui_label_fit(cats, shorts, 6, 0, 8, buf, sizeof(buf)),
	                 "主动加班");
	/* Cut alike at 4 cells: the character that differs goes last. */
	ck_assert_str_eq(tui_label_fit(cats, shorts, 6, 0, 4, buf, sizeof(buf)),
	                 "主加");
	ck_assert_str_eq(tui_label_fit(cats, shorts, 6, 1, 4, buf, sizeof(buf)),
	                 "主顶");
	ck_assert_str_eq(tui_label_fit(cats, shorts, 6, 2, 4, buf, sizeof(buf)),
	                 "未回");
	ck_assert_str_eq(tui_label_fit(cats, shorts, 6, 3, 4, buf, sizeof(buf)),
	                 "未催");
	ck_assert_str_eq(tui_label_fit(cats, shorts, 6, 2, 6, buf, sizeof(buf)),
	                 "未及回");
	/* The head before "/" when it is distinct. */
	ck_assert_str_eq(tui_label_fit(cats, shorts, 6, 4, 4, buf, sizeof(buf)),
	                 "迟到");
	/* The rulebook's short form first. */
	ck_assert_str_eq(tui_label_fit(cats, shorts, 6, 5, 4, buf, sizeof(buf)),
	                 "表扬");
	/* Every pair stays distinct at every width. */
	for (size_t w = 2; w < 12; w++)
		for (size_t i = 0; i < 6; i++)
			for (size_t j = i + 1; j < 6; j++) {
				char a[64], b[64];
				tui_label_fit(cats, shorts, 6, i, w, a,
				              sizeof(a));
				tui_label_fit(cats, shorts, 6, j, w, b,
				              sizeof(b));
				ck_assert_str_ne(a, b);
				ck_assert_uint_le(text_width(a), w);
			}
	/* Names cut with an ellipsis. */
	buf[0] = '\0';
	ck_assert_str_eq(tui_cut(buf, sizeof(buf), "欧阳娜娜", 6), "欧阳…");
	buf[0] = '\0';
	ck_assert_str_eq(tui_cut(buf, sizeof(buf), "欧阳娜娜", 8), "欧阳娜娜");
}
END_TEST

START_TEST(key_bar_order_and_state)
{
	struct rulebook *rb = builtin();
	struct tui_keymap map;
	char bar[1024];
	ck_assert(tui_keymap_build(&map, rb));
	/* The most used first: praise (p) and complaint (c). */
	size_t order[64];
	size_t n = 0;
	int p = rulebook_category_index(rb, "praise");
	int c = rulebook_category_index(rb, "complaint");
	ck_assert_int_ge(p, 0);
	ck_assert_int_ge(c, 0);
	order[n++] = (size_t)p;
	order[n++] = (size_t)c;
	for (size_t i = 0; i < rb->category_count; i++)
		if ((int)i != p && (int)i != c)
			order[n++] = i;
	struct tui_bar_options opt = {.order = order, .order_count = n};
	tui_keymap_bar(&map, TUI_SCOPE_DESK, 98, &opt, bar, sizeof(bar));
	ck_assert_str_eq(bar,
	                 "p 点名表扬  c 服务态度 │ / find agent  u undo  "
	                 "x void entry  R month review  ? all keys  q quit");
	/* A closed month: O instead of C. */
	struct tui_bar_options closed = {.hide = 1ull << TUI_ACT_CLOSE_MONTH,
	                                 .show = 1ull << TUI_ACT_REOPEN_MONTH};
	tui_keymap_bar(&map, TUI_SCOPE_VIEW | TUI_SCOPE_REVIEW, 98, &closed,
	               bar, sizeof(bar));
	ck_assert_str_eq(bar, "S settle an appeal  P presentation mode  "
	                      "O reopen month  E export  Esc back / cancel");
	tui_keymap_finish(&map);
	rulebook_destroy(rb);
}
END_TEST

START_TEST(key_bar_and_help)
{
	struct rulebook *rb = builtin();
	struct tui_keymap map;
	char bar[1024];
	ck_assert(tui_keymap_build(&map, rb));
	tui_keymap_bar(&map, TUI_SCOPE_DESK, 98, NULL, bar, sizeof(bar));
	/* Not every category fits: ? says it shows all keys. */
	ck_assert_str_eq(bar,
	                 "l 迟到  A 旷工 │ / find agent  u undo  "
	                 "x void entry  R month review  ? all keys  q quit");
	ck_assert_uint_le(text_width(bar), 98);
	/* Wider: more categories; every width is respected. */
	tui_keymap_bar(&map, TUI_SCOPE_DESK, 140, NULL, bar, sizeof(bar));
	ck_assert_ptr_nonnull(strstr(bar, "c 服务态度"));
	for (size_t w = 10; w < 200; w += 7) {
		tui_keymap_bar(&map, TUI_SCOPE_DESK, w, NULL, bar, sizeof(bar));
		ck_assert_uint_le(text_width(bar), w);
	}
	tui_keymap_bar(&map, TUI_SCOPE_PROMPT, 98, NULL, bar, sizeof(bar));
	ck_assert_str_eq(bar, "Esc back / cancel  Enter save");

	/* Help: one line per action, its keys together; category lines. */
	char line[256];
	size_t up = 0, lines = 0;
	for (size_t i = 0; i < map.count; i++) {
		if (!tui_keymap_help_line(&map, i, TUI_SCOPE_DESK, 12, line,
		                          sizeof(line)))
			continue;
		lines++;
		if (map.keys[i].action == TUI_ACT_UP) {
			up++;
			ck_assert_str_eq(line, "k Up          move up");
		}
		if (map.keys[i].category == 0)
			ck_assert_str_eq(line, "l             迟到/早退");
		if (map.keys[i].action == TUI_ACT_RELOAD)
			ck_assert_str_eq(line, "F5 ^R         reload rulebook");
	}
	ck_assert_uint_eq(up, 1);
	/* 14 categories and 21 desk actions (appeal among them). */
	ck_assert_uint_eq(lines, rb->category_count + 24);
	/* The review's key bar: its own keys, then the full screens'. */
	tui_keymap_bar(&map, TUI_SCOPE_VIEW | TUI_SCOPE_REVIEW, 98, NULL, bar,
	               sizeof(bar));
	ck_assert_str_eq(bar, "S settle an appeal  P presentation mode  "
	                      "C close month  E export  Esc back / cancel");
	tui_keymap_bar(&map, TUI_SCOPE_CONFIRM, 98, NULL, bar, sizeof(bar));
	ck_assert_str_eq(bar, "y yes  n no  Esc back / cancel");
	/* The help screen's plain full screens do not list review keys. */
	ck_assert_ptr_null(tui_keymap_find(&map, TUI_SCOPE_VIEW, 'C', false));
	tui_keymap_finish(&map);
	rulebook_destroy(rb);
}
END_TEST

/* `!` appeals on the desk and in the review, F2 too; a rulebook that
 * makes `!` a category hotkey keeps it, and F2 still appeals. */
START_TEST(appeal_key_gives_way)
{
	struct rulebook *rb = builtin();
	struct tui_keymap map;
	ck_assert(tui_keymap_build(&map, rb));
	ck_assert_int_eq(
	    tui_keymap_find(&map, TUI_SCOPE_DESK, '!', false)->action,
	    TUI_ACT_APPEAL);
	ck_assert_int_eq(
	    tui_keymap_find(&map, TUI_SCOPE_REVIEW, '!', false)->action,
	    TUI_ACT_APPEAL);
	ck_assert_int_eq(
	    tui_keymap_find(&map, TUI_SCOPE_DESK, KEY_F(2), true)->action,
	    TUI_ACT_APPEAL);
	/* No default hotkey is a key the review binds on the desk. */
	for (size_t c = 0; c < rb->category_count; c++)
		ck_assert_int_eq(
		    tui_keymap_find(&map, TUI_SCOPE_DESK,
		                    (wint_t)rb->categories[c].hotkey, false)
		        ->action,
		    TUI_ACT_LOG);
	tui_keymap_finish(&map);
	rb->categories[0].hotkey = '!';
	ck_assert(tui_keymap_build(&map, rb));
	const struct tui_key *k =
	    tui_keymap_find(&map, TUI_SCOPE_DESK, '!', false);
	ck_assert_int_eq(k->action, TUI_ACT_LOG);
	ck_assert_int_eq(k->category, 0);
	ck_assert_int_eq(
	    tui_keymap_find(&map, TUI_SCOPE_REVIEW, '!', false)->action,
	    TUI_ACT_APPEAL);
	ck_assert_int_eq(
	    tui_keymap_find(&map, TUI_SCOPE_DESK, KEY_F(2), true)->action,
	    TUI_ACT_APPEAL);
	char line[256];
	for (size_t i = 0; i < map.count; i++)
		if (map.keys[i].action == TUI_ACT_APPEAL &&
		    tui_keymap_help_line(&map, i, TUI_SCOPE_DESK, 12, line,
		                         sizeof(line)))
			ck_assert_str_eq(line, "F2            appeal an entry");
	tui_keymap_finish(&map);
	rulebook_destroy(rb);
}
END_TEST

/* The review's bar chart: eighths of a row, rounded, clamped. */
START_TEST(bar_chart_scale)
{
	ck_assert_int_eq(tui_bar_eighths(11000, 11000, 8), 64);
	ck_assert_int_eq(tui_bar_eighths(12000, 11000, 8), 64);
	ck_assert_int_eq(tui_bar_eighths(0, 11000, 8), 0);
	ck_assert_int_eq(tui_bar_eighths(-500, 11000, 8), 0);
	/* 86.00 of 110 on 8 rows: 50.04 eighths -> 50. */
	ck_assert_int_eq(tui_bar_eighths(8600, 11000, 8), 50);
	/* 5500 of 11000 on 3 rows: exactly 12. */
	ck_assert_int_eq(tui_bar_eighths(5500, 11000, 3), 12);
	/* Half an eighth rounds up: 1/48 of the scale on 3 rows. */
	ck_assert_int_eq(tui_bar_eighths(1, 48, 3), 1);
	ck_assert_int_eq(tui_bar_eighths(100, 100, 0), 0);
	ck_assert_int_eq(tui_bar_eighths(100, 0, 8), 0);
}
END_TEST

START_TEST(layout_sizes)
{
	struct tui_layout l;
	tui_layout_compute(10, 40, &l);
	ck_assert_int_eq(l.mode, TUI_LAYOUT_TOO_SMALL);
	tui_layout_compute(16, 59, &l);
	ck_assert_int_eq(l.mode, TUI_LAYOUT_TOO_SMALL);
	tui_layout_compute(15, 100, &l);
	ck_assert_int_eq(l.mode, TUI_LAYOUT_TOO_SMALL);
	tui_layout_compute(16, 60, &l);
	ck_assert_int_eq(l.mode, TUI_LAYOUT_STACKED);
	tui_layout_compute(30, 100, &l);
	ck_assert_int_eq(l.mode, TUI_LAYOUT_COLUMNS);
	ck_assert_int_eq(l.panes[TUI_PANE_ROSTER].w, 27);
	ck_assert_int_eq(l.panes[TUI_PANE_LOG].x, 27);
	ck_assert_int_eq(l.panes[TUI_PANE_LOG].w, 41);
	ck_assert_int_eq(l.panes[TUI_PANE_BOARD].x, 68);
	ck_assert_int_eq(l.panes[TUI_PANE_BOARD].w, 32);
	ck_assert_int_eq(l.status.y, 28);
	ck_assert_int_eq(l.keybar.y, 29);
	ck_assert_int_eq(l.panes[TUI_PANE_ROSTER].h, 27);
	/* Every size from the minimum up: panes inside the terminal, not
	 * overlapping the title, status or key bar, widths adding up. */
	for (int rows = TUI_MIN_ROWS; rows < 70; rows++)
		for (int cols = TUI_MIN_COLS; cols < 260; cols += 3) {
			tui_layout_compute(rows, cols, &l);
			ck_assert_int_ne(l.mode, TUI_LAYOUT_TOO_SMALL);
			for (int p = 0; p < TUI_PANES; p++) {
				const struct tui_rect *r = &l.panes[p];
				ck_assert_int_ge(r->y, 1);
				ck_assert_int_le(r->y + r->h, rows - 2);
				ck_assert_int_ge(r->x, 0);
				ck_assert_int_le(r->x + r->w, cols);
				ck_assert_int_ge(r->h, 3);
				ck_assert_int_ge(r->w, 20);
			}
		}
}
END_TEST

START_TEST(scrolling)
{
	ck_assert_uint_eq(tui_scroll_top(0, 0, 5, 10), 0);
	ck_assert_uint_eq(tui_scroll_top(0, 12, 20, 10), 3);
	ck_assert_uint_eq(tui_scroll_top(5, 2, 20, 10), 2);
	ck_assert_uint_eq(tui_scroll_top(15, 19, 20, 10), 10);
	ck_assert_uint_eq(tui_scroll_top(8, 9, 12, 10), 2);
	ck_assert_uint_eq(tui_scroll_top(3, 0, 0, 10), 0);
}
END_TEST

START_TEST(field_wide_characters)
{
	struct tui_field f;
	tui_field_init(&f, 20, NULL);
	ck_assert(tui_field_insert(&f, 0x8BA2)); /* 订 */
	ck_assert(tui_field_insert(&f, 0x5355)); /* 单 */
	ck_assert(tui_field_insert(&f, '7'));
	ck_assert(tui_field_insert(&f, 0x1F600)); /* 😀 */
	ck_assert_str_eq(f.text, "订单7😀");
	ck_assert_uint_eq(f.len, 11);
	/* Backspace takes whole characters: 4, 1, 3, 3 bytes. */
	ck_assert(tui_field_backspace(&f));
	ck_assert_str_eq(f.text, "订单7");
	ck_assert(tui_field_backspace(&f));
	ck_assert(tui_field_backspace(&f));
	ck_assert_str_eq(f.text, "订");
	ck_assert(tui_field_backspace(&f));
	ck_assert_str_eq(f.text, "");
	ck_assert(!tui_field_backspace(&f));
	/* No control characters, no surrogates. */
	ck_assert(!tui_field_insert(&f, '\n'));
	ck_assert(!tui_field_insert(&f, 0x7f));
	ck_assert(!tui_field_insert(&f, 0xD800));
	ck_assert(!tui_field_insert(&f, 0x110000));
	/* The byte limit never splits a character. */
	tui_field_init(&f, 5, NULL);
	ck_assert(tui_field_insert(&f, 0x5F20));  /* 张: 3 bytes */
	ck_assert(!tui_field_insert(&f, 0x4F1F)); /* 伟 would make 6 */
	ck_assert(tui_field_insert(&f, 'a'));
	ck_assert_str_eq(f.text, "张a");
	tui_field_init(&f, 4, "张伟");
	ck_assert_str_eq(f.text, "张");
	/* The visible tail in a narrow box. */
	tui_field_init(&f, 100, "订单号2026");
	ck_assert_str_eq(tui_field_visible(&f, 7), "号2026");
	ck_assert_str_eq(tui_field_visible(&f, 5), "2026");
	ck_assert_str_eq(tui_field_visible(&f, 50), "订单号2026");
}
END_TEST

/* The score column starts at the same cell whatever the name. */
START_TEST(rows_align_in_cells)
{
	const char *names[] = {"张伟",         "李娜娜", "欧阳娜娜",
	                       "😀乐乐",        "Ann",    "阿卜杜热合曼·买买提",
	                       "e\xcc\x81mile"};
	size_t score_cell = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char row[256] = "";
		const char *texts[] = {"1", names[i], "96.50", "A"};
		const size_t widths[] = {2, 10, 6, 1};
		const bool right[] = {true, false, true, false};
		tui_format_row(row, sizeof(row), 4, texts, widths, right);
		ck_assert_uint_eq(text_width(row), 2 + 1 + 10 + 1 + 6 + 1 + 1);
		const char *score = strstr(row, "96.50");
		ck_assert_ptr_nonnull(score);
		char head[256];
		memcpy(head, row, (size_t)(score - row));
		head[score - row] = '\0';
		if (i == 0)
			score_cell = text_width(head);
		ck_assert_uint_eq(text_width(head), score_cell);
	}
	ck_assert_uint_eq(score_cell, 15);
	/* A name cut at 10 cells: 阿卜杜热合 (10), never half a character. */
	char row[256] = "";
	const char *texts[] = {"阿卜杜热合曼", "x"};
	const size_t widths[] = {9, 1};
	tui_format_row(row, sizeof(row), 2, texts, widths, NULL);
	ck_assert_str_eq(row, "阿卜杜热  x");
	/* A zero width skips the column and its separator. */
	row[0] = '\0';
	const char *t3[] = {"a", "b", "c"};
	const size_t w3[] = {1, 0, 1};
	tui_format_row(row, sizeof(row), 3, t3, w3, NULL);
	ck_assert_str_eq(row, "a c");
	ck_assert_uint_eq(tui_flex_width(30, 20, 4, 12), 10);
	ck_assert_uint_eq(tui_flex_width(30, 28, 4, 12), 4);
	ck_assert_uint_eq(tui_flex_width(80, 20, 4, 12), 12);
}
END_TEST

/* The desk follows the date at midnight (a desk back-filling another day
 * stays there) and sees another connection's commit on the next tick. */
START_TEST(midnight_and_other_desk)
{
	char dir[] = "/tmp/check-tui-XXXXXX", path[64], err[256];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/k.db", dir);
	kd_date nov30, dec1, hired;
	ck_assert(date_from_ymd(2026, 11, 30, &nov30));
	ck_assert(date_from_ymd(2026, 12, 1, &dec1));
	ck_assert(date_from_ymd(2025, 1, 1, &hired));
	clock_set_fixed((time_t)nov30 * 86400 + 86399); /* 23:59:59 UTC */

	struct tui *tui = calloc(1, sizeof(*tui));
	ck_assert_ptr_nonnull(tui);
	tui->rb = tui->app.rb = builtin();
	ck_assert_int_eq(store_open(path, &tui->app.st, err, sizeof(err)),
	                 KD_OK);
	struct store *other = NULL;
	ck_assert_int_eq(store_open(path, &other, err, sizeof(err)), KD_OK);
	int64_t id;
	ck_assert_int_eq(store_agent_add(other, "张伟", NULL, "presales", hired,
	                                 "junior", date_month(hired), &id),
	                 KD_OK);
	ck_assert(app_data_version(&tui->app, &tui->data_version));
	tui->desk.today = tui->desk.log_date = clock_today();
	tui->desk.board_month = date_month(tui->desk.today);
	ck_assert(tui_desk_reload(tui));
	ck_assert_int_eq(tui->desk.log_date, nov30);
	ck_assert_uint_eq(tui->desk.agents.count, 1);
	ck_assert_uint_eq(tui_desk_tick(tui), 0);

	/* Another desk commits: the next tick reloads. */
	ck_assert_int_eq(
	    store_event_add(other, id, nov30, "praise", 1, NULL, &id), KD_OK);
	ck_assert_uint_eq(tui_desk_tick(tui) & TUI_REDRAW, TUI_REDRAW);
	ck_assert_uint_eq(tui->desk.day_count, 1);
	ck_assert_int_eq(tui->desk.board.result->agents[0].score_cp, 8200);

	/* Midnight: the log and the board move to the new day and month. */
	clock_set_fixed((time_t)dec1 * 86400 + 1);
	ck_assert_uint_eq(tui_desk_tick(tui) & TUI_REDRAW, TUI_REDRAW);
	ck_assert_int_eq(tui->desk.today, dec1);
	ck_assert_int_eq(tui->desk.log_date, dec1);
	ck_assert_int_eq(tui->desk.board_month, date_month(dec1));
	ck_assert_uint_eq(tui->desk.day_count, 0);
	ck_assert_int_eq(tui->desk.board.result->agents[0].score_cp, 8000);

	/* Back-filling the 30th when the next midnight comes: it stays. */
	tui->desk.log_date = nov30;
	clock_set_fixed((time_t)(dec1 + 1) * 86400 + 1);
	tui_desk_tick(tui);
	ck_assert_int_eq(tui->desk.today, dec1 + 1);
	ck_assert_int_eq(tui->desk.log_date, nov30);

	clock_set_fixed((time_t)-1);
	tui_desk_finish(&tui->desk);
	store_close(other);
	app_finish(&tui->app);
	free(tui);
	unlink(path);
	char side[80];
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	rmdir(dir);
}
END_TEST

/* Every kd_status message and the store's words a lead meets at the
 * desk read in Chinese under zh_CN (the catalogue built next to this
 * program: build/po). */
START_TEST(failures_in_chinese)
{
	static const enum kd_status all[] = {
#define STATUS_CODE(name, exit_code, message) name,
	    KD_STATUS_LIST(STATUS_CODE)
#undef STATUS_CODE
	};
	char exe[4096], dir[4200], buf[256];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ck_assert_int_gt(n, 0);
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	snprintf(dir, sizeof(dir), "%s/../po", exe);
	bindtextdomain(TUI_DOMAIN, dir);
	bind_textdomain_codeset(TUI_DOMAIN, "UTF-8");
	setenv("LANGUAGE", "zh_CN", 1);
	setlocale(LC_ALL, "C.UTF-8");
	for (size_t i = 0; i < sizeof(all) / sizeof(*all); i++) {
		const char *en = kd_status_message(all[i]);
		const char *zh = tui_status_text(all[i]);
		ck_assert_msg(strcmp(en, zh) != 0 && text_width(zh) > 0,
		              "no Chinese for the status \"%s\"", en);
	}
	ck_assert_str_eq(tui_status_text(KD_ERR_DB), "数据库出错");
	ck_assert_str_eq(
	    tui_failure_text("database is busy: another kpidesk "
	                     "kept it locked for over 5 s: /d/k.db",
	                     buf, sizeof(buf)),
	    "数据库正忙:另一个 kpidesk 锁住它已超过 5 秒:/d/k.db");
	ck_assert_str_eq(tui_failure_text("database is read-only: /d/k.db", buf,
	                                  sizeof(buf)),
	                 "数据库只读:/d/k.db");
	ck_assert_str_eq(tui_failure_text("disk full: cannot write /d/k.db",
	                                  buf, sizeof(buf)),
	                 "磁盘已满:无法写入 /d/k.db");
	ck_assert_str_eq(tui_failure_text("out of memory", buf, sizeof(buf)),
	                 "内存不足");
	/* Words the desk does not know stay as they are. */
	ck_assert_str_eq(
	    tui_failure_text("cannot open /d/k.db (x)", buf, sizeof(buf)),
	    "cannot open /d/k.db (x)");
	struct app_refusal why = {.code = APP_FAILED, .status = KD_ERR_IO};
	ck_assert_str_eq(tui_refusal_text(&why, buf, sizeof(buf)), "读写出错");
	/* The last test: gettext keeps what it found for this process. */
	unsetenv("LANGUAGE");
}
END_TEST

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	setlocale(LC_ALL, "C.UTF-8");
	Suite *s = suite_create("tui");
	TCase *tc = tcase_create("tui");
	tcase_add_test(tc, keymap_dispatch);
	tcase_add_test(tc, key_normalise_and_names);
	tcase_add_test(tc, short_labels);
	tcase_add_test(tc, key_bar_and_help);
	tcase_add_test(tc, distinct_labels);
	tcase_add_test(tc, key_bar_order_and_state);
	tcase_add_test(tc, appeal_key_gives_way);
	tcase_add_test(tc, bar_chart_scale);
	tcase_add_test(tc, layout_sizes);
	tcase_add_test(tc, scrolling);
	tcase_add_test(tc, field_wide_characters);
	tcase_add_test(tc, rows_align_in_cells);
	tcase_add_test(tc, midnight_and_other_desk);
	tcase_add_test(tc, failures_in_chinese);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
