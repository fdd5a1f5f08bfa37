//! The storage adapters: what the service keeps in its data directory (`--data-dir`), each in a
//! module of its own behind plain types from the core, so the core never learns how or where
//! they are stored.
//!
//! - [`versions`]: the knowledge base's versions, written durably, the newest served at start.
//! - [`feedback`]: moderators' verdicts, appended to `feedback.jsonl`.
//! - [`trends`]: every match answered, in SQLite (`trends.sqlite`), with hourly counts to chart.

pub mod feedback;
pub mod trends;
pub mod versions;

/// Now, as RFC 3339 in UTC to the second (`2026-12-03T07:41:02Z`): the time every record of the
/// data directory carries.
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.replace_nanosecond(0)
        .unwrap_or(now)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_are_rfc3339_utc_to_the_second() {
        use time::format_description::well_known::Rfc3339;
        let now = super::now_rfc3339();
        assert_eq!(now.len(), "2026-12-03T07:41:02Z".len(), "{now}");
        assert!(now.ends_with('Z'), "{now}");
        let parsed = time::OffsetDateTime::parse(&now, &Rfc3339).unwrap();
        assert!(
            (time::OffsetDateTime::now_utc() - parsed)
                .whole_seconds()
                .abs()
                < 5
        );
    }
}
