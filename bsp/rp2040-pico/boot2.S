/* Second-stage boot loader ("boot2") of the Raspberry Pi Pico.
 *
 * The RP2040's boot ROM reads the first 256 bytes of flash with slow 03h
 * commands, copies them to SRAM at 0x20041f00, checks the CRC-32 in their
 * last 4 bytes (the SDK appends it: bsp.yaml `boot:`) and runs them
 * (datasheet 2.8.1). Flash is not mapped at 0x10000000 until the SSI, the
 * flash interface, is set up for execute in place (XIP), and the SSI only
 * takes a new configuration while disabled: this code sets it up from SRAM,
 * then starts the firmware.
 *
 * The SSI configuration, with why each value is what it is, is in
 * xip_ssi.h: the kernel sets the same up again after programming flash.
 *
 * ARMv6-M, 16-bit Thumb instructions only; no stack, no RAM but its own.
 * Registers from the RP2040 datasheet: SSI 4.10 (a Synopsys DW_apb_ssi),
 * M0PLUS_VTOR 2.4.
 */
    .syntax unified
    .cpu cortex-m0plus
    .thumb

#ifndef CMRX_BOOT_VECTORS
#error "CMRX_BOOT_VECTORS, the vector table's address, comes from the CMRX SDK"
#endif

#include "xip_ssi.h"

#define M0PLUS_VTOR 0xe000ed08

    .section .text.boot2, "ax"
    .global cmrx_boot2
    .type cmrx_boot2, %function
    .thumb_func
cmrx_boot2:
    ldr  r0, =SSI_BASE
    movs r1, #0
    str  r1, [r0, #SSI_SSIENR]      /* disabled: configurable */
    str  r1, [r0, #SSI_CTRLR1]      /* NDF 0: one data frame per XIP access */
    movs r1, #SCK_DIVIDER
    str  r1, [r0, #SSI_BAUDR]
    ldr  r1, =CTRLR0_XIP
    str  r1, [r0, #SSI_CTRLR0]
    ldr  r1, =SPI_CTRLR0_READ
    movs r2, #SSI_SPI_CTRLR0        /* beyond the 124-byte reach of str #imm */
    str  r1, [r0, r2]
    movs r1, #RX_DELAY
    movs r2, #SSI_RX_SAMPLE_DLY
    str  r1, [r0, r2]
    movs r1, #1
    str  r1, [r0, #SSI_SER]         /* the flash's chip select takes part */
    str  r1, [r0, #SSI_SSIENR]      /* enabled: flash reads at 0x10000000 */

    /* Start the firmware as a reset would, from its vector table. */
    ldr  r0, =CMRX_BOOT_VECTORS
    ldr  r1, =M0PLUS_VTOR
    str  r0, [r1]
    ldr  r1, [r0, #0]
    mov  sp, r1                     /* the ROM runs on the main stack: this is MSP */
    ldr  r1, [r0, #4]
    bx   r1                         /* the reset handler, Thumb bit set */

    .ltorg
    .size cmrx_boot2, . - cmrx_boot2
