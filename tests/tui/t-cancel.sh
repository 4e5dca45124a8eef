# Esc cancels every prompt and form: nothing is written.
seed_team
desk_start d
wait_for d "> 01 张伟"
keys d l
wait_for d "minutes?"
keys d 1 5 Escape
wait_for d "Cancelled: nothing saved"
wait_gone d "minutes?"
keys d c
wait_for d "note (required)?"
type d "订单"
keys d Escape
wait_gone d "note (required)?"
keys d a
wait_for d "Add agent"
type d "赵六"
keys d Escape
wait_gone d "Add agent"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
expect_eq "events" "$(events_json --date "$TODAY")" '{"events": []}'
expect_eq "agents" "$(kd agent list --all --format csv | wc -l)" 7
