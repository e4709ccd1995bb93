"""Choosing a hidden layer's activation on the network view, in a real browser: a click on the
layer's title opens a menu of the hidden activations (the layer's own marked); the one picked goes
to the server, and the title, the link and the network follow. Escape, or a click elsewhere, closes
the menu without a change; the keyboard opens and drives it too."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_playground import open_app, wait_for


def title(page, layer):
    """The network view's title of hidden layer ``layer`` (1-based; annotation 0 is "input")."""
    return page.locator(f".nnl-network g.annotation[data-index='{layer}']")


def menu(page):
    return page.locator(".nnl-menu")


def tip(page, layer):
    """The hover tip of hidden layer ``layer``'s title as drawn ("" for none)."""
    js = f"() => document.querySelector('.nnl-network')._fullLayout.annotations[{layer}].hovertext || ''"
    return page.evaluate(js)


@pytest.mark.browser
def test_a_layer_titles_menu_chooses_that_layers_activation(page, app_url):
    open_app(page, app_url + "/?hidden=4,3&points=60")
    expect(title(page, 1)).to_contain_text("hidden 1")
    expect(title(page, 1)).to_contain_text("tanh")
    assert tip(page, 1) == "click: choose this layer's activation"
    title(page, 1).click()
    expect(menu(page)).to_be_visible()
    expect(menu(page)).to_have_attribute("aria-label", "Activation of hidden layer 1")
    items = menu(page).get_by_role("menuitemradio")
    expect(items).to_have_count(10)
    expect(items.nth(0)).to_have_text(re.compile("linear"))
    expect(menu(page).get_by_role("menuitemradio", name="GELU (tanh approx.)")).to_be_visible()
    current = menu(page).get_by_role("menuitemradio", name="tanh", exact=True)
    expect(current).to_have_attribute("aria-checked", "true")
    expect(current).to_be_focused()
    # The menu sits under the title it belongs to.
    at, box = title(page, 1).bounding_box(), menu(page).bounding_box()
    middle = at["x"] + at["width"] / 2
    assert box["y"] >= at["y"] + at["height"] - 1 and box["x"] <= middle <= box["x"] + box["width"]

    page.keyboard.press("Escape")  # closed, nothing sent
    expect(menu(page)).to_have_count(0)
    expect(title(page, 1)).to_be_focused()
    title(page, 1).click()
    page.locator(".nnl-boundary").click(position={"x": 5, "y": 5})  # a click elsewhere closes it too
    expect(menu(page)).to_have_count(0)
    title(page, 1).click()
    expect(menu(page)).to_be_visible()
    title(page, 1).click()  # its own title again: closed, not opened anew
    expect(menu(page)).to_have_count(0)
    page.wait_for_timeout(500)
    assert "acts=" not in page.url
    expect(title(page, 1)).to_contain_text("tanh")

    title(page, 1).click()
    menu(page).get_by_role("menuitemradio", name="sine").click()
    expect(menu(page)).to_have_count(0)
    page.wait_for_url(re.compile(r"[?&]acts=sine(,|%2C)tanh(&|$)"))
    expect(title(page, 1)).to_contain_text("sine")
    wait_for(page, "s.idle && s.epoch === 0", "a new network at epoch 0")
    expect(
        page.get_by_text(re.compile(r"^Last change: New network \(Activation per layer changed\)"))
    ).to_be_visible()
    sidebar = page.get_by_test_id("stSidebarUserContent")
    expect(sidebar.get_by_text("Activation per layer", exact=True)).to_be_visible()

    # The keyboard: the title is focusable, Enter opens, the arrows move, Enter chooses.
    title(page, 2).focus()
    page.keyboard.press("Enter")
    expect(menu(page)).to_have_attribute("aria-label", "Activation of hidden layer 2")
    page.keyboard.press("ArrowUp")  # from tanh: leaky ReLU is the one above
    expect(menu(page).get_by_role("menuitemradio", name="leaky ReLU")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"[?&]acts=sine(,|%2C)leaky_relu(&|$)"))
    expect(title(page, 2)).to_contain_text("leaky ReLU")
    expect(title(page, 2)).to_be_focused()  # the keyboard is back on the rebuilt title


@pytest.mark.browser
def test_a_teachers_locked_activation_makes_the_titles_open_no_menu(page, app_url):
    open_app(page, app_url + "/?hidden=4,3&points=60&lock=activation")
    expect(title(page, 1)).to_contain_text("tanh")
    expect(title(page, 1)).not_to_have_attribute("tabindex", "0")
    assert tip(page, 1) == tip(page, 2) == ""  # no "click: choose" on a title that opens nothing
    title(page, 1).click()
    page.wait_for_timeout(300)
    expect(menu(page)).to_have_count(0)
