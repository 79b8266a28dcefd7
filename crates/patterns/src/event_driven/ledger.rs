//! The money the events move, and every way a consumer can get it wrong.
//!
//! Each event deposits into or withdraws from one account. The producer
//! only publishes a withdrawal the account can pay for, applying events in
//! the order it publishes them, so a withdrawal that bounces downstream was
//! applied out of order (or after a lost deposit). A ledger applies events
//! as a service handles them and counts, exactly: events applied twice,
//! events lost, events applied before an earlier event of their account,
//! withdrawals bounced, and how far the balances have drifted from what
//! they should be, in money.

/// What one event does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Movement {
    /// The account.
    pub(super) account: u32,
    /// Cents: positive in, negative out.
    pub(super) amount: i64,
}

/// How an event was applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(super) struct Applied {
    /// It had been applied before.
    pub(super) duplicate: bool,
    /// An event of its account published after it was applied first.
    pub(super) reordered: bool,
    /// A withdrawal the balance could not pay.
    pub(super) bounced: bool,
}

/// What became of one event at one service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Fate {
    /// Not handled yet.
    Pending,
    /// Handled (at least once).
    Handled,
    /// Skipped for good: an at-most-once consumer crashed holding it.
    Lost,
    /// Moved to the dead-letter topic.
    DeadLettered,
}

/// One service's view of the accounts.
pub(super) struct Ledger {
    balance: Vec<i64>,
    /// Each account's balance had every event settled so far been
    /// applied once, in publishing order.
    expected: Vec<i64>,
    /// Σ |balance − expected|, kept as events are applied.
    drift: i64,
    /// The newest event id applied, per account.
    newest: Vec<Option<u64>>,
    /// Per event id.
    fates: Vec<Fate>,
}

impl Ledger {
    /// A ledger of `accounts` empty accounts.
    pub(super) fn new(accounts: u32) -> Self {
        Ledger {
            balance: vec![0; accounts as usize],
            expected: vec![0; accounts as usize],
            drift: 0,
            newest: vec![None; accounts as usize],
            fates: Vec::new(),
        }
    }

    /// What became of event `id`.
    pub(super) fn fate(&self, id: u64) -> Fate {
        self.fates
            .get(id as usize)
            .copied()
            .unwrap_or(Fate::Pending)
    }

    fn set_fate(&mut self, id: u64, fate: Fate) {
        let i = id as usize;
        if self.fates.len() <= i {
            self.fates.resize(i + 1, Fate::Pending);
        }
        self.fates[i] = fate;
    }

    fn shift(&mut self, account: usize, balance: i64, expected: i64) {
        self.drift -= (self.balance[account] - self.expected[account]).abs();
        self.balance[account] += balance;
        self.expected[account] += expected;
        self.drift += (self.balance[account] - self.expected[account]).abs();
    }

    /// Apply event `id`.
    pub(super) fn apply(&mut self, id: u64, m: Movement) -> Applied {
        let a = m.account as usize;
        let duplicate = self.fate(id) == Fate::Handled;
        let reordered = !duplicate && self.newest[a].is_some_and(|n| n > id);
        let bounced = m.amount < 0 && self.balance[a] + m.amount < 0;
        let effect = if bounced { 0 } else { m.amount };
        // The first application settles the event: it should count once.
        let should = if duplicate { 0 } else { m.amount };
        self.shift(a, effect, should);
        if !duplicate {
            self.newest[a] = Some(self.newest[a].map_or(id, |n| n.max(id)));
            self.set_fate(id, Fate::Handled);
        }
        Applied {
            duplicate,
            reordered,
            bounced,
        }
    }

    /// Event `id` will never be applied: lost, it should have been.
    pub(super) fn lose(&mut self, id: u64, m: Movement) {
        if self.fate(id) == Fate::Pending {
            self.set_fate(id, Fate::Lost);
            self.shift(m.account as usize, 0, m.amount);
        }
    }

    /// Event `id` went to the dead-letter topic: set aside, not lost.
    pub(super) fn dead_letter(&mut self, id: u64) {
        if self.fate(id) == Fate::Pending {
            self.set_fate(id, Fate::DeadLettered);
        }
    }

    /// How far the balances are from what they should be, in cents.
    pub(super) fn drift(&self) -> i64 {
        self.drift
    }

    /// The balances.
    pub(super) fn balances(&self) -> &[i64] {
        &self.balance
    }
}

/// A checksum of `balances` (FNV-1a over their bytes): two states are
/// equal exactly when every balance is, short of a collision.
pub(super) fn checksum(balances: &[i64]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in balances {
        for byte in b.to_le_bytes() {
            h ^= u64::from(byte);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// Apply `m` the way a service does, to plain balances (a replay).
pub(super) fn replay(balances: &mut [i64], m: Movement) {
    let b = &mut balances[m.account as usize];
    if m.amount >= 0 || *b + m.amount >= 0 {
        *b += m.amount;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IN: Movement = Movement {
        account: 0,
        amount: 100,
    };
    const OUT: Movement = Movement {
        account: 0,
        amount: -60,
    };

    #[test]
    fn in_order_once_is_exact() {
        let mut l = Ledger::new(1);
        assert_eq!(l.apply(0, IN), Applied::default());
        assert_eq!(l.apply(1, OUT), Applied::default());
        assert_eq!(l.balances(), [40]);
        assert_eq!(l.drift(), 0);
    }

    #[test]
    fn a_duplicate_drifts_by_its_amount() {
        let mut l = Ledger::new(1);
        l.apply(0, IN);
        let again = l.apply(0, IN);
        assert!(again.duplicate);
        assert_eq!(l.drift(), 100);
    }

    #[test]
    fn a_withdrawal_before_its_deposit_is_reordered_and_bounces() {
        let mut l = Ledger::new(1);
        let out = l.apply(1, OUT);
        assert!(out.bounced && !out.reordered);
        let deposit = l.apply(0, IN);
        assert!(deposit.reordered);
        assert_eq!(l.balances(), [100]);
        assert_eq!(
            l.drift(),
            60,
            "the bounced withdrawal should have gone through"
        );
    }

    #[test]
    fn a_lost_event_drifts_and_a_dead_letter_does_not() {
        let mut l = Ledger::new(1);
        l.lose(0, IN);
        assert_eq!(l.fate(0), Fate::Lost);
        assert_eq!(l.drift(), 100);
        l.dead_letter(1);
        assert_eq!(l.fate(1), Fate::DeadLettered);
        assert_eq!(l.drift(), 100);
    }

    #[test]
    fn checksums_tell_states_apart() {
        assert_eq!(checksum(&[1, 2]), checksum(&[1, 2]));
        assert_ne!(checksum(&[1, 2]), checksum(&[2, 1]));
    }
}
