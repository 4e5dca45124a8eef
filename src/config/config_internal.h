/* Inside the rulebook loader (src/config/): what its files share.
 *
 * The loader reads a rulebook in four steps, one file each:
 *   locate.c      the line locator: finds where each [section] and key is
 *                 (file:line for messages) and reports what iniparser cannot
 *                 (malformed lines, lines too long, repeats, a ';' or '#' that
 *                 would cut a value short); it never reads a value;
 *   load.c        hands the located text to iniparser (the one INI reader),
 *                 in memory, and looks values up in its dictionary; the
 *                 public entry points (kpidesk/config.h);
 *   values.c      the value parsers: numbers, lists, words, text, bands;
 *   sections.c    the fixed sections and the section/key tables;
 *   categories.c  [category.KEY], [kpi.KEY] and [import.kpi].
 * report.c collects the messages, FILE:LINE: [section] key: what is wrong.
 */
#ifndef KPIDESK_CONFIG_INTERNAL_H
#define KPIDESK_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <iniparser.h>
#include <libintl.h>

#include "kpidesk/config.h"
#include "kpidesk/rulebook.h"

/* The loader's messages are English msgids, translated (po/zh_CN.po) when
 * cfg_report formats them; phrase tables are marked with N_ and
 * translated where they are formatted. */
#define CFG_DOMAIN "kpidesk"
#define _(s)       dgettext(CFG_DOMAIN, (s))
#define N_(s)      (s)

/* iniparser 4.1 reads lines into 1024 bytes with fgets: 1022 bytes of text,
 * the newline and the NUL. A longer line fails the whole load. */
#define INI_LINE_MAX 1022
/* A rulebook is a few kilobytes; anything this large is the wrong file. */
#define CONFIG_SIZE_MAX (1024 * 1024)
/* A file of garbage would give one error a line; stop collecting here. */
#define ERROR_CAP 1000
/* Longest list value (shares, awards, top_streak, order, header names). */
#define LIST_MAX 32
/* Limits that keep every later sum far from int64 overflow. */
#define POINTS_LIMIT_CP INT64_C(100000000)  /* 1 000 000 points */
#define MONEY_LIMIT_FEN INT64_C(1000000000) /* 10 000 000 yuan */
#define COUNT_MAX       100000
#define MONTHS_MAX      120
/* Bytes of a user's text quoted in a message. */
#define QUOTE_MAX 60
#define QBUF      (QUOTE_MAX * 2 + 8)

/* Stands in for a malformed section header in the text given to iniparser,
 * so the keys below it do not fall into the previous section. No real
 * section can be named like this (':' separates section and key). */
#define PLACEHOLDER_SECTION "[:invalid:]"

/* ------------------------------------------------------------------ */
/* Storage                                                             */

struct strbuf {
	char *data;
	size_t len;
	size_t cap;
};

bool cfg_buf_append(struct strbuf *sb, const char *s, size_t n);
/* Makes room for one more element; returns the (possibly moved) array or
 * NULL on out of memory, leaving the old array valid. */
void *cfg_grow(void *items, size_t *cap, size_t count, size_t size);
char *cfg_dup_range(const char *s, size_t n);

/* ------------------------------------------------------------------ */
/* What the line locator finds                                         */

struct loc_section {
	char *name; /* trimmed and lower-cased, as iniparser keys it */
	char *raw;  /* trimmed, as written */
	int line;
	size_t group;              /* index of the first section of the name */
	size_t key_begin, key_end; /* its keys in key_refs (group leaders) */
};

struct loc_key {
	size_t section; /* index into sections */
	char *name;     /* trimmed and lower-cased */
	int line;
	bool comment_value; /* the text after '=' starts with ';' or '#' */
};

/* Keys sorted by (section group, name, line): a group's keys are one run,
 * and the first of equal names is the first occurrence. */
struct key_ref {
	size_t group;
	const char *name;
	int line;
	bool comment_value;
};

struct pending_error {
	int line;
	size_t seq;
	char *text;
};

/* One load: where things are, what iniparser read, what is wrong. */
struct loader {
	const char *file; /* FILE in messages */
	/* the line locator's findings */
	struct loc_section *sections;
	size_t section_count, section_cap;
	struct loc_key *keys;
	size_t key_count, key_cap;
	struct key_ref *key_refs;
	int line_count; /* lines in the file: where a missing section goes */
	/* the messages */
	struct pending_error *errors;
	size_t error_count, error_cap;
	size_t errors_dropped;
	bool nomem;
	/* iniparser's dictionary of the located text */
	dictionary *dict;
	const char *ini_path; /* while iniparser reads it */
};

void cfg_loader_finish(struct loader *ld);

/* ------------------------------------------------------------------ */
/* Messages (report.c)                                                 */

/* Records "FILE:LINE: [section] key: message"; the section and key parts
 * are left out when NULL ("FILE:LINE: [section]: message" with no key). */
__attribute__((format(printf, 5, 6))) void
cfg_report(struct loader *ld, int line, const char *section, const char *key,
           const char *fmt, ...);
/* The user's text, sanitized and cut, in double quotes, for a message. */
const char *cfg_quote(char *buf, size_t size, const char *text);
/* Moves the collected errors, in file order, into *errors. */
void cfg_hand_over_errors(struct loader *ld, struct config_errors *errors);

/* Small text helpers. */
bool cfg_space(char c);
char *cfg_strip(char *s);
bool cfg_valid_key(const char *key);
const char *cfg_closest_word(const char *word, const char *const *words);
const char *cfg_join_words(char *buf, size_t size, const char *const *words);
/* Iterates over the comma-separated items of a value: copies the next
 * item, trimmed, into buf (cut to size - 1 bytes) and advances *cursor.
 * Returns false when no item is left. "a," has the items "a" and "". */
bool cfg_next_item(const char **cursor, char *buf, size_t size);
/* The `position`-th (1-based) comma-separated item of text, for messages. */
const char *cfg_item_at(const char *text, size_t position, char *buf,
                        size_t size);
const char *cfg_format_cp(char *buf, size_t size, int64_t value, int scale);

/* ------------------------------------------------------------------ */
/* The line locator (locate.c)                                         */

/* Locates every section and key of the text (BOM already removed) and
 * writes the copy iniparser will read into *out: malformed lines blanked,
 * malformed section headers replaced by PLACEHOLDER_SECTION. */
void cfg_locate_lines(struct loader *ld, const char *text, size_t len,
                      struct strbuf *out);
/* Groups repeated sections and sorts the keys, reporting repeated
 * sections and keys set twice in one section. */
void cfg_locate_index(struct loader *ld);
/* The first section of that (lower-case) name, or NULL. */
const struct loc_section *cfg_find_section(const struct loader *ld,
                                           const char *name);

/* ------------------------------------------------------------------ */
/* Values (load.c looks up, values.c parses)                           */

/* One section as the validators see it. `sec` is NULL for an optional
 * section the file leaves out: every key is then absent. */
struct sect {
	struct loader *ld;
	const char *name; /* for messages */
	const struct loc_section *sec;
};

struct found {
	const char *value; /* NULL when the key is absent */
	int line;          /* the key's line, or the header's when absent */
	bool comment_value;
};

struct found cfg_find(const struct sect *s, const char *key);

enum got { GOT_ABSENT, GOT_OK, GOT_BAD };

/* Common start of every getter: absent (reported if required) or empty. */
enum got cfg_start(const struct sect *s, const char *key, bool required,
                   struct found *f);

struct num_spec {
	int scale;          /* decimals kept: 0 for whole numbers */
	int64_t min, max;   /* scaled */
	const char *expect; /* "a whole number (like 3)" */
	const char *range;  /* "from 1 to 100000" */
};

extern const struct num_spec cfg_spec_points, cfg_spec_budget, cfg_spec_yuan,
    cfg_spec_growth, cfg_spec_rate, cfg_spec_percent, cfg_spec_free,
    cfg_spec_count, cfg_spec_months, cfg_spec_weight;

enum num_result { NUM_OK, NUM_NOT_NUMBER, NUM_RANGE };

enum num_result cfg_parse_number(const char *text, const struct num_spec *spec,
                                 int64_t *out);
enum got cfg_get_number(const struct sect *s, const char *key, bool required,
                        const struct num_spec *spec, int64_t *out);
enum got cfg_get_int32(const struct sect *s, const char *key, bool required,
                       const struct num_spec *spec, int32_t *out);
/* A comma-separated list of numbers, at least one, at most LIST_MAX. */
enum got cfg_get_number_list(const struct sect *s, const char *key,
                             bool required, const struct num_spec *spec,
                             int64_t **out, size_t *count);
/* One of a fixed set of words; *out gets its index. */
enum got cfg_get_choice(const struct sect *s, const char *key, bool required,
                        const char *const *choices, int *out);
/* Text shown on screen (labels, names): UTF-8, nothing invisible or
 * controlling the terminal, not blank. */
enum got cfg_get_text(const struct sect *s, const char *key, bool required,
                      char **out);
/* A comma-separated list of names, each checked like cfg_get_text. */
enum got cfg_get_text_list(const struct sect *s, const char *key, char ***out,
                           size_t *count);
/* A band list (RULEBOOK.md section 2); its errors name the entry. */
enum got cfg_get_bands(const struct sect *s, const char *key, bool required,
                       bool words, struct band_list *out);

/* ------------------------------------------------------------------ */
/* Sections (sections.c, categories.c)                                 */

enum section_kind {
	SK_TEAM,
	SK_SCORE,
	SK_COMBO,
	SK_GRADES,
	SK_PAY,
	SK_BONUS,
	SK_AWARD,
	SK_TIERS,
	SK_REVIEW,
	SK_CATEGORY,
	SK_TIER,
	SK_KPI,
	SK_IMPORT_KPI,
	SK_COUNT,
	SK_UNKNOWN = SK_COUNT
};

/* The keys of [import.kpi]; NULL-terminated. */
extern const char *const cfg_import_fields[];

enum section_kind cfg_section_kind(const char *name);
/* The KEY of [category.KEY], as written (not lower-cased). */
const char *cfg_section_suffix(const struct loc_section *sec);
size_t cfg_count_sections(const struct loader *ld, enum section_kind kind);
/* The fixed section of that kind; reports it missing if required. */
bool cfg_open_fixed(struct loader *ld, enum section_kind kind, struct sect *s);
/* Checks section names and keys: unknown ones, bad KEYs, repeats. */
void cfg_check_structure(struct loader *ld);

void cfg_load_team(struct loader *ld, struct rulebook *rb);
void cfg_load_score(struct loader *ld, struct rulebook *rb, int *mode_line);
void cfg_load_combo(struct loader *ld, struct rulebook *rb);
void cfg_load_grades(struct loader *ld, struct rulebook *rb);
void cfg_load_pay(struct loader *ld, struct rulebook *rb);
void cfg_load_bonus(struct loader *ld, struct rulebook *rb);
void cfg_load_award(struct loader *ld, struct rulebook *rb);
void cfg_load_tiers(struct loader *ld, struct rulebook *rb);
void cfg_load_review(struct loader *ld, struct rulebook *rb);
void cfg_load_categories(struct loader *ld, struct rulebook *rb);
void cfg_load_kpis(struct loader *ld, struct rulebook *rb, int mode_line);
void cfg_load_import(struct loader *ld, struct rulebook *rb);

#endif
