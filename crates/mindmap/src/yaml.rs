//! Just enough YAML for front matter: a value tree whose every node knows
//! its line, built from the events of `saphyr-parser`.
//!
//! Scalars keep their text and whether they were quoted; typing (number,
//! boolean, text) is left to the reader of each option, so an error can say
//! what the option expected and quote what was written.

use crate::error::{Error, ErrorKind};
use saphyr_parser::{Event, Parser, ScalarStyle};

/// One YAML node and the line it starts on.
#[derive(Clone, Debug)]
pub(crate) struct Value {
    /// 1-based line in the whole document.
    pub(crate) line: usize,
    pub(crate) kind: Kind,
}

#[derive(Clone, Debug)]
pub(crate) enum Kind {
    /// A scalar: its text, and whether it was plain (unquoted, not a block
    /// scalar), since only plain scalars can be numbers, booleans or null.
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Value>),
    /// Entries in document order; keys are scalars' text.
    Map(Vec<(String, Value)>),
}

impl Value {
    /// A plain `null`, `~` or nothing at all.
    pub(crate) fn is_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { text, plain: true } if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// The value as written, for error messages.
    pub(crate) fn describe(&self) -> String {
        match &self.kind {
            Kind::Scalar { text, .. } => {
                let mut t: String = text.chars().take(40).collect();
                if t.len() < text.len() {
                    t.push('…');
                }
                format!("'{t}'")
            }
            Kind::Seq(_) => "a list".to_owned(),
            Kind::Map(_) => "a mapping".to_owned(),
        }
    }

    /// A plain scalar's number, or a quoted scalar's if it reads as one
    /// (markmap itself accepts `maxWidth: "300"`).
    pub(crate) fn as_number(&self) -> Option<f64> {
        let Kind::Scalar { text, .. } = &self.kind else {
            return None;
        };
        let t = text.trim();
        let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
        let looks_numeric = !digits.is_empty()
            && digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
            && digits
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+' | '_'));
        if !looks_numeric {
            return None;
        }
        let n: f64 = t.replace('_', "").parse().ok()?;
        n.is_finite().then_some(n)
    }

    /// A plain `true` or `false`.
    pub(crate) fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            Kind::Scalar { text, plain: true } => match text.as_str() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// A scalar's text.
    pub(crate) fn as_text(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }
}

/// Parse `text` (front matter whose first line is line `first_line` of the
/// document) into one value: `None` when it holds no document at all.
pub(crate) fn parse(text: &str, first_line: usize) -> Result<Option<Value>, Error> {
    let at = |line: usize| first_line + line.saturating_sub(1);
    // Containers being filled: a sequence, or a mapping with its pending key.
    enum Open {
        Seq(usize, Vec<Value>),
        Map(usize, Vec<(String, Value)>, Option<String>),
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut anchors: Vec<(usize, Value)> = Vec::new();
    let mut anchor_of: Vec<Option<usize>> = Vec::new();
    let mut done: Option<Value> = None;
    let mut documents = 0;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            Error::new(
                at(e.marker().line()),
                ErrorKind::Yaml {
                    reason: e.info().to_owned(),
                },
            )
        })?;
        let line = at(span.start.line());
        let complete = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(Error::new(
                        line,
                        ErrorKind::Yaml {
                            reason: "front matter holds one YAML document, not several".to_owned(),
                        },
                    ));
                }
                None
            }
            Event::Scalar(text, style, anchor, _) => {
                let plain = style == ScalarStyle::Plain;
                let value = Value {
                    line,
                    kind: Kind::Scalar {
                        text: text.into_owned(),
                        plain,
                    },
                };
                if anchor > 0 {
                    anchors.push((anchor, value.clone()));
                }
                Some(value)
            }
            Event::Alias(id) => match anchors.iter().rev().find(|(a, _)| *a == id) {
                Some((_, v)) => Some(Value { line, ..v.clone() }),
                None => {
                    return Err(Error::new(
                        line,
                        ErrorKind::Yaml {
                            reason: "an alias names an anchor that is not defined".to_owned(),
                        },
                    ));
                }
            },
            Event::SequenceStart(anchor, _) => {
                stack.push(Open::Seq(line, Vec::new()));
                anchor_of.push((anchor > 0).then_some(anchor));
                None
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Open::Map(line, Vec::new(), None));
                anchor_of.push((anchor > 0).then_some(anchor));
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let anchor = anchor_of.pop().flatten();
                let value = match stack.pop() {
                    Some(Open::Seq(line, items)) => Value {
                        line,
                        kind: Kind::Seq(items),
                    },
                    Some(Open::Map(line, entries, _)) => Value {
                        line,
                        kind: Kind::Map(entries),
                    },
                    None => continue,
                };
                if let Some(anchor) = anchor {
                    anchors.push((anchor, value.clone()));
                }
                Some(value)
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => None,
        };
        let Some(value) = complete else { continue };
        match stack.last_mut() {
            Some(Open::Seq(_, items)) => items.push(value),
            Some(Open::Map(_, entries, key)) => match key.take() {
                Some(k) => entries.push((k, value)),
                None => match value.kind {
                    Kind::Scalar { text, .. } => *key = Some(text),
                    _ => {
                        return Err(Error::new(
                            value.line,
                            ErrorKind::Yaml {
                                reason: "a key must be plain text, not a list or a mapping"
                                    .to_owned(),
                            },
                        ));
                    }
                },
            },
            None => done = Some(value),
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_know_their_lines() {
        let v = parse(
            "title: Map\nmarkmap:\n  color:\n    - red\n    - '#00f'\n",
            2,
        )
        .unwrap()
        .unwrap();
        let Kind::Map(entries) = &v.kind else {
            panic!("a mapping")
        };
        assert_eq!(entries[0].0, "title");
        assert_eq!(entries[0].1.line, 2);
        let Kind::Map(markmap) = &entries[1].1.kind else {
            panic!("a mapping")
        };
        let Kind::Seq(colors) = &markmap[0].1.kind else {
            panic!("a list")
        };
        assert_eq!(colors[1].line, 6);
        assert_eq!(colors[1].as_text(), Some("#00f"));
    }

    #[test]
    fn scalars_are_typed_on_demand() {
        let v = |s: &str| parse(s, 1).unwrap().unwrap();
        assert_eq!(v("3").as_number(), Some(3.0));
        assert_eq!(v("-1.5e2").as_number(), Some(-150.0));
        assert_eq!(v("'300'").as_number(), Some(300.0));
        assert_eq!(v("two").as_number(), None);
        assert_eq!(v(".inf").as_number(), None);
        assert_eq!(v("nan").as_number(), None);
        assert_eq!(v("true").as_bool(), Some(true));
        assert_eq!(v("'true'").as_bool(), None);
        assert!(v("~").is_null());
        assert_eq!(parse("", 1).unwrap().map(|v| v.line), None);
    }

    #[test]
    fn aliases_are_resolved() {
        let v = parse("a: &x 5\nb: *x\n", 1).unwrap().unwrap();
        let Kind::Map(entries) = &v.kind else {
            panic!("a mapping")
        };
        assert_eq!(entries[1].1.as_number(), Some(5.0));
        assert_eq!(entries[1].1.line, 2);
    }

    #[test]
    fn errors_carry_the_document_line() {
        let err = parse("title: Map\nmarkmap: [\n", 2).unwrap_err();
        assert!(err.line >= 3, "{err}");
        assert!(matches!(err.kind, ErrorKind::Yaml { .. }));
    }
}
