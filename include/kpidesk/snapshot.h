/* A closed month's board as stored text (RULEBOOK.md section 11).
 *
 * Closing a month stores its computed result as one JSON object together
 * with the rulebook text it was scored with; its board, review and exports
 * are rebuilt from the two, whatever the rulebook in force says later. The
 * snapshot names categories, tiers and KPI sections by their keys, so it is
 * read against the stored rulebook, where every key it names exists.
 *
 * The format (version 1) holds integers only: points in centi-points
 * (_cp), money in fen (_fen), KPI values as the engine keeps them:
 *
 *   {"version": 1, "month": "2026-09", "silent_sales_fen": 20000000 | null,
 *    "pool_fen": ..., "undistributed_fen": ..., "skipped_events": 0,
 *    "agents": [{"id": 1, "name": "张伟", "handle": "zw" | null,
 *      "hired": "2024-03-01", "left": null, "tier": "junior" | null,
 *      "months_in_tier": 4, "employment_month": 31, "whole_month": true,
 *      "categories": [{"key": "cover", "occurrences": 2, "total_cp": 1000,
 *                      "fines_fen": 0, "dismiss_reached": false}, ...],
 *      "light_count": 0, "medium_count": 0, "combo_cp": 0, "base_cp": 8000,
 *      "kpi": null | {"score_cp": ..., "metrics": [{"key": "sales",
 *        "present": true, "value_num": ..., "value_den": ..., "value_h": ...,
 *        "band_h": ..., "points_cp": ...}, ...]},
 *      "sales_fen": null | ..., "score_cp": 9100, "grade": "A", "rank": 1,
 *      "previous_score_cp": null | ..., "pay_adjust_fen": 11000,
 *      "pool_share_fen": ..., "award_fen": ..., "streak_award_fen": ...,
 *      "attendance_award_fen": ..., "fines_fen": ..., "top_streak": 1,
 *      "flags": ["promote"], "dismiss_reasons": ["low_score"],
 *      "dismiss_category": null | "complaint", "promote_streak": 3,
 *      "demote_streak": 0, "last_place_streak": 0}, ...]}
 *
 * "agents" is in rank order. Categories appear when they have occurrences,
 * points or fines. This module alone knows the format: the store keeps the
 * text, and the look-backs of later months read "agents"[].id, .score_cp
 * and .rank through snapshot_history.
 */
#ifndef KPIDESK_SNAPSHOT_H
#define KPIDESK_SNAPSHOT_H

#include <stddef.h>

#include "kpidesk/rulebook.h"
#include "kpidesk/score.h"
#include "kpidesk/status.h"
#include "kpidesk/store.h"

#define SNAPSHOT_VERSION 1

/* Encodes `result`, scored with `rb`, as a new NUL-terminated JSON string in
 * *json (free it). KD_ERR_USAGE when the result does not belong to rb. */
enum kd_status snapshot_encode(const struct rulebook *rb,
                               const struct score_month_result *result,
                               char **json);

/* A decoded board: result->agents[i].agent points into this struct. */
struct snapshot_board {
	struct score_month_result *result;
	size_t agent_count;
	struct score_agent *agents;
	char **names; /* owned text behind agents[i].name / .handle */
	char **handles;
};

/* Decodes a snapshot against the rulebook it was stored with. On success
 * *out is a new board (snapshot_board_destroy); on failure *out is NULL and
 * err (if not NULL) says what is wrong: KD_ERR_INPUT for text that is not a
 * version-1 snapshot of this rulebook, KD_ERR_NOMEM. */
enum kd_status snapshot_decode(const struct rulebook *rb, const char *json,
                               struct snapshot_board **out, char *err,
                               size_t err_size);

void snapshot_board_destroy(struct snapshot_board *board);

/* The look-back rows of the closed months in bundle->closed (each agent's
 * id, score and rank, and the board's size), read from their snapshots
 * into bundle->history and bundle->input.history / history_count, which
 * store_score_bundle_finish frees. KD_ERR_INPUT (err: "malformed snapshot
 * of month 2026-08: ...") when a snapshot cannot be read, KD_ERR_NOMEM. */
enum kd_status snapshot_history(struct store_score_bundle *bundle, char *err,
                                size_t err_size);

#endif
