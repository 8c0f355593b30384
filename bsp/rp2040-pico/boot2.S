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
 * Flash reads use the standard read command 03h, which every SPI flash
 * knows, with SCK = clk_sys / 4. board.c later runs clk_sys at 125 MHz:
 * 31.25 MHz on SCK, within the 50 MHz the W25Q16JV allows for 03h (its
 * datasheet, AC electrical characteristics, fR). Until then clk_sys is the
 * ring oscillator and SCK is much slower.
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

#define SSI_BASE          0x18000000
#define SSI_CTRLR0        0x00
#define SSI_CTRLR1        0x04
#define SSI_SSIENR        0x08
#define SSI_SER           0x10
#define SSI_BAUDR         0x14
#define SSI_RX_SAMPLE_DLY 0xf0
#define SSI_SPI_CTRLR0    0xf4

/* CTRLR0: standard one-line SPI (SPI_FRF [22:21] = 0), 32-bit data frames
 * (DFS_32 [20:16] = 31), EEPROM read: command and address out, then data
 * in (TMOD [9:8] = 3). */
#define CTRLR0_XIP ((31 << 16) | (3 << 8))
/* SPI_CTRLR0, what an XIP access sends: instruction 03h (XIP_CMD [31:24]),
 * 8 bits long (INST_L [9:8] = 2), then a 24-bit address (ADDR_L [5:2] = 6
 * nibbles), both on one line (TRANS_TYPE [1:0] = 0), no wait cycles. */
#define SPI_CTRLR0_READ ((0x03 << 24) | (2 << 8) | (6 << 2))
/* BAUDR.SCKDV: SCK = clk_sys / 4 (the divider must be even). */
#define SCK_DIVIDER 4
/* Sample read data one clk_sys cycle after the SCK edge (8 ns at 125 MHz):
 * more room for the flash's output delay, and still a cycle before it
 * shifts out its next bit on the falling edge. */
#define RX_DELAY 1

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
