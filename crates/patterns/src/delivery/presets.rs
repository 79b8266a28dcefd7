//! The delivery presets: one or more per delivery leaf of the mind-map's
//! *Microservices Architecture* branch.

use crate::catalog::{Preset, Variants};

/// The delivery presets, in the order of the mind-map's leaves.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "ms-release-train",
        title: "A weekly release train against a pipeline per service",
        what_to_look_for: "48 developers commit about 24 changes a day. The monolith \
            ships them on a weekly train: a change waits about half a week for it, and one change \
            failing integration holds a quarter to three-quarters of the trains for a fix, so the lead time from commit to \
            production averages over four days and its 90th percentile is about a week. The \
            train deploys once a week, and with some 170 changes aboard most of its deploys, seven \
            or more in ten, break production. Each service deploys a change as soon as its \
            45-minute build and test passes: about 24 deploys a day, a median lead time of 45 \
            minutes, about one deploy in a hundred failing, and a restore of about half a day \
            against three-quarters — a fix and a 45-minute build, not a six-hour one.",
        metric: "lead time",
        params: &[],
        seed: 61,
        mindmap_leaf: "Faster Development Cycles: smaller teams, faster delivery",
        compare: Some(Variants {
            key: "architecture",
            values: &["monolith", "microservices"],
        }),
    },
    Preset {
        id: "ms-codebase-size",
        title: "One large codebase against eight small ones",
        what_to_look_for: "With two million lines the monolith's build and test takes 15 \
            hours, and a change is in progress for its day of work and that build while the other \
            developers merge about 24 changes a day into the same code: at a 2% chance of \
            conflict with each, more than half the changes conflict and are reworked and built \
            again. Split into eight services of 250,000 lines, a build takes under two hours and \
            only the owning team's six people merge into each codebase: about one change in \
            sixteen conflicts, and the median lead time is under two hours against more than \
            five days.",
        metric: "changes conflicted",
        params: &[("codebase_size", "2000"), ("conflict_probability", "0.02")],
        seed: 62,
        mindmap_leaf: "Maintainability: smaller codebases",
        compare: Some(Variants {
            key: "architecture",
            values: &["monolith", "microservices"],
        }),
    },
    Preset {
        id: "ms-people",
        title: "More people in one codebase",
        what_to_look_for: "One codebase, with 2, 4, 8 and then 16 teams of six. Each \
            change in progress, for its day of work and its six-hour build, conflicts with each \
            change merged meanwhile with a 1% chance, and the more people, the more merges land \
            in that time: about 7% of changes conflict with two teams, about 15% with four, a \
            quarter with eight and nearly half with sixteen. More changes aboard each train also \
            make its deploys fail more often: from at most half with two teams to nine in ten or \
            more with sixteen.",
        metric: "changes conflicted",
        params: &[("architecture", "monolith"), ("services", "1")],
        seed: 63,
        mindmap_leaf: "Maintainability: smaller codebases",
        compare: Some(Variants {
            key: "teams",
            values: &["2", "4", "8", "16"],
        }),
    },
];
