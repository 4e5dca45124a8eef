/* Shared test helpers (tests/testutil.h). */
#include "testutil.h"

#include "kpidesk/config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *tu_read_file(const char *path, size_t *len)
{
	FILE *in = fopen(path, "rb");
	ck_assert_msg(in != NULL, "cannot open %s: %s", path, strerror(errno));
	size_t cap = 4096, used = 0;
	char *data = malloc(cap);
	ck_assert_ptr_nonnull(data);
	size_t n;
	while ((n = fread(data + used, 1, cap - used - 1, in)) > 0) {
		used += n;
		if (cap - used < 2) {
			cap *= 2;
			data = realloc(data, cap);
			ck_assert_ptr_nonnull(data);
		}
	}
	ck_assert_msg(!ferror(in), "cannot read %s", path);
	fclose(in);
	data[used] = '\0';
	if (len)
		*len = used;
	return data;
}

void tu_write_bytes(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_msg(fd >= 0, "cannot create %s: %s", path, strerror(errno));
	size_t done = 0;
	while (done < len) {
		ssize_t w = write(fd, data + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		ck_assert_msg(w > 0, "cannot write %s: %s", path,
		              strerror(errno));
		done += (size_t)w;
	}
	ck_assert_msg(close(fd) == 0, "cannot write %s: %s", path,
	              strerror(errno));
}

void tu_write_file(const char *path, const char *text)
{
	tu_write_bytes(path, text, strlen(text));
}

static char *format_path(const char *a, const char *b, const char *c)
{
	size_t size = strlen(a) + strlen(b) + strlen(c) + 1;
	char *path = malloc(size);
	ck_assert_ptr_nonnull(path);
	snprintf(path, size, "%s%s%s", a, b, c);
	return path;
}

char *tu_make_temp_dir(const char *tag)
{
	const char *tmp = getenv("TMPDIR");
	char *name = format_path("/kpidesk-", tag, "-XXXXXX");
	char *path = format_path(tmp && tmp[0] ? tmp : "/tmp", name, "");
	free(name);
	ck_assert_msg(mkdtemp(path) != NULL, "mkdtemp %s: %s", path,
	              strerror(errno));
	return path;
}

static int remove_entry(const char *path, const struct stat *sb, int type,
                        struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(path);
}

void tu_remove_tree(const char *dir)
{
	ck_assert_msg(nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0,
	              "cannot remove %s: %s", dir, strerror(errno));
}

char *tu_path(const char *dir, const char *name)
{
	return format_path(dir, "/", name);
}

char *tu_replace(const char *text, const char *from, const char *to,
                 const char *tail)
{
	const char *at = from ? strstr(text, from) : NULL;
	ck_assert_msg(!from || at, "\"%s\" not in the text", from);
	size_t size = strlen(text) + (to ? strlen(to) : 0) +
	              (tail ? strlen(tail) : 0) + 1;
	char *out = malloc(size);
	ck_assert_ptr_nonnull(out);
	if (at) {
		size_t head = (size_t)(at - text);
		memcpy(out, text, head);
		out[head] = '\0';
		strcat(out, to ? to : "");
		strcat(out, at + strlen(from));
	} else {
		strcpy(out, text);
	}
	if (tail)
		strcat(out, tail);
	return out;
}

kd_date tu_day(int year, int month, int mday)
{
	kd_date date = 0;

	ck_assert(date_from_ymd(year, month, mday, &date));
	return date;
}

kd_month tu_month(int year, int month)
{
	return (kd_month)(year * 12 + month - 1);
}

struct rulebook *tu_load_rulebook(const char *path)
{
	struct config_errors errors = {0};
	struct rulebook *rb = NULL;

	ck_assert_int_eq(config_load_file(path, &rb, &errors), KD_OK);
	config_errors_finish(&errors);
	ck_assert_ptr_nonnull(rb);
	return rb;
}
