//! What the delivery diagram draws at one instant: each codebase's
//! pipeline (changes being developed, built, reworked after a conflict,
//! fixed after a failed integration, deployed), the monolith's release
//! train, and deploys broken in production.

use super::params::Architecture;
use archsim_core::SimTime;

/// Where a change stands, in the order of its pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Stage {
    /// Worked on, on its branch, not yet committed.
    Developing,
    /// Committed: its codebase's build and test is running.
    Building,
    /// Reworked after a conflict, then built again.
    Reworking,
    /// Fixed after a failed integration, then built again.
    Fixing,
    /// Merged, waiting for the release train.
    Waiting,
    /// In a train held for a fix.
    Held,
    /// In production.
    Deployed,
}

impl Stage {
    /// Every stage, in pipeline order.
    pub const ALL: [Stage; 7] = [
        Stage::Developing,
        Stage::Building,
        Stage::Reworking,
        Stage::Fixing,
        Stage::Waiting,
        Stage::Held,
        Stage::Deployed,
    ];

    /// What the diagram calls it.
    pub const fn label(self) -> &'static str {
        match self {
            Stage::Developing => "developing",
            Stage::Building => "build + test",
            Stage::Reworking => "rework",
            Stage::Fixing => "fixing",
            Stage::Waiting => "waiting for train",
            Stage::Held => "held train",
            Stage::Deployed => "deployed",
        }
    }
}

/// One codebase and its pipeline.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct CodebaseView {
    /// Thousands of lines.
    pub kloc: f64,
    /// Days one build and test takes.
    pub build_days: f64,
    /// Developers committing to it.
    pub people: u32,
    /// Changes in each [`Stage`], in the order of [`Stage::ALL`].
    pub stages: [u32; Stage::ALL.len()],
    /// Failed deploys not yet restored.
    pub broken: u32,
}

/// The monolith's release train.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct TrainView {
    /// Merged changes waiting for it.
    pub waiting: u32,
    /// A held batch: its changes, and when it deploys.
    pub held: Option<(u32, SimTime)>,
    /// When it is next due.
    pub next_departure: SimTime,
}

/// Everything the diagram draws at one instant.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Snapshot {
    /// The instant (the clock counts days).
    pub now: SimTime,
    /// How the code is split and shipped.
    pub architecture: Architecture,
    /// One codebase, or one per service.
    pub codebases: Vec<CodebaseView>,
    /// The release train (monolith only).
    pub train: Option<TrainView>,
}
