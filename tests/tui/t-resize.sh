# Resizing at any moment, prompts open included: below the minimum a
# "too small" notice, between it and 80x24 the panes stack, and back.
seed_team
desk_start d
wait_for d "> 01 张伟"
t resize-window -t d -x 40 -y 10
wait_for d "Terminal too small"
wait_for d "40x10, needs at least 60x16"
t resize-window -t d -x 20 -y 5
wait_for d "Terminal too small"
t resize-window -t d -x 70 -y 20
wait_for d "[Roster]"
wait_for d " Board "
wait_gone d "too small"
t resize-window -t d -x 100 -y 30
wait_for d "[Roster]"
# With a prompt open.
keys d l
wait_for d "minutes?"
t resize-window -t d -x 30 -y 8
wait_for d "Terminal too small"
t resize-window -t d -x 100 -y 30
wait_for d "张伟 迟到/早退: minutes?"
keys d 5 Enter
wait_for d "张伟 迟到/早退 5 min -1.00 → 79.00"
t resize-window -t d -x 61 -y 16
wait_for d "[Roster]"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
expect_restored d
expect_eq "saved" "$(kd events --format csv | wc -l)" 2
