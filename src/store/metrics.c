/* The SQLite store: Imported KPI metrics.
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

/* ---- KPI metrics ---- */

void store_metrics_list_finish(struct store_metrics_list *list)
{
	if (!list)
		return;
	free(list->metrics);
	list->metrics = NULL;
	list->count = 0;
}

/* A metric column: NULL when absent. */
static void column_metric(sqlite3_stmt *stmt, int col, bool *has,
                          int64_t *value)
{
	*has = sqlite3_column_type(stmt, col) != SQLITE_NULL;
	*value = *has ? sqlite3_column_int64(stmt, col) : 0;
}

enum kd_status store_metrics_between(struct store *st, kd_month from,
                                     kd_month to,
                                     struct store_metrics_list *out)
{
	char first[16], last[16];
	const struct arg args[] = {sq_arg_text(first), sq_arg_text(last)};
	sqlite3_stmt *stmt = NULL;
	size_t capacity = 0;
	bool row = true;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	if (!sq_month_text(from, first, sizeof(first)))
		return sq_bad_month(st, "the first month");
	if (!sq_month_text(to, last, sizeof(last)))
		return sq_bad_month(st, "the last month");
	status = sq_prepare(st, STORE_SQL_METRICS_RANGE, args, COUNT_OF(args),
	                    &stmt);
	while (status == KD_OK) {
		struct score_metrics *m;

		status = sq_step(st, stmt, &row);
		if (status != KD_OK || !row)
			break;
		if (!sq_grow((void **)&out->metrics, &capacity, out->count,
		             sizeof(*out->metrics))) {
			status = sq_no_memory(st);
			break;
		}
		m = &out->metrics[out->count];
		memset(m, 0, sizeof(*m));
		m->agent_id = sqlite3_column_int64(stmt, 0);
		status = sq_column_month(st, stmt, 1, &m->month);
		column_metric(stmt, 2, &m->has_sales, &m->sales_fen);
		column_metric(stmt, 3, &m->has_target, &m->target_fen);
		column_metric(stmt, 4, &m->has_inquiries, &m->inquiries);
		column_metric(stmt, 5, &m->has_buyers, &m->buyers);
		column_metric(stmt, 6, &m->has_conversion, &m->conversion_e4);
		column_metric(stmt, 7, &m->has_response, &m->response_e4);
		column_metric(stmt, 8, &m->has_aov, &m->aov_fen);
		column_metric(stmt, 9, &m->has_reply_rate, &m->reply_rate_e4);
		out->count++;
	}
	sqlite3_finalize(stmt);
	if (status != KD_OK)
		store_metrics_list_finish(out);
	return status;
}

static struct arg metric_arg(bool has, int64_t value)
{
	return has ? sq_arg_int(value) : sq_arg_null();
}

/* metrics[i].month is not read: every row goes to `month`. */
enum kd_status store_metrics_replace(struct store *st, kd_month month,
                                     size_t count,
                                     const struct score_metrics *metrics,
                                     const char *source)
{
	char text[16], subject[32];
	const struct arg month_arg[] = {sq_arg_text(text)};
	int64_t replaced = 0;
	bool found = false;
	enum kd_status status;

	if (!sq_month_text(month, text, sizeof(text)))
		return sq_bad_month(st, "the month");
	status = sq_tx_begin(st);
	if (status != KD_OK)
		return status;
	if (status == KD_OK)
		status = sq_query_int(st,
		                      "SELECT count(*) FROM metrics "
		                      "WHERE month = ?1",
		                      month_arg, COUNT_OF(month_arg), &found,
		                      &replaced);
	if (status == KD_OK)
		status = sq_exec(st, "DELETE FROM metrics WHERE month = ?1",
		                 month_arg, COUNT_OF(month_arg));
	for (size_t i = 0; status == KD_OK && i < count; i++) {
		const struct score_metrics *m = &metrics[i];
		const struct arg args[] = {
		    sq_arg_int(m->agent_id),
		    sq_arg_text(text),
		    metric_arg(m->has_sales, m->sales_fen),
		    metric_arg(m->has_target, m->target_fen),
		    metric_arg(m->has_inquiries, m->inquiries),
		    metric_arg(m->has_buyers, m->buyers),
		    metric_arg(m->has_conversion, m->conversion_e4),
		    metric_arg(m->has_response, m->response_e4),
		    metric_arg(m->has_aov, m->aov_fen),
		    metric_arg(m->has_reply_rate, m->reply_rate_e4),
		    sq_arg_text(source),
		    sq_arg_text(st->now),
		};

		status = sq_exec(st,
		                 "INSERT INTO metrics (agent_id, month, "
		                 "sales_fen, target_fen, inquiries, buyers, "
		                 "conversion_e4, response_e4, aov_fen, "
		                 "reply_rate_e4, source, "
		                 "imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
		                 "?7, ?8, ?9, ?10, ?11, ?12)",
		                 args, COUNT_OF(args));
		if (status == KD_ERR_NOT_FOUND)
			status = sq_fail(st, KD_ERR_NOT_FOUND,
			                 "metrics for agent %" PRId64
			                 ", who is not stored",
			                 m->agent_id);
		else if (status == KD_ERR_CONFLICT)
			status = sq_fail(st, KD_ERR_CONFLICT,
			                 "metrics for agent %" PRId64
			                 " appear twice",
			                 m->agent_id);
		else if (status == KD_ERR_INPUT)
			status = sq_fail(st, KD_ERR_INPUT,
			                 "metrics for agent %" PRId64
			                 " hold a negative value",
			                 m->agent_id);
	}
	if (status == KD_OK) {
		const struct arg args[] = {
		    sq_arg_text(text), sq_arg_int((int64_t)count),
		    sq_arg_int(replaced), sq_arg_text(source)};

		snprintf(subject, sizeof(subject), "month:%s", text);
		status = sq_audit_add(st, "metrics.replace", subject,
		                      "json_object('month', ?1, 'count', ?2, "
		                      "'replaced', ?3, 'source', ?4)",
		                      args, COUNT_OF(args));
	}
	return sq_tx_end(st, status);
}
