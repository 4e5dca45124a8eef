#!/usr/bin/env bash
# The shift desk driven in tmux (TOOLCHAIN.md): each tests/tui/t-NAME.sh is
# a scenario run in its own temporary directory, private tmux server
# (tmux -S DIR/sock -f /dev/null) and fresh database, with the helpers of
# lib.sh. Exit 77 (skipped) when tmux is missing or cannot open a pty.
#
# Environment: KPIDESK (the program), TUI_CELLS (tests/tui/cells.c built),
# KPIDESK_VALGRIND=1 runs the program under valgrind (longer deadlines).
# Usage: run.sh [NAME ...]   (NAME without t- and .sh)
set -u
: "${KPIDESK:?KPIDESK must point at the kpidesk binary}"
: "${TUI_CELLS:?TUI_CELLS must point at the tui-cells helper}"
here=$(cd "$(dirname "$0")" && pwd)
export KPIDESK TUI_CELLS
export TZ=${TZ:-UTC}
if ! command -v tmux >/dev/null 2>&1; then
	echo "tmux is not installed: the TUI scenarios are skipped"
	exit 77
fi
# A build chroot may have tmux but no pseudo-terminals: skip there too.
probe=$(mktemp -d)
if ! tmux -S "$probe/sock" -f /dev/null new-session -d -x 20 -y 5 'sleep 5' \
	>/dev/null 2>&1; then
	rm -rf "$probe"
	echo "tmux cannot open a pseudo-terminal here: the TUI scenarios are skipped"
	exit 77
fi
tmux -S "$probe/sock" kill-server >/dev/null 2>&1
rm -rf "$probe"

# Chinese: a real zh_CN.UTF-8 locale when the system has one, else one
# compiled into a private LOCPATH (localedef, from the locales package),
# else LANGUAGE=zh_CN under C.UTF-8 (glibc honours LANGUAGE there).
ZH_ENV=""
shared=$(mktemp -d)
trap 'rm -rf "$shared"' EXIT
if locale -a 2>/dev/null | grep -qiE '^zh_CN\.utf-?8$'; then
	ZH_ENV="LC_ALL=zh_CN.UTF-8"
elif command -v localedef >/dev/null 2>&1 &&
	localedef -i zh_CN -f UTF-8 "$shared/zh_CN.UTF-8" >/dev/null 2>&1; then
	ZH_ENV="LOCPATH=$shared LC_ALL=zh_CN.UTF-8"
else
	ZH_ENV="LC_ALL=C.UTF-8 LANGUAGE=zh_CN"
fi
export ZH_ENV

if [ $# -gt 0 ]; then
	names=("$@")
else
	names=()
	for f in "$here"/t-*.sh; do
		n=${f##*/t-}
		names+=("${n%.sh}")
	done
fi

failed=0
for name in "${names[@]}"; do
	DIR=$(mktemp -d)
	start=${EPOCHREALTIME/./}
	(
		export DIR SOCK="$DIR/sock" DB="$DIR/kpidesk.db"
		mkdir -p "$DIR/home"
		cd "$DIR" || exit 99
		# A session that stays for the whole scenario: tmux's server
		# exits with its last session, and a desk started while the
		# previous one's server is exiting failed now and then with
		# "server exited unexpectedly".
		tmux -S "$SOCK" -f /dev/null new-session -d -s _keep -x 20 -y 5 \
			"sleep 3600" || exit 99
		# shellcheck source=lib.sh
		. "$here/lib.sh"
		. "$here/t-$name.sh"
	) >"$DIR/log" 2>&1
	rc=$?
	tmux -S "$DIR/sock" kill-server >/dev/null 2>&1
	if [ "${KPIDESK_VALGRIND:-0}" = 1 ] &&
		cat "$DIR"/valgrind.* 2>/dev/null | grep -q .; then
		echo "valgrind reported:" >>"$DIR/log"
		cat "$DIR"/valgrind.* >>"$DIR/log"
		rc=1
	fi
	ms=$(((${EPOCHREALTIME/./} - start) / 1000))
	if [ $rc -eq 0 ]; then
		echo "ok   $name (${ms} ms)"
	else
		echo "FAIL $name (${ms} ms)"
		sed 's/^/    /' "$DIR/log"
		failed=1
	fi
	rm -rf "$DIR"
done
exit $failed
