//! Faults on a schedule: a node (a backend, a cache node, a shard) goes
//! down, slows down or recovers.
//!
//! Written as text so a schedule fits in a URL or a CLI flag:
//! `at:action:node[:factor]`, comma-separated, nodes numbered from 1.
//! `10:down:2,25:recover:2,30:slow:1:0.25` takes node 2 down at 10 s,
//! brings it back at 25 s, and makes node 1 four times slower at 30 s.
//! Every pattern with a `faults` parameter reads this one syntax, and the
//! playground writes it when a person breaks a node by hand.

use crate::dashboard::{MAX_MOMENTS, Moment};
use crate::params::{ParamError, inconsistent};
use archsim_core::SimTime;
use std::fmt::{self, Write};

/// What happens to a node.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FaultKind {
    /// Stops answering; requests on it fail.
    Down,
    /// Keeps answering at `factor` × its normal speed.
    Slow(f64),
    /// Back to normal.
    Recover,
}

/// One scheduled fault.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fault {
    /// When it happens.
    pub at: SimTime,
    /// Which node (index from 0).
    pub node: u32,
    /// What happens.
    pub kind: FaultKind,
}

impl Fault {
    /// The syntax, as shown in error messages and help.
    pub const SYNTAX: &'static str = "a comma-separated list of at:down:node, at:recover:node \
        or at:slow:node:factor (at in seconds, node from 1, factor from 0.01 to 1), \
        e.g. 10:down:2,30:recover:2";

    /// Parse a whole schedule for `nodes` nodes — called `noun` in messages,
    /// e.g. "backend" — running `duration` seconds. An empty string is no
    /// faults.
    pub fn parse_all(
        text: &str,
        noun: &str,
        nodes: u32,
        duration: f64,
    ) -> Result<Vec<Fault>, ParamError> {
        let mut faults = text
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| Fault::parse(item, noun, nodes, duration))
            .collect::<Result<Vec<_>, _>>()?;
        // Stable: faults at the same time keep the order they were written in.
        faults.sort_by_key(|f| f.at);
        Ok(faults)
    }

    fn parse(item: &str, noun: &str, nodes: u32, duration: f64) -> Result<Fault, ParamError> {
        let bad = |why: String| inconsistent("faults", item, why);
        let parts: Vec<&str> = item.split(':').collect();
        let (at, action, node) = match parts.as_slice() {
            [at, action, node] | [at, action, node, _] => (*at, *action, *node),
            _ => return Err(bad(format!("each fault must be {}", Self::SYNTAX))),
        };
        let at: f64 = at
            .parse()
            .ok()
            .filter(|t: &f64| t.is_finite() && (0.0..=duration).contains(t))
            .ok_or_else(|| bad(format!("the time '{at}' must be a number of seconds from 0 to the duration ({duration})")))?;
        let node: u32 = node
            .parse()
            .ok()
            .filter(|n| (1..=nodes).contains(n))
            .ok_or_else(|| {
                bad(format!(
                    "the {noun} '{node}' must be a number from 1 to {nodes}"
                ))
            })?;
        let kind = match (action, parts.get(3)) {
            ("down", None) => FaultKind::Down,
            ("recover", None) => FaultKind::Recover,
            ("slow", Some(factor)) => {
                let k: f64 = factor
                    .parse()
                    .ok()
                    .filter(|k: &f64| (0.01..=1.0).contains(k))
                    .ok_or_else(|| {
                        bad(format!(
                            "the slow-down factor '{factor}' must be a number from 0.01 to 1"
                        ))
                    })?;
                FaultKind::Slow(k)
            }
            ("slow", None) => return Err(bad("slow needs a factor, e.g. 30:slow:1:0.25".into())),
            ("down" | "recover", Some(_)) => {
                return Err(bad(format!("{action} takes no factor")));
            }
            _ => {
                return Err(bad(format!(
                    "the action '{action}' must be down, slow or recover"
                )));
            }
        };
        Ok(Fault {
            at: SimTime::from_secs_f64(at),
            node: node - 1,
            kind,
        })
    }
}

/// A schedule in words, its nodes called `noun` ("backend 2 down at 20 s;
/// backend 2 back at 40 s"), for the form to read back what was typed;
/// `None` if it is empty or cannot be read.
pub fn in_words(text: &str, noun: &str) -> Option<String> {
    let faults = Fault::parse_all(text, noun, u32::MAX, f64::INFINITY).ok()?;
    let mut words = String::new();
    for fault in &faults {
        if !words.is_empty() {
            words.push_str("; ");
        }
        let at = fault.at.as_secs_f64();
        let _ = match fault.kind {
            FaultKind::Slow(_) => write!(words, "{} from {at} s", fault.what(noun)),
            _ => write!(words, "{} at {at} s", fault.what(noun)),
        };
    }
    (!words.is_empty()).then_some(words)
}

impl Fault {
    /// What happens, in words, its node called `noun`: "backend 2 down",
    /// "backend 2 back", "backend 2 at 0.25× speed".
    pub fn what(&self, noun: &str) -> String {
        let n = self.node + 1;
        match self.kind {
            FaultKind::Down => format!("{noun} {n} down"),
            FaultKind::Recover => format!("{noun} {n} back"),
            FaultKind::Slow(k) => format!("{noun} {n} at {k}× speed"),
        }
    }
}

/// The faults of `schedule` (in time order) that have happened by `now`,
/// as moments for the charts: the first [`MAX_MOMENTS`] at most.
pub(crate) fn moments(schedule: &[Fault], noun: &str, now: SimTime) -> Vec<Moment> {
    schedule
        .iter()
        .take_while(|f| f.at <= now)
        .take(MAX_MOMENTS)
        .map(|f| Moment {
            at: f.at.as_secs_f64(),
            what: f.what(noun),
        })
        .collect()
}

impl fmt::Display for Fault {
    /// The same text [`Fault::parse_all`] reads.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (at, b) = (self.at.as_secs_f64(), self.node + 1);
        match self.kind {
            FaultKind::Down => write!(f, "{at}:down:{b}"),
            FaultKind::Recover => write!(f, "{at}:recover:{b}"),
            FaultKind::Slow(k) => write!(f, "{at}:slow:{b}:{k}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schedule_reads_back_in_words_in_time_order() {
        assert_eq!(
            in_words("40:recover:2, 20:down:2,30:slow:1:0.25", "backend").as_deref(),
            Some(
                "backend 2 down at 20 s; backend 1 at 0.25× speed from 30 s; backend 2 back at 40 s"
            )
        );
        assert_eq!(in_words("", "shard"), None);
        assert_eq!(
            in_words("20:down", "shard"),
            None,
            "what cannot be read says nothing"
        );
    }

    #[test]
    fn parses_a_schedule_in_time_order() {
        let faults =
            Fault::parse_all("30:recover:2, 10:down:2,20:slow:1:0.25", "backend", 4, 60.0).unwrap();
        assert_eq!(
            faults,
            vec![
                Fault {
                    at: SimTime::from_secs(10),
                    node: 1,
                    kind: FaultKind::Down
                },
                Fault {
                    at: SimTime::from_secs(20),
                    node: 0,
                    kind: FaultKind::Slow(0.25)
                },
                Fault {
                    at: SimTime::from_secs(30),
                    node: 1,
                    kind: FaultKind::Recover
                },
            ]
        );
        let text: Vec<String> = faults.iter().map(Fault::to_string).collect();
        assert_eq!(text.join(","), "10:down:2,20:slow:1:0.25,30:recover:2");
        assert!(Fault::parse_all("", "backend", 4, 60.0).unwrap().is_empty());
    }

    #[test]
    fn bad_faults_say_what_is_wrong() {
        let cases = [
            ("10:down:5", "the backend '5' must be a number from 1 to 4"),
            ("10:down:0", "the backend '0' must be a number from 1 to 4"),
            (
                "99:down:1",
                "the time '99' must be a number of seconds from 0 to the duration (60)",
            ),
            ("x:down:1", "the time 'x'"),
            (
                "10:explode:1",
                "the action 'explode' must be down, slow or recover",
            ),
            ("10:slow:1", "slow needs a factor"),
            (
                "10:slow:1:2",
                "the slow-down factor '2' must be a number from 0.01 to 1",
            ),
            ("10:down:1:2", "down takes no factor"),
            ("10-down-1", "each fault must be"),
        ];
        for (text, expected) in cases {
            let err = Fault::parse_all(text, "backend", 4, 60.0)
                .unwrap_err()
                .to_string();
            assert!(
                err.starts_with(&format!("faults={text} is not allowed: ")),
                "{err}"
            );
            assert!(err.contains(expected), "{text}: {err}");
        }
    }
}
