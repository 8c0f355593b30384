/* Kernel console through ARM semihosting: output goes to the standard
 * output of the emulator or debugger that runs the board. For boards whose
 * UARTs all belong to the application, or that have none wired. Console
 * output then stops the core at every write while the host serves it. */
#include <stddef.h>

#include "console.h"

int cmrx_port_semihost_open_console(void);
void cmrx_port_semihost_write(int handle, const char *s, size_t n);

static int console_handle = -1;

void console_driver_init(void)
{
    console_handle = cmrx_port_semihost_open_console();
}

size_t console_driver_put(const char *s, size_t n)
{
    /* The host takes it all in one call (the debugger stops the core
     * meanwhile: semihosting is for emulators and the bench). */
    if (console_handle >= 0 && n > 0) {
        cmrx_port_semihost_write(console_handle, s, n);
    }
    return n;
}

void console_driver_flush(void)
{
    /* SYS_WRITE returns only when the host has taken the bytes. */
}
