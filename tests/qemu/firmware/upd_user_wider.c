/* A version 3 of the caller built against a heartbeat interface of more
 * methods than the heartbeat serves: refused (CMRX_EINTERFACE). */
#define UPD_USER_VERSION 3
#define UPD_USER_WIDER
#include "upd_user.c"
