/* Inside the shift desk: the screen manager, its screens and the desk's
 * data. Only this directory includes it. */
#ifndef KPIDESK_TUI_INTERNAL_H
#define KPIDESK_TUI_INTERNAL_H

#include <curses.h>
#include <libintl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keys.h"
#include "kpidesk/app.h"
#include "kpidesk/date.h"
#include "kpidesk/review.h"
#include "kpidesk/rulebook.h"
#include "kpidesk/score.h"
#include "kpidesk/store.h"
#include "kpidesk/tui.h"
#include "layout.h"

#define _(s)  dgettext(TUI_DOMAIN, s)
#define N_(s) (s)

#define TUI_TICK_MS        250 /* get_wch timeout: clock, other desk, date */
#define TUI_STACK_MAX      8   /* screens open at once */
#define TUI_STATUS_SIZE    768
#define TUI_STATUS_FADE_S  8   /* seconds a status message stays */
#define TUI_NAME_MAX       64  /* bytes of a name or handle (as the CLI) */
#define TUI_NOTE_MAX       500 /* bytes of a note or reason (as the CLI) */
#define TUI_BAR_CATEGORIES 128 /* categories the key bar orders */

/* What a handler asks of the screen manager (STYLE.md practice 2). */
enum tui_reaction {
	TUI_HANDLED = 1u << 0, /* the key meant something here */
	TUI_REDRAW = 1u << 1,  /* draw everything again */
	TUI_QUIT = 1u << 2,    /* leave the program */
	TUI_CLOSE = 1u << 3,   /* close this screen (pop it) */
};

struct tui;

/* A screen: the desk, a full-screen view, or an overlay (prompt, form).
 * Screens draw and react to keys; only the manager lays out, resizes and
 * owns the terminal. */
struct screen_ops {
	/* A name for messages and debugging ("desk", "prompt"). */
	const char *name;
	/* Drawn over the screen below it (prompts, forms, find) instead of
	 * replacing it (the desk, help, review, welcome, errors). */
	bool overlay;
	/* The key scope (enum tui_scope) of this screen: its key bar and the
	 * keys its handler looks up. */
	unsigned scope;
	/* Draws the screen on stdscr within tui->layout. Never resizes. */
	void (*draw)(struct tui *tui, void *state);
	/* One key from get_wch, normalised (tui_key_normalise); returns
	 * enum tui_reaction flags. */
	unsigned (*key)(struct tui *tui, void *state, wint_t key, bool code);
	/* The data changed underneath (another desk committed, the rulebook
	 * was swapped, the date rolled over); may be NULL. */
	void (*changed)(struct tui *tui, void *state);
	/* A mouse event (a click or the wheel) inside the screen; may be
	 * NULL. Returns enum tui_reaction flags. */
	unsigned (*mouse)(struct tui *tui, void *state, const MEVENT *ev);
	/* Fills in what the key bar shows in this screen's state (the order
	 * of the categories, keys by state); may be NULL. */
	void (*bar)(struct tui *tui, void *state, struct tui_bar_options *opt);
	/* Frees the state when the screen closes; may be NULL. Called with
	 * cancelled = true when the screen closes without completing (Esc,
	 * or the program ends). */
	void (*destroy)(struct tui *tui, void *state, bool cancelled);
};

struct tui_frame {
	const struct screen_ops *ops;
	void *state;
};

/* Colour roles; tui_attr() maps them to colour or monochrome. */
enum tui_role {
	TUI_ROLE_NORMAL,
	TUI_ROLE_TITLE,
	TUI_ROLE_BORDER,
	TUI_ROLE_FOCUS,
	TUI_ROLE_SELECTED,
	TUI_ROLE_MINUS,
	TUI_ROLE_PLUS,
	TUI_ROLE_DIM,
	TUI_ROLE_ERROR,
	TUI_ROLE_OK,
	TUI_ROLE_KEYBAR,
	TUI_ROLE_HEADER,
	TUI_ROLE_GOOD, /* grade A/B: green; bold without colour */
	TUI_ROLE_BAD,  /* grade E/F, money below zero: red; bold */
	TUI_ROLE_WARN, /* flags: the warning colour; bold */
	TUI_ROLE_COUNT
};

/* One board: an open month scored with the rules in force, a closed one
 * read from its snapshot (review_board_load), with the rulebook it was
 * computed with for its labels. */
struct tui_board {
	kd_month month;
	bool loaded;
	bool closed;
	struct review_month rm;
	const struct rulebook *rb;               /* rm.rb */
	const struct score_month_result *result; /* rm.result */
	char err[256];                           /* why it did not load */
};

/* The desk's view of the data. */
struct tui_desk {
	kd_date today;
	kd_date log_date;
	kd_month board_month;
	struct store_agent_list agents; /* every agent, by id */
	/* The events of log_date (the store reads the day alone), voided
	 * too, with what each added (points depend on the whole month);
	 * day[] indexes them. */
	struct store_event_list month_events;
	int64_t *month_points;
	size_t *day;
	size_t day_count;
	bool log_closed; /* log_date's month is closed */
	struct tui_board board;

	enum tui_pane focus;
	size_t sel[TUI_PANES];
	size_t top[TUI_PANES];

	int count;        /* a number typed before a hotkey, 0 = none */
	bool count_typed; /* digits were typed (count may still be 0) */

	int64_t *mine; /* ids of the entries made at this desk */
	size_t mine_count, mine_cap;

	/* The appeals of log_date's month, for the entry details; read
	 * when first shown after a reload. */
	struct store_appeal_list appeals;
	bool appeals_loaded;

	/* The log's and the board's top borders, as drawn, for a click:
	 * the title (the date or month) from title_x to arrow_x, then
	 * the arrows ◀ at arrow_x and ▶ at arrow_x + 2; arrow_x 0 when
	 * not drawn. */
	int title_x[TUI_PANES], arrow_x[TUI_PANES];
};

struct tui {
	struct tui_options opt;
	SCREEN *screen;
	bool colour;
	struct tui_layout layout;
	int cursor_y, cursor_x; /* where a prompt wants the cursor */
	bool cursor_on;
	bool repaint; /* send every line again at the next draw */

	/* The database and the rulebook, reached only through the app layer
	 * (kpidesk/app.h). rb is app.rb, the rulebook in force, kept here
	 * for the drawing code's sake; they change together on reload. */
	struct app app;
	struct rulebook *rb;
	struct tui_keymap keys;
	int64_t data_version;

	struct tui_frame stack[TUI_STACK_MAX];
	size_t depth;

	char status[TUI_STATUS_SIZE];
	bool status_error;
	time_t status_at;
	unsigned status_serial; /* counts tui_status calls */
	time_t drawn_minute;    /* the clock's minute when last drawn */

	struct tui_desk desk;

	/* The key bar's category order and labels (tui_desk_bar). */
	size_t bar_order[TUI_BAR_CATEGORIES];
	char bar_labels[TUI_BAR_CATEGORIES][64];
	const char *bar_label_ptrs[TUI_BAR_CATEGORIES];
	/* Where the key bar's items were drawn, for a click. */
	struct tui_bar_hit bar_hits[64];
	size_t bar_hit_count;
};

/* ---- screen.c: the manager and drawing helpers ---- */

/* Who this desk's changes are recorded as: [team] lead, else the login
 * name. */
void tui_set_actor(struct tui *tui);
/* Opens a screen on top; false (with the status saying so) when the stack
 * is full, in which case destroy(cancelled) has been called on state. */
bool tui_push(struct tui *tui, const struct screen_ops *ops, void *state);
/* Tells every open screen that the data changed (its `changed`): after
 * this desk wrote something a screen shows. */
void tui_changed(struct tui *tui);
void tui_status(struct tui *tui, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The status line says what the store's last failure was. */
void tui_status_store(struct tui *tui, enum kd_status status);
/* The status line says why the app refused (app_refusal_text). */
void tui_status_refusal(struct tui *tui, const struct app_refusal *why);
attr_t tui_attr(const struct tui *tui, enum tui_role role);
/* Writes text at (y, x) cut and padded to exactly `cells` cells. */
void tui_put(int y, int x, size_t cells, const char *text, attr_t attr);
/* Lines of the line-drawing set (ASCII where the terminal shows
 * ambiguous-width characters two cells wide). */
void tui_hline(int y, int x, int n);
void tui_vline(int y, int x, int n);
/* The terminal shows ambiguous-width characters in two cells: tui_put
 * draws them as ASCII marks. */
bool tui_ambiguous_wide(void);
/* A box with a title in its top border; `focus` marks the focused pane. */
void tui_box(const struct tui *tui, const struct tui_rect *r, const char *title,
             bool focus);
/* Draws the title line, the status line and the key bar of `scope`. */
void tui_draw_frame(struct tui *tui, unsigned scope);
/* A centred box of h x w (cut to the terminal) with a title; returns its
 * rectangle. */
struct tui_rect tui_dialog(const struct tui *tui, int h, int w,
                           const char *title);

/* Mouse events: a click (button 1 pressed) and the wheel. */
#define TUI_MOUSE_CLICK (BUTTON1_PRESSED | BUTTON1_CLICKED)
#define TUI_WHEEL_UP    BUTTON4_PRESSED
#define TUI_WHEEL_DOWN  BUTTON5_PRESSED

/* ---- desk.c: the data and the three panes ---- */

extern const struct screen_ops tui_desk_screen;

/* Loads everything the desk shows (agents, the day's log, the board);
 * status says what failed. */
bool tui_desk_reload(struct tui *tui);
void tui_desk_finish(struct tui_desk *desk);
void tui_board_finish(struct tui_board *board);
/* Loads `month`'s board into *board (finished first); on failure
 * board->err says why. */
enum kd_status tui_board_load(struct tui *tui, kd_month month,
                              struct tui_board *board);
/* The agent's score in month: false when not on that month's board. */
bool tui_agent_score(struct tui *tui, kd_month month, int64_t agent_id,
                     int64_t *score_cp);
/* The agent highlighted in the roster, or NULL. */
const struct store_agent *tui_desk_agent(const struct tui *tui);
/* Selects agent `id` in the roster. */
void tui_desk_select_agent(struct tui *tui, int64_t id);
/* Swaps in the rulebook at the configured path if it validates. */
void tui_reload_rulebook(struct tui *tui);
/* Called every tick: the date, the other desk. Returns reaction flags. */
unsigned tui_desk_tick(struct tui *tui);
/* A tier's label (short) for the agent in month, "" when unknown. */
const char *tui_tier_label(const struct tui *tui,
                           const struct store_agent *agent, kd_month month);
/* "张伟 迟到/早退 12分": an entry in words (cat may be NULL). */
void tui_entry_words(const char *name, const struct rb_category *cat,
                     const char *category_key, int32_t quantity, char *buf,
                     size_t size);
/* Opens the prompt for the agent's reason to appeal event `event_id`,
 * after checking it can be appealed (the status says why not). */
void tui_appeal_start(struct tui *tui, int64_t event_id);
/* A KPI metric's value as shown: "93.33%", "15.50 s"; "-" when absent. */
char *tui_metric_value(char *buf, size_t size, const struct rb_kpi *kpi,
                       const struct score_kpi_metric *m);
/* "+2.00" / "-1.00" / "0.00" from centi-points. */
char *tui_points_text(char *buf, size_t size, int64_t cp, bool sign);
/* The quantity as shown after a label: "12分" for minutes, "×3", "". */
char *tui_quantity_text(const struct rb_category *cat, int32_t quantity,
                        char *buf, size_t size);

/* Rulebook labels in `cells` cells, distinct from their siblings
 * (tui_label_fit): category c (its `short =` first), tier t, KPI k. */
char *tui_category_text(const struct rulebook *rb, size_t c, size_t cells,
                        char *buf, size_t size);
char *tui_tier_text(const struct rulebook *rb, int t, size_t cells, char *buf,
                    size_t size);
char *tui_kpi_text(const struct rulebook *rb, size_t k, size_t cells, char *buf,
                   size_t size);

/* ---- prompt.c: prompts, find, the agent form ---- */

/* Called when a prompt is submitted: return true to close it, false to
 * keep it open (the status says what is wrong). */
typedef bool (*tui_prompt_done)(struct tui *tui, void *ctx, const char *text);
/* Opens a one-line prompt; `ctx` is freed with free() when it closes. */
bool tui_prompt_open(struct tui *tui, const char *title, const char *initial,
                     size_t max_bytes, bool digits_only, tui_prompt_done done,
                     void *ctx);
bool tui_find_open(struct tui *tui);
/* agent NULL: add a new agent; else edit it. */
bool tui_agent_form_open(struct tui *tui, const struct store_agent *agent);
/* Called with the chosen item's index: true closes the list. */
typedef bool (*tui_pick_done)(struct tui *tui, void *ctx, size_t index);
/* A list of choices (copied) over the current screen; `ctx` is freed
 * with free() when it closes. */
bool tui_pick_open(struct tui *tui, const char *title, const char *question,
                   size_t count, const char *const *items, size_t selected,
                   tui_pick_done done, void *ctx);
/* Called when the question is answered yes. */
typedef void (*tui_confirm_done)(struct tui *tui, void *ctx);
/* A yes/no question: lines[0] in bold, the rest explain (at most 8);
 * `ctx` is freed with free() when it closes. */
bool tui_confirm_open(struct tui *tui, const char *title,
                      const char *const *lines, size_t count,
                      tui_confirm_done done, void *ctx);

/* ---- i18n.c: words from below the app layer, in the desk's language ---- */

/* kd_status_message(status) translated. */
const char *tui_status_text(enum kd_status status);
/* A runtime failure's detail (the store's words) translated where the
 * desk knows them, else as it is; returns buf. */
char *tui_failure_text(const char *detail, char *buf, size_t size);
/* app_refusal_text, with a runtime failure's detail translated. */
char *tui_refusal_text(const struct app_refusal *why, char *buf, size_t size);

/* Lines shown in a box until Esc or Enter (at most 8). */
bool tui_info_open(struct tui *tui, const char *title, const char *const *lines,
                   size_t count);

/* ---- views.c: full screens ---- */

bool tui_help_open(struct tui *tui);
/* review.c: the month review (PRODUCT.md "The month review"). */
bool tui_review_open(struct tui *tui, kd_month month);
bool tui_welcome_open(struct tui *tui);
/* The errors of a refused rulebook; takes the messages. */
bool tui_errors_open(struct tui *tui, char **messages, size_t count);

/* ---- entries (desk.c) ---- */

/* Starts logging category `cat` for the highlighted agent with the
 * count typed before the hotkey (-1 = none; 0 is refused by the app). */
void tui_entry_start(struct tui *tui, int cat, int count);

#endif
