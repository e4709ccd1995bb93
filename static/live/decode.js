// What the server sends, decoded: base64, zlib, and each frame's sections as the frame format says
// (static/frame_format.json, received once per spec as spec.format; playground/live/frames.py
// writes frames by the same table). Also bytes to pictures, and numbers to text.

export function bytesOf(b64) {
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

// The dims the format's section shapes are written in, for this spec (frames.frame_dims).
export function frameDims(spec) {
  const s = spec.network.sizes;
  const weights = s.slice(1).reduce((acc, n, i) => acc + s[i] * n, 0);
  const biases = s.slice(1).reduce((a, b) => a + b, 0);
  const units = s.reduce((a, b) => a + b, 0);
  const grids = { grid: spec.boundary.grid, map_grid: spec.network.map_grid };
  return { ...grids, units, weights, biases, params: weights + biases, layers: s.length };
}

// Where each section of one kind ("u8" or "f32") lies in a frame: { parts: [{name, start, end}], size };
// of a light frame if ``light`` (format.light.sections: the boundary only).
function sections(list, dims, light) {
  let size = 0;
  const parts = list.filter(({ name }) => !light || light.includes(name)).map(({ name, shape }) => {
    const n = shape.reduce((acc, d) => acc * dims[d], 1);
    size += n;
    return { name, start: size - n, end: size };
  });
  return { parts, size };
}

// How to read a frame of this spec: its sections (full and light), its scores' names and the
// encodings' constants.
export function frameLayout(spec) {
  const format = spec.format;
  const dims = frameDims(spec);
  const light = format.light ? format.light.sections : [];
  return {
    dims,
    u8: sections(format.u8, dims),
    f32: sections(format.f32, dims),
    light: { u8: sections(format.u8, dims, light), f32: sections(format.f32, dims, light) },
    scores: format.scores,
  };
}

// A payload's frames: [{ epoch, light, scores: {name: value}, u8: {grid, maps, links}, f32: {params, ...} }],
// each section a view into the payload's arrays (a light frame: its boundary sections only).
export async function decodeFrames(packed, layout) {
  const u8 = await inflate(packed.u8);
  const f32 = floatsOf(packed.f32);
  const at = { u8: 0, f32: 0 };
  const cut = (kind, array, { parts, size }) => {
    const start = at[kind];
    at[kind] += size;
    return Object.fromEntries(parts.map(({ name, start: s, end }) => [name, array.subarray(start + s, start + end)]));
  };
  const frames = packed.epochs.map((epoch, i) => {
    const light = packed.full ? !packed.full[i] : false;
    const kind = light ? layout.light : layout;
    return {
      epoch,
      light,
      scores: Object.fromEntries(layout.scores.map((key, j) => [key, packed.scores?.[i]?.[j] ?? null])),
      metrics: packed.metrics?.[i] ?? null, // the metrics beside the loss (format.packing.metrics)
      u8: cut("u8", u8, kind.u8),
      f32: cut("f32", f32, kind.f32),
    };
  });
  if (at.u8 !== u8.length || at.f32 !== f32.length) {
    throw new Error(`${frames.length} frames of ${u8.length} bytes and ${f32.length} floats do not follow the frame format`);
  }
  return frames;
}

// The format's encodings (frame_format.json "encodings"), as functions of a byte.
export function codec(format) {
  const e = format.encodings;
  const half = e.signed.half;
  return {
    probability: (byte) => byte / e.probability.top,
    // multiclass: the class, and its probability
    classConfidence(byte, k) {
      const levels = Math.floor(e.class_confidence.codes / k);
      return { cls: Math.floor(byte / levels), p: 1 / k + ((byte % levels) / (levels - 1)) * (1 - 1 / k) };
    },
    signed: (byte, scale) => (byte / half - 1) * scale,
    signedByte: (x, scale) => Math.round((Math.max(-1, Math.min(1, x / scale)) + 1) * half),
    linkBucket: (code) => code >> 1,
  };
}

const canvas = document.createElement("canvas"); // one per page: painting is synchronous

// Bytes (one per pixel, rows of ``width``) as a PNG data URL, each byte's colour from ``lut`` (256
// RGB triples), optionally after ``remap`` (256 bytes).
export function paint(bytes, lut, width, remap) {
  canvas.width = width;
  canvas.height = bytes.length / width;
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(canvas.width, canvas.height);
  const px = img.data;
  for (let i = 0; i < bytes.length; i++) {
    const k = 3 * (remap ? remap[bytes[i]] : bytes[i]);
    px[4 * i] = lut[k];
    px[4 * i + 1] = lut[k + 1];
    px[4 * i + 2] = lut[k + 2];
    px[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return canvas.toDataURL();
}

export function fmt(v) {
  return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toPrecision(3);
}
