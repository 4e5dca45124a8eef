/* Writing files, one routine for every export and backup: the target is
 * checked before anything is opened, the bytes go to a temporary file in
 * the target's directory (mode 0600), are synced and renamed into place. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app_internal.h"
#include "kpidesk/xlsx.h"

static bool io_failed(const char *path, int err, struct app_refusal *why)
{
	app_refuse(why, APP_FILE_IO)->status = KD_ERR_IO;
	app_copy(why->path, sizeof(why->path), path);
	app_copy(why->detail, sizeof(why->detail), strerror(err));
	return false;
}

/* What a file that is not a regular file is, in words (a msgid). */
static const char *kind_of(mode_t mode)
{
	if (S_ISDIR(mode))
		return N_("a directory");
	if (S_ISFIFO(mode))
		return N_("a FIFO (named pipe)");
	if (S_ISCHR(mode))
		return N_("a character device");
	if (S_ISBLK(mode))
		return N_("a block device");
	if (S_ISSOCK(mode))
		return N_("a socket");
	return N_("a special file");
}

/* Follows symlinks from `path` without opening anything: *final gets the
 * path of the file that would be replaced (the last link's target, which
 * may not exist yet). */
static bool follow_links(const char *path, char *final, size_t size,
                         struct app_refusal *why)
{
	char cur[PATH_MAX];
	if (snprintf(cur, sizeof(cur), "%s", path) >= (int)sizeof(cur))
		return io_failed(path, ENAMETOOLONG, why);
	for (int hops = 0;; hops++) {
		struct stat sb;
		if (lstat(cur, &sb) != 0 || !S_ISLNK(sb.st_mode))
			break;
		if (hops >= 40)
			return io_failed(path, ELOOP, why);
		char link[PATH_MAX];
		ssize_t n = readlink(cur, link, sizeof(link) - 1);
		if (n < 0)
			return io_failed(path, errno, why);
		link[n] = '\0';
		char next[PATH_MAX];
		if (link[0] == '/') {
			snprintf(next, sizeof(next), "%s", link);
		} else {
			char dir_copy[PATH_MAX];
			snprintf(dir_copy, sizeof(dir_copy), "%s", cur);
			if (snprintf(next, sizeof(next), "%s/%s",
			             dirname(dir_copy),
			             link) >= (int)sizeof(next))
				return io_failed(path, ENAMETOOLONG, why);
		}
		snprintf(cur, sizeof(cur), "%s", next);
	}
	snprintf(final, size, "%s", cur);
	return true;
}

/* The canonical path of a file that may not exist: its directory through
 * realpath(), then its name. */
static bool canonical(const char *path, char *out, size_t size)
{
	char dir_copy[PATH_MAX], base_copy[PATH_MAX], dir[PATH_MAX];
	snprintf(dir_copy, sizeof(dir_copy), "%s", path);
	snprintf(base_copy, sizeof(base_copy), "%s", path);
	if (!realpath(dirname(dir_copy), dir))
		return false;
	const char *base = basename(base_copy);
	return snprintf(out, size, "%s/%s", strcmp(dir, "/") ? dir : "", base) <
	       (int)size;
}

/* Whether `final` (canonical, maybe absent) is the live database or its
 * -wal / -shm file: the same inode, or the same canonical name. */
static bool is_database(const struct app *app, const char *final)
{
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	struct stat target, db;
	bool exists = stat(final, &target) == 0;
	char name[PATH_MAX + 8], canon[PATH_MAX + 8];
	if (!app->db_path)
		return false;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", app->db_path, suffixes[i]);
		if (exists && stat(name, &db) == 0 &&
		    db.st_dev == target.st_dev && db.st_ino == target.st_ino)
			return true;
		if (canonical(name, canon, sizeof(canon)) &&
		    strcmp(canon, final) == 0)
			return true;
	}
	return false;
}

/* Checks the target and gives the canonical path to replace. */
static bool target_ok(struct app *app, const char *path, char *final,
                      size_t size, struct app_refusal *why)
{
	char linked[PATH_MAX];
	struct stat sb;
	if (!app_check_text(N_("path"), path, PATH_MAX / 2, false, why))
		return false;
	if (!follow_links(path, linked, sizeof(linked), why))
		return false;
	if (!canonical(linked, final, size))
		return io_failed(path, errno, why);
	if (is_database(app, final)) {
		app_refuse(why, APP_FILE_DATABASE);
		app_copy(why->path, sizeof(why->path), path);
		return false;
	}
	if (lstat(final, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		app_refuse(why, APP_FILE_NOT_REGULAR)->kind =
		    kind_of(sb.st_mode);
		app_copy(why->path, sizeof(why->path), path);
		return false;
	}
	return true;
}

bool app_write_target_ok(struct app *app, const char *path,
                         struct app_refusal *why)
{
	char final[PATH_MAX];
	return target_ok(app, path, final, sizeof(final), why);
}

/* fsyncs the directory holding `path`, so the rename survives a crash. */
static void sync_dir(const char *path)
{
	char dir_copy[PATH_MAX];
	snprintf(dir_copy, sizeof(dir_copy), "%s", path);
	int fd = open(dirname(dir_copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

bool app_write_file(struct app *app, const char *path, app_write_fn write,
                    void *ctx, struct app_refusal *why)
{
	char final[PATH_MAX], tmp[PATH_MAX + 32];
	memset(why, 0, sizeof(*why));
	if (!target_ok(app, path, final, sizeof(final), why))
		return false;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", final) >=
	    (int)sizeof(tmp))
		return io_failed(path, ENAMETOOLONG, why);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return io_failed(path, errno, why);
	FILE *out = NULL;
	int err = 0;
	enum kd_status status = KD_OK;
	if (fchmod(fd, 0600) != 0 || !(out = fdopen(fd, "w"))) {
		err = errno;
		close(fd);
		goto fail;
	}
	status = write(out, tmp, ctx);
	if (status == KD_OK && (fflush(out) != 0 || fsync(fd) != 0))
		err = errno ? errno : EIO;
	if (fclose(out) != 0 && !err && status == KD_OK)
		err = errno ? errno : EIO;
	if (err || status != KD_OK)
		goto fail;
	if (rename(tmp, final) != 0) {
		err = errno;
		goto fail;
	}
	sync_dir(final);
	return true;
fail:
	unlink(tmp);
	if (!err && status == KD_ERR_IO)
		err = errno ? errno : EIO;
	if (err)
		return io_failed(path, err, why);
	app_refuse(why, APP_FAILED)->status = status;
	app_copy(why->detail, sizeof(why->detail), kd_status_message(status));
	return false;
}

struct review_job {
	enum export_format format;
	const struct review_month *rm;
	const struct review_trend *trend;
};

static enum kd_status write_review(FILE *out, const char *tmp_path, void *ctx)
{
	const struct review_job *job = ctx;
	/* libxlsxwriter writes to a path: it truncates and rewrites the
	 * temporary file (keeping its 0600 mode), which `out` still names
	 * for the fsync. */
	enum kd_status status =
	    job->format == EXPORT_XLSX
	        ? xlsx_write_review(tmp_path, job->rm)
	        : export_review(out, job->format, job->rm, job->trend);
	if (status == KD_OK && ferror(out))
		status = KD_ERR_IO;
	return status;
}

bool app_export_review(struct app *app, const char *path,
                       enum export_format format, const struct review_month *rm,
                       const struct review_trend *trend,
                       struct app_refusal *why)
{
	struct review_job job = {format, rm, trend};
	return app_write_file(app, path, write_review, &job, why);
}

bool app_backup(struct app *app, const char *path, struct app_refusal *why)
{
	char final[PATH_MAX];
	memset(why, 0, sizeof(*why));
	if (!target_ok(app, path, final, sizeof(final), why))
		return false;
	enum kd_status status = store_backup(app->st, final);
	if (status == KD_OK)
		return true;
	if (status == KD_ERR_INPUT) {
		app_refuse(why, APP_FILE_DATABASE);
		app_copy(why->path, sizeof(why->path), path);
		return false;
	}
	return app_store_failed(app, status, why);
}
