/* The controller of the calls test (SYSTEM, UPDATER): upd_user, an
 * updatable process that calls the heartbeat and upd_svc, runs version 1
 * from the boot on (its calls were checked before upd_svc started). Two
 * images whose call of the heartbeat does not fit the firmware are
 * refused with the reason, version 1 calling on; then version 2 goes in
 * and calls on. */
#include <stddef.h>
#include <string.h>

#include "check.h"
#include "upd.h"

/* Process indices: the caller comes before the service it calls. */
#define PID_HB   1u
#define PID_USER 2u

/* The images QEMU loads into flash: version 2, and two versions 3 whose
 * call of the heartbeat names another interface or more methods. */
#define STORE_V2      ((const struct cmrx_image *)UPD_STORE)
#define STORE_RENAMED ((const struct cmrx_image *)(UPD_STORE + 0x10000u))
#define STORE_WIDER   ((const struct cmrx_image *)(UPD_STORE + 0x20000u))

static uint8_t chunk[256];
static struct cmrx_update_info info;

static int commit(const struct cmrx_image *img)
{
    const uint8_t *from = (const uint8_t *)img;
    for (uint32_t off = 0; off < img->size; off += sizeof(chunk)) {
        uint32_t n = img->size - off < sizeof(chunk) ? img->size - off : (uint32_t)sizeof(chunk);
        memcpy(chunk, from + off, n);
        CHECK_EQ(cmrx_update_write(PID_USER, off, chunk, n), CMRX_OK);
    }
    return cmrx_update_commit(PID_USER, 0);
}

/* upd_user answers as version v, and made `calls` more answered calls
 * (none failed) within a second. */
static void calls_on(int v, int calls)
{
    CHECK_EQ(cmrx_rpc_call(&upd_user_svc, version), v);
    int from = cmrx_rpc_call(&upd_user_svc, answered);
    for (int i = 0; i < 100 && cmrx_rpc_call(&upd_user_svc, answered) < from + calls; i++) {
        cmrx_usleep(10000);
    }
    CHECK(cmrx_rpc_call(&upd_user_svc, answered) >= from + calls);
    CHECK_EQ(cmrx_rpc_call(&upd_user_svc, failed), 0);
}

static void refused(const struct cmrx_image *img, const char *why, const char *what)
{
    CHECK_EQ(commit(img), CMRX_EINTERFACE);
    CHECK_EQ(cmrx_update_info(PID_USER, &info), CMRX_OK);
    if (strncmp(info.refusal, why, strlen(why)) != 0) {
        CHECK_FAIL_("refusal '%s', not '%s...'", info.refusal, why);
    }
    CHECK_EQ(info.version, 1);
    calls_on(1, 20);
    cmrx_printf("upd_calls_ctl: refused (%s); version 1 calls on\n", what);
}

static int control(void *arg)
{
    (void)arg;
    cmrx_usleep(20000);
    calls_on(1, 20);
    cmrx_printf("upd_calls_ctl: version 1 calls upd_hb and upd_svc\n");
    refused(STORE_RENAMED, "the image calls struct upd_hb_vtable2 (1 methods) at 0x",
            "an interface of another name");
    refused(STORE_WIDER, "the image calls struct upd_hb_vtable (2 methods) at 0x",
            "more methods than served");
    CHECK_EQ(commit(STORE_V2), CMRX_OK);
    for (int i = 0; i < 100 && cmrx_rpc_call(&upd_user_svc, version) != 2; i++) {
        cmrx_usleep(1000);
    }
    calls_on(2, 20);
    CHECK_EQ(cmrx_update_info(PID_USER, &info), CMRX_OK);
    CHECK_EQ(info.version, 2);
    CHECK_EQ(info.slot, 1);
    cmrx_printf("upd_calls_ctl: version 2 calls upd_hb and upd_svc\n");
    PASS();
    return 0;
}

CMRX_THREAD(control, NULL);
