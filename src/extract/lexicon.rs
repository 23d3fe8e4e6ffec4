//! Fixed word lists asked "is this word in it?" many times per article.
//!
//! The lists stay readable slices in the source; the first lookup builds a hash set, so a
//! lookup costs one hash of the word instead of a comparison with every entry (the stop-word
//! list alone has 170).

use std::sync::OnceLock;

use rustc_hash::FxHashSet;

/// A word list with constant-time membership.
pub struct Lexicon {
    words: &'static [&'static str],
    set: OnceLock<FxHashSet<&'static str>>,
}

impl Lexicon {
    /// A list, usable in a `static`.
    pub const fn new(words: &'static [&'static str]) -> Lexicon {
        Lexicon {
            words,
            set: OnceLock::new(),
        }
    }

    /// Is `word` one of the list's entries (exactly, case included)?
    pub fn contains(&self, word: &str) -> bool {
        self.set
            .get_or_init(|| self.words.iter().copied().collect())
            .contains(word)
    }

    /// The entries, in the order written.
    pub fn words(&self) -> &'static [&'static str] {
        self.words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static LIST: Lexicon = Lexicon::new(&["manager", "head coach", "boss"]);

    #[test]
    fn membership_is_exact() {
        assert!(LIST.contains("manager"));
        assert!(LIST.contains("head coach"));
        assert!(!LIST.contains("Manager"));
        assert!(!LIST.contains("head"));
        assert!(!LIST.contains(""));
        assert_eq!(LIST.words().len(), 3);
    }
}
