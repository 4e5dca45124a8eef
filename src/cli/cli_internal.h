/* Shared by the subcommands of the command line: the run's context, option
 * parsing and the checks every command applies to its input. */
#ifndef KPIDESK_CLI_INTERNAL_H
#define KPIDESK_CLI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kpidesk/app.h"
#include "kpidesk/date.h"
#include "kpidesk/report.h"
#include "kpidesk/rulebook.h"
#include "kpidesk/score.h"
#include "kpidesk/status.h"
#include "kpidesk/store.h"

struct cli_ctx {
	struct app app; /* the database, the rulebook and their paths */
	kd_date today;
	bool no_mouse; /* --no-mouse: the desk ignores the mouse */
	int ambiwidth; /* --ambiwidth: 0 ask the terminal, 1 or 2 cells */
};

/* One option a subcommand accepts: "--name VALUE" / "--name=VALUE", or a
 * flag without a value. Filled by cli_parse_args. */
struct cli_opt {
	const char *name;
	bool takes_value;
	bool seen;
	const char *value;
};

/* Splits argv (after the subcommand words) into options and positional
 * arguments with getopt_long; at most max_pos positionals. Reports unknown
 * options, missing values, repeated options and extra arguments; returns
 * false then. */
bool cli_parse_args(const char *command, int argc, char **argv,
                    struct cli_opt *opts, size_t opt_count, const char **pos,
                    size_t max_pos, size_t *pos_count);

/* Prints "kpidesk: " + the message to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Loads the rulebook (every error printed) and opens the database. */
int cli_need_rulebook(struct cli_ctx *ctx);
int cli_need_store(struct cli_ctx *ctx);

/* Checks text given on the command line that is not stored (a date, a
 * path, an amount) with the app's text rule (app_check_text); `what` names
 * it in the message ("--date"). */
bool cli_check_text(const char *what, const char *text, size_t max_bytes,
                    bool allow_blank);

bool cli_parse_date(const char *what, const char *text, kd_date *out);
bool cli_parse_month(const char *what, const char *text, kd_month *out);
bool cli_parse_format(const char *text, enum report_format *out);

/* Prints the refusal in words ("kpidesk: " + app_refusal_text) and
 * returns its exit status. */
int cli_refused(const struct app_refusal *why);

/* Finds AGENT (id, exact name or handle); prints why not and returns the
 * exit status on failure, 0 on success. */
int cli_find_agent(struct cli_ctx *ctx, const char *ref,
                   struct store_agent *out);

/* Reports a store failure and returns its exit status. */

/* The subcommands; argv starts after the subcommand's own words. */
int cli_cmd_agent_add(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_agent_list(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_agent_edit(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_log(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_void(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_events(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_score(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_month_set(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_kpi_import(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_kpi_target(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_events_import(struct cli_ctx *ctx, int argc, char **argv);

struct kpi_message;
/* The import commands' shared wording (cli_kpi.c): a file's problems or
 * notes as "kpidesk: PREFIXPATH:LINE: text"; and an import refused: its
 * problems (APP_IMPORT_PROBLEMS), which sheet was read when the workbook
 * has more and none was named, then the refusal. Returns the exit
 * status. */
void cli_print_import_messages(const char *path, const char *prefix,
                               const struct kpi_message *items, size_t count);
int cli_import_refused(const char *path, const struct kpi_message *problems,
                       size_t problem_count, const char *sheet,
                       size_t sheet_count, bool sheet_named,
                       const struct app_refusal *why);
int cli_cmd_config_check(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_demo(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_appeal(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_appeal_resolve(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_review(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_month_close(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_month_reopen(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_backup(struct cli_ctx *ctx, int argc, char **argv);
int cli_cmd_config_init(struct cli_ctx *ctx, int argc, char **argv);
/* kpidesk __complete: candidates for the shell completion. */
int cli_cmd_complete(struct cli_ctx *ctx, int argc, char **argv);

/* The i-th command of the table (NULL word2 for one-word commands; a
 * hidden one's word1 begins with '_'); false past the end. */
bool cli_command_at(size_t i, const char **word1, const char **word2,
                    const char **usage);

#define CLI_NAME_MAX APP_NAME_MAX
#define CLI_NOTE_MAX APP_NOTE_MAX

#endif
