# Issue 8: the review's export once opened the path with fopen(path, "w"),
# so typing the database's own path turned the live database into a CSV.
# Now it goes through the app's one writer: the database (also as
# dir/../name or through a symlink) and a FIFO are refused with the same
# words as on the command line, the database stays whole, and a good path
# still gets a 0600 file.
seed_team
kd log lina complaint --note "订单 1" >/dev/null
before=$(kd agent list --all --format csv)
mkdir -p "$DIR/sub"
ln -s "$DB" "$DIR/alias.csv"
mkfifo "$DIR/pipe"
desk_start d
wait_for d "> 01 张伟"
keys d R
wait_for d "Month review $MONTH (open)"
export_to() {
	keys d E
	wait_for d "$MONTH is open: its numbers can still change. Export it as:"
	keys d 1 Enter
	wait_for d "Export $MONTH as csv: write to?"
	for _ in $(seq 40); do keys d BSpace; done
	wait_gone d "kpidesk-review-$MONTH.csv"
	type d "$1"
	keys d Enter
}
export_to "$DB"
wait_for d "is the database or one of its files; write to another file"
keys d Escape
export_to "$DIR/sub/../$(basename "$DB")"
wait_for d "is the database or one of its files; write to another file"
keys d Escape
export_to "$DIR/alias.csv"
wait_for d "alias.csv is the database or one of its files"
keys d Escape
export_to "$DIR/pipe"
wait_for d "pipe is a FIFO (named pipe), not a regular file; nothing was written"
keys d Escape
export_to "$DIR/ok.csv"
wait_for d "The review of $MONTH was written to $DIR/ok.csv"
keys d Escape
wait_for d "> 01 张伟"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
expect_eq "database whole" "$(kd agent list --all --format csv)" "$before"
expect_eq "integrity" "$(sqlite3 "$DB" 'PRAGMA integrity_check')" "ok"
[ -p "$DIR/pipe" ] || fail "the FIFO was replaced"
[ -L "$DIR/alias.csv" ] || fail "the symlink was replaced"
expect_eq "mode" "$(stat -c %a "$DIR/ok.csv")" "600"
