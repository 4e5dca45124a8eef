# Appeals: ! on the desk's log appeals the selected entry with the agent's
# reason (Chinese); the log marks it; in the review ! appeals one of the
# highlighted agent's entries and S settles an open appeal (uphold, or
# void with a reason). Checked in the database (events --format json).
seed_team
kd log zhangwei late 12 >/dev/null
kd log zhangwei unreplied >/dev/null
kd log lina complaint --note "订单 1" >/dev/null
DAY=$(date +%m-%d)
desk_start d
wait_for d "> 01 张伟"
# The log lists the newest first: the late entry is the third.
keys d Tab
wait_for d "[Log"
keys d j j "!"
wait_for d "Appeal #1 张伟 迟到/早退 12 min: the agent's reason?"
keys d Enter
wait_for d "Give the agent's reason for the appeal; Esc cancels"
type d "地铁停运,有截图"
keys d Enter
wait_for d "Appeal of #1 opened: 张伟 迟到/早退 12 min (counted until it is settled)"
wait_re d "│[0-9:]{5} 张伟     \* 迟到 +12 min  -1\.00│"
keys d "!"
wait_for d "event 1 is under appeal already"
# The review: 李娜 appeals her complaint.
keys d R
wait_for d "6 agents; 1 open appeals"
wait_for d "  #1 $DAY 张伟 迟到/早退 12 min: 地铁停运,有截"
press_until d j "│ 李娜  中级客服" 6
wait_for d "│ 李娜  中级客服"
keys d "!"
wait_for d "Which entry of 李娜 does the agent appeal?"
wait_for d "> 1 #3 $DAY 李娜 服务态度投诉(已核实)"
keys d Enter
wait_for d "Appeal #3 李娜 服务态度投诉(已核实): the agent's reason?"
type d "买家已撤回投诉"
keys d Enter
wait_for d "Appeal of #3 opened"
wait_for d "6 agents; 2 open appeals"
wait_for d "> #3 $DAY 李娜 服务态度投诉(已核实): 买家已撤"
# Settle #1: void it.
keys d S
wait_for d "Which appeal of $MONTH?"
wait_for d "2 #3 $DAY 李娜 服务态度投诉(已核实): 买家已撤回投诉"
keys d 1 Enter
wait_for d "Settle the appeal of #1 $DAY 张伟 迟到/早退 12 min:"
keys d 2 Enter
wait_for d "Void #1 $DAY 张伟 迟到/早退 12 min: reason?"
type d "核实地铁停运"
keys d Enter
wait_for d "Appeal granted: #1 $DAY 张伟 迟到/早退 12 min is voided"
wait_for d "6 agents; 1 open appeals"
# Settle #3: uphold it.
keys d S
wait_for d "Which appeal of $MONTH?"
keys d Enter
wait_for d "Settle the appeal of #3"
keys d Enter
wait_for d "Uphold #3 $DAY 李娜 服务态度投诉(已核实): reason?"
type d "聊天记录核实属实"
keys d Enter
wait_for d "Appeal upheld: #3 $DAY 李娜 服务态度投诉(已核实) stands and stays counted"
wait_for d "6 agents; 0 open appeals"
keys d S
wait_for d "No open appeals in $MONTH"
keys d Escape
wait_for d "[Log"
wait_re d "│[0-9:]{5} 张伟     迟到/早退  12 min   void│"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
expect_eq "events" "$(events_json --date "$TODAY")" '{"events": [
 {"id": 1, "agent_id": 1, "agent": "张伟", "date": "'"$TODAY"'", "category": "late", "quantity": 12, "points": 0, "note": null, "created_at": "@TIME@", "voided": true, "void_reason": "核实地铁停运", "appeal": "voided"},
 {"id": 2, "agent_id": 1, "agent": "张伟", "date": "'"$TODAY"'", "category": "unreplied", "quantity": 1, "points": -1, "note": null, "created_at": "@TIME@", "voided": false, "void_reason": null, "appeal": null},
 {"id": 3, "agent_id": 3, "agent": "李娜", "date": "'"$TODAY"'", "category": "complaint", "quantity": 1, "points": -1, "note": "订单 1", "created_at": "@TIME@", "voided": false, "void_reason": null, "appeal": "upheld"}]}'
