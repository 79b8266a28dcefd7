//! `cargo xtask serve [--port N]`: build the site, then serve it on
//! `127.0.0.1` until killed.
//!
//! The server is a small static file server on the standard library, one
//! thread per connection, one request per connection: enough to try the
//! playground in a browser or drive it from a test, not for production. It
//! answers GET and HEAD, maps a folder to its `index.html`, sends the
//! Content-Type browsers need (wasm must be `application/wasm` to stream),
//! and refuses paths with `..` so nothing outside the site is served.

use crate::build;
use crate::setup::{self, Task};
use std::fs;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

/// The port served on when `--port` is not given.
const DEFAULT_PORT: u16 = 8080;
/// The most a request's line and headers may take.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// How long a connection may stay silent or stalled.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// The port from `serve`'s arguments (`--port N` or `--port=N`); the error
/// says which argument is wrong and what is allowed (the caller exits 2).
pub(crate) fn parse_args(args: &[String]) -> Result<u16, String> {
    let mut port = DEFAULT_PORT;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let value = if arg == "--port" {
            rest.next()
                .ok_or("`--port` needs a value: a port number, a whole number from 1 to 65535")?
        } else if let Some(value) = arg.strip_prefix("--port=") {
            value
        } else {
            return Err(format!("`serve` takes only `--port N` (got `{arg}`)"));
        };
        port = parse_port(value)?;
    }
    Ok(port)
}

/// A port number from 1 to 65535.
fn parse_port(value: &str) -> Result<u16, String> {
    match value.parse::<u16>() {
        Ok(port) if port >= 1 => Ok(port),
        _ => Err(format!(
            "`--port {value}` is not allowed: --port must be a whole number from 1 to 65535"
        )),
    }
}

/// Take the port, build the site, serve it until the process is killed.
pub(crate) fn run(port: u16) -> Result<(), String> {
    // Bind first: a port in use fails in a second, not after a build.
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        if e.kind() == ErrorKind::AddrInUse {
            format!(
                "port {port} on 127.0.0.1 is already in use (is another server running?): \
                 stop it or choose another port with `--port N`"
            )
        } else {
            format!("cannot listen on 127.0.0.1:{port}: {e}")
        }
    })?;
    setup::run_for(Task::Serve)?;
    build::site()?;
    let root = build::site_dir()?;
    println!("\nserving archsim at http://127.0.0.1:{port}/");
    println!("(serving {}; stop with Ctrl-C)", root.display());
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                let root = root.clone();
                thread::spawn(move || {
                    if let Err(e) = handle(stream, &root) {
                        eprintln!("serve: connection failed: {e}");
                    }
                });
            }
            Err(e) => eprintln!("serve: could not accept a connection: {e}"),
        }
    }
    Ok(())
}

/// An answer to one request.
struct Response {
    status: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    /// A short plain-text answer (errors, redirects).
    fn text(status: &'static str, message: &str) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".to_owned())],
            body: format!("{status}: {message}\n").into_bytes(),
        }
    }
}

/// Read one request from `stream`, answer it, close the connection.
fn handle(mut stream: TcpStream, root: &Path) -> io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let head = read_head(&mut stream)?;
    let request_line = head.lines().next().unwrap_or_default();
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let head_only = method == "HEAD";
    let response = match method {
        "GET" | "HEAD" => respond(target, root),
        "" => Response::text("400 Bad Request", "no request line"),
        _ => {
            let mut response =
                Response::text("405 Method Not Allowed", "only GET and HEAD are served");
            response.headers.push(("Allow", "GET, HEAD".to_owned()));
            response
        }
    };
    println!(
        "serve: {method} {target} -> {} ({} bytes)",
        response.status,
        response.body.len()
    );
    let mut head_out = format!(
        "HTTP/1.1 {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n\
         X-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        response.status,
        response.body.len()
    );
    for (name, value) in &response.headers {
        head_out.push_str(&format!("{name}: {value}\r\n"));
    }
    head_out.push_str("\r\n");
    stream.write_all(head_out.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

/// The request line and headers, up to the blank line that ends them.
fn read_head(stream: &mut TcpStream) -> io::Result<String> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_HEAD_BYTES {
        let n = stream.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buffer[..n]);
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

/// The answer to GET `target` from the site in `root`.
fn respond(target: &str, root: &Path) -> Response {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    if !path.starts_with('/') {
        return Response::text("400 Bad Request", "the path must start with `/`");
    }
    let Some(decoded) = percent_decode(path) else {
        return Response::text(
            "400 Bad Request",
            "the path is not valid percent-encoded UTF-8",
        );
    };
    let Some(mut file) = resolve(root, &decoded) else {
        return Response::text("403 Forbidden", "paths with `..` are refused");
    };
    if file.is_dir() {
        if !decoded.ends_with('/') {
            let mut response = Response::text("301 Moved Permanently", "a folder");
            response.headers.push(("Location", format!("{path}/")));
            return response;
        }
        file.push("index.html");
    }
    match fs::read(&file) {
        Ok(body) => Response {
            status: "200 OK",
            headers: vec![("Content-Type", content_type(&file).to_owned())],
            body,
        },
        Err(e) if e.kind() == ErrorKind::NotFound || file.is_dir() => {
            Response::text("404 Not Found", &format!("no file at {path}"))
        }
        Err(e) => Response::text("500 Internal Server Error", &e.to_string()),
    }
}

/// The file under `root` that the decoded URL path names, or `None` if the
/// path tries to leave `root` (a `..` segment, a backslash, a NUL).
fn resolve(root: &Path, decoded: &str) -> Option<PathBuf> {
    let mut file = root.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty() && *s != ".") {
        if segment == ".." || segment.contains(['\\', '\0']) {
            return None;
        }
        file.push(segment);
    }
    Some(file)
}

/// `%XX` escapes decoded; `None` if one is malformed or the result is not
/// UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type for a file, by its extension.
fn content_type(file: &Path) -> &'static str {
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        Some("woff2") => "font/woff2",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::{content_type, parse_args, percent_decode, resolve};
    use std::path::Path;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn port_defaults_to_8080_and_takes_both_spellings() {
        assert_eq!(parse_args(&args(&[])), Ok(8080));
        assert_eq!(parse_args(&args(&["--port", "8799"])), Ok(8799));
        assert_eq!(parse_args(&args(&["--port=1"])), Ok(1));
        assert_eq!(parse_args(&args(&["--port", "65535"])), Ok(65535));
    }

    #[test]
    fn bad_ports_name_the_flag_the_value_and_the_range() {
        for bad in ["0", "65536", "x", "-1", ""] {
            let error = parse_args(&args(&["--port", bad])).unwrap_err();
            assert!(error.contains("--port"), "{error}");
            assert!(error.contains(&format!("`--port {bad}`")), "{error}");
            assert!(error.contains("1 to 65535"), "{error}");
        }
        assert!(parse_args(&args(&["--port"])).is_err());
        assert!(parse_args(&args(&["--verbose"])).is_err());
    }

    #[test]
    fn paths_stay_inside_the_site() {
        let root = Path::new("/site");
        assert_eq!(resolve(root, "/"), Some(root.to_path_buf()));
        assert_eq!(
            resolve(root, "/book/./a.html"),
            Some(root.join("book").join("a.html"))
        );
        assert_eq!(resolve(root, "//etc/passwd"), Some(root.join("etc/passwd")));
        assert_eq!(resolve(root, "/../secret"), None);
        assert_eq!(resolve(root, "/book/../../x"), None);
        assert_eq!(resolve(root, "/a\\..\\b"), None);
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("/a%20b").as_deref(), Some("/a b"));
        assert_eq!(percent_decode("/%2e%2e/x").as_deref(), Some("/../x"));
        assert_eq!(percent_decode("/%zz"), None);
        assert_eq!(percent_decode("/%2"), None);
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type(Path::new("a_bg.wasm")), "application/wasm");
        assert_eq!(
            content_type(Path::new("index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("f.woff2")), "font/woff2");
        assert_eq!(content_type(Path::new("x.bin")), "application/octet-stream");
    }
}
