//! What every pattern's diagram shares: what it is told besides its
//! snapshot ([`Frame`]), its properties ([`DiagramProps`]), and [`draw`],
//! which turns the type-erased [`View`] of a run back into the pattern's own
//! snapshot for its component. A pattern's page registers its diagram as a
//! `draw` function ([`crate::PatternUi`]); nothing here names a pattern.

use archsim_patterns::View;
use yew::prelude::*;

/// What every pattern's diagram is told besides its snapshot.
#[derive(Clone, PartialEq)]
pub struct Frame {
    /// Node chosen for fault injection, if any.
    pub(crate) selected: Option<u32>,
    /// A node was chosen.
    pub(crate) on_select: Callback<u32>,
    /// Whether things should move (off under `prefers-reduced-motion`).
    pub(crate) animate: bool,
    /// Accessible name of the diagram.
    pub(crate) label: AttrValue,
}

/// Properties of a pattern's diagram component.
#[derive(Properties, PartialEq)]
pub(crate) struct DiagramProps<S: PartialEq> {
    /// What to draw.
    pub(crate) snapshot: S,
    /// Node chosen for fault injection, if any.
    pub(crate) selected: Option<u32>,
    /// A node was chosen.
    pub(crate) on_select: Callback<u32>,
    /// Whether dots should move (off under `prefers-reduced-motion`).
    pub(crate) animate: bool,
    /// Accessible name of the diagram.
    pub(crate) label: AttrValue,
}

/// The picture of one run: `view`, which must hold an `S`, drawn by the
/// component `C`.
pub(crate) fn draw<C, S>(view: &View, frame: Frame) -> Html
where
    C: BaseComponent<Properties = DiagramProps<S>>,
    S: Clone + PartialEq + 'static,
{
    let snapshot = view
        .get::<S>()
        .expect("a pattern's page draws only its own pattern's runs")
        .clone();
    let Frame {
        selected,
        on_select,
        animate,
        label,
    } = frame;
    let props = DiagramProps {
        snapshot,
        selected,
        on_select,
        animate,
        label,
    };
    html! { <C ..props /> }
}
