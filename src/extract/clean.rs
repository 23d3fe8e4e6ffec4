//! Boilerplate removal: lines that belong to the page, not the article (READ MORE links,
//! related-headline lists, newsletter and share prompts, bylines of photo agencies).

use std::sync::LazyLock;

use regex::{Regex, RegexSet};

/// A line that is boilerplate on its own. The word boundary after a prompt's first words is
/// ASCII's (`(?-u:\b)`; those words are ASCII): with a Unicode one, the lazy DFA gives up
/// on lines holding a non-ASCII character and a slower engine runs the whole set (callgrind,
/// 1,500 articles: 26 M instructions in the set instead of 69 M; same output).
static LINE: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new([
        r"(?i)^(read more|read next|more|related|see also|also read|watch|listen|click here|recommended|trending)\s*[:|>»-]",
        r"(?i)^(advertisement|advert|sponsored|article (body|summary|top media content)|go deeper|more trending|latest headlines|comments?|add your comments|share( this( article| story)?)?|published|updated|issued on:?( modified:?)?|image source.*|image caption.*|getty images|copyright.*|©.*|-|_+|•)$",
        r"(?i)^(follow|sign up|subscribe|join|register|log ?in|download|get (your|the)|want to add)(?-u:\b).{0,120}(newsletter|sign[- ]?up|subscribe|twitter|facebook|instagram|whatsapp|app|notifications|here|now|more)\W*$",
        r"(?i)^(you are now subscribed|your newsletter sign-up was successful|for more stories like this|or signup to continue reading|subscribe now)",
        r"(?i)^-\s*(published|comments|updated)$",
        r"(?i)^\(?(top )?(photos?|images?|picture)s?:.{0,60}\)?$",
    ])
    .expect("boilerplate patterns are valid")
});

/// A line that starts a list of related headlines: it and the short lines after it go.
static LIST_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(read next|more on this story|related (stories|articles|content|topics|links)|you may also like|most read|more from|more stories|top stories|trending now|latest news|recommended for you|also on|more trending|latest headlines)\W*$")
        .expect("list-head pattern is valid")
});

/// The cleaned text and how many lines were dropped.
#[derive(Debug, PartialEq, Eq)]
pub struct Cleaned {
    /// Body without boilerplate lines.
    pub text: String,
    /// Lines dropped.
    pub dropped: usize,
}

/// Remove boilerplate lines; paragraphs keep their line breaks. Blank runs (left behind by
/// the dropped lines, or in the input) become one blank line, and the text is trimmed.
pub fn clean(body: &str) -> Cleaned {
    let mut text = String::with_capacity(body.len());
    let mut dropped = 0;
    let mut in_list = false;
    // Blank lines since the last line kept: only the first is written.
    let mut blank = 0;
    for line in body.lines() {
        let t = line.trim();
        if t.is_empty() {
            in_list = false;
            blank += 1;
            if blank == 1 {
                text.push('\n');
            }
            continue;
        }
        if in_list && is_list_item(t) {
            dropped += 1;
            continue;
        }
        in_list = false;
        if LIST_HEAD.is_match(t) {
            in_list = true;
            dropped += 1;
            continue;
        }
        if t.len() < 200 && LINE.is_match(t) {
            dropped += 1;
            continue;
        }
        blank = 0;
        text.push_str(line.trim_end());
        text.push('\n');
    }
    // Trimmed in place: no second copy of the body.
    text.truncate(text.trim_end().len());
    let leading = text.len() - text.trim_start().len();
    text.drain(..leading);
    Cleaned { text, dropped }
}

/// A headline in a related list: a bullet, or a short line that is not a sentence.
fn is_list_item(t: &str) -> bool {
    t.starts_with(['-', '•', '*', '–'])
        || (t.len() < 160 && !t.ends_with(['.', '"', '”', ':']) && !t.contains(". "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_more_lines_go() {
        let c = clean("Para one.\nREAD MORE: Liverpool news headline\nPara two.");
        assert_eq!(c.text, "Para one.\nPara two.");
        assert_eq!(c.dropped, 1);
    }

    #[test]
    fn read_next_list_goes() {
        let c = clean("Para one.\nREAD NEXT\n- Headline one\n- Headline two\n");
        assert_eq!(c.text, "Para one.");
        assert_eq!(c.dropped, 3);
    }

    #[test]
    fn list_ends_at_a_sentence() {
        let c = clean("Most read\nSome headline\nThe match ended 2-1. It was close.");
        assert_eq!(c.text, "The match ended 2-1. It was close.");
    }

    #[test]
    fn prompts_and_markers_go() {
        for line in [
            "Advertisement",
            "- Published",
            "Follow Metro Sport for the latest news on Facebook, Twitter and Instagram.",
            "You are now subscribed",
            "Sign up to our newsletter here",
            "(Top photos: Getty Images)",
            "© 2023 AFP",
        ] {
            assert_eq!(clean(&format!("Keep.\n{line}")).text, "Keep.", "{line}");
        }
    }

    #[test]
    fn ordinary_sentences_stay() {
        let text = "More than 50,000 fans were there.\nFollow the ball, he said, and you will score.\nJoin the club: Salah scored his 200th goal.";
        assert_eq!(clean(text).text, text);
    }
}
