# Helpers of the TUI scenarios (sourced by run.sh into each scenario's
# subshell). A scenario is a list of these calls; the first failed check
# prints the screen and ends the scenario with status 1.
#
#   desk_start NAME [ARGS...]    kpidesk --db $DB ARGS in tmux session NAME
#   keys NAME KEY...             tmux send-keys (Enter, Escape, BSpace, ...)
#   type NAME TEXT               the text, literally (Chinese included)
#   wait_for NAME TEXT [SECS]    until the screen shows TEXT
#   wait_re NAME ERE [SECS]     until a line matches the ERE
#   wait_gone NAME TEXT [SECS]   until it does not
#   screen NAME                  the screen as text
#   press_until NAME KEY TEXT [N]  KEY, each press answered, until TEXT shows
#   wait_exit NAME [SECS]        until the program ended; prints its status
#   kd ARGS...                   the command line on the same database
#   expect_eq WHAT ACTUAL EXPECTED
#
# Waits poll the screen every 20 ms up to a deadline (never a fixed
# sleep); under valgrind (KPIDESK_VALGRIND=1) deadlines are 10 times longer.

SLOW=1
[ "${KPIDESK_VALGRIND:-0}" = 1 ] && SLOW=10
TODAY=$(date +%F)
YESTERDAY=$(date -d yesterday +%F)
MONTH=$(date +%Y-%m)

fail() {
	echo "FAIL: $*"
	local s
	for s in $(tmux -S "$SOCK" list-sessions -F '#S' 2>/dev/null); do
		[ "$s" = _keep ] && continue
		echo "--- screen of $s:"
		tmux -S "$SOCK" capture-pane -p -t "$s" 2>/dev/null
	done
	exit 1
}

t() { tmux -S "$SOCK" -f /dev/null "$@"; }

# now_ms: milliseconds since the epoch.
now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

# desk_start NAME [ARGS...]: environment from DESK_ENV (words such as
# LC_ALL=C.UTF-8), the terminal DESK_COLS x DESK_ROWS (100 x 30).
desk_start() {
	local name=$1
	shift
	local run="$DIR/$name.run" args="" a
	for a in "$@"; do
		args="$args $(printf '%q' "$a")"
	done
	local wrap=""
	if [ "$SLOW" != 1 ]; then
		wrap="valgrind -q --leak-check=full --errors-for-leak-kinds=definite --log-file=$DIR/valgrind.$name.%p"
	fi
	cat >"$run" <<-SCRIPT
		#!/usr/bin/env bash
		cd "$DIR" || exit 99
		export TERM=tmux-256color LC_ALL=C.UTF-8 HOME="$DIR/home"
		unset LANGUAGE NO_COLOR KPIDESK_DB KPIDESK_CONFIG LANG
		export ${DESK_ENV:-LC_ALL=C.UTF-8}
		${DESK_UNSET:+unset $DESK_UNSET}
		stty -g >"$DIR/$name.stty-before" 2>/dev/null
		bash -c 'echo \$\$ >"$DIR/$name.pid"; exec $wrap "$KPIDESK" --db "$DB"$args' 2>"$DIR/$name.stderr"
		echo \$? >"$DIR/$name.status.tmp"
		stty -g >"$DIR/$name.stty-after" 2>/dev/null
		mv "$DIR/$name.status.tmp" "$DIR/$name.status"
	SCRIPT
	rm -f "$DIR/$name.status" "$DIR/$name.pid"
	t new-session -d -s "$name" -x "${DESK_COLS:-100}" -y "${DESK_ROWS:-30}" \
		"bash $run" || fail "tmux new-session $name"
	# The pid file appears once the program is starting.
	local deadline=$(($(now_ms) + 5000 * SLOW))
	while [ ! -s "$DIR/$name.pid" ]; do
		[ "$(now_ms)" -gt "$deadline" ] && fail "$name did not start"
		sleep 0.02
	done
}

screen() { t capture-pane -p -t "$1" 2>/dev/null; }

keys() {
	local name=$1
	shift
	t send-keys -t "$name" "$@" || fail "send-keys $name $*"
}

type() {
	t send-keys -t "$1" -l -- "$2" || fail "send-keys -l $1 $2"
}

wait_for() {
	local name=$1 text=$2 secs=${3:-5}
	local deadline=$(($(now_ms) + secs * 1000 * SLOW))
	while ! screen "$name" | grep -qF -- "$text"; do
		[ "$(now_ms)" -gt "$deadline" ] &&
			fail "$name: waited ${secs}s for \"$text\""
		sleep 0.02
	done
}

# wait_re NAME ERE [SECS]: until a line of the screen matches the ERE.
wait_re() {
	local name=$1 re=$2 secs=${3:-5}
	local deadline=$(($(now_ms) + secs * 1000 * SLOW))
	while ! screen "$name" | grep -qE -- "$re"; do
		[ "$(now_ms)" -gt "$deadline" ] &&
			fail "$name: waited ${secs}s for /$re/"
		sleep 0.02
	done
}

wait_gone() {
	local name=$1 text=$2 secs=${3:-5}
	local deadline=$(($(now_ms) + secs * 1000 * SLOW))
	while screen "$name" | grep -qF -- "$text"; do
		[ "$(now_ms)" -gt "$deadline" ] &&
			fail "$name: \"$text\" still shown after ${secs}s"
		sleep 0.02
	done
}

# press_until NAME KEY TEXT [TIMES]: KEY until the screen shows TEXT, at
# most TIMES (10) presses; after each press, until the program answered
# it (the screen below the title changed and settled), so a slow machine
# never gets a second press before the first was drawn.
press_until() {
	local name=$1 key=$2 text=$3 times=${4:-10} i before now deadline
	for ((i = 0; i < times; i++)); do
		screen "$name" | grep -qF -- "$text" && return 0
		before=$(screen "$name" | tail -n +2)
		keys "$name" "$key"
		deadline=$(($(now_ms) + 5000 * SLOW))
		now=$before
		while [ "$now" = "$before" ]; do
			[ "$(now_ms)" -gt "$deadline" ] &&
				fail "$name: $key changed nothing on the way to \"$text\""
			sleep 0.02
			now=$(screen "$name" | tail -n +2)
		done
		# Settled: two looks 20 ms apart agree.
		before=
		while [ "$now" != "$before" ]; do
			before=$now
			sleep 0.02
			now=$(screen "$name" | tail -n +2)
		done
	done
	wait_for "$name" "$text"
}

wait_exit() {
	local name=$1 secs=${2:-5}
	local deadline=$(($(now_ms) + secs * 1000 * SLOW))
	while [ ! -f "$DIR/$name.status" ]; do
		[ "$(now_ms)" -gt "$deadline" ] &&
			fail "$name: still running after ${secs}s"
		sleep 0.02
	done
	cat "$DIR/$name.status"
}

# The terminal's modes after the program are those before it.
expect_restored() {
	local name=$1
	expect_eq "$name: terminal modes restored" \
		"$(cat "$DIR/$name.stty-after")" "$(cat "$DIR/$name.stty-before")"
}

kd() { LC_ALL=C.UTF-8 "$KPIDESK" --db "$DB" "$@"; }

expect_eq() {
	if [ "$2" != "$3" ]; then
		echo "FAIL: $1"
		echo "--- expected:"
		printf '%s\n' "$3"
		echo "--- actual:"
		printf '%s\n' "$2"
		diff <(printf '%s\n' "$3") <(printf '%s\n' "$2")
		fail "$1"
	fi
}

# The day's events as JSON, entry times folded to @TIME@.
events_json() {
	kd events "$@" --all --format json |
		sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}/@TIME@/g'
}

# A team with names of two, three and four Chinese characters, an emoji and
# one too long for any column. Hired long before this month.
seed_team() {
	kd agent add 张伟 --handle zhangwei --tier junior --hired 2025-01-10 >/dev/null &&
		kd agent add 欧阳娜娜 --handle ouyang --tier senior --hired 2023-06-01 >/dev/null &&
		kd agent add 李娜 --handle lina --tier intermediate --hired 2024-03-01 >/dev/null &&
		kd agent add 王小明 --handle wxm --tier junior --hired 2024-05-01 >/dev/null &&
		kd agent add "😀乐乐" --handle lele --tier junior --hired 2024-05-01 >/dev/null &&
		kd agent add 阿卜杜热合曼·买买提 --handle abdu --tier expert --hired 2022-01-01 >/dev/null ||
		fail "seed_team"
}
