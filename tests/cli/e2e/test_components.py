"""The SDK's service components end to end: `cmrx search` lists them, and
for each, a project made with `cmrx new app --template hello`, `cmrx add
COMPONENT`, the template's sources changed to use the component, and
`cmrx run` showing it work in QEMU (docs/components.md)."""
import os
import unittest

from harness import WorldTest, write

BUILD = 300  # seconds a command that builds may take on a busy machine
COMPONENTS = ("uart-console", "gpio", "queue-server", "supervisor")
# src/greeter.c keeps the template's service (client.c includes greeter.h);
# a test appends a thread of its own.
GREETER_SERVICE = r'''#include "greeter.h"

static int greet(struct greeter *self, char *buf, unsigned len, unsigned n)
{
    (void)self;
    return cmrx_format(buf, len, "%u", n);
}

static int count(struct greeter *self)
{
    (void)self;
    return 0;
}

CMRX_VTABLE(struct greeter_vtable, greeter_vtable) = {greet, count};
CMRX_EXPORT struct greeter greeter_service = {&greeter_vtable, 0};
'''


class Components(WorldTest):
    BOARD = None  # cmrx.yaml's (a subclass runs the same on another: test_host.py)

    def setUp(self):
        super().setUp()
        self.w.env.pop("CMRX_REGISTRY")  # the default: this SDK's registry

    def project(self, component, client, greeter=None):
        """A hello project with `component` added, src/client.c replaced by
        `client` and, if given, src/greeter.c by GREETER_SERVICE + `greeter`."""
        w = self.w
        self.ok(w.cmrx("new", "app", "--template", "hello"))
        p = os.path.join(w.root, "app")
        r = self.ok(w.cmrx("add", component, cwd=p))
        self.assertIn(f"Adding {component} 0.1.0", r.err)
        self.assertTrue(os.path.isfile(os.path.join(p, "packages", component,
                                                    "component.cmake")))
        write(os.path.join(p, "src/client.c"), client)
        if greeter is not None:
            write(os.path.join(p, "src/greeter.c"), GREETER_SERVICE + greeter)
        return p

    def run_app(self, p, stdin=None):
        board = ["--board", self.BOARD] if self.BOARD else []
        r = self.ok(self.w.cmrx("run", "--timeout", "60", *board, cwd=p, timeout=BUILD,
                                **({"stdin": stdin} if stdin is not None else {})))
        self.assertNotIn("CHECK FAILED", r.out)
        self.assertNotIn("FAULT", r.out)
        return r

    def test_search_lists_the_components(self):
        r = self.ok(self.w.cmrx("search"))
        for c in COMPONENTS:
            self.assertRegex(r.out, rf"(?m)^{c} +component +0\.1\.0 ")
        r = self.ok(self.w.cmrx("search", "queue"))
        self.assertIn("queue-server", r.out)
        self.assertNotIn("uart-console", r.out)

    def test_uart_console_prints_and_reads_for_the_users_process(self):
        p = self.project("uart-console", r'''
#include <string.h>
#include <uart_console.h>
#include "greeter.h"

static int client_main(void *arg)
{
    (void)arg;
    char line[32];
    console_printf("client: type your name\n");
    int n = console_readline(line, sizeof(line), CMRX_FOREVER);
    console_printf("client: hello, %s (%d bytes, over RPC both ways)\n", line, n);
    console_flush(CMRX_FOREVER);
    cmrx_shutdown(n == 3 && strcmp(line, "Ada") == 0 ? 0 : 1);
    return 0;
}

CMRX_THREAD(client_main, NULL);
''')
        r = self.run_app(p, stdin="Ada\r\n")
        self.assertIn("client: type your name\nclient: hello, Ada (3 bytes, over RPC both ways)\n",
                      r.out.replace("\r", ""))
        self.assertRegex(r.out + r.err, r"(?m)^  uart_console +code +\d+")

    def test_gpio_pins_belong_to_the_process_that_claimed_them(self):
        p = self.project("gpio", r'''
#include <gpio.h>
#include "greeter.h"

static int client_main(void *arg)
{
    (void)arg;
    int rc = gpio_output(0, 1); /* LED 0 of the MPS2 FPGA I/O */
    cmrx_printf("client: LED 0 claimed (%d), reads %d\n", rc, gpio_read(0));
    cmrx_usleep(10000); /* the greeter tries it */
    gpio_toggle(0);
    cmrx_printf("client: LED 0 toggled, reads %d\n", gpio_read(0));
    cmrx_shutdown(rc);
    return 0;
}

CMRX_THREAD(client_main, NULL);
''', greeter=r'''
#include <gpio.h>

static int greeter_main(void *arg)
{
    (void)arg;
    while (gpio_owner(0) < 0) {
        cmrx_usleep(1000); /* until the client has it */
    }
    cmrx_printf("greeter: claim LED 0: %d, write it: %d\n", gpio_claim(0), gpio_write(0, 0));
    return 0;
}

CMRX_THREAD(greeter_main, NULL);
''')
        r = self.run_app(p)
        out = r.out.replace("\r", "")
        self.assertIn("greeter: claim LED 0: -5, write it: -8\n", out)  # EBUSY, EPERM
        # The greeter's line may land inside the client's: a printf is
        # written in pieces, and the console holds a line only so long.
        self.assertRegex(out.replace("greeter: claim LED 0: -5, write it: -8\n", ""),
                         r"client: LED 0 claimed \(0\), reads 1\n(.*\n)*"
                         r"client: LED 0 toggled, reads 0\n")

    def test_queue_server_carries_messages_between_the_users_processes(self):
        p = self.project("queue-server", r'''
#include <queue_server.h>
#include "greeter.h"

static CMRX_SHARED char msg[32];

static int client_main(void *arg)
{
    (void)arg;
    int rc = queue_create(0, 2, sizeof(msg));
    for (int i = 0; i < 3 && rc == 0; i++) {
        int n = queue_receive(0, msg, sizeof(msg), 1000000);
        if (n < 0) {
            rc = n;
            break;
        }
        cmrx_printf("client: received '%s' (%d bytes)\n", msg, n);
    }
    cmrx_shutdown(rc);
    return 0;
}

CMRX_THREAD(client_main, NULL);
''', greeter=r'''
#include <queue_server.h>

static CMRX_SHARED char msg[32];

static int greeter_main(void *arg)
{
    (void)arg;
    for (unsigned i = 1; i <= 3; i++) {
        int n = cmrx_format(msg, sizeof(msg), "greeting %u", i) + 1;
        while (queue_send(0, msg, (uint32_t)n, CMRX_FOREVER) == QUEUE_ENOENT) {
            cmrx_usleep(1000); /* the client has not made the queue yet */
        }
    }
    return 0;
}

CMRX_THREAD(greeter_main, NULL);
''')
        r = self.run_app(p)
        self.assertIn("client: received 'greeting 1' (11 bytes)\n"
                      "client: received 'greeting 2' (11 bytes)\n"
                      "client: received 'greeting 3' (11 bytes)\n", r.out.replace("\r", ""))

    def test_supervisor_restarts_the_users_hung_process(self):
        p = self.project("supervisor", r'''
#include <supervisor.h>
#include "greeter.h"

static int client_main(void *arg)
{
    (void)arg;
    int last = supervisor_wait(0, 2000000); /* the greeter hangs: its restart is logged */
    while (last > 0) {
        struct supervisor_event e;
        for (int seq = 1; seq <= last; seq++) {
            if (supervisor_event((uint32_t)seq, &e) == 0) {
                cmrx_printf("client: event %u: %s kind %u back-off %u us\n", (unsigned)e.seq,
                            e.name, e.kind, (unsigned)e.delay_us);
            }
        }
        if (e.kind == SUPERVISOR_RESTARTED) {
            break;
        }
        last = supervisor_wait((uint32_t)last, 2000000);
    }
    cmrx_usleep(30000);
    cmrx_printf("client: greeter status %d\n", supervisor_status(0));
    cmrx_shutdown(last > 0 ? 0 : 1);
    return 0;
}

CMRX_THREAD(client_main, NULL);
''', greeter=r'''
#include <supervisor.h>

static int greeter_main(void *arg)
{
    (void)arg;
    int start = cmrx_process_restarts((unsigned)cmrx_process_self());
    cmrx_printf("greeter: start %d\n", start);
    supervisor_watch(10000, 3, 4000);
    for (;;) {
        cmrx_usleep(2000);
        if (start == 0) {
            continue; /* hung: no more heartbeats */
        }
        supervisor_beat();
    }
    return 0;
}

CMRX_THREAD(greeter_main, NULL);
''')
        r = self.run_app(p)
        out = r.out.replace("\r", "")
        self.assertIn("greeter: start 0\n", out)
        self.assertIn("[supervisor] greeter: no heartbeat, restart 1 of 3 in 4000 us\n", out)
        self.assertIn("greeter: start 1\n", out)
        self.assertIn("client: event 1: greeter kind 1 back-off 4000 us\n"
                      "client: event 2: greeter kind 3 back-off 0 us\n", out)
        self.assertIn("client: greeter status 0\n", out)  # watched, beating


if __name__ == "__main__":
    unittest.main()
