"""The sidebar controls issue 16 added, driven by hand in a real browser: each folded section opens,
each choice reaches the link (the page's state), and together they train: Play stops by itself at the
rule, with the reason in the status line and the schedule's rate band on the loss chart."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_playground import button, open_app, wait_for
from tests.e2e.test_schedule_stop import TRACES_JS

BASE = "?data=moons&points=60&hidden=3&batch=10&lr=0.3"


def choose(page, select, option):
    """Pick the option of the sidebar's select ``select`` whose text holds ``option``: typed into the
    select's search box, then the first option left clicked."""
    box = page.get_by_test_id("stSidebar").get_by_role("combobox", name=select)
    box.scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # a section that just unfolded slides open: a click then can miss
    box.click()
    box.fill(option)
    first = page.get_by_role("option").first
    expect(first).to_contain_text(option)
    first.click()


def type_number(page, label, text):
    box = page.get_by_test_id("stSidebar").get_by_role("spinbutton", name=label)
    box.fill(text)
    box.press("Enter")


def unfold(page, title):
    page.get_by_test_id("stSidebar").locator("summary").filter(has_text=title).click()


@pytest.mark.browser
def test_bias_init_layer_activation_schedule_and_stop_rule_act_from_the_sidebar(page, app_url):
    open_app(page, app_url + BASE)

    unfold(page, "More: weight and bias init, seed")
    choose(page, "Bias init", "scikit-learn")
    page.wait_for_url(re.compile(r"[?&]binit=uniform(&|$)"))

    unfold(page, "Activation per layer")
    choose(page, "Layer 1", "sine")
    page.wait_for_url(re.compile(r"[?&]acts=sine(&|$)"))

    unfold(page, "Learning-rate schedule")
    choose(page, "Learning-rate schedule", "step decay (× factor every period)")
    page.wait_for_url(re.compile(r"[?&]sched=step(&|$)"))
    type_number(page, "Schedule period (epochs)", "50")
    page.wait_for_url(re.compile(r"[?&]speriod=50(&|$)"))

    unfold(page, "Stop when")
    choose(page, "Stop when", "training loss is below the target")
    page.wait_for_url(re.compile(r"[?&]stop=train_loss_below(&|$)"))
    type_number(page, "Stop target (a loss, or an accuracy 0-1)", "0.3")
    page.wait_for_url(re.compile(r"[?&]stoptarget=0\.3(&|$)"))

    wait_for(page, "s.idle && !s.running && s.epoch === 0", "a new network at epoch 0")
    button(page, "play").click()
    wait_for(page, "!s.running && s.idle && s.epoch > 0 && s.boundary === s.epoch", "the rule stops Play")
    expect(page.get_by_text("Stopped at epoch")).to_contain_text(
        re.compile(r"Stopped at epoch \d+: training loss < 0\.3")
    )
    traces = {t["name"]: t for t in page.evaluate(TRACES_JS)}
    epochs, rates = traces["learning rate"]["x"], traces["learning rate"]["y"]
    for epoch, rate in zip(epochs, rates):  # step decay: times 0.1 (the lowest rate) every 50 epochs
        assert rate == pytest.approx(0.3 * 0.1 ** ((epoch - 1) // 50), rel=1e-6), (epoch, rate)
