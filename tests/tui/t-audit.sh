# The audit names a person for every write of the desk, the first one
# included: the rulebook's [team] lead, else the login name (never
# desk:HOST:PID).
sed 's/^; lead = 王主管/lead = 王主管/' "$KPIDESK_SOURCE_ROOT/config/kpidesk.ini" >"$DIR/lead.ini"
grep -q '^lead = 王主管' "$DIR/lead.ini" || fail "no lead line in the starter rulebook"
desk_start d --config "$DIR/lead.ini"
wait_for d "This database has no agents yet."
keys d a
wait_for d "Add agent"
type d "张伟"
keys d Enter
wait_for d "> 01 张伟"
keys d l
wait_for d "minutes"
type d 5
keys d Enter
wait_for d "张伟 迟到/早退"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
audit() { sqlite3 "$DB" "SELECT actor || ' ' || action FROM audit WHERE action != 'store.migrate' ORDER BY id"; }
expect_eq "the lead's writes" "$(audit)" "王主管 agent.add
王主管 event.add"
# No lead in the rulebook: the login name.
desk_start e
wait_for e "> 01 张伟"
keys e u
wait_for e "Nothing to undo"
keys e l
wait_for e "minutes"
type e 3
keys e Enter
wait_for e "张伟 迟到/早退"
keys e u
wait_for e "Undone #2"
keys e q
expect_eq "exit status" "$(wait_exit e)" 0
me=$(id -un)
expect_eq "the login's writes" "$(audit | tail -n +3)" "$me event.add
$me event.void"
