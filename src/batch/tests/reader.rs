//! The record reader on any `BufRead`, as standard input is read.

use std::io::{BufRead, Cursor};

use super::*;

fn reader(bytes: impl Into<Vec<u8>>, format: InputFormat) -> RecordReader<'static> {
    let src: Box<dyn BufRead> = Box::new(Cursor::new(bytes.into()));
    RecordReader::new(src, format, "<stdin>", &Fields::default()).unwrap()
}

/// (line, id or error) of every record.
fn parsed(reader: RecordReader<'_>) -> Vec<(u64, Result<String, String>)> {
    reader
        .map(|r| {
            let r = r.unwrap();
            (r.line, r.parse(&Fields::default()).map(|p| p.id))
        })
        .collect()
}

#[test]
fn jsonl_lines_with_bom_crlf_blank_lines_and_numeric_ids() {
    let input = "\u{feff}{\"id\": \"a\", \"text\": \"one\"}\r\n\
                 \n   \r\n\
                 {\"text\": \"three\", \"id\": 12345678901234, \"user\": {\"id\": 1, \"text\": []}}\n\
                 {\"id\": -7, \"text\": \"four\"}";
    let got = parsed(reader(input, InputFormat::Jsonl));
    assert_eq!(
        got,
        [
            (1, Ok("a".to_owned())),
            (4, Ok("12345678901234".to_owned())),
            (5, Ok("-7".to_owned())),
        ]
    );
    let record = reader(input, InputFormat::Jsonl).nth(1).unwrap().unwrap();
    assert_eq!(record.parse(&Fields::default()).unwrap().text, "three");
    assert!(record.text().unwrap().starts_with("{\"text\": \"three\""));
}

#[test]
fn custom_field_names() {
    let fields = Fields {
        id: "id_str".to_owned(),
        text: "full_text".to_owned(),
    };
    let src: Box<dyn BufRead> = Box::new(Cursor::new(
        r#"{"id": 1, "id_str": "1", "text": "short", "full_text": "the whole post"}"#,
    ));
    let record = RecordReader::new(src, InputFormat::Jsonl, "x", &fields)
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    let post = record.parse(&fields).unwrap();
    assert_eq!(
        (post.id.as_str(), post.text.as_str()),
        ("1", "the whole post")
    );
}

#[test]
fn a_line_over_the_limit_is_a_bad_record_and_reading_goes_on() {
    let long = format!(
        "{{\"id\": \"big\", \"text\": \"{}\"}}",
        "a".repeat(MAX_RECORD_BYTES)
    );
    let input = format!("{long}\n{{\"id\": \"next\", \"text\": \"x\"}}\n");
    let records: Vec<RawRecord> = reader(input, InputFormat::Jsonl)
        .map(Result::unwrap)
        .collect();
    assert_eq!(records.len(), 2);
    assert!(
        records[0]
            .parse(&Fields::default())
            .unwrap_err()
            .contains("longer than")
    );
    assert_eq!(records[0].text(), None);
    assert_eq!(records[1].line, 2);
    assert_eq!(records[1].parse(&Fields::default()).unwrap().id, "next");
}

#[test]
fn compressed_standard_input_is_recognised() {
    let plain = b"{\"id\": \"z\", \"text\": \"zipped\"}\n".to_vec();
    let zstd_bytes = zstd::encode_all(&plain[..], 0).unwrap();
    for bytes in [plain.clone(), zstd_bytes] {
        let src = decompress(Box::new(Cursor::new(bytes))).unwrap();
        let got =
            parsed(RecordReader::new(src, InputFormat::Jsonl, "-", &Fields::default()).unwrap());
        assert_eq!(got, [(1, Ok("z".to_owned()))]);
    }
}

#[test]
fn csv_records_carry_the_line_they_start_on() {
    let input = "id,text\n\
                 a,\"two\nlines\"\n\
                 ,no id\n\
                 c\n\
                 d,fine\n";
    let got = parsed(reader(input, InputFormat::Csv));
    assert_eq!(got[0], (2, Ok("a".to_owned())));
    assert_eq!(got[1], (4, Err("\"id\" is empty".to_owned())));
    assert_eq!(
        got[2],
        (5, Err("no \"text\" column in this record".to_owned()))
    );
    assert_eq!(got[3], (6, Ok("d".to_owned())));
    assert_eq!(got.len(), 4);

    let record = reader(input, InputFormat::Csv).next().unwrap().unwrap();
    assert_eq!(record.text().unwrap(), "a,\"two\nlines\"");
}

#[test]
fn a_csv_header_without_the_columns_stops_the_input() {
    let src: Box<dyn BufRead> = Box::new(Cursor::new("post,body\n1,x\n"));
    match RecordReader::new(src, InputFormat::Csv, "in.csv", &Fields::default()) {
        Err(BatchError::BadInput {
            input,
            line,
            message,
        }) => {
            assert_eq!((input.as_str(), line), ("in.csv", 1));
            assert!(message.contains("no \"id\" column"), "{message}");
            assert!(message.contains("\"post\", \"body\""), "{message}");
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("accepted"),
    }
    // An empty input has no header and no records.
    assert_eq!(parsed(reader("", InputFormat::Csv)), []);
}

#[test]
fn a_runaway_csv_quote_stops_the_input_with_its_line() {
    let input = format!(
        "id,text\na,fine\nb,\"never closed\n{}",
        "more text\n".repeat(MAX_RECORD_BYTES / 5)
    );
    let mut records = reader(input, InputFormat::Csv);
    assert_eq!(records.next().unwrap().unwrap().line, 2);
    match records.next() {
        Some(Err(BatchError::BadInput { line, message, .. })) => {
            assert_eq!(line, 3);
            assert!(message.contains("unclosed quote"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(records.next().is_none());
}

#[test]
fn a_csv_quote_never_closed_makes_its_record_bad_and_names_the_lines() {
    // The issue's input: the unterminated quote on line 3 swallows line 4.
    let input = "id,text\n1,fine\n3,\"a post with an \"\"unterminated quote\n4,next post\n";
    let got = parsed(reader(input, InputFormat::Csv));
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0], (2, Ok("1".to_owned())));
    let (line, error) = &got[1];
    assert_eq!(*line, 3);
    let error = error.as_ref().unwrap_err();
    assert!(
        error.contains("the quote opened on line 3 is never closed"),
        "{error}"
    );
    assert!(error.contains("any post after line 3"), "{error}");

    // The same without a line end at the end of the input.
    let got = parsed(reader("id,text\n1,\"abc", InputFormat::Csv));
    assert!(got[0].1.as_ref().unwrap_err().contains("never closed"));
}

#[test]
fn a_csv_quote_closed_on_a_later_line_with_text_after_it_is_reported() {
    let input = "id,text\n\
                 1,\"unclosed\n\
                 2,plain\n\
                 3,\"quoted\" text\n\
                 4,fine\n";
    let got = parsed(reader(input, InputFormat::Csv));
    assert_eq!(got.len(), 2, "{got:?}");
    let error = got[0].1.as_ref().unwrap_err();
    assert_eq!(got[0].0, 2);
    assert!(
        error.contains("the quote opened on line 2 closes on line 4"),
        "{error}"
    );
    assert!(error.contains("lines 3-4"), "{error}");
    assert_eq!(got[1], (5, Ok("4".to_owned())));
}

#[test]
fn csv_quotes_that_are_fine_over_lines_are_not_reported() {
    let input = "id,text\n\
                 1,\"he said \"\"hi\"\"\nand left\"\n\
                 2,\"a, b\"\n\
                 3,5\" screen\n\
                 4,last\n";
    let got = parsed(reader(input, InputFormat::Csv));
    let ids: Vec<_> = got.iter().map(|(line, id)| (*line, id.clone())).collect();
    assert_eq!(
        ids,
        [
            (2, Ok("1".to_owned())),
            (4, Ok("2".to_owned())),
            (5, Ok("3".to_owned())),
            (6, Ok("4".to_owned())),
        ]
    );
}

#[test]
fn a_csv_id_holding_a_line_break_or_a_text_over_the_limit_on_many_lines_is_bad() {
    let got = parsed(reader("id,text\n\"1\n2\",text\n3,ok\n", InputFormat::Csv));
    assert!(
        got[0]
            .1
            .as_ref()
            .unwrap_err()
            .contains("holds a line break"),
        "{got:?}"
    );
    assert_eq!(got[1], (4, Ok("3".to_owned())));

    let long = format!("{}\n", "x".repeat(99)).repeat(200);
    let got = parsed(reader(format!("id,text\n1,\"{long}\"\n"), InputFormat::Csv));
    let error = got[0].1.as_ref().unwrap_err();
    assert!(error.contains("runs over 200 lines"), "{error}");
    assert!(error.contains("past the limit"), "{error}");
}

#[test]
fn a_header_in_another_format_names_the_input_format_to_give() {
    for (input, format, wanted) in [
        (
            "{\"id\": 1, \"text\": \"x\"}\n",
            InputFormat::Csv,
            "--input-format jsonl",
        ),
        ("id\ttext\n1\tx\n", InputFormat::Csv, "--input-format tsv"),
        ("id,text\n1,x\n", InputFormat::Tsv, "--input-format csv"),
    ] {
        let src: Box<dyn BufRead> = Box::new(Cursor::new(input));
        match RecordReader::new(src, format, "in", &Fields::default()) {
            Err(BatchError::BadInput { message, .. }) => {
                assert!(message.contains(wanted), "{message}");
            }
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("accepted {input:?} as {format}"),
        }
    }
}
