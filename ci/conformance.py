#!/usr/bin/env python3
"""Conformance run of the codepipeline-job CLI against the CodePipeline referee.

The referee (../shared/referee/codepipeline_referee.py) must already listen at --base-url, started with the
credentials AKIDJENKINSLAB:labSecretKey and ASIAJENKINSLAB:tempSecret:theSessionToken. Every scenario creates
its own jobs through the referee's admin API, runs `java -jar codepipeline-job.jar`, and checks the exit code,
stdout (the AWS request id the referee recorded), stderr keywords, the job's final state at the referee, the
recorded request bodies, and that no recorded request of the scenario has findings.

The artifact scenarios also need S3Proxy (--s3-endpoint, --s3-identity, --s3-credential): a real S3 API server that
checks SigV4 signatures, as the pipeline's artifact store. Their jobs hand out S3Proxy's identity as artifact
credentials, with a session token of their own; the scenarios put input objects and read output objects back with
botocore, as the stages around the action would.

Prints `PASS name` or `FAIL name: why` per scenario and closes with `N passed, M failed`; exits 1 when a scenario
failed. Python 3 standard library, plus botocore for the artifact scenarios.
"""
import argparse
import datetime
import io
import json
import os
import re
import signal
import stat
import subprocess
import sys
import tarfile
import tempfile
import time
import traceback
import urllib.error
import urllib.request
import uuid
import zipfile

KEY_ID, SECRET = 'AKIDJENKINSLAB', 'labSecretKey'
TEMP_KEY_ID, TEMP_SECRET, TOKEN = 'ASIAJENKINSLAB', 'tempSecret', 'theSessionToken'
LIMIT = 122880
REVISION_CREATED = '2026-11-25T10:00:00Z'
REVISION_CREATED_EPOCH = 1795600800


class Failed(Exception):
    pass


class Referee:
    def __init__(self, base_url):
        self.base = base_url.rstrip('/')
        # the admin API is on loopback: never through a proxy from the environment
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def admin(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f'{self.base}/_referee/{path}', data=data, method=method,
                                     headers={'Content-Type': 'application/json'})
        try:
            with self.opener.open(req, timeout=30) as resp:
                return json.loads(resp.read() or b'{}')
        except urllib.error.HTTPError as e:
            raise Failed(f'referee admin {method} {path} answered {e.code}: {e.read()[:300]!r}')

    def new_job(self, region='us-east-1', status='InProgress', **extra):
        return self.admin('POST', 'jobs', dict(status=status, region=region, **extra))['jobId']

    def job(self, job_id):
        return self.admin('GET', f'jobs/{job_id}')

    def requests(self, since=0):
        return self.admin('GET', f'requests?since={since}')['requests']

    def last_seq(self):
        recs = self.requests()
        return recs[-1]['seq'] if recs else 0


class Cli:
    def __init__(self, jar, base_url, java, workdir):
        self.jar, self.base, self.java, self.workdir = jar, base_url, java, workdir

    def environment(self, key=(KEY_ID, SECRET), token=None, env=None):
        # a bare environment: nothing of this machine's AWS set-up, proxies or variables leaks in
        clean = {k: os.environ[k] for k in ('PATH', 'HOME', 'JAVA_HOME', 'LANG', 'LC_ALL', 'TMPDIR')
                 if k in os.environ}
        if not clean.get('LANG') and not clean.get('LC_ALL'):
            # the JVM decodes its arguments with the locale's charset: ASCII in the C locale
            clean['LANG'] = 'C.UTF-8'
        clean.update(AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
                     AWS_EC2_METADATA_DISABLED='true')
        if key:
            clean.update(AWS_ACCESS_KEY_ID=key[0], AWS_SECRET_ACCESS_KEY=key[1])
        if token:
            clean['AWS_SESSION_TOKEN'] = token
        clean.update(env or {})
        return clean

    def run(self, args, key=(KEY_ID, SECRET), token=None, env=None, endpoint=True, timeout=180):
        """Runs the CLI; returns (exit code, stdout, stderr)."""
        argv = [self.java, '-jar', self.jar] + list(args)
        if endpoint:
            argv += ['--endpoint-url', self.base]
        p = subprocess.run(argv, env=self.environment(key, token, env), capture_output=True, text=True,
                           encoding='utf-8', timeout=timeout, cwd=self.workdir)
        return p.returncode, p.stdout, p.stderr

    def start(self, args, out, err, env=None):
        """Starts the CLI in the background (its own process group), stdout and stderr to the given files."""
        return subprocess.Popen([self.java, '-jar', self.jar] + list(args), env=self.environment(env=env),
                                stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=self.workdir,
                                start_new_session=True)


class Scenario:
    """One scenario: its checks collect failures instead of stopping at the first."""

    def __init__(self, ctx, name):
        self.ctx, self.name = ctx, name
        self.problems = []
        self.cleanups = []  # run after the scenario, whatever happened (background workers)
        self.start_seq = ctx.referee.last_seq()
        self.rc = self.out = self.err = None

    # ---- running
    def cli(self, *args, **kw):
        self.rc, self.out, self.err = self.ctx.cli.run(list(args), **kw)
        return self.rc, self.out, self.err

    # ---- checks
    def check(self, condition, why):
        if not condition:
            self.problems.append(why)
        return condition

    def expect_rc(self, rc):
        return self.check(self.rc == rc, f'exit code {self.rc}, expected {rc}; stderr: {tail(self.err)}')

    def expect_err(self, *keywords):
        for k in keywords:
            self.check(k.lower() in self.err.lower(), f'stderr lacks {k!r}: {tail(self.err)}')

    def expect_no_stdout(self):
        self.check(self.out == '', f'stdout should be empty, is {self.out[:200]!r}')

    def records(self, job_id=None):
        recs = self.ctx.referee.requests(self.start_seq)
        if job_id is not None:
            recs = [r for r in recs if isinstance(r.get('body'), dict) and r['body'].get('jobId') == job_id]
        return recs

    def expect_status(self, job_id, status):
        job = self.ctx.referee.job(job_id)
        self.check(job['status'] == status, f'job {job_id} is {job["status"]}, expected {status}')
        return job

    def expect_request_id_on_stdout(self, job_id):
        """stdout is exactly the request id of the job's last answered request, on its own line."""
        history = self.ctx.referee.job(job_id)['history']
        answered = [h for h in history if h['status'] is not None]
        if not self.check(answered, f'the referee recorded no answered request for job {job_id}'):
            return None
        want = answered[-1]['requestId']
        recorded = {r['requestId'] for r in self.records(job_id)}
        self.check(want in recorded, f'request id {want} is not among the recorded requests of the scenario')
        self.check(self.out == want + '\n',
                   f'stdout is {self.out!r}, expected the recorded request id {want!r} alone on its line')
        return answered[-1]

    def expect_verdicts(self, job_id, verdicts):
        seen = [r['verdict'] for r in self.records(job_id)]
        self.check(seen == verdicts, f'recorded verdicts {seen}, expected {verdicts}')

    def expect_nothing_sent(self, job_id=None):
        recs = self.records(job_id)
        self.check(not recs, f'{len(recs)} request(s) recorded, expected none: '
                             f'{[(r["operation"], r["verdict"]) for r in recs]}')

    def last_body(self, job_id):
        recs = [r for r in self.records(job_id) if r['verdict'] in ('ok', 'ok:response-lost')]
        if not self.check(recs, f'no accepted request recorded for job {job_id}'):
            return {}
        return recs[-1]['body']

    def finish(self):
        """The checks every scenario gets: no recorded request has findings, no secret on stdout/stderr."""
        for r in self.records():
            if r.get('findings'):
                self.problems.append(f'request seq {r["seq"]} ({r["operation"]}, {r["verdict"]}) has findings: '
                                     f'{r["findings"]}')
            if r.get('verdict') == 'RefereeBug':
                self.problems.append(f'referee bug on seq {r["seq"]}: {r.get("response")}')
        for stream, text in (('stdout', self.out), ('stderr', self.err)):
            if text and (SECRET in text or TEMP_SECRET in text or TOKEN in text):
                self.problems.append(f'{stream} shows a secret')


def tail(text, n=400):
    text = (text or '').strip().replace('\n', ' | ')
    return text if len(text) <= n else '…' + text[-n:]


class Context:
    def __init__(self, referee, cli, workdir, dispatch_timeout=30.0, s3=None):
        self.referee, self.cli, self.workdir = referee, cli, workdir
        self.dispatch_timeout = dispatch_timeout
        self.s3 = s3  # the artifact store (S3Proxy), or None when not given

    def file(self, name, content):
        path = os.path.join(self.workdir, name)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(content)
        return path


SCENARIOS = []


def scenario(name):
    def register(fn):
        SCENARIOS.append((name, fn))
        return fn
    return register


# ------------------------------------------------------------------------------------------------ success

@scenario('success with every field')
def success_every_field(s):
    job = s.ctx.referee.new_job()
    s.cli('success', '--job-id', job, '--region', 'us-east-1',
          '--revision', '0123abcdef', '--change-identifier', 'change-42', '--revision-summary', 'Fix the build – ü',
          '--revision-created', REVISION_CREATED, '--summary', 'Built and tested', '--external-execution-id',
          'jenkins-17', '--percent-complete', '100', '--output-variable', 'COMMIT=0123abcdef',
          '--output-variable', 'URL=https://ci.example/job/17?a=b=c', '--output-variable', 'EMPTY=')
    s.expect_rc(0)
    s.expect_request_id_on_stdout(job)
    s.expect_err('Reported success for job ' + job, 'AWS request id', 'COMMIT', 'URL', 'EMPTY')
    s.check('https://ci.example' not in s.err, 'stderr shows a variable value')
    s.expect_status(job, 'Succeeded')
    body = s.last_body(job)
    rev, det = body.get('currentRevision', {}), body.get('executionDetails', {})
    s.check(rev.get('revision') == '0123abcdef' and rev.get('changeIdentifier') == 'change-42'
            and rev.get('revisionSummary') == 'Fix the build – ü', f'currentRevision recorded as {rev}')
    s.check(rev.get('created') == REVISION_CREATED_EPOCH, f'created recorded as {rev.get("created")!r}, '
                                                          f'expected {REVISION_CREATED_EPOCH}')
    s.check(det == {'summary': 'Built and tested', 'externalExecutionId': 'jenkins-17', 'percentComplete': 100},
            f'executionDetails recorded as {det}')
    s.check(body.get('outputVariables') == {'COMMIT': '0123abcdef', 'URL': 'https://ci.example/job/17?a=b=c',
                                            'EMPTY': ''}, f'outputVariables recorded as {body.get("outputVariables")}')
    s.check('continuationToken' not in body, 'continuationToken sent though not given')
    recs = s.records(job)
    s.check(len(recs) == 1 and recs[0]['accessKeyId'] == KEY_ID and recs[0]['operation'] == 'PutJobSuccessResult',
            f'expected one PutJobSuccessResult signed by {KEY_ID}, got {[(r["operation"], r["accessKeyId"]) for r in recs]}')


@scenario('minimal success (job id only)')
def success_minimal(s):
    job = s.ctx.referee.new_job()
    s.cli('success', '--job-id', job)
    s.expect_rc(0)
    s.expect_request_id_on_stdout(job)
    s.expect_status(job, 'Succeeded')
    body = s.last_body(job)
    s.check(body == {'jobId': job}, f'recorded body {body}, expected only the jobId')


def variables_from_file(s, name, content, expected, extra=()):
    job = s.ctx.referee.new_job()
    path = s.ctx.file(name, content)
    s.cli('success', '--job-id', job, '--output-variables-file', path, *extra)
    s.expect_rc(0)
    s.expect_request_id_on_stdout(job)
    s.expect_status(job, 'Succeeded')
    got = s.last_body(job).get('outputVariables')
    s.check(got == expected, f'outputVariables recorded as {got}, expected {expected}')
    s.check(list((got or {}).keys()) == list(expected.keys()), f'order {list((got or {}).keys())}')
    s.expect_err(*expected.keys())


@scenario('output variables from a .properties file')
def variables_properties(s):
    variables_from_file(s, 'vars.properties',
                        '# build\nBUILD_ID = 17\nMESSAGE: hello world\nPATH_X=C:\\\\tools\\\\bin\nUNICODE=\\u00e9t\\u00e9\n'
                        'LONG=first \\\n    second\n',
                        {'BUILD_ID': '17', 'MESSAGE': 'hello world', 'PATH_X': 'C:\\tools\\bin', 'UNICODE': 'été',
                         'LONG': 'first second'})


@scenario('output variables from a .env file')
def variables_dotenv(s):
    variables_from_file(s, 'build.env',
                        '# comment\nexport IMAGE_TAG=v1.2.3\nQUOTED="two\\nlines"\nSINGLE=\'$NOT_EXPANDED\'\n'
                        'INLINE=value # comment\n\nHASH=a#b\n',
                        {'IMAGE_TAG': 'v1.2.3', 'QUOTED': 'two\nlines', 'SINGLE': '$NOT_EXPANDED', 'INLINE': 'value',
                         'HASH': 'a#b'})


@scenario('output variables from a .json file')
def variables_json(s):
    variables_from_file(s, 'outputs.json',
                        '{"ARTIFACT": "s3://bucket/key.zip", "COUNT": 3, "RATIO": 1.50, "OK": true, "NAME": "ü"}',
                        {'ARTIFACT': 's3://bucket/key.zip', 'COUNT': '3', 'RATIO': '1.50', 'OK': 'true', 'NAME': 'ü'})


@scenario('output variables from a file with --output-variables-file-format')
def variables_explicit_format(s):
    variables_from_file(s, 'outputs.txt', 'A=1\nB="x y"\n', {'A': '1', 'B': 'x y'},
                        extra=('--output-variables-file-format', 'dotenv'))


@scenario('output variables from the environment (a name and a glob)')
def variables_env(s):
    job = s.ctx.referee.new_job()
    s.cli('success', '--job-id', job, '--output-variables-from-env', 'BUILD_NUMBER',
          '--output-variables-from-env', 'GIT_*',
          env={'BUILD_NUMBER': '42', 'GIT_COMMIT': 'abc123', 'GIT_BRANCH': 'main', 'OTHER': 'not published'})
    s.expect_rc(0)
    s.expect_request_id_on_stdout(job)
    s.expect_status(job, 'Succeeded')
    got = s.last_body(job).get('outputVariables')
    want = {'BUILD_NUMBER': '42', 'GIT_BRANCH': 'main', 'GIT_COMMIT': 'abc123'}
    s.check(got == want and list(got) == list(want), f'outputVariables recorded as {got}, expected {want}')


@scenario('output variables merged from all sources in order')
def variables_all_sources(s):
    job = s.ctx.referee.new_job()
    f1 = s.ctx.file('merge1.properties', 'FROM_FILE1=1\nSHARED=same\n')
    f2 = s.ctx.file('merge2.json', '{"FROM_FILE2": "2"}')
    s.cli('success', '--job-id', job, '--output-variable', 'EXPLICIT=e', '--output-variable', 'SHARED=same',
          '--output-variables-file', f1, '--output-variables-file', f2, '--output-variables-from-env', 'FROM_ENV',
          env={'FROM_ENV': 'env'})
    s.expect_rc(0)
    s.expect_request_id_on_stdout(job)
    got = s.last_body(job).get('outputVariables') or {}
    want = ['EXPLICIT', 'SHARED', 'FROM_FILE1', 'FROM_FILE2', 'FROM_ENV']
    s.check(list(got) == want, f'recorded variable order {list(got)}, expected {want}')


@scenario('conflicting output variables refused locally')
def variables_conflict(s):
    job = s.ctx.referee.new_job()
    f1 = s.ctx.file('conflict.env', 'SHARED=from-file\n')
    s.cli('success', '--job-id', job, '--output-variable', 'SHARED=explicit', '--output-variables-file', f1)
    s.expect_rc(2)
    s.expect_no_stdout()
    s.expect_err('SHARED', '--output-variable', 'conflict.env')
    s.check('from-file' not in s.err and 'explicit' not in s.err.replace('--output-variable', ''),
            'stderr shows a variable value')
    s.expect_nothing_sent()
    s.expect_status(job, 'InProgress')


def sized_variables(total):
    """Variables whose keys and values take exactly `total` UTF-8 bytes, with 2-byte characters among them."""
    first = {'SMALL': 'é' * 100}                          # 5 + 200 bytes
    used = sum(len(k.encode()) + len(v.encode()) for k, v in first.items())
    rest = total - used - len('BIG')
    first['BIG'] = 'x' * rest
    assert sum(len(k.encode()) + len(v.encode()) for k, v in first.items()) == total
    return first


@scenario('output variables of exactly 122880 bytes delivered')
def variables_at_limit(s):
    job = s.ctx.referee.new_job()
    variables = sized_variables(LIMIT)
    path = s.ctx.file('limit.json', json.dumps(variables, ensure_ascii=False))
    s.cli('success', '--job-id', job, '--output-variables-file', path)
    s.expect_rc(0)
    s.expect_request_id_on_stdout(job)
    s.expect_status(job, 'Succeeded')
    got = s.last_body(job).get('outputVariables') or {}
    size = sum(len(k.encode()) + len(v.encode()) for k, v in got.items())
    s.check(got == variables and size == LIMIT, f'recorded variables take {size} bytes, expected {LIMIT}')


@scenario('output variables of 122881 bytes refused locally, nothing sent')
def variables_over_limit(s):
    job = s.ctx.referee.new_job()
    path = s.ctx.file('over.json', json.dumps(sized_variables(LIMIT + 1), ensure_ascii=False))
    s.cli('success', '--job-id', job, '--output-variables-file', path)
    s.expect_rc(2)
    s.expect_no_stdout()
    s.expect_err('outputVariables', '122881 bytes', '1 too many', str(LIMIT))
    s.expect_nothing_sent(job)
    s.check(s.ctx.referee.job(job)['history'] == [], 'the job has a recorded request')
    s.expect_status(job, 'InProgress')


# ------------------------------------------------------------------------------------------------ continuation

@scenario('continuation token closes the job and queues a follow-up job')
def continuation(s):
    job = s.ctx.referee.new_job()
    s.cli('success', '--job-id', job, '--continuation-token', 'step-2-of-3', '--summary', 'first part done',
          '--percent-complete', '33')
    s.expect_rc(0)
    s.expect_request_id_on_stdout(job)
    state = s.expect_status(job, 'Succeeded')
    follow = state.get('followUpJobId')
    if s.check(follow, 'no followUpJobId'):
        nxt = s.ctx.referee.job(follow)
        s.check(nxt['data'].get('continuationToken') == 'step-2-of-3' and nxt['continuationOf'] == job,
                f'follow-up job {follow}: data.continuationToken {nxt["data"].get("continuationToken")!r}, '
                f'continuationOf {nxt["continuationOf"]}')
    s.check(s.last_body(job).get('continuationToken') == 'step-2-of-3', 'continuationToken not recorded')


@scenario('continuation token with output variables refused locally')
def continuation_with_variables(s):
    job = s.ctx.referee.new_job()
    s.cli('success', '--job-id', job, '--continuation-token', 't', '--output-variable', 'A=1')
    s.expect_rc(2)
    s.expect_err('continuationToken', 'outputVariables')
    s.expect_nothing_sent()


# ------------------------------------------------------------------------------------------------ failure

FAILURE_SPELLINGS = [('JobFailed', 'JobFailed'), ('ConfigurationError', 'configuration-error'),
                     ('PermissionError', 'PERMISSION_ERROR'), ('RevisionOutOfSync', 'revisionoutofsync'),
                     ('RevisionUnavailable', 'Revision_Unavailable'), ('SystemUnavailable', 'SystemUnavailable')]


def make_failure_scenario(aws_name, spelling):
    def run(s):
        job = s.ctx.referee.new_job()
        s.cli('failure', '--job-id', job, '--type', spelling, '--message', f'{aws_name}: it broke – ü',
              '--external-execution-id', 'jenkins-9')
        s.expect_rc(0)
        s.expect_request_id_on_stdout(job)
        s.expect_err('Reported failure for job ' + job)
        s.expect_status(job, 'Failed')
        details = s.last_body(job).get('failureDetails', {})
        s.check(details == {'type': aws_name, 'message': f'{aws_name}: it broke – ü', 'externalExecutionId': 'jenkins-9'},
                f'failureDetails recorded as {details}')
        recs = s.records(job)
        s.check([r['operation'] for r in recs] == ['PutJobFailureResult'], f'operations {[r["operation"] for r in recs]}')
    return run


for _aws, _spelling in FAILURE_SPELLINGS:
    scenario(f'failure of type {_aws} (given as {_spelling})')(make_failure_scenario(_aws, _spelling))


@scenario('unknown failure type refused locally')
def failure_unknown_type(s):
    job = s.ctx.referee.new_job()
    s.cli('failure', '--job-id', job, '--type', 'Exploded', '--message', 'm')
    s.expect_rc(2)
    s.expect_err('--type', 'JobFailed', 'SystemUnavailable')
    s.expect_nothing_sent()


@scenario('over-long failure message shortened with --truncate-long-text')
def failure_truncated(s):
    job = s.ctx.referee.new_job()
    s.cli('failure', '--job-id', job, '--type', 'JobFailed', '--message', 'x' * 6000, '--truncate-long-text')
    s.expect_rc(0)
    s.expect_request_id_on_stdout(job)
    s.expect_err('Warning', 'failureDetails.message')
    msg = s.last_body(job).get('failureDetails', {}).get('message', '')
    s.check(len(msg) == 5000 and msg.endswith('…[truncated]'), f'recorded message of {len(msg)} characters')


@scenario('over-long summary refused without --truncate-long-text')
def summary_too_long(s):
    job = s.ctx.referee.new_job()
    s.cli('success', '--job-id', job, '--summary', 's' * 2049)
    s.expect_rc(2)
    s.expect_err('executionDetails.summary', '2049', '--truncate-long-text')
    s.expect_nothing_sent()


@scenario('invalid job id and percent refused locally')
def invalid_job_id(s):
    s.cli('success', '--job-id', 'not-a-job', '--percent-complete', '101')
    s.expect_rc(2)
    s.expect_no_stdout()
    s.expect_err('jobId', 'percentComplete')
    s.expect_nothing_sent()


# ------------------------------------------------------------------------------------------------ credentials

@scenario('wrong secret key refused (signature)')
def wrong_secret(s):
    job = s.ctx.referee.new_job()
    s.cli('success', '--job-id', job, key=(KEY_ID, 'notTheSecret'))
    s.expect_rc(1)
    s.expect_no_stdout()
    s.expect_err('InvalidSignatureException', 'signature', KEY_ID)
    s.check('notTheSecret' not in s.err, 'stderr shows the secret key')
    s.expect_verdicts(job, ['InvalidSignatureException'])
    s.expect_status(job, 'InProgress')


@scenario('unknown access key id refused')
def unknown_key(s):
    job = s.ctx.referee.new_job()
    s.cli('success', '--job-id', job, key=('AKIDUNKNOWNKEY', SECRET))
    s.expect_rc(1)
    s.expect_no_stdout()
    s.expect_err('UnrecognizedClientException', 'AKIDUNKNOWNKEY')
    s.expect_verdicts(job, ['UnrecognizedClientException'])
    s.expect_status(job, 'InProgress')


@scenario('no credentials at all: not delivered, nothing sent')
def no_credentials(s):
    job = s.ctx.referee.new_job()
    s.cli('success', '--job-id', job, key=None)
    s.expect_rc(1)
    s.expect_no_stdout()
    s.expect_err('credentials', 'Nothing was sent')
    s.expect_nothing_sent()


@scenario('session credentials (key, secret and token) delivered')
def session_token(s):
    job = s.ctx.referee.new_job()
    s.cli('success', '--job-id', job, key=(TEMP_KEY_ID, TEMP_SECRET), token=TOKEN)
    s.expect_rc(0)
    s.expect_request_id_on_stdout(job)
    s.expect_status(job, 'Succeeded')
    recs = s.records(job)
    s.check(recs and recs[-1]['accessKeyId'] == TEMP_KEY_ID
            and recs[-1]['headers'].get('X-Amz-Security-Token') == TOKEN,
            'the request was not signed with the session credentials and token')


# ------------------------------------------------------------------------------------------------ regions, endpoints

@scenario('job of another region: JobNotFound')
def other_region(s):
    job = s.ctx.referee.new_job(region='eu-west-1')
    s.cli('success', '--job-id', job, '--region', 'us-east-1')
    s.expect_rc(1)
    s.expect_no_stdout()
    s.expect_err('JobNotFoundException', 'us-east-1', 'region')
    s.expect_verdicts(job, ['JobNotFoundException'])
    s.expect_status(job, 'InProgress')


@scenario('region and endpoint from the environment')
def region_endpoint_from_env(s):
    job = s.ctx.referee.new_job(region='eu-west-1')
    s.cli('success', '--job-id', job, endpoint=False,
          env={'AWS_REGION': 'eu-west-1', 'AWS_DEFAULT_REGION': 'us-west-2',
               'AWS_ENDPOINT_URL_CODEPIPELINE': s.ctx.cli.base, 'AWS_ENDPOINT_URL': 'http://127.0.0.1:9'})
    s.expect_rc(0)
    s.expect_request_id_on_stdout(job)
    s.expect_err('eu-west-1')
    s.expect_status(job, 'Succeeded')
    recs = s.records(job)
    s.check(recs and recs[-1]['region'] == 'eu-west-1', 'not signed for eu-west-1')


@scenario('AWS_DEFAULT_REGION and AWS_ENDPOINT_URL used when nothing more specific is set')
def default_region_env(s):
    job = s.ctx.referee.new_job(region='ap-southeast-2')
    s.cli('failure', '--job-id', job, '--type', 'JobFailed', '--message', 'm', endpoint=False,
          env={'AWS_DEFAULT_REGION': 'ap-southeast-2', 'AWS_ENDPOINT_URL': s.ctx.cli.base})
    s.expect_rc(0)
    s.expect_request_id_on_stdout(job)
    s.expect_status(job, 'Failed')


@scenario('malformed region refused locally')
def bad_region(s):
    s.cli('success', '--job-id', s.ctx.referee.new_job(), env={'AWS_REGION': 'EU West'})
    s.expect_rc(2)
    s.expect_err('region', 'AWS_REGION')
    s.expect_nothing_sent()


# ------------------------------------------------------------------------------------------------ job state

@scenario('job already succeeded: second report refused with InvalidJobState')
def reported_twice(s):
    job = s.ctx.referee.new_job()
    s.cli('success', '--job-id', job)
    s.expect_rc(0)
    s.expect_request_id_on_stdout(job)
    s.cli('success', '--job-id', job)
    s.expect_rc(1)
    s.expect_no_stdout()
    s.expect_err('InvalidJobStateException', 'no longer open')
    s.expect_verdicts(job, ['ok', 'InvalidJobStateException'])
    s.expect_status(job, 'Succeeded')


@scenario('job timed out: failure refused with InvalidJobState')
def timed_out(s):
    job = s.ctx.referee.new_job()
    s.ctx.referee.admin('POST', f'jobs/{job}', {'status': 'TimedOut'})
    s.cli('failure', '--job-id', job, '--type', 'JobFailed', '--message', 'late')
    s.expect_rc(1)
    s.expect_err('InvalidJobStateException')
    s.expect_verdicts(job, ['InvalidJobStateException'])
    s.expect_status(job, 'TimedOut')


# ------------------------------------------------------------------------------------------------ faults

def fault(s, **spec):
    s.ctx.referee.admin('POST', 'faults', spec)


@scenario('two throttles then success')
def throttled(s):
    job = s.ctx.referee.new_job()
    fault(s, kind='throttle', count=2)
    s.cli('success', '--job-id', job)
    s.expect_rc(0)
    s.expect_request_id_on_stdout(job)
    s.expect_verdicts(job, ['ThrottlingException', 'ThrottlingException', 'ok'])
    s.check(s.err.count('retrying in') == 2, f'expected 2 retry lines on stderr: {tail(s.err)}')
    s.expect_status(job, 'Succeeded')


@scenario('throttled beyond --max-attempts: not delivered')
def throttled_out(s):
    job = s.ctx.referee.new_job()
    fault(s, kind='throttle', count=5)
    s.cli('success', '--job-id', job, '--max-attempts', '2')
    s.expect_rc(1)
    s.expect_no_stdout()
    s.expect_err('throttling', '2 attempts')
    s.expect_verdicts(job, ['ThrottlingException', 'ThrottlingException'])
    s.expect_status(job, 'InProgress')


@scenario('dropped connection then success')
def dropped(s):
    job = s.ctx.referee.new_job()
    fault(s, kind='drop')
    s.cli('success', '--job-id', job)
    s.expect_rc(0)
    s.expect_request_id_on_stdout(job)
    s.expect_verdicts(job, ['fault:drop', 'ok'])
    s.expect_err('no answer', 'retrying')
    s.expect_status(job, 'Succeeded')


@scenario('lost response: delivered, answer lost (exit 3)')
def lost_response(s):
    job = s.ctx.referee.new_job()
    fault(s, kind='lose-response')
    s.cli('success', '--job-id', job, '--output-variable', 'A=1')
    s.expect_rc(3)
    last = s.expect_request_id_on_stdout(job)
    if last:
        s.check(last['verdict'] == 'InvalidJobStateException',
                f'the last answered request has verdict {last["verdict"]}, expected InvalidJobStateException')
    s.expect_verdicts(job, ['ok:response-lost', 'InvalidJobStateException'])
    s.expect_err('most likely delivered', 'answer was lost')
    s.expect_status(job, 'Succeeded')


@scenario('HTTP 500 then success')
def error500(s):
    job = s.ctx.referee.new_job()
    fault(s, kind='error500')
    s.cli('failure', '--job-id', job, '--type', 'JobFailed', '--message', 'm')
    s.expect_rc(0)
    s.expect_request_id_on_stdout(job)
    s.expect_verdicts(job, ['InternalFailure', 'ok'])
    s.expect_status(job, 'Failed')


@scenario('HTTP 503 then success')
def error503(s):
    job = s.ctx.referee.new_job()
    fault(s, kind='error503')
    s.cli('success', '--job-id', job)
    s.expect_rc(0)
    s.expect_request_id_on_stdout(job)
    s.expect_verdicts(job, ['ServiceUnavailable', 'ok'])
    s.expect_status(job, 'Succeeded')


@scenario('referee clock 10 minutes ahead: the SDK corrects the skew')
def clock_skew(s):
    job = s.ctx.referee.new_job()
    s.ctx.referee.admin('POST', 'clock', {'offsetSeconds': 600})
    try:
        s.cli('success', '--job-id', job)
    finally:
        s.ctx.referee.admin('POST', 'clock', {'offsetSeconds': 0})
    s.expect_rc(0)
    s.expect_request_id_on_stdout(job)
    seen = [r['verdict'] for r in s.records(job)]
    s.check(seen[-1:] == ['ok'] and all(v == 'InvalidSignatureException' for v in seen[:-1]) and len(seen) <= 2,
            f'recorded verdicts {seen}, expected an optional InvalidSignatureException (Signature expired) then ok')
    s.expect_status(job, 'Succeeded')


@scenario('referee clock 10 minutes behind: the SDK corrects the skew')
def clock_skew_behind(s):
    job = s.ctx.referee.new_job()
    s.ctx.referee.admin('POST', 'clock', {'offsetSeconds': -600})
    try:
        s.cli('failure', '--job-id', job, '--type', 'SystemUnavailable', '--message', 'm')
    finally:
        s.ctx.referee.admin('POST', 'clock', {'offsetSeconds': 0})
    s.expect_rc(0)
    s.expect_request_id_on_stdout(job)
    seen = [r['verdict'] for r in s.records(job)]
    s.check(seen[-1:] == ['ok'] and len(seen) <= 2, f'recorded verdicts {seen}')
    s.expect_status(job, 'Failed')


# ------------------------------------------------------------------------------------------------ dry run

@scenario('--dry-run prints the request body and sends nothing')
def dry_run(s):
    job = s.ctx.referee.new_job()
    path = s.ctx.file('dry.env', 'FROM_FILE=f\n')
    s.cli('success', '--job-id', job, '--revision', 'r1', '--change-identifier', 'c1', '--revision-created',
          REVISION_CREATED, '--summary', 'ü', '--output-variable', 'A=1', '--output-variables-file', path,
          '--dry-run', key=None)
    s.expect_rc(0)
    try:
        body = json.loads(s.out)
    except ValueError:
        body = None
        s.check(False, f'stdout is not JSON: {s.out[:300]!r}')
    if body is not None:
        want = {'jobId': job, 'currentRevision': {'revision': 'r1', 'changeIdentifier': 'c1',
                                                  'created': REVISION_CREATED_EPOCH},
                'executionDetails': {'summary': 'ü'}, 'outputVariables': {'A': '1', 'FROM_FILE': 'f'}}
        s.check(body == want, f'dry-run JSON {body}, expected {want}')
    s.expect_err('Dry run')
    s.expect_nothing_sent()
    s.expect_status(job, 'InProgress')
    # the same with an invalid result: exit 2, still nothing sent
    s.cli('failure', '--job-id', job, '--type', 'JobFailed', '--message', '', '--dry-run', key=None)
    s.expect_rc(2)
    s.expect_no_stdout()
    s.expect_err('failureDetails.message')
    s.expect_nothing_sent()


@scenario('--help and --version')
def help_version(s):
    s.cli('success', '--help', endpoint=False)
    s.expect_rc(0)
    for option in ('--job-id', '--revision', '--change-identifier', '--revision-summary', '--revision-created',
                   '--continuation-token', '--summary', '--external-execution-id', '--percent-complete',
                   '--output-variable', '--output-variables-file', '--output-variables-file-format',
                   '--output-variables-from-env', '--dry-run', '--region', '--endpoint-url', '--truncate-long-text',
                   '--max-attempts', '--timeout'):
        s.check(option in s.out, f'success --help does not document {option}')
    s.cli('failure', '--help', endpoint=False)
    s.expect_rc(0)
    for option in ('--type', '--message', '--external-execution-id'):
        s.check(option in s.out, f'failure --help does not document {option}')
    s.cli('--version', endpoint=False)
    s.expect_rc(0)
    s.check(s.out.startswith('codepipeline-job ') and 'development' not in s.out, f'--version printed {s.out!r}')
    s.expect_nothing_sent()


# ------------------------------------------------------------------------------------------------ the worker

ARTIFACT_SECRETS = ('ASIAREFEREEARTIFACTS', 'referee-artifacts')

# The command every worker scenario runs: it records that it ran (one line per run, in $RUNS), dumps its
# environment to $ENVDIR/<job id>.env, and publishes the job's ProjectName as an output variable.
RECORDING_COMMAND = '''
echo "$CODEPIPELINE_JOB_ID $LABEL" >> "$RUNS"
env > "$ENVDIR/$CODEPIPELINE_JOB_ID.env"
echo "PROJECT=$CODEPIPELINE_CONFIG_ProjectName" > "$CODEPIPELINE_OUTPUT_VARIABLES_FILE"
echo "ran $CODEPIPELINE_JOB_ID"
'''


def kill_group(proc, after_exit=False):
    """SIGKILL to a background worker's process group (the worker and the commands it started). Once the worker
    has exited, only with after_exit: its commands still alive keep the group id from being reused."""
    if proc.poll() is not None and not after_exit:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


class Worker:
    """A scenario's action types, jobs and worker runs, with a directory for what its commands record."""

    def __init__(self, s):
        self.s, self.ref = s, s.ctx.referee
        self.tag = uuid.uuid4().hex[:8]
        self.secret = f'cfg-secret-{self.tag}'  # the value of the secret property of every job
        self.more_secrets = ()  # the artifact secret key and session token of the jobs, when they have artifacts
        self.dir = os.path.join(s.ctx.workdir, f'worker-{self.tag}')
        self.envdir = os.path.join(self.dir, 'env')
        os.makedirs(self.envdir)
        self.runs = os.path.join(self.dir, 'runs')
        self.jobs = []

    def provider(self, name):
        return f'{name}{self.tag}'

    def register(self, provider, region='us-east-1', version='1'):
        """A custom action type with a queryable ProjectName and a secret ApiKey, as CreateCustomActionType would."""
        self.ref.admin('POST', 'action-types', {
            'region': region, 'category': 'Build', 'provider': provider, 'version': version,
            'configurationProperties': [
                {'name': 'ProjectName', 'required': True, 'key': True, 'secret': False, 'queryable': True,
                 'type': 'String'},
                {'name': 'ApiKey', 'required': False, 'key': False, 'secret': True, 'queryable': False,
                 'type': 'String'}],
            'inputArtifactDetails': {'minimumCount': 0, 'maximumCount': 5},
            'outputArtifactDetails': {'minimumCount': 0, 'maximumCount': 5}})

    def job(self, provider, project, version='1', data=None, **extra):
        job_data = {
            'actionTypeId': {'category': 'Build', 'owner': 'Custom', 'provider': provider, 'version': version},
            'actionConfiguration': {'configuration': {'ProjectName': project, 'ApiKey': self.secret}}}
        job_data.update(data or {})
        job = self.ref.new_job(status='Created', data=job_data, **extra)
        self.jobs.append(job)
        return job

    def args(self, provider, *options, command=None, version='1'):
        script = self.s.ctx.file(f'command-{self.tag}.sh', command or RECORDING_COMMAND)
        return (['worker', '--endpoint-url', self.s.ctx.cli.base, '--category', 'Build', '--provider', provider,
                 '--version', version] + list(options) + ['--', '/bin/sh', script])

    def env(self, label):
        return {'RUNS': self.runs, 'ENVDIR': self.envdir, 'LABEL': label}

    def once(self, provider, *options, label='once', command=None):
        self.s.cli(*self.args(provider, '--once', *options, command=command), endpoint=False, env=self.env(label))
        return self.s.rc

    def start(self, provider, *options, label='worker', command=None):
        """A worker polling in the background; stop() ends it with SIGTERM and gives (exit code, stdout, stderr)."""
        out = open(os.path.join(self.dir, f'{label}.out'), 'w+', encoding='utf-8')
        err = open(os.path.join(self.dir, f'{label}.err'), 'w+', encoding='utf-8')
        proc = self.s.ctx.cli.start(self.args(provider, *options, command=command), out, err, env=self.env(label))
        self.s.cleanups.append(lambda: kill_group(proc))
        return proc, out, err

    def stop(self, started, sig=signal.SIGTERM, timeout=60):
        proc, out, err = started
        if proc.poll() is None:
            proc.send_signal(sig)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(proc)
            rc = proc.wait()
            self.s.problems.append('the worker did not stop within %d s of the signal' % timeout)
        texts = []
        for f in (out, err):
            f.seek(0)
            texts.append(f.read())
            f.close()
        self.s.rc, self.s.out, self.s.err = rc, texts[0], texts[1]
        return rc

    def wait_until(self, condition, timeout=60, what='the jobs to close'):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.25)
        self.s.problems.append(f'timed out after {timeout} s waiting for {what}')
        return False

    def closed(self, *jobs):
        return all(self.ref.job(j)['status'] in ('Succeeded', 'Failed', 'TimedOut') for j in jobs)

    def ran(self):
        """job id -> labels of the runs that ran its command."""
        seen = {}
        if os.path.exists(self.runs):
            with open(self.runs, encoding='utf-8') as f:
                for line in f:
                    job, _, label = line.strip().partition(' ')
                    seen.setdefault(job, []).append(label)
        return seen

    def expect_ran_once(self, job, label=None):
        labels = self.ran().get(job, [])
        self.s.check(len(labels) == 1, f'job {job} ran {len(labels)} times ({labels}), expected once')
        if label is not None and labels:
            self.s.check(labels == [label], f'job {job} ran in {labels}, expected {label}')

    def environment_of(self, job):
        path = os.path.join(self.envdir, f'{job}.env')
        if not self.s.check(os.path.exists(path), f'job {job} left no environment dump'):
            return {}
        with open(path, encoding='utf-8') as f:
            text = f.read()
        return dict(line.split('=', 1) for line in text.splitlines() if '=' in line)

    def expect_no_secret_leaked(self):
        """Neither the secret property nor the artifact credentials in any command's environment or the output."""
        self.s.check(os.listdir(self.envdir) or not self.jobs, 'no command left an environment dump')
        for name in os.listdir(self.envdir):
            with open(os.path.join(self.envdir, name), encoding='utf-8') as f:
                text = f.read()
            for secret in (self.secret,) + ARTIFACT_SECRETS + tuple(self.more_secrets):
                self.s.check(secret not in text, f'{secret!r} is in the environment of the command of {name}')
        for stream, text in (('stdout', self.s.out), ('stderr', self.s.err)):
            for secret in (self.secret,) + ARTIFACT_SECRETS + tuple(self.more_secrets):
                self.s.check(secret not in (text or ''), f'{secret!r} is on the worker\'s {stream}')

    def results(self, job, operation):
        return [r for r in self.s.records(job) if r['operation'] == operation]

    def accepted_result(self, job):
        recs = [r for r in self.s.records(job) if r['operation'] in ('PutJobSuccessResult', 'PutJobFailureResult')
                and r['verdict'] == 'ok']
        self.s.check(len(recs) == 1, f'job {job}: {len(recs)} accepted results, expected 1')
        return recs[-1]['body'] if recs else {}

    def failure_message(self, job, failure_type):
        """The message of the job's accepted result, a failure of this type."""
        details = self.accepted_result(job).get('failureDetails', {})
        self.s.check(details.get('type') == failure_type, f'failure type {details.get("type")}')
        return details.get('message', '')

    def success_time(self, job):
        """When the job's last success result was recorded; None without one."""
        success = self.results(job, 'PutJobSuccessResult')
        return datetime.datetime.fromisoformat(success[-1]['time']) if success else None

    def expect_job_details_by_worker(self, job):
        """The job's details were asked (GetJobDetails) and every time with the worker's credentials."""
        details = [(r['operation'], r['verdict'], r['accessKeyId']) for r in self.results(job, 'GetJobDetails')]
        self.s.check(details and all(d == ('GetJobDetails', 'ok', KEY_ID) for d in details),
                     f'job {job}: GetJobDetails requests {details}, expected them signed by the worker\'s {KEY_ID}')


@scenario('worker: jobs of two action types and two query values each go to the right worker run')
def worker_routing(s):
    w = Worker(s)
    a, b = w.provider('WorkerA'), w.provider('WorkerB')
    w.register(a)
    w.register(b)
    expected = {}
    for provider, project, count in ((a, 'app', 2), (a, 'lib', 1), (b, 'app', 1), (b, 'lib', 2)):
        for _ in range(count):
            expected[w.job(provider, project)] = (provider, project)
    untouched = w.job(a, 'other')
    errs = []
    for provider, project in ((a, 'app'), (a, 'lib'), (b, 'app'), (b, 'lib')):
        label = f'{provider}/{project}'
        w.once(provider, '--query', f'ProjectName={project}', '--max-jobs', '5', label=label)
        s.expect_rc(0)
        want = sum(1 for v in expected.values() if v == (provider, project))
        s.expect_err(f'Polled Build/Custom/{provider}/1 ProjectName={project} in us-east-1: {want} job(s), '
                     f'{want} acknowledged')
        errs.append(s.err)
        w.expect_no_secret_leaked()
    for job, (provider, project) in expected.items():
        w.expect_ran_once(job, f'{provider}/{project}')
        s.expect_status(job, 'Succeeded')
        body = w.accepted_result(job)
        s.check(body.get('outputVariables') == {'PROJECT': project}, f'job {job}: outputVariables '
                                                                     f'{body.get("outputVariables")}')
        details = body.get('executionDetails', {})
        s.check(details.get('summary', '').startswith('sh exited 0') and details.get('externalExecutionId'),
                f'job {job}: executionDetails {details}')
        env = w.environment_of(job)
        for name, value in (('CODEPIPELINE_JOB_ID', job), ('CODEPIPELINE_CONFIG_ProjectName', project),
                            ('CODEPIPELINE_REGION', 'us-east-1'), ('CODEPIPELINE_ACCOUNT_ID', '123456789012'),
                            ('CODEPIPELINE_PIPELINE_NAME', 'referee-pipeline'), ('CODEPIPELINE_STAGE_NAME', 'Build'),
                            ('CODEPIPELINE_EXTERNAL_EXECUTION_ID', details.get('externalExecutionId'))):
            s.check(env.get(name) == value, f'job {job}: {name}={env.get(name)!r} in its environment, '
                                            f'expected {value!r}')
        s.check(not any(k.startswith('CODEPIPELINE_CONFIG_ApiKey') for k in env),
                f'job {job}: the secret property is in the environment')
    s.expect_status(untouched, 'Created')
    polls = [(r['body']['actionTypeId']['provider'], r['body'].get('queryParam'), r['body'].get('maxBatchSize'))
             for r in s.records() if r['operation'] == 'PollForJobs']
    s.check(polls == [(a, {'ProjectName': 'app'}, 5), (a, {'ProjectName': 'lib'}, 5), (b, {'ProjectName': 'app'}, 5),
                      (b, {'ProjectName': 'lib'}, 5)], f'PollForJobs requests {polls}')
    acks = [r for r in s.records() if r['operation'] == 'AcknowledgeJob']
    s.check(len(acks) == len(expected) and all(r['verdict'] == 'ok' for r in acks),
            f'AcknowledgeJob verdicts {[r["verdict"] for r in acks]}')
    s.err = '\n'.join(errs)


@scenario('worker: throttling and 503 on PollForJobs and AcknowledgeJob are retried, no job runs twice')
def worker_faults(s):
    w = Worker(s)
    p = w.provider('WorkerFaults')
    w.register(p)
    jobs = [w.job(p, 'app') for _ in range(3)]
    for kind, operation in (('throttle', 'PollForJobs'), ('error503', 'PollForJobs'),
                            ('throttle', 'AcknowledgeJob'), ('error503', 'AcknowledgeJob')):
        fault(s, kind=kind, operation=operation)
    started = w.start(p, '--query', 'app', '--max-jobs', '3', '--poll-interval', '1')
    w.wait_until(lambda: w.closed(*jobs), what='the three jobs to be reported')
    w.stop(started)
    s.check(s.rc == 143, f'exit code {s.rc} after SIGTERM, expected 143; stderr: {tail(s.err)}')
    s.expect_err('Stopping on a signal')
    for job in jobs:
        w.expect_ran_once(job)
        s.expect_status(job, 'Succeeded')
        oks = [r for r in w.results(job, 'AcknowledgeJob') if r['verdict'] == 'ok']
        s.check(len(oks) == 1, f'job {job} acknowledged {len(oks)} times')
    verdicts = {op: [r['verdict'] for r in s.records() if r['operation'] == op]
                for op in ('PollForJobs', 'AcknowledgeJob')}
    s.check(verdicts['PollForJobs'][:3] == ['ThrottlingException', 'ServiceUnavailable', 'ok'],
            f'PollForJobs verdicts {verdicts["PollForJobs"]}')
    s.check(verdicts['AcknowledgeJob'][:3] == ['ThrottlingException', 'ServiceUnavailable', 'ok'],
            f'AcknowledgeJob verdicts {verdicts["AcknowledgeJob"]}')
    w.expect_no_secret_leaked()


@scenario('worker: a late acknowledge loses the job to a second worker, which runs it once')
def worker_late_acknowledge(s):
    w = Worker(s)
    p = w.provider('WorkerLate')
    w.register(p)
    job = w.job(p, 'app')
    # the first worker's AcknowledgeJob arrives after the dispatch timeout: the job has a new nonce by then
    delay_ms = int((s.ctx.dispatch_timeout + 1.5) * 1000)
    fault(s, kind='delay', operation='AcknowledgeJob', delayMs=delay_ms)
    w.once(p, label='first')
    s.expect_rc(0)
    s.expect_err(f'Dropped job {job}', 'another worker has it')
    s.check(w.ran().get(job) is None, 'the first worker ran the job it lost')
    s.expect_status(job, 'Queued')
    w.once(p, label='second')
    s.expect_rc(0)
    w.expect_ran_once(job, 'second')
    s.expect_status(job, 'Succeeded')
    state = s.ctx.referee.job(job)
    s.check(state.get('redispatches') == 1, f'redispatches {state.get("redispatches")}, expected 1')
    s.expect_verdicts(job, ['InvalidNonceException', 'ok', 'ok'])  # ack (late), ack, PutJobSuccessResult
    w.expect_no_secret_leaked()


# Run by a command: waits (at most 60 s) until the referee says the job is TimedOut.
WAIT_FOR_TIMEOUT = '''
import json, os, sys, time, urllib.request
url = os.environ['REFEREE'] + '/_referee/jobs/' + os.environ['CODEPIPELINE_JOB_ID']
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    if json.loads(opener.open(url, timeout=10).read())['status'] == 'TimedOut':
        sys.exit(0)
    time.sleep(0.2)
sys.exit(9)
'''


@scenario('worker: a job that times out while its command runs: the late result is reported as not delivered')
def worker_timed_out(s):
    w = Worker(s)
    p = w.provider('WorkerTimeout')
    w.register(p)
    waiter = s.ctx.file(f'wait-for-timeout-{w.tag}.py', WAIT_FOR_TIMEOUT)
    # long enough for a JVM to start and poll on a busy machine; the command then waits for the timeout
    job = w.job(p, 'app', timeoutSeconds=10)
    s.cli(*w.args(p, '--once', command=RECORDING_COMMAND + f'"$PYTHON" {waiter}\n'), endpoint=False,
          env=dict(w.env('once'), PYTHON=sys.executable, REFEREE=s.ctx.referee.base))
    s.expect_rc(1)
    s.expect_err('the success result was not delivered', 'InvalidJobStateException')
    w.expect_ran_once(job)
    s.expect_status(job, 'TimedOut')
    s.check([r['verdict'] for r in w.results(job, 'PutJobSuccessResult')] == ['InvalidJobStateException'],
            f'PutJobSuccessResult verdicts {[r["verdict"] for r in w.results(job, "PutJobSuccessResult")]}')
    w.expect_no_secret_leaked()


@scenario('worker: a failing command is reported as JobFailed with the end of its output')
def worker_command_fails(s):
    w = Worker(s)
    p = w.provider('WorkerFails')
    w.register(p)
    job = w.job(p, 'app')
    w.once(p, command=RECORDING_COMMAND + 'i=0; while [ $i -lt 3000 ]; do echo "step $i – ü"; i=$((i+1)); done\n'
                                          'echo "fatal: it broke" >&2\nexit 7\n')
    s.expect_rc(0)
    s.expect_err(f'Job {job}: sh exited with code 7', 'Reported failure for job ' + job)
    s.check(f'[{job}] step 2999 – ü' in s.out and f'[{job}] fatal: it broke' in s.out,
            f'the command\'s output is not on stdout with the job id: {tail(s.out)}')
    w.expect_ran_once(job)
    s.expect_status(job, 'Failed')
    details = w.accepted_result(job).get('failureDetails', {})
    message = details.get('message', '')
    s.check(details.get('type') == 'JobFailed', f'failure type {details.get("type")}')
    s.check(message.startswith('sh exited with code 7 after '), f'message starts {message[:80]!r}')
    s.check(message.endswith('step 2999 – ü\nfatal: it broke'), f'message ends {message[-80:]!r}')
    s.check(4900 < len(message) <= 5000, f'message of {len(message)} characters, expected close to 5000')
    s.check(details.get('externalExecutionId'), 'no externalExecutionId')
    w.expect_no_secret_leaked()


@scenario('worker: a continuation token hands the action over to a follow-up job')
def worker_follow_up(s):
    w = Worker(s)
    p = w.provider('WorkerFollow')
    w.register(p)
    job = w.job(p, 'app')
    command = RECORDING_COMMAND + '''
if [ -z "$CODEPIPELINE_CONTINUATION_TOKEN" ]; then
  echo "phase-2" > "$CODEPIPELINE_OUTPUT_CONTINUATION_TOKEN_FILE"
  : > "$CODEPIPELINE_OUTPUT_VARIABLES_FILE"
else
  echo "PHASE=$CODEPIPELINE_CONTINUATION_TOKEN" > "$CODEPIPELINE_OUTPUT_VARIABLES_FILE"
fi
'''
    started = w.start(p, '--query', 'app', '--poll-interval', '1', command=command)
    follow = {}

    def done():
        state = s.ctx.referee.job(job)
        follow['id'] = state.get('followUpJobId')
        return state['status'] == 'Succeeded' and follow['id'] and w.closed(follow['id'])
    w.wait_until(done, what='the job and its follow-up job to be reported')
    w.stop(started)
    s.check(s.rc == 143, f'exit code {s.rc} after SIGTERM, expected 143; stderr: {tail(s.err)}')
    first = w.accepted_result(job)
    s.check(first.get('continuationToken') == 'phase-2' and 'outputVariables' not in first,
            f'first result {first}')
    if follow.get('id'):
        second_id = follow['id']
        s.expect_status(second_id, 'Succeeded')
        second = w.accepted_result(second_id)
        s.check(second.get('outputVariables') == {'PHASE': 'phase-2'} and 'continuationToken' not in second,
                f'follow-up result {second}')
        env = w.environment_of(second_id)
        s.check(env.get('CODEPIPELINE_CONTINUATION_TOKEN') == 'phase-2', 'the follow-up command did not get '
                                                                         'CODEPIPELINE_CONTINUATION_TOKEN')
        s.check('CODEPIPELINE_CONTINUATION_TOKEN' not in w.environment_of(job), 'the first job got a token')
        w.expect_ran_once(job)
        w.expect_ran_once(second_id)
        s.expect_err(f'Job {second_id}: started sh', 'a follow-up job')
    w.expect_no_secret_leaked()


LIVE_TOKEN = re.compile(r'jcp1:([0-9a-f]{16}):(.+)')


def expect_early_report(s, w, job):
    """The job's one accepted result is the early report of --report-progress: a success with the worker's live
    link token naming the job, the run's externalExecutionId, percentComplete absent or in 0-100, no variables.
    Returns (fingerprint, externalExecutionId)."""
    early = w.accepted_result(job)
    token = early.get('continuationToken') or ''
    match = LIVE_TOKEN.fullmatch(token)
    s.check(match and match.group(2) == job, f'job {job}: continuationToken {token!r}, expected jcp1:<16 hex>:{job}')
    details = early.get('executionDetails', {})
    s.check(details.get('externalExecutionId'), f'job {job}: no externalExecutionId in {details}')
    s.check(details.get('summary') == 'sh running', f'job {job}: summary {details.get("summary")!r}')
    percent = details.get('percentComplete')
    s.check(percent is None or (isinstance(percent, int) and 0 <= percent <= 100),
            f'job {job}: percentComplete {percent!r}')
    s.check('outputVariables' not in early, f'job {job}: output variables on the early report {early}')
    return (match.group(1) if match else None), details.get('externalExecutionId')


def expect_chain_end(s, w, job, execution_id):
    """The job's follow-up job got exactly one result, the final one (no token), and is the chain's last job."""
    state = s.ctx.referee.job(job)
    follow_up = state.get('followUpJobId')
    if not s.check(follow_up, f'job {job} has no follow-up job: {state}'):
        return None, {}
    final = w.accepted_result(follow_up)
    results = [r for r in s.records(follow_up) if r['operation'] in ('PutJobSuccessResult', 'PutJobFailureResult')]
    s.check(len(results) == 1, f'follow-up job {follow_up}: {len(results)} result requests, expected exactly 1')
    s.check('continuationToken' not in final, f'follow-up job {follow_up}: the final result has a token: {final}')
    details = final.get('executionDetails') or final.get('failureDetails') or {}
    s.check(details.get('externalExecutionId') == execution_id,
            f'follow-up job {follow_up}: externalExecutionId in {details}, expected {execution_id}')
    follow_state = s.ctx.referee.job(follow_up)
    s.check(follow_state.get('continuationOf') == job and not follow_state.get('followUpJobId'),
            f'follow-up job {follow_up} is not the last of the chain of {job}: {follow_state}')
    acks = [r for r in w.results(follow_up, 'AcknowledgeJob') if r['verdict'] == 'ok']
    s.check(len(acks) == 1, f'follow-up job {follow_up} acknowledged {len(acks)} times')
    s.check(w.ran().get(follow_up) is None, f'the command ran for the follow-up job {follow_up}')
    return follow_up, final


@scenario('worker --report-progress: each job is reported early with the live link token, then exactly once on '
          'its follow-up job')
def worker_report_progress(s):
    w = Worker(s)
    p = w.provider('WorkerLive')
    w.register(p)
    jobs = [w.job(p, 'app') for _ in range(2)]
    command = RECORDING_COMMAND + 'sleep 2\n'
    w.once(p, '--query', 'app', '--max-jobs', '2', '--poll-interval', '1', '--report-progress', command=command)
    s.expect_rc(0)
    fingerprints = set()
    for job in jobs:
        w.expect_ran_once(job, 'once')
        s.expect_status(job, 'Succeeded')
        fingerprint, execution_id = expect_early_report(s, w, job)
        fingerprints.add(fingerprint)
        follow_up, final = expect_chain_end(s, w, job, execution_id)
        if follow_up:
            s.expect_status(follow_up, 'Succeeded')
            s.check(final.get('outputVariables') == {'PROJECT': 'app'}, f'final result {final}')
            s.expect_err(f'Job {follow_up}: the follow-up job of job {job} is attached',
                         f'Reported success for job {follow_up}')
        env = w.environment_of(job)
        s.check(env.get('CODEPIPELINE_JOB_ID') == job, f'the command saw CODEPIPELINE_JOB_ID '
                                                       f'{env.get("CODEPIPELINE_JOB_ID")!r}, expected the first job')
    s.check(len(fingerprints) == 1, f'the worker used the fingerprints {fingerprints}')
    w.expect_no_secret_leaked()


@scenario('worker --report-progress --journal: a failing command fails the follow-up job; the token keeps the '
          'worker\'s identity')
def worker_report_progress_failure(s):
    w = Worker(s)
    p = w.provider('WorkerLiveFail')
    w.register(p)
    journal = os.path.join(w.dir, 'journal.json')
    fingerprints, jobs = [], []
    for label in ('first', 'second'):
        job = w.job(p, 'app')
        jobs.append(job)
        w.once(p, '--query', 'app', '--poll-interval', '1', '--report-progress', '--journal', journal, label=label,
               command=RECORDING_COMMAND + 'echo broken; exit 4\n')
        s.expect_rc(0)
        w.expect_ran_once(job, label)
        s.expect_status(job, 'Succeeded')
        fingerprint, execution_id = expect_early_report(s, w, job)
        fingerprints.append(fingerprint)
        follow_up, final = expect_chain_end(s, w, job, execution_id)
        if follow_up:
            s.expect_status(follow_up, 'Failed')
            details = final.get('failureDetails', {})
            s.check(details.get('type') == 'JobFailed' and details.get('message', '').startswith(
                'sh exited with code 4'), f'final result {final}')
            jobs.append(follow_up)
    s.check(fingerprints[0] and fingerprints[0] == fingerprints[1],
            f'fingerprints {fingerprints}: the identity beside the journal should keep it')
    s.check(os.path.exists(journal + '.identity'), 'no identity file beside the journal')
    with open(journal, encoding='utf-8') as f:
        text = f.read()
    s.check(not any(j in text for j in jobs), f'the journal still holds jobs: {text}')


@scenario('worker --report-progress with artifacts: the outputs are uploaded after the follow-up job is attached, '
          'with its GetJobDetails, before the final success')
def worker_report_progress_artifacts(s):
    w, a = artifact_worker(s)
    p = w.provider('WorkerLiveArt')
    w.register(p)
    job, build_key, docs_key = source_and_docs_job(w, a, p)
    w.once(p, '--s3-endpoint-url', a.s3.endpoint, '--poll-interval', '1', '--report-progress',
           command=RECORDING_COMMAND + ARTIFACTS_COMMAND)
    s.expect_rc(0)
    w.expect_ran_once(job)
    _, execution_id = expect_early_report(s, w, job)
    follow_up, final = expect_chain_end(s, w, job, execution_id)
    if follow_up:
        s.expect_status(follow_up, 'Succeeded')
        s.check(final.get('outputVariables') == {'PROJECT': 'app'}, f'final result {final}')
        w.expect_job_details_by_worker(follow_up)
        ops = [r['operation'] for r in s.records(follow_up)]
        s.check(ops and ops.index('AcknowledgeJob') < ops.index('GetJobDetails') < ops.index('PutJobSuccessResult'),
                f'the follow-up job\'s requests are {ops}')
        success_time = w.success_time(follow_up)
        for key in (build_key, docs_key):
            data, modified = a.object(key)
            if s.check(data is not None, f'{key} was not uploaded'):
                s.check(success_time is None or modified <= success_time, f'{key} was written after the success')
        attached = s.err.find(f'the follow-up job of job {job} is attached')
        uploaded = s.err.find("output artifact 'BuildOutput'")
        s.check(0 <= attached < uploaded, f'the upload is not logged after the attachment: {tail(s.err, 1500)}')
    w.expect_no_secret_leaked()


@scenario('worker: a follow-up job whose token names another instance is never acknowledged (with and without '
          '--report-progress)')
def worker_foreign_follow_up(s):
    w = Worker(s)
    p = w.provider('WorkerForeign')
    w.register(p)
    foreign = w.job(p, 'app', data={'continuationToken': f'jcp1:0123456789abcdef:{uuid.uuid4()}'})
    for label, options in (('on', ('--report-progress',)), ('off', ())):
        w.once(p, '--query', 'app', '--poll-interval', '1', *options, label=label)
        s.expect_rc(0)
        s.expect_err('left for the Jenkins instance 0123456789abcdef')
        # handed out again at once, for the second run
        s.ctx.referee.admin('POST', f'jobs/{foreign}', {'status': 'Created'})
    s.check(not w.results(foreign, 'AcknowledgeJob'), 'the foreign follow-up job was acknowledged')
    s.check(not [r for r in s.records(foreign) if r['operation'] in ('PutJobSuccessResult', 'PutJobFailureResult')],
            'a result was sent for the foreign follow-up job')
    s.check(w.ran().get(foreign) is None, 'the command ran for the foreign follow-up job')
    s.check(s.ctx.referee.job(foreign)['status'] in ('Created', 'Queued', 'Dispatched'),
            f'the foreign job is {s.ctx.referee.job(foreign)["status"]}')


@scenario('worker --journal: the job of a killed worker gets a failure when it starts again')
def worker_journal(s):
    w = Worker(s)
    p = w.provider('WorkerJournal')
    w.register(p)
    job = w.job(p, 'app')
    journal = os.path.join(w.dir, 'journal.json')
    started = w.start(p, '--journal', journal, '--poll-interval', '1', label='killed',
                      command=RECORDING_COMMAND + 'touch "$ENVDIR/../started"; sleep 60\n')
    w.wait_until(lambda: os.path.exists(os.path.join(w.dir, 'started')), what='the command to start')
    with open(journal, encoding='utf-8') as f:
        text = f.read()
    s.check(job in text and w.secret not in text, 'the journal does not hold the job, or holds the secret')
    w.stop(started, sig=signal.SIGKILL)
    kill_group(started[0], after_exit=True)  # the command too, as a machine that went down
    s.expect_status(job, 'InProgress')
    w.once(p, '--journal', journal, label='restarted')
    s.expect_rc(0)
    s.expect_err('reporting a failure for each', f'Reported failure for job {job}')
    s.expect_status(job, 'Failed')
    message = w.accepted_result(job).get('failureDetails', {}).get('message', '')
    s.check('stopped before the command finished' in message, f'failure message {message!r}')
    with open(journal, encoding='utf-8') as f:
        s.check(job not in f.read(), 'the journal still holds the job')
    w.expect_ran_once(job, 'killed')


@scenario('worker: bad options refused before anything is sent')
def worker_refused(s):
    w = Worker(s)
    s.cli('worker', '--category', 'Bild', '--provider', 'X', '--version', '1', '--once', '--', '/bin/true',
          endpoint=False)
    s.expect_rc(2)
    s.expect_err("--category 'Bild' is not an action category", 'Source, Build, Deploy', 'Nothing was polled')
    s.cli('worker', '--category', 'Build', '--provider', 'X', '--version', '1', '--max-jobs', '0', '--',
          '/bin/true', endpoint=False)
    s.expect_rc(2)
    s.expect_err('--max-jobs 0 is not in 1-100', 'Nothing was polled')
    s.cli('worker', '--category', 'Build', '--provider', 'X', '--version', '1', '--', 'no-such-command-' + w.tag,
          endpoint=False)
    s.expect_rc(2)
    s.expect_err('was not found on the PATH')
    s.expect_no_stdout()
    s.expect_nothing_sent()


@scenario('worker and create-action-type --help')
def worker_help(s):
    s.cli('worker', '--help', endpoint=False)
    s.expect_rc(0)
    for text in ('--category', '--provider', '--version', '--query', '--region', '--endpoint-url', '--max-jobs',
                 '--poll-interval', '--once', '--journal', 'CODEPIPELINE_OUTPUT_VARIABLES_FILE',
                 'CODEPIPELINE_OUTPUT_CONTINUATION_TOKEN_FILE', 'CODEPIPELINE_CONTINUATION_TOKEN', 'SIGTERM',
                 'Exit codes:', '--artifacts-dir', '--no-artifacts', '--s3-endpoint-url',
                 'CODEPIPELINE_INPUT_ARTIFACTS_DIR', 'CODEPIPELINE_OUTPUT_ARTIFACTS_DIR',
                 'CODEPIPELINE_OUTPUT_ARTIFACTS_FILE', 'GetJobDetails', 'ConfigurationError'):
        s.check(text in s.out, f'worker --help does not document {text}')
    s.cli('create-action-type', '--help', endpoint=False)
    s.expect_rc(0)
    for text in ('--jenkins-url', '--query-name', '--dry-run', 'CreateCustomActionType'):
        s.check(text in s.out, f'create-action-type --help does not document {text}')
    s.expect_nothing_sent()


@scenario('create-action-type: --dry-run, then created, then listed by ListActionTypes for the worker')
def create_action_type(s):
    w = Worker(s)
    p = w.provider('Created')
    base = ['create-action-type', '--category', 'Build', '--provider', p, '--version', '1',
            '--jenkins-url', 'https://jenkins.example.com/ci']
    s.cli(*base, '--dry-run', key=None)
    s.expect_rc(0)
    s.expect_err('Dry run: nothing sent')
    try:
        dry = json.loads(s.out)
    except ValueError:
        dry = {}
        s.check(False, f'--dry-run printed no JSON: {s.out[:200]!r}')
    s.check(dry.get('settings', {}).get('entityUrlTemplate')
            == 'https://jenkins.example.com/ci/codepipeline/project/{Config:ProjectName}', f'dry run {dry}')
    s.expect_nothing_sent()
    s.cli(*base)
    s.expect_rc(0)
    s.expect_err(f'Created custom action type Build/Custom/{p}/1 in us-east-1')
    try:
        created = json.loads(s.out).get('actionType', {})
    except ValueError:
        created = {}
        s.check(False, f'stdout is not JSON: {s.out[:200]!r}')
    s.check(created.get('id') == {'category': 'Build', 'owner': 'Custom', 'provider': p, 'version': '1'},
            f'created type {created}')
    recs = [r for r in s.records() if r['operation'] == 'CreateCustomActionType']
    s.check(len(recs) == 1 and recs[0]['verdict'] == 'ok', f'CreateCustomActionType {[r["verdict"] for r in recs]}')
    s.cli(*base)
    s.expect_rc(1)
    s.expect_err('ValidationException', 'already exists')
    # a job of the new type: the worker asks ListActionTypes which properties are secret, finds the type, and
    # passes ProjectName on
    job = w.job(p, 'app')
    w.once(p, '--query', 'ProjectName=app')
    s.expect_rc(0)
    listed = [r for r in s.records() if r['operation'] == 'ListActionTypes']
    s.check(listed and listed[-1]['verdict'] == 'ok' and any(
        t['id']['provider'] == p for t in listed[-1]['response'].get('actionTypes', [])),
        'ListActionTypes did not list the created type')
    s.check(w.environment_of(job).get('CODEPIPELINE_CONFIG_ProjectName') == 'app',
            'the worker did not pass ProjectName of the created type on')
    s.expect_status(job, 'Succeeded')


# ------------------------------------------------------------------------------------------------ artifacts

class S3:
    """The artifact store (S3Proxy), written and read with botocore as the stages around the action would."""

    def __init__(self, endpoint, identity, secret):
        import botocore.config
        import botocore.session
        if not identity or not secret:
            raise SystemExit('--s3-endpoint needs --s3-identity and --s3-credential')
        self.endpoint, self.identity, self.secret = endpoint.rstrip('/'), identity, secret
        options = dict(s3={'addressing_style': 'path'}, retries={'max_attempts': 2}, connect_timeout=10,
                       read_timeout=60)
        try:  # botocore 1.36+ adds CRC32 checksums by default, which S3Proxy 2.6.0 does not know
            config = botocore.config.Config(request_checksum_calculation='when_required',
                                            response_checksum_validation='when_required', **options)
        except TypeError:  # an older botocore sends none anyway
            config = botocore.config.Config(**options)
        self.client = botocore.session.get_session().create_client(
            's3', region_name='us-east-1', endpoint_url=self.endpoint, aws_access_key_id=identity,
            aws_secret_access_key=secret, config=config)

    def create_bucket(self, bucket):
        self.client.create_bucket(Bucket=bucket)

    def put(self, bucket, key, data):
        self.client.put_object(Bucket=bucket, Key=key, Body=data)

    def get(self, bucket, key):
        """The object's bytes and its LastModified; (None, None) when there is no such object."""
        import botocore.exceptions
        try:
            got = self.client.get_object(Bucket=bucket, Key=key)
        except botocore.exceptions.ClientError as e:
            if e.response.get('Error', {}).get('Code') in ('NoSuchKey', '404', 'NotFound'):
                return None, None
            raise
        return got['Body'].read(), got['LastModified']

    def keys(self, bucket):
        listed = self.client.list_objects_v2(Bucket=bucket).get('Contents', [])
        return sorted(o['Key'] for o in listed if not o['Key'].endswith('/'))


# The trees the artifacts hold: path -> content (bytes), or None for a directory; a path in EXECUTABLES gets mode
# 755, any other file 644. Parent directories are not listed: the archives hold no entries for them.
SOURCE_TREE = {
    'README.md': b'# app\n',
    'bin/run.sh': b'#!/bin/sh\necho run\n',
    'src/main/java/app/App.java': b'package app;\nclass App {}\n',
    'src/main/resources/': None,  # empty, inside nested folders
    'empty/': None,
    'deep/a/b/c/d/e/leaf.txt': 'ü – a leaf\n'.encode(),
}
DOCS_TREE = {
    'docs/index.html': b'<html>docs</html>\n',
    'docs/img/': None,
    'tools/gen.sh': b'#!/bin/sh\necho gen\n',
}
EXECUTABLES = {'bin/run.sh', 'tools/gen.sh', 'run.sh'}


def mode_of(path):
    return 0o755 if path.rstrip('/') in EXECUTABLES else 0o644


def zip_bytes(tree):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w') as z:
        for path, content in tree.items():
            info = zipfile.ZipInfo(path, date_time=(2026, 1, 2, 3, 4, 6))
            info.create_system = 3  # Unix: the mode is in the upper half of external_attr
            if content is None:
                info.external_attr = ((stat.S_IFDIR | 0o755) << 16) | 0x10
                z.writestr(info, b'')
            else:
                info.external_attr = (stat.S_IFREG | mode_of(path)) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, content)
    return buf.getvalue()


def tar_gz_bytes(tree):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w:gz', format=tarfile.PAX_FORMAT) as t:
        for path, content in tree.items():
            info = tarfile.TarInfo(path.rstrip('/'))
            info.mtime = 1767323046
            if content is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                t.addfile(info)
            else:
                info.size, info.mode = len(content), mode_of(path)
                t.addfile(info, io.BytesIO(content))
    return buf.getvalue()


def write_tree(root, tree):
    for path, content in tree.items():
        full = os.path.join(root, path)
        if content is None:
            os.makedirs(full, exist_ok=True)
            continue
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'wb') as f:
            f.write(content)
        os.chmod(full, mode_of(path))
    return root


def expected_entries(tree):
    """path -> content or None (directory), every parent directory included, with '/' after directories."""
    entries = {}
    for path, content in tree.items():
        parts = path.rstrip('/').split('/')
        for i in range(1, len(parts)):
            entries['/'.join(parts[:i]) + '/'] = None
        entries[path] = content
    return entries


def tree_on_disk(root):
    """What a directory holds, as expected_entries gives it, plus the executable files."""
    entries, executables = {}, set()
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        for d in dirnames:
            entries[os.path.normpath(os.path.join(rel, d)) + '/'] = None
        for name in filenames:
            full = os.path.join(dirpath, name)
            path = os.path.normpath(os.path.join(rel, name))
            with open(full, 'rb') as f:
                entries[path] = f.read()
            if os.stat(full).st_mode & 0o111:
                executables.add(path)
    return entries, executables


def tree_in_zip(data):
    """What a zip holds, as tree_on_disk gives it (parent directories of entries included)."""
    entries, executables = {}, set()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            mode = info.external_attr >> 16
            parts = info.filename.rstrip('/').split('/')
            for i in range(1, len(parts)):
                entries['/'.join(parts[:i]) + '/'] = None
            if info.is_dir():
                entries[info.filename if info.filename.endswith('/') else info.filename + '/'] = None
                continue
            entries[info.filename] = z.read(info)
            if mode & 0o111:
                executables.add(info.filename)
    return entries, executables


def compare_trees(s, what, got, tree):
    """got: (entries, executables) of tree_on_disk/tree_in_zip; tree: what it should hold."""
    entries, executables = got
    want = expected_entries(tree)
    s.check(sorted(entries) == sorted(want), f'{what} holds {sorted(entries)}, expected {sorted(want)}')
    for path, content in want.items():
        if content is not None and path in entries:
            s.check(entries[path] == content, f'{what}: {path} holds {entries[path][:60]!r}, expected {content[:60]!r}')
    want_exec = {p for p in want if p in EXECUTABLES}
    s.check(executables == want_exec, f'{what}: executable files {sorted(executables)}, expected {sorted(want_exec)}')


class Artifacts:
    """A scenario's artifact store: a bucket of its own in S3Proxy, and the artifact credentials its jobs hand out
    (S3Proxy's identity and secret, with a session token of the scenario's own)."""

    KMS_KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'

    def __init__(self, s):
        self.s = s
        self.s3 = s.ctx.s3
        if self.s3 is None:
            raise Failed('no S3Proxy: give conformance.py --s3-endpoint, --s3-identity and --s3-credential')
        self.tag = uuid.uuid4().hex[:8]
        self.bucket = f'conformance-{self.tag}'
        self.s3.create_bucket(self.bucket)
        self.token = f'artifact-session-token-{self.tag}'
        self.dir = os.path.join(s.ctx.workdir, f'artifacts-{self.tag}')
        os.makedirs(self.dir)

    @property
    def secrets(self):
        return self.s3.secret, self.token

    def key(self, name):
        # as CodePipeline names them: <pipeline, cut>/<artifact, cut>/<random>, no suffix
        return f'referee-pipeli/{name[:10]}/{uuid.uuid4().hex[:7]}'

    def put(self, name, data):
        key = self.key(name)
        self.s3.put(self.bucket, key, data)
        return key

    def artifact(self, name, key, bucket=None, revision=None):
        artifact = {'name': name, 'location': {'type': 'S3', 's3Location': {'bucketName': bucket or self.bucket,
                                                                            'objectKey': key}}}
        if revision:
            artifact['revision'] = revision
        return artifact

    def data(self, inputs=(), outputs=(), kms=True):
        """JobData members: inputs/outputs are (name, key) or (name, key, bucket)."""
        data = {'inputArtifacts': [self.artifact(*a) for a in inputs],
                'outputArtifacts': [self.artifact(*a) for a in outputs],
                'artifactCredentials': {'accessKeyId': self.s3.identity, 'secretAccessKey': self.s3.secret,
                                        'sessionToken': self.token}}
        if kms:
            data['encryptionKey'] = {'id': self.KMS_KEY, 'type': 'KMS'}
        return data

    def job(self, inputs=(), outputs=(), kms=True):
        return self.s.ctx.referee.new_job(data=self.data(inputs, outputs, kms))

    def get_cli(self, job, target, *extra):
        return self.s.cli('artifacts', 'get', '--job-id', job, '--dir', target, '--s3-endpoint-url',
                          self.s3.endpoint, *extra)

    def expect_only_job_details(self, job, count=1):
        """The command line asked GetJobDetails (with its own credentials) and reported nothing."""
        recs = self.s.records(job)
        seen = [(r['operation'], r['verdict'], r['accessKeyId']) for r in recs]
        self.s.check(seen == [('GetJobDetails', 'ok', KEY_ID)] * count,
                     f'recorded requests {seen}, expected {count} GetJobDetails signed by {KEY_ID}')

    def expect_no_secret(self):
        for stream, text in (('stdout', self.s.out), ('stderr', self.s.err)):
            for secret in self.secrets:
                self.s.check(secret not in (text or ''), f'the artifact secret {secret[:12]}… is on {stream}')

    def object(self, key, bucket=None):
        return self.s3.get(bucket or self.bucket, key)


@scenario('artifacts get: two input artifacts, a zip with nested and empty folders and an executable file, '
          'and a tar.gz')
def artifacts_get(s):
    a = Artifacts(s)
    source = a.put('Source', zip_bytes(SOURCE_TREE))
    docs = a.put('Docs', tar_gz_bytes(DOCS_TREE))
    job = a.job(inputs=[('Source', source, None, 'abc123'), ('Docs', docs)])
    target = os.path.join(a.dir, 'in')
    a.get_cli(job, target)
    s.expect_rc(0)
    s.check(s.out == f'Source={target}/Source\nDocs={target}/Docs\n',
            f'stdout {s.out!r}, expected a NAME=DIRECTORY line per artifact, in the job\'s order')
    s.expect_err("input artifact 'Source'", f's3://{a.bucket}/{source}', "input artifact 'Docs'", f's3://{a.bucket}/{docs}')
    s.check(sorted(os.listdir(target)) == ['Docs', 'Source'], f'{target} holds {sorted(os.listdir(target))}')
    compare_trees(s, 'the Source directory', tree_on_disk(os.path.join(target, 'Source')), SOURCE_TREE)
    compare_trees(s, 'the Docs directory', tree_on_disk(os.path.join(target, 'Docs')), DOCS_TREE)
    a.expect_only_job_details(job)
    s.expect_status(job, 'InProgress')
    a.expect_no_secret()


@scenario('artifacts get --artifact: only the named one; an unknown name refused with the job\'s inputs listed')
def artifacts_get_selected(s):
    a = Artifacts(s)
    source = a.put('Source', zip_bytes(SOURCE_TREE))
    docs = a.put('Docs', tar_gz_bytes(DOCS_TREE))
    job = a.job(inputs=[('Source', source), ('Docs', docs)])
    target = os.path.join(a.dir, 'in')
    a.get_cli(job, target, '--artifact', 'Docs')
    s.expect_rc(0)
    s.check(s.out == f'Docs={target}/Docs\n', f'stdout {s.out!r}')
    s.check(os.listdir(target) == ['Docs'], f'{target} holds {os.listdir(target)}')
    compare_trees(s, 'the Docs directory', tree_on_disk(os.path.join(target, 'Docs')), DOCS_TREE)
    other = os.path.join(a.dir, 'other')
    a.get_cli(job, other, '--artifact', 'Sources')
    s.expect_rc(1)
    s.expect_no_stdout()
    s.expect_err("'Sources'", "'Source'", "'Docs'", 'Nothing was downloaded')
    s.check(not os.path.exists(other) or not os.listdir(other), f'{other} got files though the name was unknown')
    a.expect_only_job_details(job, 2)
    s.expect_status(job, 'InProgress')
    a.expect_no_secret()


@scenario('artifacts put: a directory (zipped, modes and empty folders kept) and a single file (as is), '
          'then got back by the next job and compared')
def artifacts_put(s):
    a = Artifacts(s)
    build_key, report_key = a.key('BuildOutput'), a.key('Report')
    job = a.job(outputs=[('BuildOutput', build_key), ('Report', report_key)])
    build = write_tree(os.path.join(a.dir, 'build'), SOURCE_TREE)
    report_bytes = json.dumps({'tests': 42, 'failed': 0, 'name': 'ü'}).encode()
    report = os.path.join(a.dir, 'report.json')
    with open(report, 'wb') as f:
        f.write(report_bytes)
    s.cli('artifacts', 'put', '--job-id', job, '--s3-endpoint-url', a.s3.endpoint, f'BuildOutput={build}',
          f'Report={report}')
    s.expect_rc(0)
    s.check(s.out == f'BuildOutput=s3://{a.bucket}/{build_key}\nReport=s3://{a.bucket}/{report_key}\n',
            f'stdout {s.out!r}, expected a NAME=s3://BUCKET/KEY line per artifact')
    s.expect_err("output artifact 'BuildOutput'", "output artifact 'Report'")
    a.expect_only_job_details(job)
    s.expect_status(job, 'InProgress')
    a.expect_no_secret()
    zipped, _ = a.object(build_key)
    if s.check(zipped is not None, f'no object s3://{a.bucket}/{build_key}'):
        s.check(zipped[:4] == b'PK\x03\x04', f'the BuildOutput object starts {zipped[:4]!r}, not as a zip')
        compare_trees(s, 'the BuildOutput zip', tree_in_zip(zipped), SOURCE_TREE)
    sent, _ = a.object(report_key)
    s.check(sent == report_bytes, f'the Report object holds {sent!r}, expected the file unchanged')
    s.check(a.s3.keys(a.bucket) == sorted([build_key, report_key]), f'the bucket holds {a.s3.keys(a.bucket)}')
    # the next action of the pipeline gets them as its inputs
    following = a.job(inputs=[('BuildOutput', build_key), ('Report', report_key)])
    target = os.path.join(a.dir, 'next')
    a.get_cli(following, target)
    s.expect_rc(0)
    compare_trees(s, 'BuildOutput got back', tree_on_disk(os.path.join(target, 'BuildOutput')), SOURCE_TREE)
    report_dir = os.path.join(target, 'Report')
    s.check(os.listdir(report_dir) == ['Report'], f'{report_dir} holds {os.listdir(report_dir)}, expected the file '
                                                  f'named after the artifact')
    with open(os.path.join(report_dir, 'Report'), 'rb') as f:
        s.check(f.read() == report_bytes, 'the Report file got back differs from the one uploaded')
    a.expect_only_job_details(following)
    a.expect_no_secret()


@scenario('artifacts get: a missing input object: exit 1 naming the artifact, bucket and key')
def artifacts_get_missing(s):
    a = Artifacts(s)
    present = a.put('Source', zip_bytes(SOURCE_TREE))
    missing = a.key('Tests')
    job = a.job(inputs=[('Source', present), ('Tests', missing)])
    target = os.path.join(a.dir, 'in')
    a.get_cli(job, target)
    s.expect_rc(1)
    s.expect_err("'Tests'", a.bucket, missing, 'does not exist')
    s.check(f'Tests={target}' not in s.out, f'stdout names the missing artifact as downloaded: {s.out!r}')
    a.expect_only_job_details(job)
    s.expect_status(job, 'InProgress')
    a.expect_no_secret()


# ---- the worker with artifacts

# Run by the worker after RECORDING_COMMAND: lists its inputs, then makes its outputs, BuildOutput through
# $CODEPIPELINE_OUTPUT_ARTIFACTS_FILE (a directory, relative to the working directory), Docs in its directory
# under $CODEPIPELINE_OUTPUT_ARTIFACTS_DIR.
ARTIFACTS_COMMAND = '''
in="$CODEPIPELINE_INPUT_ARTIFACTS_DIR"
( cd "$in" && find . | LC_ALL=C sort ) > "$ENVDIR/../$CODEPIPELINE_JOB_ID.inputs"
[ -x "$in/Source/bin/run.sh" ] && echo "run.sh is executable" >> "$ENVDIR/../$CODEPIPELINE_JOB_ID.inputs"
out="build-$CODEPIPELINE_JOB_ID"
mkdir -p "$out/nested/empty"
cp "$in/Source/README.md" "$out/nested/README.md"
cp -p "$in/Source/bin/run.sh" "$out/run.sh"
echo "BuildOutput=$out" >> "$CODEPIPELINE_OUTPUT_ARTIFACTS_FILE"
cp "$in/Docs/docs/index.html" "$CODEPIPELINE_OUTPUT_ARTIFACTS_DIR/Docs/index.html"
'''
BUILD_OUTPUT_TREE = {'nested/README.md': SOURCE_TREE['README.md'], 'nested/empty/': None,
                     'run.sh': SOURCE_TREE['bin/run.sh']}


def artifact_worker(s):
    w, a = Worker(s), Artifacts(s)
    w.more_secrets = a.secrets
    return w, a


def source_and_docs_job(w, a, p):
    """A job of provider p with the inputs Source (a zip of SOURCE_TREE) and Docs (a tar.gz of DOCS_TREE), both in
    S3, and the outputs BuildOutput and Docs, for ARTIFACTS_COMMAND. Returns (job, BuildOutput's key, Docs' key)."""
    source = a.put('Source', zip_bytes(SOURCE_TREE))
    docs = a.put('Docs', tar_gz_bytes(DOCS_TREE))
    build_key, docs_key = a.key('BuildOutput'), a.key('Docs')
    job = w.job(p, 'app', data=a.data(inputs=[('Source', source), ('Docs', docs)],
                                      outputs=[('BuildOutput', build_key), ('Docs', docs_key)]))
    return job, build_key, docs_key


@scenario('worker with artifacts: the command sees its inputs, its outputs (by file and by directory) are uploaded '
          'before the success, no artifact secret in its environment')
def worker_artifacts(s):
    w, a = artifact_worker(s)
    p = w.provider('WorkerArt')
    w.register(p)
    job, build_key, docs_key = source_and_docs_job(w, a, p)
    w.once(p, '--s3-endpoint-url', a.s3.endpoint, command=RECORDING_COMMAND + ARTIFACTS_COMMAND)
    s.expect_rc(0)
    w.expect_ran_once(job)
    s.expect_status(job, 'Succeeded')
    result = w.accepted_result(job)
    s.check(result.get('outputVariables') == {'PROJECT': 'app'}, f'result {result}')
    env = w.environment_of(job)
    in_dir = env.get('CODEPIPELINE_INPUT_ARTIFACTS_DIR', '')
    out_dir = env.get('CODEPIPELINE_OUTPUT_ARTIFACTS_DIR', '')
    s.check(in_dir.endswith('/input') and out_dir.endswith('/output')
            and os.path.dirname(in_dir) == os.path.dirname(out_dir),
            f'CODEPIPELINE_INPUT_ARTIFACTS_DIR={in_dir!r}, CODEPIPELINE_OUTPUT_ARTIFACTS_DIR={out_dir!r}')
    s.check(env.get('CODEPIPELINE_OUTPUT_ARTIFACTS_FILE'), 'no CODEPIPELINE_OUTPUT_ARTIFACTS_FILE')
    s.check(in_dir and not os.path.exists(os.path.dirname(in_dir)),
            f'the artifacts directory {os.path.dirname(in_dir)} is still there after the job')
    listing = os.path.join(w.dir, f'{job}.inputs')
    if s.check(os.path.exists(listing), 'the command did not list its inputs'):
        with open(listing, encoding='utf-8') as f:
            lines = f.read().splitlines()
        for want in ('./Source/bin/run.sh', './Source/empty', './Source/src/main/resources',
                     './Source/deep/a/b/c/d/e/leaf.txt', './Docs/docs/index.html', './Docs/docs/img',
                     'run.sh is executable'):
            s.check(want in lines, f'the command did not see {want}: {lines}')
    success_time = w.success_time(job)
    zipped, modified = a.object(build_key)
    if s.check(zipped is not None, f'BuildOutput was not uploaded to s3://{a.bucket}/{build_key}'):
        compare_trees(s, 'the BuildOutput zip', tree_in_zip(zipped), BUILD_OUTPUT_TREE)
        s.check(success_time is None or modified <= success_time,
                f'BuildOutput was written at {modified}, after the success result ({success_time})')
    zipped, modified = a.object(docs_key)
    if s.check(zipped is not None, f'Docs was not uploaded to s3://{a.bucket}/{docs_key}'):
        compare_trees(s, 'the Docs zip', tree_in_zip(zipped), {'index.html': DOCS_TREE['docs/index.html']})
    # the worker's log: both uploads, then the report
    reported = s.err.find(f'Reported success for job {job}')
    for name in ('BuildOutput', 'Docs'):
        uploaded = s.err.find(f"output artifact '{name}'")
        s.check(0 <= uploaded < reported, f'the log does not show the upload of {name} before the success report: '
                                          f'{tail(s.err, 1500)}')
    w.expect_job_details_by_worker(job)
    w.expect_no_secret_leaked()


@scenario('worker with artifacts: a declared output the command did not produce: ConfigurationError naming it')
def worker_artifacts_missing_output(s):
    w, a = artifact_worker(s)
    p = w.provider('WorkerMiss')
    w.register(p)
    build_key, docs_key = a.key('BuildOutput'), a.key('Docs')
    job = w.job(p, 'app', data=a.data(outputs=[('BuildOutput', build_key), ('Docs', docs_key)]))
    # Docs only; BuildOutput's directory stays empty. The S3 endpoint from the environment this time.
    command = RECORDING_COMMAND + 'echo doc > "$CODEPIPELINE_OUTPUT_ARTIFACTS_DIR/Docs/index.html"\n'
    s.cli(*w.args(p, '--once', command=command), endpoint=False,
          env=dict(w.env('once'), AWS_ENDPOINT_URL_S3=a.s3.endpoint))
    s.expect_rc(0)
    w.expect_ran_once(job)
    s.expect_status(job, 'Failed')
    message = w.failure_message(job, 'ConfigurationError')
    s.check('BuildOutput' in message and 'CODEPIPELINE_OUTPUT_ARTIFACTS' in message,
            f'the message does not name BuildOutput and say how to give it: {message!r}')
    s.check('Docs' not in message, f'the message names Docs, which the command produced: {message!r}')
    s.check(not w.results(job, 'PutJobSuccessResult'), 'a success was sent')
    s.check(a.s3.keys(a.bucket) == [], f'objects were uploaded though the job failed: {a.s3.keys(a.bucket)}')
    w.expect_no_secret_leaked()


@scenario('worker with artifacts: a missing input object: the command does not run, JobFailed names artifact, '
          'bucket and key')
def worker_artifacts_missing_input(s):
    w, a = artifact_worker(s)
    p = w.provider('WorkerNoIn')
    w.register(p)
    source = a.put('Source', zip_bytes(SOURCE_TREE))
    missing = a.key('Tests')
    job = w.job(p, 'app', data=a.data(inputs=[('Source', source), ('Tests', missing)],
                                      outputs=[('BuildOutput', a.key('BuildOutput'))]))
    w.once(p, '--s3-endpoint-url', a.s3.endpoint)
    s.expect_rc(0)
    s.check(w.ran().get(job) is None, 'the command ran though an input artifact could not be downloaded')
    s.expect_status(job, 'Failed')
    message = w.failure_message(job, 'JobFailed')
    for text in ("'Tests'", a.bucket, missing):
        s.check(text in message, f'the failure message lacks {text}: {message!r}')
    s.check(not w.results(job, 'PutJobSuccessResult'), 'a success was sent')
    s.check(a.s3.keys(a.bucket) == [source], f'the bucket holds {a.s3.keys(a.bucket)}')
    s.expect_err(f'Reported failure for job {job}')
    # no command ran, so there is no environment dump: check the worker's output only
    for stream, text in (('stdout', s.out), ('stderr', s.err)):
        for secret in a.secrets + (w.secret,):
            s.check(secret not in text, f'a secret is on the worker\'s {stream}')


@scenario('worker with artifacts: an upload that fails is reported as JobFailed with its message, never success')
def worker_artifacts_upload_fails(s):
    w, a = artifact_worker(s)
    p = w.provider('WorkerUpFail')
    w.register(p)
    bucket = f'conformance-nosuchbucket-{a.tag}'
    key = a.key('BuildOutput')
    job = w.job(p, 'app', data=a.data(outputs=[('BuildOutput', key, bucket)]))
    command = RECORDING_COMMAND + 'echo built > "$CODEPIPELINE_OUTPUT_ARTIFACTS_DIR/BuildOutput/app.txt"\n'
    w.once(p, '--s3-endpoint-url', a.s3.endpoint, command=command)
    s.expect_rc(0)
    w.expect_ran_once(job)
    s.expect_status(job, 'Failed')
    message = w.failure_message(job, 'JobFailed')
    for text in ("'BuildOutput'", bucket, 'does not exist'):
        s.check(text in message, f'the failure message lacks {text}: {message!r}')
    s.check(not w.results(job, 'PutJobSuccessResult'), 'a success was sent')
    w.expect_no_secret_leaked()


@scenario('worker --no-artifacts: nothing downloaded or uploaded, no GetJobDetails, the command reports as usual')
def worker_no_artifacts(s):
    w, a = artifact_worker(s)
    p = w.provider('WorkerNoArt')
    w.register(p)
    # neither object exists: with artifacts, the job would fail
    job = w.job(p, 'app', data=a.data(inputs=[('Source', a.key('Source'))],
                                      outputs=[('BuildOutput', a.key('BuildOutput'))]))
    w.once(p, '--no-artifacts')
    s.expect_rc(0)
    w.expect_ran_once(job)
    s.expect_status(job, 'Succeeded')
    env = w.environment_of(job)
    for name in ('CODEPIPELINE_INPUT_ARTIFACTS_DIR', 'CODEPIPELINE_OUTPUT_ARTIFACTS_DIR',
                 'CODEPIPELINE_OUTPUT_ARTIFACTS_FILE'):
        s.check(name not in env, f'{name} is in the environment with --no-artifacts')
    s.check(env.get('CODEPIPELINE_INPUT_ARTIFACTS') == 'Source' and env.get('CODEPIPELINE_OUTPUT_ARTIFACTS')
            == 'BuildOutput', 'the artifact names are not in the environment')
    s.check(not w.results(job, 'GetJobDetails'), 'GetJobDetails was called with --no-artifacts')
    s.check(a.s3.keys(a.bucket) == [], f'the bucket holds {a.s3.keys(a.bucket)}')
    w.expect_no_secret_leaked()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--base-url', required=True, help='the referee, http://127.0.0.1:PORT')
    p.add_argument('--jar', required=True, help='cli/target/codepipeline-job.jar')
    p.add_argument('--java', default=os.environ.get('JAVA', 'java'))
    p.add_argument('--only', help='run only scenarios whose name contains this text')
    p.add_argument('--dispatch-timeout', type=float, default=30.0,
                   help="the referee's --dispatch-timeout in seconds (the late-acknowledge scenario waits longer)")
    p.add_argument('--s3-endpoint', help='S3Proxy, http://127.0.0.1:PORT (the artifact scenarios fail without it)')
    p.add_argument('--s3-identity', help="S3Proxy's identity (s3proxy.identity)")
    p.add_argument('--s3-credential', help="S3Proxy's credential (s3proxy.credential)")
    a = p.parse_args()
    # the referee and S3Proxy are on loopback: never through a proxy from the environment (botocore reads it)
    os.environ['NO_PROXY'] = ','.join(filter(None, ('127.0.0.1,localhost', os.environ.get('NO_PROXY'))))
    os.environ['no_proxy'] = os.environ['NO_PROXY']
    referee = Referee(a.base_url)
    s3 = S3(a.s3_endpoint, a.s3_identity, a.s3_credential) if a.s3_endpoint else None
    passed = failed = 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix='conformance-') as workdir:
        ctx = Context(referee, Cli(os.path.abspath(a.jar), a.base_url, a.java, workdir), workdir,
                      a.dispatch_timeout, s3)
        for name, fn in SCENARIOS:
            if a.only and a.only not in name:
                continue
            s = None
            try:
                referee.admin('DELETE', 'faults')
                s = Scenario(ctx, name)
                fn(s)
                s.finish()
                problems = s.problems
            except Exception as e:  # a broken scenario is a failed scenario, not a crashed run
                problems = [f'{type(e).__name__}: {e}']
                if not isinstance(e, Failed):
                    traceback.print_exc(file=sys.stderr)
            finally:
                for cleanup in (s.cleanups if s else []):
                    cleanup()
                try:
                    referee.admin('DELETE', 'faults')
                except Failed:
                    pass
            if problems:
                failed += 1
                print(f'FAIL {name}: ' + '; '.join(problems), flush=True)
            else:
                passed += 1
                print(f'PASS {name}', flush=True)
    print(f'conformance took {time.monotonic() - started:.0f} s', flush=True)
    print(f'{passed} passed, {failed} failed', flush=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
