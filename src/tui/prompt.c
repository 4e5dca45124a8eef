/* Overlays that take text: the one-line prompt (minutes, notes, reasons),
 * the incremental agent finder and the agent form. All read get_wch
 * characters, so Chinese input works; Backspace deletes a whole
 * character; Esc cancels; Enter saves. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpidesk/text.h"
#include "tui_internal.h"

#define PROMPT_SCOPE (TUI_SCOPE_PROMPT)
#define FORM_SCOPE   (TUI_SCOPE_PROMPT | TUI_SCOPE_FORM)

/* Puts the cursor after the visible text of a field drawn at (y, x). */
static void draw_field(struct tui *tui, int y, int x, size_t cells,
                       const struct tui_field *f, bool focus)
{
	const char *vis = tui_field_visible(f, cells > 1 ? cells - 1 : 0);
	tui_put(y, x, cells, vis, focus ? A_UNDERLINE | A_BOLD : A_UNDERLINE);
	if (focus) {
		tui->cursor_on = true;
		tui->cursor_y = y;
		tui->cursor_x = x + (int)text_width(vis);
	}
}

/* ---- the one-line prompt ---- */

struct prompt {
	char title[512];
	struct tui_field field;
	bool digits_only;
	tui_prompt_done done;
	void *ctx;
};

static void prompt_draw(struct tui *tui, void *state)
{
	struct prompt *p = state;
	int w = tui->layout.cols - 4;
	if (w > 76)
		w = 76;
	struct tui_rect r =
	    tui_dialog(tui, 5, w, _("Enter saves, Esc cancels"));
	size_t inner = (size_t)r.w - 4;
	tui_put(r.y + 1, r.x + 2, inner, p->title, A_BOLD);
	draw_field(tui, r.y + 3, r.x + 2, inner, &p->field, true);
}

static unsigned prompt_key(struct tui *tui, void *state, wint_t key, bool code)
{
	struct prompt *p = state;
	const struct tui_key *k =
	    tui_keymap_find(&tui->keys, PROMPT_SCOPE, key, code);
	if (k && k->action == TUI_ACT_SUBMIT)
		return p->done(tui, p->ctx, p->field.text)
		           ? TUI_HANDLED | TUI_CLOSE | TUI_REDRAW
		           : TUI_HANDLED | TUI_REDRAW;
	if (k && k->action == TUI_ACT_BACK) {
		tui_status(tui, false, _("Cancelled: nothing saved"));
		return TUI_HANDLED | TUI_CLOSE | TUI_REDRAW;
	}
	if (k && k->action == TUI_ACT_ERASE) {
		tui_field_backspace(&p->field);
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (code)
		return 0;
	if (p->digits_only && (key < '0' || key > '9')) {
		tui_status(tui, true, _("Digits only here"));
		return TUI_REDRAW;
	}
	if (!tui_field_insert(&p->field, key))
		return TUI_REDRAW;
	return TUI_HANDLED | TUI_REDRAW;
}

static void prompt_destroy(struct tui *tui, void *state, bool cancelled)
{
	struct prompt *p = state;
	(void)tui;
	(void)cancelled;
	free(p->ctx);
	free(p);
}

static const struct screen_ops prompt_screen = {
    /* A question on one line: minutes, a note, a reason. */
    .name = "prompt",
    /* Drawn over the desk, which stays visible around it. */
    .overlay = true,
    /* Enter, Esc and Backspace; every other character is text. */
    .scope = TUI_SCOPE_PROMPT,
    /* A small box: the question and the field with the cursor. */
    .draw = prompt_draw,
    /* Edits the field; Enter hands it to the done callback. */
    .key = prompt_key,
    /* The answer does not depend on the data. */
    .changed = NULL,
    /* Frees the callback's context with the prompt. */
    .destroy = prompt_destroy,
};

bool tui_prompt_open(struct tui *tui, const char *title, const char *initial,
                     size_t max_bytes, bool digits_only, tui_prompt_done done,
                     void *ctx)
{
	struct prompt *p = calloc(1, sizeof(*p));
	if (!p) {
		free(ctx);
		tui_status(tui, true, _("Out of memory"));
		return false;
	}
	snprintf(p->title, sizeof(p->title), "%s", title);
	tui_field_init(&p->field, max_bytes, initial);
	p->digits_only = digits_only;
	p->done = done;
	p->ctx = ctx;
	return tui_push(tui, &prompt_screen, p);
}

/* ---- find an agent as you type ---- */

struct finder {
	struct tui_field field;
	size_t saved_sel;
	enum tui_pane saved_focus;
	size_t match; /* the n-th match is selected (Tab/Down step on) */
};

static bool contains_fold(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (!hay)
		return false;
	for (const char *p = hay; *p; p++) {
		size_t i = 0;
		while (i < n && p[i]) {
			char a = p[i], b = needle[i];
			if (a >= 'A' && a <= 'Z')
				a = (char)(a - 'A' + 'a');
			if (b >= 'A' && b <= 'Z')
				b = (char)(b - 'A' + 'a');
			if (a != b)
				break;
			i++;
		}
		if (i == n)
			return true;
	}
	return false;
}

static bool agent_matches(const struct store_agent *a, const char *text)
{
	char id[24];
	snprintf(id, sizeof(id), "%" PRId64, a->id);
	return strcmp(id, text) == 0 || contains_fold(a->name, text) ||
	       contains_fold(a->handle, text);
}

/* Selects the finder's n-th match; returns how many there are. */
static size_t finder_apply(struct tui *tui, struct finder *f)
{
	struct tui_desk *d = &tui->desk;
	size_t found = 0;
	/* Nothing typed, or nobody matches: the selection from before `/`
	 * (never the last partial match, which the next hotkey would hit). */
	d->sel[TUI_PANE_ROSTER] = f->saved_sel;
	if (!f->field.text[0])
		return 0;
	for (size_t i = 0; i < d->agents.count; i++) {
		if (!agent_matches(&d->agents.agents[i], f->field.text))
			continue;
		if (found == f->match)
			d->sel[TUI_PANE_ROSTER] = i;
		found++;
	}
	if (found && f->match >= found) {
		f->match = 0;
		return finder_apply(tui, f);
	}
	return found;
}

static void finder_draw(struct tui *tui, void *state)
{
	struct finder *f = state;
	int w = tui->layout.cols - 4;
	if (w > 60)
		w = 60;
	struct tui_rect r = tui_dialog(tui, 4, w, _("Find agent"));
	char label[64];
	snprintf(label, sizeof(label), "%s ", _("Name, handle or id:"));
	size_t lw = text_width(label);
	size_t inner = (size_t)r.w - 4;
	if (lw + 4 > inner)
		lw = 0;
	tui_put(r.y + 1, r.x + 2, lw, label, A_NORMAL);
	tui_put(r.y + 2, r.x + 2, inner, _("Enter selects  Tab next"),
	        tui_attr(tui, TUI_ROLE_DIM));
	draw_field(tui, r.y + 1, r.x + 2 + (int)lw, inner - lw, &f->field,
	           true);
}

static unsigned finder_key(struct tui *tui, void *state, wint_t key, bool code)
{
	struct finder *f = state;
	const struct tui_key *k =
	    tui_keymap_find(&tui->keys, FORM_SCOPE, key, code);
	enum tui_action act = k ? k->action : TUI_ACT_NONE;
	if (act == TUI_ACT_SUBMIT) {
		bool none = f->field.text[0] && finder_apply(tui, f) == 0;
		const struct store_agent *a = tui_desk_agent(tui);
		tui->desk.focus = TUI_PANE_ROSTER;
		if (none) {
			tui->desk.focus = f->saved_focus;
			if (a)
				tui_status(
				    tui, true,
				    _("No agent matches \"%s\": %s stays "
				      "selected"),
				    f->field.text, a->name);
			else
				tui_status(tui, true,
				           _("No agent matches \"%s\""),
				           f->field.text);
		} else if (a && f->field.text[0]) {
			tui_status(tui, false, _("%s (#%lld) selected"),
			           a->name, (long long)a->id);
		}
		return TUI_HANDLED | TUI_CLOSE | TUI_REDRAW;
	}
	if (act == TUI_ACT_BACK) {
		tui->desk.sel[TUI_PANE_ROSTER] = f->saved_sel;
		tui->desk.focus = f->saved_focus;
		tui_status(tui, false, "%s", "");
		return TUI_HANDLED | TUI_CLOSE | TUI_REDRAW;
	}
	if (act == TUI_ACT_FIELD_NEXT || act == TUI_ACT_FIELD_PREV) {
		if (act == TUI_ACT_FIELD_NEXT)
			f->match++;
		else if (f->match > 0)
			f->match--;
	} else if (act == TUI_ACT_ERASE) {
		tui_field_backspace(&f->field);
		f->match = 0;
	} else if (!code && tui_field_insert(&f->field, key)) {
		f->match = 0;
	} else {
		return 0;
	}
	tui->desk.focus = TUI_PANE_ROSTER;
	size_t n = finder_apply(tui, f);
	if (f->field.text[0] && n == 0)
		tui_status(tui, true, _("No agent matches \"%s\""),
		           f->field.text);
	else if (n > 1)
		tui_status(tui, false,
		           _("%zu agents match; Tab or Down for the next"), n);
	else
		tui_status(tui, false, "%s", "");
	return TUI_HANDLED | TUI_REDRAW;
}

static void finder_destroy(struct tui *tui, void *state, bool cancelled)
{
	(void)tui;
	(void)cancelled;
	free(state);
}

static const struct screen_ops finder_screen = {
    /* "/": finds an agent by name, handle or id while typing. */
    .name = "find",
    /* A line over the desk, so the roster shows the match. */
    .overlay = true,
    /* Text keys, Tab/Down for the next match, Enter, Esc. */
    .scope = TUI_SCOPE_PROMPT | TUI_SCOPE_FORM,
    /* The search box. */
    .draw = finder_draw,
    /* Each character moves the roster's selection to the match. */
    .key = finder_key,
    /* The roster reloads itself; the next key searches it again. */
    .changed = NULL,
    /* Only its own memory. */
    .destroy = finder_destroy,
};

bool tui_find_open(struct tui *tui)
{
	struct finder *f = calloc(1, sizeof(*f));
	if (!f) {
		tui_status(tui, true, _("Out of memory"));
		return false;
	}
	tui_field_init(&f->field, TUI_NAME_MAX, "");
	f->saved_sel = tui->desk.sel[TUI_PANE_ROSTER];
	f->saved_focus = tui->desk.focus;
	return tui_push(tui, &finder_screen, f);
}

/* ---- the agent form ---- */

enum form_field { F_NAME, F_HANDLE, F_TIER, F_HIRED, F_LEFT, F_COUNT };

struct agent_form {
	bool edit;
	int64_t id;
	struct tui_field fields[F_COUNT]; /* F_TIER unused: a choice */
	int tier, orig_tier;
	struct tui_field orig[F_COUNT];
	int field;
};

static const char *const field_labels[F_COUNT] = {
    N_("Name"),          N_("Handle"),       N_("Tier"),
    N_("Hired (Y-M-D)"), N_("Left (Y-M-D)"),
};

static void form_draw(struct tui *tui, void *state)
{
	struct agent_form *f = state;
	int w = tui->layout.cols - 4;
	if (w > 64)
		w = 64;
	char title[128];
	if (f->edit)
		snprintf(title, sizeof(title), _("Edit agent #%lld"),
		         (long long)f->id);
	else
		snprintf(title, sizeof(title), "%s", _("Add agent"));
	struct tui_rect r = tui_dialog(tui, F_COUNT + 5, w, title);
	size_t label_w = 16, inner = (size_t)r.w - 4;
	size_t value_w = inner > label_w + 4 ? inner - label_w - 2 : 4;
	for (int i = 0; i < F_COUNT; i++) {
		int y = r.y + 1 + i;
		bool focus = i == f->field;
		char label[64];
		snprintf(label, sizeof(label), "%s%s", focus ? "> " : "  ",
		         _(field_labels[i]));
		tui_put(y, r.x + 2, label_w, label, focus ? A_BOLD : A_NORMAL);
		int x = r.x + 2 + (int)label_w + 2;
		if (i == F_TIER) {
			char choice[128];
			snprintf(choice, sizeof(choice), "< %s >",
			         tui->rb->tier_count
			             ? tui->rb->tiers[f->tier].label
			             : "?");
			tui_put(y, x, value_w, choice,
			        focus ? A_BOLD | A_UNDERLINE : A_UNDERLINE);
		} else {
			draw_field(tui, y, x, value_w, &f->fields[i], focus);
		}
	}
	tui_put(r.y + r.h - 3, r.x + 2, inner,
	        _("Tab/Up/Down: field  Left/Right: tier  Enter: save  Esc: "
	          "cancel"),
	        tui_attr(tui, TUI_ROLE_DIM));
	tui_put(r.y + r.h - 2, r.x + 2, inner,
	        _("Left empty: still employed. Hired empty: today."),
	        tui_attr(tui, TUI_ROLE_DIM));
}

/* Trims ASCII spaces at both ends, in place. */
static char *trim(char *s)
{
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
	return s;
}

static bool parse_form_date(struct tui *tui, const char *what, const char *text,
                            kd_date *out)
{
	if (date_parse(text, out))
		return true;
	tui_status(tui, true,
	           _("%s: \"%s\" is not a date (YYYY-MM-DD, a day that "
	             "exists)"),
	           what, text);
	return false;
}

/* Which field of the form a refusal of the app is about. */
static int refused_field(const struct app_refusal *why, int current)
{
	if (why->field && strcmp(why->field, "name") == 0)
		return F_NAME;
	if (why->field && strcmp(why->field, "handle") == 0)
		return F_HANDLE;
	switch (why->code) {
	case APP_LEFT_BEFORE_HIRED:
	case APP_EVENT_AFTER_LEFT:
		return F_LEFT;
	case APP_EVENT_BEFORE_HIRED:
		return F_HIRED;
	default:
		return current;
	}
}

static bool form_save(struct tui *tui, struct agent_form *f)
{
	char name_buf[TUI_FIELD_SIZE], handle_buf[TUI_FIELD_SIZE];
	char hired_buf[TUI_FIELD_SIZE], left_buf[TUI_FIELD_SIZE];
	snprintf(name_buf, sizeof(name_buf), "%s", f->fields[F_NAME].text);
	snprintf(handle_buf, sizeof(handle_buf), "%s",
	         f->fields[F_HANDLE].text);
	snprintf(hired_buf, sizeof(hired_buf), "%s", f->fields[F_HIRED].text);
	snprintf(left_buf, sizeof(left_buf), "%s", f->fields[F_LEFT].text);
	char *name = trim(name_buf), *handle = trim(handle_buf);
	char *hired_text = trim(hired_buf), *left_text = trim(left_buf);
	kd_date hired = clock_today(), left = KD_DATE_NONE;
	struct app_refusal why;

	if (hired_text[0] &&
	    !parse_form_date(tui, _("Hired"), hired_text, &hired)) {
		f->field = F_HIRED;
		return false;
	}
	if (left_text[0] &&
	    !parse_form_date(tui, _("Left"), left_text, &left)) {
		f->field = F_LEFT;
		return false;
	}
	const char *tier =
	    tui->rb->tier_count ? tui->rb->tiers[f->tier].key : NULL;
	int64_t id = f->id;
	if (!f->edit) {
		struct app_agent_new agent = {
		    .name = name,
		    .handle = handle,
		    .tier = tier,
		    .hired = hired,
		};
		if (!app_agent_add(&tui->app, &agent, &id, &why)) {
			tui_status_refusal(tui, &why);
			f->field = refused_field(&why, f->field);
			return false;
		}
		tui_status(tui, false, _("Added agent #%lld %s"), (long long)id,
		           name);
	} else {
		struct store_agent_edit edit = {0};
		bool any = false;
		if (strcmp(name, trim(f->orig[F_NAME].text)) != 0) {
			edit.name = name;
			any = true;
		}
		if (strcmp(handle, trim(f->orig[F_HANDLE].text)) != 0) {
			edit.set_handle = true;
			edit.handle = handle;
			any = true;
		}
		if (strcmp(hired_text, trim(f->orig[F_HIRED].text)) != 0) {
			edit.set_hired = true;
			edit.hired = hired;
			any = true;
		}
		if (strcmp(left_text, trim(f->orig[F_LEFT].text)) != 0) {
			edit.set_left = true;
			edit.left = left;
			any = true;
		}
		if (f->tier != f->orig_tier) {
			/* A new tier holds from this month on. */
			edit.tier_key = tier;
			edit.tier_since = date_month(clock_today());
			any = true;
		}
		if (!any) {
			tui_status(tui, false, _("Nothing changed"));
			return true;
		}
		if (!app_agent_edit(&tui->app, id, &edit, &why)) {
			tui_status_refusal(tui, &why);
			f->field = refused_field(&why, f->field);
			return false;
		}
		tui_status(tui, false, _("Saved agent #%lld %s"), (long long)id,
		           name);
	}
	tui_desk_reload(tui);
	tui_desk_select_agent(tui, id);
	return true;
}

static unsigned form_key(struct tui *tui, void *state, wint_t key, bool code)
{
	struct agent_form *f = state;
	const struct tui_key *k =
	    tui_keymap_find(&tui->keys, FORM_SCOPE, key, code);
	enum tui_action act = k ? k->action : TUI_ACT_NONE;
	int tiers = (int)tui->rb->tier_count;
	switch (act) {
	case TUI_ACT_SUBMIT:
		return form_save(tui, f) ? TUI_HANDLED | TUI_CLOSE | TUI_REDRAW
		                         : TUI_HANDLED | TUI_REDRAW;
	case TUI_ACT_BACK:
		tui_status(tui, false, _("Cancelled: nothing saved"));
		return TUI_HANDLED | TUI_CLOSE | TUI_REDRAW;
	case TUI_ACT_FIELD_NEXT:
		f->field = (f->field + 1) % F_COUNT;
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_ACT_FIELD_PREV:
		f->field = (f->field + F_COUNT - 1) % F_COUNT;
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_ACT_CHOICE_PREV:
	case TUI_ACT_CHOICE_NEXT:
		if (f->field == F_TIER && tiers > 0)
			f->tier =
			    (f->tier +
			     (act == TUI_ACT_CHOICE_NEXT ? 1 : tiers - 1)) %
			    tiers;
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_ACT_ERASE:
		if (f->field != F_TIER)
			tui_field_backspace(&f->fields[f->field]);
		return TUI_HANDLED | TUI_REDRAW;
	default:
		break;
	}
	if (code)
		return 0;
	if (f->field == F_TIER) {
		/* Space steps through the tiers too. */
		if (key == ' ' && tiers > 0)
			f->tier = (f->tier + 1) % tiers;
		return TUI_HANDLED | TUI_REDRAW;
	}
	tui_field_insert(&f->fields[f->field], key);
	return TUI_HANDLED | TUI_REDRAW;
}

static void form_destroy(struct tui *tui, void *state, bool cancelled)
{
	(void)tui;
	(void)cancelled;
	free(state);
}

static const struct screen_ops form_screen = {
    /* "a" and "e": an agent's name, handle, tier, hire and leave date. */
    .name = "agent form",
    /* A box over the desk. */
    .overlay = true,
    /* Text keys, fields, the tier choice, Enter, Esc. */
    .scope = TUI_SCOPE_PROMPT | TUI_SCOPE_FORM,
    /* The fields, the focused one marked and holding the cursor. */
    .draw = form_draw,
    /* Edits; Enter checks everything and saves in one write. */
    .key = form_key,
    /* What is typed stays; saving checks against the data then. */
    .changed = NULL,
    /* Only its own memory. */
    .destroy = form_destroy,
};

bool tui_agent_form_open(struct tui *tui, const struct store_agent *agent)
{
	struct agent_form *f = calloc(1, sizeof(*f));
	char date[16];
	if (!f) {
		tui_status(tui, true, _("Out of memory"));
		return false;
	}
	for (int i = 0; i < F_COUNT; i++)
		tui_field_init(&f->fields[i],
		               i == F_HIRED || i == F_LEFT ? 10 : TUI_NAME_MAX,
		               "");
	if (agent) {
		f->edit = true;
		f->id = agent->id;
		tui_field_init(&f->fields[F_NAME], TUI_NAME_MAX, agent->name);
		tui_field_init(&f->fields[F_HANDLE], TUI_NAME_MAX,
		               agent->handle ? agent->handle : "");
		tui_field_init(&f->fields[F_HIRED], 10,
		               date_format(date, sizeof(date), agent->hired));
		if (agent->left != KD_DATE_NONE)
			tui_field_init(
			    &f->fields[F_LEFT], 10,
			    date_format(date, sizeof(date), agent->left));
		const char *key = NULL;
		kd_month now = date_month(clock_today());
		for (size_t i = 0; i < agent->tier_count; i++)
			if (agent->tiers[i].since <= now || !key)
				key = agent->tiers[i].tier_key;
		int t = key ? rulebook_tier_index(tui->rb, key) : -1;
		f->tier = f->orig_tier = t >= 0 ? t : 0;
		memcpy(f->orig, f->fields, sizeof(f->orig));
	}
	return tui_push(tui, &form_screen, f);
}

/* ---- a choice from a short list ---- */

struct pick {
	int items_y, items_x, items_w; /* where the choices were drawn */
	size_t items_top, items_rows;
	char title[256];
	char question[512];
	char **items;
	size_t count;
	size_t sel;
	tui_pick_done done;
	void *ctx;
};

static void pick_draw(struct tui *tui, void *state)
{
	struct pick *p = state;
	int w = 24;
	for (size_t i = 0; i < p->count; i++)
		if ((int)text_width(p->items[i]) + 8 > w)
			w = (int)text_width(p->items[i]) + 8;
	if ((int)text_width(p->question) + 4 > w)
		w = (int)text_width(p->question) + 4;
	if (w > tui->layout.cols - 4)
		w = tui->layout.cols - 4;
	int h = (int)p->count + 4;
	struct tui_rect r = tui_dialog(tui, h, w, p->title);
	size_t inner = (size_t)r.w - 4;
	tui_put(r.y + 1, r.x + 2, inner, p->question, A_BOLD);
	size_t rows = r.h > 4 ? (size_t)r.h - 4 : 0;
	size_t top = tui_scroll_top(0, p->sel, p->count, rows);
	p->items_y = r.y + 2;
	p->items_x = r.x + 2;
	p->items_w = (int)inner;
	p->items_top = top;
	p->items_rows = rows;
	for (size_t row = 0; row < rows && top + row < p->count; row++) {
		size_t i = top + row;
		char line[600];
		snprintf(line, sizeof(line), "%s %zu %s",
		         i == p->sel ? ">" : " ", i + 1, p->items[i]);
		tui_put(r.y + 2 + (int)row, r.x + 2, inner, line,
		        i == p->sel ? tui_attr(tui, TUI_ROLE_SELECTED)
		                    : A_NORMAL);
	}
}

/* The next item after `from` whose text starts with `c` (letters in
 * either case), wrapping; `from` itself when none does. */
static size_t pick_letter(const struct pick *p, size_t from, wint_t c)
{
	wint_t lc = c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
	for (size_t n = 1; n <= p->count; n++) {
		size_t i = (from + n) % p->count;
		wint_t f = (unsigned char)p->items[i][0];
		if (f >= 'A' && f <= 'Z')
			f = f - 'A' + 'a';
		if (f == lc)
			return i;
	}
	return from;
}

/* Keys only move the selection; nothing but Enter chooses, so a stray
 * key never settles an appeal or picks a format. */
static unsigned pick_key(struct tui *tui, void *state, wint_t key, bool code)
{
	struct pick *p = state;
	const struct tui_key *k = tui_keymap_find(
	    &tui->keys, TUI_SCOPE_PROMPT | TUI_SCOPE_FORM, key, code);
	enum tui_action act = k ? k->action : TUI_ACT_NONE;
	if (!k && !code && key >= '1' && key <= '9') {
		if ((size_t)(key - '1') < p->count)
			p->sel = (size_t)(key - '1');
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (!k && !code && (key == 'j' || key == 'k'))
		act = key == 'j' ? TUI_ACT_FIELD_NEXT : TUI_ACT_FIELD_PREV;
	if (!k && code && (key == KEY_HOME || key == KEY_END)) {
		p->sel = key == KEY_HOME || p->count == 0 ? 0 : p->count - 1;
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (act == TUI_ACT_NONE && !code && key < 0x80 &&
	    ((key >= 'a' && key <= 'z') || (key >= 'A' && key <= 'Z'))) {
		p->sel = pick_letter(p, p->sel, key);
		return TUI_HANDLED | TUI_REDRAW;
	}
	switch (act) {
	case TUI_ACT_SUBMIT:
		return p->done(tui, p->ctx, p->sel)
		           ? TUI_HANDLED | TUI_CLOSE | TUI_REDRAW
		           : TUI_HANDLED | TUI_REDRAW;
	case TUI_ACT_BACK:
		tui_status(tui, false, _("Cancelled: nothing changed"));
		return TUI_HANDLED | TUI_CLOSE | TUI_REDRAW;
	case TUI_ACT_FIELD_NEXT:
		if (p->sel + 1 < p->count)
			p->sel++;
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_ACT_FIELD_PREV:
		if (p->sel > 0)
			p->sel--;
		return TUI_HANDLED | TUI_REDRAW;
	default:
		return 0;
	}
}

/* A click on a choice selects it; a click on the selected one chooses
 * it; the wheel moves. */
static unsigned pick_mouse(struct tui *tui, void *state, const MEVENT *ev)
{
	struct pick *p = state;
	if (ev->bstate & (TUI_WHEEL_UP | TUI_WHEEL_DOWN)) {
		if ((ev->bstate & TUI_WHEEL_UP) && p->sel > 0)
			p->sel--;
		else if ((ev->bstate & TUI_WHEEL_DOWN) && p->sel + 1 < p->count)
			p->sel++;
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (!(ev->bstate & TUI_MOUSE_CLICK) || ev->y < p->items_y ||
	    ev->y >= p->items_y + (int)p->items_rows || ev->x < p->items_x ||
	    ev->x >= p->items_x + p->items_w)
		return 0;
	size_t i = p->items_top + (size_t)(ev->y - p->items_y);
	if (i >= p->count)
		return 0;
	if (i != p->sel) {
		p->sel = i;
		return TUI_HANDLED | TUI_REDRAW;
	}
	return p->done(tui, p->ctx, p->sel)
	           ? TUI_HANDLED | TUI_CLOSE | TUI_REDRAW
	           : TUI_HANDLED | TUI_REDRAW;
}

static void pick_destroy(struct tui *tui, void *state, bool cancelled)
{
	struct pick *p = state;
	(void)tui;
	(void)cancelled;
	for (size_t i = 0; i < p->count; i++)
		free(p->items[i]);
	free(p->items);
	free(p->ctx);
	free(p);
}

static const struct screen_ops pick_screen = {
    /* One of a few choices: an export format, an appeal, an outcome. */
    .name = "pick",
    /* A box over the screen it was opened from. */
    .overlay = true,
    /* Up/Down (Tab), a digit or Enter to choose, Esc to cancel. */
    .scope = TUI_SCOPE_PROMPT | TUI_SCOPE_FORM,
    /* The question and the numbered choices. */
    .draw = pick_draw,
    /* Moves, and hands the choice to the done callback. */
    .key = pick_key,
    /* A click selects, a second one chooses. */
    .mouse = pick_mouse,
    /* The choices were copied when it opened. */
    .changed = NULL,
    /* The copies and the callback's context. */
    .destroy = pick_destroy,
};

bool tui_pick_open(struct tui *tui, const char *title, const char *question,
                   size_t count, const char *const *items, size_t selected,
                   tui_pick_done done, void *ctx)
{
	struct pick *p = calloc(1, sizeof(*p));
	if (p)
		p->items = calloc(count ? count : 1, sizeof(*p->items));
	if (!p || !p->items) {
		free(p);
		free(ctx);
		tui_status(tui, true, _("Out of memory"));
		return false;
	}
	p->ctx = ctx;
	p->done = done;
	for (size_t i = 0; i < count; i++) {
		size_t n = strlen(items[i]) + 1;
		p->items[i] = malloc(n);
		if (!p->items[i]) {
			pick_destroy(tui, p, true);
			tui_status(tui, true, _("Out of memory"));
			return false;
		}
		memcpy(p->items[i], items[i], n);
		p->count++;
	}
	p->sel = selected < count ? selected : 0;
	snprintf(p->title, sizeof(p->title), "%s", title);
	snprintf(p->question, sizeof(p->question), "%s", question);
	return tui_push(tui, &pick_screen, p);
}

/* ---- yes or no ---- */

#define CONFIRM_LINES 8

struct confirm {
	bool info; /* lines to read, no question */
	char title[256];
	char lines[CONFIRM_LINES][512];
	size_t count;
	tui_confirm_done done;
	void *ctx;
};

static void confirm_draw(struct tui *tui, void *state)
{
	struct confirm *c = state;
	int w = 40;
	for (size_t i = 0; i < c->count; i++)
		if ((int)text_width(c->lines[i]) + 4 > w)
			w = (int)text_width(c->lines[i]) + 4;
	if (w > tui->layout.cols - 4)
		w = tui->layout.cols - 4;
	struct tui_rect r = tui_dialog(tui, (int)c->count + 4, w, c->title);
	size_t inner = (size_t)r.w - 4;
	for (size_t i = 0; i < c->count; i++)
		tui_put(r.y + 1 + (int)i, r.x + 2, inner, c->lines[i],
		        i == 0 ? A_BOLD : A_NORMAL);
	char keys[128], y[16], n[16];
	if (c->info) {
		tui_put(r.y + 2 + (int)c->count, r.x + 2, inner,
		        _("Esc or Enter closes"),
		        tui_attr(tui, TUI_ROLE_FOCUS));
		return;
	}
	const struct tui_key *ky =
	    tui_keymap_for_action(&tui->keys, TUI_SCOPE_CONFIRM, TUI_ACT_YES);
	const struct tui_key *kn =
	    tui_keymap_for_action(&tui->keys, TUI_SCOPE_CONFIRM, TUI_ACT_NO);
	tui_key_name(ky ? ky->key : 'y', ky && ky->code, y, sizeof(y));
	tui_key_name(kn ? kn->key : 'n', kn && kn->code, n, sizeof(n));
	snprintf(keys, sizeof(keys), _("%s yes, %s or Esc no"), y, n);
	tui_put(r.y + 2 + (int)c->count, r.x + 2, inner, keys,
	        tui_attr(tui, TUI_ROLE_FOCUS));
}

static unsigned confirm_key(struct tui *tui, void *state, wint_t key, bool code)
{
	struct confirm *c = state;
	if (c->info) {
		/* Read only: Esc, Enter or q close it. */
		if (!code && (key == 27 || key == '\n' || key == 'q'))
			return TUI_HANDLED | TUI_CLOSE | TUI_REDRAW;
		return 0;
	}
	const struct tui_key *k =
	    tui_keymap_find(&tui->keys, TUI_SCOPE_CONFIRM, key, code);
	switch (k ? k->action : TUI_ACT_NONE) {
	case TUI_ACT_YES:
		c->done(tui, c->ctx);
		return TUI_HANDLED | TUI_CLOSE | TUI_REDRAW;
	case TUI_ACT_NO:
	case TUI_ACT_BACK:
		tui_status(tui, false, _("Cancelled: nothing changed"));
		return TUI_HANDLED | TUI_CLOSE | TUI_REDRAW;
	default:
		return 0;
	}
}

static void confirm_destroy(struct tui *tui, void *state, bool cancelled)
{
	struct confirm *c = state;
	(void)tui;
	(void)cancelled;
	free(c->ctx);
	free(c);
}

static const struct screen_ops confirm_screen = {
    /* A question that changes something hard to undo: closing a month. */
    .name = "confirm",
    /* A box over the screen that asked. */
    .overlay = true,
    /* y, n and Esc; nothing else answers. */
    .scope = TUI_SCOPE_CONFIRM,
    /* The question, what it means, and the keys. */
    .draw = confirm_draw,
    /* y calls the done callback; n or Esc only close. */
    .key = confirm_key,
    /* The question was written when it opened. */
    .changed = NULL,
    /* The callback's context. */
    .destroy = confirm_destroy,
};

bool tui_confirm_open(struct tui *tui, const char *title,
                      const char *const *lines, size_t count,
                      tui_confirm_done done, void *ctx)
{
	struct confirm *c = calloc(1, sizeof(*c));
	if (!c) {
		free(ctx);
		tui_status(tui, true, _("Out of memory"));
		return false;
	}
	snprintf(c->title, sizeof(c->title), "%s", title);
	for (size_t i = 0; i < count && i < CONFIRM_LINES; i++)
		snprintf(c->lines[c->count++], sizeof(c->lines[0]), "%s",
		         lines[i]);
	c->done = done;
	c->ctx = ctx;
	return tui_push(tui, &confirm_screen, c);
}

bool tui_info_open(struct tui *tui, const char *title, const char *const *lines,
                   size_t count)
{
	struct confirm *c = calloc(1, sizeof(*c));
	if (!c) {
		tui_status(tui, true, _("Out of memory"));
		return false;
	}
	c->info = true;
	snprintf(c->title, sizeof(c->title), "%s", title);
	for (size_t i = 0; i < count && i < CONFIRM_LINES; i++)
		snprintf(c->lines[c->count++], sizeof(c->lines[0]), "%s",
		         lines[i]);
	return tui_push(tui, &confirm_screen, c);
}
