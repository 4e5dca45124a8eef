/* The front ends' reads: thin, but the only way they reach the store, so
 * that every write and read goes through one door. */
#include <string.h>

#include "app_internal.h"

bool app_agents(struct app *app, bool include_left,
                struct store_agent_list *out, struct app_refusal *why)
{
	enum kd_status status =
	    store_agent_list(app->st, include_left, clock_today(), out);
	return status == KD_OK ? true : app_store_failed(app, status, why);
}

bool app_agent_get(struct app *app, int64_t agent_id, struct store_agent *out,
                   struct app_refusal *why)
{
	enum kd_status status = store_agent_get(app->st, agent_id, out);
	if (status == KD_ERR_NOT_FOUND) {
		app_refuse(why, APP_AGENT_UNKNOWN);
		snprintf(why->text, sizeof(why->text), "%lld",
		         (long long)agent_id);
		return false;
	}
	return status == KD_OK ? true : app_store_failed(app, status, why);
}

bool app_events(struct app *app, kd_date from, kd_date to, int64_t agent_id,
                bool include_voided, struct store_event_list *out,
                struct app_refusal *why)
{
	enum kd_status status = store_events_between(
	    app->st, from, to, agent_id, include_voided, out);
	return status == KD_OK ? true : app_store_failed(app, status, why);
}

bool app_event_get(struct app *app, int64_t event_id, struct store_event *out,
                   struct app_refusal *why)
{
	enum kd_status status = store_event_get(app->st, event_id, out);
	if (status == KD_ERR_NOT_FOUND) {
		app_refuse(why, APP_EVENT_UNKNOWN)->id = event_id;
		return false;
	}
	return status == KD_OK ? true : app_store_failed(app, status, why);
}

bool app_month_get(struct app *app, kd_month month, struct store_month *out,
                   struct app_refusal *why)
{
	enum kd_status status = store_month_get(app->st, month, out);
	return status == KD_OK ? true : app_store_failed(app, status, why);
}

bool app_appeals(struct app *app, kd_month month, bool open_only,
                 struct store_appeal_list *out, struct app_refusal *why)
{
	enum kd_status status =
	    store_appeals_in_month(app->st, month, open_only, out);
	return status == KD_OK ? true : app_store_failed(app, status, why);
}

bool app_event_points(struct app *app, kd_month month,
                      const struct store_event_list *events, int64_t *points_cp,
                      struct rulebook **rules_out, struct app_refusal *why)
{
	char err[512] = "";
	enum kd_status status =
	    review_event_points(app->st, app->rb, month, events, points_cp,
	                        rules_out, err, sizeof(err));
	if (status == KD_OK)
		return true;
	app_refuse(why, APP_FAILED)->status = status;
	app_copy(why->detail, sizeof(why->detail),
	         err[0] ? err : kd_status_message(status));
	return false;
}

bool app_day_points(struct app *app, kd_date day,
                    const struct store_event_list *events, int64_t *points_cp,
                    struct app_refusal *why)
{
	char err[512] = "";
	enum kd_status status = review_day_points(app->st, app->rb, day, events,
	                                          points_cp, err, sizeof(err));
	if (status == KD_OK)
		return true;
	app_refuse(why, APP_FAILED)->status = status;
	app_copy(why->detail, sizeof(why->detail),
	         err[0] ? err : kd_status_message(status));
	return false;
}

bool app_is_empty(struct app *app, bool *empty, struct app_refusal *why)
{
	enum kd_status status = store_is_empty(app->st, empty);
	return status == KD_OK ? true : app_store_failed(app, status, why);
}

bool app_data_version(struct app *app, int64_t *version)
{
	return store_data_version(app->st, version) == KD_OK;
}

bool app_month_set_sales(struct app *app, kd_month month,
                         int64_t silent_sales_fen, struct app_refusal *why)
{
	if (!app_begin(app, why))
		return false;
	if (!app_month_open(app, month, why))
		return app_rollback(app);
	enum kd_status status =
	    store_month_set_silent_sales(app->st, month, silent_sales_fen);
	if (status != KD_OK) {
		app_store_failed(app, status, why);
		return app_rollback(app);
	}
	return app_commit(app, why);
}

void app_agent_finish(struct store_agent *agent)
{
	store_agent_finish(agent);
}

void app_agents_finish(struct store_agent_list *list)
{
	store_agent_list_finish(list);
}

void app_event_finish(struct store_event *event)
{
	store_event_finish(event);
}

void app_events_finish(struct store_event_list *list)
{
	store_event_list_finish(list);
}

bool app_agents_readonly(const char *db_path, kd_date today,
                         struct store_agent_list *out)
{
	char err[256];
	struct store *st = NULL;
	memset(out, 0, sizeof(*out));
	if (store_open_readonly(db_path, &st, err, sizeof(err)) != KD_OK)
		return false;
	enum kd_status status = store_agent_list(st, true, today, out);
	store_close(st);
	return status == KD_OK;
}

void app_appeals_finish(struct store_appeal_list *list)
{
	store_appeal_list_finish(list);
}
