/* Which process owns a piece of memory: the RPC path asks it of every
 * object it is handed, notify of every word it is handed, live update of
 * every object a new image names. Memory never changes hands while the
 * firmware runs, so the processes' areas are ordered once, at boot, and
 * then bisected.
 */
#include "kernel.h"

/* Start and end of process i's RAM (.data to .bss) or .shared memory. */
static uintptr_t area_start(unsigned i, bool shared)
{
    const struct cmrx_process *p = &cmrx_processes[i];
    return (uintptr_t)(shared ? p->shared_start : p->data_start);
}

static uintptr_t area_end(unsigned i, bool shared)
{
    const struct cmrx_process *p = &cmrx_processes[i];
    return (uintptr_t)(shared ? p->shared_end : p->bss_end);
}

void process_order_init(void)
{
    /* Insertion sort, once at boot: a handful of processes. */
    for (unsigned s = 0; s < 2u; s++) {
        for (unsigned k = 0; k < cmrx_process_count; k++) {
            uintptr_t from = area_start(k, s != 0);
            unsigned j = k;
            for (; j > 0 && cmrx_process_state[j - 1u].from[s] > from; j--) {
                cmrx_process_state[j].from[s] = cmrx_process_state[j - 1u].from[s];
                cmrx_process_state[j].by[s] = cmrx_process_state[j - 1u].by[s];
            }
            cmrx_process_state[j].from[s] = from;
            cmrx_process_state[j].by[s] = (uint8_t)k;
        }
    }
}

/* The process whose RAM (or .shared memory) holds [a, a + len). The areas
 * never overlap, so only the last one starting at or below a can: halve
 * the candidates, keeping the upper half when it starts at or below a
 * (a step is a load, a compare and two updates, with no exit test). */
static const struct cmrx_process *area_of(uintptr_t a, size_t len, unsigned s)
{
    const struct cmrx_process_state *k = cmrx_process_state;
    unsigned n = cmrx_process_count;
    if (n == 0) {
        return NULL;
    }
    while (n > 1u) {
        unsigned half = n / 2u;
        if (k[half].from[s] <= a) {
            k += half;
        }
        n -= half;
    }
    unsigned i = k->by[s];
    return a >= k->from[s] && a + len <= area_end(i, s != 0) ? &cmrx_processes[i] : NULL;
}

const struct cmrx_process *process_of(const void *addr, size_t len, bool shared)
{
    uintptr_t a = (uintptr_t)addr;
    if (a + len < a) {
        return NULL;
    }
    const struct cmrx_process *p = area_of(a, len, 0);
    return p == NULL && shared ? area_of(a, len, 1) : p;
}
