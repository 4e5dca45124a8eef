/* appeal and appeal resolve (PRODUCT.md "Appeals"): an agent contests an
 * event; it stays counted, marked, until the lead upholds or voids it. */
#include <string.h>

#include "cli_internal.h"
#include "kpidesk/fixed.h"

/* EVENT as an id; prints why not. */
static bool parse_event_id(const char *text, int64_t *id)
{
	if (fixed_parse_int(text, 1, INT64_MAX / 2, id))
		return true;
	cli_error("EVENT: '%s' is not an event id (a whole number; "
	          "'kpidesk events' shows them)",
	          text);
	return false;
}

static bool need_reason(const char *command, const struct cli_opt *opt,
                        const char *why)
{
	if (!opt->seen) {
		cli_error("%s: --reason is required: %s", command, why);
		return false;
	}
	return true;
}

int cli_cmd_appeal(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {{"reason", true, false, NULL}};
	const char *pos[1];
	size_t npos;
	struct app_refusal why;
	int64_t event_id;
	int rc;

	if (!cli_parse_args("appeal", argc, argv, opts, 1, pos, 1, &npos))
		return 2;
	if (npos < 1) {
		cli_error("appeal: EVENT is missing (appeal EVENT --reason "
		          "TEXT)");
		return 2;
	}
	if (!parse_event_id(pos[0], &event_id) ||
	    !need_reason("appeal", &opts[0], "the agent's reason"))
		return 2;
	rc = cli_need_store(ctx);
	if (rc)
		return rc;
	return app_appeal(&ctx->app, event_id, opts[0].value, &why)
	           ? 0
	           : cli_refused(&why);
}

int cli_cmd_appeal_resolve(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {{"reason", true, false, NULL}};
	const char *pos[2];
	size_t npos;
	struct app_refusal why;
	enum store_appeal_outcome outcome;
	int64_t event_id;
	int rc;

	if (!cli_parse_args("appeal resolve", argc, argv, opts, 1, pos, 2,
	                    &npos))
		return 2;
	if (npos < 2) {
		cli_error("appeal resolve: %s is missing (appeal resolve EVENT "
		          "uphold|void --reason TEXT)",
		          npos == 0 ? "EVENT" : "the outcome");
		return 2;
	}
	if (!parse_event_id(pos[0], &event_id))
		return 2;
	if (strcmp(pos[1], "uphold") == 0) {
		outcome = STORE_APPEAL_UPHOLD;
	} else if (strcmp(pos[1], "void") == 0) {
		outcome = STORE_APPEAL_VOID;
	} else {
		cli_error("appeal resolve: '%s' is neither uphold (the event "
		          "stands) nor void (the event is voided)",
		          pos[1]);
		return 2;
	}
	if (!need_reason("appeal resolve", &opts[0], "say why"))
		return 2;
	rc = cli_need_store(ctx);
	if (rc)
		return rc;
	return app_settle(&ctx->app, event_id, outcome, opts[0].value, &why)
	           ? 0
	           : cli_refused(&why);
}
