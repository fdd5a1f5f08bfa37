//! The officials' console in real headless Chromium, against a real gRPC server and its HTTP
//! address on 127.0.0.1:0 with a trend store in a temporary data directory: posts matched
//! through gRPC show on the pages with the right counts and stance split, the check form gives
//! the narratives `MatchPost` gives, copy buttons carry the statements' text, and nothing on a
//! page points off 127.0.0.1 (Chromium also runs with every other host unresolvable).
//!
//! Skipped ("SKIPPED: no chromium") without Chromium, unless `COUNTERCLAIM_REQUIRE_BROWSER` is
//! set. With `COUNTERCLAIM_SCREENSHOTS=DIR` it also writes a screenshot of each page there.

mod util;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use counterclaim::grpc::Options;
use counterclaim::grpc::pb::{self, counterclaim_client::CounterclaimClient};
use counterclaim::http::trends::Trends;
use counterclaim::store::trends::{TrendOptions, TrendStore};
use util::{TestServer, shipped_matcher};

const CHROMIUM: &str = "chromium";
const NARRATIVE: &str = "foreign-counterfeit-mail-ballots";

/// Posts that match the shipped knowledge base, promoting and debunking.
const POSTS: &[&str] = &[
    "China will forge our mail ballots",
    "Russia and China will print millions of fake mail-in ballots to rig the election",
    "Foreign countries are going to counterfeit mail-in ballots",
    "It is false that China will forge mail ballots: intelligence officials found no evidence \
     of any foreign country printing counterfeit ballots",
    "Mail-in voting leads to massive fraud, the election is rigged",
];

/// Chromium's flags, with its profile in `profile` (a temporary directory the caller removes).
fn chromium_args(profile: &Path) -> Vec<String> {
    vec![
        "--headless=new".into(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--no-first-run".into(),
        // Any request to a host but this one fails, as it would on a machine without internet.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1".into(),
        format!("--user-data-dir={}", profile.display()),
    ]
}

fn have_chromium() -> bool {
    let found = Command::new(CHROMIUM)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("COUNTERCLAIM_REQUIRE_BROWSER").is_none(),
            "no chromium and COUNTERCLAIM_REQUIRE_BROWSER is set"
        );
        eprintln!("SKIPPED: no chromium");
    }
    found
}

/// The DOM of `path` after the page's scripts ran.
async fn dom(addr: SocketAddr, path: &str) -> String {
    let url = format!("http://{addr}{path}");
    let profile = tempfile::tempdir().unwrap();
    let mut args = chromium_args(profile.path());
    args.extend(["--dump-dom".to_owned(), url.clone()]);
    let output = tokio::task::spawn_blocking(move || Command::new(CHROMIUM).args(args).output())
        .await
        .unwrap()
        .expect("chromium runs");
    let dom = String::from_utf8(output.stdout).unwrap();
    assert!(
        dom.contains("</html>"),
        "no page for {url}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    if let Some(dir) = std::env::var_os("COUNTERCLAIM_SCREENSHOTS") {
        screenshot(addr, path, Path::new(&dir)).await;
    }
    dom
}

async fn screenshot(addr: SocketAddr, path: &str, dir: &Path) {
    let name = match path.split(['?', '/']).find(|s| !s.is_empty()) {
        None => "narratives",
        Some("narratives") => "narrative",
        Some(other) => other,
    };
    let name = if path.starts_with("/?q=") {
        "search"
    } else {
        name
    };
    std::fs::create_dir_all(dir).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let mut args = chromium_args(profile.path());
    args.extend([
        format!("--screenshot={}", dir.join(format!("{name}.png")).display()),
        "--window-size=1280,1000".to_owned(),
        "--hide-scrollbars".to_owned(),
        format!("http://{addr}{path}"),
    ]);
    let status = tokio::task::spawn_blocking(move || Command::new(CHROMIUM).args(args).output())
        .await
        .unwrap()
        .unwrap()
        .status;
    assert!(status.success());
}

/// Every value of `name="…"` in `dom`, unescaped.
fn attrs(dom: &str, name: &str) -> Vec<String> {
    let key = format!(" {name}=\"");
    dom.match_indices(&key)
        .map(|(at, _)| {
            let rest = &dom[at + key.len()..];
            unescape(&rest[..rest.find('"').unwrap()])
        })
        .collect()
}

/// The first value of `name` on the element that carries `marker`.
fn attr_after(dom: &str, marker: &str, name: &str) -> String {
    let at = dom
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in the page"));
    let tag_end = at + dom[at..].find('>').unwrap();
    let tag_start = dom[..at].rfind('<').unwrap();
    attrs(&dom[tag_start..=tag_end], name)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {name} on {marker}"))
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// No resource or link on the page leaves this address.
fn assert_local(dom: &str, path: &str) {
    for value in attrs(dom, "src")
        .into_iter()
        .chain(attrs(dom, "href"))
        .chain(attrs(dom, "action"))
    {
        assert!(
            value.starts_with('/')
                || value.starts_with('#')
                || value.starts_with("http://127.0.0.1"),
            "{path} points off 127.0.0.1: {value}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_console_shows_what_grpc_matched_and_answers_as_grpc_does() {
    if !have_chromium() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let (store, recorder) = TrendStore::open(data.path(), TrendOptions::default()).unwrap();
    let options = Options {
        trends: Some(recorder.clone()),
        ..Options::default()
    };
    let server =
        TestServer::serving_with_trends(shipped_matcher(), options, Trends::store(Arc::new(store)))
            .await;
    let http = server.http_addr.unwrap();

    // Match through gRPC and count what was answered, per narrative and stance.
    let mut client = CounterclaimClient::connect(server.url()).await.unwrap();
    let mut expected: BTreeMap<(String, i32), u64> = BTreeMap::new();
    for (i, text) in POSTS.iter().enumerate() {
        let answer = client
            .match_post(pb::MatchPostRequest {
                post: Some(pb::Post {
                    id: format!("post-{i}"),
                    text: (*text).into(),
                    platform: "test".into(),
                    ..Default::default()
                }),
                options: None,
            })
            .await
            .unwrap()
            .into_inner();
        for m in answer.matches {
            *expected.entry((m.narrative_id, m.stance)).or_default() += 1;
        }
    }
    let count = |id: &str, stance: pb::Stance| {
        expected
            .get(&(id.to_owned(), stance as i32))
            .copied()
            .unwrap_or(0)
    };
    let (promotes, debunks) = (
        count(NARRATIVE, pb::Stance::Promotes),
        count(NARRATIVE, pb::Stance::Debunks),
    );
    assert!(
        promotes >= 2 && debunks >= 1,
        "both stances on the chart: {expected:?}"
    );
    tokio::task::spawn_blocking(move || recorder.flush())
        .await
        .unwrap();

    // The narratives page: every shipped narrative, with its counts.
    let page = dom(http, "/").await;
    let shipped = shipped_matcher();
    for n in shipped.kb().narratives() {
        assert!(
            page.contains(&format!("data-narrative=\"{}\"", n.id)),
            "{} missing",
            n.id
        );
        assert!(page.contains(&n.title), "{} missing", n.title);
        let total: u64 = expected
            .iter()
            .filter(|((id, _), _)| *id == n.id)
            .map(|(_, c)| c)
            .sum();
        let row = &page[page.find(&format!("data-narrative=\"{}\"", n.id)).unwrap()..];
        assert_eq!(
            attr_after(row, "class=\"count\"", "data-count"),
            total.to_string(),
            "{}",
            n.id
        );
    }
    assert_local(&page, "/");

    // The narrative page: the chart's totals and split, and one copy button per statement.
    let path = format!("/narratives/{NARRATIVE}?window=24h");
    let page = dom(http, &path).await;
    assert_eq!(
        attr_after(&page, "class=\"stance-chart\"", "data-promotes"),
        promotes.to_string()
    );
    assert_eq!(
        attr_after(&page, "class=\"stance-chart\"", "data-debunks"),
        debunks.to_string()
    );
    let bars: u64 = attrs(&page, "data-promotes")
        .iter()
        .skip(1)
        .map(|n| n.parse::<u64>().unwrap())
        .sum();
    assert_eq!(bars, promotes, "the bars add up to the total");
    let narrative = client
        .get_narrative(pb::GetNarrativeRequest {
            id: NARRATIVE.into(),
        })
        .await
        .unwrap()
        .into_inner()
        .narrative
        .unwrap();
    let quotes: Vec<String> = narrative
        .statements
        .iter()
        .map(|s| s.quote.clone())
        .collect();
    assert_eq!(
        attrs(&page, "data-copy"),
        quotes,
        "each copy button carries its statement"
    );
    assert_eq!(
        page.matches("<tr class=\"post\"").count() as u64,
        promotes + debunks + count(NARRATIVE, pb::Stance::Neutral)
    );
    assert_local(&page, &path);

    // The check form: the same narratives as MatchPost, in the same order, each with the
    // words that name its core concepts.
    for text in POSTS {
        let grpc: Vec<pb::Match> = client
            .match_post(pb::MatchPostRequest {
                post: Some(pb::Post {
                    text: (*text).into(),
                    ..Default::default()
                }),
                options: None,
            })
            .await
            .unwrap()
            .into_inner()
            .matches;
        let query: String = text
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let page = dom(http, &format!("/check?text={query}")).await;
        let shown: Vec<String> = attrs(&page, "data-narrative");
        let ids: Vec<&str> = grpc.iter().map(|m| m.narrative_id.as_str()).collect();
        assert_eq!(shown, ids, "{text}");
        for concept in grpc
            .iter()
            .flat_map(|m| &m.evidence.as_ref().unwrap().concepts)
        {
            let told = format!("{}: {}", concept.concept_id, concept.words.join(", "));
            assert!(page.contains(&told), "{text}: {told} not on the page");
        }
        assert_local(&page, "/check");
    }

    // The search a newcomer starts from leads straight to the statements and their buttons.
    let page = dom(http, "/?q=foreign+countries+will+forge+mail+ballots").await;
    assert_eq!(
        attr_after(&page, "class=\"hit\"", "data-narrative"),
        NARRATIVE
    );
    let first = &page[page.find("class=\"hit\"").unwrap()..];
    let first = &first[..first[1..]
        .find("class=\"hit\"")
        .map_or(first.len(), |end| end + 1)];
    let buttons = attrs(first, "data-copy");
    assert!(
        !buttons.is_empty() && buttons.iter().all(|c| quotes.contains(c)),
        "{buttons:?}"
    );

    // A readable 404 with the footer.
    let page = dom(http, "/narratives/no-such-narrative").await;
    assert!(
        page.contains("Not found") && page.contains("kb-version"),
        "{page}"
    );
}
