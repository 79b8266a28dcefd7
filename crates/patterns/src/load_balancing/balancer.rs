//! The balancer: what it knows, what it believes, and how each algorithm uses
//! that to pick a backend.
//!
//! The balancer never sees a backend's true state. It counts the requests it
//! has outstanding on each, remembers latencies it has observed, and believes
//! a backend healthy or not from its own health checks — so a backend that
//! dies keeps receiving traffic until the checks notice. Only the `oracle`
//! baseline reads the truth.

use super::model::Backend;
use super::params::Algorithm;
use archsim_core::{Condition, Rng, SimTime, hash64};

/// Points per backend on the consistent-hash ring: enough for an even split.
const VIRTUAL_NODES: u32 = 64;
/// Time constant of peak EWMA's decay, in seconds.
const EWMA_DECAY_SECS: f64 = 1.0;

/// Everything an algorithm may consult to route one request.
pub(super) struct Route<'a> {
    /// The client sending the request.
    pub(super) client: u32,
    /// A backend this request already failed on (not to be chosen again).
    pub(super) exclude: Option<u32>,
    /// The fleet, for capacities and regions (and the truth, for the oracle).
    pub(super) backends: &'a [Backend],
    /// One-way network delay from the client to each backend, in seconds.
    pub(super) delay_to: &'a dyn Fn(u32) -> f64,
    /// Requests per second one worker serves at speed 1.
    pub(super) service_rate: f64,
}

/// The balancer's state.
pub(super) struct Balancer {
    algorithm: Algorithm,
    unhealthy_threshold: u32,
    healthy_threshold: u32,
    /// Requests sent to each backend and not yet answered or cancelled.
    outstanding: Vec<u32>,
    /// Whether the balancer believes each backend healthy.
    healthy: Vec<bool>,
    /// Consecutive health-check results pointing to a change of belief.
    streak: Vec<u32>,
    round_robin_next: usize,
    weighted_current: Vec<f64>,
    /// Peak EWMA latency estimate (seconds) and when it was last updated.
    ewma: Vec<(f64, SimTime)>,
    /// The hash ring: (point, backend), sorted by point.
    ring: Vec<(u64, u32)>,
    /// Reused buffer of candidate backends.
    candidates: Vec<u32>,
}

impl Balancer {
    pub(super) fn new(
        algorithm: Algorithm,
        backends: u32,
        unhealthy_threshold: u32,
        healthy_threshold: u32,
    ) -> Self {
        let n = backends as usize;
        let mut ring: Vec<(u64, u32)> = (0..backends)
            .flat_map(|b| {
                (0..VIRTUAL_NODES).map(move |v| (hash64((u64::from(b) << 32) | u64::from(v)), b))
            })
            .collect();
        ring.sort_unstable();
        Balancer {
            algorithm,
            unhealthy_threshold,
            healthy_threshold,
            outstanding: vec![0; n],
            healthy: vec![true; n],
            streak: vec![0; n],
            round_robin_next: 0,
            weighted_current: vec![0.0; n],
            ewma: vec![(0.0, SimTime::ZERO); n],
            ring,
            candidates: Vec::with_capacity(n),
        }
    }

    /// Whether the balancer believes `backend` healthy.
    pub(super) fn believes_healthy(&self, backend: u32) -> bool {
        self.healthy[backend as usize]
    }

    /// Requests outstanding on `backend`, as the balancer counts them.
    pub(super) fn outstanding(&self, backend: u32) -> u32 {
        self.outstanding[backend as usize]
    }

    /// A request was sent to `backend`.
    pub(super) fn sent(&mut self, backend: u32) {
        self.outstanding[backend as usize] += 1;
    }

    /// A request on `backend` was answered, failed or cancelled.
    pub(super) fn released(&mut self, backend: u32) {
        let o = &mut self.outstanding[backend as usize];
        *o = o.saturating_sub(1);
    }

    /// A response from `backend` took `latency` (round trip seen by the
    /// balancer): update its peak-sensitive moving average.
    pub(super) fn observed(&mut self, backend: u32, latency: SimTime, now: SimTime) {
        let (estimate, at) = &mut self.ewma[backend as usize];
        let sample = latency.as_secs_f64();
        if sample > *estimate {
            *estimate = sample;
        } else {
            let elapsed = (now - *at).as_secs_f64();
            let w = libm::exp(-elapsed / EWMA_DECAY_SECS);
            *estimate = *estimate * w + sample * (1.0 - w);
        }
        *at = now;
    }

    /// One health-check result for `backend`.
    pub(super) fn checked(&mut self, backend: u32, passed: bool) {
        let b = backend as usize;
        let towards_change = passed != self.healthy[b];
        self.streak[b] = if towards_change {
            self.streak[b] + 1
        } else {
            0
        };
        let needed = if self.healthy[b] {
            self.unhealthy_threshold
        } else {
            self.healthy_threshold
        };
        if self.streak[b] >= needed {
            self.healthy[b] = !self.healthy[b];
            self.streak[b] = 0;
        }
    }

    /// Pick a backend for one request, or `None` if no backend qualifies.
    pub(super) fn choose(&mut self, route: &Route<'_>, rng: &mut Rng) -> Option<u32> {
        let oracle = self.algorithm == Algorithm::Oracle;
        self.candidates.clear();
        for b in 0..route.backends.len() as u32 {
            let usable = if oracle {
                route.backends[b as usize].condition() != Condition::Down
            } else {
                self.healthy[b as usize]
            };
            if usable && route.exclude != Some(b) {
                self.candidates.push(b);
            }
        }
        if self.candidates.is_empty() {
            return None;
        }
        let n = route.backends.len();
        let chosen = match self.algorithm {
            Algorithm::RoundRobin => {
                let start = self.round_robin_next;
                let b = (0..n)
                    .map(|i| ((start + i) % n) as u32)
                    .find(|b| self.candidates.contains(b))?;
                self.round_robin_next = b as usize + 1;
                b
            }
            Algorithm::WeightedRoundRobin => {
                let mut total = 0.0;
                let mut best = self.candidates[0];
                for &b in &self.candidates {
                    let weight = route.backends[b as usize].capacity();
                    self.weighted_current[b as usize] += weight;
                    total += weight;
                    if self.weighted_current[b as usize] > self.weighted_current[best as usize] {
                        best = b;
                    }
                }
                self.weighted_current[best as usize] -= total;
                best
            }
            Algorithm::Random => self.candidates[rng.index(self.candidates.len())],
            Algorithm::PowerOfTwo => {
                let len = self.candidates.len();
                if len == 1 {
                    self.candidates[0]
                } else {
                    let i = rng.index(len);
                    let mut j = rng.index(len - 1);
                    if j >= i {
                        j += 1;
                    }
                    let (a, b) = (self.candidates[i], self.candidates[j]);
                    if self.outstanding(b) < self.outstanding(a) {
                        b
                    } else {
                        a
                    }
                }
            }
            Algorithm::ConsistentHash => {
                // The top bit keeps client keys apart from the ring's backend keys.
                let point = hash64(u64::from(route.client) | (1 << 63));
                let start = self.ring.partition_point(|&(p, _)| p < point);
                let len = self.ring.len();
                (0..len)
                    .map(|i| self.ring[(start + i) % len].1)
                    .find(|b| self.candidates.contains(b))?
            }
            Algorithm::LeastConnections => self.cheapest(rng, |me, b| f64::from(me.outstanding(b))),
            Algorithm::PeakEwma => self.cheapest(rng, |me, b| {
                me.ewma[b as usize].0 * f64::from(me.outstanding(b) + 1)
            }),
            Algorithm::LeastLatencyRegion => self.cheapest(rng, |me, b| {
                let backend = &route.backends[b as usize];
                let queueing =
                    f64::from(me.outstanding(b) + 1) / (backend.capacity() * route.service_rate);
                2.0 * (route.delay_to)(b) + queueing
            }),
            Algorithm::Oracle => self.cheapest(rng, |_, b| {
                let backend = &route.backends[b as usize];
                f64::from(backend.load() + 1) / backend.true_capacity()
            }),
        };
        Some(chosen)
    }

    /// The candidate with the lowest `cost`, ties broken at random so that no
    /// backend is favoured for its position in the list.
    fn cheapest(&self, rng: &mut Rng, cost: impl Fn(&Self, u32) -> f64) -> u32 {
        let mut best = f64::INFINITY;
        let mut ties = 0u64;
        let mut chosen = self.candidates[0];
        for &b in &self.candidates {
            let c = cost(self, b);
            if c < best {
                best = c;
                ties = 1;
                chosen = b;
            } else if c == best {
                // Reservoir sampling: each tied backend ends up chosen with
                // probability 1/ties.
                ties += 1;
                if rng.below(ties) == 0 {
                    chosen = b;
                }
            }
        }
        chosen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_belief_flips_only_after_the_thresholds() {
        let mut b = Balancer::new(Algorithm::RoundRobin, 1, 2, 3);
        b.checked(0, false);
        assert!(b.believes_healthy(0), "one failure is not enough");
        b.checked(0, true);
        b.checked(0, false);
        assert!(b.believes_healthy(0), "the streak was broken");
        b.checked(0, false);
        assert!(!b.believes_healthy(0));
        b.checked(0, true);
        b.checked(0, true);
        assert!(!b.believes_healthy(0));
        b.checked(0, true);
        assert!(b.believes_healthy(0));
    }

    #[test]
    fn peak_ewma_jumps_up_and_decays_down() {
        let mut b = Balancer::new(Algorithm::PeakEwma, 1, 1, 1);
        b.observed(0, SimTime::from_millis(100), SimTime::from_secs(1));
        assert_eq!(b.ewma[0].0, 0.1);
        b.observed(0, SimTime::from_millis(10), SimTime::from_secs(2));
        let expected = 0.1 * (-1.0f64).exp() + 0.01 * (1.0 - (-1.0f64).exp());
        assert!((b.ewma[0].0 - expected).abs() < 1e-12);
    }
}
