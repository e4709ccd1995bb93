// The browser benchmark's probe (bench_browser.py adds it as an init script, before any page script).
// On every animation frame it takes a fingerprint of the boundary picture as drawn and logs the frames
// where it changed (a painted update, counted from the pixels, whatever draws them); it also logs the
// epoch the chart says it shows when that changes, each new plot node (a remount), the Pause mousedown
// and every WebSocket message.
(() => {
  const pictures = [], titles = [], received = [], sent = [], nodes = [], pauses = [];
  let lastPicture = null, lastTitle = null, lastNode = null;
  window.__bench = { pictures, titles, received, sent, nodes, pauses };
  // The boundary chart: the live component's plot, or st.plotly_chart's (skipping stale ghosts).
  const boundary = () => {
    const live = document.querySelector('.nnl-boundary');
    if (live) return live;
    for (const box of document.querySelectorAll('.st-key-boundary')) {
      if (box.getAttribute('data-stale') !== 'true') return box.querySelector('.js-plotly-plot');
    }
    return null;
  };
  // FNV-1a over the bytes (or characters) given: equal pictures, equal fingerprints.
  const fnv = (at, n) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ at(i), 0x01000193);
    return h >>> 0;
  };
  const small = document.createElement('canvas');
  small.width = small.height = 64;
  const smallCtx = small.getContext('2d', { willReadFrequently: true });
  // The picture: the canvas the boundary is painted on (today's live view), shrunk to 64 x 64 pixels
  // and read back; otherwise the images Plotly drew it as (a heatmap or a layout image: data URLs).
  const fingerprint = (plot) => {
    const canvas = plot.querySelector('canvas.nnl-heat');
    if (canvas && canvas.width) {
      smallCtx.clearRect(0, 0, 64, 64);
      smallCtx.drawImage(canvas, 0, 0, 64, 64);
      const px = smallCtx.getImageData(0, 0, 64, 64).data;
      return fnv((i) => px[i], px.length);
    }
    const hrefs = [...plot.querySelectorAll('image')].map((im) => im.getAttribute('href') || '').join('|');
    return hrefs ? fnv((i) => hrefs.charCodeAt(i), hrefs.length) : null;
  };
  // The epoch the chart says it shows: the live view's label, or the chart's title.
  const epochText = (plot) => {
    const label = plot.parentElement && plot.parentElement.querySelector('.nnl-boundary-epoch');
    const title = label || plot.querySelector('.gtitle');
    return title ? title.textContent : null;
  };
  const frame = () => {
    const plot = boundary();
    const now = Date.now();
    if (plot) {
      if (plot !== lastNode) { nodes.push(now); lastNode = plot; }
      const picture = fingerprint(plot);
      if (picture !== null && picture !== lastPicture) { pictures.push(now); lastPicture = picture; }
      const title = epochText(plot);
      if (title && title !== lastTitle) { titles.push([now, title]); lastTitle = title; }
    }
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
