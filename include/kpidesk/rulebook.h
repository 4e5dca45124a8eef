/* The rulebook: RULEBOOK.md as a plain struct.
 *
 * Built by the config loader (kpidesk/config.h) from an INI file, read by the
 * scoring engine. Every number is fixed point: points in centi-points (_cp),
 * money in fen (_fen), percentages in hundredths of a percent (_bp, "basis
 * points": 40% = 4000), rates in millionths (_ppm).
 *
 * A rulebook owns all its memory; rulebook_destroy(NULL) is safe.
 */
#ifndef KPIDESK_RULEBOOK_H
#define KPIDESK_RULEBOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kpidesk/bands.h"

#define RB_KEY_MAX 32 /* category, tier and kpi keys: [a-z0-9_]{1,31} */

enum rb_kind { RB_DEDUCTION, RB_BONUS };
enum rb_unit { RB_UNIT_COUNT, RB_UNIT_MINUTES };
enum rb_severity { RB_SEV_NONE, RB_SEV_LIGHT, RB_SEV_MEDIUM, RB_SEV_SEVERE };
enum rb_score_mode { RB_MODE_FIXED, RB_MODE_KPI };

/* The metrics a [kpi.NAME] section can score (RULEBOOK.md section 8). */
enum rb_metric {
	RB_METRIC_SALES_PCT,
	RB_METRIC_CONVERSION,
	RB_METRIC_RESPONSE_S,
	RB_METRIC_AOV_PCT,
	RB_METRIC_REPLY_RATE,
	RB_METRIC_COUNT
};

/* "sales_pct", ... ; NULL for an out-of-range value. */
const char *rb_metric_name(enum rb_metric metric);

struct rb_escalate_step {
	int32_t count;    /* N: the month's occurrence count that triggers it */
	int64_t total_cp; /* TOTAL: the category total once N is reached */
};

/* One [category.KEY] section (RULEBOOK.md section 3). */
struct rb_category {
	char key[RB_KEY_MAX];
	char *label;
	char hotkey;
	enum rb_kind kind;
	enum rb_unit unit;
	int64_t points_cp;      /* per occurrence; unused when has_bands */
	bool has_bands;         /* unit = minutes with a band list */
	struct band_list bands; /* minutes -> points (hundredths) */
	int32_t free_count;     /* 0 = none */
	size_t escalate_count;  /* 0 = none */
	struct rb_escalate_step *escalate; /* ascending count */
	bool has_budget;
	int64_t budget_cp; /* > 0 */
	int32_t zero_at;   /* 0 = none; needs has_budget */
	enum rb_severity severity;
	bool attendance;
	int64_t fine_fen;      /* per occurrence, 0 = none */
	int64_t fine_growth_h; /* hundredths: 100 = x1, 200 = x2 */
	int32_t dismiss_at;    /* 0 = none */
	bool note_required;
	/* `short =`: 2-4 display cells for narrow columns; NULL when absent. */
	char *short_label;
};

/* One [tier.KEY] section; `order` in [tiers] gives their sequence. */
struct rb_tier {
	char key[RB_KEY_MAX];
	char *label;
	bool can_promote; /* has promote_* keys (not the top tier) */
	int64_t promote_score_cp;
	int32_t promote_months;
	int32_t min_months;
};

/* One [kpi.NAME] section. */
struct rb_kpi {
	char key[RB_KEY_MAX];
	char *label;
	enum rb_metric metric;
	int32_t weight;         /* whole points; all weights sum to 100 */
	struct band_list bands; /* metric value -> 0..100 (hundredths) */
};

/* One key of [import.kpi]: extra header names for one import field
 * (RULEBOOK.md section 8), in the order written. */
struct rb_import_names {
	char field[RB_KEY_MAX]; /* "agent", "sales", "target", ... */
	size_t count;
	char **names;
};

struct rulebook {
	char *team_name;
	/* [team] lead: the person the audit names; NULL when absent. */
	char *lead_name;

	/* [score] */
	enum rb_score_mode mode;
	int64_t base_cp;
	int64_t min_cp;
	int64_t max_cp;

	/* [combo]: a threshold of 0 means the key is absent. */
	int32_t combo_light;
	int32_t combo_medium;
	int64_t combo_points_cp;

	/* [grades] */
	struct band_list grades; /* words */

	/* [pay] */
	int64_t pay_baseline_cp;
	int64_t pay_per_point_fen; /* yuan per point, in fen */
	int64_t pay_cap_fen;
	int32_t pay_from_month;

	/* [bonus] */
	int64_t bonus_min_score_cp;
	int64_t bonus_pool_rate_ppm;
	size_t bonus_share_count;
	int64_t *bonus_shares_bp; /* shares[i], percent of the pool */
	size_t bonus_award_count;
	int64_t *bonus_awards_fen; /* awards[i] */
	int64_t bonus_rest_share_bp;

	/* [award] */
	size_t top_streak_count;
	int64_t *top_streak_fen;
	int64_t full_attendance_fen;

	/* [tiers] and [tier.KEY], in `order` */
	size_t tier_count;
	struct rb_tier *tiers;
	int64_t demote_below_cp;
	int32_t demote_months;

	/* [review] */
	int64_t dismiss_below_cp;
	int64_t last_place_below_cp;
	int32_t last_place_months;

	/* [category.KEY], in file order */
	size_t category_count;
	struct rb_category *categories;

	/* [kpi.NAME], in file order (only meaningful with mode = kpi) */
	size_t kpi_count;
	struct rb_kpi *kpis;

	/* [import.kpi], in file order; empty when the section is absent. */
	size_t import_kpi_count;
	struct rb_import_names *import_kpi;

	/* The text the rulebook was read from, for snapshots of closed months.
	 */
	char *source_text;
	/* Where it was read from: a path, or "(built-in rulebook)". */
	char *source_name;
};

/* An empty rulebook with every pointer NULL and every count 0. */
struct rulebook *rulebook_create(void);
void rulebook_destroy(struct rulebook *rb);

/* Lookups; NULL / -1 when absent. */
const struct rb_category *rulebook_category(const struct rulebook *rb,
                                            const char *key);
int rulebook_category_index(const struct rulebook *rb, const char *key);
/* The category a hotkey logs, or NULL. */
const struct rb_category *rulebook_category_by_hotkey(const struct rulebook *rb,
                                                      char hotkey);
int rulebook_tier_index(const struct rulebook *rb, const char *key);

/* The keys the shift desk reserves (PRODUCT.md): a category hotkey may not be
 * one of them. Printable ASCII only; Tab, Enter, Esc, arrows and function
 * keys are not printable and so can never collide. */
#define RB_RESERVED_HOTKEYS "q?ux/jkaeRT[]<>"

#endif
