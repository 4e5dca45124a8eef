/* tui-cells: measures captured screens in display cells, independently of
 * kpidesk's own width code (mbrtowc + the C library's wcwidth).
 *
 *   tui-cells col NEEDLE...   for each input line holding any NEEDLE, the
 *                             0-based cell column of the first one
 *   tui-cells cut FROM WIDTH  the part of each line in cells FROM..FROM+WIDTH-1
 *   tui-cells width           the width of each line in cells
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Cells of the first `bytes` bytes of s. */
static long cells_of(const char *s, size_t bytes)
{
	mbstate_t st;
	long cells = 0;
	size_t i = 0;
	memset(&st, 0, sizeof(st));
	while (i < bytes) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s + i, bytes - i, &st);
		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&st, 0, sizeof(st));
			n = 1;
			wc = L'?';
		}
		if (n == 0)
			n = 1;
		int w = wcwidth(wc);
		cells += w > 0 ? w : 0;
		i += n;
	}
	return cells;
}

static void cut(const char *s, long from, long width)
{
	mbstate_t st;
	long col = 0;
	size_t i = 0, len = strlen(s);
	memset(&st, 0, sizeof(st));
	while (i < len) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s + i, len - i, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof(st));
			n = 1;
			wc = L'?';
		}
		int w = wcwidth(wc);
		if (w < 0)
			w = 0;
		if (col >= from && col + w <= from + width)
			fwrite(s + i, 1, n, stdout);
		col += w;
		i += n;
	}
	putchar('\n');
}

int main(int argc, char **argv)
{
	char line[8192];
	if (!setlocale(LC_ALL, "C.UTF-8") && !setlocale(LC_ALL, "C.utf8")) {
		fputs("tui-cells: no C.UTF-8 locale\n", stderr);
		return 2;
	}
	if (argc < 2) {
		fputs(
		    "usage: tui-cells col NEEDLE... | cut FROM WIDTH | width\n",
		    stderr);
		return 2;
	}
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(argv[1], "width") == 0) {
			printf("%ld\n", cells_of(line, strlen(line)));
		} else if (strcmp(argv[1], "cut") == 0 && argc == 4) {
			cut(line, atol(argv[2]), atol(argv[3]));
		} else if (strcmp(argv[1], "col") == 0 && argc > 2) {
			const char *best = NULL;
			for (int i = 2; i < argc; i++) {
				const char *p = strstr(line, argv[i]);
				if (p && (!best || p < best))
					best = p;
			}
			if (best)
				printf("%ld\n",
				       cells_of(line, (size_t)(best - line)));
		} else {
			fputs("tui-cells: bad arguments\n", stderr);
			return 2;
		}
	}
	return 0;
}
