# Colours when the terminal has them; none at all with NO_COLOR set; the
# focused pane is marked either way ([Roster] and reverse video).
seed_team
kd log zhangwei unreplied >/dev/null
desk_start d
wait_for d "[Roster]"
t capture-pane -e -p -t d >"$DIR/colour"
grep -q $'\e\\[3[0-7]m\\|\e\\[3[0-7];\\|;3[0-7]m\\|\e\\[4[0-7]m' "$DIR/colour" ||
	fail "no colour in the coloured screen"
keys d q
wait_exit d >/dev/null
DESK_ENV="NO_COLOR=1" desk_start e
wait_for e "[Roster]"
t capture-pane -e -p -t e >"$DIR/mono"
grep -q $'\e\\[3[0-7]m\\|\e\\[3[0-7];\\|;3[0-7]m\\|\e\\[4[0-7]m\\|38;5\\|48;5' "$DIR/mono" &&
	fail "colour despite NO_COLOR"
grep -q $'\e\\[7m\\|;7m\\|\e\\[7;' "$DIR/mono" || fail "no reverse video in monochrome"
keys e Tab
wait_for e "[Log"
keys e q
expect_eq "exit status" "$(wait_exit e)" 0
