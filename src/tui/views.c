/* Full screens: help (generated from the key table), the month review,
 * the first-start welcome and the errors of a refused rulebook. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpidesk/demo.h"
#include "kpidesk/fixed.h"
#include "kpidesk/text.h"
#include "tui_internal.h"

/* The rows between the title line and the status line. */
static struct tui_rect body(const struct tui *tui)
{
	const struct tui_layout *l = &tui->layout;
	return (struct tui_rect){
	    .y = 1, .x = 0, .h = l->rows - 3, .w = l->cols};
}

/* ---- a scrollable list of lines (help, errors) ---- */

struct text_view {
	char title[128];
	char **lines;
	size_t count;
	size_t top;
	bool is_help; /* rebuilt from the key table when the rules change */
};

static void lines_free(struct text_view *v)
{
	for (size_t i = 0; i < v->count; i++)
		free(v->lines[i]);
	free(v->lines);
	v->lines = NULL;
	v->count = 0;
}

static bool lines_add(struct text_view *v, const char *text)
{
	char **p = realloc(v->lines, (v->count + 1) * sizeof(*p));
	if (!p)
		return false;
	v->lines = p;
	size_t n = strlen(text) + 1;
	v->lines[v->count] = malloc(n);
	if (!v->lines[v->count])
		return false;
	memcpy(v->lines[v->count++], text, n);
	return true;
}

static void help_section(struct text_view *v, const struct tui_keymap *map,
                         unsigned scope, const char *heading)
{
	char line[512];
	lines_add(v, "");
	lines_add(v, heading);
	for (size_t i = 0; i < map->count; i++)
		if (tui_keymap_help_line(map, i, scope, 18, line,
		                         sizeof(line))) {
			char indented[520];
			snprintf(indented, sizeof(indented), "  %s", line);
			lines_add(v, indented);
		}
}

static void help_build(struct tui *tui, struct text_view *v)
{
	lines_free(v);
	help_section(v, &tui->keys, TUI_SCOPE_DESK,
	             _("The desk (category keys come from the rulebook; a "
	               "number typed first is the quantity, as in 3r):"));
	help_section(v, &tui->keys, TUI_SCOPE_PROMPT | TUI_SCOPE_FORM,
	             _("Prompts and forms:"));
	help_section(v, &tui->keys, TUI_SCOPE_VIEW,
	             _("Full screens (help, review, errors):"));
	help_section(v, &tui->keys, TUI_SCOPE_REVIEW,
	             _("The month review (Up/Down choose the agent, PgUp/PgDn "
	               "scroll the breakdown):"));
	help_section(v, &tui->keys, TUI_SCOPE_CONFIRM, _("Questions:"));
	help_section(v, &tui->keys, TUI_SCOPE_WELCOME, _("First start:"));
	lines_add(v, "");
	lines_add(v, _("Board marks: \xe2\x96\xb2 \xe2\x96\xbc score up or "
	               "down from last month; ! dismissal review; + up for "
	               "promotion; - demotion. Log mark: * under appeal."));
	lines_add(v, _("Every entry is saved the moment it is made; q never "
	               "loses anything. SIGUSR1 also reloads the rulebook."));
}

static void view_draw(struct tui *tui, void *state)
{
	struct text_view *v = state;
	struct tui_rect r = body(tui);
	tui_box(tui, &r, v->title, true);
	size_t rows = r.h > 2 ? (size_t)r.h - 2 : 0;
	if (v->count > rows && v->top > v->count - rows)
		v->top = v->count - rows;
	for (size_t row = 0; row < rows && v->top + row < v->count; row++)
		tui_put(r.y + 1 + (int)row, r.x + 2, (size_t)r.w - 4,
		        v->lines[v->top + row], A_NORMAL);
}

static unsigned view_key(struct tui *tui, void *state, wint_t key, bool code)
{
	struct text_view *v = state;
	const struct tui_key *k =
	    tui_keymap_find(&tui->keys, TUI_SCOPE_VIEW, key, code);
	size_t page = tui->layout.rows > 6 ? (size_t)tui->layout.rows - 6 : 1;
	switch (k ? k->action : TUI_ACT_NONE) {
	case TUI_ACT_BACK:
		return TUI_HANDLED | TUI_CLOSE | TUI_REDRAW;
	case TUI_ACT_UP:
		if (v->top > 0)
			v->top--;
		break;
	case TUI_ACT_DOWN:
		if (v->top + 1 < v->count)
			v->top++;
		break;
	case TUI_ACT_PAGE_UP:
		v->top = v->top > page ? v->top - page : 0;
		break;
	case TUI_ACT_PAGE_DOWN:
		v->top += page;
		if (v->top >= v->count)
			v->top = v->count ? v->count - 1 : 0;
		break;
	case TUI_ACT_RELOAD:
		tui_reload_rulebook(tui);
		break;
	case TUI_ACT_REDRAW:
		clearok(curscr, TRUE);
		break;
	default:
		return 0;
	}
	return TUI_HANDLED | TUI_REDRAW;
}

static void view_changed(struct tui *tui, void *state)
{
	struct text_view *v = state;
	if (v->is_help)
		help_build(tui, v);
}

static void view_destroy(struct tui *tui, void *state, bool cancelled)
{
	(void)tui;
	(void)cancelled;
	lines_free(state);
	free(state);
}

static const struct screen_ops text_view_screen = {
    /* Lines to read: the help screen or a rulebook's errors. */
    .name = "text view",
    /* Replaces the desk until closed. */
    .overlay = false,
    /* Up/Down, PgUp/PgDn, Esc/q. */
    .scope = TUI_SCOPE_VIEW,
    /* The visible lines in a box. */
    .draw = view_draw,
    /* Scrolls; Esc or q closes. */
    .key = view_key,
    /* Help follows the rulebook's hotkeys. */
    .changed = view_changed,
    /* The lines and the state. */
    .destroy = view_destroy,
};

bool tui_help_open(struct tui *tui)
{
	struct text_view *v = calloc(1, sizeof(*v));
	if (!v)
		return false;
	snprintf(v->title, sizeof(v->title), "%s", _("Keys"));
	v->is_help = true;
	help_build(tui, v);
	return tui_push(tui, &text_view_screen, v);
}

bool tui_errors_open(struct tui *tui, char **messages, size_t count)
{
	struct text_view *v = calloc(1, sizeof(*v));
	if (!v)
		return false;
	snprintf(v->title, sizeof(v->title), "%s",
	         _("Rulebook refused: the old rules stay in force"));
	v->lines = messages;
	v->count = count;
	return tui_push(tui, &text_view_screen, v);
}

/* ---- first start ---- */

static void welcome_draw(struct tui *tui, void *state)
{
	(void)state;
	struct tui_rect r = body(tui);
	tui_box(tui, &r, _("Welcome"), true);
	size_t inner = (size_t)r.w - 4;
	char keyname[32], line[512];
	int y = r.y + 2;
	tui_put(y++, r.x + 2, inner,
	        _("Welcome to kpidesk. This database has no agents yet."),
	        A_BOLD);
	y++;
	const enum tui_action acts[] = {TUI_ACT_DEMO, TUI_ACT_AGENT_ADD,
	                                TUI_ACT_HELP, TUI_ACT_QUIT};
	const char *what[] = {
	    N_("load demo data: a believable team with three months of "
	       "entries"),
	    N_("add the first agent"), N_("every key"), N_("quit")};
	for (size_t i = 0; i < 4; i++) {
		const struct tui_key *k = tui_keymap_for_action(
		    &tui->keys, TUI_SCOPE_WELCOME, acts[i]);
		if (!k)
			continue;
		tui_key_name(k->key, k->code, keyname, sizeof(keyname));
		snprintf(line, sizeof(line), "  %-3s %s", keyname, _(what[i]));
		tui_put(y++, r.x + 2, inner, line, A_NORMAL);
	}
	y++;
	snprintf(line, sizeof(line), _("Database: %s"), tui->opt.db_path);
	tui_put(y, r.x + 2, inner, line, tui_attr(tui, TUI_ROLE_DIM));
}

static unsigned welcome_key(struct tui *tui, void *state, wint_t key, bool code)
{
	(void)state;
	const struct tui_key *k =
	    tui_keymap_find(&tui->keys, TUI_SCOPE_WELCOME, key, code);
	char summary[256] = "", err[512] = "";
	switch (k ? k->action : TUI_ACT_NONE) {
	case TUI_ACT_DEMO: {
		struct app_refusal why;
		if (!app_demo(&tui->app, NULL, summary, sizeof(summary),
		              &why)) {
			tui_status(tui, true, _("Demo data not loaded: %s"),
			           tui_refusal_text(&why, err, sizeof(err)));
			return TUI_HANDLED | TUI_REDRAW;
		}
		tui_desk_reload(tui);
		/* demo_fill's summary is English: the UI says it itself. */
		tui_status(tui, false,
		           _("Demo data loaded: %zu agents with their last "
		             "months' entries"),
		           tui->desk.agents.count);
		return TUI_HANDLED | TUI_CLOSE | TUI_REDRAW;
	}
	case TUI_ACT_AGENT_ADD:
		/* The form opens over the desk: the welcome is done. */
		tui_agent_form_open(tui, NULL);
		return TUI_HANDLED | TUI_CLOSE | TUI_REDRAW;
	case TUI_ACT_HELP:
		tui_help_open(tui);
		return TUI_HANDLED | TUI_REDRAW;
	case TUI_ACT_QUIT:
		return TUI_HANDLED | TUI_QUIT;
	case TUI_ACT_REDRAW:
		clearok(curscr, TRUE);
		return TUI_HANDLED | TUI_REDRAW;
	default:
		return 0;
	}
}

static void welcome_changed(struct tui *tui, void *state)
{
	(void)state;
	/* Another desk or the command line added agents meanwhile: the
	 * welcome has nothing left to offer, but only a key closes a screen,
	 * so it says so. */
	if (tui->desk.agents.count > 0)
		tui_status(tui, false,
		           _("Agents were added elsewhere; press a to add "
		             "another or q to quit and reopen"));
}

static const struct screen_ops welcome_screen = {
    /* The first start on an empty database. */
    .name = "welcome",
    /* Full screen: there is nothing on the desk yet. */
    .overlay = false,
    /* d demo, a add, ? help, q quit. */
    .scope = TUI_SCOPE_WELCOME,
    /* The choices. */
    .draw = welcome_draw,
    /* Loads the demo or opens the agent form. */
    .key = welcome_key,
    /* Notices agents added by someone else. */
    .changed = welcome_changed,
    /* No state. */
    .destroy = NULL,
};

bool tui_welcome_open(struct tui *tui)
{
	static int welcome_state;
	return tui_push(tui, &welcome_screen, &welcome_state);
}
