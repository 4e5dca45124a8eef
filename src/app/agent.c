/* Agents: finding, adding and editing, with the rules on names, handles,
 * tiers and employment dates in one place. */
#include <stdlib.h>
#include <string.h>

#include "app_internal.h"
#include "kpidesk/text.h"

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* A name or handle must be text a lead can type back as AGENT. */
static bool name_ok(const char *field, const char *text,
                    struct app_refusal *why)
{
	if (!app_check_text(field, text, APP_NAME_MAX, false, why))
		return false;
	enum app_code code = APP_OK;
	if (text[0] == ' ' || text[strlen(text) - 1] == ' ')
		code = APP_NAME_SPACE;
	else if (all_digits(text))
		code = APP_NAME_DIGITS;
	if (code == APP_OK)
		return true;
	app_refuse(why, code)->field = field;
	app_copy(why->text, sizeof(why->text), text);
	return false;
}

bool app_tier_find(const struct rulebook *rb, const char *ref, bool labels,
                   int *index, struct app_refusal *why)
{
	*index = rulebook_tier_index(rb, ref);
	for (size_t i = 0; labels && *index < 0 && i < rb->tier_count; i++)
		if (strcmp(rb->tiers[i].label, ref) == 0)
			*index = (int)i;
	if (*index >= 0)
		return true;
	app_refuse(why, APP_TIER_UNKNOWN);
	app_copy(why->text, sizeof(why->text), ref);
	for (size_t i = 0; i < rb->tier_count; i++) {
		size_t used = strlen(why->detail);
		snprintf(why->detail + used, sizeof(why->detail) - used, "%s%s",
		         i ? ", " : "", rb->tiers[i].key);
	}
	return false;
}

/* An agent's tier is stored by its key. */
static bool tier_ok(const struct rulebook *rb, const char *tier,
                    struct app_refusal *why)
{
	int index;
	return app_tier_find(rb, tier, false, &index, why);
}

/* Refuses a name or handle another agent already answers to, so AGENT
 * always finds exactly one. */
static bool unique(struct app *app, const char *field, const char *text,
                   int64_t self_id, struct app_refusal *why)
{
	struct store_agent other;
	enum kd_status status = store_agent_find(app->st, text, &other);
	if (status == KD_ERR_NOT_FOUND)
		return true;
	if (status == KD_OK && other.id == self_id) {
		store_agent_finish(&other);
		return true;
	}
	if (status == KD_OK) {
		app_refuse(why, APP_NAME_TAKEN)->field = field;
		app_copy(why->text, sizeof(why->text), text);
		why->id = other.id;
		app_copy(why->agent, sizeof(why->agent), other.name);
		store_agent_finish(&other);
		return false;
	}
	if (status == KD_ERR_CONFLICT) {
		app_refuse(why, APP_NAME_AMBIGUOUS)->field = field;
		app_copy(why->text, sizeof(why->text), text);
		return false;
	}
	return app_store_failed(app, status, why);
}

bool app_agent_find(struct app *app, const char *ref, struct store_agent *out,
                    struct app_refusal *why)
{
	if (!app_check_text("AGENT", ref, APP_NAME_MAX, false, why))
		return false;
	enum kd_status status = store_agent_find(app->st, ref, out);
	if (status == KD_ERR_NOT_FOUND || status == KD_ERR_CONFLICT) {
		app_refuse(why, status == KD_ERR_NOT_FOUND
		                    ? APP_AGENT_UNKNOWN
		                    : APP_AGENT_AMBIGUOUS);
		app_copy(why->text, sizeof(why->text), ref);
		return false;
	}
	return status == KD_OK ? true : app_store_failed(app, status, why);
}

bool app_agent_add(struct app *app, const struct app_agent_new *agent,
                   int64_t *id_out, struct app_refusal *why)
{
	const char *handle =
	    agent->handle && agent->handle[0] ? agent->handle : NULL;
	const char *role = agent->role ? agent->role : "presales";
	if (!name_ok(N_("name"), agent->name, why))
		return false;
	if (handle && !name_ok(N_("handle"), handle, why))
		return false;
	if (app->rb->tier_count == 0) {
		app_refuse(why, APP_NO_TIERS);
		return false;
	}
	const char *tier = agent->tier ? agent->tier : app->rb->tiers[0].key;
	if (!tier_ok(app->rb, tier, why))
		return false;
	if (strcmp(role, "presales") != 0 && strcmp(role, "aftersales") != 0) {
		app_refuse(why, APP_ROLE_UNKNOWN);
		app_copy(why->text, sizeof(why->text), role);
		return false;
	}
	if (!app_begin(app, why))
		return false;
	if (!unique(app, N_("name"), agent->name, 0, why) ||
	    (handle && !unique(app, N_("handle"), handle, 0, why)))
		return app_rollback(app);
	int64_t id = 0;
	enum kd_status status =
	    store_agent_add(app->st, agent->name, handle, role, agent->hired,
	                    tier, date_month(agent->hired), &id);
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

/* The first and last dates of the agent's standing events. */
static bool event_span(struct app *app, int64_t agent_id, bool *any,
                       kd_date *first, kd_date *last, struct app_refusal *why)
{
	struct store_event_list events = {0};
	kd_date lo, hi;
	date_from_ymd(KD_YEAR_MIN, 1, 1, &lo);
	date_from_ymd(KD_YEAR_MAX, 12, 31, &hi);
	enum kd_status status =
	    store_events_between(app->st, lo, hi, agent_id, false, &events);
	if (status != KD_OK)
		return app_store_failed(app, status, why);
	*any = events.count > 0;
	if (*any) {
		*first = events.events[0].date;
		*last = events.events[events.count - 1].date;
	}
	store_event_list_finish(&events);
	return true;
}

/* The edit's rules, read inside the transaction. */
static bool edit_allowed(struct app *app, const struct store_agent *agent,
                         const struct store_agent_edit *edit,
                         struct app_refusal *why)
{
	kd_date hired = edit->set_hired ? edit->hired : agent->hired;
	kd_date left = edit->set_left ? edit->left : agent->left;
	if (left != KD_DATE_NONE && left < hired) {
		app_refuse(why, APP_LEFT_BEFORE_HIRED)->date = left;
		why->date2 = hired;
		return false;
	}
	if (edit->name && !unique(app, N_("name"), edit->name, agent->id, why))
		return false;
	if (edit->set_handle && edit->handle && edit->handle[0] &&
	    !unique(app, N_("handle"), edit->handle, agent->id, why))
		return false;
	if (!edit->set_hired && !edit->set_left)
		return true;
	bool any = false;
	kd_date first = 0, last = 0;
	if (!event_span(app, agent->id, &any, &first, &last, why))
		return false;
	if (any && (first < hired || (left != KD_DATE_NONE && last > left))) {
		bool before = first < hired;
		app_refuse(why, before ? APP_EVENT_BEFORE_HIRED
		                       : APP_EVENT_AFTER_LEFT);
		app_copy(why->agent, sizeof(why->agent), agent->name);
		why->date = before ? first : last;
		why->date2 = before ? hired : left;
		return false;
	}
	return true;
}

bool app_agent_edit(struct app *app, int64_t agent_id,
                    const struct store_agent_edit *edit,
                    struct app_refusal *why)
{
	if (edit->name && !name_ok(N_("name"), edit->name, why))
		return false;
	if (edit->set_handle && edit->handle && edit->handle[0] &&
	    !name_ok(N_("handle"), edit->handle, why))
		return false;
	if (edit->tier_key && !tier_ok(app->rb, edit->tier_key, why))
		return false;
	if (!app_begin(app, why))
		return false;
	struct store_agent agent;
	enum kd_status status = store_agent_get(app->st, agent_id, &agent);
	if (status == KD_ERR_NOT_FOUND) {
		app_refuse(why, APP_AGENT_UNKNOWN);
		snprintf(why->text, sizeof(why->text), "%lld",
		         (long long)agent_id);
		return app_rollback(app);
	}
	if (status != KD_OK) {
		app_store_failed(app, status, why);
		return app_rollback(app);
	}
	bool ok = edit_allowed(app, &agent, edit, why);
	store_agent_finish(&agent);
	if (!ok)
		return app_rollback(app);
	struct store_agent_edit copy = *edit;
	if (copy.set_handle && copy.handle && !copy.handle[0])
		copy.handle = NULL;
	status = store_agent_update(app->st, agent_id, &copy);
	if (status != KD_OK) {
		app_store_failed(app, status, why);
		return app_rollback(app);
	}
	return app_commit(app, why);
}
