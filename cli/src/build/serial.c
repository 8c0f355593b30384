/* cfmakeraw() and CRTSCTS are BSD and Linux, not POSIX. */
#define _DEFAULT_SOURCE
#include "serial.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "fsutil.h"

static void add(char ***list, size_t *n, const char *path)
{
    *list = xrealloc(*list, (*n + 1) * sizeof(**list));
    (*list)[(*n)++] = xstrdup(path);
}

char *serial_find(struct err *e)
{
    char **found = NULL;
    size_t n = 0;
    DIR *d = opendir("/dev/serial/by-id");
    struct dirent *de;
    while (d != NULL && (de = dir_next(d)) != NULL) {
        char *path = path_join("/dev/serial/by-id", de->d_name);
        add(&found, &n, path);
        free(path);
    }
    if (d != NULL) {
        closedir(d);
    }
    const char *patterns[] = {"/dev/ttyACM*", "/dev/ttyUSB*"};
    for (size_t p = 0; n == 0 && p < 2; p++) {
        glob_t g;
        if (glob(patterns[p], 0, NULL, &g) == 0) {
            for (size_t i = 0; i < g.gl_pathc; i++) {
                add(&found, &n, g.gl_pathv[i]);
            }
        }
        globfree(&g);
    }
    char *port = n == 1 ? xstrdup(found[0]) : NULL;
    if (n == 0) {
        err_set(e, "no serial port found: nothing in /dev/serial/by-id, no /dev/ttyACM* or "
                   "/dev/ttyUSB*");
        err_hint(e, "connect the board's USB port (its probe offers the console), or name the "
                    "port with --port DEV");
    } else if (n > 1) {
        char *list = NULL;
        for (size_t i = 0; i < n; i++) {
            list_add(&list, found[i]);
        }
        err_set(e, "%zu serial ports found, so cmrx cannot tell which is the board's: %s", n, list);
        err_hint(e, "name one with --port DEV");
        free(list);
    }
    strv_free(found, n);
    return port;
}

static const struct {
    uint32_t baud;
    speed_t speed;
} speeds[] = {
    {1200, B1200},       {2400, B2400},       {4800, B4800},       {9600, B9600},
    {19200, B19200},     {38400, B38400},     {57600, B57600},     {115200, B115200},
    {230400, B230400},   {460800, B460800},   {921600, B921600},   {1000000, B1000000},
#ifdef B4000000 /* Linux's rates above 1 Mbaud, up to the updater's 4000000 */
    {1500000, B1500000}, {2000000, B2000000}, {2500000, B2500000}, {3000000, B3000000},
    {3500000, B3500000}, {4000000, B4000000},
#endif
};

int serial_open(const char *port, uint32_t baud, bool rw, struct err *e)
{
    speed_t speed = 0;
    for (size_t i = 0; i < sizeof(speeds) / sizeof(speeds[0]); i++) {
        if (speeds[i].baud == baud) {
            speed = speeds[i].speed;
        }
    }
    if (speed == 0) {
        err_set(e, "a serial port cannot be set to %lu baud here", (unsigned long)baud);
        return err_hint(e, "use a standard rate (9600, 115200, 921600, ...)");
    }
    /* O_NONBLOCK: a serial port without CLOCAL yet would wait in open() for
     * a carrier a board never raises (and a FIFO for a writer). */
    int fd = open(port, (rw ? O_RDWR : O_RDONLY) | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        err_set(e, "cannot open serial port %s: %s", port, strerror(errno));
        if (errno == EACCES) {
            err_hint(e, "add yourself to the group that owns it (sudo usermod -aG dialout "
                        "$USER, then log in again)");
        } else if (errno == ENOENT) {
            err_hint(e, "is the board's serial adapter connected? /dev/serial/by-id lists the "
                        "ports by name");
        }
        return -1;
    }
    struct termios t;
    if (tcgetattr(fd, &t) != 0) {
        err_set(e, "%s is not a serial port (not a terminal device)", port);
        err_hint(e, "name the board's serial device with --port, e.g. /dev/ttyUSB0 or "
                    "/dev/ttyACM0");
        close(fd);
        return -1;
    }
    /* Raw: bytes as they come, 8N1, no flow control of either kind (XON and
     * XOFF are data here, and a board's adapter has no RTS/CTS wired). */
    cfmakeraw(&t);
    t.c_iflag &= ~(tcflag_t)(IXON | IXOFF | IXANY);
    t.c_cflag &= ~(tcflag_t)(CSTOPB | CRTSCTS | HUPCL);
    t.c_cflag |= CS8 | CLOCAL | CREAD;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    cfsetispeed(&t, speed);
    cfsetospeed(&t, speed);
    if (tcsetattr(fd, TCSANOW, &t) != 0 || fcntl(fd, F_SETFL, 0) != 0) {
        err_set(e, "cannot set up serial port %s: %s", port, strerror(errno));
        close(fd);
        return -1;
    }
    /* What the line held before is no answer to anything sent now. */
    tcflush(fd, TCIOFLUSH);
    return fd;
}
