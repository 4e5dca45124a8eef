/* The scoring engine: RULEBOOK.md sections 3 to 10, pure.
 *
 * From a rulebook, the agents, the events of a month and of its look-back
 * months, KPI metrics and the month's silent-order sales, score_month()
 * computes the month's board. It does no I/O; the command line, the shift
 * desk and the reports all call it, so a number never differs between two
 * screens. All arithmetic is integer: centi-points (_cp) and fen (_fen).
 */
#ifndef KPIDESK_SCORE_H
#define KPIDESK_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kpidesk/bands.h"
#include "kpidesk/date.h"
#include "kpidesk/rulebook.h"
#include "kpidesk/status.h"

/* An agent's tier from a month on (RULEBOOK.md section 10). */
struct score_tier_span {
	kd_month since;
	const char *tier_key; /* a key of [tiers] order, or unknown */
};

struct score_agent {
	int64_t id;
	const char *name;
	const char *handle; /* may be NULL */
	kd_date hired;
	kd_date left; /* KD_DATE_NONE while employed */
	size_t tier_count;
	const struct score_tier_span *tiers; /* ascending by since */
};

/* One logged event. Entry order is id order (ids grow as entries are made). */
struct score_event {
	int64_t id;
	int64_t agent_id;
	kd_date date;
	const char *category; /* a category key; unknown keys are skipped */
	int32_t quantity;     /* count: occurrences; minutes: the minutes */
	bool voided;
};

/* Non-voided events of one agent, category and month with the same
 * quantity, counted (`events` of them). A category's total depends only on
 * such counts unless score_category_ordered() says the order of its events
 * matters: those categories must be given as events, never as tallies. */
struct score_tally {
	kd_month month;
	int64_t agent_id;
	const char *category; /* a category key; unknown keys are skipped */
	int32_t quantity;
	int64_t events;
};

/* KPI figures imported for one agent and month (RULEBOOK.md section 8).
 * Percentages and seconds are scaled by 10^4 (_e4): 97.999% is 979990. */
struct score_metrics {
	int64_t agent_id;
	kd_month month;
	bool has_sales;
	int64_t sales_fen;
	bool has_target;
	int64_t target_fen;
	bool has_inquiries;
	int64_t inquiries;
	bool has_buyers;
	int64_t buyers;
	bool has_conversion;
	int64_t conversion_e4;
	bool has_response;
	int64_t response_e4;
	bool has_aov;
	int64_t aov_fen;
	bool has_reply_rate;
	int64_t reply_rate_e4;
};

/* A closed month's stored result for one agent, used for look-backs instead
 * of re-scoring that month (RULEBOOK.md section 11). A month with any entry
 * here is taken wholly from these entries. */
struct score_history {
	kd_month month;
	int64_t agent_id;
	int64_t score_cp;
	int32_t rank;
	int32_t board_size;
};

struct score_input {
	kd_month month;
	size_t agent_count;
	const struct score_agent *agents;
	/* Events of the month and of its look-back months (others are ignored),
	 * voided ones included (they score nothing). */
	size_t event_count;
	const struct score_event *events;
	/* The same as counts (either or both may be given; they add up). */
	size_t tally_count;
	const struct score_tally *tallies;
	size_t metrics_count;
	const struct score_metrics *metrics;
	bool has_silent_sales;
	int64_t silent_sales_fen;
	/* The month of the earliest record in the database (an event, voided
	 * included, or imported metrics); look-backs never reach before it.
	 * Without one, only `month` counts. */
	bool has_earliest_month;
	kd_month earliest_month;
	size_t history_count;
	const struct score_history *history;
};

/* Flags of an agent's month (RULEBOOK.md section 10). */
#define SCORE_FLAG_LIST(X)                                                     \
	X(SCORE_FLAG_NO_BONUS, "no_bonus")                                     \
	X(SCORE_FLAG_PROBATION, "probation")                                   \
	X(SCORE_FLAG_PROMOTE, "promote")                                       \
	X(SCORE_FLAG_DEMOTE, "demote")                                         \
	X(SCORE_FLAG_DISMISS_REVIEW, "dismiss_review")                         \
	X(SCORE_FLAG_NO_KPI, "no_kpi")

enum score_flag_bit {
#define SCORE_FLAG_BIT(name, text) name##_BIT,
	SCORE_FLAG_LIST(SCORE_FLAG_BIT)
#undef SCORE_FLAG_BIT
	    SCORE_FLAG_COUNT
};

enum score_flag {
#define SCORE_FLAG_VALUE(name, text) name = 1u << name##_BIT,
	SCORE_FLAG_LIST(SCORE_FLAG_VALUE)
#undef SCORE_FLAG_VALUE
};

/* "no_bonus", ... for a single flag bit index; NULL when out of range. */
const char *score_flag_name(int bit);

/* Why dismiss_review was raised (any combination). */
enum score_dismiss_reason {
	SCORE_DISMISS_LOW_SCORE = 1u << 0,  /* S < [review] dismiss_below */
	SCORE_DISMISS_CATEGORY = 1u << 1,   /* a category's dismiss_at */
	SCORE_DISMISS_LAST_PLACE = 1u << 2, /* last place, low, N months */
};

struct score_category_result {
	int32_t occurrences; /* n, after expanding quantities */
	int64_t total_cp;    /* section 3, steps 1-5 */
	int64_t fines_fen;
	bool dismiss_reached; /* occurrences >= dismiss_at */
};

struct score_kpi_metric {
	bool present;      /* the value could be computed */
	int64_t value_num; /* the exact value is value_num / value_den */
	int64_t value_den;
	int64_t value_h;   /* rounded to 0.01 for display */
	int64_t band_h;    /* band score, hundredths (0..10000) */
	int64_t points_cp; /* weight x band / 100 */
};

struct score_agent_result {
	const struct score_agent *agent; /* points into the input */
	int tier_index;                  /* into rb->tiers, or -1 */
	int32_t months_in_tier;          /* the tier's first month counts 1 */
	int32_t employment_month;        /* the hire month is 1 */
	bool whole_month;                /* on the board for the whole month */

	struct score_category_result *categories; /* rb->category_count */
	int32_t light_count;
	int32_t medium_count;
	int64_t combo_cp;

	int64_t base_cp;
	bool kpi_present;
	int64_t kpi_score_cp;
	struct score_kpi_metric *kpi_metrics; /* rb->kpi_count */
	bool has_sales;
	int64_t sales_fen;

	int64_t score_cp;
	char grade[BAND_WORD_MAX];
	int32_t rank;

	bool has_previous; /* on the board last month */
	int64_t previous_score_cp;

	int64_t pay_adjust_fen;
	int64_t pool_share_fen;
	int64_t award_fen;        /* bonus awards[i] */
	int64_t streak_award_fen; /* rank 1, top_streak */
	int64_t attendance_award_fen;
	int64_t fines_fen;
	int32_t top_streak; /* consecutive rank-1 months, 0 if not 1st */

	unsigned flags;            /* enum score_flag bits */
	unsigned dismiss_reasons;  /* enum score_dismiss_reason bits */
	int dismiss_category;      /* first category whose dismiss_at hit, -1 */
	int32_t promote_streak;    /* months in a row >= the promote score */
	int32_t demote_streak;     /* months in a row < demote_below */
	int32_t last_place_streak; /* months in a row last and low */
};

struct score_month_result {
	kd_month month;
	size_t category_count;
	size_t kpi_count;
	size_t agent_count;
	struct score_agent_result *agents; /* in rank order */
	bool has_silent_sales;
	int64_t silent_sales_fen;
	int64_t pool_fen;
	int64_t undistributed_fen;
	size_t skipped_events; /* events of unknown categories, ignored */
};

/* How many months before the scored one the look-backs can need. The caller
 * loads events and metrics from month - score_lookback_months(rb) on. */
int32_t score_lookback_months(const struct rulebook *rb);

/* Scores the month. On success *out is a new result (destroy it with
 * score_month_result_destroy). Fails only for out of memory. */
enum kd_status score_month(const struct rulebook *rb,
                           const struct score_input *input,
                           struct score_month_result **out);

void score_month_result_destroy(struct score_month_result *result);

/* The total of one category for n events in order (RULEBOOK.md section 3):
 * quantities[i] is the event's quantity (count) or minutes (minutes). */
int64_t score_category_total(const struct rb_category *cat, size_t n,
                             const int32_t *quantities);

/* Whether the category's total depends on the order of its events, not
 * only on how many there are at each quantity: a minutes category whose
 * points vary with the minutes and whose first occurrences are free or
 * escalated (RULEBOOK.md section 3, steps 1 and 3). */
bool score_category_ordered(const struct rb_category *cat);

/* The fine of the k-th occurrence (1-based) of a category in a month. */
int64_t score_occurrence_fine(const struct rb_category *cat, int32_t k);

/* What each event's occurrences added to its category total (the total with
 * the event minus the total before it, among the events of the same agent,
 * category and month ordered by date, then entry order: RULEBOOK.md
 * section 3). Voided and unknown-category events get 0. points_cp has `n`
 * slots, matching `events`. */
enum kd_status score_event_points(const struct rulebook *rb, size_t n,
                                  const struct score_event *events,
                                  int64_t *points_cp);

/* The same for events that each come after the occurrences `tallies` and
 * `prior` count in their group (agent, category, month): the log of one
 * day, given the month's occurrences before that day as counts (and the
 * categories whose order matters as events, in `prior`, which get no
 * points). points_cp has `n` slots, matching `events`. */
enum kd_status
score_event_points_after(const struct rulebook *rb, size_t tally_count,
                         const struct score_tally *tallies, size_t prior_count,
                         const struct score_event *prior, size_t n,
                         const struct score_event *events, int64_t *points_cp);

/* The agent's tier index in `month` (-1 when unknown) and, through
 * months_in_tier (may be NULL), how many months it has held it. */
int score_agent_tier(const struct rulebook *rb, const struct score_agent *agent,
                     kd_month month, int32_t *months_in_tier);

/* On the board for month (RULEBOOK.md section 7). */
bool score_agent_on_board(const struct score_agent *agent, kd_month month);

#endif
