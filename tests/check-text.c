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

/* Characters that hide what a name or note says: found with their
 * position in characters, named, and never printed raw. */
START_TEST(hidden_characters)
{
	uint32_t cp = 0;
	size_t pos = 0;
	ck_assert(!text_find_hidden("张伟 abc 😀", &cp, &pos));
	ck_assert(text_find_hidden("张伟\xe2\x80\xae"
	                           "x",
	                           &cp, &pos));
	ck_assert_uint_eq(cp, 0x202E);
	ck_assert_uint_eq(pos, 3);
	ck_assert(text_find_hidden("a\tb", &cp, &pos));
	ck_assert_uint_eq(cp, 9);
	ck_assert_uint_eq(pos, 2);
	static const uint32_t hidden[] = {
	    0x00,   0x1F,   0x7F,   0x80,   0x85,   0x9F,   0x200B,
	    0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A,
	    0x202E, 0x2060, 0x2066, 0x2069, 0xFEFF};
	for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
		ck_assert_msg(text_char_is_hidden(hidden[i]), "U+%04X",
		              (unsigned)hidden[i]);
	static const uint32_t shown[] = {0x20,   0x7E,   0xA0,   0x4E00,
	                                 0x200A, 0x2010, 0x202F, 0x206A,
	                                 0xFEFE, 0x1F600};
	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
		ck_assert_msg(!text_char_is_hidden(shown[i]), "U+%04X",
		              (unsigned)shown[i]);
	ck_assert_str_eq(text_char_name(0x202E), "RIGHT-TO-LEFT OVERRIDE");
	ck_assert_str_eq(text_char_name(0x0A), "LINE FEED");
	ck_assert_str_eq(text_char_name(0x9B), "CONTROL SEQUENCE INTRODUCER");
	ck_assert_str_eq(text_char_name(0x7F), "DELETE");
	ck_assert_ptr_null(text_char_name(0x4E00));
}
END_TEST

START_TEST(sanitize_and_pad_show_no_controls)
{
	char buf[64];
	ck_assert_str_eq(text_sanitize(buf, sizeof(buf), "a\x1b[31mb"),
	                 "a\xef\xbf\xbd[31mb");
	ck_assert_str_eq(text_sanitize(buf, sizeof(buf), "\xe2\x80\xae张\xff"),
	                 "\xef\xbf\xbd张\xef\xbf\xbd");
	ck_assert_str_eq(text_sanitize(buf, 4, "张伟"), "张");
	buf[0] = '\0';
	/* A stored name with an escape: one U+FFFD cell, padded to 6. */
	text_pad(buf, sizeof(buf), "张\x1b伟", 6, false);
	ck_assert_str_eq(buf, "张\xef\xbf\xbd伟 ");
	buf[0] = '\0';
	text_pad(buf, sizeof(buf), "a\xc2\x85", 3, true);
	ck_assert_str_eq(buf, " a\xef\xbf\xbd");
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
	tcase_add_test(tc, hidden_characters);
	tcase_add_test(tc, sanitize_and_pad_show_no_controls);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
