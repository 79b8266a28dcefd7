//! Microservices delivery: each preset shows what its "what to look for"
//! sentence says on seeds other than its own; conflicts, deploy frequency,
//! change failure rate, lead time, the train's wait and the time to
//! restore against their closed forms over seed sweeps, each tolerance a
//! 95% t-interval.

use crate::{SEEDS, compare, num};
use archsim_patterns::Settings;
use archsim_patterns::delivery::{self, Architecture, PATTERN, Params, Report};
use archsim_patterns::interval::Interval;

/// Delivery parameters: the defaults with `sets` applied.
fn params(sets: &[(&str, &str)]) -> Params {
    crate::scenario(sets)
}

/// Run a delivery experiment to the end.
fn run(params: &Params, seed: u64) -> Report {
    delivery::run(params, seed, &mut |_| {}).unwrap_or_else(|e| panic!("{e}"))
}

/// The seeds of the theory sweeps.
const SWEEP: [u64; 10] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/// The headline number `label` of `p` on each sweep seed, and what the
/// pattern's textbook predicts for it.
fn simulated_and_predicted(p: &Params, label: &str) -> (Vec<f64>, f64) {
    let samples = SWEEP
        .iter()
        .map(|&seed| {
            let dashboard = run(p, seed).dashboard(p);
            let stat = dashboard.stats.iter().find(|s| s.label == label);
            stat.and_then(|s| s.value).expect("a measured stat")
        })
        .collect();
    let predicted = PATTERN
        .theory(&Settings::of(p), label)
        .expect("a prediction for this stat")
        .unwrap_or_else(|why| panic!("{label}: {why}"))
        .value;
    (samples, predicted)
}

/// Assert `theory` lies within the 95% t-interval of `samples` (or within
/// `exact` of their mean, for a number with no spread), and print both.
fn agrees(what: &str, samples: &[f64], theory: f64, exact: f64) {
    let ci = Interval::of(samples).expect("ten seeds");
    println!(
        "{what}: simulated {:.5} ± {:.5} (95% CI), theory {theory:.5}",
        ci.mean, ci.half_width
    );
    assert!(
        (ci.mean - theory).abs() <= ci.half_width.max(exact),
        "{what}: {ci:?} vs {theory}"
    );
}

/// Long runs, their warm-up ending between trains so that every train
/// counted leaves on schedule inside the window.
fn long(architecture: &str) -> Params {
    params(&[
        ("architecture", architecture),
        ("duration", "364.5"),
        ("warmup", "14.5"),
    ])
}

mod theory {
    use super::*;

    /// Conflicts: a change is in progress w = work + build days, and sees
    /// Poisson(λw) merges to its codebase (Poisson by the M/G/∞ output
    /// theorem, Mirasol 1963), each a conflict with probability p: it
    /// conflicts with probability 1 − e^−λpw (Poisson thinning).
    #[test]
    fn conflicts_follow_the_thinned_poisson_merges() {
        for architecture in ["monolith", "microservices"] {
            let p = long(architecture);
            let (samples, predicted) = simulated_and_predicted(&p, "changes conflicted");
            let lambda = p.change_rate * f64::from(p.people_in(0));
            let formula = 100.0
                * (1.0 - (-lambda * p.conflict_probability * (p.work_time + p.build_days())).exp());
            assert!(
                (predicted - formula).abs() < 1e-9,
                "{predicted} vs {formula}"
            );
            agrees(
                &format!("{architecture} conflicts %"),
                &samples,
                predicted,
                0.0,
            );
        }
    }

    /// Deploy frequency: a service deploys each of the λ changes a day;
    /// a train every T days deploys (1 − e^−λT)/T times a day, empty trains
    /// staying home (Poisson arrivals).
    #[test]
    fn deploys_per_day_are_the_change_rate_or_the_trains() {
        for architecture in ["monolith", "microservices"] {
            let p = long(architecture);
            let (samples, predicted) = simulated_and_predicted(&p, "deploys per day");
            // The trains are deterministic: 50 in the 350 days measured.
            agrees(
                &format!("{architecture} deploys/day"),
                &samples,
                predicted,
                1e-9,
            );
        }
    }

    /// Change failure rate: a deploy of N ~ Poisson(λT) changes fails if
    /// any of them breaks production, each with probability c:
    /// (1 − e^−λTc)/(1 − e^−λT) for a train; c for a service's single change.
    #[test]
    fn a_deploy_fails_when_any_change_in_it_does() {
        for architecture in ["monolith", "microservices"] {
            let p = long(architecture);
            let (samples, predicted) = simulated_and_predicted(&p, "change failure rate");
            agrees(
                &format!("{architecture} change failure %"),
                &samples,
                predicted,
                0.0,
            );
        }
    }

    /// Lead time without conflicts: a service's change takes its build b,
    /// plus q(f + b) when it fails integration; the monolith's adds the
    /// train's mean residual wait T/2 (renewal theory: uniform in a fixed
    /// period) and the hold f + b of a train one of its Poisson(λT) other
    /// changes, or itself, fails: 1 − (1 − q)e^−λTq.
    #[test]
    fn lead_time_is_the_build_the_train_and_its_holds() {
        for architecture in ["monolith", "microservices"] {
            let mut p = long(architecture);
            p.conflict_probability = 0.0;
            let (samples, predicted) = simulated_and_predicted(&p, "lead time");
            agrees(
                &format!("{architecture} lead time"),
                &samples,
                predicted,
                0.0,
            );
        }
    }

    /// The train's own wait, merge to production, with conflicts on:
    /// T/2 + (f + b)(1 − (1 − q)e^−λTq), as above.
    #[test]
    fn the_train_wait_is_half_an_interval_and_the_holds() {
        let p = long("monolith");
        let lambda = p.change_rate * f64::from(p.developers());
        let (t, q) = (p.release_interval, p.integration_failure);
        let hold = p.fix_time + p.build_days();
        let theory = t / 2.0 + hold * (1.0 - (1.0 - q) * (-lambda * t * q).exp());
        let samples: Vec<f64> = SWEEP.iter().map(|&s| run(&p, s).train_wait.mean).collect();
        agrees("monolith train wait", &samples, theory, 0.0);
    }

    /// A restore is a fix and a build, f + b, both fixed: exact.
    #[test]
    fn a_restore_takes_a_fix_and_a_build() {
        for architecture in ["monolith", "microservices"] {
            let p = long(architecture);
            let (samples, predicted) = simulated_and_predicted(&p, "time to restore");
            assert!((predicted - (p.fix_time + p.build_days())).abs() < 1e-12);
            agrees(
                &format!("{architecture} restore"),
                &samples,
                predicted,
                1e-5,
            );
        }
    }
}

/// Each preset's sentence, on seeds other than its own.
mod claims {
    use super::*;

    #[test]
    fn the_train_is_slower_rarer_and_riskier_than_a_pipeline_per_service() {
        for (seed, runs) in SEEDS.iter().zip(compare("ms-release-train")) {
            let [monolith, services] = [&runs[0], &runs[1]];
            let at = |m, k| num(m, k);
            // Over four days on average, about a week at the 90th percentile.
            assert!(at(monolith, "/lead_time/mean") > 4.0, "seed {seed}");
            assert!(
                (6.5..8.0).contains(&at(monolith, "/lead_time/p90")),
                "seed {seed}"
            );
            // Half a week for the train; a quarter to three-quarters held.
            let wait = at(monolith, "/train_wait/mean");
            assert!((3.5..4.5).contains(&wait), "seed {seed}: wait {wait}");
            let held = at(monolith, "/held_trains") / at(monolith, "/deploys");
            assert!((0.25..=0.75).contains(&held), "seed {seed}: {held}");
            // Once a week, seven or more deploys in ten broken.
            assert!((at(monolith, "/deploys_per_day") - 1.0 / 7.0).abs() < 0.02);
            assert!(at(monolith, "/change_failure_rate") >= 0.7, "seed {seed}");
            // A service: ~24 deploys a day, a 45-minute median, ~1% failing.
            assert!((22.0..26.0).contains(&at(services, "/deploys_per_day")));
            let p50_minutes = at(services, "/lead_time/p50") * 24.0 * 60.0;
            assert!(
                (40.0..50.0).contains(&p50_minutes),
                "seed {seed}: {p50_minutes}"
            );
            assert!(at(services, "/change_failure_rate") < 0.02, "seed {seed}");
            // Restores: about half a day against three-quarters.
            assert!((at(services, "/time_to_restore") - 0.53).abs() < 0.01);
            assert!((at(monolith, "/time_to_restore") - 0.75).abs() < 1e-3);
            assert!((at(services, "/build_hours") - 0.75).abs() < 1e-9);
            assert!((at(monolith, "/build_hours") - 6.0).abs() < 1e-9);
        }
    }

    #[test]
    fn a_large_codebase_builds_slowly_and_conflicts_often() {
        for (seed, runs) in SEEDS.iter().zip(compare("ms-codebase-size")) {
            let [monolith, services] = [&runs[0], &runs[1]];
            assert!((num(monolith, "/build_hours") - 15.0).abs() < 1e-9);
            assert!(num(services, "/build_hours") < 2.0);
            let conflicts = num(monolith, "/conflict_share");
            assert!(conflicts > 0.5, "seed {seed}: {conflicts}");
            // About one in sixteen.
            let conflicts = num(services, "/conflict_share");
            assert!(
                (0.05..0.075).contains(&conflicts),
                "seed {seed}: {conflicts}"
            );
            assert!(num(services, "/lead_time/p50") * 24.0 < 2.0, "seed {seed}");
            assert!(num(monolith, "/lead_time/p50") > 5.0, "seed {seed}");
        }
    }

    #[test]
    fn more_people_in_one_codebase_conflict_more() {
        for (seed, runs) in SEEDS.iter().zip(compare("ms-people")) {
            let shares: Vec<f64> = runs.iter().map(|m| num(m, "/conflict_share")).collect();
            assert!(
                shares.windows(2).all(|w| w[0] < w[1]),
                "seed {seed}: {shares:?}"
            );
            let bands = [(0.05, 0.09), (0.12, 0.18), (0.22, 0.29), (0.42, 0.5)];
            for (share, (lo, hi)) in shares.iter().zip(bands) {
                assert!((lo..hi).contains(share), "seed {seed}: {shares:?}");
            }
            let failing: Vec<f64> = runs
                .iter()
                .map(|m| num(m, "/change_failure_rate"))
                .collect();
            assert!(
                failing[0] <= 0.5 && failing[3] >= 0.9,
                "seed {seed}: {failing:?}"
            );
        }
    }
}

#[test]
fn the_model_counts_days_and_says_so() {
    assert_eq!(PATTERN.clock_unit(), "days");
    let p = params(&[("architecture", "monolith")]);
    assert_eq!(p.architecture, Architecture::Monolith);
    let err = Settings::of(&p).build::<Params>().map(drop);
    assert!(err.is_ok());
    let mut bad = Settings::of(&p);
    bad.set("warmup", "200").unwrap();
    let message = bad.build::<Params>().unwrap_err().to_string();
    assert!(message.contains("(120 days)"), "{message}");
    let mut bad = Settings::of(&p);
    bad.set("services", "9").unwrap();
    let message = bad.build::<Params>().unwrap_err().to_string();
    assert!(
        message.contains("at most 8 services for 8 teams"),
        "{message}"
    );
}
