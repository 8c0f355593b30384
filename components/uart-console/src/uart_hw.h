/* What the driver needs from a UART: one backend file per UART IP block,
 * chosen by component.cmake from the board's console driver. UART_BASE is
 * the console UART's address (a compile definition). The driver calls
 * these with its lock held, so they never run concurrently. */
#ifndef UART_CONSOLE_HW_H
#define UART_CONSOLE_HW_H

#include <stdbool.h>
#include <stdint.h>

/** Enable the receiver and its interrupt (the kernel set the baud rate). */
void uart_hw_init(void);

/** Acknowledge the UART's interrupt flags; returns errors it flagged (0 or 1). */
uint32_t uart_hw_ack(void);

/** The next received byte, or -1 if none is waiting. */
int uart_hw_rx(void);

/** Whether the transmitter takes another byte now. */
bool uart_hw_tx_room(void);

/** Hand @p c to the transmitter (after uart_hw_tx_room()). */
void uart_hw_tx(uint8_t c);

/** Interrupt when the transmitter can take more (@p on) or not. */
void uart_hw_tx_irq(bool on);

/** Whether everything handed over has been sent. */
bool uart_hw_tx_idle(void);

#endif
