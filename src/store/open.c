/* The SQLite store: Opening, migrating and closing the database; the schema.
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

/* Version 2: sales targets set with `kpidesk kpi target` (a back end's
 * export rarely carries the lead's targets). */
static const char schema_v2[] =
    "CREATE TABLE targets (\n"
    "	agent_id INTEGER NOT NULL REFERENCES agents (id),\n"
    "	month TEXT NOT NULL\n"
    "		CHECK (date(month || '-01') IS (month || '-01')),\n"
    "	target_fen INTEGER NOT NULL CHECK (target_fen > 0),\n"
    "	set_at TEXT NOT NULL,\n"
    "	PRIMARY KEY (agent_id, month)\n"
    ") STRICT;\n";

/* Version 3: a covering index of the non-voided events for the
 * month's GROUP BY agent, category, quantity (the scoring input reads
 * counts, not rows: store_load_score_tallies). Date first, so a month is
 * one range of it whatever the planner knows of the table; voided_at is
 * in it (always NULL) so SQLite sees that it covers the query. */
static const char schema_v3[] =
    "CREATE INDEX events_tally\n"
    "	ON events (date, agent_id, category, quantity, voided_at)\n"
    "	WHERE voided_at IS NULL;\n";

/* migrations[v] takes a database from user_version v to v + 1. */
static const char *const migrations[STORE_SCHEMA_VERSION] = {
    schema_v1,
    schema_v2,
    schema_v3,
};

/* ---- open, migrate, close ---- */

/* Creates the missing directories above the file, 0700 each. */
static enum kd_status make_parents(struct store *st)
{
	char *dir = sq_dup_text(st->path);
	enum kd_status status = KD_OK;

	if (!dir)
		return sq_no_memory(st);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) == 0) {
			/* A umask may have taken the owner's bits away. */
			chmod(dir, 0700);
		} else if (errno != EEXIST) {
			status = sq_fail(st, KD_ERR_IO, "cannot create %s: %s",
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
		return sq_fail(st, KD_ERR_IO, "cannot create %s: %s", st->path,
		               strerror(errno));
	}
	if (fchmod(fd, 0600) != 0) {
		int saved = errno;

		close(fd);
		return sq_fail(st, KD_ERR_IO, "cannot set the mode of %s: %s",
		               st->path, strerror(saved));
	}
	close(fd);
	return KD_OK;
}

static enum kd_status user_version(struct store *st, int64_t *version)
{
	bool found = false;
	enum kd_status status =
	    sq_query_int(st, "PRAGMA user_version", NULL, 0, &found, version);

	if (status == KD_OK && !found)
		*version = 0;
	return status;
}

static enum kd_status refuse_newer(struct store *st, int64_t version)
{
	return sq_fail(st, KD_ERR_DB,
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
	enum kd_status status = sq_tx_begin(st);

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
		int rc =
		    sqlite3_exec(st->db, migrations[version], NULL, NULL, &msg);

		if (rc != SQLITE_OK) {
			status = sq_fail(st, KD_ERR_DB,
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
		const struct arg args[] = {sq_arg_int(from),
		                           sq_arg_int(STORE_SCHEMA_VERSION)};

		/* PRAGMA takes no parameters; the number is ours. */
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
		         STORE_SCHEMA_VERSION);
		snprintf(subject, sizeof(subject), "schema:%d",
		         STORE_SCHEMA_VERSION);
		status = sq_audit_add(st, "store.migrate", subject,
		                      "json_object('from', ?1, 'to', ?2)", args,
		                      COUNT_OF(args));
		if (status == KD_OK)
			status = sq_exec(st, pragma, NULL, 0);
	}
done:
	return sq_tx_end(st, status);
}

/* The per-connection settings; each must be made outside a transaction. */
static enum kd_status configure(struct store *st)
{
	int64_t value = 0;
	bool found = false;
	char *mode = NULL;
	enum kd_status status;

	status = sq_exec(st, "PRAGMA foreign_keys = ON", NULL, 0);
	if (status == KD_OK)
		status = sq_query_int(st, "PRAGMA foreign_keys", NULL, 0,
		                      &found, &value);
	if (status != KD_OK)
		return status;
	if (!found || value != 1)
		return sq_fail(st, KD_ERR_DB,
		               "%s: this SQLite cannot enforce foreign keys",
		               st->path);

	status = sq_query_text(st, "PRAGMA journal_mode = WAL", NULL, 0, &mode);
	if (status != KD_OK)
		return status;
	if (!mode || strcmp(mode, "wal") != 0) {
		status =
		    sq_fail(st, KD_ERR_DB,
		            "%s: cannot use a write-ahead log (journal mode "
		            "stays '%s'); is it on a network file system?",
		            st->path, mode ? mode : "?");
		free(mode);
		return status;
	}
	free(mode);
	/* Under WAL, NORMAL may lose the last commits on power loss. */
	return sq_exec(st, "PRAGMA synchronous = FULL", NULL, 0);
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
	if (!st || !(st->path = sq_dup_text(path))) {
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
	/* A connection is used by one thread (kpidesk has one): without its
	 * mutex, which every column read took and left (a tenth of reading a
	 * month, profiled). */
	rc = sqlite3_open_v2(path, &st->db,
	                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		status = sq_db_fail(st, rc);
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
		status = sq_fail(st, KD_ERR_DB, "database is read-only: %s",
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

/* A Tab press must not wait long behind a busy desk. */
#define READONLY_BUSY_MS 500

/* The schema version in the database file's header (PRAGMA user_version
 * is the big-endian 32-bit number at offset 60), when the header is the
 * whole truth: a SQLite file with no write-ahead log beside it, or an
 * empty one. False when SQLite must be asked. */
static bool header_version(struct store *st, int64_t *version)
{
	static const char magic[16] = "SQLite format 3";
	unsigned char header[100];
	char wal[PATH_MAX];
	struct stat sb;
	size_t got;
	FILE *f;

	if (snprintf(wal, sizeof(wal), "%s-wal", st->path) >= (int)sizeof(wal))
		return false;
	if (stat(wal, &sb) == 0 && sb.st_size > 0)
		return false;
	f = fopen(st->path, "rb");
	if (!f)
		return false;
	got = fread(header, 1, sizeof(header), f);
	fclose(f);
	if (got != sizeof(header) || memcmp(header, magic, sizeof(magic)) != 0)
		return false;
	*version = (int64_t)(((uint32_t)header[60] << 24) |
	                     ((uint32_t)header[61] << 16) |
	                     ((uint32_t)header[62] << 8) | header[63]);
	return true;
}

static enum kd_status refuse_version(struct store *st, int64_t version)
{
	if (version > STORE_SCHEMA_VERSION)
		return refuse_newer(st, version);
	return sq_fail(st, KD_ERR_DB,
	               "%s: schema %" PRId64 " is older than this kpidesk's %d "
	               "and is upgraded by a command that writes; not opened "
	               "read-only",
	               st->path, version, STORE_SCHEMA_VERSION);
}

enum kd_status store_open_readonly(const char *path, struct store **out,
                                   char *err, size_t err_size)
{
	struct store *st;
	enum kd_status status;
	int64_t version = 0;
	struct stat sb;
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
	if (!st || !(st->path = sq_dup_text(path))) {
		free(st);
		if (err && err_size)
			snprintf(err, err_size, "out of memory");
		return KD_ERR_NOMEM;
	}
	snprintf(st->actor, sizeof(st->actor), "%s", DEFAULT_ACTOR);

	/* An empty file is what store_open would make a database of. */
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size == 0) {
		status = sq_fail(st, KD_ERR_DB, "no database at %s", path);
		goto fail;
	}
	/* Even a read-only SQLite connection creates the -shm and -wal files
	 * of a WAL database. With no write-ahead log holding commits, the
	 * file's header has the schema version: one that is not ours is
	 * refused before SQLite opens anything. */
	if (header_version(st, &version) && version != STORE_SCHEMA_VERSION) {
		status = refuse_version(st, version);
		goto fail;
	}
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		status = sq_db_fail(st, rc);
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, READONLY_BUSY_MS);
	/* Belt and braces: no statement on this connection may write. */
	status = sq_exec(st, "PRAGMA query_only = 1", NULL, 0);
	if (status == KD_OK)
		status = user_version(st, &version);
	if (status != KD_OK)
		goto fail;
	if (version != STORE_SCHEMA_VERSION) {
		status = refuse_version(st, version);
		goto fail;
	}
	st->err[0] = '\0';
	*out = st;
	return KD_OK;

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
	sq_tally_cache_free(st);
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
	enum kd_status status =
	    sq_query_int(st, "PRAGMA data_version", NULL, 0, &found, version);

	if (status == KD_OK && !found)
		return sq_fail(st, KD_ERR_DB,
		               "PRAGMA data_version gave no value");
	return status;
}
