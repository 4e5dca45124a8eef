/* KPI metrics: the import parser (kpidesk/import.h) from bytes to rows
 * or problems, and KPI-mode scoring under the shipped profile
 * config/presales-kpi.ini with exact numbers at every band boundary
 * (RULEBOOK.md section 8). No database is involved.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpidesk/config.h"
#include "kpidesk/date.h"
#include "kpidesk/import.h"
#include "kpidesk/rulebook.h"
#include "kpidesk/score.h"
#include "testutil.h"
#include "xlsx_fixture.h"
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#ifndef KPIDESK_CONFIG_DIR
#error "KPIDESK_CONFIG_DIR must name the config directory"
#endif

#define KPI_INI     KPIDESK_CONFIG_DIR "/presales-kpi.ini"
#define DEFAULT_INI KPIDESK_CONFIG_DIR "/kpidesk.ini"
#define DATA_DIR    KPIDESK_CONFIG_DIR "/../data"

#define OCT tu_month(2026, 10)

/* ------------------------------------------------------------------------ */
/* The team the import tests match against */

static struct score_agent team[12];
static size_t team_size;

static void add_member(int64_t id, const char *name, const char *handle,
                       kd_date hired, kd_date left)
{
	struct score_agent *a = &team[team_size++];

	ck_assert_uint_le(team_size, sizeof(team) / sizeof(team[0]));
	memset(a, 0, sizeof(*a));
	a->id = id;
	a->name = name;
	a->handle = handle;
	a->hired = hired;
	a->left = left;
}

static void team_setup(void)
{
	team_size = 0;
	add_member(1, "张伟", "zhangwei", tu_day(2024, 3, 1), KD_DATE_NONE);
	add_member(2, "李娜", "lina", tu_day(2023, 5, 1), KD_DATE_NONE);
	add_member(3, "王芳", "wangfang", tu_day(2024, 7, 1), KD_DATE_NONE);
	add_member(4, "刘洋", "liuyang", tu_day(2026, 8, 15), KD_DATE_NONE);
	add_member(5, "欧阳娜娜", "ouyang", tu_day(2022, 1, 10), KD_DATE_NONE);
	add_member(6, "陈静", "chenjing", tu_day(2025, 2, 1), KD_DATE_NONE);
	add_member(7, "杨磊", "yanglei", tu_day(2025, 6, 1), KD_DATE_NONE);
	add_member(8, "赵敏", "zhaomin", tu_day(2025, 9, 1), KD_DATE_NONE);
	/* not on October's board: hired after it, left before it */
	add_member(9, "新人", "xinren", tu_day(2026, 11, 2), KD_DATE_NONE);
	add_member(10, "老王", "laowang", tu_day(2020, 1, 1),
	           tu_day(2026, 9, 15));
}

static enum kd_status import_text(const struct rulebook *rb, const char *text,
                                  struct kpi_import *imp)
{
	return kpi_import_parse(text, strlen(text), rb, OCT, team, team_size,
	                        imp);
}

/* Every problem as "LINE: text", one per line. */
static char *problems_text(const struct kpi_import *imp)
{
	size_t size = 1;
	char *all;

	for (size_t i = 0; i < imp->problem_count; i++)
		size += strlen(imp->problems[i].text) + 16;
	all = calloc(1, size);
	ck_assert_ptr_nonnull(all);
	for (size_t i = 0; i < imp->problem_count; i++)
		snprintf(all + strlen(all), size - strlen(all), "%d: %s\n",
		         (int)imp->problems[i].line, imp->problems[i].text);
	return all;
}

static void expect_problems(const struct rulebook *rb, const char *text,
                            const char *expected)
{
	struct kpi_import imp;
	char *got;

	ck_assert_int_eq(import_text(rb, text, &imp), KD_ERR_INPUT);
	ck_assert_uint_eq(imp.row_count, 0);
	got = problems_text(&imp);
	ck_assert_str_eq(got, expected);
	free(got);
	kpi_import_finish(&imp);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 20);

	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_ptr_nonnull(buf);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

/* ------------------------------------------------------------------------ */
/* Encodings */

START_TEST(decode_utf8_with_and_without_bom)
{
	struct kpi_message why;
	enum kpi_encoding enc;
	char *text;
	size_t len;

	ck_assert_int_eq(kpi_text_decode("名,a\n", 6, &text, &len, &enc, &why),
	                 KD_OK);
	ck_assert_int_eq(enc, KPI_ENC_UTF8);
	ck_assert_str_eq(text, "名,a\n");
	ck_assert_uint_eq(len, 6);
	free(text);

	ck_assert_int_eq(
	    kpi_text_decode("\xef\xbb\xbf名,a\n", 9, &text, &len, &enc, &why),
	    KD_OK);
	ck_assert_int_eq(enc, KPI_ENC_UTF8_BOM);
	ck_assert_str_eq(text, "名,a\n");
	ck_assert_uint_eq(len, 6);
	ck_assert_str_eq(kpi_encoding_name(enc), "UTF-8 with BOM");
	free(text);

	/* A BOM and then bytes that are not UTF-8: refused, not guessed. */
	ck_assert_int_eq(kpi_text_decode("\xef\xbb\xbf"
	                                 "a\nb\xff\n",
	                                 8, &text, &len, &enc, &why),
	                 KD_ERR_INPUT);
	ck_assert_ptr_null(text);
	ck_assert_int_eq(why.line, 2);
	ck_assert_str_eq(why.text,
	                 "the file starts with a UTF-8 byte-order mark but is "
	                 "not valid UTF-8 here (byte 0xFF); save the sheet as "
	                 "an Excel workbook (.xlsx) or as \"CSV UTF-8\" and "
	                 "import that");
	free(why.text);
}
END_TEST

START_TEST(decode_gb18030)
{
	/* "客服昵称,销售额\r\n张伟,￥1\r\n" as Chinese Excel saves it, and
	 * GB18030's four-byte ¥ (81 30 84 36), which GBK lacks. */
	static const char gb[] = "\xbf\xcd\xb7\xfe\xea\xc7\xb3\xc6,"
	                         "\xcf\xfa\xca\xdb\xb6\xee\r\n"
	                         "\xd5\xc5\xce\xb0,\xa3\xa4"
	                         "1\r\n"
	                         "\x81\x30\x84\x36";
	struct kpi_message why;
	enum kpi_encoding enc;
	char *text;
	size_t len;

	ck_assert_int_eq(
	    kpi_text_decode(gb, sizeof(gb) - 1, &text, &len, &enc, &why),
	    KD_OK);
	ck_assert_int_eq(enc, KPI_ENC_GB18030);
	ck_assert_str_eq(kpi_encoding_name(enc), "GB18030");
	ck_assert_str_eq(text, "客服昵称,销售额\r\n张伟,￥1\r\n¥");
	ck_assert_uint_eq(len, strlen(text));
	free(text);

	/* GB18030's own byte-order mark is dropped like UTF-8's. */
	ck_assert_int_eq(kpi_text_decode("\x84\x31\x95\x33\xd5\xc5", 6, &text,
	                                 &len, &enc, &why),
	                 KD_OK);
	ck_assert_str_eq(text, "张");
	free(text);
}
END_TEST

START_TEST(decode_neither)
{
	struct kpi_message why;
	enum kpi_encoding enc;
	char *text;
	size_t len;

	/* Latin-1 "café" then 0xFF: not UTF-8, and 0xFF starts no GB18030
	 * character. The message says GB18030 was tried, and where. */
	ck_assert_int_eq(
	    kpi_text_decode("name\nx\n\xff", 8, &text, &len, &enc, &why),
	    KD_ERR_INPUT);
	ck_assert_ptr_null(text);
	ck_assert_int_eq(enc, KPI_ENC_GB18030);
	ck_assert_int_eq(why.line, 3);
	ck_assert_str_eq(why.text,
	                 "not UTF-8 text, and not GB18030 either: read as "
	                 "GB18030, byte 0xFF is not part of any character; "
	                 "save the sheet as an Excel workbook (.xlsx) or as "
	                 "\"CSV UTF-8\" and import that");
	free(why.text);

	/* Cut in the middle of a two-byte character. */
	ck_assert_int_eq(
	    kpi_text_decode("a,b\n\xd5", 5, &text, &len, &enc, &why),
	    KD_ERR_INPUT);
	ck_assert_int_eq(why.line, 2);
	ck_assert_str_eq(why.text,
	                 "not UTF-8 text, and read as GB18030 it ends inside a "
	                 "character; save the sheet as an Excel workbook "
	                 "(.xlsx) or as \"CSV UTF-8\" and import that");
	free(why.text);
}
END_TEST

START_TEST(decode_refuses_what_is_not_csv)
{
	static const struct {
		const char *bytes;
		size_t len;
		int32_t line;
		const char *start;
	} cases[] = {
	    {"\xff\xfe"
	     "a\0",
	     4, 0, "UTF-16 text (\"Unicode text\"), not CSV: "},
	    {"\xfe\xff\0a", 4, 0, "UTF-16 text"},
	    {"PK\x03\x04rest", 8, 0,
	     "a zip archive (an .xlsx workbook?), not text"},
	    {"\xd0\xcf\x11\xe0rest", 8, 0,
	     "an Excel 97-2003 workbook (.xls), which kpidesk does not read"},
	    {"a,b\nc\0d\n", 8, 2, "a NUL byte: binary data, not CSV text"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kpi_message why;
		enum kpi_encoding enc;
		char *text;
		size_t len;

		ck_assert_int_eq(kpi_text_decode(cases[i].bytes, cases[i].len,
		                                 &text, &len, &enc, &why),
		                 KD_ERR_INPUT);
		ck_assert_int_eq(why.line, cases[i].line);
		ck_assert_msg(strncmp(why.text, cases[i].start,
		                      strlen(cases[i].start)) == 0,
		              "case %zu: %s", i, why.text);
		free(why.text);
	}
}
END_TEST

/* ------------------------------------------------------------------------ */
/* CSV */

static void assert_record(const struct kpi_csv *csv, size_t r, int32_t line,
                          size_t count, const char *const *fields)
{
	ck_assert_uint_lt(r, csv->record_count);
	ck_assert_int_eq(csv->records[r].line, line);
	ck_assert_uint_eq(csv->records[r].field_count, count);
	for (size_t i = 0; i < count; i++)
		ck_assert_str_eq(csv->records[r].fields[i], fields[i]);
}

START_TEST(csv_rfc4180)
{
	static const char text[] = "a,b,c\r\n"
	                           "\"x, y\",\"he said \"\"hi\"\"\",3\r\n"
	                           "\r\n"
	                           ",,\r\n"
	                           "\"two\r\nlines\",\"\",  \"spaced\"  \n"
	                           "last,row,no end";
	static const char *const r0[] = {"a", "b", "c"};
	static const char *const r1[] = {"x, y", "he said \"hi\"", "3"};
	static const char *const r2[] = {"two\nlines", "", "spaced"};
	static const char *const r3[] = {"last", "row", "no end"};
	struct kpi_csv csv;

	ck_assert_int_eq(kpi_csv_parse(text, strlen(text), &csv), KD_OK);
	ck_assert_uint_eq(csv.record_count, 4);
	assert_record(&csv, 0, 1, 3, r0);
	assert_record(&csv, 1, 2, 3, r1);
	/* lines 3 and 4 are blank; the record of lines 5-6 starts on 5 */
	assert_record(&csv, 2, 5, 3, r2);
	assert_record(&csv, 3, 7, 3, r3);
	kpi_csv_finish(&csv);
}
END_TEST

START_TEST(csv_line_ends_and_tabs)
{
	static const char *const r0[] = {"a", "b"};
	static const char *const r1[] = {"1", "2"};
	static const char *const r2[] = {"3", ""};
	static const char *const t0[] = {"客服", "销售额"};
	static const char *const t1[] = {"张伟", "1,234"};
	static const char tsv[] = "客服\t销售额\n张伟\t1,234\n";
	static const char *const title[] = {"客服绩效明细, 2026-10"};
	static const char *const t2[] = {"客服", "销售额", "回复率"};
	static const char *const t3[] = {"张伟", "1,234", "99%"};
	static const char tsv_title[] = "客服绩效明细, 2026-10\r\n"
	                                "客服\t销售额\t回复率\r\n"
	                                "张伟\t1,234\t99%\r\n";
	static const char *const c0[] = {"a\tb", "c"};
	static const char csv_tab[] = "\"a\tb\",c\n1,2\n";
	struct kpi_csv csv;

	/* old Mac CR line ends, and a trailing comma (an empty last field) */
	ck_assert_int_eq(kpi_csv_parse("a,b\r1,2\r3,\r", 11, &csv), KD_OK);
	ck_assert_uint_eq(csv.record_count, 3);
	assert_record(&csv, 0, 1, 2, r0);
	assert_record(&csv, 1, 2, 2, r1);
	assert_record(&csv, 2, 3, 2, r2);
	kpi_csv_finish(&csv);

	/* Tab-separated when the first line has tabs and no comma. */
	ck_assert_int_eq(kpi_csv_parse(tsv, strlen(tsv), &csv), KD_OK);
	ck_assert_uint_eq(csv.record_count, 2);
	assert_record(&csv, 0, 1, 2, t0);
	assert_record(&csv, 1, 2, 2, t1);
	kpi_csv_finish(&csv);

	/* A tab-separated export with a title line of one cell above the
	 * header (and a comma in the title) is still tab-separated; a CSV
	 * with a tab inside a quoted field is still a CSV. */
	ck_assert_int_eq(kpi_csv_parse(tsv_title, strlen(tsv_title), &csv),
	                 KD_OK);
	ck_assert_uint_eq(csv.record_count, 3);
	assert_record(&csv, 0, 1, 1, title);
	assert_record(&csv, 1, 2, 3, t2);
	assert_record(&csv, 2, 3, 3, t3);
	kpi_csv_finish(&csv);
	ck_assert_int_eq(kpi_csv_parse(csv_tab, strlen(csv_tab), &csv), KD_OK);
	ck_assert_uint_eq(csv.record_count, 2);
	assert_record(&csv, 0, 1, 2, c0);
	kpi_csv_finish(&csv);
}
END_TEST

START_TEST(csv_problems)
{
	struct kpi_csv csv;
	static const char open_text[] = "a,b\n1,\"never\nclosed,2\n";
	static const char after[] = "a,b\n\"x\"y,2\n\"ok\" ,3\n";

	ck_assert_int_eq(kpi_csv_parse(open_text, strlen(open_text), &csv),
	                 KD_ERR_INPUT);
	ck_assert_uint_eq(csv.problem_count, 1);
	ck_assert_int_eq(csv.problems[0].line, 2);
	ck_assert_str_eq(csv.problems[0].text,
	                 "a quoted field opens here and is never closed (the "
	                 "file ends inside it)");
	kpi_csv_finish(&csv);

	ck_assert_int_eq(kpi_csv_parse(after, strlen(after), &csv),
	                 KD_ERR_INPUT);
	ck_assert_uint_eq(csv.problem_count, 1);
	ck_assert_int_eq(csv.problems[0].line, 2);
	ck_assert_str_eq(csv.problems[0].text,
	                 "text after the closing quote of a field (a quote "
	                 "inside a quoted field is written twice: \"\")");
	ck_assert_uint_eq(csv.record_count, 3);
	ck_assert_str_eq(csv.records[2].fields[0], "ok");
	kpi_csv_finish(&csv);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Headers */

START_TEST(headers_documented_names)
{
	/* Every name the documentation lists finds its column. */
	for (int c = 0; c < KPI_COL_COUNT; c++) {
		char list[256];
		char *save = NULL;

		snprintf(list, sizeof(list), "%s",
		         kpi_column_headers((enum kpi_column)c));
		for (char *name = strtok_r(list, ",", &save); name;
		     name = strtok_r(NULL, ",", &save))
			ck_assert_msg(kpi_column_of_header(name) == c,
			              "'%s' should be column %d", name, c);
	}
	ck_assert_ptr_null(kpi_column_name(KPI_COL_COUNT));
	ck_assert_ptr_null(kpi_column_headers(KPI_COL_COUNT));
	ck_assert_str_eq(kpi_column_name(KPI_COL_TARGET), "sales target");
}
END_TEST

START_TEST(headers_variants)
{
	static const struct {
		const char *header;
		int column;
	} cases[] = {
	    {"  客服昵称 ", KPI_COL_AGENT},
	    {"\xe3\x80\x80旺旺", KPI_COL_AGENT},
	    {"Name", KPI_COL_AGENT},
	    {"HANDLE", KPI_COL_AGENT},
	    {"Sales Amount", KPI_COL_SALES},
	    {"sales-amount", KPI_COL_SALES},
	    {"销售额(元)", KPI_COL_SALES},
	    {"销售额（元）", KPI_COL_SALES},
	    {"Sales (¥)", KPI_COL_SALES},
	    {"付款金额(￥)", KPI_COL_SALES},
	    {"Sales Target", KPI_COL_TARGET},
	    {"询单人数(人)", KPI_COL_INQUIRIES},
	    {"付款人数", KPI_COL_BUYERS},
	    {"询单->最终付款转化率", KPI_COL_CONVERSION},
	    {"询单→最终付款转化率", KPI_COL_CONVERSION},
	    {"转化率(%)", KPI_COL_CONVERSION},
	    {"Conversion Rate", KPI_COL_CONVERSION},
	    {"平均响应时间(秒)", KPI_COL_RESPONSE},
	    {"平均响应时间（秒）", KPI_COL_RESPONSE},
	    {"平均响应时间\n(秒)", KPI_COL_RESPONSE},
	    {"reply\r\nrate", KPI_COL_REPLY_RATE},
	    {"Avg Response (s)", KPI_COL_RESPONSE},
	    {"response_s", KPI_COL_RESPONSE},
	    {"AOV", KPI_COL_AOV},
	    {"Order Value", KPI_COL_AOV},
	    {"客单价(元)", KPI_COL_AOV},
	    {"Reply Rate (%)", KPI_COL_REPLY_RATE},
	    {"回复率", KPI_COL_REPLY_RATE},
	    /* 抖店 飞鸽 qualifies its rates with what they count, in
	     * brackets that are no unit: the whole name is in the table. */
	    {"3分钟回复率(会话)", KPI_COL_REPLY_RATE},
	    {"3分钟回复率（会话）", KPI_COL_REPLY_RATE},
	    {"3分钟回复率(%)", KPI_COL_REPLY_RATE},
	    {"3分钟回复率(秒)", -1},
	    {"回复率(会话)", -1},
	    /* 京东 客服管家: the amount credited to the agent; the 30-second
	     * rate under its name before December 2021 */
	    {"促成金额(元)", KPI_COL_SALES},
	    {"咚咚30秒应答率", KPI_COL_REPLY_RATE},
	    /* A unit that does not fit is never taken for the column: the
	     * minutes would be read as seconds. */
	    {"平均响应时间(分)", -1},
	    {"回复率(秒)", -1},
	    {"客服(元)", -1},
	    {"销售额(%)", -1},
	    /* back-end columns kpidesk does not read */
	    {"接待人数", -1},
	    {"退款金额", -1},
	    {"", -1},
	    {"()", -1},
	    {"sales_target_2", -1},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(
		    kpi_column_of_header(cases[i].header) == cases[i].column,
		    "'%s': got %d, want %d", cases[i].header,
		    kpi_column_of_header(cases[i].header), cases[i].column);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Values */

START_TEST(values)
{
	static const struct {
		const char *cell;
		enum kpi_value_kind kind;
		enum kpi_value_status status;
		int64_t value;
		bool percent;
	} cases[] = {
	    {"1,234.50", KPI_VALUE_MONEY, KPI_VALUE_OK, 123450, false},
	    {" ¥ 1,234.5 ", KPI_VALUE_MONEY, KPI_VALUE_OK, 123450, false},
	    {"￥128,450.00", KPI_VALUE_MONEY, KPI_VALUE_OK, 12845000, false},
	    {"1234567.89元", KPI_VALUE_MONEY, KPI_VALUE_OK, 123456789, false},
	    {"0", KPI_VALUE_MONEY, KPI_VALUE_OK, 0, false},
	    {".5", KPI_VALUE_MONEY, KPI_VALUE_OK, 50, false},
	    {"7.", KPI_VALUE_MONEY, KPI_VALUE_OK, 700, false},
	    {"0012.30", KPI_VALUE_MONEY, KPI_VALUE_OK, 1230, false},
	    {"12.3400", KPI_VALUE_MONEY, KPI_VALUE_OK, 1234, false},
	    {"-0", KPI_VALUE_MONEY, KPI_VALUE_OK, 0, false},
	    {"\xc2\xa0"
	     "5\xe3\x80\x80",
	     KPI_VALUE_MONEY, KPI_VALUE_OK, 500, false},
	    {"12.345", KPI_VALUE_MONEY, KPI_VALUE_PRECISION, 0, false},
	    {"-5", KPI_VALUE_MONEY, KPI_VALUE_NEGATIVE, 0, false},
	    {"¥-5", KPI_VALUE_MONEY, KPI_VALUE_NEGATIVE, 0, false},
	    {"-¥5", KPI_VALUE_MONEY, KPI_VALUE_NEGATIVE, 0, false},
	    {"1,23", KPI_VALUE_MONEY, KPI_VALUE_BAD_GROUPS, 0, false},
	    {"12,5", KPI_VALUE_MONEY, KPI_VALUE_BAD_GROUPS, 0, false},
	    {"1234,567", KPI_VALUE_MONEY, KPI_VALUE_BAD_GROUPS, 0, false},
	    {"1,234,56", KPI_VALUE_MONEY, KPI_VALUE_BAD_GROUPS, 0, false},
	    {",123", KPI_VALUE_MONEY, KPI_VALUE_BAD_GROUPS, 0, false},
	    {"1 234", KPI_VALUE_MONEY, KPI_VALUE_NOT_NUMBER, 0, false},
	    {"12%", KPI_VALUE_MONEY, KPI_VALUE_NOT_NUMBER, 0, false},
	    {"abc", KPI_VALUE_MONEY, KPI_VALUE_NOT_NUMBER, 0, false},
	    {"1e3", KPI_VALUE_MONEY, KPI_VALUE_NOT_NUMBER, 0, false},
	    {".", KPI_VALUE_MONEY, KPI_VALUE_NOT_NUMBER, 0, false},
	    {"¥", KPI_VALUE_MONEY, KPI_VALUE_NOT_NUMBER, 0, false},
	    {"--5", KPI_VALUE_MONEY, KPI_VALUE_NOT_NUMBER, 0, false},
	    {"1234567890123", KPI_VALUE_MONEY, KPI_VALUE_TOO_LARGE, 0, false},
	    {"999999999999.99", KPI_VALUE_MONEY, KPI_VALUE_OK,
	     INT64_C(99999999999999), false},
	    {"", KPI_VALUE_MONEY, KPI_VALUE_EMPTY, 0, false},
	    {"  ", KPI_VALUE_MONEY, KPI_VALUE_EMPTY, 0, false},
	    {"-", KPI_VALUE_MONEY, KPI_VALUE_EMPTY, 0, false},
	    {"--", KPI_VALUE_PERCENT, KPI_VALUE_EMPTY, 0, false},
	    {"—", KPI_VALUE_COUNT, KPI_VALUE_EMPTY, 0, false},
	    {"1,234", KPI_VALUE_COUNT, KPI_VALUE_OK, 1234, false},
	    {"12.0", KPI_VALUE_COUNT, KPI_VALUE_OK, 12, false},
	    {"12.5", KPI_VALUE_COUNT, KPI_VALUE_NOT_WHOLE, 0, false},
	    {"¥12", KPI_VALUE_COUNT, KPI_VALUE_NOT_NUMBER, 0, false},
	    {"97.999%", KPI_VALUE_PERCENT, KPI_VALUE_OK, 979990, true},
	    {"63.9999 %", KPI_VALUE_PERCENT, KPI_VALUE_OK, 639999, true},
	    {"100％", KPI_VALUE_PERCENT, KPI_VALUE_OK, 1000000, true},
	    {"98.5", KPI_VALUE_PERCENT, KPI_VALUE_OK, 985000, false},
	    {"0.985", KPI_VALUE_PERCENT, KPI_VALUE_OK, 9850, false},
	    {"63.12345%", KPI_VALUE_PERCENT, KPI_VALUE_PRECISION, 0, false},
	    {"63.123400000%", KPI_VALUE_PERCENT, KPI_VALUE_OK, 631234, true},
	    {"63.123450000%", KPI_VALUE_PERCENT, KPI_VALUE_PRECISION, 0, false},
	    {"%", KPI_VALUE_PERCENT, KPI_VALUE_NOT_NUMBER, 0, false},
	    {"5%%", KPI_VALUE_PERCENT, KPI_VALUE_NOT_NUMBER, 0, false},
	    {"15.0001", KPI_VALUE_SECONDS, KPI_VALUE_OK, 150001, false},
	    {"14.2s", KPI_VALUE_SECONDS, KPI_VALUE_OK, 142000, false},
	    {"22 秒", KPI_VALUE_SECONDS, KPI_VALUE_OK, 220000, false},
	    {"22 min", KPI_VALUE_SECONDS, KPI_VALUE_NOT_NUMBER, 0, false},
	    {"-1", KPI_VALUE_SECONDS, KPI_VALUE_NEGATIVE, 0, false},
	    /* a duration as a clock shows it (a time-formatted cell, or
	     * "00:00:14" in a CSV) */
	    {"00:00:14", KPI_VALUE_SECONDS, KPI_VALUE_OK, 140000, false},
	    {"0:14", KPI_VALUE_SECONDS, KPI_VALUE_OK, 140000, false},
	    {" 1:02:03.5 ", KPI_VALUE_SECONDS, KPI_VALUE_OK, 37235000, false},
	    {"00:00:14.00001", KPI_VALUE_SECONDS, KPI_VALUE_PRECISION, 0,
	     false},
	    {"0:60", KPI_VALUE_SECONDS, KPI_VALUE_NOT_NUMBER, 0, false},
	    {"1:2", KPI_VALUE_SECONDS, KPI_VALUE_NOT_NUMBER, 0, false},
	    {"1:02:03:04", KPI_VALUE_SECONDS, KPI_VALUE_NOT_NUMBER, 0, false},
	    {"00:14", KPI_VALUE_MONEY, KPI_VALUE_NOT_NUMBER, 0, false},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t value = -1;
		bool percent = true;
		enum kpi_value_status st = kpi_value_parse(
		    cases[i].cell, cases[i].kind, &value, &percent);

		ck_assert_msg(st == cases[i].status, "'%s': status %d, want %d",
		              cases[i].cell, (int)st, (int)cases[i].status);
		if (st != KPI_VALUE_OK)
			continue;
		ck_assert_msg(value == cases[i].value, "'%s': %lld, want %lld",
		              cases[i].cell, (long long)value,
		              (long long)cases[i].value);
		ck_assert_msg(percent == cases[i].percent, "'%s': %% sign",
		              cases[i].cell);
	}
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Whole files */

#define KPI_HEADER                                                                                     \
	"客服昵称,销售额,销售目标,询单人数,最终付款人数,平均响应时间(秒)," \
	"客单价,回复率\n"
/* the rest of a good row under KPI_HEADER */
#define ROW ",100,100,10,5,15,100,99\n"

START_TEST(import_sample_gb18030)
{
	struct rulebook *rb = tu_load_rulebook(KPI_INI);
	struct kpi_import imp;
	size_t len;
	char *bytes = read_file(DATA_DIR "/kpi-2026-10-zh-gb18030.csv", &len);
	const struct score_metrics *m;

	team_setup();
	ck_assert_int_eq(
	    kpi_import_parse(bytes, len, rb, OCT, team, team_size, &imp),
	    KD_OK);
	ck_assert_int_eq(imp.encoding, KPI_ENC_GB18030);
	ck_assert_uint_eq(imp.problem_count, 0);
	ck_assert_uint_eq(imp.row_count, 8);
	/* The 合计 row is skipped with a note. */
	ck_assert_uint_eq(imp.note_count, 1);
	ck_assert_int_eq(imp.notes[0].line, 10);
	ck_assert_str_eq(imp.notes[0].text, "skipped the summary row '合计'");
	for (int c = 0; c < KPI_COL_COUNT; c++)
		ck_assert(imp.columns[c]);

	/* 张伟,1320,802,500,62.35%,"￥128,450.00","￥120,000.00",￥256.80,
	 * 14.2,99.10%,"￥3,210.00" */
	m = &imp.metrics[0];
	ck_assert_int_eq(imp.lines[0], 2);
	ck_assert_int_eq(m->agent_id, 1);
	ck_assert_int_eq(m->month, OCT);
	ck_assert(m->has_sales && m->sales_fen == 12845000);
	ck_assert(m->has_target && m->target_fen == 12000000);
	ck_assert(m->has_inquiries && m->inquiries == 802);
	ck_assert(m->has_buyers && m->buyers == 500);
	ck_assert(m->has_conversion && m->conversion_e4 == 623500);
	ck_assert(m->has_response && m->response_e4 == 142000);
	ck_assert(m->has_aov && m->aov_fen == 25680);
	ck_assert(m->has_reply_rate && m->reply_rate_e4 == 991000);
	/* 赵敏: the row of line 9, response 15.0001 s kept exactly */
	ck_assert_int_eq(imp.metrics[7].agent_id, 8);
	ck_assert_int_eq(imp.lines[7], 9);
	ck_assert_int_eq(imp.metrics[7].response_e4, 150001);
	kpi_import_finish(&imp);
	free(bytes);
	rulebook_destroy(rb);
}
END_TEST

START_TEST(import_sample_english)
{
	struct rulebook *rb = tu_load_rulebook(KPI_INI);
	struct kpi_import imp;
	size_t len;
	char *bytes = read_file(DATA_DIR "/kpi-2026-09-en.csv", &len);
	const struct score_metrics *m;

	team_setup();
	ck_assert_int_eq(kpi_import_parse(bytes, len, rb, tu_month(2026, 9),
	                                  team, team_size, &imp),
	                 KD_OK);
	ck_assert_int_eq(imp.encoding, KPI_ENC_UTF8);
	ck_assert_uint_eq(imp.row_count, 8);
	ck_assert_uint_eq(imp.note_count, 0);
	ck_assert(!imp.columns[KPI_COL_CONVERSION]);
	/* matched by handle; a note with a line break in quotes: the row
	 * after it starts on line 10 */
	m = &imp.metrics[6];
	ck_assert_int_eq(m->agent_id, 7);
	ck_assert_int_eq(imp.lines[6], 8);
	ck_assert(!m->has_conversion);
	ck_assert_int_eq(m->inquiries, 1100);
	ck_assert_int_eq(m->buyers, 583);
	ck_assert_int_eq(imp.metrics[7].agent_id, 8);
	ck_assert_int_eq(imp.lines[7], 10);
	ck_assert_int_eq(imp.metrics[1].sales_fen, 12130000);
	ck_assert_int_eq(imp.metrics[1].reply_rate_e4, 992000);
	kpi_import_finish(&imp);
	free(bytes);
	rulebook_destroy(rb);
}
END_TEST

START_TEST(import_bom_crlf_and_matching)
{
	struct rulebook *rb = tu_load_rulebook(KPI_INI);
	struct kpi_import imp;
	static const char text[] =
	    "\xef\xbb\xbf"
	    "Handle,Sales,Target,Conversion,Response_s,AOV,Reply Rate,"
	    "Extra\r\n"
	    "zhangwei,100,100,50%,15,100,98%,x\r\n"
	    " 李娜 ,\"1,000\",1000,50,15,100,98,\r\n"
	    "ouyang,0,1,0,0,0,0\r\n"
	    ",,,,,,,\r\n"
	    "Total,1100,1101,-,-,-,-,\r\n";

	team_setup();
	ck_assert_int_eq(import_text(rb, text, &imp), KD_OK);
	ck_assert_int_eq(imp.encoding, KPI_ENC_UTF8_BOM);
	ck_assert_uint_eq(imp.row_count, 3);
	ck_assert_int_eq(imp.metrics[0].agent_id, 1); /* handle */
	ck_assert_int_eq(imp.metrics[1].agent_id, 2); /* name, trimmed */
	ck_assert_int_eq(imp.metrics[1].sales_fen, 100000);
	ck_assert_int_eq(imp.metrics[1].conversion_e4, 500000);
	ck_assert(!imp.metrics[1].has_inquiries);
	ck_assert_int_eq(imp.metrics[2].agent_id, 5);
	ck_assert_int_eq(imp.metrics[2].reply_rate_e4, 0);
	ck_assert(imp.metrics[2].has_reply_rate);
	ck_assert_uint_eq(imp.note_count, 1);
	ck_assert_int_eq(imp.notes[0].line, 6);
	kpi_import_finish(&imp);
	rulebook_destroy(rb);
}
END_TEST

START_TEST(import_every_problem_listed)
{
	struct rulebook *rb = tu_load_rulebook(KPI_INI);

	team_setup();
	expect_problems(
	    rb,
	    KPI_HEADER "张伟,100,100,10,5,15,100,99%\n"
	               "小周,100,100,10,5,15,100,99%\n"
	               "新人,100,100,10,5,15,100,99%\n"
	               "laowang,100,100,10,5,15,100,99%\n"
	               "zhangwei,100,100,10,5,15,100,99%\n"
	               "李娜,abc,100,10,5,15,100,99%\n"
	               "王芳,-5,0,10,12,15,100,101%\n"
	               "刘洋,12.345,100,10.5,5,15,100,0.5%\n"
	               "欧阳娜娜,100,100,10,5,,100,\n"
	               "陈静,1,234.50,100,10,5,15,100,99%\n"
	               ",100,100,10,5,15,100,99%\n"
	               "杨磊,\"1,23\",100,10,5,-1,1e3,98.123456%\n",
	    "3: 客服昵称: unknown agent '小周' (no agent has this name or "
	    "handle; 'kpidesk agent list --all' shows them)\n"
	    "4: 客服昵称: 新人 is not on the 2026-10 board (hired "
	    "2026-11-02)\n"
	    "5: 客服昵称: 老王 is not on the 2026-10 board (left "
	    "2026-09-15)\n"
	    "6: 客服昵称: 'zhangwei' is 张伟, on line 2 already (one row "
	    "per agent)\n"
	    "7: 销售额: 'abc' is not an amount in yuan\n"
	    "8: 销售额: '-5' is negative\n"
	    "8: 销售目标: '0': a sales target must be more than 0\n"
	    "8: 回复率: '101%' is more than 100%\n"
	    "8: 最终付款人数: 12 buyers, more than the 10 inquiries\n"
	    "9: 销售额: '12.345' has more than 2 decimals (amounts are "
	    "kept to the fen); round it in the sheet\n"
	    "9: 询单人数: '10.5' is not a whole number\n"
	    "10: 平均响应时间(秒): no value; [kpi.response] needs it\n"
	    "10: 回复率: no value; [kpi.reply] needs it\n"
	    "11: 9 fields, but the header has 8: a value holding a comma "
	    "must be quoted (\"1,234.50\")\n"
	    "12: 客服昵称: no agent in this row\n"
	    "13: 销售额: '1,23' is not a number: commas may only separate "
	    "thousands (1,234.50), and decimals take a point\n"
	    "13: 平均响应时间(秒): '-1' is negative\n"
	    "13: 客单价: '1e3' is not an amount in yuan\n"
	    "13: 回复率: '98.123456%' has more than 4 decimals (values are "
	    "kept to 4 decimals); round it in the sheet\n");
	rulebook_destroy(rb);
}
END_TEST

START_TEST(import_duplicates_and_shared_names)
{
	struct rulebook *rb = tu_load_rulebook(KPI_INI);

	team_setup();
	expect_problems(rb, KPI_HEADER "张伟" ROW "张伟" ROW,
	                "3: 客服昵称: 张伟 is on line 2 already (one row per "
	                "agent)\n");
	/* Two agents on the board share a name: their handles tell them
	 * apart; a name shared with someone off the board is no problem. */
	add_member(11, "张伟", "zhangwei2", tu_day(2025, 1, 1), KD_DATE_NONE);
	add_member(12, "老王", NULL, tu_day(2025, 1, 1), KD_DATE_NONE);
	expect_problems(
	    rb, KPI_HEADER "张伟" ROW "zhangwei2" ROW,
	    "2: 客服昵称: '张伟' is the name of 2 agents on the "
	    "2026-10 board (ids 1, 11): write the handle instead\n");
	{
		struct kpi_import imp;

		ck_assert_int_eq(import_text(rb,
		                             KPI_HEADER "老王" ROW
		                                        "zhangwei2" ROW
		                                        "zhangwei" ROW,
		                             &imp),
		                 KD_OK);
		ck_assert_int_eq(imp.metrics[0].agent_id, 12);
		ck_assert_int_eq(imp.metrics[1].agent_id, 11);
		ck_assert_int_eq(imp.metrics[2].agent_id, 1);
		kpi_import_finish(&imp);
	}
	rulebook_destroy(rb);
}
END_TEST

START_TEST(import_missing_columns)
{
	struct rulebook *rb = tu_load_rulebook(KPI_INI);

	team_setup();
	expect_problems(
	    rb, "姓名,销售额,转化率\n张伟,1,50\n",
	    "1: agent: no such column (headers: 客服昵称, 旺旺, 客服账号, "
	    "客服, agent, name, handle; or name yours in the rulebook's "
	    "[import.kpi])\n"
	    "1: average response time: no such column; [kpi.response] "
	    "(response_s) needs it (headers: 平均响应时间(秒), "
	    "平均响应时长, 平均人工响应时长, response_s; or name yours in "
	    "the rulebook's [import.kpi])\n"
	    "1: order value: no such column; [kpi.aov] (aov_pct) needs it "
	    "(headers: 客单价, 询单客单价, aov; or name yours in the "
	    "rulebook's [import.kpi])\n"
	    "1: reply rate: no such column; [kpi.reply] (reply_rate) needs "
	    "it (headers: 回复率, 3分钟回复率, 3分钟人工回复率, 30秒应答率, "
	    "reply_rate; or name yours in the rulebook's [import.kpi])\n");
	/* Conversion from inquiries alone is not enough. */
	expect_problems(
	    rb,
	    "name,sales,target,inquiries,response_s,aov,reply_rate\n"
	    "张伟,1,1,1,1,1,99\n",
	    "1: conversion: no such column, nor both inquiries and buyers "
	    "to compute it; [kpi.conversion] (conversion) needs one "
	    "(headers: 询单->最终付款转化率, 询单转化率, 咨询转化率, 转化率, "
	    "conversion; or 询单人数, 咨询人数, inquiries with 最终付款人数, "
	    "询单成交人数, 最终成团人数, 下单人数, buyers; or name yours in "
	    "the rulebook's [import.kpi])\n");
	/* A column named twice (two different names of one field are not:
	 * the first in the table wins, see import_priority_and_units). */
	expect_problems(rb,
	                "客服,销售额,销售额(元),目标,转化率,response,aov,"
	                "reply_rate\n"
	                "张伟,1,1,1,50,1,1,99\n",
	                "1: 销售额(元): a second sales amount column (销售额, "
	                "field 2, is one already); delete one of them\n");
	/* Conversion per row: the column, or inquiries and buyers. */
	expect_problems(rb,
	                "name,sales,target,conversion,inquiries,buyers,"
	                "response_s,aov,reply_rate\n"
	                "张伟,1,1,,10,5,1,1,99\n"
	                "李娜,1,1,,10,,1,1,99\n",
	                "3: conversion: no value (nor inquiries and buyers to "
	                "compute it); [kpi.conversion] needs it\n");
	rulebook_destroy(rb);
}
END_TEST

START_TEST(import_empty_and_header_only)
{
	struct rulebook *rb = tu_load_rulebook(KPI_INI);

	team_setup();
	expect_problems(rb, "",
	                "0: the file is empty: it needs a header line and a "
	                "row per agent\n");
	expect_problems(rb, "\xef\xbb\xbf\r\n \r\n,,\r\n",
	                "0: the file is empty: it needs a header line and a "
	                "row per agent\n");
	expect_problems(rb, KPI_HEADER,
	                "1: only a header line, no rows of metrics\n");
	/* a header and then only the summary row */
	expect_problems(rb, KPI_HEADER "合计" ROW "总计" ROW,
	                "1: no rows of metrics, only summary rows\n");
	rulebook_destroy(rb);
}
END_TEST

START_TEST(import_fractions_refused)
{
	struct rulebook *rb = tu_load_rulebook(KPI_INI);
	struct kpi_import imp;

	team_setup();
	expect_problems(rb,
	                "name,sales,target,conversion,response_s,aov,"
	                "reply_rate\n"
	                "张伟,1,1,0.62,1,1,0.985\n"
	                "李娜,1,1,0.5,1,1,1\n",
	                "1: conversion: every value is at most 1 and none has "
	                "a % sign: these look like fractions (0.985); write "
	                "percentages (98.5 or 98.5%)\n"
	                "1: reply_rate: every value is at most 1 and none has "
	                "a % sign: these look like fractions (0.985); write "
	                "percentages (98.5 or 98.5%)\n");
	/* with the sign they mean what they say */
	ck_assert_int_eq(import_text(rb,
	                             "name,sales,target,conversion,response_s,"
	                             "aov,reply_rate\n"
	                             "张伟,1,1,0.62%,1,1,0.985%\n",
	                             &imp),
	                 KD_OK);
	ck_assert_int_eq(imp.metrics[0].conversion_e4, 6200);
	kpi_import_finish(&imp);
	rulebook_destroy(rb);
}
END_TEST

START_TEST(import_fixed_mode)
{
	struct rulebook *rb = tu_load_rulebook(DEFAULT_INI);
	struct kpi_import imp;

	team_setup();
	ck_assert_int_eq(rb->mode, RB_MODE_FIXED);
	/* Any one metric column will do; nothing else is required. */
	ck_assert_int_eq(
	    import_text(rb, "客服,销售额\n张伟,500\n李娜,-\n", &imp),
	    KD_ERR_INPUT);
	ck_assert_uint_eq(imp.problem_count, 1);
	ck_assert_int_eq(imp.problems[0].line, 3);
	ck_assert_str_eq(imp.problems[0].text, "no figures in this row");
	kpi_import_finish(&imp);
	ck_assert_int_eq(import_text(rb, "客服,销售额\n张伟,500\n", &imp),
	                 KD_OK);
	ck_assert_uint_eq(imp.row_count, 1);
	ck_assert_int_eq(imp.metrics[0].sales_fen, 50000);
	ck_assert(!imp.metrics[0].has_target);
	kpi_import_finish(&imp);
	expect_problems(rb, "客服,备注\n张伟,x\n",
	                "1: no metric column (such as 销售额, 转化率, 回复率, "
	                "sales, conversion, reply_rate)\n");
	rulebook_destroy(rb);
}
END_TEST

START_TEST(import_not_utf8_nor_gb18030)
{
	struct rulebook *rb = tu_load_rulebook(KPI_INI);

	team_setup();
	expect_problems(rb, "name,sales\ncaf\xe9 au lait,1\n",
	                "2: not UTF-8 text, and not GB18030 either: read as "
	                "GB18030, byte 0xE9 is not part of any character; save "
	                "the sheet as an Excel workbook (.xlsx) or as \"CSV "
	                "UTF-8\" and import that\n");
	rulebook_destroy(rb);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Each back end's header set (issue 10) */

/* One row for 张伟 under `header`, with the figures in the order of
 * `header`'s columns: agent, inquiries, buyers, conversion, sales, aov,
 * response, reply rate, target. */
static void expect_platform(const struct rulebook *rb, const char *header,
                            const char *row)
{
	struct kpi_import imp;
	char text[1024];
	const struct score_metrics *m;

	snprintf(text, sizeof(text), "%s\n%s\n", header, row);
	ck_assert_msg(import_text(rb, text, &imp) == KD_OK, "%s: %s", header,
	              imp.problem_count ? imp.problems[0].text : "");
	for (int c = 0; c < KPI_COL_COUNT; c++)
		ck_assert_msg(imp.columns[c], "%s: no %s column", header,
		              kpi_column_name(c));
	ck_assert_uint_eq(imp.row_count, 1);
	m = &imp.metrics[0];
	ck_assert_int_eq(m->agent_id, 1);
	ck_assert_int_eq(m->inquiries, 802);
	ck_assert_int_eq(m->buyers, 500);
	ck_assert_int_eq(m->conversion_e4, 623500);
	ck_assert_int_eq(m->sales_fen, 12845000);
	ck_assert_int_eq(m->aov_fen, 25690);
	ck_assert_int_eq(m->response_e4, 142000);
	ck_assert_int_eq(m->reply_rate_e4, 991000);
	ck_assert_int_eq(m->target_fen, 12000000);
	ck_assert_uint_eq(imp.note_count, 0);
	kpi_import_finish(&imp);
}

START_TEST(platform_header_sets)
{
	struct rulebook *rb = tu_load_rulebook(KPI_INI);
	static const char row[] =
	    "某某旗舰店:张伟,802,500,62.35%,\"¥128,450.00\",256.90,14.2,99.10%,"
	    "120000";

	team_setup();
	/* 千牛/生意参谋 客服绩效 */
	expect_platform(
	    rb,
	    "旺旺,询单人数,最终付款人数,询单->最终付款成功率,"
	    "销售额(元),客单价(元),平均响应时间(秒),回复率,销售目标",
	    row);
	/* 抖店 飞鸽 */
	expect_platform(
	    rb,
	    "客服昵称,询单人数,询单成交人数,询单转化率,询单成交金额,"
	    "询单客单价,平均响应时长（秒）,3分钟回复率,目标销售额",
	    row);
	expect_platform(
	    rb,
	    "客服名称,询单人数,询单成交人数,询单转化率,询单成交金额(元),"
	    "询单客单价,平均响应时长,3分钟回复率(会话),目标",
	    row);
	/* 京东 咚咚 */
	expect_platform(rb,
	                "客服账号,咨询人数,下单人数,咨询转化率,下单金额(元),"
	                "客单价,咚咚平均响应时长(s),咚咚首次30秒应答率,目标",
	                row);
	expect_platform(rb,
	                "咚咚账号,咨询人数,下单人数,咨询转化率,促成金额,"
	                "客单价(元),咚咚平均响应时长,咚咚30秒应答率,目标",
	                row);
	/* 拼多多 */
	expect_platform(
	    rb,
	    "客服账号,询单人数,最终成团人数,询单->成团转化率,"
	    "客服销售额,客单价（元）,平均人工响应时长,3分钟人工回复率,"
	    "target",
	    row);
	rulebook_destroy(rb);
}
END_TEST

START_TEST(header_table_complete)
{
	size_t per_platform[5] = {0};
	static const char *const platforms[5] = {
	    "千牛/生意参谋", "抖店 飞鸽", "京东 咚咚", "拼多多", "kpidesk"};

	ck_assert_ptr_null(kpi_header_at(kpi_header_count()));
	for (size_t i = 0; i < kpi_header_count(); i++) {
		const struct kpi_header_name *h = kpi_header_at(i);

		/* every name finds its own column, with or without a unit */
		ck_assert_msg(kpi_column_of_header(h->name) == (int)h->column,
		              "%s", h->name);
		ck_assert_ptr_nonnull(h->platform);
		for (size_t p = 0; p < 5; p++)
			if (strstr(h->platform, platforms[p]) != NULL)
				per_platform[p]++;
	}
	for (size_t p = 0; p < 4; p++)
		ck_assert_msg(per_platform[p] >= 8, "%s: %zu names",
		              platforms[p], per_platform[p]);
	ck_assert_str_eq(kpi_column_key(KPI_COL_RESPONSE), "response_s");
	ck_assert_ptr_null(kpi_column_key(KPI_COL_COUNT));
	/* spaces dropped, units in brackets dropped when they fit */
	ck_assert_int_eq(kpi_column_of_header(" 平均 响应 时间 （秒） "),
	                 KPI_COL_RESPONSE);
	ck_assert_int_eq(kpi_column_of_header("询单→最终付款转化率(%)"),
	                 KPI_COL_CONVERSION);
	ck_assert_int_eq(kpi_column_of_header("客单价（￥）"), KPI_COL_AOV);
	ck_assert_int_eq(kpi_column_of_header("平均响应时间(分钟)"), -1);
	ck_assert_int_eq(kpi_column_of_header("销售额(%)"), -1);
	ck_assert_int_eq(kpi_column_of_header("询单人数(人)"),
	                 KPI_COL_INQUIRIES);
}
END_TEST

/* [import.kpi] names, built as the rulebook loader fills them. */
static void add_names(struct rulebook *rb, const char *field,
                      const char *const *names, size_t count)
{
	struct rb_import_names *list =
	    realloc(rb->import_kpi,
	            (rb->import_kpi_count + 1) * sizeof(*rb->import_kpi));
	struct rb_import_names *n;

	ck_assert_ptr_nonnull(list);
	rb->import_kpi = list;
	n = &rb->import_kpi[rb->import_kpi_count++];
	memset(n, 0, sizeof(*n));
	snprintf(n->field, sizeof(n->field), "%s", field);
	n->names = calloc(count, sizeof(*n->names));
	ck_assert_ptr_nonnull(n->names);
	for (size_t i = 0; i < count; i++)
		n->names[i] = strdup(names[i]);
	n->count = count;
}

START_TEST(rulebook_import_names)
{
	struct rulebook *rb = tu_load_rulebook(KPI_INI);
	static const char *const agent[] = {"客服名"};
	static const char *const sales[] = {"业绩", "成交金额"};
	static const char *const reply[] = {"五分钟回复率", "回复率(人工)"};
	static const char *const inquiries[] = {"咨询人数"};
	struct kpi_import imp;
	size_t rank;
	bool unit_ok;

	team_setup();
	add_names(rb, "agent", agent, 1);
	add_names(rb, "sales", sales, 2);
	add_names(rb, "reply_rate", reply, 2);
	add_names(rb, "inquiries", inquiries, 1);
	ck_assert_int_eq(
	    kpi_column_match(rb, "成交金额（元）", &rank, &unit_ok),
	    KPI_COL_SALES);
	ck_assert_uint_eq(rank, 2);
	ck_assert(unit_ok);
	ck_assert_int_eq(kpi_column_match(NULL, "成交金额", NULL, NULL), -1);
	/* A rulebook name with a bracket that is no unit is matched whole;
	 * the same name with a unit that does not fit is not taken. */
	ck_assert_int_eq(kpi_column_match(rb, "回复率（人工）", NULL, &unit_ok),
	                 KPI_COL_REPLY_RATE);
	ck_assert(unit_ok);
	ck_assert_int_eq(
	    kpi_column_match(rb, "五分钟回复率(秒)", NULL, &unit_ok),
	    KPI_COL_REPLY_RATE);
	ck_assert(!unit_ok);
	/* 咨询人数 named by the rulebook wins over the built-in 询单人数. */
	ck_assert_int_eq(
	    import_text(
	        rb,
	        "客服名,成交金额(元),目标,咨询人数,询单人数,最终付款人数,"
	        "平均响应时间,客单价,五分钟回复率(%)\n"
	        "lina,\"1,000\",2000,90,80,40,12,100,97.5%\n",
	        &imp),
	    KD_OK);
	ck_assert_uint_eq(imp.row_count, 1);
	ck_assert_int_eq(imp.metrics[0].agent_id, 2);
	ck_assert_int_eq(imp.metrics[0].sales_fen, 100000);
	ck_assert_int_eq(imp.metrics[0].inquiries, 90);
	ck_assert_int_eq(imp.metrics[0].reply_rate_e4, 975000);
	ck_assert_uint_eq(imp.note_count, 1);
	ck_assert_str_eq(imp.notes[0].text,
	                 "询单人数: not read; 咨询人数 (field 4) is the "
	                 "inquiries column");
	kpi_import_finish(&imp);
	rulebook_destroy(rb);
}
END_TEST

/* The period a back end prints above the header is checked against the
 * month: September's export imported as October is refused; a single date
 * (when the file was exported) or a period across months is not judged. */
START_TEST(import_title_period)
{
	struct rulebook *rb = tu_load_rulebook(KPI_INI);
	struct kpi_import imp;
	static const char rows[] =
	    "旺旺,销售额,销售目标,转化率,平均响应时间,客单价,回复率\n"
	    "店:张伟,1,1,50,1,1,99\n";
	static const char *const ok_titles[] = {
	    "客服绩效明细\n统计日期：2026-10-01 ~ 2026-10-31\n",
	    "统计日期：2026/10/1至2026/10/31,,\n",
	    "2026年10月1日-2026年10月31日\n",
	    "导出时间：2026-11-02 09:30\n",
	    "统计日期：2026-09-15 ~ 2026-10-14\n",
	};
	char text[512];

	team_setup();
	for (size_t i = 0; i < sizeof(ok_titles) / sizeof(ok_titles[0]); i++) {
		snprintf(text, sizeof(text), "%s%s", ok_titles[i], rows);
		ck_assert_msg(import_text(rb, text, &imp) == KD_OK, "%s: %s",
		              ok_titles[i],
		              imp.problem_count ? imp.problems[0].text : "");
		kpi_import_finish(&imp);
	}
	snprintf(text, sizeof(text), "%s%s",
	         "客服绩效明细\n统计日期：2026-09-01 ~ 2026-09-30,,\n", rows);
	ck_assert_int_eq(import_text(rb, text, &imp), KD_ERR_INPUT);
	ck_assert_uint_eq(imp.problem_count, 1);
	ck_assert_int_eq(imp.problems[0].line, 2);
	ck_assert_str_eq(imp.problems[0].text,
	                 "the title's period, 2026-09-01 to 2026-09-30, is "
	                 "2026-09, not the month imported (2026-10): import "
	                 "the file with --month 2026-09, or 2026-10's export");
	kpi_import_finish(&imp);
	rulebook_destroy(rb);
}
END_TEST

START_TEST(import_title_summary_and_shops)
{
	struct rulebook *rb = tu_load_rulebook(KPI_INI);
	struct kpi_import imp;

	team_setup();
	ck_assert_int_eq(
	    import_text(
	        rb,
	        "客服绩效明细\n"
	        "统计日期：2026-10-01 ~ 2026-10-31,,\n"
	        "\n"
	        "旺旺,销售额,销售目标,转化率,平均响应时间,客单价,回复率\n"
	        "某某旗舰店:张伟,1,1,50,1,1,99\n"
	        "某某旗舰店：lina,1,1,50,1,1,99\n"
	        "王芳,1,1,50,1,1,99\n"
	        "合计：,3,3,50,1,1,99\n"
	        ",3,3,50,1,1,99\n",
	        &imp),
	    KD_ERR_INPUT);
	ck_assert_uint_eq(imp.problem_count, 1);
	ck_assert_int_eq(imp.problems[0].line, 9);
	ck_assert_str_eq(imp.problems[0].text, "旺旺: no agent in this row");
	kpi_import_finish(&imp);

	ck_assert_int_eq(
	    import_text(
	        rb,
	        "客服绩效明细\n"
	        "旺旺,销售额,销售目标,转化率,平均响应时间,客单价,回复率\n"
	        "某某旗舰店:张伟,1,1,50,1,1,99\n"
	        "某某旗舰店：lina,1,1,50,1,1,99\n"
	        "另一店:小周,1,1,50,1,1,99\n"
	        "平均,1,1,50,1,1,99\n",
	        &imp),
	    KD_ERR_INPUT);
	ck_assert_uint_eq(imp.problem_count, 1);
	ck_assert_str_eq(imp.problems[0].text,
	                 "旺旺: unknown agent '另一店:小周' (no agent has this "
	                 "name or handle, nor '小周' after the shop's name; "
	                 "'kpidesk agent list --all' shows them)");
	kpi_import_finish(&imp);

	ck_assert_int_eq(
	    import_text(
	        rb,
	        "客服绩效明细\n"
	        "旺旺,销售额,销售目标,转化率,平均响应时间,客单价,回复率\n"
	        "某某旗舰店:张伟,1,1,50,1,1,99\n"
	        "某某旗舰店：lina,2,1,50,1,1,99\n"
	        "汇总,3,2,50,1,1,99\n",
	        &imp),
	    KD_OK);
	ck_assert_int_eq(imp.header_line, 2);
	ck_assert_uint_eq(imp.row_count, 2);
	ck_assert_int_eq(imp.metrics[0].agent_id, 1);
	ck_assert_int_eq(imp.metrics[1].agent_id, 2);
	ck_assert_int_eq(imp.metrics[1].sales_fen, 200);
	ck_assert_uint_eq(imp.note_count, 2);
	ck_assert_int_eq(imp.notes[0].line, 1);
	ck_assert_str_eq(imp.notes[0].text,
	                 "skipped the title line above the header (line 1)");
	ck_assert_str_eq(imp.notes[1].text, "skipped the summary row '汇总'");
	kpi_import_finish(&imp);
	rulebook_destroy(rb);
}
END_TEST

START_TEST(import_targets_set_apart)
{
	struct rulebook *rb = tu_load_rulebook(KPI_INI);
	struct import_table table;
	struct kpi_import imp;
	const struct kpi_target targets[] = {{1, 12000000}, {2, 9000000}};
	static const char text[] =
	    "客服昵称,销售额,销售目标,转化率,平均响应时间,客单价,回复率\n"
	    "张伟,1,,50,1,1,99\n"
	    "李娜,1,500,50,1,1,99\n"
	    "王芳,1,,50,1,1,99\n";

	team_setup();
	ck_assert_int_eq(import_table_read(text, strlen(text), NULL, &table),
	                 KD_OK);
	ck_assert_int_eq(
	    kpi_import_map(&table, rb, OCT, team, team_size, targets, 2, &imp),
	    KD_ERR_INPUT);
	ck_assert_uint_eq(imp.problem_count, 1);
	ck_assert_int_eq(imp.problems[0].line, 4);
	ck_assert_str_eq(
	    imp.problems[0].text,
	    "销售目标: no sales target for 王芳 in 2026-10 (its cell "
	    "is empty), and [kpi.sales] needs one; set it with: "
	    "kpidesk kpi target 王芳 AMOUNT --month 2026-10");
	kpi_import_finish(&imp);

	/* With 王芳's row gone: 张伟 takes the set target (left to the
	 * store, not copied), 李娜's cell wins over hers. */
	table.csv.record_count = 3;
	ck_assert_int_eq(
	    kpi_import_map(&table, rb, OCT, team, team_size, targets, 2, &imp),
	    KD_OK);
	ck_assert_uint_eq(imp.targets_from_store, 1);
	ck_assert(!imp.metrics[0].has_target);
	ck_assert(imp.metrics[1].has_target);
	ck_assert_int_eq(imp.metrics[1].target_fen, 50000);
	kpi_import_finish(&imp);
	table.csv.record_count = 4;
	import_table_finish(&table);
	rulebook_destroy(rb);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* XLSX */

static char *temp_path(const char *name)
{
	static char path[4096];
	const char *dir = getenv("TMPDIR");

	snprintf(path, sizeof(path), "%s/kpidesk-import-%ld-%s",
	         dir ? dir : "/tmp", (long)getpid(), name);
	return path;
}

static void read_workbook(const char *path, const char *sheet,
                          struct import_table *table, enum kd_status want)
{
	size_t len;
	char *bytes = read_file(path, &len);

	ck_assert_int_eq(import_table_read(bytes, len, sheet, table), want);
	free(bytes);
}

static void expect_row(const struct import_table *t, size_t r, int32_t line,
                       const char *const *cells, size_t count)
{
	assert_record(&t->csv, r, line, count, cells);
}

START_TEST(xlsx_cells_as_shown)
{
	static const char csv[] =
	    "客服绩效明细\n"
	    "\n"
	    "旺旺,转化率,销售额,日期,人数,备注\n"
	    "店:张伟,62.35%,\"¥128,450.00\",2026-01-05,802,=HYPERLINK(\"x\")\n";
	const char *path = temp_path("cells.xlsx");
	struct xlsx_fixture_options o = {.sheet = "数据"};
	struct import_table t;

	for (int pass = 0; pass < 2; pass++) {
		o.inline_strings = pass == 1; /* shared, then inline strings */
		ck_assert_int_eq(xlsx_fixture_write(path, csv, &o), 0);
		read_workbook(path, NULL, &t, KD_OK);
		ck_assert_int_eq(t.encoding, KPI_ENC_XLSX);
		ck_assert_str_eq(t.sheet, "数据");
		ck_assert_uint_eq(t.csv.record_count, 3);
		expect_row(&t, 0, 1, (const char *const[]){"客服绩效明细"}, 1);
		expect_row(&t, 1, 3,
		           (const char *const[]){"旺旺", "转化率", "销售额",
		                                 "日期", "人数", "备注"},
		           6);
		expect_row(&t, 2, 4,
		           (const char *const[]){"店:张伟", "62.35%",
		                                 "128450.00", "2026-01-05",
		                                 "802", "=HYPERLINK(\"x\")"},
		           6);
		import_table_finish(&t);
	}
	unlink(path);
}
END_TEST

START_TEST(xlsx_number_formats)
{
	const char *path = temp_path("formats.xlsx");
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
	lxw_format *pct2 = workbook_add_format(wb);
	lxw_format *pct0 = workbook_add_format(wb);
	lxw_format *yuan = workbook_add_format(wb);
	lxw_format *acct = workbook_add_format(wb);
	lxw_format *cn_date = workbook_add_format(wb);
	lxw_format *fixed1 = workbook_add_format(wb);
	lxw_format *time_ms = workbook_add_format(wb);
	lxw_format *time_hms = workbook_add_format(wb);
	lxw_datetime dt = {2026, 2, 28, 0, 0, 0};
	struct import_table t;
	static const char *const want[] = {
	    "62.34%",
	    "62.35%",
	    "62%",
	    "128450.50",
	    "1234.00",
	    "2026-02-28",
	    "0.333333333333333",
	    "-12.5",
	    "10.0",
	    "100000000000000000000",
	    "TRUE",
	    "00:00:14",
	    "01:02:04",
	};

	format_set_num_format(time_ms, "mm:ss");
	format_set_num_format(time_hms, "[h]:mm:ss");
	format_set_num_format(pct2, "0.00%");
	format_set_num_format(pct0, "0%");
	format_set_num_format(yuan, "[$¥-804]#,##0.00;[Red]-[$¥-804]#,##0.00");
	format_set_num_format_index(acct, 44);
	format_set_num_format(cn_date, "yyyy\"年\"m\"月\"d\"日\"");
	format_set_num_format(fixed1, "0.0");
	worksheet_write_number(ws, 0, 0, 0.6234, pct2);
	worksheet_write_number(ws, 0, 1, 0.623456, pct2);
	worksheet_write_number(ws, 0, 2, 0.6234, pct0);
	worksheet_write_number(ws, 0, 3, 128450.5, yuan);
	worksheet_write_number(ws, 0, 4, 1234, acct);
	worksheet_write_datetime(ws, 0, 5, &dt, cn_date);
	worksheet_write_number(ws, 0, 6, 1.0 / 3.0, NULL);
	worksheet_write_number(ws, 0, 7, -12.5, NULL);
	worksheet_write_number(ws, 0, 8, 9.96, fixed1);
	worksheet_write_number(ws, 0, 9, 1e20, NULL);
	worksheet_write_boolean(ws, 0, 10, 1, NULL);
	/* a time of day below one day: a duration, shown as a clock (to the
	 * second, as the format shows it) */
	worksheet_write_number(ws, 0, 11, 14.2 / 86400.0, time_ms);
	worksheet_write_number(ws, 0, 12, 3723.6 / 86400.0, time_hms);
	ck_assert_int_eq(workbook_close(wb), LXW_NO_ERROR);
	read_workbook(path, NULL, &t, KD_OK);
	expect_row(&t, 0, 1, want, sizeof(want) / sizeof(want[0]));
	import_table_finish(&t);
	unlink(path);
}
END_TEST

START_TEST(xlsx_sheets_and_refusals)
{
	const char *path = temp_path("sheets.xlsx");
	struct xlsx_fixture_options o = {.sheet = "客服绩效",
	                                 .first_sheet = "说明"};
	struct import_table t;

	ck_assert_int_eq(xlsx_fixture_write(path, "a,b\n1,2\n", &o), 0);
	read_workbook(path, NULL, &t, KD_OK);
	ck_assert_str_eq(t.sheet, "说明");
	expect_row(&t, 0, 1, (const char *const[]){"这一页是说明"}, 1);
	import_table_finish(&t);
	read_workbook(path, "客服绩效", &t, KD_OK);
	expect_row(&t, 1, 2, (const char *const[]){"1", "2"}, 2);
	import_table_finish(&t);
	read_workbook(path, "Sheet3", &t, KD_ERR_INPUT);
	ck_assert_uint_eq(t.csv.problem_count, 1);
	ck_assert_str_eq(t.csv.problems[0].text,
	                 "--sheet Sheet3: the workbook has no sheet of that "
	                 "name (its sheets: 说明, 客服绩效)");
	import_table_finish(&t);
	unlink(path);

	/* a sheet that is not well-formed */
	{
		zip_t *z;
		int err;
		static const char workbook[] =
		    "<workbook><sheets><sheet name=\"S\" xmlns:r=\"urn:r\" "
		    "r:id=\"rId1\"/></sheets></workbook>";
		static const char rels[] =
		    "<Relationships><Relationship Id=\"rId1\" "
		    "Type=\"x/worksheet\" Target=\"/xl/s.xml\"/>"
		    "</Relationships>";
		static const char sheet[] =
		    "<worksheet><sheetData><row r=\"1\"><c><v>1</v></row>";

		z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
		ck_assert_ptr_nonnull(z);
		zip_file_add(
		    z, "xl/workbook.xml",
		    zip_source_buffer(z, workbook, strlen(workbook), 0), 0);
		zip_file_add(z, "xl/_rels/workbook.xml.rels",
		             zip_source_buffer(z, rels, strlen(rels), 0), 0);
		zip_file_add(z, "xl/s.xml",
		             zip_source_buffer(z, sheet, strlen(sheet), 0), 0);
		ck_assert_int_eq(zip_close(z), 0);
		read_workbook(path, NULL, &t, KD_ERR_INPUT);
		ck_assert_uint_eq(t.csv.problem_count, 1);
		ck_assert_str_eq(
		    t.csv.problems[0].text,
		    "not a readable .xlsx workbook: xl/s.xml is not "
		    "well-formed XML (line 1: Opening and ending tag "
		    "mismatch: c line 1 and row)");
		import_table_finish(&t);
		unlink(path);
	}

	/* a zip that is not a workbook, a cut one, CSV with a sheet */
	ck_assert_int_eq(import_table_read("PK\x03\x04xx", 6, NULL, &t),
	                 KD_ERR_INPUT);
	ck_assert_str_eq(t.csv.problems[0].text,
	                 "not a readable .xlsx workbook (zip: Not a zip "
	                 "archive); save it again from the spreadsheet "
	                 "program");
	import_table_finish(&t);
	ck_assert_int_eq(import_table_read("a,b\n", 4, "x", &t), KD_ERR_INPUT);
	ck_assert_str_eq(t.csv.problems[0].text,
	                 "--sheet x: this is a CSV file, which has no sheets "
	                 "(--sheet is for .xlsx workbooks)");
	import_table_finish(&t);
}
END_TEST

/* A zip bomb: a sheet that inflates past IMPORT_MAX_XLSX_PART is refused
 * once the limit is crossed, not read into memory. */
START_TEST(xlsx_part_too_large)
{
	static const char workbook[] =
	    "<workbook xmlns:r=\"urn:r\"><sheets><sheet name=\"S\" "
	    "r:id=\"rId1\"/></sheets></workbook>";
	static const char rels[] =
	    "<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" "
	    "Target=\"worksheets/sheet1.xml\"/></Relationships>";
	const char *path = temp_path("bomb.xlsx");
	size_t big = (size_t)IMPORT_MAX_XLSX_PART + 1024;
	char *sheet = malloc(big);
	zip_t *z;
	int err;
	struct import_table t;

	ck_assert_ptr_nonnull(sheet);
	/* text in 1 MB pieces: libxml2 refuses one text node over 10 MB
	 * itself; this is the limit of kpidesk's reader */
	memset(sheet, ' ', big);
	memcpy(sheet, "<worksheet>", 11);
	for (size_t at = 1 << 20; at + 4 < big; at += 1 << 20)
		memcpy(sheet + at, "<z/>", 4);
	z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	ck_assert_ptr_nonnull(z);
	ck_assert_int_ge(
	    zip_file_add(z, "xl/workbook.xml",
	                 zip_source_buffer(z, workbook, strlen(workbook), 0),
	                 0),
	    0);
	ck_assert_int_ge(
	    zip_file_add(z, "xl/_rels/workbook.xml.rels",
	                 zip_source_buffer(z, rels, strlen(rels), 0), 0),
	    0);
	ck_assert_int_ge(zip_file_add(z, "xl/worksheets/sheet1.xml",
	                              zip_source_buffer(z, sheet, big, 0), 0),
	                 0);
	ck_assert_int_eq(zip_close(z), 0);
	free(sheet);
	read_workbook(path, NULL, &t, KD_ERR_INPUT);
	ck_assert_uint_eq(t.csv.problem_count, 1);
	ck_assert_str_eq(t.csv.problems[0].text,
	                 "xl/worksheets/sheet1.xml inflates to more than "
	                 "67108864 bytes: not read");
	import_table_finish(&t);
	unlink(path);
}
END_TEST

/* Damaged workbooks (cut short, bytes changed) are refused with a problem
 * or read, never a crash: run under ASan and valgrind by `make test`. */
START_TEST(xlsx_damaged)
{
	size_t len;
	char *good = read_file(DATA_DIR "/kpi-2026-10-qianniu.xlsx", &len);
	char *bad = malloc(len);
	uint32_t seed = 12345;

	ck_assert_ptr_nonnull(bad);
	for (int round = 0; round < 300; round++) {
		struct import_table t;
		size_t cut = len;
		enum kd_status status;

		memcpy(bad, good, len);
		seed = seed * 1103515245u + 12345u;
		if (round % 3 == 0) {
			cut = 4 + seed % (len - 4);
		} else {
			for (int k = 0; k < 1 + round % 7; k++) {
				seed = seed * 1103515245u + 12345u;
				bad[4 + seed % (len - 4)] = (char)(seed >> 24);
			}
		}
		status = import_table_read(bad, cut, NULL, &t);
		ck_assert_msg(status == KD_OK || status == KD_ERR_INPUT,
		              "round %d: %d", round, (int)status);
		if (status == KD_ERR_INPUT)
			ck_assert_uint_gt(t.csv.problem_count, 0);
		import_table_finish(&t);
	}
	free(bad);
	free(good);
}
END_TEST

START_TEST(xlsx_kpi_sample)
{
	struct rulebook *rb = tu_load_rulebook(KPI_INI);
	const struct kpi_target targets[] = {{1, 13000000}};
	struct import_table t;
	struct kpi_import imp;

	team_setup();
	read_workbook(DATA_DIR "/kpi-2026-10-qianniu.xlsx", NULL, &t, KD_OK);
	ck_assert_str_eq(t.sheet, "客服绩效");
	ck_assert_int_eq(
	    kpi_import_map(&t, rb, OCT, team, team_size, targets, 1, &imp),
	    KD_ERR_INPUT);
	/* every agent but 张伟 lacks a target */
	ck_assert_uint_eq(imp.problem_count, 7);
	kpi_import_finish(&imp);
	rulebook_destroy(rb);
	rb = tu_load_rulebook(DEFAULT_INI); /* fixed mode: no target needed */
	ck_assert_int_eq(
	    kpi_import_map(&t, rb, OCT, team, team_size, NULL, 0, &imp), KD_OK);
	ck_assert_uint_eq(imp.row_count, 8);
	ck_assert_int_eq(imp.lines[0], 4);
	ck_assert_int_eq(imp.metrics[0].agent_id, 1);
	ck_assert_int_eq(imp.metrics[0].conversion_e4, 623500);
	ck_assert_int_eq(imp.metrics[0].sales_fen, 12845000);
	ck_assert_int_eq(imp.metrics[0].aov_fen, 25690);
	ck_assert_int_eq(imp.metrics[7].response_e4, 150001);
	ck_assert_int_eq(imp.metrics[4].agent_id, 5); /* ouyang, by handle */
	kpi_import_finish(&imp);
	import_table_finish(&t);
	rulebook_destroy(rb);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Past entries */

static char *events_problems(const struct events_import *imp)
{
	struct kpi_import k = {0};
	char *text;

	k.problems = imp->problems;
	k.problem_count = imp->problem_count;
	text = problems_text(&k);
	return text;
}

START_TEST(events_rows)
{
	struct import_table t;
	struct events_import imp;
	static const char text[] = "2025年记录\n"
	                           "日期,客服,类别,数量,备注\n"
	                           "2026/10/5,张伟,迟到/早退,12,\n"
	                           "2026年10月6日,lina,complaint,1,订单 123\n"
	                           "2026-10-07,3,praise,,\n"
	                           /* a cell of several lines (Alt+Enter in
	                            * Excel) is one note, its lines joined */
	                           "2026-10-08,张伟,praise,,\"订单 1\r\n"
	                           "客户催单\n\n 已解决 \"\n"
	                           /* a whole number shown with decimals (a
	                            * number cell formatted 0.00) */
	                           "2026-10-09,张伟,late,3.00,\n";
	/* The cells are read here; the rules of an entry (the day, the
	 * category, the range, the note) are the application layer's
	 * (check-app.c, events_import_rules). */
	static const char bad[] = "date,agent,category,quantity,note\n"
	                          "2026-09-30,张伟,praise,,\n"
	                          "2026-10-07,老王,praise,,\n"
	                          "2026-02-30,张伟,praise,,\n"
	                          "2026-10-07,张伟,praise,1.5,\n"
	                          "2026-10-07,小周,nap,,\n"
	                          ",,,,\"a\x01"
	                          "b\"\n";
	char *got;

	team_setup();
	ck_assert_int_eq(import_table_read(text, strlen(text), NULL, &t),
	                 KD_OK);
	ck_assert_int_eq(events_import_map(&t, team, team_size, &imp), KD_OK);
	ck_assert_int_eq(imp.header_line, 2);
	ck_assert_uint_eq(imp.entry_count, 5);
	ck_assert_int_eq(imp.entries[0].line, 3);
	ck_assert_int_eq(imp.entries[0].agent_id, 1);
	ck_assert_int_eq(imp.entries[0].date, tu_day(2026, 10, 5));
	ck_assert_str_eq(imp.entries[0].category, "迟到/早退");
	ck_assert_int_eq(imp.entries[0].quantity, 12);
	ck_assert(imp.entries[0].quantity_given);
	ck_assert_ptr_null(imp.entries[0].note);
	ck_assert_int_eq(imp.entries[1].agent_id, 2);
	ck_assert_str_eq(imp.entries[1].note, "订单 123");
	ck_assert_int_eq(imp.entries[2].agent_id, 3);
	ck_assert_int_eq(imp.entries[2].quantity, 1);
	ck_assert(!imp.entries[2].quantity_given);
	ck_assert_int_eq(imp.entries[3].line, 6);
	ck_assert_str_eq(imp.entries[3].note, "订单 1 客户催单 已解决");
	ck_assert_int_eq(imp.entries[4].quantity, 3);
	ck_assert_int_eq(imp.first_month, tu_month(2026, 10));
	ck_assert_int_eq(imp.last_month, tu_month(2026, 10));
	events_import_finish(&imp);
	import_table_finish(&t);

	ck_assert_int_eq(import_table_read(bad, strlen(bad), NULL, &t), KD_OK);
	ck_assert_int_eq(events_import_map(&t, team, team_size, &imp),
	                 KD_ERR_INPUT);
	/* the rows read without a problem stay, for the rules */
	ck_assert_uint_eq(imp.entry_count, 2);
	ck_assert_int_eq(imp.entries[0].line, 2);
	ck_assert_int_eq(imp.entries[1].line, 3);
	got = events_problems(&imp);
	ck_assert_str_eq(
	    got, "4: date: '2026-02-30' is not a date (YYYY-MM-DD, a day that "
	         "exists)\n"
	         "5: quantity: '1.5' is not a whole number\n"
	         "6: agent: unknown agent '小周' (give an id, an exact name or "
	         "a handle; 'kpidesk agent list --all' shows them)\n"
	         "7: date: no date in this row\n"
	         "7: agent: no agent in this row\n"
	         "7: category: no category in this row\n");
	free(got);
	events_import_finish(&imp);
	import_table_finish(&t);
}
END_TEST

static Suite *import_suite(void)
{
	Suite *s = suite_create("import");
	TCase *tc = tcase_create("kpi");

	tcase_add_test(tc, decode_utf8_with_and_without_bom);
	tcase_add_test(tc, decode_gb18030);
	tcase_add_test(tc, decode_neither);
	tcase_add_test(tc, decode_refuses_what_is_not_csv);
	tcase_add_test(tc, csv_rfc4180);
	tcase_add_test(tc, csv_line_ends_and_tabs);
	tcase_add_test(tc, csv_problems);
	tcase_add_test(tc, headers_documented_names);
	tcase_add_test(tc, headers_variants);
	tcase_add_test(tc, values);
	tcase_add_test(tc, import_sample_gb18030);
	tcase_add_test(tc, import_sample_english);
	tcase_add_test(tc, import_bom_crlf_and_matching);
	tcase_add_test(tc, import_every_problem_listed);
	tcase_add_test(tc, import_duplicates_and_shared_names);
	tcase_add_test(tc, import_missing_columns);
	tcase_add_test(tc, import_empty_and_header_only);
	tcase_add_test(tc, import_fractions_refused);
	tcase_add_test(tc, import_fixed_mode);
	tcase_add_test(tc, import_not_utf8_nor_gb18030);
	tcase_add_test(tc, platform_header_sets);
	tcase_add_test(tc, header_table_complete);
	tcase_add_test(tc, rulebook_import_names);
	tcase_add_test(tc, import_title_summary_and_shops);
	tcase_add_test(tc, import_title_period);
	tcase_add_test(tc, import_targets_set_apart);
	suite_add_tcase(s, tc);

	tc = tcase_create("xlsx");
	tcase_add_test(tc, xlsx_cells_as_shown);
	tcase_add_test(tc, xlsx_number_formats);
	tcase_add_test(tc, xlsx_sheets_and_refusals);
	tcase_add_test(tc, xlsx_kpi_sample);
	tcase_add_test(tc, xlsx_part_too_large);
	tcase_add_test(tc, xlsx_damaged);
	suite_add_tcase(s, tc);

	tc = tcase_create("events");
	tcase_add_test(tc, events_rows);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(import_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
