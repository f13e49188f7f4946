//! Uploads on SQLite and PostgreSQL, with the bytes in a directory and in
//! a real S3-compatible server (s3s-fs): what is kept, who may upload,
//! daily limits, the same bytes twice, avatars, and erasure.

// A test stops at the first surprise: unwrapping is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Cursor;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use forum::members::StandingChange;
use forum::testkit::{S3Server, TestDb};
use forum::uploads::blobs::{BlobStore, DirStore, S3Store, StoreConfig};
use forum::uploads::{FileKind, UploadConfig};
use forum::*;

forum::both_backends!(
    files_are_kept_and_read_back,
    the_same_bytes_are_kept_once,
    daily_limits_count_files_and_bytes,
    only_members_in_good_standing_upload,
    avatars_replace_and_go_back_to_initials,
    erasure_removes_avatars_and_their_files,
    an_s3_bucket_keeps_the_bytes,
);

const T0: i64 = 1_800_000_000_000;
const HOUR: i64 = 3_600_000;

struct Setup {
    forum: Forum,
    clock: Arc<AtomicI64>,
    dir: tempfile::TempDir,
}

fn with_store(db: &TestDb, config: UploadConfig, store: Box<dyn BlobStore>) -> Setup {
    let clock = Arc::new(AtomicI64::new(T0));
    let c = clock.clone();
    let forum = Forum::with_clock(
        db.forum.db().clone(),
        Arc::new(move || c.load(Ordering::SeqCst)),
    )
    .with_uploads(config, store);
    Setup {
        forum,
        clock,
        dir: tempfile::tempdir().unwrap(),
    }
}

fn setup(db: &TestDb, config: UploadConfig) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let store = DirStore::new(dir.path().join("uploads")).unwrap();
    let mut s = with_store(db, config, Box::new(store));
    s.dir = dir;
    s
}

fn member(f: &Forum, name: &str, role: Role) -> Actor {
    forum::testkit::register(f, name, role).actor()
}

fn png(w: u32, h: u32, shade: u8) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([shade, 90, 30]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn files_in(dir: &std::path::Path) -> usize {
    walk(dir).len()
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn files_are_kept_and_read_back(db: &TestDb) {
    let s = setup(db, UploadConfig::default());
    let ann = member(&s.forum, "ann", Role::Customer);
    let shot = s
        .forum
        .store_upload(ann, "screen shot.png", &png(64, 48, 10))
        .unwrap();
    assert_eq!(shot.kind, FileKind::Png);
    assert_eq!((shot.width, shot.height), (Some(64), Some(48)));
    assert_eq!(shot.file_name, "screen shot.png");
    assert_eq!(shot.key.len(), 32);
    assert_eq!(
        shot.url(),
        format!("/uploads/{}/screen%20shot.png", shot.key)
    );
    let back = s.forum.upload(&shot.key).unwrap();
    assert_eq!(back, shot);
    let bytes = s.forum.upload_bytes(&back).unwrap();
    assert_eq!(bytes.len() as i64, shot.byte_size);
    assert!(image::load_from_memory(&bytes).is_ok());
    let log = s
        .forum
        .store_upload(ann, "server.log", "2026-11-30 ERROR disk full\n".as_bytes())
        .unwrap();
    assert_eq!(log.kind, FileKind::Text);
    assert_eq!(
        s.forum.upload_bytes(&log).unwrap(),
        b"2026-11-30 ERROR disk full\n"
    );
    assert_eq!(files_in(s.dir.path()), 2);
    // Refused files leave nothing behind.
    let e = s
        .forum
        .store_upload(ann, "x.html", b"<html><script>alert(1)</script>")
        .unwrap_err();
    assert!(
        matches!(
            e,
            ForumError::Validation {
                rule: Rule::FileMarkup,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(files_in(s.dir.path()), 2);
    // Unknown and malformed keys are simply not found.
    for key in ["0123456789abcdef0123456789abcdef", "../../etc/passwd", ""] {
        assert!(
            matches!(s.forum.upload(key), Err(ForumError::NotFound(_))),
            "{key}"
        );
    }
}

fn the_same_bytes_are_kept_once(db: &TestDb) {
    let s = setup(db, UploadConfig::default());
    let ann = member(&s.forum, "ann", Role::Customer);
    let bob = member(&s.forum, "bob", Role::Customer);
    let image = png(10, 10, 200);
    let first = s.forum.store_upload(ann, "a.png", &image).unwrap();
    let again = s.forum.store_upload(ann, "b.png", &image).unwrap();
    assert_eq!(first, again, "pasting the same screenshot twice keeps one");
    let bobs = s.forum.store_upload(bob, "a.png", &image).unwrap();
    assert_ne!(bobs.key, first.key, "another member's upload is their own");
    assert_eq!(files_in(s.dir.path()), 2);
}

fn daily_limits_count_files_and_bytes(db: &TestDb) {
    let s = setup(
        db,
        UploadConfig {
            max_files_per_day: 3,
            max_bytes_per_day: 1_000_000,
            ..Default::default()
        },
    );
    let ann = member(&s.forum, "ann", Role::Customer);
    for i in 0..3 {
        s.forum
            .store_upload(ann, "n.txt", format!("note {i}\n").as_bytes())
            .unwrap();
    }
    let e = s.forum.store_upload(ann, "n.txt", b"note 4\n").unwrap_err();
    assert!(
        matches!(
            e,
            ForumError::Validation {
                rule: Rule::UploadQuota {
                    files: 3,
                    megabytes: 1
                },
                ..
            }
        ),
        "{e:?}"
    );
    // Another member is not held back by Ann's uploads.
    let bob = member(&s.forum, "bob", Role::Customer);
    s.forum.store_upload(bob, "n.txt", b"bob's note\n").unwrap();
    // A day later Ann may upload again.
    s.clock.fetch_add(24 * HOUR + 1, Ordering::SeqCst);
    s.forum.store_upload(ann, "n.txt", b"note 4\n").unwrap();
    // Bytes count too.
    let t = setup(
        db,
        UploadConfig {
            max_bytes_per_day: 20,
            ..Default::default()
        },
    );
    let cy = member(&t.forum, "cyd", Role::Customer);
    t.forum.store_upload(cy, "a.txt", &[b'a'; 15]).unwrap();
    assert!(t.forum.store_upload(cy, "b.txt", &[b'b'; 10]).is_err());
    t.forum.store_upload(cy, "c.txt", &[b'c'; 5]).unwrap();
}

fn only_members_in_good_standing_upload(db: &TestDb) {
    let s = setup(db, UploadConfig::default());
    let admin = member(&s.forum, "root", Role::Admin);
    let ann = member(&s.forum, "ann", Role::Customer);
    s.forum
        .set_standing(
            Some(admin),
            ann.user_id,
            &StandingChange {
                status: forum::members::MemberStatus::Silenced,
                for_days: Some(1),
                reason: "cooling off".into(),
            },
        )
        .unwrap();
    let e = s.forum.store_upload(ann, "a.txt", b"hello\n").unwrap_err();
    assert!(matches!(e, ForumError::Silenced { .. }), "{e:?}");
    assert!(s.forum.set_avatar(ann, &png(10, 10, 1)).is_err());
    assert_eq!(files_in(s.dir.path()), 0);
    // Turned off for the site.
    let off = setup(
        db,
        UploadConfig {
            enabled: false,
            ..Default::default()
        },
    );
    let bob = member(&off.forum, "bob", Role::Customer);
    assert!(matches!(
        off.forum.store_upload(bob, "a.txt", b"hello\n"),
        Err(ForumError::Forbidden(_))
    ));
    // A forum with no store refuses as unavailable, not as a crash.
    let bare = Forum::new(db.forum.db().clone());
    assert!(matches!(
        bare.store_upload(bob, "a.txt", b"hello\n"),
        Err(ForumError::Unavailable(_))
    ));
}

fn avatars_replace_and_go_back_to_initials(db: &TestDb) {
    let s = setup(db, UploadConfig::default());
    let ann = member(&s.forum, "ann", Role::Customer);
    assert!(s.forum.avatar(ann.user_id).unwrap().is_none());
    let first = s.forum.set_avatar(ann, &png(400, 300, 50)).unwrap();
    let upload = s.forum.avatar(ann.user_id).unwrap().unwrap();
    assert_eq!(upload.key, first.key);
    let bytes = s.forum.upload_bytes(&upload).unwrap();
    let img = image::load_from_memory(&bytes).unwrap();
    assert_eq!((img.width(), img.height()), (256, 256));
    let second = s.forum.set_avatar(ann, &png(100, 100, 180)).unwrap();
    assert_ne!(second.key, first.key);
    assert_eq!(
        s.forum.avatar(ann.user_id).unwrap().unwrap().key,
        second.key
    );
    s.forum.remove_avatar(ann).unwrap();
    assert!(s.forum.avatar(ann.user_id).unwrap().is_none());
    assert!(s.forum.set_avatar(ann, b"%PDF-1.4\n").is_err());
}

fn erasure_removes_avatars_and_their_files(db: &TestDb) {
    let s = setup(db, UploadConfig::default());
    let admin = member(&s.forum, "root", Role::Admin);
    let ann = member(&s.forum, "ann", Role::Customer);
    let old = s.forum.set_avatar(ann, &png(40, 40, 1)).unwrap();
    let current = s.forum.set_avatar(ann, &png(40, 40, 2)).unwrap();
    let attached = s.forum.store_upload(ann, "a.txt", b"in a post\n").unwrap();
    assert_eq!(files_in(s.dir.path()), 3);
    s.forum
        .erase_member(Some(admin), ann.user_id, "ann")
        .unwrap();
    assert!(s.forum.avatar(ann.user_id).unwrap().is_none());
    for key in [&old.key, &current.key] {
        assert!(matches!(s.forum.upload(key), Err(ForumError::NotFound(_))));
    }
    // What was attached to posts stays with them.
    assert!(s.forum.upload(&attached.key).is_ok());
    assert_eq!(files_in(s.dir.path()), 1);
}

fn an_s3_bucket_keeps_the_bytes(db: &TestDb) {
    let Some(server) = S3Server::start() else {
        return;
    };
    let config = UploadConfig {
        store: StoreConfig {
            kind: "s3".into(),
            s3: server.config.clone(),
            ..Default::default()
        },
        ..Default::default()
    };
    let store = config.store.open(std::path::Path::new("unused")).unwrap();
    let s = with_store(db, config, store);
    let ann = member(&s.forum, "ann", Role::Customer);
    let shot = s
        .forum
        .store_upload(ann, "shot.png", &png(30, 20, 7))
        .unwrap();
    let bytes = s
        .forum
        .upload_bytes(&s.forum.upload(&shot.key).unwrap())
        .unwrap();
    assert_eq!(bytes.len() as i64, shot.byte_size);
    // The object is really in the bucket, under the upload's key.
    let stored = walk(&server.root.path().join("hearth-uploads"));
    assert!(
        stored
            .iter()
            .any(|p| p.file_name().unwrap() == shot.key.as_str()),
        "{stored:?}"
    );
    s.forum.set_avatar(ann, &png(90, 90, 3)).unwrap();
    assert!(s.forum.avatar(ann.user_id).unwrap().is_some());
    // Wrong credentials are refused by the server, and said clearly.
    let wrong = S3Store::new(&forum::uploads::blobs::S3Config {
        secret_key: forum::secret::Secret::new("not-the-secret"),
        ..server.config.clone()
    })
    .unwrap();
    let e = wrong.put("0123456789abcdef0123456789abcdef", b"x", "text/plain");
    assert!(matches!(e, Err(ForumError::Unavailable(_))), "{e:?}");
    assert!(wrong.check().is_err());
    let right = S3Store::new(&server.config).unwrap();
    right.check().unwrap();
    assert_eq!(right.get("ffffffffffffffffffffffffffffffff").unwrap(), None);
}
