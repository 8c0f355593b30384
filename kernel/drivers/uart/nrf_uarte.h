/* Nordic UARTE (UART with EasyDMA): its registers, from the nRF52840
 * Product Specification v1.7, section 6.34 (the same block is in
 * nRF52832/833 and nRF5340). For the kernel's console driver, the
 * process-side driver and the boards that route its pins (PSEL). */
#ifndef CMRX_UART_NRF_UARTE_H
#define CMRX_UART_NRF_UARTE_H

#include <stdint.h>

/** Register @p reg (TASKS_STARTTX, ...) of the UARTE at @p base. */
#define NRF_UARTE(base, reg) (*(volatile uint32_t *)((uintptr_t)(base) + NRF_UARTE_##reg))

/* Tasks: write 1 to start. */
#define NRF_UARTE_TASKS_STARTRX 0x000u
#define NRF_UARTE_TASKS_STOPRX  0x004u
#define NRF_UARTE_TASKS_STARTTX 0x008u
#define NRF_UARTE_TASKS_STOPTX  0x00Cu
/* Events: set by the UARTE, cleared by writing 0. */
#define NRF_UARTE_EVENTS_ENDRX     0x110u /* RXD.MAXCNT bytes are in RAM */
#define NRF_UARTE_EVENTS_ENDTX     0x120u /* TXD.MAXCNT bytes have been sent */
#define NRF_UARTE_EVENTS_ERROR     0x124u /* ERRORSRC says which */
#define NRF_UARTE_EVENTS_RXTO      0x144u
#define NRF_UARTE_EVENTS_TXSTOPPED 0x158u

#define NRF_UARTE_INTENSET   0x304u
#define NRF_UARTE_INTENCLR   0x308u
#define NRF_UARTE_ERRORSRC   0x480u /* write 1 to clear */
#define NRF_UARTE_ENABLE     0x500u
#define NRF_UARTE_PSEL_TXD   0x50Cu
#define NRF_UARTE_PSEL_RXD   0x514u
#define NRF_UARTE_BAUDRATE   0x524u
#define NRF_UARTE_RXD_PTR    0x534u /* EasyDMA reaches RAM only */
#define NRF_UARTE_RXD_MAXCNT 0x538u
#define NRF_UARTE_TXD_PTR    0x544u
#define NRF_UARTE_TXD_MAXCNT 0x548u
#define NRF_UARTE_CONFIG     0x56Cu /* 0: no parity, one stop bit, no flow control */

#define NRF_UARTE_ENABLE_ON 8u
/* The interrupt bit of each event is its offset from 0x100, in words. */
#define NRF_UARTE_INT_ENDRX    (1u << 4)
#define NRF_UARTE_INT_ENDTX    (1u << 8)
#define NRF_UARTE_INT_ERROR    (1u << 9)
#define NRF_UARTE_ERRORSRC_ALL 0xFu /* overrun, parity, framing, break */

/* PSEL: pin [4:0], port [5]; CONNECT [31] = 0 connects. */
#define NRF_UARTE_PSEL(port, pin) (((uint32_t)(port) << 5) | (uint32_t)(pin))

/** The BAUDRATE code of @p baud, 0 for a rate the UARTE has none for (its
 * codes differ from the legacy UART's). A constant expression for a
 * constant @p baud, so that a build can refuse a rate. */
#define NRF_UARTE_BAUD_CODE(baud)                                                                  \
    ((baud) == 9600u      ? 0x00275000u                                                            \
     : (baud) == 19200u   ? 0x004EA000u                                                            \
     : (baud) == 38400u   ? 0x009D0000u                                                            \
     : (baud) == 57600u   ? 0x00EB0000u                                                            \
     : (baud) == 115200u  ? 0x01D60000u                                                            \
     : (baud) == 230400u  ? 0x03B00000u                                                            \
     : (baud) == 460800u  ? 0x07400000u                                                            \
     : (baud) == 921600u  ? 0x0F000000u                                                            \
     : (baud) == 1000000u ? 0x10000000u                                                            \
                          : 0u)

#endif
