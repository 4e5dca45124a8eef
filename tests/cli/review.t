# The month review as a document: Markdown for the record, CSV for payroll,
# one self-contained HTML page that validates. Flags are spelled out with
# their reasons; the trend reads closed months from their snapshots.
kd agent add 张伟 --handle zhangwei --hired 2026-06-01
kd agent add 李娜 --tier intermediate --hired 2023-05-01
kd agent add 欧阳娜娜 --tier senior --hired 2022-01-10
kd agent add "Amy <QA> & Co|1" --hired 2026-09-01
# July and August: 张伟 87 and 85, 李娜 80 and 75
kd log 张伟 cover --date 2026-07-03
kd log 张伟 praise --date 2026-07-04
kd log 张伟 cover --date 2026-08-03
kd log 李娜 offpost --date 2026-08-05
# September: 张伟 90 (promote: 3 months >= 85, 4 months a junior); 李娜 four
# light categories and the combination (57: dismissal review, demote);
# 欧阳娜娜 three verified complaints (dismiss_at 3, fines 30 + 60 + 120)
kd log 张伟 cover 2 --date 2026-09-03
kd log 李娜 late 5 --date 2026-09-10
kd log 李娜 unreplied --date 2026-09-11
kd log 李娜 curt --date 2026-09-12
kd log 李娜 mistake --date 2026-09-13
kd log 欧阳娜娜 complaint --date 2026-09-14 --note "订单 1"
kd log 欧阳娜娜 complaint --date 2026-09-15 --note "订单 2"
kd log 欧阳娜娜 complaint --date 2026-09-16 --note "订单 <3> & \"4\""
kd month set 2026-09 --silent-sales 250000
kd appeal 12 --reason "<b>不是我</b> & \"买家\" 说错了 | 见聊天记录"
kd month close 2026-08
kd review --month 2026-09
kd review --month 2026-09 --format csv
kd review --month 2026-09 --format html --output review.html
stat -c %a review.html
xmllint --html --noout review.html 2>&1; echo "xmllint exit $?"
grep -i -E '<script|<link|src="(https?:)?//|url\(|@import' review.html || echo "nothing loaded from elsewhere"
grep -c -E '@page \{ size: A4|@media print' review.html
cat review.html
# a second export replaces the file (atomically, through a temporary file)
kd review --month 2026-09 --format csv --output review.html 2>/dev/null
head -1 review.html
ls
# a closed month's review comes from its snapshot
kd month close 2026-09 --yes
kd review --month 2026-09 --format md | head -12
kd review --month 2026-09 --format csv
kd review --month 2026-10 --format md
# refusals
kd review --month 2026-09 --format pdf
kd review --month 2026-9
kd review --month 2026-09 --output kpidesk.db
kd review --month 2026-09 --output no/such/dir/review.md
kd review --month 2026-09 --output ""
# the payroll CSV begins with a UTF-8 byte-order mark (Chinese Excel reads
# it as UTF-8); under a Chinese locale its headers are Chinese and tiers the
# rulebook's labels, English keys otherwise
kd review --month 2026-09 --format csv 2>/dev/null | head -c 3 | od -An -tx1
LANGUAGE=zh_CN kd review --month 2026-09 --format csv
# no CSV cell can run as a formula: text that begins with = + - @ gets a
# leading ', negative numbers stay numbers
kd agent add '=HYPERLINK("http://evil","点我")' --hired 2026-01-05
kd log '=HYPERLINK("http://evil","点我")' late 3 --date 2026-10-02 --note "=cmd|' /C calc'!A0"
kd log '=HYPERLINK("http://evil","点我")' praise --date 2026-10-03 --note "-1 那天"
kd agent list --format csv | grep -a HYPERLINK
kd events --month 2026-10 --format csv
kd score --month 2026-10 --format csv
kd review --month 2026-10 --format csv 2>/dev/null
