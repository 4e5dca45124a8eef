/* Split from desk.c: see desk_internal.h. */
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
	tui_points_text(delta, sizeof(delta),
	                after - (had_before ? before : after), true);
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
	bool had =
	    desk_agent_score_combo(tui, month, agent.id, &before, &combo0);
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
		bool has = desk_agent_score_combo(tui, month, agent.id, &after,
		                                  &combo1);
		char words[256], move[96], combo[96];
		tui_entry_words(agent.name, cat, cat->key, e->quantity, words,
		                sizeof(words));
		score_move(before, had, after, has, move, sizeof(move));
		desk_combo_note(combo0, combo1, combo, sizeof(combo));
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
	struct app_refusal why;
	if (!app_note_check(rulebook_category(tui->rb, e->category), text,
	                    &why)) {
		tui_status_refusal(tui, &why);
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
	const struct store_agent *agent = desk_find_agent(tui, e->agent_id);
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
		tui_status(tui, true, _("No agent to log for: add one with a"));
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
	bool had =
	    desk_agent_score_combo(tui, month, ev.agent_id, &before, &combo0);
	if (!app_void(&tui->app, id, reason, &why)) {
		tui_status_refusal(tui, &why);
		app_event_finish(&ev);
		return;
	}
	if (tui_desk_reload(tui)) {
		bool has = desk_agent_score_combo(tui, month, ev.agent_id,
		                                  &after, &combo1);
		tui_entry_words(ev.agent_name, cat, ev.category, ev.quantity,
		                words, sizeof(words));
		score_move(before, had, after, has, move, sizeof(move));
		desk_combo_note(combo0, combo1, combo, sizeof(combo));
		tui_status(tui, false, "%s #%" PRId64 ": %s %s%s", what, id,
		           words, move, combo);
	}
	app_event_finish(&ev);
}

void desk_undo_last(struct tui *tui)
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
			continue; /* voided meanwhile, at this desk or another
			           */
		void_event(tui, id, "undo", _("Undone"));
		return;
	}
	tui_status(tui, true,
	           _("Nothing to undo: no entry made at this desk "
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

void desk_void_selected(struct tui *tui)
{
	int64_t points;
	const struct store_event *ev =
	    desk_log_event(tui, tui->desk.sel[TUI_PANE_LOG], &points);
	if (!ev) {
		tui_status(tui, true, _("No entry selected in the log"));
		return;
	}
	struct app_refusal why;
	if (!app_void_allowed(&tui->app, ev->id, &why)) {
		tui_status_refusal(tui, &why);
		return;
	}
	const struct rb_category *cat =
	    rulebook_category(tui->rb, ev->category);
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

void desk_appeal_selected(struct tui *tui)
{
	const struct store_event *ev =
	    desk_log_event(tui, tui->desk.sel[TUI_PANE_LOG], NULL);
	if (!ev) {
		tui_status(tui, true, _("No entry selected in the log"));
		return;
	}
	tui_appeal_start(tui, ev->id);
}
