// The hidden layers' titles in the network view ("hidden 2 / tanh", the layout annotation named
// "activation 1"): a click, or Enter on a focused title, opens a small menu under it of every hidden
// activation (labelled as in the sidebar, the layer's own ticked). The one chosen goes to the server
// through the live component's "layer" trigger ({layer, activation, n}:
// playground/live/controls.py take_layer_click), which builds the network with it; Escape, Tab or a
// click elsewhere closes the menu without a change.

export class LayerTitles {
  constructor(view, div) {
    this.view = view;
    this.div = div; // the network's Plotly chart; the menu goes in its parent (the network's cell)
    this.choosable = false; // the server's word (payload "layers"): a teacher may hide or lock the activation
    this.menu = null; // the open menu: {el, layer, keys}
    this.closed = null; // the menu last closed by a press on its own title: {layer, at}
    this.lostFocus = null; // a focused title Plotly drew anew: its layer
    this.clicks = 0;
    // A press anywhere but in the open menu closes it (listened for while a menu is open).
    this.onOutside = (ev) => {
      if (!this.menu || ev.composedPath().includes(this.menu.el)) return;
      // On the menu's own title: the click that follows must not open it again.
      const own = this.title(this.menu.layer);
      this.closed = own && ev.composedPath().includes(own) ? { layer: this.menu.layer, at: performance.now() } : null;
      this.close(false);
    };
  }

  hook() {
    this.div.on("plotly_clickannotation", (ev) => {
      const layer = titleLayer(ev.annotation);
      if (layer === null) return;
      const justClosed = this.closed && this.closed.layer === layer && performance.now() - this.closed.at < 400;
      if (!justClosed) this.open(layer); // a second click on the title closes its menu
    });
    // The titles are focusable (mark): Enter or Space opens the menu too.
    this.div.addEventListener("keydown", (ev) => {
      const g = ev.target.closest && ev.target.closest("g.annotation");
      if (!g || (ev.key !== "Enter" && ev.key !== " ")) return;
      const layer = titleLayer(this.annotation(g));
      if (layer === null) return;
      ev.preventDefault();
      this.open(layer, true);
    });
    this.div.addEventListener("focusout", (ev) => {
      const g = ev.target.closest && ev.target.closest("g.annotation");
      const layer = g ? titleLayer(this.annotation(g)) : null;
      if (layer === null) return;
      queueMicrotask(() => {
        if (g.isConnected) return; // the focus moved on, the title is still there
        this.lostFocus = layer;
        this.regainFocus();
      });
    });
  }

  // Whether the titles may choose (the server's word: not when a teacher hides or locks the activation).
  // Their hover tip says "click: choose ..." only while they may: a change sets it on the chart drawn.
  setChoosable(on) {
    if (on === this.choosable) return;
    this.choosable = on;
    if (!on) this.close(false);
    this.mark();
    const spec = this.view.spec;
    const drawn = this.div._fullLayout && this.div._fullLayout.annotations;
    if (!spec || !drawn || !this.view.Plotly) return;
    const update = {};
    drawn.forEach((a, i) => {
      if (titleLayer(a) !== null) update[`annotations[${i}].hovertext`] = this.tip(spec);
    });
    if (Object.keys(update).length) this.view.Plotly.relayout(this.div, update);
  }

  // The titles' hover tip for the network of ``spec`` now: its "tip" while they may choose, else none.
  tip(spec) {
    return this.choosable && spec.network.activations ? spec.network.activations.tip : "";
  }

  // The layout annotation drawn as the SVG group ``g`` (Plotly numbers them with data-index).
  annotation(g) {
    const fl = this.div._fullLayout;
    return fl && fl.annotations ? fl.annotations[Number(g.getAttribute("data-index"))] : null;
  }

  // The title group of hidden layer ``layer``, or null.
  title(layer) {
    for (const g of this.div.querySelectorAll("g.annotation")) if (titleLayer(this.annotation(g)) === layer) return g;
    return null;
  }

  // Plotly draws the titles anew with the chart: make the hidden layers' focusable buttons again.
  mark() {
    const acts = this.view.spec && this.view.spec.network.activations;
    for (const g of this.div.querySelectorAll("g.annotation")) {
      const layer = titleLayer(this.annotation(g));
      if (layer === null || !this.choosable || !acts) {
        ["tabindex", "role", "aria-haspopup", "aria-label"].forEach((a) => g.removeAttribute(a));
        continue;
      }
      const now = acts.layers[layer];
      const label = new Map(acts.choices).get(now) || now;
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "button");
      g.setAttribute("aria-haspopup", "menu");
      g.setAttribute("aria-label", `hidden layer ${layer + 1}: ${label}. Choose its activation`);
    }
    this.regainFocus();
  }

  // A focused title that Plotly drew anew (a resize, a rebuilt network after a choice made with the
  // keyboard) took the focus with it: give it to the new title, unless the focus went elsewhere.
  regainFocus() {
    const g = this.lostFocus === null || this.lostFocus === undefined ? null : this.title(this.lostFocus);
    if (!g || !g.hasAttribute("tabindex")) return;
    this.lostFocus = null;
    if (!document.activeElement || document.activeElement === document.body) g.focus();
  }

  // Open the menu of hidden layer ``layer`` under its title; ``keys``: opened from the keyboard.
  open(layer, keys = false) {
    this.close(false);
    const spec = this.view.spec && this.view.spec.network;
    const title = this.title(layer);
    if (!this.choosable || !this.view.setTrigger || !spec || !spec.activations || !title) return;
    const now = spec.activations.layers[layer];
    const menu = document.createElement("div");
    menu.className = "nnl-menu" + (this.view.theme && this.view.theme.dark ? " nnl-menu-dark" : "");
    menu.setAttribute("role", "menu");
    menu.setAttribute("aria-label", `Activation of hidden layer ${layer + 1}`);
    for (const [name, label] of spec.activations.choices) {
      const item = document.createElement("button");
      item.type = "button";
      item.setAttribute("role", "menuitemradio");
      item.setAttribute("aria-checked", String(name === now));
      item.tabIndex = -1;
      item.innerHTML = `<span class="nnl-menu-mark" aria-hidden="true">${name === now ? "✓" : ""}</span>`;
      item.append(label);
      item.addEventListener("click", () => this.choose(layer, name));
      menu.appendChild(item);
    }
    menu.addEventListener("keydown", (ev) => this.menuKey(ev));
    const cell = this.div.parentNode;
    cell.appendChild(menu);
    // Under the title, kept inside the network's cell.
    const box = cell.getBoundingClientRect();
    const at = title.getBoundingClientRect();
    const left = at.left + at.width / 2 - box.left - menu.offsetWidth / 2;
    menu.style.left = `${Math.max(0, Math.min(left, cell.clientWidth - menu.offsetWidth))}px`;
    menu.style.top = `${at.bottom - box.top + 2}px`;
    this.menu = { el: menu, layer, keys };
    document.addEventListener("pointerdown", this.onOutside, true);
    const items = [...menu.children];
    (items.find((b) => b.getAttribute("aria-checked") === "true") || items[0]).focus();
  }

  // Close the menu (no change); ``back``: the keyboard goes back to its title.
  close(back) {
    if (!this.menu) return;
    const { el, layer } = this.menu;
    this.menu = null;
    document.removeEventListener("pointerdown", this.onOutside, true);
    el.remove();
    if (back) this.title(layer)?.focus();
  }

  // A choice: the server builds the network with it (a new spec comes back); the current one changes nothing.
  choose(layer, name) {
    const keys = this.menu && this.menu.keys;
    this.close(keys);
    if (name === this.view.spec.network.activations.layers[layer]) return;
    this.clicks += 1;
    this.view.setTrigger("layer", { layer, activation: name, n: Date.now() * 1000 + (this.clicks % 1000) });
  }

  // The menu's keys: arrows, Home and End move; Enter and Space choose (the buttons' own); Escape
  // and Tab close it without a change.
  menuKey(ev) {
    const items = [...this.menu.el.children];
    const i = items.indexOf(document.activeElement);
    const move = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: items.length - 1 }[ev.key];
    if (move !== undefined) {
      ev.preventDefault();
      items[(move + items.length) % items.length].focus();
    } else if (ev.key === "Escape" || ev.key === "Tab") {
      ev.preventDefault();
      ev.stopPropagation();
      this.close(true);
    }
  }
}

// The hidden layer (0-based) whose title ``annotation`` is ("activation 1": hidden 2), or null.
function titleLayer(annotation) {
  const name = (annotation && annotation.name) || "";
  const layer = Number(name.slice("activation ".length));
  return name.startsWith("activation ") && Number.isInteger(layer) ? layer : null;
}
