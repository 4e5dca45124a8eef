# The mouse: a click selects an agent, a log entry (a second click shows
# its details) or a board row and focuses its pane; the wheel moves; a
# click on a key-bar item is that key; in the review a click selects an
# agent and, in a menu, a choice (a second click chooses). --no-mouse
# leaves the mouse to the terminal.
seed_team
kd log 李娜 praise --note "好评" >/dev/null || fail "log"
# X10 mouse reports as tmux-256color's kmous (ESC [ M b x y), 0-based.
mouse() { # BUTTON X Y
	t send-keys -t d -H 1b 5b 4d "$(printf '%x' $((32 + $1)))" \
		"$(printf '%x' $((33 + $2)))" "$(printf '%x' $((33 + $3)))"
}
click() { mouse 0 "$1" "$2"; mouse 3 "$1" "$2"; }
wheel_down() { mouse 65 "$1" "$2"; }
wheel_up() { mouse 64 "$1" "$2"; }
# The x of TEXT on the screen's line Y (cells), for the key bar.
x_of() { screen d | sed -n "$(($2 + 1))p" | python3 -c '
import sys, unicodedata
line, text = sys.stdin.read(), sys.argv[1]
i = line.find(text)
print(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[:i]))' "$1"; }

desk_start d
wait_for d "> 01 张伟"
[ "$(t display -p -t d '#{mouse_standard_flag}')" = 1 ] || fail "the desk did not ask for the mouse"
click 5 4
wait_for d "> 03 李娜"
wheel_down 5 4
wait_for d "> 06 阿卜杜热…"
wheel_up 5 4
wait_for d "> 03 李娜"
# A second click on the agent edits it; a click below the last adds one.
click 5 4
wait_for d "[Edit agent #3]"
keys d Escape
wait_gone d "[Edit agent #3]"
click 5 15
wait_for d "[Add agent]"
keys d Escape
wait_gone d "[Add agent]"
# The log: one click selects and focuses, a second shows the details.
click 40 2
wait_for d "[Log"
click 40 2
wait_for d "Esc or Enter closes"
wait_for d "│ Note: 好评"
keys d Escape
wait_gone d "Esc or Enter closes"
# The board: its second row, and the roster follows.
click 75 3
wait_for d "[Board"
wait_re d "^│> 0[0-9] 张伟|^│> 01 张伟"
# A key-bar item: R opens the review.
x=$(x_of "R month review" 29)
click $((x + 2)) 29
wait_for d "[Month review"
click 10 5
wait_re d "^│ +2 [^ ]+"
wait_re d "^│ .*rank 2"
# The export menu: a click selects, a second click chooses.
keys d E
wait_for d "> 1 csv"
y=$(screen d | grep -n "2 md " | head -1 | cut -d: -f1)
click 40 $((y - 1))
wait_for d "> 2 md"
click 40 $((y - 1))
wait_for d "as md: write to?"
keys d Escape Escape
wait_for d "[Board"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0

desk_start d --no-mouse
wait_for d "> 01 张伟"
[ "$(t display -p -t d '#{mouse_standard_flag}')" = 0 ] || fail "--no-mouse asked for the mouse"
keys d q
expect_eq "--no-mouse: exit status" "$(wait_exit d)" 0
