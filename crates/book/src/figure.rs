//! `{{#figure …}}`: one number from a run, written for reading.
//!
//! ```text
//! {{#figure PRESET [KEY=VALUE]… METRIC [< | > [KEY=VALUE]… [METRIC]]}}
//! ```
//!
//! A query names a preset, optional parameter changes and a
//! [metric](crate::metric) of the run's report. Two settings are not
//! parameters: `seed=N` sets the seed, as `archsim run --seed` does, and
//! `seeds=N` shows the mean over the seeds 1 to N with its 95% interval
//! (`412 ms ± 35 ms`, see [`crate::seeds`]) where one seed would mislead.
//! A figure may end with a [claim](crate::claim) about another variant:
//! `… latency.p99 > algorithm=round_robin`.

use crate::claim::{Claim, Order};
use crate::metric::{Metric, Reading};
use crate::runs::{Run, Runs};
use crate::seeds::{self, Interval};
use archsim_mindmap::xml::escape;
use std::fmt::Write;

/// A `{{#figure}}` request, as written.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Query {
    /// The preset and its parameter changes, as `--set` would make them.
    pub(crate) run: Run,
    /// What to read from the report.
    pub(crate) metric: Metric,
    /// `seeds=N`: the mean over the seeds 1 to N, not one run.
    pub(crate) seeds: Option<u64>,
    /// What the sentence claims about this number.
    pub(crate) claim: Option<Claim>,
}

/// The example every message about the syntax shows.
const EXAMPLE: &str = "`{{#figure lb-server-load algorithm=round_robin latency.p99}}`";

/// The example messages about claims show.
const CLAIM_EXAMPLE: &str =
    "`{{#figure lb-distribute algorithm=random latency.p99 > algorithm=round_robin}}`";

impl Query {
    /// Read the words between `{{#figure` and `}}`.
    pub(crate) fn parse(words: &[&str]) -> Result<Query, String> {
        let directive = format!("`{{{{#figure {}}}}}`", words.join(" "));
        if let Some(word) = words.iter().find(|w| Order::is_unknown(w)) {
            return Err(format!(
                "`{word}` in {directive} is not a comparison: a claim is `<` (this figure is the \
                 lower) or `>` (the higher), e.g. {CLAIM_EXAMPLE}"
            ));
        }
        let (figure, claim) = match words.iter().position(|w| Order::parse(w).is_some()) {
            Some(at) => (&words[..at], Some((words[at], &words[at + 1..]))),
            None => (words, None),
        };
        let [preset, middle @ .., metric] = figure else {
            return Err(format!(
                "{directive} needs a preset id and a metric, e.g. {EXAMPLE}"
            ));
        };
        if metric.contains('=') {
            return Err(match claim {
                None => format!(
                    "{directive} ends with `{metric}`, a parameter: the last word must be a metric \
                     such as `latency.p99`, e.g. {EXAMPLE}"
                ),
                Some((order, _)) => format!(
                    "{directive} has `{metric}`, a parameter, before `{order}`: the word before it \
                     must be the metric compared, e.g. {CLAIM_EXAMPLE}"
                ),
            });
        }
        let mut settings = middle
            .iter()
            .map(|word| {
                setting(
                    word,
                    &directive,
                    "between the preset and the metric",
                    EXAMPLE,
                )
            })
            .collect::<Result<Vec<_>, String>>()?;
        let seeds = take_seeds(&mut settings, &directive)?;
        let claim = claim
            .map(|(order, rest)| parse_claim(order, rest, &directive))
            .transpose()?;
        Ok(Query {
            run: Run {
                preset: (*preset).to_owned(),
                settings,
            },
            metric: Metric::parse(metric).map_err(|e| format!("{directive}: {e}"))?,
            seeds,
            claim,
        })
    }

    /// This figure's run and, if it makes a claim, the run it is compared with.
    pub(crate) fn sides(&self) -> impl Iterator<Item = Run> {
        std::iter::once(self.run.clone()).chain(self.claim.iter().map(|c| c.other_run(&self.run)))
    }

    /// Every run this figure reads, the claim's included.
    pub(crate) fn runs(&self) -> Vec<Run> {
        match self.seeds {
            None => self.sides().collect(),
            Some(n) => self
                .sides()
                .flat_map(|run| seeds::first(n).map(move |seed| run.seeded(seed)))
                .collect(),
        }
    }

    /// The number, as inline HTML whose tooltip says where it comes from.
    /// A claim the number contradicts is an error.
    pub(crate) fn render(&self, runs: &mut Runs) -> Result<String, String> {
        let shown = self.sample(runs, &self.run, &self.metric)?;
        let mut title = format!("{}: {}", self.command(), self.metric);
        if let Some(claim) = &self.claim {
            let other_metric = claim.other_metric(&self.metric);
            let other = self.sample(runs, &claim.other_run(&self.run), other_metric)?;
            if !claim.order.holds(shown.value(), other.value()) {
                return Err(format!(
                    "the claim `{} {claim}` does not hold on the numbers the book shows: {} against {}; \
                     change the sentence, or the run, until it holds on at least {} of the seeds 1 to {} \
                     (`cargo run -p archsim-book -- claims book/src` counts them)",
                    self.metric,
                    shown.write(&self.metric),
                    other.write(other_metric),
                    seeds::REQUIRED,
                    seeds::CHECKED,
                ));
            }
            let _ = write!(
                title,
                " {claim}, checked on at least {} of the seeds 1 to {}",
                seeds::REQUIRED,
                seeds::CHECKED
            );
        }
        Ok(format!(
            "<span class=\"archsim-figure\" title=\"{}\">{}</span>",
            escape(&title),
            shown.write(&self.metric)
        ))
    }

    /// The metric of `run`, on its seed or as the mean over `seeds`.
    fn sample(&self, runs: &mut Runs, run: &Run, metric: &Metric) -> Result<Shown, String> {
        let Some(n) = self.seeds else {
            return Ok(Shown::One(metric.read(runs.metrics(run)?)?));
        };
        let sample = seeds::first(n)
            .map(|seed| Ok(metric.read(runs.metrics(&run.seeded(seed))?)?.value))
            .collect::<Result<Vec<f64>, String>>()?;
        let interval = Interval::of(&sample).expect("take_seeds allows only sizes of sample");
        Ok(Shown::Mean(interval))
    }

    /// The command that reproduces the run, for a tooltip.
    fn command(&self) -> String {
        let mut command = format!("archsim run {}", self.run.preset);
        for (key, value) in &self.run.settings {
            let _ = if key == "seed" {
                write!(command, " --seed {value}")
            } else {
                write!(command, " --set {key}={value}")
            };
        }
        match self.seeds {
            None => command,
            Some(n) => format!("mean and 95% t-interval of `{command} --seed N` for N = 1 to {n}"),
        }
    }
}

/// What a figure shows: one run's number, or a mean over seeds.
enum Shown {
    One(Reading),
    Mean(Interval),
}

impl Shown {
    fn value(&self) -> f64 {
        match self {
            Shown::One(reading) => reading.value,
            Shown::Mean(interval) => interval.mean,
        }
    }

    fn write(&self, metric: &Metric) -> String {
        match self {
            Shown::One(reading) => metric.write(*reading),
            Shown::Mean(interval) => metric.write_interval(interval.mean, interval.half_width),
        }
    }
}

/// A `KEY=VALUE` word, or a message saying it should be one.
fn setting(
    word: &str,
    directive: &str,
    place: &str,
    example: &str,
) -> Result<(String, String), String> {
    match word.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
        _ => Err(format!(
            "`{word}` in {directive} is not KEY=VALUE: {place} come parameter changes, e.g. {example}"
        )),
    }
}

/// Take `seeds=N` out of the settings: it picks runs, it is no parameter.
fn take_seeds(
    settings: &mut Vec<(String, String)>,
    directive: &str,
) -> Result<Option<u64>, String> {
    let Some((_, value)) = settings.iter().rfind(|(key, _)| key == "seeds").cloned() else {
        return Ok(None);
    };
    settings.retain(|(key, _)| key != "seeds");
    let allowed = format!(
        "seeds must be a whole number from {} to {} (the figure is then the mean over the seeds 1 to N)",
        seeds::ALLOWED.start(),
        seeds::ALLOWED.end()
    );
    let n = value
        .parse()
        .ok()
        .filter(|n| seeds::ALLOWED.contains(n))
        .ok_or_else(|| format!("seeds={value} in {directive} is not allowed: {allowed}"))?;
    if let Some((_, seed)) = settings.iter().find(|(key, _)| key == "seed") {
        return Err(format!(
            "seed={seed} and seeds={value} in {directive} exclude each other: seeds=N runs the seeds 1 to N"
        ));
    }
    Ok(Some(n))
}

/// The words after `<` or `>`: changes, then at most one metric.
fn parse_claim(symbol: &str, words: &[&str], directive: &str) -> Result<Claim, String> {
    let order = Order::parse(symbol).expect("a claim starts at `<` or `>`");
    if let Some(second) = words.iter().find(|w| Order::parse(w).is_some()) {
        return Err(format!(
            "{directive} makes two claims (a second `{second}`): a figure compares with one other, \
             e.g. {CLAIM_EXAMPLE}"
        ));
    }
    let (changes, metric) = match words {
        [] => {
            return Err(format!(
                "{directive} compares with nothing: after `{symbol}` come the parameter changes that \
                 make the other variant, or another metric of the same run, e.g. {CLAIM_EXAMPLE}"
            ));
        }
        [changes @ .., last] if !last.contains('=') => (changes, Some(*last)),
        changes => (changes, None),
    };
    let place = format!("after `{symbol}`");
    let changes = changes
        .iter()
        .map(|word| setting(word, directive, &place, CLAIM_EXAMPLE))
        .collect::<Result<Vec<_>, String>>()?;
    if let Some((key, value)) = changes
        .iter()
        .find(|(key, _)| key == "seed" || key == "seeds")
    {
        return Err(format!(
            "{key}={value} after `{symbol}` in {directive} is not allowed: the two sides of a claim \
             run on the same seeds; set them before the metric"
        ));
    }
    Ok(Claim {
        order,
        changes,
        metric: metric
            .map(Metric::parse)
            .transpose()
            .map_err(|e| format!("{directive}: {e}"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Query, String> {
        Query::parse(&text.split_whitespace().collect::<Vec<_>>())
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn queries_parse() {
        assert_eq!(
            parse("lb-geography algorithm=oracle seed=3 rejected/arrived"),
            Ok(Query {
                run: Run {
                    preset: "lb-geography".into(),
                    settings: pairs(&[("algorithm", "oracle"), ("seed", "3")]),
                },
                metric: Metric::parse("rejected/arrived").unwrap(),
                seeds: None,
                claim: None,
            })
        );
        assert_eq!(
            parse("lb-overload latency.p99").unwrap().metric,
            Metric::parse("latency.p99").unwrap()
        );
    }

    #[test]
    fn claims_and_seeds_parse() {
        let query =
            parse("lb-distribute algorithm=random seeds=20 latency.p99 > algorithm=round_robin")
                .unwrap();
        assert_eq!(query.run.settings, pairs(&[("algorithm", "random")]));
        assert_eq!(query.seeds, Some(20));
        assert_eq!(
            query.claim,
            Some(Claim {
                order: Order::Above,
                changes: pairs(&[("algorithm", "round_robin")]),
                metric: None,
            })
        );
        let same_run =
            parse("shard-key-choice shard_key=created_at load_imbalance > row_imbalance")
                .unwrap()
                .claim
                .unwrap();
        assert_eq!(same_run.changes, []);
        assert_eq!(
            same_run.metric,
            Some(Metric::parse("row_imbalance").unwrap())
        );
        assert_eq!(
            parse("lb-overload backends=4 latency.p99 < backends=1 latency.p50")
                .unwrap()
                .runs()
                .len(),
            2
        );
        assert_eq!(
            parse("lb-overload seeds=3 latency.p99 < backends=1")
                .unwrap()
                .runs()
                .len(),
            6
        );
    }

    #[test]
    fn malformed_queries_say_what_is_wrong() {
        let example =
            "e.g. `{{#figure lb-server-load algorithm=round_robin latency.p99}}`".to_owned();
        assert_eq!(
            parse("lb-overload"),
            Err(format!(
                "`{{{{#figure lb-overload}}}}` needs a preset id and a metric, {example}"
            ))
        );
        assert_eq!(
            parse("lb-overload backends=4"),
            Err(format!(
                "`{{{{#figure lb-overload backends=4}}}}` ends with `backends=4`, a parameter: \
                 the last word must be a metric such as `latency.p99`, {example}"
            ))
        );
        assert!(
            parse("lb-overload backends latency.p99")
                .unwrap_err()
                .starts_with(
                    "`backends` in `{{#figure lb-overload backends latency.p99}}` is not KEY=VALUE"
                )
        );
        assert!(
            parse("lb-overload latency..p99").unwrap_err().starts_with(
                "`{{#figure lb-overload latency..p99}}`: `latency..p99` is not a metric"
            )
        );
    }

    #[test]
    fn malformed_claims_and_seeds_say_what_is_wrong() {
        let errors = [
            (
                "lb-overload latency.p99 >",
                "`{{#figure lb-overload latency.p99 >}}` compares with nothing: after `>` come",
            ),
            (
                "lb-overload backends=4 > backends=1",
                "`{{#figure lb-overload backends=4 > backends=1}}` has `backends=4`, a parameter, \
                 before `>`",
            ),
            (
                "lb-overload latency.p99 < backends=1 < backends=2",
                "`{{#figure lb-overload latency.p99 < backends=1 < backends=2}}` makes two claims",
            ),
            (
                "lb-overload latency.p99 < seed=2",
                "seed=2 after `<` in `{{#figure lb-overload latency.p99 < seed=2}}` is not allowed",
            ),
            (
                "lb-overload latency.p99 < backends latency.p50",
                "`backends` in `{{#figure lb-overload latency.p99 < backends latency.p50}}` is not \
                 KEY=VALUE: after `<` come parameter changes",
            ),
            (
                "lb-overload latency.p99 >= backends=1",
                "`>=` in `{{#figure lb-overload latency.p99 >= backends=1}}` is not a comparison: \
                 a claim is `<` (this figure is the lower) or `>` (the higher)",
            ),
            (
                "lb-overload seeds=1 latency.p99",
                "seeds=1 in `{{#figure lb-overload seeds=1 latency.p99}}` is not allowed: seeds must \
                 be a whole number from 2 to 30",
            ),
            (
                "lb-overload seed=4 seeds=20 latency.p99",
                "seed=4 and seeds=20 in `{{#figure lb-overload seed=4 seeds=20 latency.p99}}` \
                 exclude each other",
            ),
        ];
        for (text, start) in errors {
            let message = parse(text).unwrap_err();
            assert!(message.starts_with(start), "{message}");
        }
    }

    #[test]
    fn the_tooltip_is_the_command_that_reproduces_the_number() {
        let query = parse("lb-overload backends=4 seed=7 faults= latency.p99").unwrap();
        assert_eq!(
            query.command(),
            "archsim run lb-overload --set backends=4 --seed 7 --set faults="
        );
        let mean = parse("lb-overload backends=4 seeds=5 latency.p99").unwrap();
        assert_eq!(
            mean.command(),
            "mean and 95% t-interval of `archsim run lb-overload --set backends=4 --seed N` for N = 1 to 5"
        );
    }

    #[test]
    fn a_claim_renders_as_its_number_and_fails_the_build_when_the_numbers_deny_it() {
        let mut runs = Runs::default();
        let plain = parse("lb-overload backends=1 latency.p50")
            .unwrap()
            .render(&mut runs)
            .unwrap();
        let claim = parse("lb-overload backends=1 latency.p50 > backends=4 latency.p99")
            .unwrap()
            .render(&mut runs)
            .unwrap();
        let number = |html: &str| html[html.find('>').unwrap()..].to_owned();
        assert_eq!(number(&claim), number(&plain));
        assert!(
            claim.contains("latency.p50 &gt; backends=4 latency.p99, checked on at least 19 of the seeds 1 to 20"),
            "{claim}"
        );
        let denied = parse("lb-overload backends=1 latency.p50 < backends=4 latency.p99")
            .unwrap()
            .render(&mut runs)
            .unwrap_err();
        assert!(
            denied.starts_with(
                "the claim `latency.p50 < backends=4 latency.p99` does not hold on the \
                                numbers the book shows: "
            ),
            "{denied}"
        );
    }

    #[test]
    fn a_mean_over_seeds_shows_its_interval() {
        let mut runs = Runs::default();
        let query = parse("lb-overload backends=4 seeds=3 latency.p99").unwrap();
        let html = query.render(&mut runs).unwrap();
        assert_eq!(runs.len(), 3);
        let sample: Vec<f64> = (1..=3)
            .map(|seed| {
                let run = query.run.seeded(seed);
                query
                    .metric
                    .read(runs.metrics(&run).unwrap())
                    .unwrap()
                    .value
            })
            .collect();
        let interval = Interval::of(&sample).expect("an allowed number of seeds");
        let shown = Shown::Mean(interval).write(&query.metric);
        assert!(
            html.ends_with(&format!(">{shown}</span>")),
            "{html} {shown}"
        );
        assert!(
            shown.contains("\u{a0}±\u{a0}") && shown.ends_with("ms"),
            "{shown}"
        );
    }
}
