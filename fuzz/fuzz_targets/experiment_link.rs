//! An experiment's link, as a page decodes it: `name` (a preset or a
//! pattern) on the first line, the query after it. Decoding must never
//! panic; what it accepts must encode back to a link that decodes to the
//! same state with no complaint; and the experiment it describes must
//! start and run a little without panicking.

#![no_main]

use archsim_core::SimTime;
use archsim_patterns::Shared;
use libfuzzer_sys::fuzz_target;

/// Events each accepted link's run is allowed: enough to get past the
/// first arrivals and faults, few enough to keep thousands of runs a second.
const EVENTS: u64 = 200;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (name, query) = text.split_once('\n').unwrap_or((text, ""));
    let Ok((shared, _problems)) = Shared::decode(name, query) else {
        return;
    };
    let written = shared.encode();
    let (reread, problems) =
        Shared::decode(shared.name(), &written).expect("the name of a decoded link resolves");
    assert!(
        problems.is_empty(),
        "the link the site writes, {written:?}, is refused: {problems:?}"
    );
    assert_eq!(
        reread.encode(),
        written,
        "a written link reads back as the same state"
    );
    if shared.experiment.validate().is_ok() {
        let mut run = shared.experiment.start().expect("checked settings start");
        run.run_toward(SimTime::from_secs(3_600), EVENTS);
    }
});
