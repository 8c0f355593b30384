/* Arm PrimeCell UART PL011: its registers (Technical Reference Manual DDI
 * 0183G, chapter 3), for the kernel's console driver and the uart-console
 * component alike. */
#ifndef CMRX_UART_PL011_H
#define CMRX_UART_PL011_H

#include <stdint.h>

/** Register @p reg (DR, FR, ...) of the UART at @p base. */
#define PL011(base, reg) (*(volatile uint32_t *)((uintptr_t)(base) + PL011_##reg))

#define PL011_DR    0x000u
#define PL011_FR    0x018u
#define PL011_IBRD  0x024u
#define PL011_FBRD  0x028u
#define PL011_LCR_H 0x02Cu
#define PL011_CR    0x030u
#define PL011_IMSC  0x038u /* interrupt mask: 1 enables */
#define PL011_RIS   0x03Cu /* raw interrupt status */
#define PL011_ICR   0x044u /* write 1 to clear */

#define PL011_FR_BUSY (1u << 3) /* until the last stop bit of the last byte is out */
#define PL011_FR_RXFE (1u << 4)
#define PL011_FR_TXFF (1u << 5)
#define PL011_FR_TXFE (1u << 7)

#define PL011_LCR_H_FEN    (1u << 4)
#define PL011_LCR_H_WLEN_8 (3u << 5)

#define PL011_CR_UARTEN (1u << 0)
#define PL011_CR_TXE    (1u << 8)
#define PL011_CR_RXE    (1u << 9)

/* Interrupt bits of IMSC, RIS and ICR. */
#define PL011_INT_RX  (1u << 4)
#define PL011_INT_TX  (1u << 5)
#define PL011_INT_RT  (1u << 6)   /* receive timeout */
#define PL011_INT_ERR (0xFu << 7) /* framing, parity, break, overrun */
#define PL011_INT_ALL 0x7FFu

#endif
