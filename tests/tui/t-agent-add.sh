# a opens the agent form: name (Chinese), handle, tier (Left/Right), hire
# date; mistakes are said in the status line and the form stays open.
seed_team
desk_start d
wait_for d "> 01 张伟"
keys d a
wait_for d "Add agent"
keys d Enter
wait_for d "name: must not be empty"
type d "张伟"
keys d Enter
wait_for d "name: '张伟' is already agent 1 (张伟)"
keys d BSpace BSpace
type d "王芳"
keys d Tab
type d "wangfang"
keys d Tab Right Right Tab
type d "2025-02-30"
keys d Enter
wait_for d 'Hired: "2025-02-30" is not a date'
keys d BSpace BSpace
type d "03"
keys d Enter
wait_for d "Added agent #7 王芳"
wait_gone d "Add agent"
wait_for d "> 07 王芳"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
expect_eq "agent 7" "$(kd agent list --format json | grep '"id": 7')" \
	' {"id": 7, "name": "王芳", "handle": "wangfang", "tier": "senior", "tier_since": "2025-02", "role": "presales", "hired": "2025-02-03", "left": null}]}'
