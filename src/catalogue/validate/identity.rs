//! Where an entry lives must agree with what it says: the file stem is its id (NSI201) and the
//! folder is its owning force (NSI202). Unique ids (NSI203) need the whole catalogue and are
//! checked in the pipeline. An id that Windows reserves as a device name is a bad form (NSI105).

use super::RuleContext;
use super::rules;
use crate::catalogue::entry::is_solution_id;

/// Run the identity rules.
pub fn check(context: &mut RuleContext<'_>) {
    let stem = context.file.stem().to_owned();
    if let Some(id) = context.str_at("/id")
        && id != stem
    {
        let message = format!("the id `{id}` differs from the file name `{stem}.yaml`");
        // Never suggest a file name made of text that is not an id (`../x`, `a/b`).
        let hint = if is_solution_id(id) {
            format!("rename the file to `{id}.yaml`, or set `id: {stem}`")
        } else {
            format!("set `id: {stem}`")
        };
        context.report(&rules::ID_NOT_FILE_NAME, "/id", message, Some(hint));
    }
    if let Some(id) = context
        .str_at("/id")
        .filter(|id| is_windows_device_name(id))
    {
        let message = format!(
            "the id `{id}` is a device name reserved on Windows, where `{id}.yaml` cannot be checked out"
        );
        let hint = "choose a longer, more descriptive id".to_owned();
        context.report(&rules::BAD_FORM, "/id", message, Some(hint));
    }
    let folder = context.file.folder().to_owned();
    if let Some(owner) = context.str_at("/owner_force")
        && owner != folder
    {
        let message = format!("the owner force `{owner}` differs from the folder `{folder}/`");
        let known = |slug: &str| context.reference.force(slug).is_some();
        let hint = match (known(owner), known(&folder)) {
            (true, true) => {
                format!("move the file to `catalogue/{owner}/`, or set `owner_force: {folder}`")
            }
            (true, false) => {
                format!("move the file to `catalogue/{owner}/` (`{folder}` is not a force's slug)")
            }
            (false, true) => format!("set `owner_force: {folder}`"),
            (false, false) => format!(
                "`{folder}/` is not a force's folder: move the file to `catalogue/<force>/` and \
                 set `owner_force` to that force's slug (see schema/reference/forces.yaml)"
            ),
        };
        context.report(
            &rules::OWNER_NOT_FOLDER,
            "/owner_force",
            message,
            Some(hint),
        );
    }
}

/// `con`, `prn`, `aux`, `nul`, `com1`–`com9`, `lpt1`–`lpt9`: Windows refuses files so named,
/// whatever their extension.
fn is_windows_device_name(id: &str) -> bool {
    let lower = id.to_ascii_lowercase();
    matches!(lower.as_str(), "con" | "prn" | "aux" | "nul")
        || ["com", "lpt"].iter().any(|prefix| {
            lower
                .strip_prefix(prefix)
                .is_some_and(|n| matches!(n, "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9"))
        })
}
