/* Import use cases: KPI metrics, sales targets and past entries (see
 * kpidesk/app_import.h). */
#include "kpidesk/app_import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void why_reset(struct app_import_why *why)
{
	memset(why, 0, sizeof(*why));
}

static enum kd_status refuse(struct app_import_why *why,
                             enum app_import_refusal refusal,
                             enum kd_status status)
{
	why->refusal = refusal;
	return status;
}

/* A store failure: its message is store_last_error(). */
static enum kd_status store_failed(struct app_import_why *why,
                                   enum kd_status status)
{
	if (status == KD_ERR_CONFLICT)
		return refuse(why, APP_IMPORT_MONTH_CLOSED, status);
	return refuse(why, APP_IMPORT_STORE, status);
}

enum kd_status app_import_read_file(const char *path, char **bytes, size_t *len,
                                    struct app_import_why *why)
{
	FILE *f = fopen(path, "rb");
	size_t capacity = 64 * 1024;
	char *buf;

	*bytes = NULL;
	*len = 0;
	why_reset(why);
	if (f == NULL) {
		why->errno_value = errno;
		return refuse(why, APP_IMPORT_FILE, KD_ERR_INPUT);
	}
	buf = malloc(capacity);
	while (buf != NULL) {
		size_t got = fread(buf + *len, 1, capacity - *len, f);

		*len += got;
		if (*len < capacity || *len > IMPORT_MAX_BYTES)
			break;
		{
			char *grown = realloc(buf, capacity * 2);

			if (grown == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = grown;
			capacity *= 2;
		}
	}
	if (buf == NULL) {
		fclose(f);
		return KD_ERR_NOMEM;
	}
	if (ferror(f)) {
		why->errno_value = errno;
		fclose(f);
		free(buf);
		*len = 0;
		return refuse(why, APP_IMPORT_FILE, KD_ERR_INPUT);
	}
	fclose(f);
	if (*len > IMPORT_MAX_BYTES) {
		free(buf);
		*len = 0;
		return refuse(why, APP_IMPORT_TOO_LARGE, KD_ERR_INPUT);
	}
	*bytes = buf;
	return KD_OK;
}

/* The agents as the mappings want them (id, name, handle, dates). */
static struct score_agent *score_agents(const struct store_agent_list *list)
{
	struct score_agent *agents =
	    calloc(list->count ? list->count : 1, sizeof(*agents));

	if (agents == NULL)
		return NULL;
	for (size_t i = 0; i < list->count; i++) {
		const struct store_agent *a = &list->agents[i];

		agents[i].id = a->id;
		agents[i].name = a->name;
		agents[i].handle = a->handle;
		agents[i].hired = a->hired;
		agents[i].left = a->left;
	}
	return agents;
}

/* The month must be open and, for imported figures, this one or before
 * (`ahead_ok`: a target may be set before its month begins). */
static enum kd_status check_month(struct store *st, kd_date today,
                                  kd_month month, bool ahead_ok,
                                  struct app_import_why *why)
{
	struct store_month info;
	enum kd_status status;

	why->month = month;
	if (!ahead_ok && month > date_month(today))
		return refuse(why, APP_IMPORT_MONTH_AHEAD, KD_ERR_INPUT);
	status = store_month_get(st, month, &info);
	if (status != KD_OK)
		return store_failed(why, status);
	if (info.closed)
		return refuse(why, APP_IMPORT_MONTH_CLOSED, KD_ERR_CONFLICT);
	return KD_OK;
}

/* ------------------------------------------------------------------------ */
/* KPI metrics */

void app_kpi_import_finish(struct app_kpi_import *out)
{
	if (out == NULL)
		return;
	kpi_import_finish(&out->imp);
	free(out->sheet);
	memset(out, 0, sizeof(*out));
}

/* The table's problems as the import's (the file could not be read). */
static enum kd_status table_problems(const struct import_table *table,
                                     struct kpi_import *imp)
{
	imp->encoding = table->encoding;
	imp->problems =
	    calloc(table->csv.problem_count + 1, sizeof(*imp->problems));
	if (imp->problems == NULL)
		return KD_ERR_NOMEM;
	for (size_t i = 0; i < table->csv.problem_count; i++) {
		imp->problems[i].line = table->csv.problems[i].line;
		imp->problems[i].text = strdup(table->csv.problems[i].text);
		if (imp->problems[i].text == NULL)
			return KD_ERR_NOMEM;
		imp->problem_count++;
	}
	return KD_OK;
}

enum kd_status app_kpi_import(struct store *st, const struct rulebook *rb,
                              kd_date today, const char *bytes, size_t len,
                              const char *sheet, kd_month month,
                              const char *source, struct app_kpi_import *out,
                              struct app_import_why *why)
{
	struct import_table table = {0};
	struct store_agent_list list = {0};
	struct store_target_list targets = {0};
	struct store_metrics_list before = {0};
	struct score_agent *agents = NULL;
	struct kpi_target *kt = NULL;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	why_reset(why);
	status = check_month(st, today, month, false, why);
	if (status != KD_OK)
		return status;

	status = import_table_read(bytes, len, sheet, &table);
	out->sheet_count = table.sheet_count;
	if (table.sheet != NULL && (out->sheet = strdup(table.sheet)) == NULL)
		status = KD_ERR_NOMEM;
	if (status != KD_OK) {
		if (status == KD_ERR_INPUT) {
			status = table_problems(&table, &out->imp);
			if (status == KD_OK) {
				status = KD_ERR_INPUT;
				why->refusal = APP_IMPORT_PROBLEMS;
			}
		}
		goto done;
	}

	status = store_agent_list(st, true, today, &list);
	if (status == KD_OK)
		status = store_targets_of_month(st, month, &targets);
	if (status != KD_OK) {
		status = store_failed(why, status);
		goto done;
	}
	agents = score_agents(&list);
	kt = calloc(targets.count ? targets.count : 1, sizeof(*kt));
	if (agents == NULL || kt == NULL) {
		status = KD_ERR_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < targets.count; i++) {
		kt[i].agent_id = targets.targets[i].agent_id;
		kt[i].target_fen = targets.targets[i].target_fen;
	}
	status = kpi_import_map(&table, rb, month, agents, list.count, kt,
	                        targets.count, &out->imp);
	if (status == KD_ERR_INPUT)
		why->refusal = APP_IMPORT_PROBLEMS;
	if (status != KD_OK)
		goto done;

	status = store_metrics_between(st, month, month, &before);
	if (status == KD_OK) {
		out->replaced = before.count;
		status = store_metrics_replace(st, month, out->imp.row_count,
		                               out->imp.metrics, source);
	}
	if (status != KD_OK)
		status = store_failed(why, status);
done:
	store_metrics_list_finish(&before);
	free(kt);
	free(agents);
	store_target_list_finish(&targets);
	store_agent_list_finish(&list);
	import_table_finish(&table);
	return status;
}

/* ------------------------------------------------------------------------ */
/* Sales targets */

static enum kd_status parse_amount(const char *amount, int64_t *fen,
                                   struct app_import_why *why)
{
	if (kpi_value_parse(amount, KPI_VALUE_MONEY, fen, NULL) !=
	        KPI_VALUE_OK ||
	    *fen <= 0)
		return refuse(why, APP_IMPORT_BAD_AMOUNT, KD_ERR_INPUT);
	return KD_OK;
}

static bool on_board(const struct store_agent *a, kd_month month)
{
	struct score_agent sa = {0};

	sa.id = a->id;
	sa.name = a->name;
	sa.hired = a->hired;
	sa.left = a->left;
	return score_agent_on_board(&sa, month);
}

enum kd_status app_kpi_target_agent(struct store *st, kd_date today,
                                    const char *agent_ref, const char *amount,
                                    kd_month month, int64_t *target_fen,
                                    struct app_import_why *why)
{
	struct store_agent agent;
	enum kd_status status;

	why_reset(why);
	why->ref = agent_ref;
	status = parse_amount(amount, target_fen, why);
	if (status == KD_OK)
		status = check_month(st, today, month, true, why);
	if (status != KD_OK)
		return status;
	status = store_agent_find(st, agent_ref, &agent);
	if (status == KD_ERR_NOT_FOUND)
		return refuse(why, APP_IMPORT_NO_AGENT, KD_ERR_INPUT);
	if (status == KD_ERR_CONFLICT)
		return refuse(why, APP_IMPORT_AMBIGUOUS, KD_ERR_INPUT);
	if (status != KD_OK)
		return store_failed(why, status);
	snprintf(why->agent_name, sizeof(why->agent_name), "%s", agent.name);
	if (!on_board(&agent, month)) {
		why->hired = agent.hired;
		why->left = agent.left;
		store_agent_finish(&agent);
		return refuse(why, APP_IMPORT_OFF_BOARD, KD_ERR_INPUT);
	}
	status =
	    store_targets_set(st, month, 1, &agent.id, *target_fen, agent.name);
	store_agent_finish(&agent);
	if (status != KD_OK)
		return store_failed(why, status);
	return KD_OK;
}

/* The tier a key or label names, or -1. */
static int find_tier(const struct rulebook *rb, const char *ref)
{
	int index = rulebook_tier_index(rb, ref);

	for (size_t i = 0; index < 0 && i < rb->tier_count; i++)
		if (strcmp(rb->tiers[i].label, ref) == 0)
			index = (int)i;
	return index;
}

enum kd_status app_kpi_target_tier(struct store *st, const struct rulebook *rb,
                                   kd_date today, const char *tier,
                                   const char *amount, kd_month month,
                                   size_t *count, int64_t *target_fen,
                                   struct app_import_why *why)
{
	struct store_agent_list list = {0};
	int64_t *ids = NULL;
	int tier_index;
	char scope[128];
	enum kd_status status;

	why_reset(why);
	why->ref = tier;
	*count = 0;
	status = parse_amount(amount, target_fen, why);
	if (status == KD_OK)
		status = check_month(st, today, month, true, why);
	if (status != KD_OK)
		return status;
	tier_index = find_tier(rb, tier);
	if (tier_index < 0)
		return refuse(why, APP_IMPORT_NO_TIER, KD_ERR_INPUT);
	status = store_agent_list(st, true, today, &list);
	if (status != KD_OK)
		return store_failed(why, status);
	ids = calloc(list.count ? list.count : 1, sizeof(*ids));
	if (ids == NULL) {
		store_agent_list_finish(&list);
		return KD_ERR_NOMEM;
	}
	for (size_t i = 0; i < list.count; i++) {
		const struct store_agent *a = &list.agents[i];
		struct score_tier_span spans[64];
		struct score_agent sa = {0};
		size_t n = a->tier_count < 64 ? a->tier_count : 64;

		for (size_t k = 0; k < n; k++) {
			spans[k].since = a->tiers[k].since;
			spans[k].tier_key = a->tiers[k].tier_key;
		}
		sa.id = a->id;
		sa.name = a->name;
		sa.hired = a->hired;
		sa.left = a->left;
		sa.tier_count = n;
		sa.tiers = spans;
		if (score_agent_on_board(&sa, month) &&
		    score_agent_tier(rb, &sa, month, NULL) == tier_index)
			ids[(*count)++] = a->id;
	}
	if (*count == 0) {
		status = refuse(why, APP_IMPORT_TIER_EMPTY, KD_ERR_INPUT);
	} else {
		snprintf(scope, sizeof(scope), "tier %s",
		         rb->tiers[tier_index].key);
		status = store_targets_set(st, month, *count, ids, *target_fen,
		                           scope);
		if (status != KD_OK)
			status = store_failed(why, status);
	}
	free(ids);
	store_agent_list_finish(&list);
	return status;
}

/* ------------------------------------------------------------------------ */
/* Past entries */

void app_events_import_finish(struct app_events_import *out)
{
	if (out == NULL)
		return;
	events_import_finish(&out->imp);
	free(out->sheet);
	memset(out, 0, sizeof(*out));
}

/* The closed months among those of the entries. */
static enum kd_status closed_months(struct store *st,
                                    const struct events_import *imp,
                                    kd_month **closed, size_t *count)
{
	size_t span = (size_t)(imp->dated_last - imp->dated_first) + 1;

	*count = 0;
	*closed = calloc(span, sizeof(**closed));
	if (*closed == NULL)
		return KD_ERR_NOMEM;
	for (kd_month m = imp->dated_first; m <= imp->dated_last; m++) {
		struct store_month info;
		enum kd_status status = store_month_get(st, m, &info);

		if (status != KD_OK)
			return status;
		if (info.closed)
			(*closed)[(*count)++] = m;
	}
	return KD_OK;
}

enum kd_status app_events_import(struct store *st, const struct rulebook *rb,
                                 kd_date today, const char *bytes, size_t len,
                                 const char *sheet, const char *source,
                                 bool again, struct app_events_import *out,
                                 struct app_import_why *why)
{
	struct import_table table = {0};
	struct store_agent_list list = {0};
	struct score_agent *agents = NULL;
	struct store_event_new *batch = NULL;
	kd_month *closed = NULL;
	size_t closed_count = 0, refused = 0;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	why_reset(why);
	status = import_table_read(bytes, len, sheet, &table);
	out->sheet_count = table.sheet_count;
	if (table.sheet != NULL && (out->sheet = strdup(table.sheet)) == NULL)
		status = KD_ERR_NOMEM;
	if (status == KD_ERR_INPUT) {
		/* the file's own problems, in the import's list */
		struct kpi_message *p =
		    calloc(table.csv.problem_count + 1, sizeof(*p));

		out->imp.encoding = table.encoding;
		out->imp.problems = p;
		for (size_t i = 0; p != NULL && i < table.csv.problem_count;
		     i++) {
			p[i].line = table.csv.problems[i].line;
			p[i].text = strdup(table.csv.problems[i].text);
			if (p[i].text == NULL)
				break;
			out->imp.problem_count++;
		}
		if (p == NULL ||
		    out->imp.problem_count != table.csv.problem_count)
			status = KD_ERR_NOMEM;
		else
			why->refusal = APP_IMPORT_PROBLEMS;
	}
	if (status != KD_OK)
		goto done;

	status = store_agent_list(st, true, today, &list);
	if (status != KD_OK) {
		status = store_failed(why, status);
		goto done;
	}
	agents = score_agents(&list);
	if (agents == NULL) {
		status = KD_ERR_NOMEM;
		goto done;
	}
	status = events_import_map(&table, rb, agents, list.count, NULL, 0,
	                           today, &out->imp);
	/* Also when the file has other problems: its closed months' entries
	 * are named with them, every problem at once. */
	if ((status == KD_OK || status == KD_ERR_INPUT) &&
	    out->imp.dated_count > 0) {
		enum kd_status cs =
		    closed_months(st, &out->imp, &closed, &closed_count);

		if (cs != KD_OK)
			status =
			    cs == KD_ERR_NOMEM ? cs : store_failed(why, cs);
		else if (closed_count > 0) {
			/* again, naming each entry of a closed month */
			events_import_finish(&out->imp);
			status = events_import_map(
			    &table, rb, agents, list.count, closed,
			    closed_count, today, &out->imp);
		}
	}
	if (status == KD_ERR_INPUT)
		why->refusal = APP_IMPORT_PROBLEMS;
	if (status != KD_OK)
		goto done;

	batch = calloc(out->imp.entry_count, sizeof(*batch));
	if (batch == NULL) {
		status = KD_ERR_NOMEM;
		goto done;
	}
	if (!again) {
		kd_date first = out->imp.entries[0].date;
		kd_date last = first;
		char *at = NULL;

		for (size_t i = 1; i < out->imp.entry_count; i++) {
			if (out->imp.entries[i].date < first)
				first = out->imp.entries[i].date;
			if (out->imp.entries[i].date > last)
				last = out->imp.entries[i].date;
		}
		status = store_events_import_seen(
		    st, source, out->imp.entry_count, first, last, &at);
		if (status != KD_OK) {
			status = store_failed(why, status);
			goto done;
		}
		if (at != NULL) {
			snprintf(why->at, sizeof(why->at), "%s", at);
			free(at);
			status = refuse(why, APP_IMPORT_TWICE, KD_ERR_CONFLICT);
			goto done;
		}
	}
	for (size_t i = 0; i < out->imp.entry_count; i++) {
		const struct events_import_entry *e = &out->imp.entries[i];

		batch[i].agent_id = e->agent_id;
		batch[i].date = e->date;
		batch[i].category = e->category;
		batch[i].quantity = e->quantity;
		batch[i].note = e->note;
	}
	status = store_events_import(st, out->imp.entry_count, batch, source,
	                             &refused);
	if (status != KD_OK)
		status = store_failed(why, status);
done:
	free(batch);
	free(closed);
	free(agents);
	store_agent_list_finish(&list);
	import_table_finish(&table);
	return status;
}
