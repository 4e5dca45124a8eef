# kpidesk demo fills an empty database once; the board of the current month
# shows every grade and the flags a review explains.
kd demo --agents 2
kd demo --months 0
kd demo --seed -1
kd demo --colour red
ls
kd demo > /dev/null && echo filled
kd agent list --all --format csv | tail -n +2 | wc -l
kd score --format csv | tail -n +2 | cut -d, -f6 | sort -u | tr -d '\r' | tr '\n' ' '; echo
kd score --format csv | tail -n +2 | grep -o -E 'no_bonus|probation|promote|demote|dismiss_review' | sort -u | tr '\n' ' '; echo
kd demo
kd agent list --all --format csv | tail -n +2 | wc -l
