# Terminals that show East Asian ambiguous-width characters in two cells
# (xterm -cjk_width, PuTTY, Xshell, ...): the desk asks the terminal at
# start (CSI 6n after one such character) and then draws only one-cell
# glyphs: ASCII for lines (+ - |; xterm -cjk_width shows even the DEC
# line-drawing set two cells wide) and for ▲▼…×→. A pseudo-
# terminal answers as such a terminal would (tests/tui/ambiwidth.py).
# --ambiwidth and KPIDESK_AMBIWIDTH force the answer without asking.
kd demo >/dev/null || fail "demo"
pty_run() { SLOW=$SLOW python3 "$(dirname "$KPIDESK_SOURCE_ROOT/x")/tests/tui/ambiwidth.py" "$@"; }
ambiguous() { # the ambiguous-width characters in the text on stdin
	python3 -c '
import sys
t = sys.stdin.read()
amb = set(c for c in t if 0x2010 <= ord(c) <= 0x2BFF or c in "\u00a7\u00b0\u00b1\u00b7\u00d7\u00f7")
print("".join(sorted(amb)))'
}

out=$(pty_run 2 "$KPIDESK" "$DB")
expect_eq "wide: exit" "$(echo "$out" | sed -n 1p)" "EXIT 0"
expect_eq "wide: asked" "$(echo "$out" | sed -n 2p)" "PROBE"
expect_eq "wide: no line-drawing set" "$(echo "$out" | sed -n 3p)" "NOACS"
echo "$out" | grep -q -- "-----------------+" || fail "wide: ASCII box expected"
echo "$out" | grep -q "孙浩" || fail "wide: no names drawn"
expect_eq "wide: no ambiguous-width character drawn" "$(echo "$out" | tail -n +4 | ambiguous)" ""

out=$(pty_run 1 "$KPIDESK" "$DB")
expect_eq "narrow: asked" "$(echo "$out" | sed -n 2p)" "PROBE"
echo "$out" | tail -n +4 | ambiguous | grep -q "─" || fail "narrow: the title's ─ expected"

out=$(KPIDESK_AMBIWIDTH=2 pty_run none "$KPIDESK" "$DB")
expect_eq "KPIDESK_AMBIWIDTH=2: not asked" "$(echo "$out" | sed -n 2p)" "NOPROBE"
expect_eq "KPIDESK_AMBIWIDTH=2: exit" "$(echo "$out" | sed -n 1p)" "EXIT 0"
expect_eq "KPIDESK_AMBIWIDTH=2: no ambiguous-width character" "$(echo "$out" | tail -n +4 | ambiguous)" ""

out=$(pty_run none "$KPIDESK" "$DB" --ambiwidth=1)
expect_eq "--ambiwidth=1: not asked" "$(echo "$out" | sed -n 2p)" "NOPROBE"
echo "$out" | tail -n +4 | ambiguous | grep -q "─" || fail "--ambiwidth=1: the title's ─ expected"

# No answer at all (a terminal that ignores CSI 6n): one cell, after a
# short wait.
out=$(pty_run none "$KPIDESK" "$DB")
expect_eq "no answer: exit" "$(echo "$out" | sed -n 1p)" "EXIT 0"
echo "$out" | tail -n +4 | ambiguous | grep -q "─" || fail "no answer: one cell assumed"

# In tmux (which answers as a one-cell terminal) the review and the find
# box forced wide: ASCII marks, whole borders.
DESK_ENV="LC_ALL=C.UTF-8 KPIDESK_AMBIWIDTH=2" desk_start d
wait_for d "孙浩"
wait_re d "^ kpidesk - .* - 20[0-9-]+ "
keys d R
wait_for d "[Month review"
wait_re d "\^[0-9]+\.[0-9]{2}"
[ -z "$(screen d | sed 1d | ambiguous | tr -d '─│┌┐└┘├┤┬┴┼')" ] || fail "ambiguous marks in the review: $(screen d | ambiguous)"
keys d Escape q
expect_eq "tmux: exit" "$(wait_exit d)" 0
