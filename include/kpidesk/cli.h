/* The command line (PRODUCT.md "The command line").
 *
 * cli_main() parses the global options (--db, --config, --help, --version),
 * loads and validates the rulebook, opens the database and runs one
 * subcommand. It returns the process exit status: 0 success, 1 a runtime
 * failure (database, disk), 2 bad usage, bad input or a bad rulebook.
 * Messages go to stderr and begin with "kpidesk:".
 */
#ifndef KPIDESK_CLI_H
#define KPIDESK_CLI_H

int cli_main(int argc, char **argv);

#endif
