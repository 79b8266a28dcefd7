//! The event log that event-driven architecture exposes and CQRS carries
//! its write side's events on: a topic of partitions, each an append-only
//! sequence of records numbered by offset, trimmed by retention; and
//! consumer groups, which share a topic's partitions among their members
//! and remember, per partition, the offset they have committed.
//!
//! It is the log's bookkeeping only, as Kafka defines it, with no clock of
//! its own and no delivery policy: a model decides when records are
//! published and handled, what a crash loses and when offsets are
//! committed (at most once, at least once, with the effect), and asks the
//! log where things stand. Every figure a page shows of a log — lag per
//! partition, what a rebalance reassigns, what a replay reads — is read
//! from here, so the models that share the log count the same way.

use archsim_core::SimTime;
use std::collections::VecDeque;
use std::fmt;

/// One record of a partition.
#[derive(Clone, Debug, PartialEq)]
pub struct Record<E> {
    /// Unique across the topic, in the order of publishing: what an
    /// idempotent consumer deduplicates by, and a trace's correlation id.
    pub id: u64,
    /// The partition key it was published with, if any.
    pub key: Option<u64>,
    /// When it was appended.
    pub at: SimTime,
    /// What happened.
    pub event: E,
}

/// Where an appended record sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// Its partition.
    pub partition: u32,
    /// Its offset in the partition.
    pub offset: u64,
    /// Its id ([`Record::id`]).
    pub id: u64,
}

/// How long a partition keeps its records.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Retention {
    /// Every record, forever: the log is the history.
    Forever,
    /// The newest `n` records of each partition.
    Records(usize),
    /// Records younger than this ([`Topic::expire`] trims the rest).
    Age(SimTime),
}

/// Why a record cannot be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// Retention has removed it: the partition now starts at `earliest`.
    Trimmed {
        /// The oldest offset still held.
        earliest: u64,
    },
    /// Nothing has been written there yet: the partition ends at `end`.
    NotYet {
        /// The offset the next record will take.
        end: u64,
    },
    /// The topic has no such partition.
    NoPartition {
        /// How many it has.
        partitions: u32,
    },
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unreadable::Trimmed { earliest } => {
                write!(
                    f,
                    "retention has removed it; the partition starts at offset {earliest}"
                )
            }
            Unreadable::NotYet { end } => {
                write!(
                    f,
                    "nothing is there yet; the partition ends at offset {end}"
                )
            }
            Unreadable::NoPartition { partitions } => {
                write!(f, "there is no such partition; the topic has {partitions}")
            }
        }
    }
}

#[derive(Clone, Debug)]
struct Partition<E> {
    /// The offset of the first record held.
    start: u64,
    records: VecDeque<Record<E>>,
}

impl<E> Partition<E> {
    fn end(&self) -> u64 {
        self.start + self.records.len() as u64
    }

    fn drop_oldest(&mut self) {
        if self.records.pop_front().is_some() {
            self.start += 1;
        }
    }
}

/// A topic: `partitions` append-only sequences of records.
#[derive(Clone, Debug)]
pub struct Topic<E> {
    partitions: Vec<Partition<E>>,
    retention: Retention,
    next_id: u64,
    /// Where a record without a key goes next (round robin).
    next_unkeyed: u32,
}

impl<E> Topic<E> {
    /// An empty topic of `partitions` partitions (at least one).
    pub fn new(partitions: u32, retention: Retention) -> Topic<E> {
        Topic {
            partitions: (0..partitions.max(1))
                .map(|_| Partition {
                    start: 0,
                    records: VecDeque::new(),
                })
                .collect(),
            retention,
            next_id: 0,
            next_unkeyed: 0,
        }
    }

    /// How many partitions it has.
    pub fn partitions(&self) -> u32 {
        self.partitions.len() as u32
    }

    /// The partition a record with `key` goes to: a hash of the key, so
    /// every record of one key lands in one partition, in order. Records
    /// without a key are spread round robin, and keep no order between
    /// partitions.
    pub fn partition_for(&self, key: Option<u64>) -> u32 {
        match key {
            Some(k) => (archsim_core::hash64(k) % u64::from(self.partitions())) as u32,
            None => self.next_unkeyed,
        }
    }

    /// Append `event`, published at `at` with `key`, and trim what a
    /// count retention no longer keeps.
    pub fn append(&mut self, key: Option<u64>, event: E, at: SimTime) -> Position {
        let partition = self.partition_for(key);
        if key.is_none() {
            self.next_unkeyed = (self.next_unkeyed + 1) % self.partitions();
        }
        let id = self.next_id;
        self.next_id += 1;
        let p = &mut self.partitions[partition as usize];
        let offset = p.end();
        p.records.push_back(Record { id, key, at, event });
        if let Retention::Records(n) = self.retention {
            while p.records.len() > n {
                p.drop_oldest();
            }
        }
        Position {
            partition,
            offset,
            id,
        }
    }

    /// Trim, at `now`, the records an age retention no longer keeps.
    pub fn expire(&mut self, now: SimTime) {
        let Retention::Age(age) = self.retention else {
            return;
        };
        for p in &mut self.partitions {
            while p
                .records
                .front()
                .is_some_and(|r| now.saturating_sub(r.at) > age)
            {
                p.drop_oldest();
            }
        }
    }

    /// The oldest offset partition `p` still holds.
    pub fn start(&self, p: u32) -> u64 {
        self.partitions.get(p as usize).map_or(0, |p| p.start)
    }

    /// The offset the next record of partition `p` will take.
    pub fn end(&self, p: u32) -> u64 {
        self.partitions.get(p as usize).map_or(0, Partition::end)
    }

    /// Records ever appended, over every partition.
    pub fn published(&self) -> u64 {
        self.next_id
    }

    /// The record at `offset` of partition `p`.
    pub fn read(&self, p: u32, offset: u64) -> Result<&Record<E>, Unreadable> {
        let partition = self
            .partitions
            .get(p as usize)
            .ok_or(Unreadable::NoPartition {
                partitions: self.partitions(),
            })?;
        if offset < partition.start {
            return Err(Unreadable::Trimmed {
                earliest: partition.start,
            });
        }
        partition
            .records
            .get((offset - partition.start) as usize)
            .ok_or(Unreadable::NotYet {
                end: partition.end(),
            })
    }

    /// Every record held, partition by partition, in offset order: what a
    /// replay reads to rebuild a state.
    pub fn history(&self) -> impl Iterator<Item = &Record<E>> {
        self.partitions.iter().flat_map(|p| p.records.iter())
    }
}

/// A member of a consumer group.
pub type Member = u32;

/// A consumer group: members that share a topic's partitions, each
/// partition owned by one member at a time, and the offset committed for
/// each partition (the next one to read: where a member that takes the
/// partition over starts).
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Sorted: assignment goes by rank, so it depends on who is in the
    /// group, not on the order they joined in.
    members: Vec<Member>,
    committed: Vec<u64>,
    generation: u64,
}

impl Group {
    /// A group of no members over `partitions` partitions, nothing
    /// committed.
    pub fn new(partitions: u32) -> Group {
        Group {
            members: Vec::new(),
            committed: vec![0; partitions.max(1) as usize],
            generation: 0,
        }
    }

    /// `member` joins: a rebalance, if it was not a member.
    pub fn join(&mut self, member: Member) {
        if let Err(at) = self.members.binary_search(&member) {
            self.members.insert(at, member);
            self.generation += 1;
        }
    }

    /// `member` leaves (or is declared dead): a rebalance, if it was a
    /// member. Its partitions go to the others, from the committed offsets:
    /// what it handled and had not committed will be handled again.
    pub fn leave(&mut self, member: Member) {
        if let Ok(at) = self.members.binary_search(&member) {
            self.members.remove(at);
            self.generation += 1;
        }
    }

    /// How many rebalances there have been: a member that holds an older
    /// generation's assignment must stop and ask again.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The members, in rank order.
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// Who owns partition `p`: the range assignment, as Kafka's default
    /// assignor makes it. Partitions are split into as many contiguous runs
    /// as there are members, the first ones a partition longer; with more
    /// members than partitions the last members own none and sit idle.
    pub fn owner(&self, p: u32) -> Option<Member> {
        let (n, m) = (self.committed.len(), self.members.len());
        if m == 0 || p as usize >= n {
            return None;
        }
        let (each, extra) = (n / m, n % m);
        // The first `extra` members own `each + 1` partitions.
        let long = extra * (each + 1);
        let rank = if (p as usize) < long {
            p as usize / (each + 1)
        } else {
            extra + (p as usize - long) / each.max(1)
        };
        self.members.get(rank).copied()
    }

    /// The partitions `member` owns, in order.
    pub fn assignment(&self, member: Member) -> Vec<u32> {
        (0..self.committed.len() as u32)
            .filter(|&p| self.owner(p) == Some(member))
            .collect()
    }

    /// Commit `offset` for partition `p`: the next offset to read. A commit
    /// can move backwards, as in Kafka: it is the consumer's word.
    pub fn commit(&mut self, p: u32, offset: u64) {
        if let Some(c) = self.committed.get_mut(p as usize) {
            *c = offset;
        }
    }

    /// The offset committed for partition `p`.
    pub fn committed(&self, p: u32) -> u64 {
        self.committed.get(p as usize).copied().unwrap_or(0)
    }

    /// Where a member that takes partition `p` of `topic` over starts: the
    /// committed offset, or the oldest record still held if retention has
    /// removed it (the records between are lost to this group).
    pub fn resume_at<E>(&self, topic: &Topic<E>, p: u32) -> u64 {
        self.committed(p).max(topic.start(p))
    }

    /// Records of partition `p` of `topic` this group has not committed.
    pub fn lag<E>(&self, topic: &Topic<E>, p: u32) -> u64 {
        topic.end(p).saturating_sub(self.resume_at(topic, p))
    }

    /// Records this group has not committed, over every partition.
    pub fn total_lag<E>(&self, topic: &Topic<E>) -> u64 {
        (0..topic.partitions()).map(|p| self.lag(topic, p)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(s: u64) -> SimTime {
        SimTime::from_secs(s)
    }

    #[test]
    fn records_of_one_key_share_a_partition_in_order_and_others_go_round_robin() {
        let mut t = Topic::new(4, Retention::Forever);
        let first = t.append(Some(7), "a", at(0));
        let second = t.append(Some(7), "b", at(1));
        assert_eq!(first.partition, second.partition);
        assert_eq!((first.offset, second.offset), (0, 1));
        assert_eq!((first.id, second.id), (0, 1));
        let unkeyed: Vec<u32> = (0..8)
            .map(|_| t.append(None, "x", at(2)).partition)
            .collect();
        assert_eq!(unkeyed, [0, 1, 2, 3, 0, 1, 2, 3]);
        assert_eq!(t.published(), 10);
        assert_eq!(t.read(first.partition, 1).unwrap().event, "b");
    }

    #[test]
    fn retention_trims_the_oldest_and_says_where_the_partition_starts() {
        let mut t = Topic::new(1, Retention::Records(2));
        for i in 0..5 {
            t.append(None, i, at(i));
        }
        assert_eq!((t.start(0), t.end(0)), (3, 5));
        assert_eq!(t.read(0, 1), Err(Unreadable::Trimmed { earliest: 3 }));
        assert_eq!(t.read(0, 5), Err(Unreadable::NotYet { end: 5 }));
        assert_eq!(t.read(1, 0), Err(Unreadable::NoPartition { partitions: 1 }));
        assert_eq!(t.read(0, 4).unwrap().event, 4);

        let mut aged = Topic::new(1, Retention::Age(at(10)));
        for i in 0..30 {
            aged.append(None, i, at(i));
        }
        aged.expire(at(30));
        // Records of 20 s and later are at most 10 s old.
        assert_eq!(aged.start(0), 20);
        assert_eq!(
            Unreadable::Trimmed { earliest: 20 }.to_string(),
            "retention has removed it; the partition starts at offset 20"
        );
    }

    #[test]
    fn lag_counts_from_the_committed_offset_or_the_oldest_record_held() {
        let mut t = Topic::new(2, Retention::Records(3));
        let mut g = Group::new(2);
        for i in 0..10 {
            t.append(None, i, at(i));
        }
        // Five records each; three held.
        assert_eq!((t.start(0), t.end(0)), (2, 5));
        assert_eq!(g.lag(&t, 0), 3, "what retention removed is not lag");
        g.commit(0, 4);
        assert_eq!((g.resume_at(&t, 0), g.lag(&t, 0)), (4, 1));
        assert_eq!(g.total_lag(&t), 4);
    }

    #[test]
    fn a_rebalance_reassigns_and_members_beyond_the_partitions_sit_idle() {
        let mut g = Group::new(4);
        assert_eq!(g.owner(0), None, "no member, no owner");
        g.join(10);
        assert_eq!(g.assignment(10), [0, 1, 2, 3]);
        g.join(20);
        g.join(30);
        assert_eq!(g.generation(), 3);
        assert_eq!(g.assignment(10), [0, 1]);
        assert_eq!(g.assignment(20), [2]);
        assert_eq!(g.assignment(30), [3]);
        g.join(30);
        assert_eq!(g.generation(), 3, "joining twice is no rebalance");
        for m in [40, 50] {
            g.join(m);
        }
        assert!(g.assignment(50).is_empty(), "five members, four partitions");
        g.leave(10);
        assert_eq!(g.generation(), 6);
        assert_eq!(g.assignment(20), [0]);
        assert_eq!(g.assignment(50), [3]);
    }

    proptest! {
        /// Whatever the members, each partition has exactly one owner, the
        /// busiest member owns at most one partition more than the idlest,
        /// and no more members are busy than there are partitions.
        #[test]
        fn every_partition_has_one_owner_and_the_split_is_even(
            partitions in 1u32..40,
            members in proptest::collection::btree_set(0u32..100, 1..30),
        ) {
            let mut g = Group::new(partitions);
            for &m in &members {
                g.join(m);
            }
            let counts: Vec<usize> = members.iter().map(|&m| g.assignment(m).len()).collect();
            prop_assert_eq!(counts.iter().sum::<usize>(), partitions as usize);
            for p in 0..partitions {
                prop_assert!(g.owner(p).is_some_and(|o| members.contains(&o)));
            }
            let busy = counts.iter().filter(|&&c| c > 0).count();
            prop_assert_eq!(busy, members.len().min(partitions as usize));
            let (most, least) = (counts.iter().max().unwrap(), counts.iter().min().unwrap());
            prop_assert!(most - least <= 1, "{:?}", counts);
        }

        /// Offsets and ids only grow, every record held is read back where
        /// it was appended, and what is held is what retention keeps.
        #[test]
        fn the_log_reads_back_what_was_appended(
            keys in proptest::collection::vec(proptest::option::of(0u64..20), 0..200),
            partitions in 1u32..8,
            keep in 1usize..50,
        ) {
            let mut t = Topic::new(partitions, Retention::Records(keep));
            let positions: Vec<Position> = keys
                .iter()
                .enumerate()
                .map(|(i, &k)| t.append(k, i, at(i as u64)))
                .collect();
            for (i, pos) in positions.iter().enumerate() {
                prop_assert_eq!(pos.id, i as u64);
                match t.read(pos.partition, pos.offset) {
                    Ok(r) => prop_assert_eq!(r.event, i),
                    Err(Unreadable::Trimmed { earliest }) => prop_assert!(pos.offset < earliest),
                    Err(other) => prop_assert!(false, "{other}"),
                }
            }
            for p in 0..partitions {
                let appended = positions.iter().filter(|x| x.partition == p).count() as u64;
                prop_assert_eq!(t.end(p), appended);
                prop_assert_eq!(t.end(p) - t.start(p), appended.min(keep as u64));
            }
            prop_assert_eq!(t.history().count() as u64, (0..partitions).map(|p| t.end(p) - t.start(p)).sum::<u64>());
        }
    }
}
