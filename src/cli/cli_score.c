/* score: the month's board. */
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "kpidesk/review.h"

/* A closed month's board is its snapshot, shown with the rulebook it was
 * closed under (kpidesk/review.h); an open month is scored now. */
static int print_board(struct cli_ctx *ctx, kd_month month,
                       enum report_format format)
{
	struct review_month rm;
	struct app_refusal why;
	if (!app_board_load(&ctx->app, month, false, &rm, &why))
		return cli_refused(&why);
	enum kd_status status =
	    report_score(stdout, format, rm.rb, rm.result, rm.closed);
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
