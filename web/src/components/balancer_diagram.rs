//! The load-balancing diagram: clients, the balancer and the backends, with
//! requests moving along the edges.
//!
//! Each backend shows its worker slots (filled when busy), its queue as a
//! bar, its true state (up, slow, down) and — separately — whether the
//! balancer believes it healthy, so the gap between the two, the detection
//! delay, is visible. Backends are buttons: choosing one lets a person break
//! it or mend it.

use crate::components::diagram::{self, DiagramProps, Frame, Key, Mark, Marks, SERVER_KEYS};
use archsim_patterns::View;
use archsim_patterns::load_balancing::{Node, Snapshot};
use yew::prelude::*;

/// Where the diagram's columns sit across its canvas, `width` units wide.
struct Columns {
    width: f64,
    clients: f64,
    balancer: f64,
    backend: f64,
    backend_w: f64,
    /// Width of the worker slots and the queue bar.
    work_w: f64,
    /// Where a backend's name and state are written.
    label: f64,
}

const WIDE: Columns = Columns {
    width: diagram::WIDE,
    clients: 60.0,
    balancer: 230.0,
    backend: 420.0,
    backend_w: 210.0,
    work_w: 130.0,
    label: 420.0 + 210.0 - 54.0,
};

const NARROW: Columns = Columns {
    width: diagram::NARROW,
    clients: 32.0,
    balancer: 124.0,
    backend: 200.0,
    backend_w: 195.0,
    work_w: 106.0,
    label: 200.0 + 195.0 - 60.0,
};
/// Requests drawn at most, so a busy run stays cheap to render.
const MAX_DOTS: usize = 400;

/// Properties of [`BalancerDiagram`].
type Props = DiagramProps<Snapshot>;

/// The diagram of a run's [`View`]: what the pattern's page registers.
pub fn draw(view: &View, frame: Frame) -> Html {
    diagram::draw::<BalancerDiagram, Snapshot>(view, frame)
}

/// What each mark of the diagram means. The dot at a backend's left is the
/// lesson of the health checks: it is what the balancer believes, which
/// lags behind what is true (the outline).
pub fn legend() -> Vec<Key> {
    [
        Key {
            mark: Mark::Disc {
                group: "",
                class: "dot request",
            },
            text: "request",
        },
        Key {
            mark: Mark::Disc {
                group: "",
                class: "dot reply",
            },
            text: "reply",
        },
        Key {
            mark: Mark::Disc {
                group: "backend healthy",
                class: "belief",
            },
            text: "the balancer believes the backend healthy",
        },
        Key {
            mark: Mark::Disc {
                group: "backend unhealthy",
                class: "belief",
            },
            text: "… believes it unhealthy, and sends it nothing",
        },
    ]
    .into_iter()
    .chain(SERVER_KEYS)
    .collect()
}

struct Layout {
    x: &'static Columns,
    height: f64,
    row: f64,
}

impl Layout {
    fn new(backends: usize, narrow: bool) -> Self {
        let row = (360.0 / backends as f64).clamp(16.0, 52.0);
        Layout {
            x: if narrow { &NARROW } else { &WIDE },
            height: (row * backends as f64 + 40.0).max(200.0),
            row,
        }
    }

    fn middle(&self) -> f64 {
        self.height / 2.0
    }

    fn backend_y(&self, b: u32, n: usize) -> f64 {
        let top = (self.height - self.row * n as f64) / 2.0;
        top + self.row * (f64::from(b) + 0.5)
    }

    /// Where a message is, `p` of the way along its path.
    fn position(&self, from: Node, to: Node, p: f64, n: usize) -> (f64, f64) {
        let backend = |b: u32| (self.x.backend, self.backend_y(b, n));
        let (clients, balancer) = (
            (self.x.clients, self.middle()),
            (self.x.balancer, self.middle()),
        );
        // Requests go clients → balancer → backend; replies come back the same way.
        let (a, m, z) = match (from, to) {
            (Node::Clients, Node::Backend(b)) => (clients, balancer, backend(b)),
            (Node::Backend(b), _) => (backend(b), balancer, clients),
            _ => (clients, balancer, clients),
        };
        let first = (m.0 - a.0).hypot(m.1 - a.1);
        let second = (z.0 - m.0).hypot(z.1 - m.1);
        let along = p * (first + second);
        let lerp =
            |u: (f64, f64), v: (f64, f64), t: f64| (u.0 + (v.0 - u.0) * t, u.1 + (v.1 - u.1) * t);
        if along <= first {
            lerp(a, m, if first > 0.0 { along / first } else { 1.0 })
        } else {
            lerp(m, z, (along - first) / second.max(f64::EPSILON))
        }
    }
}

/// `#2`, or `#2 ×0.6` when the backend's nominal speed is not 1.
fn speed_label(b: u32, speed: f64) -> String {
    if (speed - 1.0).abs() < 1e-9 {
        format!("#{}", b + 1)
    } else {
        format!("#{} ×{speed:.1}", b + 1)
    }
}

/// The animated diagram.
#[component]
pub(crate) fn BalancerDiagram(props: &Props) -> Html {
    let snap = &props.snapshot;
    let n = snap.backends.len();
    let layout = Layout::new(n, props.narrow);
    let x = layout.x;
    let mid = layout.middle();
    let compact = layout.row < 30.0;

    let edges = (0..n as u32).map(|b| {
        let y = layout.backend_y(b, n);
        html! { <line class="edge" x1={x.balancer.to_string()} y1={mid.to_string()} x2={x.backend.to_string()} y2={y.to_string()} /> }
    });

    let backends = snap.backends.iter().enumerate().map(|(i, view)| {
        let b = i as u32;
        let y = layout.backend_y(b, n);
        let h = layout.row - 4.0;
        let top = y - h / 2.0;
        let state = diagram::condition_class(view.condition);
        let belief = if view.believed_healthy { "healthy" } else { "unhealthy" };
        let selected = props.selected == Some(b);
        let label = format!(
            "Backend {}: {}, speed {:.1}, balancer believes {belief}; {} of {} workers busy, {} queued of {}",
            b + 1,
            diagram::condition_name(view.condition),
            view.speed,
            view.busy,
            view.workers,
            view.queued,
            view.queue_capacity
        );
        let (onclick, onkeydown) = diagram::chooser(&props.on_select, b);
        // Worker slots across the top half, the queue as a bar below.
        let slots = view.workers.min(16);
        let queue_share = if view.queue_capacity == 0 {
            0.0
        } else {
            f64::from(view.queued) / f64::from(view.queue_capacity)
        };
        // The visible labels sit beside the button, hidden from assistive
        // technology: the button's accessible name already says all of it,
        // and text inside it would have to match that name word for word.
        html! {
            <>
            <g class={classes!("backend", state, belief, selected.then_some("selected"))}
               role="button" tabindex="0" aria-label={label} aria-pressed={selected.to_string()}
               {onclick} {onkeydown}>
                <rect class="box" x={x.backend.to_string()} y={top.to_string()} width={x.backend_w.to_string()} height={h.to_string()} rx="4" />
                <circle class="belief" cx={(x.backend + 10.0).to_string()} cy={y.to_string()} r="5" />
                { diagram::worker_slots(slots, view.busy, (x.backend + 22.0, top + 3.0), x.work_w, (h / 2.0 - 4.0).max(2.0)) }
                <rect class="queue-track" x={(x.backend + 22.0).to_string()} y={(y + 1.0).to_string()} width={x.work_w.to_string()} height={(h / 2.0 - 4.0).max(2.0).to_string()} />
                <rect class="queue" x={(x.backend + 22.0).to_string()} y={(y + 1.0).to_string()} width={(x.work_w * queue_share).to_string()} height={(h / 2.0 - 4.0).max(2.0).to_string()} />
            </g>
            if !compact {
                <g class="backend-label" aria-hidden="true" pointer-events="none">
                    <text class="name" x={x.label.to_string()} y={(y - 3.0).to_string()}>{ speed_label(b, view.speed) }</text>
                    <text class="state" x={x.label.to_string()} y={(y + 11.0).to_string()}>{ state }</text>
                </g>
            }
            </>
        }
    });

    let (mut requests, mut replies) = (Marks::default(), Marks::default());
    for m in snap.messages.iter().take(MAX_DOTS) {
        let p = if props.animate {
            m.progress(snap.now)
        } else {
            0.5
        };
        let marks = if matches!(m.from, Node::Clients) {
            &mut requests
        } else {
            &mut replies
        };
        marks.disc(layout.position(m.from, m.to, p, n), 3.0);
    }

    let drawing = html! {
        <>
            <line class="edge" x1={x.clients.to_string()} y1={mid.to_string()} x2={x.balancer.to_string()} y2={mid.to_string()} />
            { for edges }
            <g class="clients" aria-hidden="true">
                <circle cx={x.clients.to_string()} cy={mid.to_string()} r="26" />
                <text x={x.clients.to_string()} y={(mid + 4.0).to_string()} text-anchor="middle">{ "clients" }</text>
            </g>
            <g class="balancer" aria-hidden="true">
                <rect x={(x.balancer - 44.0).to_string()} y={(mid - 20.0).to_string()} width="88" height="40" rx="6" />
                <text x={x.balancer.to_string()} y={(mid + 4.0).to_string()} text-anchor="middle">{ "balancer" }</text>
            </g>
            { for backends }
            <g aria-hidden="true">
                <path class="dot request" d={requests.path()} />
                <path class="dot reply" d={replies.path()} />
            </g>
        </>
    };
    diagram::canvas((x.width, layout.height), props, drawing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_travel_from_clients_through_the_balancer() {
        for narrow in [false, true] {
            let l = Layout::new(4, narrow);
            let start = l.position(Node::Clients, Node::Backend(3), 0.0, 4);
            assert_eq!(start, (l.x.clients, l.middle()));
            let end = l.position(Node::Clients, Node::Backend(3), 1.0, 4);
            assert!((end.0 - l.x.backend).abs() < 1e-9 && (end.1 - l.backend_y(3, 4)).abs() < 1e-9);
            let back = l.position(Node::Backend(0), Node::Clients, 1.0, 4);
            assert!((back.0 - l.x.clients).abs() < 1e-9);
        }
    }

    #[test]
    fn many_backends_fit_the_picture() {
        let l = Layout::new(100, false);
        assert!(l.backend_y(0, 100) > 0.0);
        assert!(l.backend_y(99, 100) < l.height);
    }
}
