//! Reads and writes over the key space.

use super::Zipf;
use archsim_core::{Rng, SimTime};

/// One request's key and whether it writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
    /// The key, `0..keys`, 0 the most popular.
    pub key: u64,
    /// A write (otherwise a read).
    pub write: bool,
}

/// One key suddenly taking a share of all traffic for a while: a flash sale,
/// a viral post.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HotKey {
    /// The key.
    pub key: u64,
    /// Fraction of requests that go to it during the burst, `0..=1`.
    pub share: f64,
    /// When the burst starts.
    pub from: SimTime,
    /// When it ends.
    pub until: SimTime,
}

/// Which keys requests touch, and how many of them write.
#[derive(Clone, Debug)]
pub struct Workload {
    popularity: Zipf,
    read_ratio: f64,
    hot: Option<HotKey>,
}

impl Workload {
    /// Requests over `popularity`, a fraction `read_ratio` of them reads,
    /// with an optional `hot` key burst.
    pub fn new(popularity: Zipf, read_ratio: f64, hot: Option<HotKey>) -> Workload {
        Workload {
            popularity,
            read_ratio,
            hot,
        }
    }

    /// The key popularity.
    pub fn popularity(&self) -> &Zipf {
        &self.popularity
    }

    /// Fraction of requests that read.
    pub fn read_ratio(&self) -> f64 {
        self.read_ratio
    }

    /// The next request at time `now`.
    pub fn next(&self, now: SimTime, rng: &mut Rng) -> Access {
        let key = match self.hot {
            Some(h) if (h.from..h.until).contains(&now) && rng.chance(h.share) => h.key,
            _ => self.popularity.sample(rng),
        };
        Access {
            key,
            write: !rng.chance(self.read_ratio),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_ratio_and_hot_key_shape_the_traffic() {
        let hot = HotKey {
            key: 77,
            share: 0.5,
            from: SimTime::from_secs_f64(1.0),
            until: SimTime::from_secs_f64(2.0),
        };
        let w = Workload::new(Zipf::new(1000, 0.0), 0.9, Some(hot));
        let mut rng = Rng::new(3);
        let n = 20_000;
        let during = SimTime::from_secs_f64(1.5);
        let after = SimTime::from_secs_f64(2.0);
        let hot_during = (0..n)
            .filter(|_| w.next(during, &mut rng).key == 77)
            .count();
        let hot_after = (0..n).filter(|_| w.next(after, &mut rng).key == 77).count();
        let writes = (0..n).filter(|_| w.next(after, &mut rng).write).count();
        // Half the burst plus its 1/1000 of the rest; about 20 of 20,000 after.
        assert!((9_700..10_300).contains(&hot_during), "{hot_during}");
        assert!(hot_after < 60, "{hot_after}");
        assert!((1_800..2_200).contains(&writes), "{writes}");
    }
}
