//! An experiment as the query string of a shareable link.
//!
//! `lb-overload?backends=2&seed=7&vary=backends:1,2,4&t=30` carries the
//! preset, every parameter that differs from it, the seed, the variants to
//! compare and the simulated time to jump to — everything needed to
//! reproduce exactly what the sender saw. Decoding never fails as a whole: a
//! bad entry is reported with its key, its value and what is allowed, and
//! that key keeps its default, so the rest of the link still works.

use crate::catalog::Variants;
use crate::experiment::{Experiment, ResolveError};
use crate::pattern::Pattern;
use crate::sweep::{Asked, Axis};
use std::fmt::Write;

/// What a link describes.
#[derive(Clone, Debug)]
pub struct Shared {
    /// The experiment: pattern or preset, parameters, seed.
    pub experiment: Experiment,
    /// Variants that can run side by side: a key and its values.
    pub vary: (String, Vec<String>),
    /// Whether the variants are running side by side.
    pub compare: bool,
    /// Simulated seconds to jump to on opening.
    pub time: Option<f64>,
    /// The sweep to draw, if any.
    pub sweep: Option<Asked>,
}

/// Keys of the query that are not parameters.
const SEED: &str = "seed";
const VARY: &str = "vary";
const TIME: &str = "t";
const COMPARE: &str = "compare";
/// A sweep: `sweep=arrival_rate:50..350:13`, with `sweep_log=true`,
/// `sweep_metric=p99 latency,p50 latency` and `sweep_seeds=5`.
const SWEEP: &str = "sweep";
const SWEEP_LOG: &str = "sweep_log";
const SWEEP_METRIC: &str = "sweep_metric";
const SWEEP_SEEDS: &str = "sweep_seeds";

impl Shared {
    /// The state of a freshly opened preset or pattern, among every
    /// pattern: its own variants, time zero.
    pub fn open(name: &str) -> Result<Shared, ResolveError> {
        Shared::open_in(crate::all(), name)
    }

    /// [`Shared::open`] among `patterns` only.
    pub fn open_in(patterns: &[&'static Pattern], name: &str) -> Result<Shared, ResolveError> {
        let experiment = Experiment::resolve_in(patterns, name)?;
        let vary = owned(opening_variants(&experiment));
        Ok(Shared {
            experiment,
            vary,
            compare: false,
            time: None,
            sweep: None,
        })
    }

    /// Decode the query of a link to `name`, among every pattern. Returns
    /// the state and one message per entry that could not be used.
    pub fn decode(name: &str, query: &str) -> Result<(Shared, Vec<String>), ResolveError> {
        Shared::decode_in(crate::all(), name, query)
    }

    /// [`Shared::decode`] among `patterns` only: what a page of the site,
    /// which runs one pattern, decodes its links with.
    pub fn decode_in(
        patterns: &[&'static Pattern],
        name: &str,
        query: &str,
    ) -> Result<(Shared, Vec<String>), ResolveError> {
        let mut shared = Shared::open_in(patterns, name)?;
        let mut problems = Vec::new();
        let mut sweep = SweepEntries::default();
        for entry in query.split('&').filter(|e| !e.is_empty()) {
            let (raw_key, raw_value) = entry.split_once('=').unwrap_or((entry, ""));
            let (key, value) = match (percent_decode(raw_key), percent_decode(raw_value)) {
                (Some(k), Some(v)) => (k, v),
                _ => {
                    problems.push(format!("'{entry}' is not valid percent-encoding"));
                    continue;
                }
            };
            let applied = match key.as_str() {
                SWEEP | SWEEP_LOG | SWEEP_METRIC | SWEEP_SEEDS => sweep.apply(&key, &value),
                _ => shared.apply(&key, &value),
            };
            if let Err(message) = applied {
                problems.push(message);
            }
        }
        // Values that are each fine may still clash (a warm-up longer than
        // the duration): the offending key goes back to its opening value.
        while let Err(e) = shared.experiment.validate() {
            problems.push(e.to_string());
            let fresh = Shared::open_in(patterns, name)?.experiment;
            let opening = fresh.settings().get(e.key());
            match opening {
                Some(v) if opening != shared.experiment.settings().get(e.key()) => {
                    shared
                        .experiment
                        .set(e.key(), &v)
                        .map_err(|_| ResolveError::new(name, patterns))?;
                }
                // Resetting that key cannot help: start from the opening
                // values, keeping the seed.
                _ => {
                    let seed = shared.experiment.seed();
                    shared.experiment = fresh;
                    shared.experiment.set_seed(seed);
                }
            }
        }
        // A sweep is checked against the settings it runs with, once they
        // are settled; a sweep that cannot run is left out, and said so.
        match sweep.asked() {
            Ok(None) => {}
            Ok(Some(asked)) => match asked.plan(&shared.experiment, &shared.vary) {
                Ok(_) => shared.sweep = Some(asked),
                Err(e) => problems.push(format!("The sweep in this link cannot run: {e}.")),
            },
            Err(message) => problems.push(message),
        }
        Ok((shared, problems))
    }

    fn apply(&mut self, key: &str, value: &str) -> Result<(), String> {
        match key {
            SEED => {
                let seed = value.parse().map_err(|_| {
                    format!(
                        "{SEED}={value} is not allowed: {SEED} must be a whole number from 0 to {}",
                        u64::MAX
                    )
                })?;
                self.experiment.set_seed(seed);
            }
            VARY => {
                let bad = || {
                    format!(
                        "{VARY}={value} is not allowed: {VARY} must be key:value1,value2,… with values of that parameter"
                    )
                };
                let (k, values) = value.split_once(':').ok_or_else(bad)?;
                let values: Vec<String> = values.split(',').map(str::to_owned).collect();
                if values.iter().any(String::is_empty) {
                    return Err(bad());
                }
                for v in &values {
                    let mut probe = self.experiment.clone();
                    probe.set(k, v).map_err(|e| e.to_string())?;
                }
                self.vary = (k.to_owned(), values);
            }
            COMPARE => {
                self.compare = match value {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(format!(
                            "{COMPARE}={value} is not allowed: {COMPARE} must be true or false"
                        ));
                    }
                };
            }
            TIME => {
                let t: f64 = value
                    .parse()
                    .ok()
                    .filter(|t: &f64| t.is_finite() && *t >= 0.0)
                    .ok_or_else(|| format!("{TIME}={value} is not allowed: {TIME} must be a number of seconds from 0"))?;
                self.time = Some(t);
            }
            _ => self.experiment.set(key, value).map_err(|e| e.to_string())?,
        }
        Ok(())
    }

    /// The query string: only what differs from opening `name` afresh.
    pub fn encode(&self) -> String {
        let pattern = self.experiment.pattern();
        let base = self.experiment.preset().map_or_else(
            || pattern.defaults(),
            |p| Experiment::from_preset(pattern, p).settings().clone(),
        );
        let mut parts: Vec<(String, String)> = Vec::new();
        for spec in self.experiment.pattern().specs() {
            let value = self.experiment.settings().get(spec.key);
            if value != base.get(spec.key) {
                parts.push((spec.key.to_owned(), value.unwrap_or_default()));
            }
        }
        let default_seed = Experiment::resolve_in(&[pattern], self.name()).map(|e| e.seed());
        if Ok(self.experiment.seed()) != default_seed {
            parts.push((SEED.into(), self.experiment.seed().to_string()));
        }
        if self.vary != owned(opening_variants(&self.experiment)) {
            let (key, values) = &self.vary;
            parts.push((VARY.into(), format!("{key}:{}", values.join(","))));
        }
        if self.compare {
            parts.push((COMPARE.into(), "true".into()));
        }
        if let Some(t) = self.time {
            parts.push((TIME.into(), t.to_string()));
        }
        if let Some(sweep) = &self.sweep {
            let a = &sweep.axis;
            parts.push((
                SWEEP.into(),
                format!("{}:{}..{}:{}", a.key, a.from, a.to, a.points),
            ));
            if a.log {
                parts.push((SWEEP_LOG.into(), "true".into()));
            }
            parts.push((SWEEP_METRIC.into(), sweep.metrics.join(",")));
            if sweep.seeds != crate::sweep::PAGE_SEEDS {
                parts.push((SWEEP_SEEDS.into(), sweep.seeds.to_string()));
            }
        }
        let mut query = String::new();
        for (i, (k, v)) in parts.iter().enumerate() {
            if i > 0 {
                query.push('&');
            }
            let _ = write!(query, "{}={}", percent_encode(k), percent_encode(v));
        }
        query
    }

    /// The preset or pattern id the link points at.
    pub fn name(&self) -> &'static str {
        self.experiment
            .preset()
            .map_or_else(|| self.experiment.pattern().id(), |p| p.id)
    }
}

/// The entries of a link that describe a sweep, gathered before the sweep
/// is put together from them.
#[derive(Default)]
struct SweepEntries {
    axis: Option<String>,
    log: bool,
    metrics: Option<Vec<String>>,
    seeds: Option<usize>,
}

impl SweepEntries {
    fn apply(&mut self, key: &str, value: &str) -> Result<(), String> {
        match key {
            SWEEP => self.axis = Some(value.to_owned()),
            SWEEP_LOG => {
                self.log = match value {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(format!(
                            "{SWEEP_LOG}={value} is not allowed: {SWEEP_LOG} must be true or false"
                        ));
                    }
                }
            }
            SWEEP_METRIC => {
                let metrics: Vec<String> = value.split(',').map(str::to_owned).collect();
                if metrics.iter().any(String::is_empty) {
                    return Err(format!(
                        "{SWEEP_METRIC}={value} is not allowed: {SWEEP_METRIC} must be headline numbers separated by commas, e.g. p99 latency"
                    ));
                }
                self.metrics = Some(metrics);
            }
            _ => {
                let seeds = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=crate::sweep::MAX_SEEDS).contains(n));
                self.seeds = Some(seeds.ok_or_else(|| {
                    format!(
                        "{SWEEP_SEEDS}={value} is not allowed: {SWEEP_SEEDS} must be a whole number from 1 to {}",
                        crate::sweep::MAX_SEEDS
                    )
                })?);
            }
        }
        Ok(())
    }

    /// The sweep the entries describe, if any; what is wrong, if they
    /// describe none properly.
    fn asked(self) -> Result<Option<Asked>, String> {
        let Some(text) = self.axis else {
            return match (self.metrics, self.seeds) {
                (None, None) if !self.log => Ok(None),
                _ => Err(format!(
                    "{SWEEP_LOG}, {SWEEP_METRIC} and {SWEEP_SEEDS} describe a sweep, but the link has no {SWEEP}=KEY:FROM..TO:POINTS"
                )),
            };
        };
        let bad = |why: String| {
            format!(
                "{SWEEP}={text} is not allowed: {SWEEP} must be KEY:FROM..TO:POINTS, e.g. arrival_rate:50..350:13 ({why})"
            )
        };
        let (key, range) = text
            .split_once(':')
            .ok_or_else(|| bad("it has no ':' after the parameter".into()))?;
        let axis =
            Axis::parse(&format!("{key}={range}"), self.log).map_err(|e| bad(e.to_string()))?;
        let metrics = self.metrics.ok_or_else(|| {
            format!("{SWEEP}={text} names no headline number to draw: add {SWEEP_METRIC}=, e.g. {SWEEP_METRIC}=p99 latency")
        })?;
        Ok(Some(Asked {
            axis,
            metrics,
            seeds: self.seeds.unwrap_or(crate::sweep::PAGE_SEEDS),
        }))
    }
}

/// The variants an experiment offers to compare when opened: its preset's,
/// or else its pattern's.
fn opening_variants(experiment: &Experiment) -> Variants {
    experiment
        .preset()
        .and_then(|p| p.compare)
        .unwrap_or_else(|| experiment.pattern().default_variants())
}

fn owned(v: Variants) -> (String, Vec<String>) {
    (
        v.key.to_owned(),
        v.values.iter().map(|s| s.to_string()).collect(),
    )
}

/// Characters left as they are: unreserved ones, and `:` and `,`, which
/// fault schedules and variant lists use and queries allow.
fn is_plain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~:,".contains(&b)
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if is_plain(b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Decode `%XX` escapes (and `+` as a space, as forms send it); `None` for
/// a broken escape or bytes that are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sweep_travels_in_the_link() {
        let query = "sweep=arrival_rate:100..500:9&sweep_log=true&sweep_metric=p99%20latency,p50%20latency&sweep_seeds=4";
        let (s, problems) = Shared::decode("lb-server-load", query).unwrap();
        assert_eq!(problems, Vec::<String>::new());
        let sweep = s.sweep.clone().expect("the link's sweep");
        assert_eq!(
            (
                sweep.axis.key.as_str(),
                sweep.axis.from,
                sweep.axis.to,
                sweep.axis.points,
                sweep.axis.log
            ),
            ("arrival_rate", 100.0, 500.0, 9, true)
        );
        assert_eq!(sweep.metrics, ["p99 latency", "p50 latency"]);
        assert_eq!(sweep.seeds, 4);
        assert_eq!(s.encode(), query);
        let plain = "sweep=backends:2..8:4&sweep_metric=p99%20latency";
        assert_eq!(
            Shared::decode("lb-server-load", plain).unwrap().0.encode(),
            plain
        );
    }

    #[test]
    fn a_bad_sweep_is_left_out_and_said_why() {
        let problem = |query: &str| {
            let (s, problems) = Shared::decode("lb-server-load", query).unwrap();
            assert!(s.sweep.is_none(), "{query}");
            assert_eq!(problems.len(), 1, "{query}: {problems:?}");
            problems[0].clone()
        };
        let metric = "&sweep_metric=p99%20latency";
        assert!(problem(&format!("sweep=arrival_rate{metric}")).contains("KEY:FROM..TO:POINTS"));
        assert!(
            problem(&format!("sweep=arrival_rate:1..x{metric}")).contains("'x' is not a number")
        );
        assert!(
            problem(&format!("sweep=arrival_rate:1..99999{metric}")).contains("from 0.1 to 20000")
        );
        assert!(
            problem(&format!("sweep=arrival_rate:1..9:900{metric}"))
                .contains("from 2 to 200 points")
        );
        assert!(problem(&format!("sweep=algorithm:1..9{metric}")).contains("not a number"));
        assert!(problem("sweep=arrival_rate:1..9").contains("names no headline number"));
        let unknown = problem("sweep=arrival_rate:1..9&sweep_metric=p999");
        assert!(
            unknown.contains("unknown metric 'p999'") && unknown.contains("p99 latency"),
            "{unknown}"
        );
        // A bad number of seeds keeps the default, like any bad entry.
        let (s, problems) = Shared::decode(
            "lb-server-load",
            &format!("sweep=arrival_rate:1..9{metric}&sweep_seeds=0"),
        )
        .unwrap();
        assert!(problems[0].contains("from 1 to 30"), "{problems:?}");
        assert_eq!(s.sweep.map(|s| s.seeds), Some(crate::sweep::PAGE_SEEDS));
        assert!(problem("sweep_seeds=4").contains("no sweep="));
        assert!(
            problem(&format!("sweep=timeout:0..9{metric}&sweep_log=true")).contains("above zero")
        );
    }

    #[test]
    fn a_fresh_preset_encodes_to_nothing() {
        let s = Shared::open("lb-server-load").unwrap();
        assert_eq!(s.encode(), "");
        assert_eq!(s.vary.0, "algorithm");
        let plain = Shared::open("load-balancing").unwrap();
        assert_eq!(
            plain.vary.0, "algorithm",
            "a pattern offers its default comparison"
        );
        assert_eq!(plain.encode(), "");
    }

    #[test]
    fn changes_round_trip() {
        let mut s = Shared::open("lb-health-checks").unwrap();
        s.experiment.set("backends", "6").unwrap();
        s.experiment.set("faults", "5:down:6,9:slow:1:0.5").unwrap();
        s.experiment.set_seed(99);
        s.vary = ("algorithm".into(), vec!["random".into(), "oracle".into()]);
        s.compare = true;
        s.time = Some(12.5);
        let query = s.encode();
        assert_eq!(
            query,
            "backends=6&faults=5:down:6,9:slow:1:0.5&seed=99&vary=algorithm:random,oracle&compare=true&t=12.5"
        );
        let (back, problems) = Shared::decode("lb-health-checks", &query).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(back.experiment.settings(), s.experiment.settings());
        assert_eq!(back.experiment.seed(), 99);
        assert_eq!(back.vary, s.vary);
        assert!(back.compare);
        assert_eq!(back.time, Some(12.5));
        assert_eq!(back.encode(), query);
    }

    /// Links encoded by the code that kept settings as JSON (before the
    /// site was split into loads): the same changes encode to the same text
    /// now, and decode to the same values.
    #[test]
    fn links_made_before_keep_their_text() {
        type Case = (
            &'static str,
            &'static [(&'static str, &'static str)],
            Option<u64>,
            Option<f64>,
            &'static str,
        );
        const PINNED: [Case; 4] = [
            (
                "lb-health-checks",
                &[
                    ("health_check_interval", "0.25"),
                    ("network_delay", "0.0005"),
                    ("faults", "5:down:2,9.5:slow:1:0.25"),
                ],
                Some(7),
                Some(12.5),
                "health_check_interval=0.25&network_delay=0.0005&faults=5:down:2,9.5:slow:1:0.25&seed=7&t=12.5",
            ),
            (
                "cache-stampede",
                &[
                    ("ttl", "1e-5"),
                    ("zipf_alpha", "1.25"),
                    ("coalescing", "single_flight"),
                ],
                None,
                None,
                "zipf_alpha=1.25&ttl=0.00001&coalescing=single_flight",
            ),
            (
                "shard-resharding",
                &[
                    ("migration_rate", "2500"),
                    ("network_delay", "0.000001"),
                    ("strategy", "consistent_hashing"),
                ],
                Some(3),
                None,
                "strategy=consistent_hashing&network_delay=1e-6&migration_rate=2500&seed=3",
            ),
            (
                "load-balancing",
                &[
                    ("arrival_rate", "333.3"),
                    ("sticky_sessions", "true"),
                    ("service_cv", "0.1"),
                ],
                None,
                Some(0.001),
                "arrival_rate=333.3&service_cv=0.1&sticky_sessions=true&t=0.001",
            ),
        ];
        for (name, sets, seed, time, pinned) in PINNED {
            let mut s = Shared::open(name).unwrap();
            for (key, value) in sets {
                s.experiment.set(key, value).unwrap();
            }
            if let Some(seed) = seed {
                s.experiment.set_seed(seed);
            }
            s.time = time;
            assert_eq!(s.encode(), pinned, "{name}");
            let (back, problems) = Shared::decode(name, pinned).unwrap();
            assert!(problems.is_empty(), "{problems:?}");
            assert_eq!(back.experiment.settings(), s.experiment.settings());
            assert_eq!(back.encode(), pinned);
        }
    }

    #[test]
    fn bad_entries_are_named_and_fall_back() {
        let (s, problems) = Shared::decode(
            "lb-overload",
            "backends=0&seed=x&speed_spread=0.5&vary=algorithm:best&compare=yes&t=-1&colour=red&bad=%zz",
        )
        .unwrap();
        assert_eq!(
            problems,
            vec![
                "backends=0 is not allowed: backends must be a whole number from 1 to 100",
                "seed=x is not allowed: seed must be a whole number from 0 to 18446744073709551615",
                "algorithm=best is not allowed: algorithm must be one of round_robin, weighted_round_robin, random, least_connections, power_of_two, peak_ewma, consistent_hash, least_latency_region, oracle",
                "compare=yes is not allowed: compare must be true or false",
                "t=-1 is not allowed: t must be a number of seconds from 0",
                "unknown parameter 'colour': allowed are algorithm, backends, workers, arrival_rate, service_rate, service_distribution, service_cv, queue_capacity, timeout, speed_spread, health_check_interval, unhealthy_threshold, healthy_threshold, sticky_sessions, clients, retry, regions, network_delay, region_delay, burst_on, burst_off, faults, duration, warmup",
                "'bad=%zz' is not valid percent-encoding",
            ]
        );
        // Good entries still apply; bad ones keep the preset's values.
        assert_eq!(s.experiment.settings().get("speed_spread").unwrap(), "0.5");
        assert_eq!(s.experiment.settings().get("backends").unwrap(), "1");
        assert_eq!(s.experiment.seed(), 12);
        assert_eq!(s.vary.0, "backends");
    }

    #[test]
    fn clashing_values_fall_back_with_a_message() {
        let (s, problems) = Shared::decode("lb-distribute", "warmup=50&duration=20").unwrap();
        assert_eq!(
            problems,
            vec!["warmup=50 is not allowed: the warm-up must be shorter than the duration (20 s)"]
        );
        assert!(s.experiment.validate().is_ok());
        assert_eq!(s.experiment.settings().get("duration").unwrap(), "20");
    }

    #[test]
    fn unknown_names_are_an_error() {
        let err = Shared::decode("lb-nope", "").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("unknown pattern or preset 'lb-nope'")
        );
    }

    #[test]
    fn percent_coding_round_trips() {
        for s in ["a b&c=d", "10:down:2,5:slow:1:0.5", "é%"] {
            assert_eq!(percent_decode(&percent_encode(s)).as_deref(), Some(s));
        }
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(percent_decode("%ff"), None);
    }
}
