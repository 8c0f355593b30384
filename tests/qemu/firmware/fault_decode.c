/* The ARMv6-M port's HardFault decoding, checked where QEMU can raise the
 * fault without an MPU (its Cortex-M0 test board): ARMv6-M traps every
 * unaligned word and halfword access, and the report names the address
 * the instruction used, for a load with an immediate offset, a store
 * with a register offset and a multiple load. None of them reaches
 * memory: an unaligned access faults first. */
#include "check.h"

#include <stdint.h>

static volatile uint32_t sink;

static int load_offset(void *arg)
{
    (void)arg;
    register uint32_t base __asm("r5") = 0x20000001u;
    register uint32_t v __asm("r0");
    __asm volatile("ldr %0, [%1, #12]" : "=l"(v) : "l"(base) : "memory");
    sink = v;
    return 0;
}

static int store_register(void *arg)
{
    (void)arg;
    register uint32_t base __asm("r6") = 0x20000000u;
    register uint32_t off __asm("r2") = 0x21u;
    register uint32_t v __asm("r1") = 7u;
    __asm volatile("strh %0, [%1, %2]" : : "l"(v), "l"(base), "l"(off) : "memory");
    return 0;
}

static int load_multiple(void *arg)
{
    (void)arg;
    register uint32_t base __asm("r4") = 0x20000042u;
    __asm volatile("ldmia %0!, {r0-r3}" : "+l"(base) : : "r0", "r1", "r2", "r3", "memory");
    return 0;
}

static int main_thread(void *arg)
{
    (void)arg;
    CHECK_KILLED(load_offset);
    CHECK_KILLED(store_register);
    CHECK_KILLED(load_multiple);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
