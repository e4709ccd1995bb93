"""The recipes of CONTRIBUTING.md, checked: every name in an nn_core registry has all its app facts.

For every key of ``ACTIVATIONS``, ``OUTPUTS``, ``LOSSES``, ``OPTIMIZERS``, ``INITIALIZERS``, ``DATASETS``
and ``FEATURES``: a complete record in ``playground.core.catalog`` (every field set, a TF Playground
setting or an explicit no-equivalent); TeX the backprop stepper can render; a standalone script that
runs and prints a finite loss; a TF Playground link that imports as it; a place in the README's list.

Each check (``tests/recipes.py``) takes the registries and returns what is wrong, one line per problem.
The tests run it on nn_core as it is, then on a copy with a fake entry (``fake_swish``) to show that it
reports one missing anywhere: a check that can no longer fail fails here.
"""

import dataclasses
from types import MappingProxyType

import pytest

from playground.core import catalog
from playground.core.config import FIELDS
from tests.recipes import (
    FAKE,
    KINDS,
    TEX_FIELDS,
    TF_TABLES,
    TINY,
    catalog_tex_problems,
    control_problems,
    describe,
    playground_widget_keys,
    readme_problems,
    record_problems,
    registries,
    run_problems,
    script_problems,
    stepper_configs,
    stepper_tex_problems,
    tex_problems,
    tf_import_problems,
    with_fake,
)

# --- on nn_core as it is ---------------------------------------------------------------------------
REGISTRIES = registries()
CONFIGS = stepper_configs(REGISTRIES)


def test_every_registry_name_has_a_complete_catalog_record():
    assert record_problems(REGISTRIES) == []


def test_every_catalog_formula_is_katex_safe():
    assert catalog_tex_problems(REGISTRIES) == []


@pytest.mark.parametrize("config", CONFIGS, ids=describe)
def test_the_stepper_shows_katex_safe_formulas(config):
    assert stepper_tex_problems(config) == []


def test_the_script_covers_every_name_and_every_output_and_loss_has_a_head():
    assert script_problems(REGISTRIES) == []


@pytest.mark.parametrize("config", CONFIGS, ids=describe)
def test_the_standalone_script_runs_and_prints_a_finite_loss(config):
    assert run_problems(config) == []


def test_every_tf_setting_imports_as_its_name():
    assert tf_import_problems(TF_TABLES) == []


def test_the_readme_lists_every_registry_name():
    assert readme_problems(REGISTRIES) == []


@pytest.fixture(scope="module")
def widget_keys():
    return playground_widget_keys()


def test_every_config_field_has_a_control_on_the_playground_page(widget_keys):
    assert control_problems(FIELDS, widget_keys) == []


# --- each check reports a name missing from one place ----------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_a_registry_name_without_a_record_is_reported(kind):
    assert f"{kind} {FAKE}: no catalog record" in record_problems(registries(**{kind: with_fake(kind)}))


def test_an_empty_field_a_bad_tf_setting_and_a_half_twin_are_reported(monkeypatch):
    moons, circles = catalog.DATASETS["moons"], catalog.DATASETS["circles"]
    broken = dict(catalog.DATASETS) | {
        "moons": dataclasses.replace(moons, label=""),
        "circles": dataclasses.replace(circles, tf="circle", tf_noise=None),
    }
    monkeypatch.setattr(catalog, "DATASETS", MappingProxyType(broken))
    problems = record_problems(REGISTRIES)
    assert "DATASETS moons: label is empty" in problems
    assert any(p.startswith("DATASETS circles: tf 'circle' is neither") for p in problems)
    assert any(p.startswith("DATASETS circles: a TF twin needs tf_noise") for p in problems)


@pytest.mark.parametrize("kind", ["ACTIVATIONS", "OUTPUTS", "LOSSES", "OPTIMIZERS"])
def test_a_name_without_formulas_is_reported(kind):
    problems = catalog_tex_problems(registries(**{kind: with_fake(kind)}))
    table = "ACTIVATIONS" if kind == "OUTPUTS" else kind
    assert f"{table} {FAKE} {TEX_FIELDS[table][0]}: no TeX" in problems


@pytest.mark.parametrize(
    "tex",
    [
        r"A = \frac{1}{2",
        r"A = \swish(Z)",
        r"\begin{cases} 1 & Z > 0 \end{array}",
        r"A = Z}{",
        r"dW^{[2]} = A^{[1]}^{\top}\, dZ^{[2]}",  # a double superscript: issue 14's red dW
        r"A_{i}^{2}_{j}",
    ],
)
def test_tex_check_reports_what_katex_would_refuse(tex):
    assert tex_problems(tex)


@pytest.mark.parametrize("tex", [r"dW^{[2]} = A^{[1]\top}\, dZ^{[2]}", r"{A^{[1]}}^{\top}", r"A_{ij}^2"])
def test_tex_check_accepts_one_script_of_each_kind_per_atom(tex):
    assert tex_problems(tex) == []


def test_the_stepper_check_reports_a_broken_formula_on_screen(monkeypatch):
    broken = dataclasses.replace(catalog.ACTIVATIONS["tanh"], tex=r"A = \tanh(Z)^{2")
    monkeypatch.setattr(
        catalog, "ACTIVATIONS", MappingProxyType(dict(catalog.ACTIVATIONS) | {"tanh": broken})
    )
    assert any("unbalanced braces" in p for p in stepper_tex_problems(TINY))


@pytest.mark.parametrize("kind", ["ACTIVATIONS", "OPTIMIZERS"])
def test_a_name_the_script_has_no_code_for_is_reported(kind):
    field = {"ACTIVATIONS": "activation", "OPTIMIZERS": "optimizer"}[kind]
    problems = script_problems(registries(**{kind: with_fake(kind)}))
    assert f"The script does not cover {field} '{FAKE}' yet." in " ".join(problems)


@pytest.mark.parametrize("kind", ["OUTPUTS", "LOSSES"])
def test_an_output_or_loss_no_head_uses_is_reported(kind):
    assert f"{kind} {FAKE}: no head in config.HEADS uses it" in script_problems(
        registries(**{kind: with_fake(kind)})
    )


def test_a_script_that_does_not_train_is_reported(monkeypatch):
    tanh = catalog.ACTIVATIONS["tanh"]
    broken = dataclasses.replace(tanh, script_forward=tanh.script_forward.replace("np.tanh(Z)", "Z * np.nan"))
    monkeypatch.setattr(
        catalog, "ACTIVATIONS", MappingProxyType(dict(catalog.ACTIVATIONS) | {"tanh": broken})
    )
    assert run_problems(TINY)


def test_a_tf_setting_the_import_does_not_know_is_reported():
    fake = dataclasses.replace(catalog.ACTIVATIONS["tanh"], name=FAKE, tf=f"activation={FAKE}")
    problems = tf_import_problems({"ACTIVATIONS": MappingProxyType({FAKE: fake})})
    assert problems == [f"ACTIVATIONS {FAKE}: the TF link #activation={FAKE} imports as something else"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_name_the_readme_does_not_list_is_reported(kind):
    assert f"README: {kind} does not list {FAKE}" in readme_problems(registries(**{kind: with_fake(kind)}))


def test_a_config_field_without_a_control_is_reported(widget_keys):
    fields = dict(FIELDS) | {FAKE: FIELDS["noise"]}
    assert control_problems(fields, widget_keys) == [
        f"control {FAKE}: no widget cfg_{FAKE} on the Playground page"
    ]
