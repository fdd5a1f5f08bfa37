//! With the admin API on, the knowledge base lives in the data directory; and the admin API is
//! never served unprotected off loopback.

use std::sync::Arc;

use anyhow::bail;
use counterclaim::matcher::Matcher;
use counterclaim::store::versions::Versions;

use super::ServeArgs;

/// The admin API changes what every client is told: it never runs unprotected off loopback.
pub(super) fn check_admin_protection(args: &ServeArgs, keys: bool) -> anyhow::Result<()> {
    let Some(addr) = args.admin_addr else {
        if args.insecure_admin {
            bail!("--insecure-admin: there is no admin API without --admin-addr");
        }
        return Ok(());
    };
    if keys {
        if args.insecure_admin {
            bail!("--insecure-admin: API keys are given (--api-keys), so the admin API needs them");
        }
        return Ok(());
    }
    if !args.insecure_admin {
        bail!(
            "--admin-addr {addr}: the admin API needs API keys (--api-keys); without them, \
             --insecure-admin serves it unprotected, on a loopback address only"
        );
    }
    if !addr.ip().is_loopback() {
        bail!(
            "--insecure-admin: {addr} is not a loopback address; an unprotected admin API \
             must not be reachable from other machines (use --api-keys)"
        );
    }
    tracing::warn!(addr = %addr, "the admin API runs without API keys (--insecure-admin)");
    Ok(())
}

/// With the admin API on, the knowledge base lives in the data directory: its newest version
/// is served; a new data directory is first given the one `--kb` names (or the shipped one).
pub(super) fn stored_matcher(args: &ServeArgs) -> anyhow::Result<(Matcher, Versions, u64)> {
    let data_dir = args.data_dir.path()?;
    let versions = Versions::open(&data_dir, args.keep_versions)?;
    if let Some((info, kb)) = versions.latest()? {
        if args.matcher.kb.kb.is_some() {
            tracing::warn!(
                kb = args.matcher.kb.name(),
                "--kb is ignored: the data directory already holds the knowledge base"
            );
        }
        tracing::info!(
            data_dir = %data_dir.display(),
            sequence = info.sequence,
            kb = info.kb_version,
            "serving the newest stored knowledge-base version"
        );
        let matcher = args.matcher.matcher_for(Arc::new(kb))?;
        return Ok((matcher, versions, info.sequence));
    }
    let matcher = args.matcher.matcher()?;
    let info = versions.write(matcher.kb(), "seed", "")?;
    tracing::info!(
        data_dir = %data_dir.display(),
        kb = info.kb_version,
        from = args.matcher.kb.name(),
        "stored the knowledge base as the data directory's first version"
    );
    Ok((matcher, versions, info.sequence))
}
