//! User queries: checked before tantivy's parser sees them (so no input can make it panic or
//! hang, and every mistake gets a message with its position and its fix), rewritten where
//! tantivy would misread ordinary words (`O'Neill`, `10:30`), then parsed with title weighted
//! above body.

mod check;

use tantivy::query::{Query, QueryParser, QueryParserError};
use tantivy::schema::Field;

use super::Opened;
use crate::error::Error;

pub use check::{MAX_BOOST, MAX_SLOP};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Deepest parenthesis nesting accepted.
pub const MAX_DEPTH: usize = 16;
/// Weight of a title match relative to a body match.
pub const TITLE_BOOST: f32 = 2.0;
/// The fields a search query may name.
const SEARCH_FIELDS: &[&str] = &["title", "body"];

/// Check a search query (fields title and body); the error says where the problem is and how
/// to fix it.
pub fn validate(q: &str) -> Result<(), Error> {
    prepare(q, SEARCH_FIELDS).map(|_| ())
}

/// Check a query whose fields may be `fields`, and return the text for tantivy's parser.
pub fn prepare(q: &str, fields: &[&str]) -> Result<String, Error> {
    shape(q).map_err(Error::BadQuery)?;
    check::rewrite(q, fields).map_err(Error::BadQuery)
}

/// Length, control characters, balanced quotes and parentheses, depth, words at all.
fn shape(q: &str) -> Result<(), String> {
    if q.trim().is_empty() {
        return Err(
            "the query is empty: give words to search for, e.g. `newsidx search Salah`".into(),
        );
    }
    let chars = q.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(format!(
            "the query is {chars} characters long; the limit is {MAX_QUERY_CHARS}: search for fewer words"
        ));
    }
    if let Some((i, c)) = q.char_indices().find(|(_, c)| c.is_control()) {
        return Err(format!(
            "control character U+{:04X} at position {}: remove it",
            c as u32,
            q[..i].chars().count() + 1
        ));
    }
    let mut in_quote: Option<(usize, char)> = None;
    let mut open_parens: Vec<usize> = Vec::new();
    let mut escaped = false;
    for (i, c) in q.chars().enumerate() {
        let pos = i + 1;
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            c if check::is_double_quote(c) => {
                in_quote = match in_quote {
                    Some(_) => None,
                    None => Some((pos, c)),
                }
            }
            '(' if in_quote.is_none() => {
                open_parens.push(pos);
                if open_parens.len() > MAX_DEPTH {
                    return Err(format!(
                        "parentheses nested more than {MAX_DEPTH} deep at position {pos}: simplify the query"
                    ));
                }
            }
            ')' if in_quote.is_none() && open_parens.pop().is_none() => {
                return Err(format!(
                    "unmatched `)` at position {pos}: remove it or add a `(` before it"
                ));
            }
            _ => {}
        }
    }
    if let Some((pos, c)) = in_quote {
        return Err(format!(
            "unbalanced quote: the `{c}` at position {pos} is never closed; add a closing `\"` or remove it"
        ));
    }
    if let Some(pos) = open_parens.pop() {
        return Err(format!(
            "unbalanced parenthesis: the `(` at position {pos} is never closed; add a `)`"
        ));
    }
    if let Some(pos) = q.find(":*") {
        return Err(format!(
            "`{}` at position {}: matching any value of a field is not supported; search for words",
            &q[..pos + 2]
                .rsplit(char::is_whitespace)
                .next()
                .unwrap_or(""),
            q[..pos].chars().count() + 1
        ));
    }
    if !q.chars().any(char::is_alphanumeric) {
        return Err(format!(
            "`{q}` has no words to search for: give at least one word (operators alone such as `-` or `*` match nothing)"
        ));
    }
    Ok(())
}

/// Validate and parse a search query over title and body.
pub fn parse(opened: &Opened, q: &str) -> Result<Box<dyn Query>, Error> {
    let f = &opened.fields;
    parse_fields(opened, q, &[(f.title, TITLE_BOOST), (f.body, 1.0)])
}

/// The query to run and, when it differs, the query as written (for snippets).
pub type SearchQuery = (Box<dyn Query>, Option<Box<dyn Query>>);

/// Validate and parse a search query over title and body, with the names of known entities
/// widened to their `entity` terms (see [`super::expand`]). The second query is the one as
/// written, for snippets, when the two differ: an entity term has no words to highlight.
///
/// `fuzzy`: words (not phrases) also match words within this many edits (1 or 2; a
/// transposition counts as one), for misspelt names (`--fuzzy`).
pub fn parse_search(
    opened: &Opened,
    q: &str,
    aliases: &super::aliases::Aliases,
    fuzzy: Option<u8>,
) -> Result<SearchQuery, Error> {
    let f = &opened.fields;
    let text = prepare(q, SEARCH_FIELDS)?;
    let parser = parser(opened, &[(f.title, TITLE_BOOST), (f.body, 1.0)], fuzzy);
    let written = parser
        .parse_query(&text)
        .map_err(|e| Error::BadQuery(explain(q, &e)))?;
    let Some(expanded) = super::expand::expand(&text, aliases) else {
        return Ok((written, None));
    };
    match parser.parse_query(&expanded) {
        Ok(query) => Ok((query, Some(written))),
        // The expansion is only a widening: if it cannot be read, search as written.
        Err(_) => Ok((written, None)),
    }
}

/// Validate and parse a query over `fields` (each with its boost); the query may name them.
pub fn parse_fields(
    opened: &Opened,
    q: &str,
    fields: &[(Field, f32)],
) -> Result<Box<dyn Query>, Error> {
    let schema = opened.index.schema();
    let names: Vec<&str> = fields
        .iter()
        .map(|&(f, _)| schema.get_field_name(f))
        .collect();
    let text = prepare(q, &names)?;
    parser(opened, fields, None)
        .parse_query(&text)
        .map_err(|e| Error::BadQuery(explain(q, &e)))
}

/// tantivy's parser over `fields` (each with its boost); with `fuzzy`, words also match
/// words that many edits away (1 or 2; a transposition counts as one).
fn parser(opened: &Opened, fields: &[(Field, f32)], fuzzy: Option<u8>) -> QueryParser {
    let mut parser =
        QueryParser::for_index(&opened.index, fields.iter().map(|&(f, _)| f).collect());
    for &(f, boost) in fields {
        if boost != 1.0 {
            parser.set_field_boost(f, boost);
        }
        if let Some(d) = fuzzy {
            parser.set_field_fuzzy(f, false, d.clamp(1, 2), true);
        }
    }
    parser
}

fn explain(q: &str, e: &QueryParserError) -> String {
    match e {
        QueryParserError::FieldDoesNotExist(field) => format!(
            "unknown field `{field}` in `{q}`: the fields are title and body. To search for the words themselves, put them in quotes (\"{field}: ...\") or drop the colon"
        ),
        QueryParserError::AllButQueryForbidden => format!(
            "`{q}` only excludes words: add at least one word to search for (e.g. `Arsenal -Chelsea`)"
        ),
        QueryParserError::SyntaxError(_) => format!(
            "`{q}` is not valid query syntax: check quotes, parentheses and operators, or put words with special characters in quotes (\"O'Neill 10:30\")"
        ),
        QueryParserError::FieldDoesNotHavePositionsIndexed(field) => {
            format!("phrases cannot be searched in field `{field}`")
        }
        QueryParserError::PhrasePrefixRequiresAtLeastTwoTerms { .. } => format!(
            "`{q}`: a phrase prefix (\"cup fi\"*) needs at least two words; write whole words instead"
        ),
        QueryParserError::RangeMustNotHavePhrase => format!(
            "`{q}`: the ends of a range are single words (title:[a TO m]), not phrases"
        ),
        other => format!("`{q}`: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(q: &str) -> String {
        validate(q).unwrap_err().to_string()
    }

    #[test]
    fn accepts_ordinary_queries() {
        for q in [
            "Salah",
            "\"Champions League\"",
            "Liverpool AND (Salah OR Nunez)",
            "title:final",
            "Alexander-Arnold",
            "-Chelsea Arsenal",
        ] {
            validate(q).unwrap_or_else(|e| panic!("{q}: {e}"));
        }
    }

    #[test]
    fn rejects_with_position() {
        assert!(err("\"Champions League").contains("position 1"));
        assert!(err("(a OR b").contains("never closed"));
        assert!(err("a) b").contains("position 2"));
        assert!(err("- *").contains("no words"));
        assert!(err("title:*").contains("not supported"));
        assert!(err("").contains("empty"));
        assert!(err("a\u{7}b").contains("U+0007"));
        assert!(err(&"(".repeat(50)).contains("nested"));
        assert!(err(&"a".repeat(2000)).contains("limit"));
    }

    /// Queries made of syntax pieces in any order (deterministic): none panics, and whatever
    /// the check accepts, tantivy's parser accepts too, so no mistake reaches a user as a bare
    /// "not valid query syntax" without its position.
    #[test]
    fn what_the_check_accepts_the_parser_reads() {
        let (schema, fields) = super::super::schema::build();
        let index = tantivy::Index::create_in_ram(schema);
        super::super::schema::register_tokenizers(&index);
        let mut parser = QueryParser::for_index(&index, vec![fields.title, fields.body]);
        parser.set_field_boost(fields.title, TITLE_BOOST);
        const PIECES: &[&str] = &[
            "\"",
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            "AND",
            "OR",
            "NOT",
            "IN",
            "TO",
            "&&",
            "-",
            "+",
            ":",
            "title:",
            "body:",
            "Title:",
            "*",
            "?",
            "~",
            "~2",
            "^",
            "^2",
            "^0.5",
            "\\",
            "'",
            "`",
            "!",
            "/",
            "<",
            ">=",
            ">",
            "“",
            "”",
            "’",
            "\u{202E}",
            "\u{200B}",
            "10:30",
            "http://x.org/a",
            "O'Neill",
            "Salah",
            "nunez",
            "a",
            "7",
            "é",
            " ",
            " ",
            " ",
            " ",
        ];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut accepted = 0;
        let mut failures = Vec::new();
        for _ in 0..20_000 {
            let len = 1 + next(8);
            let q: String = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
            let Ok(text) = prepare(&q, SEARCH_FIELDS) else {
                continue;
            };
            accepted += 1;
            if let Err(e @ QueryParserError::SyntaxError(_)) = parser.parse_query(&text) {
                failures.push(format!("{q:?} (as {text:?}): {e}"));
            }
        }
        assert!(
            failures.is_empty(),
            "{} passed the check but not the parser:\n{}",
            failures.len(),
            failures[..failures.len().min(40)].join("\n")
        );
        assert!(accepted > 1000, "only {accepted} accepted");
    }
}
