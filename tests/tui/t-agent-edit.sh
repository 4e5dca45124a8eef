# e edits the highlighted agent in the same form: name, tier (from this
# month), hire and leave dates.
seed_team
desk_start d
wait_for d "> 01 张伟"
keys d e
wait_for d "Edit agent #1"
keys d BSpace
type d "威"
keys d Tab Tab Right Tab
keys d BSpace BSpace
type d "11"
keys d Tab
type d "2026-13-01"
keys d Enter
wait_for d 'Left: "2026-13-01" is not a date'
keys d BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
keys d Enter
wait_for d "Saved agent #1 张威"
wait_for d "> 01 张威"
keys d e
wait_for d "Edit agent #1"
keys d Enter
wait_for d "Nothing changed"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
expect_eq "agent 1" "$(kd agent list --format json | grep '"id": 1,')" \
	' {"id": 1, "name": "张威", "handle": "zhangwei", "tier": "intermediate", "tier_since": "'"$MONTH"'", "role": "presales", "hired": "2025-01-11", "left": null},'
