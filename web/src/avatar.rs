//! Every member's avatar at `/u/{id}/avatar`: the image they uploaded, or
//! their initials (in any script) on a colour derived from their id, as a
//! small SVG. Templates call [`img`] through
//! `layout.avatar(user_id, display_name, size)`; the address carries a
//! version of the name, so a new display name is a new address. Browsers
//! keep an avatar five minutes and then ask again (a 304 when unchanged),
//! so an uploaded one reaches every page within that time.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::AppState;

/// Background colours, each with at least 4.5:1 under white text.
const PALETTE: [&str; 12] = [
    "#b91c1c", "#c2410c", "#a16207", "#15803d", "#047857", "#0e7490", "#1d4ed8", "#4338ca",
    "#6d28d9", "#a21caf", "#be123c", "#475569",
];

/// Bumped when the drawing changes, so cached avatars are drawn again.
const STYLE: &str = "1";

/// The colour of member `user_id`: stable, and neighbours differ.
pub fn colour(user_id: i64) -> &'static str {
    // Fibonacci hashing spreads consecutive ids over the palette.
    let mixed = (user_id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
    PALETTE[(mixed % PALETTE.len() as u64) as usize]
}

/// Scripts whose letters join (Arabic, Persian): two initials side by side
/// would be read as one word, so such names get one.
fn joining(c: char) -> bool {
    matches!(c as u32,
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF
        // Syriac, N'Ko, Mongolian also join.
        | 0x0700..=0x074F | 0x07C0..=0x07FF | 0x1800..=0x18AF)
}

/// Scripts where one character is a syllable or a word: one is enough.
fn wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF)
}

/// The initials drawn for `name`: the first letter of its first and last
/// words, upper-cased where the script has cases; one letter for joining
/// and ideographic scripts; `?` when the name has no letter at all.
pub fn initials(name: &str) -> String {
    let mut out = String::new();
    initial_chars(name, |c| out.push(c));
    out
}

/// The characters of `initials(name)`, one by one, without allocating:
/// every post on a thread page draws its author's avatar address.
fn initial_chars(name: &str, mut emit: impl FnMut(char)) {
    let first_letter = |w: &str| w.chars().find(|c| c.is_alphanumeric());
    let mut letters = name.split_whitespace().filter_map(first_letter);
    let Some(first) = letters.next() else {
        emit('?');
        return;
    };
    first.to_uppercase().for_each(&mut emit);
    if let Some(last) = letters.next_back() {
        if !joining(first) && !wide(first) && !joining(last) && !wide(last) {
            last.to_uppercase().for_each(&mut emit);
        }
    }
}

/// `s` safe in XML or HTML text and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

/// A short version of what the image shows (FNV-1a of the initials and
/// the drawing's style), for its address.
pub fn version(name: &str) -> String {
    format!("{:08x}", version_hash(name))
}

fn version_hash(name: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    let mut mix = |b: u8| {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    };
    STYLE.bytes().chain([0]).for_each(&mut mix);
    initial_chars(name, |c| {
        let mut buf = [0u8; 4];
        c.encode_utf8(&mut buf).bytes().for_each(&mut mix);
    });
    h
}

/// The avatar of member `user_id` called `name`, as SVG.
pub fn svg(user_id: i64, name: &str) -> String {
    let letters = initials(name);
    // Two letters are drawn smaller than one.
    let size = if letters.chars().count() > 1 { 26 } else { 30 };
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\" viewBox=\"0 0 64 64\">\
         <rect width=\"64\" height=\"64\" rx=\"32\" fill=\"{}\"/>\
         <text x=\"32\" y=\"33\" text-anchor=\"middle\" dominant-baseline=\"central\" fill=\"#ffffff\" \
         font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Vazirmatn, 'Noto Sans Arabic', Tahoma, sans-serif\" \
         font-size=\"{size}\" font-weight=\"600\">{}</text></svg>",
        colour(user_id),
        escape(&letters)
    )
}

/// The `<img>` of a member's avatar, `size` CSS pixels square (16 to 128).
/// Decorative (`alt=""`): the member's name is next to it wherever it is
/// shown. Only our own text goes in, escaped, so it is safe as HTML.
pub fn img(user_id: i64, name: &str, size: i64) -> String {
    let size = size.clamp(16, 128);
    format!(
        "<img class=\"avatar\" src=\"/u/{user_id}/avatar?v={:08x}\" alt=\"\" width=\"{size}\" height=\"{size}\" loading=\"lazy\" decoding=\"async\">",
        version_hash(name)
    )
}

/// `GET /u/{id}/avatar` (and the older `/u/{id}/avatar.svg`): two
/// indexed reads, then the browser's copy for five minutes.
pub async fn serve(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> HttpResponse {
    let not_found = || {
        HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("no such member")
    };
    let Ok(id) = id.parse::<i64>() else {
        return not_found();
    };
    let found = state
        .call(move |f| {
            let user = f.user(id)?;
            let uploaded = match f.avatar(id)? {
                Some(u) => {
                    let bytes = f.upload_bytes(&u)?;
                    Some((u, bytes))
                }
                None => None,
            };
            Ok((user, uploaded))
        })
        .await;
    let (user, uploaded) = match found {
        Ok(found) => found,
        Err(crate::error::WebError::Forum(forum::ForumError::NotFound(_))) => return not_found(),
        Err(e) => {
            tracing::warn!(error = %e, "avatar not drawn");
            return HttpResponse::ServiceUnavailable()
                .insert_header(("Retry-After", "5"))
                .finish();
        }
    };
    let mut resp = match uploaded {
        Some((upload, bytes)) => crate::assets::respond(
            &req,
            upload.kind.content_type(),
            bytes,
            &upload.key,
            crate::assets::SHORT,
        ),
        None => {
            let current = version(&user.display_name);
            crate::assets::respond(
                &req,
                "image/svg+xml",
                svg(user.id, &user.display_name),
                &format!("{}-{current}", colour(user.id).trim_start_matches('#')),
                crate::assets::SHORT,
            )
        }
    };
    // An image needs nothing: no scripts, no styles, no requests.
    crate::uploads::protect(resp.headers_mut());
    resp.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static("default-src 'none'"),
    );
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_in_every_script() {
        assert_eq!(initials("Ann Smith"), "AS");
        assert_eq!(initials("ann"), "A");
        assert_eq!(initials("  jean-luc   de la  picard "), "JP");
        assert_eq!(initials("Олена Коваль"), "ОК");
        assert_eq!(initials("ёжик"), "Ё");
        // Persian letters join: one initial.
        assert_eq!(initials("علی رضایی"), "ع");
        assert_eq!(
            initials("Ali رضایی"),
            "A",
            "no joining letter beside a Latin one"
        );
        assert_eq!(initials("山田 太郎"), "山");
        assert_eq!(initials("@@@ !!!"), "?");
        assert_eq!(initials(""), "?");
        assert_eq!(initials("_x9"), "X");
        assert_eq!(initials("straße groß"), "SG");
    }

    #[test]
    fn the_svg_is_escaped_and_coloured_by_id() {
        let s = svg(7, "<b>&\"x'");
        assert!(s.contains(">B</text>"), "{s}");
        let s = svg(7, "& <");
        assert!(s.contains(">?</text>"), "{s}");
        assert!(s.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(s.contains(colour(7)));
        assert_eq!(colour(7), colour(7));
        let spread: std::collections::BTreeSet<&str> = (1..=12).map(colour).collect();
        assert!(spread.len() >= 8, "neighbours differ: {spread:?}");
        assert!(PALETTE.contains(&colour(-5)));
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;"
        );
    }

    #[test]
    fn every_palette_colour_carries_white_text() {
        for c in PALETTE {
            let rgb = forum::settings::parse_hex_color(c).unwrap();
            assert!(
                forum::settings::contrast_ratio(rgb, [255, 255, 255]) >= 4.5,
                "{c}"
            );
        }
    }

    #[test]
    fn the_img_names_the_current_drawing() {
        let html = img(42, "Ann Smith", 32);
        assert_eq!(
            html,
            format!("<img class=\"avatar\" src=\"/u/42/avatar?v={}\" alt=\"\" width=\"32\" height=\"32\" loading=\"lazy\" decoding=\"async\">", version("Ann Smith"))
        );
        assert_eq!(
            version("Ann Smith"),
            version("Alan Swift"),
            "same letters, same image"
        );
        assert_ne!(version("Ann Smith"), version("Bob Smith"));
        assert!(img(1, "a", 4000).contains("width=\"128\""));
        assert!(img(1, "a", -3).contains("width=\"16\""));
    }
}
