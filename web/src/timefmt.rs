//! Timestamps (unix ms) as text: UTC by civil-from-days, and in a
//! member's time zone by jiff's bundled database.

use jiff::tz::TimeZone;

fn civil(ms: i64) -> (i64, u32, u32, u32, u32, u32) {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        m,
        d,
        (rem / 3600) as u32,
        (rem % 3600 / 60) as u32,
        (rem % 60) as u32,
    )
}

pub fn iso8601(ms: i64) -> String {
    let (y, m, d, h, mi, s) = civil(ms);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

pub fn human(ms: i64) -> String {
    let (y, m, d, h, mi, _) = civil(ms);
    format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02} UTC")
}

/// The absolute time in `tz`, with the zone's offset at that instant
/// ("2026-11-22 15:45 UTC+02:00", "… UTC+03:30", "… UTC-05:00"), or "UTC"
/// when the offset is zero. The offset, not an abbreviation: it reads the
/// same in every language (and many zones have no abbreviation), and it
/// shows which side of a daylight-saving change a time falls on.
pub fn human_in(ms: i64, tz: &TimeZone) -> String {
    let Ok(ts) = jiff::Timestamp::from_millisecond(ms) else {
        return human(ms);
    };
    let offset = tz.to_offset(ts);
    let secs = offset.seconds();
    if secs == 0 {
        return human(ms);
    }
    let local = ms + i64::from(secs) * 1000;
    let (y, m, d, h, mi, _) = civil(local);
    let sign = if secs < 0 { '-' } else { '+' };
    let abs = secs.unsigned_abs();
    format!(
        "{y:04}-{m:02}-{d:02} {h:02}:{mi:02} UTC{sign}{:02}:{:02}",
        abs / 3600,
        abs % 3600 / 60
    )
}

/// The offset of `tz` at `ms`, as `human_in` writes it ("UTC+02:00",
/// "UTC-05:00", "UTC" at zero).
pub fn offset_label(ms: i64, tz: &TimeZone) -> String {
    match human_in(ms, tz).rsplit_once(' ') {
        Some((_, offset)) => offset.to_string(),
        None => "UTC".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> TimeZone {
        jiff::tz::db().get(name).unwrap()
    }

    /// Unix ms of a UTC wall time, for readable cases.
    fn utc(y: i16, m: i8, d: i8, h: i8, mi: i8) -> i64 {
        jiff::civil::date(y, m, d)
            .at(h, mi, 0, 0)
            .to_zoned(TimeZone::UTC)
            .unwrap()
            .timestamp()
            .as_millisecond()
    }

    #[test]
    fn kyiv_across_the_spring_and_autumn_changes() {
        let kyiv = zone("Europe/Kyiv");
        // The clocks go forward at 01:00 UTC on the last Sunday of March
        // (29 March 2026): 02:59 EET, then 04:00 EEST.
        assert_eq!(
            human_in(utc(2026, 3, 29, 0, 59), &kyiv),
            "2026-03-29 02:59 UTC+02:00"
        );
        assert_eq!(
            human_in(utc(2026, 3, 29, 1, 0), &kyiv),
            "2026-03-29 04:00 UTC+03:00"
        );
        // And back on 25 October 2026: 03:59 EEST, then 03:00 EET again.
        assert_eq!(
            human_in(utc(2026, 10, 25, 0, 59), &kyiv),
            "2026-10-25 03:59 UTC+03:00"
        );
        assert_eq!(
            human_in(utc(2026, 10, 25, 1, 0), &kyiv),
            "2026-10-25 03:00 UTC+02:00"
        );
        assert_eq!(
            human_in(1_795_355_130_000, &kyiv),
            "2026-11-22 15:45 UTC+02:00"
        );
    }

    #[test]
    fn new_york_behind_utc_and_across_its_change() {
        let ny = zone("America/New_York");
        // 8 March 2026, 07:00 UTC: 02:00 EST becomes 03:00 EDT.
        assert_eq!(
            human_in(utc(2026, 3, 8, 6, 59), &ny),
            "2026-03-08 01:59 UTC-05:00"
        );
        assert_eq!(
            human_in(utc(2026, 3, 8, 7, 0), &ny),
            "2026-03-08 03:00 UTC-04:00"
        );
        // Behind UTC the local date can be the day before.
        assert_eq!(
            human_in(utc(2026, 11, 22, 3, 30), &ny),
            "2026-11-21 22:30 UTC-05:00"
        );
    }

    #[test]
    fn tehran_has_half_hours_and_no_change_any_more() {
        let tehran = zone("Asia/Tehran");
        assert_eq!(
            human_in(1_795_355_130_000, &tehran),
            "2026-11-22 17:15 UTC+03:30"
        );
        // Iran stopped daylight saving in 2022: June is +03:30 as well.
        assert_eq!(
            human_in(utc(2026, 6, 21, 20, 45), &tehran),
            "2026-06-22 00:15 UTC+03:30"
        );
        // Until then it moved to +04:30 in summer.
        assert_eq!(
            human_in(utc(2021, 6, 21, 20, 45), &tehran),
            "2021-06-22 01:15 UTC+04:30"
        );
    }

    #[test]
    fn utc_and_zero_offsets_say_utc() {
        assert_eq!(
            human_in(1_795_355_130_000, &TimeZone::UTC),
            "2026-11-22 13:45 UTC"
        );
        // London in winter is at UTC; in summer an hour ahead.
        let london = zone("Europe/London");
        assert_eq!(human_in(1_795_355_130_000, &london), "2026-11-22 13:45 UTC");
        assert_eq!(
            human_in(utc(2026, 7, 1, 12, 0), &london),
            "2026-07-01 13:00 UTC+01:00"
        );
    }

    #[test]
    fn known_instants() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(human(1_795_355_130_000), "2026-11-22 13:45 UTC");
    }
}
