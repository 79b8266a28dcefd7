//! A progress line on stderr for runs that take more than a second.
//!
//! Short runs print nothing. On a terminal the line updates in place; when
//! stderr is a file or a pipe, a line is written at each quarter so logs
//! stay readable.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

const QUIET_FOR: Duration = Duration::from_secs(1);

/// Run `work`, reporting its progress (a fraction from 0 to 1) once it has
/// taken longer than a second.
pub(crate) fn track<T>(seed: u64, label: &str, work: impl FnOnce(&mut dyn FnMut(f64)) -> T) -> T {
    let started = Instant::now();
    let terminal = std::io::stderr().is_terminal();
    let mut shown = false;
    let mut last_quarter = 0;
    let result = work(&mut |fraction| {
        if started.elapsed() < QUIET_FOR {
            return;
        }
        let percent = (fraction * 100.0).round() as u32;
        let mut err = std::io::stderr();
        if terminal {
            let _ = write!(err, "\r{label} (seed {seed}): {percent:>3}%");
            shown = true;
        } else if percent / 25 > last_quarter {
            last_quarter = percent / 25;
            let _ = writeln!(err, "{label} (seed {seed}): {percent}%");
        }
    });
    if shown {
        let _ = writeln!(std::io::stderr());
    }
    result
}
