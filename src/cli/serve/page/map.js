// The map (SVG): communities, their grids and the parks at their km positions, the grids
// coloured by an indicator the user picks (one colour scale for both towns, so they compare),
// and the open cases as dots in the grid where they arose.
"use strict";

const SVG = "http://www.w3.org/2000/svg";

// Indicators a grid can be coloured by: the map data's field, and whether high is good.
const MAP_INDICATORS = [
  ["open_cases", "bad"],
  ["satisfaction_mean", "good"],
  ["trust_mean", "good"],
  ["report_prob_mean", "good"],
  ["hidden_incidents", "bad"],
  ["residents", "neutral"],
  ["firms", "neutral"],
];

const CASE_COLOURS = {
  need: "#0072B2", dispute: "#D55E00", production: "#000000",
  living: "#CC79A7", ecology: "#009E73", enterprise: "#E69F00",
};

// Colour of t in [0, 1] on a scale: bad-high (white to red), good-high (red, yellow, green),
// neutral (white to blue).
function scaleColour(kind, x) {
  const mix = (a, b, f) => a.map((v, i) => Math.round(v + (b[i] - v) * f));
  const f = Math.max(0, Math.min(1, x));
  let rgb;
  if (kind === "bad") rgb = mix([255, 250, 235], [200, 30, 30], f);
  else if (kind === "neutral") rgb = mix([245, 248, 255], [30, 90, 180], f);
  else rgb = f < 0.5 ? mix([215, 48, 39], [250, 230, 120], f * 2) : mix([250, 230, 120], [26, 152, 80], (f - 0.5) * 2);
  return "rgb(" + rgb.join(",") + ")";
}

// A fixed pseudo-random point in [0.1, 0.9]² for a case id, so a dot stays where it is.
function jitter(id) {
  let h = (id * 2654435761) >>> 0;
  const a = (h % 1000) / 1000;
  h = (h ^ (h >>> 13)) * 1274126177 >>> 0;
  const b = (h % 1000) / 1000;
  return [0.1 + 0.8 * a, 0.1 + 0.8 * b];
}

function el(name, attrs, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.append(e);
  return e;
}

const TownMap = {
  // Draws one map per town in `maps` ({a: view, b: view}), coloured by `indicator`.
  render(maps, indicator) {
    const root = document.getElementById("maps");
    const kind = (MAP_INDICATORS.find((m) => m[0] === indicator) || MAP_INDICATORS[0])[1];
    const values = Object.values(maps).flatMap((m) => m.grids.map((g) => g[indicator]))
      .filter((v) => v !== null && v !== undefined);
    const lo = values.length ? Math.min(...values) : 0;
    const hi = values.length ? Math.max(...values) : 1;
    root.replaceChildren();
    for (const [town, view] of Object.entries(maps).sort()) {
      const box = document.createElement("figure");
      box.className = "map";
      box.id = "map-" + town;
      if (Object.keys(maps).length > 1) {
        const title = document.createElement("figcaption");
        title.className = "plot-title";
        title.textContent = t("town_" + town);
        box.append(title);
      }
      box.append(this.svg(view, indicator, kind, lo, hi));
      const note = document.createElement("p");
      note.className = "muted";
      note.textContent = view.open_cases.length + " " + t("of") + " " + view.open_cases_total + " " + t("cases_shown");
      box.append(note);
      root.append(box);
    }
    this.legend(kind, lo, hi, indicator);
  },

  svg(view, indicator, kind, lo, hi) {
    const side = view.side_km || 1;
    const pad = 0.03 * side;
    const svg = el("svg", {
      viewBox: [-pad, -pad, side + 2 * pad, side + 2 * pad].join(" "),
      role: "img", "aria-label": t("map"),
    });
    const stroke = side / 300;
    for (const g of view.grids) {
      const v = g[indicator];
      const f = v === null || v === undefined ? null : hi > lo ? (v - lo) / (hi - lo) : 0.5;
      const rect = el("rect", {
        x: g.x_km - view.grid_w_km / 2, y: g.y_km - view.grid_h_km / 2,
        width: view.grid_w_km, height: view.grid_h_km,
        fill: f === null ? "#ddd" : scaleColour(kind, f), stroke: "#fff", "stroke-width": 2 * stroke,
      }, svg);
      el("title", {}, rect).textContent = t("mi_" + indicator) + ": " + (v === null ? "–" : Number(v).toFixed(2));
    }
    for (const c of view.communities) {
      el("rect", {
        x: c.x_km - view.community_w_km / 2, y: c.y_km - view.community_h_km / 2,
        width: view.community_w_km, height: view.community_h_km,
        fill: "none", stroke: "#222", "stroke-width": 4 * stroke,
      }, svg);
      el("circle", { cx: c.x_km, cy: c.y_km, r: 8 * stroke, fill: "#fff", stroke: "#222", "stroke-width": 2.5 * stroke }, svg);
    }
    for (const p of view.parks) {
      const r = 10 * stroke;
      el("polygon", {
        points: [[p.x_km, p.y_km - r], [p.x_km + r, p.y_km], [p.x_km, p.y_km + r], [p.x_km - r, p.y_km]].join(" "),
        fill: "#6b4f2a", stroke: "#fff", "stroke-width": 1.5 * stroke,
      }, svg);
    }
    const grids = new Map(view.grids.map((g) => [g.idx, g]));
    for (const c of view.open_cases) {
      const g = grids.get(c.grid);
      if (!g) continue;
      const [a, b] = jitter(c.id);
      const colour = CASE_COLOURS[c.kind] || "#444";
      el("circle", {
        cx: g.x_km - view.grid_w_km / 2 + a * view.grid_w_km,
        cy: g.y_km - view.grid_h_km / 2 + b * view.grid_h_km,
        r: 4.5 * stroke,
        fill: c.found ? colour : "none",
        stroke: c.escalated ? "#e00" : c.found ? "#fff" : colour,
        "stroke-width": (c.escalated ? 2.5 : 1.5) * stroke,
        class: "case",
      }, svg);
    }
    return svg;
  },

  legend(kind, lo, hi, indicator) {
    const root = document.getElementById("map-legend");
    root.replaceChildren();
    const add = (html) => {
      const span = document.createElement("span");
      span.className = "legend-item";
      span.append(...html);
      root.append(span);
    };
    const swatch = (style) => {
      const s = document.createElement("i");
      s.className = "swatch";
      Object.assign(s.style, style);
      return s;
    };
    const fmt = (x) => (Math.abs(hi - lo) < 10 && indicator !== "residents" && indicator !== "firms" && indicator !== "open_cases" && indicator !== "hidden_incidents" ? Number(x).toFixed(2) : Math.round(x));
    add([t("mi_" + indicator) + ": " + t("low") + " " + fmt(lo) + " ",
      swatch({ background: "linear-gradient(to right," + [0, 0.5, 1].map((f) => scaleColour(kind, f)).join(",") + ")", width: "6em" }),
      " " + t("high") + " " + fmt(hi)]);
    for (const [k, colour] of Object.entries(CASE_COLOURS)) add([swatch({ background: colour, borderRadius: "50%" }), " " + t("kind_" + k)]);
    add([swatch({ border: "2px solid #444", borderRadius: "50%" }), " " + t("hidden_incident")]);
    add([swatch({ background: "#888", border: "2px solid #e00", borderRadius: "50%" }), " " + t("escalated")]);
  },
};
