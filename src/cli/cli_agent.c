/* agent add | list | edit */
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "kpidesk/fixed.h"
#include "kpidesk/text.h"

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* A name or handle must be text a lead can type back as AGENT. */
static bool check_name(const char *what, const char *text)
{
	if (!cli_check_text(what, text, CLI_NAME_MAX, false))
		return false;
	if (text[0] == ' ' || text[strlen(text) - 1] == ' ') {
		cli_error("%s: '%s' starts or ends with a space", what, text);
		return false;
	}
	if (all_digits(text)) {
		cli_error("%s: '%s' is all digits and would read as an agent "
		          "id",
		          what, text);
		return false;
	}
	return true;
}

static bool check_tier(const struct cli_ctx *ctx, const char *tier)
{
	if (rulebook_tier_index(ctx->rb, tier) >= 0)
		return true;
	char list[256] = "";
	for (size_t i = 0; i < ctx->rb->tier_count; i++) {
		if (i)
			strncat(list, ", ", sizeof(list) - strlen(list) - 1);
		strncat(list, ctx->rb->tiers[i].key,
		        sizeof(list) - strlen(list) - 1);
	}
	cli_error("--tier: unknown tier '%s' (the rulebook's tiers: %s)", tier,
	          list);
	return false;
}

/* Refuses a name or handle another agent already answers to, so AGENT
 * always finds exactly one. */
static int check_unique(struct cli_ctx *ctx, const char *what, const char *text,
                        int64_t self_id)
{
	struct store_agent other;
	enum kd_status status = store_agent_find(ctx->st, text, &other);
	if (status == KD_ERR_NOT_FOUND)
		return 0;
	if (status == KD_OK && other.id == self_id) {
		store_agent_finish(&other);
		return 0;
	}
	if (status == KD_OK) {
		cli_error("%s: '%s' is already agent %lld (%s); give a "
		          "different name or a handle",
		          what, text, (long long)other.id, other.name);
		store_agent_finish(&other);
		return 2;
	}
	if (status == KD_ERR_CONFLICT) {
		cli_error("%s: '%s' already names more than one agent", what,
		          text);
		return 2;
	}
	return cli_store_failure(ctx, status);
}

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
	if (!cli_parse_args("agent add", argc, argv, opts, 4, pos, 1, &npos))
		return 2;
	if (npos < 1) {
		cli_error("agent add: NAME is missing");
		return 2;
	}
	const char *name = pos[0];
	const char *handle = opts[0].seen ? opts[0].value : NULL;
	if (!check_name("NAME", name))
		return 2;
	if (handle && !handle[0])
		handle = NULL;
	if (handle && !check_name("--handle", handle))
		return 2;
	if (ctx->rb->tier_count == 0) {
		cli_error("the rulebook defines no tiers");
		return 2;
	}
	const char *tier = opts[1].seen ? opts[1].value : ctx->rb->tiers[0].key;
	if (!check_tier(ctx, tier))
		return 2;
	kd_date hired = ctx->today;
	if (opts[2].seen && !cli_parse_date("--hired", opts[2].value, &hired))
		return 2;
	const char *role = opts[3].seen ? opts[3].value : "presales";
	if (strcmp(role, "presales") != 0 && strcmp(role, "aftersales") != 0) {
		cli_error("--role: '%s' is not a role (presales or aftersales)",
		          role);
		return 2;
	}
	int rc = cli_need_store(ctx);
	if (rc)
		return rc;
	if ((rc = check_unique(ctx, "NAME", name, 0)) != 0)
		return rc;
	if (handle && (rc = check_unique(ctx, "--handle", handle, 0)) != 0)
		return rc;
	int64_t id;
	enum kd_status status = store_agent_add(
	    ctx->st, name, handle, role, hired, tier, date_month(hired), &id);
	if (status != KD_OK)
		return cli_store_failure(ctx, status);
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
	if (!cli_parse_args("agent list", argc, argv, opts, 2, NULL, 0, &npos))
		return 2;
	enum report_format format = REPORT_TABLE;
	if (opts[1].seen && !cli_parse_format(opts[1].value, &format))
		return 2;
	int rc = cli_need_store(ctx);
	if (rc)
		return rc;
	struct store_agent_list list = {0};
	enum kd_status status =
	    store_agent_list(ctx->st, opts[0].seen, ctx->today, &list);
	if (status != KD_OK)
		return cli_store_failure(ctx, status);
	status = report_agents(stdout, format, ctx->rb, &list, ctx->today);
	store_agent_list_finish(&list);
	return status == KD_OK ? 0 : kd_status_exit_code(status);
}

/* The first and last dates of the agent's events that count, to keep an
 * edited hire or leave date from stranding them. */
static int event_span(struct cli_ctx *ctx, int64_t agent_id, bool *any,
                      kd_date *first, kd_date *last)
{
	struct store_event_list events = {0};
	kd_date lo, hi;
	date_from_ymd(KD_YEAR_MIN, 1, 1, &lo);
	date_from_ymd(KD_YEAR_MAX, 12, 31, &hi);
	enum kd_status status =
	    store_events_between(ctx->st, lo, hi, agent_id, false, &events);
	if (status != KD_OK)
		return cli_store_failure(ctx, status);
	*any = events.count > 0;
	if (*any) {
		*first = events.events[0].date;
		*last = events.events[events.count - 1].date;
	}
	store_event_list_finish(&events);
	return 0;
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
	if (!cli_parse_args("agent edit", argc, argv, opts, 6, pos, 1, &npos))
		return 2;
	if (npos < 1) {
		cli_error("agent edit: AGENT is missing");
		return 2;
	}
	struct store_agent_edit edit = {0};
	bool any = false;
	if (opts[0].seen) {
		if (!check_name("--name", opts[0].value))
			return 2;
		edit.name = opts[0].value;
		any = true;
	}
	if (opts[1].seen) {
		edit.set_handle = true;
		edit.handle = opts[1].value[0] ? opts[1].value : NULL;
		if (edit.handle && !check_name("--handle", edit.handle))
			return 2;
		any = true;
	}
	if (opts[3].seen && !opts[2].seen) {
		cli_error("agent edit: --since goes with --tier");
		return 2;
	}
	if (opts[2].seen) {
		if (!check_tier(ctx, opts[2].value))
			return 2;
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
	kd_date hired = edit.set_hired ? edit.hired : agent.hired;
	kd_date left = edit.set_left ? edit.left : agent.left;
	char a[16], b[16];
	if (left != KD_DATE_NONE && left < hired) {
		cli_error("agent edit: the leave date %s is before the hire "
		          "date %s",
		          date_format(a, sizeof(a), left),
		          date_format(b, sizeof(b), hired));
		rc = 2;
		goto out;
	}
	if (edit.name &&
	    (rc = check_unique(ctx, "--name", edit.name, agent.id)) != 0)
		goto out;
	if (edit.handle &&
	    (rc = check_unique(ctx, "--handle", edit.handle, agent.id)) != 0)
		goto out;
	if (edit.set_hired || edit.set_left) {
		bool has_events = false;
		kd_date first = 0, last = 0;
		if ((rc = event_span(ctx, agent.id, &has_events, &first,
		                     &last)) != 0)
			goto out;
		if (has_events && first < hired) {
			cli_error("agent edit: %s has an event on %s, before "
			          "the hire date %s; void it first",
			          agent.name, date_format(a, sizeof(a), first),
			          date_format(b, sizeof(b), hired));
			rc = 2;
			goto out;
		}
		if (has_events && left != KD_DATE_NONE && last > left) {
			cli_error("agent edit: %s has an event on %s, after "
			          "the leave date %s; void it first",
			          agent.name, date_format(a, sizeof(a), last),
			          date_format(b, sizeof(b), left));
			rc = 2;
			goto out;
		}
	}
	enum kd_status status = store_agent_update(ctx->st, agent.id, &edit);
	if (status != KD_OK)
		rc = cli_store_failure(ctx, status);
out:
	store_agent_finish(&agent);
	return rc;
}
