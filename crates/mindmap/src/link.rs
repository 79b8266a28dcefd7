//! A mind-map's markdown in a link: raw deflate, then base64url.
//!
//! The map editor puts the whole map in the URL fragment
//! (`#/map/<data>`), so sharing a map needs no server; it lives here, with
//! the reader, so that the fuzz target and the tests reach it without a
//! browser. Deflate shrinks
//! markdown to a third or less; base64url (RFC 4648 §5, no padding) keeps
//! the result to characters a path segment carries unescaped. Decoding
//! never trusts its input: a mangled or truncated link, a decompression
//! bomb or bytes that are not UTF-8 each come back as a [`LinkError`] that
//! says what is wrong, never as a panic.

use std::fmt;

/// The largest map a link may expand to. A real map is a few kilobytes;
/// the limit stops a crafted link from inflating to gigabytes.
pub const MAX_MAP_BYTES: usize = 1 << 20;

/// Deflate level: the best miniz offers short of its slow "uber" level,
/// which gains a few bytes on maps this small.
const LEVEL: u8 = 9;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

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

/// The markdown in link `data`, or what is wrong with it.
pub fn decode(data: &str) -> Result<String, LinkError> {
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
        let value = ALPHABET
            .iter()
            .position(|&a| char::from(a) == found)
            .ok_or(LinkError::NotBase64 { position, found })?;
        sextets.push(value as u32);
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
}
