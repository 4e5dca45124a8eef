/* events: the log of a day or a month, with each entry's points. */
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "kpidesk/review.h"

int cli_cmd_events(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {
	    {"month", true, false, NULL},  {"date", true, false, NULL},
	    {"agent", true, false, NULL},  {"all", false, false, NULL},
	    {"format", true, false, NULL},
	};
	size_t npos;
	if (!cli_parse_args("events", argc, argv, opts, 5, NULL, 0, &npos))
		return 2;
	if (opts[0].seen && opts[1].seen) {
		cli_error("events: give --month or --date, not both");
		return 2;
	}
	kd_month month = date_month(ctx->today);
	bool by_date = false;
	kd_date date = 0;
	if (opts[0].seen && !cli_parse_month("--month", opts[0].value, &month))
		return 2;
	if (opts[1].seen) {
		if (!cli_parse_date("--date", opts[1].value, &date))
			return 2;
		by_date = true;
		month = date_month(date);
	}
	enum report_format format = REPORT_TABLE;
	if (opts[4].seen && !cli_parse_format(opts[4].value, &format))
		return 2;
	int rc = cli_need_store(ctx);
	if (rc)
		return rc;
	int64_t agent_id = 0;
	if (opts[2].seen) {
		struct store_agent agent;
		if ((rc = cli_find_agent(ctx, opts[2].value, &agent)) != 0)
			return rc;
		agent_id = agent.id;
		app_agent_finish(&agent);
	}

	/* Points depend on the whole month of the agent's category (free
	 * occurrences, escalation), so the month is read and scored whole and
	 * only then filtered. */
	struct store_event_list all = {0};
	struct app_refusal why = {0};
	enum kd_status status = KD_OK;
	if (!app_events(&ctx->app, month_first_day(month),
	                month_last_day(month), 0, true, &all, &why))
		return cli_refused(&why);
	/* A closed month's labels and points come from the rulebook it was
	 * closed under, like its board. */
	struct rulebook *stored = NULL;
	int64_t *points = calloc(all.count ? all.count : 1, sizeof(*points));
	struct store_event_list shown = {0};
	int64_t *shown_points =
	    calloc(all.count ? all.count : 1, sizeof(*shown_points));
	shown.events = calloc(all.count ? all.count : 1, sizeof(*shown.events));
	if (!points || !shown_points || !shown.events) {
		status = KD_ERR_NOMEM;
		goto out;
	}
	if (!app_event_points(&ctx->app, month, &all, points, &stored, &why)) {
		status = why.status;
		goto out;
	}
	for (size_t i = 0; i < all.count; i++) {
		const struct store_event *e = &all.events[i];
		if ((agent_id && e->agent_id != agent_id) ||
		    (by_date && e->date != date) ||
		    (e->voided && !opts[3].seen))
			continue;
		shown_points[shown.count] = points[i];
		shown.events[shown.count++] = *e; /* shallow: all owns it */
	}
	status = report_events(stdout, format, stored ? stored : ctx->app.rb,
	                       &shown, shown_points);
out:
	free(shown.events);
	free(shown_points);
	free(points);
	app_events_finish(&all);
	rulebook_destroy(stored);
	if (why.code != APP_OK) {
		char text[1024];
		cli_error("events: %s",
		          app_refusal_text(&why, text, sizeof(text)));
		return app_refusal_exit(&why);
	}
	if (status != KD_OK) {
		cli_error("events: %s", kd_status_message(status));
		return kd_status_exit_code(status);
	}
	return 0;
}
