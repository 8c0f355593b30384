"""Throw-away worlds for end-to-end tests of the cmrx binary.

A World is a temporary folder with its own cache ($XDG_CACHE_HOME) and home,
a fake SDK repository that serves as registry (index.json at its root, and a
kernel, boards and a template served with "git": "."), and component
repositories with version tags, all built with the git command line.
"""
import json
import os
import shutil
import stat
import subprocess
import tempfile
import unittest

CMRX = os.environ.get("CMRX", "cmrx")
SDK = os.environ.get("CMRX_SOURCE_DIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "../../..")))

# The SDK's shared mirrors of third-party repositories, beside the checkout
# (see their README); a test that needs one skips, saying so, without it.
SHARED_MIRRORS = os.path.normpath(os.path.join(SDK, "..", "shared", "mirrors"))
LWIP_UPSTREAM = "https://github.com/lwip-tcpip/lwip.git"
LITTLEFS_UPSTREAM = "https://github.com/littlefs-project/littlefs.git"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(*args, cwd=None, env=None, input=""):
    full = dict(os.environ)
    full.update(GIT_ENV)
    if env:
        full.update(env)
    r = subprocess.run(["git", *args], cwd=cwd, env=full, capture_output=True, text=True,
                       input=input)
    if r.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {r.stderr}")
    return r.stdout.strip()


def write(path, text, mode=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    if mode is not None:
        os.chmod(path, mode)


def use_shared_mirrors(w):
    """Map the upstream URL of each third-party package to the SDK's shared
    mirror of it, as CI does (a configuration file named by CMRX_CONFIG).
    @return the mirror folders that are absent (their packages cannot come)."""
    lines, missing = [], []
    for folder, url in (("lwip.git", LWIP_UPSTREAM), ("littlefs.git", LITTLEFS_UPSTREAM)):
        path = os.path.join(SHARED_MIRRORS, folder)
        if os.path.isdir(path):
            lines.append(f"  {url}: {path}\n")
        else:
            missing.append(path)
    if lines:
        cfg = os.path.join(w.root, "ci", "config.yaml")
        write(cfg, "mirrors:\n" + "".join(lines))
        w.env["CMRX_CONFIG"] = cfg
    return missing


def snapshot(project):
    """Everything cmrx may change in a project: cmrx.yaml, cmrx.lock and
    packages/ (names, contents, modes, link targets), plus the list of
    top-level entries other than .cmrx/."""
    snap = {"/top": sorted(e for e in os.listdir(project) if e != ".cmrx")}
    for name in ("cmrx.yaml", "cmrx.lock"):
        p = os.path.join(project, name)
        if os.path.isfile(p):
            with open(p, "rb") as f:
                snap[name] = f.read()
    snap.update(tree(os.path.join(project, "packages"), "packages"))
    return snap


def tree(root, prefix=""):
    """Map of relative path -> (kind, mode bits, content) for a folder."""
    out = {}
    if not os.path.isdir(root):
        return out
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        rel = os.path.relpath(dirpath, root)
        for n in sorted(dirnames + filenames):
            p = os.path.join(dirpath, n)
            key = os.path.normpath(os.path.join(prefix, rel, n))
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                out[key] = ("link", 0, os.readlink(p))
            elif stat.S_ISDIR(st.st_mode):
                out[key] = ("dir", 0, None)
            else:
                with open(p, "rb") as f:
                    out[key] = ("file", st.st_mode & 0o100, f.read())
    return out


def make_repo(root, name, versions, subdir=None):
    """A git repository root/src/NAME whose commits are tagged with the given
    versions, and its bare clone root/remotes/NAME.git (the remote; returned).
    versions: list of (tag, {path: text}) applied in order; a text of None
    deletes the file, ("exec", text) makes an executable file and
    ("link", target) a symbolic link."""
    work = os.path.join(root, "src", name)
    os.makedirs(work)
    git("init", "-q", "-b", "main", cwd=work)
    for tag, files in versions:
        for path, text in files.items():
            full = os.path.join(work, subdir or "", path)
            if text is None:
                os.remove(full)
            elif isinstance(text, tuple) and text[0] == "link":
                os.makedirs(os.path.dirname(full), exist_ok=True)
                os.symlink(text[1], full)
            elif isinstance(text, tuple) and text[0] == "exec":
                write(full, text[1], 0o755)
            else:
                write(full, text)
        git("add", "-A", cwd=work)
        git("commit", "-q", "--allow-empty", "-m", f"release {tag}", cwd=work)
        git("tag", tag, cwd=work)
    bare = os.path.join(root, "remotes", name + ".git")
    os.makedirs(os.path.dirname(bare), exist_ok=True)
    git("clone", "-q", "--bare", work, bare)
    return bare


class Result:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def __repr__(self):
        return f"exit {self.code}\n--- stdout\n{self.out}\n--- stderr\n{self.err}"


class World:
    """A temporary folder with a cache, a home, a registry and git repositories."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="cmrx-e2e-")
        self.cache = os.path.join(self.root, "cache")
        self.home = os.path.join(self.root, "home")
        os.makedirs(self.home)
        self.sdk = os.path.join(self.root, "sdk")
        self.packages = []
        self.env = {
            "XDG_CACHE_HOME": self.cache, "HOME": self.home, "NO_COLOR": "1",
            "CMRX_REGISTRY": self.sdk, "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        }
        # Sanitizer settings pass through, to run the tests on an instrumented cmrx.
        for k in ("ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"):
            if k in os.environ:
                self.env[k] = os.environ[k]
        self._make_sdk()

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)

    # --- running cmrx -----------------------------------------------------
    def cmrx(self, *args, cwd=None, env=None, timeout=60, stdin=subprocess.DEVNULL):
        full = dict(self.env)
        if env:
            full.update(env)
        full = {k: v for k, v in full.items() if v is not None}
        proc = subprocess.run([CMRX, *args], cwd=cwd or self.root, env=full,
                              capture_output=True, text=True, timeout=timeout,
                              **({"input": stdin} if isinstance(stdin, str) else {"stdin": stdin}))
        return Result(proc)

    def path_without(self, *names):
        """A PATH value holding every program of $PATH but `names`: a folder of
        links in this world (the first of a name on PATH wins, as in a shell)."""
        farm = os.path.join(self.root, "path-without-" + "-".join(names))
        os.makedirs(farm, exist_ok=True)
        for d in self.env["PATH"].split(":"):
            if not os.path.isdir(d):
                continue
            for n in os.listdir(d):
                link = os.path.join(farm, n)
                if n not in names and not os.path.lexists(link):
                    os.symlink(os.path.join(d, n), link)
        return farm

    def spawn(self, *args, cwd=None):
        return subprocess.Popen([CMRX, *args], cwd=cwd or self.root, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    # --- the fake SDK: registry, kernel, boards, a template --------------
    def _make_sdk(self):
        os.makedirs(self.sdk)
        git("init", "-q", "-b", "main", cwd=self.sdk)
        write(os.path.join(self.sdk, "kernel/include/cmrx/version.h"), "#define CMRX_VERSION 1\n")
        write(os.path.join(self.sdk, "kernel/src/sched.c"), "int sched;\n")
        for board in ("qemu-mps2-an385",):
            shutil.copytree(os.path.join(SDK, "bsp", board), os.path.join(self.sdk, "bsp", board))
        with open(os.path.join(SDK, "bsp/qemu-mps2-an385/bsp.yaml")) as f:
            m33 = f.read()
        m33 = (m33.replace("qemu-mps2-an385", "m33-board").replace("cortex-m3", "cortex-m33")
               .replace("arch: armv7m", "arch: armv8m"))
        write(os.path.join(self.sdk, "bsp/m33-board/bsp.yaml"), m33)
        write(os.path.join(self.sdk, "templates/app/cmrx.yaml"),
              "# ${name}: made from the test template\nname: ${name}\nboard: ${board}\n"
              "kernel: ^0.1\ndependencies:\nprocesses:\n  - name: app # the one\n"
              "    sources: [src/app.c]\n")
        write(os.path.join(self.sdk, "templates/app/src/app.c"), "/* ${name} on ${board} */\n")
        self.packages = [
            {"name": "kernel", "kind": "kernel", "description": "test kernel",
             "versions": [{"version": "0.1.0", "git": ".", "branch": "HEAD", "subdir": "kernel"}]},
            {"name": "qemu-mps2-an385", "kind": "bsp", "description": "an M3 board",
             "versions": [{"version": "0.1.0", "git": ".", "branch": "HEAD",
                           "subdir": "bsp/qemu-mps2-an385", "cpu": "cortex-m3",
                           "qemu": "mps2-an385"}]},
            {"name": "m33-board", "kind": "bsp", "description": "an M33 board",
             "versions": [{"version": "0.1.0", "git": ".", "branch": "HEAD",
                           "subdir": "bsp/m33-board", "cpu": "cortex-m33"}]},
            {"name": "app", "kind": "template", "description": "test template",
             "versions": [{"version": "0.1.0", "git": ".", "branch": "HEAD",
                           "subdir": "templates/app"}]},
        ]
        self.write_index()
        git("add", "-A", cwd=self.sdk)
        git("commit", "-q", "-m", "sdk", cwd=self.sdk)

    def write_index(self, text=None):
        """Write the registry index (working tree of the fake SDK)."""
        if text is None:
            text = json.dumps({"schema": 1, "packages": self.packages}, indent=2)
        write(os.path.join(self.sdk, "index.json"), text)

    def package(self, name):
        return next(p for p in self.packages if p["name"] == name)

    # --- component repositories -----------------------------------------
    def component_repo(self, name, versions, subdir=None):
        """A component repository in this world; see make_repo()."""
        return make_repo(self.root, name, versions, subdir)

    def add_component(self, name, remote, versions, description="a component"):
        """List a component in the index: versions is a list of version
        dicts (at least "version"); git defaults to the remote."""
        entries = [dict({"git": remote}, **v) for v in versions]
        self.packages = [p for p in self.packages if p["name"] != name]
        self.packages.append({"name": name, "kind": "component", "description": description,
                              "versions": entries})
        self.write_index()

    def publish(self, name, tag, files, index_entry=None):
        """Commit a new version to a component's repository, tag it, push
        it to its remote, and add it to the index."""
        work = os.path.join(self.root, "src", name)
        bare = os.path.join(self.root, "remotes", name + ".git")
        for path, text in files.items():
            write(os.path.join(work, path), text)
        git("add", "-A", cwd=work)
        git("commit", "-q", "--allow-empty", "-m", f"release {tag}", cwd=work)
        git("tag", tag, cwd=work)
        git("push", "-q", bare, "main", tag, cwd=work)
        pkg = self.package(name)
        pkg["versions"].append(dict({"version": tag, "git": bare}, **(index_entry or {})))
        self.write_index()

    # --- projects -----------------------------------------------------------
    def new_project(self, name="demo", board="qemu-mps2-an385"):
        r = self.cmrx("new", name, "--template", "app", "--board", board)
        if r.code != 0:
            raise RuntimeError(f"cmrx new failed: {r}")
        return os.path.join(self.root, name)

    def commit_project(self, project):
        """Put a project under git (packages/ and .cmrx/ ignored by the template's
        rules are not part of it) and return the path of a bare clone."""
        write(os.path.join(project, ".gitignore"), "/packages/\n/.cmrx/\n")
        git("init", "-q", "-b", "main", cwd=project)
        git("add", "-A", cwd=project)
        git("commit", "-q", "-m", "project", cwd=project)
        return project

    def clone_project(self, project, name):
        dest = os.path.join(self.root, name)
        git("clone", "-q", project, dest)
        return dest


class WorldTest(unittest.TestCase):
    """A test case with a fresh World per test."""

    def setUp(self):
        self.w = World()
        # A cleanup, unlike tearDown, also runs when the rest of setUp fails.
        self.addCleanup(self.w.close)

    def ok(self, r):
        self.assertEqual(r.code, 0, r)
        return r

    def fails(self, r, *parts, code=1):
        """The command failed with exit code `code` and its stderr holds every part."""
        self.assertEqual(r.code, code, r)
        for p in parts:
            self.assertIn(p, r.err, r)
        self.assertIn("error:", r.err, r)
        return r

    def lock(self, project):
        with open(os.path.join(project, "cmrx.lock")) as f:
            return f.read()

    def locked_version(self, project, name):
        """The version of package `name` in the project's cmrx.lock, or None."""
        text = self.lock(project)
        entries = text.split("- name: ")[1:]
        for e in entries:
            lines = e.splitlines()
            if lines[0].strip() == name:
                for ln in lines:
                    if ln.strip().startswith("version:"):
                        return ln.split(":", 1)[1].strip()
        return None

    def assertUnchanged(self, project, before):
        self.assertEqual(snapshot(project), before)
        self.assertFalse(os.path.exists(os.path.join(project, ".cmrx", "txn")),
                         "staging folder left behind")


class ProjectTest(WorldTest):
    """A WorldTest with a project that depends on component "comp" (versions
    1.0.0, 1.1.0 and 2.0.0; 1.1.0 locked), and commands that must fail."""

    def setUp(self):
        super().setUp()
        w = self.w
        self.comp = w.component_repo("comp", [("1.0.0", {"comp.c": "1.0\n"}),
                                              ("1.1.0", {"comp.c": "1.1\n"}),
                                              ("2.0.0", {"comp.c": "2.0\n"})])
        w.add_component("comp", self.comp, [{"version": v} for v in ("1.0.0", "1.1.0", "2.0.0")])
        self.p = w.new_project()
        self.ok(w.cmrx("add", "comp@^1", cwd=self.p))
        self.before = snapshot(self.p)

    def run_bad(self, *args, parts=(), code=1, cwd=None, env=None):
        """Run a command that must fail and leave the project as it was."""
        r = self.w.cmrx(*args, cwd=cwd or self.p, env=env)
        self.fails(r, *parts, code=code)
        self.assertUnchanged(self.p, self.before)
        return r
