/* The scoring engine (RULEBOOK.md sections 3 to 10), with exact numbers.
 *
 * The rulebook is built by hand here (the default of RULEBOOK.md section 12),
 * so these tests depend on neither the INI loader nor the database.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpidesk/bands.h"
#include "kpidesk/date.h"
#include "kpidesk/rulebook.h"
#include "kpidesk/score.h"
#include "testutil.h"

/* ------------------------------------------------------------------------ */
/* The default rulebook, built in code */

#define CAT_LATE        0
#define CAT_ABSENT      1
#define CAT_UNREPLIED   2
#define CAT_CURT        3
#define CAT_MISTAKE     4
#define CAT_COMPLAINT   5
#define CAT_QUARREL     6
#define CAT_OFFPOST     7
#define CAT_OVERPROMISE 8
#define CAT_SHIRK       9
#define CAT_UNCHASED    10
#define CAT_PRAISE      11
#define CAT_EXTRA       12
#define CAT_COVER       13
#define CAT_MAX         16

#define TIER_JUNIOR       0
#define TIER_INTERMEDIATE 1
#define TIER_SENIOR       2
#define TIER_EXPERT       3

static void parse_bands(struct band_list *list, const char *text, bool words)
{
	struct band_error err;

	memset(&err, 0, sizeof(err));
	ck_assert_msg(band_list_parse(text, words, list, &err),
	              "bands '%s': %s at %zu", text, err.reason, err.position);
}

static int64_t *i64_list(size_t count, const int64_t *values)
{
	int64_t *list = calloc(count, sizeof(*list));

	ck_assert_ptr_nonnull(list);
	memcpy(list, values, count * sizeof(*list));
	return list;
}

static struct rb_category *add_category(struct rulebook *rb, const char *key,
                                        enum rb_kind kind, int64_t points_cp,
                                        enum rb_severity severity)
{
	struct rb_category *cat;

	ck_assert_uint_lt(rb->category_count, CAT_MAX);
	cat = &rb->categories[rb->category_count++];
	memset(cat, 0, sizeof(*cat));
	snprintf(cat->key, sizeof(cat->key), "%s", key);
	cat->kind = kind;
	cat->unit = RB_UNIT_COUNT;
	cat->points_cp = points_cp;
	cat->severity = severity;
	cat->fine_growth_h = 100;
	return cat;
}

static void set_escalate(struct rb_category *cat, size_t count,
                         const struct rb_escalate_step *steps)
{
	cat->escalate = calloc(count, sizeof(*cat->escalate));
	ck_assert_ptr_nonnull(cat->escalate);
	memcpy(cat->escalate, steps, count * sizeof(*steps));
	cat->escalate_count = count;
}

static void set_tier(struct rb_tier *tier, const char *key, bool can_promote,
                     int64_t promote_score_cp, int32_t promote_months,
                     int32_t min_months)
{
	snprintf(tier->key, sizeof(tier->key), "%s", key);
	tier->can_promote = can_promote;
	tier->promote_score_cp = promote_score_cp;
	tier->promote_months = promote_months;
	tier->min_months = min_months;
}

/* RULEBOOK.md section 12, number for number. */
static struct rulebook *default_rulebook(void)
{
	static const struct rb_escalate_step complaint_steps[] = {
	    {3, -500},
	    {5, -1000},
	};
	static const int64_t shares[] = {4000, 3000};
	static const int64_t awards[] = {20000, 10000};
	static const int64_t streaks[] = {5000, 10000, 20000};
	struct rulebook *rb = calloc(1, sizeof(*rb));
	struct rb_category *cat;

	ck_assert_ptr_nonnull(rb);
	rb->mode = RB_MODE_FIXED;
	rb->base_cp = 8000;
	rb->min_cp = 0;
	rb->max_cp = 11000;

	rb->combo_light = 4;
	rb->combo_medium = 2;
	rb->combo_points_cp = -2000;

	parse_bands(&rb->grades, ">90:A, >=80:B, >=70:C, >=65:D, >=60:E, *:F",
	            true);

	rb->pay_baseline_cp = 8000;
	rb->pay_per_point_fen = 1000;
	rb->pay_cap_fen = 30000;
	rb->pay_from_month = 3;

	rb->bonus_min_score_cp = 8000;
	rb->bonus_pool_rate_ppm = 6000;
	rb->bonus_share_count = 2;
	rb->bonus_shares_bp = i64_list(2, shares);
	rb->bonus_award_count = 2;
	rb->bonus_awards_fen = i64_list(2, awards);
	rb->bonus_rest_share_bp = 3000;

	rb->top_streak_count = 3;
	rb->top_streak_fen = i64_list(3, streaks);
	rb->full_attendance_fen = 5000;

	rb->tier_count = 4;
	rb->tiers = calloc(4, sizeof(*rb->tiers));
	ck_assert_ptr_nonnull(rb->tiers);
	set_tier(&rb->tiers[TIER_JUNIOR], "junior", true, 8500, 3, 3);
	set_tier(&rb->tiers[TIER_INTERMEDIATE], "intermediate", true, 9000, 3,
	         6);
	set_tier(&rb->tiers[TIER_SENIOR], "senior", true, 9500, 3, 6);
	set_tier(&rb->tiers[TIER_EXPERT], "expert", false, 0, 0, 0);
	rb->demote_below_cp = 8000;
	rb->demote_months = 2;

	rb->dismiss_below_cp = 6000;
	rb->last_place_below_cp = 7000;
	rb->last_place_months = 2;

	rb->categories = calloc(CAT_MAX, sizeof(*rb->categories));
	ck_assert_ptr_nonnull(rb->categories);

	cat = add_category(rb, "late", RB_DEDUCTION, 0, RB_SEV_LIGHT);
	cat->unit = RB_UNIT_MINUTES;
	cat->has_bands = true;
	parse_bands(&cat->bands, "<=15:-1, <=30:-2, *:-5", false);
	cat->attendance = true;

	cat = add_category(rb, "absent", RB_DEDUCTION, -2000, RB_SEV_SEVERE);
	cat->attendance = true;

	cat = add_category(rb, "unreplied", RB_DEDUCTION, -100, RB_SEV_LIGHT);
	cat->has_budget = true;
	cat->budget_cp = 1000;
	cat->zero_at = 2;

	add_category(rb, "curt", RB_DEDUCTION, -50, RB_SEV_LIGHT);
	add_category(rb, "mistake", RB_DEDUCTION, -50, RB_SEV_LIGHT);

	cat = add_category(rb, "complaint", RB_DEDUCTION, -100, RB_SEV_NONE);
	set_escalate(cat, 2, complaint_steps);
	cat->fine_fen = 3000;
	cat->fine_growth_h = 200;
	cat->dismiss_at = 3;
	cat->note_required = true;

	cat = add_category(rb, "quarrel", RB_DEDUCTION, -2000, RB_SEV_SEVERE);
	cat->dismiss_at = 1;
	cat->note_required = true;

	cat = add_category(rb, "offpost", RB_DEDUCTION, -500, RB_SEV_MEDIUM);
	cat->has_budget = true;
	cat->budget_cp = 1500;
	cat->zero_at = 3;

	cat =
	    add_category(rb, "overpromise", RB_DEDUCTION, -1000, RB_SEV_MEDIUM);
	cat->has_budget = true;
	cat->budget_cp = 1000;
	cat->zero_at = 1;

	cat = add_category(rb, "shirk", RB_DEDUCTION, -300, RB_SEV_MEDIUM);
	cat->free_count = 2;

	cat = add_category(rb, "unchased", RB_DEDUCTION, 0, RB_SEV_NONE);
	cat->fine_fen = 500;

	add_category(rb, "praise", RB_BONUS, 200, RB_SEV_NONE);
	add_category(rb, "extra", RB_BONUS, 200, RB_SEV_NONE);
	add_category(rb, "cover", RB_BONUS, 500, RB_SEV_NONE);
	return rb;
}

static void add_kpi(struct rulebook *rb, const char *key, enum rb_metric metric,
                    int32_t weight, const char *bands)
{
	struct rb_kpi *kpi = &rb->kpis[rb->kpi_count++];

	snprintf(kpi->key, sizeof(kpi->key), "%s", key);
	kpi->metric = metric;
	kpi->weight = weight;
	parse_bands(&kpi->bands, bands, false);
}

/* The default rulebook with mode = kpi and RULEBOOK.md section 8's KPIs. */
static struct rulebook *kpi_rulebook(void)
{
	struct rulebook *rb = default_rulebook();
	char sales[512];
	char conversion[1024];
	size_t used = 0;

	rb->mode = RB_MODE_KPI;
	rb->kpis = calloc(5, sizeof(*rb->kpis));
	ck_assert_ptr_nonnull(rb->kpis);

	/* >=100:100, >=98:98, ..., >=50:50, *:0 */
	for (int pct = 100; pct >= 50; pct -= 2)
		used += (size_t)snprintf(sales + used, sizeof(sales) - used,
		                         ">=%d:%d, ", pct, pct);
	snprintf(sales + used, sizeof(sales) - used, "*:0");
	/* >=64:100, >=63:98, ..., >=15:2, *:0 */
	used = 0;
	for (int rate = 64; rate >= 15; rate--)
		used += (size_t)snprintf(conversion + used,
		                         sizeof(conversion) - used, ">=%d:%d, ",
		                         rate, 100 - 2 * (64 - rate));
	snprintf(conversion + used, sizeof(conversion) - used, "*:0");

	add_kpi(rb, "sales", RB_METRIC_SALES_PCT, 45, sales);
	add_kpi(rb, "conversion", RB_METRIC_CONVERSION, 40, conversion);
	add_kpi(rb, "response", RB_METRIC_RESPONSE_S, 5,
	        "<=15:100, <22:80, <30:60, *:0");
	add_kpi(rb, "aov", RB_METRIC_AOV_PCT, 5,
	        ">=100:100, >=90:80, >=80:60, *:0");
	add_kpi(rb, "reply", RB_METRIC_REPLY_RATE, 5,
	        ">=98:100, >=95:80, >=90:60, *:0");
	return rb;
}

static void free_rulebook(struct rulebook *rb)
{
	for (size_t i = 0; i < rb->category_count; i++) {
		band_list_finish(&rb->categories[i].bands);
		free(rb->categories[i].escalate);
	}
	free(rb->categories);
	for (size_t i = 0; i < rb->kpi_count; i++)
		band_list_finish(&rb->kpis[i].bands);
	free(rb->kpis);
	free(rb->tiers);
	free(rb->bonus_shares_bp);
	free(rb->bonus_awards_fen);
	free(rb->top_streak_fen);
	band_list_finish(&rb->grades);
	free(rb);
}

/* ------------------------------------------------------------------------ */
/* Input fixtures */

#define MAX_AGENTS  16
#define MAX_SPANS   4
#define MAX_EVENTS  256
#define MAX_METRICS 32
#define MAX_HISTORY 32

struct fixture {
	struct score_agent agents[MAX_AGENTS];
	struct score_tier_span spans[MAX_AGENTS][MAX_SPANS];
	struct score_event events[MAX_EVENTS];
	struct score_metrics metrics[MAX_METRICS];
	struct score_history history[MAX_HISTORY];
	struct score_input input;
	int64_t next_event_id;
};

/* The scored month of most tests: March 2026 (31 days). */
#define M tu_month(2026, 3)

static kd_date mday(kd_month month, int d)
{
	return tu_day(month_year(month), month_number(month), d);
}

static struct fixture *fixture_new(kd_month month)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	ck_assert_ptr_nonnull(fx);
	fx->input.month = month;
	fx->input.agents = fx->agents;
	fx->input.events = fx->events;
	fx->input.metrics = fx->metrics;
	fx->input.history = fx->history;
	return fx;
}

/* An agent hired on `hired`, in `tier` from the hire month. */
static size_t add_agent(struct fixture *fx, int64_t id, kd_date hired,
                        const char *tier)
{
	size_t i = fx->input.agent_count++;
	struct score_agent *agent = &fx->agents[i];

	ck_assert_uint_lt(i, MAX_AGENTS);
	agent->id = id;
	agent->name = "agent";
	agent->hired = hired;
	agent->left = KD_DATE_NONE;
	agent->tiers = fx->spans[i];
	agent->tier_count = 1;
	fx->spans[i][0].since = date_month(hired);
	fx->spans[i][0].tier_key = tier;
	return i;
}

/* A junior hired long ago (2025-01-01). */
static size_t add_veteran(struct fixture *fx, int64_t id)
{
	return add_agent(fx, id, tu_day(2025, 1, 1), "junior");
}

static void add_span(struct fixture *fx, size_t agent, kd_month since,
                     const char *tier)
{
	struct score_agent *a = &fx->agents[agent];

	ck_assert_uint_lt(a->tier_count, MAX_SPANS);
	fx->spans[agent][a->tier_count].since = since;
	fx->spans[agent][a->tier_count].tier_key = tier;
	a->tier_count++;
}

static size_t add_event(struct fixture *fx, int64_t agent_id, kd_date date,
                        const char *category, int32_t quantity)
{
	size_t i = fx->input.event_count++;

	ck_assert_uint_lt(i, MAX_EVENTS);
	fx->events[i].id = ++fx->next_event_id;
	fx->events[i].agent_id = agent_id;
	fx->events[i].date = date;
	fx->events[i].category = category;
	fx->events[i].quantity = quantity;
	fx->events[i].voided = false;
	return i;
}

/* `count` events of quantity 1 on consecutive days from the 1st. */
static void add_events(struct fixture *fx, int64_t agent_id, kd_month month,
                       const char *category, int count)
{
	for (int i = 0; i < count; i++)
		add_event(fx, agent_id, mday(month, 1 + i % 28), category, 1);
}

static struct score_metrics *add_metrics(struct fixture *fx, int64_t agent_id,
                                         kd_month month)
{
	size_t i = fx->input.metrics_count++;

	ck_assert_uint_lt(i, MAX_METRICS);
	memset(&fx->metrics[i], 0, sizeof(fx->metrics[i]));
	fx->metrics[i].agent_id = agent_id;
	fx->metrics[i].month = month;
	return &fx->metrics[i];
}

static void add_history(struct fixture *fx, kd_month month, int64_t agent_id,
                        int64_t score_cp, int32_t rank, int32_t board_size)
{
	size_t i = fx->input.history_count++;

	ck_assert_uint_lt(i, MAX_HISTORY);
	fx->history[i].month = month;
	fx->history[i].agent_id = agent_id;
	fx->history[i].score_cp = score_cp;
	fx->history[i].rank = rank;
	fx->history[i].board_size = board_size;
}

static void set_earliest(struct fixture *fx, kd_month month)
{
	fx->input.has_earliest_month = true;
	fx->input.earliest_month = month;
}

static struct score_month_result *score(const struct rulebook *rb,
                                        const struct fixture *fx)
{
	struct score_month_result *result = NULL;

	ck_assert_int_eq(score_month(rb, &fx->input, &result), KD_OK);
	ck_assert_ptr_nonnull(result);
	return result;
}

/* Scores fx's month as if it were `month`. */
static struct score_month_result *score_at(const struct rulebook *rb,
                                           struct fixture *fx, kd_month month)
{
	fx->input.month = month;
	return score(rb, fx);
}

static const struct score_agent_result *
find(const struct score_month_result *result, int64_t id)
{
	for (size_t i = 0; i < result->agent_count; i++)
		if (result->agents[i].agent->id == id)
			return &result->agents[i];
	ck_abort_msg("agent %lld not on the board", (long long)id);
	return NULL;
}

static bool on_result(const struct score_month_result *result, int64_t id)
{
	for (size_t i = 0; i < result->agent_count; i++)
		if (result->agents[i].agent->id == id)
			return true;
	return false;
}

/* Scores `month` and copies agent id's result (without its arrays). */
static unsigned flags_of(const struct rulebook *rb, struct fixture *fx,
                         kd_month month, int64_t id,
                         struct score_agent_result *copy)
{
	struct score_month_result *result = score_at(rb, fx, month);
	const struct score_agent_result *ar = find(result, id);
	unsigned flags = ar->flags;

	if (copy != NULL) {
		*copy = *ar;
		copy->categories = NULL;
		copy->kpi_metrics = NULL;
	}
	score_month_result_destroy(result);
	return flags;
}

/* The score of agent 1 alone with `count` events of `category`. */
static int64_t lone_score(const struct rulebook *rb, const char *category,
                          int count)
{
	struct fixture *fx = fixture_new(M);
	struct score_month_result *result;
	int64_t s;

	add_veteran(fx, 1);
	add_events(fx, 1, M, category, count);
	result = score(rb, fx);
	s = find(result, 1)->score_cp;
	score_month_result_destroy(result);
	free(fx);
	return s;
}

/* The category total for `count` single occurrences. */
static int64_t total_of(const struct rulebook *rb, int category, int count)
{
	int32_t quantities[64];

	ck_assert_int_le(count, 64);
	for (int i = 0; i < count; i++)
		quantities[i] = 1;
	return score_category_total(&rb->categories[category], (size_t)count,
	                            quantities);
}

/* ------------------------------------------------------------------------ */
/* Section 3: category totals */

START_TEST(complaint_escalates)
{
	struct rulebook *rb = default_rulebook();
	static const int64_t expected[] = {0,    -100,  -200,  -500,
	                                   -600, -1000, -1100, -1200};
	int32_t one_event = 6;
	int32_t split[] = {4, 2};

	/* RULEBOOK.md section 3's example: 1 -> -1 ... 6 -> -11. */
	for (int n = 0; n <= 7; n++)
		ck_assert_int_eq(total_of(rb, CAT_COMPLAINT, n), expected[n]);
	/* Quantities expand into occurrences. */
	ck_assert_int_eq(
	    score_category_total(&rb->categories[CAT_COMPLAINT], 1, &one_event),
	    -1100);
	ck_assert_int_eq(
	    score_category_total(&rb->categories[CAT_COMPLAINT], 2, split),
	    -1100);
	/* Through the whole engine: 80 - 5 = 75. */
	ck_assert_int_eq(lone_score(rb, "complaint", 3), 7500);
	ck_assert_int_eq(lone_score(rb, "complaint", 6), 6900);
	free_rulebook(rb);
}
END_TEST

START_TEST(complaint_fines_double)
{
	struct rulebook *rb = default_rulebook();
	const struct rb_category *complaint = &rb->categories[CAT_COMPLAINT];
	struct fixture *fx = fixture_new(M);
	struct score_month_result *result;
	const struct score_agent_result *ar;

	/* Seed 002: 30 yuan, then doubled, then doubled again. */
	ck_assert_int_eq(score_occurrence_fine(complaint, 1), 3000);
	ck_assert_int_eq(score_occurrence_fine(complaint, 2), 6000);
	ck_assert_int_eq(score_occurrence_fine(complaint, 3), 12000);
	ck_assert_int_eq(score_occurrence_fine(complaint, 4), 24000);
	ck_assert_int_eq(score_occurrence_fine(complaint, 0), 0);
	/* A fine grows no further than 10^13 yuan. */
	ck_assert_int_eq(score_occurrence_fine(complaint, INT32_MAX),
	                 INT64_C(1000000000000000));

	add_veteran(fx, 1);
	add_events(fx, 1, M, "complaint", 3);
	add_events(fx, 1, M, "unchased", 2);
	result = score(rb, fx);
	ar = find(result, 1);
	ck_assert_int_eq(ar->categories[CAT_COMPLAINT].fines_fen, 21000);
	ck_assert_int_eq(ar->categories[CAT_UNCHASED].fines_fen, 1000);
	ck_assert_int_eq(ar->categories[CAT_UNCHASED].total_cp, 0);
	ck_assert_int_eq(ar->fines_fen, 22000);
	score_month_result_destroy(result);

	/* A huge quantity saturates instead of overflowing. */
	fx->input.event_count = 0;
	add_event(fx, 1, mday(M, 2), "complaint", INT32_MAX);
	result = score(rb, fx);
	ar = find(result, 1);
	ck_assert_int_eq(ar->categories[CAT_COMPLAINT].occurrences, INT32_MAX);
	ck_assert_int_eq(ar->categories[CAT_COMPLAINT].fines_fen, INT64_MAX);
	ck_assert_int_eq(ar->categories[CAT_COMPLAINT].total_cp,
	                 -1000 - (int64_t)(INT32_MAX - 5) * 100);
	ck_assert_int_eq(ar->score_cp, 0);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(fine_growth_rounds_once)
{
	struct rulebook *rb = default_rulebook();
	struct rb_category *cat = &rb->categories[CAT_UNCHASED];
	static const int64_t expected[] = {1, 2, 2, 3, 5, 8};

	/* fine x growth^(k-1), rounded once, half away from zero: 1 fen x1.5
	 * gives 1, 1.5 -> 2, 2.25 -> 2, 3.375 -> 3, 5.0625 -> 5,
	 * 7.59375 -> 8 (rounding step by step would give 1, 2, 3, 5, 8, 12). */
	cat->fine_fen = 1;
	cat->fine_growth_h = 150;
	for (int k = 1; k <= 6; k++)
		ck_assert_int_eq(score_occurrence_fine(cat, k),
		                 expected[k - 1]);
	/* 30 yuan x1.5: 30, 45, 67.50, 101.25, 151.875 -> 151.88,
	 * 227.8125 -> 227.81; six of them 623.44 (not 623.45). */
	cat->fine_fen = 3000;
	ck_assert_int_eq(score_occurrence_fine(cat, 3), 6750);
	ck_assert_int_eq(score_occurrence_fine(cat, 5), 15188);
	ck_assert_int_eq(score_occurrence_fine(cat, 6), 22781);
	int64_t total = 0;
	for (int k = 1; k <= 6; k++)
		total += score_occurrence_fine(cat, k);
	ck_assert_int_eq(total, 62344);
	/* x1.01 for 30 steps: beyond an exact 64-bit fraction, carried in
	 * millionths of a fen: 30 x 1.01^29 = 40.0351... yuan. */
	cat->fine_growth_h = 101;
	ck_assert_int_eq(score_occurrence_fine(cat, 30), 4004);
	/* x1 (the default) is flat; below x1 (refused by the loader) too. */
	cat->fine_growth_h = 100;
	ck_assert_int_eq(score_occurrence_fine(cat, 1000000), 3000);
	cat->fine_growth_h = 0;
	ck_assert_int_eq(score_occurrence_fine(cat, 1), 3000);
	ck_assert_int_eq(score_occurrence_fine(cat, 2), 3000);
	free_rulebook(rb);
}
END_TEST

START_TEST(late_bands_by_minutes)
{
	struct rulebook *rb = default_rulebook();
	const struct rb_category *late = &rb->categories[CAT_LATE];
	int32_t minutes[] = {0, 1, 15, 16, 30, 31, 240};
	static const int64_t expected[] = {-100, -100, -100, -200,
	                                   -200, -500, -500};
	int32_t three[] = {12, 20, 45};
	struct fixture *fx = fixture_new(M);
	struct score_month_result *result;

	for (size_t i = 0; i < sizeof(minutes) / sizeof(minutes[0]); i++)
		ck_assert_int_eq(score_category_total(late, 1, &minutes[i]),
		                 expected[i]);
	ck_assert_int_eq(score_category_total(late, 3, three), -800);

	/* Each minutes event is one occurrence. */
	add_veteran(fx, 1);
	add_event(fx, 1, mday(M, 3), "late", 12);
	add_event(fx, 1, mday(M, 4), "late", 45);
	result = score(rb, fx);
	ck_assert_int_eq(find(result, 1)->categories[CAT_LATE].occurrences, 2);
	ck_assert_int_eq(find(result, 1)->categories[CAT_LATE].total_cp, -600);
	ck_assert_int_eq(find(result, 1)->score_cp, 7400);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(unreplied_zero_at)
{
	struct rulebook *rb = default_rulebook();

	ck_assert_int_eq(total_of(rb, CAT_UNREPLIED, 0), 0);
	ck_assert_int_eq(total_of(rb, CAT_UNREPLIED, 1), -100);
	ck_assert_int_eq(total_of(rb, CAT_UNREPLIED, 2), -1000);
	ck_assert_int_eq(total_of(rb, CAT_UNREPLIED, 5), -1000);
	ck_assert_int_eq(lone_score(rb, "unreplied", 2), 7000);
	free_rulebook(rb);
}
END_TEST

START_TEST(offpost_zero_at_and_budget)
{
	struct rulebook *rb = default_rulebook();
	struct rb_category *offpost = &rb->categories[CAT_OFFPOST];

	ck_assert_int_eq(total_of(rb, CAT_OFFPOST, 1), -500);
	ck_assert_int_eq(total_of(rb, CAT_OFFPOST, 2), -1000);
	ck_assert_int_eq(total_of(rb, CAT_OFFPOST, 3), -1500);
	ck_assert_int_eq(total_of(rb, CAT_OFFPOST, 4), -1500);
	/* Without zero_at the budget alone clamps: 4 x -5 = -20 -> -15. */
	offpost->zero_at = 0;
	ck_assert_int_eq(total_of(rb, CAT_OFFPOST, 2), -1000);
	ck_assert_int_eq(total_of(rb, CAT_OFFPOST, 3), -1500);
	ck_assert_int_eq(total_of(rb, CAT_OFFPOST, 4), -1500);
	ck_assert_int_eq(total_of(rb, CAT_OFFPOST, 10), -1500);
	/* zero_at below the budget's reach: at 2 the item is lost. */
	offpost->zero_at = 2;
	ck_assert_int_eq(total_of(rb, CAT_OFFPOST, 1), -500);
	ck_assert_int_eq(total_of(rb, CAT_OFFPOST, 2), -1500);
	free_rulebook(rb);
}
END_TEST

START_TEST(overpromise_first_time)
{
	struct rulebook *rb = default_rulebook();

	ck_assert_int_eq(total_of(rb, CAT_OVERPROMISE, 1), -1000);
	ck_assert_int_eq(total_of(rb, CAT_OVERPROMISE, 2), -1000);
	ck_assert_int_eq(total_of(rb, CAT_OVERPROMISE, 3), -1000);
	free_rulebook(rb);
}
END_TEST

START_TEST(shirk_free_two)
{
	struct rulebook *rb = default_rulebook();

	ck_assert_int_eq(total_of(rb, CAT_SHIRK, 1), 0);
	ck_assert_int_eq(total_of(rb, CAT_SHIRK, 2), 0);
	ck_assert_int_eq(total_of(rb, CAT_SHIRK, 3), -300);
	ck_assert_int_eq(total_of(rb, CAT_SHIRK, 4), -600);
	ck_assert_int_eq(lone_score(rb, "shirk", 4), 7400);
	free_rulebook(rb);
}
END_TEST

START_TEST(half_points_exact)
{
	struct rulebook *rb = default_rulebook();

	ck_assert_int_eq(total_of(rb, CAT_CURT, 1), -50);
	ck_assert_int_eq(total_of(rb, CAT_CURT, 7), -350);
	ck_assert_int_eq(total_of(rb, CAT_MISTAKE, 3), -150);
	/* 80 - 3.50 = 76.50 */
	ck_assert_int_eq(lone_score(rb, "curt", 7), 7650);
	free_rulebook(rb);
}
END_TEST

START_TEST(bonus_budget_caps)
{
	struct rulebook *rb = default_rulebook();
	struct rb_category *praise = &rb->categories[CAT_PRAISE];

	ck_assert_int_eq(total_of(rb, CAT_PRAISE, 3), 600);
	ck_assert_int_eq(lone_score(rb, "praise", 3), 8600);
	praise->has_budget = true;
	praise->budget_cp = 500;
	ck_assert_int_eq(total_of(rb, CAT_PRAISE, 2), 400);
	ck_assert_int_eq(total_of(rb, CAT_PRAISE, 3), 500);
	ck_assert_int_eq(total_of(rb, CAT_PRAISE, 10), 500);
	ck_assert_int_eq(lone_score(rb, "praise", 10), 8500);
	free_rulebook(rb);
}
END_TEST

START_TEST(minutes_escalate_and_free_by_date)
{
	struct rulebook *rb = default_rulebook();
	struct rb_category *late = &rb->categories[CAT_LATE];
	static const struct rb_escalate_step step[] = {{3, -1000}};
	int32_t minutes[] = {20, 45, 5, 31};
	struct fixture *fx = fixture_new(M);
	struct score_month_result *result;

	/* p = -2, -5, -1, -5; at 3 the total is -10, then + p4 = -15. */
	set_escalate(late, 1, step);
	ck_assert_int_eq(score_category_total(late, 2, minutes), -700);
	ck_assert_int_eq(score_category_total(late, 3, minutes), -1000);
	ck_assert_int_eq(score_category_total(late, 4, minutes), -1500);

	/* Occurrences are ordered by date, then entry order: entered as
	 * 31 (day 9), 5 (day 2), 45 (day 2), 20 (day 1) they are
	 * 20, 5, 45, 31: -10 at the 3rd, + (-5) = -15. */
	add_veteran(fx, 1);
	add_event(fx, 1, mday(M, 9), "late", 31);
	add_event(fx, 1, mday(M, 2), "late", 5);
	add_event(fx, 1, mday(M, 2), "late", 45);
	add_event(fx, 1, mday(M, 1), "late", 20);
	result = score(rb, fx);
	ck_assert_int_eq(find(result, 1)->categories[CAT_LATE].total_cp, -1500);
	score_month_result_destroy(result);

	/* The order decides which occurrence is after N: 31 last vs 5 last. */
	fx->input.event_count = 0;
	add_event(fx, 1, mday(M, 1), "late", 20);
	add_event(fx, 1, mday(M, 2), "late", 45);
	add_event(fx, 1, mday(M, 3), "late", 31);
	add_event(fx, 1, mday(M, 4), "late", 5);
	result = score(rb, fx);
	ck_assert_int_eq(find(result, 1)->categories[CAT_LATE].total_cp, -1100);
	score_month_result_destroy(result);

	/* free with minutes: the first occurrence costs nothing. */
	late->escalate_count = 0;
	late->free_count = 1;
	ck_assert_int_eq(score_category_total(late, 2, &minutes[0]), -500);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(count_quantities_and_zero)
{
	struct rulebook *rb = default_rulebook();
	int32_t q[] = {0, -3, 3};

	/* Quantities below 1 add no occurrence. */
	ck_assert_int_eq(score_category_total(&rb->categories[CAT_SHIRK], 2, q),
	                 0);
	ck_assert_int_eq(score_category_total(&rb->categories[CAT_SHIRK], 3, q),
	                 -300);
	ck_assert_int_eq(
	    score_category_total(&rb->categories[CAT_SHIRK], 0, NULL), 0);
	free_rulebook(rb);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Sections 4-6: base, combo, score, grade */

START_TEST(month_score_sums)
{
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_month_result *result;
	const struct score_agent_result *ar;

	add_veteran(fx, 1);
	add_event(fx, 1, mday(M, 2), "late", 12);
	add_event(fx, 1, mday(M, 3), "praise", 2);
	add_event(fx, 1, mday(M, 4), "curt", 3);
	result = score(rb, fx);
	ar = find(result, 1);
	/* 80 - 1 + 4 - 1.50 = 81.50 */
	ck_assert_int_eq(ar->base_cp, 8000);
	ck_assert_int_eq(ar->categories[CAT_LATE].total_cp, -100);
	ck_assert_int_eq(ar->categories[CAT_PRAISE].total_cp, 400);
	ck_assert_int_eq(ar->categories[CAT_PRAISE].occurrences, 2);
	ck_assert_int_eq(ar->categories[CAT_CURT].total_cp, -150);
	ck_assert_int_eq(ar->categories[CAT_CURT].occurrences, 3);
	ck_assert_int_eq(ar->combo_cp, 0);
	ck_assert_int_eq(ar->light_count, 2);
	ck_assert_int_eq(ar->score_cp, 8150);
	ck_assert_str_eq(ar->grade, "B");
	ck_assert(!ar->kpi_present);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(grade_boundaries)
{
	struct rulebook *rb = default_rulebook();
	static const struct {
		int64_t score_cp;
		const char *grade;
	} cases[] = {
	    {11000, "A"}, {9001, "A"}, {9000, "B"}, {8000, "B"},
	    {7999, "C"},  {7000, "C"}, {6999, "D"}, {6500, "D"},
	    {6499, "E"},  {6000, "E"}, {5999, "F"}, {0, "F"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fixture *fx = fixture_new(M);
		struct score_month_result *result;

		rb->base_cp = cases[i].score_cp;
		add_veteran(fx, 1);
		result = score(rb, fx);
		ck_assert_int_eq(find(result, 1)->score_cp, cases[i].score_cp);
		ck_assert_msg(
		    strcmp(find(result, 1)->grade, cases[i].grade) == 0,
		    "%lld: %s, expected %s", (long long)cases[i].score_cp,
		    find(result, 1)->grade, cases[i].grade);
		score_month_result_destroy(result);
		free(fx);
	}
	free_rulebook(rb);
}
END_TEST

START_TEST(combo_light_four)
{
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_month_result *result;
	const struct score_agent_result *ar;

	/* Agent 1: four light categories (-1, -1, -0.5, -0.5) -> combo.
	 * Agent 2: three -> none. Agent 3: one light category three times. */
	add_veteran(fx, 1);
	add_veteran(fx, 2);
	add_veteran(fx, 3);
	add_event(fx, 1, mday(M, 2), "late", 5);
	add_event(fx, 1, mday(M, 2), "unreplied", 1);
	add_event(fx, 1, mday(M, 2), "curt", 1);
	add_event(fx, 1, mday(M, 2), "mistake", 1);
	add_event(fx, 2, mday(M, 2), "late", 5);
	add_event(fx, 2, mday(M, 2), "unreplied", 1);
	add_event(fx, 2, mday(M, 2), "curt", 1);
	add_events(fx, 3, M, "curt", 3);
	add_events(fx, 3, M, "mistake", 1);
	result = score(rb, fx);

	ar = find(result, 1);
	ck_assert_int_eq(ar->light_count, 4);
	ck_assert_int_eq(ar->combo_cp, -2000);
	ck_assert_int_eq(ar->score_cp, 8000 - 300 - 2000);
	ck_assert_str_eq(ar->grade, "F");
	ar = find(result, 2);
	ck_assert_int_eq(ar->light_count, 3);
	ck_assert_int_eq(ar->combo_cp, 0);
	ck_assert_int_eq(ar->score_cp, 7750);
	ar = find(result, 3);
	ck_assert_int_eq(ar->light_count, 2);
	ck_assert_int_eq(ar->combo_cp, 0);
	ck_assert_int_eq(ar->score_cp, 7800);
	score_month_result_destroy(result);

	/* Without a light threshold four light categories add nothing. */
	rb->combo_light = 0;
	result = score(rb, fx);
	ck_assert_int_eq(find(result, 1)->combo_cp, 0);
	ck_assert_int_eq(find(result, 1)->score_cp, 7700);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(combo_medium_two)
{
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_month_result *result;
	const struct score_agent_result *ar;

	add_veteran(fx, 1); /* offpost + shirk x3: two medium -> combo */
	add_veteran(fx, 2); /* offpost twice: one category */
	add_veteran(fx, 3); /* offpost + shirk x2 (free: total 0) */
	add_veteran(fx, 4); /* absent + quarrel: severe, no combo */
	add_events(fx, 1, M, "offpost", 1);
	add_events(fx, 1, M, "shirk", 3);
	add_events(fx, 2, M, "offpost", 2);
	add_events(fx, 3, M, "offpost", 1);
	add_events(fx, 3, M, "shirk", 2);
	add_events(fx, 4, M, "absent", 1);
	add_events(fx, 4, M, "quarrel", 1);
	result = score(rb, fx);

	ar = find(result, 1);
	ck_assert_int_eq(ar->medium_count, 2);
	ck_assert_int_eq(ar->combo_cp, -2000);
	ck_assert_int_eq(ar->score_cp, 8000 - 500 - 300 - 2000);
	ar = find(result, 2);
	ck_assert_int_eq(ar->medium_count, 1);
	ck_assert_int_eq(ar->combo_cp, 0);
	ck_assert_int_eq(ar->score_cp, 7000);
	ar = find(result, 3);
	ck_assert_int_eq(ar->medium_count, 1);
	ck_assert_int_eq(ar->combo_cp, 0);
	ck_assert_int_eq(ar->score_cp, 7500);
	ar = find(result, 4);
	ck_assert_int_eq(ar->medium_count, 0);
	ck_assert_int_eq(ar->light_count, 0);
	ck_assert_int_eq(ar->combo_cp, 0);
	ck_assert_int_eq(ar->score_cp, 4000);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(score_clamps)
{
	struct rulebook *rb = default_rulebook();

	/* 80 - 5 x 20 = -20 -> 0; 80 + 10 x 5 = 130 -> 110. */
	ck_assert_int_eq(lone_score(rb, "absent", 5), 0);
	ck_assert_int_eq(lone_score(rb, "cover", 10), 11000);
	ck_assert_int_eq(lone_score(rb, "cover", 6), 11000);
	ck_assert_int_eq(lone_score(rb, "cover", 5), 10500);
	free_rulebook(rb);
}
END_TEST

START_TEST(voided_other_months_and_unknown)
{
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_month_result *result;
	size_t voided;

	add_veteran(fx, 1);
	add_event(fx, 1, mday(M, 5), "absent", 1);
	voided = add_event(fx, 1, mday(M, 6), "absent", 1);
	fx->events[voided].voided = true;
	add_event(fx, 1, tu_day(2026, 2, 28), "absent", 1);
	add_event(fx, 1, tu_day(2026, 4, 1), "absent", 1);
	add_event(fx, 1, mday(M, 7), "nosuch", 1);
	add_event(fx, 1, mday(M, 8), "escalte", 2);
	voided = add_event(fx, 1, mday(M, 9), "nosuch", 1);
	fx->events[voided].voided = true;
	add_event(fx, 1, tu_day(2026, 2, 9), "nosuch", 1);
	add_event(fx, 99, mday(M, 9), "absent", 1); /* no such agent */
	result = score(rb, fx);
	ck_assert_uint_eq(result->agent_count, 1);
	ck_assert_int_eq(find(result, 1)->categories[CAT_ABSENT].occurrences,
	                 1);
	ck_assert_int_eq(find(result, 1)->score_cp, 6000);
	ck_assert_uint_eq(result->skipped_events, 2);
	ck_assert_int_eq(result->month, M);
	ck_assert_uint_eq(result->category_count, 14);
	ck_assert_uint_eq(result->kpi_count, 0);
	ck_assert_ptr_null(find(result, 1)->kpi_metrics);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Section 7: the board and rank */

START_TEST(board_membership)
{
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_month_result *result;
	size_t a;

	add_agent(fx, 1, tu_day(2026, 3, 31), "junior"); /* last day: on */
	add_agent(fx, 2, tu_day(2026, 4, 1), "junior");  /* next month: off */
	a = add_agent(fx, 3, tu_day(2025, 5, 1), "junior");
	fx->agents[a].left = tu_day(2026, 3, 1); /* first day: on */
	a = add_agent(fx, 4, tu_day(2025, 5, 1), "junior");
	fx->agents[a].left = tu_day(2026, 2, 28); /* before: off */
	add_veteran(fx, 5);

	ck_assert(score_agent_on_board(&fx->agents[0], M));
	ck_assert(!score_agent_on_board(&fx->agents[1], M));
	ck_assert(score_agent_on_board(&fx->agents[1], tu_month(2026, 4)));
	ck_assert(score_agent_on_board(&fx->agents[2], M));
	ck_assert(!score_agent_on_board(&fx->agents[2], tu_month(2026, 4)));
	ck_assert(!score_agent_on_board(&fx->agents[3], M));
	ck_assert(score_agent_on_board(&fx->agents[3], tu_month(2026, 2)));

	result = score(rb, fx);
	ck_assert_uint_eq(result->agent_count, 3);
	ck_assert(on_result(result, 1));
	ck_assert(!on_result(result, 2));
	ck_assert(on_result(result, 3));
	ck_assert(!on_result(result, 4));
	ck_assert(on_result(result, 5));
	ck_assert(!find(result, 1)->whole_month);
	ck_assert(!find(result, 3)->whole_month);
	ck_assert(find(result, 5)->whole_month);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(rank_ties_by_id)
{
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_month_result *result;

	add_veteran(fx, 7);
	add_veteran(fx, 3);
	add_veteran(fx, 9);
	add_veteran(fx, 5);
	add_events(fx, 9, M, "praise", 1);
	result = score(rb, fx);
	ck_assert_uint_eq(result->agent_count, 4);
	ck_assert_int_eq(result->agents[0].agent->id, 9);
	ck_assert_int_eq(result->agents[1].agent->id, 3);
	ck_assert_int_eq(result->agents[2].agent->id, 5);
	ck_assert_int_eq(result->agents[3].agent->id, 7);
	for (size_t i = 0; i < 4; i++)
		ck_assert_int_eq(result->agents[i].rank, (int)i + 1);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(rank_ties_by_sales)
{
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_month_result *result;
	struct score_metrics *m;

	/* Equal scores: sales descending, those with sales first, then id. */
	add_veteran(fx, 2);
	add_veteran(fx, 3);
	add_veteran(fx, 5);
	add_veteran(fx, 7);
	m = add_metrics(fx, 3, M);
	m->has_sales = true;
	m->sales_fen = 50000;
	m = add_metrics(fx, 5, M);
	m->has_sales = true;
	m->sales_fen = 100000;
	m = add_metrics(fx, 7, tu_month(2026, 2)); /* another month: no sales */
	m->has_sales = true;
	m->sales_fen = 900000;
	result = score(rb, fx);
	ck_assert_int_eq(result->agents[0].agent->id, 5);
	ck_assert_int_eq(result->agents[1].agent->id, 3);
	ck_assert_int_eq(result->agents[2].agent->id, 2);
	ck_assert_int_eq(result->agents[3].agent->id, 7);
	ck_assert(result->agents[0].has_sales);
	ck_assert_int_eq(result->agents[0].sales_fen, 100000);
	ck_assert(!result->agents[3].has_sales);
	/* Fixed mode: metrics rank ties but give no KPI score. */
	ck_assert(!result->agents[0].kpi_present);
	ck_assert_int_eq(result->agents[0].base_cp, 8000);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Section 8: KPI */

static void full_metrics(struct score_metrics *m)
{
	m->has_sales = true;
	m->sales_fen = 9800000;
	m->has_target = true;
	m->target_fen = 10000000;
	m->has_conversion = true;
	m->conversion_e4 = 600000;
	m->has_response = true;
	m->response_e4 = 150000;
	m->has_aov = true;
	m->aov_fen = 15000;
	m->has_reply_rate = true;
	m->reply_rate_e4 = 950000;
}

START_TEST(kpi_score_by_hand)
{
	struct rulebook *rb = kpi_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_month_result *result;
	const struct score_agent_result *ar;
	const struct score_kpi_metric *km;

	add_veteran(fx, 1);
	full_metrics(add_metrics(fx, 1, M));
	result = score(rb, fx);
	ar = find(result, 1);
	ck_assert(ar->kpi_present);
	km = ar->kpi_metrics;
	/* sales 98% -> 98 x 45 = 44.10 */
	ck_assert(km[0].present);
	ck_assert_int_eq(km[0].value_num, 980000000);
	ck_assert_int_eq(km[0].value_den, 10000000);
	ck_assert_int_eq(km[0].value_h, 9800);
	ck_assert_int_eq(km[0].band_h, 9800);
	ck_assert_int_eq(km[0].points_cp, 4410);
	/* conversion 60% -> 92 x 40 = 36.80 */
	ck_assert_int_eq(km[1].value_h, 6000);
	ck_assert_int_eq(km[1].band_h, 9200);
	ck_assert_int_eq(km[1].points_cp, 3680);
	/* response 15 s -> 100 x 5 = 5.00 */
	ck_assert_int_eq(km[2].value_h, 1500);
	ck_assert_int_eq(km[2].band_h, 10000);
	ck_assert_int_eq(km[2].points_cp, 500);
	/* aov: the only agent, 100% -> 100 x 5 = 5.00 */
	ck_assert_int_eq(km[3].value_h, 10000);
	ck_assert_int_eq(km[3].band_h, 10000);
	ck_assert_int_eq(km[3].points_cp, 500);
	/* reply 95% -> 80 x 5 = 4.00 */
	ck_assert_int_eq(km[4].value_h, 9500);
	ck_assert_int_eq(km[4].band_h, 8000);
	ck_assert_int_eq(km[4].points_cp, 400);
	/* 44.10 + 36.80 + 5 + 5 + 4 = 94.90 */
	ck_assert_int_eq(ar->kpi_score_cp, 9490);
	ck_assert_int_eq(ar->base_cp, 9490);
	ck_assert_int_eq(ar->score_cp, 9490);
	ck_assert_str_eq(ar->grade, "A");
	ck_assert_uint_eq(ar->flags & SCORE_FLAG_NO_KPI, 0);
	score_month_result_destroy(result);

	/* Events still count on top of the KPI base: 94.90 - 1 = 93.90. */
	add_event(fx, 1, mday(M, 3), "late", 3);
	result = score(rb, fx);
	ck_assert_int_eq(find(result, 1)->score_cp, 9390);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(kpi_exact_boundaries)
{
	struct rulebook *rb = kpi_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_month_result *result;
	const struct score_kpi_metric *km;
	struct score_metrics *m;

	add_veteran(fx, 1);
	m = add_metrics(fx, 1, M);
	full_metrics(m);
	m->sales_fen = 97999;
	m->target_fen = 100000;
	m->conversion_e4 = 639999; /* 63.9999% -> 98 */
	m->response_e4 = 220000;   /* 22 s: not < 22 -> 60 */
	m->reply_rate_e4 = 979999; /* 97.9999% -> 80 */
	result = score(rb, fx);
	km = find(result, 1)->kpi_metrics;
	/* 97.999% shows as 98.00 but is below 98: band 96 -> 43.20. */
	ck_assert_int_eq(km[0].value_h, 9800);
	ck_assert_int_eq(km[0].band_h, 9600);
	ck_assert_int_eq(km[0].points_cp, 4320);
	ck_assert_int_eq(km[1].band_h, 9800);
	ck_assert_int_eq(km[1].points_cp, 3920);
	ck_assert_int_eq(km[2].band_h, 6000);
	ck_assert_int_eq(km[2].points_cp, 300);
	ck_assert_int_eq(km[4].band_h, 8000);
	/* 43.20 + 39.20 + 3 + 5 + 4 = 94.40 */
	ck_assert_int_eq(find(result, 1)->kpi_score_cp, 9440);
	score_month_result_destroy(result);

	m->sales_fen = 98000;      /* exactly 98% */
	m->response_e4 = 219999;   /* 21.9999 s -> 80 */
	m->conversion_e4 = 140000; /* 14% -> 0 */
	result = score(rb, fx);
	km = find(result, 1)->kpi_metrics;
	ck_assert_int_eq(km[0].band_h, 9800);
	ck_assert_int_eq(km[1].band_h, 0);
	ck_assert_int_eq(km[1].points_cp, 0);
	ck_assert_int_eq(km[2].band_h, 8000);
	/* 44.10 + 0 + 4 + 5 + 4 = 57.10 */
	ck_assert_int_eq(find(result, 1)->kpi_score_cp, 5710);
	ck_assert_int_eq(find(result, 1)->score_cp, 5710);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(kpi_derived_metrics)
{
	struct rulebook *rb = kpi_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_month_result *result;
	const struct score_kpi_metric *km;
	struct score_metrics *m;

	add_veteran(fx, 1);
	add_veteran(fx, 2);
	add_veteran(fx, 3);
	/* Agent 1: conversion from buyers / inquiries = 1/3 = 33.33% -> 38;
	 * AOV 120.00 of a mean of 100.00 -> 120% -> 100. */
	m = add_metrics(fx, 1, M);
	m->has_inquiries = true;
	m->inquiries = 300;
	m->has_buyers = true;
	m->buyers = 100;
	m->has_aov = true;
	m->aov_fen = 12000;
	/* Agent 2: AOV 80.00 -> 80% -> 60; no target -> sales absent. */
	m = add_metrics(fx, 2, M);
	m->has_aov = true;
	m->aov_fen = 8000;
	m->has_sales = true;
	m->sales_fen = 100;
	m->has_inquiries = true;
	m->inquiries = 0;
	m->has_buyers = true;
	m->buyers = 5;
	/* An imported agent not on this list still counts in the mean:
	 * (120 + 80 + 100) / 3 = 100. */
	m = add_metrics(fx, 42, M);
	m->has_aov = true;
	m->aov_fen = 10000;
	/* Agent 3 has no metrics. */
	result = score(rb, fx);

	km = find(result, 1)->kpi_metrics;
	ck_assert(!km[0].present);
	ck_assert_int_eq(km[0].band_h, 0);
	ck_assert(km[1].present);
	ck_assert_int_eq(km[1].value_num, 10000);
	ck_assert_int_eq(km[1].value_den, 300);
	ck_assert_int_eq(km[1].value_h, 3333);
	ck_assert_int_eq(km[1].band_h, 3800);
	ck_assert_int_eq(km[1].points_cp, 1520);
	ck_assert_int_eq(km[3].value_h, 12000);
	ck_assert_int_eq(km[3].band_h, 10000);
	ck_assert(!km[2].present);
	ck_assert(!km[4].present);
	/* 15.20 + 5 = 20.20 */
	ck_assert_int_eq(find(result, 1)->kpi_score_cp, 2020);
	ck_assert_int_eq(find(result, 1)->score_cp, 2020);

	km = find(result, 2)->kpi_metrics;
	ck_assert(!km[0].present);
	ck_assert(!km[1].present); /* zero inquiries */
	ck_assert_int_eq(km[3].value_h, 8000);
	ck_assert_int_eq(km[3].band_h, 6000);
	ck_assert_int_eq(km[3].points_cp, 300);
	ck_assert_int_eq(find(result, 2)->kpi_score_cp, 300);
	ck_assert(find(result, 2)->has_sales);

	/* No metrics: base 80 and no_kpi. */
	ck_assert(!find(result, 3)->kpi_present);
	ck_assert_int_eq(find(result, 3)->base_cp, 8000);
	ck_assert_int_eq(find(result, 3)->score_cp, 8000);
	ck_assert_uint_eq(find(result, 3)->flags & SCORE_FLAG_NO_KPI,
	                  SCORE_FLAG_NO_KPI);
	ck_assert_uint_eq(find(result, 1)->flags & SCORE_FLAG_NO_KPI, 0);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(kpi_rank_by_sales)
{
	struct rulebook *rb = kpi_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_month_result *result;
	struct score_metrics *m;

	/* Same KPI score (both 98%); agent 8 sold more. */
	add_veteran(fx, 4);
	add_veteran(fx, 8);
	m = add_metrics(fx, 4, M);
	full_metrics(m);
	m = add_metrics(fx, 8, M);
	full_metrics(m);
	m->sales_fen = 19600000;
	m->target_fen = 20000000;
	result = score(rb, fx);
	ck_assert_int_eq(result->agents[0].score_cp, 9490);
	ck_assert_int_eq(result->agents[1].score_cp, 9490);
	ck_assert_int_eq(result->agents[0].agent->id, 8);
	ck_assert_int_eq(result->agents[1].agent->id, 4);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(kpi_lookback_months)
{
	struct rulebook *rb = kpi_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_agent_result ar;
	struct score_metrics *m;

	/* 57.10 in February and March from the metrics of each month. */
	add_veteran(fx, 1);
	m = add_metrics(fx, 1, tu_month(2026, 2));
	full_metrics(m);
	m->conversion_e4 = 140000;
	m->response_e4 = 219999;
	m->sales_fen = 9800000;
	m = add_metrics(fx, 1, M);
	*m = fx->metrics[0];
	m->month = M;
	set_earliest(fx, tu_month(2025, 1));
	flags_of(rb, fx, M, 1, &ar);
	ck_assert_int_eq(ar.score_cp, 5710);
	ck_assert(ar.has_previous);
	ck_assert_int_eq(ar.previous_score_cp, 5710);
	ck_assert_int_eq(ar.demote_streak, 2);
	ck_assert_uint_eq(ar.flags, SCORE_FLAG_DEMOTE | SCORE_FLAG_NO_BONUS |
	                                SCORE_FLAG_DISMISS_REVIEW);
	ck_assert_uint_eq(ar.dismiss_reasons, SCORE_DISMISS_LOW_SCORE);

	/* Without February's metrics February starts at 80: no streak. */
	fx->metrics[0].month = tu_month(2025, 2);
	flags_of(rb, fx, M, 1, &ar);
	ck_assert_int_eq(ar.previous_score_cp, 8000);
	ck_assert_int_eq(ar.demote_streak, 1);

	/* An earliest month after the scored one: no look-back at all. */
	set_earliest(fx, tu_month(2026, 6));
	flags_of(rb, fx, M, 1, &ar);
	ck_assert(!ar.has_previous);
	free(fx);
	free_rulebook(rb);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Section 9: money */

START_TEST(pay_adjustment_seed)
{
	struct rulebook *rb = default_rulebook();
	static const struct {
		int64_t score_cp;
		int64_t pay_fen;
	} cases[] = {
	    {9100, 11000},  /* seed 002: 91 -> +110 */
	    {6800, -12000}, /* seed 002: 68 -> -120 */
	    {8000, 0},      {11000, 30000}, {10950, 29500}, {0, -30000},
	    {5000, -30000}, {4900, -30000}, {8001, 10},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fixture *fx = fixture_new(M);
		struct score_month_result *result;

		rb->base_cp = cases[i].score_cp;
		add_veteran(fx, 1);
		result = score(rb, fx);
		ck_assert_int_eq(find(result, 1)->pay_adjust_fen,
		                 cases[i].pay_fen);
		ck_assert_uint_eq(find(result, 1)->flags & SCORE_FLAG_PROBATION,
		                  0);
		score_month_result_destroy(result);
		free(fx);
	}

	/* The cap, with 20 yuan a point: 91 -> 220, 110 -> 600 -> 300. */
	rb->pay_per_point_fen = 2000;
	rb->base_cp = 9100;
	{
		struct fixture *fx = fixture_new(M);
		struct score_month_result *result;

		add_veteran(fx, 1);
		result = score(rb, fx);
		ck_assert_int_eq(find(result, 1)->pay_adjust_fen, 22000);
		score_month_result_destroy(result);
		rb->base_cp = 11000;
		result = score(rb, fx);
		ck_assert_int_eq(find(result, 1)->pay_adjust_fen, 30000);
		score_month_result_destroy(result);

		/* 5 fen a point: 0.10 points -> 0.5 fen -> 1 fen (half away
		 * from zero), -0.10 -> -1 fen, 0.01 -> 0. */
		rb->pay_per_point_fen = 5;
		rb->base_cp = 8010;
		result = score(rb, fx);
		ck_assert_int_eq(find(result, 1)->pay_adjust_fen, 1);
		score_month_result_destroy(result);
		rb->base_cp = 7990;
		result = score(rb, fx);
		ck_assert_int_eq(find(result, 1)->pay_adjust_fen, -1);
		score_month_result_destroy(result);
		rb->base_cp = 8001;
		result = score(rb, fx);
		ck_assert_int_eq(find(result, 1)->pay_adjust_fen, 0);
		score_month_result_destroy(result);
		free(fx);
	}
	free_rulebook(rb);
}
END_TEST

START_TEST(probation_first_two_months)
{
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(tu_month(2026, 1));
	struct score_month_result *result;
	const struct score_agent_result *ar;
	static const struct {
		int month;
		int32_t employment;
		bool probation;
		int64_t pay_fen;
	} cases[] = {
	    {1, 1, true, 0},
	    {2, 2, true, 0},
	    {3, 3, false, 11000},
	    {4, 4, false, 11000},
	};

	rb->base_cp = 9100;
	add_agent(fx, 1, tu_day(2026, 1, 31), "junior");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		result = score_at(rb, fx, tu_month(2026, cases[i].month));
		ar = find(result, 1);
		ck_assert_int_eq(ar->employment_month, cases[i].employment);
		ck_assert_int_eq(ar->pay_adjust_fen, cases[i].pay_fen);
		ck_assert_int_eq((ar->flags & SCORE_FLAG_PROBATION) != 0,
		                 cases[i].probation);
		score_month_result_destroy(result);
	}
	free(fx);
	free_rulebook(rb);
}
END_TEST

/* A board of agents 1..n with the given scores (multiples of 0.50), built
 * from absent (-20), cover (+5), praise (+2) and curt (-0.5). */
static struct fixture *pool_board(const int64_t *scores_cp, size_t n)
{
	struct fixture *fx = fixture_new(M);

	for (size_t i = 0; i < n; i++) {
		int64_t id = (int64_t)i + 1;
		int64_t extra = scores_cp[i] - 8000;

		ck_assert_int_eq(extra % 50, 0);
		add_veteran(fx, id);
		while (extra < 0) {
			add_event(fx, id, mday(M, 2), "absent", 1);
			extra += 2000;
		}
		for (; extra >= 500; extra -= 500)
			add_event(fx, id, mday(M, 3), "cover", 1);
		for (; extra >= 200; extra -= 200)
			add_event(fx, id, mday(M, 4), "praise", 1);
		if (extra > 0) {
			add_event(fx, id, mday(M, 4), "praise", 1);
			add_event(fx, id, mday(M, 5), "curt",
			          (int32_t)((200 - extra) / 50));
		}
	}
	return fx;
}

START_TEST(pool_shares_awards_rest)
{
	struct rulebook *rb = default_rulebook();
	static const int64_t scores[] = {9500, 9400, 9300, 9200, 9100, 7950};
	struct fixture *fx = pool_board(scores, 6);
	struct score_month_result *result;

	fx->input.has_silent_sales = true;
	fx->input.silent_sales_fen = 25000000; /* 250000.00 yuan */
	result = score(rb, fx);
	for (size_t i = 0; i < 6; i++)
		ck_assert_int_eq(find(result, (int64_t)i + 1)->score_cp,
		                 scores[i]);
	ck_assert(result->has_silent_sales);
	ck_assert_int_eq(result->silent_sales_fen, 25000000);
	ck_assert_int_eq(result->pool_fen, 150000); /* 1500.00 yuan */
	/* 40% + 200, 30% + 100, then 30% split by three: 150.00 each. */
	ck_assert_int_eq(find(result, 1)->pool_share_fen, 60000);
	ck_assert_int_eq(find(result, 1)->award_fen, 20000);
	ck_assert_int_eq(find(result, 2)->pool_share_fen, 45000);
	ck_assert_int_eq(find(result, 2)->award_fen, 10000);
	for (int64_t id = 3; id <= 5; id++) {
		ck_assert_int_eq(find(result, id)->pool_share_fen, 15000);
		ck_assert_int_eq(find(result, id)->award_fen, 0);
	}
	/* 79.50: not eligible. */
	ck_assert_int_eq(find(result, 6)->pool_share_fen, 0);
	ck_assert_int_eq(find(result, 6)->award_fen, 0);
	ck_assert_uint_eq(find(result, 6)->flags & SCORE_FLAG_NO_BONUS,
	                  SCORE_FLAG_NO_BONUS);
	ck_assert_uint_eq(find(result, 5)->flags & SCORE_FLAG_NO_BONUS, 0);
	ck_assert_int_eq(result->undistributed_fen, 0);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(pool_rest_rounds_down)
{
	struct rulebook *rb = default_rulebook();
	static const int64_t scores[] = {9800, 9700, 9600, 9500, 9400,
	                                 9300, 9200, 9100, 9000};
	struct fixture *fx = pool_board(scores, 9);
	struct score_month_result *result;
	int64_t given = 0;

	fx->input.has_silent_sales = true;
	fx->input.silent_sales_fen = 25000000;
	result = score(rb, fx);
	/* 7 rest agents share 450.00: 64.2857... -> 64.28 each, 0.04 left. */
	for (int64_t id = 3; id <= 9; id++)
		ck_assert_int_eq(find(result, id)->pool_share_fen, 6428);
	for (size_t i = 0; i < result->agent_count; i++)
		given += result->agents[i].pool_share_fen;
	ck_assert_int_eq(given, 149996);
	ck_assert_int_eq(result->undistributed_fen, 4);
	score_month_result_destroy(result);

	/* An odd pool: 123456.78 yuan x 0.006 = 740.74068 -> 740.74;
	 * 40% = 296.296 -> 296.30, 30% = 222.222 -> 222.22; the rest
	 * 222.222 by 7 = 31.746 -> 31.74 each (222.18); left 0.04. */
	fx->input.silent_sales_fen = 12345678;
	result = score(rb, fx);
	ck_assert_int_eq(result->pool_fen, 74074);
	ck_assert_int_eq(find(result, 1)->pool_share_fen, 29630);
	ck_assert_int_eq(find(result, 2)->pool_share_fen, 22222);
	ck_assert_int_eq(find(result, 3)->pool_share_fen, 3174);
	ck_assert_int_eq(result->undistributed_fen,
	                 74074 - 29630 - 22222 - 7 * 3174);
	ck_assert_int_eq(result->undistributed_fen, 4);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(pool_never_pays_more_than_it_holds)
{
	struct rulebook *rb = default_rulebook();
	static const int64_t scores[] = {9000, 8500};
	struct fixture *fx = pool_board(scores, 2);
	struct score_month_result *result;

	/* shares 50, 50 and no rest: each share of a pool of 0.15 yuan,
	 * rounded on its own, is 0.075 -> 0.08; the two add up to 0.16, so the
	 * excess fen comes off the last listed share: 0.08 + 0.07. */
	rb->bonus_shares_bp[0] = 5000;
	rb->bonus_shares_bp[1] = 5000;
	rb->bonus_rest_share_bp = 0;
	fx->input.has_silent_sales = true;
	fx->input.silent_sales_fen = 2500; /* 25 yuan x 0.006 = 0.15 */
	result = score(rb, fx);
	ck_assert_int_eq(result->pool_fen, 15);
	ck_assert_int_eq(find(result, 1)->pool_share_fen, 8);
	ck_assert_int_eq(find(result, 2)->pool_share_fen, 7);
	ck_assert_int_eq(result->undistributed_fen, 0);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(pool_share_rounded_on_its_own)
{
	struct rulebook *rb = default_rulebook();
	static const int64_t scores[] = {9500, 9400, 9300, 9200, 9100};
	struct fixture *fx = pool_board(scores, 5);
	struct score_month_result *result;

	/* The clerk's example (RULEBOOK.md section 9): 199980.00 yuan x 0.006
	 * is a pool of 1199.88; 40% = 479.952 -> 479.95, 30% = 359.964 ->
	 * 359.96 (rounding the 70% cumulative share first would make it
	 * 839.92 - 479.95 = 359.97); the rest 359.964 by 3 = 119.988 ->
	 * 119.98 each; left 1199.88 - 479.95 - 359.96 - 359.94 = 0.03. */
	fx->input.has_silent_sales = true;
	fx->input.silent_sales_fen = 19998000;
	result = score(rb, fx);
	ck_assert_int_eq(result->pool_fen, 119988);
	ck_assert_int_eq(find(result, 1)->pool_share_fen, 47995);
	ck_assert_int_eq(find(result, 2)->pool_share_fen, 35996);
	for (int64_t id = 3; id <= 5; id++)
		ck_assert_int_eq(find(result, id)->pool_share_fen, 11998);
	ck_assert_int_eq(result->undistributed_fen, 3);
	score_month_result_destroy(result);

	/* Half a fen rounds away from zero: pool 0.05, 30% = 0.015 -> 0.02,
	 * 40% = 0.02; 0.04 < 0.05 so nothing is taken off. */
	fx->input.silent_sales_fen = 834; /* 8.34 x 0.006 = 0.05004 -> 0.05 */
	result = score(rb, fx);
	ck_assert_int_eq(result->pool_fen, 5);
	ck_assert_int_eq(find(result, 1)->pool_share_fen, 2);
	ck_assert_int_eq(find(result, 2)->pool_share_fen, 2);
	ck_assert_int_eq(find(result, 3)->pool_share_fen, 0);
	ck_assert_int_eq(result->undistributed_fen, 1);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(pool_excess_off_the_last_shares)
{
	struct rulebook *rb = default_rulebook();
	static const int64_t scores[] = {9500, 9400, 9300, 9200, 9100};
	struct fixture *fx = pool_board(scores, 5);
	struct score_month_result *result;
	int64_t shares[] = {2500, 2500, 2500, 2500};

	/* Four shares of 25%, no rest: a pool of 0.02 gives 0.005 -> 0.01
	 * each, 0.04 in all; the 0.02 too many come off the last two. */
	free(rb->bonus_shares_bp);
	rb->bonus_shares_bp = malloc(sizeof shares);
	ck_assert_ptr_nonnull(rb->bonus_shares_bp);
	memcpy(rb->bonus_shares_bp, shares, sizeof shares);
	rb->bonus_share_count = 4;
	rb->bonus_rest_share_bp = 0;
	fx->input.has_silent_sales = true;
	fx->input.silent_sales_fen = 333; /* 3.33 x 0.006 = 0.01998 -> 0.02 */
	result = score(rb, fx);
	ck_assert_int_eq(result->pool_fen, 2);
	ck_assert_int_eq(find(result, 1)->pool_share_fen, 1);
	ck_assert_int_eq(find(result, 2)->pool_share_fen, 1);
	ck_assert_int_eq(find(result, 3)->pool_share_fen, 0);
	ck_assert_int_eq(find(result, 4)->pool_share_fen, 0);
	ck_assert_int_eq(result->undistributed_fen, 0);
	score_month_result_destroy(result);

	/* Three shares of 25% and a rest of 25%: a pool of 0.06 gives
	 * 0.015 -> 0.02 three times, the whole pool; the rest agent's
	 * floor(0.015) = 0.01 would pay more than the pool holds: 0. */
	rb->bonus_share_count = 3;
	rb->bonus_rest_share_bp = 2500;
	fx->input.silent_sales_fen = 1000; /* 10.00 x 0.006 = 0.06 */
	result = score(rb, fx);
	ck_assert_int_eq(result->pool_fen, 6);
	for (int64_t id = 1; id <= 3; id++)
		ck_assert_int_eq(find(result, id)->pool_share_fen, 2);
	ck_assert_int_eq(find(result, 4)->pool_share_fen, 0);
	ck_assert_int_eq(find(result, 5)->pool_share_fen, 0);
	ck_assert_int_eq(result->undistributed_fen, 0);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(kpi_score_rounded_once)
{
	struct rulebook *rb = kpi_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_month_result *result;
	struct band_error err;

	/* Every metric scores 0.5: weights 45, 40, 5, 5, 5 give 0.225, 0.2,
	 * 0.025 x3; the KPI score is the exact sum, 0.50 (rounding each
	 * metric first would give 0.23 + 0.20 + 0.03 x3 = 0.52). */
	for (size_t i = 0; i < rb->kpi_count; i++) {
		band_list_finish(&rb->kpis[i].bands);
		ck_assert(
		    band_list_parse("*:0.5", false, &rb->kpis[i].bands, &err));
	}
	add_veteran(fx, 1);
	full_metrics(add_metrics(fx, 1, M));
	result = score(rb, fx);
	ck_assert_int_eq(find(result, 1)->kpi_metrics[0].points_cp, 23);
	ck_assert_int_eq(find(result, 1)->kpi_score_cp, 50);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(pool_fewer_eligible)
{
	struct rulebook *rb = default_rulebook();
	static const int64_t scores[] = {8500, 7900, 6000};
	struct fixture *fx = pool_board(scores, 3);
	struct score_month_result *result;

	fx->input.has_silent_sales = true;
	fx->input.silent_sales_fen = 25000000;
	result = score(rb, fx);
	ck_assert_int_eq(find(result, 1)->pool_share_fen, 60000);
	ck_assert_int_eq(find(result, 1)->award_fen, 20000);
	ck_assert_int_eq(find(result, 2)->pool_share_fen, 0);
	ck_assert_int_eq(find(result, 2)->award_fen, 0);
	ck_assert_int_eq(find(result, 3)->award_fen, 0);
	/* The second share and the rest share are not given out. */
	ck_assert_int_eq(result->undistributed_fen, 90000);
	score_month_result_destroy(result);

	/* Exactly the listed positions: the rest share stays. */
	rb->bonus_min_score_cp = 7900;
	result = score(rb, fx);
	ck_assert_int_eq(find(result, 2)->pool_share_fen, 45000);
	ck_assert_int_eq(find(result, 2)->award_fen, 10000);
	ck_assert_int_eq(result->undistributed_fen, 45000);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(pool_without_silent_sales)
{
	struct rulebook *rb = default_rulebook();
	static const int64_t scores[] = {9000, 8500, 8000};
	struct fixture *fx = pool_board(scores, 3);
	struct score_month_result *result;

	result = score(rb, fx);
	ck_assert(!result->has_silent_sales);
	ck_assert_int_eq(result->pool_fen, 0);
	ck_assert_int_eq(result->undistributed_fen, 0);
	ck_assert_int_eq(find(result, 1)->pool_share_fen, 0);
	ck_assert_int_eq(find(result, 1)->award_fen, 20000);
	ck_assert_int_eq(find(result, 2)->award_fen, 10000);
	ck_assert_int_eq(find(result, 3)->award_fen, 0);
	score_month_result_destroy(result);

	/* Awards longer than shares: a missing share is 0. */
	free(rb->bonus_awards_fen);
	{
		static const int64_t awards[] = {20000, 10000, 5000};

		rb->bonus_awards_fen = i64_list(3, awards);
		rb->bonus_award_count = 3;
	}
	fx->input.has_silent_sales = true;
	fx->input.silent_sales_fen = 25000000;
	result = score(rb, fx);
	ck_assert_int_eq(find(result, 3)->award_fen, 5000);
	ck_assert_int_eq(find(result, 3)->pool_share_fen, 0);
	ck_assert_int_eq(result->undistributed_fen, 45000);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(product_example)
{
	/* PRODUCT.md's JSON: 96.5 -> pay 165.00, share 600.00, award
	 * 200.00, streak 50.00, pool 1500.00 of 250000.00. */
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_month_result *result;
	const struct score_agent_result *ar;

	add_veteran(fx, 1);
	add_veteran(fx, 3);
	add_events(fx, 3, M, "cover", 3);
	add_events(fx, 3, M, "praise", 1);
	add_events(fx, 3, M, "curt", 1);
	fx->input.has_silent_sales = true;
	fx->input.silent_sales_fen = 25000000;
	set_earliest(fx, M);
	result = score(rb, fx);
	ar = &result->agents[0];
	ck_assert_int_eq(ar->agent->id, 3);
	ck_assert_int_eq(ar->rank, 1);
	ck_assert_int_eq(ar->score_cp, 9650);
	ck_assert_str_eq(ar->grade, "A");
	ck_assert_int_eq(ar->pay_adjust_fen, 16500);
	ck_assert_int_eq(ar->pool_share_fen, 60000);
	ck_assert_int_eq(ar->award_fen, 20000);
	ck_assert_int_eq(ar->streak_award_fen, 5000);
	ck_assert_int_eq(ar->top_streak, 1);
	ck_assert_int_eq(ar->attendance_award_fen, 5000);
	ck_assert_int_eq(ar->fines_fen, 0);
	ck_assert_int_eq(result->pool_fen, 150000);
	ar = &result->agents[1];
	ck_assert_int_eq(ar->agent->id, 1);
	ck_assert_int_eq(ar->pool_share_fen, 45000);
	ck_assert_int_eq(ar->award_fen, 10000);
	ck_assert_int_eq(ar->streak_award_fen, 0);
	ck_assert_int_eq(ar->top_streak, 0);
	ck_assert_int_eq(result->undistributed_fen, 45000);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

/* Agent 1 or 2 tops each month of 2026-01..04 as `winners` says. */
static struct fixture *streak_board(const int64_t *winners, int months)
{
	struct fixture *fx = fixture_new(tu_month(2026, 1));

	add_veteran(fx, 1);
	add_veteran(fx, 2);
	for (int i = 0; i < months; i++)
		add_event(fx, winners[i], tu_day(2026, 1 + i, 10), "praise", 1);
	return fx;
}

static int64_t streak_award(const struct rulebook *rb, struct fixture *fx,
                            kd_month month, int64_t id, int32_t *streak)
{
	struct score_month_result *result = score_at(rb, fx, month);
	const struct score_agent_result *ar = find(result, id);
	int64_t award = ar->streak_award_fen;

	*streak = ar->top_streak;
	score_month_result_destroy(result);
	return award;
}

START_TEST(top_streak_awards)
{
	struct rulebook *rb = default_rulebook();
	static const int64_t always_one[] = {1, 1, 1, 1};
	static const int64_t broken[] = {1, 2, 1, 1};
	struct fixture *fx = streak_board(always_one, 4);
	int32_t k = 0;

	set_earliest(fx, tu_month(2026, 1));
	ck_assert_int_eq(streak_award(rb, fx, tu_month(2026, 1), 1, &k), 5000);
	ck_assert_int_eq(k, 1);
	ck_assert_int_eq(streak_award(rb, fx, tu_month(2026, 2), 1, &k), 10000);
	ck_assert_int_eq(k, 2);
	ck_assert_int_eq(streak_award(rb, fx, tu_month(2026, 3), 1, &k), 20000);
	ck_assert_int_eq(k, 3);
	/* The last value repeats. */
	ck_assert_int_eq(streak_award(rb, fx, tu_month(2026, 4), 1, &k), 20000);
	ck_assert_int_eq(k, 3);
	ck_assert_int_eq(streak_award(rb, fx, tu_month(2026, 4), 2, &k), 0);
	ck_assert_int_eq(k, 0);

	/* Limited by the earliest event's month. */
	set_earliest(fx, tu_month(2026, 3));
	ck_assert_int_eq(streak_award(rb, fx, tu_month(2026, 4), 1, &k), 10000);
	ck_assert_int_eq(k, 2);
	set_earliest(fx, tu_month(2026, 4));
	ck_assert_int_eq(streak_award(rb, fx, tu_month(2026, 4), 1, &k), 5000);
	ck_assert_int_eq(k, 1);
	fx->input.has_earliest_month = false;
	ck_assert_int_eq(streak_award(rb, fx, tu_month(2026, 4), 1, &k), 5000);
	ck_assert_int_eq(k, 1);
	free(fx);

	/* Broken by a month not first. */
	fx = streak_board(broken, 4);
	set_earliest(fx, tu_month(2026, 1));
	ck_assert_int_eq(streak_award(rb, fx, tu_month(2026, 2), 2, &k), 5000);
	ck_assert_int_eq(streak_award(rb, fx, tu_month(2026, 3), 1, &k), 5000);
	ck_assert_int_eq(k, 1);
	ck_assert_int_eq(streak_award(rb, fx, tu_month(2026, 4), 1, &k), 10000);
	ck_assert_int_eq(k, 2);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(full_attendance_award)
{
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_month_result *result;
	size_t a;

	add_veteran(fx, 1);                             /* clean: 50 */
	add_veteran(fx, 2);                             /* late: 0 */
	add_veteran(fx, 3);                             /* absent: 0 */
	add_veteran(fx, 4);                             /* curt only: 50 */
	add_agent(fx, 5, tu_day(2026, 3, 2), "junior"); /* mid-month: 0 */
	add_agent(fx, 6, tu_day(2026, 3, 1), "junior"); /* first day: 50 */
	a = add_veteran(fx, 7);
	fx->agents[a].left = tu_day(2026, 3, 31); /* last day: 50 */
	a = add_veteran(fx, 8);
	fx->agents[a].left = tu_day(2026, 3, 30); /* left early: 0 */
	add_veteran(fx, 9); /* a voided late does not count: 50 */
	add_event(fx, 2, mday(M, 5), "late", 3);
	add_event(fx, 3, mday(M, 5), "absent", 1);
	add_event(fx, 4, mday(M, 5), "curt", 2);
	a = add_event(fx, 9, mday(M, 5), "late", 3);
	fx->events[a].voided = true;
	result = score(rb, fx);
	ck_assert_int_eq(find(result, 1)->attendance_award_fen, 5000);
	ck_assert_int_eq(find(result, 2)->attendance_award_fen, 0);
	ck_assert_int_eq(find(result, 3)->attendance_award_fen, 0);
	ck_assert_int_eq(find(result, 4)->attendance_award_fen, 5000);
	ck_assert_int_eq(find(result, 5)->attendance_award_fen, 0);
	ck_assert(!find(result, 5)->whole_month);
	ck_assert_int_eq(find(result, 6)->attendance_award_fen, 5000);
	ck_assert(find(result, 6)->whole_month);
	ck_assert_int_eq(find(result, 7)->attendance_award_fen, 5000);
	ck_assert_int_eq(find(result, 8)->attendance_award_fen, 0);
	ck_assert_int_eq(find(result, 9)->attendance_award_fen, 5000);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Section 10: flags */

START_TEST(promote_three_months)
{
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_agent_result ar;

	/* Agent 1, junior since 2025-01: 85 in Jan, Feb and Mar 2026. */
	add_veteran(fx, 1);
	add_event(fx, 1, tu_day(2026, 1, 5), "cover", 1);
	add_event(fx, 1, tu_day(2026, 2, 5), "cover", 1);
	add_event(fx, 1, tu_day(2026, 3, 5), "cover", 1);
	set_earliest(fx, tu_month(2025, 1));
	ck_assert_uint_eq(flags_of(rb, fx, M, 1, &ar) & SCORE_FLAG_PROMOTE,
	                  SCORE_FLAG_PROMOTE);
	ck_assert_int_eq(ar.promote_streak, 3);
	ck_assert_int_eq(ar.tier_index, TIER_JUNIOR);
	ck_assert_int_eq(ar.months_in_tier, 15);
	ck_assert(ar.has_previous);
	ck_assert_int_eq(ar.previous_score_cp, 8500);

	/* Only two months: not yet. */
	ck_assert_uint_eq(flags_of(rb, fx, tu_month(2026, 2), 1, &ar) &
	                      SCORE_FLAG_PROMOTE,
	                  0);
	ck_assert_int_eq(ar.promote_streak, 2);

	/* January at 84: the streak is two months. */
	fx->events[0].category = "praise";
	fx->events[0].quantity = 2;
	ck_assert_uint_eq(flags_of(rb, fx, M, 1, &ar) & SCORE_FLAG_PROMOTE, 0);
	ck_assert_int_eq(ar.promote_streak, 2);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(promote_needs_time_in_tier)
{
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_agent_result ar;
	size_t a;

	/* Hired 2026-02-10: in March two months in tier, three good months
	 * are impossible; by April (3 months in tier, 3 at 85) promoted. */
	add_agent(fx, 1, tu_day(2026, 2, 10), "junior");
	add_event(fx, 1, tu_day(2026, 2, 15), "cover", 1);
	add_event(fx, 1, tu_day(2026, 3, 15), "cover", 1);
	add_event(fx, 1, tu_day(2026, 4, 15), "cover", 1);
	set_earliest(fx, tu_month(2025, 1));
	ck_assert_uint_eq(flags_of(rb, fx, M, 1, &ar) & SCORE_FLAG_PROMOTE, 0);
	ck_assert_int_eq(ar.months_in_tier, 2);
	ck_assert_int_eq(ar.promote_streak, 2);
	ck_assert_uint_eq(flags_of(rb, fx, tu_month(2026, 4), 1, &ar) &
	                      SCORE_FLAG_PROMOTE,
	                  SCORE_FLAG_PROMOTE);
	ck_assert_int_eq(ar.months_in_tier, 3);

	/* Intermediate since 2026-01 (6 months needed): 95 for 3 months is
	 * not enough; intermediate since 2025-09 (7 months) is. */
	fx->input.agent_count = 0;
	fx->input.event_count = 0;
	a = add_veteran(fx, 2);
	add_span(fx, a, tu_month(2026, 1), "intermediate");
	for (int month = 1; month <= 3; month++)
		add_events(fx, 2, tu_month(2026, month), "cover", 3);
	ck_assert_uint_eq(flags_of(rb, fx, M, 2, &ar) & SCORE_FLAG_PROMOTE, 0);
	ck_assert_int_eq(ar.tier_index, TIER_INTERMEDIATE);
	ck_assert_int_eq(ar.months_in_tier, 3);
	ck_assert_int_eq(ar.promote_streak, 3);
	fx->spans[a][1].since = tu_month(2025, 9);
	ck_assert_uint_eq(flags_of(rb, fx, M, 2, &ar) & SCORE_FLAG_PROMOTE,
	                  SCORE_FLAG_PROMOTE);
	ck_assert_int_eq(ar.months_in_tier, 7);

	/* 89.99... as intermediate: 90 is the bar. */
	fx->input.event_count = 0;
	for (int month = 1; month <= 3; month++) {
		add_events(fx, 2, tu_month(2026, month), "cover", 2);
		add_events(fx, 2, tu_month(2026, month), "curt", 1);
	}
	ck_assert_uint_eq(flags_of(rb, fx, M, 2, &ar) & SCORE_FLAG_PROMOTE, 0);
	ck_assert_int_eq(ar.promote_streak, 0);

	/* Expert: the top tier never gets promote. */
	fx->spans[a][1].tier_key = "expert";
	ck_assert_uint_eq(flags_of(rb, fx, M, 2, &ar) & SCORE_FLAG_PROMOTE, 0);
	ck_assert_int_eq(ar.tier_index, TIER_EXPERT);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(streak_broken_off_board)
{
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_agent_result ar;

	/* February is closed and its snapshot lists only agent 2: agent 1
	 * was not on that board, which breaks the promote streak. */
	add_veteran(fx, 1);
	add_veteran(fx, 2);
	for (int month = 1; month <= 3; month++)
		add_events(fx, 1, tu_month(2026, month), "cover", 1);
	set_earliest(fx, tu_month(2025, 1));
	ck_assert_uint_eq(flags_of(rb, fx, M, 1, &ar) & SCORE_FLAG_PROMOTE,
	                  SCORE_FLAG_PROMOTE);
	add_history(fx, tu_month(2026, 2), 2, 8000, 1, 1);
	ck_assert_uint_eq(flags_of(rb, fx, M, 1, &ar) & SCORE_FLAG_PROMOTE, 0);
	ck_assert_int_eq(ar.promote_streak, 1);
	ck_assert(!ar.has_previous);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(demote_two_months)
{
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_agent_result ar;

	add_veteran(fx, 1);
	add_events(fx, 1, tu_month(2026, 2), "curt", 1); /* 79.50 */
	add_events(fx, 1, M, "curt", 1);                 /* 79.50 */
	set_earliest(fx, tu_month(2025, 1));
	ck_assert_uint_eq(flags_of(rb, fx, M, 1, &ar) & SCORE_FLAG_DEMOTE,
	                  SCORE_FLAG_DEMOTE);
	ck_assert_int_eq(ar.demote_streak, 2);
	ck_assert_uint_eq(ar.flags & SCORE_FLAG_NO_BONUS, SCORE_FLAG_NO_BONUS);
	ck_assert_int_eq(ar.previous_score_cp, 7950);

	/* Only one month below 80. */
	ck_assert_uint_eq(
	    flags_of(rb, fx, tu_month(2026, 2), 1, &ar) & SCORE_FLAG_DEMOTE, 0);
	ck_assert_int_eq(ar.demote_streak, 1);

	/* The look-back stops at the earliest event's month. */
	set_earliest(fx, M);
	ck_assert_uint_eq(flags_of(rb, fx, M, 1, &ar) & SCORE_FLAG_DEMOTE, 0);
	ck_assert_int_eq(ar.demote_streak, 1);
	ck_assert(!ar.has_previous);

	/* February at exactly 80 does not count. */
	set_earliest(fx, tu_month(2025, 1));
	fx->events[0].category = "unchased";
	ck_assert_uint_eq(flags_of(rb, fx, M, 1, &ar) & SCORE_FLAG_DEMOTE, 0);
	ck_assert_int_eq(ar.demote_streak, 1);
	ck_assert_int_eq(ar.previous_score_cp, 8000);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(dismiss_review_reasons)
{
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_month_result *result;
	const struct score_agent_result *ar;

	add_veteran(fx, 1); /* absent: 60.00, not below 60 */
	add_veteran(fx, 2); /* absent + curt: 59.50 */
	add_veteran(fx, 3); /* quarrel once */
	add_veteran(fx, 4); /* complaint x2 */
	add_veteran(fx, 5); /* complaint x3 */
	add_veteran(fx, 6); /* complaint x3 and quarrel */
	add_events(fx, 1, M, "absent", 1);
	add_events(fx, 2, M, "absent", 1);
	add_events(fx, 2, M, "curt", 1);
	add_events(fx, 3, M, "quarrel", 1);
	add_events(fx, 4, M, "complaint", 2);
	add_events(fx, 5, M, "complaint", 3);
	add_events(fx, 6, M, "quarrel", 1);
	add_events(fx, 6, M, "complaint", 3);
	result = score(rb, fx);

	ar = find(result, 1);
	ck_assert_int_eq(ar->score_cp, 6000);
	ck_assert_uint_eq(ar->flags & SCORE_FLAG_DISMISS_REVIEW, 0);
	ck_assert_uint_eq(ar->dismiss_reasons, 0);
	ck_assert_int_eq(ar->dismiss_category, -1);
	ck_assert_str_eq(ar->grade, "E");

	ar = find(result, 2);
	ck_assert_int_eq(ar->score_cp, 5950);
	ck_assert_uint_eq(ar->flags & SCORE_FLAG_DISMISS_REVIEW,
	                  SCORE_FLAG_DISMISS_REVIEW);
	ck_assert_uint_eq(ar->dismiss_reasons, SCORE_DISMISS_LOW_SCORE);

	ar = find(result, 3);
	ck_assert_int_eq(ar->score_cp, 6000);
	ck_assert_uint_eq(ar->dismiss_reasons, SCORE_DISMISS_CATEGORY);
	ck_assert_int_eq(ar->dismiss_category, CAT_QUARREL);
	ck_assert(ar->categories[CAT_QUARREL].dismiss_reached);

	ar = find(result, 4);
	ck_assert_uint_eq(ar->flags & SCORE_FLAG_DISMISS_REVIEW, 0);
	ck_assert(!ar->categories[CAT_COMPLAINT].dismiss_reached);

	ar = find(result, 5);
	ck_assert_uint_eq(ar->flags & SCORE_FLAG_DISMISS_REVIEW,
	                  SCORE_FLAG_DISMISS_REVIEW);
	ck_assert_uint_eq(ar->dismiss_reasons, SCORE_DISMISS_CATEGORY);
	ck_assert_int_eq(ar->dismiss_category, CAT_COMPLAINT);

	/* The first category in rulebook order; 80 - 20 - 5 = 55: low too. */
	ar = find(result, 6);
	ck_assert_int_eq(ar->dismiss_category, CAT_COMPLAINT);
	ck_assert_int_eq(ar->score_cp, 5500);
	ck_assert_uint_eq(ar->dismiss_reasons,
	                  SCORE_DISMISS_CATEGORY | SCORE_DISMISS_LOW_SCORE);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(dismiss_last_place)
{
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_agent_result ar;
	size_t a;

	/* Agent 3 last at 65 in February and March, on a board of three. */
	add_veteran(fx, 1);
	add_veteran(fx, 2);
	add_veteran(fx, 3);
	add_events(fx, 3, tu_month(2026, 2), "offpost", 3);
	add_events(fx, 3, M, "offpost", 3);
	set_earliest(fx, tu_month(2025, 1));
	flags_of(rb, fx, M, 3, &ar);
	ck_assert_int_eq(ar.score_cp, 6500);
	ck_assert_int_eq(ar.rank, 3);
	ck_assert_int_eq(ar.last_place_streak, 2);
	ck_assert_uint_eq(ar.flags & SCORE_FLAG_DISMISS_REVIEW,
	                  SCORE_FLAG_DISMISS_REVIEW);
	ck_assert_uint_eq(ar.dismiss_reasons, SCORE_DISMISS_LAST_PLACE);

	/* One month is not enough. */
	flags_of(rb, fx, tu_month(2026, 2), 3, &ar);
	ck_assert_int_eq(ar.last_place_streak, 1);
	ck_assert_uint_eq(ar.flags & SCORE_FLAG_DISMISS_REVIEW, 0);

	/* At exactly 70 (offpost x2) it does not count. */
	fx->input.event_count = 0;
	add_events(fx, 3, tu_month(2026, 2), "offpost", 2);
	add_events(fx, 3, M, "offpost", 3);
	flags_of(rb, fx, M, 3, &ar);
	ck_assert_int_eq(ar.last_place_streak, 1);
	ck_assert_uint_eq(ar.flags & SCORE_FLAG_DISMISS_REVIEW, 0);

	/* On a board of two it never counts. */
	fx->input.event_count = 0;
	add_events(fx, 3, tu_month(2026, 2), "offpost", 3);
	add_events(fx, 3, M, "offpost", 3);
	a = 0;
	fx->agents[a].left = tu_day(2026, 1, 31);
	flags_of(rb, fx, M, 3, &ar);
	ck_assert_int_eq(ar.rank, 2);
	ck_assert_int_eq(ar.last_place_streak, 0);
	ck_assert_uint_eq(ar.flags & SCORE_FLAG_DISMISS_REVIEW, 0);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(no_bonus_flag)
{
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_month_result *result;

	add_veteran(fx, 1);
	add_veteran(fx, 2);
	add_events(fx, 2, M, "curt", 1);
	result = score(rb, fx);
	ck_assert_uint_eq(find(result, 1)->flags, 0);
	ck_assert_uint_eq(find(result, 2)->flags, SCORE_FLAG_NO_BONUS);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(flag_names)
{
	ck_assert_str_eq(score_flag_name(SCORE_FLAG_NO_BONUS_BIT), "no_bonus");
	ck_assert_str_eq(score_flag_name(SCORE_FLAG_PROBATION_BIT),
	                 "probation");
	ck_assert_str_eq(score_flag_name(SCORE_FLAG_PROMOTE_BIT), "promote");
	ck_assert_str_eq(score_flag_name(SCORE_FLAG_DEMOTE_BIT), "demote");
	ck_assert_str_eq(score_flag_name(SCORE_FLAG_DISMISS_REVIEW_BIT),
	                 "dismiss_review");
	ck_assert_str_eq(score_flag_name(SCORE_FLAG_NO_KPI_BIT), "no_kpi");
	ck_assert_ptr_null(score_flag_name(SCORE_FLAG_COUNT));
	ck_assert_ptr_null(score_flag_name(-1));
	ck_assert_uint_eq(SCORE_FLAG_NO_KPI, 32u);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Look-backs and closed months */

START_TEST(history_overrides_past_month)
{
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_agent_result ar;

	/* Events say February was 90 for agent 1 and 80 for agent 2. */
	add_veteran(fx, 1);
	add_veteran(fx, 2);
	add_events(fx, 1, tu_month(2026, 2), "cover", 2);
	add_events(fx, 2, M, "cover", 1);
	set_earliest(fx, tu_month(2025, 1));
	flags_of(rb, fx, M, 1, &ar);
	ck_assert(ar.has_previous);
	ck_assert_int_eq(ar.previous_score_cp, 9000);
	flags_of(rb, fx, M, 2, &ar);
	ck_assert_int_eq(ar.previous_score_cp, 8000);
	ck_assert_int_eq(ar.top_streak, 1);
	ck_assert_int_eq(ar.streak_award_fen, 5000);

	/* The closed snapshot says otherwise: it wins. */
	add_history(fx, tu_month(2026, 2), 1, 7000, 2, 2);
	add_history(fx, tu_month(2026, 2), 2, 9900, 1, 2);
	flags_of(rb, fx, M, 1, &ar);
	ck_assert_int_eq(ar.previous_score_cp, 7000);
	flags_of(rb, fx, M, 2, &ar);
	ck_assert_int_eq(ar.previous_score_cp, 9900);
	ck_assert_int_eq(ar.top_streak, 2);
	ck_assert_int_eq(ar.streak_award_fen, 10000);

	/* The scored month itself is always computed from its events. */
	add_history(fx, M, 1, 11000, 1, 2);
	flags_of(rb, fx, M, 2, &ar);
	ck_assert_int_eq(ar.score_cp, 8500);
	ck_assert_int_eq(ar.rank, 1);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(history_last_place)
{
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_agent_result ar;

	/* February from a snapshot: agent 3 last of 3 at 50. */
	add_veteran(fx, 1);
	add_veteran(fx, 2);
	add_veteran(fx, 3);
	add_events(fx, 3, M, "offpost", 3);
	add_history(fx, tu_month(2026, 2), 1, 9000, 1, 3);
	add_history(fx, tu_month(2026, 2), 2, 8000, 2, 3);
	add_history(fx, tu_month(2026, 2), 3, 5000, 3, 3);
	set_earliest(fx, tu_month(2025, 1));
	flags_of(rb, fx, M, 3, &ar);
	ck_assert_int_eq(ar.last_place_streak, 2);
	ck_assert_uint_eq(ar.dismiss_reasons, SCORE_DISMISS_LAST_PLACE);
	/* A snapshot board of 2 does not count. */
	fx->history[2].board_size = 2;
	fx->history[2].rank = 2;
	flags_of(rb, fx, M, 3, &ar);
	ck_assert_int_eq(ar.last_place_streak, 1);
	ck_assert_uint_eq(ar.dismiss_reasons, 0);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(lookback_months)
{
	struct rulebook *rb = default_rulebook();

	/* max(top_streak 3, promote 3, demote 2, last place 2) - 1 */
	ck_assert_int_eq(score_lookback_months(rb), 2);
	rb->tiers[TIER_SENIOR].promote_months = 6;
	ck_assert_int_eq(score_lookback_months(rb), 5);
	rb->tiers[TIER_SENIOR].promote_months = 3;
	rb->top_streak_count = 1;
	rb->demote_months = 1;
	rb->last_place_months = 1;
	for (size_t i = 0; i < rb->tier_count; i++)
		rb->tiers[i].promote_months = 1;
	/* Never below 1: last month's score is always wanted. */
	ck_assert_int_eq(score_lookback_months(rb), 1);
	/* A tier that cannot promote does not count. */
	rb->tiers[TIER_EXPERT].promote_months = 12;
	ck_assert_int_eq(score_lookback_months(rb), 1);
	free_rulebook(rb);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Event points and tiers */

START_TEST(event_points_marginal)
{
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(M);
	int64_t points[32];
	size_t c1, c2, c3, u1, u2, u3, s1, s2, s3, v, x, other, next_month;
	size_t b1, b2, b3, l1, l2, q1, q2;

	c1 = add_event(fx, 1, mday(M, 1), "complaint", 1);
	c2 = add_event(fx, 1, mday(M, 2), "complaint", 1);
	v = add_event(fx, 1, mday(M, 2), "complaint", 1);
	fx->events[v].voided = true;
	c3 = add_event(fx, 1, mday(M, 3), "complaint", 1);
	u1 = add_event(fx, 1, mday(M, 1), "unreplied", 1);
	u2 = add_event(fx, 1, mday(M, 2), "unreplied", 1);
	u3 = add_event(fx, 1, mday(M, 3), "unreplied", 1);
	s1 = add_event(fx, 1, mday(M, 1), "shirk", 1);
	s2 = add_event(fx, 1, mday(M, 2), "shirk", 1);
	s3 = add_event(fx, 1, mday(M, 3), "shirk", 1);
	x = add_event(fx, 1, mday(M, 3), "nosuch", 1);
	other = add_event(fx, 2, mday(M, 4), "complaint", 1);
	next_month = add_event(fx, 1, tu_day(2026, 4, 1), "complaint", 1);
	/* Back-filled: entered last, dated first. */
	b1 = add_event(fx, 3, mday(M, 10), "complaint", 1);
	b2 = add_event(fx, 3, mday(M, 12), "complaint", 1);
	b3 = add_event(fx, 3, mday(M, 5), "complaint", 1);
	l1 = add_event(fx, 4, mday(M, 5), "late", 20);
	l2 = add_event(fx, 4, mday(M, 6), "late", 40);
	q1 = add_event(fx, 5, mday(M, 6), "complaint", 3);
	q2 = add_event(fx, 5, mday(M, 7), "complaint", 2);

	ck_assert_int_eq(
	    score_event_points(rb, fx->input.event_count, fx->events, points),
	    KD_OK);
	ck_assert_int_eq(points[c1], -100);
	ck_assert_int_eq(points[c2], -100);
	ck_assert_int_eq(points[c3], -300);
	ck_assert_int_eq(points[v], 0);
	ck_assert_int_eq(points[u1], -100);
	ck_assert_int_eq(points[u2], -900);
	ck_assert_int_eq(points[u3], 0);
	ck_assert_int_eq(points[s1], 0);
	ck_assert_int_eq(points[s2], 0);
	ck_assert_int_eq(points[s3], -300);
	ck_assert_int_eq(points[x], 0);
	ck_assert_int_eq(points[other], -100);
	ck_assert_int_eq(points[next_month], -100);
	ck_assert_int_eq(points[b3], -100);
	ck_assert_int_eq(points[b1], -100);
	ck_assert_int_eq(points[b2], -300);
	ck_assert_int_eq(points[l1], -200);
	ck_assert_int_eq(points[l2], -500);
	ck_assert_int_eq(points[q1], -500);
	ck_assert_int_eq(points[q2], -500); /* 5 -> -10 */
	ck_assert_int_eq(score_event_points(rb, 0, fx->events, points), KD_OK);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(agent_tiers)
{
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(M);
	const struct score_agent *agent;
	int32_t months = -5;
	size_t a;

	/* Hired 2025-06-15 as junior; intermediate from 2025-12, a repeated
	 * intermediate span from 2026-02 (same run), senior from 2026-05. */
	a = add_agent(fx, 1, tu_day(2025, 6, 15), "junior");
	add_span(fx, a, tu_month(2025, 12), "intermediate");
	add_span(fx, a, tu_month(2026, 2), "intermediate");
	add_span(fx, a, tu_month(2026, 5), "senior");
	agent = &fx->agents[a];

	ck_assert_int_eq(
	    score_agent_tier(rb, agent, tu_month(2025, 6), &months),
	    TIER_JUNIOR);
	ck_assert_int_eq(months, 1);
	ck_assert_int_eq(
	    score_agent_tier(rb, agent, tu_month(2025, 11), &months),
	    TIER_JUNIOR);
	ck_assert_int_eq(months, 6);
	ck_assert_int_eq(
	    score_agent_tier(rb, agent, tu_month(2025, 12), &months),
	    TIER_INTERMEDIATE);
	ck_assert_int_eq(months, 1);
	ck_assert_int_eq(
	    score_agent_tier(rb, agent, tu_month(2026, 4), &months),
	    TIER_INTERMEDIATE);
	ck_assert_int_eq(months, 5);
	ck_assert_int_eq(
	    score_agent_tier(rb, agent, tu_month(2026, 5), &months),
	    TIER_SENIOR);
	ck_assert_int_eq(months, 1);
	ck_assert_int_eq(score_agent_tier(rb, agent, tu_month(2026, 5), NULL),
	                 TIER_SENIOR);

	/* Before every span: the first span's tier, counted from hire. */
	fx->spans[a][0].since = tu_month(2025, 9);
	ck_assert_int_eq(
	    score_agent_tier(rb, agent, tu_month(2025, 7), &months),
	    TIER_JUNIOR);
	ck_assert_int_eq(months, 2);
	/* An explicit later `since` restarts the count. */
	ck_assert_int_eq(
	    score_agent_tier(rb, agent, tu_month(2025, 10), &months),
	    TIER_JUNIOR);
	ck_assert_int_eq(months, 2);
	/* A `since` before the hire month counts from the hire month. */
	fx->spans[a][0].since = tu_month(2024, 1);
	ck_assert_int_eq(
	    score_agent_tier(rb, agent, tu_month(2025, 7), &months),
	    TIER_JUNIOR);
	ck_assert_int_eq(months, 2);

	/* An unknown key: -1, months still counted. */
	fx->spans[a][3].tier_key = "guru";
	ck_assert_int_eq(
	    score_agent_tier(rb, agent, tu_month(2026, 6), &months), -1);
	ck_assert_int_eq(months, 2);

	/* No spans at all. */
	fx->agents[a].tier_count = 0;
	ck_assert_int_eq(
	    score_agent_tier(rb, agent, tu_month(2026, 6), &months), -1);
	ck_assert_int_eq(months, 0);
	free(fx);
	free_rulebook(rb);
}
END_TEST

START_TEST(empty_and_destroy)
{
	struct rulebook *rb = default_rulebook();
	struct fixture *fx = fixture_new(M);
	struct score_month_result *result;

	score_month_result_destroy(NULL);
	result = score(rb, fx);
	ck_assert_uint_eq(result->agent_count, 0);
	ck_assert_ptr_null(result->agents);
	ck_assert_int_eq(result->pool_fen, 0);
	score_month_result_destroy(result);

	/* Silent sales but nobody on the board: all undistributed. */
	fx->input.has_silent_sales = true;
	fx->input.silent_sales_fen = 25000000;
	add_agent(fx, 1, tu_day(2027, 1, 1), "junior");
	set_earliest(fx, tu_month(2025, 1));
	result = score(rb, fx);
	ck_assert_uint_eq(result->agent_count, 0);
	ck_assert_int_eq(result->pool_fen, 150000);
	ck_assert_int_eq(result->undistributed_fen, 150000);
	score_month_result_destroy(result);
	free(fx);
	free_rulebook(rb);
}
END_TEST

/* ------------------------------------------------------------------------ */

/* ------------------------------------------------------------------------ */
/* Tallies: counts per month, agent, category and quantity score exactly as
 * the events they count (the store's scoring input, issue 9). */

/* The fixture's non-voided events as tallies, except the categories whose
 * order matters, which stay events (as the store gives them). */
static struct score_month_result *score_tallied(const struct rulebook *rb,
                                                const struct fixture *fx)
{
	struct score_tally *tallies = calloc(MAX_EVENTS, sizeof(*tallies));
	struct score_event *events = calloc(MAX_EVENTS, sizeof(*events));
	struct score_input in = fx->input;
	size_t nt = 0, ne = 0;
	struct score_month_result *result = NULL;

	ck_assert_ptr_nonnull(tallies);
	ck_assert_ptr_nonnull(events);
	for (size_t i = 0; i < fx->input.event_count; i++) {
		const struct score_event *e = &fx->events[i];
		bool ordered = false;
		size_t t;

		if (e->voided)
			continue;
		for (size_t c = 0; c < rb->category_count; c++)
			if (strcmp(rb->categories[c].key, e->category) == 0)
				ordered =
				    score_category_ordered(&rb->categories[c]);
		if (ordered) {
			events[ne++] = *e;
			continue;
		}
		for (t = 0; t < nt; t++)
			if (tallies[t].month == date_month(e->date) &&
			    tallies[t].agent_id == e->agent_id &&
			    strcmp(tallies[t].category, e->category) == 0 &&
			    tallies[t].quantity == e->quantity)
				break;
		if (t == nt) {
			tallies[nt].month = date_month(e->date);
			tallies[nt].agent_id = e->agent_id;
			tallies[nt].category = e->category;
			tallies[nt].quantity = e->quantity;
			nt++;
		}
		tallies[t].events++;
	}
	/* the engine must not depend on the order rows come in */
	for (size_t i = 0; i + 1 < nt; i += 2) {
		struct score_tally swap = tallies[i];

		tallies[i] = tallies[i + 1];
		tallies[i + 1] = swap;
	}
	in.events = events;
	in.event_count = ne;
	in.tallies = tallies;
	in.tally_count = nt;
	ck_assert_int_eq(score_month(rb, &in, &result), KD_OK);
	free(tallies);
	free(events);
	return result;
}

static void assert_same_board(const struct rulebook *rb,
                              const struct score_month_result *a,
                              const struct score_month_result *b)
{
	ck_assert_uint_eq(a->agent_count, b->agent_count);
	ck_assert_uint_eq(a->skipped_events, b->skipped_events);
	ck_assert_int_eq(a->pool_fen, b->pool_fen);
	ck_assert_int_eq(a->undistributed_fen, b->undistributed_fen);
	for (size_t i = 0; i < a->agent_count; i++) {
		const struct score_agent_result *x = &a->agents[i];
		const struct score_agent_result *y = &b->agents[i];

		ck_assert_int_eq(x->agent->id, y->agent->id);
		ck_assert_int_eq(x->score_cp, y->score_cp);
		ck_assert_int_eq(x->rank, y->rank);
		ck_assert_int_eq(x->combo_cp, y->combo_cp);
		ck_assert_int_eq(x->fines_fen, y->fines_fen);
		ck_assert_int_eq(x->pay_adjust_fen, y->pay_adjust_fen);
		ck_assert_int_eq(x->pool_share_fen, y->pool_share_fen);
		ck_assert_int_eq(x->award_fen, y->award_fen);
		ck_assert_int_eq(x->streak_award_fen, y->streak_award_fen);
		ck_assert_int_eq(x->attendance_award_fen,
		                 y->attendance_award_fen);
		ck_assert_uint_eq(x->flags, y->flags);
		ck_assert_uint_eq(x->dismiss_reasons, y->dismiss_reasons);
		ck_assert_int_eq(x->dismiss_category, y->dismiss_category);
		ck_assert_int_eq(x->top_streak, y->top_streak);
		ck_assert_int_eq(x->promote_streak, y->promote_streak);
		ck_assert_int_eq(x->demote_streak, y->demote_streak);
		ck_assert_int_eq(x->last_place_streak, y->last_place_streak);
		for (size_t c = 0; c < rb->category_count; c++) {
			ck_assert_int_eq(x->categories[c].occurrences,
			                 y->categories[c].occurrences);
			ck_assert_int_eq(x->categories[c].total_cp,
			                 y->categories[c].total_cp);
			ck_assert_int_eq(x->categories[c].fines_fen,
			                 y->categories[c].fines_fen);
			ck_assert(x->categories[c].dismiss_reached ==
			          y->categories[c].dismiss_reached);
		}
	}
}

static int event_date_id_cmp(const void *pa, const void *pb)
{
	const struct score_event *a = pa;
	const struct score_event *b = pb;

	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

/* The points of day's events from the month's earlier ones as tallies
 * equal their points among the whole month's events. */
static void assert_day_points(const struct rulebook *rb,
                              const struct fixture *fx, kd_date d)
{
	int64_t all[MAX_EVENTS], day_points[MAX_EVENTS];
	struct score_event day_events[MAX_EVENTS], prior[MAX_EVENTS];
	struct score_tally tallies[MAX_EVENTS];
	size_t nd = 0, np = 0, nt = 0, map[MAX_EVENTS];

	ck_assert_int_eq(
	    score_event_points(rb, fx->input.event_count, fx->events, all),
	    KD_OK);
	/* The same events in date and entry order (as the store gives them:
	 * grouped without a sort) get the same points. */
	{
		struct score_event sorted[MAX_EVENTS];
		int64_t again[MAX_EVENTS];
		size_t n = fx->input.event_count;

		memcpy(sorted, fx->events, n * sizeof(*sorted));
		qsort(sorted, n, sizeof(*sorted), event_date_id_cmp);
		ck_assert_int_eq(score_event_points(rb, n, sorted, again),
		                 KD_OK);
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < n; j++)
				if (fx->events[j].id == sorted[i].id)
					ck_assert_int_eq(again[i], all[j]);
	}
	for (size_t i = 0; i < fx->input.event_count; i++) {
		const struct score_event *e = &fx->events[i];
		bool ordered = false;
		size_t t;

		if (e->date == d) {
			map[nd] = i;
			day_events[nd++] = *e;
			continue;
		}
		if (e->voided || e->date > d ||
		    date_month(e->date) != date_month(d))
			continue;
		for (size_t c = 0; c < rb->category_count; c++)
			if (strcmp(rb->categories[c].key, e->category) == 0)
				ordered =
				    score_category_ordered(&rb->categories[c]);
		if (ordered) {
			prior[np++] = *e;
			continue;
		}
		for (t = 0; t < nt; t++)
			if (tallies[t].agent_id == e->agent_id &&
			    strcmp(tallies[t].category, e->category) == 0 &&
			    tallies[t].quantity == e->quantity)
				break;
		if (t == nt) {
			memset(&tallies[nt], 0, sizeof(tallies[nt]));
			tallies[nt].month = date_month(d);
			tallies[nt].agent_id = e->agent_id;
			tallies[nt].category = e->category;
			tallies[nt].quantity = e->quantity;
			nt++;
		}
		tallies[t].events++;
	}
	ck_assert_int_eq(score_event_points_after(rb, nt, tallies, np, prior,
	                                          nd, day_events, day_points),
	                 KD_OK);
	for (size_t i = 0; i < nd; i++)
		ck_assert_int_eq(day_points[i], all[map[i]]);
}

START_TEST(tallies_score_as_events)
{
	static const struct rb_escalate_step late_steps[] = {{2, -300},
	                                                     {4, -900}};
	static const struct rb_escalate_step shirk_steps[] = {{3, -700}};
	static const char *const keys[] = {
	    "late",      "absent",  "unreplied", "curt",        "mistake",
	    "complaint", "quarrel", "offpost",   "overpromise", "shirk",
	    "unchased",  "praise",  "extra",     "cover",       "nosuch",
	};
	uint32_t seed = 12345u;

	/* 0: the default rules; 1: late free; 2: late escalates; 3: shirk
	 * escalates with quantities (a count category stays order-free). */
	for (int variant = 0; variant < 4; variant++) {
		for (int round = 0; round < 12; round++) {
			struct rulebook *rb = default_rulebook();
			struct fixture *fx = fixture_new(M);
			struct score_month_result *a, *b;

			if (variant == 1)
				rb->categories[CAT_LATE].free_count = 2;
			if (variant == 2)
				set_escalate(&rb->categories[CAT_LATE], 2,
				             late_steps);
			if (variant == 3) {
				rb->categories[CAT_SHIRK].free_count = 0;
				set_escalate(&rb->categories[CAT_SHIRK], 1,
				             shirk_steps);
			}
			ck_assert(
			    score_category_ordered(&rb->categories[CAT_LATE]) ==
			    (variant == 1 || variant == 2));
			ck_assert(!score_category_ordered(
			    &rb->categories[CAT_SHIRK]));
			for (int64_t id = 1; id <= 5; id++)
				add_veteran(fx, id);
			fx->input.has_earliest_month = true;
			fx->input.earliest_month = M - 3;
			for (int e = 0; e < 200; e++) {
				size_t at;
				kd_month month;
				const char *key;
				int32_t qty;

				seed = seed * 1103515245u + 12345u;
				month = M - (kd_month)((seed >> 8) % 3);
				key = keys[(seed >> 12) % 15];
				qty = strcmp(key, "late") == 0
				          ? (int32_t)(1 + (seed >> 4) % 40)
				          : (int32_t)(1 + (seed >> 20) % 3);
				at = add_event(
				    fx, (int64_t)(1 + (seed >> 16) % 5),
				    mday(month, (int)(1 + (seed >> 24) % 28)),
				    key, qty);
				fx->events[at].voided = (seed >> 3) % 17 == 0;
			}
			a = score(rb, fx);
			b = score_tallied(rb, fx);
			assert_same_board(rb, a, b);
			assert_day_points(rb, fx, mday(M, 1 + round * 2));
			score_month_result_destroy(a);
			score_month_result_destroy(b);
			free(fx);
			free_rulebook(rb);
		}
	}
}
END_TEST

static Suite *score_suite(void)
{
	Suite *s = suite_create("score");
	TCase *rules = tcase_create("categories");
	TCase *month = tcase_create("month");
	TCase *kpi = tcase_create("kpi");
	TCase *money = tcase_create("money");
	TCase *flags = tcase_create("flags");
	TCase *misc = tcase_create("misc");

	tcase_add_test(rules, complaint_escalates);
	tcase_add_test(rules, complaint_fines_double);
	tcase_add_test(rules, fine_growth_rounds_once);
	tcase_add_test(rules, late_bands_by_minutes);
	tcase_add_test(rules, unreplied_zero_at);
	tcase_add_test(rules, offpost_zero_at_and_budget);
	tcase_add_test(rules, overpromise_first_time);
	tcase_add_test(rules, shirk_free_two);
	tcase_add_test(rules, half_points_exact);
	tcase_add_test(rules, bonus_budget_caps);
	tcase_add_test(rules, minutes_escalate_and_free_by_date);
	tcase_add_test(rules, count_quantities_and_zero);
	suite_add_tcase(s, rules);

	tcase_add_test(month, month_score_sums);
	tcase_add_test(month, grade_boundaries);
	tcase_add_test(month, combo_light_four);
	tcase_add_test(month, combo_medium_two);
	tcase_add_test(month, score_clamps);
	tcase_add_test(month, voided_other_months_and_unknown);
	tcase_add_test(month, board_membership);
	tcase_add_test(month, rank_ties_by_id);
	tcase_add_test(month, rank_ties_by_sales);
	suite_add_tcase(s, month);

	tcase_add_test(kpi, kpi_score_by_hand);
	tcase_add_test(kpi, kpi_exact_boundaries);
	tcase_add_test(kpi, kpi_derived_metrics);
	tcase_add_test(kpi, kpi_rank_by_sales);
	tcase_add_test(kpi, kpi_lookback_months);
	suite_add_tcase(s, kpi);

	tcase_add_test(money, pay_adjustment_seed);
	tcase_add_test(money, probation_first_two_months);
	tcase_add_test(money, pool_shares_awards_rest);
	tcase_add_test(money, pool_rest_rounds_down);
	tcase_add_test(money, pool_never_pays_more_than_it_holds);
	tcase_add_test(money, pool_share_rounded_on_its_own);
	tcase_add_test(money, pool_excess_off_the_last_shares);
	tcase_add_test(money, kpi_score_rounded_once);
	tcase_add_test(money, pool_fewer_eligible);
	tcase_add_test(money, pool_without_silent_sales);
	tcase_add_test(money, product_example);
	tcase_add_test(money, top_streak_awards);
	tcase_add_test(money, full_attendance_award);
	suite_add_tcase(s, money);

	tcase_add_test(flags, promote_three_months);
	tcase_add_test(flags, promote_needs_time_in_tier);
	tcase_add_test(flags, streak_broken_off_board);
	tcase_add_test(flags, demote_two_months);
	tcase_add_test(flags, dismiss_review_reasons);
	tcase_add_test(flags, dismiss_last_place);
	tcase_add_test(flags, no_bonus_flag);
	tcase_add_test(flags, flag_names);
	suite_add_tcase(s, flags);

	tcase_add_test(misc, history_overrides_past_month);
	tcase_add_test(misc, history_last_place);
	tcase_add_test(misc, lookback_months);
	tcase_add_test(misc, event_points_marginal);
	tcase_add_test(misc, agent_tiers);
	tcase_add_test(misc, empty_and_destroy);
	tcase_add_test(misc, tallies_score_as_events);
	suite_add_tcase(s, misc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(score_suite());

	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
