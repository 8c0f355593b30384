/* Checks for QEMU test firmware. A failed check prints "CHECK FAILED" (which
 * the runner rejects) and ends the test: shutdown with code 1 from a SYSTEM
 * process, else the thread exits. */
#ifndef CMRX_TEST_CHECK_H
#define CMRX_TEST_CHECK_H

#include <cmrx/cmrx.h>

#define CHECK_FAIL_(...)                                                                           \
    do {                                                                                           \
        cmrx_printf("CHECK FAILED %s:%d: ", __FILE__, __LINE__);                                   \
        cmrx_printf(__VA_ARGS__);                                                                  \
        cmrx_printf("\n");                                                                         \
        cmrx_shutdown(1);                                                                          \
        cmrx_thread_exit(1);                                                                       \
    } while (0)

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            CHECK_FAIL_("%s", #cond);                                                              \
        }                                                                                          \
    } while (0)

#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        long a_ = (long)(a), b_ = (long)(b);                                                       \
        if (a_ != b_) {                                                                            \
            CHECK_FAIL_("%s == %s (%ld != %ld)", #a, #b, a_, b_);                                  \
        }                                                                                          \
    } while (0)

/** Run @p fn in a new thread of priority 5 and check the kernel killed it. */
#define CHECK_KILLED(fn)                                                                           \
    do {                                                                                           \
        int code_ = 0;                                                                             \
        cmrx_tid_t t_ = cmrx_thread_create((fn), NULL, 5);                                         \
        CHECK(t_ >= 0);                                                                            \
        CHECK_EQ(cmrx_thread_join(t_, &code_), CMRX_OK);                                           \
        CHECK_EQ(code_, CMRX_EKILLED);                                                             \
    } while (0)

/** End the test successfully (from a SYSTEM process). */
#define PASS()                                                                                     \
    do {                                                                                           \
        cmrx_printf("PASS\n");                                                                     \
        cmrx_shutdown(0);                                                                          \
    } while (0)

#endif
