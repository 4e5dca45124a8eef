#include <check.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "kpidesk/text.h"

START_TEST(widths)
{
	ck_assert_uint_eq(text_width("abc"), 3);
	ck_assert_uint_eq(text_width("张伟"), 4);
	ck_assert_uint_eq(text_width("欧阳娜娜"), 8);
	ck_assert_uint_eq(text_width("李娜A"), 5);
	ck_assert_uint_eq(text_width("😀"), 2);
	ck_assert_uint_eq(text_width("ｗ"), 2);        /* fullwidth w */
	ck_assert_uint_eq(text_width("e\xcc\x81"), 1); /* e + combining acute */
	ck_assert_uint_eq(text_width("a\xff"
	                             "b"),
	                  3); /* invalid byte: one cell */
	ck_assert_uint_eq(text_width(""), 0);
}
END_TEST

START_TEST(fit_on_character_boundary)
{
	size_t used;
	/* 欧阳娜娜 in 5 cells: two characters (4 cells), never half of one. */
	ck_assert_uint_eq(text_fit("欧阳娜娜", 5, &used), 6);
	ck_assert_uint_eq(used, 4);
	ck_assert_uint_eq(text_fit("欧阳娜娜", 8, &used), 12);
	ck_assert_uint_eq(used, 8);
	ck_assert_uint_eq(text_fit("a😀b", 2, &used), 1);
	ck_assert_uint_eq(used, 1);
	ck_assert_uint_eq(text_fit("a😀b", 3, &used), 5);
	ck_assert_uint_eq(used, 3);
	ck_assert_uint_eq(text_fit("张", 1, &used), 0);
	ck_assert_uint_eq(used, 0);
}
END_TEST

START_TEST(pad_aligns_in_cells)
{
	char buf[64] = "";
	text_pad(buf, sizeof buf, "张伟", 6, false);
	ck_assert_str_eq(buf, "张伟  ");
	buf[0] = '\0';
	text_pad(buf, sizeof buf, "欧阳娜娜", 6, false);
	ck_assert_str_eq(buf, "欧阳娜");
	buf[0] = '\0';
	text_pad(buf, sizeof buf, "欧阳娜娜", 7, false);
	ck_assert_str_eq(buf, "欧阳娜 ");
	buf[0] = '\0';
	text_pad(buf, sizeof buf, "80", 5, true);
	ck_assert_str_eq(buf, "   80");
	text_pad(buf, sizeof buf, "😀", 3, false);
	ck_assert_str_eq(buf, "   80😀 ");
	ck_assert_uint_eq(text_width(buf), 8);
	char tiny[4] = "";
	ck_assert_uint_eq(text_pad(tiny, sizeof tiny, "张伟", 4, false), 0);
	ck_assert_str_eq(tiny, "");
}
END_TEST

START_TEST(utf8_validation)
{
	const char ok[] = "张伟 abc 😀 \xef\xbf\xbd";
	ck_assert(text_is_utf8(ok, strlen(ok)));
	ck_assert(!text_is_utf8("\xff", 1));
	ck_assert(!text_is_utf8("\xc0\xaf", 2));         /* overlong '/' */
	ck_assert(!text_is_utf8("\xed\xa0\x80", 3));     /* surrogate */
	ck_assert(!text_is_utf8("\xe5\xbc", 2));         /* truncated */
	ck_assert(!text_is_utf8("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	ck_assert(!text_is_utf8("\xd5\xc5\xce\xb0", 4)); /* 张伟 in GBK */
	ck_assert(text_is_blank("  \t"));
	ck_assert(text_is_blank(""));
	ck_assert(!text_is_blank(" 张 "));
}
END_TEST

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("text");
	tcase_add_test(tc, widths);
	tcase_add_test(tc, fit_on_character_boundary);
	tcase_add_test(tc, pad_aligns_in_cells);
	tcase_add_test(tc, utf8_validation);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
