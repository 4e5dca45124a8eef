#!/usr/bin/env bash
# A year of a team's entries (2025-11-01 .. 2026-10-31) as the lead kept
# them in a spreadsheet before kpidesk: 日期,客服,类别,数量,备注, CSV on
# stdout. Deterministic (a fixed linear congruential generator), so the
# scenario's transcript never changes. Categories by key or by label.
set -eu
seed=20251101
rand() { seed=$(((seed * 1103515245 + 12345) % 2147483648)); r=$((seed / 65536 % $1)); }
echo "日期,客服,类别,数量,备注"
day=$(date -u -d 2025-11-01 +%s)
end=$(date -u -d 2026-10-31 +%s)
while [ "$day" -le "$end" ]; do
	d=$(date -u -d "@$day" +%F)
	for agent in 张伟 李娜 王芳 lina; do
		[ "$agent" = 王芳 ] && [[ "$d" < 2025-11-15 ]] && continue
		rand 100
		[ "$r" -ge 15 ] && continue
		rand 9
		case $r in
		0) rand 45; echo "$d,$agent,late,$((r + 1)),";;
		1) rand 3; echo "$d,$agent,unreplied,$((r + 1)),";;
		2) echo "$d,$agent,点名表扬,,买家好评";;
		3) rand 1000; echo "$d,$agent,complaint,1,订单 2026$r";;
		4) echo "$d,$agent,cover,1,";;
		5) echo "$d,$agent,offpost,,";;
		6) echo "$d,$agent,生硬/单字回复,2,";;
		7) echo "$d,$agent,mistake,1,忘记备注";;
		8) echo "$d,$agent,extra,1,大促加班";;
		esac
	done
	day=$((day + 86400))
done
