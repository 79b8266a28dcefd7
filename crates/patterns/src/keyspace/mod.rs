//! # The key space: what caching and sharding have in common
//!
//! Both patterns are about *keys*: which ones are asked for, and which node
//! holds each. This module builds those two things once.
//!
//! - [`Zipf`] draws keys with Zipf-distributed popularity — a few keys are
//!   asked for all the time, most rarely — the skew real workloads show.
//! - [`Workload`] turns those draws into reads and writes, with an optional
//!   hot-key burst (one key suddenly taking a share of all traffic).
//! - [`Placement`] maps a key to a node under one of several strategies —
//!   hash mod N, key ranges, consistent hashing with virtual nodes, jump
//!   consistent hash, rendezvous hashing or a lookup directory — and can be
//!   rebuilt for a new set of nodes, so the keys that move can be counted.
//!
//! Keys are numbered `0..keys` in order of popularity: key 0 is the most
//! popular. Everything is deterministic: hashing uses [`archsim_core::hash64`],
//! randomness comes from the caller's stream.

mod placement;
mod workload;
mod zipf;

pub use placement::{Placement, Strategy};
pub use workload::{Access, HotKey, Workload};
pub use zipf::Zipf;
