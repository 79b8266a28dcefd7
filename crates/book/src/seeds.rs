//! Figures over many seeds: which seeds, and the mean of a metric over them
//! with its 95% confidence interval.
//!
//! One seed is one sample of a random process, and near saturation two
//! seeds can order two variants differently. A figure written with
//! `seeds=N` runs the seeds 1 to N instead of the preset's own and shows
//! the mean with the half-width of its 95% interval; a claim is checked on
//! the seeds 1 to [`CHECKED`]. Fixed seeds, not ones counted from the
//! preset's, make the same parameters give the same figure in every
//! chapter, whichever preset they start from.

pub(crate) use archsim_patterns::interval::Interval;
use archsim_patterns::interval::SAMPLE_SIZES;
use std::ops::RangeInclusive;

/// How many seeds a claim is checked on.
pub(crate) const CHECKED: u64 = 20;

/// On how many of them it must hold: one exception in twenty is chance,
/// two is a pattern.
pub(crate) const REQUIRED: usize = 19;

/// The values `seeds=N` allows: the sizes of sample an [`Interval`] is
/// drawn from.
pub(crate) const ALLOWED: RangeInclusive<u64> =
    *SAMPLE_SIZES.start() as u64..=*SAMPLE_SIZES.end() as u64;

/// The seeds of a sample of `n` runs.
pub(crate) fn first(n: u64) -> RangeInclusive<u64> {
    1..=n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_claim_is_checked_on_an_allowed_number_of_seeds() {
        assert_eq!(first(CHECKED).count() as u64, CHECKED);
        assert!(ALLOWED.contains(&CHECKED));
        const { assert!(REQUIRED as u64 <= CHECKED) };
    }
}
