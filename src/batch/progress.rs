//! The progress bar on stderr: a bar over the input bytes (with an ETA) when every input is a
//! file, a spinner otherwise (standard input); posts done and the rate either way.

use std::time::{Duration, Instant};

use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressStyle};

pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
}

impl Progress {
    /// A bar over `total_bytes` of input (as stored, compressed or not) when known, a spinner
    /// otherwise; nothing at all unless `enabled`.
    pub fn start(enabled: bool, total_bytes: Option<u64>) -> Self {
        let bar = enabled.then(|| {
            let (bar, template) = match total_bytes {
                Some(total) => (
                    ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()),
                    "{spinner} {elapsed_precise} [{wide_bar}] {percent:>3}% ETA {eta} · {msg}",
                ),
                None => (
                    ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
                    "{spinner} {elapsed_precise} {msg}",
                ),
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Self {
            bar,
            started: Instant::now(),
        }
    }

    /// After each chunk: posts done so far, input bytes read so far.
    pub fn update(&self, posts: u64, bytes: u64) {
        let Some(bar) = &self.bar else { return };
        if bar.length().is_some() {
            bar.set_position(bytes);
        }
        let seconds = self.started.elapsed().as_secs_f64();
        let rate = if seconds > 0.0 {
            posts as f64 / seconds
        } else {
            0.0
        };
        bar.set_message(format!(
            "{} posts, {} posts/s",
            HumanCount(posts),
            HumanCount(rate as u64)
        ));
    }

    /// Runs `f` (which writes to stderr) with the bar out of the way.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
