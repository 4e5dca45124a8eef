# KPI mode (config/presales-kpi.ini, data/kpi-2026-10-zh-gb18030.csv): the
# desk's board shows each agent's KPI base ("-" without figures) and, for
# the highlighted agent, each metric's value, band score and weighted
# points; the review shows the same in the breakdown.
CFG=$KPIDESK_SOURCE_ROOT/config/presales-kpi.ini
export KPIDESK_CONFIG=$CFG
kd agent add 张伟 --handle zhangwei --hired 2024-03-01 >/dev/null &&
	kd agent add 李娜 --handle lina --tier intermediate --hired 2023-05-01 >/dev/null &&
	kd agent add 王芳 --handle wangfang --hired 2024-07-01 >/dev/null &&
	kd agent add 刘洋 --handle liuyang --hired 2026-08-15 >/dev/null &&
	kd agent add 欧阳娜娜 --handle ouyang --tier senior --hired 2022-01-10 >/dev/null &&
	kd agent add 陈静 --handle chenjing --hired 2025-02-01 >/dev/null &&
	kd agent add 杨磊 --handle yanglei --hired 2025-06-01 >/dev/null &&
	kd agent add 赵敏 --handle zhaomin --hired 2025-09-01 >/dev/null ||
	fail "agents"
kd kpi import "$KPIDESK_SOURCE_ROOT/data/kpi-2026-10-zh-gb18030.csv" --month 2026-10 >/dev/null ||
	fail "kpi import"
kd log 王芳 late 5 --date 2026-10-09 >/dev/null || fail "log"
# Steps from this month back to 2026-10.
back=$(( ($(date +%Y) - 2026) * 12 + 10#$(date +%m) - 10 ))
desk_start d --config "$CFG"
wait_for d "> 01 张伟"
# This month has no figures: every base is "-", the highlighted agent
# says so.
keys d Tab Tab
wait_for d "[Board $MONTH]"
wait_re d "│ 1 [^ ]+ +- +80\.00 B"
wait_re d "│张伟: no KPI \(base 80\.00\) +│$"
for _ in $(seq "$back"); do keys d "<"; done
wait_for d "[Board 2026-10]"
# Rank, name, KPI base, score (王芳's late entry costs a point), grade.
wait_re d "│ 1 李娜    99\.10  99\.10 A     │$"
wait_re d "│ 5 王芳    87\.10  86\.10 B     │$"
wait_re d "│ 8 刘洋     0\.00   0\.00 F   ! │$"
wait_re d "│李娜: KPI 99\.10 +│$"
wait_re d "│付款成交额   98\.00%   98 44\.10│$"
keys d j j j j
wait_re d "│王芳: KPI 87\.10 +│$"
wait_re d "│付款成交额   95\.00%   94 42\.30│$"
wait_re d "│付款转化率   55\.50%   82 32\.80│$"
wait_re d "│平均响应时  21\.90 s   80  4\.00│$"
wait_re d "│客单价       93\.45%   80  4\.00│$"
wait_re d "│回复率       95\.00%   80  4\.00│$"
# The review of that month: the same agent, the same numbers.
keys d R
wait_for d "Month review 2026-10 (open)"
press_until d j "│ 王芳  初级客服" 8
wait_re d "│ 王芳  初级客服  86\.10 B  rank 5 "
wait_re d "│   迟到/早退 +×1 +-1\.00 "
wait_re d "│ Base: KPI 87\.10 "
wait_re d "│   付款成交额 +95\.00% band 94 +×45% +42\.30 "
wait_re d "│   付款转化率 +55\.50% band 82 +×40% +32\.80 "
wait_re d "│   平均响应时间 +21\.90 s band 80 +×5% +4\.00 "
wait_re d "│   客单价 +93\.45% band 80 +×5% +4\.00 "
wait_re d "│   回复率 +95\.00% band 80 +×5% +4\.00 "
# An agent without figures this month: the base says so.
for _ in $(seq "$back"); do keys d ">"; done
wait_for d "Month review $MONTH (open)"
wait_re d "│ Base: no KPI figures, 80\.00 "
wait_re d "No KPI data: no KPI figures this month; base"
keys d Escape q
expect_eq "exit status" "$(wait_exit d)" 0
