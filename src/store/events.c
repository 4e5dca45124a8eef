/* The SQLite store: Events: logging, voiding, reading.
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

/* ---- events ---- */

/* A read event's strings share one block, which agent_name (never NULL:
 * agents.name is NOT NULL) begins; appeal points to a constant. */
void store_event_finish(struct store_event *event)
{
	if (!event)
		return;
	free(event->agent_name);
	memset(event, 0, sizeof(*event));
}

void store_event_list_finish(struct store_event_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++)
		store_event_finish(&list->events[i]);
	free(list->events);
	list->events = NULL;
	list->count = 0;
}

/* The text columns of STORE_SQL_EVENT_SELECT, in the order their strings
 * take in an event's block (the agent's name first). */
static const int event_text_columns[] = {2, 4, 6, 7, 8, 9, 10};
#define EVENT_TEXTS (sizeof(event_text_columns) / sizeof(event_text_columns[0]))

/* A row of STORE_SQL_EVENT_SELECT. *day_text and *day keep the last date
 * parsed: a range's rows come by date, so most rows repeat it. */
static enum kd_status event_from_row(struct store *st, sqlite3_stmt *stmt,
                                     struct store_event *event, char *day_text,
                                     size_t day_size, kd_date *day)
{
	const char *text[EVENT_TEXTS];
	size_t len[EVENT_TEXTS], total = 0;
	char **field[EVENT_TEXTS] = {
	    &event->agent_name, &event->category,  &event->note,
	    &event->created_at, &event->voided_at, &event->void_reason,
	    &event->actor,
	};

	memset(event, 0, sizeof(*event));
	event->id = sqlite3_column_int64(stmt, 0);
	event->agent_id = sqlite3_column_int64(stmt, 1);
	event->quantity = (int32_t)sqlite3_column_int64(stmt, 5);

	const char *date = (const char *)sqlite3_column_text(stmt, 3);
	if (date && strcmp(date, day_text) == 0) {
		event->date = *day;
	} else {
		enum kd_status status =
		    sq_column_date(st, stmt, 3, &event->date);
		if (status != KD_OK)
			return status;
		snprintf(day_text, day_size, "%s", date);
		*day = event->date;
	}

	/* Each column call takes the connection's mutex: one call a column,
	 * and a NULL told from a failed conversion by the connection's error
	 * (SQLITE_NOMEM only after a failed allocation). */
	for (size_t i = 0; i < EVENT_TEXTS; i++) {
		text[i] = (const char *)sqlite3_column_text(
		    stmt, event_text_columns[i]);
		if (text[i] == NULL && sqlite3_errcode(st->db) == SQLITE_NOMEM)
			return sq_no_memory(st);
		if (text[i] == NULL && i == 0)
			text[i] = ""; /* agents.name is NOT NULL */
		len[i] = text[i] ? strlen(text[i]) : 0;
		if (text[i])
			total += len[i] + 1;
	}
	event->voided = text[4] != NULL; /* voided_at */
	char *block = malloc(total);
	if (!block)
		return sq_no_memory(st);
	for (size_t i = 0; i < EVENT_TEXTS; i++) {
		if (!text[i])
			continue;
		memcpy(block, text[i], len[i]);
		block[len[i]] = '\0';
		*field[i] = block;
		block += len[i] + 1;
	}
	return KD_OK;
}

/* Reads every row of a prepared event query into out. */
static enum kd_status event_rows(struct store *st, sqlite3_stmt *stmt,
                                 struct store_event_list *out)
{
	size_t capacity = 0;
	enum kd_status status = KD_OK;
	bool row = true;
	char day_text[16] = "";
	kd_date day = 0;

	while (status == KD_OK) {
		status = sq_step(st, stmt, &row);
		if (status != KD_OK || !row)
			break;
		if (!sq_grow((void **)&out->events, &capacity, out->count,
		             sizeof(*out->events))) {
			status = sq_no_memory(st);
			break;
		}
		status = event_from_row(st, stmt, &out->events[out->count],
		                        day_text, sizeof(day_text), &day);
		if (status == KD_OK)
			out->count++;
	}
	return status;
}

/* The appeal states the schema allows, shared by every event read. */
static char appeal_open[] = "open";
static char appeal_upheld[] = "upheld";
static char appeal_voided[] = "voided";

/* The event of list (by date, then id) with this date and id, or NULL. */
static struct store_event *event_find(struct store_event_list *list,
                                      kd_date date, int64_t id)
{
	size_t lo = 0, hi = list->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct store_event *e = &list->events[mid];

		if (e->date < date || (e->date == date && e->id < id))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < list->count && list->events[lo].date == date &&
	    list->events[lo].id == id)
		return &list->events[lo];
	return NULL;
}

/* Gives each event of list its latest appeal's state: the rows of the
 * prepared appeal query (date, event id, state), by appeal id, so a later
 * appeal of the same event overwrites an earlier one. */
static enum kd_status event_appeals(struct store *st, sqlite3_stmt *stmt,
                                    struct store_event_list *list)
{
	enum kd_status status = KD_OK;
	bool row = true;

	while (status == KD_OK) {
		kd_date date;
		struct store_event *e;
		const char *state;

		status = sq_step(st, stmt, &row);
		if (status != KD_OK || !row)
			break;
		status = sq_column_date(st, stmt, 0, &date);
		if (status != KD_OK)
			break;
		e = event_find(list, date, sqlite3_column_int64(stmt, 1));
		if (!e)
			continue; /* an event the list leaves out */
		state = (const char *)sqlite3_column_text(stmt, 2);
		if (state && strcmp(state, appeal_open) == 0)
			e->appeal = appeal_open;
		else if (state && strcmp(state, appeal_upheld) == 0)
			e->appeal = appeal_upheld;
		else if (state && strcmp(state, appeal_voided) == 0)
			e->appeal = appeal_voided;
		else
			status = sq_fail(st, KD_ERR_DB,
			                 "unknown appeal state '%s' in %s",
			                 state ? state : "NULL", st->path);
	}
	return status;
}

/* Runs the event query and then its appeal query in one read snapshot;
 * the appeal query takes the first appeal_nargs of args. */
static enum kd_status events_read(struct store *st, const char *events_sql,
                                  const char *appeals_sql,
                                  const struct arg *args, size_t nargs,
                                  size_t appeal_nargs,
                                  struct store_event_list *out)
{
	sqlite3_stmt *stmt = NULL;
	bool began = false;
	enum kd_status status = sq_read_begin(st, &began);

	if (status == KD_OK)
		status = sq_prepare(st, events_sql, args, nargs, &stmt);
	if (status == KD_OK)
		status = event_rows(st, stmt, out);
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (status == KD_OK && out->count > 0)
		status = sq_prepare(st, appeals_sql, args, appeal_nargs, &stmt);
	if (status == KD_OK && out->count > 0)
		status = event_appeals(st, stmt, out);
	sqlite3_finalize(stmt);
	status = sq_read_end(st, began, status);
	if (status != KD_OK)
		store_event_list_finish(out);
	return status;
}

enum kd_status store_event_get(struct store *st, int64_t event_id,
                               struct store_event *out)
{
	struct store_event_list list = {0};
	const struct arg args[] = {sq_arg_int(event_id)};
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	status = events_read(st, STORE_SQL_EVENT_SELECT "WHERE e.id = ?1",
	                     STORE_SQL_EVENT_APPEALS, args, COUNT_OF(args),
	                     COUNT_OF(args), &list);
	if (status == KD_OK && list.count == 0)
		status = sq_fail(st, KD_ERR_NOT_FOUND,
		                 "no event with id %" PRId64, event_id);
	if (status != KD_OK) {
		store_event_list_finish(&list);
		return status;
	}
	*out = list.events[0];
	free(list.events);
	return KD_OK;
}

enum kd_status store_events_between(struct store *st, kd_date from, kd_date to,
                                    int64_t agent_id, bool include_voided,
                                    struct store_event_list *out)
{
	char first[16], last[16];
	const struct arg args[] = {sq_arg_text(first), sq_arg_text(last),
	                           sq_arg_int(include_voided),
	                           sq_arg_int(agent_id)};

	memset(out, 0, sizeof(*out));
	if (!sq_date_text(from, first, sizeof(first)))
		return sq_bad_date(st, "the first date");
	if (!sq_date_text(to, last, sizeof(last)))
		return sq_bad_date(st, "the last date");
	if (agent_id)
		return events_read(st, STORE_SQL_EVENTS_RANGE_AGENT,
		                   STORE_SQL_EVENTS_RANGE_APPEALS, args, 4, 2,
		                   out);
	return events_read(st, STORE_SQL_EVENTS_RANGE,
	                   STORE_SQL_EVENTS_RANGE_APPEALS, args, 3, 2, out);
}

enum kd_status store_earliest_record_month(struct store *st, bool *found,
                                           kd_month *month)
{
	char *text = NULL;
	enum kd_status status =
	    sq_query_text(st, STORE_SQL_EARLIEST_EVENT, NULL, 0, &text);
	kd_date date;

	*found = false;
	if (status != KD_OK)
		return status;
	if (text && date_parse(text, &date)) {
		*month = date_month(date);
		*found = true;
	} else if (text) {
		status = sq_fail(st, KD_ERR_DB, "malformed date '%s' in %s",
		                 text, st->path);
	}
	free(text);
	text = NULL;
	/* min(month) reads the first entry of the metrics_month index */
	if (status == KD_OK)
		status = sq_query_text(st, "SELECT min(month) FROM metrics",
		                       NULL, 0, &text);
	kd_month metrics_month;
	if (status == KD_OK && text && month_parse(text, &metrics_month) &&
	    (!*found || metrics_month < *month)) {
		*month = metrics_month;
		*found = true;
	}
	free(text);
	return status;
}

/* The rules of an entry (the day not after today, within the agent's
 * employment, in an open month; the category known; the quantity; whether
 * it can be voided) are the application layer's, checked in the
 * transaction it writes in (src/app/entry.c); the store keeps only what
 * the schema guarantees (CHECKs, the foreign key, the triggers). */

enum kd_status store_event_add(struct store *st, int64_t agent_id, kd_date date,
                               const char *category, int32_t quantity,
                               const char *note, int64_t *id_out)
{
	char day[16], subject[32];
	int64_t id = 0;
	enum kd_status status;

	if (note && !note[0])
		note = NULL;
	if (!sq_date_text(date, day, sizeof(day)))
		return sq_bad_date(st, "the event's date");

	status = sq_tx_begin(st);
	if (status == KD_OK) {
		const struct arg args[] = {
		    sq_arg_int(agent_id),   sq_arg_text(day),
		    sq_arg_text(category),  sq_arg_int(quantity),
		    sq_arg_text(note),      sq_arg_text(st->now),
		    sq_arg_text(st->actor),
		};

		status =
		    sq_exec(st,
		            "INSERT INTO events (agent_id, date, category, "
		            "quantity, note, created_at, actor) "
		            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		            args, COUNT_OF(args));
	}
	if (status == KD_OK) {
		const struct arg args[] = {
		    sq_arg_int(agent_id),  sq_arg_text(day),
		    sq_arg_text(category), sq_arg_int(quantity),
		    sq_arg_text(note),
		};

		id = sqlite3_last_insert_rowid(st->db);
		snprintf(subject, sizeof(subject), "event:%" PRId64, id);
		status = sq_audit_add(st, "event.add", subject,
		                      "json_object('agent_id', ?1, 'date', ?2, "
		                      "'category', ?3, 'quantity', ?4, "
		                      "'note', ?5)",
		                      args, COUNT_OF(args));
	}
	status = sq_tx_end(st, status);
	if (status == KD_OK && id_out)
		*id_out = id;
	return status;
}

enum kd_status store_events_import(struct store *st, size_t count,
                                   const struct store_event_new *events,
                                   const char *source, size_t *refused)
{
	char day[16], first[16] = "", last[16] = "";
	enum kd_status status;
	size_t i = 0;

	if (refused)
		*refused = 0;
	status = sq_tx_begin(st);
	if (status != KD_OK)
		return status;
	for (; status == KD_OK && i < count; i++) {
		const struct store_event_new *e = &events[i];
		const char *note = e->note && e->note[0] ? e->note : NULL;

		if (!sq_date_text(e->date, day, sizeof(day))) {
			status = sq_bad_date(st, "the event's date");
			break;
		}
		{
			const struct arg args[] = {
			    sq_arg_int(e->agent_id),  sq_arg_text(day),
			    sq_arg_text(e->category), sq_arg_int(e->quantity),
			    sq_arg_text(note),        sq_arg_text(st->now),
			    sq_arg_text(st->actor),
			};

			status =
			    sq_exec(st,
			            "INSERT INTO events (agent_id, date, "
			            "category, quantity, note, created_at, "
			            "actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
			            "?7)",
			            args, COUNT_OF(args));
		}
		if (status != KD_OK)
			break;
		if (first[0] == '\0' || strcmp(day, first) < 0)
			snprintf(first, sizeof(first), "%s", day);
		if (strcmp(day, last) > 0)
			snprintf(last, sizeof(last), "%s", day);
	}
	if (status != KD_OK && refused)
		*refused = i;
	if (status == KD_OK) {
		const struct arg args[] = {
		    sq_arg_int((int64_t)count), sq_arg_text(first),
		    sq_arg_text(last), sq_arg_text(source)};

		status = sq_audit_add(st, "events.import", "events",
		                      "json_object('count', ?1, 'first', ?2, "
		                      "'last', ?3, 'source', ?4)",
		                      args, COUNT_OF(args));
	}
	return sq_tx_end(st, status);
}

enum kd_status store_events_import_seen(struct store *st, const char *source,
                                        size_t count, kd_date first,
                                        kd_date last, char **at)
{
	char a[16], b[16];
	const struct arg args[] = {sq_arg_text(source),
	                           sq_arg_int((int64_t)count), sq_arg_text(a),
	                           sq_arg_text(b)};

	*at = NULL;
	if (!sq_date_text(first, a, sizeof(a)) ||
	    !sq_date_text(last, b, sizeof(b)))
		return sq_bad_date(st, "the import's dates");
	return sq_query_text(st,
	                     "SELECT at FROM audit WHERE action = "
	                     "'events.import' AND "
	                     "json_extract(detail, '$.source') = ?1 AND "
	                     "json_extract(detail, '$.count') = ?2 AND "
	                     "json_extract(detail, '$.first') = ?3 AND "
	                     "json_extract(detail, '$.last') = ?4 "
	                     "ORDER BY id DESC LIMIT 1",
	                     args, COUNT_OF(args), at);
}

/* Voiding an event under appeal settles the appeal too: as voided, with
 * the same reason (PRODUCT.md "Appeals"). */
enum kd_status store_event_void(struct store *st, int64_t event_id,
                                const char *reason)
{
	const struct arg find[] = {sq_arg_int(event_id)};
	sqlite3_stmt *stmt = NULL;
	char subject[32];
	bool row = false;
	enum kd_status status;

	if (!reason || !reason[0])
		return sq_fail(st, KD_ERR_INPUT, "voiding needs a reason");
	status = sq_tx_begin(st);
	if (status != KD_OK)
		return status;
	status = sq_prepare(st, "SELECT 1 FROM events WHERE id = ?1", find,
	                    COUNT_OF(find), &stmt);
	if (status == KD_OK)
		status = sq_step(st, stmt, &row);
	if (status == KD_OK && !row)
		status = sq_fail(st, KD_ERR_NOT_FOUND,
		                 "no event with id %" PRId64, event_id);
	sqlite3_finalize(stmt);
	if (status == KD_OK) {
		const struct arg args[] = {
		    sq_arg_int(event_id), sq_arg_text(st->now),
		    sq_arg_text(reason), sq_arg_text(st->actor)};

		status = sq_exec(st,
		                 "UPDATE events SET voided_at = ?2, "
		                 "void_reason = ?3, voided_by = ?4 "
		                 "WHERE id = ?1",
		                 args, COUNT_OF(args));
	}
	if (status == KD_OK) {
		const struct arg args[] = {sq_arg_text(reason),
		                           sq_arg_int(event_id)};

		snprintf(subject, sizeof(subject), "event:%" PRId64, event_id);
		status = sq_audit_add(
		    st, "event.void", subject,
		    "(SELECT json_object('reason', ?1, 'agent_id', "
		    "agent_id, 'date', date, 'category', category, "
		    "'quantity', quantity) FROM events WHERE id = ?2)",
		    args, COUNT_OF(args));
	}
	if (status == KD_OK) {
		bool appealed = false;

		status =
		    sq_appeal_close(st, event_id, "voided", reason, &appealed);
	}
	return sq_tx_end(st, status);
}
