//! Public parameters: their names, units, allowed values and the errors a
//! person gets for a bad one.
//!
//! Every pattern describes its parameters once, as a table of [`ParamSpec`].
//! The CLI's `--set key=value`, the playground's URL and its sliders all go
//! through [`Settings::set`], so a bad value gets the same message everywhere:
//! the key, the value given and what is allowed.

use archsim_core::{SimTime, Stall};
use std::fmt;

/// What values a parameter takes.
#[derive(Clone, Copy, Debug)]
pub enum ParamKind {
    /// A whole number in `min..=max`.
    Int {
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
    },
    /// A finite number in `min..=max`.
    Float {
        /// Smallest allowed.
        min: f64,
        /// Largest allowed.
        max: f64,
    },
    /// One of a fixed set of names.
    Choice(&'static [&'static str]),
    /// `true` or `false`.
    Bool,
    /// Free text with a pattern-specific syntax (checked by the pattern).
    Text {
        /// The syntax, as shown to a person.
        syntax: &'static str,
        /// What a value says, in words, for a form to show beside it; `None`
        /// when it says nothing or cannot be read.
        in_words: fn(&str) -> Option<String>,
    },
}

/// Kinds are equal when they allow the same values. Text is compared by its
/// syntax, which names how it reads (function pointers have no reliable
/// identity to compare).
impl PartialEq for ParamKind {
    fn eq(&self, other: &Self) -> bool {
        use ParamKind::{Bool, Choice, Float, Int, Text};
        match (self, other) {
            (Int { min: a, max: b }, Int { min: c, max: d }) => (a, b) == (c, d),
            (Float { min: a, max: b }, Float { min: c, max: d }) => (a, b) == (c, d),
            (Choice(a), Choice(b)) => a == b,
            (Bool, Bool) => true,
            (Text { syntax: a, .. }, Text { syntax: b, .. }) => a == b,
            _ => false,
        }
    }
}

impl fmt::Display for ParamKind {
    /// What is allowed, in words.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamKind::Int { min, max } => write!(f, "a whole number from {min} to {max}"),
            ParamKind::Float { min, max } => write!(f, "a number from {min} to {max}"),
            ParamKind::Choice(names) => write!(f, "one of {}", names.join(", ")),
            ParamKind::Bool => f.write_str("true or false"),
            ParamKind::Text { syntax, .. } => write!(f, "{syntax}"),
        }
    }
}

/// A whole number from `min` to `max`: shorthand for the spec tables.
pub(crate) const fn int(min: i64, max: i64) -> ParamKind {
    ParamKind::Int { min, max }
}

/// A number from `min` to `max`: shorthand for the spec tables.
pub(crate) const fn float(min: f64, max: f64) -> ParamKind {
    ParamKind::Float { min, max }
}

/// One public parameter of a pattern.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamSpec {
    /// Name in URLs, the CLI and reports (`snake_case`, stable).
    pub key: &'static str,
    /// Short label for a control.
    pub label: &'static str,
    /// Unit shown beside the value (empty when unitless).
    pub unit: &'static str,
    /// Allowed values.
    pub kind: ParamKind,
    /// One sentence on what it changes.
    pub help: &'static str,
}

/// A caller's mistake in a parameter: the message names the key, the value
/// given and what is allowed.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamError {
    /// No parameter has this name.
    UnknownKey {
        /// The name given.
        key: String,
        /// The names that exist.
        allowed: Vec<&'static str>,
    },
    /// The value is not of the parameter's kind, or outside its range.
    NotAllowed {
        /// The parameter.
        key: String,
        /// The value given, as text.
        value: String,
        /// What is allowed, in words.
        allowed: String,
    },
    /// The value is allowed on its own but not with the others.
    Inconsistent {
        /// The parameter.
        key: String,
        /// The value given, as text.
        value: String,
        /// Why it does not fit.
        reason: String,
    },
    /// The settings passed every check, but the run they made stalled:
    /// its clock stood still (see [`Stall`]).
    Stalled(Stall),
}

impl ParamError {
    /// The parameter the error is about (empty for a stall, which no one
    /// parameter is to blame for).
    pub fn key(&self) -> &str {
        match self {
            ParamError::UnknownKey { key, .. }
            | ParamError::NotAllowed { key, .. }
            | ParamError::Inconsistent { key, .. } => key,
            ParamError::Stalled(_) => "",
        }
    }
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamError::UnknownKey { key, allowed } => {
                write!(
                    f,
                    "unknown parameter '{key}': allowed are {}",
                    allowed.join(", ")
                )
            }
            ParamError::NotAllowed {
                key,
                value,
                allowed,
            } => write!(f, "{key}={value} is not allowed: {key} must be {allowed}"),
            ParamError::Inconsistent { key, value, reason } => {
                write!(f, "{key}={value} is not allowed: {reason}")
            }
            ParamError::Stalled(stall) => stall.fmt(f),
        }
    }
}

impl std::error::Error for ParamError {}

/// One parameter's value, of the kind its spec names: what [`Settings`]
/// holds, and what a scenario struct's fields are read from and written to.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A whole number.
    Int(i64),
    /// A finite number.
    Float(f64),
    /// One of a spec's names.
    Choice(&'static str),
    /// A switch.
    Bool(bool),
    /// Text in a pattern's own syntax.
    Text(String),
}

impl fmt::Display for Value {
    /// The value as a person would type it (and as links carry it): `20`,
    /// not `20.0`; `1e-7`, not `0.0000001`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(n) => write!(f, "{n}"),
            Value::Float(x) => write_float(f, *x),
            Value::Choice(name) => f.write_str(name),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Text(text) => f.write_str(text),
        }
    }
}

/// A float as shared links have always written it: whole numbers below
/// 10^15 without a fraction, others in the shortest form that reads back
/// exactly, with an exponent outside 10^-5..10^16 — the layout of
/// serde_json's numbers (settings were JSON values when links were first
/// made), so that links made before keep their text. Rust's `{}` and `{:e}`
/// give the same shortest digits; only where the exponent starts differs.
fn write_float(f: &mut fmt::Formatter<'_>, x: f64) -> fmt::Result {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return write!(f, "{x:.0}");
    }
    let scientific = format!("{x:e}");
    let exponent: i32 = scientific
        .rsplit_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    // ryu writes plain decimals while the point falls within 16 digits to
    // the left or 5 zeros to the right of the first digit.
    if (-5..16).contains(&exponent) {
        if x.fract() == 0.0 {
            write!(f, "{x:.1}")
        } else {
            write!(f, "{x}")
        }
    } else {
        // serde_json writes a positive exponent with its sign: `1e+16`.
        match scientific.split_once('e') {
            Some((digits, e)) if !e.starts_with('-') => write!(f, "{digits}e+{e}"),
            _ => f.write_str(&scientific),
        }
    }
}

/// A field of a scenario struct, as its spec table sees it.
pub trait Field {
    /// The field's value.
    fn value(&self) -> Value;
    /// Set the field from a value of its spec's kind; false if the value is
    /// of another kind (a spec that disagrees with its struct).
    fn assign(&mut self, value: &Value) -> bool;
}

macro_rules! whole_field {
    ($($t:ty),*) => {$(
        impl Field for $t {
            fn value(&self) -> Value {
                Value::Int(i64::from(*self))
            }
            fn assign(&mut self, value: &Value) -> bool {
                match value {
                    Value::Int(n) => <$t>::try_from(*n).map(|n| *self = n).is_ok(),
                    _ => false,
                }
            }
        }
    )*};
}
whole_field!(u32, i64);

/// `impl Field` for a `Copy` type held by one variant of [`Value`].
macro_rules! copy_field {
    ($($t:ty => $variant:ident),*) => {$(
        impl Field for $t {
            fn value(&self) -> Value {
                Value::$variant(*self)
            }
            fn assign(&mut self, value: &Value) -> bool {
                match value {
                    Value::$variant(v) => {
                        *self = *v;
                        true
                    }
                    _ => false,
                }
            }
        }
    )*};
}
copy_field!(f64 => Float, bool => Bool);

impl Field for String {
    fn value(&self) -> Value {
        Value::Text(self.clone())
    }
    fn assign(&mut self, value: &Value) -> bool {
        match value {
            Value::Text(text) => {
                text.clone_into(self);
                true
            }
            _ => false,
        }
    }
}

/// An enum parameter: a fixed set of named values.
pub trait Named: Copy + 'static {
    /// Every value, in the order menus show them.
    const ALL: &'static [Self];
    /// The name in parameters.
    fn name(self) -> &'static str;
}

impl<T: Named> Field for T {
    fn value(&self) -> Value {
        Value::Choice(self.name())
    }
    fn assign(&mut self, value: &Value) -> bool {
        let Value::Choice(name) = value else {
            return false;
        };
        T::ALL
            .iter()
            .find(|v| v.name() == *name)
            .map(|v| *self = *v)
            .is_some()
    }
}

/// `impl Named` for enums that already have an `ALL` array and a `const fn`
/// naming each value.
macro_rules! named {
    ($($t:ty => $name:ident),* $(,)?) => {$(
        impl $crate::params::Named for $t {
            const ALL: &'static [Self] = &<$t>::ALL;
            fn name(self) -> &'static str {
                <$t>::$name(self)
            }
        }
    )*};
}
pub(crate) use named;

/// The names of a list of enum values, as a constant array, so that a
/// parameter table's choices can never disagree with the enum:
/// `names!(Algorithm::ALL, name)`.
macro_rules! names {
    ($all:expr, $name:ident) => {{
        let mut names = [""; $all.len()];
        let mut i = 0;
        while i < names.len() {
            names[i] = $all[i].$name();
            i += 1;
        }
        names
    }};
}
pub(crate) use names;

/// The body of [`Scenario::fields`]: each field, named by its key.
macro_rules! fields {
    ($params:ident, $visit:ident: $($field:ident),* $(,)?) => {
        $( $visit(stringify!($field), &mut $params.$field); )*
    };
}
pub(crate) use fields;

/// The parameters of one pattern's experiment: a typed struct with defaults,
/// described by a spec table, and cross-checked beyond single ranges.
pub trait Scenario: Clone + Default + 'static {
    /// The table of public parameters, in the order controls show them.
    const SPECS: &'static [ParamSpec];

    /// Checks that involve more than one parameter (ranges are checked
    /// from [`Scenario::SPECS`] before this is called).
    fn check(&self) -> Result<(), ParamError>;

    /// Show `visit` every field, by the key its spec has, in the struct's
    /// order (which is the order of the JSON reports' `params`).
    fn fields(&mut self, visit: &mut dyn FnMut(&'static str, &mut dyn Field));
}

/// A set of parameter values for a scenario, built up from defaults one
/// `key=value` at a time, each checked as it is set.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    specs: &'static [ParamSpec],
    /// Every field's key and value, in the struct's order.
    values: Vec<(&'static str, Value)>,
}

impl Settings {
    /// The defaults of scenario `S`.
    pub fn defaults<S: Scenario>() -> Self {
        Settings::of(&S::default())
    }

    /// The values of `params`.
    pub fn of<S: Scenario>(params: &S) -> Self {
        let mut values = Vec::with_capacity(S::SPECS.len());
        params
            .clone()
            .fields(&mut |key, field| values.push((key, field.value())));
        Settings {
            specs: S::SPECS,
            values,
        }
    }

    /// The spec of `key`, or the error naming the keys that exist.
    pub fn spec(&self, key: &str) -> Result<&'static ParamSpec, ParamError> {
        self.specs
            .iter()
            .find(|s| s.key == key)
            .ok_or_else(|| ParamError::UnknownKey {
                key: key.to_owned(),
                allowed: self.specs.iter().map(|s| s.key).collect(),
            })
    }

    /// Set `key` from the text `raw`, checking its kind and range.
    pub fn set(&mut self, key: &str, raw: &str) -> Result<(), ParamError> {
        let spec = self.spec(key)?;
        let value = parse(spec, raw.trim())?;
        match self.values.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => *slot = value,
            None => self.values.push((spec.key, value)),
        }
        Ok(())
    }

    /// The current value of `key` as text (as `set` would accept it).
    pub fn get(&self, key: &str) -> Option<String> {
        self.value(key).map(Value::to_string)
    }

    /// The current value of `key`.
    pub fn value(&self, key: &str) -> Option<&Value> {
        self.values.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// The values as a JSON object, in the struct's order.
    #[cfg(feature = "json")]
    pub fn to_json(&self) -> serde_json::Value {
        let values = self.values.iter().map(|(key, value)| {
            let json = match value {
                Value::Int(n) => serde_json::Value::from(*n),
                Value::Float(x) => serde_json::Value::from(*x),
                Value::Choice(name) => serde_json::Value::from(*name),
                Value::Bool(b) => serde_json::Value::Bool(*b),
                Value::Text(text) => serde_json::Value::from(text.as_str()),
            };
            ((*key).to_owned(), json)
        });
        serde_json::Value::Object(values.collect())
    }

    /// The typed parameters, checked: every value in range and the scenario's
    /// cross-checks passed.
    pub fn build<S: Scenario>(&self) -> Result<S, ParamError> {
        for spec in self.specs {
            if let Some(v) = self.value(spec.key) {
                parse(spec, &v.to_string())?;
            }
        }
        let mut params = S::default();
        let mut disagreement = None;
        params.fields(&mut |key, field| {
            if let Some(value) = self.value(key)
                && !field.assign(value)
            {
                disagreement.get_or_insert((key, value.to_string()));
            }
        });
        if let Some((key, value)) = disagreement {
            // Only reachable if a spec and its struct disagree: name the field.
            return Err(ParamError::Inconsistent {
                key: key.to_owned(),
                value,
                reason: "the parameter table and the scenario's field disagree".to_owned(),
            });
        }
        params.check()?;
        Ok(params)
    }
}

/// Parse `raw` as a value of `spec`'s kind, or say what is allowed.
fn parse(spec: &ParamSpec, raw: &str) -> Result<Value, ParamError> {
    let not_allowed = || ParamError::NotAllowed {
        key: spec.key.to_owned(),
        value: raw.to_owned(),
        allowed: spec.kind.to_string(),
    };
    match spec.kind {
        ParamKind::Int { min, max } => {
            let n: i64 = raw.parse().map_err(|_| not_allowed())?;
            if (min..=max).contains(&n) {
                Ok(Value::Int(n))
            } else {
                Err(not_allowed())
            }
        }
        ParamKind::Float { min, max } => {
            let x: f64 = raw.parse().map_err(|_| not_allowed())?;
            if !(x.is_finite() && (min..=max).contains(&x)) {
                return Err(not_allowed());
            }
            match seconds_per_unit(spec.unit) {
                // A time shorter than the clock's tick would become zero:
                // a checking interval of zero would check forever at the same
                // instant, and "off" is what zero already means.
                Some(per_unit) if x > 0.0 && x * per_unit < tick_secs() => {
                    let (tick, unit) = (tick_secs() / per_unit, spec.unit);
                    let range = format!(
                        "from {tick} {unit} (one tick of the simulated clock) to {max} {unit}"
                    );
                    Err(ParamError::NotAllowed {
                        key: spec.key.to_owned(),
                        value: raw.to_owned(),
                        allowed: if min == 0.0 {
                            format!("0, or a time {range}")
                        } else {
                            format!("a time {range}")
                        },
                    })
                }
                _ => Ok(Value::Float(x)),
            }
        }
        ParamKind::Choice(names) => names
            .iter()
            .find(|n| **n == raw)
            .map(|n| Value::Choice(n))
            .ok_or_else(not_allowed),
        ParamKind::Bool => match raw {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(not_allowed()),
        },
        ParamKind::Text { .. } => Ok(Value::Text(raw.to_owned())),
    }
}

/// The simulated clock's resolution, in seconds.
fn tick_secs() -> f64 {
    SimTime::from_micros(1).as_secs_f64()
}

/// Seconds in one of `unit`, if `unit` is a unit of time.
pub fn seconds_per_unit(unit: &str) -> Option<f64> {
    match unit {
        "s" | "s one-way" => Some(1.0),
        "ms" => Some(1e-3),
        _ => None,
    }
}

/// A run's warm-up must end before the run does.
pub(crate) fn warmup_within(warmup: f64, duration: f64) -> Result<(), ParamError> {
    warmup_within_unit(warmup, duration, "s")
}

/// [`warmup_within`] for a run whose clock counts `unit` (see
/// [`crate::Pattern::clock_unit`]).
pub(crate) fn warmup_within_unit(warmup: f64, duration: f64, unit: &str) -> Result<(), ParamError> {
    if warmup >= duration {
        return Err(inconsistent(
            "warmup",
            warmup,
            format!("the warm-up must be shorter than the duration ({duration} {unit})"),
        ));
    }
    Ok(())
}

/// Something scheduled by parameter `key` at `at` seconds must happen
/// before the end of a run of `duration` seconds.
pub(crate) fn before_end(key: &str, at: f64, duration: f64) -> Result<(), ParamError> {
    if at >= duration {
        return Err(inconsistent(
            key,
            at,
            format!("it must come before the end of the run ({duration} s)"),
        ));
    }
    Ok(())
}

/// Records an event log may hold: the logs keep every record, for replays
/// and rebuilds, so this bounds what a run holds in memory.
const MAX_LOGGED: f64 = 1_000_000.0;

/// A run of `duration` seconds appending `rate` records a second (called
/// `what`) to an event log must stay under [`MAX_LOGGED`] of them.
pub(crate) fn logged_within(rate: f64, what: &str, duration: f64) -> Result<(), ParamError> {
    if rate * duration > MAX_LOGGED {
        return Err(inconsistent(
            "duration",
            duration,
            format!(
                "the event log keeps all the {what}, so a run makes at most {MAX_LOGGED} of \
                 them: at {rate} {what}/s that is at most {} s",
                (MAX_LOGGED / rate).floor()
            ),
        ));
    }
    Ok(())
}

/// The error a scenario's own `check` returns when values do not fit together.
pub(crate) fn inconsistent(
    key: &str,
    value: impl fmt::Display,
    reason: impl Into<String>,
) -> ParamError {
    ParamError::Inconsistent {
        key: key.to_owned(),
        value: value.to_string(),
        reason: reason.into(),
    }
}

#[cfg(all(test, feature = "json"))]
mod tests {
    use super::Value;

    /// Links made when settings were JSON wrote floats as serde_json (ryu)
    /// does: the text of those links must not change.
    #[test]
    fn floats_read_as_links_always_wrote_them() {
        let values = [
            0.0,
            1.0,
            20.0,
            0.5,
            0.05,
            0.001,
            0.0001,
            0.00001,
            0.000_001,
            1e-7,
            1.5e-7,
            2.5,
            1234.5678,
            123_456.789,
            1e15,
            1.5e15,
            1e16,
            1e21,
            0.1 + 0.2,
            1.0 / 3.0,
            599.999,
        ];
        for x in values.into_iter().flat_map(|x| [x, -x]) {
            let old = match serde_json::Value::from(x) {
                serde_json::Value::Number(n) => match n.as_f64() {
                    Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{v:.0}"),
                    _ => n.to_string(),
                },
                other => other.to_string(),
            };
            assert_eq!(Value::Float(x).to_string(), old, "{x:?}");
        }
    }
}
