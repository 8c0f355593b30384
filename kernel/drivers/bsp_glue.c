/* The kernel's view of a board (bsp_* in kernel.h), assembled from the
 * board's manifest: its console driver, its shutdown method, and an
 * optional bsp_board_init() hook in the BSP's own sources (clocks, pins). */
#include <stddef.h>
#include <stdint.h>

#include <cmrx/errno.h>

#include "bsp_config.h"
#include "console.h"

void bsp_init(void);
void bsp_console_write(const char *buf, size_t len);
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

void bsp_console_write(const char *buf, size_t len)
{
#if CMRX_BSP_CONSOLE_SEMIHOSTING
    /* The host's standard output takes LF line ends as they are. */
    console_driver_write(buf, len);
#else
    /* Terminals want CR LF; the kernel writes LF. */
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\n') {
            console_driver_write(buf + start, i - start);
            console_driver_write("\r", 1);
            start = i; /* the LF starts the next piece */
        }
    }
    console_driver_write(buf + start, len - start);
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
