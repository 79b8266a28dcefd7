//! Which node holds a key, under six placement strategies.
//!
//! A [`Placement`] is built for a list of node ids and answers
//! [`Placement::node_of`]. [`Placement::with_nodes`] rebuilds it for a new
//! list — a node added, failed or removed — which is where the strategies
//! differ most: hash mod N moves almost every key, consistent schemes move
//! about `1/(n+1)` of them.

use archsim_core::hash64;
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::fmt;

/// How keys are mapped to nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strategy {
    /// `hash(key) mod n`: even, but a change of `n` moves almost every key.
    ModN,
    /// Contiguous key ranges, split evenly: neighbours share a node, so a
    /// run of popular keys lands on one node.
    Range,
    /// A hash ring with virtual nodes: a key belongs to the next node point
    /// clockwise; adding a node takes over only the arcs before its points.
    ConsistentHashing,
    /// Lamping and Veach's jump consistent hash: no table, perfectly even,
    /// minimal moves — but nodes can only be added or removed at the end.
    Jump,
    /// Highest random weight: every node bids `hash(key, node)`, the
    /// highest wins; removing a node moves exactly its keys.
    Rendezvous,
    /// A lookup table from key to node, rebalanced by moving as few keys as
    /// possible: the most flexible, at the cost of a table to keep.
    Directory,
}

impl Strategy {
    /// Every strategy, in the order menus show them.
    pub const ALL: [Strategy; 6] = [
        Strategy::ModN,
        Strategy::Range,
        Strategy::ConsistentHashing,
        Strategy::Jump,
        Strategy::Rendezvous,
        Strategy::Directory,
    ];

    /// The name in parameters and links.
    pub const fn id(self) -> &'static str {
        match self {
            Strategy::ModN => "mod_n",
            Strategy::Range => "range",
            Strategy::ConsistentHashing => "consistent_hashing",
            Strategy::Jump => "jump",
            Strategy::Rendezvous => "rendezvous",
            Strategy::Directory => "directory",
        }
    }

    /// The strategy called `id`.
    pub fn from_id(id: &str) -> Option<Strategy> {
        Strategy::ALL.into_iter().find(|s| s.id() == id)
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Keys `0..keys` placed on a list of nodes.
#[derive(Clone, Debug)]
pub struct Placement {
    strategy: Strategy,
    nodes: Vec<u32>,
    keys: u64,
    virtual_nodes: u32,
    /// Consistent hashing: `(point, node)` sorted by point.
    ring: Vec<(u64, u32)>,
    /// Directory: the node of every key.
    directory: Vec<u32>,
}

impl Placement {
    /// Place keys `0..keys` on `nodes` (ids, at least one) by `strategy`;
    /// `virtual_nodes` (at least one) is the number of ring points per node
    /// for consistent hashing and ignored by the others.
    pub fn new(strategy: Strategy, nodes: Vec<u32>, keys: u64, virtual_nodes: u32) -> Placement {
        assert!(!nodes.is_empty(), "a placement needs at least one node");
        let mut placement = Placement {
            strategy,
            nodes,
            keys,
            virtual_nodes: virtual_nodes.max(1),
            ring: Vec::new(),
            directory: Vec::new(),
        };
        match strategy {
            Strategy::ConsistentHashing => placement.ring = placement.build_ring(),
            Strategy::Directory => {
                let n = placement.nodes.len() as u64;
                // Interleaved, so the popular low keys spread over every node.
                placement.directory = (0..keys)
                    .map(|k| placement.nodes[(k % n) as usize])
                    .collect();
            }
            _ => {}
        }
        placement
    }

    /// The same strategy over another list of nodes. A directory keeps every
    /// key it can and moves only what balance needs; the other strategies
    /// are functions of the node list and simply recompute.
    pub fn with_nodes(&self, nodes: Vec<u32>) -> Placement {
        if self.strategy != Strategy::Directory {
            return Placement::new(self.strategy, nodes, self.keys, self.virtual_nodes);
        }
        assert!(!nodes.is_empty(), "a placement needs at least one node");
        let directory = rebalance(&self.directory, &nodes);
        Placement {
            nodes,
            directory,
            ..self.clone()
        }
    }

    /// The strategy.
    pub fn strategy(&self) -> Strategy {
        self.strategy
    }

    /// The node ids, in the order given.
    pub fn nodes(&self) -> &[u32] {
        &self.nodes
    }

    /// Size of the key space.
    pub fn keys(&self) -> u64 {
        self.keys
    }

    /// The node that holds `key`.
    pub fn node_of(&self, key: u64) -> u32 {
        let n = self.nodes.len() as u64;
        match self.strategy {
            Strategy::ModN => self.nodes[(hash64(key) % n) as usize],
            Strategy::Range => {
                let i = u128::from(key.min(self.keys.saturating_sub(1))) * u128::from(n)
                    / u128::from(self.keys.max(1));
                self.nodes[i as usize]
            }
            Strategy::ConsistentHashing => {
                let h = hash64(key);
                let i = self.ring.partition_point(|&(point, _)| point < h);
                self.ring[if i == self.ring.len() { 0 } else { i }].1
            }
            Strategy::Jump => self.nodes[jump(hash64(key), self.nodes.len()) as usize],
            Strategy::Rendezvous => *self
                .nodes
                .iter()
                .max_by_key(|&&node| (bid(key, node), Reverse(node)))
                .expect("at least one node"),
            Strategy::Directory => self.directory[key as usize],
        }
    }

    /// Fraction of keys whose node differs between `self` and `other`.
    pub fn moved_fraction(&self, other: &Placement) -> f64 {
        let keys = self.keys.min(other.keys);
        if keys == 0 {
            return 0.0;
        }
        let moved = (0..keys)
            .filter(|&k| self.node_of(k) != other.node_of(k))
            .count();
        moved as f64 / keys as f64
    }

    /// How many keys each node holds, in the order of [`Placement::nodes`].
    pub fn key_counts(&self) -> Vec<u64> {
        let index: BTreeMap<u32, usize> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, &n)| (n, i))
            .collect();
        let mut counts = vec![0; self.nodes.len()];
        for k in 0..self.keys {
            counts[index[&self.node_of(k)]] += 1;
        }
        counts
    }

    fn build_ring(&self) -> Vec<(u64, u32)> {
        let mut ring: Vec<(u64, u32)> = self
            .nodes
            .iter()
            .flat_map(|&node| {
                (0..self.virtual_nodes).map(move |v| {
                    (
                        hash64(u64::from(node) << 32 | u64::from(v)) ^ RING_SALT,
                        node,
                    )
                })
            })
            .collect();
        ring.sort_unstable();
        ring
    }
}

/// Keeps ring points apart from key hashes, which use the same function.
const RING_SALT: u64 = 0x9e37_79b9_7f4a_7c15;

/// A node's bid for a key under rendezvous hashing.
fn bid(key: u64, node: u32) -> u64 {
    hash64(hash64(key) ^ hash64(u64::from(node) | 1 << 40))
}

/// Lamping and Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm"
/// (2014): the bucket in `0..buckets` of a 64-bit key.
fn jump(mut key: u64, buckets: usize) -> u64 {
    let (mut b, mut j) = (0u64, 0u64);
    while j < buckets as u64 {
        b = j;
        key = key.wrapping_mul(2_862_933_555_777_941_757).wrapping_add(1);
        // IEEE division is exactly rounded, so this agrees on every platform.
        j = ((b + 1) as f64 * ((1u64 << 31) as f64 / ((key >> 33) + 1) as f64)) as u64;
    }
    b
}

/// A directory over `nodes` that keeps every key it can: a key moves only
/// if its node is gone or holds more than its share. Keys are considered
/// in hashed order, so what a node gives up is a fair sample of hot and
/// cold keys, not just the coldest.
fn rebalance(directory: &[u32], nodes: &[u32]) -> Vec<u32> {
    let (keys, n) = (directory.len(), nodes.len());
    let target = |i: usize| keys / n + usize::from(i < keys % n);
    let index: BTreeMap<u32, usize> = nodes.iter().enumerate().map(|(i, &n)| (n, i)).collect();
    let mut order: Vec<usize> = (0..keys).collect();
    order.sort_unstable_by_key(|&k| (hash64(k as u64), k));
    let mut held = vec![0usize; n];
    let mut homeless = Vec::new();
    for &k in &order {
        match index.get(&directory[k]) {
            Some(&i) if held[i] < target(i) => held[i] += 1,
            _ => homeless.push(k),
        }
    }
    let mut out = directory.to_vec();
    let mut i = 0;
    for k in homeless {
        while held[i] >= target(i) {
            i += 1;
        }
        out[k] = nodes[i];
        held[i] += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: u64 = 20_000;

    fn placed(strategy: Strategy, n: u32) -> Placement {
        Placement::new(strategy, (0..n).collect(), KEYS, 200)
    }

    #[test]
    fn every_key_lands_on_a_member() {
        for s in Strategy::ALL {
            let p = Placement::new(s, vec![3, 9, 4], KEYS, 50);
            for k in (0..KEYS).step_by(97) {
                assert!([3, 9, 4].contains(&p.node_of(k)), "{s}");
            }
            assert_eq!(p.key_counts().iter().sum::<u64>(), KEYS);
        }
    }

    #[test]
    fn adding_a_node_moves_all_for_mod_n_and_a_share_for_consistent_schemes() {
        for s in Strategy::ALL {
            let before = placed(s, 4);
            let after = before.with_nodes((0..5).collect());
            let moved = before.moved_fraction(&after);
            let expected = match s {
                // A key stays only if hash mod 4 == hash mod 5: 1 in 5... of
                // residues mod 20, 4 agree.
                Strategy::ModN => 0.8,
                // Even ranges: keys move unless the old and new ranges overlap.
                Strategy::Range => 0.5,
                _ => 0.2,
            };
            let tolerance = if s == Strategy::ConsistentHashing {
                0.05
            } else {
                0.02
            };
            assert!(
                (moved - expected).abs() < tolerance,
                "{s}: moved {moved}, expected {expected}"
            );
        }
    }

    #[test]
    fn removing_a_node_moves_only_its_keys_for_ring_rendezvous_and_directory() {
        for s in [
            Strategy::ConsistentHashing,
            Strategy::Rendezvous,
            Strategy::Directory,
        ] {
            let before = placed(s, 5);
            let after = before.with_nodes(vec![0, 1, 3, 4]);
            for k in 0..KEYS {
                if before.node_of(k) != 2 {
                    assert_eq!(before.node_of(k), after.node_of(k), "{s}: key {k} moved");
                }
            }
        }
    }

    #[test]
    fn jump_and_directory_are_even_and_ranges_contiguous() {
        for s in [Strategy::Directory, Strategy::Range] {
            let counts = placed(s, 8).key_counts();
            let (min, max) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
            assert!(max - min <= 1, "{s}: {counts:?}");
        }
        // Jump is even in expectation: each count is binomial(KEYS, 1/8).
        let mean = KEYS as f64 / 8.0;
        let sd = (mean * 7.0 / 8.0).sqrt();
        for c in placed(Strategy::Jump, 8).key_counts() {
            assert!((c as f64 - mean).abs() < 5.0 * sd, "jump: {c} vs {mean}");
        }
        let p = placed(Strategy::Range, 4);
        assert_eq!(p.node_of(0), 0);
        assert_eq!(p.node_of(KEYS / 4 - 1), 0);
        assert_eq!(p.node_of(KEYS / 4), 1);
        assert_eq!(p.node_of(KEYS - 1), 3);
    }

    #[test]
    fn strategies_round_trip_their_ids() {
        for s in Strategy::ALL {
            assert_eq!(Strategy::from_id(s.id()), Some(s));
        }
        assert_eq!(Strategy::from_id("modulo"), None);
    }
}
