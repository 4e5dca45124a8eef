# u voids this desk's last standing entry with reason "undo" and says what
# was undone; entries from elsewhere are never undone.
seed_team
desk_start d
wait_for d "> 01 张伟"
keys d p
wait_for d "张伟 点名表扬 +2.00 → 82.00"
keys d r
wait_for d "张伟 未及时回复(30秒) -1.00 → 81.00"
kd log lina praise >/dev/null
wait_for d "李娜 "
keys d u
wait_for d "Undone #2: 张伟 未及时回复(30秒) +1.00 → 82.00"
keys d u
wait_for d "Undone #1: 张伟 点名表扬 -2.00 → 80.00"
keys d u
wait_for d "Nothing to undo: no entry made at this desk is still standing"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
expect_eq "events" "$(events_json --date "$TODAY")" '{"events": [
 {"id": 1, "agent_id": 1, "agent": "张伟", "date": "'"$TODAY"'", "category": "praise", "quantity": 1, "points": 0, "note": null, "created_at": "@TIME@", "voided": true, "void_reason": "undo", "appeal": null},
 {"id": 2, "agent_id": 1, "agent": "张伟", "date": "'"$TODAY"'", "category": "unreplied", "quantity": 1, "points": 0, "note": null, "created_at": "@TIME@", "voided": true, "void_reason": "undo", "appeal": null},
 {"id": 3, "agent_id": 3, "agent": "李娜", "date": "'"$TODAY"'", "category": "praise", "quantity": 1, "points": 2, "note": null, "created_at": "@TIME@", "voided": false, "void_reason": null, "appeal": null}]}'
