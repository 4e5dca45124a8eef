# A number typed before a count hotkey is the quantity: 3s is three curt
# replies (-0.50 each); 0 and more than 1440 are refused in words.
seed_team
desk_start d
wait_for d "> 01 张伟"
keys d 3 s
wait_for d "张伟 生硬/单字回复 ×3 -1.50 → 78.50"
keys d 0 s
wait_for d "the quantity '0' is not a whole number from 1 to 1440"
keys d 2 0 0 0 s
wait_for d "the quantity '2000' is not a whole number from 1 to 1440"
# Esc clears a typed number.
keys d 5
wait_for d "Quantity 5: now a category key (Esc clears)"
keys d Escape
wait_for d "Cleared"
keys d s
wait_for d "张伟 生硬/单字回复 -0.50 → 78.00"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
expect_eq "events" "$(events_json --date "$TODAY")" '{"events": [
 {"id": 1, "agent_id": 1, "agent": "张伟", "date": "'"$TODAY"'", "category": "curt", "quantity": 3, "points": -1.5, "note": null, "created_at": "@TIME@", "voided": false, "void_reason": null, "appeal": null},
 {"id": 2, "agent_id": 1, "agent": "张伟", "date": "'"$TODAY"'", "category": "curt", "quantity": 1, "points": -0.5, "note": null, "created_at": "@TIME@", "voided": false, "void_reason": null, "appeal": null}]}'
