/* The month review: closed months' snapshots (kpidesk/snapshot.h), the
 * review's data (kpidesk/review.h) and its documents (kpidesk/export.h).
 *
 * Snapshots must come back exactly as the engine computed them; documents
 * are compared byte for byte with tests/data/review-*.{md,html,csv}, written
 * from a hand-made result so that every line of the layout is pinned.
 */
#include <check.h>
#include <ftw.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kpidesk/app.h"
#include "kpidesk/config.h"
#include "kpidesk/date.h"
#include "kpidesk/export.h"
#include "kpidesk/review.h"
#include "kpidesk/snapshot.h"
#include "kpidesk/store.h"
#include "testutil.h"

#ifndef KPIDESK_TEST_DATA
#error "KPIDESK_TEST_DATA must name tests/data"
#endif
#ifndef KPIDESK_CONFIG_DIR
#error "KPIDESK_CONFIG_DIR must name config/"
#endif

/* 2026-11-23 14:32:05 at UTC+8, as in check-store.c. */
#define PINNED_NOW ((time_t)1795415525)

static struct rulebook *builtin_rulebook(void)
{
	struct config_errors errors = {0};
	struct rulebook *rb = NULL;
	size_t len;
	const char *text = config_builtin_text(&len);

	ck_assert_int_eq(
	    config_load_text("(built-in rulebook)", text, len, &rb, &errors),
	    KD_OK);
	config_errors_finish(&errors);
	return rb;
}

/* The built-in rulebook with `from` replaced by `to` (once). */
static struct rulebook *changed_rulebook(const char *from, const char *to)
{
	struct config_errors errors = {0};
	struct rulebook *rb = NULL;
	size_t len;
	const char *text = config_builtin_text(&len);
	const char *at = strstr(text, from);
	char *changed;
	size_t head, size;

	ck_assert_ptr_nonnull(at);
	head = (size_t)(at - text);
	size = len - strlen(from) + strlen(to);
	changed = malloc(size + 1);
	ck_assert_ptr_nonnull(changed);
	memcpy(changed, text, head);
	memcpy(changed + head, to, strlen(to));
	memcpy(changed + head + strlen(to), at + strlen(from),
	       len - head - strlen(from));
	changed[size] = '\0';
	ck_assert_int_eq(
	    config_load_text("changed.ini", changed, size, &rb, &errors),
	    KD_OK);
	config_errors_finish(&errors);
	free(changed);
	return rb;
}

static struct rulebook *kpi_rulebook(void)
{
	struct config_errors errors = {0};
	struct rulebook *rb = NULL;

	ck_assert_int_eq(config_load_file(KPIDESK_CONFIG_DIR
	                                  "/presales-kpi.ini",
	                                  &rb, &errors),
	                 KD_OK);
	config_errors_finish(&errors);
	return rb;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long len;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	ck_assert_int_ge(len, 0);
	rewind(f);
	data = malloc((size_t)len + 1);
	ck_assert_ptr_nonnull(data);
	ck_assert_uint_eq(fread(data, 1, (size_t)len, f), (size_t)len);
	data[len] = '\0';
	fclose(f);
	return data;
}

/* ------------------------------------------------------------------------ */
/* Snapshots */

/* Every field the engine fills, compared one by one. */
static void assert_same_result(const struct rulebook *rb,
                               const struct score_month_result *a,
                               const struct score_month_result *b)
{
	ck_assert_int_eq(a->month, b->month);
	ck_assert_uint_eq(a->category_count, b->category_count);
	ck_assert_uint_eq(a->kpi_count, b->kpi_count);
	ck_assert_uint_eq(a->agent_count, b->agent_count);
	ck_assert_int_eq(a->has_silent_sales, b->has_silent_sales);
	ck_assert_int_eq(a->silent_sales_fen, b->silent_sales_fen);
	ck_assert_int_eq(a->pool_fen, b->pool_fen);
	ck_assert_int_eq(a->undistributed_fen, b->undistributed_fen);
	ck_assert_uint_eq(a->skipped_events, b->skipped_events);
	for (size_t i = 0; i < a->agent_count; i++) {
		const struct score_agent_result *x = &a->agents[i];
		const struct score_agent_result *y = &b->agents[i];

		ck_assert_int_eq(x->agent->id, y->agent->id);
		ck_assert_str_eq(x->agent->name, y->agent->name);
		if (x->agent->handle)
			ck_assert_str_eq(x->agent->handle, y->agent->handle);
		else
			ck_assert_ptr_null(y->agent->handle);
		ck_assert_int_eq(x->agent->hired, y->agent->hired);
		ck_assert_int_eq(x->agent->left, y->agent->left);
		ck_assert_int_eq(x->tier_index, y->tier_index);
		ck_assert_int_eq(x->months_in_tier, y->months_in_tier);
		ck_assert_int_eq(x->employment_month, y->employment_month);
		ck_assert_int_eq(x->whole_month, y->whole_month);
		for (size_t c = 0; c < rb->category_count; c++) {
			ck_assert_int_eq(x->categories[c].occurrences,
			                 y->categories[c].occurrences);
			ck_assert_int_eq(x->categories[c].total_cp,
			                 y->categories[c].total_cp);
			ck_assert_int_eq(x->categories[c].fines_fen,
			                 y->categories[c].fines_fen);
			ck_assert_int_eq(x->categories[c].dismiss_reached,
			                 y->categories[c].dismiss_reached);
		}
		ck_assert_int_eq(x->light_count, y->light_count);
		ck_assert_int_eq(x->medium_count, y->medium_count);
		ck_assert_int_eq(x->combo_cp, y->combo_cp);
		ck_assert_int_eq(x->base_cp, y->base_cp);
		ck_assert_int_eq(x->kpi_present, y->kpi_present);
		if (x->kpi_present) {
			ck_assert_int_eq(x->kpi_score_cp, y->kpi_score_cp);
			for (size_t k = 0; k < rb->kpi_count; k++) {
				const struct score_kpi_metric *m =
				    &x->kpi_metrics[k];
				const struct score_kpi_metric *n =
				    &y->kpi_metrics[k];

				ck_assert_int_eq(m->present, n->present);
				ck_assert_int_eq(m->value_num, n->value_num);
				ck_assert_int_eq(m->value_den, n->value_den);
				ck_assert_int_eq(m->value_h, n->value_h);
				ck_assert_int_eq(m->band_h, n->band_h);
				ck_assert_int_eq(m->points_cp, n->points_cp);
			}
		}
		ck_assert_int_eq(x->has_sales, y->has_sales);
		ck_assert_int_eq(x->sales_fen, y->sales_fen);
		ck_assert_int_eq(x->score_cp, y->score_cp);
		ck_assert_str_eq(x->grade, y->grade);
		ck_assert_int_eq(x->rank, y->rank);
		ck_assert_int_eq(x->has_previous, y->has_previous);
		ck_assert_int_eq(x->previous_score_cp, y->previous_score_cp);
		ck_assert_int_eq(x->pay_adjust_fen, y->pay_adjust_fen);
		ck_assert_int_eq(x->pool_share_fen, y->pool_share_fen);
		ck_assert_int_eq(x->award_fen, y->award_fen);
		ck_assert_int_eq(x->streak_award_fen, y->streak_award_fen);
		ck_assert_int_eq(x->attendance_award_fen,
		                 y->attendance_award_fen);
		ck_assert_int_eq(x->fines_fen, y->fines_fen);
		ck_assert_int_eq(x->top_streak, y->top_streak);
		ck_assert_uint_eq(x->flags, y->flags);
		ck_assert_uint_eq(x->dismiss_reasons, y->dismiss_reasons);
		ck_assert_int_eq(x->dismiss_category, y->dismiss_category);
		ck_assert_int_eq(x->promote_streak, y->promote_streak);
		ck_assert_int_eq(x->demote_streak, y->demote_streak);
		ck_assert_int_eq(x->last_place_streak, y->last_place_streak);
	}
}

/* Encodes, decodes, compares, and encodes again to the same text. */
static void round_trip(const struct rulebook *rb,
                       const struct score_month_result *result)
{
	struct snapshot_board *board = NULL;
	char *json = NULL, *again = NULL, err[256];

	ck_assert_int_eq(snapshot_encode(rb, result, &json), KD_OK);
	ck_assert_msg(snapshot_decode(rb, json, &board, err, sizeof(err)) ==
	                  KD_OK,
	              "decode: %s", err);
	assert_same_result(rb, result, board->result);
	ck_assert_int_eq(snapshot_encode(rb, board->result, &again), KD_OK);
	ck_assert_str_eq(again, json);
	free(again);
	free(json);
	snapshot_board_destroy(board);
}

/* Months are year * 12 + month - 1 (kpidesk/date.h). */
static const struct score_tier_span junior_since_june[] = {
    {2026 * 12 + 5, "junior"}};
static const struct score_tier_span senior[] = {{2022 * 12, "senior"}};

/* Four agents over three months: promotion, the combination, a category's
 * dismissal, probation, a leave date, a handle, a tie broken by id. */
static const struct score_agent team[] = {
    {1, "张伟", "zw", 0, KD_DATE_NONE, 1, junior_since_june},
    {2, "李娜 \"Lina\"", NULL, 0, KD_DATE_NONE, 0, NULL},
    {3, "欧阳娜娜", NULL, 0, KD_DATE_NONE, 1, senior},
    {4, "刘洋", NULL, 0, 0, 0, NULL},
};

static struct score_agent *team_copy(void)
{
	struct score_agent *agents = malloc(sizeof(team));

	ck_assert_ptr_nonnull(agents);
	memcpy(agents, team, sizeof(team));
	agents[0].hired = tu_day(2026, 6, 1);
	agents[1].hired = tu_day(2023, 5, 1);
	agents[2].hired = tu_day(2022, 1, 10);
	agents[3].hired = tu_day(2026, 9, 1);
	agents[3].left = tu_day(2026, 9, 20);
	return agents;
}

START_TEST(test_snapshot_round_trip)
{
	struct rulebook *rb = builtin_rulebook();
	struct score_agent *agents = team_copy();
	const struct score_event events[] = {
	    {1, 1, tu_day(2026, 7, 3), "cover", 1, false},
	    {2, 1, tu_day(2026, 7, 4), "praise", 1, false},
	    {3, 1, tu_day(2026, 8, 3), "cover", 1, false},
	    {4, 2, tu_day(2026, 8, 5), "offpost", 1, false},
	    {5, 1, tu_day(2026, 9, 3), "cover", 2, false},
	    {6, 2, tu_day(2026, 9, 10), "late", 5, false},
	    {7, 2, tu_day(2026, 9, 11), "unreplied", 1, false},
	    {8, 2, tu_day(2026, 9, 12), "curt", 1, false},
	    {9, 2, tu_day(2026, 9, 13), "mistake", 1, false},
	    {10, 3, tu_day(2026, 9, 14), "complaint", 1, false},
	    {11, 3, tu_day(2026, 9, 15), "complaint", 1, false},
	    {12, 3, tu_day(2026, 9, 16), "complaint", 1, false},
	    {13, 3, tu_day(2026, 9, 17), "unchased", 2, false},
	    {14, 4, tu_day(2026, 9, 18), "praise", 1, true},
	    {15, 4, tu_day(2026, 9, 18), "nosuch", 1, false},
	};
	struct score_input input = {
	    .month = tu_month(2026, 9),
	    .agent_count = 4,
	    .agents = agents,
	    .event_count = sizeof(events) / sizeof(events[0]),
	    .events = events,
	    .has_silent_sales = true,
	    .silent_sales_fen = 25000000,
	    .has_earliest_month = true,
	    .earliest_month = tu_month(2026, 7),
	};
	struct score_month_result *result = NULL;

	ck_assert_int_eq(score_month(rb, &input, &result), KD_OK);
	/* The month has what a snapshot must carry. */
	ck_assert_uint_eq(result->agent_count, 4);
	ck_assert_uint_eq(result->skipped_events, 1);
	ck_assert(result->agents[0].flags & SCORE_FLAG_PROMOTE);
	ck_assert_int_ne(result->agents[3].combo_cp, 0);
	ck_assert(result->agents[2].dismiss_reasons & SCORE_DISMISS_CATEGORY);
	round_trip(rb, result);
	score_month_result_destroy(result);

	/* No silent-order sales, an empty board. */
	input.has_silent_sales = false;
	input.agent_count = 0;
	ck_assert_int_eq(score_month(rb, &input, &result), KD_OK);
	ck_assert_uint_eq(result->agent_count, 0);
	round_trip(rb, result);
	score_month_result_destroy(result);
	free(agents);
	rulebook_destroy(rb);
}
END_TEST

START_TEST(test_snapshot_round_trip_kpi)
{
	struct rulebook *rb = kpi_rulebook();
	struct score_agent *agents = team_copy();
	struct score_metrics metrics[2];
	struct score_input input = {
	    .month = tu_month(2026, 9),
	    .agent_count = 3,
	    .agents = agents,
	    .metrics_count = 2,
	    .metrics = metrics,
	};
	struct score_month_result *result = NULL;

	memset(metrics, 0, sizeof(metrics));
	metrics[0] = (struct score_metrics){.agent_id = 1,
	                                    .month = tu_month(2026, 9),
	                                    .has_sales = true,
	                                    .sales_fen = 9799900,
	                                    .has_target = true,
	                                    .target_fen = 10000000,
	                                    .has_inquiries = true,
	                                    .inquiries = 300,
	                                    .has_buyers = true,
	                                    .buyers = 190,
	                                    .has_response = true,
	                                    .response_e4 = 180000,
	                                    .has_aov = true,
	                                    .aov_fen = 25000,
	                                    .has_reply_rate = true,
	                                    .reply_rate_e4 = 985000};
	metrics[1] = (struct score_metrics){.agent_id = 3,
	                                    .month = tu_month(2026, 9),
	                                    .has_sales = true,
	                                    .sales_fen = 5000000,
	                                    .has_aov = true,
	                                    .aov_fen = 20000};
	ck_assert_int_eq(score_month(rb, &input, &result), KD_OK);
	ck_assert_uint_eq(result->agent_count, 3);
	for (size_t i = 0; i < result->agent_count; i++) {
		const struct score_agent_result *ar = &result->agents[i];

		/* 李娜 (id 2) has no metrics this month. */
		ck_assert_int_eq(ar->kpi_present, ar->agent->id != 2);
		ck_assert_int_eq((ar->flags & SCORE_FLAG_NO_KPI) != 0,
		                 ar->agent->id == 2);
	}
	round_trip(rb, result);
	score_month_result_destroy(result);
	free(agents);
	rulebook_destroy(rb);
}
END_TEST

/* The look-backs of later months read a closed month's board from its
 * snapshot: each agent's id, score and rank, and the board's size; a board
 * that cannot be read is reported, not guessed at. */
START_TEST(test_snapshot_history)
{
	char two[] = "{\"version\": 1, \"agents\": [{\"id\": 2, "
	             "\"score_cp\": 9000, \"rank\": 1}, {\"id\": 1, "
	             "\"score_cp\": 7000, \"rank\": 2}]}";
	char one[] = "{\"agents\": [{\"id\": 1, \"score_cp\": 8050, "
	             "\"rank\": 1}]}";
	char bad_id[] = "{\"agents\": [{\"id\": \"x\"}]}";
	char not_json[] = "{\"agents\": [";
	struct store_closed_board closed[2];
	struct store_score_bundle bundle;
	const struct score_history *h;
	char err[256];

	memset(&bundle, 0, sizeof(bundle));
	closed[0] = (struct store_closed_board){tu_month(2026, 8), two};
	closed[1] = (struct store_closed_board){tu_month(2026, 10), one};
	bundle.closed = closed;
	bundle.closed_count = 2;
	ck_assert_int_eq(snapshot_history(&bundle, err, sizeof(err)), KD_OK);
	ck_assert_uint_eq(bundle.input.history_count, 3);
	h = bundle.input.history;
	ck_assert_int_eq(h[0].month, tu_month(2026, 8));
	ck_assert_int_eq(h[0].agent_id, 2);
	ck_assert_int_eq(h[0].score_cp, 9000);
	ck_assert_int_eq(h[0].rank, 1);
	ck_assert_int_eq(h[0].board_size, 2);
	ck_assert_int_eq(h[1].agent_id, 1);
	ck_assert_int_eq(h[1].score_cp, 7000);
	ck_assert_int_eq(h[1].rank, 2);
	ck_assert_int_eq(h[2].month, tu_month(2026, 10));
	ck_assert_int_eq(h[2].agent_id, 1);
	ck_assert_int_eq(h[2].score_cp, 8050);
	ck_assert_int_eq(h[2].board_size, 1);

	closed[0].snapshot = bad_id;
	ck_assert_int_eq(snapshot_history(&bundle, err, sizeof(err)),
	                 KD_ERR_INPUT);
	ck_assert_str_eq(err, "malformed snapshot of month 2026-08: agent 1 "
	                      "has no whole id, score_cp and rank");
	ck_assert_ptr_null(bundle.input.history);
	ck_assert_uint_eq(bundle.input.history_count, 0);
	closed[0].snapshot = two;
	closed[1].snapshot = not_json;
	ck_assert_int_eq(snapshot_history(&bundle, err, sizeof(err)),
	                 KD_ERR_INPUT);
	ck_assert_str_eq(err, "malformed snapshot of month 2026-10: no list "
	                      "of agents");
	free(bundle.history);
}
END_TEST

START_TEST(test_snapshot_decode_refuses)
{
	static const struct {
		const char *json;
		const char *message;
	} cases[] = {
	    {"{not json", "the snapshot is not valid JSON"},
	    {"{\"version\": 2, \"agents\": []}",
	     "the snapshot is not of version 1 (written by another "
	     "kpidesk?)"},
	    {"{\"version\": 1, \"month\": \"2026-13\", \"pool_fen\": 0, "
	     "\"undistributed_fen\": 0, \"skipped_events\": 0, "
	     "\"silent_sales_fen\": null, \"agents\": []}",
	     "snapshot: '2026-13' is not a month"},
	    {"{\"version\": 1, \"month\": \"2026-09\", \"pool_fen\": 1.5, "
	     "\"undistributed_fen\": 0, \"skipped_events\": 0, "
	     "\"silent_sales_fen\": null, \"agents\": []}",
	     "snapshot: pool_fen is not a whole number"},
	    {"{\"version\": 1, \"month\": \"2026-09\", \"pool_fen\": 0, "
	     "\"undistributed_fen\": 0, \"skipped_events\": 0, "
	     "\"silent_sales_fen\": null, \"agents\": {}}",
	     "snapshot: agents is not a list"},
	};
	struct rulebook *rb = builtin_rulebook();
	struct score_agent *agents = team_copy();
	struct score_input input = {
	    .month = tu_month(2026, 9), .agent_count = 1, .agents = agents};
	struct score_month_result *result = NULL;
	struct snapshot_board *board = NULL;
	char err[256], *json = NULL, *bad;
	const char *at;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(snapshot_decode(rb, cases[i].json, &board, err,
		                                 sizeof(err)),
		                 KD_ERR_INPUT);
		ck_assert_ptr_null(board);
		ck_assert_str_eq(err, cases[i].message);
	}
	ck_assert_int_eq(snapshot_decode(rb, NULL, &board, err, sizeof(err)),
	                 KD_ERR_INPUT);

	/* A real snapshot edited: a tier its rulebook does not know. */
	ck_assert_int_eq(score_month(rb, &input, &result), KD_OK);
	ck_assert_int_eq(snapshot_encode(rb, result, &json), KD_OK);
	at = strstr(json, "\"junior\"");
	ck_assert_ptr_nonnull(at);
	bad = strdup(json);
	ck_assert_ptr_nonnull(bad);
	memcpy(bad + (at - json), "\"jUnior\"", 8);
	ck_assert_int_eq(snapshot_decode(rb, bad, &board, err, sizeof(err)),
	                 KD_ERR_INPUT);
	ck_assert_str_eq(err, "snapshot: tier 'jUnior' is not in its "
	                      "rulebook");
	/* ... and a flag it does not know. */
	at = strstr(json, "\"flags\": [");
	ck_assert_ptr_nonnull(at);
	{
		char *edited = malloc(strlen(json) + 16);

		ck_assert_ptr_nonnull(edited);
		snprintf(edited, strlen(json) + 16, "%.*s\"flags\": [\"x\"%s",
		         (int)(at - json), json, at + strlen("\"flags\": ["));
		/* the original list was empty: "[]" became "[\"x\"]" */
		ck_assert_int_eq(
		    snapshot_decode(rb, edited, &board, err, sizeof(err)),
		    KD_ERR_INPUT);
		ck_assert_str_eq(err, "snapshot: unknown flag 'x'");
		free(edited);
	}
	free(bad);
	free(json);
	score_month_result_destroy(result);
	free(agents);
	rulebook_destroy(rb);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* A hand-made board and its documents */

struct hand {
	struct rulebook *rb;
	struct score_agent agents[3];
	struct score_agent_result results[3];
	struct score_month_result month;
	struct store_appeal appeal;
	struct review_month rm;
	struct review_trend trend;
	bool present[18];
	int64_t score_cp[18];
	char closed_at[32];
	char closed_by[32];
};

/* The appeal's texts (struct store_appeal holds them as char *). */
static char appeal_agent[] = "欧阳娜娜";
static char appeal_category[] = "complaint";
static char appeal_reason[] = "<b>不是我</b> & \"买家\" | 见记录";
static char appeal_state[] = "open";
static char appeal_opened_at[] = "2026-09-20 10:00:00";
static char appeal_opened_by[] = "cli";

static struct score_category_result *cats(const struct rulebook *rb)
{
	struct score_category_result *c =
	    calloc(rb->category_count, sizeof(*c));

	ck_assert_ptr_nonnull(c);
	return c;
}

static void set_cat(const struct rulebook *rb, struct score_agent_result *ar,
                    const char *key, int32_t occurrences, int64_t total_cp,
                    int64_t fines_fen)
{
	int index = rulebook_category_index(rb, key);

	ck_assert_int_ge(index, 0);
	ar->categories[index].occurrences = occurrences;
	ar->categories[index].total_cp = total_cp;
	ar->categories[index].fines_fen = fines_fen;
}

/* Three agents: a clamped score with a promotion and a top streak; a new
 * agent on probation with an HTML-ish name; one with the combination, a
 * category's dismissal, demotion and fines. */
static void hand_init(struct hand *h, bool closed)
{
	struct score_agent_result *a = &h->results[0];
	struct score_agent_result *b = &h->results[1];
	struct score_agent_result *c = &h->results[2];
	static const bool present[18] = {
	    false, false, true,  true,  true,  true, /* 张伟 */
	    false, false, false, false, false, true, /* new */
	    true,  true,  true,  false, true,  true, /* 欧阳 */
	};
	static const int64_t scores[18] = {
	    0, 0, 8700, 8500, 9000, 11000, 0, 0,    0,
	    0, 0, 8000, 8000, 7900, 7500,  0, 7200, 5200,
	};

	memset(h, 0, sizeof(*h));
	h->rb = builtin_rulebook();
	h->agents[0] = (struct score_agent){
	    7, "张伟", "zw", tu_day(2026, 6, 1), KD_DATE_NONE, 0, NULL};
	h->agents[1] = (struct score_agent){9,
	                                    "Amy <QA> & Co|1 *x*",
	                                    NULL,
	                                    tu_day(2026, 9, 1),
	                                    KD_DATE_NONE,
	                                    0,
	                                    NULL};
	h->agents[2] = (struct score_agent){
	    3, "欧阳娜娜", NULL, tu_day(2022, 1, 10), KD_DATE_NONE, 0, NULL};
	for (size_t i = 0; i < 3; i++) {
		h->results[i].agent = &h->agents[i];
		h->results[i].categories = cats(h->rb);
		h->results[i].dismiss_category = -1;
		h->results[i].base_cp = 8000;
		h->results[i].whole_month = true;
		h->results[i].rank = (int32_t)i + 1;
	}

	a->tier_index = rulebook_tier_index(h->rb, "junior");
	a->months_in_tier = 4;
	a->employment_month = 4;
	set_cat(h->rb, a, "cover", 7, 3500, 0);
	a->score_cp = 11000;
	snprintf(a->grade, sizeof(a->grade), "A");
	a->has_previous = true;
	a->previous_score_cp = 9000;
	a->pay_adjust_fen = 30000;
	a->pool_share_fen = 60000;
	a->award_fen = 20000;
	a->streak_award_fen = 10000;
	a->attendance_award_fen = 5000;
	a->top_streak = 2;
	a->flags = SCORE_FLAG_PROMOTE;
	a->promote_streak = 3;

	b->tier_index = rulebook_tier_index(h->rb, "junior");
	b->months_in_tier = 1;
	b->employment_month = 1;
	b->score_cp = 8000;
	snprintf(b->grade, sizeof(b->grade), "B");
	b->pool_share_fen = 45000;
	b->award_fen = 10000;
	b->attendance_award_fen = 5000;
	b->flags = SCORE_FLAG_PROBATION;

	c->tier_index = rulebook_tier_index(h->rb, "senior");
	c->months_in_tier = 57;
	c->employment_month = 57;
	set_cat(h->rb, c, "late", 1, -100, 0);
	set_cat(h->rb, c, "unreplied", 1, -100, 0);
	set_cat(h->rb, c, "curt", 1, -50, 0);
	set_cat(h->rb, c, "mistake", 1, -50, 0);
	set_cat(h->rb, c, "complaint", 3, -500, 21000);
	set_cat(h->rb, c, "unchased", 2, 0, 1000);
	c->categories[rulebook_category_index(h->rb, "complaint")]
	    .dismiss_reached = true;
	c->light_count = 4;
	c->combo_cp = -2000;
	c->score_cp = 5200;
	snprintf(c->grade, sizeof(c->grade), "F");
	c->has_previous = true;
	c->previous_score_cp = 7200;
	c->pay_adjust_fen = -28000;
	c->fines_fen = 22000;
	c->flags =
	    SCORE_FLAG_NO_BONUS | SCORE_FLAG_DEMOTE | SCORE_FLAG_DISMISS_REVIEW;
	c->dismiss_reasons = SCORE_DISMISS_LOW_SCORE | SCORE_DISMISS_CATEGORY;
	c->dismiss_category = rulebook_category_index(h->rb, "complaint");
	c->demote_streak = 2;

	h->month = (struct score_month_result){
	    .month = tu_month(2026, 9),
	    .category_count = h->rb->category_count,
	    .kpi_count = h->rb->kpi_count,
	    .agent_count = 3,
	    .agents = h->results,
	    .has_silent_sales = true,
	    .silent_sales_fen = 25000000,
	    .pool_fen = 150000,
	    .undistributed_fen = 45000,
	};
	h->appeal = (struct store_appeal){
	    .id = 1,
	    .event_id = 12,
	    .agent_id = 3,
	    .agent_name = appeal_agent,
	    .date = tu_day(2026, 9, 16),
	    .category = appeal_category,
	    .quantity = 1,
	    .reason = appeal_reason,
	    .state = appeal_state,
	    .opened_at = appeal_opened_at,
	    .opened_by = appeal_opened_by,
	};
	memcpy(h->present, present, sizeof(present));
	memcpy(h->score_cp, scores, sizeof(scores));
	h->trend = (struct review_trend){
	    .first = tu_month(2026, 4),
	    .months = 6,
	    .agent_count = 3,
	    .present = h->present,
	    .score_cp = h->score_cp,
	};
	snprintf(h->closed_at, sizeof(h->closed_at), "2026-10-02 09:30:00");
	snprintf(h->closed_by, sizeof(h->closed_by), "desk:lead:4242");
	h->rm = (struct review_month){
	    .month = tu_month(2026, 9),
	    .closed = closed,
	    .closed_at = closed ? h->closed_at : NULL,
	    .closed_by = closed ? h->closed_by : NULL,
	    .rb = h->rb,
	    .result = &h->month,
	    .appeals = {.count = 1, .appeals = &h->appeal},
	};
}

static void hand_finish(struct hand *h)
{
	for (size_t i = 0; i < 3; i++)
		free(h->results[i].categories);
	rulebook_destroy(h->rb);
}

static char *export_text(const struct review_month *rm,
                         const struct review_trend *trend,
                         enum export_format format)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);

	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(export_review(out, format, rm, trend), KD_OK);
	fclose(out);
	return buf;
}

/* Compares with tests/data/NAME; KPIDESK_UPDATE_DATA=DIR writes the
 * actual text to DIR/NAME instead (for reviewing a deliberate change). */
static void assert_matches_file(const char *text, const char *name)
{
	char path[PATH_MAX];
	const char *update = getenv("KPIDESK_UPDATE_DATA");
	char *expected;

	if (update && update[0]) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", update, name);
		f = fopen(path, "wb");
		ck_assert_ptr_nonnull(f);
		fputs(text, f);
		fclose(f);
		return;
	}
	snprintf(path, sizeof(path), "%s/%s", KPIDESK_TEST_DATA, name);
	expected = slurp(path);
	ck_assert_str_eq(text, expected);
	free(expected);
}

START_TEST(test_export_markdown)
{
	struct hand h;
	char *text;

	hand_init(&h, true);
	text = export_text(&h.rm, &h.trend, EXPORT_MD);
	assert_matches_file(text, "review-hand.md");
	free(text);
	hand_finish(&h);
}
END_TEST

START_TEST(test_export_html)
{
	struct hand h;
	char *text;

	hand_init(&h, true);
	text = export_text(&h.rm, &h.trend, EXPORT_HTML);
	assert_matches_file(text, "review-hand.html");
	/* Self-contained: nothing is fetched from elsewhere. */
	ck_assert_ptr_null(strstr(text, "<script"));
	ck_assert_ptr_null(strstr(text, "src=\"http"));
	ck_assert_ptr_null(strstr(text, "url("));
	ck_assert_ptr_null(strstr(text, "<link"));
	free(text);
	hand_finish(&h);
}
END_TEST

START_TEST(test_export_csv)
{
	struct hand h;
	char *text;

	hand_init(&h, false);
	text = export_text(&h.rm, NULL, EXPORT_CSV);
	/* The byte-order mark first, so Chinese Excel reads UTF-8. */
	ck_assert_str_eq(
	    text, "\xEF\xBB\xBF"
	          "month,id,name,tier,score,grade,rank,pay_adjust,pool_share,"
	          "award,streak_award,attendance_award,awards,fines,net\r\n"
	          "2026-09,7,张伟,junior,110.00,A,1,300.00,600.00,200.00,"
	          "100.00,50.00,350.00,0.00,1250.00\r\n"
	          "2026-09,9,Amy <QA> & Co|1 *x*,junior,80.00,B,2,0.00,450.00,"
	          "100.00,0.00,50.00,150.00,0.00,600.00\r\n"
	          "2026-09,3,欧阳娜娜,senior,52.00,F,3,-280.00,0.00,0.00,0.00,"
	          "0.00,0.00,220.00,-500.00\r\n");
	free(text);

	/* Names that a spreadsheet would run as formulas stay text (a
	 * leading '); the negative amounts stay numbers. */
	h.agents[0].name = "=HYPERLINK(\"http://x\",\"y\")";
	h.agents[1].name = "-2+3";
	h.agents[2].name = "@SUM(A1)";
	text = export_text(&h.rm, NULL, EXPORT_CSV);
	ck_assert_ptr_nonnull(strstr(
	    text, "\r\n2026-09,7,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","
	          "junior,"));
	ck_assert_ptr_nonnull(strstr(text, "\r\n2026-09,9,'-2+3,junior,"));
	ck_assert_ptr_nonnull(
	    strstr(text, "\r\n2026-09,3,'@SUM(A1),senior,52.00,F,3,-280.00,"));
	ck_assert_ptr_nonnull(strstr(text, ",220.00,-500.00\r\n"));
	free(text);
	hand_finish(&h);
}
END_TEST

/* An open month, no trend: the state line says so and no chart appears. */
START_TEST(test_export_open_without_trend)
{
	struct hand h;
	char *text;

	hand_init(&h, false);
	h.rm.appeals.count = 0;
	text = export_text(&h.rm, NULL, EXPORT_MD);
	ck_assert_ptr_nonnull(strstr(text, "- 状态: 未结账 (open): "
	                                   "数字仍可能变化\n"));
	ck_assert_ptr_null(strstr(text, "近六个月"));
	ck_assert_ptr_nonnull(strstr(text, "## 未结申诉 (0)\n\n无。\n"));
	free(text);
	text = export_text(&h.rm, NULL, EXPORT_HTML);
	ck_assert_ptr_null(strstr(text, "<img"));
	ck_assert_ptr_nonnull(strstr(text, "<p>无。</p>\n</body>\n</html>\n"));
	free(text);
	hand_finish(&h);
}
END_TEST

START_TEST(test_export_kpi_base)
{
	struct rulebook *rb = kpi_rulebook();
	struct score_agent *agents = team_copy();
	struct score_metrics metric = {.agent_id = 1,
	                               .month = tu_month(2026, 9),
	                               .has_sales = true,
	                               .sales_fen = 9799900,
	                               .has_target = true,
	                               .target_fen = 10000000,
	                               .has_inquiries = true,
	                               .inquiries = 300,
	                               .has_buyers = true,
	                               .buyers = 190,
	                               .has_response = true,
	                               .response_e4 = 180000};
	struct score_input input = {.month = tu_month(2026, 9),
	                            .agent_count = 1,
	                            .agents = agents,
	                            .metrics_count = 1,
	                            .metrics = &metric};
	struct score_month_result *result = NULL;
	struct review_month rm;
	char *text;

	ck_assert_int_eq(score_month(rb, &input, &result), KD_OK);
	rm = (struct review_month){
	    .month = tu_month(2026, 9), .rb = rb, .result = result};
	text = export_text(&rm, NULL, EXPORT_MD);
	ck_assert_ptr_nonnull(
	    strstr(text, "基础: KPI 86.40\n\n"
	                 "| 指标 | 数值 | 得分 | 权重 | 计分 |\n"
	                 "|---|---:|---:|---:|---:|\n"
	                 "| 付款成交额 | 98.00% | 96 | 45 | 43.20 |\n"
	                 "| 付款转化率 | 63.33% | 98 | 40 | 39.20 |\n"
	                 "| 平均响应时间 | 18.00 s | 80 | 5 | 4.00 |\n"
	                 "| 客单价 | — | 0 | 5 | 0.00 |\n"
	                 "| 回复率 | — | 0 | 5 | 0.00 |\n\n"));
	free(text);
	score_month_result_destroy(result);
	free(agents);
	rulebook_destroy(rb);
}
END_TEST

START_TEST(test_flag_reasons)
{
	struct hand h;
	char buf[256];

	hand_init(&h, false);
	review_flag_reason(h.rb, &h.results[0], SCORE_FLAG_PROMOTE_BIT, buf,
	                   sizeof(buf));
	ck_assert_str_eq(buf, "3 个月 ≥ 85, 在 初级客服 4 个月");
	review_flag_reason(h.rb, &h.results[1], SCORE_FLAG_PROBATION_BIT, buf,
	                   sizeof(buf));
	ck_assert_str_eq(buf, "入职第 1 个月, 第 3 个月起计绩效工资");
	review_flag_reason(h.rb, &h.results[2], SCORE_FLAG_NO_BONUS_BIT, buf,
	                   sizeof(buf));
	ck_assert_str_eq(buf, "得分 52 < 80");
	review_flag_reason(h.rb, &h.results[2], SCORE_FLAG_DEMOTE_BIT, buf,
	                   sizeof(buf));
	ck_assert_str_eq(buf, "2 个月 < 80");
	review_flag_reason(h.rb, &h.results[2], SCORE_FLAG_DISMISS_REVIEW_BIT,
	                   buf, sizeof(buf));
	ck_assert_str_eq(buf, "得分 52 < 60; 服务态度投诉(已核实) 3 次 ≥ 3");
	h.results[2].dismiss_reasons = SCORE_DISMISS_LAST_PLACE;
	h.results[2].last_place_streak = 2;
	review_flag_reason(h.rb, &h.results[2], SCORE_FLAG_DISMISS_REVIEW_BIT,
	                   buf, sizeof(buf));
	ck_assert_str_eq(buf, "2 个月末位且 < 70");
	review_flag_reason(h.rb, &h.results[2], SCORE_FLAG_NO_KPI_BIT, buf,
	                   sizeof(buf));
	ck_assert_str_eq(buf, "本月未导入 KPI 数据, 按基础分 80");
	/* A small buffer is cut, never overrun. */
	review_flag_reason(h.rb, &h.results[0], SCORE_FLAG_PROMOTE_BIT, buf, 8);
	ck_assert_uint_lt(strlen(buf), 8);
	ck_assert_str_eq(review_flag_label(SCORE_FLAG_DISMISS_REVIEW_BIT),
	                 "解聘审查");
	ck_assert_str_eq(review_flag_label(SCORE_FLAG_COUNT), "");
	ck_assert_int_eq(review_net_fen(&h.results[2]), -50000);
	ck_assert_int_eq(review_awards_fen(&h.results[0]), 35000);
	hand_finish(&h);
}
END_TEST

START_TEST(test_export_formats)
{
	enum export_format f;

	ck_assert(export_format_parse("md", &f) && f == EXPORT_MD);
	ck_assert(export_format_parse("html", &f) && f == EXPORT_HTML);
	ck_assert(export_format_parse("csv", &f) && f == EXPORT_CSV);
	ck_assert(!export_format_parse("json", &f));
	ck_assert(!export_format_parse("MD", &f));
	ck_assert(!export_format_parse(NULL, &f));
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Closing through the store, and reading back under changed rules */

static char dir_path[512];
static char db_path[PATH_MAX];

static int remove_entry(const char *path, const struct stat *sb, int flag,
                        struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void store_setup(void)
{
	const char *tmp = getenv("TMPDIR");

	setenv("TZ", "CST-8", 1);
	tzset();
	clock_set_fixed(PINNED_NOW);
	snprintf(dir_path, sizeof(dir_path), "%s/kpidesk-review-XXXXXX",
	         tmp && tmp[0] ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir_path));
	snprintf(db_path, sizeof(db_path), "%s/kpidesk.db", dir_path);
}

static void store_teardown(void)
{
	clock_set_fixed((time_t)-1);
	nftw(dir_path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static struct store *open_store(void)
{
	struct store *st = NULL;
	char err[256];

	ck_assert_msg(store_open(db_path, &st, err, sizeof(err)) == KD_OK,
	              "store_open: %s", err);
	return st;
}

static void log_event(struct store *st, int64_t agent, kd_date date,
                      const char *category, int32_t quantity)
{
	ck_assert_msg(store_event_add(st, agent, date, category, quantity, NULL,
	                              NULL) == KD_OK,
	              "%s", store_last_error(st));
}

static int64_t score_of(const struct score_month_result *res, int64_t id)
{
	for (size_t i = 0; i < res->agent_count; i++)
		if (res->agents[i].agent->id == id)
			return res->agents[i].score_cp;
	ck_abort_msg("agent %lld is not on the board", (long long)id);
	return 0;
}

/* Closes through the app (kpidesk/app.h), which owns closing now. */
static enum app_code close_month(struct store *st, struct rulebook *rb,
                                 kd_month month, bool allow_open_appeals,
                                 size_t *agents)
{
	struct app app = {.st = st, .rb = rb};
	struct app_refusal why;
	return app_month_close(&app, month, allow_open_appeals, agents, &why)
	           ? APP_OK
	           : why.code;
}

START_TEST(test_close_keeps_the_board)
{
	struct store *st = open_store();
	struct rulebook *rb = builtin_rulebook();
	struct rulebook *changed = changed_rulebook(
	    "kind = bonus\npoints = 5\n", "kind = bonus\npoints = 0\n");
	struct review_month rm;
	struct review_trend trend;
	char err[512];
	size_t agents = 0;
	int64_t e;

	/* covers score nothing under the changed rules */
	ck_assert_int_eq(
	    changed->categories[rulebook_category_index(changed, "cover")]
	        .points_cp,
	    0);
	ck_assert_int_eq(store_agent_add(st, "张伟", NULL, NULL,
	                                 tu_day(2024, 3, 1), "junior",
	                                 tu_month(2024, 3), NULL),
	                 KD_OK);
	ck_assert_int_eq(store_agent_add(st, "王芳", NULL, NULL,
	                                 tu_day(2024, 3, 1), "junior",
	                                 tu_month(2024, 3), NULL),
	                 KD_OK);
	log_event(st, 1, tu_day(2026, 8, 3), "cover", 2);
	log_event(st, 2, tu_day(2026, 8, 4), "praise", 2);
	e = 0;
	ck_assert_int_eq(
	    store_event_add(st, 2, tu_day(2026, 9, 4), "late", 3, NULL, &e),
	    KD_OK);
	log_event(st, 1, tu_day(2026, 9, 5), "praise", 1);
	ck_assert_int_eq(store_appeal_open(st, e, "堵车", NULL), KD_OK);

	/* August: 张伟 90 first, 王芳 84. */
	ck_assert_int_eq(close_month(st, rb, tu_month(2026, 8), false, &agents),
	                 APP_OK);
	ck_assert_uint_eq(agents, 2);
	ck_assert_int_eq(close_month(st, rb, tu_month(2026, 8), false, NULL),
	                 APP_MONTH_CLOSED_ALREADY);
	/* September has an open appeal. */
	ck_assert_int_eq(close_month(st, rb, tu_month(2026, 9), false, NULL),
	                 APP_MONTH_OPEN_APPEALS);

	/* Under the changed rules August is still its snapshot. */
	ck_assert_int_eq(review_month_load(st, changed, tu_month(2026, 8), &rm,
	                                   err, sizeof(err)),
	                 KD_OK);
	ck_assert(rm.closed);
	ck_assert_ptr_ne(rm.rb, changed);
	ck_assert_str_eq(rm.closed_at, "2026-11-23 14:32:05");
	ck_assert_str_eq(rm.closed_by, "kpidesk");
	ck_assert_int_eq(score_of(rm.result, 1), 9000);
	ck_assert_int_eq(rm.result->agents[0].agent->id, 1);
	ck_assert_int_eq(
	    rm.rb->categories[rulebook_category_index(rm.rb, "cover")]
	        .points_cp,
	    500);
	ck_assert_uint_eq(rm.appeals.count, 0);
	review_month_finish(&rm);

	/* September, open, scored with the changed rules: its look-back
	 * takes August from the snapshot (张伟 first: a top streak of 2). */
	ck_assert_int_eq(review_month_load(st, changed, tu_month(2026, 9), &rm,
	                                   err, sizeof(err)),
	                 KD_OK);
	ck_assert(!rm.closed);
	ck_assert_ptr_eq(rm.rb, changed);
	ck_assert_uint_eq(rm.appeals.count, 1);
	ck_assert_str_eq(rm.appeals.appeals[0].reason, "堵车");
	ck_assert_int_eq(rm.result->agents[0].agent->id, 1);
	ck_assert_int_eq(rm.result->agents[0].score_cp, 8200);
	ck_assert_int_eq(rm.result->agents[0].top_streak, 2);
	ck_assert_int_eq(rm.result->agents[0].previous_score_cp, 9000);
	ck_assert_int_eq(
	    review_trend_load(st, changed, &rm, &trend, err, sizeof(err)),
	    KD_OK);
	ck_assert_int_eq(trend.first, tu_month(2026, 4));
	ck_assert_uint_eq(trend.agent_count, 2);
	/* 张伟: nothing before August (the earliest event), 90 from the
	 * snapshot, 82 now. */
	for (int j = 0; j < 4; j++)
		ck_assert(!trend.present[j]);
	ck_assert(trend.present[4] && trend.score_cp[4] == 9000);
	ck_assert(trend.present[5] && trend.score_cp[5] == 8200);
	ck_assert(trend.present[6 + 4] && trend.score_cp[6 + 4] == 8400);
	ck_assert(trend.present[6 + 5] && trend.score_cp[6 + 5] == 7900);
	review_trend_finish(&trend);
	review_month_finish(&rm);

	/* Reopened, August is scored with the rules in force. */
	ck_assert_int_eq(store_month_reopen(st, tu_month(2026, 8), "规则改了"),
	                 KD_OK);
	ck_assert_int_eq(review_board_load(st, changed, tu_month(2026, 8), &rm,
	                                   err, sizeof(err)),
	                 KD_OK);
	ck_assert(!rm.closed);
	ck_assert_int_eq(score_of(rm.result, 1), 8000);
	ck_assert_int_eq(rm.result->agents[0].agent->id, 2);
	review_month_finish(&rm);

	/* Confirmed, September closes over its open appeal. */
	ck_assert_int_eq(
	    close_month(st, changed, tu_month(2026, 9), true, &agents), APP_OK);
	ck_assert_int_eq(
	    review_board_load(st, rb, tu_month(2026, 9), &rm, err, sizeof(err)),
	    KD_OK);
	ck_assert(rm.closed);
	ck_assert_int_eq(score_of(rm.result, 1), 8200);
	review_month_finish(&rm);

	/* A snapshot that no longer decodes is said, not shown wrong. */
	{
		struct rulebook *stored = NULL;

		ck_assert_int_eq(review_month_rulebook(st, tu_month(2026, 9),
		                                       &stored, err,
		                                       sizeof(err)),
		                 KD_OK);
		ck_assert_ptr_nonnull(stored);
		ck_assert_str_eq(stored->source_name,
		                 "(rulebook of closed month 2026-09)");
		rulebook_destroy(stored);
		ck_assert_int_eq(review_month_rulebook(st, tu_month(2026, 8),
		                                       &stored, err,
		                                       sizeof(err)),
		                 KD_OK);
		ck_assert_ptr_null(stored);
	}
	rulebook_destroy(changed);
	rulebook_destroy(rb);
	store_close(st);
}
END_TEST

static Suite *review_suite(void)
{
	Suite *s = suite_create("review");
	TCase *snap = tcase_create("snapshot");
	TCase *docs = tcase_create("export");
	TCase *store = tcase_create("store");

	tcase_add_test(snap, test_snapshot_round_trip);
	tcase_add_test(snap, test_snapshot_round_trip_kpi);
	tcase_add_test(snap, test_snapshot_decode_refuses);
	tcase_add_test(snap, test_snapshot_history);
	tcase_add_test(docs, test_export_formats);
	tcase_add_test(docs, test_export_markdown);
	tcase_add_test(docs, test_export_html);
	tcase_add_test(docs, test_export_csv);
	tcase_add_test(docs, test_export_open_without_trend);
	tcase_add_test(docs, test_export_kpi_base);
	tcase_add_test(docs, test_flag_reasons);
	tcase_add_checked_fixture(store, store_setup, store_teardown);
	tcase_add_test(store, test_close_keeps_the_board);
	tcase_set_timeout(store, 60);
	suite_add_tcase(s, snap);
	suite_add_tcase(s, docs);
	suite_add_tcase(s, store);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	setlocale(LC_ALL, "");
	sr = srunner_create(review_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
