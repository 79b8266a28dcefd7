//! What a simulation measures.
//!
//! A model registers its metrics once, when it is built, and gets back small
//! copyable ids; recording is then an index into a vector, cheap enough for
//! every event. Three kinds exist:
//!
//! - **counters** (requests arrived, completed, …): a run-wide total, a total
//!   over the measured window, and a count per chart bucket;
//! - **histograms** of durations (latency): measured-window quantiles, and a
//!   coarser histogram per chart bucket for percentile-over-time charts;
//! - **gauges** (queue length, busy workers): a value that holds until it
//!   changes; reported as time-weighted averages, the form Little's law needs.
//!
//! The measured window starts at the warm-up time, so summary statistics
//! describe steady state. Totals used for conservation checks and the chart
//! series cover the whole run, warm-up included, so nothing is hidden.

use crate::histogram::{COARSE, FINE, Histogram};
use crate::time::SimTime;

/// Names a registered counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CounterId(usize);
/// Names a registered duration histogram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HistogramId(usize);
/// Names a registered gauge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GaugeId(usize);

struct Counter {
    name: String,
    total: u64,
    measured: u64,
    series: Vec<u64>,
}

struct Durations {
    name: String,
    measured: Histogram,
    series: Vec<Histogram>,
}

struct Gauge {
    name: String,
    value: f64,
    since: SimTime,
    peak: f64,
    /// Integral of the value over the measured window, in value × µs.
    measured_area: f64,
    /// Integral of the value over each chart bucket, in value × µs.
    series_area: Vec<f64>,
}

/// The registry of a simulation's metrics.
pub struct Metrics {
    warmup: SimTime,
    bucket: SimTime,
    counters: Vec<Counter>,
    histograms: Vec<Durations>,
    gauges: Vec<Gauge>,
    /// The bucket recorded into last, as `(index, start, end)` in µs: time
    /// only moves forward, so most records skip a division.
    current: (usize, u64, u64),
}

impl Metrics {
    /// An empty registry whose measured window starts at `warmup` and whose
    /// time series have one point per `bucket` of simulated time.
    ///
    /// # Panics
    /// If `bucket` is zero.
    pub fn new(warmup: SimTime, bucket: SimTime) -> Self {
        assert!(
            bucket > SimTime::ZERO,
            "time-series bucket must be positive"
        );
        Metrics {
            warmup,
            bucket,
            counters: Vec::new(),
            histograms: Vec::new(),
            gauges: Vec::new(),
            current: (0, 0, bucket.as_micros()),
        }
    }

    /// When the measured window starts.
    pub fn warmup(&self) -> SimTime {
        self.warmup
    }

    /// Width of one time-series bucket.
    pub fn bucket(&self) -> SimTime {
        self.bucket
    }

    /// The chart bucket `now` falls in, for recording: remembered, since
    /// time only moves forward and most records land in the same bucket.
    fn bucket_for_record(&mut self, now: SimTime) -> usize {
        let (index, start, end) = self.current;
        let t = now.as_micros();
        if (start..end).contains(&t) {
            return index;
        }
        let width = self.bucket.as_micros();
        let index = (t / width) as usize;
        let start = index as u64 * width;
        self.current = (index, start, start.saturating_add(width));
        index
    }

    /// How many buckets the time series have at `now`: the partial bucket
    /// `now` falls in counts, an empty one starting exactly at `now` does not.
    pub fn buckets_until(&self, now: SimTime) -> usize {
        (now.as_micros().div_ceil(self.bucket.as_micros()) as usize).max(1)
    }

    /// Register a counter.
    pub fn counter(&mut self, name: impl Into<String>) -> CounterId {
        self.counters.push(Counter {
            name: name.into(),
            total: 0,
            measured: 0,
            series: Vec::new(),
        });
        CounterId(self.counters.len() - 1)
    }

    /// Register a duration histogram.
    pub fn histogram(&mut self, name: impl Into<String>) -> HistogramId {
        self.histograms.push(Durations {
            name: name.into(),
            measured: Histogram::new(FINE),
            series: Vec::new(),
        });
        HistogramId(self.histograms.len() - 1)
    }

    /// Register a gauge that starts at zero.
    pub fn gauge(&mut self, name: impl Into<String>) -> GaugeId {
        self.gauges.push(Gauge {
            name: name.into(),
            value: 0.0,
            since: SimTime::ZERO,
            peak: 0.0,
            measured_area: 0.0,
            series_area: Vec::new(),
        });
        GaugeId(self.gauges.len() - 1)
    }

    /// Add `n` to a counter at time `now`.
    pub fn count(&mut self, now: SimTime, id: CounterId, n: u64) {
        let b = self.bucket_for_record(now);
        let measuring = now >= self.warmup;
        let c = &mut self.counters[id.0];
        c.total += n;
        if measuring {
            c.measured += n;
        }
        if b >= c.series.len() {
            c.series.resize(b + 1, 0);
        }
        c.series[b] += n;
    }

    /// Record one duration observed at time `now`.
    pub fn observe(&mut self, now: SimTime, id: HistogramId, value: SimTime) {
        let b = self.bucket_for_record(now);
        let measuring = now >= self.warmup;
        let h = &mut self.histograms[id.0];
        if measuring {
            h.measured.record(value);
        }
        if b >= h.series.len() {
            h.series.resize_with(b + 1, || Histogram::new(COARSE));
        }
        h.series[b].record(value);
    }

    /// Set a gauge to `value` from time `now` on.
    pub fn set_gauge(&mut self, now: SimTime, id: GaugeId, value: f64) {
        self.settle_gauge(id, now);
        let g = &mut self.gauges[id.0];
        g.value = value;
        if now >= self.warmup {
            g.peak = g.peak.max(value);
        }
    }

    /// Add `delta` to a gauge from time `now` on.
    pub fn add_gauge(&mut self, now: SimTime, id: GaugeId, delta: f64) {
        let value = self.gauges[id.0].value + delta;
        self.set_gauge(now, id, value);
    }

    /// Credit the gauge's current value over `[since, now)` to its areas.
    fn settle_gauge(&mut self, id: GaugeId, now: SimTime) {
        let (warmup, bucket) = (self.warmup, self.bucket.as_micros());
        let g = &mut self.gauges[id.0];
        let (from, value) = (g.since, g.value);
        g.since = now;
        if now <= from || value == 0.0 {
            return;
        }
        let measured_from = from.max(warmup);
        if now > measured_from {
            g.measured_area += value * (now - measured_from).as_micros() as f64;
            g.peak = g.peak.max(value);
        }
        spread(&mut g.series_area, bucket, from, now, value);
    }

    /// Run-wide total of a counter.
    pub fn total(&self, id: CounterId) -> u64 {
        self.counters[id.0].total
    }

    /// Total of a counter over the measured window.
    pub fn measured(&self, id: CounterId) -> u64 {
        self.counters[id.0].measured
    }

    /// Per-bucket counts up to `now`.
    pub fn counter_series(&self, id: CounterId, now: SimTime) -> Vec<u64> {
        let mut s = self.counters[id.0].series.clone();
        s.resize(self.buckets_until(now), 0);
        s
    }

    /// Durations observed in the measured window.
    pub fn durations(&self, id: HistogramId) -> &Histogram {
        &self.histograms[id.0].measured
    }

    /// `q`-quantile of the durations observed in each bucket up to `now`, in
    /// seconds; `None` for buckets with no observation.
    pub fn quantile_series(&self, id: HistogramId, q: f64, now: SimTime) -> Vec<Option<f64>> {
        let series = &self.histograms[id.0].series;
        (0..self.buckets_until(now))
            .map(|b| {
                series
                    .get(b)
                    .filter(|h| h.count() > 0)
                    .map(|h| h.quantile(q).as_secs_f64())
            })
            .collect()
    }

    /// The largest value the gauge held in the measured window up to `now`.
    pub fn gauge_peak(&self, id: GaugeId, now: SimTime) -> f64 {
        let g = &self.gauges[id.0];
        if now > self.warmup {
            g.peak.max(g.value)
        } else {
            g.peak
        }
    }

    /// Time-weighted mean of the gauge over the measured window up to `now`.
    pub fn gauge_mean(&self, id: GaugeId, now: SimTime) -> f64 {
        let g = &self.gauges[id.0];
        let start = self.warmup;
        if now <= start {
            return 0.0;
        }
        let pending_from = g.since.max(start);
        let pending = if now > pending_from {
            g.value * (now - pending_from).as_micros() as f64
        } else {
            0.0
        };
        (g.measured_area + pending) / (now - start).as_micros() as f64
    }

    /// Time-weighted mean of the gauge in each bucket up to `now` (the last,
    /// partial bucket averaged over the part that has elapsed).
    pub fn gauge_series(&self, id: GaugeId, now: SimTime) -> Vec<f64> {
        let g = &self.gauges[id.0];
        let bucket = self.bucket.as_micros();
        let mut area = g.series_area.clone();
        // The value has held since `since` without being credited yet.
        spread(&mut area, bucket, g.since, now, g.value);
        area.resize(self.buckets_until(now), 0.0);
        area.iter()
            .enumerate()
            .map(|(b, a)| {
                let width = self.elapsed_in_bucket(b, now);
                if width == 0 { 0.0 } else { a / width as f64 }
            })
            .collect()
    }

    /// Counts per chart bucket up to `now` (a [`Metrics::counter_series`],
    /// or a sum of them) as rates per second. The bucket in progress is
    /// divided by the part of it that has elapsed, so that while a run
    /// plays its last point reads as a rate like the others, not as a drop.
    pub fn per_second(&self, counts: &[u64], now: SimTime) -> Vec<f64> {
        counts
            .iter()
            .enumerate()
            .map(|(b, &count)| {
                let width = self.elapsed_in_bucket(b, now);
                if width == 0 {
                    0.0
                } else {
                    count as f64 * 1e6 / width as f64
                }
            })
            .collect()
    }

    /// Microseconds of bucket `b` that have elapsed at `now`.
    fn elapsed_in_bucket(&self, b: usize, now: SimTime) -> u64 {
        let bucket = self.bucket.as_micros();
        let start = b as u64 * bucket;
        (now.as_micros().min(start + bucket)).saturating_sub(start)
    }

    /// Names of the registered counters, in registration order.
    pub fn counter_names(&self) -> impl Iterator<Item = (CounterId, &str)> {
        self.counters
            .iter()
            .enumerate()
            .map(|(i, c)| (CounterId(i), c.name.as_str()))
    }

    /// Names of the registered histograms, in registration order.
    pub fn histogram_names(&self) -> impl Iterator<Item = (HistogramId, &str)> {
        self.histograms
            .iter()
            .enumerate()
            .map(|(i, h)| (HistogramId(i), h.name.as_str()))
    }

    /// Names of the registered gauges, in registration order.
    pub fn gauge_names(&self) -> impl Iterator<Item = (GaugeId, &str)> {
        self.gauges
            .iter()
            .enumerate()
            .map(|(i, g)| (GaugeId(i), g.name.as_str()))
    }
}

/// Add `value × duration` for `[from, to)` to the per-bucket `area`, split
/// over the buckets (of `bucket` µs) the interval spans.
fn spread(area: &mut Vec<f64>, bucket: u64, from: SimTime, to: SimTime, value: f64) {
    let (mut t, end) = (from.as_micros(), to.as_micros());
    while t < end {
        let b = (t / bucket) as usize;
        let upto = ((t / bucket + 1) * bucket).min(end);
        if b >= area.len() {
            area.resize(b + 1, 0.0);
        }
        area[b] += value * (upto - t) as f64;
        t = upto;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(secs: u64) -> SimTime {
        SimTime::from_secs(secs)
    }

    #[test]
    fn counters_split_total_measured_and_buckets() {
        let mut m = Metrics::new(s(2), s(1));
        let c = m.counter("arrived");
        for t in [0, 1, 1, 2, 3, 3, 3] {
            m.count(s(t) + SimTime::from_millis(500), c, 1);
        }
        assert_eq!(m.total(c), 7);
        assert_eq!(m.measured(c), 4);
        assert_eq!(m.counter_series(c, s(5)), vec![1, 2, 1, 3, 0]);
        assert_eq!(
            m.counter_series(c, s(5) + SimTime::from_micros(1)),
            vec![1, 2, 1, 3, 0, 0]
        );
    }

    /// A steady 10 a second, read at 2.5 s of 1 s buckets: the bucket in
    /// progress reads 10 a second too, not 5 (half a bucket's count over a
    /// whole bucket).
    #[test]
    fn rates_divide_the_bucket_in_progress_by_its_elapsed_part() {
        let mut m = Metrics::new(s(0), s(1));
        let c = m.counter("completed");
        for i in 1..=25 {
            m.count(SimTime::from_millis(i * 100 - 50), c, 1);
        }
        let now = SimTime::from_millis(2_500);
        assert_eq!(m.counter_series(c, now), [10, 10, 5]);
        assert_eq!(
            m.per_second(&m.counter_series(c, now), now),
            [10.0, 10.0, 10.0]
        );
        // At a bucket's edge every bucket is whole.
        assert_eq!(m.per_second(&[10, 10], s(2)), [10.0, 10.0]);
    }

    #[test]
    fn gauge_means_are_time_weighted() {
        let mut m = Metrics::new(s(1), s(2));
        let g = m.gauge("queue");
        m.set_gauge(s(0), g, 4.0); // 4 over [0,2): only [1,2) measured
        m.set_gauge(s(2), g, 1.0); // 1 over [2,4)
        // measured window [1,4): (4*1 + 1*2) / 3 = 2
        assert!((m.gauge_mean(g, s(4)) - 2.0).abs() < 1e-12);
        assert_eq!(m.gauge_series(g, s(4)), vec![4.0, 1.0]);
        // Half-way through the third bucket the value still holds.
        assert_eq!(m.gauge_series(g, s(5)), vec![4.0, 1.0, 1.0]);
        assert_eq!(m.gauge_peak(g, s(5)), 4.0);
    }

    #[test]
    fn histograms_measure_after_warmup_but_chart_everything() {
        let mut m = Metrics::new(s(1), s(1));
        let h = m.histogram("latency");
        m.observe(SimTime::from_millis(500), h, SimTime::from_millis(10));
        m.observe(SimTime::from_millis(1500), h, SimTime::from_millis(20));
        assert_eq!(m.durations(h).count(), 1);
        let p50 = m.quantile_series(h, 0.5, s(3));
        assert_eq!(p50.len(), 3);
        assert!(p50[0].is_some() && p50[1].is_some() && p50[2].is_none());
    }
}
