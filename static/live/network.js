// The network view: every unit's map as a layout image, every weight as a segment of one of at most
// ten path shapes (sign x width), the biases as two path shapes; and a readout of the hovered link,
// bias or unit, written from the frame on screen.

const version = new URL(import.meta.url).search;
const { bytesOf, paint, fmt } = await import(new URL(`./decode.js${version}`, import.meta.url).href);

export class NetworkChart {
  constructor(view, div, readout) {
    this.view = view;
    this.div = div;
    this.readout = readout;
    this.hovered = null;
  }

  adopt(spec) {
    this.segments = linkSegments(spec.network.sizes);
    this.biasShapes = spec.network.figure.layout.shapes.filter((shape) => shape.name?.startsWith("biases"));
    this.lut = bytesOf(spec.network.lut);
  }

  hook() {
    this.div.on("plotly_hover", (ev) => {
      const p = ev.points[0];
      this.hovered = { name: p.data.name, n: p.pointNumber };
      this.showHovered();
    });
    this.div.on("plotly_unhover", () => {
      this.hovered = null;
      this.showHovered();
    });
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
    const codes = frame.u8.links;
    const paths = spec.link_colors.map(() => []);
    for (let i = 0; i < weights; i++) paths[codes[i]].push(this.segments[i]);
    const shapes = paths.map((p, c) => ({
      type: "path",
      path: p.length ? p.join("") : "M0,0",
      xref: "x",
      yref: "y",
      layer: "below",
      line: { color: spec.link_colors[c], width: spec.link_widths[codec.linkBucket(c)] },
    }));
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
    this.view.Plotly.relayout(this.div, update);
    this.showHovered();
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

// "M0,3L1,-5": one SVG segment per weight, in params order (layer by layer, row-major), with the
// network figure's geometry (layer l at x = l; unit j of n at y = n - 1 - 2j).
function linkSegments(sizes) {
  const out = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    for (let j = 0; j < sizes[l]; j++) {
      for (let k = 0; k < sizes[l + 1]; k++) {
        out.push(`M${l},${sizes[l] - 1 - 2 * j}L${l + 1},${sizes[l + 1] - 1 - 2 * k}`);
      }
    }
  }
  return out;
}
