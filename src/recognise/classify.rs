//! Runs a snapshot through the signature table.

use crate::page::diagnosis::{Diagnosis, Evidence, EvidenceSource};
use crate::page::kind::ErrorKind;
use crate::page::snapshot::{PageSnapshot, Region, RegionKind, ResponseInfo};
use crate::recognise::evidence;
use crate::recognise::sensor_spec::{label_of, marker, SENSOR_SPEC};
use crate::recognise::signatures::{CodeFrom, Cond, Place, Signature, SIGNATURES};
use crate::recognise::text::{fold, SeenText};

/// Below this much visible text, a document that is not the app reads as an error page even
/// with a 200 status (the capacity page, "Internal server error" alone). Help articles and
/// real pages are far longer.
const SHORT_PAGE_CHARS: u32 = 1500;
const QUOTE_CHARS: usize = 200;

/// What was seen, folded once for all the table's rows.
struct Seen<'a> {
    snapshot: &'a PageSnapshot,
    title: SeenText,
    regions: Vec<(Place, SeenText)>,
    navigation: SeenText,
    error_document: bool,
    /// The error code the document states, and the place it was read from.
    stated_code: Option<(u16, String)>,
}

/// Why a row matched: its quotes and the sentence to show.
#[derive(Default)]
struct Match {
    evidence: Vec<Evidence>,
    message: Option<String>,
}

fn place_of(kind: RegionKind) -> Option<Place> {
    match kind {
        RegionKind::CloudflareBox => Some(Place::CloudflareBox),
        RegionKind::ErrorPage => Some(Place::ErrorPage),
        RegionKind::Alert => Some(Place::Alert),
        RegionKind::TurnError => Some(Place::TurnError),
        RegionKind::ErrorBox => Some(Place::ErrorBox),
        RegionKind::Unknown => None,
    }
}

/// Scripts written without spaces between words (Chinese, Japanese, Thai): a phrase in them
/// starts wherever it is found, there is no word boundary to wait for.
fn is_unspaced(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' // hiragana, katakana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}' // half-width katakana
        | '\u{0E00}'..='\u{0E7F}' // Thai
    )
}

fn is_error_status(status: Option<u16>) -> bool {
    status.is_some_and(|s| s >= 400)
}

impl<'a> Seen<'a> {
    fn new(snapshot: &'a PageSnapshot) -> Seen<'a> {
        let is_app = snapshot.has_marker(marker::APP_SHELL);
        let error_markup = [
            marker::CF_ERROR_BOX,
            marker::CF_STATUS_DIAGRAM,
            marker::CF_CHALLENGE,
            marker::CF_CHALLENGE_SCRIPT,
            marker::OPENAI_ERROR_PAGE,
        ]
        .iter()
        .any(|m| snapshot.has_marker(m));
        let short = snapshot.page_text_len.is_some_and(|n| n < SHORT_PAGE_CHARS);
        let error_document =
            !is_app && (is_error_status(snapshot.response.status) || error_markup || short);
        let regions: Vec<(Place, SeenText)> = snapshot
            .regions
            .iter()
            .filter_map(|r| Some((place_of(r.kind)?, SeenText::new(&r.text))))
            .filter(|(place, text)| {
                !text.is_empty() && (*place != Place::ErrorPage || error_document)
            })
            .collect();
        let title = if error_document {
            SeenText::new(&snapshot.title)
        } else {
            SeenText::default()
        };
        let stated_code = regions
            .iter()
            .filter(|(p, _)| matches!(p, Place::CloudflareBox | Place::ErrorPage))
            .find_map(|(_, t)| {
                let at = evidence::stated_error_code(t)?;
                Some((at.code, t.readable(at.start, at.end)))
            })
            .or_else(|| {
                Some((
                    evidence::title_status_code(&title)?,
                    title.readable(0, QUOTE_CHARS),
                ))
            });
        Seen {
            snapshot,
            navigation: SeenText::new(&evidence::navigation_error_name(
                snapshot.navigation_error.as_deref().unwrap_or(""),
            )),
            title,
            regions,
            error_document,
            stated_code,
        }
    }

    fn texts<'s>(&'s self, place: Place) -> Box<dyn Iterator<Item = &'s SeenText> + 's> {
        match place {
            Place::Title => Box::new(std::iter::once(&self.title)),
            Place::Navigation => Box::new(std::iter::once(&self.navigation)),
            _ => Box::new(
                self.regions
                    .iter()
                    .filter(move |(p, _)| *p == place)
                    .map(|(_, t)| t),
            ),
        }
    }

    fn status(&self) -> Option<u16> {
        self.snapshot.response.status
    }

    fn header_is_cloudflare(&self) -> bool {
        let r = &self.snapshot.response;
        r.cf_ray.as_deref().is_some_and(|v| !v.trim().is_empty())
            || r.server
                .as_deref()
                .is_some_and(|s| s.trim().eq_ignore_ascii_case("cloudflare"))
    }

    fn says(&self, places: &[Place], phrases: &[&str]) -> Option<Match> {
        let folded: Vec<Vec<char>> = phrases.iter().map(|p| fold(p)).collect();
        // Phrase order is the row's priority; places only say where to look.
        for phrase in &folded {
            for &place in places {
                for text in self.texts(place) {
                    let mut from = 0;
                    while let Some(at) = text.find_from(phrase, from) {
                        from = at + 1;
                        let boundary = at == 0
                            || !text.folded()[at - 1].is_alphanumeric()
                            || is_unspaced(phrase[0])
                            || is_unspaced(text.folded()[at - 1]);
                        if !boundary {
                            continue;
                        }
                        let source = match place {
                            Place::Title => EvidenceSource::Title,
                            Place::Navigation => EvidenceSource::Navigation,
                            _ => EvidenceSource::Message,
                        };
                        let sentence = if place == Place::Navigation {
                            text.readable(0, QUOTE_CHARS)
                        } else {
                            text.sentence_around(at, phrase.len(), QUOTE_CHARS)
                        };
                        return Some(Match {
                            evidence: vec![Evidence {
                                source,
                                text: sentence.clone(),
                            }],
                            message: (place != Place::Navigation).then_some(sentence),
                        });
                    }
                }
            }
        }
        None
    }

    fn check(&self, cond: &Cond) -> Option<Match> {
        let status_evidence = |s: u16| Match {
            evidence: vec![Evidence {
                source: EvidenceSource::Status,
                text: format!("HTTP {s}"),
            }],
            message: None,
        };
        match cond {
            Cond::Says(places, phrases) => self.says(places, phrases),
            Cond::AnyText(places) => {
                let text = places
                    .iter()
                    .flat_map(|p| self.texts(*p))
                    .find(|t| t.folded().iter().any(|c| c.is_alphanumeric()))?;
                let quote = text.sentence_around(0, 0, QUOTE_CHARS);
                Some(Match {
                    evidence: vec![Evidence {
                        source: EvidenceSource::Message,
                        text: quote.clone(),
                    }],
                    message: Some(quote),
                })
            }
            Cond::Markup(ids) => {
                let found = ids.iter().find(|id| self.snapshot.has_marker(id))?;
                Some(Match {
                    evidence: vec![Evidence {
                        source: EvidenceSource::Markup,
                        text: label_of(found).to_string(),
                    }],
                    message: None,
                })
            }
            Cond::Status(lo, hi) => {
                let s = self.status().filter(|s| (lo..=hi).contains(&s))?;
                Some(status_evidence(s))
            }
            Cond::StatedCode(lo, hi) => {
                let (_, quote) = self
                    .stated_code
                    .as_ref()
                    .filter(|(c, _)| (lo..=hi).contains(&c))?;
                // The code is evidence, not the page's message: that comes from its wording.
                Some(Match {
                    evidence: vec![Evidence {
                        source: EvidenceSource::Message,
                        text: quote.clone(),
                    }],
                    message: None,
                })
            }
            Cond::ChallengeHeader => {
                let v = self.snapshot.response.cf_mitigated.as_deref()?;
                v.trim().eq_ignore_ascii_case("challenge").then(|| Match {
                    evidence: vec![Evidence {
                        source: EvidenceSource::Header,
                        text: "cf-mitigated: challenge".into(),
                    }],
                    message: None,
                })
            }
            Cond::CloudflareServed => {
                if self.header_is_cloudflare() {
                    Some(Match::default())
                } else {
                    self.check(&Cond::Markup(&[
                        marker::CF_ERROR_BOX,
                        marker::CF_STATUS_DIAGRAM,
                    ]))
                }
            }
            Cond::PathContains(parts) => {
                let path = self.snapshot.path();
                parts.iter().any(|p| path.contains(p)).then(Match::default)
            }
            Cond::ErrorDocument => self.error_document.then(Match::default),
            Cond::HtmlResponse => {
                let r = &self.snapshot.response;
                let html = r.content_type.as_deref().is_some_and(|t| {
                    t.split(';')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .eq_ignore_ascii_case("text/html")
                });
                html.then(Match::default)
            }
            Cond::BodyUnread => self.snapshot.body_unread.then(Match::default),
            Cond::AnyOf(conds) => conds.iter().find_map(|c| self.check(c)),
        }
    }

    fn matches(&self, signature: &Signature) -> Option<Match> {
        let mut all = Match::default();
        for cond in signature.when {
            let m = self.check(cond)?;
            all.message = all.message.or(m.message);
            for e in m.evidence {
                if !all.evidence.contains(&e) {
                    all.evidence.push(e);
                }
            }
        }
        Some(all)
    }

    fn code(&self, rule: CodeFrom) -> Option<String> {
        let status = self.status().filter(|s| *s >= 400).map(|s| s.to_string());
        match rule {
            CodeFrom::Nothing => None,
            CodeFrom::Status => status,
            CodeFrom::StatedOrStatus => self
                .stated_code
                .as_ref()
                .map(|(c, _)| c.to_string())
                .or(status),
            CodeFrom::Token(tokens) => tokens
                .iter()
                .find(|t| {
                    self.says(&[Place::Alert, Place::TurnError, Place::ErrorPage], &[t])
                        .is_some()
                })
                .map(|t| t.to_string())
                .or(status),
            CodeFrom::Navigation => {
                let name =
                    evidence::navigation_error_name(self.snapshot.navigation_error.as_deref()?);
                (!name.is_empty()).then_some(name)
            }
        }
    }

    /// The sentence that names the error in the page's words, read through the wording rows of
    /// the same kind: a row matched on structure ("Error code 1020", a header) still shows
    /// the person what the page says ("Access denied").
    fn wording_of(&self, kind: ErrorKind) -> Option<Match> {
        SIGNATURES
            .iter()
            .filter(|s| s.kind == kind)
            .flat_map(|s| s.when.iter())
            .find_map(|c| match c {
                Cond::Says(places, phrases) => self.says(places, phrases),
                _ => None,
            })
    }

    fn ray_id(&self) -> Option<String> {
        self.regions
            .iter()
            .find_map(|(_, t)| evidence::page_ray_id(t))
            .or_else(|| {
                self.snapshot
                    .response
                    .cf_ray
                    .as_deref()
                    .and_then(evidence::header_ray_id)
            })
    }
}

/// At most this many markers are read (the sensor knows fewer kinds than this).
const MAX_MARKERS: usize = 32;

/// Whether `s` is small enough to read as it is: no more regions or markers than the sensor
/// sends, and no text longer in bytes than its character bound can take in UTF-8. A loose
/// check (counting characters costs the core's size), enough to bound what any input costs.
fn within_bounds(s: &PageSnapshot) -> bool {
    let spec = &SENSOR_SPEC;
    let short = |t: &str| t.len() <= spec.max_region_chars * 4; // bytes: 4 per char at most
    s.regions.len() <= spec.max_regions
        && s.markers.len() <= MAX_MARKERS
        && short(&s.title)
        && s.regions.iter().all(|r| short(&r.text))
}

/// `s` cut to what the sensor could have sent: its spec's number of regions, each region's
/// and the title's text to its number of characters.
fn bound(s: &PageSnapshot) -> PageSnapshot {
    let spec = &SENSOR_SPEC;
    let cut = |t: &str| t.chars().take(spec.max_region_chars).collect::<String>();
    PageSnapshot {
        title: cut(&s.title),
        markers: s.markers.iter().take(MAX_MARKERS).cloned().collect(),
        regions: s
            .regions
            .iter()
            .take(spec.max_regions)
            .map(|r| Region {
                kind: r.kind,
                text: cut(&r.text),
            })
            .collect(),
        ..s.clone()
    }
}

/// What the status line and headers of a document's response say on their own, before its
/// body has arrived: enough for the badge at once; the page's own reading then replaces it.
/// `none` when they do not tell (a 200, an unknown 4xx).
pub fn provisional(url: &str, response: &ResponseInfo, now_ms: Option<f64>) -> Diagnosis {
    classify(&PageSnapshot {
        url: url.to_string(),
        response: response.clone(),
        now_ms,
        body_unread: true,
        ..PageSnapshot::default()
    })
}

/// Names the error a page shows, with its evidence. Total: any snapshot gives an answer.
/// A healthy-looking conversation of the app (`/c/<id>`, also inside a GPT or project) that
/// lacks what its pages are built of: turns, message authors or the composer. The home page
/// and the GPT store have no turns by nature, a logged-out page no composer; a page that is
/// not the app is not judged at all.
pub fn page_changed(snapshot: &PageSnapshot) -> bool {
    use crate::recognise::sensor_spec::marker::{
        APP_SHELL, COMPOSER, CONVERSATION_TURNS, LOGIN_BUTTON, MESSAGE_ROLES,
    };
    let path = crate::page::snapshot::url_path(&snapshot.url);
    let conversation = path.starts_with("/c/") || path.contains("/c/");
    snapshot.has_marker(APP_SHELL)
        && !snapshot.has_marker(LOGIN_BUTTON)
        && conversation
        && [CONVERSATION_TURNS, MESSAGE_ROLES, COMPOSER]
            .iter()
            .any(|m| !snapshot.has_marker(m))
}

pub fn classify(snapshot: &PageSnapshot) -> Diagnosis {
    // The sensor never sends more than its spec's bounds; a snapshot that does (a page
    // process that lies) is read within them, so no input costs more than a real page.
    let bounded;
    let snapshot = if within_bounds(snapshot) {
        snapshot
    } else {
        bounded = bound(snapshot);
        &bounded
    };
    let seen = Seen::new(snapshot);
    let Some((signature, found)) = SIGNATURES.iter().find_map(|s| Some((s, seen.matches(s)?)))
    else {
        return Diagnosis {
            http_status: snapshot.response.status,
            page_changed: page_changed(snapshot),
            ..Diagnosis::healthy()
        };
    };
    let mut evidence = found.evidence;
    let mut message = found.message;
    if message.is_none() {
        if let Some(words) = seen.wording_of(signature.kind) {
            for e in words.evidence.into_iter().rev() {
                if !evidence.contains(&e) {
                    evidence.insert(0, e);
                }
            }
            message = words.message;
        }
    }
    // No wording at all: the stated code is the closest thing to a message the page has.
    let message = message.or_else(|| {
        evidence
            .iter()
            .find(|e| e.source == EvidenceSource::Message)
            .map(|e| e.text.clone())
    });
    if let Some(s) = seen.status().filter(|s| *s >= 400) {
        let e = Evidence {
            source: EvidenceSource::Status,
            text: format!("HTTP {s}"),
        };
        if !evidence.contains(&e) {
            evidence.push(e);
        }
    }
    let now = snapshot.now_ms;
    let retry_after_secs = snapshot
        .response
        .retry_after
        .as_deref()
        .and_then(|v| evidence::retry_after_secs(v, now))
        .or_else(|| {
            seen.regions
                .iter()
                .find_map(|(_, t)| evidence::clears_in_secs(t))
        });
    let reset_at_ms = now.and_then(|now| {
        let offset = snapshot
            .utc_offset_minutes
            .unwrap_or(0)
            .clamp(-16 * 60, 16 * 60);
        seen.regions
            .iter()
            .find_map(|(_, t)| evidence::stated_reset_ms(t, now, offset))
            // A limit notice in another language: its lead-in words are its own, its
            // clock is not.
            .or_else(|| {
                (signature.kind == ErrorKind::RateLimited)
                    .then(|| {
                        seen.regions
                            .iter()
                            .filter(|(p, _)| !matches!(p, Place::ErrorPage | Place::CloudflareBox))
                            .find_map(|(_, t)| evidence::any_clock_time_ms(t, now, offset))
                    })
                    .flatten()
            })
    });
    Diagnosis {
        kind: signature.kind,
        signature: Some(signature.id.to_string()),
        code: seen.code(signature.code),
        ray_id: seen.ray_id(),
        retry_after_secs,
        reset_at_ms,
        message,
        evidence,
        confidence: signature.confidence,
        http_status: snapshot.response.status,
        retry_button: snapshot.has_marker(crate::recognise::sensor_spec::marker::TURN_RETRY_BUTTON),
        // An error recognised says more than a page that looks unfamiliar (a conversation
        // that failed to load has no turns either).
        page_changed: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conversation_without_its_structures_is_a_changed_page_never_an_error() {
        use crate::recognise::sensor_spec::marker::*;
        let page = |url: &str, markers: &[&str]| PageSnapshot {
            url: url.into(),
            markers: markers.iter().map(|m| m.to_string()).collect(),
            ..PageSnapshot::default()
        };
        let all = [APP_SHELL, CONVERSATION_TURNS, MESSAGE_ROLES, COMPOSER];
        let conversation = "https://chatgpt.com/c/0e1d2c3b-4a59-8687-b6c5-d4e3f2a1b0c9";
        assert!(!classify(&page(conversation, &all)).page_changed);
        for missing in 1..all.len() {
            let markers: Vec<&str> = all.iter().copied().filter(|m| *m != all[missing]).collect();
            let d = classify(&page(conversation, &markers));
            assert!(d.page_changed, "without {}", all[missing]);
            assert_eq!(d.kind, ErrorKind::None, "never an error by itself");
        }
        // The home page and a GPT's page have no turns by nature; a logged-out page, not the
        // app, or a recognised error say nothing of the kind.
        assert!(!classify(&page("https://chatgpt.com/", &[APP_SHELL, COMPOSER])).page_changed);
        assert!(!classify(&page("https://chatgpt.com/gpts", &[APP_SHELL])).page_changed);
        assert!(!classify(&page(conversation, &[APP_SHELL, LOGIN_BUTTON])).page_changed);
        assert!(!classify(&page(conversation, &[])).page_changed);
        assert!(!classify(&page(conversation, &[APP_SHELL, TURN_RETRY_BUTTON])).page_changed);
        let in_project =
            "https://chatgpt.com/g/g-p-6ab69fbd-c2/c/6abcd235-20f0-83eb-861e-d8a0e79d25c1";
        assert!(classify(&page(in_project, &[APP_SHELL])).page_changed);
    }
    use crate::page::kind::ErrorKind;

    /// A toast saying `text`, `n` times, each padded to `len` characters, on the app.
    fn flood(n: usize, len: usize) -> PageSnapshot {
        let mut text = String::from("A network error occurred.");
        text.extend(std::iter::repeat_n('x', len.saturating_sub(text.len())));
        PageSnapshot {
            url: "https://chatgpt.com/c/x".into(),
            markers: vec![marker::APP_SHELL.into()],
            regions: (0..n)
                .map(|_| Region {
                    kind: RegionKind::Alert,
                    text: text.clone(),
                })
                .collect(),
            ..PageSnapshot::default()
        }
    }

    #[test]
    fn a_snapshot_beyond_the_sensors_bounds_is_read_within_them() {
        let spec = &SENSOR_SPEC;
        let huge = flood(500, 20_000);
        assert!(!within_bounds(&huge));
        let cut = bound(&huge);
        assert!(within_bounds(&cut));
        assert_eq!(cut.regions.len(), spec.max_regions);
        assert!(cut
            .regions
            .iter()
            .all(|r| r.text.chars().count() == spec.max_region_chars));
        // Read as the sensor's first regions would be.
        let d = classify(&huge);
        assert_eq!(d.kind, ErrorKind::NetworkError);
        assert_eq!(d, classify(&flood(spec.max_regions, spec.max_region_chars)));
        // A snapshot within the bounds is read as it is.
        assert!(within_bounds(&flood(3, 200)));
    }
}
