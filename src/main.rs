//! The `forfait` command line: the only place that reads arguments and files, prints, and
//! chooses an exit code (0 ok, 1 problems found, 2 usage or I/O error).

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Check and run rulebooks of the health-insurance fund's flat-rate incentive schemes.
#[derive(Parser)]
#[command(name = "forfait", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check rulebooks: syntax, names, types, gating, stated totals
    Check {
        /// Rulebook files (.forfait)
        #[arg(required = true)]
        rulebooks: Vec<String>,
        /// How to print diagnostics
        #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
        error_format: ErrorFormat,
    },
    /// Evaluate declaration files (JSON object or array, or CSV) against a rulebook
    Eval {
        /// The rulebook (.forfait)
        rulebook: String,
        /// Declaration files: .json (an object or an array of objects) or .csv
        #[arg(required = true)]
        declarations: Vec<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Write the results to this file instead of standard output
        #[arg(long)]
        output: Option<String>,
        /// How to print rulebook diagnostics
        #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
        error_format: ErrorFormat,
    },
    /// Explain one declaration's amount as a tree of rules, citing the guide
    Explain {
        /// The rulebook (.forfait)
        rulebook: String,
        /// A declaration file
        declaration: String,
        /// Explain only the declaration with this id (default: every declaration in the file)
        #[arg(long)]
        id: Option<String>,
    },
    /// Run one set of situations through several rulebooks: a table, one column per year
    Matrix {
        /// Declarations describing the situations (JSON or CSV); fields a rulebook does not
        /// know are skipped
        situations: String,
        /// Rulebooks (.forfait); those that cover none of the situations are left out
        #[arg(required = true)]
        rulebooks: Vec<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = MatrixFormat::Markdown)]
        format: MatrixFormat,
    },
    /// Rewrite rulebooks in the canonical layout (comments and quoted texts kept exactly)
    Fmt {
        /// Rulebook files (.forfait), or folders to search for them
        #[arg(required = true)]
        paths: Vec<String>,
        /// Change nothing; print the changes and exit 1 if a file is not canonical
        #[arg(long)]
        check: bool,
    },
    /// Run the test cases kept beside rulebooks (X.examples/expected.csv)
    Test {
        /// Rulebooks, or folders to search for them (default: rulebooks)
        paths: Vec<String>,
        /// Also report which indicators, branches, gates and amounts no case exercises
        #[arg(long)]
        coverage: bool,
    },
    /// Print the JSON Schema of a rulebook's declarations
    Schema {
        /// The rulebook (.forfait)
        rulebook: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// One explained line per indicator, for a terminal
    Text,
    /// The stable machine contract (docs/output-json.md)
    Json,
    /// A row per declaration, a column per indicator and payment
    Csv,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MatrixFormat {
    /// A Markdown table, ready to paste in a pull request
    Markdown,
    /// JSON
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ErrorFormat {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Check {
            rulebooks,
            error_format,
        } => cli::check(&rulebooks, error_format == ErrorFormat::Json),
        Command::Eval {
            rulebook,
            declarations,
            format,
            output,
            error_format,
        } => cli::eval(
            &rulebook,
            &declarations,
            match format {
                Format::Text => cli::OutputFormat::Text,
                Format::Json => cli::OutputFormat::Json,
                Format::Csv => cli::OutputFormat::Csv,
            },
            output.as_deref(),
            error_format == ErrorFormat::Json,
        ),
        Command::Explain {
            rulebook,
            declaration,
            id,
        } => cli::explain(&rulebook, &declaration, id.as_deref()),
        Command::Matrix {
            situations,
            rulebooks,
            format,
        } => cli::matrix(&situations, &rulebooks, format == MatrixFormat::Json),
        Command::Fmt { paths, check } => cli::fmt::fmt(&paths, check),
        Command::Test { paths, coverage } => cli::test::test(&paths, coverage),
        Command::Schema { rulebook } => cli::schema(&rulebook),
    };
    ExitCode::from(outcome as u8)
}
