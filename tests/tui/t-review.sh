# R opens the month review: the ranked board full screen with score,
# grade, pay adjustment, bonus and flags; Esc returns to the desk.
seed_team
kd month set "$MONTH" --silent-sales 100000 >/dev/null
kd log ouyang praise 3 >/dev/null
kd log lina complaint --note "订单 1" >/dev/null
desk_start d
wait_for d "> 01 张伟"
keys d R
wait_for d "Month review $MONTH (open)"
wait_for d "Bonus pool 600.00 yuan"
wait_re d "Rank +Name +Tier +Score +Grade +Change +Pay adj\. +Bonus +Fines +Flags"
wait_re d "^│ +1 欧阳娜娜 +高级客服 +86\.00 B +\+60\.00 +540\.00 +0\.00"
wait_re d "6 李娜 +中级客服 +79\.00 C +-10\.00 +50\.00 +30\.00 no_bonus"
keys d Escape
wait_for d "[Roster]"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
