// The loss curves: the points of the whole (thinned) history, kept here and extended by every
// payload; drawn up to the epoch of the frame on screen.

const version = new URL(import.meta.url).search;
const { presentLayout } = await import(new URL(`./style.js${version}`, import.meta.url).href);

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

  draw(epoch) {
    const view = this.view;
    if (!view.spec || !view.Plotly) return;
    const spec = view.spec.loss;
    const points = this.points.filter((p) => p.e <= epoch);
    const traces = [];
    spec.figure.data.forEach((template, i) => {
      const key = spec.keys[i];
      const shown = points.filter((p) => p[key] !== null && p[key] !== undefined);
      if (shown.length) traces.push({ ...template, x: shown.map((p) => p.e), y: shown.map((p) => p[key]) });
    });
    const layout = structuredClone(traces.length ? spec.figure.layout : spec.empty_layout);
    if (view.present) Object.assign(layout, { height: presentLayout(layout, true).height, font: { ...layout.font, size: 20 } });
    view.Plotly.react(this.div, traces, layout, { displaylogo: false, responsive: true });
  }
}
