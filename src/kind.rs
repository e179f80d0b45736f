use serde::{Deserialize, Serialize};

/// What went wrong, as the person would name it. The serialized identifiers are part of the
/// product's contract (badge, popup `data-kind`, reports, tests): never rename them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
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
    AppError,
    #[default]
    None,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 12] = [
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
        ErrorKind::AppError,
        ErrorKind::None,
    ];

    pub fn id(self) -> &'static str {
        match self {
            ErrorKind::CloudflareBlocked => "cloudflare_blocked",
            ErrorKind::CloudflareRateLimited => "cloudflare_rate_limited",
            ErrorKind::CloudflareChallenge => "cloudflare_challenge",
            ErrorKind::ServerUnreachable => "server_unreachable",
            ErrorKind::ServerError => "server_error",
            ErrorKind::AtCapacity => "at_capacity",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::SessionExpired => "session_expired",
            ErrorKind::UnusualActivity => "unusual_activity",
            ErrorKind::NetworkError => "network_error",
            ErrorKind::AppError => "app_error",
            ErrorKind::None => "none",
        }
    }

    pub fn from_id(id: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.id() == id)
    }

    pub fn is_error(self) -> bool {
        self != ErrorKind::None
    }
}
