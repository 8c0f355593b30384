/* Every invalid argument gets its documented error code and the kernel
 * stays up. */
#include "check.h"

#include <cmrx/sys/syscalls.h>
#include <stdint.h>
#include <string.h>

/* Kernel RAM, from the linker script (processes cannot link kernel symbols). */
extern uint8_t __cmrx_kbss_start[];
extern volatile uint32_t bad_peer_word; /* another process's memory */

static int quick(void *arg)
{
    (void)arg;
    return 0;
}

static volatile int release;

static int waiter(void *arg)
{
    (void)arg;
    while (!release) {
        cmrx_usleep(500);
    }
    return 3;
}

static int joiner(void *arg)
{
    return cmrx_thread_join((cmrx_tid_t)(intptr_t)arg, NULL);
}

static int raw_syscall(unsigned n)
{
    register int r0 __asm("r0") = 0;
    switch (n) {
    case 200:
        __asm volatile("svc 200" : "+r"(r0)::"memory");
        break;
    case 255:
        __asm volatile("svc 255" : "+r"(r0)::"memory");
        break;
    }
    return r0;
}

static int main_thread(void *arg)
{
    (void)arg;
    cmrx_tid_t self = cmrx_thread_self();
    int code = 0;

    /* Thread ids. */
    CHECK_EQ(cmrx_thread_join(-1, NULL), CMRX_ESRCH);
    CHECK_EQ(cmrx_thread_join(0x7FFFFFFF, NULL), CMRX_ESRCH);
    CHECK_EQ(cmrx_thread_join(self + 0x100, NULL), CMRX_ESRCH); /* stale generation */
    CHECK_EQ(cmrx_thread_set_priority(250, 5), CMRX_ESRCH);
    CHECK_EQ(cmrx_thread_get_priority(-7), CMRX_ESRCH);
    /* Threads of another process are invisible: bad_peer owns slot 3. */
    CHECK_EQ(cmrx_thread_join(3 | (1 << 8), NULL), CMRX_ESRCH);
    CHECK_EQ(cmrx_thread_set_priority(3 | (1 << 8), 1), CMRX_ESRCH);

    /* Priorities. */
    CHECK_EQ(cmrx_thread_create(quick, NULL, 31), CMRX_EINVAL);
    CHECK_EQ(cmrx_thread_create(quick, NULL, 1000), CMRX_EINVAL);
    CHECK_EQ(cmrx_thread_set_priority(self, 31), CMRX_EINVAL);
    CHECK_EQ(cmrx_thread_create(NULL, NULL, 5), CMRX_EINVAL);

    /* Joins that would wait forever or race. */
    CHECK_EQ(cmrx_thread_join(self, NULL), CMRX_EDEADLK);
    cmrx_tid_t w = cmrx_thread_create(waiter, NULL, 12);
    cmrx_tid_t j = cmrx_thread_create(joiner, (void *)(intptr_t)w, 11);
    cmrx_usleep(2000); /* j is now blocked joining w */
    CHECK_EQ(cmrx_thread_join(w, NULL), CMRX_EBUSY);

    /* Too many threads: 3 slots, all taken. */
    CHECK_EQ(cmrx_thread_create(quick, NULL, 5), CMRX_EAGAIN);

    /* Pointers the caller may not use. */
    CHECK_EQ(cmrx_thread_join(j, (int *)(void *)__cmrx_kbss_start), CMRX_EFAULT);
    CHECK_EQ(cmrx_thread_join(j, (int *)(uintptr_t)&bad_peer_word), CMRX_EFAULT);
    CHECK_EQ(cmrx_thread_join(j, (int *)(uintptr_t)0x4), CMRX_EFAULT);
    CHECK_EQ(cmrx_console_write((const char *)__cmrx_kbss_start, 8), CMRX_EFAULT);
    CHECK_EQ(cmrx_console_write((const char *)(uintptr_t)&bad_peer_word, 4), CMRX_EFAULT);
    CHECK_EQ(cmrx_console_write((const char *)(uintptr_t)0xFFFFFFF0u, 0x20), CMRX_EFAULT);
    CHECK_EQ(cmrx_console_write("ok\n", 3), 3);

    /* Process names: copied into the caller's own memory only, cut to
     * the buffer, for processes that exist. */
    char name[CMRX_PROCESS_NAME_MAX + 1u];
    unsigned me = (unsigned)cmrx_process_self();
    CHECK_EQ(cmrx_process_name(me, name, sizeof(name)), 3);
    CHECK(strcmp(name, "bad") == 0);
    CHECK_EQ(cmrx_process_name(me, name, 2), 3);
    CHECK(name[0] == 'b' && name[1] == '\0');
    CHECK_EQ(cmrx_process_name(200, name, sizeof(name)), CMRX_EINVAL);
    CHECK_EQ(cmrx_process_name(me, name, 0), CMRX_EINVAL);
    CHECK_EQ(cmrx_process_name(me, (char *)__cmrx_kbss_start, 8), CMRX_EFAULT);
    CHECK_EQ(cmrx_process_name(me, (char *)(uintptr_t)&bad_peer_word, 4), CMRX_EFAULT);
    CHECK_EQ(cmrx_process_name(me, (char *)(uintptr_t)0xFFFFFFF0u, 0x20), CMRX_EFAULT);
    CHECK_EQ(cmrx_process_name(me, (char *)(uintptr_t) "read-only", 10), CMRX_EFAULT);
    int found = cmrx_process_find("bad_peer");
    CHECK(found >= 0 && (unsigned)found != me && cmrx_process_is((unsigned)found, "bad_peer"));
    unsigned peer = (unsigned)found;
    CHECK_EQ(cmrx_process_find("bad"), (int)me);
    CHECK_EQ(cmrx_process_find("bad_pee"), CMRX_ESRCH);
    CHECK_EQ(cmrx_process_find(""), CMRX_ESRCH);
    CHECK(!cmrx_process_is(me, "ba") && !cmrx_process_is(me, "bad_") && !cmrx_process_is(200, ""));
    /* Numbers kept for a process (a service's `owners` setting). */
    CHECK_EQ(cmrx_owner_check("80:bad,81:bad_peer", 80, me), CMRX_OK);
    CHECK_EQ(cmrx_owner_check("80:bad,81:bad_peer", 81, me), CMRX_EPERM);
    CHECK_EQ(cmrx_owner_check("80:bad,81:bad_peer", 81, peer), CMRX_OK);
    CHECK_EQ(cmrx_owner_check("80:bad,81:bad_peer", 8, peer), CMRX_OK);
    CHECK_EQ(cmrx_owner_check("8:bad", 80, peer), CMRX_OK);
    CHECK_EQ(cmrx_owner_check("", 80, peer), CMRX_OK);
    CHECK_EQ(cmrx_owner_check("80:absent", 80, me), CMRX_EPERM);
    CHECK_EQ(cmrx_owner_check("80", 80, me), CMRX_EPERM);

    /* Unknown system calls. */
    CHECK_EQ(raw_syscall(200), CMRX_ENOSYS);
#if !defined(CMRX_TEST_THREADS_PRIVILEGED)
    CHECK_EQ(raw_syscall(255), CMRX_ENOSYS); /* the kernel's start call, from a thread */
#endif

    /* Everything still works. */
    release = 1;
    CHECK_EQ(cmrx_thread_join(j, &code), CMRX_OK);
    CHECK_EQ(code, CMRX_OK);
    CHECK_EQ(cmrx_thread_join(w, NULL), CMRX_ESRCH); /* j reaped it */
    cmrx_tid_t q = cmrx_thread_create(quick, NULL, 5);
    CHECK_EQ(cmrx_thread_join(q, &code), CMRX_OK);
    /* Unaligned: the kernel stores a word there (a fault in the kernel on
     * ARMv6-M, which has no unaligned accesses). */
    static volatile uint32_t slot[2];
    cmrx_tid_t z = cmrx_thread_create(quick, NULL, 5); /* exits at once */
    CHECK_EQ(cmrx_thread_join(z, (int *)((uintptr_t)slot + 1u)), CMRX_EFAULT);
    CHECK_EQ(cmrx_thread_join(z, NULL), CMRX_OK);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
