//! Compiles the gRPC contract in `proto/` with protox (pure Rust, no `protoc` needed) and writes a
//! file descriptor set for server reflection; lists the files of the shipped knowledge base
//! (`index/`) for the binary to carry (`kb::KnowledgeBase::built_in`).

use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(env::var("OUT_DIR")?);
    // The matching API and the admin service are served on different addresses, each with
    // reflection of its own contract only.
    for (proto, descriptor) in [
        (
            "proto/counterclaim/v1/counterclaim.proto",
            "counterclaim_descriptor",
        ),
        (
            "proto/counterclaim/admin/v1/admin.proto",
            "admin_descriptor",
        ),
    ] {
        println!("cargo:rerun-if-changed={proto}");
        let descriptors = protox::compile([proto], ["proto"])?;
        std::fs::write(
            out.join(format!("{descriptor}.bin")),
            prost::Message::encode_to_vec(&descriptors),
        )?;
        tonic_prost_build::configure().compile_fds(descriptors)?;
    }
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?);
    write_index_files(&root, &out.join("index_files.rs"))?;
    Ok(())
}

/// Writes `INDEX_FILES: &[(&str, &str)]`: every TOML file under `index/` (its path, such as
/// `index/narratives/x.toml`, and its text through `include_str!`), sorted, so `index/` stays the
/// one copy of the shipped knowledge base and the binary carries it whatever directory it runs in.
fn write_index_files(root: &Path, out: &Path) -> Result<(), Box<dyn std::error::Error>> {
    // A directory here makes cargo rerun this when any file under it changes.
    println!("cargo:rerun-if-changed=index");
    let mut files = Vec::new();
    toml_files(root, Path::new("index"), &mut files)?;
    files.sort();
    let mut code = String::from("pub(super) const INDEX_FILES: &[(&str, &str)] = &[\n");
    for file in &files {
        let full = root.join(file);
        let full = full.to_str().ok_or("the crate's path is not UTF-8")?;
        code.push_str(&format!("    ({file:?}, include_str!({full:?})),\n"));
    }
    code.push_str("];\n");
    fs::write(out, code)?;
    Ok(())
}

/// The `.toml` files under `dir` (relative to `root`), as `/`-separated relative paths.
fn toml_files(
    root: &Path,
    dir: &Path,
    files: &mut Vec<String>,
) -> Result<(), Box<dyn std::error::Error>> {
    for entry in fs::read_dir(root.join(dir))? {
        let entry = entry?;
        let path = dir.join(entry.file_name());
        let name = path
            .to_str()
            .ok_or("a file name under index/ is not UTF-8")?;
        if entry.file_type()?.is_dir() {
            toml_files(root, &path, files)?;
        } else if name.ends_with(".toml") {
            files.push(name.to_owned());
        }
    }
    Ok(())
}
