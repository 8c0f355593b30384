/* RAM is never executable: jumping into data or onto the stack faults. */
#include "check.h"

#include <stdint.h>
#include <string.h>

static uint16_t code_in_data[4] = {0x2007, 0x4770}; /* movs r0, #7; bx lr */

static int run_data(void *arg)
{
    (void)arg;
    int (*fn)(void) = (int (*)(void))((uintptr_t)code_in_data | 1u);
    return fn(); /* must fault */
}

static int run_stack(void *arg)
{
    (void)arg;
    uint16_t on_stack[4];
    memcpy(on_stack, code_in_data, sizeof(on_stack));
    int (*fn)(void) = (int (*)(void))((uintptr_t)on_stack | 1u);
    return fn(); /* must fault */
}

static int main_thread(void *arg)
{
    (void)arg;
    CHECK_KILLED(run_data);
    CHECK_KILLED(run_stack);
    /* Creating a thread whose entry is in RAM is refused outright. */
    CHECK_EQ(cmrx_thread_create((cmrx_thread_entry_t)((uintptr_t)code_in_data | 1u), NULL, 5),
             CMRX_EINVAL);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
