// The page: controls that call the JSON API, the lever panel, the headline numbers, and the
// updates from the server's event stream that feed the plots and the map.
"use strict";

window.towngov = {
  lang: (navigator.language || "").startsWith("zh") ? "zh" : "en",
  missing: [],
  ready: false,
  updates: 0,
  pending: 0, // controls sent and not answered yet
  errors: [],
};
try {
  const saved = localStorage.getItem("towngov.lang");
  if (saved === "zh" || saved === "en") window.towngov.lang = saved;
} catch (e) { /* storage off: the browser's language decides */ }

const App = {
  state: null, // /api/state: levers, status, towns' settings
  data: {}, // town id -> columns of the plotted indicators
  maps: {}, // town id -> the map view
  changes: {}, // town id -> lever changes
  settings: {}, // town id -> lever values from tomorrow
  leverTown: "a", // whose levers the panel shows
  dragging: null, // the lever being moved (its value is not overwritten meanwhile)
  status: null,

  async start() {
    translatePage();
    this.bindControls();
    const state = await this.call("GET", "/api/state");
    this.applyState(state);
    this.buildLevers();
    this.listen();
    window.addEventListener("resize", () => Plots.resize());
  },

  async call(method, path, body) {
    // Controls are JSON, always: the server refuses a POST that does not say so.
    const post = method === "POST";
    const response = await fetch(path, {
      method,
      headers: post ? { "Content-Type": "application/json" } : {},
      body: post ? JSON.stringify(body || {}) : undefined,
    });
    const json = await response.json();
    if (!response.ok) throw new Error(json.error || response.statusText);
    return json;
  },

  // POST a control; show the server's reason if it refuses.
  async post(path, body) {
    window.towngov.pending += 1;
    try {
      this.applyState(await this.call("POST", path, body));
      this.say("");
    } catch (e) {
      this.say(t("refused") + ": " + e.message);
      this.renderLevers();
    } finally {
      window.towngov.pending -= 1;
    }
  },

  say(text) {
    const box = document.getElementById("message");
    box.textContent = text;
    box.hidden = !text;
  },

  applyState(state) {
    if (state.levers) this.state = state;
    this.applyStatus(state.status);
    for (const town of state.towns) {
      this.settings[town.id] = town.settings;
      if (town.changes) this.changes[town.id] = town.changes; // GET /api/state lists them
    }
    for (const id of Object.keys(this.settings)) if (!state.towns.some((tw) => tw.id === id)) this.forget(id);
    this.renderLevers();
    this.renderChanges();
    this.renderExports();
  },

  forget(id) {
    delete this.settings[id]; delete this.changes[id]; delete this.data[id]; delete this.maps[id];
  },

  applyStatus(status) {
    this.status = status;
    document.getElementById("side-by-side").checked = status.side_by_side;
    document.getElementById("lever-tabs").hidden = !status.side_by_side;
    if (!status.side_by_side) this.leverTown = "a";
    const speed = document.getElementById("speed");
    if (![...speed.options].some((o) => o.value === String(status.days_per_second))) {
      speed.append(new Option(status.days_per_second + " " + t("days_per_s"), String(status.days_per_second)));
    }
    speed.value = String(status.days_per_second);
    document.getElementById("play").classList.toggle("active", status.playing);
    document.getElementById("pause").classList.toggle("active", !status.playing);
    document.getElementById("status").textContent = t("day") + " " + status.day + (lang() === "zh" ? " 天" : "") +
      " · " + t("seed") + " " + status.seed + " · " + (status.playing ? t("playing") : t("paused"));
  },

  listen() {
    const source = new EventSource("/api/events");
    source.addEventListener("update", (e) => this.update(JSON.parse(e.data)));
  },

  // An update from the server: new rows (or all of them), settings, changes and maps.
  update(u) {
    if (u.full) { this.data = {}; this.maps = {}; }
    for (const town of u.towns) {
      const cols = this.data[town.id];
      if (!cols || town.from_day === 1) this.data[town.id] = town.series;
      else for (const [k, v] of Object.entries(town.series)) cols[k].push(...v);
      this.maps[town.id] = town.map;
      this.settings[town.id] = town.settings;
      // Lever changes come when there are new ones: all of them (from 0) or those after the last.
      if (town.changes) {
        const known = town.changes_from === 0 ? [] : (this.changes[town.id] || []).slice(0, town.changes_from);
        this.changes[town.id] = known.concat(town.changes);
      }
    }
    for (const id of Object.keys(this.data)) if (!u.towns.some((tw) => tw.id === id)) this.forget(id);
    this.applyStatus(u.status);
    this.render();
    this.renderLevers();
    this.renderChanges();
    window.towngov.updates += 1;
    window.towngov.ready = true;
  },

  render() {
    if (!this.data.a) return;
    Plots.render(this.data, this.changes, this.state.scenario.timeline_days);
    TownMap.render(this.maps, document.getElementById("map-indicator").value || "open_cases");
    this.renderTiles();
  },

  renderTiles() {
    const last = (c, k) => (c && c[k] && c[k].length ? c[k][c[k].length - 1] : null);
    const onTime = (c) => { const r = rolling(c.on_time_share, c.closed, 30); return r[r.length - 1]; };
    const tiles = [
      ["day", (c) => whole(last(c, "day"))],
      ["open", (c) => whole(last(c, "open"))],
      ["on_time", (c) => percent(onTime(c))],
      ["satisfaction", (c) => fixed(last(c, "satisfaction_mean"), 3)],
      ["trust", (c) => fixed(last(c, "trust_mean"), 3)],
      ["participation", (c) => percent(last(c, "participation_rate"))],
      ["enterprises", (c) => whole(last(c, "enterprises"))],
      ["cost", (c) => yuanShort(last(c, "cost_total_yuan"))],
    ];
    const root = document.getElementById("tiles");
    root.replaceChildren();
    const towns = Object.keys(this.data).sort();
    for (const [key, value] of tiles) {
      const tile = document.createElement("div");
      tile.className = "tile";
      tile.id = "tile-" + key;
      const label = document.createElement("div");
      label.className = "tile-label";
      label.textContent = t("tile_" + key);
      tile.append(label);
      for (const town of towns) {
        const v = document.createElement("div");
        v.className = "tile-value town-" + town;
        v.dataset.town = town;
        v.textContent = (towns.length > 1 ? town.toUpperCase() + " " : "") + value(this.data[town]);
        tile.append(v);
      }
      root.append(tile);
    }
  },

  bindControls() {
    const on = (id, f) => document.getElementById(id).addEventListener("click", f);
    on("play", () => this.post("/api/play"));
    on("pause", () => this.post("/api/pause"));
    on("step", () => this.post("/api/step", { days: 1 }));
    // The seed as the state gives it, a string: a number above 2^53 would change in JavaScript.
    on("reset", () => this.post("/api/reset", this.status ? { seed: String(this.status.seed) } : {}));
    on("new-seed", () => this.post("/api/new-seed"));
    on("lang", () => this.toggleLanguage());
    document.getElementById("side-by-side").addEventListener("change", (e) =>
      this.post("/api/side-by-side", { on: e.target.checked }));
    document.getElementById("speed").addEventListener("change", (e) =>
      this.post("/api/speed", { days_per_second: Number(e.target.value) }));
    document.getElementById("map-indicator").addEventListener("change", () => this.render());
    for (const tab of document.querySelectorAll("#lever-tabs .tab")) {
      tab.addEventListener("click", () => { this.leverTown = tab.dataset.town; this.renderLevers(); });
    }
  },

  toggleLanguage() {
    window.towngov.lang = lang() === "en" ? "zh" : "en";
    try { localStorage.setItem("towngov.lang", lang()); } catch (e) { /* not kept */ }
    translatePage();
    this.buildLevers();
    this.applyStatus(this.status);
    this.renderChanges();
    this.renderExports();
    this.render();
  },

  // The speed and map menus and the lever panel, in the current language.
  buildLevers() {
    document.getElementById("lang").textContent = lang() === "en" ? "中文" : "English";
    const speed = document.getElementById("speed");
    speed.replaceChildren(...this.state.speeds.map((s) => new Option(s + " " + t("days_per_s"), String(s))));
    speed.value = String(this.status.days_per_second);
    const mapMenu = document.getElementById("map-indicator");
    const chosen = mapMenu.value || "open_cases";
    mapMenu.replaceChildren(...MAP_INDICATORS.map(([k]) => new Option(t("mi_" + k), k)));
    mapMenu.value = chosen;
    const root = document.getElementById("lever-groups");
    root.replaceChildren();
    for (const group of ["management", "service", "self_governance"]) {
      const set = document.createElement("fieldset");
      const legend = document.createElement("legend");
      legend.textContent = t("group_" + group);
      set.append(legend);
      for (const lever of this.state.levers.filter((l) => l.group === group)) set.append(this.leverRow(lever));
      root.append(set);
    }
    this.renderLevers();
  },

  leverRow(lever) {
    const row = document.createElement("div");
    row.className = "lever";
    row.dataset.path = lever.path;
    row.title = lever.path + " · " + t("allowed") + ": " + lever.allowed + (lever.unit !== "-" ? " (" + lever.unit + ")" : "");
    const label = document.createElement("label");
    label.textContent = lever[lang()];
    const id = "lever-" + lever.path.replaceAll(".", "-");
    label.htmlFor = id;
    const shown = document.createElement("output");
    let input;
    if (lever.control === "switch") {
      input = document.createElement("input");
      input.type = "checkbox";
      input.addEventListener("change", () => this.setLever(lever, input.checked));
    } else if (lever.control === "choice") {
      input = document.createElement("select");
      for (const c of lever.choices) input.append(new Option(c[lang()], c.value));
      input.addEventListener("change", () => this.setLever(lever, input.value));
    } else {
      input = document.createElement("input");
      input.type = "range";
      input.min = lever.min; input.max = lever.max; input.step = lever.control === "count" ? 1 : lever.step;
      input.addEventListener("input", () => { this.dragging = lever.path; shown.textContent = this.format(lever, Number(input.value)); });
      input.addEventListener("change", () => { this.dragging = null; this.setLever(lever, Number(input.value)); });
    }
    input.id = id;
    input.className = "lever-input";
    row.append(label, input, shown);
    return row;
  },

  format(lever, v) {
    if (lever.control === "switch") return v ? t("on") : t("off");
    if (lever.control === "choice") return "";
    if (lever.path.includes("yuan")) return yuan(v);
    if (lever.control === "count") return whole(v);
    return fixed(v, 2);
  },

  setLever(lever, value) {
    this.post("/api/lever", { town: this.leverTown, path: lever.path, value });
  },

  // Puts every control where the town's lever is, marking those the run has changed.
  renderLevers() {
    if (!this.state) return;
    for (const tab of document.querySelectorAll("#lever-tabs .tab")) tab.classList.toggle("active", tab.dataset.town === this.leverTown);
    const settings = this.settings[this.leverTown] || {};
    const changed = new Set((this.changes[this.leverTown] || []).map((c) => c.path));
    for (const lever of this.state.levers) {
      const row = document.querySelector('.lever[data-path="' + lever.path + '"]');
      if (!row) continue;
      const input = row.querySelector(".lever-input");
      const v = settings[lever.path];
      if (this.dragging !== lever.path && v !== undefined) {
        if (lever.control === "switch") input.checked = !!v;
        else input.value = String(v);
        row.querySelector("output").textContent = this.format(lever, v);
      }
      row.classList.toggle("changed", changed.has(lever.path));
      const a = (this.settings.a || {})[lever.path];
      row.classList.toggle("differs", this.leverTown === "b" && JSON.stringify(a) !== JSON.stringify(v));
    }
  },

  // The scenario's own reforms so far and every lever moved, in the order of their days.
  renderChanges() {
    const root = document.getElementById("changes");
    root.replaceChildren();
    const levers = new Map(((this.state && this.state.levers) || []).map((l) => [l.path, l]));
    const dayText = (d) => t("day") + " " + d + (lang() === "zh" ? " 天" : "");
    const today = this.status ? this.status.day : 0;
    const items = ((this.state && this.state.scenario.timeline_days) || [])
      .filter((d) => d <= today)
      .map((d) => [d, dayText(d) + " · " + t("scenario_timeline"), true]);
    const towns = Object.keys(this.changes).sort();
    for (const town of towns) {
      for (const c of this.changes[town]) {
        const lever = levers.get(c.path);
        let value = lever ? this.format(lever, c.value) : String(c.value);
        if (lever && lever.control === "choice") value = (lever.choices.find((x) => x.value === c.value) || {})[lang()] || c.value;
        const who = towns.length > 1 ? town.toUpperCase() + " · " : "";
        items.push([c.day, who + dayText(c.day) + " · " + (lever ? lever[lang()] : c.path) + " → " + value, false]);
      }
    }
    items.sort((x, y) => x[0] - y[0]);
    for (const [, text, scenario] of items) {
      const li = document.createElement("li");
      if (scenario) li.className = "muted";
      li.textContent = text;
      root.append(li);
    }
    if (!items.length) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = t("no_reforms");
      root.append(li);
    }
  },

  renderExports() {
    const root = document.getElementById("exports");
    root.replaceChildren();
    const towns = Object.keys(this.settings).sort();
    for (const town of towns) {
      for (const [key, path] of [["export_csv", "daily.csv"], ["export_ron", "scenario.ron"]]) {
        const a = document.createElement("a");
        a.href = "/api/export/" + path + "?town=" + town;
        a.className = "button";
        a.id = "export-" + path.replace(".", "-") + "-" + town;
        a.setAttribute("download", "");
        a.textContent = (towns.length > 1 ? t("town_" + town) + ": " : "") + t(key);
        root.append(a);
      }
    }
    if (this.state) {
      const s = this.state.scenario;
      document.getElementById("scenario-name").textContent = s.name;
      document.getElementById("scenario-description").textContent = s.description;
    }
  },
};

window.addEventListener("error", (e) => window.towngov.errors.push(String(e.message)));
App.start().catch((e) => { window.towngov.errors.push(String(e)); App.say(String(e)); });
