//! `nsi lsp`, the language server: the real binary spoken to over its stdin and stdout in
//! JSON-RPC, as an editor would, and a real editor — Debian's Neovim, headless — attached to
//! it. Findings must be `nsi validate`'s own (codes, lines, columns), as the text is typed.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use common::{REPO, catalogue, nsi};
use serde_json::{Value, json};

const TODAY: &str = "2026-11-28";
const WAIT: Duration = Duration::from_secs(20);

fn entry(id: &str, force: &str) -> String {
    std::fs::read_to_string(Path::new(REPO).join("tests/data/minimal-entry.yaml"))
        .expect("template")
        .replace("ID", id)
        .replace("FORCE", force)
}

/// An entry in `kent/` with four mistakes: its owner is another force (NSI202), its phase is
/// misspelt (NSI104), a category is unknown (NSI205) and its id is not its file name (NSI201)
/// but the name of another entry (NSI203).
fn broken() -> String {
    entry("beta-tool", "essex")
        .replace("phase: live", "phase: livee")
        .replace(
            "  - data-analytics",
            "  - data-analytics\n  - criminal-justise",
        )
}

/// The catalogue the tests open: the broken entry and the entry whose id it takes.
fn workspace() -> tempfile::TempDir {
    catalogue(&[
        ("kent/alpha-tool.yaml", &broken()),
        ("kent/beta-tool.yaml", &entry("beta-tool", "kent")),
    ])
}

fn uri_of(path: &Path) -> String {
    let path = path.display().to_string().replace('\\', "/");
    if path.starts_with('/') {
        format!("file://{path}")
    } else {
        format!("file:///{path}")
    }
}

/// `nsi lsp` and the messages it sends, read on a thread of their own.
struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: u64,
    /// Notifications received while waiting for something else.
    notifications: Vec<Value>,
}

impl Server {
    fn start(dir: &Path, capabilities: &Value) -> Self {
        // The environment of common::nsi, on a std Command (for its pipes).
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("nsi"))
            .arg("lsp")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("NO_COLOR", "1")
            .env("NSI_TODAY", TODAY)
            .env("NSI_INDEX_IN_BACKGROUND", "false")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("nsi lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 {
                        return;
                    }
                    let header = header.trim_end();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(n) = header.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                reader.read_exact(&mut body).expect("a whole message");
                let message: Value = serde_json::from_slice(&body).expect("JSON-RPC is JSON");
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        let mut server = Server {
            child,
            stdin,
            messages,
            next_id: 0,
            notifications: Vec::new(),
        };
        let initialized = server.request(
            "initialize",
            &json!({"processId": null, "rootUri": uri_of(dir), "capabilities": capabilities}),
        );
        assert_eq!(initialized["serverInfo"]["name"], "nsi");
        server.notify("initialized", &json!({}));
        server
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: &Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn receive(&mut self, deadline: Instant) -> Value {
        match self
            .messages
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("nsi lsp said nothing in {WAIT:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("nsi lsp closed its output"),
        }
    }

    fn request(&mut self, method: &str, params: &Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + WAIT;
        loop {
            let message = self.receive(deadline);
            if message["id"] == id {
                assert!(message["error"].is_null(), "{method}: {message}");
                return message["result"].clone();
            }
            self.notifications.push(message);
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        if let Some(i) = self.notifications.iter().position(|n| {
            n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri
        }) {
            let found = self.notifications.remove(i);
            return found["params"]["diagnostics"]
                .as_array()
                .expect("a list")
                .clone();
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let message = self.receive(deadline);
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"]["diagnostics"]
                    .as_array()
                    .expect("a list")
                    .clone();
            }
            self.notifications.push(message);
        }
    }

    fn open(&mut self, path: &Path, text: &str) -> Vec<Value> {
        let uri = uri_of(path);
        self.notify(
            "textDocument/didOpen",
            &json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        );
        self.diagnostics(&uri)
    }

    fn change(&mut self, path: &Path, version: u32, text: &str) -> Vec<Value> {
        let uri = uri_of(path);
        self.notify(
            "textDocument/didChange",
            &json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
        self.diagnostics(&uri)
    }

    fn completion(&mut self, path: &Path, line: usize, character: usize) -> Vec<Value> {
        let result = self.request(
            "textDocument/completion",
            &json!({"textDocument": {"uri": uri_of(path)}, "position": {"line": line, "character": character}}),
        );
        result["items"]
            .as_array()
            .expect("a completion list")
            .clone()
    }

    /// Shut down as an editor does; the server must exit 0.
    fn shut_down(mut self) {
        assert!(self.request("shutdown", &Value::Null).is_null());
        self.notify("exit", &Value::Null);
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(status.success(), "nsi lsp exited with {status}");
                return;
            }
            assert!(Instant::now() < deadline, "nsi lsp did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `nsi validate --format json FILE`'s findings as (code, line, column).
fn validate(dir: &Path, file: &str) -> Vec<(String, u64, u64)> {
    let output = nsi(dir)
        .args(["validate", "--format", "json", file])
        .output()
        .expect("nsi validate");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let mut found: Vec<(String, u64, u64)> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().expect("code").to_owned(),
                d["line"].as_u64().expect("line"),
                d["column"].as_u64().expect("column"),
            )
        })
        .collect();
    found.sort();
    found
}

/// The editor's findings as (code, line, column), 1-based as nsi validate counts.
fn as_validated(diagnostics: &[Value]) -> Vec<(String, u64, u64)> {
    let mut found: Vec<(String, u64, u64)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().expect("code").to_owned(),
                d["range"]["start"]["line"].as_u64().expect("line") + 1,
                d["range"]["start"]["character"]
                    .as_u64()
                    .expect("character")
                    + 1,
            )
        })
        .collect();
    found.sort();
    found
}

fn line_of(text: &str, start: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line starting {start}"))
}

#[test]
fn findings_are_nsi_validates_own_and_follow_unsaved_edits() {
    let dir = workspace();
    let file = dir.path().join("catalogue/kent/alpha-tool.yaml");
    let mut server = Server::start(dir.path(), &json!({}));
    let opened = server.open(&file, &broken());
    let expected = validate(dir.path(), "catalogue/kent/alpha-tool.yaml");
    let codes: Vec<&str> = expected.iter().map(|(code, _, _)| code.as_str()).collect();
    for code in ["NSI104", "NSI201", "NSI202", "NSI203", "NSI205"] {
        assert!(
            codes.contains(&code),
            "the broken entry gives {code}: {expected:?}"
        );
    }
    assert_eq!(as_validated(&opened), expected);
    let owner = opened
        .iter()
        .find(|d| d["code"] == "NSI202")
        .expect("the owner finding");
    assert_eq!(owner["severity"], 1, "an error");
    assert_eq!(owner["source"], "nsi");
    assert!(
        owner["message"]
            .as_str()
            .expect("message")
            .contains("the owner force `essex` differs from the folder `kent/`"),
        "{owner}"
    );
    let line = line_of(&broken(), "owner_force:");
    assert_eq!(
        owner["range"],
        json!({"start": {"line": line, "character": 13}, "end": {"line": line, "character": 18}}),
        "the value underlined"
    );

    // Typing, unsaved: the owner corrected, then a new mistake.
    let fixed_owner = broken().replace("owner_force: essex", "owner_force: kent");
    let after = server.change(&file, 2, &fixed_owner);
    assert!(!after.iter().any(|d| d["code"] == "NSI202"), "{after:?}");
    let everything_fixed = entry("alpha-tool", "kent");
    assert_eq!(
        server.change(&file, 3, &everything_fixed),
        Vec::<Value>::new()
    );
    let broken_yaml = everything_fixed.replace("phase: live", "phase: [live");
    let syntax = server.change(&file, 4, &broken_yaml);
    assert_eq!(
        syntax.first().map(|d| d["code"].clone()),
        Some(json!("NSI004")),
        "{syntax:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).expect("the file"),
        broken(),
        "nothing is written to disk"
    );
    server.shut_down();
}

#[test]
fn completion_offers_the_reference_lists_with_their_names_in_block_and_flow_yaml() {
    let dir = workspace();
    let file = dir.path().join("catalogue/kent/alpha-tool.yaml");
    let text = entry("alpha-tool", "kent")
        .replace("owner_force: kent", "owner_force: west")
        .replace(
            "  - role: software-development\n    level: working",
            "  - {role: , level: working}\n  - role: data\n    level: ",
        );
    let mut server = Server::start(dir.path(), &json!({}));
    server.open(&file, &text);

    let owner = line_of(&text, "owner_force:");
    let forces = server.completion(&file, owner, "owner_force: west".len());
    let labels: Vec<&str> = forces
        .iter()
        .map(|i| i["label"].as_str().expect("label"))
        .collect();
    assert_eq!(
        labels,
        ["west-mercia", "west-midlands", "west-yorkshire"],
        "the forces whose slug or name holds `west`, from schema/reference/forces.yaml"
    );
    assert_eq!(forces[2]["detail"], "West Yorkshire Police");
    assert_eq!(
        forces[0]["textEdit"],
        json!({"range": {"start": {"line": owner, "character": 13}, "end": {"line": owner, "character": 17}},
               "newText": "west-mercia"}),
        "the whole typed value is replaced"
    );

    let flow = line_of(&text, "  - {role: ");
    let roles = server.completion(&file, flow, "  - {role: ".len());
    assert!(
        roles
            .iter()
            .any(|i| i["label"] == "software-development" && i["detail"] == "Software development"),
        "{roles:?}"
    );
    assert_eq!(roles.len(), 8, "every DDaT role family");

    let level = text
        .lines()
        .position(|l| l == "    level: ")
        .expect("the empty level");
    let levels = server.completion(&file, level, "    level: ".len());
    let labels: Vec<&str> = levels
        .iter()
        .map(|i| i["label"].as_str().expect("label"))
        .collect();
    assert_eq!(
        labels,
        ["awareness", "working", "practitioner", "expert"],
        "the schema's order"
    );

    let phase = line_of(&text, "phase:");
    let phases = server.completion(&file, phase, "phase: ".len());
    assert_eq!(phases.len(), 5, "{phases:?}");
    let title = line_of(&text, "title:");
    assert!(
        server.completion(&file, title, 10).is_empty(),
        "free text has no choices"
    );
    server.shut_down();
}

#[test]
fn hover_shows_the_schemas_description_and_a_slugs_name() {
    let dir = workspace();
    let file = dir.path().join("catalogue/kent/alpha-tool.yaml");
    let text = entry("alpha-tool", "kent");
    let mut server = Server::start(dir.path(), &json!({}));
    server.open(&file, &text);
    let hover = |server: &mut Server, line: usize, character: usize| {
        server.request(
            "textDocument/hover",
            &json!({"textDocument": {"uri": uri_of(&file)}, "position": {"line": line, "character": character}}),
        )
    };
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(REPO).join("schema/solution.schema.json"))
            .expect("schema"),
    )
    .expect("JSON");
    let owner = line_of(&text, "owner_force:");
    let on_key = hover(&mut server, owner, 3);
    let shown = on_key["contents"]["value"].as_str().expect("markdown");
    assert!(
        shown.contains(
            schema["properties"]["owner_force"]["description"]
                .as_str()
                .expect("description")
        ),
        "{shown}"
    );
    let on_value = hover(&mut server, owner, 15);
    assert_eq!(on_value["contents"]["value"], "**kent**: Kent Police");
    let deployment = line_of(&text, "  deployment:");
    let nested = hover(&mut server, deployment, 4);
    assert!(
        nested["contents"]["value"]
            .as_str()
            .expect("markdown")
            .contains("Where it runs"),
        "{nested}"
    );
    server.shut_down();
}

#[test]
fn quick_fixes_for_the_owner_the_id_and_misspelt_values() {
    let dir = workspace();
    let file = dir.path().join("catalogue/kent/alpha-tool.yaml");
    let text = broken().replace("id: beta-tool", "id: gamma-tool");
    let mut server = Server::start(
        dir.path(),
        &json!({"workspace": {"workspaceEdit": {"resourceOperations": ["create", "rename", "delete"]}}}),
    );
    let diagnostics = server.open(&file, &text);
    let actions_for = |server: &mut Server, code: &str| -> Vec<Value> {
        let diagnostic = diagnostics
            .iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("no {code} in {diagnostics:?}"))
            .clone();
        let result = server.request(
            "textDocument/codeAction",
            &json!({"textDocument": {"uri": uri_of(&file)}, "range": diagnostic["range"],
                    "context": {"diagnostics": [diagnostic]}}),
        );
        result
            .as_array()
            .expect("actions")
            .iter()
            .filter(|a| a["diagnostics"][0]["code"] == code)
            .cloned()
            .collect()
    };
    let uri = uri_of(&file);
    let owner = actions_for(&mut server, "NSI202");
    let set = owner
        .iter()
        .find(|a| a["title"] == "Set `owner_force` to `kent` (the folder)")
        .unwrap_or_else(|| panic!("{owner:?}"));
    assert_eq!(set["kind"], "quickfix");
    let line = line_of(&text, "owner_force:");
    assert_eq!(
        set["edit"]["changes"][&uri],
        json!([{"range": {"start": {"line": line, "character": 13}, "end": {"line": line, "character": 18}}, "newText": "kent"}])
    );
    let moved = owner
        .iter()
        .find(|a| a["title"] == "Move the file to `catalogue/essex/`")
        .unwrap_or_else(|| panic!("{owner:?}"));
    assert_eq!(
        moved["edit"]["documentChanges"][0],
        json!({"kind": "rename", "oldUri": uri, "newUri": uri_of(&dir.path().join("catalogue/essex/alpha-tool.yaml"))})
    );

    let id = actions_for(&mut server, "NSI201");
    let titles: Vec<&str> = id
        .iter()
        .map(|a| a["title"].as_str().expect("title"))
        .collect();
    assert_eq!(
        titles,
        [
            "Set `id` to `alpha-tool` (the file name)",
            "Rename the file to `gamma-tool.yaml`"
        ]
    );
    assert_eq!(
        id[1]["isPreferred"], true,
        "ids are permanent: renaming the file comes first"
    );

    let phase = actions_for(&mut server, "NSI104");
    assert_eq!(phase[0]["title"], "Replace with `live`");
    let category = actions_for(&mut server, "NSI205");
    assert_eq!(category[0]["title"], "Replace with `criminal-justice`");
    let fixed_line = line_of(&text, "  - criminal-justise");
    assert_eq!(
        category[0]["edit"]["changes"][&uri][0]["range"]["start"],
        json!({"line": fixed_line, "character": 4})
    );
    server.shut_down();
}

/// Debian's Neovim, which scripts/test installs.
fn neovim() -> PathBuf {
    let found = std::env::var_os("PATH")
        .map(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join("nvim"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .find(|candidate| candidate.is_file());
    found.unwrap_or_else(|| {
        panic!(
            "Neovim (`nvim`) is not installed: scripts/test installs it (apt-get install neovim)"
        )
    })
}

/// Run tests/editors/neovim.lua in a headless Neovim on `file` of the catalogue in `dir`, and
/// read back what it wrote.
fn run_neovim(dir: &Path, file: &Path) -> Value {
    let nvim = neovim();
    let out = dir.join("neovim.json");
    let mut child = Command::new(&nvim)
        .args([
            "--headless",
            "--clean",
            "-n",
            "-i",
            "NONE",
            "-u",
            "NONE",
            "-c",
        ])
        .arg(format!(
            "luafile {}",
            Path::new(REPO).join("tests/editors/neovim.lua").display()
        ))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("NSI_TODAY", TODAY)
        .env("NSI_INDEX_IN_BACKGROUND", "false")
        .env("NSI_BIN", assert_cmd::cargo::cargo_bin("nsi"))
        .env("NSI_ROOT", dir)
        .env("NSI_ENTRY", file)
        .env("NSI_NVIM_OUT", &out)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nvim starts");
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("Neovim did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let report: Value = serde_json::from_str(
        &std::fs::read_to_string(&out).expect("the script writes what Neovim read"),
    )
    .expect("JSON");
    println!(
        "what Neovim read: {}",
        serde_json::to_string_pretty(&report).expect("json")
    );
    assert!(status.success(), "Neovim failed: {}", report["error"]);
    report
}

#[test]
fn neovim_shows_the_findings_and_completes_a_force_slug_as_you_type() {
    let dir = workspace();
    let file = dir.path().join("catalogue/kent/alpha-tool.yaml");
    let report = run_neovim(dir.path(), &file);

    // What Neovim shows is what nsi validate reports: code, line and column (0-based there).
    let mut shown: Vec<(String, u64, u64)> = report["opened"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().expect("code").to_owned(),
                d["lnum"].as_u64().expect("lnum") + 1,
                d["col"].as_u64().expect("col") + 1,
            )
        })
        .collect();
    shown.sort();
    assert_eq!(
        shown,
        validate(dir.path(), "catalogue/kent/alpha-tool.yaml")
    );
    assert!(
        report["opened"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .any(|d| d["code"] == "NSI104"
                && d["message"].as_str().is_some_and(
                    |m| m.contains("`phase` is `livee`") && m.contains("did you mean `live`?")
                )),
        "{}",
        report["opened"]
    );

    // `owner_force: ke` completes to Kent Police's slug.
    let first = &report["completion"][0];
    assert_eq!(first["label"], "kent");
    assert_eq!(first["detail"], "Kent Police");
    assert_eq!(first["new_text"], "kent");

    // Accepting it cleared the owner findings, unsaved.
    let codes: Vec<&str> = report["edited"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("code"))
        .collect();
    assert!(
        !codes.contains(&"NSI202") && codes.contains(&"NSI104"),
        "{codes:?}"
    );
    assert_eq!(report["modified"], true, "the buffer was never saved");
    assert_eq!(std::fs::read_to_string(&file).expect("file"), broken());
}

#[test]
fn vscode_maps_the_entry_schema_to_the_entries_and_recommends_the_yaml_extension() {
    let read = |file: &str| -> Value {
        serde_json::from_str(
            &std::fs::read_to_string(Path::new(REPO).join(file)).expect("the file is shipped"),
        )
        .unwrap_or_else(|e| panic!("{file} is JSON: {e}"))
    };
    let settings = read(".vscode/settings.json");
    let schemas = settings["yaml.schemas"].as_object().expect("yaml.schemas");
    let (schema, globs) = schemas.iter().next().expect("one mapping");
    assert!(Path::new(REPO).join(schema).is_file(), "{schema} exists");
    assert_eq!(schema, "./schema/solution.schema.json");
    assert_eq!(globs, &json!(["catalogue/**/*.yaml"]));
    assert_eq!(
        read(".vscode/extensions.json")["recommendations"],
        json!(["redhat.vscode-yaml"])
    );
}
