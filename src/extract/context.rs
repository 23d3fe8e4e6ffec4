//! The words around a mention, and what they say about who or what it is: manager and
//! player cues ("boss X", "X scored", "X's side"), other roles ("chairman X"), places
//! ("in Spain").

use std::borrow::Cow;

use super::fold::fold;
use super::lexicon::Lexicon;

/// Words before a name that make it a manager ("Liverpool boss X").
pub static MANAGER_BEFORE: Lexicon = Lexicon::new(&[
    "manager",
    "boss",
    "coach",
    "gaffer",
    "caretaker",
    "interim",
    "tactician",
    "supremo",
    "mentor",
    "head",
]);
/// Words after "X's" that make X a manager ("X's side").
pub static MANAGER_AFTER: Lexicon = Lexicon::new(&[
    "side", "men", "team", "charges", "troops", "reign", "regime",
]);
/// Words before a name that make it a player.
pub static PLAYER_BEFORE: Lexicon = Lexicon::new(&[
    "striker",
    "midfielder",
    "defender",
    "goalkeeper",
    "keeper",
    "winger",
    "forward",
    "back",
    "captain",
    "skipper",
    "playmaker",
    "youngster",
    "teenager",
    "international",
    "debutant",
    "substitute",
    "centre",
    "full",
    "mate",
    "midfield",
    "attacker",
    "loanee",
    "signing",
    "star",
    "talent",
    "addition",
    "additions",
    "signings",
    "newcomer",
    "newcomers",
    "prospect",
    "prodigy",
]);
/// Words after a name (or after "X's") that make it a player.
pub static PLAYER_AFTER: Lexicon = Lexicon::new(&[
    "scored",
    "scores",
    "netted",
    "nets",
    "headed",
    "fired",
    "struck",
    "saved",
    "goal",
    "goals",
    "header",
    "shot",
    "strike",
    "cross",
    "pass",
    "penalty",
    "volley",
    "finish",
    "assist",
    "double",
    "brace",
    "hat",
    "booked",
    "dribbled",
    "equaliser",
    "winner",
    "opener",
    "tackle",
    "converted",
    "curled",
    "slotted",
    "tapped",
    "blasted",
    "smashed",
    "missed",
    "levelled",
    "equalised",
]);
/// Words before a name that make it someone other than a player or manager.
pub static OTHER_BEFORE: Lexicon = Lexicon::new(&[
    "chairman",
    "chairwoman",
    "owner",
    "president",
    "referee",
    "ref",
    "pundit",
    "journalist",
    "agent",
    "director",
    "executive",
    "ceo",
    "chief",
    "secretary",
    "minister",
    "official",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "analyst",
    "commentator",
    "reporter",
    "writes",
    "presenter",
    "linesman",
    "assistant",
    "physio",
    "doctor",
    "fan",
    "supporter",
    "mr",
    "mrs",
    "ms",
    "dr",
    "lord",
    "prince",
    "king",
    "queen",
    "judge",
    "lawyer",
    "prosecutor",
    "mayor",
    "singer",
    "actor",
    "rapper",
    "prime",
]);
/// Words before a country that make it a place, not a team ("in Spain").
pub static PLACE_WORDS: Lexicon = Lexicon::new(&[
    "in",
    "from",
    "across",
    "around",
    "throughout",
    "into",
    "visit",
    "visiting",
    "born",
]);
/// Movement verbs that make "to X" a place ("moved to Spain").
pub static MOVE_WORDS: Lexicon = Lexicon::new(&[
    "move",
    "moved",
    "moving",
    "return",
    "returned",
    "returning",
    "travel",
    "travelled",
    "trip",
    "go",
    "going",
    "went",
    "head",
    "heading",
    "back",
    "flew",
    "fly",
]);

/// A folded word of a window around a mention: borrowed from the text when it is folded
/// already (lowercase ASCII letters and digits, most words), so reading a window allocates
/// for capitalised and accented words only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a>(Cow<'a, str>);

impl<'a> Word<'a> {
    /// `w` folded (`w` holds no separator).
    fn of(w: &'a str) -> Word<'a> {
        if w.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            Word(Cow::Borrowed(w))
        } else {
            Word(Cow::Owned(fold(w)))
        }
    }

    /// The folded word.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Word<'_> {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Word<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The last `n` folded words before byte `at` of `text`, nearest first.
pub fn words_before(text: &str, at: usize, n: usize) -> Vec<Word<'_>> {
    let start = char_floor(text, at.saturating_sub(24 * n));
    let mut words: Vec<Word<'_>> = Vec::with_capacity(n + 1);
    for w in text[start..at]
        .rsplit(is_separator)
        .filter(|w| !w.is_empty())
    {
        words.push(Word::of(w));
        if words.len() > n {
            words.truncate(n);
            return words;
        }
    }
    // The window's first word may have been cut in half: drop it unless the window started
    // at the beginning of the text.
    if start > 0 {
        words.pop();
    }
    words
}

/// The first `n` folded words after byte `at` of `text`.
pub fn words_after(text: &str, at: usize, n: usize) -> Vec<Word<'_>> {
    let end = char_floor(text, (at + 24 * n).min(text.len()));
    let mut words: Vec<Word<'_>> = Vec::with_capacity(n + 1);
    for w in text[at..end].split(is_separator).filter(|w| !w.is_empty()) {
        words.push(Word::of(w));
        if words.len() > n {
            words.truncate(n);
            return words;
        }
    }
    // The window's last word may have been cut in half.
    if end < text.len() {
        words.pop();
    }
    words
}

/// What separates words for [`words_before`] and [`words_after`]: as in folding, anything
/// but letters, digits and combining marks.
fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        !c.is_ascii_alphanumeric()
    } else {
        !c.is_alphanumeric() && !unicode_normalization::char::is_combining_mark(c)
    }
}

fn char_floor(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Cues around a person's mentions.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Cues {
    /// Manager evidence.
    pub manager: u32,
    /// Player evidence.
    pub player: u32,
    /// Evidence of another role (chairman, referee, pundit...).
    pub other: u32,
    /// The first mention followed by "'s side/men/team": names the manager's club.
    pub possessive: Option<(usize, usize)>,
}

/// Read the cues around every mention (byte ranges of `text`).
pub fn cues(text: &str, mentions: &[(usize, usize)]) -> Cues {
    let mut c = Cues::default();
    for &(s, e) in mentions {
        let before = words_before(text, s, 2);
        let after = words_after(text, e, 4);
        let has =
            |list: &Lexicon, w: Option<&Word<'_>>| w.is_some_and(|w| list.contains(w.as_str()));
        if before.iter().any(|w| MANAGER_BEFORE.contains(w.as_str())) {
            c.manager += 2;
        }
        if before.iter().any(|w| PLAYER_BEFORE.contains(w.as_str())) {
            c.player += 1;
        }
        if has(&OTHER_BEFORE, before.first()) {
            c.other += 2;
        }
        let possessive = after.first().is_some_and(|w| w == "s");
        if possessive && has(&MANAGER_AFTER, after.get(1)) {
            c.manager += 2;
            c.possessive.get_or_insert((s, e));
        }
        let verb = if possessive {
            after.get(1)
        } else {
            after.first()
        };
        if has(&PLAYER_AFTER, verb) {
            c.player += 1;
        }
        // "X, the Chelsea manager" / "X, the manager"
        if after.first().is_some_and(|w| w == "the") {
            let described = &after[1..];
            if described
                .iter()
                .any(|w| w == "assistant" || OTHER_BEFORE.contains(w.as_str()))
            {
                c.other += 2;
            } else if described
                .iter()
                .any(|w| MANAGER_BEFORE.contains(w.as_str()))
            {
                c.manager += 2;
            } else if described.iter().any(|w| PLAYER_BEFORE.contains(w.as_str())) {
                c.player += 1;
            }
        }
        // "goals from X", "a X double"
        if before.first().is_some_and(|w| w == "from")
            && before.get(1).is_some_and(|w| {
                matches!(
                    w.as_str(),
                    "goals"
                        | "goal"
                        | "strike"
                        | "header"
                        | "effort"
                        | "brace"
                        | "shot"
                        | "cross"
                        | "pass"
                        | "save"
                        | "kick"
                        | "corner"
                        | "tackle"
                        | "challenge"
                        | "foul"
                        | "volley"
                        | "finish"
                        | "penalty"
                        | "assist"
                )
            })
        {
            c.player += 1;
        }
    }
    c
}

/// Words after a person's name that make the phrase a thing named after them.
static NAMED_THINGS: Lexicon = Lexicon::new(&[
    "award",
    "awards",
    "trophy",
    "stadium",
    "arena",
    "stand",
    "medal",
    "prize",
    "cup",
    "way",
    "road",
    "street",
    "foundation",
    "statue",
    "academy",
    "complex",
    "centre",
    "memorial",
]);

/// Does the name ending at byte `end` name a thing ("Puskas award", "Cruyff Arena")?
pub fn names_a_thing(text: &str, end: usize) -> bool {
    words_after(text, end, 1)
        .first()
        .is_some_and(|w| NAMED_THINGS.contains(w.as_str()))
}

/// Is the name at byte `at` used as a place ("in Spain", "moved to Spain")?
pub fn is_place(text: &str, at: usize) -> bool {
    let prev = words_before(text, at, 2);
    match prev.first().map(Word::as_str) {
        Some(w) if PLACE_WORDS.contains(w) => true,
        Some("to") => prev.get(1).is_some_and(|w| MOVE_WORDS.contains(w.as_str())),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str, name: &str) -> Vec<(usize, usize)> {
        let s = text.find(name).unwrap();
        vec![(s, s + name.len())]
    }

    #[test]
    fn words_around() {
        let t = "Liverpool boss Jürgen Klopp's side won.";
        let s = t.find("Jürgen").unwrap();
        assert_eq!(words_before(t, s, 2), ["boss", "liverpool"]);
        let e = s + "Jürgen Klopp".len();
        assert_eq!(words_after(t, e, 3), ["s", "side", "won"]);
    }

    #[test]
    fn manager_player_and_other_cues() {
        let t = "Arsenal boss Mikel Arteta praised striker Gabriel Jesus, who scored. Chairman Tom Werner watched.";
        assert!(cues(t, &span(t, "Mikel Arteta")).manager > 0);
        let jesus = cues(t, &span(t, "Gabriel Jesus"));
        assert!(jesus.player > 0 && jesus.manager == 0);
        assert!(cues(t, &span(t, "Tom Werner")).other > 0);
        let t = "Jurgen Klopp's side won.";
        assert!(cues(t, &span(t, "Jurgen Klopp")).possessive.is_some());
        let t = "Goals from Darwin Nunez and Salah.";
        assert!(cues(t, &span(t, "Darwin Nunez")).player > 0);
        let t = "Steve Clarke, the Chelsea manager, said";
        assert!(cues(t, &span(t, "Steve Clarke")).manager > 0);
        let t = "Steve Clarke, the Chelsea assistant manager, said";
        assert_eq!(cues(t, &span(t, "Steve Clarke")).manager, 0);
    }

    #[test]
    fn places() {
        let t = "something special in Spain";
        assert!(is_place(t, t.find("Spain").unwrap()));
        let t = "they lost to Spain";
        assert!(!is_place(t, t.find("Spain").unwrap()));
        let t = "he moved to Spain";
        assert!(is_place(t, t.find("Spain").unwrap()));
    }
}
