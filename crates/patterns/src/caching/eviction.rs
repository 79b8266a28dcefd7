//! Eviction policies: which item a full cache node gives up to make room.
//!
//! Each policy keeps its own bookkeeping over *slots* (the positions of a
//! node's entries, `0..capacity`) and answers four calls: an item was
//! inserted, an item was read, an item was removed (deleted or expired), and
//! "choose a victim". Every call is O(1), except LFU's, which are O(log n).
//!
//! - **LRU** keeps a recency list: a read moves the item to the front, the
//!   victim is the back. Good for recency-driven traffic; one long scan of
//!   cold keys pushes the whole working set out.
//! - **FIFO** keeps the same list but ignores reads: the oldest insertion goes.
//! - **Random** evicts a uniformly random item: no bookkeeping at all, and
//!   under independent requests as good as FIFO.
//! - **LFU** counts reads while an item is resident and evicts the least
//!   frequently read (the least recent among ties). It keeps a static
//!   popular set almost perfectly but adapts slowly when popularity shifts.
//! - **S3-FIFO** (Yang et al., SOSP 2023) puts new items in a small FIFO
//!   (10% of the space); an item read while there moves to the main FIFO
//!   when it reaches the end, one never read again leaves at once and only
//!   its key is remembered in a *ghost* FIFO, so that if it comes back soon
//!   it goes straight to the main queue. The main queue is a 2-bit CLOCK.
//!   One-hit wonders — a scan — pass through the small queue without
//!   disturbing the main one.

use archsim_core::Rng;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;

/// How a cache node chooses what to evict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Policy {
    /// Least recently used.
    Lru,
    /// Least frequently used (counts kept while resident; ties by recency).
    Lfu,
    /// First in, first out: reads do not matter.
    Fifo,
    /// A uniformly random item.
    Random,
    /// Small and main FIFO queues with a ghost queue: scan-resistant.
    S3Fifo,
}

impl Policy {
    /// Every policy, in the order shown to people.
    pub const ALL: [Policy; 5] = [
        Policy::Lru,
        Policy::Lfu,
        Policy::Fifo,
        Policy::Random,
        Policy::S3Fifo,
    ];

    /// The name used in parameters.
    pub const fn name(self) -> &'static str {
        match self {
            Policy::Lru => "lru",
            Policy::Lfu => "lfu",
            Policy::Fifo => "fifo",
            Policy::Random => "random",
            Policy::S3Fifo => "s3_fifo",
        }
    }
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// No slot: the end of a list.
const NIL: u32 = u32::MAX;

/// Doubly linked lists threaded through slot-indexed arrays: a slot is in at
/// most one list at a time.
#[derive(Clone, Debug, Default)]
struct Links {
    prev: Vec<u32>,
    next: Vec<u32>,
}

/// One list over [`Links`]: newest at the head, oldest at the tail.
#[derive(Clone, Copy, Debug)]
struct List {
    head: u32,
    tail: u32,
    len: u32,
}

impl List {
    const EMPTY: List = List {
        head: NIL,
        tail: NIL,
        len: 0,
    };
}

impl Links {
    fn ensure(&mut self, slot: u32) {
        let need = slot as usize + 1;
        if self.prev.len() < need {
            self.prev.resize(need, NIL);
            self.next.resize(need, NIL);
        }
    }

    fn push_front(&mut self, list: &mut List, slot: u32) {
        self.ensure(slot);
        let s = slot as usize;
        self.prev[s] = NIL;
        self.next[s] = list.head;
        if list.head == NIL {
            list.tail = slot;
        } else {
            self.prev[list.head as usize] = slot;
        }
        list.head = slot;
        list.len += 1;
    }

    fn unlink(&mut self, list: &mut List, slot: u32) {
        let s = slot as usize;
        let (p, n) = (self.prev[s], self.next[s]);
        if p == NIL {
            list.head = n;
        } else {
            self.next[p as usize] = n;
        }
        if n == NIL {
            list.tail = p;
        } else {
            self.prev[n as usize] = p;
        }
        self.prev[s] = NIL;
        self.next[s] = NIL;
        list.len -= 1;
    }

    fn pop_back(&mut self, list: &mut List) -> Option<u32> {
        let tail = list.tail;
        (tail != NIL).then(|| {
            self.unlink(list, tail);
            tail
        })
    }
}

/// A recency (or insertion) order: LRU and FIFO.
#[derive(Clone, Debug)]
struct Ordered {
    links: Links,
    list: List,
    /// Reads move an item to the front (LRU) or not (FIFO).
    on_read_move: bool,
}

/// Uniformly random eviction: the members, densely, and where each sits.
#[derive(Clone, Debug, Default)]
struct RandomSet {
    members: Vec<u32>,
    position: Vec<u32>,
}

/// LFU: `(reads, last touch, slot)` in order; the first is the victim.
#[derive(Clone, Debug, Default)]
struct Frequencies {
    order: BTreeSet<(u32, u64, u32)>,
    of_slot: Vec<(u32, u64)>,
    tick: u64,
}

/// Which S3-FIFO queue a slot is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Queue {
    Small,
    Main,
}

/// S3-FIFO's three queues.
#[derive(Clone, Debug)]
struct S3 {
    links: Links,
    small: List,
    main: List,
    /// Per slot: its queue, its 2-bit read count and its key.
    queue: Vec<Queue>,
    freq: Vec<u8>,
    key: Vec<u32>,
    /// The small queue's share of the space, in items (at least one).
    small_target: u32,
    /// Keys recently evicted from the small queue, oldest first, each with
    /// the stamp it was remembered under; `remembered` holds the live ones.
    ghost: VecDeque<(u32, u64)>,
    remembered: BTreeMap<u32, u64>,
    ghost_capacity: usize,
    stamp: u64,
}

/// The bookkeeping of one node's eviction policy.
#[derive(Clone, Debug)]
pub(super) struct Eviction(Kind);

#[derive(Clone, Debug)]
enum Kind {
    Ordered(Ordered),
    Random(RandomSet),
    Lfu(Frequencies),
    S3(S3),
}

impl Eviction {
    /// Empty bookkeeping for `policy` on a node holding `capacity` items.
    pub(super) fn new(policy: Policy, capacity: u32) -> Eviction {
        Eviction(match policy {
            Policy::Lru | Policy::Fifo => Kind::Ordered(Ordered {
                links: Links::default(),
                list: List::EMPTY,
                on_read_move: policy == Policy::Lru,
            }),
            Policy::Random => Kind::Random(RandomSet::default()),
            Policy::Lfu => Kind::Lfu(Frequencies::default()),
            Policy::S3Fifo => {
                let small_target = (capacity / 10).max(1);
                Kind::S3(S3 {
                    links: Links::default(),
                    small: List::EMPTY,
                    main: List::EMPTY,
                    queue: Vec::new(),
                    freq: Vec::new(),
                    key: Vec::new(),
                    small_target,
                    ghost: VecDeque::new(),
                    remembered: BTreeMap::new(),
                    ghost_capacity: capacity.saturating_sub(small_target).max(1) as usize,
                    stamp: 0,
                })
            }
        })
    }

    /// `key` was stored in `slot`.
    pub(super) fn inserted(&mut self, slot: u32, key: u32) {
        match &mut self.0 {
            Kind::Ordered(o) => o.links.push_front(&mut o.list, slot),
            Kind::Random(r) => {
                let s = slot as usize;
                if r.position.len() <= s {
                    r.position.resize(s + 1, NIL);
                }
                r.position[s] = r.members.len() as u32;
                r.members.push(slot);
            }
            Kind::Lfu(f) => {
                let s = slot as usize;
                if f.of_slot.len() <= s {
                    f.of_slot.resize(s + 1, (0, 0));
                }
                f.tick += 1;
                f.of_slot[s] = (1, f.tick);
                f.order.insert((1, f.tick, slot));
            }
            Kind::S3(q) => q.inserted(slot, key),
        }
    }

    /// The item in `slot` was read.
    pub(super) fn read(&mut self, slot: u32) {
        match &mut self.0 {
            Kind::Ordered(o) => {
                if o.on_read_move {
                    o.links.unlink(&mut o.list, slot);
                    o.links.push_front(&mut o.list, slot);
                }
            }
            Kind::Random(_) => {}
            Kind::Lfu(f) => {
                let (count, touched) = f.of_slot[slot as usize];
                f.order.remove(&(count, touched, slot));
                f.tick += 1;
                let now = (count.saturating_add(1), f.tick);
                f.of_slot[slot as usize] = now;
                f.order.insert((now.0, now.1, slot));
            }
            Kind::S3(q) => {
                let freq = &mut q.freq[slot as usize];
                *freq = (*freq + 1).min(3);
            }
        }
    }

    /// The item in `slot` was removed (deleted or expired), not evicted.
    pub(super) fn removed(&mut self, slot: u32) {
        match &mut self.0 {
            Kind::Ordered(o) => o.links.unlink(&mut o.list, slot),
            Kind::Random(r) => r.remove(slot),
            Kind::Lfu(f) => {
                let (count, touched) = f.of_slot[slot as usize];
                f.order.remove(&(count, touched, slot));
            }
            Kind::S3(q) => q.unlink(slot),
        }
    }

    /// Choose the slot to evict and forget it. `None` only when empty.
    pub(super) fn evict(&mut self, rng: &mut Rng) -> Option<u32> {
        match &mut self.0 {
            Kind::Ordered(o) => o.links.pop_back(&mut o.list),
            Kind::Random(r) => {
                if r.members.is_empty() {
                    return None;
                }
                let slot = r.members[rng.index(r.members.len())];
                r.remove(slot);
                Some(slot)
            }
            Kind::Lfu(f) => f.order.pop_first().map(|(_, _, slot)| slot),
            Kind::S3(q) => q.evict(),
        }
    }

    /// Forget everything (the node restarted empty).
    pub(super) fn clear(&mut self, policy: Policy, capacity: u32) {
        *self = Eviction::new(policy, capacity);
    }
}

impl RandomSet {
    fn remove(&mut self, slot: u32) {
        let at = self.position[slot as usize] as usize;
        self.members.swap_remove(at);
        if let Some(&moved) = self.members.get(at) {
            self.position[moved as usize] = at as u32;
        }
        self.position[slot as usize] = NIL;
    }
}

impl S3 {
    fn inserted(&mut self, slot: u32, key: u32) {
        let s = slot as usize;
        if self.queue.len() <= s {
            self.queue.resize(s + 1, Queue::Small);
            self.freq.resize(s + 1, 0);
            self.key.resize(s + 1, 0);
        }
        self.key[s] = key;
        self.freq[s] = 0;
        // Seen recently and evicted too soon: it deserves the main queue.
        if self.remembered.remove(&key).is_some() {
            self.queue[s] = Queue::Main;
            self.links.push_front(&mut self.main, slot);
        } else {
            self.queue[s] = Queue::Small;
            self.links.push_front(&mut self.small, slot);
        }
    }

    fn unlink(&mut self, slot: u32) {
        match self.queue[slot as usize] {
            Queue::Small => self.links.unlink(&mut self.small, slot),
            Queue::Main => self.links.unlink(&mut self.main, slot),
        }
    }

    fn remember(&mut self, key: u32) {
        self.stamp += 1;
        self.remembered.insert(key, self.stamp);
        self.ghost.push_back((key, self.stamp));
        while self.ghost.len() > self.ghost_capacity {
            if let Some((old, stamp)) = self.ghost.pop_front()
                && self.remembered.get(&old) == Some(&stamp)
            {
                self.remembered.remove(&old);
            }
        }
    }

    fn evict(&mut self) -> Option<u32> {
        if self.small.len >= self.small_target || self.main.len == 0 {
            while let Some(slot) = self.links.pop_back(&mut self.small) {
                let s = slot as usize;
                if self.freq[s] > 0 {
                    // Read while on probation: promote it.
                    self.freq[s] = 0;
                    self.queue[s] = Queue::Main;
                    self.links.push_front(&mut self.main, slot);
                } else {
                    self.remember(self.key[s]);
                    return Some(slot);
                }
            }
        }
        // The main queue is a CLOCK: a read item gets another lap.
        while let Some(slot) = self.links.pop_back(&mut self.main) {
            let s = slot as usize;
            if self.freq[s] > 0 {
                self.freq[s] -= 1;
                self.links.push_front(&mut self.main, slot);
            } else {
                return Some(slot);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A tiny cache of keys over [`Eviction`]: what the node's store does,
    /// without values.
    struct Toy {
        policy: Policy,
        capacity: u32,
        eviction: Eviction,
        slot_of: BTreeMap<u32, u32>,
        key_of: Vec<u32>,
        rng: Rng,
    }

    impl Toy {
        fn new(policy: Policy, capacity: u32) -> Toy {
            Toy {
                policy,
                capacity,
                eviction: Eviction::new(policy, capacity),
                slot_of: BTreeMap::new(),
                key_of: Vec::new(),
                rng: Rng::new(9),
            }
        }

        /// Read `key`, inserting it on a miss; true on a hit.
        fn get(&mut self, key: u32) -> bool {
            if let Some(&slot) = self.slot_of.get(&key) {
                self.eviction.read(slot);
                return true;
            }
            let slot = if self.key_of.len() < self.capacity as usize {
                self.key_of.push(key);
                self.key_of.len() as u32 - 1
            } else {
                let slot = self.eviction.evict(&mut self.rng).expect("full");
                self.slot_of.remove(&self.key_of[slot as usize]);
                self.key_of[slot as usize] = key;
                slot
            };
            self.slot_of.insert(key, slot);
            self.eviction.inserted(slot, key);
            false
        }

        fn holds(&self, key: u32) -> bool {
            self.slot_of.contains_key(&key)
        }
    }

    #[test]
    fn lru_evicts_the_least_recently_read() {
        let mut c = Toy::new(Policy::Lru, 3);
        for k in [1, 2, 3] {
            c.get(k);
        }
        c.get(1); // 2 is now the least recent
        c.get(4);
        assert!(c.holds(1) && !c.holds(2) && c.holds(3) && c.holds(4));
    }

    #[test]
    fn fifo_evicts_the_oldest_insertion_whatever_is_read() {
        let mut c = Toy::new(Policy::Fifo, 3);
        for k in [1, 2, 3] {
            c.get(k);
        }
        assert!(c.get(1));
        c.get(4);
        assert!(!c.holds(1) && c.holds(2) && c.holds(3) && c.holds(4));
    }

    #[test]
    fn lfu_evicts_the_least_read_then_the_least_recent() {
        let mut c = Toy::new(Policy::Lfu, 3);
        for k in [1, 2, 3, 1, 1, 3] {
            c.get(k);
        }
        c.get(4); // 2 was read once
        assert!(c.holds(1) && !c.holds(2) && c.holds(3));
        c.get(5); // 4 and 5 tie at one read... 4 is older
        assert!(!c.holds(4) && c.holds(5));
    }

    #[test]
    fn random_evicts_every_item_about_equally_often() {
        let mut evicted = [0u32; 4];
        for seed in 0..400 {
            let mut c = Toy::new(Policy::Random, 4);
            c.rng = Rng::new(seed);
            for k in 0..4 {
                c.get(k);
            }
            c.get(99);
            for (k, e) in evicted.iter_mut().enumerate() {
                if !c.holds(k as u32) {
                    *e += 1;
                }
            }
        }
        // Each expects 100 with sd about 8.7.
        assert!(
            evicted.iter().all(|&e| (60..140).contains(&e)),
            "{evicted:?}"
        );
        assert_eq!(evicted.iter().sum::<u32>(), 400);
    }

    #[test]
    fn a_removed_item_is_never_chosen_as_a_victim() {
        for policy in Policy::ALL {
            let mut eviction = Eviction::new(policy, 4);
            for slot in 0..4 {
                eviction.inserted(slot, slot + 10);
            }
            eviction.read(2);
            eviction.removed(1);
            let mut rng = Rng::new(1);
            let mut victims: Vec<u32> = (0..3).filter_map(|_| eviction.evict(&mut rng)).collect();
            victims.sort_unstable();
            assert_eq!(victims, vec![0, 2, 3], "{policy}");
            assert_eq!(eviction.evict(&mut rng), None, "{policy}");
        }
    }

    /// Hot keys read over and over, then a one-time scan of cold keys twice
    /// the cache's size, then the hot keys again: how many hot reads hit.
    fn hot_hits_after_scan(policy: Policy) -> usize {
        let mut c = Toy::new(policy, 100);
        for _ in 0..5 {
            for k in 0..50 {
                c.get(k);
            }
        }
        for k in 1_000..1_200 {
            c.get(k);
        }
        (0..50).filter(|&k| c.get(k)).count()
    }

    #[test]
    fn s3_fifo_and_lfu_resist_a_one_time_scan_lru_and_fifo_do_not() {
        assert_eq!(hot_hits_after_scan(Policy::S3Fifo), 50);
        assert_eq!(hot_hits_after_scan(Policy::Lfu), 50);
        assert_eq!(hot_hits_after_scan(Policy::Lru), 0);
        assert_eq!(hot_hits_after_scan(Policy::Fifo), 0);
    }

    #[test]
    fn s3_fifo_remembers_keys_evicted_too_soon() {
        let mut c = Toy::new(Policy::S3Fifo, 10);
        for k in 0..11 {
            c.get(k); // key 0 passes through the small queue unread
        }
        assert!(!c.holds(0));
        let Kind::S3(q) = &c.eviction.0 else {
            unreachable!()
        };
        assert!(q.remembered.contains_key(&0));
        c.get(0); // back soon: straight into the main queue
        let Kind::S3(q) = &c.eviction.0 else {
            unreachable!()
        };
        assert_eq!(q.queue[c.slot_of[&0] as usize], Queue::Main);
        assert!(!q.remembered.contains_key(&0));
    }

    #[test]
    fn every_policy_fills_to_capacity_and_stays_there() {
        for policy in Policy::ALL {
            let mut c = Toy::new(policy, 16);
            let mut rng = Rng::new(4);
            for _ in 0..5_000 {
                c.get(rng.below(64) as u32);
                assert!(c.slot_of.len() <= 16, "{policy}");
            }
            assert_eq!(c.slot_of.len(), 16, "{policy}");
            c.eviction.clear(c.policy, c.capacity);
        }
    }
}
