/* The scoring engine: RULEBOOK.md sections 3 to 10 (see kpidesk/score.h).
 *
 * Integers only: points in centi-points, money in fen. Every product or sum
 * that a hostile rulebook or database could push past int64 saturates
 * instead of overflowing, so the engine never has undefined behaviour; real
 * numbers stay many orders of magnitude below the limits.
 *
 * Where RULEBOOK.md leaves a choice open, these files decide, and say so
 * in a comment marked "Decision:". score.c scores a month from end to end;
 * its parts: score_points.c (category totals, fines, event points),
 * score_board.c (the context, the board, KPI, rank) and score_money.c
 * (look-backs, money, flags, the bonus pool).
 */
#include "score_internal.h"

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
		avail = clamp_i32(
		    min64(score_lookback_months(rb),
		          (int64_t)input->month - input->earliest_month));
	if (avail > 0 && input->agent_count > 0) {
		past =
		    calloc((size_t)avail * input->agent_count, sizeof(*past));
		if (past == NULL) {
			status = KD_ERR_NOMEM;
			goto cleanup;
		}
		for (int32_t j = 1; j <= avail; j++) {
			status = past_month(
			    &ctx, input->month - j,
			    &past[(size_t)(j - 1) * input->agent_count]);
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
