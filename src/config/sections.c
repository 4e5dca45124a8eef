/* The rulebook's sections: which exist and which keys each has, and the
 * fixed sections ([team], [score], [combo], [grades], [pay], [bonus],
 * [award], [tiers] with [tier.KEY], [review]). */
#include "config_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Sections                                                            */

static const char *const team_keys[] = {"name", "lead", NULL};
static const char *const score_keys[] = {"mode", "base", "min", "max", NULL};
static const char *const combo_keys[] = {"light", "medium", "points", NULL};
static const char *const grades_keys[] = {"bands", NULL};
static const char *const pay_keys[] = {"baseline", "per_point", "cap",
                                       "from_month", NULL};
static const char *const bonus_keys[] = {"min_score", "pool_rate",  "shares",
                                         "awards",    "rest_share", NULL};
static const char *const award_keys[] = {"top_streak", "full_attendance", NULL};
static const char *const tiers_keys[] = {"order", "demote_below",
                                         "demote_months", NULL};
static const char *const review_keys[] = {"dismiss_below", "last_place_below",
                                          "last_place_months", NULL};
static const char *const category_keys[] = {
    "label", "hotkey",      "kind",       "unit",    "points",   "bands",
    "free",  "escalate",    "budget",     "zero_at", "severity", "attendance",
    "fine",  "fine_growth", "dismiss_at", "note",    "short",    NULL};
static const char *const tier_keys[] = {"label", "promote_score",
                                        "promote_months", "min_months", NULL};
static const char *const kpi_keys[] = {"label", "metric", "weight", "bands",
                                       NULL};
/* The import fields of RULEBOOK.md section 8, in the order of that table. */
const char *const cfg_import_fields[] = {
    "agent",      "sales",      "target", "inquiries",  "buyers",
    "conversion", "response_s", "aov",    "reply_rate", NULL};

static const struct section_info {
	const char *name; /* fixed name, or the prefix before '.' */
	bool prefixed;    /* [name.KEY] */
	bool required;    /* a fixed section the file must have */
	const char *const *keys;
} section_infos[SK_COUNT] = {
    [SK_TEAM] = {"team", false, true, team_keys},
    [SK_SCORE] = {"score", false, false, score_keys},
    [SK_COMBO] = {"combo", false, false, combo_keys},
    [SK_GRADES] = {"grades", false, true, grades_keys},
    [SK_PAY] = {"pay", false, true, pay_keys},
    [SK_BONUS] = {"bonus", false, true, bonus_keys},
    [SK_AWARD] = {"award", false, true, award_keys},
    [SK_TIERS] = {"tiers", false, true, tiers_keys},
    [SK_REVIEW] = {"review", false, true, review_keys},
    [SK_CATEGORY] = {"category", true, false, category_keys},
    [SK_TIER] = {"tier", true, false, tier_keys},
    [SK_KPI] = {"kpi", true, false, kpi_keys},
    [SK_IMPORT_KPI] = {"import.kpi", false, false, cfg_import_fields},
};

enum section_kind cfg_section_kind(const char *name)
{
	for (int k = 0; k < SK_COUNT; k++) {
		const struct section_info *info = &section_infos[k];
		size_t n = strlen(info->name);
		if (!info->prefixed) {
			if (strcmp(name, info->name) == 0)
				return (enum section_kind)k;
		} else if (strncmp(name, info->name, n) == 0 &&
		           name[n] == '.') {
			return (enum section_kind)k;
		}
	}
	return SK_UNKNOWN;
}

/* The KEY of [category.KEY], as written (not lower-cased). */
const char *cfg_section_suffix(const struct loc_section *sec)
{
	const char *dot = strchr(sec->raw, '.');
	return dot ? dot + 1 : "";
}

static void report_unknown_section(struct loader *ld,
                                   const struct loc_section *sec)
{
	char guess[96];
	const char *dot = strchr(sec->name, '.');
	const char *suggestion = NULL;
	if (dot) {
		static const char *const import[] = {"import", NULL};
		char head[40];
		size_t n = (size_t)(dot - sec->name);
		if (n < sizeof(head)) {
			memcpy(head, sec->name, n);
			head[n] = '\0';
			static const char *const prefixes[] = {
			    "category", "tier", "kpi", NULL};
			const char *p = cfg_closest_word(head, prefixes);
			if (cfg_closest_word(head, import)) {
				/* [import.X]: only [import.kpi] exists. */
				suggestion = "import.kpi";
			} else if (p) {
				snprintf(guess, sizeof(guess), "%s%.40s", p,
				         dot);
				suggestion = guess;
			}
		}
	} else {
		static const char *const fixed[] = {
		    "team",  "score", "combo", "grades", "pay",
		    "bonus", "award", "tiers", "review", NULL};
		suggestion = cfg_closest_word(sec->name, fixed);
	}
	if (suggestion) {
		cfg_report(ld, sec->line, sec->name, NULL,
		           "unknown section; did you mean [%s]?", suggestion);
		return;
	}
	cfg_report(ld, sec->line, sec->name, NULL,
	           "unknown section; the sections are [team], [score], "
	           "[combo], [grades], [pay], [bonus], [award], [tiers], "
	           "[tier.KEY], [review], [category.KEY], [kpi.KEY] and "
	           "[import.kpi]");
}

/* Reports keys the section does not define (the locator reports keys set
 * twice). */
static void check_section_keys(struct loader *ld, const struct loc_section *sec,
                               enum section_kind kind)
{
	const char *const *allowed = section_infos[kind].keys;
	for (size_t i = sec->key_begin; i < sec->key_end; i++) {
		const struct key_ref *ref = &ld->key_refs[i];
		bool known = false;
		for (size_t j = 0; allowed[j]; j++) {
			if (strcmp(ref->name, allowed[j]) == 0)
				known = true;
		}
		if (!known) {
			const char *guess =
			    cfg_closest_word(ref->name, allowed);
			char list[512];
			if (guess)
				cfg_report(ld, ref->line, sec->name, ref->name,
				           "unknown key; did you mean %s?",
				           guess);
			else
				cfg_report(
				    ld, ref->line, sec->name, ref->name,
				    "unknown key; the keys of this section "
				    "are: %s",
				    cfg_join_words(list, sizeof(list),
				                   allowed));
		}
	}
}

const struct loc_section *cfg_find_section(const struct loader *ld,
                                           const char *name)
{
	for (size_t i = 0; i < ld->section_count; i++) {
		if (ld->sections[i].group == i &&
		    strcmp(ld->sections[i].name, name) == 0)
			return &ld->sections[i];
	}
	return NULL;
}

/* The fixed section named `name`; reports it missing if required. */
bool cfg_open_fixed(struct loader *ld, enum section_kind kind, struct sect *s)
{
	const struct section_info *info = &section_infos[kind];
	s->ld = ld;
	s->name = info->name;
	s->sec = cfg_find_section(ld, info->name);
	if (!s->sec && info->required) {
		cfg_report(ld, ld->line_count, info->name, NULL,
		           "required section is missing");
		return false;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* The fixed sections                                                  */

void cfg_load_team(struct loader *ld, struct rulebook *rb)
{
	struct sect s;
	if (!cfg_open_fixed(ld, SK_TEAM, &s))
		return;
	cfg_get_text(&s, "name", true, &rb->team_name);
	/* The person the audit names (issue 11); the login name without. */
	cfg_get_text(&s, "lead", false, &rb->lead_name);
}

void cfg_load_score(struct loader *ld, struct rulebook *rb, int *mode_line)
{
	static const char *const modes[] = {"fixed", "kpi", NULL};
	struct sect s;
	rb->mode = RB_MODE_FIXED;
	rb->base_cp = 8000;
	rb->min_cp = 0;
	rb->max_cp = 11000;
	if (!cfg_open_fixed(ld, SK_SCORE, &s))
		return;
	int mode = RB_MODE_FIXED;
	if (cfg_get_choice(&s, "mode", false, modes, &mode) == GOT_OK)
		rb->mode = mode == 1 ? RB_MODE_KPI : RB_MODE_FIXED;
	*mode_line = cfg_find(&s, "mode").line;
	cfg_get_number(&s, "base", false, &cfg_spec_points, &rb->base_cp);
	enum got got_min =
	    cfg_get_number(&s, "min", false, &cfg_spec_points, &rb->min_cp);
	enum got got_max =
	    cfg_get_number(&s, "max", false, &cfg_spec_points, &rb->max_cp);
	if (got_min != GOT_BAD && got_max != GOT_BAD &&
	    rb->min_cp > rb->max_cp) {
		char lo[32], hi[32];
		struct found f =
		    cfg_find(&s, got_max == GOT_OK ? "max" : "min");
		cfg_report(ld, f.line, s.name,
		           got_max == GOT_OK ? "max" : "min",
		           "max (%s) is below min (%s)",
		           cfg_format_cp(hi, sizeof(hi), rb->max_cp, 2),
		           cfg_format_cp(lo, sizeof(lo), rb->min_cp, 2));
	}
}

void cfg_load_combo(struct loader *ld, struct rulebook *rb)
{
	struct sect s;
	rb->combo_light = 0;
	rb->combo_medium = 0;
	rb->combo_points_cp = 0;
	if (!cfg_open_fixed(ld, SK_COMBO, &s) || !s.sec)
		return;
	enum got light = cfg_get_int32(&s, "light", false, &cfg_spec_count,
	                               &rb->combo_light);
	enum got medium = cfg_get_int32(&s, "medium", false, &cfg_spec_count,
	                                &rb->combo_medium);
	bool has_threshold = light != GOT_ABSENT || medium != GOT_ABSENT;
	enum got points =
	    cfg_get_number(&s, "points", has_threshold, &cfg_spec_points,
	                   &rb->combo_points_cp);
	if (points != GOT_ABSENT && !has_threshold)
		cfg_report(ld, cfg_find(&s, "points").line, s.name, "points",
		           "has no effect without light or medium");
}

void cfg_load_grades(struct loader *ld, struct rulebook *rb)
{
	struct sect s;
	if (!cfg_open_fixed(ld, SK_GRADES, &s))
		return;
	cfg_get_bands(&s, "bands", true, true, &rb->grades);
}

void cfg_load_pay(struct loader *ld, struct rulebook *rb)
{
	struct sect s;
	if (!cfg_open_fixed(ld, SK_PAY, &s))
		return;
	cfg_get_number(&s, "baseline", true, &cfg_spec_points,
	               &rb->pay_baseline_cp);
	cfg_get_number(&s, "per_point", true, &cfg_spec_yuan,
	               &rb->pay_per_point_fen);
	cfg_get_number(&s, "cap", true, &cfg_spec_yuan, &rb->pay_cap_fen);
	cfg_get_int32(&s, "from_month", true, &cfg_spec_months,
	              &rb->pay_from_month);
}

void cfg_load_bonus(struct loader *ld, struct rulebook *rb)
{
	struct sect s;
	if (!cfg_open_fixed(ld, SK_BONUS, &s))
		return;
	cfg_get_number(&s, "min_score", true, &cfg_spec_points,
	               &rb->bonus_min_score_cp);
	cfg_get_number(&s, "pool_rate", true, &cfg_spec_rate,
	               &rb->bonus_pool_rate_ppm);
	enum got shares =
	    cfg_get_number_list(&s, "shares", true, &cfg_spec_percent,
	                        &rb->bonus_shares_bp, &rb->bonus_share_count);
	cfg_get_number_list(&s, "awards", true, &cfg_spec_yuan,
	                    &rb->bonus_awards_fen, &rb->bonus_award_count);
	enum got rest =
	    cfg_get_number(&s, "rest_share", true, &cfg_spec_percent,
	                   &rb->bonus_rest_share_bp);
	if (shares == GOT_OK && rest == GOT_OK) {
		int64_t total = rb->bonus_rest_share_bp;
		for (size_t i = 0; i < rb->bonus_share_count; i++)
			total += rb->bonus_shares_bp[i];
		if (total > 10000) {
			char sum[32];
			cfg_report(ld, cfg_find(&s, "rest_share").line, s.name,
			           "rest_share",
			           "shares and rest_share add up to %s%%, more "
			           "than the whole pool (100%%)",
			           cfg_format_cp(sum, sizeof(sum), total, 2));
		}
	}
}

void cfg_load_award(struct loader *ld, struct rulebook *rb)
{
	struct sect s;
	if (!cfg_open_fixed(ld, SK_AWARD, &s))
		return;
	cfg_get_number_list(&s, "top_streak", true, &cfg_spec_yuan,
	                    &rb->top_streak_fen, &rb->top_streak_count);
	cfg_get_number(&s, "full_attendance", true, &cfg_spec_yuan,
	               &rb->full_attendance_fen);
}

void cfg_load_review(struct loader *ld, struct rulebook *rb)
{
	struct sect s;
	if (!cfg_open_fixed(ld, SK_REVIEW, &s))
		return;
	cfg_get_number(&s, "dismiss_below", true, &cfg_spec_points,
	               &rb->dismiss_below_cp);
	cfg_get_number(&s, "last_place_below", true, &cfg_spec_points,
	               &rb->last_place_below_cp);
	cfg_get_int32(&s, "last_place_months", true, &cfg_spec_months,
	              &rb->last_place_months);
}

/* ------------------------------------------------------------------ */
/* [tiers] and [tier.KEY]                                              */

static void load_tier(struct loader *ld, const struct loc_section *sec,
                      struct rb_tier *tier, bool top)
{
	struct sect s = {ld, sec->name, sec};
	snprintf(tier->key, sizeof(tier->key), "%s", cfg_section_suffix(sec));
	cfg_get_text(&s, "label", true, &tier->label);
	enum got score =
	    cfg_get_number(&s, "promote_score", false, &cfg_spec_points,
	                   &tier->promote_score_cp);
	enum got months =
	    cfg_get_int32(&s, "promote_months", false, &cfg_spec_months,
	                  &tier->promote_months);
	enum got min = cfg_get_int32(&s, "min_months", false, &cfg_spec_months,
	                             &tier->min_months);
	static const char *const names[] = {"promote_score", "promote_months",
	                                    "min_months"};
	enum got got[3] = {score, months, min};
	int present = 0;
	for (int i = 0; i < 3; i++)
		present += got[i] != GOT_ABSENT;
	if (top) {
		for (int i = 0; i < 3; i++) {
			if (got[i] == GOT_ABSENT)
				continue;
			cfg_report(
			    ld, cfg_find(&s, names[i]).line, s.name, names[i],
			    "the top tier (last in [tiers] order) has no "
			    "promotion");
		}
		return;
	}
	if (present == 0)
		return;
	if (present < 3) {
		for (int i = 0; i < 3; i++) {
			if (got[i] != GOT_ABSENT)
				continue;
			cfg_report(ld, sec->line, s.name, names[i],
			           "required with the other promotion keys "
			           "(promote_score, promote_months and "
			           "min_months go together)");
		}
		return;
	}
	tier->can_promote =
	    score == GOT_OK && months == GOT_OK && min == GOT_OK;
}

/* Reads [tiers] order into keys[]: its valid, unique items. */
static size_t load_tier_order(const struct sect *s, char keys[][RB_KEY_MAX])
{
	struct found f;
	if (cfg_start(s, "order", true, &f) != GOT_OK)
		return 0;
	char item[INI_LINE_MAX + 1];
	char q[QBUF];
	size_t n = 0;
	const char *cursor = f.value;
	for (size_t position = 1; cfg_next_item(&cursor, item, sizeof(item));
	     position++) {
		if (position > LIST_MAX) {
			cfg_report(s->ld, f.line, s->name, "order",
			           "more than %d tiers", LIST_MAX);
			return 0;
		}
		if (!cfg_valid_key(item)) {
			cfg_report(s->ld, f.line, s->name, "order",
			           "item %zu %s is not a tier key (1 to 31 of "
			           "a-z, 0-9 and _)",
			           position, cfg_quote(q, sizeof(q), item));
			continue;
		}
		bool repeated = false;
		for (size_t i = 0; i < n; i++)
			repeated = repeated || strcmp(keys[i], item) == 0;
		if (repeated) {
			cfg_report(s->ld, f.line, s->name, "order",
			           "item %zu %s is listed twice", position,
			           cfg_quote(q, sizeof(q), item));
			continue;
		}
		/* cfg_valid_key() has checked it fits. */
		memcpy(keys[n++], item, strlen(item) + 1);
	}
	return n;
}

void cfg_load_tiers(struct loader *ld, struct rulebook *rb)
{
	struct sect s;
	bool have = cfg_open_fixed(ld, SK_TIERS, &s);
	char order[LIST_MAX][RB_KEY_MAX];
	size_t order_count = 0;
	int order_line = 0;
	if (have) {
		order_count = load_tier_order(&s, order);
		order_line = cfg_find(&s, "order").line;
		cfg_get_number(&s, "demote_below", true, &cfg_spec_points,
		               &rb->demote_below_cp);
		cfg_get_int32(&s, "demote_months", true, &cfg_spec_months,
		              &rb->demote_months);
	}

	/* The valid items of a bad order are still checked, to report every
	 * error; the rulebook is refused anyway. */
	if (order_count > 0) {
		rb->tiers = calloc(order_count, sizeof(*rb->tiers));
		if (!rb->tiers) {
			ld->nomem = true;
			return;
		}
		rb->tier_count = order_count;
	}
	/* Every tier named in order needs its section. */
	for (size_t i = 0; i < order_count; i++) {
		char name[RB_KEY_MAX + 8];
		snprintf(name, sizeof(name), "tier.%.31s", order[i]);
		const struct loc_section *sec = cfg_find_section(ld, name);
		if (!sec) {
			cfg_report(ld, order_line, "tiers", "order",
			           "tier \"%s\" has no [tier.%s] section",
			           order[i], order[i]);
			continue;
		}
		load_tier(ld, sec, &rb->tiers[i], i + 1 == order_count);
	}
	/* And every [tier.KEY] must be named in order. */
	for (size_t i = 0; i < ld->section_count; i++) {
		const struct loc_section *sec = &ld->sections[i];
		if (sec->group != i || cfg_section_kind(sec->name) != SK_TIER)
			continue;
		const char *key = sec->name + strlen("tier.");
		bool listed = false;
		for (size_t j = 0; j < order_count; j++)
			listed = listed || strcmp(order[j], key) == 0;
		if (listed)
			continue;
		if (have)
			cfg_report(ld, sec->line, sec->name, NULL,
			           "tier not listed in [tiers] order");
		/* Still check its keys, to report every error. */
		struct rb_tier scratch;
		memset(&scratch, 0, sizeof(scratch));
		load_tier(ld, sec, &scratch, false);
		free(scratch.label);
	}
}

/* ------------------------------------------------------------------ */
/* The whole file                                                      */

size_t cfg_count_sections(const struct loader *ld, enum section_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < ld->section_count; i++) {
		if (ld->sections[i].group == i &&
		    cfg_section_kind(ld->sections[i].name) == kind)
			n++;
	}
	return n;
}

/* Checks section names and keys: unknown ones, bad KEYs, repeats. */
void cfg_check_structure(struct loader *ld)
{
	for (size_t i = 0; i < ld->section_count; i++) {
		const struct loc_section *sec = &ld->sections[i];
		if (sec->group != i)
			continue;
		enum section_kind kind = cfg_section_kind(sec->name);
		if (kind == SK_UNKNOWN) {
			report_unknown_section(ld, sec);
			continue;
		}
		if (section_infos[kind].prefixed) {
			const char *key = cfg_section_suffix(sec);
			char q[QBUF];
			if (!cfg_valid_key(key))
				cfg_report(
				    ld, sec->line, sec->raw, NULL,
				    "%s is not a valid %s key (1 to 31 of "
				    "a-z, 0-9 and _)",
				    cfg_quote(q, sizeof(q), key),
				    section_infos[kind].name);
		}
		check_section_keys(ld, sec, kind);
	}
}
