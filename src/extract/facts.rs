//! Match results: scorelines ("2-1", "2–1", "Liverpool 4 Barcelona 0"), the two teams and
//! which score is whose, read from the sentence around each score. Scores during a match
//! ("a 2-0 lead"), aggregates, shoot-outs, formations and hypotheticals are not results.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;

use super::context::{words_after, words_before, Word};
use super::entities::{Role, Tag};
use super::lexicon::Lexicon;

/// One match result (also what the index stores for it).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Fact {
    /// Home team (or the first named) canonical name.
    pub home: String,
    /// Its tag id.
    pub home_id: String,
    /// The other team.
    pub away: String,
    /// Its tag id.
    pub away_id: String,
    /// Goals of `home`.
    pub home_score: u32,
    /// Goals of `away`.
    pub away_score: u32,
    /// A competition named in the same sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub competition: Option<String>,
    /// The sentence the result was read from.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub evidence: String,
    /// Byte offset of `evidence` in the tagged text (the index stores the range, not the
    /// words). Not serialized.
    #[serde(skip)]
    pub evidence_start: usize,
    /// Byte range of the score in the tagged text.
    pub start: usize,
    /// End of the range.
    pub end: usize,
    /// How sure the reading is (0-1): a result line is surer than a score with one team named.
    pub confidence: f32,
    /// Stage: final, semi-final, quarter-final, last 16, first leg, group stage...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Venue: a known stadium after "at".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    /// Goalscorers named around the result.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scorers: Vec<super::details::Scorer>,
    /// Match date (`YYYY-MM-DD`, or `YYYY` when only the year is known).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// An aggregate stated with it, as written ("6-2").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aggregate: Option<String>,
    /// A shoot-out stated with it, as written ("3-2").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub penalties: Option<String>,
    /// Played to extra time ("after extra time", "aet").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub extra_time: bool,
}

static SCORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{1,2}) ?[-–] ?(\d{1,2})").expect("score pattern is valid"));
/// A draw without goals, in words: 0-0. Each phrase as it is written in running text, at the
/// start of a sentence, in a headline and in capitals: case-sensitive patterns keep the
/// automaton's SIMD prefilter, which a case-insensitive search loses (on most sentences this
/// search is all the fact reader does).
static GOALLESS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let phrases = ["goalless draw", "scoreless draw", "goalless stalemate"];
    let capitalised = |w: &str| w[..1].to_uppercase() + &w[1..];
    let forms: Vec<String> = phrases
        .iter()
        .flat_map(|p| {
            let first = capitalised(p);
            let title = p.split(' ').map(capitalised).collect::<Vec<_>>().join(" ");
            [p.to_string(), first, title, p.to_uppercase()]
        })
        .collect();
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(forms)
        .expect("built-in phrases build")
});
static AGGREGATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{1,2}) ?[-–] ?(\d{1,2}) (?:on aggregate|agg)")
        .expect("aggregate pattern is valid")
});
static PENALTIES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\d{1,2}) ?[-–] ?(\d{1,2}) (?:on penalties|on pens|in the (?:penalty )?shoot-?out)",
    )
    .expect("penalties pattern is valid")
});
static LINE_SCORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d{1,2})\s*,?\s*$").expect("line-score pattern is valid"));

static NOT_RESULT_BEFORE: Lexicon = Lexicon::new(&[
    "lead",
    "led",
    "leading",
    "aggregate",
    "penalties",
    "pens",
    "shootout",
    "shoot",
    "would",
    "could",
    "if",
    "odds",
    "formation",
    "record",
    "predict",
    "predicted",
    "prediction",
    "tip",
    "scoreline",
    "ahead",
    "up",
]);
static NOT_RESULT_AFTER: Lexicon = Lexicon::new(&[
    "lead",
    "aggregate",
    "on",
    "penalties",
    "pens",
    "shootout",
    "shoot",
    "formation",
    "advantage",
    "up",
    "in",
    "at",
    "half",
]);
static WIN: Lexicon = Lexicon::new(&[
    "won",
    "win",
    "wins",
    "winning",
    "beat",
    "beats",
    "beating",
    "victory",
    "victories",
    "triumph",
    "thrashed",
    "thrashing",
    "hammered",
    "hammering",
    "defeated",
    "defeating",
    "routed",
    "rout",
    "crushed",
    "swept",
    "downed",
    "edged",
    "overcame",
    "thumped",
    "battered",
    "stunned",
]);
static LOSS: Lexicon = Lexicon::new(&[
    "lost",
    "lose",
    "losing",
    "loss",
    "losses",
    "defeat",
    "defeats",
    "beaten",
    "fell",
    "falling",
    "deficit",
    "humbled",
    "succumbed",
    "crashed",
    "slumped",
    "suffered",
    "endured",
]);
static DRAW: Lexicon = Lexicon::new(&[
    "drew",
    "draw",
    "drawn",
    "held",
    "draws",
    "stalemate",
    "level",
]);

/// Find results in `text` (title, blank line, body) given the article's tags.
pub fn facts(text: &str, tags: &[Tag]) -> Vec<Fact> {
    let mut teams: Vec<(usize, usize, &Tag)> = tags
        .iter()
        .filter(|t| t.role == Role::Club)
        .flat_map(|t| t.mentions.iter().map(move |&(s, e)| (s, e, t)))
        .collect();
    teams.sort_by_key(|&(s, _, _)| s);
    // "the Republic of Ireland international": a nationality, not a side.
    teams.retain(|&(_, e, _)| {
        !words_after(text, e, 1).first().is_some_and(|w| {
            matches!(
                w.as_str(),
                "international" | "internationals" | "born" | "native"
            )
        })
    });
    // The article's two most-mentioned clubs: the teams of a score with one team named.
    let mut by_count: Vec<&Tag> = tags.iter().filter(|t| t.role == Role::Club).collect();
    by_count.sort_by_key(|t| std::cmp::Reverse(t.mentions.len()));
    let comps: Vec<(usize, usize, &Tag)> = tags
        .iter()
        .filter(|t| t.role == Role::Competition)
        .flat_map(|t| t.mentions.iter().map(move |&(s, e)| (s, e, t)))
        .collect();

    let mut out: Vec<Fact> = Vec::new();
    for (ss, se) in sentences(text) {
        let sentence = &text[ss..se];
        // Most sentences hold no score (the patterns need ASCII digits, which is all `parse`
        // reads) and no goalless draw: they are passed over at the cost of two scans.
        let digits = sentence.bytes().any(|b| b.is_ascii_digit());
        let goalless = GOALLESS.find(sentence);
        if !digits && goalless.is_none() {
            continue;
        }
        // `teams` is sorted by start: a binary search keeps long articles linear.
        let first = teams.partition_point(|&(s, _, _)| s < ss);
        let in_sentence: Vec<(usize, usize, &Tag)> = teams[first..]
            .iter()
            .copied()
            .take_while(|&(s, _, _)| s <= se)
            .filter(|&(_, e, _)| e <= se)
            .collect();
        // "Liverpool 4 Barcelona 0": a result line.
        if let Some(f) = digits.then(|| result_line(text, &in_sentence)).flatten() {
            push(&mut out, f, &comps, ss, se, sentence);
            continue;
        }
        let first_here = out.len();
        // "a goalless draw with X": 0-0.
        if let Some(m) = goalless {
            let i = m.start();
            let (s, e) = (ss + i, ss + i + "goalless".len());
            let before = words_before(&text[ss..], i, 4);
            if let Some(f) = orient(&text[..se], s, e, 0, 0, &in_sentence, &by_count, &before) {
                push(&mut out, f, &comps, ss, se, sentence);
            }
        }
        for m in digits
            .then(|| SCORE.captures_iter(sentence))
            .into_iter()
            .flatten()
        {
            let (Some(all), Some(a), Some(b)) = (m.get(0), m.get(1), m.get(2)) else {
                continue;
            };
            let (s, e) = (ss + all.start(), ss + all.end());
            let before_char = text[..s].chars().next_back();
            let after_char = text[e..].chars().next();
            if before_char.is_some_and(|c| {
                c.is_ascii_digit() || matches!(c, '-' | '–' | '.' | ':' | '/' | ',')
            }) || after_char.is_some_and(|c| {
                c.is_ascii_digit() || matches!(c, '-' | '–' | '.' | ':' | '/' | '%')
            }) && !after_char
                .is_some_and(|c| c == '.' && text[e + 1..].starts_with([' ', '\n']))
            {
                continue;
            }
            let (Ok(a), Ok(b)) = (a.as_str().parse::<u32>(), b.as_str().parse::<u32>()) else {
                continue;
            };
            if a > 15 || b > 15 {
                continue;
            }
            // Words around the score, within its sentence.
            let before = words_before(&text[ss..], s - ss, 4);
            let wider = words_before(text, s, 10);
            if wider.iter().any(|w| {
                matches!(
                    w.as_str(),
                    "shootout" | "penalties" | "penalty" | "aggregate"
                )
            }) && !wider
                .iter()
                .take(3)
                .any(|w| WIN.contains(w.as_str()) || LOSS.contains(w.as_str()))
            {
                continue;
            }
            let after = words_after(&text[..se], e, 2);
            if before
                .iter()
                .take(2)
                .any(|w| NOT_RESULT_BEFORE.contains(w.as_str()))
                || after.first().is_some_and(|w| {
                    NOT_RESULT_AFTER.contains(w.as_str()) && w != "at" && w != "in" && w != "on"
                })
                || (after.first().is_some_and(|w| w == "on")
                    && after
                        .get(1)
                        .is_some_and(|w| w == "aggregate" || w == "penalties"))
                || (after.first().is_some_and(|w| w == "in")
                    && after.get(1).is_some_and(|w| w == "the" || w == "a"))
                    && before.iter().any(|w| w == "record")
            {
                continue;
            }
            let Some(f) = orient(&text[..se], s, e, a, b, &in_sentence, &by_count, &before) else {
                continue;
            };
            // "3-0 losses against Liverpool and Tottenham": the same result against each.
            let listed: Vec<&Tag> = in_sentence
                .windows(2)
                .filter(|w| w[0].2.id == f.away_id && w[0].0 >= e)
                .filter(|w| matches!(text[w[0].1..w[1].0].trim(), "and" | "," | "&"))
                .map(|w| w[1].2)
                .filter(|t| t.id != f.home_id)
                .collect();
            for t in listed {
                let mut g = f.clone();
                g.away = t.name.clone();
                g.away_id = t.id.clone();
                push(&mut out, g, &comps, ss, se, sentence);
            }
            push(&mut out, f, &comps, ss, se, sentence);
        }
        if out.len() == first_here {
            continue;
        }
        // What the sentence says about how the match ended, for the results read from it.
        let lower = sentence.to_lowercase();
        let agg = AGGREGATE
            .captures(sentence)
            .map(|c| format!("{}-{}", &c[1], &c[2]));
        let pens = PENALTIES
            .captures(sentence)
            .map(|c| format!("{}-{}", &c[1], &c[2]));
        let aet = lower.contains("after extra time")
            || lower
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == "aet");
        for f in &mut out[first_here..] {
            f.aggregate.clone_from(&agg);
            f.penalties.clone_from(&pens);
            f.extra_time = aet;
        }
    }
    out
}

fn push(
    out: &mut Vec<Fact>,
    mut f: Fact,
    comps: &[(usize, usize, &Tag)],
    ss: usize,
    se: usize,
    sentence: &str,
) {
    f.competition = comps
        .iter()
        .find(|&&(s, e, _)| s >= ss && e <= se)
        .map(|(_, _, t)| t.name.clone());
    let trimmed = sentence.trim();
    f.evidence_start = ss + (sentence.len() - sentence.trim_start().len());
    f.evidence = trimmed.to_string();
    let same = |g: &Fact| {
        (g.home_id == f.home_id
            && g.away_id == f.away_id
            && g.home_score == f.home_score
            && g.away_score == f.away_score)
            || (g.home_id == f.away_id
                && g.away_id == f.home_id
                && g.home_score == f.away_score
                && g.away_score == f.home_score)
    };
    if !out.iter().any(same) {
        out.push(f);
    }
}

/// `Team 4 Team 0` (numbers right after each team).
fn result_line(text: &str, teams: &[(usize, usize, &Tag)]) -> Option<Fact> {
    for w in teams.windows(2) {
        let (s1, e1, t1) = w[0];
        let (s2, e2, t2) = w[1];
        if t1.id == t2.id {
            continue;
        }
        let c1 = LINE_SCORE.captures(&text[e1..s2])?;
        let tail_end = text[e2..]
            .find(|c: char| !(c.is_ascii_digit() || c == ' '))
            .map_or(text.len(), |i| e2 + i);
        let c2 = LINE_SCORE.captures(&text[e2..tail_end])?;
        let a: u32 = c1.get(1)?.as_str().parse().ok()?;
        let b: u32 = c2.get(1)?.as_str().parse().ok()?;
        return Some(fact(t1, t2, a, b, s1, tail_end, 0.9));
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn orient(
    text: &str,
    s: usize,
    e: usize,
    a: u32,
    b: u32,
    teams: &[(usize, usize, &Tag)],
    by_count: &[&Tag],
    before: &[Word<'_>],
) -> Option<Fact> {
    // "Bayern Munich 3-1 Arsenal": a team right before and right after the score.
    let right_before = teams
        .iter()
        .rev()
        .find(|&&(_, te, _)| te <= s && text[te..s].trim().len() <= 1);
    let right_after = teams
        .iter()
        .find(|&&(ts, _, _)| ts >= e && text[e..ts].trim().is_empty());
    if let (Some(&(_, _, t1)), Some(&(_, _, t2))) = (right_before, right_after) {
        if t1.id != t2.id {
            return Some(fact(t1, t2, a, b, s, e, 0.9));
        }
    }
    // "drew 1-1 with Hull", where Hull is not a known team: the other side is unknown, not
    // the article's main team.
    let next = words_after(text, e, 1);
    if next.first().is_some_and(|w| {
        matches!(
            w.as_str(),
            "with" | "against" | "over" | "to" | "v" | "vs" | "by"
        )
    }) {
        let rest = text[e..].trim_start();
        let after_prep = rest
            .split_once(char::is_whitespace)
            .map_or("", |x| x.1)
            .trim_start();
        let at = text.len() - after_prep.len();
        let named = after_prep.chars().next().is_some_and(char::is_uppercase);
        if named && !teams.iter().any(|&(ts, _, _)| ts == at) {
            return None;
        }
    }
    let before_teams: Vec<&(usize, usize, &Tag)> =
        teams.iter().filter(|&&(_, te, _)| te <= s).collect();
    let after_team = teams
        .iter()
        .find(|&&(ts, _, _)| ts >= e)
        .map(|&(_, _, t)| t);
    let is_verb = |w: &str| WIN.contains(w) || LOSS.contains(w) || DRAW.contains(w) || w == "who";
    // A team after a preposition ("victory over Liverpool", "tie with Liverpool") is an
    // object, not the sentence's subject.
    let is_object = |ts: usize| {
        words_before(text, ts, 1).first().is_some_and(|w| {
            matches!(
                w.as_str(),
                "over" | "against" | "to" | "with" | "at" | "v" | "vs" | "by" | "beat" | "beating"
            )
        })
    };
    let (subject, other) = match before_teams.last() {
        Some(&&(ns, ne, nearest)) => {
            let gap = super::fold::fold(&text[ne..s]);
            let gap_words: Vec<&str> = gap.split(' ').filter(|w| !w.is_empty()).collect();
            // "Tottenham's 3-1 win": a possessive is the subject.
            let possessive = gap_words.first() == Some(&"s");
            let object = !possessive
                && ((!gap_words.iter().any(|w| is_verb(w)) && gap_words.len() <= 2)
                    || is_object(ns));
            if object && before_teams.len() >= 2 {
                // "Real beat Borussia Dortmund 2-0": the team right before the score is the
                // object; the subject comes before it.
                let subject = before_teams
                    .iter()
                    .rev()
                    .map(|x| x.2)
                    .find(|t| t.id != nearest.id);
                (subject, Some(nearest))
            } else if object && is_object(ns) {
                (None, Some(nearest))
            } else {
                (Some(nearest), after_team.filter(|t| t.id != nearest.id))
            }
        }
        // "Trailing 3-0 after the first leg, Liverpool won ...": the subject follows.
        None if !before.is_empty()
            && before.len() <= 2
            && before
                .iter()
                .all(|w| LOSS.contains(w.as_str()) || WIN.contains(w.as_str())) =>
        {
            (after_team, None)
        }
        None => (None, after_team),
    };
    // A side the sentence does not name: the article's main other team.
    let (subject, other) = match (subject, other) {
        (Some(s), Some(o)) => (s, o),
        (Some(s), None) => {
            let in_sentence = teams.iter().rev().map(|x| x.2).find(|t| t.id != s.id);
            (
                s,
                in_sentence.or_else(|| by_count.iter().take(2).find(|t| t.id != s.id).copied())?,
            )
        }
        (None, Some(o)) => (*by_count.iter().take(2).find(|t| t.id != o.id)?, o),
        (None, None) => return None,
    };
    // Keywords near the score: up to four words before and after (not past a team).
    let after_words = words_after(text, e, 4);
    let near: Vec<&str> = before
        .iter()
        .take(4)
        .map(Word::as_str)
        .chain(after_words.iter().map(Word::as_str))
        .collect();
    let passive = before
        .iter()
        .take(3)
        .any(|w| matches!(w.as_str(), "were" | "was" | "been" | "being"));
    let has = |list: &Lexicon| near.iter().any(|w| list.contains(w));
    let (hi, lo) = (a.max(b), a.min(b));
    let (sa, oa) = if a == b || has(&DRAW) {
        (a, b)
    } else if has(&LOSS) && !has(&WIN) || (passive && has(&WIN)) {
        (lo, hi)
    } else if has(&WIN) {
        (hi, lo)
    } else {
        (a, b)
    };
    let confidence = if teams.iter().any(|&(_, _, t)| t.id == other.id) {
        0.7
    } else {
        0.4
    };
    Some(fact(subject, other, sa, oa, s, e, confidence))
}

fn fact(t1: &Tag, t2: &Tag, a: u32, b: u32, s: usize, e: usize, confidence: f32) -> Fact {
    Fact {
        home: t1.name.clone(),
        home_id: t1.id.clone(),
        away: t2.name.clone(),
        away_id: t2.id.clone(),
        home_score: a,
        away_score: b,
        competition: None,
        evidence: String::new(),
        evidence_start: 0,
        start: s,
        end: e,
        confidence,
        stage: None,
        venue: None,
        scorers: Vec::new(),
        date: None,
        aggregate: None,
        penalties: None,
        extra_time: false,
    }
}

/// Sentence byte ranges: split at . ! ? followed by a space or line end, and at newlines.
pub(crate) fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    // Every place a sentence can end, in order: SIMD searches instead of a test of each byte.
    let mut ends: Vec<usize> = memchr::memchr3_iter(b'\n', b'.', b'?', bytes).collect();
    let exclamations = memchr::memchr_iter(b'!', bytes);
    let plain = ends.len();
    ends.extend(exclamations);
    if ends.len() > plain {
        ends.sort_unstable();
    }
    for i in ends {
        let c = bytes[i];
        let end_here = c == b'\n'
            || (matches!(c, b'.' | b'!' | b'?')
                && bytes.get(i + 1).is_none_or(|n| *n == b' ' || *n == b'\n')
                && !(i > 0
                    && bytes[i - 1].is_ascii_digit()
                    && bytes.get(i + 2).is_some_and(u8::is_ascii_digit)));
        if end_here {
            if i > start {
                out.push((start, i + 1));
            }
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_start_locates_the_sentence_of_its_score() {
        let text = "Title\n\nArsenal drew with Chelsea.   Later Arsenal beat Chelsea 2-1 at home.";
        let tags: Vec<Tag> = ["Arsenal", "Chelsea"]
            .iter()
            .map(|c| club(c, text))
            .collect();
        let found = facts(text, &tags);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(f.evidence, "Later Arsenal beat Chelsea 2-1 at home.");
        let at = f.evidence_start;
        assert_eq!(&text[at..at + f.evidence.len()], f.evidence);
        assert!(at <= f.start && f.end <= at + f.evidence.len());
    }

    fn club(name: &str, text: &str) -> Tag {
        Tag {
            id: crate::kb::slug(name),
            name: name.into(),
            entity: None,
            role: Role::Club,
            mentions: text
                .match_indices(name)
                .map(|(i, _)| (i, i + name.len()))
                .collect(),
        }
    }

    fn run(text: &str, clubs: &[&str]) -> Vec<(String, u32, String, u32)> {
        let tags: Vec<Tag> = clubs.iter().map(|c| club(c, text)).collect();
        facts(text, &tags)
            .into_iter()
            .map(|f| (f.home, f.home_score, f.away, f.away_score))
            .collect()
    }

    fn r(a: &str, x: u32, b: &str, y: u32) -> (String, u32, String, u32) {
        (a.into(), x, b.into(), y)
    }

    #[test]
    fn headline_and_result_line() {
        assert_eq!(
            run("Bayern Munich 3-1 Arsenal", &["Bayern Munich", "Arsenal"]),
            [r("Bayern Munich", 3, "Arsenal", 1)]
        );
        assert_eq!(
            run(
                "Liverpool 4 Barcelona 0: the night",
                &["Liverpool", "Barcelona"]
            ),
            [r("Liverpool", 4, "Barcelona", 0)]
        );
    }

    #[test]
    fn winners_and_losers() {
        assert_eq!(
            run(
                "Chelsea beat Arsenal 2-0 on Sunday.",
                &["Chelsea", "Arsenal"]
            ),
            [r("Chelsea", 2, "Arsenal", 0)]
        );
        assert_eq!(
            run("Everton lost 3-0 to Fulham.", &["Everton", "Fulham"]),
            [r("Everton", 0, "Fulham", 3)]
        );
        assert_eq!(
            run("Leeds drew 1-1 with Hull.", &["Leeds", "Hull"]),
            [r("Leeds", 1, "Hull", 1)]
        );
        assert_eq!(
            run(
                "Spurs suffered a 0-2 defeat against Wolves.",
                &["Spurs", "Wolves"]
            ),
            [r("Spurs", 0, "Wolves", 2)]
        );
    }

    #[test]
    fn not_results() {
        assert!(run(
            "Celtic had a 2-0 lead inside 20 minutes against Hibs.",
            &["Celtic", "Hibs"]
        )
        .is_empty());
        assert!(run(
            "Celtic won 5-4 on penalties against Hibs.",
            &["Celtic", "Hibs"]
        )
        .is_empty());
        assert!(run(
            "Celtic went through 4-3 on aggregate against Hibs.",
            &["Celtic", "Hibs"]
        )
        .is_empty());
        assert!(run("Celtic lined up 4-3-3 against Hibs.", &["Celtic", "Hibs"]).is_empty());
        assert!(run(
            "The 2023-24 season for Celtic and Hibs.",
            &["Celtic", "Hibs"]
        )
        .is_empty());
    }

    #[test]
    fn one_team_named_uses_the_article_teams() {
        let t = "Liverpool face Real Madrid. Liverpool need a comeback after the 5-2 deficit.";
        assert_eq!(
            run(t, &["Liverpool", "Real Madrid"]),
            [r("Liverpool", 2, "Real Madrid", 5)]
        );
    }

    #[test]
    fn results_against_listed_teams() {
        let t = "Leeds endured 3-0 losses against Hull and Derby at home.";
        let got = run(t, &["Leeds", "Hull", "Derby"]);
        assert!(got.contains(&r("Leeds", 0, "Hull", 3)), "{got:?}");
        assert!(got.contains(&r("Leeds", 0, "Derby", 3)), "{got:?}");
    }

    #[test]
    fn win_over_and_passive_defeats() {
        let t = "Leeds were the better side. Hull won the cup with a 2-0 win over Leeds.";
        assert_eq!(run(t, &["Leeds", "Hull"]), [r("Hull", 2, "Leeds", 0)]);
        let t = "Leeds were thumped 5-0 at Hull on Sunday.";
        assert_eq!(run(t, &["Leeds", "Hull"]), [r("Leeds", 0, "Hull", 5)]);
        let t = "Hull fans cheered as Derby, who beat them 2-0 in May, lost.";
        assert_eq!(run(t, &["Hull", "Derby"]), [r("Derby", 2, "Hull", 0)]);
    }

    #[test]
    fn nationality_descriptions_are_not_sides() {
        let t = "Leeds beat Hull 4-1 with the Wales international in goal.";
        assert_eq!(
            run(t, &["Leeds", "Hull", "Wales"]),
            [r("Leeds", 4, "Hull", 1)]
        );
    }

    #[test]
    fn subjects_objects_and_possessives() {
        let t = "Hull completed a 3-1 aggregate win. Hull beat Leeds on the night, a victory over Leeds 2-0 at home.";
        let got = run(t, &["Hull", "Leeds"]);
        assert!(got.contains(&r("Hull", 2, "Leeds", 0)), "{got:?}");
        let t = "Talking points from Hull’s 3-1 win vs Leeds";
        assert_eq!(run(t, &["Hull", "Leeds"]), [r("Hull", 3, "Leeds", 1)]);
        let t = "Leeds v Hull. Trailing 3-0 after the first leg, Hull won the return.";
        let got = run(t, &["Hull", "Leeds"]);
        assert!(
            got == [r("Hull", 0, "Leeds", 3)] || got == [r("Leeds", 3, "Hull", 0)],
            "{got:?}"
        );
    }

    #[test]
    fn goalless_draws_aggregates_and_shootouts() {
        let t = "Leeds played out a goalless draw with Hull on Saturday.";
        assert_eq!(run(t, &["Leeds", "Hull"]), [r("Leeds", 0, "Hull", 0)]);
        let t = "Leeds drew 1-1 with Hull after extra time and won 4-3 on penalties to go through 3-2 on aggregate.";
        let tags: Vec<Tag> = ["Leeds", "Hull"].iter().map(|c| club(c, t)).collect();
        let f = facts(t, &tags);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!((f[0].home_score, f[0].away_score), (1, 1));
        assert_eq!(f[0].penalties.as_deref(), Some("4-3"));
        assert_eq!(f[0].aggregate.as_deref(), Some("3-2"));
        assert!(f[0].extra_time);
    }
}
