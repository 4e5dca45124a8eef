/* The scoring engine, RULEBOOK.md sections 9 and 10: look-back months
 * and streaks, each agent's money and flags, and the bonus pool. */
#include "score_internal.h"

/* ------------------------------------------------------------------------ */
/* Look-back months */

/* Fills past[agent] for one look-back month: from the closed month's
 * snapshot when the history has any entry for it, else by scoring it. */
enum kd_status past_month(const struct score_ctx *ctx, kd_month month,
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

void money_and_flags(const struct score_ctx *ctx, struct score_agent_result *ar,
                     size_t board_size, const struct past_entry *past,
                     int32_t avail)
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

	ar->tier_index =
	    score_agent_tier(rb, ar->agent, month, &ar->months_in_tier);
	ar->employment_month =
	    clamp_i32((int64_t)month - date_month(ar->agent->hired) + 1);
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

		ar->pay_adjust_fen =
		    fixed_clamp(fixed_muldiv_round(
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
		int32_t need =
		    tier->promote_months > 0 ? tier->promote_months : 1;

		promote_cp = tier->promote_score_cp;
		ar->promote_streak =
		    streak(rb, STREAK_PROMOTE, &now, past, in->agent_count,
		           agent, avail, promote_cp);
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

void bonus_pool(const struct rulebook *rb, struct score_month_result *result)
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
		result->pool_fen =
		    max64(fixed_muldiv_round(result->silent_sales_fen,
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
		left_each =
		    max64(sat_sub(result->pool_fen, listed), 0) / (int64_t)rest;
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
