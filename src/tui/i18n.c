/* The message catalogue: found next to the program when it runs from its
 * build directory (meson compiles po/ into build/po/LANG/LC_MESSAGES), else
 * in the installed locale directory. */
#include <libintl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keys.h"
#include "kpidesk/tui.h"

#ifndef KPIDESK_LOCALEDIR
#define KPIDESK_LOCALEDIR "/usr/local/share/locale"
#endif

void tui_i18n_init(void)
{
	char exe[PATH_MAX];
	const char *dir = KPIDESK_LOCALEDIR;
	char local[PATH_MAX + 16];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			struct stat sb;
			strcpy(local, exe);
			strcat(local, "/po");
			if (stat(local, &sb) == 0 && S_ISDIR(sb.st_mode))
				dir = local;
		}
	}
	bindtextdomain(TUI_DOMAIN, dir);
	bind_textdomain_codeset(TUI_DOMAIN, "UTF-8");
}
