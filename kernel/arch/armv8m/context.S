/* ARMv8-M exception entry points: common/context_mainline.S with the
 * PMSAv8 memory map load. */

/* PMSAv8 registers: RNR selects a group of four regions (RNR & ~3) whose
 * RBAR/RLAR pairs sit at RBAR, RBAR_A1..A3 (0xE000ED9C..0xE000EDB8); RBAR
 * itself is region RNR. */
    .equ MPU_RNR_ADDR,   0xE000ED98
    .equ RNR_TO_RBAR,    0x04
    .equ RNR_TO_RBAR_A2, 0x14

/* Regions 2 (the thread's stack) and 3 (a caller's .shared, or off)
 * through the aliases A2, A3 of group 0, then regions 4..7 (the active
 * process's image) through group 4. */
    .macro LOAD_MPU
    ldr     r0, =MPU_RNR_ADDR
    movs    r2, #0
    str     r2, [r0]
    ldrd    r4, r5, [r1, #CTX_MPU_STACK]
    ldr     r2, [r1, #CTX_MPU_RPC]
    ldrd    r6, r7, [r2]
    add     r3, r0, #RNR_TO_RBAR_A2
    stmia   r3, {r4-r7}
    movs    r2, #4
    str     r2, [r0]
    ldr     r2, [r1, #CTX_MPU_IMAGE]
    ldmia   r2, {r4-r11}
    add     r3, r0, #RNR_TO_RBAR
    stmia   r3, {r4-r11}
    .endm

/* The main stack may have hit its limit (MSPLIM): lift it, so that the
 * panic report can run. */
    .macro KERNEL_FAULT_PREP
    movs    r3, #0
    msr     msplim, r3
    .endm

#include "../common/context_mainline.S"
