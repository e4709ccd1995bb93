// The live view of one page: its elements, the payloads it receives (a spec once per revision, loss
// points, a tick's frames) and the playback of the frames.
//
// A training tick brings several frames (snapshots a few epochs apart); they are played back
// evenly over the time until the next tick is expected, so the picture moves at frames x ticks
// per second while the server answers only a few ticks a second.

const version = new URL(import.meta.url).search;
const load = (name) => import(new URL(`./${name}${version}`, import.meta.url).href);
const [decode, { Pacer }, { Counters, COUNTERS_HTML }, { BoundaryChart }, { NetworkChart }, { LossChart }, { drawWeights }, { fitSizes, readTheme, themed }, { Replay }] =
  await Promise.all(["decode.js", "pacing.js", "counters.js", "boundary.js", "network.js", "loss.js", "weights.js", "style.js", "replay.js"].map(load));
const { MetricsChart } = await load("confusion.js"); // the confusion matrix (or regression metrics) beside the loss

// A secondary chart redraws at most once per DUTY x its own drawing time, and no more often than
// its MIN_GAP (ms): the boundary gets the main thread first.
const DUTY = 6;
const MIN_GAP = { loss: 300, network: 50, weights: 500 };
const MAX_LAG_TICKS = 2; // more queued frames than this many ticks' worth: skip ahead
const SPEC_RETRY_MS = 2000; // a view still without a spec this long after a payload asks again

const HTML = `
  <div class="nnl">${COUNTERS_HTML}
    <div class="nnl-main">
      <div class="nnl-cell nnl-cell-network">
        <div class="nnl-head"><span class="nnl-heading">The network</span>
          <span class="nnl-caption">each square: a neuron's output over the plane · lines: weights
            (blue positive, orange negative, thicker is larger) · small squares: biases · hover for values</span></div>
        <div class="nnl-plot nnl-network"></div>
        <div class="nnl-readout nnl-network-readout">&nbsp;</div>
      </div>
      <div class="nnl-cell nnl-cell-output">
        <div class="nnl-boundary-box">
          <div class="nnl-plot nnl-boundary"></div>
          <div class="nnl-boundary-epoch" aria-live="off"></div>
        </div>
        <div class="nnl-readout nnl-boundary-readout">Hover the plane for the model's output.</div>
        <div class="nnl-replay" style="visibility: hidden">
          <button type="button" class="nnl-replay-play" title="Play the run again from the slider's epoch">▶ Replay</button>
          <input type="range" class="nnl-replay-slider" min="0" max="0" value="0" step="1" aria-label="Replay: the run at an earlier epoch">
          <span class="nnl-replay-label"></span>
          <button type="button" class="nnl-replay-now" title="Back to the network as it is now">Now</button>
        </div>
        <div class="nnl-lossrow"><div class="nnl-plot nnl-loss"></div><div class="nnl-plot nnl-metrics"></div></div>
      </div>
    </div>
    <details class="nnl-details">
      <summary>Weights and biases as heatmaps</summary>
      <div class="nnl-plot nnl-weights"></div>
    </details>
    <div class="nnl-error" hidden></div>
  </div>`;

// The epoch of a payload's newest frame (the model as it is now, when paused), or null.
const lastEpoch = (data) => (data.frames && data.frames.epochs.length ? data.frames.epochs[data.frames.epochs.length - 1] : null);

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

export class LiveView {
  constructor(root) {
    this.root = root;
    this.rev = null; // the spec revision drawn (null: none yet)
    this.reported = undefined; // the revision last reported to the server
    this.pacer = new Pacer();
    this.received = []; // the last few payloads, newest last: what a failing browser test prints
    this.chain = Promise.resolve(); // payloads are decoded in arrival order
    this.queue = []; // decoded frames waiting to be shown
    this.current = null; // the frame on screen
    this.nextDue = 0;
    this.cost = { loss: 0, network: 0, weights: 0 };
    this.drawnAt = { loss: 0, network: 0, weights: 0 };
    this.drawnFrame = { network: null, weights: null }; // the full frame each last drew
    this.dirty = new Set();
    this.raf = 0;
    this.present = false;
    root.innerHTML = HTML;
    const q = (s) => root.querySelector(s);
    this.div = { boundary: q(".nnl-boundary"), loss: q(".nnl-loss"), network: q(".nnl-network"), weights: q(".nnl-weights") };
    this.error = q(".nnl-error");
    this.counters = new Counters(root);
    this.boundary = new BoundaryChart(this, this.div.boundary, q(".nnl-boundary-readout"), q(".nnl-boundary-epoch"));
    this.network = new NetworkChart(this, this.div.network, q(".nnl-network-readout"));
    this.loss = new LossChart(this, this.div.loss);
    this.metrics = new MetricsChart(this, (this.div.metrics = q(".nnl-metrics")));
    this.replay = new Replay(this, q(".nnl-replay"));
    this.cells = { network: q(".nnl-cell-network"), output: q(".nnl-cell-output"), main: q(".nnl-main") };
    this.details = q(".nnl-details");
    this.details.addEventListener("toggle", () => this.details.open && this.full && drawWeights(this, this.div.weights, this.full));
    this.sizes = null; // each chart's {width, height} in pixels (style.js fitSizes), as last applied
    this.onResize = () => {
      clearTimeout(this.resizeTimer);
      this.resizeTimer = setTimeout(() => this.fit(), 100);
    };
    window.addEventListener("resize", this.onResize);
    // The app menu's theme setting restyles the page, not this view: look once a second.
    this.themeWatch = setInterval(() => this.checkTheme(), 1000);
  }

  // Another theme was picked: draw the charts again in its colours, the frame on screen included.
  checkTheme() {
    if (!this.theme || !this.spec || readTheme(this.root).key === this.theme.key) return;
    const spec = this.spec;
    this.ready = null;
    this.chain = this.chain
      .then(() => this.setup(null, spec))
      .then(() => this.current && this.show(this.current, true))
      .catch((err) => this.fail(err));
  }

  // Size the charts to the window: the network, the boundary and the loss side by side on one
  // screen (style.js fitSizes). Called when the charts are drawn, the window or presenter mode
  // changes, or the page above the charts grew or shrank.
  fit() {
    if (!this.Plotly || this.ready !== this.spec) return;
    const main = this.cells.main;
    const top = main.getBoundingClientRect().top + window.scrollY;
    const m = this.spec.boundary.figure.layout.margin;
    const margins = [m.l + m.r, m.t + m.b];
    const sizes = fitSizes({ width: main.clientWidth, top, innerHeight: window.innerHeight, present: this.present, margins });
    // Presenter mode: the loss goes under the network, so the boundary can take the whole height.
    const lossHome = this.present ? this.cells.network : this.cells.output;
    const lossRow = this.div.loss.parentNode; // the loss and, beside it, the metrics (confusion.js)
    if (lossRow.parentNode !== lossHome) lossHome.appendChild(lossRow);
    sizes.metrics = this.metrics.fit(sizes.loss, sizes.stacked);
    main.classList.toggle("nnl-stacked", sizes.stacked);
    this.cells.output.style.width = sizes.stacked ? "" : `${sizes.boundary.width}px`;
    const same = (a, b) => a && b && a.width === b.width && a.height === b.height;
    for (const name of ["boundary", "network", "loss", "metrics"]) {
      if (!this.div[name]._fullLayout || (this.sizes && same(this.sizes[name], sizes[name]))) continue;
      const update = { width: sizes[name].width, height: sizes[name].height };
      if (name === "network") Object.assign(update, this.network.ranges(sizes.network));
      this.Plotly.relayout(this.div[name], update);
    }
    this.sizes = sizes;
    this.fittedTop = top;
  }

  get stream() {
    return this.pacer.stream;
  }

  // Presenter mode: taller charts, larger text and points (undone from the spec when it ends).
  applyPresent() {
    this.root.querySelector(".nnl").classList.toggle("nnl-present", this.present);
    if (!this.Plotly || this.ready !== this.spec) return;
    this.boundary.present(this.present);
    this.fit();
    this.loss.draw(this.current);
  }

  // A payload: maybe a new spec, new loss points, and the frames of one tick.
  receive(data) {
    const now = performance.now();
    this.received.push({ seq: data.seq, running: data.running, epochs: data.frames?.epochs ?? [] });
    if (this.received.length > 16) this.received.shift();
    if (!this.pacer.fresh(data)) return;
    this.latest = { seq: data.seq, running: Boolean(data.running) }; // what tests wait on
    this.counters.checkSession(data);
    if (Boolean(data.present) !== this.present) {
      this.present = Boolean(data.present);
      this.applyPresent();
    }
    if (data.status) this.status = data.status;
    if (data.spec && data.spec.rev !== this.rev) this.adopt(data.spec);
    if (data.running) this.replay.leave(); // Play goes on from the present, whatever was scrubbed
    this.boundary.setEdit(Boolean(data.edit && data.edit.on));
    this.network.titles.setChoosable(Boolean(data.layers && data.layers.on));
    if (data.loss && this.spec && !this.loss.add(data.loss)) {
      this.reported = null; // a payload was missed: ask for the whole history again
      this.setState("ack", null);
    }
    const reports = this.reported !== this.rev;
    if (reports) {
      this.reported = this.rev;
      this.setState("ack", this.rev); // the server sends the spec until it hears this
    }
    // No spec yet (a remounted view, after the server took it for acknowledged): the report above
    // reruns the page. Should that rerun's payload be lost (a busy server cuts runs short), ask again.
    clearTimeout(this.specRetry);
    if (!this.spec) this.specRetry = setTimeout(() => !this.spec && this.setTrigger?.("tick", -data.seq), SPEC_RETRY_MS);
    this.pacer.arrived(data, now);
    // A reported ack reruns the fragment too: that run is the next tick.
    this.pacer.pace(data, now, reports, this.setTrigger);
    const spec = this.spec;
    this.chain = this.chain
      .then(() => this.setup(data.plotly, spec))
      .then(() => (spec && spec === this.spec ? this.decode(data.frames, spec, data.seq) : []))
      .then((frames) => this.enqueue(frames, data.running))
      .then(() => spec && spec === this.spec && !data.running && this.replay.receive(data.film, spec, lastEpoch(data)))
      .catch((err) => this.fail(err));
  }

  adopt(spec) {
    this.spec = spec;
    this.rev = spec.rev;
    this.ready = null; // the charts must be (re)drawn from this spec
    this.layout = decode.frameLayout(spec);
    this.codec = decode.codec(spec.format);
    this.loss.reset();
    this.metrics.reset();
    this.boundary.adopt(spec);
    this.network.adopt(spec);
  }

  async setup(plotlySrc, spec) {
    if (!spec || this.ready === spec) return;
    const Plotly = await loadPlotly(plotlySrc);
    this.Plotly = Plotly;
    const config = { displaylogo: false };
    this.sizes = null; // new figures: every chart gets its size again
    this.theme = readTheme(this.root);
    for (const name of ["boundary", "network", "weights"]) {
      // Plotly keeps (and later edits) the objects it is given: hand it copies.
      const fig = name === "weights" ? structuredClone(spec[name].figure) : this[name].figure(spec);
      const layout = themed(fig.layout, this.theme);
      await Plotly.react(this.div[name], fig.data, layout, { ...config, responsive: name === "weights" });
    }
    this.ready = spec;
    if (!this.hooked) {
      this.hooked = true;
      this.boundary.hook();
      this.network.hook();
    }
    this.fit();
    this.loss.draw(null);
    this.metrics.draw(null);
    if (this.present) this.applyPresent();
  }

  async decode(packed, spec, seq) {
    if (!packed || !packed.epochs.length) return [];
    const frames = await decode.decodeFrames(packed, this.layout);
    return frames.map((frame) => ({ ...frame, seq, spec })); // seq: the payload it came in
  }

  enqueue(frames, running) {
    if (!frames.length) return;
    // Something above the charts appeared or went (a message, a goal): fit them to the window again.
    if (this.fittedTop !== this.cells.main.getBoundingClientRect().top + window.scrollY) this.fit();
    if (!running) {
      this.queue = []; // paused: show the model as it is now, at once
      const now = frames[frames.length - 1];
      if (this.replay.scrubbed && this.replay.present() === now.epoch && this.current) {
        // The same model again (a rerun while paused): stay at the epoch the slider shows.
        this.show({ ...this.current, spec: this.spec }, true);
      } else {
        this.replay.scrubbed = false;
        this.show(now, true);
      }
      this.dirty.clear();
      return;
    }
    this.queue.push(...frames);
    this.interval = this.pacer.period / frames.length;
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
    if (!frame.light) this.full = frame; // the network's pictures: the newest full frame
    if (!secondaryOnly) {
      this.boundary.draw(frame);
      this.counters.draw(frame, this.status);
    }
    const full = this.full && this.full.spec === this.spec ? this.full : null;
    for (const name of ["loss", "network", "weights"]) {
      const now = performance.now();
      const gap = Math.max(MIN_GAP[name], DUTY * this.cost[name]);
      if (name !== "loss" && (!full || this.drawnFrame[name] === full)) {
        this.dirty.delete(name); // nothing new for it (light frames carry the boundary only)
        continue;
      }
      if (all || now - this.drawnAt[name] >= gap) {
        if (name === "loss") {
          this.loss.draw(frame);
          this.metrics.draw(frame); // drawn with the loss, at its pace
        } else if (name === "network") this.network.draw(full);
        else if (this.details.open) drawWeights(this, this.div.weights, full);
        if (name !== "loss") this.drawnFrame[name] = full;
        this.drawnAt[name] = now;
        this.cost[name] = performance.now() - now;
        this.dirty.delete(name);
      } else {
        this.dirty.add(name);
      }
    }
  }

  fail(err) {
    console.error(err);
    this.error.hidden = false;
    this.error.textContent = `The live charts stopped: ${err.message}. Reload the page to try again.`;
  }

  destroy() {
    this.network.titles.close(false);
    cancelAnimationFrame(this.raf);
    window.removeEventListener("resize", this.onResize);
    clearInterval(this.themeWatch);
    clearTimeout(this.specRetry);
    this.pacer.stop();
    if (this.Plotly) for (const div of Object.values(this.div)) this.Plotly.purge(div);
  }
}
