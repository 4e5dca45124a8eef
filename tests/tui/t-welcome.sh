# The first start on an empty database offers demo data or the first
# agent, inside the desk.
desk_start d
wait_for d "Welcome to kpidesk. This database has no agents yet."
wait_for d "d   load demo data"
wait_for d "a   add the first agent"
keys d d
wait_for d "Demo data loaded: 10 agents"
wait_for d "[Roster]"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
expect_eq "demo agents" "$(kd agent list --all --format csv | tail -n +2 | wc -l)" 10
rm -f "$DB" "$DB-wal" "$DB-shm"
desk_start e
wait_for e "This database has no agents yet."
keys e a
wait_for e "Add agent"
type e "张伟"
keys e Enter
wait_for e "Added agent #1 张伟"
wait_for e "> 01 张伟"
keys e q
expect_eq "exit status" "$(wait_exit e)" 0
expect_eq "first agent" "$(kd agent list --format csv | tail -n +2 | cut -d, -f1,2)" "1,张伟"
