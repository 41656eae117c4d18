//! A small HTTP/1.1 server on the loopback address, for tests of what talks to a web service:
//! it records each request (method, path, headers, body) and answers with what the test's
//! handler says. One request per connection; it stops when dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// A request as received.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// `GET`, `POST`, `PATCH` …
    pub method: String,
    /// The path and query, e.g. `/org/project/_apis/…?api-version=7.1`.
    pub path: String,
    /// Headers as sent (names lowercased), with the secret given to
    /// [`LoopbackServer::start_redacting`] replaced by `<token>`.
    pub headers: Vec<(String, String)>,
    /// The body, as text.
    pub body: String,
}

impl Recorded {
    /// The value of header `name` (lowercase), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What to answer.
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
    /// Its media type.
    pub content_type: &'static str,
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Reply {
            status,
            body: body.to_string().into_bytes(),
            content_type: "application/json; charset=utf-8",
        }
    }

    /// Bytes, e.g. a file to download.
    pub fn bytes(status: u16, body: Vec<u8>) -> Self {
        Reply {
            status,
            body,
            content_type: "application/octet-stream",
        }
    }
}

/// The server: its base URL and what it received.
pub struct LoopbackServer {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

impl LoopbackServer {
    /// Listen on a free port of 127.0.0.1, answering with `handler`.
    pub fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        Self::start_redacting(None, handler)
    }

    /// Like [`LoopbackServer::start`], recording `secret` (wherever it appears in a header or
    /// the body) as `<token>`, so the record itself never holds it.
    pub fn start_redacting(
        secret: Option<String>,
        handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let thread = {
            let (requests, stop) = (Arc::clone(&requests), Arc::clone(&stop));
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let Ok(stream) = stream else { continue };
                    // The handler sees the real request; only the record is redacted.
                    if let Some((request, recorded)) = read_request(&stream, secret.as_deref()) {
                        let reply = handler(&request);
                        requests.lock().expect("lock").push(recorded);
                        let _ = write_reply(stream, &reply);
                    }
                }
            })
        };
        LoopbackServer {
            url,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().expect("lock").clone()
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn read_request(stream: &TcpStream, secret: Option<&str>) -> Option<(Recorded, Recorded)> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let path = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let request = Recorded {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let redact = |text: &str| match secret {
        Some(secret) if !secret.is_empty() => text.replace(secret, "<token>"),
        _ => text.to_owned(),
    };
    let recorded = Recorded {
        method: request.method.clone(),
        path: redact(&request.path),
        headers: request
            .headers
            .iter()
            .map(|(n, v)| (n.clone(), redact(v)))
            .collect(),
        body: redact(&request.body),
    };
    Some((request, recorded))
}

fn write_reply(mut stream: TcpStream, reply: &Reply) -> std::io::Result<()> {
    let reason = match reply.status {
        200 => "OK",
        201 => "Created",
        401 => "Unauthorized",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Status",
    };
    write!(
        stream,
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        reply.status,
        reply.content_type,
        reply.body.len()
    )?;
    stream.write_all(&reply.body)?;
    stream.flush()
}
