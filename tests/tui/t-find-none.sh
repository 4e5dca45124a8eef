# A search that matches nobody never guesses: Enter keeps the agent that
# was selected before `/` and says so, and the next hotkey logs for that
# agent, not for the last partial match. The box says which keys work.
seed_team
desk_start d
wait_for d "> 01 张伟"
keys d j j
wait_for d "> 03 李娜"
keys d /
wait_for d "Enter selects  Tab next"
type d "w"
wait_for d "> 01 张伟"
type d "q"
wait_for d 'No agent matches "wq"'
wait_for d "> 03 李娜"
keys d Enter
wait_for d 'No agent matches "wq": 李娜 stays selected'
keys d p
wait_for d "李娜 点名表扬 +2.00 → 82.00"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
# In Chinese, the hint line.
DESK_ENV=$ZH_ENV desk_start z
wait_for z "> 01 张伟"
keys z /
wait_for z "Enter 选中 Tab 下一个"
type z "wq"
keys z Enter
wait_for z "没有客服匹配“wq”:仍选中 张伟"
keys z q
expect_eq "exit status" "$(wait_exit z)" 0
