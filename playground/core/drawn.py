"""Data drawn by hand on the Playground's boundary chart: points added by a click, removed by a
shift-click, cleared, undone; and their compact form in a link.

ConvNetJS's 2-D demo lets you click on the plane to add a point and watch the network adapt; teachers
ask "what happens if I put one point here?". The first edit of a generated dataset turns it into a
``Drawn`` set holding a copy of its points (train and test as they were), so one point can be added
to XOR. A ``Drawn`` is an immutable value: every edit returns a new one, so an undo is the previous
value and a tick training elsewhere never sees a half-made edit.

The split is explicit and stable: every 5th point added by hand is a test point (``TEST_EVERY``),
decided when it is added and kept with it. No Streamlit here.
"""

import base64
import math
from dataclasses import dataclass

import numpy as np

MAX_POINTS = 2000  # a drawn set, like an upload (the link carries at most LINK_POINTS of them)
LINK_POINTS = 200
TEST_EVERY = 5  # the 5th, 10th, ... point added by hand is a test point
REMOVE_RADIUS = 0.04  # shift-click removes the points within this fraction of the plane's width
TASKS = ("binary", "multiclass", "regression")
_CODE_BITS = 12  # per coordinate in a link: 4,096 steps across the plane (0.003 on [-6, 6])
_VALUE_STEPS = 32767  # a regression target in a link: 15 bits over [-1, 1]
_VERSION = 1


class DrawError(ValueError):
    """An edit or a link that cannot be used, in plain words."""


@dataclass(frozen=True)
class Drawn:
    """Points (n, 2), their labels (class numbers, or targets in [-1, 1] for regression) and test
    flags (n,), the kind of problem, the number of classes, the plane's (low, high) and how many
    points were added by hand so far (for the split rule)."""

    X: np.ndarray
    y: np.ndarray
    test: np.ndarray
    task: str = "binary"
    n_classes: int = 2
    domain: tuple = (-6.0, 6.0)
    added: int = 0

    def __post_init__(self):
        for name in ("X", "y", "test"):
            array = np.array(getattr(self, name), copy=True)
            array.flags.writeable = False  # a value: shared by the undo stack and the experiment
            object.__setattr__(self, name, array)

    def __len__(self):
        return len(self.y)

    @property
    def regression(self):
        return self.task == "regression"

    def points(self):
        """(X_train, X_test, y_train, y_test), as ``Experiment.points`` holds them."""
        train = ~self.test
        return self.X[train], self.X[self.test], self.y[train], self.y[self.test]


def from_points(points, task, n_classes, domain):
    """A drawn set holding a copy of an experiment's points (train, then test)."""
    X_train, X_test, y_train, y_test = points
    if task not in TASKS:
        raise DrawError(f"task must be one of {', '.join(TASKS)}; got {task!r}")
    X = np.concatenate([X_train, X_test]).astype(np.float64)
    y = np.concatenate([y_train, y_test]).astype(np.float64 if task == "regression" else np.int64)
    test = np.concatenate([np.zeros(len(X_train), bool), np.ones(len(X_test), bool)])
    return Drawn(X, y, test, task, int(n_classes), (float(domain[0]), float(domain[1])))


def _point(drawn, x1, x2):
    """(x1, x2) as floats inside the plane, or DrawError."""
    try:
        x1, x2 = float(x1), float(x2)
    except (TypeError, ValueError) as error:
        raise DrawError(f"a point needs two numbers; got {x1!r}, {x2!r}") from error
    low, high = drawn.domain
    if not (math.isfinite(x1) and math.isfinite(x2) and low <= x1 <= high and low <= x2 <= high):
        raise DrawError(f"the point ({x1:.3g}, {x2:.3g}) is outside the plane [{low:g}, {high:g}]²")
    return x1, x2


def _label(drawn, label):
    if drawn.regression:
        try:
            value = float(label)
        except (TypeError, ValueError) as error:
            raise DrawError(f"a target must be a number; got {label!r}") from error
        if not (math.isfinite(value) and -1.0 <= value <= 1.0):
            raise DrawError(f"a target must be in [-1, 1]; got {label!r}")
        return value
    whole = isinstance(label, (int, np.integer)) and not isinstance(label, bool)
    if not whole or not 0 <= label < drawn.n_classes:
        raise DrawError(f"the class must be 0 to {drawn.n_classes - 1}; got {label!r}")
    return int(label)


def add(drawn, x1, x2, label):
    """``drawn`` with one more point; every TEST_EVERY-th point added by hand is a test point."""
    if len(drawn) >= MAX_POINTS:
        raise DrawError(f"A drawn set holds at most {MAX_POINTS} points: remove some first.")
    x1, x2 = _point(drawn, x1, x2)
    value = _label(drawn, label)
    added = drawn.added + 1
    return Drawn(
        np.vstack([drawn.X, [[x1, x2]]]),
        np.append(drawn.y, value).astype(drawn.y.dtype),
        np.append(drawn.test, added % TEST_EVERY == 0),
        drawn.task, drawn.n_classes, drawn.domain, added,
    )  # fmt: skip


def remove_near(drawn, x1, x2):
    """``drawn`` without the points within REMOVE_RADIUS of the plane's width of (x1, x2). Returns
    (new set, how many went)."""
    x1, x2 = _point(drawn, x1, x2)
    low, high = drawn.domain
    near = np.hypot(drawn.X[:, 0] - x1, drawn.X[:, 1] - x2) <= REMOVE_RADIUS * (high - low)
    keep = ~near
    kept = Drawn(drawn.X[keep], drawn.y[keep], drawn.test[keep], drawn.task, drawn.n_classes, drawn.domain,
                 drawn.added)  # fmt: skip
    return kept, int(near.sum())


def clear(drawn):
    """No points at all (the split count starts again)."""
    return Drawn(np.zeros((0, 2)), drawn.y[:0], drawn.test[:0], drawn.task, drawn.n_classes, drawn.domain)


# --- links ---------------------------------------------------------------------------------------
def to_link(drawn):
    """The set as a short text for a link (base64url, no padding; 5 bytes a point), or None if it
    holds more than LINK_POINTS points."""
    if len(drawn) > LINK_POINTS:
        return None
    low, high = drawn.domain
    top = (1 << _CODE_BITS) - 1
    codes = np.rint((drawn.X - low) / (high - low) * top).astype(np.int64).clip(0, top)
    if drawn.regression:
        values = np.rint((np.clip(drawn.y, -1, 1) + 1) / 2 * _VALUE_STEPS).astype(np.int64)
    else:
        values = drawn.y.astype(np.int64)
    out = bytearray([_VERSION, TASKS.index(drawn.task), drawn.n_classes])
    out += np.array([low, high], "<f4").tobytes()
    for (a, b), v, t in zip(codes, values, drawn.test):
        packed = (int(a) << 12) | int(b)
        out += packed.to_bytes(3, "big") + ((int(t) << 15) | int(v)).to_bytes(2, "big")
    return base64.urlsafe_b64encode(bytes(out)).decode("ascii").rstrip("=")


def _classes_fit(task, n_classes):
    """A link's number of classes: 2 to 5, or for regression 1 (``from_points`` copies the config's
    ``classes``, 1 for regression) or 2 (``Drawn``'s default)."""
    return 2 <= n_classes <= 5 or (task == "regression" and n_classes == 1)


def from_link(text):
    """The set a ``to_link`` text describes. Raises DrawError for anything else (never more than
    LINK_POINTS points, whatever the text)."""
    if not isinstance(text, str) or len(text) > 16 + (LINK_POINTS * 5 * 4) // 3:
        raise DrawError("the drawn points in the link are too long or not text")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as error:
        raise DrawError("the drawn points in the link are not readable") from error
    if len(data) < 11 or (len(data) - 11) % 5 or data[0] != _VERSION or data[1] >= len(TASKS):
        raise DrawError("the drawn points in the link are not readable")
    task, n_classes = TASKS[data[1]], data[2]
    low, high = (float(v) for v in np.frombuffer(data[3:11], "<f4"))
    plane = math.isfinite(low) and math.isfinite(high) and -100 <= low < high <= 100
    if not (plane and _classes_fit(task, n_classes)):
        raise DrawError("the drawn points in the link are not readable")
    rows = np.frombuffer(data[11:], np.uint8).reshape(-1, 5).astype(np.int64)
    packed = (rows[:, 0] << 16) | (rows[:, 1] << 8) | rows[:, 2]
    flags = (rows[:, 3] << 8) | rows[:, 4]
    top = (1 << _CODE_BITS) - 1
    X = np.column_stack([packed >> 12, packed & top]) / top * (high - low) + low
    values, test = flags & 0x7FFF, (flags >> 15).astype(bool)
    if task != "regression" and (values >= n_classes).any():
        raise DrawError("the drawn points in the link name a class the set does not have")
    y = values / _VALUE_STEPS * 2 - 1 if task == "regression" else values
    return Drawn(X, y, test, task, int(n_classes), (low, high), added=len(y))
