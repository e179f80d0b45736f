//! The table of known errors: where each error is recognised, in one place.
//!
//! Rows are tried in order and the first that matches names the error, so the more specific
//! and structural a row is, the higher it stands. Every condition of a row must hold. Phrases
//! are compared folded (see `text`) and must start at a word boundary; write them lower-case,
//! without trailing punctuation, as short as stays unambiguous. Text only counts where the
//! row's places say: words in the conversation are never read at all, and `Title` /
//! `ErrorPage` text only counts when the document is an error document (not the app, and
//! an error status, error markup, or a short page).

use crate::page::diagnosis::Confidence;
use crate::page::kind::ErrorKind::{self, *};
use crate::recognise::sensor_spec::marker::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Title,
    CloudflareBox,
    ErrorPage,
    Alert,
    TurnError,
    /// The app's own error containers (an error toast, the notice strip above the composer,
    /// the limit dialog): any words there are an error.
    ErrorBox,
    Navigation,
}

#[derive(Debug)]
pub enum Cond {
    /// One of the phrases is seen in one of the places.
    Says(&'static [Place], &'static [&'static str]),
    /// Any text at all is seen in one of the places (the app's own error containers: what
    /// makes them errors is where they are, not what they say).
    AnyText(&'static [Place]),
    /// One of these markers is present.
    Markup(&'static [&'static str]),
    /// The document's HTTP status is in this inclusive range.
    Status(u16, u16),
    /// The page states an error code in this inclusive range ("Error code 1020", "522:").
    StatedCode(u16, u16),
    /// The response carries `cf-mitigated: challenge`.
    ChallengeHeader,
    /// Cloudflare answered: `server: cloudflare`, a `cf-ray` header, or Cloudflare markup.
    CloudflareServed,
    /// The URL's path contains one of these.
    PathContains(&'static [&'static str]),
    /// Not the app, and shaped like an error page.
    ErrorDocument,
    /// The response says its body is HTML (`content-type: text/html`).
    HtmlResponse,
    /// Only the status line and headers are known so far (a provisional reading): the rows
    /// that can name an error before the body arrives, which the page's words then refine.
    BodyUnread,
    /// At least one of these holds.
    AnyOf(&'static [Cond]),
}

/// Which code the diagnosis reports.
#[derive(Debug, Clone, Copy)]
pub enum CodeFrom {
    Nothing,
    /// The code the page states, else the HTTP status if it is an error.
    StatedOrStatus,
    /// The HTTP status, if it is an error.
    Status,
    /// The first of these tokens seen, else the HTTP status if it is an error.
    Token(&'static [&'static str]),
    /// The browser's navigation error name.
    Navigation,
}

#[derive(Debug)]
pub struct Signature {
    pub id: &'static str,
    pub kind: ErrorKind,
    pub when: &'static [Cond],
    pub code: CodeFrom,
    pub confidence: Confidence,
}

use Cond::*;
use Place::*;

const DOCUMENT: &[Place] = &[CloudflareBox, ErrorPage, Title];
const ANYWHERE: &[Place] = &[Alert, TurnError, ErrorBox, CloudflareBox, ErrorPage, Title];
/// Where the app shows its own errors, by structure: whatever the words (a language no row
/// holds, a wording the app changed), text here is an error.
const APP_ERROR_CONTAINERS: &[Place] = &[TurnError, ErrorBox];
const CF_MARKUP: &[&str] = &[CF_ERROR_BOX, CF_STATUS_DIAGRAM];
/// A stated 1xxx code is Cloudflare's own vocabulary (no origin speaks it): Cloudflare's
/// markup or an error status is enough to trust it, even when the response's headers were
/// not seen (the background missed the response; the page came from the cache).
const CF_CODE_SHAPED: &[Cond] = &[Markup(CF_MARKUP), Status(400, 599)];
/// The gateway codes Cloudflare answers with itself when it cannot reach (or hear back
/// from) the origin. A 500, 501… stated under Cloudflare's headers alone is the origin's
/// own answer passed through (every ChatGPT response carries `cf-ray`): a server error.
const CF_GATEWAY_CODES: &[Cond] = &[StatedCode(502, 504), StatedCode(520, 530)];

/// Navigation failures worth a diagnosis. Deliberately absent: aborts (`ERR_ABORTED`,
/// `NS_BINDING_ABORTED`: the user or the page moved on) and `ERR_BLOCKED_BY_CLIENT` (another
/// extension blocked it on purpose).
const NETWORK_FAILURES: &[&str] = &[
    "err_connection_",
    "err_name_not_resolved",
    "err_name_resolution_failed",
    "err_internet_disconnected",
    "err_network_changed",
    "err_network_io_suspended",
    "err_timed_out",
    "err_proxy_",
    "err_socks_connection_failed",
    "err_tunnel_connection_failed",
    "err_address_unreachable",
    "err_address_invalid",
    "err_empty_response",
    "err_network_access_denied",
    "err_ssl_",
    "err_cert_",
    "err_quic_protocol_error",
    "err_http2_protocol_error",
    "err_dns_",
    "ns_error_net_",
    "ns_error_connection_refused",
    "ns_error_unknown_host",
    "ns_error_unknown_proxy_host",
    "ns_error_proxy_",
    "ns_error_offline",
    "ns_error_dns_",
    "ssl_error_",
    "sec_error_",
];

const CHALLENGE_WORDING: &[&str] = &[
    // First: the page that says it passed yet stays is the challenge loop itself.
    "verification successful",
    "checking your browser before accessing",
    "checking if the site connection is secure",
    "verify you are human",
    "verifying you are human",
    "needs to review the security of your connection",
    "performing security verification",
    "uses a security service to protect against malicious bots",
    "enable javascript and cookies to continue",
    "please stand by, while we are checking your browser",
    "please turn javascript on and reload the page",
    "please enable cookies and reload the page",
    // Last: the title alone is the least telling of all.
    "just a moment",
];

const GATEWAY_WORDING: &[&str] = &[
    "bad gateway",
    "gateway time-out",
    "gateway timeout",
    "connection timed out",
    "web server is down",
    "web server is returning an unknown error",
    "a timeout occurred",
    "origin is unreachable",
    "ssl handshake failed",
    "invalid ssl certificate",
    "service temporarily unavailable",
    "service unavailable",
    "reported a bad gateway error",
    "reported a gateway time-out error",
];

const SESSION_WORDING: &[&str] = &[
    "your session has expired",
    "session has expired",
    "session expired",
    "authentication token has expired",
    "token_expired",
    "expired_session_key",
    "please log in again",
    "please sign in again",
    "please try signing in again",
    // ChatGPT's own catalogs (`App.forceLogInModalTitle`, "Your session has expired"), see
    // the README's languages.
    "sitzung ist abgelaufen",
    "votre session a expiré",
    "votre session est expirée",
    "sesión ha caducado",
    "la sessione è scaduta",
    "sessão expirou",
    "срок действия вашего сеанса истек",
    "срок действия вашего сеанса истёк",
    "twoja sesja wygasła",
    "je sessie is verlopen",
    "sesi anda telah kedaluwarsa",
    "sesi anda telah tamat tempoh",
    "oturumunun süresi doldu",
    "आपका सेशन एक्सपायर हो गया है",
    "セッションの有効期限が切れました",
    "세션이 만료되었습니다",
    "您的会话已过期",
    "工作階段已過期",
];

const CAPACITY_WORDING: &[&str] = &[
    "at capacity right now",
    "is at capacity",
    "exceptionally high demand",
    "experiencing high demand",
    "get notified when we're back",
    // `CapacityGate.title` ("ChatGPT is at capacity right now") in the app's languages.
    "ist momentan ausgelastet",
    "an der kapazitätsgrenze",
    "au maximum de capacité",
    "alcanzó su capacidad máxima",
    "al máximo de su capacidad",
    "a máxima capacidad",
    "al massimo della capacità",
    "chatgpt è pieno al momento",
    "com capacidade máxima",
    "na capacidade máxima",
    "chegou ao limite de acessos simultâneos",
    "работает на предельной нагрузке",
    "работает на пределе возможностей",
    "na pełnym obciążeniu",
    "jest obecnie przepełniony",
    "wordt nu volledig gebruikt",
    "sudah mencapai kapasitas saat ini",
    "kapasitesi şu anda dolu",
    "फिलहाल भरा हुआ है",
    "定員に達しています",
    "最大容量に達しています",
    "용량이 가득 찼습니다",
    "남는 자리가 없습니다",
    "已达到最大容量",
    "已达到容量上限",
    "已達到容量上限",
    "目前名額已滿",
];

const RATE_LIMIT_WORDING: &[&str] = &[
    "too many requests",
    "sending messages too quickly",
    "making requests too quickly",
    "reached our limit of messages",
    "limit of messages per hour",
    "current usage cap",
    "usage cap for",
    "plan limit for",
    "only one message at a time",
    "temporarily limited access to your conversations",
    "rate limit exceeded",
    "you've hit your limit",
    "you've reached your limit",
    // `TextMessageDisplay.gptUsageCapExceeded*` ("You've reached the current usage cap") and
    // "Your limit will reset at {time}" in the app's languages.
    "nutzungslimit für",
    "nutzungsobergrenze für",
    "ihr limit wird um",
    "limite d'utilisation",
    "votre limite sera réinitialisée",
    "límite de uso",
    "capacidad de uso actual",
    "tu límite se restablecerá",
    "limite di utilizzo",
    "limite d'utilizzo",
    "il tuo limite verrà reimpostato",
    "limite de uso atual",
    "limite atual de uso",
    "limite de utilização",
    "seu limite será reiniciado",
    "o seu limite será reposto",
    "лимита использования",
    "ограничения на использование",
    "ваш лимит будет восстановлен",
    "limit użytkowania",
    "twój limit zostanie zresetowany",
    "gebruikslimiet voor",
    "batas penggunaan saat ini",
    "had penggunaan semasa",
    "mevcut kullanım sınırına",
    "मौजूदा उपयोग सीमा",
    "利用上限に達しました",
    "にリセットされます",
    "사용량 제한에 도달",
    "사용 한도에 도달",
    "사용량 한도에 도달",
    "에 초기화됩니다",
    "使用上限",
    "使用量上限",
    "您的限制将在",
    "您的限制將於",
];

const NETWORK_WORDING: &[&str] = &[
    "a network error occurred",
    "network error",
    "networkerror when attempting to fetch resource",
    "load failed",
    "failed to fetch",
    "message delivery timed out",
    // The same in the app's Japanese (CloakGPT's 2026 capture).
    "メッセージ配信がタイムアウトしました",
    "connection interrupted",
    "network connection lost",
    "error in message stream",
    "error in body stream",
    "check your internet connection",
    // The upload host, named in every language's "Failed upload to files.oaiusercontent.com":
    // the network (a firewall, a filter) keeps the browser from it.
    "files.oaiusercontent.com",
];

const APP_WORDING: &[&str] = &[
    "something went wrong",
    "something seems to have gone wrong",
    "there was an error generating a response",
    "error generating a response",
    "an error occurred",
    "conversation not found",
    "unable to load conversation",
    // `PromptTextarea.errorGeneratingResponse`, `thread.modal.unrecoverableError.title` and
    // `globalToasts.conversationInaccessible` in the app's languages.
    "bei der generierung einer antwort",
    "beim generieren einer",
    "etwas ist schief gelaufen",
    "etwas ist schiefgegangen",
    "nicht zugänglich oder nicht gefunden",
    "lors de la génération",
    "un problème s'est produit",
    "une erreur s'est produite",
    "inaccessible ou introuvable",
    "inaccessible ou non trouvée",
    "error al generar una respuesta",
    "algo salió mal",
    "inaccesible o no encontrada",
    "errore durante la generazione",
    "qualcosa è andato storto",
    "inaccessibile o non trovata",
    "non accessibile o non trovata",
    "erro ao gerar uma resposta",
    "algo deu errado",
    "algo correu mal",
    "inacessível ou não encontrada",
    "ошибка при формировании ответа",
    "что-то пошло не так",
    "недоступно или не найдено",
    "беседа не найдена",
    "błąd podczas generowania odpowiedzi",
    "coś poszło nie tak",
    "niedostępna lub nie znaleziona",
    "fout opgetreden bij het genereren",
    "er is iets verkeerd gegaan",
    "niet toegankelijk of niet gevonden",
    "kesalahan saat membuat respons",
    "tidak dapat diakses atau tidak ditemukan",
    "yanıt oluşturulurken bir hata",
    "bir şey ters gitti",
    "konuşma bulunamadı",
    "जवाब जनरेट करने के दौरान",
    "कुछ गड़बड़ हो गई",
    "回答の生成中にエラー",
    "問題が発生しました",
    "会話にアクセスできないか",
    "응답을 생성하는 중",
    "문제가 발생했습니다",
    "대화에 접근할 수 없거나",
    "대화에 액세스할 수 없거나",
    "生成回应时出现错误",
    "生成回复时出错",
    "生成回應時出現錯誤",
    "生成回應時發生錯誤",
    "无法访问或找不到对话",
    "对话无法访问",
    "無法訪問或找不到對話",
    "無法存取或找到對話",
    "出现了错误",
    "發生了一些問題",
];

pub static SIGNATURES: &[Signature] = &[
    // No page arrived at all: the browser shows its own error page.
    Signature {
        id: "navigation-failed",
        kind: NetworkError,
        when: &[Says(&[Navigation], NETWORK_FAILURES)],
        code: CodeFrom::Navigation,
        confidence: Confidence::High,
    },
    // Cloudflare documents `challenge` as this header's only value, on every challenge.
    Signature {
        id: "cf-challenge-header",
        kind: CloudflareChallenge,
        when: &[ChallengeHeader],
        code: CodeFrom::Nothing,
        confidence: Confidence::High,
    },
    // Before the body arrives: an HTML 403 from Cloudflare is, these years, its block page
    // (its challenges say `cf-mitigated: challenge`, above); the page's code refines it.
    Signature {
        id: "cf-block-status",
        kind: CloudflareBlocked,
        when: &[BodyUnread, Status(403, 403), CloudflareServed, HtmlResponse],
        code: CodeFrom::Nothing,
        confidence: Confidence::Low,
    },
    // The same for an HTML 429: Cloudflare's 1015 page (OpenAI's own 429s are JSON or text).
    Signature {
        id: "cf-rate-limit-status",
        kind: CloudflareRateLimited,
        when: &[BodyUnread, Status(429, 429), CloudflareServed, HtmlResponse],
        code: CodeFrom::Nothing,
        confidence: Confidence::Low,
    },
    Signature {
        id: "cf-challenge-markup",
        kind: CloudflareChallenge,
        when: &[Markup(&[CF_CHALLENGE, CF_CHALLENGE_SCRIPT]), ErrorDocument],
        code: CodeFrom::Nothing,
        confidence: Confidence::High,
    },
    Signature {
        id: "cf-1015-rate-limited",
        kind: CloudflareRateLimited,
        when: &[StatedCode(1015, 1015), AnyOf(CF_CODE_SHAPED)],
        code: CodeFrom::StatedOrStatus,
        confidence: Confidence::High,
    },
    Signature {
        id: "cf-rate-limited-wording",
        kind: CloudflareRateLimited,
        when: &[
            Says(DOCUMENT, &["you are being rate limited"]),
            CloudflareServed,
        ],
        code: CodeFrom::StatedOrStatus,
        confidence: Confidence::High,
    },
    // 1020 and its relatives (1005-1012, ...): a firewall rule matched the visitor.
    Signature {
        id: "cf-10xx-blocked",
        kind: CloudflareBlocked,
        when: &[StatedCode(1000, 1099), AnyOf(CF_CODE_SHAPED)],
        code: CodeFrom::StatedOrStatus,
        confidence: Confidence::High,
    },
    Signature {
        id: "cf-blocked-wording",
        kind: CloudflareBlocked,
        when: &[
            Says(
                DOCUMENT,
                &[
                    "sorry, you have been blocked",
                    "why have i been blocked",
                    "attention required! | cloudflare",
                    "used cloudflare to restrict access",
                ],
            ),
            CloudflareServed,
        ],
        code: CodeFrom::Nothing,
        confidence: Confidence::High,
    },
    Signature {
        id: "cf-access-denied-403",
        kind: CloudflareBlocked,
        when: &[
            Says(DOCUMENT, &["access denied", "you do not have access to"]),
            Status(403, 403),
            CloudflareServed,
        ],
        code: CodeFrom::Nothing,
        confidence: Confidence::Medium,
    },
    // OpenAI's own country check (`unsupported_country`), in the app or as its JSON: the
    // same fix as Cloudflare's country block (1009), another network.
    Signature {
        id: "unsupported-country",
        kind: CloudflareBlocked,
        when: &[Says(
            ANYWHERE,
            &["not available in your country", "unsupported_country"],
        )],
        code: CodeFrom::Token(&["unsupported_country"]),
        confidence: Confidence::High,
    },
    Signature {
        id: "cf-challenge-wording",
        kind: CloudflareChallenge,
        when: &[Says(DOCUMENT, CHALLENGE_WORDING), ErrorDocument],
        code: CodeFrom::Nothing,
        confidence: Confidence::Medium,
    },
    // The app's own answer when it wants the browser to pass a challenge first (HTTP 418).
    Signature {
        id: "client-challenge-required",
        kind: CloudflareChallenge,
        when: &[Says(
            ANYWHERE,
            &[
                "client challenge required",
                "challenge_required",
                // A blocker or DNS filter keeps the challenge's own host away (or Cloudflare
                // itself is down, as on 2025-11-18).
                "unblock challenges.cloudflare.com",
            ],
        )],
        code: CodeFrom::Token(&["challenge_required"]),
        confidence: Confidence::Medium,
    },
    // Cloudflare could not reach OpenAI's servers (502, 504, 520-527): its own error page.
    // An error status alone does not make a page Cloudflare's: an origin's "500: Internal
    // Server Error" is the origin's (`internal-server-error` below).
    Signature {
        id: "cf-5xx-unreachable",
        kind: ServerUnreachable,
        when: &[StatedCode(500, 599), Markup(CF_MARKUP)],
        code: CodeFrom::StatedOrStatus,
        confidence: Confidence::High,
    },
    // The same without Cloudflare's template (its plain-text "error code: 502"), known by
    // Cloudflare's headers and a gateway code only Cloudflare (or a gateway) states.
    Signature {
        id: "cf-gateway-code",
        kind: ServerUnreachable,
        when: &[AnyOf(CF_GATEWAY_CODES), CloudflareServed],
        code: CodeFrom::StatedOrStatus,
        confidence: Confidence::High,
    },
    Signature {
        id: "gateway-wording",
        kind: ServerUnreachable,
        when: &[Says(DOCUMENT, GATEWAY_WORDING), Status(500, 599)],
        code: CodeFrom::StatedOrStatus,
        confidence: Confidence::High,
    },
    Signature {
        id: "cf-52x-status",
        kind: ServerUnreachable,
        when: &[Status(520, 530), ErrorDocument],
        code: CodeFrom::Status,
        confidence: Confidence::Medium,
    },
    Signature {
        id: "unusual-activity",
        kind: UnusualActivity,
        when: &[Says(ANYWHERE, &["unusual activity"])],
        code: CodeFrom::Status,
        confidence: Confidence::High,
    },
    Signature {
        id: "session-expired-wording",
        kind: SessionExpired,
        when: &[Says(ANYWHERE, SESSION_WORDING)],
        code: CodeFrom::Token(&["token_expired", "expired_session_key", "invalid_api_key"]),
        confidence: Confidence::High,
    },
    // A conversation can only be open when logged in: its page showing the log-in button
    // means the session is gone. (The home page offers it to logged-out visitors: fine.)
    Signature {
        id: "logged-out-conversation",
        kind: SessionExpired,
        when: &[Markup(&[LOGIN_BUTTON]), PathContains(&["/c/"])],
        code: CodeFrom::Nothing,
        confidence: Confidence::Medium,
    },
    Signature {
        id: "at-capacity",
        kind: AtCapacity,
        when: &[Says(ANYWHERE, CAPACITY_WORDING)],
        code: CodeFrom::Status,
        confidence: Confidence::High,
    },
    Signature {
        id: "rate-limit-wording",
        kind: RateLimited,
        when: &[Says(ANYWHERE, RATE_LIMIT_WORDING)],
        code: CodeFrom::Status,
        confidence: Confidence::High,
    },
    Signature {
        id: "http-429",
        kind: RateLimited,
        when: &[Status(429, 429), ErrorDocument],
        code: CodeFrom::Status,
        confidence: Confidence::Low,
    },
    // Before every in-chat row: the conversation's length, said in the app's own card (its
    // words name a limit, not a failure; "start a new chat" alone is people's words).
    Signature {
        id: "conversation-too-long",
        kind: ConversationTooLong,
        when: &[Says(
            ANYWHERE,
            &[
                "maximum length for this conversation",
                "conversation_too_large",
            ],
        )],
        code: CodeFrom::Token(&["conversation_too_large"]),
        confidence: Confidence::High,
    },
    // Before the network rows: the same dropped connection, but the app is still waiting for
    // the answer, which may yet arrive (2026).
    Signature {
        id: "response-pending",
        kind: ResponsePending,
        when: &[Says(
            ANYWHERE,
            &[
                "waiting for the full response",
                "waiting for the complete answer",
                // Japanese, 2026 ("接続が中断されました。回答の完了を待っています").
                "回答の完了を待っています",
            ],
        )],
        code: CodeFrom::Nothing,
        confidence: Confidence::High,
    },
    Signature {
        id: "network-wording",
        kind: NetworkError,
        when: &[Says(ANYWHERE, NETWORK_WORDING)],
        code: CodeFrom::Nothing,
        confidence: Confidence::Medium,
    },
    Signature {
        id: "internal-server-error",
        kind: ServerError,
        when: &[Says(ANYWHERE, &["internal server error"])],
        code: CodeFrom::Status,
        confidence: Confidence::High,
    },
    Signature {
        id: "app-error-wording",
        kind: AppError,
        when: &[Says(ANYWHERE, APP_WORDING)],
        code: CodeFrom::Status,
        confidence: Confidence::Medium,
    },
    // The last word on the app's own error containers: a toast styled as an error, the
    // error area of a failed answer, the notice strip above the composer. No row above knew
    // their words (a language no row holds, a new wording): still an error, in the page's
    // own words.
    Signature {
        id: "app-error-container",
        kind: AppError,
        when: &[AnyText(APP_ERROR_CONTAINERS)],
        code: CodeFrom::Nothing,
        confidence: Confidence::Low,
    },
    // ChatGPT shows its own retry button only under an answer that failed: an error even when
    // its card says nothing at all (after the card's words, which say more when it has any).
    Signature {
        id: "failed-turn",
        kind: AppError,
        when: &[Markup(&[TURN_RETRY_BUTTON])],
        code: CodeFrom::Nothing,
        confidence: Confidence::Medium,
    },
    Signature {
        id: "http-gateway-status",
        kind: ServerUnreachable,
        when: &[Status(502, 504), ErrorDocument],
        code: CodeFrom::Status,
        confidence: Confidence::Low,
    },
    Signature {
        id: "http-5xx-status",
        kind: ServerError,
        when: &[Status(500, 599), ErrorDocument],
        code: CodeFrom::Status,
        confidence: Confidence::Low,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn phrases(cond: &Cond, out: &mut Vec<&'static str>) {
        match cond {
            Says(_, list) => out.extend_from_slice(list),
            AnyOf(conds) => conds.iter().for_each(|c| phrases(c, out)),
            _ => {}
        }
    }

    /// A document that is not the app: `title`, its text, its status, Cloudflare's headers or not.
    fn page(title: &str, text: &str, status: u16, cloudflare: bool) -> crate::PageSnapshot {
        use crate::page::snapshot::{Region, RegionKind};
        let mut p = crate::PageSnapshot {
            url: "https://chatgpt.com/".into(),
            title: title.into(),
            regions: vec![Region {
                kind: RegionKind::ErrorPage,
                text: text.into(),
            }],
            page_text_len: Some(text.chars().count() as u32),
            ..Default::default()
        };
        p.response.status = Some(status);
        if cloudflare {
            p.response.server = Some("cloudflare".into());
            p.response.cf_ray = Some("8a3f2c1d0e9b7a65-FRA".into());
        }
        p
    }

    fn named(p: &crate::PageSnapshot) -> (ErrorKind, Option<String>) {
        let d = crate::classify(p);
        (d.kind, d.signature)
    }

    #[test]
    fn an_error_status_alone_does_not_make_a_stated_5xx_cloudflares() {
        let origin_500 = |cf| {
            page(
                "500: Internal Server Error",
                "500: Internal Server Error",
                500,
                cf,
            )
        };
        // The origin answered (through Cloudflare or not): a server error.
        assert_eq!(named(&origin_500(false)).0, ServerError);
        assert_eq!(named(&origin_500(true)).0, ServerError);
        // Cloudflare's own gateway answer, known by its headers.
        let cf_502 = page("", "error code: 502", 502, true);
        assert_eq!(
            named(&cf_502),
            (ServerUnreachable, Some("cf-gateway-code".into()))
        );
        // The same words from no Cloudflare are no Cloudflare row's.
        let (_, signature) = named(&page("", "error code: 502", 502, false));
        assert!(!signature.is_some_and(|s| s.starts_with("cf-")));
    }

    #[test]
    fn a_stated_1xxx_code_is_cloudflares_even_when_its_headers_were_not_seen() {
        // The background may miss the response (a restarting worker, the cache): the code is
        // Cloudflare's own vocabulary, and the error status says it was an error answer.
        for (text, status, kind) in [
            ("error code: 1020", 403, CloudflareBlocked),
            ("error code: 1015", 429, CloudflareRateLimited),
        ] {
            assert_eq!(named(&page("", text, status, false)).0, kind, "{text}");
            assert_eq!(named(&page("", text, status, true)).0, kind, "{text}");
        }
    }

    /// The app (a conversation), with one region of `kind` saying `text`.
    fn app_with(kind: crate::page::snapshot::RegionKind, text: &str) -> crate::PageSnapshot {
        crate::PageSnapshot {
            url: "https://chatgpt.com/c/0e1d2c3b-4a59-8687-b6c5-d4e3f2a1b0c9".into(),
            markers: vec![APP_SHELL.into()],
            regions: vec![crate::page::snapshot::Region {
                kind,
                text: text.into(),
            }],
            ..Default::default()
        }
    }

    #[test]
    fn the_apps_error_containers_are_errors_in_any_language() {
        use crate::page::snapshot::RegionKind;
        for (kind, text) in [
            (
                RegionKind::ErrorBox,
                "Viestin lähettäminen epäonnistui. Yritä uudelleen.",
            ),
            (RegionKind::TurnError, "Jibu halikuweza kukamilika."),
            (RegionKind::ErrorBox, "Ошибка 42"),
            (RegionKind::TurnError, "エラー"),
        ] {
            let d = crate::classify(&app_with(kind, text));
            assert_eq!(d.kind, AppError, "{text}");
            assert_eq!(d.confidence, Confidence::Low, "{text}");
            assert_eq!(d.signature.as_deref(), Some("app-error-container"));
            assert!(text.starts_with(d.message.as_deref().unwrap()), "{text}");
        }
        // Wording still refines the kind, in the container's own language.
        let d = crate::classify(&app_with(
            RegionKind::ErrorBox,
            "セッションの有効期限が切れました",
        ));
        assert_eq!(d.kind, SessionExpired);
        // The same unknown words in a plain alert (an info toast) or only punctuation in an
        // error box: nothing.
        let alert = app_with(RegionKind::Alert, "Viestin lähettäminen epäonnistui.");
        assert_eq!(crate::classify(&alert).kind, ErrorKind::None);
        let blank = app_with(RegionKind::ErrorBox, " … — ");
        assert_eq!(crate::classify(&blank).kind, ErrorKind::None);
    }

    #[test]
    fn cjk_phrases_are_found_inside_running_text() {
        use crate::page::snapshot::RegionKind;
        // No spaces between words: a phrase starts wherever it is found.
        for (text, kind) in [
            ("現在、ChatGPTは定員に達しています", AtCapacity),
            ("抱歉，您的会话已过期，请重新登录", SessionExpired),
            ("您已达到当前GPT-4的使用上限，请稍后再试", RateLimited),
        ] {
            assert_eq!(
                crate::classify(&app_with(RegionKind::Alert, text)).kind,
                kind,
                "{text}"
            );
        }
        // Latin phrases still need their word boundary.
        let glued = app_with(RegionKind::Alert, "xnetwork error");
        assert_ne!(crate::classify(&glued).kind, NetworkError);
    }

    #[test]
    fn ids_are_unique() {
        let mut seen = HashSet::new();
        for s in SIGNATURES {
            assert!(seen.insert(s.id), "duplicate signature id {}", s.id);
        }
    }

    #[test]
    fn every_error_kind_has_a_row() {
        for kind in ErrorKind::ALL.into_iter().filter(|k| k.is_error()) {
            assert!(
                SIGNATURES.iter().any(|s| s.kind == kind),
                "no signature names {}",
                kind.id()
            );
        }
        assert!(
            SIGNATURES.iter().all(|s| s.kind.is_error()),
            "a row cannot name `none`"
        );
    }

    #[test]
    fn every_row_has_a_condition() {
        for s in SIGNATURES {
            assert!(!s.when.is_empty(), "{} would match every page", s.id);
        }
    }

    #[test]
    fn phrases_are_written_the_way_they_are_compared() {
        let mut all = Vec::new();
        for s in SIGNATURES {
            s.when.iter().for_each(|c| phrases(c, &mut all));
        }
        for p in all {
            assert!(!p.trim().is_empty(), "empty phrase");
            assert_eq!(p, p.to_lowercase(), "phrase {p:?} must be lower-case");
            assert_eq!(p, p.trim(), "phrase {p:?} has edge spaces");
            assert!(
                !p.ends_with(['.', '!', '?']),
                "phrase {p:?} ends in punctuation"
            );
            assert_eq!(
                crate::recognise::text::fold(p).len(),
                p.chars().count(),
                "phrase {p:?} does not fold 1:1"
            );
        }
    }
}
