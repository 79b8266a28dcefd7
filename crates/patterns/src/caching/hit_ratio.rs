//! A cache node as the independent reference model sees it: requests for
//! keys drawn independently from a fixed Zipf popularity, a cache that
//! holds what it is asked for until it evicts it. Under it, LRU's hit
//! ratio follows Che's approximation and FIFO's and random eviction's
//! follow Gelenbe's; a sweep draws them beside the simulated curve.

use super::eviction::Policy;
use super::params::Params;
use crate::keyspace::Zipf;
use crate::theory::{Expected, Prediction, che_lru_hit_ratio, fifo_hit_ratio};

/// What theory predicts for the headline number `stat` under `params`.
pub(super) fn predict(p: &Params, stat: &str) -> Option<Prediction> {
    if stat != "hit ratio" {
        return None;
    }
    Some(independent_requests(p).map(|source| {
        let (keys, capacity) = (p.keys, p.capacity);
        let ratio = if capacity >= keys {
            // Every key fits: once each is in, nothing is missed again.
            1.0
        } else {
            let zipf = Zipf::new(u64::from(keys), p.zipf_alpha);
            let probability: Vec<f64> = (0..u64::from(keys)).map(|k| zipf.probability(k)).collect();
            match p.policy {
                Policy::Lru => che_lru_hit_ratio(&probability, f64::from(capacity)),
                _ => fifo_hit_ratio(&probability, f64::from(capacity)),
            }
        };
        Expected {
            value: 100.0 * ratio,
            source,
        }
    }))
}

/// The result that holds for these settings, or the first assumption of
/// the independent reference model they break.
fn independent_requests(p: &Params) -> Result<&'static str, &'static str> {
    let source = match p.policy {
        Policy::Lru => "Che's approximation for LRU (Che, Tung and Wang, 2002)",
        Policy::Fifo | Policy::Random => {
            "FIFO and random eviction under independent requests (Gelenbe, 1973)"
        }
        Policy::Lfu | Policy::S3Fifo => {
            return Err("no closed form gives the hit ratio of this eviction policy");
        }
    };
    if p.cache_nodes != 1 {
        return Err("it needs one cache node: over several, the keys split unevenly");
    }
    if p.read_ratio < 1.0 {
        return Err("it needs reads only: writes remove keys from the cache");
    }
    if p.ttl > 0.0 {
        return Err("it needs values that never expire (TTL 0)");
    }
    if p.hot_key_share > 0.0 || p.scan_rate > 0.0 {
        return Err("it needs one popularity throughout, with no hot-key burst or scan");
    }
    if !p.faults.is_empty() {
        return Err("it needs a run without faults");
    }
    Ok(source)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_node() -> Params {
        Params {
            policy: Policy::Lru,
            cache_nodes: 1,
            read_ratio: 1.0,
            ttl: 0.0,
            hot_key_share: 0.0,
            scan_rate: 0.0,
            faults: String::new(),
            ..Params::default()
        }
    }

    #[test]
    fn lru_beats_fifo_and_a_cache_of_every_key_always_hits() {
        let ratio = |p: Params| predict(&p, "hit ratio").unwrap().unwrap().value;
        let lru = ratio(one_node());
        let fifo = ratio(Params {
            policy: Policy::Fifo,
            ..one_node()
        });
        assert!(
            0.0 < fifo && fifo < lru && lru < 100.0,
            "fifo {fifo}, lru {lru}"
        );
        let all = Params {
            capacity: one_node().keys,
            ..one_node()
        };
        assert_eq!(ratio(all), 100.0);
        assert_eq!(predict(&one_node(), "p99 latency"), None);
    }

    #[test]
    fn a_broken_assumption_is_named() {
        let why = |p: Params| predict(&p, "hit ratio").unwrap().unwrap_err();
        assert!(
            why(Params {
                cache_nodes: 3,
                ..one_node()
            })
            .contains("one cache node")
        );
        assert!(
            why(Params {
                policy: Policy::Lfu,
                ..one_node()
            })
            .contains("no closed form")
        );
        assert!(
            why(Params {
                read_ratio: 0.9,
                ..one_node()
            })
            .contains("reads only")
        );
    }
}
