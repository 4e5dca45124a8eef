/* Status codes shared by every module.
 *
 * One X-macro lists each code with its exit status and its message, so the
 * enum, the messages and the process exit codes can never drift apart.
 * Exit statuses follow PRODUCT.md: 0 success, 1 a runtime failure (database,
 * disk), 2 bad usage, bad input or a bad rulebook.
 */
#ifndef KPIDESK_STATUS_H
#define KPIDESK_STATUS_H

#define KD_STATUS_LIST(X)                                                      \
	X(KD_OK, 0, "success")                                                 \
	X(KD_ERR_USAGE, 2, "bad usage")                                        \
	X(KD_ERR_INPUT, 2, "bad input")                                        \
	X(KD_ERR_CONFIG, 2, "bad rulebook")                                    \
	X(KD_ERR_NOT_FOUND, 2, "not found")                                    \
	X(KD_ERR_CONFLICT, 2, "conflicts with what is stored")                 \
	X(KD_ERR_DB, 1, "database error")                                      \
	X(KD_ERR_IO, 1, "input/output error")                                  \
	X(KD_ERR_NOMEM, 1, "out of memory")

enum kd_status {
#define KD_STATUS_ENUM(name, exit_code, message) name,
	KD_STATUS_LIST(KD_STATUS_ENUM)
#undef KD_STATUS_ENUM
};

/* A short English description of the status; never NULL. */
const char *kd_status_message(enum kd_status status);

/* The process exit status PRODUCT.md assigns to this status. */
int kd_status_exit_code(enum kd_status status);

#endif
