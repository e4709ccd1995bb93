"""The decision boundary: the model's output over the plane as a heatmap, the data points on top."""

import numpy as np
import plotly.graph_objects as go

from playground.figures.colors import CLASS_COLORS, DIVERGING, LIGHT, _abs_max, _finite, _mix, _rgb

HEAT_OPACITY = 0.8  # TF Playground draws the boundary at alpha 160/255: the data points stand out on it
POINT_SIZE = 7
_TASKS = ("binary", "multiclass", "regression")


def boundary_figure(
    *,
    xs,
    ys,
    values,
    task,
    X_train,
    y_train,
    X_test=None,
    y_test=None,
    show_test=False,
    discretize=False,
    n_classes=2,
    title="",
    height=460,
):
    """The model's output over the plane as a heatmap, with the data points on top.

    xs (nx,), ys (ny,): grid coordinates (x1 horizontal, x2 vertical).
    values: binary (ny, nx) P(class 1); multiclass (ny, nx, k) class probabilities; regression (ny, nx)
    predictions. X_train (n, 2), y_train (n,) int labels or float targets; X_test/y_test likewise,
    drawn only when ``show_test``. ``discretize`` shows the decision only (argmax / sign), not confidence.
    """
    if task not in _TASKS:
        raise ValueError(f"task must be one of {list(_TASKS)}; got {task!r}")
    xs, ys = _finite(xs).ravel(), _finite(ys).ravel()
    train = _clean_points(X_train, y_train)
    test = _clean_points(X_test, y_test) if show_test else None
    if task == "regression":
        heat, scale = _regression_heatmap(xs, ys, values, discretize, train, test)
        points = _regression_points(train, test, scale)
    else:
        if task == "binary":
            heat = _binary_heatmap(xs, ys, values, discretize)
            k = 2
        else:
            heat = _multiclass_heatmap(xs, ys, values, discretize)
            k = np.shape(values)[-1]
        points = _class_points(train, test, max(k, int(n_classes), _max_label(train, test) + 1))
    fig = go.Figure([heat, *points])
    _boundary_layout(fig, xs, ys, title, height)
    return fig


def boundary_scaffold(
    *,
    xs,
    ys,
    task,
    X_train,
    y_train,
    X_test=None,
    y_test=None,
    show_test=False,
    n_classes=2,
    class_names=None,
    title="",
    height=460,
):
    """The boundary chart without its heatmap, for a view that paints the model's output itself (the
    live charts): the data points and the axes of ``boundary_figure``. Returns (figure, m), ``m`` the
    range [-m, m] the regression points are coloured on (1.0 for classification).

    Arguments as for ``boundary_figure``; multiclass has ``n_classes`` classes; ``class_names``: what
    the legend calls class k (a file's own names, shown as typed; default "class k").
    """
    if task not in _TASKS:
        raise ValueError(f"task must be one of {list(_TASKS)}; got {task!r}")
    xs, ys = _finite(xs).ravel(), _finite(ys).ravel()
    train = _clean_points(X_train, y_train)
    test = _clean_points(X_test, y_test) if show_test else None
    if task == "regression":
        m = _abs_max(*(pts[1] for pts in (train, test) if pts is not None))
        points = _regression_points(train, test, m)
    else:
        m, k = 1.0, 2 if task == "binary" else int(n_classes)
        k = max(k, int(n_classes), _max_label(train, test) + 1)
        points = _class_points(train, test, k, class_names)
    fig = go.Figure(points)
    _boundary_layout(fig, xs, ys, title, height)
    return fig, m


def regression_colorbar():
    """The regression heatmap's colour bar (the prediction's), a fresh dict."""
    return dict(title=dict(text="ŷ"), thickness=12, len=0.8)


def _clean_points(X, y):
    """(X (n, 2), y (n,)) as float arrays without the rows holding NaN/inf, or empty ones for None."""
    if X is None or y is None:
        return np.zeros((0, 2)), np.zeros(0)
    X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
    y = np.asarray(y, dtype=np.float64).ravel()
    keep = np.isfinite(X).all(axis=1) & np.isfinite(y)
    return X[keep], y[keep]


def _max_label(*point_sets):
    """The largest class label among the points (0 without points): every label gets a legend entry."""
    return int(max((np.rint(y).max() for _, y in filter(None, point_sets) if y.size), default=0))


def _grid_hover(value_line):
    return "x1 = %{x:.2f}<br>x2 = %{y:.2f}<br>" + value_line + "<extra></extra>"


def _binary_heatmap(xs, ys, values, discretize):
    """values (ny, nx) = P(class 1); shade by confidence, or only the side of 0.5 when discretizing."""
    p = np.clip(_finite(values, dtype=np.float32), 0.0, 1.0).reshape(len(ys), len(xs))
    common = dict(x=xs, y=ys, zmin=0.0, zmax=1.0, colorscale=DIVERGING, showscale=False)
    common |= dict(opacity=HEAT_OPACITY, name="P(class 1)")
    if discretize:
        # z holds only 0/1 (full colour); the probability stays available to the hover label.
        z = (p > 0.5).astype(np.float32)
        hover = _grid_hover("P(class 1) = %{customdata:.2f}")
        return go.Heatmap(z=z, customdata=p, hovertemplate=hover, **common)
    return go.Heatmap(z=p, hovertemplate=_grid_hover("P(class 1) = %{z:.2f}"), **common)


def class_colorscale(k):
    """Colorscale for z = class + confidence on [0, k]: each class's band fades from tint to full colour.

    For class c a stop at c/k (near-white tint of its colour) and one just below (c+1)/k (full colour),
    so one heatmap shows both the argmax class (the band) and how sure the model is (the shade).
    """
    scale = []
    for c in range(k):
        color = CLASS_COLORS[c % len(CLASS_COLORS)]
        scale.append([c / k, _mix(color, LIGHT, 0.85)])
        scale.append([(c + 1 - 1e-3) / k, _rgb(color)])
    scale.append([1.0, scale[-1][1]])  # a colorscale must end at exactly 1
    return scale


def _multiclass_heatmap(xs, ys, values, discretize):
    """values (ny, nx, k) probabilities -> z (ny, nx) = argmax + confidence in [0, 1), one colorscale."""
    probs = np.clip(_finite(values), 0.0, 1.0).reshape(len(ys), len(xs), -1)
    k = probs.shape[2]
    cls = probs.argmax(axis=2)
    p_max = probs.max(axis=2)
    # 1/k (a uniform guess) -> 0 = tint, 1 -> full colour; the 0.999 keeps z inside its class band.
    conf = np.ones_like(p_max) if discretize else np.clip((p_max - 1 / k) / (1 - 1 / k), 0.0, 1.0)
    z = (cls + 0.999 * conf).astype(np.float32)
    customdata = np.stack([cls, p_max], axis=2).astype(np.float32)
    return go.Heatmap(
        x=xs,
        y=ys,
        z=z,
        zmin=0.0,
        zmax=float(k),
        colorscale=class_colorscale(k),
        showscale=False,
        opacity=HEAT_OPACITY,
        customdata=customdata,
        hovertemplate=_grid_hover("class %{customdata[0]:.0f}, P = %{customdata[1]:.2f}"),
        name="predicted class",
    )


def _regression_heatmap(xs, ys, values, discretize, train, test):
    """values (ny, nx) predictions on a symmetric range shared with the targets' colours (zmid 0)."""
    v = _finite(values, dtype=np.float32).reshape(len(ys), len(xs))
    targets = [pts[1] for pts in (train, test) if pts is not None]
    m = _abs_max(v, *targets)
    # Discretized: the sign at full strength, on the same [-m, m] scale so the colorbar stays valid.
    z = (np.sign(v) * m).astype(np.float32) if discretize else v
    heat = go.Heatmap(
        x=xs,
        y=ys,
        z=z,
        zmin=-m,
        zmax=m,
        zmid=0.0,
        colorscale=DIVERGING,
        colorbar=regression_colorbar(),
        opacity=HEAT_OPACITY,
        customdata=v,
        hovertemplate=_grid_hover("ŷ = %{customdata:.3f}"),
        name="prediction",
    )
    return heat, m


def _marker(color, outline):
    return dict(
        size=POINT_SIZE, color=color, line=dict(color=outline, width=1 if outline == "white" else 1.5)
    )


def _class_points(train, test, k, class_names=None):
    """One Scatter per class ("class c", or its name), white outline; test points "... (test)", black
    outline. The name is in the legend and read by the hover from the trace: never in the template,
    where a file's text would be read as %{...} syntax."""
    traces = []
    sets = [(train, "", "white")] + ([(test, " (test)", "black")] if test is not None else [])
    names = [plotly_text(n) for n in class_names or ()]
    for (X, y), suffix, outline in sets:
        labels = np.rint(y).astype(int)
        for c in range(k):
            pts = X[labels == c]
            name = (names[c] if c < len(names) else f"class {c}") + suffix
            traces.append(
                go.Scatter(
                    x=pts[:, 0],
                    y=pts[:, 1],
                    mode="markers",
                    name=name,
                    legendgroup=name,
                    marker=_marker(CLASS_COLORS[c % len(CLASS_COLORS)], outline),
                    hovertemplate="%{fullData.name}<br>x1 = %{x:.2f}<br>x2 = %{y:.2f}<extra></extra>",
                )
            )
    return traces


NAME_LIMIT = 40  # a longer name (a file's class or column) is cut in legends and axis titles


def plotly_text(text):
    """Plotly reads a few HTML tags in text (links among them): escape them, so they show as typed."""
    text = str(text)
    text = text if len(text) <= NAME_LIMIT else text[: NAME_LIMIT - 1] + "…"
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _regression_points(train, test, m):
    """Points coloured by their target on the heatmap's [-m, m] diverging scale."""
    traces = []
    sets = [(train, "train", "white")] + ([(test, "test", "black")] if test is not None else [])
    for (X, y), name, outline in sets:
        marker = _marker(y, outline) | dict(colorscale=DIVERGING, cmin=-m, cmax=m, showscale=False)
        traces.append(
            go.Scatter(
                x=X[:, 0],
                y=X[:, 1],
                mode="markers",
                name=name,
                marker=marker,
                hovertemplate=f"{name}<br>x1 = %{{x:.2f}}<br>x2 = %{{y:.2f}}"
                "<br>y = %{marker.color:.3f}<extra></extra>",
            )
        )
    return traces


def _boundary_layout(fig, xs, ys, title, height):
    x_range = [float(xs.min()), float(xs.max())] if xs.size else [-1.0, 1.0]
    y_range = [float(ys.min()), float(ys.max())] if ys.size else [-1.0, 1.0]
    fig.update_layout(
        template="none",
        height=height,
        uirevision="boundary",  # keeps zoom/legend clicks across updates once Streamlit stops remounting
        title=dict(text=title, x=0.01, xanchor="left", y=0.98, yanchor="top"),
        margin=dict(l=50, r=20, t=70, b=45),
        legend=dict(orientation="h", x=0.0, xanchor="left", y=1.01, yanchor="bottom"),
        xaxis=dict(title=dict(text="x1"), range=x_range, constrain="domain", zeroline=False, showgrid=False),
        yaxis=dict(
            title=dict(text="x2"),
            range=y_range,
            scaleanchor="x",  # equal aspect: a circle in the data looks like a circle
            scaleratio=1,
            constrain="domain",
            zeroline=False,
            showgrid=False,
        ),
    )
