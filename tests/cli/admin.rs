//! `counterclaim serve --admin-addr` refuses to run the admin API unprotected.

use super::{run, stderr};

#[test]
fn the_admin_api_never_starts_unprotected_off_loopback() {
    let data = tempfile::tempdir().unwrap();
    let data = data.path().to_str().unwrap();
    let serve = |extra: &[&str]| {
        let mut args = vec!["serve", "--lexical", "--addr", "127.0.0.1:0", "--no-http"];
        args.extend(["--data-dir", data]);
        args.extend(extra);
        run(&args)
    };
    let without_keys = serve(&["--admin-addr", "127.0.0.1:0"]);
    assert!(!without_keys.status.success());
    assert!(
        stderr(&without_keys).contains("needs API keys"),
        "{}",
        stderr(&without_keys)
    );
    let off_loopback = serve(&["--admin-addr", "0.0.0.0:0", "--insecure-admin"]);
    assert!(!off_loopback.status.success());
    let message = stderr(&off_loopback);
    assert!(message.contains("not a loopback address"), "{message}");
    let without_admin = serve(&["--insecure-admin"]);
    assert!(stderr(&without_admin).contains("no admin API without --admin-addr"));
}
