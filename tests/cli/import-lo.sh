#!/usr/bin/env bash
# Workbooks as Excel-like software really writes them (issue 10): the
# 千牛-style export and a sheet of past entries, saved by LibreOffice from
# their CSV (its shared strings, its own percent and date cells), imported
# by `kpi import` and `events import`; the results must equal importing the
# CSV itself. Skipped (77) without soffice.
set -u
: "${KPIDESK:?KPIDESK must point at the kpidesk binary}"
if ! command -v soffice >/dev/null 2>&1; then
	echo "soffice (libreoffice-calc-nogui) is not installed: skipped"
	exit 77
fi
SRC=${KPIDESK_SOURCE_ROOT:?}
export LC_ALL=C.UTF-8 TZ=UTC
unset KPIDESK_DB KPIDESK_CONFIG LANGUAGE
TOP=$(mktemp -d)
trap 'rm -rf "$TOP"' EXIT
DIR="$TOP/work"
export HOME="$TOP/home" XDG_CONFIG_HOME="$TOP/config"
mkdir -p "$HOME" "$DIR"
cd "$DIR" || exit 99
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
# UTF-8 CSV -> XLSX as LibreOffice Calc saves it.
to_xlsx() {
	soffice --headless -env:UserInstallation="file://$TOP/lo" \
		--infilter=CSV:44,34,76,1 --convert-to xlsx --outdir "$DIR" "$1" \
		>/dev/null 2>&1
}
team() { # db
	local kd=("$KPIDESK" --db "$1" --config "$SRC/config/presales-kpi.ini")
	"${kd[@]}" agent add 张伟 --handle zhangwei --hired 2024-03-01
	"${kd[@]}" agent add 李娜 --handle lina --tier intermediate --hired 2023-05-01
	"${kd[@]}" agent add 王芳 --handle wangfang --hired 2024-07-01
	"${kd[@]}" agent add 刘洋 --handle liuyang --hired 2026-08-15
	"${kd[@]}" agent add 欧阳娜娜 --handle ouyang --tier senior --hired 2022-01-10
	"${kd[@]}" agent add 陈静 --handle chenjing --hired 2025-02-01
	"${kd[@]}" agent add 杨磊 --handle yanglei --hired 2025-06-01
	"${kd[@]}" agent add 赵敏 --handle zhaomin --hired 2025-09-01
	"${kd[@]}" kpi target --tier junior 100000 --month 2026-10
	"${kd[@]}" kpi target --tier intermediate 120000 --month 2026-10
	"${kd[@]}" kpi target ouyang 150000 --month 2026-10
}
kpi() { "$KPIDESK" --db "$1" --config "$SRC/config/presales-kpi.ini" "${@:2}"; }

# The KPI export.
iconv -f GB18030 -t UTF-8 "$SRC/data/kpi-2026-10-qianniu-gb18030.csv" >qn.csv
to_xlsx qn.csv
check "LibreOffice wrote the workbook" "qn.xlsx" "$(ls qn.xlsx 2>&1)"
check "its percentages are percent cells" 1 \
	"$(unzip -p qn.xlsx xl/styles.xml | grep -c 'formatCode="0.00%"')"
{ team a.db && team b.db; } >/dev/null || { echo "FAIL: setting up"; exit 1; }
out=$(kpi a.db kpi import qn.xlsx --month 2026-10 2>&1)
check "kpi import of LibreOffice's workbook" \
	"kpidesk: note: qn.xlsx:1: skipped the title lines above the header (from line 1)
kpidesk: note: qn.xlsx:3: 咨询人数: not read; 询单人数 (column D) is the inquiries column
kpidesk: note: qn.xlsx:12: skipped the summary row '合计'
imported 8 agents' metrics for 2026-10 from qn.xlsx (sheet qn); 8 targets from kpi target" "$out"
kpi b.db kpi import qn.csv --month 2026-10 >/dev/null 2>&1
check "the same board as from the CSV" \
	"$(kpi b.db score --month 2026-10 --format csv)" \
	"$(kpi a.db score --month 2026-10 --format csv)"
check "the board's first row" \
	"1,5,欧阳娜娜,senior,97.20,A,97.20,0.00,172.00,0.00,200.00,50.00,50.00,0.00," \
	"$(kpi a.db score --month 2026-10 --format csv | sed -n 2p | tr -d '\r')"

# Past entries: dates LibreOffice turns into date cells, counts into
# numbers, a category by its label.
printf '日期,客服,类别,数量,备注\n2026-09-01,张伟,late,12,\n2026-09-02,lina,未及时回复(30秒),2,\n2026-09-03,王芳,complaint,1,订单 20260903001\n2026-09-30,欧阳娜娜,praise,,\n' >entries.csv
to_xlsx entries.csv
check "its dates are date cells" 4 \
	"$(unzip -p entries.xlsx xl/worksheets/sheet1.xml | grep -o '<c r="A[2-5]" s="[1-9][0-9]*" t="n"' | wc -l)"
out=$(kpi a.db events import entries.xlsx 2>&1)
check "events import of LibreOffice's workbook" \
	"imported 4 entries from entries.xlsx (sheet entries; 2026-09 to 2026-09)" "$out"
kpi b.db events import entries.csv >/dev/null 2>&1
check "the same entries as from the CSV" \
	"$(kpi b.db events --month 2026-09 --format csv | cut -d, -f1-7)" \
	"$(kpi a.db events --month 2026-09 --format csv | cut -d, -f1-7)"
exit $fail
