//! The brokers behind the topic: a partition leader and its followers,
//! the in-sync replica set, the high watermark, and what a leader's death
//! does to records not yet copied.
//!
//! One leader leads every partition (a simplification: in Kafka each
//! partition has its own, spread over the brokers), so one crash is a
//! failover of the whole topic. A record is *written* once the leader has
//! it and *committed* once every in-sync replica does; only committed
//! records reach consumers, as Kafka's high watermark ensures. When the
//! leader dies, the most caught-up in-sync follower takes over after an
//! election, and the records it lacks are gone: the acknowledged ones are
//! lost writes, the others are errors the producer hears of.

use super::params::{Acks, Params};
use std::collections::VecDeque;

/// A record the leader holds.
#[derive(Debug)]
pub(super) struct Written<P> {
    /// What the producer sent.
    pub(super) payload: P,
    /// Whether the producer has been told it is written.
    pub(super) acked: bool,
}

/// What became of a write the leader received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Taken {
    /// Appended at this index of the leader's log.
    Appended(usize),
    /// Refused: no leader, or too few replicas in sync for `acks=all`.
    Refused,
}

/// The replica set of the topic.
pub(super) struct Cluster<P> {
    acks: Acks,
    min_in_sync: u32,
    up: Vec<bool>,
    leader: Option<u32>,
    electing: bool,
    /// In rank order.
    in_sync: Vec<u32>,
    /// The leader's records not committed yet (committed ones are the
    /// topic's): the record at index `committed + i` is `pending[i]`.
    pending: VecDeque<Written<P>>,
    /// How much of the log each replica holds (a prefix, as an index).
    have: Vec<usize>,
    /// Records committed: the high watermark.
    committed: usize,
    /// Leaderships so far: a copy scheduled under an older one is void.
    era: u32,
}

impl<P> Cluster<P> {
    /// Replicas of `params`, all up and in sync, the first one leading.
    pub(super) fn new(params: &Params) -> Self {
        let n = params.replicas;
        Cluster {
            acks: params.acks,
            min_in_sync: params.min_in_sync,
            up: vec![true; n as usize],
            leader: Some(0),
            electing: false,
            in_sync: (0..n).collect(),
            pending: VecDeque::new(),
            have: vec![0; n as usize],
            committed: 0,
            era: 0,
        }
    }

    /// The leader, if one is serving.
    pub(super) fn leader(&self) -> Option<u32> {
        self.leader.filter(|_| !self.electing)
    }

    /// The current leadership.
    pub(super) fn era(&self) -> u32 {
        self.era
    }

    /// Replicas, as many as configured.
    pub(super) fn replicas(&self) -> u32 {
        self.up.len() as u32
    }

    /// Whether replica `r` is up.
    pub(super) fn is_up(&self, r: u32) -> bool {
        self.up[r as usize]
    }

    /// Whether replica `r` is in sync.
    pub(super) fn in_sync(&self, r: u32) -> bool {
        self.in_sync.contains(&r)
    }

    /// The end of the leader's log: records written, committed or not.
    fn end(&self) -> usize {
        self.committed + self.pending.len()
    }

    /// Records of the leader's log that replica `r` lacks.
    pub(super) fn behind(&self, r: u32) -> u64 {
        self.end().saturating_sub(self.have[r as usize]) as u64
    }

    /// Written records not committed yet.
    pub(super) fn uncommitted(&self) -> u64 {
        self.pending.len() as u64
    }

    /// The followers a new record must be copied to.
    pub(super) fn followers(&self) -> Vec<u32> {
        self.in_sync
            .iter()
            .copied()
            .filter(|&r| Some(r) != self.leader)
            .collect()
    }

    /// The leader receives `payload`: appended, or refused.
    pub(super) fn take(&mut self, payload: P) -> Taken {
        let Some(leader) = self.leader() else {
            return Taken::Refused;
        };
        if self.acks == Acks::All && (self.in_sync.len() as u32) < self.min_in_sync {
            return Taken::Refused;
        }
        self.pending.push_back(Written {
            payload,
            acked: false,
        });
        self.have[leader as usize] = self.end();
        Taken::Appended(self.end() - 1)
    }

    /// Mark the record at `index` acknowledged, if it is not committed yet
    /// (a committed record is never dropped, so its ack no longer matters).
    pub(super) fn ack(&mut self, index: usize) {
        if let Some(w) = index
            .checked_sub(self.committed)
            .and_then(|i| self.pending.get_mut(i))
        {
            w.acked = true;
        }
    }

    /// Follower `r` has copied the record at `index` (under leadership
    /// `era`); records of it may now be committed.
    pub(super) fn copied(&mut self, r: u32, index: usize, era: u32) {
        if era != self.era || !self.up[r as usize] || index >= self.end() {
            return;
        }
        let have = &mut self.have[r as usize];
        *have = (*have).max(index + 1);
    }

    /// Advance the high watermark: the records newly committed, in order.
    pub(super) fn commit(&mut self) -> Vec<Written<P>> {
        let Some(leader) = self.leader() else {
            return Vec::new();
        };
        let watermark = self
            .in_sync
            .iter()
            .map(|&r| self.have[r as usize])
            .min()
            .unwrap_or(self.have[leader as usize]);
        let newly = watermark.saturating_sub(self.committed);
        self.committed += newly;
        self.pending.drain(..newly).collect()
    }

    /// The leader dies. Returns whether an election follows (some replica
    /// is still in sync).
    pub(super) fn crash_leader(&mut self) -> bool {
        let Some(leader) = self.leader else {
            return false;
        };
        self.up[leader as usize] = false;
        self.in_sync.retain(|&r| r != leader);
        self.leader = None;
        self.electing = !self.in_sync.is_empty();
        self.era += 1;
        self.electing
    }

    /// The election ends: the most caught-up in-sync replica leads, and
    /// every record it lacks is dropped from the log. Returns the dropped
    /// records and the indices of the records its followers must copy
    /// again from it.
    pub(super) fn elect(&mut self) -> (Vec<Written<P>>, Vec<(u32, usize)>) {
        self.electing = false;
        let Some(&new) = self
            .in_sync
            .iter()
            .max_by_key(|&&r| (self.have[r as usize], std::cmp::Reverse(r)))
        else {
            return (Vec::new(), Vec::new());
        };
        self.leader = Some(new);
        let keep = self.have[new as usize];
        // Every in-sync replica held the committed records: `keep` is past them.
        let dropped = self.pending.split_off(keep - self.committed).into();
        let mut recopy = Vec::new();
        for &r in &self.in_sync {
            let have = &mut self.have[r as usize];
            *have = (*have).min(keep);
            recopy.extend((*have..keep).map(|i| (r, i)));
        }
        (dropped, recopy)
    }
}
