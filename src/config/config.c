/* The rulebook loader: INI text into a struct rulebook, every error named.
 *
 * iniparser 4.1 reads the values, but it reports no line numbers, keeps the
 * last of two duplicate keys without a word and refuses the whole file for
 * one malformed line. So the text is first scanned here, line by line, with
 * iniparser's own rules: the scan records where each section and key is,
 * reports malformed lines and blanks them in the copy handed to iniparser,
 * so that the rest of the file can still be checked and every error in it
 * reported. Values then come from iniparser's dictionary and are validated
 * from their strings (TOOLCHAIN.md: never getint or getboolean).
 */
#include "kpidesk/config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <iniparser.h>

#include "kpidesk/bands.h"
#include "kpidesk/fixed.h"
#include "kpidesk/text.h"

/* Generated from config/kpidesk.ini by src/config/embed.c. */
extern const char config_builtin_rulebook[];
extern const size_t config_builtin_rulebook_len;

#define BUILTIN_NAME "(built-in)"

/* iniparser 4.1 reads lines into 1024 bytes with fgets: 1022 bytes of text,
 * the newline and the NUL. A longer line fails the whole load. */
#define INI_LINE_MAX 1022
/* A rulebook is a few kilobytes; anything this large is the wrong file. */
#define CONFIG_SIZE_MAX (1024 * 1024)
/* A file of garbage would give one error a line; stop collecting here. */
#define ERROR_CAP 1000
/* Longest list value (shares, awards, top_streak, order). */
#define LIST_MAX 32
/* Limits that keep every later sum far from int64 overflow. */
#define POINTS_LIMIT_CP INT64_C(100000000)  /* 1 000 000 points */
#define MONEY_LIMIT_FEN INT64_C(1000000000) /* 10 000 000 yuan */
#define COUNT_MAX 100000
#define MONTHS_MAX 120
/* Bytes of a user's text quoted in a message. */
#define QUOTE_MAX 60

/* Stands in for a malformed section header in the text given to iniparser,
 * so the keys below it do not fall into the previous section. No real
 * section can be named like this (':' separates section and key). */
#define PLACEHOLDER_SECTION "[:invalid:]"

/* ------------------------------------------------------------------ */
/* Growable storage                                                    */

struct strbuf {
	char *data;
	size_t len;
	size_t cap;
};

static bool strbuf_append(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->len + n + 1 > sb->cap) {
		size_t cap = sb->cap ? sb->cap : 256;
		while (sb->len + n + 1 > cap)
			cap *= 2;
		char *data = realloc(sb->data, cap);
		if (!data)
			return false;
		sb->data = data;
		sb->cap = cap;
	}
	memcpy(sb->data + sb->len, s, n);
	sb->len += n;
	sb->data[sb->len] = '\0';
	return true;
}

/* Makes room for one more element; returns the (possibly moved) array or
 * NULL on out of memory, leaving the old array valid. */
static void *grow_array(void *items, size_t *cap, size_t count, size_t size)
{
	if (count < *cap)
		return items;
	size_t new_cap = *cap ? *cap * 2 : 16;
	void *moved = realloc(items, new_cap * size);
	if (!moved)
		return NULL;
	*cap = new_cap;
	return moved;
}

static char *dup_range(const char *s, size_t n)
{
	char *copy = malloc(n + 1);
	if (!copy)
		return NULL;
	memcpy(copy, s, n);
	copy[n] = '\0';
	return copy;
}

/* ------------------------------------------------------------------ */
/* The loader's state                                                  */

struct scan_section {
	char *name;   /* trimmed and lower-cased, as iniparser keys it */
	char *raw;    /* trimmed, as written */
	int line;
	size_t group; /* index of the first section of the same name */
	size_t key_begin, key_end; /* its keys in key_refs (group leaders) */
};

struct scan_key {
	size_t section; /* index into sections */
	char *name;	/* trimmed and lower-cased */
	int line;
	bool comment_value; /* the text after '=' starts with ';' or '#' */
};

/* Keys sorted by (section group, name, line): a group's keys are one run,
 * and the first of equal names is the first occurrence. */
struct key_ref {
	size_t group;
	const char *name;
	int line;
	bool comment_value;
};

struct pending_error {
	int line;
	size_t seq;
	char *text;
};

struct loader {
	const char *file; /* FILE in messages */
	struct scan_section *sections;
	size_t section_count, section_cap;
	struct scan_key *keys;
	size_t key_count, key_cap;
	struct key_ref *key_refs;
	struct pending_error *errors;
	size_t error_count, error_cap;
	size_t errors_dropped;
	bool nomem;
	dictionary *dict;
	const char *tmp_path; /* while iniparser reads it */
};

static void loader_finish(struct loader *ld)
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
/* Errors                                                              */

static void add_error_text(struct loader *ld, int line, char *text)
{
	if (ld->error_count >= ERROR_CAP) {
		ld->errors_dropped++;
		free(text);
		return;
	}
	void *grown = grow_array(ld->errors, &ld->error_cap, ld->error_count,
				 sizeof(*ld->errors));
	if (!grown) {
		ld->nomem = true;
		free(text);
		return;
	}
	ld->errors = grown;
	ld->errors[ld->error_count] = (struct pending_error){
		.line = line,
		.seq = ld->error_count,
		.text = text,
	};
	ld->error_count++;
}

/* Copies `text` into buf for a message: at most QUOTE_MAX bytes (cut on a
 * character boundary, "..." added), control characters as '?', and, if the
 * text is not UTF-8, every non-ASCII byte as '?'. Quoted ("text") if
 * `quoted`. A message never carries the file's raw bytes. */
static const char *sanitize(char *buf, size_t size, const char *text,
			    bool quoted)
{
	size_t len = strlen(text);
	bool cut = false;
	if (len > QUOTE_MAX) {
		len = QUOTE_MAX;
		while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
			len--;
		cut = true;
	}
	bool utf8 = text_is_utf8(text, len);
	size_t out = 0;
	if (size < 8)
		return "";
	if (quoted)
		buf[out++] = '"';
	for (size_t i = 0; i < len && out + 5 < size; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c < 0x20 || c == 0x7F || (!utf8 && c >= 0x80))
			c = '?';
		buf[out++] = (char)c;
	}
	if (cut && out + 5 < size) {
		memcpy(buf + out, "...", 3);
		out += 3;
	}
	if (quoted)
		buf[out++] = '"';
	buf[out] = '\0';
	return buf;
}

static const char *quote(char *buf, size_t size, const char *text)
{
	return sanitize(buf, size, text, true);
}

#define QBUF (QUOTE_MAX * 2 + 8)

/* Records "FILE:LINE: [section] key: message"; the section and key parts
 * are left out when NULL ("FILE:LINE: [section]: message" with no key). */
__attribute__((format(printf, 5, 6))) static void
report(struct loader *ld, int line, const char *section, const char *key,
       const char *fmt, ...)
{
	char prefix[4096 + 2 * QBUF];
	char section_text[QBUF], key_text[QBUF];
	if (section)
		sanitize(section_text, sizeof(section_text), section, false);
	if (key)
		sanitize(key_text, sizeof(key_text), key, false);
	if (section && key)
		snprintf(prefix, sizeof(prefix), "%s:%d: [%s] %s: ", ld->file,
			 line, section_text, key_text);
	else if (section)
		snprintf(prefix, sizeof(prefix), "%s:%d: [%s]: ", ld->file,
			 line, section_text);
	else
		snprintf(prefix, sizeof(prefix), "%s:%d: ", ld->file, line);

	va_list ap;
	va_start(ap, fmt);
	va_list again;
	va_copy(again, ap);
	int body_len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (body_len < 0) {
		va_end(again);
		ld->nomem = true;
		return;
	}
	size_t prefix_len = strlen(prefix);
	char *text = malloc(prefix_len + (size_t)body_len + 1);
	if (!text) {
		va_end(again);
		ld->nomem = true;
		return;
	}
	memcpy(text, prefix, prefix_len);
	vsnprintf(text + prefix_len, (size_t)body_len + 1, fmt, again);
	va_end(again);
	add_error_text(ld, line, text);
}

static int compare_errors(const void *a, const void *b)
{
	const struct pending_error *x = a;
	const struct pending_error *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Moves the collected errors, in file order, into *errors. */
static void hand_over_errors(struct loader *ld, struct config_errors *errors)
{
	if (ld->error_count == 0)
		return;
	qsort(ld->errors, ld->error_count, sizeof(*ld->errors),
	      compare_errors);
	size_t total = ld->error_count + (ld->errors_dropped ? 1 : 0);
	char **messages = calloc(total, sizeof(*messages));
	if (!messages) {
		ld->nomem = true;
		return;
	}
	for (size_t i = 0; i < ld->error_count; i++) {
		messages[i] = ld->errors[i].text;
		ld->errors[i].text = NULL;
	}
	size_t count = ld->error_count;
	if (ld->errors_dropped) {
		char tail[256];
		snprintf(tail, sizeof(tail), "%s: %zu more errors not shown",
			 ld->file, ld->errors_dropped);
		messages[count] = strdup(tail);
		if (messages[count])
			count++;
	}
	errors->messages = messages;
	errors->count = count;
}

/* ------------------------------------------------------------------ */
/* Small text helpers                                                  */

/* What iniparser's strstrip() treats as space (isspace in the C locale). */
static bool ini_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

/* Trims in place; returns the first non-space character. */
static char *strip(char *s)
{
	while (ini_space(*s))
		s++;
	size_t len = strlen(s);
	while (len > 0 && ini_space(s[len - 1]))
		s[--len] = '\0';
	return s;
}

static void lower_ascii(char *s)
{
	for (; *s; s++) {
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
	}
}

/* RULEBOOK.md: category, tier and kpi keys are [a-z0-9_]{1,31}. */
static bool valid_key(const char *key)
{
	size_t len = strlen(key);
	if (len == 0 || len >= RB_KEY_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = key[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return false;
	}
	return true;
}

/* Levenshtein distance for "did you mean"; large for long words. */
static size_t edit_distance(const char *a, const char *b)
{
	enum { MAXW = 40 };
	size_t la = strlen(a), lb = strlen(b);
	if (la >= MAXW || lb >= MAXW)
		return SIZE_MAX;
	size_t prev[MAXW + 1], cur[MAXW + 1];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			cur[j] = best;
		}
		memcpy(prev, cur, sizeof(prev));
	}
	return prev[lb];
}

/* The closest of `words` within two edits, or NULL. */
static const char *closest_word(const char *word, const char *const *words)
{
	const char *best = NULL;
	size_t best_distance = 3;
	for (size_t i = 0; words[i]; i++) {
		size_t d = edit_distance(word, words[i]);
		if (d < best_distance) {
			best_distance = d;
			best = words[i];
		}
	}
	return best;
}

/* Joins words with ", " into buf. */
static const char *join_words(char *buf, size_t size, const char *const *words)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; words[i] && used < size; i++) {
		int n = snprintf(buf + used, size - used, "%s%s",
				 i ? ", " : "", words[i]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return buf;
}

/* Iterates over the comma-separated items of a value: copies the next
 * item, trimmed, into buf (cut to size - 1 bytes) and advances *cursor.
 * Returns false when no item is left. "a," has the items "a" and "". */
static bool next_item(const char **cursor, char *buf, size_t size)
{
	const char *p = *cursor;
	if (!p)
		return false;
	const char *comma = strchr(p, ',');
	size_t n = comma ? (size_t)(comma - p) : strlen(p);
	*cursor = comma ? comma + 1 : NULL;
	if (n >= size)
		n = size - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	char *trimmed = strip(buf);
	memmove(buf, trimmed, strlen(trimmed) + 1);
	return true;
}

/* The `position`-th (1-based) comma-separated item of text, for messages. */
static const char *item_at(const char *text, size_t position, char *buf,
			   size_t size)
{
	const char *cursor = text;
	buf[0] = '\0';
	for (size_t i = 1; next_item(&cursor, buf, size); i++) {
		if (i == position)
			return buf;
	}
	buf[0] = '\0';
	return buf;
}

static const char *format_cp(char *buf, size_t size, int64_t value, int scale)
{
	return fixed_format_trim(buf, size, value, scale, scale);
}

/* ------------------------------------------------------------------ */
/* The line scan                                                       */

static bool add_section(struct loader *ld, const char *stripped_name, int line)
{
	void *grown = grow_array(ld->sections, &ld->section_cap,
				 ld->section_count, sizeof(*ld->sections));
	if (!grown)
		return false;
	ld->sections = grown;
	char *raw = strdup(stripped_name);
	char *name = strdup(stripped_name);
	if (!raw || !name) {
		free(raw);
		free(name);
		return false;
	}
	lower_ascii(name);
	ld->sections[ld->section_count] = (struct scan_section){
		.name = name,
		.raw = raw,
		.line = line,
		.group = ld->section_count,
	};
	ld->section_count++;
	return true;
}

static bool add_key(struct loader *ld, size_t section, const char *name,
		    size_t name_len, int line, bool comment_value)
{
	void *grown = grow_array(ld->keys, &ld->key_cap, ld->key_count,
				 sizeof(*ld->keys));
	if (!grown)
		return false;
	ld->keys = grown;
	char *copy = dup_range(name, name_len);
	if (!copy)
		return false;
	lower_ascii(copy);
	ld->keys[ld->key_count] = (struct scan_key){
		.section = section,
		.name = copy,
		.line = line,
		.comment_value = comment_value,
	};
	ld->key_count++;
	return true;
}

enum scan_state { IN_NO_SECTION, IN_BAD_SECTION, IN_SECTION };

enum line_verdict { LINE_KEEP, LINE_DROP };

/* Classifies one line (NUL-terminated, at most INI_LINE_MAX bytes) the way
 * iniparser_line() does, recording sections and keys and reporting what
 * iniparser would refuse or silently misread. */
static enum line_verdict scan_line(struct loader *ld, char *buf, int line,
				   enum scan_state *state)
{
	char q[QBUF];
	char *s = strip(buf);
	size_t len = strlen(s);
	if (len == 0)
		return LINE_KEEP;
	/* iniparser joins a line ending in '\' with the next one, comments
	 * included, so the next line would silently vanish. */
	if (s[len - 1] == '\\') {
		report(ld, line, NULL, NULL,
		       "syntax error: the line ends with '\\', which would "
		       "join the next line to it; remove the backslash");
		return LINE_DROP;
	}
	if (s[0] == '#' || s[0] == ';')
		return LINE_KEEP;
	if (s[0] == '[') {
		char *close = strchr(s, ']');
		if (!close) {
			report(ld, line, NULL, NULL,
			       "syntax error: section header %s has no "
			       "closing ']'",
			       quote(q, sizeof(q), s));
			return LINE_DROP;
		}
		if (close != s + len - 1) {
			report(ld, line, NULL, NULL,
			       "syntax error: text after ']' in section "
			       "header %s (comments go on their own line)",
			       quote(q, sizeof(q), s));
			return LINE_DROP;
		}
		*close = '\0';
		char *name = strip(s + 1);
		if (*name == '\0') {
			report(ld, line, NULL, NULL,
			       "syntax error: empty section name");
			return LINE_DROP;
		}
		if (!add_section(ld, name, line)) {
			ld->nomem = true;
			return LINE_DROP;
		}
		*state = IN_SECTION;
		return LINE_KEEP;
	}
	char *equals = strchr(s, '=');
	if (!equals) {
		report(ld, line, NULL, NULL,
		       "syntax error: %s is not a [section] header, a "
		       "key = value line or a comment (; or #)",
		       quote(q, sizeof(q), s));
		return LINE_DROP;
	}
	if (equals == s) {
		report(ld, line, NULL, NULL,
		       "syntax error: no key name before '='");
		return LINE_DROP;
	}
	size_t name_len = (size_t)(equals - s);
	while (name_len > 0 && ini_space(s[name_len - 1]))
		name_len--;
	const char *value = equals + 1;
	while (ini_space(*value))
		value++;
	bool comment_value = *value == ';' || *value == '#';
	if (*state == IN_NO_SECTION) {
		s[name_len] = '\0';
		report(ld, line, NULL, NULL,
		       "key %s is outside any [section]",
		       quote(q, sizeof(q), s));
		return LINE_KEEP;
	}
	if (*state == IN_BAD_SECTION)
		return LINE_KEEP;
	/* iniparser cuts an unquoted value at ';' or '#' without a word:
	 * "name = 售前#1组" would silently become "售前". After a space
	 * they read as a trailing comment ("points = -1 ; each") and pass. */
	const char *cut = NULL;
	if (!comment_value && *value != '"' && *value != '\'')
		for (const char *c = value + 1; *c && !cut; c++)
			if ((*c == ';' || *c == '#') && !ini_space(c[-1]))
				cut = c;
	if (cut) {
		char key_name[QBUF];
		size_t n = name_len < sizeof(key_name) - 1 ? name_len
							    : sizeof(key_name) - 1;
		memcpy(key_name, s, n);
		key_name[n] = '\0';
		report(ld, line, ld->sections[ld->section_count - 1].raw,
		       key_name,
		       "';' or '#' inside the value would cut it short (they "
		       "start a comment): put comments on their own line, or "
		       "write the value in double quotes");
	}
	if (!add_key(ld, ld->section_count - 1, s, name_len, line,
		     comment_value))
		ld->nomem = true;
	return LINE_KEEP;
}

/* Scans the whole text (BOM already removed) and writes the copy that
 * iniparser will read into *out: malformed lines blanked, malformed section
 * headers replaced by PLACEHOLDER_SECTION. */
static void scan_text(struct loader *ld, const char *text, size_t len,
		      struct strbuf *out)
{
	enum scan_state state = IN_NO_SECTION;
	char buf[INI_LINE_MAX + 1];
	size_t pos = 0;
	int line = 0;

	while (pos < len && !ld->nomem) {
		const char *start = text + pos;
		const char *newline = memchr(start, '\n', len - pos);
		size_t raw_len = newline ? (size_t)(newline - start) : len - pos;
		pos += raw_len + (newline ? 1 : 0);
		line++;

		enum line_verdict verdict;
		if (memchr(start, '\0', raw_len)) {
			report(ld, line, NULL, NULL,
			       "syntax error: the line contains a NUL byte");
			verdict = LINE_DROP;
		} else if (raw_len > INI_LINE_MAX) {
			report(ld, line, NULL, NULL,
			       "syntax error: the line is %zu bytes long; at "
			       "most %d bytes are allowed",
			       raw_len, INI_LINE_MAX);
			verdict = LINE_DROP;
		} else {
			memcpy(buf, start, raw_len);
			buf[raw_len] = '\0';
			verdict = scan_line(ld, buf, line, &state);
		}

		bool ok;
		if (verdict == LINE_KEEP) {
			ok = strbuf_append(out, start, raw_len);
		} else {
			size_t i = 0;
			while (i < raw_len && ini_space(start[i]))
				i++;
			if (i < raw_len && start[i] == '[') {
				state = IN_BAD_SECTION;
				ok = strbuf_append(out, PLACEHOLDER_SECTION,
						   strlen(PLACEHOLDER_SECTION));
			} else {
				ok = true;
			}
		}
		if (!ok || !strbuf_append(out, "\n", 1))
			ld->nomem = true;
	}
	/* An empty text still needs a buffer to write. */
	if (!out->data && !strbuf_append(out, "", 0))
		ld->nomem = true;
}

struct section_ref {
	const char *name;
	size_t index;
};

static int compare_section_refs(const void *a, const void *b)
{
	const struct section_ref *x = a;
	const struct section_ref *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int compare_key_refs(const void *a, const void *b)
{
	const struct key_ref *x = a;
	const struct key_ref *y = b;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Groups repeated sections, reports them, and sorts the keys. */
static void index_scan(struct loader *ld)
{
	if (ld->section_count > 0) {
		struct section_ref *refs =
			calloc(ld->section_count, sizeof(*refs));
		if (!refs) {
			ld->nomem = true;
			return;
		}
		for (size_t i = 0; i < ld->section_count; i++)
			refs[i] = (struct section_ref){ld->sections[i].name, i};
		qsort(refs, ld->section_count, sizeof(*refs),
		      compare_section_refs);
		for (size_t i = 1; i < ld->section_count; i++) {
			if (strcmp(refs[i].name, refs[i - 1].name) != 0)
				continue;
			struct scan_section *first =
				&ld->sections[ld->sections[refs[i - 1].index]
						      .group];
			struct scan_section *again =
				&ld->sections[refs[i].index];
			again->group = first->group;
			report(ld, again->line, again->name, NULL,
			       "section repeated (first on line %d); write "
			       "each section once",
			       first->line);
		}
		free(refs);
	}

	if (ld->key_count > 0) {
		ld->key_refs = calloc(ld->key_count, sizeof(*ld->key_refs));
		if (!ld->key_refs) {
			ld->nomem = true;
			return;
		}
		for (size_t i = 0; i < ld->key_count; i++) {
			const struct scan_key *key = &ld->keys[i];
			ld->key_refs[i] = (struct key_ref){
				.group = ld->sections[key->section].group,
				.name = key->name,
				.line = key->line,
				.comment_value = key->comment_value,
			};
		}
		qsort(ld->key_refs, ld->key_count, sizeof(*ld->key_refs),
		      compare_key_refs);
	}
	size_t k = 0;
	for (size_t i = 0; i < ld->section_count; i++) {
		struct scan_section *sec = &ld->sections[i];
		if (sec->group != i)
			continue;
		while (k < ld->key_count && ld->key_refs[k].group < i)
			k++;
		sec->key_begin = k;
		while (k < ld->key_count && ld->key_refs[k].group == i)
			k++;
		sec->key_end = k;
	}
}

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
	const char *path = ld->tmp_path;
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
		if (ini_space(c)) {
			if (out > 0 && clean[out - 1] != ' ')
				clean[out++] = ' ';
			continue;
		}
		clean[out++] = c;
	}
	while (out > 0 && clean[out - 1] == ' ')
		out--;
	clean[out] = '\0';
	report(ld, line, NULL, NULL, "%s", clean);
	return n;
}

/* Writes the text to a private temporary file and has iniparser read it:
 * iniparser 4.1 reads only from a path. */
static enum kd_status run_iniparser(struct loader *ld,
				     const struct strbuf *text)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/kpidesk-rulebook-XXXXXX", dir);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		report(ld, 0, NULL, NULL,
		       "cannot create a temporary file: TMPDIR is too long");
		return KD_ERR_IO;
	}
	int fd = mkstemp(path);
	if (fd < 0) {
		report(ld, 0, NULL, NULL,
		       "cannot create a temporary file in %s: %s", dir,
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
			unlink(path);
			report(ld, 0, NULL, NULL,
			       "cannot write a temporary file in %s: %s", dir,
			       strerror(saved));
			return KD_ERR_IO;
		}
		done += (size_t)w;
	}
	if (close(fd) != 0) {
		int saved = errno;
		unlink(path);
		report(ld, 0, NULL, NULL,
		       "cannot write a temporary file in %s: %s", dir,
		       strerror(saved));
		return KD_ERR_IO;
	}

	ld->tmp_path = path;
	capture_target = ld;
	iniparser_set_error_callback(capture_iniparser_error);
	ld->dict = iniparser_load(path);
	iniparser_set_error_callback(NULL); /* back to iniparser's default */
	capture_target = NULL;
	ld->tmp_path = NULL;
	unlink(path);

	if (!ld->dict) {
		if (ld->error_count == 0)
			report(ld, 0, NULL, NULL,
			       "iniparser could not read the file");
		return KD_ERR_CONFIG;
	}
	return KD_OK;
}

/* ------------------------------------------------------------------ */
/* Reading values                                                      */

/* One section as the validators see it. `sec` is NULL for an optional
 * section the file leaves out: every key is then absent. */
struct sect {
	struct loader *ld;
	const char *name; /* for messages */
	const struct scan_section *sec;
};

struct found {
	const char *value; /* NULL when the key is absent */
	int line;	   /* the key's line, or the header's when absent */
	bool comment_value;
};

/* iniparser trims unquoted values but keeps the spaces inside quotes
 * (label = " 投诉 "). Such a value is trimmed in the dictionary itself, the
 * first time it is looked up, so every later lookup returns the same
 * pointer. A value of spaces only is left alone: the getters report it. */
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
	char *trimmed = dup_range(value + start, end - start);
	if (!trimmed || iniparser_set(ld->dict, lookup, trimmed) != 0) {
		free(trimmed);
		ld->nomem = true;
		return value;
	}
	free(trimmed);
	const char *again = iniparser_getstring(ld->dict, lookup, NULL);
	return again ? again : "";
}

static struct found sect_find(const struct sect *s, const char *key)
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
		int n = snprintf(lookup, sizeof(lookup), "%s:%s",
				 s->sec->name, key);
		f.value = "";
		if (n > 0 && (size_t)n < sizeof(lookup)) {
			const char *v = iniparser_getstring(s->ld->dict,
							    lookup, NULL);
			if (v)
				f.value = trim_in_dict(s->ld, lookup, v);
		}
		return f;
	}
	return f;
}

enum got { GOT_ABSENT, GOT_OK, GOT_BAD };

/* Common start of every getter: absent (reported if required) or empty. */
static enum got sect_start(const struct sect *s, const char *key,
			   bool required, struct found *f)
{
	*f = sect_find(s, key);
	if (!f->value) {
		if (required)
			report(s->ld, f->line, s->name, key,
			       "required key is missing");
		return GOT_ABSENT;
	}
	if (text_is_blank(f->value)) {
		if (f->comment_value)
			report(s->ld, f->line, s->name, key,
			       "empty value (';' and '#' start a comment: "
			       "write the value in quotes, like \"#\")");
		else
			report(s->ld, f->line, s->name, key, "empty value");
		return GOT_BAD;
	}
	return GOT_OK;
}

struct num_spec {
	int scale;	    /* decimals kept: 0 for whole numbers */
	int64_t min, max;   /* scaled */
	const char *expect; /* "a whole number (like 3)" */
	const char *range;  /* "from 1 to 100000" */
};

static const struct num_spec spec_points = {
	2, -POINTS_LIMIT_CP, POINTS_LIMIT_CP,
	"a number of points with at most 2 decimals (like -0.5)",
	"from -1000000 to 1000000"};
static const struct num_spec spec_budget = {
	2, 1, POINTS_LIMIT_CP,
	"a number of points with at most 2 decimals (like 10)",
	"greater than 0 and at most 1000000"};
static const struct num_spec spec_yuan = {
	2, 0, MONEY_LIMIT_FEN,
	"an amount of yuan with at most 2 decimals (like 30 or 0.5)",
	"from 0 to 10000000"};
static const struct num_spec spec_growth = {
	2, 100, 10000, "a factor with at most 2 decimals (like 2 or 1.5)",
	"from 1 to 100"};
static const struct num_spec spec_rate = {
	6, 0, 1000000, "a rate with at most 6 decimals (like 0.006)",
	"from 0 to 1"};
static const struct num_spec spec_percent = {
	2, 0, 10000, "a percentage with at most 2 decimals (like 40)",
	"from 0 to 100"};
static const struct num_spec spec_free = {
	0, 0, COUNT_MAX, "a whole number (like 2)", "from 0 to 100000"};
static const struct num_spec spec_count = {
	0, 1, COUNT_MAX, "a whole number (like 3)", "from 1 to 100000"};
static const struct num_spec spec_months = {
	0, 1, MONTHS_MAX, "a whole number of months (like 3)",
	"from 1 to 120"};
static const struct num_spec spec_weight = {
	0, 0, 100, "a whole number (like 45)", "from 0 to 100"};

enum num_result { NUM_OK, NUM_NOT_NUMBER, NUM_RANGE };

static enum num_result parse_number(const char *text,
				    const struct num_spec *spec, int64_t *out)
{
	int64_t value;
	bool ok = spec->scale == 0
			  ? fixed_parse_int(text, -INT64_C(1000000000000000),
					    INT64_C(1000000000000000), &value)
			  : fixed_parse(text, spec->scale, &value);
	if (!ok)
		return NUM_NOT_NUMBER;
	if (value < spec->min || value > spec->max)
		return NUM_RANGE;
	*out = value;
	return NUM_OK;
}

static enum got get_number(const struct sect *s, const char *key,
			   bool required, const struct num_spec *spec,
			   int64_t *out)
{
	struct found f;
	enum got got = sect_start(s, key, required, &f);
	if (got != GOT_OK)
		return got;
	char q[QBUF];
	switch (parse_number(f.value, spec, out)) {
	case NUM_OK:
		return GOT_OK;
	case NUM_NOT_NUMBER:
		report(s->ld, f.line, s->name, key, "%s is not %s",
		       quote(q, sizeof(q), f.value), spec->expect);
		return GOT_BAD;
	case NUM_RANGE:
		break;
	}
	report(s->ld, f.line, s->name, key, "%s is out of range (must be %s)",
	       quote(q, sizeof(q), f.value), spec->range);
	return GOT_BAD;
}

/* get_number for an int32_t field. */
static enum got get_int32(const struct sect *s, const char *key,
			  bool required, const struct num_spec *spec,
			  int32_t *out)
{
	int64_t value = 0;
	enum got got = get_number(s, key, required, spec, &value);
	if (got == GOT_OK)
		*out = (int32_t)value;
	return got;
}

/* A comma-separated list of numbers, at least one, at most LIST_MAX. */
static enum got get_number_list(const struct sect *s, const char *key,
				bool required, const struct num_spec *spec,
				int64_t **out, size_t *count)
{
	struct found f;
	enum got got = sect_start(s, key, required, &f);
	if (got != GOT_OK)
		return got;
	int64_t values[LIST_MAX];
	size_t n = 0;
	bool bad = false;
	char item[INI_LINE_MAX + 1];
	char q[QBUF];
	const char *cursor = f.value;
	while (next_item(&cursor, item, sizeof(item))) {
		n++;
		if (n > LIST_MAX) {
			report(s->ld, f.line, s->name, key,
			       "more than %d items", LIST_MAX);
			return GOT_BAD;
		}
		if (item[0] == '\0') {
			report(s->ld, f.line, s->name, key,
			       "item %zu is empty (items are separated by "
			       "commas, like 40, 30)",
			       n);
			bad = true;
			continue;
		}
		switch (parse_number(item, spec, &values[n - 1])) {
		case NUM_OK:
			break;
		case NUM_NOT_NUMBER:
			report(s->ld, f.line, s->name, key,
			       "item %zu %s is not %s", n,
			       quote(q, sizeof(q), item), spec->expect);
			bad = true;
			break;
		case NUM_RANGE:
			report(s->ld, f.line, s->name, key,
			       "item %zu %s is out of range (must be %s)", n,
			       quote(q, sizeof(q), item), spec->range);
			bad = true;
			break;
		}
	}
	if (bad)
		return GOT_BAD;
	int64_t *copy = malloc(n * sizeof(*copy));
	if (!copy) {
		s->ld->nomem = true;
		return GOT_BAD;
	}
	memcpy(copy, values, n * sizeof(*copy));
	*out = copy;
	*count = n;
	return GOT_OK;
}

/* One of a fixed set of words; *out gets its index. */
static enum got get_choice(const struct sect *s, const char *key,
			   bool required, const char *const *choices, int *out)
{
	struct found f;
	enum got got = sect_start(s, key, required, &f);
	if (got != GOT_OK)
		return got;
	for (int i = 0; choices[i]; i++) {
		if (strcmp(f.value, choices[i]) == 0) {
			*out = i;
			return GOT_OK;
		}
	}
	char q[QBUF], allowed[256];
	report(s->ld, f.line, s->name, key, "%s is not one of: %s",
	       quote(q, sizeof(q), f.value),
	       join_words(allowed, sizeof(allowed), choices));
	return GOT_BAD;
}

/* Text shown on screen (labels, the team name): UTF-8, no control
 * characters, not blank. */
static enum got get_text(const struct sect *s, const char *key, bool required,
			 char **out)
{
	struct found f;
	enum got got = sect_start(s, key, required, &f);
	if (got != GOT_OK)
		return got;
	if (!text_is_utf8(f.value, strlen(f.value))) {
		report(s->ld, f.line, s->name, key,
		       "not valid UTF-8 (save the file as UTF-8)");
		return GOT_BAD;
	}
	for (const char *p = f.value; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7F) {
			report(s->ld, f.line, s->name, key,
			       "contains a control character");
			return GOT_BAD;
		}
	}
	char *copy = strdup(f.value);
	if (!copy) {
		s->ld->nomem = true;
		return GOT_BAD;
	}
	*out = copy;
	return GOT_OK;
}

/* A band list (RULEBOOK.md section 2); its errors name the entry. */
static enum got get_bands(const struct sect *s, const char *key, bool required,
			  bool words, struct band_list *out)
{
	struct found f;
	enum got got = sect_start(s, key, required, &f);
	if (got != GOT_OK)
		return got;
	struct band_error err;
	memset(&err, 0, sizeof(err));
	if (band_list_parse(f.value, words, out, &err))
		return GOT_OK;
	/* Some failures (an empty entry, a missing '*') come without the
	 * entry's text: take it from the value. */
	char entry[INI_LINE_MAX + 1];
	const char *text = err.text;
	if (text[0] == '\0' && err.position > 0)
		text = item_at(f.value, err.position, entry, sizeof(entry));
	char q[QBUF];
	if (text[0] == '\0')
		report(s->ld, f.line, s->name, key, "entry %zu: %s",
		       err.position, err.reason);
	else
		report(s->ld, f.line, s->name, key, "entry %zu %s: %s",
		       err.position, quote(q, sizeof(q), text), err.reason);
	return GOT_BAD;
}

/* ------------------------------------------------------------------ */
/* Sections                                                            */

enum section_kind {
	SK_TEAM,
	SK_SCORE,
	SK_COMBO,
	SK_GRADES,
	SK_PAY,
	SK_BONUS,
	SK_AWARD,
	SK_TIERS,
	SK_REVIEW,
	SK_CATEGORY,
	SK_TIER,
	SK_KPI,
	SK_COUNT,
	SK_UNKNOWN = SK_COUNT
};

static const char *const team_keys[] = {"name", NULL};
static const char *const score_keys[] = {"mode", "base", "min", "max", NULL};
static const char *const combo_keys[] = {"light", "medium", "points", NULL};
static const char *const grades_keys[] = {"bands", NULL};
static const char *const pay_keys[] = {"baseline", "per_point", "cap",
				       "from_month", NULL};
static const char *const bonus_keys[] = {"min_score", "pool_rate", "shares",
					 "awards", "rest_share", NULL};
static const char *const award_keys[] = {"top_streak", "full_attendance",
					 NULL};
static const char *const tiers_keys[] = {"order", "demote_below",
					 "demote_months", NULL};
static const char *const review_keys[] = {"dismiss_below", "last_place_below",
					  "last_place_months", NULL};
static const char *const category_keys[] = {
	"label",  "hotkey",   "kind",	    "unit",	   "points",
	"bands",  "free",     "escalate",   "budget",	   "zero_at",
	"severity", "attendance", "fine",   "fine_growth", "dismiss_at",
	"note",   NULL};
static const char *const tier_keys[] = {"label", "promote_score",
					"promote_months", "min_months", NULL};
static const char *const kpi_keys[] = {"label", "metric", "weight", "bands",
				       NULL};

static const struct section_info {
	const char *name; /* fixed name, or the prefix before '.' */
	bool prefixed;	  /* [name.KEY] */
	bool required;	  /* a fixed section the file must have */
	const char *const *keys;
} section_infos[SK_COUNT] = {
	[SK_TEAM] = {"team", false, true, team_keys},
	[SK_SCORE] = {"score", false, false, score_keys},
	[SK_COMBO] = {"combo", false, false, combo_keys},
	[SK_GRADES] = {"grades", false, true, grades_keys},
	[SK_PAY] = {"pay", false, true, pay_keys},
	[SK_BONUS] = {"bonus", false, true, bonus_keys},
	[SK_AWARD] = {"award", false, true, award_keys},
	[SK_TIERS] = {"tiers", false, true, tiers_keys},
	[SK_REVIEW] = {"review", false, true, review_keys},
	[SK_CATEGORY] = {"category", true, false, category_keys},
	[SK_TIER] = {"tier", true, false, tier_keys},
	[SK_KPI] = {"kpi", true, false, kpi_keys},
};

static enum section_kind classify_section(const char *name)
{
	for (int k = 0; k < SK_COUNT; k++) {
		const struct section_info *info = &section_infos[k];
		size_t n = strlen(info->name);
		if (!info->prefixed) {
			if (strcmp(name, info->name) == 0)
				return (enum section_kind)k;
		} else if (strncmp(name, info->name, n) == 0 &&
			   name[n] == '.') {
			return (enum section_kind)k;
		}
	}
	return SK_UNKNOWN;
}

/* The KEY of [category.KEY], as written (not lower-cased). */
static const char *section_suffix(const struct scan_section *sec)
{
	const char *dot = strchr(sec->raw, '.');
	return dot ? dot + 1 : "";
}

static void report_unknown_section(struct loader *ld,
				   const struct scan_section *sec)
{
	char guess[96];
	const char *dot = strchr(sec->name, '.');
	const char *suggestion = NULL;
	if (dot) {
		char head[40];
		size_t n = (size_t)(dot - sec->name);
		if (n < sizeof(head)) {
			memcpy(head, sec->name, n);
			head[n] = '\0';
			static const char *const prefixes[] = {
				"category", "tier", "kpi", NULL};
			const char *p = closest_word(head, prefixes);
			if (p) {
				snprintf(guess, sizeof(guess), "%s%.40s", p,
					 dot);
				suggestion = guess;
			}
		}
	} else {
		static const char *const fixed[] = {
			"team",	 "score", "combo", "grades", "pay",
			"bonus", "award", "tiers", "review", NULL};
		suggestion = closest_word(sec->name, fixed);
	}
	if (suggestion) {
		report(ld, sec->line, sec->name, NULL,
		       "unknown section; did you mean [%s]?", suggestion);
		return;
	}
	report(ld, sec->line, sec->name, NULL,
	       "unknown section; the sections are [team], [score], "
	       "[combo], [grades], [pay], [bonus], [award], [tiers], "
	       "[tier.KEY], [review], [category.KEY] and [kpi.KEY]");
}

/* Reports keys the section does not define, and keys set twice. */
static void check_section_keys(struct loader *ld,
			       const struct scan_section *sec,
			       enum section_kind kind)
{
	const char *const *allowed = section_infos[kind].keys;
	for (size_t i = sec->key_begin; i < sec->key_end; i++) {
		const struct key_ref *ref = &ld->key_refs[i];
		bool known = false;
		for (size_t j = 0; allowed[j]; j++) {
			if (strcmp(ref->name, allowed[j]) == 0)
				known = true;
		}
		if (!known) {
			const char *guess = closest_word(ref->name, allowed);
			char list[512];
			if (guess)
				report(ld, ref->line, sec->name, ref->name,
				       "unknown key; did you mean %s?", guess);
			else
				report(ld, ref->line, sec->name, ref->name,
				       "unknown key; the keys of this section "
				       "are: %s",
				       join_words(list, sizeof(list),
						  allowed));
			continue;
		}
		if (i > sec->key_begin &&
		    strcmp(ld->key_refs[i - 1].name, ref->name) == 0) {
			size_t first = i - 1;
			while (first > sec->key_begin &&
			       strcmp(ld->key_refs[first - 1].name,
				      ref->name) == 0)
				first--;
			report(ld, ref->line, sec->name, ref->name,
			       "set twice (first on line %d); only one is "
			       "allowed",
			       ld->key_refs[first].line);
		}
	}
}

static const struct scan_section *find_section(const struct loader *ld,
					       const char *name)
{
	for (size_t i = 0; i < ld->section_count; i++) {
		if (ld->sections[i].group == i &&
		    strcmp(ld->sections[i].name, name) == 0)
			return &ld->sections[i];
	}
	return NULL;
}

/* The fixed section named `name`; reports it missing if required. */
static bool open_fixed(struct loader *ld, enum section_kind kind,
		       struct sect *s)
{
	const struct section_info *info = &section_infos[kind];
	s->ld = ld;
	s->name = info->name;
	s->sec = find_section(ld, info->name);
	if (!s->sec && info->required) {
		report(ld, 0, info->name, NULL,
		       "required section is missing");
		return false;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* The fixed sections                                                  */

static void load_team(struct loader *ld, struct rulebook *rb)
{
	struct sect s;
	if (!open_fixed(ld, SK_TEAM, &s))
		return;
	get_text(&s, "name", true, &rb->team_name);
}

static void load_score(struct loader *ld, struct rulebook *rb,
		       int *mode_line)
{
	static const char *const modes[] = {"fixed", "kpi", NULL};
	struct sect s;
	rb->mode = RB_MODE_FIXED;
	rb->base_cp = 8000;
	rb->min_cp = 0;
	rb->max_cp = 11000;
	if (!open_fixed(ld, SK_SCORE, &s))
		return;
	int mode = RB_MODE_FIXED;
	if (get_choice(&s, "mode", false, modes, &mode) == GOT_OK)
		rb->mode = mode == 1 ? RB_MODE_KPI : RB_MODE_FIXED;
	*mode_line = sect_find(&s, "mode").line;
	get_number(&s, "base", false, &spec_points, &rb->base_cp);
	enum got got_min = get_number(&s, "min", false, &spec_points,
				      &rb->min_cp);
	enum got got_max = get_number(&s, "max", false, &spec_points,
				      &rb->max_cp);
	if (got_min != GOT_BAD && got_max != GOT_BAD &&
	    rb->min_cp > rb->max_cp) {
		char lo[32], hi[32];
		struct found f = sect_find(&s, got_max == GOT_OK ? "max" : "min");
		report(ld, f.line, s.name, got_max == GOT_OK ? "max" : "min",
		       "max (%s) is below min (%s)",
		       format_cp(hi, sizeof(hi), rb->max_cp, 2),
		       format_cp(lo, sizeof(lo), rb->min_cp, 2));
	}
}

static void load_combo(struct loader *ld, struct rulebook *rb)
{
	struct sect s;
	rb->combo_light = 0;
	rb->combo_medium = 0;
	rb->combo_points_cp = 0;
	if (!open_fixed(ld, SK_COMBO, &s) || !s.sec)
		return;
	enum got light = get_int32(&s, "light", false, &spec_count,
				   &rb->combo_light);
	enum got medium = get_int32(&s, "medium", false, &spec_count,
				    &rb->combo_medium);
	bool has_threshold = light != GOT_ABSENT || medium != GOT_ABSENT;
	enum got points = get_number(&s, "points", has_threshold, &spec_points,
				     &rb->combo_points_cp);
	if (points != GOT_ABSENT && !has_threshold)
		report(ld, sect_find(&s, "points").line, s.name, "points",
		       "has no effect without light or medium");
}

static void load_grades(struct loader *ld, struct rulebook *rb)
{
	struct sect s;
	if (!open_fixed(ld, SK_GRADES, &s))
		return;
	get_bands(&s, "bands", true, true, &rb->grades);
}

static void load_pay(struct loader *ld, struct rulebook *rb)
{
	struct sect s;
	if (!open_fixed(ld, SK_PAY, &s))
		return;
	get_number(&s, "baseline", true, &spec_points, &rb->pay_baseline_cp);
	get_number(&s, "per_point", true, &spec_yuan, &rb->pay_per_point_fen);
	get_number(&s, "cap", true, &spec_yuan, &rb->pay_cap_fen);
	get_int32(&s, "from_month", true, &spec_months, &rb->pay_from_month);
}

static void load_bonus(struct loader *ld, struct rulebook *rb)
{
	struct sect s;
	if (!open_fixed(ld, SK_BONUS, &s))
		return;
	get_number(&s, "min_score", true, &spec_points,
		   &rb->bonus_min_score_cp);
	get_number(&s, "pool_rate", true, &spec_rate,
		   &rb->bonus_pool_rate_ppm);
	enum got shares = get_number_list(&s, "shares", true, &spec_percent,
					  &rb->bonus_shares_bp,
					  &rb->bonus_share_count);
	get_number_list(&s, "awards", true, &spec_yuan, &rb->bonus_awards_fen,
			&rb->bonus_award_count);
	enum got rest = get_number(&s, "rest_share", true, &spec_percent,
				   &rb->bonus_rest_share_bp);
	if (shares == GOT_OK && rest == GOT_OK) {
		int64_t total = rb->bonus_rest_share_bp;
		for (size_t i = 0; i < rb->bonus_share_count; i++)
			total += rb->bonus_shares_bp[i];
		if (total > 10000) {
			char sum[32];
			report(ld, sect_find(&s, "rest_share").line, s.name,
			       "rest_share",
			       "shares and rest_share add up to %s%%, more "
			       "than the whole pool (100%%)",
			       format_cp(sum, sizeof(sum), total, 2));
		}
	}
}

static void load_award(struct loader *ld, struct rulebook *rb)
{
	struct sect s;
	if (!open_fixed(ld, SK_AWARD, &s))
		return;
	get_number_list(&s, "top_streak", true, &spec_yuan,
			&rb->top_streak_fen, &rb->top_streak_count);
	get_number(&s, "full_attendance", true, &spec_yuan,
		   &rb->full_attendance_fen);
}

static void load_review(struct loader *ld, struct rulebook *rb)
{
	struct sect s;
	if (!open_fixed(ld, SK_REVIEW, &s))
		return;
	get_number(&s, "dismiss_below", true, &spec_points,
		   &rb->dismiss_below_cp);
	get_number(&s, "last_place_below", true, &spec_points,
		   &rb->last_place_below_cp);
	get_int32(&s, "last_place_months", true, &spec_months,
		  &rb->last_place_months);
}

/* ------------------------------------------------------------------ */
/* [category.KEY]                                                      */

static const char *kind_sign_text(enum rb_kind kind)
{
	return kind == RB_DEDUCTION ? "<= 0 in a deduction category"
				    : ">= 0 in a bonus category";
}

static bool sign_ok(enum rb_kind kind, int64_t value)
{
	return kind == RB_DEDUCTION ? value <= 0 : value >= 0;
}

/* `escalate = N:TOTAL, ...`: N whole, positive, strictly ascending. */
static enum got get_escalate(const struct sect *s, const char *key,
			     struct rb_escalate_step **out, size_t *count)
{
	struct found f;
	enum got got = sect_start(s, key, false, &f);
	if (got != GOT_OK)
		return got;
	struct rb_escalate_step steps[LIST_MAX];
	size_t n = 0;
	bool bad = false;
	char item[INI_LINE_MAX + 1];
	char q[QBUF];
	const char *cursor = f.value;
	while (next_item(&cursor, item, sizeof(item))) {
		n++;
		if (n > LIST_MAX) {
			report(s->ld, f.line, s->name, key,
			       "more than %d entries", LIST_MAX);
			return GOT_BAD;
		}
		char *colon = strchr(item, ':');
		if (!colon) {
			report(s->ld, f.line, s->name, key,
			       "entry %zu %s: expected N:TOTAL (like 3:-5)",
			       n, quote(q, sizeof(q), item));
			bad = true;
			continue;
		}
		*colon = '\0';
		int64_t count_value = 0, total = 0;
		bool count_ok = fixed_parse_int(item, 1, COUNT_MAX,
						&count_value);
		bool total_ok = parse_number(colon + 1, &spec_points,
					     &total) == NUM_OK;
		*colon = ':';
		if (!count_ok) {
			report(s->ld, f.line, s->name, key,
			       "entry %zu %s: N must be a whole number from "
			       "1 to 100000",
			       n, quote(q, sizeof(q), item));
			bad = true;
			continue;
		}
		if (!total_ok) {
			report(s->ld, f.line, s->name, key,
			       "entry %zu %s: TOTAL is not %s", n,
			       quote(q, sizeof(q), item), spec_points.expect);
			bad = true;
			continue;
		}
		if (n > 1 && !bad && count_value <= steps[n - 2].count) {
			report(s->ld, f.line, s->name, key,
			       "entry %zu %s: N must be greater than the "
			       "previous entry's %d",
			       n, quote(q, sizeof(q), item),
			       (int)steps[n - 2].count);
			bad = true;
			continue;
		}
		steps[n - 1].count = (int32_t)count_value;
		steps[n - 1].total_cp = total;
	}
	if (bad)
		return GOT_BAD;
	*out = malloc(n * sizeof(**out));
	if (!*out) {
		s->ld->nomem = true;
		return GOT_BAD;
	}
	memcpy(*out, steps, n * sizeof(**out));
	*count = n;
	return GOT_OK;
}

/* Hotkeys already taken: by which section, on which line. */
struct hotkey_owner {
	const char *section; /* NULL when free */
	int line;
};

static enum got get_hotkey(const struct sect *s, char *out)
{
	struct found f = sect_find(s, "hotkey");
	char q[QBUF];
	const char *v = f.value;
	/* A quoted space is blank, but "empty value" would mislead. */
	if (v && v[0] != '\0' && strspn(v, " \t") == strlen(v)) {
		report(s->ld, f.line, s->name, "hotkey",
		       "a space cannot be a hotkey");
		return GOT_BAD;
	}
	enum got got = sect_start(s, "hotkey", true, &f);
	if (got != GOT_OK)
		return got;
	if (strlen(v) != 1 || (unsigned char)v[0] < 0x21 ||
	    (unsigned char)v[0] > 0x7E) {
		report(s->ld, f.line, s->name, "hotkey",
		       "%s is not one printable ASCII character (a letter, "
		       "digit or sign; not a space)",
		       quote(q, sizeof(q), v));
		return GOT_BAD;
	}
	if (strchr(RB_RESERVED_HOTKEYS, v[0])) {
		report(s->ld, f.line, s->name, "hotkey",
		       "%s is reserved by the shift desk (reserved: "
		       "q ? u x / j k a e R T [ ] < >)",
		       quote(q, sizeof(q), v));
		return GOT_BAD;
	}
	if (v[0] >= '0' && v[0] <= '9') {
		report(s->ld, f.line, s->name, "hotkey",
		       "%s is a digit: on the shift desk digits type the "
		       "quantity before a hotkey (3r = three)",
		       quote(q, sizeof(q), v));
		return GOT_BAD;
	}
	*out = v[0];
	return GOT_OK;
}

static void load_category(struct loader *ld, const struct scan_section *sec,
			  struct rb_category *cat,
			  struct hotkey_owner owners[128])
{
	static const char *const kinds[] = {"deduction", "bonus", NULL};
	static const char *const units[] = {"count", "minutes", NULL};
	static const char *const severities[] = {"light", "medium", "severe",
						 NULL};
	static const char *const booleans[] = {"false", "true", NULL};
	static const char *const notes[] = {"optional", "required", NULL};
	struct sect s = {ld, sec->name, sec};
	char q[QBUF];

	snprintf(cat->key, sizeof(cat->key), "%s", section_suffix(sec));
	cat->unit = RB_UNIT_COUNT;
	cat->fine_growth_h = 100;
	cat->severity = RB_SEV_NONE;

	get_text(&s, "label", true, &cat->label);

	if (get_hotkey(&s, &cat->hotkey) == GOT_OK) {
		unsigned char c = (unsigned char)cat->hotkey;
		struct found f = sect_find(&s, "hotkey");
		if (owners[c].section) {
			report(ld, f.line, s.name, "hotkey",
			       "%s is already the hotkey of [%s] (line %d)",
			       quote(q, sizeof(q), f.value), owners[c].section,
			       owners[c].line);
		} else {
			owners[c].section = sec->name;
			owners[c].line = f.line;
		}
	}

	int kind_index = 0;
	enum got got_kind = get_choice(&s, "kind", true, kinds, &kind_index);
	cat->kind = kind_index == 1 ? RB_BONUS : RB_DEDUCTION;
	bool kind_known = got_kind == GOT_OK;

	int unit_index = 0;
	enum got got_unit = get_choice(&s, "unit", false, units, &unit_index);
	cat->unit = unit_index == 1 ? RB_UNIT_MINUTES : RB_UNIT_COUNT;

	enum got got_points = get_number(&s, "points", false, &spec_points,
					 &cat->points_cp);
	enum got got_bands = get_bands(&s, "bands", false, false, &cat->bands);
	cat->has_bands = got_bands == GOT_OK;

	struct found points_f = sect_find(&s, "points");
	struct found bands_f = sect_find(&s, "bands");
	if (got_bands != GOT_ABSENT && got_unit != GOT_BAD &&
	    cat->unit != RB_UNIT_MINUTES)
		report(ld, bands_f.line, s.name, "bands",
		       "bands needs unit = minutes (a count category has "
		       "fixed points)");
	if (got_bands != GOT_ABSENT && got_points != GOT_ABSENT)
		report(ld, points_f.line, s.name, "points",
		       "give points or bands, not both");
	if (got_bands == GOT_ABSENT && got_points == GOT_ABSENT) {
		if (cat->unit == RB_UNIT_MINUTES)
			report(ld, sec->line, s.name, "points",
			       "required key is missing (or give bands, "
			       "from minutes to points)");
		else
			report(ld, sec->line, s.name, "points",
			       "required key is missing");
	}
	if (kind_known && got_points == GOT_OK &&
	    !sign_ok(cat->kind, cat->points_cp))
		report(ld, points_f.line, s.name, "points", "%s must be %s",
		       quote(q, sizeof(q), points_f.value),
		       kind_sign_text(cat->kind));
	if (kind_known && got_bands == GOT_OK) {
		for (size_t i = 0; i < cat->bands.count; i++) {
			if (sign_ok(cat->kind, cat->bands.bands[i].result_h))
				continue;
			char entry[INI_LINE_MAX + 1];
			report(ld, bands_f.line, s.name, "bands",
			       "entry %zu %s: the points must be %s", i + 1,
			       quote(q, sizeof(q),
				     item_at(bands_f.value, i + 1, entry,
					     sizeof(entry))),
			       kind_sign_text(cat->kind));
		}
	}

	int64_t free_count = 0;
	enum got got_free = get_number(&s, "free", false, &spec_free,
				       &free_count);
	cat->free_count = (int32_t)free_count;

	enum got got_escalate = get_escalate(&s, "escalate", &cat->escalate,
					     &cat->escalate_count);
	struct found escalate_f = sect_find(&s, "escalate");
	if (kind_known && got_escalate == GOT_OK) {
		for (size_t i = 0; i < cat->escalate_count; i++) {
			if (sign_ok(cat->kind, cat->escalate[i].total_cp))
				continue;
			char entry[INI_LINE_MAX + 1];
			report(ld, escalate_f.line, s.name, "escalate",
			       "entry %zu %s: the total must be %s", i + 1,
			       quote(q, sizeof(q),
				     item_at(escalate_f.value, i + 1, entry,
					     sizeof(entry))),
			       kind_sign_text(cat->kind));
		}
	}
	if (got_free != GOT_ABSENT && got_escalate != GOT_ABSENT)
		report(ld, escalate_f.line, s.name, "escalate",
		       "cannot be combined with free (line %d)",
		       sect_find(&s, "free").line);

	enum got got_budget = get_number(&s, "budget", false, &spec_budget,
					 &cat->budget_cp);
	cat->has_budget = got_budget == GOT_OK;
	enum got got_zero = get_int32(&s, "zero_at", false, &spec_count,
				      &cat->zero_at);
	if (got_zero != GOT_ABSENT) {
		struct found zero_f = sect_find(&s, "zero_at");
		if (got_budget == GOT_ABSENT)
			report(ld, zero_f.line, s.name, "zero_at",
			       "needs budget (the total it sets is -budget)");
		if (kind_known && cat->kind == RB_BONUS)
			report(ld, zero_f.line, s.name, "zero_at",
			       "only a deduction category can have zero_at");
	}

	int severity = 0;
	if (get_choice(&s, "severity", false, severities, &severity) == GOT_OK)
		cat->severity = severity == 0	? RB_SEV_LIGHT
				: severity == 1 ? RB_SEV_MEDIUM
						: RB_SEV_SEVERE;
	int attendance = 0;
	get_choice(&s, "attendance", false, booleans, &attendance);
	cat->attendance = attendance == 1;
	get_number(&s, "fine", false, &spec_yuan, &cat->fine_fen);
	get_number(&s, "fine_growth", false, &spec_growth, &cat->fine_growth_h);
	get_int32(&s, "dismiss_at", false, &spec_count, &cat->dismiss_at);
	int note = 0;
	get_choice(&s, "note", false, notes, &note);
	cat->note_required = note == 1;
}

/* ------------------------------------------------------------------ */
/* [tiers] and [tier.KEY]                                              */

static void load_tier(struct loader *ld, const struct scan_section *sec,
		      struct rb_tier *tier, bool top)
{
	struct sect s = {ld, sec->name, sec};
	snprintf(tier->key, sizeof(tier->key), "%s", section_suffix(sec));
	get_text(&s, "label", true, &tier->label);
	enum got score = get_number(&s, "promote_score", false, &spec_points,
				    &tier->promote_score_cp);
	enum got months = get_int32(&s, "promote_months", false, &spec_months,
				    &tier->promote_months);
	enum got min = get_int32(&s, "min_months", false, &spec_months,
				 &tier->min_months);
	static const char *const names[] = {"promote_score", "promote_months",
					    "min_months"};
	enum got got[3] = {score, months, min};
	int present = 0;
	for (int i = 0; i < 3; i++)
		present += got[i] != GOT_ABSENT;
	if (top) {
		for (int i = 0; i < 3; i++) {
			if (got[i] == GOT_ABSENT)
				continue;
			report(ld, sect_find(&s, names[i]).line, s.name,
			       names[i],
			       "the top tier (last in [tiers] order) has no "
			       "promotion");
		}
		return;
	}
	if (present == 0)
		return;
	if (present < 3) {
		for (int i = 0; i < 3; i++) {
			if (got[i] != GOT_ABSENT)
				continue;
			report(ld, sec->line, s.name, names[i],
			       "required with the other promotion keys "
			       "(promote_score, promote_months and "
			       "min_months go together)");
		}
		return;
	}
	tier->can_promote = score == GOT_OK && months == GOT_OK &&
			    min == GOT_OK;
}

/* Reads [tiers] order into keys[]: its valid, unique items. */
static size_t load_tier_order(const struct sect *s, char keys[][RB_KEY_MAX])
{
	struct found f;
	if (sect_start(s, "order", true, &f) != GOT_OK)
		return 0;
	char item[INI_LINE_MAX + 1];
	char q[QBUF];
	size_t n = 0;
	const char *cursor = f.value;
	for (size_t position = 1; next_item(&cursor, item, sizeof(item));
	     position++) {
		if (position > LIST_MAX) {
			report(s->ld, f.line, s->name, "order",
			       "more than %d tiers", LIST_MAX);
			return 0;
		}
		if (!valid_key(item)) {
			report(s->ld, f.line, s->name, "order",
			       "item %zu %s is not a tier key (1 to 31 of "
			       "a-z, 0-9 and _)",
			       position, quote(q, sizeof(q), item));
			continue;
		}
		bool repeated = false;
		for (size_t i = 0; i < n; i++)
			repeated = repeated || strcmp(keys[i], item) == 0;
		if (repeated) {
			report(s->ld, f.line, s->name, "order",
			       "item %zu %s is listed twice", position,
			       quote(q, sizeof(q), item));
			continue;
		}
		/* valid_key() has checked it fits. */
		memcpy(keys[n++], item, strlen(item) + 1);
	}
	return n;
}

static void load_tiers(struct loader *ld, struct rulebook *rb)
{
	struct sect s;
	bool have = open_fixed(ld, SK_TIERS, &s);
	char order[LIST_MAX][RB_KEY_MAX];
	size_t order_count = 0;
	int order_line = 0;
	if (have) {
		order_count = load_tier_order(&s, order);
		order_line = sect_find(&s, "order").line;
		get_number(&s, "demote_below", true, &spec_points,
			   &rb->demote_below_cp);
		get_int32(&s, "demote_months", true, &spec_months,
			  &rb->demote_months);
	}

	/* The valid items of a bad order are still checked, to report every
	 * error; the rulebook is refused anyway. */
	if (order_count > 0) {
		rb->tiers = calloc(order_count, sizeof(*rb->tiers));
		if (!rb->tiers) {
			ld->nomem = true;
			return;
		}
		rb->tier_count = order_count;
	}
	/* Every tier named in order needs its section. */
	for (size_t i = 0; i < order_count; i++) {
		char name[RB_KEY_MAX + 8];
		snprintf(name, sizeof(name), "tier.%.31s", order[i]);
		const struct scan_section *sec = find_section(ld, name);
		if (!sec) {
			report(ld, order_line, "tiers", "order",
			       "tier \"%s\" has no [tier.%s] section",
			       order[i], order[i]);
			continue;
		}
		load_tier(ld, sec, &rb->tiers[i], i + 1 == order_count);
	}
	/* And every [tier.KEY] must be named in order. */
	for (size_t i = 0; i < ld->section_count; i++) {
		const struct scan_section *sec = &ld->sections[i];
		if (sec->group != i || classify_section(sec->name) != SK_TIER)
			continue;
		const char *key = sec->name + strlen("tier.");
		bool listed = false;
		for (size_t j = 0; j < order_count; j++)
			listed = listed || strcmp(order[j], key) == 0;
		if (listed)
			continue;
		if (have)
			report(ld, sec->line, sec->name, NULL,
			       "tier not listed in [tiers] order");
		/* Still check its keys, to report every error. */
		struct rb_tier scratch;
		memset(&scratch, 0, sizeof(scratch));
		load_tier(ld, sec, &scratch, false);
		free(scratch.label);
	}
}

/* ------------------------------------------------------------------ */
/* [kpi.KEY]                                                           */

static void load_kpi(struct loader *ld, const struct scan_section *sec,
		     struct rb_kpi *kpi, bool *weight_ok)
{
	static const char *const metrics[RB_METRIC_COUNT + 1] = {
		[RB_METRIC_SALES_PCT] = "sales_pct",
		[RB_METRIC_CONVERSION] = "conversion",
		[RB_METRIC_RESPONSE_S] = "response_s",
		[RB_METRIC_AOV_PCT] = "aov_pct",
		[RB_METRIC_REPLY_RATE] = "reply_rate",
		[RB_METRIC_COUNT] = NULL,
	};
	struct sect s = {ld, sec->name, sec};
	char q[QBUF];
	snprintf(kpi->key, sizeof(kpi->key), "%s", section_suffix(sec));
	get_text(&s, "label", true, &kpi->label);
	int metric = 0;
	if (get_choice(&s, "metric", true, metrics, &metric) == GOT_OK)
		kpi->metric = (enum rb_metric)metric;
	*weight_ok = get_int32(&s, "weight", true, &spec_weight,
			       &kpi->weight) == GOT_OK;
	if (get_bands(&s, "bands", true, false, &kpi->bands) != GOT_OK)
		return;
	struct found f = sect_find(&s, "bands");
	for (size_t i = 0; i < kpi->bands.count; i++) {
		int64_t r = kpi->bands.bands[i].result_h;
		if (r >= 0 && r <= 10000)
			continue;
		char entry[INI_LINE_MAX + 1];
		report(ld, f.line, s.name, "bands",
		       "entry %zu %s: the score must be from 0 to 100", i + 1,
		       quote(q, sizeof(q),
			     item_at(f.value, i + 1, entry, sizeof(entry))));
	}
}

/* ------------------------------------------------------------------ */
/* The whole file                                                      */

static size_t count_sections(const struct loader *ld, enum section_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < ld->section_count; i++) {
		if (ld->sections[i].group == i &&
		    classify_section(ld->sections[i].name) == kind)
			n++;
	}
	return n;
}

/* Checks section names and keys: unknown ones, bad KEYs, repeats. */
static void check_structure(struct loader *ld)
{
	for (size_t i = 0; i < ld->section_count; i++) {
		const struct scan_section *sec = &ld->sections[i];
		if (sec->group != i)
			continue;
		enum section_kind kind = classify_section(sec->name);
		if (kind == SK_UNKNOWN) {
			report_unknown_section(ld, sec);
			continue;
		}
		if (section_infos[kind].prefixed) {
			const char *key = section_suffix(sec);
			char q[QBUF];
			if (!valid_key(key))
				report(ld, sec->line, sec->raw, NULL,
				       "%s is not a valid %s key (1 to 31 of "
				       "a-z, 0-9 and _)",
				       quote(q, sizeof(q), key),
				       section_infos[kind].name);
		}
		check_section_keys(ld, sec, kind);
	}
}

static void load_categories(struct loader *ld, struct rulebook *rb)
{
	size_t count = count_sections(ld, SK_CATEGORY);
	if (count == 0) {
		report(ld, 0, NULL, NULL,
		       "no [category.KEY] section: the shift desk needs at "
		       "least one category to log");
		return;
	}
	rb->categories = calloc(count, sizeof(*rb->categories));
	if (!rb->categories) {
		ld->nomem = true;
		return;
	}
	rb->category_count = count;
	struct hotkey_owner owners[128];
	for (size_t c = 0; c < 128; c++)
		owners[c] = (struct hotkey_owner){NULL, 0};
	size_t n = 0;
	for (size_t i = 0; i < ld->section_count && !ld->nomem; i++) {
		const struct scan_section *sec = &ld->sections[i];
		if (sec->group != i ||
		    classify_section(sec->name) != SK_CATEGORY)
			continue;
		load_category(ld, sec, &rb->categories[n], owners);
		n++;
	}
}

static void load_kpis(struct loader *ld, struct rulebook *rb, int mode_line)
{
	size_t count = count_sections(ld, SK_KPI);
	if (count == 0) {
		if (rb->mode == RB_MODE_KPI)
			report(ld, mode_line, "score", "mode",
			       "mode = kpi needs at least one [kpi.KEY] "
			       "section");
		return;
	}
	rb->kpis = calloc(count, sizeof(*rb->kpis));
	if (!rb->kpis) {
		ld->nomem = true;
		return;
	}
	rb->kpi_count = count;
	bool weights_ok = true;
	int64_t weight_sum = 0;
	const struct scan_section *last = NULL;
	size_t n = 0;
	for (size_t i = 0; i < ld->section_count && !ld->nomem; i++) {
		const struct scan_section *sec = &ld->sections[i];
		if (sec->group != i || classify_section(sec->name) != SK_KPI)
			continue;
		bool weight_ok = false;
		load_kpi(ld, sec, &rb->kpis[n], &weight_ok);
		weights_ok = weights_ok && weight_ok;
		weight_sum += rb->kpis[n].weight;
		last = sec;
		n++;
	}
	if (weights_ok && weight_sum != 100 && last) {
		struct sect s = {ld, last->name, last};
		report(ld, sect_find(&s, "weight").line, last->name, "weight",
		       "the weights of all [kpi.*] sections add up to "
		       "%lld; they must add up to 100",
		       (long long)weight_sum);
	}
}

static void load_rulebook(struct loader *ld, struct rulebook *rb)
{
	int mode_line = 0;
	check_structure(ld);
	load_team(ld, rb);
	load_score(ld, rb, &mode_line);
	load_combo(ld, rb);
	load_grades(ld, rb);
	load_pay(ld, rb);
	load_bonus(ld, rb);
	load_award(ld, rb);
	load_tiers(ld, rb);
	load_review(ld, rb);
	load_categories(ld, rb);
	load_kpis(ld, rb, mode_line);
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
	ld.file = name ? name : BUILTIN_NAME;

	size_t skip = 0;
	if (len >= 3 && (unsigned char)text[0] == 0xEF &&
	    (unsigned char)text[1] == 0xBB && (unsigned char)text[2] == 0xBF)
		skip = 3;
	if (len - skip > CONFIG_SIZE_MAX) {
		report(&ld, 0, NULL, NULL,
		       "the file is larger than %d bytes; is it a rulebook?",
		       CONFIG_SIZE_MAX);
		goto done;
	}

	scan_text(&ld, text + skip, len - skip, &clean);
	if (ld.nomem)
		goto done;
	index_scan(&ld);
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

	rb->source_text = dup_range(text, len);
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
	hand_over_errors(&ld, errors);
	rulebook_destroy(rb);
	free(clean.data);
	loader_finish(&ld);
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
		if (n > 0 && !strbuf_append(&text, chunk, n)) {
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
