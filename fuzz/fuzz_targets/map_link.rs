//! A map editor link (`map/index.html#/map/<data>`) from anywhere: decoding
//! must never panic, nor inflate past the size limit (a decompression
//! bomb), and a map it accepts must encode back to a link that decodes to
//! the same text, as the editor rewrites the link on every edit.

#![no_main]

use archsim_mindmap::link::{MAX_MAP_BYTES, decode, encode};
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
    assert_eq!(decode(&encode(&markdown)).as_deref(), Ok(markdown.as_str()));
});
