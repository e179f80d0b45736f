//! Pulling the facts out of what was seen: error codes, Ray IDs, retry delays, reset times.
//! Hand-written scanners rather than regexes: they keep the WebAssembly module small and are
//! total on any input.

use crate::recognise::text::{fold, SeenText};

fn digits_at(s: &[char], at: usize, max_len: usize) -> Option<(u32, usize)> {
    let len = s[at.min(s.len())..]
        .iter()
        .take(max_len + 1)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if len == 0 || len > max_len {
        return None;
    }
    let value = s[at..at + len]
        .iter()
        .fold(0u32, |v, c| v * 10 + c.to_digit(10).unwrap_or(0));
    Some((value, len))
}

fn skip(s: &[char], mut at: usize, chars: &[char]) -> usize {
    while at < s.len() && chars.contains(&s[at]) {
        at += 1;
    }
    at
}

/// An error code the page states, and where it says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatedCode {
    pub code: u16,
    pub start: usize,
    pub end: usize,
}

/// The error number a page states: "Error code 1020", "Error code: 1015", "Error reference
/// number: 502", "Error 1020", "error code: 1020" (plain-text bodies). Three or four digits.
/// `start..end` covers the whole statement ("Error code: 1020"), to quote it.
pub fn stated_error_code(text: &SeenText) -> Option<StatedCode> {
    let s = text.folded();
    let error = fold("error");
    let qualifiers = [fold("code"), fold("reference number")];
    let mut from = 0;
    while let Some(at) = text.find_from(&error, from) {
        from = at + error.len();
        let mut i = skip(s, from, &[' ']);
        if let Some(q) = qualifiers.iter().find(|q| s[i..].starts_with(q)) {
            i += q.len();
        }
        i = skip(s, i, &[' ', ':', '#', '=']);
        if let Some((code, len)) = digits_at(s, i, 4) {
            let followed_ok = s.get(i + len).is_none_or(|c| !c.is_alphanumeric());
            if len >= 3 && followed_ok {
                let code = u16::try_from(code).ok()?;
                return Some(StatedCode {
                    code,
                    start: at,
                    end: i + len,
                });
            }
        }
    }
    None
}

/// Firefox reports navigation failures as bare nsresult numbers ("Error code 2152398868").
/// The network module's failures, by name, so one vocabulary serves both browsers.
const FIREFOX_NETWORK_ERRORS: &[(u32, &str)] = &[
    (0x804B_000D, "NS_ERROR_CONNECTION_REFUSED"),
    (0x804B_000E, "NS_ERROR_NET_TIMEOUT"),
    (0x804B_0010, "NS_ERROR_OFFLINE"),
    (0x804B_0014, "NS_ERROR_NET_RESET"),
    (0x804B_001E, "NS_ERROR_UNKNOWN_HOST"),
    (0x804B_002A, "NS_ERROR_UNKNOWN_PROXY_HOST"),
    (0x804B_0047, "NS_ERROR_NET_INTERRUPT"),
    (0x804B_0048, "NS_ERROR_PROXY_CONNECTION_REFUSED"),
    (0x804B_004C, "NS_ERROR_NET_PARTIAL_TRANSFER"),
    (0x804B_0055, "NS_ERROR_NET_TIMEOUT_EXTERNAL"),
    (0x804B_0002, "NS_BINDING_ABORTED"),
];

/// The browser's navigation error as a name: Chrome's `net::ERR_…` without the prefix,
/// Firefox's `NS_ERROR_…`, or its nsresult number turned into that name when known.
pub fn navigation_error_name(raw: &str) -> String {
    let raw = raw.trim();
    let number = raw
        .rsplit(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .and_then(|n| {
            n.strip_prefix("0x")
                .map_or_else(|| n.parse().ok(), |h| u32::from_str_radix(h, 16).ok())
        });
    if let Some(name) = number.and_then(|n| FIREFOX_NETWORK_ERRORS.iter().find(|(c, _)| *c == n)) {
        return name.1.to_string();
    }
    let name = raw.strip_prefix("net::").unwrap_or(raw);
    name.chars().take(64).collect()
}

/// The status code at the head of Cloudflare's 5xx titles: "522: Connection timed out",
/// "chatgpt.com | 502: Bad gateway".
pub fn title_status_code(title: &SeenText) -> Option<u16> {
    let s = title.folded();
    (0..s.len()).find_map(|i| {
        let starts_word = i == 0 || !s[i - 1].is_alphanumeric();
        let (code, len) = digits_at(s, i, 3)?;
        (starts_word && len == 3 && s.get(i + 3) == Some(&':') && (100..600).contains(&code))
            .then_some(code as u16)
    })
}

fn is_ray_id(candidate: &str) -> bool {
    candidate.len() == 16 && candidate.chars().all(|c| c.is_ascii_hexdigit())
}

/// "Ray ID: 7b9d776a8e02f1b8" / "Cloudflare Ray ID: 7b9d…" as the page shows it.
pub fn page_ray_id(text: &SeenText) -> Option<String> {
    let needle = fold("ray id");
    let s = text.folded();
    let mut from = 0;
    while let Some(at) = text.find_from(&needle, from) {
        from = at + needle.len();
        let i = skip(s, from, &[' ', ':', '#', '•']);
        let candidate: String = s[i..].iter().take(16).collect();
        if is_ray_id(&candidate) && s.get(i + 16).is_none_or(|c| !c.is_ascii_hexdigit()) {
            return Some(candidate);
        }
    }
    None
}

/// The `cf-ray` header is `<16 hex>-<colo>`; pages show only the hex part.
pub fn header_ray_id(header: &str) -> Option<String> {
    let hex = header.trim().split('-').next()?.to_ascii_lowercase();
    is_ray_id(&hex).then_some(hex)
}

/// Seconds from a `Retry-After` value: delta-seconds or an HTTP date.
pub fn retry_after_secs(value: &str, now_ms: Option<f64>) -> Option<u32> {
    let value = value.trim();
    if !value.is_empty() && value.chars().all(|c| c.is_ascii_digit()) {
        return Some(
            value
                .parse::<u64>()
                .map_or(u32::MAX, |v| v.min(u32::MAX as u64) as u32),
        );
    }
    let at = http_date_ms(value)?;
    let wait = (at - now_ms?) / 1000.0;
    Some(if wait <= 0.0 {
        0
    } else {
        wait.ceil().min(u32::MAX as f64) as u32
    })
}

/// The app's JSON bodies say when a limit clears: `"clears_in": 42`.
pub fn clears_in_secs(text: &SeenText) -> Option<u32> {
    let needle = fold("clears_in");
    let at = text.find(&needle)?;
    let s = text.folded();
    let i = skip(s, at + needle.len(), &['"', '\'', ' ', ':']);
    digits_at(s, i, 9).map(|(v, _)| v)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// "Wed, 21 Oct 2015 07:28:00 GMT" (the only date form HTTP senders may use).
pub fn http_date_ms(value: &str) -> Option<f64> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let parts: Vec<&str> = value.split_whitespace().collect();
    let [_, day, month, year, time, zone] = parts.as_slice() else {
        return None;
    };
    if !zone.eq_ignore_ascii_case("gmt") {
        return None;
    }
    let month = MONTHS
        .iter()
        .position(|m| month.get(..3).is_some_and(|p| p.eq_ignore_ascii_case(m)))?
        as i64
        + 1;
    let day: i64 = day.parse().ok().filter(|d| (1..=31).contains(d))?;
    let year: i64 = year.parse().ok().filter(|y| (1970..=9999).contains(y))?;
    let hms: Vec<i64> = time
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [h, mi, s] = hms.as_slice() else {
        return None;
    };
    if *h > 23 || *mi > 59 || *s > 60 {
        return None;
    }
    let secs = days_from_civil(year, month, day) * 86_400 + h * 3600 + mi * 60 + s;
    Some(secs as f64 * 1000.0)
}

/// "please try again after 3:27 PM", "try again after 15:27": the next time the local clock
/// shows that time, as ms since the epoch.
pub fn stated_reset_ms(text: &SeenText, now_ms: f64, utc_offset_minutes: i32) -> Option<f64> {
    let s = text.folded();
    let lead_ins = [
        fold("after"),
        fold("until"),
        fold("resets at"),
        fold("again at"),
    ];
    for lead in &lead_ins {
        let mut from = 0;
        while let Some(at) = text.find_from(lead, from) {
            from = at + lead.len();
            if let Some(minutes) = clock_time_at(s, skip(s, from, &[' '])) {
                return Some(next_local(minutes, now_ms, utc_offset_minutes));
            }
        }
    }
    None
}

/// The first time of day a limit notice states, in any language's word order: "um 15:27",
/// "à 15 h 27", "15:27に", "오후 3:27", "下午3:27", "3:27 PM". Only for a text already known
/// to be a limit notice (its lead-in words differ in every language; the clock does not).
pub fn any_clock_time_ms(text: &SeenText, now_ms: f64, utc_offset_minutes: i32) -> Option<f64> {
    let s = text.folded();
    (0..s.len())
        .filter(|&i| s[i].is_ascii_digit() && (i == 0 || !s[i - 1].is_ascii_digit()))
        .find_map(|i| {
            let minutes = clock_time_at(s, i).or_else(|| french_clock_at(s, i))?;
            Some(minutes_with_marker_before(s, i, minutes))
        })
        .map(|minutes| next_local(minutes, now_ms, utc_offset_minutes))
}

/// The next instant, after now, at which the local clock reads `minutes` past midnight.
fn next_local(minutes: u32, now_ms: f64, utc_offset_minutes: i32) -> f64 {
    let offset_ms = utc_offset_minutes as f64 * 60_000.0;
    let local_now = now_ms + offset_ms;
    let day_start = (local_now / 86_400_000.0).floor() * 86_400_000.0;
    let mut local = day_start + minutes as f64 * 60_000.0;
    if local <= local_now {
        local += 86_400_000.0;
    }
    local - offset_ms
}

/// French writes "15 h 27" (or "15h27").
fn french_clock_at(s: &[char], at: usize) -> Option<u32> {
    let (h, hl) = digits_at(s, at, 2)?;
    let i = skip(s, at + hl, &[' ', '\u{a0}']);
    if s.get(i) != Some(&'h') {
        return None;
    }
    let (m, ml) = digits_at(s, skip(s, i + 1, &[' ']), 2)?;
    (ml == 2 && m <= 59 && h < 24).then_some(h * 60 + m)
}

/// Korean, Japanese and Chinese put the half of the day before the clock ("오후 3:27",
/// "午後3:27", "下午3:27"): a 12-hour time after one of these is moved to the afternoon.
fn minutes_with_marker_before(s: &[char], at: usize, minutes: u32) -> u32 {
    const AFTERNOON: [&str; 4] = ["오후", "午後", "下午", "晚上"];
    const MORNING: [&str; 5] = ["오전", "午前", "上午", "凌晨", "早上"];
    let mut end = at;
    while end > 0 && s[end - 1] == ' ' {
        end -= 1;
    }
    let before: String = s[end.saturating_sub(2)..end].iter().collect();
    let (h, m) = (minutes / 60, minutes % 60);
    if h > 12 {
        return minutes;
    }
    if AFTERNOON.contains(&before.as_str()) {
        (h % 12 + 12) * 60 + m
    } else if MORNING.contains(&before.as_str()) {
        (h % 12) * 60 + m
    } else {
        minutes
    }
}

fn clock_time_at(s: &[char], at: usize) -> Option<u32> {
    let (h, hl) = digits_at(s, at, 2)?;
    if s.get(at + hl) != Some(&':') {
        return None;
    }
    let (m, ml) = digits_at(s, at + hl + 1, 2)?;
    if ml != 2 || m > 59 {
        return None;
    }
    let i = skip(s, at + hl + 1 + ml, &[' ']);
    let suffix: String = s[i.min(s.len())..].iter().take(4).collect();
    let h = if suffix.starts_with("pm") || suffix.starts_with("p.m") {
        (h % 12) + 12
    } else if suffix.starts_with("am") || suffix.starts_with("a.m") {
        h % 12
    } else {
        h
    };
    (h < 24).then_some(h * 60 + m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> SeenText {
        SeenText::new(s)
    }

    fn code_in(text: &str) -> Option<u16> {
        stated_error_code(&t(text)).map(|c| c.code)
    }

    #[test]
    fn error_codes_in_every_template_wording() {
        assert_eq!(code_in("Access denied Error code 1020"), Some(1020));
        assert_eq!(code_in("error code: 1020"), Some(1020));
        assert_eq!(code_in("Error reference number: 502"), Some(502));
        assert_eq!(code_in("Error 1015 Ray ID"), Some(1015));
        assert_eq!(code_in("Error details Error code: 1006"), Some(1006));
        assert_eq!(code_in("Error 10200 or error 12"), None);
        assert_eq!(code_in("error code: 1020x"), None);
        assert_eq!(code_in(""), None);
        let at = stated_error_code(&t("Access denied. Error code: 1020 Ray")).unwrap();
        assert_eq!(
            t("Access denied. Error code: 1020 Ray").readable(at.start, at.end),
            "Error code: 1020"
        );
    }

    #[test]
    fn navigation_errors_are_named_the_same_in_both_browsers() {
        assert_eq!(
            navigation_error_name("net::ERR_CONNECTION_RESET"),
            "ERR_CONNECTION_RESET"
        );
        assert_eq!(
            navigation_error_name("Error code 2152398868"),
            "NS_ERROR_NET_RESET"
        );
        assert_eq!(
            navigation_error_name("Error code 2152398850"),
            "NS_BINDING_ABORTED"
        );
        assert_eq!(
            navigation_error_name("NS_ERROR_UNKNOWN_HOST"),
            "NS_ERROR_UNKNOWN_HOST"
        );
        assert_eq!(navigation_error_name("Error code 99"), "Error code 99");
        assert_eq!(navigation_error_name(""), "");
    }

    #[test]
    fn status_codes_in_titles() {
        assert_eq!(
            title_status_code(&t("chatgpt.com | 522: Connection timed out")),
            Some(522)
        );
        assert_eq!(title_status_code(&t("502: Bad gateway")), Some(502));
        assert_eq!(title_status_code(&t("ChatGPT 4522: x")), None);
        assert_eq!(title_status_code(&t("ChatGPT")), None);
    }

    #[test]
    fn ray_ids_from_page_and_header() {
        assert_eq!(
            page_ray_id(&t("Cloudflare Ray ID: 7b9d776a8e02f1b8 • Your IP")).as_deref(),
            Some("7b9d776a8e02f1b8")
        );
        assert_eq!(page_ray_id(&t("Ray ID: 7b9d776a8e02f1b8aa")), None);
        assert_eq!(page_ray_id(&t("Ray ID: nothex")), None);
        assert_eq!(
            header_ray_id("230B030023AE2822-SJC").as_deref(),
            Some("230b030023ae2822")
        );
        assert_eq!(header_ray_id("garbage"), None);
    }

    #[test]
    fn retry_after_in_both_forms() {
        assert_eq!(retry_after_secs("120", None), Some(120));
        assert_eq!(
            retry_after_secs("99999999999999999999", None),
            Some(u32::MAX)
        );
        let now = http_date_ms("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(
            retry_after_secs("Wed, 21 Oct 2015 07:30:00 GMT", Some(now)),
            Some(120)
        );
        assert_eq!(
            retry_after_secs("Wed, 21 Oct 2015 07:30:00 GMT", None),
            None
        );
        assert_eq!(retry_after_secs("soon", Some(now)), None);
        assert_eq!(http_date_ms("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0.0));
    }

    #[test]
    fn clears_in_from_json() {
        assert_eq!(
            clears_in_secs(&t(r#"{"detail":"x","clears_in": 42}"#)),
            Some(42)
        );
        assert_eq!(clears_in_secs(&t("nothing")), None);
    }

    #[test]
    fn reset_time_is_the_next_local_occurrence() {
        // 2026-11-23 12:00 UTC, in UTC+1 it is 13:00 local.
        let now = days_from_civil(2026, 11, 23) as f64 * 86_400_000.0 + 12.0 * 3_600_000.0;
        let text =
            t("You've reached the current usage cap for GPT-4, please try again after 3:27 PM.");
        let at = stated_reset_ms(&text, now, 60).unwrap();
        assert_eq!((at - now) / 60_000.0, 147.0); // 13:00 → 15:27 local
        let past = t("try again after 9:05 am");
        let at = stated_reset_ms(&past, now, 60).unwrap();
        assert_eq!(
            (at - now) / 60_000.0,
            (24.0 * 60.0) - (13.0 * 60.0) + 9.0 * 60.0 + 5.0
        );
        assert_eq!(stated_reset_ms(&t("after 25:99"), now, 0), None);
        assert_eq!(stated_reset_ms(&t("after lunch"), now, 0), None);
    }

    #[test]
    fn a_localized_reset_time_is_the_same_instant_as_the_english_one() {
        // 2026-11-23 12:00 UTC, in UTC+1 it is 13:00 local: 15:27 is 147 minutes away.
        let now = days_from_civil(2026, 11, 23) as f64 * 86_400_000.0 + 12.0 * 3_600_000.0;
        let english = stated_reset_ms(&t("please try again after 3:27 PM."), now, 60).unwrap();
        for text in [
            "Ihr Limit wird um 15:27 zurückgesetzt",
            "Votre limite sera réinitialisée à 15 h 27",
            "Votre limite sera réinitialisée à 15h27",
            "Tu límite se restablecerá a las 15:27",
            "Il tuo limite verrà reimpostato alle 15:27",
            "Seu limite será reiniciado às 15:27",
            "Ваш лимит будет восстановлен в 15:27",
            "Twój limit zostanie zresetowany o godzinie 15:27",
            "あなたの制限は15:27にリセットされます",
            "あなたの制限は午後3:27にリセットされます",
            "한도는 오후 3:27에 초기화됩니다",
            "您的限制将在 下午3:27 重置",
            "您的限制將於 下午 3:27 重置",
            "Je hebt de huidige gebruikslimiet voor GPT-4 bereikt. Probeer het 3:27 PM opnieuw.",
        ] {
            assert_eq!(
                any_clock_time_ms(&t(text), now, 60),
                Some(english),
                "{text}"
            );
        }
        // The morning stays the morning.
        let morning = any_clock_time_ms(&t("한도는 오전 9:05에 초기화됩니다"), now, 60).unwrap();
        assert_eq!(
            morning,
            stated_reset_ms(&t("after 9:05 am"), now, 60).unwrap()
        );
        for none in ["GPT-4 limit", "4 hours", "15 h", "25:99", "1:5", ""] {
            assert_eq!(any_clock_time_ms(&t(none), now, 0), None, "{none}");
        }
    }
}
