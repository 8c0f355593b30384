/* setitimer() and suseconds_t are XSI; ppoll() is GNU. */
#define _GNU_SOURCE
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"

char *spawn_find(const char *prog)
{
    if (strchr(prog, '/') != NULL) {
        return access(prog, X_OK) == 0 ? path_absolute(prog) : NULL;
    }
    const char *path = getenv("PATH");
    if (path == NULL || *path == '\0') {
        path = "/usr/bin:/bin";
    }
    for (const char *p = path;;) {
        size_t n = strcspn(p, ":");
        char *cand = xasprintf("%.*s/%s", (int)n, n ? p : ".", prog);
        struct stat st;
        if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0) {
            char *abs = path_absolute(cand);
            free(cand);
            return abs;
        }
        free(cand);
        if (p[n] == '\0') {
            return NULL;
        }
        p += n + 1;
    }
}

pid_t spawn_start(char *const argv[], const struct spawn_opts *o, struct err *e)
{
    static const struct spawn_opts none = {.out_fd = -1, .err_fd = -1};
    int report[2]; /* the child writes errno here if exec fails; closed by a good exec */
    if (o == NULL) {
        o = &none;
    }
    if (pipe(report) != 0) {
        return err_set(e, "cannot run %s: %s", argv[0], strerror(errno));
    }
    fcntl(report[1], F_SETFD, FD_CLOEXEC);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(report[0]);
        close(report[1]);
        return err_set(e, "cannot run %s: %s", argv[0], strerror(errno));
    }
    if (pid == 0) {
        close(report[0]);
        if (o->own_group) {
            setpgid(0, 0);
        }
        if (o->null_stdin) {
            int fd = open("/dev/null", O_RDONLY);
            if (fd >= 0 && fd != STDIN_FILENO) {
                dup2(fd, STDIN_FILENO);
                close(fd);
            }
        }
        if (o->out_fd >= 0) {
            dup2(o->out_fd, STDOUT_FILENO);
        }
        if (o->err_fd >= 0) {
            dup2(o->err_fd, STDERR_FILENO);
        }
        int err = 0;
        if (o->cwd != NULL && chdir(o->cwd) != 0) {
            err = errno;
        } else {
            execvp(argv[0], argv);
            err = errno;
        }
        ssize_t w = write(report[1], &err, sizeof(err));
        (void)w;
        _exit(127);
    }
    close(report[1]);
    int child_err = 0;
    ssize_t got;
    do {
        got = read(report[0], &child_err, sizeof(child_err));
    } while (got < 0 && errno == EINTR);
    close(report[0]);
    if (got == (ssize_t)sizeof(child_err)) {
        waitpid(pid, NULL, 0);
        if (child_err == ENOENT && o->cwd == NULL) {
            return err_set(e, "cannot run %s: it is not installed (not found on PATH)", argv[0]);
        }
        return err_set(e, "cannot run %s%s%s: %s", argv[0], o->cwd ? " in " : "",
                       o->cwd ? o->cwd : "", strerror(child_err));
    }
    return pid;
}

/* What the signal handlers act on while spawn_wait() runs. */
static volatile sig_atomic_t wait_pid;
static volatile sig_atomic_t got_alarm, got_stop, alarm_stage;

static void on_signal(int sig, siginfo_t *info, void *uctx)
{
    (void)uctx;
    pid_t target = (pid_t)wait_pid;
    if (sig != SIGALRM) {
        got_stop = sig; /* the last of SIGINT, SIGTERM, SIGHUP */
    }
    if (sig == SIGINT && info->si_code != SI_USER) {
        return; /* Ctrl-C: the terminal sent it to the child too */
    }
    if (sig == SIGALRM) {
        got_alarm = 1;
        if (target > 0) {
            kill(target, alarm_stage == 0 ? SIGTERM : SIGKILL);
        }
        if (alarm_stage++ == 0) {
            alarm(2); /* not gone two seconds after SIGTERM: SIGKILL */
        }
    } else if (target > 0) {
        kill(target, sig); /* SIGTERM, SIGHUP, a kill(1)'s SIGINT: pass on */
    }
}

static void on_child(int sig)
{
    (void)sig; /* only there to wake ppoll() */
}

/* Wait for @p pid as waitpid() does, but send it SIGTERM (and arm the
 * SIGKILL two seconds later) when @p fd, the write end of a pipe, reports
 * that its reader is gone. SIGCHLD stays blocked except inside ppoll(), so
 * a child ending between waitpid() and ppoll() still wakes it. */
static void wait_watching(pid_t pid, int fd, int *st, bool *gone)
{
    sigset_t chld, old, during;
    struct sigaction sa, old_sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_child;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, &old_sa);
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &old);
    during = old;
    sigdelset(&during, SIGCHLD);
    for (;;) {
        pid_t w = waitpid(pid, st, *gone ? 0 : WNOHANG);
        if (w == pid || (w < 0 && errno != EINTR)) {
            break;
        }
        if (*gone) {
            continue; /* interrupted: wait on */
        }
        struct pollfd p = {.fd = fd, .events = 0};
        if (ppoll(&p, 1, NULL, &during) > 0 && (p.revents & (POLLERR | POLLHUP | POLLNVAL))) {
            *gone = true;
            alarm_stage = 1; /* the next SIGALRM kills */
            kill(pid, SIGTERM);
            alarm(2);
        }
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    sigaction(SIGCHLD, &old_sa, NULL);
}

void spawn_wait(pid_t pid, double timeout_s, int watch_fd, struct spawn_result *r)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGALRM};
    struct sigaction sa, old[4];
    memset(r, 0, sizeof(*r));
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    wait_pid = pid;
    got_alarm = got_stop = alarm_stage = 0;
    for (size_t i = 0; i < 4; i++) {
        sigaction(sigs[i], &sa, &old[i]);
    }
    if (timeout_s > 0) {
        struct itimerval it = {{0, 0}, {(time_t)timeout_s, 0}};
        it.it_value.tv_usec = (suseconds_t)((timeout_s - (double)(time_t)timeout_s) * 1e6);
        if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0) {
            it.it_value.tv_usec = 1;
        }
        setitimer(ITIMER_REAL, &it, NULL);
    }
    int st = 0;
    bool gone = false;
    if (watch_fd >= 0) {
        wait_watching(pid, watch_fd, &st, &gone);
    } else {
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
        }
    }
    alarm(0);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    wait_pid = 0;
    for (size_t i = 0; i < 4; i++) {
        sigaction(sigs[i], &old[i], NULL);
    }
    r->reader_gone = gone;
    r->timed_out = got_alarm != 0 && !gone;
    r->stop_signal = (int)got_stop;
    if (WIFSIGNALED(st)) {
        r->signal = WTERMSIG(st);
        r->code = spawn_signal_status(r->signal);
    } else {
        r->code = WEXITSTATUS(st);
    }
}

const char *spawn_stop_word(const struct spawn_result *r)
{
    return r->stop_signal == SIGTERM  ? "terminated"
           : r->stop_signal == SIGHUP ? "hung up"
                                      : "interrupted";
}

int spawn_run(char *const argv[], const struct spawn_opts *o, struct spawn_result *r, struct err *e)
{
    pid_t pid = spawn_start(argv, o, e);
    if (pid < 0) {
        return -1;
    }
    spawn_wait(pid, 0, -1, r);
    return 0;
}

/* Copy buf[*from, len), what came since the last call, to @p fd. */
static void relay(int fd, const char *buf, size_t len, size_t *from)
{
    if (*from < len) {
        ssize_t w = write(fd, buf + *from, len - *from);
        (void)w; /* shown on a best-effort basis; it is kept in the buffer too */
        *from = len;
    }
}

int spawn_capture(char *const argv[], const struct capture_opts *co, char **out,
                  struct spawn_result *r, struct err *e)
{
    static const struct capture_opts none = {.relay_fd = -1};
    int fds[2];
    if (co == NULL) {
        co = &none;
    }
    int devnull = co->relay_fd >= 0 ? -1 : open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (pipe(fds) != 0) {
        if (devnull >= 0) {
            close(devnull);
        }
        return err_set(e, "cannot run %s: %s", argv[0], strerror(errno));
    }
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    struct spawn_opts o = {.cwd = co->cwd,
                           .out_fd = fds[1],
                           .err_fd = co->relay_fd >= 0 ? fds[1] : devnull,
                           .null_stdin = true};
    pid_t pid = spawn_start(argv, &o, e);
    close(fds[1]);
    if (devnull >= 0) {
        close(devnull);
    }
    if (pid < 0) {
        close(fds[0]);
        return -1;
    }
    size_t len = 0, cap = 256, relayed = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (len + 1 >= cap) {
            buf = xrealloc(buf, cap *= 2);
        }
        ssize_t n = read(fds[0], buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        len += (size_t)n;
        if (co->relay_fd >= 0) {
            relay(co->relay_fd, buf, len, &relayed);
        }
    }
    buf[len] = '\0';
    close(fds[0]);
    spawn_wait(pid, 0, -1, r);
    *out = buf;
    return 0;
}

pid_t spawn_filter(int out_fd, void (*fn)(int in_fd, int out_fd, void *ctx), void *ctx,
                   int *write_fd, struct err *e)
{
    int fds[2];
    if (pipe(fds) != 0) {
        return err_set(e, "cannot make a pipe: %s", strerror(errno));
    }
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    fflush(NULL); /* nothing buffered is written twice */
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return err_set(e, "cannot fork: %s", strerror(errno));
    }
    if (pid == 0) {
        signal(SIGINT, SIG_IGN);
        close(fds[1]);
        fn(fds[0], out_fd, ctx);
        _exit(0);
    }
    close(fds[0]);
    *write_fd = fds[1];
    return pid;
}

void spawn_filter_end(pid_t *pid)
{
    if (*pid > 0) {
        struct spawn_result r;
        spawn_wait(*pid, 0, -1, &r);
        *pid = -1;
    }
}

void spawn_drop_lines(int in_fd, int out_fd, void *ctx)
{
    const char *drop = ctx;
    char buf[4096];
    size_t len = 0;
    for (bool end = false; !end;) {
        ssize_t n = read(in_fd, buf + len, sizeof(buf) - len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        end = n <= 0;
        len += end ? 0 : (size_t)n;
        size_t from = 0;
        while (from < len) {
            const char *nl = memchr(buf + from, '\n', len - from);
            /* A line longer than the buffer goes out in pieces, unfiltered. */
            if (nl == NULL && !end && len < sizeof(buf)) {
                break;
            }
            size_t stop = nl != NULL ? (size_t)(nl - buf) + 1 : len;
            if (memmem(buf + from, stop - from, drop, strlen(drop)) == NULL) {
                ssize_t w = write(out_fd, buf + from, stop - from);
                (void)w; /* nowhere to say it */
            }
            from = stop;
        }
        memmove(buf, buf + from, len - from);
        len -= from;
    }
}

void spawn_stop(pid_t pid)
{
    pid_t target = getpgid(pid) == pid ? -pid : pid;
    kill(target, SIGTERM);
    for (int i = 0; i < 100; i++) { /* two seconds */
        if (waitpid(pid, NULL, WNOHANG) != 0) {
            return;
        }
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    kill(target, SIGKILL);
    waitpid(pid, NULL, 0);
}

void spawn_print(FILE *out, char *const argv[])
{
    for (size_t i = 0; argv[i] != NULL; i++) {
        const char *w = argv[i];
        bool plain = *w != '\0' && strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                             "0123456789_@%+=:,./-") == strlen(w);
        fputs(i ? " " : "", out);
        if (plain) {
            fputs(w, out);
            continue;
        }
        fputc('\'', out);
        for (; *w; w++) {
            if (*w == '\'') {
                fputs("'\\''", out);
            } else {
                fputc(*w, out);
            }
        }
        fputc('\'', out);
    }
    fputc('\n', out);
}
