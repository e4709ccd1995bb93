"""AppTest: everything issue 16 added, in one network at once. A link with typed features, one
activation per hidden layer, uniform biases, a cosine schedule and a plateau stop rule opens the
Playground with all of it; a step trains with the scheduled rate and records the metrics; every page
that looks inside the Playground's network takes it; the link the page writes reopens it."""

import pytest

from playground.core.config import Config, to_query
from playground.core.schedule_stop import schedule_of
from tests.playground.live.test_page import experiment, live_data, open_app

EVERYTHING = Config(
    dataset="spiral",
    n_classes=3,
    n_samples=90,
    head="softmax_ce",
    feature_formulas=("x1^2 + x2^2", "sin(x1*x2)"),
    hidden=(6, 5, 4),
    layer_activations=("swish", "gelu", "sine"),
    bias_init="uniform",
    optimizer="adam",
    learning_rate=0.01,
    batch_size=16,
    schedule="cosine",
    schedule_period=5,
    schedule_factor=0.1,
    stop_rule="plateau",
    stop_patience=50,
)


def test_one_link_opens_a_network_with_every_new_setting_and_it_trains():
    at = open_app(to_query(EVERYTHING))
    exp = experiment(at)
    assert exp.config == EVERYTHING and not at.warning
    model = exp.model
    assert model.layer_sizes == [4, 6, 5, 4, 3]  # x1, x2 and two typed features
    assert model.hidden_activations == ("swish", "gelu", "sine") and model.bias_init == "uniform"
    assert exp.trainer.schedule == schedule_of(EVERYTHING)
    for _ in range(7):
        at.button(key="step").click().run()
    assert not at.exception, at.exception
    history = experiment(at).trainer.history
    assert [r["epoch"] for r in history] == list(range(1, 8))
    rates = [r["learning_rate"] for r in history]
    assert rates[0] == pytest.approx(0.01) == rates[5]  # the cosine starts again at epoch 6
    assert rates[0] > rates[1] > rates[2] > rates[3] > rates[4] < rates[5]
    confusion = history[-1]["val_confusion"]
    assert len(confusion) == 3 and sum(map(sum, confusion)) == 45  # half of 90 points are test points
    data = live_data(at)
    assert data["spec"]["metrics"]["kind"] == "confusion"
    assert data["loss"]["learning_rate"][-1] == pytest.approx(rates[-1], rel=1e-4)  # sent rounded
    assert dict(at.query_params) == to_query(EVERYTHING)


@pytest.mark.parametrize(
    "page", ["pages/backprop.py", "pages/gradient_check.py", "pages/hidden_space.py", "pages/compare.py"]
)
def test_every_page_that_looks_inside_the_network_takes_all_of_it(page):
    at = open_app(to_query(EVERYTHING))
    at.button(key="step").click().run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    at.switch_page("pages/playground.py").run()
    assert not at.exception, at.exception
    assert experiment(at).config == EVERYTHING and experiment(at).epoch == 1
