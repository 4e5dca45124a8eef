/* The shift desk: the full-screen program a team lead keeps open all day
 * (PRODUCT.md "The shift desk screen").
 *
 * tui_run() opens the database and the rulebook, takes over the terminal
 * with newterm() (never initscr(), which exits the process when TERM is
 * unset or unknown) and runs until the lead quits or SIGTERM / SIGHUP /
 * SIGINT arrives. The terminal is restored on every way out. Every entry is
 * committed by the store the moment it is made, so quitting never loses
 * anything. SIGUSR1 reloads the rulebook (swapped in only if it validates).
 *
 * UI text comes from gettext (domain "kpidesk"): the caller has called
 * setlocale(); tui_run binds the catalogue itself (see tui_i18n_init).
 */
#ifndef KPIDESK_TUI_H
#define KPIDESK_TUI_H

struct tui_options {
	const char *db_path;     /* required */
	const char *config_path; /* NULL: the built-in rulebook */
	bool no_mouse;           /* --no-mouse */
	/* Cells of an East Asian ambiguous-width character (box lines,
	 * ▲▼…): 1 or 2 as forced by --ambiwidth, 0 to ask the terminal
	 * (KPIDESK_AMBIWIDTH forces it too). */
	int ambiwidth;
};

/* Runs the desk. Returns the process exit status: 0 after a normal quit or
 * a termination signal, 1 for a runtime failure (database), 2 when the
 * terminal cannot be used (TERM unset or unknown, not a terminal) or the
 * rulebook is bad. Messages of a failure go to stderr, after the terminal
 * has been restored, and begin with "kpidesk:". */
int tui_run(const struct tui_options *options);

/* Binds the "kpidesk" message catalogue: the compiled catalogues next to
 * the program (build/po/LANG/LC_MESSAGES/kpidesk.mo, for a program run from
 * its build directory) when present, else the installed locale directory.
 * Safe to call more than once. */
void tui_i18n_init(void);

#endif
