//! Where an entry lives must agree with what it says: the file stem is its id (NSI201) and the
//! folder is its owning force (NSI202). Unique ids (NSI203) need the whole catalogue and are
//! checked in the pipeline.

use super::RuleContext;
use super::rules;

/// Run the identity rules.
pub fn check(context: &mut RuleContext<'_>) {
    let stem = context.file.stem().to_owned();
    if let Some(id) = context.str_at("/id")
        && id != stem
    {
        let message = format!("the id `{id}` differs from the file name `{stem}.yaml`");
        let hint = format!("rename the file to `{id}.yaml`, or set `id: {stem}`");
        context.report(&rules::ID_NOT_FILE_NAME, "/id", message, Some(hint));
    }
    let folder = context.file.folder().to_owned();
    if let Some(owner) = context.str_at("/owner_force")
        && owner != folder
    {
        let message = format!("the owner force `{owner}` differs from the folder `{folder}/`");
        let hint = format!("move the file to `catalogue/{owner}/`, or set `owner_force: {folder}`");
        context.report(
            &rules::OWNER_NOT_FOLDER,
            "/owner_force",
            message,
            Some(hint),
        );
    }
}
