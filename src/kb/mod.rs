//! The football knowledge base: clubs, national teams, competitions and people, compiled into
//! the binary from the readable files in `kb/`, extended by the user's own files.
//!
//! Format (see `kb/README.md`): one entry per line, fields separated by `|`, lists by `,`,
//! `#` comments; an alias starting with `~` is weak (needs confirmation from context).

pub mod import;

use std::collections::HashMap;
use std::path::Path;

use crate::extract::fold::fold;

/// The knowledge-base file kept with an index (written by `newsidx kb import`).
pub const INDEX_KB_FILE: &str = "kb.txt";

/// What kind of thing an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A club (men's, women's and youth sides are one club).
    Club,
    /// A national team.
    National,
    /// A league, cup or tournament.
    Competition,
    /// A player or manager (which one depends on the date and the wording).
    Person,
}

/// A period in a role (`player:-2016`, `manager:2019-`); open ends are `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleSpan {
    /// True for manager/coach, false for player.
    pub manager: bool,
    /// First year.
    pub from: Option<i32>,
    /// Last year.
    pub to: Option<i32>,
}

/// A name an entity goes by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// As written in the knowledge base.
    pub text: String,
    /// Weak: counts only when the context confirms it.
    pub weak: bool,
}

/// One knowledge-base entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// Stable slug (facet path component).
    pub id: String,
    /// Kind.
    pub kind: Kind,
    /// Canonical display name.
    pub name: String,
    /// Other names.
    pub aliases: Vec<Alias>,
    /// People: their roles over time.
    pub roles: Vec<RoleSpan>,
    /// People: club ids they are known with, most relevant first.
    pub clubs: Vec<String>,
    /// FIFA country code.
    pub country: String,
    /// Clubs and national teams: home ground.
    pub stadium: String,
    /// Competitions: league, cup, continental...
    pub class: String,
    /// People: the years the file they come from covers (`@era 1995-2014`), a hint to the
    /// period of undated articles that mention them.
    pub era: Option<(i32, i32)>,
}

impl Entity {
    /// True when, at `year` (or in general when unknown), the person is best described as a
    /// manager.
    pub fn is_manager_at(&self, year: Option<i32>) -> bool {
        if self.roles.is_empty() {
            return false;
        }
        if let Some(y) = year {
            let active: Vec<&RoleSpan> = self
                .roles
                .iter()
                .filter(|r| r.from.is_none_or(|f| f <= y) && r.to.is_none_or(|t| t >= y))
                .collect();
            if !active.is_empty() {
                // Player-managers count as managers.
                return active.iter().any(|r| r.manager);
            }
            // Outside every span: the nearest span in time decides.
            return self
                .roles
                .iter()
                .min_by_key(|r| {
                    let f = r.from.unwrap_or(i32::MIN / 2);
                    let t = r.to.unwrap_or(i32::MAX / 2);
                    if y < f {
                        f - y
                    } else {
                        y - t
                    }
                })
                .is_some_and(|r| r.manager);
        }
        // No date: the most recent role.
        self.roles
            .iter()
            .max_by_key(|r| (r.to.unwrap_or(i32::MAX), r.from.unwrap_or(i32::MIN)))
            .is_some_and(|r| r.manager)
    }

    /// True when the person ever played.
    pub fn ever_player(&self) -> bool {
        self.roles.iter().any(|r| !r.manager)
    }

    /// True when the person ever managed.
    pub fn ever_manager(&self) -> bool {
        self.roles.iter().any(|r| r.manager)
    }
}

/// A knowledge-base file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct KbError {
    /// File name.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// The knowledge base.
#[derive(Debug, Clone, Default)]
pub struct Kb {
    /// All entities.
    pub entities: Vec<Entity>,
    /// Changes whenever any knowledge-base text loaded into it changes: articles tagged with
    /// another knowledge base are re-tagged by `add`.
    pub fingerprint: u64,
    /// Entity index by kind (as merged: clubs and national teams are one kind) and id; looked
    /// up by `&str`, without building a key (tagging asks for teams tens of times an article).
    by_id: HashMap<Kind, HashMap<String, usize>>,
}

const CLUBS: &str = include_str!("../../kb/clubs.txt");
const COMPETITIONS: &str = include_str!("../../kb/competitions.txt");
const PEOPLE_CLASSIC: &str = include_str!("../../kb/people-classic.txt");
const PEOPLE_MODERN: &str = include_str!("../../kb/people-modern.txt");

impl Kb {
    /// The knowledge base compiled into the binary.
    pub fn builtin() -> Kb {
        let mut kb = Kb::default();
        for (name, text, section) in [
            ("kb/clubs.txt", CLUBS, Section::Clubs),
            ("kb/competitions.txt", COMPETITIONS, Section::Competitions),
            ("kb/people-classic.txt", PEOPLE_CLASSIC, Section::People),
            ("kb/people-modern.txt", PEOPLE_MODERN, Section::People),
        ] {
            // The built-in files are tested; an error here is a build defect, skipped loudly
            // in debug builds rather than crashing users.
            if let Err(e) = kb.load_section(name, text, section) {
                debug_assert!(false, "built-in knowledge base: {e}");
            }
        }
        kb
    }

    /// Add or override entries from a user file. Sections start with `[clubs]`,
    /// `[competitions]` or `[people]` lines; without one, the file is people.
    pub fn extend_from_file(&mut self, path: &Path) -> Result<(), KbError> {
        let text = std::fs::read_to_string(path).map_err(|e| KbError {
            file: path.display().to_string(),
            line: 0,
            message: format!("cannot read: {e}"),
        })?;
        self.extend_from_str(&path.display().to_string(), &text)
    }

    /// Like [`Kb::extend_from_file`], from text.
    pub fn extend_from_str(&mut self, file: &str, text: &str) -> Result<(), KbError> {
        let mut section = Section::People;
        let mut chunk = String::new();
        let mut chunk_start = 0usize;
        let flush = |kb: &mut Kb, section: Section, chunk: &mut String, start: usize| {
            let r = kb.load_section_at(file, chunk, section, start);
            chunk.clear();
            r
        };
        for (i, line) in text.lines().enumerate() {
            let t = line.trim();
            let header = match t.to_ascii_lowercase().as_str() {
                "[clubs]" => Some(Section::Clubs),
                "[competitions]" => Some(Section::Competitions),
                "[people]" => Some(Section::People),
                _ => None,
            };
            if let Some(s) = header {
                flush(self, section, &mut chunk, chunk_start)?;
                section = s;
                chunk_start = i + 1;
                continue;
            }
            chunk.push_str(line);
            chunk.push('\n');
        }
        flush(self, section, &mut chunk, chunk_start)
    }

    fn load_section(&mut self, file: &str, text: &str, section: Section) -> Result<(), KbError> {
        self.load_section_at(file, text, section, 0)
    }

    fn load_section_at(
        &mut self,
        file: &str,
        text: &str,
        section: Section,
        line_offset: usize,
    ) -> Result<(), KbError> {
        self.fingerprint = crate::index::schema::hash64(&[&self.fingerprint.to_string(), text]);
        let mut era: Option<(i32, i32)> = None;
        for (i, line) in text.lines().enumerate() {
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let err = |message: String| KbError {
                file: file.to_string(),
                line: line_offset + i + 1,
                message,
            };
            if let Some(rest) = t.strip_prefix("@era") {
                era = parse_era(rest.trim()).map(Some).map_err(err)?;
                continue;
            }
            let fields: Vec<&str> = t.split('|').map(str::trim).collect();
            let entity = match section {
                Section::Clubs => parse_club(&fields).map_err(err)?,
                Section::Competitions => parse_competition(&fields).map_err(err)?,
                Section::People => parse_person(&fields).map_err(err)?,
            };
            self.insert(Entity {
                era: if entity.kind == Kind::Person {
                    era
                } else {
                    None
                },
                ..entity
            });
        }
        Ok(())
    }

    /// Insert an entity; an existing one with the same kind and id is merged (the new
    /// entry's non-empty fields win; aliases and clubs are combined).
    pub fn insert(&mut self, e: Entity) {
        let kind = e.kind.merge_kind();
        match self.by_id.get(&kind).and_then(|ids| ids.get(&e.id)) {
            Some(&i) => {
                let old = &mut self.entities[i];
                for a in e.aliases {
                    if !old.aliases.iter().any(|o| fold(&o.text) == fold(&a.text)) {
                        old.aliases.push(a);
                    }
                }
                for c in e.clubs {
                    if !old.clubs.contains(&c) {
                        old.clubs.push(c);
                    }
                }
                if !e.roles.is_empty()
                    && (old.roles.is_empty()
                        || e.roles.iter().any(|r| r.from.is_some() || r.to.is_some()))
                {
                    old.roles = e.roles;
                }
                old.name = e.name;
                old.kind = e.kind;
                old.era = match (old.era, e.era) {
                    (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
                    (a, b) => a.or(b),
                };
                for (dst, src) in [
                    (&mut old.country, e.country),
                    (&mut old.stadium, e.stadium),
                    (&mut old.class, e.class),
                ] {
                    if !src.is_empty() {
                        *dst = src;
                    }
                }
            }
            None => {
                self.by_id
                    .entry(kind)
                    .or_default()
                    .insert(e.id.clone(), self.entities.len());
                self.entities.push(e);
            }
        }
    }

    /// The entity of this kind and id.
    pub fn get(&self, kind: Kind, id: &str) -> Option<&Entity> {
        self.by_id
            .get(&kind.merge_kind())
            .and_then(|ids| ids.get(id))
            .map(|&i| &self.entities[i])
    }

    /// Index of the club or national team with this id.
    pub fn team_index(&self, id: &str) -> Option<usize> {
        self.by_id
            .get(&Kind::Club)
            .and_then(|ids| ids.get(id))
            .copied()
    }

    /// Entities of the given kinds that go by `name` (canonical name, alias or id, folded).
    /// Strong names win over weak aliases; for people, a unique surname also matches.
    pub fn find(&self, name: &str, kinds: &[Kind]) -> Vec<usize> {
        let q = fold(name);
        if q.is_empty() {
            return Vec::new();
        }
        let slugged = slug(name);
        let mut strong = Vec::new();
        let mut weak = Vec::new();
        for (i, e) in self.entities.iter().enumerate() {
            if !kinds.contains(&e.kind) {
                continue;
            }
            if e.id == slugged || fold(&e.name) == q {
                strong.push(i);
                continue;
            }
            match e.aliases.iter().find(|a| fold(&a.text) == q) {
                Some(a) if !a.weak => strong.push(i),
                Some(_) => weak.push(i),
                None => {}
            }
        }
        if !strong.is_empty() {
            return strong;
        }
        if !weak.is_empty() {
            return weak;
        }
        // A surname alone ("Klopp") when only one person has it.
        self.entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == Kind::Person && kinds.contains(&Kind::Person))
            .filter(|(_, e)| fold(&e.name).rsplit(' ').next() == Some(q.as_str()))
            .map(|(i, _)| i)
            .collect()
    }

    /// Number of entities.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }
}

impl Kind {
    /// Clubs and national teams share one id space.
    fn merge_kind(self) -> Kind {
        match self {
            Kind::National => Kind::Club,
            k => k,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Section {
    Clubs,
    Competitions,
    People,
}

fn list(field: Option<&&str>) -> Vec<String> {
    field
        .map(|f| {
            f.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn aliases(field: Option<&&str>) -> Vec<Alias> {
    list(field)
        .into_iter()
        .map(|a| match a.strip_prefix('~') {
            Some(rest) => Alias {
                text: rest.trim().to_string(),
                weak: true,
            },
            None => Alias {
                text: a,
                weak: false,
            },
        })
        .filter(|a| !fold(&a.text).is_empty())
        .collect()
}

fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(format!(
            "id `{id}` must be a slug of lowercase letters, digits and `-` (e.g. `liverpool`)"
        ));
    }
    Ok(())
}

fn parse_club(f: &[&str]) -> Result<Entity, String> {
    if f.len() < 2 || f.len() > 6 {
        return Err(format!(
            "expected `id | name | aliases | country | stadium | kind` (2 to 6 fields), found {}",
            f.len()
        ));
    }
    check_id(f[0])?;
    if f[1].is_empty() {
        return Err("the name is empty".into());
    }
    let kind = match f.get(5).copied().unwrap_or("club") {
        "" | "club" => Kind::Club,
        "national" => Kind::National,
        other => return Err(format!("kind `{other}` must be `club` or `national`")),
    };
    Ok(Entity {
        id: f[0].to_string(),
        kind,
        name: f[1].to_string(),
        aliases: aliases(f.get(2)),
        roles: Vec::new(),
        clubs: Vec::new(),
        country: f.get(3).unwrap_or(&"").to_string(),
        stadium: f.get(4).unwrap_or(&"").to_string(),
        class: String::new(),
        era: None,
    })
}

fn parse_competition(f: &[&str]) -> Result<Entity, String> {
    if f.len() < 2 || f.len() > 4 {
        return Err(format!(
            "expected `id | name | aliases | kind` (2 to 4 fields), found {}",
            f.len()
        ));
    }
    check_id(f[0])?;
    if f[1].is_empty() {
        return Err("the name is empty".into());
    }
    let class = f.get(3).unwrap_or(&"").to_string();
    const CLASSES: &[&str] = &[
        "",
        "league",
        "cup",
        "continental",
        "international",
        "women",
        "youth",
        "friendly",
    ];
    if !CLASSES.contains(&class.as_str()) {
        return Err(format!(
            "kind `{class}` must be one of league, cup, continental, international, women, youth, friendly"
        ));
    }
    Ok(Entity {
        id: f[0].to_string(),
        kind: Kind::Competition,
        name: f[1].to_string(),
        aliases: aliases(f.get(2)),
        roles: Vec::new(),
        clubs: Vec::new(),
        country: String::new(),
        stadium: String::new(),
        class,
        era: None,
    })
}

fn parse_person(f: &[&str]) -> Result<Entity, String> {
    if f.is_empty() || f.len() > 5 || f[0].is_empty() {
        return Err(format!(
            "expected `name | aliases | roles | clubs | country` (1 to 5 fields, a name first), found {}",
            f.len()
        ));
    }
    let roles = parse_roles(f.get(2).copied().unwrap_or(""))?;
    let clubs = list(f.get(3));
    for c in &clubs {
        check_id(c).map_err(|e| format!("club {e}"))?;
    }
    Ok(Entity {
        id: slug(f[0]),
        kind: Kind::Person,
        name: f[0].to_string(),
        aliases: aliases(f.get(1))
            .into_iter()
            .map(|a| Alias { weak: false, ..a })
            .collect(),
        roles,
        clubs,
        country: f.get(4).unwrap_or(&"").to_string(),
        stadium: String::new(),
        class: String::new(),
        era: None,
    })
}

/// `1995-2014`.
fn parse_era(s: &str) -> Result<(i32, i32), String> {
    let (a, b) = s
        .split_once('-')
        .ok_or_else(|| format!("`@era {s}` must be `@era FROM-TO`, e.g. `@era 1995-2014`"))?;
    let year = |y: &str| {
        y.trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (1850..=2100).contains(y))
            .ok_or_else(|| format!("`{y}` in `@era {s}` is not a year"))
    };
    Ok((year(a)?, year(b)?))
}

/// `player`, `manager`, `player:-2016, manager:2019-`, `coach:2001-2005`.
pub fn parse_roles(field: &str) -> Result<Vec<RoleSpan>, String> {
    let mut out = Vec::new();
    for part in field.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (role, years) = match part.split_once(':') {
            Some((r, y)) => (r.trim(), Some(y.trim())),
            None => (part, None),
        };
        let manager = match role.to_ascii_lowercase().as_str() {
            "player" => false,
            "manager" | "coach" | "head coach" => true,
            other => {
                return Err(format!(
                    "role `{other}` must be `player` or `manager` (optionally with years, `manager:2019-`)"
                ))
            }
        };
        let (from, to) = match years {
            None => (None, None),
            Some(y) => {
                let (a, b) = y.split_once('-').unwrap_or((y, y));
                let year = |s: &str| -> Result<Option<i32>, String> {
                    let s = s.trim();
                    if s.is_empty() {
                        return Ok(None);
                    }
                    s.parse::<i32>()
                        .ok()
                        .filter(|y| (1850..=2100).contains(y))
                        .map(Some)
                        .ok_or_else(|| format!("`{s}` in `{part}` is not a year"))
                };
                (year(a)?, year(b)?)
            }
        };
        out.push(RoleSpan { manager, from, to });
    }
    Ok(out)
}

/// A stable id from a name: folded, words joined by `-`.
pub fn slug(name: &str) -> String {
    fold(name).split_whitespace().collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_files_load_without_errors() {
        let mut kb = Kb::default();
        for (name, text, section) in [
            ("clubs", CLUBS, Section::Clubs),
            ("competitions", COMPETITIONS, Section::Competitions),
            ("people-classic", PEOPLE_CLASSIC, Section::People),
            ("people-modern", PEOPLE_MODERN, Section::People),
        ] {
            kb.load_section(name, text, section).unwrap();
        }
        assert!(
            kb.entities
                .iter()
                .filter(|e| e.kind == Kind::Person)
                .count()
                > 500
        );
        assert!(kb.get(Kind::Club, "liverpool").is_some());
    }

    #[test]
    fn every_person_club_id_exists() {
        let kb = Kb::builtin();
        for e in kb.entities.iter().filter(|e| e.kind == Kind::Person) {
            for c in &e.clubs {
                assert!(
                    kb.team_index(c).is_some(),
                    "{}: unknown club id {c}",
                    e.name
                );
            }
        }
    }

    #[test]
    fn roles_by_year() {
        let e = parse_person(&[
            "Mikel Arteta",
            "Arteta",
            "player:-2016, manager:2019-",
            "arsenal",
            "ESP",
        ])
        .unwrap();
        assert!(!e.is_manager_at(Some(2005)));
        assert!(e.is_manager_at(Some(2023)));
        assert!(e.is_manager_at(None));
        assert!(e.is_manager_at(Some(2018)) || !e.is_manager_at(Some(2017)));
    }

    #[test]
    fn bad_lines_name_the_line() {
        let mut kb = Kb::default();
        let err = kb
            .extend_from_str("my.kb", "[clubs]\nok | OK\nBad Id | Name\n")
            .unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.to_string().starts_with("my.kb:3:"));
        let err = kb
            .extend_from_str("my.kb", "Name | | goalkeeper\n")
            .unwrap_err();
        assert!(err.message.contains("role"));
    }

    #[test]
    fn user_entries_merge_with_builtin() {
        let mut kb = Kb::builtin();
        let before = kb.len();
        kb.extend_from_str("my.kb", "[people]\nDarwin Núñez | La Pantera | player | liverpool | URU\n[clubs]\nharbourside-rovers | Harbourside Rovers | ~Rovers | ENG | The Quay | club\n")
            .unwrap();
        assert_eq!(kb.len(), before + 1);
        let d = kb.get(Kind::Person, "darwin-nunez").unwrap();
        assert!(d.aliases.iter().any(|a| a.text == "La Pantera"));
    }
}
