// Every label of the page in English and in Simplified Chinese. The lever labels come with the
// lever table from the server (/api/state); everything else is here. t(key) looks a key up in
// the current language and records any key missing from it (window.towngov.missing), which
// the browser test checks is empty in both languages.
"use strict";

const I18N = {
  en: {
    title: "towngov classroom dashboard",
    play: "▶ Play", pause: "❚❚ Pause", step: "Step one day", speed: "Speed",
    days_per_s: "days/s", reset: "Reset", new_seed: "New seed",
    side_by_side: "Side by side: town A and town B",
    levers: "Levers", levers_hint: "A lever moved today takes effect tomorrow, as a reform on a timeline does.",
    town_a: "Town A", town_b: "Town B", reforms_so_far: "Reforms so far",
    no_reforms: "None yet: the scenario's own levers.",
    export: "Export", export_csv: "Daily indicators (CSV)", export_ron: "Scenario with these levers (RON)",
    map: "Map of the town", colour_by: "Colour grids by",
    map_caption: "Each square is a grid inside its community (thick border); the circle marks the community's neighbourhood centre, the diamond an industrial park. Dots are open cases where they arose, coloured by kind; a ring is an incident nobody has found yet, a red edge a case escalated after too many bounces.",
    footer: "Served by towngov from this computer; nothing is fetched from the internet.",
    uplot_licence: "uPlot licence",
    playing: "playing", paused: "paused", day: "Day", seed: "seed",
    refused: "Refused", group_management: "Management (管理)", group_service: "Service (服务)",
    group_self_governance: "Self-governance (自治)", on: "on", off: "off", allowed: "allowed",
    changed: "changed from the scenario", differs: "differs from town A",
    tile_day: "Day", tile_open: "Open cases", tile_on_time: "On time (30 days)",
    tile_satisfaction: "Satisfaction", tile_trust: "Trust", tile_participation: "Participation",
    tile_enterprises: "Enterprises", tile_cost: "Cost so far (yuan)",
    mi_open_cases: "Open cases", mi_satisfaction_mean: "Satisfaction of residents",
    mi_trust_mean: "Trust of residents", mi_report_prob_mean: "Chance residents report an incident",
    mi_hidden_incidents: "Incidents nobody has found", mi_residents: "Residents", mi_firms: "Enterprises",
    kind_need: "Service need", kind_dispute: "Dispute", kind_production: "Production incident",
    kind_living: "Living incident", kind_ecology: "Ecology incident", kind_enterprise: "Enterprise demand",
    hidden_incident: "not found yet", escalated: "escalated", cases_shown: "open cases shown",
    of: "of", low: "low", high: "high",
    p_participation: "Participation", p_service: "Cases resolved on time", p_failures: "Dropped and bounced cases",
    p_open: "Open cases", p_satisfaction: "Satisfaction by kind of resident", p_trust: "Trust by kind of resident",
    p_economy: "Enterprises and relocations", p_cost: "Cost",
    c_participation: "Share of residents who took part in the latest participation round, the share of their spare time they volunteer, the chance they report an incident they see, and the turnout of self-governance elections (only when committees are elected). Higher means a more engaged town.",
    c_service: "Of the cases resolved in the last 30 days: the share resolved within the deadline (left axis) and the mean days a case took (right axis). A reform that works pushes the first up and the second down.",
    c_failures: "Counted since day 1: cases dropped (lost between departments, or the resident gave up), bounces between departments (推诿), and disputes that became petitions (上访). Flatter lines mean fewer failures.",
    c_open: "Cases still open at the end of each day, and those escalated after too many bounces, waiting for a meeting. A pile that keeps growing means the town cannot keep up.",
    c_satisfaction: "Mean satisfaction (0 to 1) of natives, migrant workers, employees and talent. It rises when their matters are settled on time and falls when they are bounced or dropped.",
    c_trust: "Mean trust in the town's government (0 to 1) of each kind of resident. Trust moves more slowly than satisfaction and spreads between neighbours.",
    c_economy: "Enterprises in the town (left axis), and how many have moved away since day 1 (right axis). The steward team and the financing platform aim to keep firms.",
    c_cost: "Money spent on governance since day 1 (left axis), and the cost of each resolved case over the last 30 days (right axis).",
    s_participation_rate: "took part", s_volunteering_rate: "volunteering", s_report_propensity_mean: "would report",
    s_election_turnout: "election turnout", s_on_time: "on time", s_resolve_days: "days to resolve",
    s_dropped: "dropped", s_bounced: "bounced", s_petitions: "petitions", s_open: "open", s_escalated: "escalated",
    s_native: "natives", s_migrant_worker: "migrant workers", s_employee: "employees", s_talent: "talent",
    s_enterprises: "enterprises", s_relocations: "relocated", s_cost_total: "total cost", s_cost_per_resolved: "per resolved case",
    ax_day: "day", ax_share: "share", ax_days: "days", ax_cases: "cases", ax_level: "0 to 1", ax_firms: "firms", ax_yuan: "yuan",
    scenario_timeline: "a reform on the scenario's own timeline",
  },
  zh: {
    title: "towngov 课堂演示面板",
    play: "▶ 运行", pause: "❚❚ 暂停", step: "前进一天", speed: "速度",
    days_per_s: "天/秒", reset: "重置", new_seed: "换随机种子",
    side_by_side: "并排对比：小镇 A 与小镇 B",
    levers: "政策杠杆", levers_hint: "今天调整的杠杆从明天起生效，与时间线上的改革相同。",
    town_a: "小镇 A", town_b: "小镇 B", reforms_so_far: "已实施的改革",
    no_reforms: "尚无：沿用情景本身的设置。",
    export: "导出", export_csv: "每日指标（CSV）", export_ron: "含当前杠杆的情景文件（RON）",
    map: "小镇地图", colour_by: "网格着色依据",
    map_caption: "每个方块是所在社区（粗边框）内的一个网格；圆圈为社区服务中心，菱形为产业园区。圆点是尚未办结的案件，位于其发生的网格，颜色表示类型；空心圆表示尚无人发现的事件，红边表示多次推诿后上报待议的案件。",
    footer: "由本机的 towngov 提供，不从互联网获取任何内容。",
    uplot_licence: "uPlot 许可证",
    playing: "运行中", paused: "已暂停", day: "第", seed: "随机种子",
    refused: "未接受", group_management: "管理", group_service: "服务",
    group_self_governance: "自治", on: "开", off: "关", allowed: "允许范围",
    changed: "已不同于情景设置", differs: "与小镇 A 不同",
    tile_day: "天数", tile_open: "在办案件", tile_on_time: "按时办结（近30天）",
    tile_satisfaction: "满意度", tile_trust: "信任度", tile_participation: "参与率",
    tile_enterprises: "企业数", tile_cost: "累计成本（元）",
    mi_open_cases: "在办案件", mi_satisfaction_mean: "居民满意度",
    mi_trust_mean: "居民信任度", mi_report_prob_mean: "居民上报事件的概率",
    mi_hidden_incidents: "尚未发现的事件", mi_residents: "居民人数", mi_firms: "企业数",
    kind_need: "服务需求", kind_dispute: "矛盾纠纷", kind_production: "安全生产事件",
    kind_living: "生活类事件", kind_ecology: "生态环境事件", kind_enterprise: "企业诉求",
    hidden_incident: "尚未发现", escalated: "已上报待议", cases_shown: "件在办案件已显示",
    of: "/", low: "低", high: "高",
    p_participation: "居民参与", p_service: "按时办结", p_failures: "掉单与推诿",
    p_open: "在办案件", p_satisfaction: "各类居民的满意度", p_trust: "各类居民的信任度",
    p_economy: "企业与外迁", p_cost: "成本",
    c_participation: "最近一轮参与中参与的居民比例、居民用于志愿服务的空闲时间比例、看到事件后上报的概率，以及自治委员会选举的投票率（仅在实行选举时）。越高表示小镇的参与越活跃。",
    c_service: "近30天办结的案件中：在期限内办结的比例（左轴）和平均办理天数（右轴）。有效的改革会让前者上升、后者下降。",
    c_failures: "自第1天起累计：掉单的案件（在部门间流转中丢失或居民放弃）、部门间的推诿次数，以及演变为上访的纠纷。线越平，失误越少。",
    c_open: "每天结束时仍未办结的案件，以及多次推诿后上报、等待会议处理的案件。案件越积越多，说明小镇应接不暇。",
    c_satisfaction: "原住民、外来务工人员、就业人员和高端人才的平均满意度（0到1）。事项按时办结时上升，被推诿或掉单时下降。",
    c_trust: "各类居民对小镇政府的平均信任度（0到1）。信任变化比满意度慢，并在邻里之间传播。",
    c_economy: "小镇中的企业数（左轴），以及自第1天起外迁的企业数（右轴）。小镇管家和融资平台的目标是留住企业。",
    c_cost: "自第1天起的治理总支出（左轴），以及近30天每办结一件案件的成本（右轴）。",
    s_participation_rate: "参与", s_volunteering_rate: "志愿服务", s_report_propensity_mean: "愿意上报",
    s_election_turnout: "选举投票率", s_on_time: "按时办结", s_resolve_days: "办理天数",
    s_dropped: "掉单", s_bounced: "推诿", s_petitions: "上访", s_open: "在办", s_escalated: "上报待议",
    s_native: "原住民", s_migrant_worker: "外来务工人员", s_employee: "就业人员", s_talent: "高端人才",
    s_enterprises: "企业", s_relocations: "外迁", s_cost_total: "总成本", s_cost_per_resolved: "每件成本",
    ax_day: "天", ax_share: "比例", ax_days: "天", ax_cases: "件", ax_level: "0到1", ax_firms: "家", ax_yuan: "元",
    scenario_timeline: "情景自带时间线上的改革",
  },
};

const LANGS = ["en", "zh"];

function lang() {
  return window.towngov.lang;
}

function t(key) {
  const text = I18N[lang()][key];
  if (text === undefined) {
    if (!window.towngov.missing.includes(lang() + ":" + key)) window.towngov.missing.push(lang() + ":" + key);
    return I18N.en[key] || key;
  }
  return text;
}

// Every element with data-i18n="key" shows t(key).
function translatePage() {
  document.documentElement.lang = lang() === "zh" ? "zh-CN" : "en";
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  document.title = t("title");
}

// A whole number of yuan as "1.23 M yuan" or "123.4 万元".
function yuan(x) {
  if (x === null || x === undefined || !isFinite(x)) return "–";
  if (lang() === "zh") {
    if (Math.abs(x) >= 1e8) return (x / 1e8).toFixed(2) + " 亿元";
    if (Math.abs(x) >= 1e4) return (x / 1e4).toFixed(1) + " 万元";
    return Math.round(x) + " 元";
  }
  if (Math.abs(x) >= 1e6) return (x / 1e6).toFixed(2) + " M yuan";
  if (Math.abs(x) >= 1e3) return (x / 1e3).toFixed(1) + " k yuan";
  return Math.round(x) + " yuan";
}

// Yuan in few characters, for axes and headline numbers: "1.2M", "350k" or "120万".
function yuanShort(x) {
  if (x === null || x === undefined || !isFinite(x)) return "–";
  const a = Math.abs(x);
  if (lang() === "zh") {
    if (a >= 1e8) return +(x / 1e8).toFixed(2) + "亿";
    if (a >= 1e4) return +(x / 1e4).toFixed(1) + "万";
    return String(Math.round(x));
  }
  if (a >= 1e6) return +(x / 1e6).toFixed(2) + "M";
  if (a >= 1e3) return +(x / 1e3).toFixed(1) + "k";
  return String(Math.round(x));
}

function percent(x) {
  return x === null || x === undefined || !isFinite(x) ? "–" : (100 * x).toFixed(1) + "%";
}

function fixed(x, digits) {
  return x === null || x === undefined || !isFinite(x) ? "–" : Number(x).toFixed(digits);
}
