/* The screen manager: the terminal, the loop, the stack of screens, and
 * the drawing every screen shares. Only this file lays out and resizes
 * (STYLE.md practice 2); only this file talks to the terminal's state.
 *
 * Signals only set flags (practice 4): SIGTERM, SIGHUP and SIGINT end the
 * loop, which restores the terminal like a normal quit; SIGUSR1 asks for a
 * rulebook reload. Resizes arrive as KEY_RESIZE from get_wch.
 */
#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "kpidesk/config.h"
#include "kpidesk/text.h"
#include "tui_internal.h"

/* Last: its capability macros (lines, columns, ...) must not reach the
 * headers above. */
#include <term.h>

static volatile sig_atomic_t quit_signal;
static volatile sig_atomic_t reload_signal;

static void on_quit_signal(int sig)
{
	quit_signal = sig;
}

static void on_reload_signal(int sig)
{
	(void)sig;
	reload_signal = 1;
}

static const int quit_signals[] = {SIGTERM, SIGHUP, SIGINT};
#define QUIT_SIGNALS (sizeof(quit_signals) / sizeof(quit_signals[0]))

struct saved_signals {
	struct sigaction quit[QUIT_SIGNALS];
	struct sigaction reload;
};

/* Installed before newterm(), so ncurses keeps ours instead of its own
 * SIGINT/SIGTERM handlers (it only replaces SIG_DFL). No SA_RESTART: a
 * signal wakes get_wch at once. */
static void signals_install(struct saved_signals *saved)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_quit_signal;
	quit_signal = 0;
	reload_signal = 0;
	for (size_t i = 0; i < QUIT_SIGNALS; i++)
		sigaction(quit_signals[i], &sa, &saved->quit[i]);
	sa.sa_handler = on_reload_signal;
	sigaction(SIGUSR1, &sa, &saved->reload);
}

static void signals_restore(const struct saved_signals *saved)
{
	for (size_t i = 0; i < QUIT_SIGNALS; i++)
		sigaction(quit_signals[i], &saved->quit[i], NULL);
	sigaction(SIGUSR1, &saved->reload, NULL);
}

/* ---- status line ---- */

void tui_status(struct tui *tui, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tui->status, sizeof(tui->status), fmt, ap);
	va_end(ap);
	/* Control characters (a line break in a rulebook error) would break
	 * the line; show them as spaces. */
	for (char *p = tui->status; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	tui->status_error = error;
	tui->status_at = clock_now();
	tui->status_serial++;
}

void tui_status_store(struct tui *tui, enum kd_status status)
{
	struct app_refusal why;
	char text[TUI_STATUS_SIZE];
	app_failure(&tui->app, status, &why);
	tui_status(tui, true, _("Database error: %s"),
	           tui_refusal_text(&why, text, sizeof(text)));
}

void tui_status_refusal(struct tui *tui, const struct app_refusal *why)
{
	char text[TUI_STATUS_SIZE];
	tui_refusal_text(why, text, sizeof(text));
	if (why->code == APP_FAILED)
		tui_status(tui, true, _("Database error: %s"), text);
	else
		tui_status(tui, true, "%s", text);
}

/* ---- colours ---- */

enum {
	PAIR_TITLE = 1,
	PAIR_FOCUS,
	PAIR_MINUS,
	PAIR_PLUS,
	PAIR_ERROR,
	PAIR_OK,
	PAIR_KEYBAR,
	PAIR_HEADER,
	PAIR_DIM,
	PAIR_WARN
};

static void colours_init(struct tui *tui)
{
	const char *no_color = getenv("NO_COLOR");
	tui->colour = false;
	/* https://no-color.org: set and not empty means no colour at all. */
	if (no_color && no_color[0])
		return;
	if (!has_colors() || start_color() == ERR)
		return;
	short bg = COLOR_BLACK;
	if (use_default_colors() == OK)
		bg = -1;
	init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
	init_pair(PAIR_FOCUS, COLOR_YELLOW, bg);
	init_pair(PAIR_MINUS, COLOR_RED, bg);
	init_pair(PAIR_PLUS, COLOR_GREEN, bg);
	init_pair(PAIR_ERROR, COLOR_WHITE, COLOR_RED);
	init_pair(PAIR_OK, COLOR_GREEN, bg);
	init_pair(PAIR_KEYBAR, COLOR_BLACK, COLOR_CYAN);
	init_pair(PAIR_HEADER, COLOR_CYAN, bg);
	init_pair(PAIR_DIM, COLOR_WHITE, bg);
	init_pair(PAIR_WARN, COLOR_YELLOW, bg);
	tui->colour = true;
}

attr_t tui_attr(const struct tui *tui, enum tui_role role)
{
	/* Monochrome: attributes only, so nothing depends on colour. */
	static const attr_t mono[TUI_ROLE_COUNT] = {
	    [TUI_ROLE_NORMAL] = A_NORMAL,
	    [TUI_ROLE_TITLE] = A_REVERSE | A_BOLD,
	    [TUI_ROLE_BORDER] = A_NORMAL,
	    [TUI_ROLE_FOCUS] = A_BOLD,
	    [TUI_ROLE_SELECTED] = A_REVERSE,
	    [TUI_ROLE_MINUS] = A_NORMAL,
	    [TUI_ROLE_PLUS] = A_NORMAL,
	    [TUI_ROLE_DIM] = A_DIM,
	    [TUI_ROLE_ERROR] = A_BOLD | A_REVERSE,
	    [TUI_ROLE_OK] = A_BOLD,
	    [TUI_ROLE_KEYBAR] = A_REVERSE,
	    [TUI_ROLE_HEADER] = A_BOLD,
	    [TUI_ROLE_GOOD] = A_NORMAL,
	    [TUI_ROLE_BAD] = A_BOLD,
	    [TUI_ROLE_WARN] = A_BOLD,
	};
	if ((unsigned)role >= TUI_ROLE_COUNT)
		return A_NORMAL;
	if (!tui->colour)
		return mono[role];
	switch (role) {
	case TUI_ROLE_TITLE:
		return COLOR_PAIR(PAIR_TITLE) | A_BOLD;
	case TUI_ROLE_FOCUS:
		return COLOR_PAIR(PAIR_FOCUS) | A_BOLD;
	case TUI_ROLE_MINUS:
		return COLOR_PAIR(PAIR_MINUS);
	case TUI_ROLE_PLUS:
		return COLOR_PAIR(PAIR_PLUS);
	case TUI_ROLE_ERROR:
		return COLOR_PAIR(PAIR_ERROR) | A_BOLD;
	case TUI_ROLE_OK:
		return COLOR_PAIR(PAIR_OK) | A_BOLD;
	case TUI_ROLE_KEYBAR:
		return COLOR_PAIR(PAIR_KEYBAR);
	case TUI_ROLE_HEADER:
		return COLOR_PAIR(PAIR_HEADER) | A_BOLD;
	case TUI_ROLE_DIM:
		return COLOR_PAIR(PAIR_DIM) | A_DIM;
	case TUI_ROLE_GOOD:
		return COLOR_PAIR(PAIR_PLUS) | A_BOLD;
	case TUI_ROLE_BAD:
		return COLOR_PAIR(PAIR_MINUS) | A_BOLD;
	case TUI_ROLE_WARN:
		return COLOR_PAIR(PAIR_WARN) | A_BOLD;
	default:
		return mono[role];
	}
}

/* ---- ambiguous width ---- */

/* The terminal shows East Asian ambiguous-width characters (box lines,
 * ▲▼…×→) in two cells: every such character is drawn as a one-cell ASCII
 * mark, and lines as + - |. */
static bool ambi_wide;
static bool ambi_ascii_lines;

/* The ASCII stand-in of an ambiguous-width code point, 0 when cp is not
 * one this program or its data are likely to show. Letters (Greek,
 * Cyrillic, accented Latin) are left alone: they are names. */
static char ambiguous_ascii(uint32_t cp)
{
	switch (cp) {
	case 0x00A7:
		return 'S';
	case 0x00B0:
		return 'o';
	case 0x00B1:
		return '+';
	case 0x00B7:
		return '.';
	case 0x00D7:
		return 'x';
	case 0x00F7:
		return '/';
	case 0x2010:
	case 0x2013:
	case 0x2014:
	case 0x2015:
		return '-';
	case 0x2016:
		return '|';
	case 0x2018:
	case 0x2019:
		return '\'';
	case 0x201C:
	case 0x201D:
		return '"';
	case 0x2020:
	case 0x2021:
	case 0x203B:
		return '*';
	case 0x2022:
	case 0x2024:
	case 0x2027:
		return '.';
	case 0x2025:
		return ':';
	case 0x2026:
		return '~';
	case 0x2030:
		return '%';
	case 0x2032:
		return '\'';
	case 0x2033:
		return '"';
	case 0x20AC:
		return 'E';
	case 0x2103:
		return 'C';
	case 0x2190:
		return '<';
	case 0x2191:
		return '^';
	case 0x2192:
		return '>';
	case 0x2193:
		return 'v';
	case 0x2194:
		return '-';
	case 0x21D2:
		return '>';
	case 0x2264:
		return '<';
	case 0x2265:
		return '>';
	case 0x2260:
		return '#';
	case 0x221A:
		return 'v';
	case 0x221E:
		return '8';
	case 0x25B2:
	case 0x25B3:
		return '^';
	case 0x25BC:
	case 0x25BD:
		return 'v';
	case 0x25B6:
	case 0x25B7:
		return '>';
	case 0x25C0:
	case 0x25C1:
		return '<';
	case 0x2588:
		return '#';
	default:
		break;
	}
	if (cp >= 0x2500 && cp <= 0x257F) {
		/* Box drawing: the horizontal ones, the vertical ones, the
		 * corners and crossings. */
		if (cp == 0x2500 || cp == 0x2501 || cp == 0x2550 ||
		    (cp >= 0x2504 && cp <= 0x2505) ||
		    (cp >= 0x2508 && cp <= 0x2509))
			return '-';
		if (cp == 0x2502 || cp == 0x2503 || cp == 0x2551 ||
		    (cp >= 0x2506 && cp <= 0x2507) ||
		    (cp >= 0x250A && cp <= 0x250B))
			return '|';
		return '+';
	}
	if (cp >= 0x2581 && cp <= 0x2583)
		return '_';
	if (cp >= 0x2584 && cp <= 0x2587)
		return '=';
	if (cp >= 0x2589 && cp <= 0x259F)
		return '#';
	if (cp >= 0x25A0 && cp <= 0x25FF)
		return '*';
	if (cp >= 0x2460 && cp <= 0x24FF)
		return '#';
	if ((cp >= 0x2600 && cp <= 0x266F) || (cp >= 0xE000 && cp <= 0xF8FF) ||
	    cp == 0xFFFD)
		return '?';
	return 0;
}

/* text with every ambiguous-width character made ASCII, into buf. */
static const char *ambiguous_filter(const char *text, char *buf, size_t size)
{
	size_t o = 0, len = strlen(text);
	for (size_t i = 0; i < len && o + 5 < size;) {
		uint32_t cp = 0;
		size_t n = text_decode(text + i, len - i, &cp);
		if (n == 0)
			n = 1;
		char c = ambiguous_ascii(cp);
		if (c) {
			buf[o++] = c;
		} else {
			memcpy(buf + o, text + i, n);
			o += n;
		}
		i += n;
	}
	buf[o] = '\0';
	return buf;
}

bool tui_ambiguous_wide(void)
{
	return ambi_wide;
}

/* How many cells the terminal gives an ambiguous-width character, the way
 * vim finds out: one (U+2500) is written at the start of the line and the
 * terminal is asked where the cursor is (CSI 6n). No answer within the
 * timeout: one cell. The probe is erased again. */
static int ambiwidth_ask(void)
{
	struct termios old, raw;
	if (tcgetattr(STDIN_FILENO, &old) != 0)
		return 1;
	raw = old;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) != 0)
		return 1;
	static const char probe[] = "\r\xe2\x94\x80\033[6n";
	int width = 1;
	if (write(STDOUT_FILENO, probe, sizeof(probe) - 1) ==
	    (ssize_t)(sizeof(probe) - 1)) {
		char ans[64];
		size_t got = 0;
		struct timespec start;
		clock_gettime(CLOCK_MONOTONIC, &start);
		for (;;) {
			struct timespec now;
			clock_gettime(CLOCK_MONOTONIC, &now);
			long ms = (now.tv_sec - start.tv_sec) * 1000 +
			          (now.tv_nsec - start.tv_nsec) / 1000000;
			if (ms >= 500 || got + 1 >= sizeof(ans))
				break;
			struct pollfd pfd = {.fd = STDIN_FILENO,
			                     .events = POLLIN};
			if (poll(&pfd, 1, (int)(500 - ms)) <= 0)
				break;
			ssize_t r = read(STDIN_FILENO, ans + got,
			                 sizeof(ans) - 1 - got);
			if (r <= 0)
				break;
			got += (size_t)r;
			ans[got] = '\0';
			if (strchr(ans, 'R'))
				break;
		}
		ans[got] = '\0';
		/* ESC [ row ; col R */
		const char *p = strstr(ans, "\033[");
		int row = 0, col = 0;
		if (p && sscanf(p + 2, "%d;%dR", &row, &col) == 2 && col == 3)
			width = 2;
		static const char erase[] = "\r\033[K";
		if (write(STDOUT_FILENO, erase, sizeof(erase) - 1) < 0) {
			/* Nothing to do: the desk clears the screen next. */
		}
	}
	tcsetattr(STDIN_FILENO, TCSANOW, &old);
	return width;
}

/* 1 or 2 from --ambiwidth, else KPIDESK_AMBIWIDTH, else 0 (ask); -1 for a
 * bad KPIDESK_AMBIWIDTH. */
static int ambiwidth_forced(const struct tui *tui)
{
	if (tui->opt.ambiwidth == 1 || tui->opt.ambiwidth == 2)
		return tui->opt.ambiwidth;
	const char *env = getenv("KPIDESK_AMBIWIDTH");
	if (!env || !env[0])
		return 0;
	if (!strcmp(env, "1") || !strcmp(env, "2"))
		return env[0] - '0';
	return -1;
}

void tui_hline(int y, int x, int n)
{
	mvhline(y, x, ambi_ascii_lines ? '-' : ACS_HLINE, n);
}

void tui_vline(int y, int x, int n)
{
	mvvline(y, x, ambi_ascii_lines ? '|' : ACS_VLINE, n);
}

/* ---- drawing helpers ---- */

void tui_put(int y, int x, size_t cells, const char *text, attr_t attr)
{
	char buf[1024] = "", ascii[1024];
	if (cells == 0 || y < 0 || x < 0)
		return;
	if (cells > 400)
		cells = 400;
	if (ambi_wide && text)
		text = ambiguous_filter(text, ascii, sizeof(ascii));
	text_pad(buf, sizeof(buf), text ? text : "", cells, false);
	/* The bottom-right cell cannot be written without scrolling on some
	 * terminals: the last line stops one short. */
	int len = (int)strlen(buf);
	if (y == LINES - 1 && x + (int)cells >= COLS)
		len = (int)text_fit(buf, (size_t)(COLS - 1 - x), NULL);
	attron(attr);
	mvaddnstr(y, x, buf, len);
	attroff(attr);
}

void tui_box(const struct tui *tui, const struct tui_rect *r, const char *title,
             bool focus)
{
	if (r->h < 2 || r->w < 2)
		return;
	attr_t a = tui_attr(tui, focus ? TUI_ROLE_FOCUS : TUI_ROLE_BORDER);
	bool ascii = ambi_ascii_lines;
	attron(a);
	mvaddch(r->y, r->x, ascii ? '+' : ACS_ULCORNER);
	tui_hline(r->y, r->x + 1, r->w - 2);
	mvaddch(r->y, r->x + r->w - 1, ascii ? '+' : ACS_URCORNER);
	tui_vline(r->y + 1, r->x, r->h - 2);
	tui_vline(r->y + 1, r->x + r->w - 1, r->h - 2);
	mvaddch(r->y + r->h - 1, r->x, ascii ? '+' : ACS_LLCORNER);
	tui_hline(r->y + r->h - 1, r->x + 1, r->w - 2);
	mvaddch(r->y + r->h - 1, r->x + r->w - 1, ascii ? '+' : ACS_LRCORNER);
	attroff(a);
	if (title && r->w > 6) {
		/* The focused pane's title is bracketed, so it shows without
		 * colour or bold too. */
		char text[256];
		snprintf(text, sizeof(text), focus ? "[%s]" : " %s ", title);
		size_t cells = text_width(text);
		if (cells > (size_t)r->w - 4)
			cells = (size_t)r->w - 4;
		tui_put(r->y, r->x + 1, cells, text,
		        focus ? tui_attr(tui, TUI_ROLE_FOCUS) | A_REVERSE
		              : tui_attr(tui, TUI_ROLE_HEADER));
	}
}

struct tui_rect tui_dialog(const struct tui *tui, int h, int w,
                           const char *title)
{
	const struct tui_layout *l = &tui->layout;
	if (w > l->cols - 2)
		w = l->cols - 2;
	if (h > l->rows - 2)
		h = l->rows - 2;
	struct tui_rect r = {
	    .y = (l->rows - h) / 2, .x = (l->cols - w) / 2, .h = h, .w = w};
	for (int y = r.y; y < r.y + r.h; y++)
		tui_put(y, r.x, (size_t)r.w, "", A_NORMAL);
	tui_box(tui, &r, title, true);
	return r;
}

static const char *weekday_name(kd_date date)
{
	static const char *const names[] = {N_("Mon"), N_("Tue"), N_("Wed"),
	                                    N_("Thu"), N_("Fri"), N_("Sat"),
	                                    N_("Sun")};
	return _(names[date_weekday(date)]);
}

static void draw_title(struct tui *tui)
{
	const struct tui_desk *d = &tui->desk;
	char date[16], month[16], clock[16], line[512];
	time_t now = clock_now();
	struct tm tm;
	localtime_r(&now, &tm);
	snprintf(clock, sizeof(clock), "%02d:%02d", tm.tm_hour, tm.tm_min);
	date_format(date, sizeof(date), d->log_date);
	month_format(month, sizeof(month), date_month(d->log_date));
	snprintf(line, sizeof(line),
	         " kpidesk \xe2\x94\x80 %s \xe2\x94\x80 %s %s%s \xe2\x94\x80 "
	         "%s (%s)",
	         tui->rb && tui->rb->team_name ? tui->rb->team_name : "", date,
	         weekday_name(d->log_date),
	         d->log_date != d->today ? _(" [back-fill]") : "", month,
	         d->log_closed ? _("closed") : _("open"));
	const struct tui_rect *r = &tui->layout.title;
	attr_t a = tui_attr(tui, TUI_ROLE_TITLE);
	size_t clock_cells = text_width(clock) + 1;
	size_t w = (size_t)r->w;
	tui_put(r->y, r->x, w > clock_cells ? w - clock_cells : w, line, a);
	if (w > clock_cells)
		tui_put(r->y, r->x + (int)(w - clock_cells), clock_cells, clock,
		        a);
}

void tui_draw_frame(struct tui *tui, unsigned scope)
{
	const struct tui_layout *l = &tui->layout;
	char bar[1024];
	draw_title(tui);
	tui_put(l->status.y, l->status.x, (size_t)l->status.w, tui->status,
	        tui->status_error ? tui_attr(tui, TUI_ROLE_ERROR)
	                          : tui_attr(tui, TUI_ROLE_OK));
	struct tui_bar_options opt = {.hits = tui->bar_hits,
	                              .hit_cap = sizeof(tui->bar_hits) /
	                                         sizeof(tui->bar_hits[0])};
	if (tui->depth > 0) {
		const struct tui_frame *top = &tui->stack[tui->depth - 1];
		if (top->ops->bar)
			top->ops->bar(tui, top->state, &opt);
	}
	tui_keymap_bar(&tui->keys, scope, (size_t)l->keybar.w - 2, &opt, bar,
	               sizeof(bar));
	tui->bar_hit_count = opt.hit_count;
	char line[1100];
	snprintf(line, sizeof(line), " %s", bar);
	tui_put(l->keybar.y, l->keybar.x, (size_t)l->keybar.w, line,
	        tui_attr(tui, TUI_ROLE_KEYBAR));
}

static void draw_too_small(struct tui *tui)
{
	char line[256];
	int rows = tui->layout.rows, cols = tui->layout.cols;
	const char *head = _("Terminal too small");
	snprintf(line, sizeof(line), _("%dx%d, needs at least %dx%d"), cols,
	         rows, TUI_MIN_COLS, TUI_MIN_ROWS);
	int y = rows / 2 - 1;
	if (y < 0)
		y = 0;
	size_t w = (size_t)(cols > 0 ? cols : 1);
	size_t hw = text_width(head), lw = text_width(line);
	tui_put(y, hw < w ? (int)(w - hw) / 2 : 0, hw < w ? hw : w, head,
	        A_BOLD);
	if (y + 1 < rows)
		tui_put(y + 1, lw < w ? (int)(w - lw) / 2 : 0, lw < w ? lw : w,
		        line, A_NORMAL);
}

static void draw_all(struct tui *tui)
{
	tui->drawn_minute = clock_now() / 60;
	erase();
	tui->cursor_on = false;
	if (tui->layout.mode == TUI_LAYOUT_TOO_SMALL || tui->depth == 0) {
		draw_too_small(tui);
	} else {
		/* From the topmost full screen up through its overlays. */
		size_t base = tui->depth - 1;
		while (base > 0 && tui->stack[base].ops->overlay)
			base--;
		tui_draw_frame(tui, tui->stack[tui->depth - 1].ops->scope);
		for (size_t i = base; i < tui->depth; i++)
			tui->stack[i].ops->draw(tui, tui->stack[i].state);
	}
	/* A closed pop-up: what ncurses believes the terminal shows and what
	 * it shows may differ where the pop-up's edge cut a double-width
	 * character (the terminal blanked both its cells). Every line is sent
	 * again, so the screen beneath comes back exactly. */
	if (tui->repaint) {
		redrawwin(stdscr);
		tui->repaint = false;
	}
	if (tui->cursor_on) {
		curs_set(1);
		move(tui->cursor_y, tui->cursor_x);
	} else {
		curs_set(0);
	}
	refresh();
}

static void relayout(struct tui *tui)
{
	tui_layout_compute(LINES, COLS, &tui->layout);
}

/* ---- the stack ---- */

bool tui_push(struct tui *tui, const struct screen_ops *ops, void *state)
{
	if (tui->depth >= TUI_STACK_MAX) {
		if (ops->destroy)
			ops->destroy(tui, state, true);
		tui_status(tui, true, _("Too many screens open"));
		return false;
	}
	tui->stack[tui->depth++] = (struct tui_frame){ops, state};
	return true;
}

/* Closes the screen whose state is `state`, wherever it is on the stack
 * (a prompt may have opened the next one before asking to close). */
static void close_screen(struct tui *tui, void *state, bool cancelled)
{
	for (size_t i = tui->depth; i-- > 0;) {
		if (tui->stack[i].state != state)
			continue;
		struct tui_frame f = tui->stack[i];
		memmove(&tui->stack[i], &tui->stack[i + 1],
		        (tui->depth - i - 1) * sizeof(tui->stack[0]));
		tui->depth--;
		tui->repaint = true;
		if (f.ops->destroy)
			f.ops->destroy(tui, f.state, cancelled);
		return;
	}
}

void tui_changed(struct tui *tui)
{
	for (size_t i = 0; i < tui->depth; i++)
		if (tui->stack[i].ops->changed)
			tui->stack[i].ops->changed(tui, tui->stack[i].state);
}

/* ---- start, loop, end ---- */

static bool load_rulebook(struct tui *tui, char *err, size_t err_size)
{
	struct config_errors errors = {0};
	enum kd_status status =
	    app_rulebook_load(tui->opt.config_path, &tui->rb, &errors);
	tui->app.rb = tui->rb;
	if (status != KD_OK)
		snprintf(err, err_size, "%s",
		         errors.count ? errors.messages[0]
		                      : tui_status_text(status));
	config_errors_finish(&errors);
	return status == KD_OK;
}

/* A mouse event: a click on the key bar is its key; anything else goes
 * to the screen on top. */
static unsigned mouse_event(struct tui *tui, wint_t *key, bool *code)
{
	MEVENT ev;
	if (getmouse(&ev) != OK)
		return 0;
	const struct tui_layout *l = &tui->layout;
	if ((ev.bstate & TUI_MOUSE_CLICK) && ev.y == l->keybar.y) {
		for (size_t i = 0; i < tui->bar_hit_count; i++) {
			const struct tui_bar_hit *h = &tui->bar_hits[i];
			int from = l->keybar.x + 1 + (int)h->from;
			int to = l->keybar.x + 1 + (int)h->to;
			if (ev.x >= from && ev.x < to) {
				*key = h->key;
				*code = h->code;
				return TUI_HANDLED; /* dispatched as the key */
			}
		}
		return 0;
	}
	struct tui_frame top = tui->stack[tui->depth - 1];
	if (!top.ops->mouse)
		return 0;
	return top.ops->mouse(tui, top.state, &ev);
}

static void loop(struct tui *tui)
{
	bool redraw = true;
	while (!quit_signal && tui->depth > 0) {
		if (reload_signal) {
			reload_signal = 0;
			tui_reload_rulebook(tui);
			tui_changed(tui);
			redraw = true;
		}
		if (redraw)
			draw_all(tui);
		redraw = false;
		wint_t ch = 0;
		int r = get_wch(&ch);
		if (quit_signal)
			break;
		if (r == ERR) {
			/* A tick: drawn again only when something shown
			 * changed (the data, the status line, the clock's
			 * minute), not four times a second. */
			unsigned serial = tui->status_serial;
			unsigned flags = tui_desk_tick(tui);
			/* ... or after a while without keys. */
			if (tui->status[0] &&
			    clock_now() - tui->status_at >= TUI_STATUS_FADE_S) {
				tui->status[0] = '\0';
				redraw = true;
			}
			if (flags & TUI_REDRAW) {
				tui_changed(tui);
				redraw = true;
			}
			if (serial != tui->status_serial ||
			    clock_now() / 60 != tui->drawn_minute)
				redraw = true;
			continue;
		}
		bool code = r == KEY_CODE_YES;
		if (code && ch == KEY_RESIZE) {
			relayout(tui);
			redraw = true;
			continue;
		}
		/* A message fades at the next key (the key may say
		 * something new). */
		bool had_status = tui->status[0] != '\0';
		unsigned serial = tui->status_serial;
		tui->status[0] = '\0';
		tui->status_error = false;
		struct tui_frame top = tui->stack[tui->depth - 1];
		unsigned flags;
		if (code && ch == KEY_MOUSE) {
			wint_t key = 0;
			bool kcode = false;
			flags = mouse_event(tui, &key, &kcode);
			if (key)
				flags =
				    top.ops->key(tui, top.state, key, kcode);
		} else {
			tui_key_normalise(&ch, &code);
			flags = top.ops->key(tui, top.state, ch, code);
		}
		if (flags & TUI_QUIT)
			break;
		if (flags & TUI_CLOSE)
			close_screen(tui, top.state, false);
		/* The handler's reaction says whether the screen changed;
		 * the status line may have too. */
		redraw = (flags & (TUI_REDRAW | TUI_CLOSE)) || had_status ||
		         serial != tui->status_serial;
	}
}

/* newterm() refuses an unknown terminal without exiting (initscr would
 * exit the process). */
static bool terminal_open(struct tui *tui, char *err, size_t err_size)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, err_size,
		         "the shift desk needs a terminal (standard input "
		         "and output are not one); the command line works "
		         "without it (kpidesk --help)");
		return false;
	}
	const char *term = getenv("TERM");
	if (!term || !term[0]) {
		snprintf(err, err_size,
		         "TERM is not set: the shift desk needs to know the "
		         "terminal (try TERM=xterm-256color); the command "
		         "line works without it (kpidesk --help)");
		return false;
	}
	/* setupterm() first: it refuses an unknown type without the leak a
	 * failed newterm() leaves behind (ncurses 6.4). */
	int term_err = 0;
	bool known = setupterm(term, STDOUT_FILENO, &term_err) == OK;
	bool addressing = false;
	if (known) {
		/* A terminal that cannot move the cursor (TERM=dumb) cannot
		 * show the desk: refused like an unknown one. */
		const char *cup = tigetstr("cup");
		addressing = cup && cup != (const char *)-1;
		del_curterm(cur_term);
	}
	if (known && !addressing) {
		snprintf(err, err_size,
		         "the terminal type '%s' (TERM) cannot move the "
		         "cursor, which the shift desk needs: try "
		         "TERM=xterm-256color; the command line works without "
		         "it (kpidesk --help)",
		         term);
		return false;
	}
	if (known) {
		int forced = ambiwidth_forced(tui);
		if (forced < 0) {
			snprintf(err, err_size,
			         "KPIDESK_AMBIWIDTH='%s' is neither 1 nor 2 "
			         "(cells of an ambiguous-width character)",
			         getenv("KPIDESK_AMBIWIDTH"));
			return false;
		}
		ambi_wide = (forced ? forced : ambiwidth_ask()) == 2;
		/* ASCII lines even where ncurses would use the terminal's
		 * line-drawing set: xterm -cjk_width maps that set to the
		 * box-drawing characters and shows them two cells wide too
		 * (seen under Xvfb); U8 terminals get Unicode from ncurses. */
		ambi_ascii_lines = ambi_wide;
		tui->screen = newterm(term, stdout, stdin);
	}
	if (!tui->screen) {
		snprintf(err, err_size,
		         "the terminal type '%s' (TERM) is unknown here: try "
		         "TERM=xterm-256color; the command line works without "
		         "it (kpidesk --help)",
		         term);
		return false;
	}
	set_term(tui->screen);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	timeout(TUI_TICK_MS);
	curs_set(0);
	if (!tui->opt.no_mouse) {
		/* Clicks at once (no waiting to tell a double click). */
		mousemask(TUI_MOUSE_CLICK | TUI_WHEEL_UP | TUI_WHEEL_DOWN,
		          NULL);
		mouseinterval(0);
	}
	colours_init(tui);
	relayout(tui);
	return true;
}

static void terminal_close(struct tui *tui)
{
	if (!tui->screen)
		return;
	endwin();
	delscreen(tui->screen);
	tui->screen = NULL;
}

/* The person the audit names: the rulebook's [team] lead, else the
 * login name. */
static void actor_name(const struct tui *tui, char *buf, size_t size)
{
	if (tui->rb && tui->rb->lead_name && tui->rb->lead_name[0]) {
		snprintf(buf, size, "%s", tui->rb->lead_name);
	} else {
		const struct passwd *pw = getpwuid(getuid());
		snprintf(buf, size, "%s",
		         pw && pw->pw_name ? pw->pw_name : "desk");
	}
}

void tui_set_actor(struct tui *tui)
{
	char actor[128];
	actor_name(tui, actor, sizeof(actor));
	app_set_actor(&tui->app, actor);
}

int tui_run(const struct tui_options *options)
{
	struct tui *tui = calloc(1, sizeof(*tui));
	struct saved_signals saved;
	char err[1024] = "";
	int rc = 0;
	if (!tui) {
		fputs("kpidesk: out of memory\n", stderr);
		return 1;
	}
	tui->opt = *options;
	tui_i18n_init();
	signals_install(&saved);

	if (!load_rulebook(tui, err, sizeof(err))) {
		rc = 2;
		goto out;
	}
	if (!terminal_open(tui, err, sizeof(err))) {
		rc = 2;
		goto out;
	}
	/* Every write, the first included, names the person. */
	char actor[128];
	actor_name(tui, actor, sizeof(actor));
	tui->app.db_path = strdup(tui->opt.db_path);
	tui->app.config_path =
	    tui->opt.config_path ? strdup(tui->opt.config_path) : NULL;
	enum kd_status status =
	    tui->app.db_path
	        ? app_open_store(&tui->app, actor, err, sizeof(err))
	        : KD_ERR_NOMEM;
	if (status != KD_OK) {
		rc = kd_status_exit_code(status);
		goto out;
	}
	app_data_version(&tui->app, &tui->data_version);
	if (!tui_keymap_build(&tui->keys, tui->rb)) {
		snprintf(err, sizeof(err), "%s", _("out of memory"));
		rc = 1;
		goto out;
	}
	tui->desk.today = clock_today();
	tui->desk.log_date = tui->desk.today;
	tui->desk.board_month = date_month(tui->desk.today);
	tui_desk_reload(tui);
	tui_push(tui, &tui_desk_screen, &tui->desk);
	bool empty = false;
	struct app_refusal why;
	if (app_is_empty(&tui->app, &empty, &why) && empty)
		tui_welcome_open(tui);
	loop(tui);

out:
	/* Screens first (they may hold data), then the terminal, then the
	 * message: it must land on a restored terminal (practice 7). */
	while (tui->depth > 0)
		close_screen(tui, tui->stack[tui->depth - 1].state, true);
	terminal_close(tui);
	signals_restore(&saved);
	if (err[0])
		fprintf(stderr, "kpidesk: %s\n", err);
	tui_desk_finish(&tui->desk);
	tui_keymap_finish(&tui->keys);
	tui->app.rb = tui->rb; /* app_finish destroys it */
	app_finish(&tui->app);
	free(tui);
	return rc;
}
