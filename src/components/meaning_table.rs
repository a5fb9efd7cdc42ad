use leptos::prelude::*;

/// Where a row's meaning comes from: a link to the spec, or its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    Link(String),
    Named(&'static str),
}

/// A row of a `MeaningTable`: a name, its value, and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeaningRow {
    pub name: String,
    /// Shown under the name: where the value was found ("query", "JSON").
    pub origin: Option<&'static str>,
    pub value: String,
    /// Lines shown under the value: the value decoded, or as a time.
    pub notes: Vec<String>,
    pub meaning: &'static str,
    pub reference: Option<Reference>,
}

/// The table that explains protocol values, one row each, as the Flow
/// screen's inspector and the JWT debugger's claims show them. Nothing
/// when there are no rows. Scrolls sideways on its own on a narrow screen.
#[component]
pub fn MeaningTable(
    rows: Vec<MeaningRow>,
    /// Also the scrolling region's name, so unique on the page.
    #[prop(into)]
    caption: String,
    testid: &'static str,
    /// The first column's heading ("Name", "Claim").
    name_heading: &'static str,
) -> impl IntoView {
    (!rows.is_empty()).then(|| {
        let label = caption.clone();
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-label=label>
                <table class="params" data-testid=testid>
                    <caption>{caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{name_heading}</th>
                            <th scope="col">"Value"</th>
                            <th scope="col">"Meaning"</th>
                        </tr>
                    </thead>
                    <tbody>{rows.into_iter().map(row_view).collect_view()}</tbody>
                </table>
            </div>
        }
    })
}

fn row_view(row: MeaningRow) -> impl IntoView {
    let (link, named) = match row.reference {
        Some(Reference::Link(url)) => (Some(url), None),
        Some(Reference::Named(source)) => (None, Some(source)),
        None => (None, None),
    };
    let link_label = format!(" for {}", row.name);
    view! {
        <tr>
            <th scope="row">
                <code>{row.name}</code>
                {row.origin.map(|origin| view! { <span class="params__source">{origin}</span> })}
            </th>
            <td class="params__value">
                <code>{row.value}</code>
                {row
                    .notes
                    .into_iter()
                    .map(|note| view! { <span class="params__decoded">{note}</span> })
                    .collect_view()}
            </td>
            <td>
                {row.meaning}
                {link
                    .map(|url| {
                        view! {
                            " "
                            <a href=url target="_blank" rel="noopener noreferrer">
                                "spec"
                                <span class="visually-hidden">{link_label}</span>
                            </a>
                        }
                    })}
                {named.map(|source| view! { " " <span class="params__source">{source}</span> })}
            </td>
        </tr>
    }
}
