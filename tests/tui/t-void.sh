# x voids the log's selected entry after asking for a reason (Chinese);
# the entry stays in the log, marked void.
seed_team
kd log zhangwei praise >/dev/null
kd log lina unreplied >/dev/null
desk_start d
wait_for d "未及时回复"
# The log lists the newest first: move to the praise and void it.
keys d Tab
wait_for d "[Log"
keys d j x
wait_for d "Void #1 张伟 点名表扬: reason?"
keys d Enter
wait_for d "Say why the entry is voided; Esc cancels"
type d "录错人了"
keys d Enter
wait_for d "Voided #1: 张伟 点名表扬 -2.00 → 80.00"
wait_for d "void"
keys d x
wait_for d "event 1 is voided already (录错人了)"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
expect_eq "events" "$(events_json --date "$TODAY")" '{"events": [
 {"id": 1, "agent_id": 1, "agent": "张伟", "date": "'"$TODAY"'", "category": "praise", "quantity": 1, "points": 0, "note": null, "created_at": "@TIME@", "voided": true, "void_reason": "录错人了", "appeal": null},
 {"id": 2, "agent_id": 3, "agent": "李娜", "date": "'"$TODAY"'", "category": "unreplied", "quantity": 1, "points": -1, "note": null, "created_at": "@TIME@", "voided": false, "void_reason": null, "appeal": null}]}'
