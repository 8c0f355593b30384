"""The command line itself and the SDK's own registry (the default):
help and exit codes, --json listings, and `cmrx new` from every template."""
import json
import os
import pty
import re
import subprocess
import sys
import unittest

from harness import CMRX, SDK, World, WorldTest, git, tree, use_shared_mirrors

COMMANDS = ["new", "init", "add", "remove", "update", "fetch", "build", "clean", "run", "deploy",
            "test", "trace", "flash", "monitor", "debug", "size", "search", "info", "boards",
            "templates", "package", "doctor", "help", "completion"]


class CommandLine(WorldTest):
    def setUp(self):
        super().setUp()
        self.w.env.pop("CMRX_REGISTRY")  # the default: this SDK's registry

    def test_help_tells_the_truth(self):
        r = self.ok(self.w.cmrx("--help"))
        listed = re.findall(r"^  (\w+) ", r.out.split("Commands:")[1].split("Options:")[0], re.M)
        self.assertEqual(listed, COMMANDS)
        self.assertIn("0 success, 1 failure, 2 usage error", r.out)
        for c in COMMANDS[:-2]:
            h = self.ok(self.w.cmrx("help", c))
            self.assertTrue(h.out.startswith(f"Usage: cmrx {c}"), h)
            self.assertEqual(self.ok(self.w.cmrx(c, "--help")).out, h.out)
        # help and completion, which main() runs itself, have their help too.
        for c in COMMANDS[-2:]:
            h = self.ok(self.w.cmrx("help", c))
            self.assertTrue(h.out.startswith(f"Usage: cmrx {c}"), h)
            self.assertEqual(self.ok(self.w.cmrx(c, "--help")).out, h.out)
            self.assertEqual(self.ok(self.w.cmrx(c, "-h")).out, h.out)
        self.assertEqual(self.w.cmrx().code, 2)
        self.assertEqual(self.w.cmrx("help", "nope").code, 2)
        self.assertEqual(self.w.cmrx("nope").code, 2)
        # An option before the command: the line as it would work.
        r = self.w.cmrx("-v", "build")
        self.assertEqual((r.code, r.err), (2, "cmrx: unknown option '-v' before the command "
                                           "(options go after it: cmrx build -v)\n"
                                           "Try 'cmrx --help'.\n"))
        r = self.w.cmrx("--frob")
        self.assertEqual(r.code, 2)
        self.assertIn("(options go after it: cmrx COMMAND --frob)", r.err)
        self.assertEqual(self.w.cmrx("--nope").code, 2)
        self.assertEqual(self.w.cmrx("info").code, 2)
        self.assertEqual(self.w.cmrx("boards", "extra").code, 2)

    def test_init_makes_an_existing_folder_a_project(self):
        w = self.w
        p = os.path.join(w.root, "mine")
        os.makedirs(os.path.join(p, "src"))
        with open(os.path.join(p, "notes.txt"), "w") as f:
            f.write("mine\n")
        r = self.ok(w.cmrx("init", "--board", "qemu-mps2-an505", cwd=p))
        self.assertIn("Created project 'mine'", r.err)
        with open(os.path.join(p, "cmrx.yaml")) as f:
            yaml = f.read()
        self.assertIn("name: mine\n", yaml)
        self.assertIn("board: qemu-mps2-an505\n", yaml)
        with open(os.path.join(p, "notes.txt")) as f:
            self.assertEqual(f.read(), "mine\n")
        self.assertTrue(os.path.isfile(os.path.join(p, "src/app.c")))
        self.assertTrue(os.path.isdir(os.path.join(p, "packages/kernel")))
        self.fails(w.cmrx("init", cwd=p), "is a project already")
        # A file the template has too stops it before anything is written,
        # or said to be added.
        q = os.path.join(w.root, "other")
        os.makedirs(os.path.join(q, "src"))
        for name in ("src/app.c", "src/client.c"):
            with open(os.path.join(q, name), "w") as f:
                f.write("int mine;\n")
        with open(os.path.join(q, ".gitignore"), "w") as f:
            f.write("*.o\n")
        before = tree(q)
        r = self.fails(w.cmrx("init", "-C", q),
                       f"error: {q}/src/app.c exists, and the project from template 'blank' "
                       "has it too")
        self.assertNotIn("Adding", r.err)
        # Not a hint to the template that clashed.
        self.assertIn("hint: move it away, or choose another template (`cmrx templates`)\n", r.err)
        r = self.fails(w.cmrx("init", "-C", q, "--template", "hello"), f"{q}/src/client.c exists")
        self.assertIn("'blank' has the fewest files", r.err)
        self.assertEqual(tree(q), before)  # the .gitignore too: nothing was merged
        self.assertEqual(sorted(os.listdir(w.root)),
                         sorted(n for n in os.listdir(w.root) if not n.startswith(".other")))
        self.assertFalse([n for n in os.listdir(w.root) if ".cmrx-new-" in n])
        # So does a folder the project's packages/ would take.
        os.remove(os.path.join(q, "src/app.c"))
        os.remove(os.path.join(q, "src/client.c"))
        os.makedirs(os.path.join(q, "packages/kernel"))
        r = self.fails(w.cmrx("init", "-C", q), f"{q}/packages/kernel exists")
        self.assertNotIn("Adding", r.err)
        os.rmdir(os.path.join(q, "packages/kernel"))
        os.rmdir(os.path.join(q, "packages"))
        # The folder's README.md is kept (every template has one), and said
        # so; its .gitignore is kept and gets the template's rules it lacks,
        # once each. Its "build/" and ".cmrx" ignore /build/ and /.cmrx/
        # already, as git reads them; a rule for folders only does not
        # ignore the file compile_commands.json.
        with open(os.path.join(q, "README.md"), "w") as f:
            f.write("my readme\n")
        with open(os.path.join(q, ".gitignore"), "w") as f:
            f.write("*.o\nbuild/\n.cmrx\ncompile_commands.json/")
        r = self.ok(w.cmrx("init", "-C", q))
        self.assertIn("Keeping your README.md (template 'blank' has one too; it is not copied)",
                      r.err)
        self.assertIn("Keeping your .gitignore, adding the template's rules it lacks", r.err)
        with open(os.path.join(q, "README.md")) as f:
            self.assertEqual(f.read(), "my readme\n")
        with open(os.path.join(q, ".gitignore")) as f:
            self.assertEqual(f.read(), "*.o\nbuild/\n.cmrx\ncompile_commands.json/\n"
                             "# Added by cmrx init (template 'blank'): "
                             "build output, fetched packages, cmrx's work folder.\n"
                             "/packages/\n/compile_commands.json\n")
        self.assertTrue(os.path.isfile(os.path.join(q, "src/app.c")))
        # A .gitignore with every rule already is left as it is.
        z = os.path.join(w.root, "third")
        os.makedirs(z)
        # So is one that decides each otherwise: a glob, a rule that keeps
        # one ("!"), a name at any level.
        rules = "/b*/\n!packages/\n.cmrx/\ncompile_commands.json\n# mine\n"
        with open(os.path.join(z, ".gitignore"), "w") as f:
            f.write(rules)
        r = self.ok(w.cmrx("init", "-C", z))
        self.assertIn("Keeping your .gitignore (it has the template's rules)", r.err)
        with open(os.path.join(z, ".gitignore")) as f:
            self.assertEqual(f.read(), rules)
        # A folder whose name cannot name a project: refused, with a way out.
        bad = os.path.join(w.root, "my proj")
        os.makedirs(bad)
        self.fails(w.cmrx("init", cwd=bad), "the folder's name 'my proj' cannot name the project",
                   "`cmrx new NAME`", code=2)
        self.assertEqual(os.listdir(bad), [])

    def test_shell_completion_follows_the_command_table(self):
        w = self.w
        script = self.ok(w.cmrx("completion", "bash")).out
        path = os.path.join(w.root, "cmrx.bash")
        with open(path, "w") as f:
            f.write(script)
        subprocess.run(["bash", "-n", path], check=True)
        # Completing as bash would: commands, a command's options, board names.
        probe = (f"source {path}; PATH={os.path.dirname(os.path.abspath(CMRX))}:$PATH; "
                 "COMP_WORDS=(cmrx bu); COMP_CWORD=1; _cmrx; echo ${COMPREPLY[@]}; "
                 "COMP_WORDS=(cmrx build --re); COMP_CWORD=2; _cmrx; echo ${COMPREPLY[@]}; "
                 "COMP_WORDS=(cmrx new x --board qemu-mps2-an50); COMP_CWORD=4; _cmrx; "
                 "echo ${COMPREPLY[@]}")
        env = dict(w.env)
        env.pop("CMRX_REGISTRY", None)
        lines = subprocess.run(["bash", "-c", probe], capture_output=True, text=True,
                               env=env).stdout.splitlines()
        self.assertEqual(lines, ["build", "--release --registry",
                                 "qemu-mps2-an500 qemu-mps2-an505"])
        for c in COMMANDS:
            self.assertIn(f" {c} ", script.split("words=\"")[1].split("\"")[0].join("  "))
        zsh = self.ok(w.cmrx("completion", "zsh")).out
        self.assertTrue(zsh.startswith("#compdef cmrx\n"))
        self.assertEqual(w.cmrx("completion", "fish").code, 2)

    def test_help_lists_exactly_the_options_a_command_takes(self):
        takes_value = {"--board": "b", "--template": "t", "--registry": "r", "-C": ".",
                       "--timeout": "1", "--probe": "p", "-j": "2", "--junit": "j.xml",
                       "--port": "/dev/null"}
        every = sorted(takes_value) + ["--json", "--offline", "--release", "--verbose",
                                       "--dry-run", "--print-only"]
        for c in COMMANDS[:-2]:
            h = self.ok(self.w.cmrx("help", c)).out
            listed = set(re.findall(r"(?m)^  (-C|-j|--[a-z-]+)\b", h.split("Options:")[1]))
            usage = set(re.findall(r"(-C|-j|--[a-z-]+)\b", h.splitlines()[0]))
            self.assertEqual(usage, listed, c)  # the usage line omits none
            for opt in every:
                args = [opt, takes_value[opt]] if opt in takes_value else [opt]
                if opt not in listed:
                    r = self.w.cmrx(c, *args)
                    self.assertEqual(r.code, 2, (c, opt, r))
                    self.assertIn(f"cmrx {c}: does not take {opt}", r.err)

    def test_help_of_an_option_fits_the_command(self):
        # Where the option table's words would be wrong for a command, its
        # help says what the option does there.
        pkg = self.ok(self.w.cmrx("help", "package")).out
        self.assertTrue(pkg.startswith("Usage: cmrx package TAG --registry R [-C DIR]\n"), pkg)
        self.assertRegex(pkg, r"(?m)^  --registry R +the registry to publish into")
        self.assertRegex(pkg, r"(?m)^  -C DIR +the package folder \(default: the current one\)$")
        init = self.ok(self.w.cmrx("help", "init")).out
        self.assertRegex(init, r"(?m)^  -C DIR +the folder to make a project \(default: the current")
        test = self.ok(self.w.cmrx("help", "test")).out.split("Options:")[1]
        self.assertRegex(test, r"(?m)^  --timeout S +fail a test that runs longer than S seconds")
        self.assertNotIn("124", test)
        run = self.ok(self.w.cmrx("help", "run")).out.split("Options:")[1]
        self.assertRegex(run, r"(?m)^  --timeout S +stop QEMU after S seconds \(exit status 124\)")

    def test_boards_help_names_every_column(self):
        text = self.ok(self.w.cmrx("boards")).out
        self.assertRegex(text, r"^BOARD +CPU +QEMU +PYOCD +VERSION +DESCRIPTION\n")
        h = self.ok(self.w.cmrx("help", "boards")).out.split("Options:")[0]
        for column in ("CPU", "QEMU machine", "pyOCD target", "version", "description"):
            self.assertIn(column, h)

    def test_doctor_help_names_every_tool_it_checks(self):
        doctor = self.ok(self.w.cmrx("help", "doctor")).out.split("Options:")[0]
        for tool in ("CMake", "Ninja", "arm-none-eabi-gcc", "objcopy", "addr2line", "QEMU",
                     "pyOCD", "gdb"):
            self.assertIn(tool, doctor)

    def test_version_matches_the_build(self):
        with open(os.path.join(SDK, "CMakeLists.txt")) as f:
            version = re.search(r"project\(cmrx VERSION ([0-9.]+)", f.read()).group(1)
        self.assertEqual(self.ok(self.w.cmrx("--version")).out, f"cmrx {version}\n")

    def test_json_listings(self):
        boards = json.loads(self.ok(self.w.cmrx("boards", "--json")).out)
        by_name = {b["name"]: b for b in boards}
        self.assertEqual(by_name["qemu-mps2-an385"]["cpu"], "cortex-m3")
        self.assertEqual(by_name["qemu-mps2-an386"]["qemu"], "mps2-an386")
        templates = json.loads(self.ok(self.w.cmrx("templates", "--json")).out)
        self.assertEqual(sorted(t["name"] for t in templates),
                         ["blank", "datalogger", "driver", "hello", "net"])
        # The boards come from each template's template.yaml, read from git.
        boards = {t["name"]: t["boards"] for t in templates}
        emulated = sorted(n for n, b in by_name.items() if b["qemu"])
        mps2 = [b for b in emulated if b.startswith("qemu-mps2-")]
        # The driver template requires a timer0 (requires.peripherals): the
        # boards whose bsp.yaml has one, as `cmrx new` refuses the others.
        timers = mps2 + ["qemu-netduinoplus2"]
        self.assertEqual(boards, {"blank": "any", "hello": "any", "driver": timers, "net": mps2,
                                  "datalogger": mps2})
        text = self.ok(self.w.cmrx("templates")).out
        self.assertRegex(text, r"(?m)^TEMPLATE +VERSION +DESCRIPTION +BOARDS$")
        self.assertRegex(text, r"(?m)^hello +0\.1\.0 +Two processes.* any$")
        self.assertRegex(text, r"(?m)^driver +0\.1\.0 +A driver process.* " +
                         re.escape(", ".join(timers)) + "$")
        found = json.loads(self.ok(self.w.cmrx("search", "AN500", "--json")).out)
        self.assertEqual([f["name"] for f in found], ["qemu-mps2-an500"])
        self.assertEqual(json.loads(self.ok(self.w.cmrx("search", "zzz", "--json")).out), [])
        info = json.loads(self.ok(self.w.cmrx("info", "kernel", "--json")).out)
        self.assertEqual(info["kind"], "kernel")
        self.assertEqual(info["versions"][0]["subdir"], "kernel")
        text = self.ok(self.w.cmrx("boards")).out
        self.assertRegex(text, r"qemu-mps2-an385 +cortex-m3 +mps2-an385")
        # A local registry needs no git repository: the cache is not even made.
        self.assertFalse(os.path.exists(self.w.cache))

    def test_new_from_every_template(self):
        w = self.w
        for template in ("hello", "driver", "blank"):
            name = f"proj-{template}"
            r = self.ok(w.cmrx("new", name, "--template", template, "--board", "qemu-mps2-an386"))
            self.assertIn(f"Created project '{name}' from template '{template}'", r.err)
            p = os.path.join(w.root, name)
            self.assertFalse(os.path.exists(os.path.join(p, "template.yaml")))
            for rel, (kind, _, content) in tree(p).items():
                if kind == "file" and not rel.startswith("packages/"):
                    self.assertNotIn(b"${", content, rel)
            with open(os.path.join(p, "cmrx.yaml")) as f:
                yaml = f.read()
            self.assertIn(f"name: {name}\n", yaml)
            self.assertIn("board: qemu-mps2-an386\n", yaml)
            with open(os.path.join(p, "cmrx.lock")) as f:
                lock = f.read()
            # Each package is locked at the commit that last changed its folder,
            # under the SDK's canonical URL (docs/registry.md, Locks that travel).
            for folder in ("kernel", "bsp/qemu-mps2-an386"):
                last = git("rev-list", "--first-parent", "-1", "HEAD", "--", folder, cwd=SDK)
                self.assertIn(f"commit: {last}\n  subdir: {folder}\n", lock)
            self.assertIn("git: https://github.com/cmrx-rtos/cmrx-sdk.git\n", lock)
            self.assertNotIn("branch: HEAD", lock)
            self.assertIn("checksum: " + git("rev-parse", "HEAD:kernel", cwd=SDK), lock)
            self.assertIn("checksum: " + git("rev-parse", "HEAD:bsp/qemu-mps2-an386", cwd=SDK), lock)
            self.assertEqual(sorted(os.listdir(os.path.join(p, "packages"))),
                             ["kernel", "qemu-mps2-an386"])
            self.assertTrue(os.path.isfile(os.path.join(p, "packages/kernel/cmake/cmrx.cmake")))
            r = self.ok(w.cmrx("fetch", "--offline", cwd=p))
            self.assertIn("0 unpacked", r.err)

    def test_progress_bar_only_on_a_terminal(self):
        w = self.w
        # Not a terminal: no progress bar, no colour, no carriage returns.
        r = self.ok(w.cmrx("new", "plain", env={"NO_COLOR": None}))
        self.assertNotIn("\r", r.err)
        self.assertNotIn("Fetching", r.err)
        self.assertNotIn("\033[", r.err)
        # A terminal on stderr (cold cache, so there is something to fetch).
        master, slave = pty.openpty()
        env = dict(w.env, XDG_CACHE_HOME=os.path.join(w.root, "tty-cache"))
        env.pop("NO_COLOR")
        proc = subprocess.Popen([CMRX, "new", "tty"], cwd=w.root, env=env,
                                stdout=subprocess.DEVNULL, stderr=slave)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        os.close(master)
        self.assertEqual(proc.wait(), 0, seen)
        self.assertRegex(seen, rb"\r\x1b\[1;36m +Fetching\x1b\[0m \S+ +\[=+\] 100% (\d+)/\1 objects")
        self.assertIn(b"Created", seen)

    def test_a_new_project_builds_and_runs_from_its_packages(self):
        """packages/kernel and packages/BOARD are all a build needs: the blank
        template, declared by hand in plain CMake as cmrx.yaml says, boots in QEMU."""
        w = self.w
        self.ok(w.cmrx("new", "app1", "--template", "blank"))
        p = os.path.join(w.root, "app1")
        with open(os.path.join(p, "CMakeLists.txt"), "w") as f:
            f.write("cmake_minimum_required(VERSION 3.24)\nproject(app1 C ASM)\n"
                    "include(packages/kernel/cmake/cmrx.cmake)\n"
                    "cmrx_use_board(${CMAKE_CURRENT_SOURCE_DIR}/packages/qemu-mps2-an385)\n"
                    "cmrx_add_process(NAME app SOURCES src/app.c STACK_SIZE 1024 THREADS 1 "
                    "PRIORITY 16 SYSTEM)\ncmrx_add_firmware(NAME app1 PROCESSES app)\n")
        toolchain = os.path.join(p, "packages/kernel/cmake/toolchain/arm-none-eabi.cmake")
        for cmd in (["cmake", "-S", p, "-B", os.path.join(p, "build"), "-G", "Ninja",
                     f"-DCMAKE_TOOLCHAIN_FILE={toolchain}"],
                    ["ninja", "-C", os.path.join(p, "build")]):
            r = subprocess.run(cmd, capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        # Booted as cmrx run boots it: the SDK helper the build made starts QEMU.
        r = subprocess.run([os.path.join(p, "build/cmrx-host/cmrx-sdk"), "qemu",
                            os.path.join(p, "packages/qemu-mps2-an385"),
                            os.path.join(p, "build/app1.elf")],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("app1: hello from the app process on qemu-mps2-an385\n", r.stdout)
        self.assertIn("app1: tick 3\n", r.stdout)

    def test_new_refuses_and_validates(self):
        w = self.w
        os.makedirs(os.path.join(w.root, "taken"))
        r = w.cmrx("new", "taken")
        self.fails(r, "'taken' already exists")
        self.assertEqual(os.listdir(os.path.join(w.root, "taken")), [])
        self.fails(w.cmrx("new", "x", "--board", "nope"), "unknown board 'nope'",
                   "qemu-mps2-an385", code=2)
        self.fails(w.cmrx("new", "x", "--template", "kernel"), "unknown template 'kernel': it is a "
                   "kernel", "hello", code=2)
        # One name to suggest is named as one, and asked as a question.
        self.fails(w.cmrx("new", "x", "--template", "helo"),
                   "error: unknown template 'helo'; did you mean 'hello'?\n", code=2)
        self.fails(w.cmrx("new", "x", "--board", "qemu-mps2-an38"),
                   "did you mean one of qemu-mps2-an385, qemu-mps2-an386?\n", code=2)
        self.fails(w.cmrx("new", "9lives"), "'9lives' is not a project name", code=2)
        self.fails(w.cmrx("new", ""), "'' is not a project name", code=2)
        self.fails(w.cmrx("new", "all"), "'all' cannot be a project name", code=2)
        self.fails(w.cmrx("new", "/nonexistent/dir/x"), "folder '/nonexistent/dir' does not exist")
        self.assertEqual(sorted(e for e in os.listdir(w.root) if not e.startswith(".")),
                         ["home", "sdk", "taken"])


    def test_new_refuses_a_board_the_template_is_not_made_for(self):
        w = self.w
        # The driver template needs a timer0 (requires.peripherals), which the nRF52 DK lacks.
        r = self.fails(w.cmrx("new", "tick", "--template", "driver", "--board", "nrf52840-dk"),
                       "template 'driver' needs peripheral 'timer0' driven by "
                       "cmsdk-timer/stm32-tim, which board nrf52840-dk does not have",
                       "hint: `cmrx templates` lists the boards each template supports", code=2)
        self.assertNotIn("Adding", r.err)
        # ... and the listing does not offer it.
        listed = {t["name"]: t["boards"] for t in json.loads(w.cmrx("templates", "--json").out)}
        self.assertNotIn("nrf52840-dk", listed["driver"])
        # Neither the project nor the hidden folder it is made in.
        self.assertEqual([e for e in os.listdir(w.root) if e not in ("cache", "home", "sdk")], [])


class SdkRegistry(unittest.TestCase):
    """registry/index.json lists every kernel, board, component and template
    of this repository, consistently with their own files."""

    def setUp(self):
        with open(os.path.join(SDK, "registry/index.json")) as f:
            self.index = json.load(f)
        self.pkgs = {p["name"]: p for p in self.index["packages"]}

    def test_every_folder_is_listed(self):
        for kind, folder in (("bsp", "bsp"), ("template", "templates"), ("component", "components")):
            root = os.path.join(SDK, folder)
            names = sorted(os.listdir(root)) if os.path.isdir(root) else []
            listed = sorted(n for n, p in self.pkgs.items() if p["kind"] == kind)
            self.assertEqual(listed, names, f"{folder}/ and registry/index.json disagree")
            for n in names:
                v = self.pkgs[n]["versions"][0]
                self.assertEqual((v["git"], v.get("subdir")), (".", f"{folder}/{n}"))

    def test_boards_match_their_bsp_yaml(self):
        for name, p in self.pkgs.items():
            if p["kind"] != "bsp":
                continue
            with open(os.path.join(SDK, "bsp", name, "bsp.yaml")) as f:
                yaml = f.read()
            v = p["versions"][0]
            self.assertIn(f"\ncpu: {v['cpu']}\n", yaml, name)
            self.assertIn(f"\nversion: {v['version']}\n", yaml, name)
            for key, sub in (("qemu", "machine"), ("pyocd", "target")):
                if key in v:
                    self.assertRegex(yaml, rf"\n{key}:\s*\n(\s+\w+: .*\n)*?\s+{sub}: {v[key]}\b",
                                     name)
                else:
                    self.assertNotIn(f"\n{key}:", yaml, name)

    def test_kernel_version_matches_the_sources(self):
        with open(os.path.join(SDK, "kernel/include/cmrx/version.h")) as f:
            version = re.search(r'CMRX_VERSION_STRING "([^"]+)"', f.read()).group(1)
        self.assertEqual([v["version"] for v in self.pkgs["kernel"]["versions"]][-1], version)

    def test_templates_compile_against_the_kernel_api(self):
        """Every source of every template, as `cmrx new` makes it for each board
        the template is made for, compiles without a warning."""
        w = World()
        self.addCleanup(w.close)
        w.env.pop("CMRX_REGISTRY")
        # Templates that depend on lwIP or littlefs reach them through the
        # shared mirrors.
        missing = use_shared_mirrors(w)
        templates = json.loads(w.cmrx("templates", "--json").out)
        self.assertEqual(sorted(t["name"] for t in templates),
                         sorted(n for n, p in self.pkgs.items() if p["kind"] == "template"))
        for t in templates:
            needs = {"net": "lwip.git", "datalogger": "littlefs.git"}.get(t["name"])
            if needs is not None and any(m.endswith(needs) for m in missing):
                print(f"SKIPPED: template {t['name']}: the mirror of {needs} is absent",
                      file=sys.stderr)
                continue
            boards = ["qemu-mps2-an385"] if t["boards"] == "any" else t["boards"]
            meta = os.path.join(SDK, "templates", t["name"], "template.yaml")
            # Without template.yaml, the boards are those with the peripherals
            # it requires, whose macros differ: each is compiled for.
            with open(meta if os.path.exists(meta) else os.devnull) as f:
                values = [ln for ln in f if re.match(r"\s+[\w-]+:\s*\{\s*\S", ln)]
            if os.path.exists(meta) and not values:
                boards = boards[:1]  # no board-specific values: the same files for every board
            for board in boards:
                name = f"{t['name']}-{board}"
                r = w.cmrx("new", name, "--template", t["name"], "--board", board, timeout=300)
                self.assertEqual(r.code, 0, r)
                src = os.path.join(w.root, name, "src")
                # What the SDK gives every process: the board's macros, the
                # headers of the packages the template depends on.
                flags = ["-I", os.path.join(SDK, "kernel/include"), "-I", src,
                         f'-DCMRX_BOARD="{board}"', '-DCMRX_BOARD_CPU="cortex-m3"',
                         "-DCMRX_CPU_CORTEX_M3=1", *periph_flags(board)]
                pkgs = os.path.join(w.root, name, "packages")
                for p in sorted(os.listdir(pkgs)):
                    if os.path.isdir(os.path.join(pkgs, p, "include")) and p != "kernel":
                        flags += ["-I", os.path.join(pkgs, p, "include")]
                for c in sorted(f for f in os.listdir(src) if f.endswith(".c")):
                    r = subprocess.run(
                        ["arm-none-eabi-gcc", "-std=c11", "-Wall", "-Wextra", "-Werror",
                         "-mcpu=cortex-m3", "-mthumb", "-fsyntax-only", os.path.join(src, c),
                         *flags],
                        capture_output=True, text=True)
                    self.assertEqual(r.returncode, 0, f"{name}/src/{c}:\n{r.stderr}")

def periph_flags(board):
    """The macros the SDK gives a process for each peripheral of the board's
    bsp.yaml (the flow mappings under `peripherals:`), for a syntax check."""
    flags = []
    with open(os.path.join(SDK, "bsp", board, "bsp.yaml")) as f:
        text = f.read()
    for m in re.finditer(r"(?m)^  (\w+): \{ driver: ([\w-]+), base: (0x[0-9a-fA-F]+), "
                         r"size: (0x[0-9a-fA-F]+)(?:, irq: (\d+))?", text):
        up, drv = m.group(1).upper(), re.sub(r"[^A-Z0-9]", "_", m.group(2).upper())
        flags += [f"-DCMRX_PERIPH_{up}_BASE={m.group(3)}u", f"-DCMRX_PERIPH_{up}_SIZE={m.group(4)}u",
                  f'-DCMRX_PERIPH_{up}_DRIVER="{m.group(2)}"', f"-DCMRX_PERIPH_{up}_DRIVER_{drv}=1",
                  f"-DCMRX_PERIPH_{up}_CLOCK_HZ=25000000u"]
        if m.group(5):
            flags += [f"-DCMRX_PERIPH_{up}_IRQ={m.group(5)}u", f"-DCMRX_PERIPH_{up}_IRQS={m.group(5)}"]
    return flags


if __name__ == "__main__":
    unittest.main()
