//! Input formats and compression.

use std::fs;
use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;

use super::*;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn input_format_from_the_name() {
    let cases = [
        ("posts.jsonl", Some(InputFormat::Jsonl)),
        ("posts.NDJSON", Some(InputFormat::Jsonl)),
        ("dump/2020-11.json.gz", Some(InputFormat::Jsonl)),
        ("posts.jsonl.zst", Some(InputFormat::Jsonl)),
        ("posts.csv", Some(InputFormat::Csv)),
        ("posts.csv.gz", Some(InputFormat::Csv)),
        ("posts.tsv.zst", Some(InputFormat::Tsv)),
        ("posts.txt", None),
        ("posts.gz", None),
        ("posts", None),
    ];
    for (name, format) in cases {
        assert_eq!(InputFormat::from_path(Path::new(name)), format, "{name}");
    }
    assert_eq!("TSV".parse(), Ok(InputFormat::Tsv));
    assert!("xml".parse::<InputFormat>().is_err());
    assert_eq!("csv".parse(), Ok(OutputFormat::Csv));
    assert_eq!(OutputFormat::default().to_string(), "jsonl");
}

#[test]
fn csv_and_tsv_with_custom_fields() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(
        dir.path(),
        "posts.csv",
        format!(
            "\u{feff}post_id,lang,body\r\n\
             c1,en,\"{MATCHING}, they say\"\r\n\
             c2,en,\"a post over\ntwo lines, with \"\"quotes\"\"\"\r\n\
             c3,en,Anyone know a good dentist in Austin?\r\n"
        ),
    );
    let tsv = write(
        dir.path(),
        "posts.tsv",
        format!("body\tpost_id\n{MATCHING}\tt1\nMy sourdough starter finally bubbled\tt2\n"),
    );
    let out = dir.path().join("out.jsonl");
    let mut config = config(&[&csv, &tsv], &out);
    config.id_field = "post_id".to_owned();
    config.text_field = "body".to_owned();
    let (summary, records) = score_checked(&config);
    assert_eq!(ids(&records), ["c1", "c2", "c3", "t1", "t2"]);
    assert_eq!(summary.skipped, 0);
    for i in [0, 3] {
        assert_eq!(
            records[i]["matches"][0]["narrative_id"], "foreign-counterfeit-mail-ballots",
            "{}",
            records[i]
        );
    }
    assert_eq!(
        summary.matches_per_narrative["foreign-counterfeit-mail-ballots"],
        2
    );

    // --input-format overrides the name.
    let renamed = write(dir.path(), "posts.data", fs::read(&tsv).unwrap());
    config.inputs = vec![renamed];
    config.input_format = Some(InputFormat::Tsv);
    let (_, records) = score_checked(&config);
    assert_eq!(ids(&records), ["t1", "t2"]);
}

#[test]
fn gzip_and_zstd_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let plain = jsonl_posts(0..40, false);
    let (first, second) = plain.split_at(plain.find("\n{\"id\":\"20\"").unwrap() + 1);
    // Two gzip members, as `cat a.gz b.gz` makes.
    let mut gz = gzip(first.as_bytes());
    gz.extend(gzip(second.as_bytes()));
    let gz = write(dir.path(), "a.jsonl.gz", gz);
    let csv = "id,text\nz1,\"".to_owned() + MATCHING + "\"\nz2,hello\n";
    let zst = write(
        dir.path(),
        "b.csv.zst",
        zstd::encode_all(csv.as_bytes(), 3).unwrap(),
    );
    // Compressed but not named so: found by its magic number.
    let sniffed = write(
        dir.path(),
        "c.jsonl",
        gzip(b"{\"id\": \"s1\", \"text\": \"hi\"}\n"),
    );
    let out = dir.path().join("out.jsonl");
    let (summary, records) = score_checked(&config(&[&gz, &zst, &sniffed], &out));

    let mut expected: Vec<String> = (0..40).map(|i| i.to_string()).collect();
    expected.extend(["z1", "z2", "s1"].map(String::from));
    assert_eq!(ids(&records), expected);
    assert_eq!(summary.skipped, 0);

    let plain = write(dir.path(), "plain.jsonl", &plain);
    let plain_out = dir.path().join("plain-out.jsonl");
    let (_, plain_records) = score_checked(&config(&[&plain], &plain_out));
    assert_eq!(records[..40], plain_records[..]);
}

#[test]
fn a_truncated_gzip_input_is_an_error_not_a_short_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut gz = gzip(jsonl_posts(0..200, false).as_bytes());
    gz.truncate(gz.len() / 2);
    let gz = write(dir.path(), "a.jsonl.gz", gz);
    let out = dir.path().join("out.jsonl");
    match score(matcher(), &config(&[&gz], &out)) {
        Err(BatchError::Io { path, .. }) => assert!(path.ends_with("a.jsonl.gz")),
        other => panic!("{other:?}"),
    }
}
