# Rulebooks: config check, and a bad rulebook stops every command before
# anything is touched.
kd config check
kd config check $SRC/config/kpidesk.ini
kd config check $SRC/config/presales-kpi.ini
printf '[team]\nname = 测试\n[score]\nmode = fixed\nbase = 80\n[category.late]\nlabel = 迟到\nhotkey = q\nkind = deduction\npoints = 1\nescalte = 3:-5\n' > bad.ini
kd config check bad.ini
kd --config bad.ini agent add 张伟
ls
kd config check missing.ini
kd --config missing.ini score
printf '\xef\xbb\xbf' > bom.ini && cat $SRC/config/kpidesk.ini >> bom.ini
kd config check bom.ini
KPIDESK_CONFIG=bad.ini kd agent list
mkdir -p config/kpidesk && cp bad.ini config/kpidesk/kpidesk.ini
kd agent list
kd --config $SRC/config/kpidesk.ini agent list
sed 's/^; short = 迟到$/short = 迟到早退/; s/^; lead = 王主管$/lead = 王主管/' $SRC/config/kpidesk.ini > short.ini
kd config check short.ini
