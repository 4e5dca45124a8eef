# config init: a starter rulebook where kpidesk looks for one
# ($XDG_CONFIG_HOME/kpidesk/kpidesk.ini), never over an existing one.
kd config init
stat -c '%a %n' config/kpidesk config/kpidesk/kpidesk.ini
cmp config/kpidesk/kpidesk.ini $SRC/config/kpidesk.ini && echo same as config/kpidesk.ini
kd config check
kd config init
kd config init --kpi
cmp config/kpidesk/kpidesk.ini $SRC/config/kpidesk.ini && echo left as it was
# --kpi, to a file named on the line; parents made 0700
kd config init --kpi rules/kpi.ini
stat -c '%a %n' rules rules/kpi.ini
cmp rules/kpi.ini $SRC/config/presales-kpi.ini && echo same as presales-kpi.ini
kd --config rules/kpi.ini config check
# without XDG_CONFIG_HOME: ~/.config
env -u XDG_CONFIG_HOME $KPIDESK config init
stat -c '%a %n' home/.config/kpidesk home/.config/kpidesk/kpidesk.ini
# a note when KPIDESK_CONFIG points elsewhere
KPIDESK_CONFIG=rules/kpi.ini kd config init other.ini
# bad usage
kd config init --kpi=yes
kd config init a.ini b.ini
kd config init --frob
touch plain && kd config init plain/x.ini
env -u XDG_CONFIG_HOME -u HOME $KPIDESK config init
ls
