# Labels that stay distinct. In a narrow log column 主动加班/主动顶班 and
# 未及时回复/未及时催付 are cut by the character that tells them apart, a
# rulebook's `short =` is used first, names cut end in "…"; the key bar
# shows the month's most used categories first and `?` for all the keys.
seed_team
for c in extra cover unreplied unchased praise praise praise complaint; do
	kd log 张伟 "$c" --note "x" >/dev/null || fail "log $c"
done
DESK_COLS=80 DESK_ROWS=24 desk_start d
wait_for d "> 01 张伟"
wait_re d "│[0-9:]{5} 张伟 主加 +\+2\.00│"
wait_re d "│[0-9:]{5} 张伟 主顶 +\+5\.00│"
wait_re d "│[0-9:]{5} 张伟 未回 +-1\.00│"
wait_re d "│[0-9:]{5} 张伟 未催 +0\.00│"
wait_re d "│  02 欧…  高级 on  │"
keys d q
expect_eq "80x24: exit status" "$(wait_exit d)" 0
# 100x30: the most used first (praise three times, then the others in the
# rulebook's order), and ? for the rest.
desk_start e
wait_for e "> 01 张伟"
wait_re e "^ p 点名表扬  r 未及时回 │ / find agent .* \? all keys  q quit"
keys e q
expect_eq "100x30: exit status" "$(wait_exit e)" 0
# A rulebook's short label wins in a narrow column.
sed '/^\[category\.extra\]/a short = 加班' "$KPIDESK_SOURCE_ROOT/config/kpidesk.ini" >"$DIR/rules.ini"
DESK_COLS=80 DESK_ROWS=24 desk_start f --config "$DIR/rules.ini"
wait_for f "> 01 张伟"
wait_re f "│[0-9:]{5} 张伟 加班 +\+2\.00│"
wait_re f "│[0-9:]{5} 张伟 主动 +\+5\.00│"
keys f q
expect_eq "short: exit status" "$(wait_exit f)" 0
