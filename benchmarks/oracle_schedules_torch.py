"""nn_core's schedules against PyTorch's learning-rate schedulers, stepped once per epoch, in the
benchmark's environment (requirements-bench.txt): StepLR, ExponentialLR (and LambdaLR for a
period), CosineAnnealingWarmRestarts and CyclicLR "triangular". Not part of the test suite (torch is
not a test dependency); run it with pytest there: ``python -m pytest benchmarks/oracle_schedules_torch.py``.
"""

import pytest
import torch

from nn_core.schedules import Cosine, Exponential, StepDecay, Triangular

EPOCHS = 300
BASE = 0.1


def torch_rates(make_scheduler):
    """The rate each of EPOCHS epochs uses under PyTorch's scheduler (``scheduler.step()`` per epoch)."""
    weight = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([weight], lr=BASE)
    scheduler = make_scheduler(optimizer)
    rates = []
    for _ in range(EPOCHS):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return rates


S = torch.optim.lr_scheduler
CASES = [
    (StepDecay(10, 0.5), lambda o: S.StepLR(o, step_size=10, gamma=0.5)),
    (StepDecay(1, 0.9), lambda o: S.StepLR(o, step_size=1, gamma=0.9)),
    (Exponential(1, 0.97), lambda o: S.ExponentialLR(o, gamma=0.97)),
    (Exponential(25, 0.1), lambda o: S.LambdaLR(o, lambda e: 0.1 ** (e / 25))),
    (Cosine(10), lambda o: S.CosineAnnealingWarmRestarts(o, T_0=10)),
    (Cosine(7, 0.1), lambda o: S.CosineAnnealingWarmRestarts(o, T_0=7, eta_min=0.1 * BASE)),
    (Cosine(5, 0.01, 2), lambda o: S.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=2, eta_min=0.01 * BASE)),
    (Cosine(3, 0.0, 3), lambda o: S.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=3)),
    (
        Triangular(8, 0.1),
        lambda o: S.CyclicLR(o, base_lr=0.1 * BASE, max_lr=BASE, step_size_up=8, cycle_momentum=False),
    ),
    (
        Triangular(1, 0.0),
        lambda o: S.CyclicLR(o, base_lr=0.0, max_lr=BASE, step_size_up=1, cycle_momentum=False),
    ),
]


@pytest.mark.parametrize("schedule, make_scheduler", CASES, ids=lambda v: repr(v) if not callable(v) else "")
def test_schedule_rates_equal_pytorchs_scheduler(schedule, make_scheduler):
    ours = [schedule.rate(epoch, BASE) for epoch in range(1, EPOCHS + 1)]
    assert ours == pytest.approx(torch_rates(make_scheduler), rel=1e-9, abs=1e-15)
