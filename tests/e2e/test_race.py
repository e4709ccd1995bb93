"""A whole class race in a real browser: the teacher creates a challenge on the Teacher page, two
students (two browser sessions) train on its link and submit, the board shows both ranked, and the
teacher closes it from the private board link."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import go_to
from tests.e2e.test_playground import button, open_app, pause_and_settle, wait_for

SETUP = "/?data=xor&points=120&hidden=6&lr=0.1"


def create_race(page, app_url):
    """The teacher: set up the Playground, then the Teacher page's form. Returns the two links."""
    open_app(page, app_url + SETUP)
    go_to(page, "Teach", "Teacher links")  # in the same session: the page takes the Playground's setup
    page.get_by_role("combobox", name="Lock these controls").click()
    page.get_by_role("option", name="Dataset", exact=True).click()
    page.keyboard.press("Escape")
    goal = page.get_by_role("textbox", name="Goal (optional, checked live)")
    goal.fill("test_accuracy>=0.8")
    goal.press("Enter")
    page.get_by_role("textbox", name="Title").fill("Smallest XOR network")
    page.get_by_role("button", name="Create the challenge").click()
    expect(page.get_by_text("The challenge is open.")).to_be_visible()
    codes = page.locator("[data-testid='stCode'] code").all_inner_texts()
    students = next(c for c in codes if "&c=" in c)
    board = next(c for c in codes if "/board?" in c)
    return students.strip(), board.strip()


def submit(browser, students, nickname, hidden=None):
    """A student in their own browser session: train until the goal is met, pause, submit."""
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    context.set_default_timeout(30_000)
    page = context.new_page()
    link = students if hidden is None else re.sub(r"hidden=\d+", f"hidden={hidden}", students)
    open_app(page, link)
    button(page, "play").click()
    wait_for(page, "s.running && s.epoch >= 300", "the student trains")
    pause_and_settle(page)
    name = page.get_by_role("textbox", name="Your nickname on the board")
    name.fill(nickname)
    name.press("Enter")
    button(page, "chl_submit").click()
    expect(page.get_by_text("Verified and on the board")).to_be_visible(timeout=60_000)
    return context


@pytest.mark.browser
def test_a_whole_race(browser, page, app_url):
    students, board = create_race(page, app_url)
    assert "lock=dataset" in students and "t=" in board
    contexts = [submit(browser, students, "Ada"), submit(browser, students, "Bo", hidden=4)]
    try:
        page.goto(board)
        # Both ranked: Bo's 4 neurons before Ada's 6.
        first, second = page.locator(".st-key-chl_row_1"), page.locator(".st-key-chl_row_2")
        expect(first).to_contain_text("Bo")
        expect(first).to_contain_text("4 neurons")
        expect(second).to_contain_text("Ada")
        expect(second).to_contain_text("6 neurons")
        expect(first.get_by_role("img")).to_have_count(1)  # the boundary's thumbnail
        # The teacher's export, then clearing an entry.
        with page.expect_download() as info:
            page.get_by_role("button", name="Export CSV").click()
        with open(info.value.path(), encoding="utf-8") as f:
            exported = f.read().splitlines()
        assert exported[0].startswith("rank,nickname,score") and exported[1].startswith("1,Bo,4.0")
        page.get_by_role("combobox", name="Entry").click()
        page.get_by_role("option", name=re.compile(r"^Ada ")).click()
        page.get_by_role("button", name="Clear this entry").click()
        expect(page.locator(".st-key-chl_row_2")).to_have_count(0)
        expect(first).to_contain_text("Bo")
        page.get_by_role("button", name="Close the challenge").click()
        expect(page.get_by_text("closed").first).to_be_visible()
    finally:
        for c in contexts:
            c.close()
