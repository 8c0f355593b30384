/* Updating one process while the others run (docs/updating.md).
 *
 * An updatable process runs from one of two flash slots. A process granted
 * the right (UPDATER in its declaration) stages a new image in the other
 * slot with cmrx_update_write() and switches to it with
 * cmrx_update_commit(): the kernel verifies the image, stops the old
 * version (calls in flight into it return CMRX_ERPC_DEAD), initialises the
 * process's memory from the new image and starts its autostart threads.
 * A refused image changes nothing.
 */
#ifndef CMRX_UPDATE_H
#define CMRX_UPDATE_H

#include <stddef.h>
#include <stdint.h>

#include <cmrx/errno.h>
#include <cmrx/process.h>
#include <cmrx/rpc.h>

#define CMRX_IMAGE_MAGIC  0x474D4943u /**< "CIMG", little-endian */
#define CMRX_IMAGE_FORMAT 2u

/**
 * An object of another process that an updatable process calls, with the
 * interface it was built against: its type's name and its method count
 * (CMRX_CALLS() makes one). The kernel checks each against the firmware
 * before it runs the image.
 */
struct cmrx_call_desc {
    const void *object;
    uint32_t methods;
    const char *iface;
};

/**
 * Header at the start of a process image (format 2). Addresses are
 * absolute: an image is linked for the slot it runs from and for the
 * process's RAM reserve. The SDK generates it; cmrx-sdk seal fills sha256.
 */
struct cmrx_image {
    uint32_t magic;       /**< CMRX_IMAGE_MAGIC */
    uint16_t format;      /**< CMRX_IMAGE_FORMAT */
    uint16_t header_size; /**< sizeof(struct cmrx_image) */
    uint8_t sha256[32];   /**< of `size` bytes from here, this field as zeros */
    uint32_t size;        /**< header and payload, bytes */
    uint32_t version;     /**< image version: an update must be newer */
    char name[16];        /**< the process (NUL-terminated) */
    char board[32];       /**< bsp.yaml name of the board it is built for */
    char cpu[16];         /**< e.g. "cortex-m3" */
    uintptr_t slot;       /**< flash address it is linked for (its own address) */
    uintptr_t ram_base;   /**< the RAM reserve it is linked for */
    uint32_t ram_size;
    uint8_t *data_start; /**< .data in the reserve (== ram_base) */
    uint8_t *data_end;
    const uint8_t *data_load; /**< .data's initial value, in the slot */
    uint8_t *bss_start;       /**< .bss, zeroed */
    uint8_t *bss_end;
    uint8_t *exports; /**< CMRX_SERVICE objects: fixed across versions */
    uint8_t *exports_end;
    const struct cmrx_autostart *autostart; /**< in the slot */
    const struct cmrx_autostart *autostart_end;
    const struct cmrx_vtable_desc *vtables; /**< served interfaces, in the slot */
    const struct cmrx_vtable_desc *vtables_end;
    const struct cmrx_call_desc *calls; /**< objects of other processes it calls, in the slot */
    const struct cmrx_call_desc *calls_end;
    uint8_t threads; /**< thread slots it needs at most */
    uint8_t timers;  /**< periodic timers it needs at most */
    uint8_t reserved[2];
};

/* Where a target's header (32-bit pointers) keeps its fields, for the host:
 * its slot address and its tables of the interfaces it serves and calls,
 * whose entries are {vtable or object, methods, name}, for the SDK's seal
 * step (kernel/tools/cmrx-sdk/image.c), which checks them at the build. */
#define CMRX_IMAGE32_SIZE    40u /* and its version, its name: for `cmrx deploy` */
#define CMRX_IMAGE32_VERSION 44u
#define CMRX_IMAGE32_NAME    48u
#define CMRX_IMAGE32_SLOT    112u
#define CMRX_IMAGE32_VTABLES 160u
#define CMRX_IMAGE32_CALLS   168u
#define CMRX_VTDESC32_SIZE   12u /* and a struct cmrx_call_desc */
#if UINTPTR_MAX == 0xFFFFFFFFu
_Static_assert(offsetof(struct cmrx_image, size) == CMRX_IMAGE32_SIZE &&
                   offsetof(struct cmrx_image, version) == CMRX_IMAGE32_VERSION &&
                   offsetof(struct cmrx_image, name) == CMRX_IMAGE32_NAME &&
                   offsetof(struct cmrx_image, slot) == CMRX_IMAGE32_SLOT &&
                   offsetof(struct cmrx_image, vtables) == CMRX_IMAGE32_VTABLES &&
                   offsetof(struct cmrx_image, calls) == CMRX_IMAGE32_CALLS &&
                   sizeof(struct cmrx_vtable_desc) == CMRX_VTDESC32_SIZE &&
                   sizeof(struct cmrx_call_desc) == CMRX_VTDESC32_SIZE,
               "image header format 2 on a 32-bit target");
#endif

/**
 * Place a service object of an updatable process where every version keeps
 * it: clients are linked against its address (docs/updating.md).
 */
#define CMRX_SERVICE __attribute__((visibility("default"), section(".cmrx.export")))

/**
 * Declare that this process calls @p object (a service of another process,
 * declared extern) through interface @p type, the type of its vtable:
 * CMRX_CALLS(struct svc_vtable, svc_service); at file scope, once per
 * object, in one source file. An updatable process must declare every
 * object of another process it uses so: its image lists them with the
 * interface's name and method count, and the kernel refuses the image
 * unless the firmware it goes to serves them there (docs/updating.md).
 * In a process that is not updatable it costs nothing.
 */
#define CMRX_CALLS(type, object)                                                                   \
    _Static_assert(__builtin_types_compatible_p(__typeof__(*(object).vtable), type),               \
                   #object "'s vtable is not a " #type);                                           \
    CMRX_TABLE_ENTRY(".cmrx.calls", struct cmrx_call_desc)                                         \
    CMRX_CONCAT(cmrx_calls_, object) = {&(object), sizeof(type) / sizeof(void (*)(void)), #type}

/** Flags of cmrx_update_commit(). */
#define CMRX_UPDATE_FORCE 0x1u /**< accept a version that is not newer */

/** Interfaces an updatable process may serve at most, and the longest
 * interface name (its type's name, NUL included): the SDK refuses more at
 * the build, the kernel in an image. They bound each step of a commit's
 * interface check (docs/performance.md). */
#define CMRX_UPDATE_MAX_INTERFACES 8u
#define CMRX_UPDATE_IFACE_NAME_MAX 48u
/** Objects of other processes an updatable process may call at most
 * (CMRX_CALLS): each is a step of a commit's check. */
#define CMRX_UPDATE_MAX_CALLS 16u

/** An entry of the commit log, which names the slot each updatable process
 * runs from (docs/updating.md): its sequence number, then its tag,
 * programmed in that order into erased flash. The valid entry with the
 * highest sequence number for a process wins. */
struct cmrx_log_entry {
    uint32_t seq; /**< 1 for the first entry of an empty log, then one more each */
    uint32_t tag; /**< CMRX_LOG_TAG() */
};

/** The tag of an entry naming slot @p slot (0: A, 1: B) of process @p pid
 * (its index in the process table): the value and its complement, so that
 * an entry cut short while it was programmed (some bits still 1), erased
 * flash and zeros never read as valid. */
#define CMRX_LOG_TAG(pid, slot)                                                                    \
    ((((uint32_t)(pid) << 8 | (uint32_t)(slot)) << 16) |                                           \
     (~((uint32_t)(pid) << 8 | (uint32_t)(slot)) & 0xFFFFu))

/** Bytes the kernel writes into a slot per system call at most: each call
 * stays short (cmrx_update_write() loops). */
#define CMRX_UPDATE_CHUNK 256u

/**
 * One system call of cmrx_update_write(): write up to CMRX_UPDATE_CHUNK
 * bytes of @p buf at @p offset into the inactive slot of process @p pid.
 * @return the bytes written, or an error as for cmrx_update_write().
 */
int cmrx_update_write_some(unsigned pid, uint32_t offset, const void *buf, size_t len);

/**
 * Write @p len bytes from @p buf (the caller's memory or flash) at
 * @p offset into the inactive slot of updatable process @p pid. For
 * processes declared UPDATER. The slot is flash: write an image from its
 * start, in order (a write that reaches the start of an erase unit erases
 * it first), at offsets that are multiples of 8.
 * @return CMRX_OK; CMRX_EPERM (not an updater), CMRX_EINVAL (no such
 *         process, not updatable, beyond the slot, or an offset that is
 *         not a multiple of 8), CMRX_EFAULT (buf not readable by the
 *         caller), CMRX_EBUSY (a switch of it is under way), CMRX_ENOSYS
 *         (the board has no flash driver), CMRX_EIO (the flash controller
 *         reported an error).
 */
int cmrx_update_write(unsigned pid, uint32_t offset, const void *buf, size_t len);

/**
 * Verify the image staged for process @p pid and switch to it. The call
 * checks the header and the version, then waits while the kernel hashes
 * the image a slice at a time (docs/updating.md). The kernel prints why
 * it refuses one, and cmrx_update_info() tells it.
 * @return CMRX_OK once the switch is under way (the new version's
 *         services answer when its memory is initialised; until then
 *         CMRX_ERPC_DEAD, or a wait while it is initialised); CMRX_EPERM, CMRX_EINVAL as for
 *         cmrx_update_write(); CMRX_EBUSY (a switch of it is under way,
 *         or an image, of any process, is being verified); CMRX_EINTR (a
 *         signal ended the wait: the verification is abandoned, nothing
 *         switched); CMRX_EBADIMAGE (the image is not sound or
 *         not for this process, board or reservation), CMRX_EINTERFACE (it
 *         drops an interface, methods or a service object its clients use),
 *         CMRX_EVERSION (not newer, without CMRX_UPDATE_FORCE).
 */
int cmrx_update_commit(unsigned pid, unsigned flags);

/** What cmrx_update_info() tells about a process. */
struct cmrx_update_info {
    char name[16];      /**< the process's name, NUL-terminated (cut to 15 characters) */
    uint32_t version;   /**< version of the image it runs; 0: not updatable (or it runs none) */
    uint32_t slot_size; /**< bytes of each of its slots (flash reserve); 0: not updatable */
    uint8_t slot;       /**< the slot it runs from: 0 (A) or 1 (B) */
    uint8_t busy;       /**< 1 while an image of it is being verified or switched to, or it
                             restarts: writes and commits of it get CMRX_EBUSY meanwhile */
    uint8_t reserved[2];
    char refusal[72]; /**< why the last commit of it was refused ("" if none since boot or
                           since its last accepted commit) */
};
/* The layout is the ABI between the library and the kernel. */
_Static_assert(sizeof(struct cmrx_update_info) == 100u, "struct cmrx_update_info: 100 bytes");

/**
 * Tell an updater about process @p pid: its name and, if it is updatable,
 * the version it runs, its slots, whether a switch of it is under way and
 * why its last commit was refused (the text the kernel printed). The
 * processes are 0 .. count - 1: an updater finds one by name by asking
 * for 0, 1, ... until CMRX_EINVAL. For processes declared UPDATER.
 * @return CMRX_OK and @p out filled; CMRX_EPERM (not an updater),
 *         CMRX_EINVAL (no such process), CMRX_EFAULT (@p out not the
 *         caller's to write, or not word-aligned).
 */
int cmrx_update_info(unsigned pid, struct cmrx_update_info *out);

#endif
