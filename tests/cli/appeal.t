# Appeals (PRODUCT.md "Appeals"): an appealed event stays counted and
# marked until the lead upholds it (it stands) or voids it (with a reason).
kd agent add 张伟 --handle zhangwei --hired 2025-01-10
kd agent add 李娜 --hired 2025-01-10
kd log 张伟 complaint --date 2026-10-01 --note "订单 1"
kd log 张伟 complaint --date 2026-10-02 --note "订单 2"
kd log 张伟 complaint --date 2026-10-03 --note "订单 3"
kd log 李娜 late 20 --date 2026-10-05
kd appeal 2 --reason "客户认错了人"
kd appeal 4 --reason "地铁停运"
kd events --month 2026-10
kd events --month 2026-10 --agent 李娜 --format json
# still counted while open: 80 - 5 (three complaints escalate) and 80 - 2
kd score --month 2026-10 --format csv
# refusals: twice, unknown, voided, no reason, not a number
kd appeal 2 --reason "again"
kd appeal 99 --reason "no such"
kd void 3 --reason "录错"
kd appeal 3 --reason "voided already"
kd appeal 1
kd appeal 1 --reason ""
kd appeal x1 --reason "bad id"
kd appeal
# uphold: the event stands, appeal closed as upheld
kd appeal resolve 2 uphold --reason "聊天记录核实属实"
kd appeal resolve 2 uphold --reason "twice"
kd appeal resolve 1 void --reason "no appeal"
kd appeal resolve 4 maybe --reason "bad outcome"
kd appeal resolve 4 void
kd appeal resolve 4
# void: the event is voided with the reason, in the same transaction
kd appeal resolve 4 void --reason "地铁停运, 有公告"
kd events --month 2026-10 --all
kd score --month 2026-10 --format csv
# an upheld event can be appealed again; voiding it settles the appeal
kd appeal 2 --reason "新证据"
kd void 2 --reason "新证据成立"
kd events --month 2026-10 --all --format json
