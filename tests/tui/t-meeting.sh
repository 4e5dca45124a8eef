# The review on a projector. At 160x45 and 200x55 the board shows every
# agent of a team of thirty beside the breakdown and the chart; the
# presentation shows every agent when they fit and otherwise says how many
# are above and below and scrolls (it used to show nine of ten and leave
# rows blank). The chart tells 88, 88.5 and 87 apart and marks the base
# line at 80. Grades and money have colours, and without colour bold.
kd demo --agents 30 >/dev/null || fail "demo"
on_board=$(kd score --format csv | tail -n +2 | wc -l)

# Rows of the board: lines that start with a rank and a name.
board_rows() { screen "$1" | grep -cE "^│ +[0-9]+ +[^ 0-9]"; }

# Rows of the chart: lines with a full block.
chart_rows() { screen "$1" | grep -c "█"; }
DESK_COLS=100 DESK_ROWS=30 desk_start small
wait_for small "> 01 "
keys small R
wait_for small "Last six months"
wait_re small "█"
small_chart=$(chart_rows small)
keys small Escape q
wait_exit small >/dev/null

for size in 160x45 200x55; do
	DESK_COLS=${size%x*} DESK_ROWS=${size#*x} desk_start "m$size"
	wait_for "m$size" "> 01 "
	keys "m$size" R
	wait_for "m$size" "; $on_board agents;"
	wait_for "m$size" "Last six months"
	wait_re "m$size" "^│ +$on_board +[^ ]+ "
	expect_eq "$size: every agent on the board" "$(board_rows "m$size")" "$on_board"
	# The chart grows with the screen.
	[ "$(chart_rows "m$size")" -gt "$small_chart" ] ||
		fail "$size: the chart ($(chart_rows "m$size") rows) is not taller than at 100x30 ($small_chart)"
	keys "m$size" P
	wait_for "m$size" "(open) - presentation"
	wait_re "m$size" "^│ +$on_board +[^ ]+ "
	expect_eq "$size: every agent in the presentation" "$(board_rows "m$size")" "$on_board"
	keys "m$size" Escape q
	expect_eq "$size: exit status" "$(wait_exit "m$size")" 0
done

# 100x30: the presentation cannot show thirty; it says so and scrolls.
desk_start p
wait_for p "> 01 "
keys p R P
wait_for p "(open) - presentation"
wait_re p "0 more above, [0-9]+ more below \(1/$on_board\)"
for _ in $(seq "$on_board"); do keys p j; done
wait_re p "[0-9]+ more above, 0 more below \($on_board/$on_board\)"
wait_re p "^│ +$on_board +[^ ]+ "
keys p Escape q
expect_eq "100x30: exit status" "$(wait_exit p)" 0
