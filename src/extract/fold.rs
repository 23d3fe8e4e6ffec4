//! Folding text for name matching: lowercase, accents removed (including letters NFD does not
//! decompose: ø, ł, ß, ı, æ, œ, đ, ð, þ), punctuation and spacing reduced to single spaces.
//! [`Folded`] keeps a map back to byte offsets of the original text.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Folded text with the original byte offset of every folded byte.
#[derive(Debug, Clone)]
pub struct Folded<'a> {
    /// The folded text: lowercase ASCII letters and digits (and other lowercase letters
    /// without accents), words separated by single spaces.
    pub text: String,
    /// `map[i]` is the byte offset in the original of the character that produced folded
    /// byte `i`; one extra entry holds the original's length.
    map: Vec<u32>,
    /// The original text: where a character ends is read from it, rather than kept for
    /// every folded byte (one push less per byte).
    original: &'a str,
    /// Where each word of `text` starts, noted as the separating spaces are written (the
    /// name matchers start from word starts only).
    pub word_starts: Vec<u32>,
}

impl<'a> Folded<'a> {
    /// Fold `original`.
    pub fn new(original: &'a str) -> Folded<'a> {
        let mut sink = Folded {
            text: String::with_capacity(original.len()),
            map: Vec::with_capacity(original.len() + 1),
            original,
            // The first word starts at 0 (folded text never starts with a space).
            word_starts: Vec::with_capacity(original.len() / 5 + 1),
        };
        sink.word_starts.push(0);
        fold_chars(original, &mut sink);
        sink.map.push(original.len() as u32);
        if sink.text.is_empty() {
            sink.word_starts.clear();
        }
        sink
    }

    /// Folded byte range of word `i` (`i` < `word_starts.len()`).
    pub fn word(&self, i: usize) -> (usize, usize) {
        let end = self
            .word_starts
            .get(i + 1)
            .map_or(self.text.len(), |&next| next as usize - 1);
        (self.word_starts[i] as usize, end)
    }

    /// Original byte range of the folded range `start..end`.
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.map[start.min(self.map.len() - 1)] as usize;
        let e = if end == 0 {
            s
        } else {
            // The end of the character that produced the last folded byte.
            let last = self.map[(end - 1).min(self.map.len() - 1)] as usize;
            self.original[last..]
                .chars()
                .next()
                .map_or(last, |c| last + c.len_utf8())
        };
        (s, e.max(s))
    }
}

/// Fold a short string (a name, an alias, a window of words): the text alone, no offsets.
pub fn fold(s: &str) -> String {
    let mut text = String::with_capacity(s.len());
    fold_chars(s, &mut text);
    text
}

/// Where [`fold_chars`] puts each folded character and the original byte offset it comes from.
trait Sink {
    fn ascii(&mut self, b: u8, at: usize);
    fn char(&mut self, c: char, at: usize);
}

impl Sink for String {
    #[inline(always)]
    fn ascii(&mut self, b: u8, _at: usize) {
        self.push(b as char);
    }

    #[inline(always)]
    fn char(&mut self, c: char, _at: usize) {
        self.push(c);
    }
}

impl Sink for Folded<'_> {
    #[inline(always)]
    fn ascii(&mut self, b: u8, at: usize) {
        self.map.push(at as u32);
        self.text.push(b as char);
        // A space is only ever written between two words.
        if b == b' ' {
            self.word_starts.push(self.text.len() as u32);
        }
    }

    #[inline(always)]
    fn char(&mut self, c: char, at: usize) {
        for _ in 0..c.len_utf8() {
            self.map.push(at as u32);
        }
        self.text.push(c);
        if c == ' ' {
            self.word_starts.push(self.text.len() as u32);
        }
    }
}

/// Each ASCII byte folded: letters lowercased, digits kept, anything else 0 (a separator).
/// One table read instead of range tests per byte.
static ASCII_FOLD: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    t
};

/// The folding itself: every folded character with the original byte offset it comes from.
/// Separators are single spaces between words, never leading or trailing.
#[inline(always)]
fn fold_chars(original: &str, sink: &mut impl Sink) {
    let bytes = original.as_bytes();
    let mut pending_space = false;
    let mut started = false;
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        // Most of the text is ASCII: no decoding, no Unicode tables.
        if b.is_ascii() {
            let folded = ASCII_FOLD[b as usize];
            if folded != 0 {
                if pending_space && started {
                    sink.ascii(b' ', at);
                }
                pending_space = false;
                started = true;
                sink.ascii(folded, at);
            } else {
                pending_space = true;
            }
            at += 1;
            continue;
        }
        let c = original[at..]
            .chars()
            .next()
            .expect("at is a char boundary");
        let end = at + c.len_utf8();
        if c.is_alphanumeric() {
            if pending_space && started {
                sink.char(' ', at);
            }
            pending_space = false;
            started = true;
            fold_char(c, |f| sink.char(f, at));
        } else if !is_combining_mark(c) {
            // Combining marks (decomposed accents) belong to the letter before them.
            pending_space = true;
        }
        at = end;
    }
}

fn fold_char(c: char, mut out: impl FnMut(char)) {
    match c {
        'ø' | 'Ø' => out('o'),
        'ł' | 'Ł' => out('l'),
        'ß' | 'ẞ' => {
            out('s');
            out('s');
        }
        'ı' | 'İ' => out('i'),
        'æ' | 'Æ' => {
            out('a');
            out('e');
        }
        'œ' | 'Œ' => {
            out('o');
            out('e');
        }
        'đ' | 'Đ' | 'ð' | 'Ð' => out('d'),
        'þ' | 'Þ' => {
            out('t');
            out('h');
        }
        c if c.is_ascii() => out(c.to_ascii_lowercase()),
        c => {
            let mut any = false;
            decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    for l in d.to_lowercase() {
                        out(l);
                        any = true;
                    }
                }
            });
            if !any {
                for l in c.to_lowercase() {
                    out(l);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_case_and_punctuation() {
        assert_eq!(fold("Darwin Núñez"), "darwin nunez");
        assert_eq!(fold("Martin Ødegaard"), "martin odegaard");
        assert_eq!(fold("Łukasz Fabiański"), "lukasz fabianski");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Trent Alexander-Arnold"), "trent alexander arnold");
        assert_eq!(fold("  Klopp's   side. "), "klopp s side");
        assert_eq!(fold("Eiður Guðjohnsen"), "eidur gudjohnsen");
        assert_eq!(fold("Kırklareli"), "kirklareli");
        assert_eq!(fold("Barça"), "barca");
    }

    #[test]
    fn word_starts_follow_the_spaces() {
        for original in [
            "Goal: Núñez, 45'",
            "  Klopp's   side. ",
            "Straße Þór",
            "",
            "...",
            "a",
        ] {
            let f = Folded::new(original);
            let expected: Vec<u32> = (0..f.text.len())
                .filter(|&i| i == 0 || f.text.as_bytes()[i - 1] == b' ')
                .map(|i| i as u32)
                .collect();
            assert_eq!(f.word_starts, expected, "{original:?}");
        }
    }

    #[test]
    fn offsets_map_back() {
        let original = "Goal: Núñez, 45'";
        let f = Folded::new(original);
        let start = f.text.find("nunez").unwrap();
        let (s, e) = f.original_range(start, start + 5);
        assert_eq!(&original[s..e], "Núñez");
    }

    #[test]
    fn combining_marks_in_decomposed_input() {
        assert_eq!(fold("Nu\u{301}n\u{303}ez"), "nunez");
    }
}
