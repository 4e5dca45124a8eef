/* Past entries from the lead's old spreadsheet: a table's rows -> entries
 * as read (the application layer checks each as `kpidesk log` does), or
 * every problem (see
 * kpidesk/import.h, events_import_map). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_internal.h"
#include "kpidesk/fixed.h"

enum ev_column {
	EV_DATE,
	EV_AGENT,
	EV_CATEGORY,
	EV_QUANTITY,
	EV_NOTE,
	EV_COUNT
};

static const struct {
	const char *what;
	const char *names[8];
} ev_columns[EV_COUNT] = {
    [EV_DATE] = {"date", {"日期", "date", "日子", "发生日期", NULL}},
    [EV_AGENT] = {"agent",
                  {"客服", "姓名", "客服姓名", "客服昵称", "agent", "name",
                   "handle", NULL}},
    [EV_CATEGORY] = {"category",
                     {"类别", "类型", "项目", "考核项", "事项", "category",
                      NULL}},
    [EV_QUANTITY] = {"quantity",
                     {"数量", "次数", "分钟", "数量/分钟", "quantity", "qty",
                      "minutes", NULL}},
    [EV_NOTE] = {"note", {"备注", "说明", "note", "notes", NULL}},
};

static int ev_column_of(const char *header)
{
	char norm[128], name[128], unit[32];

	if (!import_header_normalize(header, norm, sizeof(norm), unit,
	                             sizeof(unit)))
		return -1;
	for (int c = 0; c < EV_COUNT; c++)
		for (size_t i = 0; ev_columns[c].names[i] != NULL; i++)
			if (import_header_normalize(ev_columns[c].names[i],
			                            name, sizeof(name), NULL,
			                            0) &&
			    strcmp(name, norm) == 0)
				return c;
	return -1;
}

struct ev_ctx {
	const struct score_agent *agents;
	size_t agent_count;
	const struct kpi_csv_record *header;
	int field_of[EV_COUNT];
	struct msg_list problems;
};

static void find_columns(struct ev_ctx *ctx, bool report)
{
	const struct kpi_csv_record *h = ctx->header;

	for (int c = 0; c < EV_COUNT; c++)
		ctx->field_of[c] = -1;
	for (size_t f = 0; f < h->field_count; f++) {
		int c = ev_column_of(h->fields[f]);
		char a[256];

		if (c < 0)
			continue;
		if (ctx->field_of[c] >= 0) {
			if (report)
				msg_add(
				    &ctx->problems, h->line,
				    "%s: a second %s column; delete one "
				    "of them",
				    import_excerpt(a, sizeof(a), h->fields[f]),
				    ev_columns[c].what);
			continue;
		}
		ctx->field_of[c] = (int)f;
	}
}

static const char *cell(const struct ev_ctx *ctx,
                        const struct kpi_csv_record *rec, int column, char *buf,
                        size_t size)
{
	int field = ctx->field_of[column];
	const char *s;
	size_t len;

	buf[0] = '\0';
	if (field < 0 || (size_t)field >= rec->field_count)
		return buf;
	len = import_trim_span(rec->fields[field], &s);
	if (len >= size)
		len = size - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return buf;
}

/* "2026-01-05", "2026/1/5", "2026.1.5", "2026年1月5日", optionally with a
 * time after a space (the time is not kept: entries are by shift date). */
static bool parse_day(const char *text, kd_date *out)
{
	int y = 0, m = 0, d = 0, n = 0;
	char sep1[4] = "", sep2[4] = "";
	const char *rest;

	if (sscanf(text, "%4d%n", &y, &n) != 1 || n != 4)
		return false;
	rest = text + n;
	if (strncmp(rest, "年", 3) == 0) {
		if (sscanf(rest + 3, "%2d%n", &m, &n) != 1)
			return false;
		rest += 3 + n;
		if (strncmp(rest, "月", 3) != 0 ||
		    sscanf(rest + 3, "%2d%n", &d, &n) != 1)
			return false;
		rest += 3 + n;
		if (strncmp(rest, "日", 3) == 0)
			rest += 3;
	} else {
		if (*rest != '-' && *rest != '/' && *rest != '.')
			return false;
		sep1[0] = *rest++;
		if (*rest < '0' || *rest > '9' ||
		    sscanf(rest, "%2d%n", &m, &n) != 1)
			return false;
		rest += n;
		sep2[0] = *rest;
		if (sep2[0] != sep1[0])
			return false;
		rest++;
		if (*rest < '0' || *rest > '9' ||
		    sscanf(rest, "%2d%n", &d, &n) != 1)
			return false;
		rest += n;
	}
	if (*rest != '\0' && *rest != ' ' && *rest != 'T')
		return false;
	return date_from_ymd(y, m, d, out);
}

/* A cell of several lines (Alt+Enter in a spreadsheet) is one note: each
 * line break, with the spaces around it and any blank lines, becomes one
 * space, as a lead typing it into `log --note` would write it. */
static void join_lines(char *s)
{
	char *out = s;

	for (char *p = s; *p;) {
		if (*p != '\n' && *p != '\r') {
			*out++ = *p++;
			continue;
		}
		while (out > s && out[-1] == ' ')
			out--;
		while (*p == '\n' || *p == '\r' || *p == ' ')
			p++;
		if (out > s && *p != '\0')
			*out++ = ' ';
	}
	while (out > s && out[-1] == ' ')
		out--;
	*out = '\0';
}

/* "5.00" -> "5": a whole number that a number format shows with decimals
 * (a cell formatted 0.00); "1.5" stays as it is, and is refused. */
static void drop_zero_decimals(char *s)
{
	char *point = strchr(s, '.');

	if (point == NULL || point == s || point[1] == '\0' ||
	    point[strspn(point + 1, "0") + 1] != '\0')
		return;
	*point = '\0';
}

/* The agent an id, exact name or handle names, in that order (as `log`
 * finds one); -1 after reporting why not. */
static int64_t find_agent(struct ev_ctx *ctx, int32_t line, const char *ref)
{
	size_t found = 0, index = 0;
	char a[256];
	int64_t id;

	if (fixed_parse_int(ref, 1, INT64_MAX, &id) &&
	    strspn(ref, "0123456789") == strlen(ref)) {
		for (size_t i = 0; i < ctx->agent_count; i++)
			if (ctx->agents[i].id == id)
				return (int64_t)i;
	}
	for (int pass = 0; pass < 2 && found == 0; pass++)
		for (size_t i = 0; i < ctx->agent_count; i++) {
			const char *key = pass == 0 ? ctx->agents[i].name
			                            : ctx->agents[i].handle;

			if (key != NULL && strcmp(key, ref) == 0) {
				if (found++ == 0)
					index = i;
			}
		}
	if (found == 1)
		return (int64_t)index;
	if (found > 1)
		msg_add(&ctx->problems, line,
		        "agent: '%s' names %zu agents: write the id or the "
		        "handle",
		        import_excerpt(a, sizeof(a), ref), found);
	else
		msg_add(&ctx->problems, line,
		        "agent: unknown agent '%s' (give an id, an exact name "
		        "or a handle; 'kpidesk agent list --all' shows them)",
		        import_excerpt(a, sizeof(a), ref));
	return -1;
}

/* Reads one row; fills *e when its cells are right. */
static bool read_row(struct ev_ctx *ctx, const struct kpi_csv_record *rec,
                     struct events_import_entry *e)
{
	char date_s[128], agent_s[256], cat_s[256], qty_s[64], note_s[1024];
	char a[256];
	int32_t line = rec->line;
	size_t before = ctx->problems.count;
	int64_t agent = -1, quantity = 1;
	kd_date date = 0;

	memset(e, 0, sizeof(*e));
	e->line = line;
	cell(ctx, rec, EV_DATE, date_s, sizeof(date_s));
	cell(ctx, rec, EV_AGENT, agent_s, sizeof(agent_s));
	cell(ctx, rec, EV_CATEGORY, cat_s, sizeof(cat_s));
	cell(ctx, rec, EV_QUANTITY, qty_s, sizeof(qty_s));
	cell(ctx, rec, EV_NOTE, note_s, sizeof(note_s));
	join_lines(note_s);
	drop_zero_decimals(qty_s);

	if (date_s[0] == '\0')
		msg_add(&ctx->problems, line, "date: no date in this row");
	else if (!parse_day(date_s, &date))
		msg_add(&ctx->problems, line,
		        "date: '%s' is not a date (YYYY-MM-DD, a day that "
		        "exists)",
		        import_excerpt(a, sizeof(a), date_s));

	if (agent_s[0] == '\0')
		msg_add(&ctx->problems, line, "agent: no agent in this row");
	else
		agent = find_agent(ctx, line, agent_s);

	if (cat_s[0] == '\0')
		msg_add(&ctx->problems, line,
		        "category: no category in this row");

	if (qty_s[0] != '\0' &&
	    !fixed_parse_int(qty_s, INT32_MIN, INT32_MAX, &quantity))
		msg_add(&ctx->problems, line,
		        "quantity: '%s' is not a whole number",
		        import_excerpt(a, sizeof(a), qty_s));

	if (ctx->problems.count != before)
		return false;
	e->agent_id = ctx->agents[agent].id;
	e->date = date;
	e->quantity = (int32_t)quantity;
	e->quantity_given = qty_s[0] != '\0';
	e->category = strdup(cat_s);
	if (note_s[0] != '\0')
		e->note = strdup(note_s);
	if (e->category == NULL || (note_s[0] != '\0' && e->note == NULL)) {
		free(e->category);
		free(e->note);
		e->category = e->note = NULL;
		ctx->problems.nomem = true;
		return false;
	}
	return true;
}

void events_import_finish(struct events_import *imp)
{
	if (imp == NULL)
		return;
	for (size_t i = 0; i < imp->entry_count; i++) {
		free(imp->entries[i].category);
		free(imp->entries[i].note);
	}
	free(imp->entries);
	msg_list_free(imp->problems, imp->problem_count);
	memset(imp, 0, sizeof(*imp));
}

enum kd_status events_import_map(const struct import_table *table,
                                 const struct score_agent *agents,
                                 size_t agent_count, struct events_import *out)
{
	const struct kpi_csv *csv = &table->csv;
	struct ev_ctx ctx;
	size_t header_at = 0;
	bool found = false;
	enum kd_status status = KD_ERR_INPUT;

	memset(out, 0, sizeof(*out));
	memset(&ctx, 0, sizeof(ctx));
	out->encoding = table->encoding;
	ctx.agents = agents;
	ctx.agent_count = agent_count;

	if (csv->record_count == 0) {
		msg_add(&ctx.problems, 0,
		        "the %s is empty: it needs a header line (日期, 客服, "
		        "类别, 数量, 备注) and a row per entry",
		        table->encoding == KPI_ENC_XLSX ? "sheet" : "file");
		goto done;
	}
	for (size_t r = 0; r < csv->record_count && r < 20 && !found; r++) {
		ctx.header = &csv->records[r];
		find_columns(&ctx, false);
		found = ctx.field_of[EV_DATE] >= 0 &&
		        ctx.field_of[EV_AGENT] >= 0 &&
		        ctx.field_of[EV_CATEGORY] >= 0;
		header_at = r;
	}
	if (!found) {
		header_at = 0;
		ctx.header = &csv->records[0];
		find_columns(&ctx, false);
	}
	find_columns(&ctx, true);
	out->header_line = ctx.header->line;
	for (int c = EV_DATE; c <= EV_CATEGORY; c++)
		if (ctx.field_of[c] < 0) {
			char names[160] = "";

			for (size_t i = 0; ev_columns[c].names[i] != NULL; i++)
				snprintf(names + strlen(names),
				         sizeof(names) - strlen(names), "%s%s",
				         i ? ", " : "", ev_columns[c].names[i]);
			msg_add(&ctx.problems, ctx.header->line,
			        "%s: no such column (headers: %s)",
			        ev_columns[c].what, names);
		}
	if (ctx.problems.count > 0)
		goto done;

	out->entries = calloc(csv->record_count, sizeof(*out->entries));
	if (out->entries == NULL) {
		ctx.problems.nomem = true;
		goto done;
	}
	for (size_t r = header_at + 1; r < csv->record_count; r++) {
		struct events_import_entry *e = &out->entries[out->entry_count];

		if (!read_row(&ctx, &csv->records[r], e))
			continue;
		if (out->entry_count == 0 ||
		    date_month(e->date) < out->first_month)
			out->first_month = date_month(e->date);
		if (out->entry_count == 0 ||
		    date_month(e->date) > out->last_month)
			out->last_month = date_month(e->date);
		out->entry_count++;
	}
	if (out->entry_count == 0 && ctx.problems.count == 0)
		msg_add(&ctx.problems, ctx.header->line,
		        "only a header line, no entries");
	status = ctx.problems.count > 0 ? KD_ERR_INPUT : KD_OK;
done:
	if (ctx.problems.nomem)
		status = KD_ERR_NOMEM;
	if (status == KD_ERR_NOMEM) {
		for (size_t i = 0; i < out->entry_count; i++) {
			free(out->entries[i].category);
			free(out->entries[i].note);
		}
		out->entry_count = 0;
	}
	out->problems = ctx.problems.items;
	out->problem_count = ctx.problems.count;
	return status;
}
