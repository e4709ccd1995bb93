"""Features of your own in a real browser: typed in the folded box, added, shown as an input of the
network view with its whole label inside the chart, and kept in the link; a mistake is pointed at."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_playground import button, open_app, query, wait_for

# The network view's input labels (Plotly text) and whether each lies inside the chart's box.
LABELS_JS = """() => {
  const plot = document.querySelector('.nnl-network');
  const box = plot.getBoundingClientRect();
  return [...plot.querySelectorAll('g.textpoint text')].map((t) => {
    const r = t.getBoundingClientRect();
    return { text: t.textContent, inside: r.left >= box.left - 1 && r.right <= box.right + 1 && r.width > 0 };
  });
}"""


@pytest.mark.browser
def test_a_feature_of_your_own_is_an_input_with_its_label_and_in_the_link(page, app_url):
    open_app(page, app_url + "/?points=60")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Your own features").click()
    box = sidebar.get_by_role("textbox", name="Add a feature f(x1, x2)")
    box.fill("x1^2 + x2^2 + abs(x1")
    box.press("Enter")
    expect(page.get_by_text("Expected ')' here, found the end.")).to_be_visible()
    pointer = sidebar.get_by_test_id("stCode").filter(has_text="abs(x1")
    expect(pointer).to_contain_text("x1^2 + x2^2 + abs(x1\n                    ^")
    expect(sidebar.get_by_role("button", name="Add feature")).to_be_disabled()

    box.fill("x1^2 + x2^2 + abs(x1)")
    box.press("Enter")
    sidebar.get_by_role("button", name="Add feature").click()
    page.wait_for_url(re.compile(r"[?&]ff="))
    assert query(page.url)["ff"] == "x1^2 + x2^2 + abs(x1)"  # (parse_qs decodes it)
    page.wait_for_function("() => [...document.querySelectorAll('.nnl-network g.textpoint text')]"
                           ".some((t) => t.textContent.startsWith('x1^2'))")  # fmt: skip
    labels = page.evaluate(LABELS_JS)
    inputs = [label for label in labels if label["text"] in ("x1", "x2", "x1^2 + x2^2 +…")]
    assert [label["text"] for label in inputs] == ["x1", "x2", "x1^2 + x2^2 +…"], labels
    assert all(label["inside"] for label in inputs), labels


@pytest.mark.browser
def test_a_network_on_a_typed_feature_alone_draws_and_trains(page, app_url):
    """features=none: XOR's one input is the typed x1*x2; the network view shows it alone, a step
    trains, the link keeps it."""
    open_app(page, app_url + "/?data=xor&points=60&hidden=3&features=none&ff=x1*x2")
    page.wait_for_function("() => [...document.querySelectorAll('.nnl-network g.textpoint text')]"
                           ".some((t) => t.textContent === 'x1*x2')")  # fmt: skip
    inputs = [t["text"] for t in page.evaluate(LABELS_JS) if t["text"] in ("x1", "x2", "x1*x2")]
    assert inputs == ["x1*x2"], inputs
    expect(page.get_by_text("at least one input feature")).to_have_count(0)
    button(page, "step").click()
    wait_for(page, "s.idle && s.epoch === 1", "one epoch on x1*x2 alone")
    assert query(page.url)["features"] == "none" and query(page.url)["ff"] == "x1*x2"
