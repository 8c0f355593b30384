/* Hostile: console writes as long as it may make them (4 KiB of flash a
 * call). */
#include "bounds.h"

extern const char h_console_text[4096];
const char h_console_text[4096] = "x";

static int hostile(void *arg)
{
    (void)arg;
    for (;;) {
        cmrx_console_write(h_console_text, sizeof(h_console_text));
    }
    return 0;
}
CMRX_THREAD(hostile, NULL);
