//! The names a query may use for a known entity ("the Reds", "Nunez", "Vini Jr"), kept
//! beside the index in `aliases.tsv` by `add`: the knowledge base the articles were tagged
//! with, reduced to what a search needs. One sorted line per folded name, `name<TAB>token`,
//! where the token is the entity's term in the `entity` field (`club:liverpool`). Names that
//! could mean several entities are left out. Searching reads the file and looks names up by
//! binary search: no knowledge base is loaded, so a one-off search stays fast.

use std::collections::BTreeMap;
use std::path::Path;

use tantivy::directory::Directory;

use crate::extract::fold::fold;
use crate::kb::{Kb, Kind};

/// File name in the index directory.
pub const ALIASES_FILE: &str = "aliases.tsv";

/// Longest name looked up, in words.
pub const MAX_WORDS: usize = 5;

/// Shortest surname that stands for a person on its own.
const MIN_SURNAME_CHARS: usize = 4;

/// The `entity` token of a knowledge-base entry.
fn token(kind: Kind, id: &str) -> String {
    let role = match kind {
        Kind::Person => "person",
        Kind::Club | Kind::National => "club",
        Kind::Competition => "competition",
    };
    super::schema::entity_token(role, id)
}

/// The file's text for a knowledge base: canonical names, aliases and (for people) a surname
/// no one else has, each folded, with the one entity it names. A third column `weak` marks
/// names that only weak aliases give ("the Reds"): they widen a search but never replace it.
pub fn build(kb: &Kb) -> String {
    // folded name -> token -> strong?
    let mut names: BTreeMap<String, BTreeMap<String, bool>> = BTreeMap::new();
    let mut surnames: BTreeMap<String, BTreeMap<String, bool>> = BTreeMap::new();
    for e in &kb.entities {
        let t = token(e.kind, &e.id);
        let mut add = |name: &str, strong: bool| {
            let f = fold(name);
            if !f.is_empty() && f.split(' ').count() <= MAX_WORDS {
                let s = names
                    .entry(f)
                    .or_default()
                    .entry(t.clone())
                    .or_insert(false);
                *s |= strong;
            }
        };
        add(&e.name, true);
        for a in &e.aliases {
            add(&a.text, !a.weak);
        }
        if e.kind == Kind::Person {
            // "Alexander-Arnold" for Trent Alexander-Arnold: everything after the first name.
            if let Some((_, rest)) = fold(&e.name).split_once(' ') {
                if rest.chars().count() >= MIN_SURNAME_CHARS {
                    surnames
                        .entry(rest.to_string())
                        .or_default()
                        .insert(t.clone(), true);
                }
            }
        }
    }
    for (surname, tokens) in surnames {
        // A surname that is also another entity's name ("Sterling", a club) is left to it.
        names.entry(surname).or_insert(tokens);
    }
    let mut out = String::new();
    for (name, tokens) in names {
        if let (1, Some((t, strong))) = (tokens.len(), tokens.iter().next()) {
            out.push_str(&name);
            out.push('\t');
            out.push_str(t);
            out.push_str(if *strong { "\n" } else { "\tweak\n" });
        }
    }
    out
}

/// Write the file for `kb` into the index directory (atomically; untouched when unchanged).
pub fn write(dir: &Path, kb: &Kb) -> std::io::Result<()> {
    let text = build(kb);
    let path = dir.join(ALIASES_FILE);
    if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    let tmp = dir.join(format!("{ALIASES_FILE}.tmp"));
    std::fs::write(&tmp, text)?;
    std::fs::rename(tmp, path)
}

/// The names of an index, ready for lookups: the file's bytes, memory-mapped through the
/// index's directory and searched in place (no index of its lines is built, and a lookup reads
/// only the pages its binary search lands on, so a one-off search pays almost nothing for it).
#[derive(Debug)]
pub struct Aliases {
    bytes: tantivy::directory::OwnedBytes,
}

impl Default for Aliases {
    fn default() -> Aliases {
        Aliases::from_text(String::new())
    }
}

impl Aliases {
    /// Map the file in the index directory `dir`; an index without one (or unreadable) has
    /// no names. (Through a plain memory-mapped directory: the index's own managed directory
    /// expects tantivy's footer at the end of every file it opens.)
    pub fn load(dir: &Path) -> Aliases {
        tantivy::directory::MmapDirectory::open(dir)
            .ok()
            .and_then(|d| d.open_read(Path::new(ALIASES_FILE)).ok())
            .and_then(|slice| slice.read_bytes().ok())
            .map_or_else(Aliases::default, |bytes| Aliases { bytes })
    }

    /// From the file's text (sorted lines `name<TAB>token[<TAB>weak]`).
    pub fn from_text(text: String) -> Aliases {
        Aliases {
            bytes: tantivy::directory::OwnedBytes::new(text.into_bytes()),
        }
    }

    /// The line containing byte `at`: (its start, its end without the newline).
    fn line_at(&self, at: usize) -> (usize, usize) {
        let bytes = self.bytes.as_slice();
        let start = bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let end = bytes[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| at + i);
        (start, end)
    }

    /// The entity token of a folded name, if the name means exactly one entity, and whether
    /// the name is a strong one (a canonical name, a strong alias, a unique surname).
    pub fn lookup(&self, folded: &str) -> Option<(&str, bool)> {
        let bytes = self.bytes.as_slice();
        // Binary search over byte offsets: each probe reads the line around its midpoint.
        // Byte order is the order of the sorted names (UTF-8 keeps code point order).
        let (mut lo, mut hi) = (0, bytes.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let (start, end) = self.line_at(mid);
            let line = &bytes[start..end];
            let tab = line.iter().position(|&b| b == b'\t');
            let (name, rest) = match tab {
                Some(t) => (&line[..t], &line[t + 1..]),
                None => (line, &line[line.len()..]),
            };
            match name.cmp(folded.as_bytes()) {
                std::cmp::Ordering::Less => lo = end + 1,
                std::cmp::Ordering::Greater => hi = start,
                std::cmp::Ordering::Equal => {
                    // Only the line found is decoded; a damaged file finds nothing there.
                    let rest = std::str::from_utf8(rest).ok()?;
                    let (token, weak) = rest.split_once('\t').unwrap_or((rest, ""));
                    return Some((token, weak != "weak")).filter(|(t, _)| !t.is_empty());
                }
            }
        }
        None
    }

    /// True when there are no names.
    pub fn is_empty(&self) -> bool {
        self.bytes.as_slice().trim_ascii().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_aliases_and_unique_surnames_of_the_builtin_kb() {
        let a = Aliases::from_text(build(&Kb::builtin()));
        assert_eq!(a.lookup("liverpool"), Some(("club:liverpool", true)));
        assert_eq!(a.lookup("the reds"), Some(("club:liverpool", false)));
        assert_eq!(
            a.lookup("alexander arnold"),
            Some(("person:trent-alexander-arnold", true))
        );
        assert!(a.lookup("champions league").is_some());
        assert_eq!(a.lookup("no such club at all"), None);
        assert_eq!(a.lookup(""), None);
    }

    #[test]
    fn every_name_of_the_file_is_found_and_nothing_else() {
        let text = build(&Kb::builtin());
        let a = Aliases::from_text(text.clone());
        for line in text.lines() {
            let mut parts = line.split('\t');
            let (name, token) = (parts.next().unwrap(), parts.next().unwrap());
            assert_eq!(a.lookup(name).map(|(t, _)| t), Some(token), "{name}");
            // Between this name and the next: nothing.
            assert_eq!(a.lookup(&format!("{name} zzz")), None);
        }
        assert_eq!(a.lookup("0"), None);
        assert_eq!(a.lookup("zzzzzz"), None);
    }

    #[test]
    fn ambiguous_names_are_left_out() {
        let mut kb = Kb::default();
        kb.extend_from_str(
            "test",
            "[clubs]\nalpha-fc | Alpha FC | Alpha, The Stars | ENG | | club\nbeta-fc | Beta FC | Beta, The Stars | ENG | | club\n",
        )
        .unwrap();
        let a = Aliases::from_text(build(&kb));
        assert_eq!(a.lookup("alpha"), Some(("club:alpha-fc", true)));
        assert_eq!(a.lookup("the stars"), None);
    }
}
