/* The SQLite store: Appeals.
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

/* ---- appeals ---- */

void store_appeal_list_finish(struct store_appeal_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++) {
		struct store_appeal *a = &list->appeals[i];

		free(a->agent_name);
		free(a->category);
		free(a->note);
		free(a->reason);
		free(a->state);
		free(a->resolution);
		free(a->opened_at);
		free(a->opened_by);
		free(a->resolved_at);
		free(a->resolved_by);
	}
	free(list->appeals);
	list->appeals = NULL;
	list->count = 0;
}

/* The event's month ('YYYY-MM') and whether it is voided; the caller
 * finds out whether it exists from the status. */
static enum kd_status event_month(struct store *st, int64_t event_id,
                                  char *month, size_t size, bool *voided)
{
	const struct arg args[] = {sq_arg_int(event_id)};
	sqlite3_stmt *stmt = NULL;
	bool row = false;
	enum kd_status status;

	status = sq_prepare(st,
	                    "SELECT substr(date, 1, 7), voided_at IS NOT NULL "
	                    "FROM events WHERE id = ?1",
	                    args, COUNT_OF(args), &stmt);
	if (status == KD_OK)
		status = sq_step(st, stmt, &row);
	if (status == KD_OK && !row)
		status = sq_fail(st, KD_ERR_NOT_FOUND,
		                 "no event with id %" PRId64, event_id);
	if (status == KD_OK) {
		snprintf(month, size, "%s",
		         (const char *)sqlite3_column_text(stmt, 0));
		*voided = sqlite3_column_int(stmt, 1) != 0;
	}
	sqlite3_finalize(stmt);
	return status;
}

enum kd_status store_appeal_open(struct store *st, int64_t event_id,
                                 const char *reason, int64_t *id_out)
{
	char month[16] = "", subject[32];
	bool voided = false;
	int64_t id = 0;
	enum kd_status status;

	if (!reason || !reason[0])
		return sq_fail(st, KD_ERR_INPUT,
		               "an appeal needs the agent's "
		               "reason");
	status = sq_tx_begin(st);
	if (status != KD_OK)
		return status;
	/* The event must exist; whether it may be appealed (not voided, not
	 * under appeal, its month open) is the application layer's rule,
	 * and the schema keeps one open appeal an event. */
	status = event_month(st, event_id, month, sizeof(month), &voided);
	if (status == KD_OK) {
		const struct arg args[] = {
		    sq_arg_int(event_id), sq_arg_text(reason),
		    sq_arg_text(st->now), sq_arg_text(st->actor)};

		status =
		    sq_exec(st,
		            "INSERT INTO appeals (event_id, reason, "
		            "opened_at, opened_by) VALUES (?1, ?2, ?3, ?4)",
		            args, COUNT_OF(args));
	}
	if (status == KD_OK) {
		id = sqlite3_last_insert_rowid(st->db);
		const struct arg args[] = {sq_arg_int(id), sq_arg_text(reason)};

		snprintf(subject, sizeof(subject), "event:%" PRId64, event_id);
		status = sq_audit_add(st, "appeal.open", subject,
		                      "json_object('appeal', ?1, 'reason', ?2)",
		                      args, COUNT_OF(args));
	}
	status = sq_tx_end(st, status);
	if (status == KD_OK && id_out)
		*id_out = id;
	return status;
}

/* Closes the event's open appeal as `state` ('upheld' or 'voided') with
 * the lead's reason and audits it; *found false when none was open. */
enum kd_status sq_appeal_close(struct store *st, int64_t event_id,
                               const char *state, const char *reason,
                               bool *found)
{
	const struct arg find[] = {sq_arg_int(event_id)};
	int64_t appeal = 0;
	char subject[32];
	enum kd_status status;

	status = sq_query_int(st,
	                      "SELECT id FROM appeals WHERE event_id = ?1 AND "
	                      "state = 'open'",
	                      find, COUNT_OF(find), found, &appeal);
	if (status != KD_OK || !*found)
		return status;
	{
		const struct arg args[] = {
		    sq_arg_int(appeal), sq_arg_text(state), sq_arg_text(reason),
		    sq_arg_text(st->now), sq_arg_text(st->actor)};

		status =
		    sq_exec(st,
		            "UPDATE appeals SET state = ?2, resolution = ?3, "
		            "resolved_at = ?4, resolved_by = ?5 "
		            "WHERE id = ?1",
		            args, COUNT_OF(args));
	}
	if (status == KD_OK) {
		const struct arg args[] = {sq_arg_int(appeal),
		                           sq_arg_text(state),
		                           sq_arg_text(reason)};

		snprintf(subject, sizeof(subject), "event:%" PRId64, event_id);
		status =
		    sq_audit_add(st, "appeal.resolve", subject,
		                 "json_object('appeal', ?1, 'outcome', ?2, "
		                 "'reason', ?3)",
		                 args, COUNT_OF(args));
	}
	return status;
}

enum kd_status store_appeal_resolve(struct store *st, int64_t event_id,
                                    enum store_appeal_outcome outcome,
                                    const char *reason)
{
	const bool void_it = outcome == STORE_APPEAL_VOID;
	char month[16] = "", subject[32];
	bool voided = false, found = false;
	enum kd_status status;

	if (!reason || !reason[0])
		return sq_fail(st, KD_ERR_INPUT,
		               "resolving an appeal needs a "
		               "reason");
	if (outcome != STORE_APPEAL_UPHOLD && !void_it)
		return sq_fail(st, KD_ERR_USAGE, "unknown appeal outcome");
	status = sq_tx_begin(st);
	if (status != KD_OK)
		return status;
	status = event_month(st, event_id, month, sizeof(month), &voided);
	if (status == KD_OK)
		status =
		    sq_appeal_close(st, event_id, void_it ? "voided" : "upheld",
		                    reason, &found);
	if (status == KD_OK && !found)
		status =
		    sq_fail(st, KD_ERR_CONFLICT,
		            "event %" PRId64 " has no open appeal", event_id);
	if (status == KD_OK && void_it && !voided) {
		const struct arg args[] = {
		    sq_arg_int(event_id), sq_arg_text(st->now),
		    sq_arg_text(reason), sq_arg_text(st->actor)};

		status = sq_exec(st,
		                 "UPDATE events SET voided_at = ?2, "
		                 "void_reason = ?3, voided_by = ?4 "
		                 "WHERE id = ?1 AND voided_at IS NULL",
		                 args, COUNT_OF(args));
	}
	if (status == KD_OK && void_it && !voided) {
		const struct arg args[] = {sq_arg_text(reason),
		                           sq_arg_int(event_id)};

		snprintf(subject, sizeof(subject), "event:%" PRId64, event_id);
		status = sq_audit_add(
		    st, "event.void", subject,
		    "(SELECT json_object('reason', ?1, 'agent_id', "
		    "agent_id, 'date', date, 'category', category, "
		    "'quantity', quantity, 'appeal', json('true')) "
		    "FROM events WHERE id = ?2)",
		    args, COUNT_OF(args));
	}
	return sq_tx_end(st, status);
}

enum kd_status store_appeals_in_month(struct store *st, kd_month month,
                                      bool open_only,
                                      struct store_appeal_list *out)
{
	char first[16], last[16];
	const struct arg args[] = {sq_arg_text(first), sq_arg_text(last),
	                           sq_arg_int(open_only)};
	sqlite3_stmt *stmt = NULL;
	size_t capacity = 0;
	bool row = true;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	if (!sq_month_text(month, first, sizeof(first)))
		return sq_bad_month(st, "the month");
	sq_date_text(month_first_day(month), first, sizeof(first));
	sq_date_text(month_last_day(month), last, sizeof(last));
	/* events_date finds the month's events; appeals_event their
	 * appeals. */
	status =
	    sq_prepare(st,
	               "SELECT p.id, p.event_id, e.agent_id, a.name, e.date, "
	               "e.category, e.quantity, e.note, p.reason, p.state, "
	               "p.resolution, p.opened_at, p.opened_by, "
	               "p.resolved_at, p.resolved_by "
	               "FROM events AS e CROSS JOIN appeals AS p "
	               "ON p.event_id = e.id "
	               "JOIN agents AS a ON a.id = e.agent_id "
	               "WHERE e.date BETWEEN ?1 AND ?2 "
	               "AND (NOT ?3 OR p.state = 'open') "
	               "ORDER BY e.date, e.id, p.id",
	               args, COUNT_OF(args), &stmt);
	while (status == KD_OK) {
		struct store_appeal *p;

		status = sq_step(st, stmt, &row);
		if (status != KD_OK || !row)
			break;
		if (!sq_grow((void **)&out->appeals, &capacity, out->count,
		             sizeof(*out->appeals))) {
			status = sq_no_memory(st);
			break;
		}
		p = &out->appeals[out->count++];
		memset(p, 0, sizeof(*p));
		p->id = sqlite3_column_int64(stmt, 0);
		p->event_id = sqlite3_column_int64(stmt, 1);
		p->agent_id = sqlite3_column_int64(stmt, 2);
		p->quantity = (int32_t)sqlite3_column_int64(stmt, 6);
		if (!sq_column_dup(stmt, 3, &p->agent_name) ||
		    !sq_column_dup(stmt, 5, &p->category) ||
		    !sq_column_dup(stmt, 7, &p->note) ||
		    !sq_column_dup(stmt, 8, &p->reason) ||
		    !sq_column_dup(stmt, 9, &p->state) ||
		    !sq_column_dup(stmt, 10, &p->resolution) ||
		    !sq_column_dup(stmt, 11, &p->opened_at) ||
		    !sq_column_dup(stmt, 12, &p->opened_by) ||
		    !sq_column_dup(stmt, 13, &p->resolved_at) ||
		    !sq_column_dup(stmt, 14, &p->resolved_by))
			status = sq_no_memory(st);
		else
			status = sq_column_date(st, stmt, 4, &p->date);
	}
	sqlite3_finalize(stmt);
	if (status != KD_OK)
		store_appeal_list_finish(out);
	return status;
}
