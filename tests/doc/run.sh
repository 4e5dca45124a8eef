#!/usr/bin/env bash
# The manuals: `mandoc -Tlint -Wwarning` must find nothing in kpidesk(1)
# and kpidesk.ini(5), and the default rulebook shown in kpidesk.ini(5)'s
# EXAMPLES must be config/kpidesk.ini without its comments, so the page
# cannot drift from the rulebook that ships. Exit 77 without mandoc.
set -u
here=$(cd "$(dirname "$0")" && pwd)
SRC=${KPIDESK_SOURCE_ROOT:-$(cd "$here/../.." && pwd)}
if ! command -v mandoc >/dev/null 2>&1; then
	echo "mandoc is not installed: skipped"
	exit 77
fi
failed=0
for page in "$SRC/doc/kpidesk.1" "$SRC/doc/kpidesk.ini.5"; do
	if out=$(mandoc -Tlint -Wwarning "$page" 2>&1) && [ -z "$out" ]; then
		echo "ok   mandoc -Tlint ${page##*/}"
	else
		echo "FAIL mandoc -Tlint ${page##*/}:"
		echo "$out"
		failed=1
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The rulebook as the page shows it: comment lines dropped, runs of blank
# lines squeezed, no blank line first or last.
grep -v '^;' "$SRC/config/kpidesk.ini" | cat -s |
	awk '{ l[NR] = $0 } END { a = 1; b = NR
		while (a <= b && l[a] == "") a++; while (b >= a && l[b] == "") b--
		for (i = a; i <= b; i++) print l[i] }' >"$tmp/want"
# The page's last literal block in EXAMPLES.
awk '/^\.Sh EXAMPLES/ { ex = 1 } ex && /^\.Bd -literal/ { on = 1; n = 0; next }
     on && /^\.Ed/ { on = 0; next } on { lines[n++] = $0 }
     END { for (i = 0; i < n; i++) print lines[i] }' \
	"$SRC/doc/kpidesk.ini.5" >"$tmp/got"
if diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
	echo "ok   kpidesk.ini(5) shows config/kpidesk.ini"
else
	echo "FAIL kpidesk.ini(5) EXAMPLES differs from config/kpidesk.ini:"
	cat "$tmp/diff"
	failed=1
fi

# kpidesk(1) covers every command: each usage kpidesk --help prints and
# each one in README.md's command table has an entry whose head begins with
# its command words, and every option and every lowercase choice it takes
# ("--format md|html|csv|xlsx") is in the page.
mandoc -Tascii "$SRC/doc/kpidesk.1" | sed 's/.\x08//g' >"$tmp/page"
{
	if [ -n "${KPIDESK:-}" ]; then
		"$KPIDESK" --help | sed -n '/^commands:/,/^options:/p' |
			grep '^  [a-z]' | sed 's/^  //; s/ | \([a-z]\+ [a-z]\+ \)/\n\1/'
	fi
	awk '/^\| command \| does \|/ { on = 1; next } on && !/^\|/ { on = 0 }
	     on && /^\| `/ { print }' "$SRC/README.md" |
		sed 's/\\|/\x01/g' | cut -d'|' -f2 | grep -o '`[^`]*`' |
		tr -d '`' | tr '\001' '|'
} | awk '!seen[$0]++' >"$tmp/usages"
if [ ! -s "$tmp/usages" ]; then
	echo "FAIL no command usages found in kpidesk --help or README.md"
	failed=1
fi
while IFS= read -r usage; do
	words=$(awk '{ for (i = 1; i <= NF && i <= 2; i++) {
		if ($i !~ /^[a-z]+$/) break; printf "%s%s", (i > 1 ? " " : ""), $i } }' \
		<<<"$usage")
	missing=""
	grep -Eq "^ {3,8}$words( |\$)" "$tmp/page" || missing="$missing (no entry)"
	for opt in $(grep -o -- '--[a-z][a-z-]*' <<<"$usage"); do
		grep -q -- "$opt" "$tmp/page" || missing="$missing $opt"
	done
	for choice in $(grep -o '[a-z0-9]\+\(|[a-z0-9]\+\)\+' <<<"$usage" | tr '|' ' '); do
		grep -qw -- "$choice" "$tmp/page" || missing="$missing $choice"
	done
	if [ -z "$missing" ]; then
		echo "ok   kpidesk(1) has $usage"
	else
		echo "FAIL kpidesk(1) lacks for '$usage':$missing"
		failed=1
	fi
done <"$tmp/usages"

# kpidesk --help points to both pages.
if [ -n "${KPIDESK:-}" ]; then
	if "$KPIDESK" --help | grep -q 'man kpidesk' &&
		"$KPIDESK" --help | grep -q 'man 5 kpidesk.ini'; then
		echo "ok   kpidesk --help names the manuals"
	else
		echo "FAIL kpidesk --help does not name the manuals"
		failed=1
	fi
fi
exit $failed
