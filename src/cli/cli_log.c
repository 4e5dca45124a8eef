/* log and void: the two writes of the shift. The rules are the app's
 * (app_log, app_void); this file reads the command line. */
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "kpidesk/fixed.h"

int cli_cmd_log(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {
	    {"date", true, false, NULL},
	    {"note", true, false, NULL},
	};
	const char *pos[3];
	size_t npos;
	struct app_refusal why;
	if (!cli_parse_args("log", argc, argv, opts, 2, pos, 3, &npos))
		return 2;
	if (npos < 2) {
		cli_error("log: %s is missing (log AGENT CATEGORY [QTY])",
		          npos == 0 ? "AGENT" : "CATEGORY");
		return 2;
	}
	if (!cli_check_text("CATEGORY", pos[1], CLI_NAME_MAX, false))
		return 2;
	int32_t quantity = 1;
	if (npos == 3 && !app_quantity_parse(pos[2], &quantity, &why))
		return cli_refused(&why);
	kd_date date = ctx->today;
	if (opts[0].seen && !cli_parse_date("--date", opts[0].value, &date))
		return 2;
	int rc = cli_need_store(ctx);
	if (rc)
		return rc;
	struct store_agent agent;
	if ((rc = cli_find_agent(ctx, pos[0], &agent)) != 0)
		return rc;
	struct app_log entry = {
	    .agent_id = agent.id,
	    .category = pos[1],
	    .quantity = quantity,
	    .quantity_left_out = npos < 3,
	    .date = date,
	    .note = opts[1].seen ? opts[1].value : NULL,
	};
	app_agent_finish(&agent);
	int64_t id;
	if (!app_log(&ctx->app, &entry, &id, &why))
		return cli_refused(&why);
	printf("%lld\n", (long long)id);
	return 0;
}

int cli_cmd_void(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {{"reason", true, false, NULL}};
	const char *pos[1];
	size_t npos;
	struct app_refusal why;
	if (!cli_parse_args("void", argc, argv, opts, 1, pos, 1, &npos))
		return 2;
	if (npos < 1) {
		cli_error("void: EVENT is missing (void EVENT --reason TEXT)");
		return 2;
	}
	int64_t event_id;
	if (!fixed_parse_int(pos[0], 1, INT64_MAX / 2, &event_id)) {
		cli_error("EVENT: '%s' is not an event id (a whole number; "
		          "'kpidesk events' shows them)",
		          pos[0]);
		return 2;
	}
	if (!opts[0].seen) {
		cli_error("void: --reason is required: say why the entry is "
		          "voided");
		return 2;
	}
	int rc = cli_need_store(ctx);
	if (rc)
		return rc;
	return app_void(&ctx->app, event_id, opts[0].value, &why)
	           ? 0
	           : cli_refused(&why);
}
