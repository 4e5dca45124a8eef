/* The desk: its data (agents, the day's log, the month's board), the
 * entries made from it, and the screen of three panes. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpidesk/config.h"
#include "kpidesk/fixed.h"
#include "kpidesk/text.h"
#include "kpidesk/review.h"
#include "tui_internal.h"

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
	size_t n = rb->category_count < LABELS_MAX ? rb->category_count
						    : LABELS_MAX;
	buf[0] = '\0';
	if (c >= n)
		return buf;
	for (size_t i = 0; i < n; i++) {
		labels[i] = rb->categories[i].label;
		shorts[i] = rb->categories[i].short_label;
	}
	return tui_label_fit(labels, shorts, n, c, cells, buf, size);
}

char *tui_tier_text(const struct rulebook *rb, int t, size_t cells,
		    char *buf, size_t size)
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

char *tui_kpi_text(const struct rulebook *rb, size_t k, size_t cells,
		   char *buf, size_t size)
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

static const struct store_agent *find_agent(const struct tui *tui,
					    int64_t id)
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
static bool agent_score_combo(struct tui *tui, kd_month month,
			      int64_t agent_id, int64_t *score_cp,
			      int64_t *combo_cp)
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
	return agent_score_combo(tui, month, agent_id, score_cp, NULL);
}

/* " + combination rule -20.00" when the entry fired the rule, " - ..."
 * when it lifted it, "" otherwise. */
static void combo_note(int64_t before, int64_t after, char *buf, size_t size)
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
	store_appeal_list_finish(&desk->appeals);
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

static size_t pane_count(const struct tui *tui, enum tui_pane pane)
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
		size_t n = pane_count(tui, (enum tui_pane)p);
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
static const struct store_event *log_event(const struct tui *tui, size_t row,
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
	const struct store_event *ev = log_event(tui, d->sel[TUI_PANE_LOG],
						 NULL);
	int64_t ev_id = ev ? ev->id : 0;
	bool ok = true;
	char text[16];

	struct app_refusal why;
	app_agents_finish(&d->agents);
	store_appeal_list_finish(&d->appeals);
	d->appeals_loaded = false;
	enum kd_status status = app_agents(&tui->app, true, &d->agents, &why)
					? KD_OK
					: why.status;
	if (status == KD_OK)
		status = load_day(tui);
	if (status == KD_OK) {
		status = tui_board_load(tui, d->board_month, &d->board);
		if (status != KD_OK && d->board.err[0]) {
			tui_status(tui, true, _("The board of %s: %s"),
				   month_format(text, sizeof(text),
						d->board_month),
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
		if (log_event(tui, row, NULL)->id == ev_id)
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

/* ---- entries ---- */

/* An entry being made: the prompts fill it in turn. The category is kept
 * by key, so a rulebook swapped in meanwhile cannot change its meaning. */
struct entry {
	int64_t agent_id;
	char category[RB_KEY_MAX];
	kd_date date;
	int32_t quantity;
	bool has_quantity;
	char note[TUI_NOTE_MAX + 1];
};

/* Says why `agent` cannot have an entry on `date`, if it cannot (the
 * app's rule, asked before the prompts). */
static bool entry_date_ok(struct tui *tui, const struct store_agent *agent,
			  kd_date date)
{
	struct app_refusal why;
	if (app_log_allowed(&tui->app, agent->id, date, &why))
		return true;
	tui_status_refusal(tui, &why);
	return false;
}

static void remember_mine(struct tui *tui, int64_t id)
{
	struct tui_desk *d = &tui->desk;
	if (d->mine_count == d->mine_cap) {
		size_t cap = d->mine_cap ? d->mine_cap * 2 : 16;
		int64_t *p = realloc(d->mine, cap * sizeof(*p));
		if (!p)
			return; /* undo will not reach it; the entry is saved */
		d->mine = p;
		d->mine_cap = cap;
	}
	d->mine[d->mine_count++] = id;
}

void tui_entry_words(const char *name, const struct rb_category *cat,
		     const char *category_key, int32_t quantity, char *buf,
		     size_t size)
{
	char qty[32];
	tui_quantity_text(cat, quantity, qty, sizeof(qty));
	snprintf(buf, size, "%s %s%s%s", name, cat ? cat->label : category_key,
		 qty[0] ? " " : "", qty);
}

/* "-1.00 → 79.00": how the agent's month score moved. */
static void score_move(int64_t before, bool had_before, int64_t after,
		       bool has_after, char *buf, size_t size)
{
	char delta[32], now[32];
	if (!has_after) {
		snprintf(buf, size, "%s", _("(not on the month's board)"));
		return;
	}
	tui_points_text(delta, sizeof(delta), after - (had_before ? before : after),
			true);
	tui_points_text(now, sizeof(now), after, false);
	snprintf(buf, size, "%s \xe2\x86\x92 %s", delta, now);
}

static void entry_commit(struct tui *tui, const struct entry *e)
{
	const struct rb_category *cat = rulebook_category(tui->rb, e->category);
	struct store_agent agent;
	if (!cat) {
		tui_status(tui, true,
			   _("The category %s is no longer in the rulebook: "
			     "nothing saved"),
			   e->category);
		return;
	}
	struct app_refusal why;
	if (!app_agent_get(&tui->app, e->agent_id, &agent, &why)) {
		tui_status_refusal(tui, &why);
		return;
	}
	kd_month month = date_month(e->date);
	int64_t before = 0, after = 0, id = 0, combo0 = 0, combo1 = 0;
	bool had = agent_score_combo(tui, month, agent.id, &before, &combo0);
	struct app_log entry = {
		.agent_id = agent.id,
		.category = cat->key,
		.quantity = e->quantity,
		.date = e->date,
		.note = e->note,
	};
	if (!app_log(&tui->app, &entry, &id, &why)) {
		tui_status_refusal(tui, &why);
		goto out;
	}
	remember_mine(tui, id);
	/* One scoring after the write: the reloaded board gives the score
	 * after (before was the board as shown). */
	if (tui_desk_reload(tui)) {
		bool has = agent_score_combo(tui, month, agent.id, &after,
					     &combo1);
		char words[256], move[96], combo[96];
		tui_entry_words(agent.name, cat, cat->key, e->quantity, words,
				sizeof(words));
		score_move(before, had, after, has, move, sizeof(move));
		combo_note(combo0, combo1, combo, sizeof(combo));
		tui_status(tui, false, "%s %s%s", words, move, combo);
	}
	tui_desk_select_agent(tui, agent.id);
	if (e->date == tui->desk.log_date)
		tui->desk.sel[TUI_PANE_LOG] = 0;
out:
	app_agent_finish(&agent);
}

static void entry_continue(struct tui *tui, struct entry *e);

static bool note_done(struct tui *tui, void *ctx, const char *text)
{
	struct entry *e = ctx;
	if (text_is_blank(text)) {
		tui_status(tui, true,
			   _("A note is required here (such as the order "
			     "number); Esc cancels"));
		return false;
	}
	snprintf(e->note, sizeof(e->note), "%s", text);
	entry_commit(tui, e);
	return true;
}

static bool minutes_done(struct tui *tui, void *ctx, const char *text)
{
	struct entry *e = ctx;
	int32_t minutes;
	struct app_refusal why;
	if (!app_quantity_parse(text, &minutes, &why)) {
		tui_status_refusal(tui, &why);
		return false;
	}
	e->quantity = minutes;
	e->has_quantity = true;
	entry_continue(tui, e);
	return true;
}

/* Opens the next prompt the entry needs, or saves it. Each prompt gets its
 * own copy of the entry (a prompt frees its context when it closes). */
static void entry_continue(struct tui *tui, struct entry *e)
{
	const struct rb_category *cat = rulebook_category(tui->rb, e->category);
	const struct store_agent *agent = find_agent(tui, e->agent_id);
	char title[256];
	if (!cat || !agent) {
		entry_commit(tui, e); /* says what is missing */
		return;
	}
	if (cat->unit == RB_UNIT_MINUTES && !e->has_quantity) {
		struct entry *next = malloc(sizeof(*next));
		if (!next) {
			tui_status(tui, true, _("Out of memory"));
			return;
		}
		*next = *e;
		char initial[16] = "";
		if (e->quantity > 1)
			snprintf(initial, sizeof(initial), "%" PRId32,
				 e->quantity);
		snprintf(title, sizeof(title), _("%s %s: minutes?"),
			 agent->name, cat->label);
		tui_prompt_open(tui, title, initial, 4, true, minutes_done,
				next);
		return;
	}
	if (cat->note_required && text_is_blank(e->note)) {
		struct entry *next = malloc(sizeof(*next));
		if (!next) {
			tui_status(tui, true, _("Out of memory"));
			return;
		}
		*next = *e;
		snprintf(title, sizeof(title), _("%s %s: note (required)?"),
			 agent->name, cat->label);
		tui_prompt_open(tui, title, "", TUI_NOTE_MAX, false, note_done,
				next);
		return;
	}
	entry_commit(tui, e);
}

void tui_entry_start(struct tui *tui, int cat_index, int count)
{
	const struct store_agent *agent = tui_desk_agent(tui);
	if (cat_index < 0 || (size_t)cat_index >= tui->rb->category_count)
		return;
	const struct rb_category *cat = &tui->rb->categories[cat_index];
	if (!agent) {
		tui_status(tui, true,
			   _("No agent to log for: add one with a"));
		return;
	}
	/* Refuse before asking anything the entry could not be saved. */
	if (!entry_date_ok(tui, agent, tui->desk.log_date))
		return;
	struct entry e = {0};
	e.agent_id = agent->id;
	snprintf(e.category, sizeof(e.category), "%s", cat->key);
	e.date = tui->desk.log_date;
	e.quantity = count >= 0 ? count : 1;
	/* A number typed before a minutes hotkey only fills in the prompt:
	 * minutes are always asked for. */
	e.has_quantity = cat->unit == RB_UNIT_COUNT;
	entry_continue(tui, &e);
}

/* ---- undo and void ---- */

static void void_event(struct tui *tui, int64_t id, const char *reason,
		       const char *what)
{
	struct store_event ev;
	struct app_refusal why;
	if (!app_event_get(&tui->app, id, &ev, &why)) {
		tui_status_refusal(tui, &why);
		return;
	}
	const struct rb_category *cat = rulebook_category(tui->rb, ev.category);
	char words[256], move[96];
	int64_t before = 0, after = 0, combo0 = 0, combo1 = 0;
	char combo[96];
	kd_month month = date_month(ev.date);
	bool had = agent_score_combo(tui, month, ev.agent_id, &before, &combo0);
	if (!app_void(&tui->app, id, reason, &why)) {
		tui_status_refusal(tui, &why);
		app_event_finish(&ev);
		return;
	}
	if (tui_desk_reload(tui)) {
		bool has = agent_score_combo(tui, month, ev.agent_id, &after,
					     &combo1);
		tui_entry_words(ev.agent_name, cat, ev.category, ev.quantity,
				words, sizeof(words));
		score_move(before, had, after, has, move, sizeof(move));
		combo_note(combo0, combo1, combo, sizeof(combo));
		tui_status(tui, false, "%s #%" PRId64 ": %s %s%s", what, id,
			   words, move, combo);
	}
	app_event_finish(&ev);
}

static void undo_last(struct tui *tui)
{
	struct tui_desk *d = &tui->desk;
	while (d->mine_count > 0) {
		int64_t id = d->mine[--d->mine_count];
		struct store_event ev;
		struct app_refusal why;
		if (!app_event_get(&tui->app, id, &ev, &why))
			continue;
		bool voided = ev.voided;
		app_event_finish(&ev);
		if (voided)
			continue; /* voided meanwhile, at this desk or another */
		void_event(tui, id, "undo", _("Undone"));
		return;
	}
	tui_status(tui, true, _("Nothing to undo: no entry made at this desk "
				"is still standing"));
}

static bool void_reason_done(struct tui *tui, void *ctx, const char *text)
{
	int64_t *id = ctx;
	if (text_is_blank(text)) {
		tui_status(tui, true,
			   _("Say why the entry is voided; Esc cancels"));
		return false;
	}
	void_event(tui, *id, text, _("Voided"));
	return true;
}

static void void_selected(struct tui *tui)
{
	int64_t points;
	const struct store_event *ev =
		log_event(tui, tui->desk.sel[TUI_PANE_LOG], &points);
	if (!ev) {
		tui_status(tui, true, _("No entry selected in the log"));
		return;
	}
	struct app_refusal why;
	if (!app_void_allowed(&tui->app, ev->id, &why)) {
		tui_status_refusal(tui, &why);
		return;
	}
	const struct rb_category *cat = rulebook_category(tui->rb, ev->category);
	char words[256], title[400];
	tui_entry_words(ev->agent_name, cat, ev->category, ev->quantity, words,
		    sizeof(words));
	snprintf(title, sizeof(title), _("Void #%lld %s: reason?"),
		 (long long)ev->id, words);
	int64_t *id = malloc(sizeof(*id));
	if (!id) {
		tui_status(tui, true, _("Out of memory"));
		return;
	}
	*id = ev->id;
	tui_prompt_open(tui, title, "", TUI_NOTE_MAX, false, void_reason_done,
			id);
}

/* ---- appeals (PRODUCT.md "Appeals") ---- */

static bool appeal_reason_done(struct tui *tui, void *ctx, const char *text)
{
	int64_t *id = ctx;
	struct store_event ev;
	struct app_refusal why;
	if (text_is_blank(text)) {
		tui_status(tui, true,
			   _("Give the agent's reason for the appeal; Esc "
			     "cancels"));
		return false;
	}
	if (!app_event_get(&tui->app, *id, &ev, &why)) {
		tui_status_refusal(tui, &why);
		return true;
	}
	if (!app_appeal(&tui->app, *id, text, &why)) {
		tui_status_refusal(tui, &why);
	} else {
		char words[256];
		const struct rb_category *cat =
			rulebook_category(tui->rb, ev.category);
		tui_entry_words(ev.agent_name, cat, ev.category, ev.quantity,
				words, sizeof(words));
		tui_status(tui, false,
			   _("Appeal of #%lld opened: %s (counted until it "
			     "is settled)"),
			   (long long)*id, words);
	}
	app_event_finish(&ev);
	/* The review, when it asked, lists the appeal too. */
	tui_desk_reload(tui);
	tui_changed(tui);
	return true;
}

void tui_appeal_start(struct tui *tui, int64_t event_id)
{
	struct store_event ev;
	struct app_refusal why;
	char words[256], title[400];
	if (!app_event_get(&tui->app, event_id, &ev, &why)) {
		tui_status_refusal(tui, &why);
		return;
	}
	const struct rb_category *cat = rulebook_category(tui->rb, ev.category);
	tui_entry_words(ev.agent_name, cat, ev.category, ev.quantity, words,
			sizeof(words));
	if (!app_appeal_allowed(&tui->app, event_id, &why)) {
		tui_status_refusal(tui, &why);
	} else {
		int64_t *id = malloc(sizeof(*id));
		if (!id) {
			tui_status(tui, true, _("Out of memory"));
		} else {
			*id = ev.id;
			snprintf(title, sizeof(title),
				 _("Appeal #%lld %s: the agent's reason?"),
				 (long long)ev.id, words);
			tui_prompt_open(tui, title, "", TUI_NOTE_MAX, false,
					appeal_reason_done, id);
		}
	}
	app_event_finish(&ev);
}

static void appeal_selected(struct tui *tui)
{
	const struct store_event *ev =
		log_event(tui, tui->desk.sel[TUI_PANE_LOG], NULL);
	if (!ev) {
		tui_status(tui, true, _("No entry selected in the log"));
		return;
	}
	tui_appeal_start(tui, ev->id);
}

/* ---- drawing ---- */

static void pane_title(const struct tui *tui, enum tui_pane pane, char *buf,
		       size_t size)
{
	const struct tui_desk *d = &tui->desk;
	char text[32];
	int y, m, day;
	switch (pane) {
	case TUI_PANE_ROSTER:
		snprintf(buf, size, "%s", _("Roster"));
		break;
	case TUI_PANE_LOG:
		date_to_ymd(d->log_date, &y, &m, &day);
		snprintf(text, sizeof(text), "%02d-%02d", m, day);
		snprintf(buf, size, _("Log %s"), text);
		break;
	default:
		month_format(text, sizeof(text), d->board_month);
		snprintf(buf, size, _("Board %s%s"), text,
			 d->board.closed ? _(" (closed)") : "");
		break;
	}
}

/* A tier's label in `cells` cells, distinct from the other tiers. */
static void tier_text(const struct tui *tui, const char *label, size_t cells,
		      char *buf, size_t size)
{
	for (size_t t = 0; tui->rb && t < tui->rb->tier_count; t++)
		if (!strcmp(tui->rb->tiers[t].label, label)) {
			tui_tier_text(tui->rb, (int)t, cells, buf, size);
			return;
		}
	tui_short_label(label, cells, buf, size);
}

static void draw_roster(struct tui *tui, const struct tui_rect *r,
			bool focus)
{
	struct tui_desk *d = &tui->desk;
	size_t inner = (size_t)r->w - 2, rows = (size_t)r->h - 2;
	size_t id_w = 2;
	for (size_t i = 0; i < d->agents.count; i++) {
		char idt[24];
		snprintf(idt, sizeof(idt), "%" PRId64, d->agents.agents[i].id);
		if (strlen(idt) > id_w)
			id_w = strlen(idt);
	}
	const char *states[] = {_("on"), _("left"), _("new")};
	size_t state_w = 0;
	for (size_t i = 0; i < 3; i++)
		if (text_width(states[i]) > state_w)
			state_w = text_width(states[i]);
	if (state_w > 4)
		state_w = 4;
	size_t tier_w = 4;
	/* marker, id, name, tier, state with four separators. */
	size_t fixed = 1 + id_w + tier_w + state_w + 4;
	size_t name_w = tui_flex_width(inner, fixed, 4, 12);
	if (fixed + name_w > inner) {
		state_w = 0; /* too narrow: the state goes first */
		name_w = tui_flex_width(inner, fixed - 1, 4, 12);
	}
	d->top[TUI_PANE_ROSTER] = tui_scroll_top(
		d->top[TUI_PANE_ROSTER], d->sel[TUI_PANE_ROSTER],
		d->agents.count, rows);
	kd_month month = date_month(d->log_date);
	for (size_t row = 0; row < rows; row++) {
		size_t i = d->top[TUI_PANE_ROSTER] + row;
		if (i >= d->agents.count)
			break;
		const struct store_agent *a = &d->agents.agents[i];
		bool sel = i == d->sel[TUI_PANE_ROSTER];
		char idt[24], tier[32], line[512] = "", name[128] = "";
		snprintf(idt, sizeof(idt), "%0*" PRId64, (int)id_w, a->id);
		tier_text(tui, tui_tier_label(tui, a, month), tier_w, tier,
			  sizeof(tier));
		tui_cut(name, sizeof(name), a->name, name_w);
		int state = a->left != KD_DATE_NONE && a->left < d->log_date
				    ? 1
			    : a->hired > d->log_date ? 2
						     : 0;
		const char *texts[] = {sel ? ">" : " ", idt, name, tier,
				       states[state]};
		const size_t widths[] = {1, id_w, name_w, tier_w, state_w};
		const bool right[] = {false, true, false, false, false};
		tui_format_row(line, sizeof(line), 5, texts, widths, right);
		attr_t attr = state ? tui_attr(tui, TUI_ROLE_DIM) : A_NORMAL;
		if (sel)
			attr = focus ? tui_attr(tui, TUI_ROLE_SELECTED)
				     : A_BOLD;
		tui_put(r->y + 1 + (int)row, r->x + 1, inner, line, attr);
	}
	if (d->agents.count == 0)
		tui_put(r->y + 1, r->x + 1, inner, _(" No agents: a adds one"),
			tui_attr(tui, TUI_ROLE_DIM));
}

/* The latest appeal of event e, or NULL (the month's appeals are read
 * once after each reload). */
static const struct store_appeal *event_appeal(struct tui *tui,
					       const struct store_event *e)
{
	struct tui_desk *d = &tui->desk;
	if (!e->appeal)
		return NULL;
	if (!d->appeals_loaded) {
		d->appeals_loaded = true;
		struct app_refusal why;
		if (!app_appeals(&tui->app, date_month(d->log_date), false,
				 &d->appeals, &why))
			store_appeal_list_finish(&d->appeals);
	}
	const struct store_appeal *found = NULL;
	for (size_t i = 0; i < d->appeals.count; i++)
		if (d->appeals.appeals[i].event_id == e->id)
			found = &d->appeals.appeals[i];
	return found;
}

static const char *appeal_state_word(const char *state)
{
	if (state && !strcmp(state, "open"))
		return _("pending");
	if (state && !strcmp(state, "upheld"))
		return _("upheld");
	if (state && !strcmp(state, "voided"))
		return _("granted");
	return state ? state : "";
}

/* An entry's details, one per line: who entered it and when, its note,
 * its appeal, why it was voided. Returns how many. */
static size_t entry_details(struct tui *tui, const struct store_event *e,
			    char lines[][TUI_NOTE_MAX + 128], size_t max)
{
	size_t n = 0;
	const struct store_appeal *ap = event_appeal(tui, e);
	if (n < max)
		snprintf(lines[n++], TUI_NOTE_MAX + 128,
			 _("#%lld entered by %s at %s"), (long long)e->id,
			 e->actor ? e->actor : "?",
			 e->created_at ? e->created_at : "?");
	if (n < max && e->note)
		snprintf(lines[n++], TUI_NOTE_MAX + 128, _("Note: %s"),
			 e->note);
	if (n < max && ap)
		snprintf(lines[n++], TUI_NOTE_MAX + 128,
			 _("Appeal (%s): %s"), appeal_state_word(ap->state),
			 ap->reason ? ap->reason : "");
	if (n < max && ap && ap->resolution)
		snprintf(lines[n++], TUI_NOTE_MAX + 128,
			 _("Settled by %s: %s"),
			 ap->resolved_by ? ap->resolved_by : "?",
			 ap->resolution);
	/* Undo voids with the reason "undo" (stored as it is). */
	if (n < max && e->voided && e->void_reason &&
	    !strcmp(e->void_reason, "undo"))
		snprintf(lines[n++], TUI_NOTE_MAX + 128, "%s",
			 _("Undone at the desk"));
	else if (n < max && e->voided)
		snprintf(lines[n++], TUI_NOTE_MAX + 128, _("Voided: %s"),
			 e->void_reason ? e->void_reason : "");
	return n;
}

/* Enter on the log: the selected entry's details in a box. */
static void details_open(struct tui *tui)
{
	struct tui_desk *d = &tui->desk;
	const struct store_event *e = log_event(tui, d->sel[TUI_PANE_LOG],
						NULL);
	if (d->focus != TUI_PANE_LOG || !e) {
		tui_status(tui, true,
			   _("Enter shows an entry's details: Tab to the log "
			     "first"));
		return;
	}
	char lines[6][TUI_NOTE_MAX + 128], words[256], title[300];
	const char *ptrs[6];
	size_t n = entry_details(tui, e, lines, 6);
	for (size_t i = 0; i < n; i++)
		ptrs[i] = lines[i];
	tui_entry_words(e->agent_name, rulebook_category(tui->rb, e->category),
			e->category, e->quantity, words, sizeof(words));
	snprintf(title, sizeof(title), "%s", words);
	tui_info_open(tui, title, ptrs, n);
}

static void draw_log(struct tui *tui, const struct tui_rect *r, bool focus)
{
	struct tui_desk *d = &tui->desk;
	size_t inner = (size_t)r->w - 2, rows = (size_t)r->h - 2;
	size_t time_w = 5, qty_w = 6, pts_w = 6;
	size_t rest = inner > time_w + qty_w + pts_w + 4
			      ? inner - (time_w + qty_w + pts_w + 4)
			      : 8;
	size_t name_w = rest >= 16 ? 8 : rest / 2;
	/* A one-cell mark before the label, * under appeal, on a day
	 * with an entry under appeal. */
	bool any_appeal = false;
	for (size_t i = 0; i < d->day_count; i++) {
		const struct store_event *e = log_event(tui, i, NULL);
		if (e->appeal && strcmp(e->appeal, "open") == 0)
			any_appeal = true;
	}
	size_t mark_w = any_appeal && rest - name_w > 6 ? 1 : 0;
	size_t label_w = rest - name_w - (mark_w ? 2 : 0);
	/* The last row: the selected entry's details (all of them on
	 * Enter), when the pane has room. */
	bool detail = rows >= 6 && d->day_count > 0;
	if (detail)
		rows--;
	d->top[TUI_PANE_LOG] = tui_scroll_top(d->top[TUI_PANE_LOG],
					      d->sel[TUI_PANE_LOG],
					      d->day_count, rows);
	for (size_t row = 0; row < rows; row++) {
		size_t idx = d->top[TUI_PANE_LOG] + row;
		int64_t points;
		const struct store_event *e = log_event(tui, idx, &points);
		if (!e)
			break;
		const struct rb_category *cat =
			rulebook_category(tui->rb, e->category);
		char time[8] = "", qty[32], pts[32], line[512] = "";
		if (e->created_at && strlen(e->created_at) >= 16)
			snprintf(time, sizeof(time), "%.5s",
				 e->created_at + 11);
		tui_quantity_text(cat, e->quantity, qty, sizeof(qty));
		if (e->voided)
			snprintf(pts, sizeof(pts), "%s", _("void"));
		else
			tui_points_text(pts, sizeof(pts), points, true);
		/* A label too long for its column: its short form, else
		 * its head, never two alike (tui_label_fit). */
		char label[128], name[128] = "";
		bool appealed = e->appeal && strcmp(e->appeal, "open") == 0;
		int ci = rulebook_category_index(tui->rb, e->category);
		if (ci >= 0)
			tui_category_text(tui->rb, (size_t)ci, label_w, label,
					  sizeof(label));
		else
			snprintf(label, sizeof(label), "%s", e->category);
		tui_cut(name, sizeof(name), e->agent_name, name_w);
		const char *texts[] = {time,  name,
				       appealed ? "*" : "", label, qty, pts};
		const size_t widths[] = {time_w,  name_w, mark_w,
					 label_w, qty_w,  pts_w};
		const bool right[] = {false, false, false, false, true, true};
		tui_format_row(line, sizeof(line), 6, texts, widths, right);
		bool sel = idx == d->sel[TUI_PANE_LOG];
		attr_t attr = A_NORMAL;
		if (e->voided)
			attr = tui_attr(tui, TUI_ROLE_DIM);
		else if (points < 0)
			attr = tui_attr(tui, TUI_ROLE_MINUS);
		else if (points > 0)
			attr = tui_attr(tui, TUI_ROLE_PLUS);
		if (sel)
			attr = focus ? tui_attr(tui, TUI_ROLE_SELECTED)
				     : attr | A_BOLD;
		tui_put(r->y + 1 + (int)row, r->x + 1, inner, line, attr);
	}
	if (d->day_count == 0)
		tui_put(r->y + 1, r->x + 1, inner, _(" No entries on this day"),
			tui_attr(tui, TUI_ROLE_DIM));
	const struct store_event *e = log_event(tui, d->sel[TUI_PANE_LOG],
						NULL);
	if (detail && e) {
		char lines[6][TUI_NOTE_MAX + 128], text[4096] = "";
		size_t n = entry_details(tui, e, lines, 6);
		/* The note, appeal and void first: who and when last. */
		for (size_t i = 1; i <= n; i++) {
			size_t used = strlen(text);
			snprintf(text + used, sizeof(text) - used, "%s%s",
				 used ? "  " : "", lines[i % n]);
		}
		tui_put(r->y + 1 + (int)rows, r->x + 1, inner, text,
			tui_attr(tui, TUI_ROLE_HEADER));
	}
}

/* The flags as marks: ! dismissal review, + promotion, - demotion. */
static void flag_marks(unsigned flags, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s",
		 flags & SCORE_FLAG_DISMISS_REVIEW ? "!" : "",
		 flags & SCORE_FLAG_PROMOTE ? "+" : "",
		 flags & SCORE_FLAG_DEMOTE ? "-" : "");
}

char *tui_metric_value(char *buf, size_t size, const struct rb_kpi *kpi,
		       const struct score_kpi_metric *m)
{
	char num[32];
	if (!m->present) {
		snprintf(buf, size, "-");
		return buf;
	}
	fixed_format(num, sizeof(num), m->value_h, 2, 2);
	snprintf(buf, size, "%s%s", num,
		 kpi->metric == RB_METRIC_RESPONSE_S ? " s" : "%");
	return buf;
}

/* The KPI of the board's highlighted agent in the last rows of the pane:
 * a heading, then each metric's value, band score and weighted points.
 * Returns the rows it took (0 when the pane has no room for it and three
 * board rows). */
static size_t draw_board_kpi(struct tui *tui, const struct tui_rect *r,
			     const struct score_agent_result *a)
{
	const struct rulebook *rb = tui->desk.board.rb;
	size_t inner = (size_t)r->w - 2, rows = (size_t)r->h - 2;
	size_t need = rb->kpi_count + 2;
	if (!a || rows < need + 3)
		return 0;
	int y = r->y + 1 + (int)(rows - need);
	char line[512], head[256], score[32];
	attr_t dim = tui_attr(tui, TUI_ROLE_HEADER);
	if (a->kpi_present)
		snprintf(head, sizeof(head), _("%s: KPI %s"), a->agent->name,
			 tui_points_text(score, sizeof(score), a->kpi_score_cp,
					 false));
	else
		snprintf(head, sizeof(head), _("%s: no KPI (base %s)"),
			 a->agent->name,
			 tui_points_text(score, sizeof(score), a->base_cp,
					 false));
	tui_put(y++, r->x + 1, inner, "", A_NORMAL);
	tui_put(y++, r->x + 1, inner, head, dim);
	size_t value_w = 7, band_w = 4, pts_w = 5;
	size_t label_w = tui_flex_width(inner, value_w + band_w + pts_w + 3,
					4, 16);
	for (size_t k = 0; k < rb->kpi_count; k++) {
		const struct score_kpi_metric *m =
			a->kpi_present ? &a->kpi_metrics[k] : NULL;
		char label[64], value[32] = "", band[32] = "", pts[32] = "";
		tui_kpi_text(rb, k, label_w, label, sizeof(label));
		if (m) {
			tui_metric_value(value, sizeof(value), &rb->kpis[k], m);
			fixed_format_trim(band, sizeof(band), m->band_h, 2, 2);
			tui_points_text(pts, sizeof(pts), m->points_cp, false);
		}
		const char *texts[] = {label, value, band, pts};
		const size_t widths[] = {label_w, value_w, band_w, pts_w};
		const bool right[] = {false, true, true, true};
		line[0] = '\0';
		tui_format_row(line, sizeof(line), 4, texts, widths, right);
		tui_put(y++, r->x + 1, inner, line, A_NORMAL);
	}
	return need;
}

static void draw_board(struct tui *tui, const struct tui_rect *r, bool focus)
{
	struct tui_desk *d = &tui->desk;
	size_t inner = (size_t)r->w - 2, rows = (size_t)r->h - 2;
	size_t count = pane_count(tui, TUI_PANE_BOARD);
	bool kpi = d->board.loaded && d->board.rb->mode == RB_MODE_KPI;
	size_t rank_w = count >= 100 ? 3 : 2, score_w = 6, grade_w = 1;
	size_t trend_w = 1, flag_w = 2, kpi_w = kpi ? 5 : 0;
	size_t fixed = rank_w + score_w + grade_w + trend_w + flag_w + 5 +
		       (kpi ? kpi_w + 1 : 0);
	size_t name_w = tui_flex_width(inner, fixed, 4, 12);
	if (kpi)
		rows -= draw_board_kpi(
			tui, r,
			count ? &d->board.result->agents[d->sel[TUI_PANE_BOARD]]
			      : NULL);
	d->top[TUI_PANE_BOARD] = tui_scroll_top(
		d->top[TUI_PANE_BOARD], d->sel[TUI_PANE_BOARD], count, rows);
	for (size_t row = 0; row < rows; row++) {
		size_t i = d->top[TUI_PANE_BOARD] + row;
		if (i >= count)
			break;
		const struct score_agent_result *a = &d->board.result->agents[i];
		char rank[16], score[32], trend[8] = " ", flags[8], base[32];
		char line[512] = "";
		snprintf(rank, sizeof(rank), "%" PRId32, a->rank);
		tui_points_text(score, sizeof(score), a->score_cp, false);
		if (a->has_previous && a->score_cp > a->previous_score_cp)
			snprintf(trend, sizeof(trend), "\xe2\x96\xb2");
		else if (a->has_previous && a->score_cp < a->previous_score_cp)
			snprintf(trend, sizeof(trend), "\xe2\x96\xbc");
		flag_marks(a->flags, flags, sizeof(flags));
		/* The KPI base: its score, or "-" for no figures. */
		if (a->kpi_present)
			tui_points_text(base, sizeof(base), a->kpi_score_cp,
					false);
		else
			snprintf(base, sizeof(base), "-");
		char name[128] = "";
		tui_cut(name, sizeof(name), a->agent->name, name_w);
		const char *texts[] = {rank,	 name,	base, score,
				       a->grade, trend, flags};
		const size_t widths[] = {rank_w,  name_w,  kpi_w, score_w,
					 grade_w, trend_w, flag_w};
		const bool right[] = {true,  false, true, true,
				      false, false, false};
		tui_format_row(line, sizeof(line), 7, texts, widths, right);
		bool sel = i == d->sel[TUI_PANE_BOARD];
		attr_t attr = A_NORMAL;
		if (sel)
			attr = focus ? tui_attr(tui, TUI_ROLE_SELECTED)
				     : A_BOLD;
		tui_put(r->y + 1 + (int)row, r->x + 1, inner, line, attr);
	}
	if (count == 0)
		tui_put(r->y + 1, r->x + 1, inner, _(" Nobody on this board"),
			tui_attr(tui, TUI_ROLE_DIM));
}

static void desk_draw(struct tui *tui, void *state)
{
	struct tui_desk *d = state;
	const struct tui_layout *l = &tui->layout;
	char title[128];
	for (int p = 0; p < TUI_PANES; p++) {
		const struct tui_rect *r = &l->panes[p];
		if (r->h < 3 || r->w < 8)
			continue;
		bool focus = d->focus == (enum tui_pane)p;
		pane_title(tui, (enum tui_pane)p, title, sizeof(title));
		tui_box(tui, r, title, focus);
		d->arrow_x[p] = 0;
		if (p != TUI_PANE_ROSTER) {
			/* ◀ ▶ after the date or month: a click moves it
			 * (as [ ] and < >), a click on the title goes back
			 * to today or this month. */
			size_t cells = text_width(title) + 2;
			if (cells > (size_t)r->w - 4)
				cells = (size_t)r->w - 4;
			int x = r->x + 1 + (int)cells + 1;
			d->title_x[p] = r->x + 1;
			if (x + 5 < r->x + r->w - 1) {
				d->arrow_x[p] = x;
				tui_put(r->y, x - 1, 5,
					" \xe2\x97\x80 \xe2\x96\xb6 ",
					tui_attr(tui, focus ? TUI_ROLE_FOCUS
							    : TUI_ROLE_HEADER));
			}
		}
		if (p == TUI_PANE_ROSTER)
			draw_roster(tui, r, focus);
		else if (p == TUI_PANE_LOG)
			draw_log(tui, r, focus);
		else
			draw_board(tui, r, focus);
		/* A list longer than its pane: where the selection is, in
		 * the bottom border ("12/30"). */
		size_t n = pane_count(tui, (enum tui_pane)p);
		if (n > 0 && n + 3 > (size_t)r->h && r->w > 12) {
			char pos[48];
			snprintf(pos, sizeof(pos), " %zu/%zu ", d->sel[p] + 1, n);
			size_t w = text_width(pos);
			tui_put(r->y + r->h - 1, r->x + r->w - 2 - (int)w, w,
				pos, tui_attr(tui, focus ? TUI_ROLE_FOCUS
							 : TUI_ROLE_BORDER));
		}
	}
}

/* ---- keys ---- */

static void move_selection(struct tui *tui, long delta)
{
	struct tui_desk *d = &tui->desk;
	size_t n = pane_count(tui, d->focus);
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
		tui_status(tui, true, _("The log cannot show days after today"));
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
			tui_status(tui, false, "%s", had_count ? _("Cleared") : "");
			return TUI_HANDLED | TUI_REDRAW;
		}
		char name[32];
		tui_key_name(key, code, name, sizeof(name));
		tui_status(tui, true, _("The key %s does nothing here; ? shows "
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
		move_selection(tui, -(long)pane_count(tui, d->focus));
		break;
	case TUI_ACT_LAST:
		move_selection(tui, (long)pane_count(tui, d->focus));
		break;
	case TUI_ACT_DETAILS:
		details_open(tui);
		break;
	case TUI_ACT_FIND:
		tui_find_open(tui);
		break;
	case TUI_ACT_UNDO:
		undo_last(tui);
		break;
	case TUI_ACT_VOID:
		void_selected(tui);
		break;
	case TUI_ACT_APPEAL:
		appeal_selected(tui);
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
		 (!a && x >= tui->layout.panes[p].x +
				     tui->layout.panes[p].w - 1))
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
			move_selection(tui,
				       ev->bstate & TUI_WHEEL_UP ? -3 : 3);
			return TUI_HANDLED | TUI_REDRAW;
		}
		if (!(ev->bstate & TUI_MOUSE_CLICK))
			return 0;
		int row = ev->y - r->y - 1;
		size_t n = pane_count(tui, d->focus);
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
			details_open(tui);
		if (p == TUI_PANE_ROSTER && i == d->sel[p])
			tui_agent_form_open(tui, tui_desk_agent(tui));
		move_selection(tui, (long)i - (long)d->sel[p]);
		return TUI_HANDLED | TUI_REDRAW;
	}
	return 0;
}

/* The key bar: the categories the log's month uses most first (the rest
 * in the rulebook's order), each label cut so no two look alike. */
static void desk_bar(struct tui *tui, void *state,
		     struct tui_bar_options *opt)
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
			int c = e->voided ? -1
					  : rulebook_category_index(
						    rb, e->category);
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
