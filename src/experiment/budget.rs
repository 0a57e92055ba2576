//! The whole-run budget, estimated before anything is allocated: the memory a run (or an
//! experiment of many runs) will need at its peak, the number of runs and the simulated
//! resident-days, from the scenario and the design alone. The command line compares the memory
//! with a limit (`--max-memory`, default the machine's) and refuses a job that would not fit,
//! instead of aborting on an allocation hours later.
//!
//! The figures are a model of the program's memory, calibrated on measured peaks (peak RSS of
//! `towngov run` at 1M residents with 6 and 50 ties, 200,000 firms, 1M grids, 5M open incidents
//! and 800,000 open needs; see docs/PERFORMANCE.md) and rounded up, not a proof: open cases are
//! counted as if none were ever resolved within their lifetime (a need lives at most
//! `patience_days`; incidents and firms' demands for the whole run), and growth of the town by
//! hiring from outside is covered only by a 25% margin. All arithmetic saturates, so any valid
//! input gives a (possibly enormous) figure in constant time.

use crate::scenario::Scenario;

/// Fixed cost of the program and one world.
const FIXED_BYTES: u64 = 24 << 20;
/// Per resident, without ties (measured: 455 bytes at 1M residents with 6 ties).
const RESIDENT_BYTES: u64 = 420;
/// Per tie of a resident (measured: 8 bytes; 50 ties add 344 MB at 1M residents).
const TIE_BYTES: u64 = 10;
/// Per grid (measured: 320 bytes at 1M grids).
const GRID_BYTES: u64 = 400;
/// Per firm (measured: 440 bytes at 200,000 firms).
const FIRM_BYTES: u64 = 500;
/// Per open case (measured: 175 bytes per open need, 260 per open incident).
const CASE_BYTES: u64 = 300;
/// Per resident in a saved state (0.6 MB for the default town of 5,460 residents).
const STATE_BYTES_PER_RESIDENT: u64 = 160;
/// Margin for what the model does not count (growth by hiring, allocator slack): 5/4.
const MARGIN_NUM: u64 = 5;
const MARGIN_DEN: u64 = 4;

/// What a job will take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Estimate {
    /// Peak memory, in bytes.
    pub bytes: u64,
    pub runs: u64,
    /// Residents x days summed over the runs.
    pub resident_days: u64,
}

impl Estimate {
    /// True when the memory fits in `limit` bytes.
    pub fn fits(&self, limit: u64) -> bool {
        self.bytes <= limit
    }
}

/// A size in bytes as people write it: `1.5 GiB`, `12.3 MB`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut x = bytes as f64;
    let mut unit = 0;
    while x >= 1024.0 && unit + 1 < UNITS.len() {
        x /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{x:.1} {}", UNITS[unit])
    }
}

/// Parses `8G`, `512MiB`, `1.5 GB`, `1000000` (bytes); units are powers of 1024.
pub fn parse_bytes(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let x: f64 = number
        .parse()
        .map_err(|_| format!("`{text}`: write a size such as 8G, 512M or 1.5GiB"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => {
            return Err(format!(
                "`{text}`: the unit must be one of K, M, G, T (powers of 1024)"
            ));
        }
    };
    let bytes = x * (1u64 << shift) as f64;
    if !bytes.is_finite() || bytes < 1.0 || bytes >= u64::MAX as f64 {
        return Err(format!(
            "`{text}`: must be at least 1 byte and below 16 EiB"
        ));
    }
    Ok(bytes as u64)
}

fn mul(a: u64, b: u64) -> u64 {
    a.saturating_mul(b)
}

/// A rate per year, as cases per day over `count` sources, rounded up.
fn per_day(count: u64, per_year: f64) -> u64 {
    let x = (count as f64) * per_year.max(0.0) / 365.0;
    if x >= u64::MAX as f64 {
        u64::MAX
    } else {
        x.ceil() as u64
    }
}

/// The most cases open at once in a run of `days` days of `s`.
pub fn peak_open_cases(s: &Scenario, days: u32) -> u64 {
    let days = u64::from(days.max(1));
    let needs_per_day: u64 = (0..4)
        .map(|k| {
            per_day(
                u64::from(s.town.residents[k]),
                s.needs.need_rate_per_year[k] + s.needs.dispute_rate_per_year[k],
            )
        })
        .fold(0, u64::saturating_add);
    let need_life = if s.needs.patience_days > 0.0 {
        days.min(s.needs.patience_days.ceil() as u64 + 1)
    } else {
        days
    };
    // Incidents arise per resident; the town holds at most its dwellings' worth of residents.
    let incidents_per_day = per_day(
        crate::sim::enterprises::dwellings(s),
        s.incidents.per_resident_per_year,
    );
    let firm_rate = s.firms.demands_per_year.iter().cloned().fold(0.0, f64::max)
        + s.firms.incidents_per_year * s.firms.high_risk_factor
        + s.firms.offer_per_year;
    let firm_cases_per_day = per_day(peak_firms(s, days as u32), firm_rate);
    mul(needs_per_day, need_life)
        .saturating_add(mul(incidents_per_day, days))
        .saturating_add(mul(firm_cases_per_day, days))
}

/// Firms at the start plus every entry over the run.
fn peak_firms(s: &Scenario, days: u32) -> u64 {
    let start: u64 = s.town.enterprises.iter().map(|&n| u64::from(n)).sum();
    let entries = (s.firms.entry_per_year + s.firms.promotion_entry_per_year).max(0.0)
        * f64::from(days)
        / 365.0;
    start.saturating_add(if entries >= u64::MAX as f64 {
        u64::MAX
    } else {
        entries.ceil() as u64
    })
}

/// Peak memory of one run of `days` days of `s`.
pub fn run_bytes(s: &Scenario, days: u32) -> u64 {
    let residents = s.town.n_residents();
    let per_resident = RESIDENT_BYTES + TIE_BYTES * u64::from(s.town.ties_per_resident);
    let model = mul(residents, per_resident)
        .saturating_add(mul(u64::from(s.town.n_grids()), GRID_BYTES))
        .saturating_add(mul(peak_firms(s, days), FIRM_BYTES))
        .saturating_add(mul(peak_open_cases(s, days), CASE_BYTES));
    FIXED_BYTES.saturating_add(mul(model, MARGIN_NUM) / MARGIN_DEN)
}

/// The size of a saved state of `s` (its residents and open cases).
pub fn state_bytes(s: &Scenario, days: u32) -> u64 {
    mul(s.town.n_residents(), STATE_BYTES_PER_RESIDENT)
        .saturating_add(mul(peak_open_cases(s, days), CASE_BYTES))
}

/// One run.
pub fn single(s: &Scenario, days: u32) -> Estimate {
    Estimate {
        bytes: run_bytes(s, days),
        runs: 1,
        resident_days: mul(s.town.n_residents(), u64::from(days)),
    }
}

/// Per resident row of a `--agents-at` snapshot held at once: the row (about 120 bytes) and,
/// for Parquet, its column buffers and page (about as much again).
const AGENT_ROW_BYTES: u64 = 256;

/// What `towngov run --agents-at` adds to a run: one day's rows of residents and firms at a
/// time. Rows are written (CSV) or flushed as a row group (Parquet) on each day asked, never
/// held across days, so this does not grow with the number of days asked; the residents are
/// counted with the 25% margin for growth.
pub fn agent_rows(s: &Scenario, days: u32) -> u64 {
    let rows = s.town.n_residents().saturating_add(peak_firms(s, days));
    mul(mul(rows, AGENT_ROW_BYTES), MARGIN_NUM) / MARGIN_DEN
}

/// Replications of several options over `days` days (after `warm_up_days` of the first), run
/// `threads` at a time. Counts the worlds running at once, the saved warm-up states of a chunk,
/// each option's daily bands (8 plotted series) and the key figures of every run.
pub fn comparison(
    options: &[&Scenario],
    reps: u64,
    days: u32,
    warm_up_days: u32,
    threads: u64,
) -> Estimate {
    let all_days = days.saturating_add(warm_up_days);
    let biggest = options
        .iter()
        .map(|s| run_bytes(s, all_days))
        .max()
        .unwrap_or(FIXED_BYTES);
    let n_opt = options.len() as u64;
    let runs = mul(n_opt, reps);
    let chunk = mul(threads.max(1), 4).min(reps.max(1));
    let worlds = mul(
        threads.max(1).min(runs.max(1)),
        biggest.saturating_sub(FIXED_BYTES),
    );
    let states = if warm_up_days > 0 {
        mul(
            chunk,
            options
                .iter()
                .map(|s| state_bytes(s, warm_up_days))
                .max()
                .unwrap_or(0),
        )
    } else {
        0
    };
    // Per option and day: 8 series, a running mean and variance (24 bytes) and a band of three
    // numbers (24 bytes), and about 200 bytes of text in comparison.json and the page.
    let bands = mul(mul(n_opt, u64::from(days)), 8 * (24 + 24 + 200));
    // Each run in a chunk keeps its plotted daily rows; every run keeps its key figures.
    let rows = mul(mul(mul(chunk, n_opt), u64::from(days)), 8 * 8);
    let figures = mul(runs, 24 * 8 + 64);
    let resident_days = options
        .iter()
        .map(|s| mul(mul(s.town.n_residents(), u64::from(all_days)), reps))
        .fold(0, u64::saturating_add);
    Estimate {
        bytes: FIXED_BYTES
            .saturating_add(worlds)
            .saturating_add(states)
            .saturating_add(bands)
            .saturating_add(rows)
            .saturating_add(figures),
        runs,
        resident_days,
    }
}

/// A sweep or sensitivity analysis: `points` design points of `n_params` parameters, each run
/// `replications` times for `days` days of `base` (the design changes levers, not the town's
/// size, so the base scenario stands for every point), `daily` daily indicators kept per run,
/// `runs` of them in this shard, `threads` at a time.
pub struct Design<'a> {
    pub base: &'a Scenario,
    pub days: u32,
    pub points: u64,
    pub n_params: u64,
    pub runs: u64,
    pub daily: u64,
    pub threads: u64,
}

pub fn design(d: &Design) -> Estimate {
    let threads = d.threads.max(1);
    let chunk = mul(threads, 4);
    let worlds = mul(
        threads.min(d.runs.max(1)),
        run_bytes(d.base, d.days).saturating_sub(FIXED_BYTES),
    );
    // The design (unit and scaled points, and its text in the fingerprint), the run list.
    let design = mul(mul(d.points, d.n_params), 8 * 2 + 24);
    let run_list = mul(d.runs, 8);
    let rows = mul(mul(chunk, u64::from(d.days)), mul(d.daily, 8));
    Estimate {
        bytes: FIXED_BYTES
            .saturating_add(worlds)
            .saturating_add(design)
            .saturating_add(run_list)
            .saturating_add(rows),
        runs: d.runs,
        resident_days: mul(mul(d.base.town.n_residents(), u64::from(d.days)), d.runs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_and_print() {
        assert_eq!(parse_bytes("8G"), Ok(8 << 30));
        assert_eq!(parse_bytes("512 MiB"), Ok(512 << 20));
        assert_eq!(parse_bytes("1.5gb"), Ok(3 << 29));
        assert_eq!(parse_bytes("1000"), Ok(1000));
        assert!(parse_bytes("lots").is_err());
        assert!(parse_bytes("3 parsecs").is_err());
        assert!(parse_bytes("0").is_err());
        assert!(parse_bytes("1e30").is_err());
        assert_eq!(human_bytes(3 << 29), "1.5 GiB");
        assert_eq!(human_bytes(100), "100 bytes");
    }

    #[test]
    fn the_default_town_is_small_and_the_largest_is_not() {
        let s = Scenario::default_town();
        let e = single(&s, s.days);
        assert!(
            e.bytes > 24 << 20 && e.bytes < 64 << 20,
            "{}",
            human_bytes(e.bytes)
        );
        let mut big = s.clone();
        big.town.residents = [5_000_000; 4];
        let b = single(&big, big.days);
        assert!(b.bytes > 8 << 30, "{}", human_bytes(b.bytes));
        assert_eq!(b.resident_days, 20_000_000 * 1095);
    }

    #[test]
    fn agent_rows_count_one_day_of_residents_and_firms() {
        let s = Scenario::default_town();
        let one = agent_rows(&s, s.days);
        // At least a row per resident, at most a small share of the run itself.
        assert!(one >= s.town.n_residents() * 120, "{}", human_bytes(one));
        assert!(one < single(&s, s.days).bytes / 4, "{}", human_bytes(one));
        let mut big = s.clone();
        big.town.residents = [u32::MAX; 4];
        assert!(
            agent_rows(&big, big.days) > one * 1000,
            "grows with the town"
        );
    }

    #[test]
    fn open_cases_grow_with_the_rates_and_saturate() {
        let s = Scenario::default_town();
        let mut busy = s.clone();
        busy.needs.need_rate_per_year = [2000.0; 4];
        busy.needs.patience_days = 0.0;
        // 5,000 residents x 2,000 needs a year, none given up, for 100 years.
        let extra = peak_open_cases(&busy, 36_500) - peak_open_cases(&s, 36_500);
        assert!(
            (5000 * 2000 * 100..5000 * 2000 * 101).contains(&extra),
            "{extra}"
        );
        busy.town.residents = [u32::MAX; 4];
        busy.incidents.per_resident_per_year = f64::MAX;
        // Saturates instead of overflowing.
        assert!(
            run_bytes(&busy, 36_500) >= u64::MAX / MARGIN_DEN,
            "saturates"
        );
    }

    #[test]
    fn comparisons_count_their_bands_and_runs() {
        let s = Scenario::default_town();
        let few = comparison(&[&s, &s], 20, 1095, 0, 2);
        assert_eq!(few.runs, 40);
        let many: Vec<&Scenario> = std::iter::repeat_n(&s, 300).collect();
        let wide = comparison(&many, 2, 36_500, 0, 2);
        // 300 options x 36,500 days of bands alone is over 2 GB.
        assert!(wide.bytes > 2_000_000_000, "{}", human_bytes(wide.bytes));
        assert!(few.bytes < 200 << 20, "{}", human_bytes(few.bytes));
    }
}
