/* The command line (PRODUCT.md "The command line").
 *
 * main() parses the global options (--db, --config, --help, --version)
 * with cli_parse_globals, then runs one subcommand with cli_run, or opens
 * the desk (kpidesk/tui.h) when there is none. Every function returns the
 * process exit status: 0 success, 1 a runtime failure (database, disk), 2
 * bad usage, bad input or a bad rulebook. Messages go to stderr and begin
 * with "kpidesk:".
 */
#ifndef KPIDESK_CLI_H
#define KPIDESK_CLI_H

#include <stdbool.h>

/* What the global options ask for, with the defaults filled in. */
struct cli_request {
	char *db_path;     /* --db, $KPIDESK_DB, else XDG; NULL if none */
	char *config_path; /* --config, $KPIDESK_CONFIG, the XDG file if it
	                    * exists; NULL: the built-in rulebook */
	int first;         /* argv index of the command; argc: none */
	bool no_mouse;     /* --no-mouse: the desk leaves the mouse alone */
	int ambiwidth;     /* --ambiwidth=1|2; 0: the desk asks */
};

/* Parses the global options (getopt_long). Returns -1 when the program
 * goes on (a command, or the desk), else the exit status after --help,
 * --version or a bad option. */
int cli_parse_globals(int argc, char **argv, struct cli_request *req);

/* Runs the command at argv[req->first]; takes over the request's paths. */
int cli_run(struct cli_request *req, int argc, char **argv);

/* Before the desk opens: a database path and a rulebook that loads (every
 * error printed), so a bad one never clears the screen. 0 or 2. */
int cli_desk_prepare(const struct cli_request *req);

void cli_request_finish(struct cli_request *req);

#endif
