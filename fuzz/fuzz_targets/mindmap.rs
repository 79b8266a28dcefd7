//! The mind-map reader on any text: it must never panic or overflow its
//! stack, whatever the document (the home page, the map editor and
//! `archsim mindmap` all read files and links they do not control).
//!
//! A document that reads is also laid out, folded and unfolded, and every
//! node's plain text is taken, as the page does.

#![no_main]

use archsim_mindmap::{estimate_sizes, layout, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The readers take text: a file that is not UTF-8 is refused before
    // the parser sees it.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let map = match parse(text) {
        Ok(map) => map,
        Err(error) => {
            // The message names a line of the document.
            let _ = error.to_string();
            return;
        }
    };
    let sizes = estimate_sizes(&map);
    for expanded in [map.initial_expanded(), vec![true; map.nodes.len()]] {
        let laid = layout(&map, &sizes, &expanded);
        let visible = map.visible(&expanded);
        for (shown, placed) in visible.iter().zip(&laid.boxes) {
            assert_eq!(
                *shown,
                placed.is_some(),
                "a box for every node shown, and only those"
            );
        }
    }
    for i in 0..map.nodes.len() {
        let _ = map.plain_text(i);
    }
});
