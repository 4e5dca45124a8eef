/* The month review's data (kpidesk/review.h). */
#include "kpidesk/review.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpidesk/config.h"
#include "kpidesk/fixed.h"

static void set_err(char *err, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (!err || !size)
		return;
	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
}

static enum kd_status store_err(struct store *st, enum kd_status status,
                                char *err, size_t size)
{
	const char *msg = store_last_error(st);

	set_err(err, size, "%s",
	        msg && msg[0] ? msg : kd_status_message(status));
	return status;
}

/* How far back the engine looks for `month`, never before 1900-01. */
static int32_t lookback_for(const struct rulebook *rb, kd_month month)
{
	int32_t lookback = score_lookback_months(rb);

	if (lookback > month - KD_YEAR_MIN * 12)
		lookback = month - KD_YEAR_MIN * 12;
	return lookback < 0 ? 0 : lookback;
}

/* The month's scoring input as counts (store_load_score_tallies), the
 * categories whose order matters as events. */
static enum kd_status load_input(struct store *st, const struct rulebook *rb,
                                 kd_month month, bool read_closed,
                                 struct store_score_bundle *bundle)
{
	const char **ordered = calloc(rb->category_count + 1, sizeof(*ordered));
	size_t n = 0;
	enum kd_status status;

	if (!ordered)
		return KD_ERR_NOMEM;
	for (size_t i = 0; i < rb->category_count; i++)
		if (score_category_ordered(&rb->categories[i]))
			ordered[n++] = rb->categories[i].key;
	status = store_load_score_tallies(st, month, lookback_for(rb, month), n,
	                                  ordered, read_closed, bundle);
	free(ordered);
	return status;
}

/* Whether each closed look-back month got a board from its snapshot (an
 * empty one leaves the engine to score that month from its events). */
static bool closed_all_stored(const struct store_score_bundle *bundle)
{
	for (size_t c = 0; c < bundle->closed_count; c++) {
		bool found = false;

		for (size_t h = 0; !found && h < bundle->input.history_count;
		     h++)
			found =
			    bundle->history[h].month == bundle->closed[c].month;
		if (!found)
			return false;
	}
	return true;
}

enum kd_status review_score_input(struct store *st, const struct rulebook *rb,
                                  kd_month month,
                                  struct store_score_bundle *bundle, char *err,
                                  size_t err_size)
{
	bool read_closed = false;
	enum kd_status status;

	for (;;) {
		status = load_input(st, rb, month, read_closed, bundle);
		if (status != KD_OK)
			return store_err(st, status, err, err_size);
		status = snapshot_history(bundle, err, err_size);
		if (status != KD_OK) {
			store_score_bundle_finish(bundle);
			/* a stored board that cannot be read: the
			 * database's fault */
			return status == KD_ERR_NOMEM ? status : KD_ERR_DB;
		}
		if (read_closed || closed_all_stored(bundle))
			return KD_OK;
		store_score_bundle_finish(bundle);
		read_closed = true;
	}
}

void review_month_finish(struct review_month *rm)
{
	if (!rm)
		return;
	free(rm->closed_at);
	free(rm->closed_by);
	store_appeal_list_finish(&rm->appeals);
	snapshot_board_destroy(rm->board);
	rulebook_destroy(rm->owned_rb);
	score_month_result_destroy(rm->scored);
	store_score_bundle_finish(&rm->bundle);
	memset(rm, 0, sizeof(*rm));
}

/* Loads the rulebook text stored with a closed month. */
static enum kd_status stored_rulebook(const struct store_month_snapshot *snap,
                                      struct rulebook **out, char *err,
                                      size_t err_size)
{
	struct config_errors errors = {0};
	char month[16], name[64];
	enum kd_status status;

	month_format(month, sizeof(month), snap->month);
	snprintf(name, sizeof(name), "(rulebook of closed month %s)", month);
	status = config_load_text(name, snap->rulebook ? snap->rulebook : "",
	                          snap->rulebook ? strlen(snap->rulebook) : 0,
	                          out, &errors);
	if (status != KD_OK)
		set_err(err, err_size,
		        "the rulebook stored with closed month %s does not "
		        "load: %s",
		        month,
		        errors.count ? errors.messages[0]
		                     : kd_status_message(status));
	config_errors_finish(&errors);
	return status;
}

enum kd_status review_month_rulebook(struct store *st, kd_month month,
                                     struct rulebook **out, char *err,
                                     size_t err_size)
{
	struct store_month_snapshot snap;
	enum kd_status status;

	*out = NULL;
	status = store_month_snapshot_get(st, month, &snap);
	if (status != KD_OK)
		return store_err(st, status, err, err_size);
	if (snap.closed)
		status = stored_rulebook(&snap, out, err, err_size);
	store_month_snapshot_finish(&snap);
	return status;
}

enum kd_status
review_event_points(struct store *st, const struct rulebook *rb, kd_month month,
                    const struct store_event_list *events, int64_t *points_cp,
                    struct rulebook **rules_out, char *err, size_t err_size)
{
	struct rulebook *stored = NULL;
	size_t n = events->count;
	struct score_event *evs = NULL;
	enum kd_status status =
	    review_month_rulebook(st, month, &stored, err, err_size);

	if (status == KD_OK) {
		evs = calloc(n ? n : 1, sizeof(*evs));
		if (!evs) {
			status = KD_ERR_NOMEM;
			snprintf(err, err_size, "out of memory");
		}
	}
	if (status == KD_OK) {
		for (size_t i = 0; i < n; i++)
			store_event_to_score(&events->events[i], &evs[i]);
		status =
		    score_event_points(stored ? stored : rb, n, evs, points_cp);
		if (status != KD_OK)
			snprintf(err, err_size, "%s",
			         kd_status_message(status));
	}
	free(evs);
	if (status == KD_OK && rules_out)
		*rules_out = stored;
	else
		rulebook_destroy(stored);
	return status;
}

enum kd_status review_day_points(struct store *st, const struct rulebook *rb,
                                 kd_date day,
                                 const struct store_event_list *events,
                                 int64_t *points_cp, char *err, size_t err_size)
{
	struct rulebook *stored = NULL;
	const struct rulebook *rules;
	struct store_tally_list before = {0};
	struct score_event *evs = NULL;
	const char **ordered = NULL;
	size_t n = events->count, nordered = 0;
	enum kd_status status =
	    review_month_rulebook(st, date_month(day), &stored, err, err_size);

	if (status != KD_OK)
		return status;
	rules = stored ? stored : rb;
	evs = calloc(n ? n : 1, sizeof(*evs));
	ordered = calloc(rules->category_count + 1, sizeof(*ordered));
	if (!evs || !ordered) {
		status = KD_ERR_NOMEM;
		set_err(err, err_size, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < rules->category_count; i++)
		if (score_category_ordered(&rules->categories[i]))
			ordered[nordered++] = rules->categories[i].key;
	status = store_tallies_before(st, day, nordered, ordered, &before);
	if (status != KD_OK) {
		store_err(st, status, err, err_size);
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		store_event_to_score(&events->events[i], &evs[i]);
	status = score_event_points_after(rules, before.count, before.tallies,
	                                  before.event_count, before.events, n,
	                                  evs, points_cp);
	if (status != KD_OK)
		set_err(err, err_size, "%s", kd_status_message(status));
done:
	store_tally_list_finish(&before);
	free(ordered);
	free(evs);
	rulebook_destroy(stored);
	return status;
}

/* A closed month: its stored rulebook, then its snapshot read against it. */
static enum kd_status load_closed(struct store_month_snapshot *snap,
                                  struct review_month *out, char *err,
                                  size_t err_size)
{
	char month[16];
	enum kd_status status;

	month_format(month, sizeof(month), snap->month);
	status = stored_rulebook(snap, &out->owned_rb, err, err_size);
	if (status != KD_OK)
		return status;
	status = snapshot_decode(out->owned_rb, snap->snapshot, &out->board,
	                         err, err_size);
	if (status != KD_OK) {
		char why[256];

		snprintf(why, sizeof(why), "%s", err ? err : "");
		set_err(err, err_size, "closed month %s: %s", month, why);
		return status;
	}
	out->rb = out->owned_rb;
	out->result = out->board->result;
	out->closed = true;
	out->closed_at = snap->closed_at;
	out->closed_by = snap->closed_by;
	snap->closed_at = NULL;
	snap->closed_by = NULL;
	return KD_OK;
}

enum kd_status review_board_load(struct store *st, const struct rulebook *rb,
                                 kd_month month, struct review_month *out,
                                 char *err, size_t err_size)
{
	struct store_month_snapshot snap;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	out->month = month;
	status = store_month_snapshot_get(st, month, &snap);
	if (status != KD_OK)
		return store_err(st, status, err, err_size);
	if (snap.closed) {
		status = load_closed(&snap, out, err, err_size);
		store_month_snapshot_finish(&snap);
		if (status != KD_OK)
			review_month_finish(out);
		return status;
	}
	store_month_snapshot_finish(&snap);
	status = review_score_input(st, rb, month, &out->bundle, err, err_size);
	if (status != KD_OK) {
		review_month_finish(out);
		return status;
	}
	status = score_month(rb, &out->bundle.input, &out->scored);
	if (status != KD_OK) {
		set_err(err, err_size, "scoring failed: %s",
		        kd_status_message(status));
		review_month_finish(out);
		return status;
	}
	out->month = month;
	out->rb = rb;
	out->result = out->scored;
	return KD_OK;
}

enum kd_status review_month_load(struct store *st, const struct rulebook *rb,
                                 kd_month month, struct review_month *out,
                                 char *err, size_t err_size)
{
	enum kd_status status =
	    review_board_load(st, rb, month, out, err, err_size);

	if (status != KD_OK)
		return status;
	status = store_appeals_in_month(st, month, true, &out->appeals);
	if (status != KD_OK) {
		store_err(st, status, err, err_size);
		review_month_finish(out);
	}
	return status;
}

/* ---- the trend ---- */

void review_trend_finish(struct review_trend *trend)
{
	if (!trend)
		return;
	free(trend->present);
	free(trend->score_cp);
	memset(trend, 0, sizeof(*trend));
}

/* Copies the scores of `board` into column j for the reviewed agents. */
static void trend_fill(struct review_trend *t,
                       const struct score_month_result *reviewed,
                       const struct score_month_result *board, int32_t j)
{
	for (size_t a = 0; a < t->agent_count; a++) {
		int64_t id = reviewed->agents[a].agent->id;

		for (size_t i = 0; i < board->agent_count; i++) {
			if (board->agents[i].agent->id != id)
				continue;
			t->present[a * (size_t)t->months + (size_t)j] = true;
			t->score_cp[a * (size_t)t->months + (size_t)j] =
			    board->agents[i].score_cp;
			break;
		}
	}
}

enum kd_status review_trend_load(struct store *st, const struct rulebook *rb,
                                 const struct review_month *rm,
                                 struct review_trend *out, char *err,
                                 size_t err_size)
{
	size_t cells;
	kd_month earliest = 0;
	bool has_earliest = false;
	enum kd_status status;

	memset(out, 0, sizeof(*out));
	out->months = REVIEW_TREND_MONTHS;
	out->first = rm->month - (REVIEW_TREND_MONTHS - 1);
	out->agent_count = rm->result->agent_count;
	cells = out->agent_count * (size_t)out->months;
	if (cells) {
		out->present = calloc(cells, sizeof(*out->present));
		out->score_cp = calloc(cells, sizeof(*out->score_cp));
		if (!out->present || !out->score_cp) {
			review_trend_finish(out);
			set_err(err, err_size, "out of memory");
			return KD_ERR_NOMEM;
		}
	}
	status = store_earliest_record_month(st, &has_earliest, &earliest);
	if (status != KD_OK) {
		review_trend_finish(out);
		return store_err(st, status, err, err_size);
	}
	for (int32_t j = 0; j < out->months && cells; j++) {
		kd_month month = out->first + j;
		struct review_month past;
		struct store_month info;

		if (month == rm->month) {
			trend_fill(out, rm->result, rm->result, j);
			continue;
		}
		if (month < KD_YEAR_MIN * 12)
			continue;
		status = store_month_get(st, month, &info);
		if (status != KD_OK) {
			review_trend_finish(out);
			return store_err(st, status, err, err_size);
		}
		if (!info.closed && (!has_earliest || month < earliest))
			continue;
		status = review_board_load(st, rb, month, &past, err, err_size);
		if (status != KD_OK) {
			review_trend_finish(out);
			return status;
		}
		trend_fill(out, rm->result, past.result, j);
		review_month_finish(&past);
	}
	return KD_OK;
}

/* ---- flags in words ---- */

static const char *const flag_labels[] = {
    "无业绩奖金",  /* no_bonus */
    "试用期",      /* probation */
    "建议晋升",    /* promote */
    "建议降级",    /* demote */
    "解聘审查",    /* dismiss_review */
    "无 KPI 数据", /* no_kpi */
};

_Static_assert(sizeof(flag_labels) / sizeof(flag_labels[0]) == SCORE_FLAG_COUNT,
               "one label per flag");

const char *review_flag_label(int bit)
{
	if (bit < 0 || bit >= SCORE_FLAG_COUNT)
		return "";
	return flag_labels[bit];
}

static const char *points(char *buf, size_t size, int64_t cp)
{
	return fixed_format_trim(buf, size, cp, 2, 2);
}

/* Appends to buf, "; " between parts. */
static void add_part(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_part(char *buf, size_t size, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used && used + 2 < size) {
		memcpy(buf + used, "; ", 3);
		used += 2;
	}
	if (used >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, size - used, fmt, ap);
	va_end(ap);
}

void review_flag_reason(const struct rulebook *rb,
                        const struct score_agent_result *ar, int bit, char *buf,
                        size_t size)
{
	char a[32], b[32];
	const struct rb_tier *tier =
	    ar->tier_index >= 0 && (size_t)ar->tier_index < rb->tier_count
	        ? &rb->tiers[ar->tier_index]
	        : NULL;

	if (!size)
		return;
	buf[0] = '\0';
	switch (bit) {
	case SCORE_FLAG_NO_BONUS_BIT:
		add_part(buf, size, "得分 %s < %s",
		         points(a, sizeof(a), ar->score_cp),
		         points(b, sizeof(b), rb->bonus_min_score_cp));
		break;
	case SCORE_FLAG_PROBATION_BIT:
		add_part(buf, size, "入职第 %d 个月, 第 %d 个月起计绩效工资",
		         (int)ar->employment_month, (int)rb->pay_from_month);
		break;
	case SCORE_FLAG_PROMOTE_BIT:
		add_part(
		    buf, size, "%d 个月 ≥ %s, 在 %s %d 个月",
		    (int)ar->promote_streak,
		    points(a, sizeof(a), tier ? tier->promote_score_cp : 0),
		    tier ? tier->label : "?", (int)ar->months_in_tier);
		break;
	case SCORE_FLAG_DEMOTE_BIT:
		add_part(buf, size, "%d 个月 < %s", (int)ar->demote_streak,
		         points(a, sizeof(a), rb->demote_below_cp));
		break;
	case SCORE_FLAG_DISMISS_REVIEW_BIT:
		if (ar->dismiss_reasons & SCORE_DISMISS_LOW_SCORE)
			add_part(buf, size, "得分 %s < %s",
			         points(a, sizeof(a), ar->score_cp),
			         points(b, sizeof(b), rb->dismiss_below_cp));
		if ((ar->dismiss_reasons & SCORE_DISMISS_CATEGORY) &&
		    ar->dismiss_category >= 0 &&
		    (size_t)ar->dismiss_category < rb->category_count)
			add_part(buf, size, "%s %d 次 ≥ %d",
			         rb->categories[ar->dismiss_category].label,
			         (int)ar->categories[ar->dismiss_category]
			             .occurrences,
			         (int)rb->categories[ar->dismiss_category]
			             .dismiss_at);
		if (ar->dismiss_reasons & SCORE_DISMISS_LAST_PLACE)
			add_part(buf, size, "%d 个月末位且 < %s",
			         (int)ar->last_place_streak,
			         points(a, sizeof(a), rb->last_place_below_cp));
		break;
	case SCORE_FLAG_NO_KPI_BIT:
		add_part(buf, size, "本月未导入 KPI 数据, 按基础分 %s",
		         points(a, sizeof(a), rb->base_cp));
		break;
	default:
		break;
	}
}

int64_t review_awards_fen(const struct score_agent_result *ar)
{
	return ar->award_fen + ar->streak_award_fen + ar->attendance_award_fen;
}

int64_t review_net_fen(const struct score_agent_result *ar)
{
	return ar->pay_adjust_fen + ar->pool_share_fen + review_awards_fen(ar) -
	       ar->fines_fen;
}
