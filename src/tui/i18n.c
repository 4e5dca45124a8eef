/* The message catalogue: one binding for the whole program, done by the
 * app layer (app_i18n_init: the compiled catalogues next to the program
 * when run from its build directory, else the installed locale directory),
 * so the desk's text and the app's refusals come from the same place. */
#include "kpidesk/app.h"
#include "kpidesk/tui.h"

void tui_i18n_init(void)
{
	app_i18n_init();
}
