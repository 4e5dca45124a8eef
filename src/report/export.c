/* The month review as CSV, Markdown and HTML (kpidesk/export.h).
 *
 * The three documents share one reading of the result (the helpers below),
 * so the payroll file and the record can never disagree on a number.
 */
#include "kpidesk/export.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kpidesk/csv.h"
#include "kpidesk/date.h"
#include "kpidesk/fixed.h"
#include "kpidesk/report.h"
#include "kpidesk/xlsx.h"
#include "l10n.h"

#define DASH "—"

bool export_format_parse(const char *text, enum export_format *out)
{
	static const struct {
		const char *name;
		enum export_format format;
	} formats[] = {
	    {"md", EXPORT_MD},
	    {"html", EXPORT_HTML},
	    {"csv", EXPORT_CSV},
	    {"xlsx", EXPORT_XLSX},
	};

	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (text && strcmp(text, formats[i].name) == 0) {
			*out = formats[i].format;
			return true;
		}
	}
	return false;
}

/* ---- numbers and labels ---- */

static const char *pts(char *buf, size_t size, int64_t cp)
{
	return fixed_format(buf, size, cp, 2, 2);
}

/* "+2.50", "-1.00", "0.00". */
static const char *signed_num(char *buf, size_t size, int64_t value)
{
	if (value > 0 && size > 1) {
		buf[0] = '+';
		fixed_format(buf + 1, size - 1, value, 2, 2);
		return buf;
	}
	return fixed_format(buf, size, value, 2, 2);
}

/* Whole points without trailing zeros: "85", "96.5". */
static const char *short_pts(char *buf, size_t size, int64_t cp)
{
	return fixed_format_trim(buf, size, cp, 2, 2);
}

static const char *tier_label(const struct rulebook *rb,
                              const struct score_agent_result *ar)
{
	if (ar->tier_index >= 0 && (size_t)ar->tier_index < rb->tier_count)
		return rb->tiers[ar->tier_index].label;
	return DASH;
}

static const char *tier_label_or(const struct rulebook *rb,
                                 const struct score_agent_result *ar,
                                 const char *none)
{
	if (ar->tier_index >= 0 && (size_t)ar->tier_index < rb->tier_count)
		return rb->tiers[ar->tier_index].label;
	return none;
}

static const char *tier_key(const struct rulebook *rb,
                            const struct score_agent_result *ar)
{
	if (ar->tier_index >= 0 && (size_t)ar->tier_index < rb->tier_count)
		return rb->tiers[ar->tier_index].key;
	return "";
}

/* Change from last month, DASH for an agent new on the board. */
static const char *change_text(char *buf, size_t size,
                               const struct score_agent_result *ar)
{
	if (!ar->has_previous) {
		snprintf(buf, size, DASH);
		return buf;
	}
	return signed_num(buf, size, ar->score_cp - ar->previous_score_cp);
}

static bool category_shown(const struct score_category_result *c)
{
	return c->occurrences != 0 || c->total_cp != 0 || c->fines_fen != 0;
}

static int64_t categories_total(const struct rulebook *rb,
                                const struct score_agent_result *ar)
{
	int64_t sum = 0;

	for (size_t c = 0; c < rb->category_count; c++)
		sum += ar->categories[c].total_cp;
	return sum;
}

/* The flags' labels joined by "、"; "" when none. */
static void flag_labels(const struct score_agent_result *ar, char *buf,
                        size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int bit = 0; bit < SCORE_FLAG_COUNT; bit++) {
		int n;

		if (!(ar->flags & (1u << bit)))
			continue;
		n = snprintf(buf + used, size - used, "%s%s", used ? "、" : "",
		             review_flag_label(bit));
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
}

/* "得分 91.00 (A) = 基础 80.00 + 项目 +11.00 + 组合 0.00", with the clamp
 * spelled out when the sum left the rulebook's range. */
static void score_formula(const struct rulebook *rb,
                          const struct score_agent_result *ar, char *buf,
                          size_t size)
{
	char base[32], cats[32], combo[32], lo[32], hi[32];
	int64_t sum = ar->base_cp + categories_total(rb, ar) + ar->combo_cp;
	size_t used;

	snprintf(buf, size, "基础 %s + 项目 %s + 组合 %s",
	         pts(base, sizeof(base), ar->base_cp),
	         signed_num(cats, sizeof(cats), categories_total(rb, ar)),
	         signed_num(combo, sizeof(combo), ar->combo_cp));
	used = strlen(buf);
	if (sum != ar->score_cp && used < size)
		snprintf(buf + used, size - used, ", 限定在 %s–%s 之间",
		         short_pts(lo, sizeof(lo), rb->min_cp),
		         short_pts(hi, sizeof(hi), rb->max_cp));
}

/* The combo rule as it fired: "轻度 4 项, 中度 0 项 (规则: 轻度 ≥ 4 或
 * 中度 ≥ 2)". */
static void combo_text(const struct rulebook *rb,
                       const struct score_agent_result *ar, char *buf,
                       size_t size)
{
	char rule[96] = "";

	if (rb->combo_light > 0 && rb->combo_medium > 0)
		snprintf(rule, sizeof(rule), "轻度 ≥ %d 或 中度 ≥ %d",
		         (int)rb->combo_light, (int)rb->combo_medium);
	else if (rb->combo_light > 0)
		snprintf(rule, sizeof(rule), "轻度 ≥ %d", (int)rb->combo_light);
	else if (rb->combo_medium > 0)
		snprintf(rule, sizeof(rule), "中度 ≥ %d",
		         (int)rb->combo_medium);
	snprintf(buf, size, "轻度 %d 项, 中度 %d 项 (规则: %s)",
	         (int)ar->light_count, (int)ar->medium_count, rule);
}

static const char *metric_unit(enum rb_metric metric)
{
	return metric == RB_METRIC_RESPONSE_S ? " s" : "%";
}

/* One money line of an agent's breakdown. */
struct money_line {
	const char *label;
	int64_t fen;
	bool is_signed; /* shown with its sign (pay adjustment) */
};

enum { MONEY_LINES = 6 };

static void money_lines(const struct score_agent_result *ar,
                        struct money_line lines[MONEY_LINES])
{
	lines[0] = (struct money_line){"绩效工资", ar->pay_adjust_fen, true};
	lines[1] = (struct money_line){"奖金池分成", ar->pool_share_fen, false};
	lines[2] = (struct money_line){"名次奖", ar->award_fen, false};
	lines[3] = (struct money_line){"连冠奖", ar->streak_award_fen, false};
	lines[4] =
	    (struct money_line){"全勤奖", ar->attendance_award_fen, false};
	lines[5] = (struct money_line){"罚款", ar->fines_fen, false};
}

/* A note after a money line ("" when none). */
static void money_note(const struct rulebook *rb,
                       const struct score_agent_result *ar, size_t line,
                       char *buf, size_t size)
{
	buf[0] = '\0';
	if (line == 0 && (ar->flags & SCORE_FLAG_PROBATION))
		snprintf(buf, size, "试用期, 第 %d 个月起计",
		         (int)rb->pay_from_month);
	else if (line == 3 && ar->top_streak > 0 && ar->streak_award_fen)
		/* The engine counts the streak only as far back as its
		 * look-backs reach: at that length it is "at least". */
		snprintf(buf, size, "连续第 1 名%s %d 个月",
		         ar->top_streak > score_lookback_months(rb) ? " ≥" : "",
		         (int)ar->top_streak);
	else if (line == 5 && ar->fines_fen)
		snprintf(buf, size, "从合计中扣除");
}

static const char *state_text(const struct review_month *rm, char *buf,
                              size_t size)
{
	if (!rm->closed)
		snprintf(buf, size, "未结账 (open): 数字仍可能变化");
	else
		snprintf(buf, size, "已结账 (closed) %s%s%s%s",
		         rm->closed_at ? rm->closed_at : "",
		         rm->closed_by ? " (" : "",
		         rm->closed_by ? rm->closed_by : "",
		         rm->closed_by ? ")" : "");
	return buf;
}

static const char *pool_text(const struct score_month_result *res, char *buf,
                             size_t size)
{
	char pool[32], sales[32], undist[32], sales_text[64];

	if (res->has_silent_sales)
		snprintf(sales_text, sizeof(sales_text), "静默下单销售额 %s 元",
		         pts(sales, sizeof(sales), res->silent_sales_fen));
	else
		snprintf(sales_text, sizeof(sales_text),
		         "未录入静默下单销售额");
	snprintf(buf, size, "%s 元 (%s), 未分配 %s 元",
	         pts(pool, sizeof(pool), res->pool_fen), sales_text,
	         pts(undist, sizeof(undist), res->undistributed_fen));
	return buf;
}

static const char *team_name(const struct rulebook *rb)
{
	return rb->team_name && rb->team_name[0] ? rb->team_name : "kpidesk";
}

static const char *category_label(const struct rulebook *rb, const char *key)
{
	const struct rb_category *cat = rulebook_category(rb, key);

	return cat ? cat->label : key;
}

/* The first cell of an agent's row in the trend. */
static size_t trend_row(const struct review_trend *trend, size_t agent)
{
	return agent * (size_t)trend->months;
}

/* ---- CSV ---- */

/* The payroll file's columns: English keys (the msgids) or, under a
 * Chinese locale, their Chinese names from the message catalogue. */
static const char *const csv_headers[] = {
    N_("month"),      N_("id"),    N_("name"),         N_("tier"),
    N_("score"),      N_("grade"), N_("rank"),         N_("pay_adjust"),
    N_("pool_share"), N_("award"), N_("streak_award"), N_("attendance_award"),
    N_("awards"),     N_("fines"), N_("net")};

enum { CSV_COLUMNS = sizeof(csv_headers) / sizeof(csv_headers[0]) };

static enum kd_status write_csv(FILE *out, const struct review_month *rm)
{
	static const enum csv_cell kinds[CSV_COLUMNS] = {
	    CSV_TEXT,   CSV_NUMBER, CSV_TEXT,   CSV_TEXT,   CSV_NUMBER,
	    CSV_TEXT,   CSV_NUMBER, CSV_NUMBER, CSV_NUMBER, CSV_NUMBER,
	    CSV_NUMBER, CSV_NUMBER, CSV_NUMBER, CSV_NUMBER, CSV_NUMBER};
	const char *headers[CSV_COLUMNS];
	const struct score_month_result *res = rm->result;
	bool chinese = report_chinese();
	char month[16];

	for (size_t c = 0; c < CSV_COLUMNS; c++)
		headers[c] = _(csv_headers[c]);
	if (!csv_write_bom(out) ||
	    !csv_write_row(out, headers, NULL, CSV_COLUMNS))
		return KD_ERR_IO;
	month_format(month, sizeof(month), res->month);
	for (size_t i = 0; i < res->agent_count; i++) {
		const struct score_agent_result *ar = &res->agents[i];
		char id[24], rank[16], score[32], pay[32], share[32], award[32],
		    streak[32], attend[32], awards[32], fines[32], net[32];
		const char *cells[CSV_COLUMNS] = {
		    month,
		    id,
		    ar->agent->name,
		    chinese ? tier_label_or(rm->rb, ar, "")
		            : tier_key(rm->rb, ar),
		    score,
		    ar->grade,
		    rank,
		    pts(pay, sizeof(pay), ar->pay_adjust_fen),
		    pts(share, sizeof(share), ar->pool_share_fen),
		    pts(award, sizeof(award), ar->award_fen),
		    pts(streak, sizeof(streak), ar->streak_award_fen),
		    pts(attend, sizeof(attend), ar->attendance_award_fen),
		    pts(awards, sizeof(awards), review_awards_fen(ar)),
		    pts(fines, sizeof(fines), ar->fines_fen),
		    pts(net, sizeof(net), review_net_fen(ar)),
		};

		snprintf(id, sizeof(id), "%" PRId64, ar->agent->id);
		snprintf(rank, sizeof(rank), "%d", (int)ar->rank);
		pts(score, sizeof(score), ar->score_cp);
		if (!csv_write_row(out, cells, kinds, CSV_COLUMNS))
			return KD_ERR_IO;
	}
	return KD_OK;
}

/* ---- Markdown ---- */

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* Text inside Markdown (and its tables), never at the start of a line:
 * what Markdown would read as emphasis, code, links, table cells or
 * strike-through is backslash-escaped, and so are '<' that could open an
 * HTML tag and '&' that could start an entity ("69 < 80" stays as it is).
 * Control characters become spaces. */
static void md(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		char next = s[1];

		if (c < 0x20 || c == 0x7f)
			fputc(' ', out);
		else if (strchr("\\`*_[]|~", c) ||
		         (c == '<' && (is_alnum(next) || next == '/' ||
		                       next == '!' || next == '?')) ||
		         (c == '&' && (is_alnum(next) || next == '#')))
			fprintf(out, "\\%c", c);
		else
			fputc(c, out);
	}
}

static void md_trend(FILE *out, const struct review_trend *trend, size_t agent)
{
	size_t row = trend_row(trend, agent);
	char month[16], score[32];

	fputs("近六个月得分:\n\n|", out);
	for (int32_t j = 0; j < trend->months; j++)
		fprintf(out, " %s |",
		        month_format(month, sizeof(month), trend->first + j));
	fputs("\n|", out);
	for (int32_t j = 0; j < trend->months; j++)
		fputs("---:|", out);
	fputs("\n|", out);
	for (int32_t j = 0; j < trend->months; j++)
		fprintf(out, " %s |",
		        trend->present[row + (size_t)j]
		            ? pts(score, sizeof(score),
		                  trend->score_cp[row + (size_t)j])
		            : DASH);
	fputs("\n\n", out);
}

static void md_agent(FILE *out, const struct review_month *rm,
                     const struct review_trend *trend, size_t index)
{
	const struct rulebook *rb = rm->rb;
	const struct score_agent_result *ar = &rm->result->agents[index];
	struct money_line lines[MONEY_LINES];
	char a[32], b[32], c[32], text[512];
	bool any = false;

	fprintf(out, "### %d. ", (int)ar->rank);
	md(out, ar->agent->name);
	fprintf(out, "\n\nid %" PRId64 " · ", ar->agent->id);
	md(out, tier_label(rb, ar));
	fprintf(out, ", 本职级第 %d 个月 · 入职第 %d 个月\n\n",
	        (int)ar->months_in_tier, (int)ar->employment_month);
	score_formula(rb, ar, text, sizeof(text));
	fprintf(out, "得分 **%s** (", pts(a, sizeof(a), ar->score_cp));
	md(out, ar->grade);
	fprintf(out, ") = %s\n\n", text);

	for (size_t k = 0; k < rb->category_count; k++) {
		const struct score_category_result *cat = &ar->categories[k];

		if (!category_shown(cat))
			continue;
		if (!any)
			fputs("| 项目 | 次数 | 分数 | 罚款(元) |\n"
			      "|---|---:|---:|---:|\n",
			      out);
		any = true;
		fputs("| ", out);
		md(out, rb->categories[k].label);
		fprintf(out, " | %d | %s | %s |\n", (int)cat->occurrences,
		        signed_num(a, sizeof(a), cat->total_cp),
		        pts(b, sizeof(b), cat->fines_fen));
	}
	fputs(any ? "\n" : "本月无记录。\n\n", out);

	if (ar->combo_cp != 0) {
		combo_text(rb, ar, text, sizeof(text));
		fprintf(out, "组合扣分 %s: %s\n\n",
		        signed_num(a, sizeof(a), ar->combo_cp), text);
	}

	if (!ar->kpi_present) {
		fprintf(out, "基础: 固定 %s\n\n",
		        pts(a, sizeof(a), ar->base_cp));
	} else {
		fprintf(out,
		        "基础: KPI %s\n\n"
		        "| 指标 | 数值 | 得分 | 权重 | 计分 |\n"
		        "|---|---:|---:|---:|---:|\n",
		        pts(a, sizeof(a), ar->kpi_score_cp));
		for (size_t k = 0; k < rb->kpi_count; k++) {
			const struct score_kpi_metric *m = &ar->kpi_metrics[k];

			fputs("| ", out);
			md(out, rb->kpis[k].label);
			if (m->present)
				fprintf(out, " | %s%s",
				        pts(a, sizeof(a), m->value_h),
				        metric_unit(rb->kpis[k].metric));
			else
				fputs(" | " DASH, out);
			fprintf(out, " | %s | %d | %s |\n",
			        short_pts(b, sizeof(b), m->band_h),
			        (int)rb->kpis[k].weight,
			        pts(c, sizeof(c), m->points_cp));
		}
		fputs("\n", out);
	}

	money_lines(ar, lines);
	fputs("金额:\n\n", out);
	for (size_t k = 0; k < MONEY_LINES; k++) {
		money_note(rb, ar, k, text, sizeof(text));
		fprintf(out, "- %s: %s 元%s%s%s\n", lines[k].label,
		        lines[k].is_signed
		            ? signed_num(a, sizeof(a), lines[k].fen)
		            : pts(a, sizeof(a), lines[k].fen),
		        text[0] ? " (" : "", text, text[0] ? ")" : "");
	}
	fprintf(out, "- **合计: %s 元**\n\n",
	        signed_num(a, sizeof(a), review_net_fen(ar)));

	if (!ar->flags) {
		fputs("标记: 无\n\n", out);
	} else {
		fputs("标记:\n\n", out);
		for (int bit = 0; bit < SCORE_FLAG_COUNT; bit++) {
			if (!(ar->flags & (1u << bit)))
				continue;
			review_flag_reason(rb, ar, bit, text, sizeof(text));
			fprintf(out, "- %s (%s): ", review_flag_label(bit),
			        score_flag_name(bit));
			md(out, text);
			fputs("\n", out);
		}
		fputs("\n", out);
	}
	if (trend)
		md_trend(out, trend, index);
}

static void md_appeals(FILE *out, const struct review_month *rm)
{
	const struct store_appeal_list *list = &rm->appeals;
	char date[16];

	fprintf(out, "## 未结申诉 (%zu)\n\n", list->count);
	if (list->count == 0) {
		fputs("无。\n", out);
		return;
	}
	fputs("| 事件 | 日期 | 客服 | 项目 | 数量 | 申诉理由 | 提出 |\n"
	      "|---:|---|---|---|---:|---|---|\n",
	      out);
	for (size_t i = 0; i < list->count; i++) {
		const struct store_appeal *p = &list->appeals[i];

		fprintf(out, "| %" PRId64 " | %s | ", p->event_id,
		        date_format(date, sizeof(date), p->date));
		md(out, p->agent_name);
		fputs(" | ", out);
		md(out, category_label(rm->rb, p->category));
		fprintf(out, " | %d | ", (int)p->quantity);
		md(out, p->reason);
		fputs(" | ", out);
		md(out, p->opened_at);
		fputs(" |\n", out);
	}
}

static void write_md(FILE *out, const struct review_month *rm,
                     const struct review_trend *trend)
{
	const struct rulebook *rb = rm->rb;
	const struct score_month_result *res = rm->result;
	char month[16], text[256], a[32], b[32], c[32], d[32], e[32], f[32],
	    g[32], flags[160];

	month_format(month, sizeof(month), res->month);
	fputs("# ", out);
	md(out, team_name(rb));
	fprintf(out, " · %s 月度复盘\n\n", month);
	fputs("- 状态: ", out);
	md(out, state_text(rm, text, sizeof(text)));
	fprintf(out, "\n- 奖金池: %s\n- 上榜: %zu 人\n\n",
	        pool_text(res, text, sizeof(text)), res->agent_count);

	fputs("## 排名\n\n", out);
	if (res->agent_count == 0) {
		fputs("本月无人上榜。\n\n", out);
	} else {
		fputs("| 排名 | 姓名 | 职级 | 得分 | 等级 | 较上月 | "
		      "绩效工资 | 奖金分成 | 奖励 | 罚款 | 合计 | 标记 |\n"
		      "|---:|---|---|---:|---|---:|---:|---:|---:|---:|---:|"
		      "---|\n",
		      out);
	}
	for (size_t i = 0; i < res->agent_count; i++) {
		const struct score_agent_result *ar = &res->agents[i];

		fprintf(out, "| %d | ", (int)ar->rank);
		md(out, ar->agent->name);
		fputs(" | ", out);
		md(out, tier_label(rb, ar));
		fprintf(out, " | %s | ", pts(a, sizeof(a), ar->score_cp));
		md(out, ar->grade);
		flag_labels(ar, flags, sizeof(flags));
		fprintf(out, " | %s | %s | %s | %s | %s | %s | %s |\n",
		        change_text(b, sizeof(b), ar),
		        signed_num(c, sizeof(c), ar->pay_adjust_fen),
		        pts(d, sizeof(d), ar->pool_share_fen),
		        pts(e, sizeof(e), review_awards_fen(ar)),
		        pts(f, sizeof(f), ar->fines_fen),
		        signed_num(g, sizeof(g), review_net_fen(ar)),
		        flags[0] ? flags : DASH);
	}
	if (res->agent_count)
		fputs("\n金额单位: 元。奖励 = 名次奖 + 连冠奖 + 全勤奖; "
		      "合计 = 绩效工资 + 奖金分成 + 奖励 - 罚款。\n\n"
		      "## 明细\n\n",
		      out);
	for (size_t i = 0; i < res->agent_count; i++)
		md_agent(out, rm, trend, i);
	md_appeals(out, rm);
}

/* ---- HTML ---- */

static void html(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			if ((unsigned char)*s < 0x20 || *s == 0x7f)
				fputc(' ', out);
			else
				fputc(*s, out);
		}
	}
}

static const char html_head_style[] =
    "<style type=\"text/css\">\n"
    "@page { size: A4; margin: 12mm; }\n"
    "body { font-family: \"Noto Sans CJK SC\", \"Microsoft YaHei\", "
    "\"PingFang SC\", sans-serif; font-size: 11pt; color: #111; "
    "background: #fff; max-width: 186mm; margin: 1em auto; }\n"
    "h1 { font-size: 18pt; margin: 0 0 0.3em; }\n"
    "h2 { font-size: 14pt; border-bottom: 2px solid #333; "
    "margin: 1.2em 0 0.4em; }\n"
    "h3 { font-size: 12pt; margin: 0 0 0.3em; }\n"
    "table { border-collapse: collapse; margin: 0.3em 0 0.6em; }\n"
    "th, td { border: 1px solid #999; padding: 2px 6px; "
    "vertical-align: top; }\n"
    "th { background: #eee; }\n"
    ".n { text-align: right; white-space: nowrap; }\n"
    "table.board { width: 100%; }\n"
    ".agent { border-top: 1px solid #999; padding-top: 0.5em; "
    "margin-top: 0.8em; page-break-inside: avoid; }\n"
    ".neg { color: #a00; }\n"
    ".flag { font-weight: bold; }\n"
    ".trend { display: block; margin: 0.3em 0; }\n"
    "@media print {\n"
    "  body { font-size: 9.5pt; max-width: none; margin: 0; }\n"
    "  h2 { page-break-after: avoid; }\n"
    "  .agent { page-break-inside: avoid; }\n"
    "  th { background: #eee; -webkit-print-color-adjust: exact; "
    "print-color-adjust: exact; }\n"
    "}\n"
    "</style>\n";

/* A table cell with a number, marked negative in red. */
static void html_num(FILE *out, const char *text)
{
	fprintf(out, "<td class=\"%s\">%s</td>", text[0] == '-' ? "n neg" : "n",
	        text);
}

/* Writes `s` percent-encoded for a data: URI inside a double-quoted HTML
 * attribute: only unreserved characters and a few harmless ones stay. */
static void uri_encode(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-_.~/:=,;()'!*", c))
			fputc(c, out);
		else
			fprintf(out, "%%%02X", c);
	}
}

/* The trend as an SVG bar chart (0 to the rulebook's max score), embedded
 * as a data: URI image with the scores as its alt text. */
static enum kd_status html_trend(FILE *out, const struct review_month *rm,
                                 const struct review_trend *trend, size_t agent)
{
	enum {
		WIDTH = 252,
		HEIGHT = 120,
		TOP = 16,
		BAR_AREA = 80,
		BAR = 26,
		STEP = 40,
		LEFT = 10
	};
	const struct rulebook *rb = rm->rb;
	size_t row = trend_row(trend, agent);
	int64_t max_cp = rb->max_cp > 0 ? rb->max_cp : 11000;
	char *svg = NULL, month[16], score[32];
	size_t size = 0;
	FILE *mem = open_memstream(&svg, &size);

	if (!mem)
		return KD_ERR_NOMEM;
	fprintf(mem,
	        "<svg xmlns='http://www.w3.org/2000/svg' width='%d' "
	        "height='%d' viewBox='0 0 %d %d' font-family='sans-serif' "
	        "font-size='10'>",
	        WIDTH, HEIGHT, WIDTH, HEIGHT);
	fprintf(mem, "<line x1='4' y1='%d' x2='%d' y2='%d' stroke='#333'/>",
	        TOP + BAR_AREA, WIDTH - 4, TOP + BAR_AREA);
	if (rb->pay_baseline_cp > 0 && rb->pay_baseline_cp <= max_cp) {
		int y = TOP + BAR_AREA -
		        (int)(rb->pay_baseline_cp * BAR_AREA / max_cp);

		fprintf(mem,
		        "<line x1='4' y1='%d' x2='%d' y2='%d' stroke='#999' "
		        "stroke-dasharray='3,3'/>",
		        y, WIDTH - 4, y);
	}
	for (int32_t j = 0; j < trend->months; j++) {
		int x = LEFT + j * STEP;
		bool last = j == trend->months - 1;

		if (trend->present[row + (size_t)j]) {
			int64_t cp = trend->score_cp[row + (size_t)j];
			int h = (int)(fixed_clamp(cp, 0, max_cp) * BAR_AREA /
			              max_cp);

			fprintf(mem,
			        "<rect x='%d' y='%d' width='%d' height='%d' "
			        "fill='%s'/>",
			        x, TOP + BAR_AREA - h, BAR, h,
			        last ? "#1f5f9f" : "#8fb3d9");
			fprintf(mem,
			        "<text x='%d' y='%d' text-anchor='middle'>%s"
			        "</text>",
			        x + BAR / 2, TOP + BAR_AREA - h - 3,
			        short_pts(score, sizeof(score), cp));
		} else {
			fprintf(mem,
			        "<text x='%d' y='%d' text-anchor='middle' "
			        "fill='#999'>-</text>",
			        x + BAR / 2, TOP + BAR_AREA - 3);
		}
		fprintf(mem,
		        "<text x='%d' y='%d' text-anchor='middle'>%d月</text>",
		        x + BAR / 2, TOP + BAR_AREA + 14,
		        month_number(trend->first + j));
	}
	fputs("</svg>", mem);
	if (fclose(mem) != 0) {
		free(svg);
		return KD_ERR_NOMEM;
	}
	fprintf(out, "<p>近六个月得分 (%s 至 ",
	        month_format(month, sizeof(month), trend->first));
	fprintf(out,
	        "%s):</p>\n<img class=\"trend\" width=\"%d\" height=\"%d\" "
	        "alt=\"近六个月得分:",
	        month_format(month, sizeof(month),
	                     trend->first + trend->months - 1),
	        WIDTH, HEIGHT);
	for (int32_t j = 0; j < trend->months; j++)
		fprintf(out, " %s %s",
		        month_format(month, sizeof(month), trend->first + j),
		        trend->present[row + (size_t)j]
		            ? pts(score, sizeof(score),
		                  trend->score_cp[row + (size_t)j])
		            : DASH);
	fputs("\" src=\"data:image/svg+xml,", out);
	uri_encode(out, svg);
	fputs("\">\n", out);
	free(svg);
	return KD_OK;
}

static enum kd_status html_agent(FILE *out, const struct review_month *rm,
                                 const struct review_trend *trend, size_t index)
{
	const struct rulebook *rb = rm->rb;
	const struct score_agent_result *ar = &rm->result->agents[index];
	struct money_line lines[MONEY_LINES];
	char a[32], b[32], c[32], text[512];
	bool any = false;

	fprintf(out, "<div class=\"agent\">\n<h3>%d. ", (int)ar->rank);
	html(out, ar->agent->name);
	fprintf(out, "</h3>\n<p>id %" PRId64 " · ", ar->agent->id);
	html(out, tier_label(rb, ar));
	fprintf(out, ", 本职级第 %d 个月 · 入职第 %d 个月</p>\n",
	        (int)ar->months_in_tier, (int)ar->employment_month);
	score_formula(rb, ar, text, sizeof(text));
	fprintf(out, "<p>得分 <b>%s</b> (", pts(a, sizeof(a), ar->score_cp));
	html(out, ar->grade);
	fprintf(out, ") = %s</p>\n", text);

	for (size_t k = 0; k < rb->category_count; k++) {
		const struct score_category_result *cat = &ar->categories[k];

		if (!category_shown(cat))
			continue;
		if (!any)
			fputs("<table>\n<tr><th>项目</th><th>次数</th>"
			      "<th>分数</th><th>罚款(元)</th></tr>\n",
			      out);
		any = true;
		fputs("<tr><td>", out);
		html(out, rb->categories[k].label);
		fprintf(out, "</td><td class=\"n\">%d</td>",
		        (int)cat->occurrences);
		html_num(out, signed_num(a, sizeof(a), cat->total_cp));
		html_num(out, pts(b, sizeof(b), cat->fines_fen));
		fputs("</tr>\n", out);
	}
	fputs(any ? "</table>\n" : "<p>本月无记录。</p>\n", out);

	if (ar->combo_cp != 0) {
		combo_text(rb, ar, text, sizeof(text));
		fprintf(out, "<p>组合扣分 <b>%s</b>: %s</p>\n",
		        signed_num(a, sizeof(a), ar->combo_cp), text);
	}
	if (!ar->kpi_present) {
		fprintf(out, "<p>基础: 固定 %s</p>\n",
		        pts(a, sizeof(a), ar->base_cp));
	} else {
		fprintf(out,
		        "<p>基础: KPI %s</p>\n<table>\n<tr><th>指标</th>"
		        "<th>数值</th><th>得分</th><th>权重</th><th>计分</th>"
		        "</tr>\n",
		        pts(a, sizeof(a), ar->kpi_score_cp));
		for (size_t k = 0; k < rb->kpi_count; k++) {
			const struct score_kpi_metric *m = &ar->kpi_metrics[k];

			fputs("<tr><td>", out);
			html(out, rb->kpis[k].label);
			fputs("</td>", out);
			if (m->present)
				fprintf(out, "<td class=\"n\">%s%s</td>",
				        pts(a, sizeof(a), m->value_h),
				        metric_unit(rb->kpis[k].metric));
			else
				fputs("<td class=\"n\">" DASH "</td>", out);
			fprintf(out,
			        "<td class=\"n\">%s</td><td class=\"n\">%d</td>"
			        "<td class=\"n\">%s</td></tr>\n",
			        short_pts(b, sizeof(b), m->band_h),
			        (int)rb->kpis[k].weight,
			        pts(c, sizeof(c), m->points_cp));
		}
		fputs("</table>\n", out);
	}

	money_lines(ar, lines);
	fputs("<table>\n<tr><th>金额</th><th>元</th><th>说明</th></tr>\n", out);
	for (size_t k = 0; k < MONEY_LINES; k++) {
		money_note(rb, ar, k, text, sizeof(text));
		fprintf(out, "<tr><td>%s</td>", lines[k].label);
		html_num(out, lines[k].is_signed
		                  ? signed_num(a, sizeof(a), lines[k].fen)
		                  : pts(a, sizeof(a), lines[k].fen));
		fprintf(out, "<td>%s</td></tr>\n", text);
	}
	fputs("<tr><th>合计</th>", out);
	html_num(out, signed_num(a, sizeof(a), review_net_fen(ar)));
	fputs("<td></td></tr>\n</table>\n", out);

	if (!ar->flags) {
		fputs("<p>标记: 无</p>\n", out);
	} else {
		fputs("<p>标记:</p>\n<ul>\n", out);
		for (int bit = 0; bit < SCORE_FLAG_COUNT; bit++) {
			if (!(ar->flags & (1u << bit)))
				continue;
			review_flag_reason(rb, ar, bit, text, sizeof(text));
			fprintf(out,
			        "<li><span class=\"flag\">%s</span> (%s): ",
			        review_flag_label(bit), score_flag_name(bit));
			html(out, text);
			fputs("</li>\n", out);
		}
		fputs("</ul>\n", out);
	}
	if (trend) {
		enum kd_status status = html_trend(out, rm, trend, index);

		if (status != KD_OK)
			return status;
	}
	fputs("</div>\n", out);
	return KD_OK;
}

static void html_appeals(FILE *out, const struct review_month *rm)
{
	const struct store_appeal_list *list = &rm->appeals;
	char date[16];

	fprintf(out, "<h2>未结申诉 (%zu)</h2>\n", list->count);
	if (list->count == 0) {
		fputs("<p>无。</p>\n", out);
		return;
	}
	fputs("<table>\n<tr><th>事件</th><th>日期</th><th>客服</th>"
	      "<th>项目</th><th>数量</th><th>申诉理由</th><th>提出</th>"
	      "</tr>\n",
	      out);
	for (size_t i = 0; i < list->count; i++) {
		const struct store_appeal *p = &list->appeals[i];

		fprintf(out,
		        "<tr><td class=\"n\">%" PRId64 "</td><td>%s</td><td>",
		        p->event_id, date_format(date, sizeof(date), p->date));
		html(out, p->agent_name);
		fputs("</td><td>", out);
		html(out, category_label(rm->rb, p->category));
		fprintf(out, "</td><td class=\"n\">%d</td><td>",
		        (int)p->quantity);
		html(out, p->reason);
		fputs("</td><td>", out);
		html(out, p->opened_at);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

static enum kd_status write_html(FILE *out, const struct review_month *rm,
                                 const struct review_trend *trend)
{
	const struct rulebook *rb = rm->rb;
	const struct score_month_result *res = rm->result;
	char month[16], text[256], a[32], b[32], c[32], d[32], e[32], f[32],
	    g[32], flags[160];
	enum kd_status status = KD_OK;

	month_format(month, sizeof(month), res->month);
	fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n<title>",
	      out);
	html(out, team_name(rb));
	fprintf(out, " · %s 月度复盘</title>\n", month);
	fputs(html_head_style, out);
	fputs("</head>\n<body>\n<h1>", out);
	html(out, team_name(rb));
	fprintf(out, " · %s 月度复盘</h1>\n<p>状态: ", month);
	html(out, state_text(rm, text, sizeof(text)));
	fprintf(out, "<br>\n奖金池: %s<br>\n上榜: %zu 人</p>\n",
	        pool_text(res, text, sizeof(text)), res->agent_count);

	fputs("<h2>排名</h2>\n", out);
	if (res->agent_count == 0)
		fputs("<p>本月无人上榜。</p>\n", out);
	else
		fputs("<table class=\"board\">\n<tr><th>排名</th><th>姓名</th>"
		      "<th>职级</th><th>得分</th><th>等级</th><th>较上月</th>"
		      "<th>绩效工资</th><th>奖金分成</th><th>奖励</th>"
		      "<th>罚款</th><th>合计</th><th>标记</th></tr>\n",
		      out);
	for (size_t i = 0; i < res->agent_count; i++) {
		const struct score_agent_result *ar = &res->agents[i];

		fprintf(out, "<tr><td class=\"n\">%d</td><td>", (int)ar->rank);
		html(out, ar->agent->name);
		fputs("</td><td>", out);
		html(out, tier_label(rb, ar));
		fputs("</td>", out);
		html_num(out, pts(a, sizeof(a), ar->score_cp));
		fputs("<td>", out);
		html(out, ar->grade);
		fputs("</td>", out);
		html_num(out, change_text(b, sizeof(b), ar));
		html_num(out, signed_num(c, sizeof(c), ar->pay_adjust_fen));
		html_num(out, pts(d, sizeof(d), ar->pool_share_fen));
		html_num(out, pts(e, sizeof(e), review_awards_fen(ar)));
		html_num(out, pts(f, sizeof(f), ar->fines_fen));
		html_num(out, signed_num(g, sizeof(g), review_net_fen(ar)));
		flag_labels(ar, flags, sizeof(flags));
		fprintf(out, "<td>%s</td></tr>\n", flags[0] ? flags : DASH);
	}
	if (res->agent_count)
		fputs("</table>\n<p>金额单位: 元。奖励 = 名次奖 + 连冠奖 + "
		      "全勤奖; 合计 = 绩效工资 + 奖金分成 + 奖励 - 罚款。</p>\n"
		      "<h2>明细</h2>\n",
		      out);
	for (size_t i = 0; status == KD_OK && i < res->agent_count; i++)
		status = html_agent(out, rm, trend, i);
	if (status != KD_OK)
		return status;
	html_appeals(out, rm);
	fputs("</body>\n</html>\n", out);
	return KD_OK;
}

/* ---- XLSX ---- */

/* libxlsxwriter writes to a path: the workbook goes to a private temporary
 * file (mode 0600, $TMPDIR or /tmp), is copied to out and removed. Callers
 * that write a file themselves call xlsx_write_review with a temporary path
 * next to the target instead. */
static enum kd_status write_xlsx_stream(FILE *out,
                                        const struct review_month *rm)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	enum kd_status status;
	char buf[8192];
	size_t n;
	FILE *in;
	int fd;

	if (!dir || !dir[0])
		dir = "/tmp";
	if (snprintf(path, sizeof(path), "%s/kpidesk-xlsx-XXXXXX", dir) >=
	    (int)sizeof(path))
		return KD_ERR_IO;
	fd = mkstemp(path);
	if (fd < 0)
		return KD_ERR_IO;
	status = xlsx_write_review(path, rm);
	in = status == KD_OK ? fdopen(fd, "rb") : NULL;
	if (status == KD_OK && !in)
		status = KD_ERR_IO;
	while (status == KD_OK && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			status = KD_ERR_IO;
	if (status == KD_OK && ferror(in))
		status = KD_ERR_IO;
	if (in)
		fclose(in);
	else
		close(fd);
	unlink(path);
	return status;
}

enum kd_status export_review(FILE *out, enum export_format format,
                             const struct review_month *rm,
                             const struct review_trend *trend)
{
	enum kd_status status = KD_OK;

	if (trend && trend->agent_count != rm->result->agent_count)
		trend = NULL;
	switch (format) {
	case EXPORT_CSV:
		status = write_csv(out, rm);
		break;
	case EXPORT_MD:
		write_md(out, rm, trend);
		break;
	case EXPORT_HTML:
		status = write_html(out, rm, trend);
		break;
	case EXPORT_XLSX:
		status = write_xlsx_stream(out, rm);
		break;
	}
	if (status == KD_OK && ferror(out))
		status = KD_ERR_IO;
	return status;
}
