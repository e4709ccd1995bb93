"""The standalone script of a run: one Python file, NumPy its only import, that replays it.

``standalone_script(exp, n_epochs)`` writes the data (the raw points and their split) and the network
at epoch 0 as literals, then only the maths this configuration needs (features, forward, loss,
backward, L1/L2, dropout, shuffling, the optimizer), in float32 and in nn_core's order of operations,
so with the same NumPy its losses equal the app's to the last bit. ``tests/playground/files/test_export.py``
runs the generated files and compares.

The code for each feature, activation, loss and optimizer is on its record in ``playground.core.catalog``;
the template and the task-dependent pieces are in ``script_template``, the literals in ``script_literals``.
"""

import string
import textwrap
import urllib.parse

import nn_core
from playground.core import catalog
from playground.core.config import FORMULA, HEADS, UPLOAD, to_query
from playground.core.schedule_stop import PLATEAU_MIN_DELTA, TARGET_RULES
from playground.files.formula_code import numpy_code
from playground.files.script_literals import arrays_literal, points_literal, values_literal
from playground.files.script_template import ACCURACY, FORMULA_FEATURE, RATES, SCRIPT, STOPS, TARGETS


class ScriptError(ValueError):
    """A configuration the script has no code for."""


# --- the script ------------------------------------------------------------------------
def standalone_script(exp, n_epochs):
    """A single Python file, NumPy its only import, that trains this configuration's network from
    its initial weights for ``n_epochs`` epochs and prints the losses as the app records them.

    The data (the raw points and their split) and the network at epoch 0 (``Experiment(config)``:
    the same init seed) are literals. The maths is a plain re-implementation of what ``nn_core`` runs
    for this config, and only that (features, forward, loss, backward, L1/L2, dropout, shuffling with
    ``default_rng((init_seed, 2))``, the optimizer), in float32 and in nn_core's order of operations,
    so with the same NumPy its losses equal the app's to the last bit.
    """
    if not isinstance(n_epochs, int) or n_epochs < 1:
        raise ValueError(f"n_epochs must be an int >= 1; got {n_epochs!r}")
    why_not = script_unsupported(exp.config)
    if why_not:
        raise ScriptError(why_not)
    c, head = exp.config, HEADS[exp.config.head]
    start = initial_model(c)
    X_train, X_test, y_train, y_test = exp.points
    regression = c.task == "regression"
    low = "-1.0" if head.output == "tanh" else "0.0"  # class 0's target (tanh outputs aim at -1)
    if regression:
        targets, accuracy = TARGETS["regression"], ACCURACY["regression"]
    else:
        one = c.n_outputs == 1
        targets = string.Template(TARGETS["column" if one else "one_hot"]).substitute(low=low, k=c.n_outputs)
        accuracy = string.Template(ACCURACY["threshold" if one else "argmax"]).substitute(
            threshold="0.0" if head.output == "tanh" else "0.5", k=max(c.n_outputs, 2)
        )
    output = _activation(head.output, "output", backward=head.loss == "mse")  # else the loss fuses it
    return string.Template(SCRIPT).substitute(
        summary="\n".join(textwrap.fill(line, 100, subsequent_indent="  ") for line in _summary(exp)),
        query=_query_lines(to_query(c)),
        n_epochs=n_epochs,
        print_every=max(1, n_epochs // 10),
        learning_rate=repr(float(c.learning_rate)),
        batch_size=c.batch_size or None,
        l1=repr(float(c.l1)),
        l2=repr(float(c.l2)),
        dropout=repr(float(c.dropout)),
        init_seed=c.init_seed,
        data_seed=c.data_seed,
        source=_source(c),
        init=c.init,
        bias_init=c.bias_init,
        X_train=points_literal(X_train),
        X_test=points_literal(X_test),
        y_train=values_literal(y_train, regression),
        y_test=values_literal(y_test, regression),
        weights=arrays_literal(start.weights),
        biases=arrays_literal(start.biases),
        features="\n".join(_feature(name) for name in c.input_features),
        formula_feature=FORMULA_FEATURE if c.feature_formulas else "\n",
        targets=targets,
        hidden=_hidden_activations(c.hidden_activations),
        output=output,
        loss=catalog.LOSSES[head.loss].script,
        accuracy=accuracy,
        optimizer=catalog.OPTIMIZERS[c.optimizer].script,
        **_schedule_and_stop(c),
    )


def _schedule_and_stop(c):
    """The template's schedule and stop-rule pieces: their constants and their code."""
    where, kind = TARGET_RULES.get(c.stop_rule, ("", c.stop_rule))  # "none", "plateau": no target
    words = {"test": "test", "train": "training"}.get(where, "")
    return dict(
        schedule=catalog.label("schedule", c.schedule),
        stop_rule="stop when " + catalog.label("stop_rule", c.stop_rule),
        period=c.schedule_period,
        factor=repr(float(c.schedule_factor)),
        multiplier=c.schedule_multiplier,
        stop_target=repr(float(c.stop_target)),
        patience=c.stop_patience,
        min_delta=repr(PLATEAU_MIN_DELTA),
        rate=RATES[c.schedule],
        stop_reason=string.Template(STOPS[kind]).substitute(set=where, words=words),
    )


def _source(c):
    """Where the script's points came from, for its header comment."""
    if c.dataset == UPLOAD:
        return "your uploaded file"
    if c.dataset == FORMULA:
        return f"nn_core.formula_dataset, class 1 where {c.formula} > 0, data seed {c.data_seed}"
    return f"nn_core.make_dataset, data seed {c.data_seed}"


def script_unsupported(config):
    """None if ``standalone_script`` covers ``config``, else why not (a setting it has no code for)."""
    head = HEADS[config.head]
    wanted = [
        *(
            (name, catalog.ACTIVATIONS, "activation")
            for name in {config.activation, *config.hidden_activations}
        ),
        (head.output, catalog.ACTIVATIONS, "output"),
        (head.loss, catalog.LOSSES, "loss"),
        (config.optimizer, catalog.OPTIMIZERS, "optimizer"),
        *((name, catalog.FEATURES, "feature") for name in config.features),
    ]
    missing = [f"{kind} {name!r}" for name, table, kind in wanted if name not in table]
    return f"The script does not cover {', '.join(missing)} yet." if missing else None


def initial_model(config):
    """The network at epoch 0 for ``config``, as ``Experiment`` builds it (same inits and seed)."""
    head = HEADS[config.head]
    return nn_core.MLP(
        config.layer_sizes,
        activation=list(config.hidden_activations) or config.activation,
        output=head.output,
        init=config.init,
        bias_init=config.bias_init,
        rng=config.init_seed,
    )


def _summary(exp):
    c, head = exp.config, HEADS[exp.config.head]
    batch = "full batch" if not c.batch_size else f"batch size {c.batch_size}"
    penalty = "no penalty" if c.l1 == c.l2 == 0 else f"{c.regularization.upper()} {c.reg_rate:g}"
    sizes = "-".join(map(str, c.layer_sizes))
    return [
        (
            "Data: your uploaded points, as the app scaled them"
            if c.dataset == UPLOAD
            else f"Data: {c.dataset}, {c.n_samples} points, noise {c.noise:g}, data seed {c.data_seed}"
        )
        + f"; {len(exp.points[0])} to train on, {len(exp.points[1])} to test (split with data seed "
        f"{c.data_seed}).",
        f"Network: {sizes} on {', '.join(_feature_label(f) for f in c.input_features)}; "
        f"{' / '.join(c.hidden_activations) or c.activation} hidden layers, {head.label}; {c.init} init, "
        f"{c.bias_init} bias init, init seed {c.init_seed}.",
        f"Training: {c.optimizer}, learning rate {c.learning_rate:g}, {batch}, {penalty}, "
        f"dropout {c.dropout:g}; schedule: {catalog.label('schedule', c.schedule)}; stop when "
        f"{catalog.label('stop_rule', c.stop_rule)}.",
    ]


def _query_lines(query):
    """The link's parameters as ``?a=1&b=2...``, broken after an ``&`` where a line gets long."""
    if not query:
        return "(none: every setting at its default)"
    items = urllib.parse.urlencode(query, safe=",").split("&")
    tokens = [item + "&" for item in items[:-1]] + items[-1:]
    return textwrap.fill("?" + " ".join(tokens), 90, subsequent_indent="    ").replace("& ", "&")


def _activation(name, role, *, backward):
    """The script's ``hidden``/``output`` function (and its backward pass) for activation ``name``."""
    record = catalog.ACTIVATIONS[name]
    text = record.script_forward + ("\n\n" + record.script_backward if backward else "")
    return string.Template(text).substitute(role=role, Role=role.capitalize())


def _hidden_activations(names):
    """One function (and its backward pass) per distinct hidden activation, ``hidden_<name>``, and
    the lists ``HIDDEN`` / ``HIDDEN_BACKWARD`` that give each hidden layer its own, layer 1 first."""
    functions = [
        string.Template(
            catalog.ACTIVATIONS[name].script_forward + "\n\n" + catalog.ACTIVATIONS[name].script_backward
        ).substitute(role=f"hidden_{name}", Role="Hidden")
        for name in dict.fromkeys(names)  # each once, in layer order
    ]
    lists = (
        f"HIDDEN = [{', '.join(f'hidden_{n}' for n in names)}]  # each hidden layer's activation\n"
        f"HIDDEN_BACKWARD = [{', '.join(f'hidden_{n}_backward' for n in names)}]\n"
    )
    return "\n\n".join([*functions, lists])


def _feature(name):
    """One entry of the script's list of input columns, with the feature's label. A typed formula's
    code is written from its parsed tree (``formula_code``), never from the text typed."""
    if name not in catalog.FEATURES:
        return f"        formula_feature(lambda x1, x2: {numpy_code(name)}, X),  # {_feature_label(name)}"
    record = catalog.FEATURES[name]
    return f"        {record.script},  # {record.label}"


def _feature_label(name):
    """A feature's label for the script's comments: a formula (it parsed) on one line, its runs of
    white space (a line break too) one space each."""
    return catalog.FEATURES[name].label if name in catalog.FEATURES else " ".join(name.split())
