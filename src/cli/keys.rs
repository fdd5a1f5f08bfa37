//! `counterclaim keys new`: a fresh API key, and the key-file entry that holds its SHA-256 only.

use anyhow::Context;
use counterclaim::grpc::{self, Role};

#[derive(clap::Subcommand)]
pub enum KeysCommand {
    /// Print a new random API key (32 bytes from the operating system) and the `[[key]]` entry
    /// to paste into the key file (--api-keys), which holds its SHA-256, not the key.
    New {
        /// The key's name, in the access log and in refusals: who holds it.
        #[arg(long)]
        name: String,
        /// read: matching and narrative queries; admin: also the admin service and feedback.
        #[arg(long)]
        role: Role,
    },
}

pub fn run(command: KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::New { name, role } => {
            let entry = |key: &str| grpc::key_entry(&name, role, key).map_err(anyhow::Error::msg);
            // The name is checked before a key is made, so a bad one prints nothing.
            entry("")?;
            let key = grpc::new_key().context("reading the operating system's random source")?;
            println!("# The key, for the client only: the server keeps its SHA-256.");
            println!("{key}");
            println!();
            println!("# The entry for the key file (--api-keys):");
            print!("{}", entry(&key)?);
            Ok(())
        }
    }
}
