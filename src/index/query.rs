//! User queries: checked before tantivy's parser sees them (so no input can make it panic or
//! hang), then parsed with title weighted above body.

use tantivy::query::{Query, QueryParser, QueryParserError};

use super::Opened;
use crate::error::Error;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Deepest parenthesis nesting accepted.
pub const MAX_DEPTH: usize = 16;
/// Weight of a title match relative to a body match.
pub const TITLE_BOOST: f32 = 2.0;

/// Check a query's shape; the error says where the problem is and how to fix it.
pub fn validate(q: &str) -> Result<(), Error> {
    let bad = |msg: String| Err(Error::BadQuery(msg));
    if q.trim().is_empty() {
        return bad(
            "the query is empty: give words to search for, e.g. `newsidx search Salah`".into(),
        );
    }
    let chars = q.chars().count();
    if chars > MAX_QUERY_CHARS {
        return bad(format!(
            "the query is {chars} characters long; the limit is {MAX_QUERY_CHARS}"
        ));
    }
    if let Some((i, c)) = q.char_indices().find(|(_, c)| c.is_control()) {
        return bad(format!(
            "control character U+{:04X} at position {}: remove it",
            c as u32,
            q[..i].chars().count() + 1
        ));
    }
    let mut depth = 0usize;
    let mut in_quote: Option<usize> = None;
    let mut open_parens: Vec<usize> = Vec::new();
    for (pos, c) in q.chars().enumerate() {
        match c {
            '"' => {
                in_quote = if in_quote.is_some() {
                    None
                } else {
                    Some(pos + 1)
                }
            }
            '(' if in_quote.is_none() => {
                depth += 1;
                open_parens.push(pos + 1);
                if depth > MAX_DEPTH {
                    return bad(format!(
                        "parentheses nested more than {MAX_DEPTH} deep at position {}: simplify the query",
                        pos + 1
                    ));
                }
            }
            ')' if in_quote.is_none() => {
                if open_parens.pop().is_none() {
                    return bad(format!(
                        "unmatched `)` at position {}: remove it or add a `(` before it",
                        pos + 1
                    ));
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    if let Some(pos) = in_quote {
        return bad(format!(
            "unbalanced quote: the `\"` at position {pos} is never closed; add a closing `\"` or remove it"
        ));
    }
    if let Some(pos) = open_parens.pop() {
        return bad(format!(
            "unbalanced parenthesis: the `(` at position {pos} is never closed; add a `)`"
        ));
    }
    if let Some(pos) = q.find(":*") {
        return bad(format!(
            "`{}` at position {}: matching any value of a field is not supported; search for words",
            &q[..pos + 2]
                .rsplit(char::is_whitespace)
                .next()
                .unwrap_or(""),
            q[..pos].chars().count() + 1
        ));
    }
    if !q.chars().any(char::is_alphanumeric) {
        return bad(format!(
            "`{q}` has no words to search for: give at least one word (operators alone such as `-` or `*` match nothing)"
        ));
    }
    Ok(())
}

/// Validate and parse a query over title and body.
pub fn parse(opened: &Opened, q: &str) -> Result<Box<dyn Query>, Error> {
    validate(q)?;
    let f = &opened.fields;
    let mut parser = QueryParser::for_index(&opened.index, vec![f.title, f.body]);
    parser.set_field_boost(f.title, TITLE_BOOST);
    parser
        .parse_query(q)
        .map_err(|e| Error::BadQuery(explain(q, &e)))
}

fn explain(q: &str, e: &QueryParserError) -> String {
    match e {
        QueryParserError::FieldDoesNotExist(field) => format!(
            "unknown field `{field}` in `{q}`: the fields are title and body. To search for the words themselves, put them in quotes (\"{field}: ...\") or drop the colon"
        ),
        QueryParserError::AllButQueryForbidden => format!(
            "`{q}` only excludes terms: add at least one word to search for"
        ),
        QueryParserError::SyntaxError(msg) => {
            format!("`{q}` is not valid query syntax ({msg}): check quotes, parentheses and operators")
        }
        QueryParserError::FieldDoesNotHavePositionsIndexed(field) => {
            format!("phrases cannot be searched in field `{field}`")
        }
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
}
