/* lan9118 test: raw frames with QEMU's user network (slirp, whose gateway
 * 10.0.2.2 answers ARP and ping), through the driver process over RPC.
 * The bad calls of netdev.h come first; then an ARP request for the
 * gateway and a ping, each answered; then the intruder's turn. */
#include <string.h>

#include "check.h"
#include "netdev.h"

extern struct netdev netdev_eth0;

static CMRX_SHARED struct netdev_info info;
static CMRX_SHARED struct netdev_stats st;
static CMRX_SHARED uint32_t tx_words[NETDEV_FRAME_MAX / 4];
static CMRX_SHARED uint32_t rx_words[4 * NETDEV_BATCH_ENTRY / 4]; /* room for a burst */
static CMRX_SHARED uint32_t batch_words[NETDEV_FRAME_MAX / 4];    /* frames for send_batch */
static uint32_t private_frame[NETDEV_BATCH_ENTRY / 4]; /* not shared: the driver must refuse it */

#define TX    ((uint8_t *)tx_words)
#define RX    ((uint8_t *)rx_words)
#define BATCH ((uint8_t *)batch_words)

static const uint8_t my_ip[4] = {10, 0, 2, 15};
static const uint8_t gw_ip[4] = {10, 0, 2, 2};

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint16_t checksum(const uint8_t *p, unsigned n)
{
    uint32_t sum = 0;
    for (unsigned i = 0; i + 1 < n; i += 2) {
        sum += get16(p + i);
    }
    if (n & 1u) {
        sum += (uint32_t)p[n - 1] << 8;
    }
    while (sum >> 16) {
        sum = (sum & 0xFFFFu) + (sum >> 16);
    }
    return (uint16_t)~sum;
}

/* Receive until a frame of @p ethertype arrives that @p match accepts. */
static int wait_frame(uint16_t ethertype, int (*match)(const uint8_t *f, int n))
{
    uint32_t start = cmrx_time_us();
    while (cmrx_time_us() - start < 5000000u) {
        int n = cmrx_rpc_call(&netdev_eth0, recv, RX, NETDEV_FRAME_MAX, 1000000u);
        if (n == CMRX_ETIMEDOUT) {
            continue;
        }
        CHECK(n >= 14);
        if (get16(RX + 12) == ethertype && match(RX, n)) {
            return n;
        }
    }
    CHECK_FAIL_("no answer of ethertype 0x%04x within 5 s", ethertype);
    return -1;
}

static uint8_t gw_mac[6];

/* Append the @p len bytes of TX to the send_batch() layout in BATCH at *@p at. */
static void batch_add(uint32_t *at, uint32_t len)
{
    *(uint32_t *)(void *)(BATCH + *at) = len;
    memcpy(BATCH + *at + 4, TX, len);
    *at += 4u + ((len + 3u) & ~3u);
}

static int arp_reply(const uint8_t *f, int n)
{
    return n >= 42 && get16(f + 20) == 2 && memcmp(f + 28, gw_ip, 4) == 0 &&
           memcmp(f + 38, my_ip, 4) == 0;
}

static int echo_reply(const uint8_t *f, int n)
{
    return n >= 42 && f[23] == 1 && memcmp(f + 26, gw_ip, 4) == 0 && f[34] == 0 &&
           get16(f + 38) == 0x1234;
}

/* An ARP request for the gateway in TX, 43 bytes. */
static void arp_request(void)
{
    memset(TX, 0xFF, 6);
    memcpy(TX + 6, info.mac, 6);
    put16(TX + 12, 0x0806);
    put16(TX + 14, 1);      /* Ethernet */
    put16(TX + 16, 0x0800); /* IPv4 */
    TX[18] = 6;
    TX[19] = 4;
    put16(TX + 20, 1); /* request */
    memcpy(TX + 22, info.mac, 6);
    memcpy(TX + 28, my_ip, 4);
    memset(TX + 32, 0, 6);
    memcpy(TX + 38, gw_ip, 4);
    TX[42] = 0;
}

/* A ping (ICMP echo request) of @p payload bytes to the gateway in TX. */
static void ping_request(unsigned payload, uint16_t seq)
{
    memcpy(TX, gw_mac, 6);
    memcpy(TX + 6, info.mac, 6);
    put16(TX + 12, 0x0800);
    uint8_t *ip = TX + 14;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)(20 + 8 + payload));
    put16(ip + 4, seq);
    ip[8] = 64;
    ip[9] = 1; /* ICMP */
    memcpy(ip + 12, my_ip, 4);
    memcpy(ip + 16, gw_ip, 4);
    put16(ip + 10, checksum(ip, 20));
    uint8_t *icmp = ip + 20;
    memset(icmp, 0, 8);
    icmp[0] = 8; /* echo request */
    put16(icmp + 4, 0x1234);
    put16(icmp + 6, seq);
    for (unsigned i = 0; i < payload; i++) {
        icmp[8 + i] = (uint8_t)(i * 7u + 3u);
    }
    put16(icmp + 2, checksum(icmp, 8 + payload));
}

static int frames_main(void *arg)
{
    (void)arg;
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, open, &info), CMRX_OK);
    cmrx_printf("frames: opened, MAC %02x:%02x:%02x:%02x:%02x:%02x, link %u\n", info.mac[0],
                info.mac[1], info.mac[2], info.mac[3], info.mac[4], info.mac[5],
                (unsigned)info.link);
    CHECK_EQ(info.mtu, NETDEV_MTU);
    CHECK_EQ(info.link, 1);

    /* Bad calls: refused, nothing sent. */
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, open, (struct netdev_info *)private_frame), CMRX_EFAULT);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, send, private_frame, 60), CMRX_EFAULT);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, send, TX, 0), CMRX_EINVAL);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, send, TX, 13), CMRX_EINVAL);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, send, TX, NETDEV_MTU + 15), CMRX_EINVAL);
    /* The end of the shared buffer and beyond. */
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, send, TX + NETDEV_FRAME_MAX - 20, 1500), CMRX_EFAULT);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, recv, RX, 100, 0), CMRX_EINVAL);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, recv, RX + 1, NETDEV_FRAME_MAX, 0), CMRX_EINVAL);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, recv, private_frame, NETDEV_FRAME_MAX, 0), CMRX_EFAULT);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, recv, RX, NETDEV_FRAME_MAX, 0), CMRX_ETIMEDOUT);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, recv_batch, RX, NETDEV_BATCH_ENTRY - 4, 0), CMRX_EINVAL);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, recv_batch, private_frame, NETDEV_BATCH_ENTRY, 0),
             CMRX_EFAULT);
    /* Batches that are not in shared memory, not aligned, or not laid out
     * as the interface says: each length is checked before its frame. */
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, send_batch, private_frame, 64), CMRX_EFAULT);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, send_batch, BATCH, 4 + 13), CMRX_EINVAL);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, send_batch, BATCH + 2, 64), CMRX_EINVAL);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, send_batch, BATCH + sizeof(batch_words) - 32, 65536),
             CMRX_EFAULT); /* past the end of shared memory */
    static const uint32_t bad_lengths[] = {0, 13, 61, NETDEV_MTU + 15, 0xFFFFFFFCu};
    for (unsigned i = 0; i < sizeof(bad_lengths) / sizeof(bad_lengths[0]); i++) {
        batch_words[0] = bad_lengths[i]; /* 61: its padding runs past the 64 bytes given */
        CHECK_EQ(cmrx_rpc_call(&netdev_eth0, send_batch, BATCH, 64), CMRX_EINVAL);
    }
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, stats, &st), CMRX_OK);
    CHECK_EQ(st.tx_frames, 0);
    cmrx_printf("frames: bad calls refused\n");

    /* ARP: who has 10.0.2.2? (43 bytes: the driver sends a partial last word) */
    arp_request();
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, send, TX, 43), CMRX_OK);
    wait_frame(0x0806, arp_reply);
    memcpy(gw_mac, RX + 22, 6);
    cmrx_printf("frames: 10.0.2.2 is at %02x:%02x:%02x:%02x:%02x:%02x\n", gw_mac[0], gw_mac[1],
                gw_mac[2], gw_mac[3], gw_mac[4], gw_mac[5]);

    /* Ping the gateway with 1000 bytes of a pattern; the reply carries it back. */
    unsigned payload = 1000;
    ping_request(payload, 1);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, send, TX, 14 + 20 + 8 + payload), CMRX_OK);
    int n = wait_frame(0x0800, echo_reply);
    CHECK(n >= (int)(14 + 28 + payload));
    CHECK(memcmp(RX + 42, TX + 42, payload) == 0);
    CHECK_EQ(checksum(RX + 34, 8 + payload), 0);
    cmrx_printf("frames: ping 10.0.2.2 answered with the %u bytes sent\n", payload);

    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, stats, &st), CMRX_OK);
    CHECK_EQ(st.tx_frames, 2);
    CHECK_EQ(st.tx_bytes, 43 + 14 + 28 + payload);

    /* A burst: three pings sent by one send_batch, their answers taken by
     * one recv_batch. */
    uint32_t at = 0;
    for (uint16_t seq = 2; seq < 5; seq++) {
        ping_request(64, seq);
        batch_add(&at, 14 + 28 + 64);
    }
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, send_batch, BATCH, at), CMRX_OK);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, stats, &st), CMRX_OK);
    CHECK_EQ(st.tx_frames, 5);
    cmrx_usleep(100000); /* the answers wait in the controller's FIFO */
    int used = cmrx_rpc_call(&netdev_eth0, recv_batch, RX, sizeof(rx_words), 1000000u);
    CHECK(used > 0 && (unsigned)used <= sizeof(rx_words));
    int answers = 0;
    for (int pos = 0; pos < used;) {
        uint32_t len = *(const uint32_t *)(const void *)(RX + pos);
        CHECK(len >= 14 && len <= NETDEV_FRAME_MAX && pos + 4 + (int)len <= used);
        answers += get16(RX + pos + 4 + 12) == 0x0800 && echo_reply(RX + pos + 4, (int)len);
        pos += 4 + (int)((len + 3u) & ~3u);
    }
    cmrx_printf("frames: one send_batch sent 3 pings, one recv_batch took %d answers\n", answers);
    CHECK(answers >= 2);

    /* A batch whose second entry is bad: the first frame leaves, then EINVAL. */
    at = 0;
    arp_request();
    batch_add(&at, 43);
    batch_words[at / 4] = 9;
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, send_batch, BATCH, at + 64), CMRX_EINVAL);
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, stats, &st), CMRX_OK);
    CHECK_EQ(st.tx_frames, 6);
    wait_frame(0x0806, arp_reply);
    cmrx_printf("frames: a bad entry stops a batch after the good frames before it\n");

    /* The intruder (intruder.c) has tried the device meanwhile; it is still ours. */
    while (cmrx_time_us() < 400000u) {
        cmrx_usleep(10000);
    }
    arp_request();
    CHECK_EQ(cmrx_rpc_call(&netdev_eth0, send, TX, 43), CMRX_OK);
    wait_frame(0x0806, arp_reply);
    cmrx_printf("frames: still served after the intruder\n");
    PASS();
    return 0;
}

CMRX_THREAD(frames_main, NULL);
