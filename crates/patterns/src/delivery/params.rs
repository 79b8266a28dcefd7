//! The delivery experiment's public parameters. Its clock counts days:
//! durations are in days, except build times, which are minutes per
//! thousand lines of code.

use crate::params::{
    Field, ParamError, ParamKind, ParamSpec, Scenario, fields, float, inconsistent, int, named,
    names, warmup_within_unit,
};

/// How the code is split and shipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Architecture {
    /// One codebase for everyone, shipped on a shared release train.
    Monolith,
    /// One codebase per service, each change deployed through its own
    /// service's pipeline as soon as it is ready.
    Microservices,
}

impl Architecture {
    /// Every architecture, in the order menus show them.
    pub const ALL: [Architecture; 2] = [Architecture::Monolith, Architecture::Microservices];

    /// The name used in parameters.
    pub const fn name(self) -> &'static str {
        match self {
            Architecture::Monolith => "monolith",
            Architecture::Microservices => "microservices",
        }
    }
}

/// Everything a delivery experiment can change. Times are in days.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// How the code is split and shipped.
    pub architecture: Architecture,
    /// Teams of developers.
    pub teams: u32,
    /// Developers in each team.
    pub team_size: u32,
    /// Changes each developer starts per day.
    pub change_rate: f64,
    /// Days a change is worked on, on its branch, before it is committed.
    pub work_time: f64,
    /// Services the code is split into (microservices); team `t` owns
    /// service `t mod services`.
    pub services: u32,
    /// Size of all the code, thousands of lines.
    pub codebase_size: f64,
    /// Minutes of build and test per thousand lines of the codebase built.
    pub build_time: f64,
    /// Chance that a change conflicts with one other change merged to its
    /// codebase while it was in progress.
    pub conflict_probability: f64,
    /// Days of rework a conflict costs, before the change is built again.
    pub rework_time: f64,
    /// Days between departures of the monolith's release train.
    pub release_interval: f64,
    /// Chance that a change fails integration and must be fixed.
    pub integration_failure: f64,
    /// Chance that a change breaks production once deployed.
    pub change_failure: f64,
    /// Days to write a fix, before it is built and deployed.
    pub fix_time: f64,
    /// Simulated days to run.
    pub duration: f64,
    /// Simulated days excluded from statistics.
    pub warmup: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            architecture: Architecture::Microservices,
            teams: 8,
            team_size: 6,
            change_rate: 0.5,
            work_time: 1.0,
            services: 8,
            codebase_size: 800.0,
            build_time: 0.45,
            conflict_probability: 0.01,
            rework_time: 0.25,
            release_interval: 7.0,
            integration_failure: 0.005,
            change_failure: 0.01,
            fix_time: 0.5,
            duration: 120.0,
            warmup: 14.0,
        }
    }
}

/// Minutes in a day: build times are given in minutes, the clock counts days.
const MINUTES_PER_DAY: f64 = 24.0 * 60.0;

const ARCHITECTURES: [&str; Architecture::ALL.len()] = names!(Architecture::ALL, name);

named!(Architecture => name);

impl Scenario for Params {
    #[rustfmt::skip]
    const SPECS: &'static [ParamSpec] = &[
        ParamSpec { key: "architecture", label: "Architecture", unit: "", kind: ParamKind::Choice(&ARCHITECTURES), help: "One codebase shipped on a shared release train (monolith), or a codebase per service, each change deployed on its own (microservices)." },
        ParamSpec { key: "teams", label: "Teams", unit: "", kind: int(1, 100), help: "Teams of developers; under microservices, team t owns service t mod services." },
        ParamSpec { key: "team_size", label: "People per team", unit: "", kind: int(1, 50), help: "Developers in each team." },
        ParamSpec { key: "change_rate", label: "Change rate", unit: "changes/day per developer", kind: float(0.01, 10.0), help: "Changes each developer starts a day, as a Poisson stream." },
        ParamSpec { key: "work_time", label: "Work time", unit: "days", kind: float(0.0, 30.0), help: "Days a change is worked on, on its branch, before it is committed; it can conflict meanwhile." },
        ParamSpec { key: "services", label: "Services", unit: "", kind: int(1, 100), help: "Services the code is split into under microservices, each its own codebase of an equal share of the code." },
        ParamSpec { key: "codebase_size", label: "Code size", unit: "kLOC", kind: float(1.0, 100_000.0), help: "All the code, in thousands of lines: one codebase, or split between the services." },
        ParamSpec { key: "build_time", label: "Build and test time", unit: "min per kLOC", kind: float(0.0, 60.0), help: "Minutes to build and test a thousand lines: a codebase's build takes this times its size." },
        ParamSpec { key: "conflict_probability", label: "Conflict probability", unit: "per pair", kind: float(0.0, 1.0), help: "Chance that a change conflicts with one other change merged to its codebase while it was in progress (from its start to its merge)." },
        ParamSpec { key: "rework_time", label: "Rework time", unit: "days", kind: float(0.0, 30.0), help: "Days of rework a conflict costs, after which the change is built again." },
        ParamSpec { key: "release_interval", label: "Release interval", unit: "days", kind: float(0.1, 365.0), help: "Days between departures of the monolith's release train, which ships every change merged since the last." },
        ParamSpec { key: "integration_failure", label: "Integration failure", unit: "per change", kind: float(0.0, 1.0), help: "Chance that a change fails integration: a monolith's train is held until it is fixed; a service's change alone waits for its fix." },
        ParamSpec { key: "change_failure", label: "Change failure", unit: "per change", kind: float(0.0, 1.0), help: "Chance that a change breaks production once deployed; a deploy fails if any change in it does." },
        ParamSpec { key: "fix_time", label: "Fix time", unit: "days", kind: float(0.0, 30.0), help: "Days to write a fix, for a failed integration or a failed deploy, before it is built and deployed." },
        ParamSpec { key: "duration", label: "Duration", unit: "days", kind: float(1.0, 3_650.0), help: "Simulated days to run." },
        ParamSpec { key: "warmup", label: "Warm-up", unit: "days", kind: float(0.0, 3_000.0), help: "Simulated days left out of the statistics: the start, when no change is in progress yet and no train has left." },
    ];

    fn fields(&mut self, visit: &mut dyn FnMut(&'static str, &mut dyn Field)) {
        fields!(self, visit: architecture, teams, team_size, change_rate, work_time, services, codebase_size, build_time, conflict_probability, rework_time, release_interval, integration_failure, change_failure, fix_time, duration, warmup);
    }

    fn check(&self) -> Result<(), ParamError> {
        warmup_within_unit(self.warmup, self.duration, "days")?;
        if self.services > self.teams {
            return Err(inconsistent(
                "services",
                self.services,
                format!(
                    "every service needs a team to own it: at most {} services for {} teams",
                    self.teams, self.teams
                ),
            ));
        }
        // Every change is held in memory until the end of the run.
        let changes = self.change_rate * f64::from(self.developers()) * self.duration;
        if changes > MAX_CHANGES {
            return Err(inconsistent(
                "duration",
                self.duration,
                format!(
                    "a run makes at most {MAX_CHANGES} changes: with {} developers at {} a day \
                     that is at most {} days",
                    self.developers(),
                    self.change_rate,
                    (MAX_CHANGES / (self.change_rate * f64::from(self.developers()))).floor()
                ),
            ));
        }
        Ok(())
    }
}

/// Changes a run may make: the model keeps each one.
const MAX_CHANGES: f64 = 1_000_000.0;

impl Params {
    /// Developers in all.
    pub fn developers(&self) -> u32 {
        self.teams * self.team_size
    }

    /// Separate codebases: one, or one per service.
    pub fn codebases(&self) -> u32 {
        match self.architecture {
            Architecture::Monolith => 1,
            Architecture::Microservices => self.services,
        }
    }

    /// The codebase team `team` commits to.
    pub fn codebase_of(&self, team: u32) -> u32 {
        team % self.codebases()
    }

    /// Developers committing to `codebase`.
    pub fn people_in(&self, codebase: u32) -> u32 {
        (0..self.teams)
            .filter(|&t| self.codebase_of(t) == codebase)
            .count() as u32
            * self.team_size
    }

    /// Thousands of lines in each codebase.
    pub fn codebase_kloc(&self) -> f64 {
        self.codebase_size / f64::from(self.codebases())
    }

    /// Days one build and test of a codebase takes: linear in its size.
    pub fn build_days(&self) -> f64 {
        self.build_time * self.codebase_kloc() / MINUTES_PER_DAY
    }
}
