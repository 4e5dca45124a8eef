# Voiding keeps the row, with its reason; events --all shows it.
kd agent add 张伟 --handle zhangwei --hired 2025-01-10
kd log 张伟 complaint --date 2026-10-01 --note "订单 1"
kd log 张伟 complaint --date 2026-10-02 --note "订单 2"
kd log 张伟 complaint --date 2026-10-03 --note "订单 3"
kd events --month 2026-10
kd void 2 --reason "客户撤诉"
kd events --month 2026-10
kd events --month 2026-10 --all --format json
kd void 2 --reason "again"
kd void 99 --reason "no such"
kd void 1
kd void 1 --reason ""
kd void x1 --reason "bad id"
kd events --date 2026-10-03 --agent zhangwei
kd events --month 2026-10 --date 2026-10-03
kd events --month 2026-13
kd events --agent 王五
