/* KPI metrics from a back end's 客服绩效 export: a table's rows -> one
 * struct score_metrics per agent, or every problem (see kpidesk/import.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_internal.h"
#include "kpidesk/text.h"

/* ------------------------------------------------------------------------ */
/* The import */

static const char *const summary_words[] = {
    "合计", "总计", "汇总", "平均", "平均值", "均值", "total", "sum", "average",
};

/* "合计", "合计：", "Total:" ... */
static bool is_summary_word(const char *cell)
{
	char norm[64];
	size_t len;

	if (!import_header_normalize(cell, norm, sizeof(norm), NULL, 0))
		return false;
	len = strlen(norm);
	if (len >= 3 && strcmp(norm + len - 3, "：") == 0)
		norm[len - 3] = '\0';
	else if (len >= 1 && norm[len - 1] == ':')
		norm[len - 1] = '\0';
	for (size_t i = 0; i < COUNT_OF(summary_words); i++)
		if (strcmp(norm, summary_words[i]) == 0)
			return true;
	return false;
}

struct import_ctx {
	const struct rulebook *rb;
	kd_month month;
	const struct score_agent *agents;
	size_t agent_count;
	int32_t *agent_line; /* agent_count: the line of its row, 0 if none */
	const struct kpi_target *targets;
	size_t target_count;
	bool xlsx; /* name columns by letter, not by field number */
	const struct kpi_csv_record *header;
	int field_of[KPI_COL_COUNT];   /* header field, -1 if absent */
	size_t rank_of[KPI_COL_COUNT]; /* the matched name's rank */
	size_t targets_from_store;
	const char *needed_by[KPI_COL_COUNT]; /* a [kpi.KEY] needing it */
	const char *conversion_needed_by;
	bool any_metric_column;
	struct msg_list header_problems;
	struct msg_list row_problems;
	struct msg_list notes;
	/* rates written as fractions? */
	bool rate_seen[KPI_COL_COUNT];
	bool rate_percent[KPI_COL_COUNT];
	int64_t rate_max[KPI_COL_COUNT];
};

/* The header cell as written, trimmed, for messages. */
static const char *column_label(const struct import_ctx *ctx, int column,
                                char *buf, size_t size)
{
	const char *s;
	size_t len;

	if (ctx->field_of[column] < 0)
		return kpi_column_name(column);
	len = import_trim_span(ctx->header->fields[ctx->field_of[column]], &s);
	if (len >= size)
		len = size - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return import_excerpt(buf, size, buf);
}

static const char *cell_of(const struct import_ctx *ctx,
                           const struct kpi_csv_record *rec, int column)
{
	int field = ctx->field_of[column];

	if (field < 0 || (size_t)field >= rec->field_count)
		return "";
	return rec->fields[field];
}

/* "field 3" in a CSV file, "column C" in a sheet. */
static const char *field_ref(const struct import_ctx *ctx, size_t field,
                             char *buf, size_t size)
{
	if (!ctx->xlsx) {
		snprintf(buf, size, "field %zu", field + 1);
	} else {
		char letters[8];
		size_t n = 0, v = field + 1;

		while (v > 0 && n < sizeof(letters)) {
			letters[n++] = (char)('A' + (v - 1) % 26);
			v = (v - 1) / 26;
		}
		snprintf(buf, size, "column ");
		for (size_t i = 0; i < n && strlen(buf) + 1 < size; i++) {
			size_t at = strlen(buf);

			buf[at] = letters[n - 1 - i];
			buf[at + 1] = '\0';
		}
	}
	return buf;
}

/* Matches the header row's cells to columns. With `report` false only
 * counts what it finds (to tell the header row from title lines). Returns
 * the number of columns found. */
static int find_columns(struct import_ctx *ctx, bool report)
{
	const struct kpi_csv_record *h = ctx->header;
	int found = 0;

	for (int c = 0; c < KPI_COL_COUNT; c++)
		ctx->field_of[c] = -1;
	ctx->any_metric_column = false;
	for (size_t f = 0; f < h->field_count; f++) {
		size_t rank;
		bool unit_ok;
		int c =
		    kpi_column_match(ctx->rb, h->fields[f], &rank, &unit_ok);
		char a[256], b[256], r1[32], r2[32];

		if (c < 0)
			continue;
		if (!unit_ok) {
			if (report)
				msg_add(
				    &ctx->header_problems, h->line,
				    "%s: the unit in brackets does not fit "
				    "the %s column (%s)",
				    import_excerpt(a, sizeof(a), h->fields[f]),
				    kpi_column_name(c),
				    kpi_column_kind(c) == KPI_VALUE_SECONDS
				        ? "seconds: 秒 or s"
				    : kpi_column_kind(c) == KPI_VALUE_MONEY
				        ? "yuan: 元 or ¥"
				    : kpi_column_kind(c) == KPI_VALUE_PERCENT
				        ? "percent: %"
				    : c == KPI_COL_AGENT ? "no unit"
				                         : "a count: 人");
			continue;
		}
		if (ctx->field_of[c] >= 0) {
			const char *kept = h->fields[ctx->field_of[c]];

			if (!report)
				continue;
			if (rank == ctx->rank_of[c]) {
				msg_add(
				    &ctx->header_problems, h->line,
				    "%s: a second %s column (%s, %s, is "
				    "one already); delete one of them",
				    import_excerpt(a, sizeof(a), h->fields[f]),
				    kpi_column_name(c),
				    column_label(ctx, c, b, sizeof(b)),
				    field_ref(ctx, (size_t)ctx->field_of[c], r1,
				              sizeof(r1)));
				continue;
			}
			if (rank < ctx->rank_of[c]) {
				msg_add(
				    &ctx->notes, h->line,
				    "%s: not read; %s (%s) is the %s "
				    "column",
				    import_excerpt(a, sizeof(a), kept),
				    import_excerpt(b, sizeof(b), h->fields[f]),
				    field_ref(ctx, f, r1, sizeof(r1)),
				    kpi_column_name(c));
				ctx->field_of[c] = (int)f;
				ctx->rank_of[c] = rank;
			} else {
				msg_add(
				    &ctx->notes, h->line,
				    "%s: not read; %s (%s) is the %s "
				    "column",
				    import_excerpt(a, sizeof(a), h->fields[f]),
				    import_excerpt(b, sizeof(b), kept),
				    field_ref(ctx, (size_t)ctx->field_of[c], r2,
				              sizeof(r2)),
				    kpi_column_name(c));
			}
			continue;
		}
		ctx->field_of[c] = (int)f;
		ctx->rank_of[c] = rank;
		found++;
		ctx->any_metric_column =
		    ctx->any_metric_column || c != KPI_COL_AGENT;
	}
	return found;
}

/* The header row: the first of the first rows that names the agent and a
 * metric. Title and date lines above it are skipped. */
static size_t find_header(struct import_ctx *ctx, const struct kpi_csv *csv)
{
	for (size_t r = 0; r < csv->record_count && r < 20; r++) {
		ctx->header = &csv->records[r];
		find_columns(ctx, false);
		if (ctx->field_of[KPI_COL_AGENT] >= 0 && ctx->any_metric_column)
			return r;
	}
	ctx->header = &csv->records[0];
	return 0;
}

/* Which columns the rulebook's [kpi.*] sections need. */
static void find_needs(struct import_ctx *ctx)
{
	const struct rulebook *rb = ctx->rb;

	for (size_t i = 0; rb->mode == RB_MODE_KPI && i < rb->kpi_count; i++) {
		const char *key = rb->kpis[i].key;

		switch (rb->kpis[i].metric) {
		case RB_METRIC_SALES_PCT:
			if (!ctx->needed_by[KPI_COL_SALES])
				ctx->needed_by[KPI_COL_SALES] = key;
			if (!ctx->needed_by[KPI_COL_TARGET])
				ctx->needed_by[KPI_COL_TARGET] = key;
			break;
		case RB_METRIC_CONVERSION:
			if (!ctx->conversion_needed_by)
				ctx->conversion_needed_by = key;
			break;
		case RB_METRIC_RESPONSE_S:
			if (!ctx->needed_by[KPI_COL_RESPONSE])
				ctx->needed_by[KPI_COL_RESPONSE] = key;
			break;
		case RB_METRIC_AOV_PCT:
			if (!ctx->needed_by[KPI_COL_AOV])
				ctx->needed_by[KPI_COL_AOV] = key;
			break;
		case RB_METRIC_REPLY_RATE:
			if (!ctx->needed_by[KPI_COL_REPLY_RATE])
				ctx->needed_by[KPI_COL_REPLY_RATE] = key;
			break;
		case RB_METRIC_COUNT:
			break;
		}
	}
}

static const char *metric_of_key(const struct rulebook *rb, const char *key)
{
	for (size_t i = 0; i < rb->kpi_count; i++)
		if (strcmp(rb->kpis[i].key, key) == 0)
			return rb_metric_name(rb->kpis[i].metric);
	return "?";
}

/* Said after the names a missing column may have. */
#define NAME_YOURS "; or name yours in the rulebook's [import.kpi]"

/* The next date in s[*i..]: 2026-10-01, 2026/10/1, 2026.10.1 or
 * 2026年10月1日; *i moves past it. */
static bool next_date(const char *s, size_t *i, kd_date *out)
{
	for (; s[*i] != '\0'; (*i)++) {
		const char *p = s + *i;
		int y = 0, m = 0, d = 0, n = 0;

		if ((*i > 0 && p[-1] >= '0' && p[-1] <= '9') ||
		    !(p[0] >= '0' && p[0] <= '9'))
			continue;
		if ((sscanf(p, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 ||
		     sscanf(p, "%4d/%2d/%2d%n", &y, &m, &d, &n) == 3 ||
		     sscanf(p, "%4d.%2d.%2d%n", &y, &m, &d, &n) == 3 ||
		     sscanf(p, "%4d年%2d月%2d日%n", &y, &m, &d, &n) == 3) &&
		    n >= 8 && y >= 1000 && date_from_ymd(y, m, d, out)) {
			*i += (size_t)n;
			return true;
		}
	}
	return false;
}

/* A title line above the header that gives the report's period
 * ("统计日期：2026-09-01 ~ 2026-09-30"): when the period lies in one month
 * and it is not the month imported, the file is the wrong month's export.
 * A single date (when it was exported) or a period across months is not
 * judged. */
static void check_title_period(struct import_ctx *ctx,
                               const struct kpi_csv *csv, size_t header_at)
{
	for (size_t r = 0; r < header_at; r++) {
		const struct kpi_csv_record *rec = &csv->records[r];
		kd_date first = 0, last = 0, d;
		size_t found = 0;
		char a[16], b[16], m1[16], m2[16];

		for (size_t f = 0; f < rec->field_count; f++)
			for (size_t i = 0; next_date(rec->fields[f], &i, &d);) {
				if (found++ == 0)
					first = d;
				last = d;
			}
		if (found < 2 || date_month(first) != date_month(last) ||
		    date_month(first) == ctx->month)
			continue;
		month_format(m1, sizeof(m1), date_month(first));
		msg_add(&ctx->header_problems, rec->line,
		        "the title's period, %s to %s, is %s, not the month "
		        "imported (%s): import the file with --month %s, or "
		        "%s's export",
		        date_format(a, sizeof(a), first),
		        date_format(b, sizeof(b), last), m1,
		        month_format(m2, sizeof(m2), ctx->month), m1, m2);
		return;
	}
}

/* The header's missing columns. */
static void check_header(struct import_ctx *ctx)
{
	int32_t line = ctx->header->line;
	bool any_metric = false;

	if (ctx->field_of[KPI_COL_AGENT] < 0)
		msg_add(&ctx->header_problems, line,
		        "agent: no such column (headers: %s" NAME_YOURS ")",
		        kpi_column_headers(KPI_COL_AGENT));
	for (int c = KPI_COL_AGENT + 1; c < KPI_COL_COUNT; c++) {
		any_metric = any_metric || ctx->field_of[c] >= 0;
		/* A missing target column is made up by the targets set
		 * with `kpi target`; a row with neither is its problem. */
		if (ctx->needed_by[c] == NULL || ctx->field_of[c] >= 0 ||
		    c == KPI_COL_TARGET)
			continue;
		msg_add(&ctx->header_problems, line,
		        "%s: no such column; [kpi.%s] (%s) needs it "
		        "(headers: %s" NAME_YOURS ")",
		        kpi_column_name(c), ctx->needed_by[c],
		        metric_of_key(ctx->rb, ctx->needed_by[c]),
		        kpi_column_headers(c));
	}
	if (ctx->conversion_needed_by != NULL &&
	    ctx->field_of[KPI_COL_CONVERSION] < 0 &&
	    (ctx->field_of[KPI_COL_INQUIRIES] < 0 ||
	     ctx->field_of[KPI_COL_BUYERS] < 0))
		msg_add(&ctx->header_problems, line,
		        "conversion: no such column, nor both inquiries and "
		        "buyers to compute it; [kpi.%s] (conversion) needs "
		        "one (headers: %s; or %s with %s" NAME_YOURS ")",
		        ctx->conversion_needed_by,
		        kpi_column_headers(KPI_COL_CONVERSION),
		        kpi_column_headers(KPI_COL_INQUIRIES),
		        kpi_column_headers(KPI_COL_BUYERS));
	if (ctx->rb->mode != RB_MODE_KPI && !any_metric)
		msg_add(&ctx->header_problems, line,
		        "no metric column (such as 销售额, 转化率, 回复率, "
		        "sales, conversion, reply_rate)");
}

/* Whether any agent, on the board or not, has this name or handle. */
static bool anyone_called(const struct import_ctx *ctx, const char *ref)
{
	for (size_t i = 0; i < ctx->agent_count; i++) {
		const struct score_agent *ag = &ctx->agents[i];

		if (strcmp(ag->name, ref) == 0 ||
		    (ag->handle != NULL && strcmp(ag->handle, ref) == 0))
			return true;
	}
	return false;
}

/* The part after the first colon (ASCII or full-width) of a back end's
 * sub-account "店铺名:昵称", trimmed; NULL when there is none. */
static const char *sub_account(const char *cell, size_t *len)
{
	const char *ascii = strchr(cell, ':');
	const char *wide = strstr(cell, "：");
	const char *after;

	if (ascii == NULL && wide == NULL)
		return NULL;
	if (wide == NULL || (ascii != NULL && ascii < wide))
		after = ascii + 1;
	else
		after = wide + strlen("：");
	*len = import_trim_span(after, &after);
	return *len > 0 ? after : NULL;
}

/* Finds the agent of a row among those on the month's board: exact name,
 * then handle. Returns the index or -1 (after reporting why). */
static int64_t match_agent(struct import_ctx *ctx, int32_t line,
                           const char *label, const char *ref)
{
	size_t named_on = 0;
	size_t found = 0;
	int64_t off_board = -1;
	char a[256], ids[96] = "";
	char m[16];

	for (size_t i = 0; i < ctx->agent_count; i++) {
		const struct score_agent *ag = &ctx->agents[i];

		if (strcmp(ag->name, ref) != 0)
			continue;
		if (!score_agent_on_board(ag, ctx->month)) {
			if (off_board < 0)
				off_board = (int64_t)i;
			continue;
		}
		if (named_on++ == 0)
			found = i;
		if (strlen(ids) + 24 < sizeof(ids))
			snprintf(ids + strlen(ids), sizeof(ids) - strlen(ids),
			         "%s%lld", ids[0] ? ", " : "",
			         (long long)ag->id);
	}
	month_format(m, sizeof(m), ctx->month);
	if (named_on == 1)
		return (int64_t)found;
	if (named_on > 1) {
		msg_add(&ctx->row_problems, line,
		        "%s: '%s' is the name of %zu agents on the %s board "
		        "(ids %s): write the handle instead",
		        label, import_excerpt(a, sizeof(a), ref), named_on, m,
		        ids);
		return -1;
	}
	for (size_t i = 0; i < ctx->agent_count; i++) {
		const struct score_agent *ag = &ctx->agents[i];

		if (ag->handle == NULL || strcmp(ag->handle, ref) != 0)
			continue;
		if (score_agent_on_board(ag, ctx->month))
			return (int64_t)i;
		if (off_board < 0)
			off_board = (int64_t)i;
	}
	if (off_board >= 0) {
		const struct score_agent *ag = &ctx->agents[off_board];
		char d[16];
		bool not_yet = ag->hired > month_last_day(ctx->month);

		msg_add(
		    &ctx->row_problems, line,
		    "%s: %s is not on the %s board (%s %s)", label, ag->name, m,
		    not_yet ? "hired" : "left",
		    date_format(d, sizeof(d), not_yet ? ag->hired : ag->left));
		return -1;
	}
	{
		size_t nick_len;
		const char *nick = sub_account(ref, &nick_len);

		if (nick != NULL)
			msg_add(&ctx->row_problems, line,
			        "%s: unknown agent '%s' (no agent has this "
			        "name or handle, nor '%.*s' after the shop's "
			        "name; 'kpidesk agent list --all' shows them)",
			        label, import_excerpt(a, sizeof(a), ref),
			        (int)nick_len, nick);
		else
			msg_add(&ctx->row_problems, line,
			        "%s: unknown agent '%s' (no agent has this "
			        "name or handle; 'kpidesk agent list --all' "
			        "shows them)",
			        label, import_excerpt(a, sizeof(a), ref));
	}
	return -1;
}

/* A cell with no value ("", "-", "--", "—"). */
static bool cell_is_empty(const char *cell)
{
	int64_t unused;

	return kpi_value_parse(cell, KPI_VALUE_COUNT, &unused, NULL) ==
	       KPI_VALUE_EMPTY;
}

static const char *kind_noun(enum kpi_value_kind kind)
{
	switch (kind) {
	case KPI_VALUE_MONEY:
		return "an amount in yuan";
	case KPI_VALUE_COUNT:
		return "a whole number";
	case KPI_VALUE_PERCENT:
		return "a percentage";
	case KPI_VALUE_SECONDS:
		return "a number of seconds";
	}
	return "a number";
}

/* Reads one metric cell into *has / *value, reporting what is wrong. */
static void read_value(struct import_ctx *ctx, int32_t line,
                       const struct kpi_csv_record *rec, int column, bool *has,
                       int64_t *value)
{
	enum kpi_value_kind kind = kpi_column_kind((enum kpi_column)column);
	const char *cell = cell_of(ctx, rec, column);
	char label[256], a[256];
	bool percent = false;
	enum kpi_value_status st;

	*has = false;
	*value = 0;
	if (ctx->field_of[column] < 0)
		return;
	st = kpi_value_parse(cell, kind, value, &percent);
	if (st == KPI_VALUE_EMPTY)
		return;
	column_label(ctx, column, label, sizeof(label));
	import_excerpt(a, sizeof(a), cell);
	switch (st) {
	case KPI_VALUE_OK:
		break;
	case KPI_VALUE_EMPTY:
		return;
	case KPI_VALUE_NOT_NUMBER:
		msg_add(&ctx->row_problems, line, "%s: '%s' is not %s", label,
		        a, kind_noun(kind));
		return;
	case KPI_VALUE_BAD_GROUPS:
		msg_add(&ctx->row_problems, line,
		        "%s: '%s' is not a number: commas may only separate "
		        "thousands (1,234.50), and decimals take a point",
		        label, a);
		return;
	case KPI_VALUE_PRECISION:
		msg_add(&ctx->row_problems, line,
		        "%s: '%s' has more than %d decimals (%s); round it in "
		        "the sheet",
		        label, a, kind == KPI_VALUE_MONEY ? 2 : 4,
		        kind == KPI_VALUE_MONEY
		            ? "amounts are kept to the fen"
		            : "values are kept to 4 decimals");
		return;
	case KPI_VALUE_NOT_WHOLE:
		msg_add(&ctx->row_problems, line,
		        "%s: '%s' is not a whole number", label, a);
		return;
	case KPI_VALUE_NEGATIVE:
		msg_add(&ctx->row_problems, line, "%s: '%s' is negative", label,
		        a);
		return;
	case KPI_VALUE_TOO_LARGE:
		msg_add(&ctx->row_problems, line,
		        "%s: '%s' is too large to be %s", label, a,
		        kind_noun(kind));
		return;
	}
	if (column == KPI_COL_TARGET && *value == 0) {
		msg_add(&ctx->row_problems, line,
		        "%s: '%s': a sales target must be more than 0", label,
		        a);
		return;
	}
	if (kind == KPI_VALUE_PERCENT && *value > 100 * 10000) {
		msg_add(&ctx->row_problems, line, "%s: '%s' is more than 100%%",
		        label, a);
		return;
	}
	if (kind == KPI_VALUE_PERCENT) {
		ctx->rate_seen[column] = true;
		ctx->rate_percent[column] =
		    ctx->rate_percent[column] || percent;
		if (*value > ctx->rate_max[column])
			ctx->rate_max[column] = *value;
	}
	*has = true;
}

static bool row_has_extra_fields(const struct import_ctx *ctx,
                                 const struct kpi_csv_record *rec)
{
	for (size_t f = ctx->header->field_count; f < rec->field_count; f++)
		if (!text_is_blank(rec->fields[f]))
			return true;
	return false;
}

/* A row without a target in the file is scored with the one set with
 * `kpidesk kpi target` (struct kpi_target); when the rulebook scores sales_pct
 * and there is none, the row's problem names the command that sets it. */
static void take_stored_target(struct import_ctx *ctx, int32_t line,
                               const struct kpi_csv_record *rec, int64_t agent)
{
	const struct score_agent *ag = &ctx->agents[agent];
	char label[256], mon[16];

	for (size_t i = 0; i < ctx->target_count; i++) {
		if (ctx->targets[i].agent_id != ag->id)
			continue;
		/* Not copied into the row: the store reads the set target
		 * where a row has none, so a later `kpi target` counts. */
		ctx->targets_from_store++;
		return;
	}
	(void)rec;
	if (ctx->needed_by[KPI_COL_TARGET] == NULL)
		return;
	month_format(mon, sizeof(mon), ctx->month);
	msg_add(&ctx->row_problems, line,
	        "%s: no sales target for %s in %s (%s), and [kpi.%s] needs "
	        "one; set it with: kpidesk kpi target %s AMOUNT --month %s",
	        column_label(ctx, KPI_COL_TARGET, label, sizeof(label)),
	        ag->name, mon,
	        ctx->field_of[KPI_COL_TARGET] >= 0
	            ? "its cell is empty"
	            : "the file has no target column",
	        ctx->needed_by[KPI_COL_TARGET], ag->name, mon);
}

/* Checks one data row; fills *m (agent_id 0 when it has problems). Returns
 * false for a skipped summary row. */
static bool read_row(struct import_ctx *ctx, const struct kpi_csv_record *rec,
                     struct score_metrics *m)
{
	int32_t line = rec->line;
	const char *ref;
	char label[256], a[256];
	int64_t agent = -1;
	size_t problems_before = ctx->row_problems.count;

	memset(m, 0, sizeof(*m));
	m->month = ctx->month;
	if (row_has_extra_fields(ctx, rec)) {
		msg_add(&ctx->row_problems, line,
		        "%zu fields, but the header has %zu: a value holding "
		        "a comma must be quoted (\"1,234.50\")",
		        rec->field_count, ctx->header->field_count);
		return true;
	}
	if (ctx->field_of[KPI_COL_AGENT] >= 0) {
		size_t len =
		    import_trim_span(cell_of(ctx, rec, KPI_COL_AGENT), &ref);
		char *name = strndup(ref, len);

		if (name == NULL) {
			ctx->row_problems.nomem = true;
			return true;
		}
		column_label(ctx, KPI_COL_AGENT, label, sizeof(label));
		{
			const char *summary =
			    is_summary_word(name) ? name : NULL;

			for (size_t f = 0;
			     summary == NULL && f < rec->field_count; f++) {
				if (text_is_blank(rec->fields[f]))
					continue;
				if (is_summary_word(rec->fields[f]))
					summary = rec->fields[f];
				break;
			}
			if (summary != NULL) {
				msg_add(&ctx->notes, line,
				        "skipped the summary row '%s'",
				        import_excerpt(a, sizeof(a), summary));
				free(name);
				return false;
			}
		}
		if (name[0] == '\0') {
			msg_add(&ctx->row_problems, line,
			        "%s: no agent in this row", label);
		} else {
			size_t nick_len;
			const char *nick = sub_account(name, &nick_len);
			char *part = NULL;

			/* "店铺名:昵称": the agent is the part after the
			 * shop, unless the whole cell names one. */
			if (nick != NULL && !anyone_called(ctx, name)) {
				part = strndup(nick, nick_len);
				if (part == NULL) {
					ctx->row_problems.nomem = true;
					free(name);
					return true;
				}
				if (!anyone_called(ctx, part)) {
					free(part);
					part = NULL;
				}
			}
			agent = match_agent(ctx, line, label,
			                    part != NULL ? part : name);
			free(part);
		}
		if (agent >= 0 && ctx->agent_line[agent] > 0) {
			const char *real = ctx->agents[agent].name;

			if (strcmp(real, name) == 0)
				msg_add(&ctx->row_problems, line,
				        "%s: %s is on line %d already (one row "
				        "per agent)",
				        label, real,
				        (int)ctx->agent_line[agent]);
			else
				msg_add(&ctx->row_problems, line,
				        "%s: '%s' is %s, on line %d already "
				        "(one row per agent)",
				        label,
				        import_excerpt(a, sizeof(a), name),
				        real, (int)ctx->agent_line[agent]);
			agent = -1;
		} else if (agent >= 0) {
			ctx->agent_line[agent] = line;
		}
		free(name);
	}

	read_value(ctx, line, rec, KPI_COL_SALES, &m->has_sales, &m->sales_fen);
	read_value(ctx, line, rec, KPI_COL_TARGET, &m->has_target,
	           &m->target_fen);
	if (!m->has_target && agent >= 0 &&
	    ctx->field_of[KPI_COL_TARGET] >= 0 &&
	    !cell_is_empty(cell_of(ctx, rec, KPI_COL_TARGET)))
		; /* a target cell that did not read: reported above */
	else if (!m->has_target && agent >= 0)
		take_stored_target(ctx, line, rec, agent);
	read_value(ctx, line, rec, KPI_COL_INQUIRIES, &m->has_inquiries,
	           &m->inquiries);
	read_value(ctx, line, rec, KPI_COL_BUYERS, &m->has_buyers, &m->buyers);
	read_value(ctx, line, rec, KPI_COL_CONVERSION, &m->has_conversion,
	           &m->conversion_e4);
	read_value(ctx, line, rec, KPI_COL_RESPONSE, &m->has_response,
	           &m->response_e4);
	read_value(ctx, line, rec, KPI_COL_AOV, &m->has_aov, &m->aov_fen);
	read_value(ctx, line, rec, KPI_COL_REPLY_RATE, &m->has_reply_rate,
	           &m->reply_rate_e4);

	if (m->has_inquiries && m->has_buyers && m->buyers > m->inquiries)
		msg_add(&ctx->row_problems, line,
		        "%s: %lld buyers, more than the %lld inquiries",
		        column_label(ctx, KPI_COL_BUYERS, label, sizeof(label)),
		        (long long)m->buyers, (long long)m->inquiries);

	/* Values the rulebook needs (only for columns that exist: a missing
	 * column is reported once, on the header line). */
	{
		const bool has[KPI_COL_COUNT] = {
		    [KPI_COL_SALES] = m->has_sales,
		    [KPI_COL_TARGET] = m->has_target,
		    [KPI_COL_INQUIRIES] = m->has_inquiries,
		    [KPI_COL_BUYERS] = m->has_buyers,
		    [KPI_COL_CONVERSION] = m->has_conversion,
		    [KPI_COL_RESPONSE] = m->has_response,
		    [KPI_COL_AOV] = m->has_aov,
		    [KPI_COL_REPLY_RATE] = m->has_reply_rate,
		};
		bool any = false;

		for (int c = KPI_COL_AGENT + 1; c < KPI_COL_COUNT; c++) {
			any = any || has[c];
			if (ctx->needed_by[c] == NULL || has[c] ||
			    ctx->field_of[c] < 0 || c == KPI_COL_TARGET ||
			    !cell_is_empty(cell_of(ctx, rec, c)))
				continue;
			msg_add(&ctx->row_problems, line,
			        "%s: no value; [kpi.%s] needs it",
			        column_label(ctx, c, label, sizeof(label)),
			        ctx->needed_by[c]);
		}
		if (ctx->conversion_needed_by != NULL && !m->has_conversion &&
		    !(m->has_inquiries && m->has_buyers)) {
			int c = ctx->field_of[KPI_COL_CONVERSION] >= 0
			            ? KPI_COL_CONVERSION
			        : !m->has_inquiries ? KPI_COL_INQUIRIES
			                            : KPI_COL_BUYERS;

			if (ctx->field_of[c] >= 0 &&
			    cell_is_empty(cell_of(ctx, rec, c)))
				msg_add(
				    &ctx->row_problems, line,
				    "%s: no value%s; [kpi.%s] needs it",
				    column_label(ctx, c, label, sizeof(label)),
				    c == KPI_COL_CONVERSION
				        ? " (nor inquiries and buyers "
				          "to compute it)"
				        : " to compute the conversion",
				    ctx->conversion_needed_by);
		}
		if (ctx->rb->mode != RB_MODE_KPI && !any &&
		    ctx->any_metric_column &&
		    ctx->row_problems.count == problems_before)
			msg_add(&ctx->row_problems, line,
			        "no figures in this row");
	}
	if (ctx->row_problems.count == problems_before && agent >= 0)
		m->agent_id = ctx->agents[agent].id;
	return true;
}

/* Rates all at most 1 and never with a % sign: fractions, not percent. */
static void check_fractions(struct import_ctx *ctx)
{
	static const int rates[] = {KPI_COL_CONVERSION, KPI_COL_REPLY_RATE};
	char label[256];

	for (size_t i = 0; i < COUNT_OF(rates); i++) {
		int c = rates[i];

		if (!ctx->rate_seen[c] || ctx->rate_percent[c] ||
		    ctx->rate_max[c] == 0 || ctx->rate_max[c] > 10000)
			continue;
		msg_add(&ctx->header_problems, ctx->header->line,
		        "%s: every value is at most 1 and none has a %% sign: "
		        "these look like fractions (0.985); write percentages "
		        "(98.5 or 98.5%%)",
		        column_label(ctx, c, label, sizeof(label)));
	}
}

void kpi_import_finish(struct kpi_import *imp)
{
	if (imp == NULL)
		return;
	free(imp->metrics);
	free(imp->lines);
	msg_list_free(imp->problems, imp->problem_count);
	msg_list_free(imp->notes, imp->note_count);
	memset(imp, 0, sizeof(*imp));
}

enum kd_status kpi_import_map(const struct import_table *table,
                              const struct rulebook *rb, kd_month month,
                              const struct score_agent *agents,
                              size_t agent_count,
                              const struct kpi_target *targets,
                              size_t target_count, struct kpi_import *out)
{
	const struct kpi_csv *csv = &table->csv;
	struct import_ctx ctx;
	struct msg_list problems = {0};
	enum kd_status status;
	size_t header_at;

	memset(out, 0, sizeof(*out));
	memset(&ctx, 0, sizeof(ctx));
	out->encoding = table->encoding;
	ctx.rb = rb;
	ctx.month = month;
	ctx.agents = agents;
	ctx.agent_count = agent_count;
	ctx.targets = targets;
	ctx.target_count = target_count;
	ctx.xlsx = table->encoding == KPI_ENC_XLSX;

	if (csv->record_count == 0) {
		msg_add(&problems, 0,
		        "the %s is empty: it needs a header line and a row "
		        "per agent",
		        ctx.xlsx ? "sheet" : "file");
		status = KD_ERR_INPUT;
		goto done;
	}

	header_at = find_header(&ctx, csv);
	find_columns(&ctx, true);
	out->header_line = ctx.header->line;
	for (int c = 0; c < KPI_COL_COUNT; c++)
		out->columns[c] = ctx.field_of[c] >= 0;
	if (header_at > 0)
		msg_add(&ctx.notes, csv->records[0].line,
		        header_at == 1
		            ? "skipped the title line above the header (line "
		              "%d)"
		            : "skipped the title lines above the header (from "
		              "line %d)",
		        (int)csv->records[0].line);
	find_needs(&ctx);
	check_header(&ctx);
	check_title_period(&ctx, csv, header_at);

	status = KD_ERR_NOMEM;
	if (agent_count > 0) {
		ctx.agent_line = calloc(agent_count, sizeof(*ctx.agent_line));
		if (ctx.agent_line == NULL)
			goto done;
	}
	out->metrics = calloc(csv->record_count, sizeof(*out->metrics));
	out->lines = calloc(csv->record_count, sizeof(*out->lines));
	if (out->metrics == NULL || out->lines == NULL)
		goto done;
	for (size_t r = header_at + 1; r < csv->record_count; r++) {
		struct score_metrics *m = &out->metrics[out->row_count];

		if (!read_row(&ctx, &csv->records[r], m))
			continue;
		out->lines[out->row_count++] = csv->records[r].line;
	}
	if (out->row_count == 0)
		msg_add(&ctx.header_problems, ctx.header->line,
		        header_at + 1 == csv->record_count
		            ? "only a header line, no rows of metrics"
		            : "no rows of metrics, only summary rows");
	check_fractions(&ctx);
	msg_list_move(&problems, &ctx.header_problems);
	msg_list_move(&problems, &ctx.row_problems);
	if (problems.nomem || ctx.notes.nomem)
		goto done;
	out->targets_from_store = ctx.targets_from_store;
	status = problems.count > 0 ? KD_ERR_INPUT : KD_OK;

done:
	if (problems.nomem || ctx.header_problems.nomem ||
	    ctx.row_problems.nomem || ctx.notes.nomem)
		status = KD_ERR_NOMEM;
	msg_list_free(ctx.header_problems.items, ctx.header_problems.count);
	msg_list_free(ctx.row_problems.items, ctx.row_problems.count);
	msg_list_sort(&ctx.notes);
	out->notes = ctx.notes.items;
	out->note_count = ctx.notes.count;
	out->problems = problems.items;
	out->problem_count = problems.count;
	if (status != KD_OK)
		out->row_count = 0;
	free(ctx.agent_line);
	return status;
}

enum kd_status kpi_import_parse(const char *bytes, size_t len,
                                const struct rulebook *rb, kd_month month,
                                const struct score_agent *agents,
                                size_t agent_count, struct kpi_import *out)
{
	struct import_table table;
	enum kd_status status = import_table_read(bytes, len, NULL, &table);

	if (status == KD_OK) {
		status = kpi_import_map(&table, rb, month, agents, agent_count,
		                        NULL, 0, out);
	} else {
		struct msg_list problems = {0};

		memset(out, 0, sizeof(*out));
		out->encoding = table.encoding;
		for (size_t i = 0; i < table.csv.problem_count; i++)
			msg_add(&problems, table.csv.problems[i].line, "%s",
			        table.csv.problems[i].text);
		if (problems.nomem)
			status = KD_ERR_NOMEM;
		out->problems = problems.items;
		out->problem_count = problems.count;
	}
	import_table_finish(&table);
	return status;
}
