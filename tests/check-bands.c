#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "kpidesk/bands.h"

static int64_t eval_int(const char *text, int64_t value)
{
	struct band_list list;
	struct band_error err;
	ck_assert_msg(band_list_parse(text, false, &list, &err), "%s: %s", text,
	              err.reason);
	int64_t r = band_list_match_int(&list, value)->result_h;
	band_list_finish(&list);
	return r;
}

START_TEST(late_bands)
{
	const char *late = "<=15:-1, <=30:-2, *:-5";
	ck_assert_int_eq(eval_int(late, 1), -100);
	ck_assert_int_eq(eval_int(late, 15), -100);
	ck_assert_int_eq(eval_int(late, 16), -200);
	ck_assert_int_eq(eval_int(late, 30), -200);
	ck_assert_int_eq(eval_int(late, 31), -500);
	ck_assert_int_eq(eval_int(late, 1440), -500);
}
END_TEST

START_TEST(spaces_and_ops)
{
	const char *l = " >= 100 : 100 ,>98:98.5, <30 :60,*: 0 ";
	ck_assert_int_eq(eval_int(l, 100), 10000);
	ck_assert_int_eq(eval_int(l, 99), 9850);
	ck_assert_int_eq(eval_int(l, 98), 0);
	ck_assert_int_eq(eval_int(l, 29), 6000);
	ck_assert_int_eq(eval_int("*:7", -5), 700);
}
END_TEST

START_TEST(grades_words_exact)
{
	struct band_list g;
	struct band_error err;
	ck_assert(band_list_parse(">90:A, >=80:B, >=70:C, >=65:D, >=60:E, *:F",
	                          true, &g, &err));
	ck_assert_int_eq(g.count, 6);
	ck_assert_str_eq(band_list_match_h(&g, 9001)->result_word, "A");
	ck_assert_str_eq(band_list_match_h(&g, 9000)->result_word, "B");
	ck_assert_str_eq(band_list_match_h(&g, 8000)->result_word, "B");
	ck_assert_str_eq(band_list_match_h(&g, 7999)->result_word, "C");
	ck_assert_str_eq(band_list_match_h(&g, 6500)->result_word, "D");
	ck_assert_str_eq(band_list_match_h(&g, 6000)->result_word, "E");
	ck_assert_str_eq(band_list_match_h(&g, 5999)->result_word, "F");
	struct band_list cn;
	ck_assert(band_list_parse(">=90:优, >=80:良, *:差", true, &cn, &err));
	ck_assert_str_eq(band_list_match_h(&cn, 8500)->result_word, "良");
	band_list_finish(&cn);
	/* exact comparison of a fraction: 97.999 is below 98 */
	struct band_list s;
	ck_assert(band_list_parse(">=100:100, >=98:98, *:0", false, &s, &err));
	ck_assert_int_eq(band_list_match(&s, 97999, 1000)->result_h, 0);
	ck_assert_int_eq(band_list_match(&s, 98, 1)->result_h, 9800);
	struct band_list copy;
	ck_assert(band_list_copy(&copy, &s));
	ck_assert_int_eq(copy.count, 3);
	ck_assert_int_eq(band_list_match(&copy, 100, 1)->result_h, 10000);
	band_list_finish(&copy);
	band_list_finish(&s);
	band_list_finish(&g);
}
END_TEST

static void expect_error(const char *text, bool words, size_t position,
                         const char *entry, const char *reason)
{
	struct band_list list;
	struct band_error err;
	ck_assert_msg(!band_list_parse(text, words, &list, &err), "parsed %s",
	              text);
	ck_assert_int_eq(list.count, 0);
	ck_assert_ptr_null(list.bands);
	ck_assert_uint_eq(err.position, position);
	ck_assert_str_eq(err.text, entry);
	ck_assert_str_eq(err.reason, reason);
}

START_TEST(errors_name_position_and_text)
{
	expect_error(">=100:100, >=98:98", false, 2, "",
	             "the list must end with '*:RESULT' (otherwise)");
	expect_error(">=100:100, =98:98, *:0", false, 2, "=98:98",
	             "expected >, >=, <, <= or * at the start");
	expect_error(">=100 100, *:0", false, 1, ">=100 100",
	             "missing ':' between the threshold and the result");
	expect_error(">=abc:1, *:0", false, 1, ">=abc:1",
	             "the threshold is not a number (at most 2 decimals)");
	expect_error(">=1:x, *:0", false, 1, ">=1:x",
	             "the result is not a number (at most 2 decimals)");
	expect_error(">=1:1,, *:0", false, 2, "", "empty entry");
	expect_error("*:0, >=1:1", false, 2, ">=1:1",
	             "entries after '*' are never reached");
	expect_error(">90:A/B, *:F", true, 1, ">90:A/B",
	             "the result must be a word (letters, digits, _ + -, "
	             "Chinese)");
	expect_error(">90:\xe4\xbc, *:F", true, 1, ">90:\xe4\xbc",
	             "the result is not valid UTF-8 text");
	expect_error(">90:优秀优秀优秀, *:F", true, 1, ">90:优秀优秀优秀",
	             "the result word is longer than 15 bytes");
	expect_error(">90:A, *:", true, 2, "*:", "missing result after ':'");
	expect_error("", false, 1, "", "empty entry");
	expect_error(">=1.001:1, *:0", false, 1, ">=1.001:1",
	             "the threshold is not a number (at most 2 decimals)");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bands");
	TCase *tc = tcase_create("bands");
	tcase_add_test(tc, late_bands);
	tcase_add_test(tc, spaces_and_ops);
	tcase_add_test(tc, grades_words_exact);
	tcase_add_test(tc, errors_name_position_and_text);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
