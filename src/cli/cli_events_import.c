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
	struct app_import_why why;
	char *data = NULL;
	size_t len = 0;
	enum kd_status status;
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
	status = app_import_read_file(pos[0], &data, &len, &why);
	if (status != KD_OK)
		return cli_import_refusal(ctx, pos[0], status, &why);
	if ((rc = cli_need_store(ctx)) != 0) {
		free(data);
		return rc;
	}
	status = app_events_import(ctx->app.st, ctx->app.rb, ctx->today, data, len,
	                           opts[0].seen ? opts[0].value : NULL,
	                           base_name(pos[0]), opts[1].seen, &out, &why);
	if (status != KD_OK && why.refusal == APP_IMPORT_PROBLEMS) {
		cli_print_import_messages(pos[0], "", out.imp.problems,
		                          out.imp.problem_count);
		if (out.sheet != NULL && out.sheet_count > 1 && !opts[0].seen)
			cli_error("%s: read the first sheet, %s; name another "
			          "with --sheet NAME",
			          pos[0], out.sheet);
		cli_error("%s: %zu problem%s; nothing imported", pos[0],
		          out.imp.problem_count,
		          out.imp.problem_count == 1 ? "" : "s");
		rc = 2;
	} else if (status != KD_OK) {
		rc = cli_import_refusal(ctx, pos[0], status, &why);
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
