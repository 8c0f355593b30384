/* lan9118 test: another process tries the device the frames process owns
 * (frames.c opens it at boot, before this one wakes). */
#include "check.h"
#include "netdev.h"

extern struct netdev netdev_eth0;

static CMRX_SHARED struct netdev_info info;
static CMRX_SHARED uint32_t frame[NETDEV_BATCH_ENTRY / 4];
static CMRX_SHARED struct netdev_stats st;

static int intruder_main(void *arg)
{
    (void)arg;
    cmrx_usleep(100000); /* the frames process opened the device at boot */
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, open, &info), CMRX_EPERM);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, send, frame, 60), CMRX_EPERM);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, recv, frame, NETDEV_FRAME_MAX, 0), CMRX_EPERM);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, recv_batch, frame, NETDEV_BATCH_ENTRY, 0), CMRX_EPERM);
    frame[0] = 60;
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, send_batch, frame, 64), CMRX_EPERM);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, stats, &st), CMRX_OK); /* anyone may count */
    CHECK(st.tx_frames >= 2);
    cmrx_printf("intruder: refused (open, send, send_batch, recv and recv_batch answer "
                "CMRX_EPERM)\n");
    return 0;
}

CMRX_THREAD(intruder_main, NULL);
