/* Text files' encodings: UTF-8 with or without a BOM, else GB18030 through
 * iconv(3) (see kpidesk/import.h). */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_internal.h"
#include "kpidesk/text.h"
/* ------------------------------------------------------------------------ */
/* Encodings */

const char *kpi_encoding_name(enum kpi_encoding encoding)
{
	switch (encoding) {
	case KPI_ENC_UTF8:
		return "UTF-8";
	case KPI_ENC_UTF8_BOM:
		return "UTF-8 with BOM";
	case KPI_ENC_GB18030:
		return "GB18030";
	case KPI_ENC_XLSX:
		return "XLSX";
	}
	return "?";
}

static int32_t line_at(const char *bytes, size_t offset)
{
	int32_t line = 1;

	for (size_t i = 0; i < offset; i++)
		if (bytes[i] == '\n')
			line++;
	return line;
}

static size_t first_invalid_utf8(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t used = text_decode(s + i, len - i, &cp);

		if (cp == 0xFFFD && used == 1)
			return i;
		i += used;
	}
	return len;
}

static void why_set(struct kpi_message *why, int32_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void why_set(struct kpi_message *why, int32_t line, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	why->line = line;
	why->text = strdup(buf);
}

#define SAVE_AS                                                                \
	"save the sheet as an Excel workbook (.xlsx) or as \"CSV UTF-8\" "     \
	"and import that"

static enum kd_status copy_text(const char *from, size_t len, char **text,
                                size_t *text_len)
{
	char *copy = malloc(len + 1);

	if (copy == NULL)
		return KD_ERR_NOMEM;
	memcpy(copy, from, len);
	copy[len] = '\0';
	*text = copy;
	*text_len = len;
	return KD_OK;
}

static enum kd_status from_gb18030(const char *bytes, size_t len, char **text,
                                   size_t *text_len, struct kpi_message *why)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	char *input = NULL;
	char *output = NULL;
	char *in;
	char *out;
	size_t in_left = len;
	size_t out_left;
	size_t capacity = len * 2 + 16;
	enum kd_status status = KD_ERR_NOMEM;

	if (cd == (iconv_t)-1) {
		why_set(why, 0,
		        "not UTF-8 text, and this system cannot convert from "
		        "GB18030 (iconv: %s); %s",
		        strerror(errno), SAVE_AS);
		return why->text ? KD_ERR_INPUT : KD_ERR_NOMEM;
	}
	/* iconv(3) takes char **: work on a copy, not the caller's bytes. */
	input = malloc(len + 1);
	output = malloc(capacity);
	if (input == NULL || output == NULL)
		goto done;
	memcpy(input, bytes, len);
	in = input;
	out = output;
	out_left = capacity - 1;
	while (in_left > 0) {
		if (iconv(cd, &in, &in_left, &out, &out_left) != (size_t)-1)
			continue;
		if (errno == E2BIG) {
			size_t used = (size_t)(out - output);
			char *grown = realloc(output, capacity * 2);

			if (grown == NULL)
				goto done;
			output = grown;
			capacity *= 2;
			out = output + used;
			out_left = capacity - 1 - used;
			continue;
		}
		{
			size_t offset = (size_t)(in - input);

			if (errno == EINVAL)
				why_set(why, line_at(bytes, offset),
				        "not UTF-8 text, and read as GB18030 "
				        "it ends inside a character; %s",
				        SAVE_AS);
			else
				why_set(why, line_at(bytes, offset),
				        "not UTF-8 text, and not GB18030 "
				        "either: read as GB18030, byte 0x%02X "
				        "is not part of any character; %s",
				        (unsigned)(unsigned char)bytes[offset],
				        SAVE_AS);
		}
		status = why->text ? KD_ERR_INPUT : KD_ERR_NOMEM;
		goto done;
	}
	*out = '\0';
	*text_len = (size_t)(out - output);
	*text = output;
	output = NULL;
	status = KD_OK;
done:
	iconv_close(cd);
	free(input);
	free(output);
	return status;
}

enum kd_status kpi_text_decode(const char *bytes, size_t len, char **text,
                               size_t *text_len, enum kpi_encoding *encoding,
                               struct kpi_message *why)
{
	static const char bom[] = "\xef\xbb\xbf";
	const unsigned char *u = (const unsigned char *)bytes;
	const char *nul;
	enum kd_status status;

	*text = NULL;
	*text_len = 0;
	*encoding = KPI_ENC_UTF8;
	why->line = 0;
	why->text = NULL;

	if (len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) ||
	                 (u[0] == 0xfe && u[1] == 0xff))) {
		why_set(why, 0, "UTF-16 text (\"Unicode text\"), not CSV: %s",
		        SAVE_AS);
		return why->text ? KD_ERR_INPUT : KD_ERR_NOMEM;
	}
	if (len >= 4 && memcmp(bytes, "PK\x03\x04", 4) == 0) {
		why_set(why, 0, "a zip archive (an .xlsx workbook?), not text");
		return why->text ? KD_ERR_INPUT : KD_ERR_NOMEM;
	}
	if (len >= 4 && memcmp(bytes, "\xd0\xcf\x11\xe0", 4) == 0) {
		why_set(why, 0,
		        "an Excel 97-2003 workbook (.xls), which kpidesk does "
		        "not read: %s",
		        SAVE_AS);
		return why->text ? KD_ERR_INPUT : KD_ERR_NOMEM;
	}
	nul = memchr(bytes, '\0', len);
	if (nul != NULL) {
		why_set(why, line_at(bytes, (size_t)(nul - bytes)),
		        "a NUL byte: binary data, not CSV text; %s", SAVE_AS);
		return why->text ? KD_ERR_INPUT : KD_ERR_NOMEM;
	}
	if (len >= 3 && memcmp(bytes, bom, 3) == 0) {
		size_t bad = first_invalid_utf8(bytes + 3, len - 3);

		*encoding = KPI_ENC_UTF8_BOM;
		if (bad < len - 3) {
			why_set(why, line_at(bytes, bad + 3),
			        "the file starts with a UTF-8 byte-order mark "
			        "but is not valid UTF-8 here (byte 0x%02X); %s",
			        (unsigned)u[bad + 3], SAVE_AS);
			return why->text ? KD_ERR_INPUT : KD_ERR_NOMEM;
		}
		return copy_text(bytes + 3, len - 3, text, text_len);
	}
	if (text_is_utf8(bytes, len))
		return copy_text(bytes, len, text, text_len);

	*encoding = KPI_ENC_GB18030;
	status = from_gb18030(bytes, len, text, text_len, why);
	/* GB18030's own byte-order mark (84 31 95 33) becomes U+FEFF. */
	if (status == KD_OK && *text_len >= 3 && memcmp(*text, bom, 3) == 0) {
		memmove(*text, *text + 3, *text_len - 3 + 1);
		*text_len -= 3;
	}
	return status;
}
