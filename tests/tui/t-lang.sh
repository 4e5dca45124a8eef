# One language per UI. Every screen of a full run (desk, prompts, find,
# the agent form, help, back-fill, the review with its pop-ups and the
# presentation) is captured in English and in Chinese: the English screens
# hold no Chinese but rulebook labels and names, the Chinese ones no
# English words but key names, file formats and the program's name
# (80x24, 100x30, 160x45 and 200x55).
seed_team
id=$(kd log 张伟 late 12 --note "地铁") || fail "log"
kd log 李娜 complaint --note "订单 7" >/dev/null || fail "log"
kd log 王小明 late 5 --date "$YESTERDAY" >/dev/null || fail "log"
kd appeal "$id" --reason "有截图" >/dev/null || fail "appeal"
rules="$KPIDESK_SOURCE_ROOT/config/kpidesk.ini"

# The screen once it stopped changing, appended to the file $1.
settle() {
	local a b
	a=$(screen d)
	sleep 0.05
	b=$(screen d)
	while [ "$a" != "$b" ]; do
		a=$b
		sleep 0.05
		b=$(screen d)
	done
	printf '%s\n' "$b" >>"$1"
}

# tour FILE: the keys of a lead's day and month end, a screen after each.
tour() {
	local f=$1 k
	wait_for d "张伟"
	settle "$f"
	for k in l 1 2 Escape / z Escape a Escape e Escape '?' Escape Tab x \
		Escape j F2 Escape '[' Tab ']' R j S Enter Escape S Escape E Escape \
		C n P j P Escape p u zz; do
		if [ "$k" = zz ]; then keys d z; else keys d "$k"; fi
		settle "$f"
	done
	keys d q
	expect_eq "exit status" "$(wait_exit d)" 0
}

# At each size of the issue, in both languages.
for size in 80x24 100x30 160x45 200x55; do
	DESK_COLS=${size%x*} DESK_ROWS=${size#*x} desk_start d
	tour "$DIR/en.txt"
	DESK_COLS=${size%x*} DESK_ROWS=${size#*x} DESK_ENV=$ZH_ENV desk_start d
	tour "$DIR/zh.txt"
done

python3 - "$DIR/en.txt" "$DIR/zh.txt" "$rules" <<'PY' || fail "mixed languages"
import re, sys
en, zh, rules = (open(p, encoding="utf-8").read() for p in sys.argv[1:4])
# Rulebook labels and names may appear in both.
allowed = set(re.findall(r"^(?:label|name)\s*=\s*(.+?)\s*$", rules, re.M))
allowed |= {"张伟", "欧阳娜娜", "李娜", "王小明", "乐乐", "阿卜杜热合曼", "买买提",
            "地铁", "有截图", "订单"}
allowed_list = sorted(allowed, key=len, reverse=True)
bad = 0
rest = en
for a in allowed_list:
    rest = rest.replace(a, "")
    # A label cut in a narrow column: its first characters.
for a in allowed_list:
    for n in range(len(a) - 1, 1, -1):
        rest = rest.replace(a[:n], "")
han = re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", rest)
# A single character left of a label or name cut very short ("欧…", "未催")
# is rulebook or name text too; two or more are UI words.
label_chars = set("".join(allowed))
han = [h for h in han if not (len(h) == 1 and h in label_chars)]
if han:
    print("Chinese in the English UI:", sorted(set(han)))
    bad = 1
words = set(re.findall(r"[A-Za-z]{2,}", zh))
ok_words = {"kpidesk", "Esc", "Enter", "Tab", "PgDn", "PgUp", "Home", "End",
            "KPI", "csv", "md", "html", "CSV", "HTML", "Markdown", "Up", "Excel", "xlsx",
            "Down", "Left", "Right", "zhangwei", "ouyang", "lina", "wxm",
            "lele", "abdu", "Del", "cli", "root", "Shift",
            # the reason an undo stores, quoted by the refusal of a second void
            "undo", "Backspace", "BTab", "F2", "F5"}
english = sorted(w for w in words - ok_words)
if english:
    print("English in the Chinese UI:", english)
    bad = 1
sys.exit(bad)
PY
