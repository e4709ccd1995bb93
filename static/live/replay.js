// The replay: the run's film (the snapshots the server kept while it trained, spaced densely at the
// start: playground/live/film.py), scrubbed with a slider under the boundary while training is
// paused. Every view moves to the film's frame together: the boundary, the network, the counters and
// a marker on the loss curve (loss.js). Play goes on from the present: a running payload ends the
// replay (``leave``), and the next pause brings the film as it is then.

const version = new URL(import.meta.url).search;
const decode = await import(new URL(`./decode.js${version}`, import.meta.url).href);

const PLAY_MS = 50; // per film frame while the film plays

export class Replay {
  // ``view``: the LiveView (its spec, frame layout, show() and setState); ``bar``: the slider's row.
  constructor(view, bar) {
    this.view = view;
    this.bar = bar;
    this.slider = bar.querySelector(".nnl-replay-slider");
    this.label = bar.querySelector(".nnl-replay-label");
    this.playButton = bar.querySelector(".nnl-replay-play");
    this.frames = []; // the film's frames, decoded, oldest first; the last is the present
    this.id = undefined; // the film's id (undefined: none yet)
    this.asked = null; // what this view last asked the server to send again
    this.key = ""; // the network the film belongs to ("nonce.builds", as the spec's revision starts)
    this.scrubbed = false; // true while a frame of the past is on screen
    this.timer = 0;
    this.slider.addEventListener("input", () => {
      this.stop();
      this.go(Number(this.slider.value));
    });
    bar.querySelector(".nnl-replay-now").addEventListener("click", () => {
      this.stop();
      this.go(this.frames.length - 1);
    });
    this.playButton.addEventListener("click", () => (this.timer ? this.stop() : this.play()));
  }

  // A paused payload was shown (``epoch``: the model's, now): take its film if it has one, or say
  // so if this view lacks the present's film (a remount, a lost payload): the server sends it again.
  async receive(film, spec, epoch) {
    if (film) {
      const decoded = await Promise.all(film.frames.map((packed) => decode.decodeFrames(packed, this.view.layout)));
      if (spec !== this.view.spec) return; // a newer spec arrived meanwhile: its film will follow
      this.frames = decoded.flat();
      this.id = film.id;
      this.key = film.id.split(".").slice(0, 2).join(".");
    } else if (!this.holds(spec, epoch)) {
      const need = `${spec.rev}:${epoch}`;
      if (this.asked !== need) {
        this.asked = need; // once per network and epoch: a film of one frame stays one frame
        this.view.setState("film_need", `${need}:${Date.now()}`);
      }
    }
    this.update();
  }

  // Whether this view has the film of ``spec``'s network up to ``epoch``.
  holds(spec, epoch) {
    return this.frames.length > 0 && spec.rev.startsWith(`${this.key}.`) && this.present() === epoch;
  }

  // The epoch of the film's last frame: the model as it is now.
  present() {
    return this.frames.length ? this.frames[this.frames.length - 1].epoch : null;
  }

  // Whether the film belongs to the network on screen (a new network's film comes with its first pause).
  usable() {
    const spec = this.view.spec;
    return this.frames.length >= 2 && Boolean(spec) && spec.rev.startsWith(`${this.key}.`);
  }

  update() {
    const usable = this.usable();
    this.bar.style.visibility = usable ? "visible" : "hidden"; // its row stays: nothing below moves
    if (!usable) return;
    this.slider.max = String(this.frames.length - 1);
    if (!this.scrubbed) this.mark(this.frames.length - 1);
  }

  // Slider and label at film frame ``i``.
  mark(i) {
    const n = this.frames.length;
    this.slider.value = String(i);
    this.label.textContent = `epoch ${this.frames[i].epoch}${i === n - 1 ? " (now)" : ""} · ${i + 1}/${n}`;
  }

  // Show film frame ``i`` in every view.
  go(i) {
    if (!this.usable() || !this.frames[i]) return;
    this.scrubbed = i < this.frames.length - 1;
    this.mark(i);
    this.view.show({ ...this.frames[i], spec: this.view.spec }, true);
  }

  play() {
    if (!this.usable()) return;
    let i = Number(this.slider.value);
    if (i >= this.frames.length - 1) i = 0; // at the present: play the whole film
    this.go(i);
    this.playButton.textContent = "⏸ Stop";
    this.timer = setInterval(() => {
      if (i >= this.frames.length - 1) return this.stop();
      this.go(++i);
    }, PLAY_MS);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = 0;
    this.playButton.textContent = "▶ Replay";
  }

  // Training goes on: back to the present, the bar hidden until the next pause.
  leave() {
    this.stop();
    this.scrubbed = false;
    this.bar.style.visibility = "hidden";
  }
}
