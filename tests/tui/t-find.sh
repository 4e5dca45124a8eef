# / finds an agent by name, handle or id as you type; Tab steps through
# several matches; Enter keeps the match, Esc goes back.
seed_team
desk_start d
wait_for d "> 01 张伟"
keys d /
wait_for d "Name, handle or id:"
type d "ouy"
wait_for d "> 02 欧阳娜娜"
keys d Enter
wait_for d "欧阳娜娜 (#2) selected"
keys d p
wait_for d "欧阳娜娜 点名表扬 +2.00 → 82.00"
keys d /
type d "娜"
wait_for d "2 agents match; Tab or Down for the next"
keys d Tab
wait_for d "> 03 李娜"
keys d BSpace
type d "6"
wait_for d "> 06 阿卜杜热…"
keys d Escape
wait_for d "> 02 欧阳娜娜"
keys d /
type d "nobody"
wait_for d 'No agent matches "nobody"'
keys d Escape q
expect_eq "exit status" "$(wait_exit d)" 0
