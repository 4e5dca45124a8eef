# Without a usable terminal: a clear message and exit status 2, nothing
# created (TERM unset, TERM unknown, standard input not a terminal).
# A session that stays, so the tmux server does not exit between the
# short-lived desks below.
t new-session -d -s keep "sleep 600" || fail "tmux keep"
DESK_UNSET=TERM desk_start d
expect_eq "TERM unset: exit" "$(wait_exit d)" 2
expect_eq "TERM unset: message" "$(cat "$DIR/d.stderr")" \
	"kpidesk: TERM is not set: the shift desk needs to know the terminal (try TERM=xterm-256color); the command line works without it (kpidesk --help)"
DESK_ENV="TERM=no-such-terminal-xyz" desk_start e
expect_eq "TERM unknown: exit" "$(wait_exit e)" 2
expect_eq "TERM unknown: message" "$(cat "$DIR/e.stderr")" \
	"kpidesk: the terminal type 'no-such-terminal-xyz' (TERM) is unknown here: try TERM=xterm-256color; the command line works without it (kpidesk --help)"
TERM=tmux-256color "$KPIDESK" --db "$DB" </dev/null >"$DIR/out" 2>&1
expect_eq "no terminal: exit" "$?" 2
expect_eq "no terminal: message" "$(cat "$DIR/out")" \
	"kpidesk: the shift desk needs a terminal (standard input and output are not one); the command line works without it (kpidesk --help)"
# A terminal without cursor addressing (TERM=dumb) is refused the same way.
DESK_ENV="TERM=dumb" desk_start f
expect_eq "TERM=dumb: exit" "$(wait_exit f)" 2
expect_eq "TERM=dumb: message" "$(cat "$DIR/f.stderr")" \
	"kpidesk: the terminal type 'dumb' (TERM) cannot move the cursor, which the shift desk needs: try TERM=xterm-256color; the command line works without it (kpidesk --help)"
# A bad KPIDESK_AMBIWIDTH or --ambiwidth is refused before the screen.
DESK_ENV="LC_ALL=C.UTF-8 KPIDESK_AMBIWIDTH=3" desk_start g
expect_eq "KPIDESK_AMBIWIDTH=3: exit" "$(wait_exit g)" 2
expect_eq "KPIDESK_AMBIWIDTH=3: message" "$(cat "$DIR/g.stderr")" \
	"kpidesk: KPIDESK_AMBIWIDTH='3' is neither 1 nor 2 (cells of an ambiguous-width character)"
desk_start h --ambiwidth=wide
expect_eq "--ambiwidth=wide: exit" "$(wait_exit h)" 2
expect_eq "--ambiwidth=wide: message" "$(cat "$DIR/h.stderr")" \
	"kpidesk: --ambiwidth: 'wide' is neither 1 nor 2 (cells of an ambiguous-width character)"
[ -e "$DB" ] && fail "a database was created"
true
