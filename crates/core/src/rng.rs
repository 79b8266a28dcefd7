//! The seeded random number generator every model draws from.
//!
//! xoshiro256++ seeded through SplitMix64: small, fast, and — because it is
//! integer arithmetic only — identical on every platform, wasm included.
//! A simulation derives *streams* from its one seed, so that independent
//! sources of randomness (arrivals, routing choices, faults) do not disturb one
//! another: changing the load-balancing algorithm changes how many routing
//! numbers are drawn, but not a single arrival.

/// A deterministic pseudo-random generator (xoshiro256++).
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

/// SplitMix64's step: turns any 64-bit value into a well-mixed one.
const fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A stable 64-bit hash of one value, for placing keys on hash rings and
/// deriving streams. Unlike std's hashers it never changes between runs,
/// releases or platforms.
pub const fn hash64(value: u64) -> u64 {
    let mut state = value;
    splitmix64(&mut state)
}

impl Rng {
    /// The generator for `seed`, stream 0.
    pub fn new(seed: u64) -> Self {
        Self::stream(seed, 0)
    }

    /// Independent stream number `stream` of `seed`. Different streams of the
    /// same seed are statistically independent; the same pair always gives the
    /// same sequence.
    pub fn stream(seed: u64, stream: u64) -> Self {
        let mut state = seed ^ hash64(stream.wrapping_add(0x5EED));
        let s = [
            splitmix64(&mut state),
            splitmix64(&mut state),
            splitmix64(&mut state),
            splitmix64(&mut state),
        ];
        Rng { s }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let [s0, s1, s2, s3] = &mut self.s;
        let result = (s0.wrapping_add(*s3)).rotate_left(23).wrapping_add(*s0);
        let t = *s1 << 17;
        *s2 ^= *s0;
        *s3 ^= *s1;
        *s1 ^= *s2;
        *s0 ^= *s3;
        *s2 ^= t;
        *s3 = s3.rotate_left(45);
        result
    }

    /// A uniform number in `[0, 1)` with 53 bits of precision.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform number in `(0, 1]`: safe to take the logarithm of.
    pub fn unit_open_low(&mut self) -> f64 {
        1.0 - self.unit()
    }

    /// A uniform integer in `0..n` without modulo bias (Lemire's method).
    ///
    /// # Panics
    /// If `n` is zero: there is nothing to choose from, a caller's bug.
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "Rng::below(0): empty range");
        let threshold = n.wrapping_neg() % n;
        loop {
            let m = u128::from(self.next_u64()) * u128::from(n);
            if (m as u64) >= threshold {
                return (m >> 64) as u64;
            }
        }
    }

    /// A uniform index into a non-empty slice of length `len`.
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence_and_streams_differ() {
        let a: Vec<u64> = (0..8)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..8)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u64()
            })
            .collect();
        let c: Vec<u64> = (0..8)
            .map({
                let mut r = Rng::stream(7, 1);
                move |_| r.next_u64()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    const PINNED: [u64; 3] = [
        1_197_163_386_379_347_826,
        9_895_356_143_247_282_317,
        325_395_327_669_346_020,
    ];

    #[test]
    fn known_first_values_pin_the_algorithm() {
        // Any change to seeding or the generator changes every recorded run;
        // this makes such a change deliberate.
        let mut r = Rng::new(42);
        let first: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        assert_eq!(first, PINNED);
    }

    #[test]
    fn below_is_uniform_enough() {
        let mut r = Rng::new(1);
        let mut counts = [0u32; 6];
        for _ in 0..60_000 {
            counts[r.index(6)] += 1;
        }
        // Each cell expects 10,000 with sd ~91; 5 sd either side.
        for c in counts {
            assert!((9_545..=10_455).contains(&c), "{counts:?}");
        }
    }

    #[test]
    fn unit_stays_in_range() {
        let mut r = Rng::new(3);
        for _ in 0..10_000 {
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
            let v = r.unit_open_low();
            assert!(v > 0.0 && v <= 1.0);
        }
    }
}
