/* The SQLite store. The contract is include/kpidesk/store.h; this file says
 * only why things are done the way they are.
 *
 * Every write runs in one BEGIN IMMEDIATE transaction together with its
 * audit row (tx_begin/tx_end); inside a batch it runs in a SAVEPOINT instead,
 * so a failed write still leaves nothing of itself behind. Reads of more than
 * one statement run in one deferred transaction, so they see one snapshot
 * even while the other desk commits.
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

#include "store_sql.h"

#define BUSY_TIMEOUT_MS 5000
#define DEFAULT_ACTOR "kpidesk"
#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Schema version 1 (PRODUCT.md "Files"). Dates are 'YYYY-MM-DD' and months
 * 'YYYY-MM' text so the file reads by hand in the sqlite3 shell; the CHECKs
 * hold their shape (the C side refuses impossible days such as 02-30).
 * Percentages and seconds are integers scaled by 10^4, money is in fen. */
static const char schema_v1[] =
	"CREATE TABLE agents (\n"
	"	id INTEGER PRIMARY KEY,\n"
	"	name TEXT NOT NULL CHECK (length(name) > 0),\n"
	"	handle TEXT CHECK (handle IS NULL OR length(handle) > 0),\n"
	"	role TEXT NOT NULL\n"
	"		CHECK (role IN ('presales', 'aftersales')),\n"
	"	hired_on TEXT NOT NULL CHECK (date(hired_on) IS hired_on),\n"
	"	left_on TEXT CHECK (left_on IS NULL OR\n"
	"		(date(left_on) IS left_on AND left_on >= hired_on)),\n"
	"	created_at TEXT NOT NULL\n"
	") STRICT;\n"
	"CREATE UNIQUE INDEX agents_handle ON agents (handle)\n"
	"	WHERE handle IS NOT NULL;\n"
	"CREATE INDEX agents_name ON agents (name);\n"
	"\n"
	"CREATE TABLE tiers (\n"
	"	agent_id INTEGER NOT NULL REFERENCES agents (id),\n"
	"	since TEXT NOT NULL\n"
	"		CHECK (date(since || '-01') IS (since || '-01')),\n"
	"	tier TEXT NOT NULL CHECK (length(tier) > 0),\n"
	"	set_at TEXT NOT NULL,\n"
	"	PRIMARY KEY (agent_id, since)\n"
	") STRICT;\n"
	"\n"
	"CREATE TABLE events (\n"
	"	id INTEGER PRIMARY KEY,\n"
	"	agent_id INTEGER NOT NULL REFERENCES agents (id),\n"
	"	date TEXT NOT NULL CHECK (date(date) IS date),\n"
	"	category TEXT NOT NULL CHECK (length(category) > 0),\n"
	"	quantity INTEGER NOT NULL\n"
	"		CHECK (quantity BETWEEN 1 AND 1440),\n"
	"	note TEXT,\n"
	"	created_at TEXT NOT NULL,\n"
	"	actor TEXT NOT NULL,\n"
	"	voided_at TEXT,\n"
	"	void_reason TEXT,\n"
	"	voided_by TEXT,\n"
	"	CHECK ((voided_at IS NULL) = (void_reason IS NULL))\n"
	") STRICT;\n"
	"CREATE INDEX events_date ON events (date);\n"
	"CREATE INDEX events_agent_date ON events (agent_id, date);\n"
	"CREATE TRIGGER events_never_deleted BEFORE DELETE ON events\n"
	"BEGIN\n"
	"	SELECT RAISE(ABORT, 'events are never deleted; void them');\n"
	"END;\n"
	"CREATE TRIGGER events_fixed BEFORE UPDATE OF id, agent_id, date,\n"
	"	category, quantity, note, created_at, actor ON events\n"
	"BEGIN\n"
	"	SELECT RAISE(ABORT,\n"
	"		'a logged event is never changed; void it');\n"
	"END;\n"
	"CREATE TRIGGER events_void_once BEFORE UPDATE OF voided_at,\n"
	"	void_reason, voided_by ON events\n"
	"	WHEN OLD.voided_at IS NOT NULL\n"
	"BEGIN\n"
	"	SELECT RAISE(ABORT, 'the event is voided already');\n"
	"END;\n"
	"\n"
	"CREATE TABLE months (\n"
	"	month TEXT PRIMARY KEY\n"
	"		CHECK (date(month || '-01') IS (month || '-01')),\n"
	"	state TEXT NOT NULL DEFAULT 'open'\n"
	"		CHECK (state IN ('open', 'closed')),\n"
	"	silent_sales_fen INTEGER\n"
	"		CHECK (silent_sales_fen >= 0),\n"
	"	snapshot TEXT,\n"
	"	rulebook TEXT,\n"
	"	closed_at TEXT,\n"
	"	closed_by TEXT,\n"
	"	CHECK (state = 'open' OR (snapshot IS NOT NULL\n"
	"		AND rulebook IS NOT NULL AND closed_at IS NOT NULL))\n"
	") STRICT;\n"
	"\n"
	"CREATE TABLE metrics (\n"
	"	agent_id INTEGER NOT NULL REFERENCES agents (id),\n"
	"	month TEXT NOT NULL\n"
	"		CHECK (date(month || '-01') IS (month || '-01')),\n"
	"	sales_fen INTEGER CHECK (sales_fen >= 0),\n"
	"	target_fen INTEGER CHECK (target_fen >= 0),\n"
	"	inquiries INTEGER CHECK (inquiries >= 0),\n"
	"	buyers INTEGER CHECK (buyers >= 0),\n"
	"	conversion_e4 INTEGER CHECK (conversion_e4 >= 0),\n"
	"	response_e4 INTEGER CHECK (response_e4 >= 0),\n"
	"	aov_fen INTEGER CHECK (aov_fen >= 0),\n"
	"	reply_rate_e4 INTEGER CHECK (reply_rate_e4 >= 0),\n"
	"	source TEXT,\n"
	"	imported_at TEXT NOT NULL,\n"
	"	PRIMARY KEY (agent_id, month)\n"
	") STRICT;\n"
	"CREATE INDEX metrics_month ON metrics (month, agent_id);\n"
	"\n"
	"CREATE TABLE appeals (\n"
	"	id INTEGER PRIMARY KEY,\n"
	"	event_id INTEGER NOT NULL REFERENCES events (id),\n"
	"	reason TEXT NOT NULL CHECK (length(reason) > 0),\n"
	"	state TEXT NOT NULL DEFAULT 'open'\n"
	"		CHECK (state IN ('open', 'upheld', 'voided')),\n"
	"	resolution TEXT,\n"
	"	opened_at TEXT NOT NULL,\n"
	"	opened_by TEXT NOT NULL,\n"
	"	resolved_at TEXT,\n"
	"	resolved_by TEXT,\n"
	"	CHECK ((state = 'open') = (resolved_at IS NULL))\n"
	") STRICT;\n"
	"CREATE INDEX appeals_event ON appeals (event_id);\n"
	"CREATE UNIQUE INDEX appeals_one_open ON appeals (event_id)\n"
	"	WHERE state = 'open';\n"
	"\n"
	"CREATE TABLE audit (\n"
	"	id INTEGER PRIMARY KEY,\n"
	"	at TEXT NOT NULL,\n"
	"	actor TEXT NOT NULL,\n"
	"	action TEXT NOT NULL,\n"
	"	subject TEXT NOT NULL,\n"
	"	detail TEXT NOT NULL CHECK (json_valid(detail))\n"
	") STRICT;\n"
	"CREATE TRIGGER audit_never_updated BEFORE UPDATE ON audit\n"
	"BEGIN\n"
	"	SELECT RAISE(ABORT, 'the audit log is append-only');\n"
	"END;\n"
	"CREATE TRIGGER audit_never_deleted BEFORE DELETE ON audit\n"
	"BEGIN\n"
	"	SELECT RAISE(ABORT, 'the audit log is append-only');\n"
	"END;\n";

/* migrations[v] takes a database from user_version v to v + 1. */
static const char *const migrations[STORE_SCHEMA_VERSION] = {
	schema_v1,
};

struct store {
	sqlite3 *db;
	char *path;
	char actor[128];
	char now[32]; /* the running write's timestamp, local time */
	char err[512];
	bool batch;
};

/* ---- errors ---- */

static enum kd_status fail(struct store *st, enum kd_status status,
			   const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum kd_status fail(struct store *st, enum kd_status status,
			   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->err, sizeof(st->err), fmt, ap);
	va_end(ap);
	return status;
}

/* Turns the connection's last SQLite error into a status and a message a
 * team lead can act on. */
static enum kd_status db_fail(struct store *st, int rc)
{
	const char *msg = st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return fail(st, KD_ERR_DB,
			    "database is busy: another kpidesk kept it locked "
			    "for over %d s: %s",
			    BUSY_TIMEOUT_MS / 1000, st->path);
	case SQLITE_READONLY:
		return fail(st, KD_ERR_DB, "database is read-only: %s",
			    st->path);
	case SQLITE_FULL:
		return fail(st, KD_ERR_DB, "disk full: cannot write %s",
			    st->path);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return fail(st, KD_ERR_DB,
			    "database is damaged or not a kpidesk database: "
			    "%s (%s)",
			    st->path, msg);
	case SQLITE_IOERR:
		return fail(st, KD_ERR_DB, "input/output error on %s (%s)",
			    st->path, msg);
	case SQLITE_CANTOPEN:
		return fail(st, KD_ERR_DB, "cannot open %s (%s)", st->path,
			    msg);
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return fail(st, KD_ERR_DB, "permission denied: %s (%s)",
			    st->path, msg);
	case SQLITE_NOMEM:
		return fail(st, KD_ERR_NOMEM, "out of memory");
	case SQLITE_CONSTRAINT:
		switch (rc) {
		case SQLITE_CONSTRAINT_FOREIGNKEY:
			return fail(st, KD_ERR_NOT_FOUND,
				    "refers to something that is not stored "
				    "(%s)",
				    msg);
		case SQLITE_CONSTRAINT_UNIQUE:
		case SQLITE_CONSTRAINT_PRIMARYKEY:
			return fail(st, KD_ERR_CONFLICT, "already stored (%s)",
				    msg);
		case SQLITE_CONSTRAINT_TRIGGER:
			return fail(st, KD_ERR_CONFLICT, "%s", msg);
		default:
			return fail(st, KD_ERR_INPUT,
				    "refused by the database (%s)", msg);
		}
	default:
		return fail(st, KD_ERR_DB, "database error on %s: %s", st->path,
			    msg);
	}
}

static enum kd_status no_memory(struct store *st)
{
	return fail(st, KD_ERR_NOMEM, "out of memory");
}

/* ---- statements ---- */

enum arg_kind { ARG_NULL, ARG_INT, ARG_TEXT };

/* One bound parameter: ?1 is args[0]. */
struct arg {
	enum arg_kind kind;
	int64_t i;
	const char *s;
};

static struct arg arg_int(int64_t value)
{
	return (struct arg){.kind = ARG_INT, .i = value};
}

/* NULL binds SQL NULL. */
static struct arg arg_text(const char *text)
{
	return (struct arg){.kind = text ? ARG_TEXT : ARG_NULL, .s = text};
}

static struct arg arg_null(void)
{
	return (struct arg){.kind = ARG_NULL};
}

static enum kd_status bind_args(struct store *st, sqlite3_stmt *stmt,
				int first, const struct arg *args, size_t n)
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
			return db_fail(st, rc);
	}
	return KD_OK;
}

static enum kd_status prepare(struct store *st, const char *sql,
			      const struct arg *args, size_t n,
			      sqlite3_stmt **out)
{
	sqlite3_stmt *stmt = NULL;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL);
	enum kd_status status;

	*out = NULL;
	if (rc != SQLITE_OK) {
		sqlite3_finalize(stmt);
		return db_fail(st, rc);
	}
	status = bind_args(st, stmt, 1, args, n);
	if (status != KD_OK) {
		sqlite3_finalize(stmt);
		return status;
	}
	*out = stmt;
	return KD_OK;
}

/* One step: *row says whether a row came. */
static enum kd_status step(struct store *st, sqlite3_stmt *stmt, bool *row)
{
	int rc = sqlite3_step(stmt);

	if (rc == SQLITE_ROW) {
		*row = true;
		return KD_OK;
	}
	*row = false;
	if (rc == SQLITE_DONE)
		return KD_OK;
	return db_fail(st, rc);
}

/* Runs a statement to its end, ignoring any rows. */
static enum kd_status exec(struct store *st, const char *sql,
			   const struct arg *args, size_t n)
{
	sqlite3_stmt *stmt = NULL;
	enum kd_status status = prepare(st, sql, args, n, &stmt);
	bool row = true;

	while (status == KD_OK && row)
		status = step(st, stmt, &row);
	sqlite3_finalize(stmt);
	return status;
}

/* The first column of the first row as an integer; *found false when no
 * row or NULL came. */
static enum kd_status query_int(struct store *st, const char *sql,
				const struct arg *args, size_t n, bool *found,
				int64_t *out)
{
	sqlite3_stmt *stmt = NULL;
	enum kd_status status = prepare(st, sql, args, n, &stmt);
	bool row = false;

	*found = false;
	if (status == KD_OK)
		status = step(st, stmt, &row);
	if (status == KD_OK && row &&
	    sqlite3_column_type(stmt, 0) != SQLITE_NULL) {
		*out = sqlite3_column_int64(stmt, 0);
		*found = true;
	}
	sqlite3_finalize(stmt);
	return status;
}

static char *dup_text(const char *text)
{
	size_t len = strlen(text) + 1;
	char *copy = malloc(len);

	if (copy)
		memcpy(copy, text, len);
	return copy;
}

/* A copy of a text column in *out (NULL for SQL NULL); false when out of
 * memory. */
static bool column_dup(sqlite3_stmt *stmt, int col, char **out)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);

	*out = NULL;
	if (!text)
		return sqlite3_column_type(stmt, col) == SQLITE_NULL;
	*out = dup_text((const char *)text);
	return *out != NULL;
}

/* The first column of the first row as a new string; *out NULL when no row
 * or NULL came. */
static enum kd_status query_text(struct store *st, const char *sql,
				 const struct arg *args, size_t n, char **out)
{
	sqlite3_stmt *stmt = NULL;
	enum kd_status status = prepare(st, sql, args, n, &stmt);
	bool row = false;

	*out = NULL;
	if (status == KD_OK)
		status = step(st, stmt, &row);
	if (status == KD_OK && row && !column_dup(stmt, 0, out))
		status = no_memory(st);
	sqlite3_finalize(stmt);
	return status;
}

/* ---- dates as text ---- */

static bool year_ok(int year)
{
	return year >= KD_YEAR_MIN && year <= KD_YEAR_MAX;
}

/* 'YYYY-MM-DD' for a date in the supported years; false otherwise. */
static bool date_text(kd_date date, char *buf, size_t size)
{
	kd_date lowest, highest;

	if (!date_from_ymd(KD_YEAR_MIN, 1, 1, &lowest) ||
	    !date_from_ymd(KD_YEAR_MAX, 12, 31, &highest) || date < lowest ||
	    date > highest)
		return false;
	date_format(buf, size, date);
	return true;
}

static bool month_text(kd_month month, char *buf, size_t size)
{
	if (month < KD_YEAR_MIN * 12 || month > KD_YEAR_MAX * 12 + 11 ||
	    !year_ok(month_year(month)))
		return false;
	month_format(buf, size, month);
	return true;
}

static enum kd_status bad_date(struct store *st, const char *what)
{
	return fail(st, KD_ERR_INPUT, "%s is not a date between %d and %d",
		    what, KD_YEAR_MIN, KD_YEAR_MAX);
}

static enum kd_status bad_month(struct store *st, const char *what)
{
	return fail(st, KD_ERR_INPUT, "%s is not a month between %d and %d",
		    what, KD_YEAR_MIN, KD_YEAR_MAX);
}

/* Reads a stored date; a malformed one means the file was edited by hand. */
static enum kd_status column_date(struct store *st, sqlite3_stmt *stmt,
				  int col, kd_date *out)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);

	if (text && date_parse((const char *)text, out))
		return KD_OK;
	return fail(st, KD_ERR_DB, "malformed date '%s' in %s",
		    text ? (const char *)text : "NULL", st->path);
}

static enum kd_status column_month(struct store *st, sqlite3_stmt *stmt,
				   int col, kd_month *out)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);

	if (text && month_parse((const char *)text, out))
		return KD_OK;
	return fail(st, KD_ERR_DB, "malformed month '%s' in %s",
		    text ? (const char *)text : "NULL", st->path);
}

/* created_at and friends: local time from the clock seam. */
static void stamp_now(struct store *st)
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
static enum kd_status tx_begin(struct store *st)
{
	stamp_now(st);
	if (st->batch)
		return exec(st, "SAVEPOINT kd_write", NULL, 0);
	return exec(st, "BEGIN IMMEDIATE", NULL, 0);
}

/* Ends a write: commits when status is KD_OK, otherwise undoes it and keeps
 * the first error's message. Returns the final status. */
static enum kd_status tx_end(struct store *st, enum kd_status status)
{
	if (status == KD_OK) {
		status = exec(st,
			      st->batch ? "RELEASE kd_write" : "COMMIT",
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
static enum kd_status read_begin(struct store *st, bool *began)
{
	*began = false;
	if (!sqlite3_get_autocommit(st->db))
		return KD_OK;
	*began = true;
	return exec(st, "BEGIN", NULL, 0);
}

static enum kd_status read_end(struct store *st, bool began,
			       enum kd_status status)
{
	if (!began || sqlite3_get_autocommit(st->db))
		return status;
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return status;
}

/* ---- audit ---- */

/* Writes the audit row of the running write. detail_sql is an SQL
 * expression building the detail with SQLite's JSON functions from ?1..?n
 * (args); it is always a constant of this file, never user text. */
static enum kd_status audit_add(struct store *st, const char *action,
				const char *subject, const char *detail_sql,
				const struct arg *args, size_t n)
{
	char sql[1024];
	sqlite3_stmt *stmt = NULL;
	enum kd_status status;
	const struct arg fixed[] = {
		arg_text(st->now),
		arg_text(st->actor),
		arg_text(action),
		arg_text(subject),
	};
	int len = snprintf(sql, sizeof(sql),
			   "INSERT INTO audit (at, actor, action, subject, "
			   "detail) VALUES (?101, ?102, ?103, ?104, %s)",
			   detail_sql);
	bool row = false;

	if (len < 0 || (size_t)len >= sizeof(sql))
		return fail(st, KD_ERR_DB,
			    "internal: audit statement too long");
	status = prepare(st, sql, args, n, &stmt);
	if (status == KD_OK)
		status = bind_args(st, stmt, 101, fixed, COUNT_OF(fixed));
	if (status == KD_OK)
		status = step(st, stmt, &row);
	sqlite3_finalize(stmt);
	return status;
}

/* ---- open, migrate, close ---- */

/* Creates the missing directories above the file, 0700 each. */
static enum kd_status make_parents(struct store *st)
{
	char *dir = dup_text(st->path);
	enum kd_status status = KD_OK;

	if (!dir)
		return no_memory(st);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) == 0) {
			/* A umask may have taken the owner's bits away. */
			chmod(dir, 0700);
		} else if (errno != EEXIST) {
			status = fail(st, KD_ERR_IO, "cannot create %s: %s",
				      dir, strerror(errno));
			break;
		}
		*p = '/';
	}
	free(dir);
	return status;
}

/* Creates the file ourselves, so it is 0600 whatever the umask: it holds
 * personnel data. An existing file is left as it is. */
static enum kd_status create_file(struct store *st)
{
	int fd = open(st->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0) {
		if (errno == EEXIST)
			return KD_OK;
		return fail(st, KD_ERR_IO, "cannot create %s: %s", st->path,
			    strerror(errno));
	}
	if (fchmod(fd, 0600) != 0) {
		int saved = errno;

		close(fd);
		return fail(st, KD_ERR_IO, "cannot set the mode of %s: %s",
			    st->path, strerror(saved));
	}
	close(fd);
	return KD_OK;
}

static enum kd_status user_version(struct store *st, int64_t *version)
{
	bool found = false;
	enum kd_status status =
		query_int(st, "PRAGMA user_version", NULL, 0, &found, version);

	if (status == KD_OK && !found)
		*version = 0;
	return status;
}

static enum kd_status refuse_newer(struct store *st, int64_t version)
{
	return fail(st, KD_ERR_DB,
		    "%s: made by a newer kpidesk (schema %" PRId64
		    ", this one reads up to %d); not opened",
		    st->path, version, STORE_SCHEMA_VERSION);
}

/* Brings the schema up to STORE_SCHEMA_VERSION in one transaction. The
 * version is read again under the write lock: the other desk may have
 * migrated the file meanwhile. */
static enum kd_status migrate(struct store *st)
{
	int64_t version = 0;
	int64_t from;
	enum kd_status status = tx_begin(st);

	if (status != KD_OK)
		return status;
	status = user_version(st, &version);
	if (status != KD_OK)
		goto done;
	if (version > STORE_SCHEMA_VERSION) {
		status = refuse_newer(st, version);
		goto done;
	}
	from = version;
	for (; version < STORE_SCHEMA_VERSION; version++) {
		char *msg = NULL;
		int rc = sqlite3_exec(st->db, migrations[version], NULL, NULL,
				      &msg);

		if (rc != SQLITE_OK) {
			status = fail(st, KD_ERR_DB,
				      "%s: cannot upgrade to schema %" PRId64
				      " (%s); is it a kpidesk database?",
				      st->path, version + 1,
				      msg ? msg : sqlite3_errstr(rc));
			sqlite3_free(msg);
			goto done;
		}
	}
	if (from == STORE_SCHEMA_VERSION)
		goto done;
	{
		char pragma[64];
		char subject[32];
		const struct arg args[] = {arg_int(from),
					   arg_int(STORE_SCHEMA_VERSION)};

		/* PRAGMA takes no parameters; the number is ours. */
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
			 STORE_SCHEMA_VERSION);
		snprintf(subject, sizeof(subject), "schema:%d",
			 STORE_SCHEMA_VERSION);
		status = audit_add(st, "store.migrate", subject,
				   "json_object('from', ?1, 'to', ?2)", args,
				   COUNT_OF(args));
		if (status == KD_OK)
			status = exec(st, pragma, NULL, 0);
	}
done:
	return tx_end(st, status);
}

/* The per-connection settings; each must be made outside a transaction. */
static enum kd_status configure(struct store *st)
{
	int64_t value = 0;
	bool found = false;
	char *mode = NULL;
	enum kd_status status;

	status = exec(st, "PRAGMA foreign_keys = ON", NULL, 0);
	if (status == KD_OK)
		status = query_int(st, "PRAGMA foreign_keys", NULL, 0, &found,
				   &value);
	if (status != KD_OK)
		return status;
	if (!found || value != 1)
		return fail(st, KD_ERR_DB,
			    "%s: this SQLite cannot enforce foreign keys",
			    st->path);

	status = query_text(st, "PRAGMA journal_mode = WAL", NULL, 0, &mode);
	if (status != KD_OK)
		return status;
	if (!mode || strcmp(mode, "wal") != 0) {
		status = fail(st, KD_ERR_DB,
			      "%s: cannot use a write-ahead log (journal mode "
			      "stays '%s'); is it on a network file system?",
			      st->path, mode ? mode : "?");
		free(mode);
		return status;
	}
	free(mode);
	/* Under WAL, NORMAL may lose the last commits on power loss. */
	return exec(st, "PRAGMA synchronous = FULL", NULL, 0);
}

enum kd_status store_open(const char *path, struct store **out, char *err,
			  size_t err_size)
{
	struct store *st;
	enum kd_status status;
	int64_t version = 0;
	mode_t old_mask;
	int rc;

	*out = NULL;
	if (err && err_size)
		err[0] = '\0';
	if (!path || !path[0]) {
		if (err && err_size)
			snprintf(err, err_size, "no database path given");
		return KD_ERR_USAGE;
	}
	st = calloc(1, sizeof(*st));
	if (!st || !(st->path = dup_text(path))) {
		free(st);
		if (err && err_size)
			snprintf(err, err_size, "out of memory");
		return KD_ERR_NOMEM;
	}
	snprintf(st->actor, sizeof(st->actor), "%s", DEFAULT_ACTOR);

	status = make_parents(st);
	if (status == KD_OK)
		status = create_file(st);
	if (status != KD_OK)
		goto fail;

	/* SQLite gives the -wal and -shm files the database's own mode; the
	 * umask makes sure nothing it creates here is readable by others. */
	old_mask = umask(077);
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		status = db_fail(st, rc);
		goto fail_mask;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);

	/* Look before writing anything (journal_mode writes the header). */
	status = user_version(st, &version);
	if (status != KD_OK)
		goto fail_mask;
	if (version > STORE_SCHEMA_VERSION) {
		status = refuse_newer(st, version);
		goto fail_mask;
	}
	if (sqlite3_db_readonly(st->db, "main") == 1) {
		status = fail(st, KD_ERR_DB, "database is read-only: %s",
			      st->path);
		goto fail_mask;
	}
	status = configure(st);
	if (status == KD_OK && version < STORE_SCHEMA_VERSION)
		status = migrate(st);
	if (status != KD_OK)
		goto fail_mask;
	umask(old_mask);
	st->err[0] = '\0';
	*out = st;
	return KD_OK;

fail_mask:
	umask(old_mask);
fail:
	if (err && err_size)
		snprintf(err, err_size, "%s", st->err);
	store_close(st);
	return status;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	if (st->db) {
		if (!sqlite3_get_autocommit(st->db))
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(st->db);
	}
	free(st->path);
	free(st);
}

const char *store_last_error(const struct store *st)
{
	return st ? st->err : "";
}

void store_set_actor(struct store *st, const char *actor)
{
	snprintf(st->actor, sizeof(st->actor), "%s",
		 actor && actor[0] ? actor : DEFAULT_ACTOR);
}

enum kd_status store_data_version(struct store *st, int64_t *version)
{
	bool found = false;
	enum kd_status status = query_int(st, "PRAGMA data_version", NULL, 0,
					  &found, version);

	if (status == KD_OK && !found)
		return fail(st, KD_ERR_DB, "PRAGMA data_version gave no value");
	return status;
}

/* ---- agents ---- */

void store_agent_finish(struct store_agent *agent)
{
	if (!agent)
		return;
	free(agent->name);
	free(agent->handle);
	free(agent->role);
	for (size_t i = 0; i < agent->tier_count; i++)
		free(agent->tiers[i].tier_key);
	free(agent->tiers);
	memset(agent, 0, sizeof(*agent));
}

void store_agent_list_finish(struct store_agent_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++)
		store_agent_finish(&list->agents[i]);
	free(list->agents);
	list->agents = NULL;
	list->count = 0;
}

/* Makes room for one more item in a growing array. */
static bool grow(void **items, size_t *capacity, size_t count, size_t size)
{
	size_t wanted;
	void *bigger;

	if (count < *capacity)
		return true;
	wanted = *capacity ? *capacity * 2 : 16;
	if (wanted > SIZE_MAX / size)
		return false;
	bigger = realloc(*items, wanted * size);
	if (!bigger)
		return false;
	*items = bigger;
	*capacity = wanted;
	return true;
}

#define AGENT_SELECT                                                           \
	"SELECT id, name, handle, role, hired_on, left_on FROM agents "

static enum kd_status agent_from_row(struct store *st, sqlite3_stmt *stmt,
				     struct store_agent *agent)
{
	enum kd_status status;

	memset(agent, 0, sizeof(*agent));
	agent->id = sqlite3_column_int64(stmt, 0);
	agent->left = KD_DATE_NONE;
	if (!column_dup(stmt, 1, &agent->name) ||
	    !column_dup(stmt, 2, &agent->handle) ||
	    !column_dup(stmt, 3, &agent->role))
		return no_memory(st);
	status = column_date(st, stmt, 4, &agent->hired);
	if (status == KD_OK && sqlite3_column_type(stmt, 5) != SQLITE_NULL)
		status = column_date(st, stmt, 5, &agent->left);
	return status;
}

/* Adds one tier span to an agent. */
static enum kd_status agent_add_span(struct store *st,
				     struct store_agent *agent,
				     sqlite3_stmt *stmt, int since_col,
				     size_t *capacity)
{
	struct store_tier_span *span;
	enum kd_status status;

	if (!grow((void **)&agent->tiers, capacity, agent->tier_count,
		  sizeof(*agent->tiers)))
		return no_memory(st);
	span = &agent->tiers[agent->tier_count];
	memset(span, 0, sizeof(*span));
	status = column_month(st, stmt, since_col, &span->since);
	if (status != KD_OK)
		return status;
	if (!column_dup(stmt, since_col + 1, &span->tier_key) ||
	    !span->tier_key)
		return no_memory(st);
	agent->tier_count++;
	return KD_OK;
}

/* Agents matching `where` (SQL after AGENT_SELECT, ordered by id), with
 * their tier spans read in one pass over tiers. */
static enum kd_status agent_list_where(struct store *st, const char *where,
				       const struct arg *args, size_t n,
				       struct store_agent_list *out)
{
	char sql[512];
	sqlite3_stmt *stmt = NULL;
	size_t capacity = 0;
	size_t *tier_caps = NULL;
	size_t next = 0;
	bool began = false;
	bool row = true;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	snprintf(sql, sizeof(sql), "%s%s ORDER BY id", AGENT_SELECT, where);
	status = read_begin(st, &began);
	if (status == KD_OK)
		status = prepare(st, sql, args, n, &stmt);
	while (status == KD_OK) {
		status = step(st, stmt, &row);
		if (status != KD_OK || !row)
			break;
		if (!grow((void **)&out->agents, &capacity, out->count,
			  sizeof(*out->agents))) {
			status = no_memory(st);
			break;
		}
		status = agent_from_row(st, stmt, &out->agents[out->count]);
		out->count++;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (status != KD_OK || out->count == 0)
		goto done;

	tier_caps = calloc(out->count, sizeof(*tier_caps));
	if (!tier_caps) {
		status = no_memory(st);
		goto done;
	}
	/* The tiers table is small (one row per promotion); reading it whole
	 * in key order and merging beats one query per agent. */
	status = prepare(st,
			 "SELECT agent_id, since, tier FROM tiers "
			 "ORDER BY agent_id, since",
			 NULL, 0, &stmt);
	row = true;
	while (status == KD_OK) {
		int64_t agent_id;

		status = step(st, stmt, &row);
		if (status != KD_OK || !row)
			break;
		agent_id = sqlite3_column_int64(stmt, 0);
		while (next < out->count && out->agents[next].id < agent_id)
			next++;
		if (next == out->count)
			break;
		if (out->agents[next].id != agent_id)
			continue;
		status = agent_add_span(st, &out->agents[next], stmt, 1,
					&tier_caps[next]);
	}
	sqlite3_finalize(stmt);
done:
	free(tier_caps);
	status = read_end(st, began, status);
	if (status != KD_OK)
		store_agent_list_finish(out);
	return status;
}

enum kd_status store_agent_get(struct store *st, int64_t id,
			       struct store_agent *out)
{
	struct store_agent_list list;
	const struct arg args[] = {arg_int(id)};
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	status = agent_list_where(st, "WHERE id = ?1", args, COUNT_OF(args),
				  &list);
	if (status != KD_OK)
		return status;
	if (list.count == 0) {
		store_agent_list_finish(&list);
		return fail(st, KD_ERR_NOT_FOUND, "no agent with id %" PRId64,
			    id);
	}
	*out = list.agents[0];
	free(list.agents);
	return KD_OK;
}

enum kd_status store_agent_list(struct store *st, bool include_left,
				kd_date today, struct store_agent_list *out)
{
	char day[16];
	const struct arg args[] = {arg_text(day)};

	memset(out, 0, sizeof(*out));
	if (include_left)
		return agent_list_where(st, "", NULL, 0, out);
	if (!date_text(today, day, sizeof(day)))
		return bad_date(st, "today");
	return agent_list_where(st, "WHERE left_on IS NULL OR left_on > ?1",
				args, COUNT_OF(args), out);
}

/* All-digit references are ids; so are longer ones only up to int64. */
static bool ref_as_id(const char *ref, int64_t *id)
{
	size_t len = strlen(ref);
	int64_t value = 0;

	if (len == 0 || len > 18)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (ref[i] < '0' || ref[i] > '9')
			return false;
		value = value * 10 + (ref[i] - '0');
	}
	*id = value;
	return true;
}

/* Ids of the agents whose `column` equals ref (at most `max`). */
static enum kd_status agent_ids_by(struct store *st, const char *sql,
				   const char *ref, int64_t *ids, size_t max,
				   size_t *count)
{
	sqlite3_stmt *stmt = NULL;
	const struct arg args[] = {arg_text(ref)};
	enum kd_status status = prepare(st, sql, args, COUNT_OF(args), &stmt);
	bool row = true;

	*count = 0;
	while (status == KD_OK) {
		status = step(st, stmt, &row);
		if (status != KD_OK || !row)
			break;
		if (*count < max)
			ids[*count] = sqlite3_column_int64(stmt, 0);
		(*count)++;
	}
	sqlite3_finalize(stmt);
	return status;
}

static enum kd_status ambiguous(struct store *st, const char *what,
				const char *ref, const int64_t *ids,
				size_t shown, size_t count)
{
	char list[128] = "";
	size_t used = 0;

	for (size_t i = 0; i < shown && used < sizeof(list); i++) {
		int len = snprintf(list + used, sizeof(list) - used,
				   "%s%" PRId64, i ? ", " : "", ids[i]);
		if (len < 0)
			break;
		used += (size_t)len;
	}
	return fail(st, KD_ERR_CONFLICT,
		    "%zu agents have the %s '%s' (ids %s%s): use the id", count,
		    what, ref, list, count > shown ? ", ..." : "");
}

/* Id first; then the exact name; then the handle. A name therefore wins
 * over another agent's equal handle, and an all-digit reference that is no
 * id may still be a name or a handle ("007"). */
enum kd_status store_agent_find(struct store *st, const char *ref,
				struct store_agent *out)
{
	int64_t ids[8];
	size_t count = 0;
	int64_t id;
	bool began = false;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	if (!ref || !ref[0])
		return fail(st, KD_ERR_INPUT, "no agent given");
	status = read_begin(st, &began);
	if (status != KD_OK)
		return status;
	if (ref_as_id(ref, &id)) {
		status = store_agent_get(st, id, out);
		if (status != KD_ERR_NOT_FOUND)
			goto done;
	}
	status = agent_ids_by(st,
			      "SELECT id FROM agents WHERE name = ?1 "
			      "ORDER BY id",
			      ref, ids, COUNT_OF(ids), &count);
	if (status == KD_OK && count == 0)
		status = agent_ids_by(st,
				      "SELECT id FROM agents WHERE handle = ?1 "
				      "ORDER BY id",
				      ref, ids, COUNT_OF(ids), &count);
	if (status != KD_OK)
		goto done;
	if (count == 0)
		status = fail(st, KD_ERR_NOT_FOUND,
			      "no agent with the id, name or handle '%s'", ref);
	else if (count > 1)
		status = ambiguous(st, "name", ref, ids,
				   count < COUNT_OF(ids) ? count
							 : COUNT_OF(ids),
				   count);
	else
		status = store_agent_get(st, ids[0], out);
done:
	return read_end(st, began, status);
}

/* The agent as JSON for the audit log, tiers included; NULL when absent. */
static enum kd_status agent_json(struct store *st, int64_t id, char **out)
{
	const struct arg args[] = {arg_int(id)};

	return query_text(
		st,
		"SELECT json_object('name', a.name, 'handle', a.handle, "
		"'role', a.role, 'hired', a.hired_on, 'left', a.left_on, "
		"'tiers', json((SELECT json_group_array(json_object("
		"'since', t.since, 'tier', t.tier)) FROM (SELECT since, tier "
		"FROM tiers WHERE agent_id = a.id ORDER BY since) AS t))) "
		"FROM agents AS a WHERE a.id = ?1",
		args, COUNT_OF(args), out);
}

/* Refuses a handle that another agent has (the unique index would too, but
 * without saying whose). */
static enum kd_status check_handle_free(struct store *st, const char *handle,
					int64_t self)
{
	const struct arg args[] = {arg_text(handle), arg_int(self)};
	int64_t other = 0;
	bool found = false;
	enum kd_status status;

	if (!handle)
		return KD_OK;
	status = query_int(st,
			   "SELECT id FROM agents WHERE handle = ?1 "
			   "AND id != ?2",
			   args, COUNT_OF(args), &found, &other);
	if (status == KD_OK && found)
		return fail(st, KD_ERR_CONFLICT,
			    "the handle '%s' belongs to agent %" PRId64,
			    handle, other);
	return status;
}

/* Sets the agent's tier from `since` on, unless that tier is already the
 * one in force then (a repeated edit changes nothing). */
static enum kd_status set_tier(struct store *st, int64_t agent_id,
			       const char *tier_key, const char *since)
{
	const struct arg find[] = {arg_int(agent_id), arg_text(since)};
	const struct arg args[] = {arg_int(agent_id), arg_text(since),
				   arg_text(tier_key), arg_text(st->now)};
	char *current = NULL;
	enum kd_status status;

	status = query_text(st,
			    "SELECT tier FROM tiers WHERE agent_id = ?1 AND "
			    "since <= ?2 ORDER BY since DESC LIMIT 1",
			    find, COUNT_OF(find), &current);
	if (status != KD_OK)
		return status;
	if (current && strcmp(current, tier_key) == 0) {
		free(current);
		return KD_OK;
	}
	free(current);
	return exec(st,
		    "INSERT INTO tiers (agent_id, since, tier, set_at) "
		    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (agent_id, since) "
		    "DO UPDATE SET tier = excluded.tier, "
		    "set_at = excluded.set_at",
		    args, COUNT_OF(args));
}

static bool role_ok(const char *role)
{
	return strcmp(role, "presales") == 0 || strcmp(role, "aftersales") == 0;
}

enum kd_status store_agent_add(struct store *st, const char *name,
			       const char *handle, const char *role,
			       kd_date hired, const char *tier_key,
			       kd_month tier_since, int64_t *id_out)
{
	char hired_text[16], since_text[16], subject[32];
	char *json = NULL;
	int64_t id = 0;
	enum kd_status status;

	if (handle && !handle[0])
		handle = NULL;
	if (!role)
		role = "presales";
	if (!name || !name[0])
		return fail(st, KD_ERR_INPUT, "an agent needs a name");
	if (!role_ok(role))
		return fail(st, KD_ERR_INPUT,
			    "role '%s' is neither presales nor aftersales",
			    role);
	if (!date_text(hired, hired_text, sizeof(hired_text)))
		return bad_date(st, "the hire date");
	if (tier_key && !tier_key[0])
		return fail(st, KD_ERR_INPUT, "the tier is empty");
	if (tier_key && !month_text(tier_since, since_text, sizeof(since_text)))
		return bad_month(st, "the tier's first month");

	status = tx_begin(st);
	if (status != KD_OK)
		return status;
	status = check_handle_free(st, handle, 0);
	if (status == KD_OK) {
		const struct arg args[] = {arg_text(name), arg_text(handle),
					   arg_text(role), arg_text(hired_text),
					   arg_text(st->now)};

		status = exec(st,
			      "INSERT INTO agents (name, handle, role, "
			      "hired_on, created_at) "
			      "VALUES (?1, ?2, ?3, ?4, ?5)",
			      args, COUNT_OF(args));
	}
	if (status != KD_OK)
		goto done;
	id = sqlite3_last_insert_rowid(st->db);
	if (tier_key) {
		status = set_tier(st, id, tier_key, since_text);
		if (status != KD_OK)
			goto done;
	}
	status = agent_json(st, id, &json);
	if (status == KD_OK) {
		const struct arg args[] = {arg_text(json)};

		snprintf(subject, sizeof(subject), "agent:%" PRId64, id);
		status = audit_add(st, "agent.add", subject,
				   "json_object('new', json(?1))", args,
				   COUNT_OF(args));
	}
done:
	free(json);
	status = tx_end(st, status);
	if (status == KD_OK && id_out)
		*id_out = id;
	return status;
}

/* What an edit needs validated before the transaction. */
static enum kd_status check_edit(struct store *st,
				 const struct store_agent_edit *edit,
				 char *hired, char *left, char *since,
				 size_t size)
{
	if (edit->name && !edit->name[0])
		return fail(st, KD_ERR_INPUT, "an agent needs a name");
	if (edit->set_hired && !date_text(edit->hired, hired, size))
		return bad_date(st, "the hire date");
	if (edit->set_left && edit->left != KD_DATE_NONE &&
	    !date_text(edit->left, left, size))
		return bad_date(st, "the leave date");
	if (edit->tier_key && !edit->tier_key[0])
		return fail(st, KD_ERR_INPUT, "the tier is empty");
	if (edit->tier_key && !month_text(edit->tier_since, since, size))
		return bad_month(st, "the tier's first month");
	return KD_OK;
}

/* Refuses a leave date before the hire date, naming both. */
static enum kd_status check_dates(struct store *st, int64_t id,
				  const struct store_agent_edit *edit,
				  const char *hired, const char *left)
{
	const struct arg args[] = {
		arg_int(id),
		arg_int(edit->set_hired),
		arg_text(hired),
		arg_int(edit->set_left),
		edit->set_left && edit->left != KD_DATE_NONE ? arg_text(left)
							     : arg_null(),
	};
	sqlite3_stmt *stmt = NULL;
	enum kd_status status;
	bool row = false;

	status = prepare(st,
			 "SELECT h, l FROM (SELECT "
			 "CASE WHEN ?2 THEN ?3 ELSE hired_on END AS h, "
			 "CASE WHEN ?4 THEN ?5 ELSE left_on END AS l "
			 "FROM agents WHERE id = ?1) WHERE l < h",
			 args, COUNT_OF(args), &stmt);
	if (status == KD_OK)
		status = step(st, stmt, &row);
	if (status == KD_OK && row)
		status = fail(st, KD_ERR_INPUT,
			      "the leave date %s is before the hire date %s",
			      (const char *)sqlite3_column_text(stmt, 1),
			      (const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return status;
}

enum kd_status store_agent_update(struct store *st, int64_t id,
				  const struct store_agent_edit *edit)
{
	char hired[16] = "", left[16] = "", since[16] = "", subject[32];
	const char *handle = NULL;
	char *before = NULL, *after = NULL;
	enum kd_status status;

	status = check_edit(st, edit, hired, left, since, sizeof(hired));
	if (status != KD_OK)
		return status;
	if (edit->set_handle && edit->handle && edit->handle[0])
		handle = edit->handle;

	status = tx_begin(st);
	if (status != KD_OK)
		return status;
	status = agent_json(st, id, &before);
	if (status != KD_OK)
		goto done;
	if (!before) {
		status = fail(st, KD_ERR_NOT_FOUND, "no agent with id %" PRId64,
			      id);
		goto done;
	}
	status = check_dates(st, id, edit, hired, left);
	if (status == KD_OK && edit->set_handle)
		status = check_handle_free(st, handle, id);
	if (status == KD_OK) {
		const struct arg args[] = {
			arg_int(id),
			arg_text(edit->name),
			arg_int(edit->set_handle),
			arg_text(handle),
			arg_int(edit->set_hired),
			arg_text(hired),
			arg_int(edit->set_left),
			edit->set_left && edit->left != KD_DATE_NONE
				? arg_text(left)
				: arg_null(),
		};

		status = exec(st,
			      "UPDATE agents SET name = coalesce(?2, name), "
			      "handle = CASE WHEN ?3 THEN ?4 ELSE handle END, "
			      "hired_on = CASE WHEN ?5 THEN ?6 "
			      "ELSE hired_on END, "
			      "left_on = CASE WHEN ?7 THEN ?8 ELSE left_on END "
			      "WHERE id = ?1",
			      args, COUNT_OF(args));
	}
	if (status == KD_OK && edit->tier_key)
		status = set_tier(st, id, edit->tier_key, since);
	if (status == KD_OK)
		status = agent_json(st, id, &after);
	if (status != KD_OK || !after || strcmp(before, after) == 0)
		goto done; /* nothing changed: nothing to log */
	{
		const struct arg args[] = {arg_text(before), arg_text(after)};

		snprintf(subject, sizeof(subject), "agent:%" PRId64, id);
		status = audit_add(st, "agent.update", subject,
				   "json_object('old', json(?1), "
				   "'new', json(?2))",
				   args, COUNT_OF(args));
	}
done:
	free(before);
	free(after);
	return tx_end(st, status);
}

/* ---- events ---- */

void store_event_finish(struct store_event *event)
{
	if (!event)
		return;
	free(event->agent_name);
	free(event->category);
	free(event->note);
	free(event->created_at);
	free(event->void_reason);
	free(event->voided_at);
	free(event->appeal);
	memset(event, 0, sizeof(*event));
}

void store_event_list_finish(struct store_event_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++)
		store_event_finish(&list->events[i]);
	free(list->events);
	list->events = NULL;
	list->count = 0;
}

/* A row of STORE_SQL_EVENT_SELECT. */
static enum kd_status event_from_row(struct store *st, sqlite3_stmt *stmt,
				     struct store_event *event)
{
	memset(event, 0, sizeof(*event));
	event->id = sqlite3_column_int64(stmt, 0);
	event->agent_id = sqlite3_column_int64(stmt, 1);
	event->quantity = (int32_t)sqlite3_column_int64(stmt, 5);
	event->voided = sqlite3_column_type(stmt, 8) != SQLITE_NULL;
	if (!column_dup(stmt, 2, &event->agent_name) ||
	    !column_dup(stmt, 4, &event->category) ||
	    !column_dup(stmt, 6, &event->note) ||
	    !column_dup(stmt, 7, &event->created_at) ||
	    !column_dup(stmt, 8, &event->voided_at) ||
	    !column_dup(stmt, 9, &event->void_reason) ||
	    !column_dup(stmt, 10, &event->appeal))
		return no_memory(st);
	return column_date(st, stmt, 3, &event->date);
}

/* Reads every row of a prepared event query into out. */
static enum kd_status event_rows(struct store *st, sqlite3_stmt *stmt,
				 struct store_event_list *out)
{
	size_t capacity = 0;
	enum kd_status status = KD_OK;
	bool row = true;

	while (status == KD_OK) {
		status = step(st, stmt, &row);
		if (status != KD_OK || !row)
			break;
		if (!grow((void **)&out->events, &capacity, out->count,
			  sizeof(*out->events))) {
			status = no_memory(st);
			break;
		}
		status = event_from_row(st, stmt, &out->events[out->count]);
		out->count++;
	}
	return status;
}

enum kd_status store_event_get(struct store *st, int64_t event_id,
			       struct store_event *out)
{
	struct store_event_list list = {0};
	sqlite3_stmt *stmt = NULL;
	const struct arg args[] = {arg_int(event_id)};
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	status = prepare(st, STORE_SQL_EVENT_SELECT "WHERE e.id = ?1", args,
			 COUNT_OF(args), &stmt);
	if (status == KD_OK)
		status = event_rows(st, stmt, &list);
	sqlite3_finalize(stmt);
	if (status == KD_OK && list.count == 0)
		status = fail(st, KD_ERR_NOT_FOUND, "no event with id %" PRId64,
			      event_id);
	if (status != KD_OK) {
		store_event_list_finish(&list);
		return status;
	}
	*out = list.events[0];
	free(list.events);
	return KD_OK;
}

enum kd_status store_events_between(struct store *st, kd_date from, kd_date to,
				    int64_t agent_id, bool include_voided,
				    struct store_event_list *out)
{
	char first[16], last[16];
	sqlite3_stmt *stmt = NULL;
	const struct arg args[] = {arg_text(first), arg_text(last),
				   arg_int(include_voided), arg_int(agent_id)};
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	if (!date_text(from, first, sizeof(first)))
		return bad_date(st, "the first date");
	if (!date_text(to, last, sizeof(last)))
		return bad_date(st, "the last date");
	if (agent_id)
		status = prepare(st, STORE_SQL_EVENTS_RANGE_AGENT, args, 4,
				 &stmt);
	else
		status = prepare(st, STORE_SQL_EVENTS_RANGE, args, 3, &stmt);
	if (status == KD_OK)
		status = event_rows(st, stmt, out);
	sqlite3_finalize(stmt);
	if (status != KD_OK)
		store_event_list_finish(out);
	return status;
}

enum kd_status store_earliest_record_month(struct store *st, bool *found,
					   kd_month *month)
{
	char *text = NULL;
	enum kd_status status =
		query_text(st, STORE_SQL_EARLIEST_EVENT, NULL, 0, &text);
	kd_date date;

	*found = false;
	if (status != KD_OK)
		return status;
	if (text && date_parse(text, &date)) {
		*month = date_month(date);
		*found = true;
	} else if (text) {
		status = fail(st, KD_ERR_DB, "malformed date '%s' in %s", text,
			      st->path);
	}
	free(text);
	text = NULL;
	/* min(month) reads the first entry of the metrics_month index */
	if (status == KD_OK)
		status = query_text(st, "SELECT min(month) FROM metrics", NULL,
				    0, &text);
	kd_month metrics_month;
	if (status == KD_OK && text && month_parse(text, &metrics_month) &&
	    (!*found || metrics_month < *month)) {
		*month = metrics_month;
		*found = true;
	}
	free(text);
	return status;
}

/* Refuses changes to a closed month (RULEBOOK.md section 11). */
static enum kd_status check_month_open(struct store *st, const char *month)
{
	const struct arg args[] = {arg_text(month)};
	int64_t closed = 0;
	bool found = false;
	enum kd_status status = query_int(
		st, "SELECT state = 'closed' FROM months WHERE month = ?1",
		args, COUNT_OF(args), &found, &closed);

	if (status == KD_OK && found && closed)
		return fail(st, KD_ERR_CONFLICT,
			    "month %s is closed; reopen it first", month);
	return status;
}

/* The agent must have been employed on the day, and the day not be in the
 * future: one place for the shift desk and the command line alike. */
static enum kd_status check_event_day(struct store *st, int64_t agent_id,
				      const char *day)
{
	const struct arg args[] = {arg_int(agent_id)};
	sqlite3_stmt *stmt = NULL;
	char today[16];
	const char *name, *hired, *left;
	bool row = false;
	enum kd_status status;

	if (date_text(clock_today(), today, sizeof(today)) &&
	    strcmp(day, today) > 0)
		return fail(st, KD_ERR_INPUT,
			    "%s is in the future (today is %s)", day, today);
	status = prepare(st,
			 "SELECT name, hired_on, left_on FROM agents "
			 "WHERE id = ?1",
			 args, COUNT_OF(args), &stmt);
	if (status == KD_OK)
		status = step(st, stmt, &row);
	if (status != KD_OK)
		goto done;
	if (!row) {
		status = fail(st, KD_ERR_NOT_FOUND, "no agent with id %" PRId64,
			      agent_id);
		goto done;
	}
	name = (const char *)sqlite3_column_text(stmt, 0);
	hired = (const char *)sqlite3_column_text(stmt, 1);
	left = (const char *)sqlite3_column_text(stmt, 2);
	if (hired && strcmp(day, hired) < 0)
		status = fail(st, KD_ERR_INPUT,
			      "%s is before %s's hire date %s", day,
			      name ? name : "?", hired);
	else if (left && strcmp(day, left) > 0)
		status = fail(st, KD_ERR_INPUT,
			      "%s is after %s's leave date %s", day,
			      name ? name : "?", left);
done:
	sqlite3_finalize(stmt);
	return status;
}

enum kd_status store_event_add(struct store *st, int64_t agent_id,
			       kd_date date, const char *category,
			       int32_t quantity, const char *note,
			       int64_t *id_out)
{
	char day[16], month[16], subject[32];
	int64_t id = 0;
	enum kd_status status;

	if (note && !note[0])
		note = NULL;
	if (!date_text(date, day, sizeof(day)))
		return bad_date(st, "the event's date");
	month_text(date_month(date), month, sizeof(month));
	if (!category || !category[0])
		return fail(st, KD_ERR_INPUT, "an event needs a category");
	if (quantity < 1 || quantity > 1440)
		return fail(st, KD_ERR_INPUT,
			    "quantity %" PRId32
			    " is not a whole number from 1 to 1440",
			    quantity);

	status = tx_begin(st);
	if (status != KD_OK)
		return status;
	status = check_event_day(st, agent_id, day);
	if (status == KD_OK)
		status = check_month_open(st, month);
	if (status == KD_OK) {
		const struct arg args[] = {
			arg_int(agent_id), arg_text(day),
			arg_text(category), arg_int(quantity),
			arg_text(note),	   arg_text(st->now),
			arg_text(st->actor),
		};

		status = exec(st,
			      "INSERT INTO events (agent_id, date, category, "
			      "quantity, note, created_at, actor) "
			      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			      args, COUNT_OF(args));
	}
	if (status == KD_OK) {
		const struct arg args[] = {
			arg_int(agent_id), arg_text(day),  arg_text(category),
			arg_int(quantity), arg_text(note),
		};

		id = sqlite3_last_insert_rowid(st->db);
		snprintf(subject, sizeof(subject), "event:%" PRId64, id);
		status = audit_add(st, "event.add", subject,
				   "json_object('agent_id', ?1, 'date', ?2, "
				   "'category', ?3, 'quantity', ?4, "
				   "'note', ?5)",
				   args, COUNT_OF(args));
	}
	status = tx_end(st, status);
	if (status == KD_OK && id_out)
		*id_out = id;
	return status;
}

static enum kd_status appeal_close(struct store *st, int64_t event_id,
				   const char *state, const char *reason,
				   bool *found);

/* Voiding an event under appeal settles the appeal too: as voided, with
 * the same reason (PRODUCT.md "Appeals"). */
enum kd_status store_event_void(struct store *st, int64_t event_id,
				const char *reason)
{
	const struct arg find[] = {arg_int(event_id)};
	sqlite3_stmt *stmt = NULL;
	char month[16] = "", subject[32];
	bool row = false;
	enum kd_status status;

	if (!reason || !reason[0])
		return fail(st, KD_ERR_INPUT, "voiding needs a reason");
	status = tx_begin(st);
	if (status != KD_OK)
		return status;
	status = prepare(st,
			 "SELECT substr(date, 1, 7), void_reason FROM events "
			 "WHERE id = ?1",
			 find, COUNT_OF(find), &stmt);
	if (status == KD_OK)
		status = step(st, stmt, &row);
	if (status == KD_OK && !row)
		status = fail(st, KD_ERR_NOT_FOUND, "no event with id %" PRId64,
			      event_id);
	else if (status == KD_OK &&
		 sqlite3_column_type(stmt, 1) != SQLITE_NULL)
		status = fail(st, KD_ERR_CONFLICT,
			      "event %" PRId64 " is voided already (%s)",
			      event_id,
			      (const char *)sqlite3_column_text(stmt, 1));
	else if (status == KD_OK)
		snprintf(month, sizeof(month), "%s",
			 (const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	if (status == KD_OK)
		status = check_month_open(st, month);
	if (status == KD_OK) {
		const struct arg args[] = {arg_int(event_id), arg_text(st->now),
					   arg_text(reason),
					   arg_text(st->actor)};

		status = exec(st,
			      "UPDATE events SET voided_at = ?2, "
			      "void_reason = ?3, voided_by = ?4 "
			      "WHERE id = ?1 AND voided_at IS NULL",
			      args, COUNT_OF(args));
	}
	if (status == KD_OK) {
		const struct arg args[] = {arg_text(reason), arg_int(event_id)};

		snprintf(subject, sizeof(subject), "event:%" PRId64, event_id);
		status = audit_add(
			st, "event.void", subject,
			"(SELECT json_object('reason', ?1, 'agent_id', "
			"agent_id, 'date', date, 'category', category, "
			"'quantity', quantity) FROM events WHERE id = ?2)",
			args, COUNT_OF(args));
	}
	if (status == KD_OK) {
		bool appealed = false;

		status = appeal_close(st, event_id, "voided", reason,
				      &appealed);
	}
	return tx_end(st, status);
}

/* ---- months ---- */

enum kd_status store_month_get(struct store *st, kd_month month,
			       struct store_month *out)
{
	char text[16];
	const struct arg args[] = {arg_text(text)};
	sqlite3_stmt *stmt = NULL;
	bool row = false;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	out->month = month;
	if (!month_text(month, text, sizeof(text)))
		return bad_month(st, "the month");
	status = prepare(st,
			 "SELECT state = 'closed', silent_sales_fen "
			 "FROM months WHERE month = ?1",
			 args, COUNT_OF(args), &stmt);
	if (status == KD_OK)
		status = step(st, stmt, &row);
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
	const struct arg args[] = {arg_text(text), arg_int(silent_sales_fen)};
	enum kd_status status;

	if (!month_text(month, text, sizeof(text)))
		return bad_month(st, "the month");
	if (silent_sales_fen < 0)
		return fail(st, KD_ERR_INPUT,
			    "silent-order sales cannot be negative");
	status = tx_begin(st);
	if (status != KD_OK)
		return status;
	status = check_month_open(st, text);
	if (status != KD_OK)
		goto done;
	/* The audit row reads the old value before the upsert replaces it. */
	snprintf(subject, sizeof(subject), "month:%s", text);
	status = audit_add(st, "month.silent_sales", subject,
			   "json_object('old', (SELECT silent_sales_fen FROM "
			   "months WHERE month = ?1), 'new', ?2)",
			   args, COUNT_OF(args));
	if (status == KD_OK)
		status = exec(st,
			      "INSERT INTO months (month, silent_sales_fen) "
			      "VALUES (?1, ?2) ON CONFLICT (month) DO UPDATE "
			      "SET silent_sales_fen = "
			      "excluded.silent_sales_fen",
			      args, COUNT_OF(args));
done:
	return tx_end(st, status);
}

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
	const struct arg args[] = {arg_text(first), arg_text(last)};
	sqlite3_stmt *stmt = NULL;
	size_t capacity = 0;
	bool row = true;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	if (!month_text(from, first, sizeof(first)))
		return bad_month(st, "the first month");
	if (!month_text(to, last, sizeof(last)))
		return bad_month(st, "the last month");
	status = prepare(st, STORE_SQL_METRICS_RANGE, args, COUNT_OF(args),
			 &stmt);
	while (status == KD_OK) {
		struct score_metrics *m;

		status = step(st, stmt, &row);
		if (status != KD_OK || !row)
			break;
		if (!grow((void **)&out->metrics, &capacity, out->count,
			  sizeof(*out->metrics))) {
			status = no_memory(st);
			break;
		}
		m = &out->metrics[out->count];
		memset(m, 0, sizeof(*m));
		m->agent_id = sqlite3_column_int64(stmt, 0);
		status = column_month(st, stmt, 1, &m->month);
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
	return has ? arg_int(value) : arg_null();
}

/* metrics[i].month is not read: every row goes to `month`. */
enum kd_status store_metrics_replace(struct store *st, kd_month month,
				     size_t count,
				     const struct score_metrics *metrics,
				     const char *source)
{
	char text[16], subject[32];
	const struct arg month_arg[] = {arg_text(text)};
	int64_t replaced = 0;
	bool found = false;
	enum kd_status status;

	if (!month_text(month, text, sizeof(text)))
		return bad_month(st, "the month");
	status = tx_begin(st);
	if (status != KD_OK)
		return status;
	status = check_month_open(st, text);
	if (status == KD_OK)
		status = query_int(st,
				   "SELECT count(*) FROM metrics "
				   "WHERE month = ?1",
				   month_arg, COUNT_OF(month_arg), &found,
				   &replaced);
	if (status == KD_OK)
		status = exec(st, "DELETE FROM metrics WHERE month = ?1",
			      month_arg, COUNT_OF(month_arg));
	for (size_t i = 0; status == KD_OK && i < count; i++) {
		const struct score_metrics *m = &metrics[i];
		const struct arg args[] = {
			arg_int(m->agent_id),
			arg_text(text),
			metric_arg(m->has_sales, m->sales_fen),
			metric_arg(m->has_target, m->target_fen),
			metric_arg(m->has_inquiries, m->inquiries),
			metric_arg(m->has_buyers, m->buyers),
			metric_arg(m->has_conversion, m->conversion_e4),
			metric_arg(m->has_response, m->response_e4),
			metric_arg(m->has_aov, m->aov_fen),
			metric_arg(m->has_reply_rate, m->reply_rate_e4),
			arg_text(source),
			arg_text(st->now),
		};

		status = exec(st,
			      "INSERT INTO metrics (agent_id, month, "
			      "sales_fen, target_fen, inquiries, buyers, "
			      "conversion_e4, response_e4, aov_fen, "
			      "reply_rate_e4, source, "
			      "imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
			      "?7, ?8, ?9, ?10, ?11, ?12)",
			      args, COUNT_OF(args));
		if (status == KD_ERR_NOT_FOUND)
			status = fail(st, KD_ERR_NOT_FOUND,
				      "metrics for agent %" PRId64
				      ", who is not stored",
				      m->agent_id);
		else if (status == KD_ERR_CONFLICT)
			status = fail(st, KD_ERR_CONFLICT,
				      "metrics for agent %" PRId64
				      " appear twice",
				      m->agent_id);
		else if (status == KD_ERR_INPUT)
			status = fail(st, KD_ERR_INPUT,
				      "metrics for agent %" PRId64
				      " hold a negative value",
				      m->agent_id);
	}
	if (status == KD_OK) {
		const struct arg args[] = {arg_text(text),
					   arg_int((int64_t)count),
					   arg_int(replaced),
					   arg_text(source)};

		snprintf(subject, sizeof(subject), "month:%s", text);
		status = audit_add(st, "metrics.replace", subject,
				   "json_object('month', ?1, 'count', ?2, "
				   "'replaced', ?3, 'source', ?4)",
				   args, COUNT_OF(args));
	}
	return tx_end(st, status);
}

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
			return no_memory(st);
	}
	if (spans) {
		bundle->tier_spans = calloc(spans, sizeof(*bundle->tier_spans));
		if (!bundle->tier_spans)
			return no_memory(st);
	}
	if (events->count) {
		bundle->score_events =
			calloc(events->count, sizeof(*bundle->score_events));
		if (!bundle->score_events)
			return no_memory(st);
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
	const struct arg args[] = {arg_text(first), arg_text(last)};
	sqlite3_stmt *stmt = NULL;
	size_t capacity = 0;
	bool row = true;
	enum kd_status status;

	if (to < from)
		return KD_OK;
	if (!month_text(from, first, sizeof(first)) ||
	    !month_text(to, last, sizeof(last)))
		return bad_month(st, "the look-back");
	status = prepare(st,
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

		status = step(st, stmt, &row);
		if (status != KD_OK || !row)
			break;
		for (int col = 1; col <= 3; col++)
			if (sqlite3_column_type(stmt, col) != SQLITE_INTEGER)
				status = fail(st, KD_ERR_DB,
					      "malformed snapshot of month "
					      "%s in %s",
					      (const char *)sqlite3_column_text(
						      stmt, 0),
					      st->path);
		if (status != KD_OK)
			break;
		if (!grow((void **)&bundle->history, &capacity,
			  bundle->input.history_count,
			  sizeof(*bundle->history))) {
			status = no_memory(st);
			break;
		}
		h = &bundle->history[bundle->input.history_count];
		memset(h, 0, sizeof(*h));
		status = column_month(st, stmt, 0, &h->month);
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
		return fail(st, KD_ERR_USAGE, "a negative look-back");
	if (!month_text(month, last_day, sizeof(last_day)) ||
	    !month_text(first_month, first_day, sizeof(first_day)))
		return bad_month(st, "the month or its look-back");
	date_text(month_last_day(month), last_day, sizeof(last_day));
	date_text(month_first_day(first_month), first_day, sizeof(first_day));

	status = read_begin(st, &began);
	if (status == KD_OK) {
		const struct arg args[] = {arg_text(last_day),
					   arg_text(first_day)};

		status = agent_list_where(
			st,
			"WHERE hired_on <= ?1 AND "
			"(left_on IS NULL OR left_on >= ?2)",
			args, COUNT_OF(args), &bundle->agents);
	}
	if (status == KD_OK)
		status = store_events_between(
			st, month_first_day(first_month), month_last_day(month),
			0, true, &bundle->events);
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
	status = read_end(st, began, status);
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
enum kd_status store_audit_rulebook_reload(struct store *st,
					   const char *source, bool accepted,
					   size_t error_count)
{
	const struct arg args[] = {arg_text(source ? source : ""),
				   arg_int(accepted ? 1 : 0),
				   arg_int((int64_t)error_count)};
	enum kd_status status = tx_begin(st);

	if (status != KD_OK)
		return status;
	status = audit_add(st, "rulebook.reload", "rulebook",
			   "json_object('source', ?1, 'accepted', "
			   "json(CASE ?2 WHEN 1 THEN 'true' ELSE 'false' END), "
			   "'errors', ?3)",
			   args, COUNT_OF(args));
	return tx_end(st, status);
}

enum kd_status store_audit_recent(struct store *st, size_t limit,
				  struct store_audit_list *out)
{
	const struct arg args[] = {
		arg_int(limit == 0 || limit > INT64_MAX ? -1 : (int64_t)limit)};
	sqlite3_stmt *stmt = NULL;
	size_t capacity = 0;
	bool row = true;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	status = prepare(st,
			 "SELECT id, at, actor, action, subject, detail "
			 "FROM audit ORDER BY id DESC LIMIT ?1",
			 args, COUNT_OF(args), &stmt);
	while (status == KD_OK) {
		struct store_audit_entry *e;

		status = step(st, stmt, &row);
		if (status != KD_OK || !row)
			break;
		if (!grow((void **)&out->entries, &capacity, out->count,
			  sizeof(*out->entries))) {
			status = no_memory(st);
			break;
		}
		e = &out->entries[out->count++];
		memset(e, 0, sizeof(*e));
		e->id = sqlite3_column_int64(stmt, 0);
		if (!column_dup(stmt, 1, &e->at) ||
		    !column_dup(stmt, 2, &e->actor) ||
		    !column_dup(stmt, 3, &e->action) ||
		    !column_dup(stmt, 4, &e->subject) ||
		    !column_dup(stmt, 5, &e->detail))
			status = no_memory(st);
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
	enum kd_status status = query_int(
		st, "SELECT NOT EXISTS (SELECT 1 FROM agents)", NULL, 0, &found,
		&value);

	*empty = value != 0;
	return status;
}

/* ---- batches ---- */

enum kd_status store_begin_batch(struct store *st)
{
	enum kd_status status;

	if (st->batch || !sqlite3_get_autocommit(st->db))
		return fail(st, KD_ERR_USAGE, "a batch is open already");
	status = exec(st, "BEGIN IMMEDIATE", NULL, 0);
	if (status == KD_OK)
		st->batch = true;
	return status;
}

enum kd_status store_commit_batch(struct store *st)
{
	enum kd_status status;

	if (!st->batch)
		return fail(st, KD_ERR_USAGE, "no batch is open");
	st->batch = false;
	if (sqlite3_get_autocommit(st->db))
		return fail(st, KD_ERR_DB,
			    "the batch was rolled back after an error: %s",
			    st->path);
	status = exec(st, "COMMIT", NULL, 0);
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
	const struct arg args[] = {arg_int(event_id)};
	sqlite3_stmt *stmt = NULL;
	bool row = false;
	enum kd_status status;

	status = prepare(st,
			 "SELECT substr(date, 1, 7), voided_at IS NOT NULL "
			 "FROM events WHERE id = ?1",
			 args, COUNT_OF(args), &stmt);
	if (status == KD_OK)
		status = step(st, stmt, &row);
	if (status == KD_OK && !row)
		status = fail(st, KD_ERR_NOT_FOUND, "no event with id %" PRId64,
			      event_id);
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
	char month[16] = "", subject[32], *since = NULL;
	const struct arg find[] = {arg_int(event_id)};
	bool voided = false;
	int64_t id = 0;
	enum kd_status status;

	if (!reason || !reason[0])
		return fail(st, KD_ERR_INPUT, "an appeal needs the agent's "
					      "reason");
	status = tx_begin(st);
	if (status != KD_OK)
		return status;
	status = event_month(st, event_id, month, sizeof(month), &voided);
	if (status == KD_OK && voided)
		status = fail(st, KD_ERR_CONFLICT,
			      "event %" PRId64 " is voided; there is nothing "
			      "to appeal",
			      event_id);
	if (status == KD_OK)
		status = query_text(st,
				    "SELECT opened_at FROM appeals WHERE "
				    "event_id = ?1 AND state = 'open'",
				    find, COUNT_OF(find), &since);
	if (status == KD_OK && since)
		status = fail(st, KD_ERR_CONFLICT,
			      "event %" PRId64 " is under appeal already "
			      "(since %s)",
			      event_id, since);
	free(since);
	if (status == KD_OK)
		status = check_month_open(st, month);
	if (status == KD_OK) {
		const struct arg args[] = {arg_int(event_id), arg_text(reason),
					   arg_text(st->now),
					   arg_text(st->actor)};

		status = exec(st,
			      "INSERT INTO appeals (event_id, reason, "
			      "opened_at, opened_by) VALUES (?1, ?2, ?3, ?4)",
			      args, COUNT_OF(args));
	}
	if (status == KD_OK) {
		id = sqlite3_last_insert_rowid(st->db);
		const struct arg args[] = {arg_int(id), arg_text(reason)};

		snprintf(subject, sizeof(subject), "event:%" PRId64, event_id);
		status = audit_add(st, "appeal.open", subject,
				   "json_object('appeal', ?1, 'reason', ?2)",
				   args, COUNT_OF(args));
	}
	status = tx_end(st, status);
	if (status == KD_OK && id_out)
		*id_out = id;
	return status;
}

/* Closes the event's open appeal as `state` ('upheld' or 'voided') with
 * the lead's reason and audits it; *found false when none was open. */
static enum kd_status appeal_close(struct store *st, int64_t event_id,
				   const char *state, const char *reason,
				   bool *found)
{
	const struct arg find[] = {arg_int(event_id)};
	int64_t appeal = 0;
	char subject[32];
	enum kd_status status;

	status = query_int(st,
			   "SELECT id FROM appeals WHERE event_id = ?1 AND "
			   "state = 'open'",
			   find, COUNT_OF(find), found, &appeal);
	if (status != KD_OK || !*found)
		return status;
	{
		const struct arg args[] = {arg_int(appeal), arg_text(state),
					   arg_text(reason), arg_text(st->now),
					   arg_text(st->actor)};

		status = exec(st,
			      "UPDATE appeals SET state = ?2, resolution = ?3, "
			      "resolved_at = ?4, resolved_by = ?5 "
			      "WHERE id = ?1",
			      args, COUNT_OF(args));
	}
	if (status == KD_OK) {
		const struct arg args[] = {arg_int(appeal), arg_text(state),
					   arg_text(reason)};

		snprintf(subject, sizeof(subject), "event:%" PRId64, event_id);
		status = audit_add(st, "appeal.resolve", subject,
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
		return fail(st, KD_ERR_INPUT, "resolving an appeal needs a "
					      "reason");
	if (outcome != STORE_APPEAL_UPHOLD && !void_it)
		return fail(st, KD_ERR_USAGE, "unknown appeal outcome");
	status = tx_begin(st);
	if (status != KD_OK)
		return status;
	status = event_month(st, event_id, month, sizeof(month), &voided);
	if (status == KD_OK)
		status = check_month_open(st, month);
	if (status == KD_OK)
		status = appeal_close(st, event_id,
				      void_it ? "voided" : "upheld", reason,
				      &found);
	if (status == KD_OK && !found)
		status = fail(st, KD_ERR_CONFLICT,
			      "event %" PRId64 " has no open appeal", event_id);
	if (status == KD_OK && void_it && !voided) {
		const struct arg args[] = {arg_int(event_id), arg_text(st->now),
					   arg_text(reason),
					   arg_text(st->actor)};

		status = exec(st,
			      "UPDATE events SET voided_at = ?2, "
			      "void_reason = ?3, voided_by = ?4 "
			      "WHERE id = ?1 AND voided_at IS NULL",
			      args, COUNT_OF(args));
	}
	if (status == KD_OK && void_it && !voided) {
		const struct arg args[] = {arg_text(reason), arg_int(event_id)};

		snprintf(subject, sizeof(subject), "event:%" PRId64, event_id);
		status = audit_add(
			st, "event.void", subject,
			"(SELECT json_object('reason', ?1, 'agent_id', "
			"agent_id, 'date', date, 'category', category, "
			"'quantity', quantity, 'appeal', json('true')) "
			"FROM events WHERE id = ?2)",
			args, COUNT_OF(args));
	}
	return tx_end(st, status);
}

enum kd_status store_appeals_in_month(struct store *st, kd_month month,
				      bool open_only,
				      struct store_appeal_list *out)
{
	char first[16], last[16];
	const struct arg args[] = {arg_text(first), arg_text(last),
				   arg_int(open_only)};
	sqlite3_stmt *stmt = NULL;
	size_t capacity = 0;
	bool row = true;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	if (!month_text(month, first, sizeof(first)))
		return bad_month(st, "the month");
	date_text(month_first_day(month), first, sizeof(first));
	date_text(month_last_day(month), last, sizeof(last));
	/* events_date finds the month's events; appeals_event their
	 * appeals. */
	status = prepare(st,
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

		status = step(st, stmt, &row);
		if (status != KD_OK || !row)
			break;
		if (!grow((void **)&out->appeals, &capacity, out->count,
			  sizeof(*out->appeals))) {
			status = no_memory(st);
			break;
		}
		p = &out->appeals[out->count++];
		memset(p, 0, sizeof(*p));
		p->id = sqlite3_column_int64(stmt, 0);
		p->event_id = sqlite3_column_int64(stmt, 1);
		p->agent_id = sqlite3_column_int64(stmt, 2);
		p->quantity = (int32_t)sqlite3_column_int64(stmt, 6);
		if (!column_dup(stmt, 3, &p->agent_name) ||
		    !column_dup(stmt, 5, &p->category) ||
		    !column_dup(stmt, 7, &p->note) ||
		    !column_dup(stmt, 8, &p->reason) ||
		    !column_dup(stmt, 9, &p->state) ||
		    !column_dup(stmt, 10, &p->resolution) ||
		    !column_dup(stmt, 11, &p->opened_at) ||
		    !column_dup(stmt, 12, &p->opened_by) ||
		    !column_dup(stmt, 13, &p->resolved_at) ||
		    !column_dup(stmt, 14, &p->resolved_by))
			status = no_memory(st);
		else
			status = column_date(st, stmt, 4, &p->date);
	}
	sqlite3_finalize(stmt);
	if (status != KD_OK)
		store_appeal_list_finish(out);
	return status;
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
	const struct arg args[] = {arg_text(text)};
	sqlite3_stmt *stmt = NULL;
	bool row = false;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	out->month = month;
	if (!month_text(month, text, sizeof(text)))
		return bad_month(st, "the month");
	status = prepare(st,
			 "SELECT snapshot, rulebook, closed_at, closed_by "
			 "FROM months WHERE month = ?1 AND state = 'closed'",
			 args, COUNT_OF(args), &stmt);
	if (status == KD_OK)
		status = step(st, stmt, &row);
	if (status == KD_OK && row) {
		out->closed = true;
		if (!column_dup(stmt, 0, &out->snapshot) ||
		    !column_dup(stmt, 1, &out->rulebook) ||
		    !column_dup(stmt, 2, &out->closed_at) ||
		    !column_dup(stmt, 3, &out->closed_by))
			status = no_memory(st);
	}
	sqlite3_finalize(stmt);
	if (status != KD_OK)
		store_month_snapshot_finish(out);
	return status;
}

/* SQL for the ids of the events of ?1..?2 (dates) under open appeal, as a
 * JSON array in id order. */
#define OPEN_APPEAL_IDS_SQL                                                    \
	"SELECT json_group_array(id) FROM (SELECT e.id FROM events AS e "    \
	"CROSS JOIN appeals AS p ON p.event_id = e.id AND p.state = 'open' " \
	"WHERE e.date BETWEEN ?1 AND ?2 ORDER BY e.id)"

enum kd_status store_month_close(struct store *st, kd_month month,
				 const char *snapshot,
				 const char *rulebook_text,
				 const char *rulebook_name,
				 bool allow_open_appeals)
{
	char text[16], first[16], last[16], subject[32];
	char *closed_at = NULL, *open_ids = NULL;
	const struct arg month_arg[] = {arg_text(text)};
	const struct arg range[] = {arg_text(first), arg_text(last)};
	int64_t valid = 0;
	bool found = false;
	enum kd_status status;

	if (!month_text(month, text, sizeof(text)))
		return bad_month(st, "the month");
	if (month > date_month(clock_today()))
		return fail(st, KD_ERR_INPUT, "month %s has not begun", text);
	if (!snapshot || !rulebook_text)
		return fail(st, KD_ERR_USAGE,
			    "closing needs the board and the rulebook");
	date_text(month_first_day(month), first, sizeof(first));
	date_text(month_last_day(month), last, sizeof(last));

	status = tx_begin(st);
	if (status != KD_OK)
		return status;
	status = query_text(st,
			    "SELECT closed_at FROM months WHERE month = ?1 "
			    "AND state = 'closed'",
			    month_arg, COUNT_OF(month_arg), &closed_at);
	if (status == KD_OK && closed_at)
		status = fail(st, KD_ERR_CONFLICT,
			      "month %s is closed already (since %s)", text,
			      closed_at);
	if (status == KD_OK) {
		const struct arg args[] = {arg_text(snapshot)};

		status = query_int(st, "SELECT json_valid(?1)", args,
				   COUNT_OF(args), &found, &valid);
		if (status == KD_OK && !valid)
			status = fail(st, KD_ERR_INPUT,
				      "the board of %s is not valid JSON",
				      text);
	}
	if (status == KD_OK)
		status = query_text(st, OPEN_APPEAL_IDS_SQL, range,
				    COUNT_OF(range), &open_ids);
	if (status == KD_OK && !open_ids)
		status = no_memory(st);
	if (status == KD_OK && strcmp(open_ids, "[]") != 0 &&
	    !allow_open_appeals)
		status = fail(st, KD_ERR_CONFLICT,
			      "month %s has open appeals (events %s); confirm "
			      "to close it anyway",
			      text, open_ids);
	if (status == KD_OK) {
		const struct arg args[] = {
			arg_text(text),	    arg_text(snapshot),
			arg_text(rulebook_text), arg_text(st->now),
			arg_text(st->actor),
		};

		status = exec(st,
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
			arg_text(rulebook_name ? rulebook_name : ""),
			arg_text(snapshot), arg_text(open_ids),
			arg_int(allow_open_appeals && strcmp(open_ids, "[]"))};

		snprintf(subject, sizeof(subject), "month:%s", text);
		status = audit_add(st, "month.close", subject,
				   "json_object('rulebook', ?1, 'agents', "
				   "json_array_length(?2, '$.agents'), "
				   "'open_appeals', json(?3), 'confirmed', "
				   "json(CASE ?4 WHEN 1 THEN 'true' ELSE "
				   "'false' END))",
				   args, COUNT_OF(args));
	}
	free(closed_at);
	free(open_ids);
	return tx_end(st, status);
}

enum kd_status store_month_reopen(struct store *st, kd_month month,
				  const char *reason)
{
	char text[16], subject[32];
	const struct arg args[] = {arg_text(text), arg_text(reason)};
	int64_t closed = 0;
	bool found = false;
	enum kd_status status;

	if (!month_text(month, text, sizeof(text)))
		return bad_month(st, "the month");
	if (!reason || !reason[0])
		return fail(st, KD_ERR_INPUT, "reopening needs a reason");
	status = tx_begin(st);
	if (status != KD_OK)
		return status;
	status = query_int(st,
			   "SELECT state = 'closed' FROM months "
			   "WHERE month = ?1",
			   args, 1, &found, &closed);
	if (status == KD_OK && !closed)
		status = fail(st, KD_ERR_CONFLICT, "month %s is not closed",
			      text);
	/* The audit row keeps what the month held before it is cleared. */
	snprintf(subject, sizeof(subject), "month:%s", text);
	if (status == KD_OK)
		status = audit_add(
			st, "month.reopen", subject,
			"(SELECT json_object('reason', ?2, 'closed_at', "
			"closed_at, 'closed_by', closed_by, 'snapshot', "
			"json(snapshot), 'rulebook', rulebook) FROM months "
			"WHERE month = ?1)",
			args, COUNT_OF(args));
	if (status == KD_OK)
		status = exec(st,
			      "UPDATE months SET state = 'open', snapshot = "
			      "NULL, rulebook = NULL, closed_at = NULL, "
			      "closed_by = NULL WHERE month = ?1",
			      args, 1);
	return tx_end(st, status);
}

/* ---- backup ---- */

/* Whether `path` names the live database or one of its companion files
 * (same device and inode; a path that does not exist names none). */
static bool is_live_file(const struct store *st, const char *path)
{
	static const char *const suffixes[] = {"", "-wal", "-shm",
					       "-journal"};
	struct stat target, live;
	char name[PATH_MAX + 16];

	if (stat(path, &target) != 0)
		return false;
	for (size_t i = 0; i < COUNT_OF(suffixes); i++) {
		snprintf(name, sizeof(name), "%s%s", st->path, suffixes[i]);
		if (stat(name, &live) == 0 && live.st_dev == target.st_dev &&
		    live.st_ino == target.st_ino)
			return true;
	}
	return false;
}

/* Removes a temporary database and whatever SQLite left beside it. */
static void remove_temp_db(const char *tmp)
{
	static const char *const suffixes[] = {"-journal", "-wal", "-shm"};
	char name[PATH_MAX + 16];

	unlink(tmp);
	for (size_t i = 0; i < COUNT_OF(suffixes); i++) {
		snprintf(name, sizeof(name), "%s%s", tmp, suffixes[i]);
		unlink(name);
	}
}

/* fsyncs the directory holding `path`, so a rename survives power loss. */
static void sync_parent_dir(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Copies the live database into the open connection `dest`: one step
 * over every page, inside one read transaction on the source, so the copy
 * is one committed state even while the other desk writes (WAL readers do
 * not block writers). A busy source or destination is retried until the
 * busy timeout is spent. */
static int backup_copy(struct store *st, sqlite3 *dest)
{
	sqlite3_backup *backup =
		sqlite3_backup_init(dest, "main", st->db, "main");
	int waited_ms = 0;
	int rc;

	if (!backup)
		return sqlite3_errcode(dest);
	do {
		rc = sqlite3_backup_step(backup, -1);
		if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
		    waited_ms < BUSY_TIMEOUT_MS) {
			sqlite3_sleep(50);
			waited_ms += 50;
		}
	} while ((rc == SQLITE_OK || rc == SQLITE_BUSY ||
		  rc == SQLITE_LOCKED) &&
		 waited_ms < BUSY_TIMEOUT_MS);
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	if (sqlite3_backup_finish(backup) != SQLITE_OK && rc == SQLITE_OK)
		rc = sqlite3_errcode(dest);
	return rc;
}

/* The copy must be one self-contained file that passes integrity_check. */
static enum kd_status backup_check(struct store *st, sqlite3 *dest,
				   const char *path)
{
	sqlite3_stmt *stmt = NULL;
	const unsigned char *verdict;
	enum kd_status status = KD_OK;
	int rc;

	if (sqlite3_exec(dest, "PRAGMA journal_mode = DELETE", NULL, NULL,
			 NULL) != SQLITE_OK)
		return fail(st, KD_ERR_IO, "cannot finish the copy %s: %s",
			    path, sqlite3_errmsg(dest));
	rc = sqlite3_prepare_v2(dest, "PRAGMA integrity_check", -1, &stmt,
				NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	verdict = rc == SQLITE_ROW ? sqlite3_column_text(stmt, 0) : NULL;
	if (!verdict || strcmp((const char *)verdict, "ok") != 0 ||
	    sqlite3_step(stmt) != SQLITE_DONE)
		status = fail(st, KD_ERR_IO,
			      "the copy %s fails its integrity check (%s)",
			      path,
			      verdict ? (const char *)verdict
				      : sqlite3_errmsg(dest));
	sqlite3_finalize(stmt);
	return status;
}

enum kd_status store_backup(struct store *st, const char *path)
{
	char tmp[PATH_MAX];
	sqlite3 *dest = NULL;
	enum kd_status status = KD_OK;
	int fd, rc;

	if (!path || !path[0])
		return fail(st, KD_ERR_USAGE, "no backup file given");
	if (strcmp(path, st->path) == 0 || is_live_file(st, path))
		return fail(st, KD_ERR_INPUT,
			    "%s is the live database or one of its files; a "
			    "backup must go to another file",
			    path);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >=
	    (int)sizeof(tmp))
		return fail(st, KD_ERR_INPUT, "the backup path is too long");
	fd = mkstemp(tmp);
	if (fd < 0)
		return fail(st, KD_ERR_IO, "cannot write %s: %s", path,
			    strerror(errno));
	if (fchmod(fd, 0600) != 0)
		status = fail(st, KD_ERR_IO, "cannot set the mode of %s: %s",
			      tmp, strerror(errno));
	close(fd);
	if (status != KD_OK)
		goto fail;

	rc = sqlite3_open_v2(tmp, &dest, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(dest, BUSY_TIMEOUT_MS);
		rc = backup_copy(st, dest);
	}
	if (rc != SQLITE_OK) {
		status = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) ==
								 SQLITE_LOCKED
				 ? db_fail(st, rc)
				 : fail(st, KD_ERR_IO,
					"cannot copy %s to %s: %s", st->path,
					tmp,
					dest ? sqlite3_errmsg(dest)
					     : sqlite3_errstr(rc));
		goto fail;
	}
	status = backup_check(st, dest, tmp);
	if (status != KD_OK)
		goto fail;
	if (sqlite3_close(dest) != SQLITE_OK) {
		status = fail(st, KD_ERR_IO, "cannot close %s", tmp);
		dest = NULL;
		goto fail;
	}
	dest = NULL;
	/* SQLite synced the copy when it committed; the rename is synced
	 * through the directory. */
	if (rename(tmp, path) != 0) {
		status = fail(st, KD_ERR_IO, "cannot write %s: %s", path,
			      strerror(errno));
		goto fail;
	}
	sync_parent_dir(path);
	return KD_OK;

fail:
	if (dest)
		sqlite3_close(dest);
	remove_temp_db(tmp);
	return status;
}
