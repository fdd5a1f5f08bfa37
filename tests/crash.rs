//! A short run of the crash test (`examples/crash_test` runs 200 cycles):
//! SIGKILL during admin writes never leaves a torn or lost knowledge-base version.
#![cfg(unix)]

#[path = "../examples/crash_test/cycle.rs"]
mod cycle;

use std::path::Path;
use std::time::Duration;

#[tokio::test]
async fn sigkill_during_admin_writes_keeps_the_last_acknowledged_version() {
    let binary = Path::new(env!("CARGO_BIN_EXE_counterclaim"));
    let data = tempfile::tempdir().unwrap();
    let mut expected = cycle::Expected::new().unwrap();
    let mut report = cycle::Report::default();
    for kill_ms in [0, 150, 400, 700, 1000] {
        let kill_after = Duration::from_millis(kill_ms);
        cycle::cycle(binary, data.path(), &mut expected, kill_after, &mut report)
            .await
            .unwrap();
    }
    assert_eq!(report.cycles, 5);
    assert!(report.acknowledged > 0, "{report:?}");
}
