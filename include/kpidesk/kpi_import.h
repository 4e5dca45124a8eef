/* KPI metrics from the shop back end's spreadsheet (RULEBOOK.md section 8,
 * `kpidesk kpi import`): bytes of a CSV file -> one struct score_metrics per
 * agent, or every problem of the file.
 *
 * Pure: no file, database or terminal. The caller reads the file, gives the
 * agents (with their hire and leave dates) and the month, and stores the
 * result only when there is no problem at all (all or nothing).
 *
 * What is accepted, in order:
 *  - Encoding: UTF-8 with or without a byte-order mark; anything that is not
 *    valid UTF-8 is read as GB18030 (a superset of GBK and GB2312, what
 *    Chinese Excel saves) through iconv(3). UTF-16, NUL bytes and Excel
 *    workbooks (.xlsx/.xls) are refused with a message saying what to do.
 *  - CSV (RFC 4180): fields separated by commas (by tabs when the first line
 *    holds tabs and no comma), records ending in CRLF, LF or CR; quoted
 *    fields with commas, doubled quotes and line breaks. Lines are physical
 *    lines of the file, the first is 1; a record spanning lines is reported
 *    at its first. Blank records (empty, or only empty fields, as Excel
 *    writes below a table) are skipped.
 *  - The header is the first non-blank record. Columns are found by name,
 *    trimmed, English case-insensitive, ' ' '-' '_' and line breaks
 *    alike, full-width brackets as ASCII, with an optional unit in
 *    brackets that must fit the column ("平均响应时间(秒)", "sales (¥)",
 *    "reply rate (%)"); see kpi_column_headers(). Unknown columns are
 *    ignored; one column named twice (销售额 and 付款金额) is a problem.
 *  - Values: surrounding spaces, a leading ¥ or ￥ (money), a trailing %
 *    (rates), 元 (money) or 秒 / s (seconds), and thousands separators in
 *    groups of three ("1,234.50") are allowed. Money is kept in fen,
 *    percentages and seconds scaled by 10^4 (struct score_metrics). More
 *    decimals than that (12.345 yuan, 63.12345%) are refused, never rounded:
 *    band thresholds are compared exactly, and rounding could cross one;
 *    trailing zeros beyond the scale are fine. Empty cells and "-", "--",
 *    "—" are no value. Ranges: money >= 0, target > 0, counts whole >= 0 and
 *    buyers <= inquiries, rates 0..100 (conversion too), seconds >= 0.
 *    A rate column whose values are all at most 1 without a % sign is
 *    refused as fractions (0.985 where 98.5 is meant).
 *  - Required: the agent column, and the columns the rulebook's [kpi.*]
 *    sections need (sales_pct: sales and target; conversion: conversion, or
 *    inquiries and buyers; response_s: response; aov_pct: order value;
 *    reply_rate: reply rate), with a value in every row. In fixed mode any
 *    one metric column will do, and every row must hold a figure. Values of
 *    other recognised columns are optional and kept when given.
 *  - Agents: the cell is matched against the agents on the month's board
 *    (hired by its last day, not left before its first): exact name first,
 *    then handle. A name shared by two agents on the board, an agent not on
 *    the board, an unknown name and a second row for one agent are problems.
 *    Summary rows (agent 合计, 总计, 汇总, 平均, 平均值, 均值, total, sum,
 *    average) are skipped with a note.
 */
#ifndef KPIDESK_KPI_IMPORT_H
#define KPIDESK_KPI_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kpidesk/date.h"
#include "kpidesk/rulebook.h"
#include "kpidesk/score.h"
#include "kpidesk/status.h"

/* The most bytes a file may hold. */
#define KPI_IMPORT_MAX_BYTES (16u * 1024u * 1024u)

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

/* The header names accepted for the column, comma separated, as documented
 * ("销售目标, 目标, target, sales_target"); NULL out of range. */
const char *kpi_column_headers(enum kpi_column column);

/* The column a header cell names, or -1. */
int kpi_column_of_header(const char *header);

enum kpi_encoding {
	KPI_ENC_UTF8,
	KPI_ENC_UTF8_BOM,
	KPI_ENC_GB18030,
};

/* "UTF-8", "UTF-8 with BOM", "GB18030". */
const char *kpi_encoding_name(enum kpi_encoding encoding);

/* A problem or a note: `line` is the file's physical line (1 = the first),
 * 0 for the file as a whole; `text` is "column: what is wrong" or, when no
 * column is concerned, "what is wrong". */
struct kpi_message {
	int32_t line;
	char *text;
};

/* Decodes the file's bytes to UTF-8 text (NUL-terminated, without a BOM).
 * On success returns KD_OK with *text owned by the caller (free()); on
 * KD_ERR_INPUT *why is a message saying which encoding was tried and where
 * it failed (owned by the caller), *text is NULL. KD_ERR_NOMEM otherwise. */
enum kd_status kpi_text_decode(const char *bytes, size_t len, char **text,
                               size_t *text_len, enum kpi_encoding *encoding,
                               struct kpi_message *why);

/* One CSV record: fields as written (quotes removed, doubled quotes
 * undone, line breaks inside quotes kept as '\n'). */
struct kpi_csv_record {
	int32_t line; /* the physical line the record starts on */
	size_t field_count;
	char **fields;
};

struct kpi_csv {
	size_t record_count;
	struct kpi_csv_record *records; /* blank records left out */
	size_t problem_count;
	struct kpi_message *problems;
};

/* Splits UTF-8 text into records (the delimiter as described above). Returns
 * KD_OK, KD_ERR_INPUT with the problems listed in *out (a field left open
 * at the end of the file, text after a closing quote), or KD_ERR_NOMEM. *out
 * is filled in every case; free it with kpi_csv_finish. */
enum kd_status kpi_csv_parse(const char *text, size_t len, struct kpi_csv *out);
void kpi_csv_finish(struct kpi_csv *csv);

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

/* The result of reading one file. */
struct kpi_import {
	enum kpi_encoding encoding;
	bool columns[KPI_COL_COUNT];   /* found in the header */
	size_t row_count;              /* 0 unless the parse returned KD_OK */
	struct score_metrics *metrics; /* row_count: agent_id and month set */
	int32_t *lines;                /* row_count: each row's line */
	size_t problem_count;
	struct kpi_message *problems; /* in line order */
	size_t note_count;
	struct kpi_message *notes; /* skipped summary rows */
};

/* Reads a file's bytes for `month` under the rulebook `rb`, matching agent
 * cells against `agents` (only id, name, handle, hired and left are read).
 * Returns KD_OK when the file can be imported as a whole (no problem),
 * KD_ERR_INPUT when out->problems lists every problem found, KD_ERR_NOMEM.
 * *out is filled in every case; free it with kpi_import_finish. */
enum kd_status kpi_import_parse(const char *bytes, size_t len,
                                const struct rulebook *rb, kd_month month,
                                const struct score_agent *agents,
                                size_t agent_count, struct kpi_import *out);
void kpi_import_finish(struct kpi_import *imp);

#endif
