/* CSV cells as every CSV kpidesk writes them (PRODUCT.md "Data from
 * outside, data for others").
 *
 * RFC 4180: fields separated by commas, rows ended by CRLF, a field quoted
 * when it holds a comma, a quote or a line break (quotes doubled inside).
 * No text cell can run as a formula in a spreadsheet: a text cell that
 * begins with '=', '+', '-', '@', a tab or a carriage return is written
 * with a leading apostrophe ("=HYPERLINK(...)" -> "'=HYPERLINK(...)").
 * Number cells ("-120.00", "3") are written as they are, so a negative
 * amount stays a number; a "number" that is not one (digits with an
 * optional leading '-' and decimal part) is written as text.
 */
#ifndef KPIDESK_CSV_H
#define KPIDESK_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum csv_cell { CSV_TEXT, CSV_NUMBER };

/* The UTF-8 byte-order mark, so spreadsheet programs read UTF-8. */
bool csv_write_bom(FILE *out);

/* One field (NULL is ""); false when writing fails. */
bool csv_write_cell(FILE *out, const char *s, enum csv_cell kind);

/* n fields and the CRLF; kinds may be NULL (all text). */
bool csv_write_row(FILE *out, const char *const *cells,
                   const enum csv_cell *kinds, size_t n);

/* True for text a spreadsheet would read as a formula (first byte one of
 * = + - @ TAB CR). */
bool csv_text_is_formula_like(const char *s);

/* True for "-12", "0.50", "1500.00": an optional '-', digits, an optional
 * '.' and digits. */
bool csv_is_number(const char *s);

#endif
