//! The HTML part of an email, made from the same Fluent texts as its plain-text part: the
//! subject as the title, the body's paragraphs, under a header in the brand's name and
//! colours, in the flow's language and writing direction (`lang`, `dir`). It is rendered when
//! the message is queued (the texts are resolved then, [`crate::flows`]) and kept beside the
//! plain text, so the sender only sends.
//!
//! Every interpolated value is escaped ([`escape`]); the colours are `#rrggbb` values checked
//! when the tenant loads ([`crate::tenants`]), so nothing from a text reaches markup or a
//! style. Layout is a table with inline styles, which email clients render alike; there is no
//! script, no remote image and no link.

use std::fmt::Write as _;

/// How a brand's email looks.
#[derive(Clone, Copy, Debug)]
pub struct Look<'a> {
    /// The brand's display name.
    pub brand: &'a str,
    /// The header's background, `#rrggbb`.
    pub primary: &'a str,
    /// The header's text colour, `#rrggbb`.
    pub on_primary: &'a str,
    /// The language tag.
    pub locale: &'a str,
    /// `ltr` or `rtl`.
    pub dir: &'a str,
}

/// `text` with `&`, `<`, `>`, `"` and `'` escaped, safe in an element or an attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The whole HTML document of an email with `subject` and the plain-text `body` (paragraphs
/// split at blank lines, lines kept).
pub fn email(subject: &str, body: &str, look: &Look<'_>) -> String {
    let align = if look.dir == "rtl" { "right" } else { "left" };
    let mut paragraphs = String::new();
    for paragraph in body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let lines: Vec<String> = paragraph.lines().map(escape).collect();
        let _ = write!(
            paragraphs,
            "<p style=\"margin:0 0 16px 0\">{}</p>",
            lines.join("<br>")
        );
    }
    format!(
        "<!DOCTYPE html>\n\
         <html lang=\"{lang}\" dir=\"{dir}\">\n\
         <head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>{title}</title></head>\n\
         <body style=\"margin:0;padding:0;background:#f4f4f5\">\n\
         <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" \
         style=\"background:#f4f4f5;padding:24px 0\"><tr><td align=\"center\">\n\
         <table role=\"presentation\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\" \
         style=\"max-width:600px;width:100%;background:#ffffff;border-radius:8px;\
         font-family:system-ui,-apple-system,'Segoe UI',sans-serif;text-align:{align}\">\n\
         <tr><td style=\"background:{primary};color:{on_primary};padding:16px 24px;\
         font-size:20px;font-weight:bold;border-radius:8px 8px 0 0\">{brand}</td></tr>\n\
         <tr><td style=\"padding:24px;color:#1b1b1b;font-size:16px;line-height:1.5\">\
         <h1 style=\"margin:0 0 16px 0;font-size:20px\">{title}</h1>{paragraphs}</td></tr>\n\
         </table></td></tr></table>\n</body>\n</html>\n",
        lang = escape(look.locale),
        dir = escape(look.dir),
        title = escape(subject),
        primary = escape(look.primary),
        on_primary = escape(look.on_primary),
        brand = escape(look.brand),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOOK: Look<'static> = Look {
        brand: "Road & <Help>",
        primary: "#f5a300",
        on_primary: "#1b1b1b",
        locale: "ar",
        dir: "rtl",
    };

    #[test]
    fn every_value_is_escaped_and_paragraphs_kept() {
        let html = email(
            "Code <b>",
            "Line \"one\"\nline 'two'\n\nA <script>x</script> & more",
            &LOOK,
        );
        assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{html}");
        assert!(html.contains("Road &amp; &lt;Help&gt;"), "{html}");
        assert!(html.contains("<title>Code &lt;b&gt;</title>"), "{html}");
        assert!(
            html.contains("Line &quot;one&quot;<br>line &#39;two&#39;</p>"),
            "{html}"
        );
        assert!(
            html.contains("A &lt;script&gt;x&lt;/script&gt; &amp; more"),
            "{html}"
        );
        assert!(
            !html.contains("<script>") && !html.contains("<b>"),
            "{html}"
        );
        assert!(html.contains("background:#f5a300;color:#1b1b1b"), "{html}");
        assert!(html.contains("text-align:right"), "{html}");
    }
}
