#!/bin/sh
# bench/gen.sh KPIDESK N OUT.db: builds a benchmark database of N events.
#
# 30 agents are added with `kpidesk agent add` (so the file is one kpidesk
# created, schema and audit included); then one SQL transaction run by the
# sqlite3 CLI inserts N events spread evenly over the 24 months ending with
# the current one (N/24 in the benchmark month: 41.7k for 1M), each with the
# `event.add` audit row kpidesk itself writes, and voids 1 in 100 with its
# `event.void` row. Categories, quantities and notes follow the shipped
# rulebook (config/kpidesk.ini): complaints and quarrels carry the order
# number the rulebook requires. The rows come from a fixed integer hash of
# the row number, so the same N always gives the same file.
set -eu

kd=$1
n=$2
out=$3
here=$(cd "$(dirname "$0")" && pwd)
config=$here/../config/kpidesk.ini

rm -f "$out" "$out-wal" "$out-shm"
first=$(date -d "$(date +%Y-%m-01) -23 months" +%Y-%m-01)

i=0
for name in 王芳 李娜 张伟 刘洋 陈静 杨帆 赵磊 黄敏 周婷 吴昊 \
	    徐丽 孙强 胡杰 朱琳 高翔 林雪 何平 郭涛 马骏 罗娟 \
	    梁晨 宋佳 郑凯 谢雨 韩梅 唐宁 冯博 于洁 董悦 萧然; do
	i=$((i + 1))
	"$kd" --db "$out" --config "$config" agent add "$name" \
		--handle "cs$(printf %02d $i)" --tier junior \
		--hired "$first" >/dev/null
done

# A murmur-style finaliser in SQL, one CTE a step, on 31-bit values (SQLite
# integers are signed 64-bit and have no XOR: a ^ b = (a | b) - (a & b)).
mix() {
	printf '%s AS (SELECT n, m' "$2"
	for f in h1 h2 h3 h4 h5; do
		printf ', ((%s | (%s >> %s)) - (%s & (%s >> %s))) AS %s' \
			"$f" "$f" "$3" "$f" "$f" "$3" "$f"
	done
	printf ' FROM %s),' "$1"
}
mul() {
	printf '%s AS (SELECT n, m' "$2"
	for f in h1 h2 h3 h4 h5; do
		printf ', (%s * %s) & 2147483647 AS %s' "$f" "$3" "$f"
	done
	printf ' FROM %s),' "$1"
}

sqlite3 "$out" >/dev/null <<SQL
PRAGMA journal_mode = WAL;
BEGIN;
CREATE TEMP TABLE gen AS
WITH RECURSIVE r(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM r WHERE n + 1 < $n),
h0 AS (
  SELECT n,
    (n * 24) / $n AS m,
    (n * 2654435761 + 12345) & 2147483647 AS h1,
    (n * 2246822519 + 54321) & 2147483647 AS h2,
    (n * 3266489917 + 99991) & 2147483647 AS h3,
    (n * 668265263 + 77777) & 2147483647 AS h4,
    (n * 374761393 + 31337) & 2147483647 AS h5
  FROM r),
$(mix h0 h1s 16)
$(mul h1s h2s 2246822507)
$(mix h2s h3s 13)
$(mul h3s h4s 3266489909)
$(mix h4s h 16)
d AS (
  SELECT n, h1, h2, h3, h4, h5,
    date('$first', '+' || m || ' months') AS month_first,
    CAST(julianday(date('$first', '+' || (m + 1) || ' months'))
       - julianday(date('$first', '+' || m || ' months')) AS INTEGER) AS days,
    ($n * m + 23) / 24 AS m_start,
    ($n * (m + 1) + 23) / 24 - ($n * m + 23) / 24 AS m_count
  FROM h),
c AS (
  SELECT n, h1, h2, h4, h5, month_first,
    -- entries go in day by day; 1 in 20 is logged a few days late
    min(days - 1, max(0, ((n - m_start) * days) / max(m_count, 1)
      - CASE WHEN h4 % 20 = 0 THEN h1 % 5 ELSE 0 END)) AS day,
    CASE
      WHEN h3 % 1000 < 200 THEN 'curt'
      WHEN h3 % 1000 < 380 THEN 'mistake'
      WHEN h3 % 1000 < 530 THEN 'unreplied'
      WHEN h3 % 1000 < 640 THEN 'late'
      WHEN h3 % 1000 < 740 THEN 'unchased'
      WHEN h3 % 1000 < 820 THEN 'praise'
      WHEN h3 % 1000 < 870 THEN 'extra'
      WHEN h3 % 1000 < 900 THEN 'cover'
      WHEN h3 % 1000 < 930 THEN 'shirk'
      WHEN h3 % 1000 < 955 THEN 'offpost'
      WHEN h3 % 1000 < 980 THEN 'complaint'
      WHEN h3 % 1000 < 990 THEN 'overpromise'
      WHEN h3 % 1000 < 995 THEN 'absent'
      ELSE 'quarrel' END AS category
  FROM d)
SELECT n,
  1 + h2 % 30 AS agent_id,
  date(month_first, '+' || day || ' days') AS date,
  category,
  CASE
    WHEN category = 'late' THEN 1 + (h4 >> 3) % 45
    WHEN category IN ('curt', 'mistake', 'unreplied', 'unchased')
      THEN CASE WHEN (h4 >> 3) % 10 < 8 THEN 1 WHEN (h4 >> 3) % 10 < 9 THEN 2 ELSE 3 END
    ELSE 1 END AS quantity,
  CASE
    WHEN category IN ('complaint', 'quarrel')
      THEN '订单号 ' || (260000000000 + h5 % 9999999999)
    WHEN h5 % 5 = 0 THEN
      CASE h5 % 7
        WHEN 0 THEN '客户催发货未及时回复'
        WHEN 1 THEN '夜班交接'
        WHEN 2 THEN '订单号 ' || (260000000000 + h1 % 9999999999)
        WHEN 3 THEN '质检抽查'
        WHEN 4 THEN '大促当天'
        WHEN 5 THEN '店长反馈'
        ELSE '聊天记录已截图' END
    END AS note,
  date(month_first, '+' || day || ' days') || ' '
    || printf('%02d:%02d:%02d', 9 + h1 % 12, h2 % 60, h4 % 60) AS created_at,
  h5 % 100 = 7 AS voided
FROM c;

INSERT INTO events (id, agent_id, date, category, quantity, note,
                    created_at, actor)
  SELECT n + 1, agent_id, date, category, quantity, note, created_at, 'kpidesk'
  FROM gen ORDER BY n;
INSERT INTO audit (at, actor, action, subject, detail)
  SELECT created_at, 'kpidesk', 'event.add', 'event:' || (n + 1),
    json_object('agent_id', agent_id, 'date', date, 'category', category,
                'quantity', quantity, 'note', note)
  FROM gen ORDER BY n;
UPDATE events SET voided_at = substr(created_at, 1, 10) || ' 18:00:00',
  void_reason = '误记,已核实', voided_by = 'kpidesk'
  WHERE id IN (SELECT n + 1 FROM gen WHERE voided);
INSERT INTO audit (at, actor, action, subject, detail)
  SELECT e.voided_at, 'kpidesk', 'event.void', 'event:' || e.id,
    json_object('reason', e.void_reason, 'agent_id', e.agent_id,
                'date', e.date, 'category', e.category,
                'quantity', e.quantity)
  FROM events AS e WHERE e.voided_at IS NOT NULL ORDER BY e.id;
DROP TABLE gen;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
