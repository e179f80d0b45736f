//! The memory of what worked, on this computer only (`storage.local`): for each kind of
//! error (and its code), which action the person took and how often a healthy page followed
//! within a few minutes. It holds names, counts and the day a row was last used (never a
//! finer time, a URL or any text of a page), and stays small whatever storage held before.
//! Nothing of a private window's tab gets in (the glue never writes it from one).

use serde::{Deserialize, Serialize};

use crate::page::diagnosis::Diagnosis;
use crate::page::kind::ErrorKind;
use crate::page::snapshot::PageSnapshot;
use crate::recognise::sensor_spec::marker;
use crate::respond::advice::ActionId;

/// A healthy page this long after an action counts as that action having worked.
pub const WORKED_WITHIN_MS: f64 = 5.0 * 60_000.0;
/// Rows kept; the least recently used go first.
pub const MAX_RECORDS: usize = 48;
/// Counts stop here (and are halved together so the ratio stays).
const MAX_COUNT: u32 = 1_000;
const DAY_MS: f64 = 24.0 * 60.0 * 60_000.0;

/// A time as the memory keeps it: the start of its day (UTC), no finer.
pub fn day_of(ms: f64) -> f64 {
    (ms / DAY_MS).floor() * DAY_MS
}

/// One error (kind and code) and one action: tried so often, worked so often.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FixRecord {
    pub kind: ErrorKind,
    /// Only a short code such as `1020`, `502`, `token_expired`.
    pub code: Option<String>,
    pub action: ActionId,
    pub tried: u32,
    pub worked: u32,
    /// The day the row was last used (ms since the epoch, at 00:00 UTC).
    pub last_ms: f64,
}

/// An action taken on a failing tab, waiting for the tab to turn healthy.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingFix {
    pub kind: ErrorKind,
    pub code: Option<String>,
    pub action: ActionId,
    pub at_ms: f64,
}

/// The worked/tried counts the advice shows for an action.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub worked: u32,
    pub tried: u32,
}

/// The actions whose outcome is worth remembering: the ones that try to fix something.
pub fn remembered(action: ActionId) -> bool {
    use ActionId as A;
    matches!(
        action,
        A::RetryTurn
            | A::RetryReload
            | A::ReloadNow
            | A::ClearCloudflareCookies
            | A::ClearSiteData
            | A::FullReset
            | A::LogIn
    )
}

/// A code as the memory keeps it: short letters, digits and `_`, or nothing.
fn memo_code(code: Option<&str>) -> Option<String> {
    let c = code?.trim();
    (!c.is_empty() && c.len() <= 24 && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        .then(|| c.to_ascii_lowercase())
}

/// What to remember when `action` is clicked on a page diagnosed `d`: nothing for a healthy
/// page or an action that fixes nothing.
pub fn pending(d: &Diagnosis, action: ActionId, now_ms: f64) -> Option<PendingFix> {
    (d.kind.is_error() && remembered(action) && now_ms.is_finite()).then(|| PendingFix {
        kind: d.kind,
        code: memo_code(d.code.as_deref()),
        action,
        at_ms: now_ms,
    })
}

/// The stored memory read row by row (`read` gives the row, or none when it does not read:
/// an action an update renamed, a field of the wrong type): only such rows are dropped,
/// never the rest.
pub fn from_rows<R>(
    rows: impl IntoIterator<Item = R>,
    read: impl Fn(R) -> Option<FixRecord>,
) -> Vec<FixRecord> {
    sanitized(rows.into_iter().filter_map(read).collect())
}

/// Whatever storage held → a memory within bounds: unreadable or impossible rows dropped.
pub fn sanitized(records: Vec<FixRecord>) -> Vec<FixRecord> {
    let mut out: Vec<FixRecord> = Vec::new();
    for mut r in records {
        if !r.kind.is_error() || !remembered(r.action) || !r.last_ms.is_finite() {
            continue;
        }
        r.code = memo_code(r.code.as_deref());
        r.last_ms = day_of(r.last_ms);
        r.tried = r.tried.clamp(1, MAX_COUNT);
        r.worked = r.worked.min(r.tried);
        if out
            .iter()
            .any(|o| o.kind == r.kind && o.code == r.code && o.action == r.action)
        {
            continue;
        }
        out.push(r);
    }
    crate::stable_sort::sort_by(&mut out, |a, b| b.last_ms.total_cmp(&a.last_ms));
    out.truncate(MAX_RECORDS);
    out
}

fn bump(
    records: Vec<FixRecord>,
    fix: &PendingFix,
    now_ms: f64,
    tried: u32,
    worked: u32,
) -> Vec<FixRecord> {
    let mut records = sanitized(records);
    // The row used now goes first: among rows of the same day, the most recently used stays.
    let row = match records
        .iter()
        .position(|r| r.kind == fix.kind && r.code == fix.code && r.action == fix.action)
    {
        Some(at) => {
            let mut r = records.remove(at);
            r.tried += tried;
            r.worked = (r.worked + worked).min(r.tried);
            if r.tried > MAX_COUNT {
                r.tried /= 2;
                r.worked /= 2;
            }
            r.last_ms = now_ms;
            r
        }
        None => FixRecord {
            kind: fix.kind,
            code: fix.code.clone(),
            action: fix.action,
            tried: tried.max(1),
            worked,
            last_ms: now_ms,
        },
    };
    records.insert(0, row);
    sanitized(records)
}

/// The memory after an action was taken (one more try).
pub fn record_try(records: Vec<FixRecord>, fix: &PendingFix) -> Vec<FixRecord> {
    bump(records, fix, fix.at_ms, 1, 0)
}

/// Did the tab turning healthy at `healthy_at_ms` follow `fix` closely enough to credit it?
pub fn credits(fix: &PendingFix, healthy_at_ms: f64) -> bool {
    healthy_at_ms >= fix.at_ms && healthy_at_ms - fix.at_ms <= WORKED_WITHIN_MS
}

/// The page offers to log in: nobody is signed in on it.
pub fn signed_out(s: &PageSnapshot) -> bool {
    s.has_marker(marker::LOGIN_BUTTON)
}

/// Does a page without an error that shows the log-in button (`signed_out`) settle `fix`?
/// After logging in it does not: the log-in page itself comes first, the signed-in app after
/// it. After anything else it does (and credits nothing, see `record_healthy`).
pub fn settled_by(fix: &PendingFix, signed_out: bool) -> bool {
    !(signed_out && fix.action == ActionId::LogIn)
}

/// The memory after the tab turned healthy at `healthy_at_ms`: the action worked if that is
/// soon enough after it, else nothing changes. A signed-out page is not ChatGPT back: after
/// a clear it is the clear's own doing (it logs out), so it credits nothing.
pub fn record_healthy(
    records: Vec<FixRecord>,
    fix: &PendingFix,
    healthy_at_ms: f64,
    signed_out: bool,
) -> Vec<FixRecord> {
    if !credits(fix, healthy_at_ms) || signed_out {
        return sanitized(records);
    }
    bump(records, fix, healthy_at_ms, 0, 1)
}

/// How `action` has done for this error: the row for the exact code, else every code of the
/// kind together.
pub fn tally(records: &[FixRecord], d: &Diagnosis, action: ActionId) -> Option<Tally> {
    let code = memo_code(d.code.as_deref());
    let rows = |exact: bool| {
        records
            .iter()
            .filter(|r| r.kind == d.kind && r.action == action && (!exact || r.code == code))
            .fold(
                Tally {
                    worked: 0,
                    tried: 0,
                },
                |t, r| Tally {
                    worked: t.worked + r.worked,
                    tried: t.tried + r.tried,
                },
            )
    };
    let exact = rows(true);
    let t = if exact.tried > 0 { exact } else { rows(false) };
    (t.tried > 0).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ActionId as A;

    fn d(kind: ErrorKind, code: &str) -> Diagnosis {
        Diagnosis {
            kind,
            code: Some(code.into()),
            ..Diagnosis::default()
        }
    }

    #[test]
    fn a_fix_followed_by_a_healthy_page_within_minutes_counts_as_worked() {
        let page = d(ErrorKind::CloudflareChallenge, "challenge");
        let fix = pending(&page, A::ClearCloudflareCookies, 1_000.0).unwrap();
        let m = record_try(Vec::new(), &fix);
        assert_eq!(
            tally(&m, &page, A::ClearCloudflareCookies),
            Some(Tally {
                worked: 0,
                tried: 1
            })
        );
        let m = record_healthy(m, &fix, 1_000.0 + 60_000.0, false);
        assert_eq!(
            tally(&m, &page, A::ClearCloudflareCookies),
            Some(Tally {
                worked: 1,
                tried: 1
            })
        );
        // Too late: the page got better on its own.
        let fix2 = pending(&page, A::ClearCloudflareCookies, 100_000.0).unwrap();
        let m = record_try(m, &fix2);
        let m = record_healthy(m, &fix2, 100_000.0 + WORKED_WITHIN_MS + 1.0, false);
        assert_eq!(
            tally(&m, &page, A::ClearCloudflareCookies),
            Some(Tally {
                worked: 1,
                tried: 2
            })
        );
        assert_eq!(tally(&m, &page, A::ReloadNow), None);
        // Another code of the same kind borrows the kind's rows.
        assert_eq!(
            tally(
                &m,
                &d(ErrorKind::CloudflareChallenge, "other"),
                A::ClearCloudflareCookies
            ),
            Some(Tally {
                worked: 1,
                tried: 2
            })
        );
    }

    #[test]
    fn one_unreadable_row_is_dropped_alone() {
        let stored = serde_json::json!([
            {"kind": "server_error", "code": "502", "action": "reload_now", "tried": 3, "worked": 2, "last_ms": 0.0},
            {"kind": "server_error", "code": "502", "action": "renamed_by_an_update", "tried": 1, "worked": 1, "last_ms": 0.0},
            "garbage",
            {"kind": "cloudflare_challenge", "code": null, "action": "clear_cloudflare_cookies", "tried": 1, "worked": 0, "last_ms": 0.0}
        ]);
        let rows = stored.as_array().unwrap().clone();
        let m = from_rows(rows, |r| serde_json::from_value::<FixRecord>(r).ok());
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(m.iter().any(|r| r.action == A::ReloadNow && r.worked == 2));
        assert!(m.iter().any(|r| r.action == A::ClearCloudflareCookies));
    }

    #[test]
    fn the_memory_keeps_the_day_no_finer() {
        let page = d(ErrorKind::ServerError, "502");
        let at = 1_765_000_123_456.0; // some time of a day
        let fix = pending(&page, A::ReloadNow, at).unwrap();
        let m = record_healthy(record_try(Vec::new(), &fix), &fix, at + 1_000.0, false);
        assert_eq!(m[0].last_ms, day_of(at));
        assert_eq!(m[0].last_ms % DAY_MS, 0.0);
        assert!(at - m[0].last_ms < DAY_MS);
        // Whatever storage held is coarsened too.
        let old = FixRecord {
            last_ms: at,
            ..m[0].clone()
        };
        assert_eq!(sanitized(vec![old])[0].last_ms, day_of(at));
    }

    #[test]
    fn a_clear_followed_by_a_signed_out_page_did_not_work() {
        let page = d(ErrorKind::ServerError, "500");
        let clear = pending(&page, A::ClearSiteData, 0.0).unwrap();
        let m = record_healthy(record_try(Vec::new(), &clear), &clear, 10_000.0, true);
        assert_eq!(
            tally(&m, &page, A::ClearSiteData),
            Some(Tally {
                worked: 0,
                tried: 1
            })
        );
        assert!(settled_by(&clear, true));
        // Logging in passes through a signed-out page: it waits for the next one.
        let login = pending(&d(ErrorKind::SessionExpired, "x"), A::LogIn, 0.0).unwrap();
        assert!(!settled_by(&login, true));
        assert!(settled_by(&login, false));
    }

    #[test]
    fn only_fixes_on_errors_are_remembered_and_no_text_gets_in() {
        let page = d(ErrorKind::ServerError, "502");
        assert!(pending(&page, A::CopyReport, 0.0).is_none());
        assert!(pending(&page, A::OpenStatus, 0.0).is_none());
        assert!(pending(&Diagnosis::healthy(), A::ReloadNow, 0.0).is_none());
        let wordy = d(
            ErrorKind::AppError,
            "see https://chatgpt.com/c/123 for details",
        );
        assert_eq!(pending(&wordy, A::ReloadNow, 0.0).unwrap().code, None);
    }

    #[test]
    fn the_memory_stays_bounded_whatever_storage_held() {
        let mut m = Vec::new();
        for i in 0..200 {
            let fix = pending(
                &d(ErrorKind::ServerError, &format!("c{i}")),
                A::ReloadNow,
                i as f64,
            )
            .unwrap();
            m = record_try(m, &fix);
        }
        assert_eq!(m.len(), MAX_RECORDS);
        assert!(m.iter().any(|r| r.code.as_deref() == Some("c199")));
        let junk = vec![
            FixRecord {
                kind: ErrorKind::None,
                code: None,
                action: A::ReloadNow,
                tried: 5,
                worked: 9,
                last_ms: 0.0,
            },
            FixRecord {
                kind: ErrorKind::ServerError,
                code: Some("x".into()),
                action: A::ReloadNow,
                tried: 2,
                worked: 9,
                last_ms: f64::NAN,
            },
            FixRecord {
                kind: ErrorKind::ServerError,
                code: None,
                action: A::ReloadNow,
                tried: 2,
                worked: 9,
                last_ms: 1.0,
            },
        ];
        let clean = sanitized(junk);
        assert_eq!(clean.len(), 1);
        assert_eq!((clean[0].worked, clean[0].tried), (2, 2));
    }
}
