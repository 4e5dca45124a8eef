# A minutes category asks for the minutes: digits only, 1..1440, Backspace
# deletes, Enter saves; the band of 12 minutes is -1.
seed_team
desk_start d
wait_for d "> 01 张伟"
keys d l
wait_for d "张伟 迟到/早退: minutes?"
keys d x
wait_for d "Digits only here"
keys d 2 0 0 0 Enter
wait_for d "the quantity '2000' is not a whole number from 1 to 1440"
keys d BSpace BSpace BSpace BSpace 1 2 Enter
wait_for d "张伟 迟到/早退 12 min -1.00 → 79.00"
wait_gone d "minutes?"
# A number typed first fills the prompt in; it is still asked.
keys d j 4 0 l
wait_for d "欧阳娜娜 迟到/早退: minutes?"
keys d Enter
wait_for d "欧阳娜娜 迟到/早退 40 min -5.00 → 75.00"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
expect_eq "events" "$(events_json --date "$TODAY")" '{"events": [
 {"id": 1, "agent_id": 1, "agent": "张伟", "date": "'"$TODAY"'", "category": "late", "quantity": 12, "points": -1, "note": null, "created_at": "@TIME@", "voided": false, "void_reason": null, "appeal": null},
 {"id": 2, "agent_id": 2, "agent": "欧阳娜娜", "date": "'"$TODAY"'", "category": "late", "quantity": 40, "points": -5, "note": null, "created_at": "@TIME@", "voided": false, "void_reason": null, "appeal": null}]}'
