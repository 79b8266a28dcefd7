//! The delivery model's numbers in closed form. Changes start as a Poisson
//! stream; every time in the pipeline is fixed, so changes merge as a
//! Poisson stream of the same rate (the output of an M/G/∞ system is
//! Poisson: Mirasol, 1963). Then:
//!
//! - a change in progress for `w` days sees Poisson(λ_c w) merges to its
//!   codebase, each a conflict with probability p: it conflicts at least
//!   once with probability 1 − e^{−λ_c p w}, the thinned stream's chance of
//!   an arrival (the per-merge view: 1 − (1 − p)^k for k merges);
//! - a train departing every T days carries Poisson(λT) changes, so it is
//!   held with probability 1 − e^{−λTq} and fails in production with
//!   1 − e^{−λTc}; a change merged at a uniform moment waits T/2 for it on
//!   average (renewal theory: the mean residual of a fixed period), plus
//!   the hold of its train, which it holds itself with probability q;
//! - a service deploys each change alone: one deploy per change, each
//!   failing with probability c;
//! - a restore is a fix and a build, `f + b`, whatever the architecture.

use super::params::{Architecture, Params};
use crate::theory::{Expected, Prediction};
use libm::exp;

/// Where the conflict overlay's numbers come from.
const CONFLICTS: &str = "P(conflict) = 1 − e^−λpw for Poisson merges at rate λ to the codebase \
    during the w days from start to first build's end, each conflicting with probability p \
    (Poisson thinning; Poisson merges by Mirasol's M/G/∞ output theorem, 1963)";
/// Where the deploy-frequency overlay's numbers come from.
const FREQUENCY: &str = "a train every T days that is not empty, (1 − e^−λT)/T; or one deploy \
    per change, λ (Poisson arrivals; Kleinrock, Queueing Systems I, §2)";
/// Where the change-failure overlay's numbers come from.
const FAILURE: &str = "a deploy of N ~ Poisson(λT) changes fails unless none breaks: \
    (1 − e^−λTc)/(1 − e^−λT) for a train that is not empty; c for one change";
/// Where the restore overlay's numbers come from.
const RESTORE: &str = "a fix then a build of its codebase: f + b, both fixed";
/// Where the lead-time overlay's numbers come from.
const LEAD: &str = "build b, plus q(f + b) for a service's failed integration; for the \
    monolith plus the train's mean residual wait T/2 (renewal theory, fixed period) and its \
    hold f + b with probability 1 − (1 − q)e^−λTq";

/// What theory predicts for the headline number `stat` under `params`.
pub(super) fn predict(p: &Params, stat: &str) -> Option<Prediction> {
    let expected = |value: f64, source| Expected { value, source };
    let monolith = p.architecture == Architecture::Monolith;
    let lambda = p.change_rate * f64::from(p.developers());
    let (q, c, t) = (p.integration_failure, p.change_failure, p.release_interval);
    let hold = p.fix_time + p.build_days();
    match stat {
        "changes conflicted" => Some(Ok(expected(100.0 * conflict_share(p), CONFLICTS))),
        "time to restore" => Some(Ok(expected(hold, RESTORE))),
        "deploys per day" => Some(train_on_schedule(p).map(|()| {
            let value = if monolith {
                (1.0 - exp(-lambda * t)) / t
            } else {
                lambda
            };
            expected(value, FREQUENCY)
        })),
        "change failure rate" => Some(train_on_schedule(p).map(|()| {
            let value = if monolith {
                (1.0 - exp(-lambda * t * c)) / (1.0 - exp(-lambda * t))
            } else {
                c
            };
            expected(100.0 * value, FAILURE)
        })),
        "lead time" => Some(train_on_schedule(p).and_then(|()| {
            if p.conflict_probability > 0.0 {
                return Err("it needs no conflicts: their rework is not in the formula");
            }
            let value = if monolith {
                p.build_days() + t / 2.0 + hold * (1.0 - (1.0 - q) * exp(-lambda * t * q))
            } else {
                p.build_days() + q * hold
            };
            Ok(expected(value, LEAD))
        })),
        _ => None,
    }
}

/// Whether every departure of the monolith's train leaves on schedule.
fn train_on_schedule(p: &Params) -> Result<(), &'static str> {
    if p.architecture == Architecture::Monolith && p.fix_time + p.build_days() >= p.release_interval
    {
        return Err("it needs a hold (fix and build) shorter than the release interval");
    }
    Ok(())
}

/// The share of changes whose first build finds a conflict: each
/// codebase's, weighted by the changes made in it.
fn conflict_share(p: &Params) -> f64 {
    let window = p.work_time + p.build_days();
    let developers = f64::from(p.developers());
    (0..p.codebases())
        .map(|codebase| {
            let people = f64::from(p.people_in(codebase));
            let merges = p.change_rate * people;
            people / developers * (1.0 - exp(-merges * p.conflict_probability * window))
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_codebase_conflicts_more_than_several() {
        let p = |architecture| Params {
            architecture,
            ..Params::default()
        };
        let share = |a| conflict_share(&p(a));
        // 48 people at 0.5 a day, p = 0.01, w = 1 + 0.25: 1 − e^−0.3.
        let monolith = share(Architecture::Monolith);
        assert!((monolith - (1.0 - exp(-0.3))).abs() < 1e-12, "{monolith}");
        assert!(share(Architecture::Microservices) < monolith / 5.0);
    }
}
