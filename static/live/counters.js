// The numbers above the charts (st.metric's look): the frame on screen's epoch and scores, the
// server's training rate and the progress towards "Epochs to train"; and the notice shown when a
// tab's training was lost with its server session.

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

export const COUNTERS_HTML = `
  <div class="nnl-notice" role="status" hidden><span></span><button type="button">Dismiss</button></div>
  <div class="nnl-status" aria-label="Training status">${METRICS.map(
    ([key, label]) => `<div class="nnl-metric" data-key="${key}"><div class="nnl-metric-label">${label}</div>` +
      `<div class="nnl-metric-value">–</div></div>`).join("")}</div>
  <div class="nnl-progress" hidden><div class="nnl-progress-track"><div class="nnl-progress-bar"></div></div><span></span></div>`;

export class Counters {
  constructor(root) {
    this.root = root;
    this.notice = root.querySelector(".nnl-notice");
    this.notice.querySelector("button").addEventListener("click", () => (this.notice.hidden = true));
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

  // The shown frame's epoch and scores (so they always match the picture), the rate and the
  // progress from the newest payload's ``status``.
  draw(frame, status) {
    const st = status || {};
    const s = frame.scores;
    const number = (v) => (v === null || v === undefined ? "–" : v.toFixed(4));
    const percent = (v) => (v === null || v === undefined ? "–" : `${(100 * v).toFixed(1)}%`);
    const values = {
      epoch: String(frame.epoch),
      train_loss: number(s.train_loss),
      val_loss: number(s.val_loss),
      train_accuracy: percent(s.train_accuracy),
      val_accuracy: percent(s.val_accuracy),
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
}
