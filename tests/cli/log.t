# Logging events and what is refused (exit 2, nothing written).
kd agent add 张伟 --handle zhangwei --hired 2025-01-10
kd agent add 王芳 --hired 2026-10-20
kd agent add 刘洋 --hired 2024-01-01
kd agent edit 刘洋 --left 2026-10-15
kd log 张伟 late 12 --date 2026-10-05
kd log zhangwei unreplied 3 --date 2026-10-06
kd log 1 迟到/早退 31 --date 2026-10-07
kd log 张伟 complaint --date 2026-10-08 --note "订单 2026100812345678"
kd log 张伟 praise
kd events --month 2026-10
# refusals
kd log 王五 late 5
kd log 张伟 lateness 5
kd log 张伟 late
kd log 张伟 late 0
kd log 张伟 late 1441
kd log 张伟 unreplied 2.5
kd log 张伟 unreplied -1
kd log 张伟 unreplied abc
kd log 张伟 complaint --date 2026-10-09
kd log 张伟 complaint --date 2026-10-09 --note "   "
kd log 张伟 quarrel --note $'\xff\xfe'
kd log 张伟 praise --note $'两行\n文字'
kd log 张伟 praise --date 2026-02-30
kd log 张伟 praise --date 2026/10/01
kd log 张伟 praise --date @TOMORROW@
kd log 王芳 praise --date 2026-10-19
kd log 刘洋 praise --date 2026-10-16
kd log 张伟 praise 1 2
kd log 张伟
kd log
kd log 张伟 praise --date
kd log 张伟 praise --when 2026-10-01
# the log is unchanged by all of that
kd events --month 2026-10 --format csv
kd log 刘洋 praise --date 2026-10-15
kd log 王芳 praise --date 2026-10-20
