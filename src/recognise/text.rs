//! Text as it is compared: wording varies (case, curly quotes, non-breaking spaces, line
//! breaks inside sentences), so both the page's text and the table's phrases are folded the
//! same way before matching. Folding keeps one char per char, so a match found in the folded
//! text can be quoted from the readable text at the same position.

mod lowercase;

/// Longest text kept from any one region: enough for an error page, bounded for huge pages.
pub const MAX_REGION_CHARS: usize = 4000;

#[derive(Debug, Clone, Default)]
pub struct SeenText {
    readable: Vec<char>,
    folded: Vec<char>,
}

fn fold_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        '\u{2026}' => '.',
        c if c.is_whitespace() || c.is_control() => ' ',
        c if c.is_ascii() => c.to_ascii_lowercase(),
        c => lowercase::to_lower(c),
    }
}

/// Zero-width characters a page may use to break up words.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

impl SeenText {
    pub fn new(raw: &str) -> SeenText {
        let mut readable = Vec::with_capacity(raw.len().min(MAX_REGION_CHARS));
        let mut folded = Vec::with_capacity(readable.capacity());
        for c in raw.chars() {
            if readable.len() >= MAX_REGION_CHARS {
                break;
            }
            if is_invisible(c) {
                continue;
            }
            let f = fold_char(c);
            // A line break (the sensor's mark between two blocks) ends a sentence for
            // quoting; for matching it is a space like any other.
            let brk = c == '\n';
            if f == ' ' && folded.last().is_none_or(|&last| last == ' ') {
                if brk && readable.last() == Some(&' ') {
                    *readable.last_mut().unwrap() = '\n';
                }
                continue;
            }
            readable.push(if brk {
                '\n'
            } else if f == ' ' {
                ' '
            } else {
                c
            });
            folded.push(f);
        }
        if folded.last() == Some(&' ') {
            readable.pop();
            folded.pop();
        }
        SeenText { readable, folded }
    }

    pub fn is_empty(&self) -> bool {
        self.folded.is_empty()
    }

    pub fn len(&self) -> usize {
        self.folded.len()
    }

    /// Position (in chars) of the first occurrence of an already folded needle.
    pub fn find(&self, needle: &[char]) -> Option<usize> {
        self.find_from(needle, 0)
    }

    pub fn find_from(&self, needle: &[char], from: usize) -> Option<usize> {
        if needle.is_empty() || needle.len() > self.folded.len() {
            return None;
        }
        (from..=self.folded.len() - needle.len()).find(|&i| self.folded[i..].starts_with(needle))
    }

    pub fn folded(&self) -> &[char] {
        &self.folded
    }

    pub fn readable(&self, start: usize, end: usize) -> String {
        let end = end.min(self.readable.len());
        let start = start.min(end);
        self.readable[start..end].iter().collect()
    }

    /// The sentence around a match, for quoting as evidence: from the previous sentence end to
    /// the next one, at most `max` chars.
    pub fn sentence_around(&self, at: usize, len: usize, max: usize) -> String {
        let r = &self.readable;
        let ends_sentence = |i: usize| {
            r[i] == '\n'
                || matches!(r[i], '.' | '!' | '?')
                    && r.get(i + 1).is_none_or(|&n| n == ' ' || n == '\n')
        };
        let mut start = at.min(r.len());
        while start > 0 && at - start < max / 2 && !ends_sentence(start - 1) {
            start -= 1;
        }
        let mut end = (at + len).min(r.len());
        while end < r.len() && end - start < max {
            end += 1;
            if ends_sentence(end - 1) {
                break;
            }
        }
        self.readable(start, end).trim().to_string()
    }
}

/// Folds a phrase of the table the same way page text is folded.
pub fn fold(phrase: &str) -> Vec<char> {
    SeenText::new(phrase).folded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_quotes_and_spacing() {
        let t = SeenText::new("  We\u{2019}RE experiencing\n\u{00A0} exceptionally   high demand ");
        assert!(t
            .find(&fold("we're experiencing exceptionally high demand"))
            .is_some());
        assert_eq!(t.readable(0, 5), "We\u{2019}RE");
    }

    #[test]
    fn zero_width_characters_do_not_hide_words() {
        let t = SeenText::new("Access\u{200B} de\u{200D}nied");
        assert!(t.find(&fold("access denied")).is_some());
    }

    #[test]
    fn long_text_is_bounded() {
        let t = SeenText::new(&"x".repeat(MAX_REGION_CHARS * 3));
        assert_eq!(t.len(), MAX_REGION_CHARS);
    }

    #[test]
    fn a_quote_stops_at_a_block_s_end() {
        let t = SeenText::new("Too many requests\nYou're making requests too quickly. Wait.");
        let at = t.find(&fold("too many requests")).unwrap();
        assert_eq!(t.sentence_around(at, 17, 300), "Too many requests");
        let at = t.find(&fold("making requests")).unwrap();
        assert_eq!(
            t.sentence_around(at, 15, 300),
            "You're making requests too quickly."
        );
        // Matching does not see the break.
        assert!(t.find(&fold("requests you're making")).is_some());
    }

    #[test]
    fn quotes_the_sentence_of_a_match() {
        let t = SeenText::new("Oops. A network error occurred. Please try again. Other text.");
        let at = t.find(&fold("network error")).unwrap();
        assert_eq!(t.sentence_around(at, 13, 160), "A network error occurred.");
    }

    #[test]
    fn multibyte_and_empty_input_are_fine() {
        assert!(SeenText::new("").is_empty());
        let t = SeenText::new("İİİ ǅ 😀");
        assert!(t.find(&fold("x")).is_none());
        assert!(t.find(&[]).is_none());
    }
}
