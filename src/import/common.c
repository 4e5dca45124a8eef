/* Messages, excerpts, white space and rows shared by the import module's
 * readers and mappings (src/import/import_internal.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_internal.h"
#include "kpidesk/text.h"

void msg_vadd(struct msg_list *list, int32_t line, const char *fmt, va_list ap)
{
	va_list copy;
	int n;
	char *text;

	if (list->nomem)
		return;
	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? list->capacity * 2 : 16;
		struct kpi_message *items =
		    realloc(list->items, capacity * sizeof(*items));

		if (items == NULL) {
			list->nomem = true;
			return;
		}
		list->items = items;
		list->capacity = capacity;
	}
	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	text = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (text == NULL) {
		list->nomem = true;
		return;
	}
	vsnprintf(text, (size_t)n + 1, fmt, ap);
	list->items[list->count].line = line;
	list->items[list->count].text = text;
	list->count++;
}

void msg_add(struct msg_list *list, int32_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vadd(list, line, fmt, ap);
	va_end(ap);
}

void msg_list_free(struct kpi_message *items, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(items[i].text);
	free(items);
}

/* Appends `from` to `to` and empties `from`. */
void msg_list_move(struct msg_list *to, struct msg_list *from)
{
	for (size_t i = 0; i < from->count && !to->nomem; i++) {
		msg_add(to, from->items[i].line, "%s", from->items[i].text);
	}
	to->nomem = to->nomem || from->nomem;
	msg_list_free(from->items, from->count);
	memset(from, 0, sizeof(*from));
}

/* A cell as quoted in a message: control characters as '?', cut to 40
 * cells with an ellipsis. */
const char *import_excerpt(char *buf, size_t size, const char *cell)
{
	size_t n = 0;
	bool cut = false;

	for (const char *p = cell; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (n + 1 >= size || n >= 200) {
			cut = true;
			break;
		}
		buf[n++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	buf[n] = '\0';
	if (cut || text_width(buf) > 40) {
		size_t keep = text_fit(buf, 39, NULL);

		snprintf(buf + keep, size - keep, "…");
	}
	return buf;
}
size_t import_space_at(const char *s)
{
	if (s[0] == ' ' || s[0] == '\t')
		return 1;
	if (strncmp(s, "\xe3\x80\x80", 3) == 0 ||
	    strncmp(s, "\xef\xbb\xbf", 3) == 0)
		return 3;
	if (strncmp(s, "\xc2\xa0", 2) == 0)
		return 2;
	return 0;
}

/* The trimmed part of s: *start and its length. */
size_t import_trim_span(const char *s, const char **start)
{
	size_t len;
	size_t n;

	while ((n = import_space_at(s)) > 0)
		s += n;
	len = strlen(s);
	while (len > 0) {
		if (s[len - 1] == ' ' || s[len - 1] == '\t')
			len--;
		else if (len >= 3 &&
		         (memcmp(s + len - 3, "\xe3\x80\x80", 3) == 0 ||
		          memcmp(s + len - 3, "\xef\xbb\xbf", 3) == 0))
			len -= 3;
		else if (len >= 2 && memcmp(s + len - 2, "\xc2\xa0", 2) == 0)
			len -= 2;
		else
			break;
	}
	*start = s;
	return len;
}

bool strbuf_add(struct strbuf *b, char c)
{
	return strbuf_append(b, &c, 1);
}

bool strbuf_append(struct strbuf *b, const char *s, size_t len)
{
	if (b->len + len + 1 > b->capacity) {
		size_t capacity = b->capacity ? b->capacity : 64;
		char *grown;

		while (b->len + len + 1 > capacity)
			capacity *= 2;
		grown = realloc(b->s, capacity);
		if (grown == NULL)
			return false;
		b->s = grown;
		b->capacity = capacity;
	}
	if (len > 0)
		memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
	return true;
}

void import_record_free(struct kpi_csv_record *rec)
{
	for (size_t i = 0; i < rec->field_count; i++)
		free(rec->fields[i]);
	free(rec->fields);
	memset(rec, 0, sizeof(*rec));
}

bool import_record_add(struct kpi_csv_record *rec, size_t *capacity,
                       const char *text, size_t len)
{
	char *copy;

	if (rec->field_count == *capacity) {
		size_t grown = *capacity ? *capacity * 2 : 8;
		char **fields = realloc(rec->fields, grown * sizeof(*fields));

		if (fields == NULL)
			return false;
		rec->fields = fields;
		*capacity = grown;
	}
	copy = malloc(len + 1);
	if (copy == NULL)
		return false;
	if (len > 0)
		memcpy(copy, text, len);
	copy[len] = '\0';
	rec->fields[rec->field_count++] = copy;
	return true;
}

bool import_record_is_blank(const struct kpi_csv_record *rec)
{
	for (size_t i = 0; i < rec->field_count; i++)
		if (!text_is_blank(rec->fields[i]))
			return false;
	return true;
}

bool import_records_push(struct kpi_csv *csv, size_t *capacity,
                         struct kpi_csv_record *rec)
{
	if (csv->record_count == *capacity) {
		size_t grown = *capacity ? *capacity * 2 : 32;
		struct kpi_csv_record *records =
		    realloc(csv->records, grown * sizeof(*records));

		if (records == NULL)
			return false;
		csv->records = records;
		*capacity = grown;
	}
	csv->records[csv->record_count++] = *rec;
	memset(rec, 0, sizeof(*rec));
	return true;
}

void msg_list_sort(struct msg_list *list)
{
	/* Insertion sort: the lists are short, and it keeps the order of the
	 * messages of one line (qsort would not). */
	for (size_t i = 1; i < list->count; i++) {
		struct kpi_message m = list->items[i];
		size_t j = i;

		while (j > 0 && list->items[j - 1].line > m.line) {
			list->items[j] = list->items[j - 1];
			j--;
		}
		list->items[j] = m;
	}
}
