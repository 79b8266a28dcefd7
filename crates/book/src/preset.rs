//! Presets by id, with a message that names the valid ones.

use archsim_patterns::{Pattern, Preset, catalog};

/// The preset called `id` with its pattern, or a message listing every
/// preset id.
pub(crate) fn find(id: &str) -> Result<(&'static Pattern, &'static Preset), String> {
    catalog::find(id).ok_or_else(|| {
        let ids: Vec<&str> = catalog::all().map(|p| p.id).collect();
        format!("unknown preset `{id}`; the presets are {}", ids.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_ids_list_the_known_ones() {
        let (pattern, preset) = find("lb-overload").unwrap();
        assert_eq!((pattern.id(), preset.id), ("load-balancing", "lb-overload"));
        let message = find("lb-overlaod").unwrap_err();
        assert!(
            message.starts_with("unknown preset `lb-overlaod`; the presets are ")
                && message.contains("lb-distribute, lb-overload,"),
            "{message}"
        );
        for p in catalog::all() {
            assert!(message.contains(p.id), "{message}");
        }
    }
}
