/* The scoring engine: RULEBOOK.md sections 3 to 10 (see kpidesk/score.h).
 *
 * Integers only: points in centi-points, money in fen. Every product or sum
 * that a hostile rulebook or database could push past int64 saturates
 * instead of overflowing, so the engine never has undefined behaviour; real
 * numbers stay many orders of magnitude below the limits.
 *
 * Where RULEBOOK.md leaves a choice open, this file decides, and says so in
 * a comment marked "Decision:".
 */
#include "kpidesk/score.h"

#include <stdlib.h>
#include <string.h>

#include "kpidesk/fixed.h"

#define SAT_MAX INT64_MAX
#define SAT_MIN (-INT64_MAX)

/* A fine never grows past 10^13 yuan: fine_growth saturates here. */
#define FINE_LIMIT_FEN INT64_C(1000000000000000)

/* ------------------------------------------------------------------------ */
/* Saturating arithmetic */

static bool mul_checked(int64_t a, int64_t b, int64_t *out)
{
	if (a == 0 || b == 0) {
		*out = 0;
		return true;
	}
	if (a > 0) {
		if (b > 0 ? a > INT64_MAX / b : b < INT64_MIN / a)
			return false;
	} else {
		if (b > 0 ? a < INT64_MIN / b : b < INT64_MAX / a)
			return false;
	}
	*out = a * b;
	return true;
}

static int64_t sat_mul(int64_t a, int64_t b)
{
	int64_t product;

	if (mul_checked(a, b, &product))
		return product < SAT_MIN ? SAT_MIN : product;
	return (a < 0) != (b < 0) ? SAT_MIN : SAT_MAX;
}

static int64_t sat_add(int64_t a, int64_t b)
{
	if (b > 0 && a > SAT_MAX - b)
		return SAT_MAX;
	if (b < 0 && a < SAT_MIN - b)
		return SAT_MIN;
	return a + b;
}

static int64_t sat_sub(int64_t a, int64_t b)
{
	/* b is never INT64_MIN: every value here is saturated to SAT_MIN. */
	return sat_add(a, b == INT64_MIN ? SAT_MAX : -b);
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* floor(a * b / den) for a, b >= 0 and den > 0, saturating. */
static int64_t muldiv_floor_nonneg(int64_t a, int64_t b, int64_t den)
{
	int64_t whole = a / den;
	int64_t part = a % den;

	return sat_add(sat_mul(whole, b), sat_mul(part, b) / den);
}

static int32_t clamp_i32(int64_t v)
{
	if (v > INT32_MAX)
		return INT32_MAX;
	if (v < INT32_MIN)
		return INT32_MIN;
	return (int32_t)v;
}

/* ------------------------------------------------------------------------ */
/* Flags */

static const char *const flag_names[] = {
#define SCORE_FLAG_NAME(name, text) text,
	SCORE_FLAG_LIST(SCORE_FLAG_NAME)
#undef SCORE_FLAG_NAME
};

const char *score_flag_name(int bit)
{
	if (bit < 0 || bit >= SCORE_FLAG_COUNT)
		return NULL;
	return flag_names[bit];
}

/* ------------------------------------------------------------------------ */
/* Lookups (kept here so the engine depends on no other module's code but
 * fixed-point, dates and band lists) */

static int category_index(const struct rulebook *rb, const char *key)
{
	if (key == NULL)
		return -1;
	for (size_t i = 0; i < rb->category_count; i++)
		if (strcmp(rb->categories[i].key, key) == 0)
			return (int)i;
	return -1;
}

static int tier_index(const struct rulebook *rb, const char *key)
{
	if (key == NULL)
		return -1;
	for (size_t i = 0; i < rb->tier_count; i++)
		if (strcmp(rb->tiers[i].key, key) == 0)
			return (int)i;
	return -1;
}

static int64_t band_result(const struct band *band)
{
	return band != NULL ? band->result_h : 0;
}

/* ------------------------------------------------------------------------ */
/* Section 3: one category's total, built occurrence by occurrence.
 *
 * The accumulator keeps n (occurrences so far), S(n) = p_1 + ... + p_n, and
 * for the last escalate step reached, S at its N: then the escalated total
 * TOTAL + p_(N+1) + ... + p_n is TOTAL + S(n) - S(N). Adding an event is
 * O(1) (plus the escalate steps it passes), so a whole month is one pass and
 * score_event_points() gets each event's marginal points for free. */

struct cat_acc {
	const struct rb_category *cat;
	int64_t n;
	int64_t sum_cp;
	size_t esc_next;
	bool esc_reached;
	int64_t esc_total_cp;
	int64_t esc_sum_cp;
};

static void cat_acc_init(struct cat_acc *acc, const struct rb_category *cat)
{
	memset(acc, 0, sizeof(*acc));
	acc->cat = cat;
}

/* p_(from+1) + ... + p_to in a count category (p_k = 0 for k <= free). */
static int64_t count_points_between(const struct rb_category *cat, int64_t from,
				    int64_t to)
{
	int64_t first = max64(from, cat->free_count);

	if (to <= first)
		return 0;
	return sat_mul(cat->points_cp, to - first);
}

/* Decision: a count event with a quantity below 1 adds no occurrence (the
 * store refuses such quantities anyway); a minutes event is always exactly
 * one occurrence, whatever its minutes. */
static void cat_acc_add(struct cat_acc *acc, int32_t quantity)
{
	const struct rb_category *cat = acc->cat;
	bool minutes = cat->unit == RB_UNIT_MINUTES;
	int64_t from = acc->n;
	int64_t to;
	int64_t minute_points = 0;

	if (minutes) {
		to = from + 1;
		if (to <= cat->free_count)
			minute_points = 0;
		else if (cat->has_bands)
			minute_points = band_result(
				band_list_match_int(&cat->bands, quantity));
		else
			minute_points = cat->points_cp;
	} else {
		if (quantity <= 0)
			return;
		to = from + quantity;
	}

	while (acc->esc_next < cat->escalate_count &&
	       cat->escalate[acc->esc_next].count <= to) {
		const struct rb_escalate_step *step =
			&cat->escalate[acc->esc_next];
		int64_t sum_at;

		if (step->count <= from)
			sum_at = acc->sum_cp; /* only steps with N <= 0 */
		else if (minutes)
			sum_at = sat_add(acc->sum_cp, minute_points);
		else
			sum_at = sat_add(acc->sum_cp,
					 count_points_between(cat, from,
							      step->count));
		acc->esc_reached = true;
		acc->esc_total_cp = step->total_cp;
		acc->esc_sum_cp = sum_at;
		acc->esc_next++;
	}

	if (minutes)
		acc->sum_cp = sat_add(acc->sum_cp, minute_points);
	else
		acc->sum_cp = sat_add(acc->sum_cp,
				      count_points_between(cat, from, to));
	acc->n = to;
}

/* `times` events of the same quantity in a row. A count category adds
 * quantity x times occurrences at once (its points are the same for every
 * occurrence past `free`, so one block is exactly the sum of the events);
 * a minutes category with free occurrences or escalate steps goes event by
 * event, one without adds times x its per-occurrence points. */
static void cat_acc_add_many(struct cat_acc *acc, int32_t quantity,
			     int64_t times)
{
	const struct rb_category *cat = acc->cat;
	int64_t p;

	if (times <= 0)
		return;
	if (times == 1) {
		cat_acc_add(acc, quantity);
		return;
	}
	if (cat->unit != RB_UNIT_MINUTES) {
		int64_t occurrences;
		int64_t from = acc->n;

		if (quantity <= 0)
			return;
		occurrences = sat_mul(quantity, times);
		/* cat_acc_add's block logic, for an int64 block */
		while (acc->esc_next < cat->escalate_count &&
		       cat->escalate[acc->esc_next].count <=
			       sat_add(from, occurrences)) {
			const struct rb_escalate_step *step =
				&cat->escalate[acc->esc_next];

			acc->esc_reached = true;
			acc->esc_total_cp = step->total_cp;
			acc->esc_sum_cp =
				step->count <= from
					? acc->sum_cp
					: sat_add(acc->sum_cp,
						  count_points_between(
							  cat, from, step->count));
			acc->esc_next++;
		}
		acc->sum_cp = sat_add(acc->sum_cp,
				      count_points_between(cat, from,
							   sat_add(from, occurrences)));
		acc->n = sat_add(from, occurrences);
		return;
	}
	if (cat->free_count > 0 || cat->escalate_count > 0) {
		for (int64_t i = 0; i < times; i++)
			cat_acc_add(acc, quantity);
		return;
	}
	p = cat->has_bands ? band_result(band_list_match_int(&cat->bands,
							     quantity))
			   : cat->points_cp;
	acc->sum_cp = sat_add(acc->sum_cp, sat_mul(p, times));
	acc->n = sat_add(acc->n, times);
}

bool score_category_ordered(const struct rb_category *cat)
{
	return cat->unit == RB_UNIT_MINUTES && cat->has_bands &&
	       (cat->free_count > 0 || cat->escalate_count > 0);
}

/* Steps 3-5 on top of the running sum. Decision: no occurrence, no total
 * (an escalate step with N <= 0 or zero_at <= 0 never applies to n = 0).
 * zero_at sets -budget for either kind, exactly as RULEBOOK.md step 4 says
 * (the loader only allows it with a budget; a bonus category with zero_at is
 * odd but not ours to reinterpret). */
static int64_t cat_acc_total(const struct cat_acc *acc)
{
	const struct rb_category *cat = acc->cat;
	int64_t total;

	if (acc->n <= 0)
		return 0;
	total = acc->sum_cp;
	if (acc->esc_reached)
		total = sat_add(acc->esc_total_cp,
				sat_sub(acc->sum_cp, acc->esc_sum_cp));
	if (cat->has_budget && cat->zero_at > 0 && acc->n >= cat->zero_at)
		total = -cat->budget_cp;
	if (cat->has_budget) {
		if (cat->kind == RB_DEDUCTION)
			total = max64(total, -cat->budget_cp);
		else
			total = min64(total, cat->budget_cp);
	}
	return total;
}

int64_t score_category_total(const struct rb_category *cat, size_t n,
			     const int32_t *quantities)
{
	struct cat_acc acc;

	cat_acc_init(&acc, cat);
	for (size_t i = 0; i < n; i++)
		cat_acc_add(&acc, quantities[i]);
	return cat_acc_total(&acc);
}

/* ------------------------------------------------------------------------ */
/* Section 3 `fine`, `fine_growth`: the k-th occurrence is fined
 * fine x fine_growth^(k-1), rounded once to the fen (half away from zero),
 * never step by step: with x1.5 the sixth of 30 yuan is 227.8125 -> 227.81.
 *
 * The growth g/100 is reduced to p/q and the fine carried as the exact
 * fraction fine x p^(k-1) / q^(k-1) while both fit in 64 bits; beyond that
 * (a growth like 1.01 after ten steps) it is carried in millionths of a
 * fen, exact to well below the rounding. Fines saturate at FINE_LIMIT_FEN;
 * a growth below 1 (which the loader refuses) counts as 1. */

#define FINE_MICRO INT64_C(1000000)

struct fine_seq {
	int64_t p, q;	  /* growth as a reduced fraction */
	int64_t num, den; /* exact: the fine is num / den fen */
	bool scaled;	  /* too big to carry exactly: micro is used */
	int64_t micro;	  /* the fine in millionths of a fen */
	bool saturated;	  /* past what micro can carry: FINE_LIMIT_FEN */
};

#define FINE_MICRO_LIMIT (INT64_C(1000000000000) * FINE_MICRO)

static int64_t gcd64(int64_t a, int64_t b)
{
	while (b != 0) {
		int64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static void fine_seq_init(struct fine_seq *s, const struct rb_category *cat)
{
	int64_t growth = max64(cat->fine_growth_h, 100);
	int64_t g = gcd64(growth, 100);

	s->p = growth / g;
	s->q = 100 / g;
	s->num = fixed_clamp(cat->fine_fen, -FINE_LIMIT_FEN, FINE_LIMIT_FEN);
	s->den = 1;
	s->scaled = false;
	s->micro = 0;
	s->saturated = false;
}

static int64_t fine_seq_value(const struct fine_seq *s)
{
	if (s->saturated)
		return s->micro < 0 ? -FINE_LIMIT_FEN : FINE_LIMIT_FEN;
	int64_t fen = s->scaled ? fixed_div_round(s->micro, FINE_MICRO)
				: fixed_div_round(s->num, s->den);
	return fixed_clamp(fen, -FINE_LIMIT_FEN, FINE_LIMIT_FEN);
}

/* True once the fine can no longer change (constant growth or saturated). */
static bool fine_seq_settled(const struct fine_seq *s)
{
	int64_t fen = fine_seq_value(s);
	return s->p == s->q || fen >= FINE_LIMIT_FEN || fen <= -FINE_LIMIT_FEN;
}

static void fine_seq_step(struct fine_seq *s)
{
	if (fine_seq_settled(s))
		return;
	if (!s->scaled) {
		int64_t num, den;
		if (!__builtin_mul_overflow(s->num, s->p, &num) &&
		    !__builtin_mul_overflow(s->den, s->q, &den)) {
			int64_t g = gcd64(num < 0 ? -num : num, den);
			s->num = g > 1 ? num / g : num;
			s->den = g > 1 ? den / g : den;
			return;
		}
		s->scaled = true;
		s->micro = fixed_muldiv_round(s->num, FINE_MICRO, s->den);
	}
	s->micro = fixed_muldiv_round(s->micro, s->p, s->q);
	/* millionths of a fen overflow long before FINE_LIMIT_FEN: past
	 * 10^12 fen the fine counts as saturated */
	if (s->micro >= FINE_MICRO_LIMIT || s->micro <= -FINE_MICRO_LIMIT)
		s->saturated = true;
}

int64_t score_occurrence_fine(const struct rb_category *cat, int32_t k)
{
	struct fine_seq seq;

	if (k < 1)
		return 0;
	fine_seq_init(&seq, cat);
	for (int32_t i = 1; i < k && !fine_seq_settled(&seq); i++)
		fine_seq_step(&seq);
	return fine_seq_value(&seq);
}

/* Fines of occurrences 1..n. */
static int64_t category_fines(const struct rb_category *cat, int64_t n)
{
	struct fine_seq seq;
	int64_t total = 0;

	fine_seq_init(&seq, cat);
	for (int64_t k = 1; k <= n; k++) {
		int64_t fine = fine_seq_value(&seq);

		if (fine_seq_settled(&seq)) {
			total = sat_add(total, sat_mul(fine, n - k + 1));
			break;
		}
		total = sat_add(total, fine);
		fine_seq_step(&seq);
	}
	return total;
}

/* ------------------------------------------------------------------------ */
/* Marginal points of each event */

struct point_ref {
	int64_t agent_id;
	int category;
	kd_month month;
	kd_date date;
	int64_t id;
	size_t index;
};

static int cmp_i64(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

static int point_ref_cmp(const void *pa, const void *pb)
{
	const struct point_ref *a = pa;
	const struct point_ref *b = pb;
	int c;

	if ((c = cmp_i64(a->agent_id, b->agent_id)) != 0)
		return c;
	if ((c = cmp_i64(a->category, b->category)) != 0)
		return c;
	if ((c = cmp_i64(a->month, b->month)) != 0)
		return c;
	if ((c = cmp_i64(a->date, b->date)) != 0)
		return c;
	if ((c = cmp_i64(a->id, b->id)) != 0)
		return c;
	return cmp_i64((int64_t)a->index, (int64_t)b->index);
}

static size_t group_hash(const struct point_ref *r)
{
	uint64_t h = (uint64_t)r->agent_id * UINT64_C(0x9E3779B97F4A7C15);

	h ^= (uint64_t)(uint32_t)r->category * UINT64_C(0xC2B2AE3D27D4EB4F);
	h ^= (uint64_t)(uint32_t)r->month * UINT64_C(0x165667B19E3779F9);
	return (size_t)(h ^ (h >> 29));
}

/* When the refs already come in date and entry order (the store reads them
 * so), groups them by agent, category and month in one stable pass, which
 * is the order point_ref_cmp() sorts to without a sort. Returns false (the
 * refs untouched) when they do not, or for no memory. */
static bool group_in_order(struct point_ref **refs_io, size_t count)
{
	struct point_ref *refs = *refs_io;
	struct point_ref *out = NULL;
	size_t *slots = NULL, *group = NULL, *start = NULL;
	size_t size = 16, groups = 0;
	bool ok = false;

	for (size_t i = 1; i < count; i++)
		if (refs[i].date < refs[i - 1].date ||
		    (refs[i].date == refs[i - 1].date &&
		     refs[i].id <= refs[i - 1].id))
			return false;
	while (size < count * 2)
		size *= 2;
	slots = calloc(size, sizeof(*slots)); /* first ref's index + 1 */
	group = calloc(count ? count : 1, sizeof(*group));
	start = calloc(count + 1, sizeof(*start));
	out = calloc(count ? count : 1, sizeof(*out));
	if (!slots || !group || !start || !out)
		goto done;
	for (size_t i = 0; i < count; i++) {
		size_t h = group_hash(&refs[i]);

		for (;; h++) {
			size_t *slot = &slots[h & (size - 1)];
			const struct point_ref *f;

			if (*slot == 0) {
				*slot = i + 1;
				group[i] = groups++;
				break;
			}
			f = &refs[*slot - 1];
			if (f->agent_id == refs[i].agent_id &&
			    f->category == refs[i].category &&
			    f->month == refs[i].month) {
				group[i] = group[*slot - 1];
				break;
			}
		}
		start[group[i] + 1]++;
	}
	for (size_t g = 0; g < groups; g++)
		start[g + 1] += start[g];
	for (size_t i = 0; i < count; i++)
		out[start[group[i]]++] = refs[i];
	free(refs);
	*refs_io = out;
	out = NULL;
	ok = true;
done:
	free(out);
	free(slots);
	free(group);
	free(start);
	return ok;
}

/* Decision: an event's points are its marginal contribution with the
 * group's events ordered as section 3 orders occurrences (date, then entry
 * order), not by entry order alone, so the points of a month's events
 * always add up to the category total even when a day is back-filled.
 * `prior` (may be empty) are occurrences that come before every event of
 * their group; the first `skip` events get no points written. */
static enum kd_status event_points(const struct rulebook *rb, size_t nt,
				   const struct score_tally *prior, size_t skip,
				   size_t n, const struct score_event *events,
				   int64_t *points_cp)
{
	struct point_ref *refs = NULL;
	int *prior_cat = NULL;
	size_t count = 0;

	for (size_t i = skip; i < n; i++)
		points_cp[i - skip] = 0;
	if (n == 0)
		return KD_OK;
	refs = calloc(n, sizeof(*refs));
	if (nt > 0)
		prior_cat = calloc(nt, sizeof(*prior_cat));
	if (refs == NULL || (nt > 0 && prior_cat == NULL)) {
		free(refs);
		free(prior_cat);
		return KD_ERR_NOMEM;
	}
	for (size_t t = 0; t < nt; t++)
		prior_cat[t] = category_index(rb, prior[t].category);

	for (size_t i = 0; i < n; i++) {
		int category;

		if (events[i].voided)
			continue;
		category = category_index(rb, events[i].category);
		if (category < 0)
			continue;
		refs[count].agent_id = events[i].agent_id;
		refs[count].category = category;
		refs[count].month = date_month(events[i].date);
		refs[count].date = events[i].date;
		refs[count].id = events[i].id;
		refs[count].index = i;
		count++;
	}
	if (!group_in_order(&refs, count))
		qsort(refs, count, sizeof(*refs), point_ref_cmp);

	for (size_t i = 0; i < count;) {
		struct cat_acc acc;
		size_t end = i;

		cat_acc_init(&acc, &rb->categories[refs[i].category]);
		for (size_t t = 0; t < nt; t++)
			if (prior_cat[t] == refs[i].category &&
			    prior[t].agent_id == refs[i].agent_id &&
			    prior[t].month == refs[i].month)
				cat_acc_add_many(&acc, prior[t].quantity,
						 prior[t].events);
		while (end < count && refs[end].agent_id == refs[i].agent_id &&
		       refs[end].category == refs[i].category &&
		       refs[end].month == refs[i].month) {
			int64_t before = cat_acc_total(&acc);
			size_t at = refs[end].index;

			cat_acc_add(&acc, events[at].quantity);
			if (at >= skip)
				points_cp[at - skip] =
					sat_sub(cat_acc_total(&acc), before);
			end++;
		}
		i = end;
	}

	free(refs);
	free(prior_cat);
	return KD_OK;
}

enum kd_status score_event_points(const struct rulebook *rb, size_t n,
				  const struct score_event *events,
				  int64_t *points_cp)
{
	return event_points(rb, 0, NULL, 0, n, events, points_cp);
}

enum kd_status score_event_points_after(const struct rulebook *rb,
					size_t tally_count,
					const struct score_tally *tallies,
					size_t prior_count,
					const struct score_event *prior,
					size_t n,
					const struct score_event *events,
					int64_t *points_cp)
{
	struct score_event *all;
	enum kd_status status;

	if (prior_count == 0)
		return event_points(rb, tally_count, tallies, 0, n, events,
				    points_cp);
	all = calloc(prior_count + n, sizeof(*all));
	if (all == NULL)
		return KD_ERR_NOMEM;
	memcpy(all, prior, prior_count * sizeof(*all));
	if (n > 0)
		memcpy(&all[prior_count], events, n * sizeof(*all));
	status = event_points(rb, tally_count, tallies, prior_count,
			      prior_count + n, all, points_cp);
	free(all);
	return status;
}

/* ------------------------------------------------------------------------ */
/* Tiers and the board */

bool score_agent_on_board(const struct score_agent *agent, kd_month month)
{
	if (agent->hired > month_last_day(month))
		return false;
	return agent->left == KD_DATE_NONE || agent->left >= month_first_day(month);
}

/* Decision: the span in force is the one with the latest `since` <= month;
 * consecutive spans with the same key are one run, and the tier began at
 * the run's first `since`, but never before the hire month (a tier cannot
 * be held before hire). Before the first span's `since` the agent holds the
 * first span's tier, counted from the hire month (PRODUCT.md: a tier starts
 * with the hire month unless --since says otherwise). months_in_tier is at
 * least 1 for any month from the hire month on. No spans: -1 and 0 months;
 * a key not in [tiers] order: -1 with months_in_tier still counted. */
int score_agent_tier(const struct rulebook *rb, const struct score_agent *agent,
		     kd_month month, int32_t *months_in_tier)
{
	kd_month hire_month = date_month(agent->hired);
	size_t chosen = 0;
	kd_month start = hire_month;

	if (months_in_tier != NULL)
		*months_in_tier = 0;
	if (agent->tier_count == 0 || agent->tiers == NULL)
		return -1;

	for (size_t i = 0; i < agent->tier_count; i++)
		if (agent->tiers[i].since <= month)
			chosen = i;

	if (agent->tiers[chosen].since <= month) {
		size_t first = chosen;
		const char *key = agent->tiers[chosen].tier_key;

		while (first > 0 && key != NULL &&
		       agent->tiers[first - 1].tier_key != NULL &&
		       strcmp(agent->tiers[first - 1].tier_key, key) == 0)
			first--;
		start = agent->tiers[first].since;
		if (start < hire_month)
			start = hire_month;
	}
	if (start > month)
		start = month;

	if (months_in_tier != NULL)
		*months_in_tier = clamp_i32((int64_t)month - start + 1);
	return tier_index(rb, agent->tiers[chosen].tier_key);
}

/* How many months back the look-backs go: the longest streak any rule
 * needs, minus the scored month itself. Decision: at least 1, so that
 * "change from last month" (previous_score_cp) is always computed from
 * loaded events; a top streak longer than top_streak_count pays the last
 * value, so k need only be known up to top_streak_count. */
int32_t score_lookback_months(const struct rulebook *rb)
{
	int64_t longest = (int64_t)rb->top_streak_count;

	for (size_t i = 0; i < rb->tier_count; i++)
		if (rb->tiers[i].can_promote)
			longest = max64(longest, rb->tiers[i].promote_months);
	longest = max64(longest, rb->demote_months);
	longest = max64(longest, rb->last_place_months);
	return clamp_i32(max64(longest - 1, 1));
}

/* ------------------------------------------------------------------------ */
/* The scoring context */

struct agent_ref {
	int64_t id;
	size_t index; /* into input->agents */
};

/* A non-voided event of a known category and a known agent. */
struct event_ref {
	kd_month month;
	size_t agent; /* into input->agents */
	int category;
	kd_date date;
	int64_t id;
	int32_t quantity;
	int64_t times; /* 1 for an event; a tally's count of events */
};

struct metric_ref {
	int64_t agent_id;
	size_t index; /* into input->metrics */
};

/* One agent in a look-back month. */
struct past_entry {
	bool on_board;
	int64_t score_cp;
	int32_t rank;
	int32_t board_size;
};

struct score_ctx {
	const struct rulebook *rb;
	const struct score_input *in;
	struct agent_ref *agents_by_id;
	struct event_ref *events;
	size_t event_count;
};

static int agent_ref_cmp(const void *pa, const void *pb)
{
	const struct agent_ref *a = pa;
	const struct agent_ref *b = pb;
	int c = cmp_i64(a->id, b->id);

	return c != 0 ? c : cmp_i64((int64_t)a->index, (int64_t)b->index);
}

static int event_ref_cmp(const void *pa, const void *pb)
{
	const struct event_ref *a = pa;
	const struct event_ref *b = pb;
	int c;

	if ((c = cmp_i64(a->month, b->month)) != 0)
		return c;
	if ((c = cmp_i64((int64_t)a->agent, (int64_t)b->agent)) != 0)
		return c;
	if ((c = cmp_i64(a->category, b->category)) != 0)
		return c;
	if ((c = cmp_i64(a->date, b->date)) != 0)
		return c;
	return cmp_i64(a->id, b->id);
}

static int metric_ref_cmp(const void *pa, const void *pb)
{
	const struct metric_ref *a = pa;
	const struct metric_ref *b = pb;
	int c = cmp_i64(a->agent_id, b->agent_id);

	return c != 0 ? c : cmp_i64((int64_t)a->index, (int64_t)b->index);
}

/* The input index of the agent with this id (the first listed, if an id
 * repeats), or -1. */
static int64_t agent_lookup(const struct score_ctx *ctx, int64_t id)
{
	size_t lo = 0;
	size_t hi = ctx->in->agent_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ctx->agents_by_id[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ctx->in->agent_count && ctx->agents_by_id[lo].id == id)
		return (int64_t)ctx->agents_by_id[lo].index;
	return -1;
}

static void score_ctx_finish(struct score_ctx *ctx)
{
	free(ctx->agents_by_id);
	free(ctx->events);
	ctx->agents_by_id = NULL;
	ctx->events = NULL;
}

/* Indexes agents by id and sorts the usable events by month, agent,
 * category, date and entry order. Counts the scored month's non-voided
 * events of unknown categories into *skipped. */
static enum kd_status score_ctx_init(struct score_ctx *ctx,
				     const struct rulebook *rb,
				     const struct score_input *in,
				     size_t *skipped)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->rb = rb;
	ctx->in = in;
	*skipped = 0;

	if (in->agent_count > 0) {
		ctx->agents_by_id =
			calloc(in->agent_count, sizeof(*ctx->agents_by_id));
		if (ctx->agents_by_id == NULL)
			goto nomem;
		for (size_t i = 0; i < in->agent_count; i++) {
			ctx->agents_by_id[i].id = in->agents[i].id;
			ctx->agents_by_id[i].index = i;
		}
		qsort(ctx->agents_by_id, in->agent_count,
		      sizeof(*ctx->agents_by_id), agent_ref_cmp);
	}

	if (in->event_count + in->tally_count > 0) {
		ctx->events = calloc(in->event_count + in->tally_count,
				     sizeof(*ctx->events));
		if (ctx->events == NULL)
			goto nomem;
	}
	for (size_t i = 0; i < in->event_count; i++) {
		const struct score_event *ev = &in->events[i];
		kd_month month;
		int category;
		int64_t agent;

		if (ev->voided)
			continue;
		month = date_month(ev->date);
		category = category_index(rb, ev->category);
		if (category < 0) {
			if (month == in->month)
				(*skipped)++;
			continue;
		}
		agent = agent_lookup(ctx, ev->agent_id);
		if (agent < 0)
			continue;
		ctx->events[ctx->event_count].month = month;
		ctx->events[ctx->event_count].agent = (size_t)agent;
		ctx->events[ctx->event_count].category = category;
		ctx->events[ctx->event_count].date = ev->date;
		ctx->events[ctx->event_count].id = ev->id;
		ctx->events[ctx->event_count].quantity = ev->quantity;
		ctx->events[ctx->event_count].times = 1;
		ctx->event_count++;
	}
	/* Tallies sort after the events of their group (their order does not
	 * matter: score_category_ordered()), by quantity. */
	for (size_t i = 0; i < in->tally_count; i++) {
		const struct score_tally *t = &in->tallies[i];
		int category;
		int64_t agent;

		if (t->events <= 0)
			continue;
		category = category_index(rb, t->category);
		if (category < 0) {
			if (t->month == in->month)
				*skipped += (size_t)t->events;
			continue;
		}
		agent = agent_lookup(ctx, t->agent_id);
		if (agent < 0)
			continue;
		ctx->events[ctx->event_count].month = t->month;
		ctx->events[ctx->event_count].agent = (size_t)agent;
		ctx->events[ctx->event_count].category = category;
		ctx->events[ctx->event_count].date = INT32_MAX;
		ctx->events[ctx->event_count].id = t->quantity;
		ctx->events[ctx->event_count].quantity = t->quantity;
		ctx->events[ctx->event_count].times = t->events;
		ctx->event_count++;
	}
	if (ctx->event_count > 0)
		qsort(ctx->events, ctx->event_count, sizeof(*ctx->events),
		      event_ref_cmp);
	return KD_OK;

nomem:
	score_ctx_finish(ctx);
	return KD_ERR_NOMEM;
}

/* ------------------------------------------------------------------------ */
/* Section 8: KPI metrics */

/* The month's metrics, first row per agent (Decision: a repeated row for an
 * agent and month is ignored; the store keeps one), and the AOV mean. */
struct month_metrics {
	struct metric_ref *refs;
	size_t count;
	int64_t aov_sum_fen;
	int64_t aov_count;
};

static void month_metrics_finish(struct month_metrics *mm)
{
	free(mm->refs);
	memset(mm, 0, sizeof(*mm));
}

static enum kd_status month_metrics_init(struct month_metrics *mm,
					 const struct score_input *in,
					 kd_month month)
{
	size_t kept = 0;

	memset(mm, 0, sizeof(*mm));
	for (size_t i = 0; i < in->metrics_count; i++)
		if (in->metrics[i].month == month)
			mm->count++;
	if (mm->count == 0)
		return KD_OK;
	mm->refs = calloc(mm->count, sizeof(*mm->refs));
	if (mm->refs == NULL)
		return KD_ERR_NOMEM;
	for (size_t i = 0, j = 0; i < in->metrics_count; i++) {
		if (in->metrics[i].month != month)
			continue;
		mm->refs[j].agent_id = in->metrics[i].agent_id;
		mm->refs[j].index = i;
		j++;
	}
	qsort(mm->refs, mm->count, sizeof(*mm->refs), metric_ref_cmp);

	for (size_t i = 0; i < mm->count; i++) {
		const struct score_metrics *m;

		if (kept > 0 && mm->refs[kept - 1].agent_id == mm->refs[i].agent_id)
			continue;
		mm->refs[kept++] = mm->refs[i];
		m = &in->metrics[mm->refs[i].index];
		if (m->has_aov) {
			mm->aov_sum_fen = sat_add(mm->aov_sum_fen, m->aov_fen);
			mm->aov_count++;
		}
	}
	mm->count = kept;
	return KD_OK;
}

static const struct score_metrics *month_metrics_find(
	const struct month_metrics *mm, const struct score_input *in,
	int64_t agent_id)
{
	size_t lo = 0;
	size_t hi = mm->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (mm->refs[mid].agent_id < agent_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < mm->count && mm->refs[lo].agent_id == agent_id)
		return &in->metrics[mm->refs[lo].index];
	return NULL;
}

/* The exact value of a metric as num/den (den > 0), or false when it cannot
 * be computed (a missing figure, a zero or negative target, no inquiries, no
 * AOV to compare with, or figures too large to multiply exactly). */
static bool metric_value(enum rb_metric metric, const struct score_metrics *m,
			 const struct month_metrics *mm, int64_t *num,
			 int64_t *den)
{
	switch (metric) {
	case RB_METRIC_SALES_PCT:
		if (!m->has_sales || !m->has_target || m->target_fen <= 0)
			return false;
		*den = m->target_fen;
		return mul_checked(m->sales_fen, 100, num);
	case RB_METRIC_CONVERSION:
		if (m->has_conversion) {
			*num = m->conversion_e4;
			*den = 10000;
			return true;
		}
		if (!m->has_buyers || !m->has_inquiries || m->inquiries <= 0)
			return false;
		*den = m->inquiries;
		return mul_checked(m->buyers, 100, num);
	case RB_METRIC_RESPONSE_S:
		if (!m->has_response)
			return false;
		*num = m->response_e4;
		*den = 10000;
		return true;
	case RB_METRIC_AOV_PCT: {
		int64_t scaled;

		if (!m->has_aov || mm->aov_count <= 0 || mm->aov_sum_fen <= 0)
			return false;
		*den = mm->aov_sum_fen;
		return mul_checked(m->aov_fen, mm->aov_count, &scaled) &&
		       mul_checked(scaled, 100, num);
	}
	case RB_METRIC_REPLY_RATE:
		if (!m->has_reply_rate)
			return false;
		*num = m->reply_rate_e4;
		*den = 10000;
		return true;
	case RB_METRIC_COUNT:
		break;
	}
	return false;
}

static void kpi_compute(const struct rulebook *rb,
			const struct score_metrics *m,
			const struct month_metrics *mm,
			struct score_agent_result *ar)
{
	int64_t total = 0;

	for (size_t i = 0; i < rb->kpi_count; i++) {
		const struct rb_kpi *kpi = &rb->kpis[i];
		struct score_kpi_metric *km = &ar->kpi_metrics[i];
		int64_t num = 0;
		int64_t den = 1;

		memset(km, 0, sizeof(*km));
		if (!metric_value(kpi->metric, m, mm, &num, &den))
			continue;
		km->present = true;
		km->value_num = num;
		km->value_den = den;
		km->value_h = fixed_muldiv_round(num, 100, den);
		km->band_h = band_result(band_list_match(&kpi->bands, num, den));
		km->points_cp = fixed_muldiv_round(kpi->weight, km->band_h, 100);
		/* the score is the exact sum, rounded once (the per-metric
		 * points are rounded for display only) */
		total = sat_add(total, sat_mul(kpi->weight, km->band_h));
	}
	ar->kpi_present = true;
	ar->kpi_score_cp = fixed_div_round(total, 100);
}

/* ------------------------------------------------------------------------ */
/* Sections 3-7 for one month */

static void agent_results_free(struct score_agent_result *agents, size_t count)
{
	if (agents == NULL)
		return;
	for (size_t i = 0; i < count; i++) {
		free(agents[i].categories);
		free(agents[i].kpi_metrics);
	}
	free(agents);
}

/* Section 7: S descending; then sales descending where metrics give sales
 * (Decision: an agent with a sales figure ranks before one without, since
 * the tie-break can only vouch for the one it can measure); then id. */
static int rank_cmp(const void *pa, const void *pb)
{
	const struct score_agent_result *a = pa;
	const struct score_agent_result *b = pb;

	if (a->score_cp != b->score_cp)
		return a->score_cp > b->score_cp ? -1 : 1;
	if (a->has_sales != b->has_sales)
		return a->has_sales ? -1 : 1;
	if (a->has_sales && a->sales_fen != b->sales_fen)
		return a->sales_fen > b->sales_fen ? -1 : 1;
	if (a->agent->id != b->agent->id)
		return a->agent->id < b->agent->id ? -1 : 1;
	return 0;
}

/* The first event of `month` in the sorted events. */
static size_t events_month_start(const struct score_ctx *ctx, kd_month month)
{
	size_t lo = 0;
	size_t hi = ctx->event_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ctx->events[mid].month < month)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Scores month's board (sections 3 to 7): each on-board agent's category
 * totals, fines, combo, base, score, grade and rank. *agents_out gets the
 * board in rank order. Money and flags are left to score_month(). */
static enum kd_status core_month(const struct score_ctx *ctx, kd_month month,
				 struct score_agent_result **agents_out,
				 size_t *count_out)
{
	const struct rulebook *rb = ctx->rb;
	const struct score_input *in = ctx->in;
	struct score_agent_result *agents = NULL;
	size_t *slot_of = NULL;
	struct month_metrics mm;
	size_t count = 0;
	enum kd_status status = KD_ERR_NOMEM;

	memset(&mm, 0, sizeof(mm));
	*agents_out = NULL;
	*count_out = 0;

	for (size_t i = 0; i < in->agent_count; i++)
		if (score_agent_on_board(&in->agents[i], month))
			count++;
	if (count == 0)
		return KD_OK;

	agents = calloc(count, sizeof(*agents));
	slot_of = calloc(in->agent_count, sizeof(*slot_of));
	if (agents == NULL || slot_of == NULL)
		goto cleanup;
	status = month_metrics_init(&mm, in, month);
	if (status != KD_OK)
		goto cleanup;
	status = KD_ERR_NOMEM;

	for (size_t i = 0, slot = 0; i < in->agent_count; i++) {
		struct score_agent_result *ar;

		slot_of[i] = SIZE_MAX;
		if (!score_agent_on_board(&in->agents[i], month))
			continue;
		slot_of[i] = slot;
		ar = &agents[slot++];
		ar->agent = &in->agents[i];
		ar->dismiss_category = -1;
		if (rb->category_count > 0) {
			ar->categories = calloc(rb->category_count,
						sizeof(*ar->categories));
			if (ar->categories == NULL)
				goto cleanup;
		}
		if (rb->kpi_count > 0) {
			ar->kpi_metrics = calloc(rb->kpi_count,
						 sizeof(*ar->kpi_metrics));
			if (ar->kpi_metrics == NULL)
				goto cleanup;
		}
	}

	/* Section 3: one pass over the month's events, grouped by agent and
	 * category, in date and entry order. */
	for (size_t e = events_month_start(ctx, month);
	     e < ctx->event_count && ctx->events[e].month == month;) {
		const struct event_ref *first = &ctx->events[e];
		const struct rb_category *cat = &rb->categories[first->category];
		struct cat_acc acc;
		size_t slot = slot_of[first->agent];

		cat_acc_init(&acc, cat);
		while (e < ctx->event_count && ctx->events[e].month == month &&
		       ctx->events[e].agent == first->agent &&
		       ctx->events[e].category == first->category)
		{
			cat_acc_add_many(&acc, ctx->events[e].quantity,
					 ctx->events[e].times);
			e++;
		}
		if (slot != SIZE_MAX) {
			struct score_category_result *cr =
				&agents[slot].categories[first->category];

			cr->occurrences = clamp_i32(acc.n);
			cr->total_cp = cat_acc_total(&acc);
			cr->fines_fen = category_fines(cat, acc.n);
			cr->dismiss_reached = cat->dismiss_at > 0 &&
					      acc.n >= cat->dismiss_at;
		}
	}

	for (size_t slot = 0; slot < count; slot++) {
		struct score_agent_result *ar = &agents[slot];
		const struct score_metrics *m =
			month_metrics_find(&mm, in, ar->agent->id);
		int64_t sum = 0;
		bool combo;

		/* Section 5 and the category sum. */
		for (size_t c = 0; c < rb->category_count; c++) {
			const struct score_category_result *cr =
				&ar->categories[c];

			sum = sat_add(sum, cr->total_cp);
			ar->fines_fen = sat_add(ar->fines_fen, cr->fines_fen);
			if (cr->total_cp >= 0)
				continue;
			if (rb->categories[c].severity == RB_SEV_LIGHT)
				ar->light_count++;
			else if (rb->categories[c].severity == RB_SEV_MEDIUM)
				ar->medium_count++;
		}
		combo = (rb->combo_light > 0 &&
			 ar->light_count >= rb->combo_light) ||
			(rb->combo_medium > 0 &&
			 ar->medium_count >= rb->combo_medium);
		ar->combo_cp = combo ? rb->combo_points_cp : 0;

		/* Section 4 and 8. Decision: sales for the rank tie-break
		 * come from the metrics in either mode; the KPI score only
		 * in kpi mode (in fixed mode kpi_present stays false). */
		if (m != NULL && m->has_sales) {
			ar->has_sales = true;
			ar->sales_fen = m->sales_fen;
		}
		ar->base_cp = rb->base_cp;
		if (rb->mode == RB_MODE_KPI) {
			if (m != NULL) {
				kpi_compute(rb, m, &mm, ar);
				ar->base_cp = ar->kpi_score_cp;
			} else {
				ar->flags |= SCORE_FLAG_NO_KPI;
			}
		}

		/* Section 6. */
		ar->score_cp = fixed_clamp(
			sat_add(sat_add(ar->base_cp, sum), ar->combo_cp),
			rb->min_cp, rb->max_cp);
		{
			const struct band *grade =
				band_list_match_h(&rb->grades, ar->score_cp);

			if (grade != NULL) {
				memcpy(ar->grade, grade->result_word,
				       sizeof(ar->grade));
				ar->grade[sizeof(ar->grade) - 1] = '\0';
			}
		}
	}

	/* Section 7. */
	qsort(agents, count, sizeof(*agents), rank_cmp);
	for (size_t slot = 0; slot < count; slot++)
		agents[slot].rank = clamp_i32((int64_t)slot + 1);

	*agents_out = agents;
	*count_out = count;
	agents = NULL;
	status = KD_OK;

cleanup:
	month_metrics_finish(&mm);
	free(slot_of);
	agent_results_free(agents, count);
	return status;
}

/* ------------------------------------------------------------------------ */
/* Look-back months */

/* Fills past[agent] for one look-back month: from the closed month's
 * snapshot when the history has any entry for it, else by scoring it. */
static enum kd_status past_month(const struct score_ctx *ctx, kd_month month,
				 struct past_entry *past)
{
	const struct score_input *in = ctx->in;
	struct score_agent_result *agents = NULL;
	size_t count = 0;
	bool closed = false;
	enum kd_status status;

	for (size_t i = 0; i < in->agent_count; i++)
		memset(&past[i], 0, sizeof(past[i]));

	for (size_t h = 0; h < in->history_count; h++) {
		const struct score_history *entry = &in->history[h];
		int64_t agent;

		if (entry->month != month)
			continue;
		closed = true;
		agent = agent_lookup(ctx, entry->agent_id);
		if (agent < 0)
			continue;
		past[agent].on_board = true;
		past[agent].score_cp = entry->score_cp;
		past[agent].rank = entry->rank;
		past[agent].board_size = entry->board_size;
	}
	if (closed)
		return KD_OK;

	status = core_month(ctx, month, &agents, &count);
	if (status != KD_OK)
		return status;
	for (size_t slot = 0; slot < count; slot++) {
		size_t agent = (size_t)(agents[slot].agent - in->agents);

		past[agent].on_board = true;
		past[agent].score_cp = agents[slot].score_cp;
		past[agent].rank = agents[slot].rank;
		past[agent].board_size = clamp_i32((int64_t)count);
	}
	agent_results_free(agents, count);
	return KD_OK;
}

enum streak_kind {
	STREAK_TOP,
	STREAK_PROMOTE,
	STREAK_DEMOTE,
	STREAK_LAST_PLACE,
};

static bool streak_holds(const struct rulebook *rb, enum streak_kind kind,
			 const struct past_entry *e, int64_t promote_cp)
{
	if (!e->on_board)
		return false;
	switch (kind) {
	case STREAK_TOP:
		return e->rank == 1;
	case STREAK_PROMOTE:
		return e->score_cp >= promote_cp;
	case STREAK_DEMOTE:
		return e->score_cp < rb->demote_below_cp;
	case STREAK_LAST_PLACE:
		return e->board_size >= 3 && e->rank == e->board_size &&
		       e->score_cp < rb->last_place_below_cp;
	}
	return false;
}

/* Months in a row, ending with the scored month (`now`), in which the rule
 * held; past[j - 1] is month - j, for the `avail` months look-backs see. */
static int32_t streak(const struct rulebook *rb, enum streak_kind kind,
		      const struct past_entry *now,
		      const struct past_entry *past, size_t agent_count,
		      size_t agent, int32_t avail, int64_t promote_cp)
{
	int32_t length = 0;

	if (!streak_holds(rb, kind, now, promote_cp))
		return 0;
	length = 1;
	for (int32_t j = 1; j <= avail; j++) {
		const struct past_entry *e =
			&past[(size_t)(j - 1) * agent_count + agent];

		if (!streak_holds(rb, kind, e, promote_cp))
			break;
		length++;
	}
	return length;
}

/* ------------------------------------------------------------------------ */
/* Section 9 and 10 for the scored month */

static void money_and_flags(const struct score_ctx *ctx,
			    struct score_agent_result *ar, size_t board_size,
			    const struct past_entry *past, int32_t avail)
{
	const struct rulebook *rb = ctx->rb;
	const struct score_input *in = ctx->in;
	kd_month month = in->month;
	size_t agent = (size_t)(ar->agent - in->agents);
	struct past_entry now;
	int64_t promote_cp = 0;
	bool attendance_broken = false;

	now.on_board = true;
	now.score_cp = ar->score_cp;
	now.rank = ar->rank;
	now.board_size = clamp_i32((int64_t)board_size);

	ar->tier_index = score_agent_tier(rb, ar->agent, month,
					  &ar->months_in_tier);
	ar->employment_month = clamp_i32(
		(int64_t)month - date_month(ar->agent->hired) + 1);
	ar->whole_month = ar->agent->hired <= month_first_day(month) &&
			  (ar->agent->left == KD_DATE_NONE ||
			   ar->agent->left >= month_last_day(month));

	if (avail >= 1 && past[agent].on_board) {
		ar->has_previous = true;
		ar->previous_score_cp = past[agent].score_cp;
	}

	/* Pay adjustment. */
	if (ar->employment_month < rb->pay_from_month) {
		ar->flags |= SCORE_FLAG_PROBATION;
		ar->pay_adjust_fen = 0;
	} else {
		int64_t cap = max64(rb->pay_cap_fen, 0);

		ar->pay_adjust_fen = fixed_clamp(
			fixed_muldiv_round(
				sat_sub(ar->score_cp, rb->pay_baseline_cp),
				rb->pay_per_point_fen, 100),
			-cap, cap);
	}

	/* Top streak (rank 1 only). */
	if (ar->rank == 1) {
		ar->top_streak = streak(rb, STREAK_TOP, &now, past,
					in->agent_count, agent, avail, 0);
		if (rb->top_streak_count > 0 && ar->top_streak > 0) {
			size_t k = (size_t)ar->top_streak;

			if (k > rb->top_streak_count)
				k = rb->top_streak_count;
			ar->streak_award_fen = rb->top_streak_fen[k - 1];
		}
	}

	/* Full attendance. */
	for (size_t c = 0; c < rb->category_count; c++)
		if (rb->categories[c].attendance &&
		    ar->categories[c].occurrences > 0)
			attendance_broken = true;
	if (ar->whole_month && !attendance_broken)
		ar->attendance_award_fen = rb->full_attendance_fen;

	/* Flags. */
	if (ar->score_cp < rb->bonus_min_score_cp)
		ar->flags |= SCORE_FLAG_NO_BONUS;

	if (ar->tier_index >= 0 && rb->tiers[ar->tier_index].can_promote) {
		const struct rb_tier *tier = &rb->tiers[ar->tier_index];
		int32_t need = tier->promote_months > 0 ? tier->promote_months : 1;

		promote_cp = tier->promote_score_cp;
		ar->promote_streak = streak(rb, STREAK_PROMOTE, &now, past,
					    in->agent_count, agent, avail,
					    promote_cp);
		if (ar->promote_streak >= need &&
		    ar->months_in_tier >= tier->min_months)
			ar->flags |= SCORE_FLAG_PROMOTE;
	}

	ar->demote_streak = streak(rb, STREAK_DEMOTE, &now, past,
				   in->agent_count, agent, avail, 0);
	if (rb->demote_months > 0 && ar->demote_streak >= rb->demote_months)
		ar->flags |= SCORE_FLAG_DEMOTE;

	ar->last_place_streak = streak(rb, STREAK_LAST_PLACE, &now, past,
				       in->agent_count, agent, avail, 0);

	if (ar->score_cp < rb->dismiss_below_cp)
		ar->dismiss_reasons |= SCORE_DISMISS_LOW_SCORE;
	for (size_t c = 0; c < rb->category_count; c++) {
		if (ar->categories[c].dismiss_reached) {
			ar->dismiss_reasons |= SCORE_DISMISS_CATEGORY;
			ar->dismiss_category = (int)c;
			break;
		}
	}
	if (rb->last_place_months > 0 &&
	    ar->last_place_streak >= rb->last_place_months)
		ar->dismiss_reasons |= SCORE_DISMISS_LAST_PLACE;
	if (ar->dismiss_reasons != 0)
		ar->flags |= SCORE_FLAG_DISMISS_REVIEW;
}

/* Section 9, the bonus pool, over the board in rank order. Decisions: the
 * listed positions are max(shares, awards) long, a missing entry being 0;
 * each listed share is shares[i]% of the pool rounded half away from zero
 * on its own (what a clerk with a calculator gets: pool 1199.88 -> 30% is
 * 359.96); only when those rounded shares add up to more than the pool is
 * the excess taken off the last listed shares, the last first; each rest
 * agent gets floor(pool x rest_share / rest agents) computed exactly, and
 * never more than the listed shares leave; everything of the pool not
 * handed out (unfilled positions, no rest agents, the fen the rounding
 * down leaves) is undistributed. A negative pool counts as 0. */

/* shares[k]% of the pool, rounded on its own. */
static int64_t listed_share_rounded(const struct rulebook *rb, int64_t pool,
				    size_t k)
{
	return fixed_muldiv_round(pool, max64(rb->bonus_shares_bp[k], 0),
				  10000);
}

/* The k-th listed share as paid: rounded on its own, less what of the
 * rounded shares' excess over the pool falls on it (taken off the last
 * shares first). */
static int64_t listed_share(const struct rulebook *rb, int64_t pool, size_t k)
{
	int64_t excess = -pool;

	for (size_t j = 0; j < rb->bonus_share_count; j++)
		excess = sat_add(excess, listed_share_rounded(rb, pool, j));
	for (size_t j = rb->bonus_share_count; j-- > k + 1 && excess > 0;) {
		int64_t share = listed_share_rounded(rb, pool, j);

		excess -= share < excess ? share : excess;
	}
	if (excess <= 0)
		return listed_share_rounded(rb, pool, k);
	int64_t share = listed_share_rounded(rb, pool, k);
	return share > excess ? share - excess : 0;
}

static void bonus_pool(const struct rulebook *rb,
		       struct score_month_result *result)
{
	size_t positions = rb->bonus_share_count > rb->bonus_award_count
				   ? rb->bonus_share_count
				   : rb->bonus_award_count;
	size_t eligible = 0;
	size_t rest = 0;
	int64_t rest_each = 0;
	int64_t given = 0;

	result->pool_fen = 0;
	if (result->has_silent_sales)
		result->pool_fen = max64(
			fixed_muldiv_round(result->silent_sales_fen,
					   rb->bonus_pool_rate_ppm, 1000000),
			0);

	for (size_t i = 0; i < result->agent_count; i++)
		if (result->agents[i].score_cp >= rb->bonus_min_score_cp)
			eligible++;
	if (eligible > positions) {
		int64_t listed = 0;
		int64_t left_each;

		rest = eligible - positions;
		rest_each = muldiv_floor_nonneg(
			result->pool_fen, max64(rb->bonus_rest_share_bp, 0),
			sat_mul(10000, (int64_t)rest));
		for (size_t k = 0; k < rb->bonus_share_count; k++)
			listed = sat_add(listed,
					 listed_share(rb, result->pool_fen, k));
		left_each = max64(sat_sub(result->pool_fen, listed), 0) /
			    (int64_t)rest;
		if (rest_each > left_each)
			rest_each = left_each;
	}

	for (size_t i = 0, place = 0; i < result->agent_count; i++) {
		struct score_agent_result *ar = &result->agents[i];

		if (ar->score_cp < rb->bonus_min_score_cp)
			continue;
		if (place < positions) {
			if (place < rb->bonus_share_count)
				ar->pool_share_fen =
					listed_share(rb, result->pool_fen, place);
			if (place < rb->bonus_award_count)
				ar->award_fen = rb->bonus_awards_fen[place];
		} else {
			ar->pool_share_fen = rest_each;
		}
		given = sat_add(given, ar->pool_share_fen);
		place++;
	}
	result->undistributed_fen = sat_sub(result->pool_fen, given);
}

/* ------------------------------------------------------------------------ */

void score_month_result_destroy(struct score_month_result *result)
{
	if (result == NULL)
		return;
	agent_results_free(result->agents, result->agent_count);
	free(result);
}

/* Decision: the scored month is always computed from the events, even if
 * the history holds it (a closed month's board comes from its snapshot, not
 * from here); only look-back months are taken from the history. */
enum kd_status score_month(const struct rulebook *rb,
			   const struct score_input *input,
			   struct score_month_result **out)
{
	struct score_ctx ctx;
	struct score_month_result *result = NULL;
	struct past_entry *past = NULL;
	size_t skipped = 0;
	int32_t avail = 0;
	enum kd_status status;

	*out = NULL;
	status = score_ctx_init(&ctx, rb, input, &skipped);
	if (status != KD_OK)
		return status;

	status = KD_ERR_NOMEM;
	result = calloc(1, sizeof(*result));
	if (result == NULL)
		goto cleanup;
	result->month = input->month;
	result->category_count = rb->category_count;
	result->kpi_count = rb->kpi_count;
	result->has_silent_sales = input->has_silent_sales;
	result->silent_sales_fen =
		input->has_silent_sales ? input->silent_sales_fen : 0;
	result->skipped_events = skipped;

	status = core_month(&ctx, input->month, &result->agents,
			    &result->agent_count);
	if (status != KD_OK)
		goto cleanup;

	/* Look-backs reach back score_lookback_months() months, never before
	 * the earliest event's month, and not at all without one. */
	if (input->has_earliest_month && input->earliest_month < input->month)
		avail = clamp_i32(min64(score_lookback_months(rb),
					(int64_t)input->month -
						input->earliest_month));
	if (avail > 0 && input->agent_count > 0) {
		past = calloc((size_t)avail * input->agent_count,
			      sizeof(*past));
		if (past == NULL) {
			status = KD_ERR_NOMEM;
			goto cleanup;
		}
		for (int32_t j = 1; j <= avail; j++) {
			status = past_month(&ctx, input->month - j,
					    &past[(size_t)(j - 1) *
						  input->agent_count]);
			if (status != KD_OK)
				goto cleanup;
		}
	}

	for (size_t i = 0; i < result->agent_count; i++)
		money_and_flags(&ctx, &result->agents[i], result->agent_count,
				past, past != NULL ? avail : 0);
	bonus_pool(rb, result);

	*out = result;
	result = NULL;
	status = KD_OK;

cleanup:
	free(past);
	score_month_result_destroy(result);
	score_ctx_finish(&ctx);
	return status;
}
