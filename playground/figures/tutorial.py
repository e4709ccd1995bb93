"""The tutorial page's loss curve: the tutorial's printed losses and nn_core's, on one chart."""

import numpy as np
import plotly.graph_objects as go

from playground.figures.colors import BLUE, ORANGE


def tutorial_loss_figure(epochs, tutorial_losses, nn_core_losses, *, height=320):
    """Both runs' loss at the tutorial's printed epochs: the tutorial as markers, nn_core as a line
    through them (they coincide to ~1e-16, so a second line would hide the first).

    epochs: (m,) ints; tutorial_losses, nn_core_losses: (m,) floats.
    """
    epochs = np.asarray(epochs)
    traces = [
        go.Scatter(
            x=epochs,
            y=np.asarray(nn_core_losses, dtype=float),
            mode="lines",
            name="nn_core (lr 0.2)",
            line=dict(color=BLUE, width=2),
            hovertemplate="%{y:.10g}",
        ),
        go.Scatter(
            x=epochs,
            y=np.asarray(tutorial_losses, dtype=float),
            mode="markers",
            name="tutorial (lr 0.1)",
            marker=dict(color="rgba(0, 0, 0, 0)", size=7, line=dict(color=ORANGE, width=1.5)),
            hovertemplate="%{y:.10g}",
        ),
    ]
    layout = dict(
        template="none",
        height=height,
        hovermode="x unified",
        margin=dict(l=55, r=20, t=30, b=40),
        legend=dict(orientation="h", x=0.0, y=1.02, yanchor="bottom"),
        xaxis=dict(title=dict(text="epoch")),
        yaxis=dict(title=dict(text="mean squared error"), rangemode="tozero"),
    )
    return go.Figure(data=traces, layout=layout)
