//! Matched posts over time, for the console's charts and `/api/v1/trends`: the windows a client
//! may ask for (bounded), and reading the trend store (`store::trends`), which reads from disk,
//! on the blocking pool.

use std::sync::Arc;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::Error;
pub use crate::store::trends::{Bucket, MatchRecord, Point, StanceCounts, TrendStore};

/// Longest window a client may ask for.
pub const MAX_WINDOW_DAYS: i64 = 400;
/// Most points in one series.
pub const MAX_POINTS: i64 = 10_000;

const DAY: i64 = 86_400;

/// `bucket=hour|day`.
pub fn parse_bucket(text: &str) -> Result<Bucket, Error> {
    match text {
        "hour" => Ok(Bucket::Hour),
        "day" => Ok(Bucket::Day),
        _ => Err(Error::invalid("bucket", "hour or day")),
    }
}

/// The trend store, or `None` when recording is off.
#[derive(Clone, Default)]
pub struct Trends(pub Option<Arc<TrendStore>>);

impl Trends {
    pub fn store(store: Arc<TrendStore>) -> Self {
        Self(Some(store))
    }

    pub fn is_on(&self) -> bool {
        self.0.is_some()
    }

    /// Runs `read` on the store on the blocking pool; `None` when recording is off.
    pub async fn read<T: Send + 'static>(
        &self,
        read: impl FnOnce(&TrendStore) -> Result<T, Error> + Send + 'static,
    ) -> Result<Option<T>, Error> {
        let Some(store) = self.0.clone() else {
            return Ok(None);
        };
        tokio::task::spawn_blocking(move || read(store.as_ref()))
            .await
            .map_err(|e| Error::Io(std::io::Error::other(format!("trend read failed: {e}"))))?
            .map(Some)
    }
}

/// A window of time a client asked for, checked against the bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: i64,
    pub to: i64,
    pub bucket: Bucket,
}

impl Window {
    /// `from`/`to` as RFC 3339 or unix seconds; `to` defaults to now, `from` to 7 days before
    /// `to`; `bucket` defaults to hours for windows up to 2 days, days beyond.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        bucket: Option<&str>,
        now: i64,
    ) -> Result<Self, Error> {
        let to = to.map(|t| instant("to", t)).transpose()?.unwrap_or(now);
        let from = from
            .map(|f| instant("from", f))
            .transpose()?
            .unwrap_or(to - 7 * DAY);
        let bucket = match bucket {
            Some(b) => parse_bucket(b)?,
            None if to - from <= 2 * DAY => Bucket::Hour,
            None => Bucket::Day,
        };
        Self::new(from, to, bucket)
    }

    pub fn new(from: i64, to: i64, bucket: Bucket) -> Result<Self, Error> {
        if from >= to {
            return Err(Error::invalid("from", "must be before `to`"));
        }
        if to - from > MAX_WINDOW_DAYS * DAY {
            return Err(Error::invalid(
                "from",
                format!("the window is longer than {MAX_WINDOW_DAYS} days"),
            ));
        }
        if (to - from + bucket.seconds() - 1) / bucket.seconds() > MAX_POINTS {
            return Err(Error::invalid(
                "bucket",
                format!("more than {MAX_POINTS} points; use a longer bucket"),
            ));
        }
        Ok(Self { from, to, bucket })
    }

    /// The last `days` days up to `now`.
    pub fn last_days(days: i64, now: i64, bucket: Bucket) -> Self {
        Self {
            from: now - days * DAY,
            to: now,
            bucket,
        }
    }
}

fn instant(field: &str, text: &str) -> Result<i64, Error> {
    if text.len() > 64 {
        return Err(Error::invalid(field, "longer than 64 bytes"));
    }
    if let Ok(seconds) = text.parse::<i64>() {
        return Ok(seconds);
    }
    OffsetDateTime::parse(text, &Rfc3339)
        .map(|t| t.unix_timestamp())
        .map_err(|_| Error::invalid(field, "an RFC 3339 time or unix seconds"))
}

/// The end of windows that run "until now": the store's windows exclude their end, so this is
/// the second after the current one, or a post matched this very second would be left out.
pub fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_read_either_form_and_stay_bounded() {
        let now = 1_760_000_000;
        let w = Window::parse(Some("2025-01-01T00:00:00Z"), Some("1735776000"), None, now).unwrap();
        assert_eq!(
            (w.from, w.to, w.bucket),
            (1_735_689_600, 1_735_776_000, Bucket::Hour)
        );
        assert_eq!(
            Window::parse(None, None, None, now).unwrap().bucket,
            Bucket::Day
        );
        let field = |r: Result<Window, Error>| match r {
            Err(Error::InvalidArgument { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(Window::parse(Some("yesterday"), None, None, now)),
            "from"
        );
        assert_eq!(field(Window::parse(Some("0"), None, None, now)), "from");
        assert_eq!(
            field(Window::parse(None, None, Some("week"), now)),
            "bucket"
        );
        assert_eq!(
            field(Window::parse(Some("10"), Some("5"), None, now)),
            "from"
        );
    }
}
