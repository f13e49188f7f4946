//! systemd's notify protocol, for `Type=notify` with `WatchdogSec=`: the
//! server says READY=1 once it listens, then WATCHDOG=1 periodically but
//! only while it is healthy (database reachable, every worker making
//! progress). When the pings stop, systemd kills and restarts the process;
//! `Restart=always` covers a process that exits. Without `NOTIFY_SOCKET`
//! (not under systemd) everything here does nothing.

use std::time::Duration;

/// Where systemd listens, if it does.
fn socket_path() -> Option<std::path::PathBuf> {
    std::env::var_os("NOTIFY_SOCKET").map(Into::into)
}

/// Send one state string (e.g. `READY=1`) to systemd. Returns whether a
/// socket was there to send to.
pub fn notify(state: &str) -> bool {
    match socket_path() {
        Some(path) => send_to(&path, state),
        None => false,
    }
}

#[cfg(unix)]
fn send_to(path: &std::path::Path, state: &str) -> bool {
    use std::os::unix::net::UnixDatagram;
    let Ok(sock) = UnixDatagram::unbound() else {
        return false;
    };
    // An abstract socket ("@name") is addressed with a leading NUL.
    let sent = match path.to_str().and_then(|p| p.strip_prefix('@')) {
        #[cfg(target_os = "linux")]
        Some(name) => {
            use std::os::linux::net::SocketAddrExt;
            std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes())
                .and_then(|addr| sock.send_to_addr(state.as_bytes(), &addr))
        }
        _ => sock.send_to(state.as_bytes(), path),
    };
    if let Err(e) = &sent {
        tracing::warn!(error = %e, "could not notify systemd");
    }
    sent.is_ok()
}

#[cfg(not(unix))]
fn send_to(_path: &std::path::Path, _state: &str) -> bool {
    false
}

/// How often to ping: half of `WATCHDOG_USEC`, if systemd asked for pings.
pub fn watchdog_interval() -> Option<Duration> {
    let usec: u64 = std::env::var("WATCHDOG_USEC").ok()?.parse().ok()?;
    (usec > 0).then(|| Duration::from_micros(usec / 2))
}

/// Ping the watchdog while `healthy()` says so, on a thread of its own.
pub fn spawn_watchdog(healthy: impl Fn() -> bool + Send + 'static) {
    let Some(every) = watchdog_interval() else {
        return;
    };
    let spawned = std::thread::Builder::new()
        .name("systemd-watchdog".into())
        .spawn(move || loop {
            if healthy() {
                notify("WATCHDOG=1");
            } else {
                tracing::error!("unhealthy: withholding the systemd watchdog ping");
            }
            std::thread::sleep(every);
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "could not start the systemd watchdog thread");
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn states_reach_the_socket() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notify.sock");
        let listener = std::os::unix::net::UnixDatagram::bind(&path).unwrap();
        assert!(send_to(&path, "READY=1"));
        let mut buf = [0u8; 64];
        let n = listener.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"READY=1");
        assert!(!send_to(&dir.path().join("absent.sock"), "READY=1"));
    }
}
