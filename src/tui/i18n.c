/* The message catalogue: one binding for the whole program, done by the
 * app layer (app_i18n_init: the compiled catalogues next to the program
 * when run from its build directory, else the installed locale directory),
 * so the desk's text and the app's refusals come from the same place.
 * Also the runtime failures' words, which come from below the app layer
 * in English, in the desk's language. */
#include <stdio.h>
#include <string.h>

#include "tui_internal.h"

void tui_i18n_init(void)
{
	app_i18n_init();
}

/* The messages of kd_status_message() (KD_STATUS_LIST in
 * kpidesk/status.h), marked here for the catalogue: check-tui checks that
 * each one is here and translated. */
static const char *const status_msgids[] = {
    N_("success"),        N_("bad usage"),
    N_("bad input"),      N_("bad rulebook"),
    N_("not found"),      N_("conflicts with what is stored"),
    N_("database error"), N_("input/output error"),
    N_("out of memory"),
};

const char *tui_status_text(enum kd_status status)
{
	const char *msg = kd_status_message(status);
	for (size_t i = 0; i < sizeof(status_msgids) / sizeof(*status_msgids);
	     i++)
		if (strcmp(status_msgids[i], msg) == 0)
			return _(status_msgids[i]);
	return msg;
}

/* The store's words for the failures a lead meets at the desk (another
 * desk holding the file, a read-only file, a full disk), in the desk's
 * language; any other detail as it is. */
char *tui_failure_text(const char *detail, char *buf, size_t size)
{
	int secs = 0, n = 0;
	static const char ro[] = "database is read-only: ";
	static const char full[] = "disk full: cannot write ";
	if (sscanf(detail,
	           "database is busy: another kpidesk kept it locked for "
	           "over %d s: %n",
	           &secs, &n) == 1 &&
	    n > 0)
		snprintf(buf, size,
		         _("database is busy: another kpidesk kept it "
		           "locked for over %d s: %s"),
		         secs, detail + n);
	else if (strncmp(detail, ro, sizeof(ro) - 1) == 0)
		snprintf(buf, size, _("database is read-only: %s"),
		         detail + sizeof(ro) - 1);
	else if (strncmp(detail, full, sizeof(full) - 1) == 0)
		snprintf(buf, size, _("disk full: cannot write %s"),
		         detail + sizeof(full) - 1);
	else {
		const char *msg = detail;
		for (size_t i = 0;
		     i < sizeof(status_msgids) / sizeof(*status_msgids); i++)
			if (strcmp(status_msgids[i], detail) == 0)
				msg = _(status_msgids[i]);
		snprintf(buf, size, "%s", msg);
	}
	return buf;
}

char *tui_refusal_text(const struct app_refusal *why, char *buf, size_t size)
{
	if (why->code == APP_FAILED)
		return tui_failure_text(why->detail[0]
		                            ? why->detail
		                            : kd_status_message(why->status),
		                        buf, size);
	return app_refusal_text(why, buf, size);
}
