/* The RP2040's flash interface (SSI, a Synopsys DW_apb_ssi; datasheet 4.10)
 * as the Pico runs it for execute in place (XIP): its registers and the
 * one configuration of them, shared by the boot code (boot2.S), which sets
 * it up at reset, and the kernel's flash operations (flash_rom.c), which
 * set it up again after the boot ROM has programmed the flash. Plain
 * #defines: included by assembly and C alike.
 *
 * Flash reads use the standard read command 03h, which every SPI flash
 * knows, with SCK = clk_sys / 4. board.c runs clk_sys at 125 MHz: 31.25 MHz
 * on SCK, within the 50 MHz the W25Q16JV allows for 03h (its datasheet, AC
 * electrical characteristics, fR).
 */
#ifndef RP2040_XIP_SSI_H
#define RP2040_XIP_SSI_H

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

/* Where the flash appears when XIP is on (datasheet 2.2, address map). */
#define XIP_BASE 0x10000000

#endif
