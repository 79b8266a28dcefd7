//! The table being sharded: one row per user, and the columns it could be
//! sharded by.
//!
//! Rows are numbered by popularity, as the key space numbers keys: row 0 is
//! the user asked for most often. Each row carries four candidate keys, and
//! each is skewed in the way real data is:
//!
//! - **user id**, handed out in sign-up order. Popularity is not tied to it
//!   directly, but new users tend to be the active ones, so recent ids are
//!   hotter on the whole;
//! - **tenant**, drawn from a Zipf distribution over tenants: the biggest
//!   customer holds a large slice of all users;
//! - **country**, likewise: a few countries hold most users;
//! - **creation day**, over a year: the day a user signed up. Recent rows
//!   are hot, so the last few days hold a large share of the traffic.
//!
//! A row's sign-up order follows its popularity with noise: a row's
//! recency score is its popularity rank times a log-normal factor, and rows
//! are created in descending score, so the most popular rows are mostly,
//! but not all, the newest.

use super::params::ShardKey;
use crate::keyspace::Zipf;
use archsim_core::{Distribution, Rng, Shape};

/// Days of creation times: the table holds a year of sign-ups.
pub const DAYS: u32 = 365;
/// Skew of tenant and country sizes (Zipf α).
pub const GROUP_SKEW: f64 = 1.0;
/// Spread of the noise between popularity and recency (coefficient of
/// variation of the log-normal factor).
const RECENCY_NOISE_CV: f64 = 1.5;

/// The rows of the table and their candidate keys.
#[derive(Clone, Debug)]
pub struct Dataset {
    user_id: Vec<u32>,
    tenant: Vec<u32>,
    country: Vec<u32>,
    created_day: Vec<u32>,
    tenants: u32,
    countries: u32,
}

impl Dataset {
    /// A table of `rows` users over `tenants` tenants and `countries`
    /// countries, drawn from `rng`.
    pub fn generate(rows: u32, tenants: u32, countries: u32, rng: &mut Rng) -> Dataset {
        let n = rows as usize;
        let tenant_sizes = Zipf::new(u64::from(tenants.max(1)), GROUP_SKEW);
        let country_sizes = Zipf::new(u64::from(countries.max(1)), GROUP_SKEW);
        let noise = Distribution::new(Shape::LogNormal, 1.0, RECENCY_NOISE_CV);
        let mut tenant = Vec::with_capacity(n);
        let mut country = Vec::with_capacity(n);
        let mut score = Vec::with_capacity(n);
        for rank in 0..n {
            tenant.push(tenant_sizes.sample(rng) as u32);
            country.push(country_sizes.sample(rng) as u32);
            score.push((rank as f64 + 1.0) * noise.sample_secs(rng));
        }
        // Newest first: ascending score; the newest row gets the last id.
        let mut order: Vec<u32> = (0..rows).collect();
        order.sort_unstable_by(|&a, &b| {
            score[a as usize]
                .total_cmp(&score[b as usize])
                .then(a.cmp(&b))
        });
        let mut user_id = vec![0; n];
        for (age, &row) in order.iter().enumerate() {
            user_id[row as usize] = rows - 1 - age as u32;
        }
        let created_day = user_id
            .iter()
            .map(|&id| (u64::from(id) * u64::from(DAYS) / u64::from(rows.max(1))) as u32)
            .collect();
        Dataset {
            user_id,
            tenant,
            country,
            created_day,
            tenants: tenants.max(1),
            countries: countries.max(1),
        }
    }

    /// Number of rows.
    pub fn rows(&self) -> u32 {
        self.user_id.len() as u32
    }

    /// The value of `key` in `row`: a number in `0..self.domain(key)`.
    pub fn value(&self, row: u32, key: ShardKey) -> u64 {
        let r = row as usize;
        u64::from(match key {
            ShardKey::UserId => self.user_id[r],
            ShardKey::Tenant => self.tenant[r],
            ShardKey::Country => self.country[r],
            ShardKey::CreatedAt => self.created_day[r],
        })
    }

    /// How many values `key` can take: what a placement places.
    pub fn domain(&self, key: ShardKey) -> u64 {
        u64::from(match key {
            ShardKey::UserId => self.rows(),
            ShardKey::Tenant => self.tenants,
            ShardKey::Country => self.countries,
            ShardKey::CreatedAt => DAYS,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Dataset {
        Dataset::generate(10_000, 100, 20, &mut Rng::new(1))
    }

    #[test]
    fn user_ids_are_a_permutation_and_days_follow_them() {
        let d = table();
        let mut ids: Vec<u64> = (0..d.rows())
            .map(|r| d.value(r, ShardKey::UserId))
            .collect();
        ids.sort_unstable();
        assert!(ids.iter().enumerate().all(|(i, &id)| id == i as u64));
        for r in 0..d.rows() {
            assert!(d.value(r, ShardKey::CreatedAt) < u64::from(DAYS));
            assert!(d.value(r, ShardKey::Tenant) < 100);
            assert!(d.value(r, ShardKey::Country) < 20);
        }
    }

    #[test]
    fn popular_rows_are_mostly_recent_and_groups_are_skewed() {
        let d = table();
        // The hundred most popular rows were mostly created in the last
        // tenth of the year.
        let recent = (0..100)
            .filter(|&r| d.value(r, ShardKey::CreatedAt) >= u64::from(DAYS) * 9 / 10)
            .count();
        assert!(recent > 70, "{recent}");
        // The biggest tenant holds about 1/H(100) ≈ 19% of the users.
        let big = (0..d.rows())
            .filter(|&r| d.value(r, ShardKey::Tenant) == 0)
            .count();
        assert!((1_700..2_200).contains(&big), "{big}");
    }
}
