//! The `markmap:` options of the front matter, with markmap's defaults and
//! meanings, and the reading of the front matter itself.
//!
//! ```markdown
//! ---
//! title: Architectures
//! markmap:
//!   colorFreezeLevel: 2
//!   initialExpandLevel: 3
//! ---
//! ```

use crate::error::{Error, ErrorKind, Warning};
use crate::yaml::{self, Kind, Value};

/// How a map is coloured, folded, spaced and shown.
///
/// Field names follow markmap's JSON options (`colorFreezeLevel`, …) and so
/// do the defaults ([`Options::default`]).
///
/// ```
/// use archsim_mindmap::{Options, parse};
///
/// let map = parse("---\nmarkmap:\n  color: ['#E69F00', '#56B4E9']\n  maxWidth: 300\n---\n# A").unwrap();
/// assert_eq!(map.options.color, ["#E69F00", "#56B4E9"]);
/// assert_eq!(map.options.max_width, 300.0);
/// assert_eq!(map.options.spacing_horizontal, Options::default().spacing_horizontal);
/// assert_eq!(Options::default().spacing_horizontal, 80.0);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Options {
    /// Colours to cycle through, as CSS colours. Empty (the default) means
    /// d3's `schemeCategory10`, markmap's own palette; one colour paints
    /// every node with it.
    pub color: Vec<String>,
    /// Nodes deeper than this level take the colour of their ancestor at
    /// this level (the root is level 1, so `2` gives one colour per
    /// top-level branch). `0`, the default, freezes nothing.
    pub color_freeze_level: u32,
    /// Nodes at this depth or deeper start folded (shown, their children
    /// hidden). `None`, the default (markmap's `-1`), expands everything.
    pub initial_expand_level: Option<u32>,
    /// Widest a label may be before it wraps, in pixels; `0` (the default)
    /// never wraps.
    pub max_width: f64,
    /// Length of the fold/unfold animation, in milliseconds (500).
    pub duration: f64,
    /// Gap between a node and its children, in pixels (80).
    pub spacing_horizontal: f64,
    /// Gap between siblings, in pixels (5); other neighbours get twice that.
    pub spacing_vertical: f64,
    /// Space left and right of a label inside its node, in pixels (8).
    pub padding_x: f64,
    /// Least height of a node, in pixels (16).
    pub node_min_height: f64,
    /// Whether the view may be zoomed (true).
    pub zoom: bool,
    /// Whether the view may be panned (true).
    pub pan: bool,
    /// Share of the view the map fills when fitted (0.95).
    pub fit_ratio: f64,
    /// Largest zoom a fit may choose (2).
    pub max_initial_scale: f64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            color: Vec::new(),
            color_freeze_level: 0,
            initial_expand_level: None,
            max_width: 0.0,
            duration: 500.0,
            spacing_horizontal: 80.0,
            spacing_vertical: 5.0,
            padding_x: 8.0,
            node_min_height: 16.0,
            zoom: true,
            pan: true,
            fit_ratio: 0.95,
            max_initial_scale: 2.0,
        }
    }
}

/// Options this crate reads, by their markmap name.
const SUPPORTED: [&str; 13] = [
    "color",
    "colorFreezeLevel",
    "initialExpandLevel",
    "maxWidth",
    "duration",
    "spacingHorizontal",
    "spacingVertical",
    "paddingX",
    "nodeMinHeight",
    "zoom",
    "pan",
    "fitRatio",
    "maxInitialScale",
];

/// Options markmap knows that make no sense here (scripts, styles, the
/// browser's own behaviour).
const NOT_SUPPORTED: [&str; 9] = [
    "extraJs",
    "extraCss",
    "lineWidth",
    "htmlParser",
    "activeNode",
    "autoFit",
    "embedGlobalCSS",
    "scrollForPan",
    "toggleRecursively",
];

/// What the front matter says.
#[derive(Debug, Default)]
pub(crate) struct FrontMatter {
    /// `title:` and its line.
    pub(crate) title: Option<(String, usize)>,
    pub(crate) options: Options,
}

/// Where the markdown starts once the front matter is cut off.
#[derive(Debug)]
pub(crate) struct Split<'a> {
    /// The YAML between the fences, and the line it starts on.
    pub(crate) yaml: Option<(&'a str, usize)>,
    /// Byte offset of the markdown body in the source.
    pub(crate) body: usize,
}

/// Cut the front matter off `source`: a first line `---` and a later line
/// `---` (trailing spaces allowed), as markmap does.
pub(crate) fn split(source: &str) -> Result<Split<'_>, Error> {
    let is_fence = |line: &str| line.trim_end() == "---";
    let mut lines = source.split_inclusive('\n');
    match lines.next() {
        Some(first) if is_fence(first) => {
            let start = first.len();
            let mut offset = start;
            for line in lines {
                if is_fence(line) {
                    return Ok(Split {
                        yaml: Some((&source[start..offset], 2)),
                        body: offset + line.len(),
                    });
                }
                offset += line.len();
            }
            Err(Error::new(1, ErrorKind::UnclosedFrontMatter))
        }
        _ => Ok(Split {
            yaml: None,
            body: 0,
        }),
    }
}

/// Read the front matter's YAML.
pub(crate) fn read(
    yaml_text: &str,
    first_line: usize,
    warnings: &mut Vec<Warning>,
) -> Result<FrontMatter, Error> {
    let mut fm = FrontMatter::default();
    let Some(doc) = yaml::parse(yaml_text, first_line)? else {
        return Ok(fm);
    };
    if doc.is_null() {
        return Ok(fm);
    }
    let Kind::Map(entries) = doc.kind else {
        return Err(wrong_type(&doc, "", "a mapping of keys to values"));
    };
    for (key, value) in dedup(entries, "", warnings) {
        match key.as_str() {
            "title" => {
                if value.is_null() {
                    continue;
                }
                let text = value
                    .as_text()
                    .ok_or_else(|| wrong_type(&value, "title", "text"))?;
                fm.title = Some((text.to_owned(), value.line));
            }
            "markmap" => {
                if value.is_null() {
                    continue;
                }
                let Kind::Map(options) = value.kind else {
                    return Err(wrong_type(
                        &value,
                        "markmap",
                        "a mapping of markmap options",
                    ));
                };
                for (key, value) in dedup(options, "markmap.", warnings) {
                    option(&mut fm.options, &key, &value, warnings)?;
                }
            }
            other => warnings.push(Warning {
                line: value.line,
                message: format!("front matter key '{other}' is not used by the map: ignored"),
            }),
        }
    }
    Ok(fm)
}

/// Keep the last of repeated keys, with a warning for the others.
fn dedup(
    entries: Vec<(String, Value)>,
    prefix: &str,
    warnings: &mut Vec<Warning>,
) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        if let Some(pos) = out.iter().position(|(k, _)| *k == key) {
            let (_, earlier) = out.remove(pos);
            warnings.push(Warning {
                line: earlier.line,
                message: format!(
                    "{prefix}{key} is given again on line {}: this one is ignored",
                    value.line
                ),
            });
        }
        out.push((key, value));
    }
    out
}

fn wrong_type(value: &Value, key: &str, expected: &'static str) -> Error {
    Error::new(
        value.line,
        ErrorKind::WrongType {
            key: key.to_owned(),
            expected,
            found: value.describe(),
        },
    )
}

/// Read one `markmap:` option into `options`.
fn option(
    options: &mut Options,
    key: &str,
    value: &Value,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    if value.is_null() {
        return Ok(());
    }
    let name = format!("markmap.{key}");
    let number = |expected: &'static str, ok: fn(f64) -> bool| -> Result<f64, Error> {
        value
            .as_number()
            .filter(|n| ok(*n))
            .ok_or_else(|| wrong_type(value, &name, expected))
    };
    const NON_NEGATIVE: &str = "a number (0 or more)";
    let non_negative = |n: f64| n >= 0.0;
    match key {
        "color" => {
            const EXPECTED: &str = "a CSS colour or a list of CSS colours";
            let items: Vec<&Value> = match &value.kind {
                Kind::Seq(items) => items.iter().collect(),
                Kind::Scalar { .. } => vec![value],
                Kind::Map(_) => return Err(wrong_type(value, &name, EXPECTED)),
            };
            let mut colors = Vec::with_capacity(items.len());
            for item in items {
                match item.as_text().map(str::trim) {
                    Some(c) if is_css_color(c) => colors.push(c.to_owned()),
                    _ => return Err(wrong_type(item, &name, EXPECTED)),
                }
            }
            options.color = colors;
        }
        "colorFreezeLevel" => {
            options.color_freeze_level = number("a whole number (0 or more)", |n| {
                n >= 0.0 && n.fract() == 0.0
            })?
            .min(u32::MAX as f64) as u32;
        }
        "initialExpandLevel" => {
            let n = number("a whole number (-1 for all expanded)", |n| n.fract() == 0.0)?;
            options.initial_expand_level = (n >= 0.0).then(|| n.min(u32::MAX as f64) as u32);
        }
        "maxWidth" => options.max_width = number(NON_NEGATIVE, non_negative)?,
        "duration" => options.duration = number(NON_NEGATIVE, non_negative)?,
        "spacingHorizontal" => options.spacing_horizontal = number(NON_NEGATIVE, non_negative)?,
        "spacingVertical" => options.spacing_vertical = number(NON_NEGATIVE, non_negative)?,
        "paddingX" => options.padding_x = number(NON_NEGATIVE, non_negative)?,
        "nodeMinHeight" => options.node_min_height = number(NON_NEGATIVE, non_negative)?,
        "fitRatio" => options.fit_ratio = number("a number greater than 0", |n| n > 0.0)?,
        "maxInitialScale" => {
            options.max_initial_scale = number("a number greater than 0", |n| n > 0.0)?
        }
        "zoom" | "pan" => {
            let b = value
                .as_bool()
                .ok_or_else(|| wrong_type(value, &name, "true or false"))?;
            if key == "zoom" {
                options.zoom = b;
            } else {
                options.pan = b;
            }
        }
        _ if NOT_SUPPORTED.contains(&key) => warnings.push(Warning {
            line: value.line,
            message: format!("{name} is a markmap option this map does not support: ignored"),
        }),
        _ => {
            let hint = closest(key)
                .map(|k| format!(" (did you mean {k}?)"))
                .unwrap_or_default();
            warnings.push(Warning {
                line: value.line,
                message: format!("unknown option {name}{hint}: ignored"),
            });
        }
    }
    Ok(())
}

/// A CSS colour value as far as can be told without a CSS parser: a name,
/// `#hex` or a function like `rgb(…)`, with nothing that could end the
/// declaration it is written into.
fn is_css_color(c: &str) -> bool {
    !c.is_empty()
        && c.len() <= 64
        && c.chars()
            .all(|ch| ch.is_ascii_alphanumeric() || " #(),.%/-+".contains(ch))
}

/// The supported option nearest to a misspelt one, if any is near.
fn closest(key: &str) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase();
    SUPPORTED
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_ascii_lowercase()), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance between two short strings.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb))
                .min(above + 1)
                .min(row[j] + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_ok(yaml: &str) -> (FrontMatter, Vec<Warning>) {
        let mut warnings = Vec::new();
        let fm = read(yaml, 2, &mut warnings).unwrap();
        (fm, warnings)
    }

    fn read_err(yaml: &str) -> Error {
        read(yaml, 2, &mut Vec::new()).unwrap_err()
    }

    #[test]
    fn defaults_are_markmaps() {
        let o = Options::default();
        assert_eq!(
            (o.spacing_horizontal, o.spacing_vertical, o.padding_x),
            (80.0, 5.0, 8.0)
        );
        assert_eq!(
            (o.duration, o.max_width, o.fit_ratio, o.max_initial_scale),
            (500.0, 0.0, 0.95, 2.0)
        );
        assert_eq!((o.color_freeze_level, o.initial_expand_level), (0, None));
        assert!(o.zoom && o.pan && o.color.is_empty());
    }

    #[test]
    fn every_option_is_read() {
        let (fm, warnings) = read_ok(
            "title: T\nmarkmap:\n  color: ['#111', red]\n  colorFreezeLevel: 2\n  initialExpandLevel: 3\n  maxWidth: '300'\n  duration: 0\n  spacingHorizontal: 40\n  spacingVertical: 10.5\n  paddingX: 4\n  nodeMinHeight: 20\n  zoom: false\n  pan: false\n  fitRatio: 1\n  maxInitialScale: 3\n",
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(fm.title, Some(("T".to_owned(), 2)));
        let o = fm.options;
        assert_eq!(o.color, ["#111", "red"]);
        assert_eq!((o.color_freeze_level, o.initial_expand_level), (2, Some(3)));
        assert_eq!(
            (
                o.max_width,
                o.duration,
                o.spacing_horizontal,
                o.spacing_vertical
            ),
            (300.0, 0.0, 40.0, 10.5)
        );
        assert_eq!(
            (
                o.padding_x,
                o.node_min_height,
                o.fit_ratio,
                o.max_initial_scale
            ),
            (4.0, 20.0, 1.0, 3.0)
        );
        assert!(!o.zoom && !o.pan);
    }

    #[test]
    fn a_single_colour_and_minus_one() {
        let (fm, _) = read_ok("markmap:\n  color: '#abc'\n  initialExpandLevel: -1\n");
        assert_eq!(fm.options.color, ["#abc"]);
        assert_eq!(fm.options.initial_expand_level, None);
    }

    #[test]
    fn wrong_types_name_the_option_and_line() {
        let e = read_err("title: T\nmarkmap:\n  colorFreezeLevel: \"two\"\n");
        assert_eq!(e.line, 4);
        assert_eq!(
            e.reason(),
            "markmap.colorFreezeLevel must be a whole number (0 or more), not 'two'"
        );
        let e = read_err("markmap:\n  zoom: 'yes'\n");
        assert_eq!(e.reason(), "markmap.zoom must be true or false, not 'yes'");
        let e = read_err("markmap:\n  color: [red, 3; x]\n");
        assert!(
            e.reason().starts_with("markmap.color must be a CSS colour"),
            "{e}"
        );
        let e = read_err("markmap: 3\n");
        assert_eq!(
            e.reason(),
            "markmap must be a mapping of markmap options, not '3'"
        );
        let e = read_err("- a\n- b\n");
        assert_eq!(
            e.reason(),
            "the front matter must be a mapping of keys to values, not a list"
        );
        let e = read_err("markmap:\n  spacingVertical: -3\n");
        assert_eq!(e.line, 3);
        let e = read_err("title: [a]\n");
        assert_eq!(e.reason(), "title must be text, not a list");
    }

    #[test]
    fn unknown_options_warn_with_a_suggestion() {
        let (fm, warnings) = read_ok(
            "markmap:\n  colour: red\n  extraJs: x.js\n  colorFreezeLevel: 2\nauthor: me\n",
        );
        assert_eq!(fm.options.color_freeze_level, 2);
        let messages: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(
            messages,
            [
                "line 3: unknown option markmap.colour (did you mean color?): ignored",
                "line 4: markmap.extraJs is a markmap option this map does not support: ignored",
                "line 6: front matter key 'author' is not used by the map: ignored",
            ]
        );
    }

    #[test]
    fn repeated_keys_keep_the_last() {
        let (fm, warnings) = read_ok("markmap:\n  colorFreezeLevel: 2\n  colorFreezeLevel: 3\n");
        assert_eq!(fm.options.color_freeze_level, 3);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, 3);
    }

    #[test]
    fn splitting() {
        let s = split("---\ntitle: x\n---\n# A\n").unwrap();
        assert_eq!(s.yaml, Some(("title: x\n", 2)));
        assert_eq!(s.body, 17);
        let s = split("--- \n---").unwrap();
        assert_eq!(s.yaml, Some(("", 2)));
        assert_eq!(split("# A\n---\n").unwrap().yaml, None);
        assert_eq!(
            split("---\ntitle: x\n").unwrap_err().kind,
            ErrorKind::UnclosedFrontMatter
        );
    }
}
