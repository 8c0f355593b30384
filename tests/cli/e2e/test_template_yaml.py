"""template.yaml, in a test registry: the boards a template is made for and
their placeholder values. `cmrx new` fills the values for the chosen board,
refuses other boards and broken files before it makes anything, and
`cmrx templates` lists the boards without fetching."""
import json
import os
import unittest

from harness import WorldTest, git, make_repo, write

TEMPLATE_YAML = ("# the test template's boards\n"
                 "boards:\n"
                 "  qemu-mps2-an385: { dev: cmsdk, irq: \"8\" }\n"
                 "  m33-board: { dev: armv8, irq: \"3\" }\n")


class TemplateYaml(WorldTest):
    def setUp(self):
        super().setUp()
        self.tmpl = os.path.join(self.w.sdk, "templates/app")

    def commit(self, files):
        """Change the test template ("git": ".", following HEAD) and commit."""
        for rel, text in files.items():
            write(os.path.join(self.tmpl, rel), text)
        git("add", "-A", cwd=self.w.sdk)
        git("commit", "-q", "-m", "template", cwd=self.w.sdk)

    def read(self, *parts):
        with open(os.path.join(self.w.root, *parts)) as f:
            return f.read()

    def leftovers(self):
        """What cmrx left in the world's folder besides its own things."""
        return sorted(e for e in os.listdir(self.w.root) if e not in ("cache", "home", "sdk"))

    def listed_boards(self, *args):
        templates = json.loads(self.ok(self.w.cmrx("templates", "--json", *args)).out)
        return {t["name"]: t["boards"] for t in templates}

    def test_the_values_of_the_chosen_board_are_filled_in(self):
        w = self.w
        self.commit({"template.yaml": TEMPLATE_YAML,
                     "src/app.c": "/* ${name} on ${board}: ${dev}, irq ${irq}; ${HOME} ${x} */\n",
                     "CMakeLists.txt": "set(FLAGS ${CMAKE_C_FLAGS})\n"})
        for board, dev, irq in (("qemu-mps2-an385", "cmsdk", "8"), ("m33-board", "armv8", "3")):
            name = f"p-{board}"
            self.ok(w.cmrx("new", name, "--template", "app", "--board", board))
            # Only the placeholders cmrx knows are filled: ${HOME} and ${x} stay.
            self.assertEqual(self.read(name, "src/app.c"),
                             f"/* {name} on {board}: {dev}, irq {irq}; ${{HOME}} ${{x}} */\n")
            self.assertEqual(self.read(name, "CMakeLists.txt"), "set(FLAGS ${CMAKE_C_FLAGS})\n")
            self.assertIn(f"board: {board}\n", self.read(name, "cmrx.yaml"))
            # template.yaml belongs to the template, not to the project.
            self.assertFalse(os.path.exists(os.path.join(w.root, name, "template.yaml")))
        # A template without template.yaml is for any board; with one, for its boards.
        self.assertEqual(self.listed_boards(), {"app": ["qemu-mps2-an385", "m33-board"]})
        text = self.ok(w.cmrx("templates")).out
        self.assertRegex(text, r"(?m)^app +0\.1\.0 +test template +qemu-mps2-an385, m33-board$")
        os.remove(os.path.join(self.tmpl, "template.yaml"))
        self.commit({})
        self.assertEqual(self.listed_boards(), {"app": "any"})

    def test_a_board_the_template_is_not_made_for_is_refused_before_anything_is_made(self):
        w = self.w
        self.commit({"template.yaml": "boards:\n  m33-board: { irq: \"3\" }\n"})
        r = self.fails(w.cmrx("new", "demo", "--template", "app", "--board", "qemu-mps2-an385"),
                       "template 'app' is not made for board 'qemu-mps2-an385'; it supports "
                       "m33-board",
                       "hint: choose one of those with --board, e.g. `cmrx new demo --template "
                       "app --board m33-board`", code=2)
        self.assertNotIn("Adding", r.err)
        self.assertEqual(self.leftovers(), [])
        # The board named must exist at all, whatever the template says.
        self.fails(w.cmrx("new", "demo", "--template", "app", "--board", "nope"),
                   "unknown board 'nope'", code=2)
        self.ok(w.cmrx("new", "demo", "--template", "app", "--board", "m33-board"))
        self.assertEqual(self.leftovers(), ["demo"])

    def test_a_broken_template_yaml_is_reported_with_its_line(self):
        w = self.w
        cases = [
            ("boards:\n  m33-board: { irq: \"3\" }\nextra: 1\n",
             "template 'app' is broken: template.yaml:3: unknown key 'extra'"),
            ("boards: [m33-board\n", "template 'app' is broken: template.yaml:2:"),
            ("boards:\n  m33-board: { irq: \"3\" }\n  qemu-mps2-an385: { dev: x }\n",
             "template 'app' is broken: template.yaml:3: 'boards.qemu-mps2-an385' lacks 'irq'"),
            ("boards:\n  m33-board: { name: x }\n",
             "template 'app' is broken: template.yaml:2: 'boards.m33-board': ${name} is filled "
             "by cmrx new"),
        ]
        for text, expect in cases:
            with self.subTest(text=text):
                self.commit({"template.yaml": text})
                self.fails(w.cmrx("new", "demo", "--template", "app", "--board", "m33-board"),
                           expect, "hint:")
                self.assertEqual(self.leftovers(), [])
                # The listing still lists, and says what is wrong.
                r = self.ok(w.cmrx("templates", "--json"))
                self.assertEqual(json.loads(r.out)[0]["boards"], None)
                self.assertIn(expect, r.err)

    def test_the_listing_reads_only_what_this_machine_has(self):
        w = self.w
        self.commit({"template.yaml": TEMPLATE_YAML})
        # A local registry: the template is read from its repository in place.
        self.assertEqual(self.listed_boards(), {"app": ["qemu-mps2-an385", "m33-board"]})
        self.assertFalse(os.path.exists(w.cache))
        # A template in a repository of its own that nothing has fetched yet.
        tpl = make_repo(w.root, "tpl", [("1.0.0", {
            "cmrx.yaml": "name: ${name}\nboard: ${board}\nkernel: ^0.1\n",
            "template.yaml": "boards:\n  m33-board: { irq: \"3\" }\n"})])
        w.packages.append({"name": "tpl", "kind": "template", "description": "elsewhere",
                           "versions": [{"version": "1.0.0", "git": tpl}]})
        w.write_index()
        self.assertEqual(self.listed_boards(), {"app": ["qemu-mps2-an385", "m33-board"],
                                                "tpl": ["m33-board"]})
        remote = "file://" + tpl
        w.package("tpl")["versions"][0]["git"] = remote
        w.write_index()
        r = self.ok(w.cmrx("templates"))
        self.assertRegex(r.out, r"(?m)^tpl +1\.0\.0 +elsewhere +\?$")
        self.assertIn("BOARDS '?': the repository of the template or of a board is not on this "
                      "machine yet", r.err)
        self.assertEqual(self.listed_boards()["tpl"], None)
        # `cmrx new` fetches it, and checks the board; then the cache has it.
        self.fails(w.cmrx("new", "demo", "--template", "tpl", "--board", "qemu-mps2-an385"),
                   "template 'tpl' is not made for board 'qemu-mps2-an385'", code=2)
        self.assertEqual(self.listed_boards()["tpl"], ["m33-board"])
        # A registry served from a git URL: "." is read from the registry's mirror.
        git("add", "-A", cwd=w.sdk)
        git("commit", "-q", "-m", "index", cwd=w.sdk)
        boards = self.listed_boards("--registry", "file://" + w.sdk)
        self.assertEqual(boards, {"app": ["qemu-mps2-an385", "m33-board"], "tpl": ["m33-board"]})


if __name__ == "__main__":
    unittest.main()
