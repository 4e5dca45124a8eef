/* placeholder: being written */
typedef int kd_placeholder_unit;
