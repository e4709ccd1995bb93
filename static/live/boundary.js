// The decision boundary: the model's output over the plane as a picture (a layout image the frames
// repaint: no trace is recomputed) under the data points, and a readout of the output under the mouse.

const version = new URL(import.meta.url).search;
const load = (name) => import(new URL(`./${name}${version}`, import.meta.url).href);
const [{ bytesOf, paint, fmt }, { presentLayout }] = await Promise.all([load("decode.js"), load("style.js")]);

const HINT = "Hover the plane for the model's output.";

export class BoundaryChart {
  // ``view``: the LiveView (its Plotly, spec, codec, frame on screen and presenter mode).
  constructor(view, div, readout) {
    this.view = view;
    this.div = div;
    this.readout = readout;
  }

  adopt(spec) {
    this.lut = bytesOf(spec.boundary.lut);
  }

  hook() {
    this.div.addEventListener("mousemove", (ev) => this.showValueAt(ev));
    this.div.addEventListener("mouseleave", () => (this.readout.textContent = HINT));
  }

  draw(frame) {
    const b = this.view.spec.boundary;
    const codec = this.view.codec;
    let remap = null;
    if (b.task === "regression") {
      // bytes span this frame's own range; colours span the targets' range (the colour bar)
      const ratio = frame.f32.grid_scale[0] / b.color_scale;
      remap = new Uint8Array(256).map((_, v) => codec.signedByte(codec.signed(v, ratio), 1));
    }
    const url = paint(frame.u8.grid, this.lut, b.grid, remap);
    this.view.Plotly.relayout(this.div, { "images[0].source": url, "title.text": `epoch ${frame.epoch}` });
  }

  // Presenter mode: larger points and a taller chart (undone from the spec when it ends).
  present(on) {
    const b = this.view.spec.boundary.figure;
    const sizes = b.data.map((t) => (t.marker && t.marker.size) || 6);
    this.view.Plotly.restyle(this.div, { "marker.size": sizes.map((s) => (on ? 1.7 * s : s)) });
    this.view.Plotly.relayout(this.div, presentLayout(b.layout, on));
  }

  showValueAt(ev) {
    const gd = this.div;
    const frame = this.view.current;
    if (!frame || !gd._fullLayout) return;
    const xa = gd._fullLayout.xaxis;
    const ya = gd._fullLayout.yaxis;
    const box = gd.getBoundingClientRect();
    const x = xa.p2d(ev.clientX - box.left - xa._offset);
    const y = ya.p2d(ev.clientY - box.top - ya._offset);
    const b = this.view.spec.boundary;
    const [lo, hi] = b.domain;
    const step = (hi - lo) / (b.grid - 1);
    const i = Math.round((x - lo) / step);
    const j = Math.round((y - lo) / step);
    if (!(i >= 0 && i < b.grid && j >= 0 && j < b.grid)) {
      this.readout.textContent = HINT;
      return;
    }
    const byte = frame.u8.grid[(b.grid - 1 - j) * b.grid + i]; // image rows: top (highest x2) first
    const codec = this.view.codec;
    let value;
    if (b.task === "binary") value = `P(class 1) ≈ ${codec.probability(byte).toFixed(2)}`;
    else if (b.task === "multiclass") {
      const { cls, p } = codec.classConfidence(byte, b.classes);
      value = `class ${cls}, P ≈ ${p.toFixed(2)}`;
    } else value = `ŷ ≈ ${fmt(codec.signed(byte, frame.f32.grid_scale[0]))}`;
    this.readout.textContent = `x1 = ${x.toFixed(2)}, x2 = ${y.toFixed(2)}: ${value} (epoch ${frame.epoch})`;
  }
}
