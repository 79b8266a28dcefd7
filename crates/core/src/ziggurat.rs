//! Exponential random numbers by the ziggurat method (Marsaglia and Tsang,
//! 2000): 99% of draws cost one random integer, a comparison and a multiply;
//! the logarithm the textbook inversion needs on every draw is left for the
//! rare draw that falls outside the layers. Exponential draws drive arrivals
//! and service in most experiments, so this is the kernel's hottest path.
//!
//! The method is exact (it samples the exponential distribution itself, not
//! an approximation), and the tables are built with `libm`, so draws are the
//! same bits natively and in wasm.

use crate::rng::Rng;
use std::sync::LazyLock;

/// Number of layers.
const LAYERS: usize = 256;
/// Right edge of the base layer: where the tail begins.
const TAIL_START: f64 = 7.697_117_470_131_487;
/// Area of each layer.
const LAYER_AREA: f64 = 3.949_659_822_581_572e-3;
/// Draws use 53 random bits for the position within a layer.
const SCALE: f64 = (1u64 << 53) as f64;

struct Tables {
    /// A draw `j < k[i]` lies wholly inside layer `i`: accept at once.
    k: [u64; LAYERS],
    /// Width of layer `i` per unit of `j`.
    w: [f64; LAYERS],
    /// Density at the right edge of layer `i`.
    f: [f64; LAYERS],
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let (mut k, mut w, mut f) = ([0u64; LAYERS], [0.0; LAYERS], [0.0; LAYERS]);
    let mut edge = TAIL_START;
    let q = LAYER_AREA / libm::exp(-edge);
    k[0] = ((edge / q) * SCALE) as u64;
    w[0] = q / SCALE;
    w[LAYERS - 1] = edge / SCALE;
    f[0] = 1.0;
    f[LAYERS - 1] = libm::exp(-edge);
    for i in (1..LAYERS - 1).rev() {
        let previous = edge;
        edge = -libm::log(LAYER_AREA / edge + libm::exp(-edge));
        k[i + 1] = ((edge / previous) * SCALE) as u64;
        f[i] = libm::exp(-edge);
        w[i] = edge / SCALE;
    }
    Tables { k, w, f }
});

/// A draw from the exponential distribution with mean 1.
pub(crate) fn standard_exponential(rng: &mut Rng) -> f64 {
    let t = &*TABLES;
    loop {
        let bits = rng.next_u64();
        let i = (bits & 0xFF) as usize;
        let j = bits >> 11;
        if j < t.k[i] {
            return j as f64 * t.w[i];
        }
        if i == 0 {
            // The tail is itself exponential, shifted: memorylessness.
            return TAIL_START - libm::log(rng.unit_open_low());
        }
        let x = j as f64 * t.w[i];
        if t.f[i] + rng.unit() * (t.f[i - 1] - t.f[i]) < libm::exp(-x) {
            return x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_probabilities_match_the_exponential() {
        let mut rng = Rng::new(2024);
        let n = 2_000_000;
        let mut above = [0u32; 4];
        let thresholds = [0.5, 1.0, 3.0, 8.0];
        let mut sum = 0.0;
        for _ in 0..n {
            let x = standard_exponential(&mut rng);
            assert!(x >= 0.0);
            sum += x;
            for (count, t) in above.iter_mut().zip(thresholds) {
                if x > t {
                    *count += 1;
                }
            }
        }
        assert!(
            (sum / f64::from(n) - 1.0).abs() < 0.003,
            "mean {}",
            sum / f64::from(n)
        );
        for (count, t) in above.iter().zip(thresholds) {
            let p = f64::exp(-t);
            let expected = p * f64::from(n);
            // Five standard deviations of a binomial count.
            let sd = (expected * (1.0 - p)).sqrt();
            assert!(
                (f64::from(*count) - expected).abs() < 5.0 * sd,
                "P(X > {t}): {count} of {n}, expected {expected:.0}"
            );
        }
    }
}
