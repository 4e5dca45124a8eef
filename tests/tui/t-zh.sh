# The UI speaks Chinese under zh_CN.UTF-8 (gettext; run.sh picks a real
# zh_CN.UTF-8 locale, else LANGUAGE=zh_CN): title, panes, key bar, status;
# rulebook labels are shown as written.
seed_team
DESK_ENV=$ZH_ENV desk_start d
wait_for d "[客服]"
wait_for d "今日记录"
wait_for d "q 退出"
wait_for d "u 撤销"
wait_for d "进行中"
wait_for d "$(date +%F) 周$(echo 一二三四五六日 | cut -c$(( ($(date +%u) - 1) * 3 + 1 ))-$(( $(date +%u) * 3 )))"
keys d l
wait_for d "张伟 迟到/早退:多少分钟?"
keys d 1 2 Enter
wait_for d "张伟 迟到/早退 12分 -1.00 → 79.00"
keys d z
wait_for d "按键 z 在这里没有作用;? 查看所有按键"
keys d '?'
wait_for d "[按键]"
wait_re d "k Up +上移"
keys d Escape
wait_for d "[客服]"
# The review in Chinese: its title, columns, breakdown, key bar, and the
# confirmation before closing.
keys d R
wait_for d "[月度复盘 $MONTH(进行中)]"
wait_for d "奖金池 0.00 元(未分配 0.00);6 人;0 条未裁决申诉"
wait_for d "近六个月"
wait_for d "S 裁决申诉  P 投影模式  C 结账  E 导出"
keys d C
wait_for d "$MONTH 还没过完,现在结账?"
wait_for d "y 是,n 或 Esc 否"
keys d n
wait_for d "已取消:没有改动"
keys d Escape
wait_for d "[客服]"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
