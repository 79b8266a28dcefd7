//! Messages on the wire, kept for a diagram to draw, for models whose
//! messages live nowhere else: a model that hands events from party to
//! party through the kernel's queue sends a copy here, and its snapshot
//! reads back the ones in flight at the moment drawn.
//!
//! Messages are sent in time order, so the oldest are dropped first: those
//! that have arrived, and beyond [`Wire::CAPACITY`] the oldest still in
//! flight (a busy run would otherwise draw thousands of dots).

use archsim_core::{InFlight, SimTime};
use std::collections::VecDeque;

/// Messages between parties of type `N`, each tagged with a `T` (what it
/// carries, if the diagram draws kinds apart).
pub(crate) struct Wire<N, T = ()> {
    messages: VecDeque<(T, InFlight<N>)>,
}

impl<N: Copy, T: Copy> Wire<N, T> {
    /// Messages kept at most.
    pub(crate) const CAPACITY: usize = 600;

    /// No message.
    pub(crate) fn new() -> Self {
        Wire {
            messages: VecDeque::new(),
        }
    }

    /// `tag` leaves `from` at `sent_at` and reaches `to` at `arrives_at`.
    pub(crate) fn send(&mut self, tag: T, from: N, to: N, sent_at: SimTime, arrives_at: SimTime) {
        while self
            .messages
            .front()
            .is_some_and(|(_, m)| m.arrives_at < sent_at)
        {
            self.messages.pop_front();
        }
        if self.messages.len() >= Self::CAPACITY {
            self.messages.pop_front();
        }
        self.messages.push_back((
            tag,
            InFlight {
                from,
                to,
                sent_at,
                arrives_at,
            },
        ));
    }

    /// The messages on their way at `now`.
    pub(crate) fn at(&self, now: SimTime) -> impl Iterator<Item = &(T, InFlight<N>)> {
        self.messages
            .iter()
            .filter(move |(_, m)| m.sent_at <= now && m.arrives_at > now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_is_in_flight_and_drops_the_oldest() {
        let t = SimTime::from_millis;
        let mut wire: Wire<u8> = Wire::new();
        wire.send((), 0, 1, t(0), t(10));
        wire.send((), 1, 2, t(5), t(6));
        let at = |w: &Wire<u8>, ms| w.at(t(ms)).map(|(_, m)| m.to).collect::<Vec<_>>();
        assert_eq!(at(&wire, 5), [1, 2]);
        assert_eq!(at(&wire, 7), [1], "the second has arrived");
        for i in 0..Wire::<u8>::CAPACITY {
            wire.send((), 3, 4, t(8), t(100 + i as u64));
        }
        assert_eq!(wire.messages.len(), Wire::<u8>::CAPACITY);
        assert!(
            at(&wire, 9).iter().all(|&to| to == 4),
            "the oldest went first"
        );
    }
}
