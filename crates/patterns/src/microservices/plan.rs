//! What one call does where it is served: its steps, in order. A service
//! does its own work, queries its store, and calls other services; in a
//! monolith the same functions run one after the other on one worker, the
//! calls between them in-process.

use super::params::{Architecture, Transaction};
use super::topology::{Op, Page, Service};

/// One step of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Step {
    /// The service's own work, on the worker the call holds.
    Work(Service),
    /// A query on the service's store.
    Query(Service),
    /// Call another service and wait for the answer.
    Call(Op),
    /// Call another service `n` times at once and wait for every answer.
    Fanout(Op, u32),
    /// Two-phase commit's first phase: every participant prepares at once.
    Prepare,
    /// Two-phase commit's second phase: the decision logged and sent.
    Decide,
    /// Take the order's item lock (waiting while another holds it).
    Lock,
    /// Release it.
    Unlock,
    /// Read an item's stock: waits while a lock is held on it, sees
    /// reservations not yet final.
    Peek,
    /// Payments decides whether the card pays.
    Vote,
    /// A saga's reservation undone.
    Undo,
}

/// The steps of `op` under `architecture` and `transaction`, with `fanout`
/// stock lookups per page.
pub(super) fn steps(
    op: Op,
    architecture: Architecture,
    transaction: Transaction,
    fanout: u32,
) -> Vec<Step> {
    use Step::*;
    if architecture == Architecture::Monolith {
        return match op {
            // One local transaction: the item's row stays locked from the
            // reservation to the payment.
            Op::Page(Page::Checkout) => {
                let mut steps = vec![
                    Work(Service::Gateway),
                    Work(Service::Orders),
                    Work(Service::Shipping),
                    Query(Service::Shipping),
                ];
                steps.extend(suggestions(fanout));
                steps.extend([
                    Query(Service::Orders),
                    Work(Service::Inventory),
                    Lock,
                    Query(Service::Inventory),
                    Work(Service::Payments),
                    Query(Service::Payments),
                    Vote,
                    Unlock,
                ]);
                steps
            }
            Op::Page(Page::Browse) => {
                let mut steps = vec![Work(Service::Gateway)];
                steps.extend(suggestions(fanout));
                steps
            }
            _ => unreachable!("a monolith serves pages only"),
        };
    }
    match (op, transaction) {
        (Op::Page(Page::Checkout), _) => vec![Work(Service::Gateway), Call(Op::Place)],
        (Op::Page(Page::Browse), _) => vec![Work(Service::Gateway), Call(Op::Suggest)],
        // The delivery quote and what customers also bought come first,
        // outside the transaction: they change nothing.
        (Op::Place, Transaction::Saga) => vec![
            Work(Service::Orders),
            Call(Op::Quote),
            Call(Op::Suggest),
            Query(Service::Orders),
            Call(Op::Reserve),
            Call(Op::Charge),
        ],
        (Op::Place, Transaction::TwoPhaseCommit) => vec![
            Work(Service::Orders),
            Call(Op::Quote),
            Call(Op::Suggest),
            Query(Service::Orders),
            Prepare,
            // The decision is written to the coordinator's log before it
            // is sent.
            Query(Service::Orders),
            Decide,
        ],
        (Op::Reserve, Transaction::Saga) => vec![
            Work(Service::Inventory),
            Lock,
            Query(Service::Inventory),
            Unlock,
        ],
        // Prepared: the lock stays until the decision arrives.
        (Op::Reserve, Transaction::TwoPhaseCommit) => {
            vec![Work(Service::Inventory), Lock, Query(Service::Inventory)]
        }
        (Op::Release, _) => vec![Work(Service::Inventory), Query(Service::Inventory), Undo],
        (Op::Stock, _) => vec![Work(Service::Inventory), Peek, Query(Service::Inventory)],
        (Op::Charge, _) => vec![Work(Service::Payments), Query(Service::Payments), Vote],
        (Op::Refund, _) => vec![Work(Service::Payments), Query(Service::Payments)],
        (Op::Quote, _) => vec![Work(Service::Shipping), Query(Service::Shipping)],
        (Op::Suggest, _) => vec![Work(Service::Recommendations), Fanout(Op::Stock, fanout)],
    }
}

/// Recommendations in-process: their work, and the stock of each.
fn suggestions(fanout: u32) -> Vec<Step> {
    let mut steps = vec![Step::Work(Service::Recommendations)];
    for _ in 0..fanout {
        steps.extend([
            Step::Work(Service::Inventory),
            Step::Peek,
            Step::Query(Service::Inventory),
        ]);
    }
    steps
}

/// A saga's steps, in order: the order created, the item reserved, the
/// card charged.
pub(super) const SAGA: [Op; 3] = [Op::Place, Op::Reserve, Op::Charge];

/// What a saga whose step `failed` (counted from 1, in [`SAGA`]) runs to
/// undo the steps before it, in reverse: `failed − 1` compensations.
pub(super) fn compensations(failed: usize) -> Vec<Step> {
    let mut undo = Vec::new();
    for done in (1..failed).rev() {
        undo.push(match SAGA[done - 1] {
            Op::Reserve => Step::Call(Op::Release),
            Op::Charge => Step::Call(Op::Refund),
            // The order's own row, cancelled in its own store.
            _ => Step::Query(Service::Orders),
        });
    }
    undo
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saga_failing_at_step_k_runs_k_minus_one_compensations_in_reverse() {
        assert_eq!(compensations(1), vec![]);
        assert_eq!(compensations(2), vec![Step::Query(Service::Orders)]);
        assert_eq!(
            compensations(3),
            vec![Step::Call(Op::Release), Step::Query(Service::Orders)]
        );
        // A fourth step would undo the charge first.
        assert_eq!(compensations(4)[0], Step::Call(Op::Refund));
    }

    #[test]
    fn a_monolith_runs_every_function_of_a_page_itself() {
        let steps = steps(
            Op::Page(Page::Checkout),
            Architecture::Monolith,
            Transaction::Saga,
            3,
        );
        assert!(
            steps
                .iter()
                .all(|s| !matches!(s, Step::Call(_) | Step::Fanout(..)))
        );
        let browse = super::steps(
            Op::Page(Page::Browse),
            Architecture::Monolith,
            Transaction::Saga,
            3,
        );
        assert_eq!(browse.iter().filter(|s| **s == Step::Peek).count(), 3);
    }
}
