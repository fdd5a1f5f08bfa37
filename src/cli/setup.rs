//! The knowledge base and the matcher the flags ask for. Nothing depends on the directory the
//! binary runs in: the shipped knowledge base is built in, and the model is looked for where
//! `scripts/fetch_model.sh` puts it. A path that is missing is reported with the flag or
//! variable that set it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::bail;
use counterclaim::embed::{self, Embedder};
use counterclaim::kb::KnowledgeBase;
use counterclaim::matcher::{MatchOptions, Matcher};

#[derive(clap::Args, Clone)]
pub struct KbArg {
    /// Knowledge base: a directory (native TOML format) or a .jsonl file (flat format)
    /// [default: the shipped one, built into the binary].
    #[arg(long, env = "COUNTERCLAIM_KB", global = true)]
    pub kb: Option<PathBuf>,
}

impl KbArg {
    /// Loads the knowledge base.
    pub fn load(&self) -> anyhow::Result<KnowledgeBase> {
        let Some(path) = &self.kb else {
            return Ok(KnowledgeBase::built_in()?);
        };
        if !path.exists() {
            bail!(
                "knowledge base {}: no such file or directory ({}; without --kb or \
                 COUNTERCLAIM_KB the shipped knowledge base built into the binary is used)",
                path.display(),
                set_by("--kb", "COUNTERCLAIM_KB", path)
            );
        }
        Ok(KnowledgeBase::load(path)?)
    }

    /// How messages name it.
    pub fn name(&self) -> String {
        self.kb.as_ref().map_or_else(
            || "the shipped knowledge base".to_owned(),
            |p| p.display().to_string(),
        )
    }
}

/// Which of a flag and its environment variable gave `value`, for messages about it.
pub fn set_by(flag: &str, var: &str, value: &Path) -> String {
    if std::env::var_os(var).is_some_and(|v| Path::new(&v) == value) {
        format!("set by the environment variable {var}; {flag} overrides it")
    } else {
        format!("set by {flag}, or the environment variable {var}")
    }
}

#[derive(clap::Args, Clone)]
pub struct MatcherArgs {
    #[command(flatten)]
    pub kb: KbArg,
    /// Keep the search index on disk here (reused while the knowledge base is unchanged)
    /// instead of building it in RAM.
    #[arg(long, env = "COUNTERCLAIM_INDEX_DIR")]
    pub index_dir: Option<PathBuf>,
    /// The sentence-embedding model (all-MiniLM-L6-v2). Matching is hybrid when it loads,
    /// lexical otherwise [default: models/all-MiniLM-L6-v2 in the working directory if it is
    /// there, else $XDG_DATA_HOME/counterclaim/models/all-MiniLM-L6-v2 (or
    /// ~/.local/share/...), where scripts/fetch_model.sh puts it].
    #[arg(long, env = "COUNTERCLAIM_MODEL")]
    pub model: Option<PathBuf>,
    /// Match lexically even if the model is there.
    #[arg(long)]
    pub lexical: bool,
    /// Where entry embeddings are cached across runs [default: --index-dir if given, else
    /// $XDG_CACHE_HOME/counterclaim or ~/.cache/counterclaim].
    #[arg(long, env = "COUNTERCLAIM_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
}

impl MatcherArgs {
    pub fn cache_dir(&self) -> Option<PathBuf> {
        (self.cache_dir.clone())
            .or_else(|| self.index_dir.clone())
            .or_else(embed::default_cache_dir)
    }

    /// The matcher: hybrid when the model loads (unless `--lexical`), lexical otherwise, which
    /// is logged once with the reason.
    pub fn matcher(&self) -> anyhow::Result<Matcher> {
        self.matcher_for(Arc::new(self.kb.load()?))
    }

    /// The same for a knowledge base already loaded (from the data directory).
    pub fn matcher_for(&self, kb: Arc<KnowledgeBase>) -> anyhow::Result<Matcher> {
        let mut matcher = Matcher::new(kb, self.index_dir.as_deref())?;
        if !self.lexical {
            self.use_model(&mut matcher);
        }
        tracing::info!(
            mode = matcher.mode(),
            model = matcher.model_id().unwrap_or("none"),
            narratives = matcher.kb().narratives().len(),
            version = matcher.kb().version(),
            "matching mode"
        );
        Ok(matcher)
    }

    fn use_model(&self, matcher: &mut Matcher) {
        let dir = match &self.model {
            Some(dir) => dir.clone(),
            None => match embed::find_default_model() {
                Some(dir) => dir,
                None => {
                    let looked: Vec<String> = embed::default_model_dirs()
                        .iter()
                        .map(|d| d.display().to_string())
                        .collect();
                    tracing::warn!(
                        "no sentence-embedding model in {}: matching is lexical only \
                         (scripts/fetch_model.sh fetches it; --model or COUNTERCLAIM_MODEL \
                         points at another copy)",
                        looked.join(" or ")
                    );
                    return;
                }
            },
        };
        let loaded = Embedder::load(&dir)
            .map_err(|e| e.to_string())
            .and_then(|model| {
                (matcher.use_encoder(Arc::new(model), self.cache_dir().as_deref()))
                    .map_err(|e| e.to_string())
            });
        if let Err(error) = loaded {
            let hint = match &self.model {
                Some(dir) if !dir.exists() => format!(
                    "{} does not exist ({})",
                    dir.display(),
                    set_by("--model", "COUNTERCLAIM_MODEL", dir)
                ),
                _ => "scripts/fetch_model.sh fetches it".to_owned(),
            };
            tracing::warn!(
                model = %dir.display(),
                %error,
                "no sentence-embedding model: matching is lexical only ({hint})"
            );
        }
    }
}

/// Match options from the flags, checked, with the flags' names in the message (the library
/// names the gRPC fields). `max_flag` is the flag of `max`; 0 is refused, where gRPC reads it
/// as the default.
pub fn match_options(
    max: u32,
    max_flag: &str,
    min_score: Option<f32>,
    with_statements: bool,
) -> anyhow::Result<MatchOptions> {
    if max == 0 {
        bail!("{max_flag}: at least 1");
    }
    let options = MatchOptions::from_request(max, min_score, with_statements);
    match options.validate() {
        Ok(()) => Ok(options),
        Err(counterclaim::Error::InvalidArgument { field, reason }) => {
            let flag = if field.ends_with("min_score") {
                "--min-score"
            } else {
                max_flag
            };
            bail!("{flag}: {reason}")
        }
        Err(e) => Err(e.into()),
    }
}
