/* XLSX workbooks -> rows of text cells (see kpidesk/import.h), read with
 * libzip from memory and libxml2's xmlReader, which streams each part
 * without building a tree. Entities are never substituted and nothing is
 * fetched from the network; a part that inflates beyond
 * IMPORT_MAX_XLSX_PART is refused. */
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "import_internal.h"
#include "kpidesk/date.h"

/* How a numeric cell is shown: its style's number format. */
enum fmt_kind {
	FMT_GENERAL, /* shortest decimal */
	FMT_FIXED,   /* `decimals` decimals; with `percent`, x100 and a % */
	FMT_DATE,    /* a date (and time) */
};

struct cell_format {
	enum fmt_kind kind;
	int decimals;
	bool percent;
};

struct custom_format {
	int id;
	struct cell_format format;
};

struct xlsx {
	zip_t *zip;
	struct msg_list *problems;
	bool nomem;
	bool date1904;
	size_t shared_count;
	char **shared;
	size_t xf_count;
	struct cell_format *xf;
};

/* ------------------------------------------------------------------------ */
/* Parts */

struct part {
	zip_file_t *file;
	zip_uint64_t total;
	bool too_big;
	const char *name;
};

static int part_read(void *context, char *buf, int len)
{
	struct part *p = context;
	zip_int64_t n = zip_fread(p->file, buf, (zip_uint64_t)len);

	if (n < 0)
		return -1;
	p->total += (zip_uint64_t)n;
	if (p->total > IMPORT_MAX_XLSX_PART) {
		p->too_big = true;
		return -1;
	}
	return (int)n;
}

static int part_close(void *context)
{
	(void)context;
	return 0;
}

/* libxml2's messages go to the part's problem, not to stderr: the first
 * error, on one line. */
static void reader_error(void *arg, xmlErrorPtr error)
{
	char *first = arg;

	if (error == NULL || error->level < XML_ERR_ERROR || first[0] != '\0')
		return;
	snprintf(first, 200, "line %d: %s", error->line,
	         error->message ? error->message : "?");
	first[strcspn(first, "\n")] = '\0';
}

struct open_part {
	struct part part;
	xmlTextReaderPtr reader;
	char error[200];
};

/* Opens a part of the workbook for streaming; false (with a problem, unless
 * `optional` and it is absent) when it cannot. */
static bool part_open(struct xlsx *x, const char *name, bool optional,
                      struct open_part *op)
{
	zip_int64_t index = zip_name_locate(x->zip, name, 0);

	memset(op, 0, sizeof(*op));
	op->part.name = name;
	if (index < 0) {
		if (!optional)
			msg_add(x->problems, 0,
			        "not a readable .xlsx workbook: it has no %s",
			        name);
		return false;
	}
	op->part.file = zip_fopen_index(x->zip, (zip_uint64_t)index, 0);
	if (op->part.file == NULL) {
		msg_add(x->problems, 0,
		        "not a readable .xlsx workbook: %s cannot be opened "
		        "(%s)",
		        name, zip_strerror(x->zip));
		return false;
	}
	op->reader = xmlReaderForIO(part_read, part_close, &op->part, name,
	                            NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
	if (op->reader == NULL) {
		zip_fclose(op->part.file);
		x->nomem = true;
		return false;
	}
	xmlTextReaderSetStructuredErrorHandler(op->reader, reader_error,
	                                       op->error);
	return true;
}

/* Closes the part; false (with a problem) when reading it failed. */
static bool part_close_checked(struct xlsx *x, struct open_part *op, int last)
{
	bool ok = last == 0;

	if (!ok) {
		if (op->part.too_big)
			msg_add(x->problems, 0,
			        "%s inflates to more than %u bytes: not read",
			        op->part.name, IMPORT_MAX_XLSX_PART);
		else
			msg_add(x->problems, 0,
			        "not a readable .xlsx workbook: %s is not "
			        "well-formed XML (%s)",
			        op->part.name,
			        op->error[0] ? op->error : "read error");
	}
	xmlFreeTextReader(op->reader);
	zip_fclose(op->part.file);
	return ok;
}

static bool is_element(xmlTextReaderPtr r, const char *local)
{
	const xmlChar *name = xmlTextReaderConstLocalName(r);

	return name != NULL && strcmp((const char *)name, local) == 0;
}

/* An attribute by local name (any namespace when `ns_any`, else none);
 * NULL when absent. Owned by the caller (xmlFree). */
static char *attribute(xmlTextReaderPtr r, const char *local, bool ns_any)
{
	char *value = NULL;

	if (!ns_any)
		return (char *)xmlTextReaderGetAttribute(
		    r, (const xmlChar *)local);
	if (xmlTextReaderMoveToFirstAttribute(r) != 1)
		return NULL;
	do {
		const xmlChar *name = xmlTextReaderConstLocalName(r);
		const xmlChar *ns = xmlTextReaderConstNamespaceUri(r);

		if (name != NULL && ns != NULL &&
		    strcmp((const char *)name, local) == 0) {
			value = (char *)xmlTextReaderValue(r);
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(r) == 1);
	xmlTextReaderMoveToElement(r);
	return value;
}

static bool is_text_node(int type)
{
	return type == XML_READER_TYPE_TEXT ||
	       type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
	       type == XML_READER_TYPE_CDATA;
}

/* ------------------------------------------------------------------------ */
/* The workbook: sheets, their parts, the date system */

struct sheet_ref {
	char *name;
	char *rel_id;
};

struct workbook {
	size_t sheet_count;
	struct sheet_ref *sheets;
	char *shared_part;
	char *styles_part;
	char *sheet_part; /* the chosen sheet's */
};

static void workbook_finish(struct workbook *wb)
{
	for (size_t i = 0; i < wb->sheet_count; i++) {
		xmlFree(wb->sheets[i].name);
		xmlFree(wb->sheets[i].rel_id);
	}
	free(wb->sheets);
	free(wb->shared_part);
	free(wb->styles_part);
	free(wb->sheet_part);
}

static bool read_sheets(struct xlsx *x, struct workbook *wb)
{
	struct open_part op;
	size_t capacity = 0;
	int rc;

	if (!part_open(x, "xl/workbook.xml", false, &op))
		return false;
	while ((rc = xmlTextReaderRead(op.reader)) == 1) {
		if (xmlTextReaderNodeType(op.reader) != XML_READER_TYPE_ELEMENT)
			continue;
		if (is_element(op.reader, "workbookPr")) {
			char *v = attribute(op.reader, "date1904", false);

			x->date1904 = v != NULL && (strcmp(v, "1") == 0 ||
			                            strcmp(v, "true") == 0);
			xmlFree(v);
		} else if (is_element(op.reader, "sheet")) {
			struct sheet_ref ref;

			ref.name = attribute(op.reader, "name", false);
			ref.rel_id = attribute(op.reader, "id", true);
			if (ref.name == NULL || ref.rel_id == NULL) {
				xmlFree(ref.name);
				xmlFree(ref.rel_id);
				continue;
			}
			if (wb->sheet_count == capacity) {
				size_t grown = capacity ? capacity * 2 : 4;
				struct sheet_ref *s =
				    realloc(wb->sheets, grown * sizeof(*s));

				if (s == NULL) {
					xmlFree(ref.name);
					xmlFree(ref.rel_id);
					x->nomem = true;
					break;
				}
				wb->sheets = s;
				capacity = grown;
			}
			wb->sheets[wb->sheet_count++] = ref;
		}
	}
	return part_close_checked(x, &op, rc) && !x->nomem;
}

/* "worksheets/sheet1.xml" -> "xl/worksheets/sheet1.xml";
 * "/xl/worksheets/sheet1.xml" -> "xl/worksheets/sheet1.xml". */
static char *part_path(const char *target)
{
	size_t n = strlen(target);
	char *path;

	if (target[0] == '/') {
		path = strdup(target + 1);
	} else {
		path = malloc(n + 4);
		if (path != NULL)
			snprintf(path, n + 4, "xl/%s", target);
	}
	return path;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool read_relations(struct xlsx *x, struct workbook *wb,
                           const char *sheet_rel)
{
	struct open_part op;
	int rc;

	if (!part_open(x, "xl/_rels/workbook.xml.rels", false, &op))
		return false;
	while ((rc = xmlTextReaderRead(op.reader)) == 1) {
		char *id, *type, *target;

		if (xmlTextReaderNodeType(op.reader) !=
		        XML_READER_TYPE_ELEMENT ||
		    !is_element(op.reader, "Relationship"))
			continue;
		id = attribute(op.reader, "Id", false);
		type = attribute(op.reader, "Type", false);
		target = attribute(op.reader, "Target", false);
		if (id != NULL && type != NULL && target != NULL) {
			char **slot = NULL;

			if (strcmp(id, sheet_rel) == 0)
				slot = &wb->sheet_part;
			else if (ends_with(type, "/sharedStrings"))
				slot = &wb->shared_part;
			else if (ends_with(type, "/styles"))
				slot = &wb->styles_part;
			if (slot != NULL && *slot == NULL) {
				*slot = part_path(target);
				x->nomem = x->nomem || *slot == NULL;
			}
		}
		xmlFree(id);
		xmlFree(type);
		xmlFree(target);
	}
	return part_close_checked(x, &op, rc) && !x->nomem;
}

/* ------------------------------------------------------------------------ */
/* Shared strings */

static bool read_shared(struct xlsx *x, const char *name)
{
	struct open_part op;
	struct strbuf text = {0};
	size_t capacity = 0;
	bool in_si = false;
	int in_t = 0, in_phonetic = 0;
	int rc;

	if (!part_open(x, name, true, &op))
		return x->problems->count == 0 && !x->nomem;
	while ((rc = xmlTextReaderRead(op.reader)) == 1 && !x->nomem) {
		int type = xmlTextReaderNodeType(op.reader);
		bool empty = xmlTextReaderIsEmptyElement(op.reader) == 1;

		if (type == XML_READER_TYPE_ELEMENT) {
			if (is_element(op.reader, "si")) {
				in_si = true;
				text.len = 0;
				x->nomem = !strbuf_append(&text, "", 0);
				if (!empty)
					continue;
			} else if (is_element(op.reader, "rPh")) {
				in_phonetic += !empty;
				continue;
			} else if (is_element(op.reader, "t")) {
				in_t += !empty;
				continue;
			} else {
				continue;
			}
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (is_element(op.reader, "rPh"))
				in_phonetic--;
			else if (is_element(op.reader, "t"))
				in_t--;
			if (!is_element(op.reader, "si"))
				continue;
		} else {
			if (in_si && in_t > 0 && in_phonetic == 0 &&
			    is_text_node(type)) {
				const xmlChar *v =
				    xmlTextReaderConstValue(op.reader);

				if (v != NULL &&
				    !strbuf_append(&text, (const char *)v,
				                   strlen((const char *)v)))
					x->nomem = true;
			}
			continue;
		}
		/* the end of an <si> (or an empty one) */
		in_si = false;
		if (x->shared_count == capacity) {
			size_t grown = capacity ? capacity * 2 : 64;
			char **s = realloc(x->shared, grown * sizeof(*s));

			if (s == NULL) {
				x->nomem = true;
				break;
			}
			x->shared = s;
			capacity = grown;
		}
		x->shared[x->shared_count] = strdup(text.s ? text.s : "");
		if (x->shared[x->shared_count] == NULL)
			x->nomem = true;
		else
			x->shared_count++;
	}
	free(text.s);
	return part_close_checked(x, &op, x->nomem ? 0 : rc) && !x->nomem;
}

/* ------------------------------------------------------------------------ */
/* Styles: which cells show percentages, fixed decimals or dates */

/* Reads a format code as Excel shows its first section. */
static struct cell_format format_of_code(const char *code)
{
	struct cell_format f = {FMT_GENERAL, 0, false};
	bool after_point = false, digits = false, date = false;
	int decimals = 0;

	if (strncmp(code, "General", 7) == 0 || strcmp(code, "@") == 0)
		return f;
	for (const char *p = code; *p && *p != ';'; p++) {
		char c = *p;

		if (c == '"') { /* a literal */
			p++;
			while (*p && *p != '"')
				p++;
			if (!*p)
				break;
			continue;
		}
		if (c == '\\' || c == '_' || c == '*') { /* escaped, padding */
			if (p[1])
				p++;
			continue;
		}
		if (c == '[') { /* [Red], [$¥-804], [h] */
			while (*p && *p != ']')
				p++;
			if (!*p)
				break;
			continue;
		}
		if (c == 'E' || c == 'e') {
			if (p[1] == '+' || p[1] == '-')
				return (struct cell_format){FMT_GENERAL, 0,
				                            false};
			date = true; /* e: the year in some locales */
		} else if (c == '0' || c == '#' || c == '?') {
			digits = true;
			if (after_point)
				decimals++;
		} else if (c == '.') {
			after_point = true;
		} else if (c == '%') {
			f.percent = true;
		} else if (strchr("yYdDmMhHsS", c) != NULL) {
			date = true;
		}
	}
	if (date && !digits) {
		f.kind = FMT_DATE;
		return f;
	}
	if (digits || f.percent) {
		f.kind = FMT_FIXED;
		f.decimals = decimals;
	}
	return f;
}

/* Excel's built-in number formats that matter here (ECMA-376 18.8.30). */
static struct cell_format builtin_format(int id)
{
	static const struct {
		int id;
		const char *code;
	} builtins[] = {
	    {1, "0"},          {2, "0.00"},          {3, "#,##0"},
	    {4, "#,##0.00"},   {5, "¥#,##0"},        {6, "¥#,##0"},
	    {7, "¥#,##0.00"},  {8, "¥#,##0.00"},     {9, "0%"},
	    {10, "0.00%"},     {14, "yyyy-mm-dd"},   {15, "d-mmm-yy"},
	    {16, "d-mmm"},     {17, "mmm-yy"},       {22, "yyyy-m-d h:mm"},
	    {27, "yyyy年m月"}, {28, "m月d日"},       {29, "m月d日"},
	    {30, "m-d-yy"},    {31, "yyyy年m月d日"}, {36, "yyyy年m月"},
	    {37, "#,##0"},     {38, "#,##0"},        {39, "#,##0.00"},
	    {40, "#,##0.00"},  {41, "#,##0"},        {42, "¥#,##0"},
	    {43, "#,##0.00"},  {44, "¥#,##0.00"},    {50, "yyyy年m月"},
	    {51, "m月d日"},    {52, "yyyy年m月"},    {53, "m月d日"},
	    {57, "yyyy年m月"}, {58, "m月d日"},
	};

	for (size_t i = 0; i < COUNT_OF(builtins); i++)
		if (builtins[i].id == id)
			return format_of_code(builtins[i].code);
	return (struct cell_format){FMT_GENERAL, 0, false};
}

static int int_attribute(xmlTextReaderPtr r, const char *name, int otherwise)
{
	char *v = attribute(r, name, false);
	int n = otherwise;

	if (v != NULL) {
		char *end;
		long l = strtol(v, &end, 10);

		if (end != v && *end == '\0' && l >= 0 && l < 1000000)
			n = (int)l;
		xmlFree(v);
	}
	return n;
}

static bool read_styles(struct xlsx *x, const char *name)
{
	struct open_part op;
	struct custom_format *custom = NULL;
	size_t custom_count = 0, custom_capacity = 0, xf_capacity = 0;
	bool in_cell_xfs = false;
	int rc;

	if (!part_open(x, name, true, &op))
		return x->problems->count == 0 && !x->nomem;
	while ((rc = xmlTextReaderRead(op.reader)) == 1 && !x->nomem) {
		int type = xmlTextReaderNodeType(op.reader);

		if (type == XML_READER_TYPE_END_ELEMENT &&
		    is_element(op.reader, "cellXfs"))
			in_cell_xfs = false;
		if (type != XML_READER_TYPE_ELEMENT)
			continue;
		if (is_element(op.reader, "cellXfs")) {
			in_cell_xfs =
			    xmlTextReaderIsEmptyElement(op.reader) != 1;
		} else if (is_element(op.reader, "numFmt")) {
			char *code = attribute(op.reader, "formatCode", false);
			int id = int_attribute(op.reader, "numFmtId", -1);

			if (code != NULL && id >= 0) {
				if (custom_count == custom_capacity) {
					size_t grown = custom_capacity
					                   ? custom_capacity * 2
					                   : 16;
					struct custom_format *c =
					    realloc(custom, grown * sizeof(*c));

					if (c == NULL) {
						x->nomem = true;
						xmlFree(code);
						break;
					}
					custom = c;
					custom_capacity = grown;
				}
				custom[custom_count].id = id;
				custom[custom_count].format =
				    format_of_code(code);
				custom_count++;
			}
			xmlFree(code);
		} else if (in_cell_xfs && is_element(op.reader, "xf")) {
			int id = int_attribute(op.reader, "numFmtId", 0);
			struct cell_format f = builtin_format(id);

			for (size_t i = 0; i < custom_count; i++)
				if (custom[i].id == id)
					f = custom[i].format;
			if (x->xf_count == xf_capacity) {
				size_t grown =
				    xf_capacity ? xf_capacity * 2 : 16;
				struct cell_format *xf =
				    realloc(x->xf, grown * sizeof(*xf));

				if (xf == NULL) {
					x->nomem = true;
					break;
				}
				x->xf = xf;
				xf_capacity = grown;
			}
			x->xf[x->xf_count++] = f;
		}
	}
	free(custom);
	return part_close_checked(x, &op, x->nomem ? 0 : rc) && !x->nomem;
}

/* ------------------------------------------------------------------------ */
/* Numbers as the sheet shows them */

/* Writes |v| x 10^shift with `decimals` decimals (rounded half away from
 * zero on the 15 significant digits Excel keeps), or the shortest form when
 * decimals < 0. */
static void number_text(double v, int shift, int decimals, struct strbuf *out)
{
	char e[40];
	char digits[40];
	int count = 15, point;
	bool negative = v < 0;

	snprintf(e, sizeof(e), "%.14e", negative ? -v : v);
	digits[0] = e[0];
	memcpy(digits + 1, e + 2, 14);
	point = atoi(e + 17) + 1 + shift; /* digits before the point */
	if (digits[0] == '0')
		point = 1;
	while (count > 1 && digits[count - 1] == '0')
		count--;
	if (decimals >= 0 && point + decimals < count) {
		int keep = point + decimals;
		bool up = keep >= 0 && digits[keep] >= '5';

		if (keep < 0) {
			count = 0;
		} else {
			count = keep;
			for (int i = count - 1; up && i >= 0; i--) {
				if (digits[i] == '9') {
					digits[i] = '0';
				} else {
					digits[i]++;
					up = false;
				}
			}
			if (up) { /* 9.99 -> 10.0 */
				memmove(digits + 1, digits, (size_t)count);
				digits[0] = '1';
				count++;
				point++;
			}
		}
	}
	/* all digits rounded away: zero */
	{
		bool zero = true;

		for (int i = 0; i < count; i++)
			zero = zero && digits[i] == '0';
		if (zero)
			negative = false;
	}
	if (negative)
		strbuf_add(out, '-');
	if (point <= 0) {
		strbuf_add(out, '0');
	} else {
		for (int i = 0; i < point; i++)
			strbuf_add(out, i < count ? digits[i] : '0');
	}
	{
		int frac = decimals >= 0 ? decimals : count - point;

		if (frac > 0)
			strbuf_add(out, '.');
		for (int k = 0; k < frac; k++) {
			int i = point + k;

			strbuf_add(out, i >= 0 && i < count ? digits[i] : '0');
		}
	}
}

/* A serial date -> "YYYY-MM-DD" (and " HH:MM:SS" when it has a time). */
static bool date_text(const struct xlsx *x, double serial, struct strbuf *out)
{
	long days = (long)serial;
	long seconds = (long)((serial - (double)days) * 86400.0 + 0.5);
	kd_date epoch, date;
	char buf[40];

	if (serial < 0 || serial > 2958465.0) /* 9999-12-31 */
		return false;
	if (seconds >= 86400) {
		days++;
		seconds -= 86400;
	}
	/* Serial 25569 is 1970-01-01 in the 1900 system (which counts a
	 * 1900-02-29 that never was, so earlier serials are off by one and
	 * are not dates kpidesk needs); 24107 in the 1904 system. */
	days -= x->date1904 ? 24107 : 25569;
	if (days < 0 || !date_from_ymd(1970, 1, 1, &epoch))
		return false;
	date = epoch + (kd_date)days;
	date_format(buf, sizeof(buf), date);
	strbuf_append(out, buf, strlen(buf));
	if (seconds > 0) {
		snprintf(buf, sizeof(buf), " %02ld:%02ld:%02ld", seconds / 3600,
		         seconds / 60 % 60, seconds % 60);
		strbuf_append(out, buf, strlen(buf));
	}
	return true;
}

/* The text of a numeric cell with style index `style`. */
static void numeric_text(const struct xlsx *x, const char *raw, int style,
                         struct strbuf *out)
{
	struct cell_format f = {FMT_GENERAL, 0, false};
	char *end;
	double v = strtod(raw, &end);

	if (end == raw || *end != '\0') { /* not a number: as written */
		strbuf_append(out, raw, strlen(raw));
		return;
	}
	if (style >= 0 && (size_t)style < x->xf_count)
		f = x->xf[style];
	switch (f.kind) {
	case FMT_DATE:
		if (v >= 0 &&
		    v < 1) { /* a time of day or a duration: 00:00:14 */
			long s = (long)(v * 86400.0 + 0.5);
			char buf[32];

			snprintf(buf, sizeof(buf), "%02ld:%02ld:%02ld",
			         s / 3600, s / 60 % 60, s % 60);
			strbuf_append(out, buf, strlen(buf));
			return;
		}
		if (date_text(x, v, out))
			return;
		break;
	case FMT_FIXED:
		number_text(v, f.percent ? 2 : 0, f.decimals, out);
		if (f.percent)
			strbuf_add(out, '%');
		return;
	case FMT_GENERAL:
		break;
	}
	number_text(v, 0, -1, out);
}

/* ------------------------------------------------------------------------ */
/* The sheet */

/* "BC12" -> 54 (0-based column); -1 when it is not a reference. */
static long column_of_ref(const char *ref)
{
	long column = 0;
	const char *p = ref;

	while (*p >= 'A' && *p <= 'Z' && column <= 16384)
		column = column * 26 + (*p++ - 'A' + 1);
	if (p == ref || column > 16384)
		return -1;
	return column - 1;
}

#define MAX_COLUMNS 1024

struct sheet_state {
	struct kpi_csv_record row;
	size_t row_capacity;
	size_t records_capacity;
	long row_number;
	long next_column;
	/* the cell being read */
	long column;
	char type[16];
	int style;
	bool in_value, in_inline, in_t;
	int in_phonetic;
	struct strbuf raw;
};

static bool put_cell(struct xlsx *x, struct sheet_state *s, const char *text,
                     size_t len)
{
	if (s->column >= MAX_COLUMNS) {
		msg_add(x->problems, (int32_t)s->row_number,
		        "a cell beyond column %d: not a table kpidesk reads",
		        MAX_COLUMNS);
		return false;
	}
	while ((long)s->row.field_count < s->column)
		if (!import_record_add(&s->row, &s->row_capacity, "", 0)) {
			x->nomem = true;
			return false;
		}
	if ((long)s->row.field_count > s->column) /* cells out of order */
		return true;
	if (!import_record_add(&s->row, &s->row_capacity, text, len)) {
		x->nomem = true;
		return false;
	}
	return true;
}

static bool end_cell(struct xlsx *x, struct sheet_state *s)
{
	struct strbuf text = {0};
	const char *raw = s->raw.s ? s->raw.s : "";
	bool ok = true;

	s->next_column = s->column + 1;
	if (s->raw.len == 0 && !s->in_inline)
		return true; /* a styled but empty cell */
	if (strcmp(s->type, "s") == 0) {
		char *end;
		unsigned long i = strtoul(raw, &end, 10);

		if (end == raw || *end != '\0' || i >= x->shared_count) {
			msg_add(x->problems, (int32_t)s->row_number,
			        "a cell refers to shared string %s, which the "
			        "workbook does not have",
			        raw);
			return false;
		}
		return put_cell(x, s, x->shared[i], strlen(x->shared[i]));
	}
	if (strcmp(s->type, "b") == 0)
		return put_cell(x, s, strcmp(raw, "1") == 0 ? "TRUE" : "FALSE",
		                strcmp(raw, "1") == 0 ? 4 : 5);
	if (strcmp(s->type, "n") == 0 || s->type[0] == '\0') {
		numeric_text(x, raw, s->style, &text);
		if (text.s == NULL) {
			x->nomem = true;
			return false;
		}
		ok = put_cell(x, s, text.s, text.len);
		free(text.s);
		return ok;
	}
	if (strcmp(s->type, "d") == 0 && s->raw.len >= 10 &&
	    strchr(raw, 'T') != NULL && strncmp(raw + 10, "T00:00:00", 9) == 0)
		return put_cell(x, s, raw, 10);
	/* str (a formula's text), inlineStr, e (#DIV/0!), d */
	return put_cell(x, s, raw, s->raw.len);
}

static void start_cell(struct sheet_state *s, xmlTextReaderPtr r)
{
	char *ref = attribute(r, "r", false);
	char *type = attribute(r, "t", false);
	long column = ref != NULL ? column_of_ref(ref) : -1;

	s->column = column >= 0 ? column : s->next_column;
	snprintf(s->type, sizeof(s->type), "%s", type ? type : "");
	s->style = int_attribute(r, "s", 0);
	s->raw.len = 0;
	if (s->raw.s != NULL)
		s->raw.s[0] = '\0';
	s->in_inline = false;
	xmlFree(ref);
	xmlFree(type);
}

static bool end_row(struct xlsx *x, struct sheet_state *s, struct kpi_csv *csv)
{
	bool ok = true;

	if (s->row.field_count > 0 && !import_record_is_blank(&s->row)) {
		s->row.line = (int32_t)s->row_number;
		ok = import_records_push(csv, &s->records_capacity, &s->row);
		x->nomem = x->nomem || !ok;
	}
	import_record_free(&s->row);
	s->row_capacity = 0;
	return ok;
}

static bool read_sheet(struct xlsx *x, const char *name, struct kpi_csv *csv)
{
	struct open_part op;
	struct sheet_state s;
	bool in_data = false, ok = true;
	int rc;

	memset(&s, 0, sizeof(s));
	if (!part_open(x, name, false, &op))
		return false;
	while (ok && (rc = xmlTextReaderRead(op.reader)) == 1) {
		int type = xmlTextReaderNodeType(op.reader);
		bool empty = xmlTextReaderIsEmptyElement(op.reader) == 1;

		if (type == XML_READER_TYPE_ELEMENT) {
			if (is_element(op.reader, "sheetData")) {
				in_data = !empty;
			} else if (!in_data) {
				continue;
			} else if (is_element(op.reader, "row")) {
				long r = int_attribute(op.reader, "r", -1);

				s.row_number = r > 0 ? r : s.row_number + 1;
				s.next_column = 0;
				if (empty)
					ok = end_row(x, &s, csv);
			} else if (is_element(op.reader, "c")) {
				start_cell(&s, op.reader);
				if (empty)
					ok = end_cell(x, &s);
			} else if (is_element(op.reader, "v")) {
				s.in_value = !empty;
			} else if (is_element(op.reader, "is")) {
				s.in_inline = true;
			} else if (is_element(op.reader, "t")) {
				s.in_t = !empty;
			} else if (is_element(op.reader, "rPh")) {
				s.in_phonetic += !empty;
			}
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (is_element(op.reader, "sheetData"))
				in_data = false;
			else if (is_element(op.reader, "row"))
				ok = end_row(x, &s, csv);
			else if (is_element(op.reader, "c"))
				ok = end_cell(x, &s);
			else if (is_element(op.reader, "v"))
				s.in_value = false;
			else if (is_element(op.reader, "t"))
				s.in_t = false;
			else if (is_element(op.reader, "rPh"))
				s.in_phonetic--;
		} else if (is_text_node(type) &&
		           (s.in_value ||
		            (s.in_inline && s.in_t && s.in_phonetic == 0))) {
			const xmlChar *v = xmlTextReaderConstValue(op.reader);

			if (v != NULL &&
			    !strbuf_append(&s.raw, (const char *)v,
			                   strlen((const char *)v))) {
				x->nomem = true;
				ok = false;
			}
		}
	}
	import_record_free(&s.row);
	free(s.raw.s);
	if (!ok) {
		xmlFreeTextReader(op.reader);
		zip_fclose(op.part.file);
		return false;
	}
	return part_close_checked(x, &op, rc);
}

/* ------------------------------------------------------------------------ */

enum kd_status import_xlsx_read(const char *bytes, size_t len,
                                const char *sheet, struct import_table *out)
{
	struct msg_list problems = {0};
	struct xlsx x;
	struct workbook wb;
	zip_error_t error;
	zip_source_t *src;
	const struct sheet_ref *chosen = NULL;
	enum kd_status status = KD_ERR_INPUT;

	memset(out, 0, sizeof(*out));
	memset(&x, 0, sizeof(x));
	memset(&wb, 0, sizeof(wb));
	out->encoding = KPI_ENC_XLSX;
	x.problems = &problems;
	zip_error_init(&error);
	src = zip_source_buffer_create(bytes, len, 0, &error);
	if (src != NULL) {
		x.zip = zip_open_from_source(src, ZIP_RDONLY, &error);
		if (x.zip == NULL)
			zip_source_free(src);
	}
	if (x.zip == NULL) {
		msg_add(&problems, 0,
		        "not a readable .xlsx workbook (zip: %s); save it "
		        "again from the spreadsheet program",
		        zip_error_strerror(&error));
		zip_error_fini(&error);
		goto done;
	}
	zip_error_fini(&error);

	if (!read_sheets(&x, &wb))
		goto done;
	for (size_t i = 0; i < wb.sheet_count && chosen == NULL; i++)
		if (sheet == NULL || strcmp(wb.sheets[i].name, sheet) == 0)
			chosen = &wb.sheets[i];
	if (chosen == NULL) {
		struct strbuf names = {0};

		for (size_t i = 0; i < wb.sheet_count; i++) {
			if (i > 0)
				strbuf_append(&names, ", ", 2);
			strbuf_append(&names, wb.sheets[i].name,
			              strlen(wb.sheets[i].name));
		}
		if (sheet != NULL)
			msg_add(&problems, 0,
			        "--sheet %s: the workbook has no sheet of that "
			        "name (its sheets: %s)",
			        sheet, names.s ? names.s : "none");
		else
			msg_add(&problems, 0, "the workbook has no sheet");
		free(names.s);
		goto done;
	}
	out->sheet_count = wb.sheet_count;
	out->sheet = strdup(chosen->name);
	if (out->sheet == NULL) {
		x.nomem = true;
		goto done;
	}
	if (!read_relations(&x, &wb, chosen->rel_id))
		goto done;
	if (wb.sheet_part == NULL) {
		msg_add(&problems, 0,
		        "not a readable .xlsx workbook: sheet %s has no part",
		        chosen->name);
		goto done;
	}
	if ((wb.shared_part && !read_shared(&x, wb.shared_part)) ||
	    (wb.styles_part && !read_styles(&x, wb.styles_part)))
		goto done;
	if (!read_sheet(&x, wb.sheet_part, &out->csv))
		goto done;
	status = KD_OK;
done:
	if (x.nomem || problems.nomem)
		status = KD_ERR_NOMEM;
	if (x.zip != NULL)
		zip_discard(x.zip);
	for (size_t i = 0; i < x.shared_count; i++)
		free(x.shared[i]);
	free(x.shared);
	free(x.xf);
	workbook_finish(&wb);
	if (status != KD_OK) {
		/* the rows read so far are not the table */
		kpi_csv_finish(&out->csv);
	}
	out->csv.problems = problems.items;
	out->csv.problem_count = problems.count;
	return status;
}
