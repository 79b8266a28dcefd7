//! A line chart of time series, with axes, units, a legend and the same
//! numbers as a table for screen readers; what happened during the run
//! (a fault, a verdict, a resharding) is a numbered line across it, the
//! numbers those of the list of moments beside the charts.

use archsim_patterns::{Moment, Trace};
use std::rc::Rc;
use yew::prelude::*;

/// The Okabe–Ito palette: distinguishable with every common colour-vision
/// deficiency.
pub(crate) const PALETTE: [&str; 8] = [
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999",
];

const W: f64 = 600.0;
const H: f64 = 240.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 28.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 34.0;

/// Properties of [`Chart`].
#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    /// Heading.
    pub(crate) title: AttrValue,
    /// Unit of the values, shown on the axis and in the table.
    pub(crate) unit: AttrValue,
    /// Start of each bucket, in the clock's unit.
    pub(crate) time: Vec<f64>,
    /// End of the run, in the clock's unit: the x axis is fixed so it does
    /// not jump.
    pub(crate) x_max: f64,
    /// The clock's unit ("s", "days"), written on the time axis.
    pub(crate) clock: AttrValue,
    /// The lines, coloured in order from the palette.
    pub(crate) lines: Vec<Trace>,
    /// What happened, numbered from 1 in this order.
    pub(crate) moments: Rc<Vec<Moment>>,
}

/// The smallest "nice" number (1, 2 or 5 × a power of ten) at or above `x`.
pub(crate) fn nice_ceiling(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|&v| v >= x * (1.0 - 1e-12))
        .unwrap_or(10.0 * magnitude)
}

/// A number for an axis or a table cell: short, but never misleading.
pub(crate) fn format_value(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.2}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_owned()
    } else {
        format!("{v:.3}")
    }
}

/// The chart.
#[component]
pub(crate) fn Chart(props: &Props) -> Html {
    let y_max = nice_ceiling(
        props
            .lines
            .iter()
            .flat_map(|l| l.points.iter().flatten())
            .copied()
            .fold(0.0, f64::max),
    );
    let x_max = props.x_max.max(f64::EPSILON);
    let x = |t: f64| LEFT + (W - LEFT - RIGHT) * t / x_max;
    let y = |v: f64| TOP + (H - TOP - BOTTOM) * (1.0 - v / y_max);
    let half_bucket = props
        .time
        .get(1)
        .map_or(0.0, |t1| (t1 - props.time[0]) / 2.0);

    let paths = props.lines.iter().enumerate().map(|(i, line)| {
        // Gaps (no data) break the line rather than drawing through them.
        let mut d = String::new();
        let mut pen_down = false;
        for (t, v) in props.time.iter().zip(&line.points) {
            match v {
                Some(v) => {
                    d.push_str(&format!(
                        "{}{:.1},{:.1} ",
                        if pen_down { "L" } else { "M" },
                        x(t + half_bucket),
                        y(*v)
                    ));
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        html! { <path class="series" d={d} stroke={PALETTE[i % PALETTE.len()]} /> }
    });
    let y_ticks = (0..=4).map(|k| {
        let v = y_max * f64::from(k) / 4.0;
        html! {
            <g class="tick">
                <line x1={LEFT.to_string()} x2={(W - RIGHT).to_string()} y1={y(v).to_string()} y2={y(v).to_string()} />
                <text x={(LEFT - 8.0).to_string()} y={(y(v) + 5.0).to_string()} text-anchor="end">{ format_value(v) }</text>
            </g>
        }
    });
    let x_step = nice_ceiling(x_max / 6.0);
    let x_ticks = (0..)
        .map(|k| f64::from(k) * x_step)
        .take_while(|&t| t <= x_max + 1e-9)
        .map(|t| html! {
            <text class="tick" x={x(t).to_string()} y={(H - 8.0).to_string()} text-anchor="middle">{ format!("{} {}", format_value(t), props.clock) }</text>
        });

    let moments = props.moments.iter().enumerate().map(|(i, m)| {
        let at = format!("{:.1}", x(m.at));
        html! {
            <g class="moment">
                <line x1={at.clone()} x2={at.clone()} y1={TOP.to_string()} y2={(H - BOTTOM).to_string()} />
                <text x={at} y={(TOP + 12.0).to_string()} text-anchor="middle">{ i + 1 }</text>
            </g>
        }
    });

    html! {
        <figure class="chart">
            <figcaption>{ &props.title }<span class="unit">{ format!(" ({})", props.unit) }</span></figcaption>
            <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={format!("{} over simulated time; the table below has the numbers", props.title)}>
                { for y_ticks }
                { for x_ticks }
                { for moments }
                { for paths }
            </svg>
            <ul class="legend">
                { for props.lines.iter().enumerate().map(|(i, l)| html! {
                    <li><svg class="swatch" viewBox="0 0 9 3.5" aria-hidden="true"><rect width="9" height="3.5" rx="0.8" fill={PALETTE[i % PALETTE.len()]} /></svg>{ &l.label }</li>
                }) }
            </ul>
            <details>
                <summary>{ format!("{} as a table", props.title) }</summary>
                <table>
                    <thead><tr>
                        <th scope="col">{ format!("time ({})", props.clock) }</th>
                        { for props.lines.iter().map(|l| html! { <th scope="col">{ format!("{} ({})", l.label, props.unit) }</th> }) }
                    </tr></thead>
                    <tbody>
                        { for props.time.iter().enumerate().map(|(i, t)| html! {
                            <tr>
                                <th scope="row">{ format_value(*t) }</th>
                                { for props.lines.iter().map(|l| html! {
                                    <td>{ l.points.get(i).copied().flatten().map_or("–".into(), format_value) }</td>
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ceilings() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(0.7), 1.0);
        assert_eq!(nice_ceiling(1.2), 2.0);
        assert_eq!(nice_ceiling(3.0), 5.0);
        assert_eq!(nice_ceiling(5.0), 5.0);
        assert_eq!(nice_ceiling(420.0), 500.0);
        assert_eq!(nice_ceiling(0.013), 0.02);
    }

    #[test]
    fn values_format_compactly() {
        assert_eq!(format_value(0.0), "0");
        assert_eq!(format_value(1234.6), "1235");
        assert_eq!(format_value(2.50), "2.5");
        assert_eq!(format_value(0.01234), "0.012");
    }
}
