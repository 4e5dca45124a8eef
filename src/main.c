/* kpidesk: thin. The locale, then the command line (src/cli). */
#include <langinfo.h>
#include <locale.h>
#include <string.h>

#include "kpidesk/cli.h"

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	/* Column widths of Chinese text need a UTF-8 character type; under
	 * the C locale fall back to C.UTF-8 for LC_CTYPE only. */
	const char *codeset = nl_langinfo(CODESET);
	if (!codeset || strcmp(codeset, "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
	return cli_main(argc, argv);
}
