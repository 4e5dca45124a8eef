#include <check.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "kpidesk/csv.h"
#include "kpidesk/json.h"
#include "kpidesk/report.h"
#include "kpidesk/text.h"

struct capture {
	FILE *out;
	char *buf;
	size_t size;
};

static void capture_begin(struct capture *c)
{
	c->buf = NULL;
	c->out = open_memstream(&c->buf, &c->size);
	ck_assert_ptr_nonnull(c->out);
}

static char *capture_end(struct capture *c)
{
	fclose(c->out);
	return c->buf;
}

START_TEST(formats_parse)
{
	enum report_format f;
	ck_assert(report_format_parse("table", &f) && f == REPORT_TABLE);
	ck_assert(report_format_parse("csv", &f) && f == REPORT_CSV);
	ck_assert(report_format_parse("json", &f) && f == REPORT_JSON);
	ck_assert(!report_format_parse("xml", &f));
	ck_assert(!report_format_parse("JSON", &f));
	ck_assert(!report_format_parse("", &f));
}
END_TEST

static struct report_table *sample_table(void)
{
	static const char *const headers[] = {"rank", "name", "score"};
	struct report_table *t = report_table_create(3, headers);
	ck_assert_ptr_nonnull(t);
	report_table_align_right(t, 0);
	report_table_align_right(t, 2);
	const char *r1[] = {"1", "李娜", "96.50"};
	const char *r2[] = {"2", "欧阳娜娜", "91.00"};
	const char *r3[] = {"10", "Zoe😀", "7.00"};
	ck_assert_int_eq(report_table_add_row(t, r1), KD_OK);
	ck_assert_int_eq(report_table_add_row(t, r2), KD_OK);
	ck_assert_int_eq(report_table_add_row(t, r3), KD_OK);
	return t;
}

START_TEST(table_aligns_chinese_in_cells)
{
	struct report_table *t = sample_table();
	struct capture c;
	capture_begin(&c);
	ck_assert_int_eq(report_table_write_text(t, c.out), KD_OK);
	char *text = capture_end(&c);
	ck_assert_str_eq(text, "rank  name      score\n"
	                       "   1  李娜      96.50\n"
	                       "   2  欧阳娜娜  91.00\n"
	                       "  10  Zoe😀      7.00\n");
	/* every line is as wide as the header, in cells */
	char *line = strtok(text, "\n");
	while (line) {
		ck_assert_uint_eq(text_width(line), 21);
		line = strtok(NULL, "\n");
	}
	free(text);
	report_table_destroy(t);
}
END_TEST

START_TEST(csv_is_rfc4180)
{
	static const char *const headers[] = {"name", "note"};
	struct report_table *t = report_table_create(2, headers);
	const char *r1[] = {"张伟", "订单 123, 已核实"};
	const char *r2[] = {"李娜", "说 \"亲\" 太多"};
	const char *r3[] = {"王芳", NULL};
	report_table_add_row(t, r1);
	report_table_add_row(t, r2);
	report_table_add_row(t, r3);
	struct capture c;
	capture_begin(&c);
	ck_assert_int_eq(report_table_write_csv(t, c.out), KD_OK);
	char *text = capture_end(&c);
	ck_assert_str_eq(text, "name,note\r\n"
	                       "张伟,\"订单 123, 已核实\"\r\n"
	                       "李娜,\"说 \"\"亲\"\" 太多\"\r\n"
	                       "王芳,\r\n");
	free(text);
	report_table_destroy(t);
}
END_TEST

START_TEST(csv_text_never_a_formula)
{
	static const char *const headers[] = {"id", "name", "amount"};
	struct report_table *t = report_table_create(3, headers);
	const char *rows[][3] = {
	    {"1", "=HYPERLINK(\"http://x\",\"y\")", "-120.00"},
	    {"2", "+86 138", "0.50"},
	    {"3", "-2+3", "-5"},
	    {"4", "@SUM(A1)", "12"},
	    {"5", "\tcalc", "1.2.3"},
	    {"6", "\r=cmd|' /C calc'!A0", "-"},
	    {"7", "张=伟 -1", "=1+1"},
	};
	struct capture c;

	report_table_numeric(t, 0);
	report_table_numeric(t, 2);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		ck_assert_int_eq(report_table_add_row(t, rows[i]), KD_OK);
	capture_begin(&c);
	ck_assert_int_eq(report_table_write_csv(t, c.out), KD_OK);
	char *text = capture_end(&c);
	/* Numbers, negative ones too, stay numbers; a "number" column cell
	 * that is not a number is text like any other. */
	ck_assert_str_eq(text, "id,name,amount\r\n"
	                       "1,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","
	                       "-120.00\r\n"
	                       "2,'+86 138,0.50\r\n"
	                       "3,'-2+3,-5\r\n"
	                       "4,'@SUM(A1),12\r\n"
	                       "5,'\tcalc,1.2.3\r\n"
	                       "6,\"'\r=cmd|' /C calc'!A0\",'-\r\n"
	                       "7,张=伟 -1,'=1+1\r\n");
	free(text);
	report_table_destroy(t);
	ck_assert(csv_is_number("0") && csv_is_number("-0.50") &&
	          csv_is_number("1500.00"));
	ck_assert(!csv_is_number("") && !csv_is_number("-") &&
	          !csv_is_number("1.") && !csv_is_number(".5") &&
	          !csv_is_number("1e3") && !csv_is_number("+1"));
}
END_TEST

START_TEST(csv_bom)
{
	struct capture c;

	capture_begin(&c);
	ck_assert(csv_write_bom(c.out));
	char *text = capture_end(&c);
	ck_assert_str_eq(text, "\xEF\xBB\xBF");
	free(text);
}
END_TEST

START_TEST(json_strings_escaped)
{
	struct capture c;
	capture_begin(&c);
	ck_assert(json_write_string(c.out, "张伟 \"亲\"\\\t\n"));
	ck_assert(json_write_string(c.out, NULL));
	ck_assert(json_write_string(c.out, "\x01\b\f\r\x1f\x7f/</script>"));
	char *text = capture_end(&c);
	/* RFC 8259: quote, backslash and U+0000..U+001F escaped (the short
	 * forms where there is one), everything else as it is. */
	ck_assert_str_eq(text, "\"张伟 \\\"亲\\\"\\\\\\t\\n\"null"
	                       "\"\\u0001\\b\\f\\r\\u001f\x7f/</script>\"");
	free(text);
}
END_TEST

START_TEST(json_numbers_from_fixed_point)
{
	struct capture c;
	capture_begin(&c);
	ck_assert(json_write_fixed(c.out, 150000, 2, 2));
	fputc(' ', c.out);
	ck_assert(json_write_fixed(c.out, -50, 2, 2));
	fputc(' ', c.out);
	ck_assert(json_write_fixed_trim(c.out, 9650, 2, 2));
	fputc(' ', c.out);
	ck_assert(json_write_fixed_trim(c.out, -8000, 2, 2));
	fputc(' ', c.out);
	ck_assert(json_write_int(c.out, INT64_MIN));
	fputc(' ', c.out);
	ck_assert(json_write_bool(c.out, false));
	char *text = capture_end(&c);
	ck_assert_str_eq(text, "1500.00 -0.50 96.5 -80 -9223372036854775808 "
	                       "false");
	free(text);
}
END_TEST

START_TEST(flags_text)
{
	char buf[128];
	report_flags_text(SCORE_FLAG_PROMOTE | SCORE_FLAG_NO_BONUS, buf,
	                  sizeof(buf));
	ck_assert_str_eq(buf, "no_bonus,promote");
	report_flags_text(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
	report_flags_text(SCORE_FLAG_DISMISS_REVIEW | SCORE_FLAG_NO_KPI |
	                      SCORE_FLAG_PROBATION | SCORE_FLAG_DEMOTE,
	                  buf, sizeof(buf));
	ck_assert_str_eq(buf, "probation,demote,dismiss_review,no_kpi");
}
END_TEST

/* A one-agent board built by hand, printed as PRODUCT.md's JSON. */
START_TEST(score_json_shape)
{
	static char praise[] = "点名表扬", late[] = "迟到/早退",
	            junior[] = "初级客服", mid[] = "中级客服",
	            team[] = "售前一组";
	struct rulebook rb = {0};
	struct rb_category cats[2] = {0};
	strcpy(cats[0].key, "praise");
	cats[0].label = praise;
	strcpy(cats[1].key, "late");
	cats[1].label = late;
	rb.categories = cats;
	rb.category_count = 2;
	struct rb_tier tiers[2] = {0};
	strcpy(tiers[0].key, "junior");
	tiers[0].label = junior;
	strcpy(tiers[1].key, "intermediate");
	tiers[1].label = mid;
	rb.tiers = tiers;
	rb.tier_count = 2;
	rb.team_name = team;

	struct score_agent agent = {.id = 3, .name = "李娜"};
	struct score_category_result cres[2] = {{4, 800, 0, false},
	                                        {1, -100, 0, false}};
	cres[0].total_cp = 400;
	struct score_agent_result ar = {0};
	ar.agent = &agent;
	ar.tier_index = 1;
	ar.categories = cres;
	ar.base_cp = 8000;
	ar.score_cp = 9650;
	strcpy(ar.grade, "A");
	ar.rank = 1;
	ar.pay_adjust_fen = 16500;
	ar.pool_share_fen = 60000;
	ar.award_fen = 20000;
	ar.streak_award_fen = 5000;
	ar.flags = SCORE_FLAG_PROMOTE;
	struct score_month_result res = {0};
	res.month = 2026 * 12 + 10;
	res.category_count = 2;
	res.agent_count = 1;
	res.agents = &ar;
	res.has_silent_sales = true;
	res.silent_sales_fen = 25000000;
	res.pool_fen = 150000;

	struct capture c;
	capture_begin(&c);
	ck_assert_int_eq(report_score(c.out, REPORT_JSON, &rb, &res, false),
	                 KD_OK);
	char *text = capture_end(&c);
	ck_assert_str_eq(
	    text,
	    "{\"month\": \"2026-11\", \"closed\": false,\n"
	    " \"pool\": {\"silent_sales\": 250000.00, \"pool\": 1500.00, "
	    "\"undistributed\": 0.00},\n"
	    " \"agents\": [\n"
	    "  {\"id\": 3, \"name\": \"李娜\", \"tier\": \"intermediate\", "
	    "\"rank\": 1, \"score\": 96.5, \"grade\": \"A\", \"base\": 80, "
	    "\"kpi\": null, \"combo\": 0, \"categories\": {\"praise\": 4, "
	    "\"late\": -1}, \"pay_adjust\": 165.00, \"pool_share\": 600.00, "
	    "\"award\": 200.00,\n"
	    "   \"streak_award\": 50.00, \"attendance_award\": 0.00, "
	    "\"fines\": 0.00, \"flags\": [\"promote\"]}]}\n");
	free(text);

	capture_begin(&c);
	ck_assert_int_eq(report_score(c.out, REPORT_CSV, &rb, &res, false),
	                 KD_OK);
	text = capture_end(&c);
	ck_assert_str_eq(text,
	                 "rank,id,name,tier,score,grade,base,combo,pay,"
	                 "pool_share,award,streak,attendance,fines,flags\r\n"
	                 "1,3,李娜,intermediate,96.50,A,80.00,0.00,165.00,"
	                 "600.00,200.00,50.00,0.00,0.00,promote\r\n");
	free(text);
}
END_TEST

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");
	tcase_add_test(tc, formats_parse);
	tcase_add_test(tc, table_aligns_chinese_in_cells);
	tcase_add_test(tc, csv_is_rfc4180);
	tcase_add_test(tc, csv_text_never_a_formula);
	tcase_add_test(tc, csv_bom);
	tcase_add_test(tc, json_strings_escaped);
	tcase_add_test(tc, json_numbers_from_fixed_point);
	tcase_add_test(tc, flags_text);
	tcase_add_test(tc, score_json_shape);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
