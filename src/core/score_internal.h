/* Shared inside the scoring engine (src/core/score*.c): saturating
 * arithmetic, the rulebook lookups, the category accumulator and the
 * scoring context. Not a public header. */
#ifndef KPIDESK_SCORE_INTERNAL_H
#define KPIDESK_SCORE_INTERNAL_H

#include <stdlib.h>
#include <string.h>

#include "kpidesk/fixed.h"
#include "kpidesk/score.h"

#define SAT_MAX INT64_MAX
#define SAT_MIN (-INT64_MAX)

/* A fine never grows past 10^13 yuan: fine_growth saturates here. */
#define FINE_LIMIT_FEN INT64_C(1000000000000000)

/* ------------------------------------------------------------------------ */
/* Saturating arithmetic */

static inline bool mul_checked(int64_t a, int64_t b, int64_t *out)
{
	if (a == 0 || b == 0) {
		*out = 0;
		return true;
	}
	if (a > 0) {
		if (b > 0 ? a > INT64_MAX / b : b < INT64_MIN / a)
			return false;
	} else {
		if (b > 0 ? a < INT64_MIN / b : b < INT64_MAX / a)
			return false;
	}
	*out = a * b;
	return true;
}

static inline int64_t sat_mul(int64_t a, int64_t b)
{
	int64_t product;

	if (mul_checked(a, b, &product))
		return product < SAT_MIN ? SAT_MIN : product;
	return (a < 0) != (b < 0) ? SAT_MIN : SAT_MAX;
}

static inline int64_t sat_add(int64_t a, int64_t b)
{
	if (b > 0 && a > SAT_MAX - b)
		return SAT_MAX;
	if (b < 0 && a < SAT_MIN - b)
		return SAT_MIN;
	return a + b;
}

static inline int64_t sat_sub(int64_t a, int64_t b)
{
	/* b is never INT64_MIN: every value here is saturated to SAT_MIN. */
	return sat_add(a, b == INT64_MIN ? SAT_MAX : -b);
}

static inline int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static inline int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* floor(a * b / den) for a, b >= 0 and den > 0, saturating. */
static inline int64_t muldiv_floor_nonneg(int64_t a, int64_t b, int64_t den)
{
	int64_t whole = a / den;
	int64_t part = a % den;

	return sat_add(sat_mul(whole, b), sat_mul(part, b) / den);
}

static inline int32_t clamp_i32(int64_t v)
{
	if (v > INT32_MAX)
		return INT32_MAX;
	if (v < INT32_MIN)
		return INT32_MIN;
	return (int32_t)v;
}

/* ------------------------------------------------------------------------ */
/* Lookups (kept here so the engine depends on no other module's code but
 * fixed-point, dates and band lists) */

static inline int category_index(const struct rulebook *rb, const char *key)
{
	if (key == NULL)
		return -1;
	for (size_t i = 0; i < rb->category_count; i++)
		if (strcmp(rb->categories[i].key, key) == 0)
			return (int)i;
	return -1;
}

static inline int tier_index(const struct rulebook *rb, const char *key)
{
	if (key == NULL)
		return -1;
	for (size_t i = 0; i < rb->tier_count; i++)
		if (strcmp(rb->tiers[i].key, key) == 0)
			return (int)i;
	return -1;
}

static inline int64_t band_result(const struct band *band)
{
	return band != NULL ? band->result_h : 0;
}

struct cat_acc {
	const struct rb_category *cat;
	int64_t n;
	int64_t sum_cp;
	size_t esc_next;
	bool esc_reached;
	int64_t esc_total_cp;
	int64_t esc_sum_cp;
};

struct agent_ref {
	int64_t id;
	size_t index; /* into input->agents */
};

/* A non-voided event of a known category and a known agent. */
struct event_ref {
	kd_month month;
	size_t agent; /* into input->agents */
	int category;
	kd_date date;
	int64_t id;
	int32_t quantity;
	int64_t times; /* 1 for an event; a tally's count of events */
};

struct metric_ref {
	int64_t agent_id;
	size_t index; /* into input->metrics */
};

/* One agent in a look-back month. */
struct past_entry {
	bool on_board;
	int64_t score_cp;
	int32_t rank;
	int32_t board_size;
};

struct score_ctx {
	const struct rulebook *rb;
	const struct score_input *in;
	struct agent_ref *agents_by_id;
	struct event_ref *events;
	size_t event_count;
};

/* score_points.c: category totals, fines and event points */
void cat_acc_init(struct cat_acc *acc, const struct rb_category *cat);
void cat_acc_add_many(struct cat_acc *acc, int32_t quantity, int64_t times);
int64_t cat_acc_total(const struct cat_acc *acc);
int64_t category_fines(const struct rb_category *cat, int64_t n);
int cmp_i64(int64_t a, int64_t b);

/* score_board.c: the scoring context and the month's board */
int64_t agent_lookup(const struct score_ctx *ctx, int64_t id);
void score_ctx_finish(struct score_ctx *ctx);
enum kd_status score_ctx_init(struct score_ctx *ctx, const struct rulebook *rb,
                              const struct score_input *in, size_t *skipped);
void agent_results_free(struct score_agent_result *agents, size_t count);
enum kd_status core_month(const struct score_ctx *ctx, kd_month month,
                          struct score_agent_result **agents_out,
                          size_t *count_out);

/* score_money.c: look-back months, money, flags and the bonus pool */
enum kd_status past_month(const struct score_ctx *ctx, kd_month month,
                          struct past_entry *past);
void money_and_flags(const struct score_ctx *ctx, struct score_agent_result *ar,
                     size_t board_size, const struct past_entry *past,
                     int32_t avail);
void bonus_pool(const struct rulebook *rb, struct score_month_result *result);

#endif
