/* netdev: the frame interface between a NIC driver process and the
 * network stack process.
 *
 * A NIC driver serves one Ethernet device as an RPC object named
 * netdev_<peripheral> (netdev_eth0 for the board's eth0), and the stack
 * calls it: open() once (and again after either side restarted), then
 * send() and recv() with frame buffers in the stack's CMRX_SHARED memory.
 * The driver copies between that buffer and the device; the buffer is
 * the caller's only memory the driver sees, and only during the call.
 * One process owns the device: the first to open() it. Frames are whole
 * Ethernet frames from the destination address to the end of the payload
 * (no preamble, no FCS).
 */
#ifndef NETDEV_H
#define NETDEV_H

#include <stdint.h>

#include <cmrx/cmrx.h>

#define NETDEV_FRAME_MAX 1536u /**< bytes a frame buffer holds: the largest frame, rounded */
#define NETDEV_FRAME_MIN 14u   /**< an Ethernet header */
#define NETDEV_MTU       1500u /**< payload of the largest frame */
/** Room recv_batch() needs for one more frame, and send_batch() takes for the largest:
 *  its length word and the largest frame. */
#define NETDEV_BATCH_ENTRY (4u + NETDEV_FRAME_MAX)

/* Error codes of the interface (besides CMRX_EFAULT, CMRX_EPERM,
 * CMRX_EINVAL, CMRX_ETIMEDOUT and CMRX_EINTR). */
#define NETDEV_ENODEV  (-200) /**< the device did not answer as it should; see the console */
#define NETDEV_ECLOSED (-201) /**< not opened (or the driver restarted since): open() again */

/** What open() tells about the device. */
struct netdev_info {
    uint8_t mac[6]; /**< its Ethernet address */
    uint16_t mtu;   /**< NETDEV_MTU */
    uint32_t link;  /**< 1 if the link is up */
    uint32_t epoch; /**< changes when the driver restarts: frames in flight are gone */
};

/** Counters since the driver started. */
struct netdev_stats {
    uint32_t rx_frames, rx_bytes;
    uint32_t rx_dropped; /**< frames the device had no room for, or too long for the buffer */
    uint32_t rx_errors;  /**< frames received damaged (CRC, length) */
    uint32_t tx_frames, tx_bytes;
    uint32_t tx_errors;
};

struct netdev;

/** The RPC interface. Buffers must lie in the caller's CMRX_SHARED memory. */
struct netdev_vtable {
    /**
     * Take the device for the calling process and fill @p info. Calling it
     * again (after the caller restarted) is allowed to the owner.
     * @return CMRX_OK; CMRX_EPERM (another process owns it), CMRX_EFAULT,
     *         NETDEV_ENODEV.
     */
    int (*open)(struct netdev *self, struct netdev_info *info);
    /**
     * Send the frame of @p len bytes at @p frame (NETDEV_FRAME_MIN ..
     * NETDEV_MTU + 14; the device pads short frames and appends the FCS).
     * @return CMRX_OK once the device has the frame; CMRX_EINVAL (length),
     *         CMRX_EFAULT, CMRX_EPERM (not the owner), NETDEV_ECLOSED,
     *         CMRX_ETIMEDOUT (the device did not take it within a second).
     */
    int (*send)(struct netdev *self, const void *frame, uint32_t len);
    /**
     * Wait up to @p timeout_us (CMRX_FOREVER, or 0 to poll) for a received
     * frame and copy it to @p frame, which holds @p cap >= NETDEV_FRAME_MAX
     * bytes. @return the frame's length; CMRX_ETIMEDOUT, CMRX_EINVAL (cap),
     *         CMRX_EFAULT, CMRX_EPERM, NETDEV_ECLOSED, CMRX_EKILLED (the
     *         caller's process was killed meanwhile).
     */
    int (*recv)(struct netdev *self, void *frame, uint32_t cap, uint32_t timeout_us);
    /**
     * As recv(), but takes every received frame that fits: each lands in
     * @p buf as a 32-bit length (its bytes, no FCS) followed by the frame,
     * padded to a multiple of 4; another is taken while @p cap leaves room
     * for a largest one (NETDEV_BATCH_ENTRY bytes). Waits for the first
     * only. One call for a burst of frames: what the stack's thread uses.
     * @return the bytes of @p buf used (> 0); the errors of recv(), with
     *         CMRX_EINVAL for @p cap < NETDEV_BATCH_ENTRY.
     */
    int (*recv_batch)(struct netdev *self, void *buf, uint32_t cap, uint32_t timeout_us);
    /** Copy the counters to @p out. @return CMRX_OK; CMRX_EFAULT. Anyone may ask. */
    int (*stats)(struct netdev *self, struct netdev_stats *out);
    /**
     * Send the frames of @p buf, @p len bytes laid out as recv_batch()
     * lays them out (a 32-bit length, the frame, padding to a multiple of
     * 4; each frame as send() takes it), in order. One call for a burst:
     * what the stack uses when one of its calls sends several frames.
     * @return CMRX_OK once the device has them all; else the error of
     *         send() for the first frame it could not take (the frames
     *         before it were sent, none after it), CMRX_EINVAL also for a
     *         layout that does not end at @p len or a @p buf not aligned
     *         to 4.
     */
    int (*send_batch)(struct netdev *self, const void *buf, uint32_t len);
};

struct netdev {
    const struct netdev_vtable *vtable;
};

/** The name a driver gives the object serving peripheral @p periph (eth0). */
#define NETDEV_OBJECT(periph) CMRX_CONCAT(netdev_, periph)

/* How the two sides reach each other. Normally over RPC; a build that
 * links the driver into the stack's own process (NETDEV_DIRECT, for the
 * benchmark that measures what isolation costs) calls the methods
 * directly, and the caller is the process itself. */
#ifdef NETDEV_DIRECT
#define NETDEV_CALL(dev, method, ...) ((dev)->vtable->method((dev), __VA_ARGS__))
#define netdev_caller()               cmrx_process_self()
#define netdev_buffer(buf, len)       ((void)(buf), (void)(len), CMRX_OK)
#else
#define NETDEV_CALL(dev, method, ...) cmrx_rpc_call((dev), method, __VA_ARGS__)
#define netdev_caller()               cmrx_rpc_caller()
#define netdev_buffer(buf, len)       cmrx_rpc_buffer((buf), (len))
#endif

#endif
