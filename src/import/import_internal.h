/* Shared inside src/import/: message lists, cell excerpts for messages,
 * white space and a growing string. Not part of the module's contract
 * (kpidesk/import.h). */
#ifndef KPIDESK_IMPORT_INTERNAL_H
#define KPIDESK_IMPORT_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kpidesk/import.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* A growing list of messages; `nomem` once an allocation failed (later
 * additions are dropped and the caller reports KD_ERR_NOMEM). */
struct msg_list {
	size_t count;
	size_t capacity;
	struct kpi_message *items;
	bool nomem;
};

void msg_vadd(struct msg_list *list, int32_t line, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
void msg_add(struct msg_list *list, int32_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void msg_list_free(struct kpi_message *items, size_t count);
/* Appends `from` to `to` and empties `from`. */
void msg_list_move(struct msg_list *to, struct msg_list *from);
/* Sorts the messages by line, keeping the order of those on one line. */
void msg_list_sort(struct msg_list *list);

/* A cell as quoted in a message: control characters as '?', cut to 40
 * cells with an ellipsis. Returns buf. */
const char *import_excerpt(char *buf, size_t size, const char *cell);

/* The length of a white-space character at s (ASCII space or tab, U+3000
 * ideographic space, U+00A0 no-break space, U+FEFF), else 0. */
size_t import_space_at(const char *s);

/* The trimmed part of s: *start and its length. */
size_t import_trim_span(const char *s, const char **start);

/* The kind of value a KPI column holds. */
enum kpi_value_kind kpi_column_kind(enum kpi_column column);

/* A growing NUL-terminated string. */
struct strbuf {
	char *s;
	size_t len;
	size_t capacity;
};

bool strbuf_add(struct strbuf *b, char c);
bool strbuf_append(struct strbuf *b, const char *s, size_t len);

/* Rows: adds a copy of `len` bytes at `text` as the row's next cell. */
bool import_record_add(struct kpi_csv_record *rec, size_t *capacity,
                       const char *text, size_t len);
void import_record_free(struct kpi_csv_record *rec);
bool import_record_is_blank(const struct kpi_csv_record *rec);
/* Appends *rec (moved: *rec is emptied) to the table's records. */
bool import_records_push(struct kpi_csv *csv, size_t *capacity,
                         struct kpi_csv_record *rec);

#endif
