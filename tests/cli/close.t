# Closing a month (RULEBOOK.md section 11): the board and the rulebook text
# are stored; the closed month shows that snapshot whatever the rulebook
# says later, refuses new events until reopened, and later months' look-backs
# use its stored ranks. Tested by changing the rulebook after closing.
kd agent add 张伟 --handle zhangwei --hired 2024-03-01
kd agent add 李娜 --tier intermediate --hired 2023-05-01
kd agent add 王芳 --hired 2024-07-01
# September: 张伟 90 (two covers), 王芳 84 (two praises), 李娜 70 (off post twice)
kd log 张伟 cover 2 --date 2026-09-03
kd log 王芳 praise 2 --date 2026-09-04
kd log 李娜 offpost 2 --date 2026-09-06
kd log 李娜 complaint --date 2026-09-08 --note "订单 7"
kd month set 2026-09 --silent-sales 100000
kd appeal 4 --reason "不是我接待的"
# open appeals stop the close unless confirmed
kd month close 2026-09
kd score --month 2026-09 | head -1
kd month close 2026-09 --yes
kd score --month 2026-09
kd month close 2026-09 --yes
# a changed rulebook: covers score nothing, another team name and label
sed -e 's/^name = 售前客服组/name = 售前二组/' -e '/^\[category.cover\]/,/^points/{s/^points = 5/points = 0/;s/^label = 主动顶班/label = 顶班(新)/}' $SRC/config/kpidesk.ini > changed.ini
kd --config changed.ini config check changed.ini
# the closed month is its snapshot: same numbers, its own team name and labels
kd --config changed.ini score --month 2026-09
kd --config changed.ini score --month 2026-09 --format json
kd --config changed.ini events --month 2026-09 --agent 张伟
kd --config changed.ini review --month 2026-09 --format csv
# events, appeals, sales and metrics of a closed month are refused
kd log 张伟 praise --date 2026-09-20
kd void 1 --reason "录错"
kd appeal 1 --reason "不服"
kd appeal resolve 4 void --reason "核实"
kd month set 2026-09 --silent-sales 5
printf 'agent,sales,target\n张伟,100,100\n' > kpi.csv
kd kpi import kpi.csv --month 2026-09
# October: 张伟 first again. The look-back reads September's snapshot
# (张伟 first there): a top streak of 2, 100 yuan, under the changed rules too
kd log 张伟 praise --date 2026-10-02
kd --config changed.ini score --month 2026-10 --format csv
# reopening needs a reason and scores September with the rules in force
kd month reopen 2026-09
kd month reopen 2026-10 --reason "没关过"
kd --config changed.ini month reopen 2026-09 --reason "顶班规则改了"
kd --config changed.ini score --month 2026-09
# now September rescored puts 王芳 first: 张伟's October streak is 1 (50 yuan)
kd --config changed.ini score --month 2026-10 --format csv
kd log 张伟 praise --date 2026-09-20
kd month reopen 2026-09 --reason "again"
# closing again stores the new rules; months not yet begun cannot close
kd --config changed.ini appeal resolve 4 uphold --reason "核实属实"
kd --config changed.ini month close 2026-09
kd score --month 2026-09 --format csv
kd month close 2099-01
kd month close 2026-13
kd month close
