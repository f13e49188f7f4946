//! Uploads over HTTP on SQLite and PostgreSQL: the composer's endpoint,
//! what is refused and what is neutralised (markup, SVG, programs,
//! polyglots, EXIF, wrong extensions, oversize, decompression bombs), how
//! files are served (type, nosniff, sandbox, disposition), posts showing
//! them, avatars, and the S3-compatible store (a real s3s-fs server).

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Cursor;

use hearth_e2e::*;

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([30, 144, 255]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// A JPEG carrying an EXIF segment with a position and a serial number.
fn jpeg_with_exif(width: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(width, 24, image::Rgb([200, 100, 0]));
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut plain)
        .encode_image(&img)
        .unwrap();
    let payload = b"Exif\0\0MM\0*\0\0\0\x08GPS 50.4501N 30.5234E serial-XYZ-123";
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&plain[2..]);
    out
}

fn has(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// A member signed in through the forms, and their form token.
async fn member(s: &TestServer, name: &str) -> (Browser, String) {
    let b = Browser::new(&s.base);
    b.register(name).await;
    let page = b.get("/ask").await;
    let csrf = extract_csrf(&page.body).unwrap();
    (b, csrf)
}

async fn upload(b: &Browser, csrf: &str, name: &str, bytes: Vec<u8>) -> Response {
    let path = format!(
        "/uploads?name={}",
        percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC)
    );
    b.post_bytes(
        &path,
        "application/octet-stream",
        &[("X-CSRF-Token", csrf)],
        bytes,
    )
    .await
}

macro_rules! both {
    ($($name:ident),* $(,)?) => {
        mod sqlite { $( #[actix_rt::test] async fn $name() { super::$name(hearth_e2e::Backend::Sqlite).await } )* }
        mod postgres { $( #[actix_rt::test] async fn $name() { super::$name(hearth_e2e::Backend::Postgres).await } )* }
    };
}

both!(
    images_are_served_as_images_and_nothing_runs,
    dangerous_files_are_refused_with_the_reason,
    documents_download_and_never_render,
    limits_hold_before_the_body_is_read,
    avatars_upload_show_and_go,
);

async fn images_are_served_as_images_and_nothing_runs(backend: Backend) {
    let Some(s) = start(backend, 1 << 20).await else {
        return;
    };
    let (ann, csrf) = member(&s, "ann").await;
    let r = upload(&ann, &csrf, "screen shot.png", png(120, 80)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let j = r.json();
    let url = j["url"].as_str().unwrap().to_string();
    assert!(
        url.starts_with("/uploads/") && url.ends_with("/screen%20shot.png"),
        "{url}"
    );
    assert_eq!(j["markdown"], format!("![screen shot.png]({url})"));
    assert_eq!(
        (j["width"].as_i64(), j["height"].as_i64()),
        (Some(120), Some(80))
    );

    // Served as what the bytes are, with every guard.
    let visitor = Browser::new(&s.base);
    let f = visitor.get(&url).await;
    assert_eq!(f.status, 200);
    assert_eq!(f.headers["content-type"], "image/png");
    assert_eq!(f.headers["x-content-type-options"], "nosniff");
    assert!(
        f.headers["content-security-policy"].contains("sandbox"),
        "{:?}",
        f.headers
    );
    assert!(f.headers["content-security-policy"].starts_with("default-src 'none'"));
    assert!(
        f.headers["content-disposition"].starts_with("inline;"),
        "{:?}",
        f.headers
    );
    assert_eq!(
        f.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(image::load_from_memory(&f.bytes).is_ok());
    let again = visitor
        .get_with_headers(&url, &[("If-None-Match", f.headers["etag"].as_str())])
        .await;
    assert_eq!(again.status, 304);

    // EXIF is gone from photos.
    let r = upload(&ann, &csrf, "IMG_0042.JPG", jpeg_with_exif(32)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let photo = visitor.get(r.json()["url"].as_str().unwrap()).await;
    assert_eq!(photo.headers["content-type"], "image/jpeg");
    assert!(!has(&photo.bytes, b"Exif") && !has(&photo.bytes, b"serial-XYZ-123"));

    // A PNG with an HTML page and a zip appended: only the picture stays.
    let mut poly = png(16, 16);
    poly.extend_from_slice(b"<html><script>alert(document.cookie)</script>PK\x03\x04");
    let r = upload(&ann, &csrf, "cat.png", poly).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let cat = visitor.get(r.json()["url"].as_str().unwrap()).await;
    assert!(!has(&cat.bytes, b"<script") && !has(&cat.bytes, b"PK\x03\x04"));

    // A JPEG named .png is served as the JPEG it is.
    let r = upload(&ann, &csrf, "holiday.png", jpeg_with_exif(48)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["name"], "holiday.jpg");

    // In a post, the image shows.
    let t = ann
        .submit(
            "/ask",
            "/ask",
            &[
                ("category", "general"),
                ("title", "Where is this setting?"),
                (
                    "body",
                    &format!("See the screenshot:\n\n{}", j["markdown"].as_str().unwrap()),
                ),
            ],
        )
        .await;
    assert_eq!(t.status, 303, "{}", t.body);
    let page = visitor.get(t.location()).await.body;
    assert!(
        page.contains(&format!("<img src=\"{url}\" alt=\"screen shot.png\"")),
        "{page}"
    );

    for missing in [
        "/uploads/0123456789abcdef0123456789abcdef/x.png",
        "/uploads/..%2F..%2Fetc%2Fpasswd/x",
        "/uploads/zz/x.png",
    ] {
        assert_eq!(visitor.get(missing).await.status, 404, "{missing}");
    }
    s.stop().await;
}

async fn dangerous_files_are_refused_with_the_reason(backend: Backend) {
    let Some(s) = start(backend, 1 << 20).await else {
        return;
    };
    let (ann, csrf) = member(&s, "ann").await;
    let cases: [(&str, &[u8], &str); 6] = [
        ("page.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "documents are not accepted"),
        ("notes.txt", b"<html><body onload=alert(1)>", "documents are not accepted"),
        (
            "logo.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(2)</script></svg>",
            "documents are not accepted",
        ),
        ("setup.exe", b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff", "kind of file is not accepted"),
        ("archive.zip", b"PK\x03\x04\x14\0\0\0\x08\0", "kind of file is not accepted"),
        ("broken.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "could not be read"),
    ];
    for (name, bytes, reason) in cases {
        let r = upload(&ann, &csrf, name, bytes.to_vec()).await;
        assert_eq!(r.status, 422, "{name}: {}", r.body);
        assert_eq!(r.error_code(), "validation_failed", "{name}");
        assert_eq!(r.json()["error"]["field"], "file", "{name}");
        let message = r.json()["error"]["message"].as_str().unwrap().to_string();
        assert!(message.contains(reason), "{name}: {message}");
    }
    // A decompression bomb: a tiny PNG claiming 50,000 × 50,000 pixels.
    let r = upload(&ann, &csrf, "bomb.png", bomb_png(50_000, 50_000)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("pixels"),
        "{}",
        r.body
    );

    // The reason in the member's language.
    ann.choose_language("fa").await;
    let page = ann.get("/ask").await;
    let csrf_fa = extract_csrf(&page.body).unwrap();
    let r = upload(
        &ann,
        &csrf_fa,
        "page.html",
        b"<html><script>x</script>".to_vec(),
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("پذیرفته نمی‌شوند"),
        "{}",
        r.body
    );

    // Visitors and forged requests are refused; nothing is kept.
    let visitor = Browser::new(&s.base);
    let r = upload(&visitor, "", "a.png", png(4, 4)).await;
    assert_eq!(r.status, 401, "{}", r.body);
    let r = upload(&ann, "not-the-token", "a.png", png(4, 4)).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = ann
        .post_bytes(
            "/uploads?name=a.png",
            "application/octet-stream",
            &[],
            png(4, 4),
        )
        .await;
    assert_eq!(r.status, 403, "no token at all: {}", r.body);
    s.stop().await;
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

/// A PNG whose header claims `w × h` pixels, with a few bytes of data.
fn bomb_png(w: u32, h: u32) -> Vec<u8> {
    let chunk = |out: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    };
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    // zlib, one stored block of 8 zero bytes.
    let zlib = [
        0x78, 0x01, 0x01, 8, 0, !8, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0, 0x01,
    ];
    chunk(&mut out, b"IDAT", &zlib);
    chunk(&mut out, b"IEND", &[]);
    out
}

async fn documents_download_and_never_render(backend: Backend) {
    let Some(s) = start(backend, 1 << 20).await else {
        return;
    };
    let (ann, csrf) = member(&s, "ann").await;
    // A log that quotes markup later on is text: kept, but served as a
    // plain-text download under a .txt name, so nothing in it can run.
    let log =
        b"2026-11-30 12:00 request failed\nbody was: <script>alert(document.cookie)</script>\n";
    let r = upload(&ann, &csrf, "evil.html", log.to_vec()).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let j = r.json();
    assert_eq!(j["name"], "evil.txt");
    assert_eq!(
        j["markdown"],
        format!("[evil.txt]({})", j["url"].as_str().unwrap())
    );
    let f = Browser::new(&s.base).get(j["url"].as_str().unwrap()).await;
    assert_eq!(f.headers["content-type"], "text/plain; charset=utf-8");
    assert_eq!(f.headers["x-content-type-options"], "nosniff");
    assert!(f.headers["content-disposition"].starts_with("attachment;"));
    assert!(f.headers["content-disposition"].contains("filename=\"evil.txt\""));
    assert!(f.headers["content-security-policy"].contains("sandbox"));
    assert_eq!(f.bytes, log);
    // PDF likewise downloads.
    let r = upload(
        &ann,
        &csrf,
        "manual.pdf",
        b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n".to_vec(),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let f = Browser::new(&s.base)
        .get(r.json()["url"].as_str().unwrap())
        .await;
    assert_eq!(f.headers["content-type"], "application/pdf");
    assert!(f.headers["content-disposition"].starts_with("attachment;"));
    // A name in another script keeps it, encoded for the header.
    let r = upload(&ann, &csrf, "журнал ошибок.log", b"ok\n".to_vec()).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let f = Browser::new(&s.base)
        .get(r.json()["url"].as_str().unwrap())
        .await;
    assert!(
        f.headers["content-disposition"]
            .contains("filename*=UTF-8''%D0%B6%D1%83%D1%80%D0%BD%D0%B0%D0%BB"),
        "{:?}",
        f.headers
    );
    s.stop().await;
}

async fn limits_hold_before_the_body_is_read(backend: Backend) {
    let Some(s) = start_with_config(backend, 1 << 20, |c, _| {
        c.uploads.max_bytes = 64 * 1024;
        c.uploads.max_files_per_day = 3;
    })
    .await
    else {
        return;
    };
    let (ann, csrf) = member(&s, "ann").await;
    let r = upload(&ann, &csrf, "big.txt", vec![b'a'; 64 * 1024 + 1]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("larger than 65536 bytes"), "{}", r.body);
    // The composer is told the limit.
    let page = ann.get("/ask").await.body;
    assert!(page.contains("data-upload-max=\"65536\""), "{page}");
    for i in 0..3 {
        let r = upload(&ann, &csrf, "n.txt", format!("note {i}\n").into_bytes()).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let r = upload(&ann, &csrf, "n.txt", b"note 4\n".to_vec()).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("24 hours"), "{}", r.body);
    // Uploads turned off: the composer has no button, the endpoint refuses.
    let Some(off) =
        start_with_config(Backend::Sqlite, 1 << 20, |c, _| c.uploads.enabled = false).await
    else {
        return;
    };
    let (bob, csrf) = member(&off, "bob").await;
    assert!(!bob.get("/ask").await.body.contains("data-upload="));
    assert_eq!(
        upload(&bob, &csrf, "a.txt", b"x\n".to_vec()).await.status,
        403
    );
    off.stop().await;
    s.stop().await;
}

async fn avatars_upload_show_and_go(backend: Backend) {
    let Some(s) = start(backend, 1 << 20).await else {
        return;
    };
    let (ann, _) = member(&s, "ann").await;
    let settings = ann.get("/settings/profile").await.body;
    assert!(settings.contains("data-avatar-upload"), "{settings}");
    assert!(
        !settings.contains("/settings/avatar/remove"),
        "nothing to remove yet"
    );
    let csrf = extract_csrf(&settings).unwrap();
    let me = ann.get("/api/v1/me").await;
    let id = if me.status == 200 {
        me.json()["id"].as_i64().unwrap()
    } else {
        // Signed in by cookie: the profile link names the member.
        let at = settings.find("href=\"/u/").unwrap() + 9;
        settings[at..].split('"').next().unwrap().parse().unwrap()
    };
    let initials = ann.get(&format!("/u/{id}/avatar")).await;
    assert_eq!(initials.headers["content-type"], "image/svg+xml");

    let r = ann
        .post_bytes(
            "/settings/avatar",
            "application/octet-stream",
            &[("X-CSRF-Token", csrf.as_str())],
            png(300, 200),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let picture = Browser::new(&s.base).get(&format!("/u/{id}/avatar")).await;
    assert_eq!(picture.status, 200);
    assert_eq!(picture.headers["content-type"], "image/jpeg");
    assert_eq!(picture.headers["x-content-type-options"], "nosniff");
    assert_eq!(picture.headers["cache-control"], "public, max-age=300");
    let img = image::load_from_memory(&picture.bytes).unwrap();
    assert_eq!((img.width(), img.height()), (256, 256));
    // The older address shows the same picture.
    let old = Browser::new(&s.base)
        .get(&format!("/u/{id}/avatar.svg"))
        .await;
    assert_eq!(old.headers["content-type"], "image/jpeg");

    // Not an image: refused, and the picture stays.
    let r = ann
        .post_bytes(
            "/settings/avatar",
            "application/octet-stream",
            &[("X-CSRF-Token", csrf.as_str())],
            b"%PDF-1.4\n".to_vec(),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);

    let settings = ann.get("/settings/profile").await.body;
    assert!(settings.contains("/settings/avatar/remove"));
    let r = ann
        .submit("/settings/profile", "/settings/avatar/remove", &[])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let back = Browser::new(&s.base).get(&format!("/u/{id}/avatar")).await;
    assert_eq!(back.headers["content-type"], "image/svg+xml");
    s.stop().await;
}

/// Uploads in an S3-compatible bucket (a real s3s-fs server checking
/// signatures): kept there, served by Hearth with the same guards.
#[actix_rt::test]
async fn uploads_go_to_an_s3_compatible_bucket() {
    let Some(bucket) = forum::testkit::S3Server::start() else {
        return;
    };
    let s3 = bucket.config.clone();
    let s = start_with_config(Backend::Sqlite, 1 << 20, move |c, _| {
        c.uploads.store.kind = "s3".into();
        c.uploads.store.s3 = s3;
    })
    .await
    .unwrap();
    let (ann, csrf) = member(&s, "ann").await;
    let r = upload(&ann, &csrf, "shot.png", png(50, 40)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let key = r.json()["key"].as_str().unwrap().to_string();
    assert!(
        bucket
            .root
            .path()
            .join("hearth-uploads")
            .join(&key)
            .exists(),
        "the object is in the bucket"
    );
    assert!(
        !s.data_dir().join("uploads").exists()
            || std::fs::read_dir(s.data_dir().join("uploads"))
                .unwrap()
                .next()
                .is_none(),
        "nothing in the data directory"
    );
    let f = Browser::new(&s.base)
        .get(r.json()["url"].as_str().unwrap())
        .await;
    assert_eq!(f.status, 200);
    assert_eq!(f.headers["content-type"], "image/png");
    assert!(f.headers["content-security-policy"].contains("sandbox"));
    assert!(image::load_from_memory(&f.bytes).is_ok());
    // The bucket goes away: a clear 503, not a crash.
    drop(bucket);
    let r = upload(&ann, &csrf, "other.png", png(20, 20)).await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(r.error_code(), "unavailable");
    assert!(!r.body.contains("X-Amz"), "{}", r.body);
    s.stop().await;
}
