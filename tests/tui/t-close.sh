# C in the review closes the month after a confirmation, and a second one
# naming the open appeals; the closed month comes from its snapshot, the
# command line refuses entries dated in it (exit 2), and O reopens it with
# a reason.
seed_team
kd log zhangwei late 5 >/dev/null
kd log lina praise >/dev/null
kd appeal 1 --reason "地铁停运" >/dev/null
desk_start d
wait_for d "> 01 张伟"
keys d R
wait_for d "Month review $MONTH (open)"
wait_for d "6 agents; 1 open appeals"
keys d O
wait_for d "$MONTH is not closed"
keys d C
wait_for d "Close $MONTH before it is over?"
wait_for d "Its board (6 agents) is stored with the rules in force;"
wait_for d "y yes, n or Esc no"
keys d n
wait_for d "Cancelled: nothing changed"
keys d C
wait_for d "Close $MONTH before it is over?"
keys d y
wait_for d "$MONTH has 1 open appeals: close it anyway?"
wait_for d "#1 ${MONTH#*-}-$(date +%d) 张伟 迟到/早退 5 min: 地铁停运"
keys d Escape
wait_for d "Cancelled: nothing changed"
wait_for d "Month review $MONTH (open)"
keys d C
wait_for d "Close $MONTH before it is over?"
keys d y
wait_for d "close it anyway?"
keys d y
wait_for d "Month review $MONTH (closed)"
wait_for d "$MONTH closed: the board of 6 agents is stored; its entries are refused until it is reopened"
wait_re d "│ Closed $TODAY [0-9:]{8} by [^ ]+: from its snapshot\. Bonus pool 0\.00 yuan; 6 agents"
wait_re d "│ +1 李娜 +中级客服 +82\.00 "
kd log zhangwei late 3 >/dev/null 2>"$DIR/log.err"
expect_eq "log into a closed month" "$?" 2
grep -q "closed" "$DIR/log.err" || fail "no word of the closed month: $(cat "$DIR/log.err")"
keys d C
wait_for d "$MONTH is closed already"
keys d Escape
wait_for d "$MONTH (closed)"
wait_for d "Board $MONTH (closed)"
# The desk refuses too.
keys d l
wait_for d "is closed; reopen it before changing its entries"
keys d Escape
# A closed month's log keeps the points of the rules it was closed under:
# a desk started with a harsher rulebook still shows 5 minutes late as -1.
sed 's/^bands = <=15:-1, <=30:-2, \*:-5/bands = <=15:-3, <=30:-4, *:-6/' \
	"$KPIDESK_SOURCE_ROOT/config/kpidesk.ini" >"$DIR/changed.ini"
grep -q '<=15:-3' "$DIR/changed.ini" || fail "changed.ini"
desk_start e --config "$DIR/changed.ini"
wait_re e "张伟 +\\* 迟到[^ ]* +5 min +-1\.00"
keys e q
expect_eq "second desk exit status" "$(wait_exit e)" 0
keys d R
wait_for d "Month review $MONTH (closed)"
keys d O
wait_for d "Reopen $MONTH: reason?"
keys d Enter
wait_for d "Say why the month is reopened; Esc cancels"
type d "补录漏记的投诉"
keys d Enter
wait_for d "$MONTH reopened: scored again with the rules in force"
wait_for d "Month review $MONTH (open)"
kd log zhangwei late 3 >/dev/null || fail "log after reopening"
wait_re d "│ +6 张伟 +初级客服 +78\.00 "
keys d Escape q
expect_eq "exit status" "$(wait_exit d)" 0
