"""Bias initializers: each one's distribution, the documented draw order (every weight, then every
bias) rebuilt by hand from NumPy's generator, reproducibility, validation, pickling and copies."""

import math
import pickle

import numpy as np
import pytest

import nn_core
from nn_core.initializers import BIAS_CHOICES, BIAS_INITIALIZERS, INITIALIZERS

SIZES = [2, 8, 8, 3]
RANDOM = ("uniform", "normal")  # the bias inits that draw from the generator


def _biases(bias_init, sizes=SIZES, seed=0, **kwargs):
    return nn_core.MLP(sizes, bias_init=bias_init, dtype=np.float64, rng=seed, **kwargs).biases


# --- distributions ------------------------------------------------------------------------------


def test_registry_names_and_choices():
    """The four bias inits, and "auto" (the weight init's own) first among MLP's choices."""
    assert tuple(nn_core.BIAS_INITIALIZERS) == ("zeros", "constant", "uniform", "normal")
    assert BIAS_CHOICES == ("auto", "zeros", "constant", "uniform", "normal")


@pytest.mark.parametrize("bias_init", BIAS_CHOICES)
def test_every_bias_init_gives_one_bias_per_unit_of_each_layer(bias_init):
    """biases[i] has shape (sizes[i + 1],), finite, for every choice and both dtypes."""
    for dtype in (np.float32, np.float64):
        model = nn_core.MLP(SIZES, bias_init=bias_init, dtype=dtype, rng=0)
        assert [b.shape for b in model.biases] == [(8,), (8,), (3,)]
        assert all(b.dtype == dtype and np.all(np.isfinite(b)) for b in model.biases)


def test_zeros_and_constant_biases_are_exact():
    """zeros: every bias 0; constant: every bias 0.1 (TensorFlow Playground's), whatever the weights."""
    for init in INITIALIZERS:
        for b in _biases("zeros", init=init):
            np.testing.assert_array_equal(b, 0.0)
        for b in _biases("constant", init=init):
            np.testing.assert_array_equal(b, 0.1)


def test_uniform_bias_on_a_big_layer_is_uniform_on_the_glorot_range():
    """U(-r, r), r = sqrt(6 / (fan_in + fan_out)): range, mean 0, std r / sqrt(3) (within 1 %)."""
    fan_in, fan_out = 1000, 200_000
    r = math.sqrt(6 / (fan_in + fan_out))
    b = BIAS_INITIALIZERS["uniform"](fan_in, fan_out, np.random.default_rng(0))
    assert b.shape == (fan_out,)
    assert -r <= b.min() < -0.999 * r and 0.999 * r < b.max() <= r
    assert abs(b.mean()) < 0.01 * r
    assert b.std() == pytest.approx(r / math.sqrt(3), rel=0.01)
    # a quarter of the draws in each quarter of the range (a flat histogram)
    counts, _ = np.histogram(b, bins=4, range=(-r, r))
    np.testing.assert_allclose(counts / fan_out, 0.25, atol=0.01)


def test_uniform_bias_range_follows_each_layers_fans():
    """In an MLP each layer's range is its own: sqrt(6/10), sqrt(6/16), sqrt(6/11) for 2-8-8-3."""
    many = [nn_core.MLP(SIZES, bias_init="uniform", dtype=np.float64, rng=s).biases for s in range(300)]
    for i, r in enumerate((math.sqrt(6 / 10), math.sqrt(6 / 16), math.sqrt(6 / 11))):
        values = np.concatenate([biases[i] for biases in many])
        assert np.abs(values).max() <= r < 1.02 * np.abs(values).max()


def test_normal_bias_on_a_big_layer_has_std_0_1():
    """N(0, 0.1^2): mean 0 and std 0.1 within 1 %, and about 68 % within one std."""
    b = BIAS_INITIALIZERS["normal"](10, 200_000, np.random.default_rng(1))
    assert b.shape == (200_000,)
    assert abs(b.mean()) < 0.001
    assert b.std() == pytest.approx(0.1, rel=0.01)
    assert np.mean(np.abs(b) < 0.1) == pytest.approx(0.6827, abs=0.005)


def test_auto_keeps_each_weight_inits_own_biases():
    """auto: 0.1 with TF's uniform weight init, 0 with the others (nn_core's behaviour before bias inits)."""
    for init in INITIALIZERS:
        want = 0.1 if init == "uniform" else 0.0
        for b in _biases("auto", init=init):
            np.testing.assert_array_equal(b, want)
    assert nn_core.MLP([2, 1]).bias_init == "auto"  # the default


# --- the draw order -----------------------------------------------------------------------------


@pytest.mark.parametrize("init", ["xavier", "he", "uniform"])
@pytest.mark.parametrize("bias_init", RANDOM)
def test_draw_order_every_weight_then_every_bias_by_hand(init, bias_init):
    """The documented order, rebuilt from NumPy alone: one generator, each layer's weights in turn,
    then each layer's biases; the model's float64 parameters equal it bit for bit."""
    rng = np.random.default_rng(5)
    pairs = list(zip(SIZES[:-1], SIZES[1:]))
    weights = []
    for fan_in, fan_out in pairs:
        if init == "xavier":
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            weights.append(rng.uniform(-limit, limit, (fan_in, fan_out)))
        elif init == "he":
            weights.append(rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in))
        else:
            weights.append(rng.uniform(-0.5, 0.5, (fan_in, fan_out)))
    biases = []
    for fan_in, fan_out in pairs:
        if bias_init == "uniform":
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            biases.append(rng.uniform(-limit, limit, fan_out))
        else:
            biases.append(0.1 * rng.standard_normal(fan_out))
    model = nn_core.MLP(SIZES, init=init, bias_init=bias_init, dtype=np.float64, rng=5)
    expected = np.concatenate([W.ravel() for W in weights] + biases)
    np.testing.assert_array_equal(model.params, expected)


@pytest.mark.parametrize("init", sorted(INITIALIZERS))
def test_bias_init_never_changes_the_weights_a_seed_gives(init):
    """Same seed, any bias init: the same weights as "auto" (nn_core's runs before bias inits)."""
    base = nn_core.MLP(SIZES, init=init, rng=3)
    for bias_init in BIAS_CHOICES:
        model = nn_core.MLP(SIZES, init=init, bias_init=bias_init, rng=3)
        np.testing.assert_array_equal(model.params[: model.n_weights], base.params[: base.n_weights])


# --- reproducibility ----------------------------------------------------------------------------


@pytest.mark.parametrize("bias_init", BIAS_CHOICES)
def test_same_seed_same_start_bit_for_bit_and_float32_is_float64_rounded(bias_init):
    """Same seed -> identical parameters; float32 equals the float64 start rounded to float32."""
    a = nn_core.MLP(SIZES, bias_init=bias_init, rng=11)
    b = nn_core.MLP(SIZES, bias_init=bias_init, rng=np.random.default_rng(11))
    assert np.array_equal(a.params, b.params)
    w64 = nn_core.MLP(SIZES, bias_init=bias_init, dtype=np.float64, rng=11).params
    np.testing.assert_array_equal(a.params, w64.astype(np.float32))


@pytest.mark.parametrize("bias_init", RANDOM)
def test_random_bias_inits_differ_between_seeds_and_units(bias_init):
    """Another seed, other biases; and the units of a layer do not share one bias."""
    a, b = _biases(bias_init, seed=1), _biases(bias_init, seed=2)
    assert not np.array_equal(a[0], b[0])
    assert len(set(a[0].tolist())) == a[0].size


def test_a_seeded_training_run_repeats_bit_for_bit():
    """Same seeds, same run: the whole history and the final weights, with random biases."""

    def train():
        X, y = nn_core.make_dataset("spiral", n_samples=60, noise=0.1, n_classes=3, rng=0)
        model = nn_core.MLP([2, 8, 8, 3], activation="relu", output="softmax", bias_init="uniform", rng=4)
        trainer = nn_core.Trainer(model, loss="cross_entropy", optimizer="adam", batch_size=16, rng=4)
        trainer.train(X, y, 5)
        return model.params.copy(), trainer.history

    (p1, h1), (p2, h2) = train(), train()
    assert np.array_equal(p1, p2) and h1 == h2


# --- validation, pickling, copies ---------------------------------------------------------------


@pytest.mark.parametrize("bad", ["glorot", "Zeros", "", None, 0.1, ["zeros"]])
def test_unknown_bias_init_is_a_value_error_naming_it(bad):
    with pytest.raises(ValueError, match=r"bias_init must be one of \[.*'auto'.*\]; got ") as caught:
        nn_core.MLP([2, 3, 1], bias_init=bad)
    assert str(caught.value).endswith(f"got {bad!r}")


@pytest.mark.parametrize("bias_init", BIAS_CHOICES)
def test_pickle_and_copy_keep_the_bias_init(bias_init):
    """pickle: same bias_init, repr and parameters; copy(): the same, in either dtype."""
    model = nn_core.MLP(SIZES, init="he", bias_init=bias_init, rng=2)
    twin = pickle.loads(pickle.dumps(model))
    assert twin.bias_init == bias_init and repr(twin) == repr(model)
    assert f"bias_init={bias_init!r}" in repr(model)
    np.testing.assert_array_equal(twin.params, model.params)
    for dtype in (None, np.float64):
        clone = model.copy(dtype=dtype)
        assert clone.bias_init == bias_init and clone.init == "he"
        np.testing.assert_array_equal(clone.params, model.params.astype(clone.dtype))


def test_a_model_pickled_before_bias_inits_loads_as_auto():
    """A pickle without ``bias_init`` (from an older nn_core) loads as "auto", its biases as they were."""
    model = nn_core.MLP(SIZES, init="uniform", rng=0)
    state = model.__getstate__()
    del state["bias_init"]
    old = nn_core.MLP.__new__(nn_core.MLP)
    old.__setstate__(state)
    assert old.bias_init == "auto"
    np.testing.assert_array_equal(old.params, model.params)
