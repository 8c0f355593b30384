/* queue-server test: what the consumer and the producers agree on. */
#ifndef QS_TEST_H
#define QS_TEST_H

#include <stdint.h>

#define Q_CONTEND    0u /* the queue the producers fight over */
#define Q_TAKEOVER   5u /* made by qs_prod_c, taken over by qs_main */
#define Q_DOOMED     6u /* qs_doomed waits to send to it when qs_main kills it */
#define Q_LATE       6u /* made again after: qs_late is killed after a slot was promised to it */
#define Q_GRANTED    4u /* destroyed after a slot was promised to a waiting sender */
#define Q_REUSED     7u /* made where Q_GRANTED was */
#define Q_RESTART    1u /* queue_restart: qs_rvictim's, qs_thief tries to take it over */
#define RESTART_MSG  16u
/* Kept for one process by the server's `owners` setting (tests.cmake). */
#define Q_KEPT_DOOMED 2u /* qs_doomed's: not taken over when it is killed */
#define Q_KEPT_MAIN   3u /* qs_main's: no producer creates it first */
/* The end: qs_hog takes what it can of the pool on Q_HOG_FIRST ..
 * QUEUE_MAX - 1 and reports on Q_HOG_DONE (qs_main's). Queue Q_PART was
 * made by qs_prod_c in its own part of the pool. */
#define Q_HOG_DONE   0u
#define Q_HOG_FIRST  4u
#define Q_PART       1u
#define Q_DEPTH      4u
#define PRODUCERS    4u   /* qs_prod_a's two threads, qs_prod_b, qs_prod_c */
#define PER_PRODUCER 150u /* messages each producer sends */

struct qs_msg {
    uint32_t producer; /* 0 .. PRODUCERS - 1 */
    uint32_t seq;      /* 0 .. PER_PRODUCER - 1, in order */
    uint32_t check;    /* producer * 1000003 + seq: a torn copy shows */
};

#endif
