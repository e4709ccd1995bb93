"""A teacher's link in a real browser: hidden controls are not drawn, a locked one is disabled, the task
text is shown, and everything else is there and works."""

import urllib.parse

import pytest
from playwright.sync_api import expect

from playground.core import classroom
from playground.core.classroom import Classroom
from playground.core.config import Config, to_query
from tests.e2e.test_playground import button, open_app, query, wait_for

TASK = "Separate the XOR quadrants with at most 3 hidden neurons."
CONFIG = Config(dataset="xor", hidden=(3,), n_samples=100)
ROOM = Classroom(hidden=frozenset({"learning_rate", "activation"}), locked=frozenset({"dataset"}), task=TASK)


def teacher_link(app_url):
    """The link a teacher builds: the config's query and the classroom's, on the Playground (the root)."""
    params = to_query(CONFIG) | classroom.to_query(ROOM)
    return f"{app_url}/?{urllib.parse.urlencode(params, safe=',')}"


@pytest.mark.browser
def test_teacher_link_hides_locks_and_shows_the_task(page, app_url):
    open_app(page, teacher_link(app_url))
    sidebar = page.get_by_test_id("stSidebar")

    # Hidden: not on the page at all (not merely disabled or collapsed).
    expect(sidebar.get_by_role("slider", name="Learning rate")).to_have_count(0)
    expect(sidebar.get_by_role("combobox", name="Hidden activation")).to_have_count(0)
    expect(page.get_by_text("Hidden activation", exact=True)).to_have_count(0)

    # Locked: shown with the link's value, and disabled.
    dataset = sidebar.get_by_role("combobox", name="Dataset")
    expect(dataset).to_have_value("XOR (quadrants)")
    expect(dataset).to_be_disabled()

    # The task text is shown above the charts.
    expect(page.get_by_text(TASK)).to_be_visible()

    # Everything else is there and usable (weight init folded away with its seed: one click).
    sidebar.get_by_text("More: weight and bias init, seed").click()
    for role, name in [("slider", "Noise"), ("combobox", "Optimizer"), ("combobox", "Weight init")]:
        expect(sidebar.get_by_role(role, name=name)).to_be_enabled()
    for key in ("play", "step", "reset"):
        expect(button(page, key)).to_be_enabled()

    # The address bar keeps the lesson, so a reload or a copied link keeps it too.
    assert query(page.url)["hide"] == "activation,learning_rate" and query(page.url)["lock"] == "dataset"

    # Training works with the hidden controls at the link's values.
    button(page, "step").click()
    wait_for(page, "s.idle && s.epoch === 1 && s.boundary === 1", "Step in a classroom link")
