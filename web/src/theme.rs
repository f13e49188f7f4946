//! The brand theme an administrator sets (`theme.brand_color`,
//! `theme.logo_url`, live site settings validated in `forum::settings`):
//! a few colours derived from the brand colour, written as a tiny
//! stylesheet that every page links after `hearth.css` under a name that
//! changes with its content (`/static/theme.<version>.css`), so a change
//! reaches browsers at once and no page needs an inline style (the CSP
//! allows none).

use forum::settings::{contrast_ratio, parse_hex_color, MIN_TEXT_CONTRAST};
use serde::{Deserialize, Serialize};

/// The brand colour when none is set: white text on it has 5.18:1.
pub const DEFAULT_BRAND: &str = "#c2410c";

/// The page background of `hearth.css` (`--bg`), which links must stand
/// out against as well as white.
const PAGE_BACKGROUND: [u8; 3] = [0xf6, 0xf7, 0xf9];

/// `[theme]` in the configuration file: the defaults the live settings
/// override.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ThemeConfig {
    /// `#rrggbb`, dark enough for white text (4.5:1).
    pub brand_color: String,
    /// Empty, an `https://` address, or a path on this site.
    pub logo_url: String,
}

impl Default for ThemeConfig {
    fn default() -> Self {
        ThemeConfig {
            brand_color: DEFAULT_BRAND.into(),
            logo_url: String::new(),
        }
    }
}

/// The colours the stylesheet uses, derived from the brand colour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Palette {
    /// Buttons and highlights (white text on it).
    pub brand: String,
    /// Buttons under the pointer: a little darker.
    pub brand_hover: String,
    /// A light tint for selected tabs and chips.
    pub brand_soft: String,
    /// Links and focus rings: the brand colour, darkened until it reads at
    /// 4.5:1 on the page background and on the tint.
    pub link: String,
}

/// The theme in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub palette: Palette,
    /// Empty: the site name alone in the header.
    pub logo_url: String,
    /// The stylesheet's text.
    pub css: String,
    /// Changes with the stylesheet: part of its address.
    pub version: String,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::new(DEFAULT_BRAND, "")
    }
}

fn hex(rgb: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}

/// `a` moved `t` (0 to 1) of the way to `b`, channel by channel.
fn mix(a: [u8; 3], b: [u8; 3], t: f64) -> [u8; 3] {
    let one = |x: u8, y: u8| {
        let v = f64::from(x) + (f64::from(y) - f64::from(x)) * t;
        // In 0..=255 by construction; the cast cannot truncate.
        v.round().clamp(0.0, 255.0) as u8
    };
    [one(a[0], b[0]), one(a[1], b[1]), one(a[2], b[2])]
}

/// The palette of a brand colour (an unreadable one falls back to the
/// default's: the setting refuses those, a hand-edited file may not).
pub fn palette(brand: &str) -> Palette {
    let rgb = parse_hex_color(brand)
        .filter(|c| contrast_ratio(*c, [255, 255, 255]) >= MIN_TEXT_CONTRAST)
        .or_else(|| parse_hex_color(DEFAULT_BRAND))
        .unwrap_or([0xc2, 0x41, 0x0c]);
    let soft = mix(rgb, [255, 255, 255], 0.9);
    let mut link = rgb;
    let mut step = 0.0;
    while step < 1.0
        && (contrast_ratio(link, PAGE_BACKGROUND) < MIN_TEXT_CONTRAST
            || contrast_ratio(link, soft) < MIN_TEXT_CONTRAST)
    {
        step += 0.05;
        link = mix(rgb, [0, 0, 0], step);
    }
    Palette {
        brand: hex(rgb),
        brand_hover: hex(mix(rgb, [0, 0, 0], 0.15)),
        brand_soft: hex(soft),
        link: hex(link),
    }
}

impl Theme {
    /// The theme of these (validated) settings.
    pub fn new(brand: &str, logo_url: &str) -> Theme {
        let palette = palette(brand);
        let css = format!(
            "/* The brand theme (site settings) */\n:root{{--brand:{};--brand-hover:{};--brand-soft:{};--link:{}}}\n",
            palette.brand, palette.brand_hover, palette.brand_soft, palette.link
        );
        let version = crate::assets::content_hash(css.as_bytes());
        Theme {
            palette,
            logo_url: logo_url.to_string(),
            css,
            version,
        }
    }

    /// The stylesheet's address: new whenever its content is.
    pub fn css_url(&self) -> String {
        format!("/static/theme.{}.css", self.version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ratio(a: &str, b: &str) -> f64 {
        contrast_ratio(parse_hex_color(a).unwrap(), parse_hex_color(b).unwrap())
    }

    #[test]
    fn every_derived_colour_reads_well() {
        for brand in [
            "#c2410c", "#767676", "#1d4ed8", "#000000", "#15803d", "#6d28d9",
        ] {
            let p = palette(brand);
            assert_eq!(p.brand, brand);
            assert!(ratio(&p.brand, "#ffffff") >= 4.5, "{p:?}");
            assert!(ratio(&p.brand_hover, "#ffffff") >= 4.5, "{p:?}");
            assert!(ratio(&p.link, "#ffffff") >= 4.5, "{p:?}");
            assert!(ratio(&p.link, "#f6f7f9") >= 4.5, "{p:?}");
            assert!(ratio(&p.link, &p.brand_soft) >= 4.5, "{p:?}");
        }
        // A colour the setting would refuse never reaches a page.
        assert_eq!(palette("#ffff00"), palette(DEFAULT_BRAND));
        assert_eq!(palette("nonsense"), palette(DEFAULT_BRAND));
    }

    #[test]
    fn the_stylesheet_defaults_are_the_default_theme() {
        // hearth.css carries the default palette, so a page looks right
        // before (or without) the theme stylesheet.
        let css = include_str!("../static/hearth.css");
        let p = palette(DEFAULT_BRAND);
        for (name, value) in [
            ("--brand", &p.brand),
            ("--brand-hover", &p.brand_hover),
            ("--brand-soft", &p.brand_soft),
            ("--link", &p.link),
        ] {
            let decl = format!("{name}: {value};");
            assert!(css.contains(&decl), "hearth.css lacks {decl}");
        }
    }

    #[test]
    fn the_version_follows_the_content() {
        let a = Theme::new("#1d4ed8", "");
        let b = Theme::new("#1D4ED8", "/logo.svg");
        let c = Theme::new("#15803d", "");
        assert_eq!(a.version, b.version, "the logo is not in the stylesheet");
        assert_ne!(a.version, c.version);
        assert!(a.css.contains("--brand:#1d4ed8"));
        assert_eq!(a.css_url(), format!("/static/theme.{}.css", a.version));
        assert!(!a.css.contains('<'), "nothing but colours");
    }
}
