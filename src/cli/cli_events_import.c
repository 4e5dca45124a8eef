/* events import: entries kept before kpidesk, from the lead's old
 * spreadsheet (CSV or XLSX), all or nothing (kpidesk/app_import.h). */
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "kpidesk/app_import.h"

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

int cli_cmd_events_import(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {{"sheet", true, false, NULL},
	                         {"again", false, false, NULL}};
	const char *pos[1];
	size_t npos;
	struct app_events_import out = {0};
	struct app_refusal why;
	char *data = NULL;
	size_t len = 0;
	int rc;

	if (!cli_parse_args("events import", argc, argv, opts, 2, pos, 1,
	                    &npos))
		return 2;
	if (npos < 1) {
		cli_error("events import: FILE is missing (events import FILE "
		          "[--sheet NAME] [--again])");
		return 2;
	}
	if (opts[0].seen &&
	    !cli_check_text("--sheet", opts[0].value, 256, false))
		return 2;
	if (!app_import_read_file(pos[0], &data, &len, &why))
		return cli_refused(&why);
	if ((rc = cli_need_store(ctx)) != 0) {
		free(data);
		return rc;
	}
	if (!app_events_import(&ctx->app, data, len,
	                       opts[0].seen ? opts[0].value : NULL, pos[0],
	                       base_name(pos[0]), opts[1].seen, &out, &why)) {
		rc = cli_import_refused(pos[0], out.imp.problems,
		                        out.imp.problem_count, out.sheet,
		                        out.sheet_count, opts[0].seen, &why);
	} else {
		char first[16], last[16];

		printf("imported %zu entr%s from %s (%s %s; %s to %s)\n",
		       out.imp.entry_count,
		       out.imp.entry_count == 1 ? "y" : "ies", pos[0],
		       out.sheet != NULL ? "sheet" : "read as",
		       out.sheet != NULL ? out.sheet
		                         : kpi_encoding_name(out.imp.encoding),
		       month_format(first, sizeof(first), out.imp.first_month),
		       month_format(last, sizeof(last), out.imp.last_month));
		rc = 0;
	}
	app_events_import_finish(&out);
	free(data);
	return rc;
}
