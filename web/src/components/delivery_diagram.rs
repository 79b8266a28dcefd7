//! The delivery diagram: each codebase's pipeline as a row of stages —
//! changes being developed, built and tested, reworked after a conflict
//! or fixed after a failed integration, and deployed — with, for the
//! monolith, the release train between the merge and production.
//!
//! The monolith is one wide row; services are one row each, with the
//! codebase's size, its people and its build time written above it, so
//! the difference a split makes (smaller builds, fewer people per
//! codebase) reads off the labels. The train shows the changes waiting
//! and when it next departs, or, held, the batch being fixed and when it
//! deploys. A production box with a deploy broken and not yet restored is
//! outlined as down. Nothing here can be broken by hand: the pattern has
//! no fault target. Every count is text, so the picture reads without
//! colour and a screen reader reads the same words.

use crate::components::diagram::{self, DiagramProps, Frame, Key, Mark};
use archsim_patterns::View;
use archsim_patterns::delivery::{CodebaseView, Snapshot, Stage, TrainView};
use yew::prelude::*;

/// Properties of [`DeliveryDiagram`].
type Props = DiagramProps<Snapshot>;

/// Rows drawn at most: more services are summed up in a line under them.
const MAX_ROWS: usize = 8;
/// Height of a row's label line, and of its stage boxes.
const LABEL_H: f64 = 18.0;
const BOX_H: f64 = 40.0;
/// Room between rows, and around the drawing.
const GAP: f64 = 10.0;
const MARGIN: f64 = 6.0;

/// The diagram of a run's [`View`]: what the pattern's page registers.
pub fn draw(view: &View, frame: Frame) -> Html {
    diagram::draw::<DeliveryDiagram, Snapshot>(view, frame)
}

/// What each mark of the diagram means.
pub fn legend() -> Vec<Key> {
    vec![
        Key {
            mark: Mark::Outline("stage"),
            text: "a stage of the pipeline, with the changes in it",
        },
        Key {
            mark: Mark::Outline("stage train"),
            text: "the release train: changes waiting, or a held batch",
        },
        Key {
            mark: Mark::Outline("stage broken"),
            text: "production with a failed deploy not yet restored",
        },
    ]
}

/// A stage's box: its classes, its name and what it holds.
struct Cell {
    class: &'static str,
    name: &'static str,
    value: String,
}

/// Days as the diagram writes them, short: hours under a day.
fn days(d: f64) -> String {
    if d < 1.0 {
        format!("{:.1} h", d * 24.0)
    } else {
        format!("{d:.1} d")
    }
}

fn count(c: &CodebaseView, stage: Stage) -> u32 {
    c.stages[stage as usize]
}

/// The stages of one codebase's row, the train's among them if it has one.
fn cells(c: &CodebaseView, train: Option<&TrainView>) -> Vec<Cell> {
    let mut cells = vec![
        Cell {
            class: "stage",
            name: "developing",
            value: count(c, Stage::Developing).to_string(),
        },
        Cell {
            class: "stage",
            name: "build + test",
            value: count(c, Stage::Building).to_string(),
        },
        Cell {
            class: "stage",
            name: "rework · fix",
            value: format!(
                "{} · {}",
                count(c, Stage::Reworking),
                count(c, Stage::Fixing)
            ),
        },
    ];
    if let Some(t) = train {
        cells.push(match t.held {
            Some((batch, _)) => Cell {
                class: "stage train held",
                name: "train held",
                value: batch.to_string(),
            },
            None => Cell {
                class: "stage train",
                name: "train",
                value: t.waiting.to_string(),
            },
        });
    }
    cells.push(Cell {
        class: if c.broken > 0 {
            "stage broken"
        } else {
            "stage"
        },
        name: if c.broken > 0 {
            "prod: broken"
        } else {
            "production"
        },
        value: count(c, Stage::Deployed).to_string(),
    });
    cells
}

/// One codebase's row, its top at `y`, across `width`.
fn row(name: &str, c: &CodebaseView, cells: Vec<Cell>, y: f64, width: f64) -> Html {
    let n = cells.len() as f64;
    let step = (width - 2.0 * MARGIN) / n;
    let label = format!(
        "{name} · {:.0} kLOC · {} people · build {}",
        c.kloc,
        c.people,
        days(c.build_days)
    );
    html! {
        <g class="codebase" role="img" aria-label={format!("{label}: {}", cells.iter().map(|k| format!("{} {}", k.name, k.value)).collect::<Vec<_>>().join(", "))}>
            <text x={MARGIN.to_string()} y={(y + 13.0).to_string()}>{ label }</text>
            { for cells.iter().enumerate().map(|(i, k)| {
                let x = MARGIN + i as f64 * step;
                let top = y + LABEL_H;
                html! {
                    <g class={k.class}>
                        <rect class="box" x={format!("{x:.1}")} y={format!("{top:.1}")} width={format!("{:.1}", step - 4.0)} height={BOX_H.to_string()} rx="3" />
                        <text class="state" x={format!("{:.1}", x + 4.0)} y={format!("{:.1}", top + 14.0)}>{ k.name }</text>
                        <text class="count" x={format!("{:.1}", x + 4.0)} y={format!("{:.1}", top + 32.0)}>{ &k.value }</text>
                    </g>
                }
            }) }
        </g>
    }
}

/// The diagram.
#[component]
pub(crate) fn DeliveryDiagram(props: &Props) -> Html {
    let snap = &props.snapshot;
    let width = if props.narrow {
        diagram::NARROW
    } else {
        diagram::WIDE
    };
    let now = snap.now.as_secs_f64();
    let shown = snap.codebases.len().min(MAX_ROWS);
    let row_h = LABEL_H + BOX_H + GAP;
    let single = snap.codebases.len() == 1;
    let rows = snap.codebases.iter().take(shown).enumerate().map(|(i, c)| {
        let name = if single {
            "monolith".to_owned()
        } else {
            format!("service {}", i + 1)
        };
        let cells = cells(c, snap.train.as_ref());
        row(&name, c, cells, MARGIN + i as f64 * row_h, width)
    });
    // The train's timetable, under the monolith's row: too long for a box.
    let timetable = snap.train.as_ref().map(|t| {
        let words = match t.held {
            Some((batch, until)) => format!(
                "Train held for a fix: its {batch} changes deploy in {}",
                days(until.as_secs_f64() - now)
            ),
            None => format!(
                "Next train in {}, with the {} changes waiting",
                days(t.next_departure.as_secs_f64() - now),
                t.waiting
            ),
        };
        let y = MARGIN + shown as f64 * row_h + 6.0;
        html! { <text class="state" x={MARGIN.to_string()} y={y.to_string()}>{ words }</text> }
    });
    let hidden = &snap.codebases[shown..];
    let more = (!hidden.is_empty()).then(|| {
        let sum = |stage| hidden.iter().map(|c| count(c, stage)).sum::<u32>();
        let y = MARGIN + shown as f64 * row_h + 12.0;
        html! {
            <text class="state" x={MARGIN.to_string()} y={y.to_string()}>{
                format!("+ {} more services: {} developing, {} building, {} deployed",
                    hidden.len(), sum(Stage::Developing), sum(Stage::Building), sum(Stage::Deployed))
            }</text>
        }
    });
    let notes = usize::from(more.is_some()) + usize::from(timetable.is_some());
    let height = MARGIN * 2.0 + shown as f64 * row_h + 18.0 * notes as f64;
    diagram::canvas(
        (width, height),
        props,
        html! { <>{ for rows }{ for timetable }{ for more }</> },
    )
}
