//! Money for a planner: k / M yuan in English, 万 / 亿 元 in Chinese, about three significant
//! figures, never a bare eight-digit number of yuan.

use super::format::num;
use super::i18n::Lang;

/// `yuan` in readable units: English `950 yuan`, `5.65 k yuan`, `10.5 M yuan`, `1,250 M yuan`;
/// Chinese under 1 万 in 元 (`5,650 元`), then `2.35 万元`, `1,180 万元`, `1.23 亿元`. `signed`
/// puts `+` before a positive amount. Not finite: `n/a`.
pub fn money(yuan: f64, lang: Lang, signed: bool) -> String {
    if !yuan.is_finite() {
        return "n/a".to_string();
    }
    // (threshold, divisor, unit) from the largest; the first whose rounded value stays at
    // least 1 in it is taken, so 999,960 yuan reads 1.00 M, not 1,000 k.
    let units: &[(f64, &str)] = match lang {
        Lang::En => &[(1e6, " M yuan"), (1e3, " k yuan")],
        Lang::ZhCn => &[(1e8, " 亿元"), (1e4, " 万元")],
    };
    for &(div, unit) in units {
        let v = yuan / div;
        let rounded = round3(v);
        if rounded.abs() >= 1.0 {
            return format!("{}{unit}", num(rounded, decimals(rounded), signed));
        }
    }
    let plain = match lang {
        Lang::En => " yuan",
        Lang::ZhCn => " 元",
    };
    format!("{}{plain}", num(yuan.round(), 0, signed))
}

/// Decimals for about three significant figures: 2 under 10, 1 under 100, else 0.
fn decimals(v: f64) -> usize {
    let a = v.abs();
    if a < 10.0 {
        2
    } else if a < 100.0 {
        1
    } else {
        0
    }
}

/// `v` rounded to the decimals it will be shown with (so 9.996 becomes 10.0, shown as 10.0).
fn round3(v: f64) -> f64 {
    let d = decimals(v) as i32;
    let f = 10f64.powi(d);
    let r = (v * f).round() / f;
    // Rounding may cross into the next band (9.996 -> 10.00): round again in that band.
    let d2 = decimals(r) as i32;
    let f2 = 10f64.powi(d2);
    (v * f2).round() / f2
}

#[cfg(test)]
mod tests {
    use super::*;
    use Lang::{En, ZhCn};

    #[test]
    fn english_uses_k_and_m() {
        assert_eq!(money(950.0, En, false), "950 yuan");
        assert_eq!(money(5_650.4, En, false), "5.65 k yuan");
        assert_eq!(money(10_500_000.0, En, true), "+10.5 M yuan");
        assert_eq!(money(-11_800_000.0, En, true), "-11.8 M yuan");
        assert_eq!(money(22_345_678.0, En, false), "22.3 M yuan");
        assert_eq!(money(1_250_000_000.0, En, false), "1,250 M yuan");
        assert_eq!(money(999_960.0, En, false), "1.00 M yuan");
        assert_eq!(money(999.6, En, false), "1.00 k yuan");
        assert_eq!(money(0.0, En, true), "0 yuan");
        assert_eq!(money(f64::NAN, En, false), "n/a");
    }

    #[test]
    fn chinese_uses_wan_and_yi() {
        assert_eq!(money(950.0, ZhCn, false), "950 元");
        assert_eq!(money(5_650.0, ZhCn, false), "5,650 元");
        assert_eq!(money(23_500.0, ZhCn, false), "2.35 万元");
        assert_eq!(money(10_500_000.0, ZhCn, true), "+1,050 万元");
        assert_eq!(money(-11_800_000.0, ZhCn, true), "-1,180 万元");
        assert_eq!(money(123_456_789.0, ZhCn, false), "1.23 亿元");
        assert_eq!(money(99_996_000.0, ZhCn, false), "1.00 亿元");
        assert_eq!(money(-9_999.6, ZhCn, false), "-1.00 万元");
        assert_eq!(money(f64::INFINITY, ZhCn, false), "n/a");
    }

    #[test]
    fn never_eight_digits_of_yuan() {
        for x in [12_345_678.0, -98_765_432.1, 55_555_555.0] {
            for lang in [En, ZhCn] {
                let s = money(x, lang, true);
                let digits = s.chars().filter(char::is_ascii_digit).count();
                assert!(digits <= 4, "{s}");
            }
        }
    }
}
