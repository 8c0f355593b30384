/* Process start: memory initialisation and autostart threads. */
#include "kernel.h"

#include <string.h>

int process_index(const struct cmrx_process *p)
{
    return (int)(p - cmrx_processes);
}

void process_start(const struct cmrx_process *p)
{
    memcpy(p->data_start, p->data_load, (size_t)(p->data_end - p->data_start));
    memset(p->bss_start, 0, (size_t)(p->bss_end - p->bss_start));
    memcpy(p->shared_start, p->shared_load, (size_t)(p->shared_end - p->shared_start));

    for (const struct cmrx_autostart *a = p->autostart; a < p->autostart_end; a++) {
        unsigned prio = a->priority == CMRX_PRIO_PROCESS_DEFAULT ? p->priority : a->priority;
        int err = CMRX_OK;
        if (thread_spawn(p, a->entry, a->arg, prio, &err) == NULL) {
            kprintf("[cmrx] process %s: autostart thread %u not started (error %d)\n", p->name,
                    (unsigned)(a - p->autostart), err);
        }
    }
}
