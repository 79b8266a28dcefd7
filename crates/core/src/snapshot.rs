//! Vocabulary shared by every model's snapshot: what a node is doing and which
//! messages are on the wire, so the UI can draw any pattern the same way.

use crate::time::SimTime;

/// The true condition of a node (as opposed to what its peers believe).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Condition {
    /// Working at its normal speed.
    Up,
    /// Working, but its speed is multiplied by this factor (< 1 is slower).
    Slow(f64),
    /// Not answering at all.
    Down,
}

/// A message travelling from one node to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct InFlight<N> {
    /// Sender.
    pub from: N,
    /// Receiver.
    pub to: N,
    /// When it left.
    pub sent_at: SimTime,
    /// When it arrives.
    pub arrives_at: SimTime,
}

impl<N> InFlight<N> {
    /// How far along its edge the message is at `now`, from 0 (just sent) to
    /// 1 (arriving): what an animation interpolates between events.
    pub fn progress(&self, now: SimTime) -> f64 {
        let total = self.arrives_at.saturating_sub(self.sent_at).as_micros();
        if total == 0 {
            return 1.0;
        }
        let done = now.saturating_sub(self.sent_at).as_micros().min(total);
        done as f64 / total as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_clamped_and_linear() {
        let m = InFlight {
            from: 0,
            to: 1,
            sent_at: SimTime::from_millis(10),
            arrives_at: SimTime::from_millis(20),
        };
        assert_eq!(m.progress(SimTime::from_millis(5)), 0.0);
        assert_eq!(m.progress(SimTime::from_millis(15)), 0.5);
        assert_eq!(m.progress(SimTime::from_millis(25)), 1.0);
    }
}
