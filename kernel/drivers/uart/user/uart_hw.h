/* What a driver process needs from a UART: one file per UART design, which
 * cmrx_uart_backend() (cmrx.cmake) chooses from the UART's bsp.yaml driver.
 * The process compiles it with UART_BASE, the UART's address: the
 * console's for uart-console, another UART's for the updater component.
 * Callers never run these concurrently. */
#ifndef CMRX_UART_HW_H
#define CMRX_UART_HW_H

#include <stdbool.h>
#include <stdint.h>

/** Set 8N1 at @p baud from the UART's @p clock_hz, before uart_hw_init(): for
 * a UART the kernel did not set up (the console's it did). */
void uart_hw_baud(uint32_t clock_hz, uint32_t baud);

/** Enable the receiver and its interrupt (with the baud rate set). */
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
