//! The levers the dashboard shows. The selection, its order, each lever's line of reform, the
//! slider's teaching range and the labels in English and Simplified Chinese are the
//! dashboard's own (`PICKS`); the kind, the allowed range, the unit, the default and a choice's
//! variants come from the typed parameter registry (`scenario::param_specs`), which the scenario
//! loader, `towngov params`, sweeps, sensitivity and the lever audit read too. Any value the
//! scenario file accepts is taken, also beyond the teaching range.

use std::sync::LazyLock;

use serde::Serialize;
use serde_json::{Value, json};
use towngov::experiment::params::Kind;
use towngov::scenario::{Domain, ParamSpec};

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
    /// One of the named variants of the scenario file, in the registry's order.
    Choice { choices: &'static [Choice] },
}

/// A variant of an enum lever, as the scenario file spells it, with its labels.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Choice {
    pub value: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
}

/// A lever as the page shows it: the dashboard's pick joined with the registry's entry.
#[derive(Clone, Copy, Debug)]
pub struct Lever {
    pub path: &'static str,
    pub group: Group,
    pub control: Control,
    pub en: &'static str,
    pub zh: &'static str,
    /// The registry's entry: kind (domain), allowed range, unit, default, meaning, source.
    pub spec: &'static ParamSpec,
}

impl Lever {
    /// The kind `experiment::params::Base` sets a number or flag lever as (none for a choice),
    /// from the registry's domain.
    pub fn kind(&self) -> Option<Kind> {
        match self.spec.domain {
            Domain::Real { .. } => Some(Kind::Real),
            Domain::Whole { .. } => Some(Kind::Whole),
            Domain::Flag => Some(Kind::Flag),
            _ => None,
        }
    }

    /// What the page receives: the control and labels, the allowed range and unit it shows,
    /// and the registry's entry (kind with its bounds or variants, unit, default).
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "path": self.path,
            "group": self.group,
            "en": self.en,
            "zh": self.zh,
            "allowed": self.spec.range,
            "unit": self.spec.unit,
            "registry": {
                "domain": self.spec.domain,
                "unit": self.spec.unit,
                "default": self.spec.default,
                "range": self.spec.range,
            },
        });
        if let (Value::Object(m), Ok(Value::Object(c))) =
            (&mut v, serde_json::to_value(self.control))
        {
            m.extend(c);
        }
        v
    }
}

/// Every lever the page shows, in the order it shows them: each pick that agrees with the
/// registry (all of them: the unit test checks it).
pub static LEVERS: LazyLock<Vec<Lever>> = LazyLock::new(|| {
    levers(super::town::spec)
        .into_iter()
        .filter_map(Result::ok)
        .collect()
});

/// The lever named by `path`.
pub fn find(path: &str) -> Option<&'static Lever> {
    LEVERS.iter().find(|l| l.path == path)
}

/// Each pick joined with its registry entry (looked up with `registry`), or why it cannot be.
fn levers(registry: impl Fn(&str) -> Option<&'static ParamSpec>) -> Vec<Result<Lever, String>> {
    PICKS
        .iter()
        .map(|p| match registry(p.path) {
            Some(spec) => agree(p, spec),
            None => Err(format!(
                "{}: not a parameter of the registry (`towngov params`)",
                p.path
            )),
        })
        .collect()
}

/// The lever for `pick` if its control fits the registry's domain: a slider for a real number
/// and a count for a whole one, each within the allowed range; a switch for a flag; a choice
/// labelling exactly the registry's variants (put in the registry's order).
fn agree(pick: &Pick, spec: &'static ParamSpec) -> Result<Lever, String> {
    let path = pick.path;
    let control = match (&spec.domain, pick.control) {
        (Domain::Real { low, high }, Control::Slider { min, max, step }) => {
            if !(*low <= min && min < max && max <= *high && step > 0.0) {
                return Err(format!(
                    "{path}: the slider's {min} to {max} is not within the allowed {}",
                    spec.range
                ));
            }
            pick.control
        }
        (Domain::Whole { low, high }, Control::Count { min, max }) => {
            if !(*low <= f64::from(min) && min < max && f64::from(max) <= *high) {
                return Err(format!(
                    "{path}: the count's {min} to {max} is not within the allowed {}",
                    spec.range
                ));
            }
            pick.control
        }
        (Domain::Flag, Control::Switch) => Control::Switch,
        (Domain::Choice { variants }, Control::Choice { choices }) => {
            let labelled: Vec<Choice> = variants
                .iter()
                .filter_map(|v| choices.iter().find(|c| c.value == *v).copied())
                .collect();
            if labelled.len() != variants.len() || choices.len() != variants.len() {
                let names: Vec<&str> = choices.iter().map(|c| c.value).collect();
                return Err(format!(
                    "{path}: the dashboard labels {} but the registry's variants are {}",
                    names.join(", "),
                    variants.join(", ")
                ));
            }
            // Leaked once per lever when the table is built (a few bytes, for the process).
            Control::Choice {
                choices: Box::leak(labelled.into_boxed_slice()),
            }
        }
        (domain, control) => {
            return Err(format!(
                "{path}: the dashboard shows a {} but the registry's domain is {domain:?}",
                match control {
                    Control::Slider { .. } => "slider (real number)",
                    Control::Count { .. } => "count (whole number)",
                    Control::Switch => "switch (flag)",
                    Control::Choice { .. } => "choice",
                }
            ));
        }
    };
    Ok(Lever {
        path,
        group: pick.group,
        control,
        en: pick.en,
        zh: pick.zh,
        spec,
    })
}

/// A lever of the dashboard's table, before it meets the registry.
#[derive(Clone, Copy, Debug)]
struct Pick {
    path: &'static str,
    group: Group,
    control: Control,
    en: &'static str,
    zh: &'static str,
}

const fn slider(min: f64, max: f64, step: f64) -> Control {
    Control::Slider { min, max, step }
}

const fn count(min: u32, max: u32) -> Control {
    Control::Count { min, max }
}

const fn pick(
    path: &'static str,
    group: Group,
    control: Control,
    en: &'static str,
    zh: &'static str,
) -> Pick {
    Pick {
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

/// The levers the page shows, in the order it shows them: the dashboard's own choices (which
/// parameters, their line of reform, each slider's teaching range, the labels). A control
/// that disagrees with the registry (another kind, a range beyond the allowed one, variants
/// other than the registry's) leaves the lever out, and the unit test below fails.
static PICKS: &[Pick] = &[
    pick(
        "policy.committee.mode",
        M,
        Control::Choice {
            choices: COMMITTEE_MODES,
        },
        "Management committee",
        "管委会运行模式",
    ),
    pick(
        "policy.committee.n_departments",
        M,
        count(1, 20),
        "Departments",
        "部门数量",
    ),
    pick(
        "policy.platform.integration",
        M,
        slider(0.0, 1.0, 0.05),
        "Shared data platform (integration, 0-1)",
        "数据共享平台（整合程度，0-1）",
    ),
    pick(
        "policy.portal.coverage",
        M,
        slider(0.0, 1.0, 0.05),
        "One-stop online portal (share of matters)",
        "一站式网上政务平台（事项覆盖率）",
    ),
    pick(
        "policy.grid.workers_per_grid",
        M,
        count(0, 6),
        "Grid workers per grid",
        "每个网格的网格员人数",
    ),
    pick(
        "policy.grid.ledger_hours_per_department",
        M,
        slider(0.0, 1.0, 0.05),
        "Ledger hours a day per department (台账)",
        "每个部门每天的台账工时",
    ),
    pick(
        "policy.authority.enabled",
        M,
        Control::Switch,
        "Dispatch authority (吹哨报到)",
        "吹哨报到（街道吹哨、部门报到）",
    ),
    pick(
        "policy.one_trip.share",
        M,
        slider(0.0, 1.0, 0.05),
        "One-trip service (最多跑一次, share of matters)",
        "最多跑一次（事项比例）",
    ),
    pick(
        "policy.evaluation.hard_weight",
        M,
        slider(0.0, 1.0, 0.05),
        "Weight on hard indicators in evaluation",
        "考核中硬指标（招商、税收）的权重",
    ),
    pick(
        "policy.stewards.team.industry_association",
        S,
        count(0, 10),
        "Stewards from industry associations",
        "小镇管家：行业协会成员",
    ),
    pick(
        "policy.stewards.team.intermediary",
        S,
        count(0, 10),
        "Stewards from intermediaries",
        "小镇管家：中介机构成员",
    ),
    pick(
        "policy.stewards.team.leading_firm",
        S,
        count(0, 10),
        "Stewards from leading firms",
        "小镇管家：龙头企业成员",
    ),
    pick(
        "policy.stewards.team.angel_investor",
        S,
        count(0, 10),
        "Stewards who are angel investors",
        "小镇管家：天使投资人",
    ),
    pick(
        "policy.stewards.team.technical_expert",
        S,
        count(0, 10),
        "Stewards who are technical experts",
        "小镇管家：技术专家",
    ),
    pick(
        "policy.financing.fund_yuan",
        S,
        slider(0.0, 50_000_000.0, 1_000_000.0),
        "Financing platform fund (yuan)",
        "融资平台基金（元）",
    ),
    pick(
        "policy.financing.small_firm_quota",
        S,
        slider(0.0, 1.0, 0.05),
        "Fund's quota for small firms",
        "基金面向中小企业的配额",
    ),
    pick(
        "policy.operator.enabled",
        S,
        Control::Switch,
        "Operating service provider (neighbourhood centres)",
        "运营服务商（社区服务中心）",
    ),
    pick(
        "policy.operator.performance_pay",
        S,
        Control::Switch,
        "Operator paid by performance",
        "运营服务商按绩效付费",
    ),
    pick(
        "policy.self_governance.enabled",
        G,
        Control::Switch,
        "Elected self-governance committees",
        "选举产生的自治委员会",
    ),
    pick(
        "policy.self_governance.sanctions",
        G,
        Control::Switch,
        "Sanctions on free riding in volunteering",
        "对志愿服务中搭便车的约束",
    ),
    pick(
        "policy.social_orgs.funding",
        G,
        Control::Choice {
            choices: FUNDING_MODES,
        },
        "Funding of social organisations",
        "社会组织资助方式",
    ),
    pick(
        "policy.social_orgs.cultivation_yuan_per_year",
        G,
        slider(0.0, 2_000_000.0, 50_000.0),
        "Money to cultivate social organisations (yuan/year)",
        "社会组织培育资金（元/年）",
    ),
    pick(
        "policy.mediation.mediators_per_community",
        G,
        count(0, 10),
        "Mediators per community",
        "每个社区的调解员人数",
    ),
    pick(
        "policy.mediation.pay_yuan_per_month",
        G,
        slider(0.0, 8_000.0, 250.0),
        "Mediator pay (yuan/month)",
        "调解员报酬（元/月）",
    ),
    pick(
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

    fn registry() -> impl Fn(&str) -> Option<&'static ParamSpec> {
        let specs: &'static [ParamSpec] = Box::leak(param_specs().into_boxed_slice());
        move |path| specs.iter().find(|s| s.path == path)
    }

    #[test]
    fn every_lever_is_in_the_registry_and_agrees_with_it() {
        let built = levers(registry());
        let errors: Vec<&String> = built.iter().filter_map(|r| r.as_ref().err()).collect();
        assert!(
            errors.is_empty(),
            "levers that disagree with the registry: {errors:?}"
        );
        assert_eq!(LEVERS.len(), PICKS.len(), "every pick is shown");
        let base = Base::new(&RawScenario::default());
        for l in LEVERS.iter() {
            // The kind the registry gives is the one a value is set with.
            if let Some(kind) = l.kind() {
                assert_eq!(base.probe(l.path), Ok(kind), "{}", l.path);
            }
            if let Control::Choice { choices } = l.control {
                let Domain::Choice { variants } = &l.spec.domain else {
                    panic!("{}: a choice", l.path)
                };
                let values: Vec<&str> = choices.iter().map(|c| c.value).collect();
                assert_eq!(&values, variants, "{}", l.path);
                for c in choices {
                    assert!(!c.en.is_empty() && chinese(c.zh), "{}: {}", l.path, c.value);
                }
            }
            let page = l.to_json();
            assert_eq!(page["allowed"], l.spec.range.as_str(), "{}", l.path);
            assert_eq!(
                page["registry"]["default"],
                l.spec.default.as_str(),
                "{}",
                l.path
            );
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

    #[test]
    fn a_lever_that_disagrees_with_the_registry_is_caught() {
        let specs = registry();
        let real = specs("policy.platform.integration").unwrap();
        let flag = specs("policy.authority.enabled").unwrap();
        let modes = specs("policy.committee.mode").unwrap();
        let p = |path, control| pick(path, Group::Management, control, "x", "试");
        assert!(
            levers(|_| None)
                .iter()
                .all(|r| r.as_ref().is_err_and(|e| e.contains("not a parameter")))
        );
        let wide = agree(
            &p("policy.platform.integration", slider(0.0, 2.0, 0.1)),
            real,
        );
        assert!(wide.unwrap_err().contains("not within the allowed 0 to 1"));
        let kind = agree(&p("policy.authority.enabled", slider(0.0, 1.0, 0.1)), flag);
        assert!(kind.unwrap_err().contains("registry's domain is Flag"));
        let one = &[Choice {
            value: "Unified",
            en: "u",
            zh: "统",
        }];
        let few = agree(
            &p("policy.committee.mode", Control::Choice { choices: one }),
            modes,
        );
        assert!(
            few.unwrap_err()
                .contains("variants are Fragmented, Unified")
        );
        assert!(
            agree(
                &p("policy.platform.integration", slider(0.0, 1.0, 0.1)),
                real
            )
            .is_ok()
        );
    }
}
