//! The fuzz driver, on stable Rust: feeds each fuzz target (`counterclaim::fuzz`) N mutated
//! inputs, prints the inputs, inputs/s and panics per target, saves every input that panicked,
//! and exits 1 if any did.
//!
//! ```sh
//! scripts/fuzz.sh                                   # every target, 1,000,000 inputs each
//! cargo run --release --example fuzz -- --inputs 100000 --target kb_flat
//! cargo run --release --example fuzz -- --target kb_flat --replay target/fuzz/kb_flat-42.bin
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use counterclaim::fuzz;

#[derive(Parser)]
struct Args {
    /// Inputs per target.
    #[arg(long, default_value_t = 1_000_000)]
    inputs: u64,
    /// The same seed gives the same inputs.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Targets to run (repeatable); every target if none.
    #[arg(long = "target")]
    targets: Vec<String>,
    /// Where inputs that panicked are saved.
    #[arg(long, default_value = "target/fuzz")]
    out: PathBuf,
    /// Run one saved input instead, with the panic's full message.
    #[arg(long)]
    replay: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let targets: Vec<&fuzz::Target> = if args.targets.is_empty() {
        fuzz::all().iter().collect()
    } else {
        let found: Option<Vec<_>> = args.targets.iter().map(|n| fuzz::find(n)).collect();
        let Some(found) = found else {
            let names: Vec<_> = fuzz::all().iter().map(|t| t.name).collect();
            eprintln!("unknown target; the targets are: {}", names.join(", "));
            return ExitCode::from(2);
        };
        found
    };
    if let Some(path) = &args.replay {
        let input = std::fs::read(path).expect("the input to replay can be read");
        for target in targets {
            (target.run)(&input);
            println!("{}: no panic", target.name);
        }
        return ExitCode::SUCCESS;
    }

    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut panics = 0;
    println!(
        "{:<16} {:>12} {:>9} {:>10} {:>7}",
        "target", "inputs", "seconds", "inputs/s", "panics"
    );
    for target in targets {
        let seeds = (target.seeds)(&root).expect("the seed files can be read");
        let report = fuzz::run(target, &seeds, args.inputs, args.seed, &args.out);
        println!(
            "{:<16} {:>12} {:>9.1} {:>10.0} {:>7}",
            report.target,
            report.inputs,
            report.elapsed.as_secs_f64(),
            report.inputs_per_second(),
            report.panics
        );
        for (message, path) in &report.found {
            println!("  panicked: {message}\n    input: {}", path.display());
        }
        panics += report.panics;
    }
    if panics > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
