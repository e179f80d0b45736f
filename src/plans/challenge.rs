//! Cloudflare's challenge ("Just a moment…", "Verify you are human") is part of normal life:
//! Cloudflare shows it now and then to anyone, and it usually passes by itself. Meeting it
//! once says nothing about this browser; only the same tab meeting it again (after a reload,
//! or still there a while later) points at something that keeps it from passing.

use serde::{Deserialize, Serialize};

/// A challenge still on the tab this long after it was first met counts as coming back.
pub const CHALLENGE_REPEAT_AFTER_MS: f64 = 60_000.0;

/// When a tab first met the challenge, and which documents (by when their response arrived)
/// showed it first and last. Kept with the tab's record while it keeps showing a challenge.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ChallengeSeen {
    pub first_at_ms: f64,
    pub first_document: Option<f64>,
    pub last_document: Option<f64>,
}

/// The tab shows a challenge now (at `now_ms`, in the document whose response arrived at
/// `document`, if known): what to keep, given what was kept before.
pub fn seen(previous: Option<&ChallengeSeen>, document: Option<f64>, now_ms: f64) -> ChallengeSeen {
    match previous.filter(|p| p.first_at_ms.is_finite() && p.first_at_ms <= now_ms) {
        // A first reading without its document (the network's alone) takes the first one seen.
        Some(p) => ChallengeSeen {
            first_document: p.first_document.or(document),
            last_document: document.or(p.last_document),
            ..p.clone()
        },
        None => ChallengeSeen {
            first_at_ms: now_ms,
            first_document: document,
            last_document: document,
        },
    }
}

/// Has the tab met the challenge again: in another document (a reload), or still after
/// `CHALLENGE_REPEAT_AFTER_MS`?
pub fn repeated(seen: Option<&ChallengeSeen>, now_ms: f64) -> bool {
    seen.is_some_and(|s| {
        let reloaded = matches!((s.first_document, s.last_document), (Some(a), Some(b)) if a != b);
        let lasted =
            s.first_at_ms.is_finite() && now_ms - s.first_at_ms >= CHALLENGE_REPEAT_AFTER_MS;
        reloaded || lasted
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn once_is_normal_again_after_a_reload_or_a_minute_is_not() {
        let first = seen(None, Some(100.0), 1_000.0);
        assert!(!repeated(Some(&first), 1_000.0));
        assert!(!repeated(None, 1e12));
        // The same document reporting again (the page changed under the sensor): still once.
        let same = seen(Some(&first), Some(100.0), 5_000.0);
        assert!(!repeated(Some(&same), 5_000.0));
        // A reload met it again.
        let again = seen(Some(&same), Some(9_000.0), 9_500.0);
        assert!(repeated(Some(&again), 9_500.0));
        assert_eq!(again.first_at_ms, 1_000.0);
        // Still there a minute on.
        assert!(repeated(Some(&first), 1_000.0 + CHALLENGE_REPEAT_AFTER_MS));
        // Known first from the network alone: its document is the first one the page names.
        let bare = seen(None, None, 1_000.0);
        let named = seen(Some(&bare), Some(100.0), 1_500.0);
        assert!(!repeated(Some(&named), 1_500.0));
        assert!(repeated(
            Some(&seen(Some(&named), Some(200.0), 2_000.0)),
            2_000.0
        ));
        // Garbage kept before starts afresh.
        let odd = ChallengeSeen {
            first_at_ms: f64::NAN,
            ..ChallengeSeen::default()
        };
        assert_eq!(seen(Some(&odd), None, 7.0).first_at_ms, 7.0);
    }
}
