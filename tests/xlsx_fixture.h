/* Test helper: writes an .xlsx workbook with libxlsxwriter from CSV text,
 * typing each cell as a spreadsheet user would have it: "62.35%" a number
 * with the format 0.00%, "¥128,450.00" a number with a money format,
 * "2026-01-05" a date cell, other numbers numbers, the rest text. Used by
 * tests/check-import.c and by tests/make-xlsx (the CLI scenarios and the
 * samples in data/). */
#ifndef KPIDESK_TESTS_XLSX_FIXTURE_H
#define KPIDESK_TESTS_XLSX_FIXTURE_H

#include <stdbool.h>

struct xlsx_fixture_options {
	const char *sheet;       /* the data sheet's name (NULL: Sheet1) */
	const char *first_sheet; /* a sheet before it ("说明"), or NULL */
	bool inline_strings;     /* constant-memory mode: inline strings */
	bool plain;              /* every cell as text, no typing */
};

/* Returns 0, or -1 with a message on stderr. */
int xlsx_fixture_write(const char *path, const char *csv_text,
                       const struct xlsx_fixture_options *options);

#endif
