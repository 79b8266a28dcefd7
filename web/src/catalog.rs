//! What the pages that run no model know of the catalog: each registered
//! pattern and its presets, by id and in words — written out at build time
//! (`web/build.rs`) from the patterns' descriptors, so that the home page's
//! bundle carries the catalog's text and not one model.

/// A pattern, as the home page names it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PatternInfo {
    /// The pattern's id: its page is the site's folder of that name.
    pub(crate) id: &'static str,
    /// The title people read.
    pub(crate) title: &'static str,
    /// The heading of its branch in the mind-map, word for word.
    pub(crate) branch: &'static str,
    /// Its presets, in the order of its leaves.
    pub(crate) presets: &'static [PresetInfo],
}

/// A preset, as the home page names it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PresetInfo {
    /// Stable id, in URLs.
    pub(crate) id: &'static str,
    /// A short title.
    pub(crate) title: &'static str,
    /// The mind-map leaf it demonstrates, word for word.
    pub(crate) leaf: &'static str,
    /// What the run demonstrates.
    pub(crate) what_to_look_for: &'static str,
}

/// Every registered pattern, in the order of the mind-map's branches.
pub(crate) static PATTERNS: &[PatternInfo] = include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

/// The pattern whose id is `name` or which has a preset called `name`:
/// where an old link to `#/sim/<name>` belongs.
pub(crate) fn owner(name: &str) -> Option<&'static PatternInfo> {
    PATTERNS
        .iter()
        .find(|p| p.id == name || p.presets.iter().any(|q| q.id == name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_written_catalog_is_the_registered_one() {
        let registered = archsim_patterns::all();
        assert_eq!(PATTERNS.len(), registered.len());
        for (info, pattern) in PATTERNS.iter().zip(registered) {
            assert_eq!(
                (info.id, info.title, info.branch),
                (pattern.id(), pattern.title(), pattern.mindmap_branch())
            );
            let ids: Vec<&str> = info.presets.iter().map(|p| p.id).collect();
            let expected: Vec<&str> = pattern.presets().iter().map(|p| p.id).collect();
            assert_eq!(ids, expected);
        }
        assert_eq!(owner("lb-overload").map(|p| p.id), Some("load-balancing"));
        assert_eq!(owner("sharding").map(|p| p.id), Some("sharding"));
        assert_eq!(owner("lb-nope"), None);
    }
}
