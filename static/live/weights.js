// The weight heatmaps: every layer's W and b restyled from a frame's params, on one symmetric
// colour range (the largest |parameter|).

export function drawWeights(view, div, frame) {
  const s = view.spec.network.sizes;
  const { weights, biases } = view.layout.dims;
  const p = frame.f32.params;
  let m = 0;
  for (let i = 0; i < weights + biases; i++) m = Math.max(m, Math.abs(p[i]));
  m = m > 0 ? m : 1;
  const z = [];
  let w = 0;
  let b = weights;
  for (let l = 0; l + 1 < s.length; l++) {
    const rows = [];
    for (let r = 0; r < s[l]; r++, w += s[l + 1]) rows.push(Array.from(p.subarray(w, w + s[l + 1])));
    z.push(rows, [Array.from(p.subarray(b, b + s[l + 1]))]);
    b += s[l + 1];
  }
  const k = z.length;
  view.Plotly.restyle(div, { z, zmin: Array(k).fill(-m), zmax: Array(k).fill(m) }, [...Array(k).keys()]);
}
