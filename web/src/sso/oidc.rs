//! The OpenID Connect protocol on the `openidconnect` crate, over a small
//! blocking `ureq` client: discovery (cached per issuer, JWKS refreshed when
//! a token's key is unknown), the authorization URL with PKCE, state and
//! nonce, the code exchange, and ID-token validation. Everything here blocks:
//! call it from `web::block`.

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreResponseType,
    CoreRevocableToken, CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthenticationFlow, AuthorizationCode, ClaimsVerificationError, Client,
    ClientId, ClientSecret, CsrfToken, DiscoveryError, EmptyExtraTokenFields, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, HttpRequest, HttpResponse, IdToken, IdTokenFields, IssuerUrl,
    JsonWebKeySet, LogoutRequest, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    PostLogoutRedirectUrl, ProviderMetadataWithLogout, RedirectUrl, RequestTokenError, Scope,
    SignatureVerificationError, StandardErrorResponse, StandardTokenResponse, TokenResponse,
};
use serde::{Deserialize, Serialize};

use super::config::ProviderConfig;
use super::SsoError;

/// Claims beyond the standard ones (`groups`, …), for the role mapping.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExtraClaims(pub serde_json::Map<String, serde_json::Value>);

impl AdditionalClaims for ExtraClaims {}

type HearthIdToken = IdToken<
    ExtraClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type HearthTokenResponse = StandardTokenResponse<
    IdTokenFields<
        ExtraClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;
type OidcClient = Client<
    ExtraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    HearthTokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

// ------------------------------------------------------------------ HTTP

/// A transport failure talking to a provider. HTTP error statuses are not
/// errors here: the crate reads the provider's error body itself.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("cannot reach {url}: {message}")]
    Unreachable { url: String, message: String },
    #[error("bad exchange with {url}: {message}")]
    Other { url: String, message: String },
}

const MAX_RESPONSE_BYTES: u64 = 1024 * 1024;

fn agent() -> &'static ureq::Agent {
    static AGENT: OnceLock<ureq::Agent> = OnceLock::new();
    AGENT.get_or_init(|| {
        ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            // A provider's endpoints are called as discovered, never
            // wherever a response points.
            .redirects(0)
            .user_agent("hearth-sso")
            .build()
    })
}

/// The crate's synchronous HTTP client: one request over ureq.
pub fn http_client(request: HttpRequest) -> Result<HttpResponse, HttpError> {
    let url = request.uri().to_string();
    let other = |message: String| HttpError::Other {
        url: url.clone(),
        message,
    };
    let mut req = agent().request(request.method().as_str(), &url);
    for (name, value) in request.headers() {
        let value = value
            .to_str()
            .map_err(|_| other(format!("header {name} is not text")))?;
        req = req.set(name.as_str(), value);
    }
    let result = if request.body().is_empty() {
        req.call()
    } else {
        req.send_bytes(request.body())
    };
    let response = match result {
        Ok(r) => r,
        // 4xx/5xx: hand the body to the crate, which knows OAuth error bodies.
        Err(ureq::Error::Status(_, r)) => r,
        Err(ureq::Error::Transport(t)) => {
            return Err(HttpError::Unreachable {
                url: url.clone(),
                message: t.to_string(),
            })
        }
    };
    let mut builder = openidconnect::http::Response::builder().status(response.status());
    if let Some(ct) = response.header("content-type") {
        builder = builder.header("content-type", ct);
    }
    let mut body = Vec::new();
    response
        .into_reader()
        .take(MAX_RESPONSE_BYTES)
        .read_to_end(&mut body)
        .map_err(|e| HttpError::Unreachable {
            url: url.clone(),
            message: format!("reading the response: {e}"),
        })?;
    builder.body(body).map_err(|e| other(e.to_string()))
}

// ------------------------------------------------------------------ discovery

const METADATA_TTL: Duration = Duration::from_secs(3600);

struct Cached {
    metadata: ProviderMetadataWithLogout,
    fetched: Instant,
}

/// Discovery documents with their JWKS, per issuer, shared by all workers.
fn cache() -> &'static Mutex<HashMap<String, Cached>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Cached>>> = OnceLock::new();
    CACHE.get_or_init(Mutex::default)
}

fn issuer_url(p: &ProviderConfig) -> Result<IssuerUrl, SsoError> {
    IssuerUrl::new(p.issuer.clone())
        .map_err(|e| SsoError::Discovery(format!("issuer {:?} is not a URL: {e}", p.issuer)))
}

fn discovery_error(e: DiscoveryError<HttpError>) -> SsoError {
    match e {
        DiscoveryError::Request(HttpError::Unreachable { url, message }) => {
            SsoError::Unreachable(format!("{url}: {message}"))
        }
        DiscoveryError::Response(status, _, msg) if status.is_server_error() => {
            SsoError::Unreachable(format!("the provider answered {status}: {msg}"))
        }
        other => {
            let mut msg = other.to_string();
            let mut source = std::error::Error::source(&other);
            while let Some(s) = source {
                msg.push_str(&format!(": {s}"));
                source = s.source();
            }
            SsoError::Discovery(msg)
        }
    }
}

/// The provider's metadata and keys, from the cache when fresh.
pub fn metadata(p: &ProviderConfig) -> Result<ProviderMetadataWithLogout, SsoError> {
    if let Ok(c) = cache().lock() {
        if let Some(hit) = c.get(&p.issuer) {
            if hit.fetched.elapsed() < METADATA_TTL {
                return Ok(hit.metadata.clone());
            }
        }
    }
    let md = ProviderMetadataWithLogout::discover(&issuer_url(p)?, &http_client)
        .map_err(discovery_error)?;
    tracing::info!(provider = %p.name, issuer = %p.issuer, "provider discovery document loaded");
    if let Ok(mut c) = cache().lock() {
        c.insert(
            p.issuer.clone(),
            Cached {
                metadata: md.clone(),
                fetched: Instant::now(),
            },
        );
    }
    Ok(md)
}

/// Fetch the provider's keys again (a token named a key we do not have).
fn refresh_jwks(
    p: &ProviderConfig,
    md: ProviderMetadataWithLogout,
) -> Result<ProviderMetadataWithLogout, SsoError> {
    let jwks = JsonWebKeySet::fetch(md.jwks_uri(), &http_client).map_err(discovery_error)?;
    let md = md.set_jwks(jwks);
    tracing::info!(provider = %p.name, "provider signing keys refreshed");
    if let Ok(mut c) = cache().lock() {
        c.insert(
            p.issuer.clone(),
            Cached {
                metadata: md.clone(),
                fetched: Instant::now(),
            },
        );
    }
    Ok(md)
}

fn client(
    p: &ProviderConfig,
    md: ProviderMetadataWithLogout,
    redirect_uri: &str,
) -> Result<OidcClient, SsoError> {
    let secret = (!p.client_secret.is_empty())
        .then(|| ClientSecret::new(p.client_secret.expose().to_string()));
    let redirect = RedirectUrl::new(redirect_uri.to_string())
        .map_err(|e| SsoError::Discovery(format!("redirect URI {redirect_uri:?}: {e}")))?;
    Ok(
        OidcClient::from_provider_metadata(md, ClientId::new(p.client_id.clone()), secret)
            .set_redirect_uri(redirect),
    )
}

// ------------------------------------------------------------------ the flow

/// Where to send the browser, and what the callback needs to finish.
pub struct Started {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

pub fn start(p: &ProviderConfig, redirect_uri: &str) -> Result<Started, SsoError> {
    let client = client(p, metadata(p)?, redirect_uri)?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client.authorize_url(
        AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
        CsrfToken::new_random,
        Nonce::new_random,
    );
    // `openid` is always sent by the crate.
    for scope in p.scopes.iter().filter(|s| s.as_str() != "openid") {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
    Ok(Started {
        url: url.to_string(),
        state: state.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
    })
}

/// Who the provider says signed in, from a validated ID token.
pub struct Identity {
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub preferred_username: Option<String>,
    pub name: Option<String>,
    /// Every claim of the ID token, for the role mapping.
    pub claims: serde_json::Map<String, serde_json::Value>,
    /// The raw ID token, kept for logout when the provider supports it.
    pub id_token: String,
    pub end_session: bool,
}

fn token_error(
    e: RequestTokenError<HttpError, StandardErrorResponse<CoreErrorResponseType>>,
) -> SsoError {
    match e {
        RequestTokenError::ServerResponse(r) => {
            let detail = format!(
                "{}{}",
                r.error(),
                r.error_description()
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default()
            );
            if *r.error() == CoreErrorResponseType::InvalidGrant {
                SsoError::Code(detail)
            } else {
                SsoError::Token(detail)
            }
        }
        RequestTokenError::Request(HttpError::Unreachable { url, message }) => {
            SsoError::Unreachable(format!("{url}: {message}"))
        }
        RequestTokenError::Request(other) => SsoError::Token(other.to_string()),
        RequestTokenError::Parse(e, _) => {
            SsoError::Token(format!("unreadable token response: {e}"))
        }
        RequestTokenError::Other(m) => SsoError::Token(m),
    }
}

fn claims_error(e: ClaimsVerificationError) -> SsoError {
    match e {
        ClaimsVerificationError::SignatureVerification(s) => SsoError::Signature(s.to_string()),
        other => SsoError::IdToken(other.to_string()),
    }
}

/// The issuer a callback's `iss` parameter (RFC 9207) must name.
pub fn same_issuer(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

/// Exchange the code (with the PKCE verifier) and validate the ID token:
/// signature against the provider's keys, issuer, audience, expiry, nonce.
pub fn finish(
    p: &ProviderConfig,
    redirect_uri: &str,
    code: String,
    pkce_verifier: String,
    nonce: String,
) -> Result<Identity, SsoError> {
    let md = metadata(p)?;
    let end_session = md.additional_metadata().end_session_endpoint.is_some();
    let oidc = client(p, md.clone(), redirect_uri)?;
    let response = oidc
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| SsoError::Discovery(e.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
        .request(&http_client)
        .map_err(token_error)?;
    let id_token = response
        .id_token()
        .ok_or_else(|| SsoError::IdToken("the token response has no ID token".into()))?;
    let nonce = Nonce::new(nonce);
    let claims = match id_token.claims(&oidc.id_token_verifier(), &nonce) {
        Ok(c) => c.clone(),
        Err(ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::NoMatchingKey,
        )) => {
            // Keys rotate: fetch them again once before giving up.
            let oidc = client(p, refresh_jwks(p, md)?, redirect_uri)?;
            let verifier = oidc.id_token_verifier();
            let claims = id_token
                .claims(&verifier, &nonce)
                .map_err(claims_error)?
                .clone();
            claims
        }
        Err(e) => return Err(claims_error(e)),
    };
    let all = match serde_json::to_value(&claims) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    Ok(Identity {
        subject: claims.subject().as_str().to_string(),
        email: claims.email().map(|e| e.as_str().to_string()),
        email_verified: claims.email_verified() == Some(true),
        preferred_username: claims.preferred_username().map(|u| u.as_str().to_string()),
        name: claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_string()),
        claims: all,
        id_token: id_token.to_string(),
        end_session,
    })
}

/// The provider's logout URL for this session, when it has one.
pub fn end_session_url(
    p: &ProviderConfig,
    id_token: &str,
    post_logout_redirect_uri: &str,
) -> Result<Option<String>, SsoError> {
    let md = metadata(p)?;
    let Some(endpoint) = md.additional_metadata().end_session_endpoint.clone() else {
        return Ok(None);
    };
    let mut request = LogoutRequest::from(endpoint);
    match id_token.parse::<HearthIdToken>() {
        Ok(t) => request = request.set_id_token_hint(&t),
        Err(_) => request = request.set_client_id(ClientId::new(p.client_id.clone())),
    }
    if let Ok(u) = PostLogoutRedirectUrl::new(post_logout_redirect_uri.to_string()) {
        request = request.set_post_logout_redirect_uri(u);
    }
    Ok(Some(request.http_get_url().to_string()))
}
