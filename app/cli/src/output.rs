//! Text or JSON output of command results.

use std::fmt::Write as _;

use serde_json::json;

use crate::rpc::AbciQueryError;

/// How a command prints its result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON document on one line, for scripts.
    Json,
}

impl OutputFormat {
    /// Prints `json` in JSON mode, or the text built by `text` otherwise.
    pub fn print(self, json: &serde_json::Value, text: impl FnOnce() -> String) {
        match self {
            OutputFormat::Json => println!("{json}"),
            OutputFormat::Text => {
                let text = text();
                if text.ends_with('\n') {
                    print!("{text}");
                } else {
                    println!("{text}");
                }
            }
        }
    }
}

/// Builds aligned `key: value` lines.
#[derive(Debug, Default)]
pub struct Lines {
    rows: Vec<(String, String)>,
}

impl Lines {
    /// An empty block of lines.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one `key: value` row.
    pub fn row(mut self, key: &str, value: impl std::fmt::Display) -> Self {
        self.rows.push((key.to_owned(), value.to_string()));
        self
    }

    /// Renders the rows with the values aligned.
    pub fn render(&self) -> String {
        let width = self.rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        let mut out = String::new();
        for (key, value) in &self.rows {
            let _ = writeln!(
                out,
                "{:width$}  {value}",
                format!("{key}:"),
                width = width + 1
            );
        }
        out
    }
}

/// Prints the code, codespace and log of a failed `abci_query` (as JSON in JSON mode) and
/// turns it into the error to exit with.
pub(crate) fn explain_query(output: OutputFormat) -> impl Fn(anyhow::Error) -> anyhow::Error {
    move |error| match error.downcast_ref::<AbciQueryError>() {
        Some(q) => {
            if output == OutputFormat::Json {
                println!(
                    "{}",
                    json!({ "path": q.path, "code": q.code, "codespace": q.codespace, "log": q.log })
                );
            }
            anyhow::anyhow!(
                "query {} failed: code {}, codespace {:?}, log: {}",
                q.path,
                q.code,
                q.codespace,
                q.log
            )
        }
        None => error,
    }
}
