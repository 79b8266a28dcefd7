//! A log-linear histogram of durations.
//!
//! Values (microseconds) below `2^(precision + 1)` are counted exactly; above
//! that, each power of two is split into `2^precision` equal buckets, so a
//! quantile is off by at most `1 / 2^(precision + 1)` of its value — the same
//! idea as HdrHistogram, small enough to keep one per chart bucket. The mean,
//! minimum and maximum are exact.

use crate::time::SimTime;

/// Precision of the run-wide latency histograms: quantiles within 0.4%.
pub(crate) const FINE: u32 = 7;
/// Precision of per-bucket histograms behind the time-series charts: within 3%.
pub(crate) const COARSE: u32 = 4;

/// Counts of durations in log-linear buckets.
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    precision: u32,
    counts: Vec<u64>,
    count: u64,
    sum_micros: u128,
    min: u64,
    max: u64,
}

impl Histogram {
    /// An empty histogram whose quantiles are within `1 / 2^(precision + 1)`.
    pub fn new(precision: u32) -> Self {
        Histogram {
            precision,
            counts: Vec::new(),
            count: 0,
            sum_micros: 0,
            min: u64::MAX,
            max: 0,
        }
    }

    fn index(&self, v: u64) -> usize {
        let exact_below = 2u64 << self.precision;
        if v < exact_below {
            return v as usize;
        }
        let exponent = 63 - v.leading_zeros();
        let shift = exponent - self.precision;
        ((shift as usize) << self.precision) + (v >> shift) as usize
    }

    /// The smallest and largest value that land in bucket `index`.
    fn bounds(&self, index: usize) -> (u64, u64) {
        let sub = 1usize << self.precision;
        if index < 2 * sub {
            return (index as u64, index as u64);
        }
        let shift = (index >> self.precision) - 1;
        let mantissa = (index & (sub - 1)) + sub;
        let low = (mantissa as u64) << shift;
        (low, low + ((1u64 << shift) - 1))
    }

    /// Count one value.
    pub fn record(&mut self, value: SimTime) {
        let v = value.as_micros();
        let i = self.index(v);
        if i >= self.counts.len() {
            self.counts.resize(i + 1, 0);
        }
        self.counts[i] += 1;
        self.count += 1;
        self.sum_micros += u128::from(v);
        self.min = self.min.min(v);
        self.max = self.max.max(v);
    }

    /// How many values were recorded.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The exact mean, or zero when empty.
    pub fn mean(&self) -> SimTime {
        if self.count == 0 {
            return SimTime::ZERO;
        }
        SimTime::from_micros((self.sum_micros / u128::from(self.count)) as u64)
    }

    /// The exact mean in seconds (without rounding to the microsecond).
    pub fn mean_secs(&self) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        self.sum_micros as f64 / self.count as f64 / 1e6
    }

    /// The exact largest value, or zero when empty.
    pub fn max(&self) -> SimTime {
        SimTime::from_micros(self.max)
    }

    /// The exact smallest value, or zero when empty.
    pub fn min(&self) -> SimTime {
        if self.count == 0 {
            SimTime::ZERO
        } else {
            SimTime::from_micros(self.min)
        }
    }

    /// The `q`-quantile (`q` in `[0, 1]`, nearest rank), or zero when empty.
    pub fn quantile(&self, q: f64) -> SimTime {
        if self.count == 0 {
            return SimTime::ZERO;
        }
        let rank = libm::ceil(q.clamp(0.0, 1.0) * self.count as f64).max(1.0) as u64;
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                let (low, high) = self.bounds(i);
                let mid = low + (high - low) / 2;
                return SimTime::from_micros(mid.clamp(self.min, self.max));
            }
        }
        self.max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn empty_histogram_reports_zeros() {
        let h = Histogram::new(FINE);
        assert_eq!(h.count(), 0);
        assert_eq!(h.quantile(0.99), SimTime::ZERO);
        assert_eq!(h.mean(), SimTime::ZERO);
        assert_eq!(h.min(), SimTime::ZERO);
    }

    #[test]
    fn uniform_values_have_the_expected_quantiles() {
        let mut h = Histogram::new(FINE);
        for v in 1..=100_000u64 {
            h.record(SimTime::from_micros(v));
        }
        for (q, want) in [(0.5, 50_000.0), (0.95, 95_000.0), (0.99, 99_000.0)] {
            let got = h.quantile(q).as_micros() as f64;
            assert!((got - want).abs() / want < 0.005, "q{q}: {got}");
        }
        assert_eq!(h.max().as_micros(), 100_000);
        assert_eq!(h.min().as_micros(), 1);
        assert_eq!(h.mean_secs(), 50_000.5 / 1e6);
    }

    proptest! {
        #[test]
        fn every_value_lands_in_a_bucket_that_contains_it(v in any::<u64>(), p in 1u32..10) {
            let h = Histogram::new(p);
            let (low, high) = h.bounds(h.index(v));
            prop_assert!(low <= v && v <= high, "{v} not in [{low}, {high}]");
            // The relative width of a bucket is bounded by the precision.
            prop_assert!((high - low) as f64 <= low as f64 / f64::from(1u32 << p) + 1.0);
        }

        #[test]
        fn quantiles_are_monotone_and_within_min_max(values in prop::collection::vec(0u64..10_000_000, 1..200)) {
            let mut h = Histogram::new(COARSE);
            for &v in &values {
                h.record(SimTime::from_micros(v));
            }
            let mut last = SimTime::ZERO;
            for q in [0.0, 0.1, 0.5, 0.9, 0.99, 1.0] {
                let x = h.quantile(q);
                prop_assert!(x >= last);
                prop_assert!(x >= h.min() && x <= h.max());
                last = x;
            }
        }
    }
}
