//! A map editor link (`map/index.html#<map>.<folds>`) from anywhere:
//! decoding must never panic, nor inflate past the size limit (a
//! decompression bomb), and a map it accepts must encode back to a link
//! that decodes to the same text, as the editor rewrites the link on every
//! edit; so must the folds it accepts for that map, on every fold.

#![no_main]

use archsim_mindmap::link::{
    MAX_MAP_BYTES, decode, decode_folds, encode, encode_folds, with_folds,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(markdown) = decode(text) else {
        return;
    };
    assert!(
        markdown.len() <= MAX_MAP_BYTES,
        "a link inflated past the limit"
    );
    let data = encode(&markdown);
    assert_eq!(decode(&data).as_deref(), Ok(markdown.as_str()));
    let Ok(map) = archsim_mindmap::parse(&markdown) else {
        return;
    };
    let Ok(Some(expanded)) = decode_folds(&map, text) else {
        return;
    };
    assert_eq!(expanded.len(), map.len(), "one fold state per node");
    let link = with_folds(&data, &encode_folds(&map, &expanded));
    assert_eq!(decode(&link).as_deref(), Ok(markdown.as_str()));
    assert_eq!(decode_folds(&map, &link), Ok(Some(expanded)));
});
