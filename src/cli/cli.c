#include "kpidesk/cli.h"

#include <errno.h>
#include <getopt.h>
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
	char raw[2048], shown[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* Messages echo what was typed: never a raw control character. */
	fprintf(stderr, "kpidesk: %s\n",
	        text_sanitize(shown, sizeof(shown), raw));
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
    {"void", NULL, cli_cmd_void, "void EVENT --reason TEXT", "voids an event"},
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
     "score [--month M] [--format table|csv|json]", "the month's scoreboard"},
    {"review", NULL, cli_cmd_review,
     "review [--month M] [--format md|html|csv|xlsx] [--output FILE]",
     "the month review as a document (default md)"},
    {"month", "close", cli_cmd_month_close, "month close M [--yes]",
     "closes the month: stores its board and rulebook"},
    {"month", "reopen", cli_cmd_month_reopen, "month reopen M --reason TEXT",
     "reopens a closed month (scored with today's rules again)"},
    {"month", "set", cli_cmd_month_set, "month set M --silent-sales AMOUNT",
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
    {"demo", NULL, cli_cmd_demo, "demo [--agents N] [--months N] [--seed S]",
     "fills an empty database with realistic demo data"},
    {"backup", NULL, cli_cmd_backup, "backup FILE",
     "a consistent copy of the database, taken while in use"},
    /* Hidden (not in --help): what the shell completion asks. */
    {"__complete", NULL, cli_cmd_complete, "__complete WHAT [WORD ...]", NULL},
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
	      "  --no-mouse     the desk leaves the mouse to the terminal\n"
	      "  --ambiwidth=1|2  cells of an ambiguous-width character "
	      "(default:\n"
	      "                 $KPIDESK_AMBIWIDTH, else asked of the "
	      "terminal)\n"
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

/* getopt_long's val of option k: clear of 1, ':' and '?', which it
 * returns for positionals and errors. */
#define OPT_VAL(k) (0x100 + (int)(k))

/* The name of an option getopt_long reported by its val; NULL if none. */
static const char *opt_name(const struct cli_opt *opts, size_t opt_count,
                            int val)
{
	return val >= OPT_VAL(0) && val < OPT_VAL(opt_count)
	           ? opts[val - OPT_VAL(0)].name
	           : NULL;
}

bool cli_parse_args(const char *command, int argc, char **argv,
                    struct cli_opt *opts, size_t opt_count, const char **pos,
                    size_t max_pos, size_t *pos_count)
{
	*pos_count = 0;
	/* getopt_long wants a program name in front and may reorder; give
	 * it its own vector. */
	char **args = calloc((size_t)argc + 2, sizeof(*args));
	struct option *longopts = calloc(opt_count + 1, sizeof(*longopts));
	/* Subcommands have no short options: "-1" or "-" is an argument
	 * (a negative QTY is refused by its own check). getopt would read
	 * it as options, so it stands in as a mark ("_" at marks + 2i) and
	 * is mapped back. */
	char *marks = calloc(2 * ((size_t)argc + 1), 1);
	bool ok = args && longopts && marks;
	if (!ok) {
		cli_error("out of memory");
		goto out;
	}
	char name[64];
	snprintf(name, sizeof(name), "%s", command);
	args[0] = name;
	for (int i = 0; i < argc; i++) {
		args[i + 1] = argv[i];
		if (argv[i][0] == '-' && argv[i][1] != '-') {
			marks[2 * i] = '_';
			args[i + 1] = marks + 2 * i;
		}
	}
	for (size_t k = 0; k < opt_count; k++)
		longopts[k] = (struct option){
		    opts[k].name,
		    opts[k].takes_value ? required_argument : no_argument, NULL,
		    OPT_VAL(k)};
	/* "-": positionals come back in order as 1; ":": a missing value
	 * comes back as ':'. No short options: subcommands have none. */
	optind = 0;
	opterr = 0;
	int c;
	while (ok &&
	       (c = getopt_long(argc + 1, args, "-:", longopts, NULL)) != -1) {
		if (optarg && optarg >= marks && optarg < marks + 2 * argc)
			optarg = argv[(optarg - marks) / 2];
		if (c == 1) {
			if (*pos_count >= max_pos) {
				cli_error("%s: unexpected argument '%s'",
				          command, optarg);
				ok = false;
			} else {
				pos[(*pos_count)++] = optarg;
			}
		} else if (c == ':') {
			const char *oname = opt_name(opts, opt_count, optopt);
			cli_error("%s: --%s needs a value", command,
			          oname ? oname : "?");
			ok = false;
		} else if (c == '?') {
			const char *oname = opt_name(opts, opt_count, optopt);
			if (oname) {
				cli_error("%s: --%s takes no value", command,
				          oname);
			} else {
				const char *arg = args[optind - 1];
				const char *eq = strchr(arg, '=');
				int len =
				    eq ? (int)(eq - arg) : (int)strlen(arg);
				cli_error("%s: unknown option '%.*s'", command,
				          len, arg);
			}
			ok = false;
		} else {
			struct cli_opt *opt = &opts[c - OPT_VAL(0)];
			if (opt->seen) {
				cli_error("%s: --%s given twice", command,
				          opt->name);
				ok = false;
			}
			opt->seen = true;
			opt->value = optarg;
		}
	}
	/* After "--" everything is positional. */
	for (int i = optind; ok && i < argc + 1; i++) {
		const char *arg = args[i];
		if (arg >= marks && arg < marks + 2 * argc)
			arg = argv[(arg - marks) / 2];
		if (*pos_count >= max_pos) {
			cli_error("%s: unexpected argument '%s'", command, arg);
			ok = false;
		} else {
			pos[(*pos_count)++] = arg;
		}
	}
out:
	free(marks);
	free(args);
	free(longopts);
	return ok;
}

/* ---- input checks ---- */

int cli_refused(const struct app_refusal *why)
{
	char text[1024];
	cli_error("%s", app_refusal_text(why, text, sizeof(text)));
	return app_refusal_exit(why);
}

bool cli_check_text(const char *what, const char *text, size_t max_bytes,
                    bool allow_blank)
{
	struct app_refusal why;
	if (app_check_text(what, text, max_bytes, allow_blank, &why))
		return true;
	cli_refused(&why);
	return false;
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

/* --db, else $KPIDESK_DB, else XDG; --config, else $KPIDESK_CONFIG, else
 * the XDG file if it exists, else NULL (the built-in rulebook). */
static void resolve_paths(struct cli_request *req, const char *db,
                          const char *config)
{
	if (db) {
		req->db_path = strdup(db);
	} else {
		const char *env = getenv("KPIDESK_DB");
		req->db_path = env && env[0]
		                   ? strdup(env)
		                   : xdg_path("XDG_DATA_HOME", ".local/share",
		                              "kpidesk/kpidesk.db");
	}
	if (config) {
		req->config_path = strdup(config);
		return;
	}
	const char *env = getenv("KPIDESK_CONFIG");
	if (env && env[0]) {
		req->config_path = strdup(env);
		return;
	}
	char *p = xdg_path("XDG_CONFIG_HOME", ".config", "kpidesk/kpidesk.ini");
	struct stat sb;
	if (p && stat(p, &sb) == 0)
		req->config_path = p;
	else
		free(p);
}

static void print_config_errors(const struct config_errors *errors)
{
	for (size_t i = 0; i < errors->count; i++)
		fprintf(stderr, "kpidesk: %s\n", errors->messages[i]);
}

/* Loads the rulebook at `path` (NULL: built in), printing every error. */
static int load_rulebook(const char *path, struct rulebook **out)
{
	struct config_errors errors = {0};
	enum kd_status status = app_rulebook_load(path, out, &errors);
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

int cli_need_rulebook(struct cli_ctx *ctx)
{
	return ctx->app.rb ? 0
	                   : load_rulebook(ctx->app.config_path, &ctx->app.rb);
}

static int check_rulebook(const struct cli_request *req)
{
	struct rulebook *rb = NULL;
	int rc = load_rulebook(req->config_path, &rb);
	rulebook_destroy(rb);
	return rc;
}

static int no_database(void)
{
	cli_error("no database: give --db PATH or set KPIDESK_DB "
	          "(neither XDG_DATA_HOME nor HOME is set)");
	return 2;
}

int cli_need_store(struct cli_ctx *ctx)
{
	if (ctx->app.st)
		return 0;
	if (!ctx->app.db_path)
		return no_database();
	char err[512] = "";
	enum kd_status status =
	    app_open_store(&ctx->app, "cli", err, sizeof(err));
	if (status != KD_OK) {
		cli_error("%s", err[0] ? err : kd_status_message(status));
		return kd_status_exit_code(status);
	}
	return 0;
}

int cli_find_agent(struct cli_ctx *ctx, const char *ref,
                   struct store_agent *out)
{
	struct app_refusal why;
	return app_agent_find(&ctx->app, ref, out, &why) ? 0
	                                                 : cli_refused(&why);
}

/* ---- main ---- */

static const struct cli_command *find_command(int argc, char **argv, int *words)
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

int cli_parse_globals(int argc, char **argv, struct cli_request *req)
{
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {"db", required_argument, NULL, 'd'},
	    {"config", required_argument, NULL, 'c'},
	    {"no-mouse", no_argument, NULL, 'm'},
	    {"ambiwidth", required_argument, NULL, 'w'},
	    {NULL, 0, NULL, 0},
	};
	const char *db = NULL, *config = NULL;
	bool no_mouse = false;
	int ambiwidth = 0;
	int c;
	memset(req, 0, sizeof(*req));
	/* "+": stop at the command; its options are its own. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			print_help(stdout);
			return 0;
		case 'V':
			printf("kpidesk %s\n", KPIDESK_VERSION);
			return 0;
		case 'd':
		case 'c':
			if (!optarg[0]) {
				cli_error("--%s: the path is empty",
				          c == 'd' ? "db" : "config");
				return 2;
			}
			if (c == 'd')
				db = optarg;
			else
				config = optarg;
			break;
		case 'm':
			no_mouse = true;
			break;
		case 'w':
			if (strcmp(optarg, "1") != 0 &&
			    strcmp(optarg, "2") != 0) {
				cli_error(
				    "--ambiwidth: '%s' is neither 1 nor 2 "
				    "(cells of an ambiguous-width "
				    "character)",
				    optarg);
				return 2;
			}
			ambiwidth = optarg[0] - '0';
			break;
		case ':':
			cli_error("--%s needs a value", optopt == 'd' ? "db"
			                                : optopt == 'w'
			                                    ? "ambiwidth"
			                                    : "config");
			return 2;
		default: {
			const char *arg = argv[optind - 1];
			if (optopt && strncmp(arg, "--", 2) != 0)
				cli_error("unknown option '-%c' (see 'kpidesk "
				          "--help')",
				          optopt);
			else
				cli_error("unknown option '%s' (see 'kpidesk "
				          "--help')",
				          arg);
			return 2;
		}
		}
	}
	resolve_paths(req, db, config);
	req->first = optind;
	req->no_mouse = no_mouse;
	req->ambiwidth = ambiwidth;
	return -1;
}

void cli_request_finish(struct cli_request *req)
{
	free(req->db_path);
	free(req->config_path);
	memset(req, 0, sizeof(*req));
}

int cli_run(struct cli_request *req, int argc, char **argv)
{
	struct cli_ctx ctx = {0};
	int i = req->first;
	int rc, words = 0;
	ctx.today = clock_today();
	ctx.app.db_path = req->db_path;
	ctx.app.config_path = req->config_path;
	req->db_path = req->config_path = NULL;

	const struct cli_command *cmd =
	    find_command(argc - i, argv + i, &words);
	if (!cmd) {
		unknown_command(argc - i, argv + i);
		rc = 2;
		goto done;
	}
	/* config check validates its own file and config init writes one: a
	 * bad default rulebook must not stop them, nor the completion, which
	 * prints nothing rather than errors. Everything else needs a valid
	 * rulebook first, before the database is touched. */
	if ((cmd->run == cli_cmd_config_check ||
	     cmd->run == cli_cmd_config_init || cmd->run == cli_cmd_complete)) {
		rc = cmd->run(&ctx, argc - i - words, argv + i + words);
		goto done;
	}
	/* Each command opens the database itself, once its arguments are
	 * known to be good: a refused command leaves no file behind. */
	rc = cli_need_rulebook(&ctx);
	if (rc)
		goto done;
	rc = cmd->run(&ctx, argc - i - words, argv + i + words);
done:
	app_finish(&ctx.app);
	if (fflush(stdout) != 0 && rc == 0) {
		cli_error("cannot write the output: %s", strerror(errno));
		rc = 1;
	}
	return rc;
}

int cli_desk_prepare(const struct cli_request *req)
{
	if (!req->db_path)
		return no_database();
	return check_rulebook(req);
}
