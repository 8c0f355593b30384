/* The kernel's view of a board (bsp_* in kernel.h), assembled from the
 * board's manifest: its console driver, its shutdown method, and an
 * optional bsp_board_init() hook in the BSP's own sources (clocks, pins). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmrx/errno.h>

#include "bsp_config.h"
#include "console.h"

void bsp_init(void);
size_t bsp_console_put(const char *buf, size_t len);
__attribute__((noreturn)) void bsp_shutdown(int code);
__attribute__((noreturn)) void bsp_reset(void);
int32_t bsp_flash_erase(uintptr_t addr);
int32_t bsp_flash_program(uintptr_t addr, const void *src, size_t len);
__attribute__((noreturn)) void cmrx_port_semihost_exit(int code);
__attribute__((noreturn)) void cmrx_port_system_reset(void);

#if !CMRX_BSP_FLASH_DRIVER
/** A board without a flash driver (bsp.yaml memory.flash.driver) takes no
 * process updates and programs no flash for processes. */
int32_t bsp_flash_erase(uintptr_t addr)
{
    (void)addr;
    return CMRX_ENOSYS;
}

int32_t bsp_flash_program(uintptr_t addr, const void *src, size_t len)
{
    (void)addr, (void)src, (void)len;
    return CMRX_ENOSYS;
}
#endif

/** Board hook run before the console is set up; BSPs override it. */
__attribute__((weak)) void bsp_board_init(void)
{
}

void bsp_init(void)
{
    bsp_board_init();
    console_driver_init();
}

#if !CMRX_BSP_CONSOLE_SEMIHOSTING
/* The CR of an LF went out, the LF did not: the caller comes back with it
 * at the head of its text. */
static bool cr_sent;
#endif

size_t bsp_console_put(const char *buf, size_t len)
{
#if CMRX_BSP_CONSOLE_SEMIHOSTING
    /* The host's standard output takes LF line ends as they are. */
    return console_driver_put(buf, len);
#else
    /* Terminals want CR LF; the kernel writes LF. A full UART can stop
     * between the two: the caller comes back with the same LF. Text that
     * does not start with it is another writer's (the first was ended). */
    if (len == 0 || buf[0] != '\n') {
        cr_sent = false;
    }
    size_t i = 0;
    while (i < len) {
        if (buf[i] == '\n') {
            if (!cr_sent && console_driver_put("\r", 1) == 0) {
                break;
            }
            cr_sent = true;
            if (console_driver_put("\n", 1) == 0) {
                break;
            }
            cr_sent = false;
            i++;
            continue;
        }
        size_t end = i;
        while (end < len && buf[end] != '\n') {
            end++;
        }
        size_t k = console_driver_put(buf + i, end - i);
        i += k;
        if (i < end) {
            break;
        }
    }
    return i;
#endif
}

void bsp_shutdown(int code)
{
    console_driver_flush();
#if CMRX_BSP_SHUTDOWN_SEMIHOSTING
    cmrx_port_semihost_exit(code);
#else
    (void)code;
    cmrx_port_system_reset();
#endif
}

void bsp_reset(void)
{
    console_driver_flush();
    cmrx_port_system_reset(); /* on QEMU too: the machine starts again */
}
