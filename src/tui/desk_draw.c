/* Split from desk.c: see desk_internal.h. */
#include "desk_internal.h"
#include "kpidesk/config.h"
#include "kpidesk/fixed.h"
#include "kpidesk/review.h"
#include "kpidesk/text.h"
#include "tui_internal.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- drawing ---- */

static void pane_title(const struct tui *tui, enum tui_pane pane, char *buf,
                       size_t size)
{
	const struct tui_desk *d = &tui->desk;
	char text[32];
	int y, m, day;
	switch (pane) {
	case TUI_PANE_ROSTER:
		snprintf(buf, size, "%s", _("Roster"));
		break;
	case TUI_PANE_LOG:
		date_to_ymd(d->log_date, &y, &m, &day);
		snprintf(text, sizeof(text), "%02d-%02d", m, day);
		snprintf(buf, size, _("Log %s"), text);
		break;
	default:
		month_format(text, sizeof(text), d->board_month);
		snprintf(buf, size, _("Board %s%s"), text,
		         d->board.closed ? _(" (closed)") : "");
		break;
	}
}

/* A tier's label in `cells` cells, distinct from the other tiers. */
static void tier_text(const struct tui *tui, const char *label, size_t cells,
                      char *buf, size_t size)
{
	for (size_t t = 0; tui->rb && t < tui->rb->tier_count; t++)
		if (!strcmp(tui->rb->tiers[t].label, label)) {
			tui_tier_text(tui->rb, (int)t, cells, buf, size);
			return;
		}
	tui_short_label(label, cells, buf, size);
}

static void draw_roster(struct tui *tui, const struct tui_rect *r, bool focus)
{
	struct tui_desk *d = &tui->desk;
	size_t inner = (size_t)r->w - 2, rows = (size_t)r->h - 2;
	size_t id_w = 2;
	for (size_t i = 0; i < d->agents.count; i++) {
		char idt[24];
		snprintf(idt, sizeof(idt), "%" PRId64, d->agents.agents[i].id);
		if (strlen(idt) > id_w)
			id_w = strlen(idt);
	}
	const char *states[] = {_("on"), _("left"), _("new")};
	size_t state_w = 0;
	for (size_t i = 0; i < 3; i++)
		if (text_width(states[i]) > state_w)
			state_w = text_width(states[i]);
	if (state_w > 4)
		state_w = 4;
	size_t tier_w = 4;
	/* marker, id, name, tier, state with four separators. */
	size_t fixed = 1 + id_w + tier_w + state_w + 4;
	size_t name_w = tui_flex_width(inner, fixed, 4, 12);
	if (fixed + name_w > inner) {
		state_w = 0; /* too narrow: the state goes first */
		name_w = tui_flex_width(inner, fixed - 1, 4, 12);
	}
	d->top[TUI_PANE_ROSTER] =
	    tui_scroll_top(d->top[TUI_PANE_ROSTER], d->sel[TUI_PANE_ROSTER],
	                   d->agents.count, rows);
	kd_month month = date_month(d->log_date);
	for (size_t row = 0; row < rows; row++) {
		size_t i = d->top[TUI_PANE_ROSTER] + row;
		if (i >= d->agents.count)
			break;
		const struct store_agent *a = &d->agents.agents[i];
		bool sel = i == d->sel[TUI_PANE_ROSTER];
		char idt[24], tier[32], line[512] = "", name[128] = "";
		snprintf(idt, sizeof(idt), "%0*" PRId64, (int)id_w, a->id);
		tier_text(tui, tui_tier_label(tui, a, month), tier_w, tier,
		          sizeof(tier));
		tui_cut(name, sizeof(name), a->name, name_w);
		int state = a->left != KD_DATE_NONE && a->left < d->log_date ? 1
		            : a->hired > d->log_date                         ? 2
		                                     : 0;
		const char *texts[] = {sel ? ">" : " ", idt, name, tier,
		                       states[state]};
		const size_t widths[] = {1, id_w, name_w, tier_w, state_w};
		const bool right[] = {false, true, false, false, false};
		tui_format_row(line, sizeof(line), 5, texts, widths, right);
		attr_t attr = state ? tui_attr(tui, TUI_ROLE_DIM) : A_NORMAL;
		if (sel)
			attr =
			    focus ? tui_attr(tui, TUI_ROLE_SELECTED) : A_BOLD;
		tui_put(r->y + 1 + (int)row, r->x + 1, inner, line, attr);
	}
	if (d->agents.count == 0)
		tui_put(r->y + 1, r->x + 1, inner, _(" No agents: a adds one"),
		        tui_attr(tui, TUI_ROLE_DIM));
}

/* The latest appeal of event e, or NULL (the month's appeals are read
 * once after each reload). */
static const struct store_appeal *event_appeal(struct tui *tui,
                                               const struct store_event *e)
{
	struct tui_desk *d = &tui->desk;
	if (!e->appeal)
		return NULL;
	if (!d->appeals_loaded) {
		d->appeals_loaded = true;
		struct app_refusal why;
		if (!app_appeals(&tui->app, date_month(d->log_date), false,
		                 &d->appeals, &why))
			app_appeals_finish(&d->appeals);
	}
	const struct store_appeal *found = NULL;
	for (size_t i = 0; i < d->appeals.count; i++)
		if (d->appeals.appeals[i].event_id == e->id)
			found = &d->appeals.appeals[i];
	return found;
}

static const char *appeal_state_word(const char *state)
{
	if (state && !strcmp(state, "open"))
		return _("pending");
	if (state && !strcmp(state, "upheld"))
		return _("upheld");
	if (state && !strcmp(state, "voided"))
		return _("granted");
	return state ? state : "";
}

/* An entry's details, one per line: who entered it and when, its note,
 * its appeal, why it was voided. Returns how many. */
static size_t entry_details(struct tui *tui, const struct store_event *e,
                            char lines[][TUI_NOTE_MAX + 128], size_t max)
{
	size_t n = 0;
	const struct store_appeal *ap = event_appeal(tui, e);
	if (n < max)
		snprintf(lines[n++], TUI_NOTE_MAX + 128,
		         _("#%lld entered by %s at %s"), (long long)e->id,
		         e->actor ? e->actor : "?",
		         e->created_at ? e->created_at : "?");
	if (n < max && e->note)
		snprintf(lines[n++], TUI_NOTE_MAX + 128, _("Note: %s"),
		         e->note);
	if (n < max && ap)
		snprintf(lines[n++], TUI_NOTE_MAX + 128, _("Appeal (%s): %s"),
		         appeal_state_word(ap->state),
		         ap->reason ? ap->reason : "");
	if (n < max && ap && ap->resolution)
		snprintf(lines[n++], TUI_NOTE_MAX + 128, _("Settled by %s: %s"),
		         ap->resolved_by ? ap->resolved_by : "?",
		         ap->resolution);
	/* Undo voids with the reason "undo" (stored as it is). */
	if (n < max && e->voided && e->void_reason &&
	    !strcmp(e->void_reason, "undo"))
		snprintf(lines[n++], TUI_NOTE_MAX + 128, "%s",
		         _("Undone at the desk"));
	else if (n < max && e->voided)
		snprintf(lines[n++], TUI_NOTE_MAX + 128, _("Voided: %s"),
		         e->void_reason ? e->void_reason : "");
	return n;
}

/* Enter on the log: the selected entry's details in a box. */
void desk_details_open(struct tui *tui)
{
	struct tui_desk *d = &tui->desk;
	const struct store_event *e =
	    desk_log_event(tui, d->sel[TUI_PANE_LOG], NULL);
	if (d->focus != TUI_PANE_LOG || !e) {
		tui_status(tui, true,
		           _("Enter shows an entry's details: Tab to the log "
		             "first"));
		return;
	}
	char lines[6][TUI_NOTE_MAX + 128], words[256], title[300];
	const char *ptrs[6];
	size_t n = entry_details(tui, e, lines, 6);
	for (size_t i = 0; i < n; i++)
		ptrs[i] = lines[i];
	tui_entry_words(e->agent_name, rulebook_category(tui->rb, e->category),
	                e->category, e->quantity, words, sizeof(words));
	snprintf(title, sizeof(title), "%s", words);
	tui_info_open(tui, title, ptrs, n);
}

static void draw_log(struct tui *tui, const struct tui_rect *r, bool focus)
{
	struct tui_desk *d = &tui->desk;
	size_t inner = (size_t)r->w - 2, rows = (size_t)r->h - 2;
	size_t time_w = 5, qty_w = 6, pts_w = 6;
	size_t rest = inner > time_w + qty_w + pts_w + 4
	                  ? inner - (time_w + qty_w + pts_w + 4)
	                  : 8;
	size_t name_w = rest >= 16 ? 8 : rest / 2;
	/* A one-cell mark before the label, * under appeal, on a day
	 * with an entry under appeal. */
	bool any_appeal = false;
	for (size_t i = 0; i < d->day_count; i++) {
		const struct store_event *e = desk_log_event(tui, i, NULL);
		if (e->appeal && strcmp(e->appeal, "open") == 0)
			any_appeal = true;
	}
	size_t mark_w = any_appeal && rest - name_w > 6 ? 1 : 0;
	size_t label_w = rest - name_w - (mark_w ? 2 : 0);
	/* The last row: the selected entry's details (all of them on
	 * Enter), when the pane has room. */
	bool detail = rows >= 6 && d->day_count > 0;
	if (detail)
		rows--;
	d->top[TUI_PANE_LOG] = tui_scroll_top(
	    d->top[TUI_PANE_LOG], d->sel[TUI_PANE_LOG], d->day_count, rows);
	for (size_t row = 0; row < rows; row++) {
		size_t idx = d->top[TUI_PANE_LOG] + row;
		int64_t points;
		const struct store_event *e = desk_log_event(tui, idx, &points);
		if (!e)
			break;
		const struct rb_category *cat =
		    rulebook_category(tui->rb, e->category);
		char time[8] = "", qty[32], pts[32], line[512] = "";
		if (e->created_at && strlen(e->created_at) >= 16)
			snprintf(time, sizeof(time), "%.5s",
			         e->created_at + 11);
		tui_quantity_text(cat, e->quantity, qty, sizeof(qty));
		if (e->voided)
			snprintf(pts, sizeof(pts), "%s", _("void"));
		else
			tui_points_text(pts, sizeof(pts), points, true);
		/* A label too long for its column: its short form, else
		 * its head, never two alike (tui_label_fit). */
		char label[128], name[128] = "";
		bool appealed = e->appeal && strcmp(e->appeal, "open") == 0;
		int ci = rulebook_category_index(tui->rb, e->category);
		if (ci >= 0)
			tui_category_text(tui->rb, (size_t)ci, label_w, label,
			                  sizeof(label));
		else
			snprintf(label, sizeof(label), "%s", e->category);
		tui_cut(name, sizeof(name), e->agent_name, name_w);
		const char *texts[] = {time,  name, appealed ? "*" : "",
		                       label, qty,  pts};
		const size_t widths[] = {time_w,  name_w, mark_w,
		                         label_w, qty_w,  pts_w};
		const bool right[] = {false, false, false, false, true, true};
		tui_format_row(line, sizeof(line), 6, texts, widths, right);
		bool sel = idx == d->sel[TUI_PANE_LOG];
		attr_t attr = A_NORMAL;
		if (e->voided)
			attr = tui_attr(tui, TUI_ROLE_DIM);
		else if (points < 0)
			attr = tui_attr(tui, TUI_ROLE_MINUS);
		else if (points > 0)
			attr = tui_attr(tui, TUI_ROLE_PLUS);
		if (sel)
			attr = focus ? tui_attr(tui, TUI_ROLE_SELECTED)
			             : attr | A_BOLD;
		tui_put(r->y + 1 + (int)row, r->x + 1, inner, line, attr);
	}
	if (d->day_count == 0)
		tui_put(r->y + 1, r->x + 1, inner, _(" No entries on this day"),
		        tui_attr(tui, TUI_ROLE_DIM));
	const struct store_event *e =
	    desk_log_event(tui, d->sel[TUI_PANE_LOG], NULL);
	if (detail && e) {
		char lines[6][TUI_NOTE_MAX + 128], text[4096] = "";
		size_t n = entry_details(tui, e, lines, 6);
		/* The note, appeal and void first: who and when last. */
		for (size_t i = 1; i <= n; i++) {
			size_t used = strlen(text);
			snprintf(text + used, sizeof(text) - used, "%s%s",
			         used ? "  " : "", lines[i % n]);
		}
		tui_put(r->y + 1 + (int)rows, r->x + 1, inner, text,
		        tui_attr(tui, TUI_ROLE_HEADER));
	}
}

/* The flags as marks: ! dismissal review, + promotion, - demotion. */
static void flag_marks(unsigned flags, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s",
	         flags & SCORE_FLAG_DISMISS_REVIEW ? "!" : "",
	         flags & SCORE_FLAG_PROMOTE ? "+" : "",
	         flags & SCORE_FLAG_DEMOTE ? "-" : "");
}

char *tui_metric_value(char *buf, size_t size, const struct rb_kpi *kpi,
                       const struct score_kpi_metric *m)
{
	char num[32];
	if (!m->present) {
		snprintf(buf, size, "-");
		return buf;
	}
	fixed_format(num, sizeof(num), m->value_h, 2, 2);
	snprintf(buf, size, "%s%s", num,
	         kpi->metric == RB_METRIC_RESPONSE_S ? " s" : "%");
	return buf;
}

/* The KPI of the board's highlighted agent in the last rows of the pane:
 * a heading, then each metric's value, band score and weighted points.
 * Returns the rows it took (0 when the pane has no room for it and three
 * board rows). */
static size_t draw_board_kpi(struct tui *tui, const struct tui_rect *r,
                             const struct score_agent_result *a)
{
	const struct rulebook *rb = tui->desk.board.rb;
	size_t inner = (size_t)r->w - 2, rows = (size_t)r->h - 2;
	size_t need = rb->kpi_count + 2;
	if (!a || rows < need + 3)
		return 0;
	int y = r->y + 1 + (int)(rows - need);
	char line[512], head[256], score[32];
	attr_t dim = tui_attr(tui, TUI_ROLE_HEADER);
	if (a->kpi_present)
		snprintf(head, sizeof(head), _("%s: KPI %s"), a->agent->name,
		         tui_points_text(score, sizeof(score), a->kpi_score_cp,
		                         false));
	else
		snprintf(
		    head, sizeof(head), _("%s: no KPI (base %s)"),
		    a->agent->name,
		    tui_points_text(score, sizeof(score), a->base_cp, false));
	tui_put(y++, r->x + 1, inner, "", A_NORMAL);
	tui_put(y++, r->x + 1, inner, head, dim);
	size_t value_w = 7, band_w = 4, pts_w = 5;
	size_t label_w =
	    tui_flex_width(inner, value_w + band_w + pts_w + 3, 4, 16);
	for (size_t k = 0; k < rb->kpi_count; k++) {
		const struct score_kpi_metric *m =
		    a->kpi_present ? &a->kpi_metrics[k] : NULL;
		char label[64], value[32] = "", band[32] = "", pts[32] = "";
		tui_kpi_text(rb, k, label_w, label, sizeof(label));
		if (m) {
			tui_metric_value(value, sizeof(value), &rb->kpis[k], m);
			fixed_format_trim(band, sizeof(band), m->band_h, 2, 2);
			tui_points_text(pts, sizeof(pts), m->points_cp, false);
		}
		const char *texts[] = {label, value, band, pts};
		const size_t widths[] = {label_w, value_w, band_w, pts_w};
		const bool right[] = {false, true, true, true};
		line[0] = '\0';
		tui_format_row(line, sizeof(line), 4, texts, widths, right);
		tui_put(y++, r->x + 1, inner, line, A_NORMAL);
	}
	return need;
}

static void draw_board(struct tui *tui, const struct tui_rect *r, bool focus)
{
	struct tui_desk *d = &tui->desk;
	size_t inner = (size_t)r->w - 2, rows = (size_t)r->h - 2;
	size_t count = desk_pane_count(tui, TUI_PANE_BOARD);
	bool kpi = d->board.loaded && d->board.rb->mode == RB_MODE_KPI;
	size_t rank_w = count >= 100 ? 3 : 2, score_w = 6, grade_w = 1;
	size_t trend_w = 1, flag_w = 2, kpi_w = kpi ? 5 : 0;
	size_t fixed = rank_w + score_w + grade_w + trend_w + flag_w + 5 +
	               (kpi ? kpi_w + 1 : 0);
	size_t name_w = tui_flex_width(inner, fixed, 4, 12);
	if (kpi)
		rows -= draw_board_kpi(
		    tui, r,
		    count ? &d->board.result->agents[d->sel[TUI_PANE_BOARD]]
		          : NULL);
	d->top[TUI_PANE_BOARD] = tui_scroll_top(
	    d->top[TUI_PANE_BOARD], d->sel[TUI_PANE_BOARD], count, rows);
	for (size_t row = 0; row < rows; row++) {
		size_t i = d->top[TUI_PANE_BOARD] + row;
		if (i >= count)
			break;
		const struct score_agent_result *a =
		    &d->board.result->agents[i];
		char rank[16], score[32], trend[8] = " ", flags[8], base[32];
		char line[512] = "";
		snprintf(rank, sizeof(rank), "%" PRId32, a->rank);
		tui_points_text(score, sizeof(score), a->score_cp, false);
		if (a->has_previous && a->score_cp > a->previous_score_cp)
			snprintf(trend, sizeof(trend), "\xe2\x96\xb2");
		else if (a->has_previous && a->score_cp < a->previous_score_cp)
			snprintf(trend, sizeof(trend), "\xe2\x96\xbc");
		flag_marks(a->flags, flags, sizeof(flags));
		/* The KPI base: its score, or "-" for no figures. */
		if (a->kpi_present)
			tui_points_text(base, sizeof(base), a->kpi_score_cp,
			                false);
		else
			snprintf(base, sizeof(base), "-");
		char name[128] = "";
		tui_cut(name, sizeof(name), a->agent->name, name_w);
		const char *texts[] = {rank,     name,  base, score,
		                       a->grade, trend, flags};
		const size_t widths[] = {rank_w,  name_w,  kpi_w, score_w,
		                         grade_w, trend_w, flag_w};
		const bool right[] = {true,  false, true, true,
		                      false, false, false};
		tui_format_row(line, sizeof(line), 7, texts, widths, right);
		bool sel = i == d->sel[TUI_PANE_BOARD];
		attr_t attr = A_NORMAL;
		if (sel)
			attr =
			    focus ? tui_attr(tui, TUI_ROLE_SELECTED) : A_BOLD;
		tui_put(r->y + 1 + (int)row, r->x + 1, inner, line, attr);
	}
	if (count == 0)
		tui_put(r->y + 1, r->x + 1, inner, _(" Nobody on this board"),
		        tui_attr(tui, TUI_ROLE_DIM));
}

void desk_draw(struct tui *tui, void *state)
{
	struct tui_desk *d = state;
	const struct tui_layout *l = &tui->layout;
	char title[128];
	for (int p = 0; p < TUI_PANES; p++) {
		const struct tui_rect *r = &l->panes[p];
		if (r->h < 3 || r->w < 8)
			continue;
		bool focus = d->focus == (enum tui_pane)p;
		pane_title(tui, (enum tui_pane)p, title, sizeof(title));
		tui_box(tui, r, title, focus);
		d->arrow_x[p] = 0;
		if (p != TUI_PANE_ROSTER) {
			/* ◀ ▶ after the date or month: a click moves it
			 * (as [ ] and < >), a click on the title goes back
			 * to today or this month. */
			size_t cells = text_width(title) + 2;
			if (cells > (size_t)r->w - 4)
				cells = (size_t)r->w - 4;
			int x = r->x + 1 + (int)cells + 1;
			d->title_x[p] = r->x + 1;
			if (x + 5 < r->x + r->w - 1) {
				d->arrow_x[p] = x;
				tui_put(r->y, x - 1, 5,
				        " \xe2\x97\x80 \xe2\x96\xb6 ",
				        tui_attr(tui, focus ? TUI_ROLE_FOCUS
				                            : TUI_ROLE_HEADER));
			}
		}
		if (p == TUI_PANE_ROSTER)
			draw_roster(tui, r, focus);
		else if (p == TUI_PANE_LOG)
			draw_log(tui, r, focus);
		else
			draw_board(tui, r, focus);
		/* A list longer than its pane: where the selection is, in
		 * the bottom border ("12/30"). */
		size_t n = desk_pane_count(tui, (enum tui_pane)p);
		if (n > 0 && n + 3 > (size_t)r->h && r->w > 12) {
			char pos[48];
			snprintf(pos, sizeof(pos), " %zu/%zu ", d->sel[p] + 1,
			         n);
			size_t w = text_width(pos);
			tui_put(r->y + r->h - 1, r->x + r->w - 2 - (int)w, w,
			        pos,
			        tui_attr(tui, focus ? TUI_ROLE_FOCUS
			                            : TUI_ROLE_BORDER));
		}
	}
}
