#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "kpidesk/fixed.h"

START_TEST(parse_scaled)
{
	int64_t v = 0;
	ck_assert(fixed_parse("-0.5", 2, &v));
	ck_assert_int_eq(v, -50);
	ck_assert(fixed_parse(" 10 ", 2, &v));
	ck_assert_int_eq(v, 1000);
	ck_assert(fixed_parse("+2", 2, &v));
	ck_assert_int_eq(v, 200);
	ck_assert(fixed_parse("0.006", 6, &v));
	ck_assert_int_eq(v, 6000);
	ck_assert(fixed_parse(".5", 2, &v));
	ck_assert_int_eq(v, 50);
	ck_assert(fixed_parse("010", 0, &v));
	ck_assert_int_eq(v, 10);
}
END_TEST

START_TEST(parse_refuses)
{
	int64_t v = 42;
	const char *bad[] = {"",      " ",   "-",   "1.",
	                     "1.234", "abc", "1e3", "1,5",
	                     "0x10",  "1 2", "--1", "99999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!fixed_parse(bad[i], 2, &v), "accepted '%s'",
		              bad[i]);
	ck_assert_int_eq(v, 42);
}
END_TEST

START_TEST(parse_int)
{
	int64_t v = 0;
	ck_assert(fixed_parse_int("010", 1, 1440, &v));
	ck_assert_int_eq(v, 10);
	ck_assert(fixed_parse_int("1440", 1, 1440, &v));
	ck_assert_int_eq(v, 1440);
	ck_assert(!fixed_parse_int("1441", 1, 1440, &v));
	ck_assert(!fixed_parse_int("0", 1, 1440, &v));
	ck_assert(!fixed_parse_int("1.5", 1, 1440, &v));
	ck_assert(!fixed_parse_int("3r", 1, 1440, &v));
	ck_assert(!fixed_parse_int("", 1, 1440, &v));
	ck_assert(fixed_parse_int("-3", -5, 5, &v));
	ck_assert_int_eq(v, -3);
}
END_TEST

START_TEST(rounding_half_away_from_zero)
{
	ck_assert_int_eq(fixed_div_round(5, 10), 1);
	ck_assert_int_eq(fixed_div_round(-5, 10), -1);
	ck_assert_int_eq(fixed_div_round(4, 10), 0);
	ck_assert_int_eq(fixed_div_round(-4, 10), 0);
	ck_assert_int_eq(fixed_div_round(15, 10), 2);
	ck_assert_int_eq(fixed_div_round(-25, 10), -3);
	ck_assert_int_eq(fixed_div_round(7, -2), -4);
	ck_assert_int_eq(fixed_muldiv_round(25000000, 6000, 1000000), 150000);
	ck_assert_int_eq(fixed_muldiv_round(-1, 1, 2), -1);
	ck_assert_int_eq(fixed_muldiv_round(1, 1, 3), 0);
	/* Beyond 64 bits in the product, still exact. */
	ck_assert_int_eq(fixed_muldiv_round(INT64_MAX / 2, 4, 8),
	                 INT64_MAX / 4 + 1);
}
END_TEST

START_TEST(ratio_compare_exact)
{
	/* 97.999% is below 98% */
	ck_assert_int_lt(fixed_ratio_cmp(97999, 1000, 9800, 100), 0);
	ck_assert_int_eq(fixed_ratio_cmp(98, 1, 9800, 100), 0);
	ck_assert_int_gt(fixed_ratio_cmp(-1, 3, -1, 2), 0);
	ck_assert_int_lt(fixed_ratio_cmp(-1, 1, 0, 1), 0);
	ck_assert_int_gt(fixed_ratio_cmp(INT64_MAX, 1, INT64_MAX - 1, 1), 0);
	ck_assert_int_lt(
	    fixed_ratio_cmp(INT64_MAX - 1, INT64_MAX, INT64_MAX, INT64_MAX - 1),
	    0);
}
END_TEST

START_TEST(format)
{
	char buf[32];
	ck_assert_str_eq(fixed_format(buf, sizeof buf, -50, 2, 2), "-0.50");
	ck_assert_str_eq(fixed_format(buf, sizeof buf, 7900, 2, 2), "79.00");
	ck_assert_str_eq(fixed_format(buf, sizeof buf, 12345, 4, 2), "1.23");
	ck_assert_str_eq(fixed_format(buf, sizeof buf, 12350, 4, 2), "1.24");
	ck_assert_str_eq(fixed_format(buf, sizeof buf, -12350, 4, 2), "-1.24");
	ck_assert_str_eq(fixed_format(buf, sizeof buf, 5, 0, 0), "5");
	ck_assert_str_eq(fixed_format_trim(buf, sizeof buf, 9650, 2, 2),
	                 "96.5");
	ck_assert_str_eq(fixed_format_trim(buf, sizeof buf, 8000, 2, 2), "80");
	ck_assert_str_eq(fixed_format_trim(buf, sizeof buf, -100, 2, 2), "-1");
	ck_assert_str_eq(fixed_format_trim(buf, sizeof buf, 0, 2, 2), "0");
	ck_assert_str_eq(fixed_format_trim(buf, sizeof buf, -1, 4, 2), "0");
	ck_assert_int_eq(fixed_clamp(120, 0, 110), 110);
	ck_assert_int_eq(fixed_clamp(-3, 0, 110), 0);
	ck_assert_int_eq(fixed_clamp(50, 0, 110), 50);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fixed");
	TCase *tc = tcase_create("fixed");
	tcase_add_test(tc, parse_scaled);
	tcase_add_test(tc, parse_refuses);
	tcase_add_test(tc, parse_int);
	tcase_add_test(tc, rounding_half_away_from_zero);
	tcase_add_test(tc, ratio_compare_exact);
	tcase_add_test(tc, format);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
