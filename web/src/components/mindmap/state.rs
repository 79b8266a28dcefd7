//! What a visitor has done to the map: folds, the focused node, the search.
//!
//! A Yew reducer: every click, key and keystroke in the search box becomes
//! an [`Action`], and [`MapState::apply`] is plain Rust, tested natively.
//! Two rules hold after every action: the focused node is shown (folding
//! its ancestor moves the focus up to that ancestor), and every search
//! match is shown (its ancestors are unfolded).

use archsim_mindmap::Mindmap;
use std::rc::Rc;
use yew::Reducible;

/// The state of one map on screen.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct MapState {
    /// The map.
    pub(crate) map: Rc<Mindmap>,
    /// Whether each node's children are shown.
    pub(crate) expanded: Rc<Vec<bool>>,
    /// The node that takes the keyboard (the tree's one `tabindex="0"`).
    pub(crate) focus: usize,
    /// The search box's text.
    pub(crate) query: String,
    /// Whether each node matches the search.
    pub(crate) matches: Rc<Vec<bool>>,
    /// Text each node is also found by, besides its label: the titles and
    /// what-to-look-for of the experiments a leaf opens (empty for others).
    pub(crate) also_found_by: Rc<Vec<String>>,
}

/// Something done to the map.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Action {
    /// Fold a shown node's children away, or show them.
    Toggle(usize),
    /// Ctrl/Cmd-click: fold the node and everything below it, or unfold
    /// them all.
    ToggleSubtree(usize),
    /// Show a node's children.
    Expand(usize),
    /// Hide a node's children.
    Collapse(usize),
    /// Fold a node, or open all of it and fold its siblings: one branch
    /// at a time, as a phone has room for.
    ToggleAlone(usize),
    /// Unfold everything.
    ExpandAll,
    /// Fold everything but the root: the map's top-level branches.
    CollapseAll,
    /// Move the keyboard focus.
    Focus(usize),
    /// Search for this text.
    Search(String),
}

impl MapState {
    /// `map` as its options first show it, nothing searched.
    pub(crate) fn new(map: Rc<Mindmap>) -> MapState {
        let expanded = Rc::new(map.initial_expanded());
        let matches = Rc::new(vec![false; map.len()]);
        MapState {
            map,
            expanded,
            focus: 0,
            query: String::new(),
            matches,
            also_found_by: Rc::default(),
        }
    }

    /// This state, with each node also found by searching for the text of
    /// `also_found_by` at its index.
    pub(crate) fn found_also_by(self, also_found_by: Vec<String>) -> MapState {
        MapState {
            also_found_by: Rc::new(also_found_by),
            ..self
        }
    }

    /// This state, folded as `expanded` says (one entry per node, from a
    /// link, say) instead of as the map's options first show it; folds for
    /// another map (another number of nodes) are left out.
    pub(crate) fn folded_as(self, expanded: Option<Rc<Vec<bool>>>) -> MapState {
        match expanded {
            Some(expanded) if expanded.len() == self.map.len() => MapState { expanded, ..self },
            _ => self,
        }
    }

    /// Whether each node is shown.
    pub(crate) fn shown(&self) -> Vec<bool> {
        self.map.visible(&self.expanded)
    }

    /// The number of search matches.
    pub(crate) fn match_count(&self) -> usize {
        self.matches.iter().filter(|&&m| m).count()
    }

    /// The state after `action`.
    pub(crate) fn apply(&self, action: Action) -> MapState {
        let mut next = self.clone();
        let has_children = |i: usize| self.map.node(i).is_some_and(|n| !n.children.is_empty());
        let mut expanded = (*self.expanded).clone();
        match action {
            Action::Toggle(i) if has_children(i) => expanded[i] = !expanded[i],
            Action::ToggleSubtree(i) if has_children(i) => {
                let open = !expanded[i];
                for j in self.map.subtree(i) {
                    expanded[j] = open;
                }
            }
            Action::Expand(i) if has_children(i) => expanded[i] = true,
            Action::ToggleAlone(i) if has_children(i) => {
                let open = !expanded[i];
                for j in self.map.subtree(i) {
                    expanded[j] |= open;
                }
                expanded[i] = open;
                if let (true, Some(parent)) = (open, self.map.nodes[i].parent) {
                    for &sibling in self.map.nodes[parent].children.iter().filter(|&&j| j != i) {
                        expanded[sibling] = false;
                    }
                }
            }
            Action::Collapse(i) if has_children(i) => expanded[i] = false,
            Action::ExpandAll => expanded.fill(true),
            Action::CollapseAll => {
                expanded.fill(false);
                expanded[0] = true;
            }
            Action::Focus(i) if i < self.map.len() => next.focus = i,
            Action::Search(query) => {
                let matches = search(&self.map, &self.also_found_by, &query);
                for i in (0..matches.len()).filter(|&i| matches[i]) {
                    for a in self.map.ancestors(i) {
                        expanded[a] = true;
                    }
                }
                next.query = query;
                next.matches = Rc::new(matches);
            }
            _ => return next,
        }
        if expanded != *self.expanded {
            next.expanded = Rc::new(expanded);
        }
        // The focus never hides: it climbs to the ancestor that folded.
        let shown = next.shown();
        while !shown[next.focus] {
            next.focus = self.map.nodes[next.focus].parent.unwrap_or(0);
        }
        next
    }
}

impl Reducible for MapState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = self.apply(action);
        if next == *self { self } else { Rc::new(next) }
    }
}

/// Which nodes' plain text (or their text in `also`, by index) contains
/// `query`, ignoring case and runs of whitespace; an empty query matches
/// nothing.
///
/// Case is folded for ASCII letters only: full Unicode case mapping would
/// add its tables to the playground's first load, a cost the budget cannot
/// carry for what an English map needs.
pub(crate) fn search(map: &Mindmap, also: &[String], query: &str) -> Vec<bool> {
    let words = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase()
    };
    let wanted = words(query);
    map.nodes
        .iter()
        .map(|n| {
            let found = |text: &str| words(text).contains(&wanted);
            !wanted.is_empty()
                && (found(&n.plain_text()) || also.get(n.index).is_some_and(|t| found(t)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // 0 Root; 1 A (2 a1, 3 a2 (4 a21)); 5 B (6 b1)
    const MAP: &str = "# Root\n## A\n- a1\n- a2\n  - a21 Needle\n## B\n- b1 needle\n";

    fn state() -> MapState {
        MapState::new(Rc::new(archsim_mindmap::parse(MAP).expect("a map")))
    }

    #[test]
    fn toggle_folds_and_unfolds_one_node() {
        let s = state();
        assert_eq!(s.shown(), [true; 7]);
        let folded = s.apply(Action::Toggle(1));
        assert_eq!(
            folded.shown(),
            [true, true, false, false, false, true, true]
        );
        // a2 keeps its own state under the fold.
        assert!(folded.expanded[3]);
        assert_eq!(folded.apply(Action::Toggle(1)).shown(), [true; 7]);
        // A leaf has nothing to fold.
        assert_eq!(s.apply(Action::Toggle(2)), s);
        assert_eq!(s.apply(Action::Collapse(4)), s);
    }

    #[test]
    fn ctrl_click_folds_and_unfolds_a_whole_subtree() {
        let s = state().apply(Action::ToggleSubtree(1));
        assert_eq!(&s.expanded[1..5], [false; 4]);
        assert!(s.expanded[5], "other branches are left alone");
        let s = s.apply(Action::ToggleSubtree(1));
        assert_eq!(&s.expanded[1..5], [true; 4]);
        // Unfold just A: a2 stays folded from before.
        let s = s
            .apply(Action::Collapse(3))
            .apply(Action::Collapse(1))
            .apply(Action::Expand(1));
        assert_eq!(s.shown(), [true, true, true, true, false, true, true]);
    }

    #[test]
    fn a_branch_opened_alone_folds_its_siblings() {
        let s = state().apply(Action::CollapseAll);
        let a = s.apply(Action::ToggleAlone(1));
        assert_eq!(
            a.shown(),
            [true, true, true, true, true, true, false],
            "all of A opens"
        );
        let b = a.apply(Action::ToggleAlone(5));
        assert_eq!(
            b.shown(),
            [true, true, false, false, false, true, true],
            "A folds as B opens"
        );
        let none = b.apply(Action::ToggleAlone(5));
        assert_eq!(
            none.shown(),
            [true, true, false, false, false, true, false],
            "closing opens nothing"
        );
    }

    #[test]
    fn expand_all_and_collapse_all() {
        let s = state().apply(Action::CollapseAll);
        assert_eq!(s.shown(), [true, true, false, false, false, true, false]);
        assert_eq!(s.apply(Action::ExpandAll).shown(), [true; 7]);
    }

    #[test]
    fn folding_an_ancestor_moves_the_focus_up_to_it() {
        let s = state().apply(Action::Focus(4));
        assert_eq!(s.focus, 4);
        assert_eq!(s.apply(Action::Toggle(3)).focus, 3);
        assert_eq!(s.apply(Action::Toggle(1)).focus, 1);
        assert_eq!(s.apply(Action::CollapseAll).focus, 1);
        assert_eq!(s.apply(Action::Focus(99)).focus, 4, "no such node");
    }

    #[test]
    fn search_highlights_matches_and_unfolds_their_ancestors() {
        let s = state()
            .apply(Action::CollapseAll)
            .apply(Action::Search("  NEEDLE ".into()));
        assert_eq!(*s.matches, [false, false, false, false, true, false, true]);
        assert_eq!(s.match_count(), 2);
        assert_eq!(s.shown(), [true; 7]);
        assert_eq!(s.query, "  NEEDLE ");
        let cleared = s.apply(Action::Search(String::new()));
        assert_eq!(cleared.match_count(), 0);
        assert_eq!(
            cleared.shown(),
            [true; 7],
            "clearing the search folds nothing back"
        );
        assert_eq!(
            search(&s.map, &[], "a2 needle"),
            [false; 7],
            "words of one label only"
        );
        assert!(search(&s.map, &[], "a21   needle")[4]);
    }

    #[test]
    fn search_finds_a_leaf_by_the_words_of_its_experiments() {
        let mut words = vec![String::new(); 7];
        words[5] = "A cache stampede after a TTL".to_owned();
        let s = state()
            .found_also_by(words)
            .apply(Action::CollapseAll)
            .apply(Action::Search("stampede".into()));
        assert_eq!(*s.matches, [false, false, false, false, false, true, false]);
        assert!(s.shown()[5], "the match is unfolded");
    }

    #[test]
    fn a_map_can_start_from_folds_it_was_given() {
        let folds = Rc::new(vec![true, false, true, true, true, true, true]);
        let s = state().folded_as(Some(folds.clone()));
        assert_eq!(s.expanded, folds);
        assert_eq!(s.shown(), [true, true, false, false, false, true, true]);
        assert_eq!(state().folded_as(None), state());
        let s = state().folded_as(Some(Rc::new(vec![false; 3])));
        assert_eq!(s, state(), "folds of another map are left out");
    }

    #[test]
    fn the_map_s_own_folds_come_first() {
        let map =
            archsim_mindmap::parse("---\nmarkmap:\n  initialExpandLevel: 2\n---\n# R\n## A\n- a\n")
                .expect("a map");
        let s = MapState::new(Rc::new(map));
        assert_eq!(s.shown(), [true, true, false]);
    }
}
