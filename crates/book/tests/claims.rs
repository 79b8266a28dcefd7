//! Every claim the book makes holds on at least 19 of the seeds 1 to 20.
//!
//! Runs `archsim-book claims` over the book's chapters: each figure that
//! compares variants (`{{#figure … latency.p99 > algorithm=round_robin}}`)
//! is simulated on both sides on each seed. The chapters are found by
//! listing `book/src`, so a new chapter is checked as soon as it exists.

use std::path::Path;
use std::process::Command;

#[test]
fn every_claim_in_the_book_holds_on_nineteen_of_twenty_seeds() {
    let chapters = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../book/src");
    let output = Command::new(env!("CARGO_BIN_EXE_archsim-book"))
        .arg("claims")
        .arg(&chapters)
        .output()
        .expect("the preprocessor runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "some claims do not hold, or cannot be checked:\n{stdout}{stderr}"
    );
    assert!(
        stdout.lines().count() > 1,
        "the book makes no claims to check: {stdout}"
    );
}
