/* MPS2 AN505: let unprivileged code reach the peripherals.
 *
 * Every peripheral of the IoT Kit sits behind a Peripheral Protection
 * Controller (PPC), which after reset refuses unprivileged accesses to the
 * peripherals it keeps Secure. Under CMRX the MPU decides which process
 * reaches which device (a process's MMIO ranges), so the PPCs are told to
 * let unprivileged Secure accesses through on every port; the devices stay
 * Secure-only.
 *
 * Registers from the Arm CoreLink SSE-200 Subsystem TRM (101104), Secure
 * Privilege Control Block (the IoT Kit of AN505 has the same block): the
 * "Secure Unprivileged Access" enables of the internal APB PPCs and of the
 * expansion APB and AHB PPCs. Writes to bits of ports that do not exist
 * are ignored. */
#include <stdint.h>

#define SPCB           0x50080000u /* Secure Privilege Control Block */
#define REG(off)       (*(volatile uint32_t *)(SPCB + (off)))
#define AHBSPPPCEXP(n) REG(0x0A0u + 4u * (n))
#define APBSPPPC0      REG(0x0B0u) /* timers 0, 1, dual timer, MHUs */
#define APBSPPPC1      REG(0x0B4u) /* S32K timer */
#define APBSPPPCEXP(n) REG(0x0C0u + 4u * (n))
#define ALL_PORTS      0xFFFFFFFFu

void bsp_board_init(void);

void bsp_board_init(void)
{
    APBSPPPC0 = ALL_PORTS;
    APBSPPPC1 = ALL_PORTS;
    for (unsigned n = 0; n < 4u; n++) {
        APBSPPPCEXP(n) = ALL_PORTS; /* EXP1: UARTs, SPI, I2C; EXP2: SCC, FPGA I/O */
        AHBSPPPCEXP(n) = ALL_PORTS; /* EXP0: GPIO, Ethernet, graphics; EXP1: DMA */
    }
}
