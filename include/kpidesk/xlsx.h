/* The month review as an Excel workbook for payroll (PRODUCT.md "Payroll
 * in Excel", `kpidesk review --format xlsx`), written with libxlsxwriter.
 *
 * Two sheets: the board (rank, name, tier, score, grade, change from last
 * month, pay adjustment, bonus share, awards, fines, net, flags spelled
 * out), one row per agent in rank order; and the breakdown (each agent's
 * base or KPI metrics, categories with occurrences, points and fines, the
 * combination rule, the score and the money lines). Headers and sheet
 * names are Chinese under a Chinese locale (the message catalogue), English
 * otherwise; tiers are the rulebook's labels or keys to match. Numbers are
 * number cells (money as #,##0.00, points as 0.00); every text cell is a
 * string cell, so a name like "=HYPERLINK(...)" stays text. The header row
 * of each sheet is frozen.
 */
#ifndef KPIDESK_XLSX_H
#define KPIDESK_XLSX_H

#include "kpidesk/review.h"
#include "kpidesk/status.h"

/* Writes the workbook of rm to `path` (created or truncated: the caller
 * gives a temporary file it then publishes). KD_ERR_IO when the workbook
 * cannot be written, KD_ERR_NOMEM. */
enum kd_status xlsx_write_review(const char *path,
                                 const struct review_month *rm);

#endif
