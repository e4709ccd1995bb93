// The browser benchmark's probe (bench_browser.py adds it as an init script, before any page script):
// on every animation frame it logs the boundary chart's title when it changes (one per frame drawn) and
// each new plot node (a remount); it timestamps the Pause mousedown and every WebSocket message.
(() => {
  const titles = [], received = [], sent = [], nodes = [], pauses = [];
  let last = null, lastNode = null;
  window.__bench = { titles, received, sent, nodes, pauses };
  // The boundary chart: the live component's plot, or st.plotly_chart's (skipping stale ghosts).
  const boundary = () => {
    const live = document.querySelector('.nnl-boundary');
    if (live) return live;
    for (const box of document.querySelectorAll('.st-key-boundary')) {
      if (box.getAttribute('data-stale') !== 'true') return box.querySelector('.js-plotly-plot');
    }
    return null;
  };
  const frame = () => {
    const plot = boundary();
    const t = plot && plot.querySelector('.gtitle');
    const now = Date.now();
    if (t && plot !== lastNode) { nodes.push(now); lastNode = plot; }
    if (t && t.textContent !== last) { titles.push([now, t.textContent]); last = t.textContent; }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  document.addEventListener('mousedown', (e) => {
    if (e.target.closest('.st-key-pause')) pauses.push(Date.now());
  }, true);
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const d = e.data;
        received.push([Date.now(), d.byteLength ?? d.size ?? d.length ?? 0]);
      });
    }
    send(data) {
      sent.push(Date.now());  // one BackMsg per fragment tick (plus the odd widget change)
      return super.send(data);
    }
  };
})();
