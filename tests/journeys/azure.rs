//! The Azure Pipelines doors, run as an agent runs them: `azure-pipelines/review.yml` and
//! `validate.yml`'s own `bash:` steps, with the variables Azure Pipelines defines (non-secret
//! ones as environment variables, `System.AccessToken` only where a step maps it), macros
//! (`$(Agent.TempDirectory)`) expanded in `env:` and `workingDirectory:`, and
//! `##vso[task.setvariable]` read back. The review is posted to a recording Azure DevOps
//! stand-in on 127.0.0.1; the token must reach it and no log.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use super::common::REPO;
use super::common::git::{GitRepo, git_in};
use super::common::http::{LoopbackServer, Reply};
use super::show;

const TOKEN: &str = "azp-c2VjcmV0LWpvdXJuZXktdG9rZW4";

/// A pipeline file, parsed.
struct Pipeline {
    name: String,
    doc: Value,
}

impl Pipeline {
    fn parse(name: &str, text: &str) -> Self {
        let parsed = nsi::catalogue::yaml::parse(text);
        assert!(parsed.problems.is_empty(), "{name}: {:?}", parsed.problems);
        Pipeline {
            name: name.to_owned(),
            doc: parsed.value.expect("a pipeline"),
        }
    }
}

/// One step as run.
#[derive(Debug)]
struct Ran {
    name: String,
    code: i32,
    log: String,
}

/// `$(Name.Part)` macros in `text`, from `variables`.
fn macros(text: &str, variables: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("$(") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find(')').expect("a closed macro") + start;
        let name = &rest[start + 2..end];
        let value = variables
            .get(name)
            .unwrap_or_else(|| panic!("the journey does not know the variable {name}"));
        out.push_str(value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Run `pipeline`'s steps as an agent: `checkout` is played by `checkout`; the others are
/// `bash:` steps. `secret` names the variables an agent never exports on its own.
fn run_pipeline(
    pipeline: &Pipeline,
    variables: &mut BTreeMap<String, String>,
    secret: &[&str],
    bin: &Path,
    checkout: impl Fn(&Value),
) -> Vec<Ran> {
    for (name, value) in pipeline.doc["variables"].as_object().into_iter().flatten() {
        variables.insert(name.clone(), value.as_str().expect("text").to_owned());
    }
    let mut ran = Vec::new();
    for step in pipeline.doc["steps"].as_array().expect("steps") {
        if !step["checkout"].is_null() {
            checkout(step);
            continue;
        }
        let name = step["displayName"].as_str().expect("a name").to_owned();
        let script = step["bash"].as_str().expect("a bash: step");
        assert!(
            !script.contains("${{")
                && !script.contains("$(System.")
                && !script.contains("$(Build.")
                && !script.contains("$(Agent."),
            "{}: step `{name}` pastes a macro into its script; use its environment variable",
            pipeline.name
        );
        // Azure exports every non-secret variable as NAME_IN_CAPITALS.
        let mut env: BTreeMap<String, String> = variables
            .iter()
            .filter(|(k, _)| !secret.contains(&k.as_str()))
            .map(|(k, v)| (k.replace('.', "_").to_uppercase(), v.clone()))
            .collect();
        for (key, value) in step["env"].as_object().into_iter().flatten() {
            env.insert(
                key.clone(),
                macros(value.as_str().expect("text"), variables),
            );
        }
        let dir = step["workingDirectory"].as_str().map_or_else(
            || PathBuf::from(&variables["Build.SourcesDirectory"]),
            |d| PathBuf::from(macros(d, variables)),
        );
        let script_file = Path::new(&variables["Agent.TempDirectory"]).join("step.sh");
        fs::write(&script_file, script).expect("script");
        let output = Command::new("bash")
            .args(["--noprofile", "--norc"])
            .arg(&script_file)
            .current_dir(&dir)
            .env_clear()
            .env(
                "PATH",
                format!(
                    "{}:{}",
                    bin.display(),
                    std::env::var("PATH").unwrap_or_default()
                ),
            )
            .env("HOME", &variables["Agent.TempDirectory"])
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("NSI_UNDER_TEST", assert_cmd::cargo::cargo_bin("nsi"))
            .env("TF_BUILD", "True")
            .envs(&env)
            .output()
            .expect("bash");
        let log = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        for line in log.lines() {
            if let Some(rest) = line.strip_prefix("##vso[task.setvariable variable=")
                && let Some((name, value)) = rest.split_once(']')
            {
                variables.insert(name.to_owned(), value.to_owned());
            }
        }
        let code = output.status.code().unwrap_or(-1);
        show(&format!("azure step: {name} (exit {code})"), &log);
        ran.push(Ran { name, code, log });
        if code != 0 {
            // Later steps run only when earlier ones succeeded (Azure's default condition).
            break;
        }
    }
    ran
}

/// An agent's folders and the variables Azure Pipelines defines for a run.
struct Agent {
    _temp: tempfile::TempDir,
    sources: PathBuf,
    bin: PathBuf,
    variables: BTreeMap<String, String>,
}

impl Agent {
    fn new() -> Self {
        let temp = tempfile::tempdir().expect("agent");
        let sources = temp.path().join("s");
        let agent_temp = temp.path().join("_temp");
        let bin = temp.path().join("bin");
        for dir in [&sources, &agent_temp, &bin] {
            fs::create_dir_all(dir).expect("mkdir");
        }
        super::workflow::write_stand_ins(&bin);
        let variables = BTreeMap::from(
            [
                ("Agent.TempDirectory", agent_temp.display().to_string()),
                ("Build.SourcesDirectory", sources.display().to_string()),
                ("System.AccessToken", TOKEN.to_owned()),
                ("System.TeamProject", "National Solutions Index".to_owned()),
                ("Build.Repository.ID", "0f3c9e1a-repo".to_owned()),
                ("NSI_TODAY", "2026-11-28".to_owned()),
            ]
            .map(|(k, v)| (k.to_owned(), v)),
        );
        Agent {
            _temp: temp,
            sources,
            bin,
            variables,
        }
    }
}

fn entry(id: &str, force: &str) -> String {
    fs::read_to_string(Path::new(REPO).join("tests/data/minimal-entry.yaml"))
        .expect("template")
        .replace("ID", id)
        .replace("FORCE", force)
}

/// The shipped catalogue with the Azure pipelines and poster on `main`, and a pull request
/// `feature` made by `change`.
fn repository(change: impl FnOnce(&GitRepo)) -> GitRepo {
    let repo = GitRepo::shipped();
    for file in [
        "azure-pipelines/review.yml",
        "azure-pipelines/validate.yml",
        "azure-pipelines/post-review.py",
    ] {
        repo.write(
            file,
            &fs::read_to_string(Path::new(REPO).join(file)).expect("pipeline file"),
        );
    }
    repo.commit_all("Azure pipelines", "Gate Keeper", "gk@nsi.police.example");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    change(&repo);
    repo.commit_all("The pull request", "Bea Editor", "bea@force.police.example");
    repo
}

/// What the agent's checkout of a pull request leaves: the merge of the pull request into
/// its target (refs/pull/N/merge), detached, every branch fetched.
fn checkout_merge(repo: &Path, sources: &Path) {
    git_in(sources, &["init", "-q"]);
    let url = format!("file://{}", repo.display());
    git_in(sources, &["remote", "add", "origin", &url]);
    git_in(
        sources,
        &[
            "fetch",
            "-q",
            "origin",
            "+refs/heads/*:refs/remotes/origin/*",
        ],
    );
    git_in(sources, &["checkout", "-q", "--detach", "origin/main"]);
    let merged = super::common::git::git_command(
        sources,
        &[
            "merge",
            "-q",
            "--no-ff",
            "-m",
            "Merge pull request 42",
            "origin/feature",
        ],
    )
    .env("GIT_AUTHOR_NAME", "Azure Repos")
    .env("GIT_AUTHOR_EMAIL", "azure@repos.example")
    .env("GIT_COMMITTER_NAME", "Azure Repos")
    .env("GIT_COMMITTER_EMAIL", "azure@repos.example")
    .output()
    .expect("merge");
    assert!(merged.status.success(), "{merged:?}");
}

#[test]
fn review_yml_posts_the_review_built_from_the_target_branch_as_one_thread() {
    // A hostile pull request: a broken entry, and a poster rewritten to print the token.
    let repo = repository(|repo| {
        repo.write(
            "catalogue/kent/alpha-tool.yaml",
            &entry("alpha-tool", "essex"),
        );
        repo.write(
            "azure-pipelines/post-review.py",
            "import os\nprint('stolen:', os.environ.get('SYSTEM_ACCESSTOKEN'))\n",
        );
    });
    let server = LoopbackServer::start_redacting(Some(TOKEN.to_owned()), |request| {
        match request.method.as_str() {
            "GET" => Reply::json(200, &json!({"value": [], "count": 0})),
            _ => Reply::json(200, &json!({"id": 9})),
        }
    });
    let mut agent = Agent::new();
    agent.variables.insert(
        "System.CollectionUri".into(),
        format!("{}/police-nsi/", server.url),
    );
    agent
        .variables
        .insert("System.PullRequest.PullRequestId".into(), "42".into());
    let pipeline = Pipeline::parse(
        "review.yml",
        &fs::read_to_string(Path::new(REPO).join("azure-pipelines/review.yml")).expect("file"),
    );
    let sources = agent.sources.clone();
    let ran = run_pipeline(
        &pipeline,
        &mut agent.variables,
        &["System.AccessToken"],
        &agent.bin,
        |step| {
            assert_eq!(step["persistCredentials"], false);
            assert_eq!(step["fetchDepth"], 0);
            checkout_merge(repo.path(), &sources);
        },
    );
    for step in &ran {
        assert!(
            !step.log.contains(TOKEN),
            "the token reached the log of {}",
            step.name
        );
    }
    let names: Vec<(&str, i32)> = ran.iter().map(|s| (s.name.as_str(), s.code)).collect();
    assert_eq!(
        names,
        [
            ("Check out the target branch (the judge)", 0),
            ("Build nsi from the target branch", 0),
            ("nsi review", 0),
            ("Post or update the review thread", 0),
            ("Fail when a blocker fails", 1),
        ]
    );
    assert!(
        ran[3].log.contains("posted the review as thread 9"),
        "the target branch's poster ran, not the pull request's: {}",
        ran[3].log
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    let post = &requests[1];
    assert_eq!(post.method, "POST");
    assert_eq!(
        post.path,
        "/police-nsi/National%20Solutions%20Index/_apis/git/repositories/0f3c9e1a-repo/\
         pullRequests/42/threads?api-version=7.1"
    );
    assert_eq!(post.header("authorization"), Some("Bearer <token>"));
    let body: Value = serde_json::from_str(&post.body).expect("JSON");
    let report = body["comments"][0]["content"].as_str().expect("the report");
    show("the thread posted", report);
    assert!(report.starts_with("<!-- nsi-review -->"), "{report}");
    assert!(report.contains("alpha-tool"), "{report}");
    assert!(
        report.contains("azure-pipelines/post-review.py"),
        "the change to the tooling is listed for the gatekeeper: {report}"
    );
    assert_eq!(body["status"], 1, "blockers: the thread stays active");
}

#[test]
fn validate_yml_reports_findings_as_azure_issues_on_their_file_and_line() {
    let repo = repository(|repo| {
        repo.write(
            "catalogue/kent/alpha-tool.yaml",
            &entry("alpha-tool", "essex"),
        );
    });
    let mut agent = Agent::new();
    let pipeline = Pipeline::parse(
        "validate.yml",
        &fs::read_to_string(Path::new(REPO).join("azure-pipelines/validate.yml")).expect("file"),
    );
    let sources = agent.sources.clone();
    let ran = run_pipeline(
        &pipeline,
        &mut agent.variables,
        &["System.AccessToken"],
        &agent.bin,
        |_| checkout_merge(repo.path(), &sources),
    );
    let validate = ran
        .iter()
        .find(|s| s.name.starts_with("nsi validate"))
        .expect("the validate step ran");
    assert_eq!(validate.code, 1, "an error fails the step");
    assert!(
        validate.log.contains(
            "##vso[task.logissue type=error;sourcepath=catalogue/kent/alpha-tool.yaml;\
             linenumber=5;columnnumber=14;code=NSI202]the owner force `essex` differs"
        ),
        "{}",
        validate.log
    );
    assert!(ran.iter().all(|s| !s.log.contains(TOKEN)));
}
