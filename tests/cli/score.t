# The month's board, end to end, with the seeds' worked examples:
# 91 -> +110 yuan, 68 -> -120 yuan, exactly 90 is a B, four light
# categories trigger the -20 combination, probation before month 3.
kd agent add 张伟 --handle zhangwei --hired 2024-03-01
kd agent add 李娜 --tier intermediate --hired 2023-05-01
kd agent add 王芳 --hired 2024-07-01
kd agent add 刘洋 --hired 2026-08-15
kd agent add 欧阳娜娜 --tier senior --hired 2022-01-10
# 张伟: 80 + 2 covers (+10) + 1 praise (+2) - 2 curt (-1) = 91
kd log 张伟 cover 2 --date 2026-09-03
kd log 张伟 praise --date 2026-09-04
kd log 张伟 curt 2 --date 2026-09-05
# 李娜: 80 - 2 off post (-10) - late 16 min (-2) = 68, and two unchased orders (fine 5 each)
kd log 李娜 offpost 2 --date 2026-09-06
kd log 李娜 late 16 --date 2026-09-07
kd log 李娜 unchased 2 --date 2026-09-08
# 王芳: 80 + 5 praise = 90, a B (A is > 90)
kd log 王芳 praise 5 --date 2026-09-09
# 欧阳娜娜: four light categories below zero: -3 and the -20 combination = 57
kd log 欧阳娜娜 late 5 --date 2026-09-10
kd log 欧阳娜娜 unreplied --date 2026-09-11
kd log 欧阳娜娜 curt --date 2026-09-12
kd log 欧阳娜娜 mistake --date 2026-09-13
kd month set 2026-09 --silent-sales 200000
kd score --month 2026-09
kd score --month 2026-09 --format csv
kd score --month 2026-09 --format json
kd events --month 2026-09 --agent 欧阳娜娜
# October: no events yet; the top streak of 张伟 continues only if first
kd log 张伟 praise --date 2026-10-02
kd score --month 2026-10 --format csv
kd score --month 2026-08 --format csv
# refusals
kd score --month 2026-1
kd score --format yaml
kd month set 2026-09 --silent-sales -5
kd month set 2026-09 --silent-sales 1,000
kd month set 2026-09 --silent-sales 10.005
kd month set 2026-09
kd month set 2026-13 --silent-sales 5
