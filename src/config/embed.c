/* Build-time helper: turns a file into a C array so the default rulebook is
 * part of the program. Usage: kpidesk-embed SYMBOL INPUT OUTPUT.
 * Produces `const char SYMBOL[]` (NUL-terminated) and `SYMBOL_len`. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s SYMBOL INPUT OUTPUT\n", argv[0]);
		return 2;
	}
	FILE *in = fopen(argv[2], "rb");
	if (!in) {
		perror(argv[2]);
		return 1;
	}
	FILE *out = fopen(argv[3], "w");
	if (!out) {
		perror(argv[3]);
		fclose(in);
		return 1;
	}
	fprintf(out, "/* Generated from %s; do not edit. */\n", argv[2]);
	fprintf(out, "#include <stddef.h>\n");
	fprintf(out, "extern const char %s[];\n", argv[1]);
	fprintf(out, "extern const size_t %s_len;\n", argv[1]);
	fprintf(out, "const char %s[] = {", argv[1]);
	size_t n = 0;
	int c;
	while ((c = getc(in)) != EOF) {
		/* as signed char values: bytes above 127 would overflow */
		fprintf(out, "%s%d,", n % 16 == 0 ? "\n" : "",
		        c > 127 ? c - 256 : c);
		n++;
	}
	fprintf(out, "\n0};\nconst size_t %s_len = %zu;\n", argv[1], n);
	int failed = ferror(in) || ferror(out);
	fclose(in);
	if (fclose(out) != 0)
		failed = 1;
	return failed ? 1 : 0;
}
