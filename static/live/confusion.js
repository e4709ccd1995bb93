// Beside the loss: the confusion matrix as a heatmap (classification), or RMSE, MAE and R² of the
// training and test sets (regression). Each frame brings them (frame.metrics, built by
// playground/core/scores.py shown_metrics; static/frame_format.json "packing"); the heatmap's template
// comes once in the spec (spec.metrics, playground/live/specs.py metrics_spec) and is updated in
// place with Plotly.react, as the loss chart is. The replay's frames carry theirs too (film.py keeps
// them); a frame without any leaves the last matrix up, whose title says which epoch it belongs to.

const version = new URL(import.meta.url).search;
const { themed } = await import(new URL(`./style.js${version}`, import.meta.url).href);

const CSS = `
.nnl-lossrow { display: flex; flex-wrap: wrap; align-items: flex-start; }
.nnl-metrics { flex: none; }
.nnl-regression { border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums; margin: 30px auto 0; }
.nnl-regression caption { font-size: 0.8rem; color: var(--nnl-muted); padding-bottom: 0.3rem; }
.nnl-regression th, .nnl-regression td { padding: 0.15rem 0.5rem; text-align: right; }
.nnl-regression thead th { font-weight: 600; border-bottom: 1px solid color-mix(in srgb, currentColor 25%, transparent); }
`;

function addStyle() {
  if (document.getElementById("nnl-metrics-style")) return;
  const style = document.createElement("style");
  style.id = "nnl-metrics-style";
  style.textContent = CSS;
  document.head.appendChild(style);
}

const ROWS = [
  ["rmse", "RMSE"],
  ["mae", "MAE"],
  ["r2", "R²"],
];

export class MetricsChart {
  constructor(view, div) {
    this.view = view;
    this.div = div;
    this.last = null; // the metrics drawn last
    addStyle();
  }

  reset() {
    this.last = null;
    if (this.view.Plotly) this.view.Plotly.purge(this.div); // a heatmap, or a table: drawn afresh
    this.div.innerHTML = "";
  }

  // Its share of the loss chart's row (view.js fit): a square as tall as the loss chart, or for
  // regression a table as wide. ``loss``: the loss chart's {width, height}, made narrower here.
  fit(loss, stacked) {
    const table = this.view.spec && this.view.spec.metrics && this.view.spec.metrics.kind === "regression";
    const want = table ? 190 : loss.height; // the table's three rows of two numbers; a square heatmap
    const side = stacked ? Math.min(loss.width, 300) : Math.min(want, Math.round(0.4 * loss.width));
    if (!stacked) loss.width -= side;
    this.div.style.width = `${side}px`;
    return { width: side, height: Math.max(loss.height, stacked ? side : 0) };
  }

  // Draw the frame's metrics (or, without a frame or metrics, the last ones again).
  draw(frame) {
    const view = this.view;
    const spec = view.spec && view.spec.metrics;
    if (!spec || !view.Plotly) return;
    const metrics = (frame && frame.metrics) || this.last;
    if (frame && frame.metrics) this.last = frame.metrics;
    if (spec.kind === "regression") this.table(metrics);
    else this.heatmap(spec, metrics);
  }

  heatmap(spec, metrics) {
    const view = this.view;
    const template = spec.figure.data[0];
    const k = spec.labels.length;
    const z = metrics && metrics.confusion ? metrics.confusion : Array.from({ length: k }, () => Array(k).fill(0));
    const top = Math.max(1, ...z.flat());
    const layout = themed(structuredClone(spec.figure.layout), view.theme);
    const which = metrics ? `${metrics.set === "train" ? "training" : "test"} set, epoch ${metrics.epoch}` : "";
    layout.title = { ...layout.title, text: `Confusion matrix${which ? ` (${which})` : ""}` };
    if (view.sizes && view.sizes.metrics) Object.assign(layout, view.sizes.metrics);
    this.div.dataset.epoch = metrics ? String(metrics.epoch) : ""; // what tests read
    // Its colours follow the theme as the other charts' do: from white, or on a dark page from a
    // dark grey (spec.colorscale_dark, playground/figures/confusion.py), to blue.
    const dark = view.theme && view.theme.dark && spec.colorscale_dark;
    const colorscale = dark ? spec.colorscale_dark : template.colorscale;
    view.Plotly.react(this.div, [{ ...template, z, zmax: top, colorscale }], layout, { displaylogo: false });
  }

  table(metrics) {
    const cell = (v) => (v === null || v === undefined ? "–" : Math.abs(v) >= 1e4 ? v.toExponential(2) : v.toFixed(4));
    const rows = ROWS.map(([key, label]) =>
      `<tr><th scope="row">${label}</th><td>${cell(metrics && metrics[`train_${key}`])}</td>` +
      `<td>${cell(metrics && metrics[`val_${key}`])}</td></tr>`).join("");
    const epoch = metrics ? `epoch ${metrics.epoch}` : "";
    this.div.dataset.epoch = metrics ? String(metrics.epoch) : "";
    this.div.innerHTML = `<table class="nnl-regression"><caption>Regression metrics${epoch ? `, ${epoch}` : ""}</caption>` +
      `<thead><tr><th></th><th scope="col">train</th><th scope="col">test</th></tr></thead><tbody>${rows}</tbody></table>`;
  }
}
