"""Real-browser tests of the Learn pages: the backprop stepper, walked through a whole step."""

import pytest
from playwright.sync_api import expect

from nn_core.trace import trace_step
from playground.core.config import Config
from playground.core.experiment import Experiment
from playground.learn import stepper
from tests.e2e.harness import go_to, start_app, stop_app
from tests.e2e.test_playground import button, open_app, state, wait_for

STAGES = [
    "Forward, layer 1 of 3",
    "Forward, layer 2 of 3",
    "Forward, layer 3 of 3",
    "Loss (binary cross-entropy)",
    "Backward, layer 3 of 3",
    "Backward, layer 2 of 3",
    "Backward, layer 1 of 3",
    "Update",
]

WHEN = ("before", "change", "after")
WAIT_MS = 30_000  # the server and the browser share 2 cores
TITLES_JS = """() => [...document.querySelectorAll('.js-plotly-plot')]
  .filter((plot) => !plot.closest('[data-stale="true"]'))
  .map((plot) => plot.querySelector('.gtitle')?.textContent)"""


# The formulas on screen once a stage is drawn (none stale): KaTeX's rendered ones and its errors (a
# formula it refuses shows as red raw TeX in a .katex-error span).
FORMULAS_JS = """(n) => {
  const fresh = [...document.querySelectorAll('.katex:not(.katex .katex), .katex-error')]
    .filter((el) => !el.closest('[data-stale="true"]'));
  return fresh.length === n ? fresh.map((el) => el.classList.contains('katex-error')) : null;
}"""


def chart_titles(page, required):
    """The titles of the charts on screen, once all of ``required`` are there and none is stale."""
    js = f"() => {{ const t = ({TITLES_JS})(); return {required!r}.every((r) => t.includes(r)) ? t : null; }}"
    return page.wait_for_function(js).json_value()


@pytest.mark.browser
def test_stepper_walks_forward_backward_update_on_the_playground_network(page, app_url):
    open_app(page, app_url)
    button(page, "step").click()  # epoch 1: the stepper must show this very network
    wait_for(page, "s.idle && s.epoch === 1 && s.boundary === 1", "Step trains one epoch")

    go_to(page, "Learn", "Backprop, step by step")
    expect(
        page.get_by_text("Your Playground network: 2-4-4-1 tanh network on Circles, epoch 1")
    ).to_be_visible(timeout=WAIT_MS)
    for k, title in enumerate(STAGES):
        expect(page.get_by_role("heading", name=title)).to_be_visible(timeout=WAIT_MS)
        progress = page.locator('[data-testid="stProgress"]')
        expect(progress).to_contain_text(f"Stage {k + 1} of {len(STAGES)}: {title}", timeout=WAIT_MS)
        if title.startswith("Forward, layer 1"):
            titles = chart_titles(page, ["X  (10×2)", "W1  (2×4)", "b1  (1×4)", "Z1  (10×4)", "A1  (10×4)"])
            assert len(titles) == 5, titles  # a batch of 10 samples: the Playground's next batch
        if title == "Update":
            # W and b of the 3 layers of 2-4-4-1, each before, change and after.
            shapes = {"W1": "2×4", "W2": "4×4", "W3": "4×1", "b1": "1×4", "b2": "1×4", "b3": "1×1"}
            expected = [f"{m} {when}  ({shape})" for m, shape in shapes.items() for when in WHEN]
            assert sorted(chart_titles(page, expected)) == sorted(expected)
        if k < len(STAGES) - 1:
            page.locator(".st-key-bp_next").get_by_role("button").click()
    expect(page.locator(".st-key-bp_next").get_by_role("button")).to_be_disabled(timeout=WAIT_MS)

    # Hover a weight: Plotly's label gives the cell and its exact value.
    first_plot = page.locator(".js-plotly-plot .nsewdrag").first
    box = first_plot.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    hover = page.locator(".hoverlayer .hovertext").first
    expect(hover).to_contain_text(":", timeout=WAIT_MS)
    expect(page.get_by_text("nn_core/optimizers.py, SGD.step")).to_be_visible(timeout=WAIT_MS)

    # Back on the Playground: the stepper worked on a copy, the network is still at epoch 1.
    go_to(page, "Play", "Playground")
    s = wait_for(page, "s.idle && s.epoch !== null && s.boundary !== null", "back on the Playground")
    assert (s["epoch"], s["boundary"]) == (1, 1), s
    assert state(page)["running"] is False


@pytest.mark.browser
def test_a_link_to_a_learn_page_works_as_a_fresh_servers_first_request(context, tmp_path):
    """Streamlit's legacy ``pages/`` mode would run the page alone, with a menu of file names."""
    with open(tmp_path / "server.log", "wb") as log:
        proc, url = start_app(log)  # a server of its own: this link is its very first request
        try:
            page = context.new_page()
            page.goto(url + "/backprop")
            expect(page.get_by_role("heading", name="Backprop, step by step")).to_be_visible(timeout=WAIT_MS)
            nav = page.get_by_test_id("stTopNav")
            expect(nav).to_contain_text("Learn", timeout=WAIT_MS)
            nav.get_by_test_id("stTopNavSection").filter(has_text="Learn").click()
            links = page.get_by_test_id("stTopNavDropdownLink")
            expect(links.filter(has_text="Gradient check")).to_be_visible(timeout=WAIT_MS)
            expect(links.filter(has_text="app")).to_have_count(0)  # no file-named page
        finally:
            stop_app(proc)


def formula_counts(config):
    """(stage title, number of formulas) of every stage the stepper shows for ``config``'s network."""
    exp = Experiment(config)
    (X_train, _), (_, _, y_train, _) = exp.inputs, exp.points
    trace = trace_step(exp.trainer, X_train, y_train)
    found = stepper.stages(
        trace,
        sizes=exp.model.layer_sizes,
        activation=config.activation,
        output=exp.model.output,
        features=exp.feature_names(),
    )
    return [(stage.title, len(stage.latex)) for stage in found]


@pytest.mark.browser
def test_every_stepper_formula_renders_on_a_network_with_three_hidden_layers(page, app_url):
    """Issue 14: every dW but the first was red raw TeX (a KaTeX error). Walk every stage, forward and
    backward through each layer, and ask KaTeX's own output: no .katex-error anywhere."""
    open_app(page, app_url + "/?hidden=4,3,2&points=60")
    stages = formula_counts(Config(hidden=(4, 3, 2), n_samples=60))
    assert len(stages) == 10  # forward 1-4, loss, backward 4-1, update

    go_to(page, "Learn", "Backprop, step by step")
    expect(page.get_by_text("Your Playground network: 2-4-3-2-1 tanh network")).to_be_visible(timeout=WAIT_MS)
    for k, (title, n_formulas) in enumerate(stages):
        progress = page.locator('[data-testid="stProgress"]')
        expect(progress).to_contain_text(f"Stage {k + 1} of {len(stages)}: {title}", timeout=WAIT_MS)
        errors = page.wait_for_function(FORMULAS_JS, arg=n_formulas).json_value()
        bad = page.locator(".katex-error").all_text_contents()
        assert not any(errors), f"{title}: KaTeX refused {bad}"
        if k < len(stages) - 1:
            page.locator(".st-key-bp_next").get_by_role("button").click()
    expect(page.locator(".st-key-bp_next").get_by_role("button")).to_be_disabled(timeout=WAIT_MS)


# Labels Streamlit cuts with an ellipsis: the text box is wider than what shows of it.
CUT_JS = """() => [...document.querySelectorAll('[class*="st-key-cmp_preset_"] .stMarkdownEllipsis')]
  .filter((el) => el.scrollWidth > el.clientWidth).map((el) => el.textContent)"""


@pytest.mark.browser
def test_compare_preset_buttons_show_their_whole_label_at_1400_px(page, app_url):
    """Issue 14: "SGD vs momentum vs Adam" was cut to "SGD vs momentum vs ..." at 1400 px."""
    page.goto(app_url + "/compare")
    expect(page.locator(".st-key-cmp_preset_learning_rates")).to_be_visible(timeout=WAIT_MS)
    page.wait_for_timeout(500)  # fonts and layout settled
    assert page.evaluate(CUT_JS) == []


# The shown value of a selectbox (a combobox input): cut by the column when wider than the input.
SELECT_CUT_JS = """() => [...document.querySelectorAll('[class*="st-key-cmp_run"] input[role="combobox"]')]
  .filter((el) => el.scrollWidth > el.clientWidth).map((el) => el.value)"""


@pytest.mark.browser
def test_compare_shows_four_runs_settings_uncut_on_a_laptop(page, app_url):
    """Issue 14: the head selects read "sigmoid + binary cros..." in Compare's run columns (then beside
    the sidebar; 1100 px wide is as narrow as that was)."""
    page.set_viewport_size({"width": 1100, "height": 800})
    page.goto(app_url + "/compare")
    page.get_by_test_id("stRadio").get_by_text("4", exact=True).click()
    selects = page.locator('[class*="st-key-cmp_run"] input[role="combobox"]')
    expect(selects).to_have_count(4 * 12, timeout=WAIT_MS)  # 12 run settings are selects
    page.wait_for_timeout(500)
    heads = page.locator('[class*="st-key-cmp_run"][class*="_head"] input[role="combobox"]')
    assert heads.count() == 4 and all("+" in heads.nth(i).input_value() for i in range(4))
    assert page.evaluate(SELECT_CUT_JS) == []
