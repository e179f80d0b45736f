//! One reload budget for every tab: when several ChatGPT tabs fail at once (an outage, a
//! block), their retries share it, so the extension itself can never cause the "Too many
//! requests" it is meant to cure. The waiting tabs are lined up earliest-due first, and
//! each gets a slot: no two reloads closer than [`MIN_GAP_MS`], at most
//! [`PER_MINUTE`] in any minute.

use serde::{Deserialize, Serialize};

/// Reloads the extension starts by itself, across all tabs, in any 60 s.
pub const PER_MINUTE: usize = 4;
/// The least time between two of them.
pub const MIN_GAP_MS: f64 = 5_000.0;
/// The window `PER_MINUTE` counts in.
pub const WINDOW_MS: f64 = 60_000.0;
/// Reloads remembered (older ones no longer matter to any window).
pub const MAX_REMEMBERED: usize = 16;

/// A tab whose retry run waits for its next reload.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WaitingRun {
    pub tab_id: f64,
    pub due_at_ms: f64,
}

/// A tab's place in the plan: when it may reload, and how many tabs go before it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PlannedReload {
    pub tab_id: f64,
    pub at_ms: f64,
    /// 1 for the next tab to reload.
    pub place: u32,
    /// How many tabs are waiting in all.
    pub of: u32,
}

/// The earliest moment at or after `wanted` that keeps the budget, given the reloads made
/// (and already planned).
fn first_slot(wanted: f64, taken: &[f64]) -> f64 {
    let mut at = wanted;
    // Each pass moves `at` past one conflict; a conflict is a taken reload too close, or
    // the window already full. `taken` is small (bounded by the caller), so this settles
    // in a few passes.
    for _ in 0..=taken.len() * 2 + 1 {
        let too_close = taken
            .iter()
            .filter(|&&t| (t - at).abs() < MIN_GAP_MS)
            .fold(None::<f64>, |m, &t| Some(m.map_or(t, |m: f64| m.max(t))));
        if let Some(t) = too_close {
            at = t + MIN_GAP_MS;
            continue;
        }
        let mut in_window: Vec<f64> = taken
            .iter()
            .copied()
            .filter(|&t| t > at - WINDOW_MS && t <= at)
            .collect();
        if in_window.len() >= PER_MINUTE {
            crate::stable_sort::sort_by(&mut in_window, f64::total_cmp);
            // Wait until the oldest reload of the full window has left it.
            at = in_window[in_window.len() - PER_MINUTE] + WINDOW_MS;
            continue;
        }
        break;
    }
    at
}

/// Lines up the waiting runs (earliest due first, then lowest tab id) and gives each its
/// slot after the reloads already made (`recent_ms`).
pub fn plan(waiting: &[WaitingRun], recent_ms: &[f64], now_ms: f64) -> Vec<PlannedReload> {
    let mut queue: Vec<WaitingRun> = waiting
        .iter()
        .copied()
        .filter(|w| w.due_at_ms.is_finite() && w.tab_id.is_finite())
        .collect();
    crate::stable_sort::sort_by(&mut queue, |a, b| {
        a.due_at_ms
            .total_cmp(&b.due_at_ms)
            .then(a.tab_id.total_cmp(&b.tab_id))
    });
    queue.dedup_by(|a, b| a.tab_id == b.tab_id);
    let mut taken: Vec<f64> = recent_ms
        .iter()
        .copied()
        .filter(|t| t.is_finite() && *t > now_ms - WINDOW_MS && *t <= now_ms)
        .collect();
    crate::stable_sort::sort_by(&mut taken, f64::total_cmp);
    let excess = taken.len().saturating_sub(MAX_REMEMBERED);
    taken.drain(..excess);
    let of = queue.len() as u32;
    queue
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let at = first_slot(w.due_at_ms, &taken);
            taken.push(at);
            PlannedReload {
                tab_id: w.tab_id,
                at_ms: at,
                place: i as u32 + 1,
                of,
            }
        })
        .collect()
}

/// The reloads worth remembering after one more at `now_ms`.
pub fn remember(recent_ms: &[f64], now_ms: f64) -> Vec<f64> {
    let mut kept: Vec<f64> = recent_ms
        .iter()
        .copied()
        .filter(|t| t.is_finite() && *t > now_ms - WINDOW_MS && *t <= now_ms)
        .collect();
    kept.push(now_ms);
    crate::stable_sort::sort_by(&mut kept, f64::total_cmp);
    let excess = kept.len().saturating_sub(MAX_REMEMBERED);
    kept.drain(..excess);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(tab_id: f64, due_at_ms: f64) -> WaitingRun {
        WaitingRun { tab_id, due_at_ms }
    }

    #[test]
    fn one_tab_alone_reloads_when_due() {
        assert_eq!(plan(&[w(7.0, 1_000.0)], &[], 0.0)[0].at_ms, 1_000.0);
    }

    #[test]
    fn tabs_due_together_are_staggered_earliest_due_first() {
        let p = plan(
            &[w(3.0, 1_200.0), w(1.0, 1_000.0), w(2.0, 1_000.0)],
            &[],
            0.0,
        );
        let order: Vec<(f64, f64, u32)> = p.iter().map(|r| (r.tab_id, r.at_ms, r.place)).collect();
        assert_eq!(
            order,
            vec![(1.0, 1_000.0, 1), (2.0, 6_000.0, 2), (3.0, 11_000.0, 3)]
        );
        assert!(p.iter().all(|r| r.of == 3));
    }

    #[test]
    fn no_more_than_the_budget_in_any_minute() {
        let waiting: Vec<WaitingRun> = (0..10).map(|i| w(i as f64, 0.0)).collect();
        let p = plan(&waiting, &[], 0.0);
        let times: Vec<f64> = p.iter().map(|r| r.at_ms).collect();
        for (i, &t) in times.iter().enumerate() {
            let in_window = times
                .iter()
                .filter(|&&u| u > t - WINDOW_MS && u <= t)
                .count();
            assert!(in_window <= PER_MINUTE, "{i}: {times:?}");
            for &u in &times[..i] {
                assert!((t - u).abs() >= MIN_GAP_MS, "{times:?}");
            }
        }
    }

    #[test]
    fn reloads_already_made_count() {
        let recent = [0.0, 5_000.0, 10_000.0, 15_000.0];
        let p = plan(&[w(1.0, 16_000.0)], &recent, 16_000.0);
        assert_eq!(p[0].at_ms, 60_000.0);
        // Older than a minute: forgotten.
        assert_eq!(
            plan(&[w(1.0, 90_000.0)], &recent, 90_000.0)[0].at_ms,
            90_000.0
        );
    }

    #[test]
    fn garbage_never_loops_or_panics() {
        let p = plan(
            &[
                w(f64::NAN, 0.0),
                w(1.0, f64::INFINITY),
                w(2.0, -1e300),
                w(2.0, 5.0),
            ],
            &[f64::NAN, 1e300, -1e300],
            0.0,
        );
        assert_eq!(p.len(), 1);
        assert_eq!(remember(&[f64::NAN; 40], 0.0), vec![0.0]);
        assert!(remember(&[1.0; 40], 2.0).len() <= MAX_REMEMBERED);
    }
}
