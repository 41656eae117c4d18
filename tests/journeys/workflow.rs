//! A small runner of GitHub Actions workflow files, for the journeys: it reads a workflow
//! from `.github/workflows/`, and runs a job's `run:` scripts as a GitHub-hosted runner would
//! — `bash --noprofile --norc -eo pipefail`, the step's and job's `env:` with their
//! `${{ … }}` expressions evaluated from the event, `working-directory`, `if:`, and the
//! `GITHUB_OUTPUT`, `GITHUB_ENV` and `GITHUB_STEP_SUMMARY` files. Steps that `uses:` an action
//! are handed to the test, which plays them (a checkout is a real clone).
//!
//! It runs a composite action (`action.yml`) the same way ([`run_action`]): its `runs.steps`
//! with their `shell: bash`, `inputs.*` from the `with:` given (or the inputs' defaults),
//! `github.action_path`, step outputs and the action's `outputs:`, and `GITHUB_PATH`.
//!
//! It reads the workflow files themselves, so a test breaks when a workflow drifts: an
//! expression it does not know, a condition it cannot evaluate, or `${{ … }}` inside a `run:`
//! script (an injection risk) all fail the test.
//!
//! Two stand-ins are put first on `PATH`, because the runner has no GitHub and no need to
//! rebuild nsi: `gh` records each call (and the body it would post) under the run's folder,
//! answering from `GH_FAKE_*` variables; `cargo` turns `cargo build --locked --release` into
//! a link to the nsi under test and `cargo run --locked --release -- ARGS` into running it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// A workflow file, parsed.
pub struct Workflow {
    /// The file's name, for messages.
    pub name: String,
    pub(crate) doc: Value,
}

impl Workflow {
    /// Parse workflow text (YAML) named `name`.
    pub fn parse(name: &str, text: &str) -> Self {
        let parsed = nsi::catalogue::yaml::parse(text);
        assert!(
            parsed.problems.is_empty(),
            "{name} is not plain YAML: {:?}",
            parsed.problems
        );
        Workflow {
            name: name.to_owned(),
            doc: parsed.value.expect("a workflow"),
        }
    }

    /// Read `.github/workflows/<file>` of the repository under test.
    pub fn read(file: &str) -> Self {
        let path = Path::new(crate::common::REPO)
            .join(".github/workflows")
            .join(file);
        Self::parse(file, &fs::read_to_string(&path).expect("workflow file"))
    }

    /// The events that trigger it (the keys of `on:`).
    pub fn triggers(&self) -> Vec<String> {
        match &self.doc["on"] {
            Value::Object(map) => map.keys().cloned().collect(),
            Value::String(one) => vec![one.clone()],
            Value::Array(many) => many
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            other => panic!("{}: `on:` is {other}", self.name),
        }
    }

    /// The shell `defaults:` set for job `id`'s scripts, after checking that the workflow and
    /// the job hold only what the runner plays.
    fn shell_of(&self, id: &str) -> Option<&str> {
        let job = self.job(id);
        known_keys(&self.doc, WORKFLOW_KEYS, &self.name);
        known_keys(job, JOB_KEYS, &format!("{} job {id}", self.name));
        self.doc["defaults"]["run"]["shell"]
            .as_str()
            .or_else(|| job["defaults"]["run"]["shell"].as_str())
    }

    /// The activity types an event is limited to (`types:`), empty when it is not.
    pub fn triggers_with_types(&self, event: &str) -> Vec<String> {
        self.doc["on"][event]["types"]
            .as_array()
            .map(|types| {
                types
                    .iter()
                    .filter_map(|t| t.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The job with this id.
    pub fn job(&self, id: &str) -> &Value {
        let job = &self.doc["jobs"][id];
        assert!(job.is_object(), "{} has no job `{id}`", self.name);
        job
    }

    /// The permissions at the top of the file.
    pub fn permissions(&self) -> &Value {
        &self.doc["permissions"]
    }
}

/// What a run knows of the event and the repository: `github.*` values by dotted name
/// (`github.event.pull_request.number`), and the outputs of jobs already run (`needs.*`).
#[derive(Default, Clone)]
pub struct Context {
    /// `github.*` expressions and their values.
    pub github: BTreeMap<String, String>,
    /// `needs.<job>.outputs.<name>` values.
    pub needs: BTreeMap<String, String>,
    /// Variables every step sees (the runner's own environment, e.g. its date for nsi).
    pub runner_env: BTreeMap<String, String>,
    /// `inputs.*` of a composite action (filled from the action's defaults by [`run_action`]).
    pub inputs: BTreeMap<String, String>,
}

/// One step as run.
#[derive(Debug)]
pub struct StepRun {
    /// Its name (or what it uses).
    pub name: String,
    /// Whether it ran (its `if:` held).
    #[allow(dead_code, reason = "shown when a journey fails")]
    pub ran: bool,
    /// Its exit code (0 for a `uses:` step played by the test).
    pub code: i32,
    /// What it printed.
    pub stdout: String,
    /// What it printed on stderr.
    pub stderr: String,
}

/// A job as run.
pub struct JobRun {
    /// Each step.
    pub steps: Vec<StepRun>,
    /// Whether every step that ran succeeded.
    pub success: bool,
    /// The job's outputs, evaluated.
    pub outputs: BTreeMap<String, String>,
    /// The step summary written.
    pub summary: String,
    /// Where the run's files are (the fake `gh`'s log, the output files).
    pub run_dir: PathBuf,
    /// Removes them when the run is dropped.
    _folder: tempfile::TempDir,
}

impl JobRun {
    /// Every call the fake `gh` received, in order: its arguments, one per line, and the
    /// body of a `-F body=@FILE` after a line `--- body`.
    pub fn gh_calls(&self) -> Vec<String> {
        let log = self.run_dir.join("gh");
        let mut calls: Vec<(u32, String)> = fs::read_dir(&log)
            .map(|dir| {
                dir.filter_map(Result::ok)
                    .map(|e| {
                        let n = e
                            .file_name()
                            .to_string_lossy()
                            .parse::<u32>()
                            .expect("numbered");
                        (n, fs::read_to_string(e.path()).expect("call"))
                    })
                    .collect()
            })
            .unwrap_or_default();
        calls.sort();
        calls.into_iter().map(|(_, call)| call).collect()
    }

    /// The step named `name`.
    pub fn step(&self, name: &str) -> &StepRun {
        self.steps
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no step named {name}: {:?}", self.steps))
    }
}

/// A `uses:` step, handed to the test: the action (`actions/checkout@…`), its `with:` inputs
/// (expressions evaluated) and the job's workspace.
pub struct Uses<'a> {
    /// `owner/name@ref` (the ref dropped: `actions/checkout`).
    pub action: String,
    /// The pinned ref.
    pub reference: String,
    /// The `with:` inputs.
    pub with: BTreeMap<String, String>,
    /// The job's workspace (`GITHUB_WORKSPACE`).
    pub workspace: &'a Path,
}

/// Run job `id` of `workflow` in `workspace` (a fresh folder, as a runner's), with `context`;
/// `uses` plays each action step.
pub fn run_job(
    workflow: &Workflow,
    id: &str,
    workspace: &Path,
    context: &Context,
    mut uses: impl FnMut(&Uses<'_>),
) -> JobRun {
    let job = workflow.job(id);
    let shell = workflow.shell_of(id);
    let folder = runner_folder();
    let run_dir = folder.path().to_path_buf();
    let output_file = run_dir.join("output");
    let env_file = run_dir.join("env");
    let summary_file = run_dir.join("summary");
    let mut outputs: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut added_env: BTreeMap<String, String> = BTreeMap::new();
    let mut steps = Vec::new();
    let mut failed = false;
    let job_env = object(&job["env"]);
    for step in job["steps"].as_array().expect("steps") {
        known_keys(step, STEP_KEYS, &format!("{} job {id}", workflow.name));
        let name = step["name"]
            .as_str()
            .or_else(|| step["uses"].as_str())
            .unwrap_or("(unnamed)")
            .to_owned();
        let condition = step["if"].as_str().unwrap_or("success()");
        let eval = |text: &str| expand(text, context, &outputs, &workflow.name);
        if !holds(condition, failed, &eval) {
            steps.push(StepRun {
                name,
                ran: false,
                code: 0,
                stdout: String::new(),
                stderr: String::new(),
            });
            continue;
        }
        if let Some(action) = step["uses"].as_str() {
            let (action, reference) = action.split_once('@').expect("a pinned action");
            let with = object(&step["with"])
                .into_iter()
                .map(|(k, v)| (k, eval(&v)))
                .collect();
            uses(&Uses {
                action: action.to_owned(),
                reference: reference.to_owned(),
                with,
                workspace,
            });
            steps.push(StepRun {
                name,
                ran: true,
                code: 0,
                stdout: String::new(),
                stderr: String::new(),
            });
            continue;
        }
        let script = step["run"].as_str().expect("a run: step");
        assert!(
            !script.contains("${{"),
            "{}: step `{name}` puts an expression straight into its script; pass it through env:",
            workflow.name
        );
        let dir = step["working-directory"]
            .as_str()
            .map_or_else(|| workspace.to_path_buf(), |d| workspace.join(d));
        let mut env: BTreeMap<String, String> = context.runner_env.clone();
        for (key, value) in job_env.iter().chain(&object(&step["env"])) {
            env.insert(key.clone(), eval(value));
        }
        env.extend(added_env.clone());
        if let Some(repository) = context.github.get("github.repository") {
            env.insert("GITHUB_REPOSITORY".into(), repository.clone());
        }
        fs::write(&output_file, "").expect("output file");
        let shell = step["shell"].as_str().or(shell);
        let output = run_script(script, shell, &dir, workspace, &run_dir, &env);
        let code = output.status.code().unwrap_or(-1);
        if let Some(step_id) = step["id"].as_str() {
            outputs.insert(step_id.to_owned(), key_values(&output_file));
        }
        added_env.extend(key_values(&env_file));
        failed |= code != 0;
        steps.push(StepRun {
            name,
            ran: true,
            code,
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        });
    }
    let job_outputs = object(&job["outputs"])
        .into_iter()
        .map(|(k, v)| (k, expand(&v, context, &outputs, &workflow.name)))
        .collect();
    JobRun {
        steps,
        success: !failed,
        outputs: job_outputs,
        summary: fs::read_to_string(&summary_file).unwrap_or_default(),
        run_dir,
        _folder: folder,
    }
}

/// A folder for one job's run: the stand-ins in `bin/`, the fake `gh`'s log in `gh/`.
fn runner_folder() -> tempfile::TempDir {
    let folder = tempfile::Builder::new()
        .prefix("runner-")
        .tempdir()
        .expect("run dir");
    fs::create_dir_all(folder.path().join("bin")).expect("bin");
    fs::create_dir_all(folder.path().join("gh")).expect("gh log");
    write_stand_ins(&folder.path().join("bin"));
    folder
}

/// The keys of a workflow, a job and a step that the runner plays; any other key fails the
/// journey, so that the runner never silently skips what GitHub would do.
const WORKFLOW_KEYS: &[&str] = &[
    "name",
    "on",
    "permissions",
    "concurrency",
    "defaults",
    "jobs",
];
const JOB_KEYS: &[&str] = &[
    "name",
    "runs-on",
    "timeout-minutes",
    "permissions",
    "steps",
    "outputs",
    "needs",
    "environment",
    "env",
];
const STEP_KEYS: &[&str] = &[
    "name",
    "id",
    "if",
    "uses",
    "with",
    "run",
    "env",
    "working-directory",
    "shell",
];

fn known_keys(value: &Value, known: &[&str], what: &str) {
    for key in value.as_object().map(|m| m.keys()).into_iter().flatten() {
        assert!(
            known.contains(&key.as_str()),
            "{what}: the journey's runner does not play `{key}`"
        );
    }
}

/// Run one `run:` script as the runner does, in `dir`, with the runner's variables and `env`:
/// `shell: bash` is `bash --noprofile --norc -eo pipefail`, no shell `bash -e`, as GitHub
/// documents for its Linux runners.
fn run_script(
    script: &str,
    shell: Option<&str>,
    dir: &Path,
    workspace: &Path,
    run_dir: &Path,
    env: &BTreeMap<String, String>,
) -> std::process::Output {
    run_script_with_path(script, shell, dir, workspace, run_dir, env, &[])
}

/// [`run_script`], with folders added to `GITHUB_PATH` by earlier steps first on `PATH`.
fn run_script_with_path(
    script: &str,
    shell: Option<&str>,
    dir: &Path,
    workspace: &Path,
    run_dir: &Path,
    env: &BTreeMap<String, String>,
    added_path: &[String],
) -> std::process::Output {
    let script_file = run_dir.join("step.sh");
    fs::write(&script_file, script).expect("script");
    let flags: &[&str] = match shell {
        Some("bash") => &["--noprofile", "--norc", "-eo", "pipefail"],
        None => &["-e"],
        Some(other) => panic!("the journey's runner does not play `shell: {other}`"),
    };
    Command::new("bash")
        .args(flags)
        .arg(&script_file)
        .current_dir(dir)
        .env_clear()
        .env(
            "PATH",
            added_path
                .iter()
                .rev()
                .cloned()
                .chain([
                    run_dir.join("bin").display().to_string(),
                    std::env::var("PATH").unwrap_or_default(),
                ])
                .collect::<Vec<_>>()
                .join(":"),
        )
        .env("HOME", run_dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("CI", "true")
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_WORKSPACE", workspace)
        .env("GITHUB_OUTPUT", run_dir.join("output"))
        .env("GITHUB_ENV", run_dir.join("env"))
        .env("GITHUB_STEP_SUMMARY", run_dir.join("summary"))
        .env("GITHUB_PATH", run_dir.join("path"))
        .env("RUNNER_TEMP", run_dir)
        .env("NSI_UNDER_TEST", assert_cmd::cargo::cargo_bin("nsi"))
        .env("GH_LOG", run_dir.join("gh"))
        .envs(env)
        .output()
        .expect("bash")
}

/// A composite action's metadata (`action.yml`), parsed.
pub struct Action {
    /// The file's name, for messages.
    pub name: String,
    doc: Value,
}

impl Action {
    /// Read `file` (e.g. `action.yml`) at the root of the repository under test.
    pub fn read(file: &str) -> Self {
        let path = Path::new(crate::common::REPO).join(file);
        let parsed = nsi::catalogue::yaml::parse(&fs::read_to_string(&path).expect("action file"));
        assert!(
            parsed.problems.is_empty(),
            "{file} is not plain YAML: {:?}",
            parsed.problems
        );
        Action {
            name: file.to_owned(),
            doc: parsed.value.expect("an action"),
        }
    }

    /// The inputs a step `with:` these values gets: each must be declared; the others take
    /// their defaults.
    fn inputs_with(&self, with: &BTreeMap<String, String>) -> BTreeMap<String, String> {
        let mut inputs = self.inputs();
        for (name, value) in with {
            assert!(
                inputs.contains_key(name),
                "{} has no input `{name}`",
                self.name
            );
            inputs.insert(name.clone(), value.clone());
        }
        inputs
    }

    /// The action's `outputs:`, evaluated after its steps ran.
    fn outputs(
        &self,
        context: &Context,
        steps: &BTreeMap<String, BTreeMap<String, String>>,
    ) -> BTreeMap<String, String> {
        self.doc["outputs"]
            .as_object()
            .map(|declared| {
                declared
                    .iter()
                    .map(|(name, output)| {
                        let value = output["value"].as_str().unwrap_or_default();
                        (name.clone(), expand(value, context, steps, &self.name))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The script of composite step `step` named `name`, once it is known to be one the
    /// runner plays: a `run:` with `shell: bash`, no other action, no expression inside.
    fn script_of<'a>(&self, step: &'a Value, name: &str) -> &'a str {
        known_keys(step, STEP_KEYS, &format!("{}: step `{name}`", self.name));
        assert!(
            step["uses"].is_null(),
            "{}: step `{name}` uses another action, which the journey does not play",
            self.name
        );
        assert_eq!(
            step["shell"], "bash",
            "{}: a composite step names its shell",
            self.name
        );
        let script = step["run"].as_str().expect("a run: step");
        assert!(
            !script.contains("${{"),
            "{}: step `{name}` puts an expression straight into its script; pass it through env:",
            self.name
        );
        script
    }

    /// The declared inputs and their defaults.
    pub fn inputs(&self) -> BTreeMap<String, String> {
        self.doc["inputs"]
            .as_object()
            .map(|inputs| {
                inputs
                    .iter()
                    .map(|(name, input)| {
                        let default = match &input["default"] {
                            Value::String(s) => s.clone(),
                            Value::Null => String::new(),
                            other => other.to_string(),
                        };
                        (name.clone(), default)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Run composite `action` as a step that `uses:` it would: `with` are its inputs (each must be
/// declared; the others take their defaults), `action_path` its checkout (`github.action_path`),
/// in `workspace`, with `context`. The action's `outputs:` come back as the run's outputs.
pub fn run_action(
    action: &Action,
    with: &BTreeMap<String, String>,
    action_path: &Path,
    workspace: &Path,
    context: &Context,
) -> JobRun {
    assert_eq!(
        action.doc["runs"]["using"], "composite",
        "{} is a composite action",
        action.name
    );
    let mut context = context.clone();
    context.inputs = action.inputs_with(with);
    context.github.insert(
        "github.action_path".to_owned(),
        action_path.display().to_string(),
    );
    let folder = runner_folder();
    let run_dir = folder.path().to_path_buf();
    let (output_file, env_file, path_file) = (
        run_dir.join("output"),
        run_dir.join("env"),
        run_dir.join("path"),
    );
    let mut outputs: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut added_env: BTreeMap<String, String> = BTreeMap::new();
    let mut added_path: Vec<String> = Vec::new();
    let mut steps = Vec::new();
    let mut failed = false;
    for step in action.doc["runs"]["steps"].as_array().expect("steps") {
        let name = step["name"].as_str().unwrap_or("(unnamed)").to_owned();
        let condition = step["if"].as_str().unwrap_or("success()");
        let eval = |text: &str| expand(text, &context, &outputs, &action.name);
        if !holds(condition, failed, &eval) {
            steps.push(StepRun {
                name,
                ran: false,
                code: 0,
                stdout: String::new(),
                stderr: String::new(),
            });
            continue;
        }
        let script = action.script_of(step, &name);
        let dir = step["working-directory"]
            .as_str()
            .map_or_else(|| workspace.to_path_buf(), |d| workspace.join(eval(d)));
        let mut env: BTreeMap<String, String> = context.runner_env.clone();
        for (key, value) in object(&step["env"]) {
            env.insert(key, eval(&value));
        }
        env.extend(added_env.clone());
        env.insert(
            "GITHUB_ACTION_PATH".into(),
            action_path.display().to_string(),
        );
        fs::write(&output_file, "").expect("output file");
        let output = run_script_with_path(
            script,
            Some("bash"),
            &dir,
            workspace,
            &run_dir,
            &env,
            &added_path,
        );
        let code = output.status.code().unwrap_or(-1);
        if let Some(step_id) = step["id"].as_str() {
            outputs.insert(step_id.to_owned(), key_values(&output_file));
        }
        added_env.extend(key_values(&env_file));
        added_path = fs::read_to_string(&path_file)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect();
        failed |= code != 0;
        steps.push(StepRun {
            name,
            ran: true,
            code,
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        });
    }
    let action_outputs = action.outputs(&context, &outputs);
    JobRun {
        steps,
        success: !failed,
        outputs: action_outputs,
        summary: fs::read_to_string(run_dir.join("summary")).unwrap_or_default(),
        run_dir,
        _folder: folder,
    }
}

/// A mapping of strings (`env:`, `with:`, `outputs:`), values as text.
fn object(value: &Value) -> BTreeMap<String, String> {
    value
        .as_object()
        .map(|map| {
            map.iter()
                .map(|(k, v)| {
                    let text = match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (k.clone(), text)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `key=value` lines (and `key<<DELIMITER` blocks) of a `GITHUB_OUTPUT` or `GITHUB_ENV` file.
fn key_values(path: &Path) -> BTreeMap<String, String> {
    let text = fs::read_to_string(path).unwrap_or_default();
    let mut out = BTreeMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((key, delimiter)) = line.split_once("<<") {
            let value: Vec<&str> = lines.by_ref().take_while(|l| *l != delimiter).collect();
            out.insert(key.to_owned(), value.join("\n"));
        } else if let Some((key, value)) = line.split_once('=') {
            out.insert(key.to_owned(), value.to_owned());
        }
    }
    out
}

/// `text` with each `${{ … }}` replaced by its value.
fn expand(
    text: &str,
    context: &Context,
    outputs: &BTreeMap<String, BTreeMap<String, String>>,
    workflow: &str,
) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").expect("closed expression") + start;
        let expression = rest[start + 3..end].trim();
        out.push_str(&value_of(expression, context, outputs, workflow));
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

fn value_of(
    expression: &str,
    context: &Context,
    outputs: &BTreeMap<String, BTreeMap<String, String>>,
    workflow: &str,
) -> String {
    if let Some(value) = context.github.get(expression) {
        return value.clone();
    }
    if let Some(value) = context.needs.get(expression) {
        return value.clone();
    }
    if let Some(name) = expression.strip_prefix("inputs.")
        && let Some(value) = context.inputs.get(name)
    {
        return value.clone();
    }
    if let Some(rest) = expression.strip_prefix("steps.") {
        let (step, key) = rest.split_once(".outputs.").expect("steps.ID.outputs.KEY");
        return outputs
            .get(step)
            .and_then(|o| o.get(key))
            .cloned()
            .unwrap_or_default();
    }
    panic!("{workflow}: the journey does not know the expression `{expression}`")
}

/// Whether an `if:` condition holds: `success()`, `failure()`, `always()`, and comparisons of
/// an expression with a quoted string, joined by `&&`.
fn holds(condition: &str, failed: bool, eval: &dyn Fn(&str) -> String) -> bool {
    let condition = condition
        .trim()
        .trim_start_matches("${{")
        .trim_end_matches("}}");
    let mut explicit_status = false;
    let mut result = true;
    for term in condition.split("&&").map(str::trim) {
        let value = match term {
            "success()" => {
                explicit_status = true;
                !failed
            }
            "failure()" => {
                explicit_status = true;
                failed
            }
            "always()" => {
                explicit_status = true;
                true
            }
            _ => {
                let (left, op, right) = if let Some((l, r)) = term.split_once("!=") {
                    (l, "!=", r)
                } else if let Some((l, r)) = term.split_once("==") {
                    (l, "==", r)
                } else {
                    panic!("the journey cannot evaluate the condition `{term}`")
                };
                let left = eval(&format!("${{{{ {} }}}}", left.trim()));
                let right = right.trim().trim_matches('\'');
                (left == right) == (op == "==")
            }
        };
        result &= value;
    }
    // Without success(), failure() or always(), a condition also needs the job to be passing.
    if explicit_status {
        result
    } else {
        result && !failed
    }
}

/// The fake `gh` and `cargo` (see the module's documentation).
pub(crate) fn write_stand_ins(bin: &Path) {
    let gh = r#"#!/usr/bin/env bash
# Records the call; answers a comments listing and an issue listing from GH_FAKE_* variables.
set -eu
n=$(ls "$GH_LOG" | wc -l)
call="$GH_LOG/$((n + 1))"
printf '%s\n' "$@" > "$call"
previous=""
for arg in "$@"; do
  if [ "$previous" = "-F" ] || [ "$previous" = "--body-file" ]; then
    file="${arg#body=@}"
    if [ -f "$file" ]; then
      printf -- '--- body\n' >> "$call"
      cat "$file" >> "$call"
    fi
  fi
  previous="$arg"
done
case "$*" in
  *"--paginate repos/"*"/issues/${GH_FAKE_PR:-none}/comments"*)
    if [ -n "${GH_FAKE_COMMENT_ID:-}" ]; then echo "$GH_FAKE_COMMENT_ID"; fi ;;
  "issue list"*)
    if [ -n "${GH_FAKE_ISSUE:-}" ]; then echo "$GH_FAKE_ISSUE"; fi ;;
esac
"#;
    let cargo = r#"#!/usr/bin/env bash
# nsi under test stands in for the one cargo would build from this checkout.
set -eu
case "$*" in
  "build --locked --release")
    mkdir -p target/release
    ln -sf "$NSI_UNDER_TEST" target/release/nsi ;;
  "run --locked --release -- "*)
    shift 4
    exec "$NSI_UNDER_TEST" "$@" ;;
  "run --locked --quiet -- "*)
    shift 4
    exec "$NSI_UNDER_TEST" "$@" ;;
  *)
    echo "the journey's cargo does not know: cargo $*" >&2
    exit 99 ;;
esac
"#;
    for (name, text) in [("gh", gh), ("cargo", cargo)] {
        let path = bin.join(name);
        fs::write(&path, text).expect("stand-in");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod");
        }
    }
}
