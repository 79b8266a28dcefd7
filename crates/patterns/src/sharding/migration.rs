//! Resharding: which rows move when the number of shards changes, and the
//! copy that moves them in batches at a limited rate.
//!
//! The plan compares every row's shard under the current placement with its
//! shard under the new one. Rows that stay put cost nothing; rows that move
//! are grouped by (old shard, new shard), read in primary-key order — a
//! table scan — and cut into batches. Batches of different pairs take turns,
//! so the copying is spread over the shards rather than draining one at a
//! time. A batch is read on the old shard, written on the new one and then
//! committed at the router: from that moment its rows live on the new shard.

use super::dataset::Dataset;
use super::params::ShardKey;
use crate::keyspace::Placement;
use archsim_core::SimTime;
use std::collections::{BTreeMap, VecDeque};

/// Rows copied in one batch.
pub(super) const BATCH_ROWS: usize = 50;
/// Batches being copied at once, at most.
pub(super) const MAX_BATCHES_IN_FLIGHT: usize = 4;
/// How long a batch that failed (its shard was down) waits before another try.
pub(super) const RETRY_AFTER: SimTime = SimTime::from_secs(1);
/// Copying a row costs this fraction of a query's mean service time: bulk,
/// sequential work is cheaper than a lookup, but not free.
pub(super) const COPY_COST: f64 = 0.1;

/// Rows copied together from one shard to another.
#[derive(Clone, Debug)]
pub(super) struct Batch {
    /// Where the rows are.
    pub(super) from: u32,
    /// Where they go.
    pub(super) to: u32,
    /// The rows.
    pub(super) rows: Vec<u32>,
}

/// A resharding in progress (or finished).
pub(super) struct Migration {
    /// The placement being moved to.
    pub(super) target: Placement,
    /// Fraction of the shard key's values whose shard changes.
    pub(super) moved_fraction: f64,
    /// Rows that have to move.
    pub(super) moved_rows: u64,
    /// Rows copied and committed so far.
    pub(super) copied_rows: u64,
    /// Per shard (by index), rows still to leave it: the movement the
    /// diagram shows, shard by shard.
    pub(super) to_leave: Vec<u64>,
    /// Per shard, rows still to arrive on it.
    pub(super) to_arrive: Vec<u64>,
    /// When it started.
    pub(super) started: SimTime,
    /// When the last batch was committed.
    pub(super) finished: Option<SimTime>,
    /// Batches being copied.
    pub(super) in_flight: usize,
    /// A pacing tick is scheduled.
    pub(super) tick_scheduled: bool,
    pending: VecDeque<Batch>,
    next_release: SimTime,
    seconds_per_row: f64,
}

impl Migration {
    /// The move from `current` to `target` of the rows of `dataset`, sharded
    /// by `key`, each now on shard `location[row]`, copied at `rate` rows per
    /// second from `now` on.
    pub(super) fn plan(
        current: &Placement,
        target: Placement,
        dataset: &Dataset,
        key: ShardKey,
        location: &[u32],
        now: SimTime,
        rate: f64,
    ) -> Migration {
        let mut pairs: BTreeMap<(u32, u32), Vec<u32>> = BTreeMap::new();
        for row in 0..dataset.rows() {
            let to = target.node_of(dataset.value(row, key));
            let from = location[row as usize];
            if from != to {
                pairs.entry((from, to)).or_default().push(row);
            }
        }
        let mut moved_rows = 0;
        let shards = pairs
            .keys()
            .map(|&(from, to)| from.max(to) as usize + 1)
            .max()
            .unwrap_or(0);
        let (mut to_leave, mut to_arrive) = (vec![0; shards], vec![0; shards]);
        for (&(from, to), rows) in &pairs {
            to_leave[from as usize] += rows.len() as u64;
            to_arrive[to as usize] += rows.len() as u64;
        }
        let mut queues: Vec<VecDeque<Batch>> = pairs
            .into_iter()
            .map(|((from, to), mut rows)| {
                moved_rows += rows.len() as u64;
                rows.sort_unstable_by_key(|&r| dataset.value(r, ShardKey::UserId));
                rows.chunks(BATCH_ROWS)
                    .map(|chunk| Batch {
                        from,
                        to,
                        rows: chunk.to_vec(),
                    })
                    .collect()
            })
            .collect();
        // Pairs take turns.
        let mut pending = VecDeque::new();
        while queues.iter().any(|q| !q.is_empty()) {
            for q in &mut queues {
                if let Some(b) = q.pop_front() {
                    pending.push_back(b);
                }
            }
        }
        Migration {
            moved_fraction: current.moved_fraction(&target),
            target,
            moved_rows,
            copied_rows: 0,
            to_leave,
            to_arrive,
            started: now,
            finished: pending.is_empty().then_some(now),
            in_flight: 0,
            tick_scheduled: false,
            pending,
            next_release: now,
            seconds_per_row: 1.0 / rate,
        }
    }

    /// The next batch to start at `now`, if the pace and the limit on
    /// batches in flight allow one.
    pub(super) fn release(&mut self, now: SimTime) -> Option<Batch> {
        if self.in_flight >= MAX_BATCHES_IN_FLIGHT || now < self.next_release {
            return None;
        }
        let batch = self.pending.pop_front()?;
        self.in_flight += 1;
        self.next_release =
            now + SimTime::from_secs_f64(batch.rows.len() as f64 * self.seconds_per_row);
        Some(batch)
    }

    /// When the next batch may start, if one waits and there is room for it.
    pub(super) fn next_release(&self) -> Option<SimTime> {
        (!self.pending.is_empty() && self.in_flight < MAX_BATCHES_IN_FLIGHT)
            .then_some(self.next_release)
    }

    /// `batch` was committed at `now`.
    pub(super) fn committed(&mut self, batch: &Batch, now: SimTime) {
        let rows = batch.rows.len() as u64;
        self.in_flight -= 1;
        self.copied_rows += rows;
        self.to_leave[batch.from as usize] -= rows;
        self.to_arrive[batch.to as usize] -= rows;
        if self.pending.is_empty() && self.in_flight == 0 {
            self.finished = Some(now);
        }
    }

    /// A batch failed at `now`: it goes back to the front of the line, and
    /// nothing starts for a while.
    pub(super) fn retry(&mut self, batch: Batch, now: SimTime) {
        self.in_flight -= 1;
        self.pending.push_front(batch);
        self.next_release = self.next_release.max(now + RETRY_AFTER);
    }

    /// Whether every row has moved.
    pub(super) fn done(&self) -> bool {
        self.finished.is_some()
    }

    /// Fraction of the rows to move that have moved (1 when none had to).
    pub(super) fn progress(&self) -> f64 {
        if self.moved_rows == 0 {
            1.0
        } else {
            self.copied_rows as f64 / self.moved_rows as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keyspace::Strategy;
    use archsim_core::Rng;

    fn plan(rate: f64) -> Migration {
        let data = Dataset::generate(1_000, 10, 5, &mut Rng::new(1));
        let before = Placement::new(Strategy::ModN, vec![0, 1, 2], 1_000, 1);
        let location: Vec<u32> = (0..1_000)
            .map(|r| before.node_of(data.value(r, ShardKey::UserId)))
            .collect();
        let after = before.with_nodes(vec![0, 1, 2, 3]);
        Migration::plan(
            &before,
            after,
            &data,
            ShardKey::UserId,
            &location,
            SimTime::ZERO,
            rate,
        )
    }

    #[test]
    fn every_moving_row_is_in_exactly_one_batch_and_pairs_take_turns() {
        let m = plan(100.0);
        let mut rows: Vec<u32> = m.pending.iter().flat_map(|b| b.rows.clone()).collect();
        assert_eq!(rows.len() as u64, m.moved_rows);
        rows.sort_unstable();
        rows.dedup();
        assert_eq!(rows.len() as u64, m.moved_rows);
        assert!(m.pending.iter().all(|b| b.rows.len() <= BATCH_ROWS));
        // 3 → 4 under mod N: every pair of shards exchanges rows, and the
        // first batches come from different pairs.
        let first: Vec<(u32, u32)> = m.pending.iter().take(3).map(|b| (b.from, b.to)).collect();
        assert!(first[0] != first[1] && first[1] != first[2], "{first:?}");
        assert!((m.moved_fraction - 0.75).abs() < 0.05);
        // What leaves some shard arrives on another.
        assert_eq!(m.to_leave.iter().sum::<u64>(), m.moved_rows);
        assert_eq!(m.to_arrive.iter().sum::<u64>(), m.moved_rows);
        assert_eq!(
            m.to_leave.get(3).copied().unwrap_or(0),
            0,
            "the new shard only takes rows"
        );
        assert!(m.to_arrive[3] > 0);
    }

    #[test]
    fn batches_leave_at_the_rate_and_no_more_than_the_limit_at_once() {
        let mut m = plan(100.0);
        let t = SimTime::from_secs;
        let first = m.release(t(0)).expect("the first batch leaves at once");
        assert_eq!(first.rows.len(), BATCH_ROWS);
        // 50 rows at 100 rows/s: the next one half a second later.
        assert!(m.release(t(0)).is_none());
        assert_eq!(m.next_release(), Some(SimTime::from_millis(500)));
        for i in 1..MAX_BATCHES_IN_FLIGHT as u64 {
            assert!(m.release(t(i)).is_some());
        }
        assert!(m.release(t(100)).is_none(), "the limit holds");
        assert_eq!(m.next_release(), None);
        let (from, to) = (first.from as usize, first.to as usize);
        let (leaving, arriving) = (m.to_leave[from], m.to_arrive[to]);
        m.committed(&first, t(100));
        assert_eq!(m.copied_rows, BATCH_ROWS as u64);
        assert_eq!(m.to_leave[from], leaving - BATCH_ROWS as u64);
        assert_eq!(m.to_arrive[to], arriving - BATCH_ROWS as u64);
        let again = m.release(t(100)).expect("room again");
        m.retry(again, t(100));
        assert_eq!(m.next_release(), Some(t(101)), "a failed batch waits");
    }
}
