/* A two-process kernel configuration for host unit tests of the core.
 *
 * Process "alpha" (system, updater, with the right flash) owns thread slots
 * 0..2 and gives its methods a stack budget of 512 bytes; process "beta"
 * (neither updatable nor updater) owns slots 3..4 and has a
 * priority ceiling of 2; slot 5 is the idle thread. Each process has .data/.bss, .shared and
 * per-slot stacks in plain host arrays; "flash" is fx_flash.
 */
#ifndef CMRX_TEST_FIXTURE_H
#define CMRX_TEST_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kernel.h"

#define FX_ALPHA    0
#define FX_BETA     1
#define FX_STACK    4096 /* host call frames are bigger than a Cortex-M's */
#define FX_BETA_IRQ 3

/* RPC interfaces: beta's (3 methods) and alpha's (1 method). */
extern const uintptr_t fx_beta_vtable[3];
extern const uintptr_t fx_alpha_vtable[1];

extern uint8_t fx_alpha_ram[128]; /* .data [0,64), .bss [64,128) */
/* An object of alpha's interface: its initial value names fx_alpha_vtable. */
#define FX_ALPHA_SERVICE (fx_alpha_ram + 16)
extern uint8_t fx_alpha_shared[64];
extern uint8_t fx_alpha_stacks[3][FX_STACK];
extern uint8_t fx_beta_ram[64];
extern uint8_t fx_beta_stacks[2][FX_STACK];
extern const uint8_t fx_flash[1024];
/** The commit log's two units (cmrx_commit_log) of FX_FLASH_UNIT bytes:
 * the host's flash, erased with bsp_flash_erase(), programmed with
 * bsp_flash_program() (weak: NOR flash in memory; tests may replace them). */
#define FX_FLASH_UNIT 256u
extern uint8_t fx_log_flash[2u * FX_FLASH_UNIT];

/** Console output captured from the kernel. */
extern char fx_console[4096];
extern size_t fx_console_len;
/** The most bytes the console UART takes per call (SIZE_MAX: all; 0: it
 *  is full), and the calls so far. fx_reset() sets it to SIZE_MAX. */
extern size_t fx_console_room;
extern unsigned fx_console_calls;

/** The console with the kernel's queued messages put out: what a reader
 *  of the console would have seen by now. */
const char *fx_log(void);

/** bsp_reset() is bsp_shutdown() with this code. */
#define FX_REBOOT (-1001)

/** Set by bsp_shutdown(); it longjmps to fx_shutdown_jmp when armed. */
extern int fx_shutdown_code;
extern jmp_buf fx_shutdown_jmp;
extern int fx_shutdown_armed;

/** Fresh kernel state: empty thread table, scheduler, time, console. */
void fx_reset(void);

/** Start both processes (no autostart threads) and the idle thread; nothing runs yet. */
void fx_boot(void);

/** Create a thread in process @p proc directly (as at boot) and return it. */
struct cmrx_thread *fx_spawn(int proc, unsigned prio);

/** Make @p t the running thread, as if the CPU had switched to it. */
void fx_run(struct cmrx_thread *t);

/** Follow the scheduler's decision: current = next. @return the new current thread. */
struct cmrx_thread *fx_switch(void);

/** A code address in flash that passes access_code_ok(). */
cmrx_thread_entry_t fx_entry(void);

/** The running thread @p t calls cmrx_thread_exit(code) (a context call). */
void fx_exit(struct cmrx_thread *t, int code);

/** The idle thread. */
struct cmrx_thread *fx_idle(void);

#endif
