/* The import use cases of the application layer (STYLE.md: src/app/), the
 * only door the front ends use to bring data in from outside:
 *
 *  - app_kpi_import: a month's KPI metrics from the shop back end's export
 *    (CSV or XLSX as downloaded; kpidesk/import.h says what is read);
 *  - app_kpi_target_agent / app_kpi_target_tier: a month's sales target,
 *    for exports that carry none (`kpidesk kpi target`);
 *  - app_events_import: past entries from the lead's old spreadsheet.
 *
 * Each reads and checks the whole input first and writes in one
 * transaction only when nothing is wrong (all or nothing); the store checks
 * the month and the agents' dates again inside that transaction, so a
 * second desk closing the month meanwhile is refused, not overwritten.
 * Refusals come back as data (enum app_import_refusal plus the fields a
 * message needs); the front end words them.
 */
#ifndef KPIDESK_APP_IMPORT_H
#define KPIDESK_APP_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kpidesk/date.h"
#include "kpidesk/import.h"
#include "kpidesk/rulebook.h"
#include "kpidesk/status.h"
#include "kpidesk/store.h"

enum app_import_refusal {
	APP_IMPORT_OK,
	APP_IMPORT_FILE,         /* cannot read the file: errno_value */
	APP_IMPORT_TOO_LARGE,    /* more than IMPORT_MAX_BYTES */
	APP_IMPORT_PROBLEMS,     /* the file's problems are listed */
	APP_IMPORT_MONTH_AHEAD,  /* month after this month */
	APP_IMPORT_MONTH_CLOSED, /* month closed: reopen it first */
	APP_IMPORT_BAD_AMOUNT,   /* amount not yuan > 0 */
	APP_IMPORT_NO_AGENT,     /* agent unknown: `ref` */
	APP_IMPORT_AMBIGUOUS,    /* `ref` names more than one agent */
	APP_IMPORT_OFF_BOARD,    /* agent not on the month's board */
	APP_IMPORT_NO_TIER,      /* tier unknown: `ref` */
	APP_IMPORT_TIER_EMPTY,   /* no agent of the tier on the board */
	APP_IMPORT_TWICE,        /* imported already, at `at` */
	APP_IMPORT_STORE,        /* the store failed: store_last_error */
};

/* What a refusal is about. */
struct app_import_why {
	enum app_import_refusal refusal;
	int errno_value;
	kd_month month;
	const char *ref; /* the caller's text (agent or tier) */
	char agent_name[128];
	kd_date hired, left;
	char at[32]; /* APP_IMPORT_TWICE: when the first import was made */
};

/* Reads a whole file (at most IMPORT_MAX_BYTES). KD_OK with *bytes owned by
 * the caller; KD_ERR_INPUT with why->refusal APP_IMPORT_FILE or
 * APP_IMPORT_TOO_LARGE; KD_ERR_NOMEM. */
enum kd_status app_import_read_file(const char *path, char **bytes, size_t *len,
                                    struct app_import_why *why);

struct app_kpi_import {
	struct kpi_import imp; /* rows, problems and notes */
	char *sheet;           /* the XLSX sheet read, else NULL */
	size_t sheet_count;    /* the workbook's sheets */
	size_t replaced;       /* the month's rows imported before */
};

/* Imports the file's metrics for `month` (not after today's month, not
 * closed). The agents matched are those on the month's board; targets
 * missing from the file come from the set ones. `source` names the file in
 * the audit log. Free *out with app_kpi_import_finish in every case. */
enum kd_status app_kpi_import(struct store *st, const struct rulebook *rb,
                              kd_date today, const char *bytes, size_t len,
                              const char *sheet, kd_month month,
                              const char *source, struct app_kpi_import *out,
                              struct app_import_why *why);
void app_kpi_import_finish(struct app_kpi_import *out);

/* Sets the month's sales target of one agent (id, exact name or handle; on
 * the month's board), audited. The month may lie ahead (targets are often
 * set before the month begins); a closed one is refused. */
enum kd_status app_kpi_target_agent(struct store *st, kd_date today,
                                    const char *agent_ref, const char *amount,
                                    kd_month month, int64_t *target_fen,
                                    struct app_import_why *why);

/* Sets it for every agent on the month's board whose tier that month is
 * `tier` (a key or label of [tiers]); *count gets how many. */
enum kd_status app_kpi_target_tier(struct store *st, const struct rulebook *rb,
                                   kd_date today, const char *tier,
                                   const char *amount, kd_month month,
                                   size_t *count, int64_t *target_fen,
                                   struct app_import_why *why);

struct app_events_import {
	struct events_import imp; /* entries and problems */
	char *sheet;
	size_t sheet_count;
};

/* Imports past entries, each checked as `kpidesk log` checks one, in one
 * transaction with one audit row. The same file (name, entry count, first
 * and last date) imported before is refused (APP_IMPORT_TWICE) unless
 * `again`: a second import would double every entry. Free *out with
 * app_events_import_finish in every case. */
enum kd_status app_events_import(struct store *st, const struct rulebook *rb,
                                 kd_date today, const char *bytes, size_t len,
                                 const char *sheet, const char *source,
                                 bool again, struct app_events_import *out,
                                 struct app_import_why *why);
void app_events_import_finish(struct app_events_import *out);

#endif
