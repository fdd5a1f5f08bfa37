//! Calls the running server from Python grpcio, an independent client that discovers the API by
//! reflection. Skips with a message when Python's grpcio is missing, unless
//! `COUNTERCLAIM_REQUIRE_PYTHON=1` (set by `.ci/run`, which installs it) makes that a failure.

mod util;

use std::process::Command;

use util::TestServer;

fn python_has_grpc() -> bool {
    Command::new("python3")
        .args(["-c", "import grpc, grpc_reflection, grpc_health"])
        .status()
        .is_ok_and(|s| s.success())
}

#[tokio::test(flavor = "multi_thread")]
async fn python_grpcio_client_can_use_the_api() {
    if !python_has_grpc() {
        assert!(
            std::env::var("COUNTERCLAIM_REQUIRE_PYTHON").is_err(),
            "python3 with grpcio, grpcio-reflection and grpcio-health-checking is required"
        );
        eprintln!("skipped: pip install grpcio grpcio-reflection grpcio-health-checking");
        return;
    }
    let server = TestServer::start().await;
    let script = util::root().join("tests/python/client.py");
    let addr = server.addr.to_string();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("python3")
            .arg(script)
            .arg(addr)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "python client failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("all calls behaved"), "{stdout}");
}
