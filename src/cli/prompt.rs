//! The guided `nsi add`: one question per field, in a sensible order, with the schema's
//! description as help, pickers for every list read from `schema/`, defaults for dates and ids,
//! and each answer checked as it is given.

use chrono::NaiveDate;
use inquire::validator::{ErrorMessage, Validation};
use inquire::{Confirm, InquireError, MultiSelect, Select, Text};
use serde_json::{Map, Value, json};

use crate::catalogue::editing::{Choice, choices};
use crate::catalogue::reference::Reference;
use crate::catalogue::schema::FieldCheck;
use crate::cli::error::CliError;

/// How the questions ended.
#[derive(Debug)]
pub enum Answers {
    /// Every question was answered: the entry, ready to validate.
    Complete(Value),
    /// The user pressed Esc or Ctrl-C: what was answered so far, to finish in the editor.
    Cancelled(Value),
    /// The user chose to stop (the early check found the solution already listed): what was
    /// answered so far, to keep as a draft.
    Stopped(Value),
    /// The terminal failed: what was answered so far, to keep as a draft, and why.
    Failed(Value, CliError),
}

/// Whether to go on after the title, owner and summary are known (the caller looks for
/// entries that already describe the solution, and may ask).
pub type EarlyCheck<'a> = dyn FnMut(&Value) -> bool + 'a;

/// A field's description and length limits, from the schema (one source of truth).
struct FieldRules {
    help: String,
    min: usize,
    max: usize,
    min_items: usize,
    max_items: usize,
}

fn rules(reference: &Reference, pointer: &str) -> FieldRules {
    let node = reference.schema.pointer(pointer).unwrap_or(&Value::Null);
    let number = |key: &str, default: usize| {
        node.get(key)
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(default)
    };
    FieldRules {
        help: node
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        min: number("minLength", 1),
        max: number("maxLength", 20_000),
        min_items: number("minItems", 0),
        max_items: number("maxItems", usize::MAX),
    }
}

/// Asks the questions, collecting answers into an entry as it goes.
struct Interview<'r, 'c> {
    reference: &'r Reference,
    answers: Map<String, Value>,
    early: &'c mut EarlyCheck<'c>,
}

/// Stop asking: cancelled (keep what we have), stopped by the early check, or a terminal
/// error.
enum Stop {
    Cancelled,
    Stopped,
    Failed(CliError),
}

impl From<InquireError> for Stop {
    fn from(error: InquireError) -> Self {
        match error {
            InquireError::OperationCanceled | InquireError::OperationInterrupted => Stop::Cancelled,
            other => Stop::Failed(CliError::io(format!("cannot ask questions: {other}"))),
        }
    }
}

impl Interview<'_, '_> {
    fn text(&self, label: &str, pointer: &str, default: Option<&str>) -> Result<String, Stop> {
        let FieldRules { help, min, max, .. } = rules(self.reference, pointer);
        // Beyond the lengths (said in words), the answer is judged by the schema's own node.
        let check = FieldCheck::at(&self.reference.schema, pointer);
        let mut prompt =
            Text::new(label)
                .with_help_message(&help)
                .with_validator(move |input: &str| {
                    let length = input.trim().chars().count();
                    Ok(if length < min {
                        Validation::Invalid(ErrorMessage::Custom(format!(
                            "at least {min} characters (NSI107)"
                        )))
                    } else if length > max {
                        Validation::Invalid(ErrorMessage::Custom(format!(
                            "at most {max} characters, not {length} (NSI107)"
                        )))
                    } else if let Some(problem) = check
                        .as_ref()
                        .and_then(|c| c.problem(&Value::from(input.trim())))
                    {
                        Validation::Invalid(ErrorMessage::Custom(problem))
                    } else {
                        Validation::Valid
                    })
                });
        if let Some(default) = default {
            prompt = prompt.with_default(default);
        }
        Ok(prompt.prompt()?.trim().to_owned())
    }

    fn select(&self, label: &str, pointer: &str, options: Vec<Choice>) -> Result<String, Stop> {
        let help = rules(self.reference, pointer).help;
        Ok(Select::new(label, options)
            .with_help_message(&help)
            .with_page_size(12)
            .prompt()?
            .value)
    }

    /// Choose some of `options`, as many as the schema's `minItems` and `maxItems` at
    /// `pointer` allow (said in the question).
    fn multi(&self, label: &str, pointer: &str, options: Vec<Choice>) -> Result<Vec<String>, Stop> {
        let field = rules(self.reference, pointer);
        let help = format!("{} (space to choose, enter to confirm)", field.help);
        let (least, most) = (field.min_items, field.max_items);
        let label = match (least, most) {
            (0, usize::MAX) => format!("{label}:"),
            (least, usize::MAX) => format!("{label} (at least {least}):"),
            (least, most) if least == most => format!("{label} ({least}):"),
            (least, most) => format!("{label} ({least} to {most}):"),
        };
        let chosen = MultiSelect::new(&label, options)
            .with_help_message(&help)
            .with_page_size(12)
            .with_validator(
                move |picked: &[inquire::list_option::ListOption<&Choice>]| {
                    Ok(if picked.len() < least {
                        Validation::Invalid(ErrorMessage::Custom(format!(
                            "choose at least {least}"
                        )))
                    } else if picked.len() > most {
                        Validation::Invalid(ErrorMessage::Custom(format!("choose at most {most}")))
                    } else {
                        Validation::Valid
                    })
                },
            )
            .prompt()?;
        Ok(chosen.into_iter().map(|c| c.value).collect())
    }

    fn set(&mut self, key: &str, value: Value) {
        self.answers.insert(key.to_owned(), value);
    }

    /// Every question, in the order a force engineer thinks of them.
    fn run(&mut self) -> Result<(), Stop> {
        let reference = self.reference;
        let title = self.text("Title of the solution:", "/properties/title", None)?;
        self.set("title", json!(title));
        let owner = self.select(
            "Owning force (type to filter):",
            "/properties/owner_force",
            choices(reference, "/owner_force"),
        )?;
        self.set("owner_force", json!(owner));
        let summary = self.text("Summary (one paragraph):", "/properties/summary", None)?;
        self.set("summary", json!(summary));
        // Before the rest is typed: is this solution already in the index?
        if !(self.early)(&Value::Object(self.answers.clone())) {
            return Err(Stop::Stopped);
        }
        let problem = self.text(
            "Problem it addresses:",
            "/properties/problem_statement",
            None,
        )?;
        self.set("problem_statement", json!(problem));
        let categories = self.multi(
            "Categories",
            "/properties/categories",
            choices(reference, "/categories/0"),
        )?;
        self.set("categories", json!(categories));
        let phase = self.select("Phase:", "/properties/phase", choices(reference, "/phase"))?;
        self.set("phase", json!(phase));
        self.technology()?;
        self.skills()?;
        self.documents()?;
        self.contact()?;
        self.closing()
    }

    fn technology(&mut self) -> Result<(), Stop> {
        let reference = self.reference;
        let stack = self.text(
            "Technology stack (comma-separated):",
            "/properties/technology/properties/stack",
            None,
        )?;
        let stack: Vec<&str> = stack
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let deployment = self.select(
            "Deployment:",
            "/properties/technology/properties/deployment",
            choices(reference, "/technology/deployment"),
        )?;
        let licence = self.text(
            "Licence (SPDX id, crown-copyright or proprietary):",
            "/properties/technology/properties/licence",
            Some("OGL-UK-3.0"),
        )?;
        self.set(
            "technology",
            json!({ "stack": stack, "deployment": deployment, "licence": licence }),
        );
        // Asked when the schema has the field (from 2.0.0); its default is the marker for an
        // unanswered question, so it is not offered as an answer.
        let pointer = "/properties/ai/properties/use";
        let marker = reference
            .schema
            .pointer(&format!("{pointer}/default"))
            .and_then(Value::as_str);
        let choices: Vec<Choice> = choices(reference, "/ai/use")
            .into_iter()
            .filter(|c| Some(c.value.as_str()) != marker)
            .collect();
        if !choices.is_empty() {
            let usage = self.select("Does it use AI or machine learning?", pointer, choices)?;
            self.set("ai", json!({ "use": usage }));
        }
        Ok(())
    }

    fn skills(&mut self) -> Result<(), Stop> {
        let reference = self.reference;
        let mut skills = Vec::new();
        loop {
            let role = self.select(
                "Skill needed to deploy it — DDaT role family:",
                "/properties/skills/items/properties/role",
                choices(reference, "/skills/0/role"),
            )?;
            let level = self.select(
                "Level needed:",
                "/$defs/skill_level",
                choices(reference, "/skills/0/level"),
            )?;
            skills.push(json!({ "role": role, "level": level }));
            self.set("skills", json!(skills));
            if !Confirm::new("Another skill?")
                .with_default(false)
                .prompt()?
            {
                return Ok(());
            }
        }
    }

    fn documents(&mut self) -> Result<(), Stop> {
        let reference = self.reference;
        let types = self.multi(
            "Documents you can share",
            "/properties/documentation",
            choices(reference, "/documentation/0/type"),
        )?;
        let mut documents = Vec::new();
        for kind in types {
            let availability = self.select(
                &format!("How can others get the {kind}?"),
                "/properties/documentation/items/properties/availability",
                choices(reference, "/documentation/0/availability"),
            )?;
            let mut document = json!({ "type": kind, "availability": availability });
            if availability == "public" {
                let url = Text::new("Where can it be read (https://…)?")
                    .with_validator(|input: &str| {
                        Ok(
                            if input.starts_with("https://") || input.starts_with("http://") {
                                Validation::Valid
                            } else {
                                Validation::Invalid(
                                    "a public document needs an http(s) URL (NSI209)".into(),
                                )
                            },
                        )
                    })
                    .prompt()?;
                document["url"] = json!(url.trim());
            }
            documents.push(document);
            self.set("documentation", json!(documents));
        }
        Ok(())
    }

    fn contact(&mut self) -> Result<(), Stop> {
        let name = self.text(
            "Contact's name:",
            "/properties/contacts/items/properties/name",
            None,
        )?;
        let role = self.text(
            "Contact's role:",
            "/properties/contacts/items/properties/role",
            Some("Product owner"),
        )?;
        let email = self.text(
            "Contact's work email:",
            "/properties/contacts/items/properties/email",
            None,
        )?;
        // How long the contact stays valid is the author's default (`Author::prepare`), as for
        // an entry written any other way.
        self.set(
            "contacts",
            json!([{ "name": name, "role": role, "email": email.trim() }]),
        );
        Ok(())
    }

    fn closing(&mut self) -> Result<(), Stop> {
        let reference = self.reference;

        let aftercare = self.select(
            "Aftercare you offer:",
            "/properties/aftercare/properties/level",
            choices(reference, "/aftercare/level"),
        )?;
        self.set("aftercare", json!({ "level": aftercare }));
        let visibility = self.select(
            "Who may see the entry?",
            "/properties/visibility",
            choices(reference, "/visibility"),
        )?;
        self.set("visibility", json!(visibility));
        let rationale = self.text(
            "Why does it belong in the index?",
            "/properties/rationale",
            None,
        )?;
        self.set("rationale", json!(rationale));
        Ok(())
    }
}

/// Ask for a new entry on the terminal. `created` and `last_reviewed` are today; the id is
/// left to the caller, which makes it unique. `early` is asked whether to go on once the
/// title, owner and summary are known. However the questions end, the answers given so far
/// come back.
pub fn ask_entry<'c>(
    reference: &Reference,
    today: NaiveDate,
    early: &'c mut EarlyCheck<'c>,
) -> Answers {
    let mut interview = Interview {
        reference,
        answers: Map::new(),
        early,
    };
    let outcome = interview.run();
    let mut entry = interview.answers;
    entry.insert("created".into(), json!(today.to_string()));
    entry.insert("last_reviewed".into(), json!(today.to_string()));
    let entry = Value::Object(entry);
    match outcome {
        Ok(()) => Answers::Complete(entry),
        Err(Stop::Cancelled) => Answers::Cancelled(entry),
        Err(Stop::Stopped) => Answers::Stopped(entry),
        Err(Stop::Failed(error)) => Answers::Failed(entry, error),
    }
}
