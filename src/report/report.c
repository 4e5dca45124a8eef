#include "kpidesk/report.h"

#include <stdlib.h>
#include <string.h>

#include "kpidesk/csv.h"
#include "kpidesk/date.h"
#include "kpidesk/fixed.h"
#include "kpidesk/json.h"
#include "kpidesk/text.h"

bool report_format_parse(const char *text, enum report_format *out)
{
	static const struct {
		const char *name;
		enum report_format format;
	} formats[] = {
	    {"table", REPORT_TABLE},
	    {"csv", REPORT_CSV},
	    {"json", REPORT_JSON},
	};
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (text && strcmp(text, formats[i].name) == 0) {
			*out = formats[i].format;
			return true;
		}
	}
	return false;
}

/* ---- tables ---- */

struct report_table {
	size_t columns;
	char **headers;
	bool *right;
	bool *numeric;
	size_t rows;
	size_t capacity;
	char ***cells; /* rows x columns */
};

static char *dup_text(const char *s)
{
	if (!s)
		s = "";
	size_t n = strlen(s) + 1;
	char *copy = malloc(n);
	if (copy)
		memcpy(copy, s, n);
	return copy;
}

static void free_cells(char **cells, size_t n)
{
	if (!cells)
		return;
	for (size_t i = 0; i < n; i++)
		free(cells[i]);
	free(cells);
}

static char **copy_cells(const char *const *src, size_t n)
{
	char **cells = calloc(n, sizeof(*cells));
	if (!cells)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		cells[i] = dup_text(src[i]);
		if (!cells[i]) {
			free_cells(cells, n);
			return NULL;
		}
	}
	return cells;
}

struct report_table *report_table_create(size_t columns,
                                         const char *const *headers)
{
	struct report_table *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->columns = columns;
	t->headers = copy_cells(headers, columns);
	t->right = calloc(columns, sizeof(*t->right));
	t->numeric = calloc(columns, sizeof(*t->numeric));
	if (!t->headers || !t->right || !t->numeric) {
		report_table_destroy(t);
		return NULL;
	}
	return t;
}

void report_table_destroy(struct report_table *table)
{
	if (!table)
		return;
	for (size_t r = 0; r < table->rows; r++)
		free_cells(table->cells[r], table->columns);
	free(table->cells);
	free_cells(table->headers, table->columns);
	free(table->right);
	free(table->numeric);
	free(table);
}

void report_table_align_right(struct report_table *table, size_t column)
{
	if (column < table->columns)
		table->right[column] = true;
}

void report_table_numeric(struct report_table *table, size_t column)
{
	if (column < table->columns)
		table->right[column] = table->numeric[column] = true;
}

enum kd_status report_table_add_row(struct report_table *table,
                                    const char *const *cells)
{
	if (table->rows == table->capacity) {
		size_t cap = table->capacity ? table->capacity * 2 : 16;
		char ***grown = realloc(table->cells, cap * sizeof(*grown));
		if (!grown)
			return KD_ERR_NOMEM;
		table->cells = grown;
		table->capacity = cap;
	}
	char **row = copy_cells(cells, table->columns);
	if (!row)
		return KD_ERR_NOMEM;
	table->cells[table->rows++] = row;
	return KD_OK;
}

static enum kd_status write_text_row(const struct report_table *t,
                                     char *const *cells, const size_t *widths,
                                     char *line, size_t line_size, FILE *out)
{
	line[0] = '\0';
	for (size_t c = 0; c < t->columns; c++) {
		if (c > 0)
			strcat(line, "  ");
		text_pad(line, line_size, cells[c], widths[c], t->right[c]);
	}
	size_t len = strlen(line);
	while (len > 0 && line[len - 1] == ' ')
		line[--len] = '\0';
	if (fprintf(out, "%s\n", line) < 0)
		return KD_ERR_IO;
	return KD_OK;
}

enum kd_status report_table_write_text(const struct report_table *t, FILE *out)
{
	size_t *widths = calloc(t->columns, sizeof(*widths));
	if (!widths)
		return KD_ERR_NOMEM;
	size_t line_size = 1;
	for (size_t c = 0; c < t->columns; c++) {
		widths[c] = text_width(t->headers[c]);
		size_t bytes = strlen(t->headers[c]);
		for (size_t r = 0; r < t->rows; r++) {
			size_t w = text_width(t->cells[r][c]);
			size_t b = strlen(t->cells[r][c]);
			if (w > widths[c])
				widths[c] = w;
			if (b > bytes)
				bytes = b;
		}
		/* bytes of the longest cell plus padding, generously */
		line_size += bytes + widths[c] + 2;
	}
	char *line = malloc(line_size);
	enum kd_status status = line ? KD_OK : KD_ERR_NOMEM;
	if (status == KD_OK)
		status =
		    write_text_row(t, t->headers, widths, line, line_size, out);
	for (size_t r = 0; status == KD_OK && r < t->rows; r++)
		status = write_text_row(t, t->cells[r], widths, line, line_size,
		                        out);
	free(line);
	free(widths);
	return status;
}

enum kd_status report_table_write_csv(const struct report_table *t, FILE *out)
{
	enum csv_cell *kinds = calloc(t->columns, sizeof(*kinds));
	enum kd_status status = KD_OK;

	if (!kinds)
		return KD_ERR_NOMEM;
	for (size_t c = 0; c < t->columns; c++)
		kinds[c] = t->numeric[c] ? CSV_NUMBER : CSV_TEXT;
	if (!csv_write_row(out, (const char *const *)t->headers, NULL,
	                   t->columns))
		status = KD_ERR_IO;
	for (size_t r = 0; status == KD_OK && r < t->rows; r++)
		if (!csv_write_row(out, (const char *const *)t->cells[r], kinds,
		                   t->columns))
			status = KD_ERR_IO;
	free(kinds);
	return status;
}

static enum kd_status table_write(const struct report_table *t,
                                  enum report_format format, FILE *out)
{
	return format == REPORT_CSV ? report_table_write_csv(t, out)
	                            : report_table_write_text(t, out);
}

/* ---- common cells ---- */

static const char *points_text(char *buf, size_t size, int64_t cp)
{
	return fixed_format(buf, size, cp, 2, 2);
}

static const char *money_text(char *buf, size_t size, int64_t fen)
{
	return fixed_format(buf, size, fen, 2, 2);
}

static const char *signed_money_text(char *buf, size_t size, int64_t fen)
{
	if (fen > 0 && size > 1) {
		buf[0] = '+';
		fixed_format(buf + 1, size - 1, fen, 2, 2);
	} else {
		fixed_format(buf, size, fen, 2, 2);
	}
	return buf;
}

static const char *tier_label(const struct rulebook *rb, int index,
                              const char *fallback)
{
	if (index >= 0 && (size_t)index < rb->tier_count)
		return rb->tiers[index].label;
	return fallback ? fallback : "";
}

static const char *tier_key_of(const struct rulebook *rb, int index)
{
	if (index >= 0 && (size_t)index < rb->tier_count)
		return rb->tiers[index].key;
	return NULL;
}

void report_flags_text(unsigned flags, char *buf, size_t size)
{
	buf[0] = '\0';
	size_t used = 0;
	for (int bit = 0; bit < SCORE_FLAG_COUNT; bit++) {
		if (!(flags & (1u << bit)))
			continue;
		int n = snprintf(buf + used, size - used, "%s%s",
		                 used ? "," : "", score_flag_name(bit));
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
}

/* The tier key an agent holds in `month`: the latest span since <= month,
 * else the first span. */
static const char *agent_tier_key(const struct store_agent *a, kd_month month,
                                  const char **since_text, char *since_buf,
                                  size_t since_size)
{
	const struct store_tier_span *span =
	    a->tier_count ? &a->tiers[0] : NULL;
	for (size_t i = 1; i < a->tier_count; i++)
		if (a->tiers[i].since <= month)
			span = &a->tiers[i];
	if (!span) {
		*since_text = NULL;
		return NULL;
	}
	*since_text = month_format(since_buf, since_size, span->since);
	return span->tier_key;
}

/* ---- agents ---- */

enum kd_status report_agents(FILE *out, enum report_format format,
                             const struct rulebook *rb,
                             const struct store_agent_list *agents,
                             kd_date today)
{
	kd_month month = date_month(today);
	if (format == REPORT_JSON) {
		fputs("{\"agents\": [", out);
		for (size_t i = 0; i < agents->count; i++) {
			const struct store_agent *a = &agents->agents[i];
			char since_buf[16], hired[16], left[16];
			const char *since = NULL;
			const char *tier = agent_tier_key(
			    a, month, &since, since_buf, sizeof(since_buf));
			fprintf(out, "%s\n {\"id\": ", i ? "," : "");
			json_write_int(out, a->id);
			fputs(", \"name\": ", out);
			json_write_string(out, a->name);
			fputs(", \"handle\": ", out);
			json_write_string(out, a->handle);
			fputs(", \"tier\": ", out);
			json_write_string(out, tier);
			fputs(", \"tier_since\": ", out);
			json_write_string(out, since);
			fputs(", \"role\": ", out);
			json_write_string(out, a->role);
			fputs(", \"hired\": ", out);
			json_write_string(
			    out, date_format(hired, sizeof(hired), a->hired));
			fputs(", \"left\": ", out);
			json_write_string(
			    out,
			    a->left == KD_DATE_NONE
			        ? NULL
			        : date_format(left, sizeof(left), a->left));
			fputc('}', out);
		}
		fputs("]}\n", out);
		return ferror(out) ? KD_ERR_IO : KD_OK;
	}

	static const char *const headers[] = {"id",   "name",  "handle", "tier",
	                                      "role", "hired", "left"};
	struct report_table *t = report_table_create(7, headers);
	if (!t)
		return KD_ERR_NOMEM;
	report_table_numeric(t, 0);
	enum kd_status status = KD_OK;
	for (size_t i = 0; status == KD_OK && i < agents->count; i++) {
		const struct store_agent *a = &agents->agents[i];
		char id[24], hired[16], left[16], since_buf[16];
		const char *since = NULL;
		const char *tier = agent_tier_key(a, month, &since, since_buf,
		                                  sizeof(since_buf));
		int tier_index = tier ? rulebook_tier_index(rb, tier) : -1;
		snprintf(id, sizeof(id), "%lld", (long long)a->id);
		const char *cells[] = {
		    id,
		    a->name,
		    a->handle ? a->handle : "",
		    format == REPORT_CSV ? (tier ? tier : "")
		                         : tier_label(rb, tier_index, tier),
		    a->role,
		    date_format(hired, sizeof(hired), a->hired),
		    a->left == KD_DATE_NONE
		        ? ""
		        : date_format(left, sizeof(left), a->left),
		};
		status = report_table_add_row(t, cells);
	}
	if (status == KD_OK)
		status = table_write(t, format, out);
	report_table_destroy(t);
	return status;
}

/* ---- events ---- */

static const char *category_label(const struct rulebook *rb, const char *key)
{
	const struct rb_category *cat = rulebook_category(rb, key);
	return cat ? cat->label : key;
}

enum kd_status report_events(FILE *out, enum report_format format,
                             const struct rulebook *rb,
                             const struct store_event_list *events,
                             const int64_t *points_cp)
{
	if (format == REPORT_JSON) {
		fputs("{\"events\": [", out);
		for (size_t i = 0; i < events->count; i++) {
			const struct store_event *e = &events->events[i];
			char date[16];

			fprintf(out, "%s\n {\"id\": ", i ? "," : "");
			json_write_int(out, e->id);
			fputs(", \"agent_id\": ", out);
			json_write_int(out, e->agent_id);
			fputs(", \"agent\": ", out);
			json_write_string(out, e->agent_name);
			fputs(", \"date\": ", out);
			json_write_string(
			    out, date_format(date, sizeof(date), e->date));
			fputs(", \"category\": ", out);
			json_write_string(out, e->category);
			fputs(", \"quantity\": ", out);
			json_write_int(out, e->quantity);
			fputs(", \"points\": ", out);
			json_write_fixed_trim(out, points_cp[i], 2, 2);
			fputs(", \"note\": ", out);
			json_write_string(out, e->note);
			fputs(", \"created_at\": ", out);
			json_write_string(out, e->created_at);
			fputs(", \"voided\": ", out);
			json_write_bool(out, e->voided);
			fputs(", \"void_reason\": ", out);
			json_write_string(out, e->void_reason);
			fputs(", \"appeal\": ", out);
			json_write_string(out, e->appeal);
			fputc('}', out);
		}
		fputs("]}\n", out);
		return ferror(out) ? KD_ERR_IO : KD_OK;
	}

	static const char *const headers[] = {"id",       "date",    "agent",
	                                      "category", "qty",     "points",
	                                      "note",     "entered", "status"};
	struct report_table *t = report_table_create(9, headers);
	if (!t)
		return KD_ERR_NOMEM;
	report_table_numeric(t, 0);
	report_table_numeric(t, 4);
	report_table_numeric(t, 5);
	enum kd_status status = KD_OK;
	for (size_t i = 0; status == KD_OK && i < events->count; i++) {
		const struct store_event *e = &events->events[i];
		char id[24], date[16], qty[16], points[32], state[160];
		snprintf(id, sizeof(id), "%lld", (long long)e->id);
		snprintf(qty, sizeof(qty), "%d", (int)e->quantity);
		if (e->voided)
			snprintf(state, sizeof(state), "voided%s: %s",
			         e->appeal && strcmp(e->appeal, "voided") == 0
			             ? " on appeal"
			             : "",
			         e->void_reason ? e->void_reason : "");
		else if (e->appeal)
			snprintf(state, sizeof(state), "appeal %s", e->appeal);
		else
			state[0] = '\0';
		const char *cells[] = {
		    id,
		    date_format(date, sizeof(date), e->date),
		    e->agent_name,
		    format == REPORT_CSV ? e->category
		                         : category_label(rb, e->category),
		    qty,
		    points_text(points, sizeof(points), points_cp[i]),
		    e->note ? e->note : "",
		    e->created_at ? e->created_at : "",
		    state,
		};
		status = report_table_add_row(t, cells);
	}
	if (status == KD_OK)
		status = table_write(t, format, out);
	report_table_destroy(t);
	return status;
}

/* ---- the board ---- */

/* ", \"key\": " */
static void json_key(FILE *out, const char *key)
{
	fprintf(out, ", \"%s\": ", key);
}

static void json_money(FILE *out, const char *key, int64_t fen)
{
	json_key(out, key);
	json_write_fixed(out, fen, 2, 2);
}

static void json_kpi(FILE *out, const struct rulebook *rb,
                     const struct score_agent_result *r)
{
	fputs("{\"score\": ", out);
	json_write_fixed_trim(out, r->kpi_score_cp, 2, 2);
	fputs(", \"metrics\": {", out);
	for (size_t k = 0; k < rb->kpi_count; k++) {
		const struct score_kpi_metric *m = &r->kpi_metrics[k];

		if (k)
			fputs(", ", out);
		json_write_string(out, rb->kpis[k].key);
		fputs(": {\"metric\": ", out);
		json_write_string(out, rb_metric_name(rb->kpis[k].metric));
		json_key(out, "value");
		if (m->present)
			json_write_fixed_trim(out, m->value_h, 2, 2);
		else
			fputs("null", out);
		json_key(out, "band");
		json_write_fixed_trim(out, m->band_h, 2, 2);
		json_key(out, "weight");
		json_write_int(out, rb->kpis[k].weight);
		json_key(out, "points");
		json_write_fixed_trim(out, m->points_cp, 2, 2);
		fputc('}', out);
	}
	fputs("}}", out);
}

static enum kd_status score_json(FILE *out, const struct rulebook *rb,
                                 const struct score_month_result *res,
                                 bool closed)
{
	char month[16];

	fputs("{\"month\": ", out);
	json_write_string(out, month_format(month, sizeof(month), res->month));
	json_key(out, "closed");
	json_write_bool(out, closed);
	fputs(",\n \"pool\": {\"silent_sales\": ", out);
	if (res->has_silent_sales)
		json_write_fixed(out, res->silent_sales_fen, 2, 2);
	else
		fputs("null", out);
	json_money(out, "pool", res->pool_fen);
	json_money(out, "undistributed", res->undistributed_fen);
	fputs("},\n \"agents\": [", out);
	for (size_t i = 0; i < res->agent_count; i++) {
		const struct score_agent_result *r = &res->agents[i];
		bool first = true;

		fprintf(out, "%s\n  {\"id\": ", i ? "," : "");
		json_write_int(out, r->agent->id);
		json_key(out, "name");
		json_write_string(out, r->agent->name);
		json_key(out, "tier");
		json_write_string(out, tier_key_of(rb, r->tier_index));
		json_key(out, "rank");
		json_write_int(out, r->rank);
		json_key(out, "score");
		json_write_fixed_trim(out, r->score_cp, 2, 2);
		json_key(out, "grade");
		json_write_string(out, r->grade);
		json_key(out, "base");
		json_write_fixed_trim(out, r->base_cp, 2, 2);
		json_key(out, "kpi");
		if (r->kpi_present)
			json_kpi(out, rb, r);
		else
			fputs("null", out);
		json_key(out, "combo");
		json_write_fixed_trim(out, r->combo_cp, 2, 2);
		json_key(out, "categories");
		fputc('{', out);
		for (size_t k = 0; k < rb->category_count; k++) {
			if (r->categories[k].total_cp == 0)
				continue;
			if (!first)
				fputs(", ", out);
			first = false;
			json_write_string(out, rb->categories[k].key);
			fputs(": ", out);
			json_write_fixed_trim(out, r->categories[k].total_cp, 2,
			                      2);
		}
		fputc('}', out);
		json_money(out, "pay_adjust", r->pay_adjust_fen);
		json_money(out, "pool_share", r->pool_share_fen);
		json_money(out, "award", r->award_fen);
		fputs(",\n   \"streak_award\": ", out);
		json_write_fixed(out, r->streak_award_fen, 2, 2);
		json_money(out, "attendance_award", r->attendance_award_fen);
		json_money(out, "fines", r->fines_fen);
		json_key(out, "flags");
		fputc('[', out);
		first = true;
		for (int bit = 0; bit < SCORE_FLAG_COUNT; bit++) {
			if (!(r->flags & (1u << bit)))
				continue;
			if (!first)
				fputs(", ", out);
			first = false;
			json_write_string(out, score_flag_name(bit));
		}
		fputs("]}", out);
	}
	fputs("]}\n", out);
	return ferror(out) ? KD_ERR_IO : KD_OK;
}

enum kd_status report_score(FILE *out, enum report_format format,
                            const struct rulebook *rb,
                            const struct score_month_result *res, bool closed)
{
	if (format == REPORT_JSON)
		return score_json(out, rb, res, closed);

	bool csv = format == REPORT_CSV;
	static const char *const headers[] = {
	    "rank",  "id",     "name",       "tier",  "score",
	    "grade", "base",   "combo",      "pay",   "pool_share",
	    "award", "streak", "attendance", "fines", "flags"};
	struct report_table *t = report_table_create(15, headers);
	if (!t)
		return KD_ERR_NOMEM;
	for (size_t c = 0; c < 15; c++)
		if (c != 2 && c != 3 && c != 5 && c != 14)
			report_table_numeric(t, c);
	enum kd_status status = KD_OK;
	for (size_t i = 0; status == KD_OK && i < res->agent_count; i++) {
		const struct score_agent_result *r = &res->agents[i];
		char rank[16], id[24], score[32], base[32], combo[32], pay[32],
		    share[32], award[32], streak[32], attend[32], fines[32],
		    flags[128];
		snprintf(rank, sizeof(rank), "%d", (int)r->rank);
		snprintf(id, sizeof(id), "%lld", (long long)r->agent->id);
		report_flags_text(r->flags, flags, sizeof(flags));
		const char *cells[] = {
		    rank,
		    id,
		    r->agent->name,
		    csv ? (tier_key_of(rb, r->tier_index)
		               ? tier_key_of(rb, r->tier_index)
		               : "")
		        : tier_label(rb, r->tier_index, "?"),
		    points_text(score, sizeof(score), r->score_cp),
		    r->grade,
		    points_text(base, sizeof(base), r->base_cp),
		    points_text(combo, sizeof(combo), r->combo_cp),
		    csv ? money_text(pay, sizeof(pay), r->pay_adjust_fen)
		        : signed_money_text(pay, sizeof(pay),
		                            r->pay_adjust_fen),
		    money_text(share, sizeof(share), r->pool_share_fen),
		    money_text(award, sizeof(award), r->award_fen),
		    money_text(streak, sizeof(streak), r->streak_award_fen),
		    money_text(attend, sizeof(attend), r->attendance_award_fen),
		    money_text(fines, sizeof(fines), r->fines_fen),
		    flags,
		};
		status = report_table_add_row(t, cells);
	}
	if (status == KD_OK && !csv) {
		char month[16], sales[32], pool[32], undist[32];
		fprintf(
		    out,
		    "%s  %s  %s  pool %s (silent-order sales %s), "
		    "undistributed %s\n",
		    rb->team_name ? rb->team_name : "",
		    month_format(month, sizeof(month), res->month),
		    closed ? "closed" : "open",
		    money_text(pool, sizeof(pool), res->pool_fen),
		    res->has_silent_sales ? money_text(sales, sizeof(sales),
		                                       res->silent_sales_fen)
		                          : "not entered",
		    money_text(undist, sizeof(undist), res->undistributed_fen));
	}
	if (status == KD_OK)
		status = table_write(t, format, out);
	report_table_destroy(t);
	return status;
}
