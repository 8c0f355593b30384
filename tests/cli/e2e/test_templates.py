"""The main job, end to end, from this SDK's own registry: `cmrx new` from
every template, `cmrx build`, `cmrx run` on every emulated board, judged by
the firmware's own verdict (its cmrx_shutdown() code is cmrx's exit status)
and by its console output."""
import json
import os
import unittest

from harness import SDK, WorldTest

# What each template prints when it works; {name} and {board} are filled in.
EXPECT = {
    "hello": ["greeter: ready in its own memory", "client: hello #3 from the greeter",
              "client: 3 greetings, done on {board}", "[cmrx] shutdown by process client, code 0"],
    "blank": ["{name}: hello from the app process on {board}", "{name}: tick 3"],
    "driver": ["app: round 3, ", "app: done on {board}"],
}
# Templates of servers that run until stopped: each has a test of its own.
SERVERS = {"net": "test_net.py"}


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
        for board in emulated:
            machine = sdk_boards()[board]["qemu"]
            for template in sorted(EXPECT):
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


if __name__ == "__main__":
    unittest.main()
