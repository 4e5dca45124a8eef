/* Private to desk.c and the files split from it: what they share. */
#ifndef KPIDESK_DESK_INTERNAL_H
#define KPIDESK_DESK_INTERNAL_H

#include "kpidesk/config.h"
#include "kpidesk/fixed.h"
#include "kpidesk/review.h"
#include "kpidesk/text.h"
#include "tui_internal.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct store_agent *desk_find_agent(const struct tui *tui, int64_t id);
bool desk_agent_score_combo(struct tui *tui, kd_month month, int64_t agent_id,
                            int64_t *score_cp, int64_t *combo_cp);
void desk_combo_note(int64_t before, int64_t after, char *buf, size_t size);
size_t desk_pane_count(const struct tui *tui, enum tui_pane pane);
const struct store_event *desk_log_event(const struct tui *tui, size_t row,
                                         int64_t *points);
void desk_undo_last(struct tui *tui);
void desk_void_selected(struct tui *tui);
void desk_appeal_selected(struct tui *tui);
void desk_details_open(struct tui *tui);
void desk_draw(struct tui *tui, void *state);

#endif
