//! `azure-pipelines/post-review.py`, which posts `nsi review`'s report as a pull-request
//! thread on Azure DevOps: run with the real `python3` against an HTTP server on 127.0.0.1
//! that records each request (method, path, headers without the token, body) and answers as
//! the Azure DevOps REST API does — and never, in any outcome, lets the token reach its log.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::REPO;
use common::http::{LoopbackServer, Recorded, Reply};
use serde_json::{Value, json};

const TOKEN: &str = "azp-Zm9vYmFyc2VjcmV0dG9rZW4xMjM0NTY";
const THREADS: &str = "/police-nsi/National%20Solutions%20Index/_apis/git/repositories/\
                       0f3c9e1a-repo/pullRequests/42/threads";
const REPORT: &str = "<!-- nsi-review -->\n## ❌ NSI review: blockers\n\n- `alpha-tool`: NSI202\n";

fn python() -> &'static str {
    let found = Command::new("python3").arg("--version").output();
    assert!(
        found.is_ok_and(|o| o.status.success()),
        "python3 is not on PATH: scripts/test requires it (Microsoft-hosted agents have it)"
    );
    "python3"
}

/// Run the poster with a pull request's variables, the collection at `collection`.
fn post(collection: &str, report: &str, review_status: &str) -> Output {
    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("review.md");
    std::fs::write(&file, report).expect("report");
    let output = Command::new(python())
        .arg(Path::new(REPO).join("azure-pipelines/post-review.py"))
        .arg(&file)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("SYSTEM_ACCESSTOKEN", TOKEN)
        .env("SYSTEM_COLLECTIONURI", collection)
        .env("SYSTEM_TEAMPROJECT", "National Solutions Index")
        .env("BUILD_REPOSITORY_ID", "0f3c9e1a-repo")
        .env("SYSTEM_PULLREQUEST_PULLREQUESTID", "42")
        .env("NSI_REVIEW_STATUS", review_status)
        .output()
        .expect("python3 runs");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    println!("──── post-review.py ────\n{log}");
    assert!(!log.contains(TOKEN), "the token reached the log:\n{log}");
    // Nor in the form Basic authentication would carry it.
    let encoded = "OmF6cC1abTl2WW1GeWMyVmpjbVYwZEc5clpXNHhNak0wTlRZ";
    assert!(
        !log.contains(encoded),
        "the encoded token reached the log:\n{log}"
    );
    output
}

fn server(existing: Value, fail_with: Option<u16>) -> LoopbackServer {
    LoopbackServer::start_redacting(Some(TOKEN.to_owned()), move |request: &Recorded| {
        if let Some(status) = fail_with {
            // A service that echoes the request's credentials in its error page.
            let echoed = request.header("authorization").unwrap_or_default();
            return Reply::json(status, &json!({"message": format!("refused: {echoed}")}));
        }
        match request.method.as_str() {
            "GET" => Reply::json(200, &existing),
            "POST" => Reply::json(200, &json!({"id": 101, "status": "active"})),
            _ => Reply::json(200, &json!({"id": 7})),
        }
    })
}

fn body(request: &Recorded) -> Value {
    serde_json::from_str(&request.body).expect("a JSON body")
}

fn check_headers(request: &Recorded) {
    assert_eq!(
        request.header("authorization"),
        Some("Bearer <token>"),
        "the pipeline's token, as a bearer token"
    );
    assert!(request.headers.iter().all(|(_, v)| !v.contains(TOKEN)));
    assert_eq!(request.header("accept"), Some("application/json"));
}

#[test]
fn a_first_review_is_posted_as_a_new_active_thread() {
    let server = server(json!({"value": [], "count": 0}), None);
    let output = post(&format!("{}/police-nsi/", server.url), REPORT, "1");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "posted the review as thread 101\n"
    );
    let requests = server.requests();
    let calls: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    let listed = format!("{THREADS}?api-version=7.1");
    assert_eq!(calls, [("GET", listed.as_str()), ("POST", listed.as_str())]);
    for request in &requests {
        check_headers(request);
    }
    assert_eq!(requests[1].header("content-type"), Some("application/json"));
    assert_eq!(
        body(&requests[1]),
        json!({"comments": [{"parentCommentId": 0, "content": REPORT, "commentType": 1}], "status": 1}),
        "one text comment holding the report, the thread active while there are blockers"
    );
}

#[test]
fn a_later_review_updates_its_own_thread_found_by_the_marker() {
    let threads = json!({"count": 3, "value": [
        {"id": 5, "isDeleted": false, "comments": [{"id": 1, "content": "Looks good to me"}]},
        {"id": 6, "isDeleted": true, "comments": [{"id": 1, "content": "<!-- nsi-review -->\nold, deleted"}]},
        {"id": 7, "isDeleted": false, "comments": [{"id": 3, "content": "<!-- nsi-review -->\n## earlier"},
                                                   {"id": 4, "content": "a reply"}]}
    ]});
    let server = server(threads, None);
    let clean = "<!-- nsi-review -->\n## ✅ NSI review: ready for the gatekeeper\n";
    let output = post(&format!("{}/police-nsi", server.url), clean, "0");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "updated the review in thread 7\n"
    );
    let requests = server.requests();
    let calls: Vec<(&str, String)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path.clone()))
        .collect();
    assert_eq!(
        calls,
        [
            ("GET", format!("{THREADS}?api-version=7.1")),
            ("PATCH", format!("{THREADS}/7/comments/3?api-version=7.1")),
            ("PATCH", format!("{THREADS}/7?api-version=7.1")),
        ]
    );
    requests.iter().for_each(check_headers);
    assert_eq!(body(&requests[1]), json!({"content": clean}));
    assert_eq!(
        body(&requests[2]),
        json!({"status": 2}),
        "resolved: no blocker left"
    );
}

#[test]
fn an_http_error_is_reported_without_the_token_even_when_the_service_echoes_it() {
    for status in [401, 500] {
        let server = server(json!({}), Some(status));
        let output = post(&format!("{}/police-nsi/", server.url), REPORT, "1");
        assert_eq!(output.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!(
                "post-review: GET /police-nsi/National%20Solutions%20Index/_apis/git/repositories/\
                 0f3c9e1a-repo/pullRequests/42/threads failed: HTTP {status}"
            )),
            "{stderr}"
        );
        assert!(
            stderr.contains("refused: Bearer ***"),
            "echoed, then masked: {stderr}"
        );
        assert_eq!(server.requests().len(), 1, "nothing posted after a failure");
    }
}

#[test]
fn an_unreachable_service_and_missing_variables_are_clear_errors() {
    // A port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("address")
        .port();
    let output = post(&format!("http://127.0.0.1:{port}/police-nsi/"), REPORT, "1");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("refused"),
        "{output:?}"
    );

    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("review.md");
    std::fs::write(&file, REPORT).expect("report");
    let output = Command::new(python())
        .arg(Path::new(REPO).join("azure-pipelines/post-review.py"))
        .arg(&file)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .expect("python3");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("SYSTEM_ACCESSTOKEN is not set: map it on the step"),
        "{output:?}"
    );
}
