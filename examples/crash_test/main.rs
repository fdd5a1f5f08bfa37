//! Crash test of the data directory: N cycles of SIGKILL during admin writes (`cycle.rs`).
//! After each restart the knowledge base must be exactly the last acknowledged version (or the
//! write in flight, if it had been stored): never a torn one. Prints the counts; exits 1 at the
//! first cycle that fails.
//!
//! ```sh
//! cargo build --release && cargo run --release --example crash_test -- --cycles 200
//! ```

mod cycle;

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 200)]
    cycles: usize,
    /// The counterclaim binary [default: target/release/counterclaim].
    #[arg(long)]
    binary: Option<PathBuf>,
    /// The longest a server runs writes before it is killed; each cycle picks a time below it.
    #[arg(long, default_value_t = 400)]
    max_kill_ms: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let binary = args.binary.unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/counterclaim")
    });
    let data = tempfile::tempdir()?;
    let mut expected = cycle::Expected::new()?;
    let mut report = cycle::Report::default();
    // A fixed sequence of kill times, spread over the range: the run is repeatable.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..args.cycles {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let kill_after = Duration::from_millis(state % args.max_kill_ms.max(1));
        if let Err(e) =
            cycle::cycle(&binary, data.path(), &mut expected, kill_after, &mut report).await
        {
            eprintln!("cycle {i} failed: {e:#}");
            println!("{report:?}");
            std::process::exit(1);
        }
        if (i + 1) % 20 == 0 {
            eprintln!(
                "{} cycles, {} writes acknowledged",
                i + 1,
                report.acknowledged
            );
        }
    }
    println!(
        "crash test: {} cycles of SIGKILL during admin writes, {} writes acknowledged, {} \
         in-flight writes found stored after the kill, 0 torn or lost versions",
        report.cycles, report.acknowledged, report.in_flight_stored
    );
    Ok(())
}
