//! What a report says about a match beyond the score: stage, venue, scorers and date.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use regex::Regex;

use super::entities::{Role, Tag};
use super::facts::Fact;
use super::fold::fold;

/// A goalscorer of a match.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Scorer {
    /// Canonical name.
    pub name: String,
    /// Goals ("a double" is 2, "a hat-trick" 3).
    pub goals: u32,
    /// Minutes when written ("45+2" as 45).
    pub minutes: Vec<u32>,
    /// A penalty among them.
    pub penalty: bool,
    /// An own goal.
    pub own_goal: bool,
}

// The word boundaries here are ASCII's (`(?-u:\b)`), as in `clean::LINE`: the words beside
// them are ASCII, and with Unicode boundaries the lazy DFA gives up on any sentence holding a
// non-ASCII character (a curly quote), leaving the search to a slower engine (callgrind,
// 1,500 articles: `enrich` 233 M instructions with them, 105 M without; same output).
static STAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(semi-?finals?|quarter-?finals?|last[- ](?:eight|8|16|sixteen|32)|round of (?:16|32)|group stage|group [a-h](?-u:\b)|first leg|second leg|final)(?-u:\b)")
        .expect("stage pattern is valid")
});
static MINUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\(?(\d{1,3})(?:\+\d{1,2})?(?:st|nd|rd|th)?(?:'| min(?:ute)?s?)?\)?")
        .expect("minute pattern is valid")
});
static AGO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2}) (year|season)s? ago(?-u:\b)",
    )
    .expect("ago pattern is valid")
});
static ON_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(?:on|last) (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?-u:\b)",
    )
    .expect("weekday pattern is valid")
});
static ABS_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})(?-u:\b)")
        .expect("date pattern is valid")
});

/// Fill in stage, venue, scorers and date for each fact from its sentence (and the next one
/// for scorers). `venues` are the stadium names the knowledge base knows, with their folded
/// forms; `published` is the
/// article's date, against which "on Wednesday" or "four years ago" are resolved.
pub fn enrich(
    facts: &mut [Fact],
    text: &str,
    tags: &[Tag],
    venues: &Venues,
    published: Option<NaiveDate>,
) {
    let sentences = super::facts::sentences(text);
    for f in facts.iter_mut() {
        let Some(i) = sentences
            .iter()
            .position(|&(s, e)| s <= f.start && f.end <= e)
        else {
            continue;
        };
        let (ss, se) = sentences[i];
        let sentence = &text[ss..se];
        f.stage = stage(sentence);
        f.venue = venue(sentence, venues);
        let window_end = sentences.get(i + 1).map_or(se, |n| n.1);
        f.scorers = scorers(text, ss, window_end, tags);
        f.date = date(sentence, published);
    }
}

fn stage(sentence: &str) -> Option<String> {
    let m = STAGE.find(sentence)?;
    let w = m
        .as_str()
        .to_lowercase()
        .replace("semifinal", "semi-final")
        .replace("quarterfinal", "quarter-final");
    Some(match w.as_str() {
        "last eight" | "last 8" | "last-eight" | "last-8" => "quarter-final".to_string(),
        "last 16" | "last-16" | "last sixteen" | "round of 16" => "last 16".to_string(),
        "semi-finals" => "semi-final".to_string(),
        "quarter-finals" => "quarter-final".to_string(),
        other => other.to_string(),
    })
}

fn venue(sentence: &str, venues: &Venues) -> Option<String> {
    let folded = fold(sentence);
    if !folded.contains("at ") {
        return None;
    }
    venues
        .folded
        .find_iter(&folded)
        .filter(|m| {
            // "at Anfield", "at the Santiago Bernabeu": whole words.
            let before = &folded[..m.start()];
            let intro = before
                .strip_suffix("at the ")
                .or_else(|| before.strip_suffix("at "));
            intro.is_some_and(|rest| rest.is_empty() || rest.ends_with(' '))
                && folded[m.end()..].chars().next().is_none_or(|c| c == ' ')
        })
        .map(|m| venues.names[m.pattern().as_usize()].clone())
        .next()
}

/// Stadium names, with one automaton over their folded forms, for [`enrich`].
pub struct Venues {
    names: Vec<String>,
    folded: AhoCorasick,
}

impl Venues {
    /// The stadiums among `names` (blank and very short names are left out).
    pub fn new(names: impl Iterator<Item = String>) -> Venues {
        let mut v: Vec<(String, String)> = names
            .filter(|n| n.len() > 3)
            .map(|n| {
                let f = fold(&n);
                (f, n)
            })
            .filter(|(f, _)| !f.is_empty())
            .collect();
        v.sort();
        v.dedup_by(|a, b| a.0 == b.0);
        let folded = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(v.iter().map(|(f, _)| f))
            .expect("stadium names build an automaton");
        Venues {
            names: v.into_iter().map(|(_, n)| n).collect(),
            folded,
        }
    }
}

/// Players named with scoring words in the window: "goals from X and Y", "a X double",
/// "X scored", "X's header", "(pen)", "(og)", minutes.
fn scorers(text: &str, ws: usize, we: usize, tags: &[Tag]) -> Vec<Scorer> {
    let mut out: Vec<Scorer> = Vec::new();
    let mut mentions: Vec<(usize, usize, &Tag)> = tags
        .iter()
        .filter(|t| t.role == Role::Player)
        .flat_map(|t| t.mentions.iter().map(move |&(s, e)| (s, e, t)))
        .filter(|&(s, e, _)| s >= ws && e <= we)
        .collect();
    mentions.sort_by_key(|m| m.0);
    let mut last_scorer_end: Option<usize> = None;
    for (s, e, t) in mentions {
        {
            let before = super::context::words_before(text, s, 3);
            let after = super::context::words_after(text, e, 3);
            let a = |i: usize| after.get(i).map(super::context::Word::as_str).unwrap_or("");
            let scored = matches!(a(0), "scored" | "netted" | "headed" | "struck" | "fired" | "converted" | "equalised" | "double" | "brace")
                || (a(0) == "s" && matches!(a(1), "header" | "goal" | "strike" | "penalty" | "volley" | "double" | "brace" | "finish" | "effort"))
                || before.iter().take(2).any(|w| w == "from") && before.iter().any(|w| matches!(w.as_str(), "goals" | "goal" | "strikes"))
                // "goals from X and Y": listed right after a scorer.
                || last_scorer_end.is_some_and(|le| le <= s && matches!(text[le..s].trim(), "and" | "," | "&"));
            if !scored {
                continue;
            }
            last_scorer_end = Some(e);
            let goals = if after.iter().any(|w| w == "double" || w == "brace") {
                2
            } else if after.iter().take(3).any(|w| w == "hat") {
                3
            } else {
                1
            };
            let mut tail_end = (e + 24).min(text.len());
            while !text.is_char_boundary(tail_end) {
                tail_end -= 1;
            }
            let tail = &text[e..tail_end];
            // "X (23, 45+2 pen)" or "X scored (23)": a bracket right after the name or verb.
            let bracket = tail.find('(').filter(|&i| i <= 12).map(|i| &tail[i..]);
            let minutes: Vec<u32> = if let Some(b) = bracket {
                MINUTE
                    .captures_iter(b.split(')').next().unwrap_or(""))
                    .filter_map(|c| c.get(1)?.as_str().parse().ok())
                    .filter(|m| *m <= 130)
                    .collect()
            } else {
                Vec::new()
            };
            let lower = bracket
                .map(|b| b.split(')').next().unwrap_or(""))
                .unwrap_or("")
                .to_lowercase();
            let scorer = Scorer {
                name: t.name.clone(),
                goals: goals.max(minutes.len() as u32),
                minutes,
                penalty: lower.contains("pen"),
                own_goal: lower.contains("og") || lower.contains("own goal"),
            };
            match out.iter_mut().find(|x| x.name == scorer.name) {
                Some(x) => x.goals = x.goals.max(scorer.goals),
                None => out.push(scorer),
            }
        }
    }
    out
}

/// The match date: written in full, or relative to the article's date.
fn date(sentence: &str, published: Option<NaiveDate>) -> Option<String> {
    if let Some(c) = ABS_DATE.captures(sentence) {
        let s = format!("{} {} {}", &c[1], &c[2], &c[3]);
        if let Ok(d) = NaiveDate::parse_from_str(&s, "%d %B %Y") {
            return Some(d.format("%Y-%m-%d").to_string());
        }
    }
    let published = published?;
    if let Some(c) = ON_DAY.captures(sentence) {
        let day: Weekday = c[1].parse().ok()?;
        // A report's "on Wednesday" is the last Wednesday on or before it was published.
        let back = (7 + published.weekday().num_days_from_monday() as i64
            - day.num_days_from_monday() as i64)
            % 7;
        return Some(
            (published - Duration::days(back))
                .format("%Y-%m-%d")
                .to_string(),
        );
    }
    let folded = fold(sentence);
    if folded.contains("last night") || folded.contains("yesterday") {
        return Some(
            (published - Duration::days(1))
                .format("%Y-%m-%d")
                .to_string(),
        );
    }
    if let Some(c) = AGO.captures(sentence) {
        let n = match c[1].to_lowercase().as_str() {
            "one" => 1,
            "two" => 2,
            "three" => 3,
            "four" => 4,
            "five" => 5,
            "six" => 6,
            "seven" => 7,
            "eight" => 8,
            "nine" => 9,
            "ten" => 10,
            other => other.parse().unwrap_or(0),
        };
        return Some((published.year() - n).to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn player(name: &str, text: &str) -> Tag {
        Tag {
            id: crate::kb::slug(name),
            name: name.into(),
            entity: None,
            role: Role::Player,
            mentions: text
                .match_indices(name)
                .map(|(i, _)| (i, i + name.len()))
                .collect(),
        }
    }

    #[test]
    fn stages() {
        assert_eq!(
            stage("the last eight of the Champions League").as_deref(),
            Some("quarter-final")
        );
        assert_eq!(
            stage("the first leg at Anfield").as_deref(),
            Some("first leg")
        );
        assert_eq!(stage("a last-16 exit").as_deref(), Some("last 16"));
        assert_eq!(stage("the semifinal").as_deref(), Some("semi-final"));
        assert_eq!(stage("a league game"), None);
    }

    #[test]
    fn venues() {
        let v = Venues::new(["Anfield".to_string(), "Santiago Bernabéu".to_string()].into_iter());
        assert_eq!(venue("won 4-0 at Anfield", &v).as_deref(), Some("Anfield"));
        assert_eq!(
            venue("lost at the Santiago Bernabeu", &v).as_deref(),
            Some("Santiago Bernabéu")
        );
        assert_eq!(venue("Anfield is red", &v), None);
        assert_eq!(venue("a flat Anfield crowd", &v), None);
        assert_eq!(venue("won at Anfields", &v), None);
    }

    #[test]
    fn scorers_with_counts_and_minutes() {
        let t = "Goals from Darwin Nunez and Mohamed Salah put them 2-0 up before a Vinicius Junior double levelled it.";
        let tags = [
            player("Darwin Nunez", t),
            player("Mohamed Salah", t),
            player("Vinicius Junior", t),
        ];
        let s = scorers(t, 0, t.len(), &tags);
        let names: Vec<(&str, u32)> = s.iter().map(|x| (x.name.as_str(), x.goals)).collect();
        assert_eq!(
            names,
            [
                ("Darwin Nunez", 1),
                ("Mohamed Salah", 1),
                ("Vinicius Junior", 2)
            ]
        );
        let t = "Harry Kane scored (23 pen) and Son added one.";
        let s = scorers(t, 0, t.len(), &[player("Harry Kane", t)]);
        assert_eq!((s[0].minutes.clone(), s[0].penalty), (vec![23], true));
    }

    #[test]
    fn scorer_tail_may_end_inside_a_multibyte_character() {
        // 24 bytes after the name end inside the curly apostrophe: no panic.
        let t = "Bobby Robson scored for them again in ’90 and again.";
        let s = scorers(t, 0, t.len(), &[player("Bobby Robson", t)]);
        assert_eq!(s.len(), 1);
        for pad in 0..8 {
            let t = format!("Bobby Robson scored{}’’’’’’’’’’’’’’’", "x".repeat(pad));
            scorers(&t, 0, t.len(), &[player("Bobby Robson", &t)]);
        }
    }

    #[test]
    fn dates_absolute_and_relative() {
        let p = NaiveDate::from_ymd_opt(2023, 3, 13); // a Monday
        assert_eq!(date("on Wednesday night", p).as_deref(), Some("2023-03-08"));
        assert_eq!(
            date("they won last night", p).as_deref(),
            Some("2023-03-12")
        );
        assert_eq!(
            date("the semi-final of four years ago", p).as_deref(),
            Some("2019")
        );
        assert_eq!(
            date("on 7 May 2019 at Anfield", None).as_deref(),
            Some("2019-05-07")
        );
        assert_eq!(date("on Wednesday", None), None);
    }
}
