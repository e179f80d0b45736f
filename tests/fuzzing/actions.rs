//! Inputs for the actions' entry points: advice contexts, retry machines driven by random
//! events, report contexts, stored options and cookie jars, all as hostile as a page, a
//! status endpoint or a damaged storage could make them.

use error_doctor::page::diagnosis::Diagnosis;
use error_doctor::plans::hands_free::HandsFreeFacts;
use error_doctor::plans::retry::{
    RetryEvent, RetryInput, RetryOutcome, RetryResult, RetryRun, TabRun, WaitBasis,
};
use error_doctor::plans::settings::{Settings, StoredSettings};
use error_doctor::plans::site_data::{ClearTier, CookieInfo};
use error_doctor::plans::status::parse_summary;
use error_doctor::respond::advice::AdviceContext;
use error_doctor::respond::report::ReportContext;

use super::strings::Gen;

const EVENTS: &[RetryEvent] = &[
    RetryEvent::Start,
    RetryEvent::Due,
    RetryEvent::Seen,
    RetryEvent::Offline,
    RetryEvent::Online,
    RetryEvent::Cancel,
];

const DOMAINS: &[&str] = &[
    "chatgpt.com",
    ".chatgpt.com",
    "chat.openai.com",
    ".openai.com",
    "openai.com",
    "auth.openai.com",
    "auth0.openai.com",
    "platform.openai.com",
    "notchatgpt.com",
    "chatgpt.com.evil.example",
    ".example.com",
    "",
    "CHATGPT.COM",
];

const COOKIE_NAMES: &[&str] = &[
    "cf_clearance",
    "__cf_bm",
    "_cfuvid",
    "cf_chl_rc_m",
    "__Secure-next-auth.session-token",
    "__Secure-next-auth.session-token.0",
    "oai-did",
    "",
];

/// A run of retry steps: settings, a starting diagnosis, then events with the diagnoses and
/// clock readings that came with them.
#[derive(Debug)]
pub struct RetryWalk {
    pub settings: Settings,
    pub steps: Vec<RetryInput>,
}

impl Gen {
    /// Stored options as storage might hold them (right, wrong or absent types), read as the
    /// WebAssembly boundary reads them.
    pub fn stored_settings(&mut self) -> StoredSettings {
        serde_json::from_value(self.stored_settings_json()).unwrap_or_default()
    }

    fn stored_settings_json(&mut self) -> serde_json::Value {
        if self.rng.one_in(3) {
            let mut s = String::new();
            self.json_ish(&mut s, 0);
            return serde_json::from_str(&s).unwrap_or(serde_json::Value::Null);
        }
        serde_json::json!({
            "auto_retry": self.rng.one_in(2),
            "max_attempts": self.float(),
            "max_total_minutes": self.float(),
            "notifications": self.text(),
            "status_checks": self.rng.one_in(2),
            "status_endpoint": self.text(),
        })
    }

    pub fn settings(&mut self) -> Settings {
        Settings::from_stored(&self.stored_settings())
    }

    pub fn advice_input(&mut self) -> (Diagnosis, AdviceContext) {
        let d = self.diagnosis();
        let status = self
            .rng
            .one_in(2)
            .then(|| parse_summary(&self.status_summary()));
        let walk = self.retry_walk();
        let retry =
            walk.steps
                .first()
                .and_then(|first| match error_doctor::plans::retry::step(first) {
                    error_doctor::plans::retry::RetryCommand::Schedule { run } => Some(run),
                    _ => None,
                });
        let ctx = AdviceContext {
            status,
            retry,
            draft_saved: self.rng.one_in(3),
            settings: self.rng.one_in(2).then(|| self.settings()),
            memory: self.fix_memory(),
            cloudflare: self.rng.one_in(2).then(|| {
                error_doctor::plans::status::parse_provider_summary(&self.status_summary())
            }),
            challenge_repeated: self.rng.one_in(2),
        };
        (d, ctx)
    }

    /// What worked before, as storage might hold it after any run of clicks and pages.
    pub fn fix_memory(&mut self) -> Vec<error_doctor::plans::fix_memory::FixRecord> {
        use error_doctor::plans::fix_memory;
        use error_doctor::respond::advice::ActionId;
        let mut memory = Vec::new();
        for _ in 0..self.rng.skewed(12) {
            let d = self.diagnosis();
            let action = self.rng.pick(ActionId::VARIANTS);
            let at = self.float();
            if let Some(fix) = fix_memory::pending(&d, action, at) {
                memory = fix_memory::record_try(memory, &fix);
                if self.rng.one_in(2) {
                    memory = fix_memory::record_healthy(memory, &fix, at + self.float(), false);
                }
            }
        }
        memory
    }

    /// A trace, a mangled one, or any text.
    pub fn trace_body(&mut self) -> String {
        if self.rng.one_in(3) {
            return self.text();
        }
        let loc = self.rng.pick(&["DE", "RU", "T1", "XX", "cn", "", "DEU"]);
        let warp = self.rng.pick(&["on", "off", "plus", ""]);
        format!(
            "fl=1\nip=203.0.113.9\nloc={loc}\ncolo={}\nwarp={warp}\nuag={}\n",
            self.rng.pick(&["FRA", "SJC", "", "toolong"]),
            self.text()
        )
    }

    pub fn retry_walk(&mut self) -> RetryWalk {
        let settings = self.settings();
        let mut now = self.float();
        let steps = (0..=self.rng.skewed(40))
            .map(|i| {
                if self.rng.one_in(3) {
                    now += self.float().abs().min(1e9);
                } else if self.rng.one_in(8) {
                    now = self.float(); // clocks jump, backwards too
                }
                RetryInput {
                    run: None,
                    event: Some(if i == 0 {
                        RetryEvent::Start
                    } else {
                        self.rng.pick(EVENTS)
                    }),
                    diagnosis: (!self.rng.one_in(10)).then(|| self.diagnosis()),
                    settings: Some(settings.clone()),
                    now_ms: now,
                    random: self.float(),
                    online: (!self.rng.one_in(5)).then(|| self.rng.one_in(2)),
                    tab_id: 1.0,
                    other_runs: (0..self.rng.skewed(4))
                        .map(|t| TabRun {
                            tab_id: t as f64 + 2.0,
                            run: RetryRun {
                                kind: self.diagnosis().kind,
                                attempt: self.rng.skewed(12) as u32,
                                max_attempts: 10,
                                started_at_ms: now,
                                due_at_ms: now + self.float().abs().min(1e7),
                                wait_ms: 1_000.0,
                                basis: WaitBasis::Schedule,
                                paused_remaining_ms: self.rng.one_in(4).then_some(1_000.0),
                                last: self.rng.one_in(4),
                                healthy_since_ms: self.rng.one_in(4).then_some(now),
                                hands_free: self.rng.one_in(2),
                            },
                        })
                        .collect(),
                    recent_reloads_ms: (0..self.rng.skewed(8))
                        .map(|_| now - self.float().abs().min(1e6))
                        .collect(),
                    hands_free: self.rng.one_in(2).then(|| HandsFreeFacts {
                        app_document: self.rng.one_in(2).then(|| self.rng.one_in(2)),
                        cancelled: self.rng.one_in(4),
                        unsaved_prompt: self.rng.one_in(4),
                        visible: self.rng.one_in(2),
                    }),
                }
            })
            .collect();
        RetryWalk { settings, steps }
    }

    pub fn report_input(&mut self) -> (Diagnosis, ReportContext) {
        let d = self.diagnosis();
        let ctx = ReportContext {
            page_url: self.text(),
            user_agent: self.text(),
            extension_version: self.text(),
            status: self
                .rng
                .one_in(2)
                .then(|| parse_summary(&self.status_summary())),
            now_ms: self.float(),
            retry_attempts: self.rng.one_in(2).then(|| self.rng.next_u64() as u32),
            retry_result: self.rng.one_in(2).then(|| RetryResult {
                outcome: RetryOutcome::GaveUp,
                reloads: self.rng.next_u64() as u32,
                hands_free: self.rng.one_in(2),
                at_ms: self.float(),
            }),
            cloudflare: self.rng.one_in(2).then(|| {
                error_doctor::plans::status::parse_provider_summary(&self.status_summary())
            }),
            online: self.rng.one_in(2).then(|| self.rng.one_in(2)),
            trace: self
                .rng
                .one_in(2)
                .then(|| error_doctor::plans::trace::parse_trace(&self.trace_body())),
            challenge_repeated: self.rng.one_in(2),
            checks_off: self.rng.one_in(4),
        };
        (d, ctx)
    }

    pub fn cookie_jar(&mut self) -> (ClearTier, Vec<CookieInfo>) {
        let tier = self.rng.pick(&ClearTier::ALL);
        let jar = (0..self.rng.skewed(30))
            .map(|_| CookieInfo {
                name: if self.rng.one_in(4) {
                    self.text()
                } else {
                    self.rng.pick(COOKIE_NAMES).to_string()
                },
                domain: if self.rng.one_in(4) {
                    self.text()
                } else {
                    self.rng.pick(DOMAINS).to_string()
                },
                path: if self.rng.one_in(3) {
                    self.text()
                } else {
                    "/".to_string()
                },
                secure: self.rng.one_in(2),
                store_id: self.maybe_text(),
                partition_key: None,
                first_party_domain: self.maybe_text(),
            })
            .collect();
        (tier, jar)
    }
}
