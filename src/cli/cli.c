#include "kpidesk/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_internal.h"
#include "kpidesk/config.h"
#include "kpidesk/fixed.h"
#include "kpidesk/text.h"

#ifndef KPIDESK_VERSION
#define KPIDESK_VERSION "0.1.0"
#endif

void cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("kpidesk: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- the command table: dispatch and --help come from it ---- */

typedef int (*cli_handler)(struct cli_ctx *ctx, int argc, char **argv);

struct cli_command {
	const char *word1;
	const char *word2; /* NULL for one-word commands */
	cli_handler run;
	const char *usage;
	const char *summary;
};

static const struct cli_command commands[] = {
	{"agent", "add", cli_cmd_agent_add,
	 "agent add NAME [--handle H] [--tier T] [--hired DATE] "
	 "[--role presales|aftersales]",
	 "adds an agent, prints its id"},
	{"agent", "list", cli_cmd_agent_list,
	 "agent list [--all] [--format table|csv|json]", "lists agents"},
	{"agent", "edit", cli_cmd_agent_edit,
	 "agent edit AGENT [--name N] [--handle H] [--tier T [--since "
	 "YYYY-MM]] [--hired D] [--left D|none]",
	 "changes an agent"},
	{"log", NULL, cli_cmd_log,
	 "log AGENT CATEGORY [QTY] [--date D] [--note TEXT]",
	 "logs an event, prints its id"},
	{"void", NULL, cli_cmd_void, "void EVENT --reason TEXT",
	 "voids an event"},
	{"appeal", "resolve", cli_cmd_appeal_resolve,
	 "appeal resolve EVENT uphold|void --reason TEXT",
	 "resolves an appeal: the event stands, or is voided"},
	{"appeal", NULL, cli_cmd_appeal, "appeal EVENT --reason TEXT",
	 "appeals an event with the agent's reason (it stays counted)"},
	{"events", "import", cli_cmd_events_import,
	 "events import FILE [--sheet NAME] [--again]",
	 "brings past entries in from a CSV or XLSX sheet (all or "
	 "nothing)"},
	{"events", NULL, cli_cmd_events,
	 "events [--month M | --date D] [--agent AGENT] [--all] [--format "
	 "table|csv|json]",
	 "lists events (--all includes voided)"},
	{"score", NULL, cli_cmd_score,
	 "score [--month M] [--format table|csv|json]",
	 "the month's scoreboard"},
	{"review", NULL, cli_cmd_review,
	 "review [--month M] [--format md|html|csv|xlsx] [--output FILE]",
	 "the month review as a document (default md)"},
	{"month", "close", cli_cmd_month_close, "month close M [--yes]",
	 "closes the month: stores its board and rulebook"},
	{"month", "reopen", cli_cmd_month_reopen,
	 "month reopen M --reason TEXT",
	 "reopens a closed month (scored with today's rules again)"},
	{"month", "set", cli_cmd_month_set,
	 "month set M --silent-sales AMOUNT",
	 "enters the month's silent-order sales (yuan)"},
	{"kpi", "import", cli_cmd_kpi_import,
	 "kpi import FILE --month M [--sheet NAME]",
	 "imports the month's KPI metrics (the back end's CSV or XLSX "
	 "export)"},
	{"kpi", "target", cli_cmd_kpi_target,
	 "kpi target AGENT AMOUNT --month M | kpi target --tier T AMOUNT "
	 "--month M",
	 "sets a month's sales target (yuan) of an agent or a tier"},
	{"config", "check", cli_cmd_config_check, "config check [FILE]",
	 "validates a rulebook; prints every error, exits 2 if any"},
	{"config", "init", cli_cmd_config_init, "config init [--kpi] [FILE]",
	 "writes a starter rulebook to edit (default, or KPI with --kpi)"},
	{"demo", NULL, cli_cmd_demo,
	 "demo [--agents N] [--months N] [--seed S]",
	 "fills an empty database with realistic demo data"},
	{"backup", NULL, cli_cmd_backup, "backup FILE",
	 "a consistent copy of the database, taken while in use"},
	/* Hidden (not in --help): what the shell completion asks. */
	{"__complete", NULL, cli_cmd_complete, "__complete WHAT [WORD ...]",
	 NULL},
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

bool cli_command_at(size_t i, const char **word1, const char **word2,
		    const char **usage)
{
	if (i >= COMMAND_COUNT)
		return false;
	*word1 = commands[i].word1;
	*word2 = commands[i].word2;
	*usage = commands[i].usage;
	return true;
}

static void print_help(FILE *out)
{
	fputs("kpidesk " KPIDESK_VERSION
	      " - 客服绩效值班台, the customer-service team lead's desk\n\n"
	      "usage: kpidesk [--db PATH] [--config PATH] [COMMAND ...]\n\n"
	      "With no command, kpidesk opens the shift desk (the TUI).\n\n"
	      "commands:\n",
	      out);
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		if (commands[i].summary)
			fprintf(out, "  %s\n      %s\n", commands[i].usage,
				commands[i].summary);
	fputs("\noptions:\n"
	      "  --db PATH      the database (default $KPIDESK_DB, else\n"
	      "                 $XDG_DATA_HOME/kpidesk/kpidesk.db)\n"
	      "  --config PATH  the rulebook (default $KPIDESK_CONFIG, else\n"
	      "                 $XDG_CONFIG_HOME/kpidesk/kpidesk.ini, else "
	      "built in)\n"
	      "  --help, --version\n\n"
	      "AGENT is an id, an exact name or a handle; dates are "
	      "YYYY-MM-DD,\nmonths YYYY-MM (default: the current one).\n"
	      "Exit status: 0 success, 1 runtime failure, 2 bad usage, "
	      "input or rulebook.\n\n"
	      "Manuals: man kpidesk (commands, files, environment), "
	      "man 5 kpidesk.ini\n(the rulebook).\n",
	      out);
}

/* ---- option parsing ---- */

bool cli_parse_args(const char *command, int argc, char **argv,
		    struct cli_opt *opts, size_t opt_count, const char **pos,
		    size_t max_pos, size_t *pos_count)
{
	*pos_count = 0;
	bool options_done = false;
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		if (!options_done && strcmp(arg, "--") == 0) {
			options_done = true;
			continue;
		}
		if (options_done || strncmp(arg, "--", 2) != 0) {
			if (*pos_count >= max_pos) {
				cli_error("%s: unexpected argument '%s'",
					  command, arg);
				return false;
			}
			pos[(*pos_count)++] = arg;
			continue;
		}
		const char *name = arg + 2;
		const char *eq = strchr(name, '=');
		size_t name_len = eq ? (size_t)(eq - name) : strlen(name);
		struct cli_opt *opt = NULL;
		for (size_t k = 0; k < opt_count; k++)
			if (strlen(opts[k].name) == name_len &&
			    strncmp(opts[k].name, name, name_len) == 0)
				opt = &opts[k];
		if (!opt) {
			cli_error("%s: unknown option '--%.*s'", command,
				  (int)name_len, name);
			return false;
		}
		if (opt->seen) {
			cli_error("%s: --%s given twice", command, opt->name);
			return false;
		}
		opt->seen = true;
		if (!opt->takes_value) {
			if (eq) {
				cli_error("%s: --%s takes no value", command,
					  opt->name);
				return false;
			}
			continue;
		}
		if (eq) {
			opt->value = eq + 1;
		} else if (i + 1 < argc) {
			opt->value = argv[++i];
		} else {
			cli_error("%s: --%s needs a value", command, opt->name);
			return false;
		}
	}
	return true;
}

/* ---- input checks ---- */

bool cli_check_text(const char *what, const char *text, size_t max_bytes,
		    bool allow_blank)
{
	size_t len = strlen(text);
	if (!text_is_utf8(text, len)) {
		cli_error("%s: not valid UTF-8 text", what);
		return false;
	}
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			cli_error("%s: control characters (such as line "
				  "breaks) are not allowed",
				  what);
			return false;
		}
	}
	if (!allow_blank && text_is_blank(text)) {
		cli_error("%s: must not be empty", what);
		return false;
	}
	if (len > max_bytes) {
		cli_error("%s: too long (%zu bytes, at most %zu)", what, len,
			  max_bytes);
		return false;
	}
	return true;
}

bool cli_parse_date(const char *what, const char *text, kd_date *out)
{
	if (!cli_check_text(what, text, 64, false))
		return false;
	if (!date_parse(text, out)) {
		cli_error("%s: '%s' is not a date (YYYY-MM-DD, a day that "
			  "exists)",
			  what, text);
		return false;
	}
	return true;
}

bool cli_parse_month(const char *what, const char *text, kd_month *out)
{
	if (!cli_check_text(what, text, 64, false))
		return false;
	if (!month_parse(text, out)) {
		cli_error("%s: '%s' is not a month (YYYY-MM)", what, text);
		return false;
	}
	return true;
}

bool cli_parse_format(const char *text, enum report_format *out)
{
	if (!report_format_parse(text, out)) {
		cli_error("--format: '%s' is not a format (table, csv or json)",
			  text);
		return false;
	}
	return true;
}

/* ---- rulebook and database ---- */

static char *path_join(const char *dir, const char *tail)
{
	size_t n = strlen(dir) + strlen(tail) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, tail);
	return p;
}

/* $XDG_x_HOME/tail, or $HOME/fallback/tail; NULL if neither is set. */
static char *xdg_path(const char *xdg_var, const char *home_fallback,
		      const char *tail)
{
	const char *xdg = getenv(xdg_var);
	if (xdg && xdg[0] == '/')
		return path_join(xdg, tail);
	const char *home = getenv("HOME");
	if (!home || !home[0])
		return NULL;
	char *base = path_join(home, home_fallback);
	if (!base)
		return NULL;
	char *p = path_join(base, tail);
	free(base);
	return p;
}

static void resolve_paths(struct cli_ctx *ctx)
{
	if (!ctx->db_path) {
		const char *env = getenv("KPIDESK_DB");
		if (env && env[0])
			ctx->db_path = env;
		else
			ctx->db_path = ctx->owned_db_path = xdg_path(
				"XDG_DATA_HOME", ".local/share",
				"kpidesk/kpidesk.db");
	}
	if (!ctx->config_path) {
		const char *env = getenv("KPIDESK_CONFIG");
		if (env && env[0]) {
			ctx->config_path = env;
		} else {
			char *p = xdg_path("XDG_CONFIG_HOME", ".config",
					   "kpidesk/kpidesk.ini");
			struct stat sb;
			if (p && stat(p, &sb) == 0)
				ctx->config_path = ctx->owned_config_path = p;
			else
				free(p);
		}
	}
}

static void print_config_errors(const struct config_errors *errors)
{
	for (size_t i = 0; i < errors->count; i++)
		fprintf(stderr, "kpidesk: %s\n", errors->messages[i]);
}

int cli_need_rulebook(struct cli_ctx *ctx)
{
	if (ctx->rb)
		return 0;
	struct config_errors errors = {0};
	enum kd_status status =
		config_load_rulebook(ctx->config_path, &ctx->rb, &errors);
	if (status != KD_OK) {
		print_config_errors(&errors);
		if (errors.count == 0)
			cli_error("the rulebook could not be loaded: %s",
				  kd_status_message(status));
		config_errors_finish(&errors);
		/* A rulebook that cannot be read is bad input too: exit 2. */
		return 2;
	}
	config_errors_finish(&errors);
	return 0;
}

int cli_need_store(struct cli_ctx *ctx)
{
	if (ctx->st)
		return 0;
	if (!ctx->db_path) {
		cli_error("no database: give --db PATH or set KPIDESK_DB "
			  "(neither XDG_DATA_HOME nor HOME is set)");
		return 2;
	}
	char err[512] = "";
	enum kd_status status = store_open(ctx->db_path, &ctx->st, err,
					   sizeof(err));
	if (status != KD_OK) {
		cli_error("%s", err[0] ? err : kd_status_message(status));
		return kd_status_exit_code(status);
	}
	store_set_actor(ctx->st, "cli");
	return 0;
}

int cli_store_failure(struct cli_ctx *ctx, enum kd_status status)
{
	const char *msg = ctx->st ? store_last_error(ctx->st) : "";
	cli_error("%s", msg && msg[0] ? msg : kd_status_message(status));
	return kd_status_exit_code(status);
}

int cli_find_agent(struct cli_ctx *ctx, const char *ref,
		   struct store_agent *out)
{
	if (!cli_check_text("AGENT", ref, CLI_NAME_MAX, false))
		return 2;
	enum kd_status status = store_agent_find(ctx->st, ref, out);
	if (status == KD_ERR_NOT_FOUND) {
		cli_error("unknown agent '%s' (give an id, an exact name or a "
			  "handle; 'kpidesk agent list' shows them)",
			  ref);
		return 2;
	}
	if (status != KD_OK)
		return cli_store_failure(ctx, status);
	return 0;
}

/* ---- main ---- */

static const struct cli_command *find_command(int argc, char **argv,
					      int *words)
{
	for (size_t i = 0; i < COMMAND_COUNT; i++) {
		const struct cli_command *c = &commands[i];
		if (strcmp(argv[0], c->word1) != 0)
			continue;
		if (!c->word2) {
			*words = 1;
			return c;
		}
		if (argc > 1 && strcmp(argv[1], c->word2) == 0) {
			*words = 2;
			return c;
		}
	}
	return NULL;
}

static void unknown_command(int argc, char **argv)
{
	bool known_group = false;
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		if (strcmp(argv[0], commands[i].word1) == 0 &&
		    commands[i].word2)
			known_group = true;
	if (known_group && argc > 1)
		cli_error("unknown command '%s %s' (see 'kpidesk --help')",
			  argv[0], argv[1]);
	else if (known_group)
		cli_error("'%s' needs a subcommand (see 'kpidesk --help')",
			  argv[0]);
	else
		cli_error("unknown command '%s' (see 'kpidesk --help')",
			  argv[0]);
}

int cli_main(int argc, char **argv)
{
	struct cli_ctx ctx = {0};
	ctx.today = clock_today();
	int i = 1;
	for (; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			print_help(stdout);
			return 0;
		}
		if (strcmp(arg, "--version") == 0 || strcmp(arg, "-V") == 0) {
			printf("kpidesk %s\n", KPIDESK_VERSION);
			return 0;
		}
		const char **target = NULL;
		size_t n = 0;
		if (strncmp(arg, "--db", 4) == 0 && (arg[4] == '\0' || arg[4] == '=')) {
			target = &ctx.db_path;
			n = 4;
		} else if (strncmp(arg, "--config", 8) == 0 &&
			   (arg[8] == '\0' || arg[8] == '=')) {
			target = &ctx.config_path;
			n = 8;
		}
		if (!target) {
			if (arg[0] == '-' && arg[1] != '\0') {
				cli_error("unknown option '%s' (see 'kpidesk "
					  "--help')",
					  arg);
				return 2;
			}
			break;
		}
		const char *value;
		if (arg[n] == '=')
			value = arg + n + 1;
		else if (i + 1 < argc)
			value = argv[++i];
		else {
			cli_error("%.*s needs a value", (int)n, arg);
			return 2;
		}
		if (!value[0]) {
			cli_error("%.*s: the path is empty", (int)n, arg);
			return 2;
		}
		*target = value;
	}
	resolve_paths(&ctx);

	int rc;
	const struct cli_command *cmd = NULL;
	int words = 0;
	if (i < argc) {
		cmd = find_command(argc - i, argv + i, &words);
		if (!cmd) {
			unknown_command(argc - i, argv + i);
			rc = 2;
			goto done;
		}
	}
	/* config check validates its own file and config init writes one: a
	 * bad default rulebook must not stop them, nor the completion, which
	 * prints nothing rather than errors. Everything else needs a valid
	 * rulebook first, before the database is touched. */
	if (cmd && (cmd->run == cli_cmd_config_check ||
		    cmd->run == cli_cmd_config_init ||
		    cmd->run == cli_cmd_complete)) {
		rc = cmd->run(&ctx, argc - i - words, argv + i + words);
		goto done;
	}
	/* Each command opens the database itself, once its arguments are
	 * known to be good: a refused command leaves no file behind. */
	rc = cli_need_rulebook(&ctx);
	if (rc)
		goto done;
	rc = cmd ? cmd->run(&ctx, argc - i - words, argv + i + words)
		 : cli_cmd_default(&ctx);
done:
	store_close(ctx.st);
	rulebook_destroy(ctx.rb);
	free(ctx.owned_db_path);
	free(ctx.owned_config_path);
	if (fflush(stdout) != 0 && rc == 0) {
		cli_error("cannot write the output: %s", strerror(errno));
		rc = 1;
	}
	return rc;
}
