//! The page and its assets, compiled into the binary: the page's own HTML, CSS and JavaScript
//! (`page/`, plain files with no build step) and uPlot (`assets/uplot/`, vendored from npm
//! with its licence).

/// A file the server answers with.
pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub body: &'static [u8],
}

const fn asset(name: &'static str, content_type: &'static str, body: &'static [u8]) -> Asset {
    Asset {
        name,
        content_type,
        body,
    }
}

const JS: &str = "text/javascript; charset=utf-8";

pub static INDEX: Asset = asset(
    "index.html",
    "text/html; charset=utf-8",
    include_bytes!("page/index.html"),
);

/// Served at `/NAME`.
pub static PAGE: &[Asset] = &[
    asset(
        "style.css",
        "text/css; charset=utf-8",
        include_bytes!("page/style.css"),
    ),
    asset("i18n.js", JS, include_bytes!("page/i18n.js")),
    asset("plots.js", JS, include_bytes!("page/plots.js")),
    asset("map.js", JS, include_bytes!("page/map.js")),
    asset("app.js", JS, include_bytes!("page/app.js")),
];

/// The catalogue of strings (`i18n/*.json`, shared with the reports) as the script the page
/// loads before `i18n.js`: `const I18N = { en: {...}, zh: {...} };`. Built once.
pub fn strings_js() -> &'static [u8] {
    static JS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        use towngov::report::i18n::{EN_JSON, ZH_CN_JSON};
        format!(
            "// The strings of towngov's catalogue (i18n/en.json, i18n/zh-CN.json).\n\"use strict\";\nconst I18N = {{\n\"en\": {},\n\"zh\": {}\n}};\n",
            EN_JSON.trim(),
            ZH_CN_JSON.trim()
        )
    });
    JS.as_bytes()
}

/// Served at `/vendor/NAME`.
pub static VENDOR: &[Asset] = &[
    asset(
        "uPlot.iife.min.js",
        JS,
        include_bytes!("../../../assets/uplot/uPlot.iife.min.js"),
    ),
    asset(
        "uPlot.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../../../assets/uplot/uPlot.min.css"),
    ),
    asset(
        "LICENSE",
        "text/plain; charset=utf-8",
        include_bytes!("../../../assets/uplot/LICENSE"),
    ),
];
