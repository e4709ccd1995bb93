"""Safety: nothing a user sends is run, unpickled, fetched or rendered as HTML, and uploads are capped.

Users send text (a link's parameters, a teacher's task and goal, a pasted TensorFlow Playground link)
and files (a CSV, saved weights). Every ``.py`` file of ``nn_core/``, ``playground/``, ``pages/`` and
``app.py`` is read with ``ast`` and checked against the rules in ``RULES``; each rule has snippet
tests below that show it catching what it should. ``.streamlit/config.toml`` caps every upload.

Not scanned, on purpose (``EXCLUDED``; ``test_app_code_never_imports_the_excluded_folders`` keeps
the app away from them): ``benchmarks/`` and ``tutorials/``.
"""

import ast
import importlib
import operator
import textwrap
import tomllib
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXCLUDED = {
    "benchmarks": "developer scripts run by hand (never imported or run by the app); they start a "
    "server and a browser with subprocess, by design",
    "tutorials": "the first tutorial's code, verbatim (it seeds NumPy's global generator); the app "
    "only runs it in its own process, with sys.executable and a fixed path (playground/learn/tutorial.py)",
}
MAX_UPLOAD_MB = 5  # [server] maxUploadSize: the cap of every upload that sets no smaller one of its own


def _python_files(*names):
    found = []
    for name in names:
        path = ROOT / name
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [f.relative_to(ROOT).as_posix() for f in found]


FILES = _python_files("nn_core", "playground", "pages", "app.py")
SOURCES = {path: (ROOT / path).read_text() for path in FILES}


class Finding(NamedTuple):
    path: str
    line: int
    rule: str
    detail: str

    def __str__(self):
        return f"{self.path}:{self.line}: [{self.rule}] {self.detail}"


RULES = {
    "run text": "no eval, exec, compile or __import__; runpy / import_module only on fixed paths",
    "pickle": "no pickle, marshal, shelve, dill, joblib; np.load(..., allow_pickle=False); no "
    "read_pickle, yaml.load, torch.load",
    "shell": "no os.system / os.popen / os.exec*; subprocess only where allowed, with an argv list "
    "and never shell=True",
    "html": "no unsafe_allow_html=True; st.html, components.html and a component's html/css/js only "
    "with a constant string",
    "fetch": "the server never opens a URL (a pasted link is parsed, never fetched)",
    "archive": "no extractall (paths inside an archive could point anywhere)",
}
CODE_FROM_TEXT = {"eval", "exec", "compile", "__import__"}
CODE_FROM_FILE = {"runpy.run_path", "runpy.run_module", "importlib.import_module", "importlib.__import__"}
PICKLING_MODULES = {"pickle", "_pickle", "cPickle", "cloudpickle", "dill", "joblib", "marshal", "shelve"}
UNSAFE_LOADS = {
    *("pandas.read_pickle", "torch.load", "jsonpickle.decode"),
    *("yaml.load", "yaml.load_all", "yaml.full_load", "yaml.full_load_all", "yaml.unsafe_load"),
}
SHELL_PREFIXES = ("os.system", "os.popen", "os.exec", "os.spawn", "os.posix_spawn", "pty.spawn")
FETCH_PREFIXES = ("urllib.request.", "requests.", "httpx.", "http.client.", "aiohttp.", "socket.create")
HTML_CALLS = {"streamlit.html", "streamlit.components.v1.html", "streamlit.components.v1.iframe"}
# Allowed with a reason: (file, call) -> why.
ALLOWED = {
    ("playground/learn/tutorial.py", "subprocess.run"): "runs tutorials/xor_tutorial.py (a fixed path in the "
    "repository) with sys.executable in its own process, argv as a list, a timeout, no user input",
    ("playground/core/navigation.py", "runpy.run_path"): "runs app.py (the APP path constant) when Streamlit "
    "is still in its legacy page mode; no user input",
}


# --- reading the code ------------------------------------------------------------------------------
def import_aliases(tree):
    """Local name -> what it was imported as: ``np`` -> ``numpy``, ``components`` ->
    ``streamlit.components.v1``."""
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for a in node.names:
                aliases[a.asname or a.name] = f"{node.module}.{a.name}"
    return aliases


def dotted(node, aliases):
    """``np.load`` -> ``"numpy.load"``; a chain on a local name keeps a leading dot; None otherwise."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    root = aliases.get(node.id, node.id if not parts else "." + node.id)
    return ".".join([root, *reversed(parts)])


def constant_strings(tree):
    """Module-level names bound to a constant string (or a sum of them): ``PRESENTER_CSS``."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and is_constant_text(node.value, names):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def is_constant_text(node, names):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.Name):
        return node.id in names
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return is_constant_text(node.left, names) and is_constant_text(node.right, names)
    return False


def keyword(call, name):
    return next((k.value for k in call.keywords if k.arg == name), None)


def is_false(node):
    return isinstance(node, ast.Constant) and node.value is False


# --- the scanner -------------------------------------------------------------------------------------
def scan(source, path):
    tree = ast.parse(source)
    aliases, constants = import_aliases(tree), constant_strings(tree)
    findings = []

    def find(node, rule, detail):
        findings.append(Finding(path, node.lineno, rule, detail))

    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for module in modules:
                if module.split(".")[0] in PICKLING_MODULES:
                    find(node, "pickle", f"imports {module}: it runs code stored in the data it loads")
        if not isinstance(node, ast.Call):
            continue
        name = dotted(node.func, aliases) or ""
        if name in CODE_FROM_TEXT or name.removeprefix("builtins.") in CODE_FROM_TEXT:
            find(node, "run text", f"{name}() runs text as code")
        if name in CODE_FROM_FILE and (path, name) not in ALLOWED:
            find(node, "run text", f"{name}() runs code chosen at run time: add it to ALLOWED with why")
        if name in ("numpy.load", "numpy.lib.npyio.load") and not is_false(keyword(node, "allow_pickle")):
            find(node, "pickle", f"{name}() without allow_pickle=False")
        if name in UNSAFE_LOADS:
            find(node, "pickle", f"{name}() can build arbitrary objects")
        if name.startswith(SHELL_PREFIXES):
            find(node, "shell", f"{name}() goes through a shell or replaces the process")
        if name.startswith("subprocess."):
            findings.extend(subprocess_findings(node, name, path))
        if name.startswith(FETCH_PREFIXES):
            find(node, "fetch", f"{name}(): the server must not open URLs (a user's link could point inside)")
        if isinstance(node.func, ast.Attribute) and node.func.attr == "extractall":
            find(
                node, "archive", f"{ast.unparse(node.func)}(): an archive's paths may leave the target folder"
            )
        unsafe = keyword(node, "unsafe_allow_html")
        if unsafe is not None and not is_false(unsafe):
            find(node, "html", f"{name or ast.unparse(node.func)}(unsafe_allow_html=...) renders raw HTML")
        if name in HTML_CALLS:
            body = node.args[0] if node.args else keyword(node, "body") or keyword(node, "html")
            if body is None or not is_constant_text(body, constants):
                find(
                    node,
                    "html",
                    f"{name}({ast.unparse(body) if body else ''}): HTML only from a constant string",
                )
        if isinstance(node.func, ast.Attribute) and node.func.attr == "component":  # st.components.v2
            for part in ("html", "css", "js"):
                value = keyword(node, part)
                if value is not None and not is_constant_text(value, constants):
                    find(node, "html", f"component({part}={ast.unparse(value)}): only a constant string")
    return findings


def subprocess_findings(node, name, path):
    findings = []
    shell = keyword(node, "shell")
    if shell is not None and not is_false(shell):
        findings.append(Finding(path, node.lineno, "shell", f"{name}(shell=...) runs a command line"))
    if (path, name) not in ALLOWED:
        findings.append(Finding(path, node.lineno, "shell", f"{name}(): add it to ALLOWED with why"))
    argv = node.args[0] if node.args else keyword(node, "args")
    if not isinstance(argv, (ast.List, ast.Tuple)):
        findings.append(Finding(path, node.lineno, "shell", f"{name}(): argv must be a list, never a string"))
    return findings


@pytest.mark.parametrize("path", FILES)
def test_code_never_runs_unpickles_fetches_or_renders_user_input(path):
    findings = scan(SOURCES[path], path)
    assert not findings, "\n" + "\n".join(map(str, findings))


def test_allowed_entries_are_used():
    for path, call in ALLOWED:
        assert call.rsplit(".", 1)[-1] in SOURCES[path], f"stale entry: {path} {call}"


def test_app_code_never_imports_the_excluded_folders():
    for folder in EXCLUDED:
        assert (ROOT / folder).is_dir(), f"{folder} is gone: drop it from EXCLUDED"
    for path, source in SOURCES.items():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = (
                    [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                )
                assert not {m.split(".")[0] for m in modules} & set(EXCLUDED), f"{path}:{node.lineno}"


# --- uploads -----------------------------------------------------------------------------------------
def test_config_caps_every_upload():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB


OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}
OPERATORS |= {ast.FloorDiv: operator.floordiv, ast.Div: operator.truediv, ast.Pow: operator.pow}


def number(node, aliases):
    """The value of a constant expression such as ``upload.MAX_BYTES // 1024**2``: numbers, arithmetic
    and module constants (read from the imported module)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        return OPERATORS[type(node.op)](number(node.left, aliases), number(node.right, aliases))
    name = dotted(node, aliases)
    if name and not name.startswith("."):
        module, attribute = name.rsplit(".", 1)
        return getattr(importlib.import_module(module), attribute)
    raise ValueError(f"not a constant: {ast.unparse(node)}")


def upload_limits(source, path):
    """(path, line, limit in MB) of every file_uploader: its max_upload_size, or the server's cap."""
    tree = ast.parse(source)
    aliases = import_aliases(tree)
    limits = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "file_uploader"
        ):
            own = keyword(node, "max_upload_size")
            limits.append((path, node.lineno, MAX_UPLOAD_MB if own is None else number(own, aliases)))
    return limits


def test_every_file_uploader_is_capped():
    limits = [limit for path in FILES for limit in upload_limits(SOURCES[path], path)]
    assert {(path, size) for path, _, size in limits} == {
        ("pages/your_data.py", 1),
        ("playground/files/export_panel.py", 5),
    }
    for path, line, size in limits:
        assert 0 < size <= MAX_UPLOAD_MB, f"{path}:{line}: {size} MB"


def test_upload_limits_default_to_the_server_cap():
    code = "import streamlit as st\nst.file_uploader('CSV')\nst.sidebar.file_uploader('x', max_upload_size=2)"
    assert upload_limits(code, "pages/x.py") == [("pages/x.py", 2, MAX_UPLOAD_MB), ("pages/x.py", 3, 2)]


# --- the scanner catches what it should ---------------------------------------------------------------
def rules(code, path="playground/example.py"):
    return [f.rule for f in scan(textwrap.dedent(code), path)]


@pytest.mark.parametrize(
    "code, rule",
    [
        ("value = eval(text)", "run text"),
        ("exec(text)", "run text"),
        ("code = compile(text, 'x', 'exec')", "run text"),
        ("module = __import__(name)", "run text"),
        ("import builtins\nbuiltins.eval(text)", "run text"),
        ("import runpy\nrunpy.run_path(path)", "run text"),
        ("import importlib\nimportlib.import_module(name)", "run text"),
        ("import pickle", "pickle"),
        ("from pickle import loads", "pickle"),
        ("import dill as d", "pickle"),
        ("import marshal", "pickle"),
        ("import shelve", "pickle"),
        ("import numpy as np\nnp.load(data)", "pickle"),
        ("import numpy as np\nnp.load(data, allow_pickle=True)", "pickle"),
        ("from numpy import load\nload(data)", "pickle"),
        ("import pandas as pd\npd.read_pickle(data)", "pickle"),
        ("import yaml\nyaml.load(text, Loader=yaml.Loader)", "pickle"),
        ("import os\nos.system(command)", "shell"),
        ("import os\nos.popen(command)", "shell"),
        ("import subprocess\nsubprocess.run(['ls'], shell=True)", "shell"),
        ("import subprocess\nsubprocess.run(command)", "shell"),
        ("import subprocess as sp\nsp.Popen(['ls'])", "shell"),
        ("import urllib.request\nurllib.request.urlopen(link)", "fetch"),
        ("import requests\nrequests.get(link)", "fetch"),
        ("import zipfile\nzipfile.ZipFile(f).extractall(folder)", "archive"),
        ("import streamlit as st\nst.markdown(task, unsafe_allow_html=True)", "html"),
        ("import streamlit as st\nst.write(task, unsafe_allow_html=flag)", "html"),
        ("import streamlit as st\nst.html(task)", "html"),
        ("import streamlit as st\nst.html(f'<b>{task}</b>')", "html"),
        ("import streamlit as st\nCSS = '<style>'\nst.html(CSS + task)", "html"),
        ("import streamlit.components.v1 as components\ncomponents.html(page)", "html"),
        ("import streamlit as st\nst.components.v1.html('<p>' + task)", "html"),
        ("import streamlit as st\nst.components.v2.component('x', html=task)", "html"),
    ],
)
def test_scanner_reports(code, rule):
    assert rule in rules(code)


@pytest.mark.parametrize(
    "code",
    [
        "import numpy as np\nnp.load(data, allow_pickle=False)",
        "import json\njson.loads(text)",
        "import re\npattern = re.compile('x')",
        "import yaml\nyaml.safe_load(text)",
        "import streamlit as st\nst.markdown(task)",
        "import streamlit as st\nst.markdown(task, unsafe_allow_html=False)",
        "import streamlit as st\nCSS = '<style>' + 'p {}' + '</style>'\nst.html(CSS)",
        "import streamlit as st\nst.html('<style>p {}</style>')",
        "import streamlit as st\nJS = 'export default 1'\nst.components.v2.component('x', js=JS)",
        "import urllib.parse\nurllib.parse.urlsplit(link)",
        "import zipfile\nzipfile.ZipFile(f).infolist()",
    ],
)
def test_scanner_accepts_safe_code(code):
    assert rules(code) == []


def test_allowed_subprocess_still_needs_an_argv_list_and_no_shell():
    code = "import subprocess\nsubprocess.run(command, shell=True)"
    assert rules(code, "playground/learn/tutorial.py") == ["shell", "shell"]
    assert (
        rules("import subprocess\nsubprocess.run([exe, path], timeout=5)", "playground/learn/tutorial.py")
        == []
    )
