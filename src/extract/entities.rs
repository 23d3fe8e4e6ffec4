//! Tagging: which players, managers, clubs and competitions an article mentions.
//!
//! Every knowledge-base name and alias is matched in one pass of one leftmost-longest
//! Aho-Corasick automaton over the folded text. Weak or shared aliases ("City", "the Reds")
//! count only when the rest of the article settles them; a person's surname or first name
//! alone resolves to the full name the article uses elsewhere; manager or player is decided
//! by the knowledge base at the article's date and by the words around each mention.

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, MatchKind};

use super::fold::{fold, Folded};
use crate::kb::{Entity, Kb, Kind};

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
    /// Index into the knowledge base's entities.
    pub entity: usize,
    /// Role in this article.
    pub role: Role,
    /// Byte ranges of its mentions in the tagged text.
    pub mentions: Vec<(usize, usize)>,
}

#[derive(Debug, Clone)]
struct PatRef {
    entity: u32,
    weak: bool,
    /// For each word of the alias: must the text's word be capitalised?
    caps: Vec<bool>,
}

/// The compiled matcher for a knowledge base.
pub struct Tagger {
    ac: AhoCorasick,
    pats: Vec<Vec<PatRef>>,
}

#[derive(Debug, Clone)]
struct Mention {
    fs: usize,
    fe: usize,
    cands: Vec<(usize, bool)>,
    from_short_form: bool,
}

/// Words that put a national team's name in a geographic sense ("in Spain").
const PLACE_WORDS: &[&str] = &[
    "in",
    "from",
    "across",
    "around",
    "throughout",
    "into",
    "visit",
    "visiting",
    "born",
];
const MOVE_WORDS: &[&str] = &[
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
];
const MANAGER_BEFORE: &[&str] = &[
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
];
const MANAGER_AFTER: &[&str] = &[
    "side", "men", "team", "charges", "troops", "tenure", "reign", "regime",
];
const PLAYER_BEFORE: &[&str] = &[
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
    "star",
    "international",
    "debutant",
    "substitute",
    "centre",
    "full",
];
const PLAYER_AFTER: &[&str] = &[
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
];
/// Name suffixes that are not surnames.
const SUFFIXES: &[&str] = &["jr", "junior", "jnr", "sr", "snr", "ii", "iii"];

impl Tagger {
    /// Compile the automaton for every name and alias in the knowledge base.
    pub fn new(kb: &Kb) -> Tagger {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut pats: Vec<Vec<PatRef>> = Vec::new();
        for (i, e) in kb.entities.iter().enumerate() {
            let names = std::iter::once((e.name.as_str(), false))
                .chain(e.aliases.iter().map(|a| (a.text.as_str(), a.weak)));
            for (text, weak) in names {
                let folded = fold(text);
                if folded.is_empty() {
                    continue;
                }
                let caps = words(text)
                    .map(|w| w.chars().next().is_some_and(char::is_uppercase))
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
                        caps,
                    });
                }
            }
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .unwrap_or_else(|_| {
                AhoCorasick::new(Vec::<String>::new()).expect("an empty automaton builds")
            });
        Tagger { ac, pats }
    }

    /// Tag `text` (title and body). `year` is the article's year when known.
    pub fn tag(&self, kb: &Kb, text: &str, year: Option<i32>) -> Vec<Tag> {
        let folded = Folded::new(text);
        let ft = folded.text.as_bytes();
        let year = year.or_else(|| latest_year(&folded.text));
        let mut mentions: Vec<Mention> = Vec::new();
        for m in self.ac.find_iter(&folded.text) {
            let (fs, fe) = (m.start(), m.end());
            if !at_word_boundary(ft, fs, fe) {
                continue;
            }
            let (s, e) = folded.original_range(fs, fe);
            let original = &text[s..e];
            let cands: Vec<(usize, bool)> = self.pats[m.pattern().as_usize()]
                .iter()
                .filter(|p| caps_match(&p.caps, original))
                .map(|p| (p.entity as usize, p.weak))
                .collect();
            if cands.is_empty() {
                continue;
            }
            mentions.push(Mention {
                fs,
                fe,
                cands,
                from_short_form: false,
            });
        }
        // National teams named as places ("in Spain") are not teams.
        mentions.retain(|m| {
            !(m.cands
                .iter()
                .all(|(e, _)| kb.entities[*e].kind == Kind::National)
                && is_place(&folded.text, m.fs))
        });

        let firm: HashSet<usize> = mentions
            .iter()
            .filter(|m| m.cands.len() == 1 && !m.cands[0].1)
            .map(|m| m.cands[0].0)
            .collect();
        let related = related_clubs(kb, &firm);

        // In-article short forms of the people named in full.
        let short = short_forms(kb, &firm);
        if !short.is_empty() {
            let forms: Vec<&String> = short.keys().collect();
            if let Ok(ac) = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&forms)
            {
                for m in ac.find_iter(&folded.text) {
                    let (fs, fe) = (m.start(), m.end());
                    if !at_word_boundary(ft, fs, fe) {
                        continue;
                    }
                    let (s, e) = folded.original_range(fs, fe);
                    if !text[s..e].chars().next().is_some_and(char::is_uppercase) {
                        continue;
                    }
                    let owners = &short[forms[m.pattern().as_usize()]];
                    if owners.len() != 1 {
                        continue;
                    }
                    mentions.push(Mention {
                        fs,
                        fe,
                        cands: vec![(owners[0], false)],
                        from_short_form: true,
                    });
                }
            }
        }

        // Resolve each mention to one entity, or drop it.
        let mut resolved: Vec<(usize, usize, usize, bool)> = Vec::new();
        for m in &mentions {
            let entity = if m.cands.len() == 1 && !m.cands[0].1 {
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
        let mut spans: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
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
            let fspans = &spans[&e];
            let role = match entity.kind {
                Kind::Club | Kind::National => Role::Club,
                Kind::Competition => Role::Competition,
                Kind::Person => {
                    let (m, p, possessive) = role_cues(&folded.text, fspans);
                    let manager = if m != p {
                        m > p
                    } else {
                        entity.is_manager_at(year)
                    };
                    if manager && possessive.is_some() {
                        if let Some(club) = entity.clubs.first().and_then(|c| kb.team_index(c)) {
                            extra_clubs.push((club, possessive.unwrap_or_default()));
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
                entity: e,
                role,
                mentions: fspans
                    .iter()
                    .map(|&(fs, fe)| folded.original_range(fs, fe))
                    .collect(),
            });
        }
        for (club, (fs, fe)) in extra_clubs {
            if !tags.iter().any(|t| t.entity == club) {
                tags.push(Tag {
                    entity: club,
                    role: Role::Club,
                    mentions: vec![folded.original_range(fs, fe)],
                });
            }
        }
        tags
    }
}

/// The words of a name (letters and digits).
fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

fn at_word_boundary(ft: &[u8], fs: usize, fe: usize) -> bool {
    (fs == 0 || ft[fs - 1] == b' ') && (fe == ft.len() || ft[fe] == b' ')
}

/// Each capitalised word of the alias must be capitalised in the text ("Rice" is a player,
/// "rice" is not).
fn caps_match(caps: &[bool], original: &str) -> bool {
    let text_words: Vec<&str> = words(original).collect();
    if text_words.len() != caps.len() {
        return true;
    }
    caps.iter().zip(&text_words).all(|(need, w)| {
        !need
            || w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_numeric())
    })
}

fn previous_words(folded: &str, fs: usize, n: usize) -> Vec<&str> {
    folded[..fs]
        .split(' ')
        .rev()
        .filter(|w| !w.is_empty())
        .take(n)
        .collect()
}

fn next_words(folded: &str, fe: usize, n: usize) -> Vec<&str> {
    folded[fe..]
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(n)
        .collect()
}

fn is_place(folded: &str, fs: usize) -> bool {
    let prev = previous_words(folded, fs, 2);
    match prev.first() {
        Some(w) if PLACE_WORDS.contains(w) => true,
        Some(&"to") => prev.get(1).is_some_and(|w| MOVE_WORDS.contains(w)),
        _ => false,
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

/// Clubs of the people named firmly: where a shared alias ("the Reds") most likely points.
fn related_clubs(kb: &Kb, firm: &HashSet<usize>) -> HashSet<usize> {
    firm.iter()
        .filter(|&&e| kb.entities[e].kind == Kind::Person)
        .flat_map(|&e| kb.entities[e].clubs.iter())
        .filter_map(|c| kb.team_index(c))
        .collect()
}

/// Surnames and first names of the people named in full, with who they could mean.
fn short_forms(kb: &Kb, firm: &HashSet<usize>) -> HashMap<String, Vec<usize>> {
    let mut out: HashMap<String, Vec<usize>> = HashMap::new();
    for &e in firm {
        let entity: &Entity = &kb.entities[e];
        if entity.kind != Kind::Person {
            continue;
        }
        let tokens: Vec<&str> = entity.name.split_whitespace().collect();
        if tokens.len() < 2 {
            continue;
        }
        let mut core = tokens.clone();
        while core.len() > 1
            && core
                .last()
                .is_some_and(|t| SUFFIXES.contains(&fold(t).as_str()))
        {
            core.pop();
        }
        let mut forms = vec![fold(core[0])];
        if core.len() > 1 {
            forms.push(fold(&core[1..].join(" ")));
            forms.push(fold(core[core.len() - 1]));
        }
        for f in forms {
            if f.len() < 3 {
                continue;
            }
            let owners = out.entry(f).or_default();
            if !owners.contains(&e) {
                owners.push(e);
            }
        }
    }
    out
}

/// Manager cues, player cues, and the span of a possessive "X's side" (which names the
/// manager's club) around a person's mentions.
fn role_cues(folded: &str, spans: &[(usize, usize)]) -> (u32, u32, Option<(usize, usize)>) {
    let (mut m, mut p) = (0, 0);
    let mut possessive = None;
    for &(fs, fe) in spans {
        let before = previous_words(folded, fs, 2);
        let after = next_words(folded, fe, 3);
        if before.iter().any(|w| MANAGER_BEFORE.contains(w)) {
            m += 2;
        }
        if before.iter().any(|w| PLAYER_BEFORE.contains(w)) {
            p += 1;
        }
        let (first, second) = (after.first().copied(), after.get(1).copied());
        if first == Some("s") && second.is_some_and(|w| MANAGER_AFTER.contains(&w)) {
            m += 2;
            possessive.get_or_insert((fs, fe));
        }
        let verb = if first == Some("s") { second } else { first };
        if verb.is_some_and(|w| PLAYER_AFTER.contains(&w)) {
            p += 1;
        }
        if first == Some("the") && second.is_some_and(|w| MANAGER_BEFORE.contains(&w)) {
            m += 2;
        }
    }
    (m, p, possessive)
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
            .map(|t| (kb.entities[t.entity].name.clone(), t.role))
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
}
