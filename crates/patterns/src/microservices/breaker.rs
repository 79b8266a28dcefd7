//! A circuit breaker, as resilience libraries build one (Nygard, *Release
//! It!*, 2nd ed., ch. 5; resilience4j's count-based breaker): closed, it
//! lets calls through and remembers the outcomes of the last
//! [`WINDOW`]; once it has seen at least [`MIN_CALLS`] of them and at least
//! [`FAILURE_RATE`] failed, it opens and fails calls at once; after
//! [`OPEN_WAIT`] it is half-open and lets [`TRIAL_CALLS`] trial calls
//! through: all of them succeeding closes it, any failing opens it again.
//!
//! A caller asks for a [`Permit`] before each call and hands it back with
//! the outcome. Outcomes of calls let through in an earlier state (a late
//! reply from before the breaker opened, say) are not counted: each state
//! change starts a new generation of permits.

use archsim_core::SimTime;
use std::collections::VecDeque;

/// Outcomes a closed breaker remembers.
pub(super) const WINDOW: usize = 20;
/// Outcomes it needs before it judges.
pub(super) const MIN_CALLS: usize = 10;
/// The share of failures among them that opens it.
pub(super) const FAILURE_RATE: f64 = 0.5;
/// Seconds it stays open before trying again.
pub(super) const OPEN_WAIT: f64 = 2.0;
/// Trial calls a half-open breaker lets through.
pub(super) const TRIAL_CALLS: u32 = 3;

/// Where a breaker stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum BreakerState {
    /// Calls go through; outcomes are counted.
    Closed,
    /// Calls fail at once.
    Open,
    /// A few trial calls go through.
    HalfOpen,
}

/// Leave to make one call, to be handed back with its outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Permit {
    generation: u32,
}

/// One caller's breaker for one dependency.
#[derive(Clone, Debug)]
pub(super) struct Breaker {
    state: BreakerState,
    generation: u32,
    /// Closed: the last outcomes, true for a success.
    outcomes: VecDeque<bool>,
    /// Open: when it turns half-open.
    until: SimTime,
    /// Half-open: trials let through, and how many succeeded.
    trials: u32,
    passed: u32,
    /// Times it has opened.
    opened: u64,
}

impl Default for Breaker {
    fn default() -> Self {
        Breaker {
            state: BreakerState::Closed,
            generation: 0,
            outcomes: VecDeque::with_capacity(WINDOW),
            until: SimTime::ZERO,
            trials: 0,
            passed: 0,
            opened: 0,
        }
    }
}

impl Breaker {
    /// Where it stands at `now` (an open breaker whose wait is over is
    /// half-open).
    pub(super) fn state(&self, now: SimTime) -> BreakerState {
        match self.state {
            BreakerState::Open if now >= self.until => BreakerState::HalfOpen,
            state => state,
        }
    }

    /// Times it has opened.
    pub(super) fn opened(&self) -> u64 {
        self.opened
    }

    /// Leave to call at `now`, or none if the call must fail at once.
    pub(super) fn permit(&mut self, now: SimTime) -> Option<Permit> {
        if self.state == BreakerState::Open && now >= self.until {
            self.enter(BreakerState::HalfOpen);
        }
        match self.state {
            BreakerState::Closed => {}
            BreakerState::Open => return None,
            BreakerState::HalfOpen => {
                if self.trials == TRIAL_CALLS {
                    return None;
                }
                self.trials += 1;
            }
        }
        Some(Permit {
            generation: self.generation,
        })
    }

    /// The outcome at `now` of the call `permit` let through.
    pub(super) fn record(&mut self, permit: Permit, ok: bool, now: SimTime) {
        if permit.generation != self.generation {
            return;
        }
        match self.state {
            BreakerState::Closed => {
                if self.outcomes.len() == WINDOW {
                    self.outcomes.pop_front();
                }
                self.outcomes.push_back(ok);
                let failed = self.outcomes.iter().filter(|&&ok| !ok).count();
                let seen = self.outcomes.len();
                if seen >= MIN_CALLS && failed as f64 >= FAILURE_RATE * seen as f64 {
                    self.open(now);
                }
            }
            BreakerState::HalfOpen if !ok => self.open(now),
            BreakerState::HalfOpen => {
                self.passed += 1;
                if self.passed == TRIAL_CALLS {
                    self.enter(BreakerState::Closed);
                }
            }
            BreakerState::Open => {}
        }
    }

    fn open(&mut self, now: SimTime) {
        self.enter(BreakerState::Open);
        self.until = now + SimTime::from_secs_f64(OPEN_WAIT);
        self.opened += 1;
    }

    fn enter(&mut self, state: BreakerState) {
        self.state = state;
        self.generation += 1;
        self.outcomes.clear();
        self.trials = 0;
        self.passed = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: f64) -> SimTime {
        SimTime::from_secs_f64(secs)
    }

    /// Make `n` calls at `now` with outcome `ok`.
    fn calls(b: &mut Breaker, n: usize, ok: bool, now: SimTime) {
        for _ in 0..n {
            let permit = b.permit(now).expect("let through");
            b.record(permit, ok, now);
        }
    }

    fn opened_breaker() -> Breaker {
        let mut b = Breaker::default();
        calls(&mut b, MIN_CALLS, false, at(1.0));
        assert_eq!(b.state(at(1.0)), BreakerState::Open);
        b
    }

    #[test]
    fn closed_stays_closed_below_the_minimum_calls() {
        let mut b = Breaker::default();
        calls(&mut b, MIN_CALLS - 1, false, at(1.0));
        assert_eq!(b.state(at(1.0)), BreakerState::Closed);
        assert_eq!(b.opened(), 0);
    }

    #[test]
    fn closed_stays_closed_below_the_failure_rate() {
        let mut b = Breaker::default();
        // Eleven successes then nine failures, over and over: once the
        // window is full it always holds nine failures in twenty.
        for i in 0..WINDOW * 3 {
            let permit = b.permit(at(1.0)).unwrap();
            b.record(permit, i % WINDOW < 11, at(1.0));
        }
        assert_eq!(b.state(at(1.0)), BreakerState::Closed);
    }

    #[test]
    fn closed_opens_at_the_failure_rate_once_it_has_the_minimum_calls() {
        let mut b = Breaker::default();
        calls(&mut b, MIN_CALLS / 2, true, at(1.0));
        calls(&mut b, MIN_CALLS / 2 - 1, false, at(1.0));
        assert_eq!(b.state(at(1.0)), BreakerState::Closed);
        calls(&mut b, 1, false, at(1.0));
        assert_eq!(b.state(at(1.0)), BreakerState::Open);
        assert_eq!(b.opened(), 1);
    }

    #[test]
    fn the_window_forgets_old_failures() {
        let mut b = Breaker::default();
        calls(&mut b, MIN_CALLS / 2 - 1, false, at(1.0));
        calls(&mut b, WINDOW, true, at(1.0));
        // The window now holds 11 successes and these 9 failures.
        calls(&mut b, 9, false, at(1.0));
        assert_eq!(b.state(at(1.0)), BreakerState::Closed);
    }

    #[test]
    fn open_refuses_calls_until_its_wait_is_over() {
        let mut b = opened_breaker();
        assert_eq!(b.permit(at(1.0 + OPEN_WAIT - 0.001)), None);
        assert_eq!(b.state(at(1.0 + OPEN_WAIT)), BreakerState::HalfOpen);
        assert!(b.permit(at(1.0 + OPEN_WAIT)).is_some());
    }

    #[test]
    fn half_open_lets_only_the_trial_calls_through() {
        let mut b = opened_breaker();
        let t = at(1.0 + OPEN_WAIT);
        for _ in 0..TRIAL_CALLS {
            assert!(b.permit(t).is_some());
        }
        assert_eq!(b.permit(t), None);
    }

    #[test]
    fn half_open_closes_when_every_trial_succeeds() {
        let mut b = opened_breaker();
        let t = at(1.0 + OPEN_WAIT);
        calls(&mut b, TRIAL_CALLS as usize, true, t);
        assert_eq!(b.state(t), BreakerState::Closed);
        // Closed afresh: it needs the minimum calls again before it opens.
        calls(&mut b, MIN_CALLS - 1, false, t);
        assert_eq!(b.state(t), BreakerState::Closed);
    }

    #[test]
    fn half_open_opens_again_when_a_trial_fails() {
        let mut b = opened_breaker();
        let t = at(1.0 + OPEN_WAIT);
        calls(&mut b, 1, true, t);
        calls(&mut b, 1, false, t);
        assert_eq!(b.state(t), BreakerState::Open);
        assert_eq!(b.opened(), 2);
        assert_eq!(b.permit(at(1.0 + 2.0 * OPEN_WAIT - 0.001)), None);
    }

    #[test]
    fn outcomes_of_calls_from_an_earlier_state_are_not_counted() {
        let mut b = Breaker::default();
        // Let through while closed; its failure comes back after the
        // breaker has opened and turned half-open.
        let late = b.permit(at(0.5)).unwrap();
        calls(&mut b, MIN_CALLS, false, at(1.0));
        let t = at(1.0 + OPEN_WAIT);
        let trial = b.permit(t).unwrap();
        b.record(late, false, t);
        assert_eq!(b.state(t), BreakerState::HalfOpen);
        b.record(trial, true, t);
        assert_eq!(b.state(t), BreakerState::HalfOpen);
    }
}
