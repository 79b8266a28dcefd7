//! `archsim`: the same models as the web site, headless.
//!
//! ```text
//! archsim list                                   presets and patterns
//! archsim params <pattern-or-preset>             parameters, units, allowed values
//! archsim run <pattern-or-preset> [--seed N] [--set key=value]... [--format table|json|csv]
//! archsim compare <pattern-or-preset> [--vary key=v1,v2,...] [--seed N] [--set ...] [--format ...]
//! archsim sweep <pattern-or-preset> --vary key=from..to[:points] [--log] --metric name...
//!               [--seeds N] [--lines key=v1,v2,...] [--threads N] [--set ...] [--format ...]
//! archsim mindmap <file.md> [--format text|json]  a mind-map as the site reads it
//! ```
//!
//! Bad input — an unknown name, an unknown key, a value of the wrong type or
//! out of range — exits with status 2 and a message naming the key, the
//! value given and what is allowed; so does a sweep's range, points, seeds
//! or metric. A mind-map that cannot be read exits
//! with status 2 and `FILE:LINE: reason`.

mod args;
mod mindmap;
mod output;
mod progress;
mod sweep;

use archsim_patterns::Experiment;
use args::{Cli, Command, RunArgs};
use clap::Parser;
use std::process::ExitCode;

/// A failure the user can fix (exit 2) or one they cannot (exit 1).
enum Failure {
    Usage(String),
    Internal(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match execute(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Internal(message)) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn execute(command: Command) -> Result<(), Failure> {
    let mut out = String::new();
    match command {
        Command::List => output::presets(&mut out, archsim_patterns::all()),
        Command::Params { name } => output::params(&mut out, &resolve(&name)?),
        Command::Run(args) => {
            let exp = configure(&args)?;
            let report = progress::track(exp.seed(), &label(&exp), |p| exp.run(p))
                .map_err(|e| Failure::Usage(e.to_string()))?;
            output::report(&mut out, &exp, &report, args.format);
        }
        Command::Compare { run, vary } => {
            let exp = configure(&run)?;
            let (key, values) = match (&vary, exp.preset().and_then(|p| p.compare)) {
                (Some(v), _) => (v.key.clone(), v.values.clone()),
                (None, Some(v)) => (
                    v.key.to_owned(),
                    v.values.iter().map(|s| s.to_string()).collect(),
                ),
                (None, None) => {
                    return Err(Failure::Usage(format!(
                        "'{}' has no variants of its own: say what to vary, e.g. --vary algorithm=round_robin,least_connections",
                        run.name
                    )));
                }
            };
            let values: Vec<&str> = values.iter().map(String::as_str).collect();
            let reports =
                progress::track(exp.seed(), &label(&exp), |p| exp.compare(&key, &values, p))
                    .map_err(|e| Failure::Usage(e.to_string()))?;
            output::comparison(&mut out, &exp, &key, &values, &reports, run.format);
        }
        Command::Sweep(args) => sweep::sweep(&mut out, &configure(&args.run)?, &args)?,
        Command::Mindmap { file, format } => {
            mindmap::show(&mut out, &file, format).map_err(Failure::Usage)?;
        }
    }
    use std::io::Write;
    std::io::stdout()
        .write_all(out.as_bytes())
        .map_err(|e| Failure::Internal(format!("could not write the output: {e}")))
}

fn resolve(name: &str) -> Result<Experiment, Failure> {
    Experiment::resolve(name).map_err(|e| Failure::Usage(e.to_string()))
}

/// The experiment `args` describe: a name, then `--seed` and each `--set`.
fn configure(args: &RunArgs) -> Result<Experiment, Failure> {
    let mut exp = resolve(&args.name)?;
    if let Some(seed) = args.seed {
        exp.set_seed(seed);
    }
    for set in &args.set {
        exp.set(&set.key, &set.value)
            .map_err(|e| Failure::Usage(e.to_string()))?;
    }
    exp.validate().map_err(|e| Failure::Usage(e.to_string()))?;
    Ok(exp)
}

fn label(exp: &Experiment) -> String {
    exp.preset()
        .map_or_else(|| exp.pattern().id().to_owned(), |p| p.id.to_owned())
}
