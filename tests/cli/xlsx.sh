#!/usr/bin/env bash
# `review --format xlsx` (PRODUCT.md "Payroll in Excel"): the workbook opens
# in LibreOffice headless, its board holds the month's numbers as numbers
# with the money format, a formula-like name stays text, the breakdown
# sheet lists each agent's lines, Chinese headers and sheet names under a
# Chinese locale, and the file is 0600. Skipped (77) without soffice.
set -u
: "${KPIDESK:?KPIDESK must point at the kpidesk binary}"
if ! command -v soffice >/dev/null 2>&1; then
	echo "soffice (libreoffice-calc-nogui) is not installed: skipped"
	exit 77
fi
export LC_ALL=C.UTF-8 TZ=UTC
unset KPIDESK_DB KPIDESK_CONFIG LANGUAGE
TOP=$(mktemp -d)
trap 'rm -rf "$TOP"' EXIT
DIR="$TOP/work"
export HOME="$TOP/home"
mkdir -p "$HOME" "$DIR"
cd "$DIR" || exit 99
kd() { "$KPIDESK" --db "$DIR/kpidesk.db" "$@"; }
fail=0
check() { # what expected actual
	if [ "$2" != "$3" ]; then
		echo "FAIL: $1"
		diff <(printf '%s\n' "$2") <(printf '%s\n' "$3")
		fail=1
	else
		echo "ok: $1"
	fi
}
# Convert every sheet of $1 to CSV as shown (the money format applied):
# files NAME-SHEET.csv in out/.
to_csv() {
	soffice --headless \
		--convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1' \
		-env:UserInstallation="file://$TOP/lo" --outdir out "$1" \
		>/dev/null 2>&1
}

{
	kd agent add 张伟 --handle zhangwei --hired 2026-06-01
	kd agent add 李娜 --tier intermediate --hired 2023-05-01
	kd agent add '=HYPERLINK("http://evil","点我")' --hired 2022-01-10
	kd log 张伟 cover --date 2026-08-03
	kd log 张伟 cover 2 --date 2026-09-03
	kd log 李娜 late 5 --date 2026-09-10
	kd log 李娜 complaint --date 2026-09-14 --note "订单 1"
	kd log '=HYPERLINK("http://evil","点我")' cover --date 2026-09-05
	kd month set 2026-09 --silent-sales 199980
	kd month close 2026-08
	kd month close 2026-09 --yes
} >/dev/null || { echo "FAIL: setting up"; exit 1; }

kd review --month 2026-09 --format xlsx --output review.xlsx
check "exit status" 0 $?
check "mode" 600 "$(stat -c %a review.xlsx)"
check "no temporary file left" "kpidesk.db
review.xlsx" "$(ls)"
to_csv review.xlsx
check "sheets" "review-Board.csv
review-Breakdown.csv" "$(ls out)"
# Pool 199980.00 x 0.006 = 1199.88: 40% = 479.95 and 30% = 359.96 (each
# share rounded on its own, RULEBOOK.md section 9). 张伟 90 (+5 on August,
# pay +100.00, awards 200 + streak 100 + attendance 50); the formula-like
# name 85; 李娜 78 with a fine of 30.00 (no bonus).
check "board" \
"rank,name,tier,score,grade,change,pay_adjust,pool_share,awards,fines,net,flags
1,张伟,junior,90.00,B,5.00,100.00,479.95,350.00,0.00,929.95,
2,\"=HYPERLINK(\"\"http://evil\"\",\"\"点我\"\")\",junior,85.00,B,5.00,50.00,359.96,150.00,0.00,559.96,
3,李娜,intermediate,78.00,C,-2.00,-20.00,0.00,0.00,30.00,-50.00,no bonus" \
	"$(tr -d '\r' <out/review-Board.csv)"
check "breakdown of 张伟" \
"rank,name,item,count,value,points,amount
1,张伟,base,,,80.00,
1,张伟,主动顶班,2,,10.00,
1,张伟,score,,,90.00,
1,张伟,pay_adjust,,,,100.00
1,张伟,pool_share,,,,479.95
1,张伟,award,,,,200.00
1,张伟,streak_award,,,,100.00
1,张伟,attendance_award,,,,50.00
1,张伟,fines,,,,0.00
1,张伟,net,,,,929.95" \
	"$(tr -d '\r' <out/review-Breakdown.csv | head -11)"
check "李娜's fine in the breakdown" "3,李娜,服务态度投诉(已核实),1,,-1.00,-30.00" \
	"$(tr -d '\r' <out/review-Breakdown.csv | grep '^3,李娜,服务态度')"
# The same sheet with raw values (not as shown): numbers are number cells
# (100.00 is 100, 1199.88 x 40% is 479.95), the name a text cell.
rm -rf out
soffice --headless \
	--convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1' \
	-env:UserInstallation="file://$TOP/lo" --outdir out review.xlsx \
	>/dev/null 2>&1
check "raw numbers" \
"1,张伟,junior,90,B,5,100,479.95,350,0,929.95,
2,\"=HYPERLINK(\"\"http://evil\"\",\"\"点我\"\")\",junior,85,B,5,50,359.96,150,0,559.96," \
	"$(tr -d '\r' <out/review-Board.csv | sed -n 2,3p)"

# Chinese: LANGUAGE=zh_CN under C.UTF-8 (glibc honours it there).
rm -rf out
LANGUAGE=zh_CN kd review --month 2026-09 --format xlsx --output 复盘.xlsx
to_csv 复盘.xlsx
check "Chinese sheet names" "复盘-明细.csv
复盘-月度排名.csv" "$(ls out | LC_ALL=C sort)"
check "Chinese board" \
"名次,姓名,职级,得分,等级,较上月,绩效工资,奖金池分成,奖励,罚款,合计,标记
1,张伟,初级客服,90.00,B,5.00,100.00,479.95,350.00,0.00,929.95,
2,\"=HYPERLINK(\"\"http://evil\"\",\"\"点我\"\")\",初级客服,85.00,B,5.00,50.00,359.96,150.00,0.00,559.96,
3,李娜,中级客服,78.00,C,-2.00,-20.00,0.00,0.00,30.00,-50.00,无业绩奖金" \
	"$(tr -d '\r' <out/复盘-月度排名.csv)"
check "Chinese breakdown" "名次,姓名,项目,次数,数值,分数,金额
1,张伟,基础分,,,80.00," "$(tr -d '\r' <out/复盘-明细.csv | head -2)"

# Refusals: the database's path; a format that does not exist.
kd review --month 2026-09 --format xlsx --output kpidesk.db 2>&1
check "database refused" 2 $?
# Without --output (not a terminal here) the workbook goes to stdout.
kd review --month 2026-09 --format xlsx >piped.xlsx
check "to stdout" "PK" "$(head -c 2 piped.xlsx)"

# The header row of both sheets is frozen (the pane below row 1).
check "frozen header" "xl/worksheets/sheet1.xml: frozen below row 1
xl/worksheets/sheet2.xml: frozen below row 1" "$(python3 - review.xlsx <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for n in sorted(x for x in z.namelist() if x.startswith("xl/worksheets/")):
    m = re.search(r'<pane [^>]*ySplit="1"[^>]*state="frozen"', z.read(n).decode())
    print(n + (": frozen below row 1" if m else ": not frozen"))
PY
)"

# Every CSV kpidesk writes, opened in LibreOffice as a double-click would
# (formulas evaluated): names and notes that look like formulas stay text.
{
	kd agent add '+1' --hired 2026-01-05
	kd agent add '-cmd' --hired 2026-01-05
	kd agent add '@SUM(A1)' --hired 2026-01-05
	kd log '=HYPERLINK("http://evil","点我")' praise --date 2026-10-02 --note "=cmd|' /C calc'!A0"
	kd log '+1' praise --date 2026-10-02 --note '+1'
	kd log '-cmd' late 2 --date 2026-10-02 --note '-2+3'
	kd log '@SUM(A1)' praise --date 2026-10-02 --note '@SUM(A1)'
} >/dev/null || { echo "FAIL: setting up the formula-like names"; exit 1; }
mkdir -p csvs
kd agent list --format csv >csvs/agents.csv
kd events --month 2026-10 --format csv >csvs/events.csv
kd score --month 2026-10 --format csv >csvs/score.csv
kd review --month 2026-10 --format csv >csvs/review.csv 2>/dev/null
(cd csvs && soffice --headless --infilter='CSV:44,34,76,1' \
	--convert-to xlsx -env:UserInstallation="file://$TOP/lo" \
	agents.csv events.csv score.csv review.csv >/dev/null 2>&1)
check "CSVs opened in LibreOffice: no formula, the names as text" \
"agents.xlsx: 0 formulas; '=HYPERLINK(\"http://evil\",\"点我\") '+1 '-cmd '@SUM(A1)
events.xlsx: 0 formulas; '=HYPERLINK(\"http://evil\",\"点我\") '=cmd|' /C calc'!A0 '+1 '-cmd '-2+3 '@SUM(A1)
review.xlsx: 0 formulas; '=HYPERLINK(\"http://evil\",\"点我\") '+1 '@SUM(A1) '-cmd
score.xlsx: 0 formulas; '=HYPERLINK(\"http://evil\",\"点我\") '+1 '@SUM(A1) '-cmd" \
	"$(python3 - csvs/*.xlsx <<'PY'
import re, sys, zipfile, html
for path in sys.argv[1:]:
    z = zipfile.ZipFile(path)
    sheet = z.read("xl/worksheets/sheet1.xml").decode()
    strings = [html.unescape(re.sub(r"<[^>]+>", "", si)) for si in
               re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode(), re.S)]
    odd = [s for s in strings if s[:1] == "'"]
    print("%s: %d formulas; %s" % (path.split("/")[-1], sheet.count("<f"), " ".join(odd)))
PY
)"
exit $fail
