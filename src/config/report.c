/* The loader's messages: collected as FILE:LINE: [section] key: what is
 * wrong, sorted into file order, the user's text in them sanitized; and the
 * small text helpers the other files share. */
#include "config_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpidesk/fixed.h"
#include "kpidesk/text.h"

/* ------------------------------------------------------------------ */
/* Growable storage                                                    */

bool cfg_buf_append(struct strbuf *sb, const char *s, size_t n)
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
void *cfg_grow(void *items, size_t *cap, size_t count, size_t size)
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

char *cfg_dup_range(const char *s, size_t n)
{
	char *copy = malloc(n + 1);
	if (!copy)
		return NULL;
	memcpy(copy, s, n);
	copy[n] = '\0';
	return copy;
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
	void *grown = cfg_grow(ld->errors, &ld->error_cap, ld->error_count,
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

const char *cfg_quote(char *buf, size_t size, const char *text)
{
	return sanitize(buf, size, text, true);
}

#define QBUF (QUOTE_MAX * 2 + 8)

/* Records "FILE:LINE: [section] key: message"; the section and key parts
 * are left out when NULL ("FILE:LINE: [section]: message" with no key). */
void cfg_report(struct loader *ld, int line, const char *section,
                const char *key, const char *fmt, ...)
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

	fmt = _(fmt);
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
void cfg_hand_over_errors(struct loader *ld, struct config_errors *errors)
{
	if (ld->error_count == 0)
		return;
	qsort(ld->errors, ld->error_count, sizeof(*ld->errors), compare_errors);
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
		snprintf(tail, sizeof(tail), _("%s: %zu more errors not shown"),
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
bool cfg_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

/* Trims in place; returns the first non-space character. */
char *cfg_strip(char *s)
{
	while (cfg_space(*s))
		s++;
	size_t len = strlen(s);
	while (len > 0 && cfg_space(s[len - 1]))
		s[--len] = '\0';
	return s;
}

/* RULEBOOK.md: category, tier and kpi keys are [a-z0-9_]{1,31}. */
bool cfg_valid_key(const char *key)
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
const char *cfg_closest_word(const char *word, const char *const *words)
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
const char *cfg_join_words(char *buf, size_t size, const char *const *words)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; words[i] && used < size; i++) {
		int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
		                 words[i]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return buf;
}

/* Iterates over the comma-separated items of a value: copies the next
 * item, trimmed, into buf (cut to size - 1 bytes) and advances *cursor.
 * Returns false when no item is left. "a," has the items "a" and "". */
bool cfg_next_item(const char **cursor, char *buf, size_t size)
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
	char *trimmed = cfg_strip(buf);
	memmove(buf, trimmed, strlen(trimmed) + 1);
	return true;
}

/* The `position`-th (1-based) comma-separated item of text, for messages. */
const char *cfg_item_at(const char *text, size_t position, char *buf,
                        size_t size)
{
	const char *cursor = text;
	buf[0] = '\0';
	for (size_t i = 1; cfg_next_item(&cursor, buf, size); i++) {
		if (i == position)
			return buf;
	}
	buf[0] = '\0';
	return buf;
}

const char *cfg_format_cp(char *buf, size_t size, int64_t value, int scale)
{
	return fixed_format_trim(buf, size, value, scale, scale);
}
