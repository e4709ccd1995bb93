// The decision boundary: the model's output over the plane painted on a <canvas> under the Plotly
// axes and points, and a readout of the output under the mouse.
//
// Why a canvas: a frame is then one putImageData of the grid's bytes (through the colour table) and
// one drawImage scaled to the plot area, well under a millisecond, with no Plotly call at all, so
// the picture can change on every animation frame of the display. The Plotly chart above it is
// drawn once, with transparent backgrounds; its zoom, pan and hover work as before, and the canvas
// follows the axes' ranges on every redraw and while a pan is being dragged.

const version = new URL(import.meta.url).search;
const load = (name) => import(new URL(`./${name}${version}`, import.meta.url).href);
const [{ bytesOf, fmt }, { presentLayout }] = await Promise.all([load("decode.js"), load("style.js")]);

const HINT = "Hover the plane for the model's output.";
const CLEAR = "rgba(0, 0, 0, 0)";

export class BoundaryChart {
  // ``view``: the LiveView (its Plotly, spec, codec, frame on screen and presenter mode).
  constructor(view, div, readout, label) {
    this.view = view;
    this.div = div;
    this.readout = readout;
    this.label = label; // "epoch N" over the chart: the epoch of the picture on screen
    this.canvas = document.createElement("canvas");
    this.canvas.className = "nnl-heat";
    this.grid = document.createElement("canvas"); // one pixel per grid cell, scaled up by drawImage
    this.ranges = null; // the axes' ranges while a pan is dragged (Plotly moves its layers itself)
    this.painted = 0; // frames painted: tests and the benchmark read it
    this.editing = false; // edit mode: a click adds a point, a shift-click removes (playground/live/edits.py)
    this.clicks = 0;
  }

  adopt(spec) {
    const b = spec.boundary;
    this.lut = bytesOf(b.lut);
    this.grid.width = this.grid.height = b.grid;
    this.pixels = this.grid.getContext("2d").createImageData(b.grid, b.grid);
    this.frame = null;
  }

  // The spec's figure as drawn here: transparent backgrounds, so the canvas under it shows through.
  figure(spec) {
    const fig = structuredClone(spec.boundary.figure);
    this.plotBg = fig.layout.plot_bgcolor || "white";
    fig.layout.plot_bgcolor = CLEAR;
    fig.layout.paper_bgcolor = CLEAR;
    this.dragmode = fig.layout.dragmode ?? "zoom";
    if (this.editing) fig.layout.dragmode = false; // a click is an edit, not the start of a box zoom
    return fig;
  }

  // Edit mode on or off (every payload says which): no box zoom while editing, a crosshair cursor.
  setEdit(on) {
    if (on === this.editing) return;
    this.editing = on;
    this.div.classList.toggle("nnl-editing", on);
    if (this.view.Plotly && this.div._fullLayout) this.view.Plotly.relayout(this.div, { dragmode: on ? false : this.dragmode });
  }

  // A click in edit mode: the data coordinates under the cursor go to the server (the trigger
  // "edit"), which adds a point there (shift: removes the points near it).
  edit(ev) {
    if (!this.editing || !this.view.setTrigger) return;
    const at = this.dataAt(ev);
    if (!at) return;
    this.clicks += 1;
    this.view.setTrigger("edit", { op: ev.shiftKey ? "remove" : "add", x: at.x, y: at.y, n: Date.now() * 1000 + (this.clicks % 1000) });
  }

  // The data coordinates under a mouse event, or null outside the plot area.
  dataAt(ev) {
    const fl = this.div._fullLayout;
    if (!fl) return null;
    const xa = fl.xaxis;
    const ya = fl.yaxis;
    const box = this.div.getBoundingClientRect();
    const [px, py] = [ev.clientX - box.left - xa._offset, ev.clientY - box.top - ya._offset];
    if (px < 0 || py < 0 || px > xa._length || py > ya._length) return null;
    return { x: xa.p2d(px), y: ya.p2d(py) };
  }

  hook() {
    this.div.addEventListener("mousemove", (ev) => this.showValueAt(ev));
    this.div.addEventListener("click", (ev) => this.edit(ev));
    this.div.addEventListener("mouseleave", () => (this.readout.textContent = HINT));
    this.div.on("plotly_afterplot", () => {
      this.ranges = null;
      this.paint();
    });
    // While a pan is dragged Plotly only translates its layers; the event has the new ranges.
    this.div.on("plotly_relayouting", (ev) => {
      const fl = this.div._fullLayout;
      const range = (axis, k) => ev[`${axis}.range[${k}]`] ?? fl[axis].range[k];
      this.ranges = { x: [range("xaxis", 0), range("xaxis", 1)], y: [range("yaxis", 0), range("yaxis", 1)] };
      this.paint();
    });
  }

  draw(frame) {
    this.frame = frame;
    this.fill(frame);
    this.paint();
    this.label.textContent = `epoch ${frame.epoch}${this.view.replay.scrubbed ? " (replay)" : ""}`;
    this.painted++;
  }

  // The frame's grid bytes into the one-pixel-per-cell canvas, through the colour table.
  fill(frame) {
    const b = this.view.spec.boundary;
    let remap = null;
    if (b.task === "regression") {
      // bytes span this frame's own range; colours span the targets' range (the colour bar)
      const codec = this.view.codec;
      const ratio = frame.f32.grid_scale[0] / b.color_scale;
      remap = new Uint8Array(256).map((_, v) => codec.signedByte(codec.signed(v, ratio), 1));
    }
    const bytes = frame.u8.grid;
    const px = this.pixels.data;
    const lut = this.lut;
    for (let i = 0; i < bytes.length; i++) {
      const k = 3 * (remap ? remap[bytes[i]] : bytes[i]);
      px[4 * i] = lut[k];
      px[4 * i + 1] = lut[k + 1];
      px[4 * i + 2] = lut[k + 2];
      px[4 * i + 3] = 255;
    }
    this.grid.getContext("2d").putImageData(this.pixels, 0, 0);
  }

  // The grid canvas scaled onto the plot area, where the axes put the grid's domain.
  paint() {
    const fl = this.div._fullLayout;
    if (!fl || !this.frame) return;
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
    const xr = this.ranges ? this.ranges.x : xa.range;
    const yr = this.ranges ? this.ranges.y : ya.range;
    const px = (x) => xa._offset + ((x - xr[0]) / (xr[1] - xr[0])) * xa._length;
    const py = (y) => ya._offset + ((yr[1] - y) / (yr[1] - yr[0])) * ya._length;
    const b = this.view.spec.boundary;
    const [lo, hi] = b.domain;
    const half = (hi - lo) / (b.grid - 1) / 2; // each cell is centred on its grid point
    ctx.save();
    ctx.beginPath();
    ctx.rect(xa._offset, ya._offset, xa._length, ya._length);
    ctx.clip();
    ctx.fillStyle = this.plotBg;
    ctx.fillRect(xa._offset, ya._offset, xa._length, ya._length);
    ctx.globalAlpha = b.opacity ?? 1;
    ctx.imageSmoothingEnabled = true;
    const [x0, y0] = [px(lo - half), py(hi + half)];
    ctx.drawImage(this.grid, x0, y0, px(hi + half) - x0, py(lo - half) - y0);
    ctx.restore();
  }

  // Presenter mode: larger points (the chart's size is the view's layout).
  present(on) {
    const b = this.view.spec.boundary.figure;
    const sizes = b.data.map((t) => (t.marker && t.marker.size) || 6);
    this.view.Plotly.restyle(this.div, { "marker.size": sizes.map((s) => (on ? 1.7 * s : s)) });
    this.view.Plotly.relayout(this.div, { "font.size": presentLayout(b.layout, on)["font.size"] });
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
    // A file's own class names (textContent: shown as typed), else "class k".
    const name = (k) => (b.class_names && b.class_names[k] !== undefined ? `"${b.class_names[k]}"` : `class ${k}`);
    let value;
    if (b.task === "binary") value = `P(${name(1)}) ≈ ${codec.probability(byte).toFixed(2)}`;
    else if (b.task === "multiclass") {
      const { cls, p } = codec.classConfidence(byte, b.classes);
      value = `${name(cls)}, P ≈ ${p.toFixed(2)}`;
    } else value = `ŷ ≈ ${fmt(codec.signed(byte, frame.f32.grid_scale[0]))}`;
    this.readout.textContent = `x1 = ${x.toFixed(2)}, x2 = ${y.toFixed(2)}: ${value} (epoch ${frame.epoch})`;
  }
}
