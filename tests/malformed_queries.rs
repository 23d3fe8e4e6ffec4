//! Malformed and hostile queries: each is refused with exit code 2 and a message that says
//! what is wrong, where and how to fix it, or searched (exit 0/1) when it legitimately can
//! be; none panics, hangs (a 5 s watchdog kills it) or echoes control characters.

mod common;

use std::process::{Command, Output};
use std::time::Duration;

use common::{json_article, txt, Sandbox};
use serde_json::Value;

/// A query must be answered well within this; past it the process is killed and the test
/// fails. (Speed itself is measured by benchmarks, not asserted here.)
const WATCHDOG: Duration = Duration::from_secs(5);

/// What a query must give.
enum Expect {
    /// Exit 2; stderr holds `bad query:` and every one of these parts (the position and the
    /// fix).
    Error(&'static [&'static str]),
    /// Exit 0 (hits) or 1 (none), with why the query is a legitimate search.
    Search(i32, &'static str),
}

use Expect::{Error, Search};

/// The queries, each with what it must give. Positions count characters from 1.
fn cases() -> Vec<(String, Expect)> {
    let mut v: Vec<(String, Expect)> = vec![
        (
            "\"Champions League".into(),
            Error(&["unbalanced quote", "position 1", "add a closing `\"`"]),
        ),
        (
            "(Salah OR Nunez".into(),
            Error(&["`(` at position 1 is never closed", "add a `)`"]),
        ),
        (
            "Salah)".into(),
            Error(&["unmatched `)` at position 6", "remove it"]),
        ),
        (
            "- *".into(),
            Error(&["`- *` has no words", "give at least one word"]),
        ),
        (
            "*".into(),
            Error(&["`*` has no words", "give at least one word"]),
        ),
        (
            "title:*".into(),
            Error(&["`title:*` at position 6", "search for words"]),
        ),
        (
            "Salah *".into(),
            Error(&[
                "`*` at position 7",
                "would match every article",
                "remove it",
            ]),
        ),
        (
            "unknownfield:foo".into(),
            Error(&[
                "`unknownfield:` at position 1",
                "the fields are title and body",
                "quote them",
                "drop the colon (unknownfield foo)",
            ]),
        ),
        (
            "Arsenal: late winner".into(),
            Error(&[
                "`Arsenal:` at position 1 reads as a field name",
                "(\"Arsenal: late winner\")",
                "(Arsenal late winner)",
            ]),
        ),
        (
            "Man Utd: the verdict".into(),
            Error(&[
                "`Utd:` at position 5",
                "(\"Man Utd: the verdict\")",
                "(Man Utd the verdict)",
            ]),
        ),
        (
            "titel:final".into(),
            Error(&["position 1", "did you mean title:?"]),
        ),
        (
            "kind:article".into(),
            Error(&["`kind:` at position 1", "the fields are title and body"]),
        ),
        (
            "AND".into(),
            Error(&[
                "`AND` at position 1 has nothing before it",
                "put a word before it or remove it",
            ]),
        ),
        (
            "OR".into(),
            Error(&["`OR` at position 1 has nothing before it"]),
        ),
        (
            "NOT".into(),
            Error(&[
                "`NOT` at position 1 has nothing after it",
                "add a word after it",
            ]),
        ),
        (
            "AND AND".into(),
            Error(&["`AND` at position 1 has nothing before it"]),
        ),
        (
            "Salah AND AND Nunez".into(),
            Error(&[
                "`AND` at position 11 follows `AND` at position 7",
                "remove one",
            ]),
        ),
        (
            "a OR".into(),
            Error(&["`OR` at position 3 has nothing after it"]),
        ),
        (
            "Liverpool AND NOT".into(),
            Error(&["`NOT` at position 15 has nothing after it"]),
        ),
        (
            "NOT(Salah)".into(),
            Error(&["`NOT` at position 1 needs a space after it"]),
        ),
        (
            "-Salah".into(),
            Error(&["`-Salah` only excludes words", "add at least one word"]),
        ),
        ("^".into(), Error(&["`^` has no words"])),
        (
            "Salah ^2".into(),
            Error(&["`^` at position 7 has no word before it", "Salah^2"]),
        ),
        (
            "Salah^".into(),
            Error(&["`^` at position 6 needs a number", "Salah^2"]),
        ),
        (
            "a^1000000000000".into(),
            Error(&[
                "boost 1000000000000 at position 2 is too large",
                "from 0 to 1000",
            ]),
        ),
        (
            "a^-1".into(),
            Error(&["boost at position 2 is negative", "from 0 to 1000"]),
        ),
        (
            "Salah^1e3".into(),
            Error(&["unexpected `e` at position 8", "plain number"]),
        ),
        ("~".into(), Error(&["`~` has no words"])),
        (
            "\"a\"~".into(),
            Error(&["`~` at position 4 needs a whole number"]),
        ),
        (
            "\"Salah Nunez\"~99999999999".into(),
            Error(&["at position 14 is too large", "from 0 to 1000"]),
        ),
        (
            "title:[a TO".into(),
            Error(&[
                "range opened at position 7 is never closed",
                "title:[a TO m]",
            ]),
        ),
        (
            "[a TO z]".into(),
            Error(&["range (`[`) at position 1 needs a field", "title:[a TO m]"]),
        ),
        (
            "IN [a b]".into(),
            Error(&["range (`[`) at position 4 needs a field"]),
        ),
        ("{".into(), Error(&["`{` has no words"])),
        ("[".into(), Error(&["`[` has no words"])),
        ("+-a".into(), Error(&["`+-` at position 1", "use one sign"])),
        ("--".into(), Error(&["`--` has no words"])),
        (
            "Salah - Nunez".into(),
            Error(&["`-` at position 7 stands alone", "right before a word"]),
        ),
        (
            "title:-a".into(),
            Error(&["`-` at position 7 comes after the field", "-title:word"]),
        ),
        ("\\".into(), Error(&["`\\` has no words"])),
        (
            "Salah\\".into(),
            Error(&["`\\` at position 6", "escapes nothing"]),
        ),
        ("/.*/".into(), Error(&["has no words"])),
        (
            "/Sal.*/".into(),
            Error(&[
                "regular expressions",
                "position 1",
                "search for whole words",
            ]),
        ),
        (
            "title:".into(),
            Error(&["`title:` at position 1 has nothing after it", "title:final"]),
        ),
        (
            ":foo".into(),
            Error(&["`:` at position 1 has no field name", "remove the colon"]),
        ),
        ("()".into(), Error(&["`()` has no words"])),
        (
            "Salah()".into(),
            Error(&["empty parentheses at position 6", "put words inside"]),
        ),
        (
            "title:()".into(),
            Error(&["empty parentheses at position 7"]),
        ),
        (
            "Salah\u{1b}[31m".into(),
            Error(&["control character U+001B at position 6", "remove it"]),
        ),
        (
            "Sal\u{7}ah\u{8}".into(),
            Error(&["control character U+0007 at position 4"]),
        ),
        (
            "Salah\rNunez".into(),
            Error(&["control character U+000D at position 6"]),
        ),
        (
            "".into(),
            Error(&["the query is empty", "newsidx search Salah"]),
        ),
        ("   \t ".into(), Error(&["the query is empty"])),
        ("😀".into(), Error(&["has no words"])),
        (
            format!("{}a{}", "(".repeat(1000), ")".repeat(1000)),
            Error(&["2001 characters long", "the limit is 1000"]),
        ),
        (
            format!("{}Salah{}", "(".repeat(400), ")".repeat(400)),
            Error(&["nested more than 16 deep at position 17", "simplify"]),
        ),
        (
            "Salah ".repeat(20_000),
            Error(&["120000 characters long", "the limit is 1000"]),
        ),
        // Searchable, on purpose.
        (
            "O'Neill".into(),
            Search(
                0,
                "an apostrophe inside a name is part of it (was a syntax error)",
            ),
        ),
        (
            "Gerrard's goal".into(),
            Search(0, "a possessive is an ordinary word"),
        ),
        (
            "10:30 kick-off".into(),
            Search(0, "a time is not a field: searched as the words 10 30"),
        ),
        (
            "https://example.org/news".into(),
            Search(1, "a URL is not a field: searched as its words"),
        ),
        (
            "Salah \u{202E}Nunez\u{2066}".into(),
            Search(0, "invisible bidi controls are dropped: Salah Nunez"),
        ),
        (
            "Sa\u{200B}lah".into(),
            Search(0, "a zero-width space inside a word is dropped: Salah"),
        ),
        (
            "Salah 😀".into(),
            Search(0, "an emoji is no word, the rest is searched"),
        ),
        (
            "title:[a TO z]".into(),
            Search(0, "a range over title terms, as tantivy defines it"),
        ),
        (
            "title:IN [salah nunez]".into(),
            Search(0, "a set of title terms"),
        ),
        ("Salah^2 Nunez".into(), Search(0, "a boost within bounds")),
        (
            "\"Salah Nunez\"~3".into(),
            Search(0, "a phrase with slop within bounds"),
        ),
        (
            "“Champions League”".into(),
            Search(0, "curly quotes are quotes"),
        ),
        (
            "'Champions League'".into(),
            Search(0, "single quotes around a phrase"),
        ),
        (
            "Title:Salah".into(),
            Search(0, "field names are not case-sensitive"),
        ),
        (
            "Sal*".into(),
            Error(&[
                "`Sal*` at position 1: wildcard and prefix searches are not supported",
                "write whole words",
            ]),
        ),
        (
            "\"Sal\"*".into(),
            Error(&["a phrase prefix", "needs at least two words"]),
        ),
        (
            "?alah".into(),
            Search(
                1,
                "a literal word (no wildcards but `*`): matches nothing here",
            ),
        ),
        (
            "&& Salah".into(),
            Search(0, "`&&` is punctuation, not an operator, in this syntax"),
        ),
        (
            "Salah~2".into(),
            Error(&[
                "`Salah~2` at position 1: misspellings are tolerated with `newsidx search --fuzzy`",
                "goes after a phrase",
            ]),
        ),
        (
            "IN form".into(),
            Search(
                0,
                "`IN` alone is the word in (an operator only after a field: title:IN [a b])",
            ),
        ),
    ];
    v.shrink_to_fit();
    v
}

/// `newsidx search QUERY` (human output), killed after [`WATCHDOG`].
fn search(sb: &Sandbox, q: &str) -> (Output, Duration) {
    let mut cmd = common::std_cmd(sb, &["--color", "never", "search", "--"]);
    cmd.arg(q);
    watched(cmd, &format!("search {:?}", truncate(q)))
}

/// Run under [`WATCHDOG`].
fn watched(cmd: Command, what: &str) -> (Output, Duration) {
    common::run_watched(cmd, WATCHDOG, what)
}

fn truncate(q: &str) -> String {
    if q.chars().count() > 40 {
        format!(
            "{}… ({} chars)",
            q.chars().take(40).collect::<String>(),
            q.chars().count()
        )
    } else {
        q.to_string()
    }
}

fn terminal_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// An index where the searchable cases find what they should.
fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    sb.write(
        "news/a.txt",
        txt(
            "Salah and Nunez in the Champions League",
            "Salah scored twice and Nunez added a third. Gerrard's goal was recalled, \
             O'Neill watched, and the 10:30 kick-off suited everyone. The Champions League \
             draw is on Friday.\n\n\"O'Neill's side were brilliant today, truly brilliant,\" said Klopp.",
        ),
    );
    sb.write(
        "news/b.jsonl",
        json_article(
            "b1",
            "Arsenal: late winner",
            "Saka struck late for Arsenal.",
        ) + "\n",
    );
    sb.add(&[&sb.path("news")], 0);
    sb
}

#[test]
fn every_malformed_query_gets_its_position_and_fix_and_every_searchable_one_runs() {
    let sb = sandbox();
    let cases = cases();
    let errors = cases.iter().filter(|(_, e)| matches!(e, Error(_))).count();
    assert!(errors >= 40, "only {errors} malformed queries");
    let mut times: Vec<(Duration, String)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (q, expect) in &cases {
        assert!(seen.insert(q.clone()), "duplicate case {q:?}");
        let (out, took) = search(&sb, q);
        times.push((took, truncate(q)));
        let stderr = String::from_utf8_lossy(&out.stderr);
        let code = out.status.code();
        assert!(!stderr.contains("panicked"), "{q:?} panicked: {stderr}");
        if let Some(c) = stderr.chars().find(|&c| terminal_unsafe(c)) {
            panic!(
                "{q:?}: U+{:04X} echoed to the terminal: {stderr:?}",
                c as u32
            );
        }
        match expect {
            Error(parts) => {
                assert_eq!(code, Some(2), "{q:?} must be refused: {stderr}");
                assert!(stderr.contains("bad query: "), "{q:?}: {stderr}");
                assert_eq!(stderr.lines().count(), 1, "{q:?}: one line: {stderr}");
                for part in *parts {
                    assert!(stderr.contains(part), "{q:?}: {part:?} not in {stderr}");
                }
                assert!(out.stdout.is_empty(), "{q:?} printed results");
            }
            Search(want, why) => {
                assert_eq!(code, Some(*want), "{q:?} ({why}): {stderr}");
                assert!(!stderr.contains("bad query"), "{q:?} ({why}): {stderr}");
            }
        }
    }
    times.sort();
    let median = times[times.len() / 2].0;
    let (max, slowest) = times.last().expect("cases").clone();
    eprintln!(
        "{} queries ({errors} malformed): median {median:?}, max {max:?} ({slowest})",
        times.len()
    );
}

#[test]
fn batch_reports_each_bad_line_and_goes_on() {
    let sb = sandbox();
    let mut lines: Vec<Vec<u8>> = vec![
        b"Salah".to_vec(),
        b"\"unbalanced".to_vec(),
        b"Arsenal: late winner".to_vec(),
        b"Sal\xff\xfeah".to_vec(),
        b"Sal\0ah".to_vec(),
        b"O'Neill".to_vec(),
        b"Sal\x1b[31mah".to_vec(),
        b"AND".to_vec(),
        format!("{}Salah{}", "(".repeat(40), ")".repeat(40)).into_bytes(),
        b"Nunez\r".to_vec(),
        b"".to_vec(),
        b"nothinghere".to_vec(),
        "Salah \u{202E}".as_bytes().to_vec(),
    ];
    lines.push("x".repeat(5000).into_bytes());
    let mut file = lines.join(&b'\n');
    file.push(b'\n');
    let path = sb.write("queries.txt", &file);
    let mut cmd = common::std_cmd(&sb, &["search", "--batch"]);
    cmd.arg(&path);
    let (out, _) = watched(cmd, "search --batch");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let docs: Vec<Value> = String::from_utf8(out.stdout)
        .expect("UTF-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    // One line per non-empty query line, in order.
    assert_eq!(docs.len(), lines.len() - 1, "{docs:#?}");
    let error = |i: usize| docs[i]["error"].as_str().map(str::to_string);
    let hits = |i: usize| docs[i]["hits"].as_array().map_or(0, Vec::len);
    assert_eq!((error(0), hits(0)), (None, 1));
    assert!(error(1).unwrap().contains("position 1"));
    assert!(error(2).unwrap().contains("reads as a field name"));
    let bad_utf8 = error(3).unwrap();
    assert!(
        bad_utf8.contains("line 4 is not valid UTF-8 (byte 4)"),
        "{bad_utf8}"
    );
    assert!(error(4).unwrap().contains("U+0000 at position 4"));
    assert_eq!((error(5), hits(5)), (None, 1));
    assert!(error(6).unwrap().contains("U+001B at position 4"));
    assert!(error(7).unwrap().contains("nothing before it"));
    assert!(error(8).unwrap().contains("nested more than 16"));
    assert_eq!((error(9), hits(9)), (None, 1), "a CRLF line is one query");
    assert_eq!(docs[9]["query"], "Nunez");
    assert_eq!((error(10), hits(10)), (None, 0));
    assert_eq!((error(11), hits(11)), (None, 1));
    assert!(error(12).unwrap().contains("limit is 1000"));
    for d in &docs {
        assert_eq!(d["schema_version"], 1);
        assert!(d["hits"].is_array(), "{d}");
        if let Some(e) = d["error"].as_str() {
            assert!(e.starts_with("bad query: "), "{e}");
        }
    }
}

#[test]
fn quote_searches_are_checked_like_searches() {
    let sb = sandbox();
    for (q, code, part) in [
        ("O'Neill's brilliant", 0, ""),
        (
            "brilliant: today",
            2,
            "`brilliant:` at position 1 reads as a field name",
        ),
        (
            "brilliant OR",
            2,
            "`OR` at position 11 has nothing after it",
        ),
        ("Sal*", 2, "wildcard"),
    ] {
        let mut cmd = common::std_cmd(&sb, &["--color", "never", "quotes", "--"]);
        cmd.arg(q);
        let (out, _) = watched(cmd, &format!("quotes {q:?}"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "quotes {q:?}: {stderr}");
        assert!(
            stderr.contains(part),
            "quotes {q:?}: {part:?} not in {stderr}"
        );
    }
}
