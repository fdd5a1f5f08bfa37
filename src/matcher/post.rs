//! What a caller hands the matcher: a post and the options of the match, validated against
//! [`limits`](crate::limits) before any work is done.

use crate::text::Lang;
use crate::{Error, limits};

/// A social-media post. Only `text` is analysed; the rest is carried for the caller's records
/// and bounded like everything a client sends.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Post {
    pub id: String,
    pub text: String,
    /// ISO 639-1 hint ("en", "es"); empty means detect.
    pub lang: String,
    pub author: String,
    pub created_at: String,
    pub platform: String,
    pub url: String,
}

impl Post {
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            text: text.into(),
            ..Self::default()
        }
    }

    /// Checks every field against its limit; errors name the field as `post.<field>`.
    pub fn validate(&self) -> Result<(), Error> {
        if self.text.len() > limits::MAX_POST_TEXT_BYTES {
            return Err(Error::invalid(
                "post.text",
                format!(
                    "{} bytes is over the limit of {}",
                    self.text.len(),
                    limits::MAX_POST_TEXT_BYTES
                ),
            ));
        }
        if self.id.len() > limits::MAX_POST_ID_BYTES {
            return Err(Error::invalid(
                "post.id",
                format!("longer than {} bytes", limits::MAX_POST_ID_BYTES),
            ));
        }
        for (field, value) in [
            ("post.lang", &self.lang),
            ("post.author", &self.author),
            ("post.created_at", &self.created_at),
            ("post.platform", &self.platform),
            ("post.url", &self.url),
        ] {
            if value.len() > limits::MAX_POST_FIELD_BYTES {
                return Err(Error::invalid(
                    field,
                    format!("longer than {} bytes", limits::MAX_POST_FIELD_BYTES),
                ));
            }
        }
        self.lang_hint().map(|_| ())
    }

    /// The language hint, if the client gave one we support.
    pub fn lang_hint(&self) -> Result<Option<Lang>, Error> {
        match self.lang.to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "en" => Ok(Some(Lang::En)),
            "es" => Ok(Some(Lang::Es)),
            other => Err(Error::invalid(
                "post.lang",
                format!("{other:?} is not supported: use \"en\", \"es\" or leave it empty"),
            )),
        }
    }
}

/// How many matches to return, from what score, and whether to attach the statements.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchOptions {
    pub max_matches: usize,
    /// Report narratives scoring at least this. `None` reports each narrative from its own
    /// threshold (`Narrative::threshold`), else from [`DEFAULT_THRESHOLD`](super::DEFAULT_THRESHOLD):
    /// a score the caller gives applies to every narrative, since they asked for it.
    pub min_score: Option<f32>,
    pub include_statements: bool,
}

impl Default for MatchOptions {
    fn default() -> Self {
        Self {
            max_matches: limits::DEFAULT_MAX_MATCHES,
            min_score: None,
            include_statements: false,
        }
    }
}

impl MatchOptions {
    /// Options from a client's raw values: 0 matches means the default, no score each
    /// narrative's threshold.
    pub fn from_request(
        max_matches: u32,
        min_score: Option<f32>,
        include_statements: bool,
    ) -> Self {
        let defaults = Self::default();
        Self {
            max_matches: match max_matches {
                0 => defaults.max_matches,
                n => usize::try_from(n).unwrap_or(usize::MAX),
            },
            min_score,
            include_statements,
        }
    }

    pub fn validate(&self) -> Result<(), Error> {
        if self.max_matches > limits::MAX_MATCHES {
            return Err(Error::invalid(
                "options.max_matches",
                format!("at most {}", limits::MAX_MATCHES),
            ));
        }
        if self.min_score.is_some_and(|s| !(0.0..=1.0).contains(&s)) {
            return Err(Error::invalid("options.min_score", "must be within [0, 1]"));
        }
        Ok(())
    }
}
