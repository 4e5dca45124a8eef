# SIGTERM and SIGHUP (an SSH drop) end the desk cleanly: the terminal is
# restored, the exit status recorded, every entry made is in the file.
seed_team
desk_start d
wait_for d "> 01 张伟"
keys d p
wait_for d "张伟 点名表扬 +2.00 → 82.00"
kill -TERM "$(cat "$DIR/d.pid")"
expect_eq "SIGTERM: exit" "$(wait_exit d)" 0
expect_restored d
desk_start e
wait_for e "> 01 张伟"
keys e r
wait_for e "张伟 未及时回复(30秒) -1.00 → 81.00"
kill -HUP "$(cat "$DIR/e.pid")"
expect_eq "SIGHUP: exit" "$(wait_exit e)" 0
expect_restored e
expect_eq "entries kept" "$(kd events --format json | grep -o '"category": "[a-z]*"' | tr '\n' ' ')" '"category": "praise" "category": "unreplied" '
