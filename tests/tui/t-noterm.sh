# Without a usable terminal: a clear message and exit status 2, nothing
# created (TERM unset, TERM unknown, standard input not a terminal).
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
[ -e "$DB" ] && fail "a database was created"
true
