/* A version 3 of the caller that calls the heartbeat through an interface
 * of another name than the heartbeat serves: refused (CMRX_EINTERFACE). */
#define UPD_USER_VERSION 3
#define UPD_USER_RENAMED
#include "upd_user.c"
