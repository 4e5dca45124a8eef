# The six-month chart: values under the bars, the base line at 80 drawn
# and labelled, and bars that differ by half a point (88, 88.5, 87). The
# grade and money below zero have colours; with NO_COLOR they are bold.
seed_team
m2=$(date -d "$(date +%Y-%m-15) -2 month" +%Y-%m)
m1=$(date -d "$(date +%Y-%m-15) -1 month" +%Y-%m)
logn() { # AGENT CATEGORY COUNT DATE
	for _ in $(seq "$3"); do kd log "$1" "$2" --date "$4" >/dev/null || fail "log $*"; done
}
logn 张伟 praise 4 "$m2-10"
logn 张伟 praise 5 "$m1-10"
logn 张伟 curt 3 "$m1-11"
logn 张伟 praise 4 "$TODAY"
logn 张伟 curt 2 "$TODAY"
logn 王小明 absent 1 "$TODAY"
DESK_COLS=160 DESK_ROWS=45 desk_start d
wait_for d "> 01 张伟"
keys d R
wait_for d "Last six months"
# 张伟 is first (87.00); the chart's scores and base line.
wait_re d "│ 张伟  初级客服  87\.00 "
wait_re d " 88 +88\.5 +87 +│$"
wait_re d "^│.*│ +80-+"
# Each bar's height in eighths, from the block characters of its column.
heights=$(screen d | python3 -c '
import sys
blocks = {" ": 0, "▁": 1, "▂": 2, "▃": 3, "▄": 4, "▅": 5, "▆": 6, "▇": 7, "█": 8}
rows = [l.rstrip("\n") for l in sys.stdin]
chart = [l.split("│")[2] for l in rows if l.count("│") >= 3]
cols = {}
for l in chart:
    for i, ch in enumerate(l):
        if ch in "▁▂▃▄▅▆▇█":
            cols[i] = cols.get(i, 0) + blocks[ch]
# one column per bar: the last cell of each run of bar cells
bars = [cols[i] for i in sorted(cols) if i + 1 not in cols]
print(" ".join(str(b) for b in bars))
')
set -- $heights
[ $# -eq 3 ] || fail "three bars expected, got: $heights"
[ "$2" -gt "$1" ] && [ "$1" -gt "$3" ] || fail "bars 88 / 88.5 / 87 not in order: $heights"
# Colours: grade D of 王小明 ... the F/E/red cells. 张伟 B is green.
esc=$(printf '\033')
t capture-pane -e -p -t d | grep -q "${esc}\[3[12]m" || fail "no green or red on the board"
keys d Escape q
expect_eq "exit status" "$(wait_exit d)" 0
DESK_ENV="LC_ALL=C.UTF-8 NO_COLOR=1" desk_start n
wait_for n "> 01 张伟"
keys n R
wait_for n "Last six months"
t capture-pane -e -p -t n | grep -q "${esc}\[3[0-7]m" && fail "colour with NO_COLOR"
keys n Escape q
expect_eq "NO_COLOR: exit status" "$(wait_exit n)" 0
