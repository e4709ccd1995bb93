"""The formula box in a real browser: picked in the dataset list, a typed formula labels the points and
goes into the link; a mistake is named under the box with a caret, and the link keeps the last good one."""

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from tests.e2e.test_playground import open_app, query


@pytest.mark.browser
def test_a_typed_formula_is_the_data_and_a_mistake_is_pointed_at(page, app_url):
    open_app(page, app_url + "/?data=formula&points=60")
    box = page.get_by_test_id("stSidebar").get_by_role("textbox", name="Your formula f(x1, x2)")
    expect(box).to_have_value("x2 - 2.5*sin(x1)")
    box.fill("x1*x2")
    box.press("Enter")
    page.wait_for_url(re.compile(r"[?&]f=x1(\*|%2A)x2(&|$)"))
    box.fill("sin(x1")
    box.press("Enter")
    expect(page.get_by_text("Expected ')' here, found the end.")).to_be_visible()
    pointer = page.get_by_test_id("stSidebar").get_by_test_id("stCode").filter(has_text="sin(x1")
    expect(pointer).to_contain_text("sin(x1\n      ^")
    expect(page.get_by_text("The formula has a mistake (see under the box)")).to_be_visible()
    assert urllib.parse.unquote(query(page.url)["f"]) == "x1*x2"  # the last good one stays
