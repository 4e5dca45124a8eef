#!/usr/bin/env bash
# Static checks (suite 'static', run by `make test` in the plain build):
#   clang-format --dry-run -Werror: every *.c and *.h under src/ include/
#     tests/ bench/ is formatted as the repository's .clang-format says;
#   cppcheck over src/ with a small option set:
#     --enable=warning,portability  real defects (uninitialised or
#         mismatched use, bad format strings, undefined shifts) and
#         non-portable code; not 'style' (taste, already the compiler's
#         -Wall -Wextra) nor 'unusedFunction' (false alarms on a library
#         linked into tests), nor 'information' (missing system headers);
#     --error-exitcode=1 --inline-suppr  a finding fails the test; a
#         reviewed false alarm is silenced where it stands with a
#         "// cppcheck-suppress ID" comment;
#     -I include -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600 --std=c11  the
#         project's own headers and macros (meson.build);
#     --quiet  only findings are printed.
# Usage: tests/static.sh  (from anywhere; exit 77 when a tool is missing)
set -u
here=$(cd "$(dirname "$0")" && pwd)
SRC=${KPIDESK_SOURCE_ROOT:-$(cd "$here/.." && pwd)}
cd "$SRC" || exit 99
for tool in clang-format cppcheck; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "$tool is not installed: skipped"
		exit 77
	fi
done
failed=0

mapfile -t files < <(find src include tests bench -name '*.[ch]' \
	-type f 2>/dev/null | LC_ALL=C sort)
if clang-format --dry-run -Werror "${files[@]}" 2>"${TMPDIR:-/tmp}/kd-format.$$"; then
	echo "ok   clang-format: ${#files[@]} files formatted"
else
	bad=$(grep -oE '^[^:]+\.[ch]:' "${TMPDIR:-/tmp}/kd-format.$$" | sort -u |
		tr -d ':')
	echo "FAIL clang-format: $(echo "$bad" | wc -l) of ${#files[@]} files differ" \
		"from .clang-format (clang-format -i FILE):"
	echo "$bad" | sed 's/^/    /'
	failed=1
fi
rm -f "${TMPDIR:-/tmp}/kd-format.$$"

if cppcheck --enable=warning,portability --error-exitcode=1 --inline-suppr \
	--std=c11 -I include -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600 \
	--quiet src; then
	echo "ok   cppcheck src/"
else
	echo "FAIL cppcheck src/ (above)"
	failed=1
fi
exit $failed
