#include "fixture.h"

#include <stdlib.h>
#include <string.h>

_Alignas(256) uint8_t fx_alpha_ram[128]; /* aligned: test_wait knows which words share a bucket */
uint8_t fx_alpha_shared[64];
uint8_t fx_alpha_stacks[3][FX_STACK];
uint8_t fx_beta_ram[64];
uint8_t fx_beta_stacks[2][FX_STACK];
const uint8_t fx_flash[1024] = {1};

/* Beta serves one RPC interface of three methods ("code" inside fx_flash)
 * and owns interrupt line 3. */
const uintptr_t fx_beta_vtable[3] = {(uintptr_t)(fx_flash + 64), (uintptr_t)(fx_flash + 80),
                                     (uintptr_t)(fx_flash + 96)};
static const struct cmrx_vtable_desc beta_vtables[1] = {{fx_beta_vtable, 3, "beta_vt"}};
const uintptr_t fx_alpha_vtable[1] = {(uintptr_t)(fx_flash + 112)};
static const struct cmrx_vtable_desc alpha_vtables[1] = {{fx_alpha_vtable, 1, "alpha_vt"}};
static const uint16_t beta_irqs[1] = {FX_BETA_IRQ};
/* Alpha's .data (and .shared) initial value: 0xAA, zeros, and at
 * FX_ALPHA_SERVICE an object of alpha's interface. */
static const struct {
    uint8_t first;
    uint8_t zeros[15];
    const void *vtable;
    uint8_t rest[64 - 16 - sizeof(void *)];
} alpha_init_value = {0xAA, {0}, fx_alpha_vtable, {0}};
#define alpha_init ((const uint8_t *)&alpha_init_value)
/* Beta's .data: one object of its interface, at the start of its RAM. */
static const void *const beta_init[1] = {fx_beta_vtable};

/* The linker script defines the user flash bounds; here they bracket fx_flash. */
__asm__(".globl __cmrx_user_flash_start\n\t.set __cmrx_user_flash_start, fx_flash\n\t"
        ".globl __cmrx_user_flash_end\n\t.set __cmrx_user_flash_end, fx_flash + 1024");

const struct cmrx_process cmrx_processes[2] = {
    {
        .name = "alpha",
        .data_start = fx_alpha_ram,
        .data_end = fx_alpha_ram + 64,
        .data_load = alpha_init,
        .bss_start = fx_alpha_ram + 64,
        .bss_end = fx_alpha_ram + 128,
        .shared_start = fx_alpha_shared,
        .shared_end = fx_alpha_shared + 64,
        .shared_load = alpha_init,
        .vtables = alpha_vtables,
        .state = &cmrx_process_state[0],
        .vtables_end = alpha_vtables + 1,
        .stack_base = &fx_alpha_stacks[0][0],
        .stack_size = FX_STACK,
        .first_thread = 0,
        .max_threads = 3,
        .first_timer = 0,
        .max_timers = 2,
        .priority = 10,
        .flags = CMRX_PROC_SYSTEM | CMRX_PROC_FLASH | CMRX_PROC_UPDATER,
        .rpc_stack = 512, /* its methods get 512 bytes */
    },
    {
        .name = "beta",
        .data_start = fx_beta_ram,
        .data_end = fx_beta_ram + sizeof(beta_init),
        .data_load = (const uint8_t *)beta_init,
        .bss_start = fx_beta_ram + sizeof(beta_init),
        .bss_end = fx_beta_ram + 64,
        .shared_start = NULL,
        .shared_end = NULL,
        .shared_load = NULL,
        .vtables = beta_vtables,
        .state = &cmrx_process_state[1],
        .vtables_end = beta_vtables + 1,
        .irqs = beta_irqs,
        .n_irqs = 1,
        .stack_base = &fx_beta_stacks[0][0],
        .stack_size = FX_STACK,
        .first_thread = 3,
        .max_threads = 2,
        .priority = 12,
        .max_priority = 2, /* no thread of beta above priority 2 */
    },
};
const uint8_t cmrx_process_count = 2;
/* As the SDK generates it: beta (index 1) owns FX_BETA_IRQ. */
const uint8_t cmrx_irq_owner[FX_BETA_IRQ + 1] = {[FX_BETA_IRQ] = 2};
const uint16_t cmrx_irq_lines = FX_BETA_IRQ + 1;
struct cmrx_process_state cmrx_process_state[2];
struct cmrx_thread cmrx_threads[6];
struct cmrx_timer cmrx_timers[2];
const uint8_t cmrx_thread_count = 6;
uint8_t cmrx_idle_stack[128];
const uint32_t cmrx_idle_stack_size = 128;
const struct cmrx_process cmrx_idle_process = {
    .name = "idle",
    .stack_base = cmrx_idle_stack,
    .stack_size = 128,
    .first_thread = 5,
    .max_threads = 1,
    .priority = 31,
};

char fx_console[4096];
size_t fx_console_len;
int fx_shutdown_code = -1000;
jmp_buf fx_shutdown_jmp;
int fx_shutdown_armed;

void bsp_init(void)
{
}

/* The host's flash is memory that behaves as NOR flash: an erase sets a
 * 256-byte unit to 0xFF, programming clears bits. Tests may replace it. */
_Alignas(256) uint8_t fx_log_flash[2u * FX_FLASH_UNIT];
const struct cmrx_commit_log cmrx_commit_log = {(uintptr_t)fx_log_flash, FX_FLASH_UNIT};

__attribute__((weak)) int32_t bsp_flash_erase(uintptr_t addr)
{
    memset((void *)(addr & ~(uintptr_t)(FX_FLASH_UNIT - 1u)), 0xFF, FX_FLASH_UNIT);
    return CMRX_OK;
}

__attribute__((weak)) int32_t bsp_flash_program(uintptr_t addr, const void *src, size_t len)
{
    uint8_t *d = (uint8_t *)addr;
    const uint8_t *s = src;
    for (size_t i = 0; i < len; i++) {
        d[i] &= s[i];
    }
    return CMRX_OK;
}

const struct cmrx_updater *const cmrx_updater = &cmrx_update_impl;
const char cmrx_firmware_board[] = "host";
const char cmrx_firmware_cpu[] = "host";

size_t fx_console_room = SIZE_MAX;
unsigned fx_console_calls;

size_t bsp_console_put(const char *buf, size_t len)
{
    fx_console_calls++;
    size_t n = len < fx_console_room ? len : fx_console_room;
    for (size_t i = 0; i < n && fx_console_len + 1 < sizeof(fx_console); i++) {
        fx_console[fx_console_len++] = buf[i];
    }
    fx_console[fx_console_len] = '\0';
    return n;
}

void bsp_shutdown(int code)
{
    fx_shutdown_code = code;
    if (fx_shutdown_armed) {
        longjmp(fx_shutdown_jmp, 1);
    }
    abort();
}

void bsp_reset(void)
{
    bsp_shutdown(FX_REBOOT);
}

/* Userspace entry points the kernel refers to; never run on the host. */
void cmrx_thread_exit(int code)
{
    (void)code;
    abort();
}

int cmrx_idle_thread(void *arg)
{
    (void)arg;
    return 0;
}

void cmrx_rpc_return_trampoline(void)
{
    abort();
}

void cmrx_signal_return_trampoline(void)
{
    abort();
}

void fx_exit(struct cmrx_thread *t, int code)
{
    t->ctx.args[0] = (uint32_t)code;
    ctx_thread_exit(t);
}

const char *fx_log(void)
{
    console_flush();
    return fx_console;
}

void fx_reset(void)
{
    fx_console_room = SIZE_MAX;
    console_flush(); /* nothing of an earlier test left queued */
    memset(cmrx_threads, 0, sizeof(cmrx_threads));
    memset(cmrx_timers, 0, sizeof(cmrx_timers));
    memset(cmrx_process_state, 0, sizeof(cmrx_process_state));
    sched_init();
    time_init(0);
    timer_init();
    process_init();
    wait_init();
    rpc_init();
    irq_init();
#if CMRX_TRACE_EVENTS
    trace_init();
#endif
    host_port_reset();
    fx_console_len = 0;
    fx_console[0] = '\0';
    fx_shutdown_code = -1000;
    fx_shutdown_armed = 0;
}

struct cmrx_thread *fx_idle(void)
{
    return &cmrx_threads[5];
}

void fx_boot(void)
{
    fx_reset();
    processes_start();
    struct cmrx_thread *idle = fx_idle();
    idle->process = &cmrx_idle_process;
    idle->priority = CMRX_IDLE_PRIORITY;
    idle->gen = 1;
    port_thread_init(idle, &cmrx_idle_process, cmrx_idle_thread, NULL, cmrx_idle_stack, 128);
    sched_ready_add(idle);
    cmrx_sched.current = idle;
    cmrx_sched.next = idle;
}

cmrx_thread_entry_t fx_entry(void)
{
    /* Any address inside fx_flash is "code" for access_code_ok(). */
    return (cmrx_thread_entry_t)(uintptr_t)(fx_flash + 16);
}

struct cmrx_thread *fx_spawn(int proc, unsigned prio)
{
    int err = 0;
    struct cmrx_thread *t = thread_spawn(&cmrx_processes[proc], fx_entry(), NULL, prio, &err);
    assert_non_null(t);
    return t;
}

void fx_run(struct cmrx_thread *t)
{
    cmrx_sched.current = t;
    cmrx_sched.next = t;
}

struct cmrx_thread *fx_switch(void)
{
    host_port_switch();
    return cmrx_sched.current;
}
