//! The language server's protocol: JSON-RPC over stdio (`lsp-server`), the types of the
//! Language Server Protocol (`lsp-types`), and the conversions between an editor's positions
//! (0-based lines, UTF-16 offsets) and nsi's (1-based lines and columns in characters). What
//! is said — findings, choices, descriptions, fixes — comes from the domain: validation and
//! [`crate::catalogue::editing`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, Completion, HoverRequest, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, CompletionItem, CompletionItemKind, CompletionList,
    CompletionOptions, CompletionParams, CompletionResponse, CompletionTextEdit,
    DiagnosticSeverity, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, DocumentChangeOperation, DocumentChanges,
    Documentation, Hover, HoverContents, HoverParams, HoverProviderCapability, InitializeParams,
    MarkupContent, MarkupKind, NumberOrString, PublishDiagnosticsParams, Range, RenameFile,
    ResourceOp, ResourceOperationKind, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, TextEdit, Uri,
    WorkspaceEdit,
};

use crate::catalogue::Catalogue;
use crate::catalogue::diagnostic::{Diagnostic, Position, Severity};
use crate::catalogue::editing::{self, FixChange};
use crate::catalogue::load::{self, EntryFile};
use crate::catalogue::reference::Reference;
use crate::catalogue::validate::{EntryChecker, ValidationOptions};
use crate::cli::error::CliError;

/// What the server needs to know at start.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// The date against which dates are judged (as `nsi validate --today`).
    pub today: NaiveDate,
}

/// Serve one editor over stdin and stdout until it shuts the server down.
pub fn serve_stdio(options: ServerOptions) -> Result<(), CliError> {
    let (connection, io_threads) = Connection::stdio();
    serve(&connection, options)?;
    // Drop the connection first: the writer thread ends when its sender is gone.
    drop(connection);
    io_threads
        .join()
        .map_err(|e| CliError::io(format!("the editor's connection failed: {e}")))
}

fn protocol_error(error: impl std::fmt::Display) -> CliError {
    CliError::io(format!("language server protocol: {error}"))
}

/// Speak the protocol on `connection`: initialise, then answer until `shutdown` and `exit`.
pub fn serve(connection: &Connection, options: ServerOptions) -> Result<(), CliError> {
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some([" ", ":", "-", ",", "{", "["].map(str::to_owned).to_vec()),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    };
    let (id, params) = connection.initialize_start().map_err(protocol_error)?;
    let params: InitializeParams = serde_json::from_value(params).map_err(protocol_error)?;
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo {
            name: "nsi".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        },
    });
    connection
        .initialize_finish(id, result)
        .map_err(protocol_error)?;
    let can_move_files = params
        .capabilities
        .workspace
        .and_then(|w| w.workspace_edit)
        .and_then(|e| e.resource_operations)
        .is_some_and(|ops| ops.contains(&ResourceOperationKind::Rename));
    let mut server = Server {
        options,
        can_move_files,
        documents: HashMap::new(),
        workspaces: HashMap::new(),
    };
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection
                    .handle_shutdown(&request)
                    .map_err(protocol_error)?
                {
                    return Ok(());
                }
                let response = server.answer(request);
                connection
                    .sender
                    .send(Message::Response(response))
                    .map_err(protocol_error)?;
            }
            Message::Notification(notification) => {
                for out in server.notice(notification) {
                    connection
                        .sender
                        .send(Message::Notification(out))
                        .map_err(protocol_error)?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// An open document.
struct OpenDocument {
    uri: Uri,
    path: PathBuf,
    version: i32,
    text: String,
    /// Its catalogue root, when it is an entry file of a catalogue.
    root: Option<PathBuf>,
    /// The findings last published for it.
    findings: Vec<Diagnostic>,
}

/// A catalogue an open document belongs to: its rules, compiled once, and its files.
struct Workspace {
    checker: EntryChecker,
    /// Every entry file of the catalogue, for unique ids (refreshed when a file is opened or
    /// saved).
    files: Vec<EntryFile>,
}

struct Server {
    options: ServerOptions,
    can_move_files: bool,
    documents: HashMap<Uri, OpenDocument>,
    workspaces: HashMap<PathBuf, Workspace>,
}

impl Server {
    fn answer(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            Completion::METHOD => {
                params::<CompletionParams>(request).map(|p| serde_json::to_value(self.complete(&p)))
            }
            HoverRequest::METHOD => {
                params::<HoverParams>(request).map(|p| serde_json::to_value(self.hover(&p)))
            }
            CodeActionRequest::METHOD => params::<CodeActionParams>(request)
                .map(|p| serde_json::to_value(self.code_actions(&p))),
            other => {
                return Response::new_err(
                    id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("nsi does not answer {other}"),
                );
            }
        };
        match result {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err(error)) | Err(error) => invalid(id, &error),
        }
    }

    fn notice(&mut self, notification: Notification) -> Vec<Notification> {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) =
                    notification.extract::<DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                else {
                    return Vec::new();
                };
                let document = p.text_document;
                self.open(document.uri, document.version, document.text, true)
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = notification
                    .extract::<DidChangeTextDocumentParams>(DidChangeTextDocument::METHOD)
                else {
                    return Vec::new();
                };
                // Full sync: the last change holds the whole text.
                let Some(change) = p.content_changes.into_iter().last() else {
                    return Vec::new();
                };
                self.open(
                    p.text_document.uri,
                    p.text_document.version,
                    change.text,
                    false,
                )
            }
            DidSaveTextDocument::METHOD => {
                let Ok(p) =
                    notification.extract::<DidSaveTextDocumentParams>(DidSaveTextDocument::METHOD)
                else {
                    return Vec::new();
                };
                match self.documents.get(&p.text_document.uri) {
                    Some(document) => {
                        let (uri, version, text) = (
                            document.uri.clone(),
                            document.version,
                            document.text.clone(),
                        );
                        self.open(uri, version, text, true)
                    }
                    None => Vec::new(),
                }
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = notification
                    .extract::<DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                else {
                    return Vec::new();
                };
                self.documents.remove(&p.text_document.uri);
                vec![publish(&p.text_document.uri, Vec::new(), None)]
            }
            _ => Vec::new(),
        }
    }

    /// Take the document's new text, check it, and publish its findings.
    fn open(&mut self, uri: Uri, version: i32, text: String, relist: bool) -> Vec<Notification> {
        let Some(path) = path_of(&uri) else {
            return Vec::new();
        };
        let root = catalogue_root_of(&path);
        let mut document = OpenDocument {
            uri: uri.clone(),
            path,
            version,
            text,
            root,
            findings: Vec::new(),
        };
        if let Some(root) = document.root.clone() {
            match self.workspace(&root, relist) {
                Ok(workspace) => document.findings = check(workspace, &root, &document),
                Err(error) => {
                    // A broken schema/ or nsi.toml: say so where the editor shows findings.
                    let mut finding = Diagnostic::new(
                        &crate::catalogue::validate::rules::SCHEMA,
                        document.path.clone(),
                        Position::START,
                        error,
                    );
                    finding.code = "nsi";
                    document.findings = vec![finding];
                }
            }
        }
        let diagnostics = document
            .findings
            .iter()
            .map(|d| to_lsp_diagnostic(&document.text, d))
            .collect();
        let out = publish(&uri, diagnostics, Some(version));
        self.documents.insert(uri, document);
        vec![out]
    }

    /// The catalogue at `root`, set up on first use; its files listed again when `relist`.
    fn workspace(&mut self, root: &Path, relist: bool) -> Result<&Workspace, String> {
        if !self.workspaces.contains_key(root) {
            // The one way every command opens a catalogue: its settings, lists and schema.
            let catalogue = Catalogue::open(Some(root), root, |name| std::env::var_os(name))
                .map_err(|e| e.to_string())?;
            let options = ValidationOptions {
                strict: false,
                today: self.options.today,
            };
            let checker = catalogue
                .checker(options)
                .map_err(|e| e.to_string())?
                .findings_only();
            self.workspaces.insert(
                root.to_path_buf(),
                Workspace {
                    checker,
                    files: Vec::new(),
                },
            );
        }
        let workspace = self
            .workspaces
            .get_mut(root)
            .ok_or_else(|| "no workspace".to_owned())?;
        if relist || workspace.files.is_empty() {
            workspace.files = load::discover(root).map(|d| d.files).unwrap_or_default();
        }
        Ok(workspace)
    }

    fn reference_for(&self, document: &OpenDocument) -> Option<&Reference> {
        let root = document.root.as_ref()?;
        self.workspaces.get(root).map(|w| w.checker.reference())
    }

    fn complete(&self, params: &CompletionParams) -> CompletionResponse {
        let place = &params.text_document_position;
        let empty = CompletionResponse::List(CompletionList {
            is_incomplete: false,
            items: Vec::new(),
        });
        let Some(document) = self.documents.get(&place.text_document.uri) else {
            return empty;
        };
        let Some(reference) = self.reference_for(document) else {
            return empty;
        };
        let cursor = from_lsp(&document.text, place.position);
        let Some(value) = editing::value_at(&document.text, cursor) else {
            return empty;
        };
        let range = Range {
            start: to_lsp(&document.text, value.start),
            end: to_lsp(&document.text, value.end),
        };
        let items = editing::completions(reference, &value)
            .into_iter()
            .enumerate()
            .map(|(rank, choice)| CompletionItem {
                label: choice.value.clone(),
                kind: Some(CompletionItemKind::ENUM_MEMBER),
                detail: Some(choice.detail.clone()),
                documentation: choice.documentation.map(Documentation::String),
                // Editors match what is typed against this: the slug, then its name.
                filter_text: Some(format!("{} {}", choice.value, choice.detail)),
                sort_text: Some(format!("{rank:04}")),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                    range,
                    new_text: if value.needs_space {
                        format!(" {}", choice.value)
                    } else {
                        choice.value
                    },
                })),
                ..CompletionItem::default()
            })
            .collect();
        // Narrowed by what is typed: the editor asks again as typing goes on.
        CompletionResponse::List(CompletionList {
            is_incomplete: true,
            items,
        })
    }

    fn hover(&self, params: &HoverParams) -> Option<Hover> {
        let place = &params.text_document_position_params;
        let document = self.documents.get(&place.text_document.uri)?;
        let reference = self.reference_for(document)?;
        let cursor = from_lsp(&document.text, place.position);
        let (text, start, end) = if let Some(key) = editing::key_at(&document.text, cursor) {
            let description = editing::description(reference, &key.pointer)?;
            (
                format!("**{}**\n\n{description}", key.key),
                key.start,
                key.end,
            )
        } else {
            let value = editing::value_at(&document.text, cursor)?;
            let (start, end) = editing::extent(&document.text, value.start);
            let written: String = document
                .text
                .split('\n')
                .nth(start.line - 1)?
                .chars()
                .skip(start.column - 1)
                .take(end.column - start.column)
                .collect();
            let written = written.trim_matches(|c| c == '\'' || c == '"');
            let name = editing::value_name(reference, &value.pointer, written)?;
            (format!("**{written}**: {name}"), start, end)
        };
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text,
            }),
            range: Some(Range {
                start: to_lsp(&document.text, start),
                end: to_lsp(&document.text, end),
            }),
        })
    }

    fn code_actions(&self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let Some(document) = self.documents.get(&params.text_document.uri) else {
            return Vec::new();
        };
        let Some(reference) = self.reference_for(document) else {
            return Vec::new();
        };
        let Some(root) = &document.root else {
            return Vec::new();
        };
        let file = EntryFile::new(&document.path, load::display_path(root, &document.path));
        let wanted = params.range;
        let mut actions = Vec::new();
        for finding in &document.findings {
            let lsp = to_lsp_diagnostic(&document.text, finding);
            if lsp.range.end.line < wanted.start.line || lsp.range.start.line > wanted.end.line {
                continue;
            }
            for fix in editing::fixes(reference, &file, &document.text, finding) {
                let edit = match fix.change {
                    FixChange::Replace { start, end, text } => WorkspaceEdit {
                        changes: Some(HashMap::from([(
                            document.uri.clone(),
                            vec![TextEdit {
                                range: Range {
                                    start: to_lsp(&document.text, start),
                                    end: to_lsp(&document.text, end),
                                },
                                new_text: text,
                            }],
                        )])),
                        ..WorkspaceEdit::default()
                    },
                    FixChange::MoveFile { to } => {
                        if !self.can_move_files || to.exists() {
                            continue;
                        }
                        let Some(new_uri) = uri_of(&to) else { continue };
                        WorkspaceEdit {
                            document_changes: Some(DocumentChanges::Operations(vec![
                                DocumentChangeOperation::Op(ResourceOp::Rename(RenameFile {
                                    old_uri: document.uri.clone(),
                                    new_uri,
                                    options: None,
                                    annotation_id: None,
                                })),
                            ])),
                            ..WorkspaceEdit::default()
                        }
                    }
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![lsp.clone()]),
                    edit: Some(edit),
                    is_preferred: Some(fix.preferred),
                    ..CodeAction::default()
                }));
            }
        }
        actions
    }
}

/// The findings for a document, as `nsi validate FILE` gives them for the same text: where
/// the file is (NSI012, NSI013) when it is on disk, its own findings and unique ids.
fn check(workspace: &Workspace, root: &Path, document: &OpenDocument) -> Vec<Diagnostic> {
    let file = EntryFile::new(&document.path, load::display_path(root, &document.path));
    let mut findings = Vec::new();
    let mut is_entry = true;
    if document.path.exists()
        && let Ok(discovery) = load::discover_paths(root, std::slice::from_ref(&document.path))
    {
        is_entry = !discovery.files.is_empty();
        findings.extend(discovery.diagnostics);
    }
    if is_entry {
        let same = |other: &EntryFile| {
            other.path == document.path
                || matches!(
                    (other.path.canonicalize(), document.path.canonicalize()),
                    (Ok(a), Ok(b)) if a == b
                )
        };
        let others: Vec<EntryFile> = workspace
            .files
            .iter()
            .filter(|other| !same(other))
            .cloned()
            .collect();
        findings.extend(
            workspace
                .checker
                .check_text_among(&file, &document.text, &others),
        );
    }
    findings
}

fn params<P: serde::de::DeserializeOwned>(request: Request) -> Result<P, serde_json::Error> {
    serde_json::from_value(request.params)
}

fn invalid(id: RequestId, error: &serde_json::Error) -> Response {
    Response::new_err(
        id,
        lsp_server::ErrorCode::InvalidParams as i32,
        error.to_string(),
    )
}

fn publish(
    uri: &Uri,
    diagnostics: Vec<lsp_types::Diagnostic>,
    version: Option<i32>,
) -> Notification {
    Notification::new(
        PublishDiagnostics::METHOD.to_owned(),
        PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics,
            version,
        },
    )
}

/// A finding as the editor shows it: the node underlined, the rule's code, the hint below.
fn to_lsp_diagnostic(text: &str, finding: &Diagnostic) -> lsp_types::Diagnostic {
    let (start, end) = editing::extent(text, finding.position());
    let mut message = finding.message.clone();
    if let Some(hint) = &finding.hint {
        message.push_str("\nhelp: ");
        message.push_str(hint);
    }
    lsp_types::Diagnostic {
        range: Range {
            start: to_lsp(text, start),
            end: to_lsp(text, end),
        },
        severity: Some(match finding.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(finding.code.to_owned())),
        source: Some("nsi".to_owned()),
        message,
        ..lsp_types::Diagnostic::default()
    }
}

fn line_of(text: &str, line: usize) -> &str {
    text.split('\n')
        .nth(line)
        .map_or("", |l| l.trim_end_matches('\r'))
}

/// nsi's position (1-based, characters) as the editor's (0-based, UTF-16 code units).
fn to_lsp(text: &str, at: Position) -> lsp_types::Position {
    let line = at.line.saturating_sub(1);
    let units: usize = line_of(text, line)
        .chars()
        .take(at.column.saturating_sub(1))
        .map(char::len_utf16)
        .sum();
    lsp_types::Position {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        character: u32::try_from(units).unwrap_or(u32::MAX),
    }
}

/// The editor's position as nsi's.
fn from_lsp(text: &str, at: lsp_types::Position) -> Position {
    let line = at.line as usize;
    let mut units = 0;
    let mut column = 1;
    for ch in line_of(text, line).chars() {
        if units >= at.character as usize {
            break;
        }
        units += ch.len_utf16();
        column += 1;
    }
    Position::new(line + 1, column)
}

/// The catalogue root of an entry file: the folder holding `catalogue/` above it, when the
/// file is inside that `catalogue/` folder.
fn catalogue_root_of(path: &Path) -> Option<PathBuf> {
    let root = path
        .ancestors()
        .skip(1)
        .find(|dir| dir.file_name() == Some(load::CATALOGUE_DIR.as_ref()))?
        .parent()?;
    root.join(load::CATALOGUE_DIR)
        .is_dir()
        .then(|| root.to_path_buf())
}

/// The path a `file:` URI names.
fn path_of(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let path = &rest[rest.find('/')?..];
    let mut bytes = Vec::with_capacity(path.len());
    let raw = path.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%'
            && let Some(byte) = raw
                .get(i + 1..i + 3)
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            bytes.push(byte);
            i += 3;
        } else {
            bytes.push(raw[i]);
            i += 1;
        }
    }
    let decoded = String::from_utf8(bytes).ok()?;
    // `file:///C:/x` names `C:/x` on Windows.
    let decoded = match decoded.as_bytes() {
        [b'/', drive, b':', ..] if cfg!(windows) && drive.is_ascii_alphabetic() => {
            decoded[1..].to_owned()
        }
        _ => decoded,
    };
    Some(PathBuf::from(decoded))
}

/// The `file:` URI of a path.
fn uri_of(path: &Path) -> Option<Uri> {
    use std::fmt::Write as _;
    let text = path.to_str()?.replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/:".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_convert_through_utf16() {
        let text = "title: 🚓 car\nx";
        // `c` of `car` is the 10th character, the 11th UTF-16 unit (the car takes two).
        let at = to_lsp(text, Position::new(1, 10));
        assert_eq!((at.line, at.character), (0, 10));
        assert_eq!(from_lsp(text, at), Position::new(1, 10));
    }

    #[test]
    fn file_uris_and_paths() {
        let uri: Uri = "file:///tmp/a%20b/kent/x.yaml".parse().expect("uri");
        assert_eq!(path_of(&uri), Some(PathBuf::from("/tmp/a b/kent/x.yaml")));
        #[cfg(unix)]
        assert_eq!(
            uri_of(Path::new("/tmp/a b/x.yaml")).map(|u| u.as_str().to_owned()),
            Some("file:///tmp/a%20b/x.yaml".to_owned())
        );
    }
}
