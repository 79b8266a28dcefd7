//! The keyboard, as the WAI-ARIA tree view pattern defines it, plus zoom.
//!
//! Down and Up walk the shown nodes in reading order; Right unfolds a
//! folded node, then steps to its first child; Left folds an unfolded
//! node, then steps to its parent; Home and End jump to the first and last
//! shown node. Enter opens a leaf's door (or folds and unfolds a branch),
//! Space folds and unfolds, `+` and `-` zoom and `0` fits the map to the
//! screen. Any other character moves to the next shown node whose label
//! starts with it (the pattern's type-ahead). A pure function of the
//! state and the key, tested natively.

use super::state::{Action, MapState};

/// What a key asks for.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Command {
    /// Move the focus to a node (and bring it into view).
    Focus(usize),
    /// Change the folds.
    Fold(Action),
    /// Open the door of a leaf.
    Open(usize),
    /// Zoom in one step.
    ZoomIn,
    /// Zoom out one step.
    ZoomOut,
    /// Fit the whole map on screen.
    Fit,
}

/// The command for `key` (a `KeyboardEvent.key`) with the focus where
/// `state` has it; `is_door(i)` says whether node `i` opens something.
/// `None` for keys the map leaves to the browser, or that do nothing here.
pub(crate) fn command(
    state: &MapState,
    key: &str,
    is_door: &dyn Fn(usize) -> bool,
) -> Option<Command> {
    let map = &state.map;
    let focus = state.focus;
    let node = map.node(focus)?;
    let shown = state.shown();
    let branch = !node.children.is_empty();
    let open = branch && state.expanded[focus];
    match key {
        "ArrowDown" => (focus + 1..map.len())
            .find(|&i| shown[i])
            .map(Command::Focus),
        "ArrowUp" => (0..focus).rev().find(|&i| shown[i]).map(Command::Focus),
        "ArrowRight" if open => Some(Command::Focus(node.children[0])),
        "ArrowRight" if branch => Some(Command::Fold(Action::Expand(focus))),
        "ArrowLeft" if open => Some(Command::Fold(Action::Collapse(focus))),
        "ArrowLeft" => node.parent.map(Command::Focus),
        "Home" => Some(Command::Focus(0)),
        "End" => (0..map.len()).rev().find(|&i| shown[i]).map(Command::Focus),
        "Enter" if is_door(focus) => Some(Command::Open(focus)),
        "Enter" | " " if branch => Some(Command::Fold(Action::Toggle(focus))),
        "+" | "=" => Some(Command::ZoomIn),
        "-" | "_" => Some(Command::ZoomOut),
        "0" => Some(Command::Fit),
        _ => type_ahead(state, &shown, key).map(Command::Focus),
    }
}

/// The next shown node after the focused one (round to the first) whose
/// label starts with `key`, if it is one character (a named key such as
/// `Tab` is longer); ASCII case is ignored, as in the map's search. No
/// test of "is this a letter": Unicode's tables would cost the page more
/// than the rest of the keyboard, and a label starts with no space or
/// symbol anyway.
fn type_ahead(state: &MapState, shown: &[bool], key: &str) -> Option<usize> {
    let mut chars = key.chars();
    let (Some(typed), None) = (chars.next(), chars.next()) else {
        return None;
    };
    let n = state.map.len();
    (1..=n).map(|k| (state.focus + k) % n).find(|&i| {
        shown[i]
            && state
                .map
                .plain_text(i)
                .chars()
                .next()
                .is_some_and(|first| first.eq_ignore_ascii_case(&typed))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    // 0 Root; 1 A (2 a1, 3 a2 (4 a21)); 5 B (6 b1)
    const MAP: &str = "# Root\n## A\n- a1\n- a2\n  - a21\n## B\n- b1\n";

    fn at(focus: usize) -> MapState {
        MapState::new(Rc::new(archsim_mindmap::parse(MAP).expect("a map")))
            .apply(Action::Focus(focus))
    }

    fn key(state: &MapState, key: &str) -> Option<Command> {
        command(state, key, &|i| matches!(i, 2 | 4 | 6))
    }

    #[test]
    fn a_letter_moves_to_the_next_shown_node_starting_with_it() {
        // Shown at first: everything (no folds in MAP).
        assert_eq!(key(&at(0), "a"), Some(Command::Focus(1)), "A");
        assert_eq!(
            key(&at(1), "A"),
            Some(Command::Focus(2)),
            "a1, case ignored"
        );
        assert_eq!(
            key(&at(4), "a"),
            Some(Command::Focus(1)),
            "round to the first"
        );
        assert_eq!(key(&at(0), "b"), Some(Command::Focus(5)));
        assert_eq!(key(&at(0), "z"), None, "no label starts with z");
        assert_eq!(key(&at(0), "Tab"), None, "a named key is not typed text");
        let folded = at(0).apply(Action::Collapse(1));
        assert_eq!(key(&folded, "a"), Some(Command::Focus(1)));
        assert_eq!(
            key(&folded.apply(Action::Focus(1)), "a"),
            Some(Command::Focus(1)),
            "hidden a1, a2 and a21 are passed over"
        );
    }

    #[test]
    fn down_and_up_walk_the_shown_nodes_in_reading_order() {
        let order: Vec<usize> = std::iter::successors(Some(at(0)), |s| match key(s, "ArrowDown") {
            Some(Command::Focus(i)) => Some(s.apply(Action::Focus(i))),
            _ => None,
        })
        .map(|s| s.focus)
        .collect();
        assert_eq!(order, [0, 1, 2, 3, 4, 5, 6]);
        assert_eq!(key(&at(5), "ArrowUp"), Some(Command::Focus(4)));
        assert_eq!(key(&at(0), "ArrowUp"), None);
        // Folded a2: its child is skipped.
        let folded = at(3).apply(Action::Collapse(3));
        assert_eq!(key(&folded, "ArrowDown"), Some(Command::Focus(5)));
        assert_eq!(
            key(&folded.apply(Action::Focus(5)), "ArrowUp"),
            Some(Command::Focus(3))
        );
    }

    #[test]
    fn right_unfolds_then_enters_and_left_folds_then_leaves() {
        let s = at(1).apply(Action::Collapse(1));
        assert_eq!(
            key(&s, "ArrowRight"),
            Some(Command::Fold(Action::Expand(1)))
        );
        assert_eq!(key(&at(1), "ArrowRight"), Some(Command::Focus(2)));
        assert_eq!(key(&at(2), "ArrowRight"), None, "a leaf has nowhere to go");
        assert_eq!(
            key(&at(1), "ArrowLeft"),
            Some(Command::Fold(Action::Collapse(1)))
        );
        assert_eq!(key(&s, "ArrowLeft"), Some(Command::Focus(0)));
        assert_eq!(key(&at(4), "ArrowLeft"), Some(Command::Focus(3)));
        assert_eq!(key(&at(0).apply(Action::Collapse(0)), "ArrowLeft"), None);
    }

    #[test]
    fn home_and_end_jump_to_the_ends() {
        assert_eq!(key(&at(4), "Home"), Some(Command::Focus(0)));
        assert_eq!(key(&at(1), "End"), Some(Command::Focus(6)));
        let folded = at(1).apply(Action::Collapse(5));
        assert_eq!(key(&folded, "End"), Some(Command::Focus(5)));
    }

    #[test]
    fn enter_opens_doors_and_space_folds() {
        assert_eq!(key(&at(4), "Enter"), Some(Command::Open(4)));
        assert_eq!(key(&at(3), "Enter"), Some(Command::Fold(Action::Toggle(3))));
        assert_eq!(key(&at(3), " "), Some(Command::Fold(Action::Toggle(3))));
        assert_eq!(key(&at(4), " "), None, "a leaf has nothing to fold");
        // A leaf that is no door does nothing on Enter.
        assert_eq!(command(&at(4), "Enter", &|_| false), None);
    }

    #[test]
    fn plus_minus_and_zero_zoom_and_fit() {
        let s = at(0);
        for (k, c) in [
            ("+", Command::ZoomIn),
            ("=", Command::ZoomIn),
            ("-", Command::ZoomOut),
            ("_", Command::ZoomOut),
            ("0", Command::Fit),
        ] {
            assert_eq!(key(&s, k), Some(c), "{k}");
        }
        assert_eq!(key(&s, "x"), None);
        assert_eq!(key(&s, "Tab"), None, "Tab leaves the tree");
    }
}
