//! Pieces every pattern's report shares.

use archsim_core::Histogram;

/// Latency statistics over the measured window, in seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct LatencySummary {
    /// Exact mean.
    pub mean: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Exact maximum.
    pub max: f64,
}

impl LatencySummary {
    /// Summarise a histogram of latencies.
    pub fn of(h: &Histogram) -> Self {
        LatencySummary {
            mean: h.mean_secs(),
            p50: h.quantile(0.50).as_secs_f64(),
            p95: h.quantile(0.95).as_secs_f64(),
            p99: h.quantile(0.99).as_secs_f64(),
            max: h.max().as_secs_f64(),
        }
    }
}

/// A chart bucket wide enough that a run of `duration` seconds gives at most
/// about 120 points, from a list of round numbers.
pub fn chart_bucket(duration: f64) -> f64 {
    const ROUND: [f64; 10] = [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0];
    ROUND
        .into_iter()
        .find(|&b| duration / b <= 120.0)
        .unwrap_or(60.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_buckets_are_round_and_bounded() {
        assert_eq!(chart_bucket(10.0), 0.1);
        assert_eq!(chart_bucket(60.0), 0.5);
        assert_eq!(chart_bucket(120.0), 1.0);
        assert_eq!(chart_bucket(3600.0), 30.0);
    }
}
