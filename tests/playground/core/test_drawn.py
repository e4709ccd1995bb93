"""Points drawn by hand: adding (the split rule), removing near a click, clearing, the limits, and the
link's compact form (exact to its quantization, bounded, hostile texts refused in words)."""

import base64

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core import drawn

EMPTY = drawn.Drawn(np.zeros((0, 2)), np.zeros(0, np.int64), np.zeros(0, bool))


def test_every_fifth_point_added_is_a_test_point_and_stays_so():
    d = EMPTY
    for i in range(12):
        d = drawn.add(d, i * 0.5 - 3, 1.0, i % 2)
    assert d.test.tolist() == [(i + 1) % 5 == 0 for i in range(12)]
    kept, removed = drawn.remove_near(d, -3.0, 1.0)  # the first point goes; the others keep their split
    assert removed == 1 and kept.test.tolist() == d.test[1:].tolist() and kept.added == 12
    X_train, X_test, y_train, y_test = kept.points()
    assert len(X_test) == 2 and len(X_train) == 9 and y_train.dtype == np.int64


def test_a_copy_of_a_generated_dataset_keeps_its_split():
    points = (np.ones((3, 2)), np.zeros((2, 2)), np.array([0, 1, 1]), np.array([1, 0]))
    d = drawn.from_points(points, "binary", 2, (-6, 6))
    assert d.test.tolist() == [False, False, False, True, True] and d.y.tolist() == [0, 1, 1, 1, 0]
    assert [a.tolist() for a in d.points()] == [a.tolist() for a in points]


def test_remove_takes_every_point_within_the_radius_only():
    d = EMPTY
    for x in (0.0, 0.3, 0.6, 3.0):
        d = drawn.add(d, x, 0.0, 1)
    kept, removed = drawn.remove_near(d, 0.0, 0.0)  # radius 0.04 * 12 = 0.48
    assert removed == 2 and kept.X[:, 0].tolist() == [0.6, 3.0]
    assert drawn.remove_near(d, -5, -5)[1] == 0


@pytest.mark.parametrize(
    ("x1", "x2", "label", "words"),
    [
        (7.0, 0.0, 1, "outside the plane"),
        (float("nan"), 0.0, 1, "outside the plane"),
        ("a", 0.0, 1, "two numbers"),
        (0.0, 0.0, 2, "class must be 0 to 1"),
        (0.0, 0.0, True, "class must be"),
        (0.0, 0.0, "1", "class must be"),
    ],
)
def test_a_bad_click_is_refused_in_words(x1, x2, label, words):
    with pytest.raises(drawn.DrawError, match=words):
        drawn.add(EMPTY, x1, x2, label)


def test_a_drawn_set_is_bounded_and_immutable(monkeypatch):
    d = drawn.add(EMPTY, 0, 0, 1)
    with pytest.raises(ValueError):
        d.X[0, 0] = 5.0  # a value: the undo stack shares it
    monkeypatch.setattr(drawn, "MAX_POINTS", 1)
    with pytest.raises(drawn.DrawError, match="at most 1 points"):
        drawn.add(d, 1, 1, 0)
    assert len(drawn.clear(d)) == 0


def test_regression_targets_are_numbers_in_minus_one_to_one():
    d = drawn.Drawn(np.zeros((0, 2)), np.zeros(0), np.zeros(0, bool), task="regression")
    d = drawn.add(d, 1.0, 2.0, 0.25)
    assert d.y.tolist() == [0.25] and d.y.dtype == np.float64
    with pytest.raises(drawn.DrawError, match=r"in \[-1, 1\]"):
        drawn.add(d, 0, 0, 3.0)


# --- the link ------------------------------------------------------------------------------------
point = st.tuples(st.floats(-6, 6), st.floats(-6, 6), st.integers(0, 2), st.booleans())
classes = st.lists(point, max_size=drawn.LINK_POINTS)


@settings(max_examples=200, deadline=None)
@given(classes)
def test_the_link_round_trip_is_exact_to_its_quantization(rows):
    X = np.array([[a, b] for a, b, _, _ in rows]).reshape(-1, 2)
    d = drawn.Drawn(X, np.array([c for *_, c, _ in rows], np.int64), np.array([t for *_, t in rows], bool),
                    task="multiclass", n_classes=3)  # fmt: skip
    back = drawn.from_link(drawn.to_link(d))
    step = 12 / 4095
    assert np.abs(back.X - d.X).max(initial=0) <= step / 2 + 1e-9
    assert back.y.tolist() == d.y.tolist() and back.test.tolist() == d.test.tolist()
    assert (back.task, back.n_classes, back.domain) == ("multiclass", 3, (-6.0, 6.0))


def test_regression_targets_survive_the_link():
    d = drawn.Drawn(np.array([[1.0, -2.0], [0.0, 0.0]]), np.array([-1.0, 0.3]), np.array([False, True]),
                    task="regression")  # fmt: skip
    back = drawn.from_link(drawn.to_link(d))
    assert np.allclose(back.y, d.y, atol=1 / 32767) and back.test.tolist() == [False, True]


def test_more_than_200_points_do_not_go_in_a_link():
    d = EMPTY
    for i in range(drawn.LINK_POINTS + 1):
        d = drawn.add(d, (i % 20) * 0.5 - 5, (i // 20) * 0.5 - 5, i % 2)
    assert drawn.to_link(d) is None
    assert len(drawn.to_link(drawn.remove_near(d, -5, -5)[0]) or "") > 0  # 200 or fewer again: it goes


@settings(max_examples=2000, deadline=None)
@given(st.one_of(st.text(max_size=400), st.binary(max_size=300).map(lambda b: b.hex())))
def test_a_hostile_link_is_refused_in_words_never_crashes(text):
    try:
        d = drawn.from_link(text)
    except drawn.DrawError:
        return
    assert len(d) <= drawn.LINK_POINTS and np.isfinite(d.X).all()


def test_a_link_naming_a_class_the_set_lacks_is_refused():
    d = drawn.Drawn(np.zeros((1, 2)), np.array([1]), np.array([False]))
    text = drawn.to_link(d)
    raw = bytearray(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    raw[-1] = 9  # class 9 of a 2-class set
    forged = base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    with pytest.raises(drawn.DrawError, match="class the set does not have"):
        drawn.from_link(forged)
    with pytest.raises(drawn.DrawError, match="too long"):
        drawn.from_link("A" * 5000)


def test_a_regression_copy_survives_the_link():
    points = (np.array([[1.0, 2.0]]), np.array([[-1.0, 0.0]]), np.array([0.5]), np.array([-0.25]))
    d = drawn.from_points(points, "regression", 1, (-6, 6))  # Config.classes is 1 for regression
    back = drawn.from_link(drawn.to_link(d))
    assert back.task == "regression" and np.allclose(back.y, [0.5, -0.25], atol=1 / 32767)
