/* Files from outside -> rows (STYLE.md: src/import/): the shop back end's
 * KPI export (`kpidesk kpi import`, RULEBOOK.md section 8) and the lead's
 * old spreadsheet of entries (`kpidesk events import`).
 *
 * Two layers, both without a database or terminal:
 *
 *  1. The table reader (import_table_read): a file's bytes -> rows of text
 *     cells, each row with the line of the file it came from (a CSV's
 *     physical line, an XLSX sheet's row number). CSV is UTF-8 with or
 *     without a byte-order mark, or GB18030 (a superset of GBK and GB2312,
 *     what Chinese Excel saves) through iconv(3); fields separated by
 *     commas (by tabs when the first line holds tabs and no comma), RFC
 *     4180 quoting, CRLF, LF or CR line ends; a record spanning lines is
 *     reported at its first. XLSX (a zip of XML parts) is read directly with
 *     libzip and libxml2's streaming xmlReader: the first sheet, or the one
 *     named; shared strings and inline strings; a numeric cell is given as
 *     the sheet shows it: with a percent format as "62.34%", with a money
 *     format as the amount to the decimals shown, with a date format as
 *     YYYY-MM-DD, else as the shortest decimal that reads back the same.
 *     Blank rows (empty, or only empty cells) are left out.
 *
 *  2. The mappings on top: KPI metrics per agent (kpi_import_parse) and
 *     past entries (events_import_parse). Each finds its header row below
 *     any title or date lines, matches header names after dropping spaces
 *     and a bracketed unit, and lists every problem as
 *     `LINE: column: what`; the caller imports only when there is none
 *     (all or nothing).
 *
 * KPI mapping, in order:
 *  - Header names: the built-in table of the common back ends' 客服绩效
 *    exports (千牛/生意参谋, 抖店 飞鸽, 京东 咚咚, 拼多多, and kpidesk's own
 *    English names; kpi_header_count/kpi_header_at), plus the rulebook's
 *    [import.kpi] names, which come first. Names are compared trimmed,
 *    with spaces, '_' and '-' (except in "->") dropped, English in lower
 *    case, full-width brackets as ASCII. A bracketed unit is dropped when
 *    it fits the column ("(元)", "（秒）", "(%)"); one that does not
 *    ("(分钟)" on a seconds column) is a problem. When two columns name one
 *    field, the name found first in the table wins and the other is not
 *    read (a note says so); the same name twice is a problem.
 *  - The header row is the first of the first 20 rows that names the agent
 *    column and one metric; rows above it (a title, "统计日期：...") are
 *    skipped. Without such a row, the first row is taken as the header and
 *    its missing columns are reported.
 *  - Summary rows (合计, 总计, 汇总, 平均, 平均值, 均值, total, sum,
 *    average, also with a colon) in the agent column or the first cell are
 *    skipped with a note.
 *  - Agents: among those on the month's board (hired by its last day, not
 *    left before its first), exact name, then handle; then, for a cell in
 *    the back end's `店铺名:昵称` form (ASCII or full-width colon), the same
 *    for the part after the first colon. A name shared by two agents on the
 *    board, an agent not on the board, an unknown name and a second row for
 *    one agent are problems.
 *  - Values: surrounding spaces, a leading ¥ or ￥ (money), a trailing %
 *    (rates), 元 (money) or 秒 / s (seconds), and thousands separators in
 *    groups of three ("1,234.50") are allowed. Money is kept in fen,
 *    percentages and seconds scaled by 10^4 (struct score_metrics). More
 *    decimals than that are refused, never rounded. Empty cells and "-",
 *    "--", "—" are no value. Ranges: money >= 0, target > 0, counts whole
 *    >= 0 and buyers <= inquiries, rates 0..100, seconds >= 0. A rate
 *    column whose values are all at most 1 without a % sign is refused as
 *    fractions (0.985 where 98.5 is meant).
 *  - Required: the agent column, and what the rulebook's [kpi.*] sections
 *    need (sales_pct: sales and a target; conversion: conversion, or
 *    inquiries and buyers; response_s: response; aov_pct: order value;
 *    reply_rate: reply rate), with a value in every row. The target of a
 *    row comes from the file's target column when it has a value there,
 *    else from the targets set with `kpidesk kpi target`; an agent with
 *    neither is a problem that names the command to run. In fixed mode any
 *    one metric column will do, and every row must hold a figure.
 */
#ifndef KPIDESK_IMPORT_H
#define KPIDESK_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kpidesk/date.h"
#include "kpidesk/rulebook.h"
#include "kpidesk/score.h"
#include "kpidesk/status.h"

/* The most bytes a file may hold, and the most an XLSX part may inflate to
 * (a zip bomb is refused, not read). */
#define IMPORT_MAX_BYTES     (16u * 1024u * 1024u)
#define IMPORT_MAX_XLSX_PART (64u * 1024u * 1024u)
#define KPI_IMPORT_MAX_BYTES IMPORT_MAX_BYTES

/* ------------------------------------------------------------------------ */
/* Messages */

/* A problem or a note: `line` is the row's line in the file (a CSV's
 * physical line, an XLSX sheet's row number; 1 = the first), 0 for the file
 * as a whole; `text` is "column: what is wrong" or, when no column is
 * concerned, "what is wrong". */
struct kpi_message {
	int32_t line;
	char *text;
};

/* ------------------------------------------------------------------------ */
/* The table reader */

enum kpi_encoding {
	KPI_ENC_UTF8,
	KPI_ENC_UTF8_BOM,
	KPI_ENC_GB18030,
	KPI_ENC_XLSX, /* not a text encoding: the file is a workbook */
};

/* "UTF-8", "UTF-8 with BOM", "GB18030", "XLSX". */
const char *kpi_encoding_name(enum kpi_encoding encoding);

/* Decodes a text file's bytes to UTF-8 (NUL-terminated, without a BOM).
 * On success returns KD_OK with *text owned by the caller (free()); on
 * KD_ERR_INPUT *why says which encoding was tried and where it failed
 * (owned by the caller), *text is NULL. KD_ERR_NOMEM otherwise. UTF-16,
 * NUL bytes and workbooks are refused here (import_table_read opens
 * XLSX before it comes to this). */
enum kd_status kpi_text_decode(const char *bytes, size_t len, char **text,
                               size_t *text_len, enum kpi_encoding *encoding,
                               struct kpi_message *why);

/* One row of a table: its cells as text (CSV: quotes removed, doubled
 * quotes undone, line breaks inside quotes kept as '\n'; XLSX: as
 * described above, missing cells as ""). */
struct kpi_csv_record {
	int32_t line; /* CSV: the physical line it starts on; XLSX: the row */
	size_t field_count;
	char **fields;
};

struct kpi_csv {
	size_t record_count;
	struct kpi_csv_record *records; /* blank records left out */
	size_t problem_count;
	struct kpi_message *problems;
};

/* Splits UTF-8 text into records. Returns KD_OK, KD_ERR_INPUT with the
 * problems listed in *out (a field left open at the end of the file, text
 * after a closing quote), or KD_ERR_NOMEM. *out is filled in every case;
 * free it with kpi_csv_finish. */
enum kd_status kpi_csv_parse(const char *text, size_t len, struct kpi_csv *out);
void kpi_csv_finish(struct kpi_csv *csv);

/* A file read as a table. */
struct import_table {
	enum kpi_encoding encoding;
	char *sheet;        /* XLSX: the name of the sheet read; else NULL */
	size_t sheet_count; /* XLSX: how many sheets the workbook has */
	struct kpi_csv csv; /* the rows, or the problems */
};

/* Reads a file's bytes as a table: an XLSX workbook (it begins with a zip
 * signature) or CSV text. `sheet` names the workbook's sheet to read (NULL:
 * the first); naming one for a CSV file is a problem. Returns KD_OK,
 * KD_ERR_INPUT with out->csv.problems listing why the file cannot be read
 * (a sheet that does not exist names those that do), or KD_ERR_NOMEM.
 * Free *out with import_table_finish in every case. */
enum kd_status import_table_read(const char *bytes, size_t len,
                                 const char *sheet, struct import_table *out);
void import_table_finish(struct import_table *table);

/* The XLSX half alone (import_table_read calls it for a zip). */
enum kd_status import_xlsx_read(const char *bytes, size_t len,
                                const char *sheet, struct import_table *out);

/* Header matching as both mappings do it: the header trimmed, without
 * spaces, '_' and '-' (except in "->"), English in lower case, full-width
 * brackets as ASCII, into buf; a trailing bracketed unit is cut off and
 * copied (normalised the same way) to unit (empty when none). False if it
 * does not fit. */
bool import_header_normalize(const char *header, char *buf, size_t size,
                             char *unit, size_t unit_size);

/* ------------------------------------------------------------------------ */
/* KPI: columns and header names */

enum kpi_column {
	KPI_COL_AGENT,
	KPI_COL_SALES,
	KPI_COL_TARGET,
	KPI_COL_INQUIRIES,
	KPI_COL_BUYERS,
	KPI_COL_CONVERSION,
	KPI_COL_RESPONSE,
	KPI_COL_AOV,
	KPI_COL_REPLY_RATE,
	KPI_COL_COUNT
};

/* What the column holds, in English ("sales target"); NULL out of range. */
const char *kpi_column_name(enum kpi_column column);

/* The [import.kpi] key of the column ("agent", "sales", "target",
 * "inquiries", "buyers", "conversion", "response_s", "aov", "reply_rate");
 * NULL out of range. */
const char *kpi_column_key(enum kpi_column column);

/* A few of the column's header names, comma separated, for messages
 * ("销售额, 客服销售额, sales, ..."); NULL out of range. */
const char *kpi_column_headers(enum kpi_column column);

/* One entry of the built-in table of header names. */
struct kpi_header_name {
	enum kpi_column column;
	const char *name; /* as the back end writes it, without a unit */
	const char *platform; /* "千牛/生意参谋", "抖店 飞鸽", "京东 咚咚",
	                         "拼多多", or "kpidesk" */
};

size_t kpi_header_count(void);
const struct kpi_header_name *kpi_header_at(size_t index);

/* The column a header cell names under the rulebook's [import.kpi] names
 * (rb may be NULL) and the built-in table, or -1. *rank (may be NULL)
 * gets the position of the name that matched (the rulebook's names come
 * first), *unit_ok whether its bracketed unit, if any, fits the column. */
int kpi_column_match(const struct rulebook *rb, const char *header,
                     size_t *rank, bool *unit_ok);

/* kpi_column_match with no rulebook, and -1 for a unit that does not fit. */
int kpi_column_of_header(const char *header);

/* ------------------------------------------------------------------------ */
/* KPI: values */

/* How a column's values are read. */
enum kpi_value_kind {
	KPI_VALUE_MONEY,   /* yuan -> fen */
	KPI_VALUE_COUNT,   /* a whole number */
	KPI_VALUE_PERCENT, /* percent -> x 10^4 */
	KPI_VALUE_SECONDS, /* seconds -> x 10^4 */
};

enum kpi_value_status {
	KPI_VALUE_OK,
	KPI_VALUE_EMPTY,      /* nothing, or "-", "--", "—" */
	KPI_VALUE_NOT_NUMBER, /* not a number of this kind */
	KPI_VALUE_BAD_GROUPS, /* thousands separators not in groups of 3 */
	KPI_VALUE_PRECISION,  /* more decimals than the kind keeps */
	KPI_VALUE_NOT_WHOLE,  /* a count with a fraction */
	KPI_VALUE_NEGATIVE,   /* below 0 */
	KPI_VALUE_TOO_LARGE,  /* beyond 10^12 units */
};

/* Parses one cell as `kind`. On KPI_VALUE_OK *value holds it in the kind's
 * scale and *percent_sign (may be NULL) says whether a % was written. The
 * range checks of a column (rates <= 100, target > 0) are the caller's;
 * this only refuses what no column accepts. */
enum kpi_value_status kpi_value_parse(const char *cell,
                                      enum kpi_value_kind kind, int64_t *value,
                                      bool *percent_sign);

/* ------------------------------------------------------------------------ */
/* KPI: the import */

/* A sales target set with `kpidesk kpi target` for the month. */
struct kpi_target {
	int64_t agent_id;
	int64_t target_fen;
};

/* The result of reading one file. */
struct kpi_import {
	enum kpi_encoding encoding;
	bool columns[KPI_COL_COUNT];   /* found in the header */
	int32_t header_line;           /* the header row's line */
	size_t row_count;              /* 0 unless the parse returned KD_OK */
	struct score_metrics *metrics; /* row_count: agent_id and month set */
	int32_t *lines;                /* row_count: each row's line */
	size_t targets_from_store;     /* rows scored with a set target (not
	                                  copied into metrics: the store
	                                  joins the set targets in) */
	size_t problem_count;
	struct kpi_message *problems; /* in line order */
	size_t note_count;
	struct kpi_message *notes; /* skipped rows and columns */
};

/* Maps a table read by import_table_read to metrics for `month` under the
 * rulebook `rb`, matching agent cells against `agents` (only id, name,
 * handle, hired and left are read) and taking targets missing from the
 * file from `targets` (may be NULL with target_count 0). Returns KD_OK
 * when the file can be imported as a whole (no problem), KD_ERR_INPUT
 * when out->problems lists every problem found, KD_ERR_NOMEM. *out is
 * filled in every case; free it with kpi_import_finish. */
enum kd_status kpi_import_map(const struct import_table *table,
                              const struct rulebook *rb, kd_month month,
                              const struct score_agent *agents,
                              size_t agent_count,
                              const struct kpi_target *targets,
                              size_t target_count, struct kpi_import *out);

/* import_table_read (no sheet) and kpi_import_map in one, for a file's
 * bytes; the table's problems become out->problems. */
enum kd_status kpi_import_parse(const char *bytes, size_t len,
                                const struct rulebook *rb, kd_month month,
                                const struct score_agent *agents,
                                size_t agent_count, struct kpi_import *out);
void kpi_import_finish(struct kpi_import *imp);

/* ------------------------------------------------------------------------ */
/* Past entries (`kpidesk events import`) */

/* One entry of the file, as read: the cells parsed, not yet checked
 * against the rules of an entry (the application layer checks each as
 * `kpidesk log` checks one). */
struct events_import_entry {
	int32_t line;
	int64_t agent_id;
	kd_date date;
	char *category;      /* the cell as written (a key or a label) */
	int32_t quantity;    /* 1 when the cell is empty */
	bool quantity_given; /* the cell was not empty */
	char *note;          /* NULL when none */
};

struct events_import {
	enum kpi_encoding encoding;
	int32_t header_line;
	size_t entry_count; /* the rows read without a problem */
	struct events_import_entry *entries;
	kd_month first_month, last_month; /* of the entries, when any */
	size_t problem_count;
	struct kpi_message *problems; /* in line order */
};

/* Maps a table to entries. Columns, by header (Chinese or English, matched
 * as above): 日期/date, 客服/agent (name, handle or id), 类别/category (a
 * category key or label), 数量/quantity (empty: 1), 备注/note. Each row's
 * cells are read: a date that exists (YYYY-MM-DD, YYYY/M/D, YYYY.M.D,
 * YYYY年M月D日), an agent of `agents` by id, exact name or handle, a
 * category cell, a whole-number quantity. The rules of an entry (the day,
 * the category, the quantity's range, the note) are not checked here.
 * Returns KD_OK, KD_ERR_INPUT with every problem listed (the rows read
 * without one stay in entries, for the caller to check too), or
 * KD_ERR_NOMEM; free *out with events_import_finish. */
enum kd_status events_import_map(const struct import_table *table,
                                 const struct score_agent *agents,
                                 size_t agent_count, struct events_import *out);
void events_import_finish(struct events_import *imp);

#endif
