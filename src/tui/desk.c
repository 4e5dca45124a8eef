/* The desk: its data (agents, the day's log, the month's board), the
 * entries made from it, and the screen of three panes. */
#include "desk_internal.h"
#include "kpidesk/config.h"
#include "kpidesk/fixed.h"
#include "kpidesk/review.h"
#include "kpidesk/text.h"
#include "tui_internal.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- numbers and labels ---- */

char *tui_points_text(char *buf, size_t size, int64_t cp, bool sign)
{
	char num[32];
	fixed_format(num, sizeof(num), cp, 2, 2);
	snprintf(buf, size, "%s%s", sign && cp > 0 ? "+" : "", num);
	return buf;
}

#define LABELS_MAX 128

char *tui_category_text(const struct rulebook *rb, size_t c, size_t cells,
                        char *buf, size_t size)
{
	const char *labels[LABELS_MAX], *shorts[LABELS_MAX];
	size_t n =
	    rb->category_count < LABELS_MAX ? rb->category_count : LABELS_MAX;
	buf[0] = '\0';
	if (c >= n)
		return buf;
	for (size_t i = 0; i < n; i++) {
		labels[i] = rb->categories[i].label;
		shorts[i] = rb->categories[i].short_label;
	}
	return tui_label_fit(labels, shorts, n, c, cells, buf, size);
}

char *tui_tier_text(const struct rulebook *rb, int t, size_t cells, char *buf,
                    size_t size)
{
	const char *labels[LABELS_MAX];
	size_t n = rb->tier_count < LABELS_MAX ? rb->tier_count : LABELS_MAX;
	buf[0] = '\0';
	if (t < 0 || (size_t)t >= n)
		return buf;
	for (size_t i = 0; i < n; i++)
		labels[i] = rb->tiers[i].label;
	return tui_label_fit(labels, NULL, n, (size_t)t, cells, buf, size);
}

char *tui_kpi_text(const struct rulebook *rb, size_t k, size_t cells, char *buf,
                   size_t size)
{
	const char *labels[LABELS_MAX];
	size_t n = rb->kpi_count < LABELS_MAX ? rb->kpi_count : LABELS_MAX;
	buf[0] = '\0';
	if (k >= n)
		return buf;
	for (size_t i = 0; i < n; i++)
		labels[i] = rb->kpis[i].label;
	return tui_label_fit(labels, NULL, n, k, cells, buf, size);
}

char *tui_quantity_text(const struct rb_category *cat, int32_t quantity,
                        char *buf, size_t size)
{
	if (cat && cat->unit == RB_UNIT_MINUTES)
		snprintf(buf, size, _("%d min"), (int)quantity);
	else if (quantity != 1)
		snprintf(buf, size, "\xc3\x97%" PRId32, quantity);
	else if (size)
		buf[0] = '\0';
	return buf;
}

const char *tui_tier_label(const struct tui *tui,
                           const struct store_agent *agent, kd_month month)
{
	const char *key = NULL;
	for (size_t i = 0; i < agent->tier_count; i++)
		if (agent->tiers[i].since <= month)
			key = agent->tiers[i].tier_key;
	if (!key && agent->tier_count)
		key = agent->tiers[0].tier_key;
	int t = key ? rulebook_tier_index(tui->rb, key) : -1;
	return t >= 0 ? tui->rb->tiers[t].label : (key ? key : "");
}

const struct store_agent *desk_find_agent(const struct tui *tui, int64_t id)
{
	for (size_t i = 0; i < tui->desk.agents.count; i++)
		if (tui->desk.agents.agents[i].id == id)
			return &tui->desk.agents.agents[i];
	return NULL;
}

/* ---- loading ---- */

void tui_board_finish(struct tui_board *board)
{
	review_month_finish(&board->rm);
	memset(board, 0, sizeof(*board));
}

enum kd_status tui_board_load(struct tui *tui, kd_month month,
                              struct tui_board *board)
{
	tui_board_finish(board);
	board->month = month;
	struct app_refusal why;
	if (!app_board_load(&tui->app, month, false, &board->rm, &why)) {
		tui_refusal_text(&why, board->err, sizeof(board->err));
		return why.status != KD_OK ? why.status : KD_ERR_DB;
	}
	board->closed = board->rm.closed;
	board->rb = board->rm.rb;
	board->result = board->rm.result;
	board->loaded = true;
	return KD_OK;
}

/* The agent's score and combination-rule points on a loaded board. */
static bool board_agent(const struct tui_board *board, int64_t agent_id,
                        int64_t *score_cp, int64_t *combo_cp)
{
	if (!board->loaded)
		return false;
	for (size_t i = 0; i < board->result->agent_count; i++) {
		const struct score_agent_result *a = &board->result->agents[i];
		if (a->agent->id == agent_id) {
			*score_cp = a->score_cp;
			if (combo_cp)
				*combo_cp = a->combo_cp;
			return true;
		}
	}
	return false;
}

/* The agent's score and combination-rule points in month: from the
 * desk's board when it shows that month (no scoring), else scored. */
bool desk_agent_score_combo(struct tui *tui, kd_month month, int64_t agent_id,
                            int64_t *score_cp, int64_t *combo_cp)
{
	const struct tui_board *shown = &tui->desk.board;
	if (shown->loaded && shown->month == month)
		return board_agent(shown, agent_id, score_cp, combo_cp);
	struct tui_board board = {0};
	bool found = false;
	if (tui_board_load(tui, month, &board) == KD_OK)
		found = board_agent(&board, agent_id, score_cp, combo_cp);
	tui_board_finish(&board);
	return found;
}

bool tui_agent_score(struct tui *tui, kd_month month, int64_t agent_id,
                     int64_t *score_cp)
{
	return desk_agent_score_combo(tui, month, agent_id, score_cp, NULL);
}

/* " + combination rule -20.00" when the entry fired the rule, " - ..."
 * when it lifted it, "" otherwise. */
void desk_combo_note(int64_t before, int64_t after, char *buf, size_t size)
{
	char pts[32];
	buf[0] = '\0';
	if (before == after)
		return;
	if (after != 0 && before == 0) {
		tui_points_text(pts, sizeof(pts), after, true);
		snprintf(buf, size, _(" + combination rule %s"), pts);
	} else if (after == 0) {
		tui_points_text(pts, sizeof(pts), before, true);
		snprintf(buf, size, _(" (combination rule %s lifted)"), pts);
	} else {
		tui_points_text(pts, sizeof(pts), after, true);
		snprintf(buf, size, _(" (combination rule now %s)"), pts);
	}
}

static void day_finish(struct tui_desk *d)
{
	app_events_finish(&d->month_events);
	free(d->month_points);
	free(d->day);
	d->month_points = NULL;
	d->day = NULL;
	d->day_count = 0;
}

void tui_desk_finish(struct tui_desk *desk)
{
	app_appeals_finish(&desk->appeals);
	day_finish(desk);
	app_agents_finish(&desk->agents);
	tui_board_finish(&desk->board);
	free(desk->mine);
	desk->mine = NULL;
	desk->mine_count = desk->mine_cap = 0;
}

/* The log: log_date's entries, each with what it added after the
 * category's rule given the month's earlier entries (read as counts). */
static enum kd_status load_day(struct tui *tui)
{
	struct tui_desk *d = &tui->desk;
	kd_month month = date_month(d->log_date);
	struct store_month info;
	struct app_refusal why;
	day_finish(d);
	if (!app_month_get(&tui->app, month, &info, &why))
		return why.status;
	d->log_closed = info.closed;
	if (!app_events(&tui->app, d->log_date, d->log_date, 0, true,
	                &d->month_events, &why))
		return why.status;
	size_t n = d->month_events.count;
	d->month_points = calloc(n ? n : 1, sizeof(*d->month_points));
	d->day = calloc(n ? n : 1, sizeof(*d->day));
	if (!d->month_points || !d->day)
		return KD_ERR_NOMEM;
	for (size_t i = 0; i < n; i++)
		if (d->month_events.events[i].date == d->log_date)
			d->day[d->day_count++] = i;
	/* A closed month's points come from the rules it was closed under,
	 * like its board. */
	return app_day_points(&tui->app, d->log_date, &d->month_events,
	                      d->month_points, &why)
	           ? KD_OK
	           : why.status;
}

size_t desk_pane_count(const struct tui *tui, enum tui_pane pane)
{
	const struct tui_desk *d = &tui->desk;
	switch (pane) {
	case TUI_PANE_ROSTER:
		return d->agents.count;
	case TUI_PANE_LOG:
		return d->day_count;
	case TUI_PANE_BOARD:
		return d->board.loaded ? d->board.result->agent_count : 0;
	default:
		return 0;
	}
}

static void clamp_selections(struct tui *tui)
{
	for (int p = 0; p < TUI_PANES; p++) {
		size_t n = desk_pane_count(tui, (enum tui_pane)p);
		if (tui->desk.sel[p] >= n)
			tui->desk.sel[p] = n ? n - 1 : 0;
	}
}

const struct store_agent *tui_desk_agent(const struct tui *tui)
{
	const struct tui_desk *d = &tui->desk;
	if (d->sel[TUI_PANE_ROSTER] >= d->agents.count)
		return NULL;
	return &d->agents.agents[d->sel[TUI_PANE_ROSTER]];
}

void tui_desk_select_agent(struct tui *tui, int64_t id)
{
	struct tui_desk *d = &tui->desk;
	for (size_t i = 0; i < d->agents.count; i++)
		if (d->agents.agents[i].id == id)
			d->sel[TUI_PANE_ROSTER] = i;
}

/* The log entry shown on row `row` (newest first). */
const struct store_event *desk_log_event(const struct tui *tui, size_t row,
                                         int64_t *points)
{
	const struct tui_desk *d = &tui->desk;
	if (row >= d->day_count)
		return NULL;
	size_t i = d->day[d->day_count - 1 - row];
	if (points)
		*points = d->month_points[i];
	return &d->month_events.events[i];
}

bool tui_desk_reload(struct tui *tui)
{
	struct tui_desk *d = &tui->desk;
	const struct store_agent *sel = tui_desk_agent(tui);
	int64_t sel_id = sel ? sel->id : 0;
	const struct store_event *ev =
	    desk_log_event(tui, d->sel[TUI_PANE_LOG], NULL);
	int64_t ev_id = ev ? ev->id : 0;
	bool ok = true;
	char text[16];

	struct app_refusal why;
	app_agents_finish(&d->agents);
	app_appeals_finish(&d->appeals);
	d->appeals_loaded = false;
	enum kd_status status =
	    app_agents(&tui->app, true, &d->agents, &why) ? KD_OK : why.status;
	if (status == KD_OK)
		status = load_day(tui);
	if (status == KD_OK) {
		status = tui_board_load(tui, d->board_month, &d->board);
		if (status != KD_OK && d->board.err[0]) {
			tui_status(
			    tui, true, _("The board of %s: %s"),
			    month_format(text, sizeof(text), d->board_month),
			    d->board.err);
			status = KD_OK;
			ok = false;
		}
	}
	if (status != KD_OK) {
		if (status == KD_ERR_NOMEM)
			tui_status(tui, true, _("Out of memory"));
		else
			tui_status_store(tui, status);
		ok = false;
	}
	if (sel_id)
		tui_desk_select_agent(tui, sel_id);
	for (size_t row = 0; ev_id && row < d->day_count; row++)
		if (desk_log_event(tui, row, NULL)->id == ev_id)
			d->sel[TUI_PANE_LOG] = row;
	clamp_selections(tui);
	return ok;
}

/* ---- the rulebook ---- */

void tui_reload_rulebook(struct tui *tui)
{
	struct rulebook *old = NULL;
	struct config_errors errors = {0};
	struct app_refusal why;
	/* Mako's way (STYLE.md practice 8): app_rulebook_reload swaps in
	 * only a rulebook that validated; the old rules stay otherwise. */
	if (!app_rulebook_reload(&tui->app, &old, &errors, &why)) {
		if (errors.count == 0) {
			tui_status_refusal(tui, &why);
		} else {
			tui_status(tui, true,
			           _("Rulebook refused: %zu error(s), the old "
			             "rules stay in force. First: %s"),
			           errors.count, errors.messages[0]);
			if (tui_errors_open(tui, errors.messages,
			                    errors.count)) {
				errors.messages = NULL;
				errors.count = 0;
			}
		}
		config_errors_finish(&errors);
		return;
	}
	config_errors_finish(&errors);
	struct tui_keymap keys = {0};
	if (!tui_keymap_build(&keys, tui->app.rb)) {
		rulebook_destroy(tui->app.rb);
		tui->app.rb = old;
		tui_status(tui, true, _("Out of memory"));
		return;
	}
	tui_keymap_finish(&tui->keys);
	tui->keys = keys;
	rulebook_destroy(old);
	tui->rb = tui->app.rb;
	tui_set_actor(tui);
	tui_desk_reload(tui);
	tui_status(tui, false, _("Rulebook reloaded from %s: %zu categories"),
	           tui->opt.config_path ? tui->opt.config_path
	                                : _("the built-in rulebook"),
	           tui->rb->category_count);
}

/* ---- time passing, other desks ---- */

unsigned tui_desk_tick(struct tui *tui)
{
	struct tui_desk *d = &tui->desk;
	unsigned flags = 0;
	bool reload = false;
	kd_date today = clock_today();
	if (today != d->today) {
		/* Midnight: a desk showing today follows the date. */
		kd_date old = d->today;
		d->today = today;
		if (d->log_date == old)
			d->log_date = today;
		if (d->board_month == date_month(old))
			d->board_month = date_month(today);
		reload = true;
	}
	int64_t version;
	if (app_data_version(&tui->app, &version) &&
	    version != tui->data_version) {
		tui->data_version = version;
		reload = true;
	}
	if (reload) {
		tui_desk_reload(tui);
		flags |= TUI_REDRAW;
	}
	return flags;
}

/* ---- keys ---- */

static void move_selection(struct tui *tui, long delta)
{
	struct tui_desk *d = &tui->desk;
	size_t n = desk_pane_count(tui, d->focus);
	if (n == 0)
		return;
	long s = (long)d->sel[d->focus] + delta;
	if (s < 0)
		s = 0;
	if (s >= (long)n)
		s = (long)n - 1;
	d->sel[d->focus] = (size_t)s;
	/* The board leads the roster to the same agent, so a hotkey pressed
	 * on the board logs for the agent highlighted there. */
	if (d->focus == TUI_PANE_BOARD)
		tui_desk_select_agent(tui,
		                      d->board.result->agents[s].agent->id);
}

static void set_log_date(struct tui *tui, kd_date date)
{
	struct tui_desk *d = &tui->desk;
	char a[16];
	if (date > d->today) {
		tui_status(tui, true,
		           _("The log cannot show days after today"));
		return;
	}
	d->log_date = date;
	d->sel[TUI_PANE_LOG] = 0;
	d->top[TUI_PANE_LOG] = 0;
	tui_desk_reload(tui);
	if (date != d->today)
		tui_status(tui, false,
		           _("Back-filling %s: entries go to that day (T: "
		             "today)"),
		           date_format(a, sizeof(a), date));
	else
		tui_status(tui, false, _("Today"));
}

static void set_board_month(struct tui *tui, kd_month month)
{
	struct tui_desk *d = &tui->desk;
	if (month > date_month(d->today)) {
		tui_status(tui, true,
		           _("The board cannot show months after this one"));
		return;
	}
	d->board_month = month;
	d->sel[TUI_PANE_BOARD] = 0;
	d->top[TUI_PANE_BOARD] = 0;
	tui_desk_reload(tui);
}

static unsigned desk_key(struct tui *tui, void *state, wint_t key, bool code)
{
	struct tui_desk *d = state;
	const struct tui_key *k =
	    tui_keymap_find(&tui->keys, TUI_SCOPE_DESK, key, code);
	if (!k && !code && key >= '0' && key <= '9') {
		if (d->count < 10000)
			d->count = d->count * 10 + (int)(key - '0');
		d->count_typed = true;
		tui_status(tui, false,
		           _("Quantity %d: now a category key (Esc clears)"),
		           d->count);
		return TUI_HANDLED | TUI_REDRAW;
	}
	int count = d->count_typed ? d->count : 0;
	bool had_count = d->count_typed;
	d->count = 0;
	d->count_typed = false;
	if (!k) {
		if (!code && key == 27) {
			tui_status(tui, false, "%s",
			           had_count ? _("Cleared") : "");
			return TUI_HANDLED | TUI_REDRAW;
		}
		char name[32];
		tui_key_name(key, code, name, sizeof(name));
		tui_status(tui, true,
		           _("The key %s does nothing here; ? shows "
		             "every key"),
		           name);
		return TUI_REDRAW;
	}
	size_t page = (size_t)(tui->layout.panes[d->focus].h > 3
	                           ? tui->layout.panes[d->focus].h - 3
	                           : 1);
	switch (k->action) {
	case TUI_ACT_LOG:
		/* A typed 0 goes to the app, which refuses it. */
		tui_entry_start(tui, k->category, had_count ? count : -1);
		break;
	case TUI_ACT_UP:
		move_selection(tui, -1);
		break;
	case TUI_ACT_DOWN:
		move_selection(tui, 1);
		break;
	case TUI_ACT_PAGE_UP:
		move_selection(tui, -(long)page);
		break;
	case TUI_ACT_PAGE_DOWN:
		move_selection(tui, (long)page);
		break;
	case TUI_ACT_NEXT_PANE:
		d->focus = (enum tui_pane)((d->focus + 1) % TUI_PANES);
		break;
	case TUI_ACT_FIRST:
		move_selection(tui, -(long)desk_pane_count(tui, d->focus));
		break;
	case TUI_ACT_LAST:
		move_selection(tui, (long)desk_pane_count(tui, d->focus));
		break;
	case TUI_ACT_DETAILS:
		desk_details_open(tui);
		break;
	case TUI_ACT_FIND:
		tui_find_open(tui);
		break;
	case TUI_ACT_UNDO:
		desk_undo_last(tui);
		break;
	case TUI_ACT_VOID:
		desk_void_selected(tui);
		break;
	case TUI_ACT_APPEAL:
		desk_appeal_selected(tui);
		break;
	case TUI_ACT_DAY_PREV:
		set_log_date(tui, d->log_date - 1);
		break;
	case TUI_ACT_DAY_NEXT:
		set_log_date(tui, d->log_date + 1);
		break;
	case TUI_ACT_TODAY:
		set_log_date(tui, d->today);
		break;
	case TUI_ACT_MONTH_PREV:
		set_board_month(tui, d->board_month - 1);
		break;
	case TUI_ACT_MONTH_NEXT:
		set_board_month(tui, d->board_month + 1);
		break;
	case TUI_ACT_AGENT_ADD:
		tui_agent_form_open(tui, NULL);
		break;
	case TUI_ACT_AGENT_EDIT: {
		const struct store_agent *a = tui_desk_agent(tui);
		if (a)
			tui_agent_form_open(tui, a);
		else
			tui_status(tui, true, _("No agent selected"));
		break;
	}
	case TUI_ACT_REVIEW:
		tui_review_open(tui, d->board_month);
		break;
	case TUI_ACT_HELP:
		tui_help_open(tui);
		break;
	case TUI_ACT_RELOAD:
		tui_reload_rulebook(tui);
		break;
	case TUI_ACT_REDRAW:
		clearok(curscr, TRUE);
		break;
	case TUI_ACT_QUIT:
		return TUI_HANDLED | TUI_QUIT;
	default:
		break;
	}
	return TUI_HANDLED | TUI_REDRAW;
}

/* A click on the log's or the board's top border: ◀ the day or month
 * before, ▶ the one after, the title today or this month. */
static unsigned border_click(struct tui *tui, enum tui_pane p, int x)
{
	struct tui_desk *d = &tui->desk;
	int a = d->arrow_x[p];
	long step = 0;
	if (a && x == a)
		step = -1;
	else if (a && x == a + 2)
		step = 1;
	else if (x < d->title_x[p] || (a && x >= a) ||
	         (!a &&
	          x >= tui->layout.panes[p].x + tui->layout.panes[p].w - 1))
		return TUI_HANDLED | TUI_REDRAW;
	if (p == TUI_PANE_LOG)
		set_log_date(tui, step ? d->log_date + step : d->today);
	else
		set_board_month(tui, step ? d->board_month + step
		                          : date_month(d->today));
	return TUI_HANDLED | TUI_REDRAW;
}

/* A click focuses the pane and selects the row under it (a click on the
 * selected log entry shows its details, on the selected agent edits it,
 * below the last agent adds one); the wheel moves the selection of the
 * pane under the pointer. */
static unsigned desk_mouse(struct tui *tui, void *state, const MEVENT *ev)
{
	struct tui_desk *d = state;
	for (int p = 0; p < TUI_PANES; p++) {
		const struct tui_rect *r = &tui->layout.panes[p];
		if (ev->y < r->y || ev->y >= r->y + r->h || ev->x < r->x ||
		    ev->x >= r->x + r->w)
			continue;
		d->focus = (enum tui_pane)p;
		if (ev->bstate & (TUI_WHEEL_UP | TUI_WHEEL_DOWN)) {
			move_selection(tui, ev->bstate & TUI_WHEEL_UP ? -3 : 3);
			return TUI_HANDLED | TUI_REDRAW;
		}
		if (!(ev->bstate & TUI_MOUSE_CLICK))
			return 0;
		int row = ev->y - r->y - 1;
		size_t n = desk_pane_count(tui, d->focus);
		if (row < 0 && p != TUI_PANE_ROSTER)
			return border_click(tui, (enum tui_pane)p, ev->x);
		if (row < 0 || ev->y >= r->y + r->h - 1)
			return TUI_HANDLED | TUI_REDRAW;
		size_t i = d->top[p] + (size_t)row;
		if (i >= n) {
			/* Below the last agent: add one. */
			if (p == TUI_PANE_ROSTER)
				tui_agent_form_open(tui, NULL);
			return TUI_HANDLED | TUI_REDRAW;
		}
		/* A second click: the entry's details, the agent's form. */
		if (p == TUI_PANE_LOG && i == d->sel[p])
			desk_details_open(tui);
		if (p == TUI_PANE_ROSTER && i == d->sel[p])
			tui_agent_form_open(tui, tui_desk_agent(tui));
		move_selection(tui, (long)i - (long)d->sel[p]);
		return TUI_HANDLED | TUI_REDRAW;
	}
	return 0;
}

/* The key bar: the categories the log's month uses most first (the rest
 * in the rulebook's order), each label cut so no two look alike. */
static void desk_bar(struct tui *tui, void *state, struct tui_bar_options *opt)
{
	const struct tui_desk *d = state;
	const struct rulebook *rb = tui->rb;
	size_t n = rb ? rb->category_count : 0;
	size_t uses[TUI_BAR_CATEGORIES] = {0};
	if (n > TUI_BAR_CATEGORIES)
		n = TUI_BAR_CATEGORIES;
	const struct tui_board *b = &d->board;
	if (b->loaded && b->month == date_month(d->log_date)) {
		/* The month's counts, from its board (no reading); by key, as
		 * a closed month's rules may order them otherwise. */
		for (size_t bc = 0; bc < b->rb->category_count; bc++) {
			int c = rulebook_category_index(
			    rb, b->rb->categories[bc].key);
			if (c < 0 || (size_t)c >= n)
				continue;
			for (size_t a = 0; a < b->result->agent_count; a++)
				uses[c] += (size_t)b->result->agents[a]
				               .categories[bc]
				               .occurrences;
		}
	} else {
		/* Another month on the board: the log's day. */
		for (size_t i = 0; i < d->month_events.count; i++) {
			const struct store_event *e =
			    &d->month_events.events[i];
			int c = e->voided
			            ? -1
			            : rulebook_category_index(rb, e->category);
			if (c >= 0 && (size_t)c < n)
				uses[c]++;
		}
	}
	for (size_t c = 0; c < n; c++) {
		tui->bar_order[c] = c;
		tui_category_text(rb, c, 8, tui->bar_labels[c],
		                  sizeof(tui->bar_labels[c]));
		tui->bar_label_ptrs[c] = tui->bar_labels[c];
	}
	/* Insertion sort, stable: ties keep the rulebook's order. */
	for (size_t i = 1; i < n; i++) {
		size_t c = tui->bar_order[i], j = i;
		while (j > 0 && uses[tui->bar_order[j - 1]] < uses[c]) {
			tui->bar_order[j] = tui->bar_order[j - 1];
			j--;
		}
		tui->bar_order[j] = c;
	}
	/* An entry selected in the log: ! appeals it (a click on the log
	 * then on the bar); back-filling: T goes back to today. */
	if (d->focus == TUI_PANE_LOG && d->day_count > 0) {
		/* In the place of find, which is the roster's. */
		opt->show |= 1ull << TUI_ACT_APPEAL;
		opt->hide |= 1ull << TUI_ACT_FIND;
	}
	if (d->log_date != d->today)
		opt->show |= 1ull << TUI_ACT_TODAY;
	opt->order = tui->bar_order;
	opt->order_count = n;
	opt->labels = tui->bar_label_ptrs;
}

const struct screen_ops tui_desk_screen = {
    /* The main screen, never closed while the program runs. */
    .name = "desk",
    /* It fills the terminal. */
    .overlay = false,
    /* Category hotkeys and the desk's own keys. */
    .scope = TUI_SCOPE_DESK,
    /* The three panes (the manager draws title, status and key bar). */
    .draw = desk_draw,
    /* Entries, moves, and opening the other screens. */
    .key = desk_key,
    /* The data is reloaded by the tick itself; nothing more to do. */
    .changed = NULL,
    /* Clicks select; the wheel moves. */
    .mouse = desk_mouse,
    /* The most used categories first. */
    .bar = desk_bar,
    /* The desk's data lives in struct tui and is freed with it. */
    .destroy = NULL,
};
