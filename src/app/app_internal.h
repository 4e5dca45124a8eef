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

#endif
