//! Chaque diagnostic d'un référentiel, en français, pour les agents qui écrivent et
//! relisent les référentiels. Un message : en minuscules, sur une ligne, sans point final ;
//! le texte de l'utilisateur et les mots-clés du langage (qui restent en anglais : `met
//! when`, `requires`) entre accents graves. Les nombres s'écrivent à la française
//! (`1 240 €`, `70 %`) par `crate::french`. Le catalogue écrit des espaces simples ; avant
//! `:` `;` `?` `!` et entre les chiffres d'un nombre, elles deviennent insécables
//! (`french::no_break_spaces`), pour qu'aucune ligne ne commence par `;`.

use rust_decimal::Decimal;

use super::super::error::*;
use super::{alternatives, keywords, quoted, Wording};
use crate::french;
use crate::model::InputType;

/// What a help line starts with.
pub(super) const HELP: &str = "aide\u{a0}:";

/// « vouliez-vous dire `x` ? »
pub(super) fn did_you_mean(name: &str) -> String {
    format!("vouliez-vous dire `{name}` ?")
}

const SPLIT: &str = "découpez la condition en plusieurs indicateurs ou groupes ; forfait refuse de tels fichiers plutôt que de risquer de bloquer";
const TOO_LARGE: &str = "le référentiel est trop grand ou trop imbriqué pour être lu";
const NOT_YES_NO: &str = "une condition doit valoir oui ou non";
const STATED_HERE: &str = "annoncé ici";

/// « le total annoncé `X` ne peut pas être vérifié : »
fn unverifiable(label: &str) -> String {
    format!("le total annoncé `{label}` ne peut pas être vérifié")
}

pub(super) fn words(error: &Error) -> Wording {
    use Wording as W;
    match error {
        Error::UnclosedText { .. } => W::new(
            "ce texte entre guillemets n'est pas fermé sur sa ligne",
            Some("un texte entre guillemets se termine par `\"` sur la ligne où il commence".into()),
            &["pas de `\"` fermant avant la fin de la ligne"],
        ),
        Error::DecimalComma {
            written,
            with_point,
            ..
        } => W::new(
            format!("`{written}` est écrit avec une virgule"),
            Some(format!("dans un référentiel, les décimales s'écrivent avec un point : `{with_point}`")),
            &["virgule décimale"],
        ),
        Error::AccentedName {
            word,
            unaccented,
            defined,
            ..
        } => W::new(
            format!("`{word}` contient des lettres accentuées, interdites dans un nom"),
            Some(if *defined {
                format!("écrivez `{unaccented}`, le nom que ce référentiel définit")
            } else {
                format!("écrivez `{unaccented}` : un nom s'écrit en minuscules sans accent, chiffres et `_` ; les mots du guide vont dans le libellé entre guillemets")
            }),
            &["pas un nom"],
        ),
        Error::Slip { slip, .. } => {
            let (message, help) = slip_words(slip);
            let label = match slip.replacement() {
                Some(fix) => format!("écrivez `{fix}`"),
                None => message.clone(),
            };
            W::with_labels(message, Some(help), vec![label])
        }
        Error::Expected {
            expected,
            found,
            hint,
            ..
        } => {
            let expected = expected_list(expected);
            W::with_labels(
                format!("attendu : {expected} ; trouvé : {}", found_word(found)),
                hint.as_ref().map(syntax_hint),
                vec![format!("attendu : {expected}")],
            )
        }
        Error::MissingPart { what, .. } => {
            W::new(format!("attendu : {}", part(what)), None, &["ici"])
        }
        Error::Unexpected { text, .. } => W::new(
            format!("`{text}` n'est pas attendu ici"),
            None,
            &["pas attendu ici"],
        ),
        Error::NeutralisedWithoutWords { .. } => W::new(
            "les mots du guide sont attendus après `neutralised`",
            None,
            &["ici"],
        ),
        Error::InvalidNumber { text, .. } => W::new(
            format!("`{text}` n'est pas un nombre que forfait peut représenter exactement"),
            Some("les montants et les seuils ont au plus 28 chiffres significatifs".into()),
            &["ce nombre"],
        ),
        Error::InvalidDate { text, .. } => W::new(
            format!("`{text}` n'est pas une date du calendrier"),
            Some("écrivez les dates sous la forme ANNÉE-MOIS-JOUR, par exemple `2020-01-31`".into()),
            &["ce jour n'existe pas"],
        ),
        Error::UnknownName {
            kind,
            name,
            suggestion,
            ..
        } => W::new(
            match kind {
                NameKind::Input => format!("entrée inconnue `{name}`"),
                NameKind::List => format!("liste inconnue `{name}`"),
                NameKind::Rule => format!("indicateur ou groupe inconnu `{name}`"),
            },
            suggestion.as_deref().map(did_you_mean),
            &["aucune définition dans ce référentiel"],
        ),
        Error::DuplicateName { name, .. } => W::new(
            format!("le nom `{name}` est défini deux fois"),
            Some("un nom ne sert qu'une fois, qu'il s'agisse d'une entrée, d'une liste, d'un indicateur ou d'un groupe : renommez l'un des deux".into()),
            &["nouvelle définition ici", "première définition ici"],
        ),
        Error::DuplicateValue { value, of, .. } => W::new(
            format!("la valeur `{value}` de `{of}` est définie deux fois"),
            Some("supprimez la seconde".into()),
            &["nouvelle définition ici", "première définition ici"],
        ),
        Error::ReservedProfession { .. } => W::new(
            "le nom `profession` est réservé à la profession de la déclaration",
            Some("`profession` est prédéfinie : ses valeurs sont les `professions (...)` de l'en-tête ; pour une spécialité médicale, nommez l'entrée `specialite`".into()),
            &["réservé"],
        ),
        Error::ReservedId { .. } => W::new(
            "le nom `id` est réservé à l'identifiant de la déclaration",
            Some("chaque déclaration a déjà un champ `id` ; choisissez un autre nom".into()),
            &["réservé"],
        ),
        Error::RuleInCondition { name, .. } => W::new(
            format!("`{name}` est une règle, et une condition lit des entrées"),
            Some(format!("pour que le paiement dépende de `{name}`, écrivez `requires {name}`")),
            &["un indicateur ou un groupe"],
        ),
        Error::ListInCondition { name, .. } => W::new(
            format!("`{name}` est une liste : elle s'emploie avec `in`"),
            Some(format!("écrivez `nom_de_l_entree in {name}`")),
            &["une liste"],
        ),
        Error::MissingDefaultType {
            input,
            ty,
            written,
            hint,
            ..
        } => W::new(
            format!(
                "`{input}` est de type {} ; une valeur manquante ne peut pas valoir `{written}`",
                type_name(*ty)
            ),
            Some(missing_default_hint(*hint).into()),
            &["pas une valeur de ce type"],
        ),
        Error::ListOfNonChoice { list, input, ty, .. } => W::new(
            format!(
                "la liste `{list}` doit contenir des valeurs d'une entrée `one of (...)` ; `{input}` est de type {}",
                type_name(*ty)
            ),
            None,
            &["pas une liste de choix"],
        ),
        Error::PerNotCount { input, ty, .. } => W::new(
            format!(
                "`per` demande un nombre entier ; `{input}` est de type {}",
                type_name(*ty)
            ),
            None,
            &["pas un nombre entier"],
        ),
        Error::CountAsCondition { text, .. } => W::new(
            format!("`{text}` est un nombre entier, pas un oui/non"),
            Some(format!("comparez-le : `{text} >= 1`")),
            &[NOT_YES_NO],
        ),
        Error::RateAsCondition { text, .. } => W::new(
            format!("`{text}` est un taux, pas un oui/non"),
            Some("comparez-le à un seuil : `... >= 70 %`".into()),
            &[NOT_YES_NO],
        ),
        Error::NotYesNo { text, what, .. } => W::new(
            format!("`{text}` est {}, pas un oui/non", operand(what)),
            Some("comparez-le à une valeur, par exemple `x = valeur`".into()),
            &[NOT_YES_NO],
        ),
        Error::ValueAsCondition { value, input, .. } => W::new(
            format!("`{value}` est une valeur de `{input}`, pas une condition"),
            Some(format!("comparez : `{input} = {value}`")),
            &["une valeur"],
        ),
        Error::RatePartNotCount {
            role, input, ty, ..
        } => W::new(
            format!(
                "le {} d'un taux doit être un nombre entier ; `{input}` est de type {}",
                match role {
                    RatePart::Numerator => "numérateur",
                    RatePart::Denominator => "dénominateur",
                },
                type_name(*ty)
            ),
            Some("un taux divise deux nombres entiers : `actes_fse / actes_total >= 70 %`".into()),
            &["pas un nombre entier"],
        ),
        Error::CannotCompare {
            left,
            right,
            left_text,
            right_text,
            hint,
            ..
        } => W::with_labels(
            format!("impossible de comparer {} avec {}", operand(left), operand(right)),
            hint.as_ref().map(compare_hint),
            vec![format!("`{left_text}` et `{right_text}`")],
        ),
        Error::Unordered { what, op, .. } => W::with_labels(
            format!(
                "{} ne se comparent qu'avec `=` ou `!=`",
                match what {
                    Unordered::Texts => "les textes",
                    Unordered::YesNo => "les valeurs oui/non",
                    Unordered::Choices => "les valeurs d'une entrée `one of`",
                }
            ),
            None,
            vec![format!("`{op}` suppose un ordre")],
        ),
        Error::NotWholeNumber { text, .. } => W::new(
            format!("un nombre entier se compare à des nombres entiers, pas à `{text}`"),
            Some("un nombre entier est sans décimale et jamais négatif : écrivez `3`, et non `2.5` ou `-1` ; pour une quantité avec des décimales (heures, ETP), déclarez l'entrée `decimal`".into()),
            &["pas un nombre entier"],
        ),
        Error::InNeedsChoice { what, .. } => W::new(
            format!("`in` demande une valeur d'une entrée `one of`, pas {}", operand(what)),
            Some("`in` teste une entrée `one of (...)` : `specialite in annexe_1`".into()),
            &["pas une entrée `one of`"],
        ),
        Error::ListOfOtherInput {
            list,
            list_input,
            input,
            ..
        } => W::new(
            format!("la liste `{list}` contient des valeurs de `{list_input}`, pas de `{input}`"),
            None,
            &["valeurs d'une autre entrée"],
        ),
        Error::ThresholdOutOfRange { text, .. } => W::new(
            format!("le seuil `{text}` n'est pas compris entre 0 % et 100 %"),
            Some("un taux de deux nombres entiers est compris entre 0 % et 100 % (0/1 et 1/1) ; vérifiez le chiffre du guide".into()),
            &["aucun taux ne peut lui être comparé"],
        ),
        Error::UnknownValue {
            value, input, hint, ..
        } => W::with_labels(
            format!("`{value}` n'est pas une valeur de `{input}`"),
            Some(match hint {
                ValueHint::DidYouMean(likely) => did_you_mean(likely),
                ValueHint::Values(values) => format!("les valeurs sont : {}", quoted(values, ", ")),
            }),
            vec![format!("pas l'une des valeurs de `{input}`")],
        ),
        Error::GatingCycle { cycle, .. } => W::new(
            format!("dépendances en cycle : {}", cycle_words(cycle)),
            Some("une règle ne peut pas dépendre d'elle-même ; supprimez dans le cycle un `requires` ou l'appartenance à un groupe".into()),
            &["le cycle commence ici"],
        ),
        Error::MissingGating { name, .. } => W::new(
            format!("`{name}` paie, mais ne dit pas s'il dépend d'une autre règle"),
            Some("ajoutez `requires NOM` avant `pays` (payé seulement si le groupe ou l'indicateur NOM est atteint) ou `independent` (payé quoi qu'il arrive aux autres règles)".into()),
            &["ce paiement"],
        ),
        Error::RequiresEachOf { rule, group, .. } => W::new(
            format!("`{rule}` requiert `{group}`, un groupe `each-of`, qui n'est jamais atteint en tant que tel"),
            Some(format!("faites dépendre la règle d'un groupe `all-of` ou d'un indicateur ; ou faites de `{group}` un groupe `all-of`")),
            &["groupe `each-of`"],
        ),
        Error::IndependentInGatedGroup {
            rule,
            group,
            required,
            ..
        } => W::new(
            format!("`{rule}` est `independent`, mais son groupe `{group}` requiert `{required}`"),
            Some("retirez `independent`, ou sortez l'indicateur du groupe".into()),
            &["contredit son groupe"],
        ),
        Error::NotARule { name, .. } => W::new(
            format!("`{name}` n'est ni un indicateur ni un groupe"),
            Some("un groupe et un `requires` nomment des indicateurs et des groupes".into()),
            &["une entrée ou une liste"],
        ),
        Error::EachOfPays { group, .. } => W::new(
            format!("le groupe `each-of` `{group}` ne peut pas payer par lui-même"),
            Some("donnez à chaque membre son propre `pays`, ou faites du groupe un groupe `all-of`".into()),
            &["ses membres paient"],
        ),
        Error::InvalidPointValue { .. } => W::new(
            "la valeur du point doit être un montant positif en euros",
            Some("écrivez `point value 7 EUR`".into()),
            &["valeur du point"],
        ),
        Error::NegativeAmount { .. } => {
            W::new("un montant ne peut pas être négatif", None, &["négatif"])
        }
        Error::PointsWithoutPointValue { .. } => W::new(
            "montant en points, mais le référentiel n'a pas de valeur du point",
            Some("ajoutez `point value 7 EUR` (la valeur du guide) à l'en-tête, après `currency EUR`".into()),
            &["points"],
        ),
        Error::WhenWithoutOtherwise { amount, .. } => W::new(
            "un montant avec `when` demande un autre montant `otherwise`",
            Some(format!("ajoutez le montant payé quand la condition n'est pas remplie : `... 0 EUR otherwise`, après `{amount} when ...`")),
            &["ce montant"],
        ),
        Error::LastWithoutOtherwise { amount, .. } => W::new(
            "le dernier montant demande `otherwise`",
            Some(format!("écrivez `{amount} otherwise`, le montant payé quand aucun `when` n'est rempli")),
            &["ce montant"],
        ),
        Error::OtherwiseNotLast { .. } => W::new(
            "`otherwise` doit venir en dernier quand il y a plusieurs montants",
            Some("placez d'abord les montants avec `when`".into()),
            &["ce montant"],
        ),
        Error::AmountWithoutWhen { amount, .. } => W::new(
            "chaque montant sauf le dernier demande `when CONDITION`",
            Some(format!("écrivez `{amount} when CONDITION`, et terminez par `... otherwise`")),
            &["ce montant"],
        ),
        Error::AmountTooLarge { .. } => W::new(
            "le montant en euros est trop grand pour être calculé",
            None,
            &["trop grand"],
        ),
        Error::PerUnitOverflow {
            max_count, limit, ..
        } => W::new(
            format!(
                "un montant par unité aussi grand peut déborder : une quantité déclarée peut atteindre {}",
                french::count(*max_count)
            ),
            Some(format!(
                "un montant par unité vaut au plus {} (ou son équivalent en points)",
                french::money(*limit)
            )),
            &["par unité"],
        ),
        Error::MemberOfTwoGroups { member, .. } => W::new(
            format!("`{member}` appartient à deux groupes"),
            Some("un indicateur ou un groupe appartient à un seul groupe au plus, pour que ses prérequis soient sans ambiguïté".into()),
            &["deuxième appartenance", "première appartenance"],
        ),
        Error::StatedTotalMismatch {
            label,
            stated,
            computed,
            unit,
            most,
            ..
        } => W::new(
            format!(
                "le total annoncé `{label}` est de {}, mais les règles peuvent payer au plus {}",
                amount(*stated, *unit),
                amount(*computed, *unit)
            ),
            Some(format!(
                "au plus, les règles paient {} ; vérifiez les montants dans le guide, ou le `of (...)` et le `for ...` du total",
                most_paid(most)
            )),
            &[STATED_HERE],
        ),
        Error::TotalProfileNotChoice { label, input, .. } => W::new(
            format!("{} : son `for` teste `{input}`, qui n'est pas une entrée `one of`", unverifiable(label)),
            Some("`for` choisit un profil : n'y testez que `profession` ou d'autres entrées `one of`".into()),
            &[STATED_HERE],
        ),
        Error::TotalPaysNothing { label, .. } => W::new(
            format!("{} : rien ne paie dans son périmètre", unverifiable(label)),
            Some("nommez avec `of (...)` les groupes ou les indicateurs qu'il totalise".into()),
            &[STATED_HERE],
        ),
        Error::TotalPerUnit {
            label, rule, input, ..
        } => W::new(
            format!("{} : `{rule}` paie par unité de `{input}`, qui n'a pas de maximum", unverifiable(label)),
            Some("limitez le total, avec `of (...)`, aux paiements qu'il compte".into()),
            &[STATED_HERE],
        ),
        Error::TotalPointsAndEuros { label, rule, .. } => W::new(
            format!("{} : il compte des points, mais `{rule}` paie des euros", unverifiable(label)),
            Some("annoncez le total en EUR, ou limitez-le avec `of (...)` à ce qui paie des points".into()),
            &[STATED_HERE],
        ),
        Error::TotalTooManyProfiles { label, max, .. } => W::new(
            format!(
                "{} : plus de {} profils à essayer",
                unverifiable(label),
                french::count(*max as u64)
            ),
            Some("restreignez-le avec `for ...` au profil pour lequel le guide l'annonce".into()),
            &[STATED_HERE],
        ),
        Error::TotalNoProfile { label, .. } => W::new(
            format!("{} : aucun profil ne remplit sa condition `for`", unverifiable(label)),
            None,
            &[STATED_HERE],
        ),
        Error::UnusedRule { name, .. } => W::new(
            format!("`{name}` n'est ni payé ni requis par aucune règle"),
            Some("mettez-le dans un groupe, donnez-lui un `pays ...`, ou nommez-le dans un `requires` ; sinon, supprimez-le".into()),
            &["sans effet sur aucun montant"],
        ),
        Error::YesNoWord { written, write, .. } => W::new(
            format!("`{written}` n'est pas une valeur du langage"),
            Some(format!("une valeur oui/non s'écrit `yes` ou `no` : écrivez `{write}`, ou l'entrée seule pour `= yes`")),
            &["ni `yes` ni `no`"],
        ),
        Error::AndInsideOr { parenthesised, .. } => W::new(
            "`and` et `or` dans une même condition, sans parenthèses",
            Some(format!("`and` passe avant `or` ; si c'est bien ce que vous voulez dire, écrivez les parenthèses : `{parenthesised}` (forfait fmt les écrit)")),
            &["`and` lu d'abord"],
        ),
        Error::UnusedInput { name, .. } => W::new(
            format!("l'entrée `{name}` n'est lue par aucune règle"),
            Some("supprimez-la, ou utilisez-la dans une condition ; les déclarations peuvent toujours la contenir".into()),
            &["jamais lue"],
        ),
        Error::UnusedList { name, .. } => W::new(
            format!("la liste `{name}` n'est utilisée par aucune condition"),
            Some("utilisez-la avec `in`, ou supprimez-la".into()),
            &["jamais utilisée"],
        ),
        Error::NameYearMismatch {
            name_year,
            exercice,
            renamed,
            name_year_paid,
            ..
        } => W::new(
            format!("le nom du référentiel indique {name_year}, mais son `exercice` est {exercice}"),
            Some(format!("si le référentiel est celui de l'exercice {exercice}, renommez-le `{renamed}` ; s'il est celui de {name_year}, écrivez `exercice {name_year}` et `paid in {name_year_paid}`")),
            &["cette année", "l'exercice"],
        ),
        Error::PaymentYear {
            exercice,
            paid_in,
            expected,
            ..
        } => W::new(
            if paid_in < exercice {
                format!("payé en {paid_in}, avant l'exercice {exercice} qu'il paie")
            } else if paid_in == exercice {
                format!("payé en {paid_in}, l'année même de l'exercice")
            } else {
                format!(
                    "payé en {paid_in}, {} ans après l'exercice {exercice}",
                    paid_in - exercice
                )
            },
            Some(format!("les dispositifs paient l'année qui suit l'exercice : écrivez `paid in {expected}`, ou corrigez `exercice` s'il est erroné")),
            &["l'année du paiement", "l'exercice"],
        ),
        Error::FileNameYearMismatch {
            file_name,
            file_year,
            exercice,
            after_year,
            file_year_paid,
            ..
        } => W::new(
            format!("le nom de fichier `{file_name}` indique {file_year}, mais l'`exercice` est {exercice}"),
            Some(format!("si le référentiel est celui de l'exercice {exercice}, renommez le fichier `{exercice}{after_year}` ; s'il est celui de {file_year}, écrivez `exercice {file_year}` et `paid in {file_year_paid}`")),
            &["l'exercice"],
        ),
        Error::FileTooLarge { bytes, max, .. } => W::new(
            format!(
                "{TOO_LARGE} : le fichier fait {} octets, plus de {}",
                french::count(*bytes as u64),
                french::count(*max as u64)
            ),
            Some(SPLIT.into()),
            &["ici"],
        ),
        Error::ParenthesesTooDeep { max, .. } => W::new(
            format!("{TOO_LARGE} : les parenthèses s'imbriquent sur plus de {max} niveaux"),
            Some(SPLIT.into()),
            &["ici"],
        ),
        Error::TooManyNots { max, .. } => W::new(
            format!("{TOO_LARGE} : plus de {max} `not` à la suite"),
            Some(SPLIT.into()),
            &["ici"],
        ),
        Error::ConditionTooDeep { max, .. } => W::new(
            format!("la condition est trop imbriquée pour être vérifiée : les conditions s'imbriquent sur plus de {max} niveaux"),
            Some("découpez la condition en plusieurs indicateurs ou groupes".into()),
            &["ici"],
        ),
        Error::GroupsTooDeep {
            max, group, depth, ..
        } => W::new(
            format!("les groupes sont trop imbriqués pour être vérifiés : plus de {max} niveaux de groupes (`{group}` est au niveau {depth})"),
            Some("répartissez les indicateurs sur moins de niveaux de groupes ; les tableaux des guides en ont deux".into()),
            &["ici"],
        ),
        Error::Internal => W::new(
            "erreur interne de forfait : l'analyseur et sa traduction du texte ne s'accordent pas",
            Some("c'est un défaut de forfait ; merci de le signaler en joignant le référentiel".into()),
            &[],
        ),
    }
}

fn expected_list(expected: &[Expected]) -> String {
    if expected.is_empty() {
        return "autre chose".into();
    }
    let words: Vec<String> = expected.iter().map(expected_word).collect();
    alternatives(&words, "ou")
}

fn expected_word(expected: &Expected) -> String {
    match expected {
        Expected::Keywords(words) => keywords(words, "ou"),
        Expected::EndOfFile => "la fin du fichier".into(),
        Expected::EndOfRule => "la fin de la règle".into(),
        Expected::Name => "un nom".into(),
        Expected::QuotedText => "un texte entre guillemets".into(),
        Expected::Year => "une année".into(),
        Expected::InputType => {
            "un type (`yes/no`, `count`, `decimal`, `date`, `text` ou `one of (...)`)".into()
        }
        Expected::ParenthesisedList => "une liste entre parenthèses `(a, b, ...)`".into(),
        Expected::Value => "une valeur".into(),
        Expected::Amount => "un montant (`490 EUR`, `22.5 points`)".into(),
        Expected::Condition => "une condition".into(),
        Expected::Comparison => "une comparaison (`>=`, `<=`, `>`, `<`, `=`, `!=`)".into(),
        Expected::Rate => "un taux `a / b`".into(),
        Expected::Percentage => "un pourcentage".into(),
        Expected::Fraction => "une fraction".into(),
        Expected::Number => "un nombre".into(),
        Expected::Date => "une date".into(),
    }
}

fn found_word(found: &Found) -> String {
    match found {
        Found::EndOfFile => "la fin du fichier".into(),
        Found::Text(t) => format!("`{t}`"),
    }
}

/// A slip's message and its fix.
fn slip_words(slip: &Slip) -> (String, String) {
    match slip {
        Slip::Comparator { written, write } => (
            format!("`{written}` n'est pas une comparaison"),
            format!("écrivez `{write}` ; les comparaisons sont `>=`, `<=`, `>`, `<`, `=`, `!=`"),
        ),
        Slip::Connective { written, write } => (
            format!("`{written}` n'est pas un mot du langage"),
            format!("écrivez `{write}` : les conditions se combinent avec `and` (et), `or` (ou) et `not` (non), en minuscules"),
        ),
        Slip::UppercaseName { written, write } => (
            format!("`{written}` contient des majuscules, interdites dans un nom"),
            format!("écrivez `{write}` : un nom s'écrit en minuscules ; les mots du guide vont dans le libellé entre guillemets"),
        ),
        Slip::DashedName { written, write } => (
            format!("`{written}` contient un `-`, interdit dans un nom"),
            format!("écrivez `{write}` : les mots d'un nom se relient par `_`"),
        ),
        Slip::SlashComment => (
            "`//` ne commence pas un commentaire".into(),
            "un commentaire commence par `#` : `# commentaire`".into(),
        ),
        Slip::GroupedNumber { written, write } => (
            format!("`{written}` est écrit avec un séparateur de milliers"),
            format!("écrivez `{write}` : dans un référentiel, les nombres s'écrivent sans séparateur"),
        ),
        Slip::AmountUnit { written, write } => (
            format!("`{written}` n'est pas une unité de montant"),
            format!("écrivez `{write}` : un montant est en `EUR` ou en `points` (`490 EUR`)"),
        ),
        Slip::RateAsDecimal { written, percent } => (
            format!("`{written}` est le seuil d'un taux écrit en nombre décimal"),
            format!("écrivez `{percent}` : un taux se compare à un pourcentage (ou à une fraction comme `2/3`)"),
        ),
    }
}

fn syntax_hint(hint: &SyntaxHint) -> String {
    match hint {
        SyntaxHint::MisspeltKeyword { keyword } => format!(
            "{} chaque élément commence par `input`, `list`, `indicator`, `group` ou `stated total`, et chaque clause par son mot-clé",
            did_you_mean(keyword)
        ),
        SyntaxHint::UppercaseName => "un nom s'écrit en lettres minuscules, chiffres et `_`".into(),
        SyntaxHint::AccentedName => "un nom s'écrit sans accent (`teletransmission`) ; les mots du guide vont dans le libellé entre guillemets".into(),
        SyntaxHint::EuroSign => "écrivez la devise `EUR` : `490 EUR`".into(),
        SyntaxHint::DecimalComma => "écrivez les décimales avec un point : `22.5`, et non `22,5`".into(),
        SyntaxHint::IndicatorShape => "un indicateur s'écrit : `indicator NOM \"Libellé\" section \"1.4\" automated met when CONDITION`".into(),
        SyntaxHint::InputMissing => "chaque entrée dit ce que vaut une valeur manquante : `missing is error`, `missing means no` ou `missing means none`".into(),
        SyntaxHint::Source => "dites qui fournit la donnée : `automated` (mesurée par l'Assurance Maladie), `declarative` ou `declarative prefilled`".into(),
        SyntaxHint::QuoteEnds => "un texte entre guillemets se termine sur la ligne où il commence".into(),
        SyntaxHint::Quotes => "un texte s'écrit entre guillemets droits : \"...\"".into(),
        SyntaxHint::ClauseOrder => "chaque clause vient une seule fois, dans cet ordre : indicator NOM \"Libellé\", section, type, evidence, applies when, met when, neutralised, quote, requires ou independent, pays".into(),
        SyntaxHint::ItemStart => "chaque règle commence par `input`, `list`, `indicator`, `group` ou `stated total`".into(),
    }
}

fn part(part: &Part) -> String {
    // « du référentiel », « de l'entrée » : le complément de chaque élément.
    let of = |item: &ItemKind| match item {
        ItemKind::Rulebook => "du référentiel",
        ItemKind::Input => "de l'entrée",
        ItemKind::List => "de la liste",
        ItemKind::Indicator => "de l'indicateur",
        ItemKind::Group => "du groupe",
        ItemKind::Total => "du total",
    };
    match part {
        Part::Keywords(words) => keywords(words, "ou"),
        Part::Header => "l'en-tête du référentiel".into(),
        Part::NameOf(i) => format!("le nom {}", of(i)),
        Part::LabelOf(ItemKind::Rulebook) => "le titre du référentiel".into(),
        Part::LabelOf(i) => format!("le libellé {}", of(i)),
        Part::TypeOf(i) => format!("le type {}", of(i)),
        Part::Professions => "une liste de professions".into(),
        Part::ListValues => "les valeurs de la liste".into(),
        Part::ListInput => "l'entrée dont la liste reprend les valeurs".into(),
        Part::GroupMembers => "les membres du groupe".into(),
        Part::Required => "le nom de la règle requise".into(),
        Part::StatedAmount => "le montant annoncé".into(),
        Part::Names => "une liste de noms".into(),
        Part::Value => "une valeur".into(),
        Part::Amount => "un montant".into(),
        Part::Count => "un nombre entier".into(),
        Part::Number => "un nombre".into(),
        Part::Comparison => "une comparaison".into(),
        Part::List => "une liste".into(),
        Part::Numerator => "un numérateur".into(),
        Part::Denominator => "un dénominateur".into(),
    }
}

/// Le type d'une entrée, après « est de type » : les mots des pages (`crate::french`).
fn type_name(ty: TypeName) -> &'static str {
    let input = match ty {
        TypeName::YesNo => InputType::YesNo,
        TypeName::Count => InputType::Count,
        TypeName::Decimal => InputType::Decimal,
        TypeName::Date => InputType::Date,
        TypeName::Text => InputType::Text,
        TypeName::Choice => InputType::Choice(Vec::new()),
    };
    french::type_word(&input).unwrap_or("liste de valeurs (`one of`)")
}

fn operand(operand: &OperandType) -> String {
    match operand {
        OperandType::YesNo => "un oui/non".into(),
        OperandType::Count => "un nombre entier".into(),
        OperandType::Decimal => "un nombre décimal".into(),
        OperandType::Date => "une date".into(),
        OperandType::Text => "un texte".into(),
        OperandType::ValueOf(input) => format!("une valeur de `{input}`"),
        OperandType::Name => "un nom".into(),
        OperandType::Number => "un nombre".into(),
        OperandType::Rate => "un taux".into(),
        OperandType::Threshold => "un seuil".into(),
    }
}

fn missing_default_hint(hint: MissingDefaultHint) -> &'static str {
    match hint {
        MissingDefaultHint::YesNo => "écrivez `missing means no`",
        MissingDefaultHint::Count => "écrivez un nombre entier : `missing means 0`",
        MissingDefaultHint::Choice => {
            "écrivez l'une des valeurs de l'entrée, ou `missing is error`"
        }
        MissingDefaultHint::Other => {
            "écrivez une valeur du type de l'entrée, `missing means none` ou `missing is error`"
        }
    }
}

fn compare_hint(hint: &CompareHint) -> String {
    match hint {
        CompareHint::RateWithNumber {
            percent: Some(percent),
        } => {
            format!("le seuil d'un taux est un pourcentage : écrivez `{percent}` (ou une fraction comme `2/3`)")
        }
        CompareHint::RateWithNumber { percent: None } => {
            "écrivez le seuil en pourcentage (`70 %`) ou en fraction (`2/3`)".into()
        }
        CompareHint::ChoiceValue { input } => format!("écrivez l'une des valeurs de `{input}`"),
        CompareHint::YesNo => {
            "une entrée oui/non est une condition à elle seule : écrivez `x` ou `not x`".into()
        }
        CompareHint::CountWithThreshold => {
            "un pourcentage se compare à un taux : `numerateur / denominateur >= 70 %`".into()
        }
    }
}

/// « `coordination` attend `socle`, qui attend `coordination` »
fn cycle_words(cycle: &Cycle) -> String {
    let verb = match cycle.link {
        CycleLink::WaitsOn => "attend",
        CycleLink::Contains => "contient",
    };
    match cycle.names.split_first() {
        Some((first, rest)) => format!(
            "`{first}` {verb} {}",
            quoted(rest, &format!(", qui {verb} "))
        ),
        None => String::new(),
    }
}

/// `1 240 €`, `157,50 €`, `835 points`
fn amount(value: Decimal, unit: Unit) -> String {
    match unit {
        Unit::Euros => french::money(value),
        Unit::Points => french::points(value),
    }
}

/// « `socle` 490 € + `coordination` 100 € (pour profession = infirmier) »
fn most_paid(most: &MostPaid) -> String {
    let lines: Vec<String> = most
        .lines
        .iter()
        .map(|(name, value)| format!("`{name}` {}", amount(*value, most.unit)))
        .collect();
    let mut words = lines.join(" + ");
    if !most.profile.is_empty() {
        let profile: Vec<String> = most
            .profile
            .iter()
            .map(|(input, value)| format!("{input} = {value}"))
            .collect();
        words.push_str(&format!(" (pour {})", profile.join(", ")));
    }
    words
}
