/* The month review as a workbook (kpidesk/xlsx.h). */
#include "kpidesk/xlsx.h"

#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "kpidesk/fixed.h"
#include "l10n.h"

/* Spelled-out flags, English msgids with the Chinese labels of
 * review_flag_label in the catalogue. */
static const char *const flag_words[] = {
    N_("no bonus"),            /* no_bonus */
    N_("probation"),           /* probation */
    N_("promotion suggested"), /* promote */
    N_("demotion suggested"),  /* demote */
    N_("dismissal review"),    /* dismiss_review */
    N_("no KPI data"),         /* no_kpi */
};

_Static_assert(sizeof(flag_words) / sizeof(flag_words[0]) == SCORE_FLAG_COUNT,
               "one word per flag");

static const char *const board_headers[] = {
    N_("rank"),   N_("name"),   N_("tier"),       N_("score"),
    N_("grade"),  N_("change"), N_("pay_adjust"), N_("pool_share"),
    N_("awards"), N_("fines"),  N_("net"),        N_("flags"),
};

static const double board_widths[] = {6,  18, 12, 8,  6,  8,
                                      12, 12, 12, 10, 12, 30};

static const char *const breakdown_headers[] = {
    N_("rank"),  N_("name"),   N_("item"),   N_("count"),
    N_("value"), N_("points"), N_("amount"),
};

static const double breakdown_widths[] = {6, 18, 22, 8, 10, 10, 12};

struct book {
	lxw_workbook *wb;
	lxw_format *header;
	lxw_format *money;
	lxw_format *points;
	lxw_error error;
};

static double hundredths(int64_t v)
{
	return (double)v / 100.0;
}

static void keep(struct book *b, lxw_error e)
{
	if (b->error == LXW_NO_ERROR)
		b->error = e;
}

static void text(struct book *b, lxw_worksheet *ws, lxw_row_t row,
                 lxw_col_t col, const char *s)
{
	if (s && s[0])
		keep(b, worksheet_write_string(ws, row, col, s, NULL));
}

static void number(struct book *b, lxw_worksheet *ws, lxw_row_t row,
                   lxw_col_t col, double v, lxw_format *format)
{
	keep(b, worksheet_write_number(ws, row, col, v, format));
}

static lxw_worksheet *sheet(struct book *b, const char *name,
                            const char *const *headers, const double *widths,
                            size_t columns)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, _(name));

	if (!ws) {
		keep(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return NULL;
	}
	for (size_t c = 0; c < columns; c++) {
		keep(b, worksheet_write_string(ws, 0, (lxw_col_t)c,
		                               _(headers[c]), b->header));
		keep(b, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
		                             widths[c], NULL));
	}
	worksheet_freeze_panes(ws, 1, 0);
	return ws;
}

static const char *tier_text(const struct rulebook *rb,
                             const struct score_agent_result *ar)
{
	if (ar->tier_index < 0 || (size_t)ar->tier_index >= rb->tier_count)
		return NULL;
	return report_chinese() ? rb->tiers[ar->tier_index].label
	                        : rb->tiers[ar->tier_index].key;
}

/* The flags in words, joined by "、" (Chinese) or ", ". */
static void flags_text(const struct score_agent_result *ar, char *buf,
                       size_t size)
{
	const char *sep = report_chinese() ? "、" : ", ";
	size_t used = 0;

	buf[0] = '\0';
	for (int bit = 0; bit < SCORE_FLAG_COUNT; bit++) {
		int n;

		if (!(ar->flags & (1u << bit)))
			continue;
		n = snprintf(buf + used, size - used, "%s%s", used ? sep : "",
		             _(flag_words[bit]));
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
}

static void write_board(struct book *b, const struct review_month *rm)
{
	const size_t columns = sizeof(board_headers) / sizeof(board_headers[0]);
	const struct score_month_result *res = rm->result;
	lxw_worksheet *ws =
	    sheet(b, N_("Board"), board_headers, board_widths, columns);

	for (size_t i = 0; ws && i < res->agent_count; i++) {
		const struct score_agent_result *ar = &res->agents[i];
		lxw_row_t row = (lxw_row_t)(i + 1);
		char flags[256];

		number(b, ws, row, 0, ar->rank, NULL);
		text(b, ws, row, 1, ar->agent->name);
		text(b, ws, row, 2, tier_text(rm->rb, ar));
		number(b, ws, row, 3, hundredths(ar->score_cp), b->points);
		text(b, ws, row, 4, ar->grade);
		if (ar->has_previous)
			number(b, ws, row, 5,
			       hundredths(ar->score_cp - ar->previous_score_cp),
			       b->points);
		number(b, ws, row, 6, hundredths(ar->pay_adjust_fen), b->money);
		number(b, ws, row, 7, hundredths(ar->pool_share_fen), b->money);
		number(b, ws, row, 8, hundredths(review_awards_fen(ar)),
		       b->money);
		number(b, ws, row, 9, hundredths(ar->fines_fen), b->money);
		number(b, ws, row, 10, hundredths(review_net_fen(ar)),
		       b->money);
		flags_text(ar, flags, sizeof(flags));
		text(b, ws, row, 11, flags);
	}
}

/* One breakdown line: what, how many, its value, its points, its amount
 * (a negative count or NULL format leaves the cell empty). */
struct line {
	const char *item;
	bool has_count, has_value, has_points, has_amount;
	int64_t count, value_h, points_cp, amount_fen;
};

static void write_line(struct book *b, lxw_worksheet *ws, lxw_row_t row,
                       const struct score_agent_result *ar,
                       const struct line *l)
{
	number(b, ws, row, 0, ar->rank, NULL);
	text(b, ws, row, 1, ar->agent->name);
	text(b, ws, row, 2, l->item);
	if (l->has_count)
		number(b, ws, row, 3, (double)l->count, NULL);
	if (l->has_value)
		number(b, ws, row, 4, hundredths(l->value_h), b->points);
	if (l->has_points)
		number(b, ws, row, 5, hundredths(l->points_cp), b->points);
	if (l->has_amount)
		number(b, ws, row, 6, hundredths(l->amount_fen), b->money);
}

static void write_breakdown(struct book *b, const struct review_month *rm)
{
	const size_t columns =
	    sizeof(breakdown_headers) / sizeof(breakdown_headers[0]);
	const struct rulebook *rb = rm->rb;
	const struct score_month_result *res = rm->result;
	lxw_worksheet *ws = sheet(b, N_("Breakdown"), breakdown_headers,
	                          breakdown_widths, columns);
	lxw_row_t row = 1;

	for (size_t i = 0; ws && i < res->agent_count; i++) {
		const struct score_agent_result *ar = &res->agents[i];
		const struct {
			const char *item;
			int64_t fen;
		} money[] = {
		    {N_("pay_adjust"), ar->pay_adjust_fen},
		    {N_("pool_share"), ar->pool_share_fen},
		    {N_("award"), ar->award_fen},
		    {N_("streak_award"), ar->streak_award_fen},
		    {N_("attendance_award"), ar->attendance_award_fen},
		    {N_("fines"), -ar->fines_fen},
		    {N_("net"), review_net_fen(ar)},
		};

		if (ar->kpi_present) {
			write_line(
			    b, ws, row++, ar,
			    &(struct line){.item = _("KPI score"),
			                   .has_points = true,
			                   .points_cp = ar->kpi_score_cp});
			for (size_t k = 0; k < rb->kpi_count; k++) {
				const struct score_kpi_metric *m =
				    &ar->kpi_metrics[k];

				write_line(
				    b, ws, row++, ar,
				    &(struct line){.item = rb->kpis[k].label,
				                   .has_value = m->present,
				                   .value_h = m->value_h,
				                   .has_points = true,
				                   .points_cp = m->points_cp});
			}
		} else {
			write_line(b, ws, row++, ar,
			           &(struct line){.item = _("base"),
			                          .has_points = true,
			                          .points_cp = ar->base_cp});
		}
		for (size_t c = 0; c < rb->category_count; c++) {
			const struct score_category_result *cat =
			    &ar->categories[c];

			if (cat->occurrences == 0 && cat->total_cp == 0 &&
			    cat->fines_fen == 0)
				continue;
			write_line(
			    b, ws, row++, ar,
			    &(struct line){.item = rb->categories[c].label,
			                   .has_count = true,
			                   .count = cat->occurrences,
			                   .has_points = true,
			                   .points_cp = cat->total_cp,
			                   .has_amount = cat->fines_fen != 0,
			                   .amount_fen = -cat->fines_fen});
		}
		if (ar->combo_cp != 0)
			write_line(b, ws, row++, ar,
			           &(struct line){.item = _("combination"),
			                          .has_points = true,
			                          .points_cp = ar->combo_cp});
		write_line(b, ws, row++, ar,
		           &(struct line){.item = _("score"),
		                          .has_points = true,
		                          .points_cp = ar->score_cp});
		for (size_t k = 0; k < sizeof(money) / sizeof(money[0]); k++)
			write_line(b, ws, row++, ar,
			           &(struct line){.item = _(money[k].item),
			                          .has_amount = true,
			                          .amount_fen = money[k].fen});
	}
}

enum kd_status xlsx_write_review(const char *path,
                                 const struct review_month *rm)
{
	struct book b = {.error = LXW_NO_ERROR};
	lxw_error closed;

	/* libxlsxwriter's own temporary files go next to the workbook, so
	 * the pay data stays where the user put it. */
	char dir[4096] = ".";
	const char *slash = strrchr(path, '/');
	lxw_workbook_options options = {.tmpdir = dir};

	if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else if (slash)
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	b.wb = workbook_new_opt(path, &options);
	if (!b.wb)
		return KD_ERR_IO;
	b.header = workbook_add_format(b.wb);
	b.money = workbook_add_format(b.wb);
	b.points = workbook_add_format(b.wb);
	if (!b.header || !b.money || !b.points) {
		b.error = LXW_ERROR_MEMORY_MALLOC_FAILED;
	} else {
		format_set_bold(b.header);
		format_set_num_format(b.money, "#,##0.00");
		format_set_num_format(b.points, "0.00");
		write_board(&b, rm);
		write_breakdown(&b, rm);
	}
	closed = workbook_close(b.wb);
	if (b.error == LXW_ERROR_MEMORY_MALLOC_FAILED)
		return KD_ERR_NOMEM;
	if (b.error != LXW_NO_ERROR || closed != LXW_NO_ERROR)
		return KD_ERR_IO;
	return KD_OK;
}
