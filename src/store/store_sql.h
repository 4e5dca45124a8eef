/* The store's read queries whose plans matter: shared by src/store and
 * tests/check-store.c, so the EXPLAIN QUERY PLAN test checks the very text
 * the store runs, not a copy of it. Private to src/store and its test.
 */
#ifndef KPIDESK_STORE_SQL_H
#define KPIDESK_STORE_SQL_H

/* One event row as struct store_event reads it, but its appeal. CROSS JOIN
 * keeps events as the outer loop, so a date range is read through an events
 * index and each agent by its primary key. */
#define STORE_SQL_EVENT_SELECT                                                 \
	"SELECT e.id, e.agent_id, a.name, e.date, e.category, e.quantity, "    \
	"e.note, e.created_at, e.voided_at, e.void_reason, e.actor "           \
	"FROM events AS e CROSS JOIN agents AS a ON a.id = e.agent_id "

/* The appeals of the events read, as (date, event id, state) by appeal id
 * (the latest last): appeals are few, so the store reads them apart and
 * gives each event its latest (a look-up per event cost a quarter of
 * reading the month). Of event ?1: */
#define STORE_SQL_EVENT_APPEALS                                                \
	"SELECT e.date, p.event_id, p.state "                                  \
	"FROM appeals AS p CROSS JOIN events AS e ON e.id = p.event_id "       \
	"WHERE p.event_id = ?1 ORDER BY p.id"

/* Of the events dated ?1 to ?2: every appeal, each event by its key. */
#define STORE_SQL_EVENTS_RANGE_APPEALS                                         \
	"SELECT e.date, p.event_id, p.state "                                  \
	"FROM appeals AS p CROSS JOIN events AS e ON e.id = p.event_id "       \
	"WHERE e.date BETWEEN ?1 AND ?2 ORDER BY p.id"

/* ?1 first date, ?2 last date ('YYYY-MM-DD'), ?3 include voided (0/1). */
#define STORE_SQL_EVENTS_RANGE                                                 \
	STORE_SQL_EVENT_SELECT                                                 \
	"WHERE e.date BETWEEN ?1 AND ?2 AND (?3 OR e.voided_at IS NULL) "      \
	"ORDER BY e.date, e.id"

/* The same for one agent, ?4. */
#define STORE_SQL_EVENTS_RANGE_AGENT                                           \
	STORE_SQL_EVENT_SELECT                                                 \
	"WHERE e.agent_id = ?4 AND e.date BETWEEN ?1 AND ?2 "                  \
	"AND (?3 OR e.voided_at IS NULL) ORDER BY e.date, e.id"

/* The earliest event date, voided included: one step down events_date. */
#define STORE_SQL_EARLIEST_EVENT "SELECT min(date) FROM events"

/* A month's non-voided events counted by agent, category and quantity,
 * the categories of the JSON array ?3 left out: ?1 first day, ?2 last day.
 * Read from the covering index events_tally (schema v3). */
#define STORE_SQL_MONTH_TALLIES                                                \
	"SELECT agent_id, category, quantity, count(*) "                       \
	"FROM events INDEXED BY events_tally "                                 \
	"WHERE date BETWEEN ?1 AND ?2 AND voided_at IS NULL "                  \
	"AND category NOT IN (SELECT value FROM json_each(?3)) "               \
	"GROUP BY agent_id, category, quantity"

/* A month's non-voided events, the five fields scoring needs, in index
 * order (the store counts them itself): ?1 first day, ?2 last day. */
#define STORE_SQL_MONTH_EVENTS                                                 \
	"SELECT agent_id, category, quantity, date, id "                       \
	"FROM events INDEXED BY events_tally "                                 \
	"WHERE date BETWEEN ?1 AND ?2 AND voided_at IS NULL"

/* Metrics of months ?1..?2 ('YYYY-MM'); a row without a target of its own
 * takes the one set with `kpi target` (the file's target wins). */
#define STORE_SQL_METRICS_RANGE                                                \
	"SELECT m.agent_id, m.month, m.sales_fen, "                            \
	"coalesce(m.target_fen, t.target_fen), m.inquiries, m.buyers, "        \
	"m.conversion_e4, m.response_e4, m.aov_fen, m.reply_rate_e4 "          \
	"FROM metrics AS m LEFT JOIN targets AS t "                            \
	"ON t.agent_id = m.agent_id AND t.month = m.month "                    \
	"WHERE m.month BETWEEN ?1 AND ?2 ORDER BY m.month, m.agent_id"

#endif
