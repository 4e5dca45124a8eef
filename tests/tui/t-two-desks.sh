# Two desks on one file: each sees the other's entries, and the command
# line's, within a second, and neither sees "database is locked".
seed_team
desk_start a
desk_start b
wait_for a "> 01 张伟"
wait_for b "> 01 张伟"
keys a p
wait_for a "张伟 点名表扬 +2.00 → 82.00"
start=$(now_ms)
wait_for b "82.00 B" 1
wait_re b "[0-9]:[0-9]{2} 张伟 +点名表扬 +\\+2\\.00" 1
echo "desk b saw desk a's entry after $(($(now_ms) - start)) ms"
keys b j r
wait_for b "欧阳娜娜 未及时回复(30秒) -1.00 → 79.00"
wait_for a "79.00 C" 1
kd log lina praise >/dev/null
wait_re a "[0-9]:[0-9]{2} 李娜 +点名表扬" 1
wait_re b "[0-9]:[0-9]{2} 李娜 +点名表扬" 1
# Both write at once.
keys a 2 p
keys b 2 p
wait_for a "×2"
wait_for b "×2"
screen a | grep -qi "locked" && fail "a: database is locked"
screen b | grep -qi "locked" && fail "b: database is locked"
keys a q
keys b q
expect_eq "a exit" "$(wait_exit a)" 0
expect_eq "b exit" "$(wait_exit b)" 0
expect_eq "entries" "$(kd events --format csv | wc -l)" 6
