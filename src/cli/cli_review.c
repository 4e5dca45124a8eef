/* review, month close, month reopen and backup: the end of the month
 * (PRODUCT.md "The month review"). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_internal.h"
#include "kpidesk/export.h"
#include "kpidesk/review.h"
#include "kpidesk/tui.h"
#include "kpidesk/xlsx.h"

/* Whether `path` is the database file (or its -wal/-shm companion). */
static bool is_database(const struct cli_ctx *ctx, const char *path)
{
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	struct stat target, db;
	char name[PATH_MAX + 8];

	if (stat(path, &target) != 0)
		return false;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", ctx->db_path, suffixes[i]);
		if (stat(name, &db) == 0 && db.st_dev == target.st_dev &&
		    db.st_ino == target.st_ino)
			return true;
	}
	return false;
}

/* Writes the export to `path` atomically: a temporary file next to it
 * (mode 0600: it holds pay data), flushed to disk, then renamed over it.
 * An existing file is replaced, as a lead re-exporting expects. */
static int write_output(const char *path, enum export_format format,
                        const struct review_month *rm,
                        const struct review_trend *trend)
{
	char tmp[PATH_MAX];
	enum kd_status status;
	FILE *out;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >=
	    (int)sizeof(tmp)) {
		cli_error("--output: the path is too long");
		return 2;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		cli_error("--output: cannot write %s: %s", path,
		          strerror(errno));
		return 1;
	}
	out = fdopen(fd, "w");
	if (!out) {
		cli_error("--output: cannot write %s: %s", path,
		          strerror(errno));
		close(fd);
		unlink(tmp);
		return 1;
	}
	/* libxlsxwriter writes to a path: it rewrites the temporary file
	 * (keeping its 0600 mode), which fd still names for the fsync. */
	if (format == EXPORT_XLSX)
		status = xlsx_write_review(tmp, rm);
	else
		status = export_review(out, format, rm, trend);
	if (status == KD_OK && (fflush(out) != 0 || fsync(fd) != 0))
		status = KD_ERR_IO;
	if (fclose(out) != 0 && status == KD_OK)
		status = KD_ERR_IO;
	if (status == KD_OK && rename(tmp, path) != 0)
		status = KD_ERR_IO;
	if (status != KD_OK) {
		cli_error("--output: cannot write %s: %s", path,
		          status == KD_ERR_IO ? strerror(errno)
		                              : kd_status_message(status));
		unlink(tmp);
		return kd_status_exit_code(status);
	}
	return 0;
}

int cli_cmd_review(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {
	    {"month", true, false, NULL},
	    {"format", true, false, NULL},
	    {"output", true, false, NULL},
	};
	struct review_month rm;
	struct review_trend trend = {0};
	enum export_format format = EXPORT_MD;
	kd_month month = date_month(ctx->today);
	enum kd_status status;
	char err[512] = "", m[16];
	size_t npos;
	int rc;

	if (!cli_parse_args("review", argc, argv, opts, 3, NULL, 0, &npos))
		return 2;
	if (opts[0].seen && !cli_parse_month("--month", opts[0].value, &month))
		return 2;
	if (opts[1].seen && !export_format_parse(opts[1].value, &format)) {
		cli_error("--format: '%s' is not a review format (md, html, "
		          "csv or xlsx)",
		          opts[1].value);
		return 2;
	}
	if (format == EXPORT_XLSX && !opts[2].seen && isatty(STDOUT_FILENO)) {
		cli_error("--format xlsx: a workbook is not for the terminal; "
		          "give --output FILE");
		return 2;
	}
	if (opts[2].seen &&
	    !cli_check_text("--output", opts[2].value, PATH_MAX / 2, false))
		return 2;
	rc = cli_need_store(ctx);
	if (rc)
		return rc;
	if (opts[2].seen && is_database(ctx, opts[2].value)) {
		cli_error("--output: %s is the database; write the review to "
		          "another file",
		          opts[2].value);
		return 2;
	}
	status =
	    review_month_load(ctx->st, ctx->rb, month, &rm, err, sizeof(err));
	if (status != KD_OK) {
		cli_error("%s", err);
		return kd_status_exit_code(status);
	}
	/* The payroll documents speak the user's language (the message
	 * catalogue); the record (md, html) is Chinese. */
	tui_i18n_init();
	if (format == EXPORT_MD || format == EXPORT_HTML) {
		status = review_trend_load(ctx->st, ctx->rb, &rm, &trend, err,
		                           sizeof(err));
		if (status != KD_OK) {
			cli_error("%s", err);
			review_month_finish(&rm);
			return kd_status_exit_code(status);
		}
	}
	month_format(m, sizeof(m), month);
	if (!rm.closed && (format == EXPORT_CSV || format == EXPORT_XLSX))
		cli_error("note: %s is open; its numbers can still change "
		          "(close it with 'kpidesk month close %s')",
		          m, m);
	if (!rm.closed && rm.result->skipped_events > 0)
		cli_error("note: %zu event(s) of categories this rulebook does "
		          "not define were left out",
		          rm.result->skipped_events);
	if (opts[2].seen) {
		rc = write_output(opts[2].value, format, &rm,
		                  trend.months ? &trend : NULL);
	} else {
		status = export_review(stdout, format, &rm,
		                       trend.months ? &trend : NULL);
		rc = status == KD_OK ? 0 : kd_status_exit_code(status);
		if (status != KD_OK)
			cli_error("review: %s", kd_status_message(status));
	}
	review_trend_finish(&trend);
	review_month_finish(&rm);
	return rc;
}

/* Lists the month's open appeals on stderr, for the refusal to close. */
static void list_open_appeals(struct cli_ctx *ctx,
                              const struct store_appeal_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		const struct store_appeal *p = &list->appeals[i];
		const struct rb_category *cat =
		    rulebook_category(ctx->rb, p->category);
		char date[16];

		cli_error("  event %lld  %s  %s  %s: %s (appealed %s)",
		          (long long)p->event_id,
		          date_format(date, sizeof(date), p->date),
		          p->agent_name, cat ? cat->label : p->category,
		          p->reason, p->opened_at);
	}
}

int cli_cmd_month_close(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {{"yes", false, false, NULL}};
	struct store_month_snapshot snap;
	struct store_appeal_list appeals = {0};
	const char *pos[1];
	char err[512] = "", m[16], today[16];
	size_t npos, agents = 0, open_count;
	kd_month month;
	enum kd_status status;
	int rc;

	if (!cli_parse_args("month close", argc, argv, opts, 1, pos, 1, &npos))
		return 2;
	if (npos < 1) {
		cli_error("month close: M is missing (month close YYYY-MM "
		          "[--yes])");
		return 2;
	}
	if (!cli_parse_month("M", pos[0], &month))
		return 2;
	month_format(m, sizeof(m), month);
	if (month > date_month(ctx->today)) {
		cli_error("%s has not begun (today is %s); only a month that "
		          "has begun can be closed",
		          m, date_format(today, sizeof(today), ctx->today));
		return 2;
	}
	rc = cli_need_store(ctx);
	if (rc)
		return rc;
	status = store_month_snapshot_get(ctx->st, month, &snap);
	if (status != KD_OK)
		return cli_store_failure(ctx, status);
	if (snap.closed) {
		cli_error("%s is closed already (%s by %s)", m,
		          snap.closed_at ? snap.closed_at : "?",
		          snap.closed_by ? snap.closed_by : "?");
		store_month_snapshot_finish(&snap);
		return 2;
	}
	store_month_snapshot_finish(&snap);
	status = store_appeals_in_month(ctx->st, month, true, &appeals);
	if (status != KD_OK)
		return cli_store_failure(ctx, status);
	open_count = appeals.count;
	if (open_count && !opts[0].seen) {
		cli_error("%s has %zu open appeal%s:", m, open_count,
		          open_count == 1 ? "" : "s");
		list_open_appeals(ctx, &appeals);
		cli_error("resolve them first ('kpidesk appeal resolve EVENT "
		          "uphold|void --reason TEXT'), or give --yes to close "
		          "%s with them open",
		          m);
		store_appeal_list_finish(&appeals);
		return 2;
	}
	store_appeal_list_finish(&appeals);
	status = review_close(ctx->st, ctx->rb, month, opts[0].seen, &agents,
	                      err, sizeof(err));
	if (status != KD_OK) {
		cli_error("%s", err);
		return kd_status_exit_code(status);
	}
	printf("closed %s: %zu agent%s on the board", m, agents,
	       agents == 1 ? "" : "s");
	if (open_count)
		printf(", %zu open appeal%s confirmed", open_count,
		       open_count == 1 ? "" : "s");
	printf("\n");
	return 0;
}

int cli_cmd_month_reopen(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {{"reason", true, false, NULL}};
	struct store_month info;
	const char *pos[1];
	char m[16];
	size_t npos;
	kd_month month;
	enum kd_status status;
	int rc;

	if (!cli_parse_args("month reopen", argc, argv, opts, 1, pos, 1, &npos))
		return 2;
	if (npos < 1) {
		cli_error("month reopen: M is missing (month reopen YYYY-MM "
		          "--reason TEXT)");
		return 2;
	}
	if (!cli_parse_month("M", pos[0], &month))
		return 2;
	if (!opts[0].seen) {
		cli_error("month reopen: --reason is required: say why the "
		          "closed month changes");
		return 2;
	}
	if (!cli_check_text("--reason", opts[0].value, CLI_NOTE_MAX, false))
		return 2;
	month_format(m, sizeof(m), month);
	rc = cli_need_store(ctx);
	if (rc)
		return rc;
	status = store_month_get(ctx->st, month, &info);
	if (status != KD_OK)
		return cli_store_failure(ctx, status);
	if (!info.closed) {
		cli_error("%s is not closed", m);
		return 2;
	}
	status = store_month_reopen(ctx->st, month, opts[0].value);
	if (status == KD_ERR_CONFLICT) {
		cli_error("%s", store_last_error(ctx->st));
		return 2;
	}
	if (status != KD_OK)
		return cli_store_failure(ctx, status);
	printf("reopened %s: it is scored with the rulebook in force again\n",
	       m);
	return 0;
}

int cli_cmd_backup(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *pos[1];
	size_t npos;
	enum kd_status status;
	int rc;

	if (!cli_parse_args("backup", argc, argv, NULL, 0, pos, 1, &npos))
		return 2;
	if (npos < 1) {
		cli_error("backup: FILE is missing (backup FILE)");
		return 2;
	}
	if (!cli_check_text("FILE", pos[0], PATH_MAX / 2, false))
		return 2;
	rc = cli_need_store(ctx);
	if (rc)
		return rc;
	status = store_backup(ctx->st, pos[0]);
	if (status == KD_ERR_INPUT || status == KD_ERR_USAGE) {
		cli_error("backup: %s", store_last_error(ctx->st));
		return 2;
	}
	if (status != KD_OK)
		return cli_store_failure(ctx, status);
	return 0;
}
