//! `--help` in French: the one-line descriptions of the program, its commands, their
//! arguments and the values they take. The English ones are the doc comments of
//! `src/main.rs`; clap reads those at compile time, so the French ones replace them at run
//! time, when the language is French (`french`). A test holds every command, argument and
//! documented value to have its French description here.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Arg, Command, ValueEnum};

/// The French description of the program (`None`), a command, or an argument of it (by
/// its id: the field's name in `src/main.rs`).
pub fn description(command: Option<&str>, arg: Option<&str>) -> Option<&'static str> {
    Some(match (command, arg) {
        (None, None) => "Vérifier et exécuter les référentiels des forfaits de l'Assurance Maladie (FAMI, forfait structure)",
        // Every command's own flags, and the global option.
        (_, Some("help")) => "Afficher l'aide",
        (_, Some("version")) => "Afficher la version",
        (_, Some("lang")) => "Langue des messages : fr ou en (sinon celle de la locale : LC_ALL, LC_MESSAGES, LANG ; sinon l'anglais)",
        (Some("help"), None) => "Afficher cette aide, ou celle des commandes nommées",
        (Some("help"), Some("subcommand")) => "La commande dont afficher l'aide",

        (Some("check"), None) => "Vérifier des référentiels : syntaxe, noms, types, conditions de paiement, totaux annoncés",
        (Some("check"), Some("rulebooks")) => "Les référentiels (.forfait), ou les dossiers où les chercher",
        (_, Some("error_format")) => "Comment écrire les erreurs sur la sortie d'erreur (human : pour une personne ; json : un objet par ligne, de même forme pour les diagnostics, les déclarations et les fichiers ; docs/output-json.md)",

        (Some("eval"), None) => "Évaluer des fichiers de déclarations (JSON : un objet ou un tableau ; CSV) avec un référentiel",
        (Some("eval" | "explain"), Some("rulebook")) => "Le référentiel (.forfait)",
        (Some("eval"), Some("declarations")) => "Les fichiers de déclarations : .csv, .jsonl ou .ndjson (un objet par ligne ; tous deux lus au fil de l'eau), ou .json (un objet ou un tableau d'objets)",
        (Some("eval"), Some("format")) => "Format des résultats [par défaut : d'après l'extension de --output (.csv, .jsonl, .ndjson, .json), sinon texte]",
        (Some("eval"), Some("output")) => "Écrire les résultats dans ce fichier plutôt que sur la sortie standard",
        (Some("eval"), Some("columns")) => "Seulement ces colonnes de la ligne de résultat, séparées par des virgules, nommées comme dans son en-tête CSV (`id,total_euros`) ; CSV et JSON lines seulement",
        (Some("eval"), Some("jobs")) => "Nombre de fils d'exécution qui évaluent (par défaut : tous les cœurs) ; les résultats sont les mêmes quel que soit N",
        (Some("eval"), Some("strict")) => "S'arrêter à la première déclaration rejetée (code de sortie 1)",
        (Some("eval"), Some("input_format")) => "Comment lire les fichiers de déclarations (par défaut : d'après l'extension)",
        (Some("eval" | "explain"), Some("map")) => "Un fichier de correspondance (TOML) qui renomme les colonnes et les valeurs du fichier en noms du référentiel, et liste les colonnes à ignorer [par défaut : X.map.toml à côté de X.forfait, s'il existe]",
        (Some("eval"), Some("ignore_unknown_columns")) => "Passer les colonnes (clés JSON) que le référentiel ne connaît pas au lieu de rejeter le fichier",
        (Some("eval"), Some("excel")) => "Des résultats CSV comme Excel en français les ouvre : `;`, virgule décimale, fins de ligne CRLF, marque d'ordre des octets",
        (Some("eval"), Some("output_delimiter")) => "Le séparateur des résultats CSV : , ; | ou tabulation (par défaut : `,` ; `;` avec --excel)",
        (Some("eval"), Some("decimal_comma")) => "Les montants des résultats CSV avec une virgule décimale (`1440,00`)",
        (Some("eval"), Some("quiet")) => "N'écrire sur la sortie d'erreur que les erreurs (pas de bilan)",
        (Some("eval"), Some("delimiter")) => "Séparateur CSV (par défaut : `;` quand l'en-tête a des `;` et pas de `,`, sinon `,`)",
        (Some(_), Some("encoding")) => "L'encodage des fichiers de déclarations qui ne commencent pas par une marque d'ordre des octets : utf-8 (par défaut), windows-1252 (le « CSV (séparateur : point-virgule) » d'Excel en français ; aussi cp1252, latin-1, iso-8859-1), utf-16, utf-16le, utf-16be",

        (Some("explain"), None) => "Expliquer le montant d'une déclaration sous forme d'arbre des règles, en citant le guide",
        (Some("explain"), Some("declaration")) => "Un fichier de déclarations",
        (Some("explain"), Some("id")) => "N'expliquer que la déclaration de cet identifiant (par défaut : toutes celles du fichier)",

        (Some("matrix"), None) => "Passer un même jeu de situations dans plusieurs référentiels : un tableau, une colonne par année",
        (Some("matrix"), Some("situations")) => "Les déclarations qui décrivent les situations (JSON ou CSV) ; les champs qu'un référentiel ne connaît pas sont ignorés",
        (Some("matrix"), Some("rulebooks")) => "Les référentiels (.forfait) ; ceux qui ne couvrent aucune des situations sont écartés",
        (Some("matrix" | "diff"), Some("format")) => "Format de sortie",

        (Some("test"), Some("accept")) => "Après un changement voulu des règles : écrire les totaux et statuts obtenus dans expected.csv (et y ajouter les cas qu'il ne liste pas), et dire ce qui a changé",
        (Some("fmt"), None) => "Réécrire des référentiels dans la mise en forme canonique (commentaires et textes entre guillemets gardés tels quels)",
        (Some("fmt"), Some("paths")) => "Les référentiels (.forfait), ou les dossiers où les chercher",
        (Some("fmt"), Some("check")) => "Ne rien modifier ; afficher les changements et sortir avec le code 1 si un fichier n'est pas dans la forme canonique",

        (Some("test"), None) => "Exécuter les cas de test rangés à côté des référentiels (X.examples/expected.csv)",
        (Some("test"), Some("paths")) => "Les référentiels, ou les dossiers où les chercher (par défaut : rulebooks)",
        (Some("test"), Some("coverage")) => "Dire aussi quels indicateurs, branches, prérequis et montants aucun cas n'exerce",
        (Some("test"), Some("min")) => "Mettre en échec chaque référentiel dont les cas exercent moins de N % des éléments (de 0 à 100 ; le chiffre est affiché, --coverage liste aussi ce qui n'est pas exercé)",
        (Some("test"), Some("format")) => "Format du rapport [par défaut : junit quand --output se termine par .xml, sinon texte]",
        (Some("test"), Some("output")) => "Écrire le rapport dans ce fichier plutôt que sur la sortie standard (en entier ou pas du tout ; avec junit, le rapport texte reste sur la sortie standard)",

        (Some("diff"), None) => "Comparer deux référentiels règle par règle : un journal des changements pour une demande de fusion et, avec --impact, qui gagne ou perd et quel changement de règle a déplacé chaque montant",
        (Some("diff"), Some("old")) => "L'ancien référentiel : un fichier, ou RÉVISION:CHEMIN lu avec `git show` (main:rulebooks/x.forfait)",
        (Some("diff"), Some("new")) => "Le nouveau référentiel : un fichier, ou RÉVISION:CHEMIN",
        (Some("diff"), Some("impact")) => "Des fichiers de déclarations (JSON ou CSV) à passer dans les deux référentiels ; les champs qu'un référentiel ne connaît pas sont ignorés",

        (Some("diff"), Some("profession")) => "Seulement ce qui concerne cette profession (son nom dans l'en-tête : masseur_kinesitherapeute) : les règles, montants, données et totaux qui peuvent s'appliquer à elle, et ses déclarations",
        (Some("review"), None) => "Un commentaire Markdown pour une demande de fusion : pour chaque référentiel changé entre deux révisions git, le journal des changements, l'impact et les résultats de ses exemples à HEAD",
        (Some("review"), Some("base")) => "La révision d'où part la demande de fusion (main, origin/main, un commit)",
        (Some("review"), Some("head")) => "La révision qu'elle propose (HEAD, une branche, un commit)",
        (Some("review"), Some("impact")) => "Des fichiers de déclarations (JSON ou CSV, lus dans la copie de travail) à passer dans les deux versions de chaque référentiel changé ; les champs qu'un référentiel ne connaît pas sont ignorés",
        (Some("review"), Some("output")) => "Écrire le commentaire dans ce fichier plutôt que sur la sortie standard",
        (Some("doc"), Some("profession")) => "Seulement ce qui concerne cette profession (son nom dans l'en-tête : masseur_kinesitherapeute)",
        (Some("doc"), None) => "Écrire la page de documentation d'un référentiel, en français (le tableau du guide, chaque règle rédigée)",
        (Some("doc" | "schema"), Some("rulebook")) => "Le référentiel (.forfait)",
        (Some("doc"), Some("format")) => "Format de la page",
        (Some("doc"), Some("output")) => "Écrire la page dans ce fichier plutôt que sur la sortie standard",

        (Some("new"), None) => "Commencer le référentiel de l'année suivante à partir de celui de cette année : l'en-tête passé à la nouvelle année, les exemples copiés, et la liste des dates, années et numéros d'avenant de ses textes à relire",
        (Some("new"), Some("from")) => "Le référentiel de cette année (.forfait) ; le nouveau est écrit à côté, l'année de son nom de fichier avancée",
        (Some("new"), Some("exercice")) => "Le nouvel exercice (l'année de versement avance avec lui)",
        (Some("schema"), None) => "Afficher le schéma JSON des déclarations d'un référentiel",
        (Some("lsp"), None) => "Servir les éditeurs sur l'entrée et la sortie standard (protocole LSP ; docs/editors.md)",
        (Some("studio"), None) => "Modifier, vérifier, simuler et comparer les référentiels d'un dossier dans un navigateur, en français (une application web locale ; docs/studio.md)",
        (Some("studio"), Some("folder")) => "Le dossier des référentiels (par défaut : rulebooks)",
        (Some("studio"), Some("port")) => "Le port où écouter, sur 127.0.0.1 seulement (par défaut : un port libre)",
        (Some("studio"), Some("no_browser")) => "Ne pas ouvrir de navigateur ; seulement afficher l'adresse",
        (Some("serve"), None) => "Servir les référentiels d'un dossier en HTTP : évaluer, expliquer, vérifier, schéma, avec un journal des décisions (docs/serve.md)",
        (Some("serve"), Some("folder")) => "Le dossier des référentiels, relu quand un fichier change (par défaut : rulebooks)",
        (Some("serve"), Some("addr")) => "L'adresse où écouter (port 0 : un port libre, affiché au démarrage)",
        (Some("serve"), Some("decision_log")) => "Ajouter une ligne JSON par décision à ce fichier",
        (Some("serve"), Some("max_body")) => "La taille maximale du corps d'une requête, en octets (au-delà : 413)",
        (Some("serve"), Some("timeout")) => "La durée maximale d'une requête, en secondes, corps compris (au-delà : 408)",
        _ => return None,
    })
}

/// The French description of a value an argument takes (`--format csv`).
pub fn value(command: &str, arg: &str, value: &str) -> Option<&'static str> {
    Some(match (command, arg, value) {
        ("eval", "format", "text") => "Une ligne expliquée par indicateur, pour un terminal",
        ("eval", "format", "json") => {
            "Le contrat stable pour les programmes (docs/output-json.md) : un tableau JSON"
        }
        ("eval", "format", "jsonl") => "Les mêmes objets, un par ligne",
        ("eval", "format", "csv") => {
            "Une ligne par déclaration, une colonne par indicateur et par paiement"
        }
        ("matrix", "format", "markdown") => {
            "Un tableau Markdown, prêt à coller dans une demande de fusion"
        }
        ("matrix", "format", "json") => "JSON",
        ("diff", "format", "markdown") => {
            "Un journal des changements en français, prêt à coller dans une demande de fusion"
        }
        ("diff", "format", "json") => "Les changements (et l'impact) en JSON (docs/review.md)",
        ("doc", "format", "html") => {
            "Un seul fichier HTML autonome (CSS intégré, rien à charger), imprimable"
        }
        ("doc", "format", "markdown") => "Markdown",
        ("test", "format", "text") => "Ce que chaque cas attendait et a obtenu, pour une personne",
        ("test", "format", "junit") => {
            "Du XML JUnit pour un serveur d'intégration continue : une testsuite par référentiel, un testcase par exemple"
        }
        _ => return None,
    })
}

const USAGE: &str =
    "{before-help}{about-with-newline}\nUtilisation\u{a0}: {usage}\n\n{all-args}{after-help}";

/// `command` with its French descriptions, headings and usage line. Only order-keeping
/// changes are made once it is built (clap indexes a built command's arguments by
/// position): `mut_args`, `mut_subcommands`.
pub fn french(mut command: Command) -> Command {
    command.build();
    command
        .about(description(None, None))
        .long_about(None::<&str>)
        .help_template(USAGE)
        .subcommand_help_heading("Commandes\u{a0}")
        .mut_args(|arg| french_arg(None, arg))
        .mut_subcommands(|sub| {
            let name = sub.get_name().to_string();
            sub.about(description(Some(&name), None))
                .long_about(None::<&str>)
                .help_template(USAGE)
                .mut_args(|arg| french_arg(Some(&name), arg))
        })
}

fn french_arg(command: Option<&str>, arg: Arg) -> Arg {
    let id = arg.get_id().as_str().to_string();
    // clap writes `HEADING:`; French puts a (no-break) space before the colon.
    let heading = if arg.is_positional() {
        "Arguments\u{a0}"
    } else {
        "Options\u{a0}"
    };
    // Under a heading of its own, clap sorts by display order: positionals keep theirs.
    let arg = match arg.get_index() {
        Some(index) => arg.display_order(index),
        None => arg,
    };
    match description(command, Some(&id)) {
        Some(help) => arg.help(help).long_help(None::<&str>).help_heading(heading),
        None => arg.help_heading(heading),
    }
}

/// `arg`, an argument of `command` whose values are those of `E`, with each value's
/// French description: it reads them as clap's derive would, into an `E`. To be applied
/// before `french` (before the command is built).
pub fn with_french_values<E: ValueEnum + Clone + Send + Sync + 'static>(
    command: &str,
    arg: Arg,
) -> Arg {
    let id = arg.get_id().as_str().to_string();
    let values: Vec<PossibleValue> = E::value_variants()
        .iter()
        .filter_map(ValueEnum::to_possible_value)
        .map(|v| {
            let help = value(command, &id, v.get_name());
            v.help(help)
        })
        .collect();
    arg.value_parser(PossibleValuesParser::new(values).try_map(|name| E::from_str(&name, false)))
}
