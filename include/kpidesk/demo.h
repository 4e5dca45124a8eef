/* Demo data for `kpidesk demo` (PRODUCT.md "The command line").
 *
 * Fills a new, empty database with a believable team: Chinese names across
 * every tier of the rulebook, hired at different times (one recently, so on
 * probation), a couple promoted during the period, one who left; events at
 * plausible rates for the last `months` months, notes on every category that
 * requires one, a few entries voided as typing errors, and silent-order sales
 * for each month. Each agent follows a profile with a target score for each
 * month (a star at the top, a struggler with complaints at the bottom, and
 * the grades in between), checked with score_month() and steered there, so
 * the current month's board shows every grade A to F of the default rulebook
 * and the flags no_bonus, probation, promote, demote and dismiss_review.
 *
 * Deterministic: the same seed, options, rulebook and today give the same
 * database.
 */
#ifndef KPIDESK_DEMO_H
#define KPIDESK_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "kpidesk/date.h"
#include "kpidesk/rulebook.h"
#include "kpidesk/status.h"
#include "kpidesk/store.h"

#define DEMO_AGENTS_DEFAULT 10
#define DEMO_AGENTS_MIN     3
#define DEMO_AGENTS_MAX     50
#define DEMO_MONTHS_DEFAULT 3
#define DEMO_MONTHS_MIN     1
#define DEMO_MONTHS_MAX     24

struct demo_options {
	int agents; /* DEMO_AGENTS_MIN..DEMO_AGENTS_MAX */
	int months; /* DEMO_MONTHS_MIN..DEMO_MONTHS_MAX, ending with today's */
	uint64_t seed; /* any value; the same seed gives the same data */
};

/* The defaults: 10 agents, 3 months, seed 1. */
void demo_options_init(struct demo_options *opt);

/* Fills the EMPTY database `st` in one batch transaction: either everything
 * is written or nothing is. `today` is the last date an event may carry (the
 * current month gets events only up to it). `opt` may be NULL for the
 * defaults. On success writes a one-line English summary into `summary`
 * ("10 agents, 3 months (2026-09..2026-11), 1234 events"). On failure
 * returns KD_ERR_USAGE for options out of range, KD_ERR_CONFLICT for a
 * database that already holds agents, KD_ERR_CONFIG for a rulebook with no
 * tiers, or the store's status, with a message in `err`; the database is
 * left as it was. `summary` and `err` may be NULL when their size is 0. */
enum kd_status demo_fill(struct store *st, const struct rulebook *rb,
                         const struct demo_options *opt, kd_date today,
                         char *summary, size_t summary_size, char *err,
                         size_t err_size);

#endif
