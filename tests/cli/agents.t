# Adding, listing and editing agents; every refusal leaves the database as it was.
kd agent add 张伟 --handle zhangwei --hired 2025-01-10
kd agent add 欧阳娜娜 --handle ouyang --tier senior --hired 2023-06-01 --role aftersales
kd agent add 李娜 --tier intermediate --hired 2024-05-01
kd agent list
kd agent list --format csv
kd agent list --format json
# refusals
kd agent add "" --hired 2025-01-10
kd agent add "   "
kd agent add 王芳 --tier boss
kd agent add 王芳 --hired 2025-02-30
kd agent add 王芳 --role manager
kd agent add 张伟
kd agent add 王芳 --handle zhangwei
kd agent add 12345
kd agent add $'\xd5\xc5\xce\xb0'
kd agent add 王芳 --shift evening
kd agent add
kd agent list --format xml
kd agent list
# edits
kd agent edit zhangwei --tier intermediate --since 2026-10
kd agent edit 3 --name 李娜娜 --handle lina
kd agent edit lina --left 2026-10-31
kd agent list
kd agent list --all --format json
kd agent edit 李娜娜 --left 2024-01-01
kd agent edit 张伟 --since 2026-10
kd agent edit 张伟
kd agent edit 王五 --name 王六
kd agent edit 欧阳娜娜 --name 张伟
kd agent edit lina --left none
kd agent list --format csv
