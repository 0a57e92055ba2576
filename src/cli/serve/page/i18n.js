// Every label of the page in English and in Simplified Chinese comes from the one catalogue the
// reports use too (i18n/en.json and i18n/zh-CN.json, compiled into the binary), which the server
// hands over as /strings.js: `const I18N = { en: {...}, zh: {...} }`. The lever labels come with
// the lever table from the server (/api/state). t(key) looks a key up in the current language
// and records any key missing from it (window.towngov.missing), which the browser test checks is
// empty in both languages.
"use strict";

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
