/* Import use cases: KPI metrics, sales targets and past entries (see
 * kpidesk/app_import.h). */
#include "kpidesk/app_import.h"

#include "app_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Out of memory, as a refusal. */
static bool nomem(struct app_refusal *why)
{
	app_refuse(why, APP_FAILED)->status = KD_ERR_NOMEM;
	app_copy(why->detail, sizeof(why->detail),
	         kd_status_message(KD_ERR_NOMEM));
	return false;
}

/* A failure of the store or of memory. */
static bool failed(struct app *app, enum kd_status status,
                   struct app_refusal *why)
{
	return status == KD_ERR_NOMEM ? nomem(why)
	                              : app_store_failed(app, status, why);
}

/* The file's problems are listed: refused naming how many. */
static bool problems(const char *path, size_t count, struct app_refusal *why)
{
	app_refuse(why, APP_IMPORT_PROBLEMS);
	app_copy(why->path, sizeof(why->path), path);
	why->count = (int64_t)count;
	return false;
}

bool app_import_read_file(const char *path, char **bytes, size_t *len,
                          struct app_refusal *why)
{
	FILE *f = fopen(path, "rb");
	size_t capacity = 64 * 1024;
	char *buf;

	*bytes = NULL;
	*len = 0;
	if (f == NULL) {
		int e = errno;
		app_refuse(why, APP_FILE_READ);
		app_copy(why->path, sizeof(why->path), path);
		app_copy(why->detail, sizeof(why->detail), strerror(e));
		return false;
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
		return nomem(why);
	}
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		free(buf);
		*len = 0;
		app_refuse(why, APP_FILE_READ);
		app_copy(why->path, sizeof(why->path), path);
		app_copy(why->detail, sizeof(why->detail), strerror(e));
		return false;
	}
	fclose(f);
	if (*len > IMPORT_MAX_BYTES) {
		free(buf);
		*len = 0;
		app_refuse(why, APP_FILE_TOO_LARGE)->max = IMPORT_MAX_BYTES;
		app_copy(why->path, sizeof(why->path), path);
		return false;
	}
	*bytes = buf;
	return true;
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
static bool check_month(struct app *app, kd_date today, kd_month month,
                        bool ahead_ok, struct app_refusal *why)
{
	if (!ahead_ok && month > date_month(today)) {
		app_refuse(why, APP_MONTH_AHEAD)->month = month;
		month_format(why->detail, sizeof(why->detail),
		             date_month(today));
		return false;
	}
	return app_month_open(app, month, why);
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
                                     struct kpi_message **items, size_t *count)
{
	*items = calloc(table->csv.problem_count + 1, sizeof(**items));
	if (*items == NULL)
		return KD_ERR_NOMEM;
	for (size_t i = 0; i < table->csv.problem_count; i++) {
		(*items)[i].line = table->csv.problems[i].line;
		(*items)[i].text = strdup(table->csv.problems[i].text);
		if ((*items)[i].text == NULL)
			return KD_ERR_NOMEM;
		(*count)++;
	}
	return KD_OK;
}

bool app_kpi_import(struct app *app, kd_date today, const char *bytes,
                    size_t len, const char *sheet, kd_month month,
                    const char *path, const char *source,
                    struct app_kpi_import *out, struct app_refusal *why)
{
	struct import_table table = {0};
	struct store_agent_list list = {0};
	struct store_target_list targets = {0};
	struct store_metrics_list before = {0};
	struct score_agent *agents = NULL;
	struct kpi_target *kt = NULL;
	enum kd_status status;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (!check_month(app, today, month, false, why))
		return false;

	status = import_table_read(bytes, len, sheet, &table);
	out->sheet_count = table.sheet_count;
	if (table.sheet != NULL && (out->sheet = strdup(table.sheet)) == NULL)
		status = KD_ERR_NOMEM;
	if (status == KD_ERR_INPUT) {
		out->imp.encoding = table.encoding;
		if (table_problems(&table, &out->imp.problems,
		                   &out->imp.problem_count) == KD_OK)
			problems(path, out->imp.problem_count, why);
		else
			nomem(why);
		goto done;
	}
	if (status != KD_OK) {
		nomem(why);
		goto done;
	}

	status = store_agent_list(app->st, true, today, &list);
	if (status == KD_OK)
		status = store_targets_of_month(app->st, month, &targets);
	if (status != KD_OK) {
		failed(app, status, why);
		goto done;
	}
	agents = score_agents(&list);
	kt = calloc(targets.count ? targets.count : 1, sizeof(*kt));
	if (agents == NULL || kt == NULL) {
		nomem(why);
		goto done;
	}
	for (size_t i = 0; i < targets.count; i++) {
		kt[i].agent_id = targets.targets[i].agent_id;
		kt[i].target_fen = targets.targets[i].target_fen;
	}
	status = kpi_import_map(&table, app->rb, month, agents, list.count, kt,
	                        targets.count, &out->imp);
	if (status == KD_ERR_INPUT)
		problems(path, out->imp.problem_count, why);
	else if (status != KD_OK)
		failed(app, status, why);
	if (status != KD_OK)
		goto done;

	/* The month is checked again in the transaction that writes it. */
	if (!app_begin(app, why))
		goto done;
	if (!app_month_open(app, month, why)) {
		app_rollback(app);
		goto done;
	}
	status = store_metrics_between(app->st, month, month, &before);
	if (status == KD_OK) {
		out->replaced = before.count;
		status =
		    store_metrics_replace(app->st, month, out->imp.row_count,
		                          out->imp.metrics, source);
	}
	if (status != KD_OK) {
		failed(app, status, why);
		app_rollback(app);
		goto done;
	}
	ok = app_commit(app, why);
done:
	store_metrics_list_finish(&before);
	free(kt);
	free(agents);
	store_target_list_finish(&targets);
	store_agent_list_finish(&list);
	import_table_finish(&table);
	return ok;
}

/* ------------------------------------------------------------------------ */
/* Sales targets */

static bool parse_amount(const char *amount, const char *field, int64_t *fen,
                         struct app_refusal *why)
{
	if (kpi_value_parse(amount, KPI_VALUE_MONEY, fen, NULL) ==
	        KPI_VALUE_OK &&
	    *fen > 0)
		return true;
	app_refuse(why, APP_AMOUNT_BAD)->field = field;
	return false;
}

/* The agent must be on the month's board. */
static bool on_board(const struct store_agent *a, kd_month month,
                     struct app_refusal *why)
{
	struct score_agent sa = {0};

	sa.id = a->id;
	sa.name = a->name;
	sa.hired = a->hired;
	sa.left = a->left;
	if (score_agent_on_board(&sa, month))
		return true;
	bool later = a->hired > month_last_day(month);
	app_refuse(why, APP_AGENT_OFF_BOARD)->month = month;
	app_copy(why->agent, sizeof(why->agent), a->name);
	why->kind = later ? N_("hired") : N_("left");
	why->date = later ? a->hired : a->left;
	return false;
}

bool app_kpi_target_agent(struct app *app, kd_date today, const char *agent_ref,
                          const char *amount, const char *amount_field,
                          kd_month month, int64_t *target_fen, char *name,
                          size_t name_size, struct app_refusal *why)
{
	struct store_agent agent;

	if (!parse_amount(amount, amount_field, target_fen, why) ||
	    !check_month(app, today, month, true, why) ||
	    !app_agent_find(app, agent_ref, &agent, why))
		return false;
	snprintf(name, name_size, "%s", agent.name);
	bool ok = on_board(&agent, month, why);
	if (ok && app_begin(app, why)) {
		enum kd_status status = KD_OK;
		ok = app_month_open(app, month, why);
		if (ok)
			status = store_targets_set(app->st, month, 1, &agent.id,
			                           *target_fen, agent.name);
		if (ok && status != KD_OK)
			ok = app_store_failed(app, status, why);
		ok = ok ? app_commit(app, why) : app_rollback(app);
	} else {
		ok = false;
	}
	store_agent_finish(&agent);
	return ok;
}

bool app_kpi_target_tier(struct app *app, kd_date today, const char *tier,
                         const char *amount, const char *amount_field,
                         kd_month month, size_t *count, int64_t *target_fen,
                         struct app_refusal *why)
{
	const struct rulebook *rb = app->rb;
	struct store_agent_list list = {0};
	int64_t *ids = NULL;
	int tier_index;
	char scope[128];
	enum kd_status status;
	bool ok = false;

	*count = 0;
	if (!parse_amount(amount, amount_field, target_fen, why) ||
	    !check_month(app, today, month, true, why) ||
	    !app_tier_find(rb, tier, true, &tier_index, why))
		return false;
	status = store_agent_list(app->st, true, today, &list);
	if (status != KD_OK)
		return failed(app, status, why);
	ids = calloc(list.count ? list.count : 1, sizeof(*ids));
	if (ids == NULL) {
		store_agent_list_finish(&list);
		return nomem(why);
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
		app_refuse(why, APP_TIER_EMPTY)->month = month;
		app_copy(why->text, sizeof(why->text), tier);
	} else if (app_begin(app, why)) {
		snprintf(scope, sizeof(scope), "tier %s",
		         rb->tiers[tier_index].key);
		ok = app_month_open(app, month, why);
		if (ok) {
			status = store_targets_set(app->st, month, *count, ids,
			                           *target_fen, scope);
			if (status != KD_OK)
				ok = app_store_failed(app, status, why);
		}
		ok = ok ? app_commit(app, why) : app_rollback(app);
	}
	free(ids);
	store_agent_list_finish(&list);
	return ok;
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

/* The column a rule of an entry is about, for the problem's line. */
static const char *rule_column(enum app_code code)
{
	switch (code) {
	case APP_DATE_FUTURE:
	case APP_DATE_BEFORE_HIRED:
	case APP_DATE_AFTER_LEFT:
	case APP_MONTH_CLOSED:
		return "date";
	case APP_CATEGORY_UNKNOWN:
		return "category";
	case APP_QUANTITY_RANGE:
	case APP_MINUTES_MISSING:
		return "quantity";
	case APP_NOTE_REQUIRED:
		return "note";
	default:
		return NULL; /* the refusal names its field itself */
	}
}

/* Adds a refused entry to the problems: `LINE: column: refusal`. */
static bool add_problem(struct events_import *imp, int32_t line,
                        const struct app_refusal *rule)
{
	char text[1024];
	const char *column = rule_column(rule->code);
	struct kpi_message *grown =
	    realloc(imp->problems, (imp->problem_count + 1) * sizeof(*grown));
	char *copy = NULL;

	if (grown == NULL)
		return false;
	imp->problems = grown;
	app_refusal_text(rule, text, sizeof(text));
	if (column != NULL) {
		size_t size = strlen(column) + strlen(text) + 3;
		copy = malloc(size);
		if (copy != NULL)
			snprintf(copy, size, "%s: %s", column, text);
	} else {
		copy = strdup(text);
	}
	if (copy == NULL)
		return false;
	grown[imp->problem_count].line = line;
	grown[imp->problem_count].text = copy;
	imp->problem_count++;
	return true;
}

/* Sorts the problems by line, those of one line in the order found. */
static void sort_problems(struct events_import *imp)
{
	/* insertion sort: stable, and the lists are short */
	for (size_t i = 1; i < imp->problem_count; i++) {
		struct kpi_message m = imp->problems[i];
		size_t j = i;
		for (; j > 0 && imp->problems[j - 1].line > m.line; j--)
			imp->problems[j] = imp->problems[j - 1];
		imp->problems[j] = m;
	}
}

/* The agent of the list with this id (the mapping found it there). */
static const struct store_agent *agent_of(const struct store_agent_list *list,
                                          int64_t id)
{
	for (size_t i = 0; i < list->count; i++)
		if (list->agents[i].id == id)
			return &list->agents[i];
	return NULL;
}

/* Checks each entry read by the rules of `kpidesk log` (the same
 * functions), in the write transaction; the refused ones become problems.
 * Fills batch[] with the entries as they will be stored. False on a
 * failure (the store's, or memory) with *why filled. */
static bool check_entries(struct app *app, const struct store_agent_list *list,
                          struct events_import *imp,
                          struct store_event_new *batch,
                          struct app_refusal *why)
{
	for (size_t i = 0; i < imp->entry_count; i++) {
		const struct events_import_entry *e = &imp->entries[i];
		const struct store_agent *agent = agent_of(list, e->agent_id);
		const struct rb_category *cat = NULL;
		const char *note = NULL;
		struct app_refusal day_rule, rule;
		/* Both groups of rules, so a row names all that is wrong: the
		 * day (with the closed month), then the entry's fields. */
		bool day_ok = agent == NULL ||
		              app_entry_day(app, agent, e->date, &day_rule);
		bool ok = app_entry_fields(app->rb, e->category, e->quantity,
		                           e->quantity_given, e->note, &cat,
		                           &note, &rule);

		if (!day_ok && day_rule.code == APP_FAILED) {
			*why = day_rule;
			return false;
		}
		if ((!day_ok && !add_problem(imp, e->line, &day_rule)) ||
		    (!ok && !add_problem(imp, e->line, &rule)))
			return nomem(why);
		if (!day_ok || !ok)
			continue;
		batch[i].agent_id = e->agent_id;
		batch[i].date = e->date;
		batch[i].category = cat->key;
		batch[i].quantity = e->quantity;
		batch[i].note = note;
	}
	return true;
}

/* The import's first and last dates. */
static void date_span(const struct events_import *imp, kd_date *first,
                      kd_date *last)
{
	*first = *last = imp->entries[0].date;
	for (size_t i = 1; i < imp->entry_count; i++) {
		if (imp->entries[i].date < *first)
			*first = imp->entries[i].date;
		if (imp->entries[i].date > *last)
			*last = imp->entries[i].date;
	}
}

bool app_events_import(struct app *app, const char *bytes, size_t len,
                       const char *sheet, const char *path, const char *source,
                       bool again, struct app_events_import *out,
                       struct app_refusal *why)
{
	struct import_table table = {0};
	struct store_agent_list list = {0};
	struct score_agent *agents = NULL;
	struct store_event_new *batch = NULL;
	size_t refused = 0, read_problems;
	enum kd_status status;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	status = import_table_read(bytes, len, sheet, &table);
	out->sheet_count = table.sheet_count;
	if (table.sheet != NULL && (out->sheet = strdup(table.sheet)) == NULL)
		status = KD_ERR_NOMEM;
	if (status == KD_ERR_INPUT) {
		/* the file's own problems, in the import's list */
		out->imp.encoding = table.encoding;
		if (table_problems(&table, &out->imp.problems,
		                   &out->imp.problem_count) == KD_OK)
			problems(path, out->imp.problem_count, why);
		else
			nomem(why);
		goto done;
	}
	if (status != KD_OK) {
		nomem(why);
		goto done;
	}

	status = store_agent_list(app->st, true, clock_today(), &list);
	if (status != KD_OK) {
		failed(app, status, why);
		goto done;
	}
	agents = score_agents(&list);
	if (agents == NULL) {
		nomem(why);
		goto done;
	}
	status = events_import_map(&table, agents, list.count, &out->imp);
	if (status != KD_OK && status != KD_ERR_INPUT) {
		failed(app, status, why);
		goto done;
	}
	read_problems = out->imp.problem_count;
	batch = calloc(out->imp.entry_count + 1, sizeof(*batch));
	if (batch == NULL) {
		nomem(why);
		goto done;
	}

	/* The rules are checked, and the entries written, in one
	 * transaction: a month closed meanwhile by another desk is refused. */
	if (!app_begin(app, why))
		goto done;
	if (!check_entries(app, &list, &out->imp, batch, why)) {
		app_rollback(app);
		goto drop;
	}
	if (out->imp.problem_count > 0) {
		/* every problem, the file's and the rules', by line */
		app_rollback(app);
		if (out->imp.problem_count > read_problems)
			sort_problems(&out->imp);
		problems(path, out->imp.problem_count, why);
		goto drop;
	}
	if (!again) {
		kd_date first, last;
		char *at = NULL;

		date_span(&out->imp, &first, &last);
		status = store_events_import_seen(
		    app->st, source, out->imp.entry_count, first, last, &at);
		if (status != KD_OK) {
			failed(app, status, why);
			app_rollback(app);
			goto drop;
		}
		if (at != NULL) {
			app_refuse(why, APP_IMPORT_TWICE);
			app_copy(why->path, sizeof(why->path), path);
			app_copy(why->detail, sizeof(why->detail), at);
			free(at);
			app_rollback(app);
			goto drop;
		}
	}
	status = store_events_import(app->st, out->imp.entry_count, batch,
	                             source, &refused);
	if (status != KD_OK) {
		failed(app, status, why);
		app_rollback(app);
		goto drop;
	}
	ok = app_commit(app, why);
	if (ok)
		goto done;
drop:
	/* nothing was imported: the entries read are not the outcome */
	for (size_t i = 0; i < out->imp.entry_count; i++) {
		free(out->imp.entries[i].category);
		free(out->imp.entries[i].note);
	}
	out->imp.entry_count = 0;
done:
	free(batch);
	free(agents);
	store_agent_list_finish(&list);
	import_table_finish(&table);
	return ok;
}
