/* kpi import and kpi target: a month's KPI metrics from the shop back end's
 * export as downloaded (CSV or XLSX), and the sales targets an export does
 * not carry (RULEBOOK.md section 8). The work is done by the application
 * layer (kpidesk/app_import.h); this file parses the options and words the
 * outcome. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "kpidesk/app_import.h"
#include "kpidesk/fixed.h"

/* The file name without its directories, for the audit log. */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

void cli_print_import_messages(const char *path, const char *prefix,
                               const struct kpi_message *items, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		if (items[i].line > 0)
			fprintf(stderr, "kpidesk: %s%s:%d: %s\n", prefix, path,
			        (int)items[i].line, items[i].text);
		else
			fprintf(stderr, "kpidesk: %s%s: %s\n", prefix, path,
			        items[i].text);
	}
}

int cli_import_refused(const char *path, const struct kpi_message *problems,
                       size_t problem_count, const char *sheet,
                       size_t sheet_count, bool sheet_named,
                       const struct app_refusal *why)
{
	if (why->code == APP_IMPORT_PROBLEMS) {
		cli_print_import_messages(path, "", problems, problem_count);
		if (sheet != NULL && sheet_count > 1 && !sheet_named)
			cli_error("%s: read the first sheet, %s; name another "
			          "with --sheet NAME",
			          path, sheet);
	}
	return cli_refused(why);
}

int cli_cmd_kpi_import(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {{"month", true, false, NULL},
	                         {"sheet", true, false, NULL}};
	const char *pos[1];
	size_t npos;
	kd_month month;
	struct app_kpi_import out = {0};
	struct app_refusal why;
	char *data = NULL;
	size_t len = 0;
	char m[16], source[512];
	int rc;

	if (!cli_parse_args("kpi import", argc, argv, opts, 2, pos, 1, &npos))
		return 2;
	if (npos < 1) {
		cli_error(
		    "kpi import: FILE is missing (kpi import FILE --month "
		    "YYYY-MM [--sheet NAME])");
		return 2;
	}
	if (!opts[0].seen) {
		cli_error("kpi import: --month is required: say which month "
		          "the figures are for (--month YYYY-MM)");
		return 2;
	}
	if (!cli_parse_month("--month", opts[0].value, &month))
		return 2;
	if (opts[1].seen &&
	    !cli_check_text("--sheet", opts[1].value, 256, false))
		return 2;
	month_format(m, sizeof(m), month);
	if (!app_import_read_file(pos[0], &data, &len, &why))
		return cli_refused(&why);
	if ((rc = cli_need_store(ctx)) != 0) {
		free(data);
		return rc;
	}
	snprintf(source, sizeof(source), "%s", base_name(pos[0]));
	if (!app_kpi_import(&ctx->app, ctx->today, data, len,
	                    opts[1].seen ? opts[1].value : NULL, month, pos[0],
	                    source, &out, &why)) {
		rc = cli_import_refused(pos[0], out.imp.problems,
		                        out.imp.problem_count, out.sheet,
		                        out.sheet_count, opts[1].seen, &why);
	} else {
		cli_print_import_messages(pos[0], "note: ", out.imp.notes,
		                          out.imp.note_count);
		if (ctx->app.rb->mode != RB_MODE_KPI)
			cli_error("note: the rulebook scores in fixed mode: "
			          "the metrics are stored but do not score "
			          "(sales only break ties in rank)");
		printf("imported %zu agent%s metrics for %s from %s (",
		       out.imp.row_count, out.imp.row_count == 1 ? "'s" : "s'",
		       m, pos[0]);
		if (out.sheet != NULL)
			printf("sheet %s", out.sheet);
		else
			printf("read as %s",
			       kpi_encoding_name(out.imp.encoding));
		putchar(')');
		if (out.imp.targets_from_store > 0)
			printf("; %zu target%s from kpi target",
			       out.imp.targets_from_store,
			       out.imp.targets_from_store == 1 ? "" : "s");
		if (out.replaced > 0)
			printf("; replaced the %zu imported before",
			       out.replaced);
		putchar('\n');
		rc = 0;
	}
	app_kpi_import_finish(&out);
	free(data);
	return rc;
}

int cli_cmd_kpi_target(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {{"month", true, false, NULL},
	                         {"tier", true, false, NULL}};
	const char *pos[2];
	size_t npos;
	kd_month month;
	struct app_refusal why;
	int64_t fen = 0;
	size_t count = 0;
	char m[16], money[32], name[128];
	bool ok;
	int rc;

	if (!cli_parse_args("kpi target", argc, argv, opts, 2, pos, 2, &npos))
		return 2;
	if (npos < (opts[1].seen ? 1u : 2u) || (opts[1].seen && npos > 1)) {
		cli_error("kpi target: give AGENT AMOUNT, or --tier T AMOUNT "
		          "(kpi target AGENT AMOUNT --month YYYY-MM)");
		return 2;
	}
	if (!opts[0].seen) {
		cli_error("kpi target: --month is required: say which month "
		          "the target is for (--month YYYY-MM)");
		return 2;
	}
	if (!cli_parse_month("--month", opts[0].value, &month))
		return 2;
	if (!cli_check_text("AMOUNT", pos[npos - 1], 64, false) ||
	    (opts[1].seen &&
	     !cli_check_text("--tier", opts[1].value, CLI_NAME_MAX, false)) ||
	    (!opts[1].seen &&
	     !cli_check_text("AGENT", pos[0], CLI_NAME_MAX, false)))
		return 2;
	if ((rc = cli_need_store(ctx)) != 0)
		return rc;
	if (opts[1].seen)
		ok = app_kpi_target_tier(&ctx->app, ctx->today, opts[1].value,
		                         pos[0], "AMOUNT", month, &count, &fen,
		                         &why);
	else
		ok = app_kpi_target_agent(&ctx->app, ctx->today, pos[0], pos[1],
		                          "AMOUNT", month, &fen, name,
		                          sizeof(name), &why);
	if (!ok)
		return cli_refused(&why);
	month_format(m, sizeof(m), month);
	fixed_format(money, sizeof(money), fen, 2, 2);
	if (opts[1].seen)
		printf("set the %s sales target of %zu %s agent%s to %s\n", m,
		       count, opts[1].value, count == 1 ? "" : "s", money);
	else
		printf("set the %s sales target of %s to %s\n", m, name, money);
	return 0;
}
