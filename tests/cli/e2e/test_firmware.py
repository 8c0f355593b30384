"""cmrx build, run, flash, debug, size and doctor: rebuilding after edits,
compiler errors, real boards (pyOCD commands, no probe attached), gdb
sessions, the memory table, another board than cmrx.yaml's, components,
and the tools check with tools hidden from PATH."""
import json
import os
import re
import shutil
import signal
import subprocess
import unittest

from harness import CMRX, SDK, WorldTest, make_repo, write
from test_templates import sdk_boards

BUILD = 300  # seconds a command that builds may take on a busy machine


class Firmware(WorldTest):
    def setUp(self):
        super().setUp()
        self.w.env.pop("CMRX_REGISTRY")  # the default: this SDK's registry

    def new(self, name="demo", template="hello", board="qemu-mps2-an385"):
        self.ok(self.w.cmrx("new", name, "--template", template, "--board", board))
        return os.path.join(self.w.root, name)

    def edit(self, path, old, new):
        with open(path) as f:
            text = f.read()
        self.assertIn(old, text)
        write(path, text.replace(old, new, 1))

    def test_rebuilds_pick_up_edits_and_reconfigure_only_when_needed(self):
        w = self.w
        p = self.new()
        r = self.ok(w.cmrx("build", cwd=p, timeout=BUILD))
        self.assertIn("Configuring demo for qemu-mps2-an385 (debug)", r.err)
        # Generated into the build folder, not into the sources.
        gen = os.path.join(p, "build/qemu-mps2-an385/debug/cmrx/CMakeLists.txt")
        self.assertTrue(os.path.isfile(gen))
        self.assertFalse(os.path.exists(os.path.join(p, "CMakeLists.txt")))
        with open(gen) as f:
            self.assertIn("cmrx_add_firmware(NAME demo PROCESSES greeter client)", f.read())
        # A no-op build configures nothing and still shows the memory table.
        r = self.ok(w.cmrx("build", cwd=p, timeout=BUILD))
        self.assertNotIn("Configuring", r.err)
        # Its standard output, read by a script here, is the table alone:
        # not Ninja's "no work to do".
        self.assertNotIn("ninja", r.out)
        self.assertRegex(r.out, r"\AMemory of firmware 'demo'")
        self.assertRegex(r.out, r"(?m)^  greeter +code +\d+")
        self.assertRegex(r.out, r"(?m)^  client +code +\d+")
        # Reached through a symbolic link, it is the same project: its build
        # folder is not cleaned and made again.
        os.symlink(p, os.path.join(w.root, "link"))
        r = self.ok(w.cmrx("-C", os.path.join(w.root, "link"), "build", timeout=BUILD))
        self.assertNotIn("Cleaning", r.err)
        self.assertNotIn("Configuring", r.err)
        # An edited source is rebuilt, without configuring again.
        self.edit(os.path.join(p, "src/greeter.c"), '"hello #%u', '"bonjour #%u')
        r = self.ok(w.cmrx("run", "--timeout", "60", cwd=p, timeout=BUILD))
        self.assertIn("client: bonjour #3 from the greeter", r.out)
        self.assertNotIn("Configuring", r.err)
        # An edited cmrx.yaml configures again, and the table follows it;
        # `cmrx run` says where the board's other UART is after the build's
        # lines, just before QEMU starts.
        self.edit(os.path.join(p, "cmrx.yaml"), "stack_size: 1024\n    threads: 1\n    priority: 16",
                  "stack_size: 2048\n    threads: 1\n    priority: 16")
        r = self.ok(w.cmrx("run", "--timeout", "60", cwd=p, timeout=BUILD))
        self.assertIn("Configuring", r.err)
        self.assertLess(r.err.index("Configuring"), r.err.index("UART uart1 of the board"))
        self.assertLess(r.err.index("UART uart1 of the board"), r.err.index("Running"))
        size = json.loads(self.ok(w.cmrx("size", "--json", cwd=p)).out)
        client = next(x for x in size["processes"] if x["name"] == "client")
        self.assertEqual(client["stacks"]["used"], 2048)
        # --verbose shows the commands Ninja runs; without it, only their messages.
        os.utime(os.path.join(p, "src/client.c"))
        r = self.ok(w.cmrx("build", "--verbose", cwd=p, timeout=BUILD))
        self.assertRegex(r.out, r"arm-none-eabi-gcc .* -c \S*/src/client\.c")
        os.utime(os.path.join(p, "src/client.c"))
        r = self.ok(w.cmrx("build", cwd=p, timeout=BUILD))
        self.assertNotIn("arm-none-eabi-gcc", r.out + r.err)

    def test_day_one_settings_jobs_clean_and_compile_commands(self):
        w = self.w
        p = self.new()
        # Definitions and options for the project and per process reach the
        # compiler after -Wall -Wextra; the process's own come last.
        self.edit(os.path.join(p, "cmrx.yaml"), "dependencies:\n",
                  "defines: [GREETINGS=3]\ncflags: [-Wshadow]\ndependencies:\n")
        self.edit(os.path.join(p, "cmrx.yaml"), "    sources: [src/client.c]\n",
                  "    sources: [src/client.c]\n    defines: ['WHO=\"you\"']\n"
                  "    cflags: [-Wno-shadow]\n")
        self.edit(os.path.join(p, "src/client.c"), "#include", "#if GREETINGS != 3\n"
                  "#error GREETINGS\n#endif\nstatic const char who[] = WHO;\n"
                  "const char *client_who(void) { return who; }\n#include")
        r = self.ok(w.cmrx("build", "-j", "2", cwd=p, timeout=BUILD))
        link = os.path.join(p, "compile_commands.json")
        self.assertEqual(os.readlink(link), "build/qemu-mps2-an385/debug/compile_commands.json")
        with open(link) as f:
            commands = {os.path.basename(c["file"]): c["command"] for c in json.load(f)}
        self.assertRegex(commands["client.c"],
                         r"-DGREETINGS=3 .*-Wall -Wextra .*-Wshadow -Wno-shadow")
        self.assertIn("-Wall -Wextra", commands["greeter.c"])
        self.assertNotIn("WHO", commands["greeter.c"])
        # -Wall is on: an unused variable is reported (a warning, not an error).
        self.edit(os.path.join(p, "src/greeter.c"), "#include",
                  "static int unused_helper(void) { int x = 1; return 0; }\n#include")
        r = self.ok(w.cmrx("build", cwd=p, timeout=BUILD))
        self.assertIn("-Wunused", r.out + r.err)
        # A bad value is refused at its line, before anything is built.
        yaml = os.path.join(p, "cmrx.yaml")
        with open(yaml) as f:
            good = f.read()
        for old, bad, msg in (
                ("cflags: [-Wshadow]", "cflags: [-mcpu=cortex-m4]", "is chosen by the board"),
                ("cflags: [-Wshadow]", "cflags: [O2]", "not a compiler option"),
                ("defines: [GREETINGS=3]", "defines: [2BAD]", "a definition is NAME or NAME=VALUE")):
            write(yaml, good.replace(old, bad))
            self.fails(w.cmrx("build", cwd=p), msg, "cmrx.yaml:")
        write(yaml, good)
        self.assertEqual(w.cmrx("build", "-j", "0", cwd=p).code, 2)
        # clean deletes build/ and the editors' link, nothing else.
        r = self.ok(w.cmrx("clean", cwd=p))
        self.assertIn("Removed", r.err)
        self.fails(w.cmrx("size", "--board", "host", cwd=p), "board host has no memory table")
        self.assertFalse(os.path.exists(os.path.join(p, "build")))
        self.assertFalse(os.path.lexists(link))
        self.assertTrue(os.path.isfile(os.path.join(p, "cmrx.lock")))
        self.assertTrue(os.path.isdir(os.path.join(p, "packages/kernel")))
        # A compile_commands.json of the user's own is left alone.
        write(link, "[]\n")
        self.ok(w.cmrx("build", cwd=p, timeout=BUILD))
        self.assertFalse(os.path.islink(link))
        self.ok(w.cmrx("clean", cwd=p))
        self.assertTrue(os.path.isfile(link))

    def test_a_mistyped_board_is_named_in_one_command(self):
        w = self.w
        p = self.new()
        self.edit(os.path.join(p, "cmrx.yaml"), "board: qemu-mps2-an385", "board: qemu-mps2-an358")
        r = self.fails(w.cmrx("build", cwd=p), "cmrx.yaml:", "unknown board 'qemu-mps2-an358'",
                       "did you mean one of qemu-mps2-an385")
        # `cmrx update` reads the same line the same way, with the boards to choose from.
        self.assertEqual(self.fails(w.cmrx("update", cwd=p), "hint: boards in ").err, r.err)
        self.edit(os.path.join(p, "cmrx.yaml"), "board: qemu-mps2-an358", "board: qemu-mps2-an385")
        self.fails(w.cmrx("run", "--board", "qemu-mps2-an50", cwd=p), "did you mean",
                   "qemu-mps2-an500", code=2)

    def test_a_kernel_package_older_than_the_tool_is_named(self):
        """A project whose lock holds a kernel package from before the CMake
        interface level this cmrx writes for (here one whose cmrx.cmake has
        none, as before 2026-12-05) is told so and how to update it, before
        CMake meets a function it does not know; `cmrx update kernel` then
        makes it build."""
        w = self.w
        p = self.new(template="blank")
        sdk = os.path.join(p, "packages/kernel/cmake/cmrx.cmake")
        self.edit(sdk, "set(CMRX_CMAKE_API 2)\n", "")
        r = w.cmrx("build", cwd=p, timeout=BUILD)
        self.assertEqual(r.code, 1, r)
        said = " ".join(r.err.split())  # CMake wraps its messages
        for part in ("packages/kernel is older than this cmrx", "this cmrx writes for level 2",
                     "`cmrx update kernel` moves it"):
            self.assertIn(part, said)
        self.assertNotIn("Unknown CMake command", said)
        self.ok(w.cmrx("update", "kernel", cwd=p))
        self.ok(w.cmrx("build", cwd=p, timeout=BUILD))

    def test_compiler_errors_pass_through_with_file_and_line(self):
        w = self.w
        p = self.new(template="blank")
        app = os.path.join(p, "src/app.c")
        with open(app) as f:
            lines = f.read().split("\n")
        lines.insert(3, "int broken(void) { return undeclared_thing; }")
        write(app, "\n".join(lines))
        r = w.cmrx("build", cwd=p, timeout=BUILD)
        self.assertEqual(r.code, 1, r)
        self.assertRegex(r.out + r.err, re.escape(app) + r":4:\d+: error: 'undeclared_thing' "
                         r"undeclared")
        self.assertIn("error: the build of demo failed", r.err)
        # A source cmrx.yaml names but that is not there: the file and line of cmrx.yaml.
        self.edit(os.path.join(p, "cmrx.yaml"), "sources: [src/app.c]", "sources: [src/nope.c]")
        r = w.cmrx("build", cwd=p, timeout=BUILD)
        self.fails(r, "cmrx.yaml:10: process 'app': source 'src/nope.c' does not exist")

    def test_size_and_build_json(self):
        w = self.w
        p = self.new()
        self.fails(w.cmrx("size", cwd=p), "no build of demo for qemu-mps2-an385 (debug) yet",
                   "run `cmrx build` first")
        self.fails(w.cmrx("size", "--release", cwd=p), "(release) yet",
                   "run `cmrx build --release` first")
        # It builds nothing, so it writes nothing: not even the other board's package.
        self.fails(w.cmrx("size", "--board", "qemu-mps2-an500", cwd=p),
                   "no build of demo for qemu-mps2-an500 (debug) yet",
                   "run `cmrx build --board qemu-mps2-an500` first")
        self.assertFalse(os.path.exists(os.path.join(p, "build")))
        r = self.ok(w.cmrx("build", "--json", cwd=p, timeout=BUILD))
        out = json.loads(r.out)  # stdout is only the JSON; the build's output went to stderr
        self.assertEqual((out["firmware"], out["board"], out["profile"]),
                         ("demo", "qemu-mps2-an385", "debug"))
        for key in ("elf", "hex", "bin"):
            self.assertTrue(os.path.isfile(out[key]), out[key])
        self.assertEqual([x["name"] for x in out["size"]["processes"]], ["greeter", "client"])
        r = self.ok(w.cmrx("size", cwd=p))
        self.assertIn("Memory of firmware 'demo' on qemu-mps2-an385 (armv7m MPU)", r.out)
        self.assertRegex(r.out, r"(?m)^               stacks +- +1024  1 x 1024 B")
        self.assertRegex(r.out, r"MPU alignment waste \d+ bytes")
        with open(os.path.join(p, "build/qemu-mps2-an385/debug/demo.size.json")) as f:
            self.assertEqual(json.loads(self.ok(w.cmrx("size", "--json", cwd=p)).out), json.load(f))
        # The release build is another build folder, without debug information.
        r = self.ok(w.cmrx("build", "--release", cwd=p, timeout=BUILD))
        self.assertIn("Finished build/qemu-mps2-an385/release/demo.elf", r.err)
        flags = {}
        for profile in ("debug", "release"):
            with open(os.path.join(p, f"build/qemu-mps2-an385/{profile}/build.ninja")) as f:
                flags[profile] = re.findall(r"(?m)^  FLAGS = (.*)$", f.read())
        self.assertTrue(all(re.search(r" -Os -g\b", x) for x in flags["debug"]), flags["debug"])
        self.assertTrue(all("-Os -DNDEBUG" in x and not re.search(r" -g\b", x)
                            for x in flags["release"]), flags["release"])

    def test_updatable_process(self):
        """cmrx.yaml declares an updatable process (docs/updating.md): the
        build links it into its slot, seals its image and shows the image
        and the RAM against their reserves; it runs as before."""
        w = self.w
        p = self.new()
        y = os.path.join(p, "cmrx.yaml")
        self.edit(y, "fault_policy: restart # a crash restarts the service, callers get an error\n",
                  "fault_policy: restart # a crash restarts the service, callers get an error\n"
                  "    flash_reserve: 4K\n    ram_reserve: 512\n    version: 7\n")
        self.edit(y, "system: true # may end the firmware with cmrx_shutdown()",
                  "system: true # may end the firmware with cmrx_shutdown()\n    updater: true")
        self.edit(os.path.join(p, "src/greeter.c"), "CMRX_EXPORT struct greeter",
                  "CMRX_SERVICE struct greeter")
        r = self.ok(w.cmrx("build", cwd=p, timeout=BUILD))
        self.assertRegex(r.out, r"(?m)^  greeter +image +(\d+) +- +2 slots of 4096 B")
        used = int(re.search(r"(?m)^  greeter +image +(\d+)", r.out).group(1))
        self.assertRegex(r.out, rf"(?m)^ +reserve +{4096 - used} +- +free in its slot")
        self.assertRegex(r.out, r"(?m)^ +data +- +\d+  512 B ")
        size = json.loads(self.ok(w.cmrx("size", "--json", cwd=p)).out)
        g = next(x for x in size["processes"] if x["name"] == "greeter")
        self.assertEqual((g["image"]["slot_size"], g["image"]["slots"], g["image"]["version"]),
                         (4096, 2, 7))
        self.assertEqual(g["data"]["reserve"], 512)
        with open(os.path.join(p, "build/qemu-mps2-an385/debug/demo.greeter.img"), "rb") as f:
            image = f.read()
        self.assertEqual(len(image), used)
        self.assertEqual(image[:4], b"CIMG")
        r = self.ok(w.cmrx("run", "--timeout", "60", cwd=p, timeout=BUILD))
        self.assertIn("client: hello #3 from the greeter", r.out)
        # A RAM reserve without a flash reserve is a mistake cmrx.yaml names.
        self.edit(y, "    flash_reserve: 4K\n", "")
        self.fails(w.cmrx("build", cwd=p, timeout=BUILD), "ram_reserve and version are for an "
                   "updatable process")

    def test_updatable_process_on_real_boards(self):
        """Every real board takes updates in the field (docs/updating.md):
        its kernel links the board's flash driver and the commit log, and
        the slots and the log are whole erase units of its flash
        (bsp.yaml memory.flash.erase_size). A flash reserve that is not is
        refused, naming the unit."""
        w = self.w
        # Each board's erase unit, and a function of its driver: the BSP's
        # flash_hw.c under the kernel's name, or the Pico's routine in RAM.
        boards = {"b-l475e-iot01a": (2048, "cmrx_kernel_flash_erase"),
                  "nrf52840-dk": (4096, "cmrx_kernel_flash_erase"),
                  "qemu-netduinoplus2": (131072, "cmrx_kernel_flash_erase"),
                  "rp2040-pico": (4096, "flash_in_ram")}
        for board, (unit, driver) in boards.items():
            with self.subTest(board=board):
                name = "u" + board.replace("-", "")
                p = self.new(name=name, board=board)
                y = os.path.join(p, "cmrx.yaml")
                reserve = 2 * unit
                self.edit(y, "fault_policy: restart # a crash restarts the service, callers get "
                          "an error\n", "fault_policy: restart\n"
                          f"    flash_reserve: {reserve}\n    ram_reserve: 512\n    version: 1\n")
                self.edit(os.path.join(p, "src/greeter.c"), "CMRX_EXPORT struct greeter",
                          "CMRX_SERVICE struct greeter")
                r = self.ok(w.cmrx("build", cwd=p, timeout=BUILD))
                self.assertRegex(r.out, rf"(?m)^  greeter +image +\d+ +- +2 slots of {reserve} B")
                out = os.path.join(p, "build", board, "debug")
                with open(os.path.join(out, f"{name}.cmrx", "update.cmake")) as f:
                    v = dict(re.findall(r"set\((\w+) (0x[0-9a-f]+|\d+)\)", f.read()))
                self.assertEqual(int(v["COMMIT_LOG_UNIT"], 0), unit)
                for k in ("COMMIT_LOG", "greeter_SLOT_A", "greeter_SLOT_B"):
                    self.assertEqual(int(v[k], 0) % unit, 0, k)
                self.assertEqual(int(v["greeter_SLOT_B"], 0) + reserve, int(v["COMMIT_LOG"], 0))
                syms = subprocess.run(["arm-none-eabi-nm", os.path.join(out, name + ".elf")],
                                      capture_output=True, text=True, check=True).stdout
                for sym in ("bsp_flash_erase", "bsp_flash_program", "commit_log_append", driver):
                    self.assertRegex(syms, rf"(?m) [Tt] {sym}$")
                self.edit(y, f"flash_reserve: {reserve}", f"flash_reserve: {reserve + 256}")
                r = w.cmrx("build", cwd=p, timeout=BUILD)
                self.assertNotEqual(r.code, 0, r)
                self.assertIn(f"process greeter: flash_reserve {reserve + 256} is not a whole "
                              f"number of the board's flash erase units ({unit} bytes)",
                              re.sub(r"\s+", " ", r.err))  # (CMake wraps its messages)

    def test_missing_packages_are_fetched_and_a_moved_project_builds(self):
        w = self.w
        p = self.new(template="blank")
        self.ok(w.cmrx("build", cwd=p, timeout=BUILD))
        shutil.rmtree(os.path.join(p, "packages"))
        r = self.ok(w.cmrx("build", cwd=p, timeout=BUILD))
        self.assertIn("Fetching packages/ from cmrx.lock", r.err)
        moved = os.path.join(w.root, "moved")
        os.rename(p, moved)
        r = self.ok(w.cmrx("run", "--timeout", "60", cwd=moved, timeout=BUILD))
        self.assertIn("Cleaning build/qemu-mps2-an385/debug", r.err)
        self.assertIn("demo: tick 3", r.out)

    def test_ctrl_c_and_timeout_stop_qemu(self):
        w = self.w
        p = self.new(template="blank")
        self.edit(os.path.join(p, "src/app.c"), "tick <= 3", "tick <= 1000000")
        self.ok(w.cmrx("build", cwd=p, timeout=BUILD))
        elf = os.path.join(p, "build/qemu-mps2-an385/debug/demo.elf")
        r = w.cmrx("run", "--timeout", "1", cwd=p, timeout=BUILD)
        self.fails(r, "the firmware was still running after 1 s, so QEMU was stopped", code=124)
        self.assertIn("demo: tick 1", r.out)
        # cmrx says why QEMU stopped; QEMU's own line about the SIGTERM is not shown.
        self.assertNotIn("terminating on signal", r.err)
        self.assertRegex(r.err, r"\(machine mps2-an385\)\nerror: the firmware was still running")
        # QEMU's other errors pass, that line too when another process sent the signal.
        fake = os.path.join(w.root, "fakebin")
        os.makedirs(fake)
        write(os.path.join(fake, "qemu-system-arm"),
              "#!/bin/sh\necho 'qemu-system-arm: cannot load kernel' >&2\n"
              "echo 'qemu-system-arm: terminating on signal 15 from pid 1 (init)' >&2\nexit 1\n")
        os.chmod(os.path.join(fake, "qemu-system-arm"), 0o755)
        r = w.cmrx("run", cwd=p, env={"PATH": fake + os.pathsep + os.environ["PATH"]})
        self.fails(r, "qemu-system-arm: cannot load kernel\n"
                      "qemu-system-arm: terminating on signal 15 from pid 1 (init)\n"
                      "error: firmware demo ended with exit status 1")
        # Ctrl-C on a terminal reaches the whole foreground process group.
        env = dict(w.env)
        proc = subprocess.Popen([CMRX, "run"], cwd=p, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        self.assertIn(b"[cmrx] CMRX", proc.stdout.readline())
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 130, err)
        self.assertIn(b"Stopped QEMU (interrupted)", err)
        self.assertNotIn(b"error:", err)
        self.assertEqual(subprocess.run(["pgrep", "-f", elf], capture_output=True).returncode, 1,
                         "QEMU is left running")
        # A signal sent to cmrx alone (a CI runner's or an IDE's stop): it is
        # passed on to QEMU, and the status is the signal's, as a shell shows
        # it (QEMU itself exits 0 on SIGTERM).
        for sig, status, word in ((signal.SIGTERM, 143, b"terminated"),
                                  (signal.SIGINT, 130, b"interrupted")):
            proc = subprocess.Popen([CMRX, "run"], cwd=p, env=env, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    start_new_session=True)
            self.assertIn(b"[cmrx] CMRX", proc.stdout.readline())
            proc.send_signal(sig)
            out, err = proc.communicate(timeout=30)
            self.assertEqual(proc.returncode, status, err)
            self.assertIn(b"Stopped QEMU (" + word + b")", err)
            self.assertEqual(subprocess.run(["pgrep", "-f", elf], capture_output=True).returncode,
                             1, "QEMU is left running")
        # `cmrx run | head -1`: once the reader is gone, QEMU is stopped, not
        # left running until --timeout.
        reader_r, reader_w = os.pipe()
        proc = subprocess.Popen([CMRX, "run", "--timeout", "200"], cwd=p, env=env,
                                stdin=subprocess.DEVNULL, stdout=reader_w,
                                stderr=subprocess.PIPE)
        os.close(reader_w)
        with os.fdopen(reader_r, "rb") as reader:
            self.assertIn(b"[cmrx] CMRX", reader.readline())
        _, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 141, err)
        self.assertIn(b"Stopped QEMU (nothing reads its output any more)", err)
        self.assertEqual(subprocess.run(["pgrep", "-f", elf], capture_output=True).returncode, 1,
                         "QEMU is left running")

    def test_another_board_than_cmrx_yaml(self):
        w = self.w
        p = self.new()
        with open(os.path.join(p, "cmrx.lock")) as f:
            lock = f.read()
        r = self.ok(w.cmrx("run", "--board", "qemu-mps2-an386", "--timeout", "60", cwd=p,
                           timeout=BUILD))
        self.assertIn("client: 3 greetings", r.out)
        self.assertIn("on qemu-mps2-an386 in QEMU (machine mps2-an386)", r.err)
        self.assertTrue(os.path.isfile(
            os.path.join(p, "build/qemu-mps2-an386/packages/qemu-mps2-an386/bsp.yaml")))
        self.assertTrue(os.path.isfile(os.path.join(p, "build/qemu-mps2-an386/debug/demo.elf")))
        with open(os.path.join(p, "cmrx.lock")) as f:
            self.assertEqual(f.read(), lock)
        self.assertEqual(sorted(os.listdir(os.path.join(p, "packages"))),
                         ["kernel", "qemu-mps2-an385"])
        self.fails(w.cmrx("run", "--board", "nope", cwd=p), "unknown board 'nope'", code=2)

    def test_flash_one_process(self):
        """flash --process P programs only updatable P on a real board: a
        .hex with its slot-A image as built and slot B's header erased, so
        that the kernel boots slot A whatever its commit log names
        (docs/updating.md), through pyOCD; dry-run builds it and
        prints the command. A process that is not updatable, or not there,
        is refused before anything is programmed."""
        w = self.w
        board = "nrf52840-dk"
        p = self.new(name="one", board=board)
        y = os.path.join(p, "cmrx.yaml")
        self.edit(y, "fault_policy: restart # a crash restarts the service, callers get an error\n",
                  "fault_policy: restart # a crash restarts the service, callers get an error\n"
                  "    flash_reserve: 4K\n    ram_reserve: 512\n    version: 3\n")
        self.edit(os.path.join(p, "src/greeter.c"), "CMRX_EXPORT struct greeter",
                  "CMRX_SERVICE struct greeter")
        legacy = w.path_without("pyocd")
        r = self.ok(w.cmrx("flash", "--process", "greeter", "--dry-run", cwd=p,
                           env={"PATH": legacy}, timeout=BUILD))
        d = os.path.join(p, "build", board, "debug")
        hexfile = os.path.join(d, "one.greeter.slot.hex")
        self.assertEqual(r.out, f"pyocd-flashtool -t nrf52840 {hexfile}\n")
        # The file: the image at slot A, 64 bytes of 0xFF at slot B, nothing else.
        mem, upper = {}, 0
        with open(hexfile) as f:
            for line in f:
                raw = bytes.fromhex(line.strip()[1:])
                self.assertEqual(sum(raw) & 0xFF, 0, line)
                n, addr, kind, data = raw[0], int.from_bytes(raw[1:3], "big"), raw[3], raw[4:-1]
                self.assertEqual(len(data), n)
                if kind == 4:
                    upper = int.from_bytes(data, "big") << 16
                elif kind == 0:
                    for i, byte in enumerate(data):
                        mem[upper + addr + i] = byte
                else:
                    self.assertEqual(kind, 1)
        with open(os.path.join(d, "one.cmrx", "update.cmake")) as f:
            places = dict(re.findall(r"set\(greeter_(SLOT_A|SLOT_B) (0x[0-9a-f]+)\)", f.read()))
        slot, slot_b = int(places["SLOT_A"], 16), int(places["SLOT_B"], 16)
        with open(os.path.join(d, "one.greeter.img"), "rb") as f:
            image = f.read()
        self.assertEqual(int.from_bytes(image[44:48], "little"), 3)  # its version
        want = {slot + i: b for i, b in enumerate(image)}
        want.update({slot_b + i: 0xFF for i in range(64)})
        self.assertEqual(mem, want)
        # A current pyOCD gets the same file; no probe is attached here.
        modern = os.path.join(w.root, "modern-bin")
        write(os.path.join(modern, "pyocd"),
              "#!/bin/sh\necho \"$@\" >> \"$0.args\"\necho 'No connected debug probes'\nexit 1\n",
              0o755)
        r = w.cmrx("flash", "--process", "greeter", cwd=p, env={"PATH": modern + ":" + legacy},
                   timeout=BUILD)
        self.fails(r, "no debug probe is connected")
        self.assertIn(f"Flashing process greeter version 3 ({len(image)} bytes) into slot A at "
                      f"0x{slot:08x}, slot B's header at 0x{slot_b:08x} erased", r.err)
        with open(os.path.join(modern, "pyocd.args")) as f:
            self.assertEqual(f.read(), f"flash -t nrf52840 {hexfile}\n")
        self.fails(w.cmrx("flash", "--process", "client", "--dry-run", cwd=p,
                          env={"PATH": legacy}), "process 'client' is not updatable")
        self.fails(w.cmrx("flash", "--process", "nobody", "--dry-run", cwd=p,
                          env={"PATH": legacy}), "cmrx.yaml has no process 'nobody'")

    def test_real_boards_flash_debug_and_run(self):
        """flash --dry-run names each real board's pyOCD target, with Debian's
        pyocd-flashtool or a current `pyocd`; with no probe attached flash fails
        clearly; run on a board QEMU does not emulate explains itself."""
        w = self.w
        real = {n: v for n, v in sdk_boards().items() if v.get("pyocd")}
        self.assertIn("nrf52840-dk", real)
        legacy = w.path_without("pyocd")
        modern = os.path.join(w.root, "modern-bin")
        # A stand-in for a current pyOCD: records its arguments, has no probe either.
        write(os.path.join(modern, "pyocd"),
              "#!/bin/sh\necho \"$@\" >> \"$0.args\"\necho 'No connected debug probes'\nexit 1\n",
              0o755)
        for board, v in sorted(real.items()):
            with self.subTest(board=board):
                p = self.new(name=f"fw-{board}", board=board)
                hexfile = os.path.join(p, f"build/{board}/debug/fw-{board}.hex")
                r = self.ok(w.cmrx("flash", "--dry-run", cwd=p, env={"PATH": legacy}))
                self.assertEqual(r.out, f"pyocd-flashtool -t {v['pyocd']} {hexfile}\n")
                r = self.ok(w.cmrx("flash", "--dry-run", "--probe", "0240000034544e45", cwd=p,
                                   env={"PATH": legacy}))
                self.assertEqual(r.out,
                                 f"pyocd-flashtool -t {v['pyocd']} -b 0240000034544e45 {hexfile}\n")
                r = self.ok(w.cmrx("flash", "--dry-run", "--probe", "0240000034544e45", cwd=p,
                                   env={"PATH": modern + ":" + legacy}))
                self.assertEqual(r.out,
                                 f"pyocd flash -t {v['pyocd']} -u 0240000034544e45 {hexfile}\n")
                r = self.ok(w.cmrx("debug", "--print-only", "--probe", "X1", cwd=p,
                                   env={"PATH": legacy}))
                server, gdb = r.out.splitlines()
                port = re.fullmatch(rf"pyocd-gdbserver -t {v['pyocd']} -b X1 -p (\d+)",
                                    server).group(1)
                self.assertEqual(gdb, f"gdb-multiarch -q {p}/build/{board}/debug/fw-{board}.elf "
                                 f"-x {p}/packages/kernel/tools/gdb/cmrx.py "
                                 f"-ex 'target remote localhost:{port}' -ex load "
                                 "-ex 'monitor reset halt'")
                self.assertFalse(os.path.exists(os.path.join(p, "build")), "dry runs build nothing")
                if not v.get("qemu"):
                    self.fails(w.cmrx("run", cwd=p), f"board {board} is not emulated",
                               f"packages/{board}/bsp.yaml", "`cmrx flash`")
                    self.assertFalse(os.path.exists(os.path.join(p, "build")))
        # Programming for real: no probe is attached to this machine.
        p = os.path.join(w.root, "fw-nrf52840-dk")
        r = w.cmrx("flash", cwd=p, env={"PATH": modern + ":" + legacy}, timeout=BUILD)
        self.fails(r, "no debug probe is connected, so board nrf52840-dk cannot be reached",
                   "--probe UID")
        with open(os.path.join(modern, "pyocd.args")) as f:
            self.assertEqual(f.read(), "flash -t nrf52840 "
                             f"{p}/build/nrf52840-dk/debug/fw-nrf52840-dk.hex\n")
        if shutil.which("pyocd-flashtool", path=legacy):
            r = w.cmrx("flash", cwd=p, env={"PATH": legacy}, timeout=BUILD)
            self.fails(r, "no debug probe is connected", "Flashing build/nrf52840-dk/debug/")
            # Debian's pyOCD 0.13 has no support for the Netduino's STM32F405.
            r = w.cmrx("flash", cwd=os.path.join(w.root, "fw-qemu-netduinoplus2"),
                       env={"PATH": legacy}, timeout=BUILD)
            self.fails(r, "this pyOCD does not know target 'stm32f405rg' of board "
                       "qemu-netduinoplus2", "pyocd pack install stm32f405rg")
        # An emulated board without a pyOCD target cannot be flashed.
        p = self.new(name="emu")
        self.fails(w.cmrx("flash", "--dry-run", cwd=p), "board qemu-mps2-an385 has no pyOCD "
                   "target", "`cmrx run`")
        # No pyOCD at all.
        self.fails(w.cmrx("flash", cwd=os.path.join(w.root, "fw-nrf52840-dk"),
                          env={"PATH": w.path_without("pyocd", "pyocd-flashtool")}),
                   "cmrx flash needs pyOCD, which is not installed", "python3-pyocd")

    def test_debug_in_qemu(self):
        w = self.w
        p = self.new()
        elf = f"{p}/build/qemu-mps2-an385/debug/demo.elf"
        r = self.ok(w.cmrx("debug", "--print-only", cwd=p))
        server, gdb = r.out.splitlines()
        # The board's storage is backed by build/BOARD/storage.img (made when QEMU starts).
        port = re.fullmatch(r"qemu-system-arm -machine mps2-an385 -display none -monitor none "
                            r"-machine memory-backend=cmrx.storage -object "
                            r"memory-backend-file,id=cmrx.storage,size=16777216,mem-path="
                            rf"{re.escape(p)}/build/qemu-mps2-an385/storage.img,share=on "
                            r"-serial stdio -semihosting-config enable=on,target=native "
                            rf"-kernel {re.escape(elf)} -gdb tcp:localhost:(\d+) -S",
                            server).group(1)
        self.assertEqual(gdb, f"gdb-multiarch -q {elf} -x {p}/packages/kernel/tools/gdb/cmrx.py "
                              f"-ex 'target remote localhost:{port}'")
        self.assertFalse(os.path.exists(os.path.join(p, "build")))
        # A whole session: gdb reads its commands from stdin when it is not a terminal.
        # The breakpoint goes once hit: on a loaded machine it was once
        # reported twice in a row at the same place (QEMU in real time, its gdb
        # stub), and the second report took the second continue (CI, 2026-12-04).
        r = w.cmrx("debug", cwd=p, timeout=BUILD,
                   stdin="break client_main\ncontinue\ndelete\ncontinue\nquit\n")
        self.assertEqual(r.code, 0, r)
        self.assertRegex(r.out, r"Breakpoint 1, client_main \(")
        self.assertIn("client: 3 greetings, done on qemu-mps2-an385", r.out)
        self.assertIn("exited normally", r.out)
        self.assertIn("qemu-system-arm serves gdb on localhost:", r.err)
        self.assertEqual(subprocess.run(["pgrep", "-f", elf], capture_output=True).returncode, 1,
                         "QEMU is left running")

    def test_doctor_names_the_missing_packages(self):
        w = self.w
        r = w.cmrx("doctor")
        self.assertIn("arm-none-eabi-gcc", r.out)
        if r.code == 0:
            self.assertIn("Ready", r.err)
            self.assertNotIn("MISSING", r.out)
        hidden = w.path_without("qemu-system-arm", "ninja")
        r = w.cmrx("doctor", env={"PATH": hidden})
        self.fails(r, "hint: sudo apt-get install ninja-build qemu-system-arm")
        self.assertRegex(r.out, r"(?m)^qemu-system-arm +MISSING +not found on PATH +"
                         r"qemu-system-arm +run, debug$")
        self.assertRegex(r.out, r"(?m)^ninja +MISSING +not found on PATH +ninja-build +build$")
        self.assertRegex(r.out, r"(?m)^cmake +ok +\d+\.\d+")
        # Both streams in one file, as in a CI log: the verdict (stderr) comes
        # after the table (stdout), whose STATUS column lines up on every row,
        # the longest tool name's too.
        both = subprocess.run([CMRX, "doctor"], env=dict(w.env, PATH=hidden), cwd=w.root,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
        lines = both.splitlines()
        self.assertTrue(lines[-2].startswith("error: ") and lines[-1].startswith("hint: "), both)
        self.assertIn("CONFIG", both[:both.index("error: ")])
        table = lines[:lines.index("")]
        self.assertIn("arm-none-eabi-addr2line", both)
        self.assertEqual({l.index(" ok " if " ok " in l else " MISSING ") for l in table[1:]},
                         {table[0].index(" STATUS ")}, both)
        checks = {c["tool"]: c for c in json.loads(w.cmrx("doctor", "--json",
                                                          env={"PATH": hidden}).out)}
        self.assertFalse(checks["qemu-system-arm"]["ok"])
        self.assertEqual(checks["qemu-system-arm"]["package"], "qemu-system-arm")
        self.assertTrue(checks["newlib"]["ok"], checks["newlib"])
        # The commands that need a hidden tool say which package provides it.
        p = self.new()
        self.fails(w.cmrx("run", cwd=p, env={"PATH": hidden}), "cmrx run needs qemu-system-arm",
                   "sudo apt-get install qemu-system-arm")
        self.fails(w.cmrx("build", cwd=p, env={"PATH": hidden}), "cmrx build needs ninja",
                   "ninja-build")


class Components(WorldTest):
    """A component package from its own git repository (docs/components.md):
    its component.cmake adds its process to the firmware and its client
    library to the project's processes."""

    def test_component_processes_are_built_and_run(self):
        w = self.w
        remote = make_repo(w.root, "pinger", [("1.0.0", {
            "component.cmake":
                "cmrx_component_library(NAME pinger_client\n"
                "    SOURCES ${CMAKE_CURRENT_LIST_DIR}/src/client.c\n"
                "    INCLUDE_DIRS ${CMAKE_CURRENT_LIST_DIR}/include)\n"
                "cmrx_component_process(NAME pinger SOURCES ${CMAKE_CURRENT_LIST_DIR}/src/pinger.c\n"
                "    LIBS pinger_client PRIORITY 8)\n",
            "include/pinger.h": "const char *pinger_word(void);\n",
            "src/client.c": '#include "pinger.h"\nconst char *pinger_word(void)\n{\n'
                            '    return "pong";\n}\n',
            "src/pinger.c": '#include <cmrx/cmrx.h>\n#include "pinger.h"\n'
                            "static int pinger_main(void *arg)\n{\n    (void)arg;\n"
                            '    cmrx_printf("pinger: %s\\n", pinger_word());\n    return 0;\n}\n'
                            "CMRX_THREAD(pinger_main, NULL);\n",
        })])
        reg = os.path.join(w.root, "registry")

        def sdk(subdir, **extra):
            return dict({"version": "0.1.0", "git": SDK, "branch": "HEAD", "subdir": subdir},
                        **extra)
        index = {"schema": 1, "packages": [
            {"name": "kernel", "kind": "kernel", "description": "k", "versions": [sdk("kernel")]},
            {"name": "qemu-mps2-an385", "kind": "bsp", "description": "b",
             "versions": [sdk("bsp/qemu-mps2-an385", cpu="cortex-m3", qemu="mps2-an385")]},
            {"name": "blank", "kind": "template", "description": "t",
             "versions": [sdk("templates/blank")]},
            {"name": "pinger", "kind": "component", "description": "c",
             "versions": [{"version": "1.0.0", "git": remote}]},
        ]}
        write(os.path.join(reg, "index.json"), json.dumps(index))
        w.env["CMRX_REGISTRY"] = reg
        self.ok(w.cmrx("new", "app", "--template", "blank"))
        p = os.path.join(w.root, "app")
        self.ok(w.cmrx("add", "pinger", cwd=p))
        # The project's process uses the component's client library.
        app = os.path.join(p, "src/app.c")
        with open(app) as f:
            text = f.read()
        self.assertIn('cmrx_printf("app: hello', text)
        write(app, '#include "pinger.h"\n' + text.replace(
            'cmrx_printf("app: hello', 'cmrx_printf("app: %s, hello", pinger_word());\n'
            '    cmrx_printf("app: hello'))
        r = self.ok(w.cmrx("run", "--timeout", "60", cwd=p, timeout=BUILD))
        self.assertIn("pinger: pong", r.out)
        self.assertIn("app: pong, hello", r.out)
        self.assertIn("app: tick 3", r.out)
        size = json.loads(self.ok(w.cmrx("size", "--json", cwd=p)).out)
        self.assertEqual([x["name"] for x in size["processes"]], ["app", "pinger"])
        with open(os.path.join(p, "build/qemu-mps2-an385/debug/cmrx/CMakeLists.txt")) as f:
            self.assertIn(f'include("{p}/packages/pinger/component.cmake")', f.read())
        # A wrong component.cmake stops the build with CMake's words and its file.
        comp = os.path.join(p, "packages/pinger/component.cmake")
        os.chmod(comp, 0o644)
        with open(comp, "a") as f:
            f.write("cmrx_component_process(NAME broken)\n")
        r = w.cmrx("build", cwd=p, timeout=BUILD)
        self.fails(r, "SOURCES is required", "packages/pinger/component.cmake:6",
                   "error: the build of app failed")
        os.remove(comp)
        self.fails(w.cmrx("build", cwd=p), "component 'pinger' has no component.cmake")
        self.ok(w.cmrx("fetch", cwd=p))  # restores it
        self.ok(w.cmrx("build", cwd=p, timeout=BUILD))


if __name__ == "__main__":
    unittest.main()
