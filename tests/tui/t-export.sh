# E in the review writes it as csv, md or html: a choice of format, then
# the file (by default in the home directory); the status line says where
# it went. The html page validates; the csv is what the command line
# writes.
seed_team
kd month set "$MONTH" --silent-sales 100000 >/dev/null
kd log ouyang praise 3 >/dev/null
kd log lina complaint --note "订单 1" >/dev/null
desk_start d
wait_for d "> 01 张伟"
keys d R
wait_for d "Month review $MONTH (open)"
keys d E
wait_for d "$MONTH is open: its numbers can still change. Export it as:"
wait_for d "1 csv   CSV for payroll"
wait_for d "3 html  HTML page to print"
keys d Escape
wait_for d "Cancelled: nothing changed"
keys d E
wait_for d "$MONTH is open: its numbers can still change. Export it as:"
keys d 3 Enter
wait_for d "Export $MONTH as html: write to?"
wait_for d "~/kpidesk-review-$MONTH.html"
keys d Enter
wait_for d "The review of $MONTH was written to $DIR/home/kpidesk-review-$MONTH.html"
[ -s "$DIR/home/kpidesk-review-$MONTH.html" ] || fail "no html file"
xmllint --html --noout "$DIR/home/kpidesk-review-$MONTH.html" 2>"$DIR/xmllint.err" ||
	fail "xmllint: $(cat "$DIR/xmllint.err")"
[ -s "$DIR/xmllint.err" ] && fail "xmllint: $(cat "$DIR/xmllint.err")"
grep -q "欧阳娜娜" "$DIR/home/kpidesk-review-$MONTH.html" || fail "no agent in the html"
# csv by Down and Enter, to a path typed over the default.
keys d E
wait_for d "$MONTH is open: its numbers can still change. Export it as:"
keys d Enter
wait_for d "Export $MONTH as csv: write to?"
for _ in $(seq 30); do keys d BSpace; done
wait_gone d "kpidesk-review-$MONTH.csv"
type d "$DIR/nodir/x.csv"
keys d Enter
wait_for d "cannot write $DIR/nodir/x.csv: No such file or directory"
# "/nodir/x.csv" is 12 characters.
for _ in $(seq 12); do keys d BSpace; done
type d "/工资.csv"
keys d Enter
wait_for d "was written to $DIR/工资.csv"
kd review --month "$MONTH" --format csv >"$DIR/cli.csv"
expect_eq "csv as the command line writes it" "$(cat "$DIR/工资.csv")" "$(cat "$DIR/cli.csv")"
keys d Escape q
expect_eq "exit status" "$(wait_exit d)" 0
