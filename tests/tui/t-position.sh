# Long lists say where the selection is ("12/30" in the pane's bottom
# border); Home/End and g/G go to the first and the last row.
kd demo --agents 30 >/dev/null || fail "demo"
DESK_COLS=100 DESK_ROWS=24 desk_start d
wait_for d "> 01 "
wait_re d "─ 1/30 ─┘"
keys d G
wait_re d "> 30 "
wait_re d "─ 30/30 ─┘"
keys d g
wait_re d "> 01 "
keys d End
wait_re d "─ 30/30 ─┘"
keys d Home
wait_re d "─ 1/30 ─┘"
keys d j j
wait_re d "─ 3/30 ─┘"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
