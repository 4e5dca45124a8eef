/* config check: validates a rulebook without touching any database.
 * config init: writes a starter rulebook where kpidesk looks for one. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_internal.h"
#include "kpidesk/config.h"

int cli_cmd_config_check(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *pos[1];
	size_t npos;
	if (!cli_parse_args("config check", argc, argv, NULL, 0, pos, 1, &npos))
		return 2;
	const char *path = npos ? pos[0] : ctx->app.config_path;
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

/* ---- config init: a starter rulebook for the lead to edit ---- */

/* Generated from config/presales-kpi.ini (src/cli/meson.build). */
extern const char config_presales_kpi_text[];
extern const size_t config_presales_kpi_text_len;

/* mkdir -p with mode 0700 for the directories it makes; 0, or the exit
 * status (2 when a part of the path is not a directory). */
static int make_dirs(const char *dir)
{
	char path[PATH_MAX];
	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path)) {
		cli_error("config init: '%s': the path is too long", dir);
		return 2;
	}
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		struct stat sb;
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			cli_error("config init: cannot create the directory "
			          "'%s': %s",
			          path, strerror(errno));
			return errno == ENOTDIR ? 2 : 1;
		}
		if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			cli_error("config init: '%s' is not a directory", path);
			return 2;
		}
		*p = saved;
		if (saved == '\0')
			return 0;
	}
}

/* Writes text to a new file (mode 0600); never replaces one. */
static int write_new_file(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST) {
			cli_error("config init: '%s' exists already; it is "
			          "left as it is (edit it, or move it away "
			          "to start again)",
			          path);
			return 2;
		}
		cli_error("config init: cannot create '%s': %s", path,
		          strerror(errno));
		return 1;
	}
	/* The umask may have taken bits away, never added: 0600 exactly. */
	(void)fchmod(fd, 0600);
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			cli_error("config init: cannot write '%s': %s", path,
			          strerror(errno));
			close(fd);
			unlink(path);
			return 1;
		}
		off += (size_t)n;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		cli_error("config init: cannot write '%s': %s", path,
		          strerror(errno));
		unlink(path);
		return 1;
	}
	return 0;
}

int cli_cmd_config_init(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	struct cli_opt opts[] = {{"kpi", false, false, NULL}};
	const char *pos[1];
	size_t npos;
	if (!cli_parse_args("config init", argc, argv, opts, 1, pos, 1, &npos))
		return 2;
	char *owned = NULL;
	const char *path = npos ? pos[0] : NULL;
	if (!path) {
		const char *xdg = getenv("XDG_CONFIG_HOME");
		const char *home = getenv("HOME");
		size_t n;
		if (xdg && xdg[0] == '/') {
			n = strlen(xdg) + 32;
			owned = malloc(n);
			if (owned)
				snprintf(owned, n, "%s/kpidesk/kpidesk.ini",
				         xdg);
		} else if (home && home[0]) {
			n = strlen(home) + 40;
			owned = malloc(n);
			if (owned)
				snprintf(owned, n,
				         "%s/.config/kpidesk/kpidesk.ini",
				         home);
		} else {
			cli_error("config init: neither XDG_CONFIG_HOME nor "
			          "HOME is set; give the file to write "
			          "(kpidesk config init FILE)");
			return 2;
		}
		if (!owned) {
			cli_error("config init: out of memory");
			return 1;
		}
		path = owned;
	}
	if (!cli_check_text("config init: FILE", path, PATH_MAX - 1, false)) {
		free(owned);
		return 2;
	}
	int rc = 0;
	const char *slash = strrchr(path, '/');
	if (slash && slash != path) {
		char dir[PATH_MAX];
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
		rc = make_dirs(dir);
	}
	bool kpi = opts[0].seen;
	const char *text;
	size_t len;
	if (kpi) {
		text = config_presales_kpi_text;
		len = config_presales_kpi_text_len;
	} else {
		text = config_builtin_text(&len);
	}
	if (rc == 0)
		rc = write_new_file(path, text, len);
	if (rc == 0) {
		printf("wrote the %s rulebook to %s\n",
		       kpi ? "pre-sales KPI" : "default", path);
		printf("edit it, then check it with: kpidesk config check "
		       "%s\n",
		       path);
		const char *env = getenv("KPIDESK_CONFIG");
		fflush(stdout);
		if (env && env[0] && strcmp(env, path) != 0)
			cli_error("note: KPIDESK_CONFIG is set (%s): that "
			          "rulebook is the one in use until it is "
			          "unset",
			          env);
	}
	free(owned);
	return rc;
}
