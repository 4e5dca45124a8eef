/* log and void: the two writes of the shift. */
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "kpidesk/fixed.h"
#include "kpidesk/text.h"

/* A category by key or by its label as written in the rulebook. */
static const struct rb_category *find_category(const struct rulebook *rb,
                                               const char *ref)
{
	const struct rb_category *cat = rulebook_category(rb, ref);
	if (cat)
		return cat;
	for (size_t i = 0; i < rb->category_count; i++)
		if (strcmp(rb->categories[i].label, ref) == 0)
			return &rb->categories[i];
	return NULL;
}

static void unknown_category(const struct rulebook *rb, const char *ref)
{
	size_t size = 64;
	for (size_t i = 0; i < rb->category_count; i++)
		size += strlen(rb->categories[i].key) + 2;
	char *list = calloc(1, size);
	if (list)
		for (size_t i = 0; i < rb->category_count; i++) {
			if (i)
				strcat(list, ", ");
			strcat(list, rb->categories[i].key);
		}
	cli_error("unknown category '%s' (the rulebook's categories: %s)", ref,
	          list ? list : "?");
	free(list);
}

/* Refuses events in a closed month (RULEBOOK.md section 11). */
static int check_month_open(struct cli_ctx *ctx, kd_date date)
{
	struct store_month info;
	enum kd_status status =
	    store_month_get(ctx->st, date_month(date), &info);
	if (status != KD_OK)
		return cli_store_failure(ctx, status);
	if (info.closed) {
		char m[16];
		cli_error("%s is closed; reopen it before changing its events",
		          month_format(m, sizeof(m), date_month(date)));
		return 2;
	}
	return 0;
}

int cli_cmd_log(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {
	    {"date", true, false, NULL},
	    {"note", true, false, NULL},
	};
	const char *pos[3];
	size_t npos;
	if (!cli_parse_args("log", argc, argv, opts, 2, pos, 3, &npos))
		return 2;
	if (npos < 2) {
		cli_error("log: %s is missing (log AGENT CATEGORY [QTY])",
		          npos == 0 ? "AGENT" : "CATEGORY");
		return 2;
	}
	if (!cli_check_text("CATEGORY", pos[1], CLI_NAME_MAX, false))
		return 2;
	const struct rb_category *cat = find_category(ctx->rb, pos[1]);
	if (!cat) {
		unknown_category(ctx->rb, pos[1]);
		return 2;
	}
	int64_t quantity = 1;
	if (npos == 3) {
		if (!fixed_parse_int(pos[2], 1, 1440, &quantity)) {
			cli_error("QTY: '%s' is not a whole number from 1 to "
			          "1440",
			          pos[2]);
			return 2;
		}
	} else if (cat->unit == RB_UNIT_MINUTES) {
		cli_error("log: %s (%s) counts minutes: give them as QTY "
		          "(log AGENT %s MINUTES)",
		          cat->key, cat->label, cat->key);
		return 2;
	}
	kd_date date = ctx->today;
	if (opts[0].seen && !cli_parse_date("--date", opts[0].value, &date))
		return 2;
	const char *note = opts[1].seen ? opts[1].value : NULL;
	if (note && !cli_check_text("--note", note, CLI_NOTE_MAX, true))
		return 2;
	if (note && text_is_blank(note))
		note = NULL;
	if (cat->note_required && !note) {
		cli_error("log: %s (%s) needs a note (--note TEXT), such as "
		          "the order number",
		          cat->key, cat->label);
		return 2;
	}
	char a[16], b[16];
	if (date > ctx->today) {
		cli_error("--date: %s is after today (%s)",
		          date_format(a, sizeof(a), date),
		          date_format(b, sizeof(b), ctx->today));
		return 2;
	}

	int rc = cli_need_store(ctx);
	if (rc)
		return rc;
	struct store_agent agent;
	if ((rc = cli_find_agent(ctx, pos[0], &agent)) != 0)
		return rc;
	if (date < agent.hired) {
		cli_error("--date: %s is before %s was hired (%s)",
		          date_format(a, sizeof(a), date), agent.name,
		          date_format(b, sizeof(b), agent.hired));
		rc = 2;
	} else if (agent.left != KD_DATE_NONE && date > agent.left) {
		cli_error("--date: %s is after %s left (%s)",
		          date_format(a, sizeof(a), date), agent.name,
		          date_format(b, sizeof(b), agent.left));
		rc = 2;
	} else {
		rc = check_month_open(ctx, date);
	}
	if (rc == 0) {
		int64_t id;
		enum kd_status status =
		    store_event_add(ctx->st, agent.id, date, cat->key,
		                    (int32_t)quantity, note, &id);
		if (status != KD_OK)
			rc = cli_store_failure(ctx, status);
		else
			printf("%lld\n", (long long)id);
	}
	store_agent_finish(&agent);
	return rc;
}

int cli_cmd_void(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {{"reason", true, false, NULL}};
	const char *pos[1];
	size_t npos;
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
	if (!cli_check_text("--reason", opts[0].value, CLI_NOTE_MAX, false))
		return 2;
	int rc = cli_need_store(ctx);
	if (rc)
		return rc;
	struct store_event event;
	enum kd_status status = store_event_get(ctx->st, event_id, &event);
	if (status == KD_ERR_NOT_FOUND) {
		cli_error("EVENT: no event %lld", (long long)event_id);
		return 2;
	}
	if (status != KD_OK)
		return cli_store_failure(ctx, status);
	if (event.voided) {
		cli_error("event %lld is already voided (%s)",
		          (long long)event_id,
		          event.void_reason ? event.void_reason : "");
		rc = 2;
	} else {
		rc = check_month_open(ctx, event.date);
	}
	store_event_finish(&event);
	if (rc)
		return rc;
	status = store_event_void(ctx->st, event_id, opts[0].value);
	if (status == KD_ERR_CONFLICT || status == KD_ERR_NOT_FOUND) {
		cli_error("%s", store_last_error(ctx->st));
		return 2;
	}
	if (status != KD_OK)
		return cli_store_failure(ctx, status);
	return 0;
}
