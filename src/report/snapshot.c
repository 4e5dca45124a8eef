/* Closed months' boards as JSON and back (kpidesk/snapshot.h).
 *
 * This module is the only one that knows the format: the store keeps the
 * text and hands it back (closed months' boards, and the closed look-back
 * months for snapshot_history).
 *
 * Writing: integers and kpidesk/json.h's strings. Reading: jansson (Debian's
 * libjansson) parses the text, so no JSON is parsed by hand; every value is
 * checked for its JSON type before it is used, since a snapshot is text
 * anyone could have edited.
 */
#include "kpidesk/snapshot.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kpidesk/date.h"
#include "kpidesk/json.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const dismiss_names[] = {"low_score", "category",
                                            "last_place"};

/* ---- writing ---- */

struct writer {
	FILE *out;
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
	if (!json_write_string(w->out, s))
		w->failed = true;
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
	             r->tier_index >= 0 &&
	                     (size_t)r->tier_index < rb->tier_count
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
	                     (size_t)r->dismiss_category < rb->category_count
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
	w.out = open_memstream(&buf, &size);
	if (!w.out)
		return KD_ERR_NOMEM;
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
	if (status != KD_OK) {
		free(buf);
		return status;
	}
	*json = buf;
	return KD_OK;
}

/* ---- reading ---- */

/* jansson parses the text; every value is checked for its JSON type before
 * it is used, since a snapshot is text anyone could have edited. */
struct reader {
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

/* obj's member `key`; NULL when obj is no object or has no such member. */
static json_t *member(json_t *obj, const char *key)
{
	return json_is_object(obj) ? json_object_get(obj, key) : NULL;
}

static bool absent(const json_t *v)
{
	return v == NULL || json_is_null(v);
}

/* An integer member; `nullable` lets null (or no member) through with
 * *has false. `what` names it in the message. */
static int64_t get_int(struct reader *r, json_t *obj, const char *key,
                       const char *what, bool nullable, bool *has)
{
	json_t *v = member(obj, key);

	if (has)
		*has = json_is_integer(v);
	if (json_is_integer(v))
		return (int64_t)json_integer_value(v);
	if (!(nullable && absent(v)))
		bad(r, KD_ERR_INPUT, "snapshot: %s is not a whole number",
		    what);
	return 0;
}

static int32_t get_i32(struct reader *r, json_t *obj, const char *key)
{
	int64_t v = get_int(r, obj, key, key, false, NULL);

	if (v < INT32_MIN || v > INT32_MAX) {
		bad(r, KD_ERR_INPUT, "snapshot: %s is out of range", key);
		return 0;
	}
	return (int32_t)v;
}

static bool get_bool(struct reader *r, json_t *obj, const char *key)
{
	json_t *v = member(obj, key);

	if (!json_is_boolean(v))
		bad(r, KD_ERR_INPUT, "snapshot: %s is not true or false", key);
	return json_is_true(v);
}

/* A text member, NULL for null (or no member) when nullable. */
static const char *get_text(struct reader *r, json_t *obj, const char *key,
                            const char *what, bool nullable)
{
	json_t *v = member(obj, key);

	if (json_is_string(v))
		return json_string_value(v);
	if (!(nullable && absent(v)))
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

static kd_date get_date(struct reader *r, json_t *obj, const char *key,
                        bool nullable)
{
	const char *text = get_text(r, obj, key, key, nullable);
	kd_date date = KD_DATE_NONE;

	if (text && !date_parse(text, &date))
		bad(r, KD_ERR_INPUT, "snapshot: %s '%s' is not a date", key,
		    text);
	return date;
}

/* A list member: NULL (nothing to read) when absent, an error when it is
 * something else than an array. */
static json_t *get_list(struct reader *r, json_t *obj, const char *key)
{
	json_t *v = member(obj, key);

	if (absent(v))
		return NULL;
	if (!json_is_array(v)) {
		bad(r, KD_ERR_INPUT, "snapshot: %s is not a list", key);
		return NULL;
	}
	return v;
}

static void read_month(struct reader *r, struct snapshot_board *b,
                       const struct rulebook *rb, json_t *root)
{
	struct score_month_result *res = b->result;
	json_t *version = member(root, "version");
	json_t *agents;
	const char *month;

	if (!json_is_integer(version) ||
	    json_integer_value(version) != SNAPSHOT_VERSION) {
		bad(r, KD_ERR_INPUT,
		    "the snapshot is not of version %d (written by another "
		    "kpidesk?)",
		    SNAPSHOT_VERSION);
		return;
	}
	month = get_text(r, root, "month", "month", false);
	if (month && !month_parse(month, &res->month))
		bad(r, KD_ERR_INPUT, "snapshot: '%s' is not a month", month);
	res->silent_sales_fen =
	    get_int(r, root, "silent_sales_fen", "silent_sales_fen", true,
	            &res->has_silent_sales);
	res->pool_fen = get_int(r, root, "pool_fen", "pool_fen", false, NULL);
	res->undistributed_fen = get_int(r, root, "undistributed_fen",
	                                 "undistributed_fen", false, NULL);
	res->skipped_events = (size_t)get_int(r, root, "skipped_events",
	                                      "skipped_events", false, NULL);
	agents = member(root, "agents");
	if (!json_is_array(agents)) {
		bad(r, KD_ERR_INPUT, "snapshot: agents is not a list");
		return;
	}
	res->category_count = rb->category_count;
	res->kpi_count = rb->kpi_count;
	if (json_array_size(agents) == 0 || r->status != KD_OK)
		return;
	b->agent_count = json_array_size(agents);
	res->agents = calloc(b->agent_count, sizeof(*res->agents));
	b->agents = calloc(b->agent_count, sizeof(*b->agents));
	b->names = calloc(b->agent_count, sizeof(*b->names));
	b->handles = calloc(b->agent_count, sizeof(*b->handles));
	if (!res->agents || !b->agents || !b->names || !b->handles) {
		bad(r, KD_ERR_NOMEM, "out of memory");
		return;
	}
	res->agent_count = b->agent_count;
	for (size_t i = 0; i < b->agent_count; i++) {
		struct score_agent_result *ar = &res->agents[i];

		ar->agent = &b->agents[i];
		ar->tier_index = -1;
		ar->dismiss_category = -1;
		if (rb->category_count)
			ar->categories =
			    calloc(rb->category_count, sizeof(*ar->categories));
		if (rb->kpi_count)
			ar->kpi_metrics =
			    calloc(rb->kpi_count, sizeof(*ar->kpi_metrics));
		if ((rb->category_count && !ar->categories) ||
		    (rb->kpi_count && !ar->kpi_metrics)) {
			bad(r, KD_ERR_NOMEM, "out of memory");
			return;
		}
	}
}

static void read_categories(struct reader *r, struct score_agent_result *ar,
                            const struct rulebook *rb, json_t *a)
{
	json_t *list = get_list(r, a, "categories");

	for (size_t i = 0; list && i < json_array_size(list); i++) {
		json_t *c = json_array_get(list, i);
		const char *key = get_text(r, c, "key", "category key", false);
		int index = key ? rulebook_category_index(rb, key) : -1;
		struct score_category_result *cat;

		if (!key)
			return;
		if (index < 0) {
			bad(r, KD_ERR_INPUT,
			    "snapshot: category '%s' is not in its rulebook",
			    key);
			return;
		}
		cat = &ar->categories[index];
		cat->occurrences = get_i32(r, c, "occurrences");
		cat->total_cp =
		    get_int(r, c, "total_cp", "total_cp", false, NULL);
		cat->fines_fen =
		    get_int(r, c, "fines_fen", "fines_fen", false, NULL);
		cat->dismiss_reached = get_bool(r, c, "dismiss_reached");
	}
}

static void read_kpi(struct reader *r, struct score_agent_result *ar,
                     const struct rulebook *rb, json_t *a)
{
	json_t *kpi = member(a, "kpi");
	json_t *list;

	ar->kpi_present = json_is_object(kpi);
	if (!ar->kpi_present) {
		if (!absent(kpi))
			bad(r, KD_ERR_INPUT,
			    "snapshot: kpi is neither null "
			    "nor an object");
		return;
	}
	ar->kpi_score_cp =
	    get_int(r, kpi, "score_cp", "kpi score", false, NULL);
	list = get_list(r, kpi, "metrics");
	for (size_t i = 0; list && i < json_array_size(list); i++) {
		json_t *v = json_array_get(list, i);
		const char *key = get_text(r, v, "key", "KPI key", false);
		struct score_kpi_metric *m = NULL;

		if (!key)
			return;
		for (size_t k = 0; k < rb->kpi_count; k++)
			if (strcmp(rb->kpis[k].key, key) == 0)
				m = &ar->kpi_metrics[k];
		if (!m) {
			bad(r, KD_ERR_INPUT,
			    "snapshot: KPI '%s' is not in its rulebook", key);
			return;
		}
		m->present = get_bool(r, v, "present");
		m->value_num =
		    get_int(r, v, "value_num", "value_num", false, NULL);
		m->value_den =
		    get_int(r, v, "value_den", "value_den", false, NULL);
		m->value_h = get_int(r, v, "value_h", "value_h", false, NULL);
		m->band_h = get_int(r, v, "band_h", "band_h", false, NULL);
		m->points_cp =
		    get_int(r, v, "points_cp", "points_cp", false, NULL);
	}
}

/* Flags and dismissal reasons by name. */
static void read_flags(struct reader *r, struct score_agent_result *ar,
                       json_t *a)
{
	for (int dismiss = 0; dismiss <= 1; dismiss++) {
		json_t *list =
		    get_list(r, a, dismiss ? "dismiss_reasons" : "flags");

		for (size_t i = 0; list && i < json_array_size(list); i++) {
			json_t *v = json_array_get(list, i);
			const char *name = json_string_value(v);
			bool known = false;

			if (!name) {
				bad(r, KD_ERR_INPUT,
				    "snapshot: flag is not text");
				return;
			}
			if (dismiss) {
				for (size_t bit = 0;
				     bit < COUNT_OF(dismiss_names); bit++)
					if (strcmp(dismiss_names[bit], name) ==
					    0) {
						ar->dismiss_reasons |= 1u
						                       << bit;
						known = true;
					}
			} else {
				for (int bit = 0; bit < SCORE_FLAG_COUNT; bit++)
					if (strcmp(score_flag_name(bit),
					           name) == 0) {
						ar->flags |= 1u << bit;
						known = true;
					}
			}
			if (!known) {
				bad(r, KD_ERR_INPUT,
				    "snapshot: unknown %s '%s'",
				    dismiss ? "dismissal reason" : "flag",
				    name);
				return;
			}
		}
	}
}

static void read_agent(struct reader *r, struct snapshot_board *b,
                       const struct rulebook *rb, size_t index, json_t *a)
{
	struct score_agent_result *ar = &b->result->agents[index];
	struct score_agent *agent = &b->agents[index];
	const char *text;

	agent->id = get_int(r, a, "id", "id", false, NULL);
	b->names[index] = dup_text(get_text(r, a, "name", "name", false));
	text = get_text(r, a, "handle", "handle", true);
	b->handles[index] = dup_text(text);
	if ((!b->names[index] && r->status == KD_OK) ||
	    (text && !b->handles[index]))
		bad(r, KD_ERR_NOMEM, "out of memory");
	agent->name = b->names[index];
	agent->handle = b->handles[index];
	agent->hired = get_date(r, a, "hired", false);
	agent->left = get_date(r, a, "left", true);

	text = get_text(r, a, "tier", "tier", true);
	if (text) {
		ar->tier_index = rulebook_tier_index(rb, text);
		if (ar->tier_index < 0)
			bad(r, KD_ERR_INPUT,
			    "snapshot: tier '%s' is not in its rulebook", text);
	}
	ar->months_in_tier = get_i32(r, a, "months_in_tier");
	ar->employment_month = get_i32(r, a, "employment_month");
	ar->whole_month = get_bool(r, a, "whole_month");
	ar->light_count = get_i32(r, a, "light_count");
	ar->medium_count = get_i32(r, a, "medium_count");
	ar->combo_cp = get_int(r, a, "combo_cp", "combo_cp", false, NULL);
	ar->base_cp = get_int(r, a, "base_cp", "base_cp", false, NULL);
	ar->sales_fen =
	    get_int(r, a, "sales_fen", "sales_fen", true, &ar->has_sales);
	ar->score_cp = get_int(r, a, "score_cp", "score_cp", false, NULL);
	text = get_text(r, a, "grade", "grade", false);
	if (text && strlen(text) >= sizeof(ar->grade))
		bad(r, KD_ERR_INPUT, "snapshot: grade '%s' is too long", text);
	else if (text)
		snprintf(ar->grade, sizeof(ar->grade), "%s", text);
	ar->rank = get_i32(r, a, "rank");
	ar->previous_score_cp =
	    get_int(r, a, "previous_score_cp", "previous_score_cp", true,
	            &ar->has_previous);
	ar->pay_adjust_fen =
	    get_int(r, a, "pay_adjust_fen", "pay_adjust_fen", false, NULL);
	ar->pool_share_fen =
	    get_int(r, a, "pool_share_fen", "pool_share_fen", false, NULL);
	ar->award_fen = get_int(r, a, "award_fen", "award_fen", false, NULL);
	ar->streak_award_fen =
	    get_int(r, a, "streak_award_fen", "streak_award_fen", false, NULL);
	ar->attendance_award_fen = get_int(r, a, "attendance_award_fen",
	                                   "attendance_award_fen", false, NULL);
	ar->fines_fen = get_int(r, a, "fines_fen", "fines_fen", false, NULL);
	ar->top_streak = get_i32(r, a, "top_streak");
	text = get_text(r, a, "dismiss_category", "dismiss_category", true);
	if (text) {
		ar->dismiss_category = rulebook_category_index(rb, text);
		if (ar->dismiss_category < 0)
			bad(r, KD_ERR_INPUT,
			    "snapshot: category '%s' is not in its rulebook",
			    text);
	}
	ar->promote_streak = get_i32(r, a, "promote_streak");
	ar->demote_streak = get_i32(r, a, "demote_streak");
	ar->last_place_streak = get_i32(r, a, "last_place_streak");
	read_kpi(r, ar, rb, a);
	read_categories(r, ar, rb, a);
	read_flags(r, ar, a);
}

/* The text parsed; NULL (and the error recorded) when it is not JSON.
 * Duplicate keys are refused: an edited snapshot is not guessed at. */
static json_t *parse(struct reader *r, const char *json)
{
	json_error_t error;
	json_t *root = json_loads(json, JSON_REJECT_DUPLICATES, &error);

	if (!root)
		bad(r, KD_ERR_INPUT, "the snapshot is not valid JSON");
	return root;
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
	struct reader r = {.err = err, .err_size = err_size};
	struct snapshot_board *b;
	json_t *root = NULL;

	*out = NULL;
	if (err && err_size)
		err[0] = '\0';
	b = calloc(1, sizeof(*b));
	if (b)
		b->result = calloc(1, sizeof(*b->result));
	if (!b || !b->result) {
		bad(&r, KD_ERR_NOMEM, "out of memory");
		goto done;
	}
	if (!json) {
		bad(&r, KD_ERR_INPUT, "the month has no snapshot");
		goto done;
	}
	root = parse(&r, json);
	if (root)
		read_month(&r, b, rb, root);
	for (size_t i = 0; r.status == KD_OK && i < b->agent_count; i++)
		read_agent(&r, b, rb, i,
		           json_array_get(member(root, "agents"), i));
done:
	json_decref(root);
	if (r.status != KD_OK) {
		snapshot_board_destroy(b);
		return r.status;
	}
	*out = b;
	return KD_OK;
}

enum kd_status snapshot_history(struct store_score_bundle *bundle, char *err,
                                size_t err_size)
{
	struct reader r = {.err = err, .err_size = err_size};
	size_t used = 0;

	if (err && err_size)
		err[0] = '\0';
	free(bundle->history);
	bundle->history = NULL;
	bundle->input.history = NULL;
	bundle->input.history_count = 0;
	for (size_t m = 0; r.status == KD_OK && m < bundle->closed_count; m++) {
		const struct store_closed_board *closed = &bundle->closed[m];
		json_t *root = closed->snapshot
		                   ? json_loads(closed->snapshot,
		                                JSON_REJECT_DUPLICATES, NULL)
		                   : NULL;
		json_t *agents = member(root, "agents");
		size_t count = json_array_size(agents);
		struct score_history *grown;
		char month[16];

		month_format(month, sizeof(month), closed->month);
		if (!json_is_array(agents)) {
			bad(&r, KD_ERR_INPUT,
			    "malformed snapshot of month %s: no list of "
			    "agents",
			    month);
		} else if (count) {
			grown = realloc(bundle->history,
			                (used + count) * sizeof(*grown));
			if (!grown)
				bad(&r, KD_ERR_NOMEM, "out of memory");
			else
				bundle->history = grown;
		}
		for (size_t i = 0; r.status == KD_OK && i < count; i++) {
			json_t *a = json_array_get(agents, i);
			struct score_history *h = &bundle->history[used];
			struct reader one = {0};

			memset(h, 0, sizeof(*h));
			h->month = closed->month;
			h->agent_id = get_int(&one, a, "id", "id", false, NULL);
			h->score_cp = get_int(&one, a, "score_cp", "score_cp",
			                      false, NULL);
			h->rank = get_i32(&one, a, "rank");
			h->board_size = (int32_t)count;
			if (one.status != KD_OK)
				bad(&r, KD_ERR_INPUT,
				    "malformed snapshot of month %s: agent "
				    "%zu has no whole id, score_cp and rank",
				    month, i + 1);
			else
				used++;
		}
		json_decref(root);
	}
	if (r.status != KD_OK) {
		free(bundle->history);
		bundle->history = NULL;
		return r.status;
	}
	bundle->input.history = used ? bundle->history : NULL;
	bundle->input.history_count = used;
	return KD_OK;
}
