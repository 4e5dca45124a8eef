/* The application layer: the use cases the command line and the desk call,
 * and the only door below them (STYLE.md "The shape of the program").
 *
 * Every write checks its rules once, inside the write transaction it
 * commits (so another desk cannot write between the check and the write),
 * and says no with a structured refusal: a code from APP_REFUSAL_LIST plus
 * the fields the message needs (the agent, the month, the dates, ...).
 * Front ends never check a rule themselves; they word a refusal with
 * app_refusal_text(), one message table for all of them, in Chinese under
 * a zh_CN locale and in English otherwise (gettext domain "kpidesk"). So
 * the refusal of one rule reads the same from the desk and the command
 * line.
 */
#ifndef KPIDESK_APP_H
#define KPIDESK_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kpidesk/config.h"
#include "kpidesk/date.h"
#include "kpidesk/demo.h"
#include "kpidesk/export.h"
#include "kpidesk/review.h"
#include "kpidesk/rulebook.h"
#include "kpidesk/status.h"
#include "kpidesk/store.h"

#ifndef N_
#define N_(s) (s) /* a msgid xgettext extracts, translated where shown */
#endif

/* Every refusal: its code, its exit status, and its message (an English
 * msgid, marked N_() so xgettext finds it in this list; `{name}` stands for a
 * field of struct app_refusal, see app_refusal_text). APP_FAILED is a runtime
 * failure (database, disk): its exit status comes from the store's status. */
#define APP_REFUSAL_LIST(X)                                                    \
	X(APP_OK, 0, "")                                                       \
	X(APP_FAILED, 1, N_("{detail}"))                                       \
	X(APP_TEXT_UTF8, 2, N_("{field}: not valid UTF-8 text"))               \
	X(APP_TEXT_HIDDEN, 2,                                                  \
	  N_("{field}: {char} at character {pos} is not allowed"))             \
	X(APP_TEXT_EMPTY, 2, N_("{field}: must not be empty"))                 \
	X(APP_TEXT_LONG, 2,                                                    \
	  N_("{field}: too long ({count} bytes, at most {max})"))              \
	X(APP_NAME_SPACE, 2,                                                   \
	  N_("{field}: '{text}' starts or ends with a space"))                 \
	X(APP_NAME_DIGITS, 2,                                                  \
	  N_("{field}: '{text}' is all digits and would read as an agent id")) \
	X(APP_NAME_TAKEN, 2,                                                   \
	  N_("{field}: '{text}' is already agent {id} ({agent}); give a "      \
	     "different name or a handle"))                                    \
	X(APP_NAME_AMBIGUOUS, 2,                                               \
	  N_("{field}: '{text}' already names more than one agent"))           \
	X(APP_AGENT_UNKNOWN, 2,                                                \
	  N_("unknown agent '{text}' (give an id, an exact name or a "         \
	     "handle)"))                                                       \
	X(APP_TIER_UNKNOWN, 2,                                                 \
	  N_("unknown tier '{text}' (the rulebook's tiers: {detail})"))        \
	X(APP_NO_TIERS, 2, N_("the rulebook defines no tiers"))                \
	X(APP_ROLE_UNKNOWN, 2,                                                 \
	  N_("'{text}' is not a role (presales or aftersales)"))               \
	X(APP_LEFT_BEFORE_HIRED, 2,                                            \
	  N_("the leave date {date} is before the hire date {date2}"))         \
	X(APP_EVENT_BEFORE_HIRED, 2,                                           \
	  N_("{agent} has an event on {date}, before the hire date {date2}; "  \
	     "void it first"))                                                 \
	X(APP_EVENT_AFTER_LEFT, 2,                                             \
	  N_("{agent} has an event on {date}, after the leave date {date2}; "  \
	     "void it first"))                                                 \
	X(APP_CATEGORY_UNKNOWN, 2,                                             \
	  N_("unknown category '{text}' (the rulebook's categories: "          \
	     "{detail})"))                                                     \
	X(APP_QUANTITY_RANGE, 2,                                               \
	  N_("the quantity '{text}' is not a whole number from 1 to 1440"))    \
	X(APP_NOTE_REQUIRED, 2,                                                \
	  N_("{text} ({detail}) needs a note, such as the order number"))      \
	X(APP_DATE_FUTURE, 2, N_("{date} is after today ({date2})"))           \
	X(APP_DATE_BEFORE_HIRED, 2,                                            \
	  N_("{date} is before {agent} was hired ({date2})"))                  \
	X(APP_DATE_AFTER_LEFT, 2,                                              \
	  N_("{date} is after {agent} left ({date2})"))                        \
	X(APP_MONTH_CLOSED, 2,                                                 \
	  N_("{month} is closed; reopen it before changing its entries"))      \
	X(APP_EVENT_UNKNOWN, 2, N_("no event {id}"))                           \
	X(APP_EVENT_VOIDED, 2, N_("event {id} is voided already ({text})"))    \
	X(APP_APPEAL_OPEN, 2, N_("event {id} is under appeal already"))        \
	X(APP_APPEAL_NONE, 2, N_("event {id} has no open appeal"))             \
	X(APP_MONTH_NOT_CLOSED, 2, N_("{month} is not closed"))                \
	X(APP_MONTH_CLOSED_ALREADY, 2,                                         \
	  N_("{month} is closed already ({detail} by {agent})"))               \
	X(APP_MONTH_NOT_BEGUN, 2,                                              \
	  N_("{month} has not begun (today is {date}); only a month that "     \
	     "has begun can be closed"))                                       \
	X(APP_MONTH_OPEN_APPEALS, 2,                                           \
	  N_("{month} has {count} open appeal(s): events {detail}"))           \
	X(APP_FILE_DATABASE, 2,                                                \
	  N_("{path} is the database or one of its files; write to another "   \
	     "file"))                                                          \
	X(APP_FILE_NOT_REGULAR, 2,                                             \
	  N_("{path} is {kind}, not a regular file; nothing was written"))     \
	X(APP_FILE_IO, 1, N_("cannot write {path}: {detail}"))                 \
	X(APP_AGENT_AMBIGUOUS, 2,                                              \
	  N_("'{text}' names more than one agent: give the id or the handle")) \
	X(APP_AGENT_OFF_BOARD, 2,                                              \
	  N_("{agent} is not on the {month} board ({kind} {date})"))           \
	X(APP_TIER_EMPTY, 2,                                                   \
	  N_("no agent of tier {text} is on the {month} board"))               \
	X(APP_AMOUNT_BAD, 2,                                                   \
	  N_("{field}: not an amount in yuan above 0 (such as 120000 or "      \
	     "120,000.00)"))                                                   \
	X(APP_MONTH_AHEAD, 2, N_("{month} is after this month ({detail})"))    \
	X(APP_MINUTES_MISSING, 2,                                              \
	  N_("{text} ({detail}) counts minutes: give them"))                   \
	X(APP_FILE_READ, 2, N_("{path}: cannot read: {detail}"))               \
	X(APP_FILE_TOO_LARGE, 2,                                               \
	  N_("{path}: too large to import (more than {max} bytes)"))           \
	X(APP_IMPORT_PROBLEMS, 2,                                              \
	  N_("{path}: {count} problem(s); nothing imported"))                  \
	X(APP_IMPORT_TWICE, 2,                                                 \
	  N_("{path}: imported already ({detail}), with as many entries "      \
	     "over the same dates; importing it again would count each "       \
	     "entry twice (--again if that is meant)"))                        \
	X(APP_RULEBOOK_BAD, 2,                                                 \
	  N_("the rulebook {path} has {count} error(s); the rules in force "   \
	     "stay"))

enum app_code {
#define APP_CODE_ENUM(name, exit_status, msgid) name,
	APP_REFUSAL_LIST(APP_CODE_ENUM)
#undef APP_CODE_ENUM
};

#define APP_TEXT_FIELD 160 /* bytes of an echoed name, note or path */

/* Why a use case said no, as data. Which fields are set depends on the
 * code (the msgid in APP_REFUSAL_LIST names them). */
struct app_refusal {
	enum app_code code;
	enum kd_status status; /* KD_OK, or the failure's status */
	const char *field; /* the input: "name" (a msgid), "--date" (as is) */
	const char *kind;  /* APP_FILE_NOT_REGULAR: an N_() msgid */
	char text[APP_TEXT_FIELD];  /* the input as given (or a category) */
	char agent[APP_TEXT_FIELD]; /* an agent's name, or who closed */
	char path[APP_TEXT_FIELD * 4];
	char detail[512]; /* a list, a label, a store message, strerror */
	kd_month month;
	kd_date date, date2;
	int64_t id; /* an event or agent id */
	int64_t count, max;
	uint32_t cp;     /* APP_TEXT_HIDDEN: the character */
	size_t position; /* APP_TEXT_HIDDEN: 1-based, in characters */
};

/* The refusal in words, in the current locale's language: the msgid of
 * its code through gettext, every {field} filled in (names and texts with
 * hidden characters shown as U+FFFD). Returns buf. */
char *app_refusal_text(const struct app_refusal *r, char *buf, size_t size);

/* The process exit status of the refusal (0 for APP_OK). */
int app_refusal_exit(const struct app_refusal *r);

/* The code's name ("APP_MONTH_CLOSED"), for tests and logs. */
const char *app_code_name(enum app_code code);

/* Binds the "kpidesk" message catalogue (next to the program when run from
 * its build directory, else the installed locale directory). main calls
 * it once; safe to call again. */
void app_i18n_init(void);

/* ---- the session: the database and the rulebook in force ---- */

struct app {
	struct store *st;
	struct rulebook *rb; /* the rulebook in force */
	char *config_path;   /* NULL: the built-in rulebook */
	char *db_path;
};

/* Loads the rulebook from `config_path` (NULL: the built-in one). On a bad
 * rulebook returns KD_ERR_CONFIG with every error in *errors (the caller
 * finishes them) and leaves *out NULL. */
enum kd_status app_rulebook_load(const char *config_path, struct rulebook **out,
                                 struct config_errors *errors);

/* Reloads the rulebook from app->config_path and swaps it in only if it
 * validates (STYLE.md practice 8); a refused one leaves app->rb as it was,
 * its errors in *errors. The reload, accepted or not, is audited. On
 * success *old gets the previous rulebook for the caller to destroy once
 * nothing points into it. */
bool app_rulebook_reload(struct app *app, struct rulebook **old,
                         struct config_errors *errors, struct app_refusal *why);

/* Opens the database at app->db_path for `actor` ("cli", "desk:HOST:PID").
 * On failure returns the status with the message in err. */
enum kd_status app_open_store(struct app *app, const char *actor, char *err,
                              size_t err_size);
/* A runtime failure of the database as a refusal (APP_FAILED with the
 * store's message); for callers that reach the store through another
 * module (the KPI import). Returns false. */
bool app_failure(struct app *app, enum kd_status status,
                 struct app_refusal *why);

/* Who the audit log names for the session's writes from now on (the
 * desk: the rulebook's [team] lead, else the login name). */
void app_set_actor(struct app *app, const char *actor);

/* Closes the database and destroys the rulebook and paths. */
void app_finish(struct app *app);

/* ---- text checks (used by every use case that stores text) ---- */

/* Valid UTF-8, no hidden character (text_find_hidden), at most max_bytes,
 * and (unless allow_blank) not blank. `field` names it in the refusal. */
bool app_check_text(const char *field, const char *text, size_t max_bytes,
                    bool allow_blank, struct app_refusal *why);

#define APP_NAME_MAX 64  /* bytes of a name or handle */
#define APP_NOTE_MAX 500 /* bytes of a note or reason */

/* ---- entries: log, void, appeal, settle ---- */

/* A category by key or by its label as written in the rulebook. */
const struct rb_category *app_category_find(const struct rulebook *rb,
                                            const char *ref);

struct app_log {
	int64_t agent_id;
	const char *category; /* key or label */
	int32_t quantity;     /* 1..1440: minutes, or occurrences */
	kd_date date;
	const char *note; /* NULL or blank: none */
	/* The lead gave no quantity: 1 occurrence, refused for a category
	 * counted in minutes (APP_MINUTES_MISSING). */
	bool quantity_left_out;
};

/* A quantity as typed (QTY, the desk's minutes prompt): a whole number
 * from 1 to 1440, else APP_QUANTITY_RANGE naming what was typed. */
bool app_quantity_parse(const char *text, int32_t *out,
                        struct app_refusal *why);

/* An entry's note for category `cat` (NULL when none): hidden characters
 * refused, and APP_NOTE_REQUIRED when the category needs one and it is
 * missing or blank. app_log checks it too; the desk's note prompt asks
 * before it closes. */
bool app_note_check(const struct rb_category *cat, const char *note,
                    struct app_refusal *why);

/* Logs one entry. Refuses an unknown agent or category, a quantity out of
 * range, a missing required note, hidden characters in the note, a date
 * after today, before the hire date or after the leave date, and a date in
 * a closed month. *id_out gets the new event's id. */
bool app_log(struct app *app, const struct app_log *entry, int64_t *id_out,
             struct app_refusal *why);

/* The day-of-event rules alone (the agent exists; the date is not after
 * today, not outside the employment, not in a closed month), for a front
 * end that asks for more (minutes, a note) only when the entry could be
 * saved. app_log checks them again inside its transaction. */
bool app_log_allowed(struct app *app, int64_t agent_id, kd_date date,
                     struct app_refusal *why);

/* Voids an event with a reason; refuses an unknown or voided event and one
 * in a closed month. An open appeal of it is settled as voided. */
bool app_void(struct app *app, int64_t event_id, const char *reason,
              struct app_refusal *why);

/* Opens the agent's appeal of an event; refuses an unknown or voided
 * event, one under open appeal, one in a closed month. */
bool app_appeal(struct app *app, int64_t event_id, const char *reason,
                struct app_refusal *why);

/* The rules of app_void / app_appeal alone, for a front end that asks for
 * the reason only when the entry could be voided / appealed. */
bool app_void_allowed(struct app *app, int64_t event_id,
                      struct app_refusal *why);
bool app_appeal_allowed(struct app *app, int64_t event_id,
                        struct app_refusal *why);

/* Settles an open appeal: uphold (the event stands) or void it. Refuses an
 * unknown event, one without an open appeal, one in a closed month. */
bool app_settle(struct app *app, int64_t event_id,
                enum store_appeal_outcome outcome, const char *reason,
                struct app_refusal *why);

/* ---- agents ---- */

/* Finds an agent by id, exact name or handle (store_agent_find). */
bool app_agent_find(struct app *app, const char *ref, struct store_agent *out,
                    struct app_refusal *why);

struct app_agent_new {
	const char *name;
	const char *handle; /* NULL or "": none */
	const char *tier;   /* NULL: the rulebook's first tier */
	const char *role;   /* NULL: "presales" */
	kd_date hired;
};

/* Adds an agent; refuses bad or taken names and handles, an unknown tier
 * or role. The tier starts in the hire month. */
bool app_agent_add(struct app *app, const struct app_agent_new *agent,
                   int64_t *id_out, struct app_refusal *why);

/* Edits an agent: names and handles as app_agent_add, a leave date before
 * the hire date, and hire/leave dates that would leave standing events
 * outside the employment are refused. */
bool app_agent_edit(struct app *app, int64_t agent_id,
                    const struct store_agent_edit *edit,
                    struct app_refusal *why);

/* ---- months ---- */

/* A month's board (open: scored now; closed: its stored result) with its
 * open appeals; `with_appeals` false for the board alone. */
bool app_board_load(struct app *app, kd_month month, bool with_appeals,
                    struct review_month *out, struct app_refusal *why);
/* The last REVIEW_TREND_MONTHS months' scores of the board's agents. */
bool app_trend_load(struct app *app, const struct review_month *rm,
                    struct review_trend *out, struct app_refusal *why);

/* Closes a month (allow_open_appeals: the lead confirmed closing over open
 * appeals); *agent_count gets the agents on the stored board. */
bool app_month_close(struct app *app, kd_month month, bool allow_open_appeals,
                     size_t *agent_count, struct app_refusal *why);
/* The rules of app_month_close and app_month_reopen alone (the month has
 * begun and is not closed; the month is closed), for a front end that
 * asks for a confirmation or a reason only when the act could be done.
 * Closing over open appeals is left to the confirmation. */
bool app_month_close_allowed(struct app *app, kd_month month,
                             struct app_refusal *why);
bool app_month_reopen_allowed(struct app *app, kd_month month,
                              struct app_refusal *why);

/* Whether the month's entries may change: APP_MONTH_CLOSED for a closed
 * month (the one refusal every front end shows for it). */
bool app_month_writable(struct app *app, kd_month month,
                        struct app_refusal *why);

/* Reopens a closed month with the lead's reason. */
bool app_month_reopen(struct app *app, kd_month month, const char *reason,
                      struct app_refusal *why);

/* ---- writing files (exports, backups) ---- */

/* Writes the bytes `write` produces to `path`, safely: the target is
 * checked first (the live database, its -wal/-shm, reached also through a
 * symlink or `..`, is refused; an existing target that is not a regular
 * file -- a FIFO, a device, a directory -- is refused and never opened);
 * a symlink is written through (the link stays, the file it points to is
 * replaced). The bytes go to a temporary file in the target's directory,
 * mode 0600 whatever the umask, are flushed and fsynced, then renamed over
 * the target and the directory fsynced: a failure (a full disk) leaves the
 * old file as it was. `write` writes to `out`, or (a library that
 * writes to a path: libxlsxwriter) rewrites `tmp_path` in place, the file
 * `out` is open on; it returns KD_OK or its failure. */
typedef enum kd_status (*app_write_fn)(FILE *out, const char *tmp_path,
                                       void *ctx);
bool app_write_file(struct app *app, const char *path, app_write_fn write,
                    void *ctx, struct app_refusal *why);

/* The target checks of app_write_file alone, for a front end that checks
 * where the output goes before it does the work of making it. */
bool app_write_target_ok(struct app *app, const char *path,
                         struct app_refusal *why);

/* The review export of a loaded month, through app_write_file. */
bool app_export_review(struct app *app, const char *path,
                       enum export_format format, const struct review_month *rm,
                       const struct review_trend *trend,
                       struct app_refusal *why);

/* A backup of the live database (store_backup) to `path`, with the target
 * checked as app_write_file does. */
bool app_backup(struct app *app, const char *path, struct app_refusal *why);

/* ---- the demo ---- */

/* Fills an empty database with the demo team (kpidesk/demo.h). */
bool app_demo(struct app *app, const struct demo_options *opt, char *summary,
              size_t summary_size, struct app_refusal *why);

/* ---- reading (the front ends' data loading) ---- */

/* The agents (include_left: those who left too, as of today). */
bool app_agents(struct app *app, bool include_left,
                struct store_agent_list *out, struct app_refusal *why);
bool app_agent_get(struct app *app, int64_t agent_id, struct store_agent *out,
                   struct app_refusal *why);
/* Events dated from..to inclusive; agent_id 0 for all agents. */
bool app_events(struct app *app, kd_date from, kd_date to, int64_t agent_id,
                bool include_voided, struct store_event_list *out,
                struct app_refusal *why);
/* One event; APP_EVENT_UNKNOWN when there is none. */
bool app_event_get(struct app *app, int64_t event_id, struct store_event *out,
                   struct app_refusal *why);
/* Whether a month is closed, and its silent-order sales. */
bool app_month_get(struct app *app, kd_month month, struct store_month *out,
                   struct app_refusal *why);
/* The appeals of events dated in `month` (open_only: the open ones). */
bool app_appeals(struct app *app, kd_month month, bool open_only,
                 struct store_appeal_list *out, struct app_refusal *why);
/* What each of a month's events added (review_event_points). */
bool app_event_points(struct app *app, kd_month month,
                      const struct store_event_list *events, int64_t *points_cp,
                      struct rulebook **rules_out, struct app_refusal *why);
/* The same for one day's events (all dated `day`): the month before the
 * day is read as counts, so the desk's log costs the day, not the month
 * (review_day_points). */
bool app_day_points(struct app *app, kd_date day,
                    const struct store_event_list *events, int64_t *points_cp,
                    struct app_refusal *why);
/* Whether the database holds no agents yet (the first start). */
bool app_is_empty(struct app *app, bool *empty, struct app_refusal *why);
/* Changes when another connection commits (PRAGMA data_version). */
bool app_data_version(struct app *app, int64_t *version);

/* The month's silent-order sales (fen); refused for a closed month. */
bool app_month_set_sales(struct app *app, kd_month month,
                         int64_t silent_sales_fen, struct app_refusal *why);

/* Frees what the reads above filled in. */
void app_agent_finish(struct store_agent *agent);
void app_agents_finish(struct store_agent_list *list);
void app_event_finish(struct store_event *event);
void app_events_finish(struct store_event_list *list);
void app_appeals_finish(struct store_appeal_list *list);

/* Every agent of the database at `db_path`, read without a session and
 * without ever writing: the file is opened read-only, and a missing, older
 * or newer database gives false (for shell completion, which must never
 * create or migrate a file). */
bool app_agents_readonly(const char *db_path, kd_date today,
                         struct store_agent_list *out);

#endif
