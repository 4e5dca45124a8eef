/* kpidesk: thin. The locale and the message catalogue, the global
 * options, then a command (src/cli) or the shift desk (src/tui). */
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <string.h>

#include "kpidesk/app.h"
#include "kpidesk/cli.h"
#include "kpidesk/tui.h"

int main(int argc, char **argv)
{
	struct cli_request req;
	int rc;

	setlocale(LC_ALL, "");
	/* Column widths of Chinese text need a UTF-8 character type; under
	 * the C locale fall back to C.UTF-8 for LC_CTYPE only. */
	const char *codeset = nl_langinfo(CODESET);
	if (!codeset || strcmp(codeset, "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
	app_i18n_init();
	/* Past a file size limit a write fails with EFBIG and is reported
	 * (the old file stays); the default action would kill the process. */
	signal(SIGXFSZ, SIG_IGN);

	rc = cli_parse_globals(argc, argv, &req);
	if (rc >= 0)
		return rc;
	if (req.first < argc) {
		rc = cli_run(&req, argc, argv);
	} else {
		rc = cli_desk_prepare(&req);
		if (rc == 0) {
			struct tui_options options = {
			    .db_path = req.db_path,
			    .config_path = req.config_path,
			    .no_mouse = req.no_mouse,
			    .ambiwidth = req.ambiwidth,
			};
			rc = tui_run(&options);
		}
	}
	cli_request_finish(&req);
	return rc;
}
