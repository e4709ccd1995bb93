"""The checks behind ``tests/test_recipes.py``: each takes nn_core's registries (or a copy with a fake
entry) and returns what is wrong, one line per problem, so that a test can show it catching a miss.
"""

import dataclasses
import math
import re
import subprocess
import sys
from pathlib import Path
from types import MappingProxyType

from streamlit.testing.v1 import AppTest

import nn_core
from nn_core.trace import trace_step
from playground.core import catalog
from playground.core.config import HEADS, Config
from playground.core.experiment import Experiment
from playground.files import export_script
from playground.learn import stepper
from playground.teach.tfplayground import from_hash

ROOT = Path(__file__).resolve().parents[1]
KINDS = (
    "ACTIVATIONS", "OUTPUTS", "LOSSES", "OPTIMIZERS", "INITIALIZERS", "BIAS_INITIALIZERS", "DATASETS",
    "FEATURES",
)  # fmt: skip
FAKE = "fake_swish"  # a name no registry will ever hold (a real swish may come)
TINY = Config(n_samples=24, hidden=(3,), batch_size=0, learning_rate=0.1)


def registries(**changed):
    """nn_core's registries by kind; ``changed`` replaces some (a copy with a fake entry)."""
    return {kind: changed.get(kind, getattr(nn_core, kind)) for kind in KINDS}


def with_fake(kind):
    """A read-only copy of nn_core's ``kind`` registry with one more name, ``fake_swish``."""
    registry = getattr(nn_core, kind)
    return MappingProxyType(dict(registry) | {FAKE: next(iter(registry.values()))})


def record_problems(regs):
    """Names without a complete catalog record, and records for names nn_core does not have."""
    problems = []
    for kind, registry in regs.items():
        table = getattr(catalog, kind)  # the outputs' maths: in ACTIVATIONS
        needed = {*registry, *regs["OUTPUTS"]} if kind == "ACTIVATIONS" else set(registry)
        problems += [f"{kind} {name}: no catalog record" for name in needed if name not in table]
        problems += [f"{kind} {name}: not in nn_core" for name in table if name not in needed]
        for name in needed & set(table):
            problems += [f"{kind} {name}: {why}" for why in field_problems(table[name], name)]
        settings = [r.tf for r in table.values() if r.tf not in (catalog.NO_EQUIVALENT, catalog.TF_ALWAYS)]
        problems += [f"{kind}: TF setting {tf} twice" for tf in set(settings) if settings.count(tf) > 1]
    return problems


def field_problems(record, name):
    problems = [] if record.name == name else [f"filed under {name!r} but named {record.name!r}"]
    for field in dataclasses.fields(record):
        value = getattr(record, field.name)
        if field.name.startswith("tf_"):
            continue  # a dataset's noise translation: below, with its TF setting
        if value in ("", (), None) or (isinstance(value, tuple) and "" in value):
            problems.append(f"{field.name} is empty")
    twin = record.tf not in (catalog.NO_EQUIVALENT, catalog.TF_ALWAYS)
    if twin and not re.fullmatch(r"[A-Za-z]+=[\w.-]+", record.tf):
        problems.append(f"tf {record.tf!r} is neither key=value nor NO_EQUIVALENT / TF_ALWAYS")
    if isinstance(record, catalog.Dataset) and twin != (
        callable(record.tf_noise) and bool(record.tf_noise_why)
    ):
        problems.append("a TF twin needs tf_noise and tf_noise_why (and only a twin has them)")
    return problems


# Every command the catalog and the stepper use, all in KaTeX (https://katex.org/docs/supported.html).
KATEX_SAFE = frozenset(
    r"\frac \tfrac \sum \max \log \tanh \sigma \sqrt \eta \lambda \delta \partial \odot \top \le"
    r" \sin \cos \pi \cdot \leftarrow \text \textstyle \operatorname \mathrel \quad \qquad \big"
    r" \begin \end".split()
)
KATEX_ENVIRONMENTS = frozenset({"cases"})


def tex_problems(tex):
    """What would keep KaTeX from rendering ``tex``: unbalanced braces, unknown commands, environments."""
    problems, depth = [], 0
    for char in re.sub(r"\\[{}]", "", tex):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    if depth:
        problems.append(f"unbalanced braces in {tex!r}")
    commands = set(re.findall(r"\\[A-Za-z]+", tex))
    problems += [f"{c} is not in KATEX_SAFE: {tex!r}" for c in sorted(commands - KATEX_SAFE)]
    begins, ends = re.findall(r"\\begin\{(\w+)\}", tex), re.findall(r"\\end\{(\w+)\}", tex)
    if begins != ends or not set(begins) <= KATEX_ENVIRONMENTS:
        problems.append(f"environments {begins} / {ends} in {tex!r}")
    return problems + double_scripts(tex)


TEX_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\s+|.")


def double_scripts(tex):
    """KaTeX's "Double superscript" / "Double subscript" errors: a second ``^`` (or ``_``) on the same
    atom, as in ``A^{[1]}^{\\top}`` (write ``A^{[1]\\top}`` or ``{A^{[1]}}^{\\top}``)."""
    problems = []
    groups = [(False, set())]  # per open brace: (is it a script's argument, scripts of its last atom)
    script_next = False  # the next token or group is a script's argument, not a new atom
    for token in TEX_TOKEN.findall(tex):
        if token.isspace():
            continue
        scripts = groups[-1][1]
        if token in "^_":
            if token in scripts:
                problems.append(f"double {'superscript' if token == '^' else 'subscript'} in {tex!r}")
            scripts.add(token)
            script_next = True
        elif token == "{":
            groups.append((script_next, set()))
            script_next = False
        elif token == "}" and len(groups) > 1:
            was_argument, _ = groups.pop()
            if not was_argument:
                groups[-1][1].clear()  # a group is an atom of its own: it may take scripts
        elif script_next:
            script_next = False  # a one-token script argument: the atom keeps its scripts
        else:
            scripts.clear()  # a new atom
    return problems


TEX_FIELDS = {
    "ACTIVATIONS": ("tex", "derivative_tex"),
    "LOSSES": ("tex", "gradient_tex"),
    "OPTIMIZERS": ("update_tex",),
}


def catalog_tex_problems(regs):
    """The formulas on the catalog record of every activation (outputs too), loss and optimizer."""
    problems = []
    for kind, fields in TEX_FIELDS.items():
        names = {*regs[kind], *regs["OUTPUTS"]} if kind == "ACTIVATIONS" else regs[kind]
        for name in sorted(names):
            record = getattr(catalog, kind).get(name)
            for field in fields:
                value = getattr(record, field, "")
                for line in (value,) if isinstance(value, str) else value:
                    found = tex_problems(line) if line else ["no TeX"]
                    problems += [f"{kind} {name} {field}: {p}" for p in found]
    return problems


def stepper_configs(regs):
    """Small configs that between them use every hidden activation, output, loss and optimizer."""
    configs = [dataclasses.replace(TINY, activation=name) for name in regs["ACTIVATIONS"]]
    configs += [
        dataclasses.replace(TINY, head=h) for h, pair in HEADS.items() if pair.output in regs["OUTPUTS"]
    ]
    configs += [dataclasses.replace(TINY, optimizer=name) for name in regs["OPTIMIZERS"]]
    configs.append(dataclasses.replace(TINY, hidden=(3, 3, 2)))  # every kind of layer: first, middle, last
    return [dataclasses.replace(c, regularization="l2", reg_rate=0.01) for c in configs]  # penalty TeX too


def describe(config):
    layers = "" if len(config.hidden) == 1 else "-" + "x".join(map(str, config.hidden))
    return f"{config.activation}-{config.head}-{config.optimizer}{layers}"


def stepper_tex_problems(config):
    """Every line of TeX the stepper shows for one recorded step of ``config``'s network."""
    exp = Experiment(config)
    (X_train, _), (_, _, y_train, _) = exp.inputs, exp.points
    trace = trace_step(exp.trainer, X_train, y_train, rows=[0])
    sizes, output, features = exp.model.layer_sizes, exp.model.output, exp.feature_names()
    stages = stepper.stages(
        trace, sizes=sizes, activation=config.activation, output=output, features=features
    )
    return [
        f"{describe(config)}, {s.title}: {p}" for s in stages for line in s.latex for p in tex_problems(line)
    ]


def script_problems(regs):
    """Names the standalone script has no code for, and outputs or losses no head can train with."""
    used = {"OUTPUTS": {h.output for h in HEADS.values()}, "LOSSES": {h.loss for h in HEADS.values()}}
    problems = [
        f"{k} {name}: no head in config.HEADS uses it"
        for k in used
        for name in regs[k]
        if name not in used[k]
    ]
    for config in stepper_configs(regs):
        why_not = export_script.script_unsupported(config)
        problems += [f"{describe(config)}: {why_not}"] if why_not else []
    return problems


def run_problems(config, n_epochs=3):
    """The standalone script of ``config``, run in its own Python, must print a finite final loss."""
    script = export_script.standalone_script(Experiment(config), n_epochs)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    final = re.search(rf"^final epoch {n_epochs}: train loss (\S+), test loss (\S+)$", done.stdout, re.M)
    if done.returncode == 0 and final and all(math.isfinite(float(v)) for v in final.groups()):
        return []
    output = done.stdout[-300:] + done.stderr[-300:]
    return [f"{describe(config)}: no finite loss after {n_epochs} epochs: {output}"]


def tf_links(kind, record):
    """A TF Playground hash that selects ``record`` alone, and what it must become here."""
    key, _, value = record.tf.partition("=")
    if kind == "OUTPUTS":  # TF's output for a problem: the head we import it as must use it
        return f"problem={value}", lambda c: HEADS[c.head].output == record.name
    if kind == "FEATURES":
        return f"x=false&y=false&{key}=true", lambda c: c.features == (record.name,)
    if kind == "DATASETS":
        problem = "regression" if key == "regDataset" else "classification"
        return f"problem={problem}&{record.tf}", lambda c: c.dataset == record.name
    field = {"ACTIVATIONS": "activation", "INITIALIZERS": "init", "BIAS_INITIALIZERS": "bias_init"}[kind]
    return record.tf, lambda c: getattr(c, field) == record.name


def tf_import_problems(tables):
    """Each record's TF setting, imported from a TF link, must give its name back."""
    problems = []
    for kind, table in tables.items():
        for record in table.values():
            if record.tf in (catalog.NO_EQUIVALENT, catalog.TF_ALWAYS):
                continue
            link, check = tf_links(kind, record)
            if not check(from_hash("#" + link)[0]):
                problems.append(f"{kind} {record.name}: the TF link #{link} imports as something else")
    return problems


TF_TABLES = {
    kind: getattr(catalog, kind)
    for kind in ("ACTIVATIONS", "OUTPUTS", "INITIALIZERS", "BIAS_INITIALIZERS", "DATASETS", "FEATURES")
}


def readme_problems(regs):
    """The README's **Registries** bullet must list exactly each registry's keys."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    bullet = text[text.index("- **Registries**") :].split("\n- ", 1)[0]
    listed = {
        kind: set(re.split(r",\s*", names)) for kind, names in re.findall(r"`(\w+)`\s*\(([^)]*)\)", bullet)
    }
    problems = []
    for kind, registry in regs.items():
        shown = listed.get(kind, set())
        problems += [f"README: {kind} does not list {name}" for name in sorted(set(registry) - shown)]
        problems += [f"README: {kind} lists {name}, not in nn_core" for name in sorted(shown - set(registry))]
    return problems


# Config fields drawn otherwise than as one ``cfg_<field>`` widget on the Playground page.
CONTROL_KEYS = {
    "hidden": "cfg_n_hidden",  # a layer-count slider, then one number per layer
    "feature_formulas": "cfg_ff_text",  # a box to type a feature formula in, then its list
    "layer_activations": "cfg_act_0",  # one select per hidden layer, folded
}
NOT_ON_THE_PAGE = {"upload_task": "set by the Your data page, with the file"}
WIDGET_KINDS = (
    "selectbox", "slider", "number_input", "select_slider", "toggle", "button_group", "radio", "text_input"
)  # fmt: skip


def playground_widget_keys():
    """The keys of every widget the Playground page draws with its defaults, on the formula dataset
    (whose box is drawn only for it)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["points"] = "60"
    at.query_params["data"] = "formula"
    at.run()
    assert not at.exception, at.exception
    return {element.key for kind in WIDGET_KINDS for element in at.get(kind) if element.key}


def control_problems(fields, keys):
    """Config fields (``config.FIELDS``) the Playground page draws no widget for."""
    wanted = {name: CONTROL_KEYS.get(name, f"cfg_{name}") for name in fields if name not in NOT_ON_THE_PAGE}
    return [
        f"control {name}: no widget {key} on the Playground page"
        for name, key in wanted.items()
        if key not in keys
    ]
