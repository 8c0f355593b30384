/* Console UART drivers used by the kernel console. One driver per UART IP
 * block; the board's bsp.yaml picks the driver and its base address. Pins
 * and the UART's bus clock are the board's job (bsp_board_init()). */
#ifndef CMRX_DRIVERS_CONSOLE_H
#define CMRX_DRIVERS_CONSOLE_H

#include <stddef.h>

/** Enable the console UART for transmission at the board's baud rate. */
void console_driver_init(void);

/** Transmit @p n bytes as they are, waiting for room in the transmitter.
 * Returns when the last byte is handed to the UART, not when it is sent. */
void console_driver_write(const char *s, size_t n);

/** Wait until everything written has left the transmitter (before a reset
 * cuts it off). */
void console_driver_flush(void);

#endif
