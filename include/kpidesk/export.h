/* The month review as a document (PRODUCT.md "The month review", `kpidesk
 * review`): CSV for payroll, Markdown and HTML for the record.
 *
 * - CSV (kpidesk/csv.h: RFC 4180, CRLF, text kept from running as a
 *   formula; UTF-8 with a byte-order mark, so Chinese Excel reads it): a
 *   header and one row per agent in rank order: month, id, name, tier,
 *   score, grade, rank, pay_adjust, pool_share, award, streak_award,
 *   attendance_award, awards (the three awards together), fines, net
 *   (pay_adjust + pool_share + awards - fines). Yuan with two decimals, no
 *   signs but "-". Under a Chinese locale the headers are Chinese (the
 *   message catalogue) and the tier is the rulebook's label; otherwise the
 *   headers are these English keys and the tier its key.
 * - XLSX: the workbook of kpidesk/xlsx.h (export_review copies it to out
 *   through a private temporary file; xlsx_write_review writes a path).
 * - Markdown: the month's state and pool, the ranked board, each agent's
 *   breakdown (categories with occurrences, points and fines; the combo rule
 *   if it fired; the base, fixed or KPI with its metrics; money line by
 *   line; flags spelled out with their reasons; the last six months'
 *   scores), and the open appeals. Text from the database is escaped.
 * - HTML: the same as one self-contained page: inline CSS, no scripts,
 *   nothing loaded from elsewhere; each agent's trend is an SVG bar chart
 *   embedded as a data: URI image (so the page stays HTML 4 valid for
 *   `xmllint --html`); laid out for A4 paper when printed. Every text is
 *   HTML-escaped.
 *
 * The documents use the rulebook the board was computed with (rm->rb), so a
 * closed month's export shows the labels and rules it was closed under.
 */
#ifndef KPIDESK_EXPORT_H
#define KPIDESK_EXPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "kpidesk/review.h"
#include "kpidesk/status.h"

enum export_format { EXPORT_MD, EXPORT_HTML, EXPORT_CSV, EXPORT_XLSX };

/* "md", "html", "csv" or "xlsx"; false for anything else. */
bool export_format_parse(const char *text, enum export_format *out);

/* Writes the review of rm (rb, result, closed, closed_at/by, appeals are
 * read; a hand-made review_month works) with its trend (may be NULL: no
 * trend shown). KD_ERR_IO when writing fails, KD_ERR_NOMEM. */
enum kd_status export_review(FILE *out, enum export_format format,
                             const struct review_month *rm,
                             const struct review_trend *trend);

#endif
