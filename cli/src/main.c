/* cmrx: the CMRX SDK's command-line tool. This file parses the command line
 * and dispatches to one cmd_*.c per command. Exit codes: 0 success,
 * 1 failure, 2 usage error. */
#include <ctype.h>
#include <getopt.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fetch.h"
#include "qemu.h"
#include "ui.h"

#ifndef CMRX_VERSION
#error "CMRX_VERSION must be defined by the build"
#endif

static const struct command *const commands[] = {
    &cmd_new,    &cmd_init,     &cmd_add,    &cmd_remove,  &cmd_update, &cmd_fetch,
    &cmd_build,  &cmd_clean,    &cmd_run,    &cmd_deploy,  &cmd_test,   &cmd_trace,  &cmd_flash,
    &cmd_monitor, &cmd_debug,   &cmd_size,   &cmd_search,  &cmd_info,   &cmd_boards,
    &cmd_templates, &cmd_package, &cmd_doctor,
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

/* Every option, declared once: parsing, usage lines and help come from here. */
enum opt_kind { FLAG, TEXT, SECONDS, FORWARD, COUNT };

static const struct opt {
    unsigned bit;
    const char *name;  /* the long name; one letter for a short option (-C) */
    const char *value; /* its value in usage lines; NULL for a flag */
    enum opt_kind kind;
    size_t field; /* in struct cli */
    const char *help;
} opts[] = {
    {OPT_BOARD, "board", "B", TEXT, offsetof(struct cli, board), "the board (see `cmrx boards`)"},
    {OPT_TEMPLATE, "template", "T", TEXT, offsetof(struct cli, template_name),
     "project template (see `cmrx templates`)"},
    {OPT_RELEASE, "release", NULL, FLAG, offsetof(struct cli, release),
     "the release build (-Os, NDEBUG, no debug information)\n"
     "instead of the debug build (-Os -g)"},
    {OPT_VERBOSE, "verbose", NULL, FLAG, offsetof(struct cli, verbose),
     "show CMake's output and every command Ninja runs"},
    {OPT_TIMEOUT, "timeout", "S", SECONDS, offsetof(struct cli, timeout),
     "stop QEMU after S seconds (exit status 124)"},
    {OPT_PROBE, "probe", "UID", TEXT, offsetof(struct cli, probe),
     "the debug probe to use, by its unique id (`pyocd list`)"},
    {OPT_PRINT_ONLY, "print-only", NULL, FLAG, offsetof(struct cli, print_only),
     "print the debug server and gdb commands; start nothing"},
    {OPT_DRY_RUN, "dry-run", NULL, FLAG, offsetof(struct cli, dry_run),
     "print the pyOCD command; program nothing (and build\n"
     "nothing, but for --process)"},
    {OPT_PROCESS, "process", "P", TEXT, offsetof(struct cli, process),
     "program only updatable process P: its image into slot A and\n"
     "slot B's header erased (docs/updating.md)"},
    {OPT_FORCE, "force", NULL, FLAG, offsetof(struct cli, force),
     "deploy even a version that is not newer than the running one"},
    {OPT_JSON, "json", NULL, FLAG, offsetof(struct cli, json),
     "print machine-readable JSON on stdout"},
    {OPT_OFFLINE, "offline", NULL, FLAG, offsetof(struct cli, offline),
     "use only the cache; never contact a git remote"},
    {OPT_REGISTRY, "registry", "R", TEXT, offsetof(struct cli, registry),
     "a registry to stack on the default one ($CMRX_REGISTRY,\n"
     "else this SDK's registry/): a folder, an index.json or a git URL"},
    {OPT_IMAGE, "image", "FILE", TEXT, offsetof(struct cli, image),
     "the file that keeps the emulated board's storage (its\n"
     "flash) between runs (default: build/BOARD/storage.img;\n"
     "a new file starts erased)"},
    {OPT_JUNIT, "junit", "FILE", TEXT, offsetof(struct cli, junit),
     "also write the results to FILE as JUnit XML (for CI)"},
    {OPT_PORT, "port", "DEV", TEXT, offsetof(struct cli, port),
     "the serial port (default: the one a board's probe offers)"},
    {OPT_OUTPUT, "output", "FILE", TEXT, offsetof(struct cli, output),
     "write the trace to FILE (default: build/BOARD/trace/trace.json)"},
    {OPT_DIR, "C", "DIR", TEXT, offsetof(struct cli, dir),
     "the project folder (default: the nearest folder with cmrx.yaml)"},
    {OPT_JOBS, "j", "N", COUNT, offsetof(struct cli, jobs),
     "compile N files at once (default: Ninja's, from the CPUs)"},
    {OPT_NET, "net", NULL, FLAG, offsetof(struct cli, net),
     "give the board QEMU's user network, with the ports cmrx.yaml's\n"
     "network.forward lists forwarded from 127.0.0.1"},
    {OPT_FORWARD, "forward", "P", FORWARD, offsetof(struct cli, forwards),
     "forward P = tcp:HOST:BOARD or udp:HOST:BOARD instead (HOST 0: a\n"
     "free port); may be repeated; implies --net"},
};
#define N_OPTS (sizeof(opts) / sizeof(opts[0]))

/* "--board B" or "-C DIR". */
static void opt_text(const struct opt *o, char *buf, size_t len)
{
    snprintf(buf, len, "%s%s%s%s", o->name[1] ? "--" : "-", o->name, o->value ? " " : "",
             o->value ? o->value : "");
}

/* "cmrx add PKG[@CONSTRAINT]... [--offline] [--registry R] [-C DIR]" */
static void print_usage_line(const struct command *c, FILE *out)
{
    fprintf(out, "cmrx %s%s%s", c->name, c->args[0] ? " " : "", c->args);
    for (size_t i = 0; i < N_OPTS; i++) {
        char t[32];
        opt_text(&opts[i], t, sizeof(t));
        if (c->opts & opts[i].bit) {
            fprintf(out, c->required & opts[i].bit ? " %s" : " [%s]", t);
        }
    }
    fputc('\n', out);
}

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
    fprintf(out, "  %-11s %s\n", "completion",
            "print the bash or zsh completion script: cmrx completion bash|zsh");
    fprintf(out, "\nOptions:\n  -h, --help       show this help (or a command's, after it)\n"
                 "  --version        print the version of cmrx\n\n"
                 "Environment: CMRX_REGISTRY (the default registry), CMRX_SDK (SDK checkout), "
                 "XDG_CACHE_HOME "
                 "(cache),\nCMRX_CONFIG (user configuration, default ~/.config/cmrx/config.yaml: "
                 "mirrors,\nregistries), NO_COLOR. Exit status: 0 success, 1 failure, 2 usage "
                 "error; `cmrx run`: the\n"
                 "firmware's own (124 timed out, 130 interrupted, 141 output reader gone).\n"
                 "Documentation: docs/cli.md in the SDK.\n");
}

/* @return the help of option @p o in command @p c: the command's own note, else the table's. */
static const char *opt_help(const struct command *c, const struct opt *o)
{
    for (const struct opt_note *n = c->notes; n != NULL && n->opt != 0; n++) {
        if (n->opt == o->bit) {
            return n->help;
        }
    }
    return o->help;
}

static void print_command_help(const struct command *c, FILE *out)
{
    fputs("Usage: ", out);
    print_usage_line(c, out);
    /* The summary is a lower-case phrase in `cmrx --help`; here it is a sentence. */
    fprintf(out, "\n%c%s.\n\n%s\nOptions:\n", toupper((unsigned char)c->summary[0]), c->summary + 1,
            c->help);
    for (size_t i = 0; i < N_OPTS; i++) {
        if (c->opts & opts[i].bit) {
            char t[32];
            opt_text(&opts[i], t, sizeof(t));
            fprintf(out, "  %-16s ", t);
            /* lines after the first indented */
            for (const char *h = opt_help(c, &opts[i]); *h; h++) {
                fputc(*h, out);
                fputs(*h == '\n' ? "                   " : "", out);
            }
            fputc('\n', out);
        }
    }
    fputs("  -h, --help       show this help\n", out);
}

/* The help of the two commands main() handles itself, which have no entry
 * in the command table: `cmrx help help`, `cmrx completion --help`. */
static const char *const builtin_help[][2] = {
    {"help", "Usage: cmrx help [COMMAND]\n\n"
             "Show the help of a command.\n\n"
             "Without COMMAND, prints the list of commands (as `cmrx --help`); with\n"
             "one, prints its help (as `cmrx COMMAND --help`).\n"},
    {"completion", "Usage: cmrx completion bash|zsh\n\n"
                   "Print the bash or zsh completion script.\n\n"
                   "The script is made from the command table: commands, each one's options,\n"
                   "and board and template names for --board and --template. bash-completion\n"
                   "loads it from ~/.local/share/bash-completion/completions/cmrx; zsh, as\n"
                   "_cmrx in a folder of fpath, before compinit (docs/cli.md).\n"},
};

/* @return the help of built-in command @p name, or NULL. */
static const char *find_builtin_help(const char *name)
{
    for (size_t i = 0; i < sizeof(builtin_help) / sizeof(builtin_help[0]); i++) {
        if (strcmp(builtin_help[i][0], name) == 0) {
            return builtin_help[i][1];
        }
    }
    return NULL;
}

static bool is_help_option(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
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

/* Set option @p o of @p c from @p arg. @return 0, or 2 (a usage error, said). */
static int set_option(const struct command *cmd, struct cli *c, const struct opt *o,
                      const char *arg)
{
    char *field = (char *)c + o->field;
    if (!(cmd->opts & o->bit)) {
        fprintf(stderr, "cmrx %s: does not take %s%s\n", cmd->name, o->name[1] ? "--" : "-",
                o->name);
        return 2;
    }
    if (o->kind == FLAG) {
        *(bool *)field = true;
    } else if (o->kind == TEXT) {
        *(const char **)field = arg;
    } else if (o->kind == COUNT) {
        char *end;
        unsigned long v = strtoul(arg, &end, 10);
        if (end == arg || *end != '\0' || arg[0] == '-' || v < 1 || v > 1024) {
            fprintf(stderr, "cmrx %s: -%s takes a number of jobs (1 to 1024), not '%s'\n",
                    cmd->name, o->name, arg);
            return 2;
        }
        *(unsigned *)field = (unsigned)v;
    } else if (o->kind == FORWARD) {
        bool udp;
        unsigned host, board;
        if (qemu_forward_parse(arg, &udp, &host, &board) != 0) {
            fprintf(stderr,
                    "cmrx %s: --%s takes tcp:HOST:BOARD or udp:HOST:BOARD (ports 1..65535, "
                    "HOST 0: a free port), not '%s'\n",
                    cmd->name, o->name, arg);
            return 2;
        }
        if (c->n_forwards == CLI_MAX_FORWARDS) {
            fprintf(stderr, "cmrx %s: at most %d --%s\n", cmd->name, CLI_MAX_FORWARDS, o->name);
            return 2;
        }
        c->forwards[c->n_forwards++] = arg;
        c->net = true;
    } else {
        char *end;
        double v = strtod(arg, &end);
        if (end == arg || *end != '\0' || !(v > 0 && v <= 86400)) {
            fprintf(stderr, "cmrx %s: --%s takes seconds (0 < S <= 86400), not '%s'\n", cmd->name,
                    o->name, arg);
            return 2;
        }
        *(double *)field = v;
    }
    return 0;
}

static int run(const struct command *cmd, int argc, char **argv)
{
    struct option longopts[N_OPTS + 2];
    size_t n = 0;
    for (size_t i = 0; i < N_OPTS; i++) {
        if (opts[i].name[1] != '\0') {
            longopts[n++] =
                (struct option){opts[i].name, opts[i].value ? required_argument : no_argument, NULL,
                                (int)(256 + i)};
        }
    }
    longopts[n++] = (struct option){"help", no_argument, NULL, 'h'};
    longopts[n] = (struct option){NULL, 0, NULL, 0};
    struct cli c = {0};
    int ch;
    opterr = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, ":C:j:h", longopts, NULL)) != -1) {
        int rc = 0;
        if (ch == 'h') {
            print_command_help(cmd, stdout);
            return 0;
        } else if (ch == ':') {
            return usage_error(cmd->name, "this option needs a value:", argv[optind - 1]);
        } else if (ch == '?') {
            return usage_error(cmd->name, "unknown option", argv[optind - 1]);
        }
        for (size_t i = 0; i < N_OPTS; i++) {
            if (ch == (int)(256 + i) || (opts[i].name[1] == '\0' && ch == opts[i].name[0])) {
                rc = set_option(cmd, &c, &opts[i], optarg);
            }
        }
        if (rc != 0) {
            return rc;
        }
    }
    c.args = argv + optind;
    c.n_args = (size_t)(argc - optind);
    if (c.n_args < cmd->min_args || c.n_args > cmd->max_args) {
        fprintf(stderr, "cmrx %s: %s arguments\nUsage: ", cmd->name,
                c.n_args < cmd->min_args ? "missing" : "too many");
        print_usage_line(cmd, stderr);
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

/* The names of a command's options, e.g. "--board --release -C", into @p f. */
static void option_words(const struct command *c, FILE *f)
{
    for (size_t i = 0; i < N_OPTS; i++) {
        if (c->opts & opts[i].bit) {
            fprintf(f, " %s%s", opts[i].name[1] ? "--" : "-", opts[i].name);
        }
    }
    fputs(" --help", f);
}

/* Package names from a listing command's JSON, for the shells' completion. */
#define NAMES_OF(cmd)                                                                              \
    "cmrx " cmd                                                                                    \
    " --json 2>/dev/null | sed -n 's/^[[:space:]]*\"name\":[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p'"

/* `cmrx completion bash|zsh`: a completion script made from the command
 * and option tables, so it never lists what cmrx does not take. */
static int print_completion(const char *shell)
{
    bool zsh = strcmp(shell, "zsh") == 0;
    if (!zsh && strcmp(shell, "bash") != 0) {
        fprintf(stderr, "cmrx completion: give bash or zsh, not '%s'\n", shell);
        return 2;
    }
    if (zsh) {
        /* zsh runs bash's completion functions through bashcompinit. */
        puts("#compdef cmrx\n# zsh completion for cmrx (made by `cmrx completion zsh`)\n"
             "autoload -U +X bashcompinit && bashcompinit");
    } else {
        puts("# bash completion for cmrx (made by `cmrx completion bash`)");
    }
    printf("_cmrx() {\n"
           "    local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" "
           "words=\n"
           "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
           "        words=\"");
    for (size_t i = 0; i < N_COMMANDS; i++) {
        printf("%s ", commands[i]->name);
    }
    printf("help completion --help --version\"\n"
           "    else\n"
           "        case \"$prev\" in\n"
           "        -C|--registry) COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n"
           "        --board) words=$(%s) ;;\n"
           "        --template) words=$(%s) ;;\n"
           "        --timeout|--probe|-j) return ;;\n"
           "        *)\n"
           "            case \"${COMP_WORDS[1]}\" in\n",
           NAMES_OF("boards"), NAMES_OF("templates"));
    for (size_t i = 0; i < N_COMMANDS; i++) {
        printf("            %s) words=\"", commands[i]->name);
        option_words(commands[i], stdout);
        printf("\" ;;\n");
    }
    printf("            help) words=\"");
    for (size_t i = 0; i < N_COMMANDS; i++) {
        printf("%s ", commands[i]->name);
    }
    printf("\" ;;\n"
           "            completion) words=\"bash zsh\" ;;\n"
           "            esac ;;\n"
           "        esac\n"
           "    fi\n"
           "    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
           "}\n"
           "complete -F _cmrx cmrx\n");
    return 0;
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
    /* Past a file size limit (ulimit -f) a write fails with EFBIG, which
     * is reported, rather than killing cmrx without a word. */
    signal(SIGXFSZ, SIG_IGN);
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
    if (strcmp(first, "completion") == 0) {
        if (argc == 3 && is_help_option(argv[2])) {
            fputs(find_builtin_help(first), stdout);
            return 0;
        }
        if (argc != 3) {
            fprintf(stderr, "Usage: cmrx completion bash|zsh\n");
            return 2;
        }
        return print_completion(argv[2]) != 0 || fflush(stdout) != 0 ? 2 : 0;
    }
    if (strcmp(first, "help") == 0) {
        if (argc == 2) {
            print_usage(stdout);
            return 0;
        }
        const char *builtin = find_builtin_help(is_help_option(argv[2]) ? "help" : argv[2]);
        const struct command *c = find_command(argv[2]);
        if ((c == NULL && builtin == NULL) || argc > 3) {
            bool known = c != NULL || builtin != NULL;
            return usage_error(NULL, known ? "help takes one command, not" : "no command",
                               known ? argv[3] : argv[2]);
        }
        if (builtin != NULL) {
            fputs(builtin, stdout);
        } else {
            print_command_help(c, stdout);
        }
        return 0;
    }
    const struct command *c = find_command(first);
    if (c == NULL && first[0] == '-') {
        /* Options go after the command: show the line as it would work. */
        const struct command *next = argc > 2 ? find_command(argv[2]) : NULL;
        fprintf(stderr,
                "cmrx: unknown option '%s' before the command (options go after it: cmrx %s %s)\n"
                "Try 'cmrx --help'.\n",
                first, next != NULL ? next->name : "COMMAND", first);
        return 2;
    }
    if (c == NULL) {
        return usage_error(NULL, "no command", first);
    }
    return run(c, argc - 1, argv + 1);
}
