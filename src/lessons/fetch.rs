//! Loading lesson files from beside the app, at run time: an instructor
//! adds a lesson by dropping a file in `lessons/`, with no rebuild.
//!
//! Every URL is `lessons/<plain file name>` resolved against the page's
//! `<base href>`, so the app finds its lessons under any sub-path, and is
//! checked to be on the page's own origin before it is requested.

use gloo_net::http::Request;
use web_sys::RequestCache;

use super::files::{INDEX_FILE, check_file_name, lesson_path, network_problem, response_problem};
use super::format::parse_lesson;
use super::index::{Listed, parse_index};
use super::lesson::Lesson;

/// The text of `lessons/<file>`, or a message naming the file.
async fn fetch_text(file: &str) -> Result<String, String> {
    check_file_name(file)?;
    let url = resolve(&lesson_path(file))?;
    // Revalidated each time: an instructor who edits a lesson sees the
    // change on the next load.
    let response = Request::get(&url)
        .cache(RequestCache::NoCache)
        .send()
        .await
        .map_err(|error| network_problem(file, &error.to_string()))?;
    let content_type = response.headers().get("content-type").unwrap_or_default();
    if let Some(problem) = response_problem(
        file,
        response.status(),
        &response.status_text(),
        &content_type,
    ) {
        return Err(problem);
    }
    response
        .text()
        .await
        .map_err(|error| format!("{} could not be read: {error}.", lesson_path(file)))
}

/// `path` against the document's base URL, refused unless it stays on the
/// page's own origin.
fn resolve(path: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("No window to load lessons in.")?;
    let base = window
        .document()
        .and_then(|document| document.base_uri().ok().flatten())
        .ok_or("The page has no base URL to load lessons from.")?;
    let url = web_sys::Url::new_with_base(path, &base)
        .map_err(|_| format!("{path} is not a file the app can load."))?;
    let origin = window.location().origin().unwrap_or_default();
    if url.origin() != origin {
        return Err(format!("{path} is not on this site, so it is not loaded."));
    }
    Ok(url.href())
}

/// The lessons `lessons/index.json` lists, with the cards it has of them.
pub async fn load_index() -> Result<Vec<Listed>, Vec<String>> {
    let text = fetch_text(INDEX_FILE)
        .await
        .map_err(|problem| vec![problem])?;
    parse_index(&text)
}

/// A lesson, read and checked (its steps are checked against its run
/// once the run is made).
pub async fn load_lesson(file: &str) -> Result<Lesson, Vec<String>> {
    let text = fetch_text(file).await.map_err(|problem| vec![problem])?;
    parse_lesson(file, &text)
}
