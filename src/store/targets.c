/* The SQLite store: sales targets set with `kpidesk kpi target`.
 *
 * The contract is include/kpidesk/store.h; shared helpers are in
 * store_internal.h.
 */
#include "kpidesk/store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store_internal.h"

void store_target_list_finish(struct store_target_list *list)
{
	if (!list)
		return;
	free(list->targets);
	list->targets = NULL;
	list->count = 0;
}

enum kd_status store_targets_of_month(struct store *st, kd_month month,
                                      struct store_target_list *out)
{
	char text[16];
	const struct arg args[] = {sq_arg_text(text)};
	sqlite3_stmt *stmt = NULL;
	size_t capacity = 0;
	bool row = true;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	if (!sq_month_text(month, text, sizeof(text)))
		return sq_bad_month(st, "the month");
	status = sq_prepare(st,
	                    "SELECT agent_id, target_fen FROM targets "
	                    "WHERE month = ?1 ORDER BY agent_id",
	                    args, COUNT_OF(args), &stmt);
	while (status == KD_OK) {
		status = sq_step(st, stmt, &row);
		if (status != KD_OK || !row)
			break;
		if (!sq_grow((void **)&out->targets, &capacity, out->count,
		             sizeof(*out->targets))) {
			status = sq_no_memory(st);
			break;
		}
		out->targets[out->count].agent_id =
		    sqlite3_column_int64(stmt, 0);
		out->targets[out->count].target_fen =
		    sqlite3_column_int64(stmt, 1);
		out->count++;
	}
	sqlite3_finalize(stmt);
	if (status != KD_OK)
		store_target_list_finish(out);
	return status;
}

enum kd_status store_targets_set(struct store *st, kd_month month, size_t count,
                                 const int64_t *agent_ids, int64_t target_fen,
                                 const char *scope)
{
	char text[16], subject[32];
	enum kd_status status;

	if (!sq_month_text(month, text, sizeof(text)))
		return sq_bad_month(st, "the month");
	if (target_fen <= 0)
		return sq_fail(st, KD_ERR_INPUT,
		               "a sales target must be more than 0");
	status = sq_tx_begin(st);
	if (status != KD_OK)
		return status;
	for (size_t i = 0; status == KD_OK && i < count; i++) {
		const struct arg args[] = {
		    sq_arg_int(agent_ids[i]), sq_arg_text(text),
		    sq_arg_int(target_fen), sq_arg_text(st->now)};

		status = sq_exec(st,
		                 "INSERT INTO targets (agent_id, month, "
		                 "target_fen, set_at) VALUES (?1, ?2, ?3, ?4) "
		                 "ON CONFLICT (agent_id, month) DO UPDATE SET "
		                 "target_fen = excluded.target_fen, "
		                 "set_at = excluded.set_at",
		                 args, COUNT_OF(args));
		if (status == KD_ERR_NOT_FOUND)
			status =
			    sq_fail(st, KD_ERR_NOT_FOUND,
			            "no agent with id %" PRId64, agent_ids[i]);
	}
	if (status == KD_OK) {
		const struct arg args[] = {
		    sq_arg_text(text), sq_arg_int(target_fen),
		    sq_arg_int((int64_t)count), sq_arg_text(scope)};

		snprintf(subject, sizeof(subject), "month:%s", text);
		status = sq_audit_add(st, "targets.set", subject,
		                      "json_object('month', ?1, 'target_fen', "
		                      "?2, 'agents', ?3, 'scope', ?4)",
		                      args, COUNT_OF(args));
	}
	return sq_tx_end(st, status);
}
