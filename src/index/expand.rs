//! Entity-aware queries: names of known entities in a checked query become terms of the
//! `entity` field, so any name finds the entity under all its names.
//!
//! - A quoted phrase that is a strong name of one entity (`"Champions League"`) is replaced
//!   by the entity's term: one term lookup instead of a phrase over two frequent words (a
//!   phrase is tantivy's slowest query kind), ranked by how often each article mentions it.
//! - Plain words that name one entity (`Nunez`, `the Reds`, `Vini Jr`) keep their own
//!   meaning and also match the entity's term: `(Nunez entity:"person:darwin-nunez")`.
//!
//! Anything else (fields, prefixes, boosts, slop, operators) is left as written.

use super::aliases::{Aliases, MAX_WORDS};
use crate::extract::fold::fold;

/// The query with entity terms, or `None` when it names no known entity. `q` is a query
/// already checked and rewritten by [`super::query::prepare`] (balanced quotes, no controls).
pub fn expand(q: &str, aliases: &Aliases) -> Option<String> {
    if aliases.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(q.len() + 32);
    let mut run: Vec<&str> = Vec::new();
    let mut changed = false;
    let mut i = 0;
    while i < q.len() {
        let c = q[i..].chars().next().unwrap_or(' ');
        if c == '"' {
            changed |= flush(&mut run, &mut out, aliases);
            let close = closing_quote(q, i + 1);
            let phrase = &q[i..close];
            // Unclosed (an escaped `\"` looks like an opening here), the phrase runs to the end.
            let inner_end = if close > i + 1 && q[..close].ends_with('"') {
                close - 1
            } else {
                close
            };
            let inner = &q[i + 1..inner_end];
            let after = q[close..].chars().next();
            let before = q[..i].chars().next_back();
            let plain = !matches!(after, Some('~' | '^')) && before != Some(':');
            match aliases.lookup(&fold(inner)) {
                Some((token, true)) if plain && !inner.contains('\\') => {
                    out.push_str(&term(token));
                    changed = true;
                }
                _ => out.push_str(phrase),
            }
            i = close;
        } else if c == '(' || c == ')' {
            changed |= flush(&mut run, &mut out, aliases);
            out.push(c);
            i += 1;
        } else if c.is_whitespace() {
            // Inside a run of words, `flush` writes the separators.
            if run.is_empty() {
                out.push(c);
            }
            i += c.len_utf8();
        } else {
            let end = q[i..]
                .find(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == '"')
                .map_or(q.len(), |n| i + n);
            let word = &q[i..end];
            if is_plain(word) && !q[end..].starts_with('"') {
                run.push(word);
            } else {
                changed |= flush(&mut run, &mut out, aliases);
                out.push_str(word);
            }
            i = end;
        }
    }
    changed |= flush(&mut run, &mut out, aliases);
    changed.then_some(out)
}

/// Index just past the quote closing the phrase opened before `from`.
fn closing_quote(q: &str, from: usize) -> usize {
    let mut escaped = false;
    for (k, c) in q[from..].char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return from + k + 1,
            _ => escaped = false,
        }
    }
    q.len()
}

/// A word that means only itself: letters, digits and inner punctuation, not an operator.
fn is_plain(word: &str) -> bool {
    !matches!(word, "AND" | "OR" | "NOT" | "IN" | "TO")
        && word.starts_with(char::is_alphanumeric)
        && !word.contains([':', '^', '~', '*', '\\', '[', ']', '{', '}', '+'])
}

fn term(token: &str) -> String {
    format!("entity:\"{token}\"")
}

/// Write a run of plain words, each longest name in it widened with its entity's term; the
/// run's words are separated by single spaces and followed by one. True if a name was found.
fn flush(run: &mut Vec<&str>, out: &mut String, aliases: &Aliases) -> bool {
    // Each word folded once; a name of n words is looked up by their folded forms joined.
    let folded: Vec<String> = run.iter().map(|w| fold(w)).collect();
    let mut changed = false;
    let mut k = 0;
    while k < run.len() {
        let longest = (1..=MAX_WORDS.min(run.len() - k)).rev().find_map(|n| {
            let parts: Vec<&str> = folded[k..k + n]
                .iter()
                .map(String::as_str)
                .filter(|f| !f.is_empty())
                .collect();
            aliases
                .lookup(&parts.join(" "))
                .map(|(token, _)| (n, token))
        });
        match longest {
            Some((n, token)) => {
                out.push('(');
                out.push_str(&run[k..k + n].join(" "));
                out.push(' ');
                out.push_str(&term(token));
                out.push_str(") ");
                changed = true;
                k += n;
            }
            None => {
                out.push_str(run[k]);
                out.push(' ');
                k += 1;
            }
        }
    }
    run.clear();
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aliases() -> Aliases {
        Aliases::from_text(
            [
                "alexander arnold\tperson:trent-alexander-arnold",
                "champions league\tcompetition:champions-league",
                "liverpool\tclub:liverpool",
                "nunez\tperson:darwin-nunez",
                "the reds\tclub:liverpool\tweak",
                "vini jr\tperson:vinicius-junior",
            ]
            .join("\n"),
        )
    }

    fn x(q: &str) -> Option<String> {
        expand(q, &aliases()).map(|s| s.trim().to_string())
    }

    #[test]
    fn an_unclosed_phrase_ending_in_a_wide_character_does_not_panic() {
        // Found by tests/properties.rs: `\"` then a character of several bytes at the end
        // sliced inside that character.
        assert_eq!(x("\\\"é"), None);
        assert_eq!(x("\\\"\u{1EE74}"), None);
        assert_eq!(
            x("Liverpool \\\"é")
                .as_deref()
                .map(|s| s.contains("club:liverpool")),
            Some(true)
        );
    }

    #[test]
    fn a_known_phrase_becomes_the_entity_term() {
        assert_eq!(
            x("\"Champions League\"").as_deref(),
            Some("entity:\"competition:champions-league\"")
        );
        assert_eq!(
            x("\"Champions League\" AND final").as_deref(),
            Some("entity:\"competition:champions-league\" AND final")
        );
        // Slop, boosts, fields and weak names keep the phrase.
        assert_eq!(x("\"Champions League\"~2"), None);
        assert_eq!(x("title:\"Champions League\""), None);
        assert_eq!(x("\"the Reds\""), None);
    }

    #[test]
    fn plain_names_widen_with_the_entity_term() {
        assert_eq!(
            x("Nunez goal").as_deref(),
            Some("(Nunez entity:\"person:darwin-nunez\") goal")
        );
        assert_eq!(
            x("the Reds won").as_deref(),
            Some("(the Reds entity:\"club:liverpool\") won")
        );
        assert_eq!(
            x("Vini Jr").as_deref(),
            Some("(Vini Jr entity:\"person:vinicius-junior\")")
        );
        assert_eq!(
            x("Alexander-Arnold").as_deref(),
            Some("(Alexander-Arnold entity:\"person:trent-alexander-arnold\")")
        );
        assert_eq!(
            x("Liverpool AND (Nunez OR Salah)").as_deref(),
            Some("(Liverpool entity:\"club:liverpool\") AND ((Nunez entity:\"person:darwin-nunez\") OR Salah )")
        );
    }

    #[test]
    fn operators_prefixes_and_fields_are_left_alone() {
        assert_eq!(x("-Liverpool"), None);
        assert_eq!(x("+Liverpool"), None);
        assert_eq!(x("title:Liverpool"), None);
        assert_eq!(x("Liverpool^2"), None);
        assert_eq!(x("hamstring injury"), None);
        assert_eq!(expand("Liverpool", &Aliases::default()), None);
    }
}
