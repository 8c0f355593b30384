/* queue-server test, a producer process: each of its threads sends
 * PER_PRODUCER numbered messages to Q_CONTEND as fast as it can, waiting
 * for room as long as it takes. PRODUCER_FIRST is the number of its first
 * thread; PRODUCER_CHECKS makes it also try the consumer-only calls,
 * PRODUCER_CONSUMES makes it create Q_PART and Q_TAKEOVER when it is done. */
#include "check.h"
#include "qs_test.h"
#include "queue_server.h"

#ifndef PRODUCER_THREADS
#define PRODUCER_THREADS 1u
#endif

static CMRX_SHARED struct qs_msg out[PRODUCER_THREADS];

static int producer(void *arg)
{
    uint32_t me = (uint32_t)(uintptr_t)arg;
    struct qs_msg *m = &out[me - PRODUCER_FIRST];
    m->producer = me;
    for (uint32_t seq = 0; seq < PER_PRODUCER; seq++) {
        m->seq = seq;
        m->check = me * 1000003u + seq;
        int rc;
        while ((rc = queue_send(Q_CONTEND, m, sizeof(*m), CMRX_FOREVER)) == QUEUE_ENOENT) {
            cmrx_usleep(500); /* not created yet */
        }
        CHECK_EQ(rc, CMRX_OK);
#ifdef PRODUCER_CHECKS
        if (seq == 0) {
            CHECK_EQ(queue_receive(Q_CONTEND, m, sizeof(*m), 0), CMRX_EPERM);
            CHECK_EQ(queue_destroy(Q_CONTEND), CMRX_EPERM);
            CHECK_EQ(queue_create(Q_CONTEND, Q_DEPTH, sizeof(*m)), QUEUE_EEXIST);
            /* Free at this time, but kept for qs_main. */
            CHECK_EQ(queue_create(Q_KEPT_MAIN, 1, 4), CMRX_EPERM);
            cmrx_printf("producer %u: consumer-only calls refused\n", (unsigned)me);
        }
#endif
    }
    cmrx_printf("producer %u: sent %u\n", (unsigned)me, PER_PRODUCER);
#ifdef PRODUCER_CONSUMES
    /* A queue that fills its part of the pool, which no other process
     * takes over when it is killed. */
    CHECK_EQ(queue_create(Q_PART, 1, QS_PROD_C_PART - 4u), CMRX_OK);
    /* The consumer of a queue of its own (in the rest of the pool), with
     * a message in it, when qs_main kills it and takes the queue over. */
    CHECK_EQ(queue_create(Q_TAKEOVER, 2, 4), CMRX_OK);
    m->seq = 77;
    CHECK_EQ(queue_send(Q_TAKEOVER, &m->seq, 4, 0), CMRX_OK);
#endif
    return 0;
}

static int start(void *arg)
{
    (void)arg;
    int prio = cmrx_thread_get_priority(cmrx_thread_self());
    for (uint32_t t = 1; t < PRODUCER_THREADS; t++) {
        CHECK(cmrx_thread_create(producer, (void *)(uintptr_t)(PRODUCER_FIRST + t),
                                 (unsigned)prio) >= 0);
    }
    return producer((void *)(uintptr_t)PRODUCER_FIRST);
}

CMRX_THREAD(start, NULL);
