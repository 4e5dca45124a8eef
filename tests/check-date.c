#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "kpidesk/date.h"

START_TEST(parse_and_format)
{
	kd_date d;
	char buf[16];
	ck_assert(date_parse("2026-11-23", &d));
	ck_assert_str_eq(date_format(buf, sizeof buf, d), "2026-11-23");
	ck_assert(date_parse("1970-01-01", &d));
	ck_assert_int_eq(d, 0);
	ck_assert(date_parse("2024-02-29", &d));
	ck_assert_str_eq(date_format(buf, sizeof buf, d), "2024-02-29");
	ck_assert(date_parse("2000-03-01", &d));
	ck_assert_int_eq(d, 11017);
}
END_TEST

START_TEST(parse_refuses)
{
	kd_date d = 7;
	const char *bad[] = {"2026-02-30", "2025-02-29",  "2026-13-01",
	                     "2026-00-10", "2026-1-5",    "26-11-23",
	                     "2026/11/23", "2026-11-23x", "",
	                     "2026-11-31", "1899-12-31",  "abcd-ef-gh",
	                     "1900-02-29"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!date_parse(bad[i], &d), "accepted '%s'", bad[i]);
	ck_assert_int_eq(d, 7);
}
END_TEST

START_TEST(months)
{
	kd_month m;
	char buf[16];
	ck_assert(month_parse("2026-11", &m));
	ck_assert_int_eq(month_year(m), 2026);
	ck_assert_int_eq(month_number(m), 11);
	ck_assert_str_eq(month_format(buf, sizeof buf, m + 2), "2027-01");
	ck_assert_str_eq(month_format(buf, sizeof buf, m - 11), "2025-12");
	ck_assert_str_eq(date_format(buf, sizeof buf, month_last_day(m)),
	                 "2026-11-30");
	ck_assert(month_parse("2024-02", &m));
	ck_assert_str_eq(date_format(buf, sizeof buf, month_last_day(m)),
	                 "2024-02-29");
	ck_assert_str_eq(date_format(buf, sizeof buf, month_first_day(m)),
	                 "2024-02-01");
	ck_assert_int_eq(date_month(month_last_day(m)), m);
	ck_assert(!month_parse("2026-13", &m));
	ck_assert(!month_parse("2026-1", &m));
	ck_assert(!month_parse("2026-11-01", &m));
}
END_TEST

START_TEST(weekday_and_roundtrip)
{
	kd_date d;
	ck_assert(date_parse("2026-11-23", &d));
	ck_assert_int_eq(date_weekday(d), 0); /* Monday */
	ck_assert(date_parse("1969-12-31", &d));
	ck_assert_int_eq(date_weekday(d), 2); /* Wednesday */
	for (kd_date x = -50000; x < 50000; x += 7) {
		int y, mo, da;
		kd_date back;
		date_to_ymd(x, &y, &mo, &da);
		if (y < KD_YEAR_MIN)
			continue;
		ck_assert(date_from_ymd(y, mo, da, &back));
		ck_assert_int_eq(back, x);
	}
}
END_TEST

START_TEST(clock_seam)
{
	clock_set_fixed((time_t)1795000000); /* 2026-11-18 in UTC */
	ck_assert_int_eq((long long)clock_now(), 1795000000LL);
	setenv("TZ", "UTC", 1);
	tzset();
	char buf[16];
	ck_assert_str_eq(date_format(buf, sizeof buf, clock_today()),
	                 "2026-11-18");
	clock_set_fixed((time_t)-1);
	ck_assert_int_ne((long long)clock_now(), 1795000000LL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("date");
	TCase *tc = tcase_create("date");
	tcase_add_test(tc, parse_and_format);
	tcase_add_test(tc, parse_refuses);
	tcase_add_test(tc, months);
	tcase_add_test(tc, weekday_and_roundtrip);
	tcase_add_test(tc, clock_seam);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
