# Closing a pop-up gives back exactly the screen beneath it, over a board
# of Chinese names (a pop-up's edge that cuts a double-width character must
# not leave half of it, nor stray border pieces): every pop-up of the desk
# and of the review is opened and closed, and the whole screen is compared
# character by character (the status line, which reports the cancel, and
# the clock aside). In Chinese and in English, at 100x30 and 80x24.
kd demo >/dev/null || fail "demo"
id=$(kd log 孙浩 late 5 --note "堵车") || fail "log"
kd appeal "$id" --reason "地铁故障" >/dev/null || fail "appeal"

# The screen without its clock and status line, once it stopped changing
# (the key before may still be drawing).
snap1() {
	screen d | sed -e '1s/[0-9][0-9]:[0-9][0-9] *$//' -e "$((${DESK_ROWS:-30} - 1))d"
}
snap() {
	local a b
	a=$(snap1)
	sleep 0.05
	b=$(snap1)
	while [ "$a" != "$b" ]; do
		a=$b
		sleep 0.05
		b=$(snap1)
	done
	printf '%s\n' "$b"
}

# popup OPEN-KEYS TEXT CLOSE-KEYS: the pop-up shows TEXT; after closing it
# the screen is the one before.
popup() {
	local before after
	before=$(snap)
	# shellcheck disable=SC2086
	keys d $1
	wait_for d "$2"
	# shellcheck disable=SC2086
	keys d $3
	wait_gone d "$2"
	after=$(snap)
	expect_eq "screen after $1 .. $3 ($2)" "$after" "$before"
}

# run_all ENV COLS ROWS: texts of the pop-ups from the array T.
run_all() {
	DESK_COLS=$2 DESK_ROWS=$3 DESK_ENV=$1 desk_start d
	export DESK_ROWS=$3
	wait_for d "孙浩"
	popup a "${T[0]}" Escape
	popup e "${T[1]}" Escape
	popup / "${T[2]}" Escape
	popup l "${T[3]}" Escape
	keys d Tab
	popup x "${T[4]}" Escape
	popup Enter "${T[12]}" Escape
	keys d j
	popup F2 "${T[5]}" Escape
	keys d Tab Tab
	popup '?' "${T[6]}" Escape
	keys d R
	wait_for d "${T[7]}"
	popup S "${T[8]}" Escape
	popup "S Enter" "${T[9]}" Escape
	popup E "${T[10]}" Escape
	popup C "${T[11]}" n
	popup C "${T[11]}" Escape
	keys d Escape
	wait_gone d "${T[7]}"
	keys d q
	expect_eq "exit status" "$(wait_exit d)" 0
}

T=("[Add agent]" "[Edit agent #" "[Find agent]" "minutes?" "Void #"
	"Appeal #" "[Keys]" "[Month review" "Which appeal of"
	"Settle the appeal of" "it as:" "[Close the month early]"
	"Esc or Enter closes")
run_all LC_ALL=C.UTF-8 100 30
T=("[添加客服]" "[编辑客服 #" "[找人]" "多少分钟" "作废 #" "申诉 #" "[按键]"
	"[月度复盘" "的哪条申诉" "裁决申诉 #" "导出为:" "[提前结账]"
	"Esc 或 Enter 关闭")
run_all "$ZH_ENV" 100 30
run_all "$ZH_ENV" 80 24
