# Usage errors: unknown commands, options and formats; help and version.
kd --version
kd frobnicate
kd agent
kd agent remove 1
kd --colour
kd --db
kd score --month
kd events --format
kd --help | head -3
