# Columns are measured in display cells: names of two to four Chinese
# characters and an emoji line up in every pane, and a name too long for
# its column is cut on a character boundary. Measured with tui-cells
# (mbrtowc + wcwidth), not with kpidesk's own width code.
seed_team
kd log zhangwei praise >/dev/null
kd log ouyang unreplied >/dev/null
kd log lele curt >/dev/null
kd log abdu praise >/dev/null
kd log wxm late 20 >/dev/null
desk_start d
wait_for d "> 01 张伟"
wait_for d "生硬"
screen d >"$DIR/screen"
# pane: FROM WIDTH (100 columns: roster 27, log 41, board 32)
check_pane() {
	local what=$1 from=$2 width=$3 rows=$4
	shift 4
	"$TUI_CELLS" cut "$from" "$width" <"$DIR/screen" | sed -n '3,8p' >"$DIR/pane"
	local cols
	cols=$("$TUI_CELLS" col "$@" <"$DIR/pane" | sort -u | tr '\n' ' ')
	expect_eq "$what: rows found" "$("$TUI_CELLS" col "$@" <"$DIR/pane" | wc -l)" "$rows"
	expect_eq "$what: one column" "$(echo "$cols" | wc -w)" 1
	# The right border closes every row at the pane's last cell.
	expect_eq "$what: widths" "$("$TUI_CELLS" width <"$DIR/pane" | sort -u)" "$width"
}
# Roster: the tier column (初级 中级 高级 资深) after the names.
check_pane roster 0 27 6 初级 中级 高级 资深
# Log: the points column.
check_pane log 27 41 5 "+2.00" "-1.00" "-0.50" "-2.00"
# Board: the score column.
check_pane board 68 32 6 ".00 " ".50 "
# The long name is cut where a character ends, never in the middle.
grep -qF "阿卜杜热" "$DIR/screen" || fail "the long name's start is missing"
grep -qF "阿卜杜热合曼·买买提" "$DIR/screen" && fail "the long name was not cut"
# The emoji takes two cells like a Chinese character: 😀乐乐 is six cells.
expect_eq "emoji name width" "$(printf '😀乐乐\n' | "$TUI_CELLS" width)" 6
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
