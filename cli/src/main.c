/* cmrx: the CMRX SDK's command-line tool. This file parses the command line
 * and dispatches to one cmd_*.c per command. Exit codes: 0 success,
 * 1 failure, 2 usage error. */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fetch.h"
#include "manifest.h"
#include "ui.h"

#ifndef CMRX_VERSION
#error "CMRX_VERSION must be defined by the build"
#endif

static const struct command *const commands[] = {
    &cmd_new,    &cmd_add,  &cmd_remove, &cmd_update,    &cmd_fetch,
    &cmd_build,  &cmd_run,  &cmd_flash,  &cmd_debug,     &cmd_size,
    &cmd_search, &cmd_info, &cmd_boards, &cmd_templates, &cmd_doctor,
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct {
    unsigned bit;
    const char *text;
} option_help[] = {
    {OPT_BOARD, "  --board B        the board (see `cmrx boards`)"},
    {OPT_TEMPLATE, "  --template T     project template (see `cmrx templates`)"},
    {OPT_JSON, "  --json           print machine-readable JSON on stdout"},
    {OPT_OFFLINE, "  --offline        use only the cache; never contact a git remote"},
    {OPT_REGISTRY, "  --registry R     registry: a folder, an index.json or a git URL\n"
                   "                   (default: $CMRX_REGISTRY, else this SDK's registry/)"},
    {OPT_DIR, "  -C DIR           the project folder (default: the nearest folder with "
              "cmrx.yaml)"},
    {OPT_RELEASE, "  --release        the release build (-Os, NDEBUG, no debug information)\n"
                  "                   instead of the debug build (-Os -g)"},
    {OPT_VERBOSE, "  --verbose        show CMake's output and every command Ninja runs"},
    {OPT_TIMEOUT, "  --timeout S      stop QEMU after S seconds (exit status 124)"},
    {OPT_PROBE, "  --probe UID      the debug probe to use, by its unique id (`pyocd list`)"},
    {OPT_DRY_RUN, "  --dry-run        print the pyOCD command; build and program nothing"},
    {OPT_PRINT_ONLY, "  --print-only     print the debug server and gdb commands; start nothing"},
    {OPT_NET, "  --net            give the board QEMU's user network, with the ports\n"
              "                   cmrx.yaml's network.forward lists forwarded from 127.0.0.1\n"
              "  --forward P      forward P = tcp:HOST:BOARD or udp:HOST:BOARD instead (HOST 0:\n"
              "                   a free port); may be repeated; implies --net"},
};

static void print_usage(FILE *out)
{
    fprintf(out,
            "cmrx %s: projects, packages, builds and boards for the CMRX RTOS\n\n"
            "Usage: cmrx COMMAND [OPTIONS] [ARGS]\n\nCommands:\n",
            CMRX_VERSION);
    for (size_t i = 0; i < N_COMMANDS; i++) {
        fprintf(out, "  %-11s %s\n", commands[i]->name, commands[i]->summary);
    }
    fprintf(out, "  %-11s %s\n", "help", "show the help of a command: cmrx help COMMAND");
    fprintf(
        out,
        "\nOptions:\n  -h, --help       show this help (or a command's, after it)\n"
        "  --version        print the version of cmrx\n\n"
        "Environment: CMRX_REGISTRY (registry), CMRX_SDK (SDK checkout), XDG_CACHE_HOME "
        "(cache),\nCMRX_CONFIG (user configuration, default ~/.config/cmrx/config.yaml: "
        "mirrors),\nNO_COLOR. Exit status: 0 success, 1 failure, 2 usage error; `cmrx run`: the\n"
        "firmware's own (124 timed out, 130 interrupted, 141 output reader gone).\n"
        "Documentation: docs/cli.md in the SDK.\n");
}

static void print_command_help(const struct command *c, FILE *out)
{
    /* The summary is a lower-case phrase in `cmrx --help`; here it is a sentence. */
    fprintf(out, "Usage: %s\n\n%c%s.\n\n%s", c->usage, toupper((unsigned char)c->summary[0]),
            c->summary + 1, c->help);
    bool any = false;
    for (size_t i = 0; i < sizeof(option_help) / sizeof(option_help[0]); i++) {
        if (c->opts & option_help[i].bit) {
            fprintf(out, "%s%s\n", any ? "" : "\nOptions:\n", option_help[i].text);
            any = true;
        }
    }
    fprintf(out, "%s  -h, --help       show this help\n", any ? "" : "\nOptions:\n");
}

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++) {
        if (strcmp(commands[i]->name, name) == 0) {
            return commands[i];
        }
    }
    return NULL;
}

static int usage_error(const char *cmd, const char *what, const char *arg)
{
    fprintf(stderr, "cmrx: %s '%s'\nTry 'cmrx %s%s--help'.\n", what, arg, cmd ? cmd : "",
            cmd ? " " : "");
    return 2;
}

static int run(const struct command *cmd, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'},
        {"offline", no_argument, NULL, 'o'},
        {"board", required_argument, NULL, 'b'},
        {"template", required_argument, NULL, 't'},
        {"registry", required_argument, NULL, 'r'},
        {"release", no_argument, NULL, 'R'},
        {"verbose", no_argument, NULL, 'v'},
        {"timeout", required_argument, NULL, 'T'},
        {"probe", required_argument, NULL, 'p'},
        {"dry-run", no_argument, NULL, 'n'},
        {"print-only", no_argument, NULL, 'P'},
        {"net", no_argument, NULL, 'N'},
        {"forward", required_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct cli c = {0};
    unsigned used = 0;
    int ch;
    opterr = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, ":C:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'j':
            c.json = true;
            used |= OPT_JSON;
            break;
        case 'o':
            c.offline = true;
            used |= OPT_OFFLINE;
            break;
        case 'b':
            c.board = optarg;
            used |= OPT_BOARD;
            break;
        case 't':
            c.template_name = optarg;
            used |= OPT_TEMPLATE;
            break;
        case 'r':
            c.registry = optarg;
            used |= OPT_REGISTRY;
            break;
        case 'C':
            c.dir = optarg;
            used |= OPT_DIR;
            break;
        case 'R':
            c.release = true;
            used |= OPT_RELEASE;
            break;
        case 'v':
            c.verbose = true;
            used |= OPT_VERBOSE;
            break;
        case 'T': {
            char *end;
            c.timeout = strtod(optarg, &end);
            if (end == optarg || *end != '\0' || !(c.timeout > 0 && c.timeout <= 86400)) {
                fprintf(stderr, "cmrx %s: --timeout takes seconds (0 < S <= 86400), not '%s'\n",
                        cmd->name, optarg);
                return 2;
            }
            used |= OPT_TIMEOUT;
            break;
        }
        case 'p':
            c.probe = optarg;
            used |= OPT_PROBE;
            break;
        case 'n':
            c.dry_run = true;
            used |= OPT_DRY_RUN;
            break;
        case 'P':
            c.print_only = true;
            used |= OPT_PRINT_ONLY;
            break;
        case 'N':
            c.net = true;
            used |= OPT_NET;
            break;
        case 'F': {
            bool udp;
            unsigned host, board;
            if (forward_parse(optarg, &udp, &host, &board) != 0) {
                fprintf(stderr,
                        "cmrx %s: --forward takes tcp:HOST:BOARD or udp:HOST:BOARD (ports "
                        "1..65535, HOST 0: a free port), not '%s'\n",
                        cmd->name, optarg);
                return 2;
            }
            if (c.n_forwards == CLI_MAX_FORWARDS) {
                fprintf(stderr, "cmrx %s: at most %d --forward\n", cmd->name, CLI_MAX_FORWARDS);
                return 2;
            }
            c.forwards[c.n_forwards++] = optarg;
            c.net = true;
            used |= OPT_NET;
            break;
        }
        case 'h':
            print_command_help(cmd, stdout);
            return 0;
        case ':':
            return usage_error(cmd->name, "this option needs a value:", argv[optind - 1]);
        default:
            return usage_error(cmd->name, "unknown option", argv[optind - 1]);
        }
    }
    for (size_t i = 0; i < sizeof(option_help) / sizeof(option_help[0]); i++) {
        if ((used & option_help[i].bit) && !(cmd->opts & option_help[i].bit)) {
            char opt[32];
            snprintf(opt, sizeof(opt), "%.16s", option_help[i].text + 2);
            *strchr(opt, ' ') = '\0';
            fprintf(stderr, "cmrx %s: does not take %s\n", cmd->name, opt);
            return 2;
        }
    }
    c.args = argv + optind;
    c.n_args = (size_t)(argc - optind);
    if (c.n_args < cmd->min_args || c.n_args > cmd->max_args) {
        fprintf(stderr, "cmrx %s: %s arguments\nUsage: %s\n", cmd->name,
                c.n_args < cmd->min_args ? "missing" : "too many", cmd->usage);
        return 2;
    }
    ui_init();
    if (!cmd->lazy_git) {
        git_needed();
    }
    struct err e = {0};
    int rc = cmd->run(&c, &e);
    if (rc != 0 && e.msg[0] != '\0') {
        ui_error(&e);
    }
    git_release();
    if (fflush(stdout) != 0) {
        return 1;
    }
    if (rc == 0) {
        return 0;
    }
    return e.status != 0 ? e.status : (e.usage ? 2 : 1);
}

int main(int argc, char **argv)
{
    /* `cmrx -C DIR COMMAND ...` is `cmrx COMMAND -C DIR ...`, as with git. */
    char *moved[argc + 1];
    if (argc >= 4 && strcmp(argv[1], "-C") == 0) {
        moved[0] = argv[0];
        moved[1] = argv[3];
        moved[2] = argv[1];
        moved[3] = argv[2];
        for (int i = 4; i <= argc; i++) {
            moved[i] = argv[i];
        }
        argv = moved;
    }
    if (argc < 2) {
        print_usage(stderr);
        return 2;
    }
    const char *first = argv[1];
    if (strcmp(first, "-h") == 0 || strcmp(first, "--help") == 0) {
        print_usage(stdout);
        return 0;
    }
    if (strcmp(first, "--version") == 0 || strcmp(first, "-V") == 0) {
        printf("cmrx %s\n", CMRX_VERSION);
        return 0;
    }
    if (strcmp(first, "help") == 0) {
        if (argc == 2) {
            print_usage(stdout);
            return 0;
        }
        const struct command *c = find_command(argv[2]);
        if (c == NULL || argc > 3) {
            return usage_error(NULL, c == NULL ? "no command" : "help takes one command, not",
                               c == NULL ? argv[2] : argv[3]);
        }
        print_command_help(c, stdout);
        return 0;
    }
    const struct command *c = find_command(first);
    if (c == NULL) {
        return usage_error(
            NULL, first[0] == '-' ? "unknown option (options go after the command)" : "no command",
            first);
    }
    return run(c, argc - 1, argv + 1);
}
