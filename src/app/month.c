/* Months: the board and its trend, closing and reopening (RULEBOOK.md
 * section 11). */
#include <stdlib.h>
#include <string.h>

#include "app_internal.h"
#include "kpidesk/snapshot.h"

static bool review_failed(enum kd_status status, const char *err,
                          struct app_refusal *why)
{
	app_refuse(why, APP_FAILED)->status = status;
	app_copy(why->detail, sizeof(why->detail),
	         err[0] ? err : kd_status_message(status));
	return false;
}

bool app_board_load(struct app *app, kd_month month, bool with_appeals,
                    struct review_month *out, struct app_refusal *why)
{
	char err[512] = "";
	enum kd_status status = with_appeals
	                            ? review_month_load(app->st, app->rb, month,
	                                                out, err, sizeof(err))
	                            : review_board_load(app->st, app->rb, month,
	                                                out, err, sizeof(err));
	return status == KD_OK ? true : review_failed(status, err, why);
}

bool app_trend_load(struct app *app, const struct review_month *rm,
                    struct review_trend *out, struct app_refusal *why)
{
	char err[512] = "";
	enum kd_status status =
	    review_trend_load(app->st, app->rb, rm, out, err, sizeof(err));
	return status == KD_OK ? true : review_failed(status, err, why);
}

/* The rules of closing, read inside the closing transaction. */
static bool close_allowed(struct app *app, kd_month month,
                          bool allow_open_appeals, struct app_refusal *why)
{
	if (month > date_month(clock_today())) {
		app_refuse(why, APP_MONTH_NOT_BEGUN)->month = month;
		why->date = clock_today();
		return false;
	}
	struct store_month_snapshot snap;
	enum kd_status status = store_month_snapshot_get(app->st, month, &snap);
	if (status != KD_OK)
		return app_store_failed(app, status, why);
	if (snap.closed) {
		app_refuse(why, APP_MONTH_CLOSED_ALREADY)->month = month;
		app_copy(why->detail, sizeof(why->detail),
		         snap.closed_at ? snap.closed_at : "?");
		app_copy(why->agent, sizeof(why->agent),
		         snap.closed_by ? snap.closed_by : "?");
		store_month_snapshot_finish(&snap);
		return false;
	}
	store_month_snapshot_finish(&snap);
	if (allow_open_appeals)
		return true;
	struct store_appeal_list appeals = {0};
	status = store_appeals_in_month(app->st, month, true, &appeals);
	if (status != KD_OK)
		return app_store_failed(app, status, why);
	if (appeals.count > 0) {
		app_refuse(why, APP_MONTH_OPEN_APPEALS)->month = month;
		why->count = (int64_t)appeals.count;
		for (size_t i = 0; i < appeals.count; i++) {
			size_t used = strlen(why->detail);
			snprintf(why->detail + used, sizeof(why->detail) - used,
			         "%s#%lld", i ? ", " : "",
			         (long long)appeals.appeals[i].event_id);
		}
	}
	store_appeal_list_finish(&appeals);
	return why->code == APP_OK;
}

bool app_month_close(struct app *app, kd_month month, bool allow_open_appeals,
                     size_t *agent_count, struct app_refusal *why)
{
	struct store_score_bundle bundle = {0};
	struct score_month_result *result = NULL;
	char *json = NULL;
	bool ok = false;

	memset(why, 0, sizeof(*why));
	if (!app->rb->source_text) {
		app_refuse(why, APP_FAILED)->status = KD_ERR_USAGE;
		app_copy(why->detail, sizeof(why->detail),
		         "the rulebook's text is unknown; it cannot be stored");
		return false;
	}
	/* One transaction from the checks and reading the events to storing
	 * the board: no entry from the other desk slips in between. */
	if (!app_begin(app, why))
		return false;
	if (!close_allowed(app, month, allow_open_appeals, why))
		goto out;
	char err[512] = "";
	enum kd_status status = review_score_input(app->st, app->rb, month,
	                                           &bundle, err, sizeof(err));
	if (status != KD_OK) {
		review_failed(status, err, why);
		goto out;
	}
	status = score_month(app->rb, &bundle.input, &result);
	if (status == KD_OK)
		status = snapshot_encode(app->rb, result, &json);
	if (status != KD_OK) {
		app_refuse(why, APP_FAILED)->status = status;
		snprintf(why->detail, sizeof(why->detail), "scoring failed: %s",
		         kd_status_message(status));
		goto out;
	}
	status = store_month_close(app->st, month, json, result->agent_count,
	                           app->rb->source_text, app->rb->source_name,
	                           allow_open_appeals);
	if (status != KD_OK) {
		app_store_failed(app, status, why);
		goto out;
	}
	ok = app_commit(app, why);
	if (ok && agent_count)
		*agent_count = result->agent_count;
out:
	if (!ok)
		app_rollback(app);
	free(json);
	score_month_result_destroy(result);
	store_score_bundle_finish(&bundle);
	return ok;
}

bool app_month_writable(struct app *app, kd_month month,
                        struct app_refusal *why)
{
	return app_month_open(app, month, why);
}

bool app_month_close_allowed(struct app *app, kd_month month,
                             struct app_refusal *why)
{
	memset(why, 0, sizeof(*why));
	return close_allowed(app, month, true, why);
}

/* The rule of reopening: the month is closed. */
static bool reopen_rule(struct app *app, kd_month month,
                        struct app_refusal *why)
{
	struct store_month info;
	enum kd_status status = store_month_get(app->st, month, &info);
	if (status != KD_OK)
		return app_store_failed(app, status, why);
	if (!info.closed) {
		app_refuse(why, APP_MONTH_NOT_CLOSED)->month = month;
		return false;
	}
	return true;
}

bool app_month_reopen_allowed(struct app *app, kd_month month,
                              struct app_refusal *why)
{
	return reopen_rule(app, month, why);
}

bool app_month_reopen(struct app *app, kd_month month, const char *reason,
                      struct app_refusal *why)
{
	if (!app_check_text(N_("reason"), reason, APP_NOTE_MAX, false, why))
		return false;
	if (!app_begin(app, why))
		return false;
	if (!reopen_rule(app, month, why))
		return app_rollback(app);
	enum kd_status status = store_month_reopen(app->st, month, reason);
	if (status != KD_OK) {
		app_store_failed(app, status, why);
		return app_rollback(app);
	}
	return app_commit(app, why);
}
