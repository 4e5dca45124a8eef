# A category hotkey logs one occurrence for the highlighted agent; the
# status line says what was saved and how the month's score moved.
seed_team
desk_start d
wait_for d "[Roster]"
wait_for d "> 01 张伟"
keys d r
wait_for d "张伟 未及时回复(30秒) -1.00 → 79.00"
# The board recomputed at once.
wait_for d "79.00 C"
keys d j p
wait_for d "欧阳娜娜 点名表扬 +2.00 → 82.00"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
expect_restored d
expect_eq "events" "$(events_json --date "$TODAY")" '{"events": [
 {"id": 1, "agent_id": 1, "agent": "张伟", "date": "'"$TODAY"'", "category": "unreplied", "quantity": 1, "points": -1, "note": null, "created_at": "@TIME@", "voided": false, "void_reason": null, "appeal": null},
 {"id": 2, "agent_id": 2, "agent": "欧阳娜娜", "date": "'"$TODAY"'", "category": "praise", "quantity": 1, "points": 2, "note": null, "created_at": "@TIME@", "voided": false, "void_reason": null, "appeal": null}]}'
