/* A thread that overflows its stack is killed before it writes a byte
 * outside it: the neighbouring stack below keeps its contents. */
#include "check.h"

#include <stdint.h>

#define CANARY 0xC0FFEE00u

static volatile int neighbour_ready;
static volatile int victim_done;

/* Recursing without end is the point: the thread runs off its own stack. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winfinite-recursion"
static unsigned recurse(unsigned depth)
{
    volatile uint32_t frame[16];
    frame[0] = depth;
    frame[15] = depth;
    return recurse(depth + 1) + frame[0] + frame[15];
}
#pragma GCC diagnostic pop

static int victim(void *arg)
{
    (void)arg;
    return (int)recurse(0);
}

/* Fills most of its stack with a pattern, waits for the victim to die,
 * then checks the pattern. Its stack sits just below the victim's. */
static int neighbour(void *arg)
{
    (void)arg;
    volatile uint32_t fill[160];
    for (unsigned i = 0; i < 160; i++) {
        fill[i] = CANARY + i;
    }
    neighbour_ready = 1;
    while (!victim_done) {
        cmrx_usleep(1000);
    }
    for (unsigned i = 0; i < 160; i++) {
        if (fill[i] != CANARY + i) {
            return 100 + (int)i;
        }
    }
    return 0;
}

static int main_thread(void *arg)
{
    (void)arg;
    volatile uint32_t mine[64];
    for (unsigned i = 0; i < 64; i++) {
        mine[i] = CANARY ^ i;
    }
    /* Slots fill in order: main 0, neighbour 1, victim 2. */
    cmrx_tid_t n = cmrx_thread_create(neighbour, NULL, 8);
    while (!neighbour_ready) {
        cmrx_usleep(1000);
    }
    int code = 0;
    cmrx_tid_t v = cmrx_thread_create(victim, NULL, 5);
    CHECK_EQ(cmrx_thread_join(v, &code), CMRX_OK);
    CHECK_EQ(code, CMRX_EKILLED);
    victim_done = 1;
    CHECK_EQ(cmrx_thread_join(n, &code), CMRX_OK);
    CHECK_EQ(code, 0);
    for (unsigned i = 0; i < 64; i++) {
        CHECK_EQ(mine[i], CANARY ^ i);
    }
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
