/* The gpio driver process: pin ownership and the RPC service. The methods
 * run on the callers' threads; a mutex keeps them one at a time, since
 * the registers are shared by many pins (read-modify-write). */
#include "gpio.h"
#include "gpio_hw.h"

#ifndef GPIO_RESERVED
#define GPIO_RESERVED /* none: a list "a,b," from component.cmake */
#endif
#ifndef GPIO_OWNERS
#define GPIO_OWNERS "" /* pins kept for named processes: "PIN:name,..." */
#endif

/* Pins the board keeps for itself (console, debug port). */
static const uint16_t reserved[] = {GPIO_RESERVED 0xFFFFu};

_Static_assert(GPIO_PINS > 0 && GPIO_PINS <= 1024, "GPIO_PINS comes from backend.cmake");
/* Owner of each pin: its process index + 1, 0 for none (so that the
 * zeroed memory of a (re)started driver means "all free"). */
static uint8_t owners[GPIO_PINS];
/* A service mutex (<cmrx/mutex.h>): a caller whose process is killed while
 * it waits returns at once (CMRX_EKILLED, not locked); one stopped by the
 * kernel in a method, holding the lock, is taken over (CMRX_EOWNERDEAD,
 * locked) and the driver goes on: what it guards is single words (a pin's
 * owner, one register's read-modify-write), whole either way. */
static cmrx_svc_mutex_t lock = CMRX_SVC_MUTEX_INIT;

#define DRIVING_MODES ((1u << GPIO_OUTPUT) | (1u << GPIO_OUTPUT_OD))

static bool is_reserved(uint32_t pin)
{
    for (unsigned i = 0; reserved[i] != 0xFFFFu; i++) {
        if (reserved[i] == pin) {
            return true;
        }
    }
    return false;
}

/* Whether the caller holds @p pin. Checked with the lock held. */
static bool caller_owns(uint32_t pin)
{
    int caller = cmrx_rpc_caller();
    return caller >= 0 && owners[pin] == (uint8_t)(caller + 1);
}

/* Whether the build keeps @p pin for a process other than @p caller
 * (setting `owners`): such a pin is its keeper's alone to claim and to
 * read, held or free, whether the keeper runs or not. */
static bool kept_for_another(uint32_t pin, int caller)
{
    return cmrx_owner_check(GPIO_OWNERS, pin, (unsigned)caller) != CMRX_OK;
}

/* The checks every driving method makes; locks on success. */
static int enter_owned(uint32_t pin)
{
    if (pin >= GPIO_PINS) {
        return GPIO_ENOPIN;
    }
    if (cmrx_svc_mutex_lock(&lock) == CMRX_EKILLED) {
        return CMRX_EKILLED;
    }
    if (!caller_owns(pin)) {
        cmrx_svc_mutex_unlock(&lock);
        return CMRX_EPERM;
    }
    return CMRX_OK;
}

/* enter_owned(), and the pin can be an output. */
static int enter_drivable(uint32_t pin)
{
    int rc = enter_owned(pin);
    if (rc == CMRX_OK && (gpio_hw_modes(pin) & DRIVING_MODES) == 0) {
        cmrx_svc_mutex_unlock(&lock);
        rc = GPIO_ENOTSUP;
    }
    return rc;
}

static int leave(int rc)
{
    cmrx_svc_mutex_unlock(&lock);
    return rc;
}

static int gpio_claim_method(struct gpio *self, uint32_t pin)
{
    (void)self;
    if (pin >= GPIO_PINS) {
        return GPIO_ENOPIN;
    }
    if (is_reserved(pin) || gpio_hw_modes(pin) == 0) {
        return GPIO_ERESERVED;
    }
    int caller = cmrx_rpc_caller();
    if (caller < 0 || caller >= 255) {
        return CMRX_EINVAL; /* not an RPC call: cannot happen through the kernel */
    }
    if (kept_for_another(pin, caller)) {
        return CMRX_EPERM;
    }
    if (cmrx_svc_mutex_lock(&lock) == CMRX_EKILLED) {
        return CMRX_EKILLED;
    }
    uint8_t owner = owners[pin];
    /* A pin of a process that was killed is free again; not one of a
     * process waiting out its restart (back-off): that keeps its pins. */
    if (owner != 0 && owner != (uint8_t)(caller + 1) &&
        cmrx_process_control(owner - 1u, CMRX_PROC_STATE) != CMRX_PROC_KILLED) {
        return leave(CMRX_EBUSY);
    }
    owners[pin] = (uint8_t)(caller + 1);
    return leave(CMRX_OK);
}

static int gpio_release_method(struct gpio *self, uint32_t pin)
{
    (void)self;
    int rc = enter_owned(pin);
    if (rc != CMRX_OK) {
        return rc;
    }
    owners[pin] = 0;
    return leave(CMRX_OK);
}

static int gpio_configure_method(struct gpio *self, uint32_t pin, uint32_t mode)
{
    (void)self;
    int rc = enter_owned(pin);
    if (rc != CMRX_OK) {
        return rc;
    }
    if (mode >= GPIO_MODES) {
        return leave(CMRX_EINVAL);
    }
    if ((gpio_hw_modes(pin) & (1u << mode)) == 0) {
        return leave(GPIO_ENOTSUP);
    }
    gpio_hw_configure(pin, mode);
    return leave(CMRX_OK);
}

static int gpio_write_method(struct gpio *self, uint32_t pin, uint32_t value)
{
    (void)self;
    int rc = enter_drivable(pin);
    if (rc != CMRX_OK) {
        return rc;
    }
    gpio_hw_write(pin, value != 0 ? 1u : 0u);
    return leave(CMRX_OK);
}

static int gpio_toggle_method(struct gpio *self, uint32_t pin)
{
    (void)self;
    int rc = enter_drivable(pin);
    if (rc != CMRX_OK) {
        return rc;
    }
    unsigned level = gpio_hw_output(pin) ^ 1u;
    gpio_hw_write(pin, level);
    return leave((int)level);
}

static int gpio_read_method(struct gpio *self, uint32_t pin)
{
    (void)self;
    if (pin >= GPIO_PINS) {
        return GPIO_ENOPIN;
    }
    /* A kept input (a door contact, a keypad) is its keeper's to read. A
     * pin nobody keeps is read by all, held or not: it goes to whoever
     * claims it first, who could otherwise blind the process it is for. */
    if (kept_for_another(pin, cmrx_rpc_caller())) {
        return CMRX_EPERM;
    }
    if (cmrx_svc_mutex_lock(&lock) == CMRX_EKILLED) {
        return CMRX_EKILLED;
    }
    return leave((int)gpio_hw_read(pin));
}

static int gpio_owner_method(struct gpio *self, uint32_t pin)
{
    (void)self;
    if (pin >= GPIO_PINS) {
        return GPIO_ENOPIN;
    }
    uint8_t owner = owners[pin];
    return owner == 0 ? CMRX_ESRCH : owner - 1;
}

CMRX_VTABLE(struct gpio_vtable, gpio_vtable) = {
    gpio_claim_method,  gpio_release_method, gpio_configure_method, gpio_write_method,
    gpio_toggle_method, gpio_read_method,    gpio_owner_method};
CMRX_EXPORT struct gpio gpio_service = {&gpio_vtable};
