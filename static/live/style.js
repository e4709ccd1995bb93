// The live view's look: its style sheet, and the chart sizes of presenter mode (a projector: the
// boundary and the loss large, the rest out of the way).

// The component's own css option did not reach the page with isolate_styles=False (Streamlit
// 1.67): the module adds its style sheet itself, once per page.
const CSS = `
.nnl-status { display: flex; gap: 1rem; flex-wrap: wrap; margin: 0.2rem 0 0.6rem; }
.nnl-metric { flex: 1 1 8rem; min-width: 0; }
.nnl-metric[hidden] { display: none; }
.nnl-metric-label { font-size: 0.875rem; color: rgb(49, 51, 63); }
.nnl-metric-value { font-size: 2.25rem; line-height: 1.3; font-variant-numeric: tabular-nums; white-space: nowrap; }
.nnl-progress { margin: 0 0 0.8rem; font-size: 0.875rem; }
.nnl-progress-track { height: 0.5rem; border-radius: 0.25rem; background: #f0f2f6; overflow: hidden; margin-bottom: 0.2rem; }
.nnl-progress-bar { height: 100%; background: #0877bd; width: 0; }
.nnl-present .nnl-metric-value { font-size: 3rem; }
.nnl-row { display: flex; gap: 1rem; flex-wrap: wrap; }
.nnl-cell-boundary { flex: 3 1 420px; min-width: 0; }
.nnl-cell-loss { flex: 2 1 300px; min-width: 0; }
.nnl-readout { font-size: 0.8rem; color: #555; min-height: 1.3em; font-variant-numeric: tabular-nums; }
.nnl-heading { font-size: 1.5rem; font-weight: 600; margin: 1.2rem 0 0.2rem; }
.nnl-caption { font-size: 0.875rem; color: rgba(49, 51, 63, 0.6); margin: 0 0 0.3rem; }
.nnl-details summary { cursor: pointer; margin: 0.8rem 0 0.3rem; }
.nnl-error { color: #b00020; font-weight: 600; }
.nnl-notice { display: flex; gap: 0.8rem; align-items: center; margin: 0 0 0.6rem; padding: 0.5rem 0.8rem;
  border-radius: 0.5rem; background: #fff8e1; color: #5d4300; font-size: 0.9rem; }
.nnl-notice[hidden] { display: none; }
.nnl-notice button { margin-left: auto; flex: none; font: inherit; padding: 0.15rem 0.7rem; cursor: pointer;
  border: 1px solid #c9a227; border-radius: 0.4rem; background: white; color: inherit; }
/* Presenter mode (a projector): the boundary and the loss large, the rest out of the way. */
.nnl-present .nnl-cell-boundary { flex: 1 1 52%; }
.nnl-present .nnl-cell-loss { flex: 1 1 42%; }
.nnl-present .nnl-heading, .nnl-present .nnl-caption, .nnl-present .nnl-network,
.nnl-present .nnl-network-readout, .nnl-present .nnl-details { display: none; }
.nnl-present .nnl-readout { font-size: 1.1rem; }
`;

export function addStyle() {
  if (document.getElementById("nnl-style")) return;
  const style = document.createElement("style");
  style.id = "nnl-style";
  style.textContent = CSS;
  document.head.appendChild(style);
}

// A chart's height and font size in presenter mode (taller charts, larger text), or as its spec's
// layout has them when presenter mode is off.
export function presentLayout(layout, present) {
  if (!present) return { height: layout.height, "font.size": (layout.font && layout.font.size) || 12 };
  return { height: Math.max(420, Math.round(0.68 * window.innerHeight)), "font.size": 20 };
}
