/* The table reader's front door: a workbook or CSV text -> rows (see
 * kpidesk/import.h). */
#include <stdlib.h>
#include <string.h>

#include "import_internal.h"

void import_table_finish(struct import_table *table)
{
	if (table == NULL)
		return;
	free(table->sheet);
	kpi_csv_finish(&table->csv);
	memset(table, 0, sizeof(*table));
}

enum kd_status import_table_read(const char *bytes, size_t len,
                                 const char *sheet, struct import_table *out)
{
	struct msg_list problems = {0};
	struct kpi_message why = {0};
	char *text = NULL;
	size_t text_len = 0;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	if (len > IMPORT_MAX_BYTES) {
		msg_add(&problems, 0,
		        "too large to import (%zu bytes, at most %u)", len,
		        IMPORT_MAX_BYTES);
		status = KD_ERR_INPUT;
		goto done;
	}
	if (len >= 4 && memcmp(bytes, "PK\x03\x04", 4) == 0)
		return import_xlsx_read(bytes, len, sheet, out);
	status =
	    kpi_text_decode(bytes, len, &text, &text_len, &out->encoding, &why);
	if (status == KD_ERR_INPUT)
		msg_add(&problems, why.line, "%s", why.text);
	free(why.text);
	if (status != KD_OK)
		goto done;
	if (sheet != NULL) {
		msg_add(&problems, 0,
		        "--sheet %s: this is a CSV file, which has no sheets "
		        "(--sheet is for .xlsx workbooks)",
		        sheet);
		status = KD_ERR_INPUT;
		goto done;
	}
	status = kpi_csv_parse(text, text_len, &out->csv);
	free(text);
	return status;
done:
	free(text);
	if (problems.nomem)
		status = KD_ERR_NOMEM;
	out->csv.problems = problems.items;
	out->csv.problem_count = problems.count;
	return status;
}
