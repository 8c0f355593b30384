/* ARMv7-M port: start-up, exception set-up, threads' initial state, time. */
#include "bsp_config.h"
#include "kernel.h"
#include "regs.h"

#include <stddef.h>
#include <string.h>

_Static_assert(offsetof(struct cmrx_port_context, mpu_image) == 40, "context.S CTX_MPU_IMAGE");
_Static_assert(offsetof(struct cmrx_port_context, mpu_stack) == 44, "context.S CTX_MPU_STACK");
#if defined(__ARM_FP)
_Static_assert(offsetof(struct cmrx_port_context, s16_s31) == 56, "context.S CTX_FP");
#endif
_Static_assert(offsetof(struct cmrx_thread, ctx) == 0, "context first in the TCB");
_Static_assert(offsetof(struct cmrx_thread, sig_pending) == CMRX_PORT_CTX_SIZE,
               "context.S OFF_SIG_PENDING");
_Static_assert(offsetof(struct cmrx_process, mpu) == 0, "MPU image first in the process");
_Static_assert(sizeof(struct cmrx_port_context) == CMRX_PORT_CTX_SIZE, "context size");
_Static_assert(offsetof(struct cmrx_thread, frames) == CMRX_PORT_CTX_SIZE + 4,
               "context.S OFF_FRAMES");
_Static_assert(offsetof(struct cmrx_port_context, mpu_rpc) == 52, "context.S CTX_MPU_RPC");

const uint32_t cmrx_port_rpc_off[2] = {MPU_RBAR_VALID | CMRX_MPU_REGION_RPC, 0};

#define EXC_RETURN_THREAD_PSP 0xFFFFFFFDu
#define EXC_RETURN_BASIC      0x10u /* bit 4: basic frame, no FP state */
#define XPSR_THUMB            0x01000000u
#define XPSR_REALIGNED        (1u << 9) /* the frame has a word of padding above it */
#define KERNEL_PRIORITY       0xFFu     /* lowest: kernel exceptions never nest */

/* Static MPU regions (flash, null guard), computed by the SDK at build time. */
extern const uint32_t cmrx_mpu_static[4];

/* Kernel memory, from the linker script. */
extern uint8_t __cmrx_kdata_start[], __cmrx_kdata_end[], __cmrx_kbss_start[], __cmrx_kbss_end[];
extern const uint8_t __cmrx_kdata_load[];

void port_init(void)
{
    uint32_t regions = (MPU_TYPE >> 8) & 0xFFu;
    if (regions < 8u) {
        cmrx_panic("MPU", "the armv7m port needs 8 regions", 0, regions);
    }

    SCB_SHPR(EXC_MEMMANAGE) = KERNEL_PRIORITY;
    SCB_SHPR(EXC_BUSFAULT) = KERNEL_PRIORITY;
    SCB_SHPR(EXC_USAGE) = KERNEL_PRIORITY;
    SCB_SHPR(EXC_SVCALL) = KERNEL_PRIORITY;
    SCB_SHPR(EXC_PENDSV) = KERNEL_PRIORITY;
    SCB_SHPR(EXC_SYSTICK) = KERNEL_PRIORITY;
    SCB_SHCSR |= SHCSR_MEMFAULTENA | SHCSR_BUSFAULTENA | SHCSR_USGFAULTENA;
    SCB_CCR |= CCR_DIV_0_TRP; /* divide by zero faults instead of yielding 0 */

    MPU_CTRL = 0;
    for (uint32_t r = 0; r < regions; r++) {
        MPU_RBAR = MPU_RBAR_VALID | r;
        MPU_RASR = 0;
    }
    MPU_RBAR = cmrx_mpu_static[0];
    MPU_RASR = cmrx_mpu_static[1];
    MPU_RBAR = cmrx_mpu_static[2];
    MPU_RASR = cmrx_mpu_static[3];
    /* Privileged code keeps the default map; unprivileged code sees only
     * what the regions grant. */
    MPU_CTRL = MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA;
    __asm volatile("dsb\n\tisb" ::: "memory");

    SYST_CSR = 0;
    SYST_RVR = CMRX_BSP_CLOCK_HZ / (1000000u / CMRX_TICK_US) - 1u;
    SYST_CVR = 0;
    /* The tick is switched on by the first context switch (context.S). */
}

void port_thread_init(struct cmrx_thread *t, const struct cmrx_process *p,
                      cmrx_thread_entry_t entry, void *arg, uint8_t *stack, uint32_t size)
{
    memset(&t->ctx, 0, sizeof(t->ctx));
    t->ctx.mpu_image = p->mpu;
    t->ctx.mpu_stack[0] = (uint32_t)stack | MPU_RBAR_VALID | CMRX_MPU_REGION_STACK;
    t->ctx.mpu_stack[1] = p->stack_mpu_attr;
    t->ctx.mpu_rpc = cmrx_port_rpc_off;
    /* An exception frame as if the thread had been interrupted just before
     * its first instruction; returning from entry lands in cmrx_thread_exit
     * with the return value as exit code. */
    uintptr_t args[4] = {(uintptr_t)arg, 0, 0, 0};
    port_ctx_call(t, (uintptr_t)(stack + size), (uintptr_t)entry, args,
                  (uintptr_t)cmrx_thread_exit);
}

void port_irq_enable(unsigned irq)
{
    /* A level-triggered line re-pends while masked; its driver has served
     * the device by now, so drop that stale request. A line still asserted
     * pends again at once. */
    NVIC_ICPR(irq / 32u) = 1u << (irq % 32u);
    NVIC_ISER(irq / 32u) = 1u << (irq % 32u);
}

void port_irq_disable(unsigned irq)
{
    NVIC_ICER(irq / 32u) = 1u << (irq % 32u);
    __asm volatile("dsb\n\tisb" ::: "memory");
}

uint32_t port_tick_phase_us(void)
{
    uint32_t reload = SYST_RVR + 1u;
    uint32_t val = SYST_CVR;
    uint32_t extra = 0;
    if (SCB_ICSR & ICSR_PENDSTSET) {
        /* The counter wrapped but the tick is not processed yet: the value
         * read above may predate the wrap, so read again. */
        val = SYST_CVR;
        extra = CMRX_TICK_US;
    }
    return extra + (reload - 1u - val) * CMRX_TICK_US / reload;
}

void port_start_first(struct cmrx_thread *t)
{
    cmrx_sched.current = t;
    cmrx_sched.next = t;
    /* Enter the kernel like a thread does, on the process stack (here a
     * scratch area of the main stack, abandoned right after), so the SVC
     * handler needs no special case on its fast path: number 255 from
     * privileged thread mode starts the first thread. */
    __asm volatile("mrs r0, msp\n\t"
                   "sub r0, r0, #64\n\t"
                   "msr psp, r0\n\t"
                   "movs r0, #2\n\t" /* CONTROL.SPSEL: thread mode on PSP */
                   "msr control, r0\n\t"
                   "isb\n\t"
                   "svc 255" ::
                       : "r0", "memory");
    for (;;) {
    }
}

void cmrx_port_reset(void)
{
    extern const uint32_t cmrx_vectors[];
    SCB_VTOR = (uint32_t)cmrx_vectors;
#if defined(__ARM_FP)
    SCB_CPACR |= 0xFu << 20; /* CP10, CP11: full access */
    FPU_FPCCR |= FPCCR_ASPEN | FPCCR_LSPEN;
    __asm volatile("dsb\n\tisb" ::: "memory");
#endif
    memcpy(__cmrx_kdata_start, __cmrx_kdata_load, (size_t)(__cmrx_kdata_end - __cmrx_kdata_start));
    memset(__cmrx_kbss_start, 0, (size_t)(__cmrx_kbss_end - __cmrx_kbss_start));
    bsp_init();
    cmrx_kernel_main();
}

void cmrx_port_systick(void)
{
    cmrx_kernel_tick();
}

void cmrx_port_irq(void)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    cmrx_irq_isr((ipsr & 0x1FFu) - 16u);
}

void cmrx_port_nmi(void)
{
    cmrx_panic("NMI", "unexpected", 0, 0);
}

__attribute__((noreturn)) void cmrx_port_system_reset(void)
{
    __asm volatile("dsb" ::: "memory");
    SCB_AIRCR = AIRCR_VECTKEY | AIRCR_SYSRESETREQ;
    for (;;) {
    }
}
