/* Private to src/store: the connection struct and the helpers every table's
 * file uses (statements, errors, dates as text, transactions, the audit row).
 * The contract for callers is include/kpidesk/store.h.
 *
 * Every write runs in one BEGIN IMMEDIATE transaction together with its
 * audit row (sq_tx_begin/sq_tx_end); inside a batch it runs in a SAVEPOINT
 * instead, so a failed write still leaves nothing of itself behind. Reads of
 * more than one statement run in one deferred transaction, so they see one
 * snapshot even while the other desk commits.
 */
#ifndef KPIDESK_STORE_INTERNAL_H
#define KPIDESK_STORE_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "kpidesk/store.h"

#define BUSY_TIMEOUT_MS 5000
#define DEFAULT_ACTOR   "kpidesk"
#define COUNT_OF(a)     (sizeof(a) / sizeof((a)[0]))

struct store {
	sqlite3 *db;
	char *path;
	char actor[128];
	char now[32]; /* the running write's timestamp, local time */
	char err[512];
	bool batch;
	struct sq_tally_cache *tally_cache; /* score_input.c */
};

void sq_tally_cache_free(struct store *st);

enum arg_kind { ARG_NULL, ARG_INT, ARG_TEXT };

/* One bound parameter: ?1 is args[0]. */
struct arg {
	enum arg_kind kind;
	int64_t i;
	const char *s;
};

/* Inline, so the compiler sees that a buffer bound here is filled before the
 * statement runs. */
static inline struct arg sq_arg_int(int64_t value)
{
	return (struct arg){.kind = ARG_INT, .i = value};
}

/* NULL binds SQL NULL. */
static inline struct arg sq_arg_text(const char *text)
{
	return (struct arg){.kind = text ? ARG_TEXT : ARG_NULL, .s = text};
}

static inline struct arg sq_arg_null(void)
{
	return (struct arg){.kind = ARG_NULL};
}

enum kd_status sq_fail(struct store *st, enum kd_status status, const char *fmt,
                       ...) __attribute__((format(printf, 3, 4)));
enum kd_status sq_db_fail(struct store *st, int rc);
enum kd_status sq_no_memory(struct store *st);
enum kd_status sq_bind_args(struct store *st, sqlite3_stmt *stmt, int first,
                            const struct arg *args, size_t n);
enum kd_status sq_prepare(struct store *st, const char *sql,
                          const struct arg *args, size_t n, sqlite3_stmt **out);
enum kd_status sq_step(struct store *st, sqlite3_stmt *stmt, bool *row);
enum kd_status sq_exec(struct store *st, const char *sql,
                       const struct arg *args, size_t n);
enum kd_status sq_query_int(struct store *st, const char *sql,
                            const struct arg *args, size_t n, bool *found,
                            int64_t *out);
char *sq_dup_text(const char *text);
bool sq_column_dup(sqlite3_stmt *stmt, int col, char **out);
enum kd_status sq_query_text(struct store *st, const char *sql,
                             const struct arg *args, size_t n, char **out);
bool sq_year_ok(int year);
bool sq_date_text(kd_date date, char *buf, size_t size);
bool sq_month_text(kd_month month, char *buf, size_t size);
enum kd_status sq_bad_date(struct store *st, const char *what);
enum kd_status sq_bad_month(struct store *st, const char *what);
enum kd_status sq_column_date(struct store *st, sqlite3_stmt *stmt, int col,
                              kd_date *out);
enum kd_status sq_column_month(struct store *st, sqlite3_stmt *stmt, int col,
                               kd_month *out);
void sq_stamp_now(struct store *st);
enum kd_status sq_tx_begin(struct store *st);
enum kd_status sq_tx_end(struct store *st, enum kd_status status);
enum kd_status sq_read_begin(struct store *st, bool *began);
enum kd_status sq_read_end(struct store *st, bool began, enum kd_status status);
enum kd_status sq_audit_add(struct store *st, const char *action,
                            const char *subject, const char *detail_sql,
                            const struct arg *args, size_t n);
bool sq_grow(void **items, size_t *capacity, size_t count, size_t size);
enum kd_status sq_agent_list_where(struct store *st, const char *where,
                                   const struct arg *args, size_t n,
                                   struct store_agent_list *out);
enum kd_status sq_appeal_close(struct store *st, int64_t event_id,
                               const char *state, const char *reason,
                               bool *found);

#endif
