/* score: the month's board; plain `kpidesk` opens the shift desk. */
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "kpidesk/review.h"
#include "kpidesk/tui.h"

/* A closed month's board is its snapshot, shown with the rulebook it was
 * closed under (kpidesk/review.h); an open month is scored now. */
static int print_board(struct cli_ctx *ctx, kd_month month,
		       enum report_format format)
{
	struct review_month rm;
	char err[512] = "";
	enum kd_status status =
		review_board_load(ctx->st, ctx->rb, month, &rm, err,
				  sizeof(err));
	if (status != KD_OK) {
		cli_error("%s", err);
		return kd_status_exit_code(status);
	}
	status = report_score(stdout, format, rm.rb, rm.result, rm.closed);
	if (!rm.closed && rm.result->skipped_events > 0)
		cli_error("note: %zu event(s) of categories this rulebook does "
			  "not define were left out",
			  rm.result->skipped_events);
	review_month_finish(&rm);
	return status == KD_OK ? 0 : kd_status_exit_code(status);
}

int cli_cmd_score(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {
		{"month", true, false, NULL},
		{"format", true, false, NULL},
	};
	size_t npos;
	if (!cli_parse_args("score", argc, argv, opts, 2, NULL, 0, &npos))
		return 2;
	kd_month month = date_month(ctx->today);
	if (opts[0].seen && !cli_parse_month("--month", opts[0].value, &month))
		return 2;
	enum report_format format = REPORT_TABLE;
	if (opts[1].seen && !cli_parse_format(opts[1].value, &format))
		return 2;
	int rc = cli_need_store(ctx);
	if (rc)
		return rc;
	return print_board(ctx, month, format);
}

int cli_cmd_default(struct cli_ctx *ctx)
{
	/* The shift desk opens the database and loads the rulebook itself
	 * (it reloads the rulebook on request); the rulebook was validated
	 * already, so a bad one never clears the screen. The first-start
	 * welcome of an empty database is inside the desk. */
	if (!ctx->db_path) {
		cli_error("no database: give --db PATH or set KPIDESK_DB "
			  "(neither XDG_DATA_HOME nor HOME is set)");
		return 2;
	}
	struct tui_options options = {
		.db_path = ctx->db_path,
		.config_path = ctx->config_path,
		.no_mouse = ctx->no_mouse,
		.ambiwidth = ctx->ambiwidth,
	};
	return tui_run(&options);
}
