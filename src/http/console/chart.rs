//! Charts as inline SVG drawn on the server, so the pages need no JavaScript. Each chart says
//! what it shows in a `<title>` (read by screen readers) and carries its numbers as `data-`
//! attributes, which the browser tests read; the narrative page adds a table of the same
//! numbers.

use maud::{Markup, html};
use time::OffsetDateTime;
use time::macros::format_description;

use super::super::trends::{Bucket, Point, StanceCounts};

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 180.0;

pub fn totals(points: &[Point]) -> StanceCounts {
    points
        .iter()
        .fold(StanceCounts::default(), |t, p| StanceCounts {
            promotes: t.promotes + p.counts.promotes,
            debunks: t.debunks + p.counts.debunks,
            neutral: t.neutral + p.counts.neutral,
        })
}

/// A small line of matched posts per bucket, for the narratives list.
pub fn sparkline(points: &[Point], label: &str) -> Markup {
    let (w, h) = (120.0, 28.0);
    let max = points
        .iter()
        .map(|p| p.counts.total())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let step = w / (points.len().max(2) - 1) as f64;
    let line: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let y = h - 2.0 - (p.counts.total() as f64 / max) * (h - 4.0);
            format!("{:.1},{:.1}", i as f64 * step, y)
        })
        .collect();
    let total = totals(points).total();
    html! {
        svg.sparkline role="img" width=(w) height=(h) viewBox={ "0 0 " (w) " " (h) }
            data-total=(total) {
            title { (label) ": " (total) " matched posts" }
            polyline points=(line.join(" ")) {}
        }
    }
}

/// Matched posts per bucket, stacked by stance (promotes at the bottom, then debunks, then
/// neutral).
pub fn stacked(points: &[Point], bucket: Bucket, label: &str) -> Markup {
    let all = totals(points);
    let max = points
        .iter()
        .map(|p| p.counts.total())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let slot = WIDTH / points.len().max(1) as f64;
    let bar = (slot * 0.8).max(1.0);
    let scale = (HEIGHT - 20.0) / max;
    let summary = format!(
        "{label}: {} matched posts — {} promoting, {} debunking, {} neutral",
        all.total(),
        all.promotes,
        all.debunks,
        all.neutral
    );
    html! {
        figure.chart {
            svg.stance-chart role="img" width=(WIDTH) height=(HEIGHT)
                viewBox={ "0 0 " (WIDTH) " " (HEIGHT) }
                data-promotes=(all.promotes) data-debunks=(all.debunks)
                data-neutral=(all.neutral) data-bucket=(bucket_name(bucket)) {
                title { (summary) }
                line.axis x1="0" y1=(HEIGHT - 0.5) x2=(WIDTH) y2=(HEIGHT - 0.5) {}
                @for (i, p) in points.iter().enumerate() {
                    @let x = i as f64 * slot + (slot - bar) / 2.0;
                    g.bar data-start=(p.start) data-promotes=(p.counts.promotes)
                        data-debunks=(p.counts.debunks) data-neutral=(p.counts.neutral) {
                        title { (when(p.start, bucket)) ": " (p.counts.promotes) " promoting, "
                            (p.counts.debunks) " debunking, " (p.counts.neutral) " neutral" }
                        @for (class, top, height) in segments(p.counts, scale) {
                            rect class=(class) x=(format!("{x:.1}")) y=(format!("{top:.1}"))
                                width=(format!("{bar:.1}")) height=(format!("{height:.1}")) {}
                        }
                    }
                }
            }
            figcaption {
                (summary) ". "
                span.key.promotes { "promotes" } " "
                span.key.debunks { "debunks" } " "
                span.key.neutral { "neutral" }
            }
        }
    }
}

/// The rectangles of one bar, bottom up: (stance, top, height).
fn segments(counts: StanceCounts, scale: f64) -> Vec<(&'static str, f64, f64)> {
    let mut y = HEIGHT;
    [
        ("promotes", counts.promotes),
        ("debunks", counts.debunks),
        ("neutral", counts.neutral),
    ]
    .into_iter()
    .filter(|&(_, n)| n > 0)
    .map(|(class, n)| {
        let height = n as f64 * scale;
        y -= height;
        (class, y, height)
    })
    .collect()
}

pub fn bucket_name(bucket: Bucket) -> &'static str {
    match bucket {
        Bucket::Hour => "hour",
        Bucket::Day => "day",
    }
}

/// A bucket's start as people read it, in UTC.
pub fn when(start: i64, bucket: Bucket) -> String {
    let Ok(t) = OffsetDateTime::from_unix_timestamp(start) else {
        return start.to_string();
    };
    let formatted = match bucket {
        Bucket::Hour => t.format(format_description!("[year]-[month]-[day] [hour]:00 UTC")),
        Bucket::Day => t.format(format_description!("[year]-[month]-[day]")),
    };
    formatted.unwrap_or_else(|_| start.to_string())
}

/// A moment to the minute, in UTC.
pub fn moment(at: i64) -> String {
    OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .and_then(|t| {
            t.format(format_description!("[year]-[month]-[day] [hour]:[minute]"))
                .ok()
        })
        .unwrap_or_else(|| at.to_string())
}
