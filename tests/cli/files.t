# Writing files and text that hides nothing (issue 8): every export and
# backup goes through one writer that refuses the live database (also
# through a symlink or ..), refuses a FIFO, a device or a directory without
# opening it, writes through a symlink, and leaves mode 0600 whatever the
# umask. Names, handles, notes and reasons with control, bidi or zero-width
# characters are refused, naming the character and where it is.
kd agent add 张伟 --handle zhangwei --hired 2025-01-10
kd agent add $'ab\u202ecd'
kd agent add $'王\u0085芳'
kd agent add 王芳 --handle $'wang\u200bfang'
kd agent add $'李\u2066娜'
kd agent add $'\ufeff李娜'
kd agent edit 张伟 --name $'张\x1b[31m伟'
kd log 张伟 complaint --date 2026-10-01 --note $'订单\u202e123'
kd log 张伟 late 5 --date 2026-10-02
kd void 1 --reason $'录错\u200d'
kd appeal 1 --reason $'\u0007'
kd agent list --format csv
# exports and backups: the database, through .. and through a symlink
mkdir sub
kd review --month 2026-10 --output sub/../kpidesk.db
ln -s kpidesk.db alias.csv
kd review --month 2026-10 --format csv --output alias.csv
kd backup alias.csv
kd backup kpidesk.db-shm
kd agent list --format csv
# a FIFO and a device: refused, never opened, left as they were
mkfifo pipe
kd review --month 2026-10 --format csv --output pipe
kd backup pipe
stat -c %F pipe
kd review --month 2026-10 --format csv --output /dev/null
kd backup /dev/null
stat -c %F /dev/null
kd review --month 2026-10 --format csv --output sub
# a symlink is written through: the link stays, its file is replaced
echo old > real.csv
ln -s real.csv link.csv
kd review --month 2026-10 --format csv --output link.csv 2>/dev/null
stat -c %F link.csv
head -1 real.csv
# mode 0600 whatever the umask, over a file that was 0644
echo old > open.csv; chmod 644 open.csv
(umask 022; kd review --month 2026-10 --format csv --output open.csv 2>/dev/null)
stat -c %a open.csv
(umask 000; kd backup copy.db)
stat -c %a copy.db
ls | grep -c tmp-
# the same refusals in Chinese under a Chinese locale (one message table)
LANGUAGE=zh_CN kd agent add $'ab\u202ecd'
LANGUAGE=zh_CN kd backup pipe
LANGUAGE=zh_CN kd log 张伟 late 5 --date 2099-01-01
# a write that fails half way (the file size limit, like a full disk)
# leaves the old file as it was and no temporary file
# (64 KiB: room for the 19 KiB rulebook and the 32 KiB -shm file, not
# for a copy of the demo's database)
kd --db demo.db demo >/dev/null
echo old > big.db
(ulimit -f 64; kd --db demo.db backup big.db 2>/dev/null; echo "exit $?")
cat big.db
ls | grep -c tmp-
# a name stored before kpidesk refused hidden characters: tables show
# U+FFFD in its place, never the raw escape or override
sqlite3 kpidesk.db "UPDATE agents SET name = '张' || char(27) || '[31m伟' || char(8238) WHERE id = 1"
kd agent list
kd events --month 2026-10
