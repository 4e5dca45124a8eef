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
	struct app_refusal why;
	char m[16];
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
	rc = cli_need_store(ctx);
	if (rc)
		return rc;
	/* Where the output goes is checked before the board is scored. */
	if (opts[2].seen &&
	    !app_write_target_ok(&ctx->app, opts[2].value, &why))
		return cli_refused(&why);
	if (!app_board_load(&ctx->app, month, true, &rm, &why))
		return cli_refused(&why);
	if ((format == EXPORT_MD || format == EXPORT_HTML) &&
	    !app_trend_load(&ctx->app, &rm, &trend, &why)) {
		review_month_finish(&rm);
		return cli_refused(&why);
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
		rc = app_export_review(&ctx->app, opts[2].value, format, &rm,
		                       trend.months ? &trend : NULL, &why)
		         ? 0
		         : cli_refused(&why);
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
		    rulebook_category(ctx->app.rb, p->category);
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
	struct store_appeal_list appeals = {0};
	struct app_refusal why;
	const char *pos[1];
	char m[16];
	size_t npos, agents = 0, open_count = 0;
	kd_month month;
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
	rc = cli_need_store(ctx);
	if (rc)
		return rc;
	if (opts[0].seen) {
		if (!app_appeals(&ctx->app, month, true, &appeals, &why))
			return cli_refused(&why);
		open_count = appeals.count;
		app_appeals_finish(&appeals);
	}
	if (!app_month_close(&ctx->app, month, opts[0].seen, &agents, &why)) {
		rc = cli_refused(&why);
		if (why.code == APP_MONTH_OPEN_APPEALS &&
		    app_appeals(&ctx->app, month, true, &appeals, &why)) {
			list_open_appeals(ctx, &appeals);
			app_appeals_finish(&appeals);
			cli_error("resolve them first ('kpidesk appeal resolve "
			          "EVENT uphold|void --reason TEXT'), or give "
			          "--yes to close %s with them open",
			          m);
		}
		return rc;
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
	struct app_refusal why;
	const char *pos[1];
	char m[16];
	size_t npos;
	kd_month month;
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
	month_format(m, sizeof(m), month);
	rc = cli_need_store(ctx);
	if (rc)
		return rc;
	if (!app_month_reopen(&ctx->app, month, opts[0].value, &why))
		return cli_refused(&why);
	printf("reopened %s: it is scored with the rulebook in force again\n",
	       m);
	return 0;
}

int cli_cmd_backup(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *pos[1];
	size_t npos;
	struct app_refusal why;
	int rc;

	if (!cli_parse_args("backup", argc, argv, NULL, 0, pos, 1, &npos))
		return 2;
	if (npos < 1) {
		cli_error("backup: FILE is missing (backup FILE)");
		return 2;
	}
	rc = cli_need_store(ctx);
	if (rc)
		return rc;
	return app_backup(&ctx->app, pos[0], &why) ? 0 : cli_refused(&why);
}
