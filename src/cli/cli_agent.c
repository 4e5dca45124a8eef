/* agent add | list | edit. The rules on names, tiers and dates are the
 * app's (app_agent_add, app_agent_edit); this file reads the command line. */
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"

int cli_cmd_agent_add(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {
	    {"handle", true, false, NULL},
	    {"tier", true, false, NULL},
	    {"hired", true, false, NULL},
	    {"role", true, false, NULL},
	};
	const char *pos[1];
	size_t npos;
	struct app_refusal why;
	if (!cli_parse_args("agent add", argc, argv, opts, 4, pos, 1, &npos))
		return 2;
	if (npos < 1) {
		cli_error("agent add: NAME is missing");
		return 2;
	}
	struct app_agent_new agent = {
	    .name = pos[0],
	    .handle = opts[0].seen ? opts[0].value : NULL,
	    .tier = opts[1].seen ? opts[1].value : NULL,
	    .role = opts[3].seen ? opts[3].value : NULL,
	    .hired = ctx->today,
	};
	if (opts[2].seen &&
	    !cli_parse_date("--hired", opts[2].value, &agent.hired))
		return 2;
	int rc = cli_need_store(ctx);
	if (rc)
		return rc;
	int64_t id;
	if (!app_agent_add(&ctx->app, &agent, &id, &why))
		return cli_refused(&why);
	printf("%lld\n", (long long)id);
	return 0;
}

int cli_cmd_agent_list(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {
	    {"all", false, false, NULL},
	    {"format", true, false, NULL},
	};
	size_t npos;
	struct app_refusal why;
	if (!cli_parse_args("agent list", argc, argv, opts, 2, NULL, 0, &npos))
		return 2;
	enum report_format format = REPORT_TABLE;
	if (opts[1].seen && !cli_parse_format(opts[1].value, &format))
		return 2;
	int rc = cli_need_store(ctx);
	if (rc)
		return rc;
	struct store_agent_list list = {0};
	if (!app_agents(&ctx->app, opts[0].seen, &list, &why))
		return cli_refused(&why);
	enum kd_status status =
	    report_agents(stdout, format, ctx->app.rb, &list, ctx->today);
	app_agents_finish(&list);
	return status == KD_OK ? 0 : kd_status_exit_code(status);
}

int cli_cmd_agent_edit(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {
	    {"name", true, false, NULL},  {"handle", true, false, NULL},
	    {"tier", true, false, NULL},  {"since", true, false, NULL},
	    {"hired", true, false, NULL}, {"left", true, false, NULL},
	};
	const char *pos[1];
	size_t npos;
	struct app_refusal why;
	if (!cli_parse_args("agent edit", argc, argv, opts, 6, pos, 1, &npos))
		return 2;
	if (npos < 1) {
		cli_error("agent edit: AGENT is missing");
		return 2;
	}
	struct store_agent_edit edit = {0};
	bool any = false;
	if (opts[0].seen) {
		edit.name = opts[0].value;
		any = true;
	}
	if (opts[1].seen) {
		edit.set_handle = true;
		edit.handle = opts[1].value;
		any = true;
	}
	if (opts[3].seen && !opts[2].seen) {
		cli_error("agent edit: --since goes with --tier");
		return 2;
	}
	if (opts[2].seen) {
		edit.tier_key = opts[2].value;
		edit.tier_since = date_month(ctx->today);
		if (opts[3].seen && !cli_parse_month("--since", opts[3].value,
		                                     &edit.tier_since))
			return 2;
		any = true;
	}
	if (opts[4].seen) {
		if (!cli_parse_date("--hired", opts[4].value, &edit.hired))
			return 2;
		edit.set_hired = true;
		any = true;
	}
	if (opts[5].seen) {
		edit.set_left = true;
		if (strcmp(opts[5].value, "none") == 0 || !opts[5].value[0])
			edit.left = KD_DATE_NONE;
		else if (!cli_parse_date("--left", opts[5].value, &edit.left))
			return 2;
		any = true;
	}
	if (!any) {
		cli_error("agent edit: nothing to change (give --name, "
		          "--handle, --tier, --hired or --left)");
		return 2;
	}
	int rc = cli_need_store(ctx);
	if (rc)
		return rc;
	struct store_agent agent;
	if ((rc = cli_find_agent(ctx, pos[0], &agent)) != 0)
		return rc;
	int64_t id = agent.id;
	app_agent_finish(&agent);
	return app_agent_edit(&ctx->app, id, &edit, &why) ? 0
	                                                  : cli_refused(&why);
}
