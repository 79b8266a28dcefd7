//! One cache node's memory: a bounded map from key to entry, with expiry,
//! and an [`Eviction`] policy that picks what to drop when it is full.
//!
//! Entries live in slots `0..capacity`; a `BTreeMap` finds a key's slot in
//! O(log n) (ordered, so every run iterates it the same way). Expiry is lazy,
//! as in memcached and Redis: an expired entry stays until it is read,
//! overwritten or evicted, and a read that finds one counts it as expired.

use super::eviction::{Eviction, Policy};
use archsim_core::{Rng, SimTime};
use std::collections::BTreeMap;

/// A cached value: which version of the key it is and how long it lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Entry {
    /// The key.
    pub(super) key: u32,
    /// Version of the value (the database counts writes per key from 0).
    pub(super) version: u64,
    /// When it expires (`SimTime::MAX`: never).
    pub(super) expires: SimTime,
    /// How long the database read that produced it took: XFetch's delta.
    pub(super) cost: SimTime,
    /// Writes acknowledged to clients but not yet sent to the database
    /// (write-behind only).
    pub(super) unflushed: u32,
}

/// What a read found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Lookup {
    /// A live entry.
    Hit(Entry),
    /// Nothing.
    Miss,
    /// An entry past its expiry, now removed.
    Expired(Entry),
}

/// What a write did besides storing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Stored {
    /// The entry pushed out to make room, if any.
    pub(super) evicted: Option<Entry>,
    /// Whether the value was kept: an older version than the one held is
    /// ignored.
    pub(super) kept: bool,
}

/// A cache node's memory.
#[derive(Clone, Debug)]
pub(super) struct Store {
    policy: Policy,
    capacity: u32,
    slot_of: BTreeMap<u32, u32>,
    entries: Vec<Entry>,
    free: Vec<u32>,
    eviction: Eviction,
}

impl Store {
    /// An empty node holding at most `capacity` (at least 1) items.
    pub(super) fn new(policy: Policy, capacity: u32) -> Store {
        Store {
            policy,
            capacity,
            slot_of: BTreeMap::new(),
            entries: Vec::new(),
            free: Vec::new(),
            eviction: Eviction::new(policy, capacity),
        }
    }

    /// Items held (expired ones included until they are noticed).
    pub(super) fn len(&self) -> u32 {
        self.slot_of.len() as u32
    }

    /// Most items it can hold.
    pub(super) fn capacity(&self) -> u32 {
        self.capacity
    }

    /// Read `key` at `now`.
    pub(super) fn read(&mut self, key: u32, now: SimTime) -> Lookup {
        let Some(&slot) = self.slot_of.get(&key) else {
            return Lookup::Miss;
        };
        let entry = self.entries[slot as usize];
        if entry.expires <= now {
            self.detach(key, slot);
            return Lookup::Expired(entry);
        }
        self.eviction.read(slot);
        Lookup::Hit(entry)
    }

    /// The entry of `key`, without counting as a read.
    pub(super) fn peek(&self, key: u32) -> Option<&Entry> {
        self.slot_of.get(&key).map(|&s| &self.entries[s as usize])
    }

    /// Store `entry`, unless a newer version of its key is held. A held
    /// entry that is replaced keeps its unflushed writes (the caller adds
    /// its own). Evicts to make room when full.
    pub(super) fn write(&mut self, entry: Entry, rng: &mut Rng) -> Stored {
        if let Some(&slot) = self.slot_of.get(&entry.key) {
            let held = &mut self.entries[slot as usize];
            if entry.version < held.version {
                return Stored::default();
            }
            let unflushed = held.unflushed + entry.unflushed;
            *held = Entry { unflushed, ..entry };
            return Stored {
                evicted: None,
                kept: true,
            };
        }
        let mut evicted = None;
        let slot = if let Some(slot) = self.free.pop() {
            slot
        } else if self.entries.len() < self.capacity as usize {
            self.entries.push(entry);
            self.entries.len() as u32 - 1
        } else {
            let slot = self.eviction.evict(rng).expect("a full store has a victim");
            let victim = self.entries[slot as usize];
            self.slot_of.remove(&victim.key);
            evicted = Some(victim);
            slot
        };
        self.entries[slot as usize] = entry;
        self.slot_of.insert(entry.key, slot);
        self.eviction.inserted(slot, entry.key);
        Stored {
            evicted,
            kept: true,
        }
    }

    /// Delete `key`, returning what was held.
    pub(super) fn remove(&mut self, key: u32) -> Option<Entry> {
        let slot = *self.slot_of.get(&key)?;
        let entry = self.entries[slot as usize];
        self.detach(key, slot);
        Some(entry)
    }

    /// Mark `key`'s unflushed writes as sent to the database.
    pub(super) fn flushed(&mut self, key: u32) {
        if let Some(&slot) = self.slot_of.get(&key) {
            self.entries[slot as usize].unflushed = 0;
        }
    }

    /// Forget everything (the node died), returning the entries that held
    /// unflushed writes.
    pub(super) fn wipe(&mut self) -> Vec<Entry> {
        let dirty = self
            .slot_of
            .values()
            .map(|&s| self.entries[s as usize])
            .filter(|e| e.unflushed > 0)
            .collect();
        self.slot_of.clear();
        self.entries.clear();
        self.free.clear();
        self.eviction.clear(self.policy, self.capacity);
        dirty
    }

    fn detach(&mut self, key: u32, slot: u32) {
        self.slot_of.remove(&key);
        self.eviction.removed(slot);
        self.free.push(slot);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: u32, version: u64, expires: u64) -> Entry {
        Entry {
            key,
            version,
            expires: SimTime::from_secs(expires),
            cost: SimTime::ZERO,
            unflushed: 0,
        }
    }

    #[test]
    fn expired_entries_are_removed_when_read() {
        let mut s = Store::new(Policy::Lru, 4);
        let mut rng = Rng::new(1);
        s.write(entry(1, 0, 10), &mut rng);
        assert!(matches!(s.read(1, SimTime::from_secs(9)), Lookup::Hit(_)));
        assert!(matches!(
            s.read(1, SimTime::from_secs(10)),
            Lookup::Expired(_)
        ));
        assert_eq!(s.read(1, SimTime::from_secs(10)), Lookup::Miss);
        assert_eq!(s.len(), 0);
    }

    #[test]
    fn an_older_version_never_replaces_a_newer_one() {
        let mut s = Store::new(Policy::Lru, 4);
        let mut rng = Rng::new(1);
        s.write(entry(1, 5, 10), &mut rng);
        assert!(!s.write(entry(1, 4, 20), &mut rng).kept);
        assert_eq!(s.peek(1).map(|e| e.version), Some(5));
        assert!(s.write(entry(1, 6, 20), &mut rng).kept);
        assert_eq!(s.peek(1).map(|e| e.version), Some(6));
    }

    #[test]
    fn a_full_store_evicts_and_reuses_freed_slots() {
        let mut s = Store::new(Policy::Fifo, 2);
        let mut rng = Rng::new(1);
        s.write(entry(1, 0, 99), &mut rng);
        s.write(entry(2, 0, 99), &mut rng);
        let out = s.write(entry(3, 0, 99), &mut rng);
        assert_eq!(out.evicted.map(|e| e.key), Some(1));
        assert_eq!(s.remove(2).map(|e| e.key), Some(2));
        assert_eq!(s.write(entry(4, 0, 99), &mut rng).evicted, None);
        assert_eq!(s.len(), 2);
        assert_eq!(s.capacity(), 2);
    }

    #[test]
    fn wiping_returns_the_unflushed_writes() {
        let mut s = Store::new(Policy::S3Fifo, 8);
        let mut rng = Rng::new(1);
        s.write(
            Entry {
                unflushed: 2,
                ..entry(1, 2, 99)
            },
            &mut rng,
        );
        s.write(
            Entry {
                unflushed: 1,
                ..entry(1, 3, 99)
            },
            &mut rng,
        );
        s.write(entry(2, 0, 99), &mut rng);
        s.write(
            Entry {
                unflushed: 1,
                ..entry(3, 1, 99)
            },
            &mut rng,
        );
        s.flushed(3);
        let lost: u32 = s.wipe().iter().map(|e| e.unflushed).sum();
        assert_eq!(lost, 3);
        assert_eq!(s.len(), 0);
    }
}
