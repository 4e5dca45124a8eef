# kpidesk with no command, on an empty database, says how to begin.
kd
kd agent add 张伟 --hired 2025-01-01
kd log 张伟 praise --date 2026-10-01
kd 2>&1 | head -1
stat -c %a kpidesk.db
