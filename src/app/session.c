/* The session: opening the database, loading and reloading the rulebook,
 * the checks every use case shares. */
#include <stdlib.h>
#include <string.h>

#include "app_internal.h"
#include "kpidesk/config.h"
#include "kpidesk/text.h"

struct app_refusal *app_refuse(struct app_refusal *why, enum app_code code)
{
	memset(why, 0, sizeof(*why));
	why->code = code;
	return why;
}

void app_copy(char *dst, size_t size, const char *s)
{
	snprintf(dst, size, "%s", s ? s : "");
}

bool app_store_failed(struct app *app, enum kd_status status,
                      struct app_refusal *why)
{
	app_refuse(why, APP_FAILED);
	why->status = status;
	const char *msg = app->st ? store_last_error(app->st) : "";
	app_copy(why->detail, sizeof(why->detail),
	         msg && msg[0] ? msg : kd_status_message(status));
	return false;
}

bool app_failure(struct app *app, enum kd_status status,
                 struct app_refusal *why)
{
	return app_store_failed(app, status, why);
}

bool app_begin(struct app *app, struct app_refusal *why)
{
	enum kd_status status = store_begin_batch(app->st);
	return status == KD_OK ? true : app_store_failed(app, status, why);
}

bool app_commit(struct app *app, struct app_refusal *why)
{
	enum kd_status status = store_commit_batch(app->st);
	if (status == KD_OK)
		return true;
	app_store_failed(app, status, why);
	store_rollback_batch(app->st);
	return false;
}

bool app_rollback(struct app *app)
{
	store_rollback_batch(app->st);
	return false;
}

bool app_month_open(struct app *app, kd_month month, struct app_refusal *why)
{
	struct store_month info;
	enum kd_status status = store_month_get(app->st, month, &info);
	if (status != KD_OK)
		return app_store_failed(app, status, why);
	if (info.closed) {
		app_refuse(why, APP_MONTH_CLOSED)->month = month;
		return false;
	}
	return true;
}

bool app_check_text(const char *field, const char *text, size_t max_bytes,
                    bool allow_blank, struct app_refusal *why)
{
	size_t len = strlen(text);
	uint32_t cp;
	size_t position;
	if (!text_is_utf8(text, len)) {
		app_refuse(why, APP_TEXT_UTF8)->field = field;
		return false;
	}
	if (text_find_hidden(text, &cp, &position)) {
		app_refuse(why, APP_TEXT_HIDDEN)->field = field;
		why->cp = cp;
		why->position = position;
		return false;
	}
	if (!allow_blank && text_is_blank(text)) {
		app_refuse(why, APP_TEXT_EMPTY)->field = field;
		return false;
	}
	if (len > max_bytes) {
		app_refuse(why, APP_TEXT_LONG)->field = field;
		why->count = (int64_t)len;
		why->max = (int64_t)max_bytes;
		return false;
	}
	return true;
}

enum kd_status app_rulebook_load(const char *config_path, struct rulebook **out,
                                 struct config_errors *errors)
{
	*out = NULL;
	return config_load_rulebook(config_path, out, errors);
}

bool app_rulebook_reload(struct app *app, struct rulebook **old,
                         struct config_errors *errors, struct app_refusal *why)
{
	struct rulebook *fresh = NULL;
	enum kd_status status =
	    app_rulebook_load(app->config_path, &fresh, errors);
	const char *source = config_source_name(app->config_path);
	*old = NULL;
	if (app->st)
		store_audit_rulebook_reload(app->st, source, status == KD_OK,
		                            errors->count);
	if (status != KD_OK) {
		app_refuse(why, APP_RULEBOOK_BAD);
		app_copy(why->path, sizeof(why->path), source);
		why->count = (int64_t)errors->count;
		return false;
	}
	*old = app->rb;
	app->rb = fresh;
	return true;
}

enum kd_status app_open_store(struct app *app, const char *actor, char *err,
                              size_t err_size)
{
	if (app->st)
		return KD_OK;
	enum kd_status status =
	    store_open(app->db_path, &app->st, err, err_size);
	if (status == KD_OK)
		store_set_actor(app->st, actor);
	return status;
}

void app_set_actor(struct app *app, const char *actor)
{
	if (app->st)
		store_set_actor(app->st, actor);
}

void app_finish(struct app *app)
{
	store_close(app->st);
	rulebook_destroy(app->rb);
	free(app->config_path);
	free(app->db_path);
	memset(app, 0, sizeof(*app));
}
