// The plots (uPlot): the key indicators day by day, town A solid and town B dashed, a grey
// line on each day a lever moved, and a plain-language caption under each plot.
"use strict";

// Okabe-Ito colours: told apart by colour-blind viewers and on a washed-out projector.
const COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"];

// Running sum of a daily count.
function cumsum(xs) {
  let s = 0;
  return xs.map((x) => (s += x || 0));
}

// Mean of `rate` over the last n days, weighted by `weight` (e.g. cases resolved that day).
function rolling(rate, weight, n) {
  const out = new Array(rate.length);
  let num = 0, den = 0;
  for (let i = 0; i < rate.length; i++) {
    if (rate[i] !== null && weight[i]) { num += rate[i] * weight[i]; den += weight[i]; }
    const j = i - n;
    if (j >= 0 && rate[j] !== null && weight[j]) { num -= rate[j] * weight[j]; den -= weight[j]; }
    out[i] = den > 1e-9 ? num / den : null;
  }
  return out;
}

// Sum of `a` over the last n days divided by the sum of `b`.
function rollingRatio(a, b, n) {
  const out = new Array(a.length);
  let sa = 0, sb = 0;
  for (let i = 0; i < a.length; i++) {
    sa += a[i] || 0; sb += b[i] || 0;
    if (i - n >= 0) { sa -= a[i - n] || 0; sb -= b[i - n] || 0; }
    out[i] = sb > 0 ? sa / sb : null;
  }
  return out;
}

const share = (x) => percent(x);
const level = (x) => fixed(x, 2);
const whole = (x) => fixed(x, 0);
const oneDecimal = (x) => fixed(x, 1);

const PLOTS = [
  { key: "participation", left: ["ax_share", share], series: [
    ["s_participation_rate", (c) => c.participation_rate],
    ["s_volunteering_rate", (c) => c.volunteering_rate],
    ["s_report_propensity_mean", (c) => c.report_propensity_mean],
    ["s_election_turnout", (c) => c.election_turnout]] },
  { key: "service", left: ["ax_share", share], right: ["ax_days", oneDecimal], series: [
    ["s_on_time", (c) => rolling(c.on_time_share, c.closed, 30)],
    ["s_resolve_days", (c) => rolling(c.resolve_days_mean, c.closed, 30), "right"]] },
  { key: "failures", left: ["ax_cases", whole], series: [
    ["s_dropped", (c) => c.dropped_total],
    ["s_bounced", (c) => cumsum(c.bounced)],
    ["s_petitions", (c) => c.petitions_total]] },
  { key: "open", left: ["ax_cases", whole], series: [
    ["s_open", (c) => c.open],
    ["s_escalated", (c) => c.escalated_waiting]] },
  { key: "satisfaction", left: ["ax_level", level], series: [
    ["s_native", (c) => c.satisfaction_native],
    ["s_migrant_worker", (c) => c.satisfaction_migrant_worker],
    ["s_employee", (c) => c.satisfaction_employee],
    ["s_talent", (c) => c.satisfaction_talent]] },
  { key: "trust", left: ["ax_level", level], series: [
    ["s_native", (c) => c.trust_native],
    ["s_migrant_worker", (c) => c.trust_migrant_worker],
    ["s_employee", (c) => c.trust_employee],
    ["s_talent", (c) => c.trust_talent]] },
  { key: "economy", left: ["ax_firms", whole], right: ["ax_firms", whole], series: [
    ["s_enterprises", (c) => c.enterprises],
    ["s_relocations", (c) => c.relocations_total, "right"]] },
  { key: "cost", left: ["ax_yuan", yuanShort], right: ["ax_yuan", yuanShort], series: [
    ["s_cost_total", (c) => c.cost_total_yuan],
    ["s_cost_per_resolved", (c) => rollingRatio(c.cost_yuan, c.resolved, 30), "right"]] },
];

const Plots = {
  built: null, // what the plots were built for: language and towns
  instances: [],

  // Draws the plots for `data` ({a: columns, b: columns}); rebuilds them when the language
  // or the towns change, else only gives them new data.
  render(data, changes, scenarioDays) {
    const towns = Object.keys(data).sort();
    const signature = lang() + ":" + towns.join(",");
    if (this.built !== signature) this.build(towns, signature);
    this.changes = changes;
    this.scenarioDays = scenarioDays || [];
    const days = data.a.day;
    PLOTS.forEach((p, i) => {
      const arrays = [days];
      for (const town of towns) for (const s of p.series) arrays.push(s[1](data[town]).slice(0, days.length));
      this.instances[i].setData(arrays);
    });
    window.towngov.plots = this.instances;
  },

  build(towns, signature) {
    const root = document.getElementById("plots");
    for (const u of this.instances) u.destroy();
    root.replaceChildren();
    this.instances = PLOTS.map((p) => {
      const box = document.createElement("figure");
      box.className = "plot";
      box.id = "plot-" + p.key;
      const title = document.createElement("figcaption");
      title.className = "plot-title";
      title.textContent = t("p_" + p.key);
      const holder = document.createElement("div");
      const caption = document.createElement("p");
      caption.className = "caption";
      caption.textContent = t("c_" + p.key);
      box.append(title, this.legend(p, towns), holder, caption);
      root.append(box);
      const empty = Array.from({ length: 1 + towns.length * p.series.length }, () => []);
      return new uPlot(this.options(p, towns, holder), empty, holder);
    });
    this.built = signature;
  },

  // One entry per indicator (its colour), and which line is which town.
  legend(p, towns) {
    const root = document.createElement("div");
    root.className = "plot-legend";
    const item = (colour, dashed, text) => {
      const span = document.createElement("span");
      const line = document.createElement("i");
      line.className = "line" + (dashed ? " dashed" : "");
      line.style.borderColor = colour;
      span.append(line, " " + text);
      root.append(span);
    };
    p.series.forEach(([label], si) => item(COLOURS[si % COLOURS.length], false, t(label)));
    if (towns.length > 1) {
      item("#333", false, t("town_a"));
      item("#333", true, t("town_b"));
    }
    return root;
  },

  options(p, towns, holder) {
    const font = "15px system-ui, sans-serif";
    const series = [{ label: t("ax_day"), value: (u, v) => (v === null ? "–" : whole(v)) }];
    towns.forEach((town, ti) => {
      p.series.forEach(([label, , side], si) => {
        const fmt = side === "right" ? p.right[1] : p.left[1];
        series.push({
          label: (towns.length > 1 ? town.toUpperCase() + " · " : "") + t(label),
          stroke: COLOURS[si % COLOURS.length],
          width: ti === 0 ? 2.5 : 2,
          dash: ti === 0 ? undefined : [9, 6],
          scale: side === "right" ? "right" : "left",
          spanGaps: true,
          points: { show: false },
          value: (u, v) => (v === null || v === undefined ? "–" : fmt(v)),
        });
      });
    });
    const axis = (side, spec) => ({
      scale: side, side: side === "left" ? 3 : 1, font, labelFont: font, size: 70,
      label: t(spec[0]), grid: { show: side === "left" },
      values: (u, vals) => vals.map((v) => spec[1](v)),
    });
    const axes = [{ font, labelFont: font, label: t("ax_day"), size: 50 }, axis("left", p.left)];
    if (p.right) axes.push(axis("right", p.right));
    return {
      width: Math.max(320, holder.parentElement.clientWidth - 8),
      height: 230,
      scales: { x: { time: false }, left: {}, right: {} },
      series,
      axes,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      hooks: { draw: [(u) => this.drawReforms(u)] },
    };
  },

  // A vertical line on each day a lever took effect: solid grey for town A, dashed for the
  // changes of town B that town A does not have, dotted for the scenario's own timeline.
  drawReforms(u) {
    const ctx = u.ctx;
    const { top, height } = u.bbox;
    const line = (d) => {
      const x = Math.round(u.valToPos(d, "x", true));
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
    };
    ctx.save();
    ctx.strokeStyle = "#999";
    ctx.lineWidth = 2 * devicePixelRatio;
    ctx.setLineDash([2 * devicePixelRatio, 4 * devicePixelRatio]);
    this.scenarioDays.forEach(line);
    ctx.restore();
    const key = (c) => c.day + " " + c.path + " " + JSON.stringify(c.value);
    const inA = new Set(((this.changes || {}).a || []).map(key));
    for (const [town, list] of Object.entries(this.changes || {})) {
      const own = town === "a" ? list : list.filter((c) => !inA.has(key(c)));
      const days = [...new Set(own.map((c) => c.day))];
      ctx.save();
      ctx.strokeStyle = "#777";
      ctx.lineWidth = 2 * devicePixelRatio;
      ctx.setLineDash(town === "a" ? [] : [6 * devicePixelRatio, 4 * devicePixelRatio]);
      days.forEach(line);
      ctx.restore();
    }
  },

  resize() {
    for (const u of this.instances) {
      const w = Math.max(320, u.root.parentElement.parentElement.clientWidth - 8);
      u.setSize({ width: w, height: 230 });
    }
  },
};
