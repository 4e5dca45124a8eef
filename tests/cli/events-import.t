# events import (issue 10): a year of a team's entries kept in a
# spreadsheet before kpidesk, brought in as one import; the months then
# score exactly as if each entry had been logged one by one, look-backs
# (streaks, promotion, demotion) included.
kd agent add 张伟 --handle zhangwei --hired 2025-01-01
kd agent add 李娜 --handle lina --tier intermediate --hired 2024-05-01
kd agent add 王芳 --handle wangfang --hired 2025-11-15
bash $TESTS_DIR/cli/gen-year.sh > year.csv
wc -l < year.csv
head -4 year.csv
# The sheet as the lead has it: dates as date cells, quantities as numbers.
$MAKE_XLSX year.csv year.xlsx --sheet 2026年记录
kd events import year.xlsx
kd events --month 2025-11
# The same file again would count every entry twice: refused, unless
# --again says it is meant.
kd events import year.xlsx
kd events --month 2026-10 --format csv | wc -l
# The same entries logged one by one into a second database.
for a in "张伟 --handle zhangwei --hired 2025-01-01" "李娜 --handle lina --tier intermediate --hired 2024-05-01" "王芳 --handle wangfang --hired 2025-11-15"; do $KPIDESK --db one.db agent add $a > /dev/null; done
tail -n +2 year.csv | while IFS=, read -r d a c q n; do set -- "$a" "$c"; [ -n "$q" ] && set -- "$@" "$q"; [ -n "$n" ] && set -- "$@" --note "$n"; $KPIDESK --db one.db log "$@" --date "$d" > /dev/null || echo "refused: $d $a $c"; done
for m in 2025-11 2025-12 2026-01 2026-02 2026-03 2026-04 2026-05 2026-06 2026-07 2026-08 2026-09 2026-10; do kd score --month $m --format csv > a.csv; $KPIDESK --db one.db score --month $m --format csv > b.csv; cmp -s a.csv b.csv && echo "$m: the same" || diff a.csv b.csv; done
kd score --month 2026-10
for m in 2025-11 2026-04 2026-10; do kd events --month $m --format csv | cut -d, -f1-7,9 > a.csv; $KPIDESK --db one.db events --month $m --format csv | cut -d, -f1-7,9 > b.csv; cmp a.csv b.csv && echo "$m: the same events"; done
# English headers and a UTF-8 CSV with a BOM; a category by its label.
printf '\xef\xbb\xbfdate,agent,category,quantity,note\r\n@TODAY@,zhangwei,迟到/早退,12,\r\n@TODAY@,王芳,praise,,\r\n' > en.csv
kd events import en.csv
kd events import en.csv --again
kd events --month @MONTH@
# (A workbook LibreOffice writes is read in tests/cli/import-lo.sh.)
# All or nothing: every problem named by its line, nothing written.
printf '日期,客服,类别,数量,备注\n@TODAY@,张伟,late,5,\n@TOMORROW@,张伟,praise,,\n2024-12-31,张伟,praise,,\n@TODAY@,小周,praise,,\n@TODAY@,李娜,lateness,1,\n@TODAY@,李娜,unreplied,0,\n@TODAY@,李娜,unreplied,1441,\n@TODAY@,李娜,complaint,1,\n@TODAY@,李娜,late,,\n2026-02-30,李娜,praise,,\n,李娜,praise,,\n@TODAY@,,,,\n' > bad.csv
kd events import bad.csv
kd events --month @MONTH@ --format csv | wc -l
# A closed month refuses its entries; the rest of the file is not imported.
kd month close 2025-11 --yes > /dev/null
printf 'date,agent,category\n2025-11-20,张伟,praise\n@TODAY@,张伟,praise\n' > closed.csv
kd events import closed.csv
# With other problems in the file, its entries in a closed month are named
# too: every problem at once, not the closed month only after the rest are
# fixed.
printf 'date,agent,category,quantity\n2025-11-20,张伟,praise,\n@TODAY@,张伟,late,\n2025-11-21,张伟,late,\n' > closed2.csv
kd events import closed2.csv
# Files that are not a sheet of entries.
printf 'name,sales\n张伟,1\n' > columns.csv
kd events import columns.csv
printf '日期,客服,类别\n' > header.csv
kd events import header.csv
kd events import year.xlsx --sheet Sheet9
kd events import year.csv --sheet 2026年记录
kd events import missing.csv
kd events import
