/* The SQLite store: Backups taken while the database is in use.
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

/* ---- backup ---- */

/* Whether `path` names the live database or one of its companion files
 * (same device and inode; a path that does not exist names none). */
static bool is_live_file(const struct store *st, const char *path)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
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
	} while (
	    (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
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
		return sq_fail(st, KD_ERR_IO, "cannot finish the copy %s: %s",
		               path, sqlite3_errmsg(dest));
	rc =
	    sqlite3_prepare_v2(dest, "PRAGMA integrity_check", -1, &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	verdict = rc == SQLITE_ROW ? sqlite3_column_text(stmt, 0) : NULL;
	if (!verdict || strcmp((const char *)verdict, "ok") != 0 ||
	    sqlite3_step(stmt) != SQLITE_DONE)
		status = sq_fail(
		    st, KD_ERR_IO, "the copy %s fails its integrity check (%s)",
		    path,
		    verdict ? (const char *)verdict : sqlite3_errmsg(dest));
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
		return sq_fail(st, KD_ERR_USAGE, "no backup file given");
	if (strcmp(path, st->path) == 0 || is_live_file(st, path))
		return sq_fail(st, KD_ERR_INPUT,
		               "%s is the live database or one of its files; a "
		               "backup must go to another file",
		               path);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >=
	    (int)sizeof(tmp))
		return sq_fail(st, KD_ERR_INPUT, "the backup path is too long");
	fd = mkstemp(tmp);
	if (fd < 0)
		return sq_fail(st, KD_ERR_IO, "cannot write %s: %s", path,
		               strerror(errno));
	if (fchmod(fd, 0600) != 0)
		status = sq_fail(st, KD_ERR_IO, "cannot set the mode of %s: %s",
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
		status =
		    (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED
		        ? sq_db_fail(st, rc)
		        : sq_fail(st, KD_ERR_IO, "cannot copy %s to %s: %s",
		                  st->path, tmp,
		                  dest ? sqlite3_errmsg(dest)
		                       : sqlite3_errstr(rc));
		goto fail;
	}
	status = backup_check(st, dest, tmp);
	if (status != KD_OK)
		goto fail;
	if (sqlite3_close(dest) != SQLITE_OK) {
		status = sq_fail(st, KD_ERR_IO, "cannot close %s", tmp);
		dest = NULL;
		goto fail;
	}
	dest = NULL;
	/* SQLite synced the copy when it committed; the rename is synced
	 * through the directory. */
	if (rename(tmp, path) != 0) {
		status = sq_fail(st, KD_ERR_IO, "cannot write %s: %s", path,
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
