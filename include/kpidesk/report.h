/* Month results and lists -> text: aligned tables, CSV, JSON.
 *
 * Tables are aligned by display cells (kpidesk/text.h), so Chinese names line
 * up. CSV is written by kpidesk/csv.h (RFC 4180; text that looks like a
 * formula is kept text). JSON follows PRODUCT.md, written with
 * kpidesk/json.h.
 */
#ifndef KPIDESK_REPORT_H
#define KPIDESK_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kpidesk/rulebook.h"
#include "kpidesk/score.h"
#include "kpidesk/status.h"
#include "kpidesk/store.h"

enum report_format { REPORT_TABLE, REPORT_CSV, REPORT_JSON };

/* "table", "csv" or "json"; false for anything else. */
bool report_format_parse(const char *text, enum report_format *out);

/* A table of text cells, written as an aligned table or as CSV. */
struct report_table;

struct report_table *report_table_create(size_t columns,
                                         const char *const *headers);
void report_table_destroy(struct report_table *table);
/* Right-align a column in text output. */
void report_table_align_right(struct report_table *table, size_t column);
/* A column of numbers: right-aligned in text, number cells in CSV (every
 * other cell is a text cell, kept from running as a formula: kpidesk/csv.h). */
void report_table_numeric(struct report_table *table, size_t column);
/* Appends a row of `columns` cells (copied; NULL prints as ""). */
enum kd_status report_table_add_row(struct report_table *table,
                                    const char *const *cells);
/* Columns separated by two spaces, each padded to its widest cell in
 * display cells; trailing spaces trimmed; a header line. */
enum kd_status report_table_write_text(const struct report_table *table,
                                       FILE *out);
enum kd_status report_table_write_csv(const struct report_table *table,
                                      FILE *out);

/* The lists and the board, in the three formats. `today` picks the tier an
 * agent holds for the agent list. */
enum kd_status report_agents(FILE *out, enum report_format format,
                             const struct rulebook *rb,
                             const struct store_agent_list *agents,
                             kd_date today);

/* points_cp[i] belongs to events->events[i] (score_event_points). */
enum kd_status report_events(FILE *out, enum report_format format,
                             const struct rulebook *rb,
                             const struct store_event_list *events,
                             const int64_t *points_cp);

enum kd_status report_score(FILE *out, enum report_format format,
                            const struct rulebook *rb,
                            const struct score_month_result *result,
                            bool closed);

/* The flags of a result as "promote,no_bonus" (for tables and CSV). */
void report_flags_text(unsigned flags, char *buf, size_t size);

#endif
