//! What requests wait for: a deployable's workers, a store's connections,
//! and an item's lock. Each serves first come, first served.

use archsim_core::Condition;
use std::collections::{BTreeMap, VecDeque};

/// Workers of a deployable (all its replicas pooled: a balancer in front
/// sends each call to a free worker), and the calls waiting for one.
pub(super) struct Pool {
    pub(super) workers: u32,
    pub(super) busy: u32,
    pub(super) queue: VecDeque<u64>,
    /// Calls it turns away once this many wait.
    pub(super) limit: usize,
    pub(super) condition: Condition,
    /// Bumped when it dies: calls it held are void.
    pub(super) epoch: u32,
}

/// Calls a deployable lets wait per worker before it answers "busy".
const QUEUE_PER_WORKER: usize = 10;

impl Pool {
    pub(super) fn new(workers: u32) -> Self {
        Pool {
            workers,
            busy: 0,
            queue: VecDeque::new(),
            limit: QUEUE_PER_WORKER * workers as usize,
            condition: Condition::Up,
            epoch: 0,
        }
    }

    pub(super) fn up(&self) -> bool {
        self.condition != Condition::Down
    }

    /// Take a worker if one is free.
    pub(super) fn take(&mut self) -> bool {
        let free = self.busy < self.workers;
        if free {
            self.busy += 1;
        }
        free
    }
}

/// What waits for a store connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Query {
    /// A call's query.
    Call(u64),
    /// A reporting query.
    Report,
}

/// A database's connections and the queries waiting for one.
pub(super) struct Store {
    pub(super) connections: u32,
    pub(super) busy: u32,
    pub(super) queue: VecDeque<Query>,
}

impl Store {
    pub(super) fn new(connections: u32) -> Self {
        Store {
            connections,
            busy: 0,
            queue: VecDeque::new(),
        }
    }

    /// Take a connection for `query`, or queue it.
    pub(super) fn take(&mut self, query: Query) -> bool {
        if self.busy < self.connections {
            self.busy += 1;
            true
        } else {
            self.queue.push_back(query);
            false
        }
    }

    /// Give a connection back: the query that gets it next, if any.
    pub(super) fn give_back(&mut self) -> Option<Query> {
        let next = self.queue.pop_front();
        if next.is_none() {
            self.busy -= 1;
        }
        next
    }
}

/// Row locks on stock items: held by a transaction, waited for by calls.
#[derive(Default)]
pub(super) struct Locks {
    /// Per locked item: the transaction holding it, and the calls waiting.
    held: BTreeMap<u32, (u64, VecDeque<u64>)>,
}

impl Locks {
    /// Lock `item` for transaction `tx` on behalf of call `call`: true if
    /// it is `tx`'s now, false if the call waits.
    pub(super) fn acquire(&mut self, item: u32, tx: u64, call: u64) -> bool {
        match self.held.get_mut(&item) {
            None => {
                self.held.insert(item, (tx, VecDeque::new()));
                true
            }
            Some((_, waiting)) => {
                waiting.push_back(call);
                false
            }
        }
    }

    /// Whether `item` is locked.
    pub(super) fn locked(&self, item: u32) -> bool {
        self.held.contains_key(&item)
    }

    /// The transaction holding `item`, if any.
    pub(super) fn holder(&self, item: u32) -> Option<u64> {
        self.held.get(&item).map(|(tx, _)| *tx)
    }

    /// Release `item` if `tx` holds it: the call that waited longest, which
    /// now holds it for `next_tx(call)`.
    pub(super) fn release(
        &mut self,
        item: u32,
        tx: u64,
        next_tx: impl FnOnce(u64) -> u64,
    ) -> Option<u64> {
        let (holder, waiting) = self.held.get_mut(&item)?;
        if *holder != tx {
            return None;
        }
        match waiting.pop_front() {
            Some(call) => {
                *holder = next_tx(call);
                Some(call)
            }
            None => {
                self.held.remove(&item);
                None
            }
        }
    }

    /// Items locked.
    pub(super) fn count(&self) -> usize {
        self.held.len()
    }

    /// Calls waiting for a lock.
    pub(super) fn waiting(&self) -> usize {
        self.held.values().map(|(_, w)| w.len()).sum()
    }
}
