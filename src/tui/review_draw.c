/* Split from review.c: see review_internal.h. */
#include "kpidesk/export.h"
#include "kpidesk/fixed.h"
#include "kpidesk/text.h"
#include "review_internal.h"
#include "tui_internal.h"
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- lines of the breakdown ---- */

struct dline {
	char text[LINE_SIZE];
	attr_t attr;
};

struct dlines {
	struct dline *v;
	size_t n, cap;
	size_t cells; /* the column's width: longer text is wrapped */
};

static void dlines_free(struct dlines *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static void dline_raw(struct dlines *l, attr_t attr, const char *text)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct dline *p = realloc(l->v, cap * sizeof(*p));
		if (!p)
			return; /* the line is lost; the screen stays usable */
		l->v = p;
		l->cap = cap;
	}
	snprintf(l->v[l->n].text, LINE_SIZE, "%s", text);
	l->v[l->n++].attr = attr;
}

/* Adds a line, wrapped on character boundaries at the column's width;
 * continuation lines are indented by four cells. */
static void dline(struct dlines *l, attr_t attr, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void dline(struct dlines *l, attr_t attr, const char *fmt, ...)
{
	char text[LINE_SIZE * 2], part[LINE_SIZE];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	const char *p = text;
	bool first = true;
	while (first || *p) {
		size_t indent = first ? 0 : 4;
		size_t room = l->cells > indent + 4 ? l->cells - indent : 4;
		size_t n = text_fit(p, room, NULL);
		if (n == 0 && *p)
			n = text_decode(p, strlen(p), &(uint32_t){0});
		if (n >= sizeof(part) - indent)
			n = sizeof(part) - indent - 1;
		memset(part, ' ', indent);
		memcpy(part + indent, p, n);
		part[indent + n] = '\0';
		dline_raw(l, attr, part);
		p += n;
		first = false;
	}
}

/* ---- text of numbers ---- */

static char *money(char *buf, size_t size, int64_t fen, bool sign)
{
	return tui_points_text(buf, size, fen, sign);
}

/* "▲2.50", "▼1.00", "0.00"; "" when not on last month's board. */
static char *change_text(char *buf, size_t size,
                         const struct score_agent_result *a)
{
	char d[32];
	if (!a->has_previous) {
		snprintf(buf, size, "%s", "");
		return buf;
	}
	int64_t delta = a->score_cp - a->previous_score_cp;
	tui_points_text(d, sizeof(d), delta < 0 ? -delta : delta, false);
	snprintf(buf, size, "%s%s",
	         delta > 0   ? "\xe2\x96\xb2"
	         : delta < 0 ? "\xe2\x96\xbc"
	                     : "",
	         d);
	return buf;
}

/* The flags in the UI's language (the exports keep their own words). */
static const char *const flag_long[SCORE_FLAG_COUNT] = {
    N_("No performance bonus"), N_("Probation"),
    N_("Promotion suggested"),  N_("Demotion suggested"),
    N_("Dismissal review"),     N_("No KPI data"),
};
/* Where the column is narrow: still distinct from each other. */
static const char *const flag_short[SCORE_FLAG_COUNT] = {
    N_("No bonus"), N_("Probation"), N_("Promote"),
    N_("Demote"),   N_("Dismissal"), N_("No KPI"),
};

static const char *flag_label(int bit, bool brief)
{
	if (bit < 0 || bit >= SCORE_FLAG_COUNT)
		return "";
	return _(brief ? flag_short[bit] : flag_long[bit]);
}

/* The flags joined by spaces; the short words when the long ones do not
 * fit in `cells`. */
static void flags_text(const struct score_agent_result *a, size_t cells,
                       char *buf, size_t size)
{
	for (int pass = 0; pass < 2; pass++) {
		buf[0] = '\0';
		for (int bit = 0; bit < SCORE_FLAG_COUNT; bit++) {
			if (!(a->flags & (1u << bit)))
				continue;
			size_t used = strlen(buf);
			snprintf(buf + used, size - used, "%s%s",
			         used ? " " : "", flag_label(bit, pass == 1));
		}
		if (text_width(buf) <= cells)
			return;
	}
	/* Still too wide: the first flag and how many more (the breakdown
	 * lists them all), never a flag cut in half. */
	int first = -1, more = 0;
	for (int bit = 0; bit < SCORE_FLAG_COUNT; bit++) {
		if (!(a->flags & (1u << bit)))
			continue;
		if (first < 0)
			first = bit;
		else
			more++;
	}
	snprintf(buf, size, "%s +%d", flag_label(first, true), more);
}

/* Why a flag was raised, in the UI's language (RULEBOOK.md section 10;
 * the same figures as review_flag_reason gives the exports). */
static void flag_reason(const struct rulebook *rb,
                        const struct score_agent_result *ar, int bit, char *buf,
                        size_t size)
{
	char a[32], b[32], part[256];
	const struct rb_tier *tier =
	    ar->tier_index >= 0 && (size_t)ar->tier_index < rb->tier_count
	        ? &rb->tiers[ar->tier_index]
	        : NULL;
	buf[0] = '\0';
#define PART(...)                                                              \
	do {                                                                   \
		snprintf(part, sizeof(part), __VA_ARGS__);                     \
		size_t used_ = strlen(buf);                                    \
		snprintf(buf + used_, size - used_, "%s%s", used_ ? "; " : "", \
		         part);                                                \
	} while (0)
	switch (bit) {
	case SCORE_FLAG_NO_BONUS_BIT:
		PART(_("score %s < %s"),
		     fixed_format_trim(a, sizeof(a), ar->score_cp, 2, 2),
		     fixed_format_trim(b, sizeof(b), rb->bonus_min_score_cp, 2,
		                       2));
		break;
	case SCORE_FLAG_PROBATION_BIT:
		PART(_("month %d of employment, performance pay from month %d"),
		     (int)ar->employment_month, (int)rb->pay_from_month);
		break;
	case SCORE_FLAG_PROMOTE_BIT:
		PART(_("%d months at or above %s, in %s for %d months"),
		     (int)ar->promote_streak,
		     fixed_format_trim(a, sizeof(a),
		                       tier ? tier->promote_score_cp : 0, 2, 2),
		     tier ? tier->label : "?", (int)ar->months_in_tier);
		break;
	case SCORE_FLAG_DEMOTE_BIT:
		PART(
		    _("%d months below %s"), (int)ar->demote_streak,
		    fixed_format_trim(a, sizeof(a), rb->demote_below_cp, 2, 2));
		break;
	case SCORE_FLAG_DISMISS_REVIEW_BIT:
		if (ar->dismiss_reasons & SCORE_DISMISS_LOW_SCORE)
			PART(
			    _("score %s < %s"),
			    fixed_format_trim(a, sizeof(a), ar->score_cp, 2, 2),
			    fixed_format_trim(b, sizeof(b),
			                      rb->dismiss_below_cp, 2, 2));
		if ((ar->dismiss_reasons & SCORE_DISMISS_CATEGORY) &&
		    ar->dismiss_category >= 0 &&
		    (size_t)ar->dismiss_category < rb->category_count)
			PART(_("%s %d times, at least %d"),
			     rb->categories[ar->dismiss_category].label,
			     (int)ar->categories[ar->dismiss_category]
			         .occurrences,
			     (int)rb->categories[ar->dismiss_category]
			         .dismiss_at);
		if (ar->dismiss_reasons & SCORE_DISMISS_LAST_PLACE)
			PART(_("last place %d months running and below %s"),
			     (int)ar->last_place_streak,
			     fixed_format_trim(a, sizeof(a),
			                       rb->last_place_below_cp, 2, 2));
		break;
	case SCORE_FLAG_NO_KPI_BIT:
		PART(_("no KPI figures this month; base %s"),
		     fixed_format_trim(a, sizeof(a), rb->base_cp, 2, 2));
		break;
	default:
		break;
	}
#undef PART
}

static const char *tier_label(const struct review *rv,
                              const struct score_agent_result *a)
{
	const struct rulebook *rb = rv->rm.rb;
	if (a->tier_index < 0 || (size_t)a->tier_index >= rb->tier_count)
		return "";
	return rb->tiers[a->tier_index].label;
}

/* ---- the board ---- */

enum col {
	COL_RANK,
	COL_NAME,
	COL_TIER,
	COL_SCORE,
	COL_GRADE,
	COL_CHANGE,
	COL_PAY,
	COL_SHARE,
	COL_AWARDS,
	COL_FINES,
	COL_NET,
	COL_FLAGS,
	COL_COUNT
};

static const char *const col_heads[COL_COUNT] = {
    N_("Rank"),   N_("Name"),   N_("Tier"),     N_("Score"),
    N_("Grade"),  N_("Change"), N_("Pay adj."), N_("Bonus"),
    N_("Awards"), N_("Fines"),  N_("Net"),      N_("Flags"),
};

/* Column widths for `inner` cells: the normal board shows every column of
 * PRODUCT.md and shrinks them to fit; the presentation shows fewer and
 * wider ones. Flags take what is left. */
static void board_widths(const struct review *rv, size_t inner, size_t *widths)
{
	static const size_t normal[COL_COUNT] = {4, 10, 8, 6, 5, 7,
	                                         8, 8,  7, 7, 0, 0};
	static const size_t narrow[COL_COUNT] = {3, 7, 4, 6, 2, 6,
	                                         7, 7, 6, 6, 0, 0};
	static const size_t present[COL_COUNT] = {5, 12, 8, 7, 6, 8,
	                                          0, 0,  0, 0, 9, 0};
	const size_t *w = rv->present ? present : normal;
	size_t used = 0;
	for (int c = 0; c < COL_COUNT; c++)
		used += w[c] ? w[c] + (rv->present ? 2 : 1) : 0;
	if (!rv->present && used + 8 > inner)
		w = narrow;
	used = 0;
	for (int c = 0; c < COL_COUNT; c++) {
		widths[c] = w[c];
		used += w[c] ? w[c] + (rv->present ? 2 : 1) : 0;
	}
	widths[COL_FLAGS] = inner > used ? inner - used : 0;
}

static const bool col_right[COL_COUNT] = {
    true, false, false, true, false, true, true, true, true, true, true, false};

/* One row of the board (rank order), formatted into buf; offsets[c] gets
 * the cell where column c starts. */
static void board_row(const struct review *rv, const size_t *widths,
                      const char *const *texts, bool heads, char *buf,
                      size_t size, size_t *offsets)
{
	size_t gap = rv->present ? 2 : 1, at = 0;
	buf[0] = '\0';
	for (int c = 0; c < COL_COUNT; c++) {
		offsets[c] = at;
		if (!widths[c])
			continue;
		size_t used = strlen(buf);
		if (at && used + gap < size) {
			memset(buf + used, ' ', gap);
			buf[used + gap] = '\0';
			used += gap;
			at += gap;
			offsets[c] = at;
		}
		/* A cut name ends in "…" (two names never look alike). */
		char cell[256] = "";
		if (c == COL_NAME && !heads)
			tui_cut(cell, sizeof(cell), texts[c], widths[c]);
		else
			snprintf(cell, sizeof(cell), "%s", texts[c]);
		text_pad(buf + used, size - used, cell, widths[c],
		         col_right[c]);
		at += widths[c];
	}
}

/* The colour (or, without colour, the weight) of a cell by what it
 * means: a good grade, a bad one, money below zero, flags. */
static enum tui_role cell_role(int col, const struct score_agent_result *a,
                               const char *text)
{
	switch (col) {
	case COL_GRADE:
		if (!strcmp(a->grade, "A") || !strcmp(a->grade, "B"))
			return TUI_ROLE_GOOD;
		if (!strcmp(a->grade, "E") || !strcmp(a->grade, "F"))
			return TUI_ROLE_BAD;
		return TUI_ROLE_NORMAL;
	case COL_PAY:
	case COL_NET:
		return text[0] == '-' ? TUI_ROLE_BAD : TUI_ROLE_NORMAL;
	case COL_FLAGS:
		return text[0] ? TUI_ROLE_WARN : TUI_ROLE_NORMAL;
	default:
		return TUI_ROLE_NORMAL;
	}
}

/* The board in `rows` rows below its header at (y, x), `inner` cells
 * wide. Every agent shows when there is room (the presentation drops its
 * blank lines first); else a last line says how many are above and below
 * and the board scrolls with the selection. */
static void draw_board(struct tui *tui, struct review *rv, int x, size_t inner,
                       int y, size_t rows)
{
	const struct score_month_result *res = rv->rm.result;
	size_t widths[COL_COUNT], offsets[COL_COUNT];
	char line[LINE_SIZE * 2];
	const char *heads[COL_COUNT];
	board_widths(rv, inner, widths);
	for (int c = 0; c < COL_COUNT; c++)
		heads[c] = _(col_heads[c]);
	board_row(rv, widths, heads, true, line, sizeof(line), offsets);
	attr_t head =
	    rv->present ? A_REVERSE | A_BOLD : tui_attr(tui, TUI_ROLE_HEADER);
	tui_put(y++, x, inner, line, head);
	size_t n = res->agent_count;
	size_t step = rv->present && n * 2 <= rows ? 2 : 1;
	size_t shown = rows / step;
	bool more = n > shown;
	if (more)
		shown = rows > 1 ? (rows - 1) / step : 1;
	rv->top = tui_scroll_top(rv->top, rv->sel, n, shown);
	rv->board_y = y;
	rv->board_x = x;
	rv->board_w = inner;
	rv->board_step = step;
	rv->board_shown = shown;
	for (size_t row = 0; row < shown; row++) {
		size_t i = rv->top + row;
		if (i >= n)
			break;
		const struct score_agent_result *a = &res->agents[i];
		char rank[16], score[32], change[64], pay[32], share[32];
		char awards[32], fines[32], net[32], flags[256], tier[64];
		snprintf(rank, sizeof(rank), "%" PRId32, a->rank);
		tui_points_text(score, sizeof(score), a->score_cp, false);
		change_text(change, sizeof(change), a);
		money(pay, sizeof(pay), a->pay_adjust_fen, true);
		money(share, sizeof(share), a->pool_share_fen, false);
		money(awards, sizeof(awards), review_awards_fen(a), false);
		money(fines, sizeof(fines), a->fines_fen, false);
		money(net, sizeof(net), review_net_fen(a), false);
		flags_text(a, widths[COL_FLAGS], flags, sizeof(flags));
		tui_tier_text(rv->rm.rb, a->tier_index, widths[COL_TIER], tier,
		              sizeof(tier));
		const char *cells[COL_COUNT] = {
		    rank, a->agent->name, tier,   score, a->grade, change,
		    pay,  share,          awards, fines, net,      flags};
		board_row(rv, widths, cells, false, line, sizeof(line),
		          offsets);
		bool sel = i == rv->sel;
		attr_t attr = rv->present ? A_BOLD : A_NORMAL;
		if (sel)
			attr = tui_attr(tui, TUI_ROLE_SELECTED) | A_BOLD;
		int ry = y + (int)(row * step);
		tui_put(ry, x, inner, line, attr);
		for (int c = 0; c < COL_COUNT; c++) {
			enum tui_role role = cell_role(c, a, cells[c]);
			if (role == TUI_ROLE_NORMAL || !widths[c] ||
			    offsets[c] >= inner)
				continue;
			char cell[256] = "", padded[512] = "";
			tui_cut(cell, sizeof(cell), cells[c], widths[c]);
			text_pad(padded, sizeof(padded), cell, widths[c],
			         col_right[c]);
			size_t w = widths[c];
			if (offsets[c] + w > inner)
				w = inner - offsets[c];
			tui_put(ry, x + (int)offsets[c], w, padded,
			        tui_attr(tui, role) | (sel ? A_REVERSE : 0) |
			            (rv->present ? A_BOLD : 0));
		}
	}
	if (more) {
		size_t above = rv->top, below = n - rv->top - shown;
		if (rv->top + shown > n)
			below = 0;
		snprintf(line, sizeof(line),
		         _("%zu more above, %zu more below (%zu/%zu)"), above,
		         below, rv->sel + 1, n);
		tui_put(y + (int)(shown * step), x, inner, line,
		        tui_attr(tui, TUI_ROLE_FOCUS));
	}
	if (n == 0)
		tui_put(y, x, inner, _("Nobody on this board"), A_NORMAL);
}

/* ---- the breakdown ---- */

static void breakdown_left(const struct review *rv,
                           const struct score_agent_result *a, struct dlines *l,
                           attr_t head, attr_t text)
{
	const struct rulebook *rb = rv->rm.rb;
	char a1[32], a2[32], line[LINE_SIZE];
	dline(l, head | A_BOLD, _("%s  %s  %s %s  rank %d"), a->agent->name,
	      tier_label(rv, a),
	      tui_points_text(a1, sizeof(a1), a->score_cp, false), a->grade,
	      (int)a->rank);
	dline(l, head, "%s", _("Categories"));
	/* The fine is a column of its own, as wide as the widest fine, so a
	 * line never wraps; the label takes what is left. */
	size_t fine_w = 0;
	for (size_t c = 0; c < rb->category_count; c++) {
		if (!a->categories[c].fines_fen)
			continue;
		char fine[64];
		snprintf(
		    fine, sizeof(fine), _("fine %s"),
		    money(a2, sizeof(a2), a->categories[c].fines_fen, false));
		if (text_width(fine) > fine_w)
			fine_w = text_width(fine);
	}
	size_t cols_w = 1 + 1 + 1 + 6 + 1 + 7 + (fine_w ? fine_w + 1 : 0);
	size_t label_w = l->cells > cols_w + 4 ? l->cells - cols_w : 4;
	if (label_w > 24)
		label_w = 24;
	bool any = false;
	for (size_t c = 0; c < rb->category_count; c++) {
		const struct score_category_result *cr = &a->categories[c];
		if (!cr->occurrences && !cr->total_cp && !cr->fines_fen)
			continue;
		char label[128], times[32], fine[64] = "";
		tui_category_text(rb, c, label_w, label, sizeof(label));
		snprintf(times, sizeof(times), "\xc3\x97%d",
		         (int)cr->occurrences);
		if (cr->fines_fen)
			snprintf(fine, sizeof(fine), _("fine %s"),
			         money(a2, sizeof(a2), cr->fines_fen, false));
		const char *texts[] = {"", label, times, a1, fine};
		tui_points_text(a1, sizeof(a1), cr->total_cp, true);
		const size_t widths[] = {1, label_w, 6, 7, fine_w};
		const bool right[] = {false, false, true, true, false};
		line[0] = '\0';
		tui_format_row(line, sizeof(line), 5, texts, widths, right);
		dline(l, text, "%s", line);
		any = true;
	}
	if (!any)
		dline(l, text, "  %s", _("no entries this month"));
	if (a->combo_cp)
		dline(l, text,
		      _("Combo rule: %d light, %d medium categories: %s"),
		      (int)a->light_count, (int)a->medium_count,
		      tui_points_text(a1, sizeof(a1), a->combo_cp, true));
	if (rb->mode == RB_MODE_FIXED) {
		dline(l, head, _("Base: fixed %s"),
		      tui_points_text(a1, sizeof(a1), a->base_cp, false));
	} else if (!a->kpi_present) {
		dline(l, head, _("Base: no KPI figures, %s"),
		      tui_points_text(a1, sizeof(a1), a->base_cp, false));
	} else {
		dline(l, head, _("Base: KPI %s"),
		      tui_points_text(a1, sizeof(a1), a->kpi_score_cp, false));
		/* label, value, band, weight, points; the weight goes
		 * first when the column is narrow. */
		size_t weight_w = l->cells >= 32 + 10 ? 4 : 0;
		size_t fixed =
		    1 + 8 + 8 + 6 + 4 + (weight_w ? weight_w + 1 : 0);
		size_t kw = l->cells > fixed + 4 ? l->cells - fixed : 4;
		for (size_t k = 0; k < rb->kpi_count; k++) {
			const struct score_kpi_metric *m = &a->kpi_metrics[k];
			char label[128], value[32], band[32], weight[32];
			char pts[32];
			tui_kpi_text(rb, k, kw, label, sizeof(label));
			tui_metric_value(value, sizeof(value), &rb->kpis[k], m);
			char b[16];
			snprintf(
			    band, sizeof(band), _("band %s"),
			    fixed_format_trim(b, sizeof(b), m->band_h, 2, 2));
			snprintf(weight, sizeof(weight), "\xc3\x97%d%%",
			         (int)rb->kpis[k].weight);
			tui_points_text(pts, sizeof(pts), m->points_cp, false);
			const char *texts[] = {"",   label,  value,
			                       band, weight, pts};
			const size_t widths[] = {1, kw, 8, 8, weight_w, 6};
			const bool right[] = {false, false, true,
			                      false, true,  true};
			line[0] = '\0';
			tui_format_row(line, sizeof(line), 6, texts, widths,
			               right);
			dline(l, text, "%s", line);
		}
	}
	dline(l, head, "%s", _("Money (yuan)"));
	const struct {
		const char *label;
		int64_t fen;
		bool sign;
	} rows[] = {
	    {N_("Pay adjustment"), a->pay_adjust_fen, true},
	    {N_("Bonus pool share"), a->pool_share_fen, false},
	    {N_("Award"), a->award_fen, false},
	    {N_("Top-streak award"), a->streak_award_fen, false},
	    {N_("Attendance award"), a->attendance_award_fen, false},
	    {N_("Fines"), -a->fines_fen, false},
	    {N_("Net"), review_net_fen(a), false},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *texts[] = {"", _(rows[i].label), a1};
		money(a1, sizeof(a1), rows[i].fen, rows[i].sign);
		const size_t widths[] = {1, 18, 10};
		const bool right[] = {false, false, true};
		line[0] = '\0';
		tui_format_row(line, sizeof(line), 3, texts, widths, right);
		dline(l,
		      i + 1 == sizeof(rows) / sizeof(rows[0]) ? text | A_BOLD
		                                              : text,
		      "%s", line);
	}
}

/* The last months' scores as vertical bars of eighth-blocks, `height` rows
 * high and as wide as the column allows. The scale runs from a floor below
 * the lowest score (and the base line) to a ceiling above the highest, so
 * half a point shows (88 / 88.5 / 87 differ); the left axis names the
 * ceiling, the base line (80, drawn with dashes) and the floor; each bar's
 * score is written under it. Months without a score show "--". */
static void trend_chart(const struct review *rv, size_t agent, struct dlines *l,
                        int height, attr_t text)
{
	static const char *const blocks[9] = {" ",
	                                      "\xe2\x96\x81",
	                                      "\xe2\x96\x82",
	                                      "\xe2\x96\x83",
	                                      "\xe2\x96\x84",
	                                      "\xe2\x96\x85",
	                                      "\xe2\x96\x86",
	                                      "\xe2\x96\x87",
	                                      "\xe2\x96\x88"};
	const struct review_trend *t = &rv->trend;
	int months = t->months;
	const size_t axis = 4;
	if (months <= 0 || agent >= t->agent_count || l->cells < axis + 9)
		return;
	size_t col_w = (l->cells - axis) / (size_t)months;
	if (col_w > 12)
		col_w = 12;
	if (col_w < 3)
		return;
	size_t bar_w = col_w - 1 > 8 ? 8 : col_w - 1;
	if (col_w >= 6 && bar_w > col_w - 2)
		bar_w = col_w - 2;
	int64_t base = rv->rm.rb->base_cp > 0 ? rv->rm.rb->base_cp : 8000;
	int64_t lo = base, hi = base;
	for (int j = 0; j < months; j++) {
		size_t at = agent * (size_t)months + (size_t)j;
		if (!t->present[at])
			continue;
		if (t->score_cp[at] < lo)
			lo = t->score_cp[at];
		if (t->score_cp[at] > hi)
			hi = t->score_cp[at];
	}
	/* Whole five points around them, a little room below. */
	lo = (lo - 100) / 500 * 500;
	if (lo < 0)
		lo = 0;
	hi = (hi + 500) / 500 * 500; /* above the top, so 80 shows */
	if (hi <= lo)
		hi = lo + 500;
	int base_row = -1; /* the row (from the top) the base line crosses */
	if (base > lo && base < hi)
		base_row = height - 1 - (int)((base - lo) * height / (hi - lo));
	int eighths[REVIEW_TREND_MONTHS * 4];
	for (int j = 0; j < months && j < REVIEW_TREND_MONTHS * 4; j++) {
		size_t at = agent * (size_t)months + (size_t)j;
		eighths[j] =
		    t->present[at]
		        ? tui_bar_eighths(t->score_cp[at] - lo, hi - lo, height)
		        : -1;
	}
	char num[32];
	for (int row = 0; row < height; row++) {
		char line[LINE_SIZE] = "";
		int level = height - 1 - row; /* rows of eighths below */
		const char *label = "";
		if (row == 0)
			label = fixed_format_trim(num, sizeof(num), hi, 2, 0);
		else if (row == base_row)
			label = fixed_format_trim(num, sizeof(num), base, 2, 0);
		else if (row == height - 1)
			label = fixed_format_trim(num, sizeof(num), lo, 2, 0);
		text_pad(line, sizeof(line), label, axis - 1, true);
		strcat(line, row == base_row ? "-" : " ");
		for (int j = 0; j < months; j++) {
			size_t used = strlen(line);
			int fill = eighths[j] < 0 ? 0 : eighths[j] - level * 8;
			fill = fill < 0 ? 0 : fill > 8 ? 8 : fill;
			const char *cell = blocks[fill];
			/* A bar too low to see still shows its base. */
			if (eighths[j] >= 0 && level == 0 && fill == 0)
				cell = blocks[1];
			const char *gap = row == base_row ? "-" : " ";
			if (fill == 0 && row == base_row)
				cell = "-";
			size_t pad = col_w - bar_w;
			for (size_t s = 0; s < pad && used + 1 < sizeof(line);
			     s++)
				line[used++] = gap[0];
			line[used] = '\0';
			for (size_t b = 0; b < bar_w; b++)
				if (strlen(line) + strlen(cell) < sizeof(line))
					strcat(line, cell);
		}
		dline_raw(l, text | A_BOLD, line);
	}
	char months_line[LINE_SIZE] = "", scores_line[LINE_SIZE] = "";
	text_pad(months_line, sizeof(months_line), "", axis, false);
	text_pad(scores_line, sizeof(scores_line), "", axis, false);
	for (int j = 0; j < months; j++) {
		size_t at = agent * (size_t)months + (size_t)j;
		char mm[16], score[32];
		snprintf(mm, sizeof(mm), "%02d", month_number(t->first + j));
		if (t->present[at])
			fixed_format_trim(score, sizeof(score), t->score_cp[at],
			                  2, 1);
		else
			snprintf(score, sizeof(score), "--");
		size_t used = strlen(months_line);
		text_pad(months_line + used, sizeof(months_line) - used, mm,
		         col_w, true);
		used = strlen(scores_line);
		text_pad(scores_line + used, sizeof(scores_line) - used, score,
		         col_w, true);
	}
	dline_raw(l, text, months_line);
	dline_raw(l, text | A_BOLD, scores_line);
}

void review_appeal_words(const struct review *rv, const struct store_appeal *ap,
                         char *buf, size_t size)
{
	char words[256], date[16];
	const struct rb_category *cat =
	    rulebook_category(rv->rm.rb, ap->category);
	tui_entry_words(ap->agent_name, cat, ap->category, ap->quantity, words,
	                sizeof(words));
	date_format(date, sizeof(date), ap->date);
	snprintf(buf, size, "#%" PRId64 " %s %s", ap->event_id, date + 5,
	         words);
}

static void breakdown_right(const struct review *rv,
                            const struct score_agent_result *a,
                            struct dlines *l, int chart_h, attr_t head,
                            attr_t text, attr_t warn)
{
	char month[16], words[400];
	dline(l, head, "%s", _("Last six months"));
	if (rv->has_trend)
		trend_chart(rv, rv->sel, l, chart_h, text);
	dline(l, head, "%s", _("Flags"));
	bool any = false;
	for (int bit = 0; bit < SCORE_FLAG_COUNT; bit++) {
		char reason[400];
		if (!(a->flags & (1u << bit)))
			continue;
		flag_reason(rv->rm.rb, a, bit, reason, sizeof(reason));
		dline(l, warn, "  %s: %s", flag_label(bit, false), reason);
		any = true;
	}
	if (!any)
		dline(l, text, "  %s", _("none"));
	month_format(month, sizeof(month), rv->month);
	dline(l, head, _("Open appeals in %s: %zu"), month,
	      rv->rm.appeals.count);
	for (size_t i = 0; i < rv->rm.appeals.count; i++) {
		const struct store_appeal *ap = &rv->rm.appeals.appeals[i];
		review_appeal_words(rv, ap, words, sizeof(words));
		dline(l, ap->agent_id == a->agent->id ? text | A_BOLD : text,
		      "%s %s: %s", ap->agent_id == a->agent->id ? ">" : " ",
		      words, ap->reason);
	}
}

/* The highlighted agent's breakdown in the area from (y, x), `w` cells
 * wide, down to `bottom`: two columns when there is room for both, else
 * one after the other; the chart takes the rows left over. */
static void draw_detail(struct tui *tui, struct review *rv, int x, size_t w,
                        size_t two_from, int y, int bottom, int page_y,
                        int page_x)
{
	const struct score_agent_result *a = review_selected(rv);
	int rows = bottom - y;
	if (!a || rows < 2 || w < 20)
		return;
	bool two = w >= two_from;
	size_t left_w = two ? (w - 2) / 2 : w,
	       right_w = two ? w - 2 - left_w : w;
	attr_t head =
	    rv->present ? A_BOLD | A_UNDERLINE : tui_attr(tui, TUI_ROLE_HEADER);
	attr_t text = rv->present ? A_BOLD : A_NORMAL;
	attr_t warn = tui_attr(tui, TUI_ROLE_WARN);
	struct dlines left = {.cells = left_w}, right = {.cells = right_w};
	breakdown_left(rv, a, &left, head, text);
	/* The chart takes the rows the rest leaves: measured with a chart
	 * of four rows, then drawn again at its height. */
	breakdown_right(rv, a, &right, 4, head, text, warn);
	int chart_h = 4 + rows - (int)right.n - (two ? 0 : (int)left.n);
	chart_h = chart_h < 4 ? 4 : chart_h > 16 ? 16 : chart_h;
	dlines_free(&right);
	breakdown_right(rv, a, &right, chart_h, head, text, warn);
	if (!two) {
		/* One column: the right half follows the left. */
		for (size_t i = 0; i < right.n; i++)
			dline_raw(&left, right.v[i].attr, right.v[i].text);
		dlines_free(&right);
	}
	size_t total = left.n > right.n ? left.n : right.n;
	rv->detail_rows = total;
	if (total > (size_t)rows && rv->detail_top > total - (size_t)rows)
		rv->detail_top = total - (size_t)rows;
	if (total <= (size_t)rows)
		rv->detail_top = 0;
	for (int row = 0; row < rows; row++) {
		size_t i = rv->detail_top + (size_t)row;
		if (i < left.n)
			tui_put(y + row, x, left_w, left.v[i].text,
			        left.v[i].attr);
		if (i < right.n)
			tui_put(y + row, x + (int)left_w + 2, right_w,
			        right.v[i].text, right.v[i].attr);
	}
	if (total > (size_t)rows) {
		char more[64];
		snprintf(more, sizeof(more), _(" PgDn more (%zu/%zu) "),
		         rv->detail_top + (size_t)rows, total);
		size_t mw = text_width(more);
		tui_put(page_y, page_x - (int)mw, mw, more,
		        tui_attr(tui, TUI_ROLE_FOCUS));
	}
	dlines_free(&left);
	dlines_free(&right);
}

void review_draw(struct tui *tui, void *state)
{
	struct review *rv = state;
	const struct tui_layout *lay = &tui->layout;
	struct tui_rect r = {
	    .y = 1, .x = 0, .h = lay->rows - 3, .w = lay->cols};
	char title[256], month[16], line[LINE_SIZE];
	month_format(month, sizeof(month), rv->month);
	snprintf(title, sizeof(title), _("Month review %s (%s)%s"), month,
	         rv->loaded && rv->rm.closed ? _("closed") : _("open"),
	         rv->present ? _(" - presentation") : "");
	tui_box(tui, &r, title, true);
	if (!rv->loaded || r.h < 6 || r.w < 20)
		return;
	const struct score_month_result *res = rv->rm.result;
	size_t inner = (size_t)r.w - 4;
	char pool[32], undist[32];
	money(pool, sizeof(pool), res->pool_fen, false);
	money(undist, sizeof(undist), res->undistributed_fen, false);
	int y = r.y + 1;
	if (rv->rm.closed)
		snprintf(line, sizeof(line),
		         _("Closed %s by %s: from its snapshot. Bonus pool "
		           "%s yuan; %zu agents"),
		         rv->rm.closed_at ? rv->rm.closed_at : "",
		         rv->rm.closed_by ? rv->rm.closed_by : "", pool,
		         res->agent_count);
	else
		snprintf(line, sizeof(line),
		         _("Bonus pool %s yuan (undistributed %s); %zu agents; "
		           "%zu open appeals"),
		         pool, undist, res->agent_count, rv->rm.appeals.count);
	tui_put(y++, r.x + 2, inner, line,
	        rv->rm.closed ? tui_attr(tui, TUI_ROLE_FOCUS) : A_BOLD);
	int bottom = r.y + r.h - 1;
	int avail = bottom - y - 1; /* the header row */
	size_t n = res->agent_count;
	attr_t border = tui_attr(tui, TUI_ROLE_BORDER);
	if (inner >= 140 && avail >= 12) {
		/* A wide screen (a projector): the board down the left, every
		 * agent of a team of thirty at 160x45; the breakdown and the
		 * chart on the right. */
		size_t detail_w = inner * 2 / 5;
		if (detail_w < 50)
			detail_w = 50;
		size_t board_w = inner - detail_w - 3;
		draw_board(tui, rv, r.x + 2, board_w, y, (size_t)avail);
		attron(border);
		tui_vline(y, r.x + 2 + (int)board_w + 1, bottom - y);
		attroff(border);
		draw_detail(tui, rv, r.x + 2 + (int)board_w + 3, detail_w, 100,
		            y, bottom, r.y + r.h - 1, r.x + r.w - 2);
		return;
	}
	/* Stacked: the board takes up to half (the presentation all but
	 * four rows); an agent row too many turns into a line that says how
	 * many are above and below. */
	size_t most = rv->present ? (size_t)(avail > 7 ? avail - 4 : 3)
	                          : (size_t)(avail > 6 ? avail / 2 : 3);
	size_t want = rv->present && n * 2 <= most ? n * 2 : n;
	size_t board_rows = want < most ? want : most;
	if (board_rows == 0)
		board_rows = 1;
	draw_board(tui, rv, r.x + 2, inner, y, board_rows);
	y = y + 1 + (int)board_rows;
	if (y < bottom) {
		attron(border);
		tui_hline(y, r.x + 1, r.w - 2);
		attroff(border);
	}
	draw_detail(tui, rv, r.x + 2, inner, 70, y + 1, bottom, r.y + r.h - 1,
	            r.x + r.w - 2);
}
