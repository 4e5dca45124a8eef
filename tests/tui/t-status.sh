# The status line: a message fades at the next key and after about eight
# seconds without keys; an entry that fires the combination rule says so,
# and undoing it says the rule was lifted.
seed_team
kd log 张伟 late 5 >/dev/null && kd log 张伟 unreplied >/dev/null &&
	kd log 张伟 curt >/dev/null || fail "log"
desk_start d
wait_for d "> 01 张伟"
keys d m
wait_for d "张伟 工作失误 -20.50 → 57.00 + combination rule -20.00"
keys d u
wait_for d "Undone #4: 张伟 工作失误 +20.50 → 77.50 (combination rule -20.00 lifted)"
# The next key clears it.
keys d j
wait_gone d "combination rule"
# A message fades by itself.
keys d p
wait_for d "欧阳娜娜 点名表扬 +2.00 → 82.00"
start=$(now_ms)
wait_gone d "欧阳娜娜 点名表扬 +2.00" 12
elapsed=$(($(now_ms) - start))
[ "$elapsed" -ge 6000 ] || fail "the message faded after ${elapsed} ms, before ~8 s"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
# In Chinese: 组合扣分.
DESK_ENV=$ZH_ENV desk_start z
wait_for z "> 01 张伟"
keys z m
wait_for z "+ 组合扣分 -20.00"
keys z q
expect_eq "zh: exit status" "$(wait_exit z)" 0
