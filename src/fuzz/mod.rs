//! Fuzz targets and a stable-Rust driver for them: the code that reads what users and clients
//! send must answer any bytes with a value or an error, never a panic.
//!
//! Each [`Target`] is a plain `fn(&[u8])` over one entry point, fed the way its users feed it:
//! - `normalize`: the text normaliser every post goes through ([`crate::text::normalize`]),
//!   which must also keep its documented length bound and be idempotent;
//! - `kb_native`: the native TOML loader, on a directory given as one text (see
//!   [`targets::native_files`]);
//! - `kb_flat`: the flat JSONL loader;
//! - `kb_claimreview`: the ClaimReview importer, whose flat output must load back;
//! - `kb_checkthat2020`, `kb_checkthat2022`: the CheckThat! importers (TSV, JSONL), likewise;
//! - `grpc_request`: a request message as the service decodes it (prost), then converts,
//!   validates and answers it, with the built-in knowledge base in lexical mode; the first byte
//!   picks the method.
//!
//! [`run`] feeds a target `n` inputs: mutations ([`mutate`]) of seeds taken from the
//! repository's own files (`tests/fixtures/`, `index/`), deterministic for a given seed number,
//! with panics caught and the inputs that caused them saved. `examples/fuzz.rs` and
//! `scripts/fuzz.sh` run every target at length (release build); `tests/fuzz.rs` runs a few
//! thousand inputs each in CI. The targets take plain bytes, so a coverage-guided fuzzer
//! (cargo-fuzz on nightly) can call them as they are.

mod grpc;
mod mutate;
mod structured;
pub mod targets;

use std::cell::RefCell;
use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

pub use mutate::{Rng, mutate};

/// Makes a new input in place from `input`, given the seeds (to splice from), the dictionary of
/// format tokens and the longest input allowed.
pub type Mutator = fn(&mut Rng, &mut Vec<u8>, &[Vec<u8>], &[&str], usize);

/// One fuzz target: an entry point fed arbitrary bytes.
pub struct Target {
    pub name: &'static str,
    /// Runs the entry point on one input; a panic is a bug.
    pub run: fn(&[u8]),
    /// Reads the seed inputs from the repository at the given root.
    pub seeds: fn(&Path) -> std::io::Result<Vec<Vec<u8>>>,
    /// Makes the next input from the one given (a seed or the input before), in place:
    /// [`mutate`], or a mutator that knows the input's structure.
    pub mutate: Mutator,
    /// Tokens of the input's format, which mutations insert.
    pub dictionary: &'static [&'static str],
    /// Longest input generated, in bytes.
    pub max_len: usize,
}

/// Every target, in the order the driver runs them.
pub fn all() -> &'static [Target] {
    &targets::ALL
}

pub fn find(name: &str) -> Option<&'static Target> {
    all().iter().find(|t| t.name == name)
}

/// What a run found.
#[derive(Debug)]
pub struct Report {
    pub target: &'static str,
    pub inputs: u64,
    pub panics: u64,
    pub elapsed: Duration,
    /// Each distinct panic (by message and place): the message and the file its input was saved
    /// to.
    pub found: Vec<(String, PathBuf)>,
}

impl Report {
    pub fn inputs_per_second(&self) -> f64 {
        self.inputs as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Distinct panics saved per run; past that they are only counted.
const MAX_SAVED: usize = 20;

/// Feeds `target` `inputs` inputs: the seeds themselves first, then mutations of them (now and
/// then of the input before, to go further from the seeds). A panicking input is written to
/// `save_dir` as `<target>-<n>.bin`.
pub fn run(target: &Target, seeds: &[Vec<u8>], inputs: u64, seed: u64, save_dir: &Path) -> Report {
    quiet_panics();
    let mut rng = Rng::new(seed ^ name_hash(target.name));
    let mut report = Report {
        target: target.name,
        inputs: 0,
        panics: 0,
        elapsed: Duration::ZERO,
        found: Vec::new(),
    };
    let mut seen = HashSet::new();
    let mut input: Vec<u8> = Vec::new();
    let started = Instant::now();
    for i in 0..inputs {
        if let Some(seed_input) = seeds.get(i as usize) {
            input.clone_from(seed_input);
        } else {
            if seeds.is_empty() {
                input.clear();
            } else if !rng.chance(4) {
                input.clone_from(rng.pick(seeds));
            }
            (target.mutate)(
                &mut rng,
                &mut input,
                seeds,
                target.dictionary,
                target.max_len,
            );
        }
        report.inputs += 1;
        if let Some(message) = catch(target.run, &input) {
            report.panics += 1;
            if report.found.len() < MAX_SAVED && seen.insert(message.clone()) {
                let path = save_dir.join(format!("{}-{i}.bin", target.name));
                let saved =
                    std::fs::create_dir_all(save_dir).and_then(|()| std::fs::write(&path, &input));
                if let Err(e) = saved {
                    eprintln!("could not save {}: {e}", path.display());
                }
                report.found.push((message, path));
            }
        }
    }
    report.elapsed = started.elapsed();
    report
}

/// Runs one input; the panic message and place if it panicked.
pub fn catch(run: fn(&[u8]), input: &[u8]) -> Option<String> {
    quiet_panics();
    CATCHING.with(|c| *c.borrow_mut() = Some(String::new()));
    ACTIVE.fetch_add(1, Ordering::SeqCst);
    let result = panic::catch_unwind(AssertUnwindSafe(|| run(input)));
    ACTIVE.fetch_sub(1, Ordering::SeqCst);
    let mut message = CATCHING.with(|c| c.borrow_mut().take()).unwrap_or_default();
    if message.is_empty() {
        // It panicked on another thread (rayon's) and was carried over to this one.
        message = lock(&OTHER_THREAD).take().unwrap_or_default();
    }
    result.err().map(|_| message)
}

/// Fuzz inputs running now, on any thread.
static ACTIVE: AtomicUsize = AtomicUsize::new(0);
/// The last panic recorded on a thread that was not running an input itself.
static OTHER_THREAD: Mutex<Option<String>> = Mutex::new(None);

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

thread_local! {
    /// `Some` while this thread runs a fuzz input: the panic hook writes the message here
    /// instead of printing it, so a million inputs do not flood the terminal.
    static CATCHING: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that records panics of fuzz inputs and leaves every other panic
/// to the hook that was there before.
fn quiet_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let text = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let place = info.location().map(|l| l.to_string()).unwrap_or_default();
            let message = format!("{text} at {place}");
            let recorded = CATCHING.with(|c| match c.borrow_mut().as_mut() {
                Some(slot) => {
                    *slot = message.clone();
                    true
                }
                None => false,
            });
            if recorded {
                return;
            }
            if ACTIVE.load(Ordering::SeqCst) > 0 {
                *lock(&OTHER_THREAD) = Some(message);
            } else {
                previous(info);
            }
        }));
    });
}

/// FNV-1a, so each target draws its own inputs from the same seed number.
fn name_hash(name: &str) -> u64 {
    name.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panics_on_zero_width_space(data: &[u8]) {
        assert!(
            !String::from_utf8_lossy(data).contains('\u{200B}'),
            "hidden"
        );
    }

    #[test]
    fn a_panic_is_counted_and_its_input_saved() {
        let target = Target {
            name: "test",
            run: panics_on_zero_width_space,
            seeds: |_| Ok(Vec::new()),
            mutate,
            dictionary: &[],
            max_len: 64,
        };
        let dir = tempfile::tempdir().unwrap();
        let seeds = vec![b"plain words".to_vec()];
        let report = run(&target, &seeds, 2_000, 1, dir.path());
        assert!(report.panics > 0);
        let (message, path) = &report.found[0];
        assert!(
            message.starts_with("hidden at src/fuzz/mod.rs"),
            "{message}"
        );
        let input = std::fs::read(path).unwrap();
        assert!(catch(target.run, &input).is_some());
        assert!(catch(target.run, b"plain words").is_none());
    }
}
