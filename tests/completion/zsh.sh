#!/usr/bin/env bash
# The zsh completion (completion/_kpidesk) in a real interactive zsh, in
# tmux: typed lines and Tab, the screen read back. Exit 77 (skipped)
# without zsh or tmux, or where tmux cannot open a pseudo-terminal.
set -u
: "${KPIDESK:?KPIDESK must point at the kpidesk binary}"
here=$(cd "$(dirname "$0")" && pwd)
SRC=${KPIDESK_SOURCE_ROOT:-$(cd "$here/../.." && pwd)}
for tool in zsh tmux; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "$tool is not installed: skipped"
		exit 77
	fi
done
DIR=$(mktemp -d)
SOCK="$DIR/sock"
trap 'tmux -S "$SOCK" kill-server >/dev/null 2>&1; rm -rf "$DIR"' EXIT
export LC_ALL=C.UTF-8 TZ=UTC HOME="$DIR" XDG_DATA_HOME="$DIR/data" \
	XDG_CONFIG_HOME="$DIR/config" KPIDESK_DB="$DIR/team.db"
unset KPIDESK_CONFIG
mkdir -p "$DIR/bin"
ln -s "$KPIDESK" "$DIR/bin/kpidesk"
"$KPIDESK" agent add 张伟 --handle zhangwei --hired 2024-03-01 >/dev/null &&
	"$KPIDESK" agent add 张敏 --hired 2024-03-01 >/dev/null &&
	"$KPIDESK" agent add 李娜 --hired 2024-03-01 >/dev/null ||
	{ echo "could not set up the database"; exit 1; }
cat >"$DIR/.zshrc" <<ZRC
fpath=($SRC/completion \$fpath)
autoload -Uz compinit && compinit -u -d $DIR/zcompdump
PATH=$DIR/bin:\$PATH
PS1='%% '
ZRC
cd "$DIR" || exit 99
if ! tmux -S "$SOCK" -f /dev/null new-session -d -x 100 -y 20 \
	"env ZDOTDIR=$DIR zsh -i" >/dev/null 2>&1; then
	echo "tmux cannot open a pseudo-terminal here: skipped"
	exit 77
fi

failed=0
# expect TEXT: the screen shows TEXT within 5 s (capture-pane drops
# trailing spaces).
expect() {
	local i
	for i in $(seq 50); do
		tmux -S "$SOCK" capture-pane -p | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
# check 'TYPED' 'SCREEN SHOWS' [Tab count]
check() {
	tmux -S "$SOCK" send-keys C-u "$1"
	local i
	for i in $(seq "${3:-1}"); do
		sleep 0.3
		tmux -S "$SOCK" send-keys Tab
	done
	if expect "$2"; then
		echo "ok   $1<Tab> shows: $2"
	else
		echo "FAIL $1<Tab> should show: $2"
		tmux -S "$SOCK" capture-pane -p | sed 's/^/    /'
		failed=1
	fi
	tmux -S "$SOCK" send-keys C-u
	tmux -S "$SOCK" send-keys C-l
	sleep 0.3
}
expect "%" || { echo "FAIL zsh did not start"; tmux -S "$SOCK" capture-pane -p; exit 1; }
check 'kpidesk log 张' '张伟  张敏' 2
check 'kpidesk log 李' '% kpidesk log 李娜'
check 'kpidesk log 李娜 迟' '% kpidesk log 李娜 迟到/早退'
check 'kpidesk score --format=j' '% kpidesk score --format=json'
check 'kpidesk agent ' 'add   edit  list' 2
exit $failed
