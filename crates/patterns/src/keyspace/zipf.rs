//! Zipf-distributed key popularity.

use archsim_core::Rng;

/// Popularity of `n` keys where key `k` (0-based) is asked for with
/// probability proportional to `1 / (k + 1)^alpha`.
///
/// Sampling inverts the cumulative distribution by binary search: exact, and
/// `O(log n)` a draw for a table of `n` floats.
#[derive(Clone, Debug)]
pub struct Zipf {
    alpha: f64,
    /// `cdf[k]` is the probability of a key `<= k`; the last entry is 1.
    cdf: Vec<f64>,
}

impl Zipf {
    /// Popularity over `n >= 1` keys with skew `alpha >= 0` (0 is uniform).
    pub fn new(n: u64, alpha: f64) -> Zipf {
        assert!(n >= 1, "a key space needs at least one key");
        let weights = (1..=n).map(|r| weight(r, alpha));
        let mut cdf: Vec<f64> = weights
            .scan(0.0, |sum, w| {
                *sum += w;
                Some(*sum)
            })
            .collect();
        let total = *cdf.last().expect("n >= 1");
        for c in &mut cdf {
            *c /= total;
        }
        *cdf.last_mut().expect("n >= 1") = 1.0;
        Zipf { alpha, cdf }
    }

    /// Number of keys.
    pub fn keys(&self) -> u64 {
        self.cdf.len() as u64
    }

    /// The skew.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// Probability that a draw is key `k`.
    pub fn probability(&self, k: u64) -> f64 {
        let k = k as usize;
        self.cdf[k] - if k == 0 { 0.0 } else { self.cdf[k - 1] }
    }

    /// Probability that a draw is one of the `c` most popular keys.
    pub fn top_share(&self, c: u64) -> f64 {
        match c {
            0 => 0.0,
            c => self.cdf[(c.min(self.keys()) - 1) as usize],
        }
    }

    /// Draw one key.
    pub fn sample(&self, rng: &mut Rng) -> u64 {
        let u = rng.unit();
        // The first key whose cumulative probability exceeds u.
        self.cdf
            .partition_point(|&c| c <= u)
            .min(self.cdf.len() - 1) as u64
    }
}

/// `r^-alpha` with libm, so native and wasm tables agree to the bit.
fn weight(rank: u64, alpha: f64) -> f64 {
    libm::pow(rank as f64, -alpha)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_follow_the_power_law_and_sum_to_one() {
        let z = Zipf::new(1000, 1.0);
        let sum: f64 = (0..1000).map(|k| z.probability(k)).sum();
        assert!((sum - 1.0).abs() < 1e-9);
        // Key 0 is twice as popular as key 1 and ten times key 9.
        assert!((z.probability(0) / z.probability(1) - 2.0).abs() < 1e-9);
        assert!((z.probability(0) / z.probability(9) - 10.0).abs() < 1e-9);
        assert_eq!(z.top_share(1000), 1.0);
        assert_eq!(z.top_share(0), 0.0);
    }

    #[test]
    fn alpha_zero_is_uniform() {
        let z = Zipf::new(4, 0.0);
        for k in 0..4 {
            assert!((z.probability(k) - 0.25).abs() < 1e-12);
        }
    }

    #[test]
    fn draws_match_the_probabilities() {
        let z = Zipf::new(100, 0.9);
        let mut rng = Rng::new(5);
        let n = 200_000;
        let mut counts = vec![0u32; 100];
        for _ in 0..n {
            counts[z.sample(&mut rng) as usize] += 1;
        }
        for k in [0u64, 1, 10, 99] {
            let p = z.probability(k);
            let expected = p * n as f64;
            let sd = (n as f64 * p * (1.0 - p)).sqrt();
            let got = f64::from(counts[k as usize]);
            assert!(
                (got - expected).abs() < 5.0 * sd,
                "key {k}: {got} vs {expected}"
            );
        }
    }
}
