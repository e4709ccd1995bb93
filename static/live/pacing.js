// Which payloads to take, and when to ask for the next tick.
//
// Ticks are paced by delivery: the page asks for the next tick when a payload has arrived, so a
// busy server answers later instead of starting a new tick that drops the one still being sent.
// A request that gets no answer in WATCHDOG x the usual round trip (at least WATCHDOG_MIN ms) is
// sent again: a tick can be lost when a click's rerun interrupts it.
const WATCHDOG = 4;
const WATCHDOG_MIN = 5000;

export class Pacer {
  constructor() {
    this.stream = null; // the server session's payload sequence ...
    this.seq = 0; // ... and the newest payload taken from it
    this.period = 200; // ms between ticks (running average)
    this.asked = 0; // when the last tick was asked for (performance.now(); 0: none pending)
    this.askedAt = 0; // ... and when the one before it was, for the minimum gap
    this.roundTrip = 200; // ms from asking for a tick to its payload (running average)
    this.tickTimer = 0;
    this.watchdog = 0;
    this.lastArrival = 0;
  }

  // Whether to take this payload. Streamlit can hand the component an older payload again (a rerun
  // interrupting another): drawing it would move the picture back, or play its frames twice. A new
  // stream (a new server session) starts counting again.
  fresh(data) {
    if (data.stream !== this.stream) [this.stream, this.seq] = [data.stream, 0];
    if (data.seq <= this.seq) return false;
    this.seq = data.seq;
    return true;
  }

  // A payload was taken at ``now``: the time between running payloads is the tick period.
  arrived(data, now) {
    if (data.running) {
      if (this.lastArrival) this.period = Math.min(10000, Math.max(50, 0.7 * this.period + 0.3 * (now - this.lastArrival)));
      this.lastArrival = now;
    } else {
      this.lastArrival = 0;
    }
  }

  // Ask for the next tick (``setTrigger``: a trigger value, Streamlit reruns the fragment that holds
  // the view), no sooner than tick_ms after the previous request. No tick_ms: the server ticks on its
  // own timer. ``rerunning``: this payload already caused a rerun (an ack), which counts as the request.
  pace(data, now, rerunning, setTrigger) {
    this.stop();
    if (this.asked) this.roundTrip = 0.7 * this.roundTrip + 0.3 * (now - this.asked);
    this.asked = 0;
    if (!data.running || !data.tick_ms || !setTrigger) return;
    const asked = (send) => {
      this.asked = this.askedAt = performance.now();
      if (send) setTrigger("tick", data.seq);
      this.watchdog = setTimeout(() => asked(true), Math.max(WATCHDOG_MIN, WATCHDOG * this.roundTrip));
    };
    if (rerunning) asked(false);
    else this.tickTimer = setTimeout(() => asked(true), Math.max(0, this.askedAt + data.tick_ms - now));
  }

  stop() {
    clearTimeout(this.tickTimer);
    clearTimeout(this.watchdog);
  }
}
