/* The one message table of refusals: each code's msgid comes from
 * APP_REFUSAL_LIST, goes through gettext, and has its {fields} filled in
 * here, so the command line and the desk word a refusal alike. */
#include <libintl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kpidesk/app.h"
#include "kpidesk/text.h"

#define APP_DOMAIN "kpidesk"

#ifndef KPIDESK_LOCALEDIR
#define KPIDESK_LOCALEDIR "/usr/local/share/locale"
#endif

static const struct {
	const char *name;
	int exit_status;
	const char *msgid;
} table[] = {
#define APP_CODE_ROW(name, exit_status, msgid) {#name, exit_status, msgid},
    APP_REFUSAL_LIST(APP_CODE_ROW)
#undef APP_CODE_ROW
};

#define CODE_COUNT (sizeof(table) / sizeof(table[0]))

const char *app_code_name(enum app_code code)
{
	return (size_t)code < CODE_COUNT ? table[code].name : "?";
}

int app_refusal_exit(const struct app_refusal *r)
{
	if (r->code == APP_OK)
		return 0;
	if (r->code == APP_FAILED)
		return r->status == KD_OK ? 1 : kd_status_exit_code(r->status);
	return (size_t)r->code < CODE_COUNT ? table[r->code].exit_status : 1;
}

void app_i18n_init(void)
{
	char exe[PATH_MAX];
	const char *dir = KPIDESK_LOCALEDIR;
	char local[PATH_MAX + 16];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			struct stat sb;
			*slash = '\0';
			snprintf(local, sizeof(local), "%s/po", exe);
			if (stat(local, &sb) == 0 && S_ISDIR(sb.st_mode))
				dir = local;
		}
	}
	bindtextdomain(APP_DOMAIN, dir);
	bind_textdomain_codeset(APP_DOMAIN, "UTF-8");
}

/* Appends s to buf at *used, cut to fit. */
static void put(char *buf, size_t size, size_t *used, const char *s)
{
	size_t len = strlen(s);
	if (*used + 1 >= size)
		return;
	if (len > size - *used - 1)
		len = size - *used - 1;
	memcpy(buf + *used, s, len);
	*used += len;
	buf[*used] = '\0';
}

/* The value of one {field} of the refusal, shown safely. */
static void field_value(const struct app_refusal *r, const char *name,
                        size_t name_len, char *out, size_t out_size)
{
#define IS(word)                                                               \
	(name_len == strlen(word) && strncmp(name, word, name_len) == 0)
	out[0] = '\0';
	if (IS("field"))
		/* The stored fields have names in the catalogue ("name");
		 * what a front end names itself ("--date") stays. */
		text_sanitize(out, out_size,
		              r->field && r->field[0]
		                  ? dgettext(APP_DOMAIN, r->field)
		                  : "");
	else if (IS("text"))
		text_sanitize(out, out_size, r->text);
	else if (IS("agent"))
		text_sanitize(out, out_size, r->agent);
	else if (IS("path"))
		text_sanitize(out, out_size, r->path);
	else if (IS("detail"))
		text_sanitize(out, out_size, r->detail);
	else if (IS("kind"))
		snprintf(out, out_size, "%s",
		         r->kind ? dgettext(APP_DOMAIN, r->kind) : "");
	else if (IS("month"))
		month_format(out, out_size, r->month);
	else if (IS("date"))
		date_format(out, out_size, r->date);
	else if (IS("date2"))
		date_format(out, out_size, r->date2);
	else if (IS("id"))
		snprintf(out, out_size, "%lld", (long long)r->id);
	else if (IS("count"))
		snprintf(out, out_size, "%lld", (long long)r->count);
	else if (IS("max"))
		snprintf(out, out_size, "%lld", (long long)r->max);
	else if (IS("pos"))
		snprintf(out, out_size, "%zu", r->position);
	else if (IS("char")) {
		const char *cname = text_char_name(r->cp);
		snprintf(out, out_size, "U+%04X (%s)", (unsigned)r->cp,
		         cname ? cname : "?");
	}
#undef IS
}

char *app_refusal_text(const struct app_refusal *r, char *buf, size_t size)
{
	if (size == 0)
		return buf;
	buf[0] = '\0';
	if ((size_t)r->code >= CODE_COUNT || r->code == APP_OK)
		return buf;
	const char *msg = dgettext(APP_DOMAIN, table[r->code].msgid);
	size_t used = 0;
	char value[APP_TEXT_FIELD * 4 + 64];
	while (*msg) {
		const char *open = strchr(msg, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		if (!open || !close) {
			put(buf, size, &used, msg);
			break;
		}
		char lit[512];
		size_t lit_len = (size_t)(open - msg);
		if (lit_len >= sizeof(lit))
			lit_len = sizeof(lit) - 1;
		memcpy(lit, msg, lit_len);
		lit[lit_len] = '\0';
		put(buf, size, &used, lit);
		field_value(r, open + 1, (size_t)(close - open - 1), value,
		            sizeof(value));
		put(buf, size, &used, value);
		msg = close + 1;
	}
	if (r->code == APP_FAILED && !buf[0])
		snprintf(buf, size, "%s", kd_status_message(r->status));
	return buf;
}
