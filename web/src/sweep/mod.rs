//! Sweeps on the page: the curves of [`archsim_patterns::sweep`], computed
//! off the main thread so the page keeps animating and answering clicks.
//!
//! The worker is the page's own bundle started again in a module worker
//! ([`worker`]): nothing more to download, and nothing per pattern, since
//! the worker knows exactly the patterns its page registered. The page
//! asks for a sweep by the text of its link ([`Ask`]), so the worker plans
//! the very sweep the link describes; it answers a point at a time
//! ([`Answer`]), and the panel ([`crate::components::sweep_panel`]) draws
//! each point as it arrives.

pub(crate) mod worker;

use serde::{Deserialize, Serialize};

/// What the page asks of the worker.
#[derive(Serialize, Deserialize)]
pub(crate) enum Ask {
    /// Run the sweep in the link to preset or pattern `name` with query
    /// `query`; job `job` from now on (a newer job replaces an older one).
    Start {
        /// Which request this is, echoed in every answer.
        job: u32,
        /// The preset or pattern id.
        name: String,
        /// The link's query, its sweep included.
        query: String,
    },
    /// Stop the job under way.
    Cancel,
}

/// What theory says of one line's metric at one point: the value, if its
/// conditions hold, and its source or why it does not apply.
pub(crate) type Said = (Option<f64>, String);

/// What the worker answers.
#[derive(Serialize, Deserialize)]
pub(crate) enum Answer {
    /// Every run of point `point` is done.
    Point {
        /// The job it belongs to.
        job: u32,
        /// Which point.
        point: u32,
        /// Each run's value of each metric, runs in the sweep's order,
        /// metrics within a run (NaN where a run has no value).
        values: Vec<f64>,
        /// What theory predicts at this point, per line and metric (lines
        /// first): the value, if it holds, and its source or why not.
        theory: Vec<Said>,
    },
    /// The job cannot go on.
    Failed {
        /// The job.
        job: u32,
        /// Why, in words.
        why: String,
    },
}
