/* uart-console test: what the runner feeds the UART, and when con_doomed
 * starts waiting for more. */
#ifndef CON_TEST_H
#define CON_TEST_H

#define INPUT_LINE        "hello, uart-console"
#define INPUT_LINE_BYTES  (sizeof(INPUT_LINE) - 1u + 2u) /* "\r\n" */
#define INPUT_PATTERN_LEN 200u
#define INPUT_BYTES       (INPUT_LINE_BYTES + INPUT_PATTERN_LEN)
/* con_main takes all of it within a millisecond of its arrival. */
#define DOOMED_DELAY_US 50000u

#endif
