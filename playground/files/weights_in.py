"""Weights in: a weights file saved by ``playground.files.export`` read back, checked, and loaded into
an experiment to train on.

``load_weights`` reads JSON or npz (told apart by content), never with pickle or eval, and refuses
anything that is damaged, too big, not finite, or does not fit the experiment's network with an
``ExportError`` saying why, in words for the user. ``resume`` loads the weights into the experiment and
says whether training continues (same data and network settings) or starts a new run. No Streamlit.
"""

import io
import json
import urllib.parse
import zipfile

import numpy as np

import nn_core
from playground.core import catalog
from playground.core.config import MODEL_FIELDS, changed_fields, from_query
from playground.files.export import FORMAT, META_KEYS, VERSION, activation_text, data_digest

MAX_BYTES = 5 * 1024 * 1024  # the largest network here (8 x 64 on 7 features) is ~0.6 MB as JSON
MAX_UNPACKED = 4 * MAX_BYTES  # an npz may be compressed: cap what it unpacks to (zip bombs)
MAX_EPOCH = 10**9


class ExportError(ValueError):
    """A weights file that cannot be loaded; the message is meant for the user."""


def load_weights(data, exp):
    """Read a weights file (JSON or npz, told apart by content) for ``exp``'s network.

    Returns (weights, biases, info): float32 arrays shaped like ``exp.model.weights`` / ``biases``,
    and info: dict with ``format`` ("json"/"npz"), ``layer_sizes``, ``activation``, ``output``,
    ``epoch``, ``query`` (the URL parameters). Raises ``ExportError`` (a ValueError) with a message
    for the user if the file is not a weights file, is damaged, too big, not finite, or does not fit.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ExportError(f"Expected the file's bytes; got {type(data).__name__}.")
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise ExportError(f"The file is {_mb(len(data))}; a weights file is at most {_mb(MAX_BYTES)}.")
    if data.startswith(b"PK\x03\x04"):
        document, kind = _read_npz(data), "npz"
    elif data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        document, kind = _read_json(data), "json"
    else:
        raise ExportError(
            "This is not a weights file: expected the .json or .npz saved by 'Take it home' "
            f"(a file of {len(data)} bytes starting with {data[:8]!r})."
        )
    info = _check_metadata(document)
    weights, biases = _check_arrays(document, exp.model.layer_sizes, info["layer_sizes"])
    return weights, biases, {"format": kind, **info}


def _mb(n_bytes):
    return f"{n_bytes / 1024**2:.1f} MB"


def _read_npz(data):
    """The npz's arrays as a dict, after checking the archive: its size unpacked, no pickled object."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > 64 or sum(m.file_size for m in members) > MAX_UNPACKED:
                raise ExportError(f"The .npz unpacks to more than {_mb(MAX_UNPACKED)}: not a weights file.")
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except ExportError:
        raise
    except ValueError as error:
        if "pickle" in str(error).lower():
            raise ExportError("The .npz holds pickled Python objects, which are never loaded here.") from None
        raise ExportError(f"The .npz could not be read ({error}).") from None
    except Exception as error:  # zipfile, zlib and numpy raise many kinds on corrupt input
        raise ExportError(f"The .npz is damaged or truncated ({type(error).__name__}: {error}).") from None


def _read_json(data):
    try:
        document = json.loads(data.decode("utf-8-sig"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise ExportError("The JSON file is not UTF-8 text.") from None
    except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
        raise ExportError(f"The JSON file is damaged ({str(error)[:120]}).") from None
    if not isinstance(document, dict):
        raise ExportError(f"The JSON file holds a {type(document).__name__}, not a weights file's object.")
    return document


def _no_constant(name):
    raise ValueError(f"{name} is not a number a weights file may hold")


def _scalar(document, key, kind):
    """``document[key]`` as a Python str or int (a JSON value, or a 0-d npz array)."""
    value = document[key]
    if isinstance(value, np.ndarray):
        ok = value.ndim == 0 and (value.dtype.kind == "U" if kind is str else value.dtype.kind in "iu")
        value = value.item() if ok else None
    if isinstance(value, bool) or not isinstance(value, kind):
        raise ExportError(f"'{key}' in the file must be {'text' if kind is str else 'an integer'}.")
    return value


def _check_metadata(document):
    if "format" not in document:
        raise ExportError(f"This file is not a weights file from the playground (no '{FORMAT}' marker).")
    missing = [key for key in META_KEYS if key not in document]
    if missing:
        raise ExportError(f"The weights file lacks {', '.join(missing)}.")
    if _scalar(document, "format", str) != FORMAT:
        raise ExportError(f"This file is not a weights file from the playground (format is not '{FORMAT}').")
    if _scalar(document, "version", int) != VERSION:
        raise ExportError(f"This weights file has version {document['version']}; this app reads {VERSION}.")
    activation, output = _scalar(document, "activation", str), _scalar(document, "output", str)
    if not set(activation.split(",")) <= set(nn_core.ACTIVATIONS) or output not in nn_core.OUTPUTS:
        raise ExportError(f"Unknown activation or output in the file: {activation!r}, {output!r}.")
    epoch = _scalar(document, "epoch", int)
    if not 0 <= epoch <= MAX_EPOCH:
        raise ExportError(f"The file's epoch must be in [0, {MAX_EPOCH}]; got {epoch}.")
    return {
        "layer_sizes": _layer_sizes(document["layer_sizes"]),
        "activation": activation,
        "output": output,
        "epoch": epoch,
        "query": _query(document["config"]),
        "data_digest": _scalar(document, "data_digest", str)[:64],
    }


def _layer_sizes(value):
    sizes = value.tolist() if isinstance(value, np.ndarray) and value.dtype.kind in "iu" else value
    ok = isinstance(sizes, list) and 2 <= len(sizes) <= 16
    if not ok or not all(type(s) is int and 1 <= s <= 4096 for s in sizes):
        raise ExportError("'layer_sizes' in the file must be a list of 2 to 16 positive integers.")
    return sizes


def _query(value):
    """The file's config as URL parameters: a dict (JSON) or a query string (npz)."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind == "U":
        try:
            value = dict(urllib.parse.parse_qsl(value.item(), keep_blank_values=True, max_num_fields=64))
        except ValueError:
            value = None
    ok = isinstance(value, dict) and len(value) <= 64
    if not ok or not all(
        isinstance(k, str) and isinstance(v, str) and len(v) < 400 for k, v in value.items()
    ):
        raise ExportError("'config' in the file must be the configuration's link parameters (text).")
    return value


def _check_arrays(document, sizes, file_sizes):
    """``W1..Wn``, ``b1..bn`` from the file as float32, checked against the network's ``sizes``."""
    expected = {}
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        expected |= {f"W{i}": (n_in, n_out), f"b{i}": (n_out,)}
    arrays = {key: value for key, value in document.items() if key not in META_KEYS}
    networks = f"the file's network is {_dash(file_sizes)}, this one {_dash(sizes)}"
    advice = "Set the same input features and hidden layers, then load it again."
    out = {}
    for key, shape in expected.items():
        if key not in arrays:
            raise ExportError(f"The file lacks {key} ({networks}). {advice}")
        array = _numbers(arrays[key], key)
        if array.shape != shape:
            raise ExportError(
                f"{key} has shape {array.shape} in the file, but this network's {key} is {shape} "
                f"({networks}). {advice}"
            )
        bad = np.count_nonzero(~np.isfinite(array))
        if bad:
            raise ExportError(f"{key} holds {bad} NaN or infinite value(s); weights must be finite.")
        out[key] = array
    unknown = sorted(set(arrays) - set(expected))
    if unknown:
        raise ExportError(
            f"The file has {', '.join(unknown[:4])}, which this network has not ({networks}). {advice}"
        )
    if file_sizes != sizes:
        raise ExportError(f"The file's layer_sizes {file_sizes} do not match its own arrays.")
    n = len(sizes) - 1
    return [out[f"W{i}"] for i in range(1, n + 1)], [out[f"b{i}"] for i in range(1, n + 1)]


def _functions(activation, output):
    """ "tanh / sigmoid": a network's hidden and output activations, by their display names."""
    return f"{_activation_labels(activation)} / {catalog.label('output', output)}"


def _activation_labels(activation):
    """ "ReLU" or, for one activation per layer ("relu,swish"), "ReLU, swish (SiLU)"."""
    return ", ".join(catalog.label("activation", name) for name in activation.split(","))


def _dash(sizes):
    return "-".join(map(str, sizes))


def _numbers(value, key):
    """A real-number array as float32: an npz array of floats/ints, or JSON lists of numbers only."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "fiu":
            raise ExportError(f"{key} must hold numbers; got dtype {value.dtype}.")
        with np.errstate(over="ignore"):  # too big for float32 becomes inf, refused as not finite
            return value.astype(np.float32)
    rows = value if isinstance(value, list) else [value]
    flat = [x for row in rows for x in (row if isinstance(row, list) else [row])]
    if not all(type(x) in (int, float) for x in flat):
        raise ExportError(f"{key} must be a list of numbers (or of lists of numbers).")
    try:
        with np.errstate(over="ignore"):
            return np.array(value, dtype=np.float64).astype(np.float32)
    except (ValueError, OverflowError):
        raise ExportError(f"{key} must be a rectangular list of finite numbers.") from None


def resume(exp, data):
    """Load a weights file into ``exp`` and get it ready to train on. Returns a message for the user.

    The network is rebuilt (``exp.reset()``), then given the file's weights. So the optimizer starts
    with a fresh state (the file holds no momentum or Adam moments), the shuffling and dropout
    generator starts over from the init seed, and the loss history is empty. The epoch counter
    continues from the file's epoch when the file's data (its digest) and network settings are this
    experiment's (the epochs then count the same training); otherwise it starts at 0: a new run.
    Raises ``ExportError`` and leaves ``exp`` untouched if the file cannot be loaded.
    """
    weights, biases, info = load_weights(data, exp)
    file_config, notices = from_query(info["query"])
    differ = ["the data"] if info["data_digest"] != data_digest(exp.points) else []
    differ += ["its settings"] if notices else changed_fields(file_config, exp.config, MODEL_FIELDS)
    exp.reset()
    exp.model.weights, exp.model.biases = weights, biases
    exp.changed_midway = "weights loaded from a file"
    if not differ:
        exp.trainer.epoch = info["epoch"]
    net = f"{_dash(info['layer_sizes'])} {_activation_labels(info['activation'])} network"
    optimizer = catalog.label("optimizer", exp.config.optimizer)
    fresh = f"with a fresh {optimizer} state (optimizer state is not saved)"
    if differ:
        message = (
            f"Loaded the {net} from epoch {info['epoch']} of another run (not the same: "
            f"{', '.join(differ)}): training starts at epoch 0 {fresh}."
        )
    else:
        message = f"Loaded the {net} at epoch {info['epoch']}: training continues {fresh}."
    if (info["activation"], info["output"]) != (activation_text(exp.model), exp.model.output):
        was = _functions(info["activation"], info["output"])
        now = _functions(activation_text(exp.model), exp.model.output)
        message += f" Note: it was trained with {was}; this network uses {now}."
    return message
