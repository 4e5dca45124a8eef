/* The SQLite store: The scoring engine's input for a month.
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

/* ---- scoring input ---- */

void store_score_bundle_finish(struct store_score_bundle *bundle)
{
	if (!bundle)
		return;
	store_agent_list_finish(&bundle->agents);
	free(bundle->score_agents);
	free(bundle->tier_spans);
	store_event_list_finish(&bundle->events);
	free(bundle->score_events);
	store_metrics_list_finish(&bundle->metrics);
	for (size_t i = 0; i < bundle->closed_count; i++)
		free(bundle->closed[i].snapshot);
	free(bundle->closed);
	free(bundle->history);
	free(bundle->tallies);
	memset(bundle, 0, sizeof(*bundle));
}

void store_event_to_score(const struct store_event *from,
                          struct score_event *to)
{
	to->id = from->id;
	to->agent_id = from->agent_id;
	to->date = from->date;
	to->category = from->category;
	to->quantity = from->quantity;
	to->voided = from->voided;
}

/* Points the score_* arrays into the bundle's own lists. */
static enum kd_status bundle_link(struct store *st,
                                  struct store_score_bundle *bundle)
{
	const struct store_agent_list *agents = &bundle->agents;
	const struct store_event_list *events = &bundle->events;
	size_t spans = 0, used = 0;

	for (size_t i = 0; i < agents->count; i++)
		spans += agents->agents[i].tier_count;
	if (agents->count) {
		bundle->score_agents =
		    calloc(agents->count, sizeof(*bundle->score_agents));
		if (!bundle->score_agents)
			return sq_no_memory(st);
	}
	if (spans) {
		bundle->tier_spans = calloc(spans, sizeof(*bundle->tier_spans));
		if (!bundle->tier_spans)
			return sq_no_memory(st);
	}
	if (events->count && !bundle->score_events) {
		bundle->score_events =
		    calloc(events->count, sizeof(*bundle->score_events));
		if (!bundle->score_events)
			return sq_no_memory(st);
	}
	for (size_t i = 0; i < agents->count; i++) {
		const struct store_agent *from = &agents->agents[i];
		struct score_agent *to = &bundle->score_agents[i];

		to->id = from->id;
		to->name = from->name;
		to->handle = from->handle;
		to->hired = from->hired;
		to->left = from->left;
		to->tier_count = from->tier_count;
		to->tiers = from->tier_count ? &bundle->tier_spans[used] : NULL;
		for (size_t k = 0; k < from->tier_count; k++, used++) {
			bundle->tier_spans[used].since = from->tiers[k].since;
			bundle->tier_spans[used].tier_key =
			    from->tiers[k].tier_key;
		}
	}
	for (size_t i = 0; i < events->count; i++)
		store_event_to_score(&events->events[i],
		                     &bundle->score_events[i]);
	return KD_OK;
}

/* The stored boards of the closed months among from..to, as text: the
 * store does not read them (kpidesk/snapshot.h's snapshot_history does). */
static enum kd_status closed_between(struct store *st, kd_month from,
                                     kd_month to,
                                     struct store_score_bundle *bundle)
{
	char first[16], last[16];
	const struct arg args[] = {sq_arg_text(first), sq_arg_text(last)};
	sqlite3_stmt *stmt = NULL;
	size_t capacity = 0;
	bool row = true;
	enum kd_status status;

	if (to < from)
		return KD_OK;
	if (!sq_month_text(from, first, sizeof(first)) ||
	    !sq_month_text(to, last, sizeof(last)))
		return sq_bad_month(st, "the look-back");
	status = sq_prepare(st,
	                    "SELECT month, snapshot FROM months "
	                    "WHERE state = 'closed' AND month BETWEEN ?1 "
	                    "AND ?2 ORDER BY month",
	                    args, COUNT_OF(args), &stmt);
	while (status == KD_OK) {
		struct store_closed_board *c;

		status = sq_step(st, stmt, &row);
		if (status != KD_OK || !row)
			break;
		if (!sq_grow((void **)&bundle->closed, &capacity,
		             bundle->closed_count, sizeof(*bundle->closed))) {
			status = sq_no_memory(st);
			break;
		}
		c = &bundle->closed[bundle->closed_count];
		memset(c, 0, sizeof(*c));
		status = sq_column_month(st, stmt, 0, &c->month);
		if (status == KD_OK && !sq_column_dup(stmt, 1, &c->snapshot))
			status = sq_no_memory(st);
		bundle->closed_count++;
	}
	sqlite3_finalize(stmt);
	return status;
}

/* Reads agents who can be on the board of any month in the window (hired by
 * its end, not left before its start: RULEBOOK.md section 7), the window's
 * events (voided included) and metrics, all in one snapshot. */
static enum kd_status load_tallies(struct store *st, kd_month first_month,
                                   kd_month month, const char *ordered,
                                   bool read_closed,
                                   struct store_score_bundle *bundle);

/* The window's input; its events as rows (ordered == NULL) or as tallies
 * with the categories of the JSON array `ordered` as rows. */
static enum kd_status load_window(struct store *st, kd_month month,
                                  int32_t lookback_months, const char *ordered,
                                  bool read_closed,
                                  struct store_score_bundle *bundle)
{
	char last_day[16], first_day[16];
	kd_month first_month = month - lookback_months;
	struct store_month month_row;
	bool began = false;
	enum kd_status status;

	memset(bundle, 0, sizeof(*bundle));
	if (lookback_months < 0)
		return sq_fail(st, KD_ERR_USAGE, "a negative look-back");
	if (!sq_month_text(month, last_day, sizeof(last_day)) ||
	    !sq_month_text(first_month, first_day, sizeof(first_day)))
		return sq_bad_month(st, "the month or its look-back");
	sq_date_text(month_last_day(month), last_day, sizeof(last_day));
	sq_date_text(month_first_day(first_month), first_day,
	             sizeof(first_day));

	status = sq_read_begin(st, &began);
	if (status == KD_OK) {
		const struct arg args[] = {sq_arg_text(last_day),
		                           sq_arg_text(first_day)};

		status =
		    sq_agent_list_where(st,
		                        "WHERE hired_on <= ?1 AND "
		                        "(left_on IS NULL OR left_on >= ?2)",
		                        args, COUNT_OF(args), &bundle->agents);
	}
	if (status == KD_OK && !ordered)
		status = store_events_between(st, month_first_day(first_month),
		                              month_last_day(month), 0, true,
		                              &bundle->events);
	if (status == KD_OK)
		status = store_metrics_between(st, first_month, month,
		                               &bundle->metrics);
	if (status == KD_OK)
		status = store_month_get(st, month, &month_row);
	if (status == KD_OK)
		status = store_earliest_record_month(
		    st, &bundle->input.has_earliest_month,
		    &bundle->input.earliest_month);
	if (status == KD_OK)
		status = closed_between(st, first_month, month - 1, bundle);
	if (status == KD_OK && ordered)
		status = load_tallies(st, first_month, month, ordered,
		                      read_closed, bundle);
	status = sq_read_end(st, began, status);
	if (status == KD_OK)
		status = bundle_link(st, bundle);
	if (status != KD_OK) {
		store_score_bundle_finish(bundle);
		return status;
	}

	bundle->input.month = month;
	bundle->input.agent_count = bundle->agents.count;
	bundle->input.agents = bundle->score_agents;
	if (!ordered) {
		bundle->input.event_count = bundle->events.count;
		bundle->input.events = bundle->score_events;
	}
	bundle->input.metrics_count = bundle->metrics.count;
	bundle->input.metrics = bundle->metrics.metrics;
	bundle->input.has_silent_sales = month_row.has_silent_sales;
	bundle->input.silent_sales_fen = month_row.silent_sales_fen;
	return KD_OK;
}

enum kd_status store_load_score_input(struct store *st, kd_month month,
                                      int32_t lookback_months,
                                      struct store_score_bundle *bundle)
{
	return load_window(st, month, lookback_months, NULL, true, bundle);
}

/* ---- the tally cache ----
 *
 * A month's tallies (and its order-dependent categories' events) are kept
 * once read, so the desk's next entry and the review's trend do not read a
 * month again. A cached month is dropped when the file changes under it:
 * another connection's commit changes PRAGMA data_version (everything is
 * dropped); this connection's own writes to events are seen by an update
 * hook, and the months of the rows it touched are dropped. */

#define TALLY_CACHE_MONTHS 16
#define TALLY_TOUCHED_MAX  64

struct tally_month {
	kd_month month;
	char *ordered; /* the JSON array it was read with */
	struct score_tally *tallies;
	size_t tally_count;
	struct score_event *events; /* order-dependent categories */
	size_t event_count;
	uint64_t used;
};

struct sq_tally_cache {
	bool has_version;
	int64_t data_version;
	struct tally_month months[TALLY_CACHE_MONTHS];
	size_t count;
	uint64_t clock;
	/* category keys, each once: tallies and events point here */
	char **keys;
	size_t key_count, key_capacity;
	/* events rows this connection wrote since the last look */
	int64_t touched[TALLY_TOUCHED_MAX];
	size_t touched_count;
	bool touched_all;
};

static void tally_month_clear(struct tally_month *m)
{
	free(m->ordered);
	free(m->tallies);
	free(m->events);
	memset(m, 0, sizeof(*m));
}

static void cache_drop(struct sq_tally_cache *c, size_t i)
{
	tally_month_clear(&c->months[i]);
	c->months[i] = c->months[c->count - 1];
	memset(&c->months[c->count - 1], 0, sizeof(c->months[0]));
	c->count--;
}

static void cache_drop_month(struct sq_tally_cache *c, kd_month month)
{
	for (size_t i = 0; i < c->count; i++)
		if (c->months[i].month == month) {
			cache_drop(c, i);
			return;
		}
}

static void cache_drop_all(struct sq_tally_cache *c)
{
	while (c->count)
		cache_drop(c, c->count - 1);
}

void sq_tally_cache_free(struct store *st)
{
	struct sq_tally_cache *c = st->tally_cache;

	if (!c)
		return;
	cache_drop_all(c);
	for (size_t i = 0; i < c->key_count; i++)
		free(c->keys[i]);
	free(c->keys);
	free(c);
	st->tally_cache = NULL;
}

static void events_written(void *ctx, int op, const char *db, const char *table,
                           sqlite3_int64 rowid)
{
	struct sq_tally_cache *c = ctx;

	(void)op;
	if (strcmp(db, "main") != 0 || strcmp(table, "events") != 0)
		return;
	if (c->touched_count < TALLY_TOUCHED_MAX)
		c->touched[c->touched_count++] = rowid;
	else
		c->touched_all = true;
}

/* Drops what changed since the cache was last looked at. Inside the read. */
static enum kd_status cache_check(struct store *st, struct sq_tally_cache *c)
{
	int64_t version = 0, rows = 0;
	bool found = false;
	/* A read first, so the transaction's snapshot is taken before the
	 * version is: a commit between the two then only drops the cache. */
	enum kd_status status = sq_query_int(st, "SELECT count(*) FROM months",
	                                     NULL, 0, &found, &rows);

	if (status == KD_OK)
		status = sq_query_int(st, "PRAGMA data_version", NULL, 0,
		                      &found, &version);
	if (status != KD_OK)
		return status;
	if (!c->has_version || version != c->data_version || c->touched_all)
		cache_drop_all(c);
	for (size_t i = 0; i < c->touched_count && c->count; i++) {
		const struct arg args[] = {sq_arg_int(c->touched[i])};
		char *date = NULL;
		kd_date day;

		status =
		    sq_query_text(st, "SELECT date FROM events WHERE id = ?1",
		                  args, COUNT_OF(args), &date);
		if (status != KD_OK)
			return status;
		/* a row rolled back away: its month is unknown */
		if (date && date_parse(date, &day))
			cache_drop_month(c, date_month(day));
		else
			cache_drop_all(c);
		free(date);
	}
	c->touched_count = 0;
	c->touched_all = false;
	c->has_version = true;
	c->data_version = version;
	return KD_OK;
}

static enum kd_status cache_get(struct store *st, struct sq_tally_cache **out)
{
	if (!st->tally_cache) {
		st->tally_cache = calloc(1, sizeof(*st->tally_cache));
		if (!st->tally_cache)
			return sq_no_memory(st);
		sqlite3_update_hook(st->db, events_written, st->tally_cache);
	}
	*out = st->tally_cache;
	return KD_OK;
}

/* The key, kept once for the store's life. */
static const char *intern(struct store *st, struct sq_tally_cache *c,
                          const unsigned char *text)
{
	const char *key = text ? (const char *)text : "";

	for (size_t i = 0; i < c->key_count; i++)
		if (strcmp(c->keys[i], key) == 0)
			return c->keys[i];
	if (!sq_grow((void **)&c->keys, &c->key_capacity, c->key_count,
	             sizeof(*c->keys)))
		return NULL;
	c->keys[c->key_count] = sq_dup_text(key);
	if (!c->keys[c->key_count])
		return NULL;
	(void)st;
	return c->keys[c->key_count++];
}

/* Whether `key` is one of the JSON array `ordered`'s strings. */
static bool key_in(const char *ordered, const char *key)
{
	size_t len = strlen(key);

	for (const char *p = strchr(ordered, '"'); p; p = strchr(p + 1, '"')) {
		if (strncmp(p + 1, key, len) == 0 && p[1 + len] == '"')
			return true;
		p = strchr(p + 1, '"'); /* the closing quote */
		if (!p)
			break;
	}
	return false;
}

/* The tallies of a month being read: an open-addressing table from
 * (agent, interned key, quantity) to an index into m->tallies. */
struct tally_table {
	size_t *slots; /* index + 1; 0 = empty */
	size_t size;   /* a power of two */
	size_t capacity;
};

static size_t tally_hash(int64_t agent, const char *key, int32_t quantity)
{
	uint64_t h = (uint64_t)agent * UINT64_C(0x9E3779B97F4A7C15);

	h ^= (uint64_t)(uintptr_t)key * UINT64_C(0xC2B2AE3D27D4EB4F);
	h ^= (uint64_t)(uint32_t)quantity * UINT64_C(0x165667B19E3779F9);
	return (size_t)(h ^ (h >> 29));
}

static bool tally_table_grow(struct tally_table *t, const struct tally_month *m)
{
	size_t size = t->size ? t->size * 2 : 1024;
	size_t *slots = calloc(size, sizeof(*slots));

	if (!slots)
		return false;
	for (size_t i = 0; i < m->tally_count; i++) {
		const struct score_tally *x = &m->tallies[i];
		size_t h = tally_hash(x->agent_id, x->category, x->quantity);

		while (slots[h & (size - 1)])
			h++;
		slots[h & (size - 1)] = i + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->size = size;
	return true;
}

/* Counts one event into the month's tallies. */
static bool tally_count(struct tally_table *t, struct tally_month *m,
                        int64_t agent, const char *key, int32_t quantity)
{
	size_t h;

	if ((m->tally_count + 1) * 2 > t->size && !tally_table_grow(t, m))
		return false;
	for (h = tally_hash(agent, key, quantity);; h++) {
		size_t slot = t->slots[h & (t->size - 1)];
		struct score_tally *x;

		if (!slot)
			break;
		x = &m->tallies[slot - 1];
		if (x->agent_id == agent && x->category == key &&
		    x->quantity == quantity) {
			x->events++;
			return true;
		}
	}
	if (!sq_grow((void **)&m->tallies, &t->capacity, m->tally_count,
	             sizeof(*m->tallies)))
		return false;
	m->tallies[m->tally_count] = (struct score_tally){
	    .month = m->month,
	    .agent_id = agent,
	    .category = key,
	    .quantity = quantity,
	    .events = 1,
	};
	t->slots[h & (t->size - 1)] = ++m->tally_count;
	return true;
}

static int ordered_event_cmp(const void *pa, const void *pb)
{
	const struct score_event *a = pa;
	const struct score_event *b = pb;

	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

/* Reads one month from the file into *m: one pass over the month's range
 * of the covering index events_tally, counted here (cheaper than SQLite's
 * GROUP BY, which sorts every row first); the categories in `ordered` are
 * kept as events, in date and entry order. */
static enum kd_status read_month(struct store *st, struct sq_tally_cache *c,
                                 kd_month month, const char *ordered,
                                 struct tally_month *m)
{
	char first[16], last[16];
	const struct arg args[] = {sq_arg_text(first), sq_arg_text(last)};
	struct tally_table table = {0};
	sqlite3_stmt *stmt = NULL;
	size_t capacity = 0;
	bool row = true;
	bool any_ordered = strcmp(ordered, "[]") != 0;
	const char *last_key = NULL;
	bool last_ordered = false;
	enum kd_status status;

	memset(m, 0, sizeof(*m));
	m->month = month;
	m->ordered = sq_dup_text(ordered);
	if (!m->ordered)
		return sq_no_memory(st);
	sq_date_text(month_first_day(month), first, sizeof(first));
	sq_date_text(month_last_day(month), last, sizeof(last));

	status =
	    sq_prepare(st, STORE_SQL_MONTH_EVENTS, args, COUNT_OF(args), &stmt);
	while (status == KD_OK) {
		const unsigned char *text;
		const char *key;
		int64_t agent;
		int32_t quantity;

		status = sq_step(st, stmt, &row);
		if (status != KD_OK || !row)
			break;
		agent = sqlite3_column_int64(stmt, 0);
		text = sqlite3_column_text(stmt, 1);
		quantity = (int32_t)sqlite3_column_int64(stmt, 2);
		if (last_key && text &&
		    strcmp(last_key, (const char *)text) == 0)
			key = last_key;
		else {
			key = intern(st, c, text);
			if (!key) {
				status = sq_no_memory(st);
				break;
			}
			last_key = key;
			last_ordered = any_ordered && key_in(ordered, key);
		}
		if (!last_ordered) {
			if (!tally_count(&table, m, agent, key, quantity))
				status = sq_no_memory(st);
			continue;
		}
		if (!sq_grow((void **)&m->events, &capacity, m->event_count,
		             sizeof(*m->events))) {
			status = sq_no_memory(st);
			break;
		}
		struct score_event *e = &m->events[m->event_count];
		memset(e, 0, sizeof(*e));
		e->agent_id = agent;
		e->category = key;
		e->quantity = quantity;
		status = sq_column_date(st, stmt, 3, &e->date);
		e->id = sqlite3_column_int64(stmt, 4);
		if (status == KD_OK)
			m->event_count++;
	}
	sqlite3_finalize(stmt);
	free(table.slots);
	if (status == KD_OK && m->event_count > 1)
		qsort(m->events, m->event_count, sizeof(*m->events),
		      ordered_event_cmp);
	return status;
}

/* The cached month, read now if it is not cached. The pointer holds until
 * the next call. */
static enum kd_status cached_month(struct store *st, struct sq_tally_cache *c,
                                   kd_month month, const char *ordered,
                                   const struct tally_month **out)
{
	struct tally_month fresh;
	enum kd_status status;
	size_t slot;

	for (size_t i = 0; i < c->count; i++)
		if (c->months[i].month == month &&
		    strcmp(c->months[i].ordered, ordered) == 0) {
			c->months[i].used = ++c->clock;
			*out = &c->months[i];
			return KD_OK;
		}
	status = read_month(st, c, month, ordered, &fresh);
	if (status != KD_OK) {
		tally_month_clear(&fresh);
		return status;
	}
	cache_drop_month(c, month);
	if (c->count == TALLY_CACHE_MONTHS) {
		size_t oldest = 0;

		for (size_t i = 1; i < c->count; i++)
			if (c->months[i].used < c->months[oldest].used)
				oldest = i;
		cache_drop(c, oldest);
	}
	slot = c->count++;
	c->months[slot] = fresh;
	c->months[slot].used = ++c->clock;
	*out = &c->months[slot];
	return KD_OK;
}

/* Appends a cached month's tallies and events to the bundle. */
static enum kd_status bundle_append(struct store *st,
                                    struct store_score_bundle *bundle,
                                    const struct tally_month *m)
{
	size_t nt = bundle->input.tally_count + m->tally_count;
	size_t ne = bundle->input.event_count + m->event_count;

	if (m->tally_count) {
		struct score_tally *t =
		    realloc(bundle->tallies, nt * sizeof(*bundle->tallies));

		if (!t)
			return sq_no_memory(st);
		bundle->tallies = t;
		memcpy(&t[bundle->input.tally_count], m->tallies,
		       m->tally_count * sizeof(*m->tallies));
	}
	if (m->event_count) {
		struct score_event *e = realloc(
		    bundle->score_events, ne * sizeof(*bundle->score_events));

		if (!e)
			return sq_no_memory(st);
		bundle->score_events = e;
		memcpy(&e[bundle->input.event_count], m->events,
		       m->event_count * sizeof(*m->events));
	}
	bundle->input.tally_count = nt;
	bundle->input.event_count = ne;
	bundle->input.tallies = bundle->tallies;
	bundle->input.events = bundle->score_events;
	return KD_OK;
}

/* The window's months into the bundle: the scored month always, a
 * look-back month unless it is closed (its stored result stands) and
 * !read_closed. */
static enum kd_status load_tallies(struct store *st, kd_month first_month,
                                   kd_month month, const char *ordered,
                                   bool read_closed,
                                   struct store_score_bundle *bundle)
{
	struct sq_tally_cache *c = NULL;
	enum kd_status status = cache_get(st, &c);

	if (status == KD_OK)
		status = cache_check(st, c);
	for (kd_month m = month; m >= first_month && status == KD_OK; m--) {
		const struct tally_month *got = NULL;
		bool closed = false;

		for (size_t h = 0;
		     !read_closed && m != month && h < bundle->closed_count;
		     h++)
			closed = closed || bundle->closed[h].month == m;
		if (closed)
			continue;
		status = cached_month(st, c, m, ordered, &got);
		if (status == KD_OK)
			status = bundle_append(st, bundle, got);
	}
	return status;
}

/* The keys as a JSON array (they are [a-z0-9_] rulebook keys). */
static enum kd_status ordered_json(struct store *st, size_t count,
                                   const char *const *keys, char **out)
{
	size_t len = 3;
	char *json;

	*out = NULL;
	for (size_t i = 0; i < count; i++) {
		for (const char *p = keys[i]; *p; p++)
			if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
				return sq_fail(st, KD_ERR_USAGE,
				               "a category key with a quote");
		len += strlen(keys[i]) + 3;
	}
	json = malloc(len);
	if (!json)
		return sq_no_memory(st);
	strcpy(json, "[");
	for (size_t i = 0; i < count; i++) {
		strcat(json, i ? ",\"" : "\"");
		strcat(json, keys[i]);
		strcat(json, "\"");
	}
	strcat(json, "]");
	*out = json;
	return KD_OK;
}

enum kd_status store_load_score_tallies(struct store *st, kd_month month,
                                        int32_t lookback_months,
                                        size_t ordered_count,
                                        const char *const *ordered,
                                        bool read_closed,
                                        struct store_score_bundle *bundle)
{
	char *json = NULL;
	enum kd_status status;

	memset(bundle, 0, sizeof(*bundle));
	status = ordered_json(st, ordered_count, ordered, &json);
	if (status == KD_OK)
		status = load_window(st, month, lookback_months, json,
		                     read_closed, bundle);
	free(json);
	return status;
}

void store_tally_list_finish(struct store_tally_list *list)
{
	if (!list)
		return;
	free(list->tallies);
	free(list->events);
	memset(list, 0, sizeof(*list));
}

/* The cached month less what is dated day or later. */
static enum kd_status tallies_before(struct store *st, kd_date day,
                                     const char *json,
                                     struct store_tally_list *out)
{
	struct sq_tally_cache *c = NULL;
	const struct tally_month *m = NULL;
	kd_month month = date_month(day);
	char first[16], last[16];
	const struct arg args[] = {sq_arg_text(first), sq_arg_text(last),
	                           sq_arg_text(json)};
	sqlite3_stmt *stmt = NULL;
	bool row = true;
	enum kd_status status = cache_get(st, &c);

	if (status == KD_OK)
		status = cache_check(st, c);
	if (status == KD_OK)
		status = cached_month(st, c, month, json, &m);
	if (status != KD_OK)
		return status;
	if (m->tally_count) {
		out->tallies = calloc(m->tally_count, sizeof(*out->tallies));
		if (!out->tallies)
			return sq_no_memory(st);
		memcpy(out->tallies, m->tallies,
		       m->tally_count * sizeof(*m->tallies));
		out->count = m->tally_count;
	}
	if (m->event_count) {
		out->events = calloc(m->event_count, sizeof(*out->events));
		if (!out->events)
			return sq_no_memory(st);
		for (size_t i = 0; i < m->event_count; i++)
			if (m->events[i].date < day)
				out->events[out->event_count++] = m->events[i];
	}
	sq_date_text(day, first, sizeof(first));
	sq_date_text(month_last_day(month), last, sizeof(last));
	status = sq_prepare(st, STORE_SQL_MONTH_TALLIES, args, COUNT_OF(args),
	                    &stmt);
	while (status == KD_OK) {
		int64_t agent;
		const char *key;
		int32_t quantity;
		int64_t events;

		status = sq_step(st, stmt, &row);
		if (status != KD_OK || !row)
			break;
		agent = sqlite3_column_int64(stmt, 0);
		key = (const char *)sqlite3_column_text(stmt, 1);
		quantity = (int32_t)sqlite3_column_int64(stmt, 2);
		events = sqlite3_column_int64(stmt, 3);
		for (size_t i = 0; i < out->count; i++) {
			struct score_tally *t = &out->tallies[i];

			if (t->agent_id == agent && t->quantity == quantity &&
			    key && strcmp(t->category, key) == 0) {
				t->events -= events;
				break;
			}
		}
	}
	sqlite3_finalize(stmt);
	return status;
}

enum kd_status store_tallies_before(struct store *st, kd_date day,
                                    size_t ordered_count,
                                    const char *const *ordered,
                                    struct store_tally_list *out)
{
	char *json = NULL;
	bool began = false;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	status = ordered_json(st, ordered_count, ordered, &json);
	if (status == KD_OK)
		status = sq_read_begin(st, &began);
	if (status == KD_OK)
		status = tallies_before(st, day, json, out);
	status = sq_read_end(st, began, status);
	free(json);
	if (status != KD_OK)
		store_tally_list_finish(out);
	return status;
}
