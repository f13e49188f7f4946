//! Where uploaded bytes live: a directory (the data directory by default)
//! or an S3-compatible bucket (AWS S3, MinIO, Garage, Ceph…), behind one
//! trait. Keys are the uploads' random hex names, so nothing a member
//! types reaches a path or an object name.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::secret::Secret;
use crate::ForumError;

/// Bytes by key.
pub trait BlobStore: Send + Sync {
    fn put(&self, key: &str, bytes: &[u8], content_type: &str) -> Result<(), ForumError>;
    /// `None` when nothing is stored under `key`.
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, ForumError>;
    fn delete(&self, key: &str) -> Result<(), ForumError>;
    /// Where the bytes go, for logs (no credentials).
    fn describe(&self) -> String;
}

/// No store configured (a `Forum` built without `with_uploads`): every
/// upload is refused as unavailable.
pub struct NoStore;

impl BlobStore for NoStore {
    fn put(&self, _: &str, _: &[u8], _: &str) -> Result<(), ForumError> {
        Err(unavailable("no file store is configured"))
    }
    fn get(&self, _: &str) -> Result<Option<Vec<u8>>, ForumError> {
        Ok(None)
    }
    fn delete(&self, _: &str) -> Result<(), ForumError> {
        Ok(())
    }
    fn describe(&self) -> String {
        "nowhere (no file store configured)".into()
    }
}

/// `[uploads.store]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoreConfig {
    /// `dir` (the default) or `s3`.
    pub kind: String,
    /// For `dir`: the directory; empty means `DATA_DIR/uploads`.
    pub dir: String,
    /// For `s3`: the bucket.
    pub s3: S3Config,
}

/// An S3-compatible bucket.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct S3Config {
    /// The service's address, e.g. `https://s3.eu-central-1.amazonaws.com`
    /// or `http://127.0.0.1:9000` for MinIO.
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    pub access_key: String,
    pub secret_key: Secret,
    /// Put keys under this prefix (e.g. `hearth/uploads/`).
    pub prefix: String,
    /// Address the bucket in the path (`endpoint/bucket/key`), as MinIO
    /// and most self-hosted servers want; off: `bucket.endpoint/key`.
    pub path_style: bool,
    pub timeout_ms: u64,
}

impl Default for S3Config {
    fn default() -> Self {
        S3Config {
            endpoint: String::new(),
            bucket: String::new(),
            region: "us-east-1".into(),
            access_key: String::new(),
            secret_key: Secret::default(),
            prefix: String::new(),
            path_style: true,
            timeout_ms: 10_000,
        }
    }
}

impl StoreConfig {
    /// The store this configuration names; `data_dir` is where `dir`
    /// stores live unless a directory is given.
    pub fn open(&self, data_dir: &std::path::Path) -> Result<Box<dyn BlobStore>, ForumError> {
        match self.kind.as_str() {
            "" | "dir" => {
                let dir = if self.dir.is_empty() {
                    data_dir.join("uploads")
                } else {
                    PathBuf::from(&self.dir)
                };
                Ok(Box::new(DirStore::new(dir)?))
            }
            "s3" => Ok(Box::new(S3Store::new(&self.s3)?)),
            other => Err(ForumError::Internal(format!(
                "[uploads.store] kind {other:?} is unknown: use \"dir\" or \"s3\""
            ))),
        }
    }
}

fn unavailable(what: impl std::fmt::Display) -> ForumError {
    ForumError::Unavailable(format!("the file store failed: {what}"))
}

/// Files in a directory, two levels of fan-out (`ab/cd/abcd…`), each
/// written to a temporary file and renamed into place, so a reader never
/// sees half a file.
pub struct DirStore {
    root: PathBuf,
}

impl DirStore {
    pub fn new(root: PathBuf) -> Result<DirStore, ForumError> {
        std::fs::create_dir_all(&root).map_err(|e| {
            ForumError::Internal(format!(
                "the upload directory {} could not be created: {e}",
                root.display()
            ))
        })?;
        Ok(DirStore { root })
    }

    fn path(&self, key: &str) -> Result<PathBuf, ForumError> {
        if key.len() < 4 || !key.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(ForumError::Internal(format!("bad upload key {key:?}")));
        }
        Ok(self.root.join(&key[..2]).join(&key[2..4]).join(key))
    }
}

impl BlobStore for DirStore {
    fn put(&self, key: &str, bytes: &[u8], _content_type: &str) -> Result<(), ForumError> {
        let path = self.path(key)?;
        let dir = path
            .parent()
            .ok_or_else(|| ForumError::Internal("upload path has no directory".into()))?;
        std::fs::create_dir_all(dir).map_err(unavailable)?;
        let mut tmp = tempfile_in(dir)?;
        tmp.1.write_all(bytes).map_err(unavailable)?;
        tmp.1.sync_all().map_err(unavailable)?;
        std::fs::rename(&tmp.0, &path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp.0);
            unavailable(e)
        })
    }

    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, ForumError> {
        match std::fs::File::open(self.path(key)?) {
            Ok(mut f) => {
                let mut out = Vec::new();
                f.read_to_end(&mut out).map_err(unavailable)?;
                Ok(Some(out))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn delete(&self, key: &str) -> Result<(), ForumError> {
        match std::fs::remove_file(self.path(key)?) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn describe(&self) -> String {
        format!("directory {}", self.root.display())
    }
}

/// A new file beside where it will be renamed to (same file system).
fn tempfile_in(dir: &std::path::Path) -> Result<(PathBuf, std::fs::File), ForumError> {
    for _ in 0..8 {
        let name = format!(".part-{:016x}", rand::random::<u64>());
        let path = dir.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => return Ok((path, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(unavailable(e)),
        }
    }
    Err(unavailable("no temporary file name was free"))
}

/// An S3-compatible bucket, spoken to with presigned requests (AWS
/// Signature Version 4).
pub struct S3Store {
    bucket: rusty_s3::Bucket,
    credentials: rusty_s3::Credentials,
    prefix: String,
    agent: ureq::Agent,
}

/// How long a signed request stays valid; it is sent at once.
const SIGNED_FOR: Duration = Duration::from_secs(300);

impl S3Store {
    pub fn new(c: &S3Config) -> Result<S3Store, ForumError> {
        let bad = |what: String| ForumError::Internal(format!("[uploads.store.s3] {what}"));
        let endpoint = url::Url::parse(&c.endpoint)
            .map_err(|e| bad(format!("endpoint {:?} is not an address: {e}", c.endpoint)))?;
        let style = if c.path_style {
            rusty_s3::UrlStyle::Path
        } else {
            rusty_s3::UrlStyle::VirtualHost
        };
        let bucket = rusty_s3::Bucket::new(endpoint, style, c.bucket.clone(), c.region.clone())
            .map_err(|e| bad(format!("bucket {:?}: {e}", c.bucket)))?;
        if c.access_key.is_empty() || c.secret_key.is_empty() {
            return Err(bad("access_key and secret_key are required".into()));
        }
        Ok(S3Store {
            bucket,
            credentials: rusty_s3::Credentials::new(
                c.access_key.clone(),
                c.secret_key.expose().to_string(),
            ),
            prefix: c.prefix.clone(),
            agent: ureq::AgentBuilder::new()
                .timeout(Duration::from_millis(c.timeout_ms.max(1)))
                .build(),
        })
    }

    fn object(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// Whether the bucket answers with these credentials (for start-up).
    pub fn check(&self) -> Result<(), ForumError> {
        use rusty_s3::S3Action;
        let url = self
            .bucket
            .head_bucket(Some(&self.credentials))
            .sign(SIGNED_FOR);
        self.agent
            .head(url.as_str())
            .call()
            .map(|_| ())
            .map_err(|e| unavailable(describe(e)))
    }
}

/// A failed call, without the signed address (it carries a signature).
fn describe(e: ureq::Error) -> String {
    match e {
        ureq::Error::Status(code, r) => {
            let mut body = String::new();
            let _ = r.into_reader().take(512).read_to_string(&mut body);
            format!("status {code}: {}", body.trim())
        }
        ureq::Error::Transport(t) => format!("{}", t.kind()),
    }
}

impl BlobStore for S3Store {
    fn put(&self, key: &str, bytes: &[u8], content_type: &str) -> Result<(), ForumError> {
        use rusty_s3::S3Action;
        let url = self
            .bucket
            .put_object(Some(&self.credentials), &self.object(key))
            .sign(SIGNED_FOR);
        self.agent
            .put(url.as_str())
            .set("Content-Type", content_type)
            .send_bytes(bytes)
            .map(|_| ())
            .map_err(|e| unavailable(describe(e)))
    }

    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, ForumError> {
        use rusty_s3::S3Action;
        let url = self
            .bucket
            .get_object(Some(&self.credentials), &self.object(key))
            .sign(SIGNED_FOR);
        match self.agent.get(url.as_str()).call() {
            Ok(r) => {
                let mut out = Vec::new();
                r.into_reader().read_to_end(&mut out).map_err(unavailable)?;
                Ok(Some(out))
            }
            Err(ureq::Error::Status(404, _)) => Ok(None),
            Err(e) => Err(unavailable(describe(e))),
        }
    }

    fn delete(&self, key: &str) -> Result<(), ForumError> {
        use rusty_s3::S3Action;
        let url = self
            .bucket
            .delete_object(Some(&self.credentials), &self.object(key))
            .sign(SIGNED_FOR);
        match self.agent.delete(url.as_str()).call() {
            Ok(_) | Err(ureq::Error::Status(404, _)) => Ok(()),
            Err(e) => Err(unavailable(describe(e))),
        }
    }

    fn describe(&self) -> String {
        format!(
            "S3 bucket {} at {}",
            self.bucket.name(),
            self.bucket.base_url()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_keeps_bytes_by_key() {
        let dir = tempfile::tempdir().unwrap();
        let store = DirStore::new(dir.path().join("uploads")).unwrap();
        let key = "0123456789abcdef0123456789abcdef";
        assert_eq!(store.get(key).unwrap(), None);
        store.put(key, b"hello", "text/plain").unwrap();
        assert_eq!(store.get(key).unwrap().as_deref(), Some(&b"hello"[..]));
        assert!(dir.path().join("uploads/01/23").join(key).exists());
        store.put(key, b"again", "text/plain").unwrap();
        assert_eq!(store.get(key).unwrap().as_deref(), Some(&b"again"[..]));
        store.delete(key).unwrap();
        store.delete(key).unwrap();
        assert_eq!(store.get(key).unwrap(), None);
        // No temporary files are left behind.
        let left: Vec<_> = std::fs::read_dir(dir.path().join("uploads/01/23"))
            .unwrap()
            .collect();
        assert!(left.is_empty(), "{left:?}");
        for bad in ["../../etc/passwd", "ab", "ab/cd/ef", ""] {
            assert!(store.put(bad, b"x", "text/plain").is_err(), "{bad}");
        }
    }

    #[test]
    fn s3_settings_are_checked_and_secrets_stay_hidden() {
        let c = S3Config {
            endpoint: "http://127.0.0.1:9".into(),
            bucket: "hearth".into(),
            access_key: "AKIA".into(),
            secret_key: Secret::new("very-secret"),
            ..Default::default()
        };
        let store = S3Store::new(&c).unwrap();
        assert!(!format!("{c:?}").contains("very-secret"));
        assert!(!store.describe().contains("very-secret"));
        // Nothing listens on port 9: a clear error, no signature in it.
        let e = store
            .put("0123", b"x", "text/plain")
            .unwrap_err()
            .to_string();
        assert!(e.contains("file store"), "{e}");
        assert!(!e.contains("X-Amz-Signature"), "{e}");
        assert!(S3Store::new(&S3Config {
            endpoint: "not a url".into(),
            ..c.clone()
        })
        .is_err());
        assert!(S3Store::new(&S3Config {
            secret_key: Secret::default(),
            ..c
        })
        .is_err());
    }
}
