/* ARM semihosting (ARM IHI 0150, "Semihosting for AArch32 and AArch64"),
 * as served by emulators and debuggers: the kernel console when a board
 * has no UART to spare, and the end of a program with an exit code. On
 * M-profile the call is BKPT 0xAB; without a debugger or emulator to
 * answer it, it faults, so only boards that run under one use it. */
#include <stddef.h>
#include <stdint.h>

#define SYS_OPEN                     0x01u
#define SYS_WRITE                    0x05u
#define SYS_EXIT_EXTENDED            0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u
#define OPEN_MODE_W                  4u /* fopen() mode "w" */

static uint32_t semihost_call(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm("r0") = op;
    register const void *r1 __asm("r1") = arg;
    __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

__attribute__((noreturn)) void cmrx_port_semihost_exit(int code)
{
    uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)code};
    semihost_call(SYS_EXIT_EXTENDED, block);
    for (;;) {
    }
}

/* The special file ":tt" opened for writing is the host's standard output. */
int cmrx_port_semihost_open_console(void)
{
    static const char tt[] = ":tt";
    uint32_t block[3] = {(uint32_t)tt, OPEN_MODE_W, sizeof(tt) - 1u};
    return (int)semihost_call(SYS_OPEN, block);
}

void cmrx_port_semihost_write(int handle, const char *s, size_t n)
{
    uint32_t block[3] = {(uint32_t)handle, (uint32_t)s, (uint32_t)n};
    semihost_call(SYS_WRITE, block);
}
