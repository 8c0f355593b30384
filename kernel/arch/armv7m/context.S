/* ARMv7-M exception entry points: common/context_mainline.S with the
 * PMSAv7 memory map load. */

/* Regions 2..5 (the active process's image) go to RBAR, RASR and their
 * aliases A1..A3 with one STM (the region number travels in each RBAR
 * value); regions 6 (the thread's stack) and 7 (a caller's .shared, or
 * off) to RBAR and RASR the same way. */
    .macro LOAD_MPU
    ldr     r0, =0xE000ED9C         /* MPU_RBAR */
    ldr     r2, [r1, #CTX_MPU_IMAGE]
    ldmia   r2, {r4-r11}
    stmia   r0, {r4-r11}
    ldrd    r4, r5, [r1, #CTX_MPU_STACK]
    ldr     r2, [r1, #CTX_MPU_RPC]
    ldrd    r6, r7, [r2]
    stmia   r0, {r4-r7}
    .endm

    .macro KERNEL_FAULT_PREP
    .endm

#include "../common/context_mainline.S"
