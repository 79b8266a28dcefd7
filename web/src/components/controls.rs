//! A form with one control per public parameter, built from the pattern's
//! spec table: units, allowed ranges, and the error for a bad value shown at
//! the field. The parameters an experiment is about come first, the rest
//! under "More"; a value that differs from the pattern's default says so,
//! and what the default is.

use archsim_patterns::{ParamKind, ParamSpec, Settings};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Properties of [`Controls`].
#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    /// The parameters.
    pub(crate) specs: &'static [ParamSpec],
    /// Their current values.
    pub(crate) settings: Settings,
    /// A value was changed: `(key, text)`. Returns an error to show, if any.
    pub(crate) on_change: Callback<(String, String)>,
    /// The last error, by key.
    pub(crate) error: Option<(String, String)>,
    /// The parameters the experiment sets or compares, shown first (none:
    /// all of them alike).
    pub(crate) featured: Vec<&'static str>,
    /// The pattern's defaults, to mark what differs from them.
    pub(crate) defaults: Settings,
}

fn value_of(e: &Event) -> Option<String> {
    let target = e.target()?;
    if let Some(input) = target.dyn_ref::<HtmlInputElement>() {
        if input.type_() == "checkbox" {
            return Some(input.checked().to_string());
        }
        return Some(input.value());
    }
    target
        .dyn_ref::<HtmlSelectElement>()
        .map(HtmlSelectElement::value)
}

/// The control of parameter `spec`: one function for both groups of the
/// form, so that the bundle holds its markup once.
fn field(spec: &ParamSpec, props: &Props) -> Html {
    let id = format!("param-{}", spec.key);
    let help_id = format!("{id}-help");
    let value = props.settings.get(spec.key).unwrap_or_default();
    let key = spec.key.to_owned();
    let on_change = props.on_change.clone();
    let onchange = Callback::from(move |e: Event| {
        if let Some(v) = value_of(&e) {
            on_change.emit((key.clone(), v));
        }
    });
    let error = props
        .error
        .as_ref()
        .filter(|(k, _)| k == spec.key)
        .map(|(_, message)| message.clone());
    let default = props.defaults.get(spec.key).unwrap_or_default();
    let changed = default != value;
    // A schedule typed as text, read back in words.
    let in_words = match spec.kind {
        ParamKind::Text { in_words, .. } => in_words(&value),
        _ => None,
    };
    let input = match spec.kind {
        ParamKind::Int { min, max } => html! {
            <input id={id.clone()} type="number" min={min.to_string()} max={max.to_string()} step="1"
                value={value} aria-describedby={help_id.clone()} aria-invalid={error.is_some().to_string()} {onchange} />
        },
        ParamKind::Float { min, max } => html! {
            <input id={id.clone()} type="number" min={min.to_string()} max={max.to_string()} step="any"
                value={value} aria-describedby={help_id.clone()} aria-invalid={error.is_some().to_string()} {onchange} />
        },
        ParamKind::Choice(names) => html! {
            <select id={id.clone()} aria-describedby={help_id.clone()} {onchange}>
                { for names.iter().map(|n| html! { <option value={*n} selected={value == *n}>{ n.replace('_', " ") }</option> }) }
            </select>
        },
        ParamKind::Bool => html! {
            <input id={id.clone()} type="checkbox" checked={value == "true"} aria-describedby={help_id.clone()} {onchange} />
        },
        ParamKind::Text { .. } => html! {
            <input id={id.clone()} type="text" value={value} spellcheck="false" placeholder="none"
                aria-describedby={help_id.clone()} aria-invalid={error.is_some().to_string()} {onchange} />
        },
    };
    let range = match spec.kind {
        ParamKind::Int { min, max } => format!("{min} to {max}"),
        ParamKind::Float { min, max } => format!("{min} to {max}"),
        _ => String::new(),
    };
    html! {
        <div class={classes!("field", error.is_some().then_some("invalid"), changed.then_some("changed"))}>
            <label for={id.clone()}>{ spec.label }
                if !spec.unit.is_empty() { <span class="unit">{ format!(" ({})", spec.unit) }</span> }
                if changed {
                    <span class="changed-mark">{ format!(" · changed; default {}", if default.is_empty() { "none" } else { default.as_str() }) }</span>
                }
            </label>
            { input }
            if let Some(words) = in_words {
                <p class="read-back">{ format!("That is: {words}.") }</p>
            }
            <small id={help_id}>{ spec.help }{ if range.is_empty() { String::new() } else { format!(" Allowed: {range}.") } }</small>
            if let Some(message) = error {
                <p class="field-error" role="alert">{ message }</p>
            }
        </div>
    }
}

/// The parameter form.
#[component]
pub(crate) fn Controls(props: &Props) -> Html {
    let (first, more): (Vec<&ParamSpec>, Vec<&ParamSpec>) = props
        .specs
        .iter()
        .partition(|s| props.featured.is_empty() || props.featured.contains(&s.key));
    html! {
        <form class="controls" aria-label="Parameters" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <div class="fields">{ for first.into_iter().map(|s| field(s, props)) }</div>
            if !more.is_empty() {
                <details class="more">
                    <summary>{ format!("More parameters ({})", more.len()) }</summary>
                    <div class="fields">{ for more.into_iter().map(|s| field(s, props)) }</div>
                </details>
            }
        </form>
    }
}
