//! The runs behind the figures: each preset with each set of changes is
//! simulated once per book build, exactly as `archsim run PRESET --set …`
//! (and each variant of `archsim compare`) would run it.

use crate::preset;
use archsim_patterns::Experiment;
use serde_json::Value;
use std::collections::BTreeMap;

/// A preset id and its parameter changes, in a canonical order.
type RunKey = (String, Vec<(String, String)>);

/// Reports of the runs made so far in this build, failures included.
#[derive(Default)]
pub(crate) struct Runs {
    done: BTreeMap<RunKey, Result<Value, String>>,
}

impl Runs {
    /// The `metrics` of the report of `preset` with `settings` applied in
    /// order (`seed=N` sets the seed, as `--seed` does). Runs it the first
    /// time it is asked for.
    pub(crate) fn metrics(
        &mut self,
        preset: &str,
        settings: &[(String, String)],
    ) -> Result<&Value, String> {
        let mut canonical = settings.to_vec();
        // Stable: of two values of one key, the later still wins.
        canonical.sort_by(|a, b| a.0.cmp(&b.0));
        self.done
            .entry((preset.to_owned(), canonical))
            .or_insert_with(|| run(preset, settings))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// How many distinct runs were made.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.done.len()
    }
}

fn run(preset: &str, settings: &[(String, String)]) -> Result<Value, String> {
    let (pattern, preset) = preset::find(preset)?;
    let mut experiment = Experiment::from_preset(pattern, preset);
    for (key, value) in settings {
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

    fn set(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn figures_match_the_compare_command_and_each_run_happens_once() {
        let preset = "lb-overload";
        let experiment = Experiment::resolve(preset).unwrap();
        let compared = experiment.compare("backends", &["4"], &mut |_| {}).unwrap();
        let mut runs = Runs::default();
        let a = runs
            .metrics(preset, &set(&[("backends", "4"), ("seed", "12")]))
            .unwrap()
            .clone();
        assert_eq!(a, compared[0]["metrics"]);
        let b = runs
            .metrics(preset, &set(&[("seed", "12"), ("backends", "4")]))
            .unwrap()
            .clone();
        assert_eq!(a, b);
        assert_eq!(runs.len(), 1);
    }

    #[test]
    fn bad_settings_name_the_key_and_what_is_allowed() {
        let mut runs = Runs::default();
        assert_eq!(
            runs.metrics("lb-overload", &set(&[("backends", "0")])),
            Err("backends=0 is not allowed: backends must be a whole number from 1 to 100".into())
        );
        assert_eq!(
            runs.metrics("lb-overload", &set(&[("seed", "x")])),
            Err(
                "seed=x is not allowed: seed must be a whole number from 0 to 18446744073709551615"
                    .into()
            )
        );
        assert!(
            runs.metrics("lb-overload", &set(&[("colour", "red")]))
                .unwrap_err()
                .starts_with("unknown parameter 'colour': allowed are algorithm, backends,")
        );
        let unknown = runs.metrics("lb-nope", &[]).unwrap_err();
        assert!(
            unknown.starts_with("unknown preset `lb-nope`; the presets are ")
                && unknown.contains("lb-distribute,"),
            "{unknown}"
        );
    }
}
