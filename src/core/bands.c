#include "kpidesk/bands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpidesk/fixed.h"
#include "kpidesk/text.h"

/* The reasons are msgids (po/zh_CN.po), translated where a message shows
 * them (src/config/values.c). */
#define N_(s) (s)

static void set_error(struct band_error *err, size_t position,
                      const char *entry, size_t entry_len, const char *reason)
{
	if (!err)
		return;
	err->position = position;
	if (entry_len >= sizeof(err->text))
		entry_len = sizeof(err->text) - 1;
	memcpy(err->text, entry, entry_len);
	err->text[entry_len] = '\0';
	snprintf(err->reason, sizeof(err->reason), "%s", reason);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Grade words: ASCII letters, digits, _ + -, or any non-ASCII character
 * (优, 良: checked as UTF-8 afterwards). */
static bool word_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '+' || c == '-' ||
	       (unsigned char)c >= 0x80;
}

/* Parses one trimmed entry; returns NULL on success or the reason. */
static const char *parse_entry(const char *s, size_t len, bool want_words,
                               struct band *out)
{
	char buf[128];
	if (len >= sizeof(buf))
		return N_("entry is too long");
	memcpy(buf, s, len);
	buf[len] = '\0';

	char *p = buf;
	memset(out, 0, sizeof(*out));
	if (*p == '*') {
		out->op = BAND_ELSE;
		p++;
	} else if (p[0] == '>' && p[1] == '=') {
		out->op = BAND_GE;
		p += 2;
	} else if (p[0] == '<' && p[1] == '=') {
		out->op = BAND_LE;
		p += 2;
	} else if (*p == '>') {
		out->op = BAND_GT;
		p++;
	} else if (*p == '<') {
		out->op = BAND_LT;
		p++;
	} else {
		return N_("expected >, >=, <, <= or * at the start");
	}
	char *colon = strchr(p, ':');
	if (!colon)
		return N_("missing ':' between the threshold and the result");
	*colon = '\0';
	char *result = colon + 1;
	if (out->op != BAND_ELSE) {
		if (!fixed_parse(p, 2, &out->threshold_h))
			return N_("the threshold is not a number (at most 2 "
			          "decimals)");
	} else {
		while (is_space(*p))
			p++;
		if (*p != '\0')
			return N_("nothing may stand between '*' and ':'");
	}
	while (is_space(*result))
		result++;
	size_t rlen = strlen(result);
	while (rlen > 0 && is_space(result[rlen - 1]))
		result[--rlen] = '\0';
	if (rlen == 0)
		return N_("missing result after ':'");
	if (want_words) {
		if (rlen >= BAND_WORD_MAX)
			return N_("the result word is longer than 15 bytes");
		for (size_t i = 0; i < rlen; i++)
			if (!word_char(result[i]))
				return N_("the result must be a word (letters, "
				          "digits, _ + -, Chinese)");
		if (!text_is_utf8(result, rlen))
			return N_("the result is not valid UTF-8 text");
		memcpy(out->result_word, result, rlen + 1);
	} else {
		if (!fixed_parse(result, 2, &out->result_h))
			return N_("the result is not a number (at most 2 "
			          "decimals)");
	}
	return NULL;
}

bool band_list_parse(const char *text, bool want_words, struct band_list *list,
                     struct band_error *err)
{
	memset(list, 0, sizeof(*list));
	list->words = want_words;
	if (!text) {
		set_error(err, 0, "", 0, N_("the list is empty"));
		return false;
	}
	size_t entries = 1;
	for (const char *c = text; *c; c++)
		if (*c == ',')
			entries++;
	struct band *bands = calloc(entries, sizeof(*bands));
	if (!bands) {
		set_error(err, 0, "", 0, N_("out of memory"));
		return false;
	}
	size_t count = 0;
	const char *start = text;
	for (size_t pos = 1;; pos++) {
		const char *end = strchr(start, ',');
		if (!end)
			end = start + strlen(start);
		const char *a = start, *b = end;
		while (a < b && is_space(*a))
			a++;
		while (b > a && is_space(b[-1]))
			b--;
		if (a == b) {
			set_error(err, pos, "", 0, N_("empty entry"));
			goto fail;
		}
		if (count > 0 && bands[count - 1].op == BAND_ELSE) {
			set_error(err, pos, a, (size_t)(b - a),
			          N_("entries after '*' are never reached"));
			goto fail;
		}
		const char *reason =
		    parse_entry(a, (size_t)(b - a), want_words, &bands[count]);
		if (reason) {
			set_error(err, pos, a, (size_t)(b - a), reason);
			goto fail;
		}
		count++;
		if (*end == '\0')
			break;
		start = end + 1;
	}
	if (bands[count - 1].op != BAND_ELSE) {
		set_error(err, count, "", 0,
		          N_("the list must end with '*:RESULT' (otherwise)"));
		goto fail;
	}
	list->bands = bands;
	list->count = count;
	return true;
fail:
	free(bands);
	return false;
}

void band_list_finish(struct band_list *list)
{
	if (!list)
		return;
	free(list->bands);
	list->bands = NULL;
	list->count = 0;
}

bool band_list_copy(struct band_list *dst, const struct band_list *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->words = src->words;
	if (src->count == 0)
		return true;
	dst->bands = malloc(src->count * sizeof(*src->bands));
	if (!dst->bands)
		return false;
	memcpy(dst->bands, src->bands, src->count * sizeof(*src->bands));
	dst->count = src->count;
	return true;
}

const struct band *band_list_match(const struct band_list *list, int64_t num,
                                   int64_t den)
{
	for (size_t i = 0; i < list->count; i++) {
		const struct band *b = &list->bands[i];
		if (b->op == BAND_ELSE)
			return b;
		/* value = num/den against threshold_h/100 */
		int cmp = fixed_ratio_cmp(num, den, b->threshold_h, 100);
		bool hit = (b->op == BAND_GT && cmp > 0) ||
		           (b->op == BAND_GE && cmp >= 0) ||
		           (b->op == BAND_LT && cmp < 0) ||
		           (b->op == BAND_LE && cmp <= 0);
		if (hit)
			return b;
	}
	return list->count ? &list->bands[list->count - 1] : NULL;
}

const struct band *band_list_match_int(const struct band_list *list,
                                       int64_t value)
{
	return band_list_match(list, value, 1);
}

const struct band *band_list_match_h(const struct band_list *list,
                                     int64_t value_h)
{
	return band_list_match(list, value_h, 100);
}
