/* cmrx deploy: build one updatable process and send its image to the
 * updater component of the running firmware (docs/updating.md), over the
 * board's serial port or into a running `cmrx run`. The firmware verifies
 * the image and switches to it; the other processes keep running. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmrx/errno.h>
#include <cmrx/update.h>

#include "build.h"
#include "cli.h"
#include "serial.h"
#include "session.h"
#include "ui.h"
#include "updater_wire.h"

/* How long the firmware may take to answer: a request, and a commit (the
 * kernel hashes the image a slice per tick while the system is busy). */
#define REPLY_TIMEOUT_MS  1000
#define COMMIT_TIMEOUT_MS 60000
#define TRIES             5

/* The line to the updater: a serial port or QEMU's TCP port. */
struct link {
    int fd;
    const char *where; /* for messages */
    bool qemu_rom;     /* QEMU, which emulates this board's flash as ROM: nothing is ever staged */
    uint8_t seq;
    struct upw_parser rx;
    uint8_t reply[UPW_PAYLOAD_MAX]; /* the last reply's payload */
    size_t reply_len;
};

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static int send_all(struct link *l, const uint8_t *b, size_t n, struct err *e)
{
    if (!fd_write_all(l->fd, b, n)) {
        return err_set(e, "cannot write to %s: %s", l->where, strerror(errno));
    }
    return 0;
}

/* Send request @p type and wait for its reply (resending it after a
 * timeout or a damaged frame): its payload in l->reply. @return its status
 * (>= the wire's and the kernel's error codes), or -1000 with a message. */
#define LINK_FAILED (-1000)
static int32_t request(struct link *l, uint8_t type, const void *p, size_t n, int timeout_ms,
                       struct err *e)
{
    uint8_t frame[UPW_FRAME_MAX];
    size_t len = upw_encode(frame, type, ++l->seq, p, n);
    for (int tries = 0; tries < TRIES; tries++) {
        if (send_all(l, frame, len, e) != 0) {
            return LINK_FAILED;
        }
        long deadline = now_ms() + timeout_ms;
        bool resend = false;
        while (!resend) {
            long left = deadline - now_ms();
            struct pollfd pf = {.fd = l->fd, .events = POLLIN};
            int r = left > 0 ? poll(&pf, 1, (int)left) : 0;
            if (r < 0 && errno == EINTR) {
                err_set(e, "interrupted");
                e->status = 130;
                return LINK_FAILED;
            }
            if (r <= 0) {
                break; /* timed out: send it again */
            }
            uint8_t buf[256];
            ssize_t got = read(l->fd, buf, sizeof(buf));
            if (got <= 0) {
                err_set(e, "%s closed the connection%s", l->where,
                        got < 0 ? strerror(errno) : " (did the firmware or QEMU stop?)");
                return LINK_FAILED;
            }
            for (ssize_t i = 0; i < got; i++) {
                if (upw_feed(&l->rx, buf[i]) != UPW_FRAME) {
                    continue;
                }
                if (l->rx.type == UPW_BADFRAME) {
                    resend = true; /* the updater got it damaged */
                } else if (l->rx.type == (UPW_REPLY | type) && l->rx.seq == l->seq &&
                           l->rx.len >= 4u) {
                    l->reply_len = l->rx.len - 4u;
                    memcpy(l->reply, upw_payload(&l->rx) + 4, l->reply_len);
                    return (int32_t)upw_get32(upw_payload(&l->rx));
                } /* else a stale reply to an earlier try */
            }
        }
    }
    err_set(e, "the firmware does not answer on %s", l->where);
    err_hint(e, "is the updater component in the running firmware (`cmrx add updater`), and "
                "is it the firmware of this project?");
    return LINK_FAILED;
}

/* Connect to QEMU's TCP port of the board's UART, as `cmrx run` said it. */
static int connect_qemu(const struct build *b, const char *uart, char **where, struct err *e)
{
    char *file = build_uart_port_file(b, uart);
    char *text = NULL;
    size_t len;
    struct err ignored;
    unsigned port = 0;
    int fd = -1;
    if (read_file(file, &text, &len, &ignored) != 0 || sscanf(text, "%u", &port) != 1 ||
        port == 0 || port > 65535) {
        err_set(e, "no `cmrx run` of %s on %s is running (it would say %s's port in %s)", b->name,
                b->board, uart, build_shown(b, file));
        err_hint(e,
                 "start `cmrx run%s` in another terminal first; for a real board give its "
                 "serial port with --port DEV",
                 strcmp(b->profile, "release") == 0 ? " --release" : "");
    } else {
        struct sockaddr_in sa = {.sin_family = AF_INET,
                                 .sin_port = htons((uint16_t)port),
                                 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
            err_set(e, "cannot reach %s of the running firmware at 127.0.0.1:%u: %s", uart, port,
                    strerror(errno));
            err_hint(e, "the `cmrx run` that wrote %s has ended; start it again",
                     build_shown(b, file));
            if (fd >= 0) {
                close(fd);
            }
            fd = -1;
        } else {
            *where = xasprintf("%s at 127.0.0.1:%u (QEMU)", uart, port);
        }
    }
    free(text);
    free(file);
    return fd;
}

/* The updater's UART and baud rate, which its component.cmake wrote. */
static int updater_uart(const struct build *b, char *uart, size_t n, unsigned *baud, struct err *e)
{
    char *file = path_join(b->dir, "cmrx-updater.txt");
    char *text = NULL;
    size_t len;
    struct err ignored;
    char fmt[16];
    snprintf(fmt, sizeof(fmt), "%%%zus %%u", n - 1);
    /* The lock says whether the firmware has it (a file a removed updater
     * wrote stays in the build folder). */
    int rc = lock_find(&b->lock, "updater") != NULL &&
                     read_file(file, &text, &len, &ignored) == 0 &&
                     sscanf(text, fmt, uart, baud) == 2
                 ? 0
                 : -1;
    if (rc != 0) {
        err_set(e, "firmware %s has no updater to receive the image", b->name);
        err_hint(e, "add the updater component (`cmrx add updater`): it receives images on a "
                    "UART of the board (docs/updating.md)");
    }
    free(text);
    free(file);
    return rc;
}

/* What a status from the firmware means, for messages. */
static const char *status_text(int32_t s)
{
    switch (s) {
    case UPW_ENOPROCESS:
        return "the running firmware has no process of that name";
    case UPW_ENOTUPDATABLE:
        return "in the running firmware, the process is not updatable";
    case UPW_ENOTCHOSEN:
        return "the updater lost the transfer (it waited too long)";
    case UPW_EREQUEST:
        return "the updater did not understand a request";
    case CMRX_EPERM:
        return "the firmware's updater has no right to update (updater: true)";
    case CMRX_EBUSY:
        return "an update is already under way in the firmware";
    case CMRX_ENOSYS:
        return "the board has no flash driver for process slots";
    case CMRX_EINVAL:
        return "the image does not fit the process's slot";
    case CMRX_EINTR:
        return "the verification was interrupted";
    case CMRX_EBADIMAGE:
        return "the image is not sound or not for this firmware";
    case CMRX_EINTERFACE:
        return "the image drops what the process's clients use";
    case CMRX_EVERSION:
        return "the image is not newer than the running version";
    case CMRX_EIO:
        return "the board's flash controller reported an error";
    default:
        return "an error";
    }
}

/* Send the image, a chunk per request, with a progress bar. */
static int send_image(struct link *l, const char *proc, const struct build_image *im,
                      int32_t *status, struct err *e)
{
    uint8_t p[4 + UPW_CHUNK];
    for (size_t off = 0; off < im->size; off += UPW_CHUNK) {
        size_t n = im->size - off < UPW_CHUNK ? im->size - off : UPW_CHUNK;
        upw_put32(p, (uint32_t)off);
        memcpy(p + 4, im->data + off, n);
        *status = request(l, UPW_WRITE, p, 4 + n, REPLY_TIMEOUT_MS, e);
        if (*status != CMRX_OK) {
            ui_progress_end();
            return *status == LINK_FAILED ? -1 : 0;
        }
        ui_progress("Sending", proc, off + n, im->size, "bytes", 0);
    }
    ui_progress_end();
    return 0;
}

static int refused(const struct link *l, const char *proc, int32_t status, const char *why,
                   const struct build_image *im, uint32_t running, struct err *e)
{
    err_set(e, "the firmware refused %s version %lu: %s", proc, (unsigned long)im->version,
            why[0] != '\0' ? why : status_text(status));
    if (status == CMRX_EVERSION) {
        err_hint(e,
                 "raise `version:` of %s in cmrx.yaml above %lu (the running one), or "
                 "deploy it anyway with --force",
                 proc, (unsigned long)running);
    } else if (status == CMRX_EINTERFACE) {
        err_hint(e, "a new version keeps every interface, method and CMRX_SERVICE object of "
                    "the old (docs/updating.md, Compatibility rules)");
    } else if (status == CMRX_EBADIMAGE && l->qemu_rom) {
        err_hint(e, "QEMU emulates this board's flash as ROM: its flash driver stages nothing "
                    "there. Deploy to the board itself (--port DEV), or try updates in QEMU on a "
                    "board whose flash the kernel may write there (the MPS2 boards)");
    } else if (status == CMRX_EBADIMAGE || status == UPW_ENOPROCESS ||
               status == UPW_ENOTUPDATABLE) {
        err_hint(e,
                 "the running firmware is not this project's build for this board (or "
                 "was built before %s became updatable): run or flash it again first",
                 proc);
    }
    e->status = 1;
    return -1;
}

static int deploy(struct link *l, const struct build *b, const char *proc, bool force,
                  struct err *e)
{
    int32_t st = request(l, UPW_HELLO, proc, strlen(proc), REPLY_TIMEOUT_MS, e);
    struct upw_info info;
    memset(&info, 0, sizeof(info));
    memcpy((uint8_t *)&info + 4, l->reply,
           l->reply_len < sizeof(info) - 4u ? l->reply_len : sizeof(info) - 4u);
    info.board[sizeof(info.board) - 1] = 0;
    struct build_image im = {0};
    int rc = st == LINK_FAILED ? -1 : 0;
    if (rc == 0 && st != CMRX_OK) {
        rc = refused(l, proc, st, "", &im, 0, e);
    }
    unsigned to = info.slot ? 0u : 1u; /* the slot it does not run from */
    if (rc == 0 && strcmp(info.board, b->board) != 0) {
        rc = err_set(e, "the running firmware is for board %s, this build for %s", info.board,
                     b->board);
        err_hint(e, "deploy with --board %s", info.board);
    }
    rc = rc || build_image_load(b, proc, to, &im, e);
    if (rc == 0) {
        ui_status("Deploying", "%s version %lu to slot %c (version %lu runs from slot %c) over %s",
                  proc, (unsigned long)im.version, to ? 'B' : 'A', (unsigned long)info.version,
                  info.slot ? 'B' : 'A', l->where);
        rc = send_image(l, proc, &im, &st, e);
        if (rc == 0 && st != CMRX_OK) {
            rc = refused(l, proc, st, "", &im, info.version, e);
        }
    }
    if (rc == 0) {
        uint8_t flags[4];
        upw_put32(flags, force ? CMRX_UPDATE_FORCE : 0u);
        st = request(l, UPW_COMMIT, flags, sizeof(flags), COMMIT_TIMEOUT_MS, e);
        char why[UPW_PAYLOAD_MAX + 1];
        memcpy(why, l->reply, l->reply_len);
        why[l->reply_len] = 0;
        if (st == LINK_FAILED) {
            rc = -1;
        } else if (st != CMRX_OK) {
            rc = refused(l, proc, st, why, &im, info.version, e);
        } else {
            ui_status("Deployed",
                      "%s version %lu runs from slot %c; the other processes kept "
                      "running",
                      proc, (unsigned long)im.version, to ? 'B' : 'A');
        }
    }
    free(im.data);
    return rc;
}

static int run_deploy(const struct cli *c, struct err *e)
{
    struct session s = {0};
    struct build b = {0};
    struct build_opts o = {
        .verbose = c->verbose, .jobs = c->jobs, .out_fd = STDERR_FILENO, .quiet = true};
    const char *proc = c->args[0];
    char uart[BSP_PERIPH_NAME_MAX + 1];
    unsigned baud = 0;
    char *target = NULL, *where = NULL;
    bool relinked;
    int fd = -1;
    int rc = session_build(&s, c, &b, e);
    if (rc == 0 && session_updatable(&s, proc, e) == NULL) {
        rc = -1;
    }
    if (rc == 0) {
        target = build_slot_b_target(&b);
        o.target = target;
        rc = build_run(&b, &s.p.m, &o, &relinked, e) ||
             updater_uart(&b, uart, sizeof(uart), &baud, e);
    }
    session_end(&s);
    if (rc == 0 && c->port == NULL && b.bsp.qemu_machine != NULL) {
        fd = connect_qemu(&b, uart, &where, e);
    } else if (rc == 0) {
        char *port = c->port != NULL ? xstrdup(c->port) : serial_find(e);
        fd = port != NULL ? serial_open(port, baud, true, e) : -1;
        where = port != NULL ? xasprintf("%s on %s at %u baud", uart, port, baud) : NULL;
        free(port);
    }
    if (rc == 0 && fd >= 0) {
        /* In QEMU only a board whose flash is RAM keeps what is staged. */
        bool rom = c->port == NULL && b.bsp.qemu_machine != NULL && b.bsp.flash_driver != NULL &&
                   !bsp_flash_is_ram(&b.bsp);
        struct link l = {
            .fd = fd, .where = where, .seq = (uint8_t)(getpid() ^ now_ms()), .qemu_rom = rom};
        rc = deploy(&l, &b, proc, c->force, e);
    } else {
        rc = -1;
    }
    if (fd >= 0) {
        close(fd);
    }
    free(where);
    free(target);
    build_free(&b);
    return rc;
}

const struct command cmd_deploy = {
    .name = "deploy",
    .args = "PROCESS",
    .summary = "build one updatable process and replace it in the running firmware",
    .help = "Builds the project (as `cmrx build`), and the image of updatable process\n"
            "PROCESS for the flash slot it does not run from, then sends the image to the\n"
            "updater component of the running firmware, which stages it and asks the\n"
            "kernel to switch: the kernel verifies it (hash, board, reservation, the\n"
            "interfaces its clients use, a newer version) and replaces the process while\n"
            "the others keep running (docs/updating.md). The firmware runs in `cmrx run`\n"
            "(the image goes to the TCP port it offers the updater's UART on), or on a\n"
            "real board: --port DEV names its serial port (default: the one a board's\n"
            "probe offers). A progress bar shows the transfer on a terminal. A refused\n"
            "image leaves the running version as it was, and cmrx says the firmware's\n"
            "reason (exit status 1). --force deploys a version that is not newer.\n",
    .opts = OPT_PORT | OPT_FORCE | OPT_BOARD | OPT_RELEASE | OPT_VERBOSE | OPT_JOBS | OPT_DIR |
            OPT_OFFLINE | OPT_REGISTRY,
    .lazy_git = true,
    .min_args = 1,
    .max_args = 1,
    .run = run_deploy,
};
