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
 * transaction only when nothing is wrong (all or nothing); the month and
 * the entries' rules are checked inside that transaction, so a second desk
 * closing the month meanwhile is refused, not overwritten.
 * Refusals come back as struct app_refusal, worded from the app's one
 * message table (kpidesk/app.h) like every other use case's. A file with
 * problems is refused with APP_IMPORT_PROBLEMS, its problems listed in the
 * import's own list (line by line) for the front end to show first.
 */
#ifndef KPIDESK_APP_IMPORT_H
#define KPIDESK_APP_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kpidesk/app.h"
#include "kpidesk/date.h"
#include "kpidesk/import.h"
#include "kpidesk/rulebook.h"
#include "kpidesk/status.h"
#include "kpidesk/store.h"

/* Reads a whole file (at most IMPORT_MAX_BYTES) into *bytes, owned by the
 * caller; else APP_FILE_READ, APP_FILE_TOO_LARGE or APP_FAILED (out of
 * memory). */
bool app_import_read_file(const char *path, char **bytes, size_t *len,
                          struct app_refusal *why);

struct app_kpi_import {
	struct kpi_import imp; /* rows, problems and notes */
	char *sheet;           /* the XLSX sheet read, else NULL */
	size_t sheet_count;    /* the workbook's sheets */
	size_t replaced;       /* the month's rows imported before */
};

/* Imports the file's metrics for `month` (not after today's month, not
 * closed). The agents matched are those on the month's board; targets
 * missing from the file come from the set ones. `path` names the file in
 * refusals, `source` in the audit log. Free *out with app_kpi_import_finish in
 * every case. */
bool app_kpi_import(struct app *app, kd_date today, const char *bytes,
                    size_t len, const char *sheet, kd_month month,
                    const char *path, const char *source,
                    struct app_kpi_import *out, struct app_refusal *why);
void app_kpi_import_finish(struct app_kpi_import *out);

/* Sets the month's sales target of one agent (id, exact name or handle; on
 * the month's board), audited. The month may lie ahead (targets are often
 * set before the month begins); a closed one is refused. `amount_field`
 * names the amount in a refusal ("AMOUNT"). *name gets the agent's name. */
bool app_kpi_target_agent(struct app *app, kd_date today, const char *agent_ref,
                          const char *amount, const char *amount_field,
                          kd_month month, int64_t *target_fen, char *name,
                          size_t name_size, struct app_refusal *why);

/* Sets it for every agent on the month's board whose tier that month is
 * `tier` (a key or label of [tiers]); *count gets how many. */
bool app_kpi_target_tier(struct app *app, kd_date today, const char *tier,
                         const char *amount, const char *amount_field,
                         kd_month month, size_t *count, int64_t *target_fen,
                         struct app_refusal *why);

struct app_events_import {
	struct events_import imp; /* entries and problems */
	char *sheet;
	size_t sheet_count;
};

/* Imports past entries, each checked by the same rules as `kpidesk log`
 * checks one (a refused entry is a problem on its line, worded from the
 * message table), in one transaction with one audit row. The same file
 * (name, entry count, first and last date) imported before is refused
 * (APP_IMPORT_TWICE) unless `again`: a second import would double every
 * entry. `path` names the file in refusals, `source` in the audit log.
 * Free *out with app_events_import_finish in every case. */
bool app_events_import(struct app *app, const char *bytes, size_t len,
                       const char *sheet, const char *path, const char *source,
                       bool again, struct app_events_import *out,
                       struct app_refusal *why);
void app_events_import_finish(struct app_events_import *out);

#endif
