/* kpidesk __complete: what the shell completion (completion/kpidesk.bash)
 * asks for. Hidden from --help.
 *
 *   __complete agents | categories | tiers | months | commands
 *       every candidate of that kind, one a line;
 *   __complete line [--] WORD ... CURRENT
 *       the words typed after "kpidesk" with the one being completed last
 *       (maybe empty): the candidates that begin with CURRENT, or the line
 *       "@file" when a file name goes there.
 *
 * What each command takes is read from its usage in the command table
 * (cli.c), so the completion follows the commands as they change. Agents
 * come from the database in use (--db or --config typed on the line win),
 * categories and tiers from the rulebook in use. It never writes: the
 * database is opened read-only (store_open_readonly), and a missing one, or
 * one of an older or newer schema, gives no agents and is left as it is;
 * nothing is ever printed to stderr, and the exit status is 0 unless WHAT
 * is unknown.
 */
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "kpidesk/config.h"

#define WORD_MAX    64 /* tokens of one usage string */
#define MONTHS_BACK 12

/* ---- printing candidates ---- */

struct out {
	const char *prefix; /* printed before each candidate ("--format=") */
	const char *cur;    /* only candidates that begin with this */
	char **seen;        /* printed already, to print each once */
	size_t count, cap;
};

static bool out_seen(struct out *o, const char *word)
{
	for (size_t i = 0; i < o->count; i++)
		if (strcmp(o->seen[i], word) == 0)
			return true;
	return false;
}

static void out_word(struct out *o, const char *word)
{
	if (!word || !word[0] || strncmp(word, o->cur, strlen(o->cur)) != 0)
		return;
	if (out_seen(o, word))
		return;
	if (o->count == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 32;
		char **grown = realloc(o->seen, cap * sizeof(*grown));
		if (!grown)
			return;
		o->seen = grown;
		o->cap = cap;
	}
	char *copy = strdup(word);
	if (!copy)
		return;
	o->seen[o->count++] = copy;
	printf("%s%s\n", o->prefix, word);
}

static void out_finish(struct out *o)
{
	for (size_t i = 0; i < o->count; i++)
		free(o->seen[i]);
	free(o->seen);
}

/* ---- the sources ---- */

/* "~/x" as the shell would expand it when the command runs. */
static char *expand_home(const char *path)
{
	const char *home = getenv("HOME");
	if (strncmp(path, "~/", 2) != 0 || !home || !home[0])
		return strdup(path);
	size_t n = strlen(home) + strlen(path);
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s%s", home, path + 1);
	return p;
}

static void put_agents(struct cli_ctx *ctx, struct out *o)
{
	/* Read-only: a Tab press never creates, migrates or writes the
	 * database; a missing, older or newer one gives no agents. */
	char err[256];
	struct store *st = NULL;
	if (!ctx->app.db_path || store_open_readonly(ctx->app.db_path, &st, err,
	                                             sizeof(err)) != KD_OK)
		return;
	struct store_agent_list list = {0};
	if (store_agent_list(st, true, ctx->today, &list) == KD_OK) {
		for (size_t i = 0; i < list.count; i++) {
			out_word(o, list.agents[i].name);
			out_word(o, list.agents[i].handle);
		}
	}
	store_agent_list_finish(&list);
	store_close(st);
}

static struct rulebook *load_rulebook(struct cli_ctx *ctx)
{
	struct config_errors errors = {0};
	struct rulebook *rb = NULL;
	enum kd_status status;
	if (ctx->app.config_path) {
		status = config_load_file(ctx->app.config_path, &rb, &errors);
	} else {
		size_t len;
		const char *text = config_builtin_text(&len);
		status = config_load_text("(built-in rulebook)", text, len, &rb,
		                          &errors);
	}
	config_errors_finish(&errors);
	if (status != KD_OK) {
		rulebook_destroy(rb);
		return NULL;
	}
	return rb;
}

static void put_categories(struct cli_ctx *ctx, struct out *o)
{
	struct rulebook *rb = load_rulebook(ctx);
	if (!rb)
		return;
	for (size_t i = 0; i < rb->category_count; i++)
		out_word(o, rb->categories[i].key);
	for (size_t i = 0; i < rb->category_count; i++)
		out_word(o, rb->categories[i].label);
	rulebook_destroy(rb);
}

static void put_tiers(struct cli_ctx *ctx, struct out *o)
{
	struct rulebook *rb = load_rulebook(ctx);
	if (!rb)
		return;
	for (size_t i = 0; i < rb->tier_count; i++)
		out_word(o, rb->tiers[i].key);
	rulebook_destroy(rb);
}

/* The current month and the year before it, newest first. */
static void put_months(struct cli_ctx *ctx, struct out *o)
{
	kd_month now = date_month(ctx->today);
	char buf[16];
	for (kd_month m = now; m >= now - MONTHS_BACK; m--)
		out_word(o, month_format(buf, sizeof(buf), m));
}

static void put_commands(struct out *o, bool first_words_only)
{
	const char *w1, *w2, *usage;
	char both[128];
	for (size_t i = 0; cli_command_at(i, &w1, &w2, &usage); i++) {
		if (w1[0] == '_')
			continue;
		if (first_words_only || !w2)
			out_word(o, w1);
		else {
			snprintf(both, sizeof(both), "%s %s", w1, w2);
			out_word(o, both);
		}
	}
}

/* ---- a command's usage: its options and positional arguments ---- */

struct usage_opt {
	char name[64];  /* without the leading "--" */
	char value[64]; /* its placeholder ("M", "table|csv"), "" if none */
	bool used;
};

struct usage {
	struct usage_opt opts[WORD_MAX];
	size_t opt_count;
	char pos[WORD_MAX][64];
	size_t pos_count;
};

/* Copies token t without its leading '[' and trailing ']'. */
static void strip_brackets(char *dst, size_t size, const char *t, size_t n)
{
	while (n > 0 && *t == '[') {
		t++;
		n--;
	}
	while (n > 0 && t[n - 1] == ']')
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(dst, t, n);
	dst[n] = '\0';
}

static struct usage_opt *usage_opt(struct usage *u, const char *name,
                                   size_t name_len)
{
	for (size_t i = 0; i < u->opt_count; i++)
		if (strlen(u->opts[i].name) == name_len &&
		    strncmp(u->opts[i].name, name, name_len) == 0)
			return &u->opts[i];
	return NULL;
}

/* "agent add NAME [--handle H] [--tier T [--since YYYY-MM]]": the words of
 * the command (skip of them) are left out. A second form after a '|'
 * outside brackets ("kpi target AGENT AMOUNT --month M | kpi target --tier
 * T AMOUNT --month M") adds its options; the positionals are the first
 * form's. */
static void usage_parse(const char *text, int skip, struct usage *u)
{
	const char *tok[WORD_MAX];
	size_t len[WORD_MAX], n = 0;
	for (const char *p = text; *p && n < WORD_MAX;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		tok[n] = p;
		while (*p && *p != ' ')
			p++;
		len[n] = (size_t)(p - tok[n]);
		n++;
	}
	memset(u, 0, sizeof(*u));
	int depth = 0; /* brackets open before this token */
	bool second_form = false;
	for (size_t i = (size_t)skip; i < n; i++) {
		int opened = 0, closed_count = 0;
		for (size_t k = 0; k < len[i]; k++) {
			opened += tok[i][k] == '[';
			closed_count += tok[i][k] == ']';
		}
		int here = depth;
		depth += opened - closed_count;
		char word[64];
		strip_brackets(word, sizeof(word), tok[i], len[i]);
		if (strcmp(word, "|") == 0 && here == 0) {
			second_form = true;
			/* The command's words again: not arguments. */
			for (int k = 0;
			     k < skip && i + 1 < n && len[i + 1] == len[k] &&
			     strncmp(tok[i + 1], tok[k], len[k]) == 0;
			     k++)
				i++;
			continue;
		}
		if (word[0] == '\0' || strcmp(word, "|") == 0)
			continue;
		if (strncmp(word, "--", 2) != 0) {
			if (!second_form && u->pos_count < WORD_MAX)
				snprintf(u->pos[u->pos_count++], 64, "%s",
				         word);
			continue;
		}
		if (u->opt_count >= WORD_MAX ||
		    usage_opt(u, word + 2, strlen(word + 2)))
			continue;
		struct usage_opt *opt = &u->opts[u->opt_count++];
		snprintf(opt->name, sizeof(opt->name), "%s", word + 2);
		/* "--yes]" closes its bracket: a flag. Otherwise the next
		 * token is its value unless it opens another bracket. */
		bool closed = tok[i][len[i] - 1] == ']';
		if (closed || i + 1 >= n || tok[i + 1][0] == '[')
			continue;
		char next[64];
		strip_brackets(next, sizeof(next), tok[i + 1], len[i + 1]);
		if (strncmp(next, "--", 2) == 0 || strcmp(next, "|") == 0)
			continue;
		snprintf(opt->value, sizeof(opt->value), "%s", next);
		i++; /* the value's brackets count too: */
		for (size_t k = 0; k < len[i]; k++)
			depth += (tok[i][k] == '[') - (tok[i][k] == ']');
	}
}

/* The candidates a placeholder stands for: "table|csv|json" its words,
 * AGENT the agents, M a month, FILE a file, D today ... */
static void put_placeholder(struct cli_ctx *ctx, struct out *o,
                            const char *placeholder)
{
	char alt[64];
	const char *p = placeholder;
	while (*p) {
		size_t n = strcspn(p, "|");
		snprintf(alt, sizeof(alt), "%.*s", (int)n, p);
		p += n;
		if (*p == '|')
			p++;
		bool upper = true;
		for (const char *c = alt; *c; c++)
			if (*c >= 'a' && *c <= 'z')
				upper = false;
		if (!upper)
			out_word(o, alt);
		else if (strcmp(alt, "AGENT") == 0)
			put_agents(ctx, o);
		else if (strcmp(alt, "CATEGORY") == 0)
			put_categories(ctx, o);
		else if (strcmp(alt, "T") == 0 || strcmp(alt, "TIER") == 0)
			put_tiers(ctx, o);
		else if (strcmp(alt, "M") == 0 || strcmp(alt, "YYYY-MM") == 0)
			put_months(ctx, o);
		else if (strcmp(alt, "D") == 0 || strcmp(alt, "DATE") == 0) {
			char buf[16];
			out_word(o, date_format(buf, sizeof(buf), ctx->today));
		} else if (strcmp(alt, "FILE") == 0 || strcmp(alt, "PATH") == 0)
			printf("@file\n");
	}
}

/* ---- completing a command line ---- */

static const char *const global_options[] = {
    "--db",       "--config",      "--help",        "--version",
    "--no-mouse", "--ambiwidth=1", "--ambiwidth=2", NULL};

/* Options the program takes before the command; returns how many words
 * (1 or 2) the one at done[i] takes, with a path it sets. */
static int global_words(struct cli_ctx *ctx, char **done, int ndone, int i,
                        bool *value_is_cur, char **owned)
{
	const char *w = done[i];
	char **target = NULL;
	size_t n = 0;
	(void)owned; /* the ctx owns its paths now (struct app) */
	if (strncmp(w, "--db", 4) == 0 && (w[4] == '\0' || w[4] == '=')) {
		target = &ctx->app.db_path;
		n = 4;
	} else if (strncmp(w, "--config", 8) == 0 &&
	           (w[8] == '\0' || w[8] == '=')) {
		target = &ctx->app.config_path;
		n = 8;
	} else if (strcmp(w, "--ambiwidth") == 0) {
		if (i + 1 >= ndone)
			return 1;
		return 2;
	} else {
		return 1;
	}
	const char *value = NULL;
	int used = 1;
	if (w[n] == '=')
		value = w + n + 1;
	else if (i + 1 < ndone) {
		value = done[i + 1];
		used = 2;
	} else
		*value_is_cur = true;
	if (value && value[0]) {
		free(*target);
		*target = expand_home(value);
	}
	return used;
}

static void complete_line(struct cli_ctx *ctx, int argc, char **argv,
                          struct out *o)
{
	if (argc > 0 && strcmp(argv[0], "--") == 0) {
		argc--;
		argv++;
	}
	if (argc < 1)
		return;
	char **done = argv;
	int ndone = argc - 1;
	const char *cur = argv[argc - 1];
	o->cur = cur;
	char *owned[2] = {NULL, NULL};

	/* Options before the command. */
	int i = 0;
	bool value_is_cur = false;
	while (i < ndone && done[i][0] == '-')
		i += global_words(ctx, done, ndone, i, &value_is_cur, owned);
	if (value_is_cur) {
		printf("@file\n");
		goto done;
	}
	if (i >= ndone) {
		if (cur[0] == '-')
			for (int k = 0; global_options[k]; k++)
				out_word(o, global_options[k]);
		else
			put_commands(o, true);
		goto done;
	}

	/* The command: two words ("agent add") or one ("log"). */
	const char *w1 = done[i], *c1, *c2, *usage, *one_word = NULL,
	           *two_word = NULL;
	bool group = false;
	for (size_t k = 0; cli_command_at(k, &c1, &c2, &usage); k++) {
		if (strcmp(c1, w1) != 0 || c1[0] == '_')
			continue;
		if (!c2)
			one_word = usage;
		else {
			group = true;
			if (i + 1 < ndone && strcmp(done[i + 1], c2) == 0)
				two_word = usage;
		}
	}
	if (group && i + 1 == ndone && cur[0] != '-') {
		/* The subcommand ("appeal" also takes an event there). */
		for (size_t k = 0; cli_command_at(k, &c1, &c2, &usage); k++)
			if (strcmp(c1, w1) == 0 && c2)
				out_word(o, c2);
		if (!one_word)
			goto done;
	}
	int skip = two_word ? 2 : 1;
	const char *chosen = two_word ? two_word : one_word;
	if (!chosen)
		goto done;
	struct usage u;
	usage_parse(chosen, skip, &u);

	/* The words typed after the command: which option or positional
	 * argument the current one is. */
	size_t positionals = 0;
	bool options_done = false;
	struct usage_opt *value_of = NULL;
	for (int k = i + skip; k < ndone; k++) {
		const char *a = done[k];
		if (!options_done && strcmp(a, "--") == 0) {
			options_done = true;
			continue;
		}
		if (options_done || strncmp(a, "--", 2) != 0) {
			positionals++;
			continue;
		}
		const char *eq = strchr(a + 2, '=');
		size_t name_len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		struct usage_opt *opt = usage_opt(&u, a + 2, name_len);
		if (!opt)
			continue;
		opt->used = true;
		if (opt->value[0] && !eq) {
			if (k + 1 == ndone)
				value_of = opt;
			else
				k++;
		}
	}
	if (value_of) {
		put_placeholder(ctx, o, value_of->value);
		goto done;
	}
	if (!options_done && strncmp(cur, "--", 2) == 0 && strchr(cur, '=')) {
		/* "--format=cs" as one word: the value, after its "=". */
		const char *eq = strchr(cur, '=');
		struct usage_opt *opt =
		    usage_opt(&u, cur + 2, (size_t)(eq - cur - 2));
		if (opt && opt->value[0]) {
			char prefix[64];
			snprintf(prefix, sizeof(prefix), "%.*s",
			         (int)(eq - cur + 1), cur);
			o->prefix = prefix;
			o->cur = eq + 1;
			put_placeholder(ctx, o, opt->value);
			o->prefix = "";
		}
		goto done;
	}
	if (!options_done && cur[0] == '-') {
		char word[72];
		for (size_t k = 0; k < u.opt_count; k++) {
			if (u.opts[k].used)
				continue;
			snprintf(word, sizeof(word), "--%s", u.opts[k].name);
			out_word(o, word);
		}
		goto done;
	}
	if (positionals < u.pos_count)
		put_placeholder(ctx, o, u.pos[positionals]);
done:
	free(owned[0]);
	free(owned[1]);
}

int cli_cmd_complete(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc < 1)
		return 2;
	struct out o = {.prefix = "", .cur = ""};
	const char *what = argv[0];
	int rc = 0;
	if (strcmp(what, "agents") == 0)
		put_agents(ctx, &o);
	else if (strcmp(what, "categories") == 0)
		put_categories(ctx, &o);
	else if (strcmp(what, "tiers") == 0)
		put_tiers(ctx, &o);
	else if (strcmp(what, "months") == 0)
		put_months(ctx, &o);
	else if (strcmp(what, "commands") == 0)
		put_commands(&o, false);
	else if (strcmp(what, "line") == 0)
		complete_line(ctx, argc - 1, argv + 1, &o);
	else
		rc = 2;
	out_finish(&o);
	return rc;
}
