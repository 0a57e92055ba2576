//! The levers the dashboard shows: a path in the scenario file, the control the page draws
//! (the slider's range is a teaching range; any value the scenario file accepts is taken), and
//! labels in English and Simplified Chinese.

use serde::Serialize;
use towngov::experiment::params::Kind;

/// Which line of reform a lever belongs to (the seed material's three lines).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Management,
    Service,
    SelfGovernance,
}

/// The control the page draws, and the kind of value the lever takes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "control", rename_all = "snake_case")]
pub enum Control {
    /// A real number; the slider runs from `min` to `max` in steps of `step`.
    Slider { min: f64, max: f64, step: f64 },
    /// A whole number; the slider runs from `min` to `max`.
    Count { min: u32, max: u32 },
    /// On or off.
    Switch,
    /// One of the named variants of the scenario file.
    Choice { choices: &'static [Choice] },
}

/// A variant of an enum lever, as the scenario file spells it, with its labels.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Choice {
    pub value: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Lever {
    pub path: &'static str,
    pub group: Group,
    #[serde(flatten)]
    pub control: Control,
    pub en: &'static str,
    pub zh: &'static str,
}

impl Lever {
    /// The kind `experiment::params::Base` sets a number or flag lever as (none for a choice).
    pub fn kind(&self) -> Option<Kind> {
        match self.control {
            Control::Slider { .. } => Some(Kind::Real),
            Control::Count { .. } => Some(Kind::Whole),
            Control::Switch => Some(Kind::Flag),
            Control::Choice { .. } => None,
        }
    }
}

/// The lever named by `path`.
pub fn find(path: &str) -> Option<&'static Lever> {
    LEVERS.iter().find(|l| l.path == path)
}

const fn slider(min: f64, max: f64, step: f64) -> Control {
    Control::Slider { min, max, step }
}

const fn count(min: u32, max: u32) -> Control {
    Control::Count { min, max }
}

const fn lever(
    path: &'static str,
    group: Group,
    control: Control,
    en: &'static str,
    zh: &'static str,
) -> Lever {
    Lever {
        path,
        group,
        control,
        en,
        zh,
    }
}

const COMMITTEE_MODES: &[Choice] = &[
    Choice {
        value: "Fragmented",
        en: "Fragmented (many sections)",
        zh: "分散（科室林立）",
    },
    Choice {
        value: "Unified",
        en: "Unified (大部制, meetings)",
        zh: "大部制（定期例会）",
    },
];

const FUNDING_MODES: &[Choice] = &[
    Choice {
        value: "Block",
        en: "Block grants",
        zh: "整体拨款",
    },
    Choice {
        value: "Project",
        en: "Project funding",
        zh: "项目制（政府购买服务）",
    },
];

use Group::{Management as M, SelfGovernance as G, Service as S};

/// Every lever the page shows, in the order it shows them.
pub static LEVERS: &[Lever] = &[
    lever(
        "policy.committee.mode",
        M,
        Control::Choice {
            choices: COMMITTEE_MODES,
        },
        "Management committee",
        "管委会运行模式",
    ),
    lever(
        "policy.committee.n_departments",
        M,
        count(1, 20),
        "Departments",
        "部门数量",
    ),
    lever(
        "policy.platform.integration",
        M,
        slider(0.0, 1.0, 0.05),
        "Shared data platform (integration, 0-1)",
        "数据共享平台（整合程度，0-1）",
    ),
    lever(
        "policy.portal.coverage",
        M,
        slider(0.0, 1.0, 0.05),
        "One-stop online portal (share of matters)",
        "一站式网上政务平台（事项覆盖率）",
    ),
    lever(
        "policy.grid.workers_per_grid",
        M,
        count(0, 6),
        "Grid workers per grid",
        "每个网格的网格员人数",
    ),
    lever(
        "policy.grid.ledger_hours_per_department",
        M,
        slider(0.0, 1.0, 0.05),
        "Ledger hours a day per department (台账)",
        "每个部门每天的台账工时",
    ),
    lever(
        "policy.authority.enabled",
        M,
        Control::Switch,
        "Dispatch authority (吹哨报到)",
        "吹哨报到（街道吹哨、部门报到）",
    ),
    lever(
        "policy.one_trip.share",
        M,
        slider(0.0, 1.0, 0.05),
        "One-trip service (最多跑一次, share of matters)",
        "最多跑一次（事项比例）",
    ),
    lever(
        "policy.evaluation.hard_weight",
        M,
        slider(0.0, 1.0, 0.05),
        "Weight on hard indicators in evaluation",
        "考核中硬指标（招商、税收）的权重",
    ),
    lever(
        "policy.stewards.team.industry_association",
        S,
        count(0, 10),
        "Stewards from industry associations",
        "小镇管家：行业协会成员",
    ),
    lever(
        "policy.stewards.team.intermediary",
        S,
        count(0, 10),
        "Stewards from intermediaries",
        "小镇管家：中介机构成员",
    ),
    lever(
        "policy.stewards.team.leading_firm",
        S,
        count(0, 10),
        "Stewards from leading firms",
        "小镇管家：龙头企业成员",
    ),
    lever(
        "policy.stewards.team.angel_investor",
        S,
        count(0, 10),
        "Stewards who are angel investors",
        "小镇管家：天使投资人",
    ),
    lever(
        "policy.stewards.team.technical_expert",
        S,
        count(0, 10),
        "Stewards who are technical experts",
        "小镇管家：技术专家",
    ),
    lever(
        "policy.financing.fund_yuan",
        S,
        slider(0.0, 50_000_000.0, 1_000_000.0),
        "Financing platform fund (yuan)",
        "融资平台基金（元）",
    ),
    lever(
        "policy.financing.small_firm_quota",
        S,
        slider(0.0, 1.0, 0.05),
        "Fund's quota for small firms",
        "基金面向中小企业的配额",
    ),
    lever(
        "policy.operator.enabled",
        S,
        Control::Switch,
        "Operating service provider (neighbourhood centres)",
        "运营服务商（社区服务中心）",
    ),
    lever(
        "policy.operator.performance_pay",
        S,
        Control::Switch,
        "Operator paid by performance",
        "运营服务商按绩效付费",
    ),
    lever(
        "policy.self_governance.enabled",
        G,
        Control::Switch,
        "Elected self-governance committees",
        "选举产生的自治委员会",
    ),
    lever(
        "policy.self_governance.sanctions",
        G,
        Control::Switch,
        "Sanctions on free riding in volunteering",
        "对志愿服务中搭便车的约束",
    ),
    lever(
        "policy.social_orgs.funding",
        G,
        Control::Choice {
            choices: FUNDING_MODES,
        },
        "Funding of social organisations",
        "社会组织资助方式",
    ),
    lever(
        "policy.social_orgs.cultivation_yuan_per_year",
        G,
        slider(0.0, 2_000_000.0, 50_000.0),
        "Money to cultivate social organisations (yuan/year)",
        "社会组织培育资金（元/年）",
    ),
    lever(
        "policy.mediation.mediators_per_community",
        G,
        count(0, 10),
        "Mediators per community",
        "每个社区的调解员人数",
    ),
    lever(
        "policy.mediation.pay_yuan_per_month",
        G,
        slider(0.0, 8_000.0, 250.0),
        "Mediator pay (yuan/month)",
        "调解员报酬（元/月）",
    ),
    lever(
        "policy.mediation.legal_backing",
        G,
        Control::Switch,
        "Judicial confirmation of mediated agreements",
        "调解协议司法确认",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use towngov::experiment::params::Base;
    use towngov::scenario::{param_specs, raw::RawScenario};

    fn chinese(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_lever_is_a_parameter_of_its_kind_with_labels_in_both_languages() {
        let base = Base::new(&RawScenario::default());
        let specs = param_specs();
        for l in LEVERS {
            let spec = specs.iter().find(|s| s.path == l.path);
            let spec = spec.unwrap_or_else(|| panic!("{}: not a parameter", l.path));
            match (l.kind(), l.control) {
                (Some(kind), _) => assert_eq!(base.probe(l.path), Ok(kind), "{}", l.path),
                (None, Control::Choice { choices }) => {
                    let names: Vec<&str> = choices.iter().map(|c| c.value).collect();
                    assert_eq!(names.join(", "), spec.range, "{}", l.path);
                    for c in choices {
                        assert!(!c.en.is_empty() && chinese(c.zh), "{}: {}", l.path, c.value);
                    }
                }
                (None, _) => unreachable!(),
            }
            assert!(!l.en.is_empty() && chinese(l.zh), "{}: labels", l.path);
            assert!(
                l.path.starts_with("policy."),
                "{}: levers are policy",
                l.path
            );
        }
        let mut paths: Vec<&str> = LEVERS.iter().map(|l| l.path).collect();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), LEVERS.len(), "a lever is listed twice");
    }
}
