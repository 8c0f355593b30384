/* ARM semihosting, as used by emulators and debuggers to end a program
 * with an exit code (SYS_EXIT_EXTENDED, 0x20). */
#include <stdint.h>

#define SYS_EXIT_EXTENDED            0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

__attribute__((noreturn)) void cmrx_port_semihost_exit(int code)
{
    uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)code};
    register uint32_t r0 __asm("r0") = SYS_EXIT_EXTENDED;
    register uint32_t r1 __asm("r1") = (uint32_t)block;
    __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    for (;;) {
    }
}
