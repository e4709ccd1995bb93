// The live view's look: its style sheet, and the chart sizes of presenter mode (a projector: the
// boundary and the loss large, the rest out of the way).

// The component's own css option did not reach the page with isolate_styles=False (Streamlit
// 1.67): the module adds its style sheet itself, once per page.
const GAP = 16; // px between the network and the output
const HEAD = 22; // px: the network's heading line
const READOUT = 20; // px: a readout line under a chart
const REPLAY = 30; // px: the replay slider's row under the boundary (replay.js)

const CSS = `
.nnl { --nnl-muted: color-mix(in srgb, currentColor 65%, transparent); }
.nnl-status { display: flex; gap: 1rem; flex-wrap: wrap; margin: 0 0 0.3rem; }
.nnl-metric { flex: 1 1 8rem; min-width: 0; }
.nnl-metric[hidden] { display: none; }
.nnl-metric-label { font-size: 0.8rem; color: var(--nnl-muted); }
.nnl-metric-value { font-size: 1.7rem; line-height: 1.2; font-variant-numeric: tabular-nums; white-space: nowrap; }
.nnl-progress { margin: 0 0 0.4rem; font-size: 0.8rem; }
.nnl-progress-track { height: 0.4rem; border-radius: 0.25rem; background: color-mix(in srgb, currentColor 12%, transparent); overflow: hidden; margin-bottom: 0.2rem; }
.nnl-progress-bar { height: 100%; background: #0877bd; width: 0; }
.nnl-present .nnl-metric-value { font-size: 3.4rem; }
.nnl-present .nnl-metric-label { font-size: 1.3rem; }
.nnl-readout { font-size: 0.8rem; color: var(--nnl-muted); min-height: 1.3em; font-variant-numeric: tabular-nums;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
/* One screen, left to right as in TensorFlow Playground: the network, then the output (the boundary
   over the loss). Sizes come from fitSizes below; narrow windows stack the two. */
.nnl-main { display: flex; gap: ${GAP}px; align-items: flex-start; }
.nnl-cell { min-width: 0; }
.nnl-cell-network { flex: 1 1 0; position: relative; }
.nnl-cell-output { flex: none; }
.nnl-main.nnl-stacked { flex-direction: column-reverse; }
.nnl-main.nnl-stacked .nnl-cell { width: 100%; }
.nnl-head { height: ${HEAD}px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.nnl-heading { font-weight: 600; margin-right: 0.6rem; }
.nnl-caption { font-size: 0.8rem; color: var(--nnl-muted); }
.nnl-boundary-box { position: relative; }
.nnl-boundary-epoch { position: absolute; left: 4px; top: 2px; font-size: 0.9rem; font-variant-numeric: tabular-nums;
  pointer-events: none; }
.nnl-heat, .nnl-links { position: absolute; left: 0; top: 0; pointer-events: none; }
.nnl-editing .nsewdrag { cursor: crosshair !important; }
.nnl-replay { display: flex; gap: 0.5rem; align-items: center; height: ${REPLAY}px; font-size: 0.8rem;
  font-variant-numeric: tabular-nums; }
.nnl-replay-slider { flex: 1 1 auto; min-width: 4rem; accent-color: #0877bd; }
.nnl-replay-label { flex: none; min-width: 8.5rem; color: var(--nnl-muted); }
.nnl-replay button { flex: none; font: inherit; padding: 0.1rem 0.5rem; cursor: pointer; color: inherit;
  border: 1px solid color-mix(in srgb, currentColor 30%, transparent); border-radius: 0.4rem; background: transparent; }
.nnl-present .nnl-replay { font-size: 1rem; }
/* The menu of a hidden layer's activations, under its title in the network view (layer_menu.js). */
.nnl-menu { position: absolute; z-index: 20; display: flex; flex-direction: column; padding: 0.25rem 0;
  min-width: 9rem; background: white; color: #31333f; border: 1px solid rgba(49, 51, 63, 0.2);
  border-radius: 0.4rem; box-shadow: 0 4px 14px rgba(0, 0, 0, 0.15); font-size: 0.85rem; }
.nnl-menu-dark { background: #262730; color: #fafafa; border-color: rgba(250, 250, 250, 0.2); }
.nnl-menu button { display: flex; gap: 0.3rem; text-align: left; font: inherit; color: inherit; border: none;
  background: transparent; padding: 0.2rem 0.8rem 0.2rem 0.5rem; cursor: pointer; white-space: nowrap; }
.nnl-menu button:hover, .nnl-menu button:focus-visible { background: rgba(8, 119, 189, 0.15); outline: none; }
.nnl-menu button[aria-checked="true"] { font-weight: 600; }
.nnl-menu-mark { width: 1em; flex: none; }
.nnl-network g.annotation:focus { outline: none; }
.nnl-network g.annotation:focus-visible rect.bg { stroke: #0877bd !important; stroke-width: 2px !important; }
.nnl-details summary { cursor: pointer; margin: 0.6rem 0 0.3rem; }
.nnl-error { color: #d93240; font-weight: 600; }
.nnl-notice { display: flex; gap: 0.8rem; align-items: center; margin: 0 0 0.6rem; padding: 0.5rem 0.8rem;
  border-radius: 0.5rem; background: #fff8e1; color: #5d4300; font-size: 0.9rem; }
.nnl-notice[hidden] { display: none; }
.nnl-notice button { margin-left: auto; flex: none; font: inherit; padding: 0.15rem 0.7rem; cursor: pointer;
  border: 1px solid #c9a227; border-radius: 0.4rem; background: white; color: inherit; }
.nnl-present .nnl-readout, .nnl-present .nnl-boundary-epoch { font-size: 1.1rem; }
.nnl-present .nnl-caption { display: none; }
`;

export function addStyle() {
  if (document.getElementById("nnl-style")) return;
  const style = document.createElement("style");
  style.id = "nnl-style";
  style.textContent = CSS;
  document.head.appendChild(style);
}

// The page's theme, read from the text colour Streamlit gives the view (light text: a dark theme).
// ``key`` changes when the user picks another theme in the app menu's settings.
export function readTheme(el) {
  const color = getComputedStyle(el).color; // "rgb(r, g, b)"
  const [r, g, b] = (color.match(/[\d.]+/g) || [0, 0, 0]).map(Number);
  return { key: color, dark: 0.299 * r + 0.587 * g + 0.114 * b > 128, text: color };
}

// Plotly's colours for a dark page: its own ("none" template) are dark grey on white.
const DARK = { grid: "rgba(255, 255, 255, 0.12)", line: "rgba(255, 255, 255, 0.45)" };
const SERIES_DARK = { "#111111": "#f2f2f2", "#777777": "#a6a6a6" }; // the loss chart's greys

// ``layout`` in the page's theme: a copy with light text and grid lines on a dark theme, unchanged
// on a light one. The charts' backgrounds are transparent either way (the page shows through).
export function themed(layout, theme) {
  if (!theme || !theme.dark) return layout;
  const clear = "rgba(0, 0, 0, 0)";
  const out = { ...layout, font: { ...layout.font, color: theme.text }, paper_bgcolor: clear, plot_bgcolor: clear };
  for (const key of Object.keys(layout)) {
    if (/^[xy]axis\d*$/.test(key)) {
      out[key] = { ...layout[key], gridcolor: DARK.grid, zerolinecolor: DARK.line, linecolor: DARK.line, tickcolor: DARK.line };
    }
  }
  return out;
}

// A loss-chart trace in the page's theme: its dark greys become light ones on a dark theme.
export function themedTrace(trace, theme) {
  const color = trace.line && SERIES_DARK[trace.line.color];
  return theme && theme.dark && color ? { ...trace, line: { ...trace.line, color } } : trace;
}

// A chart's font size in presenter mode, or as its spec's layout has it when presenter mode is off.
export function presentLayout(layout, present) {
  return { "font.size": present ? 18 : (layout.font && layout.font.size) || 12 };
}

// Every chart's {width, height} in pixels, so the network, the boundary and the loss fit the window
// without scrolling: ``width`` of the charts' row, its ``top`` on the page, the window's
// ``innerHeight``. The boundary's plot area is square (its axes have equal scales); ``margins`` are
// its layout's (l + r, t + b) around that square. Presenter mode: the loss moves under the network
// and the boundary takes the whole height. Narrow windows (phones) stack the charts.
export function fitSizes({ width, top, innerHeight, present, margins = [70, 85] }) {
  if (width < 720) {
    const side = Math.min(width, 560);
    return { stacked: true, boundary: { width: side, height: side - margins[0] + margins[1] },
      loss: { width, height: 240 }, network: { width, height: 420 } };
  }
  const height = Math.max(present ? 560 : 460, Math.floor(innerHeight - top - 12));
  const loss = Math.round(Math.min(280, Math.max(150, 0.3 * height)));
  const boundaryHeight = height - READOUT - REPLAY - (present ? 0 : loss);
  const side = Math.min(boundaryHeight - margins[1], Math.round((present ? 0.6 : 0.5) * width) - margins[0]);
  const boundary = { width: side + margins[0], height: side + margins[1] };
  const networkWidth = width - boundary.width - GAP;
  const networkHeight = height - HEAD - READOUT - (present ? loss : 0);
  return {
    stacked: false,
    boundary,
    loss: { width: present ? networkWidth : boundary.width, height: loss },
    network: { width: networkWidth, height: networkHeight },
  };
}
