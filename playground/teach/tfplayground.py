"""Import a TensorFlow Playground link: its URL-hash state -> the nearest Config and Classroom here.

TensorFlow Playground keeps its whole state in the URL hash
(``#activation=tanh&batchSize=10&dataset=circle&...&learningRate_hide=true``). ``from_hash`` reads that
text, or the whole URL, the way TF Playground's ``State.deserializeState`` does: the last value of a key
wins, a blank value means TF's default, a boolean is true unless it is ``false``, and a key the link
leaves out takes TF's default (not ours: a hash without ``networkShape`` means TF's 4-2 network).
Each TF setting then becomes its nearest setting here, with a ``Note`` saying how, or why it has no
equivalent. The values go through ``config.from_query`` like any link's. Never raises. No Streamlit.

TF's defaults and how its names map onto ours are in ``tf_settings`` (the names themselves on the
catalog's records); the translation of each setting is a step in ``tf_steps``.
"""

import re
import urllib.parse
from typing import NamedTuple

from playground.core import catalog
from playground.core import config as cfg
from playground.core.classroom import Classroom
from playground.teach import tf_steps as steps
from playground.teach.tf_settings import IGNORED, NEAREST, NONE, SAME, TF_DEFAULTS, TF_KEYS

__all__ = ("IGNORED", "NEAREST", "NONE", "SAME", "TF_KEYS", "Note", "from_hash", "read_hash")


class Note(NamedTuple):
    """One line of the import report: what a TF Playground setting became here."""

    tf: str  # the TF setting as read, e.g. "dataset=circle"; a fact TF fixes is in brackets
    here: str  # what it became here, e.g. "Dataset: circles"; "" when nothing
    how: str  # SAME, NEAREST, NONE or IGNORED
    why: str = ""  # what differs, in a sentence

    def __str__(self):
        here = f" -> {self.here}" if self.here else ""
        return f"{self.tf}{here} ({self.how}){': ' + self.why if self.why else ''}"


class _Import:
    """One import in progress: the hash's values, the query being built, the hidden controls, notes."""

    def __init__(self, values):
        self.values = values  # TF key -> text as in the hash (the last one wins)
        self.query, self.hidden, self.notes = {}, set(), []
        self.fallbacks = {}  # TF key -> (how, why) for a value replaced before mapping; told in its note

    def get(self, key):
        """The key's value as TF reads it: blank or missing means TF's default."""
        return self.values.get(key, "").strip() or TF_DEFAULTS.get(key, "")

    def shown(self, key):
        text = self.values.get(key, "")
        if not text.strip() and not (key == "networkShape" and key in self.values):
            if key in TF_DEFAULTS:
                return f"{key}={TF_DEFAULTS[key]} (TF default)"
            shown = f"{key} (not in the link)"  # a hostile key without a value is cut too
        else:
            shown = f"{key}={text}"
        return shown if len(shown) <= 60 else shown[:60] + "…"  # a hostile paste stays one short line

    def set(self, name, value):
        """Set Config field ``name``; returns what the report shows, e.g. "Dataset: circles"."""
        self.query[cfg.FIELDS[name].key] = cfg.field_text(name, value)
        if isinstance(value, bool):
            return f"{cfg.FIELDS[name].label}: {'on' if value else 'off'}"
        if name == "features":
            shown = catalog.labels(name, value) or "none"  # (TF's cos inputs alone: the typed ones)
        elif name == "feature_formulas":
            shown = ", ".join(value)
        else:  # a registry name by its display name (catalog.label), a number as the URL writes it
            shown = catalog.label(name, value) if name in catalog.LABELS else cfg.format_value(value)
        return f"{cfg.FIELDS[name].label}: {shown}"

    def note(self, key, here, how, why=""):
        if key in self.fallbacks:  # the value was replaced: say so first
            how, first = self.fallbacks.pop(key)
            why = f"{first}; {why}" if why else first
        self.notes.append(
            Note(key if key.startswith("(") and key not in self.values else self.shown(key), here, how, why)
        )

    def fall_back(self, key, why, how=IGNORED):
        """Use TF's default for ``key``; returns it. The key's note will say ``why``."""
        self.fallbacks[key] = (how, why)
        return TF_DEFAULTS[key]


def from_hash(text):
    """The nearest setup here to a TensorFlow Playground link.

    Parameters
    ----------
    text : the whole URL (``https://playground.tensorflow.org/#activation=tanh&...``), its hash, or its
        bare ``key=value&...`` part. Anything else is read as well as it can be.

    Returns
    -------
    (config, classroom, notes) : a valid ``Config``; a ``Classroom`` whose ``hidden`` holds the controls
    the link's ``<control>_hide=true`` flags hide; a list of ``Note``, one or more per TF setting.
    """
    imp = _Import(read_hash(text))
    for step in steps.STEPS:
        step(imp)
    config, notices = cfg.from_query(imp.query)
    imp.notes += [Note("(link check)", "", IGNORED, notice) for notice in notices]
    return config, Classroom(hidden=frozenset(imp.hidden)), imp.notes


def read_hash(text):
    """``{key: value}`` from a TF Playground URL or hash, percent-decoded; the last value of a key wins."""
    text = "".join(str(text or "").split())  # a link wrapped over lines by a mail client
    # Copied from a web page or an LMS editor: "&amp;" between the keys. Only that entity: a general
    # unescape would read "&regDataset" as "®Dataset" (HTML's legacy entities need no semicolon).
    text = re.sub(r"&(amp|#0*38|#x0*26);", "&", text, flags=re.IGNORECASE)
    text = text.split("#", 1)[1] if "#" in text else text.split("?", 1)[1] if "?" in text else text
    if "=" not in text:  # a bare address: TF opens with its defaults
        return {}
    values = {}
    for part in text.split("&"):
        key, _, value = part.partition("=")
        if key:
            values[urllib.parse.unquote(key)] = urllib.parse.unquote(value)
    return values
