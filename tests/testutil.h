/* Helpers every unit test program shares (linked into each check-MODULE
 * by tests/meson.build): reading and writing files, private temporary
 * directories, the paths of the fixtures.
 *
 * Every helper fails the running Check test (ck_assert) instead of
 * returning an error: a test never has to check a helper's result.
 */
#ifndef KPIDESK_TESTS_TESTUTIL_H
#define KPIDESK_TESTS_TESTUTIL_H

#include <stddef.h>

#include "kpidesk/date.h"
#include "kpidesk/rulebook.h"

/* tests/data and config/, set by tests/meson.build. */
#ifndef KPIDESK_TEST_DATA
#error "KPIDESK_TEST_DATA must name tests/data"
/* The date year-month-mday (it must exist) and the month year-month. */
kd_date tu_day(int year, int month, int mday);
kd_month tu_month(int year, int month);

/* The rulebook at `path`, which must load without an error. */
struct rulebook *tu_load_rulebook(const char *path);

#endif
#ifndef KPIDESK_CONFIG_DIR
#error "KPIDESK_CONFIG_DIR must name the config directory"
/* The date year-month-mday (it must exist) and the month year-month. */
kd_date tu_day(int year, int month, int mday);
kd_month tu_month(int year, int month);

/* The rulebook at `path`, which must load without an error. */
struct rulebook *tu_load_rulebook(const char *path);

#endif

/* The whole file, NUL-terminated (free it); *len (may be NULL) gets its
 * length without the NUL. */
char *tu_read_file(const char *path, size_t *len);

/* Writes `len` bytes of `data` to `path`, replacing it, mode 0600. */
void tu_write_bytes(const char *path, const char *data, size_t len);

/* The same for a NUL-terminated text. */
void tu_write_file(const char *path, const char *text);

/* A new private directory under $TMPDIR (or /tmp) named for `tag`; free
 * the returned path after tu_remove_tree(). */
char *tu_make_temp_dir(const char *tag);

/* Removes a directory and everything in it (symlinks are not followed). */
void tu_remove_tree(const char *dir);

/* "dir/name", newly allocated. */
char *tu_path(const char *dir, const char *name);

/* `text` with its first `from` replaced by `to` (from NULL: as is) and
 * `tail` (may be NULL) appended; newly allocated. */
char *tu_replace(const char *text, const char *from, const char *to,
                 const char *tail);

/* The date year-month-mday (it must exist) and the month year-month. */
kd_date tu_day(int year, int month, int mday);
kd_month tu_month(int year, int month);

/* The rulebook at `path`, which must load without an error. */
struct rulebook *tu_load_rulebook(const char *path);

#endif
