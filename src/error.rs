//! Errors at the library boundary: one [`Diagnostic`] per problem, located by
//! file, line and column, and an [`Error`] that carries every diagnostic of a
//! build so the CLI can report them all at once, like a compiler.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// For the record (an article kept back until its date).
    Note,
    /// Worth a look; does not stop a build.
    Warning,
    /// Stops the build.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One problem found in a site's input, pointing at the file (and, where
/// known, the 1-based line and column) that caused it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error (stops the build) or warning.
    pub severity: Severity,
    /// The file at fault.
    pub path: PathBuf,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    /// 1-based column in the line, when known.
    pub column: Option<usize>,
    /// What was wrong and what was expected.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic for a whole file (no position).
    pub fn file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// The same finding as a warning.
    pub fn warning(self) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..self
        }
    }

    /// The same finding as a note.
    pub fn note(self) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..self
        }
    }

    /// A diagnostic at `line:column` (both 1-based) of `path`.
    pub fn at(
        path: impl Into<PathBuf>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `-r .` makes paths like `./content/a.md`; print them as `content/a.md`.
        let path = self.path.strip_prefix(".").unwrap_or(&self.path);
        write!(f, "{}", path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}: {}", self.severity, self.message)
    }
}

/// Everything that can stop a build.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The site's input has problems; every one found is listed.
    #[error("{}", display_all(.0))]
    Input(Vec<Diagnostic>),
    /// The output directory is not one gazette may write into.
    #[error("refusing to write into {}: {reason}", .path.display())]
    UnsafeOutput {
        /// The directory that was refused.
        path: PathBuf,
        /// Why it was refused.
        reason: String,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
}

fn display_all(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&d.to_string());
    }
    let n = diagnostics.len();
    out.push_str(&format!("\n{n} error{}", if n == 1 { "" } else { "s" }));
    out
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// An input error of one diagnostic.
    pub(crate) fn one(diagnostic: Diagnostic) -> Self {
        Error::Input(vec![diagnostic])
    }

    /// The input diagnostics, if this is an input error.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Input(d) => d,
            _ => &[],
        }
    }
}

/// The result type of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Converts a byte offset in `text` into a 1-based (line, column) pair, the
/// column counted in characters.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_chars() {
        let text = "ab\ncdé\nfg";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 7), (2, 4));
        assert_eq!(line_col(text, 8), (3, 1));
    }

    #[test]
    fn diagnostic_displays_like_a_compiler() {
        let d = Diagnostic::at("content/a.md", 3, 7, "expected a date");
        assert_eq!(d.to_string(), "content/a.md:3:7: error: expected a date");
    }
}
