/* config check: validates a rulebook without touching any database. */
#include "cli_internal.h"
#include "kpidesk/config.h"

int cli_cmd_config_check(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *pos[1];
	size_t npos;
	if (!cli_parse_args("config check", argc, argv, NULL, 0, pos, 1, &npos))
		return 2;
	const char *path = npos ? pos[0] : ctx->config_path;
	struct config_errors errors = {0};
	struct rulebook *rb = NULL;
	const char *name = config_source_name(path);
	enum kd_status status = config_load_rulebook(path, &rb, &errors);
	for (size_t i = 0; i < errors.count; i++)
		fprintf(stderr, "kpidesk: %s\n", errors.messages[i]);
	int rc = 0;
	if (status != KD_OK) {
		if (errors.count == 0)
			cli_error("%s: %s", name, kd_status_message(status));
		else
			cli_error("%s: %zu error%s; the rulebook is refused",
			          name, errors.count,
			          errors.count == 1 ? "" : "s");
		rc = 2;
	} else {
		printf("%s: OK (team %s, %s scoring, %zu categories, %zu "
		       "tiers, %zu KPI metrics)\n",
		       name, rb->team_name,
		       rb->mode == RB_MODE_KPI ? "KPI" : "fixed",
		       rb->category_count, rb->tier_count, rb->kpi_count);
	}
	config_errors_finish(&errors);
	rulebook_destroy(rb);
	return rc;
}
