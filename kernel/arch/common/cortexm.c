/* What every Cortex-M port does the same way: reset, interrupt lines, the
 * tick phase, entering the first thread, the exception entries that only
 * forward to the kernel. */
#include "bsp_config.h"
#include "kernel.h"
#include "cortexm.h"
#include "mainline.h" /* FPU registers, used only where there is an FPU */

#include <stddef.h>
#include <string.h>

/* The layout context.S of every port relies on. */
_Static_assert(offsetof(struct cmrx_port_context, r4_r11) == 4, "context.S CTX_R4");
_Static_assert(offsetof(struct cmrx_port_context, exc_return) == 36, "context.S CTX_EXC_RETURN");
_Static_assert(offsetof(struct cmrx_port_context, mpu_image) == 40, "context.S CTX_MPU_IMAGE");
_Static_assert(offsetof(struct cmrx_port_context, mpu_stack) == 44, "context.S CTX_MPU_STACK");
_Static_assert(offsetof(struct cmrx_port_context, mpu_rpc) == 52, "context.S CTX_MPU_RPC");
#if defined(__ARM_FP)
_Static_assert(offsetof(struct cmrx_port_context, s16_s31) == 56, "context.S CTX_FP");
#endif
_Static_assert(sizeof(struct cmrx_port_context) == CMRX_PORT_CTX_SIZE, "context size");
_Static_assert(offsetof(struct cmrx_thread, ctx) == 0, "context first in the TCB");
_Static_assert(offsetof(struct cmrx_thread, sig_pending) == CMRX_PORT_CTX_SIZE,
               "context.S OFF_SIG_PENDING");
_Static_assert(offsetof(struct cmrx_thread, frames) == CMRX_PORT_CTX_SIZE + 4,
               "context.S OFF_FRAMES");
_Static_assert(offsetof(struct cmrx_process, mpu) == 0, "MPU image first in the process");

#if defined(__ARM_FP)
/* Zeros to load into the FPU registers, and whether they may hold a
 * thread's values (context.S scrubs them before a context without FP
 * state runs). Set at boot: their reset contents are unknown. */
const uint32_t cmrx_fp_zeros[16];
uint32_t cmrx_fp_dirty = 1;
#endif

/* Kernel memory, from the linker script. */
extern uint8_t __cmrx_kdata_start[], __cmrx_kdata_end[], __cmrx_kbss_start[], __cmrx_kbss_end[];
extern const uint8_t __cmrx_kdata_load[];
extern const uint32_t cmrx_vectors[];

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

#if CMRX_TRACE_EVENTS
/* SysTick, not DWT's CYCCNT: every Cortex-M this SDK runs on has SysTick
 * counting the CPU clock (ARMv6-M has no DWT counter, and QEMU models
 * none), so one clock serves every board and the emulator. The kernel's
 * tick count supplies the high part. Read in kernel context, where the
 * tick cannot run: a wrap not yet ticked is pending. */
uint32_t port_trace_clock(void)
{
    if ((SYST_CSR & 1u) == 0) {
        return 0; /* before the first thread starts the tick: time 0 */
    }
    uint32_t reload = SYST_RVR + 1u;
    uint32_t val = SYST_CVR;
    uint32_t ticks = time_ticks();
    if (SCB_ICSR & ICSR_PENDSTSET) {
        val = SYST_CVR;
        ticks++;
    }
    return ticks * reload + (reload - 1u - val);
}

uint32_t port_trace_hz(void)
{
    return CMRX_BSP_CLOCK_HZ;
}
#endif

void port_start_first(struct cmrx_thread *t)
{
    cmrx_sched.current = t;
    cmrx_sched.next = t;
    /* Enter the kernel like a thread does, on the process stack (here a
     * scratch area of the main stack, abandoned right after), so the SVC
     * handler needs no special case on its fast path: number 255 from
     * privileged thread mode starts the first thread. */
    uint32_t msp;
    __asm volatile("mrs %0, msp" : "=r"(msp));
    __asm volatile("msr psp, %0\n\t"
                   "msr control, %1\n\t" /* CONTROL.SPSEL: thread mode on PSP */
                   "isb\n\t"
                   "svc 255"
                   :
                   : "r"(msp - 64u), "r"(2u)
                   : "memory");
    for (;;) {
    }
}

void cmrx_port_reset(void)
{
    /* Cores that boot from address 0 start with VTOR 0; on the others a
     * boot loader may have left it anywhere (ARMv6-M's VTOR is optional:
     * leave it alone where it is already right). */
    if ((uintptr_t)cmrx_vectors != 0) {
        SCB_VTOR = (uint32_t)(uintptr_t)cmrx_vectors;
    }
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

/* The kernel's code and read-only data, process table included (the
 * linker script gen.c writes). */
extern const uint32_t __cmrx_ktext_start[], __cmrx_ktext_end[];

uint32_t port_image_stamp(void)
{
    /* FNV-1a by words: once per boot, about 4 instructions a word. */
    uint32_t h = 2166136261u;
    for (const uint32_t *w = __cmrx_ktext_start; w < __cmrx_ktext_end; w++) {
        h = (h ^ *w) * 16777619u;
    }
    return h;
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

void port_thread_init(struct cmrx_thread *t, const struct cmrx_process *p,
                      cmrx_thread_entry_t entry, void *arg, uint8_t *stack, uint32_t size)
{
    /* Every word of the context is set below; s16-s31 are never loaded
     * for a frame without FP state. */
    t->ctx.mpu_image = p->mpu;
    port_thread_regions(t, p, stack, size);
    /* An exception frame as if the thread had been interrupted just before
     * its first instruction; returning from entry lands in cmrx_thread_exit
     * with the return value as exit code. */
    uintptr_t args[4] = {(uintptr_t)arg, 0, 0, 0};
    port_ctx_call(t, (uintptr_t)(stack + size), (uintptr_t)entry, args,
                  (uintptr_t)cmrx_thread_exit);
}
