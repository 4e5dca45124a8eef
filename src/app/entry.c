/* The shift's writes: log, void, appeal and settle an entry. Each checks
 * its rules inside the transaction it commits. */
#include <stdlib.h>
#include <string.h>

#include "app_internal.h"
#include "kpidesk/fixed.h"
#include "kpidesk/text.h"

const struct rb_category *app_category_find(const struct rulebook *rb,
                                            const char *ref)
{
	const struct rb_category *cat = rulebook_category(rb, ref);
	if (cat)
		return cat;
	for (size_t i = 0; i < rb->category_count; i++)
		if (strcmp(rb->categories[i].label, ref) == 0)
			return &rb->categories[i];
	return NULL;
}

static bool unknown_category(const struct rulebook *rb, const char *ref,
                             struct app_refusal *why)
{
	app_refuse(why, APP_CATEGORY_UNKNOWN);
	app_copy(why->text, sizeof(why->text), ref);
	for (size_t i = 0; i < rb->category_count; i++) {
		size_t used = strlen(why->detail);
		snprintf(why->detail + used, sizeof(why->detail) - used, "%s%s",
		         i ? ", " : "", rb->categories[i].key);
	}
	return false;
}

/* The day-of-event rules (RULEBOOK.md section 2): not after today, not
 * before the hire date or after the leave date, not in a closed month. */
bool app_entry_day(struct app *app, const struct store_agent *agent,
                   kd_date date, struct app_refusal *why)
{
	kd_date today = clock_today();
	if (date > today) {
		app_refuse(why, APP_DATE_FUTURE)->date = date;
		why->date2 = today;
		return false;
	}
	if (date < agent->hired ||
	    (agent->left != KD_DATE_NONE && date > agent->left)) {
		bool before = date < agent->hired;
		app_refuse(why, before ? APP_DATE_BEFORE_HIRED
		                       : APP_DATE_AFTER_LEFT);
		why->date = date;
		why->date2 = before ? agent->hired : agent->left;
		app_copy(why->agent, sizeof(why->agent), agent->name);
		return false;
	}
	return app_month_open(app, date_month(date), why);
}

bool app_quantity_parse(const char *text, int32_t *out, struct app_refusal *why)
{
	int64_t value;
	if (fixed_parse_int(text, 1, 1440, &value)) {
		*out = (int32_t)value;
		return true;
	}
	app_refuse(why, APP_QUANTITY_RANGE);
	app_copy(why->text, sizeof(why->text), text);
	return false;
}

bool app_note_check(const struct rb_category *cat, const char *note,
                    struct app_refusal *why)
{
	if (note && !app_check_text(N_("note"), note, APP_NOTE_MAX, true, why))
		return false;
	if (cat->note_required && (!note || text_is_blank(note))) {
		app_refuse(why, APP_NOTE_REQUIRED);
		app_copy(why->text, sizeof(why->text), cat->key);
		app_copy(why->detail, sizeof(why->detail), cat->label);
		return false;
	}
	return true;
}

bool app_entry_fields(const struct rulebook *rb, const char *category,
                      int64_t quantity, bool quantity_given, const char *note,
                      const struct rb_category **cat_out, const char **note_out,
                      struct app_refusal *why)
{
	const struct rb_category *cat = app_category_find(rb, category);
	if (!cat)
		return unknown_category(rb, category, why);
	if (!quantity_given && cat->unit == RB_UNIT_MINUTES) {
		app_refuse(why, APP_MINUTES_MISSING);
		app_copy(why->text, sizeof(why->text), cat->key);
		app_copy(why->detail, sizeof(why->detail), cat->label);
		return false;
	}
	if (quantity_given && (quantity < 1 || quantity > 1440)) {
		app_refuse(why, APP_QUANTITY_RANGE);
		snprintf(why->text, sizeof(why->text), "%lld",
		         (long long)quantity);
		return false;
	}
	if (!app_note_check(cat, note, why))
		return false;
	if (note && text_is_blank(note))
		note = NULL;
	*cat_out = cat;
	*note_out = note;
	return true;
}

bool app_log_allowed(struct app *app, int64_t agent_id, kd_date date,
                     struct app_refusal *why)
{
	struct store_agent agent;
	enum kd_status status = store_agent_get(app->st, agent_id, &agent);
	if (status == KD_ERR_NOT_FOUND) {
		app_refuse(why, APP_AGENT_UNKNOWN);
		snprintf(why->text, sizeof(why->text), "%lld",
		         (long long)agent_id);
		return false;
	}
	if (status != KD_OK)
		return app_store_failed(app, status, why);
	bool ok = app_entry_day(app, &agent, date, why);
	store_agent_finish(&agent);
	return ok;
}

bool app_log(struct app *app, const struct app_log *entry, int64_t *id_out,
             struct app_refusal *why)
{
	const struct rb_category *cat;
	const char *note;
	int32_t quantity = entry->quantity_left_out ? 1 : entry->quantity;
	if (!app_entry_fields(app->rb, entry->category, quantity,
	                      !entry->quantity_left_out, entry->note, &cat,
	                      &note, why))
		return false;
	if (!app_begin(app, why))
		return false;
	struct store_agent agent;
	enum kd_status status =
	    store_agent_get(app->st, entry->agent_id, &agent);
	if (status == KD_ERR_NOT_FOUND) {
		app_refuse(why, APP_AGENT_UNKNOWN);
		snprintf(why->text, sizeof(why->text), "%lld",
		         (long long)entry->agent_id);
		return app_rollback(app);
	}
	if (status != KD_OK) {
		app_store_failed(app, status, why);
		return app_rollback(app);
	}
	bool ok = app_entry_day(app, &agent, entry->date, why);
	store_agent_finish(&agent);
	if (!ok)
		return app_rollback(app);
	int64_t id = 0;
	status = store_event_add(app->st, entry->agent_id, entry->date,
	                         cat->key, quantity, note, &id);
	if (status != KD_OK) {
		app_store_failed(app, status, why);
		return app_rollback(app);
	}
	if (!app_commit(app, why))
		return false;
	if (id_out)
		*id_out = id;
	return true;
}

/* Reads the event inside the transaction and checks it can change: it
 * exists and its month is open. */
static bool event_changeable(struct app *app, int64_t event_id,
                             struct store_event *ev, struct app_refusal *why)
{
	enum kd_status status = store_event_get(app->st, event_id, ev);
	if (status == KD_ERR_NOT_FOUND) {
		app_refuse(why, APP_EVENT_UNKNOWN)->id = event_id;
		return false;
	}
	if (status != KD_OK)
		return app_store_failed(app, status, why);
	if (!app_month_open(app, date_month(ev->date), why)) {
		store_event_finish(ev);
		return false;
	}
	return true;
}

static bool event_voided(const struct store_event *ev, struct app_refusal *why)
{
	if (!ev->voided)
		return false;
	app_refuse(why, APP_EVENT_VOIDED)->id = ev->id;
	app_copy(why->text, sizeof(why->text), ev->void_reason);
	return true;
}

static bool appeal_is_open(const struct store_event *ev)
{
	return ev->appeal && strcmp(ev->appeal, "open") == 0;
}

/* The rules of voiding, read in the caller's transaction (or none). */
static bool void_rules(struct app *app, int64_t event_id,
                       struct app_refusal *why)
{
	struct store_event ev;
	if (!event_changeable(app, event_id, &ev, why))
		return false;
	bool voided = event_voided(&ev, why);
	store_event_finish(&ev);
	return !voided;
}

static bool appeal_rules(struct app *app, int64_t event_id,
                         struct app_refusal *why)
{
	struct store_event ev;
	if (!event_changeable(app, event_id, &ev, why))
		return false;
	bool refused = event_voided(&ev, why);
	if (!refused && appeal_is_open(&ev)) {
		app_refuse(why, APP_APPEAL_OPEN)->id = event_id;
		refused = true;
	}
	store_event_finish(&ev);
	return !refused;
}

bool app_void_allowed(struct app *app, int64_t event_id,
                      struct app_refusal *why)
{
	return void_rules(app, event_id, why);
}

bool app_appeal_allowed(struct app *app, int64_t event_id,
                        struct app_refusal *why)
{
	return appeal_rules(app, event_id, why);
}

bool app_void(struct app *app, int64_t event_id, const char *reason,
              struct app_refusal *why)
{
	if (!app_check_text(N_("reason"), reason, APP_NOTE_MAX, false, why))
		return false;
	if (!app_begin(app, why))
		return false;
	if (!void_rules(app, event_id, why))
		return app_rollback(app);
	enum kd_status status = store_event_void(app->st, event_id, reason);
	if (status != KD_OK) {
		app_store_failed(app, status, why);
		return app_rollback(app);
	}
	return app_commit(app, why);
}

bool app_appeal(struct app *app, int64_t event_id, const char *reason,
                struct app_refusal *why)
{
	if (!app_check_text(N_("reason"), reason, APP_NOTE_MAX, false, why))
		return false;
	if (!app_begin(app, why))
		return false;
	if (!appeal_rules(app, event_id, why))
		return app_rollback(app);
	enum kd_status status =
	    store_appeal_open(app->st, event_id, reason, NULL);
	if (status != KD_OK) {
		app_store_failed(app, status, why);
		return app_rollback(app);
	}
	return app_commit(app, why);
}

bool app_settle(struct app *app, int64_t event_id,
                enum store_appeal_outcome outcome, const char *reason,
                struct app_refusal *why)
{
	struct store_event ev;
	if (!app_check_text(N_("reason"), reason, APP_NOTE_MAX, false, why))
		return false;
	if (!app_begin(app, why))
		return false;
	if (!event_changeable(app, event_id, &ev, why))
		return app_rollback(app);
	bool open = appeal_is_open(&ev);
	store_event_finish(&ev);
	if (!open) {
		app_refuse(why, APP_APPEAL_NONE)->id = event_id;
		return app_rollback(app);
	}
	enum kd_status status =
	    store_appeal_resolve(app->st, event_id, outcome, reason);
	if (status != KD_OK) {
		app_store_failed(app, status, why);
		return app_rollback(app);
	}
	return app_commit(app, why);
}
