/* UTF-8 text measured in terminal cells (STYLE.md practice 5).
 *
 * Chinese names are two cells a character, emoji usually two, ASCII one.
 * Every column the program prints is measured with these helpers, never in
 * bytes or code points. Decoding is done here (not with the C locale), so
 * the results do not depend on LC_CTYPE; widths come from wcwidth(), which
 * needs a UTF-8 LC_CTYPE (main sets one). Invalid bytes count as U+FFFD,
 * one cell each.
 */
#ifndef KPIDESK_TEXT_H
#define KPIDESK_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True if `len` bytes of `s` are well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF). */
bool text_is_utf8(const char *s, size_t len);

/* Decodes one character at s (at most len bytes): returns the bytes used
 * (>= 1 when len >= 1) and stores the code point, or U+FFFD for an invalid
 * sequence (consuming one byte). */
size_t text_decode(const char *s, size_t len, uint32_t *cp);

/* Display cells of one code point as kpidesk shows it: 1 for a hidden
 * character (text_char_is_hidden: shown as U+FFFD), 0 for combining
 * marks, 2 for wide characters, else 1. */
int text_char_width(uint32_t cp);

/* Display cells of the NUL-terminated string. */
size_t text_width(const char *s);

/* How many bytes of s fit in `cells` cells without splitting a character;
 * *used_cells (may be NULL) gets the cells those bytes take. */
size_t text_fit(const char *s, size_t cells, size_t *used_cells);

/* Appends s to buf (capacity size, always NUL-terminated), cut to `cells`
 * cells on a character boundary and padded with spaces to exactly `cells`
 * cells; right-aligned if `right`. Hidden characters (text_char_is_hidden)
 * and invalid bytes are written as U+FFFD, one cell: tables and the desk
 * never print a raw control character, even one stored before kpidesk
 * refused them. Returns the bytes appended. */
size_t text_pad(char *buf, size_t size, const char *s, size_t cells,
                bool right);

/* Characters that hide what a text says (issue 8, "names and notes that
 * hide nothing"): C0 controls and DEL, C1 controls (U+0080-U+009F), the
 * bidi embeddings, overrides, isolates and marks (U+202A-U+202E,
 * U+2066-U+2069, U+200E, U+200F), zero-width characters (U+200B-U+200D,
 * U+2060, U+FEFF) and the line/paragraph separators U+2028, U+2029. */
bool text_char_is_hidden(uint32_t cp);

/* The character's Unicode name (or its control alias): "RIGHT-TO-LEFT
 * OVERRIDE", "LINE FEED"; NULL for a character that is not hidden. */
const char *text_char_name(uint32_t cp);

/* Finds the first hidden character of the NUL-terminated UTF-8 text:
 * returns true with its code point and its 1-based character position
 * (characters, not bytes). Invalid UTF-8 is not looked at here
 * (text_is_utf8 says so first). */
bool text_find_hidden(const char *s, uint32_t *cp, size_t *position);

/* Copies s into buf (capacity size, always NUL-terminated, cut on a
 * character boundary) with every hidden character and every invalid byte
 * replaced by U+FFFD, so nothing printed to a terminal carries a raw
 * control character. Returns buf. */
char *text_sanitize(char *buf, size_t size, const char *s);

/* True for text with no characters after trimming ASCII white space. */
bool text_is_blank(const char *s);

#endif
