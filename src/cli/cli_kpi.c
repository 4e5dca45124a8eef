/* kpi import: a month's KPI metrics from the shop back end's CSV export
 * (RULEBOOK.md section 8). All or nothing: the whole file is checked
 * first (kpidesk/kpi_import.h) and stored in one transaction only when
 * nothing is wrong. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "kpidesk/kpi_import.h"

/* Reads the whole file (at most KPI_IMPORT_MAX_BYTES + 1 bytes, so that a
 * larger one is seen as too large). Returns 0 or the exit status. */
static int read_file(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t capacity = 64 * 1024;
	char *buf;

	*data = NULL;
	*len = 0;
	if (f == NULL) {
		cli_error("%s: cannot read: %s", path, strerror(errno));
		return 2;
	}
	buf = malloc(capacity);
	while (buf != NULL) {
		size_t got = fread(buf + *len, 1, capacity - *len, f);

		*len += got;
		if (*len < capacity || *len > KPI_IMPORT_MAX_BYTES)
			break;
		{
			char *grown = realloc(buf, capacity * 2);

			if (grown == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = grown;
			capacity *= 2;
		}
	}
	if (buf == NULL) {
		fclose(f);
		cli_error("%s: %s", path, kd_status_message(KD_ERR_NOMEM));
		return 1;
	}
	if (ferror(f)) {
		cli_error("%s: cannot read: %s", path, strerror(errno));
		fclose(f);
		free(buf);
		return 2;
	}
	fclose(f);
	*data = buf;
	return 0;
}

/* The file name without its directories, for the audit log. */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

static void print_messages(const char *path, const char *prefix,
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

/* The agents as the parser wants them (it reads id, name, handle and the
 * hire and leave dates). */
static struct score_agent *score_agents(const struct store_agent_list *list)
{
	struct score_agent *agents =
	    calloc(list->count ? list->count : 1, sizeof(*agents));

	if (agents == NULL)
		return NULL;
	for (size_t i = 0; i < list->count; i++) {
		const struct store_agent *a = &list->agents[i];

		agents[i].id = a->id;
		agents[i].name = a->name;
		agents[i].handle = a->handle;
		agents[i].hired = a->hired;
		agents[i].left = a->left;
	}
	return agents;
}

static int import_checked(struct cli_ctx *ctx, const char *path, kd_month month,
                          const struct kpi_import *imp)
{
	struct store_metrics_list before;
	char source[512], m[16];
	enum kd_status status;

	month_format(m, sizeof(m), month);
	status = store_metrics_between(ctx->app.st, month, month, &before);
	if (status != KD_OK)
		return cli_store_failure(ctx, status);
	snprintf(source, sizeof(source), "%s (%zu row%s)", base_name(path),
	         imp->row_count, imp->row_count == 1 ? "" : "s");
	status = store_metrics_replace(ctx->app.st, month, imp->row_count,
	                               imp->metrics, source);
	/* A month closed since the check above: the store refuses it
	 * (KD_ERR_CONFLICT, exit 2) and says so. */
	if (status != KD_OK) {
		store_metrics_list_finish(&before);
		return cli_store_failure(ctx, status);
	}
	printf("imported %zu agent%s metrics for %s from %s (read as %s)",
	       imp->row_count, imp->row_count == 1 ? "'s" : "s'", m, path,
	       kpi_encoding_name(imp->encoding));
	if (before.count > 0)
		printf("; replaced the %zu imported before", before.count);
	putchar('\n');
	store_metrics_list_finish(&before);
	return 0;
}

int cli_cmd_kpi_import(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_opt opts[] = {{"month", true, false, NULL}};
	const char *pos[1];
	size_t npos;
	kd_month month;
	struct store_month info;
	struct store_agent_list list = {0};
	struct score_agent *agents = NULL;
	struct kpi_import imp;
	char *data = NULL;
	size_t len = 0;
	char m[16];
	enum kd_status status;
	int rc;

	if (!cli_parse_args("kpi import", argc, argv, opts, 1, pos, 1, &npos))
		return 2;
	if (npos < 1) {
		cli_error(
		    "kpi import: FILE is missing (kpi import FILE --month "
		    "YYYY-MM)");
		return 2;
	}
	if (!opts[0].seen) {
		cli_error("kpi import: --month is required: say which month "
		          "the figures are for (--month YYYY-MM)");
		return 2;
	}
	if (!cli_parse_month("--month", opts[0].value, &month))
		return 2;
	month_format(m, sizeof(m), month);
	if (month > date_month(ctx->today)) {
		char now[16];

		cli_error(
		    "--month: %s is after this month (%s)", m,
		    month_format(now, sizeof(now), date_month(ctx->today)));
		return 2;
	}
	if ((rc = read_file(pos[0], &data, &len)) != 0)
		return rc;

	if ((rc = cli_need_store(ctx)) != 0)
		goto done;
	status = store_month_get(ctx->app.st, month, &info);
	if (status != KD_OK) {
		rc = cli_store_failure(ctx, status);
		goto done;
	}
	if (info.closed) {
		cli_error("%s is closed; reopen it before importing its "
		          "metrics",
		          m);
		rc = 2;
		goto done;
	}
	status = store_agent_list(ctx->app.st, true, ctx->today, &list);
	if (status != KD_OK) {
		rc = cli_store_failure(ctx, status);
		goto done;
	}
	agents = score_agents(&list);
	if (agents == NULL) {
		cli_error("%s", kd_status_message(KD_ERR_NOMEM));
		rc = 1;
		goto done;
	}

	status = kpi_import_parse(data, len, ctx->app.rb, month, agents, list.count,
	                          &imp);
	if (status == KD_ERR_NOMEM) {
		cli_error("%s", kd_status_message(status));
		rc = 1;
	} else if (status != KD_OK) {
		print_messages(pos[0], "", imp.problems, imp.problem_count);
		cli_error("%s: %zu problem%s; nothing imported", pos[0],
		          imp.problem_count, imp.problem_count == 1 ? "" : "s");
		rc = 2;
	} else {
		print_messages(pos[0], "note: ", imp.notes, imp.note_count);
		if (ctx->app.rb->mode != RB_MODE_KPI)
			cli_error("note: the rulebook scores in fixed mode: "
			          "the metrics are stored but do not score "
			          "(sales only break ties in rank)");
		rc = import_checked(ctx, pos[0], month, &imp);
	}
	kpi_import_finish(&imp);
done:
	free(agents);
	store_agent_list_finish(&list);
	free(data);
	return rc;
}
