# Choice menus move with j/k, the arrows, Home/End, a digit and an item's
# first letter; the selection is marked; only Enter chooses. Settling an
# appeal starts on "uphold" (voiding is never the default) and `j` moves to
# "void" before Enter.
seed_team
id=$(kd log 张伟 late 12) || fail "log"
kd appeal "$id" --reason "地铁停运" >/dev/null || fail "appeal"
desk_start d
wait_for d "> 01 张伟"
keys d R
wait_for d "[Month review"
keys d E
wait_for d "> 1 csv"
keys d j
wait_for d "> 2 md"
keys d Down
wait_for d "> 3 html"
keys d k
wait_for d "> 2 md"
keys d Up
wait_for d "> 1 csv"
keys d End
wait_for d "> 4 xlsx"
keys d Home
wait_for d "> 1 csv"
keys d 3
wait_for d "> 3 html"
keys d c
wait_for d "> 1 csv"
keys d m
wait_for d "> 2 md"
keys d Enter
wait_for d "Export $MONTH as md: write to?"
keys d Escape
wait_gone d "write to?"
keys d S
wait_for d "> 1 #$id"
keys d Enter
wait_for d "> 1 uphold:"
keys d j
wait_for d "> 2 void:"
keys d k
wait_for d "> 1 uphold:"
keys d v
wait_for d "> 2 void:"
keys d u
wait_for d "> 1 uphold:"
keys d j Enter
wait_for d "Void #$id"
keys d Escape Escape
wait_for d "> 01 张伟"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
