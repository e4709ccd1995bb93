"""Issue 14's rough edges, in a real browser: what the user reads is a display name, never a registry
key (the TensorFlow Playground import table, the features notice), and a layer-size box has steppers
and says why it keeps a size out of range. (The stepper's formulas, Compare's labels, the boundary's
ticks and the loss curve's end: tests/e2e/test_learn.py and test_layout.py.)"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_playground import open_app, wait_for

WAIT_MS = 30_000
TF_HASH = (
    "activation=tanh&batchSize=10&dataset=circle&learningRate=0.03&regularizationRate=0&noise=0&"
    "networkShape=4,2&seed=0.59704&percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false&"
    "ySquared=true&cosX=false&sinX=true&cosY=false&sinY=false&problem=classification"
)
REGISTRY_KEYS = re.compile(r"\b(x1_sq|x2_sq|sin_x1|sin_x2|x1_x2|leaky_relu|sigmoid_bce|softmax_ce)\b")


@pytest.mark.browser
def test_the_tf_playground_import_table_names_features_as_users_read_them(page, app_url):
    """The table said "sin_x1" and "x2_sq" (issue 14)."""
    page.goto(app_url + "/teacher")
    box = page.get_by_label(re.compile("A link copied from playground.tensorflow.org"))
    box.fill(f"https://playground.tensorflow.org/#{TF_HASH}")
    box.press("Enter")
    table = page.get_by_test_id("stTable")
    expect(table).to_contain_text("sin(x1)", timeout=WAIT_MS)
    expect(table).to_contain_text("x2²")
    assert not REGISTRY_KEYS.search(table.inner_text())  # (the link below it is a URL: keys there)


@pytest.mark.browser
def test_layer_size_boxes_have_steppers_and_explain_an_out_of_range_size(page, app_url):
    """The boxes had no - / + and hid an out-of-range entry behind an icon (issue 14)."""
    open_app(page, app_url)
    layer = page.locator(".st-key-cfg_hidden_0")
    expect(layer.get_by_test_id("stNumberInputStepUp")).to_be_visible()
    expect(layer.get_by_test_id("stNumberInputStepDown")).to_be_visible()

    box = layer.get_by_role("spinbutton")
    box.fill("99")
    box.press("Enter")
    message = "Layer 1: 99 neurons is out of range (a layer has 1 to 64 neurons): keeping 4."
    expect(page.get_by_text(message)).to_be_visible(timeout=WAIT_MS)
    s = wait_for(page, "s.idle && s.epoch === 0", "the same network, still at epoch 0")
    assert s["boundary"] == 0

    layer.get_by_test_id("stNumberInputStepUp").click()  # 99 -> 100: still out of range
    expect(page.get_by_text(message.replace("99", "100"))).to_be_visible(timeout=WAIT_MS)


@pytest.mark.browser
def test_no_features_keeps_the_last_ones_named_as_users_read_them(page, app_url):
    """The notice said "keeping x2_sq" (issue 14): x1 and x2² picked, x1 unpicked (x2² alone trains),
    then x2²: nothing left, so the network keeps x2²."""
    open_app(page, app_url + "/?features=x1,x2_sq")
    pills = page.get_by_test_id("stSidebar").get_by_test_id("stButtonGroup")
    for name in ("x1", "x2²"):
        pills.get_by_role("button", name=name, exact=True).click()
        page.wait_for_timeout(300)
    expect(page.get_by_text("Pick at least one input feature: keeping x2².")).to_be_visible(timeout=WAIT_MS)
    assert not REGISTRY_KEYS.search(page.get_by_test_id("stMain").inner_text())
