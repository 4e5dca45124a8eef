# An entry's details: the log's last row shows the selected entry's note,
# appeal and void reason, who entered it and when; Enter shows them in a
# box. The desk records its changes as a person: [team] lead, else the
# login name.
seed_team
a=$(kd log 张伟 late 5 --note "地铁停运") || fail "log"
kd appeal "$a" --reason "有截图为证" >/dev/null || fail "appeal"
b=$(kd log 李娜 curt) || fail "log"
kd void "$b" --reason "重复录入" >/dev/null || fail "void"
sed 's/^\[team\]$/[team]\nlead = 王主管/' "$KPIDESK_SOURCE_ROOT/config/kpidesk.ini" >"$DIR/rules.ini"
grep -q "^lead = 王主管" "$DIR/rules.ini" || fail "no [team] section to add the lead to"
DESK_COLS=200 DESK_ROWS=40 desk_start d --config "$DIR/rules.ini"
wait_for d "> 01 张伟"
keys d Tab
wait_for d "[Log"
# The newest entry first: 李娜's voided one.
wait_for d "Voided: 重复录入  #$b entered by cli at $TODAY"
keys d j
wait_for d "Note: 地铁停运  Appeal (pending): 有截图为证  #$a entered by cli"
keys d Enter
wait_for d "[张伟 迟到/早退 5 min]"
wait_for d "Esc or Enter closes"
wait_for d "│ Note: 地铁停运"
keys d Escape
wait_gone d "Esc or Enter closes"
# An entry made here is the lead's.
keys d Tab Tab
wait_for d "[Roster]"
keys d p
wait_for d "张伟 点名表扬 +2.00"
keys d Tab g
wait_for d "entered by 王主管 at $TODAY"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
# Without a lead in the rulebook: the login name.
DESK_COLS=200 DESK_ROWS=40 desk_start e
wait_for e "> 01 张伟"
keys e p Tab g
wait_for e "entered by $(id -un) at $TODAY"
keys e q
expect_eq "login: exit status" "$(wait_exit e)" 0
