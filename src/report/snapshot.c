/* Closed months' boards as JSON and back (kpidesk/snapshot.h).
 *
 * Writing: plain fprintf of integers, strings quoted by SQLite's
 * json_quote(). Reading: SQLite's json_each()/json_extract()/json_type() on
 * a private in-memory connection, so no JSON is parsed by hand; every value
 * is checked for its JSON type before it is used, since a snapshot is a file
 * anyone could have edited.
 */
#include "kpidesk/snapshot.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "kpidesk/date.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const dismiss_names[] = {"low_score", "category",
					    "last_place"};

/* ---- writing ---- */

struct writer {
	FILE *out;
	sqlite3 *db;
	sqlite3_stmt *quote;
	bool failed;
};

static void put(struct writer *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct writer *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vfprintf(w->out, fmt, ap) < 0)
		w->failed = true;
	va_end(ap);
}

/* A JSON string, or null for NULL. */
static void put_text(struct writer *w, const char *s)
{
	const unsigned char *quoted;

	if (!s) {
		put(w, "null");
		return;
	}
	sqlite3_reset(w->quote);
	if (sqlite3_bind_text(w->quote, 1, s, -1, SQLITE_STATIC) !=
		    SQLITE_OK ||
	    sqlite3_step(w->quote) != SQLITE_ROW ||
	    !(quoted = sqlite3_column_text(w->quote, 0))) {
		w->failed = true;
		return;
	}
	put(w, "%s", (const char *)quoted);
	sqlite3_reset(w->quote);
}

static void put_int(struct writer *w, const char *key, int64_t value)
{
	put(w, ", \"%s\": %" PRId64, key, value);
}

static void put_opt_int(struct writer *w, const char *key, bool has,
			int64_t value)
{
	if (has)
		put_int(w, key, value);
	else
		put(w, ", \"%s\": null", key);
}

static void put_bool(struct writer *w, const char *key, bool value)
{
	put(w, ", \"%s\": %s", key, value ? "true" : "false");
}

static void put_key_text(struct writer *w, const char *key, const char *s)
{
	put(w, ", \"%s\": ", key);
	put_text(w, s);
}

static void put_date(struct writer *w, const char *key, kd_date date)
{
	char buf[16];

	if (date == KD_DATE_NONE)
		put(w, ", \"%s\": null", key);
	else
		put(w, ", \"%s\": \"%s\"", key,
		    date_format(buf, sizeof(buf), date));
}

static void put_agent(struct writer *w, const struct rulebook *rb,
		      const struct score_agent_result *r)
{
	bool first = true;

	put(w, "{\"id\": %" PRId64, r->agent->id);
	put_key_text(w, "name", r->agent->name);
	put_key_text(w, "handle", r->agent->handle);
	put_date(w, "hired", r->agent->hired);
	put_date(w, "left", r->agent->left);
	put_key_text(w, "tier",
		     r->tier_index >= 0 && (size_t)r->tier_index < rb->tier_count
			     ? rb->tiers[r->tier_index].key
			     : NULL);
	put_int(w, "months_in_tier", r->months_in_tier);
	put_int(w, "employment_month", r->employment_month);
	put_bool(w, "whole_month", r->whole_month);
	put(w, ", \"categories\": [");
	for (size_t c = 0; c < rb->category_count; c++) {
		const struct score_category_result *cat = &r->categories[c];

		if (cat->occurrences == 0 && cat->total_cp == 0 &&
		    cat->fines_fen == 0 && !cat->dismiss_reached)
			continue;
		put(w, "%s{\"key\": ", first ? "" : ", ");
		put_text(w, rb->categories[c].key);
		put_int(w, "occurrences", cat->occurrences);
		put_int(w, "total_cp", cat->total_cp);
		put_int(w, "fines_fen", cat->fines_fen);
		put_bool(w, "dismiss_reached", cat->dismiss_reached);
		put(w, "}");
		first = false;
	}
	put(w, "]");
	put_int(w, "light_count", r->light_count);
	put_int(w, "medium_count", r->medium_count);
	put_int(w, "combo_cp", r->combo_cp);
	put_int(w, "base_cp", r->base_cp);
	if (!r->kpi_present) {
		put(w, ", \"kpi\": null");
	} else {
		put(w, ", \"kpi\": {\"score_cp\": %" PRId64 ", \"metrics\": [",
		    r->kpi_score_cp);
		for (size_t k = 0; k < rb->kpi_count; k++) {
			const struct score_kpi_metric *m = &r->kpi_metrics[k];

			put(w, "%s{\"key\": ", k ? ", " : "");
			put_text(w, rb->kpis[k].key);
			put_bool(w, "present", m->present);
			put_int(w, "value_num", m->value_num);
			put_int(w, "value_den", m->value_den);
			put_int(w, "value_h", m->value_h);
			put_int(w, "band_h", m->band_h);
			put_int(w, "points_cp", m->points_cp);
			put(w, "}");
		}
		put(w, "]}");
	}
	put_opt_int(w, "sales_fen", r->has_sales, r->sales_fen);
	put_int(w, "score_cp", r->score_cp);
	put_key_text(w, "grade", r->grade);
	put_int(w, "rank", r->rank);
	put_opt_int(w, "previous_score_cp", r->has_previous,
		    r->previous_score_cp);
	put_int(w, "pay_adjust_fen", r->pay_adjust_fen);
	put_int(w, "pool_share_fen", r->pool_share_fen);
	put_int(w, "award_fen", r->award_fen);
	put_int(w, "streak_award_fen", r->streak_award_fen);
	put_int(w, "attendance_award_fen", r->attendance_award_fen);
	put_int(w, "fines_fen", r->fines_fen);
	put_int(w, "top_streak", r->top_streak);
	put(w, ", \"flags\": [");
	first = true;
	for (int bit = 0; bit < SCORE_FLAG_COUNT; bit++) {
		if (!(r->flags & (1u << bit)))
			continue;
		put(w, "%s\"%s\"", first ? "" : ", ", score_flag_name(bit));
		first = false;
	}
	put(w, "], \"dismiss_reasons\": [");
	first = true;
	for (size_t bit = 0; bit < COUNT_OF(dismiss_names); bit++) {
		if (!(r->dismiss_reasons & (1u << bit)))
			continue;
		put(w, "%s\"%s\"", first ? "" : ", ", dismiss_names[bit]);
		first = false;
	}
	put(w, "]");
	put_key_text(w, "dismiss_category",
		     r->dismiss_category >= 0 &&
				     (size_t)r->dismiss_category <
					     rb->category_count
			     ? rb->categories[r->dismiss_category].key
			     : NULL);
	put_int(w, "promote_streak", r->promote_streak);
	put_int(w, "demote_streak", r->demote_streak);
	put_int(w, "last_place_streak", r->last_place_streak);
	put(w, "}");
}

enum kd_status snapshot_encode(const struct rulebook *rb,
			       const struct score_month_result *result,
			       char **json)
{
	struct writer w = {0};
	char month[16];
	char *buf = NULL;
	size_t size = 0;
	enum kd_status status = KD_OK;

	*json = NULL;
	if (result->category_count != rb->category_count ||
	    result->kpi_count != rb->kpi_count)
		return KD_ERR_USAGE;
	if (sqlite3_open_v2(":memory:", &w.db, SQLITE_OPEN_READWRITE, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(w.db, "SELECT json_quote(?1)", -1, &w.quote,
			       NULL) != SQLITE_OK) {
		sqlite3_close(w.db);
		return KD_ERR_NOMEM;
	}
	w.out = open_memstream(&buf, &size);
	if (!w.out) {
		sqlite3_finalize(w.quote);
		sqlite3_close(w.db);
		return KD_ERR_NOMEM;
	}
	put(&w, "{\"version\": %d, \"month\": \"%s\"", SNAPSHOT_VERSION,
	    month_format(month, sizeof(month), result->month));
	put_opt_int(&w, "silent_sales_fen", result->has_silent_sales,
		    result->silent_sales_fen);
	put_int(&w, "pool_fen", result->pool_fen);
	put_int(&w, "undistributed_fen", result->undistributed_fen);
	put_int(&w, "skipped_events", (int64_t)result->skipped_events);
	put(&w, ", \"agents\": [");
	for (size_t i = 0; i < result->agent_count; i++) {
		put(&w, "%s", i ? ",\n " : "\n ");
		put_agent(&w, rb, &result->agents[i]);
	}
	put(&w, "]}");
	if (fclose(w.out) != 0 || w.failed)
		status = KD_ERR_NOMEM;
	sqlite3_finalize(w.quote);
	sqlite3_close(w.db);
	if (status != KD_OK) {
		free(buf);
		return status;
	}
	*json = buf;
	return KD_OK;
}

/* ---- reading ---- */

struct reader {
	sqlite3 *db;
	const char *json;
	char *err;
	size_t err_size;
	enum kd_status status;
};

static void bad(struct reader *r, enum kd_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Keeps the first failure. */
static void bad(struct reader *r, enum kd_status status, const char *fmt, ...)
{
	va_list ap;

	if (r->status != KD_OK)
		return;
	r->status = status;
	if (r->err && r->err_size) {
		va_start(ap, fmt);
		vsnprintf(r->err, r->err_size, fmt, ap);
		va_end(ap);
	}
}

/* Prepares sql with the snapshot bound to ?1. */
static sqlite3_stmt *query(struct reader *r, const char *sql)
{
	sqlite3_stmt *stmt = NULL;

	if (r->status != KD_OK)
		return NULL;
	if (sqlite3_prepare_v2(r->db, sql, -1, &stmt, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(stmt, 1, r->json, -1, SQLITE_STATIC) !=
		    SQLITE_OK) {
		bad(r, KD_ERR_NOMEM, "snapshot: %s", sqlite3_errmsg(r->db));
		sqlite3_finalize(stmt);
		return NULL;
	}
	return stmt;
}

/* Steps; false at the end or on an error (recorded). */
static bool next_row(struct reader *r, sqlite3_stmt *stmt)
{
	int rc;

	if (!stmt || r->status != KD_OK)
		return false;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		return true;
	if (rc != SQLITE_DONE)
		bad(r, KD_ERR_INPUT, "the snapshot is not valid JSON (%s)",
		    sqlite3_errmsg(r->db));
	return false;
}

/* An integer column; `nullable` lets JSON null through (*has false). */
static int64_t col_int(struct reader *r, sqlite3_stmt *stmt, int col,
		       const char *what, bool nullable, bool *has)
{
	int type = sqlite3_column_type(stmt, col);

	if (has)
		*has = type == SQLITE_INTEGER;
	if (type == SQLITE_INTEGER)
		return sqlite3_column_int64(stmt, col);
	if (!(nullable && type == SQLITE_NULL))
		bad(r, KD_ERR_INPUT, "snapshot: %s is not a whole number",
		    what);
	return 0;
}

static int32_t col_i32(struct reader *r, sqlite3_stmt *stmt, int col,
		       const char *what)
{
	int64_t v = col_int(r, stmt, col, what, false, NULL);

	if (v < INT32_MIN || v > INT32_MAX) {
		bad(r, KD_ERR_INPUT, "snapshot: %s is out of range", what);
		return 0;
	}
	return (int32_t)v;
}

/* JSON true/false arrive as 1/0 from json_extract; json_type tells them
 * from numbers, so the query selects the type next to the value. */
static bool col_bool(struct reader *r, sqlite3_stmt *stmt, int type_col,
		     const char *what)
{
	const unsigned char *type = sqlite3_column_text(stmt, type_col);

	if (type && strcmp((const char *)type, "true") == 0)
		return true;
	if (type && strcmp((const char *)type, "false") == 0)
		return false;
	bad(r, KD_ERR_INPUT, "snapshot: %s is not true or false", what);
	return false;
}

/* A text column, NULL for JSON null when nullable. */
static const char *col_text(struct reader *r, sqlite3_stmt *stmt, int col,
			    const char *what, bool nullable)
{
	int type = sqlite3_column_type(stmt, col);

	if (type == SQLITE_TEXT)
		return (const char *)sqlite3_column_text(stmt, col);
	if (!(nullable && type == SQLITE_NULL))
		bad(r, KD_ERR_INPUT, "snapshot: %s is not text", what);
	return NULL;
}

static char *dup_text(const char *s)
{
	size_t n;
	char *copy;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	copy = malloc(n);
	if (copy)
		memcpy(copy, s, n);
	return copy;
}

static kd_date col_date(struct reader *r, sqlite3_stmt *stmt, int col,
			const char *what, bool nullable)
{
	const char *text = col_text(r, stmt, col, what, nullable);
	kd_date date = KD_DATE_NONE;

	if (text && !date_parse(text, &date))
		bad(r, KD_ERR_INPUT, "snapshot: %s '%s' is not a date", what,
		    text);
	return date;
}

/* The agent of a json_each key (its index in "agents"). */
static struct score_agent_result *agent_at(struct reader *r,
					   struct snapshot_board *b,
					   sqlite3_stmt *stmt)
{
	int64_t index = sqlite3_column_int64(stmt, 0);

	if (index < 0 || (uint64_t)index >= b->agent_count) {
		bad(r, KD_ERR_INPUT, "snapshot: agent %" PRId64 " out of range",
		    index);
		return NULL;
	}
	return &b->result->agents[index];
}

/* Checked alone first: the JSON functions fail on malformed text. */
static bool read_valid(struct reader *r)
{
	sqlite3_stmt *stmt = query(r, "SELECT json_valid(?1)");
	bool valid = next_row(r, stmt) && sqlite3_column_int(stmt, 0) == 1;

	sqlite3_finalize(stmt);
	if (!valid)
		bad(r, KD_ERR_INPUT, "the snapshot is not valid JSON");
	return valid;
}

static void read_month(struct reader *r, struct snapshot_board *b,
		       const struct rulebook *rb)
{
	sqlite3_stmt *stmt = query(
		r, "SELECT json_valid(?1), json_extract(?1, '$.version'), "
		   "json_extract(?1, '$.month'), "
		   "json_extract(?1, '$.silent_sales_fen'), "
		   "json_extract(?1, '$.pool_fen'), "
		   "json_extract(?1, '$.undistributed_fen'), "
		   "json_extract(?1, '$.skipped_events'), "
		   "json_type(?1, '$.agents'), "
		   "json_array_length(?1, '$.agents')");
	struct score_month_result *res = b->result;
	const char *month;
	int64_t count;

	if (!next_row(r, stmt))
		goto done;
	if (sqlite3_column_int(stmt, 0) != 1) {
		bad(r, KD_ERR_INPUT, "the snapshot is not valid JSON");
		goto done;
	}
	if (sqlite3_column_type(stmt, 1) != SQLITE_INTEGER ||
	    sqlite3_column_int64(stmt, 1) != SNAPSHOT_VERSION) {
		bad(r, KD_ERR_INPUT,
		    "the snapshot is not of version %d (written by another "
		    "kpidesk?)",
		    SNAPSHOT_VERSION);
		goto done;
	}
	month = col_text(r, stmt, 2, "month", false);
	if (month && !month_parse(month, &res->month))
		bad(r, KD_ERR_INPUT, "snapshot: '%s' is not a month", month);
	res->silent_sales_fen = col_int(r, stmt, 3, "silent_sales_fen", true,
					&res->has_silent_sales);
	res->pool_fen = col_int(r, stmt, 4, "pool_fen", false, NULL);
	res->undistributed_fen =
		col_int(r, stmt, 5, "undistributed_fen", false, NULL);
	res->skipped_events =
		(size_t)col_int(r, stmt, 6, "skipped_events", false, NULL);
	if (!sqlite3_column_text(stmt, 7) ||
	    strcmp((const char *)sqlite3_column_text(stmt, 7), "array") != 0) {
		bad(r, KD_ERR_INPUT, "snapshot: agents is not a list");
		goto done;
	}
	count = sqlite3_column_int64(stmt, 8);
	res->category_count = rb->category_count;
	res->kpi_count = rb->kpi_count;
	if (count <= 0 || r->status != KD_OK)
		goto done;
	b->agent_count = (size_t)count;
	res->agents = calloc(b->agent_count, sizeof(*res->agents));
	b->agents = calloc(b->agent_count, sizeof(*b->agents));
	b->names = calloc(b->agent_count, sizeof(*b->names));
	b->handles = calloc(b->agent_count, sizeof(*b->handles));
	if (!res->agents || !b->agents || !b->names || !b->handles) {
		bad(r, KD_ERR_NOMEM, "out of memory");
		goto done;
	}
	res->agent_count = b->agent_count;
	for (size_t i = 0; i < b->agent_count; i++) {
		struct score_agent_result *ar = &res->agents[i];

		ar->agent = &b->agents[i];
		ar->tier_index = -1;
		ar->dismiss_category = -1;
		if (rb->category_count)
			ar->categories = calloc(rb->category_count,
						sizeof(*ar->categories));
		if (rb->kpi_count)
			ar->kpi_metrics =
				calloc(rb->kpi_count, sizeof(*ar->kpi_metrics));
		if ((rb->category_count && !ar->categories) ||
		    (rb->kpi_count && !ar->kpi_metrics)) {
			bad(r, KD_ERR_NOMEM, "out of memory");
			break;
		}
	}
done:
	sqlite3_finalize(stmt);
}

/* The columns of one agent, in the order the query selects them. */
static const char *const agent_paths[] = {
	"$.id",
	"$.name",
	"$.handle",
	"$.hired",
	"$.left",
	"$.tier",
	"$.months_in_tier",
	"$.employment_month",
	"$.light_count",
	"$.medium_count",
	"$.combo_cp",
	"$.base_cp",
	"$.kpi.score_cp",
	"$.sales_fen",
	"$.score_cp",
	"$.grade",
	"$.rank",
	"$.previous_score_cp",
	"$.pay_adjust_fen",
	"$.pool_share_fen",
	"$.award_fen",
	"$.streak_award_fen",
	"$.attendance_award_fen",
	"$.fines_fen",
	"$.top_streak",
	"$.dismiss_category",
	"$.promote_streak",
	"$.demote_streak",
	"$.last_place_streak",
};

enum agent_col {
	A_KEY,
	A_ID,
	A_NAME,
	A_HANDLE,
	A_HIRED,
	A_LEFT,
	A_TIER,
	A_MONTHS_IN_TIER,
	A_EMPLOYMENT_MONTH,
	A_LIGHT,
	A_MEDIUM,
	A_COMBO,
	A_BASE,
	A_KPI_SCORE,
	A_SALES,
	A_SCORE,
	A_GRADE,
	A_RANK,
	A_PREVIOUS,
	A_PAY,
	A_POOL_SHARE,
	A_AWARD,
	A_STREAK_AWARD,
	A_ATTENDANCE_AWARD,
	A_FINES,
	A_TOP_STREAK,
	A_DISMISS_CATEGORY,
	A_PROMOTE_STREAK,
	A_DEMOTE_STREAK,
	A_LAST_PLACE_STREAK,
	A_WHOLE_MONTH_TYPE, /* json_type of $.whole_month */
	A_KPI_TYPE,	    /* json_type of $.kpi */
	A_COLUMNS
};

static void read_agent_row(struct reader *r, struct snapshot_board *b,
			   const struct rulebook *rb, sqlite3_stmt *stmt)
{
	struct score_agent_result *ar = agent_at(r, b, stmt);
	struct score_agent *agent;
	size_t index;
	const char *text, *kpi_type;

	if (!ar)
		return;
	index = (size_t)(ar - b->result->agents);
	agent = &b->agents[index];
	agent->id = col_int(r, stmt, A_ID, "id", false, NULL);
	b->names[index] = dup_text(col_text(r, stmt, A_NAME, "name", false));
	text = col_text(r, stmt, A_HANDLE, "handle", true);
	b->handles[index] = dup_text(text);
	if ((!b->names[index] && r->status == KD_OK) ||
	    (text && !b->handles[index]))
		bad(r, KD_ERR_NOMEM, "out of memory");
	agent->name = b->names[index];
	agent->handle = b->handles[index];
	agent->hired = col_date(r, stmt, A_HIRED, "hired", false);
	agent->left = col_date(r, stmt, A_LEFT, "left", true);

	text = col_text(r, stmt, A_TIER, "tier", true);
	if (text) {
		ar->tier_index = rulebook_tier_index(rb, text);
		if (ar->tier_index < 0)
			bad(r, KD_ERR_INPUT,
			    "snapshot: tier '%s' is not in its rulebook", text);
	}
	ar->months_in_tier =
		col_i32(r, stmt, A_MONTHS_IN_TIER, "months_in_tier");
	ar->employment_month =
		col_i32(r, stmt, A_EMPLOYMENT_MONTH, "employment_month");
	ar->whole_month = col_bool(r, stmt, A_WHOLE_MONTH_TYPE, "whole_month");
	ar->light_count = col_i32(r, stmt, A_LIGHT, "light_count");
	ar->medium_count = col_i32(r, stmt, A_MEDIUM, "medium_count");
	ar->combo_cp = col_int(r, stmt, A_COMBO, "combo_cp", false, NULL);
	ar->base_cp = col_int(r, stmt, A_BASE, "base_cp", false, NULL);
	kpi_type = (const char *)sqlite3_column_text(stmt, A_KPI_TYPE);
	ar->kpi_present = kpi_type && strcmp(kpi_type, "object") == 0;
	if (ar->kpi_present)
		ar->kpi_score_cp = col_int(r, stmt, A_KPI_SCORE, "kpi score",
					   false, NULL);
	else if (kpi_type && strcmp(kpi_type, "null") != 0)
		bad(r, KD_ERR_INPUT, "snapshot: kpi is neither null nor an "
				     "object");
	ar->sales_fen =
		col_int(r, stmt, A_SALES, "sales_fen", true, &ar->has_sales);
	ar->score_cp = col_int(r, stmt, A_SCORE, "score_cp", false, NULL);
	text = col_text(r, stmt, A_GRADE, "grade", false);
	if (text && strlen(text) >= sizeof(ar->grade))
		bad(r, KD_ERR_INPUT, "snapshot: grade '%s' is too long", text);
	else if (text)
		snprintf(ar->grade, sizeof(ar->grade), "%s", text);
	ar->rank = col_i32(r, stmt, A_RANK, "rank");
	ar->previous_score_cp = col_int(r, stmt, A_PREVIOUS,
					"previous_score_cp", true,
					&ar->has_previous);
	ar->pay_adjust_fen =
		col_int(r, stmt, A_PAY, "pay_adjust_fen", false, NULL);
	ar->pool_share_fen =
		col_int(r, stmt, A_POOL_SHARE, "pool_share_fen", false, NULL);
	ar->award_fen = col_int(r, stmt, A_AWARD, "award_fen", false, NULL);
	ar->streak_award_fen = col_int(r, stmt, A_STREAK_AWARD,
				       "streak_award_fen", false, NULL);
	ar->attendance_award_fen = col_int(r, stmt, A_ATTENDANCE_AWARD,
					   "attendance_award_fen", false, NULL);
	ar->fines_fen = col_int(r, stmt, A_FINES, "fines_fen", false, NULL);
	ar->top_streak = col_i32(r, stmt, A_TOP_STREAK, "top_streak");
	text = col_text(r, stmt, A_DISMISS_CATEGORY, "dismiss_category", true);
	if (text) {
		ar->dismiss_category = rulebook_category_index(rb, text);
		if (ar->dismiss_category < 0)
			bad(r, KD_ERR_INPUT,
			    "snapshot: category '%s' is not in its rulebook",
			    text);
	}
	ar->promote_streak =
		col_i32(r, stmt, A_PROMOTE_STREAK, "promote_streak");
	ar->demote_streak = col_i32(r, stmt, A_DEMOTE_STREAK, "demote_streak");
	ar->last_place_streak =
		col_i32(r, stmt, A_LAST_PLACE_STREAK, "last_place_streak");
}

static void read_agents(struct reader *r, struct snapshot_board *b,
			const struct rulebook *rb)
{
	char sql[4096];
	size_t used;
	sqlite3_stmt *stmt;

	if (r->status != KD_OK || b->agent_count == 0)
		return;
	used = (size_t)snprintf(sql, sizeof(sql), "SELECT key");
	for (size_t i = 0; i < COUNT_OF(agent_paths); i++)
		used += (size_t)snprintf(sql + used, sizeof(sql) - used,
					 ", json_extract(value, '%s')",
					 agent_paths[i]);
	snprintf(sql + used, sizeof(sql) - used,
		 ", json_type(value, '$.whole_month'), "
		 "json_type(value, '$.kpi') "
		 "FROM json_each(?1, '$.agents') ORDER BY key");
	stmt = query(r, sql);
	while (next_row(r, stmt))
		read_agent_row(r, b, rb, stmt);
	sqlite3_finalize(stmt);
}

static void read_categories(struct reader *r, struct snapshot_board *b,
			    const struct rulebook *rb)
{
	sqlite3_stmt *stmt = query(
		r, "SELECT a.key, json_extract(c.value, '$.key'), "
		   "json_extract(c.value, '$.occurrences'), "
		   "json_extract(c.value, '$.total_cp'), "
		   "json_extract(c.value, '$.fines_fen'), "
		   "json_type(c.value, '$.dismiss_reached') "
		   "FROM json_each(?1, '$.agents') AS a, "
		   "json_each(a.value, '$.categories') AS c");

	while (next_row(r, stmt)) {
		struct score_agent_result *ar = agent_at(r, b, stmt);
		const char *key = col_text(r, stmt, 1, "category key", false);
		int index = key ? rulebook_category_index(rb, key) : -1;
		struct score_category_result *cat;

		if (!ar || !key)
			break;
		if (index < 0) {
			bad(r, KD_ERR_INPUT,
			    "snapshot: category '%s' is not in its rulebook",
			    key);
			break;
		}
		cat = &ar->categories[index];
		cat->occurrences = col_i32(r, stmt, 2, "occurrences");
		cat->total_cp = col_int(r, stmt, 3, "total_cp", false, NULL);
		cat->fines_fen = col_int(r, stmt, 4, "fines_fen", false, NULL);
		cat->dismiss_reached =
			col_bool(r, stmt, 5, "dismiss_reached");
	}
	sqlite3_finalize(stmt);
}

static void read_kpis(struct reader *r, struct snapshot_board *b,
		      const struct rulebook *rb)
{
	sqlite3_stmt *stmt = query(
		r, "SELECT a.key, json_extract(m.value, '$.key'), "
		   "json_type(m.value, '$.present'), "
		   "json_extract(m.value, '$.value_num'), "
		   "json_extract(m.value, '$.value_den'), "
		   "json_extract(m.value, '$.value_h'), "
		   "json_extract(m.value, '$.band_h'), "
		   "json_extract(m.value, '$.points_cp') "
		   "FROM json_each(?1, '$.agents') AS a, "
		   "json_each(a.value, '$.kpi.metrics') AS m");

	while (next_row(r, stmt)) {
		struct score_agent_result *ar = agent_at(r, b, stmt);
		const char *key = col_text(r, stmt, 1, "KPI key", false);
		struct score_kpi_metric *m = NULL;

		if (!ar || !key)
			break;
		for (size_t k = 0; k < rb->kpi_count; k++)
			if (strcmp(rb->kpis[k].key, key) == 0)
				m = &ar->kpi_metrics[k];
		if (!m) {
			bad(r, KD_ERR_INPUT,
			    "snapshot: KPI '%s' is not in its rulebook", key);
			break;
		}
		m->present = col_bool(r, stmt, 2, "present");
		m->value_num = col_int(r, stmt, 3, "value_num", false, NULL);
		m->value_den = col_int(r, stmt, 4, "value_den", false, NULL);
		m->value_h = col_int(r, stmt, 5, "value_h", false, NULL);
		m->band_h = col_int(r, stmt, 6, "band_h", false, NULL);
		m->points_cp = col_int(r, stmt, 7, "points_cp", false, NULL);
	}
	sqlite3_finalize(stmt);
}

/* Flags and dismissal reasons by name. */
static void read_flags(struct reader *r, struct snapshot_board *b)
{
	sqlite3_stmt *stmt = query(
		r, "SELECT a.key, 0, f.value FROM json_each(?1, '$.agents') "
		   "AS a, json_each(a.value, '$.flags') AS f "
		   "UNION ALL SELECT a.key, 1, d.value FROM "
		   "json_each(?1, '$.agents') AS a, "
		   "json_each(a.value, '$.dismiss_reasons') AS d");

	while (next_row(r, stmt)) {
		struct score_agent_result *ar = agent_at(r, b, stmt);
		bool dismiss = sqlite3_column_int(stmt, 1) != 0;
		const char *name = col_text(r, stmt, 2, "flag", false);
		bool known = false;

		if (!ar || !name)
			break;
		if (dismiss) {
			for (size_t bit = 0; bit < COUNT_OF(dismiss_names);
			     bit++)
				if (strcmp(dismiss_names[bit], name) == 0) {
					ar->dismiss_reasons |= 1u << bit;
					known = true;
				}
		} else {
			for (int bit = 0; bit < SCORE_FLAG_COUNT; bit++)
				if (strcmp(score_flag_name(bit), name) == 0) {
					ar->flags |= 1u << bit;
					known = true;
				}
		}
		if (!known) {
			bad(r, KD_ERR_INPUT, "snapshot: unknown %s '%s'",
			    dismiss ? "dismissal reason" : "flag", name);
			break;
		}
	}
	sqlite3_finalize(stmt);
}

void snapshot_board_destroy(struct snapshot_board *board)
{
	if (!board)
		return;
	score_month_result_destroy(board->result);
	for (size_t i = 0; i < board->agent_count; i++) {
		if (board->names)
			free(board->names[i]);
		if (board->handles)
			free(board->handles[i]);
	}
	free(board->names);
	free(board->handles);
	free(board->agents);
	free(board);
}

enum kd_status snapshot_decode(const struct rulebook *rb, const char *json,
			       struct snapshot_board **out, char *err,
			       size_t err_size)
{
	struct reader r = {.json = json, .err = err, .err_size = err_size};
	struct snapshot_board *b;

	*out = NULL;
	if (err && err_size)
		err[0] = '\0';
	b = calloc(1, sizeof(*b));
	if (b)
		b->result = calloc(1, sizeof(*b->result));
	if (!b || !b->result ||
	    sqlite3_open_v2(":memory:", &r.db, SQLITE_OPEN_READWRITE, NULL) !=
		    SQLITE_OK) {
		bad(&r, KD_ERR_NOMEM, "out of memory");
		goto done;
	}
	if (!json) {
		bad(&r, KD_ERR_INPUT, "the month has no snapshot");
		goto done;
	}
	if (read_valid(&r))
		read_month(&r, b, rb);
	read_agents(&r, b, rb);
	read_categories(&r, b, rb);
	read_kpis(&r, b, rb);
	read_flags(&r, b);
done:
	sqlite3_close(r.db);
	if (r.status != KD_OK) {
		snapshot_board_destroy(b);
		return r.status;
	}
	*out = b;
	return KD_OK;
}
