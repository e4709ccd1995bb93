"""The film of a run: snapshots of the model kept while it trains, so the run can be watched again.

A run is a story (the boundary bends, stalls on a plateau, snaps into place) that the live view shows
once. The film keeps full frames (``frames.Frame``: the boundary, every neuron's map, the weights and
the scores) at epochs spaced so the early, fast-changing part is dense:

- a frame is kept once it is at least ``GROWTH`` (2 %) of its epoch past the last kept one (and at
  least one epoch): every epoch up to ``DENSE_EPOCHS`` (50; the workers snapshot each of those
  epochs for the film, ``training``), then a frame every 2 %;
- the newest frame (the present) is always there, replaced as training goes on;
- past ``MAX_FRAMES`` frames or ``BUDGET_BYTES`` bytes, the frame whose neighbours are closest on a
  log scale of epochs goes, so a long run's film thins out evenly in log time and its first epochs
  stay.

A frame is kept zlib-compressed (``Reel``): ~7 KB for the default network, so its 300 frames take
~2 MB; a frame of 8 x 64 units is ~165 KB (its 29,000 weights as float32), so the budget keeps ~50 of
those. Workers compress the frames (``reel``), off the server's interpreter lock. No Streamlit here.
"""

import base64
import math
import zlib
from typing import NamedTuple

from playground.live import frames

MAX_FRAMES = 300
BUDGET_BYTES = 8 * 1024**2  # per session: the film's compressed frames
GROWTH = 0.02  # a new frame is kept once it is this fraction of its epoch past the last kept one
DENSE_EPOCHS = round(1 / GROWTH)  # up to here the rule keeps every epoch (workers snapshot each one)


class Reel(NamedTuple):
    """One frame of the film: a ``frames.Frame`` (always full) with its bytes zlib-compressed."""

    epoch: int
    u8z: bytes  # the frame's u8 sections, zlib-compressed
    f32: bytes
    scores: tuple
    metrics: dict | None = None  # the confusion matrix (or regression metrics) at that epoch

    @property
    def nbytes(self):
        return len(self.u8z) + len(self.f32)

    def frame(self):
        """The ``frames.Frame`` again."""
        return frames.Frame(self.epoch, zlib.decompress(self.u8z), self.f32, self.scores, True, self.metrics)


def reel(frame):
    """A full ``frames.Frame`` -> its ``Reel``."""
    if not frame.full:
        raise ValueError("a film keeps full frames only; got a light frame (the boundary alone)")
    return Reel(frame.epoch, zlib.compress(frame.u8, 6), frame.f32, tuple(frame.scores), frame.metrics)


class Film:
    """The film of one network (``key``: the experiment's nonce and build count): ``reels`` in
    increasing epoch order, ``version`` counting its changes (the browser holds a version)."""

    def __init__(self, key, *, max_frames=MAX_FRAMES, budget_bytes=BUDGET_BYTES):
        if max_frames < 2:
            raise ValueError(f"max_frames must be at least 2; got {max_frames!r}")
        self.key, self.max_frames, self.budget_bytes = key, max_frames, budget_bytes
        self.reels: list[Reel] = []
        self.version = 0
        self.nbytes = 0

    @property
    def id(self):
        """Names this film as it is now: its network and its version."""
        return f"{self.key}.{self.version}"

    @property
    def epochs(self):
        return [r.epoch for r in self.reels]

    def add(self, new):
        """Add a ``Reel`` (the model at a later epoch, or the same epoch again)."""
        reels = self.reels
        if reels and new.epoch < reels[-1].epoch:
            # The run went back (weights loaded from a file at an earlier epoch): what came after
            # that epoch is another story.
            while reels and reels[-1].epoch >= new.epoch:
                self._pop(len(reels) - 1)
        if reels and new.epoch == reels[-1].epoch:
            if new == reels[-1]:
                return  # the same picture again (a paused page redrawn): nothing changed
            self._pop(len(reels) - 1)
        elif len(reels) >= 2 and not self._spaced(reels[-2].epoch, reels[-1].epoch):
            self._pop(len(reels) - 1)  # the present was too close to the last kept frame: replace it
        reels.append(new)
        self.nbytes += new.nbytes
        while len(reels) > 2 and (len(reels) > self.max_frames or self.nbytes > self.budget_bytes):
            self._pop(self._closest())
        self.version += 1

    def add_all(self, new_reels):
        for r in new_reels:
            self.add(r)

    @staticmethod
    def _spaced(kept, epoch):
        """Whether ``epoch`` is far enough past the last kept frame's epoch to be kept too."""
        return epoch - kept >= max(1.0, GROWTH * kept)

    def _closest(self):
        """The inner frame whose neighbours are closest together on a log scale of epochs."""
        logs = [math.log1p(e) for e in self.epochs]
        gaps = [logs[i + 1] - logs[i - 1] for i in range(1, len(logs) - 1)]
        return 1 + gaps.index(min(gaps))

    def _pop(self, i):
        self.nbytes -= self.reels.pop(i).nbytes

    def packed(self):
        """The film as the browser decodes it: one ``frames.pack_frames`` dict per frame (each frame's
        bytes compressed on their own, as kept)."""
        return [
            {
                "epochs": [r.epoch],
                "u8": base64.b64encode(r.u8z).decode("ascii"),
                "f32": base64.b64encode(r.f32).decode("ascii"),
                "scores": [list(r.scores)],
                "full": [True],
            }
            for r in self.reels
        ]
