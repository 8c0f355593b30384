/* Fault reports you can read: the kernel reports a fault as addresses
 * (kernel/src/fault.c):
 *
 *   [cmrx] FAULT process=P thread=N pc=0x... addr=0x... cause="..." action=...
 *   [cmrx]   lr=0x...
 *   [cmrx]   rpc 2: B -> C method=0x...
 *   [cmrx]   rpc 1: A -> B method=0x...
 *
 * and this module turns the lines after the first into functions and
 * source lines, from the firmware's ELF (with arm-none-eabi-addr2line, or
 * the host's addr2line for board host's Linux program):
 *
 *   [cmrx]   pc 0x... in read_sensor (src/sensor.c:42)
 *   [cmrx]   lr 0x... in sensor_poll (src/sensor.c:57)
 *   [cmrx]   rpc 2: B -> C.read (src/c.c:11)
 *   [cmrx]   rpc 1: A -> B.poll (src/b.c:30)
 *
 * An address it cannot place (no debug information, no addr2line) stays
 * as the kernel printed it. `cmrx run` and `cmrx test` decode this way. */
#ifndef CMRX_CLI_FAULTS_H
#define CMRX_CLI_FAULTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct fault_decoder {
    const char *elf;  /**< the firmware, with its debug information */
    const char *root; /**< source paths under this folder are shown relative to it */
    char *addr2line;  /**< the tool; NULL: nothing is decoded */
    uint32_t thumb;   /**< the Thumb bit code addresses carry (1 on Arm, 0 on the host) */
    uint32_t pc;      /**< of the fault being reported */
    bool have_pc;
};

/** Prepare to decode against @p elf, showing paths under @p root relative (may be NULL). */
void fault_decoder_init(struct fault_decoder *d, const char *elf, const char *root);

void fault_decoder_free(struct fault_decoder *d);

/**
 * The function and source line of code address @p addr: "name (file:line)"
 * (a new string), or NULL when the ELF does not place it.
 */
char *fault_where(const struct fault_decoder *d, uint32_t addr);

/** Write console line @p line (@p len bytes, its '\n' included if any) to @p out, decoded. */
void fault_decode_line(struct fault_decoder *d, const char *line, size_t len, FILE *out);

/** Write @p text (console output, many lines) to @p out, decoded. */
void fault_decode_text(struct fault_decoder *d, const char *text, FILE *out);

/**
 * Relay console output from @p in_fd to @p out_fd, decoded, until @p in_fd
 * ends. A line without its end yet goes out as it is after a moment, so a
 * prompt is not held back. For spawn_filter().
 */
void fault_filter(int in_fd, int out_fd, void *decoder);

#endif
