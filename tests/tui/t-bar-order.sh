# The key bar puts the categories the log's month uses most first: the
# month's counts (from its board), not the shown day's, so the bar stays
# put while back-filling another day of the month.
seed_team
kd log 李娜 curt 3 >/dev/null || fail "log"
kd log 张伟 absent >/dev/null || fail "log"
desk_start d
wait_for d "> 01 张伟"
wait_re d "^ s 生硬  A 旷工  l 迟到 "
if [ "$(date +%d)" != 01 ]; then
	keys d "["
	wait_for d "Log ${YESTERDAY#*-}"
	wait_for d "No entries on this day"
	wait_re d "^ s 生硬  A 旷工 "
fi
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
