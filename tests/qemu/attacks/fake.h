/* A forged process declaration, as an attacker who read the kernel's
 * sources writes it (a mirror of struct cmrx_process in kernel/src/kernel.h
 * and of the call frame's layout), and the memory maps it grants. Used by
 * the attacks that try to make the kernel restore a context of their
 * choosing. */
#ifndef CMRX_ATTACK_FAKE_H
#define CMRX_ATTACK_FAKE_H

#include <stdbool.h>
#include <stdint.h>

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

/* The kernel's call frame: prev, callee, limit, kind/depth, the port's two
 * words, then the saved context (sp, r4-r11, exc_return, MPU image,
 * stack region (2 words), RPC region, FP registers). */
#if defined(__ARM_FP)
#define FRAME_SIZE 144u
#else
#define FRAME_SIZE 80u
#endif
#define FRAME_SAVED        6u /* word offsets */
#define FRAME_SAVED_SP     (FRAME_SAVED + 0u)
#define FRAME_SAVED_EXCRET (FRAME_SAVED + 9u)
#define FRAME_SAVED_IMAGE  (FRAME_SAVED + 10u)
#define FRAME_SAVED_STACK  (FRAME_SAVED + 11u)

/* Where the CPU stacks an exception frame for a thread whose stack pointer
 * is sp (8-byte aligned, 8 words). */
#define HW_FRAME(sp) (((uintptr_t)(sp) - 32u) & ~(uintptr_t)7u)

/** Give @p fake SYSTEM rights, and a memory map of four read/write
 *  windows of 32 bytes at @p w[0..3] (rounded down to 32), nothing else. */
static inline void fake_windows(struct fake_process *fake, const uintptr_t w[4])
{
    for (unsigned r = 0; r < 4; r++) {
        uint32_t a = (uint32_t)w[r] & ~31u;
        bool twice = false; /* PMSAv8 regions may not overlap */
        for (unsigned k = 0; k < r; k++) {
            twice |= ((uint32_t)w[k] & ~31u) == a;
        }
        if (twice) {
#if defined(CMRX_ATTACK_ARMV8M)
            fake->mpu[2 * r] = fake->mpu[2 * r + 1] = 0;
#else
            fake->mpu[2 * r] = (1u << 4) | (2u + r);
            fake->mpu[2 * r + 1] = 0;
#endif
            continue;
        }
#if defined(CMRX_ATTACK_ARMV8M)
        /* PMSAv8 regions 4..7: RBAR = base | AP=RW any | XN, RLAR = limit | EN. */
        fake->mpu[2 * r] = a | (1u << 1) | 1u;
        fake->mpu[2 * r + 1] = a | 1u;
#else
        /* PMSAv7 regions 2..5: RBAR = base | VALID | n, RASR = XN | AP full
         * | normal | SIZE 32 bytes | EN. */
        fake->mpu[2 * r] = a | (1u << 4) | (2u + r);
        fake->mpu[2 * r + 1] =
            (1u << 28) | (3u << 24) | (1u << 17) | (1u << 16) | (4u << 1) | 1u;
#endif
    }
    fake->flags = 1; /* CMRX_PROC_SYSTEM */
}

#endif
