use crate::named::serde_by_name;

/// What went wrong, as the person would name it. The serialized identifiers are part of the
/// product's contract (badge, popup `data-kind`, reports, tests): never rename them.
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename_all = "snake_case")
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ErrorKind {
    CloudflareBlocked,
    CloudflareRateLimited,
    CloudflareChallenge,
    ServerUnreachable,
    ServerError,
    AtCapacity,
    RateLimited,
    SessionExpired,
    UnusualActivity,
    NetworkError,
    /// The connection dropped while an answer was being written, and the app waits for the
    /// rest ("Connection lost. Waiting for the full response."): the answer may still
    /// arrive, so nothing may be resent or reloaded.
    ResponsePending,
    /// The conversation reached its maximum length ("You've reached the maximum length for
    /// this conversation…", `conversation_too_large`): nothing is broken, but only a new chat
    /// can go on.
    ConversationTooLong,
    AppError,
    #[default]
    None,
}

serde_by_name!(ErrorKind {
    CloudflareBlocked = "cloudflare_blocked",
    CloudflareRateLimited = "cloudflare_rate_limited",
    CloudflareChallenge = "cloudflare_challenge",
    ServerUnreachable = "server_unreachable",
    ServerError = "server_error",
    AtCapacity = "at_capacity",
    RateLimited = "rate_limited",
    SessionExpired = "session_expired",
    UnusualActivity = "unusual_activity",
    NetworkError = "network_error",
    ResponsePending = "response_pending",
    ConversationTooLong = "conversation_too_long",
    AppError = "app_error",
    None = "none",
});

impl ErrorKind {
    pub const ALL: [ErrorKind; 14] = [
        ErrorKind::CloudflareBlocked,
        ErrorKind::CloudflareRateLimited,
        ErrorKind::CloudflareChallenge,
        ErrorKind::ServerUnreachable,
        ErrorKind::ServerError,
        ErrorKind::AtCapacity,
        ErrorKind::RateLimited,
        ErrorKind::SessionExpired,
        ErrorKind::UnusualActivity,
        ErrorKind::NetworkError,
        ErrorKind::ResponsePending,
        ErrorKind::ConversationTooLong,
        ErrorKind::AppError,
        ErrorKind::None,
    ];

    pub fn is_error(self) -> bool {
        self != ErrorKind::None
    }
}
