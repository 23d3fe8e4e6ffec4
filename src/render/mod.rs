//! Output: the only module that prints results. Human text (with optional colour) and the
//! documented JSON wire types.

pub mod human;
pub mod json;

use std::borrow::Cow;

/// Remove characters that could drive a terminal: control characters (newlines and tabs
/// become spaces) and bidirectional overrides; every other character stays. Article text is
/// untrusted (and escape sequences are already taken out whole when articles are read).
pub fn sanitize(s: &str) -> Cow<'_, str> {
    clean(s, false)
}

/// Like [`sanitize`], but keeps newlines (for whole article bodies).
pub fn sanitize_multiline(s: &str) -> Cow<'_, str> {
    clean(s, true)
}

/// A file path for a terminal: each unsafe character shown as `?` (as `ls` does), so that a
/// name holding an escape sequence stays recognisable and distinct from its neighbours.
pub fn sanitize_path(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if is_unsafe(c) { '?' } else { c })
            .collect(),
    )
}

fn clean(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !s
        .chars()
        .any(|c| is_unsafe(c) && !(keep_newlines && c == '\n'))
    {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .filter_map(|c| match c {
                '\n' if keep_newlines => Some('\n'),
                '\n' | '\t' | '\r' => Some(' '),
                c if is_unsafe(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// ANSI styling, or none.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Whether to emit escape codes.
    pub color: bool,
}

impl Style {
    fn wrap(self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    /// Bold.
    pub fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }
    /// Dim (metadata).
    pub fn dim(self, s: &str) -> String {
        self.wrap("2", s)
    }
    /// A matched term.
    pub fn hit(self, s: &str) -> String {
        self.wrap("1;31", s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_removed() {
        assert_eq!(sanitize("a\x1b[31mb\u{202E}c\nd"), "a[31mbc d");
        assert_eq!(sanitize("\x1bx \x07\x08\r"), "x  ");
        assert_eq!(sanitize("\u{2066}a\u{2069}\u{202A}b\u{200F}"), "ab");
        assert_eq!(sanitize_multiline("a\x07\nb"), "a\nb");
        assert!(matches!(sanitize("plain Núñez"), Cow::Borrowed(_)));
        assert_eq!(
            sanitize_path("in/evil\x1b[31m\u{202E}.txt"),
            "in/evil?[31m?.txt"
        );
    }
}
