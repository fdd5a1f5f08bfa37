//! The nats-server of the NATS tests: JetStream, a port it picks, a temporary store.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A nats-server with JetStream, killed when dropped.
pub struct NatsServer {
    child: Child,
    pub url: String,
    program: &'static str,
    dir: tempfile::TempDir,
}

impl NatsServer {
    /// `None` (after saying so) when nats-server is not installed and not required.
    pub fn start() -> Option<Self> {
        let program = ["nats-server", "/usr/sbin/nats-server"]
            .into_iter()
            .find(|p| Command::new(p).arg("--version").output().is_ok());
        let Some(program) = program else {
            if std::env::var_os("COUNTERCLAIM_REQUIRE_NATS").is_some() {
                panic!("nats-server is required (COUNTERCLAIM_REQUIRE_NATS) but not installed");
            }
            eprintln!("SKIPPED: no nats-server");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        // Port -1: the server picks a free port and writes it to the ports file, so no other
        // test can take it between our choosing and its binding.
        let child = Command::new(program)
            .args(["-js", "-a", "127.0.0.1", "-p", "-1", "-sd"])
            .arg(dir.path().join("store"))
            .arg("--ports_file_dir")
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        let url = loop {
            let ports = std::fs::read_dir(dir.path())
                .unwrap()
                .flatten()
                .find(|e| e.file_name().to_string_lossy().ends_with(".ports"));
            if let Some(ports) = ports
                && let Ok(text) = std::fs::read_to_string(ports.path())
                && let Ok(json) = serde_json::from_str::<Value>(&text)
            {
                break json["nats"][0].as_str().unwrap().to_owned();
            }
            assert!(Instant::now() < deadline, "nats-server did not start");
            std::thread::sleep(Duration::from_millis(50));
        };
        Some(Self {
            child,
            url,
            program,
            dir,
        })
    }

    /// Kills the server (SIGKILL) and starts it again on the same port and store: the stream
    /// and the consumer come back from its files.
    pub fn restart(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let port = self.url.rsplit(':').next().unwrap().to_owned();
        self.child = Command::new(self.program)
            .args(["-js", "-a", "127.0.0.1", "-p", &port, "-sd"])
            .arg(self.dir.path().join("store"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(format!("127.0.0.1:{port}")).is_err() {
            assert!(Instant::now() < deadline, "nats-server did not restart");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
