#!/usr/bin/env bash
# Black-box tests of the command line: each tests/cli/NAME.t is a list of
# shell lines run against a fresh temporary database; the transcript (each
# line, its stdout and stderr, and its exit status when not 0) must equal
# tests/cli/NAME.expected exactly.
#
# In a .t file, `kd ARGS` runs build/kpidesk with --db on the scenario's
# database; $DIR is the scenario's temporary directory; $SRC the source root.
# Dates that depend on the day the test runs are written @TODAY@,
# @TOMORROW@ and @MONTH@ (expanded in the commands, folded back in the
# transcript); entry timestamps print as @TIME@. Literal dates in a .t file
# must lie before the current month, or the folding would hide them.
#
# UPDATE=1 tests/cli/run.sh rewrites the .expected files (review the diff!).
# KPIDESK_VALGRIND=1 runs every kd under valgrind as well: any memory error
# or definite leak fails the scenario (valgrind writes to its own log files,
# so the transcripts stay the same).
# Usage: run.sh [NAME ...]
set -u
: "${KPIDESK:?KPIDESK must point at the kpidesk binary}"
here=$(cd "$(dirname "$0")" && pwd)
SRC=${KPIDESK_SOURCE_ROOT:-$(cd "$here/../.." && pwd)}
export LC_ALL=C.UTF-8 TZ=${TZ:-UTC}
unset KPIDESK_DB KPIDESK_CONFIG
TODAY=$(date +%F)
TOMORROW=$(date -d tomorrow +%F)
MONTH=$(date +%Y-%m)

run_scenario() {
	local name=$1 file="$here/$1.t" expected="$here/$1.expected"
	local DIR VGDIR
	DIR=$(mktemp -d)
	VGDIR=$(mktemp -d)
	export DIR SRC HOME="$DIR/home" XDG_DATA_HOME="$DIR/data" \
		XDG_CONFIG_HOME="$DIR/config"
	mkdir -p "$HOME"
	local actual="$DIR/transcript"
	: >"$actual"
	local line cmd rc
	while IFS= read -r line || [ -n "$line" ]; do
		case "$line" in '' | '#'*) continue ;; esac
		cmd=${line//@TODAY@/$TODAY}
		cmd=${cmd//@TOMORROW@/$TOMORROW}
		cmd=${cmd//@MONTH@/$MONTH}
		printf '$ %s\n' "$line" >>"$actual"
		(
			cd "$DIR" || exit 99
			if [ "${KPIDESK_VALGRIND:-0}" = 1 ]; then
				kd() {
					valgrind -q --leak-check=full \
						--errors-for-leak-kinds=definite \
						--log-file="$VGDIR/valgrind.%p" \
						"$KPIDESK" --db "$DIR/kpidesk.db" "$@"
				}
			else
				kd() { "$KPIDESK" --db "$DIR/kpidesk.db" "$@"; }
			fi
			eval "$cmd"
		) >>"$actual" 2>&1 </dev/null
		rc=$?
		[ "$rc" -ne 0 ] && printf '[exit %d]\n' "$rc" >>"$actual"
	done <"$file"
	sed -i -E \
		-e 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}/@TIME@/g' \
		-e "s/$TODAY/@TODAY@/g" -e "s/$TOMORROW/@TOMORROW@/g" \
		-e "s/$MONTH/@MONTH@/g" \
		-e "s|$DIR|\$DIR|g" -e "s|$SRC|\$SRC|g" "$actual"
	local ok=0
	if [ "${KPIDESK_VALGRIND:-0}" = 1 ] &&
		cat "$VGDIR"/valgrind.* 2>/dev/null | grep -q .; then
		echo "FAIL $name: valgrind reported:"
		cat "$VGDIR"/valgrind.*
		ok=1
	fi
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$actual" "$expected"
	elif ! diff -u "$expected" "$actual" >"$DIR/diff"; then
		echo "FAIL $name:"
		cat "$DIR/diff"
		ok=1
	fi
	rm -rf "$DIR" "$VGDIR"
	return $ok
}

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for f in "$here"/*.t; do
		names+=("$(basename "$f" .t)")
	done
fi
passed=0 failed=0
for n in "${names[@]}"; do
	if run_scenario "$n"; then
		passed=$((passed + 1))
		echo "ok   $n"
	else
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
