//! Adversarial text, independent of the core: random bytes read as UTF-8, huge strings,
//! deeply nested and unclosed markup, every Unicode oddity a page can hold, phrases that
//! nearly match what the core looks for, Ray-ID-, code-, clock- and JSON-like fragments.
//! Text is built from fragments of these kinds, so they also meet each other. (JSON-like
//! fragments and byte edits are in `json`.)

use super::rng::Rng;

/// The largest string made (a few MB: a page's whole text, a pasted log).
pub const HUGE_MAX_BYTES: usize = 4 << 20;

/// Words the pages use, for when the caller brings none; the core's own phrases are better
/// (see `inputs`), these keep the generator useful on its own.
const ERROR_WORDS: &[&str] = &[
    "Access denied",
    "Error code",
    "Error reference number",
    "Ray ID",
    "Just a moment",
    "Verify you are human",
    "Internal server error",
    "Bad gateway",
    "Too many requests",
    "ChatGPT is at capacity right now",
    "Something went wrong",
    "A network error occurred",
    "Your session has expired",
    "Unusual activity has been detected from your device",
    "You've reached our limit of messages per hour",
    "try again after",
    "net::ERR_CONNECTION_RESET",
    "clears_in",
];

/// Characters that break naive text handling: zero-width and bidi controls, combining marks,
/// case changes that change length, look-alikes, separators, non-characters, NUL.
const ODD_CHARS: &[char] = &[
    '\0',
    '\u{1}',
    '\u{7}',
    '\u{8}',
    '\u{b}',
    '\u{c}',
    '\u{1b}',
    '\u{7f}',
    '\u{85}',
    '\u{a0}',
    '\u{ad}',
    '\u{200b}',
    '\u{200c}',
    '\u{200d}',
    '\u{200e}',
    '\u{200f}',
    '\u{2028}',
    '\u{2029}',
    '\u{202a}',
    '\u{202b}',
    '\u{202c}',
    '\u{202d}',
    '\u{202e}',
    '\u{2060}',
    '\u{2066}',
    '\u{2067}',
    '\u{2068}',
    '\u{2069}',
    '\u{061c}',
    '\u{feff}',
    '\u{fffd}',
    '\u{fffe}',
    '\u{ffff}',
    '\u{d7ff}',
    '\u{e000}',
    '\u{10ffff}',
    '\u{0301}',
    '\u{0338}',
    '\u{20dd}',
    '\u{034f}',
    '\u{1680}',
    '\u{2007}',
    '\u{202f}',
    '\u{3000}',
    'İ',
    'ı',
    'ß',
    'ẞ',
    'ς',
    'Σ',
    'ﬁ',
    'Å',
    'K',
    'ǅ',
    'а',
    'е',
    'о',
    'с',
    'р',
    'і',
    'ο',
    '\u{2019}',
    '\u{201c}',
    '\u{2026}',
    '\u{2212}',
    '\u{2010}',
    '\u{ff1a}',
    '\u{fe55}',
    '😀',
    '🇺',
    '🇸',
    '👩',
    '\u{1f3fd}',
    '\u{fe0f}',
    '\u{20e3}',
    '𝟏',
    '\u{e0001}',
    '\u{e007f}',
];

/// Digits that are not ASCII: full-width, Arabic-Indic, Devanagari, superscript, bold math.
const DIGIT_SETS: &[[char; 10]] = &[
    ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    ['０', '１', '２', '３', '４', '５', '６', '７', '８', '９'],
    ['٠', '١', '٢', '٣', '٤', '٥', '٦', '٧', '٨', '٩'],
    ['०', '१', '२', '३', '४', '५', '६', '७', '८', '९'],
    ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'],
    ['𝟎', '𝟏', '𝟐', '𝟑', '𝟒', '𝟓', '𝟔', '𝟕', '𝟖', '𝟗'],
];

const EMOJI: &[&str] = &[
    "👩\u{200d}👩\u{200d}👧\u{200d}👦",
    "🇺🇸",
    "1\u{fe0f}\u{20e3}0\u{fe0f}\u{20e3}",
    "👍🏽",
    "🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}",
];

/// Text that looks like markup, script, or a surrogate escape, but is text here.
const MARKUP_PIECES: &[&str] = &[
    "<div>",
    "</div>",
    "<div class=\"cf-error-details\">",
    "<span",
    "\"",
    "'",
    ">",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "javascript:alert(1)",
    "{{constructor.constructor('alert(1)')()}}",
    "${alert(1)}",
    "&amp;",
    "&lt;",
    "&#0;",
    "&#x110000;",
    "&#1020;",
    "\\u0000",
    "\\ud800",
    "\\uDFFF",
    "%00",
    "%E2%80%AE",
];

const SEPARATORS: &[&str] = &[
    " ", "", "\n", "\t", ": ", ". ", "! ", "? ", "\u{a0}", "  ", " | ", "\r\n",
];

pub struct Gen {
    pub rng: Rng,
    /// Phrases worth nearly matching: the caller's (the core's table), else `ERROR_WORDS`.
    words: &'static [&'static str],
}

impl Gen {
    pub fn new(seed: u64, words: &'static [&'static str]) -> Gen {
        Gen {
            rng: Rng::new(seed),
            words: if words.is_empty() { ERROR_WORDS } else { words },
        }
    }

    /// Any text: a few fragments of any kind, rarely a huge one.
    pub fn text(&mut self) -> String {
        let mut s = String::new();
        if self.rng.one_in(12) {
            return s;
        }
        if self.rng.one_in(4000) {
            return self.huge();
        }
        for _ in 0..=self.rng.skewed(10) {
            self.fragment(&mut s);
            s.push_str(self.rng.pick(SEPARATORS));
        }
        s
    }

    pub fn maybe_text(&mut self) -> Option<String> {
        self.rng.one_in(2).then(|| self.text())
    }

    fn fragment(&mut self, s: &mut String) {
        match self.rng.below(13) {
            0 | 1 => s.push_str(self.word()),
            2 | 3 => self.near_miss(s),
            4 => self.random_bytes(s),
            5 => self.random_chars(s),
            6 => self.oddities(s),
            7 => self.markup(s),
            8 => self.ray_id_like(s),
            9 => self.code_like(s),
            10 => self.json_ish(s, 0),
            11 => self.clock_or_date(s),
            _ => self.number(s),
        }
    }

    pub fn word(&mut self) -> &'static str {
        self.rng.pick(self.words)
    }

    /// A known phrase, slightly wrong: case, a letter dropped, doubled or swapped, a
    /// look-alike letter, zero-width or combining marks inside, other spaces, cut short, or
    /// glued to the word before it.
    pub fn near_miss(&mut self, s: &mut String) {
        let mut chars: Vec<char> = self.word().chars().collect();
        for _ in 0..=self.rng.skewed(3) {
            if chars.is_empty() {
                break;
            }
            let i = self.rng.below(chars.len());
            match self.rng.below(10) {
                0 => chars[i] = flip_case(chars[i]),
                1 => {
                    chars.remove(i);
                }
                2 => chars.insert(i, chars[i]),
                3 if i + 1 < chars.len() => chars.swap(i, i + 1),
                4 => chars[i] = look_alike(chars[i]),
                5 => chars.insert(
                    i,
                    self.rng
                        .pick(&['\u{200b}', '\u{ad}', '\u{0301}', '\u{feff}']),
                ),
                6 => {
                    for c in chars.iter_mut().filter(|c| **c == ' ') {
                        *c = self.rng.pick(&['\u{a0}', '\n', '\u{3000}', '\t']);
                    }
                }
                7 => chars.truncate(i),
                8 => chars.insert(0, self.rng.pick(&['x', '1', '_', 'é'])),
                _ => chars.iter_mut().for_each(|c| *c = c.to_ascii_uppercase()),
            }
        }
        s.extend(chars);
    }

    pub fn random_bytes(&mut self, s: &mut String) {
        let bytes: Vec<u8> = (0..self.rng.skewed(300)).map(|_| self.rng.byte()).collect();
        s.push_str(&String::from_utf8_lossy(&bytes));
    }

    /// Scalar values from all of Unicode, leaning towards the planes pages rarely use.
    pub fn random_chars(&mut self, s: &mut String) {
        for _ in 0..self.rng.skewed(100) {
            let c = match self.rng.below(4) {
                0 => self.rng.below(0x80) as u32,
                1 => self.rng.below(0x800) as u32,
                2 => self.rng.below(0x1_0000) as u32,
                _ => self.rng.below(0x11_0000) as u32,
            };
            s.push(char::from_u32(c).unwrap_or('\u{fffd}'));
        }
    }

    pub fn oddities(&mut self, s: &mut String) {
        match self.rng.below(6) {
            // A letter under a pile of combining marks ("zalgo").
            0 => {
                s.push('e');
                for _ in 0..self.rng.skewed(500) {
                    s.push(char::from_u32(0x300 + self.rng.below(0x70) as u32).unwrap_or('x'));
                }
            }
            1 => s.push_str(self.rng.pick(EMOJI)),
            2 => {
                let c = self.rng.pick(ODD_CHARS);
                s.extend(std::iter::repeat_n(c, self.rng.skewed(2000)));
            }
            3 => {
                // Right-to-left override around a phrase: it reads backwards on screen.
                s.push('\u{202e}');
                s.push_str(self.word());
                s.push('\u{202c}');
            }
            _ => {
                for _ in 0..=self.rng.skewed(20) {
                    s.push(self.rng.pick(ODD_CHARS));
                }
            }
        }
    }

    /// Markup as text: nested deep, unclosed, payloads, entities.
    pub fn markup(&mut self, s: &mut String) {
        match self.rng.below(4) {
            0 => {
                let depth = self.rng.skewed(50_000);
                s.push_str(&"<div>".repeat(depth));
                s.push_str(self.word());
                if self.rng.one_in(2) {
                    s.push_str(&"</div>".repeat(depth));
                }
            }
            1 => {
                let depth = self.rng.skewed(5_000);
                s.push_str(&"<span class=\"".repeat(depth));
            }
            _ => {
                for _ in 0..=self.rng.skewed(12) {
                    s.push_str(self.rng.pick(MARKUP_PIECES));
                    if self.rng.one_in(3) {
                        s.push_str(self.word());
                    }
                }
            }
        }
    }

    /// "Ray ID: 7b9d776a8e02f1b8" and near misses: too short or long, upper case, non-ASCII
    /// hex, a colo suffix.
    pub fn ray_id_like(&mut self, s: &mut String) {
        if self.rng.one_in(2) {
            s.push_str(self.rng.pick(&[
                "Ray ID: ",
                "Cloudflare Ray ID: ",
                "ray id",
                "Ray ID • ",
                "RAY ID:",
            ]));
        }
        self.ray_id_value(s);
    }

    /// What a `cf-ray` header or the page's Ray ID holds, or nearly.
    pub fn ray_id_value(&mut self, s: &mut String) {
        const HEX: &[char] = &[
            '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f', 'A',
            'F', 'ａ', 'ｆ', 'g', '０',
        ];
        let len = self.rng.pick(&[15, 16, 16, 16, 17, 32, 0, 1]);
        let pool = if self.rng.one_in(3) { HEX } else { &HEX[..16] };
        for _ in 0..len {
            s.push(self.rng.pick(pool));
        }
        if self.rng.one_in(2) {
            s.push_str(
                self.rng
                    .pick(&["-CDG", "-LHR", "-", "--", "-\u{202e}X", "-🇺🇸"]),
            );
        }
    }

    /// "Error code: 1020" and its relatives, with digits of every script and length.
    pub fn code_like(&mut self, s: &mut String) {
        s.push_str(self.rng.pick(&[
            "Error code: ",
            "Error code ",
            "error code:",
            "Error ",
            "Error reference number: ",
            "error code #",
            "ERROR=",
            "Error\u{a0}code\u{a0}",
            "",
        ]));
        if self.rng.one_in(6) {
            s.push(self.rng.pick(&['-', '+', '0', ' ']));
        }
        let digits = self.rng.pick(DIGIT_SETS);
        for _ in 0..self.rng.pick(&[1, 2, 3, 3, 4, 4, 5, 9, 30]) {
            s.push(self.rng.pick(&digits));
        }
        if self.rng.one_in(3) {
            s.push_str(
                self.rng
                    .pick(&[".5", "x", "abc", ":", "0", "\u{0301}", "%"]),
            );
        }
    }

    /// A fragment or two, never huge: for use inside other structures.
    pub fn text_no_huge(&mut self) -> String {
        let mut s = String::new();
        if self.rng.one_in(2) {
            s.push_str(self.word());
        } else {
            self.near_miss(&mut s);
        }
        s
    }

    /// Clock times ("try again after 3:27 PM"), waits, Retry-After values and HTTP dates,
    /// inside and outside their ranges.
    pub fn clock_or_date(&mut self, s: &mut String) {
        match self.rng.below(4) {
            0 => {
                s.push_str(self.rng.pick(&[
                    "try again after ",
                    "until ",
                    "resets at ",
                    "again at ",
                    "after",
                    "",
                ]));
                let h = self.rng.below(100);
                let m = self.rng.below(100);
                s.push_str(&format!("{h}:{m:02}"));
                s.push_str(
                    self.rng
                        .pick(&[" PM", "pm", " a.m.", " AM", "", " p", " PM\u{0301}"]),
                );
            }
            1 => {
                s.push_str(self.rng.pick(&[
                    "\"clears_in\": ",
                    "clears_in:",
                    "'clears_in' ",
                    "in ",
                ]));
                self.number(s);
                s.push_str(self.rng.pick(&["", " minutes", " seconds", " hours"]));
            }
            2 => self.http_date(s),
            _ => self.number(s),
        }
    }

    pub fn http_date(&mut self, s: &mut String) {
        let day = self.rng.pick(&["Wed,", "Thu,", "", "Xyz,"]);
        let date = self.rng.below(40);
        let month = self
            .rng
            .pick(&["Oct", "Feb", "oct", "Octember", "", "Ｏct"]);
        let year = self.rng.pick(&[1969, 1970, 2015, 2026, 9999, 10000, 0]);
        let (h, m, sec) = (self.rng.below(30), self.rng.below(70), self.rng.below(70));
        let zone = self.rng.pick(&["GMT", "gmt", "UTC", "", "GMT+1"]);
        s.push_str(&format!(
            "{day} {date} {month} {year} {h:02}:{m:02}:{sec:02} {zone}"
        ));
    }

    /// Numbers at the edges of every integer type a parser might use, and then some.
    pub fn number(&mut self, s: &mut String) {
        const EDGES: &[&str] = &[
            "0",
            "1",
            "-1",
            "255",
            "256",
            "1020",
            "1015",
            "522",
            "65535",
            "65536",
            "2147483647",
            "2147483648",
            "-2147483649",
            "4294967295",
            "4294967296",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999999999",
            "1e9",
            "1e400",
            "0x3fc",
            "1_000",
            "３６００",
            "-0",
            "+5",
            "٣",
        ];
        if self.rng.one_in(2) {
            s.push_str(self.rng.pick(EDGES));
        } else {
            let digits = self.rng.next_u64().to_string();
            s.push_str(&digits[..self.rng.between(1, 8).min(digits.len())]);
        }
    }

    /// One string of up to `HUGE_MAX_BYTES`: a run of one piece, or of one odd character.
    pub fn huge(&mut self) -> String {
        let len = self.rng.between(HUGE_MAX_BYTES / 4, HUGE_MAX_BYTES);
        let mut piece = String::new();
        match self.rng.below(3) {
            0 => piece.push_str(self.word()),
            1 => piece.push(self.rng.pick(ODD_CHARS)),
            _ => self.markup(&mut piece),
        }
        if piece.is_empty() {
            piece.push('a');
        }
        let mut s = piece.repeat(len / piece.len() + 1);
        let mut cut = len.min(s.len());
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s
    }
}

fn flip_case(c: char) -> char {
    if c.is_lowercase() {
        c.to_uppercase().next().unwrap_or(c)
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// A letter that looks the same and is not (Cyrillic, Greek, full-width).
fn look_alike(c: char) -> char {
    match c {
        'a' => 'а',
        'e' => 'е',
        'o' => 'ο',
        'c' => 'с',
        'p' => 'р',
        'i' => 'і',
        'x' => 'х',
        'y' => 'у',
        'A' => 'Α',
        'E' => 'Ε',
        ' ' => '\u{2002}',
        '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c),
        c => c,
    }
}
