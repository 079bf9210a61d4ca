//! The static files of the demo: the built widget (`/widget/`), the themes (`/themes/`) and the
//! brand pages, served from the static folder with the brotli and gzip copies the build wrote
//! beside them (`x.js.br`, `x.js.gz`; widgets/embed/post-build.mjs) and a caching rule per
//! kind of name. Which files exist and what they contain is the build's business.
//!
//! | name | `Cache-Control` |
//! |---|---|
//! | content-hashed (`name-<16 hex>.ext`) | `public, max-age=31536000, immutable` |
//! | HTML pages and folders (`/roadhelp/`) | `no-cache` |
//! | the stable names a brand links (`/widget/journey-widget.js`, `/themes/*.css`, ...) | `public, max-age=300` |
//!
//! Stable names revalidate with `Last-Modified` / `If-Modified-Since` once the five minutes
//! are over, so a new widget reaches every page within five minutes.
//!
//! A brand's page on an origin of its own loads the loader as a module script and fetches the
//! wasm, both CORS requests: the router-wide CORS layer ([`crate::security::cors`]) answers them
//! for the tenants' allowed origins here as for the API, and for no other origin.

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::path::Path;
use tower_http::services::ServeDir;

/// The static folder as a service, with precompressed copies and cache headers.
pub fn service(dir: &Path) -> Router {
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    Router::new()
        .fallback_service(files)
        .layer(axum::middleware::from_fn(cache_headers))
}

/// How long a response for `path` may be cached.
pub fn cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or_default();
    if name.is_empty() || name.ends_with(".html") {
        "no-cache"
    } else if is_content_hashed(name) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    }
}

/// Whether a file name carries a hash of its content: `stem-<16 lower-case hex>.ext`.
fn is_content_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        hash.len() == 16 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

async fn cache_headers(request: Request, next: Next) -> Response {
    let cache = cache_control(request.uri().path());
    let mut response = next.run(request).await;
    let status = response.status();
    if status.is_success() || status == axum::http::StatusCode::NOT_MODIFIED {
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        // The answer depends on Accept-Encoding whenever a compressed copy exists.
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::cache_control;

    #[test]
    fn cache_rules_follow_the_name() {
        let cases = [
            ("/widget/journey-widget.js", "public, max-age=300"),
            ("/widget/bundle.css", "public, max-age=300"),
            ("/themes/roadhelp.css", "public, max-age=300"),
            (
                "/widget/journey-widgets_bg-0123456789abcdef.wasm",
                "public, max-age=31536000, immutable",
            ),
            (
                "/widget/journey-widgets-0123456789abcdef.js",
                "public, max-age=31536000, immutable",
            ),
            (
                "/widget/journey-widgets-0123456789abcdeg.js",
                "public, max-age=300",
            ),
            ("/roadhelp/", "no-cache"),
            ("/roadhelp/login/index.html", "no-cache"),
            ("/", "no-cache"),
        ];
        for (path, expected) in cases {
            assert_eq!(cache_control(path), expected, "{path}");
        }
    }
}
