# R opens the month review: every column of the ranked board; for the
# highlighted agent each category's occurrences and points, the base,
# money line by line, the last six months as bars ("--" for months without
# a score) and the flags spelled out; < > change the month; P switches
# the presentation mode (fewer, wider columns, a blank line between rows);
# 80x24 still shows every column.
seed_team
PREV=$(date -d "$(date +%Y-%m-15) -1 month" +%Y-%m)
kd month set "$MONTH" --silent-sales 100000 >/dev/null
kd log ouyang praise 3 >/dev/null
kd log lina complaint --note "订单 1" >/dev/null
kd log zhangwei late 12 --date "$PREV-10" >/dev/null
kd log zhangwei late 5 >/dev/null
kd log zhangwei unreplied 3 >/dev/null
desk_start d
wait_for d "> 01 张伟"
keys d R
wait_for d "Month review $MONTH (open)"
wait_for d "Bonus pool 600.00 yuan (undistributed 0.00); 6 agents; 0 open appeals"
wait_re d "│ Rank Name +Tier +Score Grade +Change Pay adj\. +Bonus +Awards +Fines Flags +│"
wait_re d "│ +1 欧阳娜娜 +高级客服 +86\.00 B +▲6\.00 +\+60\.00 +240\.00 +350\.00 +0\.00 +│"
wait_re d "│ +5 李娜 +中级客服 +79\.00 C +▼1\.00 +-10\.00 +0\.00 +50\.00 +30\.00 No bonus +│"
wait_re d "│ +6 张伟 +初级客服 +69\.00 D +▼10\.00 +-110\.00 +0\.00 +0\.00 +0\.00 No bonus Demote"
# The first agent's breakdown, with the bars of the last two months.
wait_re d "│ 欧阳娜娜  高级客服  86\.00 B  rank 1 +Last six months"
wait_re d "│   点名表扬 +×3 +\+6\.00 "
wait_re d "│   Top-streak award +100\.00 "
wait_re d "│   Net +650\.00 "
wait_re d "06 +07 +08 +09 +10 +11 +│$"
wait_re d "-- +-- +-- +-- +80 +86 +│$"
wait_re d "█████ +█████ +│$"
# Down to 张伟: two categories, money, the bars and his flags in words.
keys d j j j j j
wait_re d "│ 张伟  初级客服  69\.00 D  rank 6 "
wait_re d "│   迟到/早退 +×1 +-1\.00 "
wait_re d "│   未及时回复\(30秒\) +×3 +-10\.00 "
wait_re d "│ Base: fixed 80\.00 "
wait_re d "│   Pay adjustment +-110\.00 "
wait_re d "│   Net +-110\.00 "
wait_re d "-- +-- +-- +-- +79 +69 +│$"
wait_re d "▆▆▆▆ +│$"
wait_for d "No performance bonus: score 69 < 80"
wait_for d "Demotion suggested: 2 months below 80"
# Last month: only 张伟 lost points; > comes back.
keys d "<"
wait_for d "Month review $PREV (open)"
wait_re d "│ +6 张伟 +初级客服 +79\.00 C "
keys d ">"
wait_for d "Month review $MONTH (open)"
keys d ">"
wait_for d "The review cannot show months after this one"
# Presentation: a reversed header of fewer columns, rows two lines apart.
keys d k k k k k P
wait_for d "Month review $MONTH (open) - presentation"
wait_re d "│  Rank  Name +Tier +Score  Grade +Change +Net  Flags +│"
wait_re d "│ +1  欧阳娜娜 +高级客服 +86\.00  B +▲6\.00 +650\.00 +│"
lines=$(screen d | grep -nE "│ +[0-9] +(欧阳娜娜|王小明) " | cut -d: -f1 | tr '\n' ' ')
expect_eq "rows two lines apart" "$lines" "5 7 "
keys d P
wait_gone d "(open) - presentation"
# 80x24: every column still there, narrower.
t resize-window -t d -x 80 -y 24
wait_for d "│ Bonus pool 600.00 yuan (undistributed 0.00); 6 agents; 0 open appeals"
wait_re d "│ Ran Name    Tier  Score Gr Change Pay adj   Bonus Awards  Fines Flags +│"
wait_re d "│   6 张伟    初级  69\.00 D  ▼10\.00 -110\.00    0\.00   0\.00   0\.00 No bonus \\+1 +│"
wait_re d "06 +07 +08 +09 +10 +11 +│"
t resize-window -t d -x 50 -y 12
wait_for d "Terminal too small"
t resize-window -t d -x 100 -y 30
wait_for d "Month review $MONTH (open)"
keys d Escape
wait_for d "[Roster]"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
