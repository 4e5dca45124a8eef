/* CSV text -> records (RFC 4180; see kpidesk/import.h). */
#include <stdlib.h>
#include <string.h>

#include "import_internal.h"

/* Commas separate fields, unless the first lines (up to the header, which
 * may sit below a title line of one cell) hold more tabs than commas
 * outside quotes: Excel's "Text (Tab delimited)" leaves the commas of its
 * amounts (1,234.00) unquoted. */
#define DELIMITER_LINES 20

static char detect_delimiter(const char *text, size_t len)
{
	size_t tabs = 0, commas = 0, lines = 0;
	bool quoted = false;

	for (size_t i = 0; i < len && lines < DELIMITER_LINES; i++) {
		char c = text[i];

		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == ',')
			commas++;
		else if (c == '\t')
			tabs++;
		else if (c == '\n' ||
		         (c == '\r' && !(i + 1 < len && text[i + 1] == '\n')))
			lines++;
	}
	return tabs > commas ? '\t' : ',';
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
		import_record_free(&csv->records[i]);
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
				ok = import_record_add(&rec, &rec_capacity,
				                       field.s, field.len);
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
		if (import_record_is_blank(&rec)) {
			import_record_free(&rec);
		} else {
			if (!import_records_push(out, &records_capacity,
			                         &rec)) {
				ok = false;
				break;
			}
		}
		rec_capacity = 0;
	}
	import_record_free(&rec);
	free(field.s);
	out->problems = problems.items;
	out->problem_count = problems.count;
	if (!ok || problems.nomem)
		return KD_ERR_NOMEM;
	return problems.count > 0 ? KD_ERR_INPUT : KD_OK;
}
