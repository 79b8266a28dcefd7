//! A mind-map in a link: its markdown, raw deflated then base64url, and
//! the branches the visitor folded or unfolded.
//!
//! The map editor puts the whole map in the URL fragment
//! (`map/index.html#<data>`), so sharing a map needs no server; it lives
//! here, with the reader, so that the fuzz target and the tests reach it
//! without a browser. Deflate shrinks markdown to a third or less;
//! base64url (RFC 4648 §5, no padding) keeps the result to characters a
//! fragment carries unescaped.
//!
//! Folds follow the map after a `.`, a character base64url never uses:
//! `<map>.<folds>`. A link without them (`<map>` alone, as every link was
//! before folds were kept) opens as it always did: with the map's own
//! folds, folded to its branches if the whole map is too small to read. A
//! fold part, even an empty one, pins the folds (a mail program that drops
//! the `.` ending a link gives the map's own folds back, nothing worse).
//! It is one bit per branch (a node with children) in the map's order, set
//! where the visitor folded or unfolded the branch against the map's own
//! folds (its fold comments and `initialExpandLevel`), six to a base64url
//! character, the first branch in the lowest bit, trailing zeros left off:
//! a character for every six branches at most. Bits name branches of the
//! parsed map, not lines of its text: a link always carries the text its
//! folds were made on.
//!
//! Decoding never trusts its input: a mangled or truncated link, a
//! decompression bomb, bytes that are not UTF-8 or folds of more branches
//! than the map has each come back as a [`LinkError`] that says what is
//! wrong, never as a panic.
//!
//! ```
//! use archsim_mindmap::{link, parse};
//!
//! let markdown = "# Root\n## A <!-- markmap: fold -->\n- a1\n## B\n- b1\n";
//! let map = parse(markdown).unwrap();
//! let data = link::encode(markdown);
//! assert_eq!(link::decode(&data).as_deref(), Ok(markdown));
//! assert_eq!(link::decode_folds(&map, &data), Ok(None), "no fold part");
//!
//! // The visitor unfolds A (branch 1) and folds B (branch 2): bits 1 and 2.
//! let expanded = vec![true, true, true, false, true];
//! let shared = link::with_folds(&data, &link::encode_folds(&map, &expanded));
//! assert!(shared.ends_with(".G"));
//! assert_eq!(link::decode(&shared).as_deref(), Ok(markdown));
//! assert_eq!(link::decode_folds(&map, &shared), Ok(Some(expanded)));
//!
//! // As written (A folded, the root and B open), pinned.
//! assert_eq!(link::encode_folds(&map, &map.initial_expanded()), "");
//! let pinned = link::with_folds(&data, "");
//! assert_eq!(link::decode_folds(&map, &pinned), Ok(Some(map.initial_expanded())));
//! ```

use crate::Mindmap;
use std::fmt;

/// The largest map a link may expand to. A real map is a few kilobytes;
/// the limit stops a crafted link from inflating to gigabytes.
pub const MAX_MAP_BYTES: usize = 1 << 20;

/// Deflate level: the best miniz offers short of its slow "uber" level,
/// which gains a few bytes on maps this small.
const LEVEL: u8 = 9;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// What ends a link's map and starts its folds.
const FOLDS: char = '.';

/// Why a map link could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// The link holds no map at all.
    Empty,
    /// A character outside base64url, at this 0-based position.
    NotBase64 {
        /// Where in the data.
        position: usize,
        /// What was found there.
        found: char,
    },
    /// One character too many or too few: the link was cut short.
    Truncated,
    /// The bytes are not a deflate stream (or the stream is cut short).
    NotCompressed,
    /// The map would be larger than [`MAX_MAP_BYTES`].
    TooLarge,
    /// The map is not UTF-8 text.
    NotText,
    /// The folds name a branch past the map's last: they were made on
    /// another map, or altered.
    TooManyFolds,
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::Empty => write!(f, "the link holds no map"),
            LinkError::NotBase64 { position, found } => write!(
                f,
                "the link's data has {found:?} at position {}, which a map link never contains \
                 (only letters, digits, '-' and '_')",
                position + 1
            ),
            LinkError::Truncated => {
                write!(
                    f,
                    "the link's data is cut short: was the whole link copied?"
                )
            }
            LinkError::NotCompressed => write!(
                f,
                "the link's data is not a compressed map: it may be cut short or altered"
            ),
            LinkError::TooLarge => write!(
                f,
                "the map in the link would be larger than {} KiB",
                MAX_MAP_BYTES / 1024
            ),
            LinkError::NotText => write!(f, "the map in the link is not UTF-8 text"),
            LinkError::TooManyFolds => {
                write!(f, "the link folds more branches than its map has")
            }
        }
    }
}

/// `markdown` as link data: deflated, then base64url without padding.
pub fn encode(markdown: &str) -> String {
    base64url(&miniz_oxide::deflate::compress_to_vec(
        markdown.as_bytes(),
        LEVEL,
    ))
}

/// Link `data` of a map (from [`encode`]) with `folds` (from
/// [`encode_folds`]), pinned even when empty.
pub fn with_folds(data: &str, folds: &str) -> String {
    let mut out = String::with_capacity(data.len() + 1 + folds.len());
    out.push_str(data);
    out.push(FOLDS);
    out.push_str(folds);
    out
}

/// The folds part of a link for `map` shown with `expanded` (one entry per
/// node, as in [`Mindmap::visible`]; a missing one is the map's own
/// fold): empty when every branch is as the map has it.
pub fn encode_folds(map: &Mindmap, expanded: &[bool]) -> String {
    let mut sextets = Vec::new();
    for (k, node) in branches(map).enumerate() {
        if k % 6 == 0 {
            sextets.push(0);
        }
        // Expanded where the map folds it, or folded where it does not.
        if expanded.get(node) == Some(&map.nodes[node].folded) {
            sextets[k / 6] |= 1 << (k % 6);
        }
    }
    while sextets.last() == Some(&0) {
        sextets.pop();
    }
    sextets
        .into_iter()
        .map(|s| char::from(ALPHABET[s]))
        .collect()
}

/// Which nodes of `map` link `data` expands: the map's own folds
/// ([`Mindmap::initial_expanded`]) with the branches its fold part names
/// turned over; `None` when it has no fold part.
///
/// # Errors
/// A character of the folds that base64url does not have (at its position
/// in `data`), or a branch past the map's last.
pub fn decode_folds(map: &Mindmap, data: &str) -> Result<Option<Vec<bool>>, LinkError> {
    let Some((before, folds)) = data.split_once(FOLDS) else {
        return Ok(None);
    };
    let mut expanded = map.initial_expanded();
    let start = before.chars().count() + 1;
    let mut branches = branches(map);
    for (k, found) in folds.chars().enumerate() {
        let bits = sextet(found).ok_or(LinkError::NotBase64 {
            position: start + k,
            found,
        })?;
        for bit in 0..6 {
            let branch = branches.next();
            if bits >> bit & 1 == 1 {
                let node = branch.ok_or(LinkError::TooManyFolds)?;
                expanded[node] = !expanded[node];
            }
        }
    }
    Ok(Some(expanded))
}

/// The nodes that can be folded, in the map's order.
fn branches(map: &Mindmap) -> impl Iterator<Item = usize> + '_ {
    map.nodes
        .iter()
        .filter(|n| !n.children.is_empty())
        .map(|n| n.index)
}

/// The markdown in link `data` (its folds aside), or what is wrong with it.
pub fn decode(data: &str) -> Result<String, LinkError> {
    let data = data.split_once(FOLDS).map_or(data, |(map, _)| map);
    if data.is_empty() {
        return Err(LinkError::Empty);
    }
    let bytes = from_base64url(data)?;
    let text =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_MAP_BYTES).map_err(|e| {
            match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooLarge,
                _ => LinkError::NotCompressed,
            }
        })?;
    String::from_utf8(text).map_err(|_| LinkError::NotText)
}

fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        // A chunk of k bytes carries 8k bits: k + 1 characters.
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

fn from_base64url(text: &str) -> Result<Vec<u8>, LinkError> {
    let mut sextets = Vec::with_capacity(text.len());
    for (position, found) in text.chars().enumerate() {
        sextets.push(sextet(found).ok_or(LinkError::NotBase64 { position, found })?);
    }
    // Groups of 4 characters carry 3 bytes; a last group of 2 or 3 carries
    // 1 or 2. A last group of 1 cannot come from any bytes.
    if sextets.len() % 4 == 1 {
        return Err(LinkError::Truncated);
    }
    let mut out = Vec::with_capacity(sextets.len() * 3 / 4);
    for group in sextets.chunks(4) {
        let n = group
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &s)| n | s << (18 - 6 * i));
        for i in 0..group.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Ok(out)
}

/// The six bits base64url character `c` stands for.
fn sextet(c: char) -> Option<u32> {
    ALPHABET
        .iter()
        .position(|&a| char::from(a) == c)
        .map(|v| v as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAP: &str = include_str!("../../../mindmap/architectures.md");

    #[test]
    fn a_map_round_trips_and_shrinks() {
        let data = encode(MAP);
        assert_eq!(decode(&data).as_deref(), Ok(MAP));
        assert!(
            data.len() < MAP.len() * 2 / 3,
            "{} characters for {} bytes",
            data.len(),
            MAP.len()
        );
        assert!(
            data.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "{data}"
        );
    }

    #[test]
    fn unicode_and_every_tail_length_round_trip() {
        for text in ["", "a", "ab", "abc", "abcd", "# Café ☕\n- 日本語 ✓\n"] {
            assert_eq!(decode(&encode(text)).as_deref(), Ok(text), "{text:?}");
        }
    }

    #[test]
    fn base64url_matches_rfc_4648_vectors() {
        // RFC 4648 §10, without padding, and bytes that need '-' and '_'.
        for (bytes, text) in [
            (&b"f"[..], "Zg"),
            (b"fo", "Zm8"),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg"),
            (b"fooba", "Zm9vYmE"),
            (b"foobar", "Zm9vYmFy"),
            (&[0xfb, 0xff, 0xbf], "-_-_"),
        ] {
            assert_eq!(base64url(bytes), text);
            assert_eq!(from_base64url(text).as_deref(), Ok(bytes));
        }
    }

    #[test]
    fn bad_links_say_what_is_wrong() {
        let data = encode(MAP);
        assert_eq!(decode(""), Err(LinkError::Empty));
        assert_eq!(
            decode("abc+def"),
            Err(LinkError::NotBase64 {
                position: 3,
                found: '+'
            })
        );
        assert_eq!(decode("abcde"), Err(LinkError::Truncated));
        // Cut in the middle: valid base64url, but the stream ends early.
        let half = data.len() / 8 * 4;
        assert_eq!(decode(&data[..half]), Err(LinkError::NotCompressed));
        assert_eq!(decode("hello-world"), Err(LinkError::NotCompressed));
        let latin1 = base64url(&miniz_oxide::deflate::compress_to_vec(b"caf\xe9", 9));
        assert_eq!(decode(&latin1), Err(LinkError::NotText));
        for e in [LinkError::Truncated, LinkError::NotCompressed] {
            assert!(!e.to_string().is_empty());
        }
        assert!(
            decode("ab%2Bc")
                .unwrap_err()
                .to_string()
                .contains("'%' at position 3")
        );
    }

    #[test]
    fn a_decompression_bomb_is_refused() {
        let bomb = encode(&"a".repeat(MAX_MAP_BYTES + 1));
        assert!(bomb.len() < 4096, "deflate shrinks repetition");
        assert_eq!(decode(&bomb), Err(LinkError::TooLarge));
        let largest = "a".repeat(MAX_MAP_BYTES);
        assert_eq!(
            decode(&encode(&largest)).map(|s| s.len()),
            Ok(MAX_MAP_BYTES)
        );
    }

    /// `expanded` as a link carries it: a leaf has nothing to fold, so it
    /// comes back as the map has it.
    fn as_carried(map: &Mindmap, expanded: &[bool]) -> Vec<bool> {
        map.nodes
            .iter()
            .map(|n| n.children.is_empty() || expanded[n.index])
            .collect()
    }

    #[test]
    fn folds_round_trip_in_a_few_characters() {
        let map = crate::parse(MAP).unwrap();
        let data = encode(MAP);
        let collapsed: Vec<bool> = (0..map.len()).map(|i| i == 0).collect();
        // Every third node turned over, leaves included.
        let mixed: Vec<bool> = map
            .initial_expanded()
            .iter()
            .enumerate()
            .map(|(i, &e)| e != (i % 3 == 0))
            .collect();
        let branches = branches(&map).count();
        for expanded in [vec![true; map.len()], collapsed, mixed] {
            let folds = encode_folds(&map, &expanded);
            assert!(folds.len() <= branches.div_ceil(6), "{folds}");
            let link = with_folds(&data, &folds);
            assert_eq!(decode(&link).as_deref(), Ok(MAP));
            assert_eq!(
                decode_folds(&map, &link),
                Ok(Some(as_carried(&map, &expanded))),
                "{link}"
            );
        }
    }

    #[test]
    fn a_link_without_folds_opens_as_before() {
        let map = crate::parse(MAP).unwrap();
        let data = encode(MAP);
        assert!(!data.contains(FOLDS));
        assert_eq!(decode(&data).as_deref(), Ok(MAP));
        assert_eq!(decode_folds(&map, &data), Ok(None));
        assert_eq!(encode_folds(&map, &map.initial_expanded()), "");
        assert_eq!(
            encode_folds(&map, &[]),
            "",
            "a missing entry is the map's own"
        );
        // A fold part with nothing in it, or only zeros, turns nothing
        // over, but pins the map's own folds.
        assert_eq!(with_folds(&data, ""), format!("{data}."));
        for link in [format!("{data}."), format!("{data}.AAAA")] {
            assert_eq!(decode_folds(&map, &link), Ok(Some(map.initial_expanded())));
        }
    }

    #[test]
    fn the_map_s_own_folds_are_the_baseline() {
        // 0 R, 1 A (folded by its comment), 2 a, 3 B, 4 b: branches R, A, B.
        let map = crate::parse("# R\n## A <!-- markmap: fold -->\n- a\n## B\n- b\n").unwrap();
        assert_eq!(encode_folds(&map, &[true, false, true, true, true]), "");
        assert_eq!(encode_folds(&map, &[true; 5]), "C");
        assert_eq!(encode_folds(&map, &[false, false, true, true, true]), "B");
        assert_eq!(
            decode_folds(&map, "x.E"),
            Ok(Some(vec![true, false, true, false, true])),
            "bit 2: B folded"
        );
    }

    #[test]
    fn bad_folds_say_what_is_wrong() {
        let map = crate::parse("# R\n## A\n- a\n## B\n- b\n").unwrap();
        assert_eq!(
            decode_folds(&map, "abc.A+"),
            Err(LinkError::NotBase64 {
                position: 5,
                found: '+'
            })
        );
        assert!(
            decode_folds(&map, "abc.A+")
                .unwrap_err()
                .to_string()
                .contains("'+' at position 6")
        );
        // A second mark is not base64url either.
        assert_eq!(
            decode_folds(&map, "abc.A.B"),
            Err(LinkError::NotBase64 {
                position: 5,
                found: '.'
            })
        );
        // Three branches: bit 3 and anything past the first character are
        // branches the map does not have.
        assert_eq!(
            decode_folds(&map, "abc.H"),
            Ok(Some(vec![false, false, true, false, true]))
        );
        for folds in ["I", "AB", "_"] {
            assert_eq!(
                decode_folds(&map, &format!("abc.{folds}")),
                Err(LinkError::TooManyFolds),
                "{folds}"
            );
        }
        assert!(!LinkError::TooManyFolds.to_string().is_empty());
        // The map itself still reads, whatever follows it.
        let data = encode("# R\n");
        assert_eq!(decode(&format!("{data}.+%")).as_deref(), Ok("# R\n"));
        assert_eq!(decode(".AB"), Err(LinkError::Empty));
    }
}
