"""Drawing data in a real browser: in edit mode a click adds a point exactly where it was clicked (the
data coordinates read back from the chart), a shift-click removes it, training goes on across an edit,
Undo takes the last edit back, and the link carries the drawn points."""

import pytest

from tests.e2e.test_playground import button, open_app, query, wait_for

# Every point the boundary chart draws: [trace name, x, y] (Plotly's computed data of its traces).
POINTS_JS = """() => {
  const gd = document.querySelector('.nnl-boundary');  // (none for a moment while the page reruns)
  return ((gd && gd.calcdata) || []).flatMap((trace) => trace
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
    .map((p) => [trace[0].trace.name, p.x, p.y]));
}"""

# The data coordinates of the pixel (fx, fy) of the plot area (fractions of its width and height),
# that pixel on the page (what a click there means) and one pixel's size in data units.
AT_JS = """([fx, fy]) => {
  const gd = document.querySelector('.nnl-boundary');
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const box = gd.getBoundingClientRect();
  const px = fx * xa._length, py = fy * ya._length;
  const pixel = Math.max((xa.range[1] - xa.range[0]) / xa._length, (ya.range[1] - ya.range[0]) / ya._length);
  const [left, top] = [box.left + xa._offset + px, box.top + ya._offset + py];
  return { x: xa.p2d(px), y: ya.p2d(py), left, top, pixel };
}"""


# The chart is drawn, in edit mode, and the page is not running its script (the last edit applied).
READY_JS = """() => {
  const gd = document.querySelector('.nnl-boundary');
  return gd && gd._fullLayout && gd._fullLayout.xaxis && gd.classList.contains('nnl-editing')
    && document.querySelector('[data-test-script-state="notRunning"]') !== null;
}"""


def points(page):
    return page.evaluate(POINTS_JS)


def near(page, at):
    """The points drawn within one screen pixel of ``at`` (a click lands on whole pixels; the link's
    12-bit grid adds 0.0015 at most)."""
    x, y, tolerance = at
    return [p for p in points(page) if abs(p[1] - x) <= tolerance and abs(p[2] - y) <= tolerance]


def click(page, fx, fy, *, shift=False):
    """Click the plot area at fractions (fx, fy) of its size; return (x, y, one pixel in data units)."""
    page.wait_for_function(READY_JS)  # the page done with the last edit, the chart in edit mode
    at = None
    while True:  # the charts may still be fitting themselves to what changed above them
        page.wait_for_timeout(300)
        now = page.evaluate(AT_JS, [fx, fy])
        if now == at:
            break
        at = now
    if shift:
        page.keyboard.down("Shift")
    page.mouse.click(at["left"], at["top"])
    if shift:
        page.keyboard.up("Shift")
    return at["x"], at["y"], at["pixel"] + 0.0015


def wait_until(page, check, message, timeout=20_000):
    deadline = page.evaluate("() => performance.now()") + timeout
    while not check():
        if page.evaluate("() => performance.now()") > deadline:
            raise AssertionError(message)
        page.wait_for_timeout(100)


@pytest.mark.browser
def test_clicks_add_and_remove_points_where_clicked_while_training_goes_on(page, app_url):
    open_app(page, app_url + "/?data=xor&points=60&speed=2")
    before = len(points(page))
    page.get_by_text("Edit data: click the plane").click()
    page.wait_for_function("() => document.querySelector('.nnl-boundary').classList.contains('nnl-editing')")

    # Two clicks: two points, each exactly where it was clicked (to the link's 12-bit grid: 0.003).
    first = click(page, 0.2, 0.3)
    wait_until(page, lambda: near(page, first), f"a point at {first}")
    second = click(page, 0.8, 0.7)
    wait_until(page, lambda: near(page, second), f"a point at {second}")
    assert len(points(page)) == before + 2
    assert near(page, first)[0][0] == "class 1"  # the class picked in the sidebar
    assert "pts" in query(page.url) and query(page.url)["data"] == "drawn"

    # A shift-click removes the points near the cursor: the first one goes, the second stays.
    click(page, 0.2, 0.3, shift=True)
    wait_until(page, lambda: not near(page, first), "the shift-clicked point is removed")
    assert near(page, second)

    # Training goes on across an edit: the epoch keeps counting after a click while playing.
    button(page, "play").click()
    s = wait_for(page, "s.running && s.epoch >= 20", "Play trains")
    third = click(page, 0.5, 0.1)
    wait_until(page, lambda: near(page, third), "a point added while training")
    wait_for(page, f"s.running && s.epoch > {s['epoch'] + 20}", "training goes on after the edit")
    button(page, "pause").click()

    # Undo takes the last edit back.
    page.get_by_role("button", name="Undo").click()
    wait_until(page, lambda: near(page, second) and not near(page, third), "Undo removes the last point only")

    # The class picker: a point of class 0 now. Then Clear: no point at all.
    page.get_by_test_id("stSidebar").get_by_text("class 0", exact=True).click()
    page.wait_for_function("() => document.querySelector('[data-test-script-state=\"notRunning\"]')")
    fourth = click(page, 0.3, 0.8)
    wait_until(page, lambda: near(page, fourth), "a point of class 0")
    assert near(page, fourth)[0][0] == "class 0"
    page.get_by_role("button", name="Clear").click()
    wait_until(page, lambda: not points(page), "Clear removes every point")
