/* The demo generator: a believable team that shows every grade and flag,
 * written all at once or not at all, the same for the same seed. */
#include <check.h>
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kpidesk/config.h"
#include "kpidesk/date.h"
#include "kpidesk/demo.h"
#include "kpidesk/review.h"
#include "kpidesk/rulebook.h"
#include "kpidesk/score.h"
#include "kpidesk/store.h"

static struct rulebook *rb;
static char dir[64];

/* Pins the clock at noon of `today` (local time) and returns it. */
static kd_date pin_today(const char *text)
{
	kd_date today;
	int y, m, d;
	ck_assert(date_parse(text, &today));
	date_to_ymd(today, &y, &m, &d);
	struct tm tm = {.tm_year = y - 1900,
	                .tm_mon = m - 1,
	                .tm_mday = d,
	                .tm_hour = 12,
	                .tm_isdst = -1};
	clock_set_fixed(mktime(&tm));
	ck_assert_int_eq(clock_today(), today);
	return today;
}

static void setup(void)
{
	size_t len = 0;
	const char *text = config_builtin_text(&len);
	struct config_errors errors = {0};
	rb = NULL;
	ck_assert_int_eq(
	    config_load_text("(built-in)", text, len, &rb, &errors), KD_OK);
	config_errors_finish(&errors);
	snprintf(dir, sizeof dir, "/tmp/check-demo-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	pin_today("2026-11-23");
}

static void teardown(void)
{
	rulebook_destroy(rb);
	rb = NULL;
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *entry;
		char path[sizeof dir + sizeof entry->d_name + 2];
		while ((entry = readdir(d)) != NULL) {
			if (entry->d_name[0] == '.')
				continue;
			snprintf(path, sizeof path, "%s/%s", dir,
			         entry->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(dir);
	clock_set_fixed((time_t)-1);
}

static struct store *open_db(const char *name)
{
	char path[256], err[256] = "";
	struct store *st = NULL;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	ck_assert_msg(store_open(path, &st, err, sizeof err) == KD_OK, "%s",
	              err);
	return st;
}

static void fill(struct store *st, int agents, int months, uint64_t seed,
                 kd_date today, char *summary, size_t summary_size)
{
	struct demo_options opt;
	char err[256] = "";
	demo_options_init(&opt);
	opt.agents = agents;
	opt.months = months;
	opt.seed = seed;
	ck_assert_msg(demo_fill(st, rb, &opt, today, summary, summary_size, err,
	                        sizeof err) == KD_OK,
	              "demo_fill: %s", err);
}

/* The month's board, scored as every screen scores it. The result points
 * into the loaded input, so both live until board_close(). */
struct board {
	struct store_score_bundle bundle;
	struct score_month_result *result;
};

static struct board *board_open(struct store *st, kd_month month)
{
	struct board *b = calloc(1, sizeof(*b));
	ck_assert_ptr_nonnull(b);
	char err[256];

	ck_assert_int_eq(
	    review_score_input(st, rb, month, &b->bundle, err, sizeof(err)),
	    KD_OK);
	ck_assert_int_eq(score_month(rb, &b->bundle.input, &b->result), KD_OK);
	return b;
}

static void board_close(struct board *b)
{
	score_month_result_destroy(b->result);
	store_score_bundle_finish(&b->bundle);
	free(b);
}

static size_t count_agents(struct store *st)
{
	struct store_agent_list list;
	ck_assert_int_eq(store_agent_list(st, true, clock_today(), &list),
	                 KD_OK);
	size_t n = list.count;
	store_agent_list_finish(&list);
	return n;
}

static size_t count_events(struct store *st)
{
	struct store_event_list list;
	ck_assert_int_eq(store_events_between(st, 0, 2000000, 0, true, &list),
	                 KD_OK);
	size_t n = list.count;
	store_event_list_finish(&list);
	return n;
}

static bool has_grade(const struct score_month_result *r, const char *grade)
{
	for (size_t i = 0; i < r->agent_count; i++)
		if (strcmp(r->agents[i].grade, grade) == 0)
			return true;
	return false;
}

static bool has_flag(const struct score_month_result *r, unsigned flag)
{
	for (size_t i = 0; i < r->agent_count; i++)
		if (r->agents[i].flags & flag)
			return true;
	return false;
}

static void assert_all_grades(const struct score_month_result *r)
{
	static const char *const grades[] = {"A", "B", "C", "D", "E", "F"};
	char month[8];
	month_format(month, sizeof month, r->month);
	for (size_t g = 0; g < 6; g++)
		ck_assert_msg(has_grade(r, grades[g]), "%s: no grade %s", month,
		              grades[g]);
}

static kd_month month_of(const char *text)
{
	kd_month month;
	ck_assert(month_parse(text, &month));
	return month;
}

START_TEST(default_team)
{
	kd_date today = clock_today();
	struct store *st = open_db("demo.db");
	char summary[128] = "";
	struct demo_options opt;
	char err[256] = "";
	demo_options_init(&opt);
	ck_assert_int_eq(opt.agents, 10);
	ck_assert_int_eq(opt.months, 3);
	ck_assert_int_eq(demo_fill(st, rb, NULL, today, summary, sizeof summary,
	                           err, sizeof err),
	                 KD_OK);

	/* The summary counts what was written. */
	char expected[128];
	snprintf(expected, sizeof expected,
	         "10 agents, 3 months (2026-09..2026-11), %zu events",
	         count_events(st));
	ck_assert_str_eq(summary, expected);
	ck_assert_int_ge(count_events(st), 150);

	struct store_agent_list agents;
	ck_assert_int_eq(store_agent_list(st, true, today, &agents), KD_OK);
	ck_assert_uint_eq(agents.count, 10);
	bool tier_used[8] = {false};
	size_t promoted = 0, left = 0, recent = 0, veterans = 0;
	for (size_t i = 0; i < agents.count; i++) {
		const struct store_agent *a = &agents.agents[i];
		ck_assert_uint_ge(a->tier_count, 1);
		ck_assert_int_eq(a->tiers[0].since, date_month(a->hired));
		int tier = rulebook_tier_index(
		    rb, a->tiers[a->tier_count - 1].tier_key);
		ck_assert_int_ge(tier, 0);
		tier_used[tier] = true;
		if (a->tier_count > 1)
			promoted++;
		if (a->left != KD_DATE_NONE)
			left++;
		if (a->hired > today - 62)
			recent++;
		if (a->hired < today - 3 * 365)
			veterans++;
		ck_assert_ptr_nonnull(a->handle);
		ck_assert(strcmp(a->role, "presales") == 0 ||
		          strcmp(a->role, "aftersales") == 0);
		if (i > 0) /* ids in hire order */
			ck_assert_int_le(agents.agents[i - 1].hired, a->hired);
	}
	ck_assert_uint_eq(rb->tier_count, 4);
	for (size_t t = 0; t < rb->tier_count; t++)
		ck_assert_msg(tier_used[t], "tier %s unused", rb->tiers[t].key);
	ck_assert_uint_ge(promoted, 2);
	ck_assert_uint_eq(left, 1);
	ck_assert_uint_eq(recent, 1);
	ck_assert_uint_ge(veterans, 1);
	store_agent_list_finish(&agents);

	/* The current month shows every grade and every flag. */
	struct board *r_board = board_open(st, month_of("2026-11"));
	struct score_month_result *r = r_board->result;
	ck_assert_uint_eq(r->agent_count, 9); /* the leaver left in October */
	assert_all_grades(r);
	ck_assert(has_flag(r, SCORE_FLAG_NO_BONUS));
	ck_assert(has_flag(r, SCORE_FLAG_PROBATION));
	ck_assert(has_flag(r, SCORE_FLAG_PROMOTE));
	ck_assert(has_flag(r, SCORE_FLAG_DEMOTE));
	ck_assert(has_flag(r, SCORE_FLAG_DISMISS_REVIEW));
	ck_assert(!has_flag(r, SCORE_FLAG_NO_KPI));
	/* The star leads every month: a three-month streak. */
	const struct score_agent_result *star = &r->agents[0];
	int64_t star_id = star->agent->id;
	ck_assert_int_eq(star->rank, 1);
	ck_assert_str_eq(star->grade, "A");
	ck_assert_int_eq(star->top_streak, 3);
	ck_assert_int_gt(star->streak_award_fen, 0);
	/* The struggler is last, with complaints enough for a review. */
	const struct score_agent_result *last = &r->agents[r->agent_count - 1];
	ck_assert_str_eq(last->grade, "F");
	ck_assert(last->flags & SCORE_FLAG_DISMISS_REVIEW);
	ck_assert(last->dismiss_reasons & SCORE_DISMISS_CATEGORY);
	ck_assert(last->flags & SCORE_FLAG_DEMOTE);
	int complaint = rulebook_category_index(rb, "complaint");
	ck_assert_int_ge(complaint, 0);
	ck_assert_int_eq(last->categories[complaint].occurrences, 3);
	ck_assert(r->has_silent_sales);
	board_close(r_board);

	/* The earlier months too, each with its rank-1 star. */
	for (kd_month m = month_of("2026-09"); m < month_of("2026-11"); m++) {
		r_board = board_open(st, m);
		r = r_board->result;
		assert_all_grades(r);
		ck_assert_int_eq(r->agents[0].agent->id, star_id);
		ck_assert_str_eq(r->agents[0].grade, "A");
		ck_assert(r->has_silent_sales);
		ck_assert_int_ge(r->silent_sales_fen, 18000000);
		ck_assert_int_le(r->silent_sales_fen, 32000000);
		board_close(r_board);
	}
	store_close(st);
}
END_TEST

/* Every event is one the desk would have accepted, in entry order. */
START_TEST(events_are_plausible)
{
	kd_date today = clock_today();
	struct store *st = open_db("demo.db");
	fill(st, 12, 6, 42, today, NULL, 0);

	struct store_agent_list agents;
	ck_assert_int_eq(store_agent_list(st, true, today, &agents), KD_OK);
	ck_assert_uint_eq(agents.count, 12);
	struct store_event_list events;
	ck_assert_int_eq(store_events_between(st, 0, 2000000, 0, true, &events),
	                 KD_OK);
	ck_assert_uint_gt(events.count, 0);
	size_t voided = 0, late = 0, late_short = 0, notes = 0;
	kd_date first_day = month_first_day(month_of("2026-06"));
	int64_t previous_id = 0;
	kd_date previous_date = 0;
	size_t per_category[64] = {0};
	for (size_t i = 0; i < events.count; i++) {
		const struct store_event *e = &events.events[i];
		const struct store_agent *a = NULL;
		for (size_t j = 0; j < agents.count; j++)
			if (agents.agents[j].id == e->agent_id)
				a = &agents.agents[j];
		ck_assert_ptr_nonnull(a);
		ck_assert_int_le(e->date, today);
		ck_assert_int_ge(e->date, first_day);
		ck_assert_int_ge(e->date, a->hired);
		ck_assert_int_le(e->date, a->left);
		/* Listed by date then id: ids rise with dates. */
		ck_assert_int_gt(e->id, previous_id);
		ck_assert_int_ge(e->date, previous_date);
		previous_id = e->id;
		previous_date = e->date;
		const struct rb_category *cat =
		    rulebook_category(rb, e->category);
		ck_assert_ptr_nonnull(cat);
		per_category[rulebook_category_index(rb, e->category)]++;
		if (cat->note_required)
			ck_assert_msg(e->note && e->note[0],
			              "event %lld: no note", (long long)e->id);
		if (e->note)
			notes++;
		if (strcmp(e->category, "complaint") == 0)
			ck_assert_ptr_nonnull(strstr(e->note, "订单 2026"));
		if (cat->unit == RB_UNIT_MINUTES) {
			late++;
			ck_assert_int_ge(e->quantity, 1);
			ck_assert_int_le(e->quantity, 60);
			if (e->quantity <= 15)
				late_short++;
		} else {
			ck_assert_int_ge(e->quantity, 1);
			ck_assert_int_le(e->quantity, 2);
		}
		if (e->voided) {
			voided++;
			ck_assert_ptr_nonnull(e->void_reason);
			ck_assert_ptr_nonnull(strstr(e->void_reason, "录入"));
		}
	}
	ck_assert_uint_ge(voided, 6); /* one or two a month */
	ck_assert_uint_le(voided, 12);
	ck_assert_uint_gt(late, 0);
	ck_assert_uint_gt(late_short * 10, late * 6); /* mostly <= 15 min */
	ck_assert_uint_gt(notes, 0);
	/* Common, rare and very rare things in their places. */
	size_t curt = per_category[rulebook_category_index(rb, "curt")];
	size_t praise = per_category[rulebook_category_index(rb, "praise")];
	size_t complaints =
	    per_category[rulebook_category_index(rb, "complaint")];
	size_t quarrels = per_category[rulebook_category_index(rb, "quarrel")];
	ck_assert_uint_gt(curt, complaints);
	ck_assert_uint_gt(praise, 0);
	ck_assert_uint_ge(complaints, 3);
	ck_assert_uint_eq(quarrels, 1);
	store_event_list_finish(&events);
	store_agent_list_finish(&agents);

	/* Every month of the period has every grade. */
	for (kd_month m = month_of("2026-06"); m <= month_of("2026-11"); m++) {
		struct board *r_board = board_open(st, m);
		struct score_month_result *r = r_board->result;
		assert_all_grades(r);
		ck_assert(r->has_silent_sales);
		board_close(r_board);
	}
	store_close(st);
}
END_TEST

START_TEST(agents_option)
{
	static const int sizes[] = {3, 8, 12, 50};
	kd_date today = clock_today();
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		char name[32], summary[128], expected[64];
		snprintf(name, sizeof name, "a%d.db", sizes[i]);
		struct store *st = open_db(name);
		fill(st, sizes[i], 2, 3, today, summary, sizeof summary);
		ck_assert_uint_eq(count_agents(st), (size_t)sizes[i]);
		snprintf(expected, sizeof expected,
		         "%d agents, 2 months (2026-10..2026-11), ", sizes[i]);
		ck_assert_msg(strncmp(summary, expected, strlen(expected)) == 0,
		              "summary '%s'", summary);
		struct board *r_board = board_open(st, month_of("2026-11"));
		struct score_month_result *r = r_board->result;
		ck_assert_str_eq(r->agents[0].grade, "A");
		ck_assert_str_eq(r->agents[r->agent_count - 1].grade, "F");
		if (sizes[i] >= 8)
			assert_all_grades(r);
		board_close(r_board);
		store_close(st);
	}
}
END_TEST

START_TEST(one_month)
{
	struct store *st = open_db("one.db");
	char summary[128] = "";
	fill(st, 10, 1, 1, clock_today(), summary, sizeof summary);
	ck_assert_ptr_nonnull(
	    strstr(summary, "10 agents, 1 month (2026-11), "));
	struct store_event_list events;
	ck_assert_int_eq(store_events_between(st, 0, 2000000, 0, true, &events),
	                 KD_OK);
	for (size_t i = 0; i < events.count; i++)
		ck_assert_int_eq(date_month(events.events[i].date),
		                 month_of("2026-11"));
	store_event_list_finish(&events);
	struct board *r_board = board_open(st, month_of("2026-11"));
	struct score_month_result *r = r_board->result;
	assert_all_grades(r);
	ck_assert(has_flag(r, SCORE_FLAG_PROBATION));
	ck_assert(has_flag(r, SCORE_FLAG_DISMISS_REVIEW));
	ck_assert(has_flag(r, SCORE_FLAG_NO_BONUS));
	board_close(r_board);
	store_close(st);
}
END_TEST

/* Days that stress the calendar: the first of a month (one day of events),
 * a leap day, New Year's Day with the period across the year. */
START_TEST(awkward_days)
{
	static const char *const days[] = {"2026-03-01", "2024-02-29",
	                                   "2027-01-01", "2026-12-31"};
	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		kd_date today = pin_today(days[i]);
		char name[32];
		snprintf(name, sizeof name, "day%zu.db", i);
		struct store *st = open_db(name);
		fill(st, 10, i == 1 ? 14 : 3, 1000 + i, today, NULL, 0);
		struct board *r_board = board_open(st, date_month(today));
		struct score_month_result *r = r_board->result;
		assert_all_grades(r);
		ck_assert(has_flag(r, SCORE_FLAG_PROMOTE));
		ck_assert(has_flag(r, SCORE_FLAG_DEMOTE));
		ck_assert(has_flag(r, SCORE_FLAG_PROBATION));
		board_close(r_board);
		struct store_event_list events;
		ck_assert_int_eq(
		    store_events_between(st, 0, 2000000, 0, true, &events),
		    KD_OK);
		for (size_t e = 0; e < events.count; e++)
			ck_assert_int_le(events.events[e].date, today);
		store_event_list_finish(&events);
		store_close(st);
	}
}
END_TEST

START_TEST(refuses_a_used_database)
{
	kd_date today = clock_today();
	struct store *st = open_db("demo.db");
	fill(st, 10, 3, 1, today, NULL, 0);
	size_t agents = count_agents(st), events = count_events(st);

	struct demo_options opt;
	char summary[128] = "unchanged", err[256] = "";
	demo_options_init(&opt);
	ck_assert_int_eq(demo_fill(st, rb, &opt, today, summary, sizeof summary,
	                           err, sizeof err),
	                 KD_ERR_CONFLICT);
	ck_assert_ptr_nonnull(strstr(err, "empty"));
	ck_assert_str_eq(summary, "unchanged");
	ck_assert_uint_eq(count_agents(st), agents);
	ck_assert_uint_eq(count_events(st), events);
	store_close(st);

	/* One agent is enough to refuse. */
	st = open_db("one-agent.db");
	int64_t id;
	ck_assert_int_eq(store_agent_add(st, "张伟", NULL, "presales", today,
	                                 rb->tiers[0].key, date_month(today),
	                                 &id),
	                 KD_OK);
	ck_assert_int_eq(
	    demo_fill(st, rb, NULL, today, NULL, 0, err, sizeof err),
	    KD_ERR_CONFLICT);
	ck_assert_uint_eq(count_agents(st), 1);
	ck_assert_uint_eq(count_events(st), 0);
	store_close(st);
}
END_TEST

START_TEST(refuses_bad_options)
{
	static const int bad[][2] = {{2, 3}, {51, 3}, {10, 0}, {10, 25}};
	struct store *st = open_db("demo.db");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct demo_options opt = {
		    .agents = bad[i][0], .months = bad[i][1], .seed = 1};
		char err[256] = "";
		ck_assert_int_eq(demo_fill(st, rb, &opt, clock_today(), NULL, 0,
		                           err, sizeof err),
		                 KD_ERR_USAGE);
		ck_assert_ptr_nonnull(strstr(err, "--"));
	}
	bool empty = false;
	ck_assert_int_eq(store_is_empty(st, &empty), KD_OK);
	ck_assert(empty);
	store_close(st);
}
END_TEST

/* A write that fails half-way leaves nothing behind. */
START_TEST(failure_rolls_back)
{
	char path[256];
	snprintf(path, sizeof path, "%s/fail.db", dir);
	struct store *st = open_db("fail.db");
	sqlite3 *db = NULL;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(
	    sqlite3_exec(db,
	                 "CREATE TRIGGER demo_fail BEFORE INSERT ON events "
	                 "WHEN (SELECT count(*) FROM events) >= 100 "
	                 "BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END;",
	                 NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);

	char err[256] = "";
	ck_assert_int_ne(
	    demo_fill(st, rb, NULL, clock_today(), NULL, 0, err, sizeof err),
	    KD_OK);
	ck_assert_str_ne(err, "");
	bool empty = false;
	ck_assert_int_eq(store_is_empty(st, &empty), KD_OK);
	ck_assert(empty);
	ck_assert_uint_eq(count_events(st), 0);
	struct store_month month;
	ck_assert_int_eq(store_month_get(st, month_of("2026-11"), &month),
	                 KD_OK);
	ck_assert(!month.has_silent_sales);
	store_close(st);
}
END_TEST

static void assert_same_boards(struct store *a, struct store *b, bool *same)
{
	*same = true;
	for (kd_month m = month_of("2026-09"); m <= month_of("2026-11"); m++) {
		struct board *ra_board = board_open(a, m);
		struct score_month_result *ra = ra_board->result;
		struct board *rb__board = board_open(b, m);
		struct score_month_result *rb_ = rb__board->result;
		if (ra->agent_count != rb_->agent_count ||
		    ra->pool_fen != rb_->pool_fen)
			*same = false;
		for (size_t i = 0; *same && i < ra->agent_count; i++) {
			const struct score_agent_result *x = &ra->agents[i];
			const struct score_agent_result *y = &rb_->agents[i];
			if (x->agent->id != y->agent->id ||
			    strcmp(x->agent->name, y->agent->name) != 0 ||
			    x->score_cp != y->score_cp ||
			    x->flags != y->flags ||
			    x->fines_fen != y->fines_fen)
				*same = false;
		}
		board_close(ra_board);
		board_close(rb__board);
	}
}

START_TEST(same_seed_same_data)
{
	kd_date today = clock_today();
	struct store *a = open_db("a.db");
	struct store *b = open_db("b.db");
	struct store *c = open_db("c.db");
	char sa[128], sb[128], sc[128];
	fill(a, 10, 3, 7, today, sa, sizeof sa);
	fill(b, 10, 3, 7, today, sb, sizeof sb);
	fill(c, 10, 3, 8, today, sc, sizeof sc);
	ck_assert_str_eq(sa, sb);

	struct store_event_list ea, eb;
	ck_assert_int_eq(store_events_between(a, 0, 2000000, 0, true, &ea),
	                 KD_OK);
	ck_assert_int_eq(store_events_between(b, 0, 2000000, 0, true, &eb),
	                 KD_OK);
	ck_assert_uint_eq(ea.count, eb.count);
	for (size_t i = 0; i < ea.count; i++) {
		const struct store_event *x = &ea.events[i], *y = &eb.events[i];
		ck_assert_int_eq(x->agent_id, y->agent_id);
		ck_assert_int_eq(x->date, y->date);
		ck_assert_str_eq(x->category, y->category);
		ck_assert_int_eq(x->quantity, y->quantity);
		ck_assert_str_eq(x->note ? x->note : "",
		                 y->note ? y->note : "");
		ck_assert_int_eq(x->voided, y->voided);
	}
	store_event_list_finish(&ea);
	store_event_list_finish(&eb);

	bool same;
	assert_same_boards(a, b, &same);
	ck_assert(same);
	/* Another seed, another team. */
	assert_same_boards(a, c, &same);
	ck_assert(!same);
	store_close(a);
	store_close(b);
	store_close(c);
}
END_TEST

static Suite *demo_suite(void)
{
	Suite *s = suite_create("demo");
	TCase *tc = tcase_create("demo");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, default_team);
	tcase_add_test(tc, events_are_plausible);
	tcase_add_test(tc, agents_option);
	tcase_add_test(tc, one_month);
	tcase_add_test(tc, awkward_days);
	tcase_add_test(tc, refuses_a_used_database);
	tcase_add_test(tc, refuses_bad_options);
	tcase_add_test(tc, failure_rolls_back);
	tcase_add_test(tc, same_seed_same_data);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(demo_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
