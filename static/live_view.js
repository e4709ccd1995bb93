// The Playground's live charts, updated in place: the boundary, the loss curves, the network and
// the weight heatmaps. Loaded once per page by the `nn_playground.live` component
// (playground/live.py), which calls render() with every payload; playground/frames.py documents
// what a payload holds and how its bytes encode the pictures.
//
// Why this exists: st.plotly_chart remounts a chart on every update (Streamlit 1.67), which caps
// the picture at a few frames a second, flickers and loses the user's zoom. Here each chart is
// created once (Plotly.react) and then changed with the cheapest Plotly call that does the job:
// the boundary is a layout image (relayout: no trace is recomputed), the network's links and bias
// squares are shapes, its neuron maps are layout images.
//
// A training tick brings several frames (snapshots a few epochs apart); they are played back
// evenly over the time until the next tick is expected, so the picture moves at frames x ticks
// per second while the server answers only a few ticks a second.

// A secondary chart redraws at most once per DUTY x its own drawing time, and no more often than
// its MIN_GAP (ms): the boundary gets the main thread first.
const DUTY = 6;
const MIN_GAP = { loss: 100, network: 50, weights: 500 };
const MAX_LAG_TICKS = 2; // more queued frames than this many ticks' worth: skip ahead
// Ticks are paced by delivery: the page asks for the next tick when a payload has arrived, so a
// busy server answers later instead of starting a new tick that drops the one still being sent.
// A request that gets no answer in WATCHDOG x the usual round trip (at least WATCHDOG_MIN ms) is
// sent again: a tick can be lost when a click's rerun interrupts it.
const WATCHDOG = 4;
const WATCHDOG_MIN = 5000;
// The numbers above the charts (st.metric's look): the frame on screen's scores (frames.SCORES
// order after the epoch), and the server's training rate.
const METRICS = [
  ["epoch", "Epoch"],
  ["train_loss", "Train loss"],
  ["val_loss", "Test loss"],
  ["train_accuracy", "Train accuracy"],
  ["val_accuracy", "Test accuracy"],
  ["rate", "Epochs / s"],
];
// What a tab that saw training on this page and now gets a new server stream starting lower is told.
const LOST =
  "This is a new session (the page was reloaded or the server restarted): your settings came back " +
  "from the link, but the training in memory was lost. Press Play to train again.";

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

export function render({ data, parentElement, setStateValue, setTriggerValue }) {
  if (!document.getElementById("nnl-style")) {
    const style = document.createElement("style");
    style.id = "nnl-style";
    style.textContent = CSS;
    document.head.appendChild(style);
  }
  const view = (parentElement.__nnLive ??= new LiveView(parentElement));
  view.setState = setStateValue;
  view.setTrigger = setTriggerValue;
  view.receive(data);
  // Streamlit also calls this when a newer payload overtakes this one: tear down only when the
  // element really left the page.
  return () => setTimeout(() => parentElement.isConnected || view.destroy(), 0);
}

// --- decoding ---------------------------------------------------------------------------------
function bytesOf(b64) {
  const text = atob(b64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

async function inflate(b64) {
  const stream = new Blob([bytesOf(b64)]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function floatsOf(b64) {
  const b = bytesOf(b64);
  return new Float32Array(b.buffer, 0, b.length / 4);
}

const plotlyLoads = new Map(); // one <script> per page, whatever the number of mounts

function loadPlotly(src) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!plotlyLoads.has(src)) {
    const loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = new URL(src, document.baseURI).href;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => {
        plotlyLoads.delete(src);
        reject(new Error(`could not load ${src}`));
      };
      document.head.appendChild(script);
    });
    plotlyLoads.set(src, loading);
  }
  return plotlyLoads.get(src);
}

function fmt(v) {
  return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toPrecision(3);
}

// --- the view ----------------------------------------------------------------------------------
class LiveView {
  constructor(root) {
    this.root = root;
    this.rev = null; // the spec revision drawn (null: none yet)
    this.reported = undefined; // the revision last reported to the server
    this.stream = null; // the server session's payload sequence ...
    this.seq = 0; // ... and the newest payload taken from it
    this.received = [];
    this.chain = Promise.resolve(); // payloads are decoded in arrival order
    this.queue = []; // decoded frames waiting to be shown
    this.current = null; // the frame on screen
    this.period = 200; // ms between ticks (running average)
    this.asked = 0; // when the last tick was asked for (performance.now(); 0: none pending)
    this.askedAt = 0; // ... and when the one before it was, for the minimum gap
    this.roundTrip = 200; // ms from asking for a tick to its payload (running average)
    this.tickTimer = 0;
    this.watchdog = 0;
    this.lastArrival = 0;
    this.nextDue = 0;
    this.loss = { points: [], stride: 1 };
    this.cost = { loss: 0, network: 0, weights: 0 };
    this.drawnAt = { loss: 0, network: 0, weights: 0 };
    this.dirty = new Set();
    this.hovered = null;
    this.raf = 0;
    this.canvas = document.createElement("canvas");
    root.innerHTML = `
      <div class="nnl">
        <div class="nnl-notice" role="status" hidden><span></span><button type="button">Dismiss</button></div>
        <div class="nnl-status" aria-label="Training status">${METRICS.map(
          ([key, label]) => `<div class="nnl-metric" data-key="${key}"><div class="nnl-metric-label">${label}</div>` +
            `<div class="nnl-metric-value">–</div></div>`).join("")}</div>
        <div class="nnl-progress" hidden><div class="nnl-progress-track"><div class="nnl-progress-bar"></div></div><span></span></div>
        <div class="nnl-row">
          <div class="nnl-cell nnl-cell-boundary">
            <div class="nnl-plot nnl-boundary"></div>
            <div class="nnl-readout nnl-boundary-readout">Hover the plane for the model's output.</div>
          </div>
          <div class="nnl-cell nnl-cell-loss"><div class="nnl-plot nnl-loss"></div></div>
        </div>
        <h3 class="nnl-heading">The network: what every neuron computes</h3>
        <p class="nnl-caption">Each square is a neuron's output over the plane (blue positive, orange
          negative). Lines are weights: blue positive, orange negative, thicker is larger. The small
          squares are biases. Hover for values.</p>
        <div class="nnl-readout nnl-network-readout">&nbsp;</div>
        <div class="nnl-plot nnl-network"></div>
        <details class="nnl-details" open>
          <summary>Weights and biases as heatmaps</summary>
          <div class="nnl-plot nnl-weights"></div>
        </details>
        <div class="nnl-error" hidden></div>
      </div>`;
    const q = (s) => root.querySelector(s);
    this.div = { boundary: q(".nnl-boundary"), loss: q(".nnl-loss"), network: q(".nnl-network"), weights: q(".nnl-weights") };
    this.readout = { boundary: q(".nnl-boundary-readout"), network: q(".nnl-network-readout") };
    this.error = q(".nnl-error");
    this.notice = q(".nnl-notice");
    this.notice.querySelector("button").addEventListener("click", () => (this.notice.hidden = true));
    this.present = false;
  }

  // Say so when this payload's stream is not the one this tab saw last and the picture would go
  // back from a trained epoch (a reload, a server restart); remember the stream and epoch either way
  // (sessionStorage: per tab and page path, and it survives a reload).
  checkSession(data) {
    const epochs = data.frames?.epochs ?? [];
    const epoch = epochs.length ? epochs[epochs.length - 1] : 0;
    const key = `nnl-seen:${location.pathname}`;
    let seen = null;
    try {
      seen = JSON.parse(sessionStorage.getItem(key));
      sessionStorage.setItem(key, JSON.stringify({ stream: data.stream, epoch }));
    } catch {
      return; // no sessionStorage (privacy settings): no notice
    }
    if (seen && seen.stream !== data.stream && seen.epoch > 0 && epoch < seen.epoch) {
      this.notice.querySelector("span").textContent = LOST;
      this.notice.hidden = false;
    } else if (data.running) {
      this.notice.hidden = true; // training again: the notice has done its job
    }
  }

  // Presenter mode: taller charts, larger text and points (undone from the spec when it ends).
  applyPresent() {
    this.root.querySelector(".nnl").classList.toggle("nnl-present", this.present);
    if (!this.Plotly || this.ready !== this.spec) return;
    const b = this.spec.boundary.figure;
    const sizes = b.data.map((t) => (t.marker && t.marker.size) || 6);
    this.Plotly.restyle(this.div.boundary, { "marker.size": sizes.map((s) => (this.present ? 1.7 * s : s)) });
    this.Plotly.relayout(this.div.boundary, this.presentLayout(b.layout));
    this.drawLoss(this.current ? this.current.epoch : Infinity);
  }

  presentLayout(layout) {
    if (!this.present) return { height: layout.height, "font.size": (layout.font && layout.font.size) || 12 };
    return { height: Math.max(420, Math.round(0.68 * window.innerHeight)), "font.size": 20 };
  }

  // A payload: maybe a new spec, new loss points, and the frames of one tick.
  receive(data) {
    const now = performance.now();
    // The last few payloads, newest last: what a failing browser test prints to explain itself.
    this.received.push({ seq: data.seq, running: data.running, epochs: data.frames?.epochs ?? [] });
    if (this.received.length > 16) this.received.shift();
    // Streamlit can hand the component an older payload again (a rerun interrupting another):
    // drawing it would move the picture back, or play its frames twice.
    if (data.stream !== this.stream) [this.stream, this.seq] = [data.stream, 0];
    if (data.seq <= this.seq) return;
    this.seq = data.seq;
    this.latest = { seq: data.seq, running: Boolean(data.running) }; // what tests wait on
    this.checkSession(data);
    if (Boolean(data.present) !== this.present) {
      this.present = Boolean(data.present);
      this.applyPresent();
    }
    if (data.status) this.status = data.status;
    if (data.spec && data.spec.rev !== this.rev) this.adopt(data.spec);
    if (data.loss && this.spec) this.addLoss(data.loss);
    const reports = this.reported !== this.rev;
    if (reports) {
      this.reported = this.rev;
      this.setState("ack", this.rev); // the server sends the spec until it hears this
    }
    if (data.running) {
      if (this.lastArrival) this.period = Math.min(10000, Math.max(50, 0.7 * this.period + 0.3 * (now - this.lastArrival)));
      this.lastArrival = now;
    } else {
      this.lastArrival = 0;
    }
    // A reported ack reruns the fragment too: that run is the next tick.
    this.pace(data, now, reports);
    const spec = this.spec;
    this.chain = this.chain
      .then(() => this.setup(data.plotly, spec))
      .then(() => (spec && spec === this.spec ? this.decode(data.frames, spec, data.seq) : []))
      .then((frames) => this.enqueue(frames, data.running))
      .catch((err) => this.fail(err));
  }

  // Ask for the next tick (a trigger value: Streamlit reruns the fragment that holds this view), no
  // sooner than tick_ms after the previous request. No tick_ms: the server ticks on its own timer.
  // ``rerunning``: this payload already caused a rerun (an ack), which counts as the request.
  pace(data, now, rerunning) {
    clearTimeout(this.tickTimer);
    clearTimeout(this.watchdog);
    if (this.asked) this.roundTrip = 0.7 * this.roundTrip + 0.3 * (now - this.asked);
    this.asked = 0;
    if (!data.running || !data.tick_ms || !this.setTrigger) return;
    const asked = (send) => {
      this.asked = this.askedAt = performance.now();
      if (send) this.setTrigger("tick", data.seq);
      this.watchdog = setTimeout(() => asked(true), Math.max(WATCHDOG_MIN, WATCHDOG * this.roundTrip));
    };
    if (rerunning) asked(false);
    else this.tickTimer = setTimeout(() => asked(true), Math.max(0, this.askedAt + data.tick_ms - now));
  }

  adopt(spec) {
    this.spec = spec;
    this.rev = spec.rev;
    this.ready = null; // the charts must be (re)drawn from this spec
    this.loss = { points: [], stride: 1 };
    const s = spec.network.sizes;
    this.layout = {
      grid: spec.boundary.grid,
      mapCells: spec.network.map_grid ** 2,
      units: s.reduce((a, b) => a + b, 0),
      weights: s.slice(1).reduce((acc, n, i) => acc + s[i] * n, 0),
      biases: s.slice(1).reduce((a, b) => a + b, 0),
      layers: s.length,
    };
    this.segments = linkSegments(s);
    this.biasShapes = spec.network.figure.layout.shapes.filter((shape) => shape.name?.startsWith("biases"));
    this.boundaryLut = bytesOf(spec.boundary.lut);
    this.mapLut = bytesOf(spec.network.lut);
  }

  addLoss(loss) {
    const L = this.loss;
    const last = L.points.length ? L.points[L.points.length - 1].e : 0;
    if (!loss.full && loss.from > last) {
      this.reported = null; // a payload was missed: ask for the whole history again
      this.setState("ack", null);
      return;
    }
    const points = loss.full ? [] : L.points;
    loss.epochs.forEach((e, i) => {
      if (points.length && e <= points[points.length - 1].e) return;
      const p = { e };
      for (const key of this.spec.loss.keys) p[key] = loss[key][i];
      points.push(p);
    });
    // Keep every stride-th epoch and the newest, as the server does (frames.loss_points).
    L.stride = loss.stride;
    L.points = points.filter((p, i) => p.e % L.stride === 0 || i === points.length - 1);
  }

  async setup(plotlySrc, spec) {
    if (!spec || this.ready === spec) return;
    const Plotly = await loadPlotly(plotlySrc);
    this.Plotly = Plotly;
    const config = { displaylogo: false, responsive: true };
    for (const name of ["boundary", "network", "weights"]) {
      // Plotly keeps (and later edits) the objects it is given: hand it copies.
      const fig = structuredClone(spec[name].figure);
      await Plotly.react(this.div[name], fig.data, fig.layout, config);
    }
    this.ready = spec;
    this.hooks();
    this.drawLoss(Infinity);
    if (this.present) this.applyPresent();
  }

  hooks() {
    if (this.hooked) return;
    this.hooked = true;
    const b = this.div.boundary;
    b.addEventListener("mousemove", (ev) => this.boundaryReadout(ev));
    b.addEventListener("mouseleave", () => (this.readout.boundary.textContent = "Hover the plane for the model's output."));
    this.div.network.on("plotly_hover", (ev) => {
      const p = ev.points[0];
      this.hovered = { name: p.data.name, n: p.pointNumber };
      this.networkReadout();
    });
    this.div.network.on("plotly_unhover", () => {
      this.hovered = null;
      this.networkReadout();
    });
  }

  async decode(packed, spec, seq) {
    if (!packed || !packed.epochs.length) return [];
    const u8 = await inflate(packed.u8);
    const f32 = floatsOf(packed.f32);
    const n = packed.epochs.length;
    const U = u8.length / n;
    const F = f32.length / n;
    return packed.epochs.map((epoch, i) => ({
      epoch,
      seq, // the payload it came in
      scores: packed.scores ? packed.scores[i] : [],
      u8: u8.subarray(i * U, (i + 1) * U),
      f32: f32.subarray(i * F, (i + 1) * F),
      spec,
    }));
  }

  enqueue(frames, running) {
    if (!frames.length) return;
    if (!running) {
      this.queue = []; // paused: show the model as it is now, at once
      this.show(frames[frames.length - 1], true);
      this.dirty.clear();
      return;
    }
    this.queue.push(...frames);
    this.interval = this.period / frames.length;
    const excess = this.queue.length - MAX_LAG_TICKS * frames.length;
    if (excess > 0) this.queue.splice(0, excess);
    this.loop();
  }

  loop() {
    if (this.raf) return;
    const step = () => {
      this.raf = 0;
      const now = performance.now();
      if (this.queue.length && now >= this.nextDue) {
        this.nextDue = Math.max(this.nextDue + this.interval, now - this.interval);
        this.show(this.queue.shift(), false);
      } else if (this.dirty.size && this.current) {
        this.show(this.current, false, true);
      }
      if ((this.queue.length || this.dirty.size) && !this.raf) this.raf = requestAnimationFrame(step);
    };
    this.raf = requestAnimationFrame(step);
  }

  // Draw a frame: the boundary always; the other charts when their duty cycle allows (else later).
  show(frame, all, secondaryOnly = false) {
    if (frame.spec !== this.spec || this.ready !== this.spec) return;
    this.current = frame;
    if (!secondaryOnly) {
      this.drawBoundary(frame);
      this.drawStatus(frame);
    }
    for (const name of ["loss", "network", "weights"]) {
      const now = performance.now();
      const gap = Math.max(MIN_GAP[name], DUTY * this.cost[name]);
      if (all || now - this.drawnAt[name] >= gap) {
        if (name === "loss") this.drawLoss(frame.epoch);
        else if (name === "network") this.drawNetwork(frame);
        else this.drawWeights(frame);
        this.drawnAt[name] = now;
        this.cost[name] = performance.now() - now;
        this.dirty.delete(name);
      } else {
        this.dirty.add(name);
      }
    }
  }

  // The counters: the shown frame's epoch and scores (so they always match the picture), the
  // rate and the progress towards "Epochs to train" from the newest payload.
  drawStatus(frame) {
    const st = this.status || {};
    const [trainLoss, valLoss, trainAcc, valAcc] = frame.scores;
    const number = (v) => (v === null || v === undefined ? "–" : v.toFixed(4));
    const percent = (v) => (v === null || v === undefined ? "–" : `${(100 * v).toFixed(1)}%`);
    const values = {
      epoch: String(frame.epoch),
      train_loss: number(trainLoss),
      val_loss: number(valLoss),
      train_accuracy: percent(trainAcc),
      val_accuracy: percent(valAcc),
      rate: Math.round(st.rate || 0).toLocaleString("en-US"),
    };
    for (const cell of this.root.querySelectorAll(".nnl-metric")) {
      const key = cell.dataset.key;
      cell.hidden = Boolean(st.regression) && key.endsWith("accuracy");
      cell.querySelector(".nnl-metric-value").textContent = values[key];
    }
    const progress = this.root.querySelector(".nnl-progress");
    progress.hidden = !st.max_epochs;
    if (st.max_epochs) {
      const done = Math.min(frame.epoch / st.max_epochs, 1);
      progress.querySelector(".nnl-progress-bar").style.width = `${(100 * done).toFixed(1)}%`;
      progress.querySelector("span").textContent = `${frame.epoch} of ${st.max_epochs} epochs`;
    }
  }

  paint(bytes, lut, width, remap) {
    const c = this.canvas;
    c.width = width;
    c.height = bytes.length / width;
    const ctx = c.getContext("2d");
    const img = ctx.createImageData(c.width, c.height);
    const px = img.data;
    for (let i = 0; i < bytes.length; i++) {
      const k = 3 * (remap ? remap[bytes[i]] : bytes[i]);
      px[4 * i] = lut[k];
      px[4 * i + 1] = lut[k + 1];
      px[4 * i + 2] = lut[k + 2];
      px[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    return c.toDataURL();
  }

  drawBoundary(frame) {
    const b = this.spec.boundary;
    const G = b.grid;
    let remap = null;
    if (b.task === "regression") {
      // bytes span this frame's own range; colours span the targets' range (the colour bar)
      const ratio = frame.f32[frame.f32.length - 1] / b.color_scale;
      remap = new Uint8Array(256).map((_, v) => Math.round((Math.max(-1, Math.min(1, (v / 127.5 - 1) * ratio)) + 1) * 127.5));
    }
    const url = this.paint(frame.u8.subarray(0, G * G), this.boundaryLut, G, remap);
    this.Plotly.relayout(this.div.boundary, { "images[0].source": url, "title.text": `epoch ${frame.epoch}` });
  }

  boundaryReadout(ev) {
    const gd = this.div.boundary;
    const frame = this.current;
    if (!frame || !gd._fullLayout) return;
    const xa = gd._fullLayout.xaxis;
    const ya = gd._fullLayout.yaxis;
    const box = gd.getBoundingClientRect();
    const x = xa.p2d(ev.clientX - box.left - xa._offset);
    const y = ya.p2d(ev.clientY - box.top - ya._offset);
    const b = this.spec.boundary;
    const [lo, hi] = b.domain;
    const step = (hi - lo) / (b.grid - 1);
    const i = Math.round((x - lo) / step);
    const j = Math.round((y - lo) / step);
    if (!(i >= 0 && i < b.grid && j >= 0 && j < b.grid)) {
      this.readout.boundary.textContent = "Hover the plane for the model's output.";
      return;
    }
    const byte = frame.u8[(b.grid - 1 - j) * b.grid + i];
    let value;
    if (b.task === "binary") value = `P(class 1) ≈ ${(byte / 255).toFixed(2)}`;
    else if (b.task === "multiclass") {
      const k = b.classes;
      const levels = Math.floor(256 / k);
      const conf = (byte % levels) / (levels - 1);
      value = `class ${Math.floor(byte / levels)}, P ≈ ${(1 / k + conf * (1 - 1 / k)).toFixed(2)}`;
    } else value = `ŷ ≈ ${fmt((byte / 127.5 - 1) * frame.f32[frame.f32.length - 1])}`;
    this.readout.boundary.textContent = `x1 = ${x.toFixed(2)}, x2 = ${y.toFixed(2)}: ${value} (epoch ${frame.epoch})`;
  }

  drawLoss(epoch) {
    if (!this.spec || !this.Plotly) return;
    const spec = this.spec.loss;
    const points = this.loss.points.filter((p) => p.e <= epoch);
    const traces = [];
    spec.figure.data.forEach((template, i) => {
      const key = spec.keys[i];
      const shown = points.filter((p) => p[key] !== null && p[key] !== undefined);
      if (shown.length) traces.push({ ...template, x: shown.map((p) => p.e), y: shown.map((p) => p[key]) });
    });
    const layout = structuredClone(traces.length ? spec.figure.layout : spec.empty_layout);
    if (this.present) Object.assign(layout, { height: this.presentLayout(layout).height, font: { ...layout.font, size: 20 } });
    this.Plotly.react(this.div.loss, traces, layout, { displaylogo: false, responsive: true });
  }

  drawNetwork(frame) {
    const spec = this.spec.network;
    const { grid, mapCells, units, weights } = this.layout;
    const update = {};
    let offset = grid * grid;
    for (let u = 0; u < units; u++, offset += mapCells) {
      update[`images[${u}].source`] = this.paint(frame.u8.subarray(offset, offset + mapCells), this.mapLut, spec.map_grid);
    }
    const codes = frame.u8.subarray(offset, offset + weights);
    const paths = spec.link_colors.map(() => []);
    for (let i = 0; i < weights; i++) paths[codes[i]].push(this.segments[i]);
    const shapes = paths.map((p, c) => ({
      type: "path",
      path: p.length ? p.join("") : "M0,0",
      xref: "x",
      yref: "y",
      layer: "below",
      line: { color: spec.link_colors[c], width: spec.link_widths[c >> 1] },
    }));
    const meta = spec.figure.layout.meta;
    const [hx, hy] = meta.bias_half;
    const square = (i) => {
      const x = meta.bias_x[i];
      const y = meta.bias_y[i];
      return `M${x - hx},${y - hy}H${x + hx}V${y + hy}H${x - hx}Z`;
    };
    for (const template of this.biasShapes) {
      const positive = template.name.endsWith(">= 0");
      const path = [];
      for (let i = 0; i < this.layout.biases; i++) {
        if (frame.f32[weights + i] >= 0 === positive) path.push(square(i));
      }
      shapes.push({ ...template, path: path.length ? path.join("") : "M0,0" });
    }
    update.shapes = shapes;
    this.Plotly.relayout(this.div.network, update);
    this.networkReadout();
  }

  networkReadout() {
    const out = this.readout.network;
    const frame = this.current;
    const h = this.hovered;
    if (!h || !frame) {
      out.innerHTML = "&nbsp;";
      return;
    }
    const spec = this.spec.network;
    const names = spec.figure.layout.meta.names;
    const sizes = spec.sizes;
    const { weights, mapCells, grid } = this.layout;
    const p = frame.f32;
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
      const start = grid * grid + h.n * mapCells;
      let lo = 255;
      let hi = 0;
      for (let i = start; i < start + mapCells; i++) {
        lo = Math.min(lo, frame.u8[i]);
        hi = Math.max(hi, frame.u8[i]);
      }
      const scale = p[weights + this.layout.biases + layer];
      const value = (v) => fmt((v / 127.5 - 1) * scale + spec.centers[layer]);
      const bias = layer ? `, bias = ${fmt(p[weights + sizes.slice(1, layer).reduce((a, b) => a + b, 0) + j])}` : "";
      out.textContent = `${names[layer][j]}${bias}: output ≈ ${value(lo)} … ${value(hi)} over the plane, epoch ${frame.epoch}`;
    }
  }

  drawWeights(frame) {
    const s = this.spec.network.sizes;
    const p = frame.f32;
    const n = this.layout.weights + this.layout.biases;
    let m = 0;
    for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(p[i]));
    m = m > 0 ? m : 1;
    const z = [];
    let w = 0;
    let b = this.layout.weights;
    for (let l = 0; l + 1 < s.length; l++) {
      const rows = [];
      for (let r = 0; r < s[l]; r++, w += s[l + 1]) rows.push(Array.from(p.subarray(w, w + s[l + 1])));
      z.push(rows, [Array.from(p.subarray(b, b + s[l + 1]))]);
      b += s[l + 1];
    }
    const k = z.length;
    this.Plotly.restyle(this.div.weights, { z, zmin: Array(k).fill(-m), zmax: Array(k).fill(m) }, [...Array(k).keys()]);
  }

  fail(err) {
    console.error(err);
    this.error.hidden = false;
    this.error.textContent = `The live charts stopped: ${err.message}. Reload the page to try again.`;
  }

  destroy() {
    cancelAnimationFrame(this.raf);
    clearTimeout(this.tickTimer);
    clearTimeout(this.watchdog);
    if (this.Plotly) for (const div of Object.values(this.div)) this.Plotly.purge(div);
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
