//! Node colours, as markmap picks them.
//!
//! markmap colours a node by an ordinal scale keyed on the node's *path*
//! (the ids of its ancestors and itself), asked in document order: the
//! first distinct key gets the first colour of the palette, the next one
//! the next colour, and so on, cycling. With `colorFreezeLevel: N` the key
//! is cut to the first `N` ids, so a node below level `N` shares its
//! level-`N` ancestor's key and colour. A palette of a single colour paints
//! every node with it.

/// d3's `schemeCategory10`, markmap's default palette.
///
/// ```
/// use archsim_mindmap::color::SCHEME_CATEGORY_10;
///
/// // Without colorFreezeLevel each node takes the next colour in document order.
/// let map = archsim_mindmap::parse("# R\n- a\n- b\n").unwrap();
/// let colors: Vec<&str> = map.nodes.iter().map(|n| n.color.as_str()).collect();
/// assert_eq!(colors, &SCHEME_CATEGORY_10[..3]);
/// ```
pub const SCHEME_CATEGORY_10: [&str; 10] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf",
];

/// The palette index of every node of a pre-order arena, given each node's
/// parent and depth (root depth 1).
///
/// Every node at depth `<= freeze` (or every node when `freeze` is 0) has a
/// key of its own, so it takes the next colour in document order; deeper
/// nodes share the key, hence the colour, of their ancestor at depth
/// `freeze`.
pub(crate) fn indices(parents: &[Option<usize>], depths: &[u32], freeze: u32) -> Vec<usize> {
    let mut index = Vec::with_capacity(parents.len());
    let mut next = 0;
    for (i, (&parent, &depth)) in parents.iter().zip(depths).enumerate() {
        let inherited = match parent {
            Some(p) if freeze > 0 && depth > freeze && p < i => Some(index[p]),
            _ => None,
        };
        index.push(inherited.unwrap_or_else(|| {
            next += 1;
            next - 1
        }));
    }
    index
}

/// The CSS colour of palette index `i`.
pub(crate) fn resolve(palette: &[String], i: usize) -> String {
    if palette.is_empty() {
        SCHEME_CATEGORY_10[i % SCHEME_CATEGORY_10.len()].to_owned()
    } else {
        palette[i % palette.len()].clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_freeze_every_node_takes_the_next_colour() {
        // root, a, a1, b
        let parents = [None, Some(0), Some(1), Some(0)];
        assert_eq!(indices(&parents, &[1, 2, 3, 2], 0), [0, 1, 2, 3]);
    }

    #[test]
    fn freezing_at_two_colours_by_top_branch() {
        // root, a, a1, a11, b, b1
        let parents = [None, Some(0), Some(1), Some(2), Some(0), Some(4)];
        let depths = [1, 2, 3, 4, 2, 3];
        assert_eq!(indices(&parents, &depths, 2), [0, 1, 1, 1, 2, 2]);
        assert_eq!(indices(&parents, &depths, 1), [0, 0, 0, 0, 0, 0]);
        assert_eq!(indices(&parents, &depths, 3), [0, 1, 2, 2, 3, 4]);
    }

    #[test]
    fn palettes_cycle() {
        assert_eq!(resolve(&[], 11), "#ff7f0e");
        let p = ["red".to_owned(), "blue".to_owned()];
        assert_eq!(resolve(&p, 3), "blue");
    }
}
