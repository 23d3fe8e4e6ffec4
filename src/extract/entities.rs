//! Tagging: which players, managers, clubs and competitions an article mentions.
//!
//! Every knowledge-base name and alias is matched in one pass of one leftmost-longest
//! Aho-Corasick automaton over the folded text. Weak or shared aliases ("City", "the Reds")
//! count only when the rest of the article settles them; a person's surname or first name
//! alone resolves to the full name the article uses elsewhere; manager or player is decided
//! by the knowledge base at the article's date and by the words around each mention.

// Fx hashing: the keys are ids and short names, hashed hundreds of times an article; the
// default hasher (SipHash) cost 62 M instructions on 1,500 articles.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use aho_corasick::MatchKind;

use super::fold::{fold, Folded};
use super::lexicon::Lexicon;
use super::{context, people};
use crate::kb::{Kb, Kind};

/// The role a tag plays in an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// A footballer.
    Player,
    /// A manager or head coach.
    Manager,
    /// A club or national team.
    Club,
    /// A competition.
    Competition,
}

impl Role {
    /// Lowercase name (facet path root, JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Player => "player",
            Role::Manager => "manager",
            Role::Club => "club",
            Role::Competition => "competition",
        }
    }
}

/// One entity found in an article.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// Stable id: the knowledge base's, or a slug of the name for people found in the text.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// Index into the knowledge base's entities; `None` for people found in the text only.
    pub entity: Option<usize>,
    /// Role in this article.
    pub role: Role,
    /// Byte ranges of its mentions in the tagged text.
    pub mentions: Vec<(usize, usize)>,
}

#[derive(Debug, Clone)]
struct PatRef {
    entity: u32,
    weak: bool,
    /// The pattern is the entity's canonical name (not an alias).
    canonical: bool,
    /// For each word of the alias: must the text's word be capitalised?
    caps: Vec<bool>,
}

/// The compiled matcher for a knowledge base.
pub struct Tagger {
    names: WordStarts,
    pats: Vec<Vec<PatRef>>,
    /// Folded name or alias → pattern id.
    index: HashMap<String, usize>,
    /// People's surnames, for surnames alone in an article about their clubs (line-ups,
    /// match reports): one automaton, with the people each surname could mean.
    surnames: WordStarts,
    surname_owners: Vec<Vec<u32>>,
    /// For each person with a first name and a surname: the folded first name and surname
    /// forms an article may use alone once it names them in full (computed once, not per
    /// article).
    short_forms: Vec<Vec<String>>,
}

#[derive(Debug, Clone)]
struct Mention {
    fs: usize,
    fe: usize,
    cands: Vec<(usize, bool)>,
    from_short_form: bool,
    from_club_context: bool,
}

/// Words of a name that are often written in lower case.
static LOWER_OK: Lexicon = Lexicon::new(&[
    "the", "of", "and", "de", "la", "le", "del", "y", "van", "von", "da", "di", "der", "den",
]);

/// Name suffixes that are not surnames.
static SUFFIXES: Lexicon = Lexicon::new(&["jr", "junior", "jnr", "sr", "snr", "ii", "iii"]);

impl Tagger {
    /// Compile the automaton for every name and alias in the knowledge base.
    pub fn new(kb: &Kb) -> Tagger {
        let mut index: HashMap<String, usize> = HashMap::default();
        let mut patterns: Vec<String> = Vec::new();
        let mut pats: Vec<Vec<PatRef>> = Vec::new();
        for (i, e) in kb.entities.iter().enumerate() {
            let names = std::iter::once((e.name.as_str(), false, true))
                .chain(e.aliases.iter().map(|a| (a.text.as_str(), a.weak, false)));
            for (text, weak, canonical) in names {
                let folded = fold(text);
                if folded.is_empty() {
                    continue;
                }
                // Articles and particles need no capital ("the FA Cup", "Hearts of Oak").
                let caps = words(text)
                    .map(|w| {
                        !LOWER_OK.contains(w.to_lowercase().as_str())
                            && w.chars().next().is_some_and(char::is_uppercase)
                    })
                    .collect();
                let pid = *index.entry(folded.clone()).or_insert_with(|| {
                    patterns.push(folded);
                    pats.push(Vec::new());
                    pats.len() - 1
                });
                if !pats[pid].iter().any(|p| p.entity as usize == i) {
                    pats[pid].push(PatRef {
                        entity: i as u32,
                        weak,
                        canonical,
                        caps,
                    });
                }
            }
        }
        let names = WordStarts::new(&patterns);
        let mut surname_index: HashMap<String, usize> = HashMap::default();
        let mut surname_patterns: Vec<String> = Vec::new();
        let mut surname_owners: Vec<Vec<u32>> = Vec::new();
        for (i, e) in kb.entities.iter().enumerate() {
            if e.kind != Kind::Person {
                continue;
            }
            for form in surname_forms(&e.name) {
                let pid = *surname_index.entry(form.clone()).or_insert_with(|| {
                    surname_patterns.push(form);
                    surname_owners.push(Vec::new());
                    surname_owners.len() - 1
                });
                surname_owners[pid].push(i as u32);
            }
        }
        let surnames = WordStarts::new(&surname_patterns);
        let short_forms = kb
            .entities
            .iter()
            .map(|e| {
                // The first name, and the surname forms the club-context rule uses too.
                let first = match e.name.split_once(char::is_whitespace) {
                    Some((first, _)) if e.kind == Kind::Person => first,
                    _ => return Vec::new(),
                };
                std::iter::once(fold(first))
                    .chain(surname_forms(&e.name))
                    .filter(|f| f.len() >= 3)
                    .collect()
            })
            .collect();
        Tagger {
            names,
            pats,
            index,
            surnames,
            surname_owners,
            short_forms,
        }
    }

    /// Surnames and first names of the people named in full, with who they could mean.
    fn short_forms(&self, firm: &HashSet<usize>) -> HashMap<&str, Vec<usize>> {
        let mut out: HashMap<&str, Vec<usize>> = HashMap::default();
        for &e in firm {
            for f in &self.short_forms[e] {
                let owners = out.entry(f.as_str()).or_default();
                if !owners.contains(&e) {
                    owners.push(e);
                }
            }
        }
        out
    }

    /// Tag `text` (title and body). `year` is the article's year when known.
    pub fn tag(&self, kb: &Kb, text: &str, year: Option<i32>) -> Vec<Tag> {
        let folded = Folded::new(text);
        let ft = folded.text.as_bytes();
        let mut mentions: Vec<Mention> = Vec::new();
        // Each match's candidates are gathered here, and copied into its mention only if it
        // is kept.
        let mut cands: Vec<(usize, bool)> = Vec::new();
        let mut canonical = Vec::new();
        for (pattern, fs, fe) in self.names.find_iter(&folded) {
            if !ends_word(ft, fe) {
                continue;
            }
            let (s, e) = folded.original_range(fs, fe);
            let original = &text[s..e];
            let shape = CapsShape::of(original);
            cands.clear();
            canonical.clear();
            for p in self.pats[pattern].iter().filter(|p| shape.fits(&p.caps)) {
                cands.push((p.entity as usize, p.weak));
                if p.canonical && !p.weak {
                    canonical.push(p.entity as usize);
                }
            }
            // A name that is one entity's canonical name and only another's alias (an imported
            // "Liverpool FC, Montevideo" aliased "Liverpool") means the canonical one.
            if cands.len() > 1 && canonical.len() == 1 {
                cands.clear();
                cands.push((canonical[0], false));
            }
            if cands.is_empty() {
                continue;
            }
            if !original.contains(char::is_whitespace)
                && cands
                    .iter()
                    .all(|(e, _)| kb.entities[*e].kind == Kind::Club)
                && follows_name_word(text, s)
            {
                // "Kingsferry Rangers", "Ringmahon Rangers": another club of that name.
                continue;
            }
            mentions.push(Mention {
                fs,
                fe,
                cands: cands.clone(),
                from_short_form: false,
                from_club_context: false,
            });
        }
        // National teams named as places ("in Spain") are not teams.
        mentions.retain(|m| {
            !(m.cands
                .iter()
                .all(|(e, _)| kb.entities[*e].kind == Kind::National)
                && context::is_place(text, folded.original_range(m.fs, m.fe).0))
        });

        let firm: HashSet<usize> = mentions
            .iter()
            .filter(|m| m.cands.len() == 1 && !m.cands[0].1)
            .map(|m| m.cands[0].0)
            .collect();
        let related = related_clubs(kb, &firm);
        let year = year
            .or_else(|| era_year(kb, &firm))
            .or_else(|| latest_year(&folded.text));

        // In-article short forms of the people named in full.
        let short = self.short_forms(&firm);
        for (owners, fs, fe) in short_form_matches(&short, &folded) {
            let (s, _) = folded.original_range(fs, fe);
            if owners.len() != 1 || !text[s..].chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            mentions.push(Mention {
                fs,
                fe,
                cands: vec![(owners[0], false)],
                from_short_form: true,
                from_club_context: false,
            });
        }

        // Surnames alone of people who play or manage for a club the article names firmly
        // ("Kahn, Sagnol, Lucio" under "Bayern Munich"; "Henry scored" in an Arsenal report).
        let firm_teams: HashSet<usize> = firm
            .iter()
            .copied()
            .filter(|&e| matches!(kb.entities[e].kind, Kind::Club | Kind::National))
            .collect();
        if !firm_teams.is_empty() {
            for (pattern, fs, fe) in self.surnames.find_iter(&folded) {
                if !ends_word(ft, fe) {
                    continue;
                }
                let (s, e) = folded.original_range(fs, fe);
                // A surname that is also a known name ("England") means that name.
                // ... and one after another capitalised word is part of another name
                // ("Old Trafford", "Stan Collymore").
                if !text[s..e].chars().next().is_some_and(char::is_uppercase)
                    || self.index.contains_key(&folded.text[fs..fe])
                    || follows_name_word(text, s)
                {
                    continue;
                }
                let owners: Vec<usize> = self.surname_owners[pattern]
                    .iter()
                    .map(|&o| o as usize)
                    .filter(|&o| {
                        let p = &kb.entities[o];
                        p.clubs
                            .iter()
                            .filter_map(|c| kb.team_index(c))
                            .any(|c| firm_teams.contains(&c))
                            && year
                                .is_none_or(|y| p.era.is_none_or(|(a, b)| a - 2 <= y && y <= b + 2))
                    })
                    .collect();
                if owners.len() == 1 {
                    mentions.push(Mention {
                        fs,
                        fe,
                        cands: vec![(owners[0], true)],
                        from_short_form: false,
                        from_club_context: true,
                    });
                }
            }
        }

        // Resolve each mention to one entity, or drop it.
        let mut resolved: Vec<(usize, usize, usize, bool)> = Vec::new();
        for m in &mentions {
            let entity = if m.cands.len() == 1 && (!m.cands[0].1 || m.from_club_context) {
                Some(m.cands[0].0)
            } else {
                let pick = |set: &dyn Fn(usize) -> bool| {
                    let hits: Vec<usize> =
                        m.cands.iter().map(|c| c.0).filter(|e| set(*e)).collect();
                    (hits.len() == 1).then(|| hits[0])
                };
                pick(&|e| firm.contains(&e)).or_else(|| pick(&|e| related.contains(&e)))
            };
            if let Some(e) = entity {
                resolved.push((m.fs, m.fe, e, m.from_short_form));
            }
        }
        // Overlaps: a short form of a person named in full beats a knowledge-base match of
        // the same span; otherwise the longer match wins.
        resolved.sort_by_key(|&(fs, fe, _, short)| (fs, std::cmp::Reverse(fe - fs), !short));
        let mut kept: Vec<(usize, usize, usize)> = Vec::new();
        for (fs, fe, e, _) in resolved {
            if kept.last().is_some_and(|&(_, last_end, _)| fs < last_end) {
                continue;
            }
            kept.push((fs, fe, e));
        }

        // Group by entity, in order of first mention.
        let mut order: Vec<usize> = Vec::new();
        let mut spans: HashMap<usize, Vec<(usize, usize)>> = HashMap::default();
        for &(fs, fe, e) in &kept {
            let list = spans.entry(e).or_default();
            if list.is_empty() {
                order.push(e);
            }
            list.push((fs, fe));
        }
        let mut tags: Vec<Tag> = Vec::new();
        let mut extra_clubs: Vec<(usize, (usize, usize))> = Vec::new();
        for e in order {
            let entity = &kb.entities[e];
            let mut mentions: Vec<(usize, usize)> = spans[&e]
                .iter()
                .map(|&(fs, fe)| folded.original_range(fs, fe))
                .collect();
            if entity.kind == Kind::Person {
                // "the Puskas award", "the Johan Cruyff Arena": a thing named after the person.
                mentions.retain(|&(_, end)| !context::names_a_thing(text, end));
                if mentions.is_empty() {
                    continue;
                }
            }
            // Someone in another role here (a club's CEO, a pundit) is not tagged.
            let cues = (entity.kind == Kind::Person).then(|| context::cues(text, &mentions));
            if cues.is_some_and(|c| c.other > 0 && c.other >= c.player + c.manager) {
                continue;
            }
            let role = match entity.kind {
                Kind::Club | Kind::National => Role::Club,
                Kind::Competition => Role::Competition,
                Kind::Person => {
                    let c = cues.unwrap_or_default();
                    let manager = if c.manager != c.player {
                        c.manager > c.player
                    } else {
                        entity.is_manager_at(year)
                    };
                    // "X's side" names X's club: the one club the knowledge base gives X, or
                    // the one of X's clubs the article names (a manager of several could be at
                    // any of them).
                    if let (true, Some(span)) = (manager, c.possessive) {
                        let clubs: Vec<usize> = entity
                            .clubs
                            .iter()
                            .filter_map(|c| kb.team_index(c))
                            .collect();
                        let named: Vec<usize> = clubs
                            .iter()
                            .copied()
                            .filter(|c| spans.contains_key(c))
                            .collect();
                        let club = match (clubs.as_slice(), named.as_slice()) {
                            ([only], _) => Some(*only),
                            (_, [one]) => Some(*one),
                            _ => None,
                        };
                        if let Some(club) = club {
                            extra_clubs.push((club, span));
                        }
                    }
                    if manager {
                        Role::Manager
                    } else {
                        Role::Player
                    }
                }
            };
            tags.push(Tag {
                id: entity.id.clone(),
                name: entity.name.clone(),
                entity: Some(e),
                role,
                mentions,
            });
        }
        for (club, span) in extra_clubs {
            // "Klopp's side" refers to the club there, even when it is named elsewhere too.
            if let Some(t) = tags.iter_mut().find(|t| t.entity == Some(club)) {
                if !t.mentions.contains(&span) {
                    t.mentions.push(span);
                    t.mentions.sort_unstable();
                }
            } else {
                let entity = &kb.entities[club];
                tags.push(Tag {
                    id: entity.id.clone(),
                    name: entity.name.clone(),
                    entity: Some(club),
                    role: Role::Club,
                    mentions: vec![span],
                });
            }
        }

        // People the knowledge base does not know.
        let taken: Vec<(usize, usize)> = tags
            .iter()
            .flat_map(|t| t.mentions.iter().copied())
            .collect();
        let known = |folded_name: &str| self.index.contains_key(folded_name);
        for found in people::discover(text, &taken, &known) {
            let role = if found.cues.manager > found.cues.player {
                Role::Manager
            } else {
                Role::Player
            };
            tags.push(Tag {
                id: crate::kb::slug(&found.name),
                name: found.name,
                entity: None,
                role,
                mentions: found.mentions,
            });
        }
        tags
    }
}

/// Is the word just before byte `at` a capitalised word of the same name (not the start of a
/// sentence or a function word)?
fn follows_name_word(text: &str, at: usize) -> bool {
    let before = &text[..at];
    let Some(prev) = before.strip_suffix(' ') else {
        return false;
    };
    let word: &str = prev
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .next()
        .unwrap_or("");
    let head = &prev[..prev.len() - word.len()];
    let sentence_start = head.trim_end().is_empty()
        || head
            .trim_end()
            .ends_with(['.', '!', '?', ':', '"', '“', '\n']);
    word.chars().next().is_some_and(char::is_uppercase)
        && !sentence_start
        && !LEAD_WORDS.contains(word.to_lowercase().as_str())
        && !word.ends_with("'s")
        && !word.ends_with("’s")
}

/// Capitalised words that commonly precede a club's name without being part of it.
static LEAD_WORDS: Lexicon = Lexicon::new(&[
    "the",
    "at",
    "for",
    "against",
    "with",
    "v",
    "vs",
    "and",
    "but",
    "as",
    "to",
    "from",
    "in",
    "on",
    "by",
    "beat",
    "when",
    "while",
    "after",
    "before",
    "if",
    "mighty",
    "champions",
    "holders",
    "leaders",
    "hosts",
    "visitors",
    "premier",
    "league",
    "scottish",
    "english",
    "spanish",
    "italian",
    "german",
    "french",
    "dutch",
    "portuguese",
    "rivals",
    "giants",
    "neighbours",
]);

/// The words of a name (letters and digits).
fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Names matched where words start in folded text, longest first, without overlaps: what a
/// leftmost-longest search finds when only word starts may begin a match.
///
/// An unanchored automaton over every byte stops inside words ("om" in "from", "inter" in
/// "winter": a third of its matches) and walks each byte through failure transitions
/// (callgrind, 1,500 articles: 1,103 M instructions). Here the automaton is walked from each
/// word start until it dies, mostly after a byte or two (564 M). A contiguous NFA rather
/// than a DFA: walked this way, the DFA's 9 MB table missed the caches (perf: 19% of a
/// single-thread extract, against 14%).
struct WordStarts {
    nfa: aho_corasick::nfa::contiguous::NFA,
    /// The first word of every pattern, as a one-hash Bloom filter. A match that ends at a
    /// word's end must begin with the text's whole first word, and one that ends inside the
    /// first word is dropped by the caller without covering the next word: words the filter
    /// rules out (most words) need no walk. A false positive costs one walk, never a match.
    /// callgrind, 1,500 articles: the walks cost 564 M instructions from every word start,
    /// 116 M from first words; a bit table, unlike a hash set of the words, is read without
    /// following a pointer to compare keys.
    first_words: FirstWords,
}

/// A set of words that may answer "yes" for a word not in it, never "no" for one in it. The
/// bundled knowledge base's 3,208 first words of names set 3,199 of the 262,144 bits: about
/// 1% of other words pass; an imported base of 20,000 first words would pass about 7%.
struct FirstWords {
    bits: Vec<u64>,
    /// log2 of the number of bits.
    log2: u32,
}

impl FirstWords {
    /// For the knowledge base's names: 2^18 bits, 32 KB, which stays in the caches.
    const NAME_BITS: u32 = 18;
    /// For an article's short forms (a few dozen words): 2^12 bits, 512 bytes.
    const SHORT_FORM_BITS: u32 = 12;

    /// The first words of `phrases` (folded: words separated by single spaces).
    fn new<'a>(log2: u32, phrases: impl Iterator<Item = &'a str>) -> FirstWords {
        let mut set = FirstWords {
            bits: vec![0u64; (1usize << log2).div_ceil(64)],
            log2,
        };
        for phrase in phrases {
            let w = phrase.split(' ').next().unwrap_or_default().as_bytes();
            let h = set.slot(w);
            set.bits[h / 64] |= 1 << (h % 64);
        }
        set
    }

    fn slot(&self, word: &[u8]) -> usize {
        use std::hash::{BuildHasher, Hasher};
        let mut h = rustc_hash::FxBuildHasher.build_hasher();
        h.write(word);
        (h.finish() >> (64 - self.log2)) as usize
    }

    fn may_contain(&self, word: &[u8]) -> bool {
        let h = self.slot(word);
        self.bits[h / 64] & (1 << (h % 64)) != 0
    }
}

impl WordStarts {
    fn new(patterns: &[String]) -> WordStarts {
        let build = |p: &[String]| {
            aho_corasick::nfa::contiguous::NFA::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .prefilter(false)
                .build(p)
        };
        let nfa = build(patterns)
            .or_else(|_| build(&[]))
            .expect("an empty automaton builds");
        let first_words =
            FirstWords::new(FirstWords::NAME_BITS, patterns.iter().map(String::as_str));
        WordStarts { nfa, first_words }
    }

    /// (pattern, start, end) of each match in `folded`, in order. A match begins at a word
    /// start and ends where its pattern does, which may be inside a word: callers check the
    /// end.
    fn find_iter<'a>(
        &'a self,
        folded: &'a Folded<'_>,
    ) -> impl Iterator<Item = (usize, usize, usize)> + 'a {
        let ft = folded.text.as_bytes();
        let mut covered = 0;
        (0..folded.word_starts.len()).filter_map(move |i| {
            let (s, word_end) = folded.word(i);
            if s < covered || !self.first_words.may_contain(&ft[s..word_end]) {
                return None;
            }
            let (pattern, end) = self.longest_at(ft, s)?;
            covered = end;
            Some((pattern, s, end))
        })
    }

    /// The longest pattern that `folded[at..]` starts with.
    fn longest_at(&self, folded: &[u8], at: usize) -> Option<(usize, usize)> {
        use aho_corasick::automaton::Automaton;
        use aho_corasick::Anchored;
        let nfa = &self.nfa;
        let mut sid = nfa.start_state(Anchored::Yes).ok()?;
        let mut best = None;
        for (i, &b) in folded[at..].iter().enumerate() {
            sid = nfa.next_state(Anchored::Yes, sid, b);
            if nfa.is_special(sid) {
                if nfa.is_dead(sid) {
                    break;
                }
                // A state's matches include patterns that are only suffixes of the path
                // ("uel" at the end of "emmanuel"): the one wanted starts at `at`.
                if nfa.is_match(sid) {
                    if let Some(p) = (0..nfa.match_len(sid))
                        .map(|k| nfa.match_pattern(sid, k))
                        .find(|&p| nfa.pattern_len(p) == i + 1)
                    {
                        best = Some((p.as_usize(), at + i + 1));
                    }
                }
            }
        }
        best
    }
}

/// Whole-word matches of `short`'s forms in `folded` (words separated by single spaces):
/// at each word start the form of the most words, then on after its end. What the
/// per-article automaton found, less the matches inside words, and without building an
/// automaton per article (callgrind, 1,500 articles: 313 M instructions for the builds).
fn short_form_matches<'a>(
    short: &'a HashMap<&str, Vec<usize>>,
    folded: &'a Folded<'_>,
) -> impl Iterator<Item = (&'a [usize], usize, usize)> + 'a {
    let most_words = short
        .keys()
        .map(|f| f.bytes().filter(|&b| b == b' ').count() + 1)
        .max()
        .unwrap_or(0);
    // Every word of the text is tested: a bit table answers without a key comparison
    // (callgrind, 1,500 articles: a hash set of the words took 125 M instructions).
    let first_words = FirstWords::new(FirstWords::SHORT_FORM_BITS, short.keys().copied());
    let words = folded.word_starts.len();
    let mut covered = 0;
    (0..words).filter_map(move |i| {
        let (s, first_end) = folded.word(i);
        if most_words == 0
            || s < covered
            || !first_words.may_contain(&folded.text.as_bytes()[s..first_end])
        {
            return None;
        }
        (i..(i + most_words).min(words)).rev().find_map(|last| {
            let e = folded.word(last).1;
            let owners = short.get(&folded.text[s..e])?;
            covered = e;
            Some((owners.as_slice(), s, e))
        })
    })
}

/// Does a match ending at folded byte `fe` end a word? (Every match begins at a word start.)
fn ends_word(ft: &[u8], fe: usize) -> bool {
    fe == ft.len() || ft[fe] == b' '
}

/// Which words of a matched name are capitalised (or start with a digit) in the text: read
/// once per match, then compared with each alias's [`PatRef::caps`].
struct CapsShape {
    words: usize,
    /// Bit `i`: word `i` is capitalised. Words past the 64th are not recorded: an alias that
    /// long (none is) would never fit.
    capitalised: u64,
}

impl CapsShape {
    fn of(original: &str) -> CapsShape {
        let mut shape = CapsShape {
            words: 0,
            capitalised: 0,
        };
        for w in words(original) {
            if shape.words < 64
                && w.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_numeric())
            {
                shape.capitalised |= 1 << shape.words;
            }
            shape.words += 1;
        }
        shape
    }

    /// Each capitalised word of the alias must be capitalised in the text ("Rice" is a
    /// player, "rice" is not); an alias of another word count is not compared.
    fn fits(&self, caps: &[bool]) -> bool {
        caps.len() != self.words
            || caps
                .iter()
                .enumerate()
                .all(|(i, &need)| !need || (i < 64 && self.capitalised & (1 << i) != 0))
    }
}

/// The latest plausible year written in the text (an undated article's era).
fn latest_year(folded: &str) -> Option<i32> {
    folded
        .split(' ')
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse::<i32>().ok())
        .filter(|y| (1950..=2035).contains(y))
        .max()
}

/// The most likely year of an undated article from the eras of the people it names firmly:
/// each votes for its era, narrow eras more strongly; the middle of the best run wins.
fn era_year(kb: &Kb, firm: &HashSet<usize>) -> Option<i32> {
    const FIRST: i32 = 1950;
    const LAST: i32 = 2035;
    let mut votes = vec![0f64; (LAST - FIRST + 1) as usize];
    let mut any = false;
    for &e in firm {
        if let Some((a, b)) = kb.entities[e].era {
            let (a, b) = (a.max(FIRST), b.min(LAST));
            if a > b {
                continue;
            }
            let w = 1.0 / f64::from(b - a + 1);
            for y in a..=b {
                votes[(y - FIRST) as usize] += w;
            }
            any = true;
        }
    }
    if !any {
        return None;
    }
    let best = votes.iter().cloned().fold(0f64, f64::max);
    let years: Vec<i32> = (FIRST..=LAST)
        .filter(|y| (votes[(y - FIRST) as usize] - best).abs() < 1e-9)
        .collect();
    years.get(years.len() / 2).copied()
}

/// Clubs of the people named firmly: where a shared alias ("the Reds") most likely points.
fn related_clubs(kb: &Kb, firm: &HashSet<usize>) -> HashSet<usize> {
    firm.iter()
        .filter(|&&e| kb.entities[e].kind == Kind::Person)
        .flat_map(|&e| kb.entities[e].clubs.iter())
        .filter_map(|c| kb.team_index(c))
        .collect()
}

/// The surname forms of a full name: everything after the first name, and the last word
/// ("Robin van Persie": "van persie", "persie"), name suffixes (Jr) aside. One-word names have
/// none.
fn surname_forms(name: &str) -> Vec<String> {
    let mut core: Vec<&str> = name.split_whitespace().collect();
    while core.len() > 1
        && core
            .last()
            .is_some_and(|t| SUFFIXES.contains(fold(t).as_str()))
    {
        core.pop();
    }
    if core.len() < 2 {
        return Vec::new();
    }
    let mut forms = vec![fold(&core[1..].join(" "))];
    let last = fold(core[core.len() - 1]);
    if !forms.contains(&last) {
        forms.push(last);
    }
    forms.retain(|f| f.len() >= 3);
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> Kb {
        let mut kb = Kb::default();
        kb.extend_from_str(
            "test.kb",
            "[clubs]
liverpool | Liverpool | Liverpool FC, ~the Reds, ~Reds | ENG | Anfield | club
nottingham-forest | Nottingham Forest | ~Forest, ~the Reds | ENG | City Ground | club
manchester-city | Manchester City | Man City, ~City | ENG | Etihad Stadium | club
norwich-city | Norwich City | ~City, Canaries | ENG | Carrow Road | club
real-madrid | Real Madrid | ~Real, ~Madrid | ESP | Santiago Bernabeu | club
spain | Spain | ~La Roja | ESP | | national
[competitions]
champions-league | Champions League | European Cup, UCL | continental
[people]
Trent Alexander-Arnold | | player | liverpool | ENG
Darwin Núñez | Nunez | player | liverpool | URU
Jürgen Klopp | Klopp | player:-2001, manager:2001- | liverpool | GER
Mikel Arteta | Arteta | player:-2016, manager:2019- | arsenal | ESP
Gary Neville | | player:-2011 | manchester-united | ENG
Phil Neville | | player:-2013 | manchester-united | ENG
Declan Rice | | player | arsenal | ENG
Vinícius Júnior | Vini Jr | player | real-madrid | BRA
",
        )
        .unwrap();
        kb
    }

    fn names(kb: &Kb, text: &str, year: Option<i32>) -> Vec<(String, Role)> {
        Tagger::new(kb)
            .tag(kb, text, year)
            .into_iter()
            .map(|t| (t.name.clone(), t.role))
            .collect()
    }

    fn has(kb: &Kb, text: &str, name: &str) -> bool {
        names(kb, text, None).iter().any(|(n, _)| n == name)
    }

    #[test]
    fn accents_and_spellings_are_one_entity() {
        let kb = kb();
        for text in [
            "Darwin Nunez scored.",
            "Núñez scored.",
            "NUNEZ scored",
            "Darwin Núñez scored.",
        ] {
            assert!(has(&kb, text, "Darwin Núñez"), "{text}");
        }
    }

    #[test]
    fn surname_after_full_name() {
        let kb = kb();
        let t = names(
            &kb,
            "Trent Alexander-Arnold starred. Later Alexander-Arnold added a second.",
            None,
        );
        assert_eq!(
            t,
            vec![("Trent Alexander-Arnold".to_string(), Role::Player)]
        );
        let tags = Tagger::new(&kb).tag(
            &kb,
            "Trent Alexander-Arnold starred. Later Alexander-Arnold added a second.",
            None,
        );
        assert_eq!(tags[0].mentions.len(), 2);
    }

    #[test]
    fn surname_alone_without_full_name_is_not_tagged() {
        let kb = kb();
        assert!(!has(
            &kb,
            "Alexander-Arnold starred.",
            "Trent Alexander-Arnold"
        ));
    }

    #[test]
    fn shared_surname_is_left_out() {
        let kb = kb();
        let text = "Gary Neville and Phil Neville played. Neville crossed.";
        let tags = Tagger::new(&kb).tag(&kb, text, None);
        assert_eq!(tags.len(), 2);
        assert!(tags.iter().all(|t| t.mentions.len() == 1));
    }

    #[test]
    fn weak_alias_needs_confirmation() {
        let kb = kb();
        assert!(!has(&kb, "City were poor again.", "Manchester City"));
        assert!(has(&kb, "Man City won. City were good.", "Manchester City"));
        assert!(!has(&kb, "The Reds won.", "Liverpool"));
        assert!(has(
            &kb,
            "Darwin Nunez scored as the Reds won.",
            "Liverpool"
        ));
    }

    #[test]
    fn possessive_manager_names_his_club() {
        let kb = kb();
        let t = names(&kb, "Jurgen Klopp's side won at the weekend.", Some(2019));
        assert!(t.contains(&("Jürgen Klopp".to_string(), Role::Manager)));
        assert!(t.contains(&("Liverpool".to_string(), Role::Club)));
    }

    #[test]
    fn role_follows_the_date_and_the_wording() {
        let kb = kb();
        assert_eq!(
            names(&kb, "Mikel Arteta played well.", Some(2005))[0].1,
            Role::Player
        );
        assert_eq!(
            names(&kb, "Mikel Arteta was happy.", Some(2023))[0].1,
            Role::Manager
        );
        assert_eq!(
            names(&kb, "Arsenal boss Mikel Arteta was happy.", Some(2005))[0].1,
            Role::Manager
        );
        assert_eq!(
            names(&kb, "In the 2004 season Mikel Arteta was happy.", None)[0].1,
            Role::Player
        );
    }

    #[test]
    fn lowercase_words_are_not_names() {
        let kb = kb();
        assert!(!has(&kb, "They had rice for dinner.", "Declan Rice"));
        assert!(has(&kb, "Declan Rice scored.", "Declan Rice"));
    }

    #[test]
    fn country_as_a_place_is_not_a_team() {
        let kb = kb();
        assert!(!has(&kb, "We must do something special in Spain.", "Spain"));
        assert!(has(&kb, "Spain beat Italy.", "Spain"));
        assert!(has(&kb, "They lost to Spain.", "Spain"));
        assert!(!has(&kb, "He moved to Spain in 2010.", "Spain"));
    }

    #[test]
    fn competitions_by_former_names() {
        let kb = kb();
        assert!(has(&kb, "They won the European Cup.", "Champions League"));
        assert!(has(&kb, "a UCL night", "Champions League"));
    }

    #[test]
    fn first_name_suffix_forms() {
        let kb = kb();
        let text = "Vinícius Júnior scored twice. Vinicius was superb.";
        let tags = Tagger::new(&kb).tag(&kb, text, None);
        assert_eq!(tags[0].mentions.len(), 2);
    }

    #[test]
    fn things_named_after_people_are_not_people() {
        let kb = kb();
        assert!(!has(
            &kb,
            "Garnacho won the Declan Rice award.",
            "Declan Rice"
        ));
    }

    #[test]
    fn people_in_other_roles_are_left_out() {
        let kb = kb();
        assert!(!has(
            &kb,
            "Declan Rice, the chairman, spoke.",
            "Declan Rice"
        ));
        assert!(has(
            &kb,
            "Declan Rice, the midfielder, spoke.",
            "Declan Rice"
        ));
    }

    #[test]
    fn surname_in_club_context() {
        let kb = kb();
        // Alexander-Arnold alone, in an article naming Liverpool firmly.
        assert!(has(
            &kb,
            "Liverpool FC won. Alexander-Arnold crossed.",
            "Trent Alexander-Arnold"
        ));
        assert!(!has(
            &kb,
            "Real Madrid won. Alexander-Arnold crossed.",
            "Trent Alexander-Arnold"
        ));
    }

    #[test]
    fn first_word_filter_never_rules_out_a_member() {
        let words: Vec<String> = (0..5000).map(|i| format!("w{i}")).collect();
        let filter = FirstWords::new(FirstWords::NAME_BITS, words.iter().map(String::as_str));
        assert!(words.iter().all(|w| filter.may_contain(w.as_bytes())));
        let others = (0..5000)
            .map(|i| format!("x{i}"))
            .filter(|w| filter.may_contain(w.as_bytes()))
            .count();
        assert!(others < 250, "{others} of 5,000 other words pass");
    }

    #[test]
    fn surname_inside_another_name_is_not_the_person() {
        let kb = kb();
        // "Alexander-Arnold" alone would resolve in a Liverpool article; inside
        // "Stadium Alexander-Arnold" (another name) it does not.
        assert!(!has(
            &kb,
            "Liverpool FC won at the Stadium Alexander-Arnold.",
            "Trent Alexander-Arnold"
        ));
    }
}
