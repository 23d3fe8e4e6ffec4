//! The shape of a user query, checked token by token and rewritten into what tantivy's parser
//! reads the way the user meant: apostrophes inside words (`O'Neill`, `Gerrard's`), times and
//! URLs (`10:30`, `https://…`), curly quotes, invisible characters. Every mistake is reported
//! with its position (counted in characters from 1) and the fix.

/// Largest boost accepted (`word^N`): larger ones overflow scores to infinity.
pub const MAX_BOOST: f64 = 1000.0;
/// Largest phrase slop accepted (`"a b"~N`).
pub const MAX_SLOP: u64 = 1000;

/// What came before the current token, for operator checks.
#[derive(Debug, Clone, PartialEq)]
enum Prev {
    /// The start of the query.
    Start,
    /// An opening parenthesis at this position.
    Open(usize),
    /// A word, phrase, range or closed group.
    Operand,
    /// `AND` / `OR` at this position.
    Binary(usize, &'static str),
    /// `NOT` at this position.
    Not(usize),
    /// `+` or `-` at this position, waiting for its word.
    Prefix(usize, char),
    /// `field:` at this position, waiting for its value.
    Field(usize, String),
}

struct Lexer<'a> {
    q: &'a str,
    c: Vec<char>,
    i: usize,
    out: String,
    fields: &'a [&'a str],
    prev: Prev,
    open: Vec<usize>,
}

/// Check `q` and return the text to give tantivy's parser; `Err` holds the message (what is
/// wrong, where, and how to fix it). `fields` are the field names a user may write (`title`).
pub fn rewrite(q: &str, fields: &[&str]) -> Result<String, String> {
    let mut lx = Lexer {
        q,
        c: q.chars().collect(),
        i: 0,
        out: String::with_capacity(q.len() + 8),
        fields,
        prev: Prev::Start,
        open: Vec::new(),
    };
    lx.run()?;
    Ok(lx.out)
}

/// A range bound or set member must be exactly one token of the text analyzer (tantivy refuses
/// the query otherwise): letters and digits only, shorter than the analyzer's length limit.
fn one_token(w: &str) -> bool {
    !w.is_empty()
        && w.len() < crate::index::schema::MAX_TOKEN_BYTES
        && w.chars().all(char::is_alphanumeric)
}

/// Characters nobody types on purpose: bidirectional controls, zero-width spaces and joiners,
/// the soft hyphen, a stray byte-order mark. They would split words, so they are dropped.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// Double quotes as typed or pasted: straight, and the curly ones word processors make.
pub fn is_double_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„')
}

fn ends_token(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')') || is_double_quote(c)
}

impl Lexer<'_> {
    fn at(&self, i: usize) -> Option<char> {
        self.c.get(i).copied()
    }

    fn run(&mut self) -> Result<(), String> {
        while let Some(c) = self.at(self.i) {
            let pos = self.i + 1;
            if c.is_whitespace() {
                if let Prev::Prefix(p, sign) = self.prev {
                    return Err(lone_prefix(p, sign));
                }
                self.out.push(' ');
                self.i += 1;
                continue;
            }
            if is_invisible(c) {
                self.i += 1;
                continue;
            }
            match c {
                '(' => {
                    self.separate();
                    self.open.push(pos);
                    self.prev = Prev::Open(pos);
                    self.out.push('(');
                    self.i += 1;
                }
                ')' => {
                    self.operand_wanted_before()?;
                    if let Prev::Open(p) = self.prev {
                        return Err(format!(
                            "empty parentheses at position {p}: put words inside them or remove them"
                        ));
                    }
                    if self.open.pop().is_none() {
                        return Err(format!(
                            "unmatched `)` at position {pos}: remove it or add a `(` before it"
                        ));
                    }
                    self.out.push(')');
                    self.i += 1;
                    self.prev = Prev::Operand;
                    self.suffix(false)?;
                }
                c if is_double_quote(c) => self.phrase()?,
                '\'' if self.single_quote_end().is_some() => self.phrase()?,
                '[' | '{' => self.range()?,
                '+' | '-' => self.prefix(c)?,
                ':' => {
                    return Err(format!(
                        "`:` at position {pos} has no field name before it: write title:word or body:word, or remove the colon to search for the words"
                    ))
                }
                '^' => {
                    return Err(format!(
                        "`^` at position {pos} has no word before it: a boost goes right after a word or phrase, e.g. Salah^2"
                    ))
                }
                '*' if self.at(self.i + 1).is_none_or(ends_token) => {
                    return Err(format!(
                        "`*` at position {pos} alone would match every article: remove it"
                    ))
                }
                '/' if self.regex_end().is_some() => {
                    return Err(format!(
                        "regular expressions (`/…/`) at position {pos} are not supported: search for whole words (case and accents do not matter)"
                    ))
                }
                _ => self.word()?,
            }
        }
        match self.prev.clone() {
            Prev::Prefix(p, sign) => Err(lone_prefix(p, sign)),
            Prev::Binary(p, op) => Err(nothing_after(p, op)),
            Prev::Not(p) => Err(nothing_after(p, "NOT")),
            Prev::Field(p, name) => Err(field_without_value(p, &name)),
            // Balanced overall, but a `)` sat inside a 'single-quoted phrase'.
            _ => match self.open.last() {
                Some(p) => Err(format!(
                    "unbalanced parenthesis: the `(` at position {p} is never closed; add a `)`"
                )),
                None => Ok(()),
            },
        }
    }

    /// Before a `)`: an operator, a sign or a field must have had its word.
    fn operand_wanted_before(&self) -> Result<(), String> {
        match self.prev.clone() {
            Prev::Prefix(p, sign) => Err(lone_prefix(p, sign)),
            Prev::Binary(p, op) => Err(nothing_after(p, op)),
            Prev::Not(p) => Err(nothing_after(p, "NOT")),
            Prev::Field(p, name) => Err(field_without_value(p, &name)),
            _ => Ok(()),
        }
    }

    /// A `/` that opens a regular expression (as tantivy reads it): the index of its closing
    /// `/`, which is followed by the end, a space, `)` or `^`, or by a phrase or group, which
    /// the rewrite separates from it with a space.
    fn regex_end(&self) -> Option<usize> {
        let mut j = self.i + 1;
        while let Some(c) = self.at(j) {
            match c {
                '\\' => j += 2,
                '/' => {
                    return (j > self.i + 1
                        && self.at(j + 1).is_none_or(|n| ends_token(n) || n == '^'))
                    .then_some(j)
                }
                _ => j += 1,
            }
        }
        None
    }

    /// A `'` that opens a single-quoted phrase: the index of its closing `'` (one followed by
    /// the end, a space, `)`, `^` or `~`). Otherwise the `'` is an apostrophe.
    fn single_quote_end(&self) -> Option<usize> {
        (self.i + 2..self.c.len()).find(|&j| {
            self.c[j] == '\''
                && self.c[j - 1] != '\\'
                && self
                    .at(j + 1)
                    .is_none_or(|n| n.is_whitespace() || matches!(n, ')' | '^' | '~'))
        })
    }

    /// `"a phrase"` (curly quotes too) or `'a phrase'`, written out with straight double quotes,
    /// then its slop, prefix star or boost.
    fn phrase(&mut self) -> Result<(), String> {
        self.separate();
        let open = self.c[self.i];
        let close_at = if open == '\'' {
            self.single_quote_end()
        } else {
            let mut j = self.i + 1;
            loop {
                match self.at(j) {
                    None => break None,
                    Some('\\') => j += 2,
                    Some(c) if is_double_quote(c) => break Some(j),
                    Some(_) => j += 1,
                }
            }
        };
        let Some(close_at) = close_at else {
            return Err(format!(
                "unbalanced quote: the `{open}` at position {} is never closed; add a closing `\"` or remove it",
                self.i + 1
            ));
        };
        self.out.push('"');
        let mut j = self.i + 1;
        while j < close_at {
            let c = self.c[j];
            match c {
                '\\' if j + 1 < close_at => {
                    self.out.push('\\');
                    self.out.push(self.c[j + 1]);
                    j += 2;
                    continue;
                }
                '\\' => self.out.push(' '),
                '"' => self.out.push_str("\\\""),
                c if is_invisible(c) || c.is_control() => {}
                c => self.out.push(c),
            }
            j += 1;
        }
        self.out.push('"');
        self.i = close_at + 1;
        self.operand_done();
        self.suffix(true)
    }

    /// What may follow a phrase or a group: `~N` (phrases), `*` (phrase prefix), `^N`.
    fn suffix(&mut self, phrase: bool) -> Result<(), String> {
        if phrase && self.at(self.i) == Some('~') {
            let pos = self.i + 1;
            self.i += 1;
            let digits = self.digits();
            if digits.is_empty() {
                return Err(format!(
                    "`~` at position {pos} needs a whole number after it: \"Salah penalty\"~3 finds the words up to three words apart"
                ));
            }
            let slop: u64 = digits.parse().unwrap_or(u64::MAX);
            if slop > MAX_SLOP {
                return Err(format!(
                    "the distance {digits} after `~` at position {pos} is too large: give a whole number from 0 to {MAX_SLOP}"
                ));
            }
            self.out.push('~');
            self.out.push_str(&digits);
        } else if phrase && self.at(self.i) == Some('*') {
            self.out.push('*');
            self.i += 1;
        }
        if self.at(self.i) == Some('^') {
            self.boost()?;
        }
        // Whatever follows is another token: [`Lexer::separate`] puts a space before it.
        Ok(())
    }

    /// A space between an operand and what follows it without one (`Salah"Nunez"`,
    /// `"a"b`, `(a)b`): tantivy's parser wants one, and the user meant two things.
    fn separate(&mut self) {
        if self.prev == Prev::Operand && !self.out.ends_with(char::is_whitespace) {
            self.out.push(' ');
        }
    }

    fn digits(&mut self) -> String {
        let start = self.i;
        while self.at(self.i).is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        self.c[start..self.i].iter().collect()
    }

    /// `^N` at `self.i`: a non-negative decimal number up to [`MAX_BOOST`].
    fn boost(&mut self) -> Result<(), String> {
        let pos = self.i + 1;
        self.i += 1;
        let mut number = self.digits();
        if !number.is_empty()
            && self.at(self.i) == Some('.')
            && self.at(self.i + 1).is_some_and(|c| c.is_ascii_digit())
        {
            self.i += 1;
            number.push('.');
            number.push_str(&self.digits());
        }
        if number.is_empty() {
            return Err(if self.at(self.i) == Some('-') {
                format!("the boost at position {pos} is negative: give a number from 0 to {MAX_BOOST}, e.g. Salah^2")
            } else if self.at(self.i) == Some('.') {
                format!("the boost at position {pos} needs a digit before the point: Salah^0.5")
            } else {
                format!("`^` at position {pos} needs a number after it: Salah^2 counts a match of Salah twice as much")
            });
        }
        let value: f64 = number.parse().unwrap_or(f64::INFINITY);
        if value > MAX_BOOST {
            return Err(format!(
                "the boost {number} at position {pos} is too large: give a number from 0 to {MAX_BOOST}, e.g. Salah^2"
            ));
        }
        if let Some(c) = self.at(self.i).filter(|&c| !ends_token(c)) {
            return Err(format!(
                "unexpected `{c}` at position {} after the boost: a boost is a plain number such as 2 or 1.5; put a space after it",
                self.i + 1
            ));
        }
        self.out.push('^');
        self.out.push_str(&number);
        Ok(())
    }

    /// `[a TO b]` or `{a TO b}`: only as a field's value.
    fn range(&mut self) -> Result<(), String> {
        let pos = self.i + 1;
        if !matches!(self.prev, Prev::Field(..)) {
            return Err(format!(
                "a range (`{}`) at position {pos} needs a field before it: write title:[a TO m]",
                self.c[self.i]
            ));
        }
        let Some(len) = self.c[self.i..].iter().position(|&c| c == ']' || c == '}') else {
            return Err(format!(
                "the range opened at position {pos} is never closed: close it with `]`, e.g. title:[a TO m]"
            ));
        };
        let end = self.i + len;
        let inner: String = self.c[self.i + 1..end]
            .iter()
            .filter(|c| !is_invisible(**c))
            .collect();
        let words: Vec<&str> = inner.split_whitespace().collect();
        let plain = |w: &&str| !w.contains(['"', '(', ')', '[', '{', '\\']) && !w.starts_with('`');
        let is_set = self.out.trim_end().ends_with("IN");
        if is_set && (words.is_empty() || !words.iter().all(plain)) {
            return Err(format!(
                "the set at position {pos} needs plain words between its brackets: title:IN [salah nunez]"
            ));
        }
        if is_set && !words.iter().all(|w| one_token(w)) {
            return Err(format!(
                "the set at position {pos} needs words of letters and digits only: title:IN [salah nunez]"
            ));
        }
        let range_ok = words.len() == 3 && words[1] == "TO" && words.iter().all(plain);
        if !is_set && !range_ok {
            return Err(format!(
                "the range at position {pos} must read `[a TO b]` (`*` for an open end), e.g. title:[a TO m]"
            ));
        }
        if !is_set
            && ![words[0], words[2]]
                .iter()
                .all(|w| *w == "*" || one_token(w))
        {
            return Err(format!(
                "each end of the range at position {pos} must be one word of letters and digits (or `*`), e.g. title:[a TO m]"
            ));
        }
        self.out.push(self.c[self.i]);
        self.out.push_str(&words.join(" "));
        self.out.push(self.c[end]);
        self.i = end + 1;
        self.operand_done();
        self.suffix(false)
    }

    /// `+word` (must contain) or `-word` (must not contain).
    fn prefix(&mut self, sign: char) -> Result<(), String> {
        self.separate();
        let pos = self.i + 1;
        if let Prev::Prefix(p, first) = self.prev {
            return Err(format!(
                "`{first}{sign}` at position {p}: use one sign, `+` (must contain) or `-` (must not contain)"
            ));
        }
        if let Prev::Not(p) = self.prev {
            return Err(format!(
                "`NOT` at position {p} and `{sign}` at position {pos} say the same twice: write NOT word or {sign}word"
            ));
        }
        if let Prev::Field(p, name) = &self.prev {
            return Err(format!(
                "`{sign}` at position {pos} comes after the field `{name}:` (position {p}): put it before the field, e.g. {sign}{name}:word"
            ));
        }
        match self.at(self.i + 1) {
            None => return Err(lone_prefix(pos, sign)),
            Some(n) if n.is_whitespace() || n == ')' => return Err(lone_prefix(pos, sign)),
            _ => {}
        }
        self.out.push(sign);
        self.prev = Prev::Prefix(pos, sign);
        self.i += 1;
        Ok(())
    }

    fn operand_done(&mut self) {
        self.prev = Prev::Operand;
    }

    /// A word (or a `field:` prefix), up to a space, parenthesis or quote.
    fn word(&mut self) -> Result<(), String> {
        self.separate();
        let start = self.i;
        let in_value = matches!(self.prev, Prev::Field(..));
        if let Some(op) = self.comparison() {
            if !in_value {
                // `>` or `<` opening a word is a range bound only after a field: punctuation.
                self.out.push('\\');
            } else {
                return self.bound(start, op);
            }
        }
        let mut w = String::new();
        let mut colon_seen = in_value;
        while let Some(c) = self.at(self.i) {
            if ends_token(c) {
                break;
            }
            let pos = self.i + 1;
            match c {
                '\\' => match self.at(self.i + 1) {
                    // An escaped space would glue words together: it is just a space.
                    Some(n) if n.is_whitespace() => {
                        self.i += 1;
                        break;
                    }
                    Some(n) => {
                        w.push('\\');
                        w.push(n);
                        self.i += 2;
                        continue;
                    }
                    None => {
                        return Err(format!(
                        "`\\` at position {pos} at the end of the query escapes nothing: remove it"
                    ))
                    }
                },
                '\'' | '`' | '[' | ']' | '{' | '}' => {
                    w.push('\\');
                    w.push(c);
                }
                ':' if !colon_seen => {
                    colon_seen = true;
                    let name: String = self.c[start..self.i].iter().collect();
                    match self.field(&name, start, self.i)? {
                        FieldUse::Field(lower) => {
                            self.out.push_str(&lower);
                            self.out.push(':');
                            self.prev = Prev::Field(start + 1, lower);
                            self.i += 1;
                            return Ok(());
                        }
                        FieldUse::Words => w.push_str("\\:"),
                    }
                }
                ':' => w.push_str("\\:"),
                '^' if !w.is_empty() => {
                    self.finish_word(start, &w)?;
                    return self.boost();
                }
                c if is_invisible(c) => {}
                // The parser would keep `~2` in the word: a phrase of the word and 2.
                '~' if !w.is_empty() => {
                    let word = self.token_at(start);
                    return Err(format!(
                        "`{word}` at position {}: misspellings are tolerated with `newsidx search --fuzzy`, not word~N; `~N` goes after a phrase, e.g. \"Salah penalty\"~3",
                        start + 1
                    ));
                }
                // The parser would drop the star and search the word as written.
                '*' => {
                    let word = self.token_at(start);
                    return Err(format!(
                        "`{word}` at position {}: wildcard and prefix searches are not supported; write whole words (case and accents do not matter)",
                        start + 1
                    ));
                }
                c => w.push(c),
            }
            self.i += 1;
        }
        // `Arsenal : late`: tantivy reads a name, spaces and a colon as a field too.
        if !colon_seen && self.at(self.i).is_some_and(char::is_whitespace) {
            let mut j = self.i;
            while self.at(j).is_some_and(char::is_whitespace) {
                j += 1;
            }
            if self.at(j) == Some(':') {
                let name: String = self.c[start..self.i].iter().collect();
                match self.field(&name, start, j)? {
                    FieldUse::Field(lower) => {
                        self.out.push_str(&lower);
                        self.out.push(':');
                        self.prev = Prev::Field(start + 1, lower);
                        self.i = j + 1;
                        return Ok(());
                    }
                    FieldUse::Words => {
                        self.finish_word(start, &w)?;
                        // The colon alone is punctuation: searched as nothing.
                        self.out.push(' ');
                        self.i = j + 1;
                        return Ok(());
                    }
                }
            }
        }
        self.finish_word(start, &w)
    }

    /// `>`, `>=`, `<` or `<=` at the cursor.
    fn comparison(&self) -> Option<&'static str> {
        match (self.at(self.i), self.at(self.i + 1)) {
            (Some('>'), Some('=')) => Some(">="),
            (Some('<'), Some('=')) => Some("<="),
            (Some('>'), _) => Some(">"),
            (Some('<'), _) => Some("<"),
            _ => None,
        }
    }

    /// `title:>=m`: one plain word after the comparison.
    fn bound(&mut self, start: usize, op: &str) -> Result<(), String> {
        self.i += op.len();
        let from = self.i;
        while self.at(self.i).is_some_and(|c| !ends_token(c)) {
            self.i += 1;
        }
        let word: String = self.c[from..self.i].iter().collect();
        if word.is_empty()
            || word.contains(|c: char| "{}[]'`\\<>=:^~*".contains(c) || is_invisible(c))
            || !one_token(&word)
        {
            return Err(format!(
                "`{op}` at position {} needs one plain word after it, e.g. title:{op}m",
                start + 1
            ));
        }
        self.out.push_str(op);
        self.out.push_str(&word);
        self.operand_done();
        Ok(())
    }

    /// The whole token starting at `start`, as written (for messages).
    fn token_at(&self, start: usize) -> String {
        self.c[start..]
            .iter()
            .take_while(|c| !ends_token(**c))
            .collect()
    }

    /// A finished word: an operator, or an operand.
    fn finish_word(&mut self, start: usize, w: &str) -> Result<(), String> {
        let pos = start + 1;
        if w.is_empty() {
            // Only a dropped character (an escaped space, an invisible one): no word.
            return Ok(());
        }
        let prefixed = matches!(self.prev, Prev::Prefix(..));
        let field = matches!(self.prev, Prev::Field(..));
        match w {
            "AND" | "OR" if !prefixed && !field => {
                let op = if w == "AND" { "AND" } else { "OR" };
                match self.prev.clone() {
                    Prev::Operand => {}
                    Prev::Start | Prev::Open(_) => {
                        return Err(format!(
                            "`{op}` at position {pos} has nothing before it: put a word before it or remove it"
                        ))
                    }
                    Prev::Binary(p, other) => {
                        return Err(format!(
                            "`{op}` at position {pos} follows `{other}` at position {p}: remove one of them"
                        ))
                    }
                    Prev::Not(p) => {
                        return Err(format!(
                            "`{op}` at position {pos} follows `NOT` at position {p}: write `a {op} NOT b`, or remove one of them"
                        ))
                    }
                    Prev::Prefix(..) | Prev::Field(..) => {}
                }
                self.space_after(pos, op)?;
                self.out.push_str(op);
                self.prev = Prev::Binary(pos, op);
            }
            "NOT" if !prefixed && !field => {
                self.space_after(pos, "NOT")?;
                self.out.push_str("NOT");
                self.prev = Prev::Not(pos);
            }
            "IN" if field => {
                // `title:IN [a b]`: a set of terms; the range check wants the field.
                let mut j = self.i;
                while self.at(j).is_some_and(char::is_whitespace) {
                    j += 1;
                }
                if self.at(j) != Some('[') {
                    return Err(format!(
                        "`IN` at position {pos} needs a set of words in brackets after it: title:IN [salah nunez]"
                    ));
                }
                self.out.push_str("IN");
            }
            // The parser reserves these words; lowercase they are ordinary words.
            "AND" | "OR" | "NOT" | "IN" => {
                self.out.push_str(&w.to_lowercase());
                self.operand_done();
            }
            _ => {
                if field && w == "*" {
                    return Err(format!(
                        "`{}*` at position {pos}: matching any value of a field is not supported; search for words",
                        self.q.chars().take(start).collect::<String>().trim_end()
                    ));
                }
                self.out.push_str(w);
                self.operand_done();
            }
        }
        Ok(())
    }

    /// tantivy reads `AND`, `OR` and `NOT` only with a space after them.
    fn space_after(&self, pos: usize, op: &str) -> Result<(), String> {
        match self.at(self.i) {
            None => Err(nothing_after(pos, op)),
            Some(c) if !c.is_whitespace() => Err(format!(
                "`{op}` at position {pos} needs a space after it (`{op} (a b)`, `{op} \"a b\"`)"
            )),
            Some(_) => Ok(()),
        }
    }

    /// A name before a colon: a field, words (`10:30`, `https://…`), or a mistake.
    fn field(&self, name: &str, start: usize, colon: usize) -> Result<FieldUse, String> {
        let lower = name.to_lowercase();
        if self.fields.contains(&lower.as_str()) {
            return Ok(FieldUse::Field(lower));
        }
        let is_number = name.chars().all(|c| c.is_ascii_digit() || c == '.');
        let is_url = matches!(lower.as_str(), "http" | "https" | "ftp" | "mailto" | "www")
            && self.at(colon + 1) == Some('/');
        if is_number || is_url {
            return Ok(FieldUse::Words);
        }
        Err(unknown_field(
            self.q,
            &self.c,
            name,
            start,
            colon,
            self.fields,
        ))
    }
}

enum FieldUse {
    /// A field this query may name (lowercased).
    Field(String),
    /// Not a field: the colon is part of the words.
    Words,
}

fn lone_prefix(pos: usize, sign: char) -> String {
    let what = if sign == '-' {
        "-Chelsea leaves out articles with Chelsea"
    } else {
        "+Chelsea keeps only articles with Chelsea"
    };
    format!(
        "`{sign}` at position {pos} stands alone: put it right before a word, with no space ({what}), or remove it"
    )
}

fn nothing_after(pos: usize, op: &str) -> String {
    format!("`{op}` at position {pos} has nothing after it: add a word after it or remove it")
}

fn field_without_value(pos: usize, name: &str) -> String {
    format!(
        "`{name}:` at position {pos} has nothing after it: give a word or a phrase, e.g. {name}:final or {name}:\"cup final\""
    )
}

/// `Arsenal: late winner`: a word read as a field. The fix keeps the user's words.
fn unknown_field(
    q: &str,
    chars: &[char],
    name: &str,
    start: usize,
    colon: usize,
    fields: &[&str],
) -> String {
    let list = match fields {
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
        [] => String::new(),
    };
    let dropped: String = chars
        .iter()
        .enumerate()
        .map(|(i, &c)| if i == colon { ' ' } else { c })
        .collect();
    let dropped = dropped.split_whitespace().collect::<Vec<_>>().join(" ");
    let simple = !q.chars().any(|c| is_double_quote(c) || "()'".contains(c))
        && !q
            .split_whitespace()
            .any(|w| matches!(w, "AND" | "OR" | "NOT") || w.starts_with(['+', '-']));
    let quoted = if simple {
        format!("\"{}\"", q.trim())
    } else {
        format!("\"{name}:\"")
    };
    let mut msg = format!(
        "`{name}:` at position {} reads as a field name, but the fields are {list}: to search for the words, quote them ({quoted}) or drop the colon ({dropped})",
        start + 1
    );
    if let Some(f) = fields
        .iter()
        .find(|f| edit_distance(&name.to_lowercase(), f) <= 2)
    {
        msg.push_str(&format!("; or did you mean {f}:?"));
    }
    msg
}

/// Levenshtein distance (short strings only: field names).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &[&str] = &["title", "body"];

    fn ok(q: &str) -> String {
        rewrite(q, FIELDS).unwrap_or_else(|e| panic!("{q}: {e}"))
    }

    fn err(q: &str) -> String {
        match rewrite(q, FIELDS) {
            Ok(r) => panic!("{q} accepted as {r}"),
            Err(e) => e,
        }
    }

    #[test]
    fn ordinary_queries_pass_through() {
        for q in [
            "Salah",
            "\"Champions League\" AND Salah",
            "title:final -Chelsea",
            "Liverpool AND (Salah OR Nunez)",
            "Alexander-Arnold",
            "title:[a TO m]",
            "\"Salah penalty\"~3",
            "Salah^2 Nunez",
            "(Salah OR Nunez)^1.5",
            "NOT Chelsea Arsenal",
            "title: final",
        ] {
            assert_eq!(ok(q), q);
        }
    }

    #[test]
    fn apostrophes_times_and_urls_are_words() {
        assert_eq!(ok("O'Neill"), "O\\'Neill");
        assert_eq!(ok("Gerrard's goal"), "Gerrard\\'s goal");
        assert_eq!(ok("Spurs' win"), "Spurs\\' win");
        assert_eq!(ok("'Champions League'"), "\"Champions League\"");
        assert_eq!(ok("'Arry"), "\\'Arry");
        assert_eq!(ok("10:30 kick-off"), "10\\:30 kick-off");
        assert_eq!(ok("https://bbc.co.uk/x"), "https\\://bbc.co.uk/x");
        assert_eq!(ok("“Champions League”"), "\"Champions League\"");
        assert_eq!(ok("Sa\u{200B}lah \u{202E}x"), "Salah x");
        assert_eq!(ok("Title:final"), "title:final");
        assert_eq!(ok("IN form"), "in form");
    }

    #[test]
    fn unknown_fields_say_how_to_search_the_words() {
        let e = err("Arsenal: late winner");
        assert!(e.contains("position 1"), "{e}");
        assert!(e.contains("\"Arsenal: late winner\""), "{e}");
        assert!(e.contains("(Arsenal late winner)"), "{e}");
        assert!(err("unknownfield:foo").contains("(unknownfield foo)"));
        let e = err("Man Utd: the verdict");
        assert!(e.contains("position 5"), "{e}");
        assert!(err("titel:final").contains("did you mean title:"));
        assert!(err("Arsenal : late").contains("`Arsenal:`"));
        assert!(err("kind:quote").contains("the fields are title and body"));
    }

    #[test]
    fn operators_need_words_on_both_sides() {
        assert!(err("AND").contains("nothing before"));
        assert!(err("a OR").contains("`OR` at position 3 has nothing after"));
        assert!(err("a AND AND b").contains("follows `AND` at position 3"));
        assert!(err("a AND NOT").contains("`NOT` at position 7"));
        assert!(err("(OR a)").contains("nothing before"));
        assert!(err("a - b").contains("`-` at position 3 stands alone"));
        assert!(err("+-a").contains("one sign"));
        assert!(err("title:-a").contains("before the field"));
        assert!(err("title:").contains("nothing after it"));
        assert!(err("()").contains("empty parentheses"));
    }

    #[test]
    fn boosts_slops_ranges_and_the_rest() {
        assert!(err("Salah^").contains("needs a number"));
        assert!(err("Salah^-1").contains("negative"));
        assert!(err("Salah^1000000000000").contains("too large"));
        assert!(err("Salah^2x").contains("after the boost"));
        assert!(err("^").contains("no word before"));
        assert!(err("\"a b\"~").contains("whole number"));
        assert!(err("\"a b\"~99999999999999999999999").contains("too large"));
        assert!(err("[a TO b]").contains("needs a field"));
        assert!(err("title:[a TO").contains("never closed"));
        assert!(err("title:[nunez]").contains("must read `[a TO b]`"));
        assert!(err("title:{]").contains("must read"));
        assert!(err("title:IN []").contains("plain words"));
        assert_eq!(ok("title:[a TO *]"), "title:[a TO *]");
        assert_eq!(ok("\"a\"-b"), "\"a\" -b");
        assert_eq!(ok("Salah\"Nunez\"(x)y"), "Salah \"Nunez\" (x) y");
        assert_eq!(ok("> Salah"), "\\> Salah");
        assert_eq!(ok("title:>=m"), "title:>=m");
        assert!(err("title:>={").contains("one plain word"));
        // Found by fuzz/ (query): bounds that are not one token reached the user as
        // tantivy's "Range query boundary cannot have multiple tokens: ... [[Term(...)]]".
        assert!(err("title:>\u{FFFD}\u{FFFD}").contains("`>` at position 7 needs one plain word"));
        assert!(err("title:>a.b").contains("one plain word"));
        assert!(err(&format!("title:<{}", "a".repeat(60))).contains("one plain word"));
        assert!(err("title:[a.b TO c]").contains("each end of the range at position 7"));
        assert!(err("title:[a TO ..]").contains("each end of the range"));
        assert!(err("title:IN [!! c]").contains("letters and digits only"));
        assert_eq!(ok("title:>é"), "title:>é");
        assert_eq!(ok("title:IN [salah nunez]"), "title:IN [salah nunez]");
        assert!(err("title:IN nunez").contains("set of words in brackets"));
        assert!(err("NOT -a b").contains("say the same twice"));
        assert!(err("(a 'b)'").contains("`(` at position 1 is never closed"));
        assert_eq!(ok("a\\ \"b\""), "a \"b\"");
        assert!(err("/Sal.*/").contains("regular expressions"));
        // Found by fuzz/ (query): a phrase or group right after the closing `/` is separated
        // by the rewrite, and tantivy then read a regular expression it refuses.
        assert!(err("a / b /\"c\"").contains("regular expressions (`/…/`) at position 3"));
        assert!(err("/b/(c)").contains("regular expressions"));
        assert!(err("Salah *").contains("every article"));
        assert!(err("Sal*").contains("`Sal*` at position 1: wildcard"));
        assert!(err("x Salah~2").contains("`Salah~2` at position 3: misspellings"));
        assert!(err("a *Salah").contains("`*Salah` at position 3"));
        assert!(err("Salah\\").contains("escapes nothing"));
        assert!(err(":foo").contains("no field name"));
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("titel", "title"), 2);
        assert_eq!(edit_distance("bdy", "body"), 1);
        assert!(edit_distance("arsenal", "title") > 2);
    }
}
