"""The main job, end to end, from this SDK's own registry: `cmrx new` from
every template, `cmrx build`, `cmrx run` on every emulated board, judged by
the firmware's own verdict (its cmrx_shutdown() code is cmrx's exit status)
and by its console output."""
import json
import os
import shutil
import unittest

from harness import SDK, SHARED_MIRRORS, WorldTest, use_shared_mirrors, write

# What each template prints when it works; {name} and {board} are filled in.
EXPECT = {
    "hello": ["greeter: ready in its own memory", "client: hello #3 from the greeter",
              "client: 3 greetings, done on {board}", "[cmrx] shutdown by process client, code 0"],
    "blank": ["{name}: hello from the app process on {board}", "{name}: tick 3"],
    "driver": ["app: round 3, ", "app: done on {board}"],
    "datalogger": ["viewer: blank flash, making a file system",
                   "viewer: 0 readings kept from earlier runs", "viewer: #4 ",
                   "viewer: 5 readings in the log, done on {board}"],
}
# Templates of servers that run until stopped: each has a test of its own.
SERVERS = {"net": "test_net.py"}
# littlefs, which the datalogger's fs component needs, comes through the
# SDK's shared mirror (docs/registry.md, Mirrors); without it the
# datalogger is left out, and the test says so.
LITTLEFS_MIRROR = os.path.join(SHARED_MIRRORS, "littlefs.git")
NEEDS_LITTLEFS = {"datalogger"}


def template_boards(template):
    """The boards a template's template.yaml lists (None: any board)."""
    path = os.path.join(SDK, "templates", template, "template.yaml")
    if not os.path.isfile(path):
        return None
    with open(path) as f:
        return {line.split(":")[0].strip() for line in f if line.startswith("  ")
                and not line.lstrip().startswith("#")}


def sdk_boards():
    """Board name -> its registry entry's newest version (qemu, pyocd, cpu)."""
    with open(os.path.join(SDK, "registry/index.json")) as f:
        index = json.load(f)
    return {p["name"]: p["versions"][-1] for p in index["packages"] if p["kind"] == "bsp"}


def sdk_templates():
    with open(os.path.join(SDK, "registry/index.json")) as f:
        index = json.load(f)
    return sorted(p["name"] for p in index["packages"] if p["kind"] == "template")


class EveryTemplateOnEveryEmulatedBoard(WorldTest):
    def setUp(self):
        super().setUp()
        self.w.env.pop("CMRX_REGISTRY")  # the default: this SDK's registry

    def test_new_build_run(self):
        w = self.w
        emulated = sorted(n for n, v in sdk_boards().items() if v.get("qemu"))
        self.assertIn("qemu-mps2-an385", emulated)
        self.assertEqual(sorted([*EXPECT, *SERVERS]), sdk_templates(),
                         "a template without expectations")
        templates = sorted(EXPECT)
        if LITTLEFS_MIRROR in use_shared_mirrors(w):
            print(f"SKIPPED: {', '.join(sorted(NEEDS_LITTLEFS))}: the shared mirror "
                  f"{LITTLEFS_MIRROR} is absent")
            templates = [t for t in templates if t not in NEEDS_LITTLEFS]
        for board in emulated:
            machine = sdk_boards()[board]["qemu"]
            for template in templates:
                if template_boards(template) is not None and board not in template_boards(template):
                    continue
                with self.subTest(board=board, template=template):
                    name = f"{template}-{board}"
                    self.ok(w.cmrx("new", name, "--template", template, "--board", board))
                    p = os.path.join(w.root, name)
                    b = self.ok(w.cmrx("build", cwd=p, timeout=300))
                    self.assertIn(f"Memory of firmware '{name}' on {board}", b.out)
                    self.assertIn(f"Finished build/{board}/debug/{name}.elf", b.err)
                    r = w.cmrx("run", "--timeout", "120", cwd=p, timeout=300)
                    self.assertEqual(r.code, 0, r)
                    console = r.out.replace("\r\n", "\n")
                    for line in EXPECT[template]:
                        self.assertIn(line.format(name=name, board=board), console, r)
                    self.assertNotIn("FAULT", console)
                    # The build's own output is on stderr: stdout is the console only.
                    self.assertTrue(console.startswith("[cmrx] CMRX "), r)
                    self.assertIn(f"Running build/{board}/debug/{name}.elf on {board} in QEMU "
                                  f"(machine {machine})", r.err)
                    # Nothing is built again: the run reused the build.
                    self.assertNotIn("Configuring", r.err)
                    if template == "datalogger" and board == "qemu-mps2-an385":
                        # fs's limits are cmrx.yaml settings, checked by fs.
                        with open(os.path.join(p, "cmrx.yaml"), "a") as f:
                            f.write("settings:\n  fs: { open_files: 99 }\n")
                        r = w.cmrx("build", cwd=p, timeout=300)
                        self.assertNotEqual(r.code, 0, r)
                        self.assertIn("fs: setting 'open_files' is '99'; it must be a whole "
                                      "number from 1 to 32", r.err)


class DataloggerKeepsItsRecords(WorldTest):
    """The datalogger's readings survive a restart of QEMU: `cmrx run` keeps
    the emulated flash in build/BOARD/storage.img (docs/storage.md)."""

    def setUp(self):
        super().setUp()
        self.w.env.pop("CMRX_REGISTRY")
        if LITTLEFS_MIRROR in use_shared_mirrors(self.w):
            self.skipTest(f"the shared mirror {LITTLEFS_MIRROR} is absent")

    def test_records_survive_runs_and_images_are_checked(self):
        w = self.w
        board = "qemu-mps2-an505"
        self.ok(w.cmrx("new", "logger", "--template", "datalogger", "--board", board))
        p = os.path.join(w.root, "logger")
        image = os.path.join(p, "build", board, "storage.img")
        r = w.cmrx("run", "--timeout", "120", cwd=p, timeout=300)
        self.assertEqual(r.code, 0, r)
        self.assertIn("viewer: 0 readings kept from earlier runs", r.out)
        with open(image, "rb") as f:
            first = f.read()
        self.assertEqual(len(first), 16 << 20)
        self.assertEqual(first[-4096:], b"\xff" * 4096)  # created erased
        # Again: the readings of the first run are there.
        r = w.cmrx("run", "--timeout", "120", cwd=p, timeout=300)
        self.assertEqual(r.code, 0, r)
        self.assertIn("viewer: 5 readings kept from earlier runs", r.out)
        self.assertIn("viewer: #9 ", r.out)
        self.assertIn("viewer: 10 readings in the log", r.out)
        self.assertNotIn("blank flash", r.out)
        # Another image starts blank; the default one is left alone.
        with open(image, "rb") as f:
            kept = f.read()
        other = os.path.join(w.root, "other.img")
        r = w.cmrx("run", "--image", other, "--timeout", "120", cwd=p, timeout=300)
        self.assertEqual(r.code, 0, r)
        self.assertIn("viewer: blank flash, making a file system", r.out)
        with open(image, "rb") as f:
            self.assertEqual(f.read(), kept)
        # A file of the wrong size is refused and left as it is.
        write(other, "not an image\n")
        self.fails(w.cmrx("run", "--image", other, cwd=p),
                   f"the storage image {other} is another size, but the board's storage is "
                   "16777216 bytes", "hint: give another file with --image")
        with open(other) as f:
            self.assertEqual(f.read(), "not an image\n")
        # A corrupt image is reported, not formatted: the viewer ends with 2.
        corrupt = os.path.join(w.root, "corrupt.img")
        shutil.copyfile(image, corrupt)
        with open(corrupt, "r+b") as f:
            f.write(b"\x00" * 8192)
        with open(corrupt, "rb") as f:
            before = f.read()
        r = w.cmrx("run", "--image", corrupt, "--timeout", "120", cwd=p, timeout=300)
        self.assertEqual(r.code, 2, r)
        self.assertIn("viewer: the flash holds no usable file system (-261); left as it is",
                      r.out)
        with open(corrupt, "rb") as f:
            self.assertEqual(f.read(), before)
        # A board without storage: --image is an error.
        self.fails(w.cmrx("run", "--board", "qemu-netduinoplus2", "--image", other, cwd=p,
                          timeout=300),
                   "board qemu-netduinoplus2 has no storage for --image")


if __name__ == "__main__":
    unittest.main()
