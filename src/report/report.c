#include "kpidesk/report.h"

#include <stdlib.h>
#include <string.h>

#include "kpidesk/csv.h"
#include "kpidesk/date.h"
#include "kpidesk/fixed.h"
#include "kpidesk/json.h"
#include "kpidesk/text.h"

bool report_format_parse(const char *text, enum report_format *out)
{
	static const struct {
		const char *name;
		enum report_format format;
	} formats[] = {
	    {"table", REPORT_TABLE},
	    {"csv", REPORT_CSV},
	    {"json", REPORT_JSON},
	};
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (text && strcmp(text, formats[i].name) == 0) {
			*out = formats[i].format;
			return true;
		}
	}
	return false;
}

/* ---- tables ----
 *
 * A table keeps each distinct cell text once (an events table repeats its
 * names, categories, dates and points on every row) with its length, its
 * width in display cells and whether it is shown as it is; a row is an
 * array of those. Widths are measured once per distinct text, so laying
 * out a month of events costs a copy of each line, not a decoding of it.
 */

/* One distinct cell text. */
struct table_text {
	const char *text; /* in the table's arena */
	size_t len;       /* bytes */
	size_t width;     /* display cells (text_width) */
	bool clean;       /* shown as it is: UTF-8, no hidden character */
	uint64_t hash;
};

/* A block of the arena the texts live in. */
struct table_chunk {
	struct table_chunk *next;
	size_t used, size;
	char bytes[];
};

struct report_table {
	size_t columns;
	bool *right;
	bool *numeric;
	size_t *header; /* columns indexes into texts */
	size_t rows;
	size_t capacity;
	size_t *cells;  /* rows x columns indexes into texts */
	size_t *widths; /* the widest cell of each column, header included */
	size_t *bytes;  /* the longest of each column, header included */
	struct table_text *texts;
	size_t text_count, text_capacity;
	size_t *slots;     /* open addressing: text index + 1, 0 empty */
	size_t slot_count; /* a power of two, at least twice text_count */
	struct table_chunk *arena;
};

/* FNV-1a over 8-byte words, then the tail's bytes; mixed at the end so
 * the low bits the slots use depend on every byte. */
static uint64_t text_hash(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037u ^ len;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 1099511628211u;
	}
	for (; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9u;
	return h ^ (h >> 32);
}

/* A copy of len bytes of s and a NUL in the arena, or NULL. */
static const char *arena_copy(struct report_table *t, const char *s, size_t len)
{
	struct table_chunk *c = t->arena;
	if (!c || c->size - c->used < len + 1) {
		size_t size = len + 1 > 65536 ? len + 1 : 65536;
		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->next = t->arena;
		c->used = 0;
		c->size = size;
		t->arena = c;
	}
	char *copy = c->bytes + c->used;
	memcpy(copy, s, len);
	copy[len] = '\0';
	c->used += len + 1;
	return copy;
}

static bool slots_grow(struct report_table *t)
{
	size_t count = t->slot_count ? t->slot_count * 2 : 256;
	size_t *slots = calloc(count, sizeof(*slots));
	if (!slots)
		return false;
	for (size_t i = 0; i < t->text_count; i++) {
		size_t s = (size_t)t->texts[i].hash & (count - 1);
		while (slots[s])
			s = (s + 1) & (count - 1);
		slots[s] = i + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->slot_count = count;
	return true;
}

/* True for text of printable ASCII only: as many cells as bytes. */
static bool plain_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7E)
			return false;
	return true;
}

/* The index of s among the table's texts, added if new; SIZE_MAX when out
 * of memory. */
static size_t text_intern(struct report_table *t, const char *s)
{
	if (!s)
		s = "";
	size_t len = strlen(s);
	uint64_t hash = text_hash(s, len);

	if (t->slot_count < 2 * (t->text_count + 1) && !slots_grow(t))
		return SIZE_MAX;
	size_t slot = (size_t)hash & (t->slot_count - 1);
	for (; t->slots[slot]; slot = (slot + 1) & (t->slot_count - 1)) {
		const struct table_text *x = &t->texts[t->slots[slot] - 1];
		if (x->hash == hash && x->len == len &&
		    memcmp(x->text, s, len) == 0)
			return t->slots[slot] - 1;
	}
	if (t->text_count == t->text_capacity) {
		size_t cap = t->text_capacity ? t->text_capacity * 2 : 64;
		struct table_text *grown =
		    realloc(t->texts, cap * sizeof(*grown));
		if (!grown)
			return SIZE_MAX;
		t->texts = grown;
		t->text_capacity = cap;
	}
	struct table_text *x = &t->texts[t->text_count];
	x->text = arena_copy(t, s, len);
	if (!x->text)
		return SIZE_MAX;
	x->len = len;
	x->hash = hash;
	if (plain_ascii(s, len)) {
		x->width = len;
		x->clean = true;
	} else {
		uint32_t cp;
		size_t position;
		x->width = text_width(s);
		x->clean = text_is_utf8(s, len) &&
		           !text_find_hidden(s, &cp, &position);
	}
	t->slots[slot] = ++t->text_count;
	return t->text_count - 1;
}

/* Interns a row of cells into out[columns], widening the columns. */
static bool table_intern_row(struct report_table *t, const char *const *cells,
                             size_t *out)
{
	for (size_t c = 0; c < t->columns; c++) {
		size_t i = text_intern(t, cells[c]);
		if (i == SIZE_MAX)
			return false;
		out[c] = i;
		if (t->texts[i].width > t->widths[c])
			t->widths[c] = t->texts[i].width;
		if (t->texts[i].len > t->bytes[c])
			t->bytes[c] = t->texts[i].len;
	}
	return true;
}

struct report_table *report_table_create(size_t columns,
                                         const char *const *headers)
{
	struct report_table *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->columns = columns;
	size_t n = columns ? columns : 1; /* a table of texts only: none */
	t->right = calloc(n, sizeof(*t->right));
	t->numeric = calloc(n, sizeof(*t->numeric));
	t->header = calloc(n, sizeof(*t->header));
	t->widths = calloc(n, sizeof(*t->widths));
	t->bytes = calloc(n, sizeof(*t->bytes));
	if (!t->right || !t->numeric || !t->header || !t->widths || !t->bytes ||
	    !table_intern_row(t, headers, t->header)) {
		report_table_destroy(t);
		return NULL;
	}
	return t;
}

void report_table_destroy(struct report_table *table)
{
	if (!table)
		return;
	while (table->arena) {
		struct table_chunk *next = table->arena->next;
		free(table->arena);
		table->arena = next;
	}
	free(table->cells);
	free(table->texts);
	free(table->slots);
	free(table->header);
	free(table->widths);
	free(table->bytes);
	free(table->right);
	free(table->numeric);
	free(table);
}

void report_table_align_right(struct report_table *table, size_t column)
{
	if (column < table->columns)
		table->right[column] = true;
}

void report_table_numeric(struct report_table *table, size_t column)
{
	if (column < table->columns)
		table->right[column] = table->numeric[column] = true;
}

enum kd_status report_table_add_row(struct report_table *table,
                                    const char *const *cells)
{
	if (table->rows == table->capacity) {
		size_t cap = table->capacity ? table->capacity * 2 : 16;
		if (table->columns &&
		    cap > SIZE_MAX / sizeof(size_t) / table->columns)
			return KD_ERR_NOMEM;
		size_t *grown = realloc(table->cells,
		                        cap * table->columns * sizeof(*grown));
		if (!grown)
			return KD_ERR_NOMEM;
		table->cells = grown;
		table->capacity = cap;
	}
	if (!table_intern_row(table, cells,
	                      table->cells + table->rows * table->columns))
		return KD_ERR_NOMEM;
	table->rows++;
	return KD_OK;
}

/* Appends a cell padded to `cells` display cells to line[*len], as
 * text_pad does (which it calls for a text not shown as it is): nothing
 * when it does not fit in line_size. */
static void pad_cell(char *line, size_t *len, size_t line_size,
                     const struct table_text *x, size_t cells, bool right)
{
	if (!x->clean) {
		*len += text_pad(line, line_size, x->text, cells, right);
		return;
	}
	if (*len >= line_size)
		return;
	size_t room = line_size - *len - 1;
	size_t pad = cells - x->width;
	if (x->len + pad > room)
		return;
	char *p = line + *len;
	if (right) {
		memset(p, ' ', pad);
		p += pad;
	}
	memcpy(p, x->text, x->len);
	p += x->len;
	if (!right) {
		memset(p, ' ', pad);
		p += pad;
	}
	*p = '\0';
	*len = (size_t)(p - line);
}

/* Writes one line of cells (texts[c] padded to widths[c]), trailing
 * spaces trimmed; line has line_size bytes. */
static enum kd_status write_text_line(size_t columns,
                                      const struct table_text *const *texts,
                                      const size_t *widths, const bool *right,
                                      char *line, size_t line_size, FILE *out)
{
	size_t len = 0;
	line[0] = '\0';
	for (size_t c = 0; c < columns; c++) {
		if (c > 0) {
			/* only text that grows when shown (hidden characters,
			 * invalid bytes) could fill the line before its end */
			if (len + 2 >= line_size)
				break;
			memcpy(line + len, "  ", 3);
			len += 2;
		}
		pad_cell(line, &len, line_size, texts[c], widths[c], right[c]);
	}
	while (len > 0 && line[len - 1] == ' ')
		len--;
	if (fwrite(line, 1, len, out) != len || putc('\n', out) == EOF)
		return KD_ERR_IO;
	return KD_OK;
}

/* The line buffer for columns this wide and long. */
static size_t text_line_size(size_t columns, const size_t *widths,
                             const size_t *bytes)
{
	size_t line_size = 1;
	for (size_t c = 0; c < columns; c++)
		/* bytes of the longest cell plus padding, generously */
		line_size += bytes[c] + widths[c] + 2;
	return line_size;
}

static enum kd_status write_text_row(const struct report_table *t,
                                     const size_t *row,
                                     const struct table_text **texts,
                                     char *line, size_t line_size, FILE *out)
{
	for (size_t c = 0; c < t->columns; c++)
		texts[c] = &t->texts[row[c]];
	return write_text_line(t->columns, texts, t->widths, t->right, line,
	                       line_size, out);
}

enum kd_status report_table_write_text(const struct report_table *t, FILE *out)
{
	size_t line_size = text_line_size(t->columns, t->widths, t->bytes);
	char *line = malloc(line_size);
	const struct table_text **texts =
	    calloc(t->columns ? t->columns : 1, sizeof(*texts));
	enum kd_status status = line && texts ? KD_OK : KD_ERR_NOMEM;
	if (status == KD_OK)
		status =
		    write_text_row(t, t->header, texts, line, line_size, out);
	for (size_t r = 0; status == KD_OK && r < t->rows; r++)
		status = write_text_row(t, t->cells + r * t->columns, texts,
		                        line, line_size, out);
	free(texts);
	free(line);
	return status;
}

/* A cell measured for a streamed table: printable ASCII at once, other
 * text through the table of texts `seen` (each distinct text measured
 * once). The text stays the caller's. */
static bool text_measure(struct report_table *seen, const char *s,
                         struct table_text *out)
{
	if (!s)
		s = "";
	size_t len = strlen(s);
	if (plain_ascii(s, len)) {
		*out = (struct table_text){
		    .text = s, .len = len, .width = len, .clean = true};
		return true;
	}
	size_t i = text_intern(seen, s);
	if (i == SIZE_MAX)
		return false;
	*out = seen->texts[i];
	out->text = s;
	return true;
}

/* Row r's cell texts (r == SIZE_MAX: the header) into texts[columns]. */
static void row_texts(const struct report_table *t, size_t r,
                      const char **texts)
{
	const size_t *row =
	    r == SIZE_MAX ? t->header : t->cells + r * t->columns;
	for (size_t c = 0; c < t->columns; c++)
		texts[c] = t->texts[row[c]].text;
}

enum kd_status report_table_write_csv(const struct report_table *t, FILE *out)
{
	enum csv_cell *kinds = calloc(t->columns, sizeof(*kinds));
	const char **texts =
	    calloc(t->columns ? t->columns : 1, sizeof(*texts));
	enum kd_status status = KD_OK;

	if (!kinds || !texts) {
		free(kinds);
		free(texts);
		return KD_ERR_NOMEM;
	}
	for (size_t c = 0; c < t->columns; c++)
		kinds[c] = t->numeric[c] ? CSV_NUMBER : CSV_TEXT;
	row_texts(t, SIZE_MAX, texts);
	if (!csv_write_row(out, texts, NULL, t->columns))
		status = KD_ERR_IO;
	for (size_t r = 0; status == KD_OK && r < t->rows; r++) {
		row_texts(t, r, texts);
		if (!csv_write_row(out, texts, kinds, t->columns))
			status = KD_ERR_IO;
	}
	free(kinds);
	free(texts);
	return status;
}

static enum kd_status table_write(const struct report_table *t,
                                  enum report_format format, FILE *out)
{
	return format == REPORT_CSV ? report_table_write_csv(t, out)
	                            : report_table_write_text(t, out);
}

/* ---- common cells ---- */

static const char *points_text(char *buf, size_t size, int64_t cp)
{
	return fixed_format(buf, size, cp, 2, 2);
}

static const char *money_text(char *buf, size_t size, int64_t fen)
{
	return fixed_format(buf, size, fen, 2, 2);
}

static const char *signed_money_text(char *buf, size_t size, int64_t fen)
{
	if (fen > 0 && size > 1) {
		buf[0] = '+';
		fixed_format(buf + 1, size - 1, fen, 2, 2);
	} else {
		fixed_format(buf, size, fen, 2, 2);
	}
	return buf;
}

static const char *tier_label(const struct rulebook *rb, int index,
                              const char *fallback)
{
	if (index >= 0 && (size_t)index < rb->tier_count)
		return rb->tiers[index].label;
	return fallback ? fallback : "";
}

static const char *tier_key_of(const struct rulebook *rb, int index)
{
	if (index >= 0 && (size_t)index < rb->tier_count)
		return rb->tiers[index].key;
	return NULL;
}

void report_flags_text(unsigned flags, char *buf, size_t size)
{
	buf[0] = '\0';
	size_t used = 0;
	for (int bit = 0; bit < SCORE_FLAG_COUNT; bit++) {
		if (!(flags & (1u << bit)))
			continue;
		int n = snprintf(buf + used, size - used, "%s%s",
		                 used ? "," : "", score_flag_name(bit));
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
}

/* The tier key an agent holds in `month`: the latest span since <= month,
 * else the first span. */
static const char *agent_tier_key(const struct store_agent *a, kd_month month,
                                  const char **since_text, char *since_buf,
                                  size_t since_size)
{
	const struct store_tier_span *span =
	    a->tier_count ? &a->tiers[0] : NULL;
	for (size_t i = 1; i < a->tier_count; i++)
		if (a->tiers[i].since <= month)
			span = &a->tiers[i];
	if (!span) {
		*since_text = NULL;
		return NULL;
	}
	*since_text = month_format(since_buf, since_size, span->since);
	return span->tier_key;
}

/* ---- agents ---- */

enum kd_status report_agents(FILE *out, enum report_format format,
                             const struct rulebook *rb,
                             const struct store_agent_list *agents,
                             kd_date today)
{
	kd_month month = date_month(today);
	if (format == REPORT_JSON) {
		fputs("{\"agents\": [", out);
		for (size_t i = 0; i < agents->count; i++) {
			const struct store_agent *a = &agents->agents[i];
			char since_buf[16], hired[16], left[16];
			const char *since = NULL;
			const char *tier = agent_tier_key(
			    a, month, &since, since_buf, sizeof(since_buf));
			fprintf(out, "%s\n {\"id\": ", i ? "," : "");
			json_write_int(out, a->id);
			fputs(", \"name\": ", out);
			json_write_string(out, a->name);
			fputs(", \"handle\": ", out);
			json_write_string(out, a->handle);
			fputs(", \"tier\": ", out);
			json_write_string(out, tier);
			fputs(", \"tier_since\": ", out);
			json_write_string(out, since);
			fputs(", \"role\": ", out);
			json_write_string(out, a->role);
			fputs(", \"hired\": ", out);
			json_write_string(
			    out, date_format(hired, sizeof(hired), a->hired));
			fputs(", \"left\": ", out);
			json_write_string(
			    out,
			    a->left == KD_DATE_NONE
			        ? NULL
			        : date_format(left, sizeof(left), a->left));
			fputc('}', out);
		}
		fputs("]}\n", out);
		return ferror(out) ? KD_ERR_IO : KD_OK;
	}

	static const char *const headers[] = {"id",   "name",  "handle", "tier",
	                                      "role", "hired", "left"};
	struct report_table *t = report_table_create(7, headers);
	if (!t)
		return KD_ERR_NOMEM;
	report_table_numeric(t, 0);
	enum kd_status status = KD_OK;
	for (size_t i = 0; status == KD_OK && i < agents->count; i++) {
		const struct store_agent *a = &agents->agents[i];
		char id[24], hired[16], left[16], since_buf[16];
		const char *since = NULL;
		const char *tier = agent_tier_key(a, month, &since, since_buf,
		                                  sizeof(since_buf));
		int tier_index = tier ? rulebook_tier_index(rb, tier) : -1;
		snprintf(id, sizeof(id), "%lld", (long long)a->id);
		const char *cells[] = {
		    id,
		    a->name,
		    a->handle ? a->handle : "",
		    format == REPORT_CSV ? (tier ? tier : "")
		                         : tier_label(rb, tier_index, tier),
		    a->role,
		    date_format(hired, sizeof(hired), a->hired),
		    a->left == KD_DATE_NONE
		        ? ""
		        : date_format(left, sizeof(left), a->left),
		};
		status = report_table_add_row(t, cells);
	}
	if (status == KD_OK)
		status = table_write(t, format, out);
	report_table_destroy(t);
	return status;
}

/* ---- events ---- */

static const char *category_label(const struct rulebook *rb, const char *key)
{
	const struct rb_category *cat = rulebook_category(rb, key);
	return cat ? cat->label : key;
}

/* The decimal text of v, as "%lld" writes it. */
static const char *int_text(char *buf, size_t size, long long v)
{
	char digits[24];
	size_t n = 0;
	unsigned long long mag =
	    v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;

	do {
		digits[n++] = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag);
	if (v < 0)
		digits[n++] = '-';
	if (n + 1 > size) {
		snprintf(buf, size, "%lld", v);
		return buf;
	}
	for (size_t i = 0; i < n; i++)
		buf[i] = digits[n - 1 - i];
	buf[n] = '\0';
	return buf;
}

/* Texts an events table repeats row after row, kept: the date of the last
 * row (rows come by date) and the points values seen (a month has few). */
struct event_texts {
	kd_date date;
	char date_text[16];
	struct {
		bool set;
		int64_t cp;
		char text[32];
	} points[64];
	/* the text table's measured names by agent id (one list has one
	 * name an agent) and category labels by key */
	struct {
		bool set;
		int64_t agent_id;
		struct table_text name;
	} names[64];
	struct {
		const char
		    *key; /* the event's own copy, while the list lives */
		const char *label;
		bool measured_set;
		struct table_text measured;
	} labels[64];
	size_t label_slot; /* the last row's */
};

/* The table's label of category key, through kept->labels. */
static const char *event_label(struct event_texts *k, const struct rulebook *rb,
                               const char *key)
{
	size_t slot = (size_t)(text_hash(key, strlen(key)) % 64);
	if (!k->labels[slot].key || strcmp(k->labels[slot].key, key) != 0) {
		k->labels[slot].key = key;
		k->labels[slot].label = category_label(rb, key);
		k->labels[slot].measured_set = false;
	}
	k->label_slot = slot;
	return k->labels[slot].label;
}

static const char *event_date_text(struct event_texts *k, kd_date date)
{
	if (k->date != date || !k->date_text[0]) {
		date_format(k->date_text, sizeof(k->date_text), date);
		k->date = date;
	}
	return k->date_text;
}

static const char *event_points_text(struct event_texts *k, int64_t cp)
{
	size_t slot = (size_t)((uint64_t)cp % 64);
	if (!k->points[slot].set || k->points[slot].cp != cp) {
		points_text(k->points[slot].text, sizeof(k->points[slot].text),
		            cp);
		k->points[slot].cp = cp;
		k->points[slot].set = true;
	}
	return k->points[slot].text;
}

#define EVENT_COLUMNS 9

/* The cells of event i's row (state holds its status). */
static void event_row(const struct rulebook *rb, bool csv,
                      const struct store_event *e, int64_t points_cp,
                      struct event_texts *kept, char *id, size_t id_size,
                      char *qty, size_t qty_size, char *state,
                      size_t state_size, const char **cells)
{
	int_text(id, id_size, (long long)e->id);
	int_text(qty, qty_size, (long long)e->quantity);
	if (e->voided)
		snprintf(state, state_size, "voided%s: %s",
		         e->appeal && strcmp(e->appeal, "voided") == 0
		             ? " on appeal"
		             : "",
		         e->void_reason ? e->void_reason : "");
	else if (e->appeal)
		snprintf(state, state_size, "appeal %s", e->appeal);
	else
		state[0] = '\0';
	cells[0] = id;
	cells[1] = event_date_text(kept, e->date);
	cells[2] = e->agent_name ? e->agent_name : "";
	cells[3] = !e->category ? ""
	           : csv        ? e->category
	                        : event_label(kept, rb, e->category);
	cells[4] = qty;
	cells[5] = event_points_text(kept, points_cp);
	cells[6] = e->note ? e->note : "";
	cells[7] = e->created_at ? e->created_at : "";
	cells[8] = state;
}

static enum kd_status events_csv(FILE *out, const struct rulebook *rb,
                                 const struct store_event_list *events,
                                 const int64_t *points_cp,
                                 struct event_texts *kept)
{
	static const char *const headers[] = {"id",       "date",    "agent",
	                                      "category", "qty",     "points",
	                                      "note",     "entered", "status"};
	static const enum csv_cell kinds[EVENT_COLUMNS] = {
	    CSV_NUMBER, CSV_TEXT, CSV_TEXT, CSV_TEXT, CSV_NUMBER,
	    CSV_NUMBER, CSV_TEXT, CSV_TEXT, CSV_TEXT};

	if (!csv_write_row(out, headers, NULL, EVENT_COLUMNS))
		return KD_ERR_IO;
	for (size_t i = 0; i < events->count; i++) {
		char id[24], qty[16], state[160];
		const char *cells[EVENT_COLUMNS];

		event_row(rb, true, &events->events[i], points_cp[i], kept, id,
		          sizeof(id), qty, sizeof(qty), state, sizeof(state),
		          cells);
		if (!csv_write_row(out, cells, kinds, EVENT_COLUMNS))
			return KD_ERR_IO;
	}
	return KD_OK;
}

static bool header_measure(struct report_table *seen, const char *const *cells,
                           struct table_text *cell)
{
	for (size_t c = 0; c < EVENT_COLUMNS; c++)
		if (!text_measure(seen, cells[c], &cell[c]))
			return false;
	return true;
}

/* Row cells[] of event e (event_row's, just made) measured into cell[]. */
static bool event_row_measure(struct event_texts *kept,
                              struct report_table *seen,
                              const struct store_event *e,
                              const char *const *cells, struct table_text *cell)
{
	/* id, date, qty and points are printable ASCII by making */
	static const size_t ascii[] = {0, 1, 4, 5};
	for (size_t k = 0; k < sizeof(ascii) / sizeof(ascii[0]); k++) {
		size_t c = ascii[k], len = strlen(cells[c]);
		cell[c] = (struct table_text){
		    .text = cells[c], .len = len, .width = len, .clean = true};
	}
	size_t slot = (size_t)((uint64_t)e->agent_id % 64);
	if (!kept->names[slot].set ||
	    kept->names[slot].agent_id != e->agent_id) {
		if (!text_measure(seen, cells[2], &kept->names[slot].name))
			return false;
		kept->names[slot].set = true;
		kept->names[slot].agent_id = e->agent_id;
	}
	cell[2] = kept->names[slot].name;
	cell[2].text = cells[2];

	if (!e->category) {
		if (!text_measure(seen, cells[3], &cell[3]))
			return false;
	} else {
		slot = kept->label_slot; /* event_row's look-up */
		if (!kept->labels[slot].measured_set &&
		    !text_measure(seen, cells[3], &kept->labels[slot].measured))
			return false;
		kept->labels[slot].measured_set = true;
		cell[3] = kept->labels[slot].measured;
		cell[3].text = cells[3];
	}
	for (size_t c = 6; c < EVENT_COLUMNS; c++)
		if (!text_measure(seen, cells[c], &cell[c]))
			return false;
	return true;
}

/* The text table of events in two passes over the list, without keeping
 * its cells: the first measures each column (text other than printable
 * ASCII once per distinct text), the second writes the lines. */
static enum kd_status events_text(FILE *out, const struct rulebook *rb,
                                  const struct store_event_list *events,
                                  const int64_t *points_cp,
                                  struct event_texts *kept,
                                  const char *const *headers, const bool *right)
{
	size_t widths[EVENT_COLUMNS] = {0}, bytes[EVENT_COLUMNS] = {0};
	struct table_text cell[EVENT_COLUMNS];
	const struct table_text *row[EVENT_COLUMNS];
	char id[24], qty[16], state[160];
	const char *cells[EVENT_COLUMNS];
	/* the distinct texts measured: their table's header is unused */
	struct report_table *seen = report_table_create(0, NULL);
	char *line = NULL;
	enum kd_status status = seen ? KD_OK : KD_ERR_NOMEM;

	for (size_t c = 0; c < EVENT_COLUMNS; c++)
		row[c] = &cell[c];
	for (size_t i = 0; status == KD_OK && i <= events->count; i++) {
		if (i == events->count)
			memcpy(cells, headers, sizeof(cells));
		else
			event_row(rb, false, &events->events[i], points_cp[i],
			          kept, id, sizeof(id), qty, sizeof(qty), state,
			          sizeof(state), cells);
		if (i == events->count
		        ? !header_measure(seen, cells, cell)
		        : !event_row_measure(kept, seen, &events->events[i],
		                             cells, cell))
			status = KD_ERR_NOMEM;
		for (size_t c = 0; status == KD_OK && c < EVENT_COLUMNS; c++) {
			if (cell[c].width > widths[c])
				widths[c] = cell[c].width;
			if (cell[c].len > bytes[c])
				bytes[c] = cell[c].len;
		}
	}
	size_t line_size = text_line_size(EVENT_COLUMNS, widths, bytes);
	if (status == KD_OK && (line = malloc(line_size)) == NULL)
		status = KD_ERR_NOMEM;
	for (size_t i = 0; status == KD_OK && i <= events->count; i++) {
		if (i == 0)
			memcpy(cells, headers, sizeof(cells));
		else
			event_row(rb, false, &events->events[i - 1],
			          points_cp[i - 1], kept, id, sizeof(id), qty,
			          sizeof(qty), state, sizeof(state), cells);
		if (i == 0
		        ? !header_measure(seen, cells, cell)
		        : !event_row_measure(kept, seen, &events->events[i - 1],
		                             cells, cell))
			status = KD_ERR_NOMEM;
		if (status == KD_OK)
			status = write_text_line(EVENT_COLUMNS, row, widths,
			                         right, line, line_size, out);
	}
	free(line);
	report_table_destroy(seen);
	return status;
}

enum kd_status report_events(FILE *out, enum report_format format,
                             const struct rulebook *rb,
                             const struct store_event_list *events,
                             const int64_t *points_cp)
{
	if (format == REPORT_JSON) {
		fputs("{\"events\": [", out);
		for (size_t i = 0; i < events->count; i++) {
			const struct store_event *e = &events->events[i];
			char date[16];

			fprintf(out, "%s\n {\"id\": ", i ? "," : "");
			json_write_int(out, e->id);
			fputs(", \"agent_id\": ", out);
			json_write_int(out, e->agent_id);
			fputs(", \"agent\": ", out);
			json_write_string(out, e->agent_name);
			fputs(", \"date\": ", out);
			json_write_string(
			    out, date_format(date, sizeof(date), e->date));
			fputs(", \"category\": ", out);
			json_write_string(out, e->category);
			fputs(", \"quantity\": ", out);
			json_write_int(out, e->quantity);
			fputs(", \"points\": ", out);
			json_write_fixed_trim(out, points_cp[i], 2, 2);
			fputs(", \"note\": ", out);
			json_write_string(out, e->note);
			fputs(", \"created_at\": ", out);
			json_write_string(out, e->created_at);
			fputs(", \"voided\": ", out);
			json_write_bool(out, e->voided);
			fputs(", \"void_reason\": ", out);
			json_write_string(out, e->void_reason);
			fputs(", \"appeal\": ", out);
			json_write_string(out, e->appeal);
			fputc('}', out);
		}
		fputs("]}\n", out);
		return ferror(out) ? KD_ERR_IO : KD_OK;
	}

	static const char *const headers[] = {"id",       "date",    "agent",
	                                      "category", "qty",     "points",
	                                      "note",     "entered", "status"};
	static const bool right[EVENT_COLUMNS] = {
	    true, false, false, false, true, true, false, false, false};
	struct event_texts *kept = calloc(1, sizeof(*kept));
	if (!kept)
		return KD_ERR_NOMEM;
	enum kd_status status =
	    format == REPORT_CSV
	        ? events_csv(out, rb, events, points_cp, kept)
	        : events_text(out, rb, events, points_cp, kept, headers, right);
	free(kept);
	return status;
}

/* ---- the board ---- */

/* ", \"key\": " */
static void json_key(FILE *out, const char *key)
{
	fprintf(out, ", \"%s\": ", key);
}

static void json_money(FILE *out, const char *key, int64_t fen)
{
	json_key(out, key);
	json_write_fixed(out, fen, 2, 2);
}

static void json_kpi(FILE *out, const struct rulebook *rb,
                     const struct score_agent_result *r)
{
	fputs("{\"score\": ", out);
	json_write_fixed_trim(out, r->kpi_score_cp, 2, 2);
	fputs(", \"metrics\": {", out);
	for (size_t k = 0; k < rb->kpi_count; k++) {
		const struct score_kpi_metric *m = &r->kpi_metrics[k];

		if (k)
			fputs(", ", out);
		json_write_string(out, rb->kpis[k].key);
		fputs(": {\"metric\": ", out);
		json_write_string(out, rb_metric_name(rb->kpis[k].metric));
		json_key(out, "value");
		if (m->present)
			json_write_fixed_trim(out, m->value_h, 2, 2);
		else
			fputs("null", out);
		json_key(out, "band");
		json_write_fixed_trim(out, m->band_h, 2, 2);
		json_key(out, "weight");
		json_write_int(out, rb->kpis[k].weight);
		json_key(out, "points");
		json_write_fixed_trim(out, m->points_cp, 2, 2);
		fputc('}', out);
	}
	fputs("}}", out);
}

static enum kd_status score_json(FILE *out, const struct rulebook *rb,
                                 const struct score_month_result *res,
                                 bool closed)
{
	char month[16];

	fputs("{\"month\": ", out);
	json_write_string(out, month_format(month, sizeof(month), res->month));
	json_key(out, "closed");
	json_write_bool(out, closed);
	fputs(",\n \"pool\": {\"silent_sales\": ", out);
	if (res->has_silent_sales)
		json_write_fixed(out, res->silent_sales_fen, 2, 2);
	else
		fputs("null", out);
	json_money(out, "pool", res->pool_fen);
	json_money(out, "undistributed", res->undistributed_fen);
	fputs("},\n \"agents\": [", out);
	for (size_t i = 0; i < res->agent_count; i++) {
		const struct score_agent_result *r = &res->agents[i];
		bool first = true;

		fprintf(out, "%s\n  {\"id\": ", i ? "," : "");
		json_write_int(out, r->agent->id);
		json_key(out, "name");
		json_write_string(out, r->agent->name);
		json_key(out, "tier");
		json_write_string(out, tier_key_of(rb, r->tier_index));
		json_key(out, "rank");
		json_write_int(out, r->rank);
		json_key(out, "score");
		json_write_fixed_trim(out, r->score_cp, 2, 2);
		json_key(out, "grade");
		json_write_string(out, r->grade);
		json_key(out, "base");
		json_write_fixed_trim(out, r->base_cp, 2, 2);
		json_key(out, "kpi");
		if (r->kpi_present)
			json_kpi(out, rb, r);
		else
			fputs("null", out);
		json_key(out, "combo");
		json_write_fixed_trim(out, r->combo_cp, 2, 2);
		json_key(out, "categories");
		fputc('{', out);
		for (size_t k = 0; k < rb->category_count; k++) {
			if (r->categories[k].total_cp == 0)
				continue;
			if (!first)
				fputs(", ", out);
			first = false;
			json_write_string(out, rb->categories[k].key);
			fputs(": ", out);
			json_write_fixed_trim(out, r->categories[k].total_cp, 2,
			                      2);
		}
		fputc('}', out);
		json_money(out, "pay_adjust", r->pay_adjust_fen);
		json_money(out, "pool_share", r->pool_share_fen);
		json_money(out, "award", r->award_fen);
		fputs(",\n   \"streak_award\": ", out);
		json_write_fixed(out, r->streak_award_fen, 2, 2);
		json_money(out, "attendance_award", r->attendance_award_fen);
		json_money(out, "fines", r->fines_fen);
		json_key(out, "flags");
		fputc('[', out);
		first = true;
		for (int bit = 0; bit < SCORE_FLAG_COUNT; bit++) {
			if (!(r->flags & (1u << bit)))
				continue;
			if (!first)
				fputs(", ", out);
			first = false;
			json_write_string(out, score_flag_name(bit));
		}
		fputs("]}", out);
	}
	fputs("]}\n", out);
	return ferror(out) ? KD_ERR_IO : KD_OK;
}

enum kd_status report_score(FILE *out, enum report_format format,
                            const struct rulebook *rb,
                            const struct score_month_result *res, bool closed)
{
	if (format == REPORT_JSON)
		return score_json(out, rb, res, closed);

	bool csv = format == REPORT_CSV;
	static const char *const headers[] = {
	    "rank",  "id",     "name",       "tier",  "score",
	    "grade", "base",   "combo",      "pay",   "pool_share",
	    "award", "streak", "attendance", "fines", "flags"};
	struct report_table *t = report_table_create(15, headers);
	if (!t)
		return KD_ERR_NOMEM;
	for (size_t c = 0; c < 15; c++)
		if (c != 2 && c != 3 && c != 5 && c != 14)
			report_table_numeric(t, c);
	enum kd_status status = KD_OK;
	for (size_t i = 0; status == KD_OK && i < res->agent_count; i++) {
		const struct score_agent_result *r = &res->agents[i];
		char rank[16], id[24], score[32], base[32], combo[32], pay[32],
		    share[32], award[32], streak[32], attend[32], fines[32],
		    flags[128];
		snprintf(rank, sizeof(rank), "%d", (int)r->rank);
		snprintf(id, sizeof(id), "%lld", (long long)r->agent->id);
		report_flags_text(r->flags, flags, sizeof(flags));
		const char *cells[] = {
		    rank,
		    id,
		    r->agent->name,
		    csv ? (tier_key_of(rb, r->tier_index)
		               ? tier_key_of(rb, r->tier_index)
		               : "")
		        : tier_label(rb, r->tier_index, "?"),
		    points_text(score, sizeof(score), r->score_cp),
		    r->grade,
		    points_text(base, sizeof(base), r->base_cp),
		    points_text(combo, sizeof(combo), r->combo_cp),
		    csv ? money_text(pay, sizeof(pay), r->pay_adjust_fen)
		        : signed_money_text(pay, sizeof(pay),
		                            r->pay_adjust_fen),
		    money_text(share, sizeof(share), r->pool_share_fen),
		    money_text(award, sizeof(award), r->award_fen),
		    money_text(streak, sizeof(streak), r->streak_award_fen),
		    money_text(attend, sizeof(attend), r->attendance_award_fen),
		    money_text(fines, sizeof(fines), r->fines_fen),
		    flags,
		};
		status = report_table_add_row(t, cells);
	}
	if (status == KD_OK && !csv) {
		char month[16], sales[32], pool[32], undist[32];
		fprintf(
		    out,
		    "%s  %s  %s  pool %s (silent-order sales %s), "
		    "undistributed %s\n",
		    rb->team_name ? rb->team_name : "",
		    month_format(month, sizeof(month), res->month),
		    closed ? "closed" : "open",
		    money_text(pool, sizeof(pool), res->pool_fen),
		    res->has_silent_sales ? money_text(sales, sizeof(sales),
		                                       res->silent_sales_fen)
		                          : "not entered",
		    money_text(undist, sizeof(undist), res->undistributed_fen));
	}
	if (status == KD_OK)
		status = table_write(t, format, out);
	report_table_destroy(t);
	return status;
}
