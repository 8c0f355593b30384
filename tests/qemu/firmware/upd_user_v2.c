/* Version 2 of the caller (upd_user.c). */
#define UPD_USER_VERSION 2
#include "upd_user.c"
