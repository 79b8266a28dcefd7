//! The map's SVG content: its links, and its nodes as an ARIA tree.
//!
//! [`MapScene`] draws what [`Scene`] placed. It is
//! its own component, compared by identity, so panning and zooming — which
//! only change the `transform` of the group around it — never render it
//! again; folds, the focus and the search do. Each node is a `treeitem`
//! with its level, its place among its siblings and, for a branch, whether
//! it is expanded; only the focused node is in the tab order (a roving
//! tabindex). Its insides are the markup built once per map
//! ([`markup::node_body`](super::markup::node_body)); its position is a CSS
//! transform, so the browser animates folds and unfolds over the map's
//! `duration`, and skips the animation for people who prefer reduced
//! motion.

use super::doors::Door;
use super::scene::{Scene, line_width};
use archsim_mindmap::Mindmap;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`MapScene`].
#[derive(Properties)]
pub(crate) struct Props {
    /// The map.
    pub(crate) map: Rc<Mindmap>,
    /// Whether each node's children are shown.
    pub(crate) expanded: Rc<Vec<bool>>,
    /// Whether each node matches the search.
    pub(crate) matches: Rc<Vec<bool>>,
    /// The node in the tab order.
    pub(crate) focus: usize,
    /// Where each node is.
    pub(crate) scene: Rc<Scene>,
    /// Each node's insides.
    pub(crate) bodies: Rc<Vec<AttrValue>>,
    /// What each leaf opens.
    pub(crate) doors: Rc<Vec<Option<Door>>>,
    /// Prefix of the element ids of this map.
    pub(crate) id: AttrValue,
    /// The tree's accessible name.
    pub(crate) label: AttrValue,
}

impl PartialEq for Props {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.map, &other.map)
            && Rc::ptr_eq(&self.expanded, &other.expanded)
            && Rc::ptr_eq(&self.matches, &other.matches)
            && self.focus == other.focus
            && Rc::ptr_eq(&self.scene, &other.scene)
            && Rc::ptr_eq(&self.bodies, &other.bodies)
            && Rc::ptr_eq(&self.doors, &other.doors)
            && self.id == other.id
            && self.label == other.label
    }
}

/// The links and nodes of the map.
#[component]
pub(crate) fn MapScene(props: &Props) -> Html {
    let map = &props.map;
    let links = map.nodes.iter().skip(1).map(|node| {
        let placed = &props.scene.nodes[node.index];
        let d = placed.link.clone().unwrap_or_default();
        html! {
            <path key={node.index}
                class={classes!("link", (!placed.shown).then_some("hidden"))}
                d={d}
                stroke={node.color.clone()}
                stroke-width={line_width(node.depth).to_string()}
                fill="none" />
        }
    });
    let nodes = map.nodes.iter().map(|node| {
        let i = node.index;
        let placed = &props.scene.nodes[i];
        let branch = !node.children.is_empty();
        let folded = branch && !props.expanded[i];
        let door = props.doors[i].as_ref();
        let siblings = node.parent.map_or(&[][..], |p| &map.nodes[p].children[..]);
        let position = siblings.iter().position(|&s| s == i).unwrap_or(0) + 1;
        let set_size = siblings.len().max(1);
        let (x, y) = (placed.rect.x, placed.rect.y);
        let description = door.map(|d| (format!("{}-desc-{i}", props.id), d.description()));
        html! {
            <g key={i}
                class={classes!(
                    "node",
                    folded.then_some("folded"),
                    props.matches[i].then_some("match"),
                    (!placed.shown).then_some("hidden"),
                    door.map(|d| if d.runs() { "door runs" } else { "door" }),
                )}
                data-node={i.to_string()}
                role="treeitem"
                aria-level={node.depth.to_string()}
                aria-setsize={set_size.to_string()}
                aria-posinset={position.to_string()}
                aria-expanded={branch.then(|| (!folded).to_string())}
                aria-hidden={(!placed.shown).then_some("true")}
                aria-label={node.plain_text()}
                aria-describedby={description.as_ref().map(|(id, _)| id.clone())}
                tabindex={placed.shown.then_some(if i == props.focus { "0" } else { "-1" })}
                transform={format!("translate({x:.1},{y:.1})")}>
                { Html::from_html_unchecked(props.bodies[i].clone()) }
                if let Some((id, text)) = description {
                    <desc id={id}>{ text }</desc>
                }
            </g>
        }
    });
    html! {
        <>
            <g class="links" aria-hidden="true">{ for links }</g>
            <g class="nodes" role="tree" aria-label={props.label.clone()}>{ for nodes }</g>
        </>
    }
}
