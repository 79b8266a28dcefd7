//! What can go wrong reading a map: an [`Error`] stops the parse, a
//! [`Warning`] is reported and the offending part ignored.
//!
//! Both carry the 1-based line of the source they are about, counted from
//! the top of the file (front matter included), so a message can point at
//! `FILE:LINE`.

use std::fmt;

/// Why a document could not be read as a map, and where.
///
/// ```
/// let err = archsim_mindmap::parse("---\nmarkmap:\n  colorFreezeLevel: two\n---\n# Map\n")
///     .unwrap_err();
/// assert_eq!(err.line, 3);
/// assert_eq!(
///     err.to_string(),
///     "line 3: markmap.colorFreezeLevel must be a whole number (0 or more), not 'two'"
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Error {
    /// 1-based line of the source the error is about.
    pub line: usize,
    /// What is wrong.
    pub kind: ErrorKind,
}

/// The kinds of [`Error`].
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ErrorKind {
    /// The document holds no heading, list item, table, code block, image
    /// or title.
    Empty,
    /// A `---` line opens front matter but no later `---` line closes it.
    UnclosedFrontMatter,
    /// The front matter is not valid YAML.
    Yaml {
        /// The YAML parser's explanation.
        reason: String,
    },
    /// A value of the front matter has the wrong type (or the front matter,
    /// or its `markmap:` entry, is not a mapping).
    WrongType {
        /// The key, e.g. `markmap.colorFreezeLevel` (empty for the front
        /// matter itself).
        key: String,
        /// What the key takes, e.g. `a whole number (0 or more)`.
        expected: &'static str,
        /// The value given, as written.
        found: String,
    },
}

impl Error {
    pub(crate) fn new(line: usize, kind: ErrorKind) -> Error {
        Error { line, kind }
    }

    /// The reason alone, without the line: `FILE:LINE: reason` is
    /// `format!("{file}:{}: {}", err.line, err.reason())`.
    pub fn reason(&self) -> String {
        self.kind.to_string()
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Empty => f.write_str(
                "the document is empty: a map needs a heading, a list item or a front matter title",
            ),
            ErrorKind::UnclosedFrontMatter => f.write_str(
                "the front matter opened by '---' on line 1 is never closed by a '---' line",
            ),
            ErrorKind::Yaml { reason } => write!(f, "the front matter is not valid YAML: {reason}"),
            ErrorKind::WrongType {
                key,
                expected,
                found,
            } if key.is_empty() => {
                write!(f, "the front matter must be {expected}, not {found}")
            }
            ErrorKind::WrongType {
                key,
                expected,
                found,
            } => {
                write!(f, "{key} must be {expected}, not {found}")
            }
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.kind)
    }
}

impl std::error::Error for Error {}

/// Something in the document that was ignored, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Warning {
    /// 1-based line of the source.
    pub line: usize,
    /// What was ignored and why.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}
