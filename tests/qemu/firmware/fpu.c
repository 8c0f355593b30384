/* FPU context: every FP register and FPSCR survive preemption by other
 * threads that use the FPU (time slicing at equal priority, and a higher
 * priority thread waking up in between). */
#include "check.h"

#include <stdint.h>

#define SPINS 2000000u /* several ticks of work with live FP registers */

/* Load s0-s31 and FPSCR from pattern, spin, store them to out. */
__attribute__((naked)) static void fpu_hold(const uint32_t *pattern, uint32_t *out, uint32_t spins)
{
    (void)pattern, (void)out, (void)spins;
    __asm volatile("vpush {s16-s31}\n\t"
                   "ldr r3, [r0, #128]\n\t"
                   "vmsr fpscr, r3\n\t"
                   "vldmia r0, {s0-s31}\n\t"
                   "1: subs r2, r2, #1\n\t"
                   "bne 1b\n\t"
                   "vstmia r1, {s0-s31}\n\t"
                   "vmrs r3, fpscr\n\t"
                   "str r3, [r1, #128]\n\t"
                   "vpop {s16-s31}\n\t"
                   "bx lr\n\t");
}

struct job {
    uint32_t pattern[33];
    uint32_t out[33];
    int rounds;
};

static struct job jobs[3];

static int holder(void *arg)
{
    struct job *j = arg;
    for (int r = 0; r < j->rounds; r++) {
        fpu_hold(j->pattern, j->out, SPINS);
        for (int i = 0; i < 33; i++) {
            if (j->out[i] != j->pattern[i]) {
                cmrx_printf("CHECK FAILED: job %d register %d: %08lx != %08lx\n", (int)(j - jobs),
                            i, (unsigned long)j->out[i], (unsigned long)j->pattern[i]);
                return 1;
            }
        }
    }
    return 0;
}

static int waker(void *arg)
{
    struct job *j = arg;
    /* Wake up every 2 ms and clobber every FP register briefly. */
    for (int r = 0; r < j->rounds; r++) {
        cmrx_usleep(2000);
        fpu_hold(j->pattern, j->out, 10);
        for (int i = 0; i < 33; i++) {
            if (j->out[i] != j->pattern[i]) {
                return 1;
            }
        }
    }
    return 0;
}

static int main_thread(void *arg)
{
    (void)arg;
    for (int j = 0; j < 3; j++) {
        for (int i = 0; i < 32; i++) {
            jobs[j].pattern[i] = 0x3F800000u + (uint32_t)j * 0x100000u + (uint32_t)i;
        }
        /* Distinct rounding modes (FPSCR.RMode, bits 23:22) and flag bits. */
        jobs[j].pattern[32] = ((uint32_t)j << 22) | (1u << (uint32_t)j);
    }
    jobs[0].rounds = 4;
    jobs[1].rounds = 4;
    jobs[2].rounds = 12;
    cmrx_tid_t a = cmrx_thread_create(holder, &jobs[0], 12);
    cmrx_tid_t b = cmrx_thread_create(holder, &jobs[1], 12);
    cmrx_tid_t w = cmrx_thread_create(waker, &jobs[2], 8);
    int ca = -1, cb = -1, cw = -1;
    CHECK_EQ(cmrx_thread_join(a, &ca), CMRX_OK);
    CHECK_EQ(cmrx_thread_join(b, &cb), CMRX_OK);
    CHECK_EQ(cmrx_thread_join(w, &cw), CMRX_OK);
    CHECK_EQ(ca, 0);
    CHECK_EQ(cb, 0);
    CHECK_EQ(cw, 0);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
