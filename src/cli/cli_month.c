/* month set: the month's inputs that are not events. */
#include "cli_internal.h"
#include "kpidesk/fixed.h"

int cli_cmd_month_set(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {{"silent-sales", true, false, NULL}};
	const char *pos[1];
	size_t npos;
	struct app_refusal why;
	if (!cli_parse_args("month set", argc, argv, opts, 1, pos, 1, &npos))
		return 2;
	if (npos < 1) {
		cli_error("month set: M is missing (month set YYYY-MM "
		          "--silent-sales AMOUNT)");
		return 2;
	}
	kd_month month;
	if (!cli_parse_month("M", pos[0], &month))
		return 2;
	if (!opts[0].seen) {
		cli_error("month set: nothing to set (give --silent-sales "
		          "AMOUNT)");
		return 2;
	}
	int64_t fen;
	if (!cli_check_text("--silent-sales", opts[0].value, 64, false))
		return 2;
	if (!fixed_parse(opts[0].value, 2, &fen) || fen < 0) {
		cli_error("--silent-sales: '%s' is not an amount in yuan (a "
		          "number >= 0, at most 2 decimals, no separators)",
		          opts[0].value);
		return 2;
	}
	int rc = cli_need_store(ctx);
	if (rc)
		return rc;
	return app_month_set_sales(&ctx->app, month, fen, &why)
	           ? 0
	           : cli_refused(&why);
}
