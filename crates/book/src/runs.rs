//! The runs behind the figures: each preset with each set of changes is
//! simulated once per book build, exactly as `archsim run PRESET --set …`
//! (and each variant of `archsim compare`) would run it.

use crate::preset;
use archsim_patterns::Experiment;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// A preset with parameter changes (`seed=N` sets the seed, as `--seed`
/// does): what `archsim run` would be asked for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Run {
    /// The preset id.
    pub(crate) preset: String,
    /// Parameter changes, applied in order.
    pub(crate) settings: Vec<(String, String)>,
}

impl Run {
    /// This run with `changes` made on top: a key already set takes the new value.
    pub(crate) fn with(&self, changes: &[(String, String)]) -> Run {
        let mut settings = self.settings.clone();
        for (key, value) in changes {
            match settings.iter_mut().find(|(k, _)| k == key) {
                Some(setting) => setting.1 = value.clone(),
                None => settings.push((key.clone(), value.clone())),
            }
        }
        Run {
            preset: self.preset.clone(),
            settings,
        }
    }

    /// This run on another seed.
    pub(crate) fn seeded(&self, seed: u64) -> Run {
        self.with(&[("seed".to_owned(), seed.to_string())])
    }

    /// The same run whatever order its changes were written in.
    fn canonical(&self) -> Run {
        let unset = Run {
            preset: self.preset.clone(),
            settings: Vec::new(),
        };
        let mut run = unset.with(&self.settings);
        run.settings.sort();
        run
    }
}

/// Reports of the runs made so far in this build, failures included.
#[derive(Default)]
pub(crate) struct Runs {
    done: BTreeMap<Run, Result<Value, String>>,
}

impl Runs {
    /// The `metrics` of the report of `run`. Runs it the first time it is
    /// asked for.
    pub(crate) fn metrics(&mut self, run: &Run) -> Result<&Value, String> {
        self.done
            .entry(run.canonical())
            .or_insert_with(|| simulate(run))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Make every run of `wanted` not made yet, on as many threads as the
    /// machine has cores: a book or a seed sweep needs thousands.
    pub(crate) fn prefetch(&mut self, wanted: impl IntoIterator<Item = Run>) {
        let mut missing: Vec<Run> = wanted
            .into_iter()
            .map(|run| run.canonical())
            .filter(|run| !self.done.contains_key(run))
            .collect();
        missing.sort();
        missing.dedup();
        let queue = Mutex::new(missing);
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let made = Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| {
                    loop {
                        // Its own statement, so the lock is released before the run.
                        let next = queue.lock().expect("no thread panics holding it").pop();
                        let Some(run) = next else { break };
                        let report = simulate(&run);
                        made.lock()
                            .expect("no thread panics holding it")
                            .push((run, report));
                    }
                });
            }
        });
        self.done
            .extend(made.into_inner().expect("every thread has finished"));
    }

    /// How many distinct runs were made.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.done.len()
    }
}

fn simulate(run: &Run) -> Result<Value, String> {
    let (pattern, preset) = preset::find(&run.preset)?;
    let mut experiment = Experiment::from_preset(pattern, preset);
    for (key, value) in &run.settings {
        if key == "seed" {
            let seed = value.parse().map_err(|_| {
                format!(
                    "seed={value} is not allowed: seed must be a whole number from 0 to {}",
                    u64::MAX
                )
            })?;
            experiment.set_seed(seed);
        } else {
            experiment.set(key, value).map_err(|e| e.to_string())?;
        }
    }
    experiment.validate().map_err(|e| e.to_string())?;
    let mut report = experiment.run(&mut |_| {}).map_err(|e| e.to_string())?;
    Ok(report["metrics"].take())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(preset: &str, pairs: &[(&str, &str)]) -> Run {
        Run {
            preset: preset.to_owned(),
            settings: pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    #[test]
    fn figures_match_the_compare_command_and_each_run_happens_once() {
        let preset = "lb-overload";
        let experiment = Experiment::resolve(preset).unwrap();
        let compared = experiment.compare("backends", &["4"], &mut |_| {}).unwrap();
        let mut runs = Runs::default();
        let a = runs
            .metrics(&run(preset, &[("backends", "4"), ("seed", "12")]))
            .unwrap()
            .clone();
        assert_eq!(a, compared[0]["metrics"]);
        let b = runs
            .metrics(&run(preset, &[("seed", "12"), ("backends", "4")]))
            .unwrap()
            .clone();
        assert_eq!(a, b);
        let c = runs
            .metrics(
                &run(preset, &[("backends", "2"), ("seed", "12")])
                    .with(&run("", &[("backends", "4")]).settings),
            )
            .unwrap()
            .clone();
        assert_eq!(a, c);
        assert_eq!(runs.len(), 1);
    }

    #[test]
    fn prefetched_runs_are_the_runs_asked_for() {
        let wanted = [
            run("lb-overload", &[("backends", "2")]),
            run("lb-overload", &[]).seeded(3),
        ];
        let mut runs = Runs::default();
        runs.prefetch(wanted.iter().cloned().chain(wanted.iter().cloned()));
        assert_eq!(runs.len(), 2);
        let mut fresh = Runs::default();
        for w in &wanted {
            assert_eq!(runs.metrics(w).unwrap(), fresh.metrics(w).unwrap());
        }
        assert_eq!(runs.len(), 2);
    }

    #[test]
    fn bad_settings_name_the_key_and_what_is_allowed() {
        let mut runs = Runs::default();
        assert_eq!(
            runs.metrics(&run("lb-overload", &[("backends", "0")])),
            Err("backends=0 is not allowed: backends must be a whole number from 1 to 100".into())
        );
        assert_eq!(
            runs.metrics(&run("lb-overload", &[("seed", "x")])),
            Err(
                "seed=x is not allowed: seed must be a whole number from 0 to 18446744073709551615"
                    .into()
            )
        );
        assert!(
            runs.metrics(&run("lb-overload", &[("colour", "red")]))
                .unwrap_err()
                .starts_with("unknown parameter 'colour': allowed are algorithm, backends,")
        );
        let unknown = runs.metrics(&run("lb-nope", &[])).unwrap_err();
        assert!(
            unknown.starts_with("unknown preset `lb-nope`; the presets are ")
                && unknown.contains("lb-distribute,"),
            "{unknown}"
        );
    }
}
