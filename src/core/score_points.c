/* The scoring engine, RULEBOOK.md sections 3 to 5: one category's total
 * occurrence by occurrence (from events or tallies), escalating fines and
 * each event's marginal points. */
#include "score_internal.h"

/* ------------------------------------------------------------------------ */
/* Section 3: one category's total, built occurrence by occurrence.
 *
 * The accumulator keeps n (occurrences so far), S(n) = p_1 + ... + p_n, and
 * for the last escalate step reached, S at its N: then the escalated total
 * TOTAL + p_(N+1) + ... + p_n is TOTAL + S(n) - S(N). Adding an event is
 * O(1) (plus the escalate steps it passes), so a whole month is one pass and
 * score_event_points() gets each event's marginal points for free. */

void cat_acc_init(struct cat_acc *acc, const struct rb_category *cat)
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
			sum_at = sat_add(
			    acc->sum_cp,
			    count_points_between(cat, from, step->count));
		acc->esc_reached = true;
		acc->esc_total_cp = step->total_cp;
		acc->esc_sum_cp = sum_at;
		acc->esc_next++;
	}

	if (minutes)
		acc->sum_cp = sat_add(acc->sum_cp, minute_points);
	else
		acc->sum_cp =
		    sat_add(acc->sum_cp, count_points_between(cat, from, to));
	acc->n = to;
}

/* `times` events of the same quantity in a row. A count category adds
 * quantity x times occurrences at once (its points are the same for every
 * occurrence past `free`, so one block is exactly the sum of the events);
 * a minutes category with free occurrences or escalate steps goes event by
 * event, one without adds times x its per-occurrence points. */
void cat_acc_add_many(struct cat_acc *acc, int32_t quantity, int64_t times)
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
			                  count_points_between(cat, from,
			                                       step->count));
			acc->esc_next++;
		}
		acc->sum_cp = sat_add(
		    acc->sum_cp, count_points_between(
		                     cat, from, sat_add(from, occurrences)));
		acc->n = sat_add(from, occurrences);
		return;
	}
	if (cat->free_count > 0 || cat->escalate_count > 0) {
		for (int64_t i = 0; i < times; i++)
			cat_acc_add(acc, quantity);
		return;
	}
	p = cat->has_bands
	        ? band_result(band_list_match_int(&cat->bands, quantity))
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
int64_t cat_acc_total(const struct cat_acc *acc)
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
	int64_t p, q;     /* growth as a reduced fraction */
	int64_t num, den; /* exact: the fine is num / den fen */
	bool scaled;      /* too big to carry exactly: micro is used */
	int64_t micro;    /* the fine in millionths of a fen */
	bool saturated;   /* past what micro can carry: FINE_LIMIT_FEN */
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
int64_t category_fines(const struct rb_category *cat, int64_t n)
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

int cmp_i64(int64_t a, int64_t b)
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

enum kd_status
score_event_points_after(const struct rulebook *rb, size_t tally_count,
                         const struct score_tally *tallies, size_t prior_count,
                         const struct score_event *prior, size_t n,
                         const struct score_event *events, int64_t *points_cp)
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
