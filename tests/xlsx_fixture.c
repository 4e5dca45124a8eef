/* See xlsx_fixture.h. */
#include "xlsx_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "kpidesk/import.h"

/* "62.35%" -> 0.6235; "¥128,450.00" -> 128450 (money); "12.5" -> 12.5. */
static bool typed_number(const char *cell, double *value, bool *percent,
                         bool *money)
{
	char digits[64];
	size_t n = 0;
	const char *p = cell;
	char *end;

	*percent = false;
	*money = false;
	if (strncmp(p, "¥", strlen("¥")) == 0) {
		*money = true;
		p += strlen("¥");
	}
	for (; *p && n + 1 < sizeof(digits); p++) {
		if (*p == ',' && *money)
			continue;
		if (*p == '%' && p[1] == '\0') {
			*percent = true;
			break;
		}
		digits[n++] = *p;
	}
	digits[n] = '\0';
	if (n == 0 || strspn(digits, "-0123456789.") != n)
		return false;
	*value = strtod(digits, &end);
	if (*end != '\0')
		return false;
	if (*percent)
		*value /= 100.0;
	return true;
}

static bool typed_date(const char *cell, lxw_datetime *dt)
{
	int y, m, d, used = 0;

	if (strlen(cell) != 10 ||
	    sscanf(cell, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 10)
		return false;
	memset(dt, 0, sizeof(*dt));
	dt->year = y;
	dt->month = m;
	dt->day = d;
	return true;
}

int xlsx_fixture_write(const char *path, const char *csv_text,
                       const struct xlsx_fixture_options *options)
{
	lxw_workbook_options wo = {.constant_memory = options->inline_strings,
	                           .tmpdir = NULL};
	lxw_workbook *wb = workbook_new_opt(path, &wo);
	lxw_worksheet *ws;
	lxw_format *pct, *money, *date;
	struct kpi_csv csv;
	int rc = 0;

	if (wb == NULL) {
		fprintf(stderr, "xlsx_fixture: cannot create %s\n", path);
		return -1;
	}
	if (options->first_sheet != NULL) {
		lxw_worksheet *first =
		    workbook_add_worksheet(wb, options->first_sheet);

		worksheet_write_string(first, 0, 0, "这一页是说明", NULL);
	}
	ws = workbook_add_worksheet(wb, options->sheet);
	pct = workbook_add_format(wb);
	format_set_num_format(pct, "0.00%");
	money = workbook_add_format(wb);
	format_set_num_format(money, "\"¥\"#,##0.00");
	date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy-mm-dd");
	if (kpi_csv_parse(csv_text, strlen(csv_text), &csv) != KD_OK) {
		fprintf(stderr, "xlsx_fixture: bad CSV text\n");
		kpi_csv_finish(&csv);
		workbook_close(wb);
		return -1;
	}
	for (size_t r = 0; r < csv.record_count; r++) {
		/* rows as in the text: record lines, so a blank line stays a
		 * blank row */
		lxw_row_t row = (lxw_row_t)(csv.records[r].line - 1);

		for (size_t c = 0; c < csv.records[r].field_count; c++) {
			const char *cell = csv.records[r].fields[c];
			lxw_col_t col = (lxw_col_t)c;
			double v;
			bool is_pct, is_money;
			lxw_datetime dt;

			if (cell[0] == '\0')
				continue;
			if (options->plain)
				worksheet_write_string(ws, row, col, cell,
				                       NULL);
			else if (typed_date(cell, &dt))
				worksheet_write_datetime(ws, row, col, &dt,
				                         date);
			else if (typed_number(cell, &v, &is_pct, &is_money))
				worksheet_write_number(ws, row, col, v,
				                       is_pct     ? pct
				                       : is_money ? money
				                                  : NULL);
			else
				worksheet_write_string(ws, row, col, cell,
				                       NULL);
		}
	}
	kpi_csv_finish(&csv);
	if (workbook_close(wb) != LXW_NO_ERROR) {
		fprintf(stderr, "xlsx_fixture: cannot write %s\n", path);
		rc = -1;
	}
	return rc;
}
