#include "tools.h"

#include <stddef.h>
#include <string.h>

#include "spawn.h"

static const struct {
    const char *prog, *package;
} packages[] = {
    {"cmake", "cmake"},
    {"ninja", "ninja-build"},
    {"cc", "build-essential"},
    {"arm-none-eabi-gcc", "gcc-arm-none-eabi"},
    {"arm-none-eabi-objcopy", "binutils-arm-none-eabi"},
    {"qemu-system-arm", "qemu-system-arm"},
    {"pyocd-flashtool", "python3-pyocd"},
    {"pyocd-gdbserver", "python3-pyocd"},
    {"gdb-multiarch", "gdb-multiarch"},
};

const char *tool_package(const char *prog)
{
    for (size_t i = 0; i < sizeof(packages) / sizeof(packages[0]); i++) {
        if (strcmp(packages[i].prog, prog) == 0) {
            return packages[i].package;
        }
    }
    return NULL;
}

char *tool_require(const char *prog, const char *purpose, struct err *e)
{
    char *path = spawn_find(prog);
    if (path == NULL) {
        const char *pkg = tool_package(prog);
        err_set(e, "%s needs %s, which is not installed (not found on PATH)", purpose, prog);
        err_hint(e,
                 "install Debian's %s (sudo apt-get install %s); `cmrx doctor` checks every "
                 "tool cmrx uses",
                 pkg ? pkg : prog, pkg ? pkg : prog);
    }
    return path;
}
