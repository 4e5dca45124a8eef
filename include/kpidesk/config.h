/* The rulebook loader: an INI file (RULEBOOK.md) into a struct rulebook.
 *
 * The loader validates every key RULEBOOK.md defines and reports every error
 * in the file, not only the first, each as
 *     FILE:LINE: [section] key: what is wrong
 * (LINE is the key's line, or the section header's line for a missing key,
 * or the file's last line for a missing section, or 0 for whole-file
 * problems). A UTF-8 byte-order mark is accepted. Values are read from their
 * strings, never with iniparser's getint/getboolean.
 */
#ifndef KPIDESK_CONFIG_H
#define KPIDESK_CONFIG_H

#include <stddef.h>

#include "kpidesk/rulebook.h"
#include "kpidesk/status.h"

/* Every error of one load, in file order. */
struct config_errors {
	size_t count;
	char **messages; /* "FILE:LINE: [section] key: what is wrong" */
};

void config_errors_finish(struct config_errors *errors);

/* Loads and validates the rulebook at `path`. On success returns KD_OK and a
 * new rulebook in *out (source_text and source_name set). On any error returns
 * KD_ERR_CONFIG (or KD_ERR_IO when the file cannot be read, with one message
 * saying so), *out stays NULL and *errors holds every message. *errors must
 * be zeroed by the caller; it is filled in both cases (empty on success). */
enum kd_status config_load_file(const char *path, struct rulebook **out,
                                struct config_errors *errors);

/* Every loader may also return KD_ERR_NOMEM, and KD_ERR_IO when it cannot
 * hand the text to iniparser in memory (iniparser 4.1 reads only paths: the
 * text goes through a memfd and /proc/self/fd, never a file on disk). Not
 * thread-safe: iniparser's error callback is process-wide. */

/* The same from text already in memory; `name` stands for FILE in messages
 * (NULL: CONFIG_BUILTIN_NAME). Used for closed-month snapshots; front ends
 * load through config_load_rulebook. */
enum kd_status config_load_text(const char *name, const char *text, size_t len,
                                struct rulebook **out,
                                struct config_errors *errors);

/* The default rulebook compiled into the program (config/kpidesk.ini). */
const char *config_builtin_text(size_t *len);

/* FILE in the built-in rulebook's messages, and its source_name. */
#define CONFIG_BUILTIN_NAME "(built-in rulebook)"

/* The rulebook every front end uses: the file at `path`, or the built-in
 * one when `path` is NULL. Returns and fills like config_load_file. */
enum kd_status config_load_rulebook(const char *path, struct rulebook **out,
                                    struct config_errors *errors);

/* What config_load_rulebook(path) names its source: `path`, or
 * CONFIG_BUILTIN_NAME for NULL. */
const char *config_source_name(const char *path);

#endif
