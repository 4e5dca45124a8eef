/* [category.KEY], [kpi.KEY] and [import.kpi]: the sections a rulebook
 * has any number of (or, for [import.kpi], lists of any length). */
#include "config_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpidesk/fixed.h"
#include "kpidesk/text.h"

/* ------------------------------------------------------------------ */
/* [category.KEY]                                                      */

static const char *kind_sign_text(enum rb_kind kind)
{
	return kind == RB_DEDUCTION ? _("<= 0 in a deduction category")
	                            : _(">= 0 in a bonus category");
}

static bool sign_ok(enum rb_kind kind, int64_t value)
{
	return kind == RB_DEDUCTION ? value <= 0 : value >= 0;
}

/* `escalate = N:TOTAL, ...`: N whole, positive, strictly ascending. */
static enum got get_escalate(const struct sect *s, const char *key,
                             struct rb_escalate_step **out, size_t *count)
{
	struct found f;
	enum got got = cfg_start(s, key, false, &f);
	if (got != GOT_OK)
		return got;
	struct rb_escalate_step steps[LIST_MAX];
	size_t n = 0;
	bool bad = false;
	char item[INI_LINE_MAX + 1];
	char q[QBUF];
	const char *cursor = f.value;
	while (cfg_next_item(&cursor, item, sizeof(item))) {
		n++;
		if (n > LIST_MAX) {
			cfg_report(s->ld, f.line, s->name, key,
			           "more than %d entries", LIST_MAX);
			return GOT_BAD;
		}
		char *colon = strchr(item, ':');
		if (!colon) {
			cfg_report(s->ld, f.line, s->name, key,
			           "entry %zu %s: expected N:TOTAL (like 3:-5)",
			           n, cfg_quote(q, sizeof(q), item));
			bad = true;
			continue;
		}
		*colon = '\0';
		int64_t count_value = 0, total = 0;
		bool count_ok =
		    fixed_parse_int(item, 1, COUNT_MAX, &count_value);
		bool total_ok = cfg_parse_number(colon + 1, &cfg_spec_points,
		                                 &total) == NUM_OK;
		*colon = ':';
		if (!count_ok) {
			cfg_report(
			    s->ld, f.line, s->name, key,
			    "entry %zu %s: N must be a whole number from "
			    "1 to 100000",
			    n, cfg_quote(q, sizeof(q), item));
			bad = true;
			continue;
		}
		if (!total_ok) {
			cfg_report(s->ld, f.line, s->name, key,
			           "entry %zu %s: TOTAL is not %s", n,
			           cfg_quote(q, sizeof(q), item),
			           _(cfg_spec_points.expect));
			bad = true;
			continue;
		}
		if (n > 1 && !bad && count_value <= steps[n - 2].count) {
			cfg_report(s->ld, f.line, s->name, key,
			           "entry %zu %s: N must be greater than the "
			           "previous entry's %d",
			           n, cfg_quote(q, sizeof(q), item),
			           (int)steps[n - 2].count);
			bad = true;
			continue;
		}
		steps[n - 1].count = (int32_t)count_value;
		steps[n - 1].total_cp = total;
	}
	if (bad)
		return GOT_BAD;
	*out = malloc(n * sizeof(**out));
	if (!*out) {
		s->ld->nomem = true;
		return GOT_BAD;
	}
	memcpy(*out, steps, n * sizeof(**out));
	*count = n;
	return GOT_OK;
}

/* Hotkeys already taken: by which section, on which line. */
struct hotkey_owner {
	const char *section; /* NULL when free */
	int line;
};

static enum got get_hotkey(const struct sect *s, char *out)
{
	struct found f = cfg_find(s, "hotkey");
	char q[QBUF];
	const char *v = f.value;
	/* A quoted space is blank, but "empty value" would mislead. */
	if (v && v[0] != '\0' && strspn(v, " \t") == strlen(v)) {
		cfg_report(s->ld, f.line, s->name, "hotkey",
		           "a space cannot be a hotkey");
		return GOT_BAD;
	}
	enum got got = cfg_start(s, "hotkey", true, &f);
	if (got != GOT_OK)
		return got;
	if (strlen(v) != 1 || (unsigned char)v[0] < 0x21 ||
	    (unsigned char)v[0] > 0x7E) {
		cfg_report(s->ld, f.line, s->name, "hotkey",
		           "%s is not one printable ASCII character (a letter, "
		           "digit or sign; not a space)",
		           cfg_quote(q, sizeof(q), v));
		return GOT_BAD;
	}
	if (strchr(RB_RESERVED_HOTKEYS, v[0])) {
		cfg_report(s->ld, f.line, s->name, "hotkey",
		           "%s is reserved by the shift desk (reserved: "
		           "q ? u x / j k a e R T [ ] < >)",
		           cfg_quote(q, sizeof(q), v));
		return GOT_BAD;
	}
	if (v[0] >= '0' && v[0] <= '9') {
		cfg_report(s->ld, f.line, s->name, "hotkey",
		           "%s is a digit: on the shift desk digits type the "
		           "quantity before a hotkey (3r = three)",
		           cfg_quote(q, sizeof(q), v));
		return GOT_BAD;
	}
	*out = v[0];
	return GOT_OK;
}

/* `short =`: the label where a column is narrow (issue 11), 2 to 4 display
 * cells as wcwidth() counts them (text_width), so it always fits the
 * narrow columns the desk gives it. */
static void get_short(const struct sect *s, char **out)
{
	char *label = NULL;
	if (cfg_get_text(s, "short", false, &label) != GOT_OK)
		return;
	size_t cells = text_width(label);
	if (cells < 2 || cells > 4) {
		char q[QBUF];
		cfg_report(s->ld, cfg_find(s, "short").line, s->name, "short",
		           "%s is %zu display cell%s wide; a short label "
		           "takes 2 to 4 (a Chinese character takes 2)",
		           cfg_quote(q, sizeof(q), label), cells,
		           cells == 1 ? "" : "s");
		free(label);
		return;
	}
	*out = label;
}

/* Two categories with one short label would read the same in a narrow
 * column: the very ambiguity `short` is there to end. */
static void check_short_repeats(struct loader *ld, const struct rulebook *rb,
                                const struct loc_section **secs)
{
	char q[QBUF];
	for (size_t i = 0; i < rb->category_count; i++) {
		const char *label = rb->categories[i].short_label;
		if (!label)
			continue;
		for (size_t j = 0; j < i; j++) {
			const char *other = rb->categories[j].short_label;
			if (!other || strcmp(label, other) != 0)
				continue;
			struct sect here = {ld, secs[i]->name, secs[i]};
			struct sect first = {ld, secs[j]->name, secs[j]};
			cfg_report(ld, cfg_find(&here, "short").line, here.name,
			           "short",
			           "%s is already the short label of [%s] "
			           "(line %d)",
			           cfg_quote(q, sizeof(q), label), first.name,
			           cfg_find(&first, "short").line);
			break;
		}
	}
}

static void load_category(struct loader *ld, const struct loc_section *sec,
                          struct rb_category *cat,
                          struct hotkey_owner owners[128])
{
	static const char *const kinds[] = {"deduction", "bonus", NULL};
	static const char *const units[] = {"count", "minutes", NULL};
	static const char *const severities[] = {"light", "medium", "severe",
	                                         NULL};
	static const char *const booleans[] = {"false", "true", NULL};
	static const char *const notes[] = {"optional", "required", NULL};
	struct sect s = {ld, sec->name, sec};
	char q[QBUF];

	snprintf(cat->key, sizeof(cat->key), "%s", cfg_section_suffix(sec));
	cat->unit = RB_UNIT_COUNT;
	cat->fine_growth_h = 100;
	cat->severity = RB_SEV_NONE;

	cfg_get_text(&s, "label", true, &cat->label);
	get_short(&s, &cat->short_label);

	if (get_hotkey(&s, &cat->hotkey) == GOT_OK) {
		unsigned char c = (unsigned char)cat->hotkey;
		struct found f = cfg_find(&s, "hotkey");
		if (owners[c].section) {
			cfg_report(ld, f.line, s.name, "hotkey",
			           "%s is already the hotkey of [%s] (line %d)",
			           cfg_quote(q, sizeof(q), f.value),
			           owners[c].section, owners[c].line);
		} else {
			owners[c].section = sec->name;
			owners[c].line = f.line;
		}
	}

	int kind_index = 0;
	enum got got_kind =
	    cfg_get_choice(&s, "kind", true, kinds, &kind_index);
	cat->kind = kind_index == 1 ? RB_BONUS : RB_DEDUCTION;
	bool kind_known = got_kind == GOT_OK;

	int unit_index = 0;
	enum got got_unit =
	    cfg_get_choice(&s, "unit", false, units, &unit_index);
	cat->unit = unit_index == 1 ? RB_UNIT_MINUTES : RB_UNIT_COUNT;

	enum got got_points = cfg_get_number(&s, "points", false,
	                                     &cfg_spec_points, &cat->points_cp);
	enum got got_bands =
	    cfg_get_bands(&s, "bands", false, false, &cat->bands);
	cat->has_bands = got_bands == GOT_OK;

	struct found points_f = cfg_find(&s, "points");
	struct found bands_f = cfg_find(&s, "bands");
	if (got_bands != GOT_ABSENT && got_unit != GOT_BAD &&
	    cat->unit != RB_UNIT_MINUTES)
		cfg_report(ld, bands_f.line, s.name, "bands",
		           "bands needs unit = minutes (a count category has "
		           "fixed points)");
	if (got_bands != GOT_ABSENT && got_points != GOT_ABSENT)
		cfg_report(ld, points_f.line, s.name, "points",
		           "give points or bands, not both");
	if (got_bands == GOT_ABSENT && got_points == GOT_ABSENT) {
		if (cat->unit == RB_UNIT_MINUTES)
			cfg_report(ld, sec->line, s.name, "points",
			           "required key is missing (or give bands, "
			           "from minutes to points)");
		else
			cfg_report(ld, sec->line, s.name, "points",
			           "required key is missing");
	}
	if (kind_known && got_points == GOT_OK &&
	    !sign_ok(cat->kind, cat->points_cp))
		cfg_report(ld, points_f.line, s.name, "points", "%s must be %s",
		           cfg_quote(q, sizeof(q), points_f.value),
		           kind_sign_text(cat->kind));
	if (kind_known && got_bands == GOT_OK) {
		for (size_t i = 0; i < cat->bands.count; i++) {
			if (sign_ok(cat->kind, cat->bands.bands[i].result_h))
				continue;
			char entry[INI_LINE_MAX + 1];
			cfg_report(ld, bands_f.line, s.name, "bands",
			           "entry %zu %s: the points must be %s", i + 1,
			           cfg_quote(q, sizeof(q),
			                     cfg_item_at(bands_f.value, i + 1,
			                                 entry, sizeof(entry))),
			           kind_sign_text(cat->kind));
		}
	}

	int64_t free_count = 0;
	enum got got_free =
	    cfg_get_number(&s, "free", false, &cfg_spec_free, &free_count);
	cat->free_count = (int32_t)free_count;

	enum got got_escalate =
	    get_escalate(&s, "escalate", &cat->escalate, &cat->escalate_count);
	struct found escalate_f = cfg_find(&s, "escalate");
	if (kind_known && got_escalate == GOT_OK) {
		for (size_t i = 0; i < cat->escalate_count; i++) {
			if (sign_ok(cat->kind, cat->escalate[i].total_cp))
				continue;
			char entry[INI_LINE_MAX + 1];
			cfg_report(
			    ld, escalate_f.line, s.name, "escalate",
			    "entry %zu %s: the total must be %s", i + 1,
			    cfg_quote(q, sizeof(q),
			              cfg_item_at(escalate_f.value, i + 1,
			                          entry, sizeof(entry))),
			    kind_sign_text(cat->kind));
		}
	}
	if (got_free != GOT_ABSENT && got_escalate != GOT_ABSENT)
		cfg_report(ld, escalate_f.line, s.name, "escalate",
		           "cannot be combined with free (line %d)",
		           cfg_find(&s, "free").line);

	enum got got_budget = cfg_get_number(&s, "budget", false,
	                                     &cfg_spec_budget, &cat->budget_cp);
	cat->has_budget = got_budget == GOT_OK;
	enum got got_zero =
	    cfg_get_int32(&s, "zero_at", false, &cfg_spec_count, &cat->zero_at);
	if (got_zero != GOT_ABSENT) {
		struct found zero_f = cfg_find(&s, "zero_at");
		if (got_budget == GOT_ABSENT)
			cfg_report(
			    ld, zero_f.line, s.name, "zero_at",
			    "needs budget (the total it sets is -budget)");
		if (kind_known && cat->kind == RB_BONUS)
			cfg_report(
			    ld, zero_f.line, s.name, "zero_at",
			    "only a deduction category can have zero_at");
	}

	int severity = 0;
	if (cfg_get_choice(&s, "severity", false, severities, &severity) ==
	    GOT_OK)
		cat->severity = severity == 0   ? RB_SEV_LIGHT
		                : severity == 1 ? RB_SEV_MEDIUM
		                                : RB_SEV_SEVERE;
	int attendance = 0;
	cfg_get_choice(&s, "attendance", false, booleans, &attendance);
	cat->attendance = attendance == 1;
	cfg_get_number(&s, "fine", false, &cfg_spec_yuan, &cat->fine_fen);
	cfg_get_number(&s, "fine_growth", false, &cfg_spec_growth,
	               &cat->fine_growth_h);
	cfg_get_int32(&s, "dismiss_at", false, &cfg_spec_count,
	              &cat->dismiss_at);
	int note = 0;
	cfg_get_choice(&s, "note", false, notes, &note);
	cat->note_required = note == 1;
}

/* ------------------------------------------------------------------ */
/* [kpi.KEY]                                                           */

static void load_kpi(struct loader *ld, const struct loc_section *sec,
                     struct rb_kpi *kpi, bool *weight_ok)
{
	static const char *const metrics[RB_METRIC_COUNT + 1] = {
	    [RB_METRIC_SALES_PCT] = "sales_pct",
	    [RB_METRIC_CONVERSION] = "conversion",
	    [RB_METRIC_RESPONSE_S] = "response_s",
	    [RB_METRIC_AOV_PCT] = "aov_pct",
	    [RB_METRIC_REPLY_RATE] = "reply_rate",
	    [RB_METRIC_COUNT] = NULL,
	};
	struct sect s = {ld, sec->name, sec};
	char q[QBUF];
	snprintf(kpi->key, sizeof(kpi->key), "%s", cfg_section_suffix(sec));
	cfg_get_text(&s, "label", true, &kpi->label);
	int metric = 0;
	if (cfg_get_choice(&s, "metric", true, metrics, &metric) == GOT_OK)
		kpi->metric = (enum rb_metric)metric;
	*weight_ok = cfg_get_int32(&s, "weight", true, &cfg_spec_weight,
	                           &kpi->weight) == GOT_OK;
	if (cfg_get_bands(&s, "bands", true, false, &kpi->bands) != GOT_OK)
		return;
	struct found f = cfg_find(&s, "bands");
	for (size_t i = 0; i < kpi->bands.count; i++) {
		int64_t r = kpi->bands.bands[i].result_h;
		if (r >= 0 && r <= 10000)
			continue;
		char entry[INI_LINE_MAX + 1];
		cfg_report(ld, f.line, s.name, "bands",
		           "entry %zu %s: the score must be from 0 to 100",
		           i + 1,
		           cfg_quote(q, sizeof(q),
		                     cfg_item_at(f.value, i + 1, entry,
		                                 sizeof(entry))));
	}
}

void cfg_load_categories(struct loader *ld, struct rulebook *rb)
{
	size_t count = cfg_count_sections(ld, SK_CATEGORY);
	if (count == 0) {
		cfg_report(ld, ld->line_count, NULL, NULL,
		           "no [category.KEY] section: the shift desk needs at "
		           "least one category to log");
		return;
	}
	rb->categories = calloc(count, sizeof(*rb->categories));
	if (!rb->categories) {
		ld->nomem = true;
		return;
	}
	rb->category_count = count;
	const struct loc_section **secs = calloc(count, sizeof(*secs));
	if (!secs) {
		ld->nomem = true;
		return;
	}
	struct hotkey_owner owners[128];
	for (size_t c = 0; c < 128; c++)
		owners[c] = (struct hotkey_owner){NULL, 0};
	size_t n = 0;
	for (size_t i = 0; i < ld->section_count && !ld->nomem; i++) {
		const struct loc_section *sec = &ld->sections[i];
		if (sec->group != i ||
		    cfg_section_kind(sec->name) != SK_CATEGORY)
			continue;
		load_category(ld, sec, &rb->categories[n], owners);
		secs[n++] = sec;
	}
	if (!ld->nomem)
		check_short_repeats(ld, rb, secs);
	free(secs);
}

void cfg_load_kpis(struct loader *ld, struct rulebook *rb, int mode_line)
{
	size_t count = cfg_count_sections(ld, SK_KPI);
	if (count == 0) {
		if (rb->mode == RB_MODE_KPI)
			cfg_report(ld, mode_line, "score", "mode",
			           "mode = kpi needs at least one [kpi.KEY] "
			           "section");
		return;
	}
	rb->kpis = calloc(count, sizeof(*rb->kpis));
	if (!rb->kpis) {
		ld->nomem = true;
		return;
	}
	rb->kpi_count = count;
	bool weights_ok = true;
	int64_t weight_sum = 0;
	const struct loc_section *last = NULL;
	size_t n = 0;
	for (size_t i = 0; i < ld->section_count && !ld->nomem; i++) {
		const struct loc_section *sec = &ld->sections[i];
		if (sec->group != i || cfg_section_kind(sec->name) != SK_KPI)
			continue;
		bool weight_ok = false;
		load_kpi(ld, sec, &rb->kpis[n], &weight_ok);
		weights_ok = weights_ok && weight_ok;
		weight_sum += rb->kpis[n].weight;
		last = sec;
		n++;
	}
	if (weights_ok && weight_sum != 100 && last) {
		struct sect s = {ld, last->name, last};
		cfg_report(ld, cfg_find(&s, "weight").line, last->name,
		           "weight",
		           "the weights of all [kpi.*] sections add up to "
		           "%lld; they must add up to 100",
		           (long long)weight_sum);
	}
}

/* ------------------------------------------------------------------ */
/* [import.kpi]                                                        */

/* One header name given for two fields would make the import guess. */
static void check_import_repeats(struct loader *ld, const struct sect *s,
                                 const struct rulebook *rb)
{
	char q[QBUF];
	for (size_t i = 0; i < rb->import_kpi_count; i++) {
		const struct rb_import_names *here = &rb->import_kpi[i];
		for (size_t k = 0; k < here->count; k++) {
			for (size_t j = 0; j < i; j++) {
				const struct rb_import_names *before =
				    &rb->import_kpi[j];
				for (size_t m = 0; m < before->count; m++) {
					if (strcmp(here->names[k],
					           before->names[m]) != 0)
						continue;
					cfg_report(
					    ld, cfg_find(s, here->field).line,
					    s->name, here->field,
					    "%s is already a header name "
					    "for %s (line %d)",
					    cfg_quote(q, sizeof(q),
					              here->names[k]),
					    before->field,
					    cfg_find(s, before->field).line);
				}
			}
		}
	}
}

void cfg_load_import(struct loader *ld, struct rulebook *rb)
{
	struct sect s;
	if (!cfg_open_fixed(ld, SK_IMPORT_KPI, &s) || !s.sec)
		return;
	size_t count = 0;
	for (size_t i = 0; cfg_import_fields[i]; i++)
		count++;
	rb->import_kpi = calloc(count, sizeof(*rb->import_kpi));
	if (!rb->import_kpi) {
		ld->nomem = true;
		return;
	}
	/* Kept in the order the file writes them, as the header promises. */
	int lines[16] = {0};
	size_t n = 0;
	for (size_t i = 0; cfg_import_fields[i] && !ld->nomem; i++) {
		const char *field = cfg_import_fields[i];
		struct rb_import_names names = {{0}, 0, NULL};
		if (cfg_get_text_list(&s, field, &names.names, &names.count) !=
		    GOT_OK)
			continue;
		snprintf(names.field, sizeof(names.field), "%s", field);
		int line = cfg_find(&s, field).line;
		size_t at = n;
		while (at > 0 && lines[at - 1] > line) {
			rb->import_kpi[at] = rb->import_kpi[at - 1];
			lines[at] = lines[at - 1];
			at--;
		}
		rb->import_kpi[at] = names;
		lines[at] = line;
		n++;
		rb->import_kpi_count = n;
	}
	check_import_repeats(ld, &s, rb);
}
