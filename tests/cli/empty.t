# kpidesk with no command opens the shift desk; without a terminal it says
# so (exit 2) and creates nothing (the desk's own scenarios: tests/tui).
kd
test -e kpidesk.db || echo "no database file"
kd agent add 张伟 --hired 2025-01-01
kd log 张伟 praise --date 2026-10-01
kd score 2>&1 | head -1
stat -c %a kpidesk.db
