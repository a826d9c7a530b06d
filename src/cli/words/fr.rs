//! Ce que dit la ligne de commande, en français. Les montants et les nombres s'écrivent
//! comme ailleurs en français dans forfait (`crate::french` : `1 240,00 €`) ; les codes,
//! les noms des options (`--encoding`) et les mots-clés restent tels quels.

use std::io;

use forfait::declaration::mapping::MappingProblem;
use forfait::declaration::{Code, IoFailure};
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
    indicator: "indicateur",
    expected: "attendu",
    actual: "obtenu",
    decided_by: "décidé par",
};

pub(super) const PROGRESS: &str = "{bar:40} {percent:>3} % {msg} (depuis {elapsed}, reste {eta})";

/// `0 erreur`, `1 erreur`, `2 erreurs` : en français, 0 et 1 sont au singulier.
fn plural(n: usize, one: &str, many: &str) -> String {
    let count = french::count(n as u64);
    if n <= 1 {
        format!("{count} {one}")
    } else {
        format!("{count} {many}")
    }
}

/// Le singulier ou le pluriel d'un mot qui suit un nombre déjà écrit.
fn agree(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n <= 1 {
        one
    } else {
        many
    }
}

fn errors(n: usize) -> String {
    plural(n, "erreur", "erreurs")
}

fn warnings(n: usize) -> String {
    plural(n, "avertissement", "avertissements")
}

/// Les mots d'une erreur du système que forfait sait nommer.
fn io(error: &io::Error) -> String {
    IoFailure::of(error).words(Lang::Fr)
}

pub(super) fn say(say: &Say<'_>) -> String {
    match say {
        Say::CannotRead { path, error } => {
            format!("erreur : impossible de lire {path} : {}", io(error))
        }
        Say::Verdict(verdict) => format!("erreur : {}", verdict.message(Lang::Fr)),
        Say::ReadFailed(error) => format!("erreur : {}", error.message(Lang::Fr)),
        Say::CannotWrite { target, error } => {
            format!("erreur : impossible d'écrire {target} : {}", io(error))
        }
        Say::CannotWriteTo { target, error } => {
            format!("erreur : impossible d'écrire sur {target} : {}", io(error))
        }
        Say::NotCompleted { target, error } => format!(
            "erreur : impossible d'écrire {target} : {} ; le fichier n'a pas été écrit",
            io(error)
        ),
        Say::NotWritten { target } => format!("{target} n'a pas été écrit"),
        Say::Wrote { path } => format!("{path} écrit"),
        Say::OutputIsInput { target, input } => format!(
            "erreur : --output {target} est le fichier lu {input} : l'écrire détruirait ce qui est lu ; choisissez un autre fichier"
        ),
        Say::Interrupted { target: Some(target) } => format!(
            "interrompu : {target} n'a pas été écrit (les résultats partiels ont été supprimés)"
        ),
        Say::Interrupted { target: None } => "interrompu".into(),
        Say::CtrlCUnwatched { error } => format!(
            "avertissement : impossible de surveiller Ctrl-C ({error}) ; une exécution interrompue peut laisser un fichier temporaire"
        ),
        Say::StandardOutput => "la sortie standard".into(),
        Say::DelimiterNotAscii => {
            "erreur : --delimiter doit être un seul caractère ASCII, comme `;`".into()
        }
        Say::CheckOk {
            path,
            indicators,
            groups,
            payment_lines,
            totals,
            warnings: warned,
        } => {
            let totals: Vec<String> = totals
                .iter()
                .map(|t| {
                    let amount = if t.points {
                        french::points(t.amount)
                    } else {
                        french::money(t.amount)
                    };
                    format!("{} = {amount}", t.label)
                })
                .collect();
            format!(
                "ok : {path} : {}, {}, {} ; {}{}",
                plural(*indicators, "indicateur", "indicateurs"),
                plural(*groups, "groupe", "groupes"),
                plural(*payment_lines, "ligne de paiement", "lignes de paiement"),
                if totals.is_empty() {
                    "aucun total annoncé".to_string()
                } else {
                    format!("totaux annoncés vérifiés : {}", totals.join(" ; "))
                },
                match warned {
                    0 => String::new(),
                    n => format!(" ({})", warnings(*n)),
                }
            )
        }
        Say::CheckFailed {
            path,
            errors: n,
            warnings: w,
        } => format!("erreur : {path} : {}, {}", errors(*n), warnings(*w)),
        Say::NothingEvaluated { path, errors: n } => format!(
            "erreur : {path} a {} ; rien n'a été évalué",
            errors(*n)
        ),
        Say::NoPageWritten { path, errors: n } => format!(
            "erreur : {path} a {} ; aucune page n'a été écrite",
            errors(*n)
        ),
        Say::NothingCompared { path, errors: n } => format!(
            "erreur : {path} a {} ; rien n'a été comparé",
            errors(*n)
        ),
        Say::CannotFormat { path } => format!(
            "erreur : {path} ne peut pas être mis en forme tant qu'il a des erreurs de syntaxe"
        ),
        Say::AlreadyCanonical { files } => format!(
            "{} déjà dans la forme canonique",
            plural(*files, "fichier", "fichiers")
        ),
        Say::NotCanonical { changed, files } => format!(
            "{} sur {} pas dans la forme canonique ; lancez `forfait fmt` dessus",
            plural(*changed, "fichier", "fichiers"),
            french::count(*files as u64)
        ),
        Say::Reformatted { changed, files } => format!(
            "{} sur {} remis en forme",
            plural(*changed, "fichier", "fichiers"),
            french::count(*files as u64)
        ),
        Say::GitCannotRun { arg, error } => format!(
            "erreur : impossible de lancer `git show {arg}` : {} (git est-il installé ?)",
            io(error)
        ),
        Say::GitFailed { arg, stderr } => format!(
            "erreur : `git show {arg}` a échoué : {stderr}\n  aide : `{arg}` n'est ni un fichier ni un RÉVISION:CHEMIN que git connaît ; un chemin après `:` part de la racine du dépôt (ou écrivez `RÉVISION:./CHEMIN`)"
        ),
        Say::Rejected(rejection) => format!("erreur : {}", rejection.render(Lang::Fr)),
        Say::NoSuchId { id, path } => {
            format!("erreur : aucune déclaration d'id `{id}` dans {path}")
        }
        Say::JobsZero => "erreur : --jobs 0 : il faut au moins un fil d'exécution pour évaluer ; sans --jobs, tous les cœurs sont utilisés".into(),
        Say::JobsCapped { asked, cores } => format!(
            "remarque : --jobs {asked} dépasse les {cores} cœurs de cette machine ; {cores} sont utilisés"
        ),
        Say::Read {
            read,
            evaluated,
            rejected,
            stopped_early,
        } => format!(
            "{} {} : {} {}, {} {}{}",
            plural(*read as usize, "déclaration", "déclarations"),
            agree(*read, "lue", "lues"),
            french::count(*evaluated),
            agree(*evaluated, "évaluée", "évaluées"),
            french::count(*rejected),
            agree(*rejected, "rejetée", "rejetées"),
            if *stopped_early {
                " (arrêt à la première déclaration rejetée : --strict)"
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
                "payé : {} au total ({})",
                french::euros(*total),
                lines.join(", ")
            )
        }
        Say::RejectedInOutput => "les déclarations rejetées figurent dans les résultats, chacune avec son fichier, sa ligne, son champ et ce qui était attendu".into(),
        Say::Progress { rows, per_second } => format!(
            "{} {}, {}/s",
            french::count(*rows),
            agree(*rows, "déclaration", "déclarations"),
            french::count(u64::try_from(*per_second).unwrap_or(u64::MAX))
        ),
        Say::NothingToTest { path } => {
            format!("erreur : {path} n'existe pas : il n'y a rien à tester")
        }
        Say::NoCases { path, expected } => {
            format!("{path} : aucun cas ({expected} introuvable)")
        }
        Say::RulebookDoesNotCheck { path } => {
            format!("ÉCHEC {path} : le référentiel a des erreurs (forfait check)")
        }
        Say::BadExpectations { file, error } => format!("ÉCHEC {file} : {}", expectation(error)),
        Say::UnlistedCase { file, expected } => format!(
            "ÉCHEC {file} : un fichier de cas que {expected} ne liste pas ; ajoutez sa ligne (example,total_eur,...) ou supprimez le fichier"
        ),
        Say::CaseUnreadable { file } => {
            format!("ÉCHEC {file} : listé dans expected.csv, mais illisible")
        }
        Say::Fail { file } => format!("ÉCHEC {file}"),
        Say::Failure(failure) => format!("  {}", failure_words(failure)),
        Say::CasesPass {
            path,
            passed,
            cases,
        } => format!(
            "{path} : {} sur {} {}",
            plural(*passed, "cas", "cas"),
            french::count(*cases as u64),
            agree(*passed as u64, "réussi", "réussis")
        ),
        Say::Coverage { covered, items } => format!(
            "  couverture : {} sur {} {}",
            plural(*covered, "élément", "éléments"),
            french::count(*items as u64),
            agree(*covered as u64, "exercé", "exercés")
        ),
        Say::NotExercised(item) => format!("  non exercé : {}", coverage_item(item)),
        Say::Tally { passed, failed } => format!(
            "{} {}, {} en échec",
            french::count(*passed as u64),
            agree(*passed as u64, "réussi", "réussis"),
            french::count(*failed as u64)
        ),
        Say::NoTestCase { paths } => format!(
            "erreur : aucun cas de test dans {paths} : chaque référentiel X.forfait garde ses cas dans X.examples/expected.csv"
        ),
        Say::NoRulebook { paths } => format!("erreur : aucun fichier .forfait dans {paths}"),
        Say::Accepted(change) => match change {
            Change::Total { example, from, to } => format!(
                "  {example} : total {} → {}",
                total_word(from),
                total_word(to)
            ),
            Change::Status {
                example,
                indicator,
                from,
                to,
            } => format!(
                "  {example} : `{indicator}` {} → {}",
                status_word(from),
                status_word(to)
            ),
            Change::Added { example, total } => {
                format!("  {example} : ajouté, total {}", total_word(total))
            }
        },
        Say::ExpectationsWritten {
            file,
            changes,
            dialect,
            encoding,
        } => format!(
            "{file} : réécrit avec les résultats ({} {}) dans sa propre forme ({}) ; relisez-le avant de le valider",
            french::count(*changes as u64),
            if *changes <= 1 { "changement" } else { "changements" },
            form(dialect, *encoding)
        ),
        Say::CoverageBelow {
            path,
            covered,
            items,
            min,
        } => format!(
            "ÉCHEC {path} : couverture de {} ({} sur {} {}), sous le --min de {} % ; `forfait test --coverage` liste ce qu'aucun cas n'exerce",
            french::rate(*covered as u64, *items as u64),
            plural(*covered, "élément", "éléments"),
            french::count(*items as u64),
            agree(*covered as u64, "exercé", "exercés"),
            french::number(*min)
        ),
        Say::BadMin { value } => format!(
            "erreur : --min {value} : un pourcentage de 0 à 100 est attendu, comme `--min 80`"
        ),
        Say::ColumnsFormat => "erreur : --columns écrit du CSV ou des JSON lines : ajoutez --format csv ou --format jsonl (ou un --output terminé par .csv ou .jsonl)".into(),
        Say::BadColumns { error, columns } => match error {
            ColumnError::Unknown { name, suggestion } => format!(
                "erreur : --columns : `{name}` n'est pas une colonne des résultats de ce référentiel{} ; les colonnes sont {columns}",
                suggestion.as_ref().map(|s| format!(" (vouliez-vous dire `{s}` ?)")).unwrap_or_default()
            ),
            ColumnError::Twice(name) => format!("erreur : --columns : `{name}` est demandée deux fois"),
            ColumnError::Empty => format!("erreur : --columns : un nom vide entre deux virgules ; les colonnes sont {columns}"),
        },
        Say::NewWritten { path, from, moved } => {
            let mut text = format!("{path} écrit, d'après {from} :");
            for m in moved.iter() {
                let field = match m.field {
                    Field::Name => "référentiel",
                    Field::Title => "titre",
                    Field::Exercice => "exercice",
                    Field::PaidIn => "versé en",
                };
                match m.field {
                    Field::Title => text.push_str(&format!(
                        "\n  {field} : « {} » → « {} »",
                        m.old, m.new
                    )),
                    _ => text.push_str(&format!("\n  {field} : {} → {}", m.old, m.new)),
                }
            }
            text
        }
        Say::ExamplesCopied { from, to, files } => format!(
            "{} de {from} copiés dans {to} : ils attendent encore les montants de cette année ; une fois les règles mises à jour, `forfait test` dit lesquels ont bougé (`forfait test --accept` après un changement voulu)",
            plural(*files, "fichier", "fichiers")
        ),
        Say::NoExamplesToCopy { from } => {
            format!("pas de {from} à côté : aucun exemple copié")
        }
        Say::NewExists { path } => format!(
            "erreur : {path} existe déjà : forfait new écrit un nouveau référentiel et n'écrase rien ; rien n'a été écrit (supprimez-le ou renommez-le d'abord)"
        ),
        Say::NewRefused { from, error } => format!("erreur : {from} : {}", new_error(error)),
        Say::NewFromBroken { path, errors } => format!(
            "erreur : {path} a {} ; rien n'a été écrit (le référentiel de l'année suivante part d'un référentiel qui se vérifie)",
            self::errors(*errors)
        ),
        Say::CannotCopyExamples { from, to, error } => format!(
            "erreur : impossible de copier {from} dans {to} : {} ; rien n'a été écrit",
            io(error)
        ),
        Say::ToReview { texts, exercice } => format!(
            "à relire avec le guide {exercice} : {} avec une date, une année ou un numéro d'avenant, laissés tels quels (les citations sont les mots du guide : comparez-les, ne les reformulez pas) :",
            plural(*texts, "texte", "textes")
        ),
        Say::Review {
            path,
            review,
            exercice,
        } => format!(
            "  {path}:{} : {} dans {} : {}",
            review.line,
            found_list(&review.found),
            place(&review.place),
            question(&review.place, *exercice)
        ),
        Say::NothingToReview => "plus aucune date, année ou numéro d'avenant dans les libellés, citations et commentaires".into(),
        Say::UnknownProfession { paths, error } => format!(
            "erreur : --profession {} : aucune profession de ce nom dans {paths}{} ; les professions sont : {}",
            error.name,
            error
                .suggestion
                .as_ref()
                .map(|s| format!(" (vouliez-vous dire `{s}` ?)"))
                .unwrap_or_default(),
            professions_list(&error.known)
        ),
        Say::GitMissing { error } => format!(
            "erreur : impossible de lancer git : {} (git est-il installé, et dans le PATH ?)",
            io(error)
        ),
        Say::NotAGitRepository { stderr } => format!(
            "erreur : forfait review compare deux révisions git, et le dossier courant n'est dans aucun dépôt git : {stderr}\n  aide : lancez-le depuis la copie de travail du dépôt"
        ),
        Say::UnknownRevision { rev, stderr } => format!(
            "erreur : `{rev}` n'est pas une révision que git connaît : {stderr}\n  aide : une branche, une étiquette ou un commit (main, origin/main, HEAD~1, a1b2c3d) ; en intégration continue, récupérez d'abord la branche de base (GitHub Actions : `fetch-depth: 0` ; GitLab : `GIT_DEPTH: 0`)"
        ),
        Say::GitCommandFailed { command, stderr } => {
            format!("erreur : `{command}` a échoué : {stderr}")
        }
        Say::Reviewed {
            base,
            head,
            rulebooks: 0,
            ..
        } => format!(
            "aucun référentiel (.forfait) ni exemple ne change entre {base} et {head}"
        ),
        Say::Reviewed {
            base,
            head,
            rulebooks,
            failing,
            broken,
        } => {
            let mut text = format!(
                "{} entre {base} et {head}",
                plural(*rulebooks, "référentiel changé", "référentiels changés")
            );
            if *broken > 0 {
                text.push_str(&format!(
                    " ; {}",
                    plural(*broken, "ne se vérifie pas", "ne se vérifient pas")
                ));
            }
            match failing {
                0 => text.push_str(" ; leurs exemples passent dans la nouvelle révision"),
                n => text.push_str(&format!(
                    " ; {}",
                    plural(*n, "a des exemples en échec", "ont des exemples en échec")
                )),
            }
            text
        }
        Say::ThresholdUnmeasured { rule, old, new } if old == new => format!(
            "aucune déclaration du lot à {old} exactement (seuil de « {rule} ») : l'effet de ce seuil n'est pas mesuré par ce lot"
        ),
        Say::ThresholdUnmeasured { rule, old, new } => format!(
            "aucune déclaration du lot entre {old} et {new} (seuil de « {rule} ») : l'effet de ce seuil n'est pas mesuré par ce lot"
        ),
        Say::ComparedFor {
            profession,
            shown,
            changes,
            old_lacks,
            new_lacks,
        } => format!(
            "seulement ce qui concerne {profession} : {} sur {} (l'en-tête toujours ; les autres ne concernent que d'autres professions){}",
            french::count(*shown as u64),
            plural(*changes, "changement", "changements"),
            old_lacks
                .map(|path| format!(" ; {path} ne couvre pas {profession} : toutes ses règles sont nouvelles"))
                .or(new_lacks.map(|path| format!(" ; {path} ne couvre pas {profession} : toutes ses règles disparaissent")))
                .unwrap_or_default()
        ),
        Say::StudioAt { url } => format!("Studio : {url}"),
        Say::StudioStopped => "studio arrêté".into(),
        Say::StudioNotAFolder { path } => format!(
            "erreur : {path} n'est pas un dossier : le studio sert un dossier de référentiels"
        ),
        Say::StudioCannotStart { error } => {
            format!("erreur : impossible de démarrer le studio : {error}")
        }
        Say::Refused(refusal) => refused(refusal),
        Say::Mapping { path, error } => {
            format!("erreur : {path}:{} : {}", error.line, mapping(&error.problem))
        }
        Say::Rejections { rejected, by } => {
            let reasons: Vec<String> = by
                .iter()
                .map(|(code, field, n)| match field {
                    Some(field) => format!("{} `{field}` {}", french::count(*n), reason(*code)),
                    None => format!("{} {}", french::count(*n), reason(*code)),
                })
                .collect();
            format!(
                "{} {} : {}",
                french::count(*rejected),
                agree(*rejected, "rejetée", "rejetées"),
                reasons.join(", ")
            )
        }
        Say::OutputDelimiter => {
            "erreur : --output-delimiter prend l'un de , ; | ou une tabulation".into()
        }
        Say::ServeAt { addr, rulebooks } => format!(
            "forfait serve : à l'écoute sur http://{addr} ({})",
            plural(*rulebooks, "référentiel", "référentiels")
        ),
        Say::ServeStopped => "forfait serve : arrêté".into(),
        Say::ServeNotAFolder { path } => format!(
            "erreur : {path} n'est pas un dossier : forfait serve sert un dossier de référentiels"
        ),
        Say::ServeCannotListen {
            addr,
            in_use: true,
            ..
        } => format!(
            "erreur : impossible d'écouter sur {addr} : l'adresse est déjà prise (un autre serveur, ou un autre forfait serve ?) ; choisissez-en une autre avec --addr"
        ),
        Say::ServeCannotListen { addr, error, .. } => {
            format!("erreur : impossible d'écouter sur {addr} : {}", io(error))
        }
        Say::ServeCannotStart { error } => {
            format!("erreur : impossible de démarrer le service : {error}")
        }
        Say::DecisionLogCannotOpen { path, error } => format!(
            "erreur : impossible d'ouvrir le journal des décisions {path} : {}",
            io(error)
        ),
        Say::DecisionLogFailed { path, error } => format!(
            "erreur : impossible d'écrire dans le journal des décisions {path} : {} ; la requête a reçu une réponse 503 et rien n'a été décidé",
            io(error)
        ),
        Say::ServeLoaded { path, hash } => format!("{path} : servi ({hash})"),
        Say::ServeKeptStale { path, errors, hash } => format!(
            "{path} : le fichier ne se vérifie plus ({}) : la dernière version correcte reste servie ({hash})",
            plural(*errors, "erreur", "erreurs")
        ),
        Say::ServeBroken { path, errors } => format!(
            "{path} : ne se vérifie pas ({}) : pas servi tant qu'il ne se vérifie pas",
            plural(*errors, "erreur", "erreurs")
        ),
        Say::ServeRemoved { path } => format!("{path} : retiré, plus servi"),
        Say::ServeRefused(refusal) => serve_refused(refusal),
    }
}

/// Un défaut d'un fichier de correspondance.
fn mapping(problem: &MappingProblem) -> String {
    match problem {
        MappingProblem::Syntax(words) => {
            format!("ce n'est pas un fichier de correspondance : {words}")
        }
        MappingProblem::UnknownInput {
            name,
            rulebook,
            suggestion,
        } => match suggestion {
            Some(likely) => format!(
                "`{name}` n'est pas une entrée du référentiel `{rulebook}` ; vouliez-vous dire `{likely}` ?"
            ),
            None => format!("`{name}` n'est ni une entrée du référentiel `{rulebook}` ni `id`"),
        },
        MappingProblem::NotAChoice { input } => format!(
            "`{input}` n'est pas une liste de choix : seules les valeurs d'un choix se font correspondre"
        ),
        MappingProblem::UnknownChoice {
            input,
            name,
            suggestion,
        } => match suggestion {
            Some(likely) => format!(
                "`{name}` ne fait pas partie des valeurs de `{input}` ; vouliez-vous dire `{likely}` ?"
            ),
            None => format!("`{name}` ne fait pas partie des valeurs de `{input}`"),
        },
        MappingProblem::Twice { heading } => {
            format!("`{heading}` est à la fois renommé et ignoré, ou ignoré deux fois")
        }
    }
}

/// Pourquoi des déclarations sont rejetées, après leur champ : « `cdc_sesam_vitale` manquant ».
fn reason(code: Code) -> &'static str {
    match code {
        Code::Malformed => "illisible",
        Code::DuplicateField => "donné deux fois",
        Code::WrongType => "mal écrit",
        Code::MissingId => "sans identifiant",
        Code::BadHeader => "sous un en-tête en défaut",
        Code::MissingInput => "manquant",
        Code::UnknownField => "inconnu",
        Code::ProfessionNotCovered => "profession non couverte",
        Code::UnknownValue => "hors des valeurs possibles",
    }
}

fn serve_refused(refusal: &ServeRefusal) -> String {
    match refusal {
        ServeRefusal::NoSuchRoute { path } => {
            format!("rien à l'adresse {path} : GET /openapi.json donne les routes")
        }
        ServeRefusal::Method { method, path } => format!("{path} ne prend pas {method}"),
        ServeRefusal::UnknownRulebook {
            name,
            file_of: Some((path, served)),
            ..
        } => format!(
            "aucun référentiel nommé `{name}` : le fichier `{path}` est servi sous le nom `{served}`"
        ),
        ServeRefusal::UnknownRulebook { name, known, .. } if known.is_empty() => {
            format!("aucun référentiel nommé `{name}` : le service n'en sert aucun")
        }
        ServeRefusal::UnknownRulebook { name, known, .. } => format!(
            "aucun référentiel nommé `{name}` ; servis : {}",
            known.join(", ")
        ),
        ServeRefusal::RulebookBroken { name, errors } => format!(
            "le référentiel `{name}` ne se vérifie pas ({}) et aucune version antérieure ne s'est vérifiée : rien pour évaluer",
            plural(*errors, "erreur", "erreurs")
        ),
        ServeRefusal::WrongContentType { expected } => {
            format!("le corps de la requête doit être envoyé en {expected}")
        }
        ServeRefusal::BadBody { error } => {
            format!("le corps de la requête est illisible : {error}")
        }
        ServeRefusal::BodyTooLarge { limit } => format!(
            "le corps de la requête est trop gros : {} octets au plus",
            french::count(u64::try_from(*limit).unwrap_or(u64::MAX))
        ),
        ServeRefusal::Timeout { seconds } => format!(
            "la requête a pris plus de {} : elle a été abandonnée",
            plural(usize::try_from(*seconds).unwrap_or(usize::MAX), "seconde", "secondes")
        ),
        ServeRefusal::OneDeclaration => {
            "explain prend une déclaration (un objet JSON), pas un tableau".into()
        }
        ServeRefusal::DecisionLog => {
            "la décision n'a pas pu être inscrite au journal des décisions : rien n'a été décidé ; réessayez plus tard".into()
        }
        ServeRefusal::Internal => {
            "le service a échoué sur cette requête ; les autres continuent".into()
        }
    }
}

fn refused(refusal: &Refusal) -> String {
    match refusal {
        Refusal::Host { host } => format!(
            "« {host} » n'est pas l'adresse du studio : ouvrez l'adresse que le studio a affichée"
        ),
        Refusal::Origin { origin } => {
            format!("une page de {origin} ne peut pas se servir du studio")
        }
        Refusal::Token => {
            "jeton absent ou erroné : ouvrez l'adresse que le studio a affichée".into()
        }
        Refusal::NotJson => "le corps de la requête doit être du JSON (Content-Type: application/json)".into(),
        Refusal::BodyTooLarge { limit_mib } => {
            format!("la requête est trop grosse : {limit_mib} Mio au plus")
        }
        Refusal::UrlTooLong { limit } => {
            format!("l'adresse est trop longue : {limit} caractères au plus")
        }
        Refusal::NoSuchRoute { path } => format!("le studio n'a rien à l'adresse {path}"),
        Refusal::Method { method, path } => format!("{path} ne prend pas {method}"),
        Refusal::BadRequest { error } => {
            format!("la requête n'a pas la forme attendue : {error}")
        }
        Refusal::NoPath => "aucun chemin donné".into(),
        Refusal::AbsolutePath { path } => format!(
            "« {path} » est un chemin absolu : les chemins partent du dossier du studio"
        ),
        Refusal::ParentPath { path } => format!(
            "« {path} » remonte avec « .. » : les chemins restent dans le dossier du studio"
        ),
        Refusal::OutsideFolder { path } => {
            format!("« {path} » mène hors du dossier du studio")
        }
        Refusal::WrongExtension { path, expected } => {
            format!("« {path} » n'est pas un fichier {expected}")
        }
        Refusal::NoSuchFile { path } => format!("« {path} » n'existe pas"),
        Refusal::CannotRead { path, error } => {
            format!("impossible de lire « {path} » : {}", error.words(Lang::Fr))
        }
        Refusal::NotUtf8 { path } => format!("« {path} » n'est pas un texte en UTF-8"),
        Refusal::CannotWrite { path, error } => format!(
            "impossible d'écrire « {path} » : {} ; le fichier est resté tel quel",
            error.words(Lang::Fr)
        ),
        Refusal::DoesNotParse => forfait::ide::DoesNotParse.words(Lang::Fr),
        Refusal::DoesNotCheck { errors: n } => format!(
            "le référentiel a {} : il faut d'abord le corriger",
            errors(*n)
        ),
        Refusal::ExampleName { name } => format!(
            "« {name} » ne peut pas nommer un exemple : lettres minuscules, chiffres et « - » seulement"
        ),
        Refusal::ExampleExists { name } => {
            format!("l'exemple « {name} » existe déjà : demandez à le remplacer")
        }
        Refusal::NotADeclaration { path } => {
            format!("« {path} » ne contient pas une déclaration (un objet JSON)")
        }
        Refusal::Revision { revision } => format!(
            "« {revision} » n'est pas une révision que le studio lit (une branche, une étiquette, HEAD ou un commit)"
        ),
        Refusal::GitCannotRun { error } => format!(
            "impossible de lancer git : {} (git est-il installé ?)",
            error.words(Lang::Fr)
        ),
        Refusal::Git { revision, stderr } => {
            format!("git n'a pas de version {revision} de ce référentiel : {stderr}")
        }
        Refusal::Internal => {
            "le studio a échoué sur cette requête ; les autres continuent".into()
        }
    }
}

fn expectation(error: &ExpectationError) -> String {
    match error {
        ExpectationError::Header(e) => format!("impossible de lire l'en-tête : {e}"),
        ExpectationError::HeaderStart => {
            "l'en-tête doit commencer par `example;total_eur` (ou `example,total_eur`)".into()
        }
        ExpectationError::NotAnIndicator {
            column,
            position,
            rulebook,
            suggestion,
        } => format!(
            "ligne 1, colonne {position} : `{column}` n'est pas un indicateur de `{rulebook}`{} ; les colonnes après total_eur portent le nom d'un indicateur",
            suggestion
                .as_ref()
                .map(|s| format!(" (vouliez-vous dire `{s}` ?)"))
                .unwrap_or_default()
        ),
        ExpectationError::Row(e) => format!("ligne illisible : {e}"),
        ExpectationError::NoExample { line } => {
            format!("ligne {line} : la ligne ne nomme aucun exemple")
        }
        ExpectationError::ListedTwice {
            line,
            example,
            first,
        } => format!(
            "ligne {line} : l'exemple `{example}` est listé deux fois (d'abord ligne {first}) ; gardez une seule ligne"
        ),
        ExpectationError::BadTotal { line, total } => format!(
            "ligne {line}, colonne 2 (total_eur) : `{total}` n'est ni un montant (`490,00`, `1 440,00`, `490.00`) ni `erreur` (ou `error`)"
        ),
        ExpectationError::BadStatus {
            line,
            column,
            status,
            indicator,
        } => format!(
            "ligne {line}, colonne {column} (`{indicator}`) : `{status}` n'est pas un statut : atteint, non atteint, neutralisé, sans objet (ou met, not_met, neutralised, not_applicable)"
        ),
        ExpectationError::Width {
            line,
            cells,
            header,
            delimiter,
        } => format!(
            "ligne {line} : {}, alors que l'en-tête en a {} ; chaque ligne a une cellule par colonne{}",
            plural(*cells, "cellule", "cellules"),
            french::count(*header as u64),
            if *delimiter == ',' {
                " (dans un fichier séparé par des `,`, un montant à virgule s'écrit entre guillemets : \"490,00\")"
            } else {
                ""
            }
        ),
    }
}

fn rejected(rejection: &Rejected) -> String {
    match rejection {
        Rejected::Missing(fields) => format!("valeurs manquantes : {}", fields.join(", ")),
        Rejected::Record(r) => r.render(Lang::Fr),
    }
}

fn failure_words(failure: &Failure) -> String {
    match failure {
        Failure::NotOneDeclaration { file, count } => {
            format!("{file} contient {count} déclarations ; un cas n'en contient qu'une")
        }
        Failure::Total { expected, got } => format!(
            "total : attendu {}, obtenu {}",
            french::euros(*expected),
            french::euros(*got)
        ),
        Failure::RejectedInstead {
            expected,
            rejection,
        } => format!(
            "total : attendu {}, mais la déclaration a été rejetée : {}",
            french::euros(*expected),
            rejection.as_ref().map(rejected).unwrap_or_default()
        ),
        Failure::EvaluatedInstead { total } => format!(
            "un rejet était attendu, mais la déclaration a été évaluée : total {}",
            french::euros(*total)
        ),
        Failure::Status {
            indicator,
            expected,
            actual,
        } => format!(
            "`{indicator}` : attendu {}, obtenu {}",
            status_word(expected),
            status_word(actual)
        ),
        Failure::BelowMaximum {
            most,
            paid,
            unmet,
            short,
        } => {
            let why = if unmet.is_empty() {
                format!("il est moins payé qu'il ne pourrait l'être sur {}", names(short))
            } else {
                format!("il n'atteint pas {}", names(unmet))
            };
            format!(
                "maximum : les règles peuvent payer {}, l'exemple maximum est payé {} : {why} ; complétez sa déclaration, ou renommez le cas s'il n'est plus le maximum",
                french::euros(*most),
                french::euros(*paid)
            )
        }
        Failure::MaximumUnknown { max } => format!(
            "maximum : le plus que les règles peuvent payer à cet exemple n'est pas calculé (plus de {} profils)",
            french::count(*max as u64)
        ),
    }
}

/// La forme d'un `expected.csv` : `` `;` entre les cellules, virgule décimale, ... ``.
fn form(dialect: &Dialect, encoding: FileEncoding) -> String {
    let cells = match dialect.delimiter {
        b';' => "`;` entre les cellules",
        b'\t' => "tabulations entre les cellules",
        _ => "`,` entre les cellules",
    };
    let point = if dialect.decimal_comma {
        "virgule décimale"
    } else {
        "point décimal"
    };
    let thousands = match dialect.thousands {
        None => "",
        Some('\u{a0}') => ", milliers séparés par une espace insécable",
        Some('\u{202f}') => ", milliers séparés par une espace fine insécable",
        Some(_) => ", milliers séparés par une espace",
    };
    let words = if dialect.french {
        "statuts en français"
    } else {
        "statuts en anglais"
    };
    let bytes = match encoding {
        FileEncoding::Utf8 => "UTF-8",
        FileEncoding::Utf8Bom => "UTF-8 avec marque d'ordre des octets",
        FileEncoding::Utf16Le => "UTF-16LE avec marque d'ordre des octets",
        FileEncoding::Utf16Be => "UTF-16BE avec marque d'ordre des octets",
        FileEncoding::Windows1252 => "Windows-1252",
    };
    let ends = if dialect.crlf { "CRLF" } else { "LF" };
    format!("{cells}, {point}{thousands}, {words}, {bytes}, fins de ligne {ends}")
}

/// `` `a`, `b` et `c` ``
fn names(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    french::and_list(&quoted)
}

/// `met` as expected.csv and the results write it, in French (`atteint`); any other word
/// as written.
pub(super) fn status_word(word: &str) -> String {
    [
        Status::Met,
        Status::NotMet,
        Status::Neutralised,
        Status::NotApplicable,
    ]
    .into_iter()
    .find(|s| s.as_str() == word)
    .map_or_else(|| word.to_string(), |s| french::status(s).to_string())
}

fn coverage_item(item: &CoverageItem) -> String {
    match item {
        CoverageItem::Status { indicator, status } => {
            format!("indicateur `{indicator}` {}", french::status(*status))
        }
        CoverageItem::Branch {
            indicator,
            condition,
            holds,
        } => format!(
            "`{indicator}` : `{condition}` {}",
            if *holds { "vrai" } else { "faux" }
        ),
        CoverageItem::GateBlocking { owner } => {
            format!("prérequis de `{owner}` non atteint, la règle étant atteinte")
        }
        CoverageItem::GatePassed { owner } => format!("prérequis de `{owner}` atteint"),
        CoverageItem::Amount { owner, when } => match when {
            Some(condition) => format!("montant de `{owner}` quand {condition}"),
            None => format!("montant de `{owner}` sinon (`otherwise`)"),
        },
    }
}

/// A total as `expected.csv` writes it, or the word for a rejected declaration.
fn total_word(total: &Option<rust_decimal::Decimal>) -> String {
    match total {
        Some(t) => french::euros(*t),
        None => "rejet (error)".into(),
    }
}

fn new_error(error: &NextYearError) -> String {
    match error {
        NextYearError::DoesNotParse => {
            "il ne se lit pas (`forfait check` dit pourquoi) ; rien n'a été écrit".into()
        }
        NextYearError::SameExercice { exercice } => format!(
            "son exercice est déjà {exercice} : --exercice nomme la nouvelle année (par exemple {})",
            u32::from(*exercice) + 1
        ),
        NextYearError::BadYear { year } => format!(
            "{year} n'est pas une année de quatre chiffres (l'exercice et l'année de versement doivent l'être) ; rien n'a été écrit"
        ),
        NextYearError::NoYearInFileName {
            file_name,
            exercice,
        } => format!(
            "son nom de fichier {file_name} ne porte pas d'année {exercice} à faire avancer (attendu : un nom comme {exercice}-chirurgiens-dentistes.forfait) ; rien n'a été écrit"
        ),
        NextYearError::DoesNotCheck { errors } => format!(
            "le référentiel écrit aurait {} (une anomalie de forfait new : merci de la signaler) ; rien n'a été écrit",
            self::errors(*errors)
        ),
    }
}

/// `31/12/2024`, `31/12/2024 et addendum 8`, `a, b et c` : chaque texte une fois.
fn found_list(found: &[(Found, String)]) -> String {
    let mut texts: Vec<&str> = Vec::new();
    for (_, text) in found {
        if !texts.contains(&text.as_str()) {
            texts.push(text);
        }
    }
    match texts.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} et {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// `de la donnée `x``, `du total annoncé « TOTAL »`.
fn of_owner(owner: Owner, name: &str) -> String {
    match owner {
        Owner::Input => format!("de la donnée `{name}`"),
        Owner::List => format!("de la liste `{name}`"),
        Owner::Indicator => format!("de l'indicateur `{name}`"),
        Owner::Group => format!("du groupe `{name}`"),
        Owner::StatedTotal => format!("du total annoncé « {name} »"),
    }
}

/// Où est un texte à relire : `le libellé de la donnée `x``.
fn place(place: &Place) -> String {
    match place {
        Place::Title => "le titre".into(),
        Place::Guide => "le guide cité".into(),
        Place::ProfessionLabel { profession } => {
            format!("le libellé de la profession `{profession}`")
        }
        Place::Comment => "un commentaire".into(),
        Place::Item { owner, name, text } => {
            let of = of_owner(*owner, name);
            match text {
                TextKind::Label => format!("le libellé {of}"),
                TextKind::ValueLabel { value } => {
                    format!("le libellé de la valeur `{value}` {of}")
                }
                TextKind::Unit => format!("l'unité {of}"),
                TextKind::Evidence => format!("le justificatif {of}"),
                TextKind::Quote => format!("une citation {of}"),
                TextKind::Neutralisation => format!("la neutralisation {of}"),
                TextKind::Condition => format!("une condition {of}"),
                TextKind::Missing => format!("la valeur par défaut {of}"),
            }
        }
    }
}

/// Ce qu'il faut se demander d'un texte à relire.
fn question(place: &Place, exercice: u16) -> String {
    match place {
        Place::Guide => format!("toujours le guide de {exercice} ?"),
        Place::Item {
            text: TextKind::Quote | TextKind::Neutralisation,
            ..
        } => format!("toujours les mots du guide {exercice} ?"),
        Place::Item {
            text: TextKind::Condition | TextKind::Missing,
            ..
        } => format!("toujours la règle en {exercice} ?"),
        _ => format!("toujours juste pour {exercice} ?"),
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
