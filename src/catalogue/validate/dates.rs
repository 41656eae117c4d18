//! Dates: what records the past is not in the future (NSI210); contacts expire (NSI211);
//! entries are reviewed at least every review period, 12 months unless `nsi.toml` says
//! otherwise (NSI212); a review follows creation (NSI213).

use crate::catalogue::entry::review_overdue_after;

use super::RuleContext;
use super::rules;
use crate::catalogue::schema::display_pointer;

/// Run the date rules.
pub fn check(context: &mut RuleContext<'_>) {
    let today = context.today;
    let mut past_dates = vec!["/created".to_owned(), "/last_reviewed".to_owned()];
    past_dates
        .extend((0..context.list_at("/adopters").len()).map(|i| format!("/adopters/{i}/since")));
    past_dates
        .extend((0..context.list_at("/showcases").len()).map(|i| format!("/showcases/{i}/date")));
    for pointer in past_dates {
        if let Some(date) = context.date_at(&pointer).filter(|d| *d > today) {
            let field = display_pointer(&pointer);
            context.report(
                &rules::FUTURE_DATE,
                &pointer,
                format!("`{field}` is {date}, which is in the future (today is {today})"),
                None,
            );
        }
    }

    for i in 0..context.list_at("/contacts").len() {
        let pointer = format!("/contacts/{i}/valid_until");
        if let Some(date) = context.date_at(&pointer).filter(|d| *d < today) {
            let name = context
                .str_at(&format!("/contacts/{i}/name"))
                .unwrap_or("a contact")
                .to_owned();
            context.report(
                &rules::CONTACT_EXPIRED,
                &pointer,
                format!("the contact {name} expired on {date}"),
                Some("confirm the contact and move `valid_until` forward, or replace them".into()),
            );
        }
    }

    let reviewed = context.date_at("/last_reviewed");
    let period = context.settings.review_period_months;
    if let Some(reviewed) = reviewed
        && review_overdue_after(reviewed, today, period)
    {
        let months = if period == 1 { "month" } else { "months" };
        context.report(
            &rules::REVIEW_OVERDUE,
            "/last_reviewed",
            format!("last reviewed on {reviewed}, more than {period} {months} ago"),
            Some("check the entry is still accurate and set `last_reviewed` to today".into()),
        );
    }
    if let (Some(created), Some(reviewed)) = (context.date_at("/created"), reviewed)
        && reviewed < created
    {
        context.report(
            &rules::REVIEWED_BEFORE_CREATED,
            "/last_reviewed",
            format!("`last_reviewed` ({reviewed}) is before `created` ({created})"),
            None,
        );
    }
}
