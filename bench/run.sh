#!/usr/bin/env bash
# bench/run.sh [SIZES...]: kpidesk against its sqlite3 floor, side by side.
#
# For each benchmark file (10k, 100k and 1M events by default; built once by
# bench/gen.sh into $BENCH_DATA) it prints:
#   * `score --month`, `review --format html` and `events --month` of the
#     benchmark month, each as the ratio of its median wall time to the
#     median of its floor, the sqlite3 CLI running the query the command
#     cannot do without on the same file: the month's GROUP BY agent,
#     category, quantity (score), the same over the six months the review
#     shows (review), the month's events with their agents (events). Runs
#     alternate command and floor, so a busy machine slows both alike.
#     Peak RSS is the command's VmHWM (/usr/bin/time).
#   * the shift desk, driven in tmux on a copy of the file: CPU (utime +
#     stime from /proc/PID/stat) to its first frame, CPU per entry key (the
#     mean of $BENCH_KEYS entries) and its peak RSS (VmHWM).
#
# Environment: KPIDESK (the program, default build-bench/kpidesk),
# BENCH_DATA (default build-bench/data), BENCH_RUNS (alternating runs a
# command, default 11), BENCH_KEYS (desk entries, default 20). BENCH_IR=1
# counts instructions instead (valgrind --tool=callgrind, one run each,
# millions; no desk rows): steady on a busy shared machine, where wall
# times are not.
set -eu
export LC_ALL=C.UTF-8

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
kd=${KPIDESK:-$root/build-bench/kpidesk}
data=${BENCH_DATA:-$root/build-bench/data}
runs=${BENCH_RUNS:-11}
nkeys=${BENCH_KEYS:-20}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
export KPIDESK_CONFIG=$root/config/kpidesk.ini
unset KPIDESK_DB

month=$(date +%Y-%m)
first=$month-01
last=$(date -d "$first +1 month -1 day" +%F)
first6=$(date -d "$first -5 months" +%F)
hz=$(getconf CLK_TCK)
work=$(mktemp -d)
sock=$work/tmux.sock
trap 'tmux -S "$sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT

mkdir -p "$data"
for n in "${sizes[@]}"; do
	if [ ! -s "$data/events-$n.db" ]; then
		echo "building the $n-event file..." >&2
		"$here/gen.sh" "$kd" "$n" "$data/events-$n.db.tmp"
		mv "$data/events-$n.db.tmp" "$data/events-$n.db"
	fi
done

now_us() { echo "${EPOCHREALTIME/./}"; }

# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# run_us OUTFILE CMD...: the wall time of one run in microseconds
run_us() {
	local out=$1 t0 t1
	shift
	t0=$(now_us)
	"$@" >"$out" 2>&1 || { echo "bench: failed: $*" >&2; cat "$out" >&2; exit 1; }
	t1=$(now_us)
	echo $((t1 - t0))
}

# ir CMD...: the instructions one run executes, in millions
ir() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" \
		2>&1 >/dev/null | awk '/refs:/ { gsub(",", "", $NF); print $NF / 1e6 }'
}

# compare NAME DB "CMD" "FLOOR-SQL": prints one table row
compare() {
	local name=$1 db=$2 cmd=$3 sql=$4 i a b rss
	if [ -n "${BENCH_IR:-}" ]; then
		a=$(eval "ir $cmd")
		b=$(ir sqlite3 "$db" "$sql")
		printf '%-9s %-22s %9.1f %9.1f %7.2fx\n' "$size_label" "$name" \
			"$a" "$b" "$(echo "$a / $b" | bc -l)"
		return
	fi
	: >"$work/a" ; : >"$work/b"
	# one warm-up each: both read the file through the same page cache
	eval "$cmd" >/dev/null
	sqlite3 "$db" "$sql" >/dev/null
	for ((i = 0; i < runs; i++)); do
		run_us "$work/out" bash -c "$cmd" >>"$work/a"
		run_us "$work/out" sqlite3 "$db" "$sql" >>"$work/b"
	done
	a=$(median <"$work/a")
	b=$(median <"$work/b")
	rss=$(bash -c "/usr/bin/time -f %M $cmd 2>&1 >/dev/null" | tail -n 1)
	printf '%-9s %-22s %9.1f %9.1f %7.2fx %9.1f\n' "$size_label" "$name" \
		"$(echo "$a / 1000" | bc -l)" "$(echo "$b / 1000" | bc -l)" \
		"$(echo "$a / $b" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
}

# cpu_ms PID: utime + stime in milliseconds
cpu_ms() {
	local s
	s=$(cat "/proc/$1/stat")
	s=${s##*) }
	set -- $s
	echo $(((${12} + ${13}) * 1000 / hz))
}

# settle PID: waits until the process used no CPU for 100 ms; prints it
settle() {
	local prev cur
	prev=$(cpu_ms "$1")
	while :; do
		sleep 0.1
		cur=$(cpu_ms "$1")
		[ "$cur" = "$prev" ] && break
		prev=$cur
	done
	echo "$cur"
}

t() { tmux -S "$sock" -f /dev/null "$@"; }

# wait_screen TEXT: until the desk's screen shows TEXT (60 s at most)
wait_screen() {
	local i
	for ((i = 0; i < 6000; i++)); do
		t capture-pane -p -t desk 2>/dev/null | grep -qF -- "$1" && return 0
		sleep 0.01
	done
	echo "bench: the desk never showed '$1'" >&2
	t capture-pane -p -t desk >&2 || true
	exit 1
}

# wait_status TEXT: until the status line (the last but one) begins with TEXT
wait_status() {
	local i
	for ((i = 0; i < 6000; i++)); do
		t capture-pane -p -t desk 2>/dev/null | tail -n 2 | head -n 1 |
			grep -q "^$1" && return 0
		sleep 0.01
	done
	echo "bench: the desk's status line never held '$1'" >&2
	t capture-pane -p -t desk >&2 || true
	exit 1
}

desk() {
	local db=$work/desk.db pid first_ms before after i hwm
	rm -f "$db" "$db-wal" "$db-shm" "$work/desk.pid"
	cp "$1" "$db"
	t new-session -d -s desk -x 120 -y 40 \
		"bash -c 'echo \$\$ >$work/desk.pid; export TERM=tmux-256color LC_ALL=C.UTF-8; exec $kd --db $db'"
	while [ ! -s "$work/desk.pid" ]; do sleep 0.01; done
	pid=$(cat "$work/desk.pid")
	wait_screen "[Roster]"
	wait_screen "> 01"
	first_ms=$(settle "$pid")
	before=$(settle "$pid")
	for ((i = 1; i <= nkeys; i++)); do
		# praise, then void it with undo, so the board stays the same
		t send-keys -t desk p
		wait_status "王芳 点名表扬 "
		t send-keys -t desk u
		wait_status "Undone #"
		settle "$pid" >/dev/null
	done
	after=$(settle "$pid")
	hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
	t send-keys -t desk q
	while kill -0 "$pid" 2>/dev/null; do sleep 0.01; done
	t kill-server 2>/dev/null || true
	printf '%-9s %-22s %9s %9s %8s %9.1f\n' "$size_label" "desk first frame" \
		"$first_ms" "" "" "$(echo "$hwm / 1024" | bc -l)"
	printf '%-9s %-22s %9.1f\n' "$size_label" "desk entry key" \
		"$(echo "($after - $before) / (2 * $nkeys)" | bc -l)"
}

if [ -n "${BENCH_IR:-}" ]; then
	echo "kpidesk bench: month $month, instructions (callgrind, millions)"
	printf '%-9s %-22s %9s %9s %8s\n' events what "Minstr" "floor" ratio
else
	echo "kpidesk bench: month $month, $runs alternating runs a command, $nkeys desk entries"
	echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
	printf '%-9s %-22s %9s %9s %8s %9s\n' events what "ms" "floor ms" ratio "RSS MiB"
fi
for n in "${sizes[@]}"; do
	db=$data/events-$n.db
	size_label=$n
	compare "score --month" "$db" "$kd --db $db score --month $month" \
		"SELECT agent_id, category, quantity, count(*) FROM events
		 WHERE date BETWEEN '$first' AND '$last' AND voided_at IS NULL
		 GROUP BY agent_id, category, quantity"
	compare "review --format html" "$db" \
		"$kd --db $db review --month $month --format html" \
		"SELECT substr(date, 1, 7), agent_id, category, quantity, count(*)
		 FROM events WHERE date BETWEEN '$first6' AND '$last'
		 AND voided_at IS NULL
		 GROUP BY substr(date, 1, 7), agent_id, category, quantity"
	compare "events --month" "$db" "$kd --db $db events --month $month" \
		"SELECT e.id, a.name, e.date, e.category, e.quantity, e.note,
		 e.created_at FROM events AS e JOIN agents AS a ON a.id = e.agent_id
		 WHERE e.date BETWEEN '$first' AND '$last' AND e.voided_at IS NULL
		 ORDER BY e.date, e.id"
	[ -n "${BENCH_IR:-}" ] || desk "$db"
done
[ -n "${BENCH_IR:-}" ] ||
	echo "(desk rows: CPU ms; an entry key is the mean of $nkeys entries and their undos)"
