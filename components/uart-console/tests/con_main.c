/* uart-console test, main client: formatted output through the driver,
 * interrupt-driven receive into the bounded buffer (what overflows it is
 * dropped and counted), read timeouts, and the service's answers to bad
 * calls. The runner feeds INPUT_LINE then INPUT_PATTERN_LEN pattern bytes
 * ('a'..'z' repeated) to the UART, a second after start: the test waits
 * for them as long as it takes (the runner's timeout ends it). */
#include <string.h>

#include "check.h"
#include "uart_console.h"

#include "con_test.h"

#define PID_DOOMED 3

static CMRX_SHARED char lend[64];
static char private_buf[16] = "not yours";

static void bad_calls(void)
{
    char on_stack[8] = "stack";
    struct uart_console *svc = &uart_console_service;
    memcpy(lend, "ok\n", 3);
    CHECK_EQ(cmrx_rpc_call(svc, write, lend, UART_CONSOLE_WRITE_MAX + 1u), UART_CONSOLE_E2BIG);
    CHECK_EQ(cmrx_rpc_call(svc, write, private_buf, 4), CMRX_EFAULT);
    CHECK_EQ(cmrx_rpc_call(svc, write, on_stack, 4), CMRX_EFAULT);
    CHECK_EQ(cmrx_rpc_call(svc, write, (const void *)svc, 4), CMRX_EFAULT); /* its own memory */
    CHECK_EQ(cmrx_rpc_call(svc, read, private_buf, 4, 0), CMRX_EFAULT);
    CHECK_EQ(cmrx_rpc_call(svc, read, (void *)svc, 4, 0), CMRX_EFAULT);
    CHECK_EQ(cmrx_rpc_call(svc, read, lend, 0x100000, 0), CMRX_EFAULT); /* runs past the end */
    CHECK_EQ(cmrx_rpc_call(svc, stats, (struct uart_console_stats *)(void *)private_buf),
             CMRX_EFAULT);
    CHECK_EQ(cmrx_rpc_call(svc, write, lend, 0), 0);
    CHECK_EQ(cmrx_rpc_call(svc, write, lend, 3), 3); /* still serving this client */
    CHECK_EQ(console_printf("con_main: bad calls refused\n"), 28);
}

static void receive(void)
{
    struct uart_console_stats st;
    /* Nothing reads until everything arrived: the buffer keeps the first
     * UART_CONSOLE_RX_SIZE bytes, the rest is dropped. */
    for (;;) {
        CHECK_EQ(console_stats(&st), CMRX_OK);
        if (st.rx_bytes >= INPUT_BYTES) {
            break;
        }
        cmrx_usleep(1000);
    }
    CHECK_EQ(st.rx_bytes, INPUT_BYTES);
    CHECK_EQ(st.rx_dropped, INPUT_BYTES - UART_CONSOLE_RX_SIZE);
    CHECK_EQ(st.rx_errors, 0);

    char line[32];
    CHECK_EQ(console_readline(line, sizeof(line), 0), (int)strlen(INPUT_LINE));
    CHECK(strcmp(line, INPUT_LINE) == 0);
    /* A line longer than the buffer is cut; the rest stays. */
    char cut[11];
    CHECK_EQ(console_readline(cut, sizeof(cut), 0), 10);
    CHECK(strcmp(cut, "abcdefghij") == 0);
    unsigned got = 10;
    while (got < UART_CONSOLE_RX_SIZE - INPUT_LINE_BYTES) {
        char chunk[40];
        int n = console_read(chunk, sizeof(chunk), 0);
        CHECK(n > 0);
        for (int i = 0; i < n; i++, got++) {
            CHECK_EQ(chunk[i], 'a' + (int)(got % 26u));
        }
    }
    CHECK_EQ(got, UART_CONSOLE_RX_SIZE - INPUT_LINE_BYTES);

    /* Empty now: a read times out, after its timeout. */
    uint32_t t0 = cmrx_time_us();
    CHECK_EQ(console_getc(5000), CMRX_ETIMEDOUT);
    CHECK(cmrx_time_us() - t0 >= 5000u);
    CHECK_EQ(console_getc(0), CMRX_ETIMEDOUT);
    console_printf("con_main: received %u bytes, kept %u, dropped %u\n", (unsigned)st.rx_bytes,
                   UART_CONSOLE_RX_SIZE, (unsigned)st.rx_dropped);
}

static int main_thread(void *arg)
{
    (void)arg;
    CHECK_EQ(console_printf("con_main: %d formatted through uart-console\n", 42), 44);
    bad_calls();
    for (int i = 0; i < 10; i++) {
        console_printf("con_main: line %d abcdefghijklmnopqrstuvwxyz\n", i);
        cmrx_usleep(500);
    }
    receive();
    /* con_doomed now waits in the driver for input; killed there, it
     * must leave at once, and the driver stay usable (below). */
    cmrx_usleep(DOOMED_DELAY_US * 2u);
    CHECK_EQ(cmrx_process_control(PID_DOOMED, CMRX_PROC_KILL), CMRX_OK);
    cmrx_usleep(20000); /* past the kernel's grace; con_peer finishes */
    /* Longer than one write: goes out in pieces, all of it. */
    static char big[600];
    for (unsigned i = 0; i < sizeof(big) - 1u; i++) {
        big[i] = (char)('0' + i % 10u);
    }
    big[sizeof(big) - 2u] = '\n';
    CHECK_EQ(console_puts(big), (int)sizeof(big) - 1);
    struct uart_console_stats st;
    CHECK_EQ(console_flush(CMRX_FOREVER), CMRX_OK);
    CHECK_EQ(console_stats(&st), CMRX_OK);
    CHECK(st.tx_bytes > 1000u);
    PASS();
    return 0;
}

CMRX_THREAD(main_thread, NULL);
