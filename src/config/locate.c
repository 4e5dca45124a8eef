/* The line locator: where each [section] and key of a rulebook is.
 *
 * iniparser 4.1 reports no line numbers, keeps the last of two duplicate
 * keys without a word and refuses the whole file for one malformed line.
 * So before iniparser reads the text, this walks it line by line with
 * iniparser's own rules of what a line is: it records each section header
 * and key name with its line, reports the lines iniparser would refuse or
 * silently misread, and blanks those in the copy iniparser gets, so the rest
 * of the file can still be checked. It reads no value: values come from
 * iniparser's dictionary (load.c). */
#include "config_internal.h"

#include <stdlib.h>
#include <string.h>

static void lower_ascii(char *s)
{
	for (; *s; s++) {
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
	}
}

/* ------------------------------------------------------------------ */
/* The line scan                                                       */

static bool add_section(struct loader *ld, const char *stripped_name, int line)
{
	void *grown = cfg_grow(ld->sections, &ld->section_cap,
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
	ld->sections[ld->section_count] = (struct loc_section){
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
	void *grown =
	    cfg_grow(ld->keys, &ld->key_cap, ld->key_count, sizeof(*ld->keys));
	if (!grown)
		return false;
	ld->keys = grown;
	char *copy = cfg_dup_range(name, name_len);
	if (!copy)
		return false;
	lower_ascii(copy);
	ld->keys[ld->key_count] = (struct loc_key){
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
	char *s = cfg_strip(buf);
	size_t len = strlen(s);
	if (len == 0)
		return LINE_KEEP;
	/* iniparser joins a line ending in '\' with the next one, comments
	 * included, so the next line would silently vanish. */
	if (s[len - 1] == '\\') {
		cfg_report(ld, line, NULL, NULL,
		           "syntax error: the line ends with '\\', which would "
		           "join the next line to it; remove the backslash");
		return LINE_DROP;
	}
	if (s[0] == '#' || s[0] == ';')
		return LINE_KEEP;
	if (s[0] == '[') {
		char *close = strchr(s, ']');
		if (!close) {
			cfg_report(ld, line, NULL, NULL,
			           "syntax error: section header %s has no "
			           "closing ']'",
			           cfg_quote(q, sizeof(q), s));
			return LINE_DROP;
		}
		if (close != s + len - 1) {
			cfg_report(ld, line, NULL, NULL,
			           "syntax error: text after ']' in section "
			           "header %s (comments go on their own line)",
			           cfg_quote(q, sizeof(q), s));
			return LINE_DROP;
		}
		*close = '\0';
		char *name = cfg_strip(s + 1);
		if (*name == '\0') {
			cfg_report(ld, line, NULL, NULL,
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
		cfg_report(ld, line, NULL, NULL,
		           "syntax error: %s is not a [section] header, a "
		           "key = value line or a comment (; or #)",
		           cfg_quote(q, sizeof(q), s));
		return LINE_DROP;
	}
	if (equals == s) {
		cfg_report(ld, line, NULL, NULL,
		           "syntax error: no key name before '='");
		return LINE_DROP;
	}
	size_t name_len = (size_t)(equals - s);
	while (name_len > 0 && cfg_space(s[name_len - 1]))
		name_len--;
	const char *value = equals + 1;
	while (cfg_space(*value))
		value++;
	bool comment_value = *value == ';' || *value == '#';
	if (*state == IN_NO_SECTION) {
		s[name_len] = '\0';
		cfg_report(ld, line, NULL, NULL,
		           "key %s is outside any [section]",
		           cfg_quote(q, sizeof(q), s));
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
			if ((*c == ';' || *c == '#') && !cfg_space(c[-1]))
				cut = c;
	/* A quoted value ends at its closing quote: iniparser drops what
	 * follows ("agent = "账号", 旺旺" would keep only 账号). A comment
	 * after it is fine. */
	const char *after = NULL;
	if (*value == '"' || *value == '\'') {
		const char *close = strchr(value + 1, *value);
		if (close) {
			after = close + 1;
			while (cfg_space(*after))
				after++;
			if (*after == '\0' || *after == ';' || *after == '#')
				after = NULL;
		}
	}
	if (cut || after) {
		char key_name[QBUF];
		size_t n = name_len < sizeof(key_name) - 1
		               ? name_len
		               : sizeof(key_name) - 1;
		memcpy(key_name, s, n);
		key_name[n] = '\0';
		const char *section = ld->sections[ld->section_count - 1].raw;
		if (cut)
			cfg_report(ld, line, section, key_name,
			           "';' or '#' inside the value would cut it "
			           "short (they start a comment): put comments "
			           "on their own line, or write the value in "
			           "double quotes");
		else
			cfg_report(ld, line, section, key_name,
			           "text after the closing quote would be "
			           "dropped: quote the whole value, or "
			           "nothing");
	}
	if (!add_key(ld, ld->section_count - 1, s, name_len, line,
	             comment_value))
		ld->nomem = true;
	return LINE_KEEP;
}

/* Scans the whole text (BOM already removed) and writes the copy that
 * iniparser will read into *out: malformed lines blanked, malformed section
 * headers replaced by PLACEHOLDER_SECTION. */
void cfg_locate_lines(struct loader *ld, const char *text, size_t len,
                      struct strbuf *out)
{
	enum scan_state state = IN_NO_SECTION;
	char buf[INI_LINE_MAX + 1];
	size_t pos = 0;
	int line = 0;

	while (pos < len && !ld->nomem) {
		const char *start = text + pos;
		const char *newline = memchr(start, '\n', len - pos);
		size_t raw_len =
		    newline ? (size_t)(newline - start) : len - pos;
		pos += raw_len + (newline ? 1 : 0);
		line++;

		enum line_verdict verdict;
		if (memchr(start, '\0', raw_len)) {
			cfg_report(
			    ld, line, NULL, NULL,
			    "syntax error: the line contains a NUL byte");
			verdict = LINE_DROP;
		} else if (raw_len > INI_LINE_MAX) {
			cfg_report(
			    ld, line, NULL, NULL,
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
			ok = cfg_buf_append(out, start, raw_len);
		} else {
			size_t i = 0;
			while (i < raw_len && cfg_space(start[i]))
				i++;
			if (i < raw_len && start[i] == '[') {
				state = IN_BAD_SECTION;
				ok =
				    cfg_buf_append(out, PLACEHOLDER_SECTION,
				                   strlen(PLACEHOLDER_SECTION));
			} else {
				ok = true;
			}
		}
		if (!ok || !cfg_buf_append(out, "\n", 1))
			ld->nomem = true;
	}
	ld->line_count = line > 0 ? line : 1;
	/* An empty text still needs a buffer to write. */
	if (!out->data && !cfg_buf_append(out, "", 0))
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

/* iniparser keeps the last of two equal keys without a word; the first
 * might be the one the user reads. keys[begin..end) are sorted by name and
 * line, so the first of a run is the first occurrence. */
static void report_repeated_keys(struct loader *ld,
                                 const struct loc_section *sec)
{
	size_t first = sec->key_begin;
	for (size_t i = sec->key_begin + 1; i < sec->key_end; i++) {
		const struct key_ref *ref = &ld->key_refs[i];
		if (strcmp(ld->key_refs[first].name, ref->name) != 0) {
			first = i;
			continue;
		}
		cfg_report(ld, ref->line, sec->name, ref->name,
		           "set twice (first on line %d); only one is allowed",
		           ld->key_refs[first].line);
	}
}

/* Groups repeated sections and sorts the keys, reporting repeats. */
void cfg_locate_index(struct loader *ld)
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
			struct loc_section *first =
			    &ld->sections[ld->sections[refs[i - 1].index]
			                      .group];
			struct loc_section *again =
			    &ld->sections[refs[i].index];
			again->group = first->group;
			cfg_report(ld, again->line, again->name, NULL,
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
			const struct loc_key *key = &ld->keys[i];
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
		struct loc_section *sec = &ld->sections[i];
		if (sec->group != i)
			continue;
		while (k < ld->key_count && ld->key_refs[k].group < i)
			k++;
		sec->key_begin = k;
		while (k < ld->key_count && ld->key_refs[k].group == i)
			k++;
		sec->key_end = k;
		report_repeated_keys(ld, sec);
	}
}
