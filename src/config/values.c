/* The value parsers: numbers, lists, choices, text and band lists, each
 * validated from the string iniparser holds (TOOLCHAIN.md: never getint or
 * getboolean), each error naming the key, the item and what was expected. */
#include "config_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpidesk/bands.h"
#include "kpidesk/fixed.h"
#include "kpidesk/text.h"

/* Common start of every getter: absent (reported if required) or empty. */
enum got cfg_start(const struct sect *s, const char *key, bool required,
                   struct found *f)
{
	*f = cfg_find(s, key);
	if (!f->value) {
		if (required)
			cfg_report(s->ld, f->line, s->name, key,
			           "required key is missing");
		return GOT_ABSENT;
	}
	if (text_is_blank(f->value)) {
		if (f->comment_value)
			cfg_report(s->ld, f->line, s->name, key,
			           "empty value (';' and '#' start a comment: "
			           "write the value in quotes, like \"#\")");
		else
			cfg_report(s->ld, f->line, s->name, key, "empty value");
		return GOT_BAD;
	}
	return GOT_OK;
}

const struct num_spec cfg_spec_points = {
    2, -POINTS_LIMIT_CP, POINTS_LIMIT_CP,
    N_("a number of points with at most 2 decimals (like -0.5)"),
    N_("from -1000000 to 1000000")};
const struct num_spec cfg_spec_budget = {
    2, 1, POINTS_LIMIT_CP,
    N_("a number of points with at most 2 decimals (like 10)"),
    N_("greater than 0 and at most 1000000")};
const struct num_spec cfg_spec_yuan = {
    2, 0, MONEY_LIMIT_FEN,
    N_("an amount of yuan with at most 2 decimals (like 30 or 0.5)"),
    N_("from 0 to 10000000")};
const struct num_spec cfg_spec_growth = {
    2, 100, 10000, N_("a factor with at most 2 decimals (like 2 or 1.5)"),
    N_("from 1 to 100")};
const struct num_spec cfg_spec_rate = {
    6, 0, 1000000, N_("a rate with at most 6 decimals (like 0.006)"),
    N_("from 0 to 1")};
const struct num_spec cfg_spec_percent = {
    2, 0, 10000, N_("a percentage with at most 2 decimals (like 40)"),
    N_("from 0 to 100")};
const struct num_spec cfg_spec_free = {
    0, 0, COUNT_MAX, N_("a whole number (like 2)"), N_("from 0 to 100000")};
const struct num_spec cfg_spec_count = {
    0, 1, COUNT_MAX, N_("a whole number (like 3)"), N_("from 1 to 100000")};
const struct num_spec cfg_spec_months = {
    0, 1, MONTHS_MAX, N_("a whole number of months (like 3)"),
    N_("from 1 to 120")};
const struct num_spec cfg_spec_weight = {
    0, 0, 100, N_("a whole number (like 45)"), N_("from 0 to 100")};

enum num_result cfg_parse_number(const char *text, const struct num_spec *spec,
                                 int64_t *out)
{
	int64_t value;
	bool ok = spec->scale == 0
	              ? fixed_parse_int(text, -INT64_C(1000000000000000),
	                                INT64_C(1000000000000000), &value)
	              : fixed_parse(text, spec->scale, &value);
	if (!ok)
		return NUM_NOT_NUMBER;
	if (value < spec->min || value > spec->max)
		return NUM_RANGE;
	*out = value;
	return NUM_OK;
}

enum got cfg_get_number(const struct sect *s, const char *key, bool required,
                        const struct num_spec *spec, int64_t *out)
{
	struct found f;
	enum got got = cfg_start(s, key, required, &f);
	if (got != GOT_OK)
		return got;
	char q[QBUF];
	switch (cfg_parse_number(f.value, spec, out)) {
	case NUM_OK:
		return GOT_OK;
	case NUM_NOT_NUMBER:
		cfg_report(s->ld, f.line, s->name, key, "%s is not %s",
		           cfg_quote(q, sizeof(q), f.value), _(spec->expect));
		return GOT_BAD;
	case NUM_RANGE:
		break;
	}
	cfg_report(s->ld, f.line, s->name, key,
	           "%s is out of range (must be %s)",
	           cfg_quote(q, sizeof(q), f.value), _(spec->range));
	return GOT_BAD;
}

/* get_number for an int32_t field. */
enum got cfg_get_int32(const struct sect *s, const char *key, bool required,
                       const struct num_spec *spec, int32_t *out)
{
	int64_t value = 0;
	enum got got = cfg_get_number(s, key, required, spec, &value);
	if (got == GOT_OK)
		*out = (int32_t)value;
	return got;
}

/* A comma-separated list of numbers, at least one, at most LIST_MAX. */
enum got cfg_get_number_list(const struct sect *s, const char *key,
                             bool required, const struct num_spec *spec,
                             int64_t **out, size_t *count)
{
	struct found f;
	enum got got = cfg_start(s, key, required, &f);
	if (got != GOT_OK)
		return got;
	int64_t values[LIST_MAX];
	size_t n = 0;
	bool bad = false;
	char item[INI_LINE_MAX + 1];
	char q[QBUF];
	const char *cursor = f.value;
	while (cfg_next_item(&cursor, item, sizeof(item))) {
		n++;
		if (n > LIST_MAX) {
			cfg_report(s->ld, f.line, s->name, key,
			           "more than %d items", LIST_MAX);
			return GOT_BAD;
		}
		if (item[0] == '\0') {
			cfg_report(s->ld, f.line, s->name, key,
			           "item %zu is empty (items are separated by "
			           "commas, like 40, 30)",
			           n);
			bad = true;
			continue;
		}
		switch (cfg_parse_number(item, spec, &values[n - 1])) {
		case NUM_OK:
			break;
		case NUM_NOT_NUMBER:
			cfg_report(s->ld, f.line, s->name, key,
			           "item %zu %s is not %s", n,
			           cfg_quote(q, sizeof(q), item),
			           _(spec->expect));
			bad = true;
			break;
		case NUM_RANGE:
			cfg_report(s->ld, f.line, s->name, key,
			           "item %zu %s is out of range (must be %s)",
			           n, cfg_quote(q, sizeof(q), item),
			           _(spec->range));
			bad = true;
			break;
		}
	}
	if (bad)
		return GOT_BAD;
	int64_t *copy = malloc(n * sizeof(*copy));
	if (!copy) {
		s->ld->nomem = true;
		return GOT_BAD;
	}
	memcpy(copy, values, n * sizeof(*copy));
	*out = copy;
	*count = n;
	return GOT_OK;
}

/* One of a fixed set of words; *out gets its index. */
enum got cfg_get_choice(const struct sect *s, const char *key, bool required,
                        const char *const *choices, int *out)
{
	struct found f;
	enum got got = cfg_start(s, key, required, &f);
	if (got != GOT_OK)
		return got;
	for (int i = 0; choices[i]; i++) {
		if (strcmp(f.value, choices[i]) == 0) {
			*out = i;
			return GOT_OK;
		}
	}
	char q[QBUF], allowed[256];
	cfg_report(s->ld, f.line, s->name, key, "%s is not one of: %s",
	           cfg_quote(q, sizeof(q), f.value),
	           cfg_join_words(allowed, sizeof(allowed), choices));
	return GOT_BAD;
}

/* What kind of invisible character cp is, or NULL for a visible one.
 * Such characters in a label would hide or reorder what the desk shows
 * (issue 8: names that hide nothing). */
static const char *invisible_kind(uint32_t cp)
{
	if (cp >= 0x80 && cp <= 0x9F)
		return _("a C1 control character");
	if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
		return _("a bidi control");
	if ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF)
		return _("a zero-width character");
	return NULL;
}

/* Checks text for the screen; `item` is 0 for a whole value, else the
 * position of the item in a list (named in the message). */
static bool check_text(const struct sect *s, const char *key, int line,
                       const char *value, size_t item)
{
	char where[64] = "";
	if (item > 0)
		snprintf(where, sizeof(where), _("item %zu "), item);
	size_t len = strlen(value);
	if (!text_is_utf8(value, len)) {
		cfg_report(s->ld, line, s->name, key,
		           "%snot valid UTF-8 (save the file as UTF-8)", where);
		return false;
	}
	size_t position = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += text_decode(value + i, len - i, &cp);
		position++;
		if (cp < 0x20 || cp == 0x7F) {
			cfg_report(s->ld, line, s->name, key,
			           "%scontains a control character", where);
			return false;
		}
		const char *kind = invisible_kind(cp);
		if (kind) {
			cfg_report(s->ld, line, s->name, key,
			           "%scontains U+%04X (%s) at character %zu; "
			           "remove it",
			           where, (unsigned)cp, kind, position);
			return false;
		}
	}
	return true;
}

enum got cfg_get_text(const struct sect *s, const char *key, bool required,
                      char **out)
{
	struct found f;
	enum got got = cfg_start(s, key, required, &f);
	if (got != GOT_OK)
		return got;
	if (!check_text(s, key, f.line, f.value, 0))
		return GOT_BAD;
	char *copy = strdup(f.value);
	if (!copy) {
		s->ld->nomem = true;
		return GOT_BAD;
	}
	*out = copy;
	return GOT_OK;
}

enum got cfg_get_text_list(const struct sect *s, const char *key, char ***out,
                           size_t *count)
{
	struct found f;
	enum got got = cfg_start(s, key, false, &f);
	if (got != GOT_OK)
		return got;
	char item[INI_LINE_MAX + 1];
	char q[QBUF];
	size_t n = 0;
	bool bad = false;
	const char *cursor = f.value;
	while (cfg_next_item(&cursor, item, sizeof(item))) {
		n++;
		if (n > LIST_MAX) {
			cfg_report(s->ld, f.line, s->name, key,
			           "more than %d names", LIST_MAX);
			return GOT_BAD;
		}
		if (item[0] == '\0') {
			cfg_report(s->ld, f.line, s->name, key,
			           "item %zu is empty (names are separated "
			           "by commas)",
			           n);
			bad = true;
			continue;
		}
		if (!check_text(s, key, f.line, item, n)) {
			bad = true;
			continue;
		}
		/* Only the items before this one: a repeat is a typo. */
		char earlier[INI_LINE_MAX + 1];
		for (size_t k = 1; k < n; k++) {
			if (strcmp(cfg_item_at(f.value, k, earlier,
			                       sizeof(earlier)),
			           item) != 0)
				continue;
			cfg_report(s->ld, f.line, s->name, key,
			           "item %zu %s repeats item %zu", n,
			           cfg_quote(q, sizeof(q), item), k);
			bad = true;
			break;
		}
	}
	if (bad)
		return GOT_BAD;
	char **names = calloc(n, sizeof(*names));
	if (!names) {
		s->ld->nomem = true;
		return GOT_BAD;
	}
	cursor = f.value;
	for (size_t k = 0; k < n && cfg_next_item(&cursor, item, sizeof(item));
	     k++) {
		names[k] = strdup(item);
		if (!names[k]) {
			for (size_t m = 0; m < k; m++)
				free(names[m]);
			free(names);
			s->ld->nomem = true;
			return GOT_BAD;
		}
	}
	*out = names;
	*count = n;
	return GOT_OK;
}

/* A band list (RULEBOOK.md section 2); its errors name the entry. */
enum got cfg_get_bands(const struct sect *s, const char *key, bool required,
                       bool words, struct band_list *out)
{
	struct found f;
	enum got got = cfg_start(s, key, required, &f);
	if (got != GOT_OK)
		return got;
	struct band_error err;
	memset(&err, 0, sizeof(err));
	if (band_list_parse(f.value, words, out, &err))
		return GOT_OK;
	/* Some failures (an empty entry, a missing '*') come without the
	 * entry's text: take it from the value. */
	char entry[INI_LINE_MAX + 1];
	const char *text = err.text;
	if (text[0] == '\0' && err.position > 0)
		text = cfg_item_at(f.value, err.position, entry, sizeof(entry));
	char q[QBUF];
	if (text[0] == '\0')
		cfg_report(s->ld, f.line, s->name, key, "entry %zu: %s",
		           err.position, _(err.reason));
	else
		cfg_report(s->ld, f.line, s->name, key, "entry %zu %s: %s",
		           err.position, cfg_quote(q, sizeof(q), text),
		           _(err.reason));
	return GOT_BAD;
}
