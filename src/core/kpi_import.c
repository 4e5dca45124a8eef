/* KPI metrics from a back-end CSV export (see kpidesk/kpi_import.h). */
#include "kpidesk/kpi_import.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpidesk/text.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------------ */
/* Messages */

struct msg_list {
	size_t count;
	size_t capacity;
	struct kpi_message *items;
	bool nomem;
};

static void msg_vadd(struct msg_list *list, int32_t line, const char *fmt,
                     va_list ap) __attribute__((format(printf, 3, 0)));

static void msg_vadd(struct msg_list *list, int32_t line, const char *fmt,
                     va_list ap)
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

static void msg_add(struct msg_list *list, int32_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void msg_add(struct msg_list *list, int32_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vadd(list, line, fmt, ap);
	va_end(ap);
}

static void msg_list_free(struct kpi_message *items, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(items[i].text);
	free(items);
}

/* Appends `from` to `to` and empties `from`. */
static void msg_list_move(struct msg_list *to, struct msg_list *from)
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
static const char *excerpt(char *buf, size_t size, const char *cell)
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

/* ------------------------------------------------------------------------ */
/* Encodings */

const char *kpi_encoding_name(enum kpi_encoding encoding)
{
	switch (encoding) {
	case KPI_ENC_UTF8:
		return "UTF-8";
	case KPI_ENC_UTF8_BOM:
		return "UTF-8 with BOM";
	case KPI_ENC_GB18030:
		return "GB18030";
	}
	return "?";
}

static int32_t line_at(const char *bytes, size_t offset)
{
	int32_t line = 1;

	for (size_t i = 0; i < offset; i++)
		if (bytes[i] == '\n')
			line++;
	return line;
}

static size_t first_invalid_utf8(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t used = text_decode(s + i, len - i, &cp);

		if (cp == 0xFFFD && used == 1)
			return i;
		i += used;
	}
	return len;
}

static void why_set(struct kpi_message *why, int32_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void why_set(struct kpi_message *why, int32_t line, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	why->line = line;
	why->text = strdup(buf);
}

#define SAVE_AS                                                                 \
	"save the sheet as \"CSV UTF-8\" or \"CSV (逗号分隔)\" and import " \
	"that"

static enum kd_status copy_text(const char *from, size_t len, char **text,
                                size_t *text_len)
{
	char *copy = malloc(len + 1);

	if (copy == NULL)
		return KD_ERR_NOMEM;
	memcpy(copy, from, len);
	copy[len] = '\0';
	*text = copy;
	*text_len = len;
	return KD_OK;
}

static enum kd_status from_gb18030(const char *bytes, size_t len, char **text,
                                   size_t *text_len, struct kpi_message *why)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	char *input = NULL;
	char *output = NULL;
	char *in;
	char *out;
	size_t in_left = len;
	size_t out_left;
	size_t capacity = len * 2 + 16;
	enum kd_status status = KD_ERR_NOMEM;

	if (cd == (iconv_t)-1) {
		why_set(why, 0,
		        "not UTF-8 text, and this system cannot convert from "
		        "GB18030 (iconv: %s); %s",
		        strerror(errno), SAVE_AS);
		return why->text ? KD_ERR_INPUT : KD_ERR_NOMEM;
	}
	/* iconv(3) takes char **: work on a copy, not the caller's bytes. */
	input = malloc(len + 1);
	output = malloc(capacity);
	if (input == NULL || output == NULL)
		goto done;
	memcpy(input, bytes, len);
	in = input;
	out = output;
	out_left = capacity - 1;
	while (in_left > 0) {
		if (iconv(cd, &in, &in_left, &out, &out_left) != (size_t)-1)
			continue;
		if (errno == E2BIG) {
			size_t used = (size_t)(out - output);
			char *grown = realloc(output, capacity * 2);

			if (grown == NULL)
				goto done;
			output = grown;
			capacity *= 2;
			out = output + used;
			out_left = capacity - 1 - used;
			continue;
		}
		{
			size_t offset = (size_t)(in - input);

			if (errno == EINVAL)
				why_set(why, line_at(bytes, offset),
				        "not UTF-8 text, and read as GB18030 "
				        "it ends inside a character; %s",
				        SAVE_AS);
			else
				why_set(why, line_at(bytes, offset),
				        "not UTF-8 text, and not GB18030 "
				        "either: read as GB18030, byte 0x%02X "
				        "is not part of any character; %s",
				        (unsigned)(unsigned char)bytes[offset],
				        SAVE_AS);
		}
		status = why->text ? KD_ERR_INPUT : KD_ERR_NOMEM;
		goto done;
	}
	*out = '\0';
	*text_len = (size_t)(out - output);
	*text = output;
	output = NULL;
	status = KD_OK;
done:
	iconv_close(cd);
	free(input);
	free(output);
	return status;
}

enum kd_status kpi_text_decode(const char *bytes, size_t len, char **text,
                               size_t *text_len, enum kpi_encoding *encoding,
                               struct kpi_message *why)
{
	static const char bom[] = "\xef\xbb\xbf";
	const unsigned char *u = (const unsigned char *)bytes;
	const char *nul;
	enum kd_status status;

	*text = NULL;
	*text_len = 0;
	*encoding = KPI_ENC_UTF8;
	why->line = 0;
	why->text = NULL;

	if (len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) ||
	                 (u[0] == 0xfe && u[1] == 0xff))) {
		why_set(why, 0, "UTF-16 text (\"Unicode text\"), not CSV: %s",
		        SAVE_AS);
		return why->text ? KD_ERR_INPUT : KD_ERR_NOMEM;
	}
	if (len >= 4 && (memcmp(bytes, "PK\x03\x04", 4) == 0 ||
	                 memcmp(bytes, "\xd0\xcf\x11\xe0", 4) == 0)) {
		why_set(why, 0,
		        "an Excel workbook (.xlsx or .xls), not CSV: %s",
		        SAVE_AS);
		return why->text ? KD_ERR_INPUT : KD_ERR_NOMEM;
	}
	nul = memchr(bytes, '\0', len);
	if (nul != NULL) {
		why_set(why, line_at(bytes, (size_t)(nul - bytes)),
		        "a NUL byte: binary data, not CSV text; %s", SAVE_AS);
		return why->text ? KD_ERR_INPUT : KD_ERR_NOMEM;
	}
	if (len >= 3 && memcmp(bytes, bom, 3) == 0) {
		size_t bad = first_invalid_utf8(bytes + 3, len - 3);

		*encoding = KPI_ENC_UTF8_BOM;
		if (bad < len - 3) {
			why_set(why, line_at(bytes, bad + 3),
			        "the file starts with a UTF-8 byte-order mark "
			        "but is not valid UTF-8 here (byte 0x%02X); %s",
			        (unsigned)u[bad + 3], SAVE_AS);
			return why->text ? KD_ERR_INPUT : KD_ERR_NOMEM;
		}
		return copy_text(bytes + 3, len - 3, text, text_len);
	}
	if (text_is_utf8(bytes, len))
		return copy_text(bytes, len, text, text_len);

	*encoding = KPI_ENC_GB18030;
	status = from_gb18030(bytes, len, text, text_len, why);
	/* GB18030's own byte-order mark (84 31 95 33) becomes U+FEFF. */
	if (status == KD_OK && *text_len >= 3 && memcmp(*text, bom, 3) == 0) {
		memmove(*text, *text + 3, *text_len - 3 + 1);
		*text_len -= 3;
	}
	return status;
}

/* ------------------------------------------------------------------------ */
/* CSV */

struct strbuf {
	char *s;
	size_t len;
	size_t capacity;
};

static bool strbuf_add(struct strbuf *b, char c)
{
	if (b->len + 1 >= b->capacity) {
		size_t capacity = b->capacity ? b->capacity * 2 : 64;
		char *s = realloc(b->s, capacity);

		if (s == NULL)
			return false;
		b->s = s;
		b->capacity = capacity;
	}
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
	return true;
}

static void record_free(struct kpi_csv_record *rec)
{
	for (size_t i = 0; i < rec->field_count; i++)
		free(rec->fields[i]);
	free(rec->fields);
	memset(rec, 0, sizeof(*rec));
}

static bool record_add_field(struct kpi_csv_record *rec, size_t *capacity,
                             const struct strbuf *field)
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
	copy = malloc(field->len + 1);
	if (copy == NULL)
		return false;
	if (field->len > 0)
		memcpy(copy, field->s, field->len);
	copy[field->len] = '\0';
	rec->fields[rec->field_count++] = copy;
	return true;
}

static bool record_is_blank(const struct kpi_csv_record *rec)
{
	for (size_t i = 0; i < rec->field_count; i++)
		if (!text_is_blank(rec->fields[i]))
			return false;
	return true;
}

/* Commas separate fields, unless the first line holds tabs and no comma. */
static char detect_delimiter(const char *text, size_t len)
{
	bool tab = false;

	for (size_t i = 0; i < len && text[i] != '\n' && text[i] != '\r'; i++) {
		if (text[i] == ',')
			return ',';
		if (text[i] == '\t')
			tab = true;
	}
	return tab ? '\t' : ',';
}

/* Moves past one line end (CRLF, LF or CR) at *pos. */
static void skip_line_end(const char *text, size_t len, size_t *pos)
{
	if (text[*pos] == '\r' && *pos + 1 < len && text[*pos + 1] == '\n')
		*pos += 2;
	else
		*pos += 1;
}

void kpi_csv_finish(struct kpi_csv *csv)
{
	if (csv == NULL)
		return;
	for (size_t i = 0; i < csv->record_count; i++)
		record_free(&csv->records[i]);
	free(csv->records);
	msg_list_free(csv->problems, csv->problem_count);
	memset(csv, 0, sizeof(*csv));
}

enum kd_status kpi_csv_parse(const char *text, size_t len, struct kpi_csv *out)
{
	struct msg_list problems = {0};
	struct strbuf field = {0};
	struct kpi_csv_record rec = {0};
	size_t rec_capacity = 0;
	size_t records_capacity = 0;
	char delim = detect_delimiter(text, len);
	size_t pos = 0;
	int32_t line = 1;
	bool ok = true;

	memset(out, 0, sizeof(*out));
	if (!strbuf_add(&field, 'x'))
		return KD_ERR_NOMEM;
	while (ok && pos < len) {
		bool end_of_record = false;

		rec.line = line;
		while (ok && !end_of_record) {
			size_t look = pos;

			field.len = 0;
			field.s[0] = '\0';
			while (look < len && text[look] == ' ')
				look++;
			if (look < len && text[look] == '"') {
				int32_t quote_line = line;
				bool closed = false;

				pos = look + 1;
				while (ok && pos < len) {
					char c = text[pos];

					if (c == '"' && pos + 1 < len &&
					    text[pos + 1] == '"') {
						ok = strbuf_add(&field, '"');
						pos += 2;
					} else if (c == '"') {
						pos++;
						closed = true;
						break;
					} else if (c == '\r' || c == '\n') {
						skip_line_end(text, len, &pos);
						line++;
						ok = strbuf_add(&field, '\n');
					} else {
						ok = strbuf_add(&field, c);
						pos++;
					}
				}
				if (ok && !closed)
					msg_add(
					    &problems, quote_line,
					    "a quoted field opens here and "
					    "is never closed (the file ends "
					    "inside it)");
				while (closed && pos < len && text[pos] == ' ')
					pos++;
				if (closed && pos < len && text[pos] != delim &&
				    text[pos] != '\r' && text[pos] != '\n') {
					msg_add(&problems, line,
					        "text after the closing quote "
					        "of a field (a quote inside a "
					        "quoted field is written "
					        "twice: \"\")");
					while (ok && pos < len &&
					       text[pos] != delim &&
					       text[pos] != '\r' &&
					       text[pos] != '\n')
						ok = strbuf_add(&field,
						                text[pos++]);
				}
			} else {
				while (ok && pos < len && text[pos] != delim &&
				       text[pos] != '\r' && text[pos] != '\n')
					ok = strbuf_add(&field, text[pos++]);
			}
			if (ok)
				ok = record_add_field(&rec, &rec_capacity,
				                      &field);
			if (pos < len && text[pos] == delim) {
				pos++;
				continue;
			}
			if (pos < len) {
				skip_line_end(text, len, &pos);
				line++;
			}
			end_of_record = true;
		}
		if (!ok)
			break;
		if (record_is_blank(&rec)) {
			record_free(&rec);
		} else {
			if (out->record_count == records_capacity) {
				size_t grown = records_capacity
				                   ? records_capacity * 2
				                   : 32;
				struct kpi_csv_record *records = realloc(
				    out->records, grown * sizeof(*records));

				if (records == NULL) {
					ok = false;
					break;
				}
				out->records = records;
				records_capacity = grown;
			}
			out->records[out->record_count++] = rec;
			memset(&rec, 0, sizeof(rec));
		}
		rec_capacity = 0;
	}
	record_free(&rec);
	free(field.s);
	out->problems = problems.items;
	out->problem_count = problems.count;
	if (!ok || problems.nomem)
		return KD_ERR_NOMEM;
	return problems.count > 0 ? KD_ERR_INPUT : KD_OK;
}

/* ------------------------------------------------------------------------ */
/* Columns */

struct column_def {
	const char *what;         /* English, for messages */
	enum kpi_value_kind kind; /* unused for the agent column */
	const char *headers;      /* the documented list */
	const char *names[8];     /* the same, one by one */
};

static const struct column_def columns[KPI_COL_COUNT] = {
    [KPI_COL_AGENT] = {"agent",
                       KPI_VALUE_COUNT,
                       "客服昵称, 客服, 旺旺, 昵称, agent, name, handle",
                       {"客服昵称", "客服", "旺旺", "昵称", "agent", "name",
                        "handle"}},
    [KPI_COL_SALES] = {"sales amount",
                       KPI_VALUE_MONEY,
                       "销售额, 付款金额, sales, sales_amount",
                       {"销售额", "付款金额", "sales", "sales_amount"}},
    [KPI_COL_TARGET] = {"sales target",
                        KPI_VALUE_MONEY,
                        "销售目标, 目标, target, sales_target",
                        {"销售目标", "目标", "target", "sales_target"}},
    [KPI_COL_INQUIRIES] = {"inquiries",
                           KPI_VALUE_COUNT,
                           "询单人数, inquiries",
                           {"询单人数", "inquiries"}},
    [KPI_COL_BUYERS] = {"buyers",
                        KPI_VALUE_COUNT,
                        "最终付款人数, 付款人数, buyers",
                        {"最终付款人数", "付款人数", "buyers"}},
    [KPI_COL_CONVERSION] = {"conversion",
                            KPI_VALUE_PERCENT,
                            "询单->最终付款转化率, 转化率, conversion, "
                            "conversion_rate",
                            {"询单->最终付款转化率", "询单→最终付款转化率",
                             "转化率", "conversion", "conversion_rate"}},
    [KPI_COL_RESPONSE] = {"average response time",
                          KPI_VALUE_SECONDS,
                          "平均响应时间(秒), 平均响应时间, response_s, "
                          "avg_response, response",
                          {"平均响应时间", "response_s", "avg_response",
                           "avg_response_s", "response"}},
    [KPI_COL_AOV] = {"order value",
                     KPI_VALUE_MONEY,
                     "客单价, aov, order_value, avg_order_value",
                     {"客单价", "aov", "order_value", "avg_order_value"}},
    [KPI_COL_REPLY_RATE] = {"reply rate",
                            KPI_VALUE_PERCENT,
                            "回复率, reply_rate",
                            {"回复率", "reply_rate"}},
};

/* Units a header may carry in brackets, by kind of value. */
static const char *const money_units[] = {"元",  "¥",   "￥", "yuan",
                                          "cny", "rmb", NULL};
static const char *const count_units[] = {"人", NULL};
static const char *const percent_units[] = {"%", "％", NULL};
static const char *const seconds_units[] = {"秒",   "s",       "sec",
                                            "secs", "seconds", NULL};

static const char *const *units_of(enum kpi_value_kind kind)
{
	switch (kind) {
	case KPI_VALUE_MONEY:
		return money_units;
	case KPI_VALUE_COUNT:
		return count_units;
	case KPI_VALUE_PERCENT:
		return percent_units;
	case KPI_VALUE_SECONDS:
		return seconds_units;
	}
	return NULL;
}

const char *kpi_column_name(enum kpi_column column)
{
	if ((unsigned)column >= KPI_COL_COUNT)
		return NULL;
	return columns[column].what;
}

const char *kpi_column_headers(enum kpi_column column)
{
	if ((unsigned)column >= KPI_COL_COUNT)
		return NULL;
	return columns[column].headers;
}

/* The length of a white-space character at s (ASCII space or tab, U+3000
 * ideographic space, U+00A0 no-break space, U+FEFF), else 0. s is
 * NUL-terminated: strncmp, unlike memcmp, never reads past its end. */
static size_t space_at(const char *s)
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
static size_t trim_span(const char *s, const char **start)
{
	size_t len;
	size_t n;

	while ((n = space_at(s)) > 0)
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

/* A header as compared: trimmed, ASCII lower-case, runs of ' ', '-', '_'
 * and line breaks as one '_', full-width brackets as ASCII. False if it
 * does not fit. */
static bool header_normalize(const char *header, char *buf, size_t size)
{
	const char *s;
	size_t len = trim_span(header, &s);
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (n + 2 >= size)
			return false;
		if (c == '\n' || c == '\r' || c == '\t')
			c = ' '; /* a header wrapped in its cell (Alt+Enter) */
		if (c == ' ' || c == '-' || c == '_') {
			/* "询单->" keeps its arrow: '-' before '>' stays. */
			if (c == '-' && i + 1 < len && s[i + 1] == '>') {
				buf[n++] = '-';
				continue;
			}
			if (n == 0 || buf[n - 1] != '_')
				buf[n++] = '_';
			continue;
		}
		if (i + 3 <= len && memcmp(s + i, "（", 3) == 0) {
			buf[n++] = '(';
			i += 2;
			continue;
		}
		if (i + 3 <= len && memcmp(s + i, "）", 3) == 0) {
			buf[n++] = ')';
			i += 2;
			continue;
		}
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		buf[n++] = c;
	}
	/* no '_' next to a bracket or at the ends */
	buf[n] = '\0';
	{
		size_t w = 0;

		for (size_t r = 0; r < n; r++) {
			bool edge = r == 0 || r + 1 == n;
			bool by_bracket =
			    (r + 1 < n &&
			     (buf[r + 1] == '(' || buf[r + 1] == ')')) ||
			    (w > 0 && (buf[w - 1] == '(' || buf[w - 1] == ')'));

			if (buf[r] == '_' && (edge || by_bracket))
				continue;
			buf[w++] = buf[r];
		}
		buf[w] = '\0';
	}
	return true;
}

int kpi_column_of_header(const char *header)
{
	char norm[160];
	char name[160];
	const char *unit = NULL;
	char *open;
	size_t len;

	if (!header_normalize(header, norm, sizeof(norm)) || norm[0] == '\0')
		return -1;
	len = strlen(norm);
	open = strrchr(norm, '(');
	if (norm[len - 1] == ')' && open != NULL && open != norm) {
		norm[len - 1] = '\0';
		*open = '\0';
		unit = open + 1;
	}
	for (int c = 0; c < KPI_COL_COUNT; c++) {
		const struct column_def *def = &columns[c];

		for (size_t k = 0; k < COUNT_OF(def->names) && def->names[k];
		     k++) {
			const char *const *units;
			bool unit_ok = unit == NULL;

			if (!header_normalize(def->names[k], name,
			                      sizeof(name)) ||
			    strcmp(name, norm) != 0)
				continue;
			units = c == KPI_COL_AGENT ? NULL : units_of(def->kind);
			for (size_t u = 0; !unit_ok && units && units[u]; u++)
				unit_ok = strcmp(units[u], unit) == 0;
			return unit_ok ? c : -1;
		}
	}
	return -1;
}

/* ------------------------------------------------------------------------ */
/* Values */

static bool starts_with(const char *s, const char *end, const char *prefix)
{
	size_t n = strlen(prefix);

	return (size_t)(end - s) >= n && memcmp(s, prefix, n) == 0;
}

static const char *skip_spaces(const char *s, const char *end)
{
	size_t n;

	while (s < end && (n = space_at(s)) > 0)
		s += n;
	return s;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

enum kpi_value_status kpi_value_parse(const char *cell,
                                      enum kpi_value_kind kind, int64_t *value,
                                      bool *percent_sign)
{
	static const char *const empties[] = {"-", "--", "—", "——"};
	const char *s;
	const char *end;
	size_t trimmed;
	char int_digits[32];
	char frac_digits[32];
	size_t int_len = 0;
	size_t frac_len = 0;
	bool negative = false;
	bool signed_ = false;
	bool currency = false;
	bool percent = false;
	int scale;
	int64_t v = 0;

	if (percent_sign != NULL)
		*percent_sign = false;
	trimmed = trim_span(cell, &s);
	end = s + trimmed;
	if (s == end)
		return KPI_VALUE_EMPTY;
	for (size_t i = 0; i < COUNT_OF(empties); i++)
		if ((size_t)(end - s) == strlen(empties[i]) &&
		    starts_with(s, end, empties[i]))
			return KPI_VALUE_EMPTY;

	/* A sign and (for money) a currency sign, in either order. */
	for (;;) {
		s = skip_spaces(s, end);
		if (!signed_ && s < end && (*s == '-' || *s == '+')) {
			negative = *s == '-';
			signed_ = true;
			s++;
		} else if (!currency && kind == KPI_VALUE_MONEY &&
		           starts_with(s, end, "¥")) {
			currency = true;
			s += strlen("¥");
		} else if (!currency && kind == KPI_VALUE_MONEY &&
		           starts_with(s, end, "￥")) {
			currency = true;
			s += strlen("￥");
		} else {
			break;
		}
	}

	/* Digits, with commas between groups of three, and decimals. */
	{
		size_t group = 0;  /* digits in the current group */
		size_t commas = 0; /* groups closed by a comma */
		bool any_int = false;
		bool any_frac = false;

		while (s < end && (is_digit(*s) || *s == ',')) {
			if (*s == ',') {
				if (group == 0 || (commas > 0 && group != 3) ||
				    (commas == 0 && group > 3))
					return KPI_VALUE_BAD_GROUPS;
				commas++;
				group = 0;
				s++;
				continue;
			}
			any_int = true;
			if (int_len > 0 || *s != '0') {
				if (int_len >= 13)
					return KPI_VALUE_TOO_LARGE;
				int_digits[int_len++] = *s;
			}
			group++;
			s++;
		}
		if (commas > 0 && group != 3)
			return KPI_VALUE_BAD_GROUPS;
		if (s < end && *s == '.') {
			s++;
			while (s < end && is_digit(*s)) {
				any_frac = true;
				if (frac_len < sizeof(frac_digits))
					frac_digits[frac_len++] = *s;
				else if (*s != '0')
					return kind == KPI_VALUE_COUNT
					           ? KPI_VALUE_NOT_WHOLE
					           : KPI_VALUE_PRECISION;
				s++;
			}
		}
		if (!any_int && !any_frac)
			return KPI_VALUE_NOT_NUMBER;
	}

	/* A unit after the number. */
	s = skip_spaces(s, end);
	if (kind == KPI_VALUE_PERCENT &&
	    (starts_with(s, end, "%") || starts_with(s, end, "％"))) {
		percent = true;
		s += *s == '%' ? 1 : strlen("％");
	} else if (kind == KPI_VALUE_MONEY && starts_with(s, end, "元")) {
		s += strlen("元");
	} else if (kind == KPI_VALUE_SECONDS && starts_with(s, end, "秒")) {
		s += strlen("秒");
	} else if (kind == KPI_VALUE_SECONDS && s < end && *s == 's') {
		s++;
	}
	s = skip_spaces(s, end);
	if (s != end)
		return KPI_VALUE_NOT_NUMBER;

	scale = kind == KPI_VALUE_MONEY ? 2 : kind == KPI_VALUE_COUNT ? 0 : 4;
	while (frac_len > (size_t)scale && frac_digits[frac_len - 1] == '0')
		frac_len--;
	if (frac_len > (size_t)scale)
		return kind == KPI_VALUE_COUNT ? KPI_VALUE_NOT_WHOLE
		                               : KPI_VALUE_PRECISION;
	if (int_len > 12)
		return KPI_VALUE_TOO_LARGE;
	for (size_t i = 0; i < int_len; i++)
		v = v * 10 + (int_digits[i] - '0');
	for (int i = 0; i < scale; i++)
		v = v * 10 + ((size_t)i < frac_len ? frac_digits[i] - '0' : 0);
	if (negative && v != 0)
		return KPI_VALUE_NEGATIVE;
	*value = v;
	if (percent_sign != NULL)
		*percent_sign = percent;
	return KPI_VALUE_OK;
}

/* ------------------------------------------------------------------------ */
/* The import */

static const char *const summary_words[] = {
    "合计", "总计", "汇总", "平均", "平均值", "均值", "total", "sum", "average",
};

static bool is_summary_row(const char *agent)
{
	char norm[64];

	if (!header_normalize(agent, norm, sizeof(norm)))
		return false;
	for (size_t i = 0; i < COUNT_OF(summary_words); i++)
		if (strcmp(norm, summary_words[i]) == 0)
			return true;
	return false;
}

struct import_ctx {
	const struct rulebook *rb;
	kd_month month;
	const struct score_agent *agents;
	size_t agent_count;
	int32_t *agent_line; /* agent_count: the line of its row, 0 if none */
	const struct kpi_csv_record *header;
	int field_of[KPI_COL_COUNT];          /* header field, -1 if absent */
	const char *needed_by[KPI_COL_COUNT]; /* a [kpi.KEY] needing it */
	const char *conversion_needed_by;
	bool any_metric_column;
	struct msg_list header_problems;
	struct msg_list row_problems;
	struct msg_list notes;
	/* rates written as fractions? */
	bool rate_seen[KPI_COL_COUNT];
	bool rate_percent[KPI_COL_COUNT];
	int64_t rate_max[KPI_COL_COUNT];
};

/* The header cell as written, trimmed, for messages. */
static const char *column_label(const struct import_ctx *ctx, int column,
                                char *buf, size_t size)
{
	const char *s;
	size_t len;

	if (ctx->field_of[column] < 0)
		return columns[column].what;
	len = trim_span(ctx->header->fields[ctx->field_of[column]], &s);
	if (len >= size)
		len = size - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return excerpt(buf, size, buf);
}

static const char *cell_of(const struct import_ctx *ctx,
                           const struct kpi_csv_record *rec, int column)
{
	int field = ctx->field_of[column];

	if (field < 0 || (size_t)field >= rec->field_count)
		return "";
	return rec->fields[field];
}

static void find_columns(struct import_ctx *ctx)
{
	const struct kpi_csv_record *h = ctx->header;

	for (int c = 0; c < KPI_COL_COUNT; c++)
		ctx->field_of[c] = -1;
	for (size_t f = 0; f < h->field_count; f++) {
		int c = kpi_column_of_header(h->fields[f]);
		char a[256], b[256];

		if (c < 0)
			continue;
		if (ctx->field_of[c] >= 0) {
			msg_add(&ctx->header_problems, h->line,
			        "%s: a second %s column (%s, field %d, is one "
			        "already); delete one of them",
			        excerpt(a, sizeof(a), h->fields[f]),
			        columns[c].what,
			        column_label(ctx, c, b, sizeof(b)),
			        ctx->field_of[c] + 1);
			continue;
		}
		ctx->field_of[c] = (int)f;
		ctx->any_metric_column =
		    ctx->any_metric_column || c != KPI_COL_AGENT;
	}
}

/* Which columns the rulebook's [kpi.*] sections need. */
static void find_needs(struct import_ctx *ctx)
{
	const struct rulebook *rb = ctx->rb;

	for (size_t i = 0; rb->mode == RB_MODE_KPI && i < rb->kpi_count; i++) {
		const char *key = rb->kpis[i].key;

		switch (rb->kpis[i].metric) {
		case RB_METRIC_SALES_PCT:
			if (!ctx->needed_by[KPI_COL_SALES])
				ctx->needed_by[KPI_COL_SALES] = key;
			if (!ctx->needed_by[KPI_COL_TARGET])
				ctx->needed_by[KPI_COL_TARGET] = key;
			break;
		case RB_METRIC_CONVERSION:
			if (!ctx->conversion_needed_by)
				ctx->conversion_needed_by = key;
			break;
		case RB_METRIC_RESPONSE_S:
			if (!ctx->needed_by[KPI_COL_RESPONSE])
				ctx->needed_by[KPI_COL_RESPONSE] = key;
			break;
		case RB_METRIC_AOV_PCT:
			if (!ctx->needed_by[KPI_COL_AOV])
				ctx->needed_by[KPI_COL_AOV] = key;
			break;
		case RB_METRIC_REPLY_RATE:
			if (!ctx->needed_by[KPI_COL_REPLY_RATE])
				ctx->needed_by[KPI_COL_REPLY_RATE] = key;
			break;
		case RB_METRIC_COUNT:
			break;
		}
	}
}

static const char *metric_of_key(const struct rulebook *rb, const char *key)
{
	for (size_t i = 0; i < rb->kpi_count; i++)
		if (strcmp(rb->kpis[i].key, key) == 0)
			return rb_metric_name(rb->kpis[i].metric);
	return "?";
}

/* The header's missing columns. */
static void check_header(struct import_ctx *ctx)
{
	int32_t line = ctx->header->line;
	bool any_metric = false;

	if (ctx->field_of[KPI_COL_AGENT] < 0)
		msg_add(&ctx->header_problems, line,
		        "agent: no such column (headers: %s)",
		        columns[KPI_COL_AGENT].headers);
	for (int c = KPI_COL_AGENT + 1; c < KPI_COL_COUNT; c++) {
		any_metric = any_metric || ctx->field_of[c] >= 0;
		if (ctx->needed_by[c] == NULL || ctx->field_of[c] >= 0)
			continue;
		msg_add(&ctx->header_problems, line,
		        "%s: no such column; [kpi.%s] (%s) needs it "
		        "(headers: %s)",
		        columns[c].what, ctx->needed_by[c],
		        metric_of_key(ctx->rb, ctx->needed_by[c]),
		        columns[c].headers);
	}
	if (ctx->conversion_needed_by != NULL &&
	    ctx->field_of[KPI_COL_CONVERSION] < 0 &&
	    (ctx->field_of[KPI_COL_INQUIRIES] < 0 ||
	     ctx->field_of[KPI_COL_BUYERS] < 0))
		msg_add(&ctx->header_problems, line,
		        "conversion: no such column, nor both inquiries and "
		        "buyers to compute it; [kpi.%s] (conversion) needs "
		        "one (headers: %s; or %s with %s)",
		        ctx->conversion_needed_by,
		        columns[KPI_COL_CONVERSION].headers,
		        columns[KPI_COL_INQUIRIES].headers,
		        columns[KPI_COL_BUYERS].headers);
	if (ctx->rb->mode != RB_MODE_KPI && !any_metric)
		msg_add(&ctx->header_problems, line,
		        "no metric column (such as 销售额, 转化率, 回复率, "
		        "sales, conversion, reply_rate)");
}

/* Finds the agent of a row among those on the month's board: exact name,
 * then handle. Returns the index or -1 (after reporting why). */
static int64_t match_agent(struct import_ctx *ctx, int32_t line,
                           const char *label, const char *ref)
{
	size_t named_on = 0;
	size_t found = 0;
	int64_t off_board = -1;
	char a[256], ids[96] = "";
	char m[16];

	for (size_t i = 0; i < ctx->agent_count; i++) {
		const struct score_agent *ag = &ctx->agents[i];

		if (strcmp(ag->name, ref) != 0)
			continue;
		if (!score_agent_on_board(ag, ctx->month)) {
			if (off_board < 0)
				off_board = (int64_t)i;
			continue;
		}
		if (named_on++ == 0)
			found = i;
		if (strlen(ids) + 24 < sizeof(ids))
			snprintf(ids + strlen(ids), sizeof(ids) - strlen(ids),
			         "%s%lld", ids[0] ? ", " : "",
			         (long long)ag->id);
	}
	month_format(m, sizeof(m), ctx->month);
	if (named_on == 1)
		return (int64_t)found;
	if (named_on > 1) {
		msg_add(&ctx->row_problems, line,
		        "%s: '%s' is the name of %zu agents on the %s board "
		        "(ids %s): write the handle instead",
		        label, excerpt(a, sizeof(a), ref), named_on, m, ids);
		return -1;
	}
	for (size_t i = 0; i < ctx->agent_count; i++) {
		const struct score_agent *ag = &ctx->agents[i];

		if (ag->handle == NULL || strcmp(ag->handle, ref) != 0)
			continue;
		if (score_agent_on_board(ag, ctx->month))
			return (int64_t)i;
		if (off_board < 0)
			off_board = (int64_t)i;
	}
	if (off_board >= 0) {
		const struct score_agent *ag = &ctx->agents[off_board];
		char d[16];
		bool not_yet = ag->hired > month_last_day(ctx->month);

		msg_add(
		    &ctx->row_problems, line,
		    "%s: %s is not on the %s board (%s %s)", label, ag->name, m,
		    not_yet ? "hired" : "left",
		    date_format(d, sizeof(d), not_yet ? ag->hired : ag->left));
		return -1;
	}
	msg_add(&ctx->row_problems, line,
	        "%s: unknown agent '%s' (no agent has this name or handle; "
	        "'kpidesk agent list --all' shows them)",
	        label, excerpt(a, sizeof(a), ref));
	return -1;
}

/* A cell with no value ("", "-", "--", "—"). */
static bool cell_is_empty(const char *cell)
{
	int64_t unused;

	return kpi_value_parse(cell, KPI_VALUE_COUNT, &unused, NULL) ==
	       KPI_VALUE_EMPTY;
}

static const char *kind_noun(enum kpi_value_kind kind)
{
	switch (kind) {
	case KPI_VALUE_MONEY:
		return "an amount in yuan";
	case KPI_VALUE_COUNT:
		return "a whole number";
	case KPI_VALUE_PERCENT:
		return "a percentage";
	case KPI_VALUE_SECONDS:
		return "a number of seconds";
	}
	return "a number";
}

/* Reads one metric cell into *has / *value, reporting what is wrong. */
static void read_value(struct import_ctx *ctx, int32_t line,
                       const struct kpi_csv_record *rec, int column, bool *has,
                       int64_t *value)
{
	const struct column_def *def = &columns[column];
	const char *cell = cell_of(ctx, rec, column);
	char label[256], a[256];
	bool percent = false;
	enum kpi_value_status st;

	*has = false;
	*value = 0;
	if (ctx->field_of[column] < 0)
		return;
	st = kpi_value_parse(cell, def->kind, value, &percent);
	if (st == KPI_VALUE_EMPTY)
		return;
	column_label(ctx, column, label, sizeof(label));
	excerpt(a, sizeof(a), cell);
	switch (st) {
	case KPI_VALUE_OK:
		break;
	case KPI_VALUE_EMPTY:
		return;
	case KPI_VALUE_NOT_NUMBER:
		msg_add(&ctx->row_problems, line, "%s: '%s' is not %s", label,
		        a, kind_noun(def->kind));
		return;
	case KPI_VALUE_BAD_GROUPS:
		msg_add(&ctx->row_problems, line,
		        "%s: '%s' is not a number: commas may only separate "
		        "thousands (1,234.50), and decimals take a point",
		        label, a);
		return;
	case KPI_VALUE_PRECISION:
		msg_add(&ctx->row_problems, line,
		        "%s: '%s' has more than %d decimals (%s); round it in "
		        "the sheet",
		        label, a, def->kind == KPI_VALUE_MONEY ? 2 : 4,
		        def->kind == KPI_VALUE_MONEY
		            ? "amounts are kept to the fen"
		            : "values are kept to 4 decimals");
		return;
	case KPI_VALUE_NOT_WHOLE:
		msg_add(&ctx->row_problems, line,
		        "%s: '%s' is not a whole number", label, a);
		return;
	case KPI_VALUE_NEGATIVE:
		msg_add(&ctx->row_problems, line, "%s: '%s' is negative", label,
		        a);
		return;
	case KPI_VALUE_TOO_LARGE:
		msg_add(&ctx->row_problems, line,
		        "%s: '%s' is too large to be %s", label, a,
		        kind_noun(def->kind));
		return;
	}
	if (column == KPI_COL_TARGET && *value == 0) {
		msg_add(&ctx->row_problems, line,
		        "%s: '%s': a sales target must be more than 0", label,
		        a);
		return;
	}
	if (def->kind == KPI_VALUE_PERCENT && *value > 100 * 10000) {
		msg_add(&ctx->row_problems, line, "%s: '%s' is more than 100%%",
		        label, a);
		return;
	}
	if (def->kind == KPI_VALUE_PERCENT) {
		ctx->rate_seen[column] = true;
		ctx->rate_percent[column] =
		    ctx->rate_percent[column] || percent;
		if (*value > ctx->rate_max[column])
			ctx->rate_max[column] = *value;
	}
	*has = true;
}

static bool row_has_extra_fields(const struct import_ctx *ctx,
                                 const struct kpi_csv_record *rec)
{
	for (size_t f = ctx->header->field_count; f < rec->field_count; f++)
		if (!text_is_blank(rec->fields[f]))
			return true;
	return false;
}

/* Checks one data row; fills *m (agent_id 0 when it has problems). Returns
 * false for a skipped summary row. */
static bool read_row(struct import_ctx *ctx, const struct kpi_csv_record *rec,
                     struct score_metrics *m)
{
	int32_t line = rec->line;
	const char *ref;
	char label[256], a[256];
	int64_t agent = -1;
	size_t problems_before = ctx->row_problems.count;

	memset(m, 0, sizeof(*m));
	m->month = ctx->month;
	if (row_has_extra_fields(ctx, rec)) {
		msg_add(&ctx->row_problems, line,
		        "%zu fields, but the header has %zu: a value holding "
		        "a comma must be quoted (\"1,234.50\")",
		        rec->field_count, ctx->header->field_count);
		return true;
	}
	if (ctx->field_of[KPI_COL_AGENT] >= 0) {
		size_t len = trim_span(cell_of(ctx, rec, KPI_COL_AGENT), &ref);
		char *name = strndup(ref, len);

		if (name == NULL) {
			ctx->row_problems.nomem = true;
			return true;
		}
		column_label(ctx, KPI_COL_AGENT, label, sizeof(label));
		if (is_summary_row(name)) {
			msg_add(&ctx->notes, line,
			        "skipped the summary row '%s'",
			        excerpt(a, sizeof(a), name));
			free(name);
			return false;
		}
		if (name[0] == '\0')
			msg_add(&ctx->row_problems, line,
			        "%s: no agent in this row", label);
		else
			agent = match_agent(ctx, line, label, name);
		if (agent >= 0 && ctx->agent_line[agent] > 0) {
			const char *real = ctx->agents[agent].name;

			if (strcmp(real, name) == 0)
				msg_add(&ctx->row_problems, line,
				        "%s: %s is on line %d already (one row "
				        "per agent)",
				        label, real,
				        (int)ctx->agent_line[agent]);
			else
				msg_add(&ctx->row_problems, line,
				        "%s: '%s' is %s, on line %d already "
				        "(one row per agent)",
				        label, excerpt(a, sizeof(a), name),
				        real, (int)ctx->agent_line[agent]);
			agent = -1;
		} else if (agent >= 0) {
			ctx->agent_line[agent] = line;
		}
		free(name);
	}

	read_value(ctx, line, rec, KPI_COL_SALES, &m->has_sales, &m->sales_fen);
	read_value(ctx, line, rec, KPI_COL_TARGET, &m->has_target,
	           &m->target_fen);
	read_value(ctx, line, rec, KPI_COL_INQUIRIES, &m->has_inquiries,
	           &m->inquiries);
	read_value(ctx, line, rec, KPI_COL_BUYERS, &m->has_buyers, &m->buyers);
	read_value(ctx, line, rec, KPI_COL_CONVERSION, &m->has_conversion,
	           &m->conversion_e4);
	read_value(ctx, line, rec, KPI_COL_RESPONSE, &m->has_response,
	           &m->response_e4);
	read_value(ctx, line, rec, KPI_COL_AOV, &m->has_aov, &m->aov_fen);
	read_value(ctx, line, rec, KPI_COL_REPLY_RATE, &m->has_reply_rate,
	           &m->reply_rate_e4);

	if (m->has_inquiries && m->has_buyers && m->buyers > m->inquiries)
		msg_add(&ctx->row_problems, line,
		        "%s: %lld buyers, more than the %lld inquiries",
		        column_label(ctx, KPI_COL_BUYERS, label, sizeof(label)),
		        (long long)m->buyers, (long long)m->inquiries);

	/* Values the rulebook needs (only for columns that exist: a missing
	 * column is reported once, on the header line). */
	{
		const bool has[KPI_COL_COUNT] = {
		    [KPI_COL_SALES] = m->has_sales,
		    [KPI_COL_TARGET] = m->has_target,
		    [KPI_COL_INQUIRIES] = m->has_inquiries,
		    [KPI_COL_BUYERS] = m->has_buyers,
		    [KPI_COL_CONVERSION] = m->has_conversion,
		    [KPI_COL_RESPONSE] = m->has_response,
		    [KPI_COL_AOV] = m->has_aov,
		    [KPI_COL_REPLY_RATE] = m->has_reply_rate,
		};
		bool any = false;

		for (int c = KPI_COL_AGENT + 1; c < KPI_COL_COUNT; c++) {
			any = any || has[c];
			if (ctx->needed_by[c] == NULL || has[c] ||
			    ctx->field_of[c] < 0 ||
			    !cell_is_empty(cell_of(ctx, rec, c)))
				continue;
			msg_add(&ctx->row_problems, line,
			        "%s: no value; [kpi.%s] needs it",
			        column_label(ctx, c, label, sizeof(label)),
			        ctx->needed_by[c]);
		}
		if (ctx->conversion_needed_by != NULL && !m->has_conversion &&
		    !(m->has_inquiries && m->has_buyers)) {
			int c = ctx->field_of[KPI_COL_CONVERSION] >= 0
			            ? KPI_COL_CONVERSION
			        : !m->has_inquiries ? KPI_COL_INQUIRIES
			                            : KPI_COL_BUYERS;

			if (ctx->field_of[c] >= 0 &&
			    cell_is_empty(cell_of(ctx, rec, c)))
				msg_add(
				    &ctx->row_problems, line,
				    "%s: no value%s; [kpi.%s] needs it",
				    column_label(ctx, c, label, sizeof(label)),
				    c == KPI_COL_CONVERSION
				        ? " (nor inquiries and buyers "
				          "to compute it)"
				        : " to compute the conversion",
				    ctx->conversion_needed_by);
		}
		if (ctx->rb->mode != RB_MODE_KPI && !any &&
		    ctx->any_metric_column &&
		    ctx->row_problems.count == problems_before)
			msg_add(&ctx->row_problems, line,
			        "no figures in this row");
	}
	if (ctx->row_problems.count == problems_before && agent >= 0)
		m->agent_id = ctx->agents[agent].id;
	return true;
}

/* Rates all at most 1 and never with a % sign: fractions, not percent. */
static void check_fractions(struct import_ctx *ctx)
{
	static const int rates[] = {KPI_COL_CONVERSION, KPI_COL_REPLY_RATE};
	char label[256];

	for (size_t i = 0; i < COUNT_OF(rates); i++) {
		int c = rates[i];

		if (!ctx->rate_seen[c] || ctx->rate_percent[c] ||
		    ctx->rate_max[c] == 0 || ctx->rate_max[c] > 10000)
			continue;
		msg_add(&ctx->header_problems, ctx->header->line,
		        "%s: every value is at most 1 and none has a %% sign: "
		        "these look like fractions (0.985); write percentages "
		        "(98.5 or 98.5%%)",
		        column_label(ctx, c, label, sizeof(label)));
	}
}

void kpi_import_finish(struct kpi_import *imp)
{
	if (imp == NULL)
		return;
	free(imp->metrics);
	free(imp->lines);
	msg_list_free(imp->problems, imp->problem_count);
	msg_list_free(imp->notes, imp->note_count);
	memset(imp, 0, sizeof(*imp));
}

enum kd_status kpi_import_parse(const char *bytes, size_t len,
                                const struct rulebook *rb, kd_month month,
                                const struct score_agent *agents,
                                size_t agent_count, struct kpi_import *out)
{
	struct import_ctx ctx;
	struct msg_list problems = {0};
	struct kpi_message why = {0};
	struct kpi_csv csv = {0};
	char *text = NULL;
	size_t text_len = 0;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	memset(&ctx, 0, sizeof(ctx));
	ctx.rb = rb;
	ctx.month = month;
	ctx.agents = agents;
	ctx.agent_count = agent_count;

	if (len > KPI_IMPORT_MAX_BYTES) {
		msg_add(&problems, 0,
		        "too large for a month's metrics (%zu bytes, at most "
		        "%u)",
		        len, KPI_IMPORT_MAX_BYTES);
		status = KD_ERR_INPUT;
		goto done;
	}
	status =
	    kpi_text_decode(bytes, len, &text, &text_len, &out->encoding, &why);
	if (status == KD_ERR_INPUT)
		msg_add(&problems, why.line, "%s", why.text);
	free(why.text);
	if (status != KD_OK)
		goto done;

	status = kpi_csv_parse(text, text_len, &csv);
	for (size_t i = 0; i < csv.problem_count; i++)
		msg_add(&problems, csv.problems[i].line, "%s",
		        csv.problems[i].text);
	if (status != KD_OK)
		goto done;
	if (csv.record_count == 0) {
		msg_add(&problems, 0,
		        "the file is empty: it needs a header line and a row "
		        "per agent");
		status = KD_ERR_INPUT;
		goto done;
	}

	ctx.header = &csv.records[0];
	find_columns(&ctx);
	for (int c = 0; c < KPI_COL_COUNT; c++)
		out->columns[c] = ctx.field_of[c] >= 0;
	find_needs(&ctx);
	check_header(&ctx);

	status = KD_ERR_NOMEM;
	if (agent_count > 0) {
		ctx.agent_line = calloc(agent_count, sizeof(*ctx.agent_line));
		if (ctx.agent_line == NULL)
			goto done;
	}
	out->metrics = calloc(csv.record_count, sizeof(*out->metrics));
	out->lines = calloc(csv.record_count, sizeof(*out->lines));
	if (out->metrics == NULL || out->lines == NULL)
		goto done;
	for (size_t r = 1; r < csv.record_count; r++) {
		struct score_metrics *m = &out->metrics[out->row_count];

		if (!read_row(&ctx, &csv.records[r], m))
			continue;
		out->lines[out->row_count++] = csv.records[r].line;
	}
	if (out->row_count == 0)
		msg_add(&ctx.header_problems, ctx.header->line,
		        csv.record_count == 1
		            ? "only a header line, no rows of metrics"
		            : "no rows of metrics, only summary rows");
	check_fractions(&ctx);
	msg_list_move(&problems, &ctx.header_problems);
	msg_list_move(&problems, &ctx.row_problems);
	if (problems.nomem || ctx.notes.nomem)
		goto done;
	status = problems.count > 0 ? KD_ERR_INPUT : KD_OK;

done:
	if (problems.nomem || ctx.header_problems.nomem ||
	    ctx.row_problems.nomem || ctx.notes.nomem)
		status = KD_ERR_NOMEM;
	msg_list_free(ctx.header_problems.items, ctx.header_problems.count);
	msg_list_free(ctx.row_problems.items, ctx.row_problems.count);
	out->notes = ctx.notes.items;
	out->note_count = ctx.notes.count;
	out->problems = problems.items;
	out->problem_count = problems.count;
	if (status != KD_OK)
		out->row_count = 0;
	free(ctx.agent_line);
	kpi_csv_finish(&csv);
	free(text);
	return status;
}
