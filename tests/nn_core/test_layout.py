"""The engine reads like the tutorial: one concept per file, each under 300 lines, and one training
step as four short named stages (forward, loss, backward, update) a student can find in trainer.py."""

import inspect
from pathlib import Path

import pytest

import nn_core
from nn_core.mlp import MLP
from nn_core.trainer import Trainer

FILES = sorted((Path(nn_core.__file__).parent).glob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_engine_file_is_under_300_lines(path):
    """STYLE.md: files under ~300 lines; past that, split along a real seam."""
    assert len(path.read_text().splitlines()) <= 300


@pytest.mark.parametrize(
    "function",
    [Trainer._step, Trainer._forward, Trainer._loss, Trainer._backward, Trainer._update],
    ids=lambda f: f.__name__,
)
def test_training_step_stage_is_a_short_named_function(function):
    """Each stage of a step is one function of at most 15 lines, docstring included."""
    assert len(inspect.getsourcelines(function)[0]) <= 15


def test_step_runs_forward_backward_update_in_the_tutorials_order():
    """``_step`` calls the stages by name, in order; the layer maths is MLP.forward_into/backward_into."""
    step = inspect.getsource(Trainer._step)
    assert step.index("self._forward(") < step.index("self._backward(") < step.index("self._update(")
    assert "forward_into(" in inspect.getsource(Trainer._forward)
    assert "backward_into(" in inspect.getsource(Trainer._backward)
    assert callable(MLP.forward_into) and callable(MLP.backward_into)
