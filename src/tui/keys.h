/* The key table of the shift desk (STYLE.md practice 3).
 *
 * One table of {action, name, default key, label} drives the dispatch of
 * every screen, the `?` help screen and the key bar; the rulebook's category
 * hotkeys join it when the keymap is built. Pure: no curses calls, so it is
 * unit-tested (tests/check-tui.c). Key codes are get_wch()'s: a character,
 * or a KEY_* code when `code` is true.
 */
#ifndef KPIDESK_TUI_KEYS_H
#define KPIDESK_TUI_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "kpidesk/rulebook.h"

/* The gettext domain of the UI text. */
#define TUI_DOMAIN "kpidesk"

enum tui_action {
	TUI_ACT_NONE,
	TUI_ACT_LOG, /* a category hotkey: log for the highlighted agent */
	TUI_ACT_UP,
	TUI_ACT_DOWN,
	TUI_ACT_PAGE_UP,
	TUI_ACT_PAGE_DOWN,
	TUI_ACT_NEXT_PANE,
	TUI_ACT_FIND,
	TUI_ACT_UNDO,
	TUI_ACT_VOID,
	TUI_ACT_DAY_PREV,
	TUI_ACT_DAY_NEXT,
	TUI_ACT_TODAY,
	TUI_ACT_MONTH_PREV,
	TUI_ACT_MONTH_NEXT,
	TUI_ACT_AGENT_ADD,
	TUI_ACT_AGENT_EDIT,
	TUI_ACT_REVIEW,
	TUI_ACT_HELP,
	TUI_ACT_RELOAD,
	TUI_ACT_REDRAW,
	TUI_ACT_QUIT,
	TUI_ACT_BACK,       /* leave a full screen or cancel a prompt */
	TUI_ACT_SUBMIT,     /* Enter in a prompt or form */
	TUI_ACT_ERASE,      /* Backspace: one whole character */
	TUI_ACT_FIELD_NEXT, /* the next field of a form */
	TUI_ACT_FIELD_PREV,
	TUI_ACT_CHOICE_PREV, /* the previous value of a choice field */
	TUI_ACT_CHOICE_NEXT,
	TUI_ACT_DEMO,         /* the welcome screen: load demo data */
	TUI_ACT_APPEAL,       /* appeal an event (the desk's log, the review) */
	TUI_ACT_RESOLVE,      /* the review: uphold or void an open appeal */
	TUI_ACT_PRESENT,      /* the review: presentation mode on or off */
	TUI_ACT_CLOSE_MONTH,  /* the review: close the month */
	TUI_ACT_REOPEN_MONTH, /* the review: reopen it with a reason */
	TUI_ACT_EXPORT,       /* the review: write it as csv, md or html */
	TUI_ACT_FIRST,        /* the first row of the list (Home, g) */
	TUI_ACT_LAST,         /* the last row (End, G) */
	TUI_ACT_DETAILS,      /* the log's selected entry in full (Enter) */
	TUI_ACT_YES,          /* a confirmation: go ahead */
	TUI_ACT_NO,           /* a confirmation: do not */
};

/* Where a key applies; a screen looks keys up in its own scope. */
enum tui_scope {
	TUI_SCOPE_DESK = 1u << 0,    /* the three panes */
	TUI_SCOPE_VIEW = 1u << 1,    /* full screens: help, review, errors */
	TUI_SCOPE_PROMPT = 1u << 2,  /* one-line prompts and forms */
	TUI_SCOPE_FORM = 1u << 3,    /* forms only */
	TUI_SCOPE_WELCOME = 1u << 4, /* the first start */
	TUI_SCOPE_REVIEW = 1u << 5,  /* the month review (with VIEW) */
	TUI_SCOPE_CONFIRM = 1u << 6, /* a yes/no question */
};

struct tui_key {
	enum tui_action action;
	const char *name; /* stable name: "quit", "category.late" */
	wint_t key;       /* a character, or a KEY_* code when `code` */
	bool code;
	const char *label; /* an English msgid, or the rulebook's label */
	bool translate;    /* label goes through gettext (not rulebook text) */
	unsigned scopes;   /* enum tui_scope bits */
	bool in_bar;       /* shown in the key bar */
	int category;      /* index into rb->categories for TUI_ACT_LOG */
};

/* The built-in keys followed by one TUI_ACT_LOG key per category. */
struct tui_keymap {
	size_t count;
	struct tui_key *keys;
};

/* Builds the keymap for a rulebook (rb may be NULL: built-ins only). A
 * built-in desk key that is not reserved (the appeal key `!`) gives way to
 * a rulebook hotkey on the same character: it is left out of the desk's
 * scope, and its other spelling (F2) stays. Returns false when out of
 * memory (the map is then empty). */
bool tui_keymap_build(struct tui_keymap *map, const struct rulebook *rb);
void tui_keymap_finish(struct tui_keymap *map);

/* Folds the spellings terminals send for one key into one: '\r' and
 * KEY_ENTER become '\n', KEY_BACKSPACE and ^H become DEL (0x7f). */
void tui_key_normalise(wint_t *key, bool *code);

/* The first key of `scope` bound to (key, code), or NULL. */
const struct tui_key *tui_keymap_find(const struct tui_keymap *map,
                                      unsigned scope, wint_t key, bool code);

/* The first key bound to `action` in `scope`, or NULL. */
const struct tui_key *tui_keymap_for_action(const struct tui_keymap *map,
                                            unsigned scope,
                                            enum tui_action action);

/* The key's name as shown: "q", "Tab", "Enter", "Esc", "F5", "^R", "Up". */
void tui_key_name(wint_t key, bool code, char *buf, size_t size);

/* The label as shown: translated unless it is rulebook text. */
const char *tui_key_label(const struct tui_key *key);

/* A category label short enough for the key bar: up to the first '/' or
 * '(' (ASCII or full-width), cut to `cells` cells. */
void tui_short_label(const char *label, size_t cells, char *buf, size_t size);

/* Label i of `n` sibling labels (categories, tiers, KPIs) in at most
 * `cells` cells, never equal to another's: the whole label when it fits,
 * else its short form (shorts[i], the rulebook's `short =`, may be NULL),
 * else its head (tui_short_label); where two heads would be cut alike,
 * the character that tells them apart goes last ("主加", "主顶").
 * `shorts` may be NULL. Returns buf. */
char *tui_label_fit(const char *const *labels, const char *const *shorts,
                    size_t n, size_t i, size_t cells, char *buf, size_t size);

/* What a screen changes in its key bar (all fields may be zero). */
struct tui_bar_options {
	/* Category indices in the order to show them (the most used
	 * first), `order_count` of them; NULL: the rulebook's order. */
	const size_t *order;
	size_t order_count;
	/* Each category's label as shown (distinct cuts), by category
	 * index; NULL: tui_short_label of the label. */
	const char *const *labels;
	/* Actions (1u << action) left out / shown though not in the bar:
	 * the state of the screen (C for an open month, O for a closed). */
	unsigned long long hide, show;
	/* Filled in when not NULL: where each key's item is, in cells from
	 * the start of the bar (for a mouse click). */
	struct tui_bar_hit *hits;
	size_t hit_cap, hit_count;
};

struct tui_bar_hit {
	size_t from, to; /* cells [from, to) */
	wint_t key;
	bool code;
};

/* The key bar of `scope` in at most `cells` cells: category hotkeys on the
 * left as far as they fit, the built-in keys after " │ "; when not every
 * category fits, `?` says "all keys" (the help screen lists them).
 * `opt` may be NULL. Returns buf. */
char *tui_keymap_bar(const struct tui_keymap *map, unsigned scope, size_t cells,
                     struct tui_bar_options *opt, char *buf, size_t size);

/* One help line for key i: every key of the same action and scope joined
 * by " " and padded to `key_cells`, then the label; false when key i is not
 * the first of its action in its scope (the line was written for an
 * earlier key) or is not in `scope`. */
bool tui_keymap_help_line(const struct tui_keymap *map, size_t i,
                          unsigned scope, size_t key_cells, char *buf,
                          size_t size);

#endif
