# The Chinese desk speaks Chinese when something goes wrong too: a broken
# rulebook reloaded (the checker's error lines in Chinese too, as
# `kpidesk config check` prints them under a Chinese locale) and a database
# another program keeps locked. No English word on those screens.
seed_team
cp "$KPIDESK_SOURCE_ROOT/config/kpidesk.ini" "$DIR/rules.ini"
# english_left FILE: the English words of the captured screens, paths,
# the error lines' FILE:LINE: [section] key: prefix and key names aside.
english_left() {
	sed -e "s|$DIR/||g" \
		-e 's/rules\.ini:[0-9]*: \[[a-z._]*\] [a-z_]*://g' "$1" | python3 -c '
import re, sys
ok = {"kpidesk", "db", "Esc", "Enter", "Tab", "escalate"}
print(" ".join(sorted(set(re.findall(r"[A-Za-z]{2,}", sys.stdin.read())) - ok)))'
}
DESK_COLS=120 DESK_ENV=$ZH_ENV desk_start d --config "$DIR/rules.ini"
wait_for d "> 01 张伟"
printf '\n[category.typo]\nlabel = x\nhotkey = q\nkind = bonus\npoints = 1\nescalte = 1\n' >>"$DIR/rules.ini"
keys d F5
wait_for d "规则文件未采用:旧规则继续有效"
wait_for d "规则文件未采用:2 处错误,旧规则继续有效。第一处:$DIR/rules.ini:"
wait_for d 'rules.ini:432: [category.typo] hotkey: "q" 已被值班台占用(占用的键:q ? u x'
wait_for d "rules.ini:435: [category.typo] escalte: 未知的键;是不是 escalate?"
screen d >"$DIR/screens.txt"
keys d Escape
wait_for d "[客服]"
# Another program holds the database for longer than the desk waits.
python3 "$KPIDESK_SOURCE_ROOT/tests/cli/hold_write.py" "$DB" "$DIR/ready" "$DIR/stop" &
holder=$!
deadline=$(($(now_ms) + 10000 * SLOW))
while [ ! -e "$DIR/ready" ]; do
	[ "$(now_ms)" -gt "$deadline" ] && fail "hold_write.py did not start"
	sleep 0.02
done
keys d p
wait_for d "数据库错误:数据库正忙:另一个 kpidesk 锁住它已超过 5 秒:$DB" 20
screen d >>"$DIR/screens.txt"
touch "$DIR/stop"
wait "$holder"
expect_eq "English on the Chinese screens" "$(english_left "$DIR/screens.txt")" ""
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
