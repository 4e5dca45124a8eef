/* The rulebook's lookups and life cycle (src/core/rulebook.c), on the
 * shipped config/kpidesk.ini: categories by key and by hotkey, tiers by
 * key, metric names. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "kpidesk/config.h"
#include "kpidesk/rulebook.h"
#include "testutil.h"

#define DEFAULT_INI KPIDESK_CONFIG_DIR "/kpidesk.ini"

static struct rulebook *load_shipped(void)
{
	struct rulebook *rb = NULL;
	struct config_errors errors = {0};
	ck_assert_int_eq(config_load_file(DEFAULT_INI, &rb, &errors), KD_OK);
	ck_assert_uint_eq(errors.count, 0);
	config_errors_finish(&errors);
	ck_assert_ptr_nonnull(rb);
	return rb;
}

START_TEST(rulebook_lookups)
{
	struct rulebook *rb = load_shipped();
	ck_assert_int_eq(rulebook_category_index(rb, "late"), 0);
	ck_assert_int_eq(rulebook_category_index(rb, "cover"), 13);
	ck_assert_int_eq(rulebook_category_index(rb, "nope"), -1);
	ck_assert_int_eq(rulebook_category_index(rb, NULL), -1);
	ck_assert_ptr_eq(rulebook_category(rb, "complaint"),
	                 &rb->categories[5]);
	ck_assert_ptr_null(rulebook_category(rb, "Complaint"));
	ck_assert_ptr_eq(rulebook_category_by_hotkey(rb, 'c'),
	                 &rb->categories[5]);
	ck_assert_ptr_eq(rulebook_category_by_hotkey(rb, 'Q'),
	                 &rb->categories[6]);
	ck_assert_ptr_null(rulebook_category_by_hotkey(rb, 'q'));
	ck_assert_ptr_null(rulebook_category_by_hotkey(rb, '\0'));
	ck_assert_int_eq(rulebook_tier_index(rb, "junior"), 0);
	ck_assert_int_eq(rulebook_tier_index(rb, "expert"), 3);
	ck_assert_int_eq(rulebook_tier_index(rb, "boss"), -1);
	rulebook_destroy(rb);

	ck_assert_str_eq(rb_metric_name(RB_METRIC_SALES_PCT), "sales_pct");
	ck_assert_str_eq(rb_metric_name(RB_METRIC_CONVERSION), "conversion");
	ck_assert_str_eq(rb_metric_name(RB_METRIC_RESPONSE_S), "response_s");
	ck_assert_str_eq(rb_metric_name(RB_METRIC_AOV_PCT), "aov_pct");
	ck_assert_str_eq(rb_metric_name(RB_METRIC_REPLY_RATE), "reply_rate");
	ck_assert_ptr_null(rb_metric_name(RB_METRIC_COUNT));

	struct rulebook *empty = rulebook_create();
	ck_assert_ptr_nonnull(empty);
	ck_assert_uint_eq(empty->category_count, 0);
	ck_assert_ptr_null(rulebook_category(empty, "late"));
	ck_assert_ptr_null(rulebook_category_by_hotkey(empty, 'l'));
	ck_assert_int_eq(rulebook_tier_index(empty, "junior"), -1);
	rulebook_destroy(empty);
	rulebook_destroy(NULL);
	config_errors_finish(NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rulebook");
	TCase *tc = tcase_create("lookups");
	tcase_add_test(tc, rulebook_lookups);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
