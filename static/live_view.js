// The Playground's live charts, updated in place: the boundary, the loss curves, the network and
// the weight heatmaps. Loaded once per page by the `nn_playground.live` component
// (playground/live/component.py), which calls render() with every payload; playground/live/frames.py
// builds what a payload holds, and static/frame_format.json says how a frame's bytes encode the pictures.
//
// Why this exists: st.plotly_chart remounts a chart on every update (Streamlit 1.67), which caps
// the picture at a few frames a second, flickers and loses the user's zoom. Here each chart is
// created once (Plotly.react) and then changed with the cheapest Plotly call that does the job:
// the boundary is a layout image (relayout: no trace is recomputed), the network's links and bias
// squares are shapes, its neuron maps are layout images.
//
// The modules, one per chart and one each for the pacing of ticks and the decoding of frames:
//   live/view.js      the view: the page's elements, payloads in, frames played back
//   live/pacing.js    asking for the next tick once a payload has arrived
//   live/decode.js    base64, zlib and the frame format; bytes to pictures
//   live/boundary.js, live/network.js, live/loss.js, live/weights.js, live/counters.js  the charts
//   live/confusion.js the confusion matrix (or regression metrics) beside the loss
//   live/layer_menu.js the network's hidden-layer titles: each opens a menu of the activations
//   live/style.js     the style sheet and presenter mode's sizes
//   live/replay.js    the replay: the run's film scrubbed with a slider while paused
// This module's URL carries a hash of all of them (?v=..., playground/live/component.py), and every
// module imports its siblings with that same query (``load``: import() of the sibling's URL plus
// ``import.meta.url``'s query): the browser keeps modules by URL, so a page that outlives a
// deployment never runs an old module next to a new one.

const version = new URL(import.meta.url).search;
const load = (name) => import(new URL(`./live/${name}${version}`, import.meta.url).href);
const [{ LiveView }, { addStyle }] = await Promise.all([load("view.js"), load("style.js")]);

export function render({ data, parentElement, setStateValue, setTriggerValue }) {
  addStyle();
  const view = (parentElement.__nnLive ??= new LiveView(parentElement));
  view.setState = setStateValue;
  view.setTrigger = setTriggerValue;
  view.receive(data);
  // Streamlit also calls this when a newer payload overtakes this one: tear down only when the
  // element really left the page.
  return () => setTimeout(() => parentElement.isConnected || view.destroy(), 0);
}
