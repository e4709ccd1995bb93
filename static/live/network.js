// The network view: every unit's map as a layout image, every weight as a line on a <canvas> under
// the Plotly chart (one stroke per sign x width, at most ten), the biases as two path shapes; and a
// readout of the hovered link, bias or unit, written from the frame on screen.
//
// Why a canvas for the links: as SVG paths, the 28,000 links of 8 x 64 units were rasterized again
// on every animation frame in which anything else on the page changed (~130 ms each: 7 frames a
// second at most); a canvas is a bitmap, drawn only when the network changes.

const version = new URL(import.meta.url).search;
const { bytesOf, paint, fmt } = await import(new URL(`./decode.js${version}`, import.meta.url).href);
const { LayerTitles } = await import(new URL(`./layer_menu.js${version}`, import.meta.url).href);

const THUMB_MAX_PX = 72; // a unit's map at most this tall when the chart is zoomed to fit the network
const LABEL_ROOM = 0.9; // room left of the inputs for their labels, in maps' widths

export class NetworkChart {
  constructor(view, div, readout) {
    this.view = view;
    this.div = div;
    this.readout = readout;
    this.hovered = null;
    this.canvas = document.createElement("canvas");
    this.canvas.className = "nnl-links";
    this.codes = null; // the link codes drawn (a full frame's)
    this.titles = new LayerTitles(view, div); // the hidden layers' titles: each opens a menu
  }

  // The spec's figure as drawn here: transparent backgrounds, so the links' canvas shows through;
  // the hidden layers' titles with their hover tip if a click on them may choose (layer_menu.js).
  figure(spec) {
    const fig = structuredClone(spec.network.figure);
    fig.layout.plot_bgcolor = "rgba(0, 0, 0, 0)";
    fig.layout.paper_bgcolor = "rgba(0, 0, 0, 0)";
    const tip = this.titles.tip(spec);
    for (const a of fig.layout.annotations || []) if (a.name && a.name.startsWith("activation ")) a.hovertext = tip;
    return fig;
  }

  adopt(spec) {
    this.ends = linkEnds(spec.network.sizes);
    this.codes = null;
    this.biasShapes = spec.network.figure.layout.shapes.filter((shape) => shape.name?.startsWith("biases"));
    this.lut = bytesOf(spec.network.lut);
    this.titles.close(false); // a new network: its titles are drawn anew
  }

  // Axis ranges that fit the units to a chart of ``size`` ({width, height}): the spec's ranges leave
  // room for the largest network, so a small one would be a small picture in a large chart (presenter
  // mode). Zoomed in until a unit's map is at most THUMB_MAX_PX tall; the axes keep their aspect.
  ranges(size) {
    const layout = this.view.spec.network.figure.layout;
    const { images, meta, margin } = layout;
    const xs = [];
    const ys = [];
    for (const im of images) {
      xs.push(im.x, im.x + im.sizex);
      ys.push(im.y, im.y - im.sizey);
    }
    const [hx, hy] = meta.bias_half;
    meta.bias_x.forEach((x) => xs.push(x - hx));
    meta.bias_y.forEach((y) => ys.push(y - hy, y + hy));
    const thumb = images[0] || { sizex: 0.25, sizey: 0.5 };
    let [x0, x1] = [Math.min(...xs) - LABEL_ROOM * thumb.sizex, Math.max(...xs)]; // x1, x2 labels
    x0 = Math.min(x0, layout.xaxis.range[0]); // longer input labels (a typed formula): the room the spec left
    let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
    const pad = 0.05 * (y1 - y0);
    const plotHeight = size.height - margin.t - margin.b;
    const span = Math.max(y1 - y0 + 2 * pad, (thumb.sizey * plotHeight) / THUMB_MAX_PX);
    const middle = (y0 + y1) / 2;
    [y0, y1] = [middle - span / 2, middle + span / 2];
    x0 -= 0.03 * (x1 - x0);
    x1 += 0.03 * (x1 - x0);
    return { "xaxis.range": [x0, x1], "yaxis.range": [y0, y1] };
  }

  hook() {
    this.div.on("plotly_afterplot", () => {
      this.drawLinks();
      this.titles.mark();
    });
    this.div.on("plotly_hover", (ev) => {
      const p = ev.points[0];
      this.hovered = { name: p.data.name, n: p.pointNumber };
      this.showHovered();
    });
    this.div.on("plotly_unhover", () => {
      this.hovered = null;
      this.showHovered();
    });
    this.titles.hook();
  }

  draw(frame) {
    this.frame = frame; // a full frame (the readout reads its values)
    const spec = this.view.spec.network;
    const { units, weights, biases, map_grid: R } = this.view.layout.dims;
    const codec = this.view.codec;
    const update = {};
    const maps = frame.u8.maps;
    for (let u = 0; u < units; u++) {
      update[`images[${u}].source`] = paint(maps.subarray(u * R * R, (u + 1) * R * R), this.lut, R);
    }
    this.codes = frame.u8.links;
    const shapes = [];
    const meta = spec.figure.layout.meta;
    const [hx, hy] = meta.bias_half;
    const square = (i) => {
      const x = meta.bias_x[i];
      const y = meta.bias_y[i];
      return `M${x - hx},${y - hy}H${x + hx}V${y + hy}H${x - hx}Z`;
    };
    const params = frame.f32.params;
    for (const template of this.biasShapes) {
      const positive = template.name.endsWith(">= 0");
      const path = [];
      for (let i = 0; i < biases; i++) {
        if (params[weights + i] >= 0 === positive) path.push(square(i));
      }
      shapes.push({ ...template, path: path.length ? path.join("") : "M0,0" });
    }
    update.shapes = shapes;
    // The links once the chart has its new layout (afterplot draws them again on zoom and resize).
    Promise.resolve(this.view.Plotly.relayout(this.div, update)).then(() => this.drawLinks());
    this.showHovered();
  }

  // Every weight as a line from unit to unit, grouped by colour and width, where the axes put them.
  drawLinks() {
    const fl = this.div._fullLayout;
    const spec = this.view.spec && this.view.spec.network;
    if (!fl || !spec || !this.codes) return;
    const container = this.div.querySelector(".svg-container");
    if (container && this.canvas.parentNode !== container) container.prepend(this.canvas);
    const ratio = window.devicePixelRatio || 1;
    const [w, h] = [fl.width, fl.height];
    if (this.canvas.width !== Math.round(w * ratio) || this.canvas.height !== Math.round(h * ratio)) {
      this.canvas.width = Math.round(w * ratio);
      this.canvas.height = Math.round(h * ratio);
      this.canvas.style.width = `${w}px`;
      this.canvas.style.height = `${h}px`;
    }
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const xa = fl.xaxis;
    const ya = fl.yaxis;
    const px = (x) => xa._offset + xa.l2p(x);
    const py = (y) => ya._offset + ya.l2p(y);
    const codec = this.view.codec;
    const e = this.ends;
    const codes = this.codes;
    ctx.lineCap = "round";
    spec.link_colors.forEach((color, code) => {
      ctx.beginPath();
      for (let i = 0; i < codes.length; i++) {
        if (codes[i] !== code) continue;
        ctx.moveTo(px(e.x0[i]), py(e.y0[i]));
        ctx.lineTo(px(e.x0[i] + 1), py(e.y1[i]));
      }
      ctx.strokeStyle = color;
      ctx.lineWidth = spec.link_widths[codec.linkBucket(code)];
      ctx.stroke();
    });
  }

  showHovered() {
    const out = this.readout;
    const frame = this.frame;
    const h = this.hovered;
    if (!h || !frame) {
      out.innerHTML = "&nbsp;";
      return;
    }
    const spec = this.view.spec.network;
    const names = spec.figure.layout.meta.names;
    const sizes = spec.sizes;
    const { weights, map_grid: R } = this.view.layout.dims;
    const p = frame.f32.params;
    if (h.name === "link hover") {
      let r = h.n;
      let layer = 0;
      while (r >= sizes[layer] * sizes[layer + 1]) r -= sizes[layer] * sizes[layer++ + 1];
      const j = Math.floor(r / sizes[layer + 1]);
      const k = r % sizes[layer + 1];
      out.textContent = `w = ${fmt(p[h.n])} (${names[layer][j]} → ${names[layer + 1][k]}), epoch ${frame.epoch}`;
    } else if (h.name === "biases") {
      out.textContent = `${names.slice(1).flat()[h.n]}: bias = ${fmt(p[weights + h.n])}, epoch ${frame.epoch}`;
    } else if (h.name === "units") {
      let layer = 0;
      let j = h.n;
      while (j >= sizes[layer]) j -= sizes[layer++];
      const map = frame.u8.maps.subarray(h.n * R * R, (h.n + 1) * R * R);
      let lo = Infinity;
      let hi = -Infinity;
      for (const byte of map) {
        lo = Math.min(lo, byte);
        hi = Math.max(hi, byte);
      }
      const scale = frame.f32.map_scales[layer];
      const value = (v) => fmt(this.view.codec.signed(v, scale) + spec.centers[layer]);
      const bias = layer ? `, bias = ${fmt(p[weights + sizes.slice(1, layer).reduce((a, b) => a + b, 0) + j])}` : "";
      out.textContent = `${names[layer][j]}${bias}: output ≈ ${value(lo)} … ${value(hi)} over the plane, epoch ${frame.epoch}`;
    }
  }
}

// Where every weight's line starts and ends, in params order (layer by layer, row-major), with the
// network figure's geometry (layer l at x = l; unit j of n at y = n - 1 - 2j): x0, y0 (from), y1 (to,
// at x0 + 1).
function linkEnds(sizes) {
  const n = sizes.slice(1).reduce((acc, k, l) => acc + sizes[l] * k, 0);
  const ends = { x0: new Float32Array(n), y0: new Float32Array(n), y1: new Float32Array(n) };
  let i = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    for (let j = 0; j < sizes[l]; j++) {
      for (let k = 0; k < sizes[l + 1]; k++, i++) {
        ends.x0[i] = l;
        ends.y0[i] = sizes[l] - 1 - 2 * j;
        ends.y1[i] = sizes[l + 1] - 1 - 2 * k;
      }
    }
  }
  return ends;
}
