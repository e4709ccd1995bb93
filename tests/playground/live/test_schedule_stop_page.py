"""AppTest of the Playground's "Learning-rate schedule" and "Stop when" sections: each control reaches
the config, the URL and the trainer; a schedule changed mid-run keeps the network; a stop rule stops
Play and the status line says why; the live loss chart draws the rate."""

import pytest

from playground.core.config import Config, to_query
from playground.core.schedule_stop import schedule_of
from tests.playground.live.test_page import SMALL, experiment, live_data, open_app

# Each control, a new value, and what must follow on the experiment's config.
CONTROLS = [
    ("selectbox", "cfg_schedule", "triangular", lambda c: c.schedule == "triangular"),
    ("number_input", "cfg_schedule_period", 25, lambda c: c.schedule_period == 25),
    ("select_slider", "cfg_schedule_factor", 0.5, lambda c: c.schedule_factor == 0.5),
    ("number_input", "cfg_schedule_multiplier", 2, lambda c: c.schedule_multiplier == 2),
    ("selectbox", "cfg_stop_rule", "plateau", lambda c: c.stop_rule == "plateau"),
    ("number_input", "cfg_stop_target", 0.2, lambda c: c.stop_target == 0.2),
    ("number_input", "cfg_stop_patience", 40, lambda c: c.stop_patience == 40),
]


@pytest.mark.parametrize("kind, key, value, check", CONTROLS, ids=[c[1] for c in CONTROLS])
def test_each_schedule_and_stop_control_changes_the_config_the_url_and_the_trainer(kind, key, value, check):
    rule = "plateau" if key == "cfg_stop_patience" else "test_loss_below"  # the control applies, not disabled
    at = open_app({**SMALL, "sched": "cosine", "stop": rule})
    getattr(at, kind)(key=key).set_value(value).run()
    assert not at.exception, at.exception
    exp = experiment(at)
    assert check(exp.config)
    assert dict(at.query_params) == to_query(exp.config)
    assert exp.trainer.schedule == schedule_of(exp.config)


def test_the_sections_are_folded_and_their_details_disabled_until_they_apply():
    at = open_app(SMALL)
    labels = [e.label for e in at.sidebar.expander]
    assert "Learning-rate schedule" in labels and "Stop when" in labels
    assert at.number_input(key="cfg_schedule_period").disabled  # a constant rate has no period
    assert at.number_input(key="cfg_schedule_multiplier").disabled  # cosine only
    assert (
        at.number_input(key="cfg_stop_target").disabled and at.number_input(key="cfg_stop_patience").disabled
    )
    at.selectbox(key="cfg_stop_rule").select("plateau").run()
    assert (
        at.number_input(key="cfg_stop_target").disabled
        and not at.number_input(key="cfg_stop_patience").disabled
    )


def test_picking_an_accuracy_rule_sets_an_accuracy_target():
    """The default target 0.05 is a loss; an accuracy rule with it would stop at once."""
    at = open_app(SMALL)
    at.selectbox(key="cfg_stop_rule").select("test_accuracy_reached").run()
    assert experiment(at).config.stop_target == 0.95
    at.selectbox(key="cfg_stop_rule").select("train_loss_below").run()
    assert experiment(at).config.stop_target == 0.05


def test_a_link_with_a_schedule_and_a_stop_rule_restores_them():
    schedule = dict(schedule="triangular", schedule_period=30, schedule_factor=0.3)
    stop = dict(stop_rule="train_loss_below", stop_target=0.25, stop_patience=12)
    config = Config(n_samples=60, hidden=(3,), batch_size=0, **schedule, **stop)
    at = open_app(to_query(config))
    assert experiment(at).config == config and not at.warning
    assert at.selectbox(key="cfg_schedule").value == "triangular"
    assert at.number_input(key="cfg_stop_target").value == 0.25
    query = to_query(config)
    assert {k: query[k] for k in ("sched", "speriod", "sfactor", "stop", "stoptarget", "patience")} == {
        "sched": "triangular", "speriod": "30", "sfactor": "0.3", "stop": "train_loss_below",
        "stoptarget": "0.25", "patience": "12",
    }  # fmt: skip


def test_changing_the_schedule_mid_run_keeps_the_network_and_its_history():
    at = open_app(SMALL)
    for _ in range(3):
        at.button(key="step").click().run()
    exp = experiment(at)
    params = exp.model.params.copy()
    at.selectbox(key="cfg_schedule").select("step").run()
    at.number_input(key="cfg_schedule_period").set_value(2).run()
    exp = experiment(at)
    assert exp.epoch == 3 and (exp.model.params == params).all()
    assert any("keeps training" in c.value for c in at.caption)
    at.button(key="step").click().run()
    record = experiment(at).trainer.history[-1]
    lr, factor = exp.config.learning_rate, exp.config.schedule_factor
    assert record["epoch"] == 4 and record["learning_rate"] == pytest.approx(
        lr * factor
    )  # epoch 4: one step down


def test_the_live_loss_chart_draws_the_rate_with_a_schedule():
    at = open_app({**SMALL, "sched": "step", "speriod": "2"})
    at.button(key="step").click().run()
    data = live_data(at)
    assert data["spec"]["loss"]["keys"][-1] == "learning_rate"
    assert "yaxis3" in data["spec"]["loss"]["figure"]["layout"]
    assert data["loss"]["learning_rate"] == [Config().learning_rate]
    at.selectbox(key="cfg_schedule").select("constant").run()  # no band: the spec is drawn again
    assert "learning_rate" not in live_data(at)["spec"]["loss"]["keys"]


def test_a_stop_rule_stops_play_and_the_status_line_says_why():
    at = open_app(
        {**SMALL, "data": "moons", "lr": "0.3", "stop": "train_loss_below", "stoptarget": "0.3", "speed": "3"}
    )
    at.button(key="play").click().run()
    for _ in range(20):
        if experiment(at).stopped:
            break
        at.run()
    at.run()
    exp = experiment(at)
    assert exp.stopped and exp.trainer.history[-1]["train_loss"] < 0.3
    assert exp.trainer.history[-2]["train_loss"] >= 0.3  # the first epoch below the target
    message = " ".join(s.value for s in at.success)
    assert f"Stopped at epoch {exp.epoch}: training loss < 0.3" in message
    assert at.button(key="play").disabled and at.button(key="step").disabled
    stopped_at = exp.epoch
    # A lower target: the rule changed, training goes on from the same epoch.
    at.number_input(key="cfg_stop_target").set_value(0.1).run()
    assert not experiment(at).stopped and not at.button(key="play").disabled
    at.button(key="step").click().run()
    assert experiment(at).epoch == stopped_at + 1
