//! Exporters: publish the knowledge base in formats other sites and tools read.
//!
//! | format ([`ExportFormat`]) | output |
//! |---------------------------|--------|
//! | `claimreview` ([`claimreview`]) | schema.org `ClaimReview` JSON-LD, one review per narrative, for officials' sites and search engines; it re-imports with [`import`](super::import) as `claimreview` |
//!
//! Exporters are pure functions of a loaded [`KnowledgeBase`](super::KnowledgeBase): they read
//! no clock and no file, so the same knowledge base always gives the same output.

pub mod claimreview;

use std::fmt;
use std::str::FromStr;

/// The formats the knowledge base is exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// schema.org `ClaimReview` JSON-LD. Name: `claimreview`.
    ClaimReview,
}

impl ExportFormat {
    /// Every format, in the order they are listed to users.
    pub const ALL: [ExportFormat; 1] = [Self::ClaimReview];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::ClaimReview => "claimreview",
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ExportFormat {
    type Err = String;

    /// Parses a format name, ignoring ASCII case and surrounding whitespace.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        super::import::format_named(s, &Self::ALL, Self::name, "export")
    }
}

#[cfg(test)]
mod tests;
