/* demo: a believable team in an empty database. */
#include "cli_internal.h"
#include "kpidesk/demo.h"
#include "kpidesk/fixed.h"

int cli_cmd_demo(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {
	    {"agents", true, false, NULL},
	    {"months", true, false, NULL},
	    {"seed", true, false, NULL},
	};
	size_t npos;
	if (!cli_parse_args("demo", argc, argv, opts, 3, NULL, 0, &npos))
		return 2;
	struct demo_options opt = {.agents = 10, .months = 3, .seed = 1};
	int64_t v;
	if (opts[0].seen) {
		if (!fixed_parse_int(opts[0].value, 3, 50, &v)) {
			cli_error("--agents: '%s' is not a whole number from 3 "
			          "to 50",
			          opts[0].value);
			return 2;
		}
		opt.agents = (int)v;
	}
	if (opts[1].seen) {
		if (!fixed_parse_int(opts[1].value, 1, 24, &v)) {
			cli_error("--months: '%s' is not a whole number from 1 "
			          "to 24",
			          opts[1].value);
			return 2;
		}
		opt.months = (int)v;
	}
	if (opts[2].seen) {
		if (!fixed_parse_int(opts[2].value, 0, INT64_MAX / 2, &v)) {
			cli_error("--seed: '%s' is not a whole number >= 0",
			          opts[2].value);
			return 2;
		}
		opt.seed = (uint64_t)v;
	}
	int rc = cli_need_store(ctx);
	if (rc)
		return rc;
	char summary[256] = "";
	struct app_refusal why;
	if (!app_demo(&ctx->app, &opt, summary, sizeof(summary), &why)) {
		char text[1024];
		cli_error("demo: %s",
		          app_refusal_text(&why, text, sizeof(text)));
		return app_refusal_exit(&why);
	}
	printf("%s\n", summary);
	return 0;
}
