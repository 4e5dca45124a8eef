/* `kpidesk demo`, the writing: the planned team stored in one batch
 * (either everything is written or nothing), and app_demo, the use case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo_internal.h"
#include "kpidesk/app.h"
#include "kpidesk/store.h"

/* ---- writing ---- */

static int compare_rows(const void *a, const void *b)
{
	const struct demo_row *x = a, *y = b;
	if (x->event->date != y->event->date)
		return x->event->date < y->event->date ? -1 : 1;
	if (x->event->seq != y->event->seq)
		return x->event->seq < y->event->seq ? -1 : 1;
	return 0;
}

static int compare_hired(const void *a, const void *b)
{
	const struct demo_agent *const *x = a, *const *y = b;
	if ((*x)->hired != (*y)->hired)
		return (*x)->hired < (*y)->hired ? -1 : 1;
	return *x < *y ? -1 : *x > *y ? 1 : 0;
}

static enum kd_status write_agents(struct store *st, struct demo_plan *plan)
{
	enum kd_status status = KD_OK;
	struct demo_agent **order = malloc(plan->agent_count * sizeof(*order));
	if (!order)
		return KD_ERR_NOMEM;
	for (size_t i = 0; i < plan->agent_count; i++)
		order[i] = &plan->agents[i];
	/* Ids in hire order, as a team's records grow. */
	qsort(order, plan->agent_count, sizeof(*order), compare_hired);
	for (size_t i = 0; i < plan->agent_count; i++) {
		struct demo_agent *agent = order[i];
		status = store_agent_add(
		    st, agent->name->name,
		    agent->name->handle[0] ? agent->name->handle : NULL,
		    agent->role, agent->hired, agent->tiers[0].tier_key,
		    agent->tiers[0].since, &agent->id);
		if (status != KD_OK)
			goto cleanup;
		if (agent->tier_count > 1) {
			struct store_agent_edit edit = {
			    .tier_key = agent->tiers[1].tier_key,
			    .tier_since = agent->tiers[1].since,
			};
			status = store_agent_update(st, agent->id, &edit);
			if (status != KD_OK)
				goto cleanup;
		}
	}
cleanup:
	free(order);
	return status;
}

static enum kd_status write_events(struct store *st, struct demo_plan *plan,
                                   size_t *written)
{
	enum kd_status status = KD_OK;
	size_t total = 0;
	for (size_t a = 0; a < plan->agent_count; a++)
		for (int m = 0; m < plan->months; m++)
			total += plan->agents[a].slots[m].count;
	struct demo_row *rows = malloc((total ? total : 1) * sizeof(*rows));
	if (!rows)
		return KD_ERR_NOMEM;
	size_t n = 0;
	for (size_t a = 0; a < plan->agent_count; a++)
		for (int m = 0; m < plan->months; m++) {
			const struct demo_slot *slot =
			    &plan->agents[a].slots[m];
			for (size_t i = 0; i < slot->count; i++)
				rows[n++] =
				    (struct demo_row){a, &slot->events[i]};
		}
	qsort(rows, n, sizeof(*rows), compare_rows);

	for (size_t i = 0; i < n; i++) {
		const struct demo_event *event = rows[i].event;
		int64_t id = 0;
		status = store_event_add(
		    st, plan->agents[rows[i].agent].id, event->date,
		    plan->rb->categories[event->category].key, event->quantity,
		    event->note[0] ? event->note : NULL, &id);
		if (status != KD_OK)
			goto cleanup;
		if (event->voided) {
			status = store_event_void(
			    st, id, i % 2 == 0 ? "录入错误" : "重复录入,作废");
			if (status != KD_OK)
				goto cleanup;
		}
	}
	/* The leave date goes in last: the leaver's events precede it. */
	for (size_t a = 0; a < plan->agent_count; a++) {
		if (plan->agents[a].left == KD_DATE_NONE)
			continue;
		struct store_agent_edit edit = {
		    .set_left = true,
		    .left = plan->agents[a].left,
		};
		status = store_agent_update(st, plan->agents[a].id, &edit);
		if (status != KD_OK)
			goto cleanup;
	}
	*written = n;
cleanup:
	free(rows);
	return status;
}

/* Silent-order sales: a full month between 180,000 and 320,000 yuan; the
 * current month so far, in proportion to the days gone. */
static enum kd_status write_months(struct store *st, struct demo_plan *plan)
{
	for (int m = 0; m < plan->months; m++) {
		kd_month month = plan->first_month + m;
		int64_t fen =
		    (int64_t)demo_rng_range(&plan->rng, 18000000, 32000000);
		kd_date first = month_first_day(month);
		kd_date last = month_last_day(month);
		if (plan->today < last)
			fen = fen * (plan->today - first + 1) /
			      (last - first + 1);
		enum kd_status status =
		    store_month_set_silent_sales(st, month, fen);
		if (status != KD_OK)
			return status;
	}
	return KD_OK;
}

enum kd_status demo_fill(struct store *st, const struct rulebook *rb,
                         const struct demo_options *opt, kd_date today,
                         char *summary, size_t summary_size, char *err,
                         size_t err_size)
{
	struct demo_options defaults;
	struct demo_name *names = NULL;
	size_t name_count = 0;
	struct demo_plan plan = {0};
	bool in_batch = false;
	bool empty = false;
	size_t events_written = 0;
	char first[8], last[8];
	enum kd_status status;

	demo_set_message(err, err_size, "%s", "");
	if (!opt) {
		demo_options_init(&defaults);
		opt = &defaults;
	}
	if (opt->agents < DEMO_AGENTS_MIN || opt->agents > DEMO_AGENTS_MAX) {
		demo_set_message(err, err_size,
		                 "--agents must be from %d to %d, not %d",
		                 DEMO_AGENTS_MIN, DEMO_AGENTS_MAX, opt->agents);
		return KD_ERR_USAGE;
	}
	if (opt->months < DEMO_MONTHS_MIN || opt->months > DEMO_MONTHS_MAX) {
		demo_set_message(err, err_size,
		                 "--months must be from %d to %d, not %d",
		                 DEMO_MONTHS_MIN, DEMO_MONTHS_MAX, opt->months);
		return KD_ERR_USAGE;
	}
	if (rb->tier_count == 0) {
		demo_set_message(err, err_size,
		                 "the rulebook defines no tiers");
		return KD_ERR_CONFIG;
	}

	status = demo_names_parse(demo_names_text, demo_names_text_len, &names,
	                          &name_count);
	if (status != KD_OK) {
		demo_set_message(err, err_size, "%s",
		                 kd_status_message(status));
		return status;
	}
	if (name_count < (size_t)opt->agents) {
		demo_set_message(err, err_size,
		                 "the names list has %zu names, %d are needed",
		                 name_count, opt->agents);
		status = KD_ERR_INPUT;
		goto cleanup;
	}

	plan.rb = rb;
	plan.rng.state = opt->seed;
	plan.today = today;
	plan.months = opt->months;
	plan.first_month = date_month(today) - (opt->months - 1);
	plan.agent_count = (size_t)opt->agents;
	plan.agents = calloc(plan.agent_count, sizeof(*plan.agents));
	if (!plan.agents) {
		status = KD_ERR_NOMEM;
		demo_set_message(err, err_size, "%s",
		                 kd_status_message(status));
		goto cleanup;
	}
	status = demo_plan_build(&plan, names, name_count);
	if (status != KD_OK) {
		demo_set_message(err, err_size, "%s",
		                 kd_status_message(status));
		goto cleanup;
	}

	status = store_begin_batch(st);
	if (status != KD_OK)
		goto store_failed;
	in_batch = true;
	status = store_is_empty(st, &empty);
	if (status != KD_OK)
		goto store_failed;
	if (!empty) {
		demo_set_message(err, err_size,
		                 "the database already holds agents; the demo "
		                 "fills only an empty database");
		status = KD_ERR_CONFLICT;
		goto cleanup;
	}
	status = write_agents(st, &plan);
	if (status == KD_OK)
		status = write_events(st, &plan, &events_written);
	if (status == KD_OK)
		status = write_months(st, &plan);
	if (status != KD_OK)
		goto store_failed;
	status = store_commit_batch(st);
	if (status != KD_OK)
		goto store_failed;
	in_batch = false;

	month_format(first, sizeof first, plan.first_month);
	month_format(last, sizeof last, date_month(today));
	if (opt->months == 1)
		demo_set_message(summary, summary_size,
		                 "%d agents, 1 month (%s), %zu events",
		                 opt->agents, last, events_written);
	else
		demo_set_message(summary, summary_size,
		                 "%d agents, %d months (%s..%s), %zu events",
		                 opt->agents, opt->months, first, last,
		                 events_written);
	goto cleanup;

store_failed:
	if (status == KD_ERR_NOMEM)
		demo_set_message(err, err_size, "%s",
		                 kd_status_message(status));
	else
		demo_set_message(err, err_size, "%s", store_last_error(st));
cleanup:
	if (in_batch)
		store_rollback_batch(st);
	demo_plan_finish(&plan);
	free(names);
	return status;
}

bool app_demo(struct app *app, const struct demo_options *opt, char *summary,
              size_t summary_size, struct app_refusal *why)
{
	char err[512] = "";
	memset(why, 0, sizeof(*why));
	enum kd_status status =
	    demo_fill(app->st, app->rb, opt, clock_today(), summary,
	              summary_size, err, sizeof(err));
	if (status == KD_OK)
		return true;
	why->code = APP_FAILED;
	why->status = status;
	snprintf(why->detail, sizeof(why->detail), "%s",
	         err[0] ? err : kd_status_message(status));
	return false;
}
