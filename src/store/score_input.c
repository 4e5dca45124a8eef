/* The SQLite store: The scoring engine's input for a month.
 *
 * The contract is include/kpidesk/store.h; shared helpers are in
 * store_internal.h.
 */
#include "kpidesk/store.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store_internal.h"
#include "store_sql.h"

/* ---- scoring input ---- */

void store_score_bundle_finish(struct store_score_bundle *bundle)
{
	if (!bundle)
		return;
	store_agent_list_finish(&bundle->agents);
	free(bundle->score_agents);
	free(bundle->tier_spans);
	store_event_list_finish(&bundle->events);
	free(bundle->score_events);
	store_metrics_list_finish(&bundle->metrics);
	free(bundle->history);
	memset(bundle, 0, sizeof(*bundle));
}

void store_event_to_score(const struct store_event *from,
                          struct score_event *to)
{
	to->id = from->id;
	to->agent_id = from->agent_id;
	to->date = from->date;
	to->category = from->category;
	to->quantity = from->quantity;
	to->voided = from->voided;
}

/* Points the score_* arrays into the bundle's own lists. */
static enum kd_status bundle_link(struct store *st,
                                  struct store_score_bundle *bundle)
{
	const struct store_agent_list *agents = &bundle->agents;
	const struct store_event_list *events = &bundle->events;
	size_t spans = 0, used = 0;

	for (size_t i = 0; i < agents->count; i++)
		spans += agents->agents[i].tier_count;
	if (agents->count) {
		bundle->score_agents =
		    calloc(agents->count, sizeof(*bundle->score_agents));
		if (!bundle->score_agents)
			return sq_no_memory(st);
	}
	if (spans) {
		bundle->tier_spans = calloc(spans, sizeof(*bundle->tier_spans));
		if (!bundle->tier_spans)
			return sq_no_memory(st);
	}
	if (events->count) {
		bundle->score_events =
		    calloc(events->count, sizeof(*bundle->score_events));
		if (!bundle->score_events)
			return sq_no_memory(st);
	}
	for (size_t i = 0; i < agents->count; i++) {
		const struct store_agent *from = &agents->agents[i];
		struct score_agent *to = &bundle->score_agents[i];

		to->id = from->id;
		to->name = from->name;
		to->handle = from->handle;
		to->hired = from->hired;
		to->left = from->left;
		to->tier_count = from->tier_count;
		to->tiers = from->tier_count ? &bundle->tier_spans[used] : NULL;
		for (size_t k = 0; k < from->tier_count; k++, used++) {
			bundle->tier_spans[used].since = from->tiers[k].since;
			bundle->tier_spans[used].tier_key =
			    from->tiers[k].tier_key;
		}
	}
	for (size_t i = 0; i < events->count; i++)
		store_event_to_score(&events->events[i],
		                     &bundle->score_events[i]);
	return KD_OK;
}

/* The closed months' results among months from..to, from their snapshots
 * (kpidesk/snapshot.h: each of "agents" has "id", "score_cp" and "rank"),
 * for the look-backs of later months (RULEBOOK.md section 11). */
static enum kd_status history_between(struct store *st, kd_month from,
                                      kd_month to,
                                      struct store_score_bundle *bundle)
{
	char first[16], last[16];
	const struct arg args[] = {sq_arg_text(first), sq_arg_text(last)};
	sqlite3_stmt *stmt = NULL;
	size_t capacity = 0;
	bool row = true;
	enum kd_status status;

	if (to < from)
		return KD_OK;
	if (!sq_month_text(from, first, sizeof(first)) ||
	    !sq_month_text(to, last, sizeof(last)))
		return sq_bad_month(st, "the look-back");
	status =
	    sq_prepare(st,
	               "SELECT m.month, json_extract(a.value, '$.id'), "
	               "json_extract(a.value, '$.score_cp'), "
	               "json_extract(a.value, '$.rank'), "
	               "json_array_length(m.snapshot, '$.agents') "
	               "FROM months AS m, json_each(m.snapshot, '$.agents') "
	               "AS a WHERE m.state = 'closed' AND "
	               "m.month BETWEEN ?1 AND ?2 ORDER BY m.month, a.key",
	               args, COUNT_OF(args), &stmt);
	while (status == KD_OK) {
		struct score_history *h;

		status = sq_step(st, stmt, &row);
		if (status != KD_OK || !row)
			break;
		for (int col = 1; col <= 3; col++)
			if (sqlite3_column_type(stmt, col) != SQLITE_INTEGER)
				status = sq_fail(
				    st, KD_ERR_DB,
				    "malformed snapshot of month "
				    "%s in %s",
				    (const char *)sqlite3_column_text(stmt, 0),
				    st->path);
		if (status != KD_OK)
			break;
		if (!sq_grow((void **)&bundle->history, &capacity,
		             bundle->input.history_count,
		             sizeof(*bundle->history))) {
			status = sq_no_memory(st);
			break;
		}
		h = &bundle->history[bundle->input.history_count];
		memset(h, 0, sizeof(*h));
		status = sq_column_month(st, stmt, 0, &h->month);
		h->agent_id = sqlite3_column_int64(stmt, 1);
		h->score_cp = sqlite3_column_int64(stmt, 2);
		h->rank = (int32_t)sqlite3_column_int64(stmt, 3);
		h->board_size = (int32_t)sqlite3_column_int64(stmt, 4);
		bundle->input.history_count++;
	}
	sqlite3_finalize(stmt);
	return status;
}

/* Reads agents who can be on the board of any month in the window (hired by
 * its end, not left before its start: RULEBOOK.md section 7), the window's
 * events (voided included) and metrics, all in one snapshot. */
enum kd_status store_load_score_input(struct store *st, kd_month month,
                                      int32_t lookback_months,
                                      struct store_score_bundle *bundle)
{
	char last_day[16], first_day[16];
	kd_month first_month = month - lookback_months;
	struct store_month month_row;
	bool began = false;
	enum kd_status status;

	memset(bundle, 0, sizeof(*bundle));
	if (lookback_months < 0)
		return sq_fail(st, KD_ERR_USAGE, "a negative look-back");
	if (!sq_month_text(month, last_day, sizeof(last_day)) ||
	    !sq_month_text(first_month, first_day, sizeof(first_day)))
		return sq_bad_month(st, "the month or its look-back");
	sq_date_text(month_last_day(month), last_day, sizeof(last_day));
	sq_date_text(month_first_day(first_month), first_day,
	             sizeof(first_day));

	status = sq_read_begin(st, &began);
	if (status == KD_OK) {
		const struct arg args[] = {sq_arg_text(last_day),
		                           sq_arg_text(first_day)};

		status =
		    sq_agent_list_where(st,
		                        "WHERE hired_on <= ?1 AND "
		                        "(left_on IS NULL OR left_on >= ?2)",
		                        args, COUNT_OF(args), &bundle->agents);
	}
	if (status == KD_OK)
		status = store_events_between(st, month_first_day(first_month),
		                              month_last_day(month), 0, true,
		                              &bundle->events);
	if (status == KD_OK)
		status = store_metrics_between(st, first_month, month,
		                               &bundle->metrics);
	if (status == KD_OK)
		status = store_month_get(st, month, &month_row);
	if (status == KD_OK)
		status = store_earliest_record_month(
		    st, &bundle->input.has_earliest_month,
		    &bundle->input.earliest_month);
	if (status == KD_OK)
		status = history_between(st, first_month, month - 1, bundle);
	status = sq_read_end(st, began, status);
	if (status == KD_OK)
		status = bundle_link(st, bundle);
	if (status != KD_OK) {
		store_score_bundle_finish(bundle);
		return status;
	}

	bundle->input.month = month;
	bundle->input.agent_count = bundle->agents.count;
	bundle->input.agents = bundle->score_agents;
	bundle->input.event_count = bundle->events.count;
	bundle->input.events = bundle->score_events;
	bundle->input.metrics_count = bundle->metrics.count;
	bundle->input.metrics = bundle->metrics.metrics;
	bundle->input.has_silent_sales = month_row.has_silent_sales;
	bundle->input.silent_sales_fen = month_row.silent_sales_fen;
	bundle->input.history = bundle->history;
	return KD_OK;
}
