/* Band lists (RULEBOOK.md section 2): "OP NUMBER : RESULT, ..., *:RESULT".
 *
 * Thresholds and numeric results are kept in hundredths (two decimals at
 * most). A list maps either to numbers or to words (grades), never a mix.
 */
#ifndef KPIDESK_BANDS_H
#define KPIDESK_BANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum band_op {
	BAND_GT,   /* >  */
	BAND_GE,   /* >= */
	BAND_LT,   /* <  */
	BAND_LE,   /* <= */
	BAND_ELSE, /* *  (always matches; the last entry) */
};

#define BAND_WORD_MAX 16

struct band {
	enum band_op op;
	int64_t threshold_h;             /* hundredths; unused for BAND_ELSE */
	int64_t result_h;                /* hundredths, for numeric lists */
	char result_word[BAND_WORD_MAX]; /* for word lists ("A"); else "" */
};

struct band_list {
	size_t count;
	struct band *bands; /* owned; freed by band_list_finish() */
	bool words;         /* results are words, not numbers */
};

/* What a parse failure was and where (1-based entry position). */
struct band_error {
	size_t position;
	char text[96];   /* the offending entry, trimmed and cut */
	char reason[96]; /* English, e.g. "missing ':'" */
};

/* Parses `text` into *list (initialised by this call). With want_words the
 * results must be words (ASCII letters, digits, '_', '+', '-', or Chinese
 * and other UTF-8 characters; at most 15 bytes);
 * otherwise numbers. On failure returns false, fills *err and leaves *list
 * empty. */
bool band_list_parse(const char *text, bool want_words, struct band_list *list,
                     struct band_error *err);

/* Frees what band_list_parse allocated; safe on an empty or zeroed list. */
void band_list_finish(struct band_list *list);

/* Deep copy; false on out of memory. */
bool band_list_copy(struct band_list *dst, const struct band_list *src);

/* The first band matching the value num/den (den > 0), compared exactly:
 * 97.999 is below 98. Never NULL for a parsed list (it ends with '*'). */
const struct band *band_list_match(const struct band_list *list, int64_t num,
                                   int64_t den);

/* Shorthand for whole-unit inputs (minutes): the value is `value` itself. */
const struct band *band_list_match_int(const struct band_list *list,
                                       int64_t value);

/* Shorthand for a value in hundredths (a score in centi-points). */
const struct band *band_list_match_h(const struct band_list *list,
                                     int64_t value_h);

#endif
