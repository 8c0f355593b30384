/* The controller (SYSTEM, UPDATER): stages images of upd_svc, from the
 * store QEMU loads into flash (UPD_STORE: the version 2 image), into the
 * slot it does not run from, and commits them. Every refused case must
 * leave version 1 answering; then version 2 goes in while the heartbeat
 * and the client keep running. */
#include <stddef.h>
#include <string.h>

#include "check.h"
#include "upd.h"

/* The images QEMU loads into flash: version 2, and two versions 3 that
 * break the interface (fewer methods; the service objects moved). */
#define STORE        ((const struct cmrx_image *)UPD_STORE)
#define STORE_NARROW ((const struct cmrx_image *)(UPD_STORE + 0x10000u))
#define STORE_MOVED  ((const struct cmrx_image *)(UPD_STORE + 0x20000u))

static uint8_t chunk[256];
static struct cmrx_update_info info;

/* Stage `len` bytes of the image at `from`, through chunk[], calling
 * patch(chunk, offset, n) on each piece first. */
static void stage(const uint8_t *from, uint32_t len,
                  void (*patch)(uint8_t *buf, uint32_t off, uint32_t n))
{
    for (uint32_t off = 0; off < len; off += sizeof(chunk)) {
        uint32_t n = len - off < sizeof(chunk) ? len - off : (uint32_t)sizeof(chunk);
        memcpy(chunk, from + off, n);
        if (patch != NULL) {
            patch(chunk, off, n);
        }
        CHECK_EQ(cmrx_update_write(UPD_PID_SVC, off, chunk, n), CMRX_OK);
    }
}

/* Wipe the staging slot: a cut transfer then leaves nothing of the last one. */
static void wipe(uint32_t len)
{
    memset(chunk, 0xFF, sizeof(chunk));
    for (uint32_t off = 0; off < len; off += sizeof(chunk)) {
        uint32_t n = len - off < sizeof(chunk) ? len - off : (uint32_t)sizeof(chunk);
        CHECK_EQ(cmrx_update_write(UPD_PID_SVC, off, chunk, n), CMRX_OK);
    }
}

static void flip_payload(uint8_t *buf, uint32_t off, uint32_t n)
{
    uint32_t at = (uint32_t)sizeof(struct cmrx_image) + 100u; /* in its code */
    if (at >= off && at < off + n) {
        buf[at - off] ^= 0x01u;
    }
}

static void other_board(uint8_t *buf, uint32_t off, uint32_t n)
{
    if (off == 0 && n >= sizeof(struct cmrx_image)) {
        struct cmrx_image *h = (struct cmrx_image *)(void *)buf;
        memset(h->board, 0, sizeof(h->board));
        strcpy(h->board, "qemu-netduinoplus2");
    }
}

static uint32_t reserve;

static void too_large(uint8_t *buf, uint32_t off, uint32_t n)
{
    if (off == 0 && n >= sizeof(struct cmrx_image)) {
        ((struct cmrx_image *)(void *)buf)->size = reserve + 4u;
    }
}

static int svc_version(void)
{
    return cmrx_rpc_call(&upd_service, version);
}

static void still_v1(const char *what)
{
    CHECK_EQ(svc_version(), 1);
    cmrx_printf("upd_ctl: refused (%s); version 1 still answers\n", what);
}

/* What the kernel tells about upd_svc: the version and slot it runs,
 * and why its last commit was refused ("" for none). */
static void svc_info(uint32_t version, uint8_t slot, const char *refusal)
{
    CHECK_EQ(cmrx_update_info(UPD_PID_SVC, &info), CMRX_OK);
    CHECK(strcmp(info.name, "upd_svc") == 0);
    CHECK_EQ(info.version, version);
    CHECK_EQ(info.slot, slot);
    CHECK_EQ(info.busy, 0);
    CHECK(strcmp(info.refusal, refusal) == 0);
}

/* An updater finds a process by name: pids run from 0 until CMRX_EINVAL. */
static void find_by_name(void)
{
    unsigned pid = 0, found = 99;
    int rc;
    while ((rc = cmrx_update_info(pid, &info)) == CMRX_OK) {
        if (strcmp(info.name, "upd_svc") == 0) {
            found = pid;
        }
        pid++;
    }
    CHECK_EQ(rc, CMRX_EINVAL);
    CHECK_EQ(pid, UPD_PID_WAITER + 1u);
    CHECK_EQ(found, UPD_PID_SVC);
    CHECK_EQ(cmrx_update_info(UPD_PID_HB, &info), CMRX_OK);
    CHECK(strcmp(info.name, "upd_hb") == 0);
    CHECK_EQ(info.version, 0); /* not updatable */
    CHECK_EQ(info.slot_size, 0);
    CHECK_EQ(cmrx_update_info(99, &info), CMRX_EINVAL);
    CHECK_EQ(cmrx_update_info(UPD_PID_SVC, (struct cmrx_update_info *)(void *)&upd_heart),
             CMRX_EFAULT); /* another process's memory */
    CHECK_EQ(cmrx_update_info(UPD_PID_SVC, NULL), CMRX_EFAULT);
    svc_info(1, 0, "");
    cmrx_printf("upd_ctl: upd_svc is process %u, version %u in slot A\n", found,
                (unsigned)info.version);
}

/* After a reset, as the boot tests set the flash up (QEMU loads the slot,
 * the record and the mode word just below the store). */
#define MODE           (*(const volatile uint32_t *)(UPD_STORE - 4u))
#define MODE_COMMITTED 1u /* record names B, B holds version 2 */
#define MODE_DAMAGED   2u /* record names B, B's image does not hash */
#define MODE_STAGED    3u /* B holds version 2, no record: reset before the commit */

static int wait_version(int want)
{
    int v = 0;
    for (int i = 0; i < 200 && (v = cmrx_rpc_call(&upd_service, version)) != want; i++) {
        CHECK(v == CMRX_ERPC_DEAD || v == 1);
        cmrx_usleep(1000);
    }
    return v;
}

static void after_reset(uint32_t mode)
{
    cmrx_usleep(2000);
    if (mode == MODE_COMMITTED) {
        CHECK_EQ(cmrx_rpc_call(&upd_service, version), 2);
        cmrx_printf("upd_ctl: after the reset, version 2 runs from slot B\n");
    } else if (mode == MODE_DAMAGED) {
        CHECK_EQ(cmrx_rpc_call(&upd_service, version), 1);
        cmrx_printf("upd_ctl: after the reset, version 1 runs from slot A\n");
    } else {
        CHECK_EQ(cmrx_rpc_call(&upd_service, version), 1);
        CHECK_EQ(cmrx_update_commit(UPD_PID_SVC, 0), CMRX_OK);
        CHECK_EQ(wait_version(2), 2);
        /* A call waits for the new version to be up, not for its threads:
         * give them the processor before the firmware ends. */
        cmrx_usleep(10000);
        cmrx_printf("upd_ctl: version 1 after the reset; the staged version 2 commits\n");
    }
    PASS();
}

static volatile int helper_rc = 1;

static void on_signal(uint32_t signals)
{
    (void)signals;
}

/* Commits, and is signalled while the kernel verifies. */
static int helper(void *arg)
{
    (void)arg;
    CHECK_EQ(cmrx_signal_handler(on_signal), CMRX_OK);
    helper_rc = cmrx_update_commit(UPD_PID_SVC, 0);
    return 0;
}

static volatile int spin_stop;

/* Keeps the processor from idling: the kernel then verifies a commit only
 * a slice per tick (the idle thread would finish it in a moment). */
static int spinner(void *arg)
{
    (void)arg;
    while (!spin_stop) {
    }
    return 0;
}

/* While a commit is being verified (its caller waits), a second commit
 * and a write to the slot are refused; a caller that is killed or
 * signalled abandons it: nothing switches. */
static void waiters(void)
{
    cmrx_tid_t s = cmrx_thread_create(spinner, NULL, CMRX_PRIO_LOWEST);
    CHECK(s >= 0);
    CHECK_EQ(cmrx_notify(&upd_waiter_go, 1), 1);
    cmrx_usleep(3000); /* upd_waiter waits in its commit now */
    CHECK_EQ(cmrx_update_commit(UPD_PID_SVC, 0), CMRX_EBUSY);
    CHECK_EQ(cmrx_update_write(UPD_PID_SVC, 0, chunk, 4), CMRX_EBUSY);
    CHECK_EQ(cmrx_update_info(UPD_PID_SVC, &info), CMRX_OK);
    CHECK_EQ(info.busy, 1);
    CHECK_EQ(cmrx_process_control(UPD_PID_WAITER, CMRX_PROC_KILL), CMRX_OK);
    cmrx_usleep(2000);
    still_v1("the committing process was killed");

    cmrx_tid_t h = cmrx_thread_create(helper, NULL, 10);
    CHECK(h >= 0);
    cmrx_usleep(3000); /* it waits in its commit now */
    CHECK_EQ(helper_rc, 1);
    CHECK_EQ(cmrx_update_commit(UPD_PID_SVC, 0), CMRX_EBUSY);
    CHECK_EQ(cmrx_signal_send(h, CMRX_SIGUSR1), CMRX_OK);
    CHECK_EQ(cmrx_thread_join(h, NULL), CMRX_OK);
    CHECK_EQ(helper_rc, CMRX_EINTR);
    cmrx_usleep(2000);
    still_v1("the committing thread was signalled");

    spin_stop = 1;
    CHECK_EQ(cmrx_thread_join(s, NULL), CMRX_OK);
    /* Long past the time a whole verification takes on an idle processor. */
    cmrx_usleep(50000);
    still_v1("nothing switched later");
}

static int control(void *arg)
{
    (void)arg;
    if (MODE != 0) {
        after_reset(MODE);
        return 0;
    }
    const struct cmrx_image *v2 = STORE;
    CHECK_EQ(v2->magic, CMRX_IMAGE_MAGIC);
    CHECK_EQ(v2->version, 2);
    uint32_t size = v2->size;
    cmrx_usleep(120000); /* the heartbeat says so before the update and after it */
    CHECK_EQ(svc_version(), 1);
    find_by_name();

    /* Not updatable; no such process. */
    CHECK_EQ(cmrx_update_write(UPD_PID_HB, 0, chunk, 16), CMRX_EINVAL);
    CHECK_EQ(cmrx_update_commit(UPD_PID_HB, 0), CMRX_EINVAL);
    CHECK_EQ(cmrx_update_commit(99, 0), CMRX_EINVAL);
    still_v1("not updatable");

    /* A write past the slot, or from memory that is not ours. */
    reserve = 0;
    while (cmrx_update_write(UPD_PID_SVC, reserve + 256u, chunk, 1) == CMRX_OK) {
        reserve += 256u;
    }
    reserve += 256u;
    CHECK_EQ(cmrx_update_write(UPD_PID_SVC, reserve - 4u, chunk, 8), CMRX_EINVAL);
    CHECK_EQ(cmrx_update_write(UPD_PID_SVC, 0, &upd_heart, 4), CMRX_EFAULT);
    CHECK_EQ(cmrx_update_info(UPD_PID_SVC, &info), CMRX_OK);
    CHECK_EQ(info.slot_size, reserve);
    cmrx_printf("upd_ctl: slot of %u bytes; writes beyond it refused\n", (unsigned)reserve);

    /* Nothing staged (slot B empty). */
    CHECK_EQ(cmrx_update_commit(UPD_PID_SVC, 0), CMRX_EBADIMAGE);
    still_v1("empty slot");

    stage((const uint8_t *)v2, size, flip_payload);
    /* The kernel hashes the image a slice per tick while the call waits:
     * how long a refused commit of the whole image keeps its caller. */
    uint32_t t0 = cmrx_time_us();
    CHECK_EQ(cmrx_update_commit(UPD_PID_SVC, 0), CMRX_EBADIMAGE);
    uint32_t t1 = cmrx_time_us();
    still_v1("flipped byte");
    cmrx_printf("upd_ctl: verifying %u bytes took %u us\n", (unsigned)size, (unsigned)(t1 - t0));
    /* What the host is told: the reason the kernel printed. */
    svc_info(1, 0, "the image's SHA-256 does not match (corrupt or incomplete)");
    cmrx_printf("upd_ctl: the kernel says why: %s\n", info.refusal);

    wipe(size);
    stage((const uint8_t *)v2, size / 2u, NULL);
    CHECK_EQ(cmrx_update_commit(UPD_PID_SVC, 0), CMRX_EBADIMAGE);
    still_v1("truncated transfer");

    stage((const uint8_t *)v2, size, other_board);
    CHECK_EQ(cmrx_update_commit(UPD_PID_SVC, 0), CMRX_EBADIMAGE);
    still_v1("wrong board");

    stage((const uint8_t *)v2, size, too_large);
    CHECK_EQ(cmrx_update_commit(UPD_PID_SVC, 0), CMRX_EBADIMAGE);
    still_v1("too large");
    svc_info(1, 0, "the image is larger than the process's flash reserve");

    stage((const uint8_t *)STORE_NARROW, STORE_NARROW->size, NULL);
    CHECK_EQ(cmrx_update_commit(UPD_PID_SVC, 0), CMRX_EINTERFACE);
    still_v1("fewer methods");

    stage((const uint8_t *)STORE_MOVED, STORE_MOVED->size, NULL);
    CHECK_EQ(cmrx_update_commit(UPD_PID_SVC, 0), CMRX_EINTERFACE);
    still_v1("service object moved");

    /* The good one, while the heartbeat and the client run; first the
     * cases of a commit whose caller stops waiting. */
    stage((const uint8_t *)v2, size, NULL);
    waiters();
    svc_info(1, 0, "the caller stopped waiting");
    int beats = cmrx_rpc_call(&upd_heart, beats);
    CHECK(beats > 0);
    CHECK_EQ(cmrx_update_commit(UPD_PID_SVC, 0), CMRX_OK);
    CHECK_EQ(wait_version(2), 2);
    CHECK_EQ(cmrx_rpc_call(&upd_service, add, 40u, 2u), 1042);
    cmrx_usleep(120000);
    int after = cmrx_rpc_call(&upd_heart, beats);
    CHECK(after > beats);
    CHECK_EQ(cmrx_process_restarts(UPD_PID_HB), 0);
    CHECK_EQ(cmrx_process_restarts(UPD_PID_CLI), 0);
    /* A watchdog must not take the switch for a failure. */
    CHECK_EQ(cmrx_process_control(UPD_PID_SVC, CMRX_PROC_CAUSE), CMRX_CAUSE_UPDATE);
    CHECK_EQ(cmrx_process_control(UPD_PID_HB, CMRX_PROC_CAUSE), CMRX_CAUSE_NONE);
    svc_info(2, 1, ""); /* the accepted commit cleared the refusal */
    cmrx_printf("upd_ctl: version 2 answers, heartbeat %d -> %d\n", beats, after);

    /* Back to version 1 (slot A): older, refused unless forced. */
    CHECK_EQ(cmrx_update_commit(UPD_PID_SVC, 0), CMRX_EVERSION);
    CHECK_EQ(svc_version(), 2);
    svc_info(2, 1, "the version is not newer than the running one");
    cmrx_printf("upd_ctl: refused (older version); version 2 still answers\n");
    cmrx_usleep(20000);
    PASS();
    return 0;
}

CMRX_THREAD(control, NULL);
