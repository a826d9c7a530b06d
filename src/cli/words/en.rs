//! What the command line says, in English.

use forfait::declaration::mapping::MappingProblem;
use forfait::declaration::Code;
use forfait::diagnostics::Lang;
use forfait::eval::Status;
use forfait::french;
use forfait::next_year::{Field, Found, NextYearError, Owner, Place, TextKind};
use forfait::output::columns::ColumnError;
use forfait::testing::{
    Change, CoverageItem, Dialect, ExpectationError, Failure, FileEncoding, Rejected,
};

use super::{Headings, Refusal, Say, ServeRefusal};

pub(super) const HEADINGS: Headings = Headings {
    indicator: "indicator",
    expected: "expected",
    actual: "actual",
    decided_by: "decided by",
};

/// A status as the results write it (`met`, `not_met`, ...) is English already.
pub(super) fn status_word(word: &str) -> String {
    word.to_string()
}

pub(super) const PROGRESS: &str = "{bar:40} {percent:>3}% {msg} ({elapsed} elapsed, {eta} left)";

/// `1 indicator`, `3 indicators`
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

pub(super) fn say(say: &Say<'_>) -> String {
    match say {
        Say::CannotRead { path, error } => format!("error: cannot read {path}: {error}"),
        Say::Verdict(verdict) => format!("error: {}", verdict.message(Lang::En)),
        Say::ReadFailed(error) => format!("error: {}", error.message(Lang::En)),
        Say::CannotWrite { target, error } => format!("error: cannot write {target}: {error}"),
        Say::CannotWriteTo { target, error } => {
            format!("error: cannot write to {target}: {error}")
        }
        Say::NotCompleted { target, error } => {
            format!("error: cannot write {target}: {error}; it was not written")
        }
        Say::NotWritten { target } => format!("{target} was not written"),
        Say::Wrote { path } => format!("wrote {path}"),
        Say::OutputIsInput { target, input } => format!(
            "error: --output {target} is the input {input}: writing it would destroy what is read; choose another file"
        ),
        Say::Interrupted { target: Some(target) } => format!(
            "interrupted: {target} was not written (the partial results were removed)"
        ),
        Say::Interrupted { target: None } => "interrupted".into(),
        Say::CtrlCUnwatched { error } => format!(
            "warning: cannot watch for Ctrl-C ({error}); an interrupted run may leave a temporary file"
        ),
        Say::StandardOutput => "standard output".into(),
        Say::DelimiterNotAscii => {
            "error: --delimiter must be one ASCII character, such as `;`".into()
        }
        Say::CheckOk {
            path,
            indicators,
            groups,
            payment_lines,
            totals,
            warnings,
        } => {
            let totals: Vec<String> = totals
                .iter()
                .map(|t| {
                    let unit = if t.points { "points" } else { "EUR" };
                    format!("{} = {} {unit}", t.label, t.amount.normalize())
                })
                .collect();
            format!(
                "ok: {path}: {}, {}, {}; {}{}",
                plural(*indicators, "indicator"),
                plural(*groups, "group"),
                plural(*payment_lines, "payment line"),
                if totals.is_empty() {
                    "no stated total".to_string()
                } else {
                    format!("stated totals verified: {}", totals.join("; "))
                },
                match warnings {
                    0 => String::new(),
                    n => format!(" ({})", plural(*n, "warning")),
                }
            )
        }
        Say::CheckFailed {
            path,
            errors,
            warnings,
        } => format!(
            "error: {path}: {}, {}",
            plural(*errors, "error"),
            plural(*warnings, "warning")
        ),
        Say::NothingEvaluated { path, errors } => format!(
            "error: {path} has {}; nothing was evaluated",
            plural(*errors, "error")
        ),
        Say::NoPageWritten { path, errors } => format!(
            "error: {path} has {}; no page was written",
            plural(*errors, "error")
        ),
        Say::NothingCompared { path, errors } => {
            format!("error: {path} has {errors} error(s); nothing was compared")
        }
        Say::CannotFormat { path } => format!("error: {path} cannot be formatted until it parses"),
        Say::AlreadyCanonical { files } => format!("{files} file(s) already canonical"),
        Say::NotCanonical { changed, files } => {
            format!("{changed} of {files} file(s) not canonical; run `forfait fmt` on them")
        }
        Say::Reformatted { changed, files } => format!("{changed} of {files} file(s) reformatted"),
        Say::GitCannotRun { arg, error } => {
            format!("error: cannot run `git show {arg}`: {error} (is git installed?)")
        }
        Say::GitFailed { arg, stderr } => format!(
            "error: `git show {arg}` failed: {stderr}\n  help: `{arg}` is neither a file nor a REV:PATH that git knows; a path after `:` is relative to the repository root (or write `REV:./PATH`)"
        ),
        Say::Rejected(rejection) => format!("error: {}", rejection.render(Lang::En)),
        Say::NoSuchId { id, path } => format!("error: no declaration with id `{id}` in {path}"),
        Say::JobsZero => "error: --jobs 0: at least one thread must evaluate; leave --jobs out to use every core".into(),
        Say::JobsCapped { asked, cores } => format!(
            "note: --jobs {asked} is more than the {cores} cores of this machine; using {cores}"
        ),
        Say::Read {
            read,
            evaluated,
            rejected,
            stopped_early,
        } => format!(
            "{} read: {evaluated} evaluated, {rejected} rejected{}",
            plural(*read as usize, "declaration"),
            if *stopped_early {
                " (stopped at the first rejected declaration: --strict)"
            } else {
                ""
            }
        ),
        Say::Paid { total, lines } => {
            let lines: Vec<String> = lines
                .iter()
                .map(|(name, paid)| format!("{name} {}", french::euros(*paid)))
                .collect();
            format!(
                "paid: {} in all ({})",
                french::euros(*total),
                lines.join(", ")
            )
        }
        Say::RejectedInOutput => "rejected declarations are in the output, each with its file, line, field and what was expected".into(),
        Say::Progress { rows, per_second } => format!("{rows} declarations, {per_second}/s"),
        Say::NothingToTest { path } => {
            format!("error: {path} does not exist: there is nothing to test")
        }
        Say::NoCases { path, expected } => format!("{path}: no cases ({expected} not found)"),
        Say::RulebookDoesNotCheck { path } => format!("FAIL {path}: the rulebook does not check"),
        Say::BadExpectations { file, error } => format!("FAIL {file}: {}", expectation(error)),
        Say::UnlistedCase { file, expected } => format!(
            "FAIL {file}: a case file that {expected} does not list; add its row (example,total_eur,...) or remove the file"
        ),
        Say::CaseUnreadable { file } => {
            format!("FAIL {file}: listed in expected.csv but not readable")
        }
        Say::Fail { file } => format!("FAIL {file}"),
        Say::Failure(failure) => format!("  {}", failure_words(failure)),
        Say::CasesPass {
            path,
            passed,
            cases,
        } => format!("{path}: {passed} of {cases} cases pass"),
        Say::Coverage { covered, items } => {
            format!("  coverage: {covered} of {items} items exercised")
        }
        Say::NotExercised(item) => format!("  not exercised: {}", coverage_item(item)),
        Say::Tally { passed, failed } => format!("{passed} passed, {failed} failed"),
        Say::NoTestCase { paths } => format!(
            "error: no test case in {paths}: each rulebook X.forfait keeps its cases in X.examples/expected.csv"
        ),
        Say::NoRulebook { paths } => format!("error: no .forfait file in {paths}"),
        Say::Accepted(change) => match change {
            Change::Total { example, from, to } => format!(
                "  {example}: total {} → {}",
                total_word(from),
                total_word(to)
            ),
            Change::Status {
                example,
                indicator,
                from,
                to,
            } => format!("  {example}: `{indicator}` {from} → {to}"),
            Change::Added { example, total } => {
                format!("  {example}: added, total {}", total_word(total))
            }
        },
        Say::ExpectationsWritten {
            file,
            changes,
            dialect,
            encoding,
        } => format!(
            "{file}: written with the results ({} {}) in its own form ({}); review it before committing",
            changes,
            if *changes == 1 { "change" } else { "changes" },
            form(dialect, *encoding)
        ),
        Say::CoverageBelow {
            path,
            covered,
            items,
            min,
        } => format!(
            "FAIL {path}: coverage {} ({covered} of {items} items exercised), below --min {}%; `forfait test --coverage` lists what no case exercises",
            percent(*covered, *items),
            min.normalize()
        ),
        Say::BadMin { value } => format!(
            "error: --min {value}: expected a percentage from 0 to 100, such as `--min 80`"
        ),
        Say::ColumnsFormat => "error: --columns writes CSV or JSON lines: add --format csv or --format jsonl (or an --output ending in .csv or .jsonl)".into(),
        Say::BadColumns { error, columns } => match error {
            ColumnError::Unknown { name, suggestion } => format!(
                "error: --columns: `{name}` is not a column of this rulebook's results{}; the columns are {columns}",
                suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default()
            ),
            ColumnError::Twice(name) => format!("error: --columns: `{name}` is asked twice"),
            ColumnError::Empty => format!("error: --columns: an empty name between two commas; the columns are {columns}"),
        },
        Say::NewWritten { path, from, moved } => {
            let mut text = format!("wrote {path}, from {from}:");
            for m in moved.iter() {
                let field = match m.field {
                    Field::Name => "rulebook",
                    Field::Title => "title",
                    Field::Exercice => "exercice",
                    Field::PaidIn => "paid in",
                };
                match m.field {
                    Field::Title => text.push_str(&format!(
                        "\n  {field}: \"{}\" → \"{}\"",
                        m.old, m.new
                    )),
                    _ => text.push_str(&format!("\n  {field}: {} → {}", m.old, m.new)),
                }
            }
            text
        }
        Say::ExamplesCopied { from, to, files } => format!(
            "copied {} of {from} to {to}: they still expect this year's amounts; once the rules are updated, `forfait test` says which ones moved (`forfait test --accept` after a deliberate change)",
            plural(*files, "file")
        ),
        Say::NoExamplesToCopy { from } => format!("no {from} beside it: no examples copied"),
        Say::NewExists { path } => format!(
            "error: {path} exists already: forfait new writes a new rulebook and overwrites nothing; nothing was written (remove or rename it first)"
        ),
        Say::NewRefused { from, error } => format!("error: {from}: {}", new_error(error)),
        Say::NewFromBroken { path, errors } => format!(
            "error: {path} has {}; nothing was written (next year's rulebook starts from one that checks)",
            plural(*errors, "error")
        ),
        Say::CannotCopyExamples { from, to, error } => format!(
            "error: cannot copy {from} to {to}: {error}; nothing was written"
        ),
        Say::ToReview { texts, exercice } => format!(
            "to review against the {exercice} guide: {} with a date, a year or an addendum number, left as they were (quotes are the guide's words: compare them, do not reword them):",
            plural(*texts, "text")
        ),
        Say::Review {
            path,
            review,
            exercice,
        } => format!(
            "  {path}:{}: {} in {}: {}",
            review.line,
            found_list(&review.found),
            place(&review.place),
            question(&review.place, *exercice)
        ),
        Say::NothingToReview => "no date, year or addendum number left in the labels, quotes and comments".into(),
        Say::UnknownProfession { paths, error } => format!(
            "error: --profession {}: no profession of that name in {paths}{}; the professions are: {}",
            error.name,
            error
                .suggestion
                .as_ref()
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default(),
            professions_list(&error.known)
        ),
        Say::GitMissing { error } => {
            format!("error: cannot run git: {error} (is git installed and on the PATH?)")
        }
        Say::NotAGitRepository { stderr } => format!(
            "error: forfait review compares two git revisions, and the current directory is not in a git repository: {stderr}\n  help: run it from inside the repository's working copy"
        ),
        Say::UnknownRevision { rev, stderr } => format!(
            "error: `{rev}` is not a revision git knows: {stderr}\n  help: a branch, a tag or a commit (main, origin/main, HEAD~1, a1b2c3d); in CI, fetch the base branch first (GitHub Actions: `fetch-depth: 0`; GitLab: `GIT_DEPTH: 0`)"
        ),
        Say::GitCommandFailed { command, stderr } => {
            format!("error: `{command}` failed: {stderr}")
        }
        Say::Reviewed {
            base,
            head,
            rulebooks: 0,
            ..
        } => format!("no rulebook (.forfait) nor example changed between {base} and {head}"),
        Say::Reviewed {
            base,
            head,
            rulebooks,
            failing,
            broken,
        } => {
            let mut text = format!(
                "{} changed between {base} and {head}",
                plural(*rulebooks, "rulebook")
            );
            if *broken > 0 {
                let verb = if *broken == 1 { "does" } else { "do" };
                text.push_str(&format!("; {broken} {verb} not check"));
            }
            match failing {
                0 => text.push_str("; their examples pass at the new revision"),
                n => text.push_str(&format!("; {} with failing examples", plural(*n, "rulebook"))),
            }
            text
        }
        Say::ThresholdUnmeasured { rule, old, new } if old == new => format!(
            "no declaration of the batch is exactly at {old} (threshold of `{rule}`): the effect of this threshold is not measured by this batch"
        ),
        Say::ThresholdUnmeasured { rule, old, new } => format!(
            "no declaration of the batch between {old} and {new} (threshold of `{rule}`): the effect of this threshold is not measured by this batch"
        ),
        Say::ComparedFor {
            profession,
            shown,
            changes,
            old_lacks,
            new_lacks,
        } => format!(
            "only what concerns {profession}: {shown} of {} (the header always; the others concern other professions only){}",
            plural(*changes, "change"),
            old_lacks
                .map(|path| format!("; {path} does not cover {profession}: every rule for them is new"))
                .or(new_lacks.map(|path| format!("; {path} does not cover {profession}: every rule for them is gone")))
                .unwrap_or_default()
        ),
        Say::StudioAt { url } => format!("Studio: {url}"),
        Say::StudioStopped => "studio stopped".into(),
        Say::StudioNotAFolder { path } => {
            format!("error: {path} is not a folder: the studio serves a folder of rulebooks")
        }
        Say::StudioCannotStart { error } => {
            format!("error: cannot start the studio: {error}")
        }
        Say::Refused(refusal) => refused(refusal),
        Say::Mapping { path, error } => {
            format!("error: {path}:{}: {}", error.line, mapping(&error.problem))
        }
        Say::Rejections { rejected, by } => {
            let reasons: Vec<String> = by
                .iter()
                .map(|(code, field, n)| match field {
                    Some(field) => format!("{n} `{field}` {}", reason(*code)),
                    None => format!("{n} {}", reason(*code)),
                })
                .collect();
            format!("{rejected} rejected: {}", reasons.join(", "))
        }
        Say::OutputDelimiter => {
            "error: --output-delimiter takes one of , ; | or a tab".into()
        }
        Say::ServeAt { addr, rulebooks } => format!(
            "forfait serve: listening on http://{addr} ({})",
            plural(*rulebooks, "rulebook")
        ),
        Say::ServeStopped => "forfait serve: stopped".into(),
        Say::ServeNotAFolder { path } => {
            format!("error: {path} is not a folder: forfait serve serves a folder of rulebooks")
        }
        Say::ServeCannotListen {
            addr,
            in_use: true,
            ..
        } => format!(
            "error: cannot listen on {addr}: the address is already in use (another server, or another forfait serve?); choose another with --addr"
        ),
        Say::ServeCannotListen { addr, error, .. } => {
            format!("error: cannot listen on {addr}: {error}")
        }
        Say::ServeCannotStart { error } => format!("error: cannot start the service: {error}"),
        Say::DecisionLogCannotOpen { path, error } => {
            format!("error: cannot open the decision log {path}: {error}")
        }
        Say::DecisionLogFailed { path, error } => format!(
            "error: cannot write to the decision log {path}: {error}; the request was answered 503 and not counted as decided"
        ),
        Say::ServeLoaded { path, hash } => format!("{path}: served ({hash})"),
        Say::ServeKeptStale { path, errors, hash } => format!(
            "{path}: the file no longer checks ({}): still serving the last version that did ({hash})",
            plural(*errors, "error")
        ),
        Say::ServeBroken { path, errors } => format!(
            "{path}: does not check ({}): not served until it does",
            plural(*errors, "error")
        ),
        Say::ServeRemoved { path } => format!("{path}: removed, no longer served"),
        Say::ServeRefused(refusal) => serve_refused(refusal),
    }
}

/// A problem of a mapping file.
fn mapping(problem: &MappingProblem) -> String {
    match problem {
        MappingProblem::Syntax(words) => format!("not a mapping file: {words}"),
        MappingProblem::UnknownInput {
            name,
            rulebook,
            suggestion,
        } => match suggestion {
            Some(likely) => format!(
                "`{name}` is not an input of rulebook `{rulebook}`; did you mean `{likely}`?"
            ),
            None => format!("`{name}` is not an input of rulebook `{rulebook}`, nor `id`"),
        },
        MappingProblem::NotAChoice { input } => {
            format!("`{input}` is not a choice: only a choice's values can be mapped")
        }
        MappingProblem::UnknownChoice {
            input,
            name,
            suggestion,
        } => match suggestion {
            Some(likely) => {
                format!("`{name}` is not one of the values of `{input}`; did you mean `{likely}`?")
            }
            None => format!("`{name}` is not one of the values of `{input}`"),
        },
        MappingProblem::Twice { heading } => {
            format!("`{heading}` is both renamed and ignored, or ignored twice")
        }
    }
}

/// Why declarations were rejected, after their field: "`cdc_sesam_vitale` missing".
fn reason(code: Code) -> &'static str {
    match code {
        Code::Malformed => "unreadable",
        Code::DuplicateField => "given twice",
        Code::WrongType => "not of its type",
        Code::MissingId => "without an id",
        Code::BadHeader => "under a bad header",
        Code::MissingInput => "missing",
        Code::UnknownField => "unknown",
        Code::ProfessionNotCovered => "profession not covered",
        Code::UnknownValue => "not one of the values",
    }
}

fn serve_refused(refusal: &ServeRefusal) -> String {
    match refusal {
        ServeRefusal::NoSuchRoute { path } => {
            format!("nothing at {path}: GET /openapi.json lists the routes")
        }
        ServeRefusal::Method { method, path } => format!("{path} does not take {method}"),
        ServeRefusal::UnknownRulebook {
            name,
            file_of: Some((path, served)),
            ..
        } => format!("no rulebook named `{name}`: the file `{path}` is served as `{served}`"),
        ServeRefusal::UnknownRulebook { name, known, .. } if known.is_empty() => {
            format!("no rulebook named `{name}`: the service serves none")
        }
        ServeRefusal::UnknownRulebook { name, known, .. } => format!(
            "no rulebook named `{name}`; served: {}",
            known.join(", ")
        ),
        ServeRefusal::RulebookBroken { name, errors } => format!(
            "the rulebook `{name}` does not check ({}) and no earlier version of it did: nothing to evaluate with",
            plural(*errors, "error")
        ),
        ServeRefusal::WrongContentType { expected } => {
            format!("the body must be sent as {expected}")
        }
        ServeRefusal::BadBody { error } => format!("the body cannot be read: {error}"),
        ServeRefusal::BodyTooLarge { limit } => {
            format!("the body is too large: {limit} bytes at most")
        }
        ServeRefusal::Timeout { seconds } => format!(
            "the request took more than {}: it was abandoned",
            plural(usize::try_from(*seconds).unwrap_or(usize::MAX), "second")
        ),
        ServeRefusal::OneDeclaration => {
            "explain takes one declaration (a JSON object), not an array".into()
        }
        ServeRefusal::DecisionLog => {
            "the decision could not be recorded in the decision log: nothing was decided; try again later".into()
        }
        ServeRefusal::Internal => "the service failed on this request; the others go on".into(),
    }
}

fn refused(refusal: &Refusal) -> String {
    match refusal {
        Refusal::Host { host } => {
            format!("`{host}` is not the studio's address: open the address the studio printed")
        }
        Refusal::Origin { origin } => {
            format!("a page of {origin} cannot use the studio")
        }
        Refusal::Token => "missing or wrong token: open the address the studio printed".into(),
        Refusal::NotJson => "the body must be JSON (Content-Type: application/json)".into(),
        Refusal::BodyTooLarge { limit_mib } => {
            format!("the request is too large: {limit_mib} MiB at most")
        }
        Refusal::UrlTooLong { limit } => {
            format!("the address is too long: {limit} characters at most")
        }
        Refusal::NoSuchRoute { path } => format!("the studio has nothing at {path}"),
        Refusal::Method { method, path } => format!("{path} does not take {method}"),
        Refusal::BadRequest { error } => format!("the request is not what it should be: {error}"),
        Refusal::NoPath => "no path given".into(),
        Refusal::AbsolutePath { path } => {
            format!("`{path}` is an absolute path: paths are relative to the studio's folder")
        }
        Refusal::ParentPath { path } => {
            format!("`{path}` goes up with `..`: paths stay inside the studio's folder")
        }
        Refusal::OutsideFolder { path } => {
            format!("`{path}` leads outside the studio's folder")
        }
        Refusal::WrongExtension { path, expected } => {
            format!("`{path}` is not a {expected} file")
        }
        Refusal::NoSuchFile { path } => format!("`{path}` does not exist"),
        Refusal::CannotRead { path, error } => {
            format!("cannot read `{path}`: {}", error.words(Lang::En))
        }
        Refusal::NotUtf8 { path } => format!("`{path}` is not UTF-8 text"),
        Refusal::CannotWrite { path, error } => {
            format!(
                "cannot write `{path}`: {}; it was left as it was",
                error.words(Lang::En)
            )
        }
        Refusal::DoesNotParse => ide_refusal(),
        Refusal::DoesNotCheck { errors } => format!(
            "the rulebook has {}: correct it first",
            plural(*errors, "error")
        ),
        Refusal::ExampleName { name } => {
            format!("`{name}` cannot name an example: lowercase letters, digits and `-` only")
        }
        Refusal::ExampleExists { name } => {
            format!("the example `{name}` exists already: say to overwrite it")
        }
        Refusal::NotADeclaration { path } => {
            format!("`{path}` does not hold one declaration (a JSON object)")
        }
        Refusal::Revision { revision } => format!(
            "`{revision}` is not a revision the studio reads (a branch, a tag, HEAD or a commit)"
        ),
        Refusal::GitCannotRun { error } => {
            format!(
                "cannot run git: {} (is git installed?)",
                error.words(Lang::En)
            )
        }
        Refusal::Git { revision, stderr } => {
            format!("git has no version {revision} of this rulebook: {stderr}")
        }
        Refusal::Internal => "the studio failed on this request; the others go on".into(),
    }
}

fn ide_refusal() -> String {
    forfait::ide::DoesNotParse.words(Lang::En)
}

fn expectation(error: &ExpectationError) -> String {
    match error {
        ExpectationError::Header(e) => format!("cannot read the header: {e}"),
        ExpectationError::HeaderStart => {
            "the header must start with `example,total_eur` (or `example;total_eur`)".into()
        }
        ExpectationError::NotAnIndicator {
            column,
            position,
            rulebook,
            suggestion,
        } => format!(
            "line 1, column {position}: `{column}` is not an indicator of `{rulebook}`{}; the columns after total_eur are named after indicators",
            suggestion
                .as_ref()
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default()
        ),
        ExpectationError::Row(e) => format!("unreadable row: {e}"),
        ExpectationError::NoExample { line } => format!("line {line}: the row names no example"),
        ExpectationError::ListedTwice {
            line,
            example,
            first,
        } => format!(
            "line {line}: example `{example}` is listed twice (first on line {first}); keep one row"
        ),
        ExpectationError::BadTotal { line, total } => format!(
            "line {line}, column 2 (total_eur): `{total}` is neither an amount (`490.00`, `490,00`, `1 440,00`) nor `error` (or `erreur`)"
        ),
        ExpectationError::BadStatus {
            line,
            column,
            status,
            indicator,
        } => format!(
            "line {line}, column {column} (`{indicator}`): `{status}` is not a status: met, not_met, neutralised, not_applicable (in French: atteint, non atteint, neutralisé, sans objet)"
        ),
        ExpectationError::Width {
            line,
            cells,
            header,
            delimiter,
        } => format!(
            "line {line}: {}, where the header has {header}; each row has one cell per column{}",
            plural(*cells, "cell"),
            if *delimiter == ',' {
                " (an amount with a decimal comma in a file separated by `,` is quoted: \"490,00\")"
            } else {
                ""
            }
        ),
    }
}

fn rejected(rejection: &Rejected) -> String {
    match rejection {
        Rejected::Missing(fields) => format!("missing {}", fields.join(", ")),
        Rejected::Record(r) => r.render(Lang::En),
    }
}

fn failure_words(failure: &Failure) -> String {
    match failure {
        Failure::NotOneDeclaration { file, count } => {
            format!("{file} holds {count} declarations; a case holds one")
        }
        Failure::Total { expected, got } => format!("total: expected {expected}, got {got}"),
        Failure::RejectedInstead {
            expected,
            rejection,
        } => format!(
            "total: expected {expected}, but the declaration was rejected: {}",
            rejection.as_ref().map(rejected).unwrap_or_default()
        ),
        Failure::EvaluatedInstead { total } => {
            format!("expected a rejection, but it was evaluated: total {total}")
        }
        Failure::Status {
            indicator,
            expected,
            actual,
        } => format!("`{indicator}`: expected {expected}, got {actual}"),
        Failure::BelowMaximum {
            most,
            paid,
            unmet,
            short,
        } => {
            let why = if unmet.is_empty() {
                format!("it is paid less than it could be on {}", names(short))
            } else {
                format!("it does not meet {}", names(unmet))
            };
            format!(
                "maximum: the rules can pay {}, the maximum example is paid {}: {why}; complete its declaration, or rename the case if it is no longer meant as the maximum",
                eur(*most),
                eur(*paid)
            )
        }
        Failure::MaximumUnknown { max } => format!(
            "maximum: the most the rules can pay this example is not computed (more than {max} profiles)"
        ),
    }
}

/// How `expected.csv` is written: `` `;` between cells, decimal comma, ... ``.
fn form(dialect: &Dialect, encoding: FileEncoding) -> String {
    let cells = match dialect.delimiter {
        b';' => "`;` between cells",
        b'\t' => "tabs between cells",
        _ => "`,` between cells",
    };
    let point = if dialect.decimal_comma {
        "decimal comma"
    } else {
        "decimal point"
    };
    let thousands = match dialect.thousands {
        None => "",
        Some('\u{a0}') => ", thousands grouped by a no-break space",
        Some('\u{202f}') => ", thousands grouped by a narrow no-break space",
        Some(_) => ", thousands grouped by a space",
    };
    let words = if dialect.french {
        "statuses in French"
    } else {
        "statuses in English"
    };
    let bytes = match encoding {
        FileEncoding::Utf8 => "UTF-8",
        FileEncoding::Utf8Bom => "UTF-8 with a byte order mark",
        FileEncoding::Utf16Le => "UTF-16LE with a byte order mark",
        FileEncoding::Utf16Be => "UTF-16BE with a byte order mark",
        FileEncoding::Windows1252 => "Windows-1252",
    };
    let ends = if dialect.crlf { "CRLF" } else { "LF" };
    format!("{cells}, {point}{thousands}, {words}, {bytes}, {ends} line ends")
}

/// `62.5%`, `97.91%`: truncated to two decimals (as the French `french::rate`), never
/// rounded up to a threshold it does not reach.
fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "100.0%".into();
    }
    let hundredths = part as u128 * 10_000 / whole as u128;
    let fraction = hundredths % 100;
    if fraction % 10 == 0 {
        format!("{}.{}%", hundredths / 100, fraction / 10)
    } else {
        format!("{}.{fraction:02}%", hundredths / 100)
    }
}

/// `1440.00 EUR`
fn eur(amount: rust_decimal::Decimal) -> String {
    let mut a = amount.round_dp(2);
    a.rescale(2);
    format!("{a} EUR")
}

/// `` `a`, `b` and `c` ``
fn names(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

fn coverage_item(item: &CoverageItem) -> String {
    match item {
        CoverageItem::Status { indicator, status } => format!(
            "indicator `{indicator}` {}",
            match status {
                Status::Met => "met",
                Status::NotMet => "not met",
                Status::Neutralised => "neutralised",
                Status::NotApplicable => "not applicable",
            }
        ),
        CoverageItem::Branch {
            indicator,
            condition,
            holds,
        } => format!(
            "`{indicator}`: `{condition}` {}",
            if *holds { "true" } else { "false" }
        ),
        CoverageItem::GateBlocking { owner } => format!("gate of `{owner}` blocking a met rule"),
        CoverageItem::GatePassed { owner } => format!("gate of `{owner}` passed"),
        CoverageItem::Amount { owner, when } => match when {
            Some(condition) => format!("amount of `{owner}` when {condition}"),
            None => format!("amount of `{owner}` otherwise"),
        },
    }
}

/// A total as `expected.csv` writes it, or the word for a rejected declaration.
fn total_word(total: &Option<rust_decimal::Decimal>) -> String {
    match total {
        Some(t) => t.to_string(),
        None => "error (rejected)".into(),
    }
}

fn new_error(error: &NextYearError) -> String {
    match error {
        NextYearError::DoesNotParse => "it does not parse (`forfait check` says why); nothing was written".into(),
        NextYearError::SameExercice { exercice } => format!(
            "its exercice is {exercice} already: --exercice names the new year (such as {})",
            u32::from(*exercice) + 1
        ),
        NextYearError::BadYear { year } => format!(
            "{year} is not a year of four digits (the exercice and the payment year must both be); nothing was written"
        ),
        NextYearError::NoYearInFileName {
            file_name,
            exercice,
        } => format!(
            "its file name {file_name} has no year {exercice} to move on (expected a name such as {exercice}-chirurgiens-dentistes.forfait); nothing was written"
        ),
        NextYearError::DoesNotCheck { errors } => format!(
            "the rulebook written would have {} (a bug of forfait new: please report it); nothing was written",
            plural(*errors, "error")
        ),
    }
}

/// `31/12/2024`, `31/12/2024 and addendum 8`, `a, b and c`: each text once.
fn found_list(found: &[(Found, String)]) -> String {
    let mut texts: Vec<&str> = Vec::new();
    for (_, text) in found {
        if !texts.contains(&text.as_str()) {
            texts.push(text);
        }
    }
    match texts.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// `input `x``, `stated total "TOTAL"`.
fn owner(owner: Owner, name: &str) -> String {
    match owner {
        Owner::Input => format!("input `{name}`"),
        Owner::List => format!("list `{name}`"),
        Owner::Indicator => format!("indicator `{name}`"),
        Owner::Group => format!("group `{name}`"),
        Owner::StatedTotal => format!("stated total \"{name}\""),
    }
}

/// Where a text to review stands: `the label of input `x``.
fn place(place: &Place) -> String {
    match place {
        Place::Title => "the title".into(),
        Place::Guide => "the guide named".into(),
        Place::ProfessionLabel { profession } => {
            format!("the label of profession `{profession}`")
        }
        Place::Comment => "a comment".into(),
        Place::Item {
            owner: o,
            name,
            text,
        } => {
            let of = owner(*o, name);
            match text {
                TextKind::Label => format!("the label of {of}"),
                TextKind::ValueLabel { value } => format!("the label of value `{value}` of {of}"),
                TextKind::Unit => format!("the unit of {of}"),
                TextKind::Evidence => format!("the evidence of {of}"),
                TextKind::Quote => format!("a quote of {of}"),
                TextKind::Neutralisation => format!("the neutralisation of {of}"),
                TextKind::Condition => format!("a condition of {of}"),
                TextKind::Missing => format!("what a missing value of {of} means"),
            }
        }
    }
}

/// What to ask of a text to review.
fn question(place: &Place, exercice: u16) -> String {
    match place {
        Place::Guide => format!("still the guide of {exercice}?"),
        Place::Item {
            text: TextKind::Quote | TextKind::Neutralisation,
            ..
        } => format!("still the words of the {exercice} guide?"),
        Place::Item {
            text: TextKind::Condition | TextKind::Missing,
            ..
        } => format!("still the rule in {exercice}?"),
        _ => format!("still right for {exercice}?"),
    }
}

/// `infirmier (Infirmiers), sage_femme`
fn professions_list(known: &[(String, Option<String>)]) -> String {
    known
        .iter()
        .map(|(name, label)| match label {
            Some(label) => format!("{name} ({label})"),
            None => name.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
