/* The SQLite store: The audit log, and batches of writes.
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

/* ---- audit ---- */

/* Writes the audit row of the running write. detail_sql is an SQL
 * expression building the detail with SQLite's JSON functions from ?1..?n
 * (args); it is always a constant of this file, never user text. */
enum kd_status sq_audit_add(struct store *st, const char *action,
                            const char *subject, const char *detail_sql,
                            const struct arg *args, size_t n)
{
	char sql[1024];
	sqlite3_stmt *stmt = NULL;
	enum kd_status status;
	const struct arg fixed[] = {
	    sq_arg_text(st->now),
	    sq_arg_text(st->actor),
	    sq_arg_text(action),
	    sq_arg_text(subject),
	};
	int len = snprintf(sql, sizeof(sql),
	                   "INSERT INTO audit (at, actor, action, subject, "
	                   "detail) VALUES (?101, ?102, ?103, ?104, %s)",
	                   detail_sql);
	bool row = false;

	if (len < 0 || (size_t)len >= sizeof(sql))
		return sq_fail(st, KD_ERR_DB,
		               "internal: audit statement too long");
	status = sq_prepare(st, sql, args, n, &stmt);
	if (status == KD_OK)
		status = sq_bind_args(st, stmt, 101, fixed, COUNT_OF(fixed));
	if (status == KD_OK)
		status = sq_step(st, stmt, &row);
	sqlite3_finalize(stmt);
	return status;
}

/* ---- audit ---- */

void store_audit_list_finish(struct store_audit_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++) {
		struct store_audit_entry *e = &list->entries[i];

		free(e->at);
		free(e->actor);
		free(e->action);
		free(e->subject);
		free(e->detail);
	}
	free(list->entries);
	list->entries = NULL;
	list->count = 0;
}

/* Newest first; limit 0 means all. */
enum kd_status store_audit_rulebook_reload(struct store *st, const char *source,
                                           bool accepted, size_t error_count)
{
	const struct arg args[] = {sq_arg_text(source ? source : ""),
	                           sq_arg_int(accepted ? 1 : 0),
	                           sq_arg_int((int64_t)error_count)};
	enum kd_status status = sq_tx_begin(st);

	if (status != KD_OK)
		return status;
	status =
	    sq_audit_add(st, "rulebook.reload", "rulebook",
	                 "json_object('source', ?1, 'accepted', "
	                 "json(CASE ?2 WHEN 1 THEN 'true' ELSE 'false' END), "
	                 "'errors', ?3)",
	                 args, COUNT_OF(args));
	return sq_tx_end(st, status);
}

enum kd_status store_audit_recent(struct store *st, size_t limit,
                                  struct store_audit_list *out)
{
	const struct arg args[] = {
	    sq_arg_int(limit == 0 || limit > INT64_MAX ? -1 : (int64_t)limit)};
	sqlite3_stmt *stmt = NULL;
	size_t capacity = 0;
	bool row = true;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	status = sq_prepare(st,
	                    "SELECT id, at, actor, action, subject, detail "
	                    "FROM audit ORDER BY id DESC LIMIT ?1",
	                    args, COUNT_OF(args), &stmt);
	while (status == KD_OK) {
		struct store_audit_entry *e;

		status = sq_step(st, stmt, &row);
		if (status != KD_OK || !row)
			break;
		if (!sq_grow((void **)&out->entries, &capacity, out->count,
		             sizeof(*out->entries))) {
			status = sq_no_memory(st);
			break;
		}
		e = &out->entries[out->count++];
		memset(e, 0, sizeof(*e));
		e->id = sqlite3_column_int64(stmt, 0);
		if (!sq_column_dup(stmt, 1, &e->at) ||
		    !sq_column_dup(stmt, 2, &e->actor) ||
		    !sq_column_dup(stmt, 3, &e->action) ||
		    !sq_column_dup(stmt, 4, &e->subject) ||
		    !sq_column_dup(stmt, 5, &e->detail))
			status = sq_no_memory(st);
	}
	sqlite3_finalize(stmt);
	if (status != KD_OK)
		store_audit_list_finish(out);
	return status;
}

enum kd_status store_is_empty(struct store *st, bool *empty)
{
	int64_t value = 1;
	bool found = false;
	enum kd_status status =
	    sq_query_int(st, "SELECT NOT EXISTS (SELECT 1 FROM agents)", NULL,
	                 0, &found, &value);

	*empty = value != 0;
	return status;
}

/* ---- batches ---- */

enum kd_status store_begin_batch(struct store *st)
{
	enum kd_status status;

	if (st->batch || !sqlite3_get_autocommit(st->db))
		return sq_fail(st, KD_ERR_USAGE, "a batch is open already");
	status = sq_exec(st, "BEGIN IMMEDIATE", NULL, 0);
	if (status == KD_OK)
		st->batch = true;
	return status;
}

enum kd_status store_commit_batch(struct store *st)
{
	enum kd_status status;

	if (!st->batch)
		return sq_fail(st, KD_ERR_USAGE, "no batch is open");
	st->batch = false;
	if (sqlite3_get_autocommit(st->db))
		return sq_fail(st, KD_ERR_DB,
		               "the batch was rolled back after an error: %s",
		               st->path);
	status = sq_exec(st, "COMMIT", NULL, 0);
	if (status != KD_OK && !sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return status;
}

void store_rollback_batch(struct store *st)
{
	if (!st->batch)
		return;
	st->batch = false;
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}
