#!/usr/bin/env bash
# The bash completion (completion/kpidesk.bash) driven as bash itself drives
# it: COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT set, the function
# called, COMPREPLY compared with what a lead should be offered. Candidates
# come from the real program (KPIDESK) on a fresh database.
# Exit 77 (skipped) without the bash-completion package.
set -u
: "${KPIDESK:?KPIDESK must point at the kpidesk binary}"
here=$(cd "$(dirname "$0")" && pwd)
SRC=${KPIDESK_SOURCE_ROOT:-$(cd "$here/../.." && pwd)}
BC=${BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}
if [ ! -r "$BC" ]; then
	echo "bash-completion is not installed: skipped"
	exit 77
fi
export LC_ALL=C.UTF-8 TZ=UTC
unset KPIDESK_DB KPIDESK_CONFIG
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
export HOME="$DIR/home" XDG_DATA_HOME="$DIR/data" XDG_CONFIG_HOME="$DIR/config"
mkdir -p "$HOME" "$DIR/bin"
ln -s "$KPIDESK" "$DIR/bin/kpidesk"
export PATH="$DIR/bin:$PATH"
cd "$DIR" || exit 99

db="$DIR/team.db"
kpidesk --db "$db" agent add 张伟 --handle zhangwei --hired 2024-03-01 >/dev/null &&
	kpidesk --db "$db" agent add 张敏 --handle zhangmin --hired 2024-03-01 >/dev/null &&
	kpidesk --db "$db" agent add 李娜 --handle lina --hired 2024-03-01 >/dev/null &&
	kpidesk --db "$db" agent add 欧阳娜娜 --handle ouyang --hired 2024-03-01 >/dev/null ||
	{ echo "could not set up the database"; exit 1; }

# A rulebook of its own, to see categories come from the one in use.
sed -e 's/^\[category\.cover\]/[category.nightcover]/' \
	"$SRC/config/kpidesk.ini" >"$DIR/mine.ini"

cat >"$DIR/drive.sh" <<'DRIVE'
. "$BC"
. "$COMPLETION"
# complete LINE: the completion of the last word of LINE (words split at
# spaces, a trailing space meaning an empty last word), as COMPREPLY
# joined by spaces.
complete_line() {
	local line=$1
	COMP_LINE=$line
	COMP_POINT=${#line}
	# bash's own split: spaces, and '=' as a word of its own.
	local spaced=${line//=/ = }
	read -r -a COMP_WORDS <<<"$spaced"
	[[ $line == *' ' || $line == *= ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_kpidesk kpidesk "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
	echo "${COMPREPLY[*]}"
}
DRIVE

failed=0
check() { # check 'LINE' 'EXPECTED'
	local got
	got=$(BC="$BC" COMPLETION="$SRC/completion/kpidesk.bash" bash -c \
		'. "$1"; complete_line "$2"' _ "$DIR/drive.sh" "$1" 2>&1)
	if [ "$got" = "$2" ]; then
		echo "ok   $1"
	else
		echo "FAIL $1"
		echo "     expected: $2"
		echo "     got:      $got"
		failed=1
	fi
}

# The Chinese names from the database, not the handles, for 张.
check "kpidesk --db $db log 张" "张伟 张敏"
check "kpidesk --db=$db log 欧" "欧阳娜娜"
check "kpidesk --db $db log zh" "zhangwei zhangmin"
KPIDESK_DB=$db check "kpidesk log 李" "李娜"
# Categories: keys and labels of the rulebook in use.
check "kpidesk --db $db log 张伟 co" "complaint cover"
check "kpidesk --db $db log 张伟 迟" "迟到/早退"
check "kpidesk --db $db --config $DIR/mine.ini log 张伟 n" "nightcover"
check "kpidesk --db $db events --agent 李" "李娜"
# Commands, subcommands, options, formats.
check "kpidesk a" "agent appeal"
check "kpidesk agent " "add list edit"
check "kpidesk config " "check init"
check "kpidesk appeal r" "resolve"
check "kpidesk appeal resolve 3 " "uphold void"
check "kpidesk score --f" "--format"
check "kpidesk score --format " "table csv json"
check "kpidesk score --format=j" "json"
check "kpidesk agent add 王 --role " "presales aftersales"
check "kpidesk agent edit 1 --tier s" "senior"
check "kpidesk month close $(date +%Y-%m)" "$(date +%Y-%m)"
check "kpidesk score --month $(date -d "$(date +%Y-%m-15) -1 month" +%Y-%m)" "$(date -d "$(date +%Y-%m-15) -1 month" +%Y-%m)"
check "kpidesk --d" "--db"
check "kpidesk --am" "--ambiwidth=1 --ambiwidth=2"
# Commands other branches add: checked once the program has them.
help=$(kpidesk --help)
if grep -q 'kpi target AGENT' <<<"$help"; then
	check "kpidesk --db $db kpi target 张" "张伟 张敏"
	check "kpidesk kpi target --tier s" "senior"
	check "kpidesk --db $db kpi target 张伟 100 --m" "--month"
fi
if grep -q 'md|html|csv|xlsx' <<<"$help"; then
	check "kpidesk review --format x" "xlsx"
fi
if grep -q 'events import' <<<"$help"; then
	check "kpidesk events i" "import"
fi
# No database: no agents, and no file is created.
check "kpidesk --db $DIR/none.db log 张" ""
KPIDESK_DB=$DIR/none2.db check "kpidesk log 张" ""
if [ -e "$DIR/none.db" ] || [ -e "$DIR/none2.db" ] || [ -e "$DIR/data" ]; then
	echo "FAIL the completion created a database"
	failed=1
fi
# A database of the older schema 1: a Tab press would have migrated it
# through store_open. It is opened read-only: no agents, and the file is
# left byte for byte as it was (no migration, no audit row), without even
# SQLite's -wal and -shm files beside it.
if command -v python3 >/dev/null; then
	old="$DIR/old.db"
	cp "$db" "$old"
	python3 - "$old" <<'PY' || { echo "FAIL could not make a schema-1 database"; failed=1; }
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.executescript("DROP INDEX IF EXISTS events_tally; DROP TABLE targets; "
                  "PRAGMA user_version = 1;")
con.close()
PY
	sum_before=$(cksum <"$old")
	check "kpidesk --db $old log 张" ""
	check "kpidesk --db $old events --agent 李" ""
	if [ "$(cksum <"$old")" != "$sum_before" ] || [ -e "$old-wal" ] ||
		[ -e "$old-shm" ]; then
		echo "FAIL the completion wrote to a schema-1 database"
		failed=1
	else
		echo "ok   a schema-1 database is left as it was"
	fi
fi
# Files where a file goes.
touch "$DIR/kpi-2026-10.csv"
check "kpidesk kpi import kpi-" "kpi-2026-10.csv"
exit $failed
