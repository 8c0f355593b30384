/* queue-server test, the consumer: timeouts, the documented errors for bad
 * calls, destroy waking a waiting sender, then PRODUCERS producers at
 * three priorities fighting over a queue of Q_DEPTH messages: every
 * message arrives, once, in order per producer, and admission is fair
 * (no producer gets more than Q_DEPTH + 1 messages ahead of another).
 * Then it takes over the queue of a consumer it killed, but not one the
 * server keeps for a process (its `owners` setting) or one in a process's
 * part of the pool (`reserve`). Last, its part of the pool stays its own
 * when qs_hog takes the rest. */
#include <string.h>

#include "check.h"
#include "qs_test.h"
#include "queue_server.h"

#define PID_PROD_C 3
#define PID_DOOMED 5
#define PID_LATE   6

static CMRX_SHARED char buf[16];
static CMRX_SHARED char helper_buf[8];
static CMRX_SHARED struct qs_msg msg;
static char private_buf[8];

static uint32_t elapsed_since(uint32_t t0)
{
    return cmrx_time_us() - t0;
}

static void timeouts(void)
{
    CHECK_EQ(queue_create(1, 2, 8), CMRX_OK);
    CHECK_EQ(queue_create(1, 2, 8), CMRX_OK); /* again, by its consumer: kept */
    CHECK_EQ(queue_create(1, 3, 8), QUEUE_EEXIST);
    CHECK_EQ(queue_pending(1), 0);
    uint32_t t0 = cmrx_time_us();
    CHECK_EQ(queue_receive(1, buf, 8, 3000), CMRX_ETIMEDOUT);
    CHECK(elapsed_since(t0) >= 3000u);
    CHECK_EQ(queue_receive(1, buf, 8, 0), CMRX_ETIMEDOUT);
    memcpy(buf, "one", 3);
    CHECK_EQ(queue_send(1, buf, 3, 0), CMRX_OK);
    memcpy(buf, "two!", 4);
    CHECK_EQ(queue_send(1, buf, 4, CMRX_FOREVER), CMRX_OK);
    t0 = cmrx_time_us();
    CHECK_EQ(queue_send(1, buf, 4, 3000), CMRX_ETIMEDOUT); /* full */
    CHECK(elapsed_since(t0) >= 3000u);
    CHECK_EQ(queue_send(1, buf, 4, 0), CMRX_ETIMEDOUT);
    CHECK_EQ(queue_pending(1), 2);
    CHECK_EQ(queue_receive(1, buf, 2, 0), QUEUE_EMSGSIZE); /* stays queued */
    CHECK_EQ(queue_pending(1), 2);
    memset(buf, 0, sizeof(buf));
    CHECK_EQ(queue_receive(1, buf, sizeof(buf), 0), 3);
    CHECK(memcmp(buf, "one", 4) == 0);
}

static void bad_calls(void)
{
    char on_stack[8] = "stack";
    CHECK_EQ(queue_send(7, buf, 4, 0), QUEUE_ENOENT); /* never created */
    CHECK_EQ(queue_send(QUEUE_MAX, buf, 4, 0), QUEUE_ENOENT);
    CHECK_EQ(queue_send(0xFFFFFFFFu, buf, 4, CMRX_FOREVER), QUEUE_ENOENT);
    CHECK_EQ(queue_receive(7, buf, 8, 0), QUEUE_ENOENT);
    CHECK_EQ(queue_receive(QUEUE_MAX + 3u, buf, 8, 0), QUEUE_ENOENT);
    CHECK_EQ(queue_pending(7), QUEUE_ENOENT);
    CHECK_EQ(queue_destroy(7), QUEUE_ENOENT);
    CHECK_EQ(queue_send(1, buf, 9, 0), QUEUE_EMSGSIZE); /* its messages are 8 bytes */
    CHECK_EQ(queue_send(1, private_buf, 4, 0), CMRX_EFAULT);
    CHECK_EQ(queue_send(1, on_stack, 4, 0), CMRX_EFAULT);
    CHECK_EQ(queue_send(1, (const void *)&queue_service, 4, 0), CMRX_EFAULT); /* its own memory */
    CHECK_EQ(queue_receive(1, private_buf, 8, 0), CMRX_EFAULT);
    CHECK_EQ(queue_receive(1, buf, 0x100000, 0), CMRX_EFAULT); /* past its shared memory */
    CHECK_EQ(queue_create(QUEUE_MAX, 1, 1), CMRX_EINVAL);
    CHECK_EQ(queue_create(Q_REUSED, 0, 8), CMRX_EINVAL);
    CHECK_EQ(queue_create(Q_REUSED, 1, 0), CMRX_EINVAL);
    CHECK_EQ(queue_create(Q_REUSED, 1, QUEUE_MSG_MAX + 1u), CMRX_EINVAL);
    CHECK_EQ(queue_create(Q_REUSED, 1000, QUEUE_MSG_MAX), QUEUE_ENOMEM);
    /* The pool: this process's part (QS_MAIN_PART bytes; queue 1 takes
     * 2 x 12 of it), qs_prod_c's, and the rest, where qs_doomed's queue
     * is (1 x 8). A queue goes into its process's part if it fits there. */
    uint32_t rest = (QUEUE_POOL - QS_MAIN_PART - QS_PROD_C_PART - 8u) / (4u + QUEUE_MSG_MAX);
    CHECK_EQ(queue_create(Q_REUSED, rest + 1u, QUEUE_MSG_MAX), QUEUE_ENOMEM); /* fits neither */
    CHECK_EQ(queue_create(Q_REUSED, rest, QUEUE_MSG_MAX), CMRX_OK);           /* the rest */
    CHECK_EQ(queue_create(Q_KEPT_MAIN, 1, QUEUE_MSG_MAX), CMRX_OK);           /* its part */
    CHECK_EQ(queue_create(Q_GRANTED, 1, QUEUE_MSG_MAX), QUEUE_ENOMEM);        /* full, both */
    CHECK_EQ(queue_destroy(Q_REUSED), CMRX_OK);
    CHECK_EQ(queue_destroy(Q_KEPT_MAIN), CMRX_OK);
    /* Queue 1 was left alone by all of it. */
    CHECK_EQ(queue_pending(1), 1);
    memset(buf, 0, sizeof(buf));
    CHECK_EQ(queue_receive(1, buf, sizeof(buf), 0), 4);
    CHECK(memcmp(buf, "two!", 5) == 0);
    CHECK_EQ(queue_destroy(1), CMRX_OK);
    CHECK_EQ(queue_pending(1), QUEUE_ENOENT);
    CHECK_EQ(queue_send(1, buf, 1, 0), QUEUE_ENOENT);
    cmrx_printf("qs_main: bad calls refused\n");
}

static int blocked_sender(void *arg)
{
    (void)arg;
    return queue_send(1, helper_buf, 1, CMRX_FOREVER);
}

/* A sender waiting on a full queue learns that it was destroyed. */
static void destroy_wakes(void)
{
    CHECK_EQ(queue_create(1, 1, 8), CMRX_OK);
    CHECK_EQ(queue_send(1, buf, 1, 0), CMRX_OK);
    cmrx_tid_t t = cmrx_thread_create(blocked_sender, NULL, 5);
    CHECK(t >= 0);
    cmrx_usleep(2000);
    CHECK_EQ(queue_destroy(1), CMRX_OK);
    int code = 0;
    CHECK_EQ(cmrx_thread_join(t, &code), CMRX_OK);
    CHECK_EQ(code, QUEUE_ENOENT);
}

static void contention(void)
{
    uint32_t next[PRODUCERS] = {0};
    uint32_t worst = 0;
    CHECK_EQ(queue_create(Q_CONTEND, Q_DEPTH, sizeof(struct qs_msg)), CMRX_OK);
    cmrx_usleep(10000); /* the queue fills; every producer ends up waiting */
    CHECK_EQ(queue_pending(Q_CONTEND), (int)Q_DEPTH);
    for (uint32_t n = 0; n < PRODUCERS * PER_PRODUCER; n++) {
        CHECK_EQ(queue_receive(Q_CONTEND, &msg, sizeof(msg), 2000000), (int)sizeof(msg));
        CHECK(msg.producer < PRODUCERS);
        CHECK_EQ(msg.seq, next[msg.producer]);
        CHECK_EQ(msg.check, msg.producer * 1000003u + msg.seq);
        next[msg.producer]++;
        uint32_t lo = PER_PRODUCER, hi = 0;
        for (unsigned p = 0; p < PRODUCERS; p++) {
            lo = next[p] < lo ? next[p] : lo;
            hi = next[p] > hi ? next[p] : hi;
        }
        if (hi < PER_PRODUCER && hi - lo > worst) {
            worst = hi - lo; /* while all are still sending */
        }
    }
    for (unsigned p = 0; p < PRODUCERS; p++) {
        CHECK_EQ(next[p], PER_PRODUCER);
    }
    CHECK(worst <= Q_DEPTH + 1u);
    CHECK_EQ(queue_receive(Q_CONTEND, &msg, sizeof(msg), 2000), CMRX_ETIMEDOUT);
    CHECK_EQ(queue_pending(Q_CONTEND), 0);
    cmrx_printf("qs_main: %u messages from %u producers, none lost, spread at most %u\n",
                PRODUCERS * PER_PRODUCER, PRODUCERS, (unsigned)worst);
}

/* The queue of a killed consumer goes to whoever creates it again, with
 * its messages. */
static void takeover(void)
{
    cmrx_usleep(2000); /* qs_prod_c has made Q_TAKEOVER */
    CHECK_EQ(queue_pending(Q_TAKEOVER), 1);
    CHECK_EQ(queue_create(Q_TAKEOVER, 2, 4), QUEUE_EEXIST); /* its consumer lives */
    CHECK_EQ(queue_receive(Q_TAKEOVER, buf, 4, 0), CMRX_EPERM);
    CHECK_EQ(cmrx_process_control(PID_PROD_C, CMRX_PROC_KILL), CMRX_OK);
    CHECK_EQ(queue_create(Q_TAKEOVER, 3, 4), QUEUE_EEXIST); /* other sizes */
    CHECK_EQ(queue_create(Q_TAKEOVER, 2, 4), CMRX_OK);
    uint32_t v = 0;
    CHECK_EQ(queue_receive(Q_TAKEOVER, buf, 4, 0), 4);
    memcpy(&v, buf, 4);
    CHECK_EQ(v, 77);
    /* Its queue in its own part of the pool stays there, its own. */
    CHECK_EQ(queue_create(Q_PART, 1, QS_PROD_C_PART - 4u), CMRX_EPERM);
    CHECK_EQ(queue_receive(Q_PART, buf, 4, 0), CMRX_EPERM);
    CHECK_EQ(queue_pending(Q_PART), 0);
    cmrx_printf("qs_main: took over the queue of a killed consumer\n");
}

/* A sender killed while it waits for room (qs_doomed): the server's lock
 * and the queue's slot come back, its unsent message never arrives. */
static void killed_sender(void)
{
    CHECK_EQ(queue_create(Q_DOOMED, 1, 4), CMRX_OK);
    cmrx_usleep(5000); /* qs_doomed sent "d1" and waits to send "d2" */
    CHECK_EQ(queue_pending(Q_DOOMED), 1);
    CHECK_EQ(cmrx_process_control(PID_DOOMED, CMRX_PROC_KILL), CMRX_OK);
    cmrx_usleep(20000); /* past the grace a killed thread has to leave */
    CHECK_EQ(queue_pending(Q_DOOMED), 1);
    memset(buf, 0, sizeof(buf));
    CHECK_EQ(queue_receive(Q_DOOMED, buf, 4, 0), 2);
    CHECK(memcmp(buf, "d1", 3) == 0);
    CHECK_EQ(queue_receive(Q_DOOMED, buf, 4, 5000), CMRX_ETIMEDOUT); /* no "d2" */
    memcpy(buf, "x", 2);
    CHECK_EQ(queue_send(Q_DOOMED, buf, 2, 0), CMRX_OK); /* its slot is free */
    CHECK_EQ(queue_destroy(Q_DOOMED), CMRX_OK);
    cmrx_printf("qs_main: a killed sender left the server and its queue whole\n");
    /* Its own queue, kept for it, stays its own: no takeover, not even
     * by a SYSTEM process, and what is in it is not anyone's to read. */
    CHECK_EQ(queue_pending(Q_KEPT_DOOMED), 1);
    CHECK_EQ(queue_create(Q_KEPT_DOOMED, 1, 4), CMRX_EPERM);
    CHECK_EQ(queue_receive(Q_KEPT_DOOMED, buf, 4, 0), CMRX_EPERM);
    CHECK_EQ(queue_destroy(Q_KEPT_DOOMED), CMRX_EPERM);
    CHECK_EQ(queue_pending(Q_KEPT_DOOMED), 1);
    cmrx_printf("qs_main: the queue kept for a killed consumer was not taken over\n");
}

static volatile int second_done;

static int second_sender(void *arg)
{
    (void)arg;
    int rc = queue_send(Q_LATE, helper_buf, 2, CMRX_FOREVER);
    second_done = 1;
    return rc;
}

/* A sender killed while it waits, and promised the slot before it ran to
 * leave (qs_late): the slot goes to the sender after it. (Promised first
 * and killed then, it would run, take the lock and send: its message was
 * on its way before the kill.) */
static void killed_after_grant(void)
{
    CHECK_EQ(queue_create(Q_LATE, 1, 4), CMRX_OK);
    memcpy(buf, "m1", 3);
    CHECK_EQ(queue_send(Q_LATE, buf, 3, 0), CMRX_OK);
    /* Full: qs_late, restarted, comes up (a chunk per tick) and waits for
     * room, first in line. */
    CHECK_EQ(cmrx_process_control(PID_LATE, CMRX_PROC_RESTART), CMRX_OK);
    cmrx_usleep(20000);
    memcpy(helper_buf, "h", 2);
    cmrx_tid_t t = cmrx_thread_create(second_sender, NULL, 21); /* below qs_late */
    CHECK(t >= 0);
    cmrx_usleep(2000); /* second in line */
    /* Killed: its wait ends, but it runs only when this thread sleeps. */
    CHECK_EQ(cmrx_process_control(PID_LATE, CMRX_PROC_KILL), CMRX_OK);
    CHECK_EQ(queue_receive(Q_LATE, buf, 4, 0), 3); /* the slot is promised to qs_late */
    /* It left, marking its record; nobody took the lock since, and the
     * slot is still promised to it, not to the second sender. */
    cmrx_usleep(20000);
    CHECK(!second_done);
    CHECK_EQ(queue_pending(Q_LATE), 0); /* takes the lock: the promise passes on */
    int code = -1;
    CHECK_EQ(cmrx_thread_join(t, &code), CMRX_OK);
    CHECK_EQ(code, CMRX_OK);
    memset(buf, 0, sizeof(buf));
    CHECK_EQ(queue_receive(Q_LATE, buf, 4, 0), 2);
    CHECK(memcmp(buf, "h", 2) == 0);
    CHECK_EQ(queue_receive(Q_LATE, buf, 4, 2000), CMRX_ETIMEDOUT); /* no "L" */
    CHECK_EQ(queue_destroy(Q_LATE), CMRX_OK);
    cmrx_printf("qs_main: a slot promised to a killed sender went to the next one\n");
}

static int granted_sender(void *arg)
{
    (void)arg;
    return queue_send(Q_GRANTED, helper_buf, 4, CMRX_FOREVER);
}

/* A sender promised a slot, whose queue is destroyed before it runs,
 * gets QUEUE_ENOENT and writes nowhere: not into the queue made in the
 * same place of the pool since. */
static void destroyed_after_grant(void)
{
    CHECK_EQ(queue_destroy(Q_CONTEND), CMRX_OK); /* an empty pool: Q_REUSED */
    CHECK_EQ(queue_destroy(Q_TAKEOVER), CMRX_OK); /* lands where Q_GRANTED was */
    CHECK_EQ(queue_create(Q_GRANTED, 1, 4), CMRX_OK);
    memcpy(buf, "m1", 3);
    CHECK_EQ(queue_send(Q_GRANTED, buf, 3, 0), CMRX_OK);
    memcpy(helper_buf, "m2", 3);
    cmrx_tid_t t = cmrx_thread_create(granted_sender, NULL, 20); /* below this thread */
    CHECK(t >= 0);
    cmrx_usleep(2000); /* it waits for room */
    CHECK_EQ(queue_receive(Q_GRANTED, buf, 4, 0), 3); /* its slot is promised */
    CHECK_EQ(queue_destroy(Q_GRANTED), CMRX_OK);      /* before it could run */
    CHECK_EQ(queue_create(Q_REUSED, 1, 4), CMRX_OK);
    memcpy(buf, "ok", 3);
    CHECK_EQ(queue_send(Q_REUSED, buf, 3, 0), CMRX_OK);
    int code = 0;
    CHECK_EQ(cmrx_thread_join(t, &code), CMRX_OK);
    CHECK_EQ(code, QUEUE_ENOENT);
    CHECK_EQ(queue_pending(Q_REUSED), 1);
    memset(buf, 0, sizeof(buf));
    CHECK_EQ(queue_receive(Q_REUSED, buf, 4, 0), 3);
    CHECK(memcmp(buf, "ok", 3) == 0);
    CHECK_EQ(queue_destroy(Q_REUSED), CMRX_OK);
    cmrx_printf("qs_main: a promised slot of a destroyed queue stayed unwritten\n");
}

/* Another process (qs_hog) takes all of the pool it can: this process
 * still makes its queues, in the part of the pool the build keeps for it
 * (`reserve`), and qs_hog got none of it, nor of qs_prod_c's part. */
static void pool_kept(void)
{
    CHECK_EQ(queue_create(Q_HOG_DONE, 1, 4), CMRX_OK);
    int hog = cmrx_process_find("qs_hog");
    CHECK(hog >= 0);
    CHECK_EQ(cmrx_process_control((unsigned)hog, CMRX_PROC_RESTART), CMRX_OK);
    uint32_t taken = 0;
    CHECK_EQ(queue_receive(Q_HOG_DONE, buf, 4, 2000000), 4);
    memcpy(&taken, buf, 4);
    CHECK(taken > 0 && taken <= QUEUE_POOL - QS_MAIN_PART - QS_PROD_C_PART);
    CHECK_EQ(queue_create(Q_KEPT_MAIN, 1, QUEUE_MSG_MAX), CMRX_OK);
    memcpy(buf, "mine", 5);
    CHECK_EQ(queue_send(Q_KEPT_MAIN, buf, 5, 0), CMRX_OK);
    memset(buf, 0, sizeof(buf));
    CHECK_EQ(queue_receive(Q_KEPT_MAIN, buf, sizeof(buf), 0), 5);
    CHECK(memcmp(buf, "mine", 5) == 0);
    CHECK_EQ(queue_destroy(Q_KEPT_MAIN), CMRX_OK);
    CHECK_EQ(queue_destroy(Q_HOG_DONE), CMRX_OK);
    cmrx_printf("qs_main: its part of the pool stayed its own when another process took the "
                "rest\n");
}

static int main_thread(void *arg)
{
    (void)arg;
    timeouts();
    bad_calls();
    destroy_wakes();
    contention();
    takeover();
    killed_sender();
    killed_after_grant();
    destroyed_after_grant();
    pool_kept();
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
