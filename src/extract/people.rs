//! People the knowledge base does not know, found in the text: capitalised full names in
//! football contexts ("striker X", "X scored", "goals from X", "boss X", "X's side").
//! Pundits, owners, referees and other non-players ("chairman X") are left out.

use super::context::{cues, Cues, MANAGER_BEFORE, OTHER_BEFORE, PLAYER_BEFORE};
use super::fold::fold;
use super::lexicon::Lexicon;
use rustc_hash::FxHashMap as HashMap;

/// A person found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The full name as first written.
    pub name: String,
    /// Byte ranges of the full name and of its surname alone.
    pub mentions: Vec<(usize, usize)>,
    /// What the context says.
    pub cues: Cues,
}

/// Particles inside a name ("Virgil van Dijk", "Kevin De Bruyne" is capitalised anyway).
static PARTICLES: Lexicon = Lexicon::new(&[
    "van", "de", "der", "den", "da", "dos", "das", "di", "del", "della", "le", "la", "von", "ten",
    "ter", "el", "al", "du", "bin", "ben",
]);

/// One capitalised name word at `at`: an upper-case letter and lower-case letters, with one
/// more capitalised hump ("McTominay") and hyphenated or apostrophed parts ("Alexander-Arnold",
/// "O'Neil" from its second part). Returns its end.
fn name_word(text: &str, at: usize) -> Option<usize> {
    fn hump(text: &str, at: usize) -> Option<usize> {
        let mut chars = text[at..].char_indices();
        let (_, first) = chars.next()?;
        if !first.is_uppercase() {
            return None;
        }
        let mut end = at + first.len_utf8();
        let mut lower = 0;
        for (i, c) in chars {
            if !c.is_lowercase() {
                break;
            }
            lower += 1;
            end = at + i + c.len_utf8();
        }
        (lower > 0).then_some(end)
    }
    let mut end = hump(text, at)?;
    if let Some(e) = hump(text, end) {
        end = e;
    }
    while let Some(c) = text[end..]
        .chars()
        .next()
        .filter(|c| matches!(c, '-' | '\'' | '’'))
    {
        match hump(text, end + c.len_utf8()) {
            Some(e) => end = e,
            None => break,
        }
    }
    Some(end)
}

/// Whitespace at `at`, at least one character; returns its end.
fn spaces(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at..];
    let n = rest.len() - rest.trim_start().len();
    (n > 0).then_some(at + n)
}

/// A run of two to four capitalised name words at `at` (particles allowed between them):
/// its end.
fn name_run(text: &str, at: usize) -> Option<usize> {
    let mut end = name_word(text, at)?;
    let mut words = 1;
    'more: while words < 4 {
        let Some(mut next) = spaces(text, end) else {
            break;
        };
        // Particles, each followed by whitespace, then a name word.
        loop {
            if let Some(e) = name_word(text, next) {
                end = e;
                words += 1;
                continue 'more;
            }
            let word_end = text[next..]
                .find(|c: char| !c.is_alphabetic())
                .map_or(text.len(), |i| next + i);
            if !PARTICLES.contains(&text[next..word_end]) {
                break 'more;
            }
            match spaces(text, word_end) {
                Some(e) => next = e,
                None => break 'more,
            }
        }
    }
    (words >= 2).then_some(end)
}

/// Capitalised full names: runs of two to four name words, as whole words. A scan rather
/// than a regex: the equivalent pattern over Unicode classes cost a fifth of all extraction.
fn names(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    // Where a name may start: an ASCII capital or the first byte of a multi-byte character.
    // Most bytes are neither; they are passed over 16 at a time, without decoding.
    let may_start = |b: u8| b.is_ascii_uppercase() || b >= 0xc0;
    let mut i = 0;
    while i < bytes.len() {
        if i % 16 == 0 {
            let block = &bytes[i..(i + 16).min(bytes.len())];
            // `fold`, not `any`: no early exit, so the block is tested in parallel.
            if !block.iter().fold(false, |seen, &b| seen | may_start(b)) {
                i += block.len();
                continue;
            }
        }
        let at = i;
        i += 1;
        if !may_start(bytes[at]) {
            continue;
        }
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        if !c.is_uppercase()
            || text[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        if let Some(end) = name_run(text, at) {
            // Nothing inside a run starts another.
            i = end;
            if !text[end..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
            {
                out.push((at, end));
            }
        }
    }
    out
}

/// Capitalised words that start sentences or name things, not people.
static STOP: Lexicon = Lexicon::new(&[
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "but",
    "and",
    "or",
    "in",
    "on",
    "at",
    "for",
    "after",
    "before",
    "when",
    "while",
    "if",
    "as",
    "his",
    "her",
    "their",
    "its",
    "this",
    "that",
    "these",
    "those",
    "there",
    "then",
    "now",
    "so",
    "yet",
    "still",
    "even",
    "both",
    "all",
    "with",
    "without",
    "from",
    "to",
    "by",
    "of",
    "under",
    "over",
    "against",
    "meanwhile",
    "however",
    "although",
    "though",
    "since",
    "until",
    "during",
    "despite",
    "what",
    "who",
    "where",
    "why",
    "how",
    "not",
    "no",
    "yes",
    "my",
    "our",
    "your",
    "one",
    "two",
    "three",
    "read",
    "more",
    "watch",
    "live",
    "follow",
    "sign",
    "click",
    "subscribe",
    "share",
    "also",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "sir",
    "mr",
    "mrs",
    "ms",
    "dr",
    "saint",
    "st",
    "later",
    "earlier",
    "today",
    "yesterday",
    "tomorrow",
    "tonight",
    "last",
    "next",
    "first",
    "second",
    "here",
    "instead",
    "only",
    "just",
    "again",
    "once",
    "every",
    "each",
    "some",
    "many",
    "most",
    "former",
    "new",
    "young",
    "old",
    "legendary",
    "veteran",
    "fellow",
    "teenage",
    "dutch",
    "english",
    "french",
    "german",
    "spanish",
    "italian",
    "brazilian",
    "argentine",
    "portuguese",
    "scottish",
    "welsh",
    "irish",
    "american",
    "african",
    "swedish",
    "danish",
    "norwegian",
    "belgian",
    "croatian",
    "serbian",
    "polish",
    "turkish",
    "greek",
    "nigerian",
    "ghanaian",
    "egyptian",
    "moroccan",
    "japanese",
    "korean",
    "chinese",
    "australian",
]);

/// Words that make a capitalised phrase a club, competition, place or organisation.
static NOT_PERSON: Lexicon = Lexicon::new(&[
    "fc",
    "afc",
    "cf",
    "sc",
    "united",
    "city",
    "town",
    "rovers",
    "county",
    "athletic",
    "albion",
    "wanderers",
    "rangers",
    "stadium",
    "park",
    "road",
    "lane",
    "arena",
    "ground",
    "cup",
    "league",
    "premier",
    "premiership",
    "championship",
    "division",
    "trophy",
    "final",
    "finals",
    "club",
    "football",
    "association",
    "federation",
    "olympic",
    "olympics",
    "sport",
    "sports",
    "news",
    "bbc",
    "sky",
    "world",
    "european",
    "europa",
    "champions",
    "women",
    "ladies",
    "real",
    "sporting",
    "academy",
    "university",
    "college",
    "school",
    "street",
    "square",
    "hotel",
    "airport",
    "hospital",
    "council",
    "government",
    "ministry",
    "police",
    "court",
    "group",
    "round",
    "series",
    "awards",
    "award",
    "day",
    "week",
    "month",
    "year",
    "season",
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "republic",
    "kingdom",
    "states",
    "nations",
    "national",
    "international",
    "royal",
    "castle",
    "bridge",
    "hall",
    "house",
    "centre",
    "center",
    "times",
    "post",
    "mail",
    "guardian",
    "telegraph",
    "echo",
    "gazette",
    "press",
    "radio",
    "tv",
    "network",
    "media",
    "games",
    "game",
    "ballon",
    "golden",
    "boot",
    "glove",
    "hotspur",
    "villa",
    "forest",
    "palace",
    "wednesday",
    "argyle",
    "orient",
    "alexandra",
    "stanley",
    "madrid",
    "munich",
    "milan",
    "barcelona",
    "paris",
    "rome",
    "lisbon",
    "porto",
    "london",
    "manchester",
    "liverpool",
    "chelsea",
    "arsenal",
    "everton",
    "god",
    "christmas",
    "easter",
]);

fn is_role_word(w: &str) -> bool {
    MANAGER_BEFORE.contains(w) || PLAYER_BEFORE.contains(w) || OTHER_BEFORE.contains(w)
}

/// Find people in `text` outside the `taken` byte ranges (already tagged). `known` says
/// whether a folded name is a knowledge-base name (those are never "new" people).
pub fn discover(text: &str, taken: &[(usize, usize)], known: &dyn Fn(&str) -> bool) -> Vec<Found> {
    // Does `s..e` overlap a taken range? Those starting before `e` are a prefix of the ranges
    // sorted by start; one of them reaches past `s` when the furthest end among them does.
    let mut sorted = taken.to_vec();
    sorted.sort_unstable();
    let reach: Vec<usize> = sorted
        .iter()
        .scan(0, |furthest, &(_, te)| {
            *furthest = te.max(*furthest);
            Some(*furthest)
        })
        .collect();
    let overlaps = |s: usize, e: usize| {
        let before_end = sorted.partition_point(|&(ts, _)| ts < e);
        before_end > 0 && reach[before_end - 1] > s
    };
    let mut by_name: HashMap<String, Found> = HashMap::default();
    let mut order: Vec<String> = Vec::new();
    for (mut s, e) in names(text) {
        let mut name = &text[s..e];
        // Drop leading sentence words ("But Nuno Espirito Santo" -> "Nuno Espirito Santo").
        while let Some((first, rest)) = name.split_once(char::is_whitespace) {
            let f = fold(first);
            if STOP.contains(f.as_str()) || is_role_word(&f) {
                s += first.len() + (name.len() - first.len() - rest.len());
                name = rest.trim_start();
            } else {
                break;
            }
        }
        let words: Vec<String> = name.split_whitespace().map(fold).collect();
        if words.len() < 2
            || words.iter().any(|w| NOT_PERSON.contains(w.as_str()))
            || words.iter().any(|w| STOP.contains(w.as_str()))
            || overlaps(s, e)
        {
            continue;
        }
        // The name folded: its words are folded already (name words are letters only).
        let key = words.join(" ");
        if known(&key) {
            continue;
        }
        let entry = by_name.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            Found {
                name: name.to_string(),
                mentions: Vec::new(),
                cues: Cues::default(),
            }
        });
        entry.mentions.push((s, e));
    }
    let mut candidates: Vec<Found> = Vec::new();
    for key in order {
        let Some(mut found) = by_name.remove(&key) else {
            continue;
        };
        // Surname mentions: everything after the first name.
        let surname = found
            .name
            .split_once(char::is_whitespace)
            .map(|(_, rest)| rest.trim().to_string())
            .unwrap_or_default();
        if surname.chars().count() >= 3 {
            for at in memchr::memmem::find_iter(text.as_bytes(), surname.as_bytes()) {
                let end = at + surname.len();
                let before_ok = text[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                let after_ok = text[end..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
                if before_ok
                    && after_ok
                    && !overlaps(at, end)
                    && !found.mentions.iter().any(|&(s, e)| at < e && s < end)
                {
                    found.mentions.push((at, end));
                }
            }
        }
        found.mentions.sort_unstable();
        found.cues = cues(text, &found.mentions);
        candidates.push(found);
    }
    // Names listed together share their context: in "talent Nathan Ordaz, Erik Duenas and
    // Christian Torres" the cue before the first name covers the others.
    let mut changed = true;
    while changed {
        changed = false;
        for i in 0..candidates.len() {
            if candidates[i].cues.player + candidates[i].cues.manager > 0
                || candidates[i].cues.other > 0
            {
                continue;
            }
            let listed_with = candidates.iter().enumerate().find_map(|(j, other)| {
                let cued = other.cues.player + other.cues.manager > 0 && other.cues.other == 0;
                (j != i && cued && adjacent_in_list(text, &candidates[i].mentions, &other.mentions))
                    .then_some(other.cues)
            });
            if let Some(c) = listed_with {
                candidates[i].cues.player = c.player.min(1);
                candidates[i].cues.manager = c.manager.min(2);
                changed = true;
            }
        }
    }
    candidates
        .into_iter()
        .filter(|f| f.cues.player + f.cues.manager > 0 && f.cues.other == 0)
        .collect()
}

/// Are two names next to each other in a list ("A, B", "A and B", "A, B and C")?
fn adjacent_in_list(text: &str, a: &[(usize, usize)], b: &[(usize, usize)]) -> bool {
    let joined = |end: usize, start: usize| {
        end <= start && matches!(text[end..start].trim(), "," | "and" | ", and" | "&")
    };
    a.iter()
        .any(|&(sa, ea)| b.iter().any(|&(sb, eb)| joined(ea, sb) || joined(eb, sa)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        discover(text, &[], &|_| false)
            .into_iter()
            .map(|f| f.name)
            .collect()
    }

    fn runs(text: &str) -> Vec<&str> {
        super::names(text)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn capitalised_runs_are_whole_words_of_two_to_four() {
        assert_eq!(
            runs("Virgil van Dijk and Trent Alexander-Arnold met Scott McTominay."),
            [
                "Virgil van Dijk",
                "Trent Alexander-Arnold",
                "Scott McTominay"
            ]
        );
        // A particle must be followed by a name word; a fifth word starts a new run.
        assert_eq!(runs("Mario de la Cruz"), ["Mario de la Cruz"]);
        assert_eq!(runs("Anna de went"), Vec::<&str>::new());
        assert_eq!(
            runs("One Two Three Four Five Six"),
            ["One Two Three Four", "Five Six"]
        );
        // Not inside a word, not followed by a letter or digit, not single letters.
        assert_eq!(runs("xAbc Def"), ["Def"; 0]);
        assert_eq!(runs("John Smith2 Kane"), Vec::<&str>::new());
        assert_eq!(runs("A B and FC Porto"), Vec::<&str>::new());
        // Accented names; an apostrophe joins capitalised parts only ("O’Neil" has no
        // lower-case letter before it, so "Dara O’Neil" is not read as a run).
        assert_eq!(
            runs("Núñez met Darwin Núñez and Dara O’Neil"),
            ["Darwin Núñez"]
        );
        assert_eq!(runs("Dara Kil’Neil left"), ["Dara Kil’Neil"]);
        assert_eq!(runs("Ángel Di María"), ["Ángel Di María"]);
        assert_eq!(runs("Tom\nJones"), ["Tom\nJones"]);
    }

    #[test]
    fn players_in_football_contexts() {
        assert_eq!(
            names("Striker Louis Agyemang opened the scoring."),
            ["Louis Agyemang"]
        );
        assert_eq!(names("Andy Johnson scored twice."), ["Andy Johnson"]);
        assert_eq!(
            names("Goals from Ben Don Bortey and others."),
            ["Ben Don Bortey"]
        );
        assert_eq!(
            names("Ruben Cloete was there. Later Cloete scored."),
            ["Ruben Cloete"]
        );
    }

    #[test]
    fn names_listed_together_share_context() {
        assert_eq!(
            names("Homegrown talent Nathan Ordaz, Erik Duenas and Christian Torres played."),
            ["Nathan Ordaz", "Erik Duenas", "Christian Torres"]
        );
        assert_eq!(names("A shot from Ritsu Doan went wide."), ["Ritsu Doan"]);
    }

    #[test]
    fn managers_and_others() {
        let f = discover("Hearts boss John Robertson was pleased.", &[], &|_| false);
        assert_eq!(f[0].name, "John Robertson");
        assert!(f[0].cues.manager > f[0].cues.player);
        assert!(names("Chairman Milan Mandaric said the striker scored.").is_empty());
        assert!(names("Referee Mike Dean booked him.").is_empty());
    }

    #[test]
    fn no_context_no_person() {
        assert!(names("Tom Smith likes tea.").is_empty());
        assert!(
            names("Hearts of Oak won. Asante Kotoko scored.").is_empty()
                || !names("Hearts of Oak won.").contains(&"Hearts".to_string())
        );
    }

    #[test]
    fn sentence_words_and_clubs_are_not_names() {
        assert_eq!(names("But Nuno Santo scored."), ["Nuno Santo"]);
        assert!(names("Manchester United scored.").is_empty());
        assert!(
            names("Known Name scored.").is_empty()
                || discover("Known Name scored.", &[], &|k| k == "known name").is_empty()
        );
    }
}
