/* The SQLite store: Months: silent sales, closing and reopening with the stored
 * result.
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

/* ---- months ---- */

enum kd_status store_month_get(struct store *st, kd_month month,
                               struct store_month *out)
{
	char text[16];
	const struct arg args[] = {sq_arg_text(text)};
	sqlite3_stmt *stmt = NULL;
	bool row = false;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	out->month = month;
	if (!sq_month_text(month, text, sizeof(text)))
		return sq_bad_month(st, "the month");
	status = sq_prepare(st,
	                    "SELECT state = 'closed', silent_sales_fen "
	                    "FROM months WHERE month = ?1",
	                    args, COUNT_OF(args), &stmt);
	if (status == KD_OK)
		status = sq_step(st, stmt, &row);
	if (status == KD_OK && row) {
		out->closed = sqlite3_column_int(stmt, 0) != 0;
		out->has_silent_sales =
		    sqlite3_column_type(stmt, 1) != SQLITE_NULL;
		out->silent_sales_fen = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);
	return status;
}

enum kd_status store_month_set_silent_sales(struct store *st, kd_month month,
                                            int64_t silent_sales_fen)
{
	char text[16], subject[32];
	const struct arg args[] = {sq_arg_text(text),
	                           sq_arg_int(silent_sales_fen)};
	enum kd_status status;

	if (!sq_month_text(month, text, sizeof(text)))
		return sq_bad_month(st, "the month");
	if (silent_sales_fen < 0)
		return sq_fail(st, KD_ERR_INPUT,
		               "silent-order sales cannot be negative");
	status = sq_tx_begin(st);
	if (status != KD_OK)
		return status;
	/* The audit row reads the old value before the upsert replaces it. */
	snprintf(subject, sizeof(subject), "month:%s", text);
	status =
	    sq_audit_add(st, "month.silent_sales", subject,
	                 "json_object('old', (SELECT silent_sales_fen FROM "
	                 "months WHERE month = ?1), 'new', ?2)",
	                 args, COUNT_OF(args));
	if (status == KD_OK)
		status =
		    sq_exec(st,
		            "INSERT INTO months (month, silent_sales_fen) "
		            "VALUES (?1, ?2) ON CONFLICT (month) DO UPDATE "
		            "SET silent_sales_fen = "
		            "excluded.silent_sales_fen",
		            args, COUNT_OF(args));
	return sq_tx_end(st, status);
}

/* ---- closing a month ---- */

void store_month_snapshot_finish(struct store_month_snapshot *snap)
{
	if (!snap)
		return;
	free(snap->snapshot);
	free(snap->rulebook);
	free(snap->closed_at);
	free(snap->closed_by);
	memset(snap, 0, sizeof(*snap));
}

enum kd_status store_month_snapshot_get(struct store *st, kd_month month,
                                        struct store_month_snapshot *out)
{
	char text[16];
	const struct arg args[] = {sq_arg_text(text)};
	sqlite3_stmt *stmt = NULL;
	bool row = false;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	out->month = month;
	if (!sq_month_text(month, text, sizeof(text)))
		return sq_bad_month(st, "the month");
	status = sq_prepare(st,
	                    "SELECT snapshot, rulebook, closed_at, closed_by "
	                    "FROM months WHERE month = ?1 AND state = 'closed'",
	                    args, COUNT_OF(args), &stmt);
	if (status == KD_OK)
		status = sq_step(st, stmt, &row);
	if (status == KD_OK && row) {
		out->closed = true;
		if (!sq_column_dup(stmt, 0, &out->snapshot) ||
		    !sq_column_dup(stmt, 1, &out->rulebook) ||
		    !sq_column_dup(stmt, 2, &out->closed_at) ||
		    !sq_column_dup(stmt, 3, &out->closed_by))
			status = sq_no_memory(st);
	}
	sqlite3_finalize(stmt);
	if (status != KD_OK)
		store_month_snapshot_finish(out);
	return status;
}

/* SQL for the ids of the events of ?1..?2 (dates) under open appeal, as a
 * JSON array in id order. */
#define OPEN_APPEAL_IDS_SQL                                                    \
	"SELECT json_group_array(id) FROM (SELECT e.id FROM events AS e "      \
	"CROSS JOIN appeals AS p ON p.event_id = e.id AND p.state = 'open' "   \
	"WHERE e.date BETWEEN ?1 AND ?2 ORDER BY e.id)"

enum kd_status store_month_close(struct store *st, kd_month month,
                                 const char *snapshot, size_t agent_count,
                                 const char *rulebook_text,
                                 const char *rulebook_name,
                                 bool allow_open_appeals)
{
	char text[16], first[16], last[16], subject[32];
	char *open_ids = NULL;
	const struct arg range[] = {sq_arg_text(first), sq_arg_text(last)};
	int64_t valid = 0;
	bool found = false;
	enum kd_status status;

	if (!sq_month_text(month, text, sizeof(text)))
		return sq_bad_month(st, "the month");
	/* Whether the month may be closed (begun, not closed already, open
	 * appeals confirmed) is the app's rule, checked in its transaction
	 * (app_month_close); the open appeals are read here for the audit. */
	if (!snapshot || !rulebook_text)
		return sq_fail(st, KD_ERR_USAGE,
		               "closing needs the board and the rulebook");
	sq_date_text(month_first_day(month), first, sizeof(first));
	sq_date_text(month_last_day(month), last, sizeof(last));

	status = sq_tx_begin(st);
	if (status != KD_OK)
		return status;
	{
		const struct arg args[] = {sq_arg_text(snapshot)};

		status = sq_query_int(st, "SELECT json_valid(?1)", args,
		                      COUNT_OF(args), &found, &valid);
		if (status == KD_OK && !valid)
			status =
			    sq_fail(st, KD_ERR_INPUT,
			            "the board of %s is not valid JSON", text);
	}
	if (status == KD_OK)
		status = sq_query_text(st, OPEN_APPEAL_IDS_SQL, range,
		                       COUNT_OF(range), &open_ids);
	if (status == KD_OK && !open_ids)
		status = sq_no_memory(st);
	if (status == KD_OK) {
		const struct arg args[] = {
		    sq_arg_text(text),          sq_arg_text(snapshot),
		    sq_arg_text(rulebook_text), sq_arg_text(st->now),
		    sq_arg_text(st->actor),
		};

		status =
		    sq_exec(st,
		            "INSERT INTO months (month, state, snapshot, "
		            "rulebook, closed_at, closed_by) VALUES (?1, "
		            "'closed', ?2, ?3, ?4, ?5) ON CONFLICT (month) "
		            "DO UPDATE SET state = 'closed', "
		            "snapshot = excluded.snapshot, "
		            "rulebook = excluded.rulebook, "
		            "closed_at = excluded.closed_at, "
		            "closed_by = excluded.closed_by",
		            args, COUNT_OF(args));
	}
	if (status == KD_OK) {
		const struct arg args[] = {
		    sq_arg_text(rulebook_name ? rulebook_name : ""),
		    sq_arg_int((int64_t)agent_count), sq_arg_text(open_ids),
		    sq_arg_int(allow_open_appeals && strcmp(open_ids, "[]"))};

		snprintf(subject, sizeof(subject), "month:%s", text);
		status = sq_audit_add(st, "month.close", subject,
		                      "json_object('rulebook', ?1, 'agents', "
		                      "?2, "
		                      "'open_appeals', json(?3), 'confirmed', "
		                      "json(CASE ?4 WHEN 1 THEN 'true' ELSE "
		                      "'false' END))",
		                      args, COUNT_OF(args));
	}
	free(open_ids);
	return sq_tx_end(st, status);
}

enum kd_status store_month_reopen(struct store *st, kd_month month,
                                  const char *reason)
{
	char text[16], subject[32];
	const struct arg args[] = {sq_arg_text(text), sq_arg_text(reason)};
	enum kd_status status;

	if (!sq_month_text(month, text, sizeof(text)))
		return sq_bad_month(st, "the month");
	if (!reason || !reason[0])
		return sq_fail(st, KD_ERR_INPUT, "reopening needs a reason");
	status = sq_tx_begin(st);
	if (status != KD_OK)
		return status;
	/* Whether the month is closed is the app's rule (app_month_reopen).
	 * The audit row keeps what the month held before it is cleared. */
	snprintf(subject, sizeof(subject), "month:%s", text);
	if (status == KD_OK)
		status = sq_audit_add(
		    st, "month.reopen", subject,
		    "(SELECT json_object('reason', ?2, 'closed_at', "
		    "closed_at, 'closed_by', closed_by, 'snapshot', "
		    "json(snapshot), 'rulebook', rulebook) FROM months "
		    "WHERE month = ?1)",
		    args, COUNT_OF(args));
	if (status == KD_OK)
		status = sq_exec(st,
		                 "UPDATE months SET state = 'open', snapshot = "
		                 "NULL, rulebook = NULL, closed_at = NULL, "
		                 "closed_by = NULL WHERE month = ?1",
		                 args, 1);
	return sq_tx_end(st, status);
}
