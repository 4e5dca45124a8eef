/* Private to review.c and the files split from it: what they share. */
#ifndef KPIDESK_REVIEW_INTERNAL_H
#define KPIDESK_REVIEW_INTERNAL_H

#include "kpidesk/export.h"
#include "kpidesk/fixed.h"
#include "kpidesk/text.h"
#include "tui_internal.h"
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REVIEW_SCOPE (TUI_SCOPE_VIEW | TUI_SCOPE_REVIEW)
#define LINE_SIZE    512
#define PATH_SIZE    1024

struct review {
	kd_month month;
	bool loaded;
	struct review_month rm;
	struct review_trend trend;
	bool has_trend;
	size_t sel, top;
	size_t detail_top;  /* the breakdown's first shown line */
	size_t detail_rows; /* its lines as last drawn, for scrolling */
	bool present;       /* presentation mode */
	/* Where the board's first agent row was drawn, for the mouse. */
	int board_y, board_x;
	size_t board_w, board_step, board_shown;
};

void review_appeal_words(const struct review *rv, const struct store_appeal *ap,
                         char *buf, size_t size);
void review_draw(struct tui *tui, void *state);
const struct score_agent_result *review_selected(const struct review *rv);

#endif
