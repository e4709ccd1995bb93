"""Choosing a hidden layer's activation on the network view, in a real browser: a click on the
layer's title moves it to the next activation, a shift-click back; the title, the link and the
network follow."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_playground import open_app, wait_for


def title(page, layer):
    """The network view's title of hidden layer ``layer`` (1-based; annotation 0 is "input")."""
    return page.locator(f".nnl-network g.annotation[data-index='{layer}']")


@pytest.mark.browser
def test_clicking_a_layer_title_changes_that_layers_activation(page, app_url):
    open_app(page, app_url + "/?hidden=4,3&points=60")
    expect(title(page, 1)).to_contain_text("hidden 1")
    expect(title(page, 1)).to_contain_text("tanh")
    title(page, 1).click()
    page.wait_for_url(re.compile(r"[?&]acts=sigmoid(,|%2C)tanh(&|$)"))
    expect(title(page, 1)).to_contain_text("sigmoid")
    wait_for(page, "s.idle && s.epoch === 0", "a new network at epoch 0")
    title(page, 2).click(modifiers=["Shift"])  # back: the one before tanh
    page.wait_for_url(re.compile(r"[?&]acts=sigmoid(,|%2C)leaky_relu(&|$)"))
    expect(title(page, 2)).to_contain_text("leaky ReLU")
    expect(
        page.get_by_text(re.compile(r"^Last change: New network \(Activation per layer changed\)"))
    ).to_be_visible()
    sidebar = page.get_by_test_id("stSidebarUserContent")
    expect(sidebar.get_by_text("Activation per layer", exact=True)).to_be_visible()
