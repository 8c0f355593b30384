/* Version 2 of the update bound test's process (h_upd.c). */
#define UPD_VERSION 2
#include "h_upd.c"
