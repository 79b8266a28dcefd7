//! The preset catalog: named, reproducible experiments, one or more for each
//! claim and consideration of the mind-map.
//!
//! A preset is the unit everything else points at: a mind-map leaf opens it,
//! the book embeds it, a URL or `archsim run <preset>` reproduces it. Each is
//! parameter values on top of its pattern's defaults, a seed, and
//! optionally a set of variants to compare on the same seed and arrivals.
//! Presets are plain data, listed by their pattern's descriptor
//! ([`crate::Pattern::presets`]): what lists every preset lists every
//! pattern, so only native code ([`all`]) does.

use crate::pattern::Pattern;

/// Values of one parameter to run side by side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Variants {
    /// The parameter that differs.
    pub key: &'static str,
    /// Its values, one run each.
    pub values: &'static [&'static str],
}

/// A named experiment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// Stable id, used in URLs, the book and the CLI.
    pub id: &'static str,
    /// A short title.
    pub title: &'static str,
    /// The sentence shown beside the diagram: what the run demonstrates.
    pub what_to_look_for: &'static str,
    /// The headline number the experiment is about: the label of one of its
    /// dashboard's stats (`Stat::label`), shown first.
    pub metric: &'static str,
    /// Parameter values that differ from the pattern's defaults.
    pub params: &'static [(&'static str, &'static str)],
    /// The seed that makes the run reproducible.
    pub seed: u64,
    /// The mind-map leaf it demonstrates, word for word.
    pub mindmap_leaf: &'static str,
    /// Variants to compare, if the point is a comparison.
    pub compare: Option<Variants>,
}

/// Every preset, pattern by pattern.
pub fn all() -> impl Iterator<Item = &'static Preset> {
    crate::all().iter().flat_map(|p| p.presets())
}

/// The preset called `id`, with its pattern.
pub fn find(id: &str) -> Option<(&'static Pattern, &'static Preset)> {
    crate::all()
        .iter()
        .find_map(|&pattern| Some((pattern, pattern.preset(id)?)))
}

/// The pattern whose presets include `preset`.
pub fn pattern_of(preset: &Preset) -> &'static Pattern {
    crate::all()
        .iter()
        .copied()
        .find(|p| p.presets().iter().any(|q| q.id == preset.id))
        .expect("every preset is listed by its pattern")
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::Experiment;

    #[test]
    fn ids_are_unique_and_url_safe() {
        let presets: Vec<&Preset> = all().collect();
        for (i, p) in presets.iter().enumerate() {
            assert!(
                p.id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                p.id
            );
            assert!(
                presets[..i].iter().all(|q| q.id != p.id),
                "duplicate {}",
                p.id
            );
        }
    }

    #[test]
    fn every_preset_and_variant_is_valid() {
        for p in all() {
            let exp = Experiment::from_preset(pattern_of(p), p);
            exp.validate().unwrap_or_else(|e| panic!("{}: {e}", p.id));
            if let Some(v) = p.compare {
                for value in v.values {
                    let mut variant = exp.clone();
                    variant
                        .set(v.key, value)
                        .and_then(|()| variant.validate())
                        .unwrap_or_else(|e| panic!("{} variant {value}: {e}", p.id));
                }
            }
        }
    }
}
