"""The tool's promises under attack: each test is one way the review of
issue 18 broke a promise (hostile packages, long paths, other encodings,
concurrent runs, failures after the commit point, edits inside packages/,
misleading messages). Every one failed before its fix."""
import glob
import os
import shutil
import subprocess
import unittest

from harness import ProjectTest, git, snapshot, write


class Attacks(ProjectTest):
    def test_link_out_through_a_link_to_the_package_root(self):
        w = self.w
        repo = w.component_repo("evil", [("1.0.0", {"ok.c": "x", "d": ("link", "."),
                                                    "x": ("link", "d/d/d/../../../etc")})])
        w.add_component("evil", repo, [{"version": "1.0.0"}])
        self.run_bad("add", "evil", parts=("symbolic link 'x' points outside the package",))
        self.assertFalse(os.path.lexists(os.path.join(self.p, "packages/evil")))
        # Links through links that stay inside are fine.
        repo = w.component_repo("fine", [("1.0.0", {"a.c": "x", "d": ("link", "."),
                                                    "sub/e": ("link", "../d"),
                                                    "y": ("link", "sub/e/d/a.c")})])
        w.add_component("fine", repo, [{"version": "1.0.0"}])
        self.ok(w.cmrx("add", "fine", cwd=self.p))
        with open(os.path.join(self.p, "packages/fine/y")) as f:
            self.assertEqual(f.read(), "x")

    # Between versions a folder becomes a link (to a folder, through a link)
    # and back: each version is written whole, never over the other, and
    # what the user wrote through the link is kept.
    def test_a_folder_that_becomes_a_link_and_back(self):
        w, p = self.w, self.p
        work = os.path.join(w.root, "src", "comp")
        blob = lambda text: git("hash-object", "-w", "--stdin", cwd=work, input=text)
        tree = lambda *lines: git("mktree", cwd=work, input="".join(ln + "\n" for ln in lines))
        src = tree(f"100644 blob {blob('b')}\tb.h")
        inc = tree(f"100644 blob {blob('a')}\ta.h")
        folder = tree(f"040000 tree {inc}\tinc", f"040000 tree {src}\tsrc")
        links = tree(f"120000 blob {blob('src')}\tinc", f"120000 blob {blob('inc')}\tinc2",
                     f"120000 blob {blob('inc2/b.h')}\tl", f"040000 tree {src}\tsrc")
        for v, t in (("3.0.0", folder), ("3.1.0", links)):
            git("tag", v, git("commit-tree", "-m", v, t, cwd=work), cwd=work)
            git("push", "-q", self.comp, f"refs/tags/{v}", cwd=work)
            w.package("comp")["versions"].append({"version": v, "git": self.comp})
        w.write_index()
        pkg = os.path.join(p, "packages/comp")
        for v in ("3.0.0", "3.1.0", "3.0.0", "3.1.0"):
            self.ok(w.cmrx("add", f"comp@={v}", cwd=p))
            self.assertIn("0 unpacked", self.ok(w.cmrx("fetch", cwd=p)).err)
            self.assertEqual(os.path.islink(os.path.join(pkg, "inc")), v == "3.1.0")
        with open(os.path.join(pkg, "l")) as f:
            self.assertEqual(f.read(), "b")
        write(os.path.join(pkg, "inc", "mine.h"), "mine\n")  # lands in src/
        r = self.ok(w.cmrx("add", "comp@=3.0.0", cwd=p))
        kept = r.err.split("your copy is kept in ")[1].split()[0]
        with open(os.path.join(p, kept, "src", "mine.h")) as f:
            self.assertEqual(f.read(), "mine\n")
        self.assertFalse(os.path.exists(os.path.join(pkg, "src", "mine.h")))

    # 2. A board package whose bsp.yaml is wrong, in a project with a long path.
    def test_broken_board_in_a_long_path(self):
        w = self.w
        deep = w.root
        for i in range(6):  # over 1500 characters: more than any message buffer
            deep = os.path.join(deep, f"{i}" * 250)
        os.makedirs(deep)
        r = w.cmrx("new", "demo", "--template", "app", cwd=deep)
        self.ok(r)
        p = os.path.join(deep, "demo")
        bsp = os.path.join(w.sdk, "bsp/qemu-mps2-an385/bsp.yaml")
        with open(bsp) as f:
            text = f.read()
        write(bsp, text.replace("irqs: 32", "irqs: many"))
        git("commit", "-q", "-am", "broken", cwd=w.sdk)
        before = snapshot(p)
        r = w.cmrx("update", cwd=p)
        self.fails(r, "board package 'qemu-mps2-an385' 0.1.0 is broken: "
                      "packages/qemu-mps2-an385/bsp.yaml:", "'irqs' must be a number")
        self.assertEqual(snapshot(p), before)

    # 3. A cmrx.yaml in UTF-16: its NUL bytes must not cut the text short.
    def test_utf16_manifest(self):
        path = os.path.join(self.p, "cmrx.yaml")
        with open(path) as f:
            text = f.read()
        with open(path, "w", encoding="utf-16") as f:
            f.write(text)
        self.before = snapshot(self.p)
        for cmd in (("add", "comp@^1.1"), ("remove", "comp"), ("update",)):
            self.run_bad(*cmd, parts=("cmrx.yaml: the file is UTF-16 text; cmrx reads UTF-8 only",
                                      "iconv"))
        # Without its byte-order mark, its first NUL byte is named.
        with open(path, "wb") as f:
            f.write(text.encode("utf-16-le"))
        self.before = snapshot(self.p)
        self.run_bad("add", "comp", parts=("cmrx.yaml:1:2: a NUL byte: the file is not UTF-8",))

    # 4. A folder of the user's named like the staging folder, and two
    #    `cmrx new` of one name at once.
    def test_new_leaves_folders_it_did_not_make(self):
        w = self.w
        mine = os.path.join(w.root, ".demo2.cmrx-new")
        write(os.path.join(mine, "notes.txt"), "mine\n")
        self.ok(w.cmrx("new", "demo2", "--template", "app"))
        with open(os.path.join(mine, "notes.txt")) as f:
            self.assertEqual(f.read(), "mine\n")

    def test_two_new_of_one_name(self):
        w = self.w
        for round in range(4):
            name = f"demo{round + 2}"
            runs = [w.spawn("new", name, "--template", "app") for _ in range(2)]
            results = [(proc.wait(timeout=60), proc.communicate()[1].decode()) for proc in runs]
            self.assertTrue(os.path.isfile(os.path.join(w.root, name, "cmrx.yaml")), results)
            self.assertTrue(os.path.isfile(os.path.join(w.root, name, "cmrx.lock")), results)
            created = [err for code, err in results if code == 0]
            self.assertEqual(len(created), 1, results)
            self.assertIn(f"Created project '{name}'", created[0])
            failed = [err for code, err in results if code != 0]
            self.assertRegex(failed[0], f"'[^']*{name}' (already exists|was created by someone "
                                        "else meanwhile)")
            self.assertEqual([e for e in os.listdir(w.root) if e.startswith(f".{name}.cmrx-new")],
                             [])

    # 5. A failure after the commit point: a package folder cmrx may not move.
    def unmovable(self, path):
        """Make folder `path` unmovable (chattr +i as root, else chmod) and
        return the undo; skip the test where neither works."""
        probe = os.path.join(self.w.root, "probe")
        os.makedirs(os.path.join(probe, "d"))
        if os.getuid() == 0:
            lock, unlock = ["chattr", "+i"], ["chattr", "-i"]
        else:
            lock, unlock = ["chmod", "a-w"], ["chmod", "u+w"]
        if subprocess.run(lock + [os.path.join(probe, "d")], capture_output=True).returncode != 0:
            self.skipTest("cannot make a folder unmovable here")
        try:
            os.rename(os.path.join(probe, "d"), os.path.join(probe, "e"))
            moved = True
        except OSError:
            moved = False
        subprocess.run(unlock + [os.path.join(probe, "d" if not moved else "e")])
        if moved:
            self.skipTest("an unmovable folder still moves here")
        subprocess.run(lock + [path], check=True)
        undo = lambda: subprocess.run(unlock + [path], check=True)
        self.addCleanup(undo)
        return undo

    def test_failure_after_the_commit_point(self):
        w, p = self.w, self.p
        undo = self.unmovable(os.path.join(p, "packages/comp"))
        self.run_bad("add", "comp@^2", parts=("packages/comp cannot be moved", "nothing was changed"))
        self.assertFalse(os.path.exists(os.path.join(p, ".cmrx/txn")))
        # The project is not stuck: other commands work meanwhile, and once
        # the folder can move, the change does too.
        self.ok(w.cmrx("fetch", cwd=p))
        undo()
        self.ok(w.cmrx("add", "comp@^2", cwd=p))
        self.assertEqual(self.locked_version(p, "comp"), "2.0.0")

    def test_a_committed_change_that_cannot_be_finished_is_undone(self):
        w, p = self.w, self.p
        # The state right after the commit point of `cmrx add comp@^2`: the
        # journal, the new package and files staged.
        done = os.path.join(w.root, "done")
        shutil.copytree(p, done, symlinks=True)
        self.ok(w.cmrx("add", "comp@^2", cwd=done))
        txn = os.path.join(p, ".cmrx/txn")
        shutil.copytree(os.path.join(done, "packages/comp"), os.path.join(txn, "new/comp"))
        for f in ("cmrx.yaml", "cmrx.lock"):
            shutil.copy(os.path.join(done, f), os.path.join(txn, f))
        write(os.path.join(txn, "journal"), "file cmrx.lock\ninstall comp\nfile cmrx.yaml\n")
        # ... and then the old package cannot be moved aside any more.
        self.unmovable(os.path.join(p, "packages/comp"))
        r = self.ok(w.cmrx("fetch", cwd=p))
        self.assertIn("undid a change to this project", r.err)
        self.assertIn("cannot move", r.err)
        self.assertEqual(snapshot(p), self.before)
        self.assertFalse(os.path.exists(txn))

    # 7. Messages that must say what happened, and where.
    def test_edits_inside_packages_are_kept_and_named(self):
        w, p = self.w, self.p
        edited = os.path.join(p, "packages/comp/comp.c")
        write(edited, "my fix\n")
        r = self.ok(w.cmrx("update", cwd=p))
        self.assertIn("warning: packages/comp held changes of yours (it differs from comp 1.1.0 "
                      "of cmrx.lock) and was replaced; your copy is kept in .cmrx/kept/", r.err)
        kept = r.err.split("your copy is kept in ")[1].split()[0]
        with open(os.path.join(p, kept, "comp.c")) as f:
            self.assertEqual(f.read(), "my fix\n")
        with open(edited) as f:
            self.assertEqual(f.read(), "1.1\n")
        # Removed, or not a package at all: kept as well.
        write(edited, "my fix again\n")
        write(os.path.join(p, "packages/mine/notes.txt"), "mine\n")
        r = self.ok(w.cmrx("remove", "comp", cwd=p))
        self.assertIn("packages/comp held changes of yours (it differs from comp 1.1.0 of "
                      "cmrx.lock) and was removed, as nothing needs it now", r.err)
        self.assertIn("packages/mine is not a package of cmrx.lock; your copy is kept in", r.err)
        kept = r.err.split("packages/mine")[1].split("kept in ")[1].split()[0]
        self.assertTrue(os.path.isfile(os.path.join(p, kept, "notes.txt")))
        self.assertFalse(os.path.exists(os.path.join(p, "packages/comp")))
        # A package untouched goes without a word.
        self.ok(w.cmrx("add", "comp@^1", cwd=p))
        r = self.ok(w.cmrx("remove", "comp", cwd=p))
        self.assertNotIn("warning", r.err)

    def test_invalid_utf8_is_located(self):
        path = os.path.join(self.p, "cmrx.yaml")
        with open(path, "rb") as f:
            lines = f.read().split(b"\n")
        lines[3] = b"kernel: ^0.1 # caf\xe9"  # Latin-1, not UTF-8
        with open(path, "wb") as f:
            f.write(b"\n".join(lines))
        self.before = snapshot(self.p)
        self.run_bad("fetch", parts=("cmrx.yaml:4:19: invalid UTF-8 (byte 0xe9)", "iconv"))

    def test_forged_commit_sharing_the_prefix(self):
        w, p = self.w, self.p
        real = git("rev-parse", "1.1.0^{commit}", cwd=self.comp)
        forged = real[:12] + ("0" if real[12] != "0" else "1") + real[13:]
        lock = os.path.join(p, "cmrx.lock")
        with open(lock) as f:
            text = f.read()
        write(lock, text.replace(real, forged))
        shutil.rmtree(os.path.join(p, "packages/comp"))
        self.before = snapshot(p)
        r = self.run_bad("fetch", parts=(f"now points to commit {real}, but cmrx.lock has {forged}",
                                         "or cmrx.lock was edited"))

    def test_a_folder_where_a_file_belongs(self):
        p = self.p
        os.remove(os.path.join(p, "cmrx.lock"))
        os.makedirs(os.path.join(p, "cmrx.lock"))
        self.before = snapshot(p)
        self.run_bad("fetch", parts=("cmrx.lock: cannot read: it is a folder, not a file",
                                     "move that folder away"))

    def test_a_restored_tag_is_believed_again(self):
        w, p = self.w, self.p
        work = os.path.join(w.root, "src", "comp")
        real = git("rev-parse", "1.1.0^{commit}", cwd=work)
        git("checkout", "-q", "1.0.0", cwd=work)
        write(os.path.join(work, "comp.c"), "not 1.1 any more\n")
        git("commit", "-q", "-am", "sneaky", cwd=work)
        git("tag", "-f", "1.1.0", cwd=work)
        git("push", "-q", "-f", self.comp, "refs/tags/1.1.0", cwd=work)
        self.run_bad("update", "comp", parts=("tag '1.1.0'", "now points to commit"))
        # The maintainer puts the tag back; the cache still has the moved one.
        git("tag", "-f", "1.1.0", real, cwd=work)
        git("push", "-q", "-f", self.comp, "refs/tags/1.1.0", cwd=work)
        shutil.rmtree(os.path.join(p, "packages/comp"))
        r = self.ok(w.cmrx("fetch", cwd=p))
        self.assertIn("1 unpacked", r.err)
        with open(os.path.join(p, "packages/comp/comp.c")) as f:
            self.assertEqual(f.read(), "1.1\n")

    # Control characters (terminal escape sequences) from a registry index
    # or a package's tree must not reach the terminal: they could clear it,
    # retitle it or overwrite a message with a forged one.
    def test_terminal_escapes_from_an_index_or_a_package(self):
        w = self.w
        esc = "\x1b]0;pwned\x07\x1b[2J\rall good"
        for key, value in (("description", f"nice{esc}"), ("homepage", f"https://x/{esc}")):
            w.package("comp")[key] = value
            w.write_index()
            r = self.run_bad("info", "comp", parts=(
                f"'packages[4] (comp).{key}' holds a control character (\\x1b)",))
            self.assertNotIn("\x1b", r.out + r.err)
            w.package("comp")[key] = "a component"
        w.package("comp")["versions"][1]["git"] = f"https://127.0.0.1:9/{esc}.git"
        w.write_index()
        r = self.run_bad("update", parts=("(\\x1b)",))
        self.assertNotIn("\x1b", r.out + r.err)
        w.package("comp")["versions"][1]["git"] = self.comp
        w.write_index()
        # A link target, a name: shown escaped.
        repo = w.component_repo("evil", [("1.0.0", {"ok.c": "x", "l": ("link", f"/etc/{esc}")})])
        w.add_component("evil", repo, [{"version": "1.0.0"}])
        r = self.run_bad("add", "evil", parts=(
            "symbolic link 'l' points outside the package (to '/etc/\\x1b]0;pwned\\x07\\x1b[2J"
            "\\x0dall good')",))
        self.assertNotIn("\x1b", r.out + r.err)

    # A board package is data (bsp.yaml) and C sources; cmrx-sdk turns
    # bsp.yaml into CMake code and a C header. A value that would close a
    # string there and run code at `cmrx build` is refused when fetched.
    def test_board_values_that_would_be_cmake_or_c_code(self):
        w = self.w
        bsp = os.path.join(w.sdk, "bsp/qemu-mps2-an385/bsp.yaml")
        with open(bsp) as f:
            good = f.read()
        for old, new, msg in (
                ("version: 0.1.0", 'version: "0.1.0\\")\\nexecute_process(COMMAND touch PWNED)#"',
                 "bsp.yaml:3: 'version' is '0.1.0\")\\x0aexecute_process(COMMAND touch PWNED)#'"),
                ("name: qemu-mps2-an385", 'name: "x */ int pwned; /*"',
                 "bsp.yaml:2: 'name' is 'x */ int pwned; /*'"),
                ("machine: mps2-an385", 'machine: "m${CMAKE_COMMAND}"',
                 "'qemu.machine' is 'm${CMAKE_COMMAND}'")):
            write(bsp, good.replace(old, new, 1))
            git("commit", "-q", "-am", "evil", cwd=w.sdk)
            self.run_bad("update", parts=("board package 'qemu-mps2-an385' 0.1.0 is broken: "
                                          "packages/qemu-mps2-an385/", msg))

    # A board's file names become items of CMake lists that CMake also reads
    # generator expressions in: a ';' adds a file from anywhere, "$<1:.>"
    # twice makes a ".." that no name check saw.
    def test_board_file_names_that_cmake_would_split(self):
        w = self.w
        bsp = os.path.join(w.sdk, "bsp/qemu-mps2-an385/bsp.yaml")
        with open(bsp) as f:
            good = f.read()
        for name in ("board.c;/etc/passwd", "$<1:.>$<1:.>/x.c"):
            write(bsp, good + f"sources: ['{name}']\n")
            git("commit", "-q", "-am", "evil", cwd=w.sdk)
            self.run_bad("update", parts=(
                "board package 'qemu-mps2-an385' 0.1.0 is broken: packages/qemu-mps2-an385/"
                f"bsp.yaml:{good.count(chr(10)) + 1}:", f"'{name}' holds a ';', '$' or line break"))

    # The cache is cmrx's own, but users and crashes of other tools damage
    # it: the message must name the cache entry and say to delete it, not
    # blame the registry or the package's repository.
    def test_a_damaged_cache_is_named(self):
        w, p = self.w, self.p
        mirror = glob.glob(os.path.join(w.cache, "cmrx", "git", "comp-*.git"))[0]
        shutil.rmtree(os.path.join(p, "packages/comp"))
        self.before = snapshot(p)
        shutil.move(mirror, mirror + ".saved")
        for damage in ("file", "dangling link"):
            if damage == "file":
                write(mirror, "junk\n")
            else:
                os.symlink("/nonexistent", mirror)
            self.run_bad("fetch", parts=(f"the cache entry {mirror} is not a folder",
                                         f"delete {mirror}"))
            os.remove(mirror)
        shutil.move(mirror + ".saved", mirror)
        # Its objects lost, its refs kept: fetching again brings nothing new.
        for f in glob.glob(os.path.join(mirror, "objects", "pack", "*")):
            os.remove(f)
        for d in glob.glob(os.path.join(mirror, "objects", "??")):
            shutil.rmtree(d)
        for args in (("fetch",), ("fetch", "--offline"), ("add", "comp@1.0.0")):
            self.run_bad(*args, parts=(f"the cache entry {mirror} is damaged",
                                       f"delete {mirror}"))
        shutil.rmtree(mirror)
        self.ok(w.cmrx("fetch", cwd=p))

    # A run killed while the cache's refs were being written leaves their
    # lock files (REF.lock) behind: no later fetch could write that ref.
    def test_ref_locks_left_in_the_cache_by_a_killed_run(self):
        w, p = self.w, self.p
        mirror = glob.glob(os.path.join(w.cache, "cmrx", "git", "comp-*.git"))[0]
        w.publish("comp", "1.2.0", {"comp.c": "1.2\n"})
        for stale in ("refs/tags/1.2.0.lock", "refs/heads/main.lock", "packed-refs.lock"):
            write(os.path.join(mirror, stale), "")
        r = self.ok(w.cmrx("update", "comp", cwd=p))
        self.assertIn("Updating comp 1.1.0 -> 1.2.0", r.err)
        self.assertEqual(glob.glob(os.path.join(mirror, "**", "*.lock"), recursive=True), [])

    # A project from elsewhere whose .cmrx/lock is a link: cmrx must not
    # create (or open) the file it points at.
    def test_a_lock_file_that_is_a_link(self):
        w, p = self.w, self.p
        target = os.path.join(w.root, "made-through-the-link")
        os.makedirs(os.path.join(p, ".cmrx"), exist_ok=True)
        lock = os.path.join(p, ".cmrx", "lock")
        if os.path.lexists(lock):
            os.remove(lock)
        os.symlink(target, lock)
        r = w.cmrx("update", cwd=p)
        self.fails(r, "lock", "symbolic link")
        self.assertFalse(os.path.lexists(target))

    # A tag naming a tree or a blob instead of a commit.
    def test_a_tag_that_names_no_commit(self):
        w = self.w
        work = os.path.join(w.root, "src", "comp")
        git("tag", "3.0.0", git("rev-parse", "1.0.0^{tree}", cwd=work), cwd=work)
        git("tag", "3.1.0", git("rev-parse", "1.0.0:comp.c", cwd=work), cwd=work)
        git("push", "-q", self.comp, "--tags", cwd=work)
        for v in ("3.0.0", "3.1.0"):
            w.package("comp")["versions"].append({"version": v, "git": self.comp})
        w.write_index()
        for v, kind in (("3.0.0", "tree"), ("3.1.0", "blob")):
            self.run_bad("add", f"comp@={v}", parts=(
                f"package 'comp' {v} ({self.comp}): tag '{v}' names a {kind}, not a commit",
                "tell the registry's maintainer"))

    # Tree entries git itself would not check out: a '.git' at depth (in
    # any case), which would make packages/NAME/sub a repository whose
    # hooks and config other tools run, and a submodule (gitlink).
    def test_entries_a_package_cannot_hold(self):
        w = self.w
        work = os.path.join(w.root, "src", "comp")
        blob = git("hash-object", "-w", "--stdin", cwd=work)  # empty
        head = git("rev-parse", "2.0.0^{commit}", cwd=work)
        for v, entries, msg in (
                ("3.0.0", [f"100644 blob {blob}\t.GIT"],
                 "the package holds an entry 'sub/.GIT' that cannot be written safely"),
                ("3.1.0", [f"160000 commit {head}\tlib"], "'sub/lib' is a git submodule")):
            sub = git("mktree", cwd=work, input="\n".join(entries) + "\n")
            top = git("mktree", cwd=work, input=f"040000 tree {sub}\tsub\n100644 blob {blob}\ta.c\n")
            commit = git("commit-tree", "-m", v, top, cwd=work)
            git("tag", v, commit, cwd=work)
            git("push", "-q", self.comp, f"refs/tags/{v}", cwd=work)
            w.package("comp")["versions"].append({"version": v, "git": self.comp})
            w.write_index()
            self.run_bad("add", f"comp@={v}", parts=(msg,))

    # A tree with two entries of one name (git fsck's duplicateEntries): the
    # link check reads one of them, the checkout writes the other, so a
    # link "x" -> "a/b" beside a folder "x" made "x/../.." look inside.
    def test_two_entries_of_one_name(self):
        w = self.w
        work = os.path.join(w.root, "src", "comp")
        blob = lambda text: git("hash-object", "-w", "--stdin", cwd=work, input=text)
        tree = lambda *lines: git("mktree", cwd=work, input="".join(ln + "\n" for ln in lines))
        f = blob("x\n")
        b = tree(f"100644 blob {f}\tf")
        a = tree(f"040000 tree {b}\tb")
        x = tree(f"100644 blob {f}\tg")
        top = tree(f"040000 tree {a}\ta", f"120000 blob {blob('a/b')}\tx", f"040000 tree {x}\tx",
                   f"120000 blob {blob('x/../..')}\ty")
        nested = tree(f"100644 blob {f}\ta.c", f"040000 tree {top}\tsub")
        for v, root, name in (("3.0.0", top, "x"), ("3.1.0", nested, "sub/x")):
            git("tag", v, git("commit-tree", "-m", "dup", root, cwd=work), cwd=work)
            git("push", "-q", self.comp, f"refs/tags/{v}", cwd=work)
            w.package("comp")["versions"].append({"version": v, "git": self.comp})
            w.write_index()
            self.run_bad("add", f"comp@={v}", parts=(
                f"package 'comp' {v}: the package holds two entries named '{name}'",
                "tell the package's maintainer"))

    # A tree nested deeper than libgit2's recursion can follow: its local
    # transport overflowed the stack and cmrx died of SIGSEGV, without a
    # word. (Here 10,000 deep with a 1 MiB stack, for speed; with the usual
    # 8 MiB, about 100,000 deep does the same.)
    def test_a_tree_nested_too_deep_for_libgit2(self):
        import resource
        w = self.w
        work = os.path.join(w.root, "src", "comp")
        blob = git("hash-object", "-w", "--stdin", cwd=work, input="x\n")
        mk = subprocess.Popen(["git", "mktree", "--batch"], cwd=work, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
        tree = f"100644 blob {blob}\tf"
        for _ in range(10000):
            mk.stdin.write(tree + "\n\n")
            mk.stdin.flush()
            tree = f"040000 tree {mk.stdout.readline().strip()}\td"
        mk.stdin.close()
        mk.stdout.close()
        self.assertEqual(mk.wait(), 0)
        top = git("mktree", cwd=work, input=f"{tree}\n100644 blob {blob}\ta.c\n")
        # git's own push overflows too: the remote borrows the objects.
        with open(os.path.join(self.comp, "objects/info/alternates"), "a") as f:
            f.write(os.path.join(work, ".git/objects") + "\n")
        git("update-ref", "refs/tags/3.0.0", git("commit-tree", "-m", "deep", top, cwd=work),
            cwd=self.comp)
        w.package("comp")["versions"].append({"version": "3.0.0", "git": self.comp})
        w.write_index()
        old = resource.getrlimit(resource.RLIMIT_STACK)
        resource.setrlimit(resource.RLIMIT_STACK, (1 << 20, old[1]))
        try:
            self.run_bad("add", "comp@=3.0.0", parts=(
                f"error: cannot fetch {self.comp} (comp): git (libgit2) ",
                "the repository may be made to break git tools"))
        finally:
            resource.setrlimit(resource.RLIMIT_STACK, old)
        # The cache still serves the project.
        self.ok(w.cmrx("update", cwd=self.p))


if __name__ == "__main__":
    unittest.main()
