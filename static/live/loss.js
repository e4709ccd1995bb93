// The loss curves: the points of the whole (thinned) history, kept here and extended by every
// payload; drawn up to the epoch of the frame on screen.

const version = new URL(import.meta.url).search;
const { presentLayout, themed, themedTrace } = await import(new URL(`./style.js${version}`, import.meta.url).href);

export class LossChart {
  constructor(view, div) {
    this.view = view;
    this.div = div;
    this.reset();
  }

  reset() {
    this.points = [];
    this.stride = 1;
  }

  // Add a payload's loss points (frames.loss_points). Returns false if a payload was missed (its
  // points start after the last one here): the caller asks for the whole history again.
  add(loss) {
    const last = this.points.length ? this.points[this.points.length - 1].e : 0;
    if (!loss.full && loss.from > last) return false;
    const points = loss.full ? [] : this.points;
    loss.epochs.forEach((e, i) => {
      if (points.length && e <= points[points.length - 1].e) return;
      const p = { e };
      for (const key of this.view.spec.loss.keys) p[key] = loss[key][i];
      points.push(p);
    });
    // Keep every stride-th epoch and the newest, as the server does (frames.loss_points).
    this.stride = loss.stride;
    this.points = points.filter((p, i) => p.e % this.stride === 0 || i === points.length - 1);
    return true;
  }

  // Draw the curves up to the frame on screen (null: every point), ending at that frame's own scores,
  // so the curve ends where the counters above say it is (the history between ticks is thinned).
  // A frame of the replay (replay.js): the whole curve, and a line at the frame's epoch.
  draw(frame) {
    const view = this.view;
    if (!view.spec || !view.Plotly) return;
    const spec = view.spec.loss;
    const replayed = frame && view.replay.scrubbed ? frame : null;
    const epoch = frame && !replayed ? frame.epoch : Infinity;
    const points = this.points.filter((p) => p.e <= epoch);
    if (frame && frame.epoch > 0 && (!points.length || points[points.length - 1].e < frame.epoch)) {
      points.push({ e: frame.epoch, ...frame.scores });
    }
    const traces = [];
    spec.figure.data.forEach((template, i) => {
      const key = spec.keys[i];
      const shown = points.filter((p) => p[key] !== null && p[key] !== undefined && Number.isFinite(p[key]));
      if (shown.length) traces.push({ ...themedTrace(template, view.theme), x: shown.map((p) => p.e), y: shown.map((p) => p[key]) });
    });
    const layout = themed(structuredClone(traces.length ? spec.figure.layout : spec.empty_layout), view.theme);
    if (view.sizes) Object.assign(layout, view.sizes.loss);
    if (replayed && traces.length) {
      const line = { color: "#0877bd", width: 2, dash: "dot" };
      layout.shapes = [{ type: "line", name: "replay", xref: "x", yref: "paper", x0: replayed.epoch, x1: replayed.epoch, y0: 0, y1: 1, line }];
    }
    if (view.present) layout.font = { ...layout.font, size: presentLayout(layout, true)["font.size"] };
    view.Plotly.react(this.div, traces, layout, { displaylogo: false });
  }
}
