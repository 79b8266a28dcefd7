//! The claim a figure can make: that its number is below or above the same
//! metric of another variant (or another metric of the same run).
//!
//! `{{#figure lb-distribute algorithm=random latency.p99 > algorithm=round_robin}}`
//! shows random choice's p99 and claims it is higher than round robin's on
//! the same seed and arrivals. After the `<` or `>` come the parameter
//! changes that make the other variant, applied on top of this figure's,
//! and optionally a metric of its own, last (`… migration.latency.p99 > latency.p99`
//! compares two metrics of one run). The book's build fails if the numbers
//! it shows contradict the claim; `archsim-book claims` checks that it holds
//! on at least 19 of the seeds 1 to 20.

use crate::metric::Metric;
use crate::runs::Run;

/// Which way a claim goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Order {
    /// `<`: this figure is the lower.
    Below,
    /// `>`: this figure is the higher.
    Above,
}

impl Order {
    /// The order a word writes, if it is `<` or `>`.
    pub(crate) fn parse(word: &str) -> Option<Order> {
        match word {
            "<" => Some(Order::Below),
            ">" => Some(Order::Above),
            _ => None,
        }
    }

    /// Whether `word` looks like a comparison but is neither `<` nor `>`
    /// (`<=`, `≥`, `!=`): claims are strict, and say which side is higher.
    pub(crate) fn is_unknown(word: &str) -> bool {
        Order::parse(word).is_none() && word.starts_with(['<', '>', '≤', '≥', '≈', '!'])
    }

    /// Whether `this` and `other` are in this order, strictly.
    pub(crate) fn holds(self, this: f64, other: f64) -> bool {
        match self {
            Order::Below => this < other,
            Order::Above => this > other,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Order::Below => "<",
            Order::Above => ">",
        }
    }
}

/// A figure's claim about another variant.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Claim {
    /// How the figure compares with the other.
    pub(crate) order: Order,
    /// The changes, on top of the figure's own, that make the other variant.
    pub(crate) changes: Vec<(String, String)>,
    /// The other's metric, if not the figure's own.
    pub(crate) metric: Option<Metric>,
}

impl Claim {
    /// The run the figure is compared with, given the figure's own.
    pub(crate) fn other_run(&self, run: &Run) -> Run {
        run.with(&self.changes)
    }

    /// The metric the figure is compared with, given the figure's own.
    pub(crate) fn other_metric<'a>(&'a self, metric: &'a Metric) -> &'a Metric {
        self.metric.as_ref().unwrap_or(metric)
    }
}

impl std::fmt::Display for Claim {
    /// As written after the figure's metric: `> algorithm=round_robin`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.order.symbol())?;
        for (key, value) in &self.changes {
            write!(f, " {key}={value}")?;
        }
        match &self.metric {
            Some(metric) => write!(f, " {metric}"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_are_strict() {
        assert_eq!(Order::parse("<"), Some(Order::Below));
        assert_eq!(Order::parse(">"), Some(Order::Above));
        assert_eq!(Order::parse("<="), None);
        assert!(Order::is_unknown("<=") && Order::is_unknown("≥") && Order::is_unknown("!="));
        assert!(!Order::is_unknown("<") && !Order::is_unknown("latency.p99"));
        assert!(Order::Below.holds(1.0, 2.0) && !Order::Below.holds(2.0, 2.0));
        assert!(Order::Above.holds(2.0, 1.0) && !Order::Above.holds(1.0, 1.0));
    }

    #[test]
    fn the_other_side_is_this_run_changed() {
        let claim = Claim {
            order: Order::Above,
            changes: vec![("algorithm".into(), "round_robin".into())],
            metric: None,
        };
        let run = Run {
            preset: "lb-distribute".into(),
            settings: vec![
                ("algorithm".into(), "random".into()),
                ("duration".into(), "600".into()),
            ],
        };
        assert_eq!(
            claim.other_run(&run).settings,
            [
                ("algorithm".to_owned(), "round_robin".to_owned()),
                ("duration".to_owned(), "600".to_owned())
            ]
        );
        let p99 = Metric::parse("latency.p99").unwrap();
        assert_eq!(claim.other_metric(&p99), &p99);
        assert_eq!(claim.to_string(), "> algorithm=round_robin");
        let other = Claim {
            order: Order::Below,
            changes: vec![],
            metric: Some(Metric::parse("row_imbalance").unwrap()),
        };
        assert_eq!(other.to_string(), "< row_imbalance");
    }
}
