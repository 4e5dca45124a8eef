/* The scoring engine: who is on a month's board and in which tier, the
 * scoring context built from the input, KPI metrics and the month's
 * core board (points, KPI, rank). */
#include "score_internal.h"

/* ------------------------------------------------------------------------ */
/* Tiers and the board */

bool score_agent_on_board(const struct score_agent *agent, kd_month month)
{
	if (agent->hired > month_last_day(month))
		return false;
	return agent->left == KD_DATE_NONE ||
	       agent->left >= month_first_day(month);
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
int64_t agent_lookup(const struct score_ctx *ctx, int64_t id)
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

void score_ctx_finish(struct score_ctx *ctx)
{
	free(ctx->agents_by_id);
	free(ctx->events);
	ctx->agents_by_id = NULL;
	ctx->events = NULL;
}

/* Indexes agents by id and sorts the usable events by month, agent,
 * category, date and entry order. Counts the scored month's non-voided
 * events of unknown categories into *skipped. */
enum kd_status score_ctx_init(struct score_ctx *ctx, const struct rulebook *rb,
                              const struct score_input *in, size_t *skipped)
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

		if (kept > 0 &&
		    mm->refs[kept - 1].agent_id == mm->refs[i].agent_id)
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

static const struct score_metrics *
month_metrics_find(const struct month_metrics *mm, const struct score_input *in,
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
		km->band_h =
		    band_result(band_list_match(&kpi->bands, num, den));
		km->points_cp =
		    fixed_muldiv_round(kpi->weight, km->band_h, 100);
		/* the score is the exact sum, rounded once (the per-metric
		 * points are rounded for display only) */
		total = sat_add(total, sat_mul(kpi->weight, km->band_h));
	}
	ar->kpi_present = true;
	ar->kpi_score_cp = fixed_div_round(total, 100);
}

/* ------------------------------------------------------------------------ */
/* Sections 3-7 for one month */

void agent_results_free(struct score_agent_result *agents, size_t count)
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
enum kd_status core_month(const struct score_ctx *ctx, kd_month month,
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
			ar->categories =
			    calloc(rb->category_count, sizeof(*ar->categories));
			if (ar->categories == NULL)
				goto cleanup;
		}
		if (rb->kpi_count > 0) {
			ar->kpi_metrics =
			    calloc(rb->kpi_count, sizeof(*ar->kpi_metrics));
			if (ar->kpi_metrics == NULL)
				goto cleanup;
		}
	}

	/* Section 3: one pass over the month's events, grouped by agent and
	 * category, in date and entry order. */
	for (size_t e = events_month_start(ctx, month);
	     e < ctx->event_count && ctx->events[e].month == month;) {
		const struct event_ref *first = &ctx->events[e];
		const struct rb_category *cat =
		    &rb->categories[first->category];
		struct cat_acc acc;
		size_t slot = slot_of[first->agent];

		cat_acc_init(&acc, cat);
		while (e < ctx->event_count && ctx->events[e].month == month &&
		       ctx->events[e].agent == first->agent &&
		       ctx->events[e].category == first->category) {
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
			cr->dismiss_reached =
			    cat->dismiss_at > 0 && acc.n >= cat->dismiss_at;
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
