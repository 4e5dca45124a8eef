# A category's fine stays on the line of its category in the review's
# breakdown at every width (it used to wrap onto a line of its own).
seed_team
for i in 1 2 3; do kd log 张伟 complaint --note "订单 $i" >/dev/null || fail "log"; done
for size in 80x24 100x30 160x45 200x55; do
	DESK_COLS=${size%x*} DESK_ROWS=${size#*x} desk_start "d$size"
	wait_for "d$size" "> 01 张伟"
	keys "d$size" R
	wait_for "d$size" "[Month review"
	keys "d$size" j j j j j
	wait_re "d$size" "服务态度.* ×3 +-[0-9]+\.[0-9]{2} fine [0-9]+\.[0-9]{2} "
	keys "d$size" Escape q
	expect_eq "$size: exit status" "$(wait_exit "d$size")" 0
done
