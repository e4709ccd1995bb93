"""One table of display names (``catalog.label``): every registry name has a label, and no raw name
such as ``x2_sq`` or ``sin_x1`` reaches the user on the Playground, Teacher or Activations pages
(issue 14: "Pick at least one input feature: keeping x2_sq", "sin_x1" in the TF-link table).
"""

from pathlib import Path
from types import MappingProxyType

import pytest
from streamlit.testing.v1 import AppTest

import nn_core
from playground.core import catalog
from playground.core.config import FIELDS
from playground.learn.activations import DATASETS as ACTIVATIONS_PAGE_DATASETS

APP = str(Path(__file__).resolve().parents[3] / "app.py")
# nn_core's registries, by the kind ``catalog.label`` files their names under.
REGISTRY_KINDS = MappingProxyType(
    {
        "ACTIVATIONS": "activation",
        "OUTPUTS": "output",
        "LOSSES": "loss",
        "OPTIMIZERS": "optimizer",
        "INITIALIZERS": "init",
        "BIAS_INITIALIZERS": "bias_init",
        "DATASETS": "dataset",
        "FEATURES": "features",
    }
)
# Names that are internal by their look (an underscore) and differ from their label: if one of them
# is on the page, a raw name reached the user. Names like "tanh" are their own label.
RAW_NAMES = sorted(
    {
        name
        for names in catalog.LABELS.values()
        for name, shown in names.items()
        if "_" in name and name != shown
    }
)


def missing_labels(registries, fields=FIELDS):
    """Names with no display name: every key of every nn_core registry, and every choice of a Config
    field that holds names (the app's own registries: heads, regularizations, the upload...)."""
    missing = []
    for registry, kind in REGISTRY_KINDS.items():
        shown = catalog.LABELS.get(kind, {})
        missing += [f"{registry} {name}" for name in registries[registry] if not shown.get(name)]
    for name, field in fields.items():
        if field.choices and all(isinstance(c, str) for c in field.choices):
            shown = catalog.LABELS.get(name, {})
            missing += [f"Config.{name} {choice}" for choice in field.choices if not shown.get(choice)]
    return missing


def test_every_registry_name_and_every_named_choice_has_a_label():
    registries = {registry: getattr(nn_core, registry) for registry in REGISTRY_KINDS}
    assert missing_labels(registries) == []


def test_a_name_without_a_label_is_reported():
    registries = {registry: getattr(nn_core, registry) for registry in REGISTRY_KINDS}
    registries["FEATURES"] = {**registries["FEATURES"], "cos_x1": None}
    fields = dict(FIELDS) | {"optimizer": FIELDS["optimizer"]._replace(choices=("sgd", "lion"))}
    assert missing_labels(registries, fields) == ["FEATURES cos_x1", "Config.optimizer lion"]


def test_raw_names_are_the_internal_looking_ones():
    assert {"x2_sq", "sin_x1", "xor_table", "leaky_relu", "sigmoid_bce"} <= set(RAW_NAMES)
    assert catalog.label("features", "x2_sq") == "x2²"
    assert catalog.labels("features", ("x1", "sin_x1")) == "x1, sin(x1)"


def shown_text(at):
    """Everything the page shows as text: each element's message (options, labels, values, a table's
    cells), leaving out code and JSON: a link's query says ``features=x2_sq``, the Teacher page's
    setup is the Config as data, field by field, as a link spells it, and the live charts' payload is
    data for the browser (the layer menu's choices are names, shown by their labels: its own test)."""

    def walk(node):
        if hasattr(node, "children"):
            for child in node.children.values():
                yield from walk(child)
        else:
            yield node

    texts = []
    for root in (at.main, at.sidebar):
        for element in walk(root):
            if getattr(element, "type", "") in ("code", "json", "bidi_component"):
                continue
            texts.append(str(getattr(element, "proto", "")))
            if getattr(element, "type", "") == "table":
                texts.append(element.value.to_string())
    return "\n".join(texts)


def raw_names_in(text):
    return [name for name in RAW_NAMES if name in text]


def open_app(query):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_playground_shows_no_raw_name_in_its_sidebar_or_notices():
    at = open_app({"points": "60", "hidden": "3", "features": "x2_sq,sin_x1", "data": "xor_table"})
    at.pills(key="cfg_features").set_value([]).run()  # nothing picked: a notice keeps the last ones
    assert not at.exception, at.exception
    notice = next(w.value for w in at.warning if "at least one input feature" in w.value)
    assert notice == "Pick at least one input feature: keeping x2², sin(x1)."
    assert "leaky ReLU" in at.selectbox(key="cfg_activation").options
    assert raw_names_in(shown_text(at)) == []


def test_the_teacher_import_table_shows_no_raw_name():
    at = open_app({"points": "60", "hidden": "3"})
    at.switch_page("pages/teacher.py").run()
    link = "https://playground.tensorflow.org/#dataset=xor&x=false&sinX=true&ySquared=true&xTimesY=true"
    at.text_input(key="tch_tf").input(link).run()
    assert not at.exception, at.exception
    here = " ".join(at.table[0].value["Here"])
    assert "sin(x1)" in here and "x2²" in here
    assert raw_names_in(shown_text(at)) == []


@pytest.mark.parametrize(
    ("key", "kind", "names"),
    [
        ("act_dataset", "dataset", ACTIVATIONS_PAGE_DATASETS),
        ("act_activations", "activation", nn_core.ACTIVATIONS),
        ("act_inits", "init", nn_core.INITIALIZERS),
    ],
)
def test_the_activations_page_offers_display_names(key, kind, names):
    at = open_app({"points": "60", "hidden": "3"})
    at.switch_page("pages/activations.py").run()
    assert not at.exception, at.exception
    widget = at.selectbox(key=key) if key == "act_dataset" else at.multiselect(key=key)
    assert list(widget.options) == [catalog.label(kind, name) for name in names]
