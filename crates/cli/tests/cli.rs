//! The `archsim` binary as a user meets it: output formats, exit codes and
//! the messages bad input gets.

use std::process::{Command, Output};

fn archsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_archsim"))
        .args(args)
        .output()
        .expect("archsim runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Short runs keep the tests quick.
const SHORT: [&str; 4] = ["--set", "duration=5", "--set", "warmup=1"];

#[test]
fn list_names_every_preset() {
    let o = archsim(&["list"]);
    assert!(o.status.success());
    for preset in archsim_patterns::catalog::all() {
        assert!(stdout(&o).contains(preset.id), "{} missing", preset.id);
        assert!(stdout(&o).contains(preset.title));
    }
}

#[test]
fn run_json_has_the_documented_shape() {
    let mut args = vec!["run", "load-balancing", "--seed", "42", "--format", "json"];
    args.extend(SHORT);
    let o = archsim(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(report["pattern"], "load-balancing");
    assert_eq!(report["seed"], 42);
    assert_eq!(report["params"]["duration"], 5.0);
    assert_eq!(report["params"]["backends"], 4);
    let m = &report["metrics"];
    for key in ["arrived", "completed", "rejected", "failed", "in_flight"] {
        assert!(m[key].is_u64(), "metrics.{key}");
    }
    for key in ["mean", "p50", "p95", "p99", "max"] {
        assert!(m["latency"][key].is_f64(), "metrics.latency.{key}");
    }
    // The same command gives the same bytes.
    assert_eq!(archsim(&args).stdout, o.stdout);
}

#[test]
fn run_table_and_csv() {
    let mut args = vec!["run", "lb-overload"];
    args.extend(SHORT);
    let table = stdout(&archsim(&args));
    assert!(table.starts_with("lb-overload — One server versus a balanced fleet (seed 12)"));
    assert!(table.contains("p99_s"));
    assert!(
        table.contains("\nLatencies count the requests served in time"),
        "the table says what its latencies count:\n{table}"
    );
    assert!(
        table.contains("\nbackends\n"),
        "per-backend table:\n{table}"
    );

    args.extend(["--format", "csv"]);
    let csv = stdout(&archsim(&args));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("arrived,completed,rejected,failed,timed_out,"));
    assert_eq!(lines[0].split(',').count(), lines[1].split(',').count());
}

#[test]
fn compare_uses_the_same_arrivals_for_every_variant() {
    let mut args = vec![
        "compare",
        "load-balancing",
        "--vary",
        "algorithm=round_robin,least_connections,power_of_two",
        "--format",
        "csv",
    ];
    args.extend(SHORT);
    let o = archsim(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let rows: Vec<Vec<&str>> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][0], "round_robin");
    assert!(
        rows.iter().all(|r| r[1] == rows[0][1]),
        "arrived differs: {out}"
    );
}

#[test]
fn compare_a_preset_runs_its_own_variants() {
    // Its faults happen at 20 s and 40 s, so it keeps its own duration.
    let o = archsim(&["compare", "lb-health-checks", "--format", "csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("health_check_interval,arrived,"), "{out}");
    assert_eq!(out.lines().count(), 3);
}

/// Bad input: exit status 2 and a message that names what is wrong.
#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["run", "nope"],
            "unknown pattern or preset 'nope': patterns are microservices, delivery, event-driven, cqrs, sharding, caching, load-balancing; presets are ms-scaling, ",
        ),
        (
            &["run", "load-balancing", "--set", "backendz=3"],
            "unknown parameter 'backendz': allowed are algorithm, backends",
        ),
        (
            &["run", "load-balancing", "--set", "backends=0"],
            "backends=0 is not allowed: backends must be a whole number from 1 to 100",
        ),
        (
            &["run", "load-balancing", "--set", "backends=many"],
            "backends=many is not allowed: backends must be a whole number from 1 to 100",
        ),
        (
            &["run", "load-balancing", "--set", "arrival_rate=-5"],
            "arrival_rate=-5 is not allowed: arrival_rate must be a number from 0.1 to 20000",
        ),
        (
            &["run", "load-balancing", "--set", "algorithm=fastest"],
            "algorithm=fastest is not allowed: algorithm must be one of round_robin, weighted_round_robin",
        ),
        (
            &["run", "load-balancing", "--set", "sticky_sessions=maybe"],
            "sticky_sessions=maybe is not allowed: sticky_sessions must be true or false",
        ),
        (
            &["run", "load-balancing", "--set", "faults=10:down:9"],
            "faults=10:down:9 is not allowed: the backend '9' must be a number from 1 to 4",
        ),
        (
            &["run", "load-balancing", "--set", "warmup=100"],
            "warmup=100 is not allowed: the warm-up must be shorter than the duration (60 s)",
        ),
        (
            &["run", "load-balancing", "--set", "backends"],
            "'backends' is not KEY=VALUE",
        ),
        (
            &["run", "load-balancing", "--seed", "abc"],
            "invalid value 'abc' for '--seed <SEED>'",
        ),
        (&["run", "load-balancing", "--format", "xml"], "xml"),
        (
            &["compare", "load-balancing"],
            "'load-balancing' has no variants of its own: say what to vary",
        ),
        (
            &[
                "compare",
                "load-balancing",
                "--vary",
                "algorithm=round_robin,bogus",
            ],
            "algorithm=bogus is not allowed",
        ),
        (
            &["compare", "load-balancing", "--vary", "algorithm="],
            "lists no values",
        ),
        (
            &[
                "sweep",
                "lb-server-load",
                "--vary",
                "arrival_rate=10..90000",
                "--metric",
                "latency.p99",
            ],
            "arrival_rate=90000 is outside the range of arrival_rate, which must be a number from 0.1 to 20000",
        ),
        (
            &[
                "sweep",
                "lb-server-load",
                "--vary",
                "arrival_rate=10..90:1000",
                "--metric",
                "latency.p99",
            ],
            "1000 points is not allowed: a sweep has from 2 to 200 points",
        ),
        (
            &[
                "sweep",
                "lb-server-load",
                "--vary",
                "arrival_rate=10",
                "--metric",
                "latency.p99",
            ],
            "'arrival_rate=10' is not a range: the range has no '..' between its ends",
        ),
        (
            &[
                "sweep",
                "lb-server-load",
                "--vary",
                "algorithm=1..2",
                "--metric",
                "latency.p99",
            ],
            "algorithm is not a number, and a sweep steps a number: allowed are backends, workers",
        ),
        (
            &[
                "sweep",
                "lb-server-load",
                "--vary",
                "timeout=0..2",
                "--log",
                "--metric",
                "latency.p99",
            ],
            "cannot be spaced by equal ratios (log): both ends must be above zero",
        ),
        (
            &[
                "sweep",
                "lb-server-load",
                "--vary",
                "backends=2..4",
                "--seeds",
                "0",
                "--metric",
                "completed",
            ],
            "0 seeds is not allowed: a sweep runs from 1 to 30 seeds per point",
        ),
        (
            &[
                "sweep",
                "lb-server-load",
                "--vary",
                "backends=2..4:2",
                "--metric",
                "latency.p999",
                "--set",
                "duration=2",
                "--set",
                "warmup=1",
            ],
            "unknown metric 'latency.p999': allowed are arrived, completed",
        ),
        (
            &["sweep", "lb-server-load", "--vary", "backends=2..4"],
            "--metric <NAME>",
        ),
        (&["params", "nope"], "unknown pattern or preset 'nope'"),
        (&["frobnicate"], "frobnicate"),
    ];
    for (args, expected) in cases {
        let o = archsim(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{args:?}:\n{}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?} printed a report");
    }
}

#[test]
fn params_lists_units_ranges_and_the_fault_syntax() {
    let o = archsim(&["params", "lb-health-checks"]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains("arrival_rate"));
    assert!(out.contains("a number from 0.1 to 20000"));
    assert!(
        out.contains("20:down:2,40:recover:2"),
        "preset values shown:\n{out}"
    );
    assert!(out.contains("faults: a comma-separated list"));
}

#[test]
fn long_runs_report_progress_on_stderr() {
    let o = archsim(&[
        "run",
        "load-balancing",
        "--set",
        "duration=3600",
        "--set",
        "arrival_rate=3000",
        "--set",
        "service_rate=1000",
        "--format",
        "csv",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("load-balancing (seed 1): 100%"),
        "progress:\n{err}"
    );
    assert_eq!(stdout(&o).lines().count(), 2, "progress stays off stdout");
}

/// The seed mind-map, as the site reads it.
const MAP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../mindmap/architectures.md"
);

#[test]
fn mindmap_text_shows_the_tree_indented_with_colours_and_options() {
    let o = archsim(&["mindmap", MAP]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "no warnings: {}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("▾ Architectures  (#1f77b4, line 2)\n"),
        "{out}"
    );
    assert!(out.contains("\n  ▾ Microservices Architecture  (#ff7f0e, line 7)\n"));
    assert!(out.contains("\n    ▾ Considerations  (#ff7f0e, line 14)\n"));
    assert!(
        out.contains("\n      • Distributed transactions (sagas and 2PC)  (#ff7f0e, line 16)\n")
    );
    assert!(out.contains("\n  ▾ Load Balancing  (#e377c2, line 55)\n"));
    assert!(out.contains("\noptions\n"));
    assert!(out.contains("  colorFreezeLevel    2\n"), "{out}");
    assert!(out.contains("  spacingHorizontal   80\n"), "{out}");
    assert!(out.ends_with("46 nodes, 33 leaves, 0 warnings\n"), "{out}");
}

#[test]
fn mindmap_json_has_nodes_with_boxes() {
    let args = ["mindmap", MAP, "--format", "json"];
    let o = archsim(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let map: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(map["title"], "Architectures");
    assert_eq!(map["options"]["colorFreezeLevel"], 2);
    assert_eq!(map["warnings"], serde_json::json!([]));
    let nodes = map["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), 46);
    assert_eq!(nodes[0]["text"], "Architectures");
    assert_eq!(nodes[0]["children"].as_array().map(Vec::len), Some(6));
    assert_eq!(nodes[1]["text"], "Microservices Architecture");
    assert_eq!(
        (nodes[1]["depth"].as_u64(), nodes[1]["line"].as_u64()),
        (Some(2), Some(7))
    );
    for node in nodes {
        for key in [
            "text", "depth", "folded", "color", "line", "box", "size", "label",
        ] {
            assert!(!node[key].is_null(), "{key} of {node}");
        }
        for key in ["x", "y", "w", "h"] {
            assert!(node["box"][key].is_f64(), "box.{key} of {node}");
        }
    }
    assert_eq!(map["nodes"][0]["box"]["x"], 0.0);
    assert!(map["bounds"]["w"].as_f64() > Some(0.0));
    // The same file gives the same bytes.
    assert_eq!(archsim(&args).stdout, o.stdout);
}

/// A file of its own for each case, in the temporary directory.
fn map_file(name: &str, content: &str) -> String {
    let dir = std::env::temp_dir().join(format!("archsim-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    let path = dir.join(name);
    std::fs::write(&path, content).expect("write the map");
    path.to_string_lossy().into_owned()
}

#[test]
fn mindmap_bad_files_exit_2_with_file_and_line() {
    let yaml = map_file("yaml.md", "---\ntitle: T\nmarkmap: [\n---\n# A\n");
    let typed = map_file(
        "typed.md",
        "---\nmarkmap:\n  colorFreezeLevel: \"two\"\n---\n# A\n",
    );
    let empty = map_file("empty.md", "\n\t\n");
    let unclosed = map_file("unclosed.md", "---\ntitle: T\n# A\n");
    let missing = map_file("exists.md", "# A").replace("exists.md", "missing.md");
    let cases = [
        (
            &yaml,
            format!("{yaml}:4: the front matter is not valid YAML"),
        ),
        (
            &typed,
            format!(
                "{typed}:3: markmap.colorFreezeLevel must be a whole number (0 or more), not 'two'"
            ),
        ),
        (&empty, format!("{empty}:1: the document is empty")),
        (
            &unclosed,
            format!("{unclosed}:1: the front matter opened by '---' on line 1 is never closed"),
        ),
        (&missing, format!("{missing}: could not read it")),
    ];
    for (file, expected) in cases {
        for format in ["text", "json"] {
            let o = archsim(&["mindmap", file, "--format", format]);
            assert_eq!(o.status.code(), Some(2), "{file}: {}", stderr(&o));
            assert!(stderr(&o).contains(&expected), "{file}:\n{}", stderr(&o));
            assert!(!stderr(&o).contains("panicked"), "{file}");
            assert!(o.stdout.is_empty(), "{file} printed a map");
        }
    }
}

#[test]
fn mindmap_warnings_go_to_stderr_in_text_and_into_json() {
    let file = map_file(
        "warn.md",
        "---\nmarkmap:\n  colour: red\n---\n# A\nsome prose\n- a\n",
    );
    let o = archsim(&["mindmap", &file]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        format!(
            "{file}:3: warning: unknown option markmap.colour (did you mean color?): ignored\n\
             {file}:6: warning: this paragraph is not part of the map (only headings and list items are): ignored\n"
        )
    );
    assert!(stdout(&o).ends_with("2 nodes, 1 leaves, 2 warnings\n"));

    let o = archsim(&["mindmap", &file, "--format", "json"]);
    assert!(o.status.success());
    assert!(stderr(&o).is_empty());
    let map: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(map["warnings"][0]["line"], 3);
    assert_eq!(map["warnings"][1]["line"], 6);
}

/// A sweep's output is byte for byte the same on one thread and on
/// several: the runs go to threads in any order, their results come back
/// in the sweep's.
#[test]
fn a_sweep_prints_the_same_whatever_the_number_of_threads() {
    let sweep = |threads: &str, format: &str| {
        let o = archsim(&[
            "sweep",
            "lb-server-load",
            "--vary",
            "arrival_rate=100..300:3",
            "--metric",
            "latency.p99",
            "--metric",
            "throughput",
            "--seeds",
            "3",
            "--set",
            "duration=5",
            "--set",
            "warmup=1",
            "--threads",
            threads,
            "--format",
            format,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    for format in ["csv", "table", "json"] {
        assert_eq!(sweep("1", format), sweep("3", format), "{format}");
    }
    // CSV: a header, then one row per point, line and metric.
    let csv = sweep("2", "csv");
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "arrival_rate,algorithm,metric,mean,ci95,seeds");
    let lines = 6; // the preset compares six algorithms
    assert_eq!(rows.len(), 1 + 3 * lines * 2, "{csv}");
    assert!(rows[1].starts_with("100,round_robin,latency.p99,"), "{csv}");
    assert!(rows[1].ends_with(",3"), "three seeds: {csv}");
    let json: serde_json::Value = serde_json::from_str(&sweep("2", "json")).unwrap();
    assert_eq!(
        json["seeds"],
        serde_json::json!([15, 16, 17]),
        "the preset's seed and the next two"
    );
    assert_eq!(json["curves"].as_array().unwrap().len(), lines * 2);
    assert!(json["curves"][0]["points"][2]["ci95"].as_f64().unwrap() >= 0.0);
}
