/* Console UART drivers used by the kernel console. One driver per UART IP
 * block; the board's bsp.yaml picks the driver and its base address. Pins
 * and the UART's bus clock are the board's job (bsp_board_init()). */
#ifndef CMRX_DRIVERS_CONSOLE_H
#define CMRX_DRIVERS_CONSOLE_H

#include <stddef.h>

/** Enable the console UART for transmission at the board's baud rate. */
void console_driver_init(void);

/** Hand the UART as many of the @p n bytes as it takes now (its transmit
 * register or FIFO, or one DMA transfer), as they are, never waiting: the
 * kernel never preempts itself, so a wait for the line here would hold
 * back every interrupt's thread (32 bytes at 115200 baud: 2.8 ms).
 * @return the bytes taken, 0 while the transmitter is full. */
size_t console_driver_put(const char *s, size_t n);

/** Wait until everything written has left the transmitter (before a reset
 * cuts it off). */
void console_driver_flush(void);

#endif
