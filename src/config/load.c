/* The rulebook loader's entry points, and its glue to iniparser.
 *
 * Text -> line locator (locate.c) -> iniparser, in memory -> the section
 * loaders (sections.c, categories.c) reading values from iniparser's
 * dictionary -> a rulebook, or every error in the file. */
#define _GNU_SOURCE /* memfd_create */
#include "config_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kpidesk/text.h"

/* Generated from config/kpidesk.ini by src/config/embed.c. */
extern const char config_builtin_rulebook[];
extern const size_t config_builtin_rulebook_len;

/* ------------------------------------------------------------------ */
/* iniparser                                                           */

/* iniparser's error callback is process-wide and takes no context; the
 * loader it reports to is set around the one call that can report. */
static struct loader *capture_target;

/* Turns an iniparser message into FILE:LINE form. The scan drops every
 * line iniparser would refuse, so this only runs if the two disagree. */
__attribute__((format(printf, 1, 2))) static int
capture_iniparser_error(const char *fmt, ...)
{
	char message[2048];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	struct loader *ld = capture_target;
	if (!ld || n < 0)
		return n;

	int line = 0;
	char clean[2048];
	size_t out = 0;
	const char *path = ld->ini_path;
	size_t path_len = path ? strlen(path) : 0;
	for (const char *p = message; *p && out + 1 < sizeof(clean);) {
		if (path_len && strncmp(p, path, path_len) == 0) {
			p += path_len;
			if (sscanf(p, " (%d)", &line) != 1)
				line = 0;
			size_t name_len = strlen(ld->file);
			if (out + name_len + 1 < sizeof(clean)) {
				memcpy(clean + out, ld->file, name_len);
				out += name_len;
			}
			continue;
		}
		char c = *p++;
		if (cfg_space(c)) {
			if (out > 0 && clean[out - 1] != ' ')
				clean[out++] = ' ';
			continue;
		}
		clean[out++] = c;
	}
	while (out > 0 && clean[out - 1] == ' ')
		out--;
	clean[out] = '\0';
	cfg_report(ld, line, NULL, NULL, "%s", clean);
	return n;
}

/* Has iniparser read the located text without writing it to disk.
 *
 * iniparser 4.1 reads only from a path (iniparser_load; the FILE * reader
 * came in 4.2), so fmemopen() is of no use. The text goes into an anonymous
 * memory file (memfd_create) and iniparser opens it by its /proc/self/fd
 * path: nothing is written to any directory, nothing is left behind if the
 * program dies, and TMPDIR does not matter. This needs Linux and a mounted
 * /proc, as the rest of the program (a Debian package) does. */
static enum kd_status run_iniparser(struct loader *ld,
                                    const struct strbuf *text)
{
	int fd = memfd_create("kpidesk-rulebook", MFD_CLOEXEC);
	if (fd < 0) {
		cfg_report(ld, 0, NULL, NULL,
		           "cannot hold the rulebook in memory for iniparser: "
		           "%s",
		           strerror(errno));
		return KD_ERR_IO;
	}
	size_t done = 0;
	while (done < text->len) {
		ssize_t w = write(fd, text->data + done, text->len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int saved = w < 0 ? errno : ENOSPC;
			close(fd);
			cfg_report(ld, 0, NULL, NULL,
			           "cannot hold the rulebook in memory for "
			           "iniparser: %s",
			           strerror(saved));
			return KD_ERR_IO;
		}
		done += (size_t)w;
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (access(path, R_OK) != 0) {
		int saved = errno;
		close(fd);
		cfg_report(ld, 0, NULL, NULL,
		           "cannot read the rulebook back from memory through "
		           "%s (is /proc mounted?): %s",
		           path, strerror(saved));
		return KD_ERR_IO;
	}

	ld->ini_path = path;
	capture_target = ld;
	iniparser_set_error_callback(capture_iniparser_error);
	ld->dict = iniparser_load(path);
	iniparser_set_error_callback(NULL); /* back to iniparser's default */
	capture_target = NULL;
	ld->ini_path = NULL;
	close(fd);

	if (!ld->dict) {
		if (ld->error_count == 0)
			cfg_report(ld, 0, NULL, NULL,
			           "iniparser could not read the file");
		return KD_ERR_CONFIG;
	}
	return KD_OK;
}

static const char *trim_in_dict(struct loader *ld, const char *lookup,
                                const char *value)
{
	size_t len = strlen(value);
	size_t start = 0;
	while (start < len && (value[start] == ' ' || value[start] == '\t'))
		start++;
	size_t end = len;
	while (end > start && (value[end - 1] == ' ' || value[end - 1] == '\t'))
		end--;
	if (start == len || (start == 0 && end == len))
		return value;
	char *trimmed = cfg_dup_range(value + start, end - start);
	if (!trimmed || iniparser_set(ld->dict, lookup, trimmed) != 0) {
		free(trimmed);
		ld->nomem = true;
		return value;
	}
	free(trimmed);
	const char *again = iniparser_getstring(ld->dict, lookup, NULL);
	return again ? again : "";
}

struct found cfg_find(const struct sect *s, const char *key)
{
	struct found f = {NULL, s->sec ? s->sec->line : 0, false};
	if (!s->sec)
		return f;
	for (size_t i = s->sec->key_begin; i < s->sec->key_end; i++) {
		const struct key_ref *ref = &s->ld->key_refs[i];
		if (strcmp(ref->name, key) != 0)
			continue;
		f.line = ref->line;
		f.comment_value = ref->comment_value;
		char lookup[1024];
		int n = snprintf(lookup, sizeof(lookup), "%s:%s", s->sec->name,
		                 key);
		f.value = "";
		if (n > 0 && (size_t)n < sizeof(lookup)) {
			const char *v =
			    iniparser_getstring(s->ld->dict, lookup, NULL);
			if (v)
				f.value = trim_in_dict(s->ld, lookup, v);
		}
		return f;
	}
	return f;
}

static void load_rulebook(struct loader *ld, struct rulebook *rb)
{
	int mode_line = 0;
	cfg_check_structure(ld);
	cfg_load_team(ld, rb);
	cfg_load_score(ld, rb, &mode_line);
	cfg_load_combo(ld, rb);
	cfg_load_grades(ld, rb);
	cfg_load_pay(ld, rb);
	cfg_load_bonus(ld, rb);
	cfg_load_award(ld, rb);
	cfg_load_tiers(ld, rb);
	cfg_load_review(ld, rb);
	cfg_load_categories(ld, rb);
	cfg_load_kpis(ld, rb, mode_line);
	cfg_load_import(ld, rb);
}

/* Frees what the locator found, the messages and the dictionary. */
void cfg_loader_finish(struct loader *ld)
{
	for (size_t i = 0; i < ld->section_count; i++) {
		free(ld->sections[i].name);
		free(ld->sections[i].raw);
	}
	free(ld->sections);
	for (size_t i = 0; i < ld->key_count; i++)
		free(ld->keys[i].name);
	free(ld->keys);
	free(ld->key_refs);
	for (size_t i = 0; i < ld->error_count; i++)
		free(ld->errors[i].text);
	free(ld->errors);
	if (ld->dict)
		iniparser_freedict(ld->dict);
}

/* ------------------------------------------------------------------ */
/* Public                                                              */

void config_errors_finish(struct config_errors *errors)
{
	if (!errors)
		return;
	for (size_t i = 0; i < errors->count; i++)
		free(errors->messages[i]);
	free(errors->messages);
	errors->messages = NULL;
	errors->count = 0;
}

/* Adds one message that is not in FILE:LINE form (I/O problems). */
static void set_single_error(struct config_errors *errors, const char *text)
{
	char **messages = calloc(1, sizeof(*messages));
	char *copy = strdup(text);
	if (!messages || !copy) {
		free(messages);
		free(copy);
		return;
	}
	messages[0] = copy;
	errors->messages = messages;
	errors->count = 1;
}

enum kd_status config_load_text(const char *name, const char *text, size_t len,
                                struct rulebook **out,
                                struct config_errors *errors)
{
	struct loader ld;
	struct strbuf clean = {NULL, 0, 0};
	struct rulebook *rb = NULL;
	enum kd_status status = KD_ERR_CONFIG;

	*out = NULL;
	memset(&ld, 0, sizeof(ld));
	ld.file = name ? name : CONFIG_BUILTIN_NAME;

	size_t skip = 0;
	if (len >= 3 && (unsigned char)text[0] == 0xEF &&
	    (unsigned char)text[1] == 0xBB && (unsigned char)text[2] == 0xBF)
		skip = 3;
	if (len - skip > CONFIG_SIZE_MAX) {
		cfg_report(
		    &ld, 0, NULL, NULL,
		    "the file is larger than %d bytes; is it a rulebook?",
		    CONFIG_SIZE_MAX);
		goto done;
	}

	cfg_locate_lines(&ld, text + skip, len - skip, &clean);
	if (ld.nomem)
		goto done;
	cfg_locate_index(&ld);
	if (ld.nomem)
		goto done;
	status = run_iniparser(&ld, &clean);
	if (status != KD_OK)
		goto done;
	status = KD_ERR_CONFIG;

	rb = rulebook_create();
	if (!rb) {
		ld.nomem = true;
		goto done;
	}
	load_rulebook(&ld, rb);
	if (ld.nomem || ld.error_count > 0 || ld.errors_dropped > 0)
		goto done;

	rb->source_text = cfg_dup_range(text, len);
	rb->source_name = strdup(ld.file);
	if (!rb->source_text || !rb->source_name) {
		ld.nomem = true;
		goto done;
	}
	*out = rb;
	rb = NULL;
	status = KD_OK;

done:
	if (ld.nomem)
		status = KD_ERR_NOMEM;
	cfg_hand_over_errors(&ld, errors);
	rulebook_destroy(rb);
	free(clean.data);
	cfg_loader_finish(&ld);
	return status;
}

enum kd_status config_load_file(const char *path, struct rulebook **out,
                                struct config_errors *errors)
{
	char message[1024];
	struct strbuf text = {NULL, 0, 0};
	enum kd_status status;

	*out = NULL;
	FILE *in = fopen(path, "rb");
	if (!in) {
		snprintf(message, sizeof(message), "%s: cannot read: %s", path,
		         strerror(errno));
		set_single_error(errors, message);
		return KD_ERR_IO;
	}
	/* Reading stops a little past the limit: config_load_text() then
	 * reports the file as too large. */
	char chunk[8192];
	for (;;) {
		size_t n = fread(chunk, 1, sizeof(chunk), in);
		if (n > 0 && !cfg_buf_append(&text, chunk, n)) {
			fclose(in);
			free(text.data);
			return KD_ERR_NOMEM;
		}
		if (n < sizeof(chunk) || text.len > CONFIG_SIZE_MAX + 3)
			break;
	}
	if (ferror(in)) {
		int saved = errno;
		fclose(in);
		free(text.data);
		snprintf(message, sizeof(message), "%s: cannot read: %s", path,
		         strerror(saved));
		set_single_error(errors, message);
		return KD_ERR_IO;
	}
	fclose(in);
	status = config_load_text(path, text.data ? text.data : "", text.len,
	                          out, errors);
	free(text.data);
	return status;
}

const char *config_builtin_text(size_t *len)
{
	if (len)
		*len = config_builtin_rulebook_len;
	return config_builtin_rulebook;
}

const char *config_source_name(const char *path)
{
	return path ? path : CONFIG_BUILTIN_NAME;
}

enum kd_status config_load_rulebook(const char *path, struct rulebook **out,
                                    struct config_errors *errors)
{
	if (path)
		return config_load_file(path, out, errors);
	return config_load_text(CONFIG_BUILTIN_NAME, config_builtin_rulebook,
	                        config_builtin_rulebook_len, out, errors);
}
