//! `keys new`, and `serve` refusing bad key and TLS settings before it listens.

use sha2::{Digest, Sha256};

use super::{run, stderr, stdout, temp_file};

#[test]
fn keys_new_prints_a_key_and_an_entry_holding_only_its_digest() {
    let out = run(&["keys", "new", "--name", "ci-bot", "--role", "admin"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let key = text
        .lines()
        .find(|l| !l.starts_with('#') && !l.is_empty())
        .unwrap();
    assert_eq!(key.len(), 64, "{text}");
    assert!(key.bytes().all(|b| b.is_ascii_hexdigit()), "{text}");
    let digest: String = Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let entry = text.split_once("[[key]]").unwrap().1;
    assert!(entry.contains("name = \"ci-bot\"") && entry.contains("role = \"admin\""));
    assert!(entry.contains(&format!("sha256 = \"{digest}\"")), "{text}");
    assert!(!entry.contains(key));

    let again = stdout(&run(&["keys", "new", "--name", "ci-bot", "--role", "read"]));
    assert!(!again.contains(key), "keys repeat");

    let bad = run(&["keys", "new", "--name", "ci bot", "--role", "read"]);
    assert!(!bad.status.success() && stdout(&bad).is_empty());
    assert!(stderr(&bad).contains("\"ci bot\""), "{}", stderr(&bad));
    let role = run(&["keys", "new", "--name", "ci", "--role", "writer"]);
    assert!(!role.status.success() && stderr(&role).contains("--role"));
}

#[test]
fn serve_needs_both_tls_flags() {
    let out = run(&["serve", "--tls-cert", "server.crt", "--no-http"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("--tls-key"), "{err}");
    let out = run(&["serve", "--tls-key", "server.key", "--no-http"]);
    assert!(!out.status.success() && stderr(&out).contains("--tls-cert"));
    let out = run(&["serve", "--tls-client-ca", "ca.crt", "--no-http"]);
    assert!(!out.status.success() && stderr(&out).contains("--tls-cert"));
}

#[test]
fn serve_names_a_bad_tls_file_before_it_listens() {
    let (_dir, garbage) = temp_file("server.crt", "not a certificate\n");
    let garbage = garbage.to_str().unwrap();
    let out = run(&[
        "serve",
        "--tls-cert",
        garbage,
        "--tls-key",
        garbage,
        "--addr",
        "127.0.0.1:0",
        "--no-http",
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains(garbage) && err.contains("--tls-cert"), "{err}");
    assert!(stdout(&out).is_empty(), "it listened: {}", stdout(&out));
}

#[test]
fn serve_names_a_bad_key_file_and_entry_without_the_key() {
    let secret = "short-secret";
    let (_dir, file) = temp_file(
        "keys.toml",
        &format!("[[key]]\nname = \"ci\"\nrole = \"read\"\nkey = \"{secret}\"\n"),
    );
    let file = file.to_str().unwrap();
    let out = run(&[
        "serve",
        "--api-keys",
        file,
        "--addr",
        "127.0.0.1:0",
        "--no-http",
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(file) && err.contains("[[key]] 1 (\"ci\")"),
        "{err}"
    );
    assert!(err.contains("--api-keys") && !err.contains(secret), "{err}");
    assert!(stdout(&out).is_empty(), "it listened: {}", stdout(&out));

    let mut listed = super::command(&["serve", "--addr", "127.0.0.1:0", "--no-http"]);
    listed.env("COUNTERCLAIM_API_KEYS", format!("ci:admin:{secret}"));
    let out = listed.output().unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("COUNTERCLAIM_API_KEYS: entry 1 (\"ci\")"),
        "{err}"
    );
    assert!(!err.contains(secret), "{err}");
}
