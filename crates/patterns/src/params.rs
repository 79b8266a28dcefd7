//! Public parameters: their names, units, allowed values and the errors a
//! person gets for a bad one.
//!
//! Every pattern describes its parameters once, as a table of [`ParamSpec`].
//! The CLI's `--set key=value`, the playground's URL and its sliders all go
//! through [`Settings::set`], so a bad value gets the same message everywhere:
//! the key, the value given and what is allowed.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::fmt;

/// What values a parameter takes.
#[derive(Clone, Copy, Debug, PartialEq)]
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
    },
}

impl fmt::Display for ParamKind {
    /// What is allowed, in words.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamKind::Int { min, max } => write!(f, "a whole number from {min} to {max}"),
            ParamKind::Float { min, max } => write!(f, "a number from {min} to {max}"),
            ParamKind::Choice(names) => write!(f, "one of {}", names.join(", ")),
            ParamKind::Bool => f.write_str("true or false"),
            ParamKind::Text { syntax } => write!(f, "{syntax}"),
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
}

impl ParamError {
    /// The parameter the error is about.
    pub fn key(&self) -> &str {
        match self {
            ParamError::UnknownKey { key, .. }
            | ParamError::NotAllowed { key, .. }
            | ParamError::Inconsistent { key, .. } => key,
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
        }
    }
}

impl std::error::Error for ParamError {}

/// The parameters of one pattern's experiment: a typed struct with defaults,
/// described by a spec table, and cross-checked beyond single ranges.
pub trait Scenario: Clone + Default + Serialize + DeserializeOwned {
    /// The table of public parameters, in the order controls show them.
    const SPECS: &'static [ParamSpec];

    /// Checks that involve more than one parameter (ranges are checked
    /// from [`Scenario::SPECS`] before this is called).
    fn check(&self) -> Result<(), ParamError>;
}

/// A set of parameter values for a scenario, built up from defaults one
/// `key=value` at a time, each checked as it is set.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    specs: &'static [ParamSpec],
    values: Map<String, Value>,
}

impl Settings {
    /// The defaults of scenario `S`.
    pub fn defaults<S: Scenario>() -> Self {
        Settings::of(&S::default())
    }

    /// The values of `params`.
    pub fn of<S: Scenario>(params: &S) -> Self {
        let Value::Object(values) = serde_json::to_value(params).expect("params serialize") else {
            unreachable!("a Scenario serializes to a JSON object");
        };
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
        self.values.insert(key.to_owned(), value);
        Ok(())
    }

    /// The current value of `key` as text (as `set` would accept it).
    pub fn get(&self, key: &str) -> Option<String> {
        self.values.get(key).map(display_value)
    }

    /// The values as a JSON object.
    pub fn to_json(&self) -> Value {
        Value::Object(self.values.clone())
    }

    /// The typed parameters, checked: every value in range and the scenario's
    /// cross-checks passed.
    pub fn build<S: Scenario>(&self) -> Result<S, ParamError> {
        for spec in self.specs {
            if let Some(v) = self.values.get(spec.key) {
                parse(spec, &display_value(v))?;
            }
        }
        let params: S = serde_json::from_value(self.to_json()).map_err(|e| {
            // Only reachable if a spec and its struct disagree: name the field.
            ParamError::Inconsistent {
                key: "params".into(),
                value: self.to_json().to_string(),
                reason: e.to_string(),
            }
        })?;
        params.check()?;
        Ok(params)
    }
}

/// A value as a person would type it: `20`, not `20.0`.
fn display_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(x) if n.is_f64() && x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
            _ => n.to_string(),
        },
        other => other.to_string(),
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
                Ok(Value::from(n))
            } else {
                Err(not_allowed())
            }
        }
        ParamKind::Float { min, max } => {
            let x: f64 = raw.parse().map_err(|_| not_allowed())?;
            if x.is_finite() && (min..=max).contains(&x) {
                Ok(Value::from(x))
            } else {
                Err(not_allowed())
            }
        }
        ParamKind::Choice(names) => names
            .iter()
            .find(|n| **n == raw)
            .map(|n| Value::from(*n))
            .ok_or_else(not_allowed),
        ParamKind::Bool => match raw {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(not_allowed()),
        },
        ParamKind::Text { .. } => Ok(Value::from(raw)),
    }
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
