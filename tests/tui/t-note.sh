# A category with note = required asks for the note; it takes Chinese
# text, Backspace deletes a whole (two-cell) character, a blank note is
# refused in words and the prompt stays.
seed_team
desk_start d
wait_for d "> 01 张伟"
keys d c
wait_for d "张伟 服务态度投诉(已核实): note (required)?"
keys d Enter
wait_for d "complaint (服务态度投诉(已核实)) needs a note, such as the order number"
# The prompt stays for the note (the same refusal as `kpidesk log`).
wait_for d "张伟 服务态度投诉(已核实): note (required)?"
type d "订单号错了"
wait_for d "订单号错了"
keys d BSpace BSpace
wait_for d "订单号"
wait_gone d "订单号错"
type d " 2026110412345678"
keys d Enter
wait_for d "张伟 服务态度投诉(已核实) -1.00 → 79.00"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
expect_eq "events" "$(events_json --date "$TODAY")" '{"events": [
 {"id": 1, "agent_id": 1, "agent": "张伟", "date": "'"$TODAY"'", "category": "complaint", "quantity": 1, "points": -1, "note": "订单号 2026110412345678", "created_at": "@TIME@", "voided": false, "void_reason": null, "appeal": null}]}'
