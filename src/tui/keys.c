/* The key table: dispatch, help and key bar all read it (keys.h). */
#include "keys.h"

#include <curses.h>
#include <libintl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpidesk/text.h"

#define N_(s)   (s)
#define KEY_ESC 27
#define KEY_DEL 0x7f
#define CTRL(c) ((c)&0x1f)

enum {
	DESK = TUI_SCOPE_DESK,
	VIEW = TUI_SCOPE_VIEW,
	PROMPT = TUI_SCOPE_PROMPT,
	FORM = TUI_SCOPE_FORM,
	WELCOME = TUI_SCOPE_WELCOME,
	REVIEW = TUI_SCOPE_REVIEW,
	CONFIRM = TUI_SCOPE_CONFIRM,
};

/* The built-in keys, in the order the help screen and the key bar show
 * them. PRODUCT.md reserves q ? u x / j k a e R T [ ] < >, Tab, Enter,
 * Esc, the arrows and the function keys; the reload key is F5 (and ^R),
 * which no rulebook hotkey (printable ASCII) can take. */
static const struct tui_key builtin_keys[] = {
    /* action, name, key, code, label, translate, scopes, in_bar, cat */
    {TUI_ACT_UP, "up", 'k', false, N_("move up"), true, DESK | VIEW, false, -1},
    {TUI_ACT_UP, "up", KEY_UP, true, N_("move up"), true, DESK | VIEW, false,
     -1},
    {TUI_ACT_DOWN, "down", 'j', false, N_("move down"), true, DESK | VIEW,
     false, -1},
    {TUI_ACT_DOWN, "down", KEY_DOWN, true, N_("move down"), true, DESK | VIEW,
     false, -1},
    {TUI_ACT_PAGE_UP, "page_up", KEY_PPAGE, true, N_("page up"), true,
     DESK | VIEW, false, -1},
    {TUI_ACT_PAGE_DOWN, "page_down", KEY_NPAGE, true, N_("page down"), true,
     DESK | VIEW, false, -1},
    {TUI_ACT_FIRST, "first", 'g', false, N_("first row"), true, DESK | VIEW,
     false, -1},
    {TUI_ACT_FIRST, "first", KEY_HOME, true, N_("first row"), true, DESK | VIEW,
     false, -1},
    {TUI_ACT_LAST, "last", 'G', false, N_("last row"), true, DESK | VIEW, false,
     -1},
    {TUI_ACT_LAST, "last", KEY_END, true, N_("last row"), true, DESK | VIEW,
     false, -1},
    {TUI_ACT_NEXT_PANE, "next_pane", '\t', false, N_("next pane"), true, DESK,
     false, -1},
    {TUI_ACT_DETAILS, "details", '\n', false, N_("entry details"), true, DESK,
     false, -1},
    {TUI_ACT_FIND, "find", '/', false, N_("find agent"), true, DESK, true, -1},
    {TUI_ACT_UNDO, "undo", 'u', false, N_("undo"), true, DESK, true, -1},
    {TUI_ACT_VOID, "void", 'x', false, N_("void entry"), true, DESK, true, -1},
    {TUI_ACT_DAY_PREV, "day_prev", '[', false, N_("previous day"), true, DESK,
     false, -1},
    {TUI_ACT_DAY_NEXT, "day_next", ']', false, N_("next day"), true, DESK,
     false, -1},
    {TUI_ACT_TODAY, "today", 'T', false, N_("today"), true, DESK, false, -1},
    {TUI_ACT_MONTH_PREV, "month_prev", '<', false, N_("previous month"), true,
     DESK | VIEW, false, -1},
    {TUI_ACT_MONTH_NEXT, "month_next", '>', false, N_("next month"), true,
     DESK | VIEW, false, -1},
    {TUI_ACT_AGENT_ADD, "agent_add", 'a', false, N_("add agent"), true,
     DESK | WELCOME, false, -1},
    {TUI_ACT_AGENT_EDIT, "agent_edit", 'e', false, N_("edit agent"), true, DESK,
     false, -1},
    {TUI_ACT_DEMO, "demo", 'd', false, N_("load demo data"), true, WELCOME,
     false, -1},
    {TUI_ACT_REVIEW, "review", 'R', false, N_("month review"), true, DESK, true,
     -1},
    /* Not reserved: a rulebook hotkey `!` takes it on the desk
     * (tui_keymap_build), F2 always works. */
    {TUI_ACT_APPEAL, "appeal", '!', false, N_("appeal an entry"), true,
     DESK | REVIEW, false, -1},
    {TUI_ACT_APPEAL, "appeal", KEY_F(2), true, N_("appeal an entry"), true,
     DESK | REVIEW, false, -1},
    {TUI_ACT_RESOLVE, "resolve", 'S', false, N_("settle an appeal"), true,
     REVIEW, true, -1},
    {TUI_ACT_PRESENT, "present", 'P', false, N_("presentation mode"), true,
     REVIEW, true, -1},
    {TUI_ACT_CLOSE_MONTH, "close_month", 'C', false, N_("close month"), true,
     REVIEW, true, -1},
    {TUI_ACT_REOPEN_MONTH, "reopen_month", 'O', false, N_("reopen month"), true,
     REVIEW, false, -1},
    {TUI_ACT_EXPORT, "export", 'E', false, N_("export"), true, REVIEW, true,
     -1},
    {TUI_ACT_RELOAD, "reload", KEY_F(5), true, N_("reload rulebook"), true,
     DESK | VIEW, false, -1},
    {TUI_ACT_RELOAD, "reload", CTRL('r'), false, N_("reload rulebook"), true,
     DESK | VIEW, false, -1},
    {TUI_ACT_REDRAW, "redraw", CTRL('l'), false, N_("redraw the screen"), true,
     DESK | VIEW | WELCOME, false, -1},
    {TUI_ACT_HELP, "help", '?', false, N_("help"), true, DESK | WELCOME, true,
     -1},
    {TUI_ACT_QUIT, "quit", 'q', false, N_("quit"), true, DESK | WELCOME, true,
     -1},
    {TUI_ACT_YES, "yes", 'y', false, N_("yes"), true, CONFIRM, true, -1},
    {TUI_ACT_NO, "no", 'n', false, N_("no"), true, CONFIRM, true, -1},
    {TUI_ACT_BACK, "back", KEY_ESC, false, N_("back / cancel"), true,
     VIEW | PROMPT | CONFIRM, true, -1},
    {TUI_ACT_BACK, "back", 'q', false, N_("back / cancel"), true, VIEW, false,
     -1},
    {TUI_ACT_BACK, "back", '?', false, N_("back / cancel"), true, VIEW, false,
     -1},
    {TUI_ACT_SUBMIT, "submit", '\n', false, N_("save"), true, PROMPT, true, -1},
    {TUI_ACT_ERASE, "erase", KEY_DEL, false, N_("delete a character"), true,
     PROMPT, false, -1},
    {TUI_ACT_FIELD_NEXT, "field_next", '\t', false, N_("next field"), true,
     FORM, true, -1},
    {TUI_ACT_FIELD_NEXT, "field_next", KEY_DOWN, true, N_("next field"), true,
     FORM, false, -1},
    {TUI_ACT_FIELD_PREV, "field_prev", KEY_BTAB, true, N_("previous field"),
     true, FORM, false, -1},
    {TUI_ACT_FIELD_PREV, "field_prev", KEY_UP, true, N_("previous field"), true,
     FORM, false, -1},
    {TUI_ACT_CHOICE_PREV, "choice_prev", KEY_LEFT, true, N_("previous tier"),
     true, FORM, false, -1},
    {TUI_ACT_CHOICE_NEXT, "choice_next", KEY_RIGHT, true, N_("next tier"), true,
     FORM, false, -1},
};

#define BUILTIN_COUNT (sizeof(builtin_keys) / sizeof(builtin_keys[0]))

bool tui_keymap_build(struct tui_keymap *map, const struct rulebook *rb)
{
	size_t cats = rb ? rb->category_count : 0;
	map->count = 0;
	map->keys = calloc(BUILTIN_COUNT + cats, sizeof(*map->keys));
	if (!map->keys)
		return false;
	/* Categories first: they are what the lead presses all day, and a
	 * rulebook hotkey can never equal a reserved key (the loader refuses
	 * it), so the order changes no binding. */
	for (size_t i = 0; i < cats; i++) {
		const struct rb_category *cat = &rb->categories[i];
		map->keys[map->count++] = (struct tui_key){
		    .action = TUI_ACT_LOG,
		    .name = cat->key,
		    .key = (wint_t)(unsigned char)cat->hotkey,
		    .code = false,
		    .label = cat->label,
		    .translate = false,
		    .scopes = TUI_SCOPE_DESK,
		    .in_bar = true,
		    .category = (int)i,
		};
	}
	for (size_t i = 0; i < BUILTIN_COUNT; i++) {
		struct tui_key k = builtin_keys[i];
		if ((k.scopes & DESK) && !k.code && k.key < 0x80 && rb &&
		    rulebook_category_by_hotkey(rb, (char)k.key))
			k.scopes &= ~(unsigned)DESK;
		if (k.scopes)
			map->keys[map->count++] = k;
	}
	return true;
}

void tui_keymap_finish(struct tui_keymap *map)
{
	free(map->keys);
	map->keys = NULL;
	map->count = 0;
}

void tui_key_normalise(wint_t *key, bool *code)
{
	if (*code && *key == KEY_ENTER) {
		*key = '\n';
		*code = false;
	} else if (*code && *key == KEY_BACKSPACE) {
		*key = KEY_DEL;
		*code = false;
	} else if (!*code && *key == '\r') {
		*key = '\n';
	} else if (!*code && *key == 0x08) {
		*key = KEY_DEL;
	}
}

const struct tui_key *tui_keymap_find(const struct tui_keymap *map,
                                      unsigned scope, wint_t key, bool code)
{
	for (size_t i = 0; i < map->count; i++) {
		const struct tui_key *k = &map->keys[i];
		if ((k->scopes & scope) && k->key == key && k->code == code)
			return k;
	}
	return NULL;
}

const struct tui_key *tui_keymap_for_action(const struct tui_keymap *map,
                                            unsigned scope,
                                            enum tui_action action)
{
	for (size_t i = 0; i < map->count; i++)
		if ((map->keys[i].scopes & scope) &&
		    map->keys[i].action == action)
			return &map->keys[i];
	return NULL;
}

void tui_key_name(wint_t key, bool code, char *buf, size_t size)
{
	static const struct {
		wint_t key;
		bool code;
		const char *name;
	} names[] = {
	    {'\t', false, "Tab"},       {'\n', false, "Enter"},
	    {KEY_ESC, false, "Esc"},    {KEY_DEL, false, "Backspace"},
	    {' ', false, "Space"},      {KEY_UP, true, "Up"},
	    {KEY_DOWN, true, "Down"},   {KEY_LEFT, true, "Left"},
	    {KEY_RIGHT, true, "Right"}, {KEY_PPAGE, true, "PgUp"},
	    {KEY_NPAGE, true, "PgDn"},  {KEY_BTAB, true, "Shift-Tab"},
	    {KEY_HOME, true, "Home"},   {KEY_END, true, "End"},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].key == key && names[i].code == code) {
			snprintf(buf, size, "%s", names[i].name);
			return;
		}
	if (code && key >= (wint_t)KEY_F(1) && key <= (wint_t)KEY_F(63))
		snprintf(buf, size, "F%d", (int)(key - KEY_F0));
	else if (code)
		snprintf(buf, size, "key%u", (unsigned)key);
	else if (key < 0x20)
		snprintf(buf, size, "^%c", (char)(key + '@'));
	else if (key < 0x80)
		snprintf(buf, size, "%c", (char)key);
	else
		snprintf(buf, size, "U+%04X", (unsigned)key);
}

const char *tui_key_label(const struct tui_key *key)
{
	return key->translate ? dgettext(TUI_DOMAIN, key->label) : key->label;
}

void tui_short_label(const char *label, size_t cells, char *buf, size_t size)
{
	static const char *const stops[] = {"/", "(", "\xef\xbc\x88" /* （ */,
	                                    "\xef\xbc\x8f" /* ／ */};
	size_t len = strlen(label);
	for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
		const char *p = strstr(label, stops[i]);
		if (p && p != label && (size_t)(p - label) < len)
			len = (size_t)(p - label);
	}
	char head[256];
	if (len >= sizeof(head))
		len = sizeof(head) - 1;
	memcpy(head, label, len);
	head[len] = '\0';
	size_t fit = text_fit(head, cells, NULL);
	head[fit] = '\0';
	snprintf(buf, size, "%s", head);
}

/* The plain cut of label i: whole, short or head, to `cells`. */
static void label_plain(const char *label, const char *brief, size_t cells,
                        char *buf, size_t size)
{
	if (text_width(label) <= cells) {
		snprintf(buf, size, "%s", label);
		return;
	}
	if (brief && brief[0] && text_width(brief) <= cells) {
		snprintf(buf, size, "%s", brief);
		return;
	}
	tui_short_label(label, cells, buf, size);
}

/* The index (in code points) of the first code point where a and b
 * differ; the length of the shorter when one starts the other. */
static size_t first_difference(const char *a, const char *b)
{
	size_t k = 0;
	for (;;) {
		uint32_t ca = 0, cb = 0;
		size_t na = *a ? text_decode(a, strlen(a), &ca) : 0;
		size_t nb = *b ? text_decode(b, strlen(b), &cb) : 0;
		if (!na || !nb || ca != cb || na != nb)
			return k;
		a += na;
		b += nb;
		k++;
	}
}

char *tui_label_fit(const char *const *labels, const char *const *shorts,
                    size_t n, size_t i, size_t cells, char *buf, size_t size)
{
	char other[256];
	const char *label = labels[i] ? labels[i] : "";
	label_plain(label, shorts ? shorts[i] : NULL, cells, buf, size);
	size_t k = 0;
	bool clash = false;
	for (size_t j = 0; j < n; j++) {
		if (j == i || !labels[j] || !strcmp(labels[j], label))
			continue;
		label_plain(labels[j], shorts ? shorts[j] : NULL, cells, other,
		            sizeof(other));
		if (strcmp(other, buf) != 0)
			continue;
		clash = true;
		size_t d = first_difference(label, labels[j]);
		if (d > k)
			k = d;
	}
	if (!clash)
		return buf;
	/* The k-th character tells them apart: as much of the start as
	 * fits before it, then it. */
	const char *p = label;
	for (size_t c = 0; c < k && *p; c++)
		p += text_decode(p, strlen(p), &(uint32_t){0});
	uint32_t cp = 0;
	size_t len = *p ? text_decode(p, strlen(p), &cp) : 0;
	int w = len ? text_char_width(cp) : 0;
	if (len && w > 0 && (size_t)w < cells) {
		size_t head = text_fit(label, cells - (size_t)w, NULL);
		if (head > (size_t)(p - label))
			head = (size_t)(p - label);
		snprintf(buf, size, "%.*s%.*s", (int)head, label, (int)len, p);
		return buf;
	}
	/* No such character fits: a number. */
	char num[24];
	snprintf(num, sizeof(num), "%zu", i + 1);
	size_t nw = strlen(num);
	size_t head = cells > nw ? text_fit(label, cells - nw, NULL) : 0;
	snprintf(buf, size, "%.*s%s", (int)head, label, num);
	return buf;
}

/* Appends "KEY label" to buf when it fits in `cells` together with what is
 * there (measured in cells); returns false when it did not fit. */
static bool bar_append(char *buf, size_t size, size_t cells, const char *sep,
                       const char *key_name, const char *label)
{
	char item[160];
	snprintf(item, sizeof(item), "%s%s %s", buf[0] ? sep : "", key_name,
	         label);
	if (text_width(buf) + text_width(item) > cells ||
	    strlen(buf) + strlen(item) >= size)
		return false;
	strcat(buf, item);
	return true;
}

/* Records where the item just appended to buf (of `offset` cells before
 * it in the bar) lies, for k. */
static void bar_hit(struct tui_bar_options *o, const char *buf,
                    const char *key_name, const char *label, size_t offset,
                    const struct tui_key *k)
{
	if (!o || !o->hits || o->hit_count >= o->hit_cap)
		return;
	char item[160];
	snprintf(item, sizeof(item), "%s %s", key_name, label);
	size_t end = text_width(buf), w = text_width(item);
	o->hits[o->hit_count++] = (struct tui_bar_hit){.from = offset + end - w,
	                                               .to = offset + end,
	                                               .key = k->key,
	                                               .code = k->code};
}

/* The key of category c in scope, or NULL. */
static const struct tui_key *category_key(const struct tui_keymap *map,
                                          unsigned scope, size_t c)
{
	for (size_t i = 0; i < map->count; i++) {
		const struct tui_key *k = &map->keys[i];
		if ((k->scopes & scope) && k->in_bar && k->category >= 0 &&
		    (size_t)k->category == c)
			return k;
	}
	return NULL;
}

static void bar_right(const struct tui_keymap *map, unsigned scope,
                      struct tui_bar_options *o, bool all, char *right,
                      size_t size, size_t offset)
{
	char name[32];
	right[0] = '\0';
	for (size_t i = 0; i < map->count; i++) {
		const struct tui_key *k = &map->keys[i];
		unsigned long long bit = 1ull << k->action;
		bool shown = k->in_bar || (o && (o->show & bit));
		if (!(k->scopes & scope) || !shown || k->category >= 0 ||
		    (o && (o->hide & bit)))
			continue;
		/* One key per action (the first). */
		if (tui_keymap_for_action(map, scope, k->action) != k)
			continue;
		tui_key_name(k->key, k->code, name, sizeof(name));
		const char *label = tui_key_label(k);
		if (k->action == TUI_ACT_HELP && !all)
			label = dgettext(TUI_DOMAIN, "all keys");
		if (bar_append(right, size, size, "  ", name, label))
			bar_hit(o, right, name, label, offset, k);
	}
}

char *tui_keymap_bar(const struct tui_keymap *map, unsigned scope, size_t cells,
                     struct tui_bar_options *o, char *buf, size_t size)
{
	char right[512] = "", left[512] = "", name[32], label[64];
	if (size == 0)
		return buf;
	buf[0] = '\0';
	size_t cats = 0;
	for (size_t i = 0; i < map->count; i++)
		if (map->keys[i].category >= 0 &&
		    (size_t)map->keys[i].category + 1 > cats)
			cats = (size_t)map->keys[i].category + 1;
	/* Room for the categories: measured with the longer right part. */
	size_t hits_cap = o ? o->hit_cap : 0;
	if (o)
		o->hit_cap = 0; /* this pass only measures */
	bar_right(map, scope, o, false, right, sizeof(right), 0);
	if (o)
		o->hit_cap = hits_cap;
	size_t right_cells = text_width(right);
	size_t room = cells > right_cells + 3 ? cells - right_cells - 3 : 0;
	bool all = true;
	size_t n = o && o->order ? o->order_count : cats;
	for (size_t j = 0; j < n; j++) {
		size_t c = o && o->order ? o->order[j] : j;
		const struct tui_key *k = category_key(map, scope, c);
		if (!k)
			continue;
		tui_key_name(k->key, k->code, name, sizeof(name));
		if (o && o->labels && o->labels[c])
			snprintf(label, sizeof(label), "%s", o->labels[c]);
		else
			tui_short_label(k->label, 8, label, sizeof(label));
		if (!bar_append(left, sizeof(left), room, "  ", name, label)) {
			all = false;
			break;
		}
		bar_hit(o, left, name, label, 0, k);
	}
	bar_right(map, scope, o, all, right, sizeof(right),
	          left[0] ? text_width(left) + 3 : 0);
	if (left[0])
		snprintf(buf, size, "%s \xe2\x94\x82 %s", left, right);
	else
		snprintf(buf, size, "%s", right);
	size_t fit = text_fit(buf, cells, NULL);
	buf[fit] = '\0';
	return buf;
}

bool tui_keymap_help_line(const struct tui_keymap *map, size_t i,
                          unsigned scope, size_t key_cells, char *buf,
                          size_t size)
{
	const struct tui_key *k = &map->keys[i];
	if (!(k->scopes & scope))
		return false;
	/* Category keys each have their own line; built-ins of one action
	 * share the line of the first. */
	if (k->category < 0)
		for (size_t j = 0; j < i; j++)
			if ((map->keys[j].scopes & scope) &&
			    map->keys[j].action == k->action &&
			    map->keys[j].category < 0)
				return false;
	char keys[96] = "", name[32];
	for (size_t j = i; j < map->count; j++) {
		const struct tui_key *o = &map->keys[j];
		if (j != i && (k->category >= 0 || o->category >= 0 ||
		               !(o->scopes & scope) || o->action != k->action))
			continue;
		tui_key_name(o->key, o->code, name, sizeof(name));
		if (strlen(keys) + strlen(name) + 2 >= sizeof(keys))
			break;
		if (keys[0])
			strcat(keys, " ");
		strcat(keys, name);
		if (k->category >= 0)
			break;
	}
	if (size == 0)
		return true;
	buf[0] = '\0';
	size_t used = text_pad(buf, size, keys, key_cells, false);
	snprintf(buf + used, size - used, "  %s", tui_key_label(k));
	return true;
}
