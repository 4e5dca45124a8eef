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

/* Reads the event and refuses one of a closed month; 0 or the exit
 * status. The event must be finished by the caller when 0 is returned. */
static int event_in_open_month(struct cli_ctx *ctx, int64_t event_id,
                               const char *doing, struct store_event *event)
{
	struct store_month info;
	enum kd_status status = store_event_get(ctx->st, event_id, event);
	char m[16];

	if (status == KD_ERR_NOT_FOUND) {
		cli_error("EVENT: no event %lld", (long long)event_id);
		return 2;
	}
	if (status != KD_OK)
		return cli_store_failure(ctx, status);
	status = store_month_get(ctx->st, date_month(event->date), &info);
	if (status != KD_OK) {
		store_event_finish(event);
		return cli_store_failure(ctx, status);
	}
	if (info.closed) {
		cli_error("%s is closed; reopen it before %s its events",
		          month_format(m, sizeof(m), date_month(event->date)),
		          doing);
		store_event_finish(event);
		return 2;
	}
	return 0;
}

/* The store's refusals are the user's mistakes (exit 2), in its words. */
static int store_refusal(struct cli_ctx *ctx, enum kd_status status)
{
	if (status == KD_ERR_CONFLICT || status == KD_ERR_NOT_FOUND ||
	    status == KD_ERR_INPUT) {
		cli_error("%s", store_last_error(ctx->st));
		return 2;
	}
	return cli_store_failure(ctx, status);
}

static bool need_reason(const char *command, const struct cli_opt *opt,
                        const char *why)
{
	if (!opt->seen) {
		cli_error("%s: --reason is required: %s", command, why);
		return false;
	}
	return cli_check_text("--reason", opt->value, CLI_NOTE_MAX, false);
}

int cli_cmd_appeal(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {{"reason", true, false, NULL}};
	const char *pos[1];
	size_t npos;
	struct store_event event;
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
	rc = event_in_open_month(ctx, event_id, "appealing", &event);
	if (rc)
		return rc;
	if (event.voided) {
		cli_error("event %lld is voided (%s); there is nothing to "
		          "appeal",
		          (long long)event_id,
		          event.void_reason ? event.void_reason : "");
		rc = 2;
	} else if (event.appeal && strcmp(event.appeal, "open") == 0) {
		cli_error("event %lld is under appeal already; resolve it with "
		          "'kpidesk appeal resolve %lld uphold|void --reason "
		          "TEXT'",
		          (long long)event_id, (long long)event_id);
		rc = 2;
	}
	store_event_finish(&event);
	if (rc)
		return rc;
	enum kd_status status =
	    store_appeal_open(ctx->st, event_id, opts[0].value, NULL);
	return status == KD_OK ? 0 : store_refusal(ctx, status);
}

int cli_cmd_appeal_resolve(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {{"reason", true, false, NULL}};
	const char *pos[2];
	size_t npos;
	struct store_event event;
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
	rc = event_in_open_month(ctx, event_id, "resolving appeals of", &event);
	if (rc)
		return rc;
	if (!event.appeal || strcmp(event.appeal, "open") != 0) {
		cli_error("event %lld has no open appeal", (long long)event_id);
		rc = 2;
	}
	store_event_finish(&event);
	if (rc)
		return rc;
	enum kd_status status =
	    store_appeal_resolve(ctx->st, event_id, outcome, opts[0].value);
	return status == KD_OK ? 0 : store_refusal(ctx, status);
}
