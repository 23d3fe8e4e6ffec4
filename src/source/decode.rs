//! Turning a file's bytes into text: BOMs, UTF-16, binary detection, invalid UTF-8.

use std::borrow::Cow;

/// The outcome of decoding a file's bytes.
#[derive(Debug, PartialEq, Eq)]
pub enum Decoded<'a> {
    /// Text, with a warning when it was not clean UTF-8.
    Text(Cow<'a, str>, Option<String>),
    /// Not text: the reason.
    Rejected(String),
}

/// Decode bytes: UTF-8 (BOM stripped), UTF-16 with a BOM (or without one, when the pattern
/// of zero bytes leaves no doubt; with a warning), or legacy 8-bit text read as Windows-1252
/// with a warning. Binary data (a NUL byte anywhere) and empty files are rejected.
pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let rest = &bytes[bom_len..];
        if enc == encoding_rs::UTF_8 {
            return decode_utf8(rest);
        }
        let (text, had_errors) = enc.decode_without_bom_handling(rest);
        if text.trim().is_empty() {
            return Decoded::Rejected("empty file (only a byte-order mark)".into());
        }
        let warning = had_errors.then(|| {
            format!(
                "{} text with invalid sequences; they were replaced with U+FFFD",
                enc.name()
            )
        });
        return Decoded::Text(Cow::Owned(text.into_owned()), warning);
    }
    decode_utf8(bytes)
}

fn decode_utf8(bytes: &[u8]) -> Decoded<'_> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Decoded::Rejected("empty file".into());
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if text.trim().is_empty() {
            return Decoded::Rejected("empty file".into());
        }
        let mut warning = format!(
            "{} text without a byte-order mark; read as {}",
            enc.name(),
            enc.name()
        );
        if had_errors {
            warning.push_str(" (invalid sequences were replaced with U+FFFD)");
        }
        warning.push_str(". Convert the file to UTF-8 if the text looks wrong");
        return Decoded::Text(Cow::Owned(text.into_owned()), Some(warning));
    }
    // Text never holds NUL bytes; a file that does is binary or corrupt, wherever the NUL is.
    // memchr: the whole file is scanned, a vector at a time.
    if let Some(at) = memchr::memchr(0, bytes) {
        return Decoded::Rejected(format!(
            "binary file (a NUL byte at offset {at}): not an article. If it is text, remove the NUL bytes (tr -d '\\000')"
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Decoded::Text(Cow::Borrowed(s), None),
        Err(e) => {
            let at = e.valid_up_to();
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            let control = text
                .chars()
                .filter(|c| c.is_control() && !c.is_whitespace())
                .count();
            if control * 20 > text.chars().count().max(1) {
                return Decoded::Rejected(format!(
                    "binary file (invalid UTF-8 at byte {at} and many control characters)"
                ));
            }
            Decoded::Text(
                Cow::Owned(text.into_owned()),
                Some(format!(
                    "not valid UTF-8 (first bad byte at offset {at}); read as Windows-1252. Convert the file to UTF-8 if the accents look wrong"
                )),
            )
        }
    }
}

/// UTF-16 without a byte-order mark, recognised by its zero bytes: mostly-ASCII text in
/// UTF-16LE has a zero at every odd offset and none at even ones (BE the other way round).
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(8192) & !1];
    let units = head.len() / 2;
    if units < 4 {
        return None;
    }
    let zeros_at = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    // Nine in ten units ASCII or Latin-1, and not a single zero in the other byte.
    if odd * 10 >= units * 9 && even == 0 {
        Some(encoding_rs::UTF_16LE)
    } else if even * 10 >= units * 9 && odd == 0 {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: Decoded<'_>) -> (String, Option<String>) {
        match d {
            Decoded::Text(t, w) => (t.into_owned(), w),
            Decoded::Rejected(r) => panic!("rejected: {r}"),
        }
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(text(decode("Núñez".as_bytes())), ("Núñez".into(), None));
        assert_eq!(text(decode(b"\xEF\xBB\xBFHi")), ("Hi".into(), None));
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        for u in "Ødegaard".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(text(decode(&le)).0, "Ødegaard");
        let mut be = vec![0xFE, 0xFF];
        for u in "Ødegaard".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(text(decode(&be)).0, "Ødegaard");
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let s = "Keeper stars\n\nSzczęsny made six saves.\n";
        let le: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = s.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for (bytes, name) in [(le, "UTF-16LE"), (be, "UTF-16BE")] {
            let (t, w) = text(decode(&bytes));
            assert_eq!(t, s);
            assert!(w.unwrap().contains(name));
        }
    }

    #[test]
    fn a_nul_anywhere_means_binary() {
        let mut bytes = b"Title\n\n".to_vec();
        bytes.extend(std::iter::repeat_n(b'a', 20_000));
        bytes.push(0);
        bytes.extend(b"more");
        assert!(matches!(decode(&bytes), Decoded::Rejected(r) if r.contains("offset 20007")));
        // Random bytes with zeros in both halves of the units are not UTF-16.
        assert!(matches!(decode(b"\0a\0b\0\0c\0d"), Decoded::Rejected(_)));
    }

    #[test]
    fn latin1_is_read_with_a_warning() {
        let (t, w) = text(decode(b"N\xfa\xf1ez scored"));
        assert_eq!(t, "Núñez scored");
        assert!(w.unwrap().contains("offset 1"));
    }

    #[test]
    fn binary_and_empty_are_rejected() {
        assert!(matches!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0"),
            Decoded::Rejected(_)
        ));
        assert!(matches!(decode(b""), Decoded::Rejected(r) if r.contains("empty")));
        assert!(matches!(decode(b" \n\t"), Decoded::Rejected(r) if r.contains("empty")));
        assert!(matches!(decode(b"\xEF\xBB\xBF"), Decoded::Rejected(r) if r.contains("empty")));
    }
}
