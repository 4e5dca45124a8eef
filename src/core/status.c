#include "kpidesk/status.h"

#include <stddef.h>

const char *kd_status_message(enum kd_status status)
{
	switch (status) {
#define KD_STATUS_MESSAGE(name, exit_code, message)                            \
	case name:                                                             \
		return message;
		KD_STATUS_LIST(KD_STATUS_MESSAGE)
#undef KD_STATUS_MESSAGE
	}
	return "unknown status";
}

int kd_status_exit_code(enum kd_status status)
{
	switch (status) {
#define KD_STATUS_EXIT(name, exit_code, message)                               \
	case name:                                                             \
		return exit_code;
		KD_STATUS_LIST(KD_STATUS_EXIT)
#undef KD_STATUS_EXIT
	}
	return 1;
}
