//! Files members attach to posts, and their avatars.
//!
//! What is accepted is decided by the bytes, never by the name or the
//! browser's claim: PNG, JPEG, GIF and WebP images, PDF, and plain UTF-8
//! text. Images are decoded and written again, so their metadata (EXIF with
//! GPS positions, comments) is gone, anything appended or smuggled inside
//! (an HTML or ZIP polyglot) is gone, the camera's orientation is applied,
//! and a small file claiming a huge picture (a decompression bomb) is
//! refused from its header before any pixel is decoded. Text that is an
//! HTML, SVG or XML document is refused. The stored name takes the
//! extension of what the bytes are.
//!
//! The bytes go to a [`blobs::BlobStore`] (the data directory, or an
//! S3-compatible bucket); a row in `uploads` records who uploaded what,
//! so per-member daily limits hold on every node.

pub mod blobs;

use std::io::Cursor;
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use image::{AnimationDecoder, DynamicImage, ImageDecoder, ImageFormat};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::db::dispatch;
use crate::{Actor, Forum, ForumError, Result, Rule};

/// `[uploads]`: limits and where files are kept.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct UploadConfig {
    /// Members may attach files and upload avatars.
    pub enabled: bool,
    /// The largest file accepted, in bytes.
    pub max_bytes: usize,
    /// The most pixels an image may have (width × height; all frames of an
    /// animation together). Decoding needs 4 bytes per pixel.
    pub max_pixels: u64,
    /// Accept PDF and plain-text files besides images.
    pub allow_documents: bool,
    /// Files one member may upload in 24 hours…
    pub max_files_per_day: i64,
    /// …and their total size in bytes.
    pub max_bytes_per_day: i64,
    /// Where the bytes live.
    pub store: blobs::StoreConfig,
}

impl Default for UploadConfig {
    fn default() -> Self {
        UploadConfig {
            enabled: true,
            max_bytes: 8 * 1024 * 1024,
            // A 24-megapixel photo (6000 × 4000): 96 MiB while decoded.
            max_pixels: 24_000_000,
            allow_documents: true,
            max_files_per_day: 100,
            max_bytes_per_day: 200 * 1024 * 1024,
            store: blobs::StoreConfig::default(),
        }
    }
}

/// What an upload is, read from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Png,
    Jpeg,
    Gif,
    Webp,
    Pdf,
    Text,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Png => "png",
            FileKind::Jpeg => "jpeg",
            FileKind::Gif => "gif",
            FileKind::Webp => "webp",
            FileKind::Pdf => "pdf",
            FileKind::Text => "text",
        }
    }

    pub fn parse(s: &str) -> Option<FileKind> {
        Some(match s {
            "png" => FileKind::Png,
            "jpeg" => FileKind::Jpeg,
            "gif" => FileKind::Gif,
            "webp" => FileKind::Webp,
            "pdf" => FileKind::Pdf,
            "text" => FileKind::Text,
            _ => return None,
        })
    }

    /// The `Content-Type` it is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Gif => "image/gif",
            FileKind::Webp => "image/webp",
            FileKind::Pdf => "application/pdf",
            FileKind::Text => "text/plain; charset=utf-8",
        }
    }

    pub fn is_image(self) -> bool {
        matches!(
            self,
            FileKind::Png | FileKind::Jpeg | FileKind::Gif | FileKind::Webp
        )
    }

    fn extension(self) -> &'static str {
        match self {
            FileKind::Png => "png",
            FileKind::Jpeg => "jpg",
            FileKind::Gif => "gif",
            FileKind::Webp => "webp",
            FileKind::Pdf => "pdf",
            FileKind::Text => "txt",
        }
    }
}

/// Text files keep these extensions; any other becomes `.txt`.
const TEXT_EXTENSIONS: [&str; 9] = [
    "txt", "log", "csv", "tsv", "md", "json", "ini", "conf", "yaml",
];

/// What the bytes are, or `None` for anything not accepted.
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileKind::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileKind::Jpeg)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(FileKind::Gif)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(FileKind::Webp)
    } else if bytes.starts_with(b"%PDF-") {
        Some(FileKind::Pdf)
    } else if is_plain_text(bytes) {
        Some(FileKind::Text)
    } else {
        None
    }
}

/// UTF-8 without NUL or other control characters but tab, line breaks and
/// form feed. (An HTML document is text too; `markup` tells it apart.)
fn is_plain_text(bytes: &[u8]) -> bool {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    !body.is_empty()
        && std::str::from_utf8(body).is_ok_and(|s| {
            s.chars()
                .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\x0C'))
        })
}

/// Whether text opens like a document a browser would render: what the
/// WHATWG MIME sniffing algorithm takes for HTML, plus SVG and XML.
fn looks_like_markup(text: &str) -> bool {
    let head = text
        .trim_start_matches('\u{FEFF}')
        .trim_start()
        .chars()
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    const OPENINGS: [&str; 21] = [
        "<!doctype",
        "<html",
        "<head",
        "<script",
        "<iframe",
        "<h1",
        "<div",
        "<font",
        "<table",
        "<a",
        "<style",
        "<title",
        "<b",
        "<body",
        "<br",
        "<p",
        "<!--",
        "<?xml",
        "<svg",
        "<xml",
        "<xsl",
    ];
    OPENINGS.iter().any(|o| {
        head.strip_prefix(o).is_some_and(|rest| {
            // A tag ends its name (`<a ` or `<a>`, not `<abc`); a comment
            // needs nothing after it.
            *o == "<!--"
                || rest.is_empty()
                || rest.starts_with(|c: char| c == '>' || c == '/' || c.is_whitespace())
        })
    })
}

/// An upload made safe: the bytes to keep and what they are.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub kind: FileKind,
    pub bytes: Vec<u8>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// The name it is offered under: the member's, cleaned, with the
    /// extension of what the bytes are.
    pub file_name: String,
}

/// Bytes as whole megabytes (MiB) for sentences, at least 1.
fn megabytes(bytes: i64) -> i64 {
    ((bytes + (1 << 19)) >> 20).max(1)
}

fn refused(rule: Rule, message: impl Into<String>) -> ForumError {
    ForumError::invalid("file", rule, message)
}

fn unreadable(e: impl std::fmt::Display) -> ForumError {
    refused(
        Rule::FileUnreadable,
        format!("the image could not be read: {e}"),
    )
}

/// Check `bytes` (named `name` by the member) against `config` and make
/// them safe to serve; see the module's documentation.
pub fn prepare(name: &str, bytes: &[u8], config: &UploadConfig) -> Result<Prepared> {
    if bytes.is_empty() {
        return Err(refused(Rule::Required, "the file is empty"));
    }
    if bytes.len() > config.max_bytes {
        return Err(refused(
            Rule::FileTooLarge {
                megabytes: megabytes(config.max_bytes as i64),
            },
            format!(
                "the file is larger than {} bytes, the most accepted",
                config.max_bytes
            ),
        ));
    }
    let kind = sniff(bytes).ok_or_else(|| {
        refused(
            Rule::FileType,
            "this kind of file is not accepted: attach PNG, JPEG, GIF or WebP images, PDF or plain text",
        )
    })?;
    if !kind.is_image() && !config.allow_documents {
        return Err(refused(
            Rule::FileType,
            "only images are accepted here: PNG, JPEG, GIF or WebP",
        ));
    }
    let file_name = clean_name(name, kind);
    match kind {
        FileKind::Text => {
            let text = String::from_utf8_lossy(bytes);
            if looks_like_markup(&text) {
                return Err(refused(
                    Rule::FileMarkup,
                    "HTML, SVG and XML documents are not accepted; paste the part that matters into the post as code",
                ));
            }
            Ok(Prepared {
                kind,
                bytes: bytes.to_vec(),
                width: None,
                height: None,
                file_name,
            })
        }
        FileKind::Pdf => Ok(Prepared {
            kind,
            bytes: bytes.to_vec(),
            width: None,
            height: None,
            file_name,
        }),
        _ => {
            let _permit = decode_permit()?;
            let (bytes, kind, width, height) = reencode(bytes, kind, config.max_pixels)?;
            Ok(Prepared {
                file_name: clean_name(name, kind),
                kind,
                bytes,
                width: Some(width),
                height: Some(height),
            })
        }
    }
}

/// The member's file name without directories or characters that would
/// trouble a header or a file system, at most 100 characters, with the
/// extension of `kind`.
pub fn clean_name(name: &str, kind: FileKind) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let (stem, ext) = match base.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, e.to_ascii_lowercase()),
        _ => (base, String::new()),
    };
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ') {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    let stem = stem.trim_matches(|c: char| c == '.' || c == ' ');
    let stem = if stem.is_empty() { "file" } else { stem };
    let ext = if kind == FileKind::Text && TEXT_EXTENSIONS.contains(&ext.as_str()) {
        ext.as_str()
    } else if kind == FileKind::Jpeg && ext == "jpeg" {
        "jpeg"
    } else {
        kind.extension()
    };
    format!("{stem}.{ext}")
}

/// How many images are decoded at once in this process: each may take
/// `max_pixels × 4` bytes, so a burst of uploads must not multiply that.
fn decode_permit() -> Result<impl Drop> {
    struct Gate {
        busy: Mutex<usize>,
        freed: Condvar,
    }
    struct Permit(&'static Gate);
    impl Drop for Permit {
        fn drop(&mut self) {
            let mut busy = self.0.busy.lock().unwrap_or_else(|e| e.into_inner());
            *busy -= 1;
            self.0.freed.notify_one();
        }
    }
    static GATE: OnceLock<Gate> = OnceLock::new();
    let gate = GATE.get_or_init(|| Gate {
        busy: Mutex::new(0),
        freed: Condvar::new(),
    });
    let most = std::thread::available_parallelism().map_or(2, |n| n.get());
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut busy = gate.busy.lock().unwrap_or_else(|e| e.into_inner());
    while *busy >= most {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ForumError::Busy);
        }
        busy = gate
            .freed
            .wait_timeout(busy, left)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
    *busy += 1;
    Ok(Permit(gate))
}

fn too_many_pixels(width: u32, height: u32, frames: u64, max: u64) -> Option<ForumError> {
    let pixels = u64::from(width) * u64::from(height) * frames.max(1);
    (pixels > max).then(|| {
        refused(
            Rule::ImageTooLarge {
                megapixels: (max as i64 / 1_000_000).max(1),
            },
            format!("the image has {pixels} pixels; at most {max} are accepted"),
        )
    })
}

fn limits(max_pixels: u64) -> image::Limits {
    let mut l = image::Limits::default();
    // The pixel check runs first; these bound what a decoder may allocate
    // however a format lies about itself.
    l.max_alloc = Some(max_pixels.saturating_mul(4).saturating_add(64 << 20));
    l.max_image_width = Some(65_535);
    l.max_image_height = Some(65_535);
    l
}

/// Decode and write again: (bytes, kind, width, height). JPEG stays JPEG,
/// GIF stays GIF (every frame), PNG and WebP become PNG (lossless).
fn reencode(
    bytes: &[u8],
    kind: FileKind,
    max_pixels: u64,
) -> Result<(Vec<u8>, FileKind, u32, u32)> {
    if kind == FileKind::Gif {
        return reencode_gif(bytes, max_pixels);
    }
    let format = match kind {
        FileKind::Png => ImageFormat::Png,
        FileKind::Jpeg => ImageFormat::Jpeg,
        _ => ImageFormat::WebP,
    };
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits(max_pixels));
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let (w, h) = decoder.dimensions();
    if let Some(e) = too_many_pixels(w, h, 1, max_pixels) {
        return Err(e);
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    img.apply_orientation(orientation);
    let (w, h) = (img.width(), img.height());
    let mut out = Vec::new();
    let kind = if kind == FileKind::Jpeg {
        let rgb = img.to_rgb8();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 88)
            .encode_image(&rgb)
            .map_err(unreadable)?;
        FileKind::Jpeg
    } else {
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .map_err(unreadable)?;
        FileKind::Png
    };
    Ok((out, kind, w, h))
}

/// The most frames an animation may have.
const MAX_FRAMES: u64 = 500;

fn reencode_gif(bytes: &[u8], max_pixels: u64) -> Result<(Vec<u8>, FileKind, u32, u32)> {
    let mut decoder =
        image::codecs::gif::GifDecoder::new(Cursor::new(bytes)).map_err(unreadable)?;
    decoder.set_limits(limits(max_pixels)).map_err(unreadable)?;
    let (w, h) = decoder.dimensions();
    if let Some(e) = too_many_pixels(w, h, 1, max_pixels) {
        return Err(e);
    }
    let mut frames = Vec::new();
    for frame in decoder.into_frames() {
        let frame = frame.map_err(unreadable)?;
        frames.push(frame);
        let n = frames.len() as u64;
        if n > MAX_FRAMES {
            return Err(refused(
                Rule::ImageTooLarge {
                    megapixels: (max_pixels as i64 / 1_000_000).max(1),
                },
                format!("the animation has more than {MAX_FRAMES} frames"),
            ));
        }
        if let Some(e) = too_many_pixels(w, h, n, max_pixels) {
            return Err(e);
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut out);
        encoder
            .set_repeat(image::codecs::gif::Repeat::Infinite)
            .map_err(unreadable)?;
        encoder.encode_frames(frames).map_err(unreadable)?;
    }
    Ok((out, FileKind::Gif, w, h))
}

/// An avatar's side in pixels.
pub const AVATAR_SIZE: u32 = 256;

/// An avatar from an uploaded image: the centre square, `AVATAR_SIZE`
/// pixels, as PNG when it has transparency, else JPEG.
pub fn prepare_avatar(bytes: &[u8], config: &UploadConfig) -> Result<Prepared> {
    let p = prepare("avatar", bytes, config)?;
    if !p.kind.is_image() {
        return Err(refused(
            Rule::FileType,
            "an avatar must be a PNG, JPEG, GIF or WebP image",
        ));
    }
    let _permit = decode_permit()?;
    let mut reader = image::ImageReader::new(Cursor::new(&p.bytes));
    reader.limits(limits(config.max_pixels));
    let img = reader
        .with_guessed_format()
        .map_err(unreadable)?
        .decode()
        .map_err(unreadable)?;
    let side = img.width().min(img.height());
    let square = img.crop_imm(
        (img.width() - side) / 2,
        (img.height() - side) / 2,
        side,
        side,
    );
    let small = square.resize_exact(
        AVATAR_SIZE,
        AVATAR_SIZE,
        image::imageops::FilterType::Lanczos3,
    );
    let mut out = Vec::new();
    let kind = if small.color().has_alpha() {
        small
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .map_err(unreadable)?;
        FileKind::Png
    } else {
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&small.to_rgb8())
            .map_err(unreadable)?;
        FileKind::Jpeg
    };
    Ok(Prepared {
        file_name: clean_name("avatar", kind),
        kind,
        bytes: out,
        width: Some(AVATAR_SIZE),
        height: Some(AVATAR_SIZE),
    })
}

/// Why a file was uploaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Attached to a post (or a draft of one).
    Post,
    Avatar,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Post => "post",
            Purpose::Avatar => "avatar",
        }
    }
}

/// A stored upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Upload {
    /// Random and unguessable; names the file in its address.
    pub key: String,
    pub user_id: i64,
    pub file_name: String,
    #[serde(skip)]
    pub kind: FileKind,
    pub byte_size: i64,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub created_at: i64,
}

impl Serialize for FileKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Upload {
    /// Where it is served: `/uploads/<key>/<name>`.
    pub fn url(&self) -> String {
        format!(
            "/uploads/{}/{}",
            self.key,
            percent_encode_path(&self.file_name)
        )
    }

    /// What the composer inserts: an image, or a link to the file.
    pub fn markdown(&self) -> String {
        let label: String = self
            .file_name
            .chars()
            .map(|c| {
                if matches!(c, '[' | ']' | '\\') {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        if self.kind.is_image() {
            format!("![{label}]({})", self.url())
        } else {
            format!("[{label}]({})", self.url())
        }
    }
}

/// Percent-encode everything but unreserved characters (RFC 3986).
fn percent_encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A stored upload's row, as storage writes it.
pub(crate) struct NewUpload<'a> {
    pub key: &'a str,
    pub user_id: i64,
    pub purpose: &'a str,
    pub file_name: &'a str,
    pub kind: &'a str,
    pub byte_size: i64,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub sha256: &'a str,
    pub created_at: i64,
}

const DAY_MS: i64 = 24 * 3600 * 1000;

impl Forum {
    /// The upload rules and store in force.
    pub fn upload_config(&self) -> &UploadConfig {
        &self.uploads.config
    }

    /// Keep a file `actor` attaches to a post; see the module's
    /// documentation for what is accepted and how it is made safe. The
    /// same bytes uploaded again by the same member give the same upload.
    pub fn store_upload(&self, actor: Actor, name: &str, bytes: &[u8]) -> Result<Upload> {
        self.check_may_upload(actor, bytes.len())?;
        let prepared = prepare(name, bytes, self.upload_config())?;
        self.keep(actor, Purpose::Post, prepared)
    }

    /// Make an uploaded image `actor`'s avatar (cropped to a square).
    pub fn set_avatar(&self, actor: Actor, bytes: &[u8]) -> Result<Upload> {
        self.check_may_upload(actor, bytes.len())?;
        let prepared = prepare_avatar(bytes, self.upload_config())?;
        let upload = self.keep(actor, Purpose::Avatar, prepared)?;
        dispatch!(
            &self.db,
            upload_store::set_avatar(self.now(), actor.user_id, Some(&upload.key))
        )?;
        tracing::info!(user_id = actor.user_id, key = %upload.key, "avatar uploaded");
        Ok(upload)
    }

    /// Go back to the drawn initials.
    pub fn remove_avatar(&self, actor: Actor) -> Result<()> {
        dispatch!(
            &self.db,
            upload_store::set_avatar(self.now(), actor.user_id, None)
        )
    }

    /// An upload's record, by its key.
    pub fn upload(&self, key: &str) -> Result<Upload> {
        if key.len() != 32 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ForumError::NotFound("file"));
        }
        dispatch!(&self.db, upload_store::by_key(key))?.ok_or(ForumError::NotFound("file"))
    }

    /// An upload's bytes.
    pub fn upload_bytes(&self, upload: &Upload) -> Result<Vec<u8>> {
        self.uploads
            .store
            .get(&upload.key)?
            .ok_or(ForumError::NotFound("file"))
    }

    /// Remove stored bytes (their row is gone).
    pub(crate) fn delete_upload_bytes(&self, key: &str) -> Result<()> {
        self.uploads.store.delete(key)
    }

    /// A member's uploaded avatar, if they have one (its bytes:
    /// `upload_bytes`).
    pub fn avatar(&self, user_id: i64) -> Result<Option<Upload>> {
        match dispatch!(&self.db, upload_store::avatar_key(user_id))? {
            Some(key) => self.upload(&key).map(Some),
            None => Ok(None),
        }
    }

    fn check_may_upload(&self, actor: Actor, size: usize) -> Result<()> {
        let config = self.upload_config();
        if !config.enabled {
            return Err(ForumError::Forbidden("uploads are turned off on this site"));
        }
        self.ensure_may_post(actor)?;
        let since = self.now() - DAY_MS;
        let (files, bytes) = dispatch!(&self.db, upload_store::since(actor.user_id, since))?;
        if files >= config.max_files_per_day || bytes + size as i64 > config.max_bytes_per_day {
            return Err(refused(
                Rule::UploadQuota {
                    files: config.max_files_per_day,
                    megabytes: megabytes(config.max_bytes_per_day),
                },
                format!(
                    "you can upload {} files or {} bytes in 24 hours; try again later",
                    config.max_files_per_day, config.max_bytes_per_day
                ),
            ));
        }
        Ok(())
    }

    /// Store the bytes, then the row. A crash between the two leaves a
    /// file no row names (harmless; never a row without its file).
    fn keep(&self, actor: Actor, purpose: Purpose, p: Prepared) -> Result<Upload> {
        let sha = hex::encode(Sha256::digest(&p.bytes));
        if let Some(existing) = dispatch!(
            &self.db,
            upload_store::same_bytes(actor.user_id, purpose.as_str(), &sha)
        )? {
            return Ok(existing);
        }
        let key = {
            let mut raw = [0u8; 16];
            rand::Rng::fill(&mut rand::thread_rng(), &mut raw);
            hex::encode(raw)
        };
        self.uploads
            .store
            .put(&key, &p.bytes, p.kind.content_type())?;
        let now = self.now();
        let row = NewUpload {
            key: &key,
            user_id: actor.user_id,
            purpose: purpose.as_str(),
            file_name: &p.file_name,
            kind: p.kind.as_str(),
            byte_size: p.bytes.len() as i64,
            width: p.width.map(|w| w as i32),
            height: p.height.map(|h| h as i32),
            sha256: &sha,
            created_at: now,
        };
        dispatch!(&self.db, upload_store::insert(&row))?;
        tracing::info!(
            user_id = actor.user_id,
            key = %key,
            kind = p.kind.as_str(),
            bytes = p.bytes.len(),
            "file uploaded"
        );
        Ok(Upload {
            key,
            user_id: actor.user_id,
            file_name: p.file_name,
            kind: p.kind,
            byte_size: p.bytes.len() as i64,
            width: p.width.map(|w| w as i32),
            height: p.height.map(|h| h as i32),
            created_at: now,
        })
    }
}

/// The upload rules and the store, shared by every clone of a `Forum`.
#[derive(Clone)]
pub(crate) struct Uploads {
    pub config: std::sync::Arc<UploadConfig>,
    pub store: std::sync::Arc<dyn blobs::BlobStore>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_pixel(w, h, image::Rgba([200, 40, 40, 255]));
        let mut out = Vec::new();
        DynamicImage::ImageRgba8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    fn jpeg_with_exif(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([10, 120, 200]));
        let mut plain = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut plain)
            .encode_image(&img)
            .unwrap();
        // An APP1 Exif segment right after SOI, with a GPS-like marker.
        let payload = b"Exif\0\0MM\0*\0\0\0\x08\0\0GPS 50.4501N 30.5234E secret-camera-serial";
        let mut out = plain[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(payload);
        out.extend_from_slice(&plain[2..]);
        out
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn kinds_come_from_the_bytes() {
        assert_eq!(sniff(&png(2, 2)), Some(FileKind::Png));
        assert_eq!(sniff(&jpeg_with_exif(2, 2)), Some(FileKind::Jpeg));
        assert_eq!(sniff(b"GIF89a...."), Some(FileKind::Gif));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(FileKind::Webp));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(FileKind::Pdf));
        assert_eq!(
            sniff("журнал: ошибка 42\n".as_bytes()),
            Some(FileKind::Text)
        );
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0"), None, "a Windows program");
        assert_eq!(sniff(b"PK\x03\x04"), None, "a zip");
        assert_eq!(sniff(b"text\0with NUL"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn markup_documents_are_refused_as_text() {
        let c = UploadConfig::default();
        for doc in [
            "<!DOCTYPE html><script>alert(1)</script>",
            "  <html><body onload=alert(1)>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
            "\u{FEFF}<?xml version=\"1.0\"?><x/>",
            "<a href=javascript:alert(1)>x</a>",
            "<SCRIPT>alert(1)</SCRIPT>",
        ] {
            let e = prepare("notes.txt", doc.as_bytes(), &c).unwrap_err();
            assert!(
                matches!(
                    e,
                    ForumError::Validation {
                        rule: Rule::FileMarkup,
                        ..
                    }
                ),
                "{doc}: {e:?}"
            );
        }
        // A log that mentions tags later is text.
        let log = "2026-11-30 error: unexpected <div> in template\n";
        let p = prepare("app.log", log.as_bytes(), &c).unwrap();
        assert_eq!((p.kind, p.file_name.as_str()), (FileKind::Text, "app.log"));
        let p = prepare("abc.txt", b"<abc is not a tag", &c).unwrap();
        assert_eq!(p.kind, FileKind::Text);
    }

    #[test]
    fn names_take_the_extension_of_the_bytes() {
        assert_eq!(clean_name("photo.png", FileKind::Jpeg), "photo.jpg");
        assert_eq!(clean_name("../../etc/passwd", FileKind::Text), "passwd.txt");
        assert_eq!(
            clean_name("C:\\x\\shell.php.png", FileKind::Png),
            "shell.php.png"
        );
        assert_eq!(clean_name("report.html", FileKind::Text), "report.txt");
        assert_eq!(clean_name("\"a\";b\r\n.pdf", FileKind::Pdf), "_a__b__.pdf");
        assert_eq!(clean_name(".png", FileKind::Png), "png.png");
        assert_eq!(clean_name("...", FileKind::Png), "file.png");
        assert_eq!(
            clean_name("скриншот ошибки.JPEG", FileKind::Jpeg),
            "скриншот ошибки.jpeg"
        );
        assert_eq!(clean_name("data.csv", FileKind::Text), "data.csv");
    }

    #[test]
    fn images_are_written_again_without_metadata() {
        let c = UploadConfig::default();
        let jpeg = jpeg_with_exif(40, 30);
        assert!(contains(&jpeg, b"secret-camera-serial"));
        let p = prepare("IMG_0001.JPG", &jpeg, &c).unwrap();
        assert_eq!(p.kind, FileKind::Jpeg);
        assert_eq!((p.width, p.height), (Some(40), Some(30)));
        assert!(!contains(&p.bytes, b"Exif"), "EXIF stripped");
        assert!(!contains(&p.bytes, b"secret-camera-serial"));
        assert_eq!(p.file_name, "IMG_0001.jpg");
    }

    #[test]
    fn polyglots_lose_what_was_smuggled() {
        let c = UploadConfig::default();
        // A PNG with an HTML page after IEND and a zip at the end.
        let mut poly = png(8, 8);
        poly.extend_from_slice(b"<html><script>alert(document.cookie)</script></html>PK\x03\x04");
        let p = prepare("cat.png", &poly, &c).unwrap();
        assert_eq!(p.kind, FileKind::Png);
        assert!(!contains(&p.bytes, b"<script"));
        assert!(!contains(&p.bytes, b"PK\x03\x04"));
        // A text chunk inside the PNG is gone too.
        let mut with_text = png(4, 4);
        let chunk = b"tEXtComment\0<script>alert(1)</script>";
        let at = with_text.len() - 12; // before IEND
        let mut c_bytes = ((chunk.len() - 4) as u32).to_be_bytes().to_vec();
        c_bytes.extend_from_slice(chunk);
        c_bytes.extend_from_slice(&crc32(chunk).to_be_bytes());
        with_text.splice(at..at, c_bytes);
        let p = prepare("x.png", &with_text, &c).unwrap();
        assert!(!contains(&p.bytes, b"<script"));
    }

    fn adler32(data: &[u8]) -> u32 {
        let (mut a, mut b) = (1u32, 0u32);
        for &x in data {
            a = (a + u32::from(x)) % 65_521;
            b = (b + a) % 65_521;
        }
        (b << 16) | a
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn decompression_bombs_are_refused_before_decoding() {
        // A valid PNG header claiming 60,000 × 60,000 pixels (3.6 gigapixels),
        // followed by a tiny stream: refused from the header alone.
        let mut bomb = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend_from_slice(&60_000u32.to_be_bytes());
        ihdr.extend_from_slice(&60_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
        bomb.extend_from_slice(&13u32.to_be_bytes());
        bomb.extend_from_slice(&ihdr);
        bomb.extend_from_slice(&crc32(&ihdr).to_be_bytes());
        // One IDAT: a zlib stream holding a few zero bytes, stored.
        let zeros = [0u8; 16];
        let mut zlib = vec![0x78, 0x01, 0x01, 16, 0, !16, 0xFF];
        zlib.extend_from_slice(&zeros);
        zlib.extend_from_slice(&adler32(&zeros).to_be_bytes());
        let mut idat = b"IDAT".to_vec();
        idat.extend_from_slice(&zlib);
        bomb.extend_from_slice(&(zlib.len() as u32).to_be_bytes());
        bomb.extend_from_slice(&idat);
        bomb.extend_from_slice(&crc32(&idat).to_be_bytes());
        bomb.extend_from_slice(&[0, 0, 0, 0]);
        bomb.extend_from_slice(b"IEND");
        bomb.extend_from_slice(&crc32(b"IEND").to_be_bytes());
        assert!(bomb.len() < 120);
        let started = Instant::now();
        let e = prepare("bomb.png", &bomb, &UploadConfig::default()).unwrap_err();
        assert!(
            matches!(
                e,
                ForumError::Validation {
                    rule: Rule::ImageTooLarge { .. },
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(1));
        // And a real image over a lowered limit.
        let c = UploadConfig {
            max_pixels: 100,
            ..Default::default()
        };
        assert!(prepare("big.png", &png(20, 20), &c).is_err());
    }

    #[test]
    fn size_type_and_emptiness() {
        let c = UploadConfig {
            max_bytes: 100,
            ..Default::default()
        };
        let e = prepare("a.txt", &[b'a'; 101], &c).unwrap_err();
        assert!(matches!(
            e,
            ForumError::Validation {
                rule: Rule::FileTooLarge { megabytes: 1 },
                ..
            }
        ));
        assert!(prepare("a.txt", b"", &c).is_err());
        let images_only = UploadConfig {
            allow_documents: false,
            ..Default::default()
        };
        assert!(prepare("a.pdf", b"%PDF-1.4\n", &images_only).is_err());
        assert!(prepare("a.png", &png(2, 2), &images_only).is_ok());
        // A truncated image is refused, not stored.
        let mut cut = png(30, 30);
        cut.truncate(40);
        assert!(prepare("cut.png", &cut, &UploadConfig::default()).is_err());
    }

    #[test]
    fn animations_keep_their_frames() {
        let mut out = Vec::new();
        {
            let mut enc = image::codecs::gif::GifEncoder::new(&mut out);
            let frames = (0..3).map(|i| {
                image::Frame::new(image::RgbaImage::from_pixel(
                    6,
                    6,
                    image::Rgba([i * 80, 0, 0, 255]),
                ))
            });
            enc.encode_frames(frames).unwrap();
        }
        let p = prepare("spin.gif", &out, &UploadConfig::default()).unwrap();
        assert_eq!(p.kind, FileKind::Gif);
        let back = image::codecs::gif::GifDecoder::new(Cursor::new(&p.bytes))
            .unwrap()
            .into_frames()
            .collect_frames()
            .unwrap();
        assert_eq!(back.len(), 3);
        let c = UploadConfig {
            max_pixels: 6 * 6 * 2,
            ..Default::default()
        };
        assert!(
            prepare("spin.gif", &out, &c).is_err(),
            "frames count toward the pixels"
        );
    }

    #[test]
    fn avatars_are_square() {
        let p = prepare_avatar(&png(300, 120), &UploadConfig::default()).unwrap();
        assert_eq!((p.width, p.height), (Some(AVATAR_SIZE), Some(AVATAR_SIZE)));
        let img = image::load_from_memory(&p.bytes).unwrap();
        assert_eq!((img.width(), img.height()), (AVATAR_SIZE, AVATAR_SIZE));
        assert!(prepare_avatar(b"%PDF-1.4\n", &UploadConfig::default()).is_err());
    }

    #[test]
    fn markdown_links_the_file() {
        let u = Upload {
            key: "0123456789abcdef0123456789abcdef".into(),
            user_id: 1,
            file_name: "my [shot].png".into(),
            kind: FileKind::Png,
            byte_size: 10,
            width: Some(1),
            height: Some(1),
            created_at: 0,
        };
        assert_eq!(
            u.markdown(),
            "![my _shot_.png](/uploads/0123456789abcdef0123456789abcdef/my%20%5Bshot%5D.png)"
        );
    }
}
