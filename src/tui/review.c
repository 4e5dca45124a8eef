/* The month review (PRODUCT.md "The month review", "Appeals"): the ranked
 * board, the highlighted agent's breakdown (categories, combo, the base
 * with its KPI metrics, money line by line, six months as a bar chart,
 * flags with their reasons), the month's open appeals; closing, reopening,
 * exports, appeals and their settling. A presentation mode for a
 * projector. The data comes from kpidesk/review.h, as for the command
 * line, so the two never disagree; a closed month from its snapshot. */
#include "kpidesk/export.h"
#include "kpidesk/fixed.h"
#include "kpidesk/text.h"
#include "review_internal.h"
#include "tui_internal.h"
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- loading ---- */

static void review_unload(struct review *rv)
{
	if (rv->has_trend)
		review_trend_finish(&rv->trend);
	if (rv->loaded)
		review_month_finish(&rv->rm);
	rv->has_trend = rv->loaded = false;
}

const struct score_agent_result *review_selected(const struct review *rv)
{
	if (!rv->loaded || rv->sel >= rv->rm.result->agent_count)
		return NULL;
	return &rv->rm.result->agents[rv->sel];
}

/* Loads rv->month, keeping the highlighted agent when it is still on the
 * board. */
static void review_load(struct tui *tui, struct review *rv)
{
	const struct score_agent_result *a = review_selected(rv);
	int64_t keep = a ? a->agent->id : 0;
	char err[512] = "", month[16];
	struct app_refusal why;
	review_unload(rv);
	month_format(month, sizeof(month), rv->month);
	if (!app_board_load(&tui->app, rv->month, true, &rv->rm, &why)) {
		tui_status(tui, true, _("The review of %s: %s"), month,
		           tui_refusal_text(&why, err, sizeof(err)));
		return;
	}
	rv->loaded = true;
	if (app_trend_load(&tui->app, &rv->rm, &rv->trend, &why))
		rv->has_trend = true;
	else
		tui_status(tui, true, _("The trend of %s: %s"), month,
		           tui_refusal_text(&why, err, sizeof(err)));
	size_t n = rv->rm.result->agent_count;
	for (size_t i = 0; keep && i < n; i++)
		if (rv->rm.result->agents[i].agent->id == keep)
			rv->sel = i;
	if (rv->sel >= n)
		rv->sel = n ? n - 1 : 0;
}

/* After this desk wrote something: every screen reads it again. */
static void everything_changed(struct tui *tui)
{
	tui_desk_reload(tui);
	tui_changed(tui);
}

/* ---- closing and reopening ---- */

struct month_ctx {
	struct review *rv;
	kd_month month;
	bool over_appeals;
};

static struct month_ctx *month_ctx(struct tui *tui, struct review *rv)
{
	struct month_ctx *c = calloc(1, sizeof(*c));
	if (!c) {
		tui_status(tui, true, _("Out of memory"));
		return NULL;
	}
	c->rv = rv;
	c->month = rv->month;
	return c;
}

static void close_now(struct tui *tui, void *ctx)
{
	struct month_ctx *c = ctx;
	char err[512] = "", month[16];
	size_t agents = 0;
	month_format(month, sizeof(month), c->month);
	struct app_refusal why;
	if (!app_month_close(&tui->app, c->month, c->over_appeals, &agents,
	                     &why)) {
		tui_status(tui, true, _("%s not closed: %s"), month,
		           tui_refusal_text(&why, err, sizeof(err)));
		return;
	}
	everything_changed(tui);
	tui_status(tui, false,
	           _("%s closed: the board of %zu agents is stored; its "
	             "entries are refused until it is reopened"),
	           month, agents);
}

static void close_confirmed(struct tui *tui, void *ctx)
{
	struct month_ctx *c = ctx;
	const struct store_appeal_list *open = &c->rv->rm.appeals;
	char month[16], head[256], items[6][400];
	const char *lines[8];
	size_t n = 0;
	if (c->rv->month != c->month || !c->rv->loaded || open->count == 0) {
		close_now(tui, ctx);
		return;
	}
	month_format(month, sizeof(month), c->month);
	snprintf(head, sizeof(head),
	         _("%s has %zu open appeals: close it anyway?"), month,
	         open->count);
	lines[n++] = head;
	for (size_t i = 0; i < open->count && i < 6; i++) {
		char words[300];
		review_appeal_words(c->rv, &open->appeals[i], words,
		                    sizeof(words));
		snprintf(items[i], sizeof(items[i]), "%s: %s", words,
		         open->appeals[i].reason);
		lines[n++] = items[i];
	}
	struct month_ctx *next = month_ctx(tui, c->rv);
	if (!next)
		return;
	next->over_appeals = true;
	tui_confirm_open(tui, _("Open appeals"), lines, n, close_now, next);
}

static void close_ask(struct tui *tui, struct review *rv)
{
	char month[16], q[256], l1[256], l2[256];
	month_format(month, sizeof(month), rv->month);
	if (!rv->loaded)
		return;
	struct app_refusal why;
	if (!app_month_close_allowed(&tui->app, rv->month, &why)) {
		tui_status_refusal(tui, &why);
		return;
	}
	snprintf(q, sizeof(q), _("Close %s?"), month);
	snprintf(l1, sizeof(l1),
	         _("Its board (%zu agents) is stored with the rules in "
	           "force;"),
	         rv->rm.result->agent_count);
	snprintf(l2, sizeof(l2),
	         _("entries dated in %s are refused until it is reopened."),
	         month);
	/* A month not over yet: closing now refuses its last days. */
	char early[256], last[16];
	kd_date today = clock_today(), end = month_last_day(rv->month);
	bool not_over = today <= end;
	if (not_over) {
		snprintf(q, sizeof(q), _("Close %s before it is over?"), month);
		snprintf(early, sizeof(early),
		         _("%s is not over: it runs to %s (%d more days), "
		           "whose entries would be refused."),
		         month, date_format(last, sizeof(last), end),
		         (int)(end - today) + 1);
	}
	const char *lines[] = {q, l1, l2, early};
	struct month_ctx *c = month_ctx(tui, rv);
	if (c)
		tui_confirm_open(tui,
		                 not_over ? _("Close the month early")
		                          : _("Close the month"),
		                 lines, not_over ? 4 : 3, close_confirmed, c);
}

static bool reopen_done(struct tui *tui, void *ctx, const char *text)
{
	struct month_ctx *c = ctx;
	char month[16];
	month_format(month, sizeof(month), c->month);
	if (text_is_blank(text)) {
		tui_status(tui, true,
		           _("Say why the month is reopened; Esc cancels"));
		return false;
	}
	struct app_refusal why;
	if (!app_month_reopen(&tui->app, c->month, text, &why)) {
		tui_status_refusal(tui, &why);
		return why.code != APP_TEXT_HIDDEN && why.code != APP_TEXT_LONG;
	}
	everything_changed(tui);
	tui_status(tui, false,
	           _("%s reopened: scored again with the rules in force"),
	           month);
	return true;
}

static void reopen_ask(struct tui *tui, struct review *rv)
{
	char month[16], title[256];
	month_format(month, sizeof(month), rv->month);
	if (!rv->loaded)
		return;
	struct app_refusal why;
	if (!app_month_reopen_allowed(&tui->app, rv->month, &why)) {
		tui_status_refusal(tui, &why);
		return;
	}
	snprintf(title, sizeof(title), _("Reopen %s: reason?"), month);
	struct month_ctx *c = month_ctx(tui, rv);
	if (c)
		tui_prompt_open(tui, title, "", TUI_NOTE_MAX, false,
		                reopen_done, c);
}

/* ---- exports ---- */

static const struct {
	enum export_format format;
	const char *ext;
	const char *what;
} export_formats[] = {
    {EXPORT_CSV, "csv", N_("CSV for payroll")},
    {EXPORT_MD, "md", N_("Markdown for the record")},
    {EXPORT_HTML, "html", N_("HTML page to print")},
    {EXPORT_XLSX, "xlsx", N_("Excel workbook for payroll")},
};

struct export_ctx {
	struct review *rv;
	kd_month month;
	size_t format; /* into export_formats */
};

/* "~/x" is the home directory's x. */
static void expand_home(const char *text, char *buf, size_t size)
{
	const char *home = getenv("HOME");
	if (text[0] == '~' && (text[1] == '/' || !text[1]) && home && home[0])
		snprintf(buf, size, "%s%s", home, text + 1);
	else
		snprintf(buf, size, "%s", text);
}

static bool export_path_done(struct tui *tui, void *ctx, const char *text)
{
	struct export_ctx *c = ctx;
	struct review *rv = c->rv;
	char path[PATH_SIZE], month[16];
	month_format(month, sizeof(month), c->month);
	if (text_is_blank(text)) {
		tui_status(tui, true, _("Give a file to write; Esc cancels"));
		return false;
	}
	if (!rv->loaded || rv->month != c->month) {
		tui_status(tui, true, _("The review changed: nothing written"));
		return true;
	}
	expand_home(text, path, sizeof(path));
	/* The one safe writer (kpidesk/app.h): never the database, never a
	 * FIFO or device, a temporary file renamed into place, 0600. */
	struct app_refusal why;
	if (!app_export_review(&tui->app, path,
	                       export_formats[c->format].format, &rv->rm,
	                       rv->has_trend ? &rv->trend : NULL, &why)) {
		tui_status_refusal(tui, &why);
		return false;
	}
	if (rv->rm.closed)
		tui_status(tui, false, _("The review of %s was written to %s"),
		           month, path);
	else
		tui_status(tui, false,
		           _("The review of %s was written to %s (open: its "
		             "numbers can still change; C closes it)"),
		           month, path);
	return true;
}

static bool export_format_done(struct tui *tui, void *ctx, size_t index)
{
	struct export_ctx *c = ctx;
	char month[16], initial[PATH_SIZE], title[256], dir[PATH_SIZE] = "";
	struct stat sb;
	const char *home = getenv("HOME");
	month_format(month, sizeof(month), c->month);
	/* The home directory when there is one, else the current one. */
	if (home && home[0] && stat(home, &sb) == 0 && S_ISDIR(sb.st_mode))
		snprintf(dir, sizeof(dir), "~/");
	snprintf(initial, sizeof(initial), "%skpidesk-review-%s.%s", dir, month,
	         export_formats[index].ext);
	snprintf(title, sizeof(title), _("Export %s as %s: write to?"), month,
	         export_formats[index].ext);
	struct export_ctx *next = malloc(sizeof(*next));
	if (!next) {
		tui_status(tui, true, _("Out of memory"));
		return true;
	}
	*next = *c;
	next->format = index;
	tui_prompt_open(tui, title, initial, PATH_SIZE - 64, false,
	                export_path_done, next);
	return true;
}

static void export_ask(struct tui *tui, struct review *rv)
{
	enum { FORMATS = sizeof(export_formats) / sizeof(export_formats[0]) };
	char month[16], q[256], items[FORMATS][128];
	const char *texts[FORMATS];
	if (!rv->loaded)
		return;
	month_format(month, sizeof(month), rv->month);
	/* An open month's numbers can still change: said as the command
	 * line says it. */
	if (rv->rm.closed)
		snprintf(q, sizeof(q), _("Export the review of %s as:"), month);
	else
		snprintf(q, sizeof(q),
		         _("%s is open: its numbers can still change. Export "
		           "it as:"),
		         month);
	for (size_t i = 0; i < FORMATS; i++) {
		snprintf(items[i], sizeof(items[i]), "%-4s  %s",
		         export_formats[i].ext, _(export_formats[i].what));
		texts[i] = items[i];
	}
	struct export_ctx *c = calloc(1, sizeof(*c));
	if (!c) {
		tui_status(tui, true, _("Out of memory"));
		return;
	}
	c->rv = rv;
	c->month = rv->month;
	tui_pick_open(tui, _("Export"), q, FORMATS, texts, 0,
	              export_format_done, c);
}

/* ---- appeals ---- */

/* The events a pick list offers, by id. */
struct ids_ctx {
	struct review *rv;
	kd_month month;
	size_t count;
	int64_t ids[]; /* event ids */
};

static bool appeal_pick_done(struct tui *tui, void *ctx, size_t index)
{
	struct ids_ctx *c = ctx;
	if (index < c->count)
		tui_appeal_start(tui, c->ids[index]);
	return true;
}

/* `!` in the review: one of the highlighted agent's standing entries of
 * the month, then the agent's reason. */
static void appeal_ask(struct tui *tui, struct review *rv)
{
	const struct score_agent_result *a = review_selected(rv);
	struct store_event_list evs = {0};
	char month[16], q[256];
	if (!a)
		return;
	month_format(month, sizeof(month), rv->month);
	struct app_refusal why;
	if (!app_month_writable(&tui->app, rv->month, &why) ||
	    !app_events(&tui->app, month_first_day(rv->month),
	                month_last_day(rv->month), a->agent->id, false, &evs,
	                &why)) {
		tui_status_refusal(tui, &why);
		return;
	}
	size_t n = 0;
	char **items = calloc(evs.count ? evs.count : 1, sizeof(*items));
	struct ids_ctx *c = calloc(1, sizeof(*c) + (evs.count ? evs.count : 1) *
	                                               sizeof(c->ids[0]));
	for (size_t i = 0; items && c && i < evs.count; i++) {
		const struct store_event *e = &evs.events[i];
		if (e->appeal && strcmp(e->appeal, "open") == 0)
			continue;
		char words[256], date[16];
		const struct rb_category *cat =
		    rulebook_category(tui->rb, e->category);
		tui_entry_words(e->agent_name, cat, e->category, e->quantity,
		                words, sizeof(words));
		date_format(date, sizeof(date), e->date);
		items[n] = malloc(LINE_SIZE);
		if (!items[n])
			break;
		snprintf(items[n], LINE_SIZE, "#%" PRId64 " %s %s", e->id,
		         date + 5, words);
		c->ids[n++] = e->id;
	}
	if (!items || !c) {
		tui_status(tui, true, _("Out of memory"));
		free(c);
	} else if (n == 0) {
		tui_status(tui, true,
		           _("%s has no standing entry in %s that is not "
		             "under appeal"),
		           a->agent->name, month);
		free(c);
	} else {
		c->rv = rv;
		c->month = rv->month;
		c->count = n;
		snprintf(q, sizeof(q),
		         _("Which entry of %s does the agent "
		           "appeal?"),
		         a->agent->name);
		tui_pick_open(tui, _("Appeal"), q, n,
		              (const char *const *)items, 0, appeal_pick_done,
		              c);
	}
	for (size_t i = 0; items && i < n; i++)
		free(items[i]);
	free(items);
	app_events_finish(&evs);
}

struct settle_ctx {
	int64_t event_id;
	enum store_appeal_outcome outcome;
	char words[400];
};

static bool settle_reason_done(struct tui *tui, void *ctx, const char *text)
{
	struct settle_ctx *c = ctx;
	if (text_is_blank(text)) {
		tui_status(tui, true, _("Say why; Esc cancels"));
		return false;
	}
	struct app_refusal why;
	if (!app_settle(&tui->app, c->event_id, c->outcome, text, &why)) {
		tui_status_refusal(tui, &why);
		return why.code != APP_TEXT_HIDDEN && why.code != APP_TEXT_LONG;
	}
	everything_changed(tui);
	if (c->outcome == STORE_APPEAL_UPHOLD)
		tui_status(tui, false,
		           _("Appeal upheld: %s stands and stays counted"),
		           c->words);
	else
		tui_status(tui, false, _("Appeal granted: %s is voided"),
		           c->words);
	return true;
}

static bool settle_outcome_done(struct tui *tui, void *ctx, size_t index)
{
	struct settle_ctx *c = ctx;
	char title[512];
	struct settle_ctx *next = malloc(sizeof(*next));
	if (!next) {
		tui_status(tui, true, _("Out of memory"));
		return true;
	}
	*next = *c;
	next->outcome = index == 0 ? STORE_APPEAL_UPHOLD : STORE_APPEAL_VOID;
	snprintf(title, sizeof(title),
	         next->outcome == STORE_APPEAL_UPHOLD ? _("Uphold %s: reason?")
	                                              : _("Void %s: reason?"),
	         c->words);
	tui_prompt_open(tui, title, "", TUI_NOTE_MAX, false, settle_reason_done,
	                next);
	return true;
}

static bool settle_pick_done(struct tui *tui, void *ctx, size_t index)
{
	struct ids_ctx *c = ctx;
	struct review *rv = c->rv;
	if (!rv->loaded || rv->month != c->month ||
	    index >= rv->rm.appeals.count ||
	    rv->rm.appeals.appeals[index].event_id != c->ids[index]) {
		tui_status(tui, true,
		           _("The appeals changed meanwhile: choose again"));
		return true;
	}
	struct settle_ctx *s = calloc(1, sizeof(*s));
	if (!s) {
		tui_status(tui, true, _("Out of memory"));
		return true;
	}
	s->event_id = c->ids[index];
	review_appeal_words(rv, &rv->rm.appeals.appeals[index], s->words,
	                    sizeof(s->words));
	const char *items[] = {
	    _("uphold: the entry stands and stays counted"),
	    _("void: the entry is voided, the agent is right")};
	char q[512];
	snprintf(q, sizeof(q), _("Settle the appeal of %s:"), s->words);
	tui_pick_open(tui, _("Settle an appeal"), q, 2, items, 0,
	              settle_outcome_done, s);
	return true;
}

static void settle_ask(struct tui *tui, struct review *rv)
{
	const struct store_appeal_list *open = &rv->rm.appeals;
	char month[16], q[256];
	if (!rv->loaded)
		return;
	month_format(month, sizeof(month), rv->month);
	if (open->count == 0) {
		tui_status(tui, true, _("No open appeals in %s"), month);
		return;
	}
	char **items = calloc(open->count, sizeof(*items));
	struct ids_ctx *c =
	    calloc(1, sizeof(*c) + open->count * sizeof(c->ids[0]));
	size_t n = 0;
	for (; items && c && n < open->count; n++) {
		char words[300];
		items[n] = malloc(LINE_SIZE);
		if (!items[n])
			break;
		review_appeal_words(rv, &open->appeals[n], words,
		                    sizeof(words));
		snprintf(items[n], LINE_SIZE, "%s: %s", words,
		         open->appeals[n].reason);
		c->ids[n] = open->appeals[n].event_id;
	}
	if (!items || !c || n < open->count) {
		tui_status(tui, true, _("Out of memory"));
		free(c);
	} else {
		c->rv = rv;
		c->month = rv->month;
		c->count = n;
		snprintf(q, sizeof(q), _("Which appeal of %s?"), month);
		tui_pick_open(tui, _("Settle an appeal"), q, n,
		              (const char *const *)items, 0, settle_pick_done,
		              c);
	}
	for (size_t i = 0; items && i < n; i++)
		free(items[i]);
	free(items);
}

/* ---- keys ---- */

static unsigned review_key(struct tui *tui, void *state, wint_t key, bool code)
{
	struct review *rv = state;
	const struct tui_key *k =
	    tui_keymap_find(&tui->keys, REVIEW_SCOPE, key, code);
	size_t n = rv->loaded ? rv->rm.result->agent_count : 0;
	size_t page = tui->layout.rows > 12 ? (size_t)tui->layout.rows / 3 : 3;
	switch (k ? k->action : TUI_ACT_NONE) {
	case TUI_ACT_BACK:
		return TUI_HANDLED | TUI_CLOSE | TUI_REDRAW;
	case TUI_ACT_UP:
		if (rv->sel > 0)
			rv->sel--;
		rv->detail_top = 0;
		break;
	case TUI_ACT_DOWN:
		if (rv->sel + 1 < n)
			rv->sel++;
		rv->detail_top = 0;
		break;
	case TUI_ACT_FIRST:
		rv->sel = 0;
		rv->detail_top = 0;
		break;
	case TUI_ACT_LAST:
		rv->sel = n ? n - 1 : 0;
		rv->detail_top = 0;
		break;
	case TUI_ACT_PAGE_UP:
		rv->detail_top =
		    rv->detail_top > page ? rv->detail_top - page : 0;
		break;
	case TUI_ACT_PAGE_DOWN:
		if (rv->detail_top + page < rv->detail_rows)
			rv->detail_top += page;
		break;
	case TUI_ACT_MONTH_PREV:
		if (rv->month > KD_YEAR_MIN * 12) {
			rv->month--;
			rv->detail_top = 0;
			review_load(tui, rv);
		}
		break;
	case TUI_ACT_MONTH_NEXT:
		if (rv->month < date_month(clock_today())) {
			rv->month++;
			rv->detail_top = 0;
			review_load(tui, rv);
		} else {
			tui_status(tui, true,
			           _("The review cannot show months after "
			             "this one"));
		}
		break;
	case TUI_ACT_PRESENT:
		rv->present = !rv->present;
		break;
	case TUI_ACT_CLOSE_MONTH:
		close_ask(tui, rv);
		break;
	case TUI_ACT_REOPEN_MONTH:
		reopen_ask(tui, rv);
		break;
	case TUI_ACT_EXPORT:
		export_ask(tui, rv);
		break;
	case TUI_ACT_APPEAL:
		appeal_ask(tui, rv);
		break;
	case TUI_ACT_RESOLVE:
		settle_ask(tui, rv);
		break;
	case TUI_ACT_RELOAD:
		tui_reload_rulebook(tui);
		review_load(tui, rv);
		break;
	case TUI_ACT_REDRAW:
		clearok(curscr, TRUE);
		break;
	default:
		return 0;
	}
	return TUI_HANDLED | TUI_REDRAW;
}

/* A click on the board selects that agent; the wheel moves the selection
 * over the board and scrolls the breakdown elsewhere. */
static unsigned review_mouse(struct tui *tui, void *state, const MEVENT *ev)
{
	struct review *rv = state;
	size_t n = rv->loaded ? rv->rm.result->agent_count : 0;
	bool on_board =
	    rv->board_step && ev->y >= rv->board_y &&
	    ev->y < rv->board_y + (int)(rv->board_shown * rv->board_step) &&
	    ev->x >= rv->board_x && ev->x < rv->board_x + (int)rv->board_w;
	(void)tui;
	if (ev->bstate & (TUI_WHEEL_UP | TUI_WHEEL_DOWN)) {
		bool up = ev->bstate & TUI_WHEEL_UP;
		if (on_board) {
			if (up && rv->sel > 0)
				rv->sel--;
			else if (!up && rv->sel + 1 < n)
				rv->sel++;
			rv->detail_top = 0;
		} else if (up) {
			rv->detail_top =
			    rv->detail_top > 3 ? rv->detail_top - 3 : 0;
		} else if (rv->detail_top + 3 < rv->detail_rows) {
			rv->detail_top += 3;
		}
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (!(ev->bstate & TUI_MOUSE_CLICK) || !on_board)
		return 0;
	size_t i = rv->top + (size_t)(ev->y - rv->board_y) / rv->board_step;
	if (i < n) {
		rv->sel = i;
		rv->detail_top = 0;
	}
	return TUI_HANDLED | TUI_REDRAW;
}

/* C for an open month, O for a closed one. */
static void review_bar(struct tui *tui, void *state,
                       struct tui_bar_options *opt)
{
	const struct review *rv = state;
	(void)tui;
	if (rv->loaded && rv->rm.closed) {
		opt->hide = 1ull << TUI_ACT_CLOSE_MONTH;
		opt->show = 1ull << TUI_ACT_REOPEN_MONTH;
	}
}

static void review_changed(struct tui *tui, void *state)
{
	review_load(tui, state);
}

static void review_destroy(struct tui *tui, void *state, bool cancelled)
{
	(void)tui;
	(void)cancelled;
	review_unload(state);
	free(state);
}

static const struct screen_ops review_screen = {
    /* "R": the month review, full screen, for the meeting. */
    .name = "review",
    /* Replaces the desk until closed. */
    .overlay = false,
    /* The full screens' keys and the review's own (P C O E ! S). */
    .scope = REVIEW_SCOPE,
    /* The board, then the highlighted agent's breakdown. */
    .draw = review_draw,
    /* Moves, months, presentation, closing, exports, appeals. */
    .key = review_key,
    /* Loaded again when another desk commits or the rules change. */
    .changed = review_changed,
    /* Clicks on the board, the wheel. */
    .mouse = review_mouse,
    /* The closing keys by the month's state. */
    .bar = review_bar,
    /* Its month and trend. */
    .destroy = review_destroy,
};

bool tui_review_open(struct tui *tui, kd_month month)
{
	struct review *rv = calloc(1, sizeof(*rv));
	if (!rv) {
		tui_status(tui, true, _("Out of memory"));
		return false;
	}
	rv->month = month;
	review_load(tui, rv);
	return tui_push(tui, &review_screen, rv);
}
