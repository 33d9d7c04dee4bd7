//! The compiled site's static files (issue 14 point 7): read once at start, served from memory
//! with `Content-Length`, a strong `ETag` (304 on `If-None-Match`) and `Vary: Accept-Encoding`;
//! brotli or gzip when the browser accepts it (brotli preferred), from files compressed once
//! per content — kept in the site's `.precompressed/` folder under the content's SHA-256, so a
//! restart or a second instance reuses them and a rebuilt asset gets new ones. The bundle
//! (`pkg/chuangkou.js`, `.wasm`, `.css`) is also served under a name with its content hash,
//! which the pages load (Leptos `hash_files`, fed the hash file written here), with
//! `Cache-Control: public, max-age=31536000, immutable`; other files must be revalidated
//! (`no-cache`). Compression runs in the background after start: until a file's compressed
//! forms exist it is sent as it is (never compressed per request).

use std::{
    collections::HashMap,
    io::Write,
    path::{Path, PathBuf},
    sync::{Arc, OnceLock},
};

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use sha2::{Digest, Sha256};

/// The folder, inside the site root, of the compressed forms.
pub const PRECOMPRESSED_DIR: &str = ".precompressed";
/// The hash file Leptos reads to name the bundle in the pages (`hash_files`).
pub const HASH_FILE: &str = ".hashes.txt";
/// Hashed names never change content: cache them for a year.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Other files (and the pages) are revalidated with their `ETag` each time.
pub const REVALIDATE: &str = "no-cache";

/// Marks a response whose body is a stored representation: the dynamic compression layer leaves
/// it alone.
#[derive(Clone, Copy, Debug)]
pub struct Precompressed;

/// One content encoding of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    fn token(self) -> Option<&'static str> {
        match self {
            Encoding::Brotli => Some("br"),
            Encoding::Gzip => Some("gzip"),
            Encoding::Identity => None,
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Encoding::Brotli => "-br",
            Encoding::Gzip => "-gz",
            Encoding::Identity => "",
        }
    }
}

/// The encoding to send for an `Accept-Encoding` header: brotli when accepted, else gzip, else
/// the file as it is (`q=0` refuses an encoding; `*` accepts any not named).
pub fn negotiate(accept: Option<&str>, br: bool, gz: bool) -> Encoding {
    let Some(accept) = accept else {
        return Encoding::Identity;
    };
    let mut named: HashMap<String, f32> = HashMap::new();
    for part in accept.split(',') {
        let mut pieces = part.split(';');
        let name = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        let q = pieces
            .filter_map(|p| p.trim().strip_prefix("q="))
            .filter_map(|q| q.trim().parse::<f32>().ok())
            .next()
            .unwrap_or(1.0);
        named.insert(name, q);
    }
    let accepts = |token: &str| match named.get(token) {
        Some(q) => *q > 0.0,
        None => named.get("*").is_some_and(|q| *q > 0.0),
    };
    if br && accepts("br") {
        Encoding::Brotli
    } else if gz && (accepts("gzip") || accepts("x-gzip")) {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// Whether an `If-None-Match` header names `etag` (weak comparison, or `*`).
pub fn none_match(header: Option<&str>, etag: &str) -> bool {
    let Some(header) = header else {
        return false;
    };
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let ours = bare(etag);
    header
        .split(',')
        .any(|t| t.trim() == "*" || bare(t) == ours)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// Text-like files gain from compression; images and fonts are compressed already.
fn compressible(path: &str) -> bool {
    matches!(
        path.rsplit('.').next().unwrap_or(""),
        "js" | "mjs"
            | "wasm"
            | "css"
            | "html"
            | "json"
            | "map"
            | "webmanifest"
            | "svg"
            | "txt"
            | "xml"
            | "ico"
    )
}

/// The compressed forms of one file, once made.
#[derive(Debug)]
struct Compressed {
    br: Bytes,
    gz: Bytes,
}

#[derive(Debug)]
struct Asset {
    body: Bytes,
    /// SHA-256 of the content, hex.
    sha256: String,
    content_type: &'static str,
    immutable: bool,
    compressible: bool,
    compressed: OnceLock<Compressed>,
}

impl Asset {
    fn etag(&self, encoding: Encoding) -> String {
        format!("\"{}{}\"", &self.sha256[..32], encoding.suffix())
    }
}

/// The site's files by URL path (hashed names included).
#[derive(Debug, Default)]
pub struct Assets {
    root: PathBuf,
    files: HashMap<String, Arc<Asset>>,
    /// The browser builds found, by output name (`chuangkou`, `chuangkou-citizen`).
    bundles: HashMap<String, Bundle>,
}

/// One browser build (`pkg/{output}.js` and `.wasm`, and the stylesheet for the main one) under
/// content-hashed names, and the hash file that tells Leptos those names.
#[derive(Debug, Default)]
pub struct Bundle {
    /// Whether the build got hashed names (and its hash file was written).
    pub hashed: bool,
    /// The hashed file names by extension (`css` → `chuangkou.0123456789abcdef.css`).
    names: HashMap<&'static str, String>,
    hash_file: PathBuf,
}

impl Bundle {
    /// Whether the site has the build's script and its wasm.
    fn is_whole(&self) -> bool {
        self.names.contains_key("js") && self.names.contains_key("wasm")
    }

    /// The file's hashed name (`css`, `js`, `wasm`), when the build got hashed names.
    pub fn hashed_name(&self, ext: &str) -> Option<&str> {
        self.hashed
            .then(|| self.names.get(ext).map(String::as_str))
            .flatten()
    }

    /// The absolute path of the hash file (Leptos joins it to the executable's folder; an
    /// absolute path replaces that).
    pub fn hash_file(&self) -> PathBuf {
        std::path::absolute(&self.hash_file).unwrap_or_else(|_| self.hash_file.clone())
    }
}

/// The bundle files that get a hashed name, as Leptos names them in the hash file.
const BUNDLE: [(&str, &str); 3] = [("js", "js"), ("wasm", "wasm"), ("css", "css")];

/// The hash file of a browser build: [`HASH_FILE`] for the main one (`main`), a file of its own
/// for each other.
fn hash_file_name(output: &str, main: bool) -> String {
    if main {
        HASH_FILE.to_string()
    } else {
        format!(".hashes-{output}.txt")
    }
}

impl Assets {
    /// Reads every file under `root` (not the compressed forms), gives each browser build of
    /// `outputs` (the first is the main one) hashed names for `pkg/{output}.{js,wasm,css}` and
    /// writes the hash file Leptos reads. A site root that does not exist gives no assets (the
    /// API-only tests).
    pub fn load(root: &Path, outputs: &[&str]) -> std::io::Result<Assets> {
        let mut assets = Assets {
            root: root.to_path_buf(),
            ..Default::default()
        };
        if !root.is_dir() {
            return Ok(assets);
        }
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir)? {
                let entry = entry?;
                let path = entry.path();
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if name == PRECOMPRESSED_DIR || name.starts_with(".hashes") {
                    continue;
                }
                if entry.file_type()?.is_dir() {
                    stack.push(path);
                    continue;
                }
                let Ok(rel) = path.strip_prefix(root) else {
                    continue;
                };
                let url = format!(
                    "/{}",
                    rel.components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/")
                );
                let body = Bytes::from(std::fs::read(&path)?);
                let sha256 = hex::encode(Sha256::digest(&body));
                assets.files.insert(
                    url.clone(),
                    Arc::new(Asset {
                        content_type: content_type(&url),
                        compressible: compressible(&url) && body.len() >= 256,
                        immutable: false,
                        body,
                        sha256,
                        compressed: OnceLock::new(),
                    }),
                );
            }
        }
        for (i, output) in outputs.iter().enumerate() {
            let bundle = assets.hash_bundle(output, i == 0);
            assets.bundles.insert(output.to_string(), bundle);
        }
        Ok(assets)
    }

    /// Adds the build's files under hashed names and writes its hash file. The build gets hashed
    /// names only when it has both its script and its wasm.
    fn hash_bundle(&mut self, output: &str, main: bool) -> Bundle {
        let mut bundle = Bundle {
            hash_file: self.root.join(hash_file_name(output, main)),
            ..Default::default()
        };
        let mut lines = Vec::new();
        for (ext, key) in BUNDLE {
            let plain = format!("/pkg/{output}.{ext}");
            let Some(asset) = self.files.get(&plain).cloned() else {
                continue;
            };
            let short = &asset.sha256[..16];
            let hashed = Arc::new(Asset {
                body: asset.body.clone(),
                sha256: asset.sha256.clone(),
                content_type: asset.content_type,
                immutable: true,
                compressible: asset.compressible,
                compressed: OnceLock::new(),
            });
            let name = format!("{output}.{short}.{ext}");
            self.files.insert(format!("/pkg/{name}"), hashed);
            bundle.names.insert(ext, name);
            lines.push(format!("{key}: {short}"));
        }
        if bundle.is_whole() {
            let file = &bundle.hash_file;
            let text = lines.join("\n") + "\n";
            bundle.hashed = std::fs::read_to_string(file).ok().as_deref() == Some(text.as_str())
                || write_atomically(file, text.as_bytes())
                    .inspect_err(|err| {
                        tracing::warn!(error = %err, file = %file.display(),
                            "hash file not written: the bundle keeps its plain names");
                    })
                    .is_ok();
        }
        bundle
    }

    /// The browser build named `output`, when the site has its script and its wasm.
    pub fn bundle(&self, output: &str) -> Option<&Bundle> {
        self.bundles.get(output).filter(|b| b.is_whole())
    }

    /// Makes the compressed forms that are missing (brotli at its best quality for files up to
    /// 4 MB, a faster one above — the debug bundle —, gzip at 9), reusing those already in
    /// `.precompressed/`, then removes the forms of contents the site no longer has (every
    /// rebuild of the bundle would otherwise leave megabytes behind). Blocking: run it on a
    /// blocking thread.
    pub fn precompress(&self) -> std::io::Result<usize> {
        let made = self.compress_missing()?;
        self.prune_precompressed()?;
        Ok(made)
    }

    /// Deletes `<sha256>.br` / `<sha256>.gz` files whose content is not in the site. Only names
    /// of that form are touched: a temporary file another instance is writing stays.
    fn prune_precompressed(&self) -> std::io::Result<usize> {
        let dir = self.root.join(PRECOMPRESSED_DIR);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Ok(0);
        };
        let current: std::collections::HashSet<&str> =
            self.files.values().map(|a| a.sha256.as_str()).collect();
        let mut removed = 0;
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            let Some((hash, ext)) = name.to_str().and_then(|n| n.split_once('.')) else {
                continue;
            };
            let ours = matches!(ext, "br" | "gz")
                && hash.len() == 64
                && hash.bytes().all(|b| b.is_ascii_hexdigit());
            if ours && !current.contains(hash) {
                // Another instance may have removed it first.
                match std::fs::remove_file(entry.path()) {
                    Ok(()) => removed += 1,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(removed)
    }

    fn compress_missing(&self) -> std::io::Result<usize> {
        let dir = self.root.join(PRECOMPRESSED_DIR);
        let mut made = 0;
        let mut done: HashMap<String, (Bytes, Bytes)> = HashMap::new();
        for asset in self.files.values().filter(|a| a.compressible) {
            if let Some((br, gz)) = done.get(&asset.sha256) {
                let _ = asset.compressed.set(Compressed {
                    br: br.clone(),
                    gz: gz.clone(),
                });
                continue;
            }
            std::fs::create_dir_all(&dir)?;
            let br_path = dir.join(format!("{}.br", asset.sha256));
            let gz_path = dir.join(format!("{}.gz", asset.sha256));
            let br = match std::fs::read(&br_path) {
                Ok(b) => Bytes::from(b),
                Err(_) => {
                    made += 1;
                    let b = brotli_of(&asset.body)?;
                    write_atomically(&br_path, &b)?;
                    Bytes::from(b)
                }
            };
            let gz = match std::fs::read(&gz_path) {
                Ok(b) => Bytes::from(b),
                Err(_) => {
                    made += 1;
                    let b = gzip_of(&asset.body)?;
                    write_atomically(&gz_path, &b)?;
                    Bytes::from(b)
                }
            };
            done.insert(asset.sha256.clone(), (br.clone(), gz.clone()));
            let _ = asset.compressed.set(Compressed { br, gz });
        }
        Ok(made)
    }

    /// The answer for a GET or HEAD of `path`, if it names a file of the site.
    pub fn respond(&self, method: &Method, path: &str, headers: &HeaderMap) -> Option<Response> {
        let asset = self.files.get(path)?;
        let compressed = asset.compressed.get();
        let accept = headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok());
        let encoding = negotiate(accept, compressed.is_some(), compressed.is_some());
        let body = match (encoding, compressed) {
            (Encoding::Brotli, Some(c)) => c.br.clone(),
            (Encoding::Gzip, Some(c)) => c.gz.clone(),
            _ => asset.body.clone(),
        };
        let etag = asset.etag(encoding);
        let mut response = if none_match(
            headers
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok()),
            &etag,
        ) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let len = body.len();
            let mut r = if method == Method::HEAD {
                Response::new(Body::empty())
            } else {
                Response::new(Body::from(body))
            };
            r.headers_mut()
                .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            );
            if let Some(token) = encoding.token() {
                r.headers_mut()
                    .insert(header::CONTENT_ENCODING, HeaderValue::from_static(token));
            }
            r
        };
        let h = response.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&etag) {
            h.insert(header::ETAG, v);
        }
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(if asset.immutable {
                IMMUTABLE
            } else {
                REVALIDATE
            }),
        );
        if asset.compressible {
            h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        response.extensions_mut().insert(Precompressed);
        Some(response)
    }
}

fn brotli_of(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let quality = if data.len() <= 4 << 20 { 11 } else { 5 };
    let mut out = Vec::with_capacity(data.len() / 3);
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 64 * 1024, quality, 22);
        w.write_all(data)?;
        w.flush()?;
    }
    Ok(out)
}

fn gzip_of(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut w = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 3),
        flate2::Compression::best(),
    );
    w.write_all(data)?;
    w.finish()
}

/// Writes a file whole or not at all (a second instance may read it meanwhile).
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// Middleware: answers GET and HEAD of the site's files, and refuses any other method on them
/// (405 with `Allow`; the router's fallback would serve the file to a DELETE); everything else
/// goes on.
pub async fn serve(State(assets): State<Arc<Assets>>, request: Request, next: Next) -> Response {
    let (method, path) = (request.method(), request.uri().path());
    let readable = matches!(*method, Method::GET | Method::HEAD);
    let probe = if readable { method } else { &Method::HEAD };
    if let Some(response) = assets.respond(probe, path, request.headers()) {
        if readable {
            return response;
        }
        let mut refused = crate::error::AppError::new(
            crate::error::ErrorKind::MethodNotAllowed,
            "method_not_allowed",
            "静态文件只支持 GET 和 HEAD 请求",
        )
        .into_response();
        refused
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return refused;
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_forms_of_a_content_the_site_no_longer_has_are_removed() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("pkg")).unwrap();
        // Large enough to be compressed (256 bytes).
        let css = "body { color: black }\n".repeat(20);
        std::fs::write(site.path().join("pkg/app.css"), &css).unwrap();
        let dir = site.path().join(PRECOMPRESSED_DIR);
        std::fs::create_dir_all(&dir).unwrap();
        let stale = "ab".repeat(32);
        for name in [
            format!("{stale}.br"),
            format!("{stale}.gz"),
            "notes.txt".into(),
        ] {
            std::fs::write(dir.join(name), "old").unwrap();
        }
        let assets = Assets::load(site.path(), &["app"]).unwrap();
        assets.precompress().unwrap();
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let css = hex::encode(Sha256::digest(css.as_bytes()));
        assert_eq!(
            left,
            [format!("{css}.br"), format!("{css}.gz"), "notes.txt".into()]
        );
    }

    #[test]
    fn each_bundle_gets_hashed_names_and_a_hash_file_of_its_own() {
        let site = tempfile::tempdir().unwrap();
        let pkg = site.path().join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        for (file, body) in [
            ("app.js", "main js"),
            ("app.wasm", "main wasm"),
            ("app.css", "css"),
            ("app-citizen.js", "citizen js"),
            ("app-citizen.wasm", "citizen wasm"),
            ("other.js", "no wasm beside it"),
        ] {
            std::fs::write(pkg.join(file), body).unwrap();
        }
        let assets = Assets::load(site.path(), &["app", "app-citizen", "other"]).unwrap();
        let main = assets.bundle("app").unwrap();
        let citizen = assets.bundle("app-citizen").unwrap();
        assert!(main.hashed && citizen.hashed);
        assert!(
            assets.bundle("other").is_none(),
            "a script without its wasm is no bundle"
        );
        assert!(main.hashed_name("css").is_some());
        assert_eq!(citizen.hashed_name("css"), None);
        let name = citizen.hashed_name("wasm").unwrap();
        assert!(name.starts_with("app-citizen.") && name.ends_with(".wasm"));
        assert_ne!(main.hash_file(), citizen.hash_file());
        let hashes = std::fs::read_to_string(citizen.hash_file()).unwrap();
        let short = &name["app-citizen.".len()..name.len() - ".wasm".len()];
        assert!(hashes.contains(&format!("wasm: {short}")), "{hashes}");
        let served = assets.respond(&Method::GET, &format!("/pkg/{name}"), &HeaderMap::new());
        let served = served.unwrap();
        assert_eq!(served.headers()[header::CACHE_CONTROL], IMMUTABLE);
    }

    #[test]
    fn brotli_is_preferred_and_a_refused_encoding_is_not_sent() {
        assert_eq!(
            negotiate(Some("gzip, deflate, br"), true, true),
            Encoding::Brotli
        );
        assert_eq!(negotiate(Some("gzip"), true, true), Encoding::Gzip);
        assert_eq!(negotiate(Some("br;q=0, gzip"), true, true), Encoding::Gzip);
        assert_eq!(negotiate(Some("*"), true, true), Encoding::Brotli);
        assert_eq!(negotiate(Some("identity"), true, true), Encoding::Identity);
        assert_eq!(negotiate(None, true, true), Encoding::Identity);
        assert_eq!(negotiate(Some("br"), false, false), Encoding::Identity);
    }

    #[test]
    fn if_none_match_compares_weakly_and_takes_lists() {
        assert!(none_match(Some("\"abc\""), "\"abc\""));
        assert!(none_match(Some("W/\"abc\", \"x\""), "\"abc\""));
        assert!(none_match(Some("*"), "\"abc\""));
        assert!(!none_match(Some("\"abd\""), "\"abc\""));
        assert!(!none_match(None, "\"abc\""));
    }
}
