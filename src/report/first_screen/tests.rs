//! The first screen for the status quo and three reforms, in both languages.

use super::super::fixture::four_options;
use super::super::html::html;
use super::*;

/// The part of the page before the run facts and the full table.
fn first_screen(page: &str) -> &str {
    let start = page
        .find("<section id=\"decision\">")
        .expect("a decision section");
    let end = page
        .find("<section id=\"runs\">")
        .expect("the runs section");
    &page[start..end]
}

#[test]
fn the_first_screen_answers_the_planner_in_english() {
    let c = four_options();
    let page = html(&c, Lang::En);
    let s = first_screen(&page);
    assert!(page.find("id=\"decision\"") < page.find("id=\"table\""));
    // Budget: the balance at the end in M yuan, and the overruns.
    assert!(s.contains("Balance at the end"), "{s}");
    assert!(s.contains("over budget in 8 of 8 runs"), "{s}");
    assert!(s.contains("M yuan"), "{s}");
    // Cost-effectiveness with an interval, and an honest n/a.
    assert!(s.contains("Per extra case resolved on time"), "{s}");
    assert!(s.contains("per extra case on time (95% interval"), "{s}");
    assert!(s.contains("k yuan per extra case on time"), "{s}");
    assert!(s.contains("n/a: the change in"), "{s}");
    // Ranking and the front.
    assert!(
        s.contains("Ranking, Pareto front and budget") && s.contains("Rank"),
        "{s}"
    );
    assert!(s.contains("Pareto front"), "{s}");
    // Each option's levers in words.
    for name in ["full reform", "management reform", "self-governance reform"] {
        assert!(s.contains(&format!("<h4>{name}</h4>")), "{name}: {s}");
    }
    assert!(
        s.contains("management committee: fragmented (many sections) → unified (大部制, meetings)"),
        "{s}"
    );
    assert!(s.contains("dispatch authority (吹哨报到): off → on"), "{s}");
    assert!(
        s.contains("financing platform fund: 0 yuan → 50.0 M yuan"),
        "{s}"
    );
    // Three to five findings, in words: no effect sizes, no eight-digit yuan.
    let findings = s.matches("<li>").count() - s.matches("<ul>\n<li>").count();
    let n = s[s.find("<ol class=\"findings\">").unwrap()..s.find("</ol>").unwrap()]
        .matches("<li>")
        .count();
    assert!((3..=5).contains(&n), "{n} findings ({findings} items)");
    assert!(!s.contains("d<sub>z</sub>") && !s.contains("d_z"), "{s}");
    assert!(!has_long_number(s), "{s}");
    // Effect sizes stay below, in the full table.
    assert!(page[page.find("id=\"table\"").unwrap()..].contains("d<sub>z</sub>"));
}

#[test]
fn the_first_screen_answers_the_planner_in_chinese() {
    let c = four_options();
    let page = html(&c, Lang::ZhCn);
    assert!(page.contains("<html lang=\"zh-CN\">"));
    let s = first_screen(&page);
    for word in [
        "结论速览",
        "主要发现",
        "期末预算结余",
        "万元",
        "8 次运行中 8 次超支",
        "每多按时办结一件",
        "多按时办结一件约",
        "排名",
        "帕累托前沿",
        "管委会运行模式: 分散（科室林立） → 大部制（定期例会）",
        "吹哨报到（街道吹哨、部门报到）: 关 → 开",
        "融资平台基金: 0 元 → 5,000 万元",
        "按时办结率",
    ] {
        assert!(s.contains(word), "{word}: {s}");
    }
    assert!(
        !s.contains("M yuan") && !s.contains("Balance at the end"),
        "{s}"
    );
    assert!(!has_long_number(s), "{s}");
    // The full table's labels, verdicts and n/a reasons are in Chinese too.
    assert!(page.contains("满意度（期末）") && page.contains("更好"));
    assert!(
        page.contains("没有举行选举"),
        "the reason for election turnout"
    );
}

#[test]
fn election_turnout_says_there_were_no_elections() {
    let c = four_options();
    let row = c
        .indicators
        .iter()
        .find(|r| r.meta.name == "mean.election_turnout")
        .unwrap();
    let why = na_reason(&c, row, 1, Lang::En);
    assert_eq!(why, "no elections in “status quo”");
    let page = html(&c, Lang::En);
    assert!(page.contains("no elections in “status quo”"));
    assert!(!page.contains("too few paired"));
}

#[test]
fn the_terminal_summary_speaks_both_languages() {
    let c = four_options();
    let en = summary_lines(&c, Lang::En).join("\n");
    assert!(en.starts_with("Findings"), "{en}");
    assert!(
        en.contains("over budget in 8 of 8 runs") && en.contains("M yuan"),
        "{en}"
    );
    let zh = summary_lines(&c, Lang::ZhCn).join("\n");
    assert!(zh.starts_with("主要发现") && zh.contains("万元"), "{zh}");
    assert!(!zh.contains("M yuan"), "{zh}");
}

/// A run of 7 or more digits (with or without thousands separators): eight-digit yuan.
fn has_long_number(s: &str) -> bool {
    let mut run = 0;
    for ch in s.chars() {
        if ch.is_ascii_digit() {
            run += 1;
            if run >= 7 {
                return true;
            }
        } else if ch != ',' {
            run = 0;
        }
    }
    false
}
