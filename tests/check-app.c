/* The application layer: every use case with its exact refusal codes, the
 * one message table, and the safe file writer. */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kpidesk/app.h"
#include "kpidesk/app_import.h"
#include "kpidesk/text.h"
#include "testutil.h"

/* Today is 2026-11-15 12:00 UTC for every test. */
static char dir[64];
static struct app app;

static void setup(void)
{
	struct config_errors errors = {0};
	char err[256] = "", path[128];
	snprintf(dir, sizeof(dir), "/tmp/check-app-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	clock_set_fixed((time_t)tu_day(2026, 11, 15) * 86400 + 12 * 3600);
	memset(&app, 0, sizeof(app));
	snprintf(path, sizeof(path), "%s/kpidesk.db", dir);
	app.db_path = strdup(path);
	ck_assert_int_eq(app_rulebook_load(NULL, &app.rb, &errors), KD_OK);
	config_errors_finish(&errors);
	ck_assert_int_eq(app_open_store(&app, "test", err, sizeof(err)), KD_OK);
}

static void teardown(void)
{
	char cmd[128];
	app_finish(&app);
	clock_set_fixed((time_t)-1);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static int64_t add_agent(const char *name, kd_date hired)
{
	struct app_refusal why;
	struct app_agent_new a = {.name = name, .hired = hired};
	int64_t id = 0;
	ck_assert_msg(app_agent_add(&app, &a, &id, &why), "%s",
	              app_code_name(why.code));
	return id;
}

static int64_t log_one(int64_t agent, const char *cat, kd_date date,
                       const char *note)
{
	struct app_refusal why;
	struct app_log e = {agent, cat, 1, date, note, false};
	int64_t id = 0;
	ck_assert_msg(app_log(&app, &e, &id, &why), "%s",
	              app_code_name(why.code));
	return id;
}

static enum app_code log_refused(int64_t agent, const char *cat, int32_t qty,
                                 kd_date date, const char *note,
                                 struct app_refusal *why)
{
	struct app_log e = {agent, cat, qty, date, note, false};
	int64_t id = 0;
	ck_assert(!app_log(&app, &e, &id, why));
	return why->code;
}

static size_t event_count(void)
{
	struct store_event_list list = {0};
	struct app_refusal why;
	ck_assert(app_events(&app, tu_day(2020, 1, 1), tu_day(2030, 1, 1), 0,
	                     true, &list, &why));
	size_t n = list.count;
	app_events_finish(&list);
	return n;
}

/* ---- log ---- */

START_TEST(log_rules)
{
	struct app_refusal why;
	int64_t zhang = add_agent("张伟", tu_day(2026, 3, 2));
	ck_assert_int_gt(log_one(zhang, "late", tu_day(2026, 11, 14), NULL), 0);
	ck_assert_int_gt(
	    log_one(zhang, "迟到/早退", tu_day(2026, 11, 14), NULL), 0);
	ck_assert_int_eq(
	    log_refused(zhang, "nap", 1, tu_day(2026, 11, 14), NULL, &why),
	    APP_CATEGORY_UNKNOWN);
	ck_assert_int_eq(
	    log_refused(zhang, "late", 0, tu_day(2026, 11, 14), NULL, &why),
	    APP_QUANTITY_RANGE);
	ck_assert_int_eq(
	    log_refused(zhang, "late", 1441, tu_day(2026, 11, 14), NULL, &why),
	    APP_QUANTITY_RANGE);
	ck_assert_int_eq(log_refused(zhang, "complaint", 1,
	                             tu_day(2026, 11, 14), "  ", &why),
	                 APP_NOTE_REQUIRED);
	ck_assert_int_eq(
	    log_refused(zhang, "late", 1, tu_day(2026, 11, 16), NULL, &why),
	    APP_DATE_FUTURE);
	ck_assert_int_eq(why.date2, tu_day(2026, 11, 15));
	ck_assert_int_eq(
	    log_refused(zhang, "late", 1, tu_day(2026, 3, 1), NULL, &why),
	    APP_DATE_BEFORE_HIRED);
	ck_assert_str_eq(why.agent, "张伟");
	ck_assert_int_eq(
	    log_refused(zhang + 99, "late", 1, tu_day(2026, 11, 1), NULL, &why),
	    APP_AGENT_UNKNOWN);
	/* A note that hides its direction: refused, naming the character. */
	ck_assert_int_eq(log_refused(zhang, "complaint", 1,
	                             tu_day(2026, 11, 14),
	                             "订单\xe2\x80\xae"
	                             "123",
	                             &why),
	                 APP_TEXT_HIDDEN);
	ck_assert_uint_eq(why.cp, 0x202E);
	ck_assert_uint_eq(why.position, 3);
	/* No quantity: one occurrence, but a minutes category needs them. */
	struct app_log no_qty = {zhang, "late", 0, tu_day(2026, 11, 14),
	                         NULL,  true};
	ck_assert(!app_log(&app, &no_qty, NULL, &why));
	ck_assert_int_eq(why.code, APP_MINUTES_MISSING);
	char text[256];
	ck_assert_str_eq(app_refusal_text(&why, text, sizeof(text)),
	                 "late (迟到/早退) counts minutes: give them");
	no_qty.category = "praise";
	ck_assert(app_log(&app, &no_qty, NULL, &why));
	/* The quantity as typed, from the command line or the desk. */
	int32_t qty = 0;
	ck_assert(app_quantity_parse("12", &qty, &why));
	ck_assert_int_eq(qty, 12);
	ck_assert(!app_quantity_parse("2.5", &qty, &why));
	ck_assert_int_eq(why.code, APP_QUANTITY_RANGE);
	ck_assert_str_eq(app_refusal_text(&why, text, sizeof(text)),
	                 "the quantity '2.5' is not a whole number from 1 to "
	                 "1440");
	ck_assert(!app_quantity_parse("1441", &qty, &why));
	ck_assert_uint_eq(event_count(), 3);
}
END_TEST

START_TEST(log_after_leaving_and_closed_month)
{
	struct app_refusal why;
	int64_t liu = add_agent("刘洋", tu_day(2026, 1, 5));
	struct store_agent_edit edit = {.set_left = true,
	                                .left = tu_day(2026, 11, 10)};
	ck_assert(app_agent_edit(&app, liu, &edit, &why));
	ck_assert_int_eq(
	    log_refused(liu, "late", 5, tu_day(2026, 11, 11), NULL, &why),
	    APP_DATE_AFTER_LEFT);
	ck_assert_int_eq(why.date2, tu_day(2026, 11, 10));
	log_one(liu, "praise", tu_day(2026, 10, 3), NULL);
	ck_assert(app_month_close(&app, 2026 * 12 + 9, false, NULL, &why));
	ck_assert_int_eq(
	    log_refused(liu, "late", 5, tu_day(2026, 10, 4), NULL, &why),
	    APP_MONTH_CLOSED);
	char text[256];
	ck_assert_str_eq(app_refusal_text(&why, text, sizeof(text)),
	                 "2026-10 is closed; reopen it before changing its "
	                 "entries");
	ck_assert_int_eq(app_refusal_exit(&why), 2);
	/* The desk's pre-check says the same. */
	ck_assert(!app_log_allowed(&app, liu, tu_day(2026, 10, 4), &why));
	ck_assert_int_eq(why.code, APP_MONTH_CLOSED);
	ck_assert(app_log_allowed(&app, liu, tu_day(2026, 11, 4), &why));
}
END_TEST

/* ---- void, appeal, settle ---- */

START_TEST(void_appeal_settle)
{
	struct app_refusal why;
	int64_t zhang = add_agent("张伟", tu_day(2026, 3, 2));
	int64_t e1 = log_one(zhang, "late", tu_day(2026, 11, 3), NULL);
	int64_t e2 = log_one(zhang, "late", tu_day(2026, 11, 4), NULL);
	int64_t e3 = log_one(zhang, "late", tu_day(2026, 10, 4), NULL);

	ck_assert(!app_void(&app, 999, "x", &why));
	ck_assert_int_eq(why.code, APP_EVENT_UNKNOWN);
	ck_assert_int_eq(why.id, 999);
	ck_assert(!app_void(&app, e1, "   ", &why));
	ck_assert_int_eq(why.code, APP_TEXT_EMPTY);
	ck_assert(app_void(&app, e1, "录错人了", &why));
	ck_assert(!app_void(&app, e1, "again", &why));
	ck_assert_int_eq(why.code, APP_EVENT_VOIDED);
	ck_assert_str_eq(why.text, "录错人了");
	ck_assert(!app_void_allowed(&app, e1, &why));
	ck_assert_int_eq(why.code, APP_EVENT_VOIDED);

	ck_assert(!app_appeal(&app, e1, "不是我", &why));
	ck_assert_int_eq(why.code, APP_EVENT_VOIDED);
	ck_assert(!app_settle(&app, e2, STORE_APPEAL_UPHOLD, "x", &why));
	ck_assert_int_eq(why.code, APP_APPEAL_NONE);
	ck_assert(app_appeal(&app, e2, "地铁停运", &why));
	ck_assert(!app_appeal(&app, e2, "again", &why));
	ck_assert_int_eq(why.code, APP_APPEAL_OPEN);
	ck_assert(!app_appeal_allowed(&app, e2, &why));
	ck_assert_int_eq(why.code, APP_APPEAL_OPEN);
	ck_assert(app_settle(&app, e2, STORE_APPEAL_VOID, "有公告", &why));
	struct store_event ev;
	ck_assert(app_event_get(&app, e2, &ev, &why));
	ck_assert(ev.voided);
	ck_assert_str_eq(ev.appeal, "voided");
	app_event_finish(&ev);

	ck_assert(app_month_close(&app, 2026 * 12 + 9, false, NULL, &why));
	ck_assert(!app_void(&app, e3, "x", &why));
	ck_assert_int_eq(why.code, APP_MONTH_CLOSED);
	ck_assert(!app_appeal(&app, e3, "x", &why));
	ck_assert_int_eq(why.code, APP_MONTH_CLOSED);
	ck_assert(!app_settle(&app, e3, STORE_APPEAL_UPHOLD, "x", &why));
	ck_assert_int_eq(why.code, APP_MONTH_CLOSED);
	ck_assert(!app_event_get(&app, 12345, &ev, &why));
	ck_assert_int_eq(why.code, APP_EVENT_UNKNOWN);
}
END_TEST

/* ---- agents ---- */

START_TEST(agent_add_rules)
{
	struct app_refusal why;
	char text[256];
	int64_t id = 0;
	add_agent("张伟", tu_day(2026, 3, 2));
	struct app_agent_new a = {.name = "张伟", .hired = tu_day(2026, 3, 2)};
	ck_assert(!app_agent_add(&app, &a, &id, &why));
	ck_assert_int_eq(why.code, APP_NAME_TAKEN);
	ck_assert_str_eq(app_refusal_text(&why, text, sizeof(text)),
	                 "name: '张伟' is already agent 1 (张伟); give a "
	                 "different name or a handle");
	/* A handle another agent has: refused in words, on add and edit. */
	struct app_agent_new h = {
	    .name = "张伟二", .handle = "zw", .hired = tu_day(2026, 3, 2)};
	int64_t zw = 0;
	h.name = "张伟一";
	ck_assert(app_agent_add(&app, &h, &zw, &why));
	h.name = "张伟二";
	ck_assert(!app_agent_add(&app, &h, &id, &why));
	ck_assert_int_eq(why.code, APP_NAME_TAKEN);
	ck_assert_int_eq(why.id, zw);
	struct store_agent_edit take = {.set_handle = true, .handle = "zw"};
	ck_assert(!app_agent_edit(&app, 1, &take, &why));
	ck_assert_int_eq(why.code, APP_NAME_TAKEN);
	ck_assert_int_eq(why.id, zw);
	a.name = "12345";
	ck_assert(!app_agent_add(&app, &a, &id, &why));
	ck_assert_int_eq(why.code, APP_NAME_DIGITS);
	a.name = " 王芳";
	ck_assert(!app_agent_add(&app, &a, &id, &why));
	ck_assert_int_eq(why.code, APP_NAME_SPACE);
	a.name = "";
	ck_assert(!app_agent_add(&app, &a, &id, &why));
	ck_assert_int_eq(why.code, APP_TEXT_EMPTY);
	a.name = "\xd5\xc5";
	ck_assert(!app_agent_add(&app, &a, &id, &why));
	ck_assert_int_eq(why.code, APP_TEXT_UTF8);
	/* Hidden characters: bidi, C1, zero-width, in names and handles. */
	a.name = "ab\xe2\x80\xae"
	         "cd";
	ck_assert(!app_agent_add(&app, &a, &id, &why));
	ck_assert_int_eq(why.code, APP_TEXT_HIDDEN);
	ck_assert_str_eq(app_refusal_text(&why, text, sizeof(text)),
	                 "name: U+202E (RIGHT-TO-LEFT OVERRIDE) at character "
	                 "3 is not allowed");
	a.name = "王\xc2\x85芳";
	ck_assert(!app_agent_add(&app, &a, &id, &why));
	ck_assert_str_eq(app_refusal_text(&why, text, sizeof(text)),
	                 "name: U+0085 (NEXT LINE) at character 2 is not "
	                 "allowed");
	a.name = "王芳";
	a.handle = "wang\xe2\x80\x8b"
	           "fang";
	ck_assert(!app_agent_add(&app, &a, &id, &why));
	ck_assert_str_eq(app_refusal_text(&why, text, sizeof(text)),
	                 "handle: U+200B (ZERO WIDTH SPACE) at character 5 is "
	                 "not allowed");
	a.handle = NULL;
	a.tier = "boss";
	ck_assert(!app_agent_add(&app, &a, &id, &why));
	ck_assert_int_eq(why.code, APP_TIER_UNKNOWN);
	ck_assert_str_eq(why.detail, "junior, intermediate, senior, expert");
	a.tier = NULL;
	a.role = "manager";
	ck_assert(!app_agent_add(&app, &a, &id, &why));
	ck_assert_int_eq(why.code, APP_ROLE_UNKNOWN);
	a.role = "aftersales";
	ck_assert(app_agent_add(&app, &a, &id, &why));
	ck_assert_int_eq(id, 3); /* after 张伟 and 张伟一 */
}
END_TEST

START_TEST(agent_edit_rules)
{
	struct app_refusal why;
	int64_t zhang = add_agent("张伟", tu_day(2026, 3, 2));
	int64_t li = add_agent("李娜", tu_day(2025, 5, 1));
	log_one(zhang, "late", tu_day(2026, 11, 3), NULL);
	struct store_agent_edit edit = {.set_left = true,
	                                .left = tu_day(2026, 1, 1)};
	ck_assert(!app_agent_edit(&app, zhang, &edit, &why));
	ck_assert_int_eq(why.code, APP_LEFT_BEFORE_HIRED);
	{
		/* the words, at the dates check-store.c used to test */
		char text[256];
		int64_t lina = add_agent("李娜2", tu_day(2026, 1, 5));
		struct store_agent_edit early = {.set_left = true,
		                                 .left = tu_day(2025, 12, 31)};
		ck_assert(!app_agent_edit(&app, lina, &early, &why));
		ck_assert_str_eq(app_refusal_text(&why, text, sizeof(text)),
		                 "the leave date 2025-12-31 is before the hire "
		                 "date 2026-01-05");
	}
	edit.left = tu_day(2026, 11, 1);
	ck_assert(!app_agent_edit(&app, zhang, &edit, &why));
	ck_assert_int_eq(why.code, APP_EVENT_AFTER_LEFT);
	ck_assert_int_eq(why.date, tu_day(2026, 11, 3));
	struct store_agent_edit hire = {.set_hired = true,
	                                .hired = tu_day(2026, 11, 4)};
	ck_assert(!app_agent_edit(&app, zhang, &hire, &why));
	ck_assert_int_eq(why.code, APP_EVENT_BEFORE_HIRED);
	struct store_agent_edit name = {.name = "李娜"};
	ck_assert(!app_agent_edit(&app, zhang, &name, &why));
	ck_assert_int_eq(why.code, APP_NAME_TAKEN);
	ck_assert_int_eq(why.id, li);
	name.name = "张伟"; /* its own name is no clash */
	ck_assert(app_agent_edit(&app, zhang, &name, &why));
	name.name = "x\x1b[31m";
	ck_assert(!app_agent_edit(&app, zhang, &name, &why));
	ck_assert_int_eq(why.code, APP_TEXT_HIDDEN);
	ck_assert_uint_eq(why.cp, 0x1B);
	ck_assert(!app_agent_edit(&app, 77, &name, &why));
	ck_assert_int_eq(why.code, APP_TEXT_HIDDEN);
	name.name = "王五";
	ck_assert(!app_agent_edit(&app, 77, &name, &why));
	ck_assert_int_eq(why.code, APP_AGENT_UNKNOWN);
	struct store_agent found;
	ck_assert(!app_agent_find(&app, "nobody", &found, &why));
	ck_assert_int_eq(why.code, APP_AGENT_UNKNOWN);
	ck_assert(app_agent_find(&app, "李娜", &found, &why));
	ck_assert_int_eq(found.id, li);
	app_agent_finish(&found);
}
END_TEST

/* ---- months ---- */

START_TEST(month_close_reopen)
{
	struct app_refusal why;
	struct review_month rm;
	size_t agents = 0;
	int64_t zhang = add_agent("张伟", tu_day(2026, 3, 2));
	int64_t e = log_one(zhang, "late", tu_day(2026, 10, 3), NULL);
	ck_assert(app_appeal(&app, e, "不是我", &why));
	kd_month oct = 2026 * 12 + 9;

	ck_assert(!app_month_close(&app, oct + 2, false, &agents, &why));
	ck_assert_int_eq(why.code, APP_MONTH_NOT_BEGUN);
	ck_assert(!app_month_close_allowed(&app, oct + 2, &why));
	ck_assert_int_eq(why.code, APP_MONTH_NOT_BEGUN);
	/* The desk asks about open appeals itself: allowed so far. */
	ck_assert(app_month_close_allowed(&app, oct, &why));
	ck_assert(!app_month_reopen_allowed(&app, oct, &why));
	ck_assert_int_eq(why.code, APP_MONTH_NOT_CLOSED);
	ck_assert(!app_month_close(&app, oct, false, &agents, &why));
	ck_assert_int_eq(why.code, APP_MONTH_OPEN_APPEALS);
	ck_assert_int_eq(why.count, 1);
	ck_assert_str_eq(why.detail, "#1");
	ck_assert(app_month_close(&app, oct, true, &agents, &why));
	ck_assert_uint_eq(agents, 1);
	ck_assert(!app_month_close(&app, oct, true, &agents, &why));
	ck_assert_int_eq(why.code, APP_MONTH_CLOSED_ALREADY);
	ck_assert(!app_month_close_allowed(&app, oct, &why));
	ck_assert_int_eq(why.code, APP_MONTH_CLOSED_ALREADY);
	ck_assert(app_month_reopen_allowed(&app, oct, &why));
	ck_assert_str_eq(why.agent, "test");
	ck_assert(!app_month_set_sales(&app, oct, 100, &why));
	ck_assert_int_eq(why.code, APP_MONTH_CLOSED);
	ck_assert(!app_month_writable(&app, oct, &why));

	ck_assert(app_board_load(&app, oct, true, &rm, &why));
	ck_assert(rm.closed);
	ck_assert_uint_eq(rm.result->agent_count, 1);
	struct review_trend trend = {0};
	ck_assert(app_trend_load(&app, &rm, &trend, &why));
	ck_assert_int_eq(trend.months, REVIEW_TREND_MONTHS);
	review_trend_finish(&trend);
	review_month_finish(&rm);

	ck_assert(!app_month_reopen(&app, oct + 1, "x", &why));
	ck_assert_int_eq(why.code, APP_MONTH_NOT_CLOSED);
	ck_assert(!app_month_reopen(&app, oct, "", &why));
	ck_assert_int_eq(why.code, APP_TEXT_EMPTY);
	ck_assert(app_month_reopen(&app, oct, "补录", &why));
	ck_assert(app_board_load(&app, oct, false, &rm, &why));
	ck_assert(!rm.closed);
	review_month_finish(&rm);
	ck_assert(app_month_set_sales(&app, oct, 100, &why));
}
END_TEST

/* ---- the rulebook ---- */

START_TEST(rulebook_reload_swaps_only_a_valid_one)
{
	struct app_refusal why;
	struct config_errors errors = {0};
	struct rulebook *old = NULL, *before = app.rb;
	char path[128];
	snprintf(path, sizeof(path), "%s/bad.ini", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("[score]\nbase = banana\n", f);
	fclose(f);
	app.config_path = strdup(path);
	ck_assert(!app_rulebook_reload(&app, &old, &errors, &why));
	ck_assert_int_eq(why.code, APP_RULEBOOK_BAD);
	ck_assert_uint_gt(errors.count, 0);
	ck_assert_ptr_eq(app.rb, before);
	ck_assert_ptr_null(old);
	config_errors_finish(&errors);
	free(app.config_path);
	snprintf(path, sizeof(path), "%s/kpidesk.ini", KPIDESK_CONFIG_DIR);
	app.config_path = strdup(path);
	ck_assert(app_rulebook_reload(&app, &old, &errors, &why));
	ck_assert_ptr_eq(old, before);
	ck_assert_ptr_ne(app.rb, before);
	rulebook_destroy(old);
	config_errors_finish(&errors);
}
END_TEST

/* ---- the demo ---- */

START_TEST(demo_fills_once)
{
	struct app_refusal why;
	char summary[256];
	bool empty = false;
	ck_assert(app_is_empty(&app, &empty, &why));
	ck_assert(empty);
	ck_assert(app_demo(&app, NULL, summary, sizeof(summary), &why));
	ck_assert_ptr_nonnull(strstr(summary, "10 agents"));
	ck_assert(!app_demo(&app, NULL, summary, sizeof(summary), &why));
	ck_assert_int_eq(why.code, APP_FAILED);
	ck_assert_int_eq(why.status, KD_ERR_CONFLICT);
	ck_assert_int_eq(app_refusal_exit(&why), 2);
}
END_TEST

/* ---- writing files ---- */

static enum kd_status write_hello(FILE *out, const char *tmp_path, void *ctx)
{
	(void)tmp_path;
	(void)ctx;
	fputs("hello\n", out);
	return KD_OK;
}

static enum kd_status write_big(FILE *out, const char *tmp_path, void *ctx)
{
	(void)tmp_path;
	(void)ctx;
	for (int i = 0; i < 4096; i++)
		if (fputs("0123456789abcdef0123456789abcdef\n", out) < 0)
			return KD_ERR_IO;
	return KD_OK;
}

static enum kd_status write_fails(FILE *out, const char *tmp_path, void *ctx)
{
	(void)tmp_path;
	(void)ctx;
	fputs("half", out);
	return KD_ERR_IO;
}

static char *slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void spit(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(chmod(path, mode), 0);
}

/* Files in dir other than the database's: no temporary file is left. */
static int stray_files(void)
{
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "ls -A %s | grep -c tmp- >/dev/null", dir);
	return system(cmd) == 0;
}

START_TEST(writer_refuses_the_database)
{
	struct app_refusal why;
	char path[256], link[160];
	add_agent("张伟", tu_day(2026, 3, 2));
	ck_assert(!app_write_file(&app, app.db_path, write_hello, NULL, &why));
	ck_assert_int_eq(why.code, APP_FILE_DATABASE);
	/* Through "..", through a symlink, and its -wal file. */
	snprintf(path, sizeof(path), "%s/sub", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/sub/../kpidesk.db", dir);
	ck_assert(!app_write_file(&app, path, write_hello, NULL, &why));
	ck_assert_int_eq(why.code, APP_FILE_DATABASE);
	snprintf(link, sizeof(link), "%s/alias.csv", dir);
	ck_assert_int_eq(symlink(app.db_path, link), 0);
	ck_assert(!app_write_file(&app, link, write_hello, NULL, &why));
	ck_assert_int_eq(why.code, APP_FILE_DATABASE);
	snprintf(path, sizeof(path), "%s-wal", app.db_path);
	ck_assert(!app_write_file(&app, path, write_hello, NULL, &why));
	ck_assert_int_eq(why.code, APP_FILE_DATABASE);
	ck_assert(!app_backup(&app, link, &why));
	ck_assert_int_eq(why.code, APP_FILE_DATABASE);
	/* The database is whole. */
	struct store_agent_list list = {0};
	ck_assert(app_agents(&app, true, &list, &why));
	ck_assert_uint_eq(list.count, 1);
	app_agents_finish(&list);
	ck_assert(!stray_files());
}
END_TEST

START_TEST(writer_refuses_special_files)
{
	struct app_refusal why;
	char fifo[128], text[512];
	struct stat sb;
	snprintf(fifo, sizeof(fifo), "%s/pipe", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	/* Opening the FIFO for writing would block: refused before that. */
	ck_assert(!app_write_file(&app, fifo, write_hello, NULL, &why));
	ck_assert_int_eq(why.code, APP_FILE_NOT_REGULAR);
	ck_assert_str_eq(app_refusal_text(&why, text, sizeof(text)) +
	                     strlen(dir),
	                 "/pipe is a FIFO (named pipe), not a regular file; "
	                 "nothing was written");
	ck_assert_int_eq(app_refusal_exit(&why), 2);
	ck_assert(!app_backup(&app, fifo, &why));
	ck_assert_int_eq(why.code, APP_FILE_NOT_REGULAR);
	ck_assert_int_eq(lstat(fifo, &sb), 0);
	ck_assert(S_ISFIFO(sb.st_mode));

	ck_assert(!app_write_file(&app, "/dev/null", write_hello, NULL, &why));
	ck_assert_int_eq(why.code, APP_FILE_NOT_REGULAR);
	ck_assert_str_eq(why.kind, "a character device");
	ck_assert_int_eq(stat("/dev/null", &sb), 0);
	ck_assert(S_ISCHR(sb.st_mode));
	ck_assert(!app_write_file(&app, dir, write_hello, NULL, &why));
	ck_assert_int_eq(why.code, APP_FILE_NOT_REGULAR);
	ck_assert_str_eq(why.kind, "a directory");
	ck_assert(!stray_files());
}
END_TEST

START_TEST(writer_mode_symlink_and_failures)
{
	struct app_refusal why;
	char path[128], target[128], link[128];
	struct stat sb;
	mode_t old_umask = umask(022);
	snprintf(path, sizeof(path), "%s/review.csv", dir);
	spit(path, "old\n", 0644);
	ck_assert(app_write_file(&app, path, write_hello, NULL, &why));
	ck_assert_str_eq(slurp(path), "hello\n");
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);

	/* A symlink is written through: the link stays. */
	snprintf(target, sizeof(target), "%s/real.md", dir);
	snprintf(link, sizeof(link), "%s/link.md", dir);
	spit(target, "old\n", 0644);
	ck_assert_int_eq(symlink("real.md", link), 0);
	ck_assert(app_write_file(&app, link, write_hello, NULL, &why));
	ck_assert_int_eq(lstat(link, &sb), 0);
	ck_assert(S_ISLNK(sb.st_mode));
	ck_assert_str_eq(slurp(target), "hello\n");
	ck_assert_int_eq(stat(target, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);

	/* A failing writer leaves the old file. */
	spit(path, "old\n", 0600);
	ck_assert(!app_write_file(&app, path, write_fails, NULL, &why));
	ck_assert_str_eq(slurp(path), "old\n");
	ck_assert(!stray_files());

	/* A full disk (the file size limit) leaves the old file too. */
	struct rlimit saved, small = {.rlim_cur = 4096, .rlim_max = 4096};
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &saved), 0);
	small.rlim_max = saved.rlim_max;
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	bool ok = app_write_file(&app, path, write_big, NULL, &why);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &saved), 0);
	signal(SIGXFSZ, SIG_DFL);
	ck_assert(!ok);
	ck_assert_int_eq(why.code, APP_FILE_IO);
	ck_assert_int_eq(app_refusal_exit(&why), 1);
	ck_assert_str_eq(slurp(path), "old\n");
	ck_assert(!stray_files());

	/* A directory that does not exist. */
	snprintf(path, sizeof(path), "%s/nodir/x.csv", dir);
	ck_assert(!app_write_file(&app, path, write_hello, NULL, &why));
	ck_assert_int_eq(why.code, APP_FILE_IO);
	ck_assert_str_eq(why.detail, "No such file or directory");

	/* A backup is 0600 too, whatever the umask. */
	snprintf(path, sizeof(path), "%s/copy.db", dir);
	ck_assert(app_backup(&app, path, &why));
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	umask(old_umask);
}
END_TEST

/* The month rules' words (their cases moved from check-store.c). */
START_TEST(month_rules_in_words)
{
	struct app_refusal why;
	char text[256];
	int64_t zhang = add_agent("张伟", tu_day(2026, 1, 5));
	int64_t e1 = log_one(zhang, "complaint", tu_day(2026, 10, 3), "订单 1");
	ck_assert(app_appeal(&app, e1, "不是我", &why));
	ck_assert(!app_month_close(&app, 2026 * 12 + 9, false, NULL, &why));
	ck_assert_str_eq(app_refusal_text(&why, text, sizeof(text)),
	                 "2026-10 has 1 open appeal(s): events #1");
	ck_assert(!app_month_close(&app, 2026 * 12 + 11, true, NULL, &why));
	ck_assert_str_eq(app_refusal_text(&why, text, sizeof(text)),
	                 "2026-12 has not begun (today is 2026-11-15); only a "
	                 "month that has begun can be closed");
	ck_assert(!app_month_reopen(&app, 2026 * 12 + 7, "x", &why));
	ck_assert_str_eq(app_refusal_text(&why, text, sizeof(text)),
	                 "2026-08 is not closed");
	ck_assert(app_month_close(&app, 2026 * 12 + 9, true, NULL, &why));
	ck_assert(!app_month_close(&app, 2026 * 12 + 9, true, NULL, &why));
	ck_assert_int_eq(why.code, APP_MONTH_CLOSED_ALREADY);
	ck_assert_str_eq(app_refusal_text(&why, text, sizeof(text)),
	                 "2026-10 is closed already (2026-11-15 12:00:00 by "
	                 "test)");
}
END_TEST

/* The day's rules at their edges (moved from check-store.c when the
 * store stopped checking them: the app checks them in its transaction). */
START_TEST(log_day_rules_at_the_edges)
{
	struct app_refusal why;
	char text[256];
	clock_set_fixed((time_t)tu_day(2026, 11, 23) * 86400 + 14 * 3600);
	int64_t zhang = add_agent("张伟", tu_day(2026, 3, 10));
	struct store_agent_edit edit = {.set_left = true,
	                                .left = tu_day(2026, 11, 10)};
	ck_assert(app_agent_edit(&app, zhang, &edit, &why));
	ck_assert_int_eq(
	    log_refused(zhang, "late", 1, tu_day(2026, 3, 9), NULL, &why),
	    APP_DATE_BEFORE_HIRED);
	ck_assert_str_eq(app_refusal_text(&why, text, sizeof(text)),
	                 "2026-03-09 is before 张伟 was hired (2026-03-10)");
	ck_assert_int_eq(
	    log_refused(zhang, "late", 1, tu_day(2026, 11, 11), NULL, &why),
	    APP_DATE_AFTER_LEFT);
	ck_assert_str_eq(app_refusal_text(&why, text, sizeof(text)),
	                 "2026-11-11 is after 张伟 left (2026-11-10)");
	ck_assert_int_eq(
	    log_refused(zhang, "late", 1, tu_day(2026, 11, 24), NULL, &why),
	    APP_DATE_FUTURE);
	ck_assert_str_eq(app_refusal_text(&why, text, sizeof(text)),
	                 "2026-11-24 is after today (2026-11-23)");
	ck_assert_uint_eq(event_count(), 0);
	/* The edges are allowed. */
	struct app_log first = {zhang, "late", 1, tu_day(2026, 3, 10),
	                        NULL,  false};
	struct app_log last = {zhang, "late", 1440, tu_day(2026, 11, 10),
	                       NULL,  false};
	ck_assert(app_log(&app, &first, NULL, &why));
	ck_assert(app_log(&app, &last, NULL, &why));
	ck_assert_uint_eq(event_count(), 2);
}
END_TEST

/* Every write into a closed month is refused with the same words (moved
 * from check-store.c: the store no longer checks it). */
START_TEST(closed_month_refuses_every_write)
{
	struct app_refusal why;
	char text[256], name[64];
	const char *words = "2026-10 is closed; reopen it before changing its "
	                    "entries";
	int64_t zhang = add_agent("张伟", tu_day(2026, 1, 5));
	int64_t e1 = log_one(zhang, "late", tu_day(2026, 10, 3), NULL);
	int64_t e2 = log_one(zhang, "praise", tu_day(2026, 10, 5), NULL);
	ck_assert(app_appeal(&app, e2, "不是我", &why));
	ck_assert(app_month_close(&app, 2026 * 12 + 9, true, NULL, &why));

#define CLOSED(call)                                                           \
	do {                                                                   \
		ck_assert(!(call));                                            \
		ck_assert_int_eq(why.code, APP_MONTH_CLOSED);                  \
		ck_assert_str_eq(app_refusal_text(&why, text, sizeof(text)),   \
		                 words);                                       \
	} while (0)
	struct app_log late = {zhang, "late", 1, tu_day(2026, 10, 31),
	                       NULL,  false};
	CLOSED(app_log(&app, &late, NULL, &why));
	CLOSED(app_void(&app, e1, "oops", &why));
	CLOSED(app_appeal(&app, e1, "x", &why));
	CLOSED(app_settle(&app, e2, STORE_APPEAL_VOID, "x", &why));
	CLOSED(app_month_set_sales(&app, 2026 * 12 + 9, 100, &why));
	struct app_kpi_import kpi;
	CLOSED(app_kpi_import(&app, tu_day(2026, 11, 15), "x", 1, NULL,
	                      2026 * 12 + 9, "x.csv", "x.csv", &kpi, &why));
	app_kpi_import_finish(&kpi);
	int64_t fen;
	size_t count;
	CLOSED(app_kpi_target_agent(&app, tu_day(2026, 11, 15), "张伟", "1",
	                            "AMOUNT", 2026 * 12 + 9, &fen, name,
	                            sizeof(name), &why));
	CLOSED(app_kpi_target_tier(&app, tu_day(2026, 11, 15), "junior", "1",
	                           "AMOUNT", 2026 * 12 + 9, &count, &fen,
	                           &why));
#undef CLOSED
	ck_assert(app_log_allowed(&app, zhang, tu_day(2026, 11, 1), &why));
	log_one(zhang, "late", tu_day(2026, 11, 1), NULL);
	ck_assert_uint_eq(event_count(), 3);
}
END_TEST

/* ---- events import: each entry checked by the rules of log ---- */

/* The import's problems, one "LINE: text" a line. */
static char *problem_lines(const struct events_import *imp)
{
	size_t size = 1;
	for (size_t i = 0; i < imp->problem_count; i++)
		size += strlen(imp->problems[i].text) + 16;
	char *out = calloc(1, size);
	ck_assert_ptr_nonnull(out);
	for (size_t i = 0; i < imp->problem_count; i++)
		snprintf(out + strlen(out), size - strlen(out), "%d: %s\n",
		         (int)imp->problems[i].line, imp->problems[i].text);
	return out;
}

START_TEST(events_import_rules)
{
	struct app_refusal why;
	struct app_events_import out;
	int64_t zhang = add_agent("张伟", tu_day(2026, 3, 2));
	int64_t wang = add_agent("老王", tu_day(2026, 1, 5));
	struct store_agent_edit edit = {.set_left = true,
	                                .left = tu_day(2026, 9, 15)};
	char text[512];
	ck_assert(app_agent_edit(&app, wang, &edit, &why));
	ck_assert(app_month_close(&app, 2026 * 12 + 8, false, NULL, &why));
	static const char bad[] = "date,agent,category,quantity,note\n"
	                          "2026-09-30,张伟,praise,,\n"
	                          "2026-10-07,老王,praise,,\n"
	                          "2026-11-16,张伟,praise,,\n"
	                          "2026-10-07,张伟,praise,1441,\n"
	                          "2026-10-07,张伟,praise,,\"a\x01"
	                          "b\"\n"
	                          "2026-10-07,张伟,late,,\n"
	                          "2026-10-07,张伟,complaint,1,\n"
	                          "2026-10-07,张伟,nap,1,\n"
	                          "2026-02-30,张伟,praise,,\n";
	ck_assert(!app_events_import(&app, bad, strlen(bad), NULL, "bad.csv",
	                             "bad.csv", false, &out, &why));
	ck_assert_int_eq(why.code, APP_IMPORT_PROBLEMS);
	char *got = problem_lines(&out.imp);
	ck_assert_str_eq(
	    got,
	    "2: date: 2026-09 is closed; reopen it before changing its "
	    "entries\n"
	    "3: date: 2026-10-07 is after 老王 left (2026-09-15)\n"
	    "4: date: 2026-11-16 is after today (2026-11-15)\n"
	    "5: quantity: the quantity '1441' is not a whole number from 1 to "
	    "1440\n"
	    "6: note: U+0001 (START OF HEADING) at character 2 is not "
	    "allowed\n"
	    "7: quantity: late (迟到/早退) counts minutes: give them\n"
	    "8: note: complaint (服务态度投诉(已核实)) needs a note, such as "
	    "the order number\n"
	    "9: category: unknown category 'nap' (the rulebook's categories: "
	    "late, absent, unreplied, curt, mistake, complaint, quarrel, "
	    "offpost, overpromise, shirk, unchased, praise, extra, cover)\n"
	    "10: date: '2026-02-30' is not a date (YYYY-MM-DD, a day that "
	    "exists)\n");
	free(got);
	ck_assert_str_eq(app_refusal_text(&why, text, sizeof(text)),
	                 "bad.csv: 9 problem(s); nothing imported");
	ck_assert_uint_eq(out.imp.entry_count, 0);
	app_events_import_finish(&out);
	ck_assert_uint_eq(event_count(), 0);

	/* A right file imports once; the same again is refused. */
	static const char good[] = "date,agent,category,quantity,note\n"
	                           "2026-10-07,张伟,迟到/早退,12,\n"
	                           "2026-11-02,张伟,praise,,\n";
	ck_assert_msg(app_events_import(&app, good, strlen(good), NULL,
	                                "good.csv", "good.csv", false, &out,
	                                &why),
	              "%s", app_code_name(why.code));
	ck_assert_uint_eq(out.imp.entry_count, 2);
	app_events_import_finish(&out);
	ck_assert_uint_eq(event_count(), 2);
	ck_assert(!app_events_import(&app, good, strlen(good), NULL, "good.csv",
	                             "good.csv", false, &out, &why));
	ck_assert_int_eq(why.code, APP_IMPORT_TWICE);
	app_events_import_finish(&out);
	ck_assert(app_events_import(&app, good, strlen(good), NULL, "good.csv",
	                            "good.csv", true, &out, &why));
	app_events_import_finish(&out);
	ck_assert_uint_eq(event_count(), 4);
	(void)zhang;
}
END_TEST

/* ---- the message table ---- */

START_TEST(every_code_has_words)
{
	struct app_refusal why = {0};
	char text[512];
	for (int c = APP_FAILED; c <= APP_RULEBOOK_BAD; c++) {
		why.code = (enum app_code)c;
		app_refusal_text(&why, text, sizeof(text));
		ck_assert_msg(text[0] != '\0' || c == APP_FAILED, "%s",
		              app_code_name(why.code));
		ck_assert_ptr_null(strchr(text, '{'));
		ck_assert_int_ne(app_refusal_exit(&why), 0);
	}
	/* Echoed text never carries a raw control character. */
	memset(&why, 0, sizeof(why));
	why.code = APP_AGENT_UNKNOWN;
	snprintf(why.text, sizeof(why.text), "a\x1b]0;x\x07");
	app_refusal_text(&why, text, sizeof(text));
	ck_assert_ptr_null(strchr(text, 0x1b));
	ck_assert_ptr_null(strchr(text, 0x07));
	ck_assert_str_eq(app_code_name(APP_MONTH_CLOSED), "APP_MONTH_CLOSED");
}
END_TEST

static Suite *app_suite(void)
{
	Suite *s = suite_create("app");
	TCase *tc = tcase_create("use cases");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, log_rules);
	tcase_add_test(tc, log_after_leaving_and_closed_month);
	tcase_add_test(tc, void_appeal_settle);
	tcase_add_test(tc, agent_add_rules);
	tcase_add_test(tc, agent_edit_rules);
	tcase_add_test(tc, month_close_reopen);
	tcase_add_test(tc, rulebook_reload_swaps_only_a_valid_one);
	tcase_add_test(tc, demo_fills_once);
	tcase_add_test(tc, writer_refuses_the_database);
	tcase_add_test(tc, writer_refuses_special_files);
	tcase_add_test(tc, writer_mode_symlink_and_failures);
	tcase_add_test(tc, month_rules_in_words);
	tcase_add_test(tc, log_day_rules_at_the_edges);
	tcase_add_test(tc, closed_month_refuses_every_write);
	tcase_add_test(tc, events_import_rules);
	tcase_add_test(tc, every_code_has_words);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(app_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
