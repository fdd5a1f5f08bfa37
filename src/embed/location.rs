//! Where the model and the entry-embedding cache live when no directory is given, so that the
//! binary, `scripts/fetch_model.sh` and the tests agree (the XDG base directories).

use std::path::{Path, PathBuf};

/// The model's directory name, under `models/`.
pub const MODEL_NAME: &str = "all-MiniLM-L6-v2";

/// Where the model is looked for when no directory is given, in order:
///
/// 1. `models/all-MiniLM-L6-v2` under the working directory: a checkout's own copy;
/// 2. `counterclaim/models/all-MiniLM-L6-v2` under the user's data directory
///    (`$XDG_DATA_HOME`, else `~/.local/share`), where `scripts/fetch_model.sh` puts it.
pub fn default_model_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![Path::new("models").join(MODEL_NAME)];
    if let Some(data) = user_dir("XDG_DATA_HOME", ".local/share") {
        dirs.push(data.join("counterclaim/models").join(MODEL_NAME));
    }
    dirs
}

/// The first of [`default_model_dirs`] that holds the model's weights, if any.
pub fn find_default_model() -> Option<PathBuf> {
    default_model_dirs()
        .into_iter()
        .find(|dir| dir.join(super::WEIGHTS_FILE).is_file())
}

/// Where entry embeddings are cached when no directory is given: `counterclaim` under the
/// user's cache directory (`$XDG_CACHE_HOME`, else `~/.cache`).
pub fn default_cache_dir() -> Option<PathBuf> {
    user_dir("XDG_CACHE_HOME", ".cache").map(|dir| dir.join("counterclaim"))
}

/// The service's data directory when none is given (knowledge-base versions, feedback):
/// `counterclaim` under the user's data directory (`$XDG_DATA_HOME`, else `~/.local/share`).
pub fn default_data_dir() -> Option<PathBuf> {
    user_dir("XDG_DATA_HOME", ".local/share").map(|dir| dir.join("counterclaim"))
}

/// `$var` if it is an absolute path (the XDG specification ignores relative ones), else
/// `$HOME/fallback`.
fn user_dir(var: &str, fallback: &str) -> Option<PathBuf> {
    let absolute = |value: Option<std::ffi::OsString>| {
        value.map(PathBuf::from).filter(|path| path.is_absolute())
    };
    absolute(std::env::var_os(var))
        .or_else(|| absolute(std::env::var_os("HOME")).map(|home| home.join(fallback)))
}
