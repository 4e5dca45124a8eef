/* The SQLite store: Helpers every table file shares: errors, statements, dates
 * as text, transactions.
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

/* ---- errors ---- */

enum kd_status sq_fail(struct store *st, enum kd_status status, const char *fmt,
                       ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->err, sizeof(st->err), fmt, ap);
	va_end(ap);
	return status;
}

/* Turns the connection's last SQLite error into a status and a message a
 * team lead can act on. */
enum kd_status sq_db_fail(struct store *st, int rc)
{
	const char *msg = st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return sq_fail(
		    st, KD_ERR_DB,
		    "database is busy: another kpidesk kept it locked "
		    "for over %d s: %s",
		    BUSY_TIMEOUT_MS / 1000, st->path);
	case SQLITE_READONLY:
		return sq_fail(st, KD_ERR_DB, "database is read-only: %s",
		               st->path);
	case SQLITE_FULL:
		return sq_fail(st, KD_ERR_DB, "disk full: cannot write %s",
		               st->path);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return sq_fail(st, KD_ERR_DB,
		               "database is damaged or not a kpidesk database: "
		               "%s (%s)",
		               st->path, msg);
	case SQLITE_IOERR:
		return sq_fail(st, KD_ERR_DB, "input/output error on %s (%s)",
		               st->path, msg);
	case SQLITE_CANTOPEN:
		return sq_fail(st, KD_ERR_DB, "cannot open %s (%s)", st->path,
		               msg);
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return sq_fail(st, KD_ERR_DB, "permission denied: %s (%s)",
		               st->path, msg);
	case SQLITE_NOMEM:
		return sq_fail(st, KD_ERR_NOMEM, "out of memory");
	case SQLITE_CONSTRAINT:
		switch (rc) {
		case SQLITE_CONSTRAINT_FOREIGNKEY:
			return sq_fail(st, KD_ERR_NOT_FOUND,
			               "refers to something that is not stored "
			               "(%s)",
			               msg);
		case SQLITE_CONSTRAINT_UNIQUE:
		case SQLITE_CONSTRAINT_PRIMARYKEY:
			return sq_fail(st, KD_ERR_CONFLICT,
			               "already stored (%s)", msg);
		case SQLITE_CONSTRAINT_TRIGGER:
			return sq_fail(st, KD_ERR_CONFLICT, "%s", msg);
		default:
			return sq_fail(st, KD_ERR_INPUT,
			               "refused by the database (%s)", msg);
		}
	default:
		return sq_fail(st, KD_ERR_DB, "database error on %s: %s",
		               st->path, msg);
	}
}

enum kd_status sq_no_memory(struct store *st)
{
	return sq_fail(st, KD_ERR_NOMEM, "out of memory");
}

/* ---- statements ---- */

enum kd_status sq_bind_args(struct store *st, sqlite3_stmt *stmt, int first,
                            const struct arg *args, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int index = first + (int)i;
		int rc;

		switch (args[i].kind) {
		case ARG_INT:
			rc = sqlite3_bind_int64(stmt, index, args[i].i);
			break;
		case ARG_TEXT:
			rc = sqlite3_bind_text(stmt, index, args[i].s, -1,
			                       SQLITE_STATIC);
			break;
		case ARG_NULL:
		default:
			rc = sqlite3_bind_null(stmt, index);
			break;
		}
		if (rc != SQLITE_OK)
			return sq_db_fail(st, rc);
	}
	return KD_OK;
}

enum kd_status sq_prepare(struct store *st, const char *sql,
                          const struct arg *args, size_t n, sqlite3_stmt **out)
{
	sqlite3_stmt *stmt = NULL;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL);
	enum kd_status status;

	*out = NULL;
	if (rc != SQLITE_OK) {
		sqlite3_finalize(stmt);
		return sq_db_fail(st, rc);
	}
	status = sq_bind_args(st, stmt, 1, args, n);
	if (status != KD_OK) {
		sqlite3_finalize(stmt);
		return status;
	}
	*out = stmt;
	return KD_OK;
}

/* One step: *row says whether a row came. */
enum kd_status sq_step(struct store *st, sqlite3_stmt *stmt, bool *row)
{
	int rc = sqlite3_step(stmt);

	if (rc == SQLITE_ROW) {
		*row = true;
		return KD_OK;
	}
	*row = false;
	if (rc == SQLITE_DONE)
		return KD_OK;
	return sq_db_fail(st, rc);
}

/* Runs a statement to its end, ignoring any rows. */
enum kd_status sq_exec(struct store *st, const char *sql,
                       const struct arg *args, size_t n)
{
	sqlite3_stmt *stmt = NULL;
	enum kd_status status = sq_prepare(st, sql, args, n, &stmt);
	bool row = true;

	while (status == KD_OK && row)
		status = sq_step(st, stmt, &row);
	sqlite3_finalize(stmt);
	return status;
}

/* The first column of the first row as an integer; *found false when no
 * row or NULL came. */
enum kd_status sq_query_int(struct store *st, const char *sql,
                            const struct arg *args, size_t n, bool *found,
                            int64_t *out)
{
	sqlite3_stmt *stmt = NULL;
	enum kd_status status = sq_prepare(st, sql, args, n, &stmt);
	bool row = false;

	*found = false;
	if (status == KD_OK)
		status = sq_step(st, stmt, &row);
	if (status == KD_OK && row &&
	    sqlite3_column_type(stmt, 0) != SQLITE_NULL) {
		*out = sqlite3_column_int64(stmt, 0);
		*found = true;
	}
	sqlite3_finalize(stmt);
	return status;
}

char *sq_dup_text(const char *text)
{
	size_t len = strlen(text) + 1;
	char *copy = malloc(len);

	if (copy)
		memcpy(copy, text, len);
	return copy;
}

/* A copy of a text column in *out (NULL for SQL NULL); false when out of
 * memory. */
bool sq_column_dup(sqlite3_stmt *stmt, int col, char **out)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);

	*out = NULL;
	if (!text)
		return sqlite3_column_type(stmt, col) == SQLITE_NULL;
	*out = sq_dup_text((const char *)text);
	return *out != NULL;
}

/* The first column of the first row as a new string; *out NULL when no row
 * or NULL came. */
enum kd_status sq_query_text(struct store *st, const char *sql,
                             const struct arg *args, size_t n, char **out)
{
	sqlite3_stmt *stmt = NULL;
	enum kd_status status = sq_prepare(st, sql, args, n, &stmt);
	bool row = false;

	*out = NULL;
	if (status == KD_OK)
		status = sq_step(st, stmt, &row);
	if (status == KD_OK && row && !sq_column_dup(stmt, 0, out))
		status = sq_no_memory(st);
	sqlite3_finalize(stmt);
	return status;
}

/* ---- dates as text ---- */

bool sq_year_ok(int year)
{
	return year >= KD_YEAR_MIN && year <= KD_YEAR_MAX;
}

/* 'YYYY-MM-DD' for a date in the supported years; false otherwise. */
bool sq_date_text(kd_date date, char *buf, size_t size)
{
	kd_date lowest, highest;

	if (!date_from_ymd(KD_YEAR_MIN, 1, 1, &lowest) ||
	    !date_from_ymd(KD_YEAR_MAX, 12, 31, &highest) || date < lowest ||
	    date > highest)
		return false;
	date_format(buf, size, date);
	return true;
}

bool sq_month_text(kd_month month, char *buf, size_t size)
{
	if (month < KD_YEAR_MIN * 12 || month > KD_YEAR_MAX * 12 + 11 ||
	    !sq_year_ok(month_year(month)))
		return false;
	month_format(buf, size, month);
	return true;
}

enum kd_status sq_bad_date(struct store *st, const char *what)
{
	return sq_fail(st, KD_ERR_INPUT, "%s is not a date between %d and %d",
	               what, KD_YEAR_MIN, KD_YEAR_MAX);
}

enum kd_status sq_bad_month(struct store *st, const char *what)
{
	return sq_fail(st, KD_ERR_INPUT, "%s is not a month between %d and %d",
	               what, KD_YEAR_MIN, KD_YEAR_MAX);
}

/* Reads a stored date; a malformed one means the file was edited by hand. */
enum kd_status sq_column_date(struct store *st, sqlite3_stmt *stmt, int col,
                              kd_date *out)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);

	if (text && date_parse((const char *)text, out))
		return KD_OK;
	return sq_fail(st, KD_ERR_DB, "malformed date '%s' in %s",
	               text ? (const char *)text : "NULL", st->path);
}

enum kd_status sq_column_month(struct store *st, sqlite3_stmt *stmt, int col,
                               kd_month *out)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);

	if (text && month_parse((const char *)text, out))
		return KD_OK;
	return sq_fail(st, KD_ERR_DB, "malformed month '%s' in %s",
	               text ? (const char *)text : "NULL", st->path);
}

/* created_at and friends: local time from the clock seam. */
void sq_stamp_now(struct store *st)
{
	time_t now = clock_now();
	struct tm local;

	if (!localtime_r(&now, &local) ||
	    strftime(st->now, sizeof(st->now), "%Y-%m-%d %H:%M:%S", &local) ==
	        0)
		snprintf(st->now, sizeof(st->now), "1970-01-01 00:00:00");
}

/* ---- transactions ---- */

/* Starts a write: its own BEGIN IMMEDIATE (which waits out the other desk
 * through the busy timeout, unlike a deferred BEGIN that reads first), or a
 * savepoint inside a batch. */
enum kd_status sq_tx_begin(struct store *st)
{
	sq_stamp_now(st);
	if (st->batch)
		return sq_exec(st, "SAVEPOINT kd_write", NULL, 0);
	return sq_exec(st, "BEGIN IMMEDIATE", NULL, 0);
}

/* Ends a write: commits when status is KD_OK, otherwise undoes it and keeps
 * the first error's message. Returns the final status. */
enum kd_status sq_tx_end(struct store *st, enum kd_status status)
{
	if (status == KD_OK) {
		status = sq_exec(st, st->batch ? "RELEASE kd_write" : "COMMIT",
		                 NULL, 0);
		if (status == KD_OK)
			return KD_OK;
	}
	if (st->batch) {
		/* Some errors (disk full) roll the whole transaction back by
		 * themselves: then the batch is over. */
		if (sqlite3_get_autocommit(st->db)) {
			st->batch = false;
			return status;
		}
		if (sqlite3_exec(st->db, "ROLLBACK TO kd_write", NULL, NULL,
		                 NULL) == SQLITE_OK)
			sqlite3_exec(st->db, "RELEASE kd_write", NULL, NULL,
			             NULL);
		return status;
	}
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return status;
}

/* Starts a read snapshot unless a transaction is open already; *began says
 * whether read_end must end it. */
enum kd_status sq_read_begin(struct store *st, bool *began)
{
	*began = false;
	if (!sqlite3_get_autocommit(st->db))
		return KD_OK;
	*began = true;
	return sq_exec(st, "BEGIN", NULL, 0);
}

enum kd_status sq_read_end(struct store *st, bool began, enum kd_status status)
{
	if (!began || sqlite3_get_autocommit(st->db))
		return status;
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return status;
}
