//! `forfait lsp`: the language server, over standard input and output.
//!
//! The only place that knows the protocol (`lsp-server`'s messages, `lsp-types`' shapes)
//! and editors' positions. Every question is answered by `forfait::ide` in byte offsets;
//! here they become lines and columns in the unit agreed at `initialize` (UTF-8 when the
//! editor offers it, else the protocol's UTF-16).
//!
//! Synchronous and single-threaded: a rulebook is checked in milliseconds, so each message
//! is answered before the next is read. Nothing a client sends stops the server but `exit`
//! or the end of its input: a message that is not JSON, not JSON-RPC, or a request with
//! parameters of the wrong shape gets an error response, and the server reads on.

mod transport;

use std::collections::HashMap;
use std::io;

use forfait::diagnostics::Lang;
use forfait::ide::{self, Analysis, ColumnUnit};
use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types as lsp;
use serde_json::Value;

use super::Exit;
use transport::{read_message, write_message, Incoming, Outgoing};

/// The protocol's "the request failed" (LSP 3.17), for a refused rename or format.
const REQUEST_FAILED: i32 = -32803;

/// The colours' legend, sent at `initialize`: a token's `token_type` is its place here.
const TOKEN_TYPES: [lsp::SemanticTokenType; 10] = [
    lsp::SemanticTokenType::KEYWORD,
    lsp::SemanticTokenType::VARIABLE,
    lsp::SemanticTokenType::ENUM,
    lsp::SemanticTokenType::FUNCTION,
    lsp::SemanticTokenType::CLASS,
    lsp::SemanticTokenType::ENUM_MEMBER,
    lsp::SemanticTokenType::STRING,
    lsp::SemanticTokenType::NUMBER,
    lsp::SemanticTokenType::COMMENT,
    lsp::SemanticTokenType::OPERATOR,
];
const TOKEN_MODIFIERS: [lsp::SemanticTokenModifier; 1] = [lsp::SemanticTokenModifier::DECLARATION];

/// Serves one editor over standard input and output. Diagnostics are worded in `lang` until
/// the editor says its own locale (`initialize`'s `locale`).
pub fn lsp(lang: Lang) -> Exit {
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let stdout = io::stdout();
    let mut output = stdout.lock();
    let mut server = Server {
        lang,
        ..Server::default()
    };
    loop {
        let incoming = match read_message(&mut input) {
            Ok(Some(incoming)) => incoming,
            // The editor went away without `exit`.
            Ok(None) => return server.exit_status(),
            Err(e) => {
                eprintln!("forfait lsp: cannot read standard input: {e}");
                return Exit::Usage;
            }
        };
        let replies = match incoming {
            Incoming::Message(message) => server.handle(message),
            Incoming::Malformed { id, code, message } => {
                eprintln!("forfait lsp: {message}");
                vec![Outgoing::Malformed { id, code, message }]
            }
        };
        for reply in replies {
            if let Err(e) = write_message(&mut output, &reply) {
                eprintln!("forfait lsp: cannot write standard output: {e}");
                return Exit::Usage;
            }
        }
        if let Some(status) = server.exit {
            return status;
        }
    }
}

/// An open document.
struct Document {
    uri: lsp::Uri,
    analysis: Analysis,
}

#[derive(Default)]
struct Server {
    initialized: bool,
    shut_down: bool,
    /// Set by `exit`: the status to end with.
    exit: Option<Exit>,
    unit: ColumnUnit,
    /// The language diagnostics are worded in.
    lang: Lang,
    documents: HashMap<String, Document>,
}

/// A request's failure: its error code and words.
struct Failure {
    code: i32,
    message: String,
}

impl Failure {
    fn new(code: ErrorCode, message: impl Into<String>) -> Failure {
        Failure {
            code: code as i32,
            message: message.into(),
        }
    }

    fn refused(message: impl ToString) -> Failure {
        Failure {
            code: REQUEST_FAILED,
            message: message.to_string(),
        }
    }
}

type Answer = Result<Value, Failure>;

fn json(value: impl serde::Serialize) -> Answer {
    serde_json::to_value(value).map_err(|e| {
        Failure::new(
            ErrorCode::InternalError,
            format!("cannot write the answer: {e}"),
        )
    })
}

fn params<P: serde::de::DeserializeOwned>(value: Value) -> Result<P, Failure> {
    serde_json::from_value(value)
        .map_err(|e| Failure::new(ErrorCode::InvalidParams, format!("invalid parameters: {e}")))
}

/// The file's name in a URI (`.../2024-chirurgiens-dentistes.forfait`): `check` compares
/// its leading year with the `exercice`.
fn file_name(uri: &lsp::Uri) -> String {
    let text = uri.as_str();
    let path = text.split(['?', '#']).next().unwrap_or(text);
    path.rsplit('/').next().unwrap_or(path).to_string()
}

impl Server {
    fn exit_status(&self) -> Exit {
        if self.shut_down {
            Exit::Ok
        } else {
            Exit::Problems
        }
    }

    fn handle(&mut self, message: Message) -> Vec<Outgoing> {
        match message {
            Message::Request(request) => {
                let id = request.id.clone();
                let response = match self.request(request) {
                    Ok(result) => Response::new_ok(id, result),
                    Err(failure) => Response::new_err(id, failure.code, failure.message),
                };
                vec![Outgoing::Message(Message::Response(response))]
            }
            Message::Notification(notification) => self
                .notification(notification)
                .into_iter()
                .map(|n| Outgoing::Message(Message::Notification(n)))
                .collect(),
            // The server sends no requests; a response is nothing to act on.
            Message::Response(_) => Vec::new(),
        }
    }

    fn request(&mut self, request: Request) -> Answer {
        let Request {
            method, params: p, ..
        } = request;
        if method == "initialize" {
            if self.initialized {
                return Err(Failure::new(
                    ErrorCode::InvalidRequest,
                    "already initialized",
                ));
            }
            return self.initialize(params(p)?);
        }
        if !self.initialized {
            return Err(Failure::new(
                ErrorCode::ServerNotInitialized,
                "the server is not initialized",
            ));
        }
        if self.shut_down {
            return Err(Failure::new(
                ErrorCode::InvalidRequest,
                "the server is shutting down",
            ));
        }
        match method.as_str() {
            "shutdown" => {
                self.shut_down = true;
                Ok(Value::Null)
            }
            "textDocument/hover" => self.hover(params(p)?),
            "textDocument/definition" => self.definition(params(p)?),
            "textDocument/references" => self.references(params(p)?),
            "textDocument/prepareRename" => self.prepare_rename(params(p)?),
            "textDocument/rename" => self.rename(params(p)?),
            "textDocument/documentSymbol" => self.symbols(params(p)?),
            "textDocument/foldingRange" => self.folding(params(p)?),
            "textDocument/completion" => self.completion(params(p)?),
            "textDocument/formatting" => self.formatting(params(p)?),
            "textDocument/codeAction" => self.code_actions(params(p)?),
            "textDocument/semanticTokens/full" => self.semantic_tokens(params(p)?),
            _ => Err(Failure::new(
                ErrorCode::MethodNotFound,
                format!("unknown method `{method}`"),
            )),
        }
    }

    fn initialize(&mut self, params: lsp::InitializeParams) -> Answer {
        let offered = params
            .capabilities
            .general
            .and_then(|g| g.position_encodings)
            .unwrap_or_default();
        let (unit, encoding) = if offered.contains(&lsp::PositionEncodingKind::UTF8) {
            (ColumnUnit::Utf8, lsp::PositionEncodingKind::UTF8)
        } else {
            (ColumnUnit::Utf16, lsp::PositionEncodingKind::UTF16)
        };
        self.unit = unit;
        if let Some(locale) = params.locale.as_deref() {
            // `fr`, `fr-FR`, `en-US`: BCP 47 as editors send it.
            self.lang = Lang::from_locale(Some(locale), None, None);
        }
        self.initialized = true;
        json(lsp::InitializeResult {
            capabilities: lsp::ServerCapabilities {
                position_encoding: Some(encoding),
                text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
                    lsp::TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(lsp::TextDocumentSyncKind::FULL),
                        save: Some(lsp::TextDocumentSyncSaveOptions::SaveOptions(
                            lsp::SaveOptions {
                                include_text: Some(true),
                            },
                        )),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
                definition_provider: Some(lsp::OneOf::Left(true)),
                references_provider: Some(lsp::OneOf::Left(true)),
                rename_provider: Some(lsp::OneOf::Right(lsp::RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: Default::default(),
                })),
                document_symbol_provider: Some(lsp::OneOf::Left(true)),
                folding_range_provider: Some(lsp::FoldingRangeProviderCapability::Simple(true)),
                completion_provider: Some(lsp::CompletionOptions {
                    trigger_characters: Some(vec!["(".into(), ",".into()]),
                    ..Default::default()
                }),
                document_formatting_provider: Some(lsp::OneOf::Left(true)),
                code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
                    lsp::CodeActionOptions {
                        code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                        ..Default::default()
                    },
                )),
                semantic_tokens_provider: Some(
                    lsp::SemanticTokensServerCapabilities::SemanticTokensOptions(
                        lsp::SemanticTokensOptions {
                            legend: lsp::SemanticTokensLegend {
                                token_types: TOKEN_TYPES.to_vec(),
                                token_modifiers: TOKEN_MODIFIERS.to_vec(),
                            },
                            full: Some(lsp::SemanticTokensFullOptions::Bool(true)),
                            range: None,
                            work_done_progress_options: Default::default(),
                        },
                    ),
                ),
                ..Default::default()
            },
            server_info: Some(lsp::ServerInfo {
                name: "forfait".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        })
    }

    fn notification(&mut self, notification: Notification) -> Vec<Notification> {
        let Notification { method, params: p } = notification;
        if method == "exit" {
            self.exit = Some(self.exit_status());
            return Vec::new();
        }
        if !self.initialized {
            return Vec::new();
        }
        let published = match method.as_str() {
            "textDocument/didOpen" => params::<lsp::DidOpenTextDocumentParams>(p)
                .map(|p| self.open(p.text_document.uri, p.text_document.text)),
            "textDocument/didChange" => {
                params::<lsp::DidChangeTextDocumentParams>(p).map(|p| self.change(p))
            }
            "textDocument/didSave" => {
                params::<lsp::DidSaveTextDocumentParams>(p).map(|p| match p.text {
                    Some(text) => self.open(p.text_document.uri, text),
                    None => self.publish(p.text_document.uri.as_str()),
                })
            }
            "textDocument/didClose" => params::<lsp::DidCloseTextDocumentParams>(p).map(|p| {
                self.documents.remove(p.text_document.uri.as_str());
                Some(diagnostics_notification(p.text_document.uri, Vec::new()))
            }),
            // `initialized`, `$/cancelRequest`, settings...: nothing to do.
            _ => Ok(None),
        };
        match published {
            Ok(n) => n.into_iter().collect(),
            Err(failure) => {
                eprintln!("forfait lsp: {method}: {}", failure.message);
                Vec::new()
            }
        }
    }

    fn open(&mut self, uri: lsp::Uri, text: String) -> Option<Notification> {
        let key = uri.as_str().to_string();
        let analysis = Analysis::new(&file_name(&uri), &text);
        self.documents
            .insert(key.clone(), Document { uri, analysis });
        self.publish(&key)
    }

    fn change(&mut self, params: lsp::DidChangeTextDocumentParams) -> Option<Notification> {
        let key = params.text_document.uri.as_str().to_string();
        let mut text = match self.documents.get(&key) {
            Some(doc) => doc.analysis.text().to_string(),
            None => String::new(),
        };
        for change in params.content_changes {
            match change.range {
                // Whole text (what the server asked for).
                None => text = change.text,
                // A part, should a client send one anyway.
                Some(range) => {
                    let lines = ide::LineIndex::new(&text);
                    let start = lines.offset(&text, ide_position(range.start), self.unit);
                    let end = lines.offset(&text, ide_position(range.end), self.unit);
                    let (start, end) = (start.min(end), start.max(end));
                    text.replace_range(start..end, &change.text);
                }
            }
        }
        self.open(params.text_document.uri, text)
    }

    fn publish(&self, key: &str) -> Option<Notification> {
        let doc = self.documents.get(key)?;
        let diagnostics = doc
            .analysis
            .diagnostics(self.lang)
            .iter()
            .map(|d| self.diagnostic(doc, d))
            .collect();
        Some(diagnostics_notification(doc.uri.clone(), diagnostics))
    }

    fn document(&self, uri: &lsp::Uri) -> Result<&Document, Failure> {
        self.documents.get(uri.as_str()).ok_or_else(|| {
            Failure::new(
                ErrorCode::InvalidParams,
                format!("`{}` is not open", uri.as_str()),
            )
        })
    }

    fn offset(&self, doc: &Document, position: lsp::Position) -> usize {
        let analysis = &doc.analysis;
        analysis
            .lines()
            .offset(analysis.text(), ide_position(position), self.unit)
    }

    fn position(&self, doc: &Document, offset: usize) -> lsp::Position {
        let analysis = &doc.analysis;
        let p = analysis
            .lines()
            .position(analysis.text(), offset, self.unit);
        lsp::Position::new(p.line, p.column)
    }

    fn range(&self, doc: &Document, span: ide::Span) -> lsp::Range {
        lsp::Range::new(self.position(doc, span.start), self.position(doc, span.end))
    }

    fn location(&self, doc: &Document, span: ide::Span) -> lsp::Location {
        lsp::Location::new(doc.uri.clone(), self.range(doc, span))
    }

    fn diagnostic(&self, doc: &Document, d: &ide::Diagnostic) -> lsp::Diagnostic {
        let message = match &d.help {
            Some(help) => format!(
                "{}\n{} {help}",
                d.message,
                forfait::diagnostics::help_label(self.lang)
            ),
            None => d.message.clone(),
        };
        let related: Vec<lsp::DiagnosticRelatedInformation> = d
            .related
            .iter()
            .map(|r| lsp::DiagnosticRelatedInformation {
                location: self.location(doc, r.span),
                message: r.message.clone(),
            })
            .collect();
        lsp::Diagnostic {
            range: self.range(doc, d.span),
            severity: Some(match d.severity {
                ide::Severity::Error => lsp::DiagnosticSeverity::ERROR,
                ide::Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            }),
            code: d.code.clone().map(lsp::NumberOrString::String),
            source: Some("forfait".into()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..Default::default()
        }
    }

    fn at(&self, p: &lsp::TextDocumentPositionParams) -> Result<(&Document, usize), Failure> {
        let doc = self.document(&p.text_document.uri)?;
        Ok((doc, self.offset(doc, p.position)))
    }

    fn hover(&self, p: lsp::HoverParams) -> Answer {
        let (doc, offset) = self.at(&p.text_document_position_params)?;
        json(doc.analysis.hover(offset).map(|h| lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: h.markdown,
            }),
            range: Some(self.range(doc, h.span)),
        }))
    }

    fn definition(&self, p: lsp::GotoDefinitionParams) -> Answer {
        let (doc, offset) = self.at(&p.text_document_position_params)?;
        json(
            doc.analysis
                .definition(offset)
                .map(|span| lsp::GotoDefinitionResponse::Scalar(self.location(doc, span))),
        )
    }

    fn references(&self, p: lsp::ReferenceParams) -> Answer {
        let (doc, offset) = self.at(&p.text_document_position)?;
        let spans = doc
            .analysis
            .references(offset, p.context.include_declaration);
        json(
            spans
                .into_iter()
                .map(|s| self.location(doc, s))
                .collect::<Vec<_>>(),
        )
    }

    fn prepare_rename(&self, p: lsp::TextDocumentPositionParams) -> Answer {
        let (doc, offset) = self.at(&p)?;
        match doc.analysis.prepare_rename(offset) {
            Ok((span, _)) => json(lsp::PrepareRenameResponse::Range(self.range(doc, span))),
            Err(refusal) => Err(Failure::refused(refusal.words(self.lang))),
        }
    }

    fn rename(&self, p: lsp::RenameParams) -> Answer {
        let (doc, offset) = self.at(&p.text_document_position)?;
        let edits = doc
            .analysis
            .rename(offset, &p.new_name)
            .map_err(|refusal| Failure::refused(refusal.words(self.lang)))?;
        let edits = edits
            .into_iter()
            .map(|e| lsp::TextEdit::new(self.range(doc, e.span), e.text))
            .collect();
        json(lsp::WorkspaceEdit {
            changes: Some(HashMap::from([(doc.uri.clone(), edits)])),
            ..Default::default()
        })
    }

    fn symbols(&self, p: lsp::DocumentSymbolParams) -> Answer {
        let doc = self.document(&p.text_document.uri)?;
        let symbols: Vec<lsp::DocumentSymbol> = doc
            .analysis
            .symbols()
            .iter()
            .map(|s| self.symbol(doc, s))
            .collect();
        json(lsp::DocumentSymbolResponse::Nested(symbols))
    }

    #[allow(deprecated)] // `deprecated` is a field every client still reads.
    fn symbol(&self, doc: &Document, s: &ide::Symbol) -> lsp::DocumentSymbol {
        use ide::OutlineKind as K;
        let children: Vec<lsp::DocumentSymbol> =
            s.children.iter().map(|c| self.symbol(doc, c)).collect();
        lsp::DocumentSymbol {
            name: s.name.clone(),
            detail: s.detail.clone(),
            kind: match s.kind {
                K::Header => lsp::SymbolKind::FILE,
                K::Input => lsp::SymbolKind::VARIABLE,
                K::Choice => lsp::SymbolKind::ENUM_MEMBER,
                K::List => lsp::SymbolKind::ENUM,
                K::Indicator => lsp::SymbolKind::FUNCTION,
                K::Group => lsp::SymbolKind::CLASS,
                K::StatedTotal => lsp::SymbolKind::CONSTANT,
            },
            tags: None,
            deprecated: None,
            range: self.range(doc, s.span),
            selection_range: self.range(doc, s.name_span),
            children: (!children.is_empty()).then_some(children),
        }
    }

    fn folding(&self, p: lsp::FoldingRangeParams) -> Answer {
        let doc = self.document(&p.text_document.uri)?;
        let ranges: Vec<lsp::FoldingRange> = doc
            .analysis
            .folding()
            .into_iter()
            .map(|s| self.range(doc, s))
            .filter(|r| r.end.line > r.start.line)
            .map(|r| lsp::FoldingRange {
                start_line: r.start.line,
                end_line: r.end.line,
                kind: Some(lsp::FoldingRangeKind::Region),
                ..Default::default()
            })
            .collect();
        json(ranges)
    }

    fn completion(&self, p: lsp::CompletionParams) -> Answer {
        let (doc, offset) = self.at(&p.text_document_position)?;
        let completions = doc.analysis.completion(offset);
        let range = self.range(doc, completions.replace);
        let items: Vec<lsp::CompletionItem> = completions
            .items
            .into_iter()
            .map(|c| lsp::CompletionItem {
                kind: Some(match c.kind {
                    ide::CompletionKind::Keyword => lsp::CompletionItemKind::KEYWORD,
                    ide::CompletionKind::Name(k) => match k {
                        ide::SymbolKind::Input => lsp::CompletionItemKind::VARIABLE,
                        ide::SymbolKind::List => lsp::CompletionItemKind::ENUM,
                        ide::SymbolKind::Indicator => lsp::CompletionItemKind::FUNCTION,
                        ide::SymbolKind::Group => lsp::CompletionItemKind::CLASS,
                        ide::SymbolKind::Choice => lsp::CompletionItemKind::ENUM_MEMBER,
                    },
                }),
                detail: c.detail,
                sort_text: Some(format!("{:04}{}", c.order, c.label)),
                filter_text: Some(c.label.clone()),
                text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
                    range,
                    c.label.clone(),
                ))),
                label: c.label,
                ..Default::default()
            })
            .collect();
        json(lsp::CompletionResponse::Array(items))
    }

    fn formatting(&self, p: lsp::DocumentFormattingParams) -> Answer {
        let doc = self.document(&p.text_document.uri)?;
        let formatted = doc
            .analysis
            .format()
            .map_err(|refusal| Failure::refused(refusal.words(self.lang)))?;
        let text = doc.analysis.text();
        if formatted == text {
            return json(Vec::<lsp::TextEdit>::new());
        }
        let whole = lsp::Range::new(lsp::Position::new(0, 0), self.position(doc, text.len()));
        json(vec![lsp::TextEdit::new(whole, formatted)])
    }

    fn code_actions(&self, p: lsp::CodeActionParams) -> Answer {
        let doc = self.document(&p.text_document.uri)?;
        let start = self.offset(doc, p.range.start);
        let end = self.offset(doc, p.range.end);
        let span = ide::Span::new(start.min(end), start.max(end));
        let actions: Vec<lsp::CodeActionOrCommand> = doc
            .analysis
            .fixes(span, self.lang)
            .into_iter()
            .map(|(diagnostic, fix)| {
                let edits = fix
                    .edits
                    .into_iter()
                    .map(|e| lsp::TextEdit::new(self.range(doc, e.span), e.text))
                    .collect();
                lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                    title: fix.title,
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![self.diagnostic(doc, &diagnostic)]),
                    edit: Some(lsp::WorkspaceEdit {
                        changes: Some(HashMap::from([(doc.uri.clone(), edits)])),
                        ..Default::default()
                    }),
                    is_preferred: Some(true),
                    ..Default::default()
                })
            })
            .collect();
        json(actions)
    }

    fn semantic_tokens(&self, p: lsp::SemanticTokensParams) -> Answer {
        let doc = self.document(&p.text_document.uri)?;
        let mut data = Vec::new();
        let mut previous = lsp::Position::new(0, 0);
        let analysis = &doc.analysis;
        let mut cursor = ide::lines::Cursor::new(analysis.text(), analysis.lines(), self.unit);
        for h in analysis.highlights() {
            let start = cursor.position(h.span.start);
            let end = cursor.position(h.span.end);
            let (start, end) = (
                lsp::Position::new(start.line, start.column),
                lsp::Position::new(end.line, end.column),
            );
            // Tokens never span lines (texts and comments end with theirs).
            if end.line != start.line || end.character <= start.character {
                continue;
            }
            let token_type = match h.highlight {
                ide::Highlight::Keyword => 0,
                ide::Highlight::Name(k) => match k {
                    ide::SymbolKind::Input => 1,
                    ide::SymbolKind::List => 2,
                    ide::SymbolKind::Indicator => 3,
                    ide::SymbolKind::Group => 4,
                    ide::SymbolKind::Choice => 5,
                },
                ide::Highlight::Text => 6,
                ide::Highlight::Number => 7,
                ide::Highlight::Comment => 8,
                ide::Highlight::Operator => 9,
            };
            let delta_line = start.line.saturating_sub(previous.line);
            data.push(lsp::SemanticToken {
                delta_line,
                delta_start: if delta_line == 0 {
                    start.character.saturating_sub(previous.character)
                } else {
                    start.character
                },
                length: end.character - start.character,
                token_type,
                token_modifiers_bitset: u32::from(h.definition),
            });
            previous = start;
        }
        json(lsp::SemanticTokensResult::Tokens(lsp::SemanticTokens {
            result_id: None,
            data,
        }))
    }
}

fn ide_position(p: lsp::Position) -> ide::Position {
    ide::Position::new(p.line, p.character)
}

fn diagnostics_notification(uri: lsp::Uri, diagnostics: Vec<lsp::Diagnostic>) -> Notification {
    Notification::new(
        "textDocument/publishDiagnostics".into(),
        lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        },
    )
}
