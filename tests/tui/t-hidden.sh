# A name stored before kpidesk refused hidden characters (an escape
# sequence, a right-to-left override) is drawn with U+FFFD in their place:
# the terminal never receives the raw escape, so "[31m" shows as text and
# nothing turns red or reverses. Typing such a name in the form is refused
# with the command line's words.
seed_team
sqlite3 "$DB" "UPDATE agents SET name = '张' || char(27) || '[31m' || char(8238) || '伟' WHERE id = 1" ||
	fail "sqlite3"
desk_start d
wait_for d "> 01 张�[31m�"
keys d a
wait_for d "Name"
type d $'王\u202e芳'
keys d Enter
wait_for d "name: U+202E (RIGHT-TO-LEFT OVERRIDE) at character 2 is not allowed"
keys d Escape
wait_for d "> 01 张�[31m�"
keys d q
expect_eq "exit status" "$(wait_exit d)" 0
expect_eq "agents" "$(kd agent list --all --format csv | wc -l)" "7"
