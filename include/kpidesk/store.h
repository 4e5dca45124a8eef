/* The database: one SQLite file (PRODUCT.md "Files").
 *
 * STRICT tables, foreign keys, WAL, synchronous=FULL, a busy timeout; every
 * write is one BEGIN IMMEDIATE transaction that also writes its audit row, so
 * an entry is committed the moment the call returns KD_OK and a failure
 * changes nothing. Migrations are keyed by PRAGMA user_version; a database
 * from a newer kpidesk is refused. A new file is created with mode 0600.
 *
 * Errors: every function returns a status; on failure the store keeps an
 * English message for the last error (store_last_error).
 */
#ifndef KPIDESK_STORE_H
#define KPIDESK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kpidesk/date.h"
#include "kpidesk/score.h"
#include "kpidesk/status.h"

struct store; /* opaque */

/* The schema version this build writes. */
#define STORE_SCHEMA_VERSION 3

/* Opens (creating if absent, with mode 0600 and any missing parent
 * directory 0700) and migrates the database at `path`. On failure *out is
 * NULL and, if err is not NULL, err holds a message naming the path. */
enum kd_status store_open(const char *path, struct store **out, char *err,
                          size_t err_size);
void store_close(struct store *st);
/* Opens an existing database for reading only, for a look that must never
 * write (the shell completion): SQLite's read-only mode and query_only.
 * A missing or empty file, or a schema other than STORE_SCHEMA_VERSION
 * (older: store_open would migrate it; newer: unreadable), is refused with
 * KD_ERR_DB and the file left as it was. Every write through the returned
 * store fails. Close it with store_close. */
enum kd_status store_open_readonly(const char *path, struct store **out,
                                   char *err, size_t err_size);

/* The message of the last failure on this connection ("" if none). */
const char *store_last_error(const struct store *st);

/* Who makes the changes, for the audit log ("cli", "desk:HOST:PID"). */
void store_set_actor(struct store *st, const char *actor);

/* PRAGMA data_version: changes when another connection commits. */
enum kd_status store_data_version(struct store *st, int64_t *version);

/* ---- agents ---- */

struct store_tier_span {
	kd_month since;
	char *tier_key;
};

struct store_agent {
	int64_t id;
	char *name;
	char *handle; /* NULL when none */
	char *role;   /* "presales" or "aftersales" */
	kd_date hired;
	kd_date left; /* KD_DATE_NONE while employed */
	size_t tier_count;
	struct store_tier_span *tiers; /* ascending by since */
};

struct store_agent_list {
	size_t count;
	struct store_agent *agents; /* ascending by id */
};

void store_agent_finish(struct store_agent *agent);
void store_agent_list_finish(struct store_agent_list *list);

/* Adds an agent whose tier `tier_key` starts in month `tier_since`. */
enum kd_status store_agent_add(struct store *st, const char *name,
                               const char *handle, const char *role,
                               kd_date hired, const char *tier_key,
                               kd_month tier_since, int64_t *id_out);

/* All agents, or (include_left = false) only those without a leave date
 * on or before `today`. */
enum kd_status store_agent_list(struct store *st, bool include_left,
                                kd_date today, struct store_agent_list *out);

/* Finds an agent by id (all digits), exact name or handle, in that order.
 * KD_ERR_NOT_FOUND when none; KD_ERR_CONFLICT when a name or handle matches
 * more than one agent. */
enum kd_status store_agent_find(struct store *st, const char *ref,
                                struct store_agent *out);

enum kd_status store_agent_get(struct store *st, int64_t id,
                               struct store_agent *out);

/* What agent edit changes; a NULL/false field is left as it is. */
struct store_agent_edit {
	const char *name;
	bool set_handle;
	const char *handle; /* NULL or "" clears it */
	bool set_hired;
	kd_date hired;
	bool set_left;
	kd_date left; /* KD_DATE_NONE clears it */
	const char *tier_key;
	kd_month tier_since; /* with tier_key */
};

enum kd_status store_agent_update(struct store *st, int64_t id,
                                  const struct store_agent_edit *edit);

/* ---- events ---- */

struct store_event {
	int64_t id;
	int64_t agent_id;
	char *agent_name;
	kd_date date;
	char *category;
	int32_t quantity;
	char *note;       /* NULL when none */
	char *created_at; /* "YYYY-MM-DD HH:MM:SS", local time */
	bool voided;
	char *void_reason; /* NULL unless voided */
	char *voided_at;
	char *appeal; /* NULL, "open", "upheld" or "voided" */
	char *actor;  /* who entered it (store_set_actor) */
};

struct store_event_list {
	size_t count;
	struct store_event *events; /* by date, then id */
};

void store_event_list_finish(struct store_event_list *list);

/* The engine's view of a stored event; `to` points into `from` (category),
 * so it lives as long as the event does. */
void store_event_to_score(const struct store_event *from,
                          struct score_event *to);

/* Refuses (KD_ERR_INPUT, nothing written) a date before the agent's hire
 * date, after the leave date or after clock_today(), and (KD_ERR_CONFLICT) a
 * date in a closed month; the CLI and the desk check first to say why in
 * their own words, the store keeps the rule whoever calls. */
enum kd_status store_event_add(struct store *st, int64_t agent_id, kd_date date,
                               const char *category, int32_t quantity,
                               const char *note, int64_t *id_out);

/* One entry of a batch (store_events_import). */
struct store_event_new {
	int64_t agent_id;
	kd_date date;
	const char *category;
	int32_t quantity;
	const char *note; /* NULL or "" for none */
};

/* Adds past entries in one transaction, each checked as store_event_add
 * checks one, with one audit row for the whole import ("events.import":
 * the count, the first and last dates, the source). All or nothing: the
 * first entry refused rolls everything back; *refused (may be NULL) is its
 * index. */
enum kd_status store_events_import(struct store *st, size_t count,
                                   const struct store_event_new *events,
                                   const char *source, size_t *refused);

/* Whether an import of the same file (its name, entry count, first and
 * last dates) is in the audit log already: *at gets when (owned by the
 * caller), NULL when never. A second import would double every entry. */
enum kd_status store_events_import_seen(struct store *st, const char *source,
                                        size_t count, kd_date first,
                                        kd_date last, char **at);

/* Voids an event with a reason; KD_ERR_NOT_FOUND for an unknown id,
 * KD_ERR_CONFLICT when it is voided already. */
enum kd_status store_event_void(struct store *st, int64_t event_id,
                                const char *reason);

enum kd_status store_event_get(struct store *st, int64_t event_id,
                               struct store_event *out);
void store_event_finish(struct store_event *event);

/* Events dated from..to inclusive; agent_id 0 for all agents. */
enum kd_status store_events_between(struct store *st, kd_date from, kd_date to,
                                    int64_t agent_id, bool include_voided,
                                    struct store_event_list *out);

/* The month of the earliest record: an event (voided included) or imported
 * KPI metrics; *found false if there is none. Look-backs stop there
 * (RULEBOOK.md section 10: before kpidesk was in use there is no record to
 * judge by; a team that only imports KPI metrics has records too). */
enum kd_status store_earliest_record_month(struct store *st, bool *found,
                                           kd_month *month);

/* ---- months ---- */

struct store_month {
	kd_month month;
	bool closed;
	bool has_silent_sales;
	int64_t silent_sales_fen;
};

/* A month with no row reads as open, no silent-order sales. */
enum kd_status store_month_get(struct store *st, kd_month month,
                               struct store_month *out);

enum kd_status store_month_set_silent_sales(struct store *st, kd_month month,
                                            int64_t silent_sales_fen);

/* ---- KPI metrics ---- */

struct store_metrics_list {
	size_t count;
	struct score_metrics *metrics;
};

void store_metrics_list_finish(struct store_metrics_list *list);

/* Metrics of the months from..to inclusive. */
enum kd_status store_metrics_between(struct store *st, kd_month from,
                                     kd_month to,
                                     struct store_metrics_list *out);

/* Replaces the month's metrics with `list` (one audit row for the import). */
enum kd_status store_metrics_replace(struct store *st, kd_month month,
                                     size_t count,
                                     const struct score_metrics *metrics,
                                     const char *source);

/* ---- sales targets (`kpidesk kpi target`) ----
 * A month's sales target per agent, for exports that carry none. Metrics
 * read back (store_metrics_between) take the set target where the imported
 * row has no target of its own: a target column in the file wins. */

struct store_target {
	int64_t agent_id;
	int64_t target_fen;
};

struct store_target_list {
	size_t count;
	struct store_target *targets;
};

void store_target_list_finish(struct store_target_list *list);

/* The targets set for the month, by agent id. */
enum kd_status store_targets_of_month(struct store *st, kd_month month,
                                      struct store_target_list *out);

/* Sets `target_fen` (> 0) as the month's target of each agent in one
 * transaction with one audit row ("targets.set"; `scope` says whom: an
 * agent's name or "tier junior"). KD_ERR_CONFLICT for a closed month,
 * KD_ERR_NOT_FOUND for an unknown agent; nothing is written then. */
enum kd_status store_targets_set(struct store *st, kd_month month, size_t count,
                                 const int64_t *agent_ids, int64_t target_fen,
                                 const char *scope);

/* ---- scoring input ---- */

/* A closed month's stored board, as text (kpidesk/snapshot.h reads it). */
struct store_closed_board {
	kd_month month;
	char *snapshot;
};

/* Everything score_month() needs for `month`, read with the indexes: the
 * agents, the events and metrics of month - lookback .. month, the month's
 * silent-order sales, the earliest event month and the stored boards of the
 * closed months in the look-back (`closed`). The store does not read those
 * boards: snapshot_history (kpidesk/snapshot.h) turns them into `history`
 * and input.history. The score_input points into *bundle, which owns the
 * memory (history included). */
struct store_score_bundle {
	struct store_agent_list agents;
	struct score_agent *score_agents;
	struct score_tier_span *tier_spans;
	struct store_event_list events;
	struct score_event *score_events;
	struct store_metrics_list metrics;
	struct store_closed_board *closed; /* closed look-back months */
	size_t closed_count;
	struct score_history *history; /* snapshot_history fills it */
	struct score_tally *tallies;
	struct score_input input;
};

enum kd_status store_load_score_input(struct store *st, kd_month month,
                                      int32_t lookback_months,
                                      struct store_score_bundle *bundle);

/* The same input with the events as counts (score_tally): each month of the
 * window is one GROUP BY agent, category, quantity over an index, and the
 * categories whose order matters (`ordered`: their keys, per
 * score_category_ordered()) come as events of four fields. A look-back month
 * that is closed is not read (its stored result stands). Months read are
 * kept by the store and read again only when the file changed under them
 * (another connection's commit, or this one's write to their events). The
 * category keys the input points to live as long as the store. */
enum kd_status store_load_score_tallies(struct store *st, kd_month month,
                                        int32_t lookback_months,
                                        size_t ordered_count,
                                        const char *const *ordered,
                                        bool read_closed,
                                        struct store_score_bundle *bundle);
void store_score_bundle_finish(struct store_score_bundle *bundle);

/* The non-voided events of day's month dated before `day`, as tallies of
 * that month (the categories in `ordered` as events, in date order): what
 * comes before the day's log in each category (score_event_points_after).
 * The month's part is the cached one of store_load_score_tallies. */
struct store_tally_list {
	struct score_tally *tallies;
	size_t count;
	struct score_event *events;
	size_t event_count;
};

enum kd_status store_tallies_before(struct store *st, kd_date day,
                                    size_t ordered_count,
                                    const char *const *ordered,
                                    struct store_tally_list *out);
void store_tally_list_finish(struct store_tally_list *list);

/* ---- audit ---- */

struct store_audit_entry {
	int64_t id;
	char *at;
	char *actor;
	char *action;  /* "agent.add", "event.add", "event.void", ... */
	char *subject; /* "agent:3", "event:12", "month:2026-11" */
	char *detail;  /* JSON text */
};

struct store_audit_list {
	size_t count;
	struct store_audit_entry *entries;
};

void store_audit_list_finish(struct store_audit_list *list);

/* Records a rulebook reload (action "rulebook.reload", subject "rulebook",
 * detail {"source", "accepted", "errors"}): PRODUCT.md audits reloads, the
 * refused ones too. Writes nothing else. */
enum kd_status store_audit_rulebook_reload(struct store *st, const char *source,
                                           bool accepted, size_t error_count);
enum kd_status store_audit_recent(struct store *st, size_t limit,
                                  struct store_audit_list *out);

/* Whether the database holds no agents (for demo and the first start). */
enum kd_status store_is_empty(struct store *st, bool *empty);

/* Runs several writes as one transaction (the demo). Between begin and
 * commit the other write functions join this transaction instead of opening
 * their own. rollback undoes everything since begin. */
enum kd_status store_begin_batch(struct store *st);
enum kd_status store_commit_batch(struct store *st);
void store_rollback_batch(struct store *st);

/* ---- appeals (PRODUCT.md "Appeals") ---- */

/* One appeal with what the review shows of its event. */
struct store_appeal {
	int64_t id;
	int64_t event_id;
	int64_t agent_id;
	char *agent_name;
	kd_date date;   /* the event's */
	char *category; /* the event's category key */
	int32_t quantity;
	char *note;       /* the event's note, NULL when none */
	char *reason;     /* the agent's reason */
	char *state;      /* "open", "upheld" or "voided" */
	char *resolution; /* the lead's reason; NULL while open */
	char *opened_at;
	char *opened_by;
	char *resolved_at; /* NULL while open */
	char *resolved_by;
};

struct store_appeal_list {
	size_t count;
	struct store_appeal *appeals; /* by event date, then event id */
};

void store_appeal_list_finish(struct store_appeal_list *list);

/* Opens an appeal of an event with the agent's reason; the event stays
 * counted. KD_ERR_NOT_FOUND for an unknown event; KD_ERR_CONFLICT for a
 * voided event, an event under open appeal already, or an event of a closed
 * month. Audited as "appeal.open". */
enum kd_status store_appeal_open(struct store *st, int64_t event_id,
                                 const char *reason, int64_t *id_out);

enum store_appeal_outcome {
	STORE_APPEAL_UPHOLD, /* the event stands and stays counted: "upheld" */
	STORE_APPEAL_VOID,   /* the event is voided with the reason: "voided" */
};

/* Resolves the event's open appeal with the lead's reason, in one
 * transaction: for STORE_APPEAL_VOID the event is voided too (void_reason =
 * the reason). KD_ERR_NOT_FOUND for an unknown event; KD_ERR_CONFLICT when
 * it has no open appeal or its month is closed. Audited as "appeal.resolve"
 * (and "event.void" for a void). */
enum kd_status store_appeal_resolve(struct store *st, int64_t event_id,
                                    enum store_appeal_outcome outcome,
                                    const char *reason);

/* The appeals of events dated in `month` (open_only: the open ones). */
enum kd_status store_appeals_in_month(struct store *st, kd_month month,
                                      bool open_only,
                                      struct store_appeal_list *out);

/* ---- closing a month (RULEBOOK.md section 11) ---- */

struct store_month_snapshot {
	kd_month month;
	bool closed;
	char *snapshot;  /* the board as JSON (kpidesk/snapshot.h) */
	char *rulebook;  /* the rulebook text it was scored with */
	char *closed_at; /* "YYYY-MM-DD HH:MM:SS", local time */
	char *closed_by;
};

/* A month that is not closed reads as closed = false, every text NULL. */
enum kd_status store_month_snapshot_get(struct store *st, kd_month month,
                                        struct store_month_snapshot *out);
void store_month_snapshot_finish(struct store_month_snapshot *snap);

/* Closes the month, storing its board (`snapshot`, valid JSON, of
 * `agent_count` agents: its format is kpidesk/snapshot.h's, the store keeps
 * the text) and the rulebook text; from then on its events, silent-order sales
 * and metrics are refused until it is reopened. Refuses (KD_ERR_INPUT) a month
 * after clock_today()'s, (KD_ERR_CONFLICT) a closed month and, unless
 * allow_open_appeals, a month with open appeals (the message names their
 * events). Audited as "month.close" with the open appeals' event ids and
 * whether closing over them was confirmed. Call it inside a batch that also
 * read the events it scored, so that no entry slips in between. */
enum kd_status store_month_close(struct store *st, kd_month month,
                                 const char *snapshot, size_t agent_count,
                                 const char *rulebook_text,
                                 const char *rulebook_name,
                                 bool allow_open_appeals);

/* Reopens a closed month with the lead's reason: its board is scored again
 * with the rules in force. The snapshot and rulebook text it held move into
 * the "month.reopen" audit row, so nothing is lost. KD_ERR_CONFLICT when
 * the month is not closed. */
enum kd_status store_month_reopen(struct store *st, kd_month month,
                                  const char *reason);

/* ---- backup ---- */

/* Writes a consistent copy of the database to `path` through SQLite's
 * online backup API while other connections keep reading and writing (the
 * copy is the last committed state when it began). The copy is written to a
 * temporary file next to `path` (mode 0600), made a single rollback-journal
 * file, checked with PRAGMA integrity_check, and renamed over `path` (an
 * existing file is replaced). Refuses (KD_ERR_INPUT) the live database or
 * its -wal/-shm files as `path`; KD_ERR_IO when it cannot be written. */
enum kd_status store_backup(struct store *st, const char *path);

#endif
