# backup FILE: a consistent copy through SQLite's online backup API, taken
# while the database is in use; the copy is one file, mode 0600, that passes
# PRAGMA integrity_check and holds the same data.
kd agent add 张伟 --handle zhangwei --hired 2025-01-10
kd agent add 李娜 --hired 2025-01-10
kd log 张伟 late 12 --date 2026-10-01
kd log 李娜 praise 2 --date 2026-10-02
kd void 1 --reason "录错"
kd appeal 2 --reason "核对一下"
kd month close 2026-09
mkdir copies
kd backup copies/kpidesk-copy.db
ls copies
stat -c %a copies/kpidesk-copy.db
python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(c.execute('PRAGMA integrity_check').fetchone()[0], c.execute('PRAGMA journal_mode').fetchone()[0])" copies/kpidesk-copy.db
for c in "agent list --all --format json" "events --month 2026-10 --all --format json" "score --month 2026-09 --format json" "score --month 2026-10 --format json"; do diff <(kd $c) <(kd --db copies/kpidesk-copy.db $c) && echo "same: $c"; done
# taken while another connection holds a write transaction open: the copy
# has what was committed, not the pending event
python3 $SRC/tests/cli/hold_write.py kpidesk.db ready stop & for i in $(seq 1500); do [ -e ready ] && break; sleep 0.02; done; kd backup copies/during.db; echo "backup exit $?"; touch stop; wait
kd --db copies/during.db events --month 2026-10 --all --format csv
kd events --month 2026-10 --all --format csv
# an existing backup is replaced
kd backup copies/kpidesk-copy.db
kd --db copies/kpidesk-copy.db events --month 2026-10 --format csv
ls copies
# refusals: the live database itself, a missing directory, no FILE
kd backup kpidesk.db
kd backup ./kpidesk.db-wal
kd backup no/such/dir/copy.db
kd backup
kd backup ""
