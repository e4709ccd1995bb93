"""Isolation: one Streamlit server runs every user's session in one Python process.

What a library module (``nn_core/``, ``playground/``) binds when it is imported is shared by every
session, so it must be read-only: tuples, frozensets, ``MappingProxyType``, strings, numbers, frozen
dataclasses and NamedTuples, read-only NumPy arrays, functions. Per-user objects live in
``st.session_state`` under their page's key prefix, and ``st.cache_resource`` / ``st.cache_data``
hold only what is the same for everyone. The checks: the source of every file, read with ``ast``
(module- and class-level bindings, ``global``, mutable defaults, global random generators and other
process-wide state, every cache, every session key); and the imported objects themselves (deeply
read-only, for what the source alone cannot tell). The snippet tests at the end show each rule
catching what it should, so a scanner that silently stopped finding anything would fail.

Page scripts (``pages/``, ``app.py``) are not imported: Streamlit executes them in a new ``__main__``
module on every run (``StreamlitPage.run``), so their top-level names are per-run variables, not
shared state (``test_page_scripts_get_a_new_namespace_every_run`` shows it). Every other rule applies
to them.
"""

import ast
import dataclasses
import functools
import importlib
import re
import sys
import textwrap
import types
import typing
from collections import defaultdict
from pathlib import Path, PurePath
from typing import NamedTuple

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def _python_files(*names):
    found = []
    for name in names:
        path = ROOT / name
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [f.relative_to(ROOT).as_posix() for f in found]


LIBRARY_FILES = _python_files("nn_core", "playground")  # imported once, shared by every session
SCRIPT_FILES = _python_files("pages", "app.py")  # run anew in a fresh namespace on every run
ALL_FILES = LIBRARY_FILES + SCRIPT_FILES


def is_script(path):
    return path == "app.py" or path.startswith("pages/")


class Finding(NamedTuple):
    path: str
    line: int
    rule: str
    detail: str

    def __str__(self):
        return f"{self.path}:{self.line}: [{self.rule}] {self.detail}"


def report(findings):
    return "\n".join(map(str, findings))


# --- reading names ----------------------------------------------------------------------------------
def import_aliases(tree):
    """Local name -> what it was imported as: ``np`` -> ``numpy``, ``deque`` -> ``collections.deque``."""
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
    """``np.random.seed`` -> ``"numpy.random.seed"`` through the imports; a chain on a local name keeps
    a leading dot (``".rng.normal"``) so it never matches a module; None for anything else."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    root = aliases.get(node.id, node.id if not parts else "." + node.id)
    return ".".join([root, *reversed(parts)])


def module_statements(body):
    """Statements that run at import time: the body and what sits in its if / try / with blocks."""
    for node in body:
        yield node
        if isinstance(node, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
            for block in ("body", "orelse", "finalbody", "handlers"):
                yield from module_statements(getattr(node, block, []))
        elif isinstance(node, ast.ExceptHandler):
            yield from module_statements(node.body)


def bindings(statement):
    """(name, value node) pairs an assignment binds; a tuple target pairs with a tuple value."""
    if isinstance(statement, ast.Assign):
        targets, value = statement.targets, statement.value
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        targets, value = [statement.target], statement.value
    else:
        return []
    pairs = []
    for target in targets:
        if isinstance(target, ast.Name):
            pairs.append((target.id, value))
        elif isinstance(target, ast.Tuple):
            values = (
                value.elts if isinstance(value, ast.Tuple) and len(value.elts) == len(target.elts) else None
            )
            for i, element in enumerate(target.elts):
                if isinstance(element, ast.Name):
                    pairs.append((element.id, values[i] if values else value))
    return pairs


# --- what a value is, read from the code --------------------------------------------------------------
class Verdict(NamedTuple):
    level: int  # 0 read-only, 1 unknown kind (the object itself is checked at import), 2 mutable
    why: str = ""
    array: bool = False  # a NumPy array: read-only once ``x.flags.writeable = False`` follows


READ_ONLY = Verdict(0)
MUTABLE_NODES = {
    ast.Dict: "a dict",
    ast.List: "a list",
    ast.Set: "a set",
    ast.DictComp: "a dict comprehension",
    ast.ListComp: "a list comprehension",
    ast.SetComp: "a set comprehension",
    ast.GeneratorExp: "a generator",
}
MUTABLE_CALLS = {
    *("dict", "list", "set", "bytearray", "sorted", "vars", "iter"),
    *("collections.defaultdict", "collections.OrderedDict", "collections.Counter", "collections.deque"),
    *("collections.ChainMap", "types.SimpleNamespace", "array.array", "io.BytesIO", "io.StringIO"),
    *("queue.Queue", "threading.Lock", "threading.RLock", "threading.Event", "itertools.count"),
    *("weakref.WeakValueDictionary", "weakref.WeakKeyDictionary", "random.Random"),
    *("numpy.random.default_rng", "numpy.random.RandomState", "numpy.random.Generator"),
}
READ_ONLY_CONTAINERS = {"tuple", "frozenset", "types.MappingProxyType"}
READ_ONLY_CALLS = {
    *("int", "float", "complex", "str", "bytes", "bool", "range", "len", "repr", "round", "abs"),
    *("re.compile", "pathlib.Path", "dataclasses.field", "property", "staticmethod", "classmethod"),
    *("object", "typing.TypeVar", "typing.NewType", "collections.namedtuple", "operator.itemgetter"),
}
NUMPY_SCALARS = re.compile(r"numpy\.(u?int\d*|float\d*|complex\d*|bool_?|intp|dtype|finfo|iinfo)$")


class Context(NamedTuple):
    module: str
    aliases: dict
    bound: dict  # module-level name -> Verdict, as the module is read top to bottom
    defined: frozenset  # functions and classes defined in this module
    frozen_classes: frozenset  # dotted names of the project's frozen dataclasses and NamedTuples


def worst(verdicts):
    return max(verdicts, key=lambda v: v.level, default=READ_ONLY)


def contents(node):
    """The elements a read-only container is built from (the container argument itself is copied or
    wrapped, so only what it holds matters)."""
    if isinstance(node, ast.Dict):
        return [k for k in node.keys if k is not None] + node.values
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return node.elts
    if isinstance(node, ast.DictComp):
        return [node.key, node.value]
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        return [node.elt]
    if isinstance(node, ast.BinOp):
        return contents(node.left) + contents(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("dict", "list"):
        return [c for a in node.args for c in contents(a)] + [k.value for k in node.keywords]
    return [node]


def classify(node, ctx):
    """How read-only the object ``node`` builds is, from the code alone."""
    if isinstance(node, (ast.Constant, ast.JoinedStr, ast.Lambda, ast.Compare)):
        return READ_ONLY
    if type(node) in MUTABLE_NODES:
        return Verdict(2, MUTABLE_NODES[type(node)])
    if isinstance(node, ast.Tuple):
        return worst(classify(e, ctx) for e in node.elts)
    if isinstance(node, ast.BinOp):
        return worst([classify(node.left, ctx), classify(node.right, ctx)])
    if isinstance(node, ast.UnaryOp):
        return classify(node.operand, ctx)
    if isinstance(node, (ast.BoolOp)):
        return worst(classify(v, ctx) for v in node.values)
    if isinstance(node, ast.IfExp):
        return worst([classify(node.body, ctx), classify(node.orelse, ctx)])
    if isinstance(node, ast.Name):
        if node.id in ctx.bound:
            return ctx.bound[node.id]
        return READ_ONLY if node.id in ctx.defined else Verdict(1, f"{node.id}, defined elsewhere")
    if isinstance(node, ast.Call):
        return classify_call(node, ctx)
    return Verdict(1, ast.unparse(node)[:60])


def classify_call(node, ctx):
    name = dotted(node.func, ctx.aliases) or ""
    if isinstance(node.func, ast.Name) and node.func.id in ctx.defined:
        name = f"{ctx.module}.{node.func.id}"  # a class or function of this module
    arguments = [*node.args, *(k.value for k in node.keywords)]
    if name in MUTABLE_CALLS:
        return Verdict(2, f"{name}(...)")
    if name.startswith("numpy.") and not NUMPY_SCALARS.match(name):
        return Verdict(2, f"a NumPy array ({name})", array=True)
    if name in READ_ONLY_CONTAINERS:
        return worst(classify(c, ctx) for a in arguments for c in contents(a))
    if name in READ_ONLY_CALLS or name.startswith(("math.", "operator.")):
        return READ_ONLY
    if name in ctx.frozen_classes:
        return worst(classify(a, ctx) for a in arguments)
    return Verdict(1, f"the result of {name or ast.unparse(node.func)}(...)")


def made_read_only(name, statements):
    """``name.flags.writeable = False`` or ``name.setflags(write=False)`` among ``statements``."""
    for s in statements:
        if isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant) and s.value.value is False:
            if any(ast.unparse(t) == f"{name}.flags.writeable" for t in s.targets):
                return True
        if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call):
            call = s.value
            if ast.unparse(call.func) == f"{name}.setflags":
                return any(k.arg == "write" and ast.unparse(k.value) == "False" for k in call.keywords)
    return False


def module_name(path):
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def frozen_classes(sources):
    """Dotted names of the frozen dataclasses and NamedTuples the scanned modules define."""
    names = set()
    for path, source in sources.items():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ClassDef):
                frozen = any("frozen=True" in ast.unparse(d) for d in node.decorator_list)
                if frozen or any(ast.unparse(b) in ("NamedTuple", "typing.NamedTuple") for b in node.bases):
                    names.add(f"{module_name(path)}.{node.name}")
    return frozenset(names)


def read_sources(paths):
    return {path: (ROOT / path).read_text() for path in paths}


FROZEN_CLASSES = frozen_classes(read_sources(LIBRARY_FILES))


# --- the source scanner ----------------------------------------------------------------------------------
GLOBAL_RANDOM_OK = {"default_rng", "Generator", "RandomState", "SeedSequence", "PCG64", "Philox", "SFC64"}
PROCESS_WIDE_CALLS = {
    *("os.putenv", "os.chdir", "os.umask", "sys.setrecursionlimit", "sys.settrace", "locale.setlocale"),
    *("warnings.filterwarnings", "warnings.simplefilter", "numpy.seterr", "numpy.set_printoptions"),
    *("pandas.set_option", "gc.disable", "gc.set_threshold", "gc.freeze", "gc.unfreeze"),
    "socket.setdefaulttimeout",
}
# Process-wide calls made on purpose, once per process, with nothing per user in them.
PROCESS_WIDE_ALLOWED = {
    ("playground/core/server.py", "gc.freeze"): "freeze_gc (a cache_resource: once per process) moves the "
    "import-time objects out of the collector's view; the same for every session by design",
}


def scan_source(source, path, frozen=FROZEN_CLASSES):
    """Findings of one file, and the module-level names whose kind the code alone cannot tell
    (``unknown``: name -> why; the imported object is checked instead)."""
    tree = ast.parse(source)
    aliases = import_aliases(tree)
    defined = frozenset(
        n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    )
    ctx = Context(module_name(path), aliases, {}, defined, frozen | frozen_classes({path: source}))
    findings, unknown = [], {}
    statements = list(module_statements(tree.body))
    for i, statement in enumerate(statements):
        for name, value in bindings(statement):
            verdict = classify(value, ctx)
            if verdict.array and made_read_only(name, statements[i + 1 :]):
                verdict = READ_ONLY
            ctx.bound[name] = verdict
            if is_script(path):
                continue  # a page's names live for one run (see the module docstring)
            if verdict.level == 2:
                fix = " (then x.flags.writeable = False)" if verdict.array else ""
                rule = "module-level mutable"
                findings.append(Finding(path, statement.lineno, rule, f"{name} = {verdict.why}{fix}"))
            elif verdict.level == 1:
                unknown[name] = verdict.why
        if not is_script(path) and isinstance(statement, (ast.AugAssign, ast.Assign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                if isinstance(target, ast.Subscript) or isinstance(statement, ast.AugAssign):
                    what = f"changes {ast.unparse(target)} at import time"
                    findings.append(Finding(path, statement.lineno, "module-level mutable", what))
    findings += scan_classes(tree, path, ctx)
    findings += scan_functions(tree, path, ctx)
    findings += scan_shared_process_state(tree, path, aliases)
    return findings, unknown


def scan_classes(tree, path, ctx):
    """Class attributes are shared by every instance, in every session: read-only too."""
    findings = []
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        for statement in cls.body:
            for name, value in bindings(statement):
                verdict = classify(value, ctx)
                if verdict.level == 2:
                    detail = f"{cls.name}.{name} = {verdict.why}, shared by every instance"
                    findings.append(Finding(path, statement.lineno, "class-level mutable", detail))
    return findings


def scan_functions(tree, path, ctx):
    """``global`` statements and mutable default arguments (one object shared by every call)."""
    findings = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            kind = "global" if isinstance(node, ast.Global) else "nonlocal"
            findings.append(Finding(path, node.lineno, kind, f"{kind} {', '.join(node.names)}"))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            for default in [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]:
                verdict = classify(default, ctx)
                if verdict.level == 2:
                    where = getattr(node, "name", "lambda")
                    detail = f"{where}(... = {ast.unparse(default)[:40]}): {verdict.why}"
                    findings.append(Finding(path, default.lineno, "mutable default", detail))
    return findings


def scan_shared_process_state(tree, path, aliases):
    """State every session shares although no module global names it: NumPy's and ``random``'s global
    generators, attributes of imported modules, process-wide settings."""
    findings = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = dotted(node.func, aliases) or ""
            last = name.rsplit(".", 1)[-1]
            global_rng = name.startswith("numpy.random.") and last not in GLOBAL_RANDOM_OK
            global_rng |= name.startswith("random.") and last not in ("Random", "SystemRandom")
            if global_rng:
                findings.append(Finding(path, node.lineno, "global random", f"{name}(): use a Generator"))
            if name in PROCESS_WIDE_CALLS and (path, name) not in PROCESS_WIDE_ALLOWED:
                findings.append(Finding(path, node.lineno, "process-wide", f"{name}() changes every session"))
        targets = list(node.targets) if isinstance(node, ast.Assign) else []
        targets += [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
        for target in targets:
            root = target
            while isinstance(root, (ast.Attribute, ast.Subscript)):
                root = root.value
            name = (
                dotted(target.value, aliases) if isinstance(target, (ast.Attribute, ast.Subscript)) else None
            )
            imported = isinstance(root, ast.Name) and root.id in aliases
            if imported and name and not name.startswith("streamlit.session_state"):
                detail = f"{ast.unparse(target)} = ... sets an attribute of {name} for every session"
                findings.append(Finding(path, node.lineno, "process-wide", detail))
    return findings


SOURCES = read_sources(ALL_FILES)


@pytest.mark.parametrize("path", ALL_FILES)
def test_code_keeps_no_shared_mutable_state(path):
    findings, _ = scan_source(SOURCES[path], path)
    assert not findings, "\n" + report(findings)


# --- the imported objects ------------------------------------------------------------------------------

TYPE_ALIASES = (types.GenericAlias, type(typing.Callable[[], None]), type(int | str))


def why_not_read_only(obj, where="", depth=0):
    """None if ``obj`` cannot be changed through normal Python (deeply), else why it can."""
    if depth > 12 or obj is None or isinstance(obj, (bool, int, float, complex, str, bytes, range)):
        return None
    if isinstance(obj, (type, types.ModuleType, types.BuiltinFunctionType, re.Pattern, PurePath)):
        return None  # a class (its attributes are checked separately), a module, a C function, ...
    if isinstance(obj, (np.dtype, np.generic)):
        return None
    if isinstance(obj, TYPE_ALIASES):  # ``FloatArray = npt.NDArray[np.float32]``: a type, for mypy
        return None
    if isinstance(obj, np.ndarray):
        ok = not obj.flags.writeable and obj.dtype != object
        return None if ok else f"{where or 'it'} is a writeable NumPy array"
    if isinstance(obj, (tuple, frozenset)):  # NamedTuples included
        return _first(why_not_read_only(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(obj))
    if isinstance(obj, types.MappingProxyType):
        return _first(why_not_read_only(v, f"{where}[{k!r}]", depth + 1) for k, v in obj.items())
    if isinstance(obj, (types.FunctionType, functools.partial, property, staticmethod, classmethod)):
        return why_function_is_not_read_only(obj, where, depth)
    if dataclasses.is_dataclass(obj):
        if not obj.__dataclass_params__.frozen:
            return f"{where or 'it'} is a {type(obj).__name__}, a dataclass that is not frozen"
        fields = dataclasses.fields(obj)
        return _first(why_not_read_only(getattr(obj, f.name), f"{where}.{f.name}", depth + 1) for f in fields)
    return f"{where or 'it'} is a {type(obj).__module__}.{type(obj).__qualname__}"


def why_function_is_not_read_only(obj, where, depth):
    """A project function is read-only if what it closes over and its defaults are; someone else's
    (a factory's product, e.g. a component registration) cannot be read and needs a reason."""
    if isinstance(obj, property):
        parts = (obj.fget, obj.fset, obj.fdel)
        return _first(why_not_read_only(p, where, depth + 1) for p in parts if p is not None)
    if isinstance(obj, (staticmethod, classmethod)):
        return why_not_read_only(obj.__func__, where, depth + 1)
    if isinstance(obj, functools.partial):
        parts = (obj.func, obj.args, types.MappingProxyType(obj.keywords))
        return _first(why_not_read_only(p, where, depth + 1) for p in parts)
    if not obj.__module__.startswith(("nn_core", "playground")):
        return f"{where or 'it'} is a function made by {obj.__module__}"
    cells = [c.cell_contents for c in obj.__closure__ or ()]
    defaults = [*(obj.__defaults__ or ()), *(obj.__kwdefaults__ or {}).values()]
    return _first(why_not_read_only(v, f"{where} (closure or default)", depth + 1) for v in cells + defaults)


def _first(reasons):
    return next((r for r in reasons if r), None)


# Objects the check above cannot prove read-only, each with the reason it is fine.
ALLOWED_OBJECTS = {
    ("playground/live/component.py", "_COMPONENT"): "the st.components.v2 registration of the live charts: "
    "registered once per process at import (registering on every run would re-register it, which "
    "Streamlit warns about); it holds the component's name and its constant loader JS, and every "
    "session mounts it with its own key and its own data from st.session_state",
}


def module_level_names(source):
    tree = ast.parse(source)
    names = [name for s in module_statements(tree.body) for name, _ in bindings(s)]
    classes = {
        n.name: [name for s in n.body for name, _ in bindings(s)]
        for n in tree.body
        if isinstance(n, ast.ClassDef)
    }
    return names, classes


def class_attribute(cls, name):
    """What a class-level binding left on the class: a NamedTuple keeps its field defaults aside."""
    defaults = getattr(cls, "_field_defaults", {})
    return defaults[name] if name in defaults else vars(cls).get(name)


@pytest.mark.parametrize("path", LIBRARY_FILES)
def test_imported_module_objects_are_read_only(path):
    module = importlib.import_module(module_name(path))
    names, classes = module_level_names(SOURCES[path])
    problems = []
    for name in names:
        why = why_not_read_only(getattr(module, name), name)
        if why and (path, name) not in ALLOWED_OBJECTS:
            problems.append(f"{path}: {why}")
    for cls, attributes in classes.items():
        for name in attributes:
            why = why_not_read_only(class_attribute(getattr(module, cls), name), f"{cls}.{name}")
            if why:
                problems.append(f"{path}: {why}, shared by every instance")
    assert not problems, "\n" + "\n".join(problems)


def test_allowed_objects_exist_and_are_module_level():
    for path, name in ALLOWED_OBJECTS:
        assert name in module_level_names(SOURCES[path])[0], f"stale entry: {path} {name}"
    for path, call in PROCESS_WIDE_ALLOWED:
        assert call.rsplit(".", 1)[-1] in SOURCES[path], f"stale entry: {path} {call}"


def test_page_scripts_get_a_new_namespace_every_run(tmp_path, monkeypatch):
    """A page's top-level names start afresh on every run; an imported module's are shared."""
    module = "isolation_probe_module"
    (tmp_path / f"{module}.py").write_text("seen = []\n")
    (tmp_path / "page.py").write_text(
        "import streamlit as st\n"
        f"import {module}\n"
        "mine = globals().setdefault('mine', [])\n"
        f"mine.append(1); {module}.seen.append(1)\n"
        f"st.write(f'page {{len(mine)}}, module {{len({module}.seen)}}')\n"
    )
    (tmp_path / "app.py").write_text("import streamlit as st\nst.navigation([st.Page('page.py')]).run()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, module, raising=False)
    at = AppTest.from_file(str(tmp_path / "app.py")).run()
    at.run()
    assert not at.exception
    assert at.markdown[0].value == "page 1, module 2"  # the page's list is new, the module's is not


# --- caches ---------------------------------------------------------------------------------------------
CACHE_KINDS = {
    "streamlit.cache_resource": "cache_resource",
    "streamlit.cache_data": "cache_data",
    "functools.lru_cache": "lru_cache",
    "functools.cache": "lru_cache",
}
# Every cache, with why it holds nothing per user. cache_resource: process-wide resources only, from
# functions without parameters (nothing per user can key them). cache_data: results the same for
# everyone; it hands every caller its own unpickled copy (tested below), so no session can change
# what another receives. lru_cache: a process-wide dict, never for anything a user can reach.
ALLOWED_CACHES = {
    ("playground/core/server.py", "cache_resource", "freeze_gc"): "gc.freeze() once per server process; "
    "returns True, nothing per user",
    ("playground/live/workers.py", "cache_resource", "pool"): "the worker processes every session's ticks "
    "run in: each job carries its session's state and the workers keep nothing of it; the count of "
    "sessions training holds random tokens and times, no user data",
    (
        "playground/live/component.py",
        "cache_resource",
        "plotly_url",
    ): "copies plotly.js into static/ once per process; returns its URL (a string), the same for every user",
    ("playground/challenge/replays.py", "cache_resource", "_pool"): "one worker process for the board's "
    "replays: each job carries its run's link and the worker keeps nothing of it",
    ("pages/tutorial.py", "cache_data", "tutorial.run_tutorial"): "the tutorial's fixed script, no "
    "argument: the same printout for everyone; each caller gets its own copy",
    ("pages/tutorial.py", "cache_data", "tutorial.run_nn_core"): "the same fixed run in nn_core, no "
    "argument: the same result for everyone; each caller gets its own copy",
}


class CacheUse(NamedTuple):
    path: str
    line: int
    kind: str
    function: str
    parameters: tuple | None  # the cached function's parameters, None if it is defined elsewhere


def cache_uses(source, path):
    """Every cached function: decorated (``@st.cache_resource``, ``@st.cache_data(...)``) or wrapped
    by a call (``st.cache_data(tutorial.run_tutorial)``)."""
    tree = ast.parse(source)
    aliases, uses, decorators = import_aliases(tree), [], set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                decorators.add(id(decorator))
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                kind = CACHE_KINDS.get(dotted(target, aliases))
                if kind:
                    params = tuple(
                        a.arg for a in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
                    )
                    uses.append(CacheUse(path, node.lineno, kind, node.name, params))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and id(node) not in decorators and node.args:
            kind = CACHE_KINDS.get(dotted(node.func, aliases))
            if kind:
                uses.append(CacheUse(path, node.lineno, kind, ast.unparse(node.args[0]), None))
    return uses


def cache_findings(uses):
    findings = []
    for use in uses:
        if (use.path, use.kind, use.function) not in ALLOWED_CACHES:
            detail = (
                f"{use.kind} on {use.function}: not in ALLOWED_CACHES (say why nothing per user is in it)"
            )
            findings.append(Finding(use.path, use.line, "cache", detail))
        if use.kind == "cache_resource" and use.parameters:
            detail = f"cache_resource on {use.function}{use.parameters}: a per-user argument would key it"
            findings.append(Finding(use.path, use.line, "cache", detail))
    return findings


ALL_CACHE_USES = [use for path in ALL_FILES for use in cache_uses(SOURCES[path], path)]


def test_every_cache_holds_only_what_is_the_same_for_everyone():
    findings = cache_findings(ALL_CACHE_USES)
    assert not findings, "\n" + report(findings)
    used = {(u.path, u.kind, u.function) for u in ALL_CACHE_USES}
    assert set(ALLOWED_CACHES) <= used, f"stale entries: {set(ALLOWED_CACHES) - used}"


def test_cache_data_hands_every_caller_its_own_copy():
    calls = []

    @st.cache_data(show_spinner=False)
    def numbers():
        calls.append(1)
        return [1, 2]

    mine = numbers()
    mine.append(3)  # one session changing its result ...
    assert numbers() == [1, 2] and len(calls) == 1  # ... changes nothing for the next
    numbers.clear()


# --- session state keys --------------------------------------------------------------------------------
class Owner(NamedTuple):
    owner: str
    writers: frozenset  # the files that may set keys with this prefix (anyone may read them)


def owner(text, *writers):
    return Owner(text, frozenset(writers))


# Key prefix -> the page (or part) that owns it. Widget keys count as keys: a widget owns its key.
PREFIXES = {
    "pg_": owner(
        "the Playground: experiment, running flag, last change, link, classroom, goal, live-chart sync,"
        " the run's film and its GIF, data drawn by hand, a click on a layer's title",
        "playground/core/session.py",
        "playground/live/rate.py",
        "playground/live/pacing.py",
        "playground/live/tick.py",
        "playground/live/panels.py",
        "playground/live/component.py",
        "playground/live/store.py",
        "playground/live/film_panel.py",
        "playground/live/edits.py",
        "playground/live/metrics_panel.py",  # the confusion heatmap when the live charts cannot run
        "playground/live/controls.py",
    ),
    "cfg_": owner(
        "the Playground's controls, one per Config field",
        "playground/live/controls.py",
        "playground/live/own_features.py",
        "playground/live/panels.py",
        "playground/live/edits.py",
        "playground/core/session.py",
    ),
    "ex_": owner("the Playground's Take it home panel", "playground/files/export_panel.py"),
    "chl_": owner(
        "Class challenges: the submit box, the board, the Teacher page's form",
        "playground/challenge/panels.py",
    ),  # fmt: skip
    "cmp_": owner("Compare runs", "pages/compare.py", "playground/compare/widgets.py"),
    "yd_": owner("Your data", "pages/your_data.py"),
    "lsn_": owner("Lessons", "pages/lessons.py"),
    "tch_": owner("Teacher links", "pages/teacher.py"),
    "bp_": owner("Backprop, step by step", "playground/learn/stepper_panels.py"),
    "gc_": owner("Gradient check", "pages/gradient_check.py", "playground/learn/gradient_check.py"),
    "tut_": owner("The tutorial, reproduced", "pages/tutorial.py"),
    "act_": owner("Activations and gradients", "pages/activations.py", "playground/learn/activations.py"),
    "hs_": owner("Hidden space", "pages/hidden_space.py"),
    "learn_": owner("the Learn pages' shared default network", "playground/learn/common.py"),
}
# A page writing another's key on purpose.
HAND_OFFS = {}  # (file, key) written by a page that does not own the key: none (core.session hands over)
# Widget keys without a prefix: the Playground's buttons and charts, older than the convention; the
# AppTests and the browser harness find them by these names. Key -> the one file that may use it.
UNPREFIXED_KEYS = {
    "play": "playground/live/panels.py",
    "pause": "playground/live/panels.py",
    "step": "playground/live/panels.py",
    "reset": "playground/live/panels.py",
    "leave_classroom": "playground/live/panels.py",
    "boundary": "playground/live/panels.py",
    "loss": "playground/live/panels.py",
    "network": "playground/live/panels.py",
    "weights": "playground/live/panels.py",
    "new_data": "playground/live/controls.py",
    "live": "playground/live/component.py",
}
# Keys built at run time from a variable: the prefix every value has, and why.
DYNAMIC_KEYS = {
    ("playground/core/session.py", "name"): (
        "cfg_",
        "deletes the keys that start with cfg_ (reseeds the controls)",
    ),
    ("playground/learn/gradient_check.py", "key"): ("gc_", "seeds the controls from a dict of gc_ keys"),
    ("pages/hidden_space.py", "key"): ("hs_", "loops over ('hs_unit_x', 'hs_unit_y')"),
}
# Parameters that stand for st.session_state (a module that takes it as a plain mapping).
SESSION_PARAMETERS = {"playground/compare/widgets.py": {"state"}}
SESSION_METHODS = {"get": False, "setdefault": True, "pop": True}  # method -> writes
NOT_KEYS = {"get", "setdefault", "pop", "update", "keys", "values", "items", "clear", "to_dict"}
NOT_WIDGET_CALLS = {"sorted", "sort", "min", "max", "nsmallest", "nlargest", "groupby", "sort_values"}


class KeyUse(NamedTuple):
    path: str
    line: int
    text: str | None  # the key, or its constant beginning; None when built from a variable
    expression: str
    write: bool


def key_builders(sources):
    """Functions that only return an f-string (``key(name)`` -> ``f"cfg_{name}"``): name -> its start."""
    builders = {}
    for source in sources.values():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef):
                body = [
                    s
                    for s in node.body
                    if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
                ]
                if (
                    len(body) == 1
                    and isinstance(body[0], ast.Return)
                    and isinstance(body[0].value, ast.JoinedStr)
                ):
                    builders[node.name] = key_text(body[0].value, {})
    # ... and functions that only return such a function's result (``key(name)`` -> ``control_key(name)``)
    for source in sources.values():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef) and node.name not in builders:
                body = [
                    s
                    for s in node.body
                    if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
                ]
                if len(body) == 1 and isinstance(body[0], ast.Return) and isinstance(body[0].value, ast.Call):
                    text = key_text(body[0].value, builders)
                    if text is not None:
                        builders[node.name] = text
    return builders


def key_text(node, builders):
    """The key ``node`` names, or the constant start of it; None if it comes from a variable."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return node.values[0].value
    if isinstance(node, ast.Call):
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        return builders.get(name)
    return None


def session_key_uses(source, path, builders):
    tree = ast.parse(source)
    aliases = import_aliases(tree)
    names = set(SESSION_PARAMETERS.get(path, ()))
    for node in ast.walk(tree):  # ss = st.session_state
        if isinstance(node, ast.Assign) and dotted(node.value, aliases) == "streamlit.session_state":
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}

    def is_session(node):
        return dotted(node, aliases) == "streamlit.session_state" or (
            isinstance(node, ast.Name) and node.id in names
        )

    uses = []

    def use(node, key, write):
        uses.append(KeyUse(path, node.lineno, key_text(key, builders), ast.unparse(key), write))

    for node in ast.walk(tree):
        writing = isinstance(getattr(node, "ctx", None), (ast.Store, ast.Del))
        if isinstance(node, ast.Attribute) and is_session(node.value) and node.attr not in NOT_KEYS:
            use(node, ast.Constant(node.attr), writing)
        elif isinstance(node, ast.Subscript) and is_session(node.value):
            use(node, node.slice, writing)
        elif isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops):
            if is_session(node.comparators[0]):
                use(node, node.left, False)
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and is_session(func.value) and node.args:
                if func.attr in SESSION_METHODS:
                    use(node, node.args[0], SESSION_METHODS[func.attr])
                elif func.attr == "update" and isinstance(node.args[0], ast.Dict):
                    for k in node.args[0].keys:
                        use(node, k, True)
            keywords = {k.arg: k.value for k in node.keywords}
            for callback in ("on_click", "on_change"):  # on_click=ss.update, kwargs={"gc_x": True}
                target = keywords.get(callback)
                if isinstance(target, ast.Attribute) and is_session(target.value) and target.attr == "update":
                    for k in getattr(keywords.get("kwargs"), "keys", []):
                        use(node, k, True)
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if (
                "key" in keywords
                and name not in NOT_WIDGET_CALLS
                and not isinstance(keywords["key"], ast.Lambda)
            ):
                use(node, keywords["key"], True)  # a widget's key
    return sorted(uses, key=lambda u: u.line)


def prefix_of(text):
    match = re.match(r"[a-z]+_", text or "")
    return match.group(0) if match and match.group(0) in PREFIXES else None


def key_findings(uses):
    findings = []
    for u in uses:
        text, dynamic = u.text, (u.path, u.expression) in DYNAMIC_KEYS
        if text is None and dynamic:
            text = DYNAMIC_KEYS[u.path, u.expression][0]
        prefix = prefix_of(text)
        if text is None:
            detail = f"key {u.expression} is built from a variable: add it to DYNAMIC_KEYS with its prefix"
            findings.append(Finding(u.path, u.line, "session key", detail))
        elif prefix is None:
            if UNPREFIXED_KEYS.get(text) != u.path:
                detail = f"key {text!r} has no known prefix ({', '.join(PREFIXES)})"
                findings.append(Finding(u.path, u.line, "session key", detail))
        elif u.write and u.path not in PREFIXES[prefix].writers and (u.path, text) not in HAND_OFFS:
            detail = f"sets {text!r}, which belongs to {PREFIXES[prefix].owner}"
            findings.append(Finding(u.path, u.line, "session key", detail))
    return findings


BUILDERS = key_builders(SOURCES)
KEY_USES = [u for path in ALL_FILES for u in session_key_uses(SOURCES[path], path, BUILDERS)]


def written_prefixes():
    written = defaultdict(set)  # prefix -> files
    for u in KEY_USES:
        text = u.text or DYNAMIC_KEYS.get((u.path, u.expression), ("",))[0]
        if u.write and prefix_of(text) and (u.path, text) not in HAND_OFFS:
            written[prefix_of(text)].add(u.path)
    return written


def test_session_keys_carry_their_owners_prefix():
    findings = key_findings(KEY_USES)
    assert not findings, "\n" + report(findings)


def test_prefix_table_is_exactly_what_the_code_uses():
    written = written_prefixes()
    assert set(written) == set(PREFIXES), "prefixes in the code vs the table"
    for prefix, entry in PREFIXES.items():
        assert written[prefix] == entry.writers, f"{prefix}: writers in the code vs the table"
    used = {(u.path, u.text) for u in KEY_USES} | {(u.path, u.expression) for u in KEY_USES}
    for entry in [*HAND_OFFS, *DYNAMIC_KEYS, *((p, k) for k, p in UNPREFIXED_KEYS.items())]:
        assert entry in used, f"stale entry: {entry}"


def test_no_two_pages_share_a_prefix():
    for prefix, files in written_prefixes().items():
        pages = sorted(f for f in files if is_script(f))
        assert len(pages) <= 1, f"{prefix} is set by several pages: {pages}"
    prefixes = list(PREFIXES)
    assert all(p.endswith("_") for p in prefixes)
    assert not [(a, b) for a in prefixes for b in prefixes if a != b and b.startswith(a)]
    assert len({entry.owner for entry in PREFIXES.values()}) == len(PREFIXES)


# --- the scanners catch what they should -------------------------------------------------------------
def scan(code, path="playground/example.py"):
    return scan_source(textwrap.dedent(code), path)


def rules(code, path="playground/example.py"):
    return [f.rule for f in scan(code, path)[0]]


@pytest.mark.parametrize(
    "code",
    [
        "REGISTRY = {'relu': 1}",
        "NAMES = ['a', 'b']",
        "SEEN = set()",
        "SQUARES = {n: n * n for n in range(3)}",
        "TABLE = dict(a=1)",
        "from collections import defaultdict\nCOUNTS = defaultdict(int)",
        "import collections\nQUEUE = collections.deque()",
        "BUFFER = bytearray(8)",
        "import numpy as np\nGRID = np.zeros(3)",
        "import numpy as np\nRNG = np.random.default_rng(0)",
        "from types import MappingProxyType\nTABLE = MappingProxyType({'a': []})",
        "from types import MappingProxyType\nBOTH = MappingProxyType({'a': 1}) | {'b': 2}",
        "A, B = [], ()",
        "TABLE = (1, {'a': 2})",
        "TABLE = {}\nTABLE['a'] = 1",
    ],
)
def test_scanner_reports_a_module_level_mutable(code):
    assert "module-level mutable" in rules(code)


@pytest.mark.parametrize(
    "code",
    [
        "NAMES = ('a', 'b')\nLIMIT = 5 * 1024\nTEXT = f'{LIMIT} bytes'",
        "SEEN = frozenset({'a'})",
        "from types import MappingProxyType\nTABLE = MappingProxyType({'a': (1, 2), 'b': 'x'})",
        "import types\nTABLE = types.MappingProxyType(dict(a=1))",
        "import re\nPATTERN = re.compile('x+')",
        "import numpy as np\nGRID = np.zeros(3)\nGRID.flags.writeable = False",
        "import numpy as np\nGRID = np.arange(3)\nGRID.setflags(write=False)",
        "import numpy as np\nDTYPES = (np.float32, np.float64)\nHALF = np.float32(0.5)",
        "from dataclasses import dataclass\n@dataclass(frozen=True)\nclass P:\n    x: int = 0\nZERO = P(x=0)",
        "def f(x):\n    return x\nSQUARE = lambda x: x * x\nFUNCTIONS = (f, SQUARE)",
    ],
)
def test_scanner_accepts_read_only_forms(code):
    assert rules(code) == []


def test_scanner_leaves_unknown_kinds_to_the_import_check():
    findings, unknown = scan("def build():\n    return []\nTHING = build()\nOTHER = some_module.VALUE")
    assert findings == [] and set(unknown) == {"THING", "OTHER"}


@pytest.mark.parametrize(
    "code, rule",
    [
        ("class Model:\n    layers = []", "class-level mutable"),
        ("COUNT = 0\ndef bump():\n    global COUNT\n    COUNT += 1", "global"),
        ("def train(history=[]):\n    return history", "mutable default"),
        ("def train(*, options={}):\n    return options", "mutable default"),
        ("LAST = {}\ndef f(x=LAST):\n    return x", "mutable default"),
        ("scale = lambda x, seen=set(): x", "mutable default"),
        ("import numpy as np\ndef draw():\n    np.random.seed(0)", "global random"),
        ("import numpy as np\ndef draw():\n    return np.random.normal()", "global random"),
        ("import random\ndef draw():\n    return random.random()", "global random"),
        ("import plotly.io as pio\ndef setup():\n    pio.templates.default = 'x'", "process-wide"),
        ("import os\ndef setup():\n    os.environ['X'] = '1'", "process-wide"),
        ("import warnings\ndef setup():\n    warnings.simplefilter('ignore')", "process-wide"),
    ],
)
def test_scanner_reports(code, rule):
    assert rule in rules(code)


def test_scanner_accepts_private_generators_and_session_state():
    code = """
        import numpy as np
        import streamlit as st
        def draw(seed):
            st.session_state.pg_seen = True
            return np.random.default_rng(seed).normal()
    """
    assert rules(code) == []


def test_page_scripts_may_bind_per_run_names_but_not_the_rest():
    assert rules("rows = []\nTABLE = {'a': 1}", "pages/example.py") == []
    assert sorted(rules("def f(x=[]):\n    global y", "pages/example.py")) == ["global", "mutable default"]


@pytest.mark.parametrize(
    "obj",
    [
        np.zeros(3),
        types.MappingProxyType({"a": [1]}),
        (1, {"a": 2}),
        dataclasses.make_dataclass("Open", [("x", int)])(1),
        dataclasses.make_dataclass("Frozen", [("x", list)], frozen=True)([1]),
        [1],
    ],
)
def test_import_check_reports_mutable_objects(obj):
    assert why_not_read_only(obj, "x")


def test_import_check_reads_closures_and_accepts_read_only_objects():
    grid = np.zeros(2)
    grid.flags.writeable = False
    assert (
        why_not_read_only((grid, types.MappingProxyType({"a": (1, "b")}), re.compile("x"), Path("."))) is None
    )
    from playground.compare import runs as compare

    def remembers():
        return seen

    seen = []
    remembers.__module__ = compare.__name__  # as if defined in the project
    assert why_not_read_only(remembers, "f") == "f (closure or default) is a builtins.list"


def test_cache_scanner_reports_a_per_user_cache_resource():
    code = """
        import functools
        import streamlit as st
        from playground.core.experiment import Experiment

        @st.cache_resource
        def model(config):
            return Experiment(config)

        @functools.lru_cache
        def table():
            return {}

        fetch = st.cache_data(lambda: 1)
    """
    uses = cache_uses(textwrap.dedent(code), "playground/example.py")
    assert [(u.kind, u.function) for u in uses] == [
        ("cache_resource", "model"),
        ("lru_cache", "table"),
        ("cache_data", "lambda: 1"),
    ]
    found = [f.detail for f in cache_findings(uses)]
    assert len(found) == 4 and "a per-user argument would key it" in found[1]


def test_session_key_scanner_reports_foreign_and_unknown_keys():
    code = """
        import streamlit as st
        ss = st.session_state
        st.session_state.model = 1
        ss["cmp_results"] = 2
        ss.setdefault("pg_running", False)
        value = ss.get("tch_task") or ("gc_last" in ss)
        st.button("Go", key="play")
        name = "x"
        st.session_state[name] = 3
    """
    uses = session_key_uses(textwrap.dedent(code), "pages/teacher.py", BUILDERS)
    found = [f.detail for f in key_findings(uses)]
    assert found == [
        "key 'model' has no known prefix (" + ", ".join(PREFIXES) + ")",
        "sets 'cmp_results', which belongs to Compare runs",
        "sets 'pg_running', which belongs to " + PREFIXES["pg_"].owner,
        "key 'play' has no known prefix (" + ", ".join(PREFIXES) + ")",
        "key name is built from a variable: add it to DYNAMIC_KEYS with its prefix",
    ]
