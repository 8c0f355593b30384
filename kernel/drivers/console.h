/* Console UART drivers used by the kernel console. One driver per UART IP
 * block; the board's bsp.yaml picks the driver and its base address. */
#ifndef CMRX_DRIVERS_CONSOLE_H
#define CMRX_DRIVERS_CONSOLE_H

#include <stddef.h>

/** Enable the console UART for transmission at the board's baud rate. */
void console_driver_init(void);

/** Transmit @p n bytes, waiting for room in the transmitter. */
void console_driver_write(const char *s, size_t n);

#endif
