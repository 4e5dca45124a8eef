/* Shared inside src/app: filling in refusals and running a write in one
 * transaction. */
#ifndef KPIDESK_APP_INTERNAL_H
#define KPIDESK_APP_INTERNAL_H

#include "kpidesk/app.h"

/* Starts a refusal: zeroes *why and sets its code. Returns false, so a use
 * case can `return refuse(why, CODE)` after filling the fields. */
struct app_refusal *app_refuse(struct app_refusal *why, enum app_code code);

/* A runtime failure of the store: APP_FAILED with its status and message.
 * Returns false. */
bool app_store_failed(struct app *app, enum kd_status status,
                      struct app_refusal *why);

/* Copies s into a refusal's text field. */
void app_copy(char *dst, size_t size, const char *s);

/* Begins the write transaction a use case checks its rules in. */
bool app_begin(struct app *app, struct app_refusal *why);
/* Commits it; on failure rolls back and fills *why. */
bool app_commit(struct app *app, struct app_refusal *why);
/* Rolls it back (after a refusal). Returns false. */
bool app_rollback(struct app *app);

/* The refusal for a month that is closed, or true when it is open. */
bool app_month_open(struct app *app, kd_month month, struct app_refusal *why);

/* The rules of one entry that need no database: the category known (a
 * key or a label), the quantity 1..1440 and given for a category counted
 * in minutes, the note valid text and present where the category requires
 * one. *cat_out gets the category, *note_out the note to store (NULL for
 * none or a blank one). Every way an entry comes in (log, the desk, events
 * import) checks it here. */
bool app_entry_fields(const struct rulebook *rb, const char *category,
                      int64_t quantity, bool quantity_given, const char *note,
                      const struct rb_category **cat_out, const char **note_out,
                      struct app_refusal *why);

/* The day-of-event rules for the agent (RULEBOOK.md section 2): the date
 * not after today, within the employment, in an open month. Called inside
 * the write transaction. */
bool app_entry_day(struct app *app, const struct store_agent *agent,
                   kd_date date, struct app_refusal *why);

/* The tier a key (or, with `labels`, a label) names, into *index; else
 * APP_TIER_UNKNOWN listing the rulebook's tiers. */
bool app_tier_find(const struct rulebook *rb, const char *ref, bool labels,
                   int *index, struct app_refusal *why);

#endif
