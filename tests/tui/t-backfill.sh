# [ steps the log back a day: entries go to that day (back-filling
# yesterday); ] steps forward but never past today; T returns to today.
seed_team
desk_start d
wait_for d "> 01 张伟"
keys d '['
wait_for d "$YESTERDAY"
wait_for d "[back-fill]"
keys d p
wait_for d "张伟 点名表扬 +2.00"
keys d ']'
wait_gone d "[back-fill]"
keys d ']'
wait_for d "The log cannot show days after today"
keys d '[' '[' T
wait_for d "$TODAY"
wait_gone d "[back-fill]"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
expect_eq "events" "$(events_json --date "$YESTERDAY")" '{"events": [
 {"id": 1, "agent_id": 1, "agent": "张伟", "date": "'"$YESTERDAY"'", "category": "praise", "quantity": 1, "points": 2, "note": null, "created_at": "@TIME@", "voided": false, "void_reason": null, "appeal": null}]}'
expect_eq "nothing today" "$(events_json --date "$TODAY")" '{"events": []}'
