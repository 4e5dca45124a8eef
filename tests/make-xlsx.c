/* make-xlsx CSV XLSX [--sheet NAME] [--first-sheet NAME] [--inline]
 * [--plain]: a workbook from UTF-8 CSV text, cells typed as
 * tests/xlsx_fixture.h says. For the CLI scenarios and data/ samples. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_fixture.h"

int main(int argc, char **argv)
{
	struct xlsx_fixture_options o = {0};
	FILE *f;
	char *text;
	long size;
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: make-xlsx CSV XLSX [--sheet NAME] "
		                "[--first-sheet NAME] [--inline] [--plain]\n");
		return 2;
	}
	for (int i = 3; i < argc; i++) {
		if (strcmp(argv[i], "--sheet") == 0 && i + 1 < argc)
			o.sheet = argv[++i];
		else if (strcmp(argv[i], "--first-sheet") == 0 && i + 1 < argc)
			o.first_sheet = argv[++i];
		else if (strcmp(argv[i], "--inline") == 0)
			o.inline_strings = true;
		else if (strcmp(argv[i], "--plain") == 0)
			o.plain = true;
		else
			return fprintf(stderr, "make-xlsx: bad option %s\n",
			               argv[i]),
			       2;
	}
	f = fopen(argv[1], "rb");
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0) {
		perror(argv[1]);
		return 1;
	}
	rewind(f);
	text = calloc(1, (size_t)size + 1);
	if (text == NULL || fread(text, 1, (size_t)size, f) != (size_t)size) {
		perror(argv[1]);
		return 1;
	}
	fclose(f);
	rc = xlsx_fixture_write(argv[2], text, &o);
	free(text);
	return rc == 0 ? 0 : 1;
}
