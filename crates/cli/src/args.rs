//! The command line, as clap reads it.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::str::FromStr;

/// Run archsim's architecture simulations from the command line.
#[derive(Parser)]
#[command(name = "archsim", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// List the presets (one per claim of the mind-map) and the patterns.
    List,
    /// Show the parameters of a pattern or preset: units, allowed values, current values.
    Params {
        /// A pattern (e.g. load-balancing) or a preset (e.g. lb-overload).
        name: String,
    },
    /// Run one experiment and print its report.
    Run(RunArgs),
    /// Run variants side by side on the same seed and the same arrivals.
    Compare {
        #[command(flatten)]
        run: RunArgs,
        /// The parameter to vary and its values, e.g. algorithm=round_robin,least_connections.
        /// A preset with variants of its own needs none.
        #[arg(long, value_name = "KEY=V1,V2,...")]
        vary: Option<Vary>,
    },
    /// Step one parameter over a range and print each metric's curve, one line per variant,
    /// every point on the same seeds.
    Sweep(SweepArgs),
    /// Read a markmap-style mind-map as the site does: its tree, options and warnings.
    Mindmap {
        /// The markdown file, e.g. mindmap/architectures.md.
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = MapFormat::Text)]
        format: MapFormat,
    },
}

/// How `archsim mindmap` prints a map.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum MapFormat {
    /// The tree indented by depth, then the options; warnings on stderr.
    Text,
    /// Nodes with their text, fold state, colour, line and laid-out box.
    Json,
}

#[derive(clap::Args)]
pub(crate) struct RunArgs {
    /// A pattern (e.g. load-balancing) or a preset (e.g. lb-overload).
    pub(crate) name: String,
    /// Seed of the run (the same seed gives the same numbers).
    #[arg(long)]
    pub(crate) seed: Option<u64>,
    /// Set a parameter, e.g. --set backends=8 (repeatable; see `archsim params`).
    #[arg(long, value_name = "KEY=VALUE")]
    pub(crate) set: Vec<Assignment>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub(crate) format: Format,
}

#[derive(clap::Args)]
pub(crate) struct SweepArgs {
    #[command(flatten)]
    pub(crate) run: RunArgs,
    /// The parameter to step and its range, e.g. arrival_rate=50..350:13 (10 points when
    /// :POINTS is left out).
    #[arg(long, value_name = "KEY=FROM..TO[:POINTS]")]
    pub(crate) vary: String,
    /// Space the points by equal ratios rather than equal steps.
    #[arg(long)]
    pub(crate) log: bool,
    /// A metric, as a dotted path into the JSON report's metrics, e.g. latency.p99; a number
    /// picks a list's element from 1, e.g. backends.2.served (repeatable).
    #[arg(long = "metric", value_name = "NAME", required = true)]
    pub(crate) metrics: Vec<String>,
    /// Seeds per point, from the run's seed on: 2 or more draw a 95% interval.
    #[arg(long, default_value_t = 5)]
    pub(crate) seeds: usize,
    /// The variants, one line each, e.g. algorithm=round_robin,random. A preset's own by
    /// default; an experiment without variants draws one line.
    #[arg(long, value_name = "KEY=V1,V2,...")]
    pub(crate) lines: Option<Vary>,
    /// Threads to run on (all cores by default); the output is the same whatever the number.
    #[arg(long)]
    pub(crate) threads: Option<std::num::NonZeroUsize>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Aligned columns for people.
    Table,
    /// The full report, for programs.
    Json,
    /// The headline numbers, for spreadsheets.
    Csv,
}

/// `key=value`.
#[derive(Clone)]
pub(crate) struct Assignment {
    pub(crate) key: String,
    pub(crate) value: String,
}

impl FromStr for Assignment {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() => Ok(Assignment {
                key: key.trim().to_owned(),
                value: value.trim().to_owned(),
            }),
            _ => Err(format!("'{s}' is not KEY=VALUE (e.g. backends=8)")),
        }
    }
}

/// `key=v1,v2,...`.
#[derive(Clone)]
pub(crate) struct Vary {
    pub(crate) key: String,
    pub(crate) values: Vec<String>,
}

impl FromStr for Vary {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let Assignment { key, value } = s.parse()?;
        let values: Vec<String> = value
            .split(',')
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect();
        if values.is_empty() {
            return Err(format!(
                "'{s}' lists no values (e.g. algorithm=round_robin,random)"
            ));
        }
        Ok(Vary { key, values })
    }
}
