#!/usr/bin/env python3
"""Conformance run of the codepipeline-job CLI against the CodePipeline referee.

The referee (../shared/referee/codepipeline_referee.py) must already listen at --base-url, started with the
credentials AKIDJENKINSLAB:labSecretKey and ASIAJENKINSLAB:tempSecret:theSessionToken. Every scenario creates
its own jobs through the referee's admin API, runs `java -jar codepipeline-job.jar`, and checks the exit code,
stdout (the AWS request id the referee recorded), stderr keywords, the job's final state at the referee, the
recorded request bodies, and that no recorded request of the scenario has findings.

Prints `PASS name` or `FAIL name: why` per scenario and closes with `N passed, M failed`; exits 1 when a scenario
failed. Python 3 standard library only.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request

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

    def run(self, args, key=(KEY_ID, SECRET), token=None, env=None, endpoint=True, timeout=180):
        """Runs the CLI; returns (exit code, stdout, stderr)."""
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
        argv = [self.java, '-jar', self.jar] + list(args)
        if endpoint:
            argv += ['--endpoint-url', self.base]
        p = subprocess.run(argv, env=clean, capture_output=True, text=True, encoding='utf-8', timeout=timeout,
                           cwd=self.workdir)
        return p.returncode, p.stdout, p.stderr


class Scenario:
    """One scenario: its checks collect failures instead of stopping at the first."""

    def __init__(self, ctx, name):
        self.ctx, self.name = ctx, name
        self.problems = []
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
    def __init__(self, referee, cli, workdir):
        self.referee, self.cli, self.workdir = referee, cli, workdir

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


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--base-url', required=True, help='the referee, http://127.0.0.1:PORT')
    p.add_argument('--jar', required=True, help='cli/target/codepipeline-job.jar')
    p.add_argument('--java', default=os.environ.get('JAVA', 'java'))
    p.add_argument('--only', help='run only scenarios whose name contains this text')
    a = p.parse_args()
    referee = Referee(a.base_url)
    passed = failed = 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix='conformance-') as workdir:
        ctx = Context(referee, Cli(os.path.abspath(a.jar), a.base_url, a.java, workdir), workdir)
        for name, fn in SCENARIOS:
            if a.only and a.only not in name:
                continue
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
