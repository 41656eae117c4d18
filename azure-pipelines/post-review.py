#!/usr/bin/env python3
"""Post `nsi review`'s report as a pull-request thread on Azure DevOps.

    post-review.py REVIEW.md

The report (Markdown, from `nsi review --format markdown`) goes to the pull request as one
thread, found again on the next run by the marker its first line carries (`<!-- nsi-review -->`)
and updated in place, as review.yml does with one comment on GitHub. The thread is left
active while the review has blockers and resolved ("fixed") when it has none.

It carries the report; it decides nothing (nsi does). It is a script, not an nsi subcommand,
because posting needs an HTTPS client that nsi has no other use for, and Python's standard
library is on every Microsoft-hosted agent.

Environment — Azure Pipelines' predefined variables; only the token must be mapped:
  SYSTEM_ACCESSTOKEN                 the pipeline's token ($(System.AccessToken)); never printed
  SYSTEM_COLLECTIONURI               e.g. https://dev.azure.com/police-nsi/
  SYSTEM_TEAMPROJECT                 the project
  BUILD_REPOSITORY_ID                the repository's id
  SYSTEM_PULLREQUEST_PULLREQUESTID   the pull request's id
  NSI_REVIEW_STATUS                  nsi review's exit code (0: no blocker); optional

Exit codes: 0 posted, 1 the service refused or could not be reached, 2 usage.
"""

import base64
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

MARKER = "<!-- nsi-review -->"
API_VERSION = "7.1"
# Azure DevOps' comment-thread status values.
ACTIVE, FIXED = 1, 2
# A text comment (not a system one).
TEXT_COMMENT = 1


class Failure(Exception):
    """A request that failed, already worded for the log (and free of the token)."""


def secrets(token):
    """The token and the forms it travels in, each to be hidden from every message."""
    forms = {token, base64.b64encode((":" + token).encode()).decode()}
    return [s for s in forms if s]


def redact(text, token):
    for secret in secrets(token):
        text = text.replace(secret, "***")
    return text


def say(message, token):
    print(redact(message, token), file=sys.stderr)


def call(method, url, token, body=None):
    """One request to the REST API: the parsed JSON answer, or Failure."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", "Bearer " + token)
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    where = method + " " + urllib.parse.urlsplit(url).path
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace")[:500]
        raise Failure(
            "%s failed: HTTP %s %s: %s" % (where, error.code, error.reason, detail)
        ) from None
    except (urllib.error.URLError, OSError) as error:
        raise Failure("%s failed: %s" % (where, error)) from None
    try:
        return json.loads(text) if text.strip() else {}
    except ValueError:
        raise Failure("%s answered with something that is not JSON" % where) from None


def threads_url(env):
    collection = env["SYSTEM_COLLECTIONURI"]
    if urllib.parse.urlsplit(collection).scheme not in ("http", "https"):
        raise Failure("SYSTEM_COLLECTIONURI is not an http(s) address")
    if not collection.endswith("/"):
        collection += "/"
    pull_request = env["SYSTEM_PULLREQUEST_PULLREQUESTID"]
    if not pull_request.isdigit():
        raise Failure("SYSTEM_PULLREQUEST_PULLREQUESTID is not a number: is this a pull request build?")
    quote = lambda part: urllib.parse.quote(part, safe="")
    return "%s%s/_apis/git/repositories/%s/pullRequests/%s/threads" % (
        collection,
        quote(env["SYSTEM_TEAMPROJECT"]),
        quote(env["BUILD_REPOSITORY_ID"]),
        pull_request,
    )


def own_thread(threads):
    """The thread this script posted before: its first comment starts with the marker."""
    for thread in threads.get("value", []):
        if thread.get("isDeleted"):
            continue
        comments = thread.get("comments") or []
        if comments and (comments[0].get("content") or "").startswith(MARKER):
            return thread, comments[0]
    return None, None


def post(report, env, token):
    url = threads_url(env)
    query = "?api-version=" + API_VERSION
    status = FIXED if env.get("NSI_REVIEW_STATUS", "1") == "0" else ACTIVE
    thread, comment = own_thread(call("GET", url + query, token))
    if thread is None:
        created = call(
            "POST",
            url + query,
            token,
            {
                "comments": [
                    {"parentCommentId": 0, "content": report, "commentType": TEXT_COMMENT}
                ],
                "status": status,
            },
        )
        return "posted the review as thread %s" % created.get("id", "?")
    thread_url = "%s/%s" % (url, thread["id"])
    call("PATCH", "%s/comments/%s%s" % (thread_url, comment["id"], query), token, {"content": report})
    call("PATCH", thread_url + query, token, {"status": status})
    return "updated the review in thread %s" % thread["id"]


def main(argv):
    token = os.environ.get("SYSTEM_ACCESSTOKEN", "")
    if len(argv) != 2:
        say("usage: post-review.py REVIEW.md", token)
        return 2
    if not token:
        say(
            "SYSTEM_ACCESSTOKEN is not set: map it on the step "
            "(env: SYSTEM_ACCESSTOKEN: $(System.AccessToken))",
            token,
        )
        return 2
    needed = [
        "SYSTEM_COLLECTIONURI",
        "SYSTEM_TEAMPROJECT",
        "BUILD_REPOSITORY_ID",
        "SYSTEM_PULLREQUEST_PULLREQUESTID",
    ]
    missing = [name for name in needed if not os.environ.get(name)]
    if missing:
        say("not set: %s (Azure Pipelines sets them on pull request builds)" % ", ".join(missing), token)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as file:
            report = file.read()
    except OSError as error:
        say("cannot read the review: %s" % error, token)
        return 2
    if not report.startswith(MARKER):
        report = MARKER + "\n" + report
    try:
        print(redact(post(report, os.environ, token), token))
    except Failure as failure:
        say("post-review: %s" % failure, token)
        return 1
    except Exception as error:  # never let a traceback (with its locals) reach the log
        say("post-review: unexpected %s" % type(error).__name__, token)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
