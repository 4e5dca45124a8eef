/* The month review's data (PRODUCT.md "The month review", RULEBOOK.md
 * sections 10 and 11).
 *
 * One place answers "what is this month's board": an open month is scored
 * now with the rulebook in force; a closed month is read from its snapshot
 * with the rulebook text stored when it was closed, whatever the rulebook
 * says today. The command line (score, review, month close) and the shift
 * desk's review screen all load months here, so they never disagree. The
 * same goes for the trend of the last months and the flags spelled out
 * with their reasons. Closing a month is a use case: app_month_close
 * (kpidesk/app.h).
 */
#ifndef KPIDESK_REVIEW_H
#define KPIDESK_REVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kpidesk/date.h"
#include "kpidesk/rulebook.h"
#include "kpidesk/score.h"
#include "kpidesk/snapshot.h"
#include "kpidesk/status.h"
#include "kpidesk/store.h"

/* The months the trend shows, the reviewed one last. */
#define REVIEW_TREND_MONTHS 6

struct review_month {
	kd_month month;
	bool closed;
	char *closed_at; /* NULL while open */
	char *closed_by;
	/* The rules the board was computed with: the caller's rulebook for an
	 * open month, the stored one for a closed month (owned here). */
	const struct rulebook *rb;
	const struct score_month_result *result;
	/* The month's open appeals (review_month_load only). */
	struct store_appeal_list appeals;

	/* Private: what owns the memory. */
	struct rulebook *owned_rb;
	struct snapshot_board *board;
	struct store_score_bundle bundle;
	struct score_month_result *scored;
};

/* Loads `month`'s board and open appeals. `rb` is the rulebook in force,
 * used when the month is open. On failure returns the status, fills err
 * (a message naming what went wrong) and leaves *out empty. */
enum kd_status review_month_load(struct store *st, const struct rulebook *rb,
                                 kd_month month, struct review_month *out,
                                 char *err, size_t err_size);
/* The same without the appeals (the board alone). */
enum kd_status review_board_load(struct store *st, const struct rulebook *rb,
                                 kd_month month, struct review_month *out,
                                 char *err, size_t err_size);
void review_month_finish(struct review_month *rm);

/* What score_month() needs for `month` scored with `rb` (its look-back):
 * store_load_score_tallies, then the closed look-back months' boards read
 * from their snapshots (snapshot_history). Every open month is scored
 * through this. On failure the bundle is empty and err says why
 * (KD_ERR_DB for a stored board that cannot be read). */
enum kd_status review_score_input(struct store *st, const struct rulebook *rb,
                                  kd_month month,
                                  struct store_score_bundle *bundle, char *err,
                                  size_t err_size);

/* The rulebook a closed month was closed under, as a new rulebook in *out
 * (rulebook_destroy it); *out is NULL for a month that is not closed. For
 * what else shows a closed month's numbers (the events' points). */
enum kd_status review_month_rulebook(struct store *st, kd_month month,
                                     struct rulebook **out, char *err,
                                     size_t err_size);

/* What each of a month's events added (score_event_points), with the rules
 * the month is scored by: the stored rulebook of a closed month, else `rb`.
 * `events` must hold the whole month (points depend on the other entries of
 * the same category); points_cp has events->count slots. rules_out (may be
 * NULL) receives the closed month's stored rulebook, for its labels (NULL
 * for an open month; rulebook_destroy it). The command line's `events` and
 * the desk's log both call this, so they never disagree. */
enum kd_status
review_event_points(struct store *st, const struct rulebook *rb, kd_month month,
                    const struct store_event_list *events, int64_t *points_cp,
                    struct rulebook **rules_out, char *err, size_t err_size);

/* The same for the entries of one day (`events` holds only entries dated
 * `day`, voided ones included): what comes before the day in its month is
 * read as counts (store_tallies_before), so the desk's log costs the day,
 * not the month. */
enum kd_status review_day_points(struct store *st, const struct rulebook *rb,
                                 kd_date day,
                                 const struct store_event_list *events,
                                 int64_t *points_cp, char *err,
                                 size_t err_size);

/* Each board agent's score in the REVIEW_TREND_MONTHS months ending with
 * the reviewed one: closed months from their snapshots, open ones scored
 * with the rulebook in force. Months before the earliest event in the
 * database (RULEBOOK.md section 10: no record to judge by) and months in
 * which the agent was not on the board have no score. */
struct review_trend {
	kd_month first;     /* the oldest month shown */
	int32_t months;     /* REVIEW_TREND_MONTHS */
	size_t agent_count; /* the reviewed board's agents, in its order */
	bool *present;      /* [agent * months + j], j = 0 is `first` */
	int64_t *score_cp;
};

enum kd_status review_trend_load(struct store *st, const struct rulebook *rb,
                                 const struct review_month *rm,
                                 struct review_trend *out, char *err,
                                 size_t err_size);
void review_trend_finish(struct review_trend *trend);

/* The flags in words. review_flag_label: the flag's short Chinese name
 * ("建议晋升"); "" for an unknown bit. review_flag_reason: why it was
 * raised, from the result and the rules it was computed with, such as
 * "3 个月 ≥ 85, 在 初级客服 4 个月". */
const char *review_flag_label(int bit);
void review_flag_reason(const struct rulebook *rb,
                        const struct score_agent_result *ar, int bit, char *buf,
                        size_t size);

/* The three awards together: the bonus award, the top-streak award and
 * the full-attendance award. */
int64_t review_awards_fen(const struct score_agent_result *ar);
/* The net amount for payroll: pay adjustment + pool share + awards - fines. */
int64_t review_net_fen(const struct score_agent_result *ar);

#endif
