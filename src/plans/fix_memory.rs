//! The memory of what worked, on this computer only (`storage.local`): for each kind of
//! error (and its code), which action the person took and how often a healthy page followed
//! within a few minutes. It holds names and counts, never a URL or any text of a page, and
//! stays small whatever storage held before.

use serde::{Deserialize, Serialize};

use crate::page::diagnosis::Diagnosis;
use crate::page::kind::ErrorKind;
use crate::respond::advice::ActionId;

/// A healthy page this long after an action counts as that action having worked.
pub const WORKED_WITHIN_MS: f64 = 5.0 * 60_000.0;
/// Rows kept; the least recently used go first.
pub const MAX_RECORDS: usize = 48;
/// Counts stop here (and are halved together so the ratio stays).
const MAX_COUNT: u32 = 1_000;

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

/// Whatever storage held → a memory within bounds: unreadable or impossible rows dropped.
pub fn sanitized(records: Vec<FixRecord>) -> Vec<FixRecord> {
    let mut out: Vec<FixRecord> = Vec::new();
    for mut r in records {
        if !r.kind.is_error() || !remembered(r.action) || !r.last_ms.is_finite() {
            continue;
        }
        r.code = memo_code(r.code.as_deref());
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
    match records
        .iter_mut()
        .find(|r| r.kind == fix.kind && r.code == fix.code && r.action == fix.action)
    {
        Some(r) => {
            r.tried += tried;
            r.worked = (r.worked + worked).min(r.tried);
            if r.tried > MAX_COUNT {
                r.tried /= 2;
                r.worked /= 2;
            }
            r.last_ms = now_ms;
        }
        None => records.push(FixRecord {
            kind: fix.kind,
            code: fix.code.clone(),
            action: fix.action,
            tried: tried.max(1),
            worked,
            last_ms: now_ms,
        }),
    }
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

/// The memory after the tab turned healthy at `healthy_at_ms`: the action worked if that is
/// soon enough after it, else nothing changes.
pub fn record_healthy(
    records: Vec<FixRecord>,
    fix: &PendingFix,
    healthy_at_ms: f64,
) -> Vec<FixRecord> {
    if !credits(fix, healthy_at_ms) {
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
        let m = record_healthy(m, &fix, 1_000.0 + 60_000.0);
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
        let m = record_healthy(m, &fix2, 100_000.0 + WORKED_WITHIN_MS + 1.0);
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
