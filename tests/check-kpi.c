/* KPI-mode scoring (src/core/score*.c, RULEBOOK.md section 8) under the
 * shipped profile config/presales-kpi.ini, with exact numbers at every
 * band boundary: the scoring engine's tests that need the shipped INI
 * (check-score.c builds its rulebooks by hand; the KPI file reader is
 * check-import.c's). No database is involved.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpidesk/config.h"
#include "kpidesk/date.h"
#include "kpidesk/rulebook.h"
#include "kpidesk/score.h"
#include "testutil.h"

#ifndef KPIDESK_CONFIG_DIR
#error "KPIDESK_CONFIG_DIR must name the config directory"
#endif

#define KPI_INI     KPIDESK_CONFIG_DIR "/presales-kpi.ini"
#define DEFAULT_INI KPIDESK_CONFIG_DIR "/kpidesk.ini"
#define DATA_DIR    KPIDESK_CONFIG_DIR "/../data"

#define OCT tu_month(2026, 10)

/* ------------------------------------------------------------------------ */
/* Scoring under config/presales-kpi.ini: every band boundary */

#define MAX_ROWS 4

struct board {
	struct score_agent agents[MAX_ROWS];
	struct score_metrics metrics[MAX_ROWS];
	struct score_input input;
};

/* n agents (ids 1..n, hired long ago) with empty metrics for OCT. */
static void board_init(struct board *b, size_t n)
{
	memset(b, 0, sizeof(*b));
	for (size_t i = 0; i < n; i++) {
		b->agents[i].id = (int64_t)i + 1;
		b->agents[i].name = "agent";
		b->agents[i].hired = tu_day(2025, 1, 1);
		b->agents[i].left = KD_DATE_NONE;
		b->metrics[i].agent_id = (int64_t)i + 1;
		b->metrics[i].month = OCT;
	}
	b->input.month = OCT;
	b->input.agent_count = n;
	b->input.agents = b->agents;
	b->input.metrics_count = n;
	b->input.metrics = b->metrics;
}

static const struct score_agent_result *
result_of(const struct score_month_result *r, int64_t id)
{
	for (size_t i = 0; i < r->agent_count; i++)
		if (r->agents[i].agent->id == id)
			return &r->agents[i];
	ck_abort_msg("agent %lld not on the board", (long long)id);
	return NULL;
}

/* Scores the board and checks agent 1's KPI `k`: its band (whole points),
 * its weighted points (centi-points), and that it is the whole KPI score
 * (the other metrics are absent: 0). */
static void expect_band(const struct rulebook *rb, struct board *b, size_t k,
                        int64_t band, int64_t points_cp, const char *what)
{
	struct score_month_result *r = NULL;
	const struct score_agent_result *ar;
	int64_t total = 0;

	ck_assert_int_eq(score_month(rb, &b->input, &r), KD_OK);
	ar = result_of(r, 1);
	ck_assert(ar->kpi_present);
	ck_assert_msg(ar->kpi_metrics[k].present, "%s: absent", what);
	ck_assert_msg(ar->kpi_metrics[k].band_h == band * 100,
	              "%s: band %lld, want %lld", what,
	              (long long)ar->kpi_metrics[k].band_h, (long long)band);
	ck_assert_msg(ar->kpi_metrics[k].points_cp == points_cp,
	              "%s: points %lld, want %lld", what,
	              (long long)ar->kpi_metrics[k].points_cp,
	              (long long)points_cp);
	for (size_t i = 0; i < rb->kpi_count; i++)
		if (i != k)
			total += ar->kpi_metrics[i].points_cp;
	ck_assert_int_eq(total, 0);
	ck_assert_int_eq(ar->kpi_score_cp, points_cp + total);
	ck_assert_int_eq(ar->base_cp, ar->kpi_score_cp);
	score_month_result_destroy(r);
}

/* The index of the profile's KPI scoring `metric`, with its weight. */
static size_t kpi_index(const struct rulebook *rb, enum rb_metric metric,
                        int32_t weight)
{
	for (size_t i = 0; i < rb->kpi_count; i++)
		if (rb->kpis[i].metric == metric) {
			ck_assert_int_eq(rb->kpis[i].weight, weight);
			return i;
		}
	ck_abort_msg("no KPI for metric %d", (int)metric);
	return 0;
}

START_TEST(bands_sales_pct)
{
	struct rulebook *rb = tu_load_rulebook(KPI_INI);
	size_t k = kpi_index(rb, RB_METRIC_SALES_PCT, 45);
	struct board b;
	struct score_metrics *m = &b.metrics[0];
	char what[64];

	board_init(&b, 1);
	m->has_sales = true;
	m->has_target = true;
	m->target_fen = 10000000; /* 100,000.00 yuan */
	/* Each threshold p% exactly scores p; one fen below scores the
	 * band under it (97.99999% is below 98). */
	for (int64_t p = 100; p >= 50; p -= 2) {
		m->sales_fen = p * 100000;
		snprintf(what, sizeof(what), "sales %lld%%", (long long)p);
		expect_band(rb, &b, k, p, 45 * p, what);
		m->sales_fen = p * 100000 - 1;
		snprintf(what, sizeof(what), "sales %lld%% - 1 fen",
		         (long long)p);
		expect_band(rb, &b, k, p == 50 ? 0 : p - 2,
		            p == 50 ? 0 : 45 * (p - 2), what);
	}
	/* The values of the issue, by hand. */
	m->sales_fen = 9999000; /* 99.99% */
	expect_band(rb, &b, k, 98, 4410, "99.99%");
	m->sales_fen = 9799900; /* 97.999% */
	expect_band(rb, &b, k, 96, 4320, "97.999%");
	m->sales_fen = 4999000; /* 49.99% */
	expect_band(rb, &b, k, 0, 0, "49.99%");
	m->sales_fen = 15000000; /* 150% */
	expect_band(rb, &b, k, 100, 4500, "150%");
	m->sales_fen = 0;
	expect_band(rb, &b, k, 0, 0, "0%");
	rulebook_destroy(rb);
}
END_TEST

START_TEST(bands_conversion)
{
	struct rulebook *rb = tu_load_rulebook(KPI_INI);
	size_t k = kpi_index(rb, RB_METRIC_CONVERSION, 40);
	struct board b;
	struct score_metrics *m = &b.metrics[0];
	char what[64];

	board_init(&b, 1);
	m->has_conversion = true;
	/* 64% scores 100, one point of rate less is 2 less, down to 15%:
	 * 2; each threshold exactly, and 0.0001 below it. */
	for (int64_t r = 64; r >= 15; r--) {
		int64_t band = 100 - 2 * (64 - r);

		m->conversion_e4 = r * 10000;
		snprintf(what, sizeof(what), "conversion %lld%%", (long long)r);
		expect_band(rb, &b, k, band, 40 * band, what);
		m->conversion_e4 = r * 10000 - 1;
		snprintf(what, sizeof(what), "conversion %lld%% - 0.0001",
		         (long long)r);
		expect_band(rb, &b, k, r == 15 ? 0 : band - 2,
		            r == 15 ? 0 : 40 * (band - 2), what);
	}
	m->conversion_e4 = 639900;
	expect_band(rb, &b, k, 98, 3920, "63.99%");
	m->conversion_e4 = 149900;
	expect_band(rb, &b, k, 0, 0, "14.99%");
	m->conversion_e4 = 1000000;
	expect_band(rb, &b, k, 100, 4000, "100%");

	/* From inquiries and buyers when no conversion is given. */
	m->has_conversion = false;
	m->has_inquiries = true;
	m->has_buyers = true;
	m->inquiries = 100;
	m->buyers = 64;
	expect_band(rb, &b, k, 100, 4000, "64/100");
	m->inquiries = 10000;
	m->buyers = 6399;
	expect_band(rb, &b, k, 98, 3920, "6399/10000");
	m->inquiries = 3;
	m->buyers = 1; /* 33.33...% */
	expect_band(rb, &b, k, 38, 1520, "1/3");
	m->inquiries = 100;
	m->buyers = 15;
	expect_band(rb, &b, k, 2, 80, "15/100");
	m->inquiries = 10000;
	m->buyers = 1499;
	expect_band(rb, &b, k, 0, 0, "1499/10000");
	/* A given conversion wins over inquiries and buyers. */
	m->has_conversion = true;
	m->conversion_e4 = 500000;
	expect_band(rb, &b, k, 72, 2880, "50% given");
	rulebook_destroy(rb);
}
END_TEST

START_TEST(bands_response)
{
	static const struct {
		int64_t e4;
		int64_t band;
	} cases[] = {
	    {0, 100},     {150000, 100}, {150001, 80},
	    {219999, 80}, {220000, 60},  {299900, 60},
	    {299999, 60}, {300000, 0},   {3000000, 0},
	};
	struct rulebook *rb = tu_load_rulebook(KPI_INI);
	size_t k = kpi_index(rb, RB_METRIC_RESPONSE_S, 5);
	struct board b;
	char what[64];

	board_init(&b, 1);
	b.metrics[0].has_response = true;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		b.metrics[0].response_e4 = cases[i].e4;
		snprintf(what, sizeof(what), "response %lld e-4 s",
		         (long long)cases[i].e4);
		expect_band(rb, &b, k, cases[i].band, 5 * cases[i].band, what);
	}
	rulebook_destroy(rb);
}
END_TEST

START_TEST(bands_aov)
{
	/* Agent 1 against a mean of 100.00 with agent 2: x / ((x + y) / 2). */
	static const struct {
		int64_t x, y;
		int64_t value_h; /* agent 1's aov_pct, to 0.01 */
		int64_t band;
	} cases[] = {
	    {10000, 10000, 10000, 100}, {9999, 10001, 9999, 80},
	    {9000, 11000, 9000, 80},    {8999, 11001, 8999, 60},
	    {8000, 12000, 8000, 60},    {7999, 12001, 7999, 0},
	    {0, 20000, 0, 0},           {15000, 5000, 15000, 100},
	};
	struct rulebook *rb = tu_load_rulebook(KPI_INI);
	size_t k = kpi_index(rb, RB_METRIC_AOV_PCT, 5);
	struct board b;
	char what[64];

	board_init(&b, 2);
	b.metrics[0].has_aov = true;
	b.metrics[1].has_aov = true;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct score_month_result *r = NULL;

		b.metrics[0].aov_fen = cases[i].x;
		b.metrics[1].aov_fen = cases[i].y;
		snprintf(what, sizeof(what), "aov %lld of %lld",
		         (long long)cases[i].x, (long long)cases[i].y);
		expect_band(rb, &b, k, cases[i].band, 5 * cases[i].band, what);
		ck_assert_int_eq(score_month(rb, &b.input, &r), KD_OK);
		ck_assert_int_eq(result_of(r, 1)->kpi_metrics[k].value_h,
		                 cases[i].value_h);
		score_month_result_destroy(r);
	}
	rulebook_destroy(rb);
}
END_TEST

START_TEST(bands_reply_rate)
{
	static const struct {
		int64_t e4;
		int64_t band;
	} cases[] = {
	    {1000000, 100}, {980000, 100}, {979999, 80},
	    {950000, 80},   {949999, 60},  {900000, 60},
	    {899900, 0},    {899999, 0},   {0, 0},
	};
	struct rulebook *rb = tu_load_rulebook(KPI_INI);
	size_t k = kpi_index(rb, RB_METRIC_REPLY_RATE, 5);
	struct board b;
	char what[64];

	board_init(&b, 1);
	b.metrics[0].has_reply_rate = true;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		b.metrics[0].reply_rate_e4 = cases[i].e4;
		snprintf(what, sizeof(what), "reply %lld e-4 %%",
		         (long long)cases[i].e4);
		expect_band(rb, &b, k, cases[i].band, 5 * cases[i].band, what);
	}
	rulebook_destroy(rb);
}
END_TEST

static void full_marks(struct score_metrics *m)
{
	m->has_sales = true;
	m->sales_fen = 10000000;
	m->has_target = true;
	m->target_fen = 10000000;
	m->has_conversion = true;
	m->conversion_e4 = 640000;
	m->has_response = true;
	m->response_e4 = 150000;
	m->has_aov = true;
	m->aov_fen = 20000;
	m->has_reply_rate = true;
	m->reply_rate_e4 = 980000;
}

START_TEST(kpi_score_and_base)
{
	struct rulebook *rb = tu_load_rulebook(KPI_INI);
	struct score_month_result *r = NULL;
	const struct score_agent_result *ar;
	struct board b;

	/* Agent 1: every threshold exactly, AOV 200.00. Agent 2: the row of
	 * 欧阳娜娜 in the October sample: 100%, 63.99%, 22 s, AOV 268.00,
	 * 97.99%. The mean AOV is 234.00. Agent 3 has no metrics. */
	board_init(&b, 3);
	full_marks(&b.metrics[0]);
	full_marks(&b.metrics[1]);
	b.metrics[1].sales_fen = 15000000;
	b.metrics[1].target_fen = 15000000;
	b.metrics[1].conversion_e4 = 639900;
	b.metrics[1].response_e4 = 220000;
	b.metrics[1].aov_fen = 26800;
	b.metrics[1].reply_rate_e4 = 979900;
	b.input.metrics_count = 2;
	ck_assert_int_eq(score_month(rb, &b.input, &r), KD_OK);

	/* 200.00 / 234.00 = 85.47% -> 60 -> 3.00: 45 + 40 + 5 + 3 + 5 */
	ar = result_of(r, 1);
	ck_assert_int_eq(ar->kpi_metrics[3].value_h, 8547);
	ck_assert_int_eq(ar->kpi_metrics[3].band_h, 6000);
	ck_assert_int_eq(ar->kpi_metrics[3].points_cp, 300);
	ck_assert_int_eq(ar->kpi_score_cp, 9800);
	ck_assert_int_eq(ar->score_cp, 9800);
	ck_assert_str_eq(ar->grade, "A");
	/* 268.00 / 234.00 = 114.53%: 45 + 39.20 + 3 + 5 + 4 = 96.20 */
	ar = result_of(r, 2);
	ck_assert_int_eq(ar->kpi_metrics[0].points_cp, 4500);
	ck_assert_int_eq(ar->kpi_metrics[1].points_cp, 3920);
	ck_assert_int_eq(ar->kpi_metrics[2].points_cp, 300);
	ck_assert_int_eq(ar->kpi_metrics[3].value_h, 11453);
	ck_assert_int_eq(ar->kpi_metrics[3].points_cp, 500);
	ck_assert_int_eq(ar->kpi_metrics[4].points_cp, 400);
	ck_assert_int_eq(ar->kpi_score_cp, 9620);
	ck_assert_int_eq(ar->base_cp, 9620);
	ck_assert_int_eq(ar->score_cp, 9620);
	ck_assert_uint_eq(ar->flags & SCORE_FLAG_NO_KPI, 0);
	/* No metrics: the base of [score], and no_kpi. */
	ar = result_of(r, 3);
	ck_assert(!ar->kpi_present);
	ck_assert_int_eq(ar->base_cp, 8000);
	ck_assert_int_eq(ar->score_cp, 8000);
	ck_assert_uint_eq(ar->flags & SCORE_FLAG_NO_KPI, SCORE_FLAG_NO_KPI);
	ck_assert_int_eq(r->agents[0].agent->id, 1);
	ck_assert_int_eq(r->agents[1].agent->id, 2);
	ck_assert_int_eq(r->agents[2].agent->id, 3);
	score_month_result_destroy(r);

	/* The same AOV for both: 100% each, and agent 1 scores 100.00. */
	b.metrics[0].aov_fen = 26800;
	ck_assert_int_eq(score_month(rb, &b.input, &r), KD_OK);
	ck_assert_int_eq(result_of(r, 1)->kpi_score_cp, 10000);
	ck_assert_int_eq(result_of(r, 1)->score_cp, 10000);
	score_month_result_destroy(r);
	rulebook_destroy(rb);
}
END_TEST

START_TEST(kpi_tie_broken_by_sales)
{
	struct rulebook *rb = tu_load_rulebook(KPI_INI);
	struct score_month_result *r = NULL;
	struct board b;

	/* Agents 1 and 2 both at 98% of target (98.00 KPI score), agent 2
	 * with the larger sales: 2 ranks first though 1 has the lower id. */
	board_init(&b, 4);
	for (size_t i = 0; i < 2; i++)
		full_marks(&b.metrics[i]);
	b.metrics[0].sales_fen = 9800000;
	b.metrics[1].sales_fen = 19600000;
	b.metrics[1].target_fen = 20000000;
	/* Agent 3: exactly 80.00 from metrics (100%, 39%: 50, 15 s, the mean
	 * AOV, 98%) and 100.00 of sales; agent 4: no metrics, base 80. Same
	 * score: the one with a sales figure ranks first. */
	full_marks(&b.metrics[2]);
	b.metrics[2].sales_fen = 10000;
	b.metrics[2].target_fen = 10000;
	b.metrics[2].conversion_e4 = 390000;
	b.input.metrics_count = 3;
	ck_assert_int_eq(score_month(rb, &b.input, &r), KD_OK);
	ck_assert_int_eq(result_of(r, 1)->score_cp, 9910);
	ck_assert_int_eq(result_of(r, 2)->score_cp, 9910);
	ck_assert_int_eq(result_of(r, 3)->score_cp, 8000);
	ck_assert_int_eq(result_of(r, 4)->score_cp, 8000);
	ck_assert_int_eq(r->agents[0].agent->id, 2);
	ck_assert_int_eq(r->agents[1].agent->id, 1);
	ck_assert_int_eq(r->agents[2].agent->id, 3);
	ck_assert_int_eq(r->agents[3].agent->id, 4);
	for (size_t i = 0; i < 4; i++)
		ck_assert_int_eq(r->agents[i].rank, (int)i + 1);
	score_month_result_destroy(r);

	/* Equal sales too: the lower id first. */
	b.metrics[1].sales_fen = 9800000;
	b.metrics[1].target_fen = 10000000;
	ck_assert_int_eq(score_month(rb, &b.input, &r), KD_OK);
	ck_assert_int_eq(r->agents[0].agent->id, 1);
	ck_assert_int_eq(r->agents[1].agent->id, 2);
	score_month_result_destroy(r);
	rulebook_destroy(rb);
}
END_TEST

static Suite *kpi_suite(void)
{
	Suite *s = suite_create("kpi");
	TCase *tc = tcase_create("score");

	tcase_add_test(tc, bands_sales_pct);
	tcase_add_test(tc, bands_conversion);
	tcase_add_test(tc, bands_response);
	tcase_add_test(tc, bands_aov);
	tcase_add_test(tc, bands_reply_rate);
	tcase_add_test(tc, kpi_score_and_base);
	tcase_add_test(tc, kpi_tie_broken_by_sales);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(kpi_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
