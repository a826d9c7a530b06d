//! The service's error answers: `{"error": {"code", "message", ...}}`, the code one of
//! forfait's diagnostic codes (`forfait::decl::...` for a declaration) or the service's own
//! (`forfait::serve::...`), the message in the service's language.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use forfait::declaration::Rejection;
use forfait::diagnostics::Lang;
use serde_json::{json, Map, Value as Json};

use crate::cli::words::{Say, ServeRefusal};

/// An error answer, ready to send.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: Json,
}

impl ApiError {
    /// A refusal of the service, with what the caller may need beside the message (the
    /// rulebooks served, for an unknown one).
    pub fn refused(refusal: &ServeRefusal, lang: Lang) -> ApiError {
        let mut error = Map::new();
        error.insert("code".into(), json!(code(refusal)));
        error.insert(
            "message".into(),
            json!(Say::ServeRefused(refusal).text(lang)),
        );
        match refusal {
            ServeRefusal::UnknownRulebook { known, file_of, .. } => {
                error.insert("known".into(), json!(known));
                if let Some((_, served)) = file_of {
                    error.insert("did_you_mean".into(), json!(served));
                }
            }
            ServeRefusal::BodyTooLarge { limit } => {
                error.insert("limit_bytes".into(), json!(limit));
            }
            _ => {}
        }
        ApiError {
            status: status(refusal),
            body: json!({ "error": error }),
        }
    }

    /// A declaration the reader or the evaluator rejected: 422 with every problem (code,
    /// field, message, expected) and where it is; a body that is no JSON at all is a 400.
    /// `rejected` is the rejection as the JSON contract writes it.
    pub fn rejected(rejection: &Rejection, rejected: &Json, lang: Lang) -> ApiError {
        let whole_body = whole_body(rejection);
        let code = rejection
            .problems
            .first()
            .map_or("forfait::decl::malformed", |p| p.code);
        ApiError {
            status: if whole_body {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            },
            body: json!({
                "error": {
                    "code": code,
                    "message": rejection.render(lang),
                    "id": rejection.id,
                    "location": rejection.location.to_string(),
                    "problems": rejected.get("errors").cloned().unwrap_or_else(|| json!([])),
                }
            }),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}

/// Whether a rejection is of the body as a whole (no JSON at all, or not UTF-8), rather
/// than of one declaration in it, which the reader locates by its JSON path (`$`, `$[2]`).
pub fn whole_body(rejection: &Rejection) -> bool {
    !matches!(rejection.location, forfait::declaration::Location::Path(_))
}

/// The code of a refusal, `forfait::serve::<name>` (docs/serve.md lists them).
pub fn code(refusal: &ServeRefusal) -> &'static str {
    match refusal {
        ServeRefusal::NoSuchRoute { .. } => "forfait::serve::no_such_route",
        ServeRefusal::Method { .. } => "forfait::serve::method_not_allowed",
        ServeRefusal::UnknownRulebook { .. } => "forfait::serve::unknown_rulebook",
        ServeRefusal::RulebookBroken { .. } => "forfait::serve::rulebook_does_not_check",
        ServeRefusal::WrongContentType { .. } => "forfait::serve::wrong_content_type",
        ServeRefusal::BadBody { .. } => "forfait::serve::bad_body",
        ServeRefusal::BodyTooLarge { .. } => "forfait::serve::body_too_large",
        ServeRefusal::Timeout { .. } => "forfait::serve::timeout",
        ServeRefusal::OneDeclaration => "forfait::serve::one_declaration",
        ServeRefusal::DecisionLog => "forfait::serve::decision_log",
        ServeRefusal::Internal => "forfait::serve::internal",
    }
}

fn status(refusal: &ServeRefusal) -> StatusCode {
    match refusal {
        ServeRefusal::NoSuchRoute { .. } | ServeRefusal::UnknownRulebook { .. } => {
            StatusCode::NOT_FOUND
        }
        ServeRefusal::Method { .. } => StatusCode::METHOD_NOT_ALLOWED,
        ServeRefusal::RulebookBroken { .. } => StatusCode::CONFLICT,
        ServeRefusal::WrongContentType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ServeRefusal::BadBody { .. } | ServeRefusal::OneDeclaration => StatusCode::BAD_REQUEST,
        ServeRefusal::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        ServeRefusal::Timeout { .. } => StatusCode::REQUEST_TIMEOUT,
        ServeRefusal::DecisionLog => StatusCode::SERVICE_UNAVAILABLE,
        ServeRefusal::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}
