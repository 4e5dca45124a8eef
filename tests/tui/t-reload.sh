# F5 (and SIGUSR1) reload the rulebook: a valid one is swapped in (new
# labels and hotkeys at once), an invalid one is refused with its errors
# shown while the old rules stay in force.
seed_team
cp "$KPIDESK_SOURCE_ROOT/config/kpidesk.ini" "$DIR/rules.ini"
desk_start d --config "$DIR/rules.ini"
wait_for d "> 01 张伟"
sed -i 's/^label = 点名表扬$/label = 表扬加分/' "$DIR/rules.ini"
keys d F5
wait_for d "Rulebook reloaded from $DIR/rules.ini: 14 categories"
keys d p
wait_for d "张伟 表扬加分 +2.00 → 82.00"
printf '\n[category.typo]\nlabel = x\nhotkey = q\nkind = bonus\npoints = 1\nescalte = 1\n' >>"$DIR/rules.ini"
kill -USR1 "$(cat "$DIR/d.pid")"
wait_for d "Rulebook refused: the old rules stay in force"
wait_for d "rules.ini:"
keys d Escape
wait_for d "[Roster]"
keys d p
wait_for d "张伟 表扬加分 +2.00 → 84.00"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
