"""Compare runs may differ in their bias init: the runs start from the same weights (weights are drawn
before biases) with their own biases, and train exactly as each would alone."""

import numpy as np

from playground.compare import runs as compare
from playground.compare import training
from playground.core.config import Config
from playground.core.experiment import Experiment

SPIRAL = Config(dataset="spiral", n_classes=3, n_samples=60, hidden=(8, 8), activation="relu",
                head="softmax_ce", optimizer="adam", learning_rate=0.01, batch_size=32)  # fmt: skip


def test_bias_init_is_a_run_setting_with_every_choice():
    assert "bias_init" in compare.RUN_FIELDS
    assert compare.choices("bias_init", SPIRAL) == ("auto", "zeros", "constant", "uniform", "normal")


def test_runs_of_other_bias_inits_share_the_weights_and_train_as_alone():
    runs, notes = compare.build_runs(SPIRAL, [{}, {"bias_init": "uniform"}, {"bias_init": "constant"}])
    assert notes == []
    assert runs[1].differs == "Bias init: uniform ±√(6/(in+out))"  # short: a narrow column
    models = [Experiment(run.config).model for run in runs]
    for model in models[1:]:
        for mine, theirs in zip(model.weights, models[0].weights):
            np.testing.assert_array_equal(mine, theirs)
    assert not models[0].biases[0].any() and models[1].biases[0].any()
    np.testing.assert_array_equal(models[2].biases[0], np.float32(0.1))
    results = training.train_runs(runs, 12, chunks=3)
    for run, result in zip(runs, results.runs):
        alone = Experiment(run.config)
        alone.train(12)
        assert result.history == alone.trainer.history
