/* The SQLite store: Agents and their tiers.
 *
 * The contract is include/kpidesk/store.h; shared helpers are in
 * store_internal.h.
 */
#include "kpidesk/store.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store_internal.h"
#include "store_sql.h"

/* ---- agents ---- */

void store_agent_finish(struct store_agent *agent)
{
	if (!agent)
		return;
	free(agent->name);
	free(agent->handle);
	free(agent->role);
	for (size_t i = 0; i < agent->tier_count; i++)
		free(agent->tiers[i].tier_key);
	free(agent->tiers);
	memset(agent, 0, sizeof(*agent));
}

void store_agent_list_finish(struct store_agent_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++)
		store_agent_finish(&list->agents[i]);
	free(list->agents);
	list->agents = NULL;
	list->count = 0;
}

/* Makes room for one more item in a growing array. */
bool sq_grow(void **items, size_t *capacity, size_t count, size_t size)
{
	size_t wanted;
	void *bigger;

	if (count < *capacity)
		return true;
	wanted = *capacity ? *capacity * 2 : 16;
	if (wanted > SIZE_MAX / size)
		return false;
	bigger = realloc(*items, wanted * size);
	if (!bigger)
		return false;
	*items = bigger;
	*capacity = wanted;
	return true;
}

#define AGENT_SELECT                                                           \
	"SELECT id, name, handle, role, hired_on, left_on FROM agents "

static enum kd_status agent_from_row(struct store *st, sqlite3_stmt *stmt,
                                     struct store_agent *agent)
{
	enum kd_status status;

	memset(agent, 0, sizeof(*agent));
	agent->id = sqlite3_column_int64(stmt, 0);
	agent->left = KD_DATE_NONE;
	if (!sq_column_dup(stmt, 1, &agent->name) ||
	    !sq_column_dup(stmt, 2, &agent->handle) ||
	    !sq_column_dup(stmt, 3, &agent->role))
		return sq_no_memory(st);
	status = sq_column_date(st, stmt, 4, &agent->hired);
	if (status == KD_OK && sqlite3_column_type(stmt, 5) != SQLITE_NULL)
		status = sq_column_date(st, stmt, 5, &agent->left);
	return status;
}

/* Adds one tier span to an agent. */
static enum kd_status agent_add_span(struct store *st,
                                     struct store_agent *agent,
                                     sqlite3_stmt *stmt, int since_col,
                                     size_t *capacity)
{
	struct store_tier_span *span;
	enum kd_status status;

	if (!sq_grow((void **)&agent->tiers, capacity, agent->tier_count,
	             sizeof(*agent->tiers)))
		return sq_no_memory(st);
	span = &agent->tiers[agent->tier_count];
	memset(span, 0, sizeof(*span));
	status = sq_column_month(st, stmt, since_col, &span->since);
	if (status != KD_OK)
		return status;
	if (!sq_column_dup(stmt, since_col + 1, &span->tier_key) ||
	    !span->tier_key)
		return sq_no_memory(st);
	agent->tier_count++;
	return KD_OK;
}

/* Agents matching `where` (SQL after AGENT_SELECT, ordered by id), with
 * their tier spans read in one pass over tiers. */
enum kd_status sq_agent_list_where(struct store *st, const char *where,
                                   const struct arg *args, size_t n,
                                   struct store_agent_list *out)
{
	char sql[512];
	sqlite3_stmt *stmt = NULL;
	size_t capacity = 0;
	size_t *tier_caps = NULL;
	size_t next = 0;
	bool began = false;
	bool row = true;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	snprintf(sql, sizeof(sql), "%s%s ORDER BY id", AGENT_SELECT, where);
	status = sq_read_begin(st, &began);
	if (status == KD_OK)
		status = sq_prepare(st, sql, args, n, &stmt);
	while (status == KD_OK) {
		status = sq_step(st, stmt, &row);
		if (status != KD_OK || !row)
			break;
		if (!sq_grow((void **)&out->agents, &capacity, out->count,
		             sizeof(*out->agents))) {
			status = sq_no_memory(st);
			break;
		}
		status = agent_from_row(st, stmt, &out->agents[out->count]);
		out->count++;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (status != KD_OK || out->count == 0)
		goto done;

	tier_caps = calloc(out->count, sizeof(*tier_caps));
	if (!tier_caps) {
		status = sq_no_memory(st);
		goto done;
	}
	/* The tiers table is small (one row per promotion); reading it whole
	 * in key order and merging beats one query per agent. */
	status = sq_prepare(st,
	                    "SELECT agent_id, since, tier FROM tiers "
	                    "ORDER BY agent_id, since",
	                    NULL, 0, &stmt);
	row = true;
	while (status == KD_OK) {
		int64_t agent_id;

		status = sq_step(st, stmt, &row);
		if (status != KD_OK || !row)
			break;
		agent_id = sqlite3_column_int64(stmt, 0);
		while (next < out->count && out->agents[next].id < agent_id)
			next++;
		if (next == out->count)
			break;
		if (out->agents[next].id != agent_id)
			continue;
		status = agent_add_span(st, &out->agents[next], stmt, 1,
		                        &tier_caps[next]);
	}
	sqlite3_finalize(stmt);
done:
	free(tier_caps);
	status = sq_read_end(st, began, status);
	if (status != KD_OK)
		store_agent_list_finish(out);
	return status;
}

enum kd_status store_agent_get(struct store *st, int64_t id,
                               struct store_agent *out)
{
	struct store_agent_list list;
	const struct arg args[] = {sq_arg_int(id)};
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	status = sq_agent_list_where(st, "WHERE id = ?1", args, COUNT_OF(args),
	                             &list);
	if (status != KD_OK)
		return status;
	if (list.count == 0) {
		store_agent_list_finish(&list);
		return sq_fail(st, KD_ERR_NOT_FOUND,
		               "no agent with id %" PRId64, id);
	}
	*out = list.agents[0];
	free(list.agents);
	return KD_OK;
}

enum kd_status store_agent_list(struct store *st, bool include_left,
                                kd_date today, struct store_agent_list *out)
{
	char day[16];
	const struct arg args[] = {sq_arg_text(day)};

	memset(out, 0, sizeof(*out));
	if (include_left)
		return sq_agent_list_where(st, "", NULL, 0, out);
	if (!sq_date_text(today, day, sizeof(day)))
		return sq_bad_date(st, "today");
	return sq_agent_list_where(st, "WHERE left_on IS NULL OR left_on > ?1",
	                           args, COUNT_OF(args), out);
}

/* All-digit references are ids; so are longer ones only up to int64. */
static bool ref_as_id(const char *ref, int64_t *id)
{
	size_t len = strlen(ref);
	int64_t value = 0;

	if (len == 0 || len > 18)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (ref[i] < '0' || ref[i] > '9')
			return false;
		value = value * 10 + (ref[i] - '0');
	}
	*id = value;
	return true;
}

/* Ids of the agents whose `column` equals ref (at most `max`). */
static enum kd_status agent_ids_by(struct store *st, const char *sql,
                                   const char *ref, int64_t *ids, size_t max,
                                   size_t *count)
{
	sqlite3_stmt *stmt = NULL;
	const struct arg args[] = {sq_arg_text(ref)};
	enum kd_status status =
	    sq_prepare(st, sql, args, COUNT_OF(args), &stmt);
	bool row = true;

	*count = 0;
	while (status == KD_OK) {
		status = sq_step(st, stmt, &row);
		if (status != KD_OK || !row)
			break;
		if (*count < max)
			ids[*count] = sqlite3_column_int64(stmt, 0);
		(*count)++;
	}
	sqlite3_finalize(stmt);
	return status;
}

static enum kd_status ambiguous(struct store *st, const char *what,
                                const char *ref, const int64_t *ids,
                                size_t shown, size_t count)
{
	char list[128] = "";
	size_t used = 0;

	for (size_t i = 0; i < shown && used < sizeof(list); i++) {
		int len = snprintf(list + used, sizeof(list) - used,
		                   "%s%" PRId64, i ? ", " : "", ids[i]);
		if (len < 0)
			break;
		used += (size_t)len;
	}
	return sq_fail(st, KD_ERR_CONFLICT,
	               "%zu agents have the %s '%s' (ids %s%s): use the id",
	               count, what, ref, list, count > shown ? ", ..." : "");
}

/* Id first; then the exact name; then the handle. A name therefore wins
 * over another agent's equal handle, and an all-digit reference that is no
 * id may still be a name or a handle ("007"). */
enum kd_status store_agent_find(struct store *st, const char *ref,
                                struct store_agent *out)
{
	int64_t ids[8];
	size_t count = 0;
	int64_t id;
	bool began = false;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	if (!ref || !ref[0])
		return sq_fail(st, KD_ERR_INPUT, "no agent given");
	status = sq_read_begin(st, &began);
	if (status != KD_OK)
		return status;
	if (ref_as_id(ref, &id)) {
		status = store_agent_get(st, id, out);
		if (status != KD_ERR_NOT_FOUND)
			goto done;
	}
	status = agent_ids_by(st,
	                      "SELECT id FROM agents WHERE name = ?1 "
	                      "ORDER BY id",
	                      ref, ids, COUNT_OF(ids), &count);
	if (status == KD_OK && count == 0)
		status = agent_ids_by(st,
		                      "SELECT id FROM agents WHERE handle = ?1 "
		                      "ORDER BY id",
		                      ref, ids, COUNT_OF(ids), &count);
	if (status != KD_OK)
		goto done;
	if (count == 0)
		status =
		    sq_fail(st, KD_ERR_NOT_FOUND,
		            "no agent with the id, name or handle '%s'", ref);
	else if (count > 1)
		status = ambiguous(
		    st, "name", ref, ids,
		    count < COUNT_OF(ids) ? count : COUNT_OF(ids), count);
	else
		status = store_agent_get(st, ids[0], out);
done:
	return sq_read_end(st, began, status);
}

/* The agent as JSON for the audit log, tiers included; NULL when absent. */
static enum kd_status agent_json(struct store *st, int64_t id, char **out)
{
	const struct arg args[] = {sq_arg_int(id)};

	return sq_query_text(
	    st,
	    "SELECT json_object('name', a.name, 'handle', a.handle, "
	    "'role', a.role, 'hired', a.hired_on, 'left', a.left_on, "
	    "'tiers', json((SELECT json_group_array(json_object("
	    "'since', t.since, 'tier', t.tier)) FROM (SELECT since, tier "
	    "FROM tiers WHERE agent_id = a.id ORDER BY since) AS t))) "
	    "FROM agents AS a WHERE a.id = ?1",
	    args, COUNT_OF(args), out);
}

/* Sets the agent's tier from `since` on, unless that tier is already the
 * one in force then (a repeated edit changes nothing). */
static enum kd_status set_tier(struct store *st, int64_t agent_id,
                               const char *tier_key, const char *since)
{
	const struct arg find[] = {sq_arg_int(agent_id), sq_arg_text(since)};
	const struct arg args[] = {sq_arg_int(agent_id), sq_arg_text(since),
	                           sq_arg_text(tier_key), sq_arg_text(st->now)};
	char *current = NULL;
	enum kd_status status;

	status = sq_query_text(st,
	                       "SELECT tier FROM tiers WHERE agent_id = ?1 AND "
	                       "since <= ?2 ORDER BY since DESC LIMIT 1",
	                       find, COUNT_OF(find), &current);
	if (status != KD_OK)
		return status;
	if (current && strcmp(current, tier_key) == 0) {
		free(current);
		return KD_OK;
	}
	free(current);
	return sq_exec(st,
	               "INSERT INTO tiers (agent_id, since, tier, set_at) "
	               "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (agent_id, since) "
	               "DO UPDATE SET tier = excluded.tier, "
	               "set_at = excluded.set_at",
	               args, COUNT_OF(args));
}

static bool role_ok(const char *role)
{
	return strcmp(role, "presales") == 0 || strcmp(role, "aftersales") == 0;
}

enum kd_status store_agent_add(struct store *st, const char *name,
                               const char *handle, const char *role,
                               kd_date hired, const char *tier_key,
                               kd_month tier_since, int64_t *id_out)
{
	char hired_text[16], since_text[16], subject[32];
	char *json = NULL;
	int64_t id = 0;
	enum kd_status status;

	if (handle && !handle[0])
		handle = NULL;
	if (!role)
		role = "presales";
	if (!name || !name[0])
		return sq_fail(st, KD_ERR_INPUT, "an agent needs a name");
	if (!role_ok(role))
		return sq_fail(st, KD_ERR_INPUT,
		               "role '%s' is neither presales nor aftersales",
		               role);
	if (!sq_date_text(hired, hired_text, sizeof(hired_text)))
		return sq_bad_date(st, "the hire date");
	if (tier_key && !tier_key[0])
		return sq_fail(st, KD_ERR_INPUT, "the tier is empty");
	if (tier_key &&
	    !sq_month_text(tier_since, since_text, sizeof(since_text)))
		return sq_bad_month(st, "the tier's first month");

	status = sq_tx_begin(st);
	if (status != KD_OK)
		return status;
	/* A handle another agent has is the app's rule (app_agent_add);
	 * the unique index keeps the table whole. */
	{
		const struct arg args[] = {
		    sq_arg_text(name), sq_arg_text(handle), sq_arg_text(role),
		    sq_arg_text(hired_text), sq_arg_text(st->now)};

		status = sq_exec(st,
		                 "INSERT INTO agents (name, handle, role, "
		                 "hired_on, created_at) "
		                 "VALUES (?1, ?2, ?3, ?4, ?5)",
		                 args, COUNT_OF(args));
	}
	if (status != KD_OK)
		goto done;
	id = sqlite3_last_insert_rowid(st->db);
	if (tier_key) {
		status = set_tier(st, id, tier_key, since_text);
		if (status != KD_OK)
			goto done;
	}
	status = agent_json(st, id, &json);
	if (status == KD_OK) {
		const struct arg args[] = {sq_arg_text(json)};

		snprintf(subject, sizeof(subject), "agent:%" PRId64, id);
		status = sq_audit_add(st, "agent.add", subject,
		                      "json_object('new', json(?1))", args,
		                      COUNT_OF(args));
	}
done:
	free(json);
	status = sq_tx_end(st, status);
	if (status == KD_OK && id_out)
		*id_out = id;
	return status;
}

/* What an edit needs validated before the transaction. */
static enum kd_status check_edit(struct store *st,
                                 const struct store_agent_edit *edit,
                                 char *hired, char *left, char *since,
                                 size_t size)
{
	if (edit->name && !edit->name[0])
		return sq_fail(st, KD_ERR_INPUT, "an agent needs a name");
	if (edit->set_hired && !sq_date_text(edit->hired, hired, size))
		return sq_bad_date(st, "the hire date");
	if (edit->set_left && edit->left != KD_DATE_NONE &&
	    !sq_date_text(edit->left, left, size))
		return sq_bad_date(st, "the leave date");
	if (edit->tier_key && !edit->tier_key[0])
		return sq_fail(st, KD_ERR_INPUT, "the tier is empty");
	if (edit->tier_key && !sq_month_text(edit->tier_since, since, size))
		return sq_bad_month(st, "the tier's first month");
	return KD_OK;
}

enum kd_status store_agent_update(struct store *st, int64_t id,
                                  const struct store_agent_edit *edit)
{
	char hired[16] = "", left[16] = "", since[16] = "", subject[32];
	const char *handle = NULL;
	char *before = NULL, *after = NULL;
	enum kd_status status;

	status = check_edit(st, edit, hired, left, since, sizeof(hired));
	if (status != KD_OK)
		return status;
	if (edit->set_handle && edit->handle && edit->handle[0])
		handle = edit->handle;

	status = sq_tx_begin(st);
	if (status != KD_OK)
		return status;
	status = agent_json(st, id, &before);
	if (status != KD_OK)
		goto done;
	if (!before) {
		status = sq_fail(st, KD_ERR_NOT_FOUND,
		                 "no agent with id %" PRId64, id);
		goto done;
	}
	/* A leave date before the hire date and a handle another agent has
	 * are the app's rules (app_agent_edit); the schema's CHECK and unique
	 * index keep the rows whole. */
	{
		const struct arg args[] = {
		    sq_arg_int(id),
		    sq_arg_text(edit->name),
		    sq_arg_int(edit->set_handle),
		    sq_arg_text(handle),
		    sq_arg_int(edit->set_hired),
		    sq_arg_text(hired),
		    sq_arg_int(edit->set_left),
		    edit->set_left && edit->left != KD_DATE_NONE
		        ? sq_arg_text(left)
		        : sq_arg_null(),
		};

		status =
		    sq_exec(st,
		            "UPDATE agents SET name = coalesce(?2, name), "
		            "handle = CASE WHEN ?3 THEN ?4 ELSE handle END, "
		            "hired_on = CASE WHEN ?5 THEN ?6 "
		            "ELSE hired_on END, "
		            "left_on = CASE WHEN ?7 THEN ?8 ELSE left_on END "
		            "WHERE id = ?1",
		            args, COUNT_OF(args));
	}
	if (status == KD_OK && edit->tier_key)
		status = set_tier(st, id, edit->tier_key, since);
	if (status == KD_OK)
		status = agent_json(st, id, &after);
	if (status != KD_OK || !after || strcmp(before, after) == 0)
		goto done; /* nothing changed: nothing to log */
	{
		const struct arg args[] = {sq_arg_text(before),
		                           sq_arg_text(after)};

		snprintf(subject, sizeof(subject), "agent:%" PRId64, id);
		status = sq_audit_add(st, "agent.update", subject,
		                      "json_object('old', json(?1), "
		                      "'new', json(?2))",
		                      args, COUNT_OF(args));
	}
done:
	free(before);
	free(after);
	return sq_tx_end(st, status);
}
