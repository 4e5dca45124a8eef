# Closing as a lead does it: the key bar offers C for an open month and O
# for a closed one; closing a month that is not over warns first (a past
# month does not); exporting an open month warns as the command line does;
# the closer is a person. The Markdown says 结账 like the desk.
seed_team
PREV=$(date -d "$(date +%Y-%m-15) -1 month" +%Y-%m)
kd log 张伟 praise --date "$PREV-10" >/dev/null || fail "log"
desk_start d
wait_for d "> 01 张伟"
keys d R
wait_for d "[Month review $MONTH (open)]"
wait_re d "C close month  E export"
wait_gone d "O reopen month"
keys d C
wait_for d "[Close the month early]"
wait_for d "Close $MONTH before it is over?"
wait_re d "$MONTH is not over: it runs to $(date -d "$(date +%Y-%m-01) +1 month -1 day" +%F) \([0-9]+ more days\)"
keys d y
wait_for d "$MONTH closed"
wait_for d "[Month review $MONTH (closed)]"
wait_re d "O reopen month  E export"
wait_gone d "C close month"
wait_re d "Closed $TODAY [0-9:]{8} by $(id -un): from its snapshot"
# Last month is over: no early warning.
keys d "<"
wait_for d "[Month review $PREV (open)]"
keys d E
wait_for d "$PREV is open: its numbers can still change. Export it as:"
keys d Escape C
wait_for d "[Close the month]"
wait_for d "Close $PREV?"
wait_gone d "is not over"
keys d n Escape q
expect_eq "exit status" "$(wait_exit d)" 0
kd review --month "$MONTH" --format md | grep -q "状态: 已结账 (closed)" || fail "the Markdown does not say 已结账"
