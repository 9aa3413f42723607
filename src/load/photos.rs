//! An article's lead photo: `image:` resolved to a file of the site
//! (beside the article, or `/...` under `static/`, never outside either),
//! then probed (`images::probe`) for its size, colour and embedded
//! caption and credit, which fill what the front matter leaves out.
//! Problems name the article's file and the line of its `image` key.

use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::content::Article;
use super::frontmatter::{ImageField, Text};
use crate::error::Diagnostic;
use crate::images::{self, Depth, Focus, Probe, Settings};
use crate::model::People;

/// An article's photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Photo {
    /// Its path as written (`image:`, or the body's `![](...)`).
    pub(crate) written: String,
    /// The file.
    pub(crate) file: PathBuf,
    /// Where the original is copied on the site (`/2026/02/photo.jpg`).
    pub(crate) site_path: String,
    /// What the picture shows (front matter only: a caption is not a
    /// description).
    pub(crate) alt: Option<String>,
    /// The caption, as the front matter gives it.
    pub(crate) caption: Option<String>,
    /// The credit, as the front matter gives it.
    pub(crate) credit: Option<String>,
    /// The crops' point of interest.
    pub(crate) focus: Option<Focus>,
    /// Line and column of the `image` value in the article's file.
    pub(crate) at: (usize, usize),
    /// The file as probed; `None` until [`attach`] ran.
    pub(crate) probe: Option<Probe>,
}

impl Photo {
    /// The caption shown: the front matter's, else the file's own.
    pub(crate) fn caption(&self) -> Option<&str> {
        let embedded = self.probe.as_ref().map(|p| &p.embedded);
        self.caption
            .as_deref()
            .or(embedded.and_then(|e| e.caption.as_deref()))
    }

    /// The credit shown: the front matter's, else the file's credit, else
    /// its photographer.
    pub(crate) fn credit(&self) -> Option<&str> {
        let embedded = self.probe.as_ref().map(|p| &p.embedded);
        let file = embedded.and_then(|e| e.credit.as_deref().or(e.byline.as_deref()));
        self.credit.as_deref().or(file)
    }
}

/// Resolves `image:` of the article in `file` (`rel` under `content/`).
pub(crate) fn resolve(
    field: ImageField,
    file: &Path,
    rel: &str,
    at: (usize, usize),
) -> Result<Photo, String> {
    let src = checked_src(&field)?;
    let content_dir = content_dir(file, rel);
    let (base, site_rel) = match src.strip_prefix('/') {
        Some(under_static) => (
            content_dir.parent().unwrap_or(&content_dir).join("static"),
            normal(under_static),
        ),
        None => {
            let joined = match rel.rsplit_once('/') {
                Some((article_dir, _)) => format!("{article_dir}/{src}"),
                None => src.clone(),
            };
            (content_dir.clone(), normal(&joined))
        }
    };
    photo_at(field, &base, site_rel, at)
}

/// Resolves `image:` of a person in data/people.yaml, in the site `root`:
/// a file under `static/` (written with a leading `/` or without).
pub(crate) fn resolve_portrait(
    field: ImageField,
    root: &Path,
    at: (usize, usize),
) -> Result<Photo, String> {
    let src = checked_src(&field)?;
    let site_rel = normal(src.trim_start_matches('/'));
    photo_at(field, &root.join("static"), site_rel, at)
}

/// The path `image:` names, when it can be a file of the site.
fn checked_src(field: &ImageField) -> Result<String, String> {
    let src = field.src.0.trim();
    if src.is_empty() {
        return Err("`image`: expected the path of a photo file".into());
    }
    if src.contains("://") || src.starts_with("//") || src.starts_with("data:") {
        return Err(format!(
            "`image`: `{src}` is an address: expected a photo file in the site (beside the article, or /... under static/); remote photos are not fetched"
        ));
    }
    Ok(src.to_string())
}

/// The photo of `field`, whose file is `site_rel` under `base` (`None`:
/// the path led outside it).
fn photo_at(
    field: ImageField,
    base: &Path,
    site_rel: Option<String>,
    at: (usize, usize),
) -> Result<Photo, String> {
    let src = field.src.0.trim();
    let Some(site_rel) = site_rel else {
        return Err(format!("`image`: `{src}` leads outside the site's folder"));
    };
    let focus = match field.focus {
        None => None,
        Some([x, y]) if (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y) => Some(Focus(x, y)),
        Some(_) => {
            return Err("`image.focus`: expected [x, y], each a fraction from 0 to 1".into())
        }
    };
    let text = |t: Option<Text>| t.map(|t| t.0.trim().to_string()).filter(|t| !t.is_empty());
    Ok(Photo {
        written: src.to_string(),
        file: base.join(&site_rel),
        site_path: format!("/{site_rel}"),
        alt: text(field.alt),
        caption: text(field.caption),
        credit: text(field.credit),
        focus,
        at,
        probe: None,
    })
}

/// The photos of the article's body (`![alt](file "caption")` with a file
/// of the site), resolved as `image:` is; `body_line` is the file's line
/// on which the body starts. A path that leads outside the site is an
/// error at its line.
pub(crate) fn body_photos(
    body: &str,
    body_line: usize,
    file: &Path,
    rel: &str,
) -> (Vec<Photo>, Vec<Diagnostic>) {
    let mut photos: Vec<Photo> = Vec::new();
    let mut errors = Vec::new();
    for image in crate::markdown::local_images(body) {
        if photos.iter().any(|p| p.written == image.dest) {
            continue;
        }
        let before = &body[..image.offset];
        let line = body_line + before.matches('\n').count();
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let field = ImageField {
            src: Text(image.dest.clone()),
            alt: Some(Text(image.alt)),
            caption: Some(Text(image.title)),
            credit: None,
            focus: None,
        };
        match resolve(field, file, rel, (line, column)) {
            Ok(photo) => photos.push(photo),
            Err(message) => {
                let message = message.replacen("`image`", "image", 1);
                errors.push(Diagnostic::at(file, line, column, message));
            }
        }
    }
    (photos, errors)
}

/// The `content/` folder of an article file whose path under it is `rel`.
fn content_dir(file: &Path, rel: &str) -> PathBuf {
    let depth = rel.split('/').count();
    let mut dir = file.to_path_buf();
    for _ in 0..depth {
        dir.pop();
    }
    dir
}

/// `path` with `.` and `..` resolved, `/`-separated; `None` when it leaves
/// its base.
fn normal(path: &str) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for c in Path::new(path).components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Probes the photo of each article that has one (in parallel), as far as
/// `depth` says: a build makes a new photo's copies from the decoding of
/// its probe (`Depth::Make`, with each photo's own focus), the preview's
/// start reads only headers (`Depth::Header`: its pages must not wait for
/// every photo to be decoded; [`unfinished`] names those left for later).
/// Returns the errors (the article's file, at its `image` key) and the
/// warnings.
pub(crate) fn attach(
    articles: &mut [Article],
    settings: &Settings,
    depth: Depth,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let found: Vec<(Vec<Diagnostic>, Vec<Diagnostic>)> = articles
        .par_iter_mut()
        .map(|article| attach_one(article, settings, depth))
        .collect();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for (e, w) in found {
        errors.extend(e);
        warnings.extend(w);
    }
    (errors, warnings)
}

/// [`attach`] for one article: its lead photo and its body's.
pub(crate) fn attach_one(
    article: &mut Article,
    settings: &Settings,
    depth: Depth,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut found = (Vec::new(), Vec::new());
    let file = article.file.clone();
    if let Some(photo) = &mut article.image {
        probe_into(photo, "`image`", &file, settings, depth, &mut found);
    }
    for photo in &mut article.body_images {
        probe_into(photo, "image", &file, settings, depth, &mut found);
    }
    found
}

/// Probes the portraits of data/people.yaml (in the site `root`), as
/// [`attach`] does articles' photos; problems are at their `image` line.
pub(crate) fn attach_portraits(
    people: &mut People,
    root: &Path,
    settings: &Settings,
    depth: Depth,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let file = root.join(super::data::PEOPLE_FILE);
    let mut found = (Vec::new(), Vec::new());
    for photo in people.portraits_mut() {
        probe_into(photo, "`image`", &file, settings, depth, &mut found);
    }
    found
}

/// Probes `photo` (named `what` in messages, written in `file`), as far as
/// `depth` says, adding to `found`'s errors and warnings.
fn probe_into(
    photo: &mut Photo,
    what: &str,
    file: &Path,
    settings: &Settings,
    depth: Depth,
    found: &mut (Vec<Diagnostic>, Vec<Diagnostic>),
) {
    let (errors, warnings) = found;
    let at = |message: String| Diagnostic::at(file, photo.at.0, photo.at.1, message);
    let name = photo.site_path.trim_start_matches('/').to_string();
    let depth = match depth {
        Depth::Make(_) => Depth::Make(photo.focus),
        other => other,
    };
    match images::probe(&photo.file, settings, depth) {
        Ok(probe) => {
            warnings.extend(
                probe
                    .notes
                    .iter()
                    .map(|n| at(format!("{what} {name}: {n}")).warning()),
            );
            if photo.alt.is_none() {
                let message = format!("{what} {name} has no alt text: describe the picture for readers who cannot see it");
                warnings.push(at(message).warning());
            }
            photo.probe = Some(probe);
        }
        Err(message) => errors.push(at(format!("{what} {name}: {message}"))),
    }
}

/// The files of `photos` probed only as far as their headers, each once,
/// with the focus of the first photo shown from it (for its crops).
pub(crate) fn unfinished<'a>(
    photos: impl Iterator<Item = &'a Photo>,
) -> Vec<(PathBuf, Option<Focus>)> {
    let mut files: Vec<(PathBuf, Option<Focus>)> = photos
        .filter(|p| p.probe.as_ref().is_some_and(Probe::is_partial))
        .map(|p| (p.file.clone(), p.focus))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    files
}

/// Probes each of `files` whole and makes its copies, into the photo
/// cache, from one decoding (in parallel): the build's image work, done
/// where the preview's file pass will only link it. A file that fails is
/// left for the article's next reading to report.
pub(crate) fn finish(files: &[(PathBuf, Option<Focus>)], settings: &Settings) {
    files.par_iter().for_each(|(file, focus)| {
        // The probe may have been made whole without the copies (by a
        // copy the preview was asked for): they are made after it.
        if let Ok(probe) = images::probe(file, settings, Depth::Make(*focus)) {
            let wanted = images::copies(&probe, settings, *focus);
            let _ = images::make_missing(file, &probe, &wanted, settings);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(src: &str) -> ImageField {
        ImageField {
            src: Text(src.into()),
            ..ImageField::default()
        }
    }

    #[test]
    fn paths_resolve_beside_the_article_or_under_static() {
        let file = Path::new("/site/content/2026/02/talks.md");
        let p = resolve(field("photo.jpg"), file, "2026/02/talks.md", (1, 1)).unwrap();
        assert_eq!(p.file, Path::new("/site/content/2026/02/photo.jpg"));
        assert_eq!(p.site_path, "/2026/02/photo.jpg");
        let p = resolve(field("../01/./a.png"), file, "2026/02/talks.md", (1, 1)).unwrap();
        assert_eq!(p.site_path, "/2026/01/a.png");
        let top = resolve(
            field("a.jpg"),
            Path::new("/site/content/t.md"),
            "t.md",
            (1, 1),
        )
        .unwrap();
        assert_eq!(top.site_path, "/a.jpg");
        let p = resolve(field("/img/a.jpg"), file, "2026/02/talks.md", (1, 1)).unwrap();
        assert_eq!(p.file, Path::new("/site/static/img/a.jpg"));
        assert_eq!(p.site_path, "/img/a.jpg");
    }

    #[test]
    fn paths_that_leave_the_site_or_are_addresses_are_refused() {
        let file = Path::new("/site/content/2026/talks.md");
        for bad in [
            "../../etc/passwd",
            "/../../x.jpg",
            "https://e.org/a.jpg",
            "//e.org/a.jpg",
            "",
            "data:image/png;base64,xx",
        ] {
            assert!(
                resolve(field(bad), file, "2026/talks.md", (1, 1)).is_err(),
                "{bad}"
            );
        }
        let mut f = field("a.jpg");
        f.focus = Some([1.5, 0.0]);
        assert!(resolve(f, file, "2026/talks.md", (1, 1)).is_err());
    }
}
