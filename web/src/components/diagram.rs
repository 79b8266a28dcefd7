//! The diagram of a run, whatever its pattern: picks the pattern's own
//! picture for the [`View`] a run gives.

use crate::components::balancer_diagram::BalancerDiagram;
use crate::components::cache_diagram::CacheDiagram;
use crate::components::shard_diagram::ShardDiagram;
use archsim_patterns::View;
use yew::prelude::*;

/// What every pattern's diagram is told besides its snapshot.
#[derive(Clone, PartialEq)]
pub(crate) struct Frame {
    /// Node chosen for fault injection, if any.
    pub(crate) selected: Option<u32>,
    /// A node was chosen.
    pub(crate) on_select: Callback<u32>,
    /// Whether things should move (off under `prefers-reduced-motion`).
    pub(crate) animate: bool,
    /// Accessible name of the diagram.
    pub(crate) label: AttrValue,
}

/// The picture of one run.
pub(crate) fn diagram(view: View, frame: Frame) -> Html {
    let Frame {
        selected,
        on_select,
        animate,
        label,
    } = frame;
    match view {
        View::LoadBalancing(snapshot) => html! {
            <BalancerDiagram {snapshot} {selected} {on_select} {animate} {label} />
        },
        View::Caching(snapshot) => html! {
            <CacheDiagram {snapshot} {selected} {on_select} {animate} {label} />
        },
        View::Sharding(snapshot) => html! {
            <ShardDiagram {snapshot} {selected} {on_select} {animate} {label} />
        },
    }
}
