/* Serial ports of real boards, for `cmrx monitor`: finding the one a
 * board's probe offers and opening it raw at a baud rate. */
#ifndef CMRX_CLI_SERIAL_H
#define CMRX_CLI_SERIAL_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

/**
 * The serial port of the one board connected: the only entry of
 * /dev/serial/by-id/ (USB serial ports by their probe's name), else the
 * only /dev/ttyACM* or /dev/ttyUSB*.
 * @return a new string, or NULL with a message (none found, or several:
 * the message lists them for --port).
 */
char *serial_find(struct err *e);

/**
 * Open @p port for reading (and writing, with @p rw), raw (no echo, no line
 * editing, no translation), 8N1 at @p baud.
 * @return the descriptor, or -1 with a message (cannot open, not a
 * terminal, a baud rate the system does not know).
 */
int serial_open(const char *port, uint32_t baud, bool rw, struct err *e);

#endif
